// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: "show crypto ikev2 sa", "show crypto ipsec sa" and "show
 * crypto session" from made-up engine status and kernel counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <arpa/inet.h>

#include "show.h"

static void set_sin(struct sockaddr_storage *ss, const char *a, int port)
{
	struct sockaddr_in *s = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	s->sin_family = AF_INET;
	s->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, a, &s->sin_addr);
}

static void sample_ike(struct ike_sa_status *s)
{
	memset(s, 0, sizeof(*s));
	s->ike_version = 2;
	s->ifindex = 5;
	strcpy(s->ifname, "ikevti1");
	strcpy(s->profile, "prof");
	s->tunnel_id = 1;
	s->initiator = true;
	s->spi_i = 0x0123456789abcdefULL;
	s->spi_r = 0xfedcba9876543210ULL;
	set_sin(&s->path.local, "192.0.2.1", 500);
	set_sin(&s->path.remote, "192.0.2.2", 500);
	s->state = "READY";
	s->encr = 12;
	s->encr_bits = 256;
	s->prf = 5;
	s->integ = 12;
	s->dh = 19;
	s->auth_local = 1;
	s->auth_remote = 1;
	strcpy(s->local_id, "192.0.2.1");
	strcpy(s->remote_id, "192.0.2.2");
	s->lifetime_s = 86400;
	s->active_ms = 25400;
	s->n_children = 1;
}

/* Run a show function into a string (freed by the caller). */
#define CAPTURE(buf, call)                                              \
	do {                                                            \
		size_t len_;                                            \
		FILE *f = open_memstream(&(buf), &len_);                \
		assert_non_null(f);                                     \
		call;                                                   \
		fclose(f);                                              \
	} while (0)

/* IKEv1 in IOS's layout; IKEv1 SAs stay out of the IKEv2 listing. */
static void test_isakmp_sa(void **state)
{
	struct ike_sa_status s;
	char *out;

	(void)state;
	sample_ike(&s);
	s.ike_version = 1;
	strcpy(s.isakmp_state, "QM_IDLE");
	s.encr = 12;		/* AES-CBC */
	s.prf = 5;		/* SHA-256 */
	s.v1_auth = 1;		/* pre-share */
	s.dh = 14;
	s.dpd = true;
	CAPTURE(out, show_isakmp_sa(f, &s, 1, false, false));
	assert_non_null(strstr(out, "IPv4 Crypto ISAKMP SA\n"
				    "dst             src             state"
				    "          conn-id status\n"
				    "192.0.2.2       192.0.2.1       QM_IDLE"
				    "           1001 ACTIVE\n"));
	free(out);
	CAPTURE(out, show_isakmp_sa(f, &s, 1, true, false));
	assert_non_null(strstr(out, "D - Dead Peer Detection"));
	assert_non_null(strstr(out, "1001  192.0.2.1       192.0.2.2       "
				    "       ACTIVE aes  sha256 psk  14 "));
	assert_non_null(strstr(out, " D\n"));
	free(out);
	CAPTURE(out, show_isakmp_sa(f, &s, 1, false, true));
	assert_non_null(strstr(out, "\"isakmp_state\":\"QM_IDLE\""));
	free(out);
	CAPTURE(out, show_ikev2_sa(f, &s, 1, false, false));
	assert_null(strstr(out, "READY"));
	free(out);
}

static void test_ikev2_text(void **state)
{
	struct ike_sa_status s;
	char *out;

	(void)state;
	sample_ike(&s);
	CAPTURE(out, show_ikev2_sa(f, &s, 1, false, false));
	assert_non_null(strstr(out, " IPv4 Crypto IKEv2  SA"));
	assert_non_null(strstr(out,
		"Tunnel-id Local                 Remote                "
		"fvrf/ivrf            Status\n"));
	assert_non_null(strstr(out,
		"1         192.0.2.1/500         192.0.2.2/500         "
		"none/none            READY\n"));
	/* Wall-clock times next to IOS's seconds. */
	assert_non_null(strstr(out, "      Established: 20"));
	assert_non_null(strstr(out, ", lifetime ends 20"));
	assert_non_null(strstr(out,
		"      Encr: AES-CBC, keysize: 256, PRF: SHA256, Hash: SHA256, "
		"DH Grp:19, Auth sign: RSA, Auth verify: RSA\n"));
	assert_non_null(strstr(out, "      Life/Active Time: 86400/25 sec\n"));
	assert_null(strstr(out, "Local spi"));
	free(out);

	CAPTURE(out, show_ikev2_sa(f, &s, 1, true, false));
	assert_non_null(strstr(out,
		"Local spi: 0123456789ABCDEF       Remote spi: FEDCBA9876543210"));
	assert_non_null(strstr(out, "Initiator of SA : Yes"));
	assert_non_null(strstr(out, "NAT-T is not detected"));
	free(out);

	/* GCM has no keysize-less hash; PSK; responder. */
	s.encr = 20;
	s.encr_bits = 128;
	s.integ = 0;
	s.auth_local = s.auth_remote = 2;
	CAPTURE(out, show_ikev2_sa(f, &s, 1, false, false));
	assert_non_null(strstr(out, "Encr: AES-GCM, keysize: 128, PRF: SHA256, "
				    "Hash: None, DH Grp:19, Auth sign: PSK"));
	free(out);
}

