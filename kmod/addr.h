/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Outer (underlay) addresses of devices and SAs: IPv4 or IPv6, carried in
 * netlink as 4 or 16 raw bytes in network order.
 */
#ifndef _IKEVTI_ADDR_H
#define _IKEVTI_ADDR_H

#include <linux/in6.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>

struct ikevti_addr {
	union {
		__be32 v4;
		struct in6_addr v6;
	};
	u8 family;		/* 0 when unset, else AF_INET or AF_INET6 */
};

int ikevti_addr_from_nla(struct ikevti_addr *addr, const struct nlattr *nla,
			 struct netlink_ext_ack *extack);
int ikevti_addr_check_local(const struct ikevti_addr *addr,
			    const struct nlattr *nla,
			    struct netlink_ext_ack *extack);
int ikevti_addr_check_remote(const struct ikevti_addr *addr,
			     const struct nlattr *nla,
			     struct netlink_ext_ack *extack);
int ikevti_addr_put(struct sk_buff *msg, int attrtype,
		    const struct ikevti_addr *addr);
bool ikevti_addr_equal(const struct ikevti_addr *a,
		       const struct ikevti_addr *b);
bool ikevti_addr_is_any(const struct ikevti_addr *addr);

#endif /* _IKEVTI_ADDR_H */
