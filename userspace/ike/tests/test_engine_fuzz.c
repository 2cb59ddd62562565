// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzing ike_engine_input: every message of a real negotiation (INIT,
 * AUTH, CREATE_CHILD_SA, INFORMATIONAL, fragments) is recorded, then
 * mutated many times (bit flips, random bytes, truncation, extension,
 * header field changes, splices of two messages) with a fixed seed and
 * fed to the engine that received the original. Run under ASan/UBSan
 * by "make test-sanitize". The established SAs must survive untouched.
 * Phase 2 seals mutated inner payload chains with the real SA keys (so
 * they reach the exchange handlers); phase 3 feeds mutated IKE_SA_INIT
 * responses to an initiator that waits for one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include <cmocka.h>

#include "engine_harness.h"
#include "core/engine_int.h"

#define A_IP "192.0.2.1"
#define B_IP "198.51.100.2"
#define MAX_REC 256
#define ITERATIONS 20000

struct rec {
	int to;
	struct ike_path path;	/* as the receiver saw it */
	uint8_t *buf;
	size_t len;
};

static struct rec recs[MAX_REC];
static size_t n_recs;

static bool record(struct h_net *n, struct h_pkt *p, void *ctx)
{
	struct rec *r;

	(void)n;
	(void)ctx;
	if (n_recs == MAX_REC)
		return true;
	r = &recs[n_recs++];
	r->to = !p->from;
	r->path.local = p->path.remote;
	r->path.remote = p->path.local;
	r->buf = malloc(p->len);
	memcpy(r->buf, p->buf, p->len);
	r->len = p->len;
	return true;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
	unsigned int k = rnd() % 8, n = 1 + rnd() % 8;
	const struct rec *o;

	switch (k) {
	case 0:		/* flip bits */
		for (unsigned int i = 0; i < n && len; i++)
			buf[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
		break;
	case 1:		/* random bytes */
		for (unsigned int i = 0; i < n && len; i++)
			buf[rnd() % len] = (uint8_t)rnd();
		break;
	case 2:		/* truncate */
		len = len ? rnd() % len : 0;
		break;
	case 3:		/* extend with junk */
		while (n-- && len < cap)
			buf[len++] = (uint8_t)rnd();
		break;
	case 4:		/* header fields: exchange, flags, msgid, length */
		if (len >= 28)
			buf[16 + rnd() % 12] = (uint8_t)rnd();
		break;
	case 5:		/* payload header region: lengths, next payload */
		if (len > 32)
			buf[28 + rnd() % 8] = (uint8_t)rnd();
		break;
	case 6:		/* splice another message's tail */
		if (!n_recs)
			break;
		o = &recs[rnd() % n_recs];
		if (o->len > 28 && len > 28) {
			size_t at = 28 + rnd() % (len - 28);
			size_t from = 28 + rnd() % (o->len - 28);
			size_t cnt = o->len - from;

			if (at + cnt > cap)
				cnt = cap - at;
			memcpy(buf + at, o->buf + from, cnt);
			len = at + cnt;
		}
		break;
	default:	/* untouched: a replay */
		break;
	}
	return len;
}

static void fuzz_input(void **state)
{
	struct h_conf a = { .local = A_IP, .remote = B_IP,
			    .pfs = "group14" };
	struct h_conf b = { .local = B_IP, .remote = A_IP,
			    .pfs = "group14" };
	static char ca[8192], cb[8192];
	struct h_net *n = calloc(1, sizeof(*n));
	struct ike_kernel_event_info ev = { .type = IKE_KEV_SOFT_EXPIRE,
					    .dir = IKEVTI_DIR_OUT };
	uint8_t *buf = malloc(IKE_MAX_MSG_LEN);
	uint32_t tx_a, tx_b;

	(void)state;
	h_conf_build(&a, ca, sizeof(ca));
	h_conf_build(&b, cb, sizeof(cb));
	h_init(n, ca, cb);
	ike_engine_set_frag_max(n->node[0].e, 200, 200);
	ike_engine_set_frag_max(n->node[1].e, 200, 200);
	n->hook = record;
	/* a negotiation with everything: INIT, AUTH (fragmented), child
	 * rekey with PFS, DPD, a lost response */
	h_up(n, 1);
	h_up(n, 0);
	h_run(n, 3000);
	assert_int_equal(h_ready(&n->node[0]), 1);
	ev.ifindex = 10;
	ev.spi = n->node[0].tx_spi;
	ike_engine_kernel_event(n->node[0].e, &ev, n->now);
	h_run(n, 3000);
	ev.ifindex = 20;
	ev.spi = n->node[1].tx_spi;
	ike_engine_kernel_event(n->node[1].e, &ev, n->now);
	h_run(n, 3000);
	n->hook = NULL;
	assert_true(n_recs > 10);
	print_message("%zu messages recorded, %d mutations\n", n_recs,
		      ITERATIONS);
	tx_a = n->node[0].tx_spi;
	tx_b = n->node[1].tx_spi;
	ike_engine_set_log_level(n->node[0].e, IKE_LOG_ERR);
	ike_engine_set_log_level(n->node[1].e, IKE_LOG_ERR);
	for (int it = 0; it < ITERATIONS; it++) {
		const struct rec *r = &recs[rnd() % n_recs];
		size_t len;

		memcpy(buf, r->buf, r->len);
		len = mutate(buf, r->len, IKE_MAX_MSG_LEN);
		ike_engine_input(n->node[r->to].e, &r->path, buf, len,
				 n->now);
		/* drop whatever the engines answered */
		h_log_clear(&n->node[0]);
		h_log_clear(&n->node[1]);
		while (n->nq) {
			free(n->q[--n->nq].buf);
		}
		if (it % 1000 == 999) {
			n->now += 100;
			ike_engine_run_timers(n->node[0].e, n->now);
			ike_engine_run_timers(n->node[1].e, n->now);
			while (n->nq)
				free(n->q[--n->nq].buf);
		}
	}
	/* The established SAs are untouched and still work. */
	assert_int_equal(h_ready(&n->node[0]), 1);
	assert_int_equal(h_ready(&n->node[1]), 1);
	assert_int_equal(n->node[0].tx_spi, tx_a);
	assert_int_equal(n->node[1].tx_spi, tx_b);
	assert_true(h_crosswise(n));
	ike_engine_set_log_level(n->node[0].e, IKE_LOG_DEBUG);
	ev.ifindex = 10;
	ev.spi = n->node[0].tx_spi;
	ike_engine_kernel_event(n->node[0].e, &ev, n->now);
	h_run(n, 3000);
	assert_int_not_equal(n->node[0].tx_spi, tx_a);
	assert_true(h_crosswise(n));
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 1);
	free(buf);
	h_free(n);
	free(n);
}

