// SPDX-License-Identifier: GPL-2.0
/*
 * quick_mode: IKEv1 Quick Mode (RFC 2409 5.5), both roles, under an
 * established ISAKMP SA:
 *
 *   QM1 I->R  HASH(1), SA, Ni, [KE], IDci, IDcr
 *   QM2 R->I  HASH(2), SA, Nr, [KE], IDci, IDcr, [RESPONDER-LIFETIME]
 *   QM3 I->R  HASH(3)
 *
 * Route-based, as an IOS VTI: we propose 0.0.0.0/0 (::/0 for "tunnel
 * mode ipsec ipv6") both ways and as responder accept whatever proxy
 * identities the peer proposes, since the device is the policy. PFS
 * when the ipsec profile has "set pfs" (or the initiator asks for it).
 *
 * Ordering, so that no packet is lost (rekeys included): the responder
 * installs both SAs when it sends QM2 but keeps transmitting on the old
 * pair until QM3 shows the initiator has them; the initiator installs
 * both and switches on QM2. A rekey initiator then retires the pair it
 * replaced (its inbound SA stays a few seconds for packets in flight)
 * and tells the peer with a Delete. The SAs go through the one
 * installation path of the core, with the lifetimes agreed here.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ikev1/ikev1.h"
#include "ikev1/kdf.h"

#define QM_BUF 4096
#define QM_TRANSFORMS 24

static const char *role(const struct v1_quick *q)
{
	return q->initiator ? "initiator" : "responder";
}

/* ---- slots ---- */

struct v1_quick *v1_quick_find(struct ike_sa *sa, uint32_t msg_id)
{
	for (size_t i = 0; i < V1_QM_MAX; i++)
		if (sa->v1.qm[i].used && sa->v1.qm[i].msg_id == msg_id)
			return &sa->v1.qm[i];
	return NULL;
}

struct v1_quick *v1_quick_slot(struct ike_sa *sa, uint32_t msg_id)
{
	struct v1_quick *oldest = NULL;

	for (size_t i = 0; i < V1_QM_MAX; i++) {
		struct v1_quick *q = &sa->v1.qm[i];

		if (!q->used) {
			memset(q, 0, sizeof(*q));
			q->used = true;
			q->msg_id = msg_id;
			q->created_ms = sa->e->now_ms;
			return q;
		}
		/* A finished exchange is only kept to answer duplicates. */
		if (q->done && (!oldest || q->created_ms < oldest->created_ms))
			oldest = q;
	}
	if (!oldest)
		return NULL;
	v1_quick_free(oldest);
	return v1_quick_slot(sa, msg_id);
}

void v1_quick_free(struct v1_quick *q)
{
	ike_dh_free(q->dh);
	free(q->idci);
	free(q->idcr);
	v1_out_free(&q->out);
	OPENSSL_cleanse(q, sizeof(*q));
}

/* A Quick Mode that never completed: give back its reserved SPI. */
static void quick_abort(struct ike_sa *sa, struct v1_quick *q,
			const char *why)
{
	sa_log(sa, IKE_LOG_WARNING, "Quick Mode %08x (%s) failed: %s",
	       q->msg_id, role(q), why);
	if (q->spi_in && !q->installed)
		sa->e->ops.sa_del(sa->e->ops.ctx, sa->t->info.ifindex,
				  IKEVTI_DIR_IN, q->spi_in);
	v1_quick_free(q);
	ike_restart_if_childless(sa);
}

bool v1_quick_busy(const struct ike_sa *sa)
{
	for (size_t i = 0; i < V1_QM_MAX; i++)
		if (sa->v1.qm[i].used && !sa->v1.qm[i].done)
			return true;
	return false;
}

/* ---- what we offer ---- */

static uint16_t encap_mode(const struct ike_sa *sa)
{
	if (!sa->natt)
		return IPSEC_ENCAP_TUNNEL;
	return sa->v1.natt_rfc ? IPSEC_ENCAP_UDP_TUNNEL :
	       IPSEC_ENCAP_UDP_TUNNEL_DRAFT;
}

static size_t local_transforms(const struct ike_sa *sa, uint16_t pfs,
			       struct v1_transform *out, size_t max)
{
	struct ike_local_proposal lp[6];
	const struct cfg_ipsec_profile *ip = sa->t->ipp;
	size_t n = 0, k = 0;

