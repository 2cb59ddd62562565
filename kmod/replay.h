/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inbound anti-replay (RFC 4303 3.4.3) with the RFC 6479 ring bitmap,
 * on 64-bit sequence numbers whose high half is inferred for ESN SAs
 * (RFC 4303 Appendix A2.2).
 */
#ifndef _IKEVTI_REPLAY_H
#define _IKEVTI_REPLAY_H

#include <linux/spinlock.h>
#include <linux/types.h>

enum ikevti_replay_verdict {
	IKEVTI_REPLAY_OK,
	IKEVTI_REPLAY_DUP,	/* inside the window, already seen */
	IKEVTI_REPLAY_OLD,	/* left of the window, or number 0 */
};

struct ikevti_replay {
	spinlock_t lock;	/* serialises check-and-set */
	u64 top;		/* highest authenticated number */
	u32 window;		/* 0: no replay protection */
	u32 word_mask;		/* bitmap words - 1, a power of two - 1 */
	unsigned long bitmap[];
};

struct ikevti_replay *ikevti_replay_alloc(u32 window, u64 top);
void ikevti_replay_free(struct ikevti_replay *r);
u64 ikevti_replay_infer_esn(const struct ikevti_replay *r, u32 seq_lo);
enum ikevti_replay_verdict ikevti_replay_precheck(const struct ikevti_replay *r,
						  u64 seq);
enum ikevti_replay_verdict ikevti_replay_advance(struct ikevti_replay *r,
						 u64 seq);
u64 ikevti_replay_top(const struct ikevti_replay *r);

#ifdef DEBUG
bool ikevti_replay_selftest(void);
#endif

#endif /* _IKEVTI_REPLAY_H */
