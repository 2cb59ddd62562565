// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid control socket: a unix stream socket (mode 0600: it can tear
 * down tunnels) where ikevtictl writes one request line and reads the
 * reply until the daemon closes the connection. The reply is the text
 * (or JSON) of the command followed by a last line "OK" or
 * "ERROR: message".
 *
 * Connections are read without blocking, so a client that connects and
 * says nothing does not stall IKE; the reply is written blocking with a
 * send timeout, as it is produced in one go.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ikevtid.h"
#include "ikevti_version.h"
#include "ikevti_json.h"
#include "ikevti_prom.h"
#include "log.h"
#include "show.h"

#define REQ_MAX 512
#define MAX_CONNS 32
#define MAX_WORDS 8

struct conn {
	struct io_handler h;
	char buf[REQ_MAX];
	size_t len;
	bool subscriber, json;	/* "events": kept open, fed lines */
	struct conn *next;
};

struct control {
	struct io_handler listen;
	struct conn *conns;
	size_t n_conns;
	unsigned long requests, bad_requests;
};

/* ---------------------------------------------------------------- */
/* Parsing a request.                                                 */

static int fail(char *err, size_t errlen, const char *msg, const char *arg)
{
	snprintf(err, errlen, msg, arg ? arg : "");
	return -1;
}

/* "TunnelN" is how IOS names the interface ikevtiN. */
static bool is_ios_tunnel(const char *name)
{
	size_t i;

	if (strncasecmp(name, "Tunnel", 6) || !name[6])
		return false;
	for (i = 6; name[i]; i++)
		if (!isdigit((unsigned char)name[i]))
			return false;
	return true;
}

static int set_ifname(struct ctl_request *req, const char *name, char *err,
		      size_t errlen)
{
	const char *unit = is_ios_tunnel(name) ? name + 6 : NULL;
	size_t len = unit ? strlen(unit) + 6 : strlen(name);

	if (len >= sizeof(req->ifname))
		return fail(err, errlen, "interface name too long%s", NULL);
	/* "TunnelN" is how IOS names the interface ikevtiN. */
	if (unit)
		snprintf(req->ifname, sizeof(req->ifname), "ikevti%s", unit);
	else
		snprintf(req->ifname, sizeof(req->ifname), "%s", name);
	return 0;
}

static bool is(const char *w, const char *kw)
{
	return w && !strcasecmp(w, kw);
}

/* Optional "interface NAME" at w[0]; returns the words used. */
static int opt_interface(char **w, int n, struct ctl_request *req, char *err,
			 size_t errlen)
{
	if (n == 0)
		return 0;
	if (!is(w[0], "interface") || n < 2)
		return fail(err, errlen, "expected \"interface NAME\"%s", NULL);
	if (set_ifname(req, w[1], err, errlen))
		return -1;
	return 2;
}

static int parse_show(char **w, int n, struct ctl_request *req, char *err,
		      size_t errlen)
{
	int used = 0;

	if (n >= 3 && is(w[1], "ikev2") && is(w[2], "sa")) {
		req->cmd = CTL_SHOW_IKEV2_SA;
		used = 3;
		if (n > 3 && (is(w[3], "detailed") || is(w[3], "detail"))) {
			req->detailed = true;
			used++;
		}
	} else if (n >= 3 && is(w[1], "isakmp") && is(w[2], "sa")) {
		req->cmd = CTL_SHOW_ISAKMP_SA;
		used = 3;
		if (n > 3 && (is(w[3], "detailed") || is(w[3], "detail"))) {
			req->detailed = true;
			used++;
		}
	} else if (n == 3 && is(w[1], "isakmp") && is(w[2], "policy")) {
		req->cmd = CTL_SHOW_ISAKMP_POLICY;
		used = 3;
	} else if (n == 3 && is(w[1], "isakmp") && is(w[2], "profile")) {
		req->cmd = CTL_SHOW_ISAKMP_PROFILE;
		used = 3;
	} else if (n >= 3 && is(w[1], "ipsec") && is(w[2], "sa")) {
		req->cmd = CTL_SHOW_IPSEC_SA;
		used = opt_interface(w + 3, n - 3, req, err, errlen);
		if (used < 0)
			return -1;
		used += 3;
	} else if (n >= 2 && is(w[1], "session")) {
		req->cmd = CTL_SHOW_SESSION;
		used = opt_interface(w + 2, n - 2, req, err, errlen);
		if (used < 0)
			return -1;
		used += 2;
	} else {
		return fail(err, errlen,
			    "unknown show command (show crypto ikev2 sa | isakmp sa | isakmp policy | isakmp profile | ipsec sa | session)%s",
			    NULL);
	}
	return used == n ? 0 : fail(err, errlen, "unexpected \"%s\"", w[used]);
}

