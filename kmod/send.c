// SPDX-License-Identifier: GPL-2.0
/*
 * ESP tunnel-mode output (RFC 4303) over an IPv4 or IPv6 underlay.
 *
 * Per packet: pick the current outbound SA, route the outer packet
 * (which also gives the path MTU), segment GSO packets, then for each
 * packet append the trailer, push the ESP header, encrypt (maybe
 * asynchronously) and hand the result to iptunnel_xmit() or, for IPv6,
 * ip6tunnel_xmit(), or for UDP-encapsulated SAs to encap.c. The outer
 * family and encapsulation only matter in route_outer(), outer_hlen()
 * and send_outer(). Over IPv6 there is no DF bit: packets we may
 * fragment are marked ignore_df, all others were checked against the
 * path MTU. Lifetimes are charged before a sequence number is spent.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dsfield.h>
#include <net/esp.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip6_route.h>
#include <net/ip6_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>

#include "device.h"
#include "encap.h"
#include "events.h"
#include "lifetime.h"
#include "parallel.h"
#include "sa.h"
#include "send.h"

/* What an encryption that completes later needs to finish the packet. */
struct tx_cb {
	struct ikevti_sa *sa;
	struct dst_entry *dst;
	struct ikevti_addr saddr;	/* daddr is the SA's remote */
	unsigned int inner_len;
	__be16 df;
	u8 tos, ttl;
};

static struct tx_cb *tx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct tx_cb) > sizeof(skb->cb));
	return (struct tx_cb *)skb->cb;
}

static void tx_drop(struct ikevti_device *idev, struct ikevti_sa *sa,
		    struct sk_buff *skb, int counter)
{
	if (sa)
		ikevti_stats_inc(sa->stats, counter);
	ikevti_stats_inc(idev->stats, counter);
	DEV_STATS_INC(idev->dev, tx_errors);
	kfree_skb(skb);
}

/* Only IPv4 and IPv6, and skb->protocol must agree with the header. */
static bool inner_protocol_ok(struct sk_buff *skb)
{
	__be16 proto = ip_tunnel_parse_protocol(skb);

	if (proto != skb->protocol)
		return false;
	if (proto == htons(ETH_P_IP))
		return pskb_network_may_pull(skb, sizeof(struct iphdr));
	if (proto == htons(ETH_P_IPV6))
		return pskb_network_may_pull(skb, sizeof(struct ipv6hdr));
	return false;
}

static bool inner_df(const struct sk_buff *skb)
{
	/* IPv6 is never fragmented on the way: treat it as DF. */
	if (skb->protocol == htons(ETH_P_IPV6))
		return true;
	return ip_hdr(skb)->frag_off & htons(IP_DF);
}

/*
 * Outer TOS (IPv6: traffic class): DSCP copied, ECN encapsulated in
 * RFC 6040 normal mode. Outer TTL or hop limit: the device's, or the
 * inner one. Outer DF: RFC 4301 8.1; over IPv6 a clear DF means the
 * outer packet may be fragmented by us.
 */
static void outer_fields(const struct ikevti_device *idev,
			 struct sk_buff *skb, struct tx_cb *cb)
{
	u8 dsfield, ttl;

	if (skb->protocol == htons(ETH_P_IP)) {
		dsfield = ip_hdr(skb)->tos;
		ttl = ip_hdr(skb)->ttl;
	} else {
		dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
		ttl = ipv6_hdr(skb)->hop_limit;
	}
	cb->tos = INET_ECN_encapsulate(dsfield, dsfield);
	cb->ttl = idev->ttl ?: ttl;
	if (idev->df == IKEVTI_DF_SET)
		cb->df = htons(IP_DF);
	else if (idev->df == IKEVTI_DF_CLEAR)
		cb->df = 0;
	else
		cb->df = inner_df(skb) ? htons(IP_DF) : 0;
}

static bool outer_is_v6(const struct ikevti_sa *sa)
{
	return sa->remote.family == AF_INET6;
}

