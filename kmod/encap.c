// SPDX-License-Identifier: GPL-2.0
/*
 * ESP in UDP (RFC 3948).
 *
 * The module holds no socket: the IKE helper owns UDP port 4500 and sets
 * UDP_ENCAP_ESPINUDP on it, as Linux IKE daemons do for xfrm, and the
 * kernel's UDP code then hands ESP from that port to the same xfrm
 * protocol chain as plain ESP, with encap_type set (receive.c). The UDP
 * header is left in the buffer just before the ESP header.
 *
 * Sending builds the UDP header through the udp_tunnel helpers: a zero
 * checksum over IPv4 (RFC 3948 2.1 allows it, and the ESP ICV covers the
 * payload), a real one over IPv6, where RFC 8200 requires it.
 *
 * A NAT may change the address and port it maps the peer to. Only an
 * authenticated packet says so (RFC 7296 2.23); receive.c reports those
 * here, events.c tells the helper and, where the SA allows floating,
 * moves the peer of every UDP-encapsulated SA of the device.
 */
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "device.h"
#include "encap.h"
#include "events.h"
#include "sa.h"
#include "send.h"

#define KEEPALIVE_TICK	HZ	/* keepalive intervals are whole seconds */

/*
 * xfrm{4,6}_udp_encap_rcv() pulled the UDP header off the front but kept
 * it in the linear buffer right before the ESP header, which is where
 * skb->data points now (a non-IKE marker would sit between them, but
 * ESPINUDP sockets have none).
 */
static const struct udphdr *rx_udp_hdr(const struct sk_buff *skb)
{
	return (const struct udphdr *)(skb->data - sizeof(struct udphdr));
}

/*
 * A plain SA takes only plain ESP; an encapsulated SA only ESP-in-UDP
 * sent to its own port (the helper's socket may carry other ports'
 * SAs). The peer's port is checked after authentication, as it may
 * legitimately change.
 */
bool ikevti_encap_rx_ok(const struct ikevti_sa *sa,
			const struct sk_buff *skb, int encap_type)
{
	if (!ikevti_sa_encap(sa))
		return !encap_type;
	if (encap_type != UDP_ENCAP_ESPINUDP)
		return false;
	return rx_udp_hdr(skb)->dest == sa->encap_sport;
}

__be16 ikevti_encap_rx_sport(const struct sk_buff *skb)
{
	return rx_udp_hdr(skb)->source;
}

/* Authenticated and not replayed: is the peer where we think it is? */
void ikevti_encap_rx_peer(struct ikevti_sa *sa,
			  const struct ikevti_addr *addr, __be16 port)
{
	struct ikevti_addr cur;
	__be16 cur_port;

	ikevti_sa_peer(sa, &cur, &cur_port);
	if (cur_port == port &&
	    (ikevti_addr_is_any(&cur) || ikevti_addr_equal(&cur, addr)))
		return;
	ikevti_event_new_mapping(sa, addr, port);
}

/* Move the peer of every encapsulated SA of the device; under RTNL. */
void ikevti_encap_float(struct ikevti_device *idev,
			const struct ikevti_addr *addr, __be16 port)
{
	struct ikevti_sa *sa;

	ASSERT_RTNL();
	list_for_each_entry(sa, &idev->sa_list, dev_node) {
		if (!ikevti_sa_encap(sa) || sa->remote.family != addr->family)
			continue;
		write_seqlock_bh(&sa->peer_lock);
		sa->remote = *addr;
		sa->encap_dport = port;
		write_sequnlock_bh(&sa->peer_lock);
		/* The cached route went to the old address. */
		if (sa->dir == IKEVTI_DIR_OUT)
			dst_cache_reset(&sa->dst_cache);
	}
	netdev_dbg(idev->dev, "peer moved to port %u\n", ntohs(port));
}

/*
 * Send a finished ESP packet (or a keepalive) in UDP; consumes skb and
 * the route. skb->cb is free: udp_tunnel overwrites it.
 */
