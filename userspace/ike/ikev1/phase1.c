// SPDX-License-Identifier: GPL-2.0
/*
 * phase1: what Main Mode and Aggressive Mode share (RFC 2409 5): the
 * choice of a protection suite, KE and nonces, SKEYID and its children,
 * NAT detection (RFC 3947) and the move to port 4500, certificate
 * requests and the choice of our certificate (cisco-semantics.md: first
 * match in the order received, the profile's trustpoints for an
 * initiator, all trustpoints for a responder), the ID and HASH or
 * signature of each side, and the end of phase 1 either way.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ikev1/ikev1.h"
#include "ikev1/kdf.h"
#include "pki/pki.h"

struct ike_sa *v1_phase1_new(struct ike_engine *e, struct ike_tunnel *t,
			     bool initiator, const struct ike_path *path,
			     uint8_t exch)
{
	struct ike_sa *sa = ike_sa_new(e, t, e->ikev1, initiator, path);

	if (!sa)
		return NULL;
	sa->v1.exch = exch;
	sa->v1.sign_tp = -1;
	sa->v1.st = V1_READY;
	sa->state = initiator ? IKE_ST_INIT_SENT : IKE_ST_INIT_DONE;
	return sa;
}

static const char *auth_name(uint16_t a)
{
	switch (a) {
	case IKEV1_AUTH_PSK: return "pre-share";
	case IKEV1_AUTH_RSA_SIG: return "rsa-sig";
	case IKEV1_AUTH_ECDSA_256:
	case IKEV1_AUTH_ECDSA_384:
	case IKEV1_AUTH_ECDSA_521: return "ecdsa-sig";
	}
	return "unsupported";
}

static bool same_suite(const struct v1_transform *a,
		       const struct v1_transform *b)
{
	/* 3DES has one key length, however it is written down. */
	bool bits = a->encr == IKEV2_ENCR_3DES || a->key_bits == b->key_bits;

	return a->encr && a->encr == b->encr && bits &&
	       a->hash == b->hash && a->group == b->group &&
	       a->auth == b->auth;
}

static void describe(const struct v1_transform *t, char *buf, size_t len)
{
	snprintf(buf, len, "encr %u/%u hash %u auth %s group %u life %u s",
		 t->encr, t->key_bits, t->hash, auth_name(t->auth), t->group,
		 t->life_s);
}

int v1_choose_transform(struct ike_sa *sa, const struct v1_sa_payload *offer,
			struct v1_transform *chosen, char *why, size_t len)
{
	struct v1_transform ours[CFG_LIST_MAX * 4];
	size_t n = v1_local_transforms(sa->e, sa->t, ours, CFG_LIST_MAX * 4);
	char d[128];

	snprintf(why, len, "none of our %zu policies matches the %u "
		 "offered", n, offer->n_proposals ?
		 offer->proposals[0].n_transforms : 0);
	/* IOS: our policies in priority order, each against every offer. */
	for (size_t i = 0; i < n; i++) {
		for (size_t p = 0; p < offer->n_proposals; p++) {
			const struct v1_proposal *pr = &offer->proposals[p];

			if (pr->protocol != ISAKMP_PROTO_ISAKMP)
				continue;
			for (size_t k = 0; k < pr->n_transforms; k++) {
				const struct v1_transform *t =
					&pr->transforms[k];

				if (t->unknown_attr || t->refused_alg ||
				    !same_suite(&ours[i], t))
					continue;
				*chosen = *t;
				/* The shorter lifetime wins (IOS, RFC 2409). */
				if (!t->life_s || ours[i].life_s < t->life_s)
					chosen->life_s = ours[i].life_s;
				describe(chosen, d, sizeof(d));
				sa_log(sa, IKE_LOG_DEBUG, "atts are acceptable "
				       "(policy %zu): %s", i + 1, d);
				return 0;
			}
		}
	}
	for (size_t p = 0; p < offer->n_proposals; p++)
		for (size_t k = 0; k < offer->proposals[p].n_transforms; k++) {
			const struct v1_transform *t =
				&offer->proposals[p].transforms[k];

			describe(t, d, sizeof(d));
			sa_log(sa, IKE_LOG_DEBUG, "atts are not acceptable: %s%s",
			       d, t->refused_alg ? " (DES or group 1: refused "
			       "as broken)" : t->unknown_attr ?
			       " (unknown attribute)" : "");
		}
	return -1;
}

int v1_check_answer(struct ike_sa *sa, const struct v1_sa_payload *answer,
		    struct v1_transform *chosen)
{
	struct v1_transform ours[CFG_LIST_MAX * 4];
	size_t n = v1_local_transforms(sa->e, sa->t, ours, CFG_LIST_MAX * 4);
	const struct v1_transform *t;

