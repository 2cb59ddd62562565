// SPDX-License-Identifier: GPL-2.0
/*
 * link_ikevti.so: "ip link ... type ikevti" for the stock iproute2 "ip".
 *
 *   ip link add ikevti1 type ikevti local ADDR remote ADDR
 *           [ fwmark MARK ] [ ttl { 1..255 | inherit } ]
 *           [ df { inherit | set | clear } ] [ ondemand { on | off } ]
 *   ip link set ikevti1 type ikevti ondemand on
 *   ip -d link show ikevti1
 *
 * "ip" dlopen()s link_<kind>.so from $IP_LIB_DIR (default
 * /usr/lib/x86_64-linux-gnu/ip on Debian) and looks up the symbol
 * "<kind>_link_util". iproute2 installs no headers for plugins, so the
 * few things we use from it are declared here, matching iproute2 6.1:
 * struct link_util from ip/ip_common.h, the output helpers from
 * include/json_print.h and include/color.h, and addattr_l() and friends
 * from include/libnetlink.h. All of them are exported by the "ip"
 * binary (see "nm -D /bin/ip").
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <uapi/linux/ikevti.h>

/* --- iproute2 6.1 interfaces ---------------------------------------- */

/* ip/ip_common.h; the field order is the ABI. */
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

/* include/json_print.h */
enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

/* include/color.h */
enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE
};

int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);
int addattr8(struct nlmsghdr *n, int maxlen, int type, __u8 data);
int addattr32(struct nlmsghdr *n, int maxlen, int type, __u32 data);
int print_color_string(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, const char *value);
int print_color_uint(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, unsigned int value);
int print_color_0xhex(enum output_type t, enum color_attr color,
		      const char *key, const char *fmt,
		      unsigned long long value);
/* "on"/"off" as text, true/false in JSON. */
void print_color_on_off(enum output_type t, enum color_attr color,
			const char *key, const char *fmt, bool value);

/* iplink_modify() gives parse_opt a request with 1024 bytes of room. */
#define REQ_MAXLEN 1024

/* --- parsing ---------------------------------------------------------- */

struct addr {
	int family;
	unsigned char data[16];
};

static void ikevti_print_help(struct link_util *lu, int argc, char **argv,
			      FILE *f)
{
	(void)argc;
	(void)argv;
	fprintf(f,
		"Usage: ... %s local ADDR remote ADDR\n"
		"                  [ fwmark MARK ] [ ttl TTL ] [ df DF ]\n"
		"                  [ ondemand { on | off } ]\n"
		"\n"
		"Where: ADDR := { IPv4 address | IPv6 address } (both of one family)\n"
		"       MARK := { 0..0xffffffff } (for the outer route lookup)\n"
		"       TTL  := { 1..255 | inherit }\n"
		"       DF   := { inherit | set | clear } (IPv4 outer header)\n"
		"       ondemand on: carrier stays on without an outbound SA;\n"
		"                    its traffic is dropped and raises ACQUIRE\n",
		lu->id);
}

static int bad(const char *arg, const char *what)
{
	fprintf(stderr, "Error: argument \"%s\" is wrong: %s\n", arg, what);
	return -1;
}

static int parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;
	int base = 10;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
		if (!*s)
			return -1;
	}
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_addr(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->data) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->data) == 1)
		a->family = AF_INET6;
	else
		return -1;
	return 0;
}

