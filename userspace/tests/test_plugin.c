// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the iproute2 plugin link_ikevti.so, loaded the way "ip"
 * loads it (dlopen + dlsym "ikevti_link_util"), with this program
 * standing in for "ip": it exports the helpers the plugin calls.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include <cmocka.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <uapi/linux/ikevti.h>

#ifndef IKEVTI_PLUGIN_PATH
#error "IKEVTI_PLUGIN_PATH must name build/link_ikevti.so"
#endif

/* iproute2 6.1 ip/ip_common.h, as the plugin declares it. */
struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *, int, char **, struct nlmsghdr *);
	void (*print_opt)(struct link_util *, FILE *, struct rtattr *[]);
	void (*print_xstats)(struct link_util *, FILE *, struct rtattr *);
	void (*print_help)(struct link_util *, int, char **, FILE *);
	int (*parse_ifla_xstats)(struct link_util *, int, char **);
	int (*print_ifla_xstats)(struct nlmsghdr *, void *);
};

/* --- the part of "ip" the plugin uses ------------------------------- */

static char out_fp[512];	/* what "ip -d link show" would print */
static char out_json[512];	/* "key=value;" per JSON field */

static void outf(char *buf, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + used, 512 - used, fmt, ap);
	va_end(ap);
}

int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);
int addattr8(struct nlmsghdr *n, int maxlen, int type, __u8 data);
int addattr32(struct nlmsghdr *n, int maxlen, int type, __u32 data);
int print_color_string(int t, int color, const char *key, const char *fmt,
		       const char *value);
int print_color_uint(int t, int color, const char *key, const char *fmt,
		     unsigned int value);
int print_color_0xhex(int t, int color, const char *key, const char *fmt,
		      unsigned long long value);
void print_color_on_off(int t, int color, const char *key, const char *fmt,
			bool value);

int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen)
{
	int len = RTA_LENGTH(alen);
	struct rtattr *rta;

	if ((int)NLMSG_ALIGN(n->nlmsg_len) + (int)RTA_ALIGN(len) > maxlen)
		return -1;
	rta = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
	rta->rta_type = (unsigned short)type;
	rta->rta_len = (unsigned short)len;
	if (alen)
		memcpy(RTA_DATA(rta), data, (size_t)alen);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(len);
	return 0;
}

int addattr8(struct nlmsghdr *n, int maxlen, int type, __u8 data)
{
	return addattr_l(n, maxlen, type, &data, 1);
}

int addattr32(struct nlmsghdr *n, int maxlen, int type, __u32 data)
{
	return addattr_l(n, maxlen, type, &data, 4);
}

int print_color_string(int t, int color, const char *key, const char *fmt,
		       const char *value)
{
	(void)t;
	(void)color;
	outf(out_fp, fmt, value);
	outf(out_json, "%s=%s;", key, value);
	return 0;
}

int print_color_uint(int t, int color, const char *key, const char *fmt,
		     unsigned int value)
{
	(void)t;
	(void)color;
	outf(out_fp, fmt, value);
	outf(out_json, "%s=%u;", key, value);
	return 0;
}

int print_color_0xhex(int t, int color, const char *key, const char *fmt,
		      unsigned long long value)
{
	(void)t;
	(void)color;
	outf(out_fp, fmt, value);
	outf(out_json, "%s=%#llx;", key, value);
	return 0;
}

/* iproute2: "on"/"off" as text, a JSON boolean. */
void print_color_on_off(int t, int color, const char *key, const char *fmt,
			bool value)
{
	(void)t;
	(void)color;
	outf(out_fp, fmt, value ? "on" : "off");
	outf(out_json, "%s=%s;", key, value ? "true" : "false");
}

/* --- helpers ---------------------------------------------------------- */

static void *dl;
static struct link_util *lu;

static int setup(void **state)
{
	(void)state;
	dl = dlopen(IKEVTI_PLUGIN_PATH, RTLD_NOW);
	if (!dl) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		return -1;
	}
	lu = dlsym(dl, "ikevti_link_util");
	return lu ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	if (dl)
		dlclose(dl);
	return 0;
}

/* What iplink_modify() hands the plugin: a request with room. */
struct req {
	struct nlmsghdr n;
	struct ifinfomsg i;
	char buf[1024];
};

static int run_parse(const char *line, bool create, struct req *r)
{
	static char buf[256];
	char *argv[32], *save = NULL, *tok;
	int argc = 0;

	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r->n.nlmsg_flags = NLM_F_REQUEST | (create ? NLM_F_CREATE : 0);
	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 32;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	return lu->parse_opt(lu, argc, argv, &r->n);
}

