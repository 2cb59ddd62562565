// SPDX-License-Identifier: GPL-2.0
/*
 * ike_sa: the IKE SA base object of both versions, its lookup by SPI
 * (IKEv1: cookies), its lifecycle states, establishment (lifetimes,
 * DPD), and what happens to a tunnel when it goes away.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/core.h"

static const uint8_t zero_spi[8];

const char *ike_sa_state_name(enum ike_sa_state st)
{
	switch (st) {
	case IKE_ST_INIT_SENT: return "I_WAIT_INIT";
	case IKE_ST_INIT_DONE: return "R_WAIT_AUTH";
	case IKE_ST_AUTH_SENT: return "I_WAIT_AUTH";
	case IKE_ST_ESTABLISHED: return "READY";
	case IKE_ST_DELETING: return "DELETE";
	}
	return "?";
}

struct ike_sa *ike_sa_new(struct ike_engine *e, struct ike_tunnel *t,
			  const struct ike_version *v, bool initiator,
			  const struct ike_path *path)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->e = e;
	sa->t = t;
	sa->v = v;
	sa->id = ++e->next_sa_id;
	sa->initiator = initiator;
	sa->path = *path;
	sa->created_ms = e->now_ms;
	sa->last_rx_ms = e->now_ms;
	/* An SPI of zero means "unknown" on the wire: never use it. */
	do {
		ike_random(initiator ? sa->spi_i : sa->spi_r, 8);
	} while (!memcmp(initiator ? sa->spi_i : sa->spi_r, zero_spi, 8));
	sa->next = e->sas;
	e->sas = sa;
	return sa;
}

void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st)
{
	if (sa->state != st)
		sa_log(sa, IKE_LOG_DEBUG, "Old State = %s New State = %s",
		       ike_sa_state_name(sa->state), ike_sa_state_name(st));
	sa->state = st;
}

struct ike_sa *ike_sa_find(struct ike_engine *e, const uint8_t spi_i[8],
			   const uint8_t spi_r[8], bool init_response)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->dead || memcmp(sa->spi_i, spi_i, 8))
			continue;
		if (!memcmp(sa->spi_r, spi_r, 8))
			return sa;
		/* The IKE_SA_INIT response brings the responder's SPI. */
		if (init_response && sa->state == IKE_ST_INIT_SENT &&
		    !memcmp(sa->spi_r, zero_spi, 8))
			return sa;
	}
	return NULL;
}

static bool same_sockaddr(const struct sockaddr_storage *a,
			  const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return !memcmp(a, b, sizeof(struct sockaddr_in));
	return !memcmp(a, b, sizeof(struct sockaddr_in6));
}

/* A retransmitted IKE_SA_INIT request: same SPIi from the same peer. */
struct ike_sa *ike_sa_find_init(struct ike_engine *e, const uint8_t spi_i[8],
				const struct ike_path *path)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (!sa->dead && !sa->initiator &&
		    !memcmp(sa->spi_i, spi_i, 8) &&
		    same_sockaddr(&sa->path.remote, &path->remote))
			return sa;
	return NULL;
}

unsigned int ike_half_open_count(const struct ike_engine *e)
{
	unsigned int n = 0;

	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (!sa->dead && sa->state == IKE_ST_INIT_DONE)
			n++;
	return n;
}

void ike_sa_destroy(struct ike_sa *sa, const char *why)
{
	if (sa->dead)
		return;
	sa_log(sa, IKE_LOG_NOTICE, "IKE SA %s deleted: %s",
	       sa->state == IKE_ST_ESTABLISHED ? "(established)" :
	       ike_sa_state_name(sa->state), why);
	for (size_t i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].used)
			ike_child_remove(sa, &sa->child[i]);
	sa->v->release(sa);
	sa->dead = true;
}

void ike_sa_free(struct ike_sa *sa)
{
	sa->v->free(sa);
	ike_dh_free(sa->dh);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

void ike_sa_reap(struct ike_engine *e)
{
	struct ike_sa **pp = &e->sas;

	while (*pp) {
		struct ike_sa *sa = *pp;

		if (sa->dead) {
			*pp = sa->next;
			ike_sa_free(sa);
		} else {
			pp = &sa->next;
		}
	}
}

/* Route-based: an established IKE SA without a child SA carries no
 * traffic and nothing would ever add one, so start over (the peer
 * refused or deleted the child, or it expired). */
void ike_restart_if_childless(struct ike_sa *sa)
{
	if (sa->dead || sa->replaced || sa->state != IKE_ST_ESTABLISHED ||
	    ike_child_active(sa) || (sa->tasks & TASK_DELETE_IKE))
		return;
	sa_log(sa, IKE_LOG_NOTICE, "IKE SA has no child SA left: deleting "
	       "it and negotiating again");
	sa->tasks |= TASK_DELETE_IKE;
	ike_tunnel_schedule(sa->e, sa->t, true);
}

void ike_run_pending_tasks(struct ike_engine *e)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (sa->tasks && !sa->dead)
			sa->v->run_tasks(sa);
}


