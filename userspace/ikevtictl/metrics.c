// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtictl metrics: Prometheus text format.
 *
 * The kernel part is read here (one ikevti_dev_get per device); the
 * daemon part is ikevtid's own answer to "metrics", appended as it
 * comes, so each side names what it knows. Without a daemon the output
 * says ikevtid_up 0 instead of failing: a textfile collector keeps the
 * kernel counters when the daemon is stopped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_client.h"
#include "devices.h"
#include "ikevti_nl.h"
#include "ikevti_prom.h"
#include "metrics.h"

void metrics_device(FILE *f, const struct ikevti_dev_info *const *devs,
		    size_t n)
{
	const struct ikevti_stat_desc *d;
	char name[96], help[160];
	size_t i, k;

	prom_header(f, "ikevti_devices", "gauge",
		    "ikevti tunnel devices in this network namespace");
	prom_sample(f, "ikevti_devices", NULL, NULL, n);
	for (i = 0; (d = ikevti_stat_desc_at(i)) != NULL; i++) {
		snprintf(name, sizeof(name), "ikevti_%s_total", d->name);
		snprintf(help, sizeof(help),
			 "ikevti module counter %s of the device (ikevtictl stats)",
			 d->name);
		prom_header(f, name, "counter", help);
		for (k = 0; k < n; k++)
			prom_sample(f, name, "ifname", devs[k]->ifname,
				    ikevti_stat_value(&devs[k]->stats, d));
	}
}

/* Every device's counters; 0, or 1 when the module cannot be asked. */
static int kernel_part(FILE *f)
{
	struct ikevti_dev_info *info = NULL;
	const struct ikevti_dev_info **ptr = NULL;
	struct ctl_dev *devs = NULL;
	struct ikevti_nl *h = NULL;
	size_t n = 0, got = 0, i;
	char err[256];
	int ret = 1;

	if (ctl_list_devices(&devs, &n, err, sizeof(err)) ||
	    ikevti_nl_open(&h, err, sizeof(err))) {
		fprintf(stderr, "ikevtictl: %s\n", err);
		goto out;
	}
	info = calloc(n + 1, sizeof(*info));
	ptr = calloc(n + 1, sizeof(*ptr));
	if (!info || !ptr)
		goto out;
	for (i = 0; i < n; i++) {
		struct ikevti_devid dev = { .ifname = devs[i].name };

		if (ikevti_dev_get(h, &dev, &info[got]))
			continue;	/* deleted meanwhile */
		if (!info[got].ifname[0])
			snprintf(info[got].ifname, sizeof(info[got].ifname),
				 "%s", devs[i].name);
		ptr[got] = &info[got];
		got++;
	}
	metrics_device(f, ptr, got);
	ret = 0;
out:
	if (h)
		ikevti_nl_close(h);
	free(ptr);
	free(info);
	free(devs);
	return ret;
}

int metrics_run(int argc, char **argv, const char *daemon_socket)
{
	FILE *devnull;
	int r;

	(void)argv;
	if (argc > 0) {
		fprintf(stderr, "ikevtictl: metrics takes no arguments\n");
		return 2;
	}
	r = kernel_part(stdout);
	/* The daemon writes its own samples, ikevtid_up 1 among them. */
	devnull = fopen("/dev/null", "w");
	if (ctl_daemon_request(daemon_socket, "metrics", stdout,
			       devnull ? devnull : stderr)) {
		prom_header(stdout, "ikevtid_up", "gauge",
			    "1 when ikevtid answered on its control socket");
		prom_sample(stdout, "ikevtid_up", NULL, NULL, 0);
	}
	if (devnull)
		fclose(devnull);
	return r;
}