	if (answer->n_proposals != 1 ||
	    answer->proposals[0].n_transforms != 1)
		return -1;
	t = &answer->proposals[0].transforms[0];
	for (size_t i = 0; i < n; i++)
		if (!t->unknown_attr && same_suite(&ours[i], t)) {
			*chosen = *t;
			if (!t->life_s || t->life_s > ours[i].life_s)
				chosen->life_s = ours[i].life_s;
			return 0;
		}
	return -1;
}

void v1_agree(struct ike_sa *sa, const struct v1_transform *tr)
{
	memset(&sa->sel, 0, sizeof(sa->sel));
	sa->sel.encr.id = tr->encr;
	sa->sel.encr.key_bits = tr->key_bits;
	sa->sel.prf = tr->hash;
	sa->sel.integ = tr->hash;
	sa->sel.dh = tr->group;
	sa->v1.encr = tr->encr;
	sa->v1.key_bits = tr->key_bits;
	sa->v1.auth = tr->auth;
	sa->v1.life_s = tr->life_s ? tr->life_s : 86400;
	sa->v1.policy = v1_policy_of(sa->e, tr);
	if (sa->v1.policy &&
	    ((const struct cfg_isakmp_policy *)sa->v1.policy)->legacy)
		sa_log(sa, IKE_LOG_WARNING, "legacy algorithms agreed (3DES, "
		       "MD5 or DH group 2/5): move this peer to AES, SHA-2 "
		       "and group 14 or stronger");
}

/* ---- KE, nonces, keys ---- */

static uint8_t *our_ke(struct ike_sa *sa)
{
	return sa->initiator ? sa->v1.gxi : sa->v1.gxr;
}

int v1_make_ke(struct ike_sa *sa)
{
	size_t len = ike_dh_public_len(sa->sel.dh);

	ike_dh_free(sa->dh);
	sa->dh = ike_dh_new(sa->sel.dh);
	if (!sa->dh || !len || len > V1_KE_MAX ||
	    ike_dh_public(sa->dh, our_ke(sa), len) < 0) {
		sa_log(sa, IKE_LOG_ERR, "DH group %u: cannot make a key",
		       sa->sel.dh);
		return -1;
	}
	sa->v1.gx_len = len;
	if (sa->initiator) {
		sa->ni_len = V1_NONCE_LEN;
		ike_random(sa->ni, sa->ni_len);
	} else {
		sa->nr_len = V1_NONCE_LEN;
		ike_random(sa->nr, sa->nr_len);
	}
	return 0;
}

long v1_add_ke_nonce(struct ike_sa *sa, struct v1_builder *b)
{
	long at = v1_add_raw(b, ISAKMP_PL_KE, our_ke(sa), sa->v1.gx_len);

	if (sa->initiator)
		v1_add_raw(b, ISAKMP_PL_NONCE, sa->ni, sa->ni_len);
	else
		v1_add_raw(b, ISAKMP_PL_NONCE, sa->nr, sa->nr_len);
	return at;
}

int v1_take_ke_nonce(struct ike_sa *sa, const struct v1_msg *m)
{
	const struct v1_payload *ke = v1_msg_find(m, ISAKMP_PL_KE, NULL);
	const struct v1_payload *no = v1_msg_find(m, ISAKMP_PL_NONCE, NULL);

	if (!ke || !no) {
		sa_log(sa, IKE_LOG_NOTICE, "KE or NONCE payload missing");
		return -1;
	}
	if (ke->body.len != ike_dh_public_len(sa->sel.dh)) {
		sa_log(sa, IKE_LOG_NOTICE, "KE of %zu bytes for DH group %u "
		       "(%zu expected)", ke->body.len, sa->sel.dh,
		       ike_dh_public_len(sa->sel.dh));
		return -1;
	}
	if (no->body.len < 8 || no->body.len > V1_NONCE_MAX) {
		sa_log(sa, IKE_LOG_NOTICE, "nonce of %zu bytes (8..256)",
		       no->body.len);
		return -1;
	}
	memcpy(sa->initiator ? sa->v1.gxr : sa->v1.gxi, ke->body.ptr,
	       ke->body.len);
	sa->v1.gx_len = ke->body.len;
	if (sa->initiator) {
		memcpy(sa->nr, no->body.ptr, no->body.len);
		sa->nr_len = no->body.len;
	} else {
		memcpy(sa->ni, no->body.ptr, no->body.len);
		sa->ni_len = no->body.len;
	}
	return 0;
}

