// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid -T: ikevti devices from the configuration (tunnels.h).
 *
 * The device is created with one RTM_NEWLINK carrying its kind, its
 * endpoints, MTU and IFF_UP, so it appears whole; its alias follows (the
 * kernel sets no alias at creation), then its addresses (RTM_NEWADDR). Ownership is the alias, so that it survives
 * a restart of the daemon: a device whose alias is TUNNELS_ALIAS was
 * made by an ikevtid and may be deleted by one.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include "ikevtid.h"
#include "log.h"
#include "tunnels.h"

/* ---------------------------------------------------------------- */
/* From the configuration.                                            */

static void to_addr(const struct cfg_addr *c, struct ikevti_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = c->family;
	memcpy(a->raw, c->bytes, c->family == AF_INET ? 4 : 16);
}

/* "Tunnel7" or "ikevti7" as the device name "ikevti7"; false if neither. */
static bool device_name(const char *w, char *out, size_t len)
{
	const char *digits = NULL;

	if (!strncasecmp(w, "Tunnel", 6))
		digits = w + 6;
	else if (!strncasecmp(w, "ikevti", 6))
		digits = w + 6;
	if (!digits || !*digits || strspn(digits, "0123456789") != strlen(digits))
		return false;
	snprintf(out, len, "ikevti%lu", strtoul(digits, NULL, 10));
	return true;
}

/* Dotted mask -> prefix length; -1 unless contiguous. */
static int mask_prefix(const char *s)
{
	struct in_addr m;
	uint32_t v;
	int n = 0;

	if (inet_pton(AF_INET, s, &m) != 1)
		return -1;
	v = ntohl(m.s_addr);
	while (v & 0x80000000u) {
		n++;
		v <<= 1;
	}
	return v ? -1 : n;
}

static struct tunnel_spec *spec_named(struct tunnel_spec *s, size_t n,
				      const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s[i].ifname, name))
			return &s[i];
	return NULL;
}

static int add_addr(struct tunnel_spec *s, int family, const char *a,
		    int prefix)
{
	struct tunnel_addr *t;

	if (s->n_addrs == TUNNEL_MAX_ADDRS)
		return -1;
	t = &s->addrs[s->n_addrs];
	memset(t, 0, sizeof(*t));
	if (inet_pton(family, a, t->addr.raw) != 1)
		return -1;
	t->addr.family = family;
	t->prefix = (unsigned char)prefix;
	s->n_addrs++;
	return 0;
}

/* One addressing line of a block: 0, or -1 with what is wrong. */
static int scan_line(struct tunnel_spec *s, char **w, int n,
		     const char **why)
{
	char *slash;
	long v;
	int p;

	if (n >= 4 && !strcasecmp(w[0], "ip") && !strcasecmp(w[1], "address")) {
		p = mask_prefix(w[3]);
		*why = "bad IPv4 address or mask";
		return p < 0 ? -1 : add_addr(s, AF_INET, w[2], p);
	}
	if (n >= 3 && !strcasecmp(w[0], "ipv6") && !strcasecmp(w[1], "address")) {
		*why = "expected ipv6 address X:X::X/PREFIX";
		slash = strchr(w[2], '/');
		if (!slash || n > 3)
			return -1;
		*slash = '\0';
		v = strtol(slash + 1, NULL, 10);
		if (v < 1 || v > 128)
			return -1;
		return add_addr(s, AF_INET6, w[2], (int)v);
	}
	if (n == 3 && !strcasecmp(w[0], "ip") && !strcasecmp(w[1], "mtu")) {
		*why = "ip mtu must be 68..65535";
		v = strtol(w[2], NULL, 10);
		if (v < 68 || v > 65535)
			return -1;
		s->mtu = (unsigned)v;
	}
	return 0;
}

