// SPDX-License-Identifier: GPL-2.0
/*
 * exch_child: CREATE_CHILD_SA (RFC 7296 1.3): rekeying the child SA
 * (REKEY_SA, a new SPI pair, PFS with "set pfs") and rekeying the IKE SA
 * (new SPIs, new KE, SKEYSEED from the old SK_d, 2.18; the children move
 * to the new IKE SA and the old one is deleted).
 *
 * Child rekey order, so no packet is lost: the initiator installs the
 * new inbound SA, the new outbound SA, switches transmission, removes
 * the old outbound SA and sends Delete for the old pair; the responder
 * installs both new SAs when it answers but keeps transmitting on the
 * old one until that Delete arrives (or 5 s pass), since only then does
 * it know the initiator has the new inbound SA. Old inbound SAs stay
 * until the Delete exchange ends or for 5 s.
 *
 * Simultaneous child rekey (2.8.1): both exchanges complete; the new
 * pair made by the exchange with the lowest of the four nonces is
 * redundant and its initiator deletes it; the initiator of the other
 * exchange deletes the old pair.
 *
 * Simultaneous IKE rekey (2.8.2): both exchanges complete, so two new
 * IKE SAs exist. The one made by the exchange whose nonces include the
 * lowest of the four is redundant and its initiator deletes it; the
 * other one keeps the children, and its initiator deletes the old IKE
 * SA. Children move between IKE SAs only in memory: no kernel SA is
 * touched. A child rekey request arriving while our IKE rekey is out
 * gets TEMPORARY_FAILURE (2.25.2): its children are about to move.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/engine_int.h"

static const uint8_t *low16(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 16) <= 0 ? a : b;
}

static int shared_secret(struct ike_dh *dh, const struct ike_payload *ke,
			 uint8_t *gir, size_t *gl)
{
	*gl = ike_dh_shared_len(ike_dh_group(dh));
	if (!ke || ke->u.ke.group != ike_dh_group(dh) || *gl > 1024)
		return -1;
	return ike_dh_shared(dh, ke->u.ke.data.ptr, ke->u.ke.data.len, gir,
			     *gl);
}

static struct ike_payload *add_ke(struct ike_msg *m, struct ike_dh *dh,
				  uint8_t *buf, size_t cap)
{
	size_t n = ike_dh_public_len(ike_dh_group(dh));
	struct ike_payload *pl;

	if (!n || n > cap || ike_dh_public(dh, buf, n) < 0)
		return NULL;
	pl = ike_msg_add(m, IKEV2_PL_KE);
	pl->u.ke.group = ike_dh_group(dh);
	pl->u.ke.data = (struct ike_bytes){ buf, n };
	return pl;
}

static void add_nonce(struct ike_msg *m, const uint8_t *n, size_t len)
{
	struct ike_payload *pl = ike_msg_add(m, IKEV2_PL_NONCE);

	pl->u.data = (struct ike_bytes){ n, len };
}

static void new_nonce(struct ike_sa *sa)
{
	sa->x_nonce_len = IKE_NONCE_LEN;
	ike_random(sa->x_nonce, sa->x_nonce_len);
}

/* ---- child rekey, initiator ---- */