void ikevti_encap_xmit(struct ikevti_device *idev, struct ikevti_sa *sa,
		       struct sk_buff *skb, struct dst_entry *dst,
		       const struct ikevti_addr *saddr, u8 tos, u8 ttl,
		       __be16 df)
{
	bool xnet = ikevti_device_xnet(idev);
	struct in6_addr src6 = saddr->v6;
	struct ikevti_addr daddr;
	__be16 dport;

	ikevti_sa_peer(sa, &daddr, &dport);
	if (daddr.family == AF_INET) {
		udp_tunnel_xmit_skb(container_of(dst, struct rtable, dst), NULL,
				    skb, saddr->v4, daddr.v4, tos, ttl, df,
				    sa->encap_sport, dport, xnet, true);
		return;
	}
	/* udp_tunnel6_xmit_skb() neither scrubs nor knows about DF. */
	skb_scrub_packet(skb, xnet);
	skb_clear_hash_if_not_l4(skb);
	skb->ignore_df = !df;
	skb->protocol = htons(ETH_P_IPV6);
	skb->dev = idev->dev;
	udp_tunnel6_xmit_skb(dst, NULL, skb, idev->dev, &src6, &daddr.v6, tos,
			     ttl, 0, sa->encap_sport, dport, false);
}

static u8 keepalive_ttl(const struct ikevti_device *idev,
			const struct ikevti_sa *sa, struct dst_entry *dst)
{
	if (idev->ttl)
		return idev->ttl;
	if (sa->remote.family == AF_INET6)
		return ip6_dst_hoplimit(dst);
	return ip4_dst_hoplimit(dst);
}

/* RFC 3948 2.3: one byte, 0xFF, to keep the NAT's mapping alive. */
static void send_keepalive(struct ikevti_device *idev, struct ikevti_sa *sa)
{
	unsigned int hlen = LL_MAX_HEADER + sizeof(struct ipv6hdr) +
			    sizeof(struct udphdr);
	struct ikevti_addr saddr;
	struct dst_entry *dst;
	struct sk_buff *skb;

	dst = ikevti_route_outer(idev, sa, &saddr);
	if (IS_ERR(dst))
		return;
	skb = alloc_skb(hlen + 1, GFP_ATOMIC);
	if (!skb) {
		dst_release(dst);
		return;
	}
	skb_reserve(skb, hlen);
	skb_put_u8(skb, 0xff);
	ikevti_encap_xmit(idev, sa, skb, dst, &saddr, 0,
			  keepalive_ttl(idev, sa, dst), 0);
	WRITE_ONCE(sa->last_tx, jiffies);
}

/*
 * Once a second: if the current outbound SA wants keepalives and has
 * sent nothing for its interval, send one. All outbound SAs of a device
 * go to the same peer port, so the current one speaks for the mapping.
 */
static void keepalive_work(struct work_struct *work)
{
	struct ikevti_device *idev = container_of(to_delayed_work(work),
						  struct ikevti_device,
						  keepalive_work);
	unsigned long idle;
	struct ikevti_sa *sa;
	bool again = false;

	rcu_read_lock_bh();
	sa = ikevti_sa_get_tx(idev);
	if (sa && sa->nat_keepalive) {
		again = true;
		idle = sa->nat_keepalive * HZ;
		if (time_after_eq(jiffies, READ_ONCE(sa->last_tx) + idle))
			send_keepalive(idev, sa);
	}
	rcu_read_unlock_bh();
	ikevti_sa_put(sa);
	if (again)
		queue_delayed_work(system_wq, &idev->keepalive_work,
				   KEEPALIVE_TICK);
}

void ikevti_keepalive_init(struct ikevti_device *idev)
{
	INIT_DELAYED_WORK(&idev->keepalive_work, keepalive_work);
}

/*
 * The outbound SA changed (RTNL): start ticking if the new one wants
 * keepalives. Without one the work finds nothing and stops by itself.
 */
void ikevti_keepalive_update(struct ikevti_device *idev)
{
	struct ikevti_sa *sa = rtnl_dereference(idev->tx_sa);

	if (sa && sa->nat_keepalive)
		queue_delayed_work(system_wq, &idev->keepalive_work,
				   KEEPALIVE_TICK);
}

/* No outbound SA is left by now, so the work cannot requeue itself. */
void ikevti_keepalive_stop(struct ikevti_device *idev)
{
	cancel_delayed_work_sync(&idev->keepalive_work);
}
