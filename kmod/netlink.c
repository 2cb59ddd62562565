// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "ikevti".
 *
 * Every command names a device (IFINDEX or IFNAME) in the caller's
 * namespace and runs under RTNL, which serialises it against device
 * changes and the other commands. Changes also need CAP_NET_ADMIN over
 * the underlay, because SAs claim SPIs there. Keys are wiped from the
 * request once used and never appear in any reply.
 */
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/ikevti.h>

#include "device.h"
#include "netlink.h"
#include "sa.h"

/* Longer than any key we use; exact lengths are checked per algorithm. */
#define KEY_ATTR_MAX_LEN	128
#define SPI_RESERVED_MAX	255	/* RFC 4303 2.1 */
#define SPI_ALLOC_PROBES	65536

static struct genl_family ikevti_genl_family;

static const struct nla_policy sa_policy[IKEVTI_SA_A_MAX + 1] = {
	[IKEVTI_SA_A_DIR] = NLA_POLICY_RANGE(NLA_U8, IKEVTI_DIR_IN,
					     IKEVTI_DIR_OUT),
	[IKEVTI_SA_A_SPI] = { .type = NLA_U32 },
	[IKEVTI_SA_A_ENC] = { .type = NLA_U16 },
	[IKEVTI_SA_A_INTEG] = { .type = NLA_U16 },
	[IKEVTI_SA_A_ENC_KEY] = { .type = NLA_BINARY, .len = KEY_ATTR_MAX_LEN },
	[IKEVTI_SA_A_SALT] = { .type = NLA_BINARY, .len = KEY_ATTR_MAX_LEN },
	[IKEVTI_SA_A_AUTH_KEY] = { .type = NLA_BINARY,
				   .len = KEY_ATTR_MAX_LEN },
	[IKEVTI_SA_A_REPLAY_WINDOW] = NLA_POLICY_MAX(NLA_U32,
						     IKEVTI_REPLAY_WINDOW_MAX),
	/* The reported-only bits are tolerated so a dump can be replayed. */
	[IKEVTI_SA_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, IKEVTI_SA_F_ESN |
					      IKEVTI_SA_F_ALLOW_FLOAT |
					      IKEVTI_SA_F_LEGACY |
					      IKEVTI_SA_F_TX),
	[IKEVTI_SA_A_LOCAL] = { .type = NLA_BINARY,
				.len = sizeof(struct in6_addr) },
	[IKEVTI_SA_A_REMOTE] = { .type = NLA_BINARY,
				 .len = sizeof(struct in6_addr) },
	[IKEVTI_SA_A_ENCAP_SPORT] = { .type = NLA_U16 },
	[IKEVTI_SA_A_ENCAP_DPORT] = { .type = NLA_U16 },
	[IKEVTI_SA_A_SEQ] = { .type = NLA_U64 },
	[IKEVTI_SA_A_SOFT_BYTES] = { .type = NLA_U64 },
	[IKEVTI_SA_A_HARD_BYTES] = { .type = NLA_U64 },
	[IKEVTI_SA_A_SOFT_PACKETS] = { .type = NLA_U64 },
	[IKEVTI_SA_A_HARD_PACKETS] = { .type = NLA_U64 },
	[IKEVTI_SA_A_NAT_KEEPALIVE] = NLA_POLICY_RANGE(NLA_U32, 5, 3600),
};

#define DEVICE_ATTRS \
	[IKEVTI_A_IFINDEX] = { .type = NLA_U32 }, \
	[IKEVTI_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }

static const struct nla_policy dev_policy[IKEVTI_A_MAX + 1] = {
	DEVICE_ATTRS,
};

static const struct nla_policy sa_cmd_policy[IKEVTI_A_MAX + 1] = {
	DEVICE_ATTRS,
	[IKEVTI_A_SA] = NLA_POLICY_NESTED(sa_policy),
};

static const struct nla_policy spi_alloc_policy[IKEVTI_A_MAX + 1] = {
	DEVICE_ATTRS,
	[IKEVTI_A_SPI_MIN] = { .type = NLA_U32 },
	[IKEVTI_A_SPI_MAX] = { .type = NLA_U32 },
};

