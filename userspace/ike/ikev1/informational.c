// SPDX-License-Identifier: GPL-2.0
/*
 * informational: IKEv1 Informational exchanges under the ISAKMP SA, each
 * one message protected by HASH(1) (RFC 2409 5.7): Delete of IPsec SAs
 * and of the ISAKMP SA both ways, INITIAL-CONTACT, the error notifies,
 * and DPD (RFC 3706): R-U-THERE / R-U-THERE-ACK carrying a sequence
 * number, on demand (the IOS default: only when the peer was silent and
 * nothing proves it alive) or periodic.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ikev1/ikev1.h"
#include "ikev1/kdf.h"

static void cookies(const struct ike_sa *sa, uint8_t spi[16])
{
	memcpy(spi, sa->spi_i, 8);
	memcpy(spi + 8, sa->spi_r, 8);
}

/* ---- Delete ---- */

/* The peer deleted its inbound SAs: our outbound ones (RFC 2408 3.15). */
static void peer_deletes_esp(struct ike_sa *sa, const struct v1_payload *pl)
{
	const uint8_t *p = pl->u.del.spis.ptr;

	if (pl->u.del.spi_size != 4 ||
	    pl->u.del.spis.len != (size_t)pl->u.del.n_spi * 4)
		return;
	for (uint16_t i = 0; i < pl->u.del.n_spi; i++, p += 4) {
		uint32_t spi = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 |
			       p[3];
		struct child_sa *c = ike_child_by_spi_out(sa, spi);

		if (!c) {
			sa_log(sa, IKE_LOG_DEBUG, "Delete for IPsec SA %08x, "
			       "which we do not have", spi);
			continue;
		}
		sa_log(sa, IKE_LOG_NOTICE, "peer deleted IPsec SA in %08x out "
		       "%08x", c->spi_in, c->spi_out);
		if (c->state == CHILD_REKEYED) {
			ike_child_remove(sa, c);
		} else if (ike_child_active(sa) != c) {
			ike_child_retire(sa, c);	/* replaced: grace */
		} else {
			ike_child_remove(sa, c);
			ike_restart_if_childless(sa);
		}
	}
}

/* The peer deleted this ISAKMP SA. Its IPsec SAs live on if a newer
 * ISAKMP SA of the tunnel can take them (an ISAKMP rekey); otherwise
 * the tunnel has lost its keying and starts over. */
static void peer_deletes_isakmp(struct ike_sa *sa)
{
	struct ike_sa *newer = NULL;

	for (struct ike_sa *o = sa->e->sas; o; o = o->next)
		if (o != sa && !o->dead && o->t == sa->t && o->v == sa->v &&
		    o->state == IKE_ST_ESTABLISHED &&
		    o->created_ms >= sa->created_ms)
			newer = o;
	if (newer) {
		ike_child_move(sa, newer);
		ike_sa_destroy(sa, "deleted by the peer (superseded)");
		return;
	}
	ike_sa_destroy(sa, "deleted by the peer");
	ike_tunnel_schedule(sa->e, sa->t, true);
}

static void delete_in(struct ike_sa *sa, const struct v1_payload *pl)
{
	uint8_t spi[16];

	if (pl->u.del.protocol == ISAKMP_PROTO_ESP) {
		peer_deletes_esp(sa, pl);
		return;
	}
	cookies(sa, spi);
	if (pl->u.del.protocol == ISAKMP_PROTO_ISAKMP &&
	    pl->u.del.spi_size == 16 && pl->u.del.spis.len >= 16 &&
	    !memcmp(pl->u.del.spis.ptr, spi, 16))
		peer_deletes_isakmp(sa);
}

void v1_delete_child_start(struct ike_sa *sa, uint32_t spi_in)
{
	struct child_sa *c = ike_child_by_spi_in(sa, spi_in);
	uint32_t n = htonl(spi_in);

	v1_send_delete(sa, ISAKMP_PROTO_ESP, (uint8_t *)&n, 4, 1);
	if (c)
		ike_child_remove(sa, c);
	ike_restart_if_childless(sa);
}

