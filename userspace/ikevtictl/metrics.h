/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtictl metrics: the module's counters of every ikevti device and,
 * when ikevtid answers, the daemon's, in the Prometheus text format (for
 * node_exporter's textfile collector; tools/systemd/ikevti-metrics.*
 * write them every minute).
 */
#ifndef IKEVTICTL_METRICS_H
#define IKEVTICTL_METRICS_H

#include <stdio.h>

#include "ikevti_sa.h"

/* The counters of one device, as samples of ikevti_<counter>_total. */
void metrics_device(FILE *f, const struct ikevti_dev_info *const *devs,
		    size_t n);

/* "metrics" (argv after it: nothing). Exit status 0, 1 or 2. */
int metrics_run(int argc, char **argv, const char *daemon_socket);

#endif /* IKEVTICTL_METRICS_H */