static struct ikevti_device *lookup_device(struct net *net,
					   struct nlattr **attrs,
					   struct netlink_ext_ack *extack)
{
	struct ikevti_device *idev;
	struct net_device *dev;
	struct nlattr *nla;

	ASSERT_RTNL();
	nla = attrs[IKEVTI_A_IFINDEX] ?: attrs[IKEVTI_A_IFNAME];
	if (!nla) {
		NL_SET_ERR_MSG(extack,
			       "missing attribute: IKEVTI_A_IFINDEX or IKEVTI_A_IFNAME");
		return ERR_PTR(-EINVAL);
	}
	if (attrs[IKEVTI_A_IFINDEX])
		dev = __dev_get_by_index(net, nla_get_u32(nla));
	else
		dev = __dev_get_by_name(net, nla_data(nla));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "no such device");
		return ERR_PTR(-ENODEV);
	}
	idev = ikevti_device_from_dev(dev);
	if (!idev) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "not an ikevti device");
		return ERR_PTR(-ENODEV);
	}
	return idev;
}

static struct ikevti_device *info_device(struct genl_info *info)
{
	return lookup_device(genl_info_net(info), info->attrs, info->extack);
}

/* SAs claim SPIs in the underlay: the caller must administer it too. */
static int may_change(struct sk_buff *skb, struct ikevti_device *idev,
		      struct netlink_ext_ack *extack)
{
	if (netlink_ns_capable(skb, idev->underlay->user_ns, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "CAP_NET_ADMIN over the underlay namespace is required");
	return -EPERM;
}

/* Parse the IKEVTI_A_SA nest of a request into tb. */
static int parse_sa_nest(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, IKEVTI_A_SA)) {
		NL_SET_ERR_MSG(info->extack, "missing attribute: IKEVTI_A_SA");
		return -EINVAL;
	}
	return nla_parse_nested(tb, IKEVTI_SA_A_MAX, info->attrs[IKEVTI_A_SA],
				sa_policy, info->extack);
}

/* Static, as extack keeps only the pointer. */
static const char *const missing_sa_attr_msg[IKEVTI_SA_A_MAX + 1] = {
	[IKEVTI_SA_A_DIR] = "missing attribute: IKEVTI_SA_A_DIR",
	[IKEVTI_SA_A_SPI] = "missing attribute: IKEVTI_SA_A_SPI",
	[IKEVTI_SA_A_ENC] = "missing attribute: IKEVTI_SA_A_ENC",
	[IKEVTI_SA_A_ENC_KEY] = "missing attribute: IKEVTI_SA_A_ENC_KEY",
	[IKEVTI_SA_A_SALT] = "missing attribute: IKEVTI_SA_A_SALT",
	[IKEVTI_SA_A_AUTH_KEY] = "missing attribute: IKEVTI_SA_A_AUTH_KEY",
};

static int sa_nest_require(struct genl_info *info, struct nlattr **tb,
			   int type)
{
	if (!NL_REQ_ATTR_CHECK(info->extack, info->attrs[IKEVTI_A_SA], tb,
			       type))
		return 0;
	if (info->extack)
		info->extack->_msg = missing_sa_attr_msg[type];
	return -EINVAL;
}

/* SPI (required, not reserved) and, when need_dir, the direction. */
static int parse_sa_id(struct genl_info *info, struct nlattr **tb,
		       bool need_dir, u8 *dir, u32 *spi)
{
	if ((need_dir && sa_nest_require(info, tb, IKEVTI_SA_A_DIR)) ||
	    sa_nest_require(info, tb, IKEVTI_SA_A_SPI))
		return -EINVAL;
	*dir = tb[IKEVTI_SA_A_DIR] ? nla_get_u8(tb[IKEVTI_SA_A_DIR]) : 0;
	*spi = nla_get_u32(tb[IKEVTI_SA_A_SPI]);
	if (*spi <= SPI_RESERVED_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IKEVTI_SA_A_SPI],
				    "SPIs 0-255 are reserved (RFC 4303)");
		return -EINVAL;
	}
	return 0;
}

#define KEY_LEN_MSG(what, n) what " must be " #n " bytes for this transform"