/* Outer IP header, and the UDP header of an encapsulated SA. */
static unsigned int outer_hlen(const struct ikevti_sa *sa)
{
	unsigned int udp = ikevti_sa_encap(sa) ? sizeof(struct udphdr) : 0;

	return udp + (outer_is_v6(sa) ? sizeof(struct ipv6hdr) :
					 sizeof(struct iphdr));
}

/* A route back into ourselves would loop until the TTL runs out. */
static bool route_loops(const struct ikevti_device *idev,
			struct dst_entry *dst)
{
	if (dst->dev != idev->dev)
		return false;
	dst_release(dst);
	return true;
}

static struct dst_entry *route_outer4(struct ikevti_device *idev,
				      struct ikevti_sa *sa,
				      struct ikevti_addr *saddr)
{
	struct flowi4 fl4 = {
		.saddr = sa->local.family ? sa->local.v4 : 0,
		.flowi4_proto = IPPROTO_ESP,
		.flowi4_mark = idev->fwmark,
	};
	struct ikevti_addr peer;
	struct rtable *rt;

	rt = dst_cache_get_ip4(&sa->dst_cache, &saddr->v4);
	if (rt)
		return &rt->dst;
	ikevti_sa_peer(sa, &peer, &fl4.fl4_dport);
	fl4.daddr = peer.v4;
	if (ikevti_sa_encap(sa)) {
		fl4.flowi4_proto = IPPROTO_UDP;
		fl4.fl4_sport = sa->encap_sport;
	}
	rt = ip_route_output_key(idev->underlay, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	if (route_loops(idev, &rt->dst))
		return ERR_PTR(-ELOOP);
	dst_cache_set_ip4(&sa->dst_cache, &rt->dst, fl4.saddr);
	saddr->v4 = fl4.saddr;
	return &rt->dst;
}

static struct dst_entry *route_outer6(struct ikevti_device *idev,
				      struct ikevti_sa *sa,
				      struct ikevti_addr *saddr)
{
	struct flowi6 fl6 = {
		.flowi6_proto = IPPROTO_ESP,
		.flowi6_mark = idev->fwmark,
	};
	struct ikevti_addr peer;
	struct dst_entry *dst;

	if (sa->local.family)
		fl6.saddr = sa->local.v6;
	dst = dst_cache_get_ip6(&sa->dst_cache, &saddr->v6);
	if (dst)
		return dst;
	ikevti_sa_peer(sa, &peer, &fl6.fl6_dport);
	fl6.daddr = peer.v6;
	if (ikevti_sa_encap(sa)) {
		fl6.flowi6_proto = IPPROTO_UDP;
		fl6.fl6_sport = sa->encap_sport;
	}
	/* Also picks a source address when the SA has none. */
	dst = ipv6_stub->ipv6_dst_lookup_flow(idev->underlay, NULL, &fl6,
					      NULL);
	if (IS_ERR(dst))
		return dst;
	if (route_loops(idev, dst))
		return ERR_PTR(-ELOOP);
	dst_cache_set_ip6(&sa->dst_cache, dst, &fl6.saddr);
	saddr->v6 = fl6.saddr;
	return dst;
}

/* The route of the outer packet, cached per SA, and its source address. */
struct dst_entry *ikevti_route_outer(struct ikevti_device *idev,
				     struct ikevti_sa *sa,
				     struct ikevti_addr *saddr)
{
	memset(saddr, 0, sizeof(*saddr));
	saddr->family = sa->remote.family;
	if (outer_is_v6(sa))
		return route_outer6(idev, sa, saddr);
	return route_outer4(idev, sa, saddr);
}

/* The largest inner packet whose ESP packet fits an outer MTU. */
static unsigned int inner_mtu(const struct ikevti_sa *sa, unsigned int mtu)
{
	unsigned int fixed = outer_hlen(sa) + sizeof(struct ip_esp_hdr) +
			     sa->iv_len + sa->icv_len;

	if (mtu < fixed + sa->pad_align)
		return 0;
	return round_down(mtu - fixed, sa->pad_align) - 2;
}

static bool fits(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb_is_gso(skb))
		return skb_gso_validate_network_len(skb, mtu);
	return skb->len <= mtu;
}

