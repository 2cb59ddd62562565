// SPDX-License-Identifier: GPL-2.0
/*
 * ikevti_nl: requests to the generic netlink family "ikevti".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "ikevti_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct ikevti_nl {
	struct nl_sock *sk;
	int family;
	unsigned int version;
	char errmsg[IKEVTI_ERRMSG_LEN];
};

/* ---------------------------------------------------------------- */
/* Attribute names, for error messages.                               */

static const char *const top_names[] = {
	[IKEVTI_A_IFINDEX] = "ifindex",
	[IKEVTI_A_IFNAME] = "ifname",
	[IKEVTI_A_SA] = "sa",
	[IKEVTI_A_STATS] = "stats",
	[IKEVTI_A_SPI_MIN] = "spi_min",
	[IKEVTI_A_SPI_MAX] = "spi_max",
	[IKEVTI_A_GENERATION] = "generation",
	[IKEVTI_A_PAD] = "pad",
};

static const char *const sa_names[] = {
	[IKEVTI_SA_A_DIR] = "sa.dir",
	[IKEVTI_SA_A_SPI] = "sa.spi",
	[IKEVTI_SA_A_ENC] = "sa.enc",
	[IKEVTI_SA_A_INTEG] = "sa.integ",
	[IKEVTI_SA_A_ENC_KEY] = "sa.enc_key",
	[IKEVTI_SA_A_SALT] = "sa.salt",
	[IKEVTI_SA_A_AUTH_KEY] = "sa.auth_key",
	[IKEVTI_SA_A_REPLAY_WINDOW] = "sa.replay_window",
	[IKEVTI_SA_A_FLAGS] = "sa.flags",
	[IKEVTI_SA_A_LOCAL] = "sa.local",
	[IKEVTI_SA_A_REMOTE] = "sa.remote",
	[IKEVTI_SA_A_ENCAP_SPORT] = "sa.encap_sport",
	[IKEVTI_SA_A_ENCAP_DPORT] = "sa.encap_dport",
	[IKEVTI_SA_A_SEQ] = "sa.seq",
	[IKEVTI_SA_A_SOFT_BYTES] = "sa.soft_bytes",
	[IKEVTI_SA_A_HARD_BYTES] = "sa.hard_bytes",
	[IKEVTI_SA_A_SOFT_PACKETS] = "sa.soft_packets",
	[IKEVTI_SA_A_HARD_PACKETS] = "sa.hard_packets",
	[IKEVTI_SA_A_STATS] = "sa.stats",
	[IKEVTI_SA_A_EXPIRE_HARD] = "sa.expire_hard",
	[IKEVTI_SA_A_PAD] = "sa.pad",
	[IKEVTI_SA_A_NAT_KEEPALIVE] = "sa.nat_keepalive",
};

const char *ikevti_attr_name(int attr, int nested)
{
	const char *const *t = nested ? sa_names : top_names;
	int n = nested ? (int)(sizeof(sa_names) / sizeof(sa_names[0]))
		       : (int)(sizeof(top_names) / sizeof(top_names[0]));

	if (attr <= 0 || attr >= n || !t[attr])
		return nested ? "sa.(unknown)" : "(unknown)";
	return t[attr];
}

/* ---------------------------------------------------------------- */
/* Building requests.                                                 */

struct nl_msg *ikevti_msg_new(int family, uint8_t cmd, int flags,
			      const struct ikevti_devid *dev)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
			 IKEVTI_GENL_VERSION))
		goto fail;
	if (dev && dev->ifindex) {
		if (nla_put_u32(msg, IKEVTI_A_IFINDEX, dev->ifindex))
			goto fail;
	} else if (dev && dev->ifname) {
		if (nla_put_string(msg, IKEVTI_A_IFNAME, dev->ifname))
			goto fail;
	}
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