int tunnels_scan_text(const char *file, const char *text,
		      struct tunnel_spec *spec, size_t n, char *err,
		      size_t errlen)
{
	struct tunnel_spec *cur = NULL;
	const char *p = text, *why = "";
	unsigned line = 0;

	while (*p) {
		char buf[512], *w[8], *save = NULL, *t;
		size_t len = strcspn(p, "\n");
		int nw = 0;

		line++;
		snprintf(buf, sizeof(buf), "%.*s", (int)(len < 511 ? len : 511), p);
		p += len + (p[len] == '\n');
		for (t = strtok_r(buf, " \t\r", &save); t && nw < 8;
		     t = strtok_r(NULL, " \t\r", &save))
			w[nw++] = t;
		if (nw == 0 || w[0][0] == '!')
			continue;
		if (nw >= 2 && !strcasecmp(w[0], "interface")) {
			char name[IF_NAMESIZE];

			cur = device_name(w[1], name, sizeof(name))
				? spec_named(spec, n, name) : NULL;
			continue;
		}
		/* Only an interface block has these lines (the file parsed);
		 * "no ip address" and friends add nothing. */
		if (cur && scan_line(cur, w, nw, &why)) {
			snprintf(err, errlen, "%s:%u: %s", file, line, why);
			return -1;
		}
	}
	return 0;
}

/* The first address of family on interface ifname; 0 or -1. */
static int interface_address(const char *ifname, int family,
			     struct ikevti_addr *out)
{
	struct ifaddrs *ifa, *i;
	int r = -1;

	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i && r; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family ||
		    strcmp(i->ifa_name, ifname))
			continue;
		memset(out, 0, sizeof(*out));
		out->family = family;
		if (family == AF_INET)
			out->v4 = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		else
			out->v6 = ((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		r = 0;
	}
	freeifaddrs(ifa);
	return r;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int c;

	if (!f)
		return NULL;
	mem = open_memstream(&buf, &len);
	while (mem && (c = fgetc(f)) != EOF)
		fputc(c, mem);
	if (mem)
		fclose(mem);
	fclose(f);
	return buf;
}

int tunnels_from_config(const struct cfg_model *m, const char *path,
			struct tunnel_spec **out, size_t *n, char *err,
			size_t errlen)
{
	struct tunnel_spec *v = calloc(m->n_interfaces + 1, sizeof(*v));
	size_t i, k = 0;
	char *text;
	int r;

	*out = NULL;
	*n = 0;
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < m->n_interfaces; i++) {
		const struct cfg_interface *c = &m->interfaces[i];
		struct tunnel_spec *s = &v[k];

		if (!c->has_destination || !c->has_source ||
		    strlen(c->name) >= sizeof(s->ifname))
			continue;
		memcpy(s->ifname, c->name, strlen(c->name) + 1);
		to_addr(&c->destination, &s->remote);
		if (c->source_ifname[0]) {
			if (interface_address(c->source_ifname,
					      s->remote.family, &s->local)) {
				log_warn("%s: tunnel source %s has no %s address: device not made",
					 c->name, c->source_ifname,
					 s->remote.family == AF_INET ? "IPv4" : "IPv6");
				continue;
			}
		} else {
			to_addr(&c->source, &s->local);
		}
		s->up = !c->shutdown;
		k++;
	}
	text = read_file(path);
	if (!text) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(v);
		return -1;
	}
	r = tunnels_scan_text(path, text, v, k, err, errlen);
	free(text);
	if (r) {
		free(v);
		return -1;
	}
	*out = v;
	*n = k;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Applying.                                                          */

