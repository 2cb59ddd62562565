// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid devices: the ikevti links of this network namespace, followed
 * through rtnetlink (architecture.md decision 7).
 *
 * A dump at start and after every overrun of the monitoring socket gives
 * the full set; RTM_NEWLINK/RTM_DELLINK on RTNLGRP_LINK keep it current
 * in between. libnl-route has no parser for our link kind's
 * IFLA_INFO_DATA, so the link messages are parsed here, with libnl-3's
 * attribute helpers. The monitoring socket is read with recvmsg() so that
 * ENOBUFS (events lost) is seen as such and answered with a resync.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/rtnl.h>
#include <netlink/socket.h>

#include "ikevti_nl.h"
#include "ikevtid.h"
#include "log.h"

#define MON_BUFLEN 32768
#define MON_RCVBUF (1 << 20)

struct rtnl {
	struct nl_sock *mon;		/* RTNLGRP_LINK, non-blocking */
	struct io_handler h;
	struct ike_tunnel_info *tun;	/* sorted by ifindex */
	size_t n, cap;
	bool *seen;			/* during a resync, parallel to tun */
	struct rtnl_stats st;
	uint64_t buf[MON_BUFLEN / sizeof(uint64_t)];
};

/* ---------------------------------------------------------------- */
/* Parsing.                                                           */

static int parse_info_data(const struct nlattr *data,
			   struct ike_tunnel_info *t, char *err,
			   size_t errlen)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, data, rem) {
		int type = nla_type(a);

		if (type == IFLA_IKEVTI_LOCAL && ikevti_nla_addr(a, &t->local))
			goto bad;
		if (type == IFLA_IKEVTI_REMOTE && ikevti_nla_addr(a, &t->remote))
			goto bad;
	}
	return 0;
bad:
	snprintf(err, errlen, "link %u: bad endpoint address length",
		 t->ifindex);
	return -1;
}

/* IFLA_INFO_KIND is a NUL-terminated string; compare it whole. */
static bool kind_is_ikevti(const struct nlattr *a)
{
	size_t want = sizeof(IKEVTI_LINK_KIND) - 1;
	size_t len = (size_t)nla_len(a);

	return len >= want && strnlen(nla_data(a), len) == want &&
	       !memcmp(nla_data(a), IKEVTI_LINK_KIND, want);
}

/* IFLA_LINKINFO: is the kind ours, and our endpoints. */
static int parse_linkinfo(const struct nlattr *li, struct ike_tunnel_info *t,
			  bool *is_ikevti, char *err, size_t errlen)
{
	const struct nlattr *data = NULL;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, li, rem) {
		if (nla_type(a) == IFLA_INFO_KIND)
			*is_ikevti = kind_is_ikevti(a);
		else if (nla_type(a) == IFLA_INFO_DATA)
			data = a;
	}
	if (*is_ikevti && data)
		return parse_info_data(data, t, err, errlen);
	return 0;
}

