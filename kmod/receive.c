// SPDX-License-Identifier: GPL-2.0
/*
 * ESP input. xfrm4_protocol and xfrm6_protocol (IP protocol 50, and
 * ESP-in-UDP once the helper's port 4500 socket hands it over) offer
 * every ESP packet to a priority-ordered chain; ikevti sits first and
 * claims only SPIs it owns in the namespace the packet arrived in.
 * Everything else is returned untouched with -EINVAL, so native xfrm SAs
 * on the same host work as before. Both families share one path; only
 * reading the outer header (outer_addr(), outer_dsfield()) and the ICMP
 * error handlers differ.
 *
 * Per packet: encapsulation check, length checks, replay pre-check,
 * decrypt (maybe asynchronously), replay check-and-set, the peer's NAT
 * mapping, trailer checks, strip, inner sanity, lifetime, scrub, ECN,
 * GRO. Each drop has its own counter.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dsfield.h>
#include <net/esp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/xfrm.h>

#include "device.h"
#include "encap.h"
#include "lifetime.h"
#include "netns.h"
#include "parallel.h"
#include "receive.h"
#include "sa.h"

/* What a decryption that completes later needs to finish the packet. */
struct rx_cb {
	struct ikevti_sa *sa;
	u64 seq;
	struct ikevti_addr from;	/* outer source, UDP-encapsulated SAs */
	__be16 from_port;
	u8 outer_tos;
};

static struct rx_cb *rx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct rx_cb) > sizeof(skb->cb));
	return (struct rx_cb *)skb->cb;
}

static void rx_drop(struct ikevti_sa *sa, struct sk_buff *skb, int counter)
{
	struct ikevti_device *idev = sa->idev;

	if (counter) {
		ikevti_stats_inc(sa->stats, counter);
		ikevti_stats_inc(idev->stats, counter);
	}
	DEV_STATS_INC(idev->dev, rx_errors);
	kfree_skb(skb);
}

static int replay_counter(enum ikevti_replay_verdict verdict)
{
	return verdict == IKEVTI_REPLAY_DUP ? IKEVTI_STATS_A_REPLAY :
					       IKEVTI_STATS_A_TOO_OLD;
}

/*
 * Check the padding (RFC 4303 2.4: 1, 2, 3...), that pad length and next
 * header leave at least one byte of payload, and cut the trailer off.
 * Returns the next header, or a negative IKEVTI_STATS_A_* counter.
 */
static int strip_trailer(struct ikevti_sa *sa, struct sk_buff *skb)
{
	unsigned int hlen = sizeof(struct ip_esp_hdr) + sa->iv_len;
	unsigned int tail = skb->len - sa->icv_len - 2;
	u8 pad[256], padlen, nexthdr;
	unsigned int i;

	if (skb_copy_bits(skb, tail, pad, 2))
		return -IKEVTI_STATS_A_BAD_LENGTH;
	padlen = pad[0];
	nexthdr = pad[1];
	if (hlen + padlen >= tail)
		return -IKEVTI_STATS_A_BAD_PAD;
	if (skb_copy_bits(skb, tail - padlen, pad, padlen))
		return -IKEVTI_STATS_A_BAD_LENGTH;
	for (i = 0; i < padlen; i++) {
		if (pad[i] != (u8)(i + 1))
			return -IKEVTI_STATS_A_BAD_PAD;
	}
	if (pskb_trim(skb, tail - padlen))
		return -IKEVTI_STATS_A_BAD_LENGTH;
	return nexthdr;
}

/*
 * The inner header must be complete and claim no more than arrived; what
 * follows it is TFC padding (RFC 4303 2.7) and is trimmed.
 */
static bool inner_length_ok(struct sk_buff *skb)
{
	unsigned int len;

	if (skb->protocol == htons(ETH_P_IP)) {
		if (!pskb_may_pull(skb, sizeof(struct iphdr)))
			return false;
		len = ntohs(ip_hdr(skb)->tot_len);
		if (ip_hdr(skb)->version != 4 ||
		    len < ip_hdr(skb)->ihl * 4u || ip_hdr(skb)->ihl < 5)
			return false;
	} else {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return false;
		len = ntohs(ipv6_hdr(skb)->payload_len) +
		      sizeof(struct ipv6hdr);
		if (ipv6_hdr(skb)->version != 6)
			return false;
	}
	return len <= skb->len && !pskb_trim(skb, len);
}

