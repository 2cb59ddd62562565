// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration parser tests: the IOS configurations of the seed
 * documents (tests/data/seed*.conf, copied verbatim from
 * /work/shared/seeds/000_*.txt), a complete configuration, located error
 * messages, and a mutation loop that must never crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "config/config.h"
#include "ikev2/ikev2_const.h"

static char *read_data(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Parse prefix + the data file, as one buffer named "t.conf". */
static int parse_with_prefix(const char *prefix, const char *file,
			     struct cfg_result *res)
{
	size_t len, plen = strlen(prefix);
	char *data = read_data(file, &len);
	char *all = malloc(plen + len + 1);
	int rc;

	assert_non_null(all);
	memcpy(all, prefix, plen);
	memcpy(all + plen, data, len);
	rc = cfg_parse_buffer("t.conf", all, plen + len, res);
	free(all);
	free(data);
	return rc;
}

static int parse_text(const char *text, struct cfg_result *res)
{
	return cfg_parse_buffer("t.conf", text, strlen(text), res);
}

/* Is there a diagnostic whose formatted text is exactly `want`? */
static bool has_diag(const struct cfg_result *res, const char *want)
{
	char buf[400];

	for (size_t i = 0; i < res->n_diags; i++) {
		cfg_format_diag(res, i, buf, sizeof(buf));
		if (strcmp(buf, want) == 0)
			return true;
	}
	return false;
}

/* Is there a diagnostic whose formatted text contains `part`? */
static bool has_diag_containing(const struct cfg_result *res,
				const char *part)
{
	char buf[400];

	for (size_t i = 0; i < res->n_diags; i++) {
		cfg_format_diag(res, i, buf, sizeof(buf));
		if (strstr(buf, part))
			return true;
	}
	return false;
}

static size_t diags_in_lines(const struct cfg_result *res, unsigned from,
			     unsigned to)
{
	size_t n = 0;

	for (size_t i = 0; i < res->n_diags; i++)
		n += res->diags[i].loc.line >= from &&
		     res->diags[i].loc.line <= to;
	return n;
}

static void print_diags(const struct cfg_result *res)
{
	char buf[400];

	for (size_t i = 0; i < res->n_diags; i++) {
		cfg_format_diag(res, i, buf, sizeof(buf));
		print_message("  %s\n", buf);
	}
}

#define ASSERT_DIAG(res, text)                                            \
	do {                                                              \
		if (!has_diag((res), (text))) {                           \
			print_message("missing: %s\nhave:\n", (text));    \
			print_diags(res);                                 \
			fail();                                           \
		}                                                         \
	} while (0)

static const char tp1_prefix[] =
	"crypto pki trustpoint TP1\n"
	" ca-certificate-file /etc/ikevti/tp1-ca.pem\n"
	" certificate-file /etc/ikevti/tp1.pem\n"
	" private-key-file /etc/ikevti/tp1.key\n";

/* The seed's R1 names "pki trustpoint TP1" but the article never shows
 * TP1's definition: the literal text must fail, at the reference. */
static void seed_r1_literal_fails_at_reference(void **state)
{
	struct cfg_result res;

	(void)state;
	assert_int_equal(parse_with_prefix("", "seed000_ikev2_r1.conf", &res),
			 -1);
	assert_null(res.model);
	assert_int_equal(res.n_errors, 1);
	ASSERT_DIAG(&res, "t.conf:15:18: error: trustpoint 'TP1' is not "
			  "defined");
	/* Legacy algorithms and foreign lines are reported, not fatal. */
	ASSERT_DIAG(&res, "t.conf:2:14: warning: encryption 3des is legacy; "
			  "accepted only because it is configured");
	ASSERT_DIAG(&res, "t.conf:4:9: warning: DH group 2 is legacy; "
			  "accepted only because it is configured");
	ASSERT_DIAG(&res, "t.conf:24:11: warning: interface Loopback0 is not "
			  "an ikevti tunnel; its lines are ignored (configure "
			  "it with ip(8))");
	ASSERT_DIAG(&res, "t.conf:38:1: warning: 'ip' ignored: not used by "
			  "ikevtid");
	cfg_result_free(&res);
}

static void seed_r1_with_trustpoint_builds_model(void **state)
{
	struct cfg_result res;
	const struct cfg_model *m;
	const struct cfg_ikev2_profile *pf;
	const struct cfg_interface *ifc;
	const struct cfg_transform_set *ts;

	(void)state;
	if (parse_with_prefix(tp1_prefix, "seed000_ikev2_r1.conf", &res))
		print_diags(&res);
	assert_non_null(res.model);
	m = res.model;
	assert_int_equal(m->n_proposals, 1);
	assert_int_equal(m->proposals[0].encr[0].id, IKEV2_ENCR_3DES);
	assert_int_equal(m->proposals[0].integ[0], IKEV2_INTEG_HMAC_MD5_96);
	/* IOS: no prf line means the integrity algorithm's PRF. */
	assert_int_equal(m->proposals[0].n_prf, 1);
	assert_int_equal(m->proposals[0].prf[0], IKEV2_PRF_HMAC_MD5);
	assert_int_equal(m->proposals[0].group[0], 2);
	assert_string_equal(m->policies[0].proposal[0].name, "prop-1");
	pf = cfg_find_profile(m, "profile1");
	assert_non_null(pf);
	assert_int_equal(pf->n_match_remote, 1);
	assert_int_equal(pf->match_remote[0].type, CFG_ID_ADDRESS);
	assert_int_equal(pf->match_remote[0].addr.prefix, 32);
	assert_int_equal(pf->local_id.type, CFG_ID_ADDRESS);
	assert_int_equal(pf->auth_local, CFG_AUTH_RSA_SIG);
	assert_int_equal(pf->auth_remote[0], CFG_AUTH_RSA_SIG);
	assert_string_equal(pf->trustpoint[0].name, "TP1");
	ts = cfg_find_transform_set(m, "trans");
	assert_non_null(ts);
	assert_int_equal(ts->encr.id, IKEV2_ENCR_3DES);
	assert_int_equal(ts->integ, IKEV2_INTEG_HMAC_SHA1_96);
	assert_true(ts->legacy);
	/* "interface Tunnel1" is our ikevti1. */
	assert_int_equal(m->n_interfaces, 1);
	ifc = cfg_find_interface(m, "ikevti1");
	assert_non_null(ifc);
	assert_string_equal(ifc->written_name, "Tunnel1");
	assert_string_equal(ifc->ipsec_profile.name, "profile1");
	assert_string_equal(ifc->source_ifname, "Ethernet0/0");
	assert_true(ifc->has_destination);
	cfg_result_free(&res);
}

/* Three profiles with the same match rule: kept in configured order, as
 * IOS's "last configured wins" rule needs. */
static void seed_r2_overlapping_profiles_in_order(void **state)
{
	struct cfg_result res;
	const struct cfg_model *m;

	(void)state;
	if (parse_with_prefix(tp1_prefix, "seed000_ikev2_r2.conf", &res))
		print_diags(&res);
	m = res.model;
	assert_non_null(m);
	assert_int_equal(m->n_profiles, 3);
	assert_string_equal(m->profiles[0].name, "profile1");
	assert_string_equal(m->profiles[1].name, "profile2");
	assert_string_equal(m->profiles[2].name, "profile3");
	/* "tunnel protection" at column 1 after blank lines still belongs to
	 * interface Tunnel1: indentation does not matter in IOS. */
	assert_true(m->interfaces[0].has_protection);
	cfg_result_free(&res);
}

static void seed_ikev1_needs_certificate_files(void **state)
{
	struct cfg_result res;

	(void)state;
	assert_int_equal(parse_with_prefix("", "seed000_ikev1_r1.conf", &res),
			 -1);
	assert_int_equal(res.n_errors, 2);
	ASSERT_DIAG(&res, "t.conf:33:23: error: trustpoint IOSCA1 has no "
			  "ca-certificate-file (ikevtid does not enroll: name "
			  "the CA's PEM file)");
	ASSERT_DIAG(&res, "t.conf:41:23: error: trustpoint IOSCA2 has no "
			  "ca-certificate-file (ikevtid does not enroll: name "
			  "the CA's PEM file)");
	/* The IKEv1 lines (1-17) are in effect: nothing says otherwise,
	 * only that the algorithms are legacy and the FQDN wants a
	 * hostname. */
	assert_int_equal(diags_in_lines(&res, 1, 17), 4);
	ASSERT_DIAG(&res, "t.conf:2:8: warning: encryption 3des is legacy; "
			  "accepted only because it is configured");
	ASSERT_DIAG(&res, "t.conf:3:8: warning: hash md5 is legacy; "
			  "accepted only because it is configured");
	ASSERT_DIAG(&res, "t.conf:4:9: warning: DH group 2 is legacy; "
			  "accepted only because it is configured");
	assert_false(has_diag_containing(&res, "IKEv1"));
	ASSERT_DIAG(&res, "t.conf:7:17: warning: 'self-identity fqdn' without "
			  "a 'hostname' line: the identity is this system's "
			  "host name");
	cfg_result_free(&res);
}

static void full_config(void **state)
{
	struct cfg_result res;
	const struct cfg_model *m;
	const struct cfg_ikev2_profile *pf;
	const struct cfg_ipsec_profile *ip;
	const struct cfg_trustpoint *tp;
	const struct cfg_ikev2_keyring *kr;

	(void)state;
	if (parse_with_prefix("", "full.conf", &res))
		print_diags(&res);
	m = res.model;
	assert_non_null(m);
	/* Accepted, but said not to be in effect. */
	assert_int_equal(res.n_warnings, 3);
	ASSERT_DIAG(&res, "t.conf:9:19: warning: ikevtid does not check "
			  "revocation (no CRL or OCSP fetching): 'crl' is "
			  "not in effect");
	ASSERT_DIAG(&res, "t.conf:50:21: warning: 'verify' is not in "
			  "effect: ikevtid uses the trustpoint both to sign "
			  "and to verify");
	ASSERT_DIAG(&res, "t.conf:71:20: warning: the inner family is not "
			  "restricted: an ikevti device carries IPv4 and "
			  "IPv6, and ikevtid proposes 0.0.0.0/0 and ::/0");
	tp = cfg_find_trustpoint(m, "CA1");
	assert_string_equal(tp->ca_cert_file, "/etc/ikevti/ca1.pem");
	assert_string_equal(tp->key_file, "/etc/ikevti/gw1-ca1.key");
	assert_string_equal(tp->subject_name, "CN=gw1, OU=IT, O=example");
	assert_int_equal(tp->revocation[0], CFG_REVOCATION_CRL);
	assert_int_equal(tp->revocation[1], CFG_REVOCATION_NONE);
	assert_int_equal(m->proposals[0].n_encr, 2);
	assert_int_equal(m->proposals[0].encr[0].key_bits, 256);
	assert_int_equal(m->proposals[0].prf[0], IKEV2_PRF_HMAC_SHA2_384);
	assert_int_equal(m->proposals[0].group[2], IKEV2_DH_CURVE25519);
	kr = cfg_find_keyring(m, "KR");
	assert_int_equal(kr->n_peers, 2);
	assert_string_equal(kr->peers[0].psk_local, "s3cret!key");
	assert_string_equal(kr->peers[0].psk_remote, "other-key");
	assert_string_equal(kr->peers[1].psk_local, "lab-key");
	assert_int_equal(kr->peers[1].addr.prefix, 24);
	pf = cfg_find_profile(m, "hq");
	assert_int_equal(pf->n_match_remote, 2);
	assert_true(pf->match_remote[0].domain);
	assert_string_equal(pf->match_remote[0].text, "example.com");
	assert_int_equal(pf->n_trustpoint, 2);
	assert_int_equal(pf->n_auth_remote, 2);
	assert_int_equal(pf->lifetime_s, 28800);
	assert_int_equal(pf->dpd_interval_s, 10);
	ip = cfg_find_ipsec_profile(m, "vti");
	assert_int_equal(ip->n_transform_set, 2);
	assert_int_equal(ip->pfs_group, 19);
	assert_int_equal(ip->lifetime_s, 7200);
	assert_int_equal(ip->lifetime_kb, 0);
	assert_int_equal(ip->replay_window, 1024);
	assert_int_equal(cfg_find_transform_set(m, "GCM")->encr.id,
			 IKEV2_ENCR_AES_GCM_16);
	assert_int_equal(m->n_interfaces, 2);
	assert_true(cfg_find_interface(m, "ikevti7")->shutdown);
	assert_string_equal(cfg_find_interface(m, "ikevti1")->description,
			    "to branch 1");
	cfg_result_free(&res);
}

struct error_case {
	const char *text;
	const char *diag;
};

static const struct error_case error_cases[] = {
	{ "crypto ikev2 proposl P\n",
	  "t.conf:1:14: error: unknown keyword 'proposl' in 'crypto ikev2 "
	  "proposal' (global configuration)" },
	{ "crypto ikev2 proposal P\n integrty sha256\n",
	  "t.conf:2:2: error: unknown command 'integrty' in 'crypto ikev2 "
	  "proposal P'" },
	{ "crypto ikev2 proposal P\n encryption aes-cbc-128\n group 24\n",
	  "t.conf:3:8: error: DH group 24 is not supported (use 14, 15, 16, "
	  "19, 20, 21 or 31; 2 and 5 as legacy)" },
	{ "crypto ikev2 proposal P\n encryption aes-cbc-128\n group 14\n",
	  "t.conf:1:23: error: proposal P has no integrity" },
	{ "crypto ikev2 proposal P\n encryption aes-gcm-128\n group 14\n",
	  "t.conf:1:23: error: proposal P: AES-GCM needs a prf line" },
	{ "interface ikevti3\n tunnel protection ipsec profile nope\n",
	  "t.conf:2:34: error: ipsec profile 'nope' is not defined" },
	{ "crypto ipsec profile X\n set transform-set T1\n"
	  " set ikev2-profile P9\n",
	  "t.conf:3:20: error: ikev2 profile 'P9' is not defined" },
	{ "crypto ipsec profile X\n set transform-set T1\n",
	  "t.conf:2:20: error: transform-set 'T1' is not defined" },
	{ "crypto ikev2 profile P\n authentication local pre-share\n"
	  " authentication remote pre-share\n keyring local KX\n",
	  "t.conf:4:16: error: keyring 'KX' is not defined" },
	{ "crypto ipsec transform-set T esp-aes 512 esp-sha-hmac\n",
	  "t.conf:1:38: error: '512' is not a number in 128..256" },
	{ "crypto ipsec transform-set T esp-gcm esp-sha-hmac\n",
	  "t.conf:1:38: error: esp-gcm includes integrity; remove the "
	  "esp-*-hmac transform" },
	{ "crypto ipsec transform-set T esp-aes esp-sha-hmac\n mode transport\n",
	  "t.conf:2:7: error: only 'mode tunnel' is supported: ikevti devices "
	  "are tunnel interfaces" },
	{ "crypto ikev2 keyring K\n peer p\n  address 10.0.0.1 255.0.255.0\n",
	  "t.conf:3:20: error: '255.0.255.0' is not a valid IPv4 mask" },
	{ "crypto ikev2 keyring K\n peer p\n  address 10.0.0.1\n",
	  "t.conf:2:7: error: keyring peer p has no pre-shared-key" },
	{ "crypto pki trustpoint T\n revocation-check crl\n",
	  "t.conf:1:23: error: trustpoint T has no ca-certificate-file "
	  "(ikevtid does not enroll: name the CA's PEM file)" },
	{ "crypto pki trustpoint T\n ca-certificate-file /a\n"
	  " revocation-check crls\n",
	  "t.conf:3:19: error: unknown revocation-check method 'crls' "
	  "(expected none, crl or ocsp)" },
	{ "no crypto ikev2 proposal P\n",
	  "t.conf:1:1: error: 'no crypto ikev2 proposal' is not supported; "
	  "remove the line instead" },
	{ "crypto ikev2 proposal\n",
	  "t.conf:1:14: error: 'crypto ikev2 proposal' needs 1 more argument" },
	{ "crypto ikev2 policy A B\n",
	  "t.conf:1:23: error: unexpected 'B' after 'crypto ikev2 policy'" },
	{ "crypto ikev2 policy A\n match fvrf blue\n proposal X\n",
	  "t.conf:2:13: error: only 'match fvrf any' is supported (ikevtid "
	  "runs one daemon per network namespace)" },
	{ "crypto ikev2 keyring K\n peer p\n  address 10.0.0.1\n"
	  "  pre-shared-key 6 ABCDEF\n",
	  "t.conf:4:18: error: type 6 (encrypted) keys are not supported yet; "
	  "write the key in clear (type 0)" },
	{ "hostnam R1\n", "t.conf:1:1: error: unknown command 'hostnam'" },
	{ "crypto ipsec profile X\n set pfs\n",
	  "t.conf:2:6: error: name the PFS group (IOS's default, group1, is "
	  "not supported)" },
	{ "crypto ikev2 nat keepalive 4\n",
	  "t.conf:1:28: error: '4' is not a number in 5..3600" },
	{ "crypto ikev2 proposal P\n encryption aes-cbc-128\x01\n",
	  "t.conf:2:24: error: control character 0x01 in line" },
};

static void located_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]);
	     i++) {
		struct cfg_result res;

		assert_int_equal(parse_text(error_cases[i].text, &res), -1);
		assert_null(res.model);
		ASSERT_DIAG(&res, error_cases[i].diag);
		cfg_result_free(&res);
	}
}

