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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_show),
		cmocka_unit_test(test_parse_others),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_execute),
		cmocka_unit_test(test_log_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