int ikevti_msg_put_sa_id(struct nl_msg *msg, uint8_t dir, uint32_t spi)
{
	struct nlattr *nest = nla_nest_start(msg, IKEVTI_A_SA | NLA_F_NESTED);

	if (!nest)
		return -ENOMEM;
	if ((dir && nla_put_u8(msg, IKEVTI_SA_A_DIR, dir)) ||
	    nla_put_u32(msg, IKEVTI_SA_A_SPI, spi))
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_sa_optional(struct nl_msg *msg, const struct ikevti_sa_cfg *c)
{
	if (c->has_replay_window &&
	    nla_put_u32(msg, IKEVTI_SA_A_REPLAY_WINDOW, c->replay_window))
		return -1;
	if (c->flags && nla_put_u32(msg, IKEVTI_SA_A_FLAGS, c->flags))
		return -1;
	if (c->local.family &&
	    nla_put(msg, IKEVTI_SA_A_LOCAL, (int)ikevti_addr_len(&c->local),
		    c->local.raw))
		return -1;
	if (c->remote.family &&
	    nla_put(msg, IKEVTI_SA_A_REMOTE, (int)ikevti_addr_len(&c->remote),
		    c->remote.raw))
		return -1;
	if (c->has_encap &&
	    (nla_put_u16(msg, IKEVTI_SA_A_ENCAP_SPORT, c->encap_sport) ||
	     nla_put_u16(msg, IKEVTI_SA_A_ENCAP_DPORT, c->encap_dport)))
		return -1;
	if (c->nat_keepalive &&
	    nla_put_u32(msg, IKEVTI_SA_A_NAT_KEEPALIVE, c->nat_keepalive))
		return -1;
	if (c->has_seq && nla_put_u64(msg, IKEVTI_SA_A_SEQ, c->seq))
		return -1;
	if (c->soft_bytes &&
	    nla_put_u64(msg, IKEVTI_SA_A_SOFT_BYTES, c->soft_bytes))
		return -1;
	if (c->hard_bytes &&
	    nla_put_u64(msg, IKEVTI_SA_A_HARD_BYTES, c->hard_bytes))
		return -1;
	if (c->soft_packets &&
	    nla_put_u64(msg, IKEVTI_SA_A_SOFT_PACKETS, c->soft_packets))
		return -1;
	if (c->hard_packets &&
	    nla_put_u64(msg, IKEVTI_SA_A_HARD_PACKETS, c->hard_packets))
		return -1;
	return 0;
}

int ikevti_msg_put_sa_cfg(struct nl_msg *msg, const struct ikevti_sa_cfg *c)
{
	struct nlattr *nest = nla_nest_start(msg, IKEVTI_A_SA | NLA_F_NESTED);

	if (!nest)
		return -ENOMEM;
	if (nla_put_u8(msg, IKEVTI_SA_A_DIR, c->dir) ||
	    nla_put_u32(msg, IKEVTI_SA_A_SPI, c->spi) ||
	    nla_put_u16(msg, IKEVTI_SA_A_ENC, c->enc) ||
	    nla_put_u16(msg, IKEVTI_SA_A_INTEG, c->integ) ||
	    nla_put(msg, IKEVTI_SA_A_ENC_KEY, (int)c->enc_key_len, c->enc_key))
		return -ENOMEM;
	if (c->salt_len &&
	    nla_put(msg, IKEVTI_SA_A_SALT, (int)c->salt_len, c->salt))
		return -ENOMEM;
	if (c->auth_key_len &&
	    nla_put(msg, IKEVTI_SA_A_AUTH_KEY, (int)c->auth_key_len,
		    c->auth_key))
		return -ENOMEM;
	if (put_sa_optional(msg, c))
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static bool is_key_attr(int type)
{
	return type == IKEVTI_SA_A_ENC_KEY || type == IKEVTI_SA_A_SALT ||
	       type == IKEVTI_SA_A_AUTH_KEY;
}

void ikevti_msg_wipe_keys(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a, *b;
	int rem, rem2;

	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		if (nla_type(a) != IKEVTI_A_SA)
			continue;
		nla_for_each_nested(b, a, rem2)
			if (is_key_attr(nla_type(b)))
				explicit_bzero(nla_data(b), (size_t)nla_len(b));
	}
}

/* ---------------------------------------------------------------- */
/* Parsing replies.                                                   */

static int bad_attr(char *err, size_t errlen, int attr, int nested)
{
	snprintf(err, errlen, "malformed attribute %s in the kernel's reply",
		 ikevti_attr_name(attr, nested));
	return -EBADMSG;
}

/* Attribute readers, shared with the event parser (ikevti_nl.h). */
int ikevti_nla_fixed(const struct nlattr *a, void *out, size_t size)
{
	if ((size_t)nla_len(a) != size)
		return -1;
	memcpy(out, nla_data(a), size);
	return 0;
}

int ikevti_nla_addr(const struct nlattr *a, struct ikevti_addr *out)
{
	int len = nla_len(a);

	memset(out, 0, sizeof(*out));
	if (len == 4)
		out->family = AF_INET;
	else if (len == 16)
		out->family = AF_INET6;
	else
		return -1;
	memcpy(out->raw, nla_data(a), (size_t)len);
	return 0;
}

/* The kernel NUL-terminates names; one without a NUL is cut, not trusted. */
void ikevti_nla_name(const struct nlattr *a, char *out, size_t size)
{
	size_t n = (size_t)nla_len(a);

	if (n >= size)
		n = size - 1;
	memcpy(out, nla_data(a), n);
	out[n] = '\0';
}

int ikevti_parse_stats(struct nlattr *nest, struct ikevti_stats *st,
		       char *err, size_t errlen)
{
	const struct ikevti_stat_desc *d;
	struct nlattr *a;
	uint64_t v;
	int rem;

	memset(st, 0, sizeof(*st));
	nla_for_each_nested(a, nest, rem) {
		d = ikevti_stat_desc_by_attr(nla_type(a));
		if (!d)
			continue;	/* a newer counter: ignore */
		if (ikevti_nla_fixed(a, &v, sizeof(v))) {
			snprintf(err, errlen,
				 "malformed counter %s in the kernel's reply",
				 d->name);
			return -EBADMSG;
		}
		ikevti_stat_set(st, d, v);
	}
	return 0;
}

/* One attribute of IKEVTI_A_SA into sa; 0, or -1 if malformed. */
static int parse_sa_attr(struct nlattr *a, struct ikevti_sa_info *sa,
			 char *err, size_t errlen)
{
	int t = nla_type(a);

	switch (t) {
	case IKEVTI_SA_A_DIR:
		return ikevti_nla_fixed(a, &sa->dir, 1);
	case IKEVTI_SA_A_SPI:
		return ikevti_nla_fixed(a, &sa->spi, 4);
	case IKEVTI_SA_A_ENC:
		return ikevti_nla_fixed(a, &sa->enc, 2);
	case IKEVTI_SA_A_INTEG:
		return ikevti_nla_fixed(a, &sa->integ, 2);
	case IKEVTI_SA_A_REPLAY_WINDOW:
		return ikevti_nla_fixed(a, &sa->replay_window, 4);
	case IKEVTI_SA_A_FLAGS:
		return ikevti_nla_fixed(a, &sa->flags, 4);
	case IKEVTI_SA_A_LOCAL:
		return ikevti_nla_addr(a, &sa->local);
	case IKEVTI_SA_A_REMOTE:
		return ikevti_nla_addr(a, &sa->remote);
	case IKEVTI_SA_A_ENCAP_SPORT:
		return ikevti_nla_fixed(a, &sa->encap_sport, 2);
	case IKEVTI_SA_A_ENCAP_DPORT:
		return ikevti_nla_fixed(a, &sa->encap_dport, 2);
	case IKEVTI_SA_A_NAT_KEEPALIVE:
		return ikevti_nla_fixed(a, &sa->nat_keepalive, 4);
	case IKEVTI_SA_A_SEQ:
		return ikevti_nla_fixed(a, &sa->seq, 8);
	case IKEVTI_SA_A_SOFT_BYTES:
		return ikevti_nla_fixed(a, &sa->soft_bytes, 8);
	case IKEVTI_SA_A_HARD_BYTES:
		return ikevti_nla_fixed(a, &sa->hard_bytes, 8);
	case IKEVTI_SA_A_SOFT_PACKETS:
		return ikevti_nla_fixed(a, &sa->soft_packets, 8);
	case IKEVTI_SA_A_HARD_PACKETS:
		return ikevti_nla_fixed(a, &sa->hard_packets, 8);
	case IKEVTI_SA_A_EXPIRE_HARD: {
		uint8_t v;

		if (ikevti_nla_fixed(a, &v, 1))
			return -1;
		sa->expire_hard = v != 0;
		return 0;
	}
	case IKEVTI_SA_A_STATS:
		if (ikevti_parse_stats(a, &sa->stats, err, errlen))
			return -2;
		return 0;
	}
	return 0;	/* keys are never dumped; newer attributes ignored */
}

int ikevti_parse_sa_reply(struct nlmsghdr *nlh, struct ikevti_sa_info *sa,
			  char *err, size_t errlen)
{
	struct nlattr *a, *b;
	int rem, rem2, r;

	memset(sa, 0, sizeof(*sa));
	if (!genlmsg_valid_hdr(nlh, 0)) {
		snprintf(err, errlen, "truncated reply from the kernel");
		return -EBADMSG;
	}
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		switch (nla_type(a)) {
		case IKEVTI_A_IFINDEX:
			if (ikevti_nla_fixed(a, &sa->ifindex, 4))
				return bad_attr(err, errlen, IKEVTI_A_IFINDEX, 0);
			break;
		case IKEVTI_A_IFNAME:
			ikevti_nla_name(a, sa->ifname, sizeof(sa->ifname));
			break;
		case IKEVTI_A_SA:
			nla_for_each_nested(b, a, rem2) {
				r = parse_sa_attr(b, sa, err, errlen);
				if (r == -2)
					return -EBADMSG;
				if (r)
					return bad_attr(err, errlen,
							nla_type(b), 1);
				if (nla_type(b) < 32)
					sa->present |= 1U << nla_type(b);
			}
			break;
		}
	}
	if (!ikevti_sa_has(sa, IKEVTI_SA_A_SPI)) {
		snprintf(err, errlen, "kernel reply carries no SA");
		return -EBADMSG;
	}
	return 0;
}

