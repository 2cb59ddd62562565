/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State kept per underlay network namespace: the inbound SPI table and
 * the devices whose ESP travels through this namespace. A device may
 * live in another namespace than its underlay; it is always listed here,
 * in the underlay.
 */
#ifndef _IKEVTI_NETNS_H
#define _IKEVTI_NETNS_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>

#define IKEVTI_SPI_HASH_BITS	8

struct ikevti_net {
	struct list_head devices;	/* RTNL writers, RCU readers */
	spinlock_t spi_lock;		/* writers of spi_hash */
	struct hlist_head spi_hash[1 << IKEVTI_SPI_HASH_BITS];
};

struct ikevti_net *ikevti_net(const struct net *net);
int ikevti_netns_init(void);
void ikevti_netns_uninit(void);

#endif /* _IKEVTI_NETNS_H */