int v1_derive(struct ike_sa *sa)
{
	uint8_t gxy[V1_KE_MAX], skeyid[IKE_PRF_MAX_LEN];
	size_t gl = ike_dh_shared_len(sa->sel.dh);
	size_t bl = v1_cipher_block_len(sa->v1.encr);
	bool psk = sa->v1.auth == IKEV1_AUTH_PSK;
	const uint8_t *peer = sa->initiator ? sa->v1.gxr : sa->v1.gxi;
	int rc = -1;

	if (!sa->dh || !gl || gl > sizeof(gxy) ||
	    ike_dh_shared(sa->dh, peer, sa->v1.gx_len, gxy, gl) < 0) {
		sa_log(sa, IKE_LOG_NOTICE, "the peer's KE is not a valid "
		       "public value for DH group %u", sa->sel.dh);
		goto out;
	}
	if (v1_skeyid(sa->sel.prf, psk ? sa->v1.psk : NULL,
		      psk ? sa->v1.psk_len : 0, sa->ni, sa->ni_len, sa->nr,
		      sa->nr_len, gxy, gl, skeyid) < 0 ||
	    v1_keys_derive(sa->sel.prf, skeyid, gxy, gl, sa->spi_i, sa->spi_r,
			   v1_cipher_key_len(sa->v1.encr, sa->v1.key_bits),
			   &sa->v1.keys) < 0 ||
	    v1_iv_phase1(sa->sel.prf, sa->v1.gxi, sa->v1.gx_len, sa->v1.gxr,
			 sa->v1.gx_len, bl, sa->v1.iv.iv) < 0) {
		sa_log(sa, IKE_LOG_ERR, "key derivation failed");
		goto out;
	}
	sa->v1.iv.len = bl;
	sa->v1.iv.used = true;
	sa->v1.have_keys = true;
	if (sa->e->ops.ike_keys) {
		struct ike_keys_info k = {
			.version = 1, .encr = sa->v1.encr,
			.encr_bits = sa->v1.key_bits,
			.enc_key = sa->v1.keys.enc_key,
			.enc_len = sa->v1.keys.enc_len,
		};

		memcpy(k.spi_i, sa->spi_i, 8);
		memcpy(k.spi_r, sa->spi_r, 8);
		sa->e->ops.ike_keys(sa->e->ops.ctx, &k);
	}
	rc = 0;
	sa_log(sa, IKE_LOG_DEBUG, "SKEYID state generated");
out:
	/* The private value is not needed again (PFS makes its own). */
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	OPENSSL_cleanse(gxy, sizeof(gxy));
	OPENSSL_cleanse(skeyid, sizeof(skeyid));
	return rc;
}

/* ---- NAT-T (RFC 3947 3.2) ---- */

static void natd_hash(const struct ike_sa *sa,
		      const struct sockaddr_storage *ss, uint8_t *out,
		      unsigned int *len)
{
	struct ikevti_addr a;
	uint8_t port[2];
	uint16_t p = ike_sockaddr_port(ss);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const EVP_MD *md = EVP_get_digestbyname(ike_prf_digest(sa->sel.prf));

	*len = 0;
	if (!ctx || !md) {
		EVP_MD_CTX_free(ctx);
		return;
	}
	ike_sockaddr_to_addr(ss, &a);
	port[0] = p >> 8;
	port[1] = p & 0xff;
	if (EVP_DigestInit_ex(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, sa->spi_i, 8) != 1 ||
	    EVP_DigestUpdate(ctx, sa->spi_r, 8) != 1 ||
	    EVP_DigestUpdate(ctx, a.raw, ikevti_addr_len(&a)) != 1 ||
	    EVP_DigestUpdate(ctx, port, 2) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, len) != 1)
		*len = 0;
	EVP_MD_CTX_free(ctx);
}

static uint8_t natd_type(const struct ike_sa *sa)
{
	return sa->v1.natt_rfc ? ISAKMP_PL_NATD : ISAKMP_PL_NATD_DRAFT;
}

/* The first NAT-D hashes the peer's address as we see it, the second
 * ours. */
void v1_add_natd(struct ike_sa *sa, struct v1_builder *b)
{
	uint8_t h[EVP_MAX_MD_SIZE];
	unsigned int n;

	if (!sa->v1.peer_natt)
		return;
	natd_hash(sa, &sa->path.remote, h, &n);
	v1_add_raw(b, natd_type(sa), h, n);
	natd_hash(sa, &sa->path.local, h, &n);
	v1_add_raw(b, natd_type(sa), h, n);
}

