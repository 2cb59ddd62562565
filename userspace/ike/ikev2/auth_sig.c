// SPDX-License-Identifier: GPL-2.0
/*
 * AUTH signatures: methods 1 (RSA, PKCS#1 v1.5, SHA-1), 9/10/11 (ECDSA,
 * RFC 4754 raw r | s) and 14 (RFC 7427 Digital Signature).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "ikev2/auth.h"
#include "ikev2/ikev2_const.h"
#include "core/util.h"

/* ---------------------------------------------------------------- */
/* Algorithms */

/* A resolved signature scheme. */
struct scheme {
	bool rsa;			/* else ECDSA */
	bool pss;
	const char *md;			/* OpenSSL digest name */
	int saltlen;			/* PSS only */
};

static const char *hash_md(uint16_t hash)
{
	switch (hash) {
	case IKE_HASH_SHA2_256: return "SHA256";
	case IKE_HASH_SHA2_384: return "SHA384";
	case IKE_HASH_SHA2_512: return "SHA512";
	default: return NULL;
	}
}

static size_t md_len(const char *md)
{
	return strcmp(md, "SHA256") == 0 ? 32 :
	       strcmp(md, "SHA384") == 0 ? 48 : 64;
}

/* The last byte of the SHA-2 OIDs 2.16.840.1.101.3.4.2.{1,2,3}, and of
 * sha{256,384,512}WithRSAEncryption 1.2.840.113549.1.1.{11,12,13} and
 * ecdsa-with-SHA{256,384,512} 1.2.840.10045.4.3.{2,3,4}. */
static uint8_t oid_last(uint16_t hash, int kind)
{
	uint8_t i = (uint8_t)(hash - IKE_HASH_SHA2_256);

	return (uint8_t)(kind == 0 ? 1 + i : kind == 1 ? 11 + i : 2 + i);
}

/* The AlgorithmIdentifier DER of RFC 7427 appendix A. RSA PKCS#1 v1.5
 * carries NULL parameters, ECDSA none; RSASSA-PSS (RFC 4055 3.1) names
 * the hash, MGF1 with the same hash and a salt as long as the hash, the
 * choice of RFC 8247 and of the other IKE implementations. Returns the
 * length (at most 67). */
static size_t algid_der(const struct ike_sig_alg *alg, bool rsa, uint8_t *out)
{
	static const uint8_t rsa_pkcs1[] = {
		0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x01, 0x00, 0x05, 0x00 };
	static const uint8_t ecdsa[] = {
		0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04,
		0x03, 0x00 };
	static const uint8_t pss_head[] = {
		0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x01, 0x0a, 0x30, 0x34, 0xa0, 0x0f };
	static const uint8_t sha2[] = {
		0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
		0x04, 0x02, 0x00, 0x05, 0x00 };
	static const uint8_t mgf1[] = {
		0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
		0xf7, 0x0d, 0x01, 0x01, 0x08 };
	size_t n = 0;

	if (!rsa) {
		memcpy(out, ecdsa, sizeof(ecdsa));
		out[sizeof(ecdsa) - 1] = oid_last(alg->hash, 2);
		return sizeof(ecdsa);
	}
	if (!alg->pss) {
		memcpy(out, rsa_pkcs1, sizeof(rsa_pkcs1));
		out[12] = oid_last(alg->hash, 1);
		return sizeof(rsa_pkcs1);
	}
	memcpy(out, pss_head, sizeof(pss_head));
	n = sizeof(pss_head);
	memcpy(out + n, sha2, sizeof(sha2));
	out[n + 12] = oid_last(alg->hash, 0);
	n += sizeof(sha2);
	memcpy(out + n, mgf1, sizeof(mgf1));
	n += sizeof(mgf1);
	memcpy(out + n, sha2, sizeof(sha2));
	out[n + 12] = oid_last(alg->hash, 0);
	n += sizeof(sha2);
	out[n++] = 0xa2;
	out[n++] = 0x03;
	out[n++] = 0x02;
	out[n++] = 0x01;
	out[n++] = (uint8_t)md_len(hash_md(alg->hash));
	return n;
}

