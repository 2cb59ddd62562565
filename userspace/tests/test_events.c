// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the module's event messages (SA_EXPIRE, ACQUIRE,
 * NEW_MAPPING) built by hand and parsed without a kernel, the lines
 * "ikevtictl monitor" prints for them, and the control reply split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "control_client.h"
#include "ikevti_events.h"
#include "monitor.h"

#define FAMILY 0x2b

static struct nl_msg *event_msg(uint8_t cmd, uint32_t ifindex,
				const char *ifname)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, FAMILY, 0, 0, cmd,
				    IKEVTI_GENL_VERSION));
	if (ifindex)
		assert_int_equal(nla_put_u32(msg, IKEVTI_A_IFINDEX, ifindex), 0);
	if (ifname)
		assert_int_equal(nla_put_string(msg, IKEVTI_A_IFNAME, ifname),
				 0);
	return msg;
}

static struct nl_msg *expire_msg(bool hard, bool with_stats)
{
	struct nl_msg *msg = event_msg(IKEVTI_CMD_SA_EXPIRE, 5, "ikevti1");
	struct nlattr *sa = nla_nest_start(msg, IKEVTI_A_SA | NLA_F_NESTED);
	struct nlattr *st;

	nla_put_u8(msg, IKEVTI_SA_A_DIR, IKEVTI_DIR_OUT);
	nla_put_u32(msg, IKEVTI_SA_A_SPI, 0x1234);
	nla_put_u8(msg, IKEVTI_SA_A_EXPIRE_HARD, hard);
	if (with_stats) {
		st = nla_nest_start(msg, IKEVTI_SA_A_STATS | NLA_F_NESTED);
		nla_put_u64(msg, IKEVTI_STATS_A_PACKETS, 10);
		nla_put_u64(msg, IKEVTI_STATS_A_BYTES, 1000);
		nla_put_u64(msg, IKEVTI_STATS_A_AUTH_FAIL, 3);
		nla_nest_end(msg, st);
	}
	nla_nest_end(msg, sa);
	return msg;
}

static int parse(struct nl_msg *msg, struct ikevti_event *e)
{
	char err[128];
	int r = ikevti_event_parse(nlmsg_hdr(msg), FAMILY, e, err,
				   sizeof(err));

	nlmsg_free(msg);
	return r;
}

static void test_expire(void **state)
{
	struct ikevti_event e;
	char line[512];

	(void)state;
	assert_int_equal(parse(expire_msg(false, true), &e), 0);
	assert_int_equal(e.cmd, IKEVTI_CMD_SA_EXPIRE);
	assert_int_equal(e.ifindex, 5);
	assert_string_equal(e.ifname, "ikevti1");
	assert_int_equal(e.dir, IKEVTI_DIR_OUT);
	assert_int_equal(e.spi, 0x1234);
	assert_false(e.hard);
	assert_int_equal(e.packets, 10);
	assert_int_equal(e.bytes, 1000);
	monitor_format(&e, true, line, sizeof(line));
	assert_string_equal(line,
		"{\"event\":\"expire\",\"ifindex\":5,\"ifname\":\"ikevti1\","
		"\"dir\":\"out\",\"spi\":\"0x00001234\",\"hard\":false,"
		"\"packets\":10,\"bytes\":1000}");
	monitor_format(&e, false, line, sizeof(line));
	assert_string_equal(line, "expire ikevti1 (5) dir out spi 0x00001234 "
				  "soft packets 10 bytes 1000");

	assert_int_equal(parse(expire_msg(true, false), &e), 0);
	assert_true(e.hard);
	assert_int_equal(e.packets, 0);
}

static void test_acquire(void **state)
{
	struct ikevti_event e;
	char line[256];

	(void)state;
	assert_int_equal(parse(event_msg(IKEVTI_CMD_ACQUIRE, 5, "ikevti1"), &e),
			 0);
	assert_int_equal(e.cmd, IKEVTI_CMD_ACQUIRE);
	assert_int_equal(e.spi, 0);
	monitor_format(&e, true, line, sizeof(line));
	assert_string_equal(line, "{\"event\":\"acquire\",\"ifindex\":5,"
				  "\"ifname\":\"ikevti1\"}");
	assert_string_equal(ikevti_event_name(e.cmd), "acquire");
}

static struct nl_msg *mapping_msg(const void *addr, int alen)
{
	struct nl_msg *msg = event_msg(IKEVTI_CMD_NEW_MAPPING, 5, "ikevti1");
	struct nlattr *sa = nla_nest_start(msg, IKEVTI_A_SA | NLA_F_NESTED);

	nla_put_u8(msg, IKEVTI_SA_A_DIR, IKEVTI_DIR_IN);
	nla_put_u32(msg, IKEVTI_SA_A_SPI, 0xc0ffee01);
	nla_put(msg, IKEVTI_SA_A_REMOTE, alen, addr);
	nla_put_u16(msg, IKEVTI_SA_A_ENCAP_SPORT, 4500);
	nla_put_u16(msg, IKEVTI_SA_A_ENCAP_DPORT, 40001);
	nla_nest_end(msg, sa);
	return msg;
}