static void no_forms_and_exit(void **state)
{
	struct cfg_result res;
	const char *text =
		"crypto ikev2 proposal P\n"
		" encryption aes-cbc-128 aes-cbc-256\n"
		" integrity sha256 sha1\n"
		" group 14 19\n"
		" no encryption aes-cbc-128\n"
		" no integrity sha1\n"
		" no group\n"
		" group 21\n"
		" exit\n"
		"crypto ikev2 policy X\n"
		" proposal P\n"
		" no proposal\n"
		" no proposal P\n"
		" proposal P\n"
		"crypto ikev2 proposal P\n"	/* re-entry edits P */
		" group 20\n";

	(void)state;
	assert_int_equal(parse_text(text, &res), 0);
	assert_int_equal(res.model->n_proposals, 1);
	const struct cfg_ikev2_proposal *p = &res.model->proposals[0];

	assert_int_equal(p->n_encr, 1);
	assert_int_equal(p->encr[0].key_bits, 256);
	assert_int_equal(p->n_integ, 1);
	assert_int_equal(p->n_group, 2);
	assert_int_equal(p->group[0], 21);
	assert_int_equal(p->group[1], 20);
	cfg_result_free(&res);
}

static void tunnel_source_forms(void **state)
{
	static const char text[] =
		"interface ikevti2\n tunnel source fd00::1\n"
		" tunnel destination 2001:db8::2\n"
		"interface ikevti3\n tunnel source eth0\n";
	struct cfg_result res;
	const struct cfg_interface *a, *b;

	(void)state;
	assert_int_equal(parse_text(text, &res), 0);
	a = cfg_find_interface(res.model, "ikevti2");
	b = cfg_find_interface(res.model, "ikevti3");
	assert_true(a->has_source);
	assert_int_equal(a->source.family, AF_INET6);
	assert_int_equal(a->destination.family, AF_INET6);
	assert_false(b->has_source);
	assert_string_equal(b->source_ifname, "eth0");
	/* Both lack tunnel protection: warnings, not errors. */
	assert_int_equal(res.n_warnings, 2);
	cfg_result_free(&res);
}