/* Extack messages must be static: one per length the table uses. */
static const char *key_len_msg(int type, unsigned int want)
{
	if (type == IKEVTI_SA_A_SALT)
		return KEY_LEN_MSG("salt", 4);
	switch (want) {
	case 16:
		return KEY_LEN_MSG("authentication key", 16);
	case 20:
		return KEY_LEN_MSG("authentication key", 20);
	case 32:
		return KEY_LEN_MSG("authentication key", 32);
	case 48:
		return KEY_LEN_MSG("authentication key", 48);
	default:
		return KEY_LEN_MSG("authentication key", 64);
	}
}

/* A key attribute must be present exactly when the algorithm uses it. */
static int check_key_attr(struct genl_info *info, struct nlattr **tb,
			  int type, unsigned int want)
{
	struct nlattr *nla = tb[type];

	if (!want && !nla)
		return 0;
	if (!want) {
		NL_SET_ERR_MSG_ATTR(info->extack, nla,
				    "attribute not used by this transform");
		return -EINVAL;
	}
	if (sa_nest_require(info, tb, type))
		return -EINVAL;
	if (nla_len(nla) != want) {
		/* NL_SET_ERR_MSG_ATTR() wants a literal; these are static too. */
		if (info->extack) {
			info->extack->_msg = key_len_msg(type, want);
			info->extack->bad_attr = nla;
		}
		return -EINVAL;
	}
	return 0;
}

static int parse_sa_alg(struct genl_info *info, struct nlattr **tb,
			struct ikevti_sa_config *cfg)
{
	struct nlattr *key = tb[IKEVTI_SA_A_ENC_KEY];
	struct nlattr *salt = tb[IKEVTI_SA_A_SALT];
	struct nlattr *akey = tb[IKEVTI_SA_A_AUTH_KEY];
	const struct ikevti_alg *alg;
	u16 integ = IKEVTI_INTEG_NONE;
	int err;

	if (sa_nest_require(info, tb, IKEVTI_SA_A_ENC) ||
	    sa_nest_require(info, tb, IKEVTI_SA_A_ENC_KEY))
		return -EINVAL;
	if (tb[IKEVTI_SA_A_INTEG])
		integ = nla_get_u16(tb[IKEVTI_SA_A_INTEG]);
	alg = ikevti_alg_lookup(nla_get_u16(tb[IKEVTI_SA_A_ENC]), integ,
				nla_len(key), info->extack);
	if (IS_ERR(alg)) {
		NL_SET_BAD_ATTR(info->extack, PTR_ERR(alg) == -EINVAL ? key :
				tb[IKEVTI_SA_A_ENC]);
		return PTR_ERR(alg);
	}
	err = check_key_attr(info, tb, IKEVTI_SA_A_SALT, alg->salt_len);
	if (!err)
		err = check_key_attr(info, tb, IKEVTI_SA_A_AUTH_KEY,
				     alg->auth_key_len);
	if (err)
		return err;
	cfg->alg = alg;
	cfg->keys.enc_key = nla_data(key);
	cfg->keys.enc_key_len = nla_len(key);
	cfg->keys.salt = salt ? nla_data(salt) : NULL;
	cfg->keys.salt_len = alg->salt_len;
	cfg->keys.auth_key = akey ? nla_data(akey) : NULL;
	cfg->keys.auth_key_len = alg->auth_key_len;
	return 0;
}

static int parse_sa_addr(struct genl_info *info, struct nlattr *nla,
			 struct ikevti_addr *addr, bool remote)
{
	int err;

	if (!nla)
		return 0;
	err = ikevti_addr_from_nla(addr, nla, info->extack);
	if (err)
		return err;
	if (remote)
		return ikevti_addr_check_remote(addr, nla, info->extack);
	return ikevti_addr_check_local(addr, nla, info->extack);
}

static u64 get_u64_or_0(const struct nlattr *nla)
{
	return nla ? nla_get_u64(nla) : 0;
}

/* RFC 3948 ports, both or none, and the keepalives that need them. */
static int parse_sa_encap(struct genl_info *info, struct nlattr **tb,
			  struct ikevti_sa_config *cfg)
{
	struct nlattr *sport = tb[IKEVTI_SA_A_ENCAP_SPORT];
	struct nlattr *dport = tb[IKEVTI_SA_A_ENCAP_DPORT];
	struct nlattr *keepalive = tb[IKEVTI_SA_A_NAT_KEEPALIVE];

