// SPDX-License-Identifier: GPL-2.0
/*
 * ikevti_events: the module's multicast events on a socket of their own.
 *
 * libnl resolves the family and the "events" group and joins it; the
 * datagrams themselves are read with recvmsg() on the socket's fd,
 * because libnl folds ENOBUFS (a socket overrun, after which the caller
 * must resynchronise) into a generic "out of memory" error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "ikevti_events.h"
#include "ikevti_nl.h"

/* Large enough for a burst of events; the kernel drops beyond it. */
#define EV_RCVBUF (1 << 20)
#define EV_BUFLEN 32768

struct ikevti_events {
	struct nl_sock *sk;
	int family;
	int group;
	unsigned long malformed;
	/* Netlink messages need 4-byte alignment; u64 gives more. */
	uint64_t buf[EV_BUFLEN / sizeof(uint64_t)];
};

const char *ikevti_event_name(uint8_t cmd)
{
	switch (cmd) {
	case IKEVTI_CMD_SA_EXPIRE:
		return "expire";
	case IKEVTI_CMD_ACQUIRE:
		return "acquire";
	case IKEVTI_CMD_NEW_MAPPING:
		return "new-mapping";
	}
	return NULL;
}

/* ---------------------------------------------------------------- */
/* Parsing.                                                           */

static int bad(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "malformed event: %s", what);
	return -EBADMSG;
}

static int parse_stats(const struct nlattr *nest, struct ikevti_event *e)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case IKEVTI_STATS_A_PACKETS:
			if (ikevti_nla_fixed(a, &e->packets, 8))
				return -1;
			break;
		case IKEVTI_STATS_A_BYTES:
			if (ikevti_nla_fixed(a, &e->bytes, 8))
				return -1;
			break;
		}
	}
	return 0;
}

/* One attribute of the IKEVTI_A_SA nest; 0 or -1 (malformed). */
static int parse_sa_attr(const struct nlattr *a, struct ikevti_event *e)
{
	uint8_t hard;

	switch (nla_type(a)) {
	case IKEVTI_SA_A_DIR:
		return ikevti_nla_fixed(a, &e->dir, 1);
	case IKEVTI_SA_A_SPI:
		return ikevti_nla_fixed(a, &e->spi, 4);
	case IKEVTI_SA_A_EXPIRE_HARD:
		if (ikevti_nla_fixed(a, &hard, 1))
			return -1;
		e->hard = hard != 0;
		return 0;
	case IKEVTI_SA_A_STATS:
		return parse_stats(a, e);
	case IKEVTI_SA_A_REMOTE:
		return ikevti_nla_addr(a, &e->remote);
	case IKEVTI_SA_A_ENCAP_SPORT:
		return ikevti_nla_fixed(a, &e->encap_sport, 2);
	case IKEVTI_SA_A_ENCAP_DPORT:
		return ikevti_nla_fixed(a, &e->encap_dport, 2);
	}
	return 0;	/* attributes added later are ignored */
}

/* What each event must carry, beyond the device. */
static int check_complete(const struct ikevti_event *e, bool has_sa,
			  char *err, size_t errlen)
{
	if (!e->ifindex)
		return bad(err, errlen, "no ifindex");
	if (e->cmd == IKEVTI_CMD_ACQUIRE)
		return 0;
	if (!has_sa || !e->spi)
		return bad(err, errlen, "no SA (spi)");
	if (e->dir != IKEVTI_DIR_IN && e->dir != IKEVTI_DIR_OUT)
		return bad(err, errlen, "bad direction");
	if (e->cmd == IKEVTI_CMD_NEW_MAPPING && !e->remote.family)
		return bad(err, errlen, "new mapping without address");
	return 0;
}

int ikevti_event_parse(const struct nlmsghdr *nlh, int family,
		       struct ikevti_event *e, char *err, size_t errlen)
{
	const struct genlmsghdr *g;
	struct nlattr *a, *b;
	bool has_sa = false;
	int rem, rem2;

	memset(e, 0, sizeof(*e));
	if (nlh->nlmsg_type != family)
		return 1;	/* NLMSG_NOOP, NLMSG_ERROR, ...: not ours */
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return bad(err, errlen, "truncated header");
	g = nlmsg_data(nlh);
	if (!ikevti_event_name(g->cmd))
		return 1;	/* a command we do not listen to */
	e->cmd = g->cmd;
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		switch (nla_type(a)) {
		case IKEVTI_A_IFINDEX:
			if (ikevti_nla_fixed(a, &e->ifindex, 4))
				return bad(err, errlen, "ifindex length");
			break;
		case IKEVTI_A_IFNAME:
			ikevti_nla_name(a, e->ifname, sizeof(e->ifname));
			break;
		case IKEVTI_A_SA:
			has_sa = true;
			nla_for_each_nested(b, a, rem2)
				if (parse_sa_attr(b, e))
					return bad(err, errlen,
						   "SA attribute length");
			break;
		}
	}
	return check_complete(e, has_sa, err, errlen);
}