/* ---- phase 2: mutated inner payloads under valid protection ---- */

static struct ike_sa *the_sa(struct h_node *x)
{
	for (struct ike_sa *sa = x->e->sas; sa; sa = sa->next)
		if (!sa->dead && sa->state == IKE_ST_ESTABLISHED)
			return sa;
	return NULL;
}

/* Seeds: the inner chains of requests A could send. */
static size_t seed_chain(struct ike_sa *sa, int k, uint8_t *out, size_t cap)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct child_sa *c = ike_child_active(sa);
	uint32_t spi = htonl(c ? c->spi_in : 1);
	uint8_t nonce[32] = { 1, 2, 3 }, ke[256] = { 5 };
	struct ike_payload *pl;
	size_t len = 0;

	switch (k % 4) {
	case 0:		/* child rekey with PFS */
		pl = ike_add_notify(m, IKEV2_N_REKEY_SA, NULL, 0);
		pl->u.notify.protocol = IKEV2_PROTO_ESP;
		pl->u.notify.spi_size = 4;
		pl->u.notify.spi = (struct ike_bytes){ (uint8_t *)&spi, 4 };
		m->has_sa = true;
		{
			struct ike_local_proposal lp[6];
			size_t n = 0;

			ike_local_esp_proposals(sa->t, lp, &n, true);
			ike_build_sa_payload(lp, n, IKEV2_PROTO_ESP,
					     (uint8_t *)&spi, 4, &m->sa);
		}
		ike_msg_add(m, IKEV2_PL_SA);
		pl = ike_msg_add(m, IKEV2_PL_NONCE);
		pl->u.data = (struct ike_bytes){ nonce, sizeof(nonce) };
		pl = ike_msg_add(m, IKEV2_PL_KE);
		pl->u.ke.group = 14;
		pl->u.ke.data = (struct ike_bytes){ ke, sizeof(ke) };
		ike_ts_all(m);
		break;
	case 1:		/* delete of an unknown child */
		spi = htonl(0x12345678);
		pl = ike_msg_add(m, IKEV2_PL_DELETE);
		pl->u.del.protocol = IKEV2_PROTO_ESP;
		pl->u.del.spi_size = 4;
		pl->u.del.n_spi = 1;
		pl->u.del.spis = (struct ike_bytes){ (uint8_t *)&spi, 4 };
		break;
	case 2:		/* IKE rekey */
		m->has_sa = true;
		{
			struct ike_local_proposal lp[8];
			size_t n = 0;
			uint8_t ispi[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };

			ike_local_ike_proposals(sa->e, sa->t, lp, 8, &n);
			ike_build_sa_payload(lp, n, IKEV2_PROTO_IKE, ispi, 8,
					     &m->sa);
		}
		ike_msg_add(m, IKEV2_PL_SA);
		pl = ike_msg_add(m, IKEV2_PL_NONCE);
		pl->u.data = (struct ike_bytes){ nonce, sizeof(nonce) };
		pl = ike_msg_add(m, IKEV2_PL_KE);
		pl->u.ke.group = 19;
		pl->u.ke.data = (struct ike_bytes){ ke, 64 };
		break;
	default:	/* notifies, vendor ID, a CP */
		ike_add_notify(m, 16404, nonce, 4);
		pl = ike_msg_add(m, IKEV2_PL_VENDOR);
		pl->u.data = (struct ike_bytes){ nonce, 16 };
		break;
	}
	if (ike_payloads_encode(m, out, cap, &len) < 0)
		len = 0;
	free(m);
	return len;
}