void v1_check_natd(struct ike_sa *sa, const struct v1_msg *m)
{
	uint8_t ours[EVP_MAX_MD_SIZE], theirs[EVP_MAX_MD_SIZE];
	const struct v1_payload *pl = NULL;
	unsigned int no, nt;
	bool first = true, peer_seen = false;

	if (!sa->v1.peer_natt)
		return;
	natd_hash(sa, &sa->path.local, ours, &no);
	natd_hash(sa, &sa->path.remote, theirs, &nt);
	while ((pl = v1_msg_find(m, natd_type(sa), pl))) {
		if (first) {
			sa->nat_local = pl->body.len != no ||
					memcmp(pl->body.ptr, ours, no);
			first = false;
		} else if (pl->body.len == nt &&
			   !memcmp(pl->body.ptr, theirs, nt)) {
			peer_seen = true;
		}
	}
	if (first) {
		/* NAT-T announced but no NAT-D: treat as no NAT. */
		sa->v1.peer_natt = false;
		return;
	}
	sa->nat_remote = !peer_seen;
	if (sa->nat_local)
		sa_log(sa, IKE_LOG_INFO, "NAT-D: we are behind a NAT");
	if (sa->nat_remote)
		sa_log(sa, IKE_LOG_INFO, "NAT-D: the peer is behind a NAT");
}

void v1_float(struct ike_sa *sa)
{
	if (!sa->v1.peer_natt || (!sa->nat_local && !sa->nat_remote) ||
	    sa->natt)
		return;
	ike_sockaddr_set_port(&sa->path.local, IKE_NATT_PORT);
	ike_sockaddr_set_port(&sa->path.remote, IKE_NATT_PORT);
	sa->natt = true;
	sa_log(sa, IKE_LOG_INFO, "NAT detected: moving to UDP port 4500");
}

/* ---- certificates ---- */

static bool uses_certs(const struct ike_sa *sa)
{
	return sa->v1.auth != IKEV1_AUTH_PSK;
}

void v1_add_cert_requests(struct ike_sa *sa, struct v1_builder *b)
{
	const struct pki_store *s = sa->e->pki;
	struct pki_set set;
	char err[160], line[1024];
	size_t n;
	const struct cfg_ref *refs = v1_trustpoints(sa->t, &n);

	if (!uses_certs(sa) || !s || !s->n_tp)
		return;
	if (sa->initiator) {
		if (pki_ikev1_certreq_initiator(s, refs, n, &set, err,
						sizeof(err)) < 0) {
			sa_log(sa, IKE_LOG_WARNING, "CERT_REQ: %s", err);
			return;
		}
	} else {
		pki_ikev1_certreq_responder(s, &set);
	}
	for (size_t i = 0; i < set.n; i++) {
		unsigned char *der = NULL;
		X509 *ca = s->tp[set.idx[i]].ca;
		int len = i2d_X509_NAME(X509_get_subject_name(ca), &der);

		if (len > 0)
			v1_add_cr(b, IKEV1_CERT_X509_SIG, der, (size_t)len);
		OPENSSL_free(der);
	}
	pki_describe_certreq_sent(s, &set, line, sizeof(line));
	sa_log(sa, IKE_LOG_DEBUG, "%s", line);
}

void v1_take_cert_requests(struct ike_sa *sa, const struct v1_msg *m)
{
	const struct v1_payload *pl = NULL;
	char dn[256];

	while ((pl = v1_msg_find(m, ISAKMP_PL_CR, pl))) {
		const unsigned char *p = pl->u.cr.data.ptr;
		X509_NAME *name;

		sa->v1.got_cr = true;
		if (!pl->u.cr.data.len) {
			sa_log(sa, IKE_LOG_DEBUG, "peer sent an empty CERT_REQ");
			continue;
		}
		if (sa->v1.n_cr >= V1_CR_MAX)
			continue;
		name = d2i_X509_NAME(NULL, &p, (long)pl->u.cr.data.len);
		if (name) {
			pki_name_str(name, dn, sizeof(dn));
			X509_NAME_free(name);
			sa_log(sa, IKE_LOG_DEBUG, "peer wants cert issued by %s",
			       dn);
		}
		sa->v1.cr[sa->v1.n_cr] = malloc(pl->u.cr.data.len);
		if (!sa->v1.cr[sa->v1.n_cr])
			continue;
		memcpy(sa->v1.cr[sa->v1.n_cr], pl->u.cr.data.ptr,
		       pl->u.cr.data.len);
		sa->v1.cr_len[sa->v1.n_cr++] = pl->u.cr.data.len;
	}
}

