// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid: the IKEv2 daemon of ikevti tunnels, one per network namespace.
 *
 * Usage: ikevtid [-f CONFIG] [-S SOCKET] [-d LEVEL] [-K DIR] [-T] [-t] [-h] [-V]
 *   -f CONFIG  IOS-syntax configuration (default /etc/ikevti/ikevti.conf)
 *   -S SOCKET  control socket for ikevtictl (default
 *              /run/ikevti/ikevtid.sock, created with mode 0600)
 *   -d LEVEL   log level: err, warning, notice (default), info, debug
 *              (debug: the IOS "debug crypto ikev2" vocabulary)
 *   -K DIR     write every SA key to DIR for Wireshark (keylog.h):
 *              for test beds only, announced loudly
 *   -T         create the missing ikevti devices of the interface blocks
 *              (tunnels.h), delete those it created when a block goes
 *   -t         check the configuration and its trustpoints, print every
 *              "FILE:LINE:COL: error: ..." and exit: 0 valid, 1 not
 *   -h         this help (also --help)
 *   -V         the version (also --version)
 *
 * It runs in the foreground and logs to stderr (with "<N>" syslog level
 * prefixes when started by systemd). Once its sockets are bound and the
 * ikevti devices found it logs "ikevtid: ready". Signals: SIGTERM/SIGINT
 * delete every IKE SA (Delete sent to the peers), remove the kernel SAs
 * and exit 0; SIGHUP reloads the configuration (kept unchanged when the
 * new one has an error). Exit status: 0 after SIGTERM/SIGINT, 1 when it
 * cannot start (configuration, trustpoint, socket), 2 on a usage error.
 *
 * Control (ikevtictl, or any client of the unix socket): one request
 * line, the reply, then "OK" or "ERROR: message". Requests: show crypto
 * ikev2 sa [detailed], show crypto ipsec sa [interface NAME], show
 * crypto session, reload, clear crypto session [interface NAME], debug
 * crypto ikev2, undebug all, status; each may end in "json".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikevtid.h"
#include "ikevti_version.h"
#include "keylog.h"
#include "tunnels.h"
#include "log.h"
#include "notify.h"

static const char usage[] =
	"Usage: ikevtid [-f CONFIG] [-S SOCKET] [-d LEVEL] [-K DIR] [-T] [-t] [-h] [-V]\n"
	"  -f CONFIG  configuration file (default " IKEVTID_CONFIG_DEFAULT ")\n"
	"  -S SOCKET  control socket (default " IKEVTID_SOCKET_DEFAULT ")\n"
	"  -d LEVEL   err | warning | notice | info | debug (default notice)\n"
	"  -K DIR     export SA keys for Wireshark into DIR (INSECURE: tests only)\n"
	"  -T         create ikevti devices from the interface blocks\n"
	"  -t         check the configuration and exit (0 valid, 1 errors)\n"
	"  -h, --help     this help\n"
	"  -V, --version  the version\n"
	"Exit status: 0 stopped by SIGTERM/SIGINT (or -t: valid), 1 cannot\n"
	"start (or -t: errors), 2 usage error. See ikevtid(8).\n";

