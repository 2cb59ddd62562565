// SPDX-License-Identifier: GPL-2.0
/*
 * tunnel: one per configured ikevti device. Which configuration it runs
 * (interface -> ipsec profile -> IKE version and profile), finding it
 * for a datagram, and planning its initiations: soon after the device
 * comes up, then with a growing back-off after failures, so a tunnel
 * always comes back.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* ---- the tunnel tables: by ifindex, by (local, remote) address ---- */

static size_t if_bucket(const struct ike_engine *e, uint32_t ifindex)
{
	return ike_hash64(e, ifindex) & (e->tun_buckets - 1);
}

static uint64_t addr_word(int family, const uint8_t *raw, size_t len)
{
	uint64_t w = (uint64_t)family << 56;

	for (size_t i = 0; i < len; i++)
		w = (w << 8 | w >> 56) ^ raw[i];
	return w;
}

static size_t pair_bucket(const struct ike_engine *e, uint64_t l, uint64_t r)
{
	return ike_hash64(e, ike_hash64(e, l) ^ r) & (e->tun_buckets - 1);
}

static size_t addr_bucket(const struct ike_engine *e,
			  const struct ike_tunnel_info *i)
{
	return pair_bucket(e, addr_word(i->local.family, i->local.raw,
					ikevti_addr_len(&i->local)),
			   addr_word(i->remote.family, i->remote.raw,
				     ikevti_addr_len(&i->remote)));
}

static uint64_t sockaddr_word(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return addr_word(AF_INET6, (const uint8_t *)&((const struct
				 sockaddr_in6 *)(const void *)ss)->sin6_addr,
				 16);
	if (ss->ss_family == AF_INET)
		return addr_word(AF_INET, (const uint8_t *)&((const struct
				 sockaddr_in *)(const void *)ss)->sin_addr, 4);
	return addr_word(ss->ss_family, NULL, 0);
}

static void tunnel_hash_insert(struct ike_engine *e, struct ike_tunnel *t)
{
	size_t b = if_bucket(e, t->info.ifindex), a = addr_bucket(e, &t->info);

	t->by_ifindex_next = e->tun_by_ifindex[b];
	e->tun_by_ifindex[b] = t;
	t->by_addr_next = e->tun_by_addr[a];
	e->tun_by_addr[a] = t;
}

static void tunnel_hash_remove(struct ike_engine *e, struct ike_tunnel *t)
{
	struct ike_tunnel **pp = &e->tun_by_ifindex[if_bucket(e,
							      t->info.ifindex)];

	while (*pp && *pp != t)
		pp = &(*pp)->by_ifindex_next;
	if (*pp)
		*pp = t->by_ifindex_next;
	pp = &e->tun_by_addr[addr_bucket(e, &t->info)];
	while (*pp && *pp != t)
		pp = &(*pp)->by_addr_next;
	if (*pp)
		*pp = t->by_addr_next;
}

/* Double both tables past two tunnels a bucket (without memory the old
 * ones stay: longer chains, same answers). */
static void tunnel_hash_grow(struct ike_engine *e)
{
	size_t nb = e->tun_buckets * 2;
	struct ike_tunnel **bi, **ba;

	if (e->n_tunnels <= e->tun_buckets * 2)
		return;
	bi = calloc(nb, sizeof(*bi));
	ba = calloc(nb, sizeof(*ba));
	if (!bi || !ba) {
		free(bi);
		free(ba);
		return;
	}
	free(e->tun_by_ifindex);
	free(e->tun_by_addr);
	e->tun_by_ifindex = bi;
	e->tun_by_addr = ba;
	e->tun_buckets = nb;
	for (struct ike_tunnel *t = e->tunnels; t; t = t->next)
		tunnel_hash_insert(e, t);
}

int ike_tunnel_index(struct ike_engine *e, struct ike_tunnel *t)
{
	if (ike_heap_reserve(&e->tunnel_timers, e->n_tunnels + 1) < 0)
		return -1;
	t->prev = NULL;
	t->next = e->tunnels;
	if (e->tunnels)
		e->tunnels->prev = t;
	e->tunnels = t;
	e->n_tunnels++;
	tunnel_hash_insert(e, t);
	tunnel_hash_grow(e);
	return 0;
}

void ike_tunnel_unindex(struct ike_engine *e, struct ike_tunnel *t)
{
	tunnel_hash_remove(e, t);
	if (t->prev)
		t->prev->next = t->next;
	else
		e->tunnels = t->next;
	if (t->next)
		t->next->prev = t->prev;
	e->n_tunnels--;
	ike_heap_remove(&e->tunnel_timers, &t->timer);
	if (t->dirty) {
		struct ike_tunnel **pp = &e->dirty;

		while (*pp != t)
			pp = &(*pp)->dirty_next;
		*pp = t->dirty_next;
		if (!*pp)
			e->dirty_tail = pp;
		t->dirty = false;
	}
}

