// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 codec tests: byte layouts written out by hand from RFC 2408
 * section 3 and RFC 2409 appendix A, round trips of every payload, SA
 * attribute translation both ways, malformed input with its offset and
 * notify, vendor IDs, fragmentation, and a deterministic mutation loop
 * over a Main Mode message and a Quick Mode body that must never crash
 * (run it under ASan/UBSan: make test-sanitize).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ikev1/codec.h"
#include "ikev1/frag.h"
#include "ikev1/isakmp.h"
#include "ikev2/ikev2_const.h"
#include "hex.h"

static const struct v1_header mm_hdr = {
	.cky_i = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 },
	.exchange = ISAKMP_EXCH_IDPROT,
};

static struct v1_msg *new_msg(void)
{
	struct v1_msg *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	return m;
}

static int decode(const uint8_t *buf, size_t len, struct v1_msg *m,
		  struct v1_decode_error *err)
{
	return v1_msg_decode(buf, len, m, err);
}

/* Three isakmp policies as IOS offers them, one transform each. */
static const struct v1_transform ios_policies[] = {
	{ .encr = IKEV2_ENCR_AES_CBC, .key_bits = 256,
	  .hash = IKEV2_PRF_HMAC_SHA2_256, .group = 14,
	  .auth = IKEV1_AUTH_PSK, .life_s = 86400 },
	{ .encr = IKEV2_ENCR_AES_CBC, .key_bits = 128,
	  .hash = IKEV2_PRF_HMAC_SHA1, .group = 5,
	  .auth = IKEV1_AUTH_RSA_SIG, .life_s = 3600, .life_kb = 4608000 },
	{ .encr = IKEV2_ENCR_3DES, .key_bits = 192,
	  .hash = IKEV2_PRF_HMAC_MD5, .group = 2,
	  .auth = IKEV1_AUTH_PSK, .life_kb = 0x123456789ULL },
};

/* MM1: SA and the vendor IDs IOS sends. */
static size_t build_mm1(uint8_t *buf, size_t cap, long *sa_off)
{
	struct v1_builder b;
	enum v1_vendor vids[] = { V1_VID_NATT_RFC3947, V1_VID_NATT_DRAFT_02,
				  V1_VID_DPD, V1_VID_FRAGMENTATION,
				  V1_VID_IKEVTI };

	v1_build_begin(&b, buf, cap, &mm_hdr);
	*sa_off = v1_add_sa_phase1(&b, ios_policies, 3);
	assert_true(*sa_off > 0);
	for (size_t i = 0; i < sizeof(vids) / sizeof(vids[0]); i++) {
		size_t len;
		const uint8_t *v = v1_vendor_id(vids[i], &len);

		assert_non_null(v);
		assert_true(v1_add_raw(&b, ISAKMP_PL_VID, v, len) > 0);
	}
	assert_int_equal(v1_build_end(&b), 0);
	return b.len;
}

static void assert_transform(const struct v1_transform *got,
			     const struct v1_transform *want)
{
	assert_int_equal(got->encr, want->encr);
	assert_int_equal(got->key_bits, want->key_bits);
	assert_int_equal(got->hash, want->hash);
	assert_int_equal(got->integ, want->integ);
	assert_int_equal(got->group, want->group);
	assert_int_equal(got->auth, want->auth);
	assert_int_equal(got->life_s, want->life_s);
	assert_true(got->life_kb == want->life_kb);
	assert_int_equal(got->encap, want->encap);
	assert_false(got->unknown_attr);
	assert_false(got->refused_alg);
}

static void test_main_mode_sa_round_trip(void **state)
{
	uint8_t buf[1024];
	struct v1_msg *m = new_msg();
	struct v1_decode_error err;
	const struct v1_payload *vid = NULL;
	struct ike_bytes sa_b;
	long sa_off;
	size_t len = build_mm1(buf, sizeof(buf), &sa_off);
	enum v1_vendor seen[5];

	(void)state;
	assert_int_equal(decode(buf, len, m, &err), 0);
	assert_int_equal(m->hdr.version, ISAKMP_VERSION);
	assert_int_equal(m->hdr.exchange, ISAKMP_EXCH_IDPROT);
	assert_int_equal(m->hdr.length, len);
	assert_int_equal(m->hdr.next_payload, ISAKMP_PL_SA);
	assert_int_equal(m->n_payloads, 6);
	assert_true(m->has_sa);
	assert_int_equal(m->sa.doi, ISAKMP_DOI_IPSEC);
	assert_int_equal(m->sa.situation, ISAKMP_SIT_IDENTITY_ONLY);
	assert_int_equal(m->sa.n_proposals, 1);
	assert_int_equal(m->sa.proposals[0].protocol, ISAKMP_PROTO_ISAKMP);
	assert_int_equal(m->sa.proposals[0].n_transforms, 3);
	for (int i = 0; i < 3; i++) {
		const struct v1_transform *t =
			&m->sa.proposals[0].transforms[i];

		assert_int_equal(t->num, i + 1);
		assert_int_equal(t->wire_id, ISAKMP_TRANS_KEY_IKE);
		assert_transform(t, &ios_policies[i]);
	}
	/* SAi_b: the SA payload's body, where the builder said. */
	sa_b = v1_msg_sa_body(m);
	assert_ptr_equal(sa_b.ptr, buf + sa_off);
	assert_int_equal(sa_b.len, (size_t)(buf[sa_off - 2] << 8 |
					    buf[sa_off - 1]) - 4);
	for (int i = 0; i < 5; i++) {
		vid = v1_msg_find(m, ISAKMP_PL_VID, vid);
		assert_non_null(vid);
		seen[i] = v1_vendor_of(vid->body.ptr, vid->body.len);
	}
	assert_null(v1_msg_find(m, ISAKMP_PL_VID, vid));
	assert_int_equal(seen[0], V1_VID_NATT_RFC3947);
	assert_int_equal(seen[1], V1_VID_NATT_DRAFT_02);
	assert_int_equal(seen[2], V1_VID_DPD);
	assert_int_equal(seen[3], V1_VID_FRAGMENTATION);
	assert_int_equal(seen[4], V1_VID_IKEVTI);
	free(m);
}

/*
 * A phase-1 SA written byte by byte (RFC 2408 3.4-3.6, RFC 2409 A):
 * AES with its key length after the hash, the kilobytes pair before the
 * seconds pair, the seconds as a 4-byte variable-length attribute, the
 * kilobytes as an 8-byte one.
 */
static const char hand_sa[] =
	"1111111111111111 0000000000000000 01 10 02 00 00000000 00000068"
	/* SA: next 0, length 0x4c, DOI 1, situation 1 */
	"00 00 004c 00000001 00000001"
	/* Proposal 1: ISAKMP, SPI size 0, 1 transform, length 0x40 */
	"00 00 0040 01 01 00 01"
	/* Transform 1 KEY_IKE, length 0x38 */
	"00 00 0038 01 01 0000"
	"800b 0002" "000c 0008 0000000102030405"	/* kilobytes */
	"8001 0007" "8002 0004" "800e 0100"		/* AES SHA256 256 */
	"8003 0001" "8004 000e"				/* PSK, group 14 */
	"800b 0001" "000c 0004 00015180";		/* 86400 s */

