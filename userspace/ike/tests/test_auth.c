// SPDX-License-Identifier: GPL-2.0
/*
 * AUTH payload tests: the signed octets and PSK AUTH against known
 * answers, signature round trips for every method with keys made here,
 * tampering, wrong keys, encodings checked through OpenSSL calls that do
 * not go through auth_sig.c, the algorithm choice and the
 * SIGNATURE_HASH_ALGORITHMS notify.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "ikev2/auth.h"
#include "ikev2/ikev2_const.h"
#include "hex.h"

static struct {
	EVP_PKEY *rsa, *p256, *p384, *p521, *ed;
} K;

static int group_setup(void **state)
{
	(void)state;
	K.rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	K.p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	K.p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	K.p521 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
	K.ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	return K.rsa && K.p256 && K.p384 && K.p521 && K.ed ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(K.rsa);
	EVP_PKEY_free(K.p256);
	EVP_PKEY_free(K.p384);
	EVP_PKEY_free(K.p521);
	EVP_PKEY_free(K.ed);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Octets and PSK: answers from tests/gen_auth_vectors.py (Python's
 * hmac/hashlib, run once, output pasted below). */

struct psk_vector {
	uint16_t prf;
	const char *maced;
	const char *auth;
};

static const struct psk_vector psk_vectors[] = {
	{ IKEV2_PRF_HMAC_SHA2_256,
	  "856d32d34a32a44777110a8f7ae660a0ce67c061c5ca9645ac1aef3db6b32ee9",
	  "e40284997c74bbcbf3acf83c15dfa91bf1b8cd4b2f2e3785638fea4badb83b9f" },
	{ IKEV2_PRF_HMAC_SHA1, "52311aa428e41d5459a46e9f0b32132eacb8b6d9",
	  "d928dcdfc1e48d3bd072f8b202437c68b3a197ec" },
};

static void fill(uint8_t *p, size_t n, uint8_t first)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(first + i);
}

static void psk_known_answers(void **state)
{
	uint8_t msg[64], nonce[32], skp[32], want[64], auth[64];
	const uint8_t *id = (const uint8_t *)"r1.example.com";
	const uint8_t *psk = (const uint8_t *)"cisco123";

	(void)state;
	fill(msg, sizeof(msg), 1);
	fill(nonce, sizeof(nonce), 0xa0);
	fill(skp, sizeof(skp), 0);
	for (size_t v = 0; v < 2; v++) {
		const struct psk_vector *pv = &psk_vectors[v];
		uint8_t *oct = NULL;
		size_t len = 0, alen = 0, wlen;

		assert_int_equal(ike_auth_octets(pv->prf, skp, 32, msg, 64,
						 nonce, 32, IKEV2_ID_FQDN, id,
						 14, &oct, &len), 0);
		wlen = hex_decode(pv->maced, want, sizeof(want));
		assert_int_equal(len, 96 + wlen);
		assert_memory_equal(oct, msg, 64);
		assert_memory_equal(oct + 64, nonce, 32);
		assert_memory_equal(oct + 96, want, wlen);
		assert_int_equal(ike_auth_psk(pv->prf, psk, 8, oct, len, auth,
					      &alen), 0);
		wlen = hex_decode(pv->auth, want, sizeof(want));
		assert_int_equal(alen, wlen);
		assert_memory_equal(auth, want, wlen);
		assert_int_equal(ike_auth_psk_verify(pv->prf, psk, 8, oct, len,
						     want, wlen), 0);
		/* Wrong key, tampered octets, truncated AUTH. */
		assert_int_equal(ike_auth_psk_verify(pv->prf, psk, 7, oct, len,
						     want, wlen), -1);
		oct[10] ^= 1;
		assert_int_equal(ike_auth_psk_verify(pv->prf, psk, 8, oct, len,
						     want, wlen), -1);
		oct[10] ^= 1;
		assert_int_equal(ike_auth_psk_verify(pv->prf, psk, 8, oct, len,
						     want, wlen - 1), -1);
		free(oct);
	}
	{
		uint8_t *oct = (uint8_t *)"x";
		size_t len = 1;

		assert_int_equal(ike_auth_octets(99, skp, 32, msg, 64, nonce,
						 32, 2, id, 14, &oct, &len),
				 -1);
		assert_null(oct);
	}
}

