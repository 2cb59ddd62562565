// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv2 engine, two instances wired in memory (engine_harness.h):
 * establishment with PSK, RSA and ECDSA certificates (RFC 7427 and the
 * classic methods), failures (wrong PSK, no common proposal), INVALID_KE
 * retry, cookies, loss and retransmission, duplicate requests,
 * fragmentation, NAT-T, deletes, DPD, reload, crosswise key checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "certgen.h"
#include "engine_harness.h"
#include "engine_test.h"
#include "ikev2/ikev2_const.h"

#define A_IP "192.0.2.1"
#define B_IP "198.51.100.2"

static char conf_a[8192], conf_b[8192];

static void psk_confs(const struct h_conf *extra_a,
		      const struct h_conf *extra_b)
{
	struct h_conf a = extra_a ? *extra_a : (struct h_conf){ 0 };
	struct h_conf b = extra_b ? *extra_b : (struct h_conf){ 0 };

	a.local = A_IP;
	a.remote = B_IP;
	b.local = B_IP;
	b.remote = A_IP;
	h_conf_build(&a, conf_a, sizeof(conf_a));
	h_conf_build(&b, conf_b, sizeof(conf_b));
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

/* Bring A up alone first so that A initiates; then B. */
static void up_a_then_b(struct h_net *n)
{
	h_up(n, 0);
	h_run(n, 1100);
	h_up(n, 1);
}

static void assert_up(struct h_net *n)
{
	if (h_ready(&n->node[0]) != 1 || h_ready(&n->node[1]) != 1 ||
	    !h_crosswise(n)) {
		h_dump_log(&n->node[0]);
		h_dump_log(&n->node[1]);
	}
	assert_int_equal(h_ready(&n->node[0]), 1);
	assert_int_equal(h_ready(&n->node[1]), 1);
	assert_true(h_crosswise(n));
	assert_int_equal(n->node[0].bad_order, 0);
	assert_int_equal(n->node[1].bad_order, 0);
}

/* ---- PSK ---- */

static void psk_establish(void **state)
{
	struct h_net *n;

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_IN), 1);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 1);
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_IN), 1);
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_OUT), 1);
	/* install order on the initiator: alloc, in, out, tx */
	{
		struct h_node *a = &n->node[0];
		size_t i = 0;

		while (i < a->n_ops && a->ops[i].kind != H_OP_ALLOC)
			i++;
		assert_true(i + 3 < a->n_ops);
		assert_int_equal(a->ops[i + 1].kind, H_OP_ADD);
		assert_int_equal(a->ops[i + 1].dir, IKEVTI_DIR_IN);
		assert_int_equal(a->ops[i + 2].kind, H_OP_ADD);
		assert_int_equal(a->ops[i + 2].dir, IKEVTI_DIR_OUT);
		assert_int_equal(a->ops[i + 3].kind, H_OP_TX);
	}
	assert_true(h_log_has(&n->node[0], "ikevti1: IKEv2:(SA ID = "));
	assert_true(h_log_has(&n->node[1], "SA has been authenticated"));
	net_free(n);
}

static void psk_cbc_sha(void **state)
{
	struct h_conf c = {
		.ike_proposal = " encryption aes-cbc-128\n integrity sha256\n"
				" group 14",
		.transform = "esp-aes 128 esp-sha256-hmac",
	};
	struct h_net *n;
	struct h_sa *s;

	(void)state;
	psk_confs(&c, &c);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 3000);
	assert_up(n);
	s = h_find_sa(&n->node[0], IKEVTI_DIR_OUT, n->node[0].tx_spi);
	assert_int_equal(s->cfg.enc, IKEVTI_ENC_AES_CBC);
	assert_int_equal(s->cfg.enc_key_len, 16);
	assert_int_equal(s->cfg.integ, IKEVTI_INTEG_HMAC_SHA256_128);
	assert_int_equal(s->cfg.auth_key_len, 32);
	assert_int_equal(s->cfg.salt_len, 0);
	net_free(n);
}

