// SPDX-License-Identifier: GPL-2.0
/*
 * lookup: how the engine finds things without walking every IKE SA. IKE
 * SAs by SPIi (core/ike_sa.c), tunnels by ifindex and by address pair
 * (core/tunnel.c), deadlines in one heap (core/heap.c), and the list of
 * tunnels the running entry point touched: only their SAs can have new
 * tasks, deaths or deadlines, so the end of an entry point visits them
 * and nothing else. The tests turn on a check that every index agrees
 * with a scan of everything after each entry point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define LOOKUP_BUCKETS_MIN 64

/* A bijective mixer (MurmurHash3's finaliser constants) over the value
 * xor the engine's random key. Not a MAC, but a peer that cannot see
 * the key cannot choose SPIs that share a bucket. */
uint64_t ike_hash64(const struct ike_engine *e, uint64_t x)
{
	x ^= e->hash_key;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

int ike_lookup_init(struct ike_engine *e)
{
	ike_random(&e->hash_key, sizeof(e->hash_key));
	e->sa_buckets = e->tun_buckets = LOOKUP_BUCKETS_MIN;
	e->sa_hash = calloc(e->sa_buckets, sizeof(*e->sa_hash));
	e->tun_by_ifindex = calloc(e->tun_buckets, sizeof(*e->tun_by_ifindex));
	e->tun_by_addr = calloc(e->tun_buckets, sizeof(*e->tun_by_addr));
	e->dirty_tail = &e->dirty;
	if (!e->sa_hash || !e->tun_by_ifindex || !e->tun_by_addr) {
		ike_lookup_free(e);
		return -1;
	}
	return 0;
}

void ike_lookup_free(struct ike_engine *e)
{
	free(e->sa_hash);
	free(e->tun_by_ifindex);
	free(e->tun_by_addr);
	e->sa_hash = NULL;
	e->tun_by_ifindex = e->tun_by_addr = NULL;
	ike_heap_free(&e->sa_timers);
	ike_heap_free(&e->tunnel_timers);
}

void ike_tunnel_touch(struct ike_engine *e, struct ike_tunnel *t)
{
	if (!t || t->dirty)
		return;
	t->dirty = true;
	t->dirty_next = NULL;
	*e->dirty_tail = t;
	e->dirty_tail = &t->dirty_next;
}

static void check_failed(const char *what, unsigned int id)
{
	fprintf(stderr, "ike lookup selfcheck: %s (IKE SA or tunnel %u)\n",
		what, id);
	abort();
}

static void check_sa(struct ike_engine *e, struct ike_sa *sa,
		     unsigned int *half_open)
{
	uint64_t at = ike_sa_deadline(sa);
	unsigned int tasks = sa->tasks;
	struct ike_sa *o;
	uint64_t spi;

	memcpy(&spi, sa->spi_i, 8);
	if (sa->dead)
		check_failed("a dead SA outlived its entry point", sa->id);
	if (sa->state == IKE_ST_INIT_DONE)
		(*half_open)++;
	if (!sa->hashed)
		check_failed("SA not in the SPIi table", sa->id);
	for (o = e->sa_hash[ike_hash64(e, spi) & (e->sa_buckets - 1)];
	     o && o != sa; o = o->hnext)
		;
	if (!o)
		check_failed("SA not in its SPIi bucket", sa->id);
	for (o = sa->t->sas; o && o != sa; o = o->tnext)
		;
	if (!o)
		check_failed("SA not on its tunnel's list", sa->id);
	if (at == IKE_NEVER ? sa->timer.pos != 0 :
	    !sa->timer.pos || sa->timer.at > at)
		check_failed("SA deadline missing from the heap", sa->id);
	/* Work left that a scan of every SA would start now. */
	if (tasks) {
		sa->v->run_tasks(sa);
		if (sa->tasks != tasks)
			check_failed("queued task of an untouched SA", sa->id);
	}
}

void ike_lookup_selfcheck(struct ike_engine *e)
{
	unsigned int half_open = 0;
	size_t n = 0;

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next, n++)
		check_sa(e, sa, &half_open);
	if (n != e->n_sas || half_open != e->half_open || e->fresh)
		check_failed("SA counters disagree", 0);
	for (struct ike_tunnel *t = e->tunnels; t; t = t->next) {
		if (t->initiate_at_ms ? !t->timer.pos ||
		    t->timer.at > t->initiate_at_ms : t->timer.pos != 0)
			check_failed("tunnel plan missing from the heap",
				     t->info.ifindex);
		if (ike_tunnel_indexed(e, t) < 0)
			check_failed("tunnel missing from its buckets",
				     t->info.ifindex);
	}
	if (e->dirty)
		check_failed("touched tunnel left unsettled", 0);
}
