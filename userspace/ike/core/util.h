/* SPDX-License-Identifier: GPL-2.0 */
/*
 * util: small helpers that every layer of the engine may use (they
 * depend on nothing).
 */
#ifndef IKE_UTIL_H
#define IKE_UTIL_H

#include <stddef.h>

/* Write the reason into err (when there is room) and return -1: the
 * one way the libraries report a refusal with its explanation. */
int failf(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* IKE_UTIL_H */