/* Another established ISAKMP SA of the tunnel, to hand IPsec SAs to. */
static struct ike_sa *successor(struct ike_sa *sa)
{
	for (struct ike_sa *o = sa->e->sas; o; o = o->next)
		if (o != sa && !o->dead && o->t == sa->t && o->v == sa->v &&
		    o->state == IKE_ST_ESTABLISHED)
			return o;
	return NULL;
}

/* Delete the ISAKMP SA. Its IPsec SAs go to another ISAKMP SA of the
 * tunnel when there is one (a duplicate or superseded ISAKMP SA goes
 * alone); otherwise they are deleted first, as IOS's "clear crypto
 * session" does. */
void v1_delete_ike_start(struct ike_sa *sa)
{
	struct ike_sa *next = successor(sa);
	uint8_t spi[16];

	if (next)
		ike_child_move(sa, next);

	for (size_t i = 0; i < IKE_CHILD_MAX; i++) {
		struct child_sa *c = &sa->child[i];
		uint32_t n = htonl(c->spi_in);

		if (c->used && c->in_installed)
			v1_send_delete(sa, ISAKMP_PROTO_ESP, (uint8_t *)&n, 4,
				       1);
	}
	cookies(sa, spi);
	v1_send_delete(sa, ISAKMP_PROTO_ISAKMP, spi, 16, 1);
	ike_sa_set_state(sa, IKE_ST_DELETING);
	ike_sa_destroy(sa, "deleted by us");
}

/* ---- DPD ---- */

static void send_dpd(struct ike_sa *sa, uint16_t type, uint32_t seq)
{
	uint8_t spi[16], s[4];

	cookies(sa, spi);
	s[0] = seq >> 24;
	s[1] = seq >> 16;
	s[2] = seq >> 8;
	s[3] = seq & 0xff;
	v1_send_notify(sa, ISAKMP_PROTO_ISAKMP, spi, 16, type, s, 4);
}

void v1_dpd_start(struct ike_sa *sa)
{
	uint32_t iv, retry;
	bool periodic;

	if (!sa->v1.peer_dpd || sa->v1.dpd_waiting)
		return;
	v1_keepalive(sa->e, sa->t, &iv, &retry, &periodic);
	if (!sa->v1.dpd_seq)
		ike_random(&sa->v1.dpd_seq, sizeof(sa->v1.dpd_seq));
	sa->v1.dpd_seq = (sa->v1.dpd_seq + 1) & 0x7fffffff;
	sa->v1.dpd_waiting = true;
	sa->v1.dpd_tries = 1;
	sa->v1.dpd_retry_ms = sa->e->now_ms + (uint64_t)retry * 1000;
	sa_log(sa, IKE_LOG_DEBUG, "DPD: sending R-U-THERE sequence %u",
	       sa->v1.dpd_seq);
	send_dpd(sa, IKEV1_N_R_U_THERE, sa->v1.dpd_seq);
}

void v1_dpd_timer(struct ike_sa *sa, uint64_t now)
{
	uint32_t iv, retry;
	bool periodic;

	v1_keepalive(sa->e, sa->t, &iv, &retry, &periodic);
	if (sa->v1.dpd_waiting && now >= sa->v1.dpd_retry_ms) {
		char a[64];

		if (sa->v1.dpd_tries >= V1_DPD_TRIES) {
			ike_addr_str(&sa->path.remote, a, sizeof(a));
			sa_log(sa, IKE_LOG_WARNING, "DPD: peer %s is dead (no "
			       "R-U-THERE-ACK after %u tries)", a,
			       sa->v1.dpd_tries);
			ike_tunnel_schedule(sa->e, sa->t, true);
			ike_sa_destroy(sa, "peer dead (DPD)");
			return;
		}
		sa->v1.dpd_tries++;
		sa->v1.dpd_retry_ms = now + (uint64_t)retry * 1000;
		send_dpd(sa, IKEV1_N_R_U_THERE, sa->v1.dpd_seq);
		return;
	}
	if (sa->v1.peer_dpd && ike_dpd_due(sa, now, iv, periodic))
		sa->tasks |= TASK_DPD;
}

