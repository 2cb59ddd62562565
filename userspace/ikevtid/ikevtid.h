/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtid: the daemon's shared state and the interfaces between its
 * parts. Each part lives in its own file:
 *
 *   main.c     options, start-up, shut-down
 *   loop.c     epoll, the engine's timer (timerfd), signals (signalfd)
 *   udp.c      the IKE sockets (500, 4500; IPv4 and IPv6)
 *   rtnl.c     ikevti devices through rtnetlink
 *   kernel.c   the engine's kernel callbacks (libikevti), module events
 *   control.c  the control socket of ikevtictl
 *   show.c     "show crypto ..." output, text and JSON
 *   reload.c   loading and reloading the configuration
 *   log.c      the log
 *   notify.c   systemd's notification socket (READY=1, STATUS=)
 *   watch.c    IKE SA up/down events (journal, ikevtictl monitor)
 *   keylog.c   opt-in decryption keys for Wireshark (-K DIR)
 *   tunnels.c  opt-in devices from the interface blocks (-T)
 *
 * Everything runs in one thread: the engine is never entered twice.
 */
#ifndef IKEVTID_H
#define IKEVTID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "ikevti_sa.h"

#define IKEVTID_CONFIG_DEFAULT "/etc/ikevti/ikevti.conf"
#define IKEVTID_SOCKET_DEFAULT "/run/ikevti/ikevtid.sock"

struct ikevtid;

/* Something in the epoll set; fn runs when fd is ready. */
struct io_handler {
	int fd;
	void (*fn)(struct ikevtid *d, struct io_handler *h, uint32_t events);
	void *arg;
};

struct udp;
struct rtnl;
struct kernel;
struct control;

struct ikevtid {
	const char *config_path;
	const char *socket_path;
	const char *keylog_dir;		/* -K: Wireshark keys, or NULL */
	bool tunnels_from_config;	/* -T: devices from interface blocks */
	struct cfg_result *cfg;		/* in use by the engine */
	struct pki_store *pki;
	struct ike_engine *engine;
	enum ike_log_level engine_level;

	int epfd;
	struct io_handler timer;	/* timerfd: ike_engine_run_timers */
	struct io_handler signals;	/* signalfd */
	bool stop;
	int exit_code;
	uint64_t start_ms;
	unsigned long reloads, reload_failures;

	struct udp *udp;
	struct rtnl *rtnl;
	struct kernel *kernel;
	struct control *control;
	struct watch *watch;
};

/* Monotonic clock in milliseconds (the engine's time). */
uint64_t now_ms(void);

/* ---- loop.c ---- */
int loop_init(struct ikevtid *d);
void loop_fini(struct ikevtid *d);
int loop_add(struct ikevtid *d, struct io_handler *h);
void loop_del(struct ikevtid *d, struct io_handler *h);
/* Arm the timerfd from ike_engine_next_timer(). */
void loop_rearm(struct ikevtid *d);
/* Run until d->stop; returns d->exit_code. */
int loop_run(struct ikevtid *d);
/* "2 tunnels, 1 IKE SA": systemd's STATUS= and "status". */
void loop_status_line(const struct ikevtid *d, char *buf, size_t len);
/* READY=1 with that status (start, end of a reload). */
void loop_notify_ready(const struct ikevtid *d);

/* ---- udp.c ---- */
enum udp_class {
	UDP_IKE,		/* an IKE message (marker stripped) */
	UDP_KEEPALIVE,		/* RFC 3948 NAT keepalive (0xff) */
	UDP_ESP,		/* ESP the kernel did not take */
	UDP_MALFORMED,
};

struct udp_stats {
	unsigned long rx, tx, tx_errors;
	unsigned long malformed, keepalive, esp, truncated;
};

/* What arrived on a port: for 4500, *off is the marker to skip. */
enum udp_class udp_classify(bool natt, const uint8_t *buf, size_t len,
			    size_t *off);
int udp_open(struct ikevtid *d);
void udp_close(struct ikevtid *d);
/* ike_engine_ops.send. */
/* ops->path_mtu: the kernel's route MTU towards path->remote, 0 unknown. */
unsigned int udp_path_mtu(void *ctx, const struct ike_path *path);
int udp_send(void *ctx, const struct ike_path *path, const uint8_t *msg,
	     size_t len);
const struct udp_stats *udp_get_stats(const struct ikevtid *d);
/* "0.0.0.0:500 [::]:500 ..." for status. */
void udp_describe(const struct ikevtid *d, char *buf, size_t len);