static int choose_cert(struct ike_sa *sa)
{
	const struct pki_store *s = sa->e->pki;
	const struct cfg_ref *refs = NULL;
	const char *prof = sa->t->v1prof ? sa->t->v1prof->name : "(none)";
	struct pki_choice ch;
	size_t n = 0;

	if (!s)
		return -1;
	/* An initiator keeps to its profile's trustpoints; a responder
	 * does not consult them (cisco-semantics.md). */
	if (sa->initiator)
		refs = v1_trustpoints(sa->t, &n);
	if (pki_ikev1_choose(s, prof, refs, n,
			     (const uint8_t *const *)sa->v1.cr, sa->v1.cr_len,
			     sa->v1.n_cr, &ch) < 0 || ch.tp < 0) {
		sa_log(sa, IKE_LOG_ERR, "no certificate to sign with: %s",
		       ch.why);
		return -1;
	}
	sa->v1.sign_tp = ch.tp;
	sa_log(sa, ch.defaulted ? IKE_LOG_NOTICE : IKE_LOG_DEBUG, "%s",
	       ch.why);
	sa_log(sa, IKE_LOG_DEBUG, "Choosing trustpoint %s as issuer",
	       s->tp[ch.tp].name);
	return 0;
}

/* ---- ID and authentication ---- */

static int our_hash(struct ike_sa *sa, bool initiator, const uint8_t *id,
		    size_t id_len, uint8_t *out)
{
	return v1_hash_phase1(&sa->v1.keys, initiator, sa->v1.gxi,
			      sa->v1.gx_len, sa->v1.gxr, sa->v1.gx_len,
			      sa->spi_i, sa->spi_r, sa->v1.sai_b,
			      sa->v1.sai_len, id, id_len, out);
}

static int keep(uint8_t **dst, size_t *dst_len, const uint8_t *src,
		size_t len)
{
	free(*dst);
	*dst = malloc(len ? len : 1);
	if (!*dst)
		return -1;
	memcpy(*dst, src, len);
	*dst_len = len;
	return 0;
}

/* RFC 2409 5.1: RSA signs HASH_I/HASH_R itself, PKCS#1 v1.5 without a
 * DigestInfo (no digest is named). */
static int sign_hash(EVP_PKEY *key, const uint8_t *h, size_t hl,
		     uint8_t *sig, size_t *sig_len)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	int ok = ctx && EVP_PKEY_sign_init(ctx) == 1 &&
		 EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
		 EVP_PKEY_sign(ctx, sig, sig_len, h, hl) == 1;

	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

static int verify_hash(EVP_PKEY *key, const uint8_t *h, size_t hl,
		       const uint8_t *sig, size_t sig_len)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	int ok = ctx && EVP_PKEY_verify_init(ctx) == 1 &&
		 EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
		 EVP_PKEY_verify(ctx, sig, sig_len, h, hl) == 1;

	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

static void add_cert(struct ike_sa *sa, struct v1_builder *b, X509 *x)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);

	if (len > 0)
		v1_add_cert(b, IKEV1_CERT_X509_SIG, der, (size_t)len);
	OPENSSL_free(der);
	(void)sa;
}

static bool other_sa_with_peer(const struct ike_sa *sa)
{
	for (const struct ike_sa *o = sa->e->sas; o; o = o->next)
		if (o != sa && !o->dead && o->t == sa->t &&
		    o->state == IKE_ST_ESTABLISHED)
			return true;
	return false;
}

int v1_add_our_id(struct ike_sa *sa, struct v1_builder *b)
{
	uint8_t id[V1_ID_MAX];
	long idl;

	if (uses_certs(sa) && sa->v1.sign_tp < 0 && choose_cert(sa) < 0)
		return -1;
	idl = v1_our_id(sa, id, sizeof(id));
	if (idl < 4 || keep(sa->initiator ? &sa->v1.id_i : &sa->v1.id_r,
			    sa->initiator ? &sa->v1.id_i_len :
			    &sa->v1.id_r_len, id, (size_t)idl) < 0)
		return -1;
	v1_add_raw(b, ISAKMP_PL_ID, id, (size_t)idl);
	return 0;
}

int v1_add_our_auth(struct ike_sa *sa, struct v1_builder *b)
{
	uint8_t h[IKE_PRF_MAX_LEN], sig[1024];
	const struct pki_store *s = sa->e->pki;
	const uint8_t *id = sa->initiator ? sa->v1.id_i : sa->v1.id_r;
	size_t idl = sa->initiator ? sa->v1.id_i_len : sa->v1.id_r_len;
	size_t sig_len = sizeof(sig);

	if (!id || our_hash(sa, sa->initiator, id, idl, h) < 0)
		return -1;
	if (!uses_certs(sa)) {
		v1_add_raw(b, ISAKMP_PL_HASH, h, sa->v1.keys.prf_len);
	} else {
		const struct pki_trustpoint *tp = &s->tp[sa->v1.sign_tp];

		add_cert(sa, b, tp->cert);
		if (X509_check_issued(tp->ca, tp->ca) != X509_V_OK)
			add_cert(sa, b, tp->ca);	/* a subordinate CA */
		if (sign_hash(tp->key, h, sa->v1.keys.prf_len, sig,
			      &sig_len) < 0) {
			sa_log(sa, IKE_LOG_ERR, "signing with the certificate "
			       "of trustpoint %s failed", tp->name);
			return -1;
		}
		v1_add_raw(b, ISAKMP_PL_SIG, sig, sig_len);
	}
	if (sa->initiator && !other_sa_with_peer(sa)) {
		uint8_t spi[16];

		memcpy(spi, sa->spi_i, 8);
		memcpy(spi + 8, sa->spi_r, 8);
		v1_add_notify(b, ISAKMP_PROTO_ISAKMP, spi, 16,
			      IKEV1_N_INITIAL_CONTACT, NULL, 0);
	}
	return 0;
}