static void test_hand_written_sa(void **state)
{
	uint8_t buf[256];
	size_t len = hex_decode(hand_sa, buf, sizeof(buf));
	struct v1_msg *m = new_msg();
	struct v1_decode_error err;
	const struct v1_transform *t;

	(void)state;
	assert_int_equal(len, 0x68);
	assert_int_equal(decode(buf, len, m, &err), 0);
	t = &m->sa.proposals[0].transforms[0];
	assert_int_equal(t->encr, IKEV2_ENCR_AES_CBC);
	assert_int_equal(t->key_bits, 256);
	assert_int_equal(t->hash, IKEV2_PRF_HMAC_SHA2_256);
	assert_int_equal(t->auth, IKEV1_AUTH_PSK);
	assert_int_equal(t->group, 14);
	assert_int_equal(t->life_s, 86400);
	assert_true(t->life_kb == 0x0102030405ULL);
	assert_false(t->unknown_attr);
	assert_false(t->refused_alg);
	free(m);
}

/* One transform's attributes inside a fixed phase-1 SA message. */
static size_t sa_with_attrs(uint8_t *buf, size_t cap, uint8_t protocol,
			    uint8_t trans_id, const char *attrs)
{
	uint8_t a[128];
	size_t alen = hex_decode(attrs, a, sizeof(a));
	size_t spi = protocol == ISAKMP_PROTO_ESP ? 4 : 0;
	size_t tlen = 8 + alen, plen = 8 + spi + tlen, slen = 12 + plen;
	size_t total = 28 + slen, p = 28;

	assert_true(alen != (size_t)-1 && total <= cap);
	memset(buf, 0, total);
	memset(buf, 0x11, 8);
	buf[16] = ISAKMP_PL_SA;
	buf[17] = ISAKMP_VERSION;
	buf[18] = protocol == ISAKMP_PROTO_ESP ? ISAKMP_EXCH_QUICK :
		  ISAKMP_EXCH_IDPROT;
	buf[27] = (uint8_t)total;
	buf[p + 2] = (uint8_t)(slen >> 8);
	buf[p + 3] = (uint8_t)slen;
	buf[p + 7] = 1;
	buf[p + 11] = 1;
	p += 12;
	buf[p + 2] = (uint8_t)(plen >> 8);
	buf[p + 3] = (uint8_t)plen;
	buf[p + 4] = 1;
	buf[p + 5] = protocol;
	buf[p + 6] = (uint8_t)spi;
	buf[p + 7] = 1;
	memset(buf + p + 8, 0xab, spi);
	p += 8 + spi;
	buf[p + 2] = (uint8_t)(tlen >> 8);
	buf[p + 3] = (uint8_t)tlen;
	buf[p + 4] = 1;
	buf[p + 5] = trans_id;
	memcpy(buf + p + 8, a, alen);
	return total;
}

static struct v1_transform decode_attrs(uint8_t protocol, uint8_t id,
					const char *attrs)
{
	uint8_t buf[256];
	size_t len = sa_with_attrs(buf, sizeof(buf), protocol, id, attrs);
	struct v1_msg *m = new_msg();
	struct v1_decode_error err;
	struct v1_transform t;

	assert_int_equal(decode(buf, len, m, &err), 0);
	assert_int_equal(m->sa.proposals[0].n_transforms, 1);
	t = m->sa.proposals[0].transforms[0];
	free(m);
	return t;
}

#define P1(attrs) decode_attrs(ISAKMP_PROTO_ISAKMP, ISAKMP_TRANS_KEY_IKE, \
			       attrs)

static void test_phase1_translation(void **state)
{
	static const struct { uint16_t wire, prf; } hashes[] = {
		{ 1, IKEV2_PRF_HMAC_MD5 }, { 2, IKEV2_PRF_HMAC_SHA1 },
		{ 4, IKEV2_PRF_HMAC_SHA2_256 }, { 5, IKEV2_PRF_HMAC_SHA2_384 },
		{ 6, IKEV2_PRF_HMAC_SHA2_512 }, { 3, 0 /* Tiger */ },
	};
	struct v1_transform t;

	(void)state;
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		char a[32];

		snprintf(a, sizeof(a), "8002 %04x", hashes[i].wire);
		t = P1(a);
		assert_int_equal(t.hash, hashes[i].prf);
	}
	t = P1("8001 0005");
	assert_int_equal(t.encr, IKEV2_ENCR_3DES);
	assert_int_equal(t.key_bits, 192);
	assert_false(t.unknown_attr);
	t = P1("800e 0080 8001 0007");		/* key length first */
	assert_int_equal(t.encr, IKEV2_ENCR_AES_CBC);
	assert_int_equal(t.key_bits, 128);
	t = P1("8001 0007");			/* AES, no key length */
	assert_int_equal(t.encr, IKEV2_ENCR_AES_CBC);
	assert_int_equal(t.key_bits, 0);
	t = P1("8001 0001");			/* DES */
	assert_int_equal(t.encr, 0);
	assert_true(t.refused_alg);
	t = P1("8001 0006");			/* CAST: unusable, not refused */
	assert_int_equal(t.encr, 0);
	assert_false(t.refused_alg);
	t = P1("8004 0001");			/* group 1 */
	assert_int_equal(t.group, 1);
	assert_true(t.refused_alg);
	t = P1("8004 0013 8003 0003 8003 fde9");
	assert_int_equal(t.group, 19);
	assert_int_equal(t.auth, IKEV1_AUTH_XAUTH_INIT_PSK);
	/* A second key length, a duration without a type, a duration
	 * after its pair was used up, an unknown life type, an unknown
	 * attribute, a 3DES key length other than 192, a 9-byte value */
	assert_true(P1("8001 0007 800e 0080 800e 0100").unknown_attr);
	assert_true(P1("800c 0e10").unknown_attr);
	assert_true(P1("800b 0001 800c 0e10 800c 0e10").unknown_attr);
	assert_true(P1("800b 0003 800c 0e10").unknown_attr);
	assert_true(P1("800d 0001").unknown_attr);	/* PRF */
	assert_true(P1("8001 0005 800e 0080").unknown_attr);
	assert_true(P1("800b 0001 000c 0009 010203040506070809")
		    .unknown_attr);
	/* Both life pairs, kilobytes first, basic encodings */
	t = P1("800b 0002 800c 1000 800b 0001 800c 0e10");
	assert_int_equal(t.life_s, 3600);
	assert_true(t.life_kb == 4096);
	assert_false(t.unknown_attr);
	/* A transform ID other than KEY_IKE */
	assert_true(decode_attrs(ISAKMP_PROTO_ISAKMP, 2, "8001 0007")
		    .unknown_attr);
}

#define P2(id, attrs) decode_attrs(ISAKMP_PROTO_ESP, id, attrs)

