// SPDX-License-Identifier: GPL-2.0
/*
 * heap: the engine's one timer structure, an indexed binary min-heap of
 * deadlines. Each timed object (IKE SA, tunnel) embeds a struct
 * ike_timer that remembers its slot, so moving or removing a deadline
 * is O(log n) and the earliest one is O(1). The engine recomputes an
 * object's deadline whenever an entry point touched it, so the heap
 * never holds a deadline later than the object's real one.
 */
#include <stdlib.h>

#include "core/core.h"

static void heap_place(struct ike_heap *h, size_t i, struct ike_timer *t)
{
	h->v[i] = t;
	t->pos = i + 1;
}

static void sift_up(struct ike_heap *h, size_t i)
{
	struct ike_timer *t = h->v[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (h->v[parent]->at <= t->at)
			break;
		heap_place(h, i, h->v[parent]);
		i = parent;
	}
	heap_place(h, i, t);
}

static void sift_down(struct ike_heap *h, size_t i)
{
	struct ike_timer *t = h->v[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1]->at < h->v[c]->at)
			c++;
		if (t->at <= h->v[c]->at)
			break;
		heap_place(h, i, h->v[c]);
		i = c;
	}
	heap_place(h, i, t);
}

int ike_heap_reserve(struct ike_heap *h, size_t n)
{
	struct ike_timer **v;
	size_t cap = h->cap ? h->cap : 16;

	if (n <= h->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	v = realloc(h->v, cap * sizeof(*v));
	if (!v)
		return -1;
	h->v = v;
	h->cap = cap;
	return 0;
}

void ike_heap_remove(struct ike_heap *h, struct ike_timer *t)
{
	size_t i;

	if (!t->pos)
		return;
	i = t->pos - 1;
	t->pos = 0;
	if (--h->n == i)
		return;
	heap_place(h, i, h->v[h->n]);
	if (i > 0 && h->v[(i - 1) / 2]->at > h->v[i]->at)
		sift_up(h, i);
	else
		sift_down(h, i);
}

/* The caller reserved room for every object it may queue (0 on success;
 * -1 only when it did not). IKE_NEVER takes the object out. */
int ike_heap_set(struct ike_heap *h, struct ike_timer *t, uint64_t at)
{
	if (at == IKE_NEVER) {
		ike_heap_remove(h, t);
		return 0;
	}
	if (t->pos) {
		uint64_t old = t->at;

		t->at = at;
		if (at < old)
			sift_up(h, t->pos - 1);
		else if (at > old)
			sift_down(h, t->pos - 1);
		return 0;
	}
	if (h->n == h->cap && ike_heap_reserve(h, h->n + 1) < 0)
		return -1;
	t->at = at;
	heap_place(h, h->n, t);
	h->n++;
	sift_up(h, h->n - 1);
	return 0;
}

struct ike_timer *ike_heap_top(const struct ike_heap *h)
{
	return h->n ? h->v[0] : NULL;
}

void ike_heap_free(struct ike_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