int v1_add_id_auth(struct ike_sa *sa, struct v1_builder *b)
{
	if (uses_certs(sa) && choose_cert(sa) < 0)
		return -1;
	return v1_add_our_id(sa, b) < 0 ? -1 : v1_add_our_auth(sa, b);
}

/* The tunnel's isakmp profile must match the peer's ID ("match
 * identity ..."; none written: any peer, as with the global keys). */
static bool profile_matches(struct ike_sa *sa, const struct v1_payload *pl)
{
	const struct cfg_isakmp_profile *p = sa->t->v1prof;

	if (!p || !p->n_match)
		return true;
	for (size_t i = 0; i < p->n_match; i++)
		if (ike_id_matches(&p->match[i], pl->u.id.type,
				   pl->u.id.data.ptr, pl->u.id.data.len)) {
			sa_log(sa, IKE_LOG_DEBUG, "peer matches %s profile",
			       p->name);
			return true;
		}
	sa_log(sa, IKE_LOG_WARNING, "peer %s matches *none* of the profiles "
	       "(the tunnel's is %s: add a match identity line for this ID)",
	       sa->remote_id, p->name);
	return false;
}

int v1_take_id(struct ike_sa *sa, const struct v1_msg *m)
{
	const struct v1_payload *pl = v1_msg_find(m, ISAKMP_PL_ID, NULL);
	char buf[IKE_ID_STR_MAX];

	if (!pl || pl->body.len < 4) {
		sa_log(sa, IKE_LOG_NOTICE, "ID payload missing");
		return -1;
	}
	if (keep(sa->initiator ? &sa->v1.id_r : &sa->v1.id_i,
		 sa->initiator ? &sa->v1.id_r_len : &sa->v1.id_i_len,
		 pl->body.ptr, pl->body.len) < 0)
		return -1;
	ike_id_str(pl->u.id.type, pl->u.id.data.ptr, pl->u.id.data.len, buf,
		    sizeof(buf));
	snprintf(sa->remote_id, sizeof(sa->remote_id), "%s", buf);
	sa_log(sa, IKE_LOG_DEBUG, "processing ID payload: peer ID %s", buf);
	return profile_matches(sa, pl) ? 0 : -1;
}

static X509 *peer_cert(struct ike_sa *sa, const struct v1_msg *m,
		       STACK_OF(X509) **chain)
{
	const struct v1_payload *pl = NULL;
	X509 *leaf = NULL;

	*chain = sk_X509_new_null();
	while ((pl = v1_msg_find(m, ISAKMP_PL_CERT, pl))) {
		X509 *x;

		if (pl->u.cert.encoding != IKEV1_CERT_X509_SIG)
			continue;
		x = pki_cert_from_der(pl->u.cert.data.ptr,
				      pl->u.cert.data.len);
		if (!x)
			continue;
		if (!leaf)
			leaf = x;
		else if (!*chain || !sk_X509_push(*chain, x))
			X509_free(x);
	}
	if (!leaf)
		sa_log(sa, IKE_LOG_NOTICE, "no usable CERT payload");
	return leaf;
}

static time_t wall(const struct ike_engine *e)
{
	return e->wall_now ? e->wall_now(e->wall_ctx) : time(NULL);
}

