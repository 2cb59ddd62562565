// SPDX-License-Identifier: GPL-2.0
/*
 * nl_validate: checks the validation of the "ikevti" generic netlink
 * family with raw NETLINK_GENERIC messages, malformed on purpose.
 *
 *   nl_validate IKEVTI_DEV OTHER_DEV
 *
 * IKEVTI_DEV is an existing ikevti device (its SAs are flushed), OTHER_DEV
 * any device of another kind (e.g. lo). Prints KTAP; exit 0 when every
 * case passed, 1 otherwise, 4 (skip) when the family is not registered.
 *
 * Every refused command must come back with the expected errno and an
 * extended ACK message, and must not change the SA set.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ikevti.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK	11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK	10
#endif

/* enum nlmsgerr_attrs (Linux 6.0+), numbered here for older headers. */
#define EXTACK_MISS_TYPE	5
#define EXTACK_MISS_NEST	6

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define BUF_SIZE	32768
#define MAX_NEST	4
#define MAX_SAS		64
#define NOBODY		65534

/* ---- netlink plumbing ------------------------------------------------- */

struct nl {
	int fd;
	uint32_t seq;
	uint16_t family;
};

struct msg {
	union {
		struct nlmsghdr nlh;
		uint8_t buf[BUF_SIZE];
	};
	size_t nest[MAX_NEST];
	int depth;
	bool overflow;
};

/* What came back for one request. */
struct sa_info {
	uint8_t dir;
	uint32_t spi;
	uint16_t enc;
	uint32_t replay_window, flags;
	bool has_dir, has_spi, has_enc, has_window, has_flags;
	bool has_secret;	/* ENC_KEY, SALT or AUTH_KEY */
};

struct reply {
	int err;		/* 0 or a negative errno */
	char extack[256];	/* NLMSGERR_ATTR_MSG, "" when none */
	bool has_miss;		/* NLMSGERR_ATTR_MISS_TYPE: what is missing */
	uint32_t miss_type;
	char ext_desc[320];	/* both, for the diagnostics */
	int n_sa;		/* SAs in the replies (a dump: all of them) */
	struct sa_info sa[MAX_SAS];
	bool has_generation;
	uint32_t generation;
	bool dump_intr;
};

static void msg_init(struct msg *m, uint16_t type, uint16_t flags, uint8_t cmd,
		     uint8_t reserved)
{
	struct genlmsghdr *g;

	memset(&m->nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = NLMSG_DATA(&m->nlh);
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : IKEVTI_GENL_VERSION;
	g->reserved = reserved;
	m->depth = 0;
	m->overflow = false;
}

static void put_attr(struct msg *m, uint16_t type, const void *data,
		     size_t len)
{
	size_t off = m->nlh.nlmsg_len;
	struct nlattr *a = (struct nlattr *)(m->buf + off);

	if (off + NLA_ALIGN(NLA_HDRLEN + len) > sizeof(m->buf) ||
	    NLA_HDRLEN + len > 0xffff) {
		m->overflow = true;
		return;
	}
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	memset((uint8_t *)a + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(NLA_HDRLEN + len) - NLA_HDRLEN - len);
	m->nlh.nlmsg_len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void put_u8(struct msg *m, uint16_t type, uint8_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_u16(struct msg *m, uint16_t type, uint16_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	put_attr(m, type, s, strlen(s) + 1);
}

static void nest_start(struct msg *m, uint16_t type)
{
	if (m->depth >= MAX_NEST) {
		m->overflow = true;
		return;
	}
	m->nest[m->depth++] = m->nlh.nlmsg_len;
	put_attr(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m)
{
	struct nlattr *a;

	if (m->depth <= 0) {
		m->overflow = true;
		return;
	}
	a = (struct nlattr *)(m->buf + m->nest[--m->depth]);
	a->nla_len = (uint16_t)(m->nlh.nlmsg_len - m->nest[m->depth]);
}

/* Walk the attributes in [p, p + len). */
#define for_each_attr(a, p, len)					\
	for (a = (struct nlattr *)(p);					\
	     (uint8_t *)a + NLA_HDRLEN <= (uint8_t *)(p) + (len) &&	\
	     a->nla_len >= NLA_HDRLEN &&				\
	     (uint8_t *)a + a->nla_len <= (uint8_t *)(p) + (len);	\
	     a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len)))

static void *attr_data(struct nlattr *a)
{
	return (uint8_t *)a + NLA_HDRLEN;
}

static size_t attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static bool attr_u32(struct nlattr *a, uint32_t *v)
{
	if (attr_len(a) != sizeof(*v))
		return false;
	memcpy(v, attr_data(a), sizeof(*v));
	return true;
}

static int nl_open(struct nl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };
	int one = 1;

	nl->seq = (uint32_t)time(NULL);
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one,
		       sizeof(one)) < 0 ||
	    setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
		       sizeof(one)) < 0 ||
	    setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		int err = -errno;

		close(nl->fd);
		nl->fd = -1;
		return err;
	}
	return 0;
}

