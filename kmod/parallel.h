/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parallel crypto: per-CPU workers encrypt and decrypt a tunnel's
 * packets, an ordered queue per device and direction finishes them in
 * submission order. See Documentation/architecture.rst.
 */
#ifndef _IKEVTI_PARALLEL_H
#define _IKEVTI_PARALLEL_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

struct ikevti_crypt;

/* Called in process context with BH off and RCU held. */
typedef void (*ikevti_finish_fn)(struct sk_buff *skb, int err);

/*
 * One direction of one device: its packets in the order they were
 * submitted, each finished once it is at the head and its crypto is done.
 */
struct ikevti_queue {
	spinlock_t lock;		/* packets, len, last_cpu */
	struct list_head packets;	/* struct ikevti_crypt, by ->order */
	unsigned int len;
	unsigned int last_cpu;		/* round-robin position */
	struct work_struct finisher;
	struct net_device *dev;
	ikevti_finish_fn finish;
};

/* Packets a queue holds before it drops new ones (-ENOBUFS). */
#define IKEVTI_QUEUE_MAX	1024

void ikevti_queue_init(struct ikevti_queue *q, struct net_device *dev,
		       ikevti_finish_fn finish);
int ikevti_crypt_run(struct ikevti_queue *q, struct ikevti_crypt *c,
		     bool encrypt);
int ikevti_parallel_init(void);
void ikevti_parallel_uninit(void);

#endif /* _IKEVTI_PARALLEL_H */
