// SPDX-License-Identifier: GPL-2.0
/* Unit tests: ikevtictl command line parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd_parse.h"
#include "globals.h"

#define K16 "00112233445566778899aabbccddeeff"
#define K20 K16 "c0c1c2c3"
#define K24 K16 "0102030405060708"
#define K28 K24 "d0d1d2d3"
#define K32 K16 K16
#define K36 K32 "e0e1e2e3"

/*
 * Parse a command line given as one string (split on spaces into
 * writable copies, as argv is). Returns ctl_parse()'s result.
 */
struct line {
	char *argv[64];
	int argc;
	char buf[1024];
};

static int parse(const char *s, struct ctl_cmd *cmd, char *err,
		 size_t errlen)
{
	static struct line l;
	char *tok, *save = NULL;

	memset(&l, 0, sizeof(l));
	snprintf(l.buf, sizeof(l.buf), "%s", s);
	for (tok = strtok_r(l.buf, " ", &save); tok && l.argc < 64;
	     tok = strtok_r(NULL, " ", &save))
		l.argv[l.argc++] = tok;
	return ctl_parse(l.argc, l.argv, cmd, err, errlen);
}

/* The command must fail with a message containing want. */
static void expect_error(const char *line, const char *want)
{
	struct ctl_cmd cmd;
	char err[512];

	if (parse(line, &cmd, err, sizeof(err)) != -1)
		fail_msg("\"%s\" was accepted", line);
	if (!strstr(err, want))
		fail_msg("\"%s\": error \"%s\" lacks \"%s\"", line, err, want);
	/* Nothing of the key may stay in the command after a failure. */
	assert_int_equal(cmd.sa.enc_key_len, 0);
	assert_int_equal(cmd.sa.enc_key[0], 0);
}

