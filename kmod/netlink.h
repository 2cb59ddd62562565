/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family "ikevti": SA configuration and counters,
 * and the multicast events (built by events.c).
 */
#ifndef _IKEVTI_NETLINK_H
#define _IKEVTI_NETLINK_H

#include <linux/skbuff.h>
#include <linux/types.h>

struct ikevti_device;

struct sk_buff *ikevti_genl_event_new(struct ikevti_device *idev, u8 cmd,
				      void **hdr);
void ikevti_genl_event_send(struct ikevti_device *idev, struct sk_buff *msg,
			    void *hdr);
int ikevti_genl_init(void);
void ikevti_genl_uninit(void);

#endif /* _IKEVTI_NETLINK_H */
