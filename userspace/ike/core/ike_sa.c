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

/* A responder passes through the initiator's first state only between
 * ike_sa_new and its answer: name it from its own side. */
const char *ike_sa_role_state_name(const struct ike_sa *sa,
				   enum ike_sa_state st)
{
	if (sa->initiator)
		return st == IKE_ST_INIT_DONE ? "I_INIT_DONE"
					      : ike_sa_state_name(st);
	switch (st) {
	case IKE_ST_INIT_SENT: return "R_INIT";
	case IKE_ST_AUTH_SENT: return "R_AUTH";
	default: return ike_sa_state_name(st);
	}
}

/* ---- the SPIi table ---- */

static size_t spi_bucket(const struct ike_engine *e, const uint8_t spi[8])
{
	uint64_t x;

	memcpy(&x, spi, 8);
	return ike_hash64(e, x) & (e->sa_buckets - 1);
}

static void sa_hash_insert(struct ike_engine *e, struct ike_sa *sa)
{
	size_t b = spi_bucket(e, sa->spi_i);

	sa->hnext = e->sa_hash[b];
	e->sa_hash[b] = sa;
	sa->hashed = true;
}

static void sa_unhash(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa **pp = sa->hashed ? &e->sa_hash[spi_bucket(e, sa->spi_i)]
					: &e->fresh;

	while (*pp && *pp != sa)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = sa->hnext;
	sa->hnext = NULL;
	sa->hashed = false;
}

/* Keep chains short: double the table past two SAs a bucket. Without
 * memory the old table stays (longer chains, same answers). */
static void sa_hash_grow(struct ike_engine *e)
{
	size_t nb = e->sa_buckets * 2;
	struct ike_sa **old = e->sa_hash, **nt;

	if (e->n_sas <= e->sa_buckets * 2)
		return;
	nt = calloc(nb, sizeof(*nt));
	if (!nt)
		return;
	e->sa_hash = nt;
	e->sa_buckets = nb;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (sa->hashed)
			sa_hash_insert(e, sa);
	free(old);
}

void ike_sa_rehash(struct ike_sa *sa)
{
	sa_unhash(sa->e, sa);
	sa_hash_insert(sa->e, sa);
}

static void half_open_sync(struct ike_sa *sa)
{
	bool want = !sa->dead && sa->state == IKE_ST_INIT_DONE;

	if (want == sa->half_open_counted)
		return;
	sa->half_open_counted = want;
	if (want)
		sa->e->half_open++;
	else
		sa->e->half_open--;
}

struct ike_sa *ike_sa_new(struct ike_engine *e, struct ike_tunnel *t,
			  const struct ike_version *v, bool initiator,
			  const struct ike_path *path)
{
	struct ike_sa *sa;

	/* Room in the timer heap for every SA: queuing never fails. */
	if (ike_heap_reserve(&e->sa_timers, e->n_sas + 1) < 0)
		return NULL;
	sa = calloc(1, sizeof(*sa));
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
	if (e->sas)
		e->sas->prev = sa;
	e->sas = sa;
	sa->tnext = t->sas;
	t->sas = sa;
	/* A responder learns SPIi after this: hashed at the entry's end. */
	sa->hnext = e->fresh;
	e->fresh = sa;
	e->n_sas++;
	ike_tunnel_touch(e, t);
	return sa;
}

void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st)
{
	if (sa->state != st)
		sa_log(sa, IKE_LOG_DEBUG, "Old State = %s New State = %s",
		       ike_sa_role_state_name(sa, sa->state),
		       ike_sa_role_state_name(sa, st));
	sa->state = st;
	half_open_sync(sa);
	ike_tunnel_touch(sa->e, sa->t);
}

static bool find_match(const struct ike_sa *sa, const uint8_t spi_i[8],
		       const uint8_t spi_r[8], bool init_response)
{
	if (sa->dead || memcmp(sa->spi_i, spi_i, 8))
		return false;
	if (!memcmp(sa->spi_r, spi_r, 8))
		return true;
	/* The IKE_SA_INIT response brings the responder's SPI. */
	return init_response && sa->state == IKE_ST_INIT_SENT &&
	       !memcmp(sa->spi_r, zero_spi, 8);
}

/* What a lookup returns, the entry point may change: settle it after. */
static struct ike_sa *found(struct ike_sa *sa)
{
	ike_tunnel_touch(sa->e, sa->t);
	return sa;
}

