// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid kernel side: the engine's callbacks over libikevti (SPI
 * allocation, SA install/remove/switch, counters) and the module's
 * multicast events turned into engine events.
 *
 * The module may be absent when the daemon starts (the unit can start
 * before the first "ip link add ... type ikevti" loads it): the sockets
 * are then opened when the first device shows up, or on first use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikevti_events.h"
#include "ikevti_nl.h"
#include "ikevtid.h"
#include "keylog.h"
#include "log.h"

struct kernel {
	struct ikevti_nl *nl;		/* requests */
	struct ikevti_events *ev;	/* multicast events */
	struct io_handler h;
	struct kernel_stats st;
	bool warned_absent;
};

static struct kernel *kern(struct ikevtid *d)
{
	if (!d->kernel) {
		d->kernel = calloc(1, sizeof(*d->kernel));
		if (d->kernel)
			d->kernel->h.fd = -1;
	}
	return d->kernel;
}

bool kernel_ready(const struct ikevtid *d)
{
	return d->kernel && d->kernel->nl && d->kernel->ev;
}

/* ---------------------------------------------------------------- */
/* Events.                                                            */

static void to_engine(struct ikevtid *d, const struct ike_kernel_event_info *ev)
{
	if (d->engine)
		ike_engine_kernel_event(d->engine, ev, now_ms());
}

static void on_event(const struct ikevti_event *e, void *arg)
{
	struct ikevtid *d = arg;
	struct ike_kernel_event_info ev = {
		.ifindex = e->ifindex, .dir = e->dir, .spi = e->spi,
	};

	d->kernel->st.events++;
	switch (e->cmd) {
	case IKEVTI_CMD_SA_EXPIRE:
		ev.type = e->hard ? IKE_KEV_HARD_EXPIRE : IKE_KEV_SOFT_EXPIRE;
		log_info("%s: %s lifetime of SA %s 0x%08x reached", e->ifname,
			 e->hard ? "hard" : "soft", ikevti_dir_name(e->dir),
			 e->spi);
		break;
	case IKEVTI_CMD_ACQUIRE:
		ev.type = IKE_KEV_ACQUIRE;
		log_debug("%s: traffic without an outbound SA", e->ifname);
		break;
	case IKEVTI_CMD_NEW_MAPPING:
		ev.type = IKE_KEV_NEW_MAPPING;
		ev.remote = e->remote;
		ev.remote_port = e->encap_dport;
		log_info("%s: peer moved (NAT mapping changed), SA 0x%08x",
			 e->ifname, e->spi);
		break;
	default:
		return;
	}
	to_engine(d, &ev);
}

static bool limit_reached(uint64_t limit, uint64_t value)
{
	return limit && value >= limit;
}

/* Re-derive the expiries an overrun may have cost from one SA's state. */
static void resync_sa(struct ikevtid *d, const struct ikevti_sa_info *sa,
		      uint32_t ifindex)
{
	struct ike_kernel_event_info ev = {
		.ifindex = ifindex, .dir = sa->dir, .spi = sa->spi,
	};

	if (sa->expire_hard ||
	    limit_reached(sa->hard_bytes, sa->stats.bytes) ||
	    limit_reached(sa->hard_packets, sa->stats.packets))
		ev.type = IKE_KEV_HARD_EXPIRE;
	else if (limit_reached(sa->soft_bytes, sa->stats.bytes) ||
		 limit_reached(sa->soft_packets, sa->stats.packets))
		ev.type = IKE_KEV_SOFT_EXPIRE;
	else
		return;
	to_engine(d, &ev);
}

/*
 * Events were lost. Expiries can be read back from the SAs' counters
 * and limits; an acquire from "up, but no outbound SA".
 */
static void resync(struct ikevtid *d)
{
	const struct ike_tunnel_info *t;
	struct ikevti_sa_info *v;
	size_t n, nt, i, j;
	bool has_out;

	d->kernel->st.overruns++;
	t = rtnl_tunnels(d, &nt);
	for (i = 0; i < nt; i++) {
		if (kernel_sa_list(d, t[i].ifindex, &v, &n))
			continue;
		has_out = false;
		for (j = 0; j < n; j++) {
			has_out |= v[j].dir == IKEVTI_DIR_OUT;
			resync_sa(d, &v[j], t[i].ifindex);
		}
		free(v);
		if (t[i].up && !has_out) {
			struct ike_kernel_event_info ev = {
				.type = IKE_KEV_ACQUIRE,
				.ifindex = t[i].ifindex,
			};

			to_engine(d, &ev);
		}
	}
}

