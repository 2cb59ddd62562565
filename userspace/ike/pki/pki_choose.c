// SPDX-License-Identifier: GPL-2.0
/*
 * The CERT_REQ rule table of cisco-semantics.md as pure functions: what
 * each side asks for, and which of its certificates each side signs
 * with. The "why" strings use IOS's debug vocabulary ("peer wants cert
 * issued by", "Choosing trustpoint X as issuer") so that the log reads
 * like "debug crypto isakmp".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pki/pki.h"
#include "core/util.h"

/* ---------------------------------------------------------------- */
/* Sets */

void pki_set_all(const struct pki_store *s, struct pki_set *out)
{
	memcpy(out->idx, s->order, s->n_tp * sizeof(s->order[0]));
	out->n = s->n_tp;
	out->from_profile = false;
}

static bool set_has(const struct pki_set *set, size_t tp)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->idx[i] == tp)
			return true;
	return false;
}

int pki_set_from_refs(const struct pki_store *s, const struct cfg_ref *refs,
		      size_t n, struct pki_set *out, char *err,
		      size_t err_len)
{
	if (n == 0) {
		pki_set_all(s, out);
		return 0;
	}
	out->n = 0;
	out->from_profile = true;
	for (size_t i = 0; i < n; i++) {
		int tp = pki_find(s, refs[i].name);

		if (tp < 0)
			return failf(err, err_len, "trustpoint %s is not "
				     "loaded", refs[i].name);
		/* "pki trustpoint X sign" and "... verify" may both name
		 * X: keep its first position. */
		if (!set_has(out, (size_t)tp) && out->n < PKI_MAX_TRUSTPOINTS)
			out->idx[out->n++] = (size_t)tp;
	}
	return 0;
}

void pki_set_store_order(const struct pki_store *s, const struct pki_set *in,
			 struct pki_set *out)
{
	struct pki_set tmp = { .n = 0, .from_profile = in->from_profile };

	for (size_t i = 0; i < s->n_tp; i++)
		if (set_has(in, s->order[i]))
			tmp.idx[tmp.n++] = s->order[i];
	*out = tmp;
}

/* ---------------------------------------------------------------- */
/* IKEv2 CERTREQ */

size_t pki_ikev2_certreq(const struct pki_store *s, const struct pki_set *set,
			 uint8_t *out, size_t cap)
{
	struct pki_set ordered;
	size_t len = 0;

	if (set)
		pki_set_store_order(s, set, &ordered);
	else
		pki_set_all(s, &ordered);
	for (size_t i = 0; i < ordered.n; i++) {
		const uint8_t *h = s->tp[ordered.idx[i]].ca_hash;
		bool dup = false;

		/* Two trustpoints of one CA: the same hash says nothing
		 * more the second time. */
		for (size_t k = 0; k < len && !dup; k += PKI_HASH_LEN)
			dup = memcmp(out + k, h, PKI_HASH_LEN) == 0;
		if (dup)
			continue;
		if (cap - len < PKI_HASH_LEN)
			return 0;
		memcpy(out + len, h, PKI_HASH_LEN);
		len += PKI_HASH_LEN;
	}
	return len;
}

