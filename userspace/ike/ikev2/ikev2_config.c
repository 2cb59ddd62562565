// SPDX-License-Identifier: GPL-2.0
/*
 * ikev2_config: the IKEv2 half of a reload diff. A tunnel keeps its SAs
 * when its ikev2 profile, the keyring entries and proposals it uses and
 * the trustpoints it may use are the same in the old and the new model
 * (source locations do not count); the core compares the rest.
 */
#include <openssl/x509.h>
#include <string.h>

#include "ikev2/ikev2.h"

#define SAME(a, b, T, blank) ike_cfg_same(a, b, sizeof(T), blank)

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
			   const struct ike_tunnel *t)
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

bool ikev2_config_same(struct ike_engine *e, const struct cfg_model *om,
		       const struct pki_store *op,
		       const struct ike_tunnel *old,
		       const struct ike_tunnel *t)
{
	if (!SAME(old->prof, t->prof, struct cfg_ikev2_profile, blank_prof))
		return false;
	if (!t->prof)
		return true;
	return same_keyring(om, e->model, t->prof) &&
	       same_proposals(e, om, t) &&
	       same_trustpoints(om, e->model, op, e->pki, t->prof);
}