/* The words after the first, by command; 0 or -1. */
static int parse_words(char **w, int n, struct ctl_request *req, char *err,
		       size_t errlen)
{
	int used;

	if (is(w[0], "show") && n >= 2 && is(w[1], "crypto"))
		return parse_show(w + 1, n - 1, req, err, errlen);
	if (is(w[0], "reload") && n == 1) {
		req->cmd = CTL_RELOAD;
		return 0;
	}
	if (is(w[0], "status") && n == 1) {
		req->cmd = CTL_STATUS;
		return 0;
	}
	if (is(w[0], "metrics") && n == 1) {
		req->cmd = CTL_METRICS;
		return 0;
	}
	if (is(w[0], "events") && n == 1) {
		req->cmd = CTL_EVENTS;
		return 0;
	}
	if (is(w[0], "clear") && n >= 3 && is(w[1], "crypto") &&
	    is(w[2], "session")) {
		req->cmd = CTL_CLEAR_SESSION;
		used = opt_interface(w + 3, n - 3, req, err, errlen);
		if (used < 0)
			return -1;
		return used + 3 == n ? 0
			: fail(err, errlen, "unexpected \"%s\"", w[used + 3]);
	}
	if (is(w[0], "debug") && n == 3 && is(w[1], "crypto") &&
	    (is(w[2], "ikev2") || is(w[2], "isakmp"))) {
		req->cmd = CTL_DEBUG;
		return 0;
	}
	if ((is(w[0], "undebug") && n == 2 && is(w[1], "all")) ||
	    (is(w[0], "no") && n == 3 && is(w[1], "debug") && is(w[2], "all"))) {
		req->cmd = CTL_UNDEBUG;
		return 0;
	}
	return fail(err, errlen, "unknown command \"%s\"", w[0]);
}

int control_parse(const char *line, struct ctl_request *req, char *err,
		  size_t errlen)
{
	char copy[REQ_MAX], *w[MAX_WORDS + 1], *save = NULL, *t;
	const unsigned char *p;
	int n = 0;

	memset(req, 0, sizeof(*req));
	if (strlen(line) >= sizeof(copy))
		return fail(err, errlen, "request too long%s", NULL);
	for (p = (const unsigned char *)line; *p; p++)
		if (!isprint(*p) && *p != '\t')
			return fail(err, errlen,
				    "request contains control bytes%s", NULL);
	strcpy(copy, line);
	for (t = strtok_r(copy, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == MAX_WORDS)
			return fail(err, errlen, "too many words%s", NULL);
		w[n++] = t;
	}
	if (n > 0 && is(w[n - 1], "json")) {
		req->json = true;
		n--;
	}
	if (n == 0)
		return fail(err, errlen, "empty request%s", NULL);
	return parse_words(w, n, req, err, errlen);
}

/* ---------------------------------------------------------------- */
/* Gathering status.                                                  */

struct snapshot {
	struct ike_sa_status *ike;
	size_t n_ike;
	struct ike_child_status *child;
	size_t n_child;
	struct show_iface *ifc;
	size_t n_ifc;
};

/* Ask the engine twice if the first array was too small. */
static int get_ike(const struct ike_engine *e, struct snapshot *s)
{
	size_t cap = 16, n;

	for (;;) {
		s->ike = calloc(cap, sizeof(*s->ike));
		if (!s->ike)
			return -1;
		n = e ? ike_engine_ike_sas(e, s->ike, cap) : 0;
		if (n <= cap) {
			s->n_ike = n;
			return 0;
		}
		free(s->ike);
		cap = n;
	}
}