static int check_signature(struct ike_sa *sa, const struct v1_msg *m,
			   const uint8_t *h)
{
	const struct v1_payload *sig = v1_msg_find(m, ISAKMP_PL_SIG, NULL);
	const struct pki_store *s = sa->e->pki;
	const uint8_t *idb = sa->initiator ? sa->v1.id_r : sa->v1.id_i;
	size_t idl = sa->initiator ? sa->v1.id_r_len : sa->v1.id_i_len;
	STACK_OF(X509) *chain = NULL;
	X509 *cert;
	struct pki_set set;
	char why[PKI_WHY_MAX], err[160];
	size_t n;
	const struct cfg_ref *refs = v1_trustpoints(sa->t, &n);
	int rc = -1, anchor = -1;

	if (!sig || !s) {
		sa_log(sa, IKE_LOG_NOTICE, "SIG payload missing");
		return -1;
	}
	cert = peer_cert(sa, m, &chain);
	if (!cert)
		goto out;
	if (pki_set_from_refs(s, refs, n, &set, err, sizeof(err)) < 0) {
		sa_log(sa, IKE_LOG_ERR, "%s", err);
		goto out;
	}
	if (pki_verify_peer(s, &set, cert, chain, wall(sa->e), &anchor, why,
			    sizeof(why)) < 0) {
		sa_log(sa, IKE_LOG_WARNING, "peer certificate refused: %s", why);
		goto out;
	}
	if (pki_check_id(cert, idb[0], idb + 4, idl - 4, why,
			 sizeof(why)) < 0) {
		/* IOS binds no address ID to the certificate: accept the
		 * address the packets come from, nothing else. */
		struct ikevti_addr a;

		ike_sockaddr_to_addr(&sa->path.remote, &a);
		if (!((idb[0] == IKEV1_ID_IPV4_ADDR ||
		       idb[0] == IKEV1_ID_IPV6_ADDR) &&
		      idl - 4 == ikevti_addr_len(&sa->t->info.remote) &&
		      !memcmp(idb + 4, sa->t->info.remote.raw, idl - 4))) {
			sa_log(sa, IKE_LOG_WARNING, "peer ID does not match "
			       "its certificate: %s", why);
			goto out;
		}
		sa_log(sa, IKE_LOG_DEBUG, "peer's address ID is not in its "
		       "certificate; accepted for the tunnel's own peer "
		       "address, as IOS does");
	}
	if (verify_hash(X509_get0_pubkey(cert), h, sa->v1.keys.prf_len,
			sig->body.ptr, sig->body.len) < 0) {
		sa_log(sa, IKE_LOG_WARNING, "signature check failed");
		goto out;
	}
	sa_log(sa, IKE_LOG_DEBUG, "CERT validity confirmed (trustpoint %s)",
	       anchor >= 0 ? s->tp[anchor].name : "?");
	rc = 0;
out:
	X509_free(cert);
	sk_X509_pop_free(chain, X509_free);
	return rc;
}

int v1_check_id_auth(struct ike_sa *sa, const struct v1_msg *m)
{
	uint8_t h[IKE_PRF_MAX_LEN];
	const uint8_t *idb = sa->initiator ? sa->v1.id_r : sa->v1.id_i;
	size_t idl = sa->initiator ? sa->v1.id_r_len : sa->v1.id_i_len;

	if (!idb || our_hash(sa, !sa->initiator, idb, idl, h) < 0)
		return -1;
	if (uses_certs(sa))
		return check_signature(sa, m, h);
	{
		const struct v1_payload *pl =
			v1_msg_find(m, ISAKMP_PL_HASH, NULL);

		if (!pl || pl->body.len != sa->v1.keys.prf_len ||
		    CRYPTO_memcmp(pl->body.ptr, h, pl->body.len)) {
			sa_log(sa, IKE_LOG_WARNING, "%s does not match: wrong "
			       "pre-shared key on one side?", sa->initiator ?
			       "HASH_R" : "HASH_I");
			return -1;
		}
	}
	return 0;
}

int v1_find_psk(struct ike_sa *sa, const char *by_name)
{
	char a[64];
	const char *k;
	size_t n;

	if (sa->v1.auth != IKEV1_AUTH_PSK)
		return 0;
	k = v1_psk_for(sa->e, sa->t, &sa->path.local, &sa->path.remote,
		       by_name);
	if (!k) {
		ike_addr_str(&sa->path.remote, a, sizeof(a));
		sa_log(sa, IKE_LOG_WARNING, "No pre-shared key with %s!", a);
		return -1;
	}
	n = strlen(k);
	if (n > sizeof(sa->v1.psk))
		return -1;
	memcpy(sa->v1.psk, k, n);
	sa->v1.psk_len = n;
	return 0;
}

static void initial_contact(struct ike_sa *sa, const struct v1_msg *m)
{
	const struct v1_payload *pl = NULL;

	while ((pl = v1_msg_find(m, ISAKMP_PL_N, pl))) {
		if (pl->u.notify.type != IKEV1_N_INITIAL_CONTACT)
			continue;
		for (struct ike_sa *o = sa->e->sas; o; o = o->next)
			if (o != sa && !o->dead && o->t == sa->t &&
			    o->v == sa->v && o->state == IKE_ST_ESTABLISHED &&
			    o->created_ms < sa->created_ms)
				ike_sa_destroy(o, "INITIAL-CONTACT: the peer "
					       "restarted");
	}
}