/*
 * The extended ACK: a message, or (GENL_REQ_ATTR_CHECK and friends) the
 * type of a missing attribute.
 */
static void parse_ext_ack(struct reply *r, void *tlvs, size_t len)
{
	struct nlattr *a;

	for_each_attr(a, tlvs, len) {
		size_t n = attr_len(a);

		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (n >= sizeof(r->extack))
				n = sizeof(r->extack) - 1;
			memcpy(r->extack, attr_data(a), n);
			r->extack[n] = '\0';
			break;
		case EXTACK_MISS_TYPE:
			r->has_miss = attr_u32(a, &r->miss_type);
			break;
		}
	}
}

/* The extack for diagnostics: "message" [missing attribute N]. */
static const char *ext(struct reply *r)
{
	int n = snprintf(r->ext_desc, sizeof(r->ext_desc), "extack \"%s\"",
			 r->extack);

	if (r->has_miss && n > 0 && (size_t)n < sizeof(r->ext_desc))
		snprintf(r->ext_desc + n, sizeof(r->ext_desc) - (size_t)n,
			 " [missing attribute type %u]", r->miss_type);
	return r->ext_desc;
}

static void parse_sa(struct reply *r, void *p, size_t len)
{
	struct sa_info *s;
	struct nlattr *a;

	if (r->n_sa >= MAX_SAS)
		return;
	s = &r->sa[r->n_sa++];
	memset(s, 0, sizeof(*s));
	for_each_attr(a, p, len) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case IKEVTI_SA_A_DIR:
			if (attr_len(a) == 1) {
				s->dir = *(uint8_t *)attr_data(a);
				s->has_dir = true;
			}
			break;
		case IKEVTI_SA_A_SPI:
			s->has_spi = attr_u32(a, &s->spi);
			break;
		case IKEVTI_SA_A_ENC:
			if (attr_len(a) == 2) {
				memcpy(&s->enc, attr_data(a), 2);
				s->has_enc = true;
			}
			break;
		case IKEVTI_SA_A_REPLAY_WINDOW:
			s->has_window = attr_u32(a, &s->replay_window);
			break;
		case IKEVTI_SA_A_FLAGS:
			s->has_flags = attr_u32(a, &s->flags);
			break;
		case IKEVTI_SA_A_ENC_KEY:
		case IKEVTI_SA_A_SALT:
		case IKEVTI_SA_A_AUTH_KEY:
			s->has_secret = true;
			break;
		}
	}
}

static void parse_ikevti(struct reply *r, struct nlmsghdr *h)
{
	size_t len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	struct nlattr *a;

	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return;
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		r->dump_intr = true;
	for_each_attr(a, (uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN, len) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case IKEVTI_A_SA:
			parse_sa(r, attr_data(a), attr_len(a));
			break;
		case IKEVTI_A_GENERATION:
			r->has_generation = attr_u32(a, &r->generation);
			break;
		}
	}
}

/* For CTRL_CMD_GETFAMILY: the family id. */
static void parse_ctrl(struct nl *nl, struct nlmsghdr *h)
{
	size_t len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	struct nlattr *a;

	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return;
	for_each_attr(a, (uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN, len)
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID &&
		    attr_len(a) == 2)
			memcpy(&nl->family, attr_data(a), 2);
}

/*
 * Send m and read until its ACK (or, for a dump, NLMSG_DONE). Returns 0
 * when a complete answer was read (r->err then says how the kernel
 * answered), or a negative errno for a local failure.
 */
