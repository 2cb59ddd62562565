// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid IKE sockets: UDP 500 and 4500, IPv4 and IPv6.
 *
 * The 4500 sockets carry UDP_ENCAP_ESPINUDP: the kernel then hands
 * ESP-in-UDP (first 4 bytes non-zero: an SPI) to the xfrm protocol
 * handler chain, where ikevti claims its SPIs, and drops NAT keepalives;
 * only IKE (4 zero bytes, the non-ESP marker, RFC 3948) reaches us.
 * IP_PKTINFO tells which of our addresses a request came to, so the
 * answer leaves from that same address (a multi-homed gateway must not
 * answer from another one: the peer would drop it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ipsec.h>
#include <linux/xfrm.h>

#include "ikevtid.h"
#include "log.h"

#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif
#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

#define NON_ESP_MARKER_LEN 4
#define IKE_HDR_MIN 28		/* RFC 7296 3.1: the fixed IKE header */
#define RX_BUFLEN 65536

enum { S_V4_500, S_V4_4500, S_V6_500, S_V6_4500, S_N };

struct udp {
	struct io_handler h[S_N];
	struct udp_stats st;
	uint8_t rx[RX_BUFLEN + NON_ESP_MARKER_LEN];
	uint8_t tx[RX_BUFLEN + NON_ESP_MARKER_LEN];
};

static bool sock_is_natt(int i)
{
	return i == S_V4_4500 || i == S_V6_4500;
}

static bool sock_is_v6(int i)
{
	return i == S_V6_500 || i == S_V6_4500;
}

enum udp_class udp_classify(bool natt, const uint8_t *buf, size_t len,
			    size_t *off)
{
	static const uint8_t marker[NON_ESP_MARKER_LEN];

	*off = 0;
	if (natt) {
		if (len == 1 && buf[0] == 0xff)
			return UDP_KEEPALIVE;
		if (len < NON_ESP_MARKER_LEN)
			return UDP_MALFORMED;
		if (memcmp(buf, marker, NON_ESP_MARKER_LEN) != 0)
			return UDP_ESP;	/* an SPI: ESP no one claimed */
		*off = NON_ESP_MARKER_LEN;
	}
	if (len - *off < IKE_HDR_MIN)
		return UDP_MALFORMED;
	return UDP_IKE;
}

/* ---------------------------------------------------------------- */
/* Receiving.                                                         */

/* Our address from IP_PKTINFO / IPV6_PKTINFO, port from the socket. */
static void local_from_cmsg(struct msghdr *mh, bool v6, uint16_t port,
			    struct sockaddr_storage *local)
{
	struct cmsghdr *c;

	memset(local, 0, sizeof(*local));
	if (v6) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)local;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
	} else {
		struct sockaddr_in *s = (struct sockaddr_in *)local;

		s->sin_family = AF_INET;
		s->sin_port = htons(port);
	}
	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (!v6 && c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			((struct sockaddr_in *)local)->sin_addr = pi.ipi_addr;
		} else if (v6 && c->cmsg_level == IPPROTO_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			((struct sockaddr_in6 *)local)->sin6_addr =
				pi.ipi6_addr;
		}
	}
}

static void count_drop(struct udp *u, enum udp_class cls, size_t len,
		       const struct sockaddr_storage *from)
{
	char a[INET6_ADDRSTRLEN] = "?";
	const void *addr = from->ss_family == AF_INET6
		? (const void *)&((const struct sockaddr_in6 *)from)->sin6_addr
		: (const void *)&((const struct sockaddr_in *)from)->sin_addr;

	inet_ntop(from->ss_family, addr, a, sizeof(a));
	switch (cls) {
	case UDP_KEEPALIVE:
		u->st.keepalive++;
		log_debug("NAT keepalive from %s", a);
		break;
	case UDP_ESP:
		u->st.esp++;
		log_debug("ESP from %s reached the IKE socket: SPI not ours",
			  a);
		break;
	default:
		u->st.malformed++;
		log_info("dropped a malformed datagram of %zu bytes from %s",
			 len, a);
		break;
	}
}

