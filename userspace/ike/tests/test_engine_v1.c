// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 between two engines in memory (engine_harness.c): Main Mode and
 * Aggressive Mode with pre-shared keys, Main Mode with RSA certificates,
 * Quick Mode with and without PFS, NAT-T, loss, duplicates, rekeys of
 * both phases without losing the tunnel, Delete both ways, DPD, wrong
 * keys and refused proposals, all in IOS configuration syntax.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "certgen.h"
#include "engine_harness.h"
#include "engine_test.h"

#define A_IP "192.0.2.1"
#define B_IP "198.51.100.2"

static char conf_a[8192], conf_b[8192];

struct v1_conf {
	const char *policy;		/* lines after "crypto isakmp policy 10" */
	const char *key;		/* NULL: "secret" */
	const char *transform;		/* NULL: esp-aes 256 esp-sha256-hmac */
	const char *ipsec_extra;	/* more ipsec profile lines */
	const char *global;		/* more global lines */
	const char *profile;		/* an isakmp profile block, or NULL */
};

static void v1_build(const struct v1_conf *c, const char *local,
		     const char *remote, char *out, size_t size)
{
	snprintf(out, size,
		 "crypto isakmp policy 10\n%s\n"
		 "crypto isakmp key %s address %s\n"
		 "%s\n%s\n"
		 "crypto ipsec transform-set TS %s\n"
		 " mode tunnel\n"
		 "crypto ipsec profile IPP\n"
		 " set transform-set TS\n%s%s\n"
		 "interface Tunnel1\n"
		 " tunnel source %s\n tunnel destination %s\n"
		 " tunnel mode ipsec ipv4\n"
		 " tunnel protection ipsec profile IPP\n",
		 c->policy ? c->policy :
		 " encr aes 256\n hash sha256\n authentication pre-share\n"
		 " group 14",
		 c->key ? c->key : "secret", remote,
		 c->global ? c->global : "", c->profile ? c->profile : "",
		 c->transform ? c->transform : "esp-aes 256 esp-sha256-hmac",
		 c->profile ? " set isakmp-profile PROF\n" : "",
		 c->ipsec_extra ? c->ipsec_extra : "", local, remote);
}

static void confs(const struct v1_conf *a, const struct v1_conf *b)
{
	static const struct v1_conf none;

	v1_build(a ? a : &none, A_IP, B_IP, conf_a, sizeof(conf_a));
	v1_build(b ? b : &none, B_IP, A_IP, conf_b, sizeof(conf_b));
}

static struct h_net *net_new(void)
{
	struct h_net *n = calloc(1, sizeof(*n));

	h_init(n, conf_a, conf_b);
	return n;
}

static void net_free(struct h_net *n)
{
	h_free(n);
	free(n);
}

static void up_a_then_b(struct h_net *n)
{
	h_up(n, 0);
	h_run(n, 1100);
	h_up(n, 1);
}

static void dump(struct h_net *n)
{
	h_dump_log(&n->node[0]);
	h_dump_log(&n->node[1]);
	for (int i = 0; i < 2; i++) {
		fprintf(stderr, "node %d tx %08x:", i, n->node[i].tx_spi);
		for (size_t k = 0; k < H_MAX_SA; k++)
			if (n->node[i].sas[k].used)
				fprintf(stderr, " %s %08x (key %02x)",
					n->node[i].sas[k].cfg.dir ==
					IKEVTI_DIR_IN ? "in" : "out",
					n->node[i].sas[k].cfg.spi,
					n->node[i].sas[k].cfg.enc_key[0]);
		fprintf(stderr, "\n");
	}
}

static void assert_up(struct h_net *n)
{
	if (h_ready(&n->node[0]) != 1 || h_ready(&n->node[1]) != 1 ||
	    !h_crosswise(n) || !n->node[0].tx_spi || !n->node[1].tx_spi)
		dump(n);
	assert_int_equal(h_ready(&n->node[0]), 1);
	assert_int_equal(h_ready(&n->node[1]), 1);
	assert_true(h_crosswise(n));
	assert_int_equal(n->node[0].bad_order, 0);
	assert_int_equal(n->node[1].bad_order, 0);
	assert_true(n->node[0].tx_spi != 0);
	assert_true(n->node[1].tx_spi != 0);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 1);
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_OUT), 1);
}