static int nl_talk(struct nl *nl, struct msg *m, struct reply *r)
{
	static uint8_t buf[BUF_SIZE];
	bool dump = m->nlh.nlmsg_flags & NLM_F_DUMP;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	uint32_t seq = ++nl->seq;

	memset(r, 0, sizeof(*r));
	if (m->overflow || m->depth)
		return -EMSGSIZE;
	m->nlh.nlmsg_seq = seq;
	if (sendto(nl->fd, m->buf, m->nlh.nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;

	for (;;) {
		ssize_t n = recv(nl->fd, buf, sizeof(buf), MSG_TRUNC);
		struct nlmsghdr *h;
		size_t left;

		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if ((size_t)n > sizeof(buf))
			return -EMSGSIZE;
		left = (size_t)n;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, left);
		     h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				size_t off = sizeof(*e);

				if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
					return -EBADMSG;
				r->err = e->error;
				if (!(h->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				if ((h->nlmsg_flags & NLM_F_ACK_TLVS) &&
				    NLMSG_HDRLEN + off <= h->nlmsg_len)
					parse_ext_ack(r, (uint8_t *)e + off,
						      h->nlmsg_len -
						      NLMSG_HDRLEN - off);
				return 0;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(err))
					memcpy(&err, NLMSG_DATA(h), sizeof(err));
				r->err = err;
				if ((h->nlmsg_flags & NLM_F_ACK_TLVS) &&
				    h->nlmsg_len > NLMSG_HDRLEN + sizeof(err))
					parse_ext_ack(r, (uint8_t *)NLMSG_DATA(h)
						      + sizeof(err),
						      h->nlmsg_len -
						      NLMSG_HDRLEN - sizeof(err));
				if (dump)
					return 0;
				continue;
			}
			if (h->nlmsg_type == GENL_ID_CTRL)
				parse_ctrl(nl, h);
			else if (h->nlmsg_type == nl->family)
				parse_ikevti(r, h);
		}
	}
}

/* Resolve the family id: 0, or a negative errno (-ENOENT: not there). */
static int resolve_family(struct nl *nl)
{
	struct msg *m = calloc(1, sizeof(*m));
	struct reply *r = calloc(1, sizeof(*r));
	int err;

	if (!m || !r) {
		free(m);
		free(r);
		return -ENOMEM;
	}
	nl->family = 0;
	msg_init(m, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0);
	put_str(m, CTRL_ATTR_FAMILY_NAME, IKEVTI_GENL_NAME);
	err = nl_talk(nl, m, r);
	if (!err)
		err = r->err;
	if (!err && !nl->family)
		err = -ENOENT;
	free(m);
	free(r);
	return err;
}

/* ---- requests --------------------------------------------------------- */

/* One request; the defaults make a valid inbound AES-GCM-128 SA_NEW. */
struct req {
	uint8_t cmd;
	uint16_t nl_flags;
	uint8_t genl_reserved;
	bool no_dev, no_sa, no_dir, no_spi, no_enc, no_key, no_salt;
	uint32_t ifindex;	/* the ikevti device unless set */
	const char *ifname;	/* name the device instead */
	uint8_t dir;
	uint32_t spi;
	size_t spi_len;		/* 4 unless set */
	uint16_t enc;
	size_t key_len, salt_len;
	long long replay_window, flags;	/* -1: leave out */
	uint16_t top_extra, sa_extra;	/* unknown attribute types, 0: none */
	bool spi_range;
	uint32_t spi_min, spi_max;
};

struct ctx {
	struct nl nl;
	uint32_t ifindex, other_ifindex;
	const char *ifname, *other_name;
	uint32_t spi_in, spi_out, spi_out2;
	int n_sa_after_good;		/* SAs after the valid SA_NEW */
	bool has_generation;
	uint32_t generation;
	struct msg m;
	struct reply r;
};

static struct req sa_new(const struct ctx *c, uint8_t dir, uint32_t spi)
{
	struct req q = {
		.cmd = IKEVTI_CMD_SA_NEW, .dir = dir, .spi = spi,
		.enc = IKEVTI_ENC_AES_GCM_16, .key_len = 16, .salt_len = 4,
		.replay_window = dir == IKEVTI_DIR_IN ? 32 : -1, .flags = -1,
		.ifindex = c->ifindex,
	};

	return q;
}

static struct req sa_ref(const struct ctx *c, uint8_t cmd, uint8_t dir,
			 uint32_t spi)
{
	struct req q = {
		.cmd = cmd, .dir = dir, .spi = spi, .ifindex = c->ifindex,
		.no_enc = true, .no_key = true, .no_salt = true,
		.replay_window = -1, .flags = -1,
	};

	return q;
}

static struct req dev_only(const struct ctx *c, uint8_t cmd)
{
	struct req q = sa_ref(c, cmd, 0, 0);

	q.no_sa = true;
	return q;
}