int pki_ikev2_certreq_check(const uint8_t *data, size_t len, char *err,
			    size_t err_len)
{
	(void)data;
	if (len % PKI_HASH_LEN)
		return failf(err, err_len, "CERTREQ of %zu bytes is not a "
			     "list of %d-byte SHA-1 hashes", len,
			     PKI_HASH_LEN);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Choosing: shared by both versions */

/* One received CERT_REQ names a CA: by key hash (IKEv2) or DN (IKEv1). */
struct received {
	const uint8_t *hashes;		/* IKEv2: n * 20 bytes */
	const uint8_t *const *dns;	/* IKEv1: DER subject names */
	const size_t *dn_lens;
	size_t n;
};

static bool names_ca(const struct pki_trustpoint *tp,
		     const struct received *r, size_t i)
{
	X509_NAME *dn;
	const unsigned char *p;
	bool eq;

	if (r->hashes)
		return memcmp(r->hashes + i * PKI_HASH_LEN, tp->ca_hash,
			      PKI_HASH_LEN) == 0;
	p = r->dns[i];
	if (!p || r->dn_lens[i] == 0 || r->dn_lens[i] > 65535)
		return false;
	dn = d2i_X509_NAME(NULL, &p, (long)r->dn_lens[i]);
	eq = dn && X509_NAME_cmp(dn, X509_get_subject_name(tp->ca)) == 0;
	X509_NAME_free(dn);
	return eq;
}

static void received_str(const struct pki_store *s, const struct received *r,
			 size_t i, char *buf, size_t len)
{
	for (size_t k = 0; k < s->n_tp; k++) {
		if (names_ca(&s->tp[s->order[k]], r, i)) {
			pki_name_str(X509_get_subject_name(
					     s->tp[s->order[k]].ca),
				     buf, len);
			return;
		}
	}
	snprintf(buf, len, "an unknown CA");
}

static void chose(const struct pki_store *s, size_t tp, bool defaulted,
		  const char *because, struct pki_choice *out)
{
	out->tp = (int)tp;
	out->defaulted = defaulted;
	snprintf(out->why, sizeof(out->why), "Choosing trustpoint %s as "
		 "issuer: %s", s->tp[tp].name, because);
}

/* Received order outside, candidates inside: first match (pki.h). */
static bool first_received(const struct pki_store *s,
			   const struct pki_set *cand,
			   const struct received *r, struct pki_choice *out)
{
	char dn[160], because[240];

	for (size_t i = 0; i < r->n; i++) {
		for (size_t k = 0; k < cand->n; k++) {
			size_t tp = cand->idx[k];

			if (!s->tp[tp].cert || !names_ca(&s->tp[tp], r, i))
				continue;
			received_str(s, r, i, dn, sizeof(dn));
			snprintf(because, sizeof(because), "peer wants cert "
				 "issued by %s (CERT_REQ %zu of %zu)", dn,
				 i + 1, r->n);
			chose(s, tp, false, because, out);
			return true;
		}
	}
	return false;
}

/* Candidates outside (profile order), received inside. */
static bool first_candidate(const struct pki_store *s,
			    const struct pki_set *cand,
			    const struct received *r, struct pki_choice *out)
{
	char dn[160], because[240];

	for (size_t k = 0; k < cand->n; k++) {
		size_t tp = cand->idx[k];

		if (!s->tp[tp].cert)
			continue;
		for (size_t i = 0; i < r->n; i++) {
			if (!names_ca(&s->tp[tp], r, i))
				continue;
			pki_name_str(X509_get_subject_name(s->tp[tp].ca), dn,
				     sizeof(dn));
			snprintf(because, sizeof(because), "first trustpoint "
				 "of the %s that the peer asked for (issuer "
				 "%s)", cand->from_profile ? "profile" :
				 "store", dn);
			chose(s, tp, false, because, out);
			return true;
		}
	}
	return false;
}

/* The documented default (pki.h, DEFAULT). */
static int take_default(const struct pki_store *s, const char *profile,
			const struct pki_set *cand, const struct received *r,
			struct pki_choice *out)
{
	char because[240];

	for (size_t k = 0; k < cand->n; k++) {
		size_t tp = cand->idx[k];

		if (!s->tp[tp].cert)
			continue;
		snprintf(because, sizeof(because), "default: %s, so the "
			 "first trustpoint of the %s with a certificate is "
			 "used", r->n ? "no CERT_REQ names a CA we have a "
			 "certificate from" : "the peer sent no CERT_REQ",
			 cand->from_profile ? "profile" : "store");
		chose(s, tp, true, because, out);
		return 0;
	}
	out->tp = -1;
	return failf(out->why, sizeof(out->why), "profile %s: none of its"
		     "%s trustpoints has a certificate of ours: cannot "
		     "authenticate with a certificate", profile,
		     cand->from_profile ? "" : " (global)");
}

static void choice_init(struct pki_choice *out)
{
	out->tp = -1;
	out->defaulted = false;
	out->why[0] = '\0';
}

/* ---------------------------------------------------------------- */
/* IKEv2 */

static int hashes_received(const uint8_t *hashes, size_t len,
			   struct received *r, struct pki_choice *out)
{
	if (pki_ikev2_certreq_check(hashes, len, out->why,
				    sizeof(out->why)) < 0)
		return -1;
	*r = (struct received){ .hashes = hashes ? hashes :
				(const uint8_t *)"", .n = len / PKI_HASH_LEN };
	return 0;
}

int pki_ikev2_choose_initiator(const struct pki_store *s,
			       const char *profile,
			       const struct cfg_ref *refs, size_t n_refs,
			       const uint8_t *hashes, size_t hashes_len,
			       struct pki_choice *out)
{
	struct pki_set cand;
	struct received r;

	choice_init(out);
	if (n_refs == 0)
		return failf(out->why, sizeof(out->why), "profile %s has no "
			     "pki trustpoint: cannot choose a certificate",
			     profile);
	if (pki_set_from_refs(s, refs, n_refs, &cand, out->why,
			      sizeof(out->why)) < 0 ||
	    hashes_received(hashes, hashes_len, &r, out) < 0)
		return -1;
	if (first_received(s, &cand, &r, out))
		return 0;
	return take_default(s, profile, &cand, &r, out);
}

int pki_ikev2_choose_responder(const struct pki_store *s,
			       const char *profile,
			       const struct cfg_ref *refs, size_t n_refs,
			       const uint8_t *hashes, size_t hashes_len,
			       struct pki_choice *out)
{
	struct pki_set cand;
	struct received r;

	choice_init(out);
	if (pki_set_from_refs(s, refs, n_refs, &cand, out->why,
			      sizeof(out->why)) < 0 ||
	    hashes_received(hashes, hashes_len, &r, out) < 0)
		return -1;
	if (first_candidate(s, &cand, &r, out))
		return 0;
	return take_default(s, profile, &cand, &r, out);
}

/* ---------------------------------------------------------------- */
/* IKEv1 */

int pki_ikev1_certreq_initiator(const struct pki_store *s,
				const struct cfg_ref *ca_trust_points,
				size_t n, struct pki_set *out, char *err,
				size_t err_len)
{
	struct pki_set listed;

	if (pki_set_from_refs(s, ca_trust_points, n, &listed, err,
			      err_len) < 0)
		return -1;
	pki_set_store_order(s, &listed, out);
	return 0;
}

void pki_ikev1_certreq_responder(const struct pki_store *s,
				 struct pki_set *out)
{
	pki_set_all(s, out);
}

int pki_ikev1_choose(const struct pki_store *s, const char *profile,
		     const struct cfg_ref *refs, size_t n_refs,
		     const uint8_t *const *dns, const size_t *dn_lens,
		     size_t n_dns, struct pki_choice *out)
{
	struct pki_set cand;
	struct received r = { .dns = dns, .dn_lens = dn_lens, .n = n_dns };

	choice_init(out);
	if (n_dns && (!dns || !dn_lens))
		return failf(out->why, sizeof(out->why), "CERT_REQ list "
			     "missing");
	if (pki_set_from_refs(s, refs, n_refs, &cand, out->why,
			      sizeof(out->why)) < 0)
		return -1;
	if (first_received(s, &cand, &r, out))
		return 0;
	return take_default(s, profile, &cand, &r, out);
}

/* ---------------------------------------------------------------- */
/* Log lines */

static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	*pos = n < 0 ? len : *pos + (size_t)n;
}