void ike_child_rekey_start(struct ike_sa *sa, uint32_t spi_in)
{
	struct child_sa *c = ike_child_by_spi_in(sa, spi_in);
	const struct cfg_ipsec_profile *ip = sa->t->ipp;
	struct ike_local_proposal lp[6];
	struct ike_msg *m;
	struct ike_payload *pl;
	uint8_t ke[1024], spi[4];
	uint32_t old = htonl(spi_in), nspi;
	size_t n = 0;

	if (!c || c->state != CHILD_ACTIVE || !(m = calloc(1, sizeof(*m))))
		return;
	nspi = ike_spi_alloc(sa);
	if (!nspi) {
		free(m);
		c->rekey_at_ms = sa->e->now_ms + 10000;
		return;
	}
	sa->x_spi_in = nspi;
	sa->x_old_spi_in = spi_in;
	sa->x_coll = false;
	new_nonce(sa);
	ike_dh_free(sa->x_dh);
	sa->x_dh = ip && ip->pfs_group ? ike_dh_new(ip->pfs_group) : NULL;
	pl = ike_add_notify(m, IKEV2_N_REKEY_SA, NULL, 0);
	pl->u.notify.protocol = IKEV2_PROTO_ESP;
	pl->u.notify.spi_size = 4;
	pl->u.notify.spi = (struct ike_bytes){ (uint8_t *)&old, 4 };
	nspi = htonl(nspi);
	memcpy(spi, &nspi, 4);
	ike_local_esp_proposals(sa->t, lp, &n, true);
	m->has_sa = true;
	ike_build_sa_payload(lp, n, IKEV2_PROTO_ESP, spi, 4, &m->sa);
	ike_msg_add(m, IKEV2_PL_SA);
	add_nonce(m, sa->x_nonce, sa->x_nonce_len);
	if (sa->x_dh)
		add_ke(m, sa->x_dh, ke, sizeof(ke));
	ike_ts_all(m);
	sa_log(sa, IKE_LOG_INFO, "rekeying child SA in %08x out %08x%s",
	       c->spi_in, c->spi_out, sa->x_dh ? " with PFS" : "");
	if (ike_request(sa, REQ_CHILD_REKEY, IKEV2_EXCH_CREATE_CHILD_SA,
			m) == 0)
		c->state = CHILD_REKEYING;
	free(m);
}

static const struct ike_payload *error_notify(const struct ike_msg *m)
{
	const struct ike_payload *pl = NULL;

	while ((pl = ike_msg_find(m, IKEV2_PL_NOTIFY, pl)))
		if (pl->u.notify.type < 16384)
			return pl;
	return NULL;
}

static void child_rekey_failed(struct ike_sa *sa, struct child_sa *old,
			       const char *why)
{
	sa_log(sa, IKE_LOG_WARNING, "child SA rekey failed: %s", why);
	if (sa->x_spi_in)
		sa->e->ops.sa_del(sa->e->ops.ctx, sa->t->info.ifindex,
				  IKEVTI_DIR_IN, sa->x_spi_in);
	sa->x_spi_in = 0;
	if (old && old->state == CHILD_REKEYING) {
		old->state = CHILD_ACTIVE;
		old->rekey_at_ms = sa->e->now_ms + 10000;	/* try again */
	}
}

static int rekey_response_install(struct ike_sa *sa, const struct ike_msg *m,
				  const struct ike_payload *nr, bool switch_tx)
{
	struct ike_local_proposal lp[6];
	struct ike_sa_payload offer;
	struct ike_selection sel;
	uint8_t gir[1024], spi[4];
	uint32_t nspi = htonl(sa->x_spi_in), out;
	size_t n = 0, gl = 0;
	int rc;

	memcpy(spi, &nspi, 4);
	ike_local_esp_proposals(sa->t, lp, &n, true);
	ike_build_sa_payload(lp, n, IKEV2_PROTO_ESP, spi, 4, &offer);
	if (!m->has_sa || !ike_selection_offered(&offer, &m->sa,
						 IKEV2_PROTO_ESP, &sel) ||
	    sel.spi_size != 4 || (sel.dh && !sa->x_dh))
		return -1;
	if (sa->x_dh && shared_secret(sa->x_dh, ike_msg_find(m, IKEV2_PL_KE,
							     NULL),
				      gir, &gl) < 0)
		return -1;
	memcpy(&out, sel.spi, 4);
	rc = ike_child_install(sa, &sel, sa->x_spi_in, ntohl(out),
			       sa->x_nonce, sa->x_nonce_len, nr->u.data.ptr,
			       nr->u.data.len, sa->x_dh ? gir : NULL, gl, true,
			       switch_tx);
	OPENSSL_cleanse(gir, sizeof(gir));
	return rc;
}

