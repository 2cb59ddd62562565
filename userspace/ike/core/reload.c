// SPDX-License-Identifier: GPL-2.0
/*
 * reload: apply a new configuration, touching only the tunnels whose
 * configuration changed. A tunnel's configuration is everything its
 * negotiation reads: the interface block, the ipsec profile, its
 * transform sets, and what its IKE version reads (the version's
 * config_same: profile, proposals, keyring, trustpoints). Objects are compared field by field
 * with the source positions (cfg_loc) blanked, so that editing another
 * part of the file changes nothing here.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define SAME(a, b, T, blank) ike_cfg_same(a, b, sizeof(T), blank)

static void blank_ifc(void *p)
{
	struct cfg_interface *o = p;

	memset(&o->loc, 0, sizeof(o->loc));
	memset(&o->ipsec_profile.loc, 0, sizeof(o->ipsec_profile.loc));
	memset(o->description, 0, sizeof(o->description));
}

static void blank_ipp(void *p)
{
	struct cfg_ipsec_profile *o = p;

	memset(&o->loc, 0, sizeof(o->loc));
	memset(&o->ikev2_profile.loc, 0, sizeof(o->ikev2_profile.loc));
	for (size_t i = 0; i < 6; i++)
		memset(&o->transform_set[i].loc, 0, sizeof(struct cfg_loc));
}

static void blank_ts(void *p)
{
	memset(&((struct cfg_transform_set *)p)->loc, 0,
	       sizeof(struct cfg_loc));
}

static bool tunnel_same(struct ike_engine *e, const struct cfg_model *om,
			const struct pki_store *op, struct ike_tunnel *old,
			struct ike_tunnel *t)
{
	if (old->v != t->v ||
	    !SAME(old->ifc, t->ifc, struct cfg_interface, blank_ifc) ||
	    !SAME(old->ipp, t->ipp, struct cfg_ipsec_profile, blank_ipp))
		return false;
	for (size_t i = 0; i < 6; i++)
		if (!SAME(old->ts[i], t->ts[i], struct cfg_transform_set,
			  blank_ts))
			return false;
	return !t->v || t->v->config_same(e, om, op, old, t);
}

static void tunnel_restart(struct ike_engine *e, struct ike_tunnel *t)
{
	ike_sa_destroy_tunnel(e, t, true, "configuration changed");
	t->initiate_at_ms = 0;
	if (t->v)
		ike_tunnel_schedule(e, t, false);
}

void ike_engine_reload(struct ike_engine *e, const struct cfg_model *model,
		       const struct pki_store *pki, uint64_t now_ms)
{
	const struct cfg_model *om = e->model;
	const struct pki_store *op = e->pki;

	e->now_ms = now_ms;
	e->model = model;
	e->pki = pki;
	for (struct ike_tunnel *t = e->tunnels; t; t = t->next) {
		struct ike_tunnel old = *t;

		ike_tunnel_bind(e, model, t);
		if (tunnel_same(e, om, op, &old, t)) {
			elog(e, IKE_LOG_DEBUG, t, NULL, "reload: configuration "
			     "unchanged, SAs kept");
			continue;
		}
		elog(e, IKE_LOG_NOTICE, t, NULL, "reload: configuration "
		     "changed, renegotiating");
		/* The SAs still point at the old profile through t; the
		 * Delete we send only needs the keys. */
		tunnel_restart(e, t);
	}
	ike_sa_reap(e);
}