	if (!sport != !dport) {
		NL_SET_ERR_MSG_ATTR(info->extack, sport ?: dport,
				    "give both UDP encapsulation ports or none");
		return -EINVAL;
	}
	if (sport) {
		cfg->encap_sport = htons(nla_get_u16(sport));
		cfg->encap_dport = htons(nla_get_u16(dport));
		if (!cfg->encap_sport || !cfg->encap_dport) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    cfg->encap_sport ? dport : sport,
					    "UDP encapsulation port 0 is invalid");
			return -EINVAL;
		}
	}
	if (keepalive && (!sport || cfg->dir != IKEVTI_DIR_OUT)) {
		NL_SET_ERR_MSG_ATTR(info->extack, keepalive,
				    "NAT keepalives need an outbound UDP-encapsulated SA");
		return -EINVAL;
	}
	if (keepalive)
		cfg->nat_keepalive = nla_get_u32(keepalive);
	return 0;
}

static int parse_sa_options(struct genl_info *info, struct nlattr **tb,
			    struct ikevti_sa_config *cfg)
{
	int err;

	cfg->replay_window = IKEVTI_REPLAY_WINDOW_DEFAULT;
	if (tb[IKEVTI_SA_A_REPLAY_WINDOW])
		cfg->replay_window = nla_get_u32(tb[IKEVTI_SA_A_REPLAY_WINDOW]);
	if (tb[IKEVTI_SA_A_FLAGS])
		cfg->flags = nla_get_u32(tb[IKEVTI_SA_A_FLAGS]);
	if ((cfg->flags & IKEVTI_SA_F_ESN) && !cfg->replay_window) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IKEVTI_SA_A_REPLAY_WINDOW],
				    "ESN needs a replay window");
		return -EINVAL;
	}
	err = parse_sa_encap(info, tb, cfg);
	if (!err)
		err = parse_sa_addr(info, tb[IKEVTI_SA_A_LOCAL], &cfg->local, false);
	if (!err)
		err = parse_sa_addr(info, tb[IKEVTI_SA_A_REMOTE], &cfg->remote,
				    true);
	if (err)
		return err;
	cfg->has_seq = tb[IKEVTI_SA_A_SEQ];
	cfg->seq = get_u64_or_0(tb[IKEVTI_SA_A_SEQ]);
	cfg->soft_bytes = get_u64_or_0(tb[IKEVTI_SA_A_SOFT_BYTES]);
	cfg->hard_bytes = get_u64_or_0(tb[IKEVTI_SA_A_HARD_BYTES]);
	cfg->soft_packets = get_u64_or_0(tb[IKEVTI_SA_A_SOFT_PACKETS]);
	cfg->hard_packets = get_u64_or_0(tb[IKEVTI_SA_A_HARD_PACKETS]);
	return 0;
}

/* Wipe every key attribute of the request, parsed or not. */
static void wipe_keys(struct genl_info *info)
{
	struct nlattr *nla;
	int rem;

	if (!info->attrs[IKEVTI_A_SA])
		return;
	nla_for_each_nested(nla, info->attrs[IKEVTI_A_SA], rem) {
		switch (nla_type(nla)) {
		case IKEVTI_SA_A_ENC_KEY:
		case IKEVTI_SA_A_SALT:
		case IKEVTI_SA_A_AUTH_KEY:
			memzero_explicit(nla_data(nla), nla_len(nla));
		}
	}
}

/* Build the whole SA (crypto included) before touching any device. */
static struct ikevti_sa *sa_from_request(struct genl_info *info)
{
	struct nlattr *tb[IKEVTI_SA_A_MAX + 1];
	struct ikevti_sa_config cfg = {};
	struct ikevti_sa *sa;
	int err;

	err = parse_sa_nest(info, tb);
	if (!err)
		err = parse_sa_id(info, tb, true, &cfg.dir, &cfg.spi);
	if (!err)
		err = parse_sa_alg(info, tb, &cfg);
	if (!err)
		err = parse_sa_options(info, tb, &cfg);
	sa = err ? ERR_PTR(err) : ikevti_sa_create(&cfg, info->extack);
	wipe_keys(info);
	return sa;
}