static void test_add_gcm_xfrm_style(void **state)
{
	struct ctl_cmd cmd;
	char err[512];

	(void)state;
	/* key||salt as "ip xfrm state ... aead rfc4106(gcm(aes)) KEY 128" */
	assert_int_equal(parse("sa add dev ikevti1 dir out spi 0x1234 enc aes-gcm-128 key 0x" K20,
			       &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_SA_ADD);
	assert_string_equal(cmd.ifname, "ikevti1");
	assert_int_equal(cmd.sa.dir, IKEVTI_DIR_OUT);
	assert_int_equal(cmd.sa.spi, 0x1234);
	assert_int_equal(cmd.sa.enc, IKEVTI_ENC_AES_GCM_16);
	assert_int_equal(cmd.sa.integ, IKEVTI_INTEG_NONE);
	assert_int_equal(cmd.sa.enc_key_len, 16);
	assert_int_equal(cmd.sa.enc_key[0], 0x00);
	assert_int_equal(cmd.sa.enc_key[15], 0xff);
	assert_int_equal(cmd.sa.salt_len, 4);
	assert_int_equal(cmd.sa.salt[0], 0xc0);
	assert_int_equal(cmd.sa.salt[3], 0xc3);
	assert_false(cmd.sa.has_replay_window);
	assert_int_equal(cmd.sa.flags, 0);
	assert_false(cmd.json);
	/* The argv string of the key is reported for wiping. */
	assert_non_null(cmd.secrets[0]);
	assert_non_null(strstr(cmd.secrets[0], K20));
	ctl_cmd_wipe(&cmd);
	assert_int_equal(cmd.sa.enc_key_len, 0);
	assert_int_equal(cmd.secrets[0] ? cmd.secrets[0][0] : 0, 0);

	assert_int_equal(parse("sa add dev a dir in spi 4096 enc aes-gcm-192 key " K28,
			       &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.sa.enc_key_len, 24);
	assert_int_equal(cmd.sa.salt[0], 0xd0);
	assert_int_equal(cmd.sa.spi, 4096);

	assert_int_equal(parse("sa add dev a dir in spi 4096 enc aes-gcm-256 key " K36,
			       &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.sa.enc_key_len, 32);
	assert_int_equal(cmd.sa.salt[3], 0xe3);

	assert_int_equal(parse("sa add dev a dir in spi 4096 enc chacha20-poly1305 key " K36,
			       &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.sa.enc, IKEVTI_ENC_CHACHA20_POLY1305);
	assert_int_equal(cmd.sa.enc_key_len, 32);
	assert_int_equal(cmd.sa.salt_len, 4);
}

static void test_add_gcm_separate_salt(void **state)
{
	struct ctl_cmd cmd;
	char err[512];

	(void)state;
	assert_int_equal(parse("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K16 " salt 0xa1a2a3a4",
			       &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.sa.enc_key_len, 16);
	assert_int_equal(cmd.sa.salt_len, 4);
	assert_int_equal(cmd.sa.salt[0], 0xa1);
	assert_non_null(cmd.secrets[1]);
}

static void test_add_cbc_and_options(void **state)
{
	struct ctl_cmd cmd;
	char err[512];

	(void)state;
	assert_int_equal(parse("-j sa add dev ikevti9 dir in spi 4294967295 enc aes-cbc-256 key " K32
			       " integ hmac-sha256-128 auth-key " K32
			       " replay-window 4096 esn seq 0x100000000 local 2001:db8::1 remote 2001:db8::2"
			       " encap 4500 4501 allow-float soft-bytes 1000 hard-bytes 2000"
			       " soft-packets 10 hard-packets 20",
			       &cmd, err, sizeof(err)), 0);
	assert_true(cmd.json);
	assert_int_equal(cmd.sa.spi, 0xffffffffU);
	assert_int_equal(cmd.sa.enc, IKEVTI_ENC_AES_CBC);
	assert_int_equal(cmd.sa.enc_key_len, 32);
	assert_int_equal(cmd.sa.salt_len, 0);
	assert_int_equal(cmd.sa.integ, IKEVTI_INTEG_HMAC_SHA256_128);
	assert_int_equal(cmd.sa.auth_key_len, 32);
	assert_true(cmd.sa.has_replay_window);
	assert_int_equal(cmd.sa.replay_window, 4096);
	assert_int_equal(cmd.sa.flags,
			 IKEVTI_SA_F_ESN | IKEVTI_SA_F_ALLOW_FLOAT);
	assert_true(cmd.sa.has_seq);
	assert_int_equal(cmd.sa.seq, 0x100000000ULL);
	assert_int_equal(cmd.sa.local.family, AF_INET6);
	assert_int_equal(cmd.sa.remote.raw[15], 2);
	assert_true(cmd.sa.has_encap);
	assert_int_equal(cmd.sa.encap_sport, 4500);
	assert_int_equal(cmd.sa.encap_dport, 4501);
	assert_int_equal(cmd.sa.soft_bytes, 1000);
	assert_int_equal(cmd.sa.hard_bytes, 2000);
	assert_int_equal(cmd.sa.soft_packets, 10);
	assert_int_equal(cmd.sa.hard_packets, 20);

	/* Legacy algorithms are accepted. */
	assert_int_equal(parse("sa add dev a dir out spi 300 enc 3des-cbc key " K24
			       " integ hmac-md5-96 auth-key " K16
			       " local 10.0.0.1 remote 10.0.0.2 replay-window 0",
			       &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.sa.enc, IKEVTI_ENC_3DES_CBC);
	assert_int_equal(cmd.sa.integ, IKEVTI_INTEG_HMAC_MD5_96);
	assert_int_equal(cmd.sa.local.family, AF_INET);
	assert_int_equal(cmd.sa.local.raw[3], 1);
	assert_true(cmd.sa.has_replay_window);
	assert_int_equal(cmd.sa.replay_window, 0);
}

static void test_key_length_errors(void **state)
{
	(void)state;
	/* Each AEAD size: the tool names the expected lengths. */
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K24,
		     "key for aes-gcm-128 must be 20 bytes (16-byte key + 4-byte salt");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-192 key " K20,
		     "key for aes-gcm-192 must be 28 bytes");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-256 key " K28,
		     "key for aes-gcm-256 must be 36 bytes");
	expect_error("sa add dev a dir in spi 4096 enc chacha20-poly1305 key " K32,
		     "chacha20-poly1305 needs a 4-byte salt");
	/* The bare key without salt is called out as such. */
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K16,
		     "aes-gcm-128 needs a 4-byte salt: give key as 20 bytes");
	/* key||salt and salt at once. */
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K20 " salt 01020304",
		     "must be 16 bytes when \"salt\" is given, got 20");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K16 " salt 010203",
		     "salt for aes-gcm-128 must be 4 bytes, got 3");
	expect_error("sa add dev a dir in spi 4096 enc aes-cbc-128 key " K24
		     " integ hmac-sha1-96 auth-key " K20,
		     "key for aes-cbc-128 must be 16 bytes, got 24");
	expect_error("sa add dev a dir in spi 4096 enc aes-cbc-192 key " K24
		     " integ hmac-sha1-96 auth-key " K16,
		     "auth-key for hmac-sha1-96 must be 20 bytes, got 16");
	expect_error("sa add dev a dir in spi 4096 enc aes-cbc-256 key " K32
		     " integ hmac-sha512-256 auth-key " K32,
		     "auth-key for hmac-sha512-256 must be 64 bytes, got 32");
	expect_error("sa add dev a dir in spi 4096 enc 3des-cbc key " K16
		     " integ hmac-sha1-96 auth-key " K20,
		     "key for 3des-cbc must be 24 bytes, got 16");
}