void pki_describe_certreq_sent(const struct pki_store *s,
			       const struct pki_set *set, char *buf,
			       size_t len)
{
	struct pki_set ordered;
	size_t pos = 0;
	char dn[160];

	if (!len)
		return;
	buf[0] = '\0';
	if (set)
		pki_set_store_order(s, set, &ordered);
	else
		pki_set_all(s, &ordered);
	for (size_t i = 0; i < ordered.n; i++) {
		const struct pki_trustpoint *tp = &s->tp[ordered.idx[i]];

		pki_name_str(X509_get_subject_name(tp->ca), dn, sizeof(dn));
		append(buf, len, &pos, "%sconstructing CERT_REQ for issuer "
		       "%s (%s)", i ? "; " : "", dn, tp->name);
	}
}

void pki_describe_certreq_received(const struct pki_store *s,
				   const uint8_t *hashes, size_t hashes_len,
				   char *buf, size_t len)
{
	struct received r = { .hashes = hashes, .n = hashes_len /
			      PKI_HASH_LEN };
	size_t pos = 0;
	char dn[160];

	if (!len)
		return;
	buf[0] = '\0';
	if (!hashes || r.n == 0) {
		append(buf, len, &pos, "empty CERTREQ");
		return;
	}
	for (size_t i = 0; i < r.n; i++) {
		const char *tp = NULL;

		for (size_t k = 0; k < s->n_tp && !tp; k++)
			if (names_ca(&s->tp[s->order[k]], &r, i))
				tp = s->tp[s->order[k]].name;
		append(buf, len, &pos, "%speer wants cert issued by ",
		       i ? "; " : "");
		if (tp) {
			received_str(s, &r, i, dn, sizeof(dn));
			append(buf, len, &pos, "%s (%s)", dn, tp);
			continue;
		}
		append(buf, len, &pos, "an unknown CA (SHA-1 ");
		for (size_t b = 0; b < PKI_HASH_LEN; b++)
			append(buf, len, &pos, "%02x",
			       hashes[i * PKI_HASH_LEN + b]);
		append(buf, len, &pos, ")");
	}
}