/* One datagram; returns false when the socket has nothing left. */
static bool recv_one(struct ikevtid *d, int i)
{
	struct udp *u = d->udp;
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
		struct cmsghdr align;
	} cbuf;
	struct ike_path path;
	struct iovec iov = { u->rx, RX_BUFLEN };
	struct msghdr mh = {
		.msg_name = &path.remote, .msg_namelen = sizeof(path.remote),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
	};
	enum udp_class cls;
	ssize_t n;
	size_t off;

	memset(&path, 0, sizeof(path));
	n = recvmsg(u->h[i].fd, &mh, MSG_DONTWAIT);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_warn("recvmsg: %s", strerror(errno));
		return errno == EINTR;
	}
	if (mh.msg_flags & MSG_TRUNC) {
		u->st.truncated++;
		log_info("dropped a datagram larger than %d bytes", RX_BUFLEN);
		return true;
	}
	cls = udp_classify(sock_is_natt(i), u->rx, (size_t)n, &off);
	if (cls != UDP_IKE) {
		count_drop(u, cls, (size_t)n, &path.remote);
		return true;
	}
	u->st.rx++;
	local_from_cmsg(&mh, sock_is_v6(i),
			sock_is_natt(i) ? IKE_NATT_PORT : IKE_PORT,
			&path.local);
	if (d->engine)
		ike_engine_input(d->engine, &path, u->rx + off,
				 (size_t)n - off, now_ms());
	return true;
}

static void on_readable(struct ikevtid *d, struct io_handler *h,
			uint32_t ev)
{
	int i = (int)(intptr_t)h->arg, budget = 64;

	(void)ev;
	/* A bounded batch: a flood on one socket must not starve others. */
	while (budget-- > 0 && recv_one(d, i))
		;
}

/* ---------------------------------------------------------------- */
/* Sending.                                                           */

static int pick_socket(const struct ike_path *p)
{
	bool v6 = p->remote.ss_family == AF_INET6;
	uint16_t lport = 0;

	if (p->local.ss_family == AF_INET)
		lport = ntohs(((const struct sockaddr_in *)&p->local)->sin_port);
	else if (p->local.ss_family == AF_INET6)
		lport = ntohs(
			((const struct sockaddr_in6 *)&p->local)->sin6_port);
	if (lport == IKE_NATT_PORT)
		return v6 ? S_V6_4500 : S_V4_4500;
	return v6 ? S_V6_500 : S_V4_500;
}

/* Source address as ancillary data; returns the control length. */
static size_t put_source(const struct ike_path *p, bool v6, void *buf,
			 size_t cap)
{
	struct msghdr mh = { .msg_control = buf, .msg_controllen = cap };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	if (p->local.ss_family != (v6 ? AF_INET6 : AF_INET))
		return 0;
	if (v6) {
		struct in6_pktinfo pi = {
			.ipi6_addr = ((const struct sockaddr_in6 *)&p->local)
					     ->sin6_addr,
		};

		if (IN6_IS_ADDR_UNSPECIFIED(&pi.ipi6_addr))
			return 0;
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	} else {
		struct in_pktinfo pi = {
			.ipi_spec_dst = ((const struct sockaddr_in *)&p->local)
						->sin_addr,
		};

		if (pi.ipi_spec_dst.s_addr == htonl(INADDR_ANY))
			return 0;
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	}
}

/* One datagram out of socket i, with the marker on port 4500. */
static int send_on(struct udp *u, int i, const struct ike_path *path,
		   const uint8_t *msg, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	size_t off = sock_is_natt(i) ? NON_ESP_MARKER_LEN : 0;
	struct iovec iov = { u->tx, len + off };
	struct msghdr mh = {
		.msg_name = (void *)&path->remote,
		.msg_namelen = sock_is_v6(i) ? sizeof(struct sockaddr_in6)
					     : sizeof(struct sockaddr_in),
		.msg_iov = &iov, .msg_iovlen = 1,
	};

	if (u->h[i].fd < 0)
		return -EAFNOSUPPORT;
	if (len > RX_BUFLEN)
		return -EMSGSIZE;
	memset(u->tx, 0, off);	/* the non-ESP marker */
	memcpy(u->tx + off, msg, len);
	memset(&cbuf, 0, sizeof(cbuf));
	mh.msg_controllen = put_source(path, sock_is_v6(i), cbuf.buf,
				       sizeof(cbuf.buf));
	mh.msg_control = mh.msg_controllen ? cbuf.buf : NULL;
	if (sendmsg(u->h[i].fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

int udp_send(void *ctx, const struct ike_path *path, const uint8_t *msg,
	     size_t len)
{
	struct ikevtid *d = ctx;
	int r;

	if (!d->udp)
		return -ENOTCONN;	/* start-up failed before the sockets */
	r = send_on(d->udp, pick_socket(path), path, msg, len);
	if (r) {
		d->udp->st.tx_errors++;
		log_info("cannot send an IKE message of %zu bytes: %s", len,
			 strerror(-r));
		return r;
	}
	d->udp->st.tx++;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Opening.                                                           */

/* Let IKE through any xfrm policy of the host (other tunnels' policies
 * must not swallow our negotiation); best effort. */
static void xfrm_bypass(int fd, bool v6)
{
	struct xfrm_userpolicy_info pol;
	int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	int opt = v6 ? IPV6_XFRM_POLICY : IP_XFRM_POLICY;
	int dir;

	for (dir = XFRM_POLICY_IN; dir <= XFRM_POLICY_OUT; dir++) {
		memset(&pol, 0, sizeof(pol));
		pol.action = XFRM_POLICY_ALLOW;
		pol.sel.family = v6 ? AF_INET6 : AF_INET;
		pol.dir = (uint8_t)dir;
		if (setsockopt(fd, level, opt, &pol, sizeof(pol)) < 0)
			log_debug("xfrm bypass policy: %s", strerror(errno));
	}
}

static int sock_options(int fd, int i)
{
	bool v6 = sock_is_v6(i);
	int one = 1, off = IP_PMTUDISC_DONT, encap = UDP_ENCAP_ESPINUDP;

	/* No SO_REUSEADDR: on UDP it would let a second daemon bind the
	 * same ports and steal half of the datagrams. */
	if (v6) {
		/* IPv4 has its own sockets: no mapped addresses here. */
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			       sizeof(one)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			       sizeof(one)) < 0)
			return -1;
		/* Large IKE_AUTH messages with certificates may fragment. */
		off = IPV6_PMTUDISC_DONT;
		setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &off,
			   sizeof(off));
	} else {
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)))
			return -1;
		setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &off, sizeof(off));
	}
	if (sock_is_natt(i) &&
	    setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &encap, sizeof(encap)) < 0)
		return -1;
	xfrm_bypass(fd, v6);
	return 0;
}

