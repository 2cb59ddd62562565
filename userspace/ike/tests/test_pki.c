// SPDX-License-Identifier: GPL-2.0
/*
 * pki tests: the store order of cisco-semantics.md, CERTREQ content and
 * the IKEv1/IKEv2 CERT_REQ rules, the documented asymmetric-trustpoint
 * failure, chain validation reasons, ID binding, and loading from the
 * configuration's PEM files. Every certificate is made here at run time
 * (tests/certgen.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/sha.h>

#include "config/config.h"
#include "ikev2/ikev2_const.h"
#include "pki/pki.h"
#include "certgen.h"

/* Keys are slow to make: one set for the whole file. */
static struct {
	EVP_PKEY *ca1_key, *ca2_key;	/* RSA, ECDSA P-256 */
	EVP_PKEY *r1_key, *r2_key;	/* RSA, ECDSA P-256 */
	X509 *ca1, *ca2;		/* IOSCA1 at T0, IOSCA2 at T0+1d */
} K;

static int group_setup(void **state)
{
	(void)state;
	K.ca1_key = tg_rsa();
	K.ca2_key = tg_ec("P-256");
	K.r1_key = tg_rsa();
	K.r2_key = tg_ec("P-256");
	if (!K.ca1_key || !K.ca2_key || !K.r1_key || !K.r2_key)
		return -1;
	K.ca1 = tg_cert("IOSCA1", "Example", K.ca1_key, NULL, NULL, 0,
			3650 * TG_DAY, true, NULL);
	K.ca2 = tg_cert("IOSCA2", "Example", K.ca2_key, NULL, NULL, TG_DAY,
			3650 * TG_DAY, true, NULL);
	return K.ca1 && K.ca2 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	X509_free(K.ca1);
	X509_free(K.ca2);
	EVP_PKEY_free(K.ca1_key);
	EVP_PKEY_free(K.ca2_key);
	EVP_PKEY_free(K.r1_key);
	EVP_PKEY_free(K.r2_key);
	return 0;
}

/* A router certificate enrolled (notBefore) nb_days after T0. */
static X509 *router_cert(const char *cn, EVP_PKEY *key, int ca,
			 long nb_days)
{
	X509 *x = tg_cert(cn, "Example", key, ca == 1 ? K.ca1 : K.ca2,
			  ca == 1 ? K.ca1_key : K.ca2_key, nb_days * TG_DAY,
			  365 * TG_DAY, false, "DNS:r.example,IP:192.0.2.1");

	assert_non_null(x);
	return x;
}

/* A router with TP1 (IOSCA1) declared before TP2 (IOSCA2), enrolled on
 * the given days (0: CA certificate only). */
static struct pki_store *router(const char *cn, EVP_PKEY *key, long tp1_day,
				long tp2_day)
{
	struct pki_store *s = pki_store_new();
	X509 *c1 = tp1_day ? router_cert(cn, key, 1, tp1_day) : NULL;
	X509 *c2 = tp2_day ? router_cert(cn, key, 2, tp2_day) : NULL;
	char err[256];

	assert_non_null(s);
	assert_int_equal(pki_store_add(s, "TP1", K.ca1, c1, c1 ? key : NULL,
				       err, sizeof(err)), 0);
	assert_int_equal(pki_store_add(s, "TP2", K.ca2, c2, c2 ? key : NULL,
				       err, sizeof(err)), 0);
	X509_free(c1);
	X509_free(c2);
	return s;
}

static void refs(struct cfg_ref *r, size_t n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		snprintf(r[i].name, sizeof(r[i].name), "%s",
			 va_arg(ap, const char *));
	va_end(ap);
}

/* The CERTREQ hash computed apart from the store: i2d_PUBKEY of the
 * EVP_PKEY (not the certificate's X509_PUBKEY) and one-shot SHA1(). */
static void spki_hash(EVP_PKEY *k, uint8_t out[20])
{
	unsigned char *der = NULL;
	int len = i2d_PUBKEY(k, &der);

	assert_true(len > 0);
	SHA1(der, (size_t)len, out);
	OPENSSL_free(der);
}

/* ---------------------------------------------------------------- */
/* Store order */

static void store_order_newest_first(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 10, 20);

	(void)state;
	/* R1 (TP2, day 20), R1 (TP1, day 10), IOSCA2 (1), IOSCA1 (0). */
	assert_int_equal(s->n_entry, 4);
	assert_int_equal(s->entry[0].tp, 1);
	assert_false(s->entry[0].is_ca);
	assert_int_equal(s->entry[1].tp, 0);
	assert_false(s->entry[1].is_ca);
	assert_int_equal(s->entry[2].tp, 1);
	assert_true(s->entry[2].is_ca);
	assert_int_equal(s->entry[3].tp, 0);
	assert_true(s->entry[3].is_ca);
	assert_int_equal(s->order[0], 1);
	assert_int_equal(s->order[1], 0);
	pki_store_free(s);

	s = router("R1", K.r1_key, 20, 10);
	assert_int_equal(s->order[0], 0);
	assert_int_equal(s->order[1], 1);
	pki_store_free(s);
}