static void on_readable(struct ikevtid *d, struct io_handler *h, uint32_t e)
{
	struct kernel *k = d->kernel;
	unsigned long bad = ikevti_events_malformed(k->ev);
	int r;

	(void)h;
	(void)e;
	r = ikevti_events_read(k->ev, on_event, d);
	if (ikevti_events_malformed(k->ev) != bad) {
		k->st.malformed += ikevti_events_malformed(k->ev) - bad;
		log_info("ikevti events: malformed message dropped");
	}
	if (r == -ENOBUFS) {
		log_warn("ikevti events lost (socket overrun): resyncing");
		resync(d);
	} else if (r < 0) {
		k->st.errors++;
		log_warn("ikevti events: %s", strerror(-r));
	}
}

/* ---------------------------------------------------------------- */
/* Sockets.                                                           */

int kernel_open(struct ikevtid *d)
{
	struct kernel *k = kern(d);
	char err[256];
	int r;

	if (!k)
		return -ENOMEM;
	if (!k->nl) {
		r = ikevti_nl_open(&k->nl, err, sizeof(err));
		if (r) {
			if (!k->warned_absent)
				log_warn("%s; waiting for the first device",
					 err);
			k->warned_absent = true;
			return r;
		}
	}
	if (!k->ev) {
		r = ikevti_events_open(&k->ev, err, sizeof(err));
		if (r) {
			log_err("%s", err);
			return r;
		}
		k->h.fd = ikevti_events_fd(k->ev);
		k->h.fn = on_readable;
		loop_add(d, &k->h);
	}
	log_info("ikevti module found (generic netlink version %u)",
		 ikevti_nl_family_version(k->nl));
	return 0;
}

void kernel_close(struct ikevtid *d)
{
	struct kernel *k = d->kernel;

	if (!k)
		return;
	if (k->ev) {
		loop_del(d, &k->h);
		ikevti_events_close(k->ev);
	}
	ikevti_nl_close(k->nl);
	free(k);
	d->kernel = NULL;
}

/* The request socket, opened now if need be; NULL if no module. */
static struct ikevti_nl *nl(struct ikevtid *d)
{
	if (!kernel_ready(d) && kernel_open(d) && !(d->kernel && d->kernel->nl))
		return NULL;
	return d->kernel->nl;
}

const struct kernel_stats *kernel_get_stats(const struct ikevtid *d)
{
	static const struct kernel_stats none;

	return d->kernel ? &d->kernel->st : &none;
}

/* ---------------------------------------------------------------- */
/* The engine's callbacks.                                            */

static int failed(struct ikevtid *d, const char *what, uint32_t ifindex,
		  int r)
{
	const char *m = d->kernel && d->kernel->nl
		? ikevti_nl_errmsg(d->kernel->nl) : "";

	if (d->kernel)
		d->kernel->st.errors++;
	log_warn("%s on ifindex %u: %s%s%s", what, ifindex, strerror(-r),
		 m[0] ? ": " : "", m);
	return r;
}

static int op_spi_alloc(void *ctx, uint32_t ifindex, uint32_t *spi)
{
	struct ikevtid *d = ctx;
	struct ikevti_devid dev = { .ifindex = ifindex };
	struct ikevti_nl *h = nl(d);
	int r;

	if (!h)
		return -ENODEV;
	r = ikevti_spi_alloc(h, &dev, 0, 0, spi);
	return r ? failed(d, "SPI allocation", ifindex, r) : 0;
}

/* ikevtid -K: the SA's keys for Wireshark, with the device's endpoints
 * where the SA leaves them to the device. */
static void export_keys(struct ikevtid *d, uint32_t ifindex,
			const struct ikevti_sa_cfg *cfg)
{
	const struct ike_tunnel_info *t;
	size_t n, i;

	if (!d->keylog_dir)
		return;
	t = rtnl_tunnels(d, &n);
	for (i = 0; i < n; i++)
		if (t[i].ifindex == ifindex)
			break;
	keylog_esp(cfg, i < n ? &t[i].local : NULL,
		   i < n ? &t[i].remote : NULL);
}