/* The attributes the plugin appended, indexed by type. */
static void attrs(struct req *r, struct rtattr *tb[IFLA_IKEVTI_MAX + 1])
{
	struct rtattr *a = (struct rtattr *)r->buf;
	int len = (int)r->n.nlmsg_len - (int)NLMSG_LENGTH(sizeof(r->i));

	memset(tb, 0, sizeof(struct rtattr *) * (IFLA_IKEVTI_MAX + 1));
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type <= IFLA_IKEVTI_MAX)
			tb[a->rta_type] = a;
}

/* --- tests ------------------------------------------------------------ */

static void test_layout(void **state)
{
	(void)state;
	assert_string_equal(lu->id, "ikevti");
	assert_int_equal(lu->maxattr, IFLA_IKEVTI_MAX);
	assert_non_null(lu->parse_opt);
	assert_non_null(lu->print_opt);
	assert_null(lu->print_xstats);
	assert_non_null(lu->print_help);
	assert_null(lu->parse_ifla_xstats);
	assert_null(lu->print_ifla_xstats);
}

static void test_parse_v4_all(void **state)
{
	struct rtattr *tb[IFLA_IKEVTI_MAX + 1];
	struct req r;

	(void)state;
	assert_int_equal(run_parse("local 192.168.0.1 remote 192.168.0.2 fwmark 0x7 ttl 32 df set",
				   true, &r), 0);
	attrs(&r, tb);
	assert_int_equal(RTA_PAYLOAD(tb[IFLA_IKEVTI_LOCAL]), 4);
	assert_memory_equal(RTA_DATA(tb[IFLA_IKEVTI_LOCAL]), "\xc0\xa8\x00\x01",
			    4);
	assert_memory_equal(RTA_DATA(tb[IFLA_IKEVTI_REMOTE]),
			    "\xc0\xa8\x00\x02", 4);
	assert_int_equal(*(uint32_t *)RTA_DATA(tb[IFLA_IKEVTI_FWMARK]), 7);
	assert_int_equal(*(uint8_t *)RTA_DATA(tb[IFLA_IKEVTI_TTL]), 32);
	assert_int_equal(*(uint8_t *)RTA_DATA(tb[IFLA_IKEVTI_DF]),
			 IKEVTI_DF_SET);

	/* And back: what "ip -d link show" prints. */
	out_fp[0] = out_json[0] = '\0';
	lu->print_opt(lu, stdout, tb);
	assert_string_equal(out_fp,
			    "local 192.168.0.1 remote 192.168.0.2 fwmark 0x7 ttl 32 df set ");
	assert_string_equal(out_json,
			    "local=192.168.0.1;remote=192.168.0.2;fwmark=0x7;ttl=32;df=set;");
}

static void test_parse_v6_defaults(void **state)
{
	struct rtattr *tb[IFLA_IKEVTI_MAX + 1];
	struct req r;

	(void)state;
	assert_int_equal(run_parse("local 2001:db8::1 remote 2001:db8::2",
				   true, &r), 0);
	attrs(&r, tb);
	assert_int_equal(RTA_PAYLOAD(tb[IFLA_IKEVTI_LOCAL]), 16);
	assert_int_equal(((uint8_t *)RTA_DATA(tb[IFLA_IKEVTI_REMOTE]))[15], 2);
	/* Only what was given is sent: the kernel keeps its defaults. */
	assert_null(tb[IFLA_IKEVTI_FWMARK]);
	assert_null(tb[IFLA_IKEVTI_TTL]);
	assert_null(tb[IFLA_IKEVTI_DF]);
	assert_null(tb[IFLA_IKEVTI_ONDEMAND]);

	out_fp[0] = out_json[0] = '\0';
	lu->print_opt(lu, stdout, tb);
	assert_string_equal(out_fp, "local 2001:db8::1 remote 2001:db8::2 ");

	/* "ip link set ... type ikevti ttl inherit": no endpoints needed. */
	assert_int_equal(run_parse("ttl inherit df inherit", false, &r), 0);
	attrs(&r, tb);
	assert_null(tb[IFLA_IKEVTI_LOCAL]);
	assert_int_equal(*(uint8_t *)RTA_DATA(tb[IFLA_IKEVTI_TTL]), 0);
	out_fp[0] = '\0';
	lu->print_opt(lu, stdout, tb);
	assert_string_equal(out_fp, "ttl inherit df inherit ");
}

