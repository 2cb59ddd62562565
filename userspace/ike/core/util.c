// SPDX-License-Identifier: GPL-2.0
/*
 * util: small helpers of the core that belong to no object.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Copy both, blank what does not count, compare. */
bool ike_cfg_same(const void *a, const void *b, size_t size,
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
