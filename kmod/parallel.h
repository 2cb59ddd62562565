/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parallel crypto: requests run on padata's workers over all CPUs, and
 * each device direction's packets are finished in submission order. See
 * Documentation/architecture.rst.
 */
#ifndef _IKEVTI_PARALLEL_H
#define _IKEVTI_PARALLEL_H

#include <linux/atomic.h>
#include <linux/netdevice.h>
#include <linux/padata.h>

struct ikevti_crypt;

/* Called with BH off and RCU held, in submission order. */
typedef void (*ikevti_finish_fn)(struct sk_buff *skb, int err);

/* One direction of one device: its own padata sequence. */
struct ikevti_queue {
	struct padata_shell *shell;
	int cb_cpu;			/* where padata finishes, in order */
	atomic_t inflight;
	ikevti_finish_fn finish;
};

/*
 * Packets a queue has in crypto before it drops new ones (-ENOBUFS): at
 * least this many, or net.core.netdev_max_backlog, the bound the stack
 * puts on a CPU's input queue, when the administrator raised it.
 */
#define IKEVTI_QUEUE_MIN_MAX	1024

int ikevti_queue_init(struct ikevti_queue *q, ikevti_finish_fn finish);
void ikevti_queue_destroy(struct ikevti_queue *q);
int ikevti_crypt_run(struct ikevti_queue *q, struct ikevti_crypt *c,
		     bool encrypt);
int ikevti_parallel_init(void);
void ikevti_parallel_uninit(void);

#endif /* _IKEVTI_PARALLEL_H */