/* IOS: "match identity remote address 0.0.0.0" is the catch-all of
 * address IDs, IOS XE's "match identity remote any" of every ID. */
static void zero_address_matches_any(void **state)
{
	static const char text[] =
		"crypto ikev2 keyring K\n peer any\n  address 0.0.0.0 0.0.0.0\n"
		"  pre-shared-key k\n"
		"crypto ikev2 profile P\n"
		" match identity remote address 0.0.0.0\n"
		" match identity remote address 10.1.0.0/16\n"
		" match identity remote address 10.2.0.1\n"
		" match identity remote any\n"
		" authentication local pre-share\n"
		" authentication remote pre-share\n keyring local K\n"
		"crypto isakmp keepalive 10 3 periodic\n"
		"crypto ikev2 nat keepalive 30\n";
	struct cfg_result res;
	const struct cfg_ikev2_profile *pf;

	(void)state;
	if (parse_text(text, &res))
		print_diags(&res);
	assert_non_null(res.model);
	pf = cfg_find_profile(res.model, "P");
	assert_int_equal(pf->match_remote[0].addr.prefix, 0);
	assert_int_equal(pf->match_remote[1].addr.prefix, 16);
	assert_int_equal(pf->match_remote[2].addr.prefix, 32);
	assert_int_equal(res.model->keyrings[0].peers[0].addr.prefix, 0);
	assert_int_equal(pf->match_remote[3].type, CFG_ID_ANY);
	assert_int_equal(res.model->nat_keepalive_s, 30);
	assert_int_equal(res.model->isakmp.keepalive_s, 10);
	assert_int_equal(res.model->isakmp.keepalive_retry_s, 3);
	assert_true(res.model->isakmp.keepalive_periodic);
	assert_int_equal(res.n_warnings, 0);
	cfg_result_free(&res);
}