/* ---------------------------------------------------------------- */
/* Signatures */

static const uint8_t octets[] = "RealMessage1 | Nr | prf(SK_pi, IDi')";

static void round_trip(EVP_PKEY *k, uint8_t method, uint16_t hash, bool pss,
		       size_t want_len)
{
	struct ike_sig_alg alg = { method, hash, pss };
	uint8_t sig[IKE_AUTH_MAX], tampered[sizeof(octets)];
	size_t len = 0;
	char why[200] = "";

	assert_int_equal(ike_auth_sign(k, &alg, octets, sizeof(octets), sig,
				       sizeof(sig), &len, why, sizeof(why)),
			 0);
	if (want_len)
		assert_int_equal(len, want_len);
	if (ike_auth_verify(k, method, sig, len, octets, sizeof(octets), why,
			    sizeof(why)) != 0)
		fail_msg("method %u hash %u pss %d: %s", method, hash, pss,
			 why);
	memcpy(tampered, octets, sizeof(octets));
	tampered[3] ^= 0x40;
	assert_int_equal(ike_auth_verify(k, method, sig, len, tampered,
					 sizeof(tampered), why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "does not verify"));
	sig[len - 1] ^= 1;
	assert_int_equal(ike_auth_verify(k, method, sig, len, octets,
					 sizeof(octets), why, sizeof(why)),
			 -1);
	sig[len - 1] ^= 1;
	assert_int_equal(ike_auth_verify(k, method, sig, len - 1, octets,
					 sizeof(octets), why, sizeof(why)),
			 -1);
}

static void classic_methods(void **state)
{
	(void)state;
	round_trip(K.rsa, IKEV2_AUTH_RSA_SIG, 0, false, 256);
	round_trip(K.p256, IKEV2_AUTH_ECDSA_256, 0, false, 64);
	round_trip(K.p384, IKEV2_AUTH_ECDSA_384, 0, false, 96);
	round_trip(K.p521, IKEV2_AUTH_ECDSA_521, 0, false, 132);
}

static void digital_signature_method(void **state)
{
	(void)state;
	for (uint16_t h = IKE_HASH_SHA2_256; h <= IKE_HASH_SHA2_512; h++) {
		round_trip(K.rsa, IKEV2_AUTH_DIGITAL_SIG, h, false,
			   1 + 15 + 256);
		round_trip(K.rsa, IKEV2_AUTH_DIGITAL_SIG, h, true,
			   1 + 67 + 256);
		round_trip(K.p256, IKEV2_AUTH_DIGITAL_SIG, h, false, 0);
		round_trip(K.p521, IKEV2_AUTH_DIGITAL_SIG, h, false, 0);
	}
}

/* Method 1 is plain RSASSA-PKCS1-v1_5 over SHA-1 of the octets: check it
 * with EVP_PKEY_verify over a digest made here. */
static void rsa_method1_is_pkcs1_sha1(void **state)
{
	struct ike_sig_alg alg = { IKEV2_AUTH_RSA_SIG, 0, false };
	uint8_t sig[512], md[20];
	size_t len = 0;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(K.rsa, NULL);
	char why[200];

	(void)state;
	assert_int_equal(ike_auth_sign(K.rsa, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), 0);
	assert_true(EVP_Digest(octets, sizeof(octets), md, NULL, EVP_sha1(),
			       NULL));
	assert_int_equal(EVP_PKEY_verify_init(c), 1);
	assert_true(EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) > 0);
	assert_true(EVP_PKEY_CTX_set_signature_md(c, EVP_sha1()) > 0);
	assert_int_equal(EVP_PKEY_verify(c, sig, len, md, 20), 1);
	EVP_PKEY_CTX_free(c);
}

/* RFC 4754: r | s, fixed width. Rebuild the DER here and verify it with
 * EVP_DigestVerify. */