static void store_order_ties_later_declared_first(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 5, 5);

	(void)state;
	/* Same notBefore: TP2 (declared later) first, ours before CA's. */
	assert_int_equal(s->order[0], 1);
	assert_int_equal(s->entry[0].tp, 1);
	assert_false(s->entry[0].is_ca);
	assert_int_equal(s->entry[1].tp, 0);
	pki_store_free(s);
}

static void store_order_ca_only(void **state)
{
	/* No certificate of ours: the CA's own notBefore decides, and
	 * IOSCA2 (day 1) is newer than IOSCA1 (day 0). */
	struct pki_store *s = router("R1", K.r1_key, 0, 0);

	(void)state;
	assert_int_equal(s->n_entry, 2);
	assert_int_equal(s->order[0], 1);
	assert_int_equal(s->order[1], 0);
	pki_store_free(s);
}

static void store_add_refuses(void **state)
{
	struct pki_store *s = pki_store_new();
	X509 *c2 = router_cert("R1", K.r1_key, 2, 3);
	char err[256] = "";

	(void)state;
	/* Certificate of CA2 under the trustpoint of CA1. */
	assert_int_equal(pki_store_add(s, "TP1", K.ca1, c2, K.r1_key, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "not issued by the trustpoint's CA"));
	/* Key that is not the certificate's. */
	assert_int_equal(pki_store_add(s, "TP2", K.ca2, c2, K.r2_key, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "private key does not match"));
	assert_int_equal(pki_store_add(s, "TP2", K.ca2, c2, NULL, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "needs both"));
	assert_int_equal(pki_store_add(s, "TP2", K.ca2, c2, K.r1_key, err,
				       sizeof(err)), 0);
	assert_int_equal(pki_store_add(s, "TP2", K.ca2, NULL, NULL, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "added twice"));
	assert_int_equal(pki_find(s, "TP2"), 0);
	assert_int_equal(pki_find(s, "nope"), -1);
	X509_free(c2);
	pki_store_free(s);
}

static void store_add_refuses_key_types(void **state)
{
	EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	EVP_PKEY *p192 = tg_ec("P-192");
	struct pki_store *s = pki_store_new();
	X509 *c;
	char err[256] = "";

	(void)state;
	assert_non_null(ed);
	c = tg_cert("R1", NULL, ed, K.ca1, K.ca1_key, TG_DAY, TG_DAY, false,
		    NULL);
	assert_non_null(c);
	assert_int_equal(pki_store_add(s, "TP1", K.ca1, c, ed, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "not supported"));
	X509_free(c);
	if (p192) {	/* some builds leave P-192 out */
		c = tg_cert("R1", NULL, p192, K.ca1, K.ca1_key, TG_DAY,
			    TG_DAY, false, NULL);
		assert_int_equal(pki_store_add(s, "TP1", K.ca1, c, p192, err,
					       sizeof(err)), -1);
		assert_non_null(strstr(err, "curve"));
		X509_free(c);
	}
	EVP_PKEY_free(ed);
	EVP_PKEY_free(p192);
	pki_store_free(s);
}

/* ---------------------------------------------------------------- */
/* IKEv2 CERTREQ and choices */

static void certreq_hashes_in_store_order(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 10, 20);
	uint8_t out[64], h1[20], h2[20];
	struct pki_set only1;
	struct cfg_ref r[1];
	char err[128];

	(void)state;
	spki_hash(K.ca1_key, h1);
	spki_hash(K.ca2_key, h2);
	assert_int_equal(pki_ikev2_certreq(s, NULL, out, sizeof(out)), 40);
	assert_memory_equal(out, h2, 20);
	assert_memory_equal(out + 20, h1, 20);
	refs(r, 1, "TP1");
	assert_int_equal(pki_set_from_refs(s, r, 1, &only1, err, sizeof(err)),
			 0);
	assert_int_equal(pki_ikev2_certreq(s, &only1, out, sizeof(out)), 20);
	assert_memory_equal(out, h1, 20);
	/* Too small an output is refused, not truncated. */
	assert_int_equal(pki_ikev2_certreq(s, NULL, out, 39), 0);
	pki_store_free(s);
}