void ike_tunnel_set_info(struct ike_engine *e, struct ike_tunnel *t,
			 const struct ike_tunnel_info *info)
{
	tunnel_hash_remove(e, t);
	t->info = *info;
	tunnel_hash_insert(e, t);
}

/* tests: 0 when t is in both of its buckets. */
int ike_tunnel_indexed(const struct ike_engine *e, const struct ike_tunnel *t)
{
	const struct ike_tunnel *o;

	for (o = e->tun_by_ifindex[if_bucket(e, t->info.ifindex)];
	     o && o != t; o = o->by_ifindex_next)
		;
	if (!o)
		return -1;
	for (o = e->tun_by_addr[addr_bucket(e, &t->info)]; o && o != t;
	     o = o->by_addr_next)
		;
	return o ? 0 : -1;
}

struct ike_tunnel *ike_tunnel_by_ifindex(struct ike_engine *e,
					 uint32_t ifindex)
{
	for (struct ike_tunnel *t = e->tun_by_ifindex[if_bucket(e, ifindex)];
	     t; t = t->by_ifindex_next)
		if (t->info.ifindex == ifindex) {
			ike_tunnel_touch(e, t);
			return t;
		}
	return NULL;
}

/* The responder's view: the datagram's addresses are the device's
 * (under NAT the peer's public address is the configured remote). */
struct ike_tunnel *ike_tunnel_for_path(struct ike_engine *e,
				       const struct ike_path *path)
{
	size_t b = pair_bucket(e, sockaddr_word(&path->local),
			       sockaddr_word(&path->remote));

	for (struct ike_tunnel *t = e->tun_by_addr[b]; t; t = t->by_addr_next)
		if (t->present && t->info.up && t->v &&
		    ike_sockaddr_is(&path->local, &t->info.local) &&
		    ike_sockaddr_is(&path->remote, &t->info.remote))
			return t;
	return NULL;
}

/* Resolve the configuration chain of a tunnel in model m: which IKE
 * version negotiates it (none: the device is not protected). */
void ike_tunnel_bind(const struct ike_engine *e, const struct cfg_model *m,
		     struct ike_tunnel *t)
{
	const struct cfg_interface *ifc = cfg_find_interface(m,
							     t->info.ifname);

	t->v = NULL;
	t->ifc = NULL;
	t->ipp = NULL;
	t->prof = NULL;
	t->v1prof = NULL;
	memset(t->ts, 0, sizeof(t->ts));
	if (!ifc || !ifc->has_protection || ifc->shutdown)
		return;
	t->ifc = ifc;
	t->ipp = cfg_find_ipsec_profile(m, ifc->ipsec_profile.name);
	if (!t->ipp)
		return;
	/* As on IOS: "set ikev2-profile" means IKEv2; otherwise IKEv1, with
	 * "set isakmp-profile" or with the global policies and keys. */
	if (cfg_ipsec_profile_ike_version(t->ipp) == CFG_IKE_V2) {
		t->prof = cfg_find_profile(m, t->ipp->ikev2_profile.name);
		if (t->prof)
			t->v = e->ikev2;
	} else {
		if (t->ipp->has_isakmp_profile)
			t->v1prof = cfg_find_isakmp_profile(m,
					t->ipp->isakmp_profile.name);
		t->v = e->ikev1;
	}
	for (size_t i = 0; i < t->ipp->n_transform_set && i < 6; i++)
		t->ts[i] = cfg_find_transform_set(m,
					t->ipp->transform_set[i].name);
}

bool ike_tunnel_busy(struct ike_engine *e, const struct ike_tunnel *t)
{
	(void)e;
	for (struct ike_sa *sa = t->sas; sa; sa = sa->tnext)
		if (!sa->dead)
			return true;
	return false;
}

/* Plan the next initiation: soon after a device came up, with a
 * doubling back-off (2 s .. 60 s) after failures. */
void ike_tunnel_schedule(struct ike_engine *e, struct ike_tunnel *t,
			 bool failure)
{
	uint16_t r;

	if (!t || !t->present || !t->info.up || !t->v || e->passive)
		return;
	ike_tunnel_touch(e, t);
	if (ike_tunnel_busy(e, t) && !failure)
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

	ike_tunnel_touch(e, t);
	for (struct ike_sa *sa = t->sas; sa; sa = sa->tnext)
		if (!sa->dead && !sa->replaced &&
		    sa->state == IKE_ST_ESTABLISHED) {
			if (n < max)
				out[n] = sa;
			n++;
		}
	return n;
}
