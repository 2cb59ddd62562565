// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: generic netlink messages built and parsed without a
 * kernel, extended ACK decoding, and the output of ikevtictl.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "cmd_parse.h"
#include "ikevti_nl.h"
#include "print.h"

#define FAMILY 0x2a

static void sample_cfg(struct ikevti_sa_cfg *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->dir = IKEVTI_DIR_IN;
	c->spi = 0xc0ffee01;
	c->enc = IKEVTI_ENC_AES_GCM_16;
	c->enc_key_len = 16;
	for (i = 0; i < 16; i++)
		c->enc_key[i] = (uint8_t)(0xa0 + i);
	c->salt_len = 4;
	memcpy(c->salt, "\x01\x02\x03\x04", 4);
	c->has_replay_window = true;
	c->replay_window = 128;
	c->flags = IKEVTI_SA_F_ESN;
	c->local.family = AF_INET;
	memcpy(c->local.raw, "\x0a\x00\x00\x01", 4);
	c->remote.family = AF_INET;
	memcpy(c->remote.raw, "\x0a\x00\x00\x02", 4);
	c->has_encap = true;
	c->encap_sport = 4500;
	c->encap_dport = 4501;
	c->hard_bytes = 1ULL << 40;
}

static void test_build_sa_new(void **state)
{
	struct ikevti_devid dev = { .ifname = "ikevti7" };
	struct nlattr *tb[IKEVTI_A_MAX + 1], *sa[IKEVTI_SA_A_MAX + 1];
	struct ikevti_sa_cfg c;
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	(void)state;
	sample_cfg(&c);
	msg = ikevti_msg_new(FAMILY, IKEVTI_CMD_SA_NEW, 0, &dev);
	assert_non_null(msg);
	assert_int_equal(ikevti_msg_put_sa_cfg(msg, &c), 0);
	nlh = nlmsg_hdr(msg);
	assert_int_equal(nlh->nlmsg_type, FAMILY);
	g = nlmsg_data(nlh);
	assert_int_equal(g->cmd, IKEVTI_CMD_SA_NEW);
	assert_int_equal(g->version, IKEVTI_GENL_VERSION);
	assert_int_equal(g->reserved, 0);

	assert_int_equal(genlmsg_parse(nlh, 0, tb, IKEVTI_A_MAX, NULL), 0);
	assert_null(tb[IKEVTI_A_IFINDEX]);
	assert_string_equal(nla_get_string(tb[IKEVTI_A_IFNAME]), "ikevti7");
	assert_non_null(tb[IKEVTI_A_SA]);
	/* Strict kernels want NLA_F_NESTED on nests. */
	assert_true(tb[IKEVTI_A_SA]->nla_type & NLA_F_NESTED);
	assert_int_equal(nla_parse_nested(sa, IKEVTI_SA_A_MAX,
					  tb[IKEVTI_A_SA], NULL), 0);
	assert_int_equal(nla_get_u8(sa[IKEVTI_SA_A_DIR]), IKEVTI_DIR_IN);
	assert_int_equal(nla_get_u32(sa[IKEVTI_SA_A_SPI]), 0xc0ffee01);
	assert_int_equal(nla_get_u16(sa[IKEVTI_SA_A_ENC]),
			 IKEVTI_ENC_AES_GCM_16);
	assert_int_equal(nla_get_u16(sa[IKEVTI_SA_A_INTEG]), 0);
	assert_int_equal(nla_len(sa[IKEVTI_SA_A_ENC_KEY]), 16);
	assert_memory_equal(nla_data(sa[IKEVTI_SA_A_ENC_KEY]), c.enc_key, 16);
	assert_int_equal(nla_len(sa[IKEVTI_SA_A_SALT]), 4);
	assert_memory_equal(nla_data(sa[IKEVTI_SA_A_SALT]), "\x01\x02\x03\x04",
			    4);
	assert_null(sa[IKEVTI_SA_A_AUTH_KEY]);
	assert_int_equal(nla_get_u32(sa[IKEVTI_SA_A_REPLAY_WINDOW]), 128);
	assert_int_equal(nla_get_u32(sa[IKEVTI_SA_A_FLAGS]), IKEVTI_SA_F_ESN);
	assert_int_equal(nla_len(sa[IKEVTI_SA_A_LOCAL]), 4);
	assert_memory_equal(nla_data(sa[IKEVTI_SA_A_REMOTE]),
			    "\x0a\x00\x00\x02", 4);
	assert_int_equal(nla_get_u16(sa[IKEVTI_SA_A_ENCAP_SPORT]), 4500);
	assert_int_equal(nla_get_u16(sa[IKEVTI_SA_A_ENCAP_DPORT]), 4501);
	assert_null(sa[IKEVTI_SA_A_SEQ]);
	assert_null(sa[IKEVTI_SA_A_SOFT_BYTES]);
	assert_int_equal(nla_get_u64(sa[IKEVTI_SA_A_HARD_BYTES]), 1ULL << 40);

	/* After sending, the key bytes are gone from the buffer. */
	ikevti_msg_wipe_keys(msg);
	assert_int_equal(nla_len(sa[IKEVTI_SA_A_ENC_KEY]), 16);
	assert_int_equal(((uint8_t *)nla_data(sa[IKEVTI_SA_A_ENC_KEY]))[0], 0);
	assert_int_equal(((uint8_t *)nla_data(sa[IKEVTI_SA_A_ENC_KEY]))[15],
			 0);
	assert_int_equal(((uint8_t *)nla_data(sa[IKEVTI_SA_A_SALT]))[3], 0);
	/* ... and nothing else was touched. */
	assert_int_equal(nla_get_u32(sa[IKEVTI_SA_A_SPI]), 0xc0ffee01);
	nlmsg_free(msg);
}

