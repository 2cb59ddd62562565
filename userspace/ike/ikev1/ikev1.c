// SPDX-License-Identifier: GPL-2.0
/*
 * ikev1: IKEv1 as one version of the engine (struct ike_version). A
 * datagram is decoded, reassembled when it is a FRAG payload, matched to
 * its ISAKMP SA by the cookie pair (a new initiator cookie is a new
 * negotiation; the same one again is a retransmission, 004), answered
 * from the cache when it repeats the last message, decrypted with the IV
 * of its exchange and given to Main, Aggressive or Quick Mode or to the
 * Informational handler. Timers drive retransmission, Quick Mode
 * timeouts and DPD; queued tasks start rekeys, deletes and DPD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "ikev1/ikev1.h"

static void digest(const uint8_t *msg, size_t len, uint8_t out[20])
{
	SHA1(msg, len, out);
}

/* A repeat of the peer's last message: answer again, at a bounded rate
 * (a flood of copies must not become a flood of answers). */
static bool repeat(struct ike_sa *sa, const uint8_t *last, const uint8_t *h,
		   const struct v1_out *answer)
{
	if (memcmp(last, h, 20))
		return false;
	if (answer->n && sa->e->now_ms >= sa->v1.last_resend_ms +
					  V1_RESEND_MIN_MS) {
		sa->v1.last_resend_ms = sa->e->now_ms;
		sa_log(sa, IKE_LOG_DEBUG, "retransmitted message: answering "
		       "from the cache");
		v1_out_resend(sa, answer);
	}
	return true;
}

static void log_received(struct ike_engine *e, const struct ike_path *path,
			 const struct v1_msg *m, size_t len)
{
	char a[64], b[64];

	if (e->log_level < IKE_LOG_DEBUG)
		return;
	ike_addr_str(&path->remote, a, sizeof(a));
	ike_addr_str(&path->local, b, sizeof(b));
	elog(e, IKE_LOG_DEBUG, ike_tunnel_for_path(e, path), NULL,
	     "ISAKMP (0): received packet from %s dport %u sport %u (exchange "
	     "%u, message ID %08x, flags %u, len %zu) to %s", a,
	     ike_sockaddr_port(&path->local), ike_sockaddr_port(&path->remote),
	     m->hdr.exchange, m->hdr.msg_id, m->hdr.flags, len, b);
}

static void phase1_in(struct ike_sa *sa, const struct v1_msg *m,
		      const struct ike_path *path)
{
	int done = 0;

	if (m->hdr.exchange == ISAKMP_EXCH_IDPROT &&
	    sa->v1.exch == ISAKMP_EXCH_IDPROT)
		done = v1_main_mode_in(sa, m, path);
	else if (m->hdr.exchange == ISAKMP_EXCH_AGGRESSIVE &&
		 sa->v1.exch == ISAKMP_EXCH_AGGRESSIVE)
		done = v1_aggressive_in(sa, m, path);
	else
		sa_log(sa, IKE_LOG_NOTICE, "exchange type %u in a %s: dropped",
		       m->hdr.exchange, sa->v1.exch == ISAKMP_EXCH_IDPROT ?
		       "Main Mode" : "Aggressive Mode");
	/* The IPsec SAs of a previous ISAKMP SA were taken over: only a
	 * tunnel without them needs a Quick Mode now. */
	if (done && !sa->dead && !ike_child_active(sa))
		v1_quick_start(sa, 0);
}

static void quick_in(struct ike_sa *sa, const uint8_t *msg, size_t len,
		     struct v1_msg *m)
{
	struct v1_quick *q = v1_quick_find(sa, m->hdr.msg_id);
	uint8_t h[20], *plain = NULL;
	bool fresh = !q;

	if (sa->state != IKE_ST_ESTABLISHED) {
		sa_log(sa, IKE_LOG_NOTICE, "Quick Mode before phase 1 is "
		       "complete: dropped");
		return;
	}
	digest(msg, len, h);
	if (q && repeat(sa, q->last_in, h, &q->out))
		return;
	if (!q) {
		q = v1_quick_slot(sa, m->hdr.msg_id);
		if (!q) {
			sa_log(sa, IKE_LOG_NOTICE, "too many Quick Modes at "
			       "once: %08x dropped", m->hdr.msg_id);
			return;
		}
		v1_iv_exchange_init(sa, m->hdr.msg_id, &q->iv);
	}
	if (v1_open(sa, &q->iv, msg, len, m, &plain) < 0) {
		if (fresh)
			v1_quick_free(q);
		return;
	}
	v1_quick_in(sa, q, fresh, plain, len, m);
	if (q->used && q->msg_id == m->hdr.msg_id)
		memcpy(q->last_in, h, 20);
	free(plain);
}

