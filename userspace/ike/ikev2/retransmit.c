// SPDX-License-Identifier: GPL-2.0
/*
 * retransmit: the request window of an IKE SA. We keep one request
 * outstanding at a time (window size 1, the RFC 7296 2.3 default, so we
 * never announce SET_WINDOW_SIZE). A request is retransmitted unchanged
 * after 0.5, 1, 2, 4 and 8 s (DPD requests at the profile's retry
 * interval instead); when the last try goes unanswered the peer is taken
 * for dead: the IKE SA and its children are removed and the tunnel
 * starts over. Responses are cached so that a retransmitted request gets
 * the same answer without being processed twice (RFC 7296 2.1).
 */
#include <string.h>

#include "core/engine_int.h"

static void log_sent(struct ike_sa *sa, uint8_t exch, uint32_t msgid,
		     const char *what)
{
	char a[64], b[64];

	if (sa->e->log_level < IKE_LOG_DEBUG)
		return;
	ike_addr_str(&sa->path.remote, a, sizeof(a));
	ike_addr_str(&sa->path.local, b, sizeof(b));
	sa_log(sa, IKE_LOG_DEBUG, "Sending Packet [To %s/From %s] Message "
	       "id: %u IKEv2 %s Exchange %s", a, b, msgid,
	       ike_exch_name(exch), what);
}

int ike_request(struct ike_sa *sa, enum ike_req_kind kind, uint8_t exch,
		const struct ike_msg *inner)
{
	const struct cfg_ikev2_profile *p = sa->t->prof;
	int rc;

	sa->req_msgid = sa->msgid_out;
	rc = ike_send_sk(sa, exch, false, sa->req_msgid, inner, &sa->req_out);
	if (rc < 0)
		return rc;
	sa->msgid_out++;
	sa->req = kind;
	sa->req_tries = 0;
	sa->req_interval_ms = IKE_RETRANS_FIRST_MS;
	if (kind == REQ_DPD && p && p->dpd_retry_s)
		sa->req_interval_ms = (uint64_t)p->dpd_retry_s * 1000;
	sa->req_next_ms = sa->e->now_ms + sa->req_interval_ms;
	log_sent(sa, exch, sa->req_msgid, "REQUEST");
	return 0;
}

void ike_request_done(struct ike_sa *sa)
{
	ike_out_free(&sa->req_out);
	sa->req = REQ_NONE;
	sa->req_next_ms = 0;
}

uint64_t ike_retransmit_next(const struct ike_sa *sa)
{
	return sa->req != REQ_NONE ? sa->req_next_ms : UINT64_MAX;
}

static void give_up(struct ike_sa *sa)
{
	struct ike_engine *e = sa->e;
	struct ike_tunnel *t = sa->t;
	bool dpd = sa->req == REQ_DPD;

	if (sa->req == REQ_DELETE_IKE) {
		/* It was going anyway; the peer may have dropped it first. */
		ike_request_done(sa);
		ike_sa_destroy(sa, "no answer to our Delete");
		ike_tunnel_schedule(e, t, false);
		return;
	}
	sa_log(sa, IKE_LOG_WARNING, "%s: no response after %u "
	       "retransmissions, peer is dead", dpd ? "DPD" : "request",
	       sa->req_tries);
	ike_request_done(sa);
	ike_sa_destroy(sa, dpd ? "DPD: peer not responding" :
		       "retransmissions exhausted");
	ike_tunnel_schedule(e, t, true);
}

void ike_retransmit_timer(struct ike_sa *sa, uint64_t now)
{
	if (sa->req == REQ_NONE || now < sa->req_next_ms)
		return;
	if (sa->req_tries >= IKE_RETRANS_TRIES) {
		give_up(sa);
		return;
	}
	sa->req_tries++;
	if (sa->req != REQ_DPD)
		sa->req_interval_ms *= 2;
	sa->req_next_ms = now + sa->req_interval_ms;
	sa_log(sa, IKE_LOG_DEBUG, "Retransmitting packet MsgID = %u "
	       "(try %u)", sa->req_msgid, sa->req_tries);
	ike_out_send(sa->e, &sa->path, &sa->req_out);
}

int ike_respond(struct ike_sa *sa, uint8_t exch, uint32_t msg_id,
		const struct ike_msg *inner)
{
	int rc = ike_send_sk(sa, exch, true, msg_id, inner, &sa->resp_out);

	log_sent(sa, exch, msg_id, "RESPONSE");
	sa->resp_msgid = msg_id;
	sa->have_resp = rc == 0;
	return rc;
}

/* Start the next queued piece of work once the window is free. Order:
 * deleting beats rekeying beats liveness checks. */
void ike_tasks_run(struct ike_sa *sa)
{
	if (sa->dead || sa->req != REQ_NONE ||
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