static u8 inner_dsfield(const struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		return ipv4_get_dsfield(ip_hdr(skb));
	return ipv6_get_dsfield(ipv6_hdr(skb));
}

static void deliver(struct ikevti_sa *sa, struct sk_buff *skb)
{
	struct ikevti_device *idev = sa->idev;
	unsigned int len = skb->len;

	skb_scrub_packet(skb, ikevti_device_xnet(idev));
	skb->dev = idev->dev;
	memset(skb->cb, 0, sizeof(skb->cb));
	ikevti_stats_inc(sa->stats, IKEVTI_STATS_A_PACKETS);
	ikevti_stats_add(sa->stats, IKEVTI_STATS_A_BYTES, len);
	ikevti_stats_inc(idev->stats, IKEVTI_STATS_A_PACKETS);
	ikevti_stats_add(idev->stats, IKEVTI_STATS_A_BYTES, len);
	dev_sw_netstats_rx_add(idev->dev, len);
	if (gro_cells_receive(&idev->gro, skb) != NET_RX_SUCCESS)
		DEV_STATS_INC(idev->dev, rx_dropped);
}

/* Map the next header to the inner protocol; 0 for a dummy packet. */
static int inner_protocol(struct sk_buff *skb, int nexthdr)
{
	switch (nexthdr) {
	case IPPROTO_IPIP:
		skb->protocol = htons(ETH_P_IP);
		return 1;
	case IPPROTO_IPV6:
		skb->protocol = htons(ETH_P_IPV6);
		return 1;
	case IPPROTO_NONE:
		return 0;
	}
	return -IKEVTI_STATS_A_BAD_NEXTHDR;
}

/*
 * After an authenticated decryption: everything but the crypto.
 * Returns 0 when the packet went on, else the counter to charge (or -1
 * for a drop with no counter of its own).
 */
static int decap(struct ikevti_sa *sa, struct sk_buff *skb,
		 const struct rx_cb *cb)
{
	unsigned int hlen = sizeof(struct ip_esp_hdr) + sa->iv_len;
	enum ikevti_replay_verdict verdict;
	int ret;

	verdict = ikevti_replay_advance(sa->replay, cb->seq);
	if (verdict != IKEVTI_REPLAY_OK)
		return replay_counter(verdict);
	/* Only now is the source known to hold the key (RFC 7296 2.23). */
	if (ikevti_sa_encap(sa))
		ikevti_encap_rx_peer(sa, &cb->from, cb->from_port);
	ret = strip_trailer(sa, skb);
	if (ret >= 0)
		ret = inner_protocol(skb, ret);
	if (ret < 0)
		return -ret;
	if (!ret) {
		/* RFC 4303 2.6: dummy packets are discarded silently. */
		consume_skb(skb);
		return 0;
	}
	if (!pskb_may_pull(skb, hlen))
		return IKEVTI_STATS_A_BAD_LENGTH;
	__skb_pull(skb, hlen);
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	if (!inner_length_ok(skb))
		return IKEVTI_STATS_A_BAD_LENGTH;
	/* RFC 6040: CE on a not-ECT inner packet means drop. */
	if (INET_ECN_decapsulate(skb, cb->outer_tos, inner_dsfield(skb)) > 1)
		return -1;
	if (!ikevti_lifetime_charge(sa, skb->len))
		return IKEVTI_STATS_A_EXPIRED;
	deliver(sa, skb);
	return 0;
}