static void info_in(struct ike_sa *sa, const uint8_t *msg, size_t len,
		    struct v1_msg *m)
{
	struct v1_iv_slot iv;
	uint8_t *plain = NULL;

	if (!(m->hdr.flags & ISAKMP_FLAG_ENC)) {
		const struct v1_payload *pl = v1_msg_find(m, ISAKMP_PL_N, NULL);

		/* Unauthenticated: logged, never acted upon. */
		if (pl)
			sa_log(sa, IKE_LOG_WARNING, "peer sent an unprotected "
			       "%s", v1_notify_name(pl->u.notify.type));
		return;
	}
	if (!sa->v1.have_keys || sa->v1.st != V1_P1_COMPLETE) {
		sa_log(sa, IKE_LOG_NOTICE, "protected Informational before "
		       "phase 1 is complete: dropped");
		return;
	}
	v1_iv_exchange_init(sa, m->hdr.msg_id, &iv);
	if (v1_open(sa, &iv, msg, len, m, &plain) == 0)
		v1_info_in(sa, plain, len, m);
	free(plain);
}

static void sa_in(struct ike_sa *sa, const struct ike_path *path,
		  const uint8_t *msg, size_t len, struct v1_msg *m)
{
	uint8_t h[20], *plain = NULL;

	switch (m->hdr.exchange) {
	case ISAKMP_EXCH_QUICK:
		quick_in(sa, msg, len, m);
		return;
	case ISAKMP_EXCH_INFO:
		info_in(sa, msg, len, m);
		return;
	case ISAKMP_EXCH_IDPROT:
	case ISAKMP_EXCH_AGGRESSIVE:
		break;
	default:
		sa_log(sa, IKE_LOG_NOTICE, "unsupported exchange type %u "
		       "dropped", m->hdr.exchange);
		return;
	}
	digest(msg, len, h);
	if (sa->v1.have_last_in && repeat(sa, sa->v1.last_in, h, &sa->v1.out))
		return;
	if (m->hdr.flags & ISAKMP_FLAG_ENC) {
		if (m->hdr.msg_id ||
		    v1_open(sa, &sa->v1.iv, msg, len, m, &plain) < 0)
			return;
	}
	memcpy(sa->v1.last_in, h, 20);
	sa->v1.have_last_in = true;
	phase1_in(sa, m, path);
	free(plain);
}

/* A new negotiation, or the first message again (same initiator
 * cookie from the same peer): then our answer goes out again. */
static void first_message(struct ike_engine *e, const struct ike_path *path,
			  const uint8_t *msg, size_t len,
			  const struct v1_msg *m)
{
	struct ike_sa *old = ike_sa_find_init(e, m->hdr.cky_i, path);
	uint8_t h[20];

	if (old && old->v == e->ikev1) {
		digest(msg, len, h);
		if (!repeat(old, old->v1.last_in, h, &old->v1.out))
			sa_log(old, IKE_LOG_NOTICE, "a different first message "
			       "with the same initiator cookie: dropped");
		return;
	}
	if (m->hdr.exchange == ISAKMP_EXCH_IDPROT)
		v1_main_mode_request_in(e, path, m);
	else
		v1_aggressive_request_in(e, path, m);
	old = ike_sa_find_init(e, m->hdr.cky_i, path);
	if (old && old->v == e->ikev1) {
		digest(msg, len, old->v1.last_in);
		old->v1.have_last_in = true;
	}
}

static void input_msg(struct ike_engine *e, const struct ike_path *path,
		      const uint8_t *msg, size_t len, int depth);

/* Cisco/Microsoft fragments: reassemble, then take the whole message. */
static void fragment_in(struct ike_sa *sa, const struct ike_path *path,
			const struct v1_msg *m, int depth)
{
	const struct v1_payload *pl = v1_msg_find(m, ISAKMP_PL_FRAG, NULL);
	struct v1_decode_error err;
	uint8_t *whole;
	size_t len;
	enum v1_frag_result r;

	if (!sa->v1.frags)
		sa->v1.frags = calloc(1, sizeof(*sa->v1.frags));
	whole = malloc(V1_MAX_MSG_LEN);
	if (!sa->v1.frags || !whole || !pl) {
		free(whole);
		return;
	}
	r = v1_frag_add(sa->v1.frags, pl, whole, V1_MAX_MSG_LEN, &len, &err);
	if (r == V1_FRAG_ERROR)
		sa_log(sa, IKE_LOG_NOTICE, "fragment refused: %s", err.msg);
	else if (r == V1_FRAG_DONE)
		input_msg(sa->e, path, whole, len, depth + 1);
	free(whole);
}

