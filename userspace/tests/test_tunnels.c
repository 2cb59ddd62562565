// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: ikevtid -T, the devices it would make from a
 * configuration (interface blocks of the model, addressing lines of the
 * text). Creating them needs rtnetlink: the VM test ike_ops.sh does it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "tunnels.h"

static const char conf[] =
	"crypto ikev2 keyring KR\n"
	" peer R2\n"
	"  address 192.0.2.2\n"
	"!\n"
	"interface GigabitEthernet1\n"
	" ip address 192.0.2.1 255.255.255.0\n"	/* not ours: ignored */
	"interface Tunnel1\n"
	" ip address 10.0.0.1 255.255.255.252\n"
	" ipv6 address 2001:db8:1::1/64\n"
	" ip mtu 1400\n"
	" tunnel source 192.0.2.1\n"
	" tunnel destination 192.0.2.2\n"
	"!\n"
	"interface ikevti2\n"
	" no ip address\n"
	" shutdown\n"
	" tunnel source 192.0.2.1\n"
	" tunnel destination 192.0.2.3\n"
	"interface Tunnel3\n"
	" ip address 10.0.3.1 255.255.255.0\n";	/* no source: no device */

static void v4(struct cfg_addr *a, const char *s)
{
	a->family = AF_INET;
	inet_pton(AF_INET, s, a->bytes);
}

static void test_scan(void **state)
{
	struct tunnel_spec s[2];
	char err[128], addr[64];

	(void)state;
	memset(s, 0, sizeof(s));
	strcpy(s[0].ifname, "ikevti1");
	strcpy(s[1].ifname, "ikevti2");
	assert_int_equal(tunnels_scan_text("f", conf, s, 2, err, sizeof(err)), 0);
	assert_int_equal(s[0].n_addrs, 2);
	inet_ntop(AF_INET, s[0].addrs[0].addr.raw, addr, sizeof(addr));
	assert_string_equal(addr, "10.0.0.1");
	assert_int_equal(s[0].addrs[0].prefix, 30);
	inet_ntop(AF_INET6, s[0].addrs[1].addr.raw, addr, sizeof(addr));
	assert_string_equal(addr, "2001:db8:1::1");
	assert_int_equal(s[0].addrs[1].prefix, 64);
	assert_int_equal(s[0].mtu, 1400);
	assert_int_equal(s[1].n_addrs, 0);
	assert_int_equal(s[1].mtu, 0);
}

static void test_scan_errors(void **state)
{
	struct tunnel_spec s;
	char err[128];

	(void)state;
	memset(&s, 0, sizeof(s));
	strcpy(s.ifname, "ikevti1");
	assert_int_equal(tunnels_scan_text("f.conf",
		"interface Tunnel1\n ip address 10.0.0.1 255.0.255.0\n",
		&s, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "f.conf:2: bad IPv4 address or mask");
	assert_int_equal(tunnels_scan_text("f.conf",
		"interface Tunnel1\n!\n ip mtu 20\n", &s, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "f.conf:3: ip mtu must be 68..65535");
	assert_int_equal(tunnels_scan_text("f.conf",
		"interface Tunnel1\n ipv6 address 2001:db8::1\n", &s, 1, err,
		sizeof(err)), -1);
	assert_non_null(strstr(err, "f.conf:2: expected ipv6 address"));
}

static void test_from_config(void **state)
{
	struct cfg_interface ifc[3];
	struct cfg_model m = { .interfaces = ifc, .n_interfaces = 3 };
	char path[] = "/tmp/ikevti-tunnels-XXXXXX", err[128];
	struct tunnel_spec *v;
	size_t n;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, conf, strlen(conf)), (ssize_t)strlen(conf));
	close(fd);
	memset(ifc, 0, sizeof(ifc));
	strcpy(ifc[0].name, "ikevti1");
	ifc[0].has_source = ifc[0].has_destination = true;
	v4(&ifc[0].source, "192.0.2.1");
	v4(&ifc[0].destination, "192.0.2.2");
	strcpy(ifc[1].name, "ikevti2");
	ifc[1].has_source = ifc[1].has_destination = true;
	ifc[1].shutdown = true;
	v4(&ifc[1].source, "192.0.2.1");
	v4(&ifc[1].destination, "192.0.2.3");
	strcpy(ifc[2].name, "ikevti3");	/* no tunnel source: not made */
	ifc[2].has_destination = true;
	v4(&ifc[2].destination, "192.0.2.4");
	assert_int_equal(tunnels_from_config(&m, path, &v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].ifname, "ikevti1");
	assert_true(v[0].up);
	assert_int_equal(v[0].local.family, AF_INET);
	assert_int_equal(v[0].n_addrs, 2);
	assert_int_equal(v[0].mtu, 1400);
	assert_string_equal(v[1].ifname, "ikevti2");
	assert_false(v[1].up);
	free(v);
	unlink(path);
	assert_int_equal(tunnels_from_config(&m, path, &v, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_scan_errors),
		cmocka_unit_test(test_from_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
