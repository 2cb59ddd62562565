// SPDX-License-Identifier: GPL-2.0
/*
 * ikev2: IKEv2 as one version of the engine (struct ike_version). A
 * datagram is decoded, matched to its IKE SA, checked against the message
 * ID window (duplicates answered from the cache), decrypted and given to
 * the handler of its exchange; timers drive retransmission and DPD; the
 * queued tasks start whenever the request window is free.
 */
#include <stdlib.h>
#include <string.h>

#include "ikev2/ikev2.h"

static bool from_ourselves(const struct ike_sa *sa, const struct ike_msg *m)
{
	bool from_i = m->hdr.flags & IKEV2_FLAG_INITIATOR;

	return from_i == sa->initiator;
}

/* Which messages are answered from the cache: only the last request,
 * and for fragmented ones only on fragment 1 so that one retransmitted
 * request does not trigger one full answer per fragment. */
static bool duplicate_request(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *last = m->n_payloads ?
		&m->payloads[m->n_payloads - 1] : NULL;

	if (!sa->v2.have_resp || m->hdr.msg_id != sa->v2.resp_msgid ||
	    m->hdr.msg_id + 1 != sa->v2.msgid_in)
		return false;
	if (!last || (last->type == IKEV2_PL_SKF && last->u.skf.number != 1))
		return true;
	sa_log(sa, IKE_LOG_DEBUG, "retransmitted %s request MsgID %u: "
	       "answering from cache", ike_exch_name(m->hdr.exchange),
	       m->hdr.msg_id);
	ike_out_send(sa->e, &sa->path, &sa->v2.resp_out);
	return true;
}

static bool msgid_ok(struct ike_sa *sa, const struct ike_msg *m)
{
	bool resp = m->hdr.flags & IKEV2_FLAG_RESPONSE;

	if (resp) {
		if (sa->v2.req == REQ_NONE || m->hdr.msg_id != sa->v2.req_msgid) {
			sa_log(sa, IKE_LOG_DEBUG, "response MsgID %u does not "
			       "match our request: dropped", m->hdr.msg_id);
			return false;
		}
		return true;
	}
	if (duplicate_request(sa, m))
		return false;
	if (m->hdr.msg_id != sa->v2.msgid_in) {
		sa_log(sa, IKE_LOG_NOTICE, "request MsgID %u, expected %u: "
		       "dropped", m->hdr.msg_id, sa->v2.msgid_in);
		return false;
	}
	return true;
}

/* An authenticated message from another address or port: the peer (or
 * its NAT) moved; answer and send there from now on. */
static void follow_path(struct ike_sa *sa, const struct ike_path *path)
{
	char a[64], b[64];

	if (ike_path_same(&sa->path, path))
		return;
	ike_addr_str(&sa->path.remote, a, sizeof(a));
	ike_addr_str(&path->remote, b, sizeof(b));
	if (sa->state == IKE_ST_ESTABLISHED)
		sa_log(sa, IKE_LOG_NOTICE, "peer moved from %s to %s", a, b);
	sa->path = *path;
	if (ike_sockaddr_port(&path->local) == IKE_NATT_PORT &&
	    (sa->nat_local || sa->nat_remote))
		sa->natt = true;
}

static void dispatch(struct ike_sa *sa, const struct ike_msg *m)
{
	bool resp = m->hdr.flags & IKEV2_FLAG_RESPONSE;

	if (!resp)
		sa->v2.msgid_in = m->hdr.msg_id + 1;
	switch (m->hdr.exchange) {
	case IKEV2_EXCH_IKE_AUTH:
		if (resp)
			ike_auth_response_in(sa, m);
		else
			ike_auth_request_in(sa, m);
		break;
	case IKEV2_EXCH_CREATE_CHILD_SA:
		if (resp)
			ike_create_child_response_in(sa, m);
		else
			ike_create_child_request_in(sa, m);
		break;
	case IKEV2_EXCH_INFORMATIONAL:
		if (resp)
			ike_info_response_in(sa, m);
		else
			ike_info_request_in(sa, m);
		break;
	default:
		sa_log(sa, IKE_LOG_NOTICE, "unknown exchange type %u dropped",
		       m->hdr.exchange);
	}
}