int ikevti_parse_dev_reply(struct nlmsghdr *nlh, struct ikevti_dev_info *dev,
			   char *err, size_t errlen)
{
	struct nlattr *a;
	int rem;

	memset(dev, 0, sizeof(*dev));
	if (!genlmsg_valid_hdr(nlh, 0)) {
		snprintf(err, errlen, "truncated reply from the kernel");
		return -EBADMSG;
	}
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		switch (nla_type(a)) {
		case IKEVTI_A_IFINDEX:
			if (ikevti_nla_fixed(a, &dev->ifindex, 4))
				return bad_attr(err, errlen, IKEVTI_A_IFINDEX, 0);
			break;
		case IKEVTI_A_IFNAME:
			ikevti_nla_name(a, dev->ifname, sizeof(dev->ifname));
			break;
		case IKEVTI_A_GENERATION:
			if (ikevti_nla_fixed(a, &dev->generation, 4))
				return bad_attr(err, errlen,
						IKEVTI_A_GENERATION, 0);
			dev->has_generation = true;
			break;
		case IKEVTI_A_STATS:
			if (ikevti_parse_stats(a, &dev->stats, err, errlen))
				return -EBADMSG;
			break;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Extended ACK.                                                      */

/* Which attribute of the request starts at byte offset off? */
static void offset_to_name(const struct nlmsghdr *sent, uint32_t off,
			   char *out, size_t len)
{
	const struct nlattr *a, *b;
	int rem, rem2;

	out[0] = '\0';
	if (!sent || off >= sent->nlmsg_len)
		return;
	nlmsg_for_each_attr(a, sent, GENL_HDRLEN, rem) {
		uint32_t ao = (uint32_t)((const char *)a - (const char *)sent);

		if (ao == off) {
			snprintf(out, len, "%s",
				 ikevti_attr_name(nla_type(a), 0));
			return;
		}
		if (nla_type(a) != IKEVTI_A_SA)
			continue;
		nla_for_each_nested(b, a, rem2) {
			uint32_t bo = (uint32_t)((const char *)b -
						 (const char *)sent);
			if (bo == off) {
				snprintf(out, len, "%s",
					 ikevti_attr_name(nla_type(b), 1));
				return;
			}
		}
	}
}

static void append(char *msg, size_t len, const char *fmt, const char *s)
{
	size_t used = strlen(msg);

	if (used < len)
		snprintf(msg + used, len - used, fmt, s);
}

/* Extended ACK TLVs (NLMSGERR_ATTR_*) into msg[len]. */
static void describe_tlvs(const void *tlvs, size_t tlvlen,
			  const struct nlmsghdr *sent, char *msg, size_t len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	char name[64];

	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)tlvs,
		      (int)tlvlen, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		size_t n = (size_t)nla_len(tb[NLMSGERR_ATTR_MSG]);

		if (n >= len)
			n = len - 1;
		memcpy(msg, nla_data(tb[NLMSGERR_ATTR_MSG]), n);
		msg[n] = '\0';
		msg[strnlen(msg, n)] = '\0';
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == 4) {
		const char *n = ikevti_attr_name(
			(int)nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]),
			tb[NLMSGERR_ATTR_MISS_NEST] != NULL);

		append(msg, len, msg[0] ? " (missing attribute %s)"
					: "missing attribute %s", n);
	}
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) == 4) {
		offset_to_name(sent, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]), name,
			       sizeof(name));
		if (name[0])
			append(msg, len, msg[0] ? " (attribute %s)"
						: "invalid attribute %s", name);
	}
}