static const uint8_t exch_of[4] = {
	IKEV2_EXCH_CREATE_CHILD_SA, IKEV2_EXCH_INFORMATIONAL,
	IKEV2_EXCH_CREATE_CHILD_SA, IKEV2_EXCH_INFORMATIONAL,
};

/* Seal plain (first payload type first) as A's request to B. */
static size_t seal_as_a(struct ike_sa *a, struct ike_sa *b, uint8_t exch,
			uint8_t first, const uint8_t *plain, size_t plen,
			uint8_t *out, size_t cap)
{
	struct ike_header h;
	struct ike_sk_keys k;
	char why[128];
	size_t len = 0;

	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, a->spi_i, 8);
	memcpy(h.spi_r, a->spi_r, 8);
	h.exchange = exch;
	h.flags = a->initiator ? IKEV2_FLAG_INITIATOR : 0;
	h.msg_id = b->msgid_in;
	ike_sk_keys_for(a, a->initiator, &k);
	if (ike_sk_seal(&k, &h, first, plain, plen, NULL, out, cap, &len,
			why, sizeof(why)) < 0)
		return 0;
	return len;
}

static void fuzz_inner(void **state)
{
	struct h_conf a = { .local = A_IP, .remote = B_IP };
	struct h_conf b = { .local = B_IP, .remote = A_IP };
	static char ca[8192], cb[8192];
	struct h_net *n = calloc(1, sizeof(*n));
	uint8_t *plain = malloc(8192), *msg = malloc(16384);
	unsigned int fed = 0, heals = 0;

	(void)state;
	h_conf_build(&a, ca, sizeof(ca));
	h_conf_build(&b, cb, sizeof(cb));
	h_init(n, ca, cb);
	h_up(n, 0);
	h_run(n, 1100);
	h_up(n, 1);
	h_run(n, 3000);
	assert_int_equal(h_ready(&n->node[0]), 1);
	ike_engine_set_log_level(n->node[0].e, IKE_LOG_ERR);
	ike_engine_set_log_level(n->node[1].e, IKE_LOG_ERR);
	for (int it = 0; it < ITERATIONS / 4; it++) {
		struct ike_sa *sa = the_sa(&n->node[0]), *sb;
		struct ike_path p;
		size_t plen, mlen;
		uint8_t first = (uint8_t)(it % 4 == 0 ? IKEV2_PL_NOTIFY :
					  it % 4 == 1 ? IKEV2_PL_DELETE :
					  it % 4 == 2 ? IKEV2_PL_SA :
					  IKEV2_PL_NOTIFY);

		sb = the_sa(&n->node[1]);
		if (!sa || !sb) {
			/* something was torn down: let it heal */
			h_run(n, 70000);
			heals++;
			continue;
		}
		plen = seed_chain(sa, it, plain, 8192);
		plen = mutate(plain, plen, 8192);
		if (rnd() % 8 == 0)
			first = (uint8_t)rnd();
		mlen = seal_as_a(sa, sb, exch_of[it % 4], first, plain, plen,
				 msg, 16384);
		if (!mlen)
			continue;
		p.local = sb->path.local;
		p.remote = sb->path.remote;
		ike_engine_input(n->node[1].e, &p, msg, mlen, n->now);
		fed++;
		sa->msgid_out = sb->msgid_in;
		/* B's answers go to A as usual */
		h_flush(n);
		h_log_clear(&n->node[0]);
		h_log_clear(&n->node[1]);
	}
	print_message("%u protected requests fed, %u recoveries\n", fed,
		      heals);
	assert_true(fed > ITERATIONS / 8);
	/* The forged requests were valid ones A never made (B may hold
	 * child SAs A does not know): each engine must still agree with
	 * its own kernel, and a clear brings the tunnel back. */
	for (int i = 0; i < 2; i++) {
		struct ike_child_status cs[8];
		size_t k = ike_engine_child_sas(n->node[i].e, cs, 8);

		for (size_t j = 0; j < k && j < 8; j++)
			assert_non_null(h_find_sa(&n->node[i], IKEVTI_DIR_IN,
						  cs[j].spi_in));
		if (n->node[i].tx_spi)
			assert_non_null(h_find_sa(&n->node[i], IKEVTI_DIR_OUT,
						  n->node[i].tx_spi));
	}
	ike_engine_set_log_level(n->node[0].e, IKE_LOG_DEBUG);
	ike_engine_set_log_level(n->node[1].e, IKE_LOG_DEBUG);
	ike_engine_clear(n->node[0].e, 0, n->now);
	h_run(n, 120000);
	assert_int_equal(h_ready(&n->node[0]), 1);
	assert_int_equal(h_ready(&n->node[1]), 1);
	assert_true(h_crosswise(n));
	free(plain);
	free(msg);
	h_free(n);
	free(n);
}