static void input_sa(struct ike_sa *sa, const struct ike_path *path,
		     const uint8_t *buf, size_t len, struct ike_msg *m)
{
	uint8_t *plain = NULL;
	int rc;

	if (from_ourselves(sa, m) || !msgid_ok(sa, m))
		return;
	if (m->hdr.exchange == IKEV2_EXCH_IKE_SA_INIT) {
		sa_log(sa, IKE_LOG_NOTICE, "IKE_SA_INIT on an existing SA "
		       "dropped");
		return;
	}
	if (sa->state == IKE_ST_INIT_DONE &&
	    m->hdr.exchange != IKEV2_EXCH_IKE_AUTH) {
		sa_log(sa, IKE_LOG_NOTICE, "%s before IKE_AUTH dropped",
		       ike_exch_name(m->hdr.exchange));
		return;
	}
	rc = ike_open_sk(sa, buf, len, m, &plain);
	if (rc)
		return;		/* bad (logged) or more fragments to come */
	sa->last_rx_ms = sa->e->now_ms;
	follow_path(sa, path);
	dispatch(sa, m);
	free(plain);
}

static uint64_t spi64(const uint8_t s[8])
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | s[i];
	return v;
}

/* IOS: "Received Packet [From A:500/To B:500] Initiator SPI : ...". */
static void log_received(struct ike_engine *e, const struct ike_path *path,
			 const struct ike_msg *m)
{
	char a[64], b[64];

	if (e->log_level < IKE_LOG_DEBUG)
		return;
	ike_addr_str(&path->remote, a, sizeof(a));
	ike_addr_str(&path->local, b, sizeof(b));
	elog(e, IKE_LOG_DEBUG, ike_tunnel_for_path(e, path), NULL,
	     "Received Packet [From %s/To %s] Initiator SPI : %016llx - "
	     "Responder SPI : %016llx Message id: %u IKEv2 %s Exchange %s",
	     a, b, (unsigned long long)spi64(m->hdr.spi_i),
	     (unsigned long long)spi64(m->hdr.spi_r), m->hdr.msg_id,
	     ike_exch_name(m->hdr.exchange),
	     m->hdr.flags & IKEV2_FLAG_RESPONSE ? "RESPONSE" : "REQUEST");
}

static void ikev2_input(struct ike_engine *e, const struct ike_path *path,
			const uint8_t *msg, size_t len)
{
	struct ike_msg *m = malloc(sizeof(*m));
	struct ike_decode_error err;
	struct ike_sa *sa;
	char a[64];
	bool resp, init;

	if (!m)
		return;
	if (ike_msg_decode(msg, len, m, &err) < 0) {
		ike_addr_str(&path->remote, a, sizeof(a));
		elog(e, IKE_LOG_NOTICE, ike_tunnel_for_path(e, path), NULL,
		     "dropping malformed message from %s: %s (offset %zu)",
		     a, err.msg, err.offset);
		goto out;
	}
	resp = m->hdr.flags & IKEV2_FLAG_RESPONSE;
	init = m->hdr.exchange == IKEV2_EXCH_IKE_SA_INIT;
	log_received(e, path, m);
	if (init && !resp) {
		static const uint8_t zero[8];

		if (!memcmp(m->hdr.spi_r, zero, 8))
			ike_init_request_in(e, path, msg, len, m);
		goto out;
	}
	sa = ike_sa_find(e, m->hdr.spi_i, m->hdr.spi_r, init && resp);
	if (!sa) {
		ike_addr_str(&path->remote, a, sizeof(a));
		elog(e, IKE_LOG_INFO, ike_tunnel_for_path(e, path), NULL,
		     "%s %s from %s for an unknown IKE SA: dropped",
		     ike_exch_name(m->hdr.exchange),
		     resp ? "response" : "request", a);
		goto out;
	}
	if (!init)
		input_sa(sa, path, msg, len, m);
	else if (ike_init_response_in(sa, path, msg, len, m) == 1)
		ike_auth_start(sa);
out:
	free(m);
}