static void version_is_1(struct h_net *n)
{
	assert_true(h_log_has(&n->node[0], "IKEv1 phase 1 complete"));
	assert_true(h_log_has(&n->node[1], "IKEv1 phase 1 complete"));
}

/* ---- Main Mode, pre-shared key ---- */

static void main_mode_psk(void **state)
{
	struct h_net *n;

	(void)state;
	confs(NULL, NULL);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	assert_up(n);
	version_is_1(n);
	assert_true(h_log_has(&n->node[0], "Old State = IKE_I_MM5 New State "
					   "= IKE_I_MM6"));
	assert_true(h_log_has(&n->node[1], "Old State = IKE_R_MM3 New State "
					   "= IKE_R_MM4"));
	assert_true(h_log_has(&n->node[1], "SA has been authenticated with "
					   A_IP));
	assert_true(h_log_has(&n->node[0], "Quick Mode"));
	net_free(n);
}

/* Both ends start together (no tunnel protection profile: the global
 * policies and keys, as IOS does). */
static void main_mode_both_start(void **state)
{
	struct h_net *n;

	(void)state;
	confs(NULL, NULL);
	n = net_new();
	h_up(n, 0);
	h_up(n, 1);
	h_run(n, 70000);
	assert_true(h_ready(&n->node[0]) >= 1);
	assert_true(h_ready(&n->node[1]) >= 1);
	assert_true(h_crosswise(n));
	net_free(n);
}

static void wrong_key(void **state)
{
	struct v1_conf b = { .key = "other" };
	struct h_net *n;

	(void)state;
	confs(NULL, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	assert_int_equal(h_ready(&n->node[0]), 0);
	assert_int_equal(h_ready(&n->node[1]), 0);
	assert_true(h_log_has(&n->node[1], "HASH_I does not match") ||
		    h_log_has(&n->node[1], "mismatched pre-shared key"));
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 0);
	net_free(n);
}

static void no_proposal_chosen(void **state)
{
	struct v1_conf b = { .policy = " encr aes 128\n hash sha\n"
				       " authentication pre-share\n group 14" };
	struct h_net *n;

	(void)state;
	confs(NULL, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 3000);
	assert_int_equal(h_ready(&n->node[0]), 0);
	assert_true(h_log_has(&n->node[1], "atts are not acceptable"));
	assert_true(h_log_has(&n->node[1], "failed"));
	net_free(n);
}

/* The responder takes the first of its policies that the offer has. */
static void policy_order(void **state)
{
	struct v1_conf a = { .policy = " encr aes 128\n hash sha\n"
				       " authentication pre-share\n group 14\n"
				       "crypto isakmp policy 20\n"
				       " encr aes 256\n hash sha256\n"
				       " authentication pre-share\n"
				       " group 19" };
	struct v1_conf b = { .policy = " encr aes 256\n hash sha256\n"
				       " authentication pre-share\n group 19\n"
				       "crypto isakmp policy 20\n"
				       " encr aes 128\n hash sha\n"
				       " authentication pre-share\n"
				       " group 14" };
	struct ike_sa_status s[2];
	struct h_net *n;

	(void)state;
	confs(&a, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	assert_up(n);
	assert_int_equal(ike_engine_ike_sas(n->node[0].e, s, 2), 1);
	/* As responder to A, B took its own policy 10 (AES-256, SHA-256,
	 * group 19) though A offered it second. */
	assert_true(h_log_has(&n->node[1], "atts are acceptable (policy 1): "
					   "encr 12/256 hash 5 auth pre-share "
					   "group 19"));
	net_free(n);
}

static void pfs_and_3des_md5(void **state)
{
	struct v1_conf c = { .policy = " encr 3des\n hash md5\n"
				       " authentication pre-share\n group 5",
			     .transform = "esp-3des esp-md5-hmac",
			     .ipsec_extra = " set pfs group14\n" };
	struct ike_child_status cs[2];
	struct h_net *n;

	(void)state;
	confs(&c, &c);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	assert_up(n);
	assert_true(h_log_has(&n->node[0], "legacy algorithms agreed"));
	assert_int_equal(ike_engine_child_sas(n->node[0].e, cs, 2), 1);
	assert_int_equal(cs[0].pfs_group, 14);
	net_free(n);
}

static void gcm_transform(void **state)
{
	struct v1_conf c = { .transform = "esp-gcm 128" };
	struct h_net *n;

	(void)state;
	confs(&c, &c);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	assert_up(n);
	net_free(n);
}

/* The responder's isakmp profile does not match the initiator's ID. */
static void profile_no_match(void **state)
{
	struct v1_conf a = { .profile = "crypto isakmp profile PROF\n"
					" match identity address 203.0.113.9 "
					"255.255.255.255\n" };
	struct h_net *n;

	(void)state;
	confs(&a, NULL);
	n = net_new();
	ike_test_passive(n->node[0].e, true);
	h_up(n, 0);
	h_up(n, 1);
	h_run(n, 5000);
	assert_int_equal(h_ready(&n->node[0]), 0);
	assert_true(h_log_has(&n->node[0], "matches *none* of the profiles"));
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 0);
	net_free(n);
}