static void test_phase2_translation(void **state)
{
	static const struct { uint16_t wire, integ; } auths[] = {
		{ 1, IKEV2_INTEG_HMAC_MD5_96 }, { 2, IKEV2_INTEG_HMAC_SHA1_96 },
		{ 5, IKEV2_INTEG_HMAC_SHA2_256_128 },
		{ 6, IKEV2_INTEG_HMAC_SHA2_384_192 },
		{ 7, IKEV2_INTEG_HMAC_SHA2_512_256 },
	};
	struct v1_transform t;

	(void)state;
	for (size_t i = 0; i < sizeof(auths) / sizeof(auths[0]); i++) {
		char a[32];

		snprintf(a, sizeof(a), "8005 %04x 8006 0100", auths[i].wire);
		t = P2(IKEV1_ESP_AES, a);
		assert_int_equal(t.encr, IKEV2_ENCR_AES_CBC);
		assert_int_equal(t.key_bits, 256);
		assert_int_equal(t.integ, auths[i].integ);
		assert_false(t.unknown_attr);
	}
	t = P2(IKEV1_ESP_3DES, "8005 0002 8004 0001 8003 000e");
	assert_int_equal(t.encr, IKEV2_ENCR_3DES);
	assert_int_equal(t.key_bits, 192);
	assert_int_equal(t.encap, IPSEC_ENCAP_TUNNEL);
	assert_int_equal(t.group, 14);
	t = P2(IKEV1_ESP_AES_GCM_16, "8006 0080 8004 0003");
	assert_int_equal(t.encr, IKEV2_ENCR_AES_GCM_16);
	assert_int_equal(t.integ, IKEV2_INTEG_NONE);
	assert_int_equal(t.encap, IPSEC_ENCAP_UDP_TUNNEL);
	/* Lifetimes: seconds as 4 bytes, kilobytes basic, either order */
	t = P2(IKEV1_ESP_AES, "8001 0002 8002 1000 8001 0001 0002 0004 "
	       "00000e10 8005 0002 8006 0080");
	assert_int_equal(t.life_s, 3600);
	assert_true(t.life_kb == 4096);
	assert_false(t.unknown_attr);
	t = P2(2, "8005 0002");			/* ESP_DES */
	assert_int_equal(t.encr, 0);
	assert_true(t.refused_alg);
	assert_true(P2(IKEV1_ESP_AES, "8003 0001").refused_alg);
	assert_true(P2(IKEV1_ESP_AES, "8005 0003").unknown_attr); /* DES-MAC */
	assert_true(P2(IKEV1_ESP_AES, "8006 0080 8006 0080").unknown_attr);
	assert_true(P2(IKEV1_ESP_AES, "8002 0e10").unknown_attr);
	assert_true(P2(IKEV1_ESP_AES, "8007 0001").unknown_attr);
}

/* Encoding translates back: offers decode to what was given. */
static void test_phase2_sa_round_trip(void **state)
{
	static const struct v1_transform offers[] = {
		{ .encr = IKEV2_ENCR_AES_GCM_16, .key_bits = 256,
		  .integ = IKEV2_INTEG_NONE, .group = 19,
		  .encap = IPSEC_ENCAP_TUNNEL, .life_s = 3600,
		  .life_kb = 4608000 },
		{ .encr = IKEV2_ENCR_AES_CBC, .key_bits = 128,
		  .integ = IKEV2_INTEG_HMAC_SHA2_256_128, .group = 19,
		  .encap = IPSEC_ENCAP_UDP_TUNNEL, .life_s = 100000 },
		{ .encr = IKEV2_ENCR_3DES, .key_bits = 192,
		  .integ = IKEV2_INTEG_HMAC_SHA1_96,
		  .encap = IPSEC_ENCAP_TUNNEL },
	};
	static const uint32_t spis[] = { 0xc0010001, 0xc0010002, 0xc0010003 };
	struct v1_header h = mm_hdr;
	uint8_t buf[1024];
	struct v1_builder b;
	struct v1_msg *m = new_msg();
	struct v1_decode_error err;
	long off;

	(void)state;
	h.exchange = ISAKMP_EXCH_QUICK;
	h.msg_id = 0x01020304;
	v1_build_begin(&b, buf, sizeof(buf), &h);
	off = v1_add_sa_phase2(&b, spis, offers, 3);
	assert_true(off > 0);
	assert_int_equal(v1_build_end(&b), 0);
	assert_int_equal(decode(buf, b.len, m, &err), 0);
	assert_int_equal(m->hdr.msg_id, 0x01020304);
	assert_int_equal(m->sa.n_proposals, 3);
	for (int i = 0; i < 3; i++) {
		const struct v1_proposal *p = &m->sa.proposals[i];

		assert_int_equal(p->num, i + 1);
		assert_int_equal(p->protocol, ISAKMP_PROTO_ESP);
		assert_int_equal(p->spi_size, 4);
		assert_int_equal((uint32_t)p->spi[0] << 24 | p->spi[1] << 16 |
				 p->spi[2] << 8 | p->spi[3], spis[i]);
		assert_int_equal(p->n_transforms, 1);
		assert_transform(&p->transforms[0], &offers[i]);
	}
	assert_int_equal(m->sa.proposals[0].transforms[0].wire_id,
			 IKEV1_ESP_AES_GCM_16);
	/* The answer: proposal 2 chosen, our SPI, transform 1 */
	v1_build_begin(&b, buf, sizeof(buf), &h);
	assert_true(v1_add_sa_phase2_answer(&b, 2, 0xdeadbeef,
					    &offers[1]) > 0);
	assert_int_equal(v1_build_end(&b), 0);
	assert_int_equal(decode(buf, b.len, m, &err), 0);
	assert_int_equal(m->sa.n_proposals, 1);
	assert_int_equal(m->sa.proposals[0].num, 2);
	assert_int_equal(m->sa.proposals[0].spi[0], 0xde);
	assert_transform(&m->sa.proposals[0].transforms[0], &offers[1]);
	/* Libreswan numbers its proposals from 0: echoed as it is. */
	v1_build_begin(&b, buf, sizeof(buf), &h);
	assert_true(v1_add_sa_phase2_answer(&b, 0, 0xdeadbeef,
					    &offers[1]) > 0);
	assert_int_equal(v1_build_end(&b), 0);
	assert_int_equal(decode(buf, b.len, m, &err), 0);
	assert_int_equal(m->sa.proposals[0].num, 0);
	free(m);
}

static void test_encode_refuses_what_it_cannot_say(void **state)
{
	uint8_t buf[512];
	struct v1_builder b;
	struct v1_transform t = ios_policies[0];
	uint32_t spi = 1;

	(void)state;
	t.encr = IKEV2_ENCR_AES_GCM_16;		/* no AEAD in phase 1 */
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	assert_int_equal(v1_add_sa_phase1(&b, &t, 1), -1);
	assert_int_equal(v1_build_end(&b), -1);
	t = ios_policies[0];
	t.hash = 99;
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	assert_int_equal(v1_add_sa_phase1(&b, &t, 1), -1);
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	assert_int_equal(v1_add_sa_phase1(&b, &t, 0), -1);
	/* CBC without integrity, GCM with one */
	t = (struct v1_transform){ .encr = IKEV2_ENCR_AES_CBC,
				   .key_bits = 128 };
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	assert_int_equal(v1_add_sa_phase2(&b, &spi, &t, 1), -1);
	t.encr = IKEV2_ENCR_AES_GCM_16;
	t.integ = IKEV2_INTEG_HMAC_SHA1_96;
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	assert_int_equal(v1_add_sa_phase2(&b, &spi, &t, 1), -1);
	/* Out of room: failed, and stays failed */
	v1_build_begin(&b, buf, 40, &mm_hdr);
	assert_int_equal(v1_add_raw(&b, ISAKMP_PL_VID, buf, 20), -1);
	assert_int_equal(v1_add_raw(&b, ISAKMP_PL_VID, buf, 1), -1);
	assert_int_equal(v1_build_end(&b), -1);
	v1_build_begin(&b, buf, 20, &mm_hdr);
	assert_int_equal(v1_build_end(&b), -1);
}