static int get_children(const struct ike_engine *e, struct snapshot *s)
{
	size_t cap = 32, n;

	for (;;) {
		s->child = calloc(cap, sizeof(*s->child));
		if (!s->child)
			return -1;
		n = e ? ike_engine_child_sas(e, s->child, cap) : 0;
		if (n <= cap) {
			s->n_child = n;
			return 0;
		}
		free(s->child);
		cap = n;
	}
}

/* The IKE SA to show for a device: a READY one over one negotiating. */
static const struct ike_sa_status *ike_for(const struct snapshot *s,
					   uint32_t ifindex)
{
	const struct ike_sa_status *best = NULL;
	size_t i;

	for (i = 0; i < s->n_ike; i++) {
		if (s->ike[i].ifindex != ifindex)
			continue;
		if (!best || (!strcmp(s->ike[i].state, "READY") &&
			      strcmp(best->state, "READY")))
			best = &s->ike[i];
	}
	return best;
}

static void fill_iface(struct ikevtid *d, struct snapshot *s,
		       struct show_iface *x, bool kernel)
{
	struct ikevti_sa_info *v;
	size_t i, n;

	x->ike = ike_for(s, x->tun.ifindex);
	for (i = 0; i < s->n_child && x->n_child < SHOW_MAX_CHILDREN; i++)
		if (s->child[i].ifindex == x->tun.ifindex)
			x->child[x->n_child++] = &s->child[i];
	if (!kernel)
		return;
	if (!kernel_sa_list(d, x->tun.ifindex, &v, &n)) {
		x->sa = v;
		x->n_sa = n;
		x->has_sa_list = true;
	}
	x->has_dev = !kernel_dev_get(d, x->tun.ifindex, &x->dev);
}

static int snapshot_take(struct ikevtid *d, const char *ifname, bool kernel,
			 struct snapshot *s, char *err, size_t errlen)
{
	const struct ike_tunnel_info *t;
	size_t nt, i;

	memset(s, 0, sizeof(*s));
	t = rtnl_tunnels(d, &nt);
	if (get_ike(d->engine, s) || get_children(d->engine, s) ||
	    !(s->ifc = calloc(nt ? nt : 1, sizeof(*s->ifc))))
		return fail(err, errlen, "out of memory%s", NULL);
	for (i = 0; i < nt; i++) {
		if (ifname[0] && strcmp(ifname, t[i].ifname))
			continue;
		s->ifc[s->n_ifc].tun = t[i];
		fill_iface(d, s, &s->ifc[s->n_ifc], kernel);
		s->n_ifc++;
	}
	if (ifname[0] && !s->n_ifc)
		return fail(err, errlen, "no ikevti interface %s", ifname);
	return 0;
}

static void snapshot_free(struct snapshot *s)
{
	size_t i;

	for (i = 0; s->ifc && i < s->n_ifc; i++)
		free((void *)s->ifc[i].sa);
	free(s->ifc);
	free(s->ike);
	free(s->child);
}

/* ---------------------------------------------------------------- */
/* Commands.                                                          */

static int cmd_show(struct ikevtid *d, const struct ctl_request *req,
		    FILE *out, char *err, size_t errlen)
{
	struct snapshot s;
	bool ike_only = req->cmd == CTL_SHOW_IKEV2_SA ||
			req->cmd == CTL_SHOW_ISAKMP_SA;
	int r;

	if (req->cmd == CTL_SHOW_ISAKMP_POLICY) {
		show_isakmp_policy(out, d->cfg->model, req->json);
		return 0;
	}
	if (req->cmd == CTL_SHOW_ISAKMP_PROFILE) {
		show_isakmp_profile(out, d->cfg->model, req->json);
		return 0;
	}
	r = snapshot_take(d, req->ifname, !ike_only, &s, err, errlen);
	if (!r) {
		if (req->cmd == CTL_SHOW_IKEV2_SA)
			show_ikev2_sa(out, s.ike, s.n_ike, req->detailed,
				      req->json);
		else if (req->cmd == CTL_SHOW_ISAKMP_SA)
			show_isakmp_sa(out, s.ike, s.n_ike, req->detailed,
				       req->json);
		else if (req->cmd == CTL_SHOW_IPSEC_SA)
			show_ipsec_sa(out, s.ifc, s.n_ifc, req->json);
		else
			show_session(out, s.ifc, s.n_ifc, req->json);
	}
	snapshot_free(&s);
	return r;
}

