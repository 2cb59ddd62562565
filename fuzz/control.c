// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the request parser of ikevtid's control socket
 * (control_parse in ikevtid/control.c, declared in ikevtid.h). The input
 * is what a client writes: as the daemon does (on_conn), the request is
 * the text up to the first newline, a trailing '\r' removed, and the
 * rest ignored. A parsed request must name a command the daemon knows
 * and an interface name that fits IF_NAMESIZE.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikevtid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_request req;
	char err[256], *line, *nl;

	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
	}
	if (control_parse(line, &req, err, sizeof(err)) == 0) {
		if (req.cmd > CTL_EVENTS ||
		    strnlen(req.ifname, sizeof(req.ifname)) ==
		    sizeof(req.ifname))
			abort();
	} else if (!memchr(err, '\0', sizeof(err)) || !err[0]) {
		abort();	/* an error must say what is wrong */
	}
	free(line);
	return 0;
}
