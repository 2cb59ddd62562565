// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: what ikevtid makes of a datagram on port 500 and 4500
 * (non-ESP marker, NAT keepalive, stray ESP, short datagrams).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ikevtid.h"

static uint8_t buf[64];

static void test_port500(void **state)
{
	size_t off = 99;

	(void)state;
	memset(buf, 0x11, sizeof(buf));
	assert_int_equal(udp_classify(false, buf, 28, &off), UDP_IKE);
	assert_int_equal(off, 0);
	/* A marker on port 500 is part of the message: no stripping. */
	memset(buf, 0, 4);
	assert_int_equal(udp_classify(false, buf, 40, &off), UDP_IKE);
	assert_int_equal(off, 0);
	assert_int_equal(udp_classify(false, buf, 27, &off), UDP_MALFORMED);
	assert_int_equal(udp_classify(false, buf, 0, &off), UDP_MALFORMED);
	/* 0xff on 500 is not a keepalive: too short for IKE. */
	buf[0] = 0xff;
	assert_int_equal(udp_classify(false, buf, 1, &off), UDP_MALFORMED);
}

static void test_port4500(void **state)
{
	size_t off = 99;

	(void)state;
	memset(buf, 0x22, sizeof(buf));
	memset(buf, 0, 4);
	assert_int_equal(udp_classify(true, buf, 32, &off), UDP_IKE);
	assert_int_equal(off, 4);
	/* Marker plus less than an IKE header. */
	assert_int_equal(udp_classify(true, buf, 31, &off), UDP_MALFORMED);
	assert_int_equal(udp_classify(true, buf, 4, &off), UDP_MALFORMED);
	assert_int_equal(udp_classify(true, buf, 3, &off), UDP_MALFORMED);
	assert_int_equal(udp_classify(true, buf, 0, &off), UDP_MALFORMED);
	/* RFC 3948 keepalive: one 0xff byte. */
	buf[0] = 0xff;
	assert_int_equal(udp_classify(true, buf, 1, &off), UDP_KEEPALIVE);
	/* A non-zero SPI: ESP the kernel did not take. */
	assert_int_equal(udp_classify(true, buf, 40, &off), UDP_ESP);
	buf[0] = 0;
	buf[3] = 1;
	assert_int_equal(udp_classify(true, buf, 40, &off), UDP_ESP);
	assert_int_equal(off, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port500),
		cmocka_unit_test(test_port4500),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
