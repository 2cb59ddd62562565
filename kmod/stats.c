// SPDX-License-Identifier: GPL-2.0
/*
 * Counter storage and its netlink rendering.
 */
#include <net/netlink.h>

#include "stats.h"

struct ikevti_stats __percpu *ikevti_stats_alloc(void)
{
	return alloc_percpu(struct ikevti_stats);
}

void ikevti_stats_free(struct ikevti_stats __percpu *stats)
{
	free_percpu(stats);
}

/*
 * Readers race with writers on other CPUs; a counter read a moment early
 * is fine for statistics, and 64-bit loads do not tear on the 64-bit
 * machines this module targets.
 */
void ikevti_stats_sum(struct ikevti_stats __percpu *stats,
		      struct ikevti_stats *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct ikevti_stats *one = per_cpu_ptr(stats, cpu);

		for (i = 0; i < __IKEVTI_STATS_A_MAX; i++)
			sum->v[i] += READ_ONCE(one->v[i]);
	}
}

int ikevti_stats_put(struct sk_buff *msg, int attrtype,
		     struct ikevti_stats __percpu *stats)
{
	struct ikevti_stats sum;
	struct nlattr *nest;
	int i;

	ikevti_stats_sum(stats, &sum);
	nest = nla_nest_start(msg, attrtype);
	if (!nest)
		return -EMSGSIZE;
	for (i = IKEVTI_STATS_A_PACKETS; i < IKEVTI_STATS_A_PAD; i++) {
		if (nla_put_u64_64bit(msg, i, sum.v[i], IKEVTI_STATS_A_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(msg, nest);
	return 0;
}
