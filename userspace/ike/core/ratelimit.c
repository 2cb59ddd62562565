// SPDX-License-Identifier: GPL-2.0
/*
 * ratelimit: token buckets on engine time, for what a peer can make us
 * do without authenticating: log lines about unauthenticated input (one
 * bucket per engine) and answers resent from the response cache (one per
 * IKE SA). A flood then costs a bounded number of lines and datagrams,
 * and the log says how many lines it left out.
 */
#include "core/core.h"

bool ike_bucket_take(struct ike_bucket *b, uint64_t now, uint32_t burst,
		     uint32_t refill_ms)
{
	if (!b->primed) {
		b->primed = true;
		b->tokens = burst;
		b->last_ms = now;
	}
	if (now > b->last_ms) {
		uint64_t n = (now - b->last_ms) / refill_ms;

		if (n >= burst - b->tokens) {
			b->tokens = burst;
			b->last_ms = now;
		} else {
			b->tokens += (uint32_t)n;
			b->last_ms += n * refill_ms;
		}
	}
	if (!b->tokens)
		return false;
	b->tokens--;
	return true;
}

void elog_unauth(struct ike_engine *e, enum ike_log_level lvl,
		 const struct ike_tunnel *t, const struct ike_sa *sa,
		 const char *fmt, ...)
{
	va_list ap;

	if (lvl > e->log_level || !e->ops.log)
		return;
	if (!ike_bucket_take(&e->unauth_log, e->now_ms, IKE_UNAUTH_LOG_BURST,
			     IKE_UNAUTH_LOG_REFILL_MS)) {
		e->unauth_suppressed++;
		return;
	}
	if (e->unauth_suppressed) {
		elog(e, IKE_LOG_NOTICE, NULL, NULL, "%u log lines about "
		     "unauthenticated input suppressed (rate limit)",
		     e->unauth_suppressed);
		e->unauth_suppressed = 0;
	}
	va_start(ap, fmt);
	velog(e, lvl, t, sa, fmt, ap);
	va_end(ap);
}
