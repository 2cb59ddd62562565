/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UDP encapsulation of ESP (RFC 3948): receive checks, transmit, the
 * peer moving behind a NAT, and NAT keepalives.
 */
#ifndef _IKEVTI_ENCAP_H
#define _IKEVTI_ENCAP_H

#include <linux/skbuff.h>
#include <net/dst.h>

#include "addr.h"

struct ikevti_device;
struct ikevti_sa;

bool ikevti_encap_rx_ok(const struct ikevti_sa *sa,
			const struct sk_buff *skb, int encap_type);
__be16 ikevti_encap_rx_sport(const struct sk_buff *skb);
void ikevti_encap_rx_peer(struct ikevti_sa *sa,
			  const struct ikevti_addr *addr, __be16 port);
void ikevti_encap_xmit(struct ikevti_device *idev, struct ikevti_sa *sa,
		       struct sk_buff *skb, struct dst_entry *dst,
		       const struct ikevti_addr *saddr, u8 tos, u8 ttl,
		       __be16 df);
void ikevti_encap_float(struct ikevti_device *idev,
			const struct ikevti_addr *addr, __be16 port);
void ikevti_keepalive_init(struct ikevti_device *idev);
void ikevti_keepalive_update(struct ikevti_device *idev);
void ikevti_keepalive_stop(struct ikevti_device *idev);

#endif /* _IKEVTI_ENCAP_H */