static int new_link(struct nl_sock *sk, const struct tunnel_spec *s)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	size_t alen = s->local.family == AF_INET ? 4 : 16;
	struct nlattr *li, *data;
	struct nl_msg *msg;
	int r = -NLE_NOMEM;

	if (s->up) {
		ifi.ifi_flags = IFF_UP;
		ifi.ifi_change = IFF_UP;
	}
	msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
		goto out;
	if (nla_put_string(msg, IFLA_IFNAME, s->ifname) < 0 ||
	    (s->mtu && nla_put_u32(msg, IFLA_MTU, s->mtu) < 0))
		goto out;
	li = nla_nest_start(msg, IFLA_LINKINFO);
	if (!li || nla_put_string(msg, IFLA_INFO_KIND, IKEVTI_LINK_KIND) < 0)
		goto out;
	data = nla_nest_start(msg, IFLA_INFO_DATA);
	if (!data ||
	    nla_put(msg, IFLA_IKEVTI_LOCAL, (int)alen, s->local.raw) < 0 ||
	    nla_put(msg, IFLA_IKEVTI_REMOTE, (int)alen, s->remote.raw) < 0)
		goto out;
	nla_nest_end(msg, data);
	nla_nest_end(msg, li);
	r = nl_send_sync(sk, msg);	/* sends, waits for the ACK, frees */
	msg = NULL;
out:
	nlmsg_free(msg);
	return r;
}

/* The creation ignores IFLA_IFALIAS (only a change of an existing link
 * sets it): mark the device ours in a second message. */
static int set_alias(struct nl_sock *sk, int ifindex)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFALIAS, TUNNELS_ALIAS) < 0) {
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	return nl_send_sync(sk, msg);
}

static int add_addresses(struct nl_sock *sk, const struct tunnel_spec *s,
			 int ifindex)
{
	size_t i;
	int r = 0;

	for (i = 0; i < s->n_addrs && !r; i++) {
		const struct tunnel_addr *a = &s->addrs[i];
		struct rtnl_addr *ra = rtnl_addr_alloc();
		struct nl_addr *na = nl_addr_build(a->addr.family, a->addr.raw,
						   a->addr.family == AF_INET ? 4 : 16);

		if (!ra || !na) {
			r = -NLE_NOMEM;
		} else {
			nl_addr_set_prefixlen(na, a->prefix);
			rtnl_addr_set_ifindex(ra, ifindex);
			rtnl_addr_set_local(ra, na);
			r = rtnl_addr_add(sk, ra, 0);
		}
		nl_addr_put(na);
		rtnl_addr_put(ra);
	}
	return r;
}