/* ---- rtnl.c ---- */
struct nlmsghdr;
struct rtnl_stats {
	unsigned long messages, malformed, resyncs;
};

/*
 * One RTM_NEWLINK/RTM_DELLINK message: 0 with *t filled and *is_ikevti
 * telling whether its kind is "ikevti" (for DELLINK only ifindex and the
 * name are filled); -1 with err when malformed.
 */
int rtnl_parse_link(const struct nlmsghdr *nlh, struct ike_tunnel_info *t,
		    bool *is_ikevti, char *err, size_t errlen);
int rtnl_open(struct ikevtid *d);
void rtnl_close(struct ikevtid *d);
/* Dump every link, feed the engine, drop the devices that are gone. */
int rtnl_resync(struct ikevtid *d);
/* The ikevti devices known now, sorted by ifindex. */
const struct ike_tunnel_info *rtnl_tunnels(const struct ikevtid *d,
					   size_t *n);
const struct rtnl_stats *rtnl_get_stats(const struct ikevtid *d);

/* ---- kernel.c ---- */
struct kernel_stats {
	unsigned long events, malformed, overruns, errors;
};

/* Open the genl sockets if the module is there now; 0 or -errno. */
int kernel_open(struct ikevtid *d);
void kernel_close(struct ikevtid *d);
bool kernel_ready(const struct ikevtid *d);
/* The engine's callbacks (send and log included), ctx = d. */
void kernel_fill_ops(struct ikevtid *d, struct ike_engine_ops *ops);
/* For show: all SAs / the counters of a device. 0 or -errno. */
int kernel_sa_list(struct ikevtid *d, uint32_t ifindex,
		   struct ikevti_sa_info **v, size_t *n);
int kernel_dev_get(struct ikevtid *d, uint32_t ifindex,
		   struct ikevti_dev_info *out);
const struct kernel_stats *kernel_get_stats(const struct ikevtid *d);
/* The engine's log callback (also used by tests). */
void kernel_engine_log(void *ctx, enum ike_log_level level, const char *msg);

/* ---- control.c ---- */
enum ctl_command {
	CTL_SHOW_IKEV2_SA,
	CTL_SHOW_ISAKMP_SA,
	CTL_SHOW_ISAKMP_POLICY,
	CTL_SHOW_ISAKMP_PROFILE,
	CTL_SHOW_IPSEC_SA,
	CTL_SHOW_SESSION,
	CTL_RELOAD,
	CTL_CLEAR_SESSION,
	CTL_DEBUG,
	CTL_UNDEBUG,
	CTL_STATUS,
	CTL_METRICS,		/* Prometheus text format */
	CTL_EVENTS,		/* a stream: IKE SA up/down as they come */
	/* the last one: fuzz/control.c checks parsed commands against it */
};

struct ctl_request {
	enum ctl_command cmd;
	bool json;
	bool detailed;
	char ifname[IF_NAMESIZE];	/* "" = all */
};

/* One request line (without its newline). 0, or -1 with err. */
int control_parse(const char *line, struct ctl_request *req, char *err,
		  size_t errlen);
int control_open(struct ikevtid *d);
void control_close(struct ikevtid *d);
/* Run a request, write the reply body to out; 0 or -1 with err. */
int control_execute(struct ikevtid *d, const struct ctl_request *req,
		    FILE *out, char *err, size_t errlen);
/* One event line to every "events" subscriber (text or JSON, as each
 * asked); a subscriber that cannot keep up is dropped. */
void control_publish(struct ikevtid *d, const char *text, const char *json);

/* ---- watch.c ---- */
struct watch;
/* After each batch of events: compare the IKE SAs that are READY with
 * the last look, and report each one that came up or went away (log
 * with MESSAGE_ID and fields, "events" subscribers). */
void watch_update(struct ikevtid *d);
void watch_free(struct ikevtid *d);

/* ---- reload.c ---- */

/*
 * Parse path and load its trustpoints. On success 0 with *res and *pki
 * (the caller frees them with config_free); on error -1. Every
 * diagnostic ("FILE:LINE:COL: error: ...", warnings too) is written to
 * diag when not NULL, and logged when log is set.
 */
int config_load(const char *path, struct cfg_result **res,
		struct pki_store **pki, FILE *diag, bool log);
void config_free(struct cfg_result *res, struct pki_store *pki);
/* SIGHUP and "reload": 0, or -1 keeping the old configuration. */
int reload_config(struct ikevtid *d, FILE *diag);

#endif /* IKEVTID_H */