static void test_build_cbc_ifindex_and_id(void **state)
{
	struct ikevti_devid dev = { .ifindex = 9, .ifname = "ignored" };
	struct nlattr *tb[IKEVTI_A_MAX + 1], *sa[IKEVTI_SA_A_MAX + 1];
	struct ikevti_sa_cfg c;
	struct nl_msg *msg;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.dir = IKEVTI_DIR_OUT;
	c.spi = 0x1000;
	c.enc = IKEVTI_ENC_AES_CBC;
	c.enc_key_len = 32;
	c.integ = IKEVTI_INTEG_HMAC_SHA512_256;
	c.auth_key_len = 64;
	memset(c.auth_key, 0x5a, 64);
	c.has_seq = true;
	c.seq = 41;
	msg = ikevti_msg_new(FAMILY, IKEVTI_CMD_SA_NEW, 0, &dev);
	assert_int_equal(ikevti_msg_put_sa_cfg(msg, &c), 0);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, IKEVTI_A_MAX,
				       NULL), 0);
	assert_int_equal(nla_get_u32(tb[IKEVTI_A_IFINDEX]), 9);
	assert_null(tb[IKEVTI_A_IFNAME]);
	nla_parse_nested(sa, IKEVTI_SA_A_MAX, tb[IKEVTI_A_SA], NULL);
	assert_null(sa[IKEVTI_SA_A_SALT]);
	assert_null(sa[IKEVTI_SA_A_REPLAY_WINDOW]);
	assert_null(sa[IKEVTI_SA_A_FLAGS]);
	assert_null(sa[IKEVTI_SA_A_LOCAL]);
	assert_null(sa[IKEVTI_SA_A_ENCAP_SPORT]);
	assert_int_equal(nla_get_u16(sa[IKEVTI_SA_A_INTEG]),
			 IKEVTI_INTEG_HMAC_SHA512_256);
	assert_int_equal(nla_len(sa[IKEVTI_SA_A_AUTH_KEY]), 64);
	assert_int_equal(nla_get_u64(sa[IKEVTI_SA_A_SEQ]), 41);
	ikevti_msg_wipe_keys(msg);
	assert_int_equal(((uint8_t *)nla_data(sa[IKEVTI_SA_A_AUTH_KEY]))[63],
			 0);
	nlmsg_free(msg);

	/* SA_DEL: just the direction and the SPI in the nest. */
	msg = ikevti_msg_new(FAMILY, IKEVTI_CMD_SA_DEL, 0, &dev);
	assert_int_equal(ikevti_msg_put_sa_id(msg, IKEVTI_DIR_OUT, 0x1234), 0);
	genlmsg_parse(nlmsg_hdr(msg), 0, tb, IKEVTI_A_MAX, NULL);
	nla_parse_nested(sa, IKEVTI_SA_A_MAX, tb[IKEVTI_A_SA], NULL);
	assert_int_equal(nla_get_u8(sa[IKEVTI_SA_A_DIR]), IKEVTI_DIR_OUT);
	assert_int_equal(nla_get_u32(sa[IKEVTI_SA_A_SPI]), 0x1234);
	assert_null(sa[IKEVTI_SA_A_ENC]);
	nlmsg_free(msg);
}

