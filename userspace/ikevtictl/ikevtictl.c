// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtictl: manual SAs and counters of ikevti devices, like
 * "ip xfrm state" for ikevti. Exit status: 0 success, 1 the kernel or
 * the system refused, 2 usage error.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_parse.h"
#include "control_client.h"
#include "devices.h"
#include "globals.h"
#include "ikevti_nl.h"
#include "ikevti_version.h"
#include "print.h"

#define EXIT_USAGE 2

static int fail_kernel(struct ikevti_nl *h, const char *what, int r)
{
	const char *m = ikevti_nl_errmsg(h);

	fprintf(stderr, "ikevtictl: %s: %s%s%s\n", what, strerror(-r),
		m[0] ? ": " : "", m);
	return EXIT_FAILURE;
}

static int check_dev(const char *ifname)
{
	if (if_nametoindex(ifname) == 0) {
		fprintf(stderr, "ikevtictl: device \"%s\" does not exist\n",
			ifname);
		return -1;
	}
	return 0;
}

static void fill_name(struct ikevti_sa_info *sa, const char *ifname)
{
	if (!sa->ifname[0])
		snprintf(sa->ifname, sizeof(sa->ifname), "%s", ifname);
}

struct out {
	bool json;
	size_t count;
	struct json j;		/* {"schema_version":1,"sas":[...]} */
};

static void out_begin(struct out *o, bool json, const char *list)
{
	o->json = json;
	o->count = 0;
	if (json) {
		json_doc_begin(&o->j, stdout);
		json_arr_begin(&o->j, list);
	}
}

static void out_end(struct out *o)
{
	if (o->json)
		json_doc_end(&o->j);
}

static void emit_sa(struct out *o, const struct ikevti_sa_info *sa)
{
	if (o->json) {
		print_sa_json(&o->j, sa);
	} else {
		fputs(o->count ? "\n" : "", stdout);
		print_sa_text(stdout, sa);
	}
	o->count++;
}

/* SAs of one device; -ENODEV is passed up for the caller to judge. */
static int list_dev(struct ikevti_nl *h, const char *ifname, struct out *o)
{
	struct ikevti_devid dev = { .ifname = ifname };
	struct ikevti_sa_info *v;
	size_t n, i;
	int r = ikevti_sa_list(h, &dev, &v, &n);

	if (r)
		return r;
	for (i = 0; i < n; i++) {
		fill_name(&v[i], ifname);
		emit_sa(o, &v[i]);
	}
	free(v);
	return 0;
}

static int cmd_list(struct ikevti_nl *h, const struct ctl_cmd *cmd)
{
	struct out o;
	struct ctl_dev *devs = NULL;
	char err[256];
	size_t n = 0, i;
	int r, ret = 0;

	if (cmd->ifname) {
		if (check_dev(cmd->ifname))
			return EXIT_FAILURE;
	} else if (ctl_list_devices(&devs, &n, err, sizeof(err))) {
		fprintf(stderr, "ikevtictl: %s\n", err);
		return EXIT_FAILURE;
	}
	out_begin(&o, cmd->json, "sas");
	if (cmd->ifname) {
		r = list_dev(h, cmd->ifname, &o);
		if (r)
			ret = fail_kernel(h, "cannot list SAs", r);
	}
	for (i = 0; i < n; i++) {
		r = list_dev(h, devs[i].name, &o);
		if (r && r != -ENODEV)	/* ENODEV: gone meanwhile */
			ret = fail_kernel(h, "cannot list SAs", r);
	}
	out_end(&o);
	free(devs);
	return ret;
}

static int cmd_show(struct ikevti_nl *h, const struct ctl_cmd *cmd,
		    const struct ikevti_devid *dev)
{
	struct ikevti_sa_info sa;
	struct out o;
	int r = ikevti_sa_get(h, dev, cmd->sa.dir, cmd->sa.spi, &sa);

	if (r)
		return fail_kernel(h, "cannot get SA", r);
	fill_name(&sa, cmd->ifname);
	out_begin(&o, cmd->json, "sas");
	emit_sa(&o, &sa);
	out_end(&o);
	return 0;
}

static int cmd_stats(struct ikevti_nl *h, const struct ctl_cmd *cmd,
		     const struct ikevti_devid *dev)
{
	struct ikevti_dev_info info;
	int r = ikevti_dev_get(h, dev, &info);

	if (r)
		return fail_kernel(h, "cannot get device counters", r);
	if (!info.ifname[0])
		snprintf(info.ifname, sizeof(info.ifname), "%s", cmd->ifname);
	if (cmd->json) {
		struct json j;

		json_doc_begin(&j, stdout);
		json_arr_begin(&j, "devices");
		print_dev_json(&j, &info);
		json_doc_end(&j);
	} else {
		print_dev_text(stdout, &info);
	}
	return 0;
}

static int cmd_spi_alloc(struct ikevti_nl *h, const struct ctl_cmd *cmd,
			 const struct ikevti_devid *dev)
{
	uint32_t spi;
	int r = ikevti_spi_alloc(h, dev, cmd->spi_min, cmd->spi_max, &spi);

	if (r)
		return fail_kernel(h, "cannot allocate an SPI", r);
	if (cmd->json) {
		struct json j;

		json_doc_begin(&j, stdout);
		json_str(&j, "ifname", cmd->ifname);
		json_spi32(&j, "spi", spi);
		json_doc_end(&j);
	} else
		printf("0x%08x\n", spi);
	return 0;
}

