/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtictl monitor: print the module's events (expire, acquire, new
 * mapping) and ikevtid's (IKE SA up, down) as they come, one line each,
 * text or JSON, with their time.
 */
#ifndef IKEVTICTL_MONITOR_H
#define IKEVTICTL_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "ikevti_events.h"

/*
 * One event as one line (no newline) into buf. JSON:
 * {"event":"expire","ifindex":5,"ifname":"ikevti1","dir":"out",
 *  "spi":"0x00001234","hard":false,"packets":10,"bytes":1000}
 * Returns the length snprintf() would have written.
 */
int monitor_format(const struct ikevti_event *e, bool json, char *buf,
		   size_t len);

/* "monitor [count N] [timeout SECONDS]" (argv after "monitor").
 * 0 or -1 with err. count 0: forever; timeout 0: none. */
int monitor_parse_args(int argc, char **argv, unsigned long *count,
		       unsigned long *timeout_s, char *err, size_t errlen);

/*
 * Print events until count or the timeout: the module's, and ikevtid's
 * IKE SA up/down when daemon_socket is reachable; each line starts with
 * the wall-clock time (JSON: a "time" member first). Exit status: 0
 * after count events (or on interrupt), 1 on timeout or error.
 */
int monitor_run(bool json, unsigned long count, unsigned long timeout_s,
		const char *daemon_socket);

/* "2026-12-07T14:03:12.345+0100": local time with its offset. */
void monitor_time(char *buf, size_t len);

#endif /* IKEVTICTL_MONITOR_H */