static void ecdsa_raw_encoding(void **state)
{
	struct ike_sig_alg alg = { IKEV2_AUTH_ECDSA_384, 0, false };
	uint8_t sig[200];
	unsigned char *der = NULL;
	size_t len = 0;
	ECDSA_SIG *es = ECDSA_SIG_new();
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int dlen;
	char why[200];

	(void)state;
	assert_int_equal(ike_auth_sign(K.p384, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), 0);
	assert_int_equal(len, 96);
	assert_int_equal(ECDSA_SIG_set0(es, BN_bin2bn(sig, 48, NULL),
					BN_bin2bn(sig + 48, 48, NULL)), 1);
	dlen = i2d_ECDSA_SIG(es, &der);
	assert_true(dlen > 0);
	assert_int_equal(EVP_DigestVerifyInit_ex(m, NULL, "SHA384", NULL,
						 NULL, K.p384, NULL), 1);
	assert_int_equal(EVP_DigestVerify(m, der, (size_t)dlen, octets,
					  sizeof(octets)), 1);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(m);
}

/* Our AlgorithmIdentifiers are what OpenSSL encodes for the same OIDs
 * (PKCS#1 with NULL, ECDSA without parameters), and our RSASSA-PSS one
 * parses with OpenSSL's RSA_PSS_PARAMS to the intended values. */
static void algorithm_identifiers(void **state)
{
	struct ike_sig_alg alg = { IKEV2_AUTH_DIGITAL_SIG, IKE_HASH_SHA2_384,
				   false };
	uint8_t sig[IKE_AUTH_MAX];
	size_t len = 0;
	X509_ALGOR *a = X509_ALGOR_new(), *got, *mh;
	unsigned char *der = NULL;
	const unsigned char *p;
	const ASN1_OBJECT *obj;
	const void *pval;
	int ptype, n;
	RSA_PSS_PARAMS *pp;
	char why[200];

	(void)state;
	assert_int_equal(ike_auth_sign(K.rsa, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), 0);
	X509_ALGOR_set0(a, OBJ_nid2obj(NID_sha384WithRSAEncryption),
			V_ASN1_NULL, NULL);
	n = i2d_X509_ALGOR(a, &der);
	assert_int_equal(sig[0], n);
	assert_memory_equal(sig + 1, der, (size_t)n);
	OPENSSL_free(der);
	der = NULL;

	alg.hash = IKE_HASH_SHA2_512;
	assert_int_equal(ike_auth_sign(K.p256, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), 0);
	X509_ALGOR_set0(a, OBJ_nid2obj(NID_ecdsa_with_SHA512), V_ASN1_UNDEF,
			NULL);
	n = i2d_X509_ALGOR(a, &der);
	assert_int_equal(sig[0], n);
	assert_memory_equal(sig + 1, der, (size_t)n);
	OPENSSL_free(der);

	alg.hash = IKE_HASH_SHA2_256;
	alg.pss = true;
	assert_int_equal(ike_auth_sign(K.rsa, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), 0);
	p = sig + 1;
	got = d2i_X509_ALGOR(NULL, &p, sig[0]);
	assert_non_null(got);
	assert_ptr_equal(p, sig + 1 + sig[0]);
	X509_ALGOR_get0(&obj, &ptype, &pval, got);
	assert_int_equal(OBJ_obj2nid(obj), NID_rsassaPss);
	assert_int_equal(ptype, V_ASN1_SEQUENCE);
	p = ASN1_STRING_get0_data(pval);
	pp = d2i_RSA_PSS_PARAMS(NULL, &p, ASN1_STRING_length(pval));
	assert_non_null(pp);
	X509_ALGOR_get0(&obj, NULL, NULL, pp->hashAlgorithm);
	assert_int_equal(OBJ_obj2nid(obj), NID_sha256);
	X509_ALGOR_get0(&obj, NULL, NULL, pp->maskGenAlgorithm);
	assert_int_equal(OBJ_obj2nid(obj), NID_mgf1);
	X509_ALGOR_get0(&obj, &ptype, &pval, pp->maskGenAlgorithm);
	assert_int_equal(ptype, V_ASN1_SEQUENCE);
	p = ASN1_STRING_get0_data(pval);
	mh = d2i_X509_ALGOR(NULL, &p, ASN1_STRING_length(pval));
	assert_non_null(mh);
	X509_ALGOR_get0(&obj, NULL, NULL, mh);
	assert_int_equal(OBJ_obj2nid(obj), NID_sha256);
	X509_ALGOR_free(mh);
	assert_int_equal(ASN1_INTEGER_get(pp->saltLength), 32);
	RSA_PSS_PARAMS_free(pp);
	X509_ALGOR_free(got);
	X509_ALGOR_free(a);
}