/* Runs in whatever context crypto completed in; BH is off here. */
void ikevti_receive_finish(struct sk_buff *skb, int err)
{
	struct rx_cb cb = *rx_cb(skb);
	struct ikevti_sa *sa = cb.sa;
	struct net_device *dev = sa->idev->dev;

	if (err == -EBADMSG) {
		net_dbg_ratelimited("%s: ICV check failed, SPI 0x%08x seq %llu\n",
				    dev->name, ntohl(sa->spi), cb.seq);
		rx_drop(sa, skb, IKEVTI_STATS_A_AUTH_FAIL);
	} else if (err == -ENOBUFS) {
		net_dbg_ratelimited("%s: crypto queue full\n", dev->name);
		DEV_STATS_INC(dev, rx_dropped);
		kfree_skb(skb);
	} else if (err) {
		net_dbg_ratelimited("%s: decryption failed: %d\n", dev->name,
				    err);
		rx_drop(sa, skb, IKEVTI_STATS_A_BAD_LENGTH);
	} else {
		err = decap(sa, skb, &cb);
		if (err)
			rx_drop(sa, skb, max(err, 0));
	}
	dev_put(dev);
	ikevti_sa_put(sa);
}

static void decrypt_done(struct crypto_async_request *base, int err)
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
	ikevti_receive_finish(skb, err);
	rcu_read_unlock();
	local_bh_enable();
}

/* Lengths any ESP packet of this SA must have, before spending crypto. */
static bool esp_length_ok(const struct ikevti_sa *sa,
			  const struct sk_buff *skb)
{
	unsigned int hlen = sizeof(struct ip_esp_hdr) + sa->iv_len;
	unsigned int clen;

	if (skb->len < hlen + sa->icv_len + 2)
		return false;
	clen = skb->len - hlen - sa->icv_len;
	return !(clen % crypto_aead_blocksize(sa->aead));
}

static int start_decrypt(struct ikevti_sa *sa, struct sk_buff *skb, u64 seq,
			 struct ikevti_crypt **cp)
{
	struct sk_buff *trailer;
	struct ikevti_crypt *c;
	int nfrags;

	/* A CHECKSUM_COMPLETE value would describe the ciphertext. */
	skb->ip_summed = CHECKSUM_NONE;
	nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		return nfrags;
	c = ikevti_crypt_alloc(sa->aead, nfrags);
	if (!c)
		return -ENOMEM;
	*cp = c;
	ikevti_crypt_set_aad(c, sa->spi, seq, ikevti_sa_esn(sa));
	aead_request_set_callback(c->req, 0, decrypt_done, c);
	aead_request_set_ad(c->req, c->assoclen);
	aead_request_set_crypt(c->req, c->sg, c->sg,
			       skb->len - sizeof(struct ip_esp_hdr), c->iv);
	return ikevti_crypt_map(c, skb, sizeof(struct ip_esp_hdr),
				skb->len - sizeof(struct ip_esp_hdr), nfrags);
}

/* The network header is the outer one, of either family. */
static bool outer_is_v6(const struct sk_buff *skb)
{
	return ip_hdr(skb)->version == 6;
}

static u8 outer_dsfield(const struct sk_buff *skb)
{
	if (outer_is_v6(skb))
		return ipv6_get_dsfield(ipv6_hdr(skb));
	return ipv4_get_dsfield(ip_hdr(skb));
}

static void outer_addr(const struct sk_buff *skb, struct ikevti_addr *addr,
		       bool source)
{
	memset(addr, 0, sizeof(*addr));
	if (outer_is_v6(skb)) {
		addr->family = AF_INET6;
		addr->v6 = source ? ipv6_hdr(skb)->saddr : ipv6_hdr(skb)->daddr;
	} else {
		addr->family = AF_INET;
		addr->v4 = source ? ip_hdr(skb)->saddr : ip_hdr(skb)->daddr;
	}
}