/* A fake SA_GET reply as the kernel would send it. */
static struct nl_msg *sa_reply(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *sa, *st;

	genlmsg_put(msg, 1, 1, FAMILY, 0, 0, IKEVTI_CMD_SA_GET, 1);
	nla_put_u32(msg, IKEVTI_A_IFINDEX, 5);
	nla_put_string(msg, IKEVTI_A_IFNAME, "ikevti1");
	sa = nla_nest_start(msg, IKEVTI_A_SA | NLA_F_NESTED);
	nla_put_u8(msg, IKEVTI_SA_A_DIR, IKEVTI_DIR_OUT);
	nla_put_u32(msg, IKEVTI_SA_A_SPI, 0x00c0ffee);
	nla_put_u16(msg, IKEVTI_SA_A_ENC, IKEVTI_ENC_AES_CBC);
	nla_put_u16(msg, IKEVTI_SA_A_INTEG, IKEVTI_INTEG_HMAC_SHA256_128);
	nla_put_u32(msg, IKEVTI_SA_A_REPLAY_WINDOW, 64);
	nla_put_u32(msg, IKEVTI_SA_A_FLAGS, IKEVTI_SA_F_TX | IKEVTI_SA_F_ESN);
	nla_put(msg, IKEVTI_SA_A_LOCAL, 16,
		"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
	nla_put(msg, IKEVTI_SA_A_REMOTE, 16,
		"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02");
	nla_put_u16(msg, IKEVTI_SA_A_ENCAP_SPORT, 4500);
	nla_put_u16(msg, IKEVTI_SA_A_ENCAP_DPORT, 4500);
	nla_put_u64(msg, IKEVTI_SA_A_SEQ, 77);
	nla_put_u64(msg, IKEVTI_SA_A_HARD_PACKETS, 1000000);
	nla_put_u32(msg, 200, 1);	/* from a newer kernel: ignored */
	st = nla_nest_start(msg, IKEVTI_SA_A_STATS | NLA_F_NESTED);
	nla_put_u64(msg, IKEVTI_STATS_A_PACKETS, 77);
	nla_put_u64(msg, IKEVTI_STATS_A_BYTES, 7700);
	nla_put_u64(msg, IKEVTI_STATS_A_SEND_ERROR, 2);
	nla_put_u64(msg, IKEVTI_STATS_A_SEQ_OVERFLOW, 0);
	nla_nest_end(msg, st);
	nla_nest_end(msg, sa);
	return msg;
}

static void test_parse_sa_reply(void **state)
{
	struct nl_msg *msg = sa_reply();
	struct ikevti_sa_info sa;
	char err[128];

	(void)state;
	assert_int_equal(ikevti_parse_sa_reply(nlmsg_hdr(msg), &sa, err,
					       sizeof(err)), 0);
	assert_int_equal(sa.ifindex, 5);
	assert_string_equal(sa.ifname, "ikevti1");
	assert_int_equal(sa.dir, IKEVTI_DIR_OUT);
	assert_int_equal(sa.spi, 0x00c0ffee);
	assert_int_equal(sa.enc, IKEVTI_ENC_AES_CBC);
	assert_int_equal(sa.integ, IKEVTI_INTEG_HMAC_SHA256_128);
	assert_int_equal(sa.replay_window, 64);
	assert_int_equal(sa.flags, IKEVTI_SA_F_TX | IKEVTI_SA_F_ESN);
	assert_int_equal(sa.local.family, AF_INET6);
	assert_int_equal(sa.remote.raw[15], 2);
	assert_int_equal(sa.encap_sport, 4500);
	assert_int_equal(sa.seq, 77);
	assert_int_equal(sa.hard_packets, 1000000);
	assert_int_equal(sa.soft_packets, 0);
	assert_true(ikevti_sa_has(&sa, IKEVTI_SA_A_STATS));
	assert_false(ikevti_sa_has(&sa, IKEVTI_SA_A_SOFT_BYTES));
	assert_int_equal(sa.stats.packets, 77);
	assert_int_equal(sa.stats.bytes, 7700);
	assert_int_equal(sa.stats.send_error, 2);
	assert_true(sa.stats.present & (1U << IKEVTI_STATS_A_SEQ_OVERFLOW));
	assert_false(sa.stats.present & (1U << IKEVTI_STATS_A_AUTH_FAIL));
	nlmsg_free(msg);
}

static void test_parse_bad_reply(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct ikevti_sa_info sa;
	struct nlattr *n;
	char err[128];

	(void)state;
	genlmsg_put(msg, 1, 1, FAMILY, 0, 0, IKEVTI_CMD_SA_GET, 1);
	n = nla_nest_start(msg, IKEVTI_A_SA | NLA_F_NESTED);
	nla_put_u16(msg, IKEVTI_SA_A_SPI, 5);	/* wrong size */
	nla_nest_end(msg, n);
	assert_int_equal(ikevti_parse_sa_reply(nlmsg_hdr(msg), &sa, err,
					       sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "sa.spi"));
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	genlmsg_put(msg, 1, 1, FAMILY, 0, 0, IKEVTI_CMD_SA_GET, 1);
	nla_put_u32(msg, IKEVTI_A_IFINDEX, 1);
	assert_int_equal(ikevti_parse_sa_reply(nlmsg_hdr(msg), &sa, err,
					       sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "no SA"));
	nlmsg_free(msg);
}

static void test_parse_dev_reply(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct ikevti_dev_info d;
	struct nlattr *st;
	char err[128];

	(void)state;
	genlmsg_put(msg, 1, 1, FAMILY, 0, 0, IKEVTI_CMD_DEV_GET, 1);
	nla_put_u32(msg, IKEVTI_A_IFINDEX, 3);
	nla_put_u32(msg, IKEVTI_A_GENERATION, 12);
	st = nla_nest_start(msg, IKEVTI_A_STATS | NLA_F_NESTED);
	nla_put_u64(msg, IKEVTI_STATS_A_NO_SA, 4);
	nla_put_u64(msg, IKEVTI_STATS_A_EXPIRED, 9);
	nla_nest_end(msg, st);
	assert_int_equal(ikevti_parse_dev_reply(nlmsg_hdr(msg), &d, err,
						sizeof(err)), 0);
	assert_int_equal(d.ifindex, 3);
	assert_true(d.has_generation);
	assert_int_equal(d.generation, 12);
	assert_int_equal(d.stats.no_sa, 4);
	assert_int_equal(d.stats.expired, 9);
	nlmsg_free(msg);
}

/*
 * Build an NLMSG_ERROR the way the kernel does with NETLINK_EXT_ACK and
 * NETLINK_CAP_ACK: nlmsgerr (request header only), then TLVs.
 */
static size_t make_err(uint8_t *buf, size_t size, int error,
		       const struct nlmsghdr *req, const char *text,
		       int offs, int miss_type, bool miss_nest)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = (struct nlmsgerr *)(buf + NLMSG_HDRLEN);
	size_t len = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;

	memset(buf, 0, size);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e->error = error;
	e->msg = *req;
#define TLV(type, data, dlen) do {					\
		a = (struct nlattr *)(buf + len);			\
		a->nla_type = (type);					\
		a->nla_len = (uint16_t)(NLA_HDRLEN + (dlen));		\
		memcpy((char *)a + NLA_HDRLEN, (data), (dlen));		\
		len += NLA_ALIGN(a->nla_len);				\
	} while (0)
	if (text)
		TLV(NLMSGERR_ATTR_MSG, text, strlen(text) + 1);
	if (offs >= 0) {
		uint32_t o = (uint32_t)offs;

		TLV(NLMSGERR_ATTR_OFFS, &o, 4);
	}
	if (miss_type >= 0) {
		uint32_t t = (uint32_t)miss_type;

		TLV(NLMSGERR_ATTR_MISS_TYPE, &t, 4);
	}
	if (miss_nest) {
		uint32_t o = 20;

		TLV(NLMSGERR_ATTR_MISS_NEST, &o, 4);
	}