static int run(struct ctx *c, const struct req *q)
{
	struct msg *m = &c->m;
	uint8_t key[1024];
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0xa0 + i);
	msg_init(m, c->nl.family, q->nl_flags, q->cmd, q->genl_reserved);
	if (!q->no_dev) {
		if (q->ifname)
			put_str(m, IKEVTI_A_IFNAME, q->ifname);
		else
			put_u32(m, IKEVTI_A_IFINDEX, q->ifindex);
	}
	if (q->top_extra)
		put_u32(m, q->top_extra, 0);
	if (q->spi_range) {
		put_u32(m, IKEVTI_A_SPI_MIN, q->spi_min);
		put_u32(m, IKEVTI_A_SPI_MAX, q->spi_max);
	}
	if (!q->no_sa) {
		nest_start(m, IKEVTI_A_SA);
		if (!q->no_dir)
			put_u8(m, IKEVTI_SA_A_DIR, q->dir);
		if (!q->no_spi)
			put_attr(m, IKEVTI_SA_A_SPI, &q->spi,
				 q->spi_len ? q->spi_len : 4);
		if (!q->no_enc)
			put_u16(m, IKEVTI_SA_A_ENC, q->enc);
		if (!q->no_key)
			put_attr(m, IKEVTI_SA_A_ENC_KEY, key,
				 q->key_len < sizeof(key) ? q->key_len
							  : sizeof(key));
		if (!q->no_salt)
			put_attr(m, IKEVTI_SA_A_SALT, key + 64, q->salt_len);
		if (q->replay_window >= 0)
			put_u32(m, IKEVTI_SA_A_REPLAY_WINDOW,
				(uint32_t)q->replay_window);
		if (q->flags >= 0)
			put_u32(m, IKEVTI_SA_A_FLAGS, (uint32_t)q->flags);
		if (q->sa_extra)
			put_u32(m, q->sa_extra, 0);
		nest_end(m);
	}
	return nl_talk(&c->nl, m, &c->r);
}

/* Dump the device's SAs into c->r; 0 or a negative errno. */
static int dump(struct ctx *c)
{
	struct req q = dev_only(c, IKEVTI_CMD_SA_GET);
	int err;

	q.nl_flags = NLM_F_DUMP;
	err = run(c, &q);
	return err ? err : c->r.err;
}

/* ---- results ---------------------------------------------------------- */

enum result { PASS, FAIL, SKIP };

static char why[512];

static enum result failf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return FAIL;
}

static const char *errname(int err)
{
	static char other[32];

	switch (-err) {
	case 0: return "success";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EMSGSIZE: return "EMSGSIZE";
	case ENOSPC: return "ENOSPC";
	case EBUSY: return "EBUSY";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	}
	snprintf(other, sizeof(other), "errno %d", -err);
	return other;
}

/* A successful request. */
static enum result expect_ok(struct ctx *c, const struct req *q)
{
	int err = run(c, q);

	if (err)
		return failf("local error %s", errname(err));
	if (c->r.err)
		return failf("got %s, %s", errname(c->r.err),
			     ext(&c->r));
	return PASS;
}

/*
 * A refused request: one of the errnos (0-terminated list; none given:
 * any errno) and an extack message, unless it is EPERM from the genl core.
 */
static enum result expect_err_list(struct ctx *c, const struct req *q,
				   const int *want)
{
	int err = run(c, q), i;
	bool match = !want[0];

	if (err)
		return failf("local error %s", errname(err));
	for (i = 0; want[i]; i++)
		if (c->r.err == -want[i])
			match = true;
	if (!c->r.err || !match)
		return failf("got %s, %s", errname(c->r.err),
			     ext(&c->r));
	printf("# %s, %s\n", errname(c->r.err), ext(&c->r));
	if (!c->r.extack[0] && !c->r.has_miss && c->r.err != -EPERM)
		return failf("%s but no extack message", errname(c->r.err));
	return PASS;
}

#define expect_err(c, q, ...) \
	expect_err_list(c, q, (const int[]){ __VA_ARGS__, 0 })

static struct sa_info *find_sa(struct reply *r, uint8_t dir, uint32_t spi)
{
	int i;

	for (i = 0; i < r->n_sa; i++)
		if (r->sa[i].has_dir && r->sa[i].dir == dir &&
		    r->sa[i].has_spi && r->sa[i].spi == spi)
			return &r->sa[i];
	return NULL;
}

/* ---- the cases -------------------------------------------------------- */

static enum result t_new_valid(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in);

	return expect_ok(c, &q);
}

static enum result t_get(struct ctx *c)
{
	struct req q = sa_ref(c, IKEVTI_CMD_SA_GET, IKEVTI_DIR_IN, c->spi_in);
	struct sa_info *s;
	enum result res = expect_ok(c, &q);

