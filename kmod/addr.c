// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and sanity rules for outer addresses.
 */
#include <linux/in.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "addr.h"

int ikevti_addr_from_nla(struct ikevti_addr *addr, const struct nlattr *nla,
			 struct netlink_ext_ack *extack)
{
	memset(addr, 0, sizeof(*addr));
	switch (nla_len(nla)) {
	case sizeof(addr->v4):
		addr->family = AF_INET;
		addr->v4 = nla_get_in_addr(nla);
		return 0;
	case sizeof(addr->v6):
		addr->family = AF_INET6;
		addr->v6 = nla_get_in6_addr(nla);
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(extack, nla,
			    "address must be 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

/* Classify an address into the few cases the two checks care about. */
enum addr_kind { ADDR_UNICAST, ADDR_ANY, ADDR_MULTICAST, ADDR_MAPPED };

static enum addr_kind addr_kind(const struct ikevti_addr *addr)
{
	int type;

	if (addr->family == AF_INET) {
		if (ipv4_is_zeronet(addr->v4))
			return ADDR_ANY;
		if (ipv4_is_multicast(addr->v4) || ipv4_is_lbcast(addr->v4))
			return ADDR_MULTICAST;
		return ADDR_UNICAST;
	}
	type = ipv6_addr_type(&addr->v6);
	if (type == IPV6_ADDR_ANY)
		return ADDR_ANY;
	if (type & IPV6_ADDR_MULTICAST)
		return ADDR_MULTICAST;
	if (type & IPV6_ADDR_MAPPED)
		return ADDR_MAPPED;
	return ADDR_UNICAST;
}

/*
 * An unspecified local address is allowed: the route picks the source
 * and inbound SAs then accept any local destination.
 */
int ikevti_addr_check_local(const struct ikevti_addr *addr,
			    const struct nlattr *nla,
			    struct netlink_ext_ack *extack)
{
	switch (addr_kind(addr)) {
	case ADDR_MULTICAST:
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "local address must not be multicast or broadcast");
		return -EINVAL;
	case ADDR_MAPPED:
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "use a 4-byte address instead of a v4-mapped one");
		return -EINVAL;
	default:
		return 0;
	}
}

int ikevti_addr_check_remote(const struct ikevti_addr *addr,
			     const struct nlattr *nla,
			     struct netlink_ext_ack *extack)
{
	switch (addr_kind(addr)) {
	case ADDR_ANY:
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "remote address must be specified");
		return -EINVAL;
	case ADDR_MULTICAST:
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "remote address must be unicast");
		return -EINVAL;
	case ADDR_MAPPED:
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "use a 4-byte address instead of a v4-mapped one");
		return -EINVAL;
	default:
		return 0;
	}
}

int ikevti_addr_put(struct sk_buff *msg, int attrtype,
		    const struct ikevti_addr *addr)
{
	if (addr->family == AF_INET)
		return nla_put_in_addr(msg, attrtype, addr->v4);
	if (addr->family == AF_INET6)
		return nla_put_in6_addr(msg, attrtype, &addr->v6);
	return 0;
}

bool ikevti_addr_equal(const struct ikevti_addr *a,
		       const struct ikevti_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4 == b->v4;
	if (a->family == AF_INET6)
		return ipv6_addr_equal(&a->v6, &b->v6);
	return true;
}

bool ikevti_addr_is_any(const struct ikevti_addr *addr)
{
	return !addr->family || addr_kind(addr) == ADDR_ANY;
}