static void child_rekey_response(struct ike_sa *sa, const struct ike_msg *m)
{
	struct child_sa *old = ike_child_by_spi_in(sa, sa->x_old_spi_in);
	const struct ike_payload *err = error_notify(m);
	const struct ike_payload *nr = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	uint32_t new_in = sa->x_spi_in;
	bool redundant;

	if (err) {
		child_rekey_failed(sa, old, ike_notify_name(
					   err->u.notify.type));
		return;
	}
	if (!nr || nr->u.data.len < 16) {
		child_rekey_failed(sa, old, "invalid CREATE_CHILD_SA response");
		return;
	}
	/* Our exchange had the lowest nonce: our new pair is the
	 * redundant one and never carries traffic; the peer deletes the
	 * old pair, which moves transmission to its new pair. */
	redundant = sa->x_coll && memcmp(low16(sa->x_nonce, nr->u.data.ptr),
					 sa->x_coll_low, 16) < 0;
	if (rekey_response_install(sa, m, nr, !redundant) < 0) {
		child_rekey_failed(sa, old, "invalid CREATE_CHILD_SA response");
		return;
	}
	sa->x_spi_in = 0;
	if (redundant) {
		struct child_sa *mine = ike_child_by_spi_in(sa, new_in);

		sa_log(sa, IKE_LOG_NOTICE, "simultaneous child rekey: ours "
		       "has the lowest nonce, deleting its new SA %08x",
		       new_in);
		if (mine)
			ike_child_retire(sa, mine);
		sa->task_delete_spi = new_in;
		sa->tasks |= TASK_DELETE_CHILD;
		if (old) {
			old->state = CHILD_REKEYED;
			old->grace_until_ms = sa->e->now_ms +
					      IKE_OLD_INBOUND_GRACE_MS;
		}
		return;
	}
	if (old) {
		ike_child_retire(sa, old);
		sa->task_delete_spi = old->spi_in;
		sa->tasks |= TASK_DELETE_CHILD;
	}
}

/* ---- child rekey, responder ---- */

struct resp_bufs {
	uint8_t ke[1024];
	uint8_t nonce[IKE_NONCE_LEN];
	uint8_t spi[4];
};

static int resp_select(struct ike_sa *sa, const struct ike_msg *req,
		       struct ike_msg *m, struct ike_selection *sel,
		       uint8_t *g)
{
	struct ike_local_proposal lp[6];
	const struct ike_payload *ke = ike_msg_find(req, IKEV2_PL_KE, NULL);
	char why[512];
	size_t n = 0;

	ike_local_esp_proposals(sa->t, lp, &n, true);
	if (!req->has_sa || ike_select_proposal(&req->sa, IKEV2_PROTO_ESP, lp,
						n, IKE_SELECT_LOCAL_FIRST, sel,
						why, sizeof(why)) < 0 ||
	    sel->spi_size != 4) {
		sa_log(sa, IKE_LOG_WARNING, "child rekey: no proposal chosen: "
		       "%s", req->has_sa ? why : "no SA payload");
		ike_add_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return -1;
	}
	if (sel->dh && (!ke || ke->u.ke.group != sel->dh)) {
		g[0] = (uint8_t)(sel->dh >> 8);
		g[1] = (uint8_t)sel->dh;
		sa_log(sa, IKE_LOG_NOTICE, "child rekey: KE is not for PFS "
		       "group %u: INVALID_KE_PAYLOAD", sel->dh);
		ike_add_notify(m, IKEV2_N_INVALID_KE_PAYLOAD, g, 2);
		return -1;
	}
	if (!ike_ts_acceptable(req)) {
		ike_add_notify(m, IKEV2_N_TS_UNACCEPTABLE, NULL, 0);
		return -1;
	}
	return 0;
}

static int resp_install(struct ike_sa *sa, const struct ike_msg *req,
			struct ike_msg *m, const struct ike_selection *sel,
			struct resp_bufs *b, uint32_t *spi_in)
{
	const struct ike_payload *ni = ike_msg_find(req, IKEV2_PL_NONCE, NULL);
	struct ike_dh *dh = sel->dh ? ike_dh_new(sel->dh) : NULL;
	uint8_t gir[1024];
	size_t gl = 0;
	uint32_t out;
	int rc = -1;