/* ---- Aggressive Mode ---- */

static void aggressive_psk(void **state)
{
	struct v1_conf a = { .profile = "crypto isakmp profile PROF\n"
					" match identity address " B_IP "\n"
					" initiate mode aggressive\n" };
	struct v1_conf b = { .profile = "crypto isakmp profile PROF\n"
					" match identity address " A_IP "\n" };
	struct h_net *n;

	(void)state;
	confs(&a, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	assert_up(n);
	assert_true(h_log_has(&n->node[0], "Aggressive Mode"));
	assert_true(h_log_has(&n->node[1], "Old State = IKE_R_AM1 New State "
					   "= IKE_R_AM2"));
	net_free(n);
}

static void aggressive_refused(void **state)
{
	struct v1_conf a = { .profile = "crypto isakmp profile PROF\n"
					" match identity address " B_IP "\n"
					" initiate mode aggressive\n" };
	struct v1_conf b = { .global = "crypto isakmp aggressive-mode "
				       "disable\n" };
	struct h_net *n;

	(void)state;
	confs(&a, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 3000);
	assert_true(h_log_has(&n->node[1], "aggressive-mode disable"));
	assert_false(h_log_has(&n->node[0], "IKEv1 phase 1 complete "
					    "(Aggressive"));
	net_free(n);
}

/* ---- certificates (cisco-semantics.md, the seeds' IKEv1 case) ---- */

static char pki_dir[64];

/* Two CAs; each gateway enrolled in both. first_ca: the trustpoint R1
 * enrolled in first (its other certificate is newer, so it comes first
 * in R1's certificate store). */
static void write_pki(int first_ca)
{
	EVP_PKEY *ck[2] = { tg_rsa(), tg_rsa() };
	EVP_PKEY *k[2] = { tg_rsa(), tg_rsa() };
	static const char *const ip[2] = { "IP:" A_IP, "IP:" B_IP };
	static const char *const who[2] = { "r1", "r2" };
	char p[160];

	snprintf(pki_dir, sizeof(pki_dir), "/tmp/ikevti-v1pki-XXXXXX");
	assert_non_null(mkdtemp(pki_dir));
	for (int c = 0; c < 2; c++) {
		char cn[16];
		X509 *ca;

		snprintf(cn, sizeof(cn), "IOSCA%d", c + 1);
		ca = tg_cert(cn, "Example", ck[c], NULL, NULL, -1000 + c * 10,
			     365 * TG_DAY, true, NULL);
		snprintf(p, sizeof(p), "%s/ca%d.pem", pki_dir, c + 1);
		assert_true(tg_write_cert(p, ca));
		for (int r = 0; r < 2; r++) {
			/* R1's second enrollment is the newer one. */
			long when = r == 0 && c != first_ca ? 500 : 0;
			X509 *x = tg_cert(who[r], "Example", k[r], ca, ck[c],
					  when, 365 * TG_DAY, false, ip[r]);

			snprintf(p, sizeof(p), "%s/%s-ca%d.pem", pki_dir,
				 who[r], c + 1);
			assert_true(tg_write_cert(p, x));
			X509_free(x);
		}
		X509_free(ca);
	}
	for (int r = 0; r < 2; r++) {
		snprintf(p, sizeof(p), "%s/%s.key", pki_dir, who[r]);
		assert_true(tg_write_key(p, k[r]));
		EVP_PKEY_free(k[r]);
		EVP_PKEY_free(ck[r]);
	}
}

static void remove_pki(void)
{
	static const char *const f[] = {
		"ca1.pem", "ca2.pem", "r1-ca1.pem", "r1-ca2.pem", "r2-ca1.pem",
		"r2-ca2.pem", "r1.key", "r2.key",
	};
	char p[160];

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", pki_dir, f[i]);
		unlink(p);
	}
	rmdir(pki_dir);
}