int rtnl_parse_link(const struct nlmsghdr *nlh, struct ike_tunnel_info *t,
		    bool *is_ikevti, char *err, size_t errlen)
{
	const struct ifinfomsg *ifi;
	struct nlattr *a;
	int rem;

	memset(t, 0, sizeof(*t));
	*is_ikevti = false;
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) {
		snprintf(err, errlen, "not a link message (type %u)",
			 nlh->nlmsg_type);
		return -1;
	}
	if (nlh->nlmsg_len < NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*ifi))) {
		snprintf(err, errlen, "truncated link message");
		return -1;
	}
	ifi = nlmsg_data(nlh);
	if (ifi->ifi_index <= 0) {
		snprintf(err, errlen, "link message without an ifindex");
		return -1;
	}
	t->ifindex = (uint32_t)ifi->ifi_index;
	t->up = (ifi->ifi_flags & IFF_UP) != 0;
	nlmsg_for_each_attr(a, nlh, sizeof(*ifi), rem) {
		if (nla_type(a) == IFLA_IFNAME) {
			size_t n = strnlen(nla_data(a), (size_t)nla_len(a));

			if (n >= sizeof(t->ifname))
				n = sizeof(t->ifname) - 1;
			memcpy(t->ifname, nla_data(a), n);
		} else if (nla_type(a) == IFLA_LINKINFO &&
			   parse_linkinfo(a, t, is_ikevti, err, errlen)) {
			return -1;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* The table of devices.                                              */

static size_t find_pos(const struct rtnl *r, uint32_t ifindex, bool *found)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->tun[mid].ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < r->n && r->tun[lo].ifindex == ifindex;
	return lo;
}

static int grow(struct rtnl *r)
{
	size_t cap = r->cap ? r->cap * 2 : 8;
	struct ike_tunnel_info *t = reallocarray(r->tun, cap, sizeof(*t));
	bool *s;

	if (!t)
		return -1;
	r->tun = t;
	s = reallocarray(r->seen, cap, sizeof(*s));
	if (!s)
		return -1;
	r->seen = s;
	r->cap = cap;
	return 0;
}

static bool same_tunnel(const struct ike_tunnel_info *a,
			const struct ike_tunnel_info *b)
{
	return a->up == b->up && !strcmp(a->ifname, b->ifname) &&
	       a->local.family == b->local.family &&
	       a->remote.family == b->remote.family &&
	       !memcmp(a->local.raw, b->local.raw, sizeof(a->local.raw)) &&
	       !memcmp(a->remote.raw, b->remote.raw, sizeof(a->remote.raw));
}

static void log_tunnel(const char *what, const struct ike_tunnel_info *t)
{
	log_info("device %s (%u) %s, %s", t->ifname, t->ifindex, what,
		 t->up ? "up" : "down");
}

/* A new or changed ikevti device: record it, tell the engine if new. */
static void tunnel_seen(struct ikevtid *d, const struct ike_tunnel_info *t)
{
	struct rtnl *r = d->rtnl;
	bool found;
	size_t pos = find_pos(r, t->ifindex, &found);

	if (found) {
		r->seen[pos] = true;
		if (same_tunnel(&r->tun[pos], t))
			return;	/* counters or carrier: nothing for IKE */
		r->tun[pos] = *t;
		log_tunnel("changed", t);
	} else {
		if (r->n == r->cap && grow(r)) {
			log_err("out of memory: device %s ignored", t->ifname);
			return;
		}
		memmove(&r->tun[pos + 1], &r->tun[pos],
			(r->n - pos) * sizeof(*t));
		memmove(&r->seen[pos + 1], &r->seen[pos],
			(r->n - pos) * sizeof(bool));
		r->tun[pos] = *t;
		r->seen[pos] = true;
		r->n++;
		log_tunnel("found", t);
		/* The module is loaded now if it was not at start. */
		if (!kernel_ready(d))
			kernel_open(d);
	}
	if (d->engine)
		ike_engine_tunnel_update(d->engine, t, now_ms());
}

static void tunnel_gone_at(struct ikevtid *d, size_t pos)
{
	struct rtnl *r = d->rtnl;
	uint32_t ifindex = r->tun[pos].ifindex;

	log_info("device %s (%u) gone", r->tun[pos].ifname, ifindex);
	memmove(&r->tun[pos], &r->tun[pos + 1],
		(r->n - pos - 1) * sizeof(r->tun[0]));
	memmove(&r->seen[pos], &r->seen[pos + 1],
		(r->n - pos - 1) * sizeof(bool));
	r->n--;
	if (d->engine)
		ike_engine_tunnel_gone(d->engine, ifindex, now_ms());
}

static void handle_link(struct ikevtid *d, const struct nlmsghdr *nlh)
{
	struct ike_tunnel_info t;
	bool ours, found;
	char err[128];
	size_t pos;

	d->rtnl->st.messages++;
	if (rtnl_parse_link(nlh, &t, &ours, err, sizeof(err))) {
		d->rtnl->st.malformed++;
		log_info("rtnetlink: %s", err);
		return;
	}
	pos = find_pos(d->rtnl, t.ifindex, &found);
	if (nlh->nlmsg_type == RTM_DELLINK || (!ours && found)) {
		if (found)
			tunnel_gone_at(d, pos);
		return;
	}
	if (ours)
		tunnel_seen(d, &t);
}

/* ---------------------------------------------------------------- */
/* Dump.                                                              */

static int dump_valid(struct nl_msg *msg, void *arg)
{
	handle_link(arg, nlmsg_hdr(msg));
	return NL_OK;
}

static int dump_links(struct ikevtid *d)
{
	struct nl_sock *sk = nl_socket_alloc();
	int r;

	if (!sk)
		return -ENOMEM;
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r >= 0)
		r = nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM,
					dump_valid, d);
	if (r >= 0)
		r = nl_rtgen_request(sk, RTM_GETLINK, AF_UNSPEC, NLM_F_DUMP);
	if (r >= 0)
		r = nl_recvmsgs_default(sk);
	if (r < 0)
		log_err("rtnetlink link dump: %s", nl_geterror(r));
	nl_socket_free(sk);
	return r < 0 ? -EIO : 0;
}

