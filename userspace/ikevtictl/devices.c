// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtictl: find ikevti devices with libnl-route.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include <uapi/linux/ikevti.h>

#include "devices.h"

struct collect {
	struct ctl_dev *v;
	size_t n, cap;
	int err;
};

static void add_link(struct nl_object *obj, void *arg)
{
	struct rtnl_link *link = (struct rtnl_link *)obj;
	struct collect *c = arg;
	const char *kind = rtnl_link_get_type(link);
	const char *name = rtnl_link_get_name(link);

	if (c->err || !kind || strcmp(kind, IKEVTI_LINK_KIND) != 0 || !name)
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct ctl_dev *v = reallocarray(c->v, cap, sizeof(*v));

		if (!v) {
			c->err = -ENOMEM;
			return;
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n].ifindex = (uint32_t)rtnl_link_get_ifindex(link);
	snprintf(c->v[c->n].name, sizeof(c->v[c->n].name), "%s", name);
	c->n++;
}

static int by_ifindex(const void *a, const void *b)
{
	const struct ctl_dev *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

int ctl_list_devices(struct ctl_dev **out, size_t *n, char *err,
		     size_t errlen)
{
	struct collect c = { NULL, 0, 0, 0 };
	struct nl_cache *cache = NULL;
	struct nl_sock *sk;
	int r;

	*out = NULL;
	*n = 0;
	sk = nl_socket_alloc();
	if (!sk) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r >= 0)
		r = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (r < 0) {
		snprintf(err, errlen, "cannot list network devices: %s",
			 nl_geterror(r));
		nl_socket_free(sk);
		return -EIO;
	}
	nl_cache_foreach(cache, add_link, &c);
	nl_cache_free(cache);
	nl_socket_free(sk);
	if (c.err) {
		free(c.v);
		snprintf(err, errlen, "out of memory");
		return c.err;
	}
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), by_ifindex);
	*out = c.v;
	*n = c.n;
	return 0;
}