/* The seeds' routers: both trustpoints; R1's profile says ca trust-point
 * IOSCA1, R2's profile lists none. */
static void cert_confs(void)
{
	static char ga[1024], gb[1024], pa[256], pb[256];
	static const char *const pol = " encr aes 256\n hash sha256\n"
				       " authentication rsa-sig\n group 14";
	struct v1_conf a = { .policy = pol, .global = ga, .profile = pa };
	struct v1_conf b = { .policy = pol, .global = gb, .profile = pb };

	for (int r = 0; r < 2; r++) {
		const char *me = r ? "r2" : "r1";

		snprintf(r ? gb : ga, sizeof(ga),
			 "crypto pki trustpoint IOSCA1\n"
			 " ca-certificate-file %s/ca1.pem\n"
			 " certificate-file %s/%s-ca1.pem\n"
			 " private-key-file %s/%s.key\n"
			 "crypto pki trustpoint IOSCA2\n"
			 " ca-certificate-file %s/ca2.pem\n"
			 " certificate-file %s/%s-ca2.pem\n"
			 " private-key-file %s/%s.key\n",
			 pki_dir, pki_dir, me, pki_dir, me, pki_dir, pki_dir,
			 me, pki_dir, me);
	}
	snprintf(pa, sizeof(pa), "crypto isakmp profile PROF\n"
		 " match identity address %s 255.255.255.255\n"
		 " ca trust-point IOSCA1\n", B_IP);
	snprintf(pb, sizeof(pb), "crypto isakmp profile PROF\n"
		 " match identity address %s 255.255.255.255\n", A_IP);
	confs(&a, &b);
}

static struct h_net *seed_net(int first_ca, int initiator)
{
	struct h_net *n;

	write_pki(first_ca);
	cert_confs();
	n = net_new();
	ike_test_passive(n->node[!initiator].e, true);
	h_up(n, !initiator);
	h_up(n, initiator);
	h_run(n, 5000);
	return n;
}

/* R1 initiates: its CERT_REQ names IOSCA1 only, R2 signs with IOSCA1. */
static void seed_r1_initiates(void **state)
{
	struct h_net *n = seed_net(0, 0);

	(void)state;
	assert_up(n);
	assert_true(h_log_has(&n->node[0], "constructing CERT_REQ for issuer "
					   "CN=IOSCA1"));
	assert_false(h_log_has(&n->node[0], "constructing CERT_REQ for "
					    "issuer CN=IOSCA2"));
	assert_true(h_log_has(&n->node[1], "Choosing trustpoint IOSCA1 as "
					   "issuer"));
	assert_true(h_log_has(&n->node[0], "CERT validity confirmed"));
	net_free(n);
	remove_pki();
}

/* R2 initiates: R1's MM4 asks for IOSCA2 first (its store order: it
 * enrolled there last), R2 takes that first match and signs with it,
 * and R1 validates against IOSCA1 only: authentication fails, as the
 * seed documents. */
static void seed_r2_initiates_fails(void **state)
{
	struct h_net *n = seed_net(0, 1);

	(void)state;
	assert_int_equal(h_ready(&n->node[0]), 0);
	assert_int_equal(h_ready(&n->node[1]), 0);
	assert_true(h_log_has(&n->node[1], "peer wants cert issued by "
					   "CN=IOSCA2"));
	assert_true(h_log_has(&n->node[1], "Choosing trustpoint IOSCA2 as "
					   "issuer"));
	assert_true(h_log_has(&n->node[0], "peer certificate refused"));
	assert_true(h_log_has(&n->node[0], "IOSCA1"));
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 0);
	net_free(n);
	remove_pki();
}

/* R1 enrolled in the other order: IOSCA1 first in its store, so its
 * MM4 asks for IOSCA1 first and R2 initiating works too. */
static void seed_other_order_works(void **state)
{
	struct h_net *n = seed_net(1, 1);

	(void)state;
	assert_up(n);
	assert_true(h_log_has(&n->node[1], "Choosing trustpoint IOSCA1 as "
					   "issuer"));
	net_free(n);
	remove_pki();
}

/* ---- loss, duplicates ---- */

/* 30 % loss, the same every run (an LCG). */
static bool lossy(struct h_net *n, struct h_pkt *p, void *ctx)
{
	unsigned int *k = ctx;

	(void)n;
	(void)p;
	*k = *k * 1103515245u + 12345u;
	return (*k >> 16) % 10 >= 3;
}

