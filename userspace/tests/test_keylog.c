// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the Wireshark key export lines (esp_sa, IKEv2 and IKEv1
 * decryption tables) and the files they are appended to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "keylog.h"

static void fill(uint8_t *b, size_t n, uint8_t first)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(first + i);
}

static void v4(struct ikevti_addr *a, const char *s)
{
	a->family = AF_INET;
	inet_pton(AF_INET, s, &a->v4);
}

static void test_esp_gcm_inbound_device_addresses(void **state)
{
	struct ikevti_sa_cfg sa = { .dir = IKEVTI_DIR_IN, .spi = 0xc0ffee01,
				    .enc = IKEVTI_ENC_AES_GCM_16,
				    .enc_key_len = 16, .salt_len = 4 };
	struct ikevti_addr l, r;
	char line[512];

	(void)state;
	fill(sa.enc_key, 16, 0x00);
	fill(sa.salt, 4, 0xa0);
	v4(&l, "192.168.0.1");
	v4(&r, "192.168.0.2");
	/* Inbound: from the peer to us; GCM key = key || salt. */
	assert_true(keylog_format_esp(line, sizeof(line), &sa, &l, &r) > 0);
	assert_string_equal(line,
		"\"IPv4\",\"192.168.0.2\",\"192.168.0.1\",\"0xc0ffee01\","
		"\"AES-GCM with 16 octet ICV [RFC4106]\","
		"\"0x000102030405060708090a0b0c0d0e0fa0a1a2a3\","
		"\"NULL\",\"0x\"\n");
}

static void test_esp_cbc_outbound_own_addresses(void **state)
{
	struct ikevti_sa_cfg sa = { .dir = IKEVTI_DIR_OUT, .spi = 0x1000,
				    .enc = IKEVTI_ENC_AES_CBC,
				    .enc_key_len = 16,
				    .integ = IKEVTI_INTEG_HMAC_SHA256_128,
				    .auth_key_len = 32 };
	char line[512];

	(void)state;
	fill(sa.enc_key, 16, 0x10);
	fill(sa.auth_key, 32, 0x40);
	sa.local.family = sa.remote.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &sa.local.v6);
	inet_pton(AF_INET6, "2001:db8::2", &sa.remote.v6);
	assert_true(keylog_format_esp(line, sizeof(line), &sa, NULL, NULL) > 0);
	assert_string_equal(line,
		"\"IPv6\",\"2001:db8::1\",\"2001:db8::2\",\"0x00001000\","
		"\"AES-CBC [RFC3602]\",\"0x101112131415161718191a1b1c1d1e1f\","
		"\"HMAC-SHA-256-128 [RFC4868]\",\"0x404142434445464748494a4b4c4d4e4f"
		"505152535455565758595a5b5c5d5e5f\"\n");
}

static void test_esp_unknown_to_wireshark(void **state)
{
	struct ikevti_sa_cfg sa = { .dir = IKEVTI_DIR_OUT, .spi = 0x2000,
				    .enc = IKEVTI_ENC_CHACHA20_POLY1305,
				    .enc_key_len = 32, .salt_len = 4 };
	char line[512];

	(void)state;
	assert_int_equal(keylog_format_esp(line, sizeof(line), &sa, NULL, NULL),
			 -1);
	assert_int_equal(line[0], '#');	/* a comment: Wireshark skips it */
	assert_null(strstr(line, "\"0x"));	/* no key in it */
}

static void test_ikev2_and_ikev1_lines(void **state)
{
	uint8_t ei[36], er[36], ai[32], ar[32], ck[8], k1[16];
	char line[800];

	(void)state;
	fill(ei, 32, 0x00);
	fill(er, 32, 0x20);
	fill(ai, 32, 0x40);
	fill(ar, 32, 0x60);
	assert_true(keylog_format_ikev2(line, sizeof(line), 0x0102030405060708ULL,
					0x1112131415161718ULL, 12, 256, ei, er,
					32, 12, ai, ar, 32) > 0);
	assert_string_equal(line,
		"0102030405060708,1112131415161718,"
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f,"
		"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f,"
		"\"AES-CBC-256 [RFC3602]\","
		"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f,"
		"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f,"
		"\"HMAC_SHA2_256_128 [RFC4868]\"\n");
	/* AES-GCM: the salt is part of SK_e, no integrity keys. */
	fill(ei, 36, 0x00);
	fill(er, 36, 0x80);
	assert_true(keylog_format_ikev2(line, sizeof(line), 1, 2, 20, 256, ei,
					er, 36, 0, NULL, NULL, 0) > 0);
	assert_non_null(strstr(line, ",\"AES-GCM-256 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"\n"));
	assert_int_equal(keylog_format_ikev2(line, sizeof(line), 1, 2, 99, 128,
					     ei, er, 16, 2, ai, ar, 20), -1);
	assert_int_equal(line[0], '#');

	fill(ck, 8, 0xf0);
	fill(k1, 16, 0x01);
	assert_true(keylog_format_ikev1(line, sizeof(line), ck, k1, 16) > 0);
	assert_string_equal(line, "f0f1f2f3f4f5f6f7,"
			    "0102030405060708090a0b0c0d0e0f10\n");
	assert_int_equal(keylog_format_ikev1(line, sizeof(line), ck, k1, 0), -1);
}

static void test_files(void **state)
{
	char dir[] = "/tmp/ikevti-keylog-XXXXXX", path[128], buf[512];
	struct ikevti_sa_cfg sa = { .dir = IKEVTI_DIR_OUT, .spi = 0x3000,
				    .enc = IKEVTI_ENC_AES_GCM_16,
				    .enc_key_len = 16, .salt_len = 4 };
	uint8_t ck[8] = { 0 }, k[16] = { 0 };
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* Off: nothing is written anywhere. */
	keylog_esp(&sa, NULL, NULL);
	assert_int_equal(keylog_enable(dir), 0);
	keylog_esp(&sa, NULL, NULL);
	keylog_esp(&sa, NULL, NULL);
	keylog_ikev1(ck, k, sizeof(k));
	snprintf(path, sizeof(path), "%s/esp_sa", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_non_null(strstr(buf, "\"0x00003000\""));
	assert_non_null(fgets(buf, sizeof(buf), f));	/* appended */
	fclose(f);
	unlink(path);
	snprintf(path, sizeof(path), "%s/ikev1_decryption_table", dir);
	assert_int_equal(unlink(path), 0);
	keylog_disable();
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(keylog_enable("/proc/version/x"), -ENOTDIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esp_gcm_inbound_device_addresses),
		cmocka_unit_test(test_esp_cbc_outbound_own_addresses),
		cmocka_unit_test(test_esp_unknown_to_wireshark),
		cmocka_unit_test(test_ikev2_and_ikev1_lines),
		cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