	if (res != PASS)
		return res;
	if (c->r.n_sa != 1)
		return failf("%d SAs in the reply", c->r.n_sa);
	s = &c->r.sa[0];
	if (!s->has_dir || s->dir != IKEVTI_DIR_IN || !s->has_spi ||
	    s->spi != c->spi_in)
		return failf("wrong DIR/SPI (%u/0x%x)", s->dir, s->spi);
	if (!s->has_enc || s->enc != IKEVTI_ENC_AES_GCM_16)
		return failf("ENC %u, want %u", s->enc, IKEVTI_ENC_AES_GCM_16);
	if (!s->has_window || s->replay_window != 32)
		return failf("REPLAY_WINDOW %u, want 32", s->replay_window);
	if (s->has_flags && (s->flags & IKEVTI_SA_F_ESN))
		return failf("FLAGS 0x%x has ESN", s->flags);
	if (s->has_secret)
		return failf("the reply carries key material");
	return PASS;
}

static enum result t_get_by_name(struct ctx *c)
{
	struct req q = sa_ref(c, IKEVTI_CMD_SA_GET, IKEVTI_DIR_IN, c->spi_in);
	enum result res;

	q.ifname = c->ifname;
	res = expect_ok(c, &q);
	if (res == PASS && !find_sa(&c->r, IKEVTI_DIR_IN, c->spi_in))
		return failf("the SA is not in the reply");
	return res;
}

static enum result t_dump(struct ctx *c)
{
	int err = dump(c), i;

	if (err)
		return failf("dump: %s, %s", errname(err),
			     ext(&c->r));
	if (c->r.n_sa != 1 || !find_sa(&c->r, IKEVTI_DIR_IN, c->spi_in))
		return failf("%d SAs dumped, want just 0x%x", c->r.n_sa,
			     c->spi_in);
	for (i = 0; i < c->r.n_sa; i++)
		if (c->r.sa[i].has_secret)
			return failf("ENC_KEY, SALT or AUTH_KEY dumped");
	c->n_sa_after_good = c->r.n_sa;
	c->has_generation = c->r.has_generation;
	c->generation = c->r.generation;
	return PASS;
}

static enum result t_dup(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in);

	return expect_err(c, &q, EEXIST);
}

static enum result t_no_sa(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.no_sa = true;
	return expect_err(c, &q, EINVAL);
}

static enum result t_no_spi(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.no_spi = true;
	return expect_err(c, &q, EINVAL);
}

static enum result t_no_dir(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.no_dir = true;
	return expect_err(c, &q, EINVAL);
}

static enum result t_unknown_top(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.top_extra = 200;
	return expect_err(c, &q, EINVAL);
}

static enum result t_unknown_nested(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.sa_extra = 200;
	return expect_err_list(c, &q, (const int[]){ 0 });
}

static enum result t_key_512(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.key_len = 512;
	return expect_err_list(c, &q, (const int[]){ 0 });
}

static enum result t_key_15(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.key_len = 15;
	return expect_err(c, &q, EINVAL);
}

static enum result t_salt_3(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.salt_len = 3;
	return expect_err(c, &q, EINVAL);
}

static enum result t_enc_99(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.enc = 99;
	return expect_err(c, &q, EOPNOTSUPP, EINVAL);
}

static enum result t_spi_0(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, 0);

	return expect_err(c, &q, EINVAL);
}

static enum result t_spi_255(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, 255);

	return expect_err(c, &q, EINVAL);
}

static enum result t_window_5000(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.replay_window = 5000;
	return expect_err(c, &q, ERANGE, EINVAL);
}

static enum result t_esn_window_0(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.replay_window = 0;
	q.flags = IKEVTI_SA_F_ESN;
	return expect_err(c, &q, EINVAL);
}

static enum result t_spi_2_bytes(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.spi_len = 2;
	return expect_err(c, &q, EINVAL, ERANGE);
}

static enum result t_reserved(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.genl_reserved = 1;
	return expect_err(c, &q, EINVAL);
}

static enum result t_no_ifindex(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);
	char name[IF_NAMESIZE];
	uint32_t i = 0x7ffffff0;

	/* An ifindex nobody has: the highest ones are never handed out. */
	while (if_indextoname(i, name))
		i--;
	q.ifindex = i;
	return expect_err(c, &q, ENODEV);
}

static enum result t_other_dev(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 1);

	q.ifindex = c->other_ifindex;
	return expect_err(c, &q, ENODEV);
}

static enum result t_del_unknown(struct ctx *c)
{
	struct req q = sa_ref(c, IKEVTI_CMD_SA_DEL, IKEVTI_DIR_IN,
			      c->spi_in + 1);

