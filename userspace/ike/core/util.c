// SPDX-License-Identifier: GPL-2.0
/*
 * util: small helpers that belong to no object: failf for every layer,
 * comparing configuration objects for reload.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/util.h"

int failf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

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
