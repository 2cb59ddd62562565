// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: ikevtid control requests (parsing, and running a few
 * against the fake engine), and the log line format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_engine.h"
#include "ikevtid.h"
#include "log.h"

static int parse(const char *line, struct ctl_request *r)
{
	char err[256];

	return control_parse(line, r, err, sizeof(err));
}

static void test_parse_show(void **state)
{
	struct ctl_request r;

	(void)state;
	assert_int_equal(parse("show crypto ikev2 sa", &r), 0);
	assert_int_equal(r.cmd, CTL_SHOW_IKEV2_SA);
	assert_false(r.detailed);
	assert_false(r.json);
	assert_int_equal(parse("SHOW Crypto IKEv2 SA detailed json", &r), 0);
	assert_true(r.detailed);
	assert_true(r.json);
	assert_int_equal(parse("  show\tcrypto ipsec sa  ", &r), 0);
	assert_int_equal(r.cmd, CTL_SHOW_IPSEC_SA);
	assert_string_equal(r.ifname, "");
	assert_int_equal(parse("show crypto ipsec sa interface ikevti3", &r),
			 0);
	assert_string_equal(r.ifname, "ikevti3");
	/* IOS names: TunnelN is ikevtiN. */
	assert_int_equal(parse("show crypto ipsec sa interface Tunnel12 json",
			       &r), 0);
	assert_string_equal(r.ifname, "ikevti12");
	assert_true(r.json);
	assert_int_equal(parse("show crypto session", &r), 0);
	assert_int_equal(r.cmd, CTL_SHOW_SESSION);
}

static void test_parse_others(void **state)
{
	struct ctl_request r;

	(void)state;
	assert_int_equal(parse("reload", &r), 0);
	assert_int_equal(r.cmd, CTL_RELOAD);
	assert_int_equal(parse("status json", &r), 0);
	assert_int_equal(r.cmd, CTL_STATUS);
	assert_true(r.json);
	assert_int_equal(parse("clear crypto session", &r), 0);
	assert_int_equal(r.cmd, CTL_CLEAR_SESSION);
	assert_string_equal(r.ifname, "");
	assert_int_equal(parse("clear crypto session interface Tunnel1", &r),
			 0);
	assert_string_equal(r.ifname, "ikevti1");
	assert_int_equal(parse("debug crypto ikev2", &r), 0);
	assert_int_equal(r.cmd, CTL_DEBUG);
	assert_int_equal(parse("undebug all", &r), 0);
	assert_int_equal(r.cmd, CTL_UNDEBUG);
	assert_int_equal(parse("no debug all", &r), 0);
	assert_int_equal(r.cmd, CTL_UNDEBUG);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", "   ", "json", "show", "show crypto", "show crypto ikev2",
		"show crypto ikev2 sa extra", "show crypto ipsec sa interface",
		"show crypto ipsec sa iface x", "reload now", "status x",
		"debug crypto", "debug crypto ikev1", "undebug", "clear",
		"clear crypto session interface",
		"show crypto ipsec sa interface abcdefghijklmnopqrstuvwxyz",
		"show crypto ipsec sa interface Tunnel1234567890123",
		"show\x01 crypto", "a b c d e f g h i j k",
		"format %s%s%s%n",
	};
	struct ctl_request r;
	char longline[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], &r), -1);
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	assert_int_equal(parse(longline, &r), -1);
}