/* ---- phase 3: IKE_SA_INIT responses to an initiator waiting ---- */

static struct ike_sa *init_sent_sa(struct ike_engine *e)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (!sa->dead && sa->state == IKE_ST_INIT_SENT)
			return sa;
	return NULL;
}

static void fuzz_init_response(void **state)
{
	const struct rec *resp = NULL;
	struct h_conf a = { .local = A_IP, .remote = B_IP };
	struct h_conf b = { .local = B_IP, .remote = A_IP };
	static char ca[8192], cb[8192];
	struct h_net *n = calloc(1, sizeof(*n));
	uint8_t *buf = malloc(IKE_MAX_MSG_LEN);
	unsigned int fed = 0;

	(void)state;
	struct h_node *x;

	/* whichever side initiated in fuzz_input got the response */
	for (size_t i = 0; i < n_recs && !resp; i++)
		if (recs[i].len > 28 && recs[i].buf[18] == 34 &&
		    (recs[i].buf[19] & 0x20))
			resp = &recs[i];
	assert_non_null(resp);
	h_conf_build(&a, ca, sizeof(ca));
	h_conf_build(&b, cb, sizeof(cb));
	h_init(n, ca, cb);
	x = &n->node[resp->to];
	ike_engine_set_log_level(x->e, IKE_LOG_ERR);
	h_up(n, resp->to);
	for (int it = 0; it < ITERATIONS / 10; it++) {
		struct ike_sa *sa = init_sent_sa(x->e);
		size_t len;

		if (!sa) {
			x->e->now_ms = n->now;
			ike_init_start(x->e, x->e->tunnels);
			sa = init_sent_sa(x->e);
			assert_non_null(sa);
		}
		memcpy(buf, resp->buf, resp->len);
		memcpy(buf, sa->spi_i, 8);
		len = mutate(buf, resp->len, IKE_MAX_MSG_LEN);
		ike_engine_input(x->e, &resp->path, buf, len, n->now);
		fed++;
		while (n->nq)
			free(n->q[--n->nq].buf);
		h_log_clear(&n->node[0]);
		h_log_clear(&n->node[1]);
		if (it % 100 == 99) {
			n->now += 20000;	/* let stuck SAs give up */
			ike_engine_run_timers(x->e, n->now);
			while (n->nq)
				free(n->q[--n->nq].buf);
		}
	}
	print_message("%u IKE_SA_INIT responses fed\n", fed);
	free(buf);
	h_free(n);
	free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fuzz_input),
		cmocka_unit_test(fuzz_inner),
		cmocka_unit_test(fuzz_init_response),
	};

	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	/* fuzz_inner splices the messages fuzz_input recorded */
	for (size_t i = 0; i < n_recs; i++)
		free(recs[i].buf);
	return rc;
}