	ike_local_esp_proposals(sa->t, lp, &n, false);
	for (size_t i = 0; i < n; i++)
		for (size_t e = 0; e < lp[i].n_encr; e++)
			for (size_t g = 0; g < (lp[i].n_integ ?
						lp[i].n_integ : 1); g++) {
				struct v1_transform *t = &out[k];

				if (k >= max)
					return k;
				memset(t, 0, sizeof(*t));
				t->encr = lp[i].encr[e].id;
				t->key_bits = lp[i].encr[e].key_bits;
				t->integ = lp[i].n_integ ? lp[i].integ[g] : 0;
				t->group = pfs;
				t->encap = encap_mode(sa);
				t->life_s = ip ? ip->lifetime_s : 3600;
				t->life_kb = ip ? ip->lifetime_kb : 0;
				k++;
			}
	return k;
}

static bool same_esp(const struct v1_transform *a, const struct v1_transform *b)
{
	return a->encr && a->encr == b->encr &&
	       (a->encr == IKEV2_ENCR_3DES || a->key_bits == b->key_bits) &&
	       a->integ == b->integ;
}

static bool encap_ok(const struct ike_sa *sa, uint16_t encap)
{
	if (!encap)
		return !sa->natt;
	if (encap == IPSEC_ENCAP_TUNNEL)
		return !sa->natt;
	return sa->natt && (encap == IPSEC_ENCAP_UDP_TUNNEL ||
			    encap == IPSEC_ENCAP_UDP_TUNNEL_DRAFT);
}

static void to_selection(const struct v1_transform *t,
			 struct ike_selection *sel)
{
	memset(sel, 0, sizeof(*sel));
	sel->protocol = IKEV2_PROTO_ESP;
	sel->encr.id = t->encr;
	sel->encr.key_bits = t->encr == IKEV2_ENCR_3DES ? 0 : t->key_bits;
	sel->integ = t->integ;
	sel->dh = t->group;
	sel->life_s = (uint32_t)t->life_s;
	sel->life_kb = t->life_kb;
}

/* 0.0.0.0/0 (or ::/0), protocol and port any. */
static void any_id(const struct ike_sa *sa, uint8_t *id, size_t *len)
{
	bool v6 = sa->t->ifc && sa->t->ifc->tunnel_mode_ipv6;

	memset(id, 0, 36);
	id[0] = v6 ? IKEV1_ID_IPV6_ADDR_SUBNET : IKEV1_ID_IPV4_ADDR_SUBNET;
	*len = v6 ? 4 + 32 : 4 + 8;
}

static int keep_bytes(uint8_t **dst, size_t *dl, const uint8_t *p, size_t n)
{
	free(*dst);
	*dst = malloc(n ? n : 1);
	if (!*dst)
		return -1;
	memcpy(*dst, p, n);
	*dl = n;
	return 0;
}

/* ---- sending ---- */

static void q_header(struct ike_sa *sa, struct v1_quick *q,
		     struct v1_builder *b, uint8_t *buf, long *hash_at)
{
	uint8_t zero[IKE_PRF_MAX_LEN] = { 0 };
	struct v1_header h;

	v1_header(sa, ISAKMP_EXCH_QUICK, q->msg_id, &h);
	h.flags = ISAKMP_FLAG_ENC;
	v1_build_begin(b, buf, QM_BUF, &h);
	*hash_at = v1_add_raw(b, ISAKMP_PL_HASH, zero, sa->v1.keys.prf_len);
}

static int q_send(struct ike_sa *sa, struct v1_quick *q, uint8_t *buf,
		  size_t len, bool retransmit)
{
	long n = v1_seal(sa, &q->iv, buf, len, QM_BUF);

	if (n < 0)
		return -1;
	v1_send(sa, buf, (size_t)n, &q->out);
	q->tries = 0;
	q->interval_ms = V1_RETRANS_FIRST_MS;
	q->next_ms = retransmit ? sa->e->now_ms + V1_RETRANS_FIRST_MS : 0;
	return 0;
}

static int make_nonce_ke(struct v1_quick *q)
{
	uint8_t *n = q->initiator ? q->ni : q->nr;

	if (q->initiator)
		q->ni_len = V1_NONCE_LEN;
	else
		q->nr_len = V1_NONCE_LEN;
	ike_random(n, V1_NONCE_LEN);
	if (!q->pfs_group)
		return 0;
	q->dh = ike_dh_new(q->pfs_group);
	return q->dh ? 0 : -1;
}

