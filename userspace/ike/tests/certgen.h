/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helper: keys and certificates made at run time with OpenSSL, so
 * no private key is committed. Times are fixed offsets from TG_T0 (the
 * engine is sans-I/O and takes the time as an argument), which makes
 * the store order and expiry tests deterministic.
 */
#ifndef IKE_TEST_CERTGEN_H
#define IKE_TEST_CERTGEN_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define TG_T0 ((time_t)1700000000)	/* 2023-11-14 22:13:20 UTC */
#define TG_DAY 86400L

static inline EVP_PKEY *tg_rsa(void)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
}

/* curve: "P-256", "P-384", "P-521" */
static inline EVP_PKEY *tg_ec(const char *curve)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
}

static inline bool tg_ext(X509 *x, X509 *issuer, int nid, const char *val)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	bool ok;

	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, val);
	ok = ext && X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* A certificate for key, valid from TG_T0 + nb_off for valid_s seconds,
 * issued by issuer/issuer_key (NULL: self-signed), subject "CN=cn" plus
 * "O=org" when org is set; san like "DNS:r1.example,IP:10.0.0.1". */
static inline X509 *tg_cert(const char *cn, const char *org, EVP_PKEY *key,
			    X509 *issuer, EVP_PKEY *issuer_key, long nb_off,
			    long valid_s, bool ca, const char *san)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	bool ok = x && n;

	if (ok && org)
		ok = X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
						(const unsigned char *)org, -1,
						-1, 0);
	ok = ok && X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
					      (const unsigned char *)cn, -1,
					      -1, 0);
	ok = ok && X509_set_version(x, X509_VERSION_3) &&
	     ASN1_INTEGER_set(X509_get_serialNumber(x), serial++) &&
	     X509_set_subject_name(x, n) &&
	     X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer)
					    : n) &&
	     ASN1_TIME_set(X509_getm_notBefore(x), TG_T0 + nb_off) &&
	     ASN1_TIME_set(X509_getm_notAfter(x), TG_T0 + nb_off + valid_s) &&
	     X509_set_pubkey(x, key);
	if (ok && ca)
		ok = tg_ext(x, issuer, NID_basic_constraints,
			    "critical,CA:TRUE") &&
		     tg_ext(x, issuer, NID_key_usage,
			    "critical,keyCertSign,cRLSign");
	if (ok && san)
		ok = tg_ext(x, issuer, NID_subject_alt_name, san);
	ok = ok && X509_sign(x, issuer_key ? issuer_key : key,
			     EVP_sha256()) > 0;
	X509_NAME_free(n);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static inline bool tg_write_cert(const char *path, X509 *x)
{
	FILE *f = fopen(path, "w");
	bool ok = f && PEM_write_X509(f, x);

	if (f)
		fclose(f);
	return ok;
}

static inline bool tg_write_key(const char *path, EVP_PKEY *k)
{
	FILE *f = fopen(path, "w");
	bool ok = f && PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);

	if (f)
		fclose(f);
	return ok;
}

#endif