static void gcm_salt_and_lifetimes(void **state)
{
	struct h_conf c = { .child_kb = "4000", .extra_profile = NULL };
	struct h_net *n;
	struct h_sa *s;

	(void)state;
	psk_confs(&c, &c);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	s = h_find_sa(&n->node[1], IKEVTI_DIR_IN, n->node[0].tx_spi);
	assert_non_null(s);
	assert_int_equal(s->cfg.enc, IKEVTI_ENC_AES_GCM_16);
	assert_int_equal(s->cfg.enc_key_len, 32);
	assert_int_equal(s->cfg.salt_len, 4);
	assert_int_equal(s->cfg.hard_bytes, 4000 * 1024);
	assert_true(s->cfg.soft_bytes >= 4000 * 1024 / 100 * 85);
	assert_true(s->cfg.soft_bytes < 4000 * 1024);
	assert_true(s->cfg.has_replay_window);
	assert_int_equal(s->cfg.replay_window, 64);
	assert_false(s->cfg.has_encap);
	net_free(n);
}

static void wrong_psk(void **state)
{
	struct h_conf a = { .psk_local = "one", .psk_remote = "one" };
	struct h_conf b = { .psk_local = "two", .psk_remote = "two" };
	struct h_net *n;

	(void)state;
	psk_confs(&a, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 1500);
	assert_int_equal(h_ready(&n->node[0]), 0);
	assert_int_equal(h_ready(&n->node[1]), 0);
	assert_true(h_log_has(&n->node[1], "AUTHENTICATION_FAILED: "
			      "pre-shared key AUTH does not verify"));
	assert_true(h_log_has(&n->node[0], "peer answered "
			      "AUTHENTICATION_FAILED"));
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 0);
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_OUT), 0);
	net_free(n);
}

static void proposal_mismatch(void **state)
{
	struct h_conf a = { .ike_proposal = " encryption aes-cbc-256\n"
			    " integrity sha512\n group 20" };
	struct h_conf b = { .ike_proposal = " encryption aes-cbc-128\n"
			    " integrity sha256\n group 14" };
	struct h_net *n;

	(void)state;
	psk_confs(&a, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 1500);
	assert_int_equal(h_ready(&n->node[0]), 0);
	assert_true(h_log_has(&n->node[1], "IKE_SA_INIT: no proposal chosen"));
	assert_true(h_log_has(&n->node[0], "NO_PROPOSAL_CHOSEN"));
	net_free(n);
}

static void esp_proposal_mismatch(void **state)
{
	struct h_conf a = { .transform = "esp-aes 256 esp-sha256-hmac" };
	struct h_conf b = { .transform = "esp-gcm 128" };
	struct h_net *n;

	(void)state;
	psk_confs(&a, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 1500);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 0);
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_OUT), 0);
	assert_true(h_log_has(&n->node[1], "child SA: no proposal chosen"));
	assert_true(h_log_has(&n->node[0], "child SA refused by the peer: "
			      "NO_PROPOSAL_CHOSEN"));
	net_free(n);
}

static void invalid_ke_retry(void **state)
{
	/* A sends KE for 19 first; B only accepts 14. */
	struct h_conf a = { .ike_proposal = " encryption aes-cbc-256\n"
			    " integrity sha256\n group 19 14" };
	struct h_conf b = { .ike_proposal = " encryption aes-cbc-256\n"
			    " integrity sha256\n group 14" };
	struct h_net *n;

	(void)state;
	psk_confs(&a, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 3000);
	assert_up(n);
	assert_true(h_log_has(&n->node[0], "INVALID_KE_PAYLOAD: responder "
			      "wants DH group 14 instead of 19"));
	net_free(n);
}

/* ---- certificates ---- */

static char cert_dir[64];