static int cmd_clear(struct ikevtid *d, const struct ctl_request *req,
		     FILE *out, char *err, size_t errlen)
{
	const struct ike_tunnel_info *t;
	size_t n, i;

	if (!req->ifname[0]) {
		ike_engine_clear(d->engine, 0, now_ms());
		log_notice("clear crypto session: all tunnels");
		fprintf(out, req->json ? "{\"cleared\":\"all\"}\n" : "");
		return 0;
	}
	t = rtnl_tunnels(d, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(t[i].ifname, req->ifname))
			continue;
		ike_engine_clear(d->engine, t[i].ifindex, now_ms());
		log_notice("clear crypto session: interface %s", t[i].ifname);
		if (req->json) {
			struct json j;

			json_doc_begin(&j, out);
			json_str(&j, "cleared", t[i].ifname);
			json_obj_end(&j);
		}
		return 0;
	}
	return fail(err, errlen, "no ikevti interface %s", req->ifname);
}

static void set_debug(struct ikevtid *d, bool on, FILE *out, bool json)
{
	enum ike_log_level lvl = on ? IKE_LOG_DEBUG : d->engine_level;

	log_set_level(lvl);
	ike_engine_set_log_level(d->engine, lvl);
	log_notice("IKEv2 debugging is %s", on ? "on" : "off");
	if (json) {
		struct json j;

		json_doc_begin(&j, out);
		json_bool(&j, "debug", on);
		json_str(&j, "log_level", log_level_name(lvl));
		json_doc_end(&j);
	} else
		fprintf(out, on ? "IKEv2 default debugging is on\n"
				: "All possible debugging has been turned off\n");
}

