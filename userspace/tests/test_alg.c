// SPDX-License-Identifier: GPL-2.0
/* Unit tests: algorithm table, hex parsing, SA configuration checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "ikevti_alg.h"
#include "ikevti_sa.h"

static void test_enc_table(void **state)
{
	const struct ikevti_enc_alg *a;

	(void)state;
	a = ikevti_enc_by_name("aes-gcm-128");
	assert_non_null(a);
	assert_int_equal(a->id, IKEVTI_ENC_AES_GCM_16);
	assert_int_equal(a->key_len, 16);
	assert_int_equal(a->salt_len, 4);
	assert_int_equal(a->icv_bits, 128);
	assert_true(a->aead);
	assert_false(a->legacy);

	a = ikevti_enc_by_name("aes-gcm-256");
	assert_non_null(a);
	assert_int_equal(a->key_len, 32);

	a = ikevti_enc_by_name("aes-cbc-192");
	assert_non_null(a);
	assert_int_equal(a->id, IKEVTI_ENC_AES_CBC);
	assert_int_equal(a->key_len, 24);
	assert_int_equal(a->salt_len, 0);
	assert_false(a->aead);

	a = ikevti_enc_by_name("chacha20-poly1305");
	assert_non_null(a);
	assert_int_equal(a->id, IKEVTI_ENC_CHACHA20_POLY1305);
	assert_int_equal(a->key_len, 32);
	assert_int_equal(a->salt_len, 4);

	a = ikevti_enc_by_name("3des-cbc");
	assert_non_null(a);
	assert_int_equal(a->id, IKEVTI_ENC_3DES_CBC);
	assert_int_equal(a->key_len, 24);
	assert_true(a->legacy);

	assert_null(ikevti_enc_by_name("aes-gcm"));
	assert_null(ikevti_enc_by_name("des"));
	assert_null(ikevti_enc_by_name(NULL));

	/* By number and key length: the reverse mapping. */
	a = ikevti_enc_by_id(IKEVTI_ENC_AES_GCM_16, 24);
	assert_non_null(a);
	assert_string_equal(a->name, "aes-gcm-192");
	assert_null(ikevti_enc_by_id(IKEVTI_ENC_AES_GCM_16, 20));
	assert_string_equal(ikevti_enc_family_name(IKEVTI_ENC_AES_CBC),
			    "aes-cbc");
	assert_null(ikevti_enc_family_name(99));
	assert_true(ikevti_enc_is_aead(IKEVTI_ENC_CHACHA20_POLY1305));
	assert_false(ikevti_enc_is_aead(IKEVTI_ENC_3DES_CBC));
}