uint64_t v1_dpd_next(const struct ike_sa *sa)
{
	return sa->v1.dpd_waiting ? sa->v1.dpd_retry_ms : UINT64_MAX;
}

static uint32_t seq_of(const struct v1_payload *pl)
{
	const uint8_t *d = pl->u.notify.data.ptr;

	if (pl->u.notify.data.len != 4)
		return 0;
	return (uint32_t)d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3];
}

/* ---- Notify ---- */

static void notify_in(struct ike_sa *sa, const struct v1_payload *pl)
{
	uint16_t type = pl->u.notify.type;
	uint32_t seq = seq_of(pl);

	switch (type) {
	case IKEV1_N_R_U_THERE:
		sa_log(sa, IKE_LOG_DEBUG, "DPD: R-U-THERE %u, answering", seq);
		send_dpd(sa, IKEV1_N_R_U_THERE_ACK, seq);
		return;
	case IKEV1_N_R_U_THERE_ACK:
		if (sa->v1.dpd_waiting && seq == sa->v1.dpd_seq) {
			sa->v1.dpd_waiting = false;
			sa_log(sa, IKE_LOG_DEBUG, "DPD: peer is alive");
		}
		return;
	case IKEV1_N_INITIAL_CONTACT:
		return;		/* handled with phase 1 */
	default:
		break;
	}
	if (type < 16384) {
		sa_log(sa, IKE_LOG_WARNING, "peer reports %s (%u)",
		       v1_notify_name(type), type);
		/* A refused Quick Mode: nothing more will come for it. */
		if (type == IKEV1_N_NO_PROPOSAL_CHOSEN ||
		    type == IKEV1_N_INVALID_ID_INFORMATION)
			for (size_t i = 0; i < V1_QM_MAX; i++)
				if (sa->v1.qm[i].used && sa->v1.qm[i].initiator &&
				    !sa->v1.qm[i].done) {
					sa->v1.qm[i].tries = V1_RETRANS_TRIES;
					sa->v1.qm[i].next_ms = 1;
				}
	} else {
		sa_log(sa, IKE_LOG_DEBUG, "peer sent status %s (%u)",
		       v1_notify_name(type), type);
	}
}

void v1_info_in(struct ike_sa *sa, const uint8_t *plain, size_t plain_len,
		const struct v1_msg *m)
{
	const struct v1_payload *hash = v1_first_hash(m);
	uint8_t h[IKE_PRF_MAX_LEN];
	struct ike_bytes rest;

	(void)plain;
	(void)plain_len;
	if (!hash || m->n_payloads < 2) {
		sa_log(sa, IKE_LOG_NOTICE, "Informational without HASH: "
		       "dropped");
		return;
	}
	rest = v1_after(m, hash);
	if (v1_hash_info(&sa->v1.keys, m->hdr.msg_id, rest.ptr, rest.len,
			 h) < 0 || hash->body.len != sa->v1.keys.prf_len ||
	    CRYPTO_memcmp(h, hash->body.ptr, hash->body.len)) {
		sa_log(sa, IKE_LOG_NOTICE, "Informational %08x: HASH does not "
		       "match: dropped", m->hdr.msg_id);
		return;
	}
	sa->last_rx_ms = sa->e->now_ms;
	for (size_t i = 1; i < m->n_payloads && !sa->dead; i++) {
		const struct v1_payload *pl = &m->payloads[i];

		if (pl->type == ISAKMP_PL_N)
			notify_in(sa, pl);
		else if (pl->type == ISAKMP_PL_D)
			delete_in(sa, pl);
	}
}