static void write_certs(bool ec, bool chain)
{
	EVP_PKEY *cak = ec ? tg_ec("P-256") : tg_rsa();
	EVP_PKEY *ak = ec ? tg_ec("P-256") : tg_rsa();
	EVP_PKEY *bk = ec ? tg_ec("P-384") : tg_rsa();
	X509 *root = tg_cert("Root", "Example", cak, NULL, NULL, 0,
			     365 * TG_DAY, true, NULL);
	X509 *ca = root;
	EVP_PKEY *sub = NULL;
	X509 *ac, *bc;
	char p[128];

	snprintf(cert_dir, sizeof(cert_dir), "/tmp/ikevti-engine-XXXXXX");
	assert_non_null(mkdtemp(cert_dir));
	if (chain) {
		/* A subordinate CA is the trustpoint: CERT carries it too */
		sub = ec ? tg_ec("P-256") : tg_rsa();
		ca = tg_cert("Sub", "Example", sub, root, cak, 0,
			     365 * TG_DAY, true, NULL);
	}
	ac = tg_cert("gw-a", "Example", ak, ca, sub ? sub : cak, 0,
		     365 * TG_DAY, false, "IP:" A_IP);
	bc = tg_cert("gw-b", "Example", bk, ca, sub ? sub : cak, 0,
		     365 * TG_DAY, false, "IP:" B_IP);
	snprintf(p, sizeof(p), "%s/ca.pem", cert_dir);
	assert_true(tg_write_cert(p, ca));
	snprintf(p, sizeof(p), "%s/a.pem", cert_dir);
	assert_true(tg_write_cert(p, ac));
	snprintf(p, sizeof(p), "%s/a.key", cert_dir);
	assert_true(tg_write_key(p, ak));
	snprintf(p, sizeof(p), "%s/b.pem", cert_dir);
	assert_true(tg_write_cert(p, bc));
	snprintf(p, sizeof(p), "%s/b.key", cert_dir);
	assert_true(tg_write_key(p, bk));
	if (ca != root)
		X509_free(ca);
	X509_free(root);
	X509_free(ac);
	X509_free(bc);
	EVP_PKEY_free(cak);
	EVP_PKEY_free(ak);
	EVP_PKEY_free(bk);
	EVP_PKEY_free(sub);
}

static void remove_certs(void)
{
	static const char *f[] = { "ca.pem", "a.pem", "a.key", "b.pem",
				   "b.key" };
	char p[128];

	for (size_t i = 0; i < 5; i++) {
		snprintf(p, sizeof(p), "%s/%s", cert_dir, f[i]);
		unlink(p);
	}
	rmdir(cert_dir);
}

static struct h_net *cert_net(const char *method, bool ec, bool chain)
{
	struct h_conf a = { .auth_local = method, .auth_remote = method,
			    .tp_dir = cert_dir, .tp_me = "a" };
	struct h_conf b = a;

	write_certs(ec, chain);
	b.tp_me = "b";
	psk_confs(&a, &b);
	return net_new();
}

static void rsa_certs(void **state)
{
	struct h_net *n = cert_net("rsa-sig", false, false);

	(void)state;
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	assert_true(h_log_has(&n->node[0], "Choosing trustpoint TP as issuer"));
	assert_true(h_log_has(&n->node[1], "peer certificate validated"));
	assert_true(h_log_has(&n->node[0], "signature method 14"));
	net_free(n);
	remove_certs();
}

static void ecdsa_certs_7427(void **state)
{
	struct h_net *n = cert_net("ecdsa-sig", true, false);

	(void)state;
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	assert_true(h_log_has(&n->node[1], "signature method 14 (RFC 7427)"));
	net_free(n);
	remove_certs();
}