static void status_json(struct ikevtid *d, FILE *out, size_t n_ike,
			size_t n_child, const char *socks)
{
	const struct udp_stats *u = udp_get_stats(d);
	const struct rtnl_stats *r = rtnl_get_stats(d);
	const struct kernel_stats *k = kernel_get_stats(d);
	const struct ike_tunnel_info *t;
	struct json j;
	size_t nt, i;

	t = rtnl_tunnels(d, &nt);
	json_doc_begin(&j, out);
	json_str(&j, "version", IKEVTI_VERSION);
	json_u64(&j, "pid", (uint64_t)getpid());
	json_u64(&j, "uptime", (now_ms() - d->start_ms) / 1000);
	json_str(&j, "config", d->config_path);
	json_u64(&j, "reloads", d->reloads);
	json_u64(&j, "reload_failures", d->reload_failures);
	json_str(&j, "log_level", log_level_name(log_get_level()));
	json_bool(&j, "kernel_module", kernel_ready(d));
	json_str(&j, "sockets", socks);
	json_arr_begin(&j, "devices");
	for (i = 0; i < nt; i++) {
		json_obj_begin(&j, NULL);
		json_str(&j, "ifname", t[i].ifname);
		json_u64(&j, "ifindex", t[i].ifindex);
		json_bool(&j, "up", t[i].up);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_u64(&j, "ike_sas", n_ike);
	json_u64(&j, "child_sas", n_child);
	json_obj_begin(&j, "udp");
	json_u64(&j, "rx", u->rx);
	json_u64(&j, "tx", u->tx);
	json_u64(&j, "tx_errors", u->tx_errors);
	json_u64(&j, "malformed", u->malformed);
	json_u64(&j, "keepalive", u->keepalive);
	json_u64(&j, "esp", u->esp);
	json_u64(&j, "truncated", u->truncated);
	json_obj_end(&j);
	json_obj_begin(&j, "rtnl");
	json_u64(&j, "messages", r->messages);
	json_u64(&j, "malformed", r->malformed);
	json_u64(&j, "resyncs", r->resyncs);
	json_obj_end(&j);
	json_obj_begin(&j, "events");
	json_u64(&j, "events", k->events);
	json_u64(&j, "malformed", k->malformed);
	json_u64(&j, "overruns", k->overruns);
	json_u64(&j, "errors", k->errors);
	json_obj_end(&j);
	json_obj_begin(&j, "control");
	json_u64(&j, "requests", d->control->requests);
	json_u64(&j, "bad_requests", d->control->bad_requests);
	json_obj_end(&j);
	json_obj_end(&j);
}

static void status_text(struct ikevtid *d, FILE *out, size_t n_ike,
			size_t n_child, const char *socks)
{
	const struct udp_stats *u = udp_get_stats(d);
	const struct rtnl_stats *r = rtnl_get_stats(d);
	const struct kernel_stats *k = kernel_get_stats(d);
	const struct ike_tunnel_info *t;
	size_t nt, i;

	t = rtnl_tunnels(d, &nt);
	fprintf(out, "ikevtid: running, pid %d, uptime %llu s\n", (int)getpid(),
		(unsigned long long)((now_ms() - d->start_ms) / 1000));
	fprintf(out, "config: %s (reloads %lu, failed %lu)\n", d->config_path,
		d->reloads, d->reload_failures);
	fprintf(out, "log level: %s\n", log_level_name(log_get_level()));
	fprintf(out, "kernel module: %s\n",
		kernel_ready(d) ? "loaded" : "not loaded");
	fprintf(out, "sockets: %s\n", socks);
	fprintf(out, "devices: %zu", nt);
	for (i = 0; i < nt; i++)
		fprintf(out, "%s%s (%u, %s)", i ? ", " : " ", t[i].ifname,
			t[i].ifindex, t[i].up ? "up" : "down");
	fprintf(out, "\nIKE SAs: %zu, child SAs: %zu\n", n_ike, n_child);
	fprintf(out, "udp: rx %lu tx %lu tx-errors %lu malformed %lu "
		"keepalive %lu esp %lu truncated %lu\n", u->rx, u->tx,
		u->tx_errors, u->malformed, u->keepalive, u->esp, u->truncated);
	fprintf(out, "rtnetlink: messages %lu malformed %lu resyncs %lu\n",
		r->messages, r->malformed, r->resyncs);
	fprintf(out, "kernel events: %lu malformed %lu overruns %lu "
		"errors %lu\n", k->events, k->malformed, k->overruns,
		k->errors);
	fprintf(out, "control: requests %lu bad %lu\n", d->control->requests,
		d->control->bad_requests);
}

static int cmd_status(struct ikevtid *d, bool json, FILE *out)
{
	size_t n_ike = d->engine ? ike_engine_ike_sas(d->engine, NULL, 0) : 0;
	size_t n_child = d->engine ? ike_engine_child_sas(d->engine, NULL, 0)
				   : 0;
	char socks[128];

	udp_describe(d, socks, sizeof(socks));
	if (json)
		status_json(d, out, n_ike, n_child, socks);
	else
		status_text(d, out, n_ike, n_child, socks);
	return 0;
}

static void counter(FILE *out, const char *name, const char *help,
		    uint64_t v)
{
	prom_header(out, name, "counter", help);
	prom_sample(out, name, NULL, NULL, v);
}

static void gauge(FILE *out, const char *name, const char *help, uint64_t v)
{
	prom_header(out, name, "gauge", help);
	prom_sample(out, name, NULL, NULL, v);
}

/* The daemon's part of "ikevtictl metrics". */
static void metrics(struct ikevtid *d, FILE *out)
{
	const struct udp_stats *u = udp_get_stats(d);
	const struct kernel_stats *k = kernel_get_stats(d);
	size_t n_dev = 0;

	rtnl_tunnels(d, &n_dev);
	gauge(out, "ikevtid_up", "1 when ikevtid answered on its control socket", 1);
	gauge(out, "ikevtid_tunnels", "ikevti devices the daemon follows", n_dev);
	gauge(out, "ikevtid_ike_sas", "IKE SAs (any state)",
	      ike_engine_ike_sas(d->engine, NULL, 0));
	gauge(out, "ikevtid_child_sas", "child SAs (any state)",
	      ike_engine_child_sas(d->engine, NULL, 0));
	gauge(out, "ikevtid_uptime_seconds", "seconds since the daemon started",
	      (now_ms() - d->start_ms) / 1000);
	counter(out, "ikevtid_reloads_total", "configuration reloads applied",
		d->reloads);
	counter(out, "ikevtid_reload_failures_total",
		"configuration reloads refused (errors in the file)",
		d->reload_failures);
	counter(out, "ikevtid_ike_rx_total", "IKE datagrams received", u->rx);
	counter(out, "ikevtid_ike_tx_total", "IKE datagrams sent", u->tx);
	counter(out, "ikevtid_ike_tx_errors_total", "IKE datagrams not sent",
		u->tx_errors);
	counter(out, "ikevtid_ike_malformed_total",
		"datagrams on the IKE ports that were not IKE", u->malformed);
	counter(out, "ikevtid_kernel_events_total", "module events received",
		k->events);
	counter(out, "ikevtid_kernel_errors_total",
		"module requests that failed", k->errors);
}

int control_execute(struct ikevtid *d, const struct ctl_request *req,
		    FILE *out, char *err, size_t errlen)
{
	switch (req->cmd) {
	case CTL_SHOW_IKEV2_SA:
	case CTL_SHOW_ISAKMP_SA:
	case CTL_SHOW_ISAKMP_POLICY:
	case CTL_SHOW_ISAKMP_PROFILE:
	case CTL_SHOW_IPSEC_SA:
	case CTL_SHOW_SESSION:
		return cmd_show(d, req, out, err, errlen);
	case CTL_RELOAD:
		if (reload_config(d, out))
			return fail(err, errlen,
				    "configuration not reloaded: the old one stays in use%s",
				    NULL);
		return 0;
	case CTL_CLEAR_SESSION:
		return cmd_clear(d, req, out, err, errlen);
	case CTL_DEBUG:
	case CTL_UNDEBUG:
		set_debug(d, req->cmd == CTL_DEBUG, out, req->json);
		return 0;
	case CTL_STATUS:
		return cmd_status(d, req->json, out);
	case CTL_METRICS:
		metrics(d, out);
		return 0;
	case CTL_EVENTS:
		break;	/* a stream, set up by the connection itself */
	}
	return fail(err, errlen, "unknown command%s", NULL);
}

/* ---------------------------------------------------------------- */
/* Connections.                                                       */

static void write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* the client went away: nothing to do */
		s += n;
		len -= (size_t)n;
	}
}

