// SPDX-License-Identifier: GPL-2.0
/*
 * engine: the entry points of engine.h, for both IKE versions. Devices
 * coming and going, datagrams demultiplexed on the ISAKMP header's major
 * version (RFC 2408 3.1, RFC 7296 3.1: the same byte in both), kernel
 * events, timers, clear/initiate. Every entry point ends the same way
 * (entry_done): queued tasks start where a window is free, then dead SAs
 * are freed, so no handler ever sees a freed SA.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/core.h"


static void entry_done(struct ike_engine *e)
{
	ike_run_pending_tasks(e);
	ike_sa_reap(e);
}

/* ---- addresses ---- */

/* ---- tunnels ---- */

static bool addr_eq(const struct ikevti_addr *a, const struct ikevti_addr *b)
{
	return a->family == b->family &&
	       !memcmp(a->raw, b->raw, ikevti_addr_len(a));
}

void ike_engine_tunnel_update(struct ike_engine *e,
			      const struct ike_tunnel_info *info,
			      uint64_t now_ms)
{
	struct ike_tunnel *t = ike_tunnel_by_ifindex(e, info->ifindex);
	bool moved;

	e->now_ms = now_ms;
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t)
			return;
		t->next = e->tunnels;
		e->tunnels = t;
		t->info = *info;
	}
	moved = !addr_eq(&t->info.local, &info->local) ||
		!addr_eq(&t->info.remote, &info->remote) ||
		strcmp(t->info.ifname, info->ifname);
	if (moved || !info->up)
		ike_sa_destroy_tunnel(e, t, true, !info->up ? "interface down" :
				"tunnel addresses or name changed");
	t->info = *info;
	t->present = true;
	ike_tunnel_bind(e, e->model, t);
	if (!t->v) {
		elog(e, IKE_LOG_DEBUG, t, NULL, "no tunnel protection "
		     "configured: not negotiating");
		t->initiate_at_ms = 0;
	} else if (info->up) {
		ike_tunnel_schedule(e, t, false);
	} else {
		t->initiate_at_ms = 0;
	}
	entry_done(e);
}

void ike_engine_tunnel_gone(struct ike_engine *e, uint32_t ifindex,
			    uint64_t now_ms)
{
	struct ike_tunnel **pp = &e->tunnels;

	e->now_ms = now_ms;
	while (*pp && (*pp)->info.ifindex != ifindex)
		pp = &(*pp)->next;
	if (!*pp)
		return;
	ike_sa_destroy_tunnel(e, *pp, true, "interface removed");
	entry_done(e);
	{
		struct ike_tunnel *t = *pp;

		*pp = t->next;
		free(t);
	}
}

/* ---- engine life ---- */

struct ike_engine *ike_engine_new(const struct ike_engine_ops *ops,
				  const struct cfg_model *model,
				  const struct pki_store *pki)
{
	struct ike_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->ops = *ops;
	e->versions[0] = e->ikev2 = &ikev2_version;
	e->versions[1] = e->ikev1 = &ikev1_version;
	e->model = model;
	e->pki = pki;
	e->log_level = IKE_LOG_INFO;
	ike_random(e->cookie_secret, sizeof(e->cookie_secret));
	return e;
}

void ike_engine_set_log_level(struct ike_engine *e, enum ike_log_level lvl)
{
	e->log_level = lvl;
}

void ike_engine_set_wall_clock(struct ike_engine *e,
			       time_t (*now)(void *ctx), void *ctx)
{
	e->wall_now = now;
	e->wall_ctx = ctx;
}

void ike_engine_set_frag_max(struct ike_engine *e, size_t v4, size_t v6)
{
	e->frag_max_v4 = v4;
	e->frag_max_v6 = v6;
}

void ike_engine_shutdown(struct ike_engine *e, uint64_t now_ms)
{
	e->now_ms = now_ms;
	for (struct ike_tunnel *t = e->tunnels; t; t = t->next) {
		ike_sa_destroy_tunnel(e, t, true, "shutting down");
		t->initiate_at_ms = 0;
	}
	entry_done(e);
}

void ike_engine_free(struct ike_engine *e)
{
	if (!e)
		return;
	while (e->sas) {
		struct ike_sa *sa = e->sas;

		e->sas = sa->next;
		ike_sa_free(sa);
	}
	while (e->tunnels) {
		struct ike_tunnel *t = e->tunnels;

		e->tunnels = t->next;
		free(t);
	}
	OPENSSL_cleanse(e, sizeof(*e));
	free(e);
}