static void input_msg(struct ike_engine *e, const struct ike_path *path,
		      const uint8_t *msg, size_t len, int depth)
{
	static const uint8_t zero[8];
	struct v1_msg *m = malloc(sizeof(*m));
	struct v1_decode_error err;
	struct ike_sa *sa;
	char a[64];
	bool first;

	if (!m)
		return;
	ike_addr_str(&path->remote, a, sizeof(a));
	if (v1_msg_decode(msg, len, m, &err) < 0) {
		elog(e, IKE_LOG_NOTICE, ike_tunnel_for_path(e, path), NULL,
		     "dropping malformed IKEv1 message from %s: %s (offset %zu)",
		     a, err.msg, err.offset);
		goto out;
	}
	log_received(e, path, m, len);
	first = !memcmp(m->hdr.cky_r, zero, 8) &&
		(m->hdr.exchange == ISAKMP_EXCH_IDPROT ||
		 m->hdr.exchange == ISAKMP_EXCH_AGGRESSIVE) &&
		!(m->hdr.flags & ISAKMP_FLAG_ENC);
	if (first && depth == 0 &&
	    !(m->n_payloads && m->payloads[0].type == ISAKMP_PL_FRAG)) {
		first_message(e, path, msg, len, m);
		goto out;
	}
	sa = ike_sa_find(e, m->hdr.cky_i, m->hdr.cky_r,
			 m->hdr.exchange != ISAKMP_EXCH_INFO);
	if (!sa || sa->v != e->ikev1) {
		elog(e, IKE_LOG_INFO, ike_tunnel_for_path(e, path), NULL,
		     "IKEv1 message (exchange %u) from %s for an unknown "
		     "ISAKMP SA: dropped", m->hdr.exchange, a);
		goto out;
	}
	if (m->n_payloads && m->payloads[0].type == ISAKMP_PL_FRAG) {
		if (depth == 0)
			fragment_in(sa, path, m, depth);
		goto out;
	}
	sa_in(sa, path, msg, len, m);
out:
	free(m);
}

static void ikev1_input(struct ike_engine *e, const struct ike_path *path,
			const uint8_t *msg, size_t len)
{
	input_msg(e, path, msg, len, 0);
}

static int ikev1_initiate(struct ike_engine *e, struct ike_tunnel *t)
{
	if (v1_aggressive(t))
		return v1_aggressive_start(e, t);
	return v1_main_mode_start(e, t);
}

/* ---- timers and tasks ---- */

static void phase1_retransmit(struct ike_sa *sa, uint64_t now)
{
	if (!sa->v1.next_ms || now < sa->v1.next_ms)
		return;
	if (sa->v1.tries >= V1_RETRANS_TRIES) {
		v1_phase1_fail(sa, 0, sa->v1.st == V1_I_MM1 ||
			       sa->v1.st == V1_I_AM1 ?
			       "no answer to the first message (is UDP 500 "
			       "blocked on the way?)" : "no answer from the peer");
		return;
	}
	sa->v1.tries++;
	sa->v1.interval_ms *= 2;
	sa->v1.next_ms = now + sa->v1.interval_ms;
	sa_log(sa, IKE_LOG_DEBUG, "retransmitting phase 1 message in %s (%u)",
	       v1_state_name(sa->v1.st), sa->v1.tries);
	v1_out_resend(sa, &sa->v1.out);
}

static void ikev1_timers(struct ike_sa *sa, uint64_t now)
{
	phase1_retransmit(sa, now);
	if (sa->dead)
		return;
	v1_quick_timers(sa, now);
	if (!sa->dead && sa->state == IKE_ST_ESTABLISHED)
		v1_dpd_timer(sa, now);
}

static uint64_t ikev1_next_timer(const struct ike_sa *sa)
{
	uint64_t t = v1_quick_next(sa), d = v1_dpd_next(sa);

	if (sa->v1.next_ms && sa->v1.next_ms < t)
		t = sa->v1.next_ms;
	return d < t ? d : t;
}

static void ikev1_run_tasks(struct ike_sa *sa)
{
	if (sa->dead || sa->state != IKE_ST_ESTABLISHED || !sa->tasks)
		return;
	if (sa->tasks & TASK_DELETE_IKE) {
		/* A Quick Mode in flight on it finishes (or times out)
		 * first: its IPsec SAs then move to the other ISAKMP SA. */
		if (v1_quick_busy(sa))
			return;
		sa->tasks = 0;
		v1_delete_ike_start(sa);
		return;
	}
	if (sa->tasks & TASK_DELETE_CHILD) {
		sa->tasks &= ~TASK_DELETE_CHILD;
		v1_delete_child_start(sa, sa->task_delete_spi);
	}
	if (sa->tasks & TASK_REKEY_IKE) {
		/* IKEv1 rekeys its ISAKMP SA with a new phase 1; the IPsec
		 * SAs move to it once it is up (v1_phase1_done). */
		sa->tasks &= ~TASK_REKEY_IKE;
		sa_log(sa, IKE_LOG_INFO, "ISAKMP SA lifetime: negotiating its "
		       "successor");
		ikev1_initiate(sa->e, sa->t);
	}
	if (sa->tasks & TASK_REKEY_CHILD) {
		sa->tasks &= ~TASK_REKEY_CHILD;
		v1_quick_start(sa, sa->task_child_spi);
	}
	if (sa->tasks & TASK_DPD) {
		sa->tasks &= ~TASK_DPD;
		v1_dpd_start(sa);
	}
}