static int sa_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ikevti_device *idev;
	struct ikevti_sa *sa;
	int err;

	sa = sa_from_request(info);
	if (IS_ERR(sa))
		return PTR_ERR(sa);
	rtnl_lock();
	idev = info_device(info);
	err = PTR_ERR_OR_ZERO(idev);
	if (!err)
		err = may_change(skb, idev, info->extack);
	if (!err)
		err = ikevti_sa_install(idev, sa, info->extack);
	rtnl_unlock();
	if (err)
		ikevti_sa_put(sa);
	return err;
}

static u64 sa_seq(const struct ikevti_sa *sa)
{
	u64 seq;

	if (sa->dir == IKEVTI_DIR_IN)
		return ikevti_replay_top(sa->replay);
	/* Refused numbers past the limit are not "sent". */
	seq = atomic64_read(&sa->seq_out);
	return ikevti_sa_esn(sa) ? seq : min_t(u64, seq, U32_MAX);
}

static u32 sa_flags(const struct ikevti_sa *sa)
{
	u32 flags = sa->flags;

	if (sa->alg->legacy)
		flags |= IKEVTI_SA_F_LEGACY;
	if (ikevti_sa_is_tx(sa))
		flags |= IKEVTI_SA_F_TX;
	return flags;
}

static int put_u64(struct sk_buff *msg, int type, u64 value)
{
	return nla_put_u64_64bit(msg, type, value, IKEVTI_SA_A_PAD);
}

/* Under RTNL, which also serialises the peer moving (encap.c). */
static int put_sa_encap(struct sk_buff *msg, const struct ikevti_sa *sa)
{
	if (!ikevti_sa_encap(sa))
		return 0;
	if (nla_put_u16(msg, IKEVTI_SA_A_ENCAP_SPORT, ntohs(sa->encap_sport)) ||
	    nla_put_u16(msg, IKEVTI_SA_A_ENCAP_DPORT, ntohs(sa->encap_dport)))
		return -EMSGSIZE;
	if (sa->nat_keepalive &&
	    nla_put_u32(msg, IKEVTI_SA_A_NAT_KEEPALIVE, sa->nat_keepalive))
		return -EMSGSIZE;
	return 0;
}

static int put_sa_attrs(struct sk_buff *msg, const struct ikevti_sa *sa)
{
	u32 window = sa->replay ? sa->replay->window : 0;

	if (nla_put_u8(msg, IKEVTI_SA_A_DIR, sa->dir) ||
	    nla_put_u32(msg, IKEVTI_SA_A_SPI, ntohl(sa->spi)) ||
	    nla_put_u16(msg, IKEVTI_SA_A_ENC, sa->alg->enc) ||
	    nla_put_u16(msg, IKEVTI_SA_A_INTEG, sa->alg->integ) ||
	    nla_put_u32(msg, IKEVTI_SA_A_REPLAY_WINDOW, window) ||
	    nla_put_u32(msg, IKEVTI_SA_A_FLAGS, sa_flags(sa)) ||
	    ikevti_addr_put(msg, IKEVTI_SA_A_LOCAL, &sa->local) ||
	    ikevti_addr_put(msg, IKEVTI_SA_A_REMOTE, &sa->remote) ||
	    put_u64(msg, IKEVTI_SA_A_SEQ, sa_seq(sa)) ||
	    put_u64(msg, IKEVTI_SA_A_SOFT_BYTES, sa->soft_bytes) ||
	    put_u64(msg, IKEVTI_SA_A_HARD_BYTES, sa->hard_bytes) ||
	    put_u64(msg, IKEVTI_SA_A_SOFT_PACKETS, sa->soft_packets) ||
	    put_u64(msg, IKEVTI_SA_A_HARD_PACKETS, sa->hard_packets) ||
	    put_sa_encap(msg, sa))
		return -EMSGSIZE;
	return ikevti_stats_put(msg, IKEVTI_SA_A_STATS, sa->stats);
}