int rtnl_resync(struct ikevtid *d)
{
	struct rtnl *r = d->rtnl;
	size_t i;
	int ret;

	r->st.resyncs++;
	for (i = 0; i < r->n; i++)
		r->seen[i] = false;
	ret = dump_links(d);
	if (ret)
		return ret;	/* keep what we knew rather than drop all */
	for (i = r->n; i-- > 0;)
		if (!r->seen[i])
			tunnel_gone_at(d, i);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Monitoring.                                                        */

static void handle_datagram(struct ikevtid *d, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)d->rtnl->buf;
	int rem = (int)len;

	for (; nlmsg_ok(nlh, rem); nlh = nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type == RTM_NEWLINK ||
		    nlh->nlmsg_type == RTM_DELLINK)
			handle_link(d, nlh);
	}
	if (rem > 0)
		d->rtnl->st.malformed++;
}

static void on_monitor(struct ikevtid *d, struct io_handler *h, uint32_t ev)
{
	struct rtnl *r = d->rtnl;
	int budget = 64;

	(void)ev;
	while (budget-- > 0) {
		struct sockaddr_nl from;
		struct iovec iov = { r->buf, sizeof(r->buf) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t n = recvmsg(h->fd, &mh, MSG_DONTWAIT);

		if (n < 0 && errno == ENOBUFS) {
			log_warn("rtnetlink: link events lost, resyncing");
			rtnl_resync(d);
			continue;
		}
		if (n <= 0)
			return;
		if (from.nl_pid != 0 || (mh.msg_flags & MSG_TRUNC)) {
			r->st.malformed++;
			continue;
		}
		handle_datagram(d, (size_t)n);
	}
}

int rtnl_open(struct ikevtid *d)
{
	struct rtnl *r = calloc(1, sizeof(*r));
	int e;

	if (!r)
		return -ENOMEM;
	d->rtnl = r;
	r->h.fd = -1;
	r->mon = nl_socket_alloc();
	if (!r->mon)
		return -ENOMEM;
	nl_socket_disable_seq_check(r->mon);
	e = nl_connect(r->mon, NETLINK_ROUTE);
	if (e >= 0)
		e = nl_socket_add_membership(r->mon, RTNLGRP_LINK);
	if (e >= 0)
		e = nl_socket_set_nonblocking(r->mon);
	if (e < 0) {
		log_err("rtnetlink: %s", nl_geterror(e));
		return -EIO;
	}
	nl_socket_set_buffer_size(r->mon, MON_RCVBUF, 0);
	r->h.fd = nl_socket_get_fd(r->mon);
	r->h.fn = on_monitor;
	/* Subscribe before the dump: a change in between is not lost. */
	if (loop_add(d, &r->h))
		return -EIO;
	return rtnl_resync(d);
}

void rtnl_close(struct ikevtid *d)
{
	struct rtnl *r = d->rtnl;

	if (!r)
		return;
	if (r->h.fd >= 0)
		loop_del(d, &r->h);
	nl_socket_free(r->mon);
	free(r->tun);
	free(r->seen);
	free(r);
	d->rtnl = NULL;
}

const struct ike_tunnel_info *rtnl_tunnels(const struct ikevtid *d,
					   size_t *n)
{
	*n = d->rtnl ? d->rtnl->n : 0;
	return d->rtnl ? d->rtnl->tun : NULL;
}

const struct rtnl_stats *rtnl_get_stats(const struct ikevtid *d)
{
	static const struct rtnl_stats none;

	return d->rtnl ? &d->rtnl->st : &none;
}