enum mtu_verdict { MTU_FITS, MTU_FRAGMENT, MTU_REFUSED };

/*
 * Packets that may not be fragmented and do not fit are refused with
 * the MTU they would need (RFC 4301 8.2); the rest are encapsulated and
 * the outer packet is fragmented. IPv6 packets up to 1280 bytes must
 * always get through, by outer fragmentation if need be.
 */
static enum mtu_verdict check_path_mtu(struct ikevti_device *idev,
				       struct ikevti_sa *sa,
				       struct sk_buff *skb, struct dst_entry *dst)
{
	unsigned int mtu = inner_mtu(sa, dst_mtu(dst));

	if (fits(skb, mtu))
		return MTU_FITS;
	if (skb->protocol == htons(ETH_P_IP)) {
		if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
			return MTU_FRAGMENT;
		mtu = max_t(unsigned int, mtu, IPV4_MIN_MTU);
		skb_dst_update_pmtu_no_confirm(skb, mtu);
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			      htonl(mtu));
	} else {
		if (fits(skb, IPV6_MIN_MTU))
			return MTU_FRAGMENT;
		mtu = max_t(unsigned int, mtu, IPV6_MIN_MTU);
		skb_dst_update_pmtu_no_confirm(skb, mtu);
		icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	}
	DEV_STATS_INC(idev->dev, tx_dropped);
	return MTU_REFUSED;
}

/* Sequence numbers never wrap (RFC 4303 3.3.3): the SA must be rekeyed. */
static bool next_seq(struct ikevti_sa *sa, u64 *seq)
{
	u64 s = atomic64_inc_return(&sa->seq_out);

	if (ikevti_sa_esn(sa) ? s == 0 : s > U32_MAX)
		return false;
	*seq = s;
	return true;
}

/* Append padding 1, 2, 3... (RFC 4303 2.4), pad length, next header. */
static void write_trailer(u8 *tail, unsigned int padlen, u8 nexthdr)
{
	unsigned int i;

	for (i = 0; i < padlen; i++)
		tail[i] = i + 1;
	tail[padlen] = padlen;
	tail[padlen + 1] = nexthdr;
}

static void xmit_ip4(struct ikevti_device *idev, struct sk_buff *skb,
		     const struct tx_cb *cb)
{
	struct rtable *rt = container_of(cb->dst, struct rtable, dst);

	iptunnel_xmit(NULL, rt, skb, cb->saddr.v4, cb->sa->remote.v4,
		      IPPROTO_ESP, cb->tos, cb->ttl, cb->df,
		      ikevti_device_xnet(idev));
}

/*
 * ip6tunnel_xmit() wants the outer header in place, unlike
 * iptunnel_xmit(), so this is the IPv6 counterpart of the latter. The
 * payload length is filled in by ip6_local_out().
 */
static void xmit_ip6(struct ikevti_device *idev, struct sk_buff *skb,
		     const struct tx_cb *cb)
{
	struct ipv6hdr *ip6h;

	skb_scrub_packet(skb, ikevti_device_xnet(idev));
	skb_clear_hash_if_not_l4(skb);
	skb_dst_set(skb, cb->dst);
	/* Only packets allowed to be fragmented get here too big. */
	skb->ignore_df = !cb->df;
	skb->protocol = htons(ETH_P_IPV6);
	skb->dev = idev->dev;
	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, cb->tos, 0);
	ip6h->nexthdr = IPPROTO_ESP;
	ip6h->hop_limit = cb->ttl;
	ip6h->saddr = cb->saddr.v6;
	ip6h->daddr = cb->sa->remote.v6;
	ip6tunnel_xmit(NULL, skb, idev->dev);
}