static void ecdsa_certs_classic(void **state)
{
	struct h_net *n = cert_net("ecdsa-sig", true, false);

	(void)state;
	ike_test_no_sighash(n->node[0].e, true);
	ike_test_no_sighash(n->node[1].e, true);
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	/* P-256 key of A signs with method 9, P-384 of B with 10 */
	assert_true(h_log_has(&n->node[0], "signature method 9"));
	assert_true(h_log_has(&n->node[1], "signature method 10"));
	net_free(n);
	remove_certs();
}

static void rsa_classic(void **state)
{
	struct h_net *n = cert_net("rsa-sig", false, false);

	(void)state;
	ike_test_no_sighash(n->node[0].e, true);
	ike_test_no_sighash(n->node[1].e, true);
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	assert_true(h_log_has(&n->node[0], "signature method 1"));
	net_free(n);
	remove_certs();
}

/* strongSwan's default with certificates: the ID is the certificate's
 * subject DN. "match identity remote address 0.0.0.0" does not select
 * such a peer (it matches address IDs only); "match identity remote any"
 * does, and the DN must still be the certificate's subject. */
static struct h_net *dn_net(const char *b_match)
{
	struct h_conf a = { .auth_local = "rsa-sig", .auth_remote = "rsa-sig",
			    .tp_dir = cert_dir, .tp_me = "a",
			    .extra_profile = " identity local dn",
			    .match_remote = " match identity remote any" };
	struct h_conf b = a;

	write_certs(false, false);
	b.tp_me = "b";
	b.match_remote = b_match;
	psk_confs(&a, &b);
	return net_new();
}

static void dn_identity_match_any(void **state)
{
	struct h_net *n = dn_net(" match identity remote any");

	(void)state;
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	assert_true(h_log_has(&n->node[1], "peer CN=gw-a,O=Example matches "
			      "PROF profile"));
	assert_true(h_log_has(&n->node[0], "peer CN=gw-b,O=Example matches "
			      "PROF profile"));
	net_free(n);
	remove_certs();
}

static void dn_identity_needs_match_any(void **state)
{
	struct h_net *n = dn_net(NULL);

	(void)state;
	up_a_then_b(n);
	h_run(n, 1500);
	assert_int_equal(h_ready(&n->node[1]), 0);
	assert_true(h_log_has(&n->node[1], "AUTHENTICATION_FAILED: peer "
			      "CN=gw-a,O=Example matches *none* of the "
			      "profiles"));
	net_free(n);
	remove_certs();
}

static void cert_wrong_method(void **state)
{
	/* B expects ECDSA, A signs with RSA. */
	struct h_conf a = { .auth_local = "rsa-sig", .auth_remote = "rsa-sig",
			    .tp_dir = cert_dir, .tp_me = "a" };
	struct h_conf b = { .auth_local = "rsa-sig",
			    .auth_remote = "ecdsa-sig",
			    .tp_dir = cert_dir, .tp_me = "b" };
	struct h_net *n;

	(void)state;
	write_certs(false, false);
	psk_confs(&a, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 1500);
	assert_int_equal(h_ready(&n->node[1]), 0);
	assert_true(h_log_has(&n->node[1], "AUTHENTICATION_FAILED: peer "
			      "authenticated with rsa-sig"));
	net_free(n);
	remove_certs();
}

static void cert_unknown_ca(void **state)
{
	char dir_a[64];
	struct h_conf a = { .auth_local = "rsa-sig", .auth_remote = "rsa-sig",
			    .tp_me = "a" };
	struct h_conf b = { .auth_local = "rsa-sig", .auth_remote = "rsa-sig",
			    .tp_me = "b" };
	struct h_net *n;

	(void)state;
	/* two independent CAs: each side trusts only its own */
	write_certs(false, false);
	snprintf(dir_a, sizeof(dir_a), "%s", cert_dir);
	write_certs(false, false);
	a.tp_dir = dir_a;
	b.tp_dir = cert_dir;
	psk_confs(&a, &b);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 1500);
	assert_int_equal(h_ready(&n->node[1]), 0);
	assert_true(h_log_has(&n->node[1], "AUTHENTICATION_FAILED: "));
	/* both roots are "CN=Root,O=Example": OpenSSL finds the issuer by
	 * name, then the signature fails */
	assert_true(h_log_has(&n->node[1], "AUTHENTICATION_FAILED: certificate "
			      "'CN=gw-a,O=Example'"));
	assert_true(h_log_has(&n->node[0], "no CERT_REQ names a CA"));
	net_free(n);
	remove_certs();
	snprintf(cert_dir, sizeof(cert_dir), "%s", dir_a);
	remove_certs();
}

