// SPDX-License-Identifier: GPL-2.0
/*
 * The network device and its rtnetlink side. Link attributes carry only
 * tunnel-wide settings; SAs are installed over generic netlink.
 */
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/esp.h>
#include <net/ip_tunnels.h>
#include <net/rtnetlink.h>

#include "crypto.h"
#include "device.h"
#include "encap.h"
#include "events.h"
#include "netns.h"
#include "receive.h"
#include "sa.h"
#include "send.h"

/* Link settings being parsed, applied only once all of them are valid. */
struct link_config {
	struct ikevti_addr local, remote;
	u32 fwmark;
	u8 ttl, df, ondemand;
};

static const struct device_type ikevti_device_type = {
	.name = KBUILD_MODNAME,
};

struct ikevti_device *ikevti_device_from_dev(struct net_device *dev)
{
	if (dev->rtnl_link_ops != &ikevti_link_ops)
		return NULL;
	return netdev_priv(dev);
}

bool ikevti_device_xnet(const struct ikevti_device *idev)
{
	return !net_eq(idev->underlay, dev_net(idev->dev));
}

/*
 * The line protocol of an IOS VTI: the carrier is on while the device has
 * a current outbound SA. An on-demand device keeps it on without one, so
 * that its routes stay usable and its traffic reaches ikevti_xmit(),
 * which drops it and raises ACQUIRE.
 */
void ikevti_device_update_carrier(struct ikevti_device *idev)
{
	ASSERT_RTNL();
	if (idev->ondemand || rtnl_dereference(idev->tx_sa))
		netif_carrier_on(idev->dev);
	else
		netif_carrier_off(idev->dev);
}

/*
 * The largest ESP overhead any SA may add, assuming UDP encapsulation:
 * outer header, UDP, ESP header, IV, padding, pad length and next
 * header, ICV. Packets that fit the MTU then never need outer
 * fragmentation; SAs with less overhead simply waste a few bytes.
 */
static unsigned int worst_overhead(u8 family)
{
	unsigned int ip = family == AF_INET ? sizeof(struct iphdr) :
					      sizeof(struct ipv6hdr);

	return ip + sizeof(struct udphdr) + sizeof(struct ip_esp_hdr) +
	       IKEVTI_MAX_IV_LEN + IKEVTI_MAX_PAD_LEN + 2 + IKEVTI_MAX_ICV_LEN;
}

static void set_mtu_for(struct net_device *dev, u8 family)
{
	dev->mtu = ETH_DATA_LEN - worst_overhead(family);
	dev->max_mtu = IP_MAX_MTU - worst_overhead(family);
}

static int ikevti_dev_init(struct net_device *dev)
{
	struct ikevti_device *idev = netdev_priv(dev);
	int err;

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	idev->stats = ikevti_stats_alloc();
	if (!idev->stats)
		goto err_free_tstats;
	err = gro_cells_init(&idev->gro, dev);
	if (err)
		goto err_free_stats;
	if (ikevti_queue_init(&idev->tx_queue, ikevti_send_finish))
		goto err_gro;
	if (ikevti_queue_init(&idev->rx_queue, ikevti_receive_finish))
		goto err_tx_queue;
	list_add_rcu(&idev->underlay_node,
		     &ikevti_net(idev->underlay)->devices);
	return 0;

err_tx_queue:
	ikevti_queue_destroy(&idev->tx_queue);
err_gro:
	gro_cells_destroy(&idev->gro);
err_free_stats:
	ikevti_stats_free(idev->stats);
	idev->stats = NULL;
err_free_tstats:
	free_percpu(dev->tstats);
	dev->tstats = NULL;
	return -ENOMEM;
}

/* Under RTNL; the underlay is still alive, it deletes us before dying. */
static void ikevti_dev_uninit(struct net_device *dev)
{
	struct ikevti_device *idev = netdev_priv(dev);

	ikevti_sa_flush(idev);
	ikevti_keepalive_stop(idev);
	list_del_rcu(&idev->underlay_node);
	gro_cells_destroy(&idev->gro);
}

/*
 * Runs once no reference is left, so no datapath can touch the stats; also
 * on a failed registration after ndo_init, which is why it is installed
 * in setup and tolerates ndo_init having failed half way.
 */
static void ikevti_dev_destruct(struct net_device *dev)
{
	struct ikevti_device *idev = netdev_priv(dev);

	/* Every packet in crypto held the device: none is left in padata. */
	ikevti_queue_destroy(&idev->tx_queue);
	ikevti_queue_destroy(&idev->rx_queue);
	ikevti_stats_free(idev->stats);
	free_percpu(dev->tstats);
}

/*
 * Decrypted packets carry no xfrm secpath; without disable_policy an
 * inbound xfrm policy in the device's namespace would drop them.
 * Redirects make no sense on a point-to-point tunnel.
 */