static void certreq_same_ca_twice_once(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 10, 20);
	uint8_t out[64];
	char err[128];

	(void)state;
	assert_int_equal(pki_store_add(s, "TP3", K.ca1, NULL, NULL, err,
				       sizeof(err)), 0);
	assert_int_equal(pki_ikev2_certreq(s, NULL, out, sizeof(out)), 40);
	pki_store_free(s);
}

static void certreq_log_lines(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 10, 20);
	uint8_t h[40];
	char buf[600], tiny[8];

	(void)state;
	pki_describe_certreq_sent(s, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "constructing CERT_REQ for issuer "
			    "CN=IOSCA2,O=Example (TP2); constructing "
			    "CERT_REQ for issuer CN=IOSCA1,O=Example (TP1)");
	spki_hash(K.ca1_key, h);
	memset(h + 20, 0xab, 20);
	pki_describe_certreq_received(s, h, 40, buf, sizeof(buf));
	assert_string_equal(buf, "peer wants cert issued by "
			    "CN=IOSCA1,O=Example (TP1); peer wants cert "
			    "issued by an unknown CA (SHA-1 abababababababab"
			    "abababababababababababab)");
	pki_describe_certreq_received(s, NULL, 0, buf, sizeof(buf));
	assert_string_equal(buf, "empty CERTREQ");
	pki_describe_certreq_received(s, h, 40, tiny, sizeof(tiny));
	assert_string_equal(tiny, "peer wa");
	pki_store_free(s);
}

static void initiator_needs_pki_trustpoint(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 10, 20);
	struct pki_choice c;
	uint8_t hashes[40];

	(void)state;
	pki_ikev2_certreq(s, NULL, hashes, sizeof(hashes));
	assert_int_equal(pki_ikev2_choose_initiator(s, "PROF", NULL, 0,
						    hashes, 40, &c), -1);
	assert_int_equal(c.tp, -1);
	assert_string_equal(c.why, "profile PROF has no pki trustpoint: "
			    "cannot choose a certificate");
	pki_store_free(s);
}

static void initiator_first_received_match(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 10, 20);
	struct pki_choice c;
	struct cfg_ref r[2];
	uint8_t h[40];

	(void)state;
	spki_hash(K.ca2_key, h);
	spki_hash(K.ca1_key, h + 20);
	/* Profile lists TP1 first, the CERTREQ names CA2 first. */
	refs(r, 2, "TP1", "TP2");
	assert_int_equal(pki_ikev2_choose_initiator(s, "P", r, 2, h, 40, &c),
			 0);
	assert_int_equal(c.tp, pki_find(s, "TP2"));
	assert_false(c.defaulted);
	assert_non_null(strstr(c.why, "Choosing trustpoint TP2 as issuer"));
	assert_non_null(strstr(c.why, "peer wants cert issued by"));
	assert_non_null(strstr(c.why, "CN=IOSCA2"));
	/* Restricted to the profile: CA2 asked first, TP1 only listed. */
	assert_int_equal(pki_ikev2_choose_initiator(s, "P", r, 1, h, 40, &c),
			 0);
	assert_int_equal(c.tp, pki_find(s, "TP1"));
	pki_store_free(s);
}

static void initiator_default_when_nothing_matches(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 10, 20);
	struct pki_choice c;
	struct cfg_ref r[2];
	uint8_t unknown[20];

	(void)state;
	memset(unknown, 0xab, sizeof(unknown));
	refs(r, 2, "TP2", "TP1");
	assert_int_equal(pki_ikev2_choose_initiator(s, "P", r, 2, unknown, 20,
						    &c), 0);
	assert_int_equal(c.tp, pki_find(s, "TP2"));	/* profile's first */
	assert_true(c.defaulted);
	assert_non_null(strstr(c.why, "no CERT_REQ names a CA"));
	/* Empty CERTREQ (Libreswan) and none at all. */
	assert_int_equal(pki_ikev2_choose_initiator(s, "P", r, 2, NULL, 0,
						    &c), 0);
	assert_true(c.defaulted);
	assert_non_null(strstr(c.why, "sent no CERT_REQ"));
	/* A CERTREQ that is not whole hashes. */
	assert_int_equal(pki_ikev2_choose_initiator(s, "P", r, 2, unknown, 19,
						    &c), -1);
	assert_non_null(strstr(c.why, "not a list of 20-byte SHA-1"));
	/* A name the store does not have. */
	refs(r, 1, "TPX");
	assert_int_equal(pki_ikev2_choose_initiator(s, "P", r, 1, NULL, 0,
						    &c), -1);
	assert_non_null(strstr(c.why, "trustpoint TPX is not loaded"));
	pki_store_free(s);
}