int ikevti_describe_error(const struct nlmsghdr *nlh,
			  const struct nlmsghdr *sent, char *msg, size_t len)
{
	const char *payload = (const char *)nlh + NLMSG_HDRLEN;
	size_t plen, off;
	int error;

	msg[0] = '\0';
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
		return -EBADMSG;
	plen = nlh->nlmsg_len - NLMSG_HDRLEN;
	memcpy(&error, payload, sizeof(error));
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump that failed midway: int error, then TLVs. */
		off = NLMSG_ALIGN(sizeof(int));
	} else {
		const struct nlmsgerr *e = (const struct nlmsgerr *)payload;

		if (plen < sizeof(*e))
			return -EBADMSG;
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return error;
			off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
		}
	}
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < plen)
		describe_tlvs(payload + off, plen - off, sent, msg, len);
	return error;
}

/* ---------------------------------------------------------------- */
/* Sending and receiving.                                             */

struct req_ctx {
	struct ikevti_nl *h;
	struct nl_msg *sent;
	int (*parse)(struct nlmsghdr *nlh, void *arg, char *err,
		     size_t errlen);
	void *arg;
	int done;
	int err;	/* negative errno from the kernel or a parser */
};

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct req_ctx *c = arg;
	int r;

	if (!c->parse || c->err)
		return NL_OK;	/* nothing wanted, or draining after error */
	r = c->parse(nlmsg_hdr(msg), c->arg, c->h->errmsg,
		     sizeof(c->h->errmsg));
	if (r < 0)
		c->err = r;
	return NL_OK;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct req_ctx *c = arg;

	(void)msg;
	c->done = 1;
	return NL_STOP;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct req_ctx *c = arg;
	char buf[IKEVTI_ERRMSG_LEN];
	int r = ikevti_describe_error(nlmsg_hdr(msg), nlmsg_hdr(c->sent), buf,
				      sizeof(buf));

	if (r < 0 && !c->err) {
		c->err = r;
		memcpy(c->h->errmsg, buf, sizeof(buf));
	}
	c->done = 1;
	return NL_STOP;
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req_ctx *c = arg;
	/* libnl hands us the payload of the NLMSG_ERROR message. */
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);

	(void)nla;
	c->err = ikevti_describe_error(nlh, nlmsg_hdr(c->sent), c->h->errmsg,
				       sizeof(c->h->errmsg));
	if (c->err >= 0)
		c->err = -EPROTO;
	c->done = 1;
	return NL_STOP;
}

