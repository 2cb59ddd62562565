/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family "ikevti": SA configuration and counters.
 */
#ifndef _IKEVTI_NETLINK_H
#define _IKEVTI_NETLINK_H

int ikevti_genl_init(void);
void ikevti_genl_uninit(void);

#endif /* _IKEVTI_NETLINK_H */
