// SPDX-License-Identifier: GPL-2.0
/*
 * Byte and packet lifetimes. Every packet an SA with limits sends or
 * delivers is charged here, from many CPUs at once, so the counts are
 * atomics of their own rather than the per-CPU statistics, which cannot
 * tell exactly when a limit is crossed.
 *
 * The rules follow xfrm's: a hard packet limit of N lets exactly N
 * packets through; a byte limit lets packets through while the bytes
 * counted before them are below it, so the packet that crosses it still
 * passes. Each limit raises its SA_EXPIRE event once, carrying the
 * counts of the moment it was reached.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>

#include "events.h"
#include "lifetime.h"
#include "sa.h"

static bool has_limits(const struct ikevti_sa *sa)
{
	return sa->soft_bytes || sa->hard_bytes || sa->soft_packets ||
	       sa->hard_packets;
}

static bool reached(u64 limit, u64 count)
{
	return limit && count >= limit;
}

/* Record the counts and hand the event to the device's work. */
static void limit_reached(struct ikevti_sa *sa, int bit, int pending,
			  u64 *at, u64 packets, u64 bytes)
{
	if (test_and_set_bit(bit, &sa->events))
		return;
	at[0] = packets;
	at[1] = bytes;
	/* The work reads at[] once it sees the pending bit. */
	smp_mb__before_atomic();
	set_bit(pending, &sa->events);
	ikevti_events_kick(sa->idev);
}

bool ikevti_lifetime_expired(const struct ikevti_sa *sa)
{
	return test_bit(IKEVTI_SA_EV_HARD, &sa->events);
}

/* Count one packet of bytes; false when the hard limit forbids it. */
bool ikevti_lifetime_charge(struct ikevti_sa *sa, unsigned int bytes)
{
	u64 packets, total;

	if (!has_limits(sa))
		return true;
	if (ikevti_lifetime_expired(sa))
		return false;
	packets = atomic64_inc_return(&sa->lt_packets);
	total = atomic64_add_return(bytes, &sa->lt_bytes);
	/* Another CPU may have taken the last allowance meanwhile. */
	if (reached(sa->hard_packets, packets - 1) ||
	    reached(sa->hard_bytes, total - bytes))
		return false;
	if (reached(sa->soft_packets, packets) ||
	    reached(sa->soft_bytes, total))
		limit_reached(sa, IKEVTI_SA_EV_SOFT, IKEVTI_SA_EV_SOFT_PENDING,
			      sa->soft_at, packets, total);
	if (reached(sa->hard_packets, packets) ||
	    reached(sa->hard_bytes, total))
		limit_reached(sa, IKEVTI_SA_EV_HARD, IKEVTI_SA_EV_HARD_PENDING,
			      sa->hard_at, packets, total);
	return true;
}