static int put_dev_attrs(struct sk_buff *msg, const struct ikevti_device *idev)
{
	if (nla_put_u32(msg, IKEVTI_A_IFINDEX, idev->dev->ifindex) ||
	    nla_put_string(msg, IKEVTI_A_IFNAME, idev->dev->name))
		return -EMSGSIZE;
	return 0;
}

/* One SA message: the device, then the SA nest. Never any key. */
static int fill_sa(struct sk_buff *msg, const struct ikevti_sa *sa,
		   u32 portid, u32 seq, int flags, u8 cmd,
		   struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &ikevti_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (put_dev_attrs(msg, sa->idev))
		goto cancel;
	nest = nla_nest_start(msg, IKEVTI_A_SA);
	if (!nest || put_sa_attrs(msg, sa))
		goto cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/*
 * Find the SA a request names. Without a direction the SPI must be
 * unambiguous: the same SPI may be used inbound and outbound.
 */
static struct ikevti_sa *request_sa(struct genl_info *info,
				    struct ikevti_device *idev,
				    struct nlattr **tb)
{
	struct ikevti_sa *sa;
	u8 dir;
	u32 spi;
	int err;

	err = parse_sa_id(info, tb, false, &dir, &spi);
	if (err)
		return ERR_PTR(err);
	sa = ikevti_sa_find(idev, dir, spi);
	if (!sa) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IKEVTI_SA_A_SPI],
				    "no SA with this SPI");
		return ERR_PTR(-ENOENT);
	}
	if (!dir && ikevti_sa_find(idev, sa->dir == IKEVTI_DIR_IN ?
				   IKEVTI_DIR_OUT : IKEVTI_DIR_IN, spi)) {
		NL_SET_ERR_MSG(info->extack,
			       "SPI used in both directions: give IKEVTI_SA_A_DIR");
		return ERR_PTR(-EINVAL);
	}
	return sa;
}

/* Device and SA of a request, under RTNL. */
static struct ikevti_sa *request_device_sa(struct genl_info *info)
{
	struct nlattr *tb[IKEVTI_SA_A_MAX + 1];
	struct ikevti_device *idev;
	int err;

	idev = info_device(info);
	if (IS_ERR(idev))
		return ERR_CAST(idev);
	err = parse_sa_nest(info, tb);
	if (err)
		return ERR_PTR(err);
	return request_sa(info, idev, tb);
}

static int sa_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ikevti_sa *sa;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	sa = request_device_sa(info);
	err = PTR_ERR_OR_ZERO(sa);
	if (!err)
		err = fill_sa(msg, sa, info->snd_portid, info->snd_seq, 0,
			      IKEVTI_CMD_SA_GET, NULL);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: ifindex of the device; cb->args[1]: SAs already sent. */
static int sa_dump_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *dump = genl_dumpit_info(cb);
	struct ikevti_device *idev;

	rtnl_lock();
	idev = lookup_device(sock_net(cb->skb->sk), dump->attrs, cb->extack);
	if (!IS_ERR(idev))
		cb->args[0] = idev->dev->ifindex;
	rtnl_unlock();
	return PTR_ERR_OR_ZERO(idev);
}

static int sa_dump_device(struct sk_buff *skb, struct netlink_callback *cb,
			  struct ikevti_device *idev)
{
	struct ikevti_sa *sa;
	long i = 0;

	cb->seq = idev->generation;
	list_for_each_entry(sa, &idev->sa_list, dev_node) {
		if (i++ < cb->args[1])
			continue;
		if (fill_sa(skb, sa, NETLINK_CB(cb->skb).portid,
			    cb->nlh->nlmsg_seq, NLM_F_MULTI, IKEVTI_CMD_SA_GET,
			    cb))
			break;
		cb->args[1]++;
	}
	return skb->len;
}

static int sa_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ikevti_device *idev = NULL;
	struct net_device *dev;
	int ret;

	rtnl_lock();
	dev = __dev_get_by_index(sock_net(cb->skb->sk), cb->args[0]);
	if (dev)
		idev = ikevti_device_from_dev(dev);
	/* A device deleted mid-dump simply ends it. */
	ret = idev ? sa_dump_device(skb, cb, idev) : 0;
	rtnl_unlock();
	return ret;
}