static void loss(void **state)
{
	unsigned int k = 1;
	struct h_net *n;

	(void)state;
	confs(NULL, NULL);
	n = net_new();
	n->hook = lossy;
	n->hook_ctx = &k;
	up_a_then_b(n);
	h_run(n, 40000);
	n->hook = NULL;
	h_run(n, 5000);
	if (!h_ready(&n->node[0]) || !h_crosswise(n))
		dump(n);
	assert_true(h_ready(&n->node[0]) >= 1);
	assert_true(h_ready(&n->node[1]) >= 1);
	assert_true(h_crosswise(n));
	net_free(n);
}

/* ---- NAT ---- */

static void nat_t(void **state)
{
	struct ike_child_status cs[2];
	struct ike_sa_status s[2];
	struct h_net *n;

	(void)state;
	/* A at 10.0.0.1 behind a NAT whose public address B knows. */
	v1_build(&(struct v1_conf){ 0 }, "10.0.0.1", B_IP, conf_a,
		 sizeof(conf_a));
	v1_build(&(struct v1_conf){ 0 }, B_IP, "203.0.113.5", conf_b,
		 sizeof(conf_b));
	n = net_new();
	n->nat = true;
	n->nat_base = 40500;
	up_a_then_b(n);
	h_run(n, 5000);
	assert_up(n);
	assert_int_equal(ike_engine_ike_sas(n->node[0].e, s, 2), 1);
	assert_true(s[0].nat_local);
	assert_int_equal(ike_engine_child_sas(n->node[0].e, cs, 2), 1);
	assert_true(cs[0].encap);
	assert_true(h_log_has(&n->node[0], "moving to UDP port 4500"));
	net_free(n);
}

/* ---- rekeys, deletes, DPD ---- */

static void child_rekey(void **state)
{
	struct h_net *n;
	uint32_t tx0, tx1;

	(void)state;
	confs(NULL, NULL);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	assert_up(n);
	tx0 = n->node[0].tx_spi;
	tx1 = n->node[1].tx_spi;
	assert_int_equal(ike_test_task(n->node[0].e, IKE_TEST_REKEY_CHILD,
				       n->now), 0);
	h_run(n, 10000);
	assert_true(n->node[0].tx_spi != tx0);
	assert_true(n->node[1].tx_spi != tx1);
	assert_int_equal(n->node[0].tx_gaps + n->node[1].tx_gaps, 0);
	assert_true(h_crosswise(n));
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 1);
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_OUT), 1);
	net_free(n);
}

static void ike_rekey(void **state)
{
	struct ike_sa_status s0[3], s1[3];
	struct h_net *n;
	uint64_t old;

	(void)state;
	confs(NULL, NULL);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	/* Past the 30 s in which a second ISAKMP SA counts as a
	 * simultaneous start (settled by nonces) rather than a successor. */
	h_run(n, 35000);
	assert_up(n);
	assert_int_equal(ike_engine_ike_sas(n->node[0].e, s0, 3), 1);
	old = s0[0].spi_i;
	assert_int_equal(ike_test_task(n->node[0].e, IKE_TEST_REKEY_IKE,
				       n->now), 0);
	h_run(n, 40000);
	assert_int_equal(ike_engine_ike_sas(n->node[0].e, s0, 3), 1);
	assert_int_equal(ike_engine_ike_sas(n->node[1].e, s1, 3), 1);
	assert_true(s0[0].spi_i != old);
	assert_true(s0[0].spi_i == s1[0].spi_i);
	assert_int_equal(s0[0].n_children, 1);
	assert_int_equal(s1[0].n_children, 1);
	assert_true(h_crosswise(n));
	assert_int_equal(n->node[0].tx_gaps + n->node[1].tx_gaps, 0);
	net_free(n);
}

static void delete_from_peer(void **state)
{
	struct h_net *n;

	(void)state;
	confs(NULL, NULL);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	assert_up(n);
	ike_engine_clear(n->node[1].e, 0, n->now);
	h_flush(n);
	assert_true(h_log_has(&n->node[0], "peer deleted IPsec SA"));
	/* Both come back. */
	h_run(n, 70000);
	assert_true(h_ready(&n->node[0]) >= 1);
	assert_true(h_crosswise(n));
	net_free(n);
}