/* Run one request line and send the whole reply. */
static void answer(struct ikevtid *d, int fd, const char *line)
{
	struct control *c = d->control;
	struct ctl_request req;
	char err[256] = "", *body = NULL;
	size_t blen = 0;
	FILE *out = open_memstream(&body, &blen);
	struct timeval tv = { 2, 0 };
	int r;

	c->requests++;
	if (!out) {
		write_all(fd, "ERROR: out of memory\n", 21);
		return;
	}
	r = control_parse(line, &req, err, sizeof(err));
	if (r) {
		c->bad_requests++;
		log_info("control: bad request: %s", err);
	} else {
		log_debug("control: %s", line);
		r = control_execute(d, &req, out, err, sizeof(err));
	}
	fflush(out);
	if (blen && body[blen - 1] != '\n')
		fputc('\n', out);
	if (r)
		fprintf(out, "ERROR: %s\n", err);
	else
		fputs("OK\n", out);
	fclose(out);
	/* Blocking from here on, but never for long. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	write_all(fd, body, blen);
	free(body);
}

static void conn_free(struct ikevtid *d, struct conn *cn)
{
	struct control *c = d->control;
	struct conn **pp;

	for (pp = &c->conns; *pp; pp = &(*pp)->next)
		if (*pp == cn) {
			*pp = cn->next;
			break;
		}
	loop_del(d, &cn->h);
	close(cn->h.fd);
	free(cn);
	c->n_conns--;
}

/* An "events" request turns the connection into a subscription. */
static bool subscribe(struct ikevtid *d, struct conn *cn)
{
	struct ctl_request req;
	char err[128];

	if (control_parse(cn->buf, &req, err, sizeof(err)) ||
	    req.cmd != CTL_EVENTS)
		return false;
	d->control->requests++;
	cn->subscriber = true;
	cn->json = req.json;
	return true;
}

static void on_conn(struct ikevtid *d, struct io_handler *h, uint32_t ev)
{
	struct conn *cn = h->arg;
	char *nl;
	ssize_t n;

	(void)ev;
	n = read(h->fd, cn->buf + cn->len, sizeof(cn->buf) - 1 - cn->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		conn_free(d, cn);
		return;
	}
	if (cn->subscriber) {
		if (n == 0)
			conn_free(d, cn);	/* the monitor went away */
		return;
	}
	cn->len += (size_t)n;
	cn->buf[cn->len] = '\0';
	nl = strchr(cn->buf, '\n');
	if (nl) {
		*nl = '\0';
		if (nl > cn->buf && nl[-1] == '\r')
			nl[-1] = '\0';
	} else if (cn->len == sizeof(cn->buf) - 1) {
		d->control->bad_requests++;
		write_all(h->fd, "ERROR: request too long\n", 24);
		conn_free(d, cn);
		return;
	} else if (n > 0) {
		return;	/* the rest of the line is still to come */
	}
	/* A whole line, or end of file after a line without newline. */
	if (n > 0 && subscribe(d, cn))
		return;
	if (cn->len)
		answer(d, h->fd, cn->buf);
	conn_free(d, cn);
}

void control_publish(struct ikevtid *d, const char *text, const char *json)
{
	struct conn *cn, *next;
	char line[1200];
	size_t len;
	ssize_t w;

	if (!d->control)
		return;
	for (cn = d->control->conns; cn; cn = next) {
		next = cn->next;
		if (!cn->subscriber)
			continue;
		len = (size_t)snprintf(line, sizeof(line), "%s\n",
				       cn->json ? json : text);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		/* Non-blocking: a monitor that stopped reading is dropped
		 * rather than allowed to stall the daemon. */
		w = send(cn->h.fd, line, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w != (ssize_t)len)
			conn_free(d, cn);
	}
}

static void on_accept(struct ikevtid *d, struct io_handler *h, uint32_t ev)
{
	struct control *c = d->control;
	struct conn *cn;
	int fd;

	(void)ev;
	fd = accept4(h->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (c->n_conns >= MAX_CONNS || !(cn = calloc(1, sizeof(*cn)))) {
		write_all(fd, "ERROR: busy\n", 12);
		close(fd);
		return;
	}
	cn->h.fd = fd;
	cn->h.fn = on_conn;
	cn->h.arg = cn;
	if (loop_add(d, &cn->h)) {
		close(fd);
		free(cn);
		return;
	}
	cn->next = c->conns;
	c->conns = cn;
	c->n_conns++;
}

/* Refuse to take the socket of a daemon that is still running. */
static bool socket_in_use(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool used;

	if (fd < 0)
		return false;
	used = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return used;
}

static void make_parent_dir(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		log_warn("cannot create %s: %s", dir, strerror(errno));
}

int control_open(struct ikevtid *d)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct control *c = calloc(1, sizeof(*c));
	mode_t old;
	int fd, r;

	if (!c)
		return -ENOMEM;
	d->control = c;
	c->listen.fd = -1;
	if (strlen(d->socket_path) >= sizeof(sun.sun_path)) {
		log_err("control socket path too long: %s", d->socket_path);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, d->socket_path);
	if (socket_in_use(&sun)) {
		log_err("%s is in use: is another ikevtid running?",
			d->socket_path);
		return -EADDRINUSE;
	}
	make_parent_dir(d->socket_path);
	unlink(d->socket_path);	/* left over by a daemon that died */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	old = umask(0177);	/* 0600 from the start: no window */
	r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (r < 0 || listen(fd, 16) < 0) {
		r = -errno;
		log_err("control socket %s: %s", d->socket_path, strerror(-r));
		close(fd);
		return r;
	}
	c->listen.fd = fd;
	c->listen.fn = on_accept;
	return loop_add(d, &c->listen);
}

void control_close(struct ikevtid *d)
{
	struct control *c = d->control;

	if (!c)
		return;
	while (c->conns)
		conn_free(d, c->conns);
	if (c->listen.fd >= 0) {
		loop_del(d, &c->listen);
		close(c->listen.fd);
		unlink(d->socket_path);
	}
	free(c);
	d->control = NULL;
}