static void test_parse_ondemand(void **state)
{
	struct rtattr *tb[IFLA_IKEVTI_MAX + 1];
	struct req r;

	(void)state;
	assert_int_equal(run_parse("local 10.0.0.1 remote 10.0.0.2 ondemand on",
				   true, &r), 0);
	attrs(&r, tb);
	assert_int_equal(RTA_PAYLOAD(tb[IFLA_IKEVTI_ONDEMAND]), 1);
	assert_int_equal(*(uint8_t *)RTA_DATA(tb[IFLA_IKEVTI_ONDEMAND]), 1);
	out_fp[0] = out_json[0] = '\0';
	lu->print_opt(lu, stdout, tb);
	assert_string_equal(out_fp,
			    "local 10.0.0.1 remote 10.0.0.2 ondemand on ");
	assert_string_equal(out_json,
			    "local=10.0.0.1;remote=10.0.0.2;ondemand=true;");

	/* "ip link set ... type ikevti ondemand off" */
	assert_int_equal(run_parse("ondemand off", false, &r), 0);
	attrs(&r, tb);
	assert_null(tb[IFLA_IKEVTI_LOCAL]);
	assert_int_equal(*(uint8_t *)RTA_DATA(tb[IFLA_IKEVTI_ONDEMAND]), 0);
	out_fp[0] = out_json[0] = '\0';
	lu->print_opt(lu, stdout, tb);
	assert_string_equal(out_fp, "ondemand off ");
	assert_string_equal(out_json, "ondemand=false;");
}

static void test_parse_errors(void **state)
{
	static const char *const bad[] = {
		"local 10.0.0.300 remote 10.0.0.2",
		"local 10.0.0.1 remote 2001:db8::2",
		"local 10.0.0.1",
		"local 10.0.0.1 remote",
		"local 10.0.0.1 remote 10.0.0.2 ttl 256",
		"local 10.0.0.1 remote 10.0.0.2 ttl -1",
		"local 10.0.0.1 remote 10.0.0.2 df maybe",
		"local 10.0.0.1 remote 10.0.0.2 ondemand 1",
		"local 10.0.0.1 remote 10.0.0.2 ondemand",
		"local 10.0.0.1 remote 10.0.0.2 fwmark 0x100000000",
		"local 10.0.0.1 remote 10.0.0.2 fwmark 7x",
		"local 10.0.0.1 remote 10.0.0.2 colour blue",
		"local 10.0.0.1 local 10.0.0.3 remote 10.0.0.2",
		"help",
	};
	struct req r;
	size_t i;
	int saved, null, rc_create, rc_change;

	(void)state;
	/* The plugin explains each refusal on stderr: keep the log clean. */
	fflush(stderr);
	saved = dup(2);
	null = open("/dev/null", O_WRONLY);
	assert_true(saved >= 0 && null >= 0);
	dup2(null, 2);
	close(null);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (run_parse(bad[i], true, &r) != -1) {
			dup2(saved, 2);
			fail_msg("\"%s\" was accepted", bad[i]);
		}
	}
	/* Creating needs both endpoints; changing does not. */
	rc_create = run_parse("", true, &r);
	rc_change = run_parse("", false, &r);
	dup2(saved, 2);
	close(saved);
	assert_int_equal(rc_create, -1);
	assert_int_equal(rc_change, 0);
}

static void test_print_odd_attrs(void **state)
{
	struct rtattr *tb[IFLA_IKEVTI_MAX + 1];
	struct req r;

	(void)state;
	out_fp[0] = '\0';
	lu->print_opt(lu, stdout, NULL);	/* no IFLA_INFO_DATA */
	assert_string_equal(out_fp, "");

	/* A 3-byte address and a zero fwmark are not printed. */
	memset(&r, 0, sizeof(r));
	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	addattr_l(&r.n, sizeof(r), IFLA_IKEVTI_LOCAL, "abc", 3);
	addattr32(&r.n, sizeof(r), IFLA_IKEVTI_FWMARK, 0);
	addattr8(&r.n, sizeof(r), IFLA_IKEVTI_DF, 9);
	attrs(&r, tb);
	lu->print_opt(lu, stdout, tb);
	assert_string_equal(out_fp, "df 9 ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_parse_v4_all),
		cmocka_unit_test(test_parse_v6_defaults),
		cmocka_unit_test(test_parse_ondemand),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_print_odd_attrs),
	};

	return cmocka_run_group_tests_name("link_ikevti", tests, setup,
					   teardown);
}