/* Runs in whatever context crypto completed in; BH is off here. */
void ikevti_send_finish(struct sk_buff *skb, int err)
{
	struct tx_cb cb = *tx_cb(skb);
	struct ikevti_sa *sa = cb.sa;
	struct ikevti_device *idev = sa->idev;
	unsigned long now;

	if (unlikely(err)) {
		net_dbg_ratelimited("%s: %s: %d\n", idev->dev->name,
				    err == -ENOBUFS ? "crypto queue full" :
				    "encryption failed", err);
		dst_release(cb.dst);
		tx_drop(idev, sa, skb, IKEVTI_STATS_A_SEND_ERROR);
	} else {
		ikevti_stats_inc(sa->stats, IKEVTI_STATS_A_PACKETS);
		ikevti_stats_add(sa->stats, IKEVTI_STATS_A_BYTES, cb.inner_len);
		ikevti_stats_inc(idev->stats, IKEVTI_STATS_A_PACKETS);
		ikevti_stats_add(idev->stats, IKEVTI_STATS_A_BYTES,
				 cb.inner_len);
		/* For NAT keepalives; one store a jiffy at most. */
		now = jiffies;
		if (READ_ONCE(sa->last_tx) != now)
			WRITE_ONCE(sa->last_tx, now);
		if (ikevti_sa_encap(sa))
			ikevti_encap_xmit(idev, sa, skb, cb.dst, &cb.saddr,
					  cb.tos, cb.ttl, cb.df);
		else if (outer_is_v6(sa))
			xmit_ip6(idev, skb, &cb);
		else
			xmit_ip4(idev, skb, &cb);
	}
	dev_put(idev->dev);
	ikevti_sa_put(sa);
}

static void encrypt_done(struct crypto_async_request *base, int err)
{
	struct ikevti_crypt *c = base->data;
	struct sk_buff *skb = c->skb;

	/* Only a backlogged request is told this; we never backlog. */
	if (err == -EINPROGRESS)
		return;
	ikevti_crypt_free(c);
	/* cryptd may complete in process context: be like softirq. */
	local_bh_disable();
	rcu_read_lock();
	ikevti_send_finish(skb, err);
	rcu_read_unlock();
	local_bh_enable();
}

/*
 * Build [ESP header | IV | payload | padding | pad len | next header |
 * ICV] around the inner packet and start encrypting it. The AAD lives in
 * the request, not in the packet, so the ESP header is written once.
 */
static int encapsulate(struct ikevti_sa *sa, struct sk_buff *skb,
		       struct ikevti_crypt **cp, u64 seq)
{
	unsigned int plen = skb->len, hdrlen, padlen, tailen;
	struct ip_esp_hdr *esph;
	struct sk_buff *trailer;
	struct ikevti_crypt *c;
	u8 nexthdr;
	int nfrags;

	nexthdr = skb->protocol == htons(ETH_P_IP) ? IPPROTO_IPIP :
						     IPPROTO_IPV6;
	hdrlen = sizeof(*esph) + sa->iv_len;
	padlen = ALIGN(plen + 2, sa->pad_align) - plen - 2;
	tailen = padlen + 2 + sa->icv_len;
	if (skb_cow_head(skb, hdrlen + outer_hlen(sa) + LL_MAX_HEADER))
		return -ENOMEM;
	nfrags = skb_cow_data(skb, tailen, &trailer);
	if (nfrags < 0)
		return nfrags;
	write_trailer(pskb_put(skb, trailer, tailen), padlen, nexthdr);
	esph = skb_push(skb, hdrlen);
	esph->spi = sa->spi;
	esph->seq_no = htonl(lower_32_bits(seq));

	c = ikevti_crypt_alloc(sa->aead, nfrags);
	if (!c)
		return -ENOMEM;
	*cp = c;
	ikevti_crypt_set_aad(c, sa->spi, seq, ikevti_sa_esn(sa));
	/* geniv turns the sequence number into the real IV (esp4 does too) */
	memset(c->iv, 0, sa->iv_len);
	put_unaligned_be64(seq, c->iv + sa->iv_len - sizeof(u64));
	aead_request_set_callback(c->req, 0, encrypt_done, c);
	aead_request_set_ad(c->req, c->assoclen);
	aead_request_set_crypt(c->req, c->sg, c->sg,
			       sa->iv_len + plen + padlen + 2, c->iv);
	return ikevti_crypt_map(c, skb, sizeof(*esph), skb->len - sizeof(*esph),
				nfrags);
}