static void test_integ_table(void **state)
{
	static const struct {
		const char *name;
		uint16_t id;
		uint8_t key_len;
		uint16_t icv_bits;
		bool legacy;
	} want[] = {
		{ "hmac-sha1-96", IKEVTI_INTEG_HMAC_SHA1_96, 20, 96, false },
		{ "hmac-sha256-128", IKEVTI_INTEG_HMAC_SHA256_128, 32, 128, false },
		{ "hmac-sha384-192", IKEVTI_INTEG_HMAC_SHA384_192, 48, 192, false },
		{ "hmac-sha512-256", IKEVTI_INTEG_HMAC_SHA512_256, 64, 256, false },
		{ "hmac-md5-96", IKEVTI_INTEG_HMAC_MD5_96, 16, 96, true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ikevti_integ_alg *a =
			ikevti_integ_by_name(want[i].name);

		assert_non_null(a);
		assert_int_equal(a->id, want[i].id);
		assert_int_equal(a->key_len, want[i].key_len);
		assert_int_equal(a->icv_bits, want[i].icv_bits);
		assert_int_equal(a->legacy, want[i].legacy);
		assert_ptr_equal(ikevti_integ_by_id(want[i].id), a);
		assert_true(a->key_len <= IKEVTI_KEY_MAX);
	}
	assert_null(ikevti_integ_by_name("hmac-sha256"));
	assert_null(ikevti_integ_by_id(IKEVTI_INTEG_NONE));
}

static void test_hex_good(void **state)
{
	uint8_t out[8];
	size_t n = 0;
	char err[128];

	(void)state;
	assert_int_equal(ikevti_hex_parse("0x00ff10Ab", out, sizeof(out), &n,
					  err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0xff);
	assert_int_equal(out[2], 0x10);
	assert_int_equal(out[3], 0xab);

	assert_int_equal(ikevti_hex_parse("DEADbeef", out, sizeof(out), &n,
					  err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	assert_int_equal(out[0], 0xde);
	assert_int_equal(out[3], 0xef);

	assert_int_equal(ikevti_hex_parse("0X0102030405060708", out,
					  sizeof(out), &n, err, sizeof(err)),
			 0);
	assert_int_equal(n, 8);
}

static void test_hex_bad(void **state)
{
	uint8_t out[4];
	size_t n = 77;
	char err[128];

	(void)state;
	assert_int_equal(ikevti_hex_parse("0x123", out, sizeof(out), &n, err,
					  sizeof(err)), -1);
	assert_non_null(strstr(err, "odd number"));
	assert_int_equal(n, 77);	/* untouched on failure */

	assert_int_equal(ikevti_hex_parse("12zz", out, sizeof(out), &n, err,
					  sizeof(err)), -1);
	assert_non_null(strstr(err, "'z' at position 3"));

	assert_int_equal(ikevti_hex_parse("0x", out, sizeof(out), &n, err,
					  sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));

	assert_int_equal(ikevti_hex_parse("", out, sizeof(out), &n, err,
					  sizeof(err)), -1);

	assert_int_equal(ikevti_hex_parse("0102030405", out, sizeof(out), &n,
					  err, sizeof(err)), -1);
	assert_non_null(strstr(err, "5 bytes, at most 4"));

	assert_int_equal(ikevti_hex_parse("01 2", out, sizeof(out), &n, err,
					  sizeof(err)), -1);
	assert_int_equal(ikevti_hex_parse("01\x01", out, sizeof(out), &n,
					  err, sizeof(err)), -1);
	assert_non_null(strstr(err, "byte 0x01"));
	assert_int_equal(ikevti_hex_parse(NULL, out, sizeof(out), &n, err,
					  sizeof(err)), -1);
}

static void gcm_cfg(struct ikevti_sa_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->dir = IKEVTI_DIR_OUT;
	c->spi = 0x1000;
	c->enc = IKEVTI_ENC_AES_GCM_16;
	c->enc_key_len = 16;
	c->salt_len = 4;
}

static void test_cfg_check(void **state)
{
	struct ikevti_sa_cfg c;
	char err[256];

	(void)state;
	gcm_cfg(&c);
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), 0);

	c.enc_key_len = 20;
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "16, 24 or 32 bytes"));

	gcm_cfg(&c);
	c.salt_len = 0;
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "4-byte salt"));

	gcm_cfg(&c);
	c.integ = IKEVTI_INTEG_HMAC_SHA1_96;
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "AEAD"));

	gcm_cfg(&c);
	c.spi = 255;
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "reserved"));

	gcm_cfg(&c);
	c.dir = 3;
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), -1);

	gcm_cfg(&c);
	c.local.family = AF_INET;
	c.remote.family = AF_INET6;
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "family"));

	gcm_cfg(&c);
	c.soft_bytes = 10;
	c.hard_bytes = 5;
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "soft-bytes"));

	/* CBC: needs integ with the right auth key length. */
	memset(&c, 0, sizeof(c));
	c.dir = IKEVTI_DIR_IN;
	c.spi = 0x2000;
	c.enc = IKEVTI_ENC_AES_CBC;
	c.enc_key_len = 32;
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "integrity"));
	c.integ = IKEVTI_INTEG_HMAC_SHA256_128;
	c.auth_key_len = 20;
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "32 bytes"));
	c.auth_key_len = 32;
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), 0);
	c.flags = IKEVTI_SA_F_TX;	/* reported only, never set */
	assert_int_equal(ikevti_sa_cfg_check(&c, err, sizeof(err)), -1);
}

static void test_stat_descs(void **state)
{
	const struct ikevti_stat_desc *d;
	struct ikevti_stats st;
	size_t i;

	(void)state;
	memset(&st, 0, sizeof(st));
	/* Every counter of the uapi has a name, in order. */
	for (i = 0; i < IKEVTI_STATS_A_PAD - 1; i++) {
		d = ikevti_stat_desc_at(i);
		assert_non_null(d);
		assert_int_equal(d->attr, (int)i + 1);
		ikevti_stat_set(&st, d, 1000 + i);
	}
	assert_null(ikevti_stat_desc_at(i));
	assert_int_equal(st.packets, 1000);
	assert_int_equal(st.expired, 1000 + IKEVTI_STATS_A_EXPIRED - 1);
	assert_int_equal(st.no_sa, 1000 + IKEVTI_STATS_A_NO_SA - 1);
	d = ikevti_stat_desc_by_attr(IKEVTI_STATS_A_AUTH_FAIL);
	assert_string_equal(d->name, "auth_fail");
	assert_int_equal(ikevti_stat_value(&st, d), st.auth_fail);
	assert_true(st.present & (1U << IKEVTI_STATS_A_BAD_NEXTHDR));
	assert_null(ikevti_stat_desc_by_attr(IKEVTI_STATS_A_PAD));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enc_table),
		cmocka_unit_test(test_integ_table),
		cmocka_unit_test(test_hex_good),
		cmocka_unit_test(test_hex_bad),
		cmocka_unit_test(test_cfg_check),
		cmocka_unit_test(test_stat_descs),
	};

	return cmocka_run_group_tests_name("ikevti_alg", tests, NULL, NULL);
}