static int addr_len(const struct addr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

struct opts {
	struct addr local, remote;
	bool has_fwmark, has_ttl, has_df, has_ondemand;
	uint32_t fwmark;
	uint8_t ttl;
	uint8_t df;
	uint8_t ondemand;
};

/* One keyword and its value; returns how many args it used, or -1. */
static int parse_one(struct link_util *lu, int argc, char **argv,
		     struct opts *o)
{
	const char *kw = argv[0], *val;
	uint32_t v;

	if (strcmp(kw, "help") == 0) {
		ikevti_print_help(lu, argc, argv, stderr);
		return -1;
	}
	if (strcmp(kw, "local") && strcmp(kw, "remote") &&
	    strcmp(kw, "fwmark") && strcmp(kw, "ttl") && strcmp(kw, "df") &&
	    strcmp(kw, "ondemand")) {
		fprintf(stderr,
			"Error: unknown ikevti option \"%s\". Try \"ip link help ikevti\".\n",
			kw);
		return -1;
	}
	if (argc < 2) {
		fprintf(stderr, "Error: \"%s\" needs a value.\n", kw);
		return -1;
	}
	val = argv[1];
	if (strcmp(kw, "local") == 0 || strcmp(kw, "remote") == 0) {
		struct addr *a = kw[0] == 'l' ? &o->local : &o->remote;

		if (a->family) {
			fprintf(stderr, "Error: duplicate \"%s\".\n", kw);
			return -1;
		}
		if (parse_addr(val, a))
			return bad(val,
				   kw[0] == 'l' ? "invalid \"local\" address, expected IPv4 or IPv6"
						: "invalid \"remote\" address, expected IPv4 or IPv6");
	} else if (strcmp(kw, "fwmark") == 0) {
		if (parse_u32(val, &o->fwmark))
			return bad(val, "invalid \"fwmark\", expected 0..0xffffffff");
		o->has_fwmark = true;
	} else if (strcmp(kw, "ttl") == 0) {
		if (strcmp(val, "inherit") == 0)
			v = 0;
		else if (parse_u32(val, &v) || v > 255)
			return bad(val, "invalid \"ttl\", expected 1..255 or inherit");
		o->ttl = (uint8_t)v;
		o->has_ttl = true;
	} else if (strcmp(kw, "ondemand") == 0) {
		if (strcmp(val, "on") == 0)
			o->ondemand = 1;
		else if (strcmp(val, "off") == 0)
			o->ondemand = 0;
		else
			return bad(val, "invalid \"ondemand\", expected on or off");
		o->has_ondemand = true;
	} else {
		if (strcmp(val, "inherit") == 0)
			o->df = IKEVTI_DF_INHERIT;
		else if (strcmp(val, "set") == 0)
			o->df = IKEVTI_DF_SET;
		else if (strcmp(val, "clear") == 0)
			o->df = IKEVTI_DF_CLEAR;
		else
			return bad(val, "invalid \"df\", expected inherit, set or clear");
		o->has_df = true;
	}
	return 2;
}

static int ikevti_parse_opt(struct link_util *lu, int argc, char **argv,
			    struct nlmsghdr *n)
{
	struct opts o;
	int used;

	memset(&o, 0, sizeof(o));
	while (argc > 0) {
		used = parse_one(lu, argc, argv, &o);
		if (used < 0)
			return -1;
		argc -= used;
		argv += used;
	}
	if ((n->nlmsg_flags & NLM_F_CREATE) &&
	    (!o.local.family || !o.remote.family)) {
		fprintf(stderr,
			"Error: an ikevti device needs \"local ADDR\" and \"remote ADDR\".\n");
		return -1;
	}
	if (o.local.family && o.remote.family &&
	    o.local.family != o.remote.family) {
		fprintf(stderr,
			"Error: \"local\" and \"remote\" must be of the same address family.\n");
		return -1;
	}
	if ((o.local.family &&
	     addattr_l(n, REQ_MAXLEN, IFLA_IKEVTI_LOCAL, o.local.data,
		       addr_len(&o.local))) ||
	    (o.remote.family &&
	     addattr_l(n, REQ_MAXLEN, IFLA_IKEVTI_REMOTE, o.remote.data,
		       addr_len(&o.remote))) ||
	    (o.has_fwmark &&
	     addattr32(n, REQ_MAXLEN, IFLA_IKEVTI_FWMARK, o.fwmark)) ||
	    (o.has_ttl && addattr8(n, REQ_MAXLEN, IFLA_IKEVTI_TTL, o.ttl)) ||
	    (o.has_df && addattr8(n, REQ_MAXLEN, IFLA_IKEVTI_DF, o.df)) ||
	    (o.has_ondemand &&
	     addattr8(n, REQ_MAXLEN, IFLA_IKEVTI_ONDEMAND, o.ondemand)))
		return -1;
	return 0;
}

/* --- printing ------------------------------------------------------- */

static void print_addr(const char *key, const struct rtattr *rta)
{
	char buf[INET6_ADDRSTRLEN];
	char fmt[32];
	int len, family;

	if (!rta)
		return;
	len = (int)RTA_PAYLOAD(rta);
	if (len == 4)
		family = AF_INET;
	else if (len == 16)
		family = AF_INET6;
	else
		return;
	if (!inet_ntop(family, RTA_DATA(rta), buf, sizeof(buf)))
		return;
	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	print_color_string(PRINT_ANY,
			   family == AF_INET ? COLOR_INET : COLOR_INET6, key,
			   fmt, buf);
}

static int get_u32_attr(const struct rtattr *rta, uint32_t *v)
{
	if (!rta || RTA_PAYLOAD(rta) < sizeof(*v))
		return -1;
	memcpy(v, RTA_DATA(rta), sizeof(*v));
	return 0;
}

static int get_u8_attr(const struct rtattr *rta, uint8_t *v)
{
	if (!rta || RTA_PAYLOAD(rta) < sizeof(*v))
		return -1;
	memcpy(v, RTA_DATA(rta), sizeof(*v));
	return 0;
}

static void ikevti_print_opt(struct link_util *lu, FILE *f,
			     struct rtattr *tb[])
{
	static const char *const df_names[] = {
		[IKEVTI_DF_INHERIT] = "inherit",
		[IKEVTI_DF_SET] = "set",
		[IKEVTI_DF_CLEAR] = "clear",
	};
	uint32_t mark;
	uint8_t v;

	(void)lu;
	(void)f;
	if (!tb)
		return;
	print_addr("local", tb[IFLA_IKEVTI_LOCAL]);
	print_addr("remote", tb[IFLA_IKEVTI_REMOTE]);
	if (get_u32_attr(tb[IFLA_IKEVTI_FWMARK], &mark) == 0 && mark)
		print_color_0xhex(PRINT_ANY, COLOR_NONE, "fwmark",
				  "fwmark %#llx ", mark);
	if (get_u8_attr(tb[IFLA_IKEVTI_TTL], &v) == 0) {
		if (v)
			print_color_uint(PRINT_ANY, COLOR_NONE, "ttl",
					 "ttl %u ", v);
		else
			print_color_string(PRINT_ANY, COLOR_NONE, "ttl",
					   "ttl %s ", "inherit");
	}
	if (get_u8_attr(tb[IFLA_IKEVTI_DF], &v) == 0) {
		if (v <= IKEVTI_DF_CLEAR)
			print_color_string(PRINT_ANY, COLOR_NONE, "df",
					   "df %s ", df_names[v]);
		else
			print_color_uint(PRINT_ANY, COLOR_NONE, "df", "df %u ",
					 v);
	}
	/* Absent from modules older than the attribute: print nothing. */
	if (get_u8_attr(tb[IFLA_IKEVTI_ONDEMAND], &v) == 0)
		print_color_on_off(PRINT_ANY, COLOR_NONE, "ondemand",
				   "ondemand %s ", v != 0);
}

__attribute__((visibility("default")))
struct link_util ikevti_link_util = {
	.id = IKEVTI_LINK_KIND,
	.maxattr = IFLA_IKEVTI_MAX,
	.parse_opt = ikevti_parse_opt,
	.print_opt = ikevti_print_opt,
	.print_help = ikevti_print_help,
};