static int sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ikevti_sa *sa;
	int err;

	rtnl_lock();
	sa = request_device_sa(info);
	err = PTR_ERR_OR_ZERO(sa);
	if (!err)
		err = may_change(skb, sa->idev, info->extack);
	if (!err)
		ikevti_sa_remove(sa);
	rtnl_unlock();
	return err;
}

static int sa_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ikevti_device *idev;
	int err;

	rtnl_lock();
	idev = info_device(info);
	err = PTR_ERR_OR_ZERO(idev);
	if (!err)
		err = may_change(skb, idev, info->extack);
	if (!err) {
		ikevti_sa_flush(idev);
		idev->generation++;
	}
	rtnl_unlock();
	return err;
}

/* Only outbound SAs can be TX: an inbound SPI is "invalid", not absent. */
static struct ikevti_sa *request_tx_sa(struct genl_info *info)
{
	struct nlattr *tb[IKEVTI_SA_A_MAX + 1];
	struct ikevti_device *idev;
	struct ikevti_sa *sa;
	u8 dir;
	u32 spi;
	int err;

	idev = info_device(info);
	if (IS_ERR(idev))
		return ERR_CAST(idev);
	err = parse_sa_nest(info, tb);
	if (!err)
		err = parse_sa_id(info, tb, false, &dir, &spi);
	if (err)
		return ERR_PTR(err);
	sa = dir == IKEVTI_DIR_IN ? NULL :
	     ikevti_sa_find(idev, IKEVTI_DIR_OUT, spi);
	if (sa)
		return sa;
	if (dir == IKEVTI_DIR_IN || ikevti_sa_find(idev, IKEVTI_DIR_IN, spi)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IKEVTI_SA_A_SPI],
				    "only an outbound SA can be TX");
		return ERR_PTR(-EINVAL);
	}
	NL_SET_ERR_MSG_ATTR(info->extack, tb[IKEVTI_SA_A_SPI],
			    "no outbound SA with this SPI");
	return ERR_PTR(-ENOENT);
}

static int sa_set_tx_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ikevti_sa *sa;
	int err;

	rtnl_lock();
	sa = request_tx_sa(info);
	err = PTR_ERR_OR_ZERO(sa);
	if (!err)
		err = may_change(skb, sa->idev, info->extack);
	if (!err)
		ikevti_sa_set_tx(sa->idev, sa);
	rtnl_unlock();
	return err;
}

/*
 * Pick a random SPI that neither ikevti nor xfrm uses in the underlay.
 * Nothing is reserved: the caller installs its SA with it soon, and a
 * racing SA_NEW with the same SPI fails with -EEXIST.
 */
static int pick_spi(struct ikevti_device *idev, u32 lo, u32 hi, u32 *spi)
{
	u64 range = (u64)hi - lo + 1;
	u64 probes = min_t(u64, range, SPI_ALLOC_PROBES);
	u64 start = range > U32_MAX ? get_random_u32() :
				      get_random_u32_below(range);
	u64 i;

	for (i = 0; i < probes; i++) {
		u32 candidate = lo + (u32)((start + i) % range);

		if (!ikevti_spi_in_use(idev->underlay, htonl(candidate))) {
			*spi = candidate;
			return 0;
		}
		cond_resched();
	}
	return -ENOSPC;
}

static int spi_range(struct genl_info *info, u32 *lo, u32 *hi)
{
	*lo = 0x100;
	*hi = U32_MAX;
	if (info->attrs[IKEVTI_A_SPI_MIN])
		*lo = nla_get_u32(info->attrs[IKEVTI_A_SPI_MIN]);
	if (info->attrs[IKEVTI_A_SPI_MAX])
		*hi = nla_get_u32(info->attrs[IKEVTI_A_SPI_MAX]);
	if (*lo <= SPI_RESERVED_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IKEVTI_A_SPI_MIN],
				    "SPIs 0-255 are reserved (RFC 4303)");
		return -EINVAL;
	}
	if (*lo > *hi) {
		NL_SET_ERR_MSG(info->extack, "empty SPI range");
		return -EINVAL;
	}
	return 0;
}

