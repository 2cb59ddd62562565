/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transmit: inner IP packets in, ESP tunnel-mode packets out.
 */
#ifndef _IKEVTI_SEND_H
#define _IKEVTI_SEND_H

#include <linux/netdevice.h>
#include <net/dst.h>

#include "addr.h"

struct ikevti_device;
struct ikevti_sa;

void ikevti_send_finish(struct sk_buff *skb, int err);
netdev_tx_t ikevti_xmit(struct sk_buff *skb, struct net_device *dev);
struct dst_entry *ikevti_route_outer(struct ikevti_device *idev,
				     struct ikevti_sa *sa,
				     struct ikevti_addr *saddr);

#endif /* _IKEVTI_SEND_H */