	ike_random(b->nonce, sizeof(b->nonce));
	*spi_in = ike_spi_alloc(sa);
	memcpy(&out, sel->spi, 4);
	if (*spi_in && (!sel->dh ||
			(dh && shared_secret(dh, ike_msg_find(req, IKEV2_PL_KE,
							      NULL),
					     gir, &gl) == 0)))
		rc = ike_child_install(sa, sel, *spi_in, ntohl(out),
				       ni->u.data.ptr, ni->u.data.len,
				       b->nonce, sizeof(b->nonce),
				       sel->dh ? gir : NULL, gl, false, false);
	OPENSSL_cleanse(gir, sizeof(gir));
	if (rc == 0) {
		uint32_t s = htonl(*spi_in);

		memcpy(b->spi, &s, 4);
		m->has_sa = true;
		ike_selection_to_sa(sel, b->spi, 4, &m->sa);
		ike_msg_add(m, IKEV2_PL_SA);
		add_nonce(m, b->nonce, sizeof(b->nonce));
		if (dh)
			add_ke(m, dh, b->ke, sizeof(b->ke));
		m->has_tsi = m->has_tsr = true;
		m->tsi = req->tsi;
		m->tsr = req->tsr;
		ike_msg_add(m, IKEV2_PL_TSI);
		ike_msg_add(m, IKEV2_PL_TSR);
	} else {
		if (*spi_in)
			sa->e->ops.sa_del(sa->e->ops.ctx, sa->t->info.ifindex,
					  IKEVTI_DIR_IN, *spi_in);
		ike_add_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	}
	ike_dh_free(dh);
	return rc;
}

static void child_rekey_request(struct ike_sa *sa, const struct ike_msg *req,
				const struct ike_payload *rk, struct ike_msg *m,
				struct resp_bufs *b)
{
	const struct ike_payload *ni = ike_msg_find(req, IKEV2_PL_NONCE, NULL);
	struct child_sa *old = NULL;
	struct ike_selection sel;
	uint32_t spi = 0, spi_in = 0;
	uint8_t g[2];

	if (rk->u.notify.spi.len == 4) {
		memcpy(&spi, rk->u.notify.spi.ptr, 4);
		old = ike_child_by_spi_out(sa, ntohl(spi));
	}
	if (!old || old->state == CHILD_REKEYED) {
		sa_log(sa, IKE_LOG_NOTICE, "peer rekeys child SA %08x, which "
		       "we do not have: CHILD_SA_NOT_FOUND", ntohl(spi));
		ike_add_notify(m, IKEV2_N_CHILD_SA_NOT_FOUND, NULL, 0);
		return;
	}
	if (!ni || ni->u.data.len < 16 ||
	    resp_select(sa, req, m, &sel, g) < 0 ||
	    resp_install(sa, req, m, &sel, b, &spi_in) < 0)
		return;
	sa_log(sa, IKE_LOG_INFO, "peer rekeyed child SA in %08x out %08x",
	       old->spi_in, old->spi_out);
	if (old->state == CHILD_REKEYING && sa->req == REQ_CHILD_REKEY &&
	    sa->x_old_spi_in == old->spi_in) {
		sa->x_coll = true;
		memcpy(sa->x_coll_low, low16(ni->u.data.ptr, b->nonce), 16);
		sa_log(sa, IKE_LOG_NOTICE, "simultaneous child rekey "
		       "detected (RFC 7296 2.8.1)");
		return;
	}
	/* Replaced: removed when the initiator's Delete comes, or after
	 * the grace period. */
	old->state = CHILD_REKEYED;
	old->rekey_at_ms = 0;
	old->grace_until_ms = sa->e->now_ms + IKE_OLD_INBOUND_GRACE_MS;
}

/* ---- IKE SA rekey ---- */

void ike_ike_rekey_start(struct ike_sa *sa)
{
	struct ike_local_proposal lp[CFG_LIST_MAX];
	struct ike_msg *m = calloc(1, sizeof(*m));
	uint8_t ke[1024];
	size_t n = 0;

	if (!m)
		return;
	ike_random(sa->x_ike_spi, 8);
	sa->x_coll = false;
	new_nonce(sa);
	ike_dh_free(sa->x_dh);
	sa->x_dh = ike_dh_new(sa->sel.dh);
	ike_local_ike_proposals(sa->e, sa->t, lp, CFG_LIST_MAX, &n);
	m->has_sa = true;
	ike_build_sa_payload(lp, n, IKEV2_PROTO_IKE, sa->x_ike_spi, 8, &m->sa);
	ike_msg_add(m, IKEV2_PL_SA);
	add_nonce(m, sa->x_nonce, sa->x_nonce_len);
	if (!sa->x_dh || !add_ke(m, sa->x_dh, ke, sizeof(ke))) {
		free(m);
		return;
	}
	sa_log(sa, IKE_LOG_INFO, "rekeying the IKE SA");
	ike_request(sa, REQ_IKE_REKEY, IKEV2_EXCH_CREATE_CHILD_SA, m);
	free(m);
}

