/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratelimit: a token bucket on engine time (core/ratelimit.c), kept in
 * the engine (log lines) and in IKE SAs (resent answers).
 */
#ifndef IKE_RATELIMIT_H
#define IKE_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ike_bucket {
	uint64_t last_ms;
	uint32_t tokens;
	bool primed;			/* full at its first use */
};

/* Take one token (refilled one per refill_ms up to burst): false when
 * the bucket is empty. */
bool ike_bucket_take(struct ike_bucket *b, uint64_t now, uint32_t burst,
		     uint32_t refill_ms);

#endif /* IKE_RATELIMIT_H */
