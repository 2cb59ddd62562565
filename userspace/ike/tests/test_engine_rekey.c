// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv2 engine: CREATE_CHILD_SA. Child rekey (order of kernel
 * operations, no gap in transmission, old pair removed), PFS, kernel
 * soft and hard expiry, time lifetimes, IKE SA rekey, simultaneous
 * child rekey (RFC 7296 2.8.1) and simultaneous IKE SA rekey (2.8.2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine_harness.h"
#include "core/engine_int.h"

#define A_IP "192.0.2.1"
#define B_IP "198.51.100.2"

static char conf_a[8192], conf_b[8192];

static struct h_net *up_net(const struct h_conf *extra)
{
	struct h_conf a = extra ? *extra : (struct h_conf){ 0 };
	struct h_conf b = a;
	struct h_net *n = calloc(1, sizeof(*n));

	a.local = A_IP;
	a.remote = B_IP;
	b.local = B_IP;
	b.remote = A_IP;
	h_conf_build(&a, conf_a, sizeof(conf_a));
	h_conf_build(&b, conf_b, sizeof(conf_b));
	h_init(n, conf_a, conf_b);
	/* Only A initiates: B's tunnel comes up once A's SA exists. */
	h_up(n, 0);
	h_run(n, 1100);
	h_up(n, 1);
	h_run(n, 2000);
	assert_int_equal(h_ready(&n->node[0]), 1);
	assert_int_equal(h_ready(&n->node[1]), 1);
	assert_true(h_crosswise(n));
	return n;
}

static void net_free(struct h_net *n)
{
	h_free(n);
	free(n);
}

static void soft_expire(struct h_net *n, int i)
{
	struct ike_kernel_event_info ev = {
		.type = IKE_KEV_SOFT_EXPIRE,
		.ifindex = n->node[i].tinfo.ifindex,
		.dir = IKEVTI_DIR_OUT,
		.spi = n->node[i].tx_spi,
	};

	ike_engine_kernel_event(n->node[i].e, &ev, n->now);
}

static size_t op_index(struct h_node *x, size_t from, enum h_op_kind k,
		       uint8_t dir, uint32_t spi)
{
	for (size_t i = from; i < x->n_ops; i++)
		if (x->ops[i].kind == k && x->ops[i].dir == dir &&
		    (!spi || x->ops[i].spi == spi))
			return i;
	return SIZE_MAX;
}

static void check_one_pair(struct h_net *n)
{
	for (int i = 0; i < 2; i++) {
		assert_int_equal(h_sa_count(&n->node[i], IKEVTI_DIR_IN), 1);
		assert_int_equal(h_sa_count(&n->node[i], IKEVTI_DIR_OUT), 1);
	}
	assert_true(h_crosswise(n));
	assert_int_equal(n->node[0].tx_gaps, 0);
	assert_int_equal(n->node[1].tx_gaps, 0);
}

static void child_rekey_soft_expire(void **state)
{
	struct h_net *n = up_net(NULL);
	uint32_t old_out = n->node[0].tx_spi, old_in;
	size_t mark = n->node[0].n_ops, i_in, i_out, i_tx, i_del;
	struct h_sa *s;

	(void)state;
	s = h_find_sa(&n->node[1], IKEVTI_DIR_OUT, n->node[1].tx_spi);
	old_in = s->cfg.spi;
	soft_expire(n, 0);
	h_flush(n);
	assert_int_not_equal(n->node[0].tx_spi, old_out);
	/* A: new inbound, new outbound, tx switch, old outbound away */
	i_in = op_index(&n->node[0], mark, H_OP_ADD, IKEVTI_DIR_IN, 0);
	i_out = op_index(&n->node[0], mark, H_OP_ADD, IKEVTI_DIR_OUT, 0);
	i_tx = op_index(&n->node[0], mark, H_OP_TX, IKEVTI_DIR_OUT, 0);
	i_del = op_index(&n->node[0], mark, H_OP_DEL, IKEVTI_DIR_OUT,
			 old_out);
	assert_true(i_in < i_out && i_out < i_tx && i_tx < i_del);
	assert_true(i_del != SIZE_MAX);
	/* The old inbound is gone after the Delete exchange. */
	assert_null(h_find_sa(&n->node[0], IKEVTI_DIR_IN, old_in));
	check_one_pair(n);
	assert_true(h_log_has(&n->node[1], "peer rekeyed child SA"));
	net_free(n);
}

static void child_rekey_responder_waits(void **state)
{
	struct h_net *n = up_net(NULL);
	uint32_t b_old = n->node[1].tx_spi;

	(void)state;
	/* Deliver only A's rekey request and B's answer: B must keep
	 * transmitting on the old SA until A's Delete arrives. */
	soft_expire(n, 0);
	assert_int_equal(n->nq, 1);
	h_flush(n);
	assert_int_not_equal(n->node[1].tx_spi, b_old);
	assert_int_equal(n->node[1].tx_gaps, 0);
	check_one_pair(n);
	net_free(n);
}

static void child_rekey_pfs(void **state)
{
	struct h_conf c = { .pfs = "group19",
			    .transform = "esp-aes 256 esp-sha512-hmac" };
	struct h_net *n = up_net(&c);
	struct ike_child_status st[4];

	(void)state;
	soft_expire(n, 1);		/* the responder of the IKE SA rekeys */
	h_flush(n);
	check_one_pair(n);
	assert_int_equal(ike_engine_child_sas(n->node[0].e, st, 4), 1);
	assert_int_equal(st[0].pfs_group, 19);
	assert_true(h_log_has(&n->node[1], "with PFS"));
	net_free(n);
}

static void child_rekey_by_time(void **state)
{
	struct h_conf c = { .child_lifetime = 300 };
	struct h_net *n = up_net(&c);
	uint32_t first = n->node[0].tx_spi;

	(void)state;
	h_run(n, 280 * 1000);
	assert_int_not_equal(n->node[0].tx_spi, first);
	check_one_pair(n);
	/* several lifetimes: always one pair, never a gap */
	h_run(n, 1000 * 1000);
	check_one_pair(n);
	assert_int_equal(h_ready(&n->node[0]), 1);
	net_free(n);
}

static void hard_expire_removes(void **state)
{
	struct h_net *n = up_net(NULL);
	struct ike_kernel_event_info ev = {
		.type = IKE_KEV_HARD_EXPIRE, .ifindex = 10,
		.dir = IKEVTI_DIR_OUT,
	};

	(void)state;
	ev.spi = n->node[0].tx_spi;
	ike_engine_kernel_event(n->node[0].e, &ev, n->now);
	assert_null(h_find_sa(&n->node[0], IKEVTI_DIR_OUT, ev.spi));
	assert_true(h_log_has(&n->node[0], "hard lifetime reached"));
	/* no child left: the tunnel starts over and comes back */
	h_run(n, 10000);
	assert_int_equal(h_ready(&n->node[0]), 1);
	check_one_pair(n);
	net_free(n);
}

static void ike_rekey(void **state)
{
	struct h_conf c = { .ike_lifetime = 600 };
	struct h_net *n = up_net(&c);
	struct ike_sa_status s0, s1;
	uint32_t tx = n->node[0].tx_spi;

	(void)state;
	assert_int_equal(ike_engine_ike_sas(n->node[0].e, &s0, 1), 1);
	h_run(n, 560 * 1000);
	assert_int_equal(ike_engine_ike_sas(n->node[0].e, &s1, 1), 1);
	assert_true(s1.spi_i != s0.spi_i);
	assert_true(h_log_has(&n->node[0], "IKE SA rekeyed") ||
		    h_log_has(&n->node[1], "IKE SA rekeyed"));
	/* children moved, untouched */
	assert_int_equal(n->node[0].tx_spi, tx);
	assert_int_equal(s1.n_children, 1);
	check_one_pair(n);
	/* the new IKE SA works: a child rekey over it */
	soft_expire(n, 0);
	h_flush(n);
	check_one_pair(n);
	assert_int_not_equal(n->node[0].tx_spi, tx);
	net_free(n);
}

static void simultaneous_child_rekey(void **state)
{
	struct h_net *n = up_net(NULL);

	(void)state;
	soft_expire(n, 0);
	soft_expire(n, 1);
	assert_int_equal(n->nq, 2);	/* both requests cross */
	h_run(n, 20000);
	assert_true(h_log_has(&n->node[0], "simultaneous child rekey") ||
		    h_log_has(&n->node[1], "simultaneous child rekey"));
	check_one_pair(n);
	net_free(n);
}

static void rekey_after_loss(void **state)
{
	struct h_net *n = up_net(NULL);

	(void)state;
	n->drop[1] = 1;		/* B's answer to the rekey is lost */
	soft_expire(n, 0);
	h_run(n, 10000);
	check_one_pair(n);
	assert_true(h_log_has(&n->node[1], "answering from cache"));
	net_free(n);
}

/* The kernel SAs of both nodes before an IKE rekey, to prove that
 * none is removed or replaced by it. */
struct kernel_snap {
	uint32_t spi[2][H_MAX_SA];
	uint8_t dir[2][H_MAX_SA];
	size_t n[2], ops[2];
	uint32_t tx[2];
};

static void snap_take(struct h_net *n, struct kernel_snap *k)
{
	memset(k, 0, sizeof(*k));
	for (int i = 0; i < 2; i++) {
		for (size_t j = 0; j < H_MAX_SA; j++) {
			if (!n->node[i].sas[j].used)
				continue;
			k->spi[i][k->n[i]] = n->node[i].sas[j].cfg.spi;
			k->dir[i][k->n[i]++] = n->node[i].sas[j].cfg.dir;
		}
		k->ops[i] = n->node[i].n_ops;
		k->tx[i] = n->node[i].tx_spi;
	}
}

static void snap_unchanged(struct h_net *n, const struct kernel_snap *k)
{
	for (int i = 0; i < 2; i++) {
		struct h_node *x = &n->node[i];

		assert_int_equal(x->tx_spi, k->tx[i]);
		for (size_t j = 0; j < k->n[i]; j++) {
			assert_non_null(h_find_sa(x, k->dir[i][j],
						  k->spi[i][j]));
			assert_int_equal(op_index(x, k->ops[i], H_OP_DEL,
						  k->dir[i][j], k->spi[i][j]),
					 SIZE_MAX);
		}
	}
	check_one_pair(n);
}

/* One IKE SA left on each side, the same one; returns its spi_i. */
static uint64_t one_ike_sa(struct h_net *n)
{
	struct ike_sa_status s0[4], s1[4];

	assert_int_equal(ike_engine_ike_sas(n->node[0].e, s0, 4), 1);
	assert_int_equal(ike_engine_ike_sas(n->node[1].e, s1, 4), 1);
	assert_string_equal(s0[0].state, "READY");
	assert_string_equal(s1[0].state, "READY");
	assert_true(s0[0].spi_i == s1[0].spi_i);
	assert_true(s0[0].spi_r == s1[0].spi_r);
	assert_true(s0[0].initiator != s1[0].initiator);
	assert_int_equal(s0[0].n_children, 1);
	assert_int_equal(s1[0].n_children, 1);
	return s0[0].spi_i;
}

/* Both nodes start the IKE rekey in the same step: the two requests
 * cross, as when both lifetimes run out together. */
static void start_both_ike_rekeys(struct h_net *n)
{
	for (int i = 0; i < 2; i++) {
		struct ike_sa *sa = n->node[i].e->sas;

		while (sa && (sa->dead || sa->state != IKE_ST_ESTABLISHED))
			sa = sa->next;
		assert_non_null(sa);
		sa->tasks |= TASK_REKEY_IKE;
		ike_tasks_run(sa);
	}
	assert_int_equal(n->nq, 2);
}

/* Which node deleted its own new IKE SA as redundant (-1: none). */
static int redundant_deleter(struct h_net *n)
{
	const char *w = "this one has the lowest nonce and goes";
	bool a = h_log_has(&n->node[0], w), b = h_log_has(&n->node[1], w);

	assert_true(a != b);
	return a ? 0 : 1;
}

#define COLLISION_RUNS 50

/*
 * RFC 7296 2.8.2: both exchanges complete, the new IKE SA with the
 * lowest nonce is deleted by its initiator, the other initiator deletes
 * the old one. Random nonces: over 50 runs both nodes lose sometimes
 * (all 50 the same way has a probability of 2^-49).
 */
static void simultaneous_ike_rekey(void **state)
{
	unsigned int lost[2] = { 0, 0 };

	(void)state;
	for (int run = 0; run < COLLISION_RUNS; run++) {
		struct h_conf c = { .ike_lifetime = 3600 };
		struct h_net *n = up_net(&c);
		struct kernel_snap k;
		unsigned int sent0 = n->delivered;
		uint64_t spi;

		snap_take(n, &k);
		start_both_ike_rekeys(n);
		/* no timer: requests, responses, one Delete each way and
		 * their responses, no retry delay */
		h_flush(n);
		assert_int_equal(n->delivered - sent0, 8);
		spi = one_ike_sa(n);
		snap_unchanged(n, &k);
		assert_true(h_log_has(&n->node[0], "2.8.2"));
		assert_true(h_log_has(&n->node[1], "2.8.2"));
		assert_false(h_log_has(&n->node[0], "TEMPORARY_FAILURE"));
		assert_false(h_log_has(&n->node[1], "TEMPORARY_FAILURE"));
		lost[redundant_deleter(n)]++;
		/* nothing left to settle: no fallback Delete later */
		h_run(n, 60000);
		assert_true(one_ike_sa(n) == spi);
		snap_unchanged(n, &k);
		/* the surviving IKE SA carries a child rekey */
		soft_expire(n, run & 1);
		h_flush(n);
		check_one_pair(n);
		assert_int_not_equal(n->node[0].tx_spi, k.tx[0]);
		net_free(n);
	}
	assert_true(lost[0] > 0 && lost[1] > 0);
}

/* Drops B's first CREATE_CHILD_SA response (IKE header: exchange type
 * at byte 18, flags at 19; port 500, no non-ESP marker). */
static bool drop_b_rekey_answer(struct h_net *n, struct h_pkt *p, void *ctx)
{
	bool *dropped = ctx;

	(void)n;
	if (*dropped || p->from != 1 || p->len < 28 ||
	    p->buf[18] != IKEV2_EXCH_CREATE_CHILD_SA || !(p->buf[19] & 0x20))
		return true;
	*dropped = true;
	return false;
}

/*
 * The answer to node A's rekey is lost, so A's rekey is still out when
 * B acts on the outcome: either B deletes the old IKE SA (A's new one
 * was redundant: A forgets its rekey, 2.25.2) or B deletes its own
 * redundant SA, which held A's children until A's retransmitted
 * request is answered. Either way children keep their kernel SAs.
 */
static void simultaneous_ike_rekey_lost_answer(void **state)
{
	unsigned int lost[2] = { 0, 0 };

	(void)state;
	for (int run = 0; run < COLLISION_RUNS / 2; run++) {
		struct h_conf c = { .ike_lifetime = 3600 };
		struct h_net *n = up_net(&c);
		struct kernel_snap k;
		bool dropped = false, b_lost;

		snap_take(n, &k);
		start_both_ike_rekeys(n);
		n->hook = drop_b_rekey_answer;
		n->hook_ctx = &dropped;
		h_flush(n);
		assert_true(dropped);
		b_lost = h_log_has(&n->node[1], "this one has the lowest "
				   "nonce");
		lost[b_lost]++;
		snap_unchanged(n, &k);
		/* B's fallback Delete of a redundant SA that A never
		 * learned: 30 s, then 31.5 s of unanswered retransmits */
		h_run(n, 90000);
		one_ike_sa(n);
		snap_unchanged(n, &k);
		assert_true(h_log_has(&n->node[0], b_lost ?
				      "children back to IKE SA" :
				      "our rekey is abandoned"));
		net_free(n);
	}
	assert_true(lost[0] > 0 && lost[1] > 0);
}

/* 2.25.2: a child rekey arriving while the IKE SA is being rekeyed. */
static void child_rekey_during_ike_rekey(void **state)
{
	struct h_conf c = { .ike_lifetime = 3600 };
	struct h_net *n = up_net(&c);
	struct ike_sa *sa = n->node[0].e->sas;
	uint32_t tx = n->node[1].tx_spi;

	(void)state;
	while (sa->dead || sa->state != IKE_ST_ESTABLISHED)
		sa = sa->next;
	sa->tasks |= TASK_REKEY_IKE;
	ike_tasks_run(sa);
	soft_expire(n, 1);
	assert_int_equal(n->nq, 2);
	h_run(n, 30000);
	assert_true(h_log_has(&n->node[0], "TEMPORARY_FAILURE"));
	one_ike_sa(n);
	/* B's child rekey was retried over the new IKE SA */
	assert_int_not_equal(n->node[1].tx_spi, tx);
	check_one_pair(n);
	net_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(child_rekey_soft_expire),
		cmocka_unit_test(child_rekey_responder_waits),
		cmocka_unit_test(child_rekey_pfs),
		cmocka_unit_test(child_rekey_by_time),
		cmocka_unit_test(hard_expire_removes),
		cmocka_unit_test(ike_rekey),
		cmocka_unit_test(simultaneous_child_rekey),
		cmocka_unit_test(rekey_after_loss),
		cmocka_unit_test(simultaneous_ike_rekey),
		cmocka_unit_test(simultaneous_ike_rekey_lost_answer),
		cmocka_unit_test(child_rekey_during_ike_rekey),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