/* ---------------------------------------------------------------- */
/* Socket.                                                            */

static int nl_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	}
	return -EIO;
}

/* Connect, resolve family and group, join, go non-blocking. */
static int setup(struct ikevti_events *ev, char *err, size_t errlen)
{
	int r = genl_connect(ev->sk);

	if (r < 0) {
		snprintf(err, errlen, "cannot open generic netlink socket: %s",
			 nl_geterror(r));
		return nl_to_errno(r);
	}
	ev->family = genl_ctrl_resolve(ev->sk, IKEVTI_GENL_NAME);
	if (ev->family < 0) {
		snprintf(err, errlen,
			 "ikevti module not loaded (generic netlink family '%s' not found)",
			 IKEVTI_GENL_NAME);
		return -ENOENT;
	}
	ev->group = genl_ctrl_resolve_grp(ev->sk, IKEVTI_GENL_NAME,
					  IKEVTI_GENL_MCGRP_EVENTS);
	if (ev->group < 0) {
		snprintf(err, errlen, "ikevti family has no '%s' group",
			 IKEVTI_GENL_MCGRP_EVENTS);
		return -ENOENT;
	}
	r = nl_socket_add_membership(ev->sk, ev->group);
	if (r < 0) {
		snprintf(err, errlen, "cannot join the events group: %s",
			 nl_geterror(r));
		return nl_to_errno(r);
	}
	/* Events are unsolicited: there is no sequence to check. */
	nl_socket_disable_seq_check(ev->sk);
	nl_socket_set_buffer_size(ev->sk, EV_RCVBUF, 0);
	r = nl_socket_set_nonblocking(ev->sk);
	if (r < 0) {
		snprintf(err, errlen, "cannot make the socket non-blocking: %s",
			 nl_geterror(r));
		return nl_to_errno(r);
	}
	return 0;
}

int ikevti_events_open(struct ikevti_events **out, char *err, size_t errlen)
{
	struct ikevti_events *ev;
	int r;

	*out = NULL;
	ev = calloc(1, sizeof(*ev));
	if (!ev) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ev->sk = nl_socket_alloc();
	if (!ev->sk) {
		free(ev);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r = setup(ev, err, errlen);
	if (r) {
		ikevti_events_close(ev);
		return r;
	}
	*out = ev;
	return 0;
}

void ikevti_events_close(struct ikevti_events *ev)
{
	if (!ev)
		return;
	nl_socket_free(ev->sk);
	free(ev);
}

int ikevti_events_fd(const struct ikevti_events *ev)
{
	return nl_socket_get_fd(ev->sk);
}

unsigned long ikevti_events_malformed(const struct ikevti_events *ev)
{
	return ev->malformed;
}

/* Every message of one datagram; returns the number of events. */
static int dispatch(struct ikevti_events *ev, size_t len, ikevti_event_cb cb,
		    void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)ev->buf;
	int rem = (int)len, n = 0;
	struct ikevti_event e;
	char err[128];

	for (; nlmsg_ok(nlh, rem); nlh = nlmsg_next(nlh, &rem)) {
		int r = ikevti_event_parse(nlh, ev->family, &e, err,
					   sizeof(err));

		if (r < 0)
			ev->malformed++;
		if (r)
			continue;
		cb(&e, arg);
		n++;
	}
	if (rem > 0)
		ev->malformed++;	/* trailing garbage */
	return n;
}

int ikevti_events_read(struct ikevti_events *ev, ikevti_event_cb cb,
		       void *arg)
{
	int fd = nl_socket_get_fd(ev->sk), total = 0;

	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = { ev->buf, sizeof(ev->buf) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t len = recvmsg(fd, &mh, MSG_DONTWAIT);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return total;
			return -errno;	/* ENOBUFS: the caller resyncs */
		}
		if (len == 0)
			return total;
		/* Only the kernel may speak for the module; a truncated
		 * datagram cannot be parsed safely. */
		if (from.nl_pid != 0 || (mh.msg_flags & MSG_TRUNC)) {
			ev->malformed++;
			continue;
		}
		total += dispatch(ev, (size_t)len, cb, arg);
	}
}
