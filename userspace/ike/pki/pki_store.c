// SPDX-License-Identifier: GPL-2.0
/*
 * The trustpoint store: loading PEM files, consistency checks, and the
 * store order of pki.h (most recently enrolled first).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "pki/pki.h"
#include "core/util.h"

struct pki_store *pki_store_new(void)
{
	return calloc(1, sizeof(struct pki_store));
}

void pki_store_free(struct pki_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_tp; i++) {
		X509_free(s->tp[i].ca);
		X509_free(s->tp[i].cert);
		EVP_PKEY_free(s->tp[i].key);
	}
	free(s);
}

int pki_find(const struct pki_store *s, const char *name)
{
	for (size_t i = 0; i < s->n_tp; i++)
		if (strcmp(s->tp[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ---------------------------------------------------------------- */
/* Checks */

/* RSA, or ECDSA on a curve that IKE has an auth method for. */
static int check_key_type(EVP_PKEY *key, const char *what, char *err,
			  size_t len)
{
	char curve[32] = "";

	if (EVP_PKEY_is_a(key, "RSA"))
		return 0;
	if (!EVP_PKEY_is_a(key, "EC"))
		return failf(err, len, "%s: key type %s is not supported "
			     "(RSA or ECDSA only)", what,
			     EVP_PKEY_get0_type_name(key));
	if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
					    curve, sizeof(curve), NULL))
		return failf(err, len, "%s: EC key without a named curve",
			     what);
	if (strcmp(curve, "prime256v1") && strcmp(curve, "secp384r1") &&
	    strcmp(curve, "secp521r1"))
		return failf(err, len, "%s: curve %s is not supported "
			     "(P-256, P-384, P-521)", what, curve);
	return 0;
}

/* Our certificate must come from the trustpoint's CA and match its key:
 * a mistake here would only show up as an AUTHENTICATION_FAILED at the
 * peer, so catch it at load time. */
static int check_local(const char *name, X509 *ca, X509 *cert,
		       EVP_PKEY *key, char *err, size_t len)
{
	EVP_PKEY *ca_key = X509_get0_pubkey(ca);
	EVP_PKEY *pub = X509_get0_pubkey(cert);
	char what[CFG_NAME_MAX + 32];

	snprintf(what, sizeof(what), "trustpoint %s", name);
	if (!pub || !ca_key)
		return failf(err, len, "%s: certificate without a usable "
			     "public key", what);
	if (X509_NAME_cmp(X509_get_issuer_name(cert),
			  X509_get_subject_name(ca)) != 0 ||
	    X509_verify(cert, ca_key) != 1)
		return failf(err, len, "%s: the certificate is not issued by "
			     "the trustpoint's CA", what);
	if (EVP_PKEY_eq(pub, key) != 1)
		return failf(err, len, "%s: the private key does not match "
			     "the certificate", what);
	return check_key_type(key, what, err, len);
}

static int spki_sha1(X509 *ca, uint8_t out[PKI_HASH_LEN])
{
	unsigned char *der = NULL;
	unsigned int md_len = 0;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(ca), &der);
	int ok;

	if (len <= 0)
		return -1;
	ok = EVP_Digest(der, (size_t)len, out, &md_len, EVP_sha1(), NULL);
	OPENSSL_free(der);
	return ok && md_len == PKI_HASH_LEN ? 0 : -1;
}

/* ---------------------------------------------------------------- */
/* Store order */

/* An entry with its enrollment time, while sorting. */
struct sort_item {
	struct pki_entry e;
	const ASN1_TIME *not_before;
};

/* Most recent first; then the later-declared trustpoint; then ours
 * before the CA's. The keys are unique, so qsort's instability does not
 * matter. */
static int cmp_item(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int c = ASN1_TIME_compare(y->not_before, x->not_before);

	if (c)
		return c;
	if (x->e.tp != y->e.tp)
		return x->e.tp > y->e.tp ? -1 : 1;
	return (int)x->e.is_ca - (int)y->e.is_ca;
}

static void build_order(struct pki_store *s)
{
	struct sort_item item[2 * PKI_MAX_TRUSTPOINTS];
	bool seen[PKI_MAX_TRUSTPOINTS] = { false };
	size_t n = 0, k = 0;

	for (size_t i = 0; i < s->n_tp; i++) {
		item[n++] = (struct sort_item){
			{ i, true }, X509_get0_notBefore(s->tp[i].ca) };
		if (s->tp[i].cert)
			item[n++] = (struct sort_item){
				{ i, false },
				X509_get0_notBefore(s->tp[i].cert) };
	}
	qsort(item, n, sizeof(item[0]), cmp_item);
	s->n_entry = n;
	for (size_t i = 0; i < n; i++) {
		size_t tp = item[i].e.tp;

		s->entry[i] = item[i].e;
		if (!seen[tp]) {
			seen[tp] = true;
			s->order[k++] = tp;
		}
	}
}

/* ---------------------------------------------------------------- */
/* Adding */