static void test_ikev2_json(void **state)
{
	struct ike_sa_status s[2];
	char *out;

	(void)state;
	sample_ike(&s[0]);
	sample_ike(&s[1]);
	s[1].tunnel_id = 2;
	strcpy(s[1].remote_id, "quote\"d");
	CAPTURE(out, show_ikev2_sa(f, s, 2, false, true));
	assert_non_null(strstr(out, "{\"schema_version\":1,\"ike_sas\":[{\"tunnel_id\":1,"));
	/* IKE SPIs: 0x and 16 lower-case hex digits (Documentation/json.rst). */
	assert_non_null(strstr(out, "\"local_spi\":\"0x0123456789abcdef\","
				    "\"remote_spi\":\"0xfedcba9876543210\""));
	assert_non_null(strstr(out, "\"state\":\"READY\",\"status\":\"READY\","
				    "\"encr\":\"AES-CBC\",\"keysize\":256"));
	assert_non_null(strstr(out, "\"active_time\":25,\"established\":\"20"));
	assert_non_null(strstr(out, "},{\"tunnel_id\":2"));
	assert_non_null(strstr(out, "\"remote_id\":\"quote\\\"d\""));
	assert_string_equal(out + strlen(out) - 3, "]}\n");
	free(out);
	CAPTURE(out, show_ikev2_sa(f, s, 0, false, true));
	assert_string_equal(out, "{\"schema_version\":1,\"ike_sas\":[]}\n");
	free(out);
}

static void sample_iface(struct show_iface *x, struct ike_sa_status *ike,
			 struct ike_child_status *c, struct ikevti_sa_info *sa)
{
	memset(x, 0, sizeof(*x));
	memset(c, 0, sizeof(*c));
	memset(sa, 0, 2 * sizeof(*sa));
	x->tun.ifindex = 5;
	strcpy(x->tun.ifname, "ikevti1");
	x->tun.up = true;
	x->tun.local.family = x->tun.remote.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", x->tun.local.raw);
	inet_pton(AF_INET, "192.0.2.2", x->tun.remote.raw);
	x->ike = ike;
	c->ifindex = 5;
	c->tunnel_id = 1;
	c->spi_in = 0xc0ffee01;
	c->spi_out = 0x1234;
	c->encr = 12;
	c->encr_bits = 256;
	c->integ = 12;
	c->state = "ACTIVE";
	c->lifetime_s = 3600;
	c->lifetime_kb = 4608000;
	c->active_ms = 25000;
	x->child[0] = c;
	x->n_child = 1;
	sa[0].dir = IKEVTI_DIR_IN;
	sa[0].spi = 0xc0ffee01;
	sa[0].enc = 12;
	sa[0].integ = 12;
	sa[0].replay_window = 64;
	sa[0].stats.packets = 9;
	sa[0].stats.bytes = 2048;
	sa[0].stats.auth_fail = 2;
	sa[0].stats.replay = 1;
	sa[0].stats.too_old = 1;
	sa[1].dir = IKEVTI_DIR_OUT;
	sa[1].spi = 0x1234;
	sa[1].enc = 12;
	sa[1].integ = 12;
	sa[1].flags = IKEVTI_SA_F_TX;
	sa[1].stats.packets = 10;
	sa[1].stats.bytes = 1000;
	x->sa = sa;
	x->n_sa = 2;
	x->has_sa_list = true;
	x->has_dev = true;
	x->dev.stats.send_error = 3;
	x->dev.stats.no_sa = 4;
}