#undef TLV
	nlh->nlmsg_len = (uint32_t)len;
	return len;
}

static void test_extack(void **state)
{
	struct ikevti_devid dev = { .ifname = "ikevti1" };
	struct nlattr *tb[IKEVTI_A_MAX + 1], *sa[IKEVTI_SA_A_MAX + 1];
	struct ikevti_sa_cfg c;
	struct nl_msg *req;
	uint8_t buf[512];
	char msg[256];
	int offs;

	(void)state;
	sample_cfg(&c);
	req = ikevti_msg_new(FAMILY, IKEVTI_CMD_SA_NEW, 0, &dev);
	ikevti_msg_put_sa_cfg(req, &c);
	genlmsg_parse(nlmsg_hdr(req), 0, tb, IKEVTI_A_MAX, NULL);
	nla_parse_nested(sa, IKEVTI_SA_A_MAX, tb[IKEVTI_A_SA], NULL);
	offs = (int)((char *)sa[IKEVTI_SA_A_REPLAY_WINDOW] -
		     (char *)nlmsg_hdr(req));

	make_err(buf, sizeof(buf), -EEXIST, nlmsg_hdr(req),
		 "SPI already in use", -1, -1, false);
	assert_int_equal(ikevti_describe_error((struct nlmsghdr *)buf,
					       nlmsg_hdr(req), msg,
					       sizeof(msg)), -EEXIST);
	assert_string_equal(msg, "SPI already in use");

	/* An offset names the attribute of our request. */
	make_err(buf, sizeof(buf), -ERANGE, nlmsg_hdr(req),
		 "integer out of range", offs, -1, false);
	assert_int_equal(ikevti_describe_error((struct nlmsghdr *)buf,
					       nlmsg_hdr(req), msg,
					       sizeof(msg)), -ERANGE);
	assert_string_equal(msg,
			    "integer out of range (attribute sa.replay_window)");

	/* GENL_REQ_ATTR_CHECK: no text, only the missing type. */
	make_err(buf, sizeof(buf), -EINVAL, nlmsg_hdr(req), NULL, -1,
		 IKEVTI_SA_A_SPI, true);
	ikevti_describe_error((struct nlmsghdr *)buf, nlmsg_hdr(req), msg,
			      sizeof(msg));
	assert_string_equal(msg, "missing attribute sa.spi");
	make_err(buf, sizeof(buf), -EINVAL, nlmsg_hdr(req), NULL, -1,
		 IKEVTI_A_IFINDEX, false);
	ikevti_describe_error((struct nlmsghdr *)buf, nlmsg_hdr(req), msg,
			      sizeof(msg));
	assert_string_equal(msg, "missing attribute ifindex");

	/* No TLVs at all: just the error. */
	make_err(buf, sizeof(buf), -ENODEV, nlmsg_hdr(req), NULL, -1, -1,
		 false);
	((struct nlmsghdr *)buf)->nlmsg_flags = NLM_F_CAPPED;
	assert_int_equal(ikevti_describe_error((struct nlmsghdr *)buf, NULL,
					       msg, sizeof(msg)), -ENODEV);
	assert_string_equal(msg, "");

	/* A bogus offset is ignored, not followed. */
	make_err(buf, sizeof(buf), -EINVAL, nlmsg_hdr(req), "bad", 100000,
		 -1, false);
	ikevti_describe_error((struct nlmsghdr *)buf, nlmsg_hdr(req), msg,
			      sizeof(msg));
	assert_string_equal(msg, "bad");
	nlmsg_free(req);
}