static const char *nid_md(int nid)
{
	switch (nid) {
	case NID_sha256: return "SHA256";
	case NID_sha384: return "SHA384";
	case NID_sha512: return "SHA512";
	default: return NULL;
	}
}

static const char *algor_md(const X509_ALGOR *a)
{
	const ASN1_OBJECT *obj;

	if (!a)
		return NULL;	/* absent: SHA-1, which we refuse */
	X509_ALGOR_get0(&obj, NULL, NULL, a);
	return nid_md(OBJ_obj2nid(obj));
}

/* The hash inside MGF1's parameters (an AlgorithmIdentifier, RFC 4055
 * 2.2). OpenSSL's RSA_PSS_PARAMS does not decode it for us. */
static const char *mgf1_md(const X509_ALGOR *mgf)
{
	const ASN1_OBJECT *obj;
	const void *pval;
	const unsigned char *p;
	X509_ALGOR *h;
	const char *md;
	int ptype;

	if (!mgf)
		return NULL;
	X509_ALGOR_get0(&obj, &ptype, &pval, mgf);
	if (OBJ_obj2nid(obj) != NID_mgf1 || ptype != V_ASN1_SEQUENCE)
		return NULL;
	p = ASN1_STRING_get0_data(pval);
	h = d2i_X509_ALGOR(NULL, &p, ASN1_STRING_length(pval));
	md = algor_md(h);
	X509_ALGOR_free(h);
	return md;
}

/* RSASSA-PSS-params (RFC 4055 3.1): SHA-2 hash, MGF1 with the same
 * hash, a sane salt, trailer 1. */
static int pss_scheme(const X509_ALGOR *a, struct scheme *sc, char *why,
		      size_t len)
{
	const void *pval;
	int ptype;
	const unsigned char *p;
	RSA_PSS_PARAMS *pp;
	const char *mgf_md;
	long salt = 20;
	int rc = -1;

	X509_ALGOR_get0(NULL, &ptype, &pval, a);
	if (ptype != V_ASN1_SEQUENCE)
		return failf(why, len, "RSASSA-PSS without parameters "
			     "(SHA-1 defaults are refused)");
	p = ASN1_STRING_get0_data(pval);
	pp = d2i_RSA_PSS_PARAMS(NULL, &p, ASN1_STRING_length(pval));
	if (!pp)
		return failf(why, len, "RSASSA-PSS parameters do not "
			     "parse");
	mgf_md = mgf1_md(pp->maskGenAlgorithm);
	if (pp->saltLength)
		salt = ASN1_INTEGER_get(pp->saltLength);
	sc->md = algor_md(pp->hashAlgorithm);
	if (!sc->md)
		failf(why, len, "RSASSA-PSS hash is not SHA-256/384/512");
	else if (!mgf_md || strcmp(mgf_md, sc->md) != 0)
		failf(why, len, "RSASSA-PSS mask generation is not MGF1 with "
		      "the signature's hash");
	else if (salt < 0 || salt > 512)
		failf(why, len, "RSASSA-PSS salt length %ld", salt);
	else if (pp->trailerField && ASN1_INTEGER_get(pp->trailerField) != 1)
		failf(why, len, "RSASSA-PSS trailer field is not 1");
	else
		rc = 0;
	sc->rsa = true;
	sc->pss = true;
	sc->saltlen = (int)salt;
	RSA_PSS_PARAMS_free(pp);
	return rc;
}