/* Start the next queued piece of work once the window is free. Order:
 * deleting beats rekeying beats liveness checks. */
static void ikev2_run_tasks(struct ike_sa *sa)
{
	if (sa->dead || sa->v2.req != REQ_NONE ||
	    sa->state != IKE_ST_ESTABLISHED || !sa->tasks)
		return;
	if (sa->tasks & TASK_DELETE_IKE) {
		sa->tasks = 0;
		ike_delete_ike_start(sa);
	} else if (sa->tasks & TASK_DELETE_CHILD) {
		sa->tasks &= ~TASK_DELETE_CHILD;
		ike_delete_child_start(sa, sa->task_delete_spi);
	} else if (sa->tasks & TASK_REKEY_IKE) {
		sa->tasks &= ~TASK_REKEY_IKE;
		ike_ike_rekey_start(sa);
	} else if (sa->tasks & TASK_REKEY_CHILD) {
		sa->tasks &= ~TASK_REKEY_CHILD;
		ike_child_rekey_start(sa, sa->task_child_spi);
	} else if (sa->tasks & TASK_DPD) {
		sa->tasks &= ~TASK_DPD;
		ike_dpd_start(sa);
	}
}

static void ikev2_timers(struct ike_sa *sa, uint64_t now)
{
	ike_retransmit_timer(sa, now);
	if (!sa->dead)
		ike_dpd_timer(sa, now);
}

static uint64_t ikev2_next_timer(const struct ike_sa *sa)
{
	return ike_retransmit_next(sa);
}

static void ikev2_status(const struct ike_sa *sa, struct ike_sa_status *o)
{
	o->next_msgid_out = sa->v2.msgid_out;
	o->next_msgid_in = sa->v2.msgid_in;
	o->fragmentation = sa->v2.peer_frag;
}

/* Inbound SPIs reserved for a child that never got installed. */
static void ikev2_release(struct ike_sa *sa)
{
	struct ike_engine *e = sa->e;

	if (sa->v2.child_spi_in)
		e->ops.sa_del(e->ops.ctx, sa->t->info.ifindex, IKEVTI_DIR_IN,
			      sa->v2.child_spi_in);
	if (sa->v2.x_spi_in)
		e->ops.sa_del(e->ops.ctx, sa->t->info.ifindex, IKEVTI_DIR_IN,
			      sa->v2.x_spi_in);
	sa->v2.child_spi_in = sa->v2.x_spi_in = 0;
}

/* "crypto ikev2 nat keepalive", else every 20 s as strongSwan does. */
static uint32_t ikev2_nat_keepalive_s(const struct ike_sa *sa)
{
	uint32_t s = sa->e->model->nat_keepalive_s;

	return s ? s : IKE_NAT_KEEPALIVE_S;
}

static void ikev2_free(struct ike_sa *sa)
{
	ike_out_free(&sa->v2.req_out);
	ike_out_free(&sa->v2.resp_out);
	ike_reasm_free(&sa->v2.reasm);
	ike_reasm_free(&sa->v2.reasm_resp);
	ike_dh_free(sa->v2.x_dh);
	free(sa->v2.init_req);
	free(sa->v2.init_resp);
	ike_sa_keys_wipe(&sa->v2.keys);
}

const struct ike_version ikev2_version = {
	.name = "IKEv2",
	.major = 2,
	.input = ikev2_input,
	.initiate = ike_init_start,
	.timers = ikev2_timers,
	.next_timer = ikev2_next_timer,
	.run_tasks = ikev2_run_tasks,
	.delete_unreliable = ike_send_delete_unreliable,
	.status = ikev2_status,
	.release = ikev2_release,
	.nat_keepalive_s = ikev2_nat_keepalive_s,
	.free = ikev2_free,
	.config_same = ikev2_config_same,
};
