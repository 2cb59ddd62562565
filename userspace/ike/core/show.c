// SPDX-License-Identifier: GPL-2.0
/*
 * engine_show: "show crypto ikev2 sa" and "show crypto ipsec sa" data.
 */
#include <string.h>

#include "core/core.h"

static uint64_t spi64(const uint8_t s[8])
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | s[i];
	return v;
}

static void fill_ike(const struct ike_engine *e, const struct ike_sa *sa,
		     struct ike_sa_status *o)
{
	memset(o, 0, sizeof(*o));
	o->ifindex = sa->t->info.ifindex;
	memcpy(o->ifname, sa->t->info.ifname, IF_NAMESIZE);
	if (sa->t->prof)
		memcpy(o->profile, sa->t->prof->name, CFG_NAME_MAX);
	o->tunnel_id = sa->id;
	o->initiator = sa->initiator;
	o->spi_i = spi64(sa->spi_i);
	o->spi_r = spi64(sa->spi_r);
	o->path = sa->path;
	o->nat_local = sa->nat_local;
	o->nat_remote = sa->nat_remote;
	o->state = sa->state == IKE_ST_ESTABLISHED ? "READY" :
		   sa->state == IKE_ST_DELETING ? "DELETE" : "IN-NEG";
	o->encr = sa->sel.encr.id;
	o->encr_bits = sa->sel.encr.key_bits;
	o->prf = sa->sel.prf;
	o->integ = sa->sel.integ;
	o->dh = sa->sel.dh;
	o->auth_local = sa->auth_local;
	o->auth_remote = sa->auth_remote;
	memcpy(o->local_id, sa->local_id, sizeof(o->local_id));
	memcpy(o->remote_id, sa->remote_id, sizeof(o->remote_id));
	o->lifetime_s = sa->t->prof ? sa->t->prof->lifetime_s : 0;
	o->active_ms = sa->established_ms ? e->now_ms - sa->established_ms : 0;
	o->ike_version = sa->v->major;
	o->natt = sa->natt;
	sa->v->status(sa, o);
	for (size_t i = 0; i < IKE_CHILD_MAX; i++)
		o->n_children += sa->child[i].used;
}

size_t ike_engine_ike_sas(const struct ike_engine *e,
			  struct ike_sa_status *out, size_t max)
{
	size_t n = 0;

	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->dead)
			continue;
		if (n < max)
			fill_ike(e, sa, &out[n]);
		n++;
	}
	return n;
}

static void fill_child(const struct ike_engine *e, const struct ike_sa *sa,
		       const struct child_sa *c, struct ike_child_status *o)
{
	memset(o, 0, sizeof(*o));
	o->ifindex = sa->t->info.ifindex;
	memcpy(o->ifname, sa->t->info.ifname, IF_NAMESIZE);
	o->tunnel_id = sa->id;
	o->spi_in = c->spi_in;
	o->spi_out = c->spi_out;
	o->encr = c->encr;
	o->encr_bits = c->key_bits;
	o->integ = c->integ;
	o->esn = c->esn;
	o->pfs_group = c->pfs_group;
	o->encap = c->encap;
	o->state = c->state == CHILD_ACTIVE ? "ACTIVE" :
		   c->state == CHILD_REKEYING ? "REKEYING" : "REKEYED";
	o->lifetime_s = sa->t->ipp ? sa->t->ipp->lifetime_s : 0;
	o->lifetime_kb = sa->t->ipp ? sa->t->ipp->lifetime_kb : 0;
	o->active_ms = e->now_ms - c->established_ms;
}

size_t ike_engine_child_sas(const struct ike_engine *e,
			    struct ike_child_status *out, size_t max)
{
	size_t n = 0;

	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->dead)
			continue;
		for (size_t i = 0; i < IKE_CHILD_MAX; i++) {
			if (!sa->child[i].used)
				continue;
			if (n < max)
				fill_child(e, sa, &sa->child[i], &out[n]);
			n++;
		}
	}
	return n;
}