static void fragmentation_chain(void **state)
{
	struct h_net *n = cert_net("rsa-sig", false, true);
	size_t na = 0;

	(void)state;
	ike_engine_set_frag_max(n->node[0].e, 300, 300);
	ike_engine_set_frag_max(n->node[1].e, 300, 300);
	up_a_then_b(n);
	h_run(n, 3000);
	assert_up(n);
	assert_true(h_log_has(&n->node[0], "fragments of at most 300"));
	assert_true(h_log_has(&n->node[1], "reassembled"));
	assert_true(h_log_has(&n->node[0], "reassembled"));
	for (size_t i = 0; i < n->node[0].n_log; i++)
		na += strstr(n->node[0].log[i], "fragments") != NULL;
	assert_true(na >= 1);
	net_free(n);
	remove_certs();
}

/* ---- loss, duplicates, cookies ---- */

static void loss_retransmit(void **state)
{
	struct h_net *n;

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	h_up(n, 0);
	h_up(n, 1);
	n->drop[0] = 1;		/* the first IKE_SA_INIT of A */
	n->drop[1] = 1;		/* and of B */
	h_run(n, 5000);
	assert_up(n);
	assert_true(h_log_has(&n->node[0], "Retransmitting") ||
		    h_log_has(&n->node[1], "Retransmitting"));
	net_free(n);
}

static bool dup_auth(struct h_net *n, struct h_pkt *p, void *ctx)
{
	int *done = ctx;

	/* Deliver a copy of A's IKE_AUTH request twice. */
	if (!*done && p->from == 0 && p->len > 18 && p->buf[18] == 35 &&
	    !(p->buf[19] & 0x20)) {
		struct ike_path r;

		*done = 1;
		r.local = p->path.remote;
		r.remote = p->path.local;
		ike_engine_input(n->node[1].e, &r, p->buf, p->len, n->now);
	}
	return true;
}

static void duplicate_request(void **state)
{
	struct h_net *n;
	int done = 0;

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	n->hook = dup_auth;
	n->hook_ctx = &done;
	up_a_then_b(n);
	h_run(n, 2000);
	assert_true(done);
	assert_up(n);
	assert_true(h_log_has(&n->node[1], "answering from cache"));
	net_free(n);
}

static void cookies_under_flood(void **state)
{
	struct h_net *n;
	uint8_t buf[2048];

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	h_up(n, 1);
	/* Flood B with half-open SAs: IKE_SA_INITs made by a third engine
	 * would be best; A's own first message, with new SPIs, will do. */
	h_up(n, 0);
	for (int k = 0; k < 12; k++) {
		struct h_pkt *p;

		h_run(n, 0);
		ike_engine_clear(n->node[0].e, 0, n->now);
		ike_engine_initiate(n->node[0].e, 10, n->now);
		/* keep only A's IKE_SA_INIT requests */
		while (n->nq) {
			p = &n->q[0];
			if (p->from == 0 && p->buf[18] == 34 &&
			    !(p->buf[19] & 0x20)) {
				struct ike_path r = { p->path.remote,
						      p->path.local };

				memcpy(buf, p->buf, p->len);
				ike_engine_input(n->node[1].e, &r, buf,
						 p->len, n->now);
			}
			free(p->buf);
			memmove(n->q, n->q + 1, --n->nq * sizeof(*n->q));
		}
	}
	assert_true(h_log_has(&n->node[1], "asking the initiator for a COOKIE"));
	/* A real negotiation still succeeds, with the cookie. */
	ike_engine_clear(n->node[0].e, 0, n->now);
	h_run(n, 8000);
	assert_true(h_log_has(&n->node[0], "responder asks for a COOKIE"));
	assert_int_equal(h_ready(&n->node[0]), 1);
	assert_int_equal(h_ready(&n->node[1]), 1);
	assert_true(h_crosswise(n));
	net_free(n);
}