static int run(struct ikevti_nl *h, const struct ctl_cmd *cmd)
{
	struct ikevti_devid dev = { .ifname = cmd->ifname };
	char what[64];
	int r;

	if (cmd->op == CTL_SA_LIST)
		return cmd_list(h, cmd);
	if (check_dev(cmd->ifname))
		return EXIT_FAILURE;
	switch (cmd->op) {
	case CTL_SA_ADD:
		r = ikevti_sa_new(h, &dev, &cmd->sa);
		return r ? fail_kernel(h, "kernel refused SA", r) : 0;
	case CTL_SA_DEL:
		r = ikevti_sa_del(h, &dev, cmd->sa.dir, cmd->sa.spi);
		return r ? fail_kernel(h, "cannot delete SA", r) : 0;
	case CTL_SA_FLUSH:
		r = ikevti_sa_flush(h, &dev);
		return r ? fail_kernel(h, "cannot flush SAs", r) : 0;
	case CTL_SA_TX:
		r = ikevti_set_tx(h, &dev, cmd->sa.spi);
		snprintf(what, sizeof(what),
			 "cannot make SA 0x%08x the outbound SA", cmd->sa.spi);
		return r ? fail_kernel(h, what, r) : 0;
	case CTL_SA_SHOW:
		return cmd_show(h, cmd, &dev);
	case CTL_SPI_ALLOC:
		return cmd_spi_alloc(h, cmd, &dev);
	case CTL_STATS:
		return cmd_stats(h, cmd, &dev);
	default:
		return EXIT_USAGE;
	}
}

static int usage_error(const char *err)
{
	fprintf(stderr, "ikevtictl: %s\nTry \"ikevtictl help\".\n", err);
	return EXIT_USAGE;
}

static void print_version(bool json)
{
	if (json) {
		struct json j;

		json_doc_begin(&j, stdout);
		json_str(&j, "version", IKEVTI_VERSION);
		json_u64(&j, "genl_version", IKEVTI_GENL_VERSION);
		json_doc_end(&j);
	} else
		printf("ikevtictl %s (ikevti generic netlink version %d)\n",
		       IKEVTI_VERSION, IKEVTI_GENL_VERSION);
}

/* The kernel commands (sa, spi, stats), after the global options. */
static int kernel_command(int argc, char **argv, const struct ctl_globals *g)
{
	struct ikevti_nl *h;
	struct ctl_cmd cmd;
	char err[512];
	int r, i;

	if (ctl_read_key_args(argc, argv, err, sizeof(err))) {
		fprintf(stderr, "ikevtictl: %s\n", err);
		return EXIT_USAGE;
	}
	r = ctl_parse(argc, argv, &cmd, err, sizeof(err));
	/* The keys are in cmd now: erase them from the command line. */
	for (i = 0; i < CTL_MAX_SECRETS; i++)
		if (cmd.secrets[i])
			explicit_bzero(cmd.secrets[i], strlen(cmd.secrets[i]));
	if (r) {
		ctl_cmd_wipe(&cmd);
		return usage_error(err);
	}
	cmd.json = cmd.json || g->json;
	if (cmd.op == CTL_HELP) {
		ctl_cmd_wipe(&cmd);
		fputs(ctl_usage, stdout);
		fputs(ctl_daemon_usage, stdout);
		return 0;
	}
	if (cmd.op == CTL_VERSION) {
		print_version(cmd.json);
		return 0;
	}
	r = ikevti_nl_open(&h, err, sizeof(err));
	if (r) {
		ctl_cmd_wipe(&cmd);
		fprintf(stderr, "ikevtictl: %s\n", err);
		return EXIT_FAILURE;
	}
	r = run(h, &cmd);
	ctl_cmd_wipe(&cmd);
	ikevti_nl_close(h);
	return r;
}

int main(int argc, char **argv)
{
	struct ctl_globals g;
	char err[512];
	int used, r;

	used = ctl_parse_globals(argc - 1, argv + 1, &g, err, sizeof(err));
	if (used < 0)
		return usage_error(err);
	argc -= used + 1;
	argv += used + 1;
	if (g.help) {
		fputs(ctl_usage, stdout);
		fputs(ctl_daemon_usage, stdout);
		return 0;
	}
	if (g.version) {
		print_version(g.json);
		return 0;
	}
	if (argc == 0)
		return usage_error("no command given");
	if (g.netns && ctl_enter_netns(g.netns, err, sizeof(err))) {
		fprintf(stderr, "ikevtictl: %s\n", err);
		return EXIT_FAILURE;
	}
	/* Daemon commands (show crypto, reload...) and monitor first. */
	r = ctl_daemon_dispatch(argc, argv, &g);
	if (r < 0)
		r = kernel_command(argc, argv, &g);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "ikevtictl: write error: %s\n",
			strerror(errno));
		return EXIT_FAILURE;
	}
	return r;
}