	return expect_err(c, &q, ENOENT);
}

static enum result t_set_tx_inbound(struct ctx *c)
{
	struct req q = sa_ref(c, IKEVTI_CMD_SA_SET_TX, IKEVTI_DIR_OUT,
			      c->spi_in);

	/* The SPI names an inbound SA; ask for it as either direction. */
	if (expect_err(c, &q, EINVAL, ENOENT) == FAIL)
		return FAIL;
	q.dir = IKEVTI_DIR_IN;
	return expect_err(c, &q, EINVAL);
}

static enum result t_unchanged(struct ctx *c)
{
	int err;

	if (!c->n_sa_after_good)
		return failf("the valid SA of case 1 was never listed");
	err = dump(c);

	if (err)
		return failf("dump: %s, %s", errname(err),
			     ext(&c->r));
	if (c->r.n_sa != c->n_sa_after_good ||
	    !find_sa(&c->r, IKEVTI_DIR_IN, c->spi_in))
		return failf("%d SAs after the refused commands, want %d",
			     c->r.n_sa, c->n_sa_after_good);
	if (c->has_generation && c->r.has_generation &&
	    c->generation != c->r.generation)
		return failf("generation moved from %u to %u", c->generation,
			     c->r.generation);
	return PASS;
}

/* SPI_ALLOC with an optional range; the SPI or a negative errno. */
static long long spi_alloc(struct ctx *c, bool range, uint32_t min,
			   uint32_t max)
{
	struct req q = dev_only(c, IKEVTI_CMD_SPI_ALLOC);
	int err;

	q.spi_range = range;
	q.spi_min = min;
	q.spi_max = max;
	err = run(c, &q);
	if (err)
		return err;
	if (c->r.err)
		return c->r.err;
	if (c->r.n_sa != 1 || !c->r.sa[0].has_spi)
		return -EBADMSG;
	return c->r.sa[0].spi;
}

static enum result t_spi_alloc(struct ctx *c)
{
	long long spi = spi_alloc(c, false, 0, 0);
	int err;

	if (spi < 0)
		return failf("%s, %s", errname((int)spi),
			     ext(&c->r));
	printf("# allocated 0x%llx\n", spi);
	if (spi < 0x100)
		return failf("SPI 0x%llx is reserved", spi);
	if (spi == c->spi_in)
		return failf("SPI 0x%llx is in use", spi);
	err = dump(c);
	if (err)
		return failf("dump: %s", errname(err));
	if (find_sa(&c->r, IKEVTI_DIR_IN, (uint32_t)spi))
		return failf("SPI 0x%llx is in use", spi);
	return PASS;
}

static enum result t_spi_alloc_exact(struct ctx *c)
{
	long long spi = spi_alloc(c, true, 0x5000, 0x5000);

	if (spi < 0)
		return failf("%s, %s", errname((int)spi),
			     ext(&c->r));
	if (spi != 0x5000)
		return failf("got 0x%llx", spi);
	return PASS;
}

static enum result t_spi_alloc_taken(struct ctx *c)
{
	long long spi;

	if (dump(c) || !find_sa(&c->r, IKEVTI_DIR_IN, c->spi_in))
		return failf("precondition: SA 0x%x is not installed",
			     c->spi_in);
	spi = spi_alloc(c, true, c->spi_in, c->spi_in);

	if (spi >= 0)
		return failf("got 0x%llx, which is in use", spi);
	printf("# %s, %s\n", errname((int)spi), ext(&c->r));
	return PASS;
}

static enum result t_new_out(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_OUT, c->spi_out);
	struct sa_info *s;
	enum result res = expect_ok(c, &q);

	if (res != PASS)
		return res;
	q = sa_ref(c, IKEVTI_CMD_SA_GET, IKEVTI_DIR_OUT, c->spi_out);
	res = expect_ok(c, &q);
	if (res != PASS)
		return res;
	s = find_sa(&c->r, IKEVTI_DIR_OUT, c->spi_out);
	if (!s)
		return failf("SA_GET does not return it");
	if (!s->has_flags || !(s->flags & IKEVTI_SA_F_TX))
		return failf("the first outbound SA is not current (flags 0x%x)",
			     s->flags);
	return PASS;
}