static const char *addr_text(const struct ikevti_addr *a, char *buf,
			     size_t len)
{
	if (!inet_ntop(a->family, a->raw, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static void make_device(struct nl_sock *sk, const struct tunnel_spec *s)
{
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];
	int r = new_link(sk, s), ifindex;

	addr_text(&s->local, la, sizeof(la));
	addr_text(&s->remote, ra, sizeof(ra));
	if (r < 0) {
		log_err("%s: cannot create the device (local %s remote %s): %s",
			s->ifname, la, ra, nl_geterror(r));
		return;
	}
	ifindex = (int)if_nametoindex(s->ifname);
	r = ifindex ? set_alias(sk, ifindex) : -NLE_OBJ_NOTFOUND;
	if (r < 0)
		log_err("%s: cannot mark it as made by ikevtid (alias): %s",
			s->ifname, nl_geterror(r));
	r = ifindex ? add_addresses(sk, s, ifindex) : -NLE_OBJ_NOTFOUND;
	if (r < 0)
		log_err("%s: cannot set its addresses: %s", s->ifname,
			nl_geterror(r));
	log_notice("%s: device created from the configuration (local %s remote %s, %zu address%s%s)",
		   s->ifname, la, ra, s->n_addrs, s->n_addrs == 1 ? "" : "es",
		   s->up ? "" : ", shutdown");
}

static bool link_local(const struct nl_addr *a)
{
	const uint8_t *b = nl_addr_get_binary_addr(a);

	return nl_addr_get_family(a) == AF_INET6 && b[0] == 0xfe &&
	       (b[1] & 0xc0) == 0x80;
}

/* The device's addresses are exactly the block's (link-local aside). */
static bool same_addresses(struct nl_cache *addrs, int ifindex,
			   const struct tunnel_spec *s)
{
	size_t found = 0, i;
	struct nl_object *o;

	for (o = nl_cache_get_first(addrs); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;
		struct nl_addr *a = rtnl_addr_get_local(ra);
		bool listed = false;

		if (rtnl_addr_get_ifindex(ra) != ifindex || !a || link_local(a))
			continue;
		for (i = 0; i < s->n_addrs && !listed; i++)
			listed = nl_addr_get_family(a) == s->addrs[i].addr.family &&
				 nl_addr_get_prefixlen(a) == s->addrs[i].prefix &&
				 !memcmp(nl_addr_get_binary_addr(a),
					 s->addrs[i].addr.raw,
					 nl_addr_get_len(a));
		if (!listed)
			return false;
		found++;
	}
	return found == s->n_addrs;
}

/* Whether a device made from s would be this one: endpoints, MTU and
 * addresses (a change of any of them means making it again). */
static bool same_device(struct rtnl_link *l, struct nl_cache *addrs,
			const struct tunnel_spec *s,
			const struct ike_tunnel_info *t)
{
	size_t alen = s->local.family == AF_INET ? 4 : 16;

	if (!t || t->local.family != s->local.family ||
	    memcmp(t->local.raw, s->local.raw, alen) ||
	    memcmp(t->remote.raw, s->remote.raw, alen))
		return false;
	if (s->mtu && rtnl_link_get_mtu(l) != s->mtu)
		return false;
	return same_addresses(addrs, rtnl_link_get_ifindex(l), s);
}

static const struct ike_tunnel_info *tunnel_info(struct ikevtid *d,
						 int ifindex)
{
	const struct ike_tunnel_info *t;
	size_t n, i;

	t = rtnl_tunnels(d, &n);
	for (i = 0; i < n; i++)
		if ((int)t[i].ifindex == ifindex)
			return &t[i];
	return NULL;
}

/* Ours whose block went away or changed: deleted. */
static void remove_stale(struct ikevtid *d, struct nl_sock *sk,
			 struct nl_cache *links, struct nl_cache *addrs,
			 struct tunnel_spec *v, size_t n)
{
	struct nl_object *o;

	for (o = nl_cache_get_first(links); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		const char *alias = rtnl_link_get_ifalias(l);
		const char *name = rtnl_link_get_name(l);
		struct tunnel_spec *s;
		int r;

		if (!alias || strcmp(alias, TUNNELS_ALIAS) || !name)
			continue;
		s = spec_named(v, n, name);
		if (s && same_device(l, addrs, s,
				     tunnel_info(d, rtnl_link_get_ifindex(l))))
			continue;
		r = rtnl_link_delete(sk, l);
		if (r < 0)
			log_err("%s: cannot delete it: %s", name, nl_geterror(r));
		else
			log_notice("%s: device deleted (its interface block %s)",
				   name, s ? "changed" : "is gone");
	}
}

void tunnels_apply(struct ikevtid *d)
{
	struct tunnel_spec *v;
	struct nl_cache *links = NULL, *addrs = NULL;
	struct nl_sock *sk;
	char err[300];
	size_t n, i;

	if (!d->tunnels_from_config || !d->cfg || !d->cfg->model)
		return;
	if (tunnels_from_config(d->cfg->model, d->config_path, &v, &n, err,
				sizeof(err))) {
		log_err("devices from the configuration: %s", err);
		return;
	}
	sk = nl_socket_alloc();
	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0 ||
	    rtnl_link_alloc_cache(sk, AF_UNSPEC, &links) < 0 ||
	    rtnl_addr_alloc_cache(sk, &addrs) < 0) {
		log_err("devices from the configuration: rtnetlink unavailable");
		goto out;
	}
	remove_stale(d, sk, links, addrs, v, n);
	for (i = 0; i < n; i++) {
		/* Present (made by ip, or by us and unchanged): left alone. */
		if (if_nametoindex(v[i].ifname))
			continue;
		make_device(sk, &v[i]);
	}
out:
	if (links)
		nl_cache_free(links);
	if (addrs)
		nl_cache_free(addrs);
	nl_socket_free(sk);
	free(v);
}