/* Requests against the fake engine, without sockets. */
static void test_execute(void **state)
{
	struct ikevtid d;
	struct ctl_request r;
	char err[256], *out = NULL;
	size_t len;
	FILE *f;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.engine = ike_engine_new(NULL, NULL, NULL);
	d.engine_level = IKE_LOG_NOTICE;
	memset(&fake_ike_sas[0], 0, sizeof(fake_ike_sas[0]));
	fake_ike_sas[0].tunnel_id = 1;
	fake_ike_sas[0].ike_version = 2;
	fake_ike_sas[0].state = "READY";
	fake_ike_sas[0].path.remote.ss_family = AF_INET;
	fake_n_ike_sas = 1;

	f = open_memstream(&out, &len);
	assert_int_equal(parse("show crypto ikev2 sa json", &r), 0);
	assert_int_equal(control_execute(&d, &r, f, err, sizeof(err)), 0);
	fclose(f);
	assert_non_null(strstr(out, "\"tunnel_id\":1"));
	free(out);

	f = open_memstream(&out, &len);
	assert_int_equal(parse("debug crypto ikev2", &r), 0);
	assert_int_equal(control_execute(&d, &r, f, err, sizeof(err)), 0);
	assert_int_equal(fake_engine.level, IKE_LOG_DEBUG);
	assert_int_equal(parse("undebug all", &r), 0);
	assert_int_equal(control_execute(&d, &r, f, err, sizeof(err)), 0);
	assert_int_equal(fake_engine.level, IKE_LOG_NOTICE);
	assert_int_equal(parse("clear crypto session", &r), 0);
	assert_int_equal(control_execute(&d, &r, f, err, sizeof(err)), 0);
	assert_int_equal(fake_engine.clears, 1);
	assert_int_equal(fake_engine.last_ifindex, 0);
	/* An interface the daemon does not know. */
	assert_int_equal(parse("clear crypto session interface ikevti9", &r),
			 0);
	assert_int_equal(control_execute(&d, &r, f, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ikevti9"));
	assert_int_equal(parse("show crypto ipsec sa interface ikevti9", &r),
			 0);
	assert_int_equal(control_execute(&d, &r, f, err, sizeof(err)), -1);
	fclose(f);
	free(out);
	ike_engine_free(d.engine);
	fake_n_ike_sas = 0;
}

static void test_log_format(void **state)
{
	char b[64];

	(void)state;
	log_format_line(b, sizeof(b), true, IKE_LOG_WARNING, "hello", 5);
	assert_string_equal(b, "<4>hello");
	log_format_line(b, sizeof(b), false, IKE_LOG_DEBUG, "x\ty", 3);
	assert_string_equal(b, "debug: x?y");
	log_format_line(b, 12, false, IKE_LOG_ERR, "0123456789", 10);
	assert_string_equal(b, "err: 012345");
	assert_int_equal(log_level_parse("info"), IKE_LOG_INFO);
	assert_int_equal(log_level_parse("DEBUG"), IKE_LOG_DEBUG);
	assert_int_equal(log_level_parse("loud"), -1);
}

static void test_journal_stream(void **state)
{
	char js[64];
	struct stat st;
	int fd = open("/dev/null", O_WRONLY);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	assert_true(log_stream_is_journal(js, fd));
	/* Another inode (stderr redirected since systemd set it): no. */
	snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino + 1);
	assert_false(log_stream_is_journal(js, fd));
	assert_false(log_stream_is_journal(NULL, fd));
	assert_false(log_stream_is_journal("", fd));
	assert_false(log_stream_is_journal("12", fd));
	assert_false(log_stream_is_journal("1:2x", fd));
	close(fd);
}

static void test_journal_record(void **state)
{
	const struct log_field f[] = {
		{ "IKEVTI_IFNAME", "ikevti1" },
		{ "IKEVTI_PEER", "198.51.100.2" },
		{ "IKEVTI_EMPTY", "" },
		{ "IKEVTI_ID", "a\nMESSAGE=forged" },
	};
	char b[512];
	size_t n;

	(void)state;
	n = log_journal_record(b, sizeof(b), IKE_LOG_NOTICE,
			       "5e2f86ec9ace42129a2fef18378be674", f, 4,
			       "ikevti1: IKE SA up");
	assert_int_equal(n, strlen(b));
	assert_string_equal(b,
		"MESSAGE=ikevti1: IKE SA up\n"
		"PRIORITY=5\n"
		"SYSLOG_IDENTIFIER=ikevtid\n"
		"MESSAGE_ID=5e2f86ec9ace42129a2fef18378be674\n"
		"IKEVTI_IFNAME=ikevti1\n"
		"IKEVTI_PEER=198.51.100.2\n"
		/* A newline from the network cannot add a field. */
		"IKEVTI_ID=a?MESSAGE=forged\n");
	/* Too small a buffer: cut, never overrun. */
	n = log_journal_record(b, 20, IKE_LOG_ERR, NULL, f, 4, "x");
	assert_true(n < 20);
}

static void test_parse_events(void **state)
{
	struct ctl_request req;
	char err[128];

	(void)state;
	assert_int_equal(control_parse("events json", &req, err,
				       sizeof(err)), 0);
	assert_int_equal(req.cmd, CTL_EVENTS);
	assert_true(req.json);
	assert_int_equal(control_parse("events now", &req, err,
				       sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_show),
		cmocka_unit_test(test_journal_stream),
		cmocka_unit_test(test_journal_record),
		cmocka_unit_test(test_parse_events),
		cmocka_unit_test(test_parse_others),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_execute),
		cmocka_unit_test(test_log_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