static void test_alg_errors(void **state)
{
	(void)state;
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm key " K20,
		     "unknown enc algorithm \"aes-gcm\" (known: aes-gcm-128");
	expect_error("sa add dev a dir in spi 4096 enc aes-cbc-128 key " K16,
		     "aes-cbc-128 needs \"integ ALG auth-key HEX\"");
	expect_error("sa add dev a dir in spi 4096 enc aes-cbc-128 key " K16
		     " integ sha1 auth-key " K20,
		     "unknown integ algorithm \"sha1\"");
	expect_error("sa add dev a dir in spi 4096 enc aes-cbc-128 key " K16
		     " integ hmac-sha1-96",
		     "\"integ hmac-sha1-96\" needs \"auth-key HEX\"");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K20
		     " integ hmac-sha1-96 auth-key " K20,
		     "AEAD");
	expect_error("sa add dev a dir in spi 4096 enc aes-cbc-128 key " K16
		     " salt 01020304 integ hmac-sha1-96 auth-key " K20,
		     "aes-cbc-128 takes no salt");
}

static void test_hex_and_number_errors(void **state)
{
	(void)state;
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key 0x" K16 "c0c1c2c",
		     "bad key: odd number of hex digits (39)");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key 0xg0",
		     "bad key: invalid hex digit 'g' at position 3");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key 0x",
		     "bad key: empty hex value");
	expect_error("sa add dev a dir in spi 12x enc aes-gcm-128 key " K20,
		     "invalid spi \"12x\": expected a number");
	expect_error("sa add dev a dir in spi 0x100000000 enc aes-gcm-128 key " K20,
		     "spi 0x100000000 is too large");
	expect_error("sa add dev a dir in spi -5 enc aes-gcm-128 key " K20,
		     "invalid spi \"-5\"");
	expect_error("sa add dev a dir in spi 0 enc aes-gcm-128 key " K20,
		     "SPI 0 is reserved");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K20
		     " replay-window 4097", "replay-window 4097 is too large (at most 4096)");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K20
		     " encap 4500 0", "invalid encap DPORT \"0\"");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K20
		     " encap 70000 4500", "invalid encap SPORT \"70000\"");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K20
		     " local 10.0.0.300", "invalid local address \"10.0.0.300\"");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K20
		     " local 10.0.0.1 remote ::1", "same address family");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K20
		     " soft-packets 5 hard-packets 4", "soft-packets (5) is above hard-packets (4)");
}