static int ikevti_dev_open(struct net_device *dev)
{
	struct in_device *in4 = __in_dev_get_rtnl(dev);
	struct inet6_dev *in6 = __in6_dev_get(dev);

	if (in4) {
		IN_DEV_CONF_SET(in4, SEND_REDIRECTS, 0);
		IN_DEV_CONF_SET(in4, NOPOLICY, 1);
	}
	if (in6)
		in6->cnf.disable_policy = 1;
	return 0;
}

static const struct net_device_ops ikevti_netdev_ops = {
	.ndo_init = ikevti_dev_init,
	.ndo_uninit = ikevti_dev_uninit,
	.ndo_open = ikevti_dev_open,
	.ndo_start_xmit = ikevti_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void ikevti_setup(struct net_device *dev)
{
	struct ikevti_device *idev = netdev_priv(dev);
	const netdev_features_t features = NETIF_F_SG | NETIF_F_HW_CSUM |
		NETIF_F_RXCSUM | NETIF_F_GSO_SOFTWARE | NETIF_F_HIGHDMA;

	dev->netdev_ops = &ikevti_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = ikevti_dev_destruct;
	dev->header_ops = &ip_tunnel_header_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = LL_MAX_HEADER + worst_overhead(AF_INET6) -
			       IKEVTI_MAX_PAD_LEN - 2 - IKEVTI_MAX_ICV_LEN;
	dev->needed_tailroom = IKEVTI_MAX_PAD_LEN + 2 + IKEVTI_MAX_ICV_LEN;
	dev->features |= NETIF_F_LLTX | features;
	dev->hw_features |= features;
	dev->hw_enc_features |= features;
	set_mtu_for(dev, AF_INET6);
	SET_NETDEV_DEVTYPE(dev, &ikevti_device_type);
	/* icmp_ndo_send() and PMTU updates need the inner dst. */
	netif_keep_dst(dev);

	idev->dev = dev;
	INIT_LIST_HEAD(&idev->sa_list);
	INIT_LIST_HEAD(&idev->underlay_node);
	ikevti_events_dev_init(idev);
	ikevti_keepalive_init(idev);
}

static const struct nla_policy ikevti_link_policy[IFLA_IKEVTI_MAX + 1] = {
	[IFLA_IKEVTI_LOCAL] = { .type = NLA_BINARY,
				.len = sizeof(struct in6_addr) },
	[IFLA_IKEVTI_REMOTE] = { .type = NLA_BINARY,
				 .len = sizeof(struct in6_addr) },
	[IFLA_IKEVTI_FWMARK] = { .type = NLA_U32 },
	[IFLA_IKEVTI_TTL] = { .type = NLA_U8 },
	[IFLA_IKEVTI_DF] = NLA_POLICY_MAX(NLA_U8, IKEVTI_DF_CLEAR),
	[IFLA_IKEVTI_ONDEMAND] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* Parse the attributes present in data over the values already in cfg. */
static int parse_link_config(struct nlattr *data[], struct link_config *cfg,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *nla;
	int err;

	nla = data[IFLA_IKEVTI_LOCAL];
	if (nla) {
		err = ikevti_addr_from_nla(&cfg->local, nla, extack);
		if (!err)
			err = ikevti_addr_check_local(&cfg->local, nla, extack);
		if (err)
			return err;
	}
	nla = data[IFLA_IKEVTI_REMOTE];
	if (nla) {
		err = ikevti_addr_from_nla(&cfg->remote, nla, extack);
		if (!err)
			err = ikevti_addr_check_remote(&cfg->remote, nla,
						       extack);
		if (err)
			return err;
	}
	if (data[IFLA_IKEVTI_FWMARK])
		cfg->fwmark = nla_get_u32(data[IFLA_IKEVTI_FWMARK]);
	if (data[IFLA_IKEVTI_TTL])
		cfg->ttl = nla_get_u8(data[IFLA_IKEVTI_TTL]);
	if (data[IFLA_IKEVTI_DF])
		cfg->df = nla_get_u8(data[IFLA_IKEVTI_DF]);
	if (data[IFLA_IKEVTI_ONDEMAND])
		cfg->ondemand = nla_get_u8(data[IFLA_IKEVTI_ONDEMAND]);
	if (cfg->local.family && cfg->remote.family &&
	    cfg->local.family != cfg->remote.family) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_IKEVTI_REMOTE] ?:
				    data[IFLA_IKEVTI_LOCAL],
				    "local and remote must be of the same family");
		return -EINVAL;
	}
	return 0;
}

static int ikevti_validate(struct nlattr *tb[], struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	struct link_config cfg = {};

	return data ? parse_link_config(data, &cfg, extack) : 0;
}