int pki_store_add(struct pki_store *s, const char *name, X509 *ca,
		  X509 *cert, EVP_PKEY *key, char *err, size_t err_len)
{
	struct pki_trustpoint *tp;

	if (s->n_tp == PKI_MAX_TRUSTPOINTS)
		return failf(err, err_len, "more than %d trustpoints",
			     PKI_MAX_TRUSTPOINTS);
	if (!name || !*name || strlen(name) >= CFG_NAME_MAX)
		return failf(err, err_len, "invalid trustpoint name");
	if (pki_find(s, name) >= 0)
		return failf(err, err_len, "trustpoint %s added twice", name);
	if (!ca)
		return failf(err, err_len, "trustpoint %s has no CA "
			     "certificate", name);
	if (!cert != !key)
		return failf(err, err_len, "trustpoint %s needs both a "
			     "certificate and its private key", name);
	if (cert && check_local(name, ca, cert, key, err, err_len) < 0)
		return -1;
	tp = &s->tp[s->n_tp];
	memset(tp, 0, sizeof(*tp));
	snprintf(tp->name, sizeof(tp->name), "%s", name);
	if (spki_sha1(ca, tp->ca_hash) < 0)
		return failf(err, err_len, "trustpoint %s: cannot hash the "
			     "CA's public key", name);
	/* Reference counting cannot fail in OpenSSL 3 (atomic add). */
	X509_up_ref(ca);
	if (cert)
		X509_up_ref(cert);
	if (key)
		EVP_PKEY_up_ref(key);
	tp->ca = ca;
	tp->cert = cert;
	tp->key = key;
	s->n_tp++;
	build_order(s);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Loading from PEM files */

static FILE *open_pem(const char *tp, const char *what, const char *path,
		      char *err, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		failf(err, len, "trustpoint %s: cannot read %s '%s': %s", tp,
		      what, path, strerror(errno));
	return f;
}

static X509 *read_cert(const char *tp, const char *what, const char *path,
		       char *err, size_t len)
{
	FILE *f = open_pem(tp, what, path, err, len);
	X509 *x;

	if (!f)
		return NULL;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ERR_clear_error();
	if (!x)
		failf(err, len, "trustpoint %s: %s '%s' holds no PEM "
		      "certificate", tp, what, path);
	return x;
}

static EVP_PKEY *read_key(const char *tp, const char *path, char *err,
			  size_t len)
{
	FILE *f = open_pem(tp, "private key file", path, err, len);
	EVP_PKEY *k;

	if (!f)
		return NULL;
	/* No passphrase callback: a daemon cannot ask for one. */
	k = PEM_read_PrivateKey(f, NULL, NULL, (void *)"");
	fclose(f);
	ERR_clear_error();
	if (!k)
		failf(err, len, "trustpoint %s: private key file '%s' holds "
		      "no unencrypted PEM private key", tp, path);
	return k;
}

static int load_one(struct pki_store *s, const struct cfg_trustpoint *c,
		    char *err, size_t len)
{
	X509 *ca = NULL, *cert = NULL;
	EVP_PKEY *key = NULL;
	int rc = -1;

	if (!c->ca_cert_file[0]) {
		failf(err, len, "trustpoint %s has no ca-certificate-file",
		      c->name);
		goto out;
	}
	ca = read_cert(c->name, "CA certificate file", c->ca_cert_file, err,
		       len);
	if (!ca)
		goto out;
	if (c->cert_file[0]) {
		cert = read_cert(c->name, "certificate file", c->cert_file,
				 err, len);
		if (!cert)
			goto out;
	}
	if (c->key_file[0]) {
		key = read_key(c->name, c->key_file, err, len);
		if (!key)
			goto out;
	}
	rc = pki_store_add(s, c->name, ca, cert, key, err, len);
out:
	X509_free(ca);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

int pki_store_load(const struct cfg_model *m, struct pki_store **out,
		   char *err, size_t err_len)
{
	struct pki_store *s = pki_store_new();

	*out = NULL;
	if (!s)
		return failf(err, err_len, "out of memory");
	for (size_t i = 0; i < m->n_trustpoints; i++) {
		if (load_one(s, &m->trustpoints[i], err, err_len) < 0) {
			pki_store_free(s);
			return -1;
		}
	}
	*out = s;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Helpers */

X509 *pki_cert_from_der(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x;

	if (!der || len == 0 || len > 65535)
		return NULL;
	x = d2i_X509(NULL, &p, (long)len);
	ERR_clear_error();
	/* Trailing bytes mean the payload was not one certificate. */
	if (x && p != der + len) {
		X509_free(x);
		return NULL;
	}
	return x;
}

void pki_name_str(const X509_NAME *name, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;

	if (!len)
		return;
	snprintf(buf, len, "?");
	if (!b)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_get_mem_data(b, &data);
		if (n >= 0 && data)
			snprintf(buf, len, "%.*s", (int)n, data);
	}
	BIO_free(b);
}