static void test_usage_errors(void **state)
{
	(void)state;
	expect_error("", "no command given");
	expect_error("frob", "unknown object \"frob\"");
	expect_error("sa frob", "unknown command \"sa frob\"");
	expect_error("spi", "\"spi\" needs a command");
	expect_error("-x sa list", "unknown option \"-x\"");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K20 " colour blue",
		     "unknown keyword \"colour\" in \"sa add\"");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key",
		     "\"key\" needs a value (key HEX)");
	expect_error("sa add dev a dir in spi 4096 enc aes-gcm-128 key " K20 " encap 4500",
		     "\"encap\" needs two values (encap SPORT DPORT)");
	expect_error("sa add dev a dir in spi 1 spi 2", "\"spi\" is given twice");
	expect_error("sa add dev a dir in spi 4096 key " K20,
		     "\"sa add\" needs \"enc ALG\"");
	expect_error("sa add dev a dir sideways spi 4096 enc aes-gcm-128 key " K20,
		     "invalid dir \"sideways\": expected in or out");
	expect_error("sa add dev abcdefghijklmnop dir in spi 4096 enc aes-gcm-128 key " K20,
		     "invalid device name");
	expect_error("sa del dev a dir in", "\"sa del\" needs \"spi SPI\"");
	expect_error("sa del dev a dir in spi 4096 esn",
		     "\"esn\" is not an option of \"sa del\"");
	expect_error("sa flush", "\"sa flush\" needs \"dev IFNAME\"");
	expect_error("sa tx dev a dir in spi 4096", "dir must be out");
	expect_error("spi alloc dev a min 0x2000 max 0x1000",
		     "min 0x2000 is above max 0x1000");
	expect_error("stats", "\"stats\" needs \"dev IFNAME\"");
}

