// SPDX-License-Identifier: GPL-2.0
/*
 * Chain validation of a peer certificate against the CAs of a set of
 * trustpoints, and the binding of the peer's ID to its certificate.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "ikev2/ikev2_const.h"
#include "pki/pki.h"
#include "core/util.h"

/* "TP1, TP2" for messages. */
static void set_names(const struct pki_store *s, const struct pki_set *set,
		      char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < set->n && pos < len; i++) {
		int n = snprintf(buf + pos, len - pos, "%s%s", i ? ", " : "",
				 s->tp[set->idx[i]].name);

		if (n < 0)
			break;
		pos += (size_t)n;
	}
}

/* The trust anchors: the sets' CA certificates, nothing else. A
 * trustpoint may hold a subordinate CA, which IOS trusts as it is, hence
 * PARTIAL_CHAIN. No purpose is required: IOS CAs issue router
 * certificates without extendedKeyUsage. */
static X509_STORE *anchors(const struct pki_store *s,
			   const struct pki_set *set, time_t now)
{
	X509_STORE *st = X509_STORE_new();
	X509_VERIFY_PARAM *param = X509_VERIFY_PARAM_new();

	if (!st || !param)
		goto fail;
	for (size_t i = 0; i < set->n; i++)
		if (!X509_STORE_add_cert(st, s->tp[set->idx[i]].ca))
			goto fail;
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	X509_VERIFY_PARAM_set_time(param, now);
	if (!X509_STORE_set1_param(st, param))
		goto fail;
	X509_VERIFY_PARAM_free(param);
	return st;
fail:
	X509_VERIFY_PARAM_free(param);
	X509_STORE_free(st);
	return NULL;
}

static int explain(const struct pki_store *s, const struct pki_set *set,
		   X509_STORE_CTX *ctx, char *why, size_t len)
{
	int e = X509_STORE_CTX_get_error(ctx);
	int depth = X509_STORE_CTX_get_error_depth(ctx);
	X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
	char subj[160] = "?", iss[160] = "?", tps[200];

	if (cur) {
		pki_name_str(X509_get_subject_name(cur), subj, sizeof(subj));
		pki_name_str(X509_get_issuer_name(cur), iss, sizeof(iss));
	}
	set_names(s, set, tps, sizeof(tps));
	switch (e) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		return failf(why, len, "certificate '%s' is issued by '%s', "
			     "which is not the CA of trustpoint(s) %s "
			     "(unknown CA)", subj, iss, tps);
	default:
		return failf(why, len, "certificate '%s' (chain depth %d): "
			     "%s", subj, depth,
			     X509_verify_cert_error_string(e));
	}
}

/* Which trustpoint's CA ends the verified chain. */
static int find_anchor(const struct pki_store *s, const struct pki_set *set,
		       X509_STORE_CTX *ctx)
{
	STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
	int n = chain ? sk_X509_num(chain) : 0;

	for (int c = 0; c < n; c++)
		for (size_t i = 0; i < set->n; i++)
			if (X509_cmp(sk_X509_value(chain, c),
				     s->tp[set->idx[i]].ca) == 0)
				return (int)set->idx[i];
	return -1;
}

int pki_verify_peer(const struct pki_store *s, const struct pki_set *set,
		    X509 *peer, STACK_OF(X509) *intermediates, time_t now,
		    int *anchor, char *why, size_t why_len)
{
	X509_STORE *st = NULL;
	X509_STORE_CTX *ctx = NULL;
	int rc = -1;

	if (anchor)
		*anchor = -1;
	if (!peer)
		return failf(why, why_len, "no peer certificate");
	if (!set || set->n == 0)
		return failf(why, why_len, "no trustpoint to validate the "
			     "peer's certificate against");
	st = anchors(s, set, now);
	ctx = X509_STORE_CTX_new();
	if (!st || !ctx ||
	    !X509_STORE_CTX_init(ctx, st, peer, intermediates)) {
		failf(why, why_len, "cannot set up certificate validation");
		goto out;
	}
	if (X509_verify_cert(ctx) != 1) {
		explain(s, set, ctx, why, why_len);
		goto out;
	}
	if (anchor)
		*anchor = find_anchor(s, set, ctx);
	rc = 0;
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	return rc;
}

/* ---------------------------------------------------------------- */
/* Identity */

/* Case-insensitive (ASCII) over exactly len bytes: unlike strncasecmp
 * it does not stop at a NUL, so "a.example\0evil" cannot match
 * "a.example\0good". */