static int op_sa_add(void *ctx, uint32_t ifindex,
		     const struct ikevti_sa_cfg *cfg, char *err,
		     size_t errlen)
{
	struct ikevtid *d = ctx;
	struct ikevti_devid dev = { .ifindex = ifindex };
	struct ikevti_nl *h = nl(d);
	int r;

	if (!h) {
		snprintf(err, errlen, "ikevti module not loaded");
		return -ENODEV;
	}
	r = ikevti_sa_new(h, &dev, cfg);
	if (r) {
		snprintf(err, errlen, "%s", ikevti_nl_errmsg(h)[0]
			 ? ikevti_nl_errmsg(h) : strerror(-r));
		return failed(d, "SA install", ifindex, r);
	}
	export_keys(d, ifindex, cfg);
	return 0;
}

static int op_sa_del(void *ctx, uint32_t ifindex, uint8_t dir, uint32_t spi)
{
	struct ikevtid *d = ctx;
	struct ikevti_devid dev = { .ifindex = ifindex };
	struct ikevti_nl *h = nl(d);
	int r;

	if (!h)
		return -ENODEV;
	r = ikevti_sa_del(h, &dev, dir, spi);
	/* Gone already (hard expiry, device deleted): not worth a warning. */
	if (r == -ENOENT || r == -ENODEV)
		return r;
	return r ? failed(d, "SA delete", ifindex, r) : 0;
}

static int op_sa_set_tx(void *ctx, uint32_t ifindex, uint32_t spi)
{
	struct ikevtid *d = ctx;
	struct ikevti_devid dev = { .ifindex = ifindex };
	struct ikevti_nl *h = nl(d);
	int r;

	if (!h)
		return -ENODEV;
	r = ikevti_set_tx(h, &dev, spi);
	return r ? failed(d, "SA switch", ifindex, r) : 0;
}

static int op_sa_stats(void *ctx, uint32_t ifindex, uint8_t dir,
		       uint32_t spi, struct ikevti_stats *st)
{
	struct ikevtid *d = ctx;
	struct ikevti_devid dev = { .ifindex = ifindex };
	struct ikevti_nl *h = nl(d);
	struct ikevti_sa_info sa;
	int r;

	if (!h)
		return -ENODEV;
	r = ikevti_sa_get(h, &dev, dir, spi, &sa);
	if (r)
		return r;
	*st = sa.stats;
	return 0;
}

void kernel_engine_log(void *ctx, enum ike_log_level level, const char *msg)
{
	(void)ctx;
	log_text(level, msg);
}

static uint64_t spi64(const uint8_t s[8])
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | s[i];
	return v;
}

/* The engine's IKE keys go to the Wireshark tables when -K is given
 * (keylog_* do nothing otherwise). */
static void op_ike_keys(void *ctx, const struct ike_keys_info *k)
{
	(void)ctx;
	if (k->version == 1)
		keylog_ikev1(k->spi_i, k->enc_key, k->enc_len);
	else
		keylog_ikev2(spi64(k->spi_i), spi64(k->spi_r), k->encr,
			     k->encr_bits, k->sk_ei, k->sk_er, k->sk_e_len,
			     k->integ, k->sk_ai, k->sk_ar, k->sk_a_len);
}

void kernel_fill_ops(struct ikevtid *d, struct ike_engine_ops *ops)
{
	memset(ops, 0, sizeof(*ops));
	ops->ctx = d;
	ops->send = udp_send;
	ops->spi_alloc = op_spi_alloc;
	ops->sa_add = op_sa_add;
	ops->sa_del = op_sa_del;
	ops->sa_set_tx = op_sa_set_tx;
	ops->sa_stats = op_sa_stats;
	ops->path_mtu = udp_path_mtu;
	ops->log = kernel_engine_log;
	ops->ike_keys = op_ike_keys;
}

int kernel_sa_list(struct ikevtid *d, uint32_t ifindex,
		   struct ikevti_sa_info **v, size_t *n)
{
	struct ikevti_devid dev = { .ifindex = ifindex };
	struct ikevti_nl *h = nl(d);

	*v = NULL;
	*n = 0;
	if (!h)
		return -ENODEV;
	return ikevti_sa_list(h, &dev, v, n);
}

int kernel_dev_get(struct ikevtid *d, uint32_t ifindex,
		   struct ikevti_dev_info *out)
{
	struct ikevti_devid dev = { .ifindex = ifindex };
	struct ikevti_nl *h = nl(d);

	if (!h)
		return -ENODEV;
	return ikevti_dev_get(h, &dev, out);
}