static void wrong_keys_and_methods(void **state)
{
	struct ike_sig_alg alg = { IKEV2_AUTH_ECDSA_256, 0, false };
	uint8_t sig[IKE_AUTH_MAX];
	size_t len = 0;
	char why[200] = "";

	(void)state;
	assert_int_equal(ike_auth_sign(K.p384, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), -1);
	assert_non_null(strstr(why, "needs a P-256 key"));
	assert_int_equal(ike_auth_sign(K.rsa, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), -1);
	alg.method = IKEV2_AUTH_RSA_SIG;
	assert_int_equal(ike_auth_sign(K.ed, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), -1);
	alg.method = IKEV2_AUTH_DSS_SIG;
	assert_int_equal(ike_auth_sign(K.rsa, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), -1);
	assert_non_null(strstr(why, "not a signature method"));
	alg = (struct ike_sig_alg){ IKEV2_AUTH_DIGITAL_SIG, IKE_HASH_SHA1,
				    false };
	assert_int_equal(ike_auth_sign(K.rsa, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), -1);
	/* Signed with RSA, checked with an ECDSA key, and vice versa. */
	alg.hash = IKE_HASH_SHA2_256;
	assert_int_equal(ike_auth_sign(K.rsa, &alg, octets, sizeof(octets),
				       sig, sizeof(sig), &len, why,
				       sizeof(why)), 0);
	assert_int_equal(ike_auth_verify(K.p256, IKEV2_AUTH_DIGITAL_SIG, sig,
					 len, octets, sizeof(octets), why,
					 sizeof(why)), -1);
	assert_non_null(strstr(why, "but a EC key"));
	assert_int_equal(ike_auth_verify(K.rsa, IKEV2_AUTH_RSA_SIG, sig, len,
					 octets, sizeof(octets), why,
					 sizeof(why)), -1);
	assert_int_equal(ike_auth_verify(K.rsa, IKEV2_AUTH_DIGITAL_SIG, sig,
					 0, octets, sizeof(octets), why,
					 sizeof(why)), -1);
}

static void malformed_digital_signatures(void **state)
{
	/* sha1WithRSAEncryption: refused in method 14. */
	static const uint8_t sha1_rsa[] = {
		0x0f, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
		0x0d, 0x01, 0x01, 0x05, 0x05, 0x00, 0xaa, 0xbb };
	/* RSASSA-PSS with absent parameters (SHA-1 defaults). */
	static const uint8_t pss_empty[] = {
		0x0b, 0x30, 0x09, 0x06, 0x07, 0x2a, 0x86, 0x48, 0x86, 0xf7,
		0x0d, 0x01, 0x01, 0x0a, 0xaa };
	uint8_t buf[16];
	char why[200] = "";

	(void)state;
	assert_int_equal(ike_auth_verify(K.rsa, IKEV2_AUTH_DIGITAL_SIG,
					 sha1_rsa, sizeof(sha1_rsa), octets,
					 sizeof(octets), why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "unsupported signature algorithm"));
	assert_int_equal(ike_auth_verify(K.rsa, IKEV2_AUTH_DIGITAL_SIG,
					 pss_empty, sizeof(pss_empty), octets,
					 sizeof(octets), why, sizeof(why)),
			 -1);
	/* Length byte past the end, zero, garbage inside. */
	buf[0] = 0x20;
	memset(buf + 1, 0x30, sizeof(buf) - 1);
	assert_int_equal(ike_auth_verify(K.rsa, IKEV2_AUTH_DIGITAL_SIG, buf,
					 sizeof(buf), octets, sizeof(octets),
					 why, sizeof(why)), -1);
	assert_non_null(strstr(why, "AlgorithmIdentifier length"));
	buf[0] = 0;
	assert_int_equal(ike_auth_verify(K.rsa, IKEV2_AUTH_DIGITAL_SIG, buf,
					 sizeof(buf), octets, sizeof(octets),
					 why, sizeof(why)), -1);
	buf[0] = 5;
	assert_int_equal(ike_auth_verify(K.rsa, IKEV2_AUTH_DIGITAL_SIG, buf,
					 sizeof(buf), octets, sizeof(octets),
					 why, sizeof(why)), -1);
	assert_non_null(strstr(why, "does not parse"));
}