static void add_ke(struct v1_builder *b, struct v1_quick *q)
{
	uint8_t pub[V1_KE_MAX];
	size_t len = ike_dh_public_len(q->pfs_group);

	if (q->dh && len <= sizeof(pub) && ike_dh_public(q->dh, pub, len) == 0)
		v1_add_raw(b, ISAKMP_PL_KE, pub, len);
}

/* ---- keys and installation ---- */

static int install(struct ike_sa *sa, struct v1_quick *q, const uint8_t *gqm,
		   size_t gl, bool switch_tx)
{
	size_t one = ike_child_keymat_len(&q->sel);
	uint8_t in[IKEVTI_KEY_MAX + IKEVTI_SALT_LEN + IKEVTI_KEY_MAX];
	uint8_t out[sizeof(in)];
	int rc = -1;

	if (one && one <= sizeof(in) &&
	    v1_keymat(&sa->v1.keys, gqm, gl, ISAKMP_PROTO_ESP, q->spi_in,
		      q->ni, q->ni_len, q->nr, q->nr_len, in, one) == 0 &&
	    v1_keymat(&sa->v1.keys, gqm, gl, ISAKMP_PROTO_ESP, q->spi_out,
		      q->ni, q->ni_len, q->nr, q->nr_len, out, one) == 0)
		rc = ike_child_install(sa, &q->sel, q->spi_in, q->spi_out, in,
				       out, gqm ? q->pfs_group : 0, switch_tx);
	/* Installed or not, the core now owns (or has removed) spi_in. */
	q->installed = true;
	OPENSSL_cleanse(in, sizeof(in));
	OPENSSL_cleanse(out, sizeof(out));
	return rc;
}

static int pfs_secret(struct ike_sa *sa, struct v1_quick *q,
		      const struct v1_msg *m, uint8_t *gqm, size_t *gl)
{
	const struct v1_payload *ke = v1_msg_find(m, ISAKMP_PL_KE, NULL);

	*gl = 0;
	if (!q->pfs_group)
		return ke ? -1 : 0;
	*gl = ike_dh_shared_len(q->pfs_group);
	if (!ke || !q->dh || ke->body.len != ike_dh_public_len(q->pfs_group) ||
	    ike_dh_shared(q->dh, ke->body.ptr, ke->body.len, gqm, *gl) < 0) {
		sa_log(sa, IKE_LOG_NOTICE, "Quick Mode %08x: PFS KE missing or "
		       "invalid", q->msg_id);
		return -1;
	}
	return 0;
}

/*
 * Two ends that start together make two pairs, one per Quick Mode; one
 * is enough. Both ends pick the same one to drop without a word: the
 * pair whose lower SPI is the lowest. The end that initiated its Quick
 * Mode deletes it (Delete to the peer); the other drops its outbound SA
 * when that Delete arrives.
 */
static void resolve_pairs(struct ike_sa *sa)
{
	struct child_sa *lowest = NULL;
	struct ike_sa *owner = NULL;
	uint32_t low = UINT32_MAX;
	unsigned int n = 0;

	for (struct ike_sa *o = sa->e->sas; o; o = o->next) {
		if (o->dead || o->t != sa->t || o->v != sa->v)
			continue;
		for (size_t i = 0; i < IKE_CHILD_MAX; i++) {
			struct child_sa *c = &o->child[i];
			uint32_t m;

			if (!c->used || c->state != CHILD_ACTIVE)
				continue;
			m = c->spi_in < c->spi_out ? c->spi_in : c->spi_out;
			n++;
			if (m < low) {
				low = m;
				lowest = c;
				owner = o;
			}
		}
	}
	if (n < 2 || !lowest || !lowest->initiated)
		return;
	{
		uint32_t spi = htonl(lowest->spi_in);

		sa_log(owner, IKE_LOG_NOTICE, "two IPsec SA pairs (both ends "
		       "started): deleting in %08x out %08x, which has the "
		       "lower SPI", lowest->spi_in, lowest->spi_out);
		ike_child_retire(owner, lowest);
		v1_send_delete(owner, ISAKMP_PROTO_ESP, (uint8_t *)&spi, 4, 1);
	}
}