static void missing_file_is_an_error(void **state)
{
	struct cfg_result res;
	char buf[300];

	(void)state;
	assert_int_equal(cfg_parse_file("/nonexistent/ikevti.conf", &res), -1);
	cfg_format_diag(&res, 0, buf, sizeof(buf));
	assert_string_equal(buf, "/nonexistent/ikevti.conf:0:0: error: cannot "
				 "read the file: No such file or directory");
	cfg_result_free(&res);
}

static void abuse_does_not_crash(void **state)
{
	struct cfg_result res;
	static char big[5000];

	(void)state;
	memset(big, 'a', 4999);
	big[4999] = '\0';
	assert_int_equal(parse_text(big, &res), -1);
	ASSERT_DIAG(&res, "t.conf:1:1024: error: line longer than 1024 bytes");
	cfg_result_free(&res);
	for (size_t i = 0; i < 4999; i++)
		big[i] = (i % 2) ? ' ' : 'x';
	assert_int_equal(parse_text(big, &res), -1);
	ASSERT_DIAG(&res, "t.conf:1:1024: error: line longer than 1024 bytes");
	cfg_result_free(&res);
	/* 40 words: more than the lexer keeps. */
	snprintf(big, 5000, "crypto ikev2 proposal %s", "a b c d e f g h i j k "
		 "l m n o p q r s t u v w x y z a b c d e f g h i j k l");
	assert_int_equal(parse_text(big, &res), -1);
	cfg_result_free(&res);
	/* Many errors: all counted, the list capped. */
	big[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(big, "bogus\n");
	assert_int_equal(parse_text(big, &res), -1);
	assert_int_equal(res.n_errors, 100);
	assert_int_equal(res.n_diags, CFG_MAX_DIAGS);
	cfg_result_free(&res);
	/* A name that does not fit. */
	snprintf(big, 5000, "crypto ikev2 proposal %080d\n", 0);
	assert_int_equal(parse_text(big, &res), -1);
	cfg_result_free(&res);
}

/* Random byte edits of a valid file: errors are fine, crashes are not
 * (this is what the ASan build is for). Deterministic seed. */
static void mutations_never_crash(void **state)
{
	size_t len;
	char *orig = read_data("full.conf", &len);
	char *buf = malloc(len);
	static const char alphabet[] = " \t\n!abcnoxyz019./-\x7f\x01";
	uint32_t seed = 12345;

	(void)state;
	assert_non_null(buf);
	for (int round = 0; round < 3000; round++) {
		struct cfg_result res;

		memcpy(buf, orig, len);
		for (int k = 0; k < 1 + round % 8; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % len;

			seed = seed * 1103515245u + 12345u;
			buf[at] = alphabet[(seed >> 8) % (sizeof(alphabet) - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		cfg_parse_buffer("m.conf", buf, (seed >> 8) % (len + 1), &res);
		cfg_result_free(&res);
	}
	free(buf);
	free(orig);
}

/* Each line of full.conf rewritten: "no " in front, cut after each word.
 * This reaches every handler with every argument count, including the
 * "no" forms with nothing after the keywords. */
static void line_rewrites_never_crash(void **state)
{
	size_t len;
	char *orig = read_data("full.conf", &len);
	char *buf = malloc(len + 8);
	size_t line_start = 0;

	(void)state;
	assert_non_null(buf);
	while (line_start < len) {
		char *nl = memchr(orig + line_start, '\n', len - line_start);
		size_t line_end = nl ? (size_t)(nl - orig) : len;

		for (size_t cut = line_start; cut <= line_end; cut++) {
			if (cut < line_end && orig[cut] != ' ')
				continue;
			for (int negate = 0; negate < 2; negate++) {
				struct cfg_result res;
				size_t n = 0;

				memcpy(buf, orig, line_start);
				n = line_start;
				if (negate) {
					memcpy(buf + n, "no ", 3);
					n += 3;
				}
				memcpy(buf + n, orig + line_start,
				       cut - line_start);
				n += cut - line_start;
				memcpy(buf + n, orig + line_end, len - line_end);
				n += len - line_end;
				cfg_parse_buffer("r.conf", buf, n, &res);
				cfg_result_free(&res);
			}
		}
		line_start = line_end + 1;
	}
	free(buf);
	free(orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_r1_literal_fails_at_reference),
		cmocka_unit_test(seed_r1_with_trustpoint_builds_model),
		cmocka_unit_test(seed_r2_overlapping_profiles_in_order),
		cmocka_unit_test(seed_ikev1_needs_certificate_files),
		cmocka_unit_test(full_config),
		cmocka_unit_test(located_errors),
		cmocka_unit_test(no_forms_and_exit),
		cmocka_unit_test(tunnel_source_forms),
		cmocka_unit_test(zero_address_matches_any),
		cmocka_unit_test(missing_file_is_an_error),
		cmocka_unit_test(abuse_does_not_crash),
		cmocka_unit_test(mutations_never_crash),
		cmocka_unit_test(line_rewrites_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
