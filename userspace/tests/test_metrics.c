// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the Prometheus text format of "ikevtictl metrics".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ikevti_prom.h"
#include "metrics.h"

static void test_samples_and_escaping(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	prom_header(f, "ikevtid_up", "gauge", "1 when up");
	prom_sample(f, "ikevtid_up", NULL, NULL, 1);
	prom_sample(f, "x_total", "ifname", "a\"b\\c\nd", 18446744073709551615ULL);
	fclose(f);
	assert_string_equal(out,
		"# HELP ikevtid_up 1 when up\n"
		"# TYPE ikevtid_up gauge\n"
		"ikevtid_up 1\n"
		"x_total{ifname=\"a\\\"b\\\\c\\nd\"} 18446744073709551615\n");
	free(out);
}

static void test_device_counters(void **state)
{
	struct ikevti_dev_info a = { .ifindex = 5, .ifname = "ikevti1" };
	struct ikevti_dev_info b = { .ifindex = 6, .ifname = "ikevti2" };
	const struct ikevti_dev_info *v[] = { &a, &b };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	a.stats.packets = 77;
	a.stats.auth_fail = 3;
	b.stats.packets = 1;
	metrics_device(f, v, 2);
	fclose(f);
	assert_non_null(strstr(out, "ikevti_devices 2\n"));
	assert_non_null(strstr(out, "# TYPE ikevti_packets_total counter\n"
				    "ikevti_packets_total{ifname=\"ikevti1\"} 77\n"
				    "ikevti_packets_total{ifname=\"ikevti2\"} 1\n"));
	assert_non_null(strstr(out, "ikevti_auth_fail_total{ifname=\"ikevti1\"} 3\n"));
	/* Every line is a comment or "name[{labels}] value". */
	for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"))
		assert_true(l[0] == '#' || strncmp(l, "ikevti_", 7) == 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples_and_escaping),
		cmocka_unit_test(test_device_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