static const struct option long_options[] = {
	{ "config", required_argument, NULL, 'f' },
	{ "socket", required_argument, NULL, 'S' },
	{ "debug", required_argument, NULL, 'd' },
	{ "check", no_argument, NULL, 't' },
	{ "wireshark-keys", required_argument, NULL, 'K' },
	{ "create-tunnels", no_argument, NULL, 'T' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct options {
	const char *config, *socket, *keylog;
	enum ike_log_level level;
	bool check, tunnels;
};

/* 0 to go on, or the exit status + 1 when done (help, usage error). */
static int parse_options(int argc, char **argv, struct options *o)
{
	int c, lvl;

	o->config = IKEVTID_CONFIG_DEFAULT;
	o->socket = IKEVTID_SOCKET_DEFAULT;
	o->level = IKE_LOG_NOTICE;
	o->check = false;
	o->keylog = NULL;
	o->tunnels = false;
	while ((c = getopt_long(argc, argv, "f:S:d:K:TthV", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'f':
			o->config = optarg;
			break;
		case 'S':
			o->socket = optarg;
			break;
		case 'd':
			lvl = log_level_parse(optarg);
			if (lvl < 0) {
				fprintf(stderr, "ikevtid: unknown log level \"%s\"\n%s",
					optarg, usage);
				return 3;
			}
			o->level = (enum ike_log_level)lvl;
			break;
		case 't':
			o->check = true;
			break;
		case 'K':
			o->keylog = optarg;
			break;
		case 'T':
			o->tunnels = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		case 'V':
			printf("ikevtid %s\n", IKEVTI_VERSION);
			return 1;
		default:
			fputs(usage, stderr);
			return 3;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ikevtid: unexpected argument \"%s\"\n%s",
			argv[optind], usage);
		return 3;
	}
	return 0;
}

/* -t: the same checks as a start, then the verdict. */
static int check_only(const struct options *o)
{
	struct cfg_result *res;
	struct pki_store *pki;

	if (config_load(o->config, &res, &pki, stderr, false)) {
		fprintf(stderr, "%s: configuration has errors\n", o->config);
		return 1;
	}
	printf("%s: configuration OK (%zu warnings)\n", o->config,
	       res->n_warnings);
	config_free(res, pki);
	return 0;
}

/* -K: said loudly, at start and in the log, because it gives away
 * every key of every tunnel to whoever reads the directory. */
static int enable_keylog(struct ikevtid *d, const char *dir)
{
	int r = keylog_enable(dir);

	if (r) {
		fprintf(stderr, "ikevtid: -K %s: %s\n", dir, strerror(-r));
		return -1;
	}
	d->keylog_dir = dir;
	log_msg(IKE_LOG_WARNING,
		"WARNING: Wireshark key export is ON: every SA key is written to %s "
		"(esp_sa, ikev2_decryption_table); anyone who reads it can decrypt "
		"the tunnels. Use it on test beds only.", dir);
	return 0;
}

/* Bring every part up in dependency order; 0 or -1. */
static int start(struct ikevtid *d, const struct ike_engine_ops *ops)
{
	char socks[128];
	size_t n;

	if (loop_init(d))
		return -1;
	d->engine = ike_engine_new(ops, d->cfg->model, d->pki);
	if (!d->engine) {
		log_err("cannot create the IKE engine");
		return -1;
	}
	ike_engine_set_log_level(d->engine, d->engine_level);
	if (udp_open(d))
		return -1;
	kernel_open(d);	/* may wait for the first device */
	if (rtnl_open(d))
		return -1;
	/* -T: devices appear through rtnetlink like any other. */
	tunnels_apply(d);
	if (control_open(d))
		return -1;
	rtnl_tunnels(d, &n);
	udp_describe(d, socks, sizeof(socks));
	log_announce("ikevtid: ready (config %s, %zu ikevti device%s, "
		     "IKE on %s, control %s)", d->config_path, n,
		     n == 1 ? "" : "s", socks, d->socket_path);
	loop_notify_ready(d);
	return 0;
}

static void stop(struct ikevtid *d)
{
	if (d->engine) {
		/* Deletes go out while the sockets are still open; the
		 * engine's memory goes after (shutdown does not free it). */
		ike_engine_shutdown(d->engine, now_ms());
		ike_engine_free(d->engine);
		d->engine = NULL;
	}
	watch_free(d);
	control_close(d);
	rtnl_close(d);
	kernel_close(d);
	udp_close(d);
	loop_fini(d);
	config_free(d->cfg, d->pki);
	d->cfg = NULL;
	d->pki = NULL;
}

int main(int argc, char **argv)
{
	static struct ike_engine_ops ops;	/* outlives the engine */
	struct ikevtid d;
	struct options o;
	int r = parse_options(argc, argv, &o);

	if (r)
		return r - 1;
	log_init(o.level);
	if (o.check)
		return check_only(&o);
	memset(&d, 0, sizeof(d));
	d.epfd = d.timer.fd = d.signals.fd = -1;
	d.config_path = o.config;
	d.socket_path = o.socket;
	d.tunnels_from_config = o.tunnels;
	if (o.keylog && enable_keylog(&d, o.keylog))
		return 1;
	d.engine_level = o.level;
	d.start_ms = now_ms();
	if (config_load(o.config, &d.cfg, &d.pki, stderr, false)) {
		fprintf(stderr, "ikevtid: %s has errors: not starting\n",
			o.config);
		return 1;
	}
	kernel_fill_ops(&d, &ops);
	if (start(&d, &ops)) {
		log_err("ikevtid: cannot start");
		stop(&d);
		return 1;
	}
	r = loop_run(&d);
	log_notice("ikevtid: stopping");
	notify_stopping();
	stop(&d);
	return r;
}
