/* SPDX-License-Identifier: GPL-2.0 */
/* Test helper: hex text (spaces allowed, as RFCs print it) to bytes. */
#ifndef IKE_TEST_HEX_H
#define IKE_TEST_HEX_H

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Returns the number of bytes written, or (size_t)-1 on bad input. */
static inline size_t hex_decode(const char *hex, uint8_t *out, size_t size)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v = hex_nibble(*hex);

		if (*hex == ' ' || *hex == '\n')
			continue;
		if (v < 0 || n == size)
			return (size_t)-1;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi < 0 ? n : (size_t)-1;
}

#endif