static void test_new_mapping(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };
	struct ikevti_event e;
	char line[512];

	(void)state;
	assert_int_equal(parse(mapping_msg("\x0a\x00\x00\x09", 4), &e), 0);
	assert_int_equal(e.remote.family, AF_INET);
	assert_int_equal(e.encap_sport, 4500);
	assert_int_equal(e.encap_dport, 40001);
	monitor_format(&e, true, line, sizeof(line));
	assert_string_equal(line,
		"{\"event\":\"new-mapping\",\"ifindex\":5,\"ifname\":\"ikevti1\","
		"\"dir\":\"in\",\"spi\":\"0xc0ffee01\",\"remote\":\"10.0.0.9\","
		"\"sport\":4500,\"dport\":40001}");
	assert_int_equal(parse(mapping_msg(v6, 16), &e), 0);
	assert_int_equal(e.remote.family, AF_INET6);
	monitor_format(&e, false, line, sizeof(line));
	assert_non_null(strstr(line, "remote 2001:db8::9 sport 4500"));
}

static void test_malformed(void **state)
{
	struct nl_msg *msg;
	struct nlattr *sa;
	struct ikevti_event e;

	(void)state;
	/* Bad address length. */
	assert_int_equal(parse(mapping_msg("\x0a\x00\x00", 3), &e), -EBADMSG);
	/* SPI of the wrong size. */
	msg = event_msg(IKEVTI_CMD_SA_EXPIRE, 5, "ikevti1");
	sa = nla_nest_start(msg, IKEVTI_A_SA | NLA_F_NESTED);
	nla_put_u8(msg, IKEVTI_SA_A_DIR, IKEVTI_DIR_OUT);
	nla_put_u16(msg, IKEVTI_SA_A_SPI, 0x1234);
	nla_nest_end(msg, sa);
	assert_int_equal(parse(msg, &e), -EBADMSG);
	/* Expire without an SA. */
	assert_int_equal(parse(event_msg(IKEVTI_CMD_SA_EXPIRE, 5, "x"), &e),
			 -EBADMSG);
	/* No ifindex. */
	assert_int_equal(parse(event_msg(IKEVTI_CMD_ACQUIRE, 0, "x"), &e),
			 -EBADMSG);
	/* Ifindex of the wrong size. */
	msg = event_msg(IKEVTI_CMD_ACQUIRE, 0, NULL);
	nla_put_u16(msg, IKEVTI_A_IFINDEX, 5);
	assert_int_equal(parse(msg, &e), -EBADMSG);
	/* A name without its NUL, longer than IFNAMSIZ: cut. */
	msg = event_msg(IKEVTI_CMD_ACQUIRE, 7, NULL);
	nla_put(msg, IKEVTI_A_IFNAME, 20, "abcdefghijklmnopqrst");
	assert_int_equal(parse(msg, &e), 0);
	assert_int_equal(strlen(e.ifname), IF_NAMESIZE - 1);
}

static void test_not_events(void **state)
{
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	struct ikevti_event e;
	char err[64];

	(void)state;
	/* A reply command on the events socket: ignored, not an error. */
	assert_int_equal(parse(event_msg(IKEVTI_CMD_SA_GET, 5, "x"), &e), 1);
	/* Another family. */
	msg = event_msg(IKEVTI_CMD_ACQUIRE, 5, "x");
	assert_int_equal(ikevti_event_parse(nlmsg_hdr(msg), FAMILY + 1, &e,
					    err, sizeof(err)), 1);
	/* Shorter than a genl header. */
	nlh = nlmsg_hdr(msg);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(ikevti_event_parse(nlh, FAMILY, &e, err, sizeof(err)),
			 -EBADMSG);
	nlmsg_free(msg);
	assert_null(ikevti_event_name(IKEVTI_CMD_SA_NEW));
}

static void test_reply_split(void **state)
{
	const char *msg;
	size_t body;

	(void)state;
	assert_int_equal(ctl_reply_split("a\nb\nOK\n", 7, &body, &msg), 0);
	assert_int_equal(body, 4);
	assert_int_equal(ctl_reply_split("OK\n", 3, &body, &msg), 0);
	assert_int_equal(body, 0);
	assert_int_equal(ctl_reply_split("x\nERROR: bad\n", 13, &body, &msg),
			 1);
	assert_int_equal(body, 2);
	assert_memory_equal(msg, "bad\n", 4);
	assert_int_equal(ctl_reply_split("x\nOK", 4, &body, &msg), -1);
	assert_int_equal(ctl_reply_split("", 0, &body, &msg), -1);
	assert_int_equal(ctl_reply_split("x\n", 2, &body, &msg), -1);
}

static void test_monitor_args(void **state)
{
	char *ok[] = { "count", "3", "timeout", "10" };
	char *bad1[] = { "count" };
	char *bad2[] = { "every", "3" };
	unsigned long c, t;
	char err[128];

	(void)state;
	assert_int_equal(monitor_parse_args(4, ok, &c, &t, err, sizeof(err)),
			 0);
	assert_int_equal(c, 3);
	assert_int_equal(t, 10);
	assert_int_equal(monitor_parse_args(0, ok, &c, &t, err, sizeof(err)),
			 0);
	assert_int_equal(c, 0);
	assert_int_equal(monitor_parse_args(1, bad1, &c, &t, err, sizeof(err)),
			 -1);
	assert_int_equal(monitor_parse_args(2, bad2, &c, &t, err, sizeof(err)),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_acquire),
		cmocka_unit_test(test_new_mapping),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_not_events),
		cmocka_unit_test(test_reply_split),
		cmocka_unit_test(test_monitor_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