/* ---- input ---- */

/* ---- input ---- */

void ike_engine_input(struct ike_engine *e, const struct ike_path *path,
		      const uint8_t *msg, size_t len, uint64_t now_ms)
{
	char a[64];

	e->now_ms = now_ms;
	/* RFC 3948 NAT-keepalive (one 0xFF byte) on port 4500: nothing to
	 * do, and not worth a log line every 20 s. */
	if (len == 1 && msg[0] == 0xff)
		return;
	/* Byte 17 holds the major version in its high nibble in both
	 * ISAKMP (0x10) and IKEv2 (0x20) headers. */
	if (len >= 28) {
		for (size_t i = 0; i < IKE_N_VERSIONS; i++) {
			if (msg[17] >> 4 == e->versions[i]->major) {
				e->versions[i]->input(e, path, msg, len);
				entry_done(e);
				return;
			}
		}
	}
	ike_addr_str(&path->remote, a, sizeof(a));
	elog(e, IKE_LOG_NOTICE, ike_tunnel_for_path(e, path), NULL,
	     "dropping a %zu-byte datagram from %s: %s", len, a,
	     len < 28 ? "shorter than an ISAKMP header" :
	     "unknown IKE major version");
}

/* ---- kernel events ---- */

static struct ike_sa *sa_of_child(struct ike_engine *e, uint32_t ifindex,
				  uint8_t dir, uint32_t spi,
				  struct child_sa **c)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->dead || sa->t->info.ifindex != ifindex)
			continue;
		*c = dir == IKEVTI_DIR_OUT ? ike_child_by_spi_out(sa, spi)
					   : ike_child_by_spi_in(sa, spi);
		if (*c)
			return sa;
	}
	return NULL;
}

static void hard_expire(struct ike_sa *sa, struct child_sa *c)
{
	uint32_t spi = c->spi_in;
	bool was_active = c->state != CHILD_REKEYED;

	sa_log(sa, IKE_LOG_NOTICE, "child SA in %08x out %08x: hard "
	       "lifetime reached, removed", c->spi_in, c->spi_out);
	ike_child_remove(sa, c);
	if (!was_active)
		return;
	if (!ike_child_active(sa)) {
		/* Nothing left to carry traffic: start over. */
		sa->tasks = TASK_DELETE_IKE;
		ike_tunnel_schedule(sa->e, sa->t, true);
		return;
	}
	sa->task_delete_spi = spi;
	sa->tasks |= TASK_DELETE_CHILD;
}

static void new_mapping(struct ike_engine *e,
			const struct ike_kernel_event_info *ev)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->dead || sa->t->info.ifindex != ev->ifindex ||
		    sa->state != IKE_ST_ESTABLISHED)
			continue;
		sa_log(sa, IKE_LOG_NOTICE, "NAT mapping changed: peer now at "
		       "port %u", ev->remote_port);
		if (ev->remote.family)
			ike_sockaddr_set(&sa->path.remote, &ev->remote,
					 ev->remote_port);
		else
			ike_sockaddr_set_port(&sa->path.remote,
					      ev->remote_port);
	}
}

void ike_engine_kernel_event(struct ike_engine *e,
			     const struct ike_kernel_event_info *ev,
			     uint64_t now_ms)
{
	struct child_sa *c = NULL;
	struct ike_sa *sa;
	struct ike_tunnel *t;

	e->now_ms = now_ms;
	switch (ev->type) {
	case IKE_KEV_SOFT_EXPIRE:
		sa = sa_of_child(e, ev->ifindex, ev->dir, ev->spi, &c);
		if (sa && c->state == CHILD_ACTIVE) {
			sa_log(sa, IKE_LOG_INFO, "child SA %08x: soft lifetime "
			       "reached, rekeying", ev->spi);
			c->rekey_at_ms = 0;
			sa->task_child_spi = c->spi_in;
			sa->tasks |= TASK_REKEY_CHILD;
		}
		break;
	case IKE_KEV_HARD_EXPIRE:
		sa = sa_of_child(e, ev->ifindex, ev->dir, ev->spi, &c);
		if (sa)
			hard_expire(sa, c);
		break;
	case IKE_KEV_ACQUIRE:
		t = ike_tunnel_by_ifindex(e, ev->ifindex);
		if (t && t->v && t->info.up) {
			bool any = false;

			for (sa = e->sas; sa; sa = sa->next) {
				if (sa->dead || sa->t != t)
					continue;
				any = true;
				ike_restart_if_childless(sa);
			}
			/*
			 * Traffic keeps raising ACQUIRE: after a failed
			 * attempt the back-off decides, not the traffic.
			 */
			if (!any && !t->backoff_ms)
				t->v->initiate(e, t);
		}
		break;
	case IKE_KEV_NEW_MAPPING:
		new_mapping(e, ev);
		break;
	}
	entry_done(e);
}

