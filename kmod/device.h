/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ikevti network device: one per tunnel, created with
 * "ip link add NAME type ikevti".
 */
#ifndef _IKEVTI_DEVICE_H
#define _IKEVTI_DEVICE_H

#include <linux/netdevice.h>
#include <net/gro_cells.h>

#include "addr.h"
#include "parallel.h"
#include "stats.h"

struct ikevti_sa;

struct ikevti_device {
	struct net_device *dev;
	/*
	 * Where ESP is sent and received. No reference is held: the
	 * underlay deletes its devices when it dies (netns.c).
	 */
	struct net *underlay;
	struct list_head underlay_node;	/* in ikevti_net(underlay) */
	struct gro_cells gro;
	/* parallel.c: packets in crypto, finished in order. */
	struct ikevti_queue tx_queue, rx_queue;
	struct ikevti_stats __percpu *stats;
	struct ikevti_sa __rcu *tx_sa;	/* current outbound SA */
	struct list_head sa_list;	/* all SAs, RTNL */
	unsigned int sa_count;		/* RTNL */
	u32 generation;			/* bumped on SA set changes, RTNL */
	struct ikevti_addr local, remote;	/* SA defaults */
	u32 fwmark;
	u8 ttl;				/* 0: copy the inner TTL */
	u8 df;				/* enum ikevti_df */
	u8 ondemand;			/* carrier on without tx_sa, RTNL */
	/* events.c: messages to userspace, built in process context. */
	struct work_struct event_work;
	unsigned long event_bits;	/* IKEVTI_DEV_EV_* */
	unsigned long acquire_ts;	/* jiffies of the last ACQUIRE */
	/* encap.c: NAT keepalives of the current outbound SA. */
	struct delayed_work keepalive_work;
};

extern struct rtnl_link_ops ikevti_link_ops;

struct ikevti_device *ikevti_device_from_dev(struct net_device *dev);
bool ikevti_device_xnet(const struct ikevti_device *idev);
void ikevti_device_update_carrier(struct ikevti_device *idev);
int ikevti_device_init(void);
void ikevti_device_uninit(void);

#endif /* _IKEVTI_DEVICE_H */
