// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid: IKE SA up and down events.
 *
 * The engine has no callback for "an IKE SA is established / gone", so
 * after each batch of events the daemon compares the SAs that are READY
 * now with those of the last look, by their SPI pair. An SA that appears
 * is "up", one that leaves READY (deleted, expired, dead peer) is
 * "down"; an IKE rekey is therefore the new SA up and then the old one
 * down. Each event is logged with a MESSAGE_ID and structured fields
 * for journald and sent to "ikevtictl monitor".
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ikevtid.h"
#include "ikevti_json.h"
#include "log.h"

/* journalctl MESSAGE_ID=... (Documentation/monitoring.rst). */
#define MSGID_IKE_SA_UP "5e2f86ec9ace42129a2fef18378be674"
#define MSGID_IKE_SA_DOWN "782fc4e1937b46f780853182a2c49457"

struct watched {
	uint64_t spi_i, spi_r;
	unsigned int tunnel_id;
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	char peer[INET6_ADDRSTRLEN];
	char remote_id[IKE_ID_STR_MAX];
};

struct watch {
	struct watched *v;
	size_t n;
	struct ike_sa_status *st;	/* scratch for the engine's list */
	size_t cap;
};

static void peer_addr(const struct ike_path *p, char *buf, size_t len)
{
	const struct sockaddr_storage *ss = &p->remote;
	const void *a = ss->ss_family == AF_INET6
		? (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr
		: (const void *)&((const struct sockaddr_in *)ss)->sin_addr;

	if (!inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

/* ISO 8601 local time with the offset, for the monitor's lines. */
static void wall_time(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char off[8];
	size_t o;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	o = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(off, sizeof(off), "%z", &tm);
	snprintf(buf + o, len - o, ".%03ld%s", ts.tv_nsec / 1000000, off);
}

static void report(struct ikevtid *d, const struct watched *w, bool up)
{
	char spi_i[24], spi_r[24], tid[12], when[40], json[1024], text[700];
	const struct log_field f[] = {
		{ "IKEVTI_IFNAME", w->ifname },
		{ "IKEVTI_PEER", w->peer },
		{ "IKEVTI_REMOTE_ID", w->remote_id },
		{ "IKEVTI_TUNNEL_ID", tid },
		{ "IKEVTI_SPI_I", spi_i },
		{ "IKEVTI_SPI_R", spi_r },
	};
	const char *what = up ? "ike-sa-up" : "ike-sa-down";
	FILE *jf;

	snprintf(spi_i, sizeof(spi_i), "0x%016" PRIx64, w->spi_i);
	snprintf(spi_r, sizeof(spi_r), "0x%016" PRIx64, w->spi_r);
	snprintf(tid, sizeof(tid), "%u", w->tunnel_id);
	log_event(IKE_LOG_NOTICE, up ? MSGID_IKE_SA_UP : MSGID_IKE_SA_DOWN,
		  f, sizeof(f) / sizeof(f[0]), "%s: IKE SA %s with %s",
		  w->ifname, up ? "up" : "down", w->peer);
	wall_time(when, sizeof(when));
	snprintf(text, sizeof(text), "%s %s %s (%u) peer %s id %s spi %s/%s",
		 when, what, w->ifname, w->ifindex, w->peer, w->remote_id,
		 spi_i, spi_r);
	jf = fmemopen(json, sizeof(json), "w");
	if (jf) {
		struct json j;

		json_doc_begin(&j, jf);
		json_str(&j, "time", when);
		json_str(&j, "event", what);
		json_u64(&j, "ifindex", w->ifindex);
		json_str(&j, "ifname", w->ifname);
		json_u64(&j, "tunnel_id", w->tunnel_id);
		json_str(&j, "peer", w->peer);
		json_str(&j, "remote_id", w->remote_id);
		json_spi64(&j, "spi_i", w->spi_i);
		json_spi64(&j, "spi_r", w->spi_r);
		json_obj_end(&j);
		fclose(jf);
		json[strcspn(json, "\n")] = '\0';
	} else {
		snprintf(json, sizeof(json), "{}");
	}
	control_publish(d, text, json);
}

static bool same_sa(const struct watched *w, const struct ike_sa_status *s)
{
	return w->spi_i == s->spi_i && w->spi_r == s->spi_r;
}

static bool is_ready(const struct ike_sa_status *s)
{
	return s->state && !strcmp(s->state, "READY");
}

/* The engine's SAs into w->st; how many, or -1 out of memory. */
static long snapshot(struct ikevtid *d, struct watch *w)
{
	size_t n = ike_engine_ike_sas(d->engine, w->st, w->cap);

	if (n > w->cap) {
		struct ike_sa_status *st = realloc(w->st, n * sizeof(*st));

		if (!st)
			return -1;
		w->st = st;
		w->cap = n;
		n = ike_engine_ike_sas(d->engine, w->st, w->cap);
		if (n > w->cap)
			n = w->cap;
	}
	return (long)n;
}

void watch_update(struct ikevtid *d)
{
	struct watch *w = d->watch;
	struct watched *nv;
	size_t i, k, m = 0;
	long n;

	if (!d->engine)
		return;
	if (!w && !(w = d->watch = calloc(1, sizeof(*w))))
		return;
	n = snapshot(d, w);
	if (n < 0)
		return;
	nv = calloc((size_t)n + 1, sizeof(*nv));
	if (!nv)
		return;
	for (i = 0; i < (size_t)n; i++) {
		const struct ike_sa_status *s = &w->st[i];
		struct watched *e = &nv[m];
		bool known = false;

		if (!is_ready(s))
			continue;
		e->spi_i = s->spi_i;
		e->spi_r = s->spi_r;
		e->tunnel_id = s->tunnel_id;
		e->ifindex = s->ifindex;
		memcpy(e->ifname, s->ifname, sizeof(e->ifname));
		e->ifname[sizeof(e->ifname) - 1] = '\0';
		peer_addr(&s->path, e->peer, sizeof(e->peer));
		snprintf(e->remote_id, sizeof(e->remote_id), "%s",
			 s->remote_id);
		m++;
		for (k = 0; k < w->n && !known; k++)
			known = same_sa(&w->v[k], s);
		if (!known)
			report(d, e, true);
	}
	for (k = 0; k < w->n; k++) {
		bool still = false;

		for (i = 0; i < m && !still; i++)
			still = nv[i].spi_i == w->v[k].spi_i &&
				nv[i].spi_r == w->v[k].spi_r;
		if (!still)
			report(d, &w->v[k], false);
	}
	free(w->v);
	w->v = nv;
	w->n = m;
}

void watch_free(struct ikevtid *d)
{
	if (!d->watch)
		return;
	free(d->watch->v);
	free(d->watch->st);
	free(d->watch);
	d->watch = NULL;
}