/* skb->data is at the ESP header; consumes skb and the SA reference. */
static void esp_input(struct ikevti_sa *sa, struct sk_buff *skb)
{
	const struct ip_esp_hdr *esph = (const struct ip_esp_hdr *)skb->data;
	enum ikevti_replay_verdict verdict;
	struct ikevti_crypt *c = NULL;
	struct rx_cb *cb = rx_cb(skb);
	u32 seq_lo = ntohl(esph->seq_no);
	int err;

	cb->sa = sa;
	cb->outer_tos = outer_dsfield(skb);
	if (ikevti_sa_encap(sa)) {
		outer_addr(skb, &cb->from, true);
		cb->from_port = ikevti_encap_rx_sport(skb);
	}
	cb->seq = ikevti_sa_esn(sa) ?
		  ikevti_replay_infer_esn(sa->replay, seq_lo) : seq_lo;
	if (!esp_length_ok(sa, skb)) {
		rx_drop(sa, skb, IKEVTI_STATS_A_BAD_LENGTH);
		goto out_put;
	}
	/* No crypto for an SA that may not deliver anything anymore. */
	if (ikevti_lifetime_expired(sa)) {
		rx_drop(sa, skb, IKEVTI_STATS_A_EXPIRED);
		goto out_put;
	}
	verdict = ikevti_replay_precheck(sa->replay, cb->seq);
	if (verdict != IKEVTI_REPLAY_OK) {
		rx_drop(sa, skb, replay_counter(verdict));
		goto out_put;
	}
	err = start_decrypt(sa, skb, cb->seq, &c);
	if (err) {
		ikevti_crypt_free(c);
		DEV_STATS_INC(sa->idev->dev, rx_dropped);
		kfree_skb(skb);
		goto out_put;
	}
	dev_hold(sa->idev->dev);
	err = ikevti_crypt_run(&sa->idev->rx_queue, c, false);
	if (err == -EINPROGRESS)
		return;
	ikevti_crypt_free(c);
	ikevti_receive_finish(skb, err);
	return;
out_put:
	ikevti_sa_put(sa);
}

/* An SA with a known outer family takes nothing of the other one. */
static bool local_matches(const struct ikevti_sa *sa,
			  const struct ikevti_addr *daddr)
{
	u8 family = sa->local.family ?: sa->remote.family;

	if (family && family != daddr->family)
		return false;
	return ikevti_addr_is_any(&sa->local) ||
	       ikevti_addr_equal(&sa->local, daddr);
}

/*
 * An unknown SPI sent to the local address of one of our devices is
 * charged to that device, unless a native xfrm state takes it. Only
 * such packets pay for the device walk.
 */
static void count_no_sa(struct net *net, struct sk_buff *skb, __be32 spi,
			const struct ikevti_addr *daddr)
{
	struct ikevti_device *idev;
	struct xfrm_state *x;

	list_for_each_entry_rcu(idev, &ikevti_net(net)->devices,
				underlay_node) {
		if (!ikevti_addr_equal(&idev->local, daddr))
			continue;
		/* v4 and v6 both start the union, as in xfrm_address_t. */
		x = xfrm_state_lookup(net, skb->mark,
				      (const xfrm_address_t *)&daddr->v6, spi,
				      IPPROTO_ESP, daddr->family);
		if (x) {
			xfrm_state_put(x);
			return;
		}
		ikevti_stats_inc(idev->stats, IKEVTI_STATS_A_NO_SA);
		return;
	}
}

/*
 * Ours or not? -EINVAL hands the packet, unmodified, to the next handler
 * (vti, xfrmi, esp4/esp6); 0 means we consumed it. Either family.
 */
static int claim_esp(struct sk_buff *skb, int encap_type)
{
	struct net *net = dev_net(skb->dev);
	struct ikevti_addr daddr;
	struct ikevti_sa *sa;
	__be32 spi;

	if (!pskb_may_pull(skb, sizeof(struct ip_esp_hdr)))
		return -EINVAL;
	spi = ((const struct ip_esp_hdr *)skb->data)->spi;
	outer_addr(skb, &daddr, false);
	sa = ikevti_sa_lookup_in(net, spi);
	if (sa && !local_matches(sa, &daddr)) {
		ikevti_sa_put(sa);
		sa = NULL;
	}
	if (!sa) {
		count_no_sa(net, skb, spi, &daddr);
		return -EINVAL;
	}
	if (!ikevti_encap_rx_ok(sa, skb, encap_type)) {
		net_dbg_ratelimited("%s: SPI 0x%08x: %s ESP on a%s SA\n",
				    sa->idev->dev->name, ntohl(spi),
				    encap_type ? "UDP-encapsulated" : "plain",
				    ikevti_sa_encap(sa) ? "n encapsulated" :
				    " plain");
		rx_drop(sa, skb, IKEVTI_STATS_A_ENCAP_MISMATCH);
		ikevti_sa_put(sa);
		return 0;
	}
	esp_input(sa, skb);
	return 0;
}