/* The scheme an RFC 7427 AlgorithmIdentifier names. */
static int algid_scheme(const X509_ALGOR *a, struct scheme *sc, char *why,
			size_t len)
{
	static const struct {
		int nid;
		bool rsa;
		const char *md;
	} table[] = {
		{ NID_sha256WithRSAEncryption, true, "SHA256" },
		{ NID_sha384WithRSAEncryption, true, "SHA384" },
		{ NID_sha512WithRSAEncryption, true, "SHA512" },
		{ NID_ecdsa_with_SHA256, false, "SHA256" },
		{ NID_ecdsa_with_SHA384, false, "SHA384" },
		{ NID_ecdsa_with_SHA512, false, "SHA512" },
	};
	const ASN1_OBJECT *obj;
	int ptype, nid;
	char name[80];

	X509_ALGOR_get0(&obj, &ptype, NULL, a);
	nid = OBJ_obj2nid(obj);
	memset(sc, 0, sizeof(*sc));
	if (nid == NID_rsassaPss)
		return pss_scheme(a, sc, why, len);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].nid != nid)
			continue;
		/* PKCS#1: NULL or absent parameters; ECDSA: absent. */
		if (ptype != V_ASN1_UNDEF &&
		    !(table[i].rsa && ptype == V_ASN1_NULL))
			return failf(why, len, "unexpected parameters in the "
				     "AlgorithmIdentifier");
		sc->rsa = table[i].rsa;
		sc->md = table[i].md;
		return 0;
	}
	OBJ_obj2txt(name, sizeof(name), obj, 0);
	return failf(why, len, "unsupported signature algorithm %s", name);
}

/* ---------------------------------------------------------------- */
/* Keys */

/* Width of r and s for ECDSA keys; 0 for anything else. */
static size_t ec_width(EVP_PKEY *k)
{
	return EVP_PKEY_is_a(k, "EC") ? (size_t)(EVP_PKEY_get_bits(k) + 7) / 8
				      : 0;
}

static int check_key(EVP_PKEY *k, const struct scheme *sc, uint8_t method,
		     char *why, size_t len)
{
	static const int bits[] = { 256, 384, 521 };

	if (!k)
		return failf(why, len, "no key");
	if (sc->rsa && !EVP_PKEY_is_a(k, "RSA"))
		return failf(why, len, "auth method %u with an RSA signature "
			     "but a %s key", method,
			     EVP_PKEY_get0_type_name(k));
	if (!sc->rsa && !EVP_PKEY_is_a(k, "EC"))
		return failf(why, len, "auth method %u with an ECDSA "
			     "signature but a %s key", method,
			     EVP_PKEY_get0_type_name(k));
	if (method >= IKEV2_AUTH_ECDSA_256 && method <= IKEV2_AUTH_ECDSA_521 &&
	    EVP_PKEY_get_bits(k) != bits[method - IKEV2_AUTH_ECDSA_256])
		return failf(why, len, "auth method %u needs a P-%d key, not "
			     "%d bits", method,
			     bits[method - IKEV2_AUTH_ECDSA_256],
			     EVP_PKEY_get_bits(k));
	return 0;
}

/* The scheme of a classic method (1, 9, 10, 11). */
static int classic_scheme(uint8_t method, struct scheme *sc, char *why,
			  size_t len)
{
	memset(sc, 0, sizeof(*sc));
	switch (method) {
	case IKEV2_AUTH_RSA_SIG:
		sc->rsa = true;
		sc->md = "SHA1";
		return 0;
	case IKEV2_AUTH_ECDSA_256:
		sc->md = "SHA256";
		return 0;
	case IKEV2_AUTH_ECDSA_384:
		sc->md = "SHA384";
		return 0;
	case IKEV2_AUTH_ECDSA_521:
		sc->md = "SHA512";
		return 0;
	default:
		return failf(why, len, "auth method %u is not a signature "
			     "method we support", method);
	}
}

/* ---------------------------------------------------------------- */
/* EVP */

static EVP_MD_CTX *digest_ctx(EVP_PKEY *k, const struct scheme *sc,
			      bool sign)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *p = NULL;
	int ok;

	if (!m)
		return NULL;
	ok = sign ? EVP_DigestSignInit_ex(m, &p, sc->md, NULL, NULL, k, NULL)
		  : EVP_DigestVerifyInit_ex(m, &p, sc->md, NULL, NULL, k,
					    NULL);
	if (ok && sc->pss)
		ok = EVP_PKEY_CTX_set_rsa_padding(p, RSA_PKCS1_PSS_PADDING) >
			     0 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md_name(p, sc->md, NULL) > 0 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(p, sc->saltlen) > 0;
	else if (ok && sc->rsa)
		ok = EVP_PKEY_CTX_set_rsa_padding(p, RSA_PKCS1_PADDING) > 0;
	if (!ok) {
		EVP_MD_CTX_free(m);
		return NULL;
	}
	return m;
}