static int put_spi_reply(struct sk_buff *msg, struct genl_info *info,
			 struct ikevti_device *idev, u32 spi)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put_reply(msg, info, &ikevti_genl_family, 0,
				IKEVTI_CMD_SPI_ALLOC);
	if (!hdr || put_dev_attrs(msg, idev))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, IKEVTI_A_SA);
	if (!nest || nla_put_u32(msg, IKEVTI_SA_A_SPI, spi))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
}

static int spi_alloc_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ikevti_device *idev;
	struct sk_buff *msg;
	u32 lo, hi, spi = 0;
	int err;

	err = spi_range(info, &lo, &hi);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	idev = info_device(info);
	err = PTR_ERR_OR_ZERO(idev);
	if (!err)
		err = pick_spi(idev, lo, hi, &spi);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "no free SPI in the range");
	if (!err)
		err = put_spi_reply(msg, info, idev, spi);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ikevti_device *idev;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	idev = info_device(info);
	err = PTR_ERR_OR_ZERO(idev);
	if (!err) {
		err = -EMSGSIZE;
		hdr = genlmsg_put_reply(msg, info, &ikevti_genl_family, 0,
					IKEVTI_CMD_DEV_GET);
		if (hdr && !put_dev_attrs(msg, idev) &&
		    !nla_put_u32(msg, IKEVTI_A_GENERATION, idev->generation) &&
		    !ikevti_stats_put(msg, IKEVTI_A_STATS, idev->stats)) {
			genlmsg_end(msg, hdr);
			err = 0;
		}
	}
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

#define OP(command, handler, pol) {				\
	.cmd = command, .doit = handler, .policy = pol,		\
	.maxattr = IKEVTI_A_MAX, .flags = GENL_UNS_ADMIN_PERM,	\
}

/* Even reads need admin rights: dumps expose SPIs and counters. */
static const struct genl_ops ikevti_genl_ops[] = {
	OP(IKEVTI_CMD_SA_NEW, sa_new_doit, sa_cmd_policy),
	OP(IKEVTI_CMD_SA_DEL, sa_del_doit, sa_cmd_policy),
	{
		.cmd = IKEVTI_CMD_SA_GET,
		.doit = sa_get_doit,
		.start = sa_dump_start,
		.dumpit = sa_dump,
		.policy = sa_cmd_policy,
		.maxattr = IKEVTI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	OP(IKEVTI_CMD_SA_FLUSH, sa_flush_doit, dev_policy),
	OP(IKEVTI_CMD_SPI_ALLOC, spi_alloc_doit, spi_alloc_policy),
	OP(IKEVTI_CMD_SA_SET_TX, sa_set_tx_doit, sa_cmd_policy),
	OP(IKEVTI_CMD_DEV_GET, dev_get_doit, dev_policy),
};

static const struct genl_multicast_group ikevti_genl_mcgrps[] = {
	{ .name = IKEVTI_GENL_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family ikevti_genl_family __ro_after_init = {
	.name = IKEVTI_GENL_NAME,
	.version = IKEVTI_GENL_VERSION,
	.maxattr = IKEVTI_A_MAX,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = ikevti_genl_ops,
	.n_ops = ARRAY_SIZE(ikevti_genl_ops),
	.mcgrps = ikevti_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ikevti_genl_mcgrps),
	/* resv_start_op stays 0: every command is validated strictly. */
};

/*
 * An event message naming the device, or NULL when nobody listens in
 * the device's namespace (or memory is short: events are best effort).
 */
struct sk_buff *ikevti_genl_event_new(struct ikevti_device *idev, u8 cmd,
				      void **hdr)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&ikevti_genl_family, dev_net(idev->dev), 0))
		return NULL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &ikevti_genl_family, 0, cmd);
	if (!*hdr || put_dev_attrs(msg, idev)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

void ikevti_genl_event_send(struct ikevti_device *idev, struct sk_buff *msg,
			    void *hdr)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&ikevti_genl_family, dev_net(idev->dev), msg,
				0, 0, GFP_KERNEL);
}

int ikevti_genl_init(void)
{
	return genl_register_family(&ikevti_genl_family);
}

void ikevti_genl_uninit(void)
{
	genl_unregister_family(&ikevti_genl_family);
}