static void test_ipsec_text(void **state)
{
	struct ike_sa_status ike;
	struct ike_child_status c;
	struct ikevti_sa_info sa[2];
	struct show_iface x;
	char *out;

	(void)state;
	sample_ike(&ike);
	sample_iface(&x, &ike, &c, sa);
	CAPTURE(out, show_ipsec_sa(f, &x, 1, false));
	assert_non_null(strstr(out, "interface: ikevti1\n"));
	assert_non_null(strstr(out, "   current_peer 192.0.2.2 port 500\n"));
	assert_non_null(strstr(out, "    #pkts encaps: 10, #pkts encrypt: 10, "
				    "#pkts digest: 10\n"));
	assert_non_null(strstr(out, "    #pkts decaps: 9, #pkts decrypt: 9, "
				    "#pkts verify: 9\n"));
	assert_non_null(strstr(out, "#pkts verify failed: 2, "
				    "#pkts replay failed: 2\n"));
	assert_non_null(strstr(out, "#send errors 3, #recv errors 4\n"));
	assert_non_null(strstr(out, "     local crypto endpt.: 192.0.2.1, "
				    "remote crypto endpt.: 192.0.2.2\n"));
	assert_non_null(strstr(out, "current outbound spi: 0x1234(4660)\n"));
	assert_non_null(strstr(out, "     inbound esp sas:\n"
				    "      spi: 0xC0FFEE01(3237998081)\n"
				    "        transform: esp-256-aes "
				    "esp-sha256-hmac ,\n"));
	assert_non_null(strstr(out, "sa timing: remaining key lifetime (k/sec): "
				    "(4607998/3575)\n"));
	assert_non_null(strstr(out, "     outbound esp sas:\n"
				    "      spi: 0x1234(4660)\n"));
	assert_non_null(strstr(out, "Status: ACTIVE(ACTIVE)"));
	assert_non_null(strstr(out, "PFS (Y/N): N, DH group: none"));
	free(out);

	/* No kernel view, no IKE SA: the configured peer, no SAs. */
	x.ike = NULL;
	x.n_sa = 0;
	x.has_sa_list = false;
	x.has_dev = false;
	CAPTURE(out, show_ipsec_sa(f, &x, 1, false));
	assert_non_null(strstr(out, "current_peer 192.0.2.2 port 500"));
	assert_non_null(strstr(out, "#pkts encaps: 0,"));
	assert_non_null(strstr(out, "(kernel SAs unavailable)"));
	free(out);
}

static void test_ipsec_json(void **state)
{
	struct ike_sa_status ike;
	struct ike_child_status c;
	struct ikevti_sa_info sa[2];
	struct show_iface x;
	char *out;

	(void)state;
	sample_ike(&ike);
	sample_iface(&x, &ike, &c, sa);
	CAPTURE(out, show_ipsec_sa(f, &x, 1, true));
	assert_non_null(strstr(out, "{\"schema_version\":1,\"child_sas\":[{\"ifname\":\"ikevti1\","
				    "\"ifindex\":5,\"tunnel_id\":1,\"state\":\"ACTIVE\","
				    "\"spi_in\":\"0xc0ffee01\",\"spi_out\":\"0x00001234\""));
	assert_non_null(strstr(out, "\"packets_in\":9,\"packets_out\":10"));
	assert_non_null(strstr(out, "\"interfaces\":[{\"ifname\":\"ikevti1\""));
	assert_non_null(strstr(out, "\"pkts_encaps\":10,\"pkts_decaps\":9"));
	assert_non_null(strstr(out, "\"inbound_esp_sas\":[{\"spi\":\"0xc0ffee01\""));
	assert_non_null(strstr(out, "\"outbound_esp_sas\":[{\"spi\":\"0x00001234\""));
	assert_non_null(strstr(out, "\"current\":true"));
	free(out);
}

static void test_session(void **state)
{
	struct ike_sa_status ike;
	struct ike_child_status c;
	struct ikevti_sa_info sa[2];
	struct show_iface x;
	char *out;

	(void)state;
	sample_ike(&ike);
	sample_iface(&x, &ike, &c, sa);
	CAPTURE(out, show_session(f, &x, 1, false));
	assert_non_null(strstr(out, "Crypto session current status\n\n"
				    "Interface: ikevti1\nProfile: prof\n"
				    "Session status: UP-ACTIVE\n"
				    "Peer: 192.0.2.2 port 500\n"));
	assert_non_null(strstr(out, "  IKEv2 SA: local 192.0.2.1/500 remote "
				    "192.0.2.2/500 Active\n"));
	assert_non_null(strstr(out, "Active SAs: 2, origin: crypto map"));
	free(out);
	ike.state = "IN-NEG";
	x.n_child = 0;
	x.n_sa = 0;
	CAPTURE(out, show_session(f, &x, 1, true));
	assert_non_null(strstr(out, "\"status\":\"DOWN-NEGOTIATING\""));
	free(out);
	x.ike = NULL;
	CAPTURE(out, show_session(f, &x, 1, false));
	assert_non_null(strstr(out, "Session status: DOWN\n"));
	free(out);
}

static void test_names(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(show_esp_transform(20, 256, 0, b, sizeof(b)),
			    "esp-gcm 256");
	assert_string_equal(show_esp_transform(3, 0, 2, b, sizeof(b)),
			    "esp-3des esp-sha-hmac");
	assert_string_equal(show_esp_transform(99, 0, 99, b, sizeof(b)),
			    "esp-unknown(99)");
	assert_string_equal(show_integ_name(2), "SHA96");
	assert_string_equal(show_prf_name(2), "SHA1");
	assert_string_equal(show_auth_name(10), "ECDSA");
	assert_string_equal(show_encr_name(3), "3DES");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isakmp_sa),
		cmocka_unit_test(test_ikev2_text),
		cmocka_unit_test(test_ikev2_json),
		cmocka_unit_test(test_ipsec_text),
		cmocka_unit_test(test_ipsec_json),
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