static bool eq_nocase(const uint8_t *a, const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (tolower(a[i]) != tolower(b[i]))
			return false;
	return true;
}

static bool san_match(GENERAL_NAMES *gens, int type, const uint8_t *id,
		      size_t len, bool nocase)
{
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		int t;
		ASN1_STRING *v = GENERAL_NAME_get0_value(g, &t);

		if (t != type || !v || (size_t)ASN1_STRING_length(v) != len)
			continue;
		if (nocase ? eq_nocase(ASN1_STRING_get0_data(v), id, len) :
			     memcmp(ASN1_STRING_get0_data(v), id, len) == 0)
			return true;
	}
	return false;
}

static int check_dn(X509 *cert, const uint8_t *id, size_t len, char *why,
		    size_t why_len)
{
	const unsigned char *p = id;
	X509_NAME *dn = len && len <= 65535 ?
		d2i_X509_NAME(NULL, &p, (long)len) : NULL;
	char want[160], have[160];
	int rc = 0;

	ERR_clear_error();
	if (!dn || p != id + len) {
		X509_NAME_free(dn);
		return failf(why, why_len, "ID_DER_ASN1_DN is not a DER "
			     "distinguished name");
	}
	if (X509_NAME_cmp(dn, X509_get_subject_name(cert)) != 0) {
		pki_name_str(dn, want, sizeof(want));
		pki_name_str(X509_get_subject_name(cert), have, sizeof(have));
		rc = failf(why, why_len, "peer ID '%s' is not the "
			   "certificate's subject '%s'", want, have);
	}
	X509_NAME_free(dn);
	return rc;
}

static const char *id_type_name(uint8_t t)
{
	switch (t) {
	case IKEV2_ID_IPV4_ADDR: return "ID_IPV4_ADDR";
	case IKEV2_ID_IPV6_ADDR: return "ID_IPV6_ADDR";
	case IKEV2_ID_FQDN: return "ID_FQDN";
	case IKEV2_ID_RFC822_ADDR: return "ID_RFC822_ADDR";
	case IKEV2_ID_KEY_ID: return "ID_KEY_ID";
	default: return "ID type";
	}
}

/* The ID for a message: an address in text, a name up to 100 bytes with
 * anything unprintable as '?'. */
static void id_str(uint8_t type, const uint8_t *id, size_t len, char *buf,
		   size_t size)
{
	size_t n = len < size - 1 ? len : size - 1;

	if (type == IKEV2_ID_IPV4_ADDR || type == IKEV2_ID_IPV6_ADDR) {
		if (!inet_ntop(type == IKEV2_ID_IPV4_ADDR ? AF_INET :
			       AF_INET6, id, buf, (socklen_t)size))
			snprintf(buf, size, "?");
		return;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = isprint(id[i]) ? (char)id[i] : '?';
	buf[n] = '\0';
}

int pki_check_id(X509 *cert, uint8_t id_type, const uint8_t *id,
		 size_t id_len, char *why, size_t why_len)
{
	GENERAL_NAMES *gens;
	int gen_type;
	bool nocase = true, ok;

	if (!cert || (!id && id_len))
		return failf(why, why_len, "no certificate or no ID");
	switch (id_type) {
	case IKEV2_ID_DER_ASN1_DN:
		return check_dn(cert, id, id_len, why, why_len);
	case IKEV2_ID_IPV4_ADDR:
	case IKEV2_ID_IPV6_ADDR:
		if (id_len != (id_type == IKEV2_ID_IPV4_ADDR ? 4u : 16u))
			return failf(why, why_len, "%s of %zu bytes",
				     id_type_name(id_type), id_len);
		gen_type = GEN_IPADD;
		nocase = false;
		break;
	case IKEV2_ID_FQDN:
		gen_type = GEN_DNS;
		break;
	case IKEV2_ID_RFC822_ADDR:
		gen_type = GEN_EMAIL;
		break;
	default:
		return failf(why, why_len, "%s %u cannot be bound to a "
			     "certificate", id_type_name(id_type), id_type);
	}
	gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	ok = gens && san_match(gens, gen_type, id, id_len, nocase);
	GENERAL_NAMES_free(gens);
	ERR_clear_error();
	if (!ok) {
		char shown[INET6_ADDRSTRLEN > 101 ? INET6_ADDRSTRLEN : 101];

		id_str(id_type, id, id_len, shown, sizeof(shown));
		return failf(why, why_len, "the certificate has no "
			     "subjectAltName matching the peer's %s '%s'",
			     id_type_name(id_type), shown);
	}
	return 0;
}