/* Every other payload, in one chain, back to what was put in. */
static void test_payloads_round_trip(void **state)
{
	uint8_t buf[2048], ke[128], nonce[32], hash[32], sig[64], natd[20];
	uint8_t der[100], dn[40], spis[16] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t ipv4[4] = { 192, 0, 2, 1 }, nspi[4] = { 9, 9, 9, 9 };
	uint8_t ckys[16] = { 0x11 }, fdata[50];
	struct v1_builder b;
	struct v1_msg *m = new_msg();
	struct v1_decode_error err;
	const struct v1_payload *p;

	(void)state;
	memset(ke, 0x4b, sizeof(ke));
	memset(nonce, 0x4e, sizeof(nonce));
	memset(hash, 0x48, sizeof(hash));
	memset(sig, 0x53, sizeof(sig));
	memset(natd, 0xd0, sizeof(natd));
	memset(der, 0x30, sizeof(der));
	memset(dn, 0x31, sizeof(dn));
	memset(fdata, 0xfa, sizeof(fdata));
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	assert_int_equal(v1_add_raw(&b, ISAKMP_PL_KE, ke, sizeof(ke)), 32);
	v1_add_raw(&b, ISAKMP_PL_NONCE, nonce, sizeof(nonce));
	v1_add_id(&b, IKEV1_ID_IPV4_ADDR, 17, 500, ipv4, 4);
	v1_add_cert(&b, IKEV1_CERT_X509_SIG, der, sizeof(der));
	v1_add_cr(&b, IKEV1_CERT_X509_SIG, dn, sizeof(dn));
	v1_add_cr(&b, IKEV1_CERT_X509_SIG, NULL, 0);
	v1_add_raw(&b, ISAKMP_PL_HASH, hash, sizeof(hash));
	v1_add_raw(&b, ISAKMP_PL_SIG, sig, sizeof(sig));
	v1_add_raw(&b, ISAKMP_PL_NATD, natd, sizeof(natd));
	v1_add_raw(&b, ISAKMP_PL_NATD_DRAFT, natd, sizeof(natd));
	v1_add_notify(&b, ISAKMP_PROTO_ESP, nspi, 4, IKEV1_N_R_U_THERE,
		      (const uint8_t *)"\0\0\0\x05", 4);
	v1_add_notify(&b, ISAKMP_PROTO_ISAKMP, ckys, 16,
		      IKEV1_N_INITIAL_CONTACT, NULL, 0);
	v1_add_delete(&b, ISAKMP_PROTO_ESP, 4, spis, 2);
	v1_add_frag(&b, 7, 3, true, fdata, sizeof(fdata));
	assert_int_equal(v1_build_end(&b), 0);
	assert_int_equal(decode(buf, b.len, m, &err), 0);
	assert_int_equal(m->n_payloads, 14);
	assert_int_equal(m->payloads[0].offset, 28);
	assert_int_equal(m->payloads[0].body.len, sizeof(ke));
	assert_memory_equal(m->payloads[0].body.ptr, ke, sizeof(ke));
	p = v1_msg_find(m, ISAKMP_PL_NONCE, NULL);
	assert_memory_equal(p->body.ptr, nonce, sizeof(nonce));
	p = v1_msg_find(m, ISAKMP_PL_ID, NULL);
	assert_int_equal(p->u.id.type, IKEV1_ID_IPV4_ADDR);
	assert_int_equal(p->u.id.protocol, 17);
	assert_int_equal(p->u.id.port, 500);
	assert_int_equal(p->u.id.data.len, 4);
	assert_memory_equal(p->u.id.data.ptr, ipv4, 4);
	/* IDii_b for HASH_I is the whole body */
	assert_int_equal(p->body.len, 8);
	p = v1_msg_find(m, ISAKMP_PL_CERT, NULL);
	assert_int_equal(p->u.cert.encoding, IKEV1_CERT_X509_SIG);
	assert_int_equal(p->u.cert.data.len, sizeof(der));
	p = v1_msg_find(m, ISAKMP_PL_CR, NULL);
	assert_int_equal(p->u.cr.data.len, sizeof(dn));
	p = v1_msg_find(m, ISAKMP_PL_CR, p);
	assert_int_equal(p->u.cr.encoding, IKEV1_CERT_X509_SIG);
	assert_int_equal(p->u.cr.data.len, 0);
	p = v1_msg_find(m, ISAKMP_PL_SIG, NULL);
	assert_int_equal(p->body.len, sizeof(sig));
	assert_non_null(v1_msg_find(m, ISAKMP_PL_NATD, NULL));
	assert_non_null(v1_msg_find(m, ISAKMP_PL_NATD_DRAFT, NULL));
	p = v1_msg_find(m, ISAKMP_PL_N, NULL);
	assert_int_equal(p->u.notify.doi, ISAKMP_DOI_IPSEC);
	assert_int_equal(p->u.notify.protocol, ISAKMP_PROTO_ESP);
	assert_int_equal(p->u.notify.type, IKEV1_N_R_U_THERE);
	assert_int_equal(p->u.notify.spi.len, 4);
	assert_int_equal(p->u.notify.data.len, 4);
	assert_int_equal(p->u.notify.data.ptr[3], 5);
	p = v1_msg_find(m, ISAKMP_PL_N, p);
	assert_int_equal(p->u.notify.spi_size, 16);
	assert_int_equal(p->u.notify.type, IKEV1_N_INITIAL_CONTACT);
	p = v1_msg_find(m, ISAKMP_PL_D, NULL);
	assert_int_equal(p->u.del.n_spi, 2);
	assert_int_equal(p->u.del.spi_size, 4);
	assert_memory_equal(p->u.del.spis.ptr, spis, 8);
	p = v1_msg_find(m, ISAKMP_PL_FRAG, NULL);
	assert_int_equal(p->u.frag.id, 7);
	assert_int_equal(p->u.frag.number, 3);
	assert_true(p->u.frag.last);
	assert_int_equal(p->u.frag.data.len, sizeof(fdata));
	free(m);
}

/* An encrypted message decodes as header + opaque body; the body's
 * plaintext decodes with v1_payloads_decode, padding ignored. */