/* The new IKE SA inherits everything but SPIs, nonces and keys. */
static struct ike_sa *ike_successor(struct ike_sa *old, bool initiator,
				    const uint8_t *ni, size_t ni_len,
				    const uint8_t *nr, size_t nr_len,
				    const struct ike_selection *sel)
{
	struct ike_sa *n = ike_sa_new(old->e, old->t, initiator, &old->path);

	if (!n)
		return NULL;
	n->sel = *sel;
	n->nat_local = old->nat_local;
	n->nat_remote = old->nat_remote;
	n->natt = old->natt;
	n->peer_frag = old->peer_frag;
	memcpy(n->peer_hashes, old->peer_hashes, sizeof(n->peer_hashes));
	n->n_peer_hashes = old->n_peer_hashes;
	n->auth_local = old->auth_local;
	n->auth_remote = old->auth_remote;
	memcpy(n->local_id, old->local_id, sizeof(n->local_id));
	memcpy(n->remote_id, old->remote_id, sizeof(n->remote_id));
	n->ni_len = ni_len;
	memcpy(n->ni, ni, ni_len);
	n->nr_len = nr_len;
	memcpy(n->nr, nr, nr_len);
	return n;
}

static int successor_keys(struct ike_sa *old, struct ike_sa *n,
			  struct ike_dh *dh, const struct ike_payload *ke)
{
	uint8_t gir[1024];
	size_t gl = 0;
	int rc = shared_secret(dh, ke, gir, &gl);

	if (rc == 0)
		rc = ike_derive_keys(n, gir, gl, old->keys.sk_d, old->sel.prf);
	OPENSSL_cleanse(gir, sizeof(gir));
	return rc;
}

static void successor_up(struct ike_sa *old, struct ike_sa *n)
{
	old->replaced = true;
	old->rekey_at_ms = 0;
	old->dpd_at_ms = 0;
	/* The rekey initiator deletes the old SA; if that never comes,
	 * we do. */
	old->dup_deadline_ms = old->e->now_ms + IKE_DUP_DELETE_FALLBACK_MS;
	ike_child_move(old, n);
	n->state = IKE_ST_ESTABLISHED;
	n->established_ms = old->e->now_ms;
	sa_log(n, IKE_LOG_NOTICE, "IKE SA rekeyed: replaces IKE SA %u",
	       old->id);
	ike_established(n);
	old->tasks = 0;
}

static void ike_rekey_failed(struct ike_sa *sa, const struct ike_payload *err)
{
	sa_log(sa, IKE_LOG_WARNING, "IKE SA rekey failed: %s",
	       err ? ike_notify_name(err->u.notify.type) : "invalid response");
	/* Replaced by the peer's rekey meanwhile: nothing left to retry. */
	if (sa->replaced)
		return;
	sa->rekey_at_ms = sa->e->now_ms + 10000 + (sa->x_nonce[0] % 16) * 1000;
}

/* The new IKE SA the peer's colliding exchange made, if still there. */
static struct ike_sa *collision_peer_sa(struct ike_sa *old)
{
	return ike_sa_find(old->e, old->x_coll_spi_i, old->x_coll_spi_r,
			   false);
}

/* The peer made it and deletes it (2.8.2); we do if that never comes. */
static void retire_redundant(struct ike_sa *r)
{
	r->replaced = true;
	r->rekey_at_ms = 0;
	r->dpd_at_ms = 0;
	r->tasks = 0;
	r->dup_deadline_ms = r->e->now_ms + IKE_DUP_DELETE_FALLBACK_MS;
}

/*
 * Our response brought the fourth nonce of a simultaneous IKE rekey.
 * Both sides compare the same four nonces, so they agree on which new
 * IKE SA is redundant without another message.
 */