/* ---- NAT ---- */

static void nat_traversal(void **state)
{
	struct h_conf a = { 0 }, b = { 0 };
	struct h_net *n;
	struct h_sa *s;

	(void)state;
	a.local = "10.0.0.1";
	a.remote = B_IP;
	b.local = B_IP;
	b.remote = "203.0.113.5";
	h_conf_build(&a, conf_a, sizeof(conf_a));
	h_conf_build(&b, conf_b, sizeof(conf_b));
	n = net_new();
	n->nat = true;
	h_up(n, 0);
	h_run(n, 1100);
	h_up(n, 1);
	h_run(n, 3000);
	assert_int_equal(h_ready(&n->node[0]), 1);
	assert_int_equal(h_ready(&n->node[1]), 1);
	assert_true(h_crosswise(n));
	assert_true(h_log_has(&n->node[0], "we are behind a NAT"));
	assert_true(h_log_has(&n->node[1], "the peer is behind a NAT"));
	s = h_find_sa(&n->node[0], IKEVTI_DIR_OUT, n->node[0].tx_spi);
	assert_true(s->cfg.has_encap);
	assert_int_equal(s->cfg.encap_sport, 4500);
	assert_int_equal(s->cfg.encap_dport, 4500);
	assert_int_equal(s->cfg.nat_keepalive, 20);	/* A is behind it */
	s = h_find_sa(&n->node[1], IKEVTI_DIR_OUT, n->node[1].tx_spi);
	assert_true(s->cfg.has_encap);
	assert_int_equal(s->cfg.encap_sport, 4500);
	assert_int_equal(s->cfg.encap_dport, 44500);
	assert_int_equal(s->cfg.nat_keepalive, 0);
	net_free(n);
}

/* ---- delete, DPD, restart ---- */

static void delete_from_initiator(void **state)
{
	struct h_net *n;

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	n->dead[0] = false;
	ike_engine_tunnel_update(n->node[0].e, &(struct ike_tunnel_info){
		.ifindex = 10, .ifname = "ikevti1",
		.local = n->node[0].tinfo.local,
		.remote = n->node[0].tinfo.remote, .up = false }, n->now);
	h_flush(n);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_IN), 0);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 0);
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_IN), 0);
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_OUT), 0);
	assert_true(h_log_has(&n->node[1], "peer sent Delete"));
	net_free(n);
}

static void delete_from_responder_comes_back(void **state)
{
	struct h_net *n;

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	ike_engine_clear(n->node[1].e, 0, n->now);
	h_flush(n);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 0);
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_OUT), 0);
	/* route-based: the tunnel comes back by itself */
	h_run(n, 5000);
	assert_up(n);
	net_free(n);
}

static void dpd_failure_restart(void **state)
{
	struct h_conf c = { .dpd = "10 2 periodic" };
	struct h_net *n;

	(void)state;
	psk_confs(&c, &c);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	n->dead[1] = true;		/* B vanishes */
	h_run(n, 60000);
	assert_true(h_log_has(&n->node[0], "DPD: no response"));
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 0);
	/* B restarts: new engine state, same configuration */
	ike_engine_free(n->node[1].e);
	memset(n->node[1].sas, 0, sizeof(n->node[1].sas));
	n->node[1].tx_spi = 0;
	{
		struct ike_engine_ops ops = *ike_test_ops(n->node[0].e);

		ops.ctx = &n->node[1];
		n->node[1].e = ike_engine_new(&ops, n->node[1].cfg.model,
					      n->node[1].pki);
		ike_engine_set_log_level(n->node[1].e, IKE_LOG_DEBUG);
	}
	n->dead[1] = false;
	h_up(n, 1);
	h_run(n, 70000);
	assert_up(n);
	net_free(n);
}