static int raw_sign(EVP_PKEY *k, const struct scheme *sc, const uint8_t *in,
		    size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	EVP_MD_CTX *m = digest_ctx(k, sc, true);
	size_t n = 0;
	int rc = -1;

	if (m && EVP_DigestSign(m, NULL, &n, in, len) == 1 && n <= cap &&
	    EVP_DigestSign(m, out, &n, in, len) == 1) {
		*out_len = n;
		rc = 0;
	}
	EVP_MD_CTX_free(m);
	return rc;
}

static int raw_verify(EVP_PKEY *k, const struct scheme *sc,
		      const uint8_t *sig, size_t sig_len, const uint8_t *in,
		      size_t len)
{
	EVP_MD_CTX *m = digest_ctx(k, sc, false);
	int ok = m && EVP_DigestVerify(m, sig, sig_len, in, len) == 1;

	EVP_MD_CTX_free(m);
	return ok ? 0 : -1;
}

/* RFC 4754 3: r and s, each big-endian and as wide as the curve. */
static int der_to_raw(const uint8_t *der, size_t len, size_t w,
		      uint8_t *out)
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
	const BIGNUM *r, *s;
	int rc = -1;

	if (sig) {
		ECDSA_SIG_get0(sig, &r, &s);
		if (BN_bn2binpad(r, out, (int)w) == (int)w &&
		    BN_bn2binpad(s, out + w, (int)w) == (int)w)
			rc = 0;
	}
	ECDSA_SIG_free(sig);
	return rc;
}

/* Returns the DER length, 0 on failure. */
static size_t raw_to_der(const uint8_t *raw, size_t w, uint8_t *out,
			 size_t cap)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, (int)w, NULL);
	BIGNUM *s = BN_bin2bn(raw + w, (int)w, NULL);
	unsigned char *der = NULL;
	int n = 0;

	if (sig && r && s && ECDSA_SIG_set0(sig, r, s)) {
		r = s = NULL;	/* owned by sig now */
		n = i2d_ECDSA_SIG(sig, &der);
	}
	if (n > 0 && (size_t)n <= cap)
		memcpy(out, der, (size_t)n);
	else
		n = 0;
	OPENSSL_free(der);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	return (size_t)n;
}

/* ---------------------------------------------------------------- */
/* Sign */

static int sign_classic(EVP_PKEY *key, uint8_t method, const uint8_t *in,
			size_t len, uint8_t *out, size_t cap, size_t *out_len,
			char *why, size_t why_len)
{
	struct scheme sc;
	uint8_t der[160];
	size_t n = 0, w = ec_width(key);

	if (classic_scheme(method, &sc, why, why_len) < 0 ||
	    check_key(key, &sc, method, why, why_len) < 0)
		return -1;
	if (sc.rsa)
		return raw_sign(key, &sc, in, len, out, cap, out_len) < 0 ?
			failf(why, why_len, "RSA signing failed") : 0;
	if (2 * w > cap || raw_sign(key, &sc, in, len, der, sizeof(der),
				    &n) < 0 ||
	    der_to_raw(der, n, w, out) < 0)
		return failf(why, why_len, "ECDSA signing failed");
	*out_len = 2 * w;
	return 0;
}

static int sign_digital(EVP_PKEY *key, const struct ike_sig_alg *alg,
			const uint8_t *in, size_t len, uint8_t *out,
			size_t cap, size_t *out_len, char *why,
			size_t why_len)
{
	struct scheme sc = { .md = hash_md(alg->hash) };
	size_t id_len, sig_len = 0;

	if (!sc.md)
		return failf(why, why_len, "hash %u is not usable with "
			     "auth method 14", alg->hash);
	sc.rsa = EVP_PKEY_is_a(key, "RSA");
	sc.pss = sc.rsa && alg->pss;
	sc.saltlen = (int)md_len(sc.md);
	if (check_key(key, &sc, alg->method, why, why_len) < 0)
		return -1;
	if (cap < 1 + 67)
		return failf(why, why_len, "AUTH buffer too small");
	id_len = algid_der(alg, sc.rsa, out + 1);
	out[0] = (uint8_t)id_len;
	if (raw_sign(key, &sc, in, len, out + 1 + id_len, cap - 1 - id_len,
		     &sig_len) < 0)
		return failf(why, why_len, "signing failed");
	*out_len = 1 + id_len + sig_len;
	return 0;
}