static enum result t_set_tx(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_OUT, c->spi_out2);
	struct sa_info *s;
	enum result res = expect_ok(c, &q);

	if (res != PASS)
		return res;
	q = sa_ref(c, IKEVTI_CMD_SA_SET_TX, IKEVTI_DIR_OUT, c->spi_out2);
	res = expect_ok(c, &q);
	if (res != PASS)
		return res;
	if (dump(c))
		return failf("dump failed");
	s = find_sa(&c->r, IKEVTI_DIR_OUT, c->spi_out2);
	if (!s || !s->has_flags || !(s->flags & IKEVTI_SA_F_TX))
		return failf("the new SA is not current");
	s = find_sa(&c->r, IKEVTI_DIR_OUT, c->spi_out);
	if (!s || (s->has_flags && (s->flags & IKEVTI_SA_F_TX)))
		return failf("the old SA is gone or still current");
	return PASS;
}

static enum result t_del(struct ctx *c)
{
	struct req q = sa_ref(c, IKEVTI_CMD_SA_DEL, IKEVTI_DIR_OUT,
			      c->spi_out);
	enum result res = expect_ok(c, &q);

	if (res != PASS)
		return res;
	q.cmd = IKEVTI_CMD_SA_GET;
	return expect_err(c, &q, ENOENT);
}

static enum result t_flush(struct ctx *c)
{
	struct req q = dev_only(c, IKEVTI_CMD_SA_FLUSH);
	enum result res = expect_ok(c, &q);
	int err;

	if (res != PASS)
		return res;
	err = dump(c);
	if (err)
		return failf("dump: %s", errname(err));
	if (c->r.n_sa)
		return failf("%d SAs left", c->r.n_sa);
	return PASS;
}

/*
 * In a child without any capability (uid and gid nobody), on a socket it
 * opens itself: a dump and an SA_NEW are both refused with EPERM.
 */
static int unprivileged_child(struct ctx *c)
{
	struct req q = sa_new(c, IKEVTI_DIR_IN, c->spi_in + 2);
	int err;

	close(c->nl.fd);
	if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 ||
	    setresuid(NOBODY, NOBODY, NOBODY) < 0) {
		printf("# cannot become nobody: %s\n", strerror(errno));
		return 2;
	}
	err = nl_open(&c->nl);
	if (!err)
		err = resolve_family(&c->nl);
	if (err) {
		printf("# unprivileged socket: %s\n", errname(err));
		return 2;
	}
	err = dump(c);
	if (err != -EPERM) {
		printf("# unprivileged dump: %s, %s\n",
		       errname(err), ext(&c->r));
		return 1;
	}
	err = run(c, &q);
	if (err || c->r.err != -EPERM) {
		printf("# unprivileged SA_NEW: %s, %s\n",
		       errname(err ? err : c->r.err), ext(&c->r));
		return 1;
	}
	return 0;
}

static enum result t_eperm(struct ctx *c)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return failf("fork: %s", strerror(errno));
	if (!pid) {
		int ret = unprivileged_child(c);

		fflush(stdout);
		_exit(ret);
	}
	if (waitpid(pid, &status, 0) != pid)
		return failf("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status))
		return failf("the child died (status 0x%x)", status);
	if (WEXITSTATUS(status) == 2)
		return failf("the child could not drop privileges");
	if (WEXITSTATUS(status))
		return failf("not refused with EPERM");
	/* Nothing was installed by the refused SA_NEW. */
	if (dump(c))
		return failf("dump failed");
	if (c->r.n_sa)
		return failf("%d SAs after the refused SA_NEW", c->r.n_sa);
	return PASS;
}

