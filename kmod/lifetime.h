/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Soft and hard byte and packet lifetimes of an SA (RFC 4301 4.4.2.1).
 */
#ifndef _IKEVTI_LIFETIME_H
#define _IKEVTI_LIFETIME_H

#include <linux/types.h>

struct ikevti_sa;

bool ikevti_lifetime_charge(struct ikevti_sa *sa, unsigned int bytes);
bool ikevti_lifetime_expired(const struct ikevti_sa *sa);

#endif /* _IKEVTI_LIFETIME_H */