static void default_skips_trustpoints_without_cert(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 0, 20);
	struct pki_store *none = router("R1", K.r1_key, 0, 0);
	struct pki_choice c;
	struct cfg_ref r[2];
	uint8_t h[20];

	(void)state;
	spki_hash(K.ca1_key, h);
	refs(r, 2, "TP1", "TP2");
	/* CA1 asked for, but TP1 holds no certificate of ours. */
	assert_int_equal(pki_ikev2_choose_initiator(s, "P", r, 2, h, 20, &c),
			 0);
	assert_int_equal(c.tp, pki_find(s, "TP2"));
	assert_true(c.defaulted);
	assert_int_equal(pki_ikev2_choose_initiator(none, "P", r, 2, h, 20,
						    &c), -1);
	assert_non_null(strstr(c.why, "has a certificate of ours"));
	pki_store_free(s);
	pki_store_free(none);
}

static void responder_profile_order(void **state)
{
	struct pki_store *s = router("R2", K.r2_key, 10, 20);
	struct pki_choice c;
	struct cfg_ref r[2];
	uint8_t h[40];

	(void)state;
	spki_hash(K.ca2_key, h);
	spki_hash(K.ca1_key, h + 20);
	/* The initiator asks CA2 first, the profile lists TP1 first. */
	refs(r, 2, "TP1", "TP2");
	assert_int_equal(pki_ikev2_choose_responder(s, "P", r, 2, h, 40, &c),
			 0);
	assert_int_equal(c.tp, pki_find(s, "TP1"));
	assert_false(c.defaulted);
	/* The reason is said once, after the choice. */
	assert_ptr_equal(strstr(c.why, "Choosing trustpoint"), c.why);
	assert_null(strstr(c.why + 1, "Choosing trustpoint"));
	/* No profile list: the store's order (TP2 enrolled last). */
	assert_int_equal(pki_ikev2_choose_responder(s, "P", r, 0, h, 40, &c),
			 0);
	assert_int_equal(c.tp, pki_find(s, "TP2"));
	/* Nothing asked: default, first of the profile. */
	assert_int_equal(pki_ikev2_choose_responder(s, "P", r, 2, NULL, 0,
						    &c), 0);
	assert_int_equal(c.tp, pki_find(s, "TP1"));
	assert_true(c.defaulted);
	pki_store_free(s);
}

/* ---------------------------------------------------------------- */
/* The documented failure (cisco-semantics.md, IKEv2 rules): R2 lists
 * TP1 and TP2, R1 lists only TP1, R1's store shows TP2 first. */

struct routers {
	struct pki_store *r1, *r2;
	struct cfg_ref r1_prof[1], r2_prof[2];
};

/* One direction at the pki decision level: the responder's IKE_SA_INIT
 * CERTREQ (all its global trustpoints), the initiator's choice, the
 * responder's validation against its profile's trustpoints. */
static int ikev2_direction(struct pki_store *init, const struct cfg_ref *ip,
			   size_t n_ip, struct pki_store *resp,
			   const struct cfg_ref *rp, size_t n_rp, char *why,
			   size_t why_len)
{
	uint8_t certreq[PKI_MAX_TRUSTPOINTS * PKI_HASH_LEN];
	size_t len = pki_ikev2_certreq(resp, NULL, certreq, sizeof(certreq));
	struct pki_choice c;
	struct pki_set set;

	assert_true(len > 0);
	assert_int_equal(pki_ikev2_choose_initiator(init, "PROF", ip, n_ip,
						    certreq, len, &c), 0);
	assert_int_equal(pki_set_from_refs(resp, rp, n_rp, &set, why,
					   why_len), 0);
	return pki_verify_peer(resp, &set, init->tp[c.tp].cert, NULL,
			       TG_T0 + 30 * TG_DAY, NULL, why, why_len);
}

static void documented_ikev2_failure(void **state)
{
	struct routers R;
	char why[PKI_WHY_MAX] = "";

	(void)state;
	R.r1 = router("R1", K.r1_key, 10, 20);	/* IOSCA2 enrolled last */
	R.r2 = router("R2", K.r2_key, 10, 12);
	refs(R.r1_prof, 1, "TP1");
	refs(R.r2_prof, 2, "TP1", "TP2");
	/* R1 initiating works. */
	assert_int_equal(ikev2_direction(R.r1, R.r1_prof, 1, R.r2, R.r2_prof,
					 2, why, sizeof(why)), 0);
	/* R2 initiating: R1's CERTREQ names CA2 first, R2 signs with TP2,
	 * R1 validates against TP1 only -> AUTHENTICATION_FAILED. */
	assert_int_equal(ikev2_direction(R.r2, R.r2_prof, 2, R.r1, R.r1_prof,
					 1, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "CN=IOSCA2"));
	assert_non_null(strstr(why, "not the CA of trustpoint(s) TP1"));
	pki_store_free(R.r1);
	/* Enrolling in the other order on R1 makes both directions work. */
	R.r1 = router("R1", K.r1_key, 20, 10);
	assert_int_equal(ikev2_direction(R.r2, R.r2_prof, 2, R.r1, R.r1_prof,
					 1, why, sizeof(why)), 0);
	assert_int_equal(ikev2_direction(R.r1, R.r1_prof, 1, R.r2, R.r2_prof,
					 2, why, sizeof(why)), 0);
	pki_store_free(R.r1);
	pki_store_free(R.r2);
}