int ike_auth_sign(EVP_PKEY *key, const struct ike_sig_alg *alg,
		  const uint8_t *octets, size_t len, uint8_t *out, size_t cap,
		  size_t *out_len, char *why, size_t why_len)
{
	int rc;

	*out_len = 0;
	if (!key)
		return failf(why, why_len, "no private key");
	if (alg->method == IKEV2_AUTH_DIGITAL_SIG)
		rc = sign_digital(key, alg, octets, len, out, cap, out_len,
				  why, why_len);
	else
		rc = sign_classic(key, alg->method, octets, len, out, cap,
				  out_len, why, why_len);
	ERR_clear_error();
	return rc;
}

/* ---------------------------------------------------------------- */
/* Verify */

static int verify_classic(EVP_PKEY *pub, uint8_t method, const uint8_t *auth,
			  size_t auth_len, const uint8_t *in, size_t len,
			  char *why, size_t why_len)
{
	struct scheme sc;
	uint8_t der[160];
	size_t w = ec_width(pub), n;

	if (classic_scheme(method, &sc, why, why_len) < 0 ||
	    check_key(pub, &sc, method, why, why_len) < 0)
		return -1;
	if (sc.rsa)
		return raw_verify(pub, &sc, auth, auth_len, in, len) < 0 ?
			failf(why, why_len, "RSA signature does not "
			      "verify") : 0;
	if (auth_len != 2 * w)
		return failf(why, why_len, "ECDSA signature of %zu bytes, "
			     "expected %zu", auth_len, 2 * w);
	n = raw_to_der(auth, w, der, sizeof(der));
	if (!n || raw_verify(pub, &sc, der, n, in, len) < 0)
		return failf(why, why_len, "ECDSA signature does not "
			     "verify");
	return 0;
}

static int verify_digital(EVP_PKEY *pub, const uint8_t *auth,
			  size_t auth_len, const uint8_t *in, size_t len,
			  char *why, size_t why_len)
{
	const unsigned char *p = auth + 1;
	X509_ALGOR *a = NULL;
	struct scheme sc;
	size_t id_len;
	int rc = -1;

	if (auth_len < 1 || auth[0] == 0 || (size_t)auth[0] >= auth_len)
		return failf(why, why_len, "auth method 14: bad "
			     "AlgorithmIdentifier length");
	id_len = auth[0];
	a = d2i_X509_ALGOR(NULL, &p, (long)id_len);
	if (!a || p != auth + 1 + id_len)
		failf(why, why_len, "auth method 14: the AlgorithmIdentifier "
		      "does not parse");
	else if (algid_scheme(a, &sc, why, why_len) == 0 &&
		 check_key(pub, &sc, IKEV2_AUTH_DIGITAL_SIG, why,
			   why_len) == 0) {
		rc = raw_verify(pub, &sc, auth + 1 + id_len,
				auth_len - 1 - id_len, in, len);
		if (rc < 0)
			failf(why, why_len, "%s%s signature does not verify",
			      sc.rsa ? "RSA" : "ECDSA",
			      sc.pss ? "-PSS" : "");
	}
	X509_ALGOR_free(a);
	return rc;
}

int ike_auth_verify(EVP_PKEY *pub, uint8_t method, const uint8_t *auth,
		    size_t auth_len, const uint8_t *octets, size_t len,
		    char *why, size_t why_len)
{
	int rc;

	if (!pub)
		return failf(why, why_len, "no public key");
	if (!auth || !auth_len)
		return failf(why, why_len, "empty AUTH data");
	if (method == IKEV2_AUTH_DIGITAL_SIG)
		rc = verify_digital(pub, auth, auth_len, octets, len, why,
				    why_len);
	else
		rc = verify_classic(pub, method, auth, auth_len, octets, len,
				    why, why_len);
	ERR_clear_error();
	return rc;
}
