// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 6479 keeps the window as a ring of words indexed by the sequence
 * number itself, so advancing the top only zeroes the words it passes and
 * never shifts the whole bitmap. The ring holds one word more than the
 * window needs, so the word the top is in never overlaps the oldest one.
 */
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "replay.h"

struct ikevti_replay *ikevti_replay_alloc(u32 window, u64 top)
{
	unsigned int words = 1;
	struct ikevti_replay *r;

	if (window)
		words = roundup_pow_of_two(BITS_TO_LONGS(window) + 1);
	r = kzalloc(struct_size(r, bitmap, words), GFP_KERNEL);
	if (!r)
		return NULL;
	spin_lock_init(&r->lock);
	r->window = window;
	r->word_mask = words - 1;
	r->top = top;
	return r;
}

void ikevti_replay_free(struct ikevti_replay *r)
{
	kfree(r);
}

u64 ikevti_replay_top(const struct ikevti_replay *r)
{
	return READ_ONCE(r->top);
}

static u64 make_seq(u32 hi, u32 lo)
{
	return (u64)hi << 32 | lo;
}

/*
 * RFC 4303 A2.2: pick the high half that puts seq_lo closest to the
 * window. Tl/Th are the halves of the top; the window bottom is
 * Tl - W + 1, computed modulo 2^32 so that the "window straddles a
 * subspace boundary" case falls out of the same arithmetic. A guess that
 * is wrong fails the ICV, because the high half is part of the AAD.
 * Returns 0 (an invalid number) when the answer would precede sequence 1.
 */
u64 ikevti_replay_infer_esn(const struct ikevti_replay *r, u32 seq_lo)
{
	u64 top = READ_ONCE(r->top);
	u32 tl = lower_32_bits(top), th = upper_32_bits(top);
	u32 bottom = tl - r->window + 1;

	if (tl >= r->window - 1) {
		if (seq_lo >= bottom)
			return make_seq(th, seq_lo);
		return make_seq(th + 1, seq_lo);
	}
	if (seq_lo >= bottom)
		return th ? make_seq(th - 1, seq_lo) : 0;
	return make_seq(th, seq_lo);
}

static unsigned long *seq_word(const struct ikevti_replay *r, u64 seq)
{
	return (unsigned long *)&r->bitmap[(seq / BITS_PER_LONG) &
					   r->word_mask];
}

static unsigned int seq_bit(u64 seq)
{
	return seq % BITS_PER_LONG;
}

static enum ikevti_replay_verdict check(const struct ikevti_replay *r,
					u64 top, u64 seq)
{
	if (!seq)
		return IKEVTI_REPLAY_OLD;
	if (!r->window || seq > top)
		return IKEVTI_REPLAY_OK;
	if (top - seq >= r->window)
		return IKEVTI_REPLAY_OLD;
	if (test_bit(seq_bit(seq), seq_word(r, seq)))
		return IKEVTI_REPLAY_DUP;
	return IKEVTI_REPLAY_OK;
}

/*
 * Before decryption, without the lock: cheap rejection of obvious
 * replays so they cost no crypto. A racing update can only make the
 * answer stale, and the locked check after decryption is authoritative.
 */
enum ikevti_replay_verdict ikevti_replay_precheck(const struct ikevti_replay *r,
						  u64 seq)
{
	return check(r, READ_ONCE(r->top), seq);
}

/* Zero the ring words that the top passes on its way up to seq. */
static void slide(struct ikevti_replay *r, u64 seq)
{
	u64 from = r->top / BITS_PER_LONG, to = seq / BITS_PER_LONG;
	u64 n = min_t(u64, to - from, (u64)r->word_mask + 1);
	u64 i;

	for (i = 1; i <= n; i++)
		r->bitmap[(from + i) & r->word_mask] = 0;
}

/* After the ICV passed: check again under the lock and record seq. */
enum ikevti_replay_verdict ikevti_replay_advance(struct ikevti_replay *r,
						 u64 seq)
{
	enum ikevti_replay_verdict verdict;

	spin_lock_bh(&r->lock);
	verdict = check(r, r->top, seq);
	if (verdict == IKEVTI_REPLAY_OK) {
		if (seq > r->top) {
			if (r->window)
				slide(r, seq);
			WRITE_ONCE(r->top, seq);
		}
		if (r->window)
			__set_bit(seq_bit(seq), seq_word(r, seq));
	}
	spin_unlock_bh(&r->lock);
	return verdict;
}

#ifdef DEBUG
#include "selftest/replay.c"
#endif