/* ---- timers ---- */

static void sa_timers(struct ike_sa *sa, uint64_t now)
{
	bool had_child;

	sa->v->timers(sa, now);
	if (sa->dead)
		return;
	if (sa->state == IKE_ST_INIT_DONE &&
	    now >= sa->created_ms + IKE_HALF_OPEN_TIMEOUT_MS) {
		ike_sa_destroy(sa, "half-open: not authenticated within 30 s");
		return;
	}
	had_child = ike_child_active(sa) != NULL;
	ike_child_timers(sa, now);
	if (had_child)	/* the last child may have reached its hard limit */
		ike_restart_if_childless(sa);
	if (sa->state == IKE_ST_ESTABLISHED && sa->rekey_at_ms &&
	    now >= sa->rekey_at_ms) {
		sa->rekey_at_ms = 0;
		sa->tasks |= TASK_REKEY_IKE;
	}
	if (sa->dup_deadline_ms && now >= sa->dup_deadline_ms) {
		sa->dup_deadline_ms = 0;
		sa->tasks |= TASK_DELETE_IKE;
	}
}

void ike_engine_run_timers(struct ike_engine *e, uint64_t now_ms)
{
	e->now_ms = now_ms;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (!sa->dead)
			sa_timers(sa, now_ms);
	for (struct ike_tunnel *t = e->tunnels; t; t = t->next) {
		struct ike_sa *est[1];

		if (!t->initiate_at_ms || now_ms < t->initiate_at_ms)
			continue;
		t->initiate_at_ms = 0;
		if (!t->present || !t->info.up || !t->v ||
		    ike_tunnel_established(e, t, est, 1))
			continue;
		/* An SA still negotiating or being deleted: look again
		 * shortly rather than dropping the plan. */
		if (ike_tunnel_busy(e, t))
			t->initiate_at_ms = now_ms + 1000;
		else
			t->v->initiate(e, t);
	}
	entry_done(e);
}

static uint64_t min_t(uint64_t a, uint64_t b)
{
	return b && b < a ? b : a;
}

uint64_t ike_engine_next_timer(const struct ike_engine *e)
{
	uint64_t t = UINT64_MAX;

	for (const struct ike_tunnel *tu = e->tunnels; tu; tu = tu->next)
		t = min_t(t, tu->initiate_at_ms);
	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->dead)
			continue;
		t = min_t(t, sa->v->next_timer(sa));
		if (sa->state == IKE_ST_INIT_DONE)
			t = min_t(t, sa->created_ms + IKE_HALF_OPEN_TIMEOUT_MS);
		t = min_t(t, ike_child_next(sa));
		if (sa->state == IKE_ST_ESTABLISHED) {
			t = min_t(t, sa->dpd_at_ms);
			t = min_t(t, sa->rekey_at_ms);
		}
		t = min_t(t, sa->dup_deadline_ms);
	}
	return t;
}

/* ---- operator commands ---- */

void ike_engine_clear(struct ike_engine *e, uint32_t ifindex,
		      uint64_t now_ms)
{
	e->now_ms = now_ms;
	for (struct ike_tunnel *t = e->tunnels; t; t = t->next) {
		if (ifindex && t->info.ifindex != ifindex)
			continue;
		ike_sa_destroy_tunnel(e, t, true, "cleared by the operator");
	}
	entry_done(e);
	for (struct ike_tunnel *t = e->tunnels; t; t = t->next)
		if (!ifindex || t->info.ifindex == ifindex)
			ike_tunnel_schedule(e, t, false);
}

int ike_engine_initiate(struct ike_engine *e, uint32_t ifindex,
			uint64_t now_ms)
{
	struct ike_tunnel *t = ike_tunnel_by_ifindex(e, ifindex);
	int rc = 0;

	e->now_ms = now_ms;
	if (!t || !t->v)
		return -ENOENT;
	if (!t->info.up)
		return -ENETDOWN;
	if (!ike_tunnel_busy(e, t))
		rc = t->v->initiate(e, t);
	entry_done(e);
	return rc;
}
