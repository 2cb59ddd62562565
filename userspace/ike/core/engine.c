// SPDX-License-Identifier: GPL-2.0
/*
 * engine: the entry points of engine.h. Tunnels (configured ikevti
 * devices), datagram dispatch (header checks, SA lookup, message IDs,
 * duplicate requests, decryption, then the exchange handlers), kernel
 * events, timers, clear/initiate. SAs are only freed at the end of an
 * entry point (ike_sa_reap), so handlers never see a freed SA.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/engine_int.h"

/* ---- addresses ---- */

void ike_sockaddr_set(struct sockaddr_storage *ss, const struct ikevti_addr *a,
		      uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s = (void *)ss;

		s->sin6_family = AF_INET6;
		s->sin6_addr = a->v6;
		s->sin6_port = htons(port);
	} else {
		struct sockaddr_in *s = (void *)ss;

		s->sin_family = AF_INET;
		s->sin_addr = a->v4;
		s->sin_port = htons(port);
	}
}

bool ike_sockaddr_is(const struct sockaddr_storage *ss,
		     const struct ikevti_addr *a)
{
	if (ss->ss_family != a->family)
		return false;
	if (a->family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)(const void *)ss)
					->sin_addr, &a->v4, 4);
	if (a->family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)(const void *)ss)
					->sin6_addr, &a->v6, 16);
	return false;
}

uint16_t ike_sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)ss)
			     ->sin6_port);
	return ntohs(((const struct sockaddr_in *)(const void *)ss)->sin_port);
}

void ike_sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)(void *)ss)->sin_port = htons(port);
}

void ike_sockaddr_to_addr(const struct sockaddr_storage *ss,
			  struct ikevti_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = ss->ss_family;
	if (ss->ss_family == AF_INET6)
		a->v6 = ((const struct sockaddr_in6 *)(const void *)ss)
			->sin6_addr;
	else if (ss->ss_family == AF_INET)
		a->v4 = ((const struct sockaddr_in *)(const void *)ss)
			->sin_addr;
}

static bool same_path(const struct ike_path *a, const struct ike_path *b)
{
	size_t n = a->remote.ss_family == AF_INET6 ?
		   sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

	return a->remote.ss_family == b->remote.ss_family &&
	       !memcmp(&a->remote, &b->remote, n) &&
	       !memcmp(&a->local, &b->local, n);
}

/* ---- tunnels ---- */

static struct ike_tunnel *tunnel_by_ifindex(struct ike_engine *e,
					    uint32_t ifindex)
{
	for (struct ike_tunnel *t = e->tunnels; t; t = t->next)
		if (t->info.ifindex == ifindex)
			return t;
	return NULL;
}

/* The responder's view: the datagram's addresses are the device's
 * (under NAT the peer's public address is the configured remote). */
struct ike_tunnel *ike_tunnel_for_path(struct ike_engine *e,
				       const struct ike_path *path)
{
	for (struct ike_tunnel *t = e->tunnels; t; t = t->next)
		if (t->present && t->info.up && t->prof &&
		    ike_sockaddr_is(&path->local, &t->info.local) &&
		    ike_sockaddr_is(&path->remote, &t->info.remote))
			return t;
	return NULL;
}

/* Resolve the configuration chain of a tunnel in model m. */
void ike_tunnel_bind(const struct cfg_model *m, struct ike_tunnel *t)
{
	const struct cfg_interface *ifc = cfg_find_interface(m,
							     t->info.ifname);

	t->ifc = NULL;
	t->ipp = NULL;
	t->prof = NULL;
	memset(t->ts, 0, sizeof(t->ts));
	if (!ifc || !ifc->has_protection || ifc->shutdown)
		return;
	t->ifc = ifc;
	t->ipp = cfg_find_ipsec_profile(m, ifc->ipsec_profile.name);
	if (!t->ipp || !t->ipp->has_ikev2_profile)
		return;
	t->prof = cfg_find_profile(m, t->ipp->ikev2_profile.name);
	for (size_t i = 0; i < t->ipp->n_transform_set && i < 6; i++)
		t->ts[i] = cfg_find_transform_set(m,
					t->ipp->transform_set[i].name);
}

static void tunnel_sas_down(struct ike_engine *e, struct ike_tunnel *t,
			    bool tell_peer, const char *why)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->dead || sa->t != t)
			continue;
		if (tell_peer && sa->state == IKE_ST_ESTABLISHED)
			ike_send_delete_unreliable(sa);
		ike_sa_destroy(sa, why);
	}
}

static bool addr_eq(const struct ikevti_addr *a, const struct ikevti_addr *b)
{
	return a->family == b->family &&
	       !memcmp(a->raw, b->raw, ikevti_addr_len(a));
}

void ike_engine_tunnel_update(struct ike_engine *e,
			      const struct ike_tunnel_info *info,
			      uint64_t now_ms)
{
	struct ike_tunnel *t = tunnel_by_ifindex(e, info->ifindex);
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
		tunnel_sas_down(e, t, true, !info->up ? "interface down" :
				"tunnel addresses or name changed");
	t->info = *info;
	t->present = true;
	ike_tunnel_bind(e->model, t);
	if (!t->prof) {
		elog(e, IKE_LOG_DEBUG, t, NULL, "no tunnel protection "
		     "configured: not negotiating");
		t->initiate_at_ms = 0;
	} else if (info->up) {
		ike_tunnel_schedule(e, t, false);
	} else {
		t->initiate_at_ms = 0;
	}
	ike_sa_reap(e);
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
	tunnel_sas_down(e, *pp, true, "interface removed");
	ike_sa_reap(e);
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
		tunnel_sas_down(e, t, true, "shutting down");
		t->initiate_at_ms = 0;
	}
	ike_sa_reap(e);
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

	if (!sa->have_resp || m->hdr.msg_id != sa->resp_msgid ||
	    m->hdr.msg_id + 1 != sa->msgid_in)
		return false;
	if (!last || (last->type == IKEV2_PL_SKF && last->u.skf.number != 1))
		return true;
	sa_log(sa, IKE_LOG_DEBUG, "retransmitted %s request MsgID %u: "
	       "answering from cache", ike_exch_name(m->hdr.exchange),
	       m->hdr.msg_id);
	ike_out_send(sa->e, &sa->path, &sa->resp_out);
	return true;
}

