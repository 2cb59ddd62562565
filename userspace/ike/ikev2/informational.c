// SPDX-License-Identifier: GPL-2.0
/*
 * exch_info: INFORMATIONAL exchanges (RFC 7296 1.4, 2.4): Delete of the
 * IKE SA or of child SAs in both directions, and liveness checks (DPD)
 * as "dpd INTERVAL RETRY on-demand|periodic" says:
 *   periodic   an empty INFORMATIONAL whenever nothing authenticated came
 *              from the peer for INTERVAL seconds;
 *   on-demand  the same, but inbound ESP on the tunnel's SAs (read with
 *              ops->sa_stats) also proves the peer alive, so a tunnel
 *              that carries traffic sends no DPD at all.
 * A DPD request is retransmitted every RETRY seconds, five times; then
 * the peer is dead and the tunnel starts over (retransmit.c).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ikev2/ikev2.h"

void ike_delete_ike_start(struct ike_sa *sa)
{
	struct ike_msg *m = calloc(1, sizeof(*m));

	if (!m)
		return;
	ike_add_delete(m, IKEV2_PROTO_IKE, NULL, 0);
	sa_log(sa, IKE_LOG_INFO, "sending Delete for the IKE SA");
	if (ike_request(sa, REQ_DELETE_IKE, IKEV2_EXCH_INFORMATIONAL, m) == 0)
		ike_sa_set_state(sa, IKE_ST_DELETING);
	else
		ike_sa_destroy(sa, "cannot send Delete");
	free(m);
}

void ike_delete_child_start(struct ike_sa *sa, uint32_t spi_in)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	uint32_t spi = htonl(spi_in);

	if (!m)
		return;
	ike_add_delete(m, IKEV2_PROTO_ESP, (const uint8_t *)&spi, 1);
	sa->v2.req_spi = spi_in;
	sa_log(sa, IKE_LOG_INFO, "sending Delete for child SA %08x", spi_in);
	ike_request(sa, REQ_DELETE_CHILD, IKEV2_EXCH_INFORMATIONAL, m);
	free(m);
}

void ike_dpd_start(struct ike_sa *sa)
{
	struct ike_msg m;

	memset(&m, 0, offsetof(struct ike_msg, payloads));
	m.n_payloads = 0;
	sa_log(sa, IKE_LOG_DEBUG, "DPD: sending liveness check");
	ike_request(sa, REQ_DPD, IKEV2_EXCH_INFORMATIONAL, &m);
}

/* The peer deletes child SAs: it names its inbound SPIs, which are our
 * outbound ones; we answer with our inbound SPIs of the same pairs
 * (RFC 7296 1.4.1), except for pairs we had already deleted. */
static size_t peer_deletes_children(struct ike_sa *sa,
				    const struct ike_payload *pl,
				    uint32_t *ours, size_t max, size_t n)
{
	const struct ike_bytes *d = &pl->u.del.spis;

	if (pl->u.del.spi_size != 4)
		return n;
	for (size_t i = 0; i + 4 <= d->len; i += 4) {
		uint32_t spi;
		struct child_sa *c;

		memcpy(&spi, d->ptr + i, 4);
		c = ike_child_by_spi_out(sa, ntohl(spi));
		if (!c) {
			sa_log(sa, IKE_LOG_INFO, "Delete for unknown child SA "
			       "%08x ignored", ntohl(spi));
			continue;
		}
		sa_log(sa, IKE_LOG_INFO, "peer deletes child SA in %08x out "
		       "%08x", c->spi_in, c->spi_out);
		if (!c->delete_sent && n < max)
			ours[n++] = htonl(c->spi_in);
		ike_child_remove(sa, c);
	}
	return n;
}

/*
 * Delete of an IKE SA during a simultaneous IKE rekey (2.8.2, 2.25.2).
 * If it is the old SA and our rekey of it is still out, we forget our
 * rekey: the children already moved to the peer's new IKE SA when we
 * answered its request. If it is the peer's new SA, the peer found it
 * redundant before our response came: ours will survive, so the
 * children go back to the old SA, from which our response moves them.
 */
static void peer_deletes_ike_rekeying(struct ike_sa *sa)
{
	struct ike_sa *old = ike_rekey_collision_old(sa);

	if (sa->v2.req == REQ_IKE_REKEY)
		sa_log(sa, IKE_LOG_NOTICE, "peer deletes the IKE SA we are "
		       "rekeying: our rekey is abandoned");
	if (!old)
		return;
	sa_log(sa, IKE_LOG_NOTICE, "peer deletes its redundant IKE SA "
	       "before our rekey completed: children back to IKE SA %u",
	       old->id);
	ike_child_move(sa, old);
}

void ike_info_request_in(struct ike_sa *sa, const struct ike_msg *req)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	const struct ike_payload *pl = NULL;
	uint32_t ours[IKE_CHILD_MAX * 4];
	size_t n = 0;
	bool ike_del = false;

	if (!m)
		return;
	while ((pl = ike_msg_find(req, IKEV2_PL_DELETE, pl))) {
		if (pl->u.del.protocol == IKEV2_PROTO_IKE)
			ike_del = true;
		else if (pl->u.del.protocol == IKEV2_PROTO_ESP)
			n = peer_deletes_children(sa, pl, ours,
						  IKE_CHILD_MAX * 4, n);
	}
	if (!ike_del && n)
		ike_add_delete(m, IKEV2_PROTO_ESP, (const uint8_t *)ours,
			   (uint16_t)n);
	ike_respond(sa, IKEV2_EXCH_INFORMATIONAL, req->hdr.msg_id, m);
	free(m);
	if (!ike_del && n)
		ike_restart_if_childless(sa);
	if (ike_del) {
		struct ike_engine *e = sa->e;
		struct ike_tunnel *t = sa->t;

		peer_deletes_ike_rekeying(sa);
		ike_sa_destroy(sa, "peer sent Delete");
		/* Route-based: the tunnel must come back (IOS would on the
		 * next packet); nothing happens while another SA lives. */
		ike_tunnel_schedule(e, t, false);
	}
}

void ike_info_response_in(struct ike_sa *sa, const struct ike_msg *m)
{
	enum ike_req_kind k = sa->v2.req;
	struct child_sa *c;

	(void)m;
	ike_request_done(sa);
	switch (k) {
	case REQ_DELETE_IKE:
		ike_sa_destroy(sa, "Delete acknowledged");
		return;
	case REQ_DELETE_CHILD:
		c = ike_child_by_spi_in(sa, sa->v2.req_spi);
		if (c)
			ike_child_remove(sa, c);
		break;
	case REQ_DPD:
		sa_log(sa, IKE_LOG_DEBUG, "DPD: peer is alive");
		break;
	default:
		break;
	}
}

void ike_dpd_timer(struct ike_sa *sa, uint64_t now)
{
	const struct cfg_ikev2_profile *p = sa->t->prof;

	if (p && ike_dpd_due(sa, now, p->dpd_interval_s, p->dpd_periodic) &&
	    sa->v2.req == REQ_NONE)
		sa->tasks |= TASK_DPD;
}