static void mark_initiated(struct ike_sa *sa, const struct v1_quick *q)
{
	struct child_sa *c = ike_child_by_spi_in(sa, q->spi_in);

	if (c)
		c->initiated = q->initiator;
}

/* ---- initiator ---- */

int v1_quick_start(struct ike_sa *sa, uint32_t rekey_of)
{
	struct v1_transform tr[QM_TRANSFORMS];
	uint32_t spis[QM_TRANSFORMS], msg_id;
	const struct cfg_ipsec_profile *ip = sa->t->ipp;
	uint8_t *buf = malloc(QM_BUF), id[36];
	struct v1_builder b;
	struct v1_quick *q;
	size_t n, idl;
	long hash_at;
	int rc = -1;

	do {
		ike_random(&msg_id, sizeof(msg_id));
	} while (!msg_id || v1_quick_find(sa, msg_id));
	q = buf ? v1_quick_slot(sa, msg_id) : NULL;
	if (!q)
		goto out;
	q->initiator = true;
	q->rekey_of = rekey_of;
	q->pfs_group = ip ? ip->pfs_group : 0;
	v1_iv_exchange_init(sa, msg_id, &q->iv);
	q->spi_in = ike_spi_alloc(sa);
	n = local_transforms(sa, q->pfs_group, tr, QM_TRANSFORMS);
	if (!q->spi_in || !n || make_nonce_ke(q) < 0) {
		quick_abort(sa, q, n ? "no SPI or DH key" :
			    "no transform set to propose");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		spis[i] = q->spi_in;
	q_header(sa, q, &b, buf, &hash_at);
	v1_add_sa_phase2(&b, spis, tr, n);
	v1_add_raw(&b, ISAKMP_PL_NONCE, q->ni, q->ni_len);
	add_ke(&b, q);
	any_id(sa, id, &idl);
	v1_add_raw(&b, ISAKMP_PL_ID, id, idl);
	v1_add_raw(&b, ISAKMP_PL_ID, id, idl);
	if (hash_at < 0 || v1_build_end(&b) < 0 ||
	    v1_hash_qm1(&sa->v1.keys, msg_id,
			buf + hash_at + sa->v1.keys.prf_len,
			b.len - hash_at - sa->v1.keys.prf_len,
			buf + hash_at) < 0 ||
	    q_send(sa, q, buf, b.len, true) < 0) {
		quick_abort(sa, q, "cannot build QM1");
		goto out;
	}
	sa_log(sa, IKE_LOG_INFO, "Quick Mode %08x started%s: %zu transform%s, "
	       "SPI in %08x%s", msg_id, rekey_of ? " (rekey)" : "", n,
	       n == 1 ? "" : "s", q->spi_in, q->pfs_group ? ", PFS" : "");
	rc = 0;
out:
	free(buf);
	return rc;
}

static uint32_t notify_u32(const struct v1_payload *pl, size_t *at)
{
	const uint8_t *d = pl->u.notify.data.ptr;
	size_t len = pl->u.notify.data.len;
	uint32_t v = 0;

	/* A basic attribute (2-byte value) or a variable one (length). */
	if (*at + 4 > len)
		return 0;
	if (d[*at] & 0x80) {
		v = (uint32_t)d[*at + 2] << 8 | d[*at + 3];
		*at += 4;
		return v;
	}
	{
		size_t l = (size_t)d[*at + 2] << 8 | d[*at + 3];

		if (*at + 4 + l > len || l > 4 || !l)
			return 0;
		for (size_t i = 0; i < l; i++)
			v = v << 8 | d[*at + 4 + i];
		*at += 4 + l;
	}
	return v;
}

/* RESPONDER-LIFETIME (RFC 2407 4.6.3.1): shorter lifetimes from the
 * responder, as SA life type / duration attribute pairs. */
static void responder_lifetime(struct ike_sa *sa, struct v1_quick *q,
			       const struct v1_msg *m)
{
	const struct v1_payload *pl = NULL;

	while ((pl = v1_msg_find(m, ISAKMP_PL_N, pl))) {
		size_t at = 0;
		uint32_t type = 0;

		if (pl->u.notify.type != IKEV1_N_RESPONDER_LIFETIME)
			continue;
		while (at + 4 <= pl->u.notify.data.len) {
			const uint8_t *d = pl->u.notify.data.ptr;
			uint16_t attr = (uint16_t)((d[at] & 0x7f) << 8 |
						   d[at + 1]);
			uint32_t v = notify_u32(pl, &at);

			if (!v)
				break;
			if (attr == IPSEC_ATTR_LIFE_TYPE)
				type = v;
			else if (attr == IPSEC_ATTR_LIFE_DURATION &&
				 type == IKEV1_LIFE_SECONDS &&
				 (!q->sel.life_s || v < q->sel.life_s))
				q->sel.life_s = v;
			else if (attr == IPSEC_ATTR_LIFE_DURATION &&
				 type == IKEV1_LIFE_KILOBYTES &&
				 (!q->sel.life_kb || v < q->sel.life_kb))
				q->sel.life_kb = v;
		}
		sa_log(sa, IKE_LOG_INFO, "RESPONDER-LIFETIME: %u s, %llu KB",
		       q->sel.life_s, (unsigned long long)q->sel.life_kb);
	}
}

static int answer_ok(struct ike_sa *sa, struct v1_quick *q,
		     const struct v1_msg *m)
{
	struct v1_transform tr[QM_TRANSFORMS];
	size_t n = local_transforms(sa, q->pfs_group, tr, QM_TRANSFORMS);
	const struct v1_proposal *p;
	const struct v1_transform *t;

	if (!m->has_sa || m->sa.n_proposals != 1 ||
	    m->sa.proposals[0].n_transforms != 1 ||
	    m->sa.proposals[0].protocol != ISAKMP_PROTO_ESP ||
	    m->sa.proposals[0].spi_size != 4)
		return -1;
	p = &m->sa.proposals[0];
	t = &p->transforms[0];
	for (size_t i = 0; i < n; i++) {
		if (!same_esp(&tr[i], t) || t->group != q->pfs_group ||
		    !encap_ok(sa, t->encap))
			continue;
		to_selection(&tr[i], &q->sel);
		if (t->life_s && t->life_s < q->sel.life_s)
			q->sel.life_s = (uint32_t)t->life_s;
		if (t->life_kb && (!q->sel.life_kb ||
				   t->life_kb < q->sel.life_kb))
			q->sel.life_kb = t->life_kb;
		q->spi_out = (uint32_t)p->spi[0] << 24 | p->spi[1] << 16 |
			     p->spi[2] << 8 | p->spi[3];
		return q->spi_out ? 0 : -1;
	}
	return -1;
}

static void qm2_in(struct ike_sa *sa, struct v1_quick *q,
		   const struct v1_msg *m, const struct v1_payload *hash)
{
	const struct v1_payload *no = v1_msg_find(m, ISAKMP_PL_NONCE, NULL);
	uint8_t h[IKE_PRF_MAX_LEN], gqm[V1_KE_MAX], *buf;
	struct ike_bytes rest = v1_after(m, hash);
	struct v1_builder b;
	size_t gl;
	long hash_at;

	if (!no || no->body.len < 8 || no->body.len > V1_NONCE_MAX) {
		quick_abort(sa, q, "QM2 without a valid nonce");
		return;
	}
	if (v1_hash_qm2(&sa->v1.keys, q->msg_id, q->ni, q->ni_len, rest.ptr,
			rest.len, h) < 0 || hash->body.len != sa->v1.keys.prf_len ||
	    CRYPTO_memcmp(h, hash->body.ptr, hash->body.len)) {
		sa_log(sa, IKE_LOG_NOTICE, "Quick Mode %08x: HASH(2) does not "
		       "match: dropped", q->msg_id);
		return;
	}
	v1_iv_commit(&q->iv);
	memcpy(q->nr, no->body.ptr, no->body.len);
	q->nr_len = no->body.len;
	if (answer_ok(sa, q, m) < 0) {
		quick_abort(sa, q, "the peer chose a proposal we did not offer");
		return;
	}
	responder_lifetime(sa, q, m);
	if (pfs_secret(sa, q, m, gqm, &gl) < 0 ||
	    install(sa, q, gl ? gqm : NULL, gl, false) < 0) {
		OPENSSL_cleanse(gqm, sizeof(gqm));
		quick_abort(sa, q, "cannot install the IPsec SAs");
		return;
	}
	OPENSSL_cleanse(gqm, sizeof(gqm));
	buf = malloc(QM_BUF);
	if (!buf)
		return;
	q_header(sa, q, &b, buf, &hash_at);
	if (hash_at >= 0 && v1_build_end(&b) == 0 &&
	    v1_hash_qm3(&sa->v1.keys, q->msg_id, q->ni, q->ni_len, q->nr,
			q->nr_len, buf + hash_at) == 0)
		q_send(sa, q, buf, b.len, false);
	free(buf);
	q->done = true;
	sa_log(sa, IKE_LOG_INFO, "Quick Mode %08x complete (initiator): SPI "
	       "in %08x out %08x", q->msg_id, q->spi_in, q->spi_out);
	mark_initiated(sa, q);
	if (!q->rekey_of)
		resolve_pairs(sa);
	q->switch_at_ms = sa->e->now_ms + V1_QM_SWITCH_DELAY_MS;
}

/* ---- responder ---- */

static int choose(struct ike_sa *sa, struct v1_quick *q,
		  const struct v1_msg *m, uint8_t *prop_num,
		  struct v1_transform *ans)
{
	const struct cfg_ipsec_profile *ip = sa->t->ipp;
	struct v1_transform tr[QM_TRANSFORMS];
	size_t n = local_transforms(sa, 0, tr, QM_TRANSFORMS);

	for (size_t i = 0; i < n; i++)
		for (size_t p = 0; p < m->sa.n_proposals; p++) {
			const struct v1_proposal *pr = &m->sa.proposals[p];

			if (pr->protocol != ISAKMP_PROTO_ESP ||
			    pr->spi_size != 4)
				continue;
			for (size_t k = 0; k < pr->n_transforms; k++) {
				const struct v1_transform *t =
					&pr->transforms[k];

				if (t->unknown_attr || !same_esp(&tr[i], t) ||
				    !encap_ok(sa, t->encap) ||
				    (t->group && !ike_dh_supported(t->group)) ||
				    (ip && ip->pfs_group &&
				     t->group != ip->pfs_group))
					continue;
				*ans = *t;
				*prop_num = pr->num;
				q->pfs_group = t->group;
				q->spi_out = (uint32_t)pr->spi[0] << 24 |
					     pr->spi[1] << 16 |
					     pr->spi[2] << 8 | pr->spi[3];
				to_selection(&tr[i], &q->sel);
				/* Lifetimes: the shorter of ours and theirs. */
				if (t->life_s && t->life_s < q->sel.life_s)
					q->sel.life_s = (uint32_t)t->life_s;
				if (t->life_kb && (!q->sel.life_kb ||
						   t->life_kb < q->sel.life_kb))
					q->sel.life_kb = t->life_kb;
				return q->spi_out ? 0 : -1;
			}
		}
	return -1;
}

static void add_responder_lifetime(struct ike_sa *sa, struct v1_quick *q,
				   const struct v1_transform *t,
				   struct v1_builder *b)
{
	uint8_t d[16], spi[4];
	size_t n = 0;

	if (t->life_s && q->sel.life_s < t->life_s) {
		d[n++] = 0x80; d[n++] = IPSEC_ATTR_LIFE_TYPE;
		d[n++] = 0; d[n++] = IKEV1_LIFE_SECONDS;
		d[n++] = 0; d[n++] = IPSEC_ATTR_LIFE_DURATION;
		d[n++] = 0; d[n++] = 4;
		d[n++] = q->sel.life_s >> 24; d[n++] = q->sel.life_s >> 16;
		d[n++] = q->sel.life_s >> 8; d[n++] = q->sel.life_s & 0xff;
	}
	if (!n)
		return;
	spi[0] = q->spi_in >> 24;
	spi[1] = q->spi_in >> 16;
	spi[2] = q->spi_in >> 8;
	spi[3] = q->spi_in & 0xff;
	v1_add_notify(b, ISAKMP_PROTO_ESP, spi, 4, IKEV1_N_RESPONDER_LIFETIME,
		      d, n);
	sa_log(sa, IKE_LOG_INFO, "Quick Mode %08x: RESPONDER-LIFETIME %u s",
	       q->msg_id, q->sel.life_s);
}

static void take_ids(struct v1_quick *q, const struct v1_msg *m)
{
	const struct v1_payload *a = v1_msg_find(m, ISAKMP_PL_ID, NULL);
	const struct v1_payload *b = a ? v1_msg_find(m, ISAKMP_PL_ID, a) : NULL;

	if (a && b) {
		keep_bytes(&q->idci, &q->idci_len, a->body.ptr, a->body.len);
		keep_bytes(&q->idcr, &q->idcr_len, b->body.ptr, b->body.len);
	}
}

static void qm1_in(struct ike_sa *sa, struct v1_quick *q,
		   const struct v1_msg *m, const struct v1_payload *hash)
{
	const struct v1_payload *no = v1_msg_find(m, ISAKMP_PL_NONCE, NULL);
	uint8_t h[IKE_PRF_MAX_LEN], gqm[V1_KE_MAX], prop = 1, *buf;
	struct ike_bytes rest = v1_after(m, hash);
	struct v1_transform ans, offered;
	struct v1_builder b;
	long hash_at;
	size_t gl;

	if (v1_hash_qm1(&sa->v1.keys, q->msg_id, rest.ptr, rest.len, h) < 0 ||
	    hash->body.len != sa->v1.keys.prf_len ||
	    CRYPTO_memcmp(h, hash->body.ptr, hash->body.len)) {
		sa_log(sa, IKE_LOG_NOTICE, "Quick Mode %08x: HASH(1) does not "
		       "match: dropped", q->msg_id);
		v1_quick_free(q);
		return;
	}
	v1_iv_commit(&q->iv);
	if (!no || no->body.len < 8 || no->body.len > V1_NONCE_MAX ||
	    !m->has_sa) {
		quick_abort(sa, q, "QM1 without SA or nonce");
		return;
	}
	memcpy(q->ni, no->body.ptr, no->body.len);
	q->ni_len = no->body.len;
	take_ids(q, m);
	if (choose(sa, q, m, &prop, &ans) < 0) {
		v1_send_notify(sa, ISAKMP_PROTO_ESP, NULL, 0,
			       IKEV1_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		quick_abort(sa, q, "no transform set matches the peer's "
			    "proposals (NO-PROPOSAL-CHOSEN sent)");
		return;
	}
	offered = ans;
	q->spi_in = ike_spi_alloc(sa);
	if (!q->spi_in || make_nonce_ke(q) < 0 ||
	    pfs_secret(sa, q, m, gqm, &gl) < 0 ||
	    install(sa, q, gl ? gqm : NULL, gl, false) < 0) {
		OPENSSL_cleanse(gqm, sizeof(gqm));
		quick_abort(sa, q, "cannot install the IPsec SAs");
		return;
	}
	OPENSSL_cleanse(gqm, sizeof(gqm));
	buf = malloc(QM_BUF);
	if (!buf)
		return;
	ans.life_s = q->sel.life_s;
	ans.life_kb = q->sel.life_kb;
	q_header(sa, q, &b, buf, &hash_at);
	v1_add_sa_phase2_answer(&b, prop, q->spi_in, &ans);
	v1_add_raw(&b, ISAKMP_PL_NONCE, q->nr, q->nr_len);
	add_ke(&b, q);
	if (q->idci && q->idcr) {
		v1_add_raw(&b, ISAKMP_PL_ID, q->idci, q->idci_len);
		v1_add_raw(&b, ISAKMP_PL_ID, q->idcr, q->idcr_len);
	}
	add_responder_lifetime(sa, q, &offered, &b);
	if (hash_at < 0 || v1_build_end(&b) < 0 ||
	    v1_hash_qm2(&sa->v1.keys, q->msg_id, q->ni, q->ni_len,
			buf + hash_at + sa->v1.keys.prf_len,
			b.len - hash_at - sa->v1.keys.prf_len,
			buf + hash_at) < 0 ||
	    q_send(sa, q, buf, b.len, true) < 0)
		sa_log(sa, IKE_LOG_ERR, "Quick Mode %08x: cannot send QM2",
		       q->msg_id);
	free(buf);
}

static void qm3_in(struct ike_sa *sa, struct v1_quick *q,
		   const struct v1_payload *hash)
{
	uint8_t h[IKE_PRF_MAX_LEN];

	if (v1_hash_qm3(&sa->v1.keys, q->msg_id, q->ni, q->ni_len, q->nr,
			q->nr_len, h) < 0 ||
	    hash->body.len != sa->v1.keys.prf_len ||
	    CRYPTO_memcmp(h, hash->body.ptr, hash->body.len)) {
		sa_log(sa, IKE_LOG_NOTICE, "Quick Mode %08x: HASH(3) does not "
		       "match: dropped", q->msg_id);
		return;
	}
	v1_iv_commit(&q->iv);
	q->done = true;
	q->next_ms = 0;
	/* Now the initiator has the new inbound SA: send on the new one. */
	if (sa->e->ops.sa_set_tx(sa->e->ops.ctx, sa->t->info.ifindex,
				 q->spi_out) == 0)
		sa->t->tx_spi = q->spi_out;
	sa_log(sa, IKE_LOG_INFO, "Quick Mode %08x complete (responder): SPI "
	       "in %08x out %08x", q->msg_id, q->spi_in, q->spi_out);
	if (!q->rekey_of)
		resolve_pairs(sa);
}

void v1_quick_in(struct ike_sa *sa, struct v1_quick *q, bool fresh,
		 const uint8_t *plain, size_t plain_len,
		 const struct v1_msg *m)
{
	const struct v1_payload *hash = v1_first_hash(m);

	(void)plain;
	(void)plain_len;
	if (!hash) {
		sa_log(sa, IKE_LOG_NOTICE, "Quick Mode %08x without HASH "
		       "first: dropped", q->msg_id);
		if (fresh)
			v1_quick_free(q);
		return;
	}
	if (fresh)
		qm1_in(sa, q, m, hash);
	else if (q->initiator && !q->done)
		qm2_in(sa, q, m, hash);
	else if (!q->initiator && !q->done)
		qm3_in(sa, q, hash);
}

/* ---- timers ---- */

/* The initiator's new pair takes over transmission (see the delay's
 * definition), and the pair it replaces is retired and deleted. */
static void switch_to_new(struct ike_sa *sa, struct v1_quick *q)
{
	q->switch_at_ms = 0;
	if (!ike_child_by_spi_out(sa, q->spi_out))
		return;		/* gone in the meantime */
	if (sa->e->ops.sa_set_tx(sa->e->ops.ctx, sa->t->info.ifindex,
				 q->spi_out) == 0)
		sa->t->tx_spi = q->spi_out;
	if (q->rekey_of) {
		struct child_sa *old = ike_child_by_spi_in(sa, q->rekey_of);
		uint32_t spi = htonl(q->rekey_of);

		if (old && old->state != CHILD_REKEYED) {
			ike_child_retire(sa, old);
			v1_send_delete(sa, ISAKMP_PROTO_ESP, (uint8_t *)&spi, 4,
				       1);
		}
	}
}

void v1_quick_timers(struct ike_sa *sa, uint64_t now)
{
	for (size_t i = 0; i < V1_QM_MAX; i++) {
		struct v1_quick *q = &sa->v1.qm[i];

		if (!q->used)
			continue;
		if (q->done && q->switch_at_ms && now >= q->switch_at_ms)
			switch_to_new(sa, q);
		if (q->done) {
			/* Kept to answer a repeated QM2; not for long. */
			if (now >= q->created_ms + V1_QM_TIMEOUT_MS)
				v1_quick_free(q);
			continue;
		}
		if (now >= q->created_ms + V1_QM_TIMEOUT_MS ||
		    (q->next_ms && q->tries >= V1_RETRANS_TRIES &&
		     now >= q->next_ms)) {
			quick_abort(sa, q, "no answer");
			continue;
		}
		if (q->next_ms && now >= q->next_ms) {
			q->tries++;
			q->interval_ms *= 2;
			q->next_ms = now + q->interval_ms;
			sa_log(sa, IKE_LOG_DEBUG, "Quick Mode %08x: "
			       "retransmitting (%u)", q->msg_id, q->tries);
			v1_out_resend(sa, &q->out);
		}
	}
}

uint64_t v1_quick_next(const struct ike_sa *sa)
{
	uint64_t t = UINT64_MAX;

	for (size_t i = 0; i < V1_QM_MAX; i++) {
		const struct v1_quick *q = &sa->v1.qm[i];
		uint64_t d = q->created_ms + V1_QM_TIMEOUT_MS;

		if (!q->used)
			continue;
		if (d < t)
			t = d;
		if (q->switch_at_ms && q->switch_at_ms < t)
			t = q->switch_at_ms;
		if (q->next_ms && q->next_ms < t)
			t = q->next_ms;
	}
	return t;
}