static void ike_collision_resolve(struct ike_sa *old, struct ike_sa *n,
				  const struct ike_payload *nr)
{
	struct ike_sa *peer = collision_peer_sa(old);

	if (memcmp(low16(old->x_nonce, nr->u.data.ptr), old->x_coll_low,
		   16) < 0) {
		/* Ours holds the lowest nonce: we made it, we delete it.
		 * The children stay on the peer's, whose initiator deletes
		 * the old IKE SA. */
		sa_log(n, IKE_LOG_NOTICE, "simultaneous IKE SA rekey: this "
		       "one has the lowest nonce and goes; IKE SA %u stays",
		       peer ? peer->id : 0);
		n->replaced = true;
		n->state = IKE_ST_ESTABLISHED;
		n->established_ms = old->e->now_ms;
		n->tasks = TASK_DELETE_IKE;
		ike_tasks_run(n);
		return;
	}
	sa_log(n, IKE_LOG_NOTICE, "simultaneous IKE SA rekey: this one "
	       "stays; IKE SA %u has the lowest nonce", peer ? peer->id : 0);
	if (peer) {
		ike_child_move(peer, n);
		retire_redundant(peer);
	}
	successor_up(old, n);
	old->tasks = TASK_DELETE_IKE;	/* we initiated the survivor */
}

static void ike_rekey_response(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_local_proposal lp[CFG_LIST_MAX];
	struct ike_sa_payload offer;
	struct ike_selection sel;
	const struct ike_payload *nr = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	const struct ike_payload *err = error_notify(m);
	struct ike_sa *n;
	size_t k = 0;

	ike_local_ike_proposals(sa->e, sa->t, lp, CFG_LIST_MAX, &k);
	ike_build_sa_payload(lp, k, IKEV2_PROTO_IKE, sa->x_ike_spi, 8, &offer);
	if (err || !nr || nr->u.data.len < 16 || nr->u.data.len > IKE_NONCE_MAX ||
	    !m->has_sa ||
	    !ike_selection_offered(&offer, &m->sa, IKEV2_PROTO_IKE, &sel) ||
	    sel.spi_size != 8 || sel.dh != sa->sel.dh) {
		ike_rekey_failed(sa, err);
		return;
	}
	n = ike_successor(sa, true, sa->x_nonce, sa->x_nonce_len,
			  nr->u.data.ptr, nr->u.data.len, &sel);
	if (!n)
		return;
	memcpy(n->spi_i, sa->x_ike_spi, 8);
	memcpy(n->spi_r, sel.spi, 8);
	if (successor_keys(sa, n, sa->x_dh, ike_msg_find(m, IKEV2_PL_KE,
							 NULL)) < 0) {
		n->dead = true;
		sa_log(sa, IKE_LOG_WARNING, "IKE SA rekey: bad KE");
		return;
	}
	if (sa->x_coll) {
		ike_collision_resolve(sa, n, nr);
		return;
	}
	successor_up(sa, n);
	sa->tasks = TASK_DELETE_IKE;	/* old SA goes, children moved */
}

/*
 * The peer rekeyed the IKE SA while our own rekey of it is out (2.8.2).
 * We answered as usual and the children moved to the peer's new IKE
 * SA; which new SA stays is known once our response brings the fourth
 * nonce. Until then the old SA's Delete fallback keeps running.
 */
static void note_ike_collision(struct ike_sa *old, const struct ike_sa *n,
			       const struct ike_payload *ni)
{
	old->x_coll = true;
	memcpy(old->x_coll_low, low16(ni->u.data.ptr, n->nr), 16);
	memcpy(old->x_coll_spi_i, n->spi_i, 8);
	memcpy(old->x_coll_spi_r, n->spi_r, 8);
	sa_log(old, IKE_LOG_NOTICE, "simultaneous IKE SA rekey detected "
	       "(RFC 7296 2.8.2)");
}

struct ike_sa *ike_rekey_collision_old(struct ike_sa *n)
{
	for (struct ike_sa *o = n->e->sas; o; o = o->next)
		if (!o->dead && o->t == n->t && o->req == REQ_IKE_REKEY &&
		    o->x_coll && !memcmp(o->x_coll_spi_i, n->spi_i, 8) &&
		    !memcmp(o->x_coll_spi_r, n->spi_r, 8))
			return o;
	return NULL;
}

