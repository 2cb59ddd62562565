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

struct ike_tunnel *ike_tunnel_by_ifindex(struct ike_engine *e,
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

	if (!t || !t->present || !t->info.up || !t->v || e->passive)
		return;
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

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (!sa->dead && sa->t == t && !sa->replaced &&
		    sa->state == IKE_ST_ESTABLISHED) {
			if (n < max)
				out[n] = sa;
			n++;
		}
	return n;
}