/* In IKEv1 the IPsec SAs do not belong to the ISAKMP SA that made them:
 * a new phase 1 with the peer (our rekey of the ISAKMP SA, or the
 * peer's) takes them over, and the older ISAKMP SA can go (the core
 * deletes the superseded one) without touching traffic. */
static void adopt_children(struct ike_sa *sa)
{
	for (struct ike_sa *o = sa->e->sas; o; o = o->next)
		if (o != sa && !o->dead && o->t == sa->t && o->v == sa->v &&
		    o->state == IKE_ST_ESTABLISHED && ike_child_active(o)) {
			sa_log(sa, IKE_LOG_INFO, "taking over the IPsec SAs of "
			       "ISAKMP SA %u", o->id);
			ike_child_move(o, sa);
		}
}

void v1_phase1_done(struct ike_sa *sa)
{
	uint32_t dpd = 0, retry;
	bool periodic;
	char a[64];

	v1_set_state(sa, V1_P1_COMPLETE);
	ike_sa_set_state(sa, IKE_ST_ESTABLISHED);
	sa->auth_local = sa->auth_remote = (uint8_t)sa->v1.auth;
	ike_id_str(sa->initiator ? sa->v1.id_i[0] : sa->v1.id_r[0],
		    (sa->initiator ? sa->v1.id_i : sa->v1.id_r) + 4,
		    (sa->initiator ? sa->v1.id_i_len : sa->v1.id_r_len) - 4,
		    sa->local_id, sizeof(sa->local_id));
	ike_addr_str(&sa->path.remote, a, sizeof(a));
	sa_log(sa, IKE_LOG_DEBUG, "SA has been authenticated with %s", a);
	sa_log(sa, IKE_LOG_NOTICE, "IKEv1 phase 1 complete (%s Mode, %s, "
	       "encr %u/%u hash %u group %u, lifetime %u s%s%s) with %s",
	       sa->v1.exch == ISAKMP_EXCH_AGGRESSIVE ? "Aggressive" : "Main",
	       auth_name(sa->v1.auth), sa->sel.encr.id, sa->sel.encr.key_bits,
	       sa->sel.prf, sa->sel.dh, sa->v1.life_s,
	       sa->natt ? ", NAT-T" : "", sa->v1.peer_dpd ? ", DPD" : "",
	       sa->remote_id);
	v1_keepalive(sa->e, sa->t, &dpd, &retry, &periodic);
	adopt_children(sa);
	ike_sa_established(sa, sa->v1.life_s, sa->v1.peer_dpd ? dpd : 0);
}

void v1_phase1_check_contact(struct ike_sa *sa, const struct v1_msg *m)
{
	initial_contact(sa, m);
}

void v1_phase1_fail(struct ike_sa *sa, uint16_t notify, const char *why)
{
	char a[64];

	ike_addr_str(&sa->path.remote, a, sizeof(a));
	sa_log(sa, IKE_LOG_WARNING, "IKEv1 phase 1 with %s failed in %s: %s",
	       a, v1_state_name(sa->v1.st), why);
	if (notify) {
		if (sa->v1.have_keys)
			v1_send_notify(sa, ISAKMP_PROTO_ISAKMP, NULL, 0, notify,
				       NULL, 0);
		else
			v1_send_plain_notify(sa->e, &sa->path, sa->spi_i,
					     sa->spi_r, notify);
	}
	if (sa->initiator)
		ike_tunnel_schedule(sa->e, sa->t, true);
	ike_sa_destroy(sa, why);
}

int v1_keep_sai(struct ike_sa *sa, const uint8_t *p, size_t len)
{
	free(sa->v1.sai_b);
	sa->v1.sai_b = malloc(len ? len : 1);
	if (!sa->v1.sai_b)
		return -1;
	memcpy(sa->v1.sai_b, p, len);
	sa->v1.sai_len = len;
	return 0;
}

int v1_phase1_send(struct ike_sa *sa, struct v1_builder *b, uint8_t *buf,
		   size_t cap, bool encrypt, bool retransmit)
{
	long n;

	if (v1_build_end(b) < 0) {
		sa_log(sa, IKE_LOG_ERR, "phase 1 message does not fit");
		return -1;
	}
	n = (long)b->len;
	if (encrypt) {
		buf[19] |= ISAKMP_FLAG_ENC;
		n = v1_seal(sa, &sa->v1.iv, buf, b->len, cap);
		if (n < 0)
			return -1;
	}
	v1_send(sa, buf, (size_t)n, &sa->v1.out);
	if (retransmit)
		v1_retransmit_arm(sa);
	else
		v1_retransmit_stop(sa);
	return 0;
}