static void choose_alg(void **state)
{
	const uint16_t all[] = { IKE_HASH_SHA1, IKE_HASH_SHA2_256,
				 IKE_HASH_SHA2_384, IKE_HASH_SHA2_512 };
	const uint16_t only512[] = { IKE_HASH_SHA2_512 };
	const uint16_t only1[] = { IKE_HASH_SHA1 };
	struct ike_sig_alg a;

	(void)state;
	assert_int_equal(ike_auth_choose_alg(K.rsa, all, 4, &a), 0);
	assert_int_equal(a.method, IKEV2_AUTH_DIGITAL_SIG);
	assert_int_equal(a.hash, IKE_HASH_SHA2_256);
	assert_false(a.pss);
	assert_int_equal(ike_auth_choose_alg(K.p384, all, 4, &a), 0);
	assert_int_equal(a.hash, IKE_HASH_SHA2_384);
	assert_int_equal(ike_auth_choose_alg(K.p256, only512, 1, &a), 0);
	assert_int_equal(a.method, IKEV2_AUTH_DIGITAL_SIG);
	assert_int_equal(a.hash, IKE_HASH_SHA2_512);
	assert_int_equal(ike_auth_choose_alg(K.rsa, only1, 1, &a), 0);
	assert_int_equal(a.method, IKEV2_AUTH_RSA_SIG);
	assert_int_equal(ike_auth_choose_alg(K.p521, NULL, 0, &a), 0);
	assert_int_equal(a.method, IKEV2_AUTH_ECDSA_521);
	assert_int_equal(ike_auth_choose_alg(K.ed, all, 4, &a), -1);
}

static void sighash_notify(void **state)
{
	const uint16_t ids[] = { 2, 3, 4, 1 };
	uint8_t buf[40];
	uint16_t got[IKE_SIGHASH_MAX];
	size_t n = 0;
	char why[120];

	(void)state;
	assert_int_equal(ike_sighash_build(ids, 4, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "\x00\x02\x00\x03\x00\x04\x00\x01", 8);
	assert_int_equal(ike_sighash_build(ids, 4, buf, 7), 0);
	assert_int_equal(ike_sighash_parse(buf, 8, got, &n, why, sizeof(why)),
			 0);
	assert_int_equal(n, 4);
	assert_int_equal(got[0], 2);
	assert_int_equal(got[3], 1);
	assert_int_equal(ike_sighash_parse(buf, 7, got, &n, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "16-bit"));
	memset(buf, 0, sizeof(buf));
	assert_int_equal(ike_sighash_parse(buf, 40, got, &n, why, sizeof(why)),
			 0);
	assert_int_equal(n, IKE_SIGHASH_MAX);
	assert_int_equal(ike_sighash_parse(NULL, 0, got, &n, why, sizeof(why)),
			 0);
	assert_int_equal(n, 0);
}

static uint32_t rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Garbage AUTH data (some of it shaped like an AlgorithmIdentifier) is
 * refused for every method, without a crash or a sanitizer report. */
static void random_auth_data_refused(void **state)
{
	static const uint8_t methods[] = { 1, 2, 9, 10, 11, 14, 200 };
	EVP_PKEY *keys[] = { K.rsa, K.p256, K.p521, K.ed };
	uint8_t buf[600];
	uint32_t x = 0x1234567;
	char why[200];

	(void)state;
	for (int it = 0; it < 1500; it++) {
		size_t len = rnd(&x) % sizeof(buf);

		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rnd(&x);
		if (len > 2 && it % 2) {
			buf[0] = (uint8_t)(rnd(&x) % len);
			buf[1] = 0x30;
			buf[2] = (uint8_t)(buf[0] - 2);
		}
		for (size_t m = 0; m < sizeof(methods); m++)
			assert_int_equal(ike_auth_verify(
				keys[it % 4], methods[m], buf, len, octets,
				sizeof(octets), why, sizeof(why)), -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(psk_known_answers),
		cmocka_unit_test(classic_methods),
		cmocka_unit_test(digital_signature_method),
		cmocka_unit_test(rsa_method1_is_pkcs1_sha1),
		cmocka_unit_test(ecdsa_raw_encoding),
		cmocka_unit_test(algorithm_identifiers),
		cmocka_unit_test(wrong_keys_and_methods),
		cmocka_unit_test(malformed_digital_signatures),
		cmocka_unit_test(choose_alg),
		cmocka_unit_test(sighash_notify),
		cmocka_unit_test(random_auth_data_refused),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