static void apply_link_config(struct ikevti_device *idev,
			      const struct link_config *cfg)
{
	idev->local = cfg->local;
	idev->remote = cfg->remote;
	idev->fwmark = cfg->fwmark;
	idev->ttl = cfg->ttl;
	idev->df = cfg->df;
	idev->ondemand = cfg->ondemand;
}

static int ikevti_newlink(struct net *src_net, struct net_device *dev,
			  struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	struct ikevti_device *idev = netdev_priv(dev);
	struct link_config cfg = {};
	int err;

	if (data) {
		err = parse_link_config(data, &cfg, extack);
		if (err)
			return err;
	}
	apply_link_config(idev, &cfg);
	/* The requester's namespace (or IFLA_LINK_NETNSID's) carries ESP. */
	idev->underlay = src_net;
	if (!tb[IFLA_MTU] && (cfg.local.family || cfg.remote.family))
		set_mtu_for(dev, cfg.remote.family ?: cfg.local.family);
	/*
	 * Off until registered: linkwatch then sets the operational state
	 * (DOWN), and an on-demand device's carrier going on afterwards
	 * makes it UP rather than leaving it UNKNOWN.
	 */
	netif_carrier_off(dev);
	err = register_netdevice(dev);
	if (err)
		return err;
	ikevti_device_update_carrier(idev);
	netdev_dbg(dev, "interface created\n");
	return 0;
}

static void ikevti_dellink(struct net_device *dev, struct list_head *head)
{
	netdev_dbg(dev, "interface deleted\n");
	unregister_netdevice_queue(dev, head);
}

/* Routes cached by outbound SAs may no longer match the new fwmark. */
static void reset_route_caches(struct ikevti_device *idev)
{
	struct ikevti_sa *sa;

	list_for_each_entry(sa, &idev->sa_list, dev_node) {
		if (sa->dir == IKEVTI_DIR_OUT)
			dst_cache_reset(&sa->dst_cache);
	}
}

static int ikevti_changelink(struct net_device *dev, struct nlattr *tb[],
			     struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	struct ikevti_device *idev = netdev_priv(dev);
	struct link_config cfg = {
		.local = idev->local, .remote = idev->remote,
		.fwmark = idev->fwmark, .ttl = idev->ttl, .df = idev->df,
		.ondemand = idev->ondemand,
	};
	int err;

	if (!data)
		return 0;
	err = parse_link_config(data, &cfg, extack);
	if (err)
		return err;
	/* SAs took their addresses from the device when installed. */
	if (idev->sa_count && (!ikevti_addr_equal(&cfg.local, &idev->local) ||
			       !ikevti_addr_equal(&cfg.remote, &idev->remote))) {
		NL_SET_ERR_MSG(extack,
			       "addresses cannot change while SAs exist: flush SAs first");
		return -EBUSY;
	}
	apply_link_config(idev, &cfg);
	reset_route_caches(idev);
	ikevti_device_update_carrier(idev);
	return 0;
}

static size_t ikevti_get_size(const struct net_device *dev)
{
	return 2 * nla_total_size(sizeof(struct in6_addr)) +
	       nla_total_size(sizeof(u32)) + 3 * nla_total_size(sizeof(u8));
}

static int ikevti_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct ikevti_device *idev = netdev_priv(dev);

	if (ikevti_addr_put(skb, IFLA_IKEVTI_LOCAL, &idev->local) ||
	    ikevti_addr_put(skb, IFLA_IKEVTI_REMOTE, &idev->remote) ||
	    nla_put_u32(skb, IFLA_IKEVTI_FWMARK, idev->fwmark) ||
	    nla_put_u8(skb, IFLA_IKEVTI_TTL, idev->ttl) ||
	    nla_put_u8(skb, IFLA_IKEVTI_DF, idev->df) ||
	    nla_put_u8(skb, IFLA_IKEVTI_ONDEMAND, idev->ondemand))
		return -EMSGSIZE;
	return 0;
}

static struct net *ikevti_get_link_net(const struct net_device *dev)
{
	const struct ikevti_device *idev = netdev_priv(dev);

	return idev->underlay;
}

struct rtnl_link_ops ikevti_link_ops __read_mostly = {
	.kind = IKEVTI_LINK_KIND,
	.priv_size = sizeof(struct ikevti_device),
	.maxtype = IFLA_IKEVTI_MAX,
	.policy = ikevti_link_policy,
	.setup = ikevti_setup,
	.validate = ikevti_validate,
	.newlink = ikevti_newlink,
	.changelink = ikevti_changelink,
	.dellink = ikevti_dellink,
	.get_size = ikevti_get_size,
	.fill_info = ikevti_fill_info,
	.get_link_net = ikevti_get_link_net,
};

int ikevti_device_init(void)
{
	return rtnl_link_register(&ikevti_link_ops);
}

void ikevti_device_uninit(void)
{
	rtnl_link_unregister(&ikevti_link_ops);
}
