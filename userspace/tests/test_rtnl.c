// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: ikevtid's parsing of RTM_NEWLINK / RTM_DELLINK messages
 * built here (kind, IFLA_INFO_DATA endpoints, up flag, bad lengths).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "ikevtid.h"

struct link_spec {
	int type;
	int ifindex;
	unsigned flags;
	const char *name;
	const char *kind;	/* NULL: no IFLA_LINKINFO */
	const void *local, *remote;
	int alen;
};

static struct nl_msg *link_msg(const struct link_spec *s)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC, .ifi_index = s->ifindex,
		.ifi_flags = s->flags,
	};
	struct nl_msg *m = nlmsg_alloc_simple(s->type, 0);
	struct nlattr *li, *data;

	assert_non_null(m);
	assert_int_equal(nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	if (s->name)
		nla_put_string(m, IFLA_IFNAME, s->name);
	if (s->kind) {
		li = nla_nest_start(m, IFLA_LINKINFO);
		nla_put_string(m, IFLA_INFO_KIND, s->kind);
		if (s->local) {
			data = nla_nest_start(m, IFLA_INFO_DATA);
			nla_put(m, IFLA_IKEVTI_LOCAL, s->alen, s->local);
			nla_put(m, IFLA_IKEVTI_REMOTE, s->alen, s->remote);
			nla_nest_end(m, data);
		}
		nla_nest_end(m, li);
	}
	return m;
}

static int parse(const struct link_spec *s, struct ike_tunnel_info *t,
		 bool *ours)
{
	struct nl_msg *m = link_msg(s);
	char err[128];
	int r = rtnl_parse_link(nlmsg_hdr(m), t, ours, err, sizeof(err));

	nlmsg_free(m);
	return r;
}

static void test_ikevti_v4(void **state)
{
	struct link_spec s = {
		RTM_NEWLINK, 7, IFF_UP, "ikevti1", "ikevti",
		"\xc0\x00\x02\x01", "\xc0\x00\x02\x02", 4,
	};
	struct ike_tunnel_info t;
	char a[INET_ADDRSTRLEN];
	bool ours;

	(void)state;
	assert_int_equal(parse(&s, &t, &ours), 0);
	assert_true(ours);
	assert_int_equal(t.ifindex, 7);
	assert_string_equal(t.ifname, "ikevti1");
	assert_true(t.up);
	assert_int_equal(t.local.family, AF_INET);
	inet_ntop(AF_INET, t.remote.raw, a, sizeof(a));
	assert_string_equal(a, "192.0.2.2");
	s.flags = 0;
	assert_int_equal(parse(&s, &t, &ours), 0);
	assert_false(t.up);
}

static void test_ikevti_v6(void **state)
{
	static const uint8_t l[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t r[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	struct link_spec s = { RTM_NEWLINK, 9, IFF_UP, "ikevti2", "ikevti",
			       l, r, 16 };
	struct ike_tunnel_info t;
	bool ours;

	(void)state;
	assert_int_equal(parse(&s, &t, &ours), 0);
	assert_true(ours);
	assert_int_equal(t.local.family, AF_INET6);
	assert_memory_equal(t.remote.raw, r, 16);
}

static void test_other_kinds(void **state)
{
	struct link_spec s = { RTM_NEWLINK, 2, IFF_UP, "eth0", NULL,
			       NULL, NULL, 0 };
	struct ike_tunnel_info t;
	bool ours;

	(void)state;
	assert_int_equal(parse(&s, &t, &ours), 0);
	assert_false(ours);
	s.kind = "vti";
	assert_int_equal(parse(&s, &t, &ours), 0);
	assert_false(ours);
	s.kind = "ikevti2";	/* prefix of ours is not ours */
	assert_int_equal(parse(&s, &t, &ours), 0);
	assert_false(ours);
	s.kind = "ikevt";
	assert_int_equal(parse(&s, &t, &ours), 0);
	assert_false(ours);
	/* Kind without data: ours, endpoints unknown. */
	s.kind = "ikevti";
	assert_int_equal(parse(&s, &t, &ours), 0);
	assert_true(ours);
	assert_int_equal(t.local.family, 0);
}

static void test_dellink(void **state)
{
	struct link_spec s = { RTM_DELLINK, 7, 0, "ikevti1", "ikevti",
			       NULL, NULL, 0 };
	struct ike_tunnel_info t;
	bool ours;

	(void)state;
	assert_int_equal(parse(&s, &t, &ours), 0);
	assert_int_equal(t.ifindex, 7);
}

static void test_malformed(void **state)
{
	struct link_spec s = { RTM_NEWLINK, 7, IFF_UP, "ikevti1", "ikevti",
			       "\xc0\x00\x02", "\xc0\x00\x02", 3 };
	struct ike_tunnel_info t;
	struct nl_msg *m;
	char err[128];
	bool ours;

	(void)state;
	assert_int_equal(parse(&s, &t, &ours), -1);	/* 3-byte address */
	s.alen = 4;
	s.ifindex = 0;
	assert_int_equal(parse(&s, &t, &ours), -1);	/* no ifindex */
	s.ifindex = 7;
	s.type = RTM_NEWADDR;
	assert_int_equal(parse(&s, &t, &ours), -1);	/* not a link */
	/* Truncated before the ifinfomsg ends. */
	s.type = RTM_NEWLINK;
	m = link_msg(&s);
	nlmsg_hdr(m)->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(rtnl_parse_link(nlmsg_hdr(m), &t, &ours, err,
					 sizeof(err)), -1);
	nlmsg_free(m);
	/* A name longer than IFNAMSIZ is cut, not overflowed. */
	s.name = "a-very-long-interface-name";
	assert_int_equal(parse(&s, &t, &ours), 0);
	assert_int_equal(strlen(t.ifname), IF_NAMESIZE - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ikevti_v4),
		cmocka_unit_test(test_ikevti_v6),
		cmocka_unit_test(test_other_kinds),
		cmocka_unit_test(test_dellink),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