static void ike_rekey_request(struct ike_sa *sa, const struct ike_msg *req,
			      struct ike_msg *m, struct resp_bufs *b)
{
	struct ike_local_proposal lp[CFG_LIST_MAX];
	const struct ike_payload *ni = ike_msg_find(req, IKEV2_PL_NONCE, NULL);
	const struct ike_payload *ke = ike_msg_find(req, IKEV2_PL_KE, NULL);
	struct ike_selection sel;
	struct ike_dh *dh = NULL;
	struct ike_sa *n;
	char why[512];
	size_t k = 0;

	ike_local_ike_proposals(sa->e, sa->t, lp, CFG_LIST_MAX, &k);
	if (ike_select_proposal(&req->sa, IKEV2_PROTO_IKE, lp, k,
				IKE_SELECT_LOCAL_FIRST, &sel, why,
				sizeof(why)) < 0 || sel.spi_size != 8 ||
	    !ni || ni->u.data.len < 16 || ni->u.data.len > IKE_NONCE_MAX ||
	    !ke || ke->u.ke.group != sel.dh || !(dh = ike_dh_new(sel.dh))) {
		sa_log(sa, IKE_LOG_WARNING, "IKE SA rekey request refused: %s",
		       why);
		ike_add_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	ike_random(b->nonce, sizeof(b->nonce));
	n = ike_successor(sa, false, ni->u.data.ptr, ni->u.data.len, b->nonce,
			  sizeof(b->nonce), &sel);
	if (n)
		memcpy(n->spi_i, sel.spi, 8);
	if (!n || successor_keys(sa, n, dh, ke) < 0) {
		if (n)
			n->dead = true;
		ike_add_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		ike_dh_free(dh);
		return;
	}
	m->has_sa = true;
	ike_selection_to_sa(&sel, n->spi_r, 8, &m->sa);
	ike_msg_add(m, IKEV2_PL_SA);
	add_nonce(m, b->nonce, sizeof(b->nonce));
	add_ke(m, dh, b->ke, sizeof(b->ke));
	ike_dh_free(dh);
	successor_up(sa, n);
	sa->rekey_at_ms = 0;	/* the peer deletes this one */
	if (sa->req == REQ_IKE_REKEY)
		note_ike_collision(sa, n, ni);
}

/* ---- dispatch ---- */

void ike_create_child_request_in(struct ike_sa *sa, const struct ike_msg *req)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct resp_bufs *b = calloc(1, sizeof(*b));
	const struct ike_payload *rk = ike_find_notify(req, IKEV2_N_REKEY_SA);

	if (!m || !b)
		goto out;
	if (sa->state != IKE_ST_ESTABLISHED) {
		ike_add_notify(m, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
	} else if (rk && rk->u.notify.protocol == IKEV2_PROTO_ESP &&
		   (sa->req == REQ_IKE_REKEY || sa->replaced)) {
		/* 2.25.2: the children are moving to a new IKE SA. */
		sa_log(sa, IKE_LOG_NOTICE, "child rekey during an IKE SA "
		       "rekey: TEMPORARY_FAILURE");
		ike_add_notify(m, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
	} else if (rk && rk->u.notify.protocol == IKEV2_PROTO_ESP) {
		child_rekey_request(sa, req, rk, m, b);
	} else if (req->has_sa && req->sa.n_proposals &&
		   req->sa.proposals[0].protocol == IKEV2_PROTO_IKE) {
		ike_rekey_request(sa, req, m, b);
	} else {
		/* Route-based: one child pair per tunnel. */
		sa_log(sa, IKE_LOG_NOTICE, "peer asks for an additional child "
		       "SA: NO_ADDITIONAL_SAS");
		ike_add_notify(m, IKEV2_N_NO_ADDITIONAL_SAS, NULL, 0);
	}
	ike_respond(sa, IKEV2_EXCH_CREATE_CHILD_SA, req->hdr.msg_id, m);
out:
	if (b)
		OPENSSL_cleanse(b, sizeof(*b));
	free(b);
	free(m);
}

void ike_create_child_response_in(struct ike_sa *sa, const struct ike_msg *m)
{
	enum ike_req_kind k = sa->req;

	ike_request_done(sa);
	if (k == REQ_CHILD_REKEY)
		child_rekey_response(sa, m);
	else if (k == REQ_IKE_REKEY)
		ike_rekey_response(sa, m);
	ike_dh_free(sa->x_dh);
	sa->x_dh = NULL;
	ike_tasks_run(sa);
}