struct ike_sa *ike_sa_find(struct ike_engine *e, const uint8_t spi_i[8],
			   const uint8_t spi_r[8], bool init_response)
{
	struct ike_sa *sa;

	for (sa = e->sa_hash[spi_bucket(e, spi_i)]; sa; sa = sa->hnext)
		if (find_match(sa, spi_i, spi_r, init_response))
			return found(sa);
	for (sa = e->fresh; sa; sa = sa->hnext)
		if (find_match(sa, spi_i, spi_r, init_response))
			return found(sa);
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

static bool init_match(const struct ike_sa *sa, const uint8_t spi_i[8],
		       const struct ike_path *path)
{
	return !sa->dead && !sa->initiator && !memcmp(sa->spi_i, spi_i, 8) &&
	       same_sockaddr(&sa->path.remote, &path->remote);
}

/* A retransmitted IKE_SA_INIT request: same SPIi from the same peer. */
struct ike_sa *ike_sa_find_init(struct ike_engine *e, const uint8_t spi_i[8],
				const struct ike_path *path)
{
	struct ike_sa *sa;

	for (sa = e->sa_hash[spi_bucket(e, spi_i)]; sa; sa = sa->hnext)
		if (init_match(sa, spi_i, path))
			return found(sa);
	for (sa = e->fresh; sa; sa = sa->hnext)
		if (init_match(sa, spi_i, path))
			return found(sa);
	return NULL;
}

/* The counter, plus the SAs of the running entry point whose state a
 * version set directly (settled at its end). */
unsigned int ike_half_open_count(const struct ike_engine *e)
{
	unsigned int n = e->half_open;

	for (const struct ike_sa *sa = e->fresh; sa; sa = sa->hnext) {
		bool want = !sa->dead && sa->state == IKE_ST_INIT_DONE;

		if (want && !sa->half_open_counted)
			n++;
		else if (!want && sa->half_open_counted)
			n--;
	}
	return n;
}

void ike_sa_destroy(struct ike_sa *sa, const char *why)
{
	if (sa->dead)
		return;
	sa_log(sa, IKE_LOG_NOTICE, "IKE SA %s deleted: %s",
	       sa->state == IKE_ST_ESTABLISHED ? "(established)" :
	       ike_sa_role_state_name(sa, sa->state), why);
	for (size_t i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].used)
			ike_child_remove(sa, &sa->child[i]);
	sa->v->release(sa);
	sa->dead = true;
	half_open_sync(sa);
	ike_tunnel_touch(sa->e, sa->t);
}

void ike_sa_free(struct ike_sa *sa)
{
	sa->v->free(sa);
	ike_dh_free(sa->dh);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

/* Out of every index, then freed. */
static void sa_unlink_free(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa **pp = &sa->t->sas;

	while (*pp && *pp != sa)
		pp = &(*pp)->tnext;
	if (*pp)
		*pp = sa->tnext;
	if (sa->prev)
		sa->prev->next = sa->next;
	else
		e->sas = sa->next;
	if (sa->next)
		sa->next->prev = sa->prev;
	sa_unhash(e, sa);
	ike_heap_remove(&e->sa_timers, &sa->timer);
	sa->dead = true;
	half_open_sync(sa);
	e->n_sas--;
	ike_sa_free(sa);
}

/* A touched tunnel: its dead SAs go; the others take their place in the
 * SPIi table (SPIi is fixed by now) and their new deadlines. */
static void settle_tunnel(struct ike_engine *e, struct ike_tunnel *t)
{
	struct ike_sa *sa = t->sas, *nx;

	for (; sa; sa = nx) {
		nx = sa->tnext;
		if (sa->dead) {
			sa_unlink_free(e, sa);
			continue;
		}
		half_open_sync(sa);
		if (!sa->hashed) {
			sa_unhash(e, sa);
			sa_hash_insert(e, sa);
		}
		ike_heap_set(&e->sa_timers, &sa->timer, ike_sa_deadline(sa));
	}
	ike_heap_set(&e->tunnel_timers, &t->timer,
		     t->initiate_at_ms ? t->initiate_at_ms : IKE_NEVER);
}

void ike_sa_reap(struct ike_engine *e)
{
	struct ike_tunnel *t;

	while ((t = e->dirty)) {
		e->dirty = t->dirty_next;
		if (!e->dirty)
			e->dirty_tail = &e->dirty;
		t->dirty_next = NULL;
		t->dirty = false;
		settle_tunnel(e, t);
	}
	sa_hash_grow(e);
	if (e->selfcheck)
		ike_lookup_selfcheck(e);
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

/* Only the touched tunnels can have work whose window just freed: any
 * change to an SA's tasks or window happens in an entry point that
 * reached it, and reaching it touches its tunnel. Tunnels touched on
 * the way join the end of the list and are visited too. */
void ike_run_pending_tasks(struct ike_engine *e)
{
	for (struct ike_tunnel *t = e->dirty; t; t = t->dirty_next)
		for (struct ike_sa *sa = t->sas; sa; sa = sa->tnext)
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
	ike_tunnel_touch(e, t);
	for (struct ike_sa *sa = t->sas; sa; sa = sa->tnext) {
		if (sa->dead)
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