static int open_one(int i)
{
	uint16_t port = sock_is_natt(i) ? IKE_NATT_PORT : IKE_PORT;
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (sock_is_v6(i)) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		s->sin6_addr = in6addr_any;
		sl = sizeof(*s);
	} else {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		s->sin_addr.s_addr = htonl(INADDR_ANY);
		sl = sizeof(*s);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	if (sock_options(fd, i) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int udp_open(struct ikevtid *d)
{
	static const char *const what[S_N] = {
		"IPv4 UDP 500", "IPv4 UDP 4500", "IPv6 UDP 500",
		"IPv6 UDP 4500",
	};
	struct udp *u = calloc(1, sizeof(*u));
	int i, fd;

	if (!u)
		return -ENOMEM;
	d->udp = u;
	for (i = 0; i < S_N; i++) {
		u->h[i].fd = -1;
		fd = open_one(i);
		if (fd < 0 && sock_is_v6(i)) {
			/* A host without IPv6 still serves IPv4 peers. */
			log_warn("cannot open %s (%s): no IKE over IPv6",
				 what[i], strerror(-fd));
			continue;
		}
		if (fd < 0) {
			log_err("cannot open %s: %s", what[i], strerror(-fd));
			return fd;
		}
		u->h[i].fd = fd;
		u->h[i].fn = on_readable;
		u->h[i].arg = (void *)(intptr_t)i;
		if (loop_add(d, &u->h[i]))
			return -EIO;
		log_debug("listening on %s", what[i]);
	}
	return 0;
}

void udp_close(struct ikevtid *d)
{
	int i;

	if (!d->udp)
		return;
	for (i = 0; i < S_N; i++) {
		if (d->udp->h[i].fd < 0)
			continue;
		loop_del(d, &d->udp->h[i]);
		close(d->udp->h[i].fd);
	}
	free(d->udp);
	d->udp = NULL;
}

const struct udp_stats *udp_get_stats(const struct ikevtid *d)
{
	static const struct udp_stats none;

	return d->udp ? &d->udp->st : &none;
}

void udp_describe(const struct ikevtid *d, char *buf, size_t len)
{
	static const char *const names[S_N] = {
		"0.0.0.0:500", "0.0.0.0:4500", "[::]:500", "[::]:4500",
	};
	size_t o = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; d->udp && i < S_N && o < len; i++)
		if (d->udp->h[i].fd >= 0)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
					      o ? " " : "", names[i]);
}

/*
 * Ask the kernel rather than guess: a connected datagram socket reports
 * the MTU of its route, PMTU cache included (ip(7) IP_MTU, ipv6(7)
 * IPV6_MTU). Nothing is sent. Only used to decide whether an IKE message
 * needs RFC 7383 fragmentation, so a failure just means "unknown".
 */
unsigned int udp_path_mtu(void *ctx, const struct ike_path *path)
{
	int family = path->remote.ss_family;
	socklen_t alen = family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					      sizeof(struct sockaddr_in);
	socklen_t olen = sizeof(int);
	int fd, mtu = 0;

	(void)ctx;
	if (family != AF_INET && family != AF_INET6)
		return 0;
	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	if (connect(fd, (const struct sockaddr *)&path->remote, alen) ||
	    getsockopt(fd, family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
		       family == AF_INET6 ? IPV6_MTU : IP_MTU, &mtu, &olen))
		mtu = 0;
	close(fd);
	return mtu > 0 ? (unsigned int)mtu : 0;
}