/* ---------------------------------------------------------------- */
/* IKEv1 */

static void ikev1_certreq_lists(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 10, 20);
	struct pki_set set;
	struct cfg_ref r[2];
	char err[128];

	(void)state;
	/* Initiator with "ca trust-point TP1" and "ca trust-point TP2":
	 * store order, not the profile's. */
	refs(r, 2, "TP1", "TP2");
	assert_int_equal(pki_ikev1_certreq_initiator(s, r, 2, &set, err,
						     sizeof(err)), 0);
	assert_int_equal(set.n, 2);
	assert_int_equal(set.idx[0], 1);
	assert_int_equal(set.idx[1], 0);
	assert_int_equal(pki_ikev1_certreq_initiator(s, r, 1, &set, err,
						     sizeof(err)), 0);
	assert_int_equal(set.n, 1);
	assert_int_equal(set.idx[0], 0);
	/* Initiator without: all global; responder: all global, always. */
	assert_int_equal(pki_ikev1_certreq_initiator(s, r, 0, &set, err,
						     sizeof(err)), 0);
	assert_int_equal(set.n, 2);
	assert_int_equal(set.idx[0], 1);
	pki_ikev1_certreq_responder(s, &set);
	assert_int_equal(set.n, 2);
	assert_int_equal(set.idx[0], 1);
	assert_int_equal(set.idx[1], 0);
	pki_store_free(s);
}

/* The CERT_REQs a side sends, as DER DNs. */
static size_t v1_dns(const struct pki_store *s, const struct pki_set *set,
		     uint8_t *der[], size_t lens[])
{
	for (size_t i = 0; i < set->n; i++) {
		int n;

		der[i] = NULL;
		n = i2d_X509_NAME(X509_get_subject_name(s->tp[set->idx[i]].ca),
				  &der[i]);
		assert_true(n > 0);
		lens[i] = (size_t)n;
	}
	return set->n;
}