/* Encrypt one (non-GSO) packet; consumes skb and the route reference. */
static void esp_output(struct ikevti_device *idev, struct ikevti_sa *sa,
		       struct sk_buff *skb, struct dst_entry *dst,
		       const struct ikevti_addr *saddr, bool fragment)
{
	struct tx_cb *cb = tx_cb(skb);
	struct ikevti_crypt *c = NULL;
	u64 seq;
	int err;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto drop_error;
	if (!ikevti_lifetime_charge(sa, skb->len)) {
		/* Traffic wants an SA that may not carry it: ask for one. */
		ikevti_event_acquire(idev);
		dst_release(dst);
		tx_drop(idev, sa, skb, IKEVTI_STATS_A_EXPIRED);
		return;
	}
	if (!next_seq(sa, &seq)) {
		dst_release(dst);
		tx_drop(idev, sa, skb, IKEVTI_STATS_A_SEQ_OVERFLOW);
		return;
	}
	outer_fields(idev, skb, cb);
	if (fragment)
		cb->df = 0;
	cb->inner_len = skb->len;
	cb->dst = dst;
	cb->saddr = *saddr;
	err = encapsulate(sa, skb, &c, seq);
	if (err)
		goto drop_error;
	cb->sa = sa;
	kref_get(&sa->ref);
	dev_hold(idev->dev);
	err = ikevti_crypt_run(&idev->tx_queue, c, true);
	if (err == -EINPROGRESS)
		return;
	ikevti_crypt_free(c);
	ikevti_send_finish(skb, err);
	return;

drop_error:
	ikevti_crypt_free(c);
	dst_release(dst);
	tx_drop(idev, sa, skb, IKEVTI_STATS_A_SEND_ERROR);
}

static void send_segments(struct ikevti_device *idev, struct ikevti_sa *sa,
			  struct sk_buff *skb, struct dst_entry *dst,
			  const struct ikevti_addr *saddr, bool fragment)
{
	struct sk_buff *segs, *next;

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		dst_release(dst);
		tx_drop(idev, sa, skb, IKEVTI_STATS_A_SEND_ERROR);
		return;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		dst_hold(dst);
		esp_output(idev, sa, skb, dst, saddr, fragment);
	}
	dst_release(dst);
}

static void send_packet(struct ikevti_device *idev, struct ikevti_sa *sa,
			struct sk_buff *skb)
{
	struct ikevti_addr saddr;
	enum mtu_verdict verdict;
	struct dst_entry *dst;

	dst = ikevti_route_outer(idev, sa, &saddr);
	if (IS_ERR(dst)) {
		net_dbg_ratelimited("%s: no route for SPI 0x%08x: %ld\n",
				    idev->dev->name, ntohl(sa->spi),
				    PTR_ERR(dst));
		DEV_STATS_INC(idev->dev, tx_carrier_errors);
		tx_drop(idev, sa, skb, IKEVTI_STATS_A_SEND_ERROR);
		return;
	}
	verdict = check_path_mtu(idev, sa, skb, dst);
	if (verdict == MTU_REFUSED) {
		dst_release(dst);
		kfree_skb(skb);
		return;
	}
	if (skb_is_gso(skb))
		send_segments(idev, sa, skb, dst, &saddr,
			      verdict == MTU_FRAGMENT);
	else
		esp_output(idev, sa, skb, dst, &saddr,
			   verdict == MTU_FRAGMENT);
}

/* LLTX: runs on many CPUs at once; always consumes the packet. */
netdev_tx_t ikevti_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ikevti_device *idev = netdev_priv(dev);
	struct ikevti_sa *sa;

	if (!inner_protocol_ok(skb)) {
		net_dbg_ratelimited("%s: dropping non-IP packet\n", dev->name);
		DEV_STATS_INC(dev, tx_errors);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	sa = ikevti_sa_get_tx(idev);
	if (!sa) {
		ikevti_stats_inc(idev->stats, IKEVTI_STATS_A_NO_TX_SA);
		ikevti_event_acquire(idev);
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	skb_reset_inner_headers(skb);
	send_packet(idev, sa, skb);
	ikevti_sa_put(sa);
	return NETDEV_TX_OK;
}