static int nl_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_DUMP_INTR:
		return -EINTR;
	case NLE_PERM:
		return -EPERM;
	case NLE_AGAIN:
		return -EAGAIN;
	}
	return -EIO;
}

/*
 * Send msg (freed here) and wait for the answer; parse is called for each
 * reply message. Keys in msg are wiped once it is sent.
 */
static int request(struct ikevti_nl *h, struct nl_msg *msg,
		   int (*parse)(struct nlmsghdr *, void *, char *, size_t),
		   void *arg)
{
	struct req_ctx c = { .h = h, .sent = msg, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int r;

	h->errmsg[0] = '\0';
	if (!msg)
		return -ENOMEM;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		ikevti_msg_wipe_keys(msg);
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &c);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &c);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &c);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &c);

	r = nl_send_auto(h->sk, msg);
	ikevti_msg_wipe_keys(msg);
	if (r < 0) {
		snprintf(h->errmsg, sizeof(h->errmsg), "netlink send: %s",
			 nl_geterror(r));
		c.err = nl_to_errno(r);
		goto out;
	}
	while (!c.done) {
		r = nl_recvmsgs(h->sk, cb);
		if (r < 0 && !c.done) {
			if (!c.err) {
				snprintf(h->errmsg, sizeof(h->errmsg),
					 "netlink receive: %s", nl_geterror(r));
				c.err = nl_to_errno(r);
			}
			break;
		}
		if (r == -NLE_DUMP_INTR && !c.err)
			c.err = -EINTR;
	}