static void free_dns(uint8_t *der[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		OPENSSL_free(der[i]);
}

static void documented_ikev1_failure(void **state)
{
	struct pki_store *r1 = router("R1", K.r1_key, 10, 20);
	struct pki_store *r2 = router("R2", K.r2_key, 10, 12);
	struct cfg_ref r1_prof[1];
	uint8_t *der[4];
	size_t lens[4], n;
	struct pki_set mm4, valid;
	struct pki_choice c;
	char why[PKI_WHY_MAX];

	(void)state;
	refs(r1_prof, 1, "TP1");
	/* R2 initiates; R1 (responder) sends MM4 CERT_REQs for all its
	 * trustpoints in store order: CA2 first. */
	pki_ikev1_certreq_responder(r1, &mm4);
	n = v1_dns(r1, &mm4, der, lens);
	assert_int_equal(pki_ikev1_choose(r2, "R2PROF", NULL, 0,
					  (const uint8_t *const *)der, lens,
					  n, &c), 0);
	assert_int_equal(c.tp, pki_find(r2, "TP2"));
	/* R1 validates against its profile's ca trust-point: TP1. */
	assert_int_equal(pki_set_from_refs(r1, r1_prof, 1, &valid, why,
					   sizeof(why)), 0);
	assert_int_equal(pki_verify_peer(r1, &valid, r2->tp[c.tp].cert, NULL,
					 TG_T0 + 30 * TG_DAY, NULL, why,
					 sizeof(why)), -1);
	free_dns(der, n);
	/* R1 initiating: its MM3 lists only TP1's CA, R2 (responder, no
	 * restriction) signs with TP1, R1 validates against TP1. */
	assert_int_equal(pki_ikev1_certreq_initiator(r1, r1_prof, 1, &mm4,
						     why, sizeof(why)), 0);
	n = v1_dns(r1, &mm4, der, lens);
	assert_int_equal(pki_ikev1_choose(r2, "R2PROF", NULL, 0,
					  (const uint8_t *const *)der, lens,
					  n, &c), 0);
	assert_int_equal(c.tp, pki_find(r2, "TP1"));
	assert_int_equal(pki_verify_peer(r1, &valid, r2->tp[c.tp].cert, NULL,
					 TG_T0 + 30 * TG_DAY, NULL, why,
					 sizeof(why)), 0);
	free_dns(der, n);
	/* Garbage DNs match nothing and do not crash: default. */
	{
		const uint8_t junk[] = { 0x30, 0x82, 0xff };
		const uint8_t *jl[1] = { junk };
		size_t jn[1] = { sizeof(junk) };

		assert_int_equal(pki_ikev1_choose(r2, "R2PROF", NULL, 0, jl,
						  jn, 1, &c), 0);
		assert_true(c.defaulted);
	}
	pki_store_free(r1);
	pki_store_free(r2);
}

/* ---------------------------------------------------------------- */
/* Validation */

static void verify_reasons(void **state)
{
	struct pki_store *s = router("R1", K.r1_key, 10, 20);
	X509 *peer = router_cert("R2", K.r2_key, 1, 5);	/* day 5..370 */
	EVP_PKEY *ik = tg_ec("P-256"), *other_key = tg_rsa();
	X509 *sub, *leaf, *stranger, *other_ca;
	STACK_OF(X509) *chain = sk_X509_new_null();
	struct pki_set all;
	char why[PKI_WHY_MAX];
	int anchor;

	(void)state;
	pki_set_all(s, &all);
	assert_int_equal(pki_verify_peer(s, &all, peer, NULL,
					 TG_T0 + 30 * TG_DAY, &anchor, why,
					 sizeof(why)), 0);
	assert_int_equal(anchor, pki_find(s, "TP1"));
	assert_int_equal(pki_verify_peer(s, &all, peer, NULL,
					 TG_T0 + 400 * TG_DAY, NULL, why,
					 sizeof(why)), -1);
	assert_non_null(strstr(why, "certificate has expired"));
	assert_non_null(strstr(why, "CN=R2"));
	assert_int_equal(pki_verify_peer(s, &all, peer, NULL,
					 TG_T0 + 2 * TG_DAY, NULL, why,
					 sizeof(why)), -1);
	assert_non_null(strstr(why, "not yet valid"));
	/* An intermediate CA under CA2, sent by the peer. */
	sub = tg_cert("SUBCA", "Example", ik, K.ca2, K.ca2_key, TG_DAY,
		      1000 * TG_DAY, true, NULL);
	leaf = tg_cert("R3", "Example", K.r2_key, sub, ik, 3 * TG_DAY,
		       100 * TG_DAY, false, NULL);
	assert_non_null(leaf);
	assert_int_equal(pki_verify_peer(s, &all, leaf, NULL,
					 TG_T0 + 30 * TG_DAY, NULL, why,
					 sizeof(why)), -1);
	assert_non_null(strstr(why, "unknown CA"));
	sk_X509_push(chain, sub);
	assert_int_equal(pki_verify_peer(s, &all, leaf, chain,
					 TG_T0 + 30 * TG_DAY, &anchor, why,
					 sizeof(why)), 0);
	assert_int_equal(anchor, pki_find(s, "TP2"));
	/* A CA with the same name but another key: bad signature. */
	other_ca = tg_cert("IOSCA1", "Example", other_key, NULL, NULL, 0,
			   3650 * TG_DAY, true, NULL);
	stranger = tg_cert("R9", "Example", K.r2_key, other_ca, other_key,
			   TG_DAY, 100 * TG_DAY, false, NULL);
	assert_int_equal(pki_verify_peer(s, &all, stranger, NULL,
					 TG_T0 + 30 * TG_DAY, NULL, why,
					 sizeof(why)), -1);
	assert_non_null(strstr(why, "signature"));
	assert_int_equal(pki_verify_peer(s, &all, NULL, NULL, TG_T0, NULL,
					 why, sizeof(why)), -1);
	sk_X509_free(chain);
	X509_free(sub);
	X509_free(leaf);
	X509_free(other_ca);
	X509_free(stranger);
	X509_free(peer);
	EVP_PKEY_free(ik);
	EVP_PKEY_free(other_key);
	pki_store_free(s);
}

/* ---------------------------------------------------------------- */
/* Identity */

static void id_binding(void **state)
{
	X509 *c = tg_cert("R2", "Example", K.r2_key, K.ca1, K.ca1_key, 0,
			  TG_DAY, false, "DNS:r2.example.com,IP:192.0.2.2,"
			  "IP:2001:db8::2,email:ops@example.com");
	const uint8_t v4[4] = { 192, 0, 2, 2 }, v4x[4] = { 192, 0, 2, 3 };
	uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	uint8_t *dn = NULL;
	int dn_len;
	char why[PKI_WHY_MAX];

	(void)state;
	assert_non_null(c);
	v6[15] = 2;
	dn_len = i2d_X509_NAME(X509_get_subject_name(c), &dn);
	assert_int_equal(pki_check_id(c, IKEV2_ID_DER_ASN1_DN, dn,
				      (size_t)dn_len, why, sizeof(why)), 0);
	assert_int_equal(pki_check_id(c, IKEV2_ID_DER_ASN1_DN, dn,
				      (size_t)dn_len - 1, why, sizeof(why)),
			 -1);
	OPENSSL_free(dn);
	dn = NULL;
	dn_len = i2d_X509_NAME(X509_get_subject_name(K.ca1), &dn);
	assert_int_equal(pki_check_id(c, IKEV2_ID_DER_ASN1_DN, dn,
				      (size_t)dn_len, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "is not the certificate's subject"));
	OPENSSL_free(dn);
	assert_int_equal(pki_check_id(c, IKEV2_ID_IPV4_ADDR, v4, 4, why,
				      sizeof(why)), 0);
	assert_int_equal(pki_check_id(c, IKEV2_ID_IPV4_ADDR, v4x, 4, why,
				      sizeof(why)), -1);
	assert_non_null(strstr(why, "192.0.2.3"));
	assert_int_equal(pki_check_id(c, IKEV2_ID_IPV4_ADDR, v4, 3, why,
				      sizeof(why)), -1);
	assert_int_equal(pki_check_id(c, IKEV2_ID_IPV6_ADDR, v6, 16, why,
				      sizeof(why)), 0);
	assert_int_equal(pki_check_id(c, IKEV2_ID_FQDN,
				      (const uint8_t *)"R2.Example.COM", 14,
				      why, sizeof(why)), 0);
	assert_int_equal(pki_check_id(c, IKEV2_ID_FQDN,
				      (const uint8_t *)"r2.example.co", 13,
				      why, sizeof(why)), -1);
	assert_int_equal(pki_check_id(c, IKEV2_ID_FQDN,
				      (const uint8_t *)"r2.example.com\0x",
				      16, why, sizeof(why)), -1);
	assert_int_equal(pki_check_id(c, IKEV2_ID_RFC822_ADDR,
				      (const uint8_t *)"ops@example.com", 15,
				      why, sizeof(why)), 0);
	assert_int_equal(pki_check_id(c, IKEV2_ID_KEY_ID,
				      (const uint8_t *)"k", 1, why,
				      sizeof(why)), -1);
	assert_non_null(strstr(why, "cannot be bound"));
	X509_free(c);
}

static void der_parsing_is_strict(void **state)
{
	X509 *c = router_cert("R1", K.r1_key, 1, 2), *back;
	uint8_t *der = NULL, *longer;
	int n = i2d_X509(c, &der);

	(void)state;
	back = pki_cert_from_der(der, (size_t)n);
	assert_non_null(back);
	assert_int_equal(X509_cmp(back, c), 0);
	X509_free(back);
	assert_null(pki_cert_from_der(der, (size_t)n - 1));
	longer = malloc((size_t)n + 1);
	memcpy(longer, der, (size_t)n);
	longer[n] = 0;
	assert_null(pki_cert_from_der(longer, (size_t)n + 1));
	assert_null(pki_cert_from_der(NULL, 0));
	free(longer);
	OPENSSL_free(der);
	X509_free(c);
}

/* ---------------------------------------------------------------- */
/* Loading from the configuration */

struct tmpdir {
	char path[64];
	char files[8][128];
	size_t n;
};

static const char *tmp_file(struct tmpdir *d, const char *name)
{
	char *p = d->files[d->n++];
	char dir[sizeof(d->path)];

	/* A copy: GCC cannot tell that path and files never overlap. */
	memcpy(dir, d->path, sizeof(dir));
	snprintf(p, sizeof(d->files[0]), "%s/%s", dir, name);
	return p;
}

static void tmp_clean(struct tmpdir *d)
{
	for (size_t i = 0; i < d->n; i++)
		unlink(d->files[i]);
	rmdir(d->path);
}

static const struct cfg_model *parse(struct cfg_result *res,
				     const char *text)
{
	int rc = cfg_parse_buffer("t.conf", text, strlen(text), res);

	if (rc < 0) {
		for (size_t i = 0; i < res->n_diags; i++) {
			char buf[300];

			cfg_format_diag(res, i, buf, sizeof(buf));
			fprintf(stderr, "%s\n", buf);
		}
	}
	assert_int_equal(rc, 0);
	return res->model;
}

static void load_from_config(void **state)
{
	struct tmpdir d = { .path = "/tmp/ike_pki_XXXXXX" };
	X509 *c1 = router_cert("R1", K.r1_key, 1, 10);
	const char *ca1, *ca2, *crt, *key, *bad;
	struct cfg_result res;
	struct pki_store *s;
	char conf[2048], err[512];

	(void)state;
	assert_non_null(mkdtemp(d.path));
	ca1 = tmp_file(&d, "ca1.pem");
	ca2 = tmp_file(&d, "ca2.pem");
	crt = tmp_file(&d, "r1.pem");
	key = tmp_file(&d, "r1.key");
	bad = tmp_file(&d, "bad.pem");
	assert_true(tg_write_cert(ca1, K.ca1) && tg_write_cert(ca2, K.ca2) &&
		    tg_write_cert(crt, c1) && tg_write_key(key, K.r1_key));
	FILE *f = fopen(bad, "w");

	assert_non_null(f);
	fputs("not a certificate\n", f);
	fclose(f);

	snprintf(conf, sizeof(conf),
		 "crypto pki trustpoint TP1\n"
		 " ca-certificate-file %s\n certificate-file %s\n"
		 " private-key-file %s\n"
		 "crypto pki trustpoint TP2\n ca-certificate-file %s\n",
		 ca1, crt, key, ca2);
	parse(&res, conf);
	assert_int_equal(pki_store_load(res.model, &s, err, sizeof(err)), 0);
	assert_int_equal(s->n_tp, 2);
	/* TP1's certificate (day 10) is the newest: TP1 first. */
	assert_int_equal(s->order[0], 0);
	assert_non_null(s->tp[0].key);
	assert_null(s->tp[1].cert);
	pki_store_free(s);
	cfg_result_free(&res);

	snprintf(conf, sizeof(conf), "crypto pki trustpoint TP1\n"
		 " ca-certificate-file %s\n", bad);
	parse(&res, conf);
	assert_int_equal(pki_store_load(res.model, &s, err, sizeof(err)), -1);
	assert_null(s);
	assert_non_null(strstr(err, "holds no PEM certificate"));
	cfg_result_free(&res);

	snprintf(conf, sizeof(conf), "crypto pki trustpoint TP1\n"
		 " ca-certificate-file %s/missing.pem\n", d.path);
	parse(&res, conf);
	assert_int_equal(pki_store_load(res.model, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot read CA certificate file"));
	assert_non_null(strstr(err, "No such file"));
	cfg_result_free(&res);

	/* Key file that holds a certificate; certificate of the wrong CA. */
	snprintf(conf, sizeof(conf), "crypto pki trustpoint TP2\n"
		 " ca-certificate-file %s\n certificate-file %s\n"
		 " private-key-file %s\n", ca2, crt, ca1);
	parse(&res, conf);
	assert_int_equal(pki_store_load(res.model, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no unencrypted PEM private key"));
	cfg_result_free(&res);
	snprintf(conf, sizeof(conf), "crypto pki trustpoint TP2\n"
		 " ca-certificate-file %s\n certificate-file %s\n"
		 " private-key-file %s\n", ca2, crt, key);
	parse(&res, conf);
	assert_int_equal(pki_store_load(res.model, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "trustpoint TP2: the certificate is not "
			       "issued by the trustpoint's CA"));
	cfg_result_free(&res);

	X509_free(c1);
	tmp_clean(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(store_order_newest_first),
		cmocka_unit_test(store_order_ties_later_declared_first),
		cmocka_unit_test(store_order_ca_only),
		cmocka_unit_test(store_add_refuses),
		cmocka_unit_test(store_add_refuses_key_types),
		cmocka_unit_test(certreq_hashes_in_store_order),
		cmocka_unit_test(certreq_same_ca_twice_once),
		cmocka_unit_test(certreq_log_lines),
		cmocka_unit_test(initiator_needs_pki_trustpoint),
		cmocka_unit_test(initiator_first_received_match),
		cmocka_unit_test(initiator_default_when_nothing_matches),
		cmocka_unit_test(default_skips_trustpoints_without_cert),
		cmocka_unit_test(responder_profile_order),
		cmocka_unit_test(documented_ikev2_failure),
		cmocka_unit_test(ikev1_certreq_lists),
		cmocka_unit_test(documented_ikev1_failure),
		cmocka_unit_test(verify_reasons),
		cmocka_unit_test(id_binding),
		cmocka_unit_test(der_parsing_is_strict),
		cmocka_unit_test(load_from_config),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