static void test_encrypted_and_padded(void **state)
{
	uint8_t buf[256], body[128], h[20];
	struct v1_header hdr = mm_hdr;
	struct v1_builder b;
	struct v1_msg *m = new_msg();
	struct v1_decode_error err;
	size_t len;

	(void)state;
	hdr.flags = ISAKMP_FLAG_ENC;
	hdr.exchange = ISAKMP_EXCH_INFO;
	v1_build_begin(&b, buf, sizeof(buf), &hdr);
	memset(buf + 28, 0xee, 48);
	b.len += 48;
	assert_int_equal(v1_build_end(&b), 0);
	assert_int_equal(decode(buf, b.len, m, &err), 0);
	assert_int_equal(m->n_payloads, 0);
	assert_ptr_equal(m->enc.ptr, buf + 28);
	assert_int_equal(m->enc.len, 48);
	/* The plaintext: HASH, N, then 7 bytes of padding */
	memset(h, 0x48, sizeof(h));
	v1_build_chain(&b, body, sizeof(body));
	v1_add_raw(&b, ISAKMP_PL_HASH, h, sizeof(h));
	v1_add_notify(&b, ISAKMP_PROTO_ISAKMP, NULL, 0, IKEV1_N_R_U_THERE_ACK,
		      NULL, 0);
	assert_int_equal(v1_build_end(&b), 0);
	len = b.len;
	memset(body + len, 0, 7);
	body[len + 6] = 6;
	assert_int_equal(v1_payloads_decode(ISAKMP_PL_HASH, body, len + 7, 28,
					    m, &err), 0);
	assert_int_equal(m->n_payloads, 2);
	assert_int_equal(m->payloads[0].offset, 28);
	assert_int_equal(m->payloads[1].offset, 28 + 24);
	assert_int_equal(m->payloads[1].u.notify.type,
			 IKEV1_N_R_U_THERE_ACK);
	/* The same trailing bytes in a clear message are an error */
	memcpy(buf, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	memset(buf + 8, 0, 8);
	buf[16] = ISAKMP_PL_HASH;
	buf[17] = ISAKMP_VERSION;
	buf[18] = ISAKMP_EXCH_INFO;
	buf[19] = 0;
	memset(buf + 20, 0, 8);
	memcpy(buf + 28, body, len + 7);
	buf[27] = (uint8_t)(28 + len + 7);
	assert_int_equal(decode(buf, 28 + len + 7, m, &err), -1);
	assert_int_equal(err.notify, IKEV1_N_PAYLOAD_MALFORMED);
	assert_int_equal(err.offset, 28 + len);
	free(m);
}

/* ---------------------------------------------------------------- */
/* Malformed input */

static void expect_error(const uint8_t *buf, size_t len, uint16_t notify,
			 size_t offset, const char *words)
{
	struct v1_msg *m = new_msg();
	struct v1_decode_error err;

	assert_int_equal(decode(buf, len, m, &err), -1);
	if (err.notify != notify || err.offset != offset ||
	    !strstr(err.msg, words))
		fail_msg("got notify %u at %zu \"%s\", want %u at %zu \"%s\"",
			 err.notify, err.offset, err.msg, notify, offset,
			 words);
	free(m);
}

static void set_len(uint8_t *buf, size_t len)
{
	buf[24] = (uint8_t)(len >> 24);
	buf[25] = (uint8_t)(len >> 16);
	buf[26] = (uint8_t)(len >> 8);
	buf[27] = (uint8_t)len;
}

static void test_malformed_header(void **state)
{
	uint8_t buf[1024], copy[1024];
	long sa_off;
	size_t len = build_mm1(buf, sizeof(buf), &sa_off);

	(void)state;
	expect_error(buf, 27, 0, 0, "shorter than the ISAKMP header");
	expect_error(buf, 0, 0, 0, "shorter");
	memcpy(copy, buf, len);
	copy[17] = 0x20;
	expect_error(copy, len, IKEV1_N_INVALID_MAJOR_VERSION, 17,
		     "major version 2");
	expect_error(buf, len - 1, 0, 24, "header length");
	memcpy(copy, buf, len);
	set_len(copy, len + 1);
	expect_error(copy, len, 0, 24, "header length");
	memcpy(copy, buf, len);
	copy[16] = 99;				/* unknown first payload */
	expect_error(copy, len, IKEV1_N_INVALID_PAYLOAD_TYPE, 28,
		     "payload type 99");
	/* An encrypted message with no body */
	memcpy(copy, buf, 28);
	copy[19] = ISAKMP_FLAG_ENC;
	set_len(copy, 28);
	expect_error(copy, 28, IKEV1_N_PAYLOAD_MALFORMED, 28, "without");
}

/* A clear chain of VIDs, for the chain-level errors. */
static size_t vid_chain(uint8_t *buf, size_t cap, size_t n, size_t vlen)
{
	struct v1_builder b;
	uint8_t v[64];

	memset(v, 0x56, sizeof(v));
	v1_build_begin(&b, buf, cap, &mm_hdr);
	for (size_t i = 0; i < n; i++)
		v1_add_raw(&b, ISAKMP_PL_VID, v, vlen);
	assert_int_equal(v1_build_end(&b), 0);
	return b.len;
}

static void test_malformed_chain(void **state)
{
	uint8_t buf[2048];
	size_t len;

	(void)state;
	len = vid_chain(buf, sizeof(buf), 3, 16);
	/* Second payload's length below 4, then past the end */
	buf[48 + 2] = 0;
	buf[48 + 3] = 3;
	expect_error(buf, len, IKEV1_N_PAYLOAD_MALFORMED, 48,
		     "payload length 3");
	buf[48 + 3] = 0x30;
	expect_error(buf, len, IKEV1_N_PAYLOAD_MALFORMED, 48, "outside");
	/* The last one names a next payload that is not there */
	len = vid_chain(buf, sizeof(buf), 3, 16);
	buf[68] = ISAKMP_PL_VID;
	expect_error(buf, len, IKEV1_N_PAYLOAD_MALFORMED, 88, "truncated");
	/* A next payload of an unknown (or structural) type */
	buf[68] = ISAKMP_PL_P;
	expect_error(buf, len, IKEV1_N_INVALID_PAYLOAD_TYPE, 88,
		     "payload type 2");
	/* Header truncated: 2 bytes after the chain's end named */
	len = vid_chain(buf, sizeof(buf), 1, 16);
	buf[28] = ISAKMP_PL_NONCE;
	buf[len] = buf[len + 1] = 0;
	set_len(buf, len + 2);
	expect_error(buf, len + 2, IKEV1_N_PAYLOAD_MALFORMED, 48,
		     "truncated");
	/* More payloads than V1_MAX_PAYLOADS */
	len = vid_chain(buf, sizeof(buf), V1_MAX_PAYLOADS + 1, 4);
	expect_error(buf, len, IKEV1_N_PAYLOAD_MALFORMED,
		     28 + 8 * V1_MAX_PAYLOADS, "more than 32 payloads");
	len = vid_chain(buf, sizeof(buf), V1_MAX_PAYLOADS, 4);
	{
		struct v1_msg *m = new_msg();
		struct v1_decode_error err;

		assert_int_equal(decode(buf, len, m, &err), 0);
		assert_int_equal(m->n_payloads, V1_MAX_PAYLOADS);
		free(m);
	}
}

static void test_malformed_bodies(void **state)
{
	uint8_t buf[512], ch[8] = { 0 };
	struct v1_builder b;

	(void)state;
	/* Nonce of 7 bytes */
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	v1_add_raw(&b, ISAKMP_PL_NONCE, ch, 7);
	v1_build_end(&b);
	expect_error(buf, b.len, IKEV1_N_PAYLOAD_MALFORMED, 32,
		     "nonce of 7 bytes");
	/* ID of 3 bytes */
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	v1_add_raw(&b, ISAKMP_PL_ID, ch, 3);
	v1_build_end(&b);
	expect_error(buf, b.len, IKEV1_N_PAYLOAD_MALFORMED, 32,
		     "truncated ID");
	/* Notify whose SPI size runs past it */
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	v1_add_notify(&b, 1, ch, 4, IKEV1_N_INITIAL_CONTACT, NULL, 0);
	buf[28 + 4 + 4 + 1] = 200;		/* SPI size */
	v1_build_end(&b);
	expect_error(buf, b.len, IKEV1_N_PAYLOAD_MALFORMED, 32,
		     "SPI size 200");
	/* Delete announcing 3 SPIs with room for 2 */
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	v1_add_delete(&b, ISAKMP_PROTO_ESP, 4, ch, 2);
	buf[b.len - 9] = 3;
	v1_build_end(&b);
	expect_error(buf, b.len, IKEV1_N_PAYLOAD_MALFORMED, 32,
		     "3 SPIs of 4 bytes");
	/* Fragment number 0, empty KE */
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	v1_add_frag(&b, 1, 1, false, ch, 4);
	buf[b.len - 6] = 0;
	v1_build_end(&b);
	expect_error(buf, b.len, IKEV1_N_PAYLOAD_MALFORMED, 32,
		     "fragment number 0");
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	v1_add_raw(&b, ISAKMP_PL_KE, ch, 0);
	v1_build_end(&b);
	expect_error(buf, b.len, IKEV1_N_PAYLOAD_MALFORMED, 32, "empty");
}

/* Lengths nested in the SA payload, each wrong in turn, on the hand-
 * written message (SA at 28, proposal at 40, transform at 48). */
static void test_malformed_sa(void **state)
{
	uint8_t good[256], buf[256];
	size_t len = hex_decode(hand_sa, good, sizeof(good));
	struct {
		size_t at;
		uint8_t value;
		uint16_t notify;
		size_t off;
		const char *words;
	} cases[] = {
		{ 28 + 7, 2, IKEV1_N_DOI_NOT_SUPPORTED, 32, "DOI 2" },
		{ 28 + 11, 3, IKEV1_N_SITUATION_NOT_SUPPORTED, 36,
		  "situation" },
		{ 40 + 3, 0x41, IKEV1_N_PAYLOAD_MALFORMED, 40,
		  "proposal length 65 beyond" },
		{ 40 + 3, 0x04, IKEV1_N_PAYLOAD_MALFORMED, 40,
		  "proposal length 4" },
		{ 40 + 3, 0x3c, IKEV1_N_PAYLOAD_MALFORMED, 48,
		  "transform length 56 beyond" },
		{ 40 + 0, 2, IKEV1_N_PAYLOAD_MALFORMED, 104,
		  "without a last proposal" },
		{ 40 + 0, 5, IKEV1_N_PAYLOAD_MALFORMED, 40,
		  "proposal followed by payload type 5" },
		{ 40 + 6, 17, IKEV1_N_PAYLOAD_MALFORMED, 40, "SPI size 17" },
		{ 40 + 7, 0, IKEV1_N_PAYLOAD_MALFORMED, 40,
		  "without transforms" },
		{ 40 + 7, 2, IKEV1_N_PAYLOAD_MALFORMED, 104,
		  "transform after the one marked last" },
		{ 48 + 0, 3, IKEV1_N_PAYLOAD_MALFORMED, 40,
		  "not marked last" },
		{ 48 + 0, 4, IKEV1_N_PAYLOAD_MALFORMED, 48,
		  "transform followed by payload type 4" },
		{ 48 + 3, 0x32, IKEV1_N_PAYLOAD_MALFORMED, 96,
		  "truncated attribute" },
		{ 48 + 3, 0x36, IKEV1_N_PAYLOAD_MALFORMED, 96,
		  "attribute 12 of 4 bytes beyond" },
		{ 48 + 3, 0x07, IKEV1_N_PAYLOAD_MALFORMED, 48,
		  "transform length 7" },
		{ 48 + 3, 0x30, IKEV1_N_PAYLOAD_MALFORMED, 96,
		  "8 bytes after the proposal" },
		{ 28 + 3, 0x48, IKEV1_N_PAYLOAD_MALFORMED, 40,
		  "proposal length 64 beyond" },
		{ 28 + 3, 0x4d, IKEV1_N_PAYLOAD_MALFORMED, 28,
		  "payload length 77" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(buf, good, len);
		buf[cases[i].at] = cases[i].value;
		expect_error(buf, len, cases[i].notify, cases[i].off,
			     cases[i].words);
	}
	/* A second SA payload */
	{
		struct v1_builder b;

		v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
		v1_add_sa_phase1(&b, ios_policies, 1);
		v1_add_sa_phase1(&b, ios_policies, 1);
		assert_int_equal(v1_build_end(&b), 0);
		expect_error(buf, b.len, IKEV1_N_PAYLOAD_MALFORMED,
			     28 + (size_t)(buf[30] << 8 | buf[31]),
			     "a second SA");
	}
}

/* More proposals than kept and more transforms than kept: decoded for
 * their syntax, the first ones kept. */
static void test_many_proposals_and_transforms(void **state)
{
	static uint8_t buf[8192];
	struct v1_transform t[40];
	uint32_t spis[12];
	struct v1_builder b;
	struct v1_msg *m = new_msg();
	struct v1_decode_error err;

	(void)state;
	for (int i = 0; i < 40; i++)
		t[i] = ios_policies[i % 3];
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	assert_true(v1_add_sa_phase1(&b, t, 40) > 0);
	assert_int_equal(v1_build_end(&b), 0);
	assert_int_equal(decode(buf, b.len, m, &err), 0);
	assert_int_equal(m->sa.proposals[0].n_transforms, V1_MAX_TRANSFORMS);
	assert_int_equal(m->sa.proposals[0].transforms[31].num, 32);
	for (int i = 0; i < 12; i++) {
		t[i] = (struct v1_transform){ .encr = IKEV2_ENCR_AES_CBC,
			.key_bits = 128, .integ = IKEV2_INTEG_HMAC_SHA1_96 };
		spis[i] = (uint32_t)i + 100;
	}
	v1_build_begin(&b, buf, sizeof(buf), &mm_hdr);
	assert_true(v1_add_sa_phase2(&b, spis, t, 12) > 0);
	assert_int_equal(v1_build_end(&b), 0);
	assert_int_equal(decode(buf, b.len, m, &err), 0);
	assert_int_equal(m->sa.n_proposals, V1_MAX_PROPOSALS);
	assert_int_equal(m->sa.proposals[7].num, 8);
	/* A syntax error in an unkept one still fails the message */
	buf[b.len - 1] ^= 0;
	buf[b.len - 4 - 12 + 3] = 0xff;
	assert_int_equal(decode(buf, b.len, m, &err), -1);
	free(m);
}

/* ---------------------------------------------------------------- */
/* Vendor IDs */

static void test_vendor_ids(void **state)
{
	static const struct { const char *hex; enum v1_vendor v; } known[] = {
		{ "4a131c81070358455c5728f20e95452f", V1_VID_NATT_RFC3947 },
		{ "4485152d18b6bbcd0be8a8469579ddcc", V1_VID_NATT_DRAFT_00 },
		{ "cd60464335df21f87cfdb2fc68b6a448", V1_VID_NATT_DRAFT_02 },
		{ "90cb80913ebb696e086381b5ec427b1f", V1_VID_NATT_DRAFT_02 },
		{ "7d9419a65310ca6f2c179d9215529d56", V1_VID_NATT_DRAFT_03 },
		{ "afcad71368a1f1c96b8696fc77570100", V1_VID_DPD },
		{ "afcad71368a1f1c96b8696fc775701000102", V1_VID_DPD },
		{ "4048b7d56ebce88525e7de7f00d6c2d3", V1_VID_FRAGMENTATION },
		{ "4048b7d56ebce88525e7de7f00d6c2d3c0000000",
		  V1_VID_FRAGMENTATION },
		{ "12f5f28c457168a9702d9fe274cc0100", V1_VID_CISCO_UNITY },
		{ "12f5f28c457168a9702d9fe274cc02d4", V1_VID_CISCO_UNITY },
		{ "09002689dfd6b712", V1_VID_XAUTH },
		{ "8b4df2fa37d5a3ecdcc83722040ba491", V1_VID_IKEVTI },
		/* Truncated or extended where no prefix rule applies */
		{ "afcad71368a1f1c96b8696fc7757", V1_VID_UNKNOWN },
		{ "4a131c81070358455c5728f20e95452f00", V1_VID_UNKNOWN },
		{ "09002689dfd6b71280a224dec33b81e5", V1_VID_UNKNOWN },
		{ "", V1_VID_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		uint8_t v[32];
		size_t n = hex_decode(known[i].hex, v, sizeof(v));

		if (v1_vendor_of(v, n) != known[i].v)
			fail_msg("%s: got %d, want %d", known[i].hex,
				 v1_vendor_of(v, n), known[i].v);
	}
	for (int v = V1_VID_NATT_RFC3947; v <= V1_VID_IKEVTI; v++) {
		size_t n;
		const uint8_t *id = v1_vendor_id((enum v1_vendor)v, &n);

		assert_non_null(id);
		assert_int_equal(v1_vendor_of(id, n), v);
		assert_string_not_equal(v1_vendor_name((enum v1_vendor)v),
					"unknown");
	}
	{
		size_t n = 1;

		assert_null(v1_vendor_id(V1_VID_UNKNOWN, &n));
		assert_int_equal(n, 0);
	}
}

/* ---------------------------------------------------------------- */
/* Fragmentation */

static size_t big_message(uint8_t *buf, size_t len)
{
	struct v1_header h = mm_hdr;

	h.flags = ISAKMP_FLAG_ENC;
	h.msg_id = 0;
	memset(buf, 0, 28);
	memcpy(buf, h.cky_i, 8);
	memset(buf + 8, 0x99, 8);
	buf[16] = ISAKMP_PL_ID;
	buf[17] = ISAKMP_VERSION;
	buf[18] = ISAKMP_EXCH_IDPROT;
	buf[19] = ISAKMP_FLAG_ENC;
	set_len(buf, len);
	for (size_t i = 28; i < len; i++)
		buf[i] = (uint8_t)(i * 31 + 7);
	return len;
}

struct frags {
	uint8_t buf[16 * 600];
	size_t lens[V1_FRAG_MAX];
	size_t start[V1_FRAG_MAX];
	int n;
	struct v1_msg msg[V1_FRAG_MAX];
};

static void split(struct frags *f, const uint8_t *msg, size_t len,
		  uint16_t id, size_t frag_len)
{
	struct v1_decode_error err;
	size_t at = 0;

	f->n = v1_frag_split(msg, len, id, frag_len, f->buf, sizeof(f->buf),
			     f->lens);
	assert_true(f->n > 0);
	for (int i = 0; i < f->n; i++) {
		struct v1_msg *m = &f->msg[i];

		f->start[i] = at;
		assert_true(f->lens[i] <= frag_len);
		assert_int_equal(v1_msg_decode(f->buf + at, f->lens[i], m,
					       &err), 0);
		assert_int_equal(m->hdr.next_payload, ISAKMP_PL_FRAG);
		assert_int_equal(m->hdr.flags & ISAKMP_FLAG_ENC, 0);
		assert_memory_equal(m->hdr.cky_r, msg + 8, 8);
		assert_int_equal(m->hdr.exchange, msg[18]);
		assert_int_equal(m->n_payloads, 1);
		assert_int_equal(m->payloads[0].u.frag.id, id);
		assert_int_equal(m->payloads[0].u.frag.number, i + 1);
		assert_int_equal(m->payloads[0].u.frag.last, i + 1 == f->n);
		at += f->lens[i];
	}
}

static void test_frag_split_and_reassemble(void **state)
{
	static uint8_t msg[4000], out[V1_MAX_MSG_LEN];
	static struct frags f;
	static struct v1_frag_set set;
	static const int order[] = { 4, 0, 2, 6, 1, 5, 3 };
	struct v1_decode_error err;
	size_t len = big_message(msg, 3000), got = 0;

	(void)state;
	v1_frag_reset(&set);
	split(&f, msg, len, 1, 476);		/* 440 data bytes each */
	assert_int_equal(f.n, 7);
	for (int k = 0; k < 7; k++) {
		const struct v1_payload *p = &f.msg[order[k]].payloads[0];
		enum v1_frag_result r = v1_frag_add(&set, p, out, sizeof(out),
						    &got, &err);

		assert_int_equal(r, k == 6 ? V1_FRAG_DONE : V1_FRAG_MORE);
		/* a retransmitted copy changes nothing */
		if (k < 6)
			assert_int_equal(v1_frag_add(&set, p, out, sizeof(out),
						     &got, &err),
					 V1_FRAG_MORE);
	}
	assert_int_equal(got, len);
	assert_memory_equal(out, msg, len);
	assert_false(set.active);
	/* One fragment is the whole message too */
	split(&f, msg, 100, 2, 200);
	assert_int_equal(f.n, 1);
	assert_int_equal(v1_frag_add(&set, &f.msg[0].payloads[0], out,
				     sizeof(out), &got, &err), V1_FRAG_DONE);
	assert_int_equal(got, 100);
	/* Too many fragments, no room for data, no room for output */
	assert_int_equal(v1_frag_split(msg, 3000, 1, 200, f.buf,
				       sizeof(f.buf), f.lens), -1);
	assert_int_equal(v1_frag_split(msg, 3000, 1, V1_FRAG_OVERHEAD,
				       f.buf, sizeof(f.buf), f.lens), -1);
	assert_int_equal(v1_frag_split(msg, 3000, 1, 476, f.buf, 1000,
				       f.lens), -1);
	assert_int_equal(v1_frag_split(msg, 20, 1, 476, f.buf, sizeof(f.buf),
				       f.lens), -1);
}

static enum v1_frag_result add(struct v1_frag_set *s, struct frags *f,
			       int i, struct v1_decode_error *err)
{
	static uint8_t out[V1_MAX_MSG_LEN];
	size_t got;

	return v1_frag_add(s, &f->msg[i].payloads[0], out, sizeof(out), &got,
			   err);
}

static void test_frag_contradictions(void **state)
{
	static uint8_t msg[2000];
	static struct frags f, g;
	static struct v1_frag_set set;
	struct v1_decode_error err;
	struct v1_payload p;
	uint8_t other[440];
	size_t len = big_message(msg, 1500);

	(void)state;
	v1_frag_reset(&set);
	split(&f, msg, len, 10, 476);		/* 4 fragments */
	assert_int_equal(f.n, 4);
	assert_int_equal(add(&set, &f, 0, &err), V1_FRAG_MORE);
	/* Fragment 2 again with other bytes: refused, first copy kept */
	assert_int_equal(add(&set, &f, 1, &err), V1_FRAG_MORE);
	p = f.msg[1].payloads[0];
	memset(other, 0, sizeof(other));
	p.u.frag.data = (struct ike_bytes){ other, p.u.frag.data.len };
	assert_int_equal(v1_frag_add(&set, &p, msg, 0, &len, &err),
			 V1_FRAG_ERROR);
	assert_non_null(strstr(err.msg, "other content"));
	/* A second "last" at another number; one past the last */
	p = f.msg[2].payloads[0];
	p.u.frag.last = true;
	assert_int_equal(add(&set, &f, 3, &err), V1_FRAG_MORE);
	assert_int_equal(v1_frag_add(&set, &p, msg, 0, &len, &err),
			 V1_FRAG_ERROR);
	assert_non_null(strstr(err.msg, "marked last after 4"));
	p.u.frag.number = 5;
	p.u.frag.last = false;
	assert_int_equal(v1_frag_add(&set, &p, msg, 0, &len, &err),
			 V1_FRAG_ERROR);
	assert_non_null(strstr(err.msg, "after the last one"));
	/* Numbers outside 1..16, a payload that is no fragment */
	p.u.frag.number = 17;
	assert_int_equal(v1_frag_add(&set, &p, msg, 0, &len, &err),
			 V1_FRAG_ERROR);
	p.u.frag.number = 0;
	assert_int_equal(v1_frag_add(&set, &p, msg, 0, &len, &err),
			 V1_FRAG_ERROR);
	p.u.frag.number = 3;
	p.type = ISAKMP_PL_VID;
	assert_int_equal(v1_frag_add(&set, &p, msg, 0, &len, &err),
			 V1_FRAG_ERROR);
	/* An older ID is refused; the set is still there */
	split(&g, msg, 1500, 9, 476);
	assert_int_equal(add(&set, &g, 2, &err), V1_FRAG_ERROR);
	assert_non_null(strstr(err.msg, "older"));
	assert_int_equal(add(&set, &f, 2, &err), V1_FRAG_DONE);
	/* A newer ID starts over */
	assert_int_equal(add(&set, &f, 0, &err), V1_FRAG_MORE);
	split(&g, msg, 1500, 11, 476);
	assert_int_equal(add(&set, &g, 3, &err), V1_FRAG_MORE);
	assert_int_equal(set.id, 11);
	assert_int_equal(set.have, 1u << 4);
	/* "last" at 2 when 4 is already there */
	v1_frag_reset(&set);
	assert_int_equal(add(&set, &f, 2, &err), V1_FRAG_MORE);
	p = f.msg[1].payloads[0];
	p.u.frag.last = true;
	assert_int_equal(v1_frag_add(&set, &p, msg, 0, &len, &err),
			 V1_FRAG_ERROR);
	assert_non_null(strstr(err.msg, "later one"));
	/* A complete set that does not fit the output */
	v1_frag_reset(&set);
	for (int i = 0; i < 3; i++)
		assert_int_equal(add(&set, &f, i, &err), V1_FRAG_MORE);
	assert_int_equal(v1_frag_add(&set, &f.msg[3].payloads[0], msg, 100,
				     &len, &err), V1_FRAG_ERROR);
	assert_false(set.active);
}

/* 16 fragments of near 64 KiB fill the set; bytes past that do not. */
static void test_frag_memory_bound(void **state)
{
	static uint8_t data[5000], out[V1_MAX_MSG_LEN];
	static struct v1_frag_set set;
	struct v1_decode_error err;
	struct v1_payload p = { .type = ISAKMP_PL_FRAG };
	size_t got;

	(void)state;
	v1_frag_reset(&set);
	p.u.frag.id = 3;
	for (int i = 1; i <= 13; i++) {
		p.u.frag.number = (uint8_t)i;
		p.u.frag.data = (struct ike_bytes){ data, 5000 };
		assert_int_equal(v1_frag_add(&set, &p, out, sizeof(out), &got,
					     &err), V1_FRAG_MORE);
	}
	p.u.frag.number = 14;
	assert_int_equal(v1_frag_add(&set, &p, out, sizeof(out), &got, &err),
			 V1_FRAG_ERROR);
	assert_non_null(strstr(err.msg, "over"));
	p.u.frag.data.len = 535;
	p.u.frag.last = true;
	assert_int_equal(v1_frag_add(&set, &p, out, sizeof(out), &got, &err),
			 V1_FRAG_DONE);
	assert_int_equal(got, 65535);
}

/* ---------------------------------------------------------------- */
/* Mutations: a Main Mode MM1 and a Quick Mode body, 20000 each, with a
 * fixed seed; decoding must fail cleanly or succeed, never crash. */

static uint32_t rng = 0x1d2c3b4a;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void mutate(uint8_t *buf, size_t *len, size_t cap)
{
	switch (next_rand() % 6) {
	case 0:				/* flip a bit */
		buf[next_rand() % *len] ^= (uint8_t)(1 << (next_rand() % 8));
		break;
	case 1:				/* random byte */
		buf[next_rand() % *len] = (uint8_t)next_rand();
		break;
	case 2:				/* a length field to an extreme */
		buf[next_rand() % *len] = next_rand() % 2 ? 0xff : 0;
		break;
	case 3:				/* truncate */
		*len = next_rand() % *len + 1;
		break;
	case 4:				/* grow with junk */
		while (*len < cap && next_rand() % 4)
			buf[(*len)++] = (uint8_t)next_rand();
		break;
	default:			/* small value in a type/length byte */
		buf[next_rand() % *len] = (uint8_t)(next_rand() % 40);
		break;
	}
}

static void use(const struct v1_msg *m)
{
	volatile size_t sink = 0;

	for (size_t i = 0; i < m->n_payloads; i++) {
		const struct v1_payload *p = &m->payloads[i];

		for (size_t j = 0; j < p->body.len; j++)
			sink += p->body.ptr[j];
	}
	for (size_t i = 0; m->has_sa && i < m->sa.n_proposals; i++)
		sink += m->sa.proposals[i].n_transforms;
	(void)sink;
}

static size_t quick_mode_body(uint8_t *buf, size_t cap)
{
	static const struct v1_transform t[2] = {
		{ .encr = IKEV2_ENCR_AES_CBC, .key_bits = 256,
		  .integ = IKEV2_INTEG_HMAC_SHA2_256_128, .group = 14,
		  .encap = IPSEC_ENCAP_TUNNEL, .life_s = 3600,
		  .life_kb = 4608000 },
		{ .encr = IKEV2_ENCR_AES_GCM_16, .key_bits = 128,
		  .encap = IPSEC_ENCAP_UDP_TUNNEL, .life_s = 100000 },
	};
	static const uint32_t spi[2] = { 0x11111111, 0x22222222 };
	uint8_t h[32] = { 1 }, n[32] = { 2 }, ke[256] = { 3 }, id[8] = { 0 };
	struct v1_builder b;

	v1_build_chain(&b, buf, cap);
	v1_add_raw(&b, ISAKMP_PL_HASH, h, sizeof(h));
	v1_add_sa_phase2(&b, spi, t, 2);
	v1_add_raw(&b, ISAKMP_PL_NONCE, n, sizeof(n));
	v1_add_raw(&b, ISAKMP_PL_KE, ke, sizeof(ke));
	v1_add_id(&b, IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, id, 8);
	v1_add_id(&b, IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, id, 8);
	assert_int_equal(v1_build_end(&b), 0);
	return b.len;
}

static void test_mutations(void **state)
{
	static uint8_t mm[1024], qm[1024], buf[1100];
	struct v1_msg *m = new_msg();
	struct v1_decode_error err;
	long sa_off;
	size_t mm_len = build_mm1(mm, sizeof(mm), &sa_off);
	size_t qm_len = quick_mode_body(qm, sizeof(qm));
	unsigned int ok = 0;

	(void)state;
	assert_int_equal(v1_payloads_decode(ISAKMP_PL_HASH, qm, qm_len, 28, m,
					    &err), 0);
	assert_int_equal(m->n_payloads, 6);
	for (int i = 0; i < 20000; i++) {
		size_t len = mm_len;
		int rounds = 1 + (int)(next_rand() % 4);

		memcpy(buf, mm, mm_len);
		for (int r = 0; r < rounds; r++)
			mutate(buf, &len, sizeof(buf));
		/* Keep the header length honest half of the time so the
		 * mutations reach the payloads. */
		if (next_rand() % 2 && len >= 28)
			set_len(buf, len);
		if (v1_msg_decode(buf, len, m, &err) == 0) {
			use(m);
			ok++;
		} else {
			assert_true(err.offset <= len);
		}
	}
	for (int i = 0; i < 20000; i++) {
		size_t len = qm_len;
		int rounds = 1 + (int)(next_rand() % 4);

		memcpy(buf, qm, qm_len);
		for (int r = 0; r < rounds; r++)
			mutate(buf, &len, sizeof(buf));
		m->n_payloads = 0;
		m->has_sa = false;
		if (v1_payloads_decode(ISAKMP_PL_HASH, buf, len, 28, m,
				       &err) == 0) {
			use(m);
			ok++;
		} else {
			assert_true(err.offset <= len + 28);
		}
	}
	/* Some mutations must survive, or the loop tests nothing. */
	assert_true(ok > 100);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_main_mode_sa_round_trip),
		cmocka_unit_test(test_hand_written_sa),
		cmocka_unit_test(test_phase1_translation),
		cmocka_unit_test(test_phase2_translation),
		cmocka_unit_test(test_phase2_sa_round_trip),
		cmocka_unit_test(test_encode_refuses_what_it_cannot_say),
		cmocka_unit_test(test_payloads_round_trip),
		cmocka_unit_test(test_encrypted_and_padded),
		cmocka_unit_test(test_malformed_header),
		cmocka_unit_test(test_malformed_chain),
		cmocka_unit_test(test_malformed_bodies),
		cmocka_unit_test(test_malformed_sa),
		cmocka_unit_test(test_many_proposals_and_transforms),
		cmocka_unit_test(test_vendor_ids),
		cmocka_unit_test(test_frag_split_and_reassemble),
		cmocka_unit_test(test_frag_contradictions),
		cmocka_unit_test(test_frag_memory_bound),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