static void test_done_error(void **state)
{
	uint8_t buf[128];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *a;
	char msg[64];
	int err = -ENODEV;

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	memcpy(buf + NLMSG_HDRLEN, &err, sizeof(err));
	a = (struct nlattr *)(buf + NLMSG_HDRLEN + 4);
	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = NLA_HDRLEN + 5;
	memcpy((char *)a + NLA_HDRLEN, "gone", 5);
	nlh->nlmsg_len = NLMSG_HDRLEN + 4 + NLA_ALIGN(a->nla_len);
	assert_int_equal(ikevti_describe_error(nlh, NULL, msg, sizeof(msg)),
			 -ENODEV);
	assert_string_equal(msg, "gone");
}

static char *capture(void (*fn)(FILE *, const struct ikevti_sa_info *),
		     const struct ikevti_sa_info *sa)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	fn(f, sa);
	fclose(f);
	return out;
}

/* The SA as one element of a JSON document, as "sa list -j" writes it. */
static void sa_json_doc(FILE *f, const struct ikevti_sa_info *sa)
{
	struct json j;

	json_doc_begin(&j, f);
	json_arr_begin(&j, "sas");
	print_sa_json(&j, sa);
	json_doc_end(&j);
}

static void test_print(void **state)
{
	struct nl_msg *msg = sa_reply();
	struct ikevti_sa_info sa;
	char err[128], *s;

	(void)state;
	assert_int_equal(ikevti_parse_sa_reply(nlmsg_hdr(msg), &sa, err,
					       sizeof(err)), 0);
	nlmsg_free(msg);

	s = capture(sa_json_doc, &sa);
	assert_non_null(strstr(s, "{\"schema_version\":1,\"sas\":[{\"ifname\":\"ikevti1\""));
	assert_non_null(strstr(s, "\"dir\":\"out\""));
	assert_non_null(strstr(s, "\"spi\":\"0x00c0ffee\""));
	assert_non_null(strstr(s, "\"enc\":\"aes-cbc\""));
	assert_non_null(strstr(s, "\"integ\":\"hmac-sha256-128\""));
	assert_non_null(strstr(s, "\"flags\":[\"tx\",\"esn\"]"));
	assert_non_null(strstr(s, "\"local\":\"2001:db8::1\""));
	assert_non_null(strstr(s, "\"encap\":{\"sport\":4500,\"dport\":4500}"));
	assert_non_null(strstr(s, "\"hard_packets\":1000000"));
	assert_non_null(strstr(s, "\"stats\":{\"packets\":77,\"bytes\":7700,"));
	assert_non_null(strstr(s, "\"send_error\":2"));
	assert_non_null(strstr(s, "\"auth_fail\":0"));
	assert_int_equal(s[0], '{');
	assert_string_equal(s + strlen(s) - 4, "}]}\n");
	free(s);

	s = capture(print_sa_text, &sa);
	assert_non_null(strstr(s, "dev ikevti1 dir out spi 0x00c0ffee (12648430)\n"));
	assert_non_null(strstr(s, "\tenc aes-cbc integ hmac-sha256-128\n"));
	assert_non_null(strstr(s, "flags tx esn\n"));
	assert_non_null(strstr(s, "local 2001:db8::1 remote 2001:db8::2\n"));
	assert_non_null(strstr(s, "encap udp sport 4500 dport 4500"));
	assert_non_null(strstr(s, "packets soft unlimited hard 1000000"));
	assert_non_null(strstr(s, "packets 77 bytes 7700 send_error 2"));
	assert_null(strstr(s, "auth_fail"));	/* not reported: not shown */
	free(s);

	/* Names that need escaping do not break the JSON. */
	snprintf(sa.ifname, sizeof(sa.ifname), "a\"b\\c");
	s = capture(sa_json_doc, &sa);
	assert_non_null(strstr(s, "\"ifname\":\"a\\\"b\\\\c\""));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_sa_new),
		cmocka_unit_test(test_build_cbc_ifindex_and_id),
		cmocka_unit_test(test_parse_sa_reply),
		cmocka_unit_test(test_parse_bad_reply),
		cmocka_unit_test(test_parse_dev_reply),
		cmocka_unit_test(test_extack),
		cmocka_unit_test(test_done_error),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests_name("ikevti_nl", tests, NULL, NULL);
}
