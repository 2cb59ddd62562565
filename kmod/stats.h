/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-SA and per-device counters (IKEVTI_STATS_A_*), kept per CPU so
 * that LLTX transmit and parallel receive never share a cache line or
 * race on a plain increment.
 */
#ifndef _IKEVTI_STATS_H
#define _IKEVTI_STATS_H

#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <uapi/linux/ikevti.h>

struct ikevti_stats {
	u64 v[__IKEVTI_STATS_A_MAX];
};

struct ikevti_stats __percpu *ikevti_stats_alloc(void);
void ikevti_stats_free(struct ikevti_stats __percpu *stats);
void ikevti_stats_sum(struct ikevti_stats __percpu *stats,
		      struct ikevti_stats *sum);
int ikevti_stats_put(struct sk_buff *msg, int attrtype,
		     struct ikevti_stats __percpu *stats);

/* Safe from any context: this_cpu_add() is one irq-safe operation. */
static inline void ikevti_stats_add(struct ikevti_stats __percpu *stats,
				    int counter, u64 n)
{
	this_cpu_add(stats->v[counter], n);
}

static inline void ikevti_stats_inc(struct ikevti_stats __percpu *stats,
				    int counter)
{
	ikevti_stats_add(stats, counter, 1);
}

#endif /* _IKEVTI_STATS_H */