static void dpd_dead_peer(void **state)
{
	struct v1_conf c = { .global = "crypto isakmp keepalive 10 2\n" };
	struct h_net *n;

	(void)state;
	confs(&c, &c);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	assert_up(n);
	assert_true(h_log_has(&n->node[0], "DPD"));
	n->dead[1] = true;
	h_run(n, 60000);
	assert_true(h_log_has(&n->node[0], "is dead"));
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 0);
	net_free(n);
}

static void dpd_alive(void **state)
{
	struct v1_conf c = { .global = "crypto isakmp keepalive 10 2 "
				       "periodic\n" };
	struct h_net *n;

	(void)state;
	confs(&c, &c);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 5000);
	h_run(n, 60000);
	assert_up(n);
	assert_true(h_log_has(&n->node[0], "R-U-THERE"));
	assert_true(h_log_has(&n->node[0], "DPD: peer is alive"));
	net_free(n);
}

/* ---- hostile input ---- */

struct recording {
	uint8_t buf[32][2048];
	size_t len[32];
	struct ike_path path[32];
	size_t n;
};

static bool record(struct h_net *n, struct h_pkt *p, void *ctx)
{
	struct recording *r = ctx;

	(void)n;
	if (p->from == 1 && r->n < 32 && p->len <= sizeof(r->buf[0])) {
		memcpy(r->buf[r->n], p->buf, p->len);
		r->len[r->n] = p->len;
		r->path[r->n] = p->path;
		r->n++;
	}
	return true;
}

/* Every message B sent while coming up, rekeying and running DPD,
 * mutated 20000 times (fixed seed) and fed to A, which must neither
 * crash (ASan/UBSan in test-sanitize) nor lose its working SAs. */
static void mutated_messages(void **state)
{
	struct v1_conf c = { .global = "crypto isakmp keepalive 10 2 "
				       "periodic\n" };
	static struct recording r;
	struct ike_path back;
	uint32_t seed = 12345, tx;
	uint8_t m[2048];
	struct h_net *n;

	(void)state;
	memset(&r, 0, sizeof(r));
	confs(&c, &c);
	n = net_new();
	n->hook = record;
	n->hook_ctx = &r;
	up_a_then_b(n);
	h_run(n, 5000);
	assert_int_equal(ike_test_task(n->node[1].e, IKE_TEST_REKEY_CHILD,
				       n->now), 0);
	h_run(n, 30000);
	n->hook = NULL;
	assert_up(n);
	assert_true(r.n > 5);
	tx = n->node[0].tx_spi;
	for (int i = 0; i < 20000; i++) {
		size_t k = i % r.n, len = r.len[k];

		memcpy(m, r.buf[k], len);
		for (int f = 0; f < 1 + i % 4; f++) {
			seed = seed * 1103515245u + 12345u;
			m[(seed >> 8) % len] ^= (uint8_t)(1u << (seed % 8));
		}
		if (i % 7 == 0) {
			seed = seed * 1103515245u + 12345u;
			len = (seed >> 8) % len + 1;	/* truncated */
		}
		/* As it came to A: the addresses the other way round. */
		back.local = r.path[k].remote;
		back.remote = r.path[k].local;
		ike_engine_input(n->node[0].e, &back, m, len, n->now);
	}
	/* Mutated first messages made half-open ISAKMP SAs; they go after
	 * 30 s, the established one stays. */
	h_run(n, 35000);
	assert_up(n);
	assert_int_equal(n->node[0].tx_spi, tx);
	net_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(main_mode_psk),
		cmocka_unit_test(main_mode_both_start),
		cmocka_unit_test(wrong_key),
		cmocka_unit_test(no_proposal_chosen),
		cmocka_unit_test(policy_order),
		cmocka_unit_test(pfs_and_3des_md5),
		cmocka_unit_test(gcm_transform),
		cmocka_unit_test(profile_no_match),
		cmocka_unit_test(aggressive_psk),
		cmocka_unit_test(aggressive_refused),
		cmocka_unit_test(seed_r1_initiates),
		cmocka_unit_test(seed_r2_initiates_fails),
		cmocka_unit_test(seed_other_order_works),
		cmocka_unit_test(loss),
		cmocka_unit_test(nat_t),
		cmocka_unit_test(child_rekey),
		cmocka_unit_test(ike_rekey),
		cmocka_unit_test(delete_from_peer),
		cmocka_unit_test(dpd_dead_peer),
		cmocka_unit_test(dpd_alive),
		cmocka_unit_test(mutated_messages),
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