static void ikev1_delete_unreliable(struct ike_sa *sa)
{
	uint8_t spi[16];

	if (!sa->v1.have_keys || sa->v1.st != V1_P1_COMPLETE)
		return;
	for (size_t i = 0; i < IKE_CHILD_MAX; i++) {
		struct child_sa *c = &sa->child[i];
		uint8_t s[4] = { c->spi_in >> 24, c->spi_in >> 16,
				 c->spi_in >> 8, c->spi_in & 0xff };

		if (c->used && c->in_installed)
			v1_send_delete(sa, ISAKMP_PROTO_ESP, s, 4, 1);
	}
	memcpy(spi, sa->spi_i, 8);
	memcpy(spi + 8, sa->spi_r, 8);
	v1_send_delete(sa, ISAKMP_PROTO_ISAKMP, spi, 16, 1);
}

/* IOS's names for where phase 1 stands ("show crypto isakmp sa"). */
static const char *isakmp_state(const struct ike_sa *sa)
{
	switch (sa->v1.st) {
	case V1_P1_COMPLETE:
		return sa->state == IKE_ST_DELETING ? "MM_NO_STATE" : "QM_IDLE";
	case V1_I_MM2: case V1_I_MM3: case V1_R_MM2: case V1_R_MM3:
		return "MM_SA_SETUP";
	case V1_I_MM4: case V1_I_MM5: case V1_I_MM6: case V1_R_MM4:
	case V1_R_MM5:
		return "MM_KEY_EXCH";
	case V1_I_AM1: case V1_R_AM1:
		return "AG_NO_STATE";
	case V1_I_AM2: case V1_R_AM2:
		return "AG_INIT_EXCH";
	default:
		return "MM_NO_STATE";
	}
}

static void ikev1_status(const struct ike_sa *sa, struct ike_sa_status *o)
{
	o->fragmentation = sa->v1.peer_frag;
	snprintf(o->isakmp_state, sizeof(o->isakmp_state), "%s",
		 isakmp_state(sa));
	o->v1_auth = sa->v1.auth;
	o->dpd = sa->v1.peer_dpd;
	o->lifetime_s = sa->v1.life_s;
}

static void ikev1_release(struct ike_sa *sa)
{
	for (size_t i = 0; i < V1_QM_MAX; i++) {
		struct v1_quick *q = &sa->v1.qm[i];

		if (q->used && q->spi_in && !q->installed)
			sa->e->ops.sa_del(sa->e->ops.ctx, sa->t->info.ifindex,
					  IKEVTI_DIR_IN, q->spi_in);
		if (q->used)
			q->spi_in = 0;
	}
}

static uint32_t ikev1_nat_keepalive_s(const struct ike_sa *sa)
{
	uint32_t s = sa->e->model->isakmp.nat_keepalive_s;

	return s ? s : IKE_NAT_KEEPALIVE_S;
}

static void ikev1_free(struct ike_sa *sa)
{
	for (size_t i = 0; i < V1_QM_MAX; i++)
		if (sa->v1.qm[i].used)
			v1_quick_free(&sa->v1.qm[i]);
	for (size_t i = 0; i < sa->v1.n_cr; i++)
		free(sa->v1.cr[i]);
	free(sa->v1.sai_b);
	free(sa->v1.id_i);
	free(sa->v1.id_r);
	free(sa->v1.frags);
	v1_out_free(&sa->v1.out);
	v1_keys_wipe(&sa->v1.keys);
	OPENSSL_cleanse(sa->v1.psk, sizeof(sa->v1.psk));
}

const struct ike_version ikev1_version = {
	.name = "IKEv1",
	.major = 1,
	.input = ikev1_input,
	.initiate = ikev1_initiate,
	.timers = ikev1_timers,
	.next_timer = ikev1_next_timer,
	.run_tasks = ikev1_run_tasks,
	.delete_unreliable = ikev1_delete_unreliable,
	.status = ikev1_status,
	.release = ikev1_release,
	.nat_keepalive_s = ikev1_nat_keepalive_s,
	.free = ikev1_free,
	.config_same = v1_config_same,
};