static void dpd_on_demand_traffic(void **state)
{
	struct h_conf c = { .dpd = "10 2 on-demand" };
	struct h_net *n;
	unsigned int sent;

	(void)state;
	psk_confs(&c, &c);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	h_log_clear(&n->node[0]);
	sent = n->node[0].sent;
	for (int k = 0; k < 5; k++) {
		/* inbound ESP keeps arriving on both sides */
		for (size_t i = 0; i < H_MAX_SA; i++) {
			if (n->node[0].sas[i].used)
				n->node[0].sas[i].packets += 10;
			if (n->node[1].sas[i].used)
				n->node[1].sas[i].packets += 10;
		}
		h_run(n, 10000);
	}
	assert_false(h_log_has(&n->node[0], "DPD: sending"));
	assert_int_equal(n->node[0].sent, sent);
	h_run(n, 25000);	/* now idle: DPD goes out */
	assert_true(h_log_has(&n->node[0], "DPD: sending"));
	assert_up(n);
	net_free(n);
}

static void peer_restart_initial_contact(void **state)
{
	struct h_net *n;

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	/* A restarts without telling B */
	ike_engine_free(n->node[0].e);
	memset(n->node[0].sas, 0, sizeof(n->node[0].sas));
	n->node[0].tx_spi = 0;
	{
		struct ike_engine_ops ops = *ike_test_ops(n->node[1].e);

		ops.ctx = &n->node[0];
		n->node[0].e = ike_engine_new(&ops, n->node[0].cfg.model,
					      n->node[0].pki);
	}
	h_up(n, 0);
	h_run(n, 3000);
	assert_up(n);
	assert_true(h_log_has(&n->node[1], "INITIAL_CONTACT"));
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_IN), 1);
	net_free(n);
}

static void simultaneous_initiation(void **state)
{
	struct h_net *n;

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	/* both initiate in the same millisecond */
	ike_engine_initiate(n->node[0].e, 10, n->now);
	h_up(n, 0);
	h_up(n, 1);
	ike_engine_initiate(n->node[0].e, 10, n->now);
	ike_engine_initiate(n->node[1].e, 20, n->now);
	h_run(n, 40000);
	assert_up(n);
	assert_int_equal(h_sa_count(&n->node[0], IKEVTI_DIR_OUT), 1);
	assert_int_equal(h_sa_count(&n->node[1], IKEVTI_DIR_OUT), 1);
	assert_int_equal(n->node[0].tx_gaps + n->node[1].tx_gaps, 0);
	net_free(n);
}

static void no_tunnel_no_answer(void **state)
{
	struct h_net *n;

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	h_up(n, 0);	/* B's tunnel is not known to B's engine */
	h_run(n, 1200);
	assert_true(h_log_has(&n->node[1], "no tunnel is configured"));
	assert_int_equal(n->node[1].sent, 0);
	net_free(n);
}