static bool msgid_ok(struct ike_sa *sa, const struct ike_msg *m)
{
	bool resp = m->hdr.flags & IKEV2_FLAG_RESPONSE;

	if (resp) {
		if (sa->req == REQ_NONE || m->hdr.msg_id != sa->req_msgid) {
			sa_log(sa, IKE_LOG_DEBUG, "response MsgID %u does not "
			       "match our request: dropped", m->hdr.msg_id);
			return false;
		}
		return true;
	}
	if (duplicate_request(sa, m))
		return false;
	if (m->hdr.msg_id != sa->msgid_in) {
		sa_log(sa, IKE_LOG_NOTICE, "request MsgID %u, expected %u: "
		       "dropped", m->hdr.msg_id, sa->msgid_in);
		return false;
	}
	return true;
}

/* An authenticated message from another address or port: the peer (or
 * its NAT) moved; answer and send there from now on. */
static void follow_path(struct ike_sa *sa, const struct ike_path *path)
{
	char a[64], b[64];

	if (same_path(&sa->path, path))
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
		sa->msgid_in = m->hdr.msg_id + 1;
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

void ike_engine_input(struct ike_engine *e, const struct ike_path *path,
		      const uint8_t *msg, size_t len, uint64_t now_ms)
{
	struct ike_msg *m = malloc(sizeof(*m));
	struct ike_decode_error err;
	struct ike_sa *sa;
	char a[64];
	bool resp, init;

	e->now_ms = now_ms;
	/* RFC 3948 NAT-keepalive (one 0xFF byte) on port 4500: nothing to
	 * do, and not worth a log line every 20 s. */
	if (len == 1 && msg[0] == 0xff) {
		free(m);
		return;
	}
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
	if (init)
		ike_init_response_in(sa, path, msg, len, m);
	else
		input_sa(sa, path, msg, len, m);
out:
	free(m);
	ike_sa_reap(e);
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
			ike_tasks_run(sa);
		}
		break;
	case IKE_KEV_HARD_EXPIRE:
		sa = sa_of_child(e, ev->ifindex, ev->dir, ev->spi, &c);
		if (sa) {
			hard_expire(sa, c);
			ike_tasks_run(sa);
		}
		break;
	case IKE_KEV_ACQUIRE:
		t = tunnel_by_ifindex(e, ev->ifindex);
		if (t && t->prof && t->info.up) {
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
				ike_init_start(e, t);
		}
		break;
	case IKE_KEV_NEW_MAPPING:
		new_mapping(e, ev);
		break;
	}
	ike_sa_reap(e);
}

/* ---- timers ---- */

static void sa_timers(struct ike_sa *sa, uint64_t now)
{
	bool had_child;

	ike_retransmit_timer(sa, now);
	if (sa->dead)
		return;
	if (sa->state == IKE_ST_INIT_DONE &&
	    now >= sa->created_ms + IKE_HALF_OPEN_TIMEOUT_MS) {
		ike_sa_destroy(sa, "half-open: no IKE_AUTH came");
		return;
	}
	had_child = ike_child_active(sa) != NULL;
	ike_child_timers(sa, now);
	if (had_child)	/* the last child may have reached its hard limit */
		ike_restart_if_childless(sa);
	ike_dpd_timer(sa, now);
	if (sa->state == IKE_ST_ESTABLISHED && sa->rekey_at_ms &&
	    now >= sa->rekey_at_ms) {
		sa->rekey_at_ms = 0;
		sa->tasks |= TASK_REKEY_IKE;
	}
	if (sa->dup_deadline_ms && now >= sa->dup_deadline_ms) {
		sa->dup_deadline_ms = 0;
		sa->tasks |= TASK_DELETE_IKE;
	}
	ike_tasks_run(sa);
}

static bool tunnel_busy(struct ike_engine *e, struct ike_tunnel *t)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (!sa->dead && sa->t == t)
			return true;
	return false;
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
		if (!t->present || !t->info.up || !t->prof ||
		    ike_tunnel_established(e, t, est, 1))
			continue;
		/* An SA still negotiating or being deleted: look again
		 * shortly rather than dropping the plan. */
		if (tunnel_busy(e, t))
			t->initiate_at_ms = now_ms + 1000;
		else
			ike_init_start(e, t);
	}
	ike_sa_reap(e);
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
		t = min_t(t, ike_retransmit_next(sa));
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
		tunnel_sas_down(e, t, true, "cleared by the operator");
	}
	ike_sa_reap(e);
	for (struct ike_tunnel *t = e->tunnels; t; t = t->next)
		if (!ifindex || t->info.ifindex == ifindex)
			ike_tunnel_schedule(e, t, false);
}

int ike_engine_initiate(struct ike_engine *e, uint32_t ifindex,
			uint64_t now_ms)
{
	struct ike_tunnel *t = tunnel_by_ifindex(e, ifindex);
	int rc = 0;

	e->now_ms = now_ms;
	if (!t || !t->prof)
		return -ENOENT;
	if (!t->info.up)
		return -ENETDOWN;
	if (!tunnel_busy(e, t))
		rc = ike_init_start(e, t);
	ike_sa_reap(e);
	return rc;
}
