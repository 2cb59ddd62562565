// SPDX-License-Identifier: GPL-2.0
/*
 * ike_sa: the IKE SA object, its lookup by SPI, its states, and what
 * happens to a tunnel when an IKE SA goes away (the next initiation is
 * planned with a growing back-off, so a tunnel always comes back).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/engine_int.h"

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
			  bool initiator, const struct ike_path *path)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->e = e;
	sa->t = t;
	sa->id = ++e->next_sa_id;
	sa->initiator = initiator;
	sa->path = *path;
	sa->created_ms = e->now_ms;
	sa->last_rx_ms = e->now_ms;
	ike_reasm_init(&sa->reasm);
	ike_reasm_init(&sa->reasm_resp);
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

void ike_sk_keys_for(const struct ike_sa *sa, bool from_initiator,
		     struct ike_sk_keys *k)
{
	const struct ike_sa_keys *K = &sa->keys;

	memset(k, 0, sizeof(*k));
	k->alg.encr = sa->sel.encr.id;
	k->alg.key_bits = sa->sel.encr.key_bits;
	k->alg.integ = sa->sel.integ;
	k->encr_key = from_initiator ? K->sk_ei : K->sk_er;
	k->encr_len = K->encr_len;
	if (K->integ_len) {
		k->integ_key = from_initiator ? K->sk_ai : K->sk_ar;
		k->integ_len = K->integ_len;
	}
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
	/* SPIs reserved for a child that never got installed. */
	if (sa->child_spi_in)
		sa->e->ops.sa_del(sa->e->ops.ctx, sa->t->info.ifindex,
				  IKEVTI_DIR_IN, sa->child_spi_in);
	if (sa->x_spi_in)
		sa->e->ops.sa_del(sa->e->ops.ctx, sa->t->info.ifindex,
				  IKEVTI_DIR_IN, sa->x_spi_in);
	sa->child_spi_in = sa->x_spi_in = 0;
	sa->dead = true;
}

void ike_out_free(struct ike_out *o);

void ike_sa_free(struct ike_sa *sa)
{
	ike_out_free(&sa->req_out);
	ike_out_free(&sa->resp_out);
	ike_reasm_free(&sa->reasm);
	ike_reasm_free(&sa->reasm_resp);
	ike_dh_free(sa->dh);
	ike_dh_free(sa->x_dh);
	free(sa->init_req);
	free(sa->init_resp);
	ike_sa_keys_wipe(&sa->keys);
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

static bool tunnel_has_sa(struct ike_engine *e, struct ike_tunnel *t)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (!sa->dead && sa->t == t)
			return true;
	return false;
}

/* Plan the next initiation: soon after a device came up, with a
 * doubling back-off (2 s .. 60 s) after failures. */
void ike_tunnel_schedule(struct ike_engine *e, struct ike_tunnel *t,
			 bool failure)
{
	uint16_t r;

	if (!t || !t->present || !t->info.up || !t->prof)
		return;
	if (tunnel_has_sa(e, t) && !failure)
		return;
	ike_random(&r, sizeof(r));
	if (!failure) {
		/* Keep a plan already made (a back-off in particular): the
		 * daemon may report the same device many times. */
		if (!t->initiate_at_ms)
			t->initiate_at_ms = e->now_ms + r % 1000 + 1;
		return;
	}
	if (!t->backoff_ms)
		t->backoff_ms = IKE_INIT_BACKOFF_MIN_MS;
	else if (t->backoff_ms < IKE_INIT_BACKOFF_MAX_MS)
		t->backoff_ms *= 2;
	if (t->backoff_ms > IKE_INIT_BACKOFF_MAX_MS)
		t->backoff_ms = IKE_INIT_BACKOFF_MAX_MS;
	t->initiate_at_ms = e->now_ms + t->backoff_ms + r % 500;
	elog(e, IKE_LOG_INFO, t, NULL, "next initiation in %llu ms",
	     (unsigned long long)(t->initiate_at_ms - e->now_ms));
}

size_t ike_tunnel_established(struct ike_engine *e, struct ike_tunnel *t,
			      struct ike_sa **out, size_t max)
{
	size_t n = 0;

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (!sa->dead && sa->t == t && !sa->replaced &&
		    sa->state == IKE_ST_ESTABLISHED) {
			if (n < max)
				out[n] = sa;
			n++;
		}
	return n;
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
	ike_tasks_run(sa);
}