static void test_other_commands(void **state)
{
	struct ctl_cmd cmd;
	char err[512];

	(void)state;
	assert_int_equal(parse("sa del dev ikevti1 dir in spi 0xdeadbeef",
			       &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_SA_DEL);
	assert_int_equal(cmd.sa.dir, IKEVTI_DIR_IN);
	assert_int_equal(cmd.sa.spi, 0xdeadbeef);

	assert_int_equal(parse("--json sa show dev ikevti1 dir out spi 77",
			       &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_SA_SHOW);
	assert_true(cmd.json);
	assert_int_equal(cmd.sa.dir, IKEVTI_DIR_OUT);

	assert_int_equal(parse("sa list", &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_SA_LIST);
	assert_null(cmd.ifname);
	assert_int_equal(parse("sa", &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_SA_LIST);
	assert_int_equal(parse("sa list dev x1", &cmd, err, sizeof(err)), 0);
	assert_string_equal(cmd.ifname, "x1");

	assert_int_equal(parse("sa flush dev x1", &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_SA_FLUSH);

	assert_int_equal(parse("sa tx dev x1 spi 0x2000", &cmd, err,
			       sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_SA_TX);
	assert_int_equal(cmd.sa.dir, IKEVTI_DIR_OUT);
	assert_int_equal(cmd.sa.spi, 0x2000);

	assert_int_equal(parse("spi alloc dev x1", &cmd, err, sizeof(err)),
			 0);
	assert_int_equal(cmd.op, CTL_SPI_ALLOC);
	assert_int_equal(cmd.spi_min, 0);
	assert_int_equal(cmd.spi_max, 0);
	assert_int_equal(parse("spi alloc dev x1 min 0x1000 max 4096", &cmd,
			       err, sizeof(err)), 0);
	assert_int_equal(cmd.spi_min, 0x1000);
	assert_int_equal(cmd.spi_max, 4096);

	assert_int_equal(parse("-j stats dev x1", &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_STATS);

	assert_int_equal(parse("help", &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_HELP);
	assert_int_equal(parse("sa add help", &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_HELP);
	assert_int_equal(parse("-V", &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd.op, CTL_VERSION);
}

static void test_numbers(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(ctl_parse_u64("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ctl_parse_u64("010", 100, &v), 0);
	assert_int_equal(v, 10);	/* decimal, not octal */
	assert_int_equal(ctl_parse_u64("0x10", 100, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(ctl_parse_u64("18446744073709551615", UINT64_MAX,
				       &v), 0);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(ctl_parse_u64("18446744073709551616", UINT64_MAX,
				       &v), -1);
	assert_int_equal(ctl_parse_u64("11", 10, &v), -1);
	assert_int_equal(ctl_parse_u64("0x", 10, &v), -1);
	assert_int_equal(ctl_parse_u64("0x-1", 10, &v), -1);
	assert_int_equal(ctl_parse_u64(" 1", 10, &v), -1);
	assert_int_equal(ctl_parse_u64("", 10, &v), -1);
}

static int globals(const char *s, struct ctl_globals *g, char *err,
		   size_t errlen, int *argc_out)
{
	static char buf[512];
	static char *argv[32];
	char *tok, *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 32;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	*argc_out = argc;
	return ctl_parse_globals(argc, argv, g, err, errlen);
}

static void test_global_options(void **state)
{
	struct ctl_globals g;
	char err[256], path[128];
	int argc;

	(void)state;
	assert_int_equal(globals("-j -n blue -S /tmp/s show crypto ikev2 sa",
				 &g, err, sizeof(err), &argc), 5);
	assert_true(g.json);
	assert_string_equal(g.netns, "blue");
	assert_string_equal(g.socket, "/tmp/s");
	assert_int_equal(globals("--netns red --json sa list", &g, err,
				 sizeof(err), &argc), 3);
	assert_string_equal(g.netns, "red");
	assert_int_equal(globals("status", &g, err, sizeof(err), &argc), 0);
	assert_int_equal(globals("-V", &g, err, sizeof(err), &argc), 1);
	assert_true(g.version);
	assert_int_equal(globals("--help", &g, err, sizeof(err), &argc), 1);
	assert_true(g.help);
	/* The socket: -S, then the namespace's, then the environment. */
	globals("-n blue status", &g, err, sizeof(err), &argc);
	ctl_socket_path(&g, "/env.sock", path, sizeof(path));
	assert_string_equal(path, "/run/ikevti/blue.sock");
	globals("-n blue -S /x.sock status", &g, err, sizeof(err), &argc);
	ctl_socket_path(&g, "/env.sock", path, sizeof(path));
	assert_string_equal(path, "/x.sock");
	globals("status", &g, err, sizeof(err), &argc);
	ctl_socket_path(&g, "/env.sock", path, sizeof(path));
	assert_string_equal(path, "/env.sock");
	ctl_socket_path(&g, NULL, path, sizeof(path));
	assert_string_equal(path, "/run/ikevti/ikevtid.sock");

	assert_int_equal(globals("-n", &g, err, sizeof(err), &argc), -1);
	assert_non_null(strstr(err, "\"-n\" needs a value"));
	assert_int_equal(globals("-n ../etc status", &g, err, sizeof(err),
				 &argc), -1);
	assert_non_null(strstr(err, "invalid network namespace name"));
	assert_int_equal(globals("-q status", &g, err, sizeof(err), &argc),
			 -1);
	assert_non_null(strstr(err, "unknown option \"-q\""));
}

static void test_key_from_file(void **state)
{
	char file[] = "/tmp/ikevti-key-XXXXXX", arg[64], err[256];
	char w0[] = "key", w2[] = "salt", w3[] = "c0c1c2c3";
	char *argv[4] = { w0, arg, w2, w3 };
	int fd = mkstemp(file);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "  " K16 "\n", 35), 35);
	close(fd);
	snprintf(arg, sizeof(arg), "@%s", file);
	assert_int_equal(ctl_read_key_args(4, argv, err, sizeof(err)), 0);
	assert_string_equal(argv[1], K16);
	assert_string_equal(argv[3], "c0c1c2c3");	/* a value: kept */
	free(argv[1]);
	unlink(file);
	argv[1] = arg;
	assert_int_equal(ctl_read_key_args(2, argv, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot read key file"));
	snprintf(arg, sizeof(arg), "@");
	assert_int_equal(ctl_read_key_args(2, argv, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "needs a file name"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_gcm_xfrm_style),
		cmocka_unit_test(test_add_gcm_separate_salt),
		cmocka_unit_test(test_add_cbc_and_options),
		cmocka_unit_test(test_key_length_errors),
		cmocka_unit_test(test_alg_errors),
		cmocka_unit_test(test_hex_and_number_errors),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_other_commands),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_global_options),
		cmocka_unit_test(test_key_from_file),
	};

	return cmocka_run_group_tests_name("ikevtictl_parse", tests, NULL,
					   NULL);
}