static const struct test {
	const char *desc;
	enum result (*fn)(struct ctx *c);
} tests[] = {
	{ "SA_NEW of a valid inbound AES-GCM-128 SA succeeds", t_new_valid },
	{ "SA_GET returns its fields and no key material", t_get },
	{ "SA_GET names the device by IKEVTI_A_IFNAME", t_get_by_name },
	{ "the SA dump lists it without ENC_KEY, SALT or AUTH_KEY", t_dump },
	{ "SA_NEW of an SPI in use: EEXIST", t_dup },
	{ "SA_NEW without IKEVTI_A_SA: EINVAL", t_no_sa },
	{ "SA_NEW without SPI: EINVAL", t_no_spi },
	{ "SA_NEW without DIR: EINVAL", t_no_dir },
	{ "SA_NEW with an unknown top-level attribute (200): EINVAL",
	  t_unknown_top },
	{ "SA_NEW with an unknown SA attribute (200) is refused",
	  t_unknown_nested },
	{ "SA_NEW with a 512-byte key is refused", t_key_512 },
	{ "SA_NEW with a 15-byte AES-GCM key: EINVAL", t_key_15 },
	{ "SA_NEW with a 3-byte salt: EINVAL", t_salt_3 },
	{ "SA_NEW with encryption 99: EOPNOTSUPP or EINVAL", t_enc_99 },
	{ "SA_NEW with SPI 0 (reserved): EINVAL", t_spi_0 },
	{ "SA_NEW with SPI 255 (reserved): EINVAL", t_spi_255 },
	{ "SA_NEW with replay window 5000: ERANGE or EINVAL", t_window_5000 },
	{ "SA_NEW with ESN and replay window 0: EINVAL", t_esn_window_0 },
	{ "SA_NEW with a 2-byte u32 SPI: EINVAL or ERANGE", t_spi_2_bytes },
	{ "SA_NEW with a non-zero genl reserved field: EINVAL", t_reserved },
	{ "SA_NEW on an ifindex nobody has: ENODEV", t_no_ifindex },
	{ "SA_NEW on a device of another kind: ENODEV", t_other_dev },
	{ "SA_DEL of an unknown SPI: ENOENT", t_del_unknown },
	{ "SA_SET_TX of an inbound SA: EINVAL", t_set_tx_inbound },
	{ "the refused commands left the SA set unchanged", t_unchanged },
	{ "SPI_ALLOC returns an unused SPI >= 0x100", t_spi_alloc },
	{ "SPI_ALLOC in [0x5000, 0x5000] returns 0x5000", t_spi_alloc_exact },
	{ "SPI_ALLOC in a range whose only SPI is in use fails",
	  t_spi_alloc_taken },
	{ "SA_NEW of the first outbound SA makes it current", t_new_out },
	{ "SA_SET_TX switches the current outbound SA", t_set_tx },
	{ "SA_DEL removes an SA; SA_GET then: ENOENT", t_del },
	{ "SA_FLUSH empties the device", t_flush },
	{ "an unprivileged caller is refused with EPERM", t_eperm },
};

/* A random SPI above anything a small test hands out, not 0x5000.. */
static uint32_t random_spi(void)
{
	return 0x100000 + ((uint32_t)rand() % 0x7fff0000);
}

int main(int argc, char **argv)
{
	int n = (int)ARRAY_SIZE(tests), i, err;
	int pass = 0, fail = 0, skip = 0, ret;
	struct ctx *c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3) {
		fprintf(stderr, "usage: %s IKEVTI_DEV OTHER_DEV\n", argv[0]);
		return KSFT_FAIL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		perror("calloc");
		return KSFT_FAIL;
	}
	srand((unsigned int)time(NULL) ^ (unsigned int)getpid());
	c->ifname = argv[1];
	c->other_name = argv[2];
	c->spi_in = random_spi();
	c->spi_out = random_spi();
	c->spi_out2 = c->spi_out + 1;

	printf("TAP version 13\n");
	err = nl_open(&c->nl);
	if (err) {
		printf("Bail out! netlink socket: %s\n", strerror(-err));
		free(c);
		return KSFT_FAIL;
	}
	ret = KSFT_FAIL;
	err = resolve_family(&c->nl);
	if (err == -ENOENT) {
		printf("1..0 # SKIP generic netlink family \"%s\" not found\n",
		       IKEVTI_GENL_NAME);
		ret = KSFT_SKIP;
		goto out;
	}
	if (err) {
		printf("Bail out! CTRL_CMD_GETFAMILY: %s\n", strerror(-err));
		goto out;
	}
	c->ifindex = if_nametoindex(c->ifname);
	c->other_ifindex = if_nametoindex(c->other_name);
	if (!c->ifindex || !c->other_ifindex) {
		printf("Bail out! no device %s\n",
		       c->ifindex ? c->other_name : c->ifname);
		goto out;
	}

	/* Start from an empty device. */
	{
		struct req q = dev_only(c, IKEVTI_CMD_SA_FLUSH);

		if (run(c, &q) || c->r.err)
			printf("# initial SA_FLUSH: %s, %s\n",
			       errname(c->r.err), ext(&c->r));
	}

	printf("1..%d\n", n);
	for (i = 0; i < n; i++) {
		enum result res;

		why[0] = '\0';
		res = tests[i].fn(c);
		if (res == PASS) {
			printf("ok %d - %s\n", i + 1, tests[i].desc);
			pass++;
		} else if (res == SKIP) {
			printf("ok %d - %s # SKIP %s\n", i + 1, tests[i].desc,
			       why);
			skip++;
		} else {
			printf("not ok %d - %s # %s\n", i + 1, tests[i].desc,
			       why);
			fail++;
		}
	}
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
	       pass, fail, skip);
	ret = fail ? KSFT_FAIL : KSFT_PASS;
out:
	close(c->nl.fd);
	free(c);
	return ret;
}