static int esp_rcv(struct sk_buff *skb)
{
	return claim_esp(skb, 0);
}

/* ESP-in-UDP from xfrm{4,6}_udp_encap_rcv(); spi is always 0 here. */
static int esp_rcv_encap(struct sk_buff *skb, int nexthdr, __be32 spi,
			 int encap_type)
{
	return claim_esp(skb, encap_type);
}

/* Called for packets native xfrm decapsulated: never ours, pass it on. */
static int esp_rcv_cb(struct sk_buff *skb, int err)
{
	return 1;
}

/* Is this the current outbound SA of one of our devices? */
static bool own_tx_spi(struct net *net, __be32 spi,
		       const struct ikevti_addr *daddr)
{
	struct ikevti_device *idev;
	struct ikevti_sa *sa;

	list_for_each_entry_rcu(idev, &ikevti_net(net)->devices,
				underlay_node) {
		sa = rcu_dereference(idev->tx_sa);
		/* Errors about ESP in UDP reach the helper's socket. */
		if (sa && sa->spi == spi && !ikevti_sa_encap(sa) &&
		    ikevti_addr_equal(&sa->remote, daddr))
			return true;
	}
	return false;
}

/* ICMP about a packet we sent: learn the path MTU for our outer route. */
static int esp4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	struct ikevti_addr daddr = { .v4 = iph->daddr, .family = AF_INET };
	const struct ip_esp_hdr *esph;
	struct net *net = dev_net(skb->dev);

	esph = (const struct ip_esp_hdr *)(skb->data + iph->ihl * 4);
	if (!own_tx_spi(net, esph->spi, &daddr))
		return -ENOENT;
	if (icmp_hdr(skb)->type == ICMP_DEST_UNREACH &&
	    icmp_hdr(skb)->code == ICMP_FRAG_NEEDED)
		ipv4_update_pmtu(skb, net, info, 0, IPPROTO_ESP);
	return 0;
}

static struct xfrm4_protocol ikevti_esp4_protocol __read_mostly = {
	.handler = esp_rcv,
	.input_handler = esp_rcv_encap,
	.cb_handler = esp_rcv_cb,
	.err_handler = esp4_err,
	.priority = 200,
};

/*
 * ICMPv6 about a packet we sent. skb->data is at the IPv6 header we
 * sent and offset at its ESP header; icmpv6_notify() made both readable.
 */
static int esp6_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
		    u8 type, u8 code, int offset, __be32 info)
{
	const struct ipv6hdr *ip6h = (const struct ipv6hdr *)skb->data;
	struct ikevti_addr daddr = { .v6 = ip6h->daddr, .family = AF_INET6 };
	const struct ip_esp_hdr *esph;
	struct net *net = dev_net(skb->dev);

	esph = (const struct ip_esp_hdr *)(skb->data + offset);
	if (!own_tx_spi(net, esph->spi, &daddr))
		return -ENOENT;
	if (type == ICMPV6_PKT_TOOBIG)
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	return 0;
}

static struct xfrm6_protocol ikevti_esp6_protocol __read_mostly = {
	.handler = esp_rcv,
	.input_handler = esp_rcv_encap,
	.cb_handler = esp_rcv_cb,
	.err_handler = esp6_err,
	.priority = 200,
};

int ikevti_receive_init(void)
{
	int err;

	err = xfrm4_protocol_register(&ikevti_esp4_protocol, IPPROTO_ESP);
	if (err)
		return err;
	err = xfrm6_protocol_register(&ikevti_esp6_protocol, IPPROTO_ESP);
	if (err)
		xfrm4_protocol_deregister(&ikevti_esp4_protocol, IPPROTO_ESP);
	return err;
}

void ikevti_receive_uninit(void)
{
	xfrm6_protocol_deregister(&ikevti_esp6_protocol, IPPROTO_ESP);
	xfrm4_protocol_deregister(&ikevti_esp4_protocol, IPPROTO_ESP);
}