out:
	nl_cb_put(cb);
	explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	return c.err;
}

/* ---------------------------------------------------------------- */
/* Socket.                                                            */

int ikevti_nl_open(struct ikevti_nl **out, char *err, size_t errlen)
{
	struct ikevti_nl *h;
	struct nl_cache *cache = NULL;
	struct genl_family *fam;
	int one = 1, r;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	h->sk = nl_socket_alloc();
	if (!h->sk) {
		free(h);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r = genl_connect(h->sk);
	if (r < 0) {
		snprintf(err, errlen, "cannot open generic netlink socket: %s",
			 nl_geterror(r));
		r = nl_to_errno(r);
		goto fail;
	}
	/* Best effort: older kernels lack these and still work. */
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
	nl_socket_enable_msg_peek(h->sk);

	r = genl_ctrl_alloc_cache(h->sk, &cache);
	if (r < 0) {
		snprintf(err, errlen, "cannot list generic netlink families: %s",
			 nl_geterror(r));
		r = nl_to_errno(r);
		goto fail;
	}
	fam = genl_ctrl_search_by_name(cache, IKEVTI_GENL_NAME);
	if (!fam) {
		snprintf(err, errlen,
			 "ikevti module not loaded (generic netlink family '%s' not found)",
			 IKEVTI_GENL_NAME);
		r = -ENOENT;
		goto fail;
	}
	h->family = genl_family_get_id(fam);
	h->version = (unsigned int)genl_family_get_version(fam);
	genl_family_put(fam);
	nl_cache_free(cache);
	*out = h;
	return 0;
fail:
	if (cache)
		nl_cache_free(cache);
	nl_socket_free(h->sk);
	free(h);
	return r;
}

void ikevti_nl_close(struct ikevti_nl *h)
{
	if (!h)
		return;
	nl_socket_free(h->sk);
	free(h);
}

const char *ikevti_nl_errmsg(const struct ikevti_nl *h)
{
	return h->errmsg;
}

int ikevti_nl_family_id(const struct ikevti_nl *h)
{
	return h->family;
}

unsigned int ikevti_nl_family_version(const struct ikevti_nl *h)
{
	return h->version;
}

/* ---------------------------------------------------------------- */
/* Requests.                                                          */

static struct nl_msg *req_new(struct ikevti_nl *h, uint8_t cmd, int flags,
			      const struct ikevti_devid *dev)
{
	return ikevti_msg_new(h->family, cmd, flags, dev);
}

int ikevti_sa_new(struct ikevti_nl *h, const struct ikevti_devid *dev,
		  const struct ikevti_sa_cfg *cfg)
{
	struct nl_msg *msg = req_new(h, IKEVTI_CMD_SA_NEW, 0, dev);

	if (msg && ikevti_msg_put_sa_cfg(msg, cfg)) {
		ikevti_msg_wipe_keys(msg);
		explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		msg = NULL;
	}
	return request(h, msg, NULL, NULL);
}

/* SA_DEL, SA_GET and SA_SET_TX all name one SA by (dir, spi). */
static int sa_id_request(struct ikevti_nl *h, int cmd,
			 const struct ikevti_devid *dev, uint8_t dir,
			 uint32_t spi,
			 int (*parse)(struct nlmsghdr *, void *, char *, size_t),
			 void *arg)
{
	struct nl_msg *msg = req_new(h, cmd, 0, dev);

	if (msg && ikevti_msg_put_sa_id(msg, dir, spi)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return request(h, msg, parse, arg);
}

int ikevti_sa_del(struct ikevti_nl *h, const struct ikevti_devid *dev,
		  uint8_t dir, uint32_t spi)
{
	return sa_id_request(h, IKEVTI_CMD_SA_DEL, dev, dir, spi, NULL, NULL);
}

static int parse_one_sa(struct nlmsghdr *nlh, void *arg, char *err,
			size_t errlen)
{
	return ikevti_parse_sa_reply(nlh, arg, err, errlen);
}

int ikevti_sa_get(struct ikevti_nl *h, const struct ikevti_devid *dev,
		  uint8_t dir, uint32_t spi, struct ikevti_sa_info *out)
{
	memset(out, 0, sizeof(*out));
	return sa_id_request(h, IKEVTI_CMD_SA_GET, dev, dir, spi,
			     parse_one_sa, out);
}

int ikevti_sa_flush(struct ikevti_nl *h, const struct ikevti_devid *dev)
{
	return request(h, req_new(h, IKEVTI_CMD_SA_FLUSH, 0, dev), NULL, NULL);
}

struct spi_ctx {
	uint32_t spi;
	int found;
};

static int parse_spi(struct nlmsghdr *nlh, void *arg, char *err,
		     size_t errlen)
{
	struct spi_ctx *c = arg;
	struct ikevti_sa_info sa;
	int r = ikevti_parse_sa_reply(nlh, &sa, err, errlen);

	if (r)
		return r;
	c->spi = sa.spi;
	c->found = 1;
	return 0;
}

int ikevti_spi_alloc(struct ikevti_nl *h, const struct ikevti_devid *dev,
		     uint32_t spi_min, uint32_t spi_max, uint32_t *spi)
{
	struct nl_msg *msg = req_new(h, IKEVTI_CMD_SPI_ALLOC, 0, dev);
	struct spi_ctx c = { 0, 0 };
	int r;

	if (msg && ((spi_min && nla_put_u32(msg, IKEVTI_A_SPI_MIN, spi_min)) ||
		    (spi_max && nla_put_u32(msg, IKEVTI_A_SPI_MAX, spi_max)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	r = request(h, msg, parse_spi, &c);
	if (r)
		return r;
	if (!c.found) {
		snprintf(h->errmsg, sizeof(h->errmsg),
			 "kernel reply carries no SPI");
		return -EBADMSG;
	}
	*spi = c.spi;
	return 0;
}

int ikevti_set_tx(struct ikevti_nl *h, const struct ikevti_devid *dev,
		  uint32_t spi)
{
	return sa_id_request(h, IKEVTI_CMD_SA_SET_TX, dev, IKEVTI_DIR_OUT, spi,
			     NULL, NULL);
}

static int parse_dev(struct nlmsghdr *nlh, void *arg, char *err,
		     size_t errlen)
{
	return ikevti_parse_dev_reply(nlh, arg, err, errlen);
}

int ikevti_dev_get(struct ikevti_nl *h, const struct ikevti_devid *dev,
		   struct ikevti_dev_info *out)
{
	memset(out, 0, sizeof(*out));
	return request(h, req_new(h, IKEVTI_CMD_DEV_GET, 0, dev), parse_dev,
		       out);
}

struct list_ctx {
	struct ikevti_sa_info *v;
	size_t n, cap;
};

static int parse_list(struct nlmsghdr *nlh, void *arg, char *err,
		      size_t errlen)
{
	struct list_ctx *c = arg;
	int r;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct ikevti_sa_info *v = reallocarray(c->v, cap, sizeof(*v));

		if (!v) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		c->v = v;
		c->cap = cap;
	}
	r = ikevti_parse_sa_reply(nlh, &c->v[c->n], err, errlen);
	if (r)
		return r;
	c->n++;
	return 0;
}

int ikevti_sa_list(struct ikevti_nl *h, const struct ikevti_devid *dev,
		   struct ikevti_sa_info **out, size_t *n)
{
	struct list_ctx c;
	int tries, r = -EINTR;

	*out = NULL;
	*n = 0;
	for (tries = 0; tries < 8 && r == -EINTR; tries++) {
		memset(&c, 0, sizeof(c));
		r = request(h, req_new(h, IKEVTI_CMD_SA_GET, NLM_F_DUMP, dev),
			    parse_list, &c);
		if (r) {
			free(c.v);
			continue;
		}
		*out = c.v;
		*n = c.n;
	}
	if (r == -EINTR && !h->errmsg[0])
		snprintf(h->errmsg, sizeof(h->errmsg),
			 "SA set kept changing during the dump");
	return r;
}

int ikevti_sa_dump(struct ikevti_nl *h, const struct ikevti_devid *dev,
		   ikevti_sa_cb cb, void *arg)
{
	struct ikevti_sa_info *v;
	size_t n, i;
	int r = ikevti_sa_list(h, dev, &v, &n);

	for (i = 0; !r && i < n; i++)
		r = cb(&v[i], arg);
	free(v);
	return r;
}
