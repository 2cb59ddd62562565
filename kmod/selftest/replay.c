// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the replay window and of ESN high-half inference, run at
 * module load in DEBUG builds. Included from replay.c.
 */

struct esn_case {
	u64 top;
	u32 window;
	u32 seq_lo;
	u64 expect;
};

/* RFC 4303 A2.2 cases: same subspace, next one, previous one, none. */
static const struct esn_case esn_cases[] = {
	{ 0, 64, 1, 1 },
	{ 0, 64, 0xfffffff0, 0 },		/* would precede 1 */
	{ 100, 64, 90, 90 },
	{ 100, 64, 20, 0x100000014ULL },	/* below window: next */
	{ 0xfffffff0, 64, 5, 0x100000005ULL },
	{ 0xfffffff0, 64, 0xffffffe0, 0xffffffe0 },
	{ 0x100000005ULL, 64, 0xfffffff0, 0xfffffff0 },	/* previous */
	{ 0x100000005ULL, 64, 3, 0x100000003ULL },
	{ 0x100000005ULL, 64, 0x80000000, 0x180000000ULL },
	{ 0x1ffffffffULL, 128, 0xffffff90, 0x1ffffff90ULL },
	{ 0x1ffffffffULL, 128, 1, 0x200000001ULL },
};

static bool esn_selftest(void)
{
	struct ikevti_replay *r;
	bool ok = true;
	unsigned int i;
	u64 got;

	for (i = 0; i < ARRAY_SIZE(esn_cases); i++) {
		const struct esn_case *c = &esn_cases[i];

		r = ikevti_replay_alloc(c->window, c->top);
		if (!r)
			return false;
		got = ikevti_replay_infer_esn(r, c->seq_lo);
		if (got != c->expect) {
			pr_err("esn self-test %u: got %llx, want %llx\n", i,
			       got, c->expect);
			ok = false;
		}
		ikevti_replay_free(r);
	}
	return ok;
}

struct replay_step {
	u64 seq;
	enum ikevti_replay_verdict expect;
};

#define OK IKEVTI_REPLAY_OK
#define DUP IKEVTI_REPLAY_DUP
#define OLD IKEVTI_REPLAY_OLD

/* Window 64; the steps walk the edges of the window and the ring. */
static const struct replay_step replay_steps[] = {
	{ 0, OLD }, { 1, OK }, { 1, DUP }, { 3, OK }, { 2, OK }, { 2, DUP },
	{ 64, OK }, { 1, DUP }, { 2, DUP }, { 3, DUP }, { 4, OK }, { 0, OLD },
	{ 200, OK }, { 137, OK }, { 136, OLD }, { 199, OK }, { 199, DUP },
	{ 1000000, OK }, { 999937, OK }, { 999936, OLD }, { 200, OLD },
	{ 1000064, OK }, { 1000001, OK }, { 1000000, OLD },
	{ 1000063, OK }, { 1000063, DUP }, { 1000064, DUP },
};

#undef OK
#undef DUP
#undef OLD

static bool window_selftest(void)
{
	struct ikevti_replay *r = ikevti_replay_alloc(64, 0);
	enum ikevti_replay_verdict pre, got;
	bool ok = true;
	unsigned int i;

	if (!r)
		return false;
	for (i = 0; i < ARRAY_SIZE(replay_steps); i++) {
		const struct replay_step *s = &replay_steps[i];

		pre = ikevti_replay_precheck(r, s->seq);
		got = ikevti_replay_advance(r, s->seq);
		if (got != s->expect || pre != s->expect) {
			pr_err("replay self-test %u: seq %llu got %d/%d, want %d\n",
			       i, s->seq, pre, got, s->expect);
			ok = false;
		}
	}
	ikevti_replay_free(r);
	return ok;
}

bool ikevti_replay_selftest(void)
{
	bool ok = esn_selftest() & window_selftest();

	if (ok)
		pr_info("replay and ESN self-tests: pass\n");
	return ok;
}
