// SPDX-License-Identifier: GPL-2.0
/*
 * engine_reload: apply a new configuration, touching only the tunnels
 * whose configuration changed. A tunnel's configuration is everything
 * its negotiation reads: the interface block, the ipsec profile, its
 * transform sets, the ikev2 profile, the IKE policy/proposals chosen for
 * its local address, the keyring, and the trustpoints (config lines and
 * loaded certificates) it may use. Objects are compared field by field
 * with the source positions (cfg_loc) blanked, so that editing another
 * part of the file changes nothing here.
 */
#include <stdlib.h>
#include <string.h>

#include "core/engine_int.h"

#define SAME(a, b, T, blank) same_obj(a, b, sizeof(T), blank)

/* Copy both, blank what does not count, compare. */
static bool same_obj(const void *a, const void *b, size_t size,
		     void (*blank)(void *))
{
	void *x, *y;
	bool same;

	if (!a || !b)
		return a == b;
	x = malloc(size);
	y = malloc(size);
	if (!x || !y) {
		free(x);
		free(y);
		return false;
	}
	memcpy(x, a, size);
	memcpy(y, b, size);
	blank(x);
	blank(y);
	same = !memcmp(x, y, size);
	free(x);
	free(y);
	return same;
}

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

static void blank_prof(void *p)
{
	struct cfg_ikev2_profile *o = p;

	memset(&o->loc, 0, sizeof(o->loc));
	for (size_t i = 0; i < CFG_LIST_MAX; i++) {
		memset(&o->match_remote[i].loc, 0, sizeof(struct cfg_loc));
		memset(&o->trustpoint[i].loc, 0, sizeof(struct cfg_loc));
	}
	memset(&o->local_id.loc, 0, sizeof(struct cfg_loc));
	memset(&o->keyring.loc, 0, sizeof(struct cfg_loc));
}

static void blank_tp(void *p)
{
	memset(&((struct cfg_trustpoint *)p)->loc, 0, sizeof(struct cfg_loc));
}

static void blank_peer(void *p)
{
	struct cfg_keyring_peer *o = p;

	memset(&o->loc, 0, sizeof(o->loc));
	memset(&o->identity.loc, 0, sizeof(o->identity.loc));
}

static bool same_keyring(const struct cfg_model *a, const struct cfg_model *b,
			 const struct cfg_ikev2_profile *p)
{
	const struct cfg_ikev2_keyring *x, *y;

	if (!p->has_keyring)
		return true;
	x = cfg_find_keyring(a, p->keyring.name);
	y = cfg_find_keyring(b, p->keyring.name);
	if (!x || !y || x->n_peers != y->n_peers)
		return x == y;
	for (size_t i = 0; i < x->n_peers; i++)
		if (!SAME(&x->peers[i], &y->peers[i], struct cfg_keyring_peer,
			  blank_peer))
			return false;
	return true;
}

static bool same_proposals(struct ike_engine *e, const struct cfg_model *old,
			   struct ike_tunnel *t)
{
	struct ike_local_proposal a[CFG_LIST_MAX], b[CFG_LIST_MAX];
	const struct cfg_model *now = e->model;
	size_t na = 0, nb = 0;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	e->model = old;
	ike_local_ike_proposals(e, t, a, CFG_LIST_MAX, &na);
	e->model = now;
	ike_local_ike_proposals(e, t, b, CFG_LIST_MAX, &nb);
	return na == nb && !memcmp(a, b, sizeof(a));
}

static bool same_tp(const struct cfg_model *a, const struct cfg_model *b,
		    const struct pki_store *pa, const struct pki_store *pb,
		    const char *name)
{
	int ia = pa ? pki_find(pa, name) : -1, ib = pb ? pki_find(pb, name)
						       : -1;

	if (!SAME(cfg_find_trustpoint(a, name), cfg_find_trustpoint(b, name),
		  struct cfg_trustpoint, blank_tp))
		return false;
	if (ia < 0 || ib < 0)
		return ia == ib;
	return !X509_cmp(pa->tp[ia].ca, pb->tp[ib].ca) &&
	       (pa->tp[ia].cert == NULL) == (pb->tp[ib].cert == NULL) &&
	       (!pa->tp[ia].cert || !X509_cmp(pa->tp[ia].cert,
					      pb->tp[ib].cert));
}

static bool same_trustpoints(const struct cfg_model *a,
			     const struct cfg_model *b,
			     const struct pki_store *pa,
			     const struct pki_store *pb,
			     const struct cfg_ikev2_profile *p)
{
	if (p->n_trustpoint) {
		for (size_t i = 0; i < p->n_trustpoint; i++)
			if (!same_tp(a, b, pa, pb, p->trustpoint[i].name))
				return false;
		return true;
	}
	/* No list: every trustpoint may be used. */
	if (a->n_trustpoints != b->n_trustpoints)
		return false;
	for (size_t i = 0; i < a->n_trustpoints; i++)
		if (!same_tp(a, b, pa, pb, a->trustpoints[i].name))
			return false;
	return true;
}

static bool tunnel_same(struct ike_engine *e, const struct cfg_model *om,
			const struct pki_store *op, struct ike_tunnel *old,
			struct ike_tunnel *t)
{
	if (!SAME(old->ifc, t->ifc, struct cfg_interface, blank_ifc) ||
	    !SAME(old->ipp, t->ipp, struct cfg_ipsec_profile, blank_ipp) ||
	    !SAME(old->prof, t->prof, struct cfg_ikev2_profile, blank_prof))
		return false;
	for (size_t i = 0; i < 6; i++)
		if (!SAME(old->ts[i], t->ts[i], struct cfg_transform_set,
			  blank_ts))
			return false;
	if (!t->prof)
		return true;
	return same_keyring(om, e->model, t->prof) &&
	       same_proposals(e, om, t) &&
	       same_trustpoints(om, e->model, op, e->pki, t->prof);
}

static void tunnel_restart(struct ike_engine *e, struct ike_tunnel *t)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->dead || sa->t != t)
			continue;
		if (sa->state == IKE_ST_ESTABLISHED)
			ike_send_delete_unreliable(sa);
		ike_sa_destroy(sa, "configuration changed");
	}
	t->initiate_at_ms = 0;
	if (t->prof)
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

		ike_tunnel_bind(model, t);
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
