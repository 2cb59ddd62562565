// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv2 engine over a tunnel's life: IPv6 outer addresses, a peer
 * that reauthenticates (a new IKE SA next to the old one), the peer
 * deleting the child SA, NAT mapping changes, ACQUIRE, repeated device
 * reports, shutdown.
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

static char conf_a[8192], conf_b[8192];

static struct h_net *net_with(const char *ia, const char *ib, bool nat,
			      const char *ib_seen)
{
	struct h_conf a = { .local = ia, .remote = ib };
	struct h_conf b = { .local = ib, .remote = ib_seen ? ib_seen : ia };
	struct h_net *n = calloc(1, sizeof(*n));

	h_conf_build(&a, conf_a, sizeof(conf_a));
	h_conf_build(&b, conf_b, sizeof(conf_b));
	h_init(n, conf_a, conf_b);
	n->nat = nat;
	h_up(n, 0);
	h_run(n, 1100);
	h_up(n, 1);
	h_run(n, 3000);
	return n;
}

static struct h_net *up_net(void)
{
	struct h_net *n = net_with("192.0.2.1", "198.51.100.2", false, NULL);

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

static void assert_one_pair(struct h_net *n)
{
	for (int i = 0; i < 2; i++) {
		assert_int_equal(h_ready(&n->node[i]), 1);
		assert_int_equal(h_sa_count(&n->node[i], IKEVTI_DIR_IN), 1);
		assert_int_equal(h_sa_count(&n->node[i], IKEVTI_DIR_OUT), 1);
	}
	assert_true(h_crosswise(n));
}

static void ipv6_outer(void **state)
{
	struct h_net *n = net_with("2001:db8::1", "2001:db8::2", false, NULL);
	struct ike_sa_status s;

	(void)state;
	assert_one_pair(n);
	assert_int_equal(ike_engine_ike_sas(n->node[0].e, &s, 1), 1);
	assert_string_equal(s.remote_id, "2001:db8::2");
	assert_int_equal(s.path.remote.ss_family, AF_INET6);
	net_free(n);
}

static struct ike_tunnel *tunnel_of(struct h_node *x)
{
	return x->e->tunnels;
}

static void reauth_supersedes_old(void **state)
{
	struct h_net *n = up_net();

	(void)state;
	h_run(n, 60000);
	/* B makes a second IKE SA while the first is up (strongSwan's
	 * make-before-break reauthentication does this). */
	n->node[1].e->now_ms = n->now;
	assert_int_equal(ike_init_start(n->node[1].e,
					tunnel_of(&n->node[1])), 0);
	h_flush(n);
	assert_int_equal(h_ready(&n->node[0]), 2);
	assert_true(h_log_has(&n->node[0], "superseded by the newer IKE SA"));
	h_run(n, 40000);
	assert_one_pair(n);
	assert_int_equal(n->node[0].tx_gaps + n->node[1].tx_gaps, 0);
	net_free(n);
}

static void peer_deletes_child(void **state)
{
	struct h_net *n = up_net();
	struct ike_sa *sa = n->node[0].e->sas;

	(void)state;
	while (sa->state != IKE_ST_ESTABLISHED)
		sa = sa->next;
	sa->task_delete_spi = ike_child_active(sa)->spi_in;
	sa->tasks |= TASK_DELETE_CHILD;
	ike_tasks_run(sa);
	h_flush(n);
	assert_true(h_log_has(&n->node[1], "no child SA left"));
	h_run(n, 10000);
	assert_one_pair(n);
	net_free(n);
}

static uint16_t ready_remote_port(struct h_node *x)
{
	struct ike_sa_status s[4];
	size_t n = ike_engine_ike_sas(x->e, s, 4);

	for (size_t i = 0; i < n && i < 4; i++)
		if (!strcmp(s[i].state, "READY"))
			return ntohs(((struct sockaddr_in *)(void *)
				      &s[i].path.remote)->sin_port);
	return 0;
}

static void nat_new_mapping(void **state)
{
	struct h_net *n = net_with("10.0.0.1", "198.51.100.2", true,
				   "203.0.113.5");
	struct ike_kernel_event_info ev = {
		.type = IKE_KEV_NEW_MAPPING, .ifindex = 20,
		.remote_port = 45555,
	};

	(void)state;
	assert_one_pair(n);
	ev.remote = n->node[1].tinfo.remote;
	ike_engine_kernel_event(n->node[1].e, &ev, n->now);
	assert_int_equal(ready_remote_port(&n->node[1]), 45555);
	assert_true(h_log_has(&n->node[1], "NAT mapping changed"));
	/* A's next message comes from the old mapping: B follows it */
	n->nat_base = 40500;
	{
		struct ike_sa *sa = n->node[0].e->sas;

		while (sa->state != IKE_ST_ESTABLISHED)
			sa = sa->next;
		sa->tasks |= TASK_DPD;
		ike_tasks_run(sa);
	}
	h_flush(n);
	assert_int_equal(ready_remote_port(&n->node[1]), 44500);
	assert_true(h_log_has(&n->node[1], "peer moved"));
	net_free(n);
}

static void acquire_initiates_now(void **state)
{
	struct h_conf a = { .local = "192.0.2.1", .remote = "198.51.100.2" };
	struct h_conf b = { .local = "198.51.100.2", .remote = "192.0.2.1" };
	struct h_net *n = calloc(1, sizeof(*n));
	struct ike_kernel_event_info ev = { .type = IKE_KEV_ACQUIRE,
					    .ifindex = 10 };

	(void)state;
	h_conf_build(&a, conf_a, sizeof(conf_a));
	h_conf_build(&b, conf_b, sizeof(conf_b));
	h_init(n, conf_a, conf_b);
	h_up(n, 1);
	h_run(n, 5000);		/* B fails to reach A: backing off */
	h_up(n, 0);
	ike_engine_kernel_event(n->node[0].e, &ev, n->now);
	assert_int_equal(n->node[0].sent, 1);
	h_flush(n);
	assert_int_equal(h_ready(&n->node[0]), 1);
	h_run(n, 60000);
	assert_one_pair(n);
	net_free(n);
}

static void acquire_respects_backoff(void **state)
{
	struct h_conf a = { .local = "192.0.2.1", .remote = "198.51.100.2" };
	struct h_conf b = { .local = "198.51.100.2", .remote = "192.0.2.1" };
	struct h_net *n = calloc(1, sizeof(*n));
	struct ike_kernel_event_info ev = { .type = IKE_KEV_ACQUIRE,
					    .ifindex = 10 };
	unsigned int sent;

	(void)state;
	h_conf_build(&a, conf_a, sizeof(conf_a));
	h_conf_build(&b, conf_b, sizeof(conf_b));
	h_init(n, conf_a, conf_b);
	h_up(n, 0);
	/* B has no device: A's attempt fails and A backs off. */
	for (int ms = 0; ms < 60000 && !n->node[0].e->tunnels->backoff_ms;
	     ms += 100)
		h_run(n, 100);
	assert_true(n->node[0].e->tunnels->backoff_ms > 0);
	sent = n->node[0].sent;
	/* The back-off is at least 2 s: traffic inside it starts nothing. */
	for (int i = 0; i < 3; i++) {
		ike_engine_kernel_event(n->node[0].e, &ev, n->now);
		h_run(n, 300);
	}
	assert_int_equal(n->node[0].sent, sent);
	h_up(n, 1);
	h_run(n, 120000);
	assert_one_pair(n);
	net_free(n);
}

static void repeated_device_reports(void **state)
{
	struct h_net *n = up_net();
	unsigned int sent = n->node[0].sent;

	(void)state;
	for (int i = 0; i < 50; i++) {
		h_up(n, 0);
		h_run(n, 100);
	}
	assert_int_equal(n->node[0].sent, sent);
	assert_one_pair(n);
	net_free(n);
}

static void shutdown_removes_everything(void **state)
{
	struct h_net *n = up_net();

	(void)state;
	ike_engine_shutdown(n->node[0].e, n->now);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_IN), 0);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 0);
	h_flush(n);		/* only A's Delete reaches B */
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_OUT), 0);
	assert_true(h_log_has(&n->node[1], "peer sent Delete"));
	net_free(n);
}

static void tunnel_gone(void **state)
{
	struct h_net *n = up_net();

	(void)state;
	ike_engine_tunnel_gone(n->node[0].e, 10, n->now);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_IN), 0);
	assert_int_equal(ike_engine_next_timer(n->node[0].e), UINT64_MAX);
	net_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv6_outer),
		cmocka_unit_test(reauth_supersedes_old),
		cmocka_unit_test(peer_deletes_child),
		cmocka_unit_test(nat_new_mapping),
		cmocka_unit_test(acquire_initiates_now),
		cmocka_unit_test(acquire_respects_backoff),
		cmocka_unit_test(repeated_device_reports),
		cmocka_unit_test(shutdown_removes_everything),
		cmocka_unit_test(tunnel_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