static int nonce_key_cmp(const struct ike_sa *a, const struct ike_sa *b)
{
	const uint8_t *ka = memcmp(a->ni, a->nr, 16) < 0 ? a->ni : a->nr;
	const uint8_t *kb = memcmp(b->ni, b->nr, 16) < 0 ? b->ni : b->nr;

	return memcmp(ka, kb, 16);
}

/* Negotiations started within the half-open timeout of each other. */
static bool simultaneous(const struct ike_sa *a, const struct ike_sa *b)
{
	uint64_t d = a->created_ms > b->created_ms ?
		     a->created_ms - b->created_ms : b->created_ms - a->created_ms;

	return d < IKE_HALF_OPEN_TIMEOUT_MS;
}

/*
 * Both gateways initiated at once and two IKE SAs got up. Rule (same
 * on both sides, so both reach the same answer): the IKE SA whose
 * lowest nonce (first 16 bytes of Ni or Nr) is lower loses. The
 * original initiator of the winning SA deletes the loser: by then it
 * knows the winner is installed on both sides (the responder installs
 * before answering IKE_AUTH), so traffic never stops. The other side
 * waits for that Delete, and deletes the loser itself after 30 s if it
 * never comes.
 */
static void resolve_duplicates(struct ike_sa *sa)
{
	struct ike_sa *est[4], *win, *lose;

	if (ike_tunnel_established(sa->e, sa->t, est, 4) != 2)
		return;
	win = nonce_key_cmp(est[0], est[1]) > 0 ? est[0] : est[1];
	lose = win == est[0] ? est[1] : est[0];
	if (!simultaneous(est[0], est[1])) {
		/* A new IKE SA next to an old one (the peer
		 * reauthenticates, make-before-break): the one who made it
		 * deletes the old one; we do if it does not. */
		lose = est[0]->created_ms < est[1]->created_ms ? est[0]
							       : est[1];
		sa_log(lose, IKE_LOG_INFO, "superseded by the newer IKE SA "
		       "%u", lose == est[0] ? est[1]->id : est[0]->id);
		lose->dup_deadline_ms = sa->e->now_ms +
					IKE_DUP_DELETE_FALLBACK_MS;
		return;
	}
	sa_log(win, IKE_LOG_NOTICE, "two IKE SAs with the same peer "
	       "(simultaneous initiation): keeping this one, IKE SA %u has "
	       "the lower nonce and goes", lose->id);
	if (win->initiator)
		lose->tasks |= TASK_DELETE_IKE;
	else
		lose->dup_deadline_ms = sa->e->now_ms +
					IKE_DUP_DELETE_FALLBACK_MS;
}

void ike_sa_established(struct ike_sa *sa, uint32_t lifetime_s,
			uint32_t dpd_interval_s)
{
	uint16_t r;

	sa->established_ms = sa->e->now_ms;
	/* Only a working tunnel resets the back-off: an IKE SA without
	 * its child is deleted and retried with a growing delay. */
	if (ike_child_active(sa)) {
		sa->t->backoff_ms = 0;
		sa->t->initiate_at_ms = 0;
	}
	ike_random(&r, sizeof(r));
	/* Rekey at 85..90 % of the lifetime, jittered so that both ends
	 * rarely start together. */
	sa->rekey_at_ms = sa->e->now_ms + (uint64_t)lifetime_s * 850 +
			  (uint64_t)lifetime_s * 50 * r / 65535;
	if (dpd_interval_s)
		sa->dpd_at_ms = sa->e->now_ms + (uint64_t)dpd_interval_s * 1000;
	resolve_duplicates(sa);
}

void ike_sa_destroy_tunnel(struct ike_engine *e, struct ike_tunnel *t,
			    bool tell_peer, const char *why)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->dead || sa->t != t)
			continue;
		if (tell_peer && sa->state == IKE_ST_ESTABLISHED)
			sa->v->delete_unreliable(sa);
		ike_sa_destroy(sa, why);
	}
}

static uint64_t inbound_packets(struct ike_sa *sa)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < IKE_CHILD_MAX; i++) {
		struct ikevti_stats st;
		struct child_sa *c = &sa->child[i];

		memset(&st, 0, sizeof(st));
		if (c->used && c->in_installed &&
		    sa->e->ops.sa_stats(sa->e->ops.ctx, sa->t->info.ifindex,
					IKEVTI_DIR_IN, c->spi_in, &st) == 0)
			sum += st.packets;
	}
	return sum;
}

bool ike_dpd_due(struct ike_sa *sa, uint64_t now, uint32_t interval_s,
		 bool periodic)
{
	uint64_t iv = (uint64_t)interval_s * 1000;

	if (!interval_s || sa->state != IKE_ST_ESTABLISHED || !sa->dpd_at_ms ||
	    now < sa->dpd_at_ms)
		return false;
	sa->dpd_at_ms = now + iv;
	if (!periodic && sa->e->ops.sa_stats) {
		uint64_t pk = inbound_packets(sa);

		if (pk != sa->dpd_in_packets) {
			sa->dpd_in_packets = pk;
			sa->last_rx_ms = now;	/* ESP proves liveness */
		}
	}
	return now - sa->last_rx_ms >= iv;
}