static void reload_keeps_unchanged(void **state)
{
	struct h_net *n;
	struct cfg_result r2;
	uint32_t tx;
	char other[9000];

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	tx = n->node[0].tx_spi;
	/* Same tunnel, an unrelated addition elsewhere in the file. */
	snprintf(other, sizeof(other), "crypto ikev2 proposal UNUSED\n"
		 " encryption aes-cbc-128\n integrity sha1\n group 14\n%s",
		 conf_a);
	assert_int_equal(cfg_parse_buffer("A2", other, strlen(other), &r2), 0);
	ike_engine_reload(n->node[0].e, r2.model, n->node[0].pki, n->now);
	cfg_result_free(&n->node[0].cfg);
	n->node[0].cfg = r2;
	h_run(n, 1000);
	assert_int_equal(n->node[0].tx_spi, tx);
	assert_true(h_log_has(&n->node[0], "unchanged, SAs kept"));
	/* A changed ikev2 profile renegotiates. */
	{
		char *p = strstr(conf_a, "keyring local KR\n");
		size_t at = (size_t)(p - conf_a) + 17;

		snprintf(other, sizeof(other), "%.*s lifetime 3600\n%s",
			 (int)at, conf_a, conf_a + at);
	}
	assert_int_equal(cfg_parse_buffer("A3", other, strlen(other), &r2), 0);
	ike_engine_reload(n->node[0].e, r2.model, n->node[0].pki, n->now);
	cfg_result_free(&n->node[0].cfg);
	n->node[0].cfg = r2;
	h_run(n, 5000);
	assert_true(h_log_has(&n->node[0], "configuration changed"));
	assert_int_equal(h_ready(&n->node[0]), 1);
	assert_true(h_crosswise(n));
	assert_int_not_equal(n->node[0].tx_spi, tx);
	net_free(n);
}

static void show_status(void **state)
{
	struct h_net *n;
	struct ike_sa_status s[4];
	struct ike_child_status c[4];

	(void)state;
	psk_confs(NULL, NULL);
	n = net_new();
	up_a_then_b(n);
	h_run(n, 2000);
	assert_up(n);
	assert_int_equal(ike_engine_ike_sas(n->node[0].e, s, 4), 1);
	assert_string_equal(s[0].state, "READY");
	assert_string_equal(s[0].profile, "PROF");
	assert_string_equal(s[0].remote_id, B_IP);
	{
		struct ike_sa_status sb;

		assert_int_equal(ike_engine_ike_sas(n->node[1].e, &sb, 1), 1);
		assert_true(s[0].initiator != sb.initiator);
		assert_true(s[0].spi_i == sb.spi_i && s[0].spi_r == sb.spi_r);
	}
	assert_int_equal(s[0].n_children, 1);
	assert_int_equal(ike_engine_child_sas(n->node[1].e, c, 4), 1);
	assert_string_equal(c[0].state, "ACTIVE");
	assert_int_equal(c[0].spi_out, n->node[1].tx_spi);
	net_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(psk_establish),
		cmocka_unit_test(psk_cbc_sha),
		cmocka_unit_test(gcm_salt_and_lifetimes),
		cmocka_unit_test(wrong_psk),
		cmocka_unit_test(proposal_mismatch),
		cmocka_unit_test(esp_proposal_mismatch),
		cmocka_unit_test(invalid_ke_retry),
		cmocka_unit_test(rsa_certs),
		cmocka_unit_test(rsa_classic),
		cmocka_unit_test(dn_identity_match_any),
		cmocka_unit_test(dn_identity_needs_match_any),
		cmocka_unit_test(ecdsa_certs_7427),
		cmocka_unit_test(ecdsa_certs_classic),
		cmocka_unit_test(cert_wrong_method),
		cmocka_unit_test(cert_unknown_ca),
		cmocka_unit_test(fragmentation_chain),
		cmocka_unit_test(loss_retransmit),
		cmocka_unit_test(duplicate_request),
		cmocka_unit_test(cookies_under_flood),
		cmocka_unit_test(nat_traversal),
		cmocka_unit_test(delete_from_initiator),
		cmocka_unit_test(delete_from_responder_comes_back),
		cmocka_unit_test(dpd_failure_restart),
		cmocka_unit_test(dpd_on_demand_traffic),
		cmocka_unit_test(peer_restart_initial_contact),
		cmocka_unit_test(simultaneous_initiation),
		cmocka_unit_test(no_tunnel_no_answer),
		cmocka_unit_test(reload_keeps_unchanged),
		cmocka_unit_test(show_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
