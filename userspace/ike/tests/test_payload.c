// SPDX-License-Identifier: GPL-2.0
/*
 * Codec tests: byte layouts written out by hand from RFC 7296 section 3,
 * round trips of IKE_SA_INIT / IKE_AUTH / SK / SKF / INFORMATIONAL
 * messages, malformed input with located errors, and a deterministic
 * mutation loop that must never crash (run it under ASan/UBSan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ikev2/ikev2_const.h"
#include "ikev2/payload.h"
#include "ikev2/proposal.h"
#include "hex.h"

static uint8_t ke_data[96], nonce[32], natd[20], certreq_hash[20];
static const uint8_t vid[] = "ikevti";

static struct ike_msg *new_msg(void)
{
	struct ike_msg *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	for (size_t i = 0; i < sizeof(ke_data); i++)
		ke_data[i] = (uint8_t)i;
	memset(nonce, 0x4e, sizeof(nonce));
	memset(natd, 0xd0, sizeof(natd));
	memset(certreq_hash, 0xce, sizeof(certreq_hash));
	return m;
}

static void add_transform(struct ike_proposal *p, uint8_t type, uint16_t id,
			  uint16_t bits)
{
	p->transforms[p->n_transforms++] =
		(struct ike_transform){ type, id, bits, false };
}

/* An IKE_SA_INIT request as an IOS/strongSwan initiator would send it. */
static struct ike_msg *sa_init_request(void)
{
	struct ike_msg *m = new_msg();
	struct ike_proposal *p;
	struct ike_payload *pl;

	memcpy(m->hdr.spi_i, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	m->hdr.exchange = IKEV2_EXCH_IKE_SA_INIT;
	m->hdr.flags = IKEV2_FLAG_INITIATOR;
	m->has_sa = true;
	m->sa.n_proposals = 2;
	p = &m->sa.proposals[0];
	p->num = 1;
	p->protocol = IKEV2_PROTO_IKE;
	add_transform(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	add_transform(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_384, 0);
	add_transform(p, IKEV2_TRANS_DH, IKEV2_DH_ECP384, 0);
	add_transform(p, IKEV2_TRANS_DH, IKEV2_DH_ECP256, 0);
	p = &m->sa.proposals[1];
	p->num = 2;
	p->protocol = IKEV2_PROTO_IKE;
	add_transform(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 128);
	add_transform(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	add_transform(p, IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	add_transform(p, IKEV2_TRANS_DH, IKEV2_DH_MODP2048, 0);
	ike_msg_add(m, IKEV2_PL_SA);
	pl = ike_msg_add(m, IKEV2_PL_KE);
	pl->u.ke.group = IKEV2_DH_ECP384;
	pl->u.ke.data = (struct ike_bytes){ ke_data, sizeof(ke_data) };
	pl = ike_msg_add(m, IKEV2_PL_NONCE);
	pl->u.data = (struct ike_bytes){ nonce, sizeof(nonce) };
	pl = ike_msg_add(m, IKEV2_PL_NOTIFY);
	pl->u.notify.type = IKEV2_N_NAT_DETECTION_SOURCE_IP;
	pl->u.notify.data = (struct ike_bytes){ natd, sizeof(natd) };
	pl = ike_msg_add(m, IKEV2_PL_NOTIFY);
	pl->u.notify.type = IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED;
	pl = ike_msg_add(m, IKEV2_PL_VENDOR);
	pl->u.data = (struct ike_bytes){ vid, 6 };
	pl = ike_msg_add(m, IKEV2_PL_CERTREQ);
	pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
	pl->u.cert.data = (struct ike_bytes){ certreq_hash, 20 };
	return m;
}

static void encode_ok(const struct ike_msg *m, uint8_t *buf, size_t cap,
		      size_t *len)
{
	assert_int_equal(ike_msg_encode(m, buf, cap, len), 0);
}

static void decode_ok(const uint8_t *buf, size_t len, struct ike_msg *m)
{
	struct ike_decode_error err;

	if (ike_msg_decode(buf, len, m, &err) < 0) {
		print_message("decode: %s at %zu\n", err.msg, err.offset);
		fail();
	}
}

/* RFC 7296 3.1, 3.2 and 3.9 laid out by hand: a header and one Nonce. */
static void header_and_nonce_layout(void **state)
{
	static const char wire_hex[] =
		"0102030405060708 0000000000000000"	/* SPIi, SPIr */
		"28 20 22 08 00000000 00000030"		/* Nonce next, v2.0,
							 * SA_INIT, I, id 0,
							 * length 48 */
		"00 00 0014"				/* last, length 20 */
		"000102030405060708090a0b0c0d0e0f";
	uint8_t wire[64], out[64];
	size_t len = hex_decode(wire_hex, wire, sizeof(wire)), olen;
	struct ike_msg *m = new_msg();
	const struct ike_payload *pl;

	(void)state;
	decode_ok(wire, len, m);
	assert_int_equal(m->hdr.exchange, IKEV2_EXCH_IKE_SA_INIT);
	assert_int_equal(m->hdr.flags, IKEV2_FLAG_INITIATOR);
	assert_int_equal(m->hdr.length, 48);
	assert_int_equal(m->n_payloads, 1);
	pl = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	assert_non_null(pl);
	assert_int_equal(pl->offset, 28);
	assert_int_equal(pl->u.data.len, 16);
	assert_int_equal(pl->u.data.ptr[15], 0x0f);
	encode_ok(m, out, sizeof(out), &olen);
	assert_int_equal(olen, len);
	assert_memory_equal(out, wire, len);
	free(m);
}

/* RFC 7296 3.3: SA > proposal > transform > Key Length attribute (TV). */
static void sa_layout(void **state)
{
	static const char wire_hex[] =
		"0000000000000001 0000000000000000 21 20 22 08 00000000 00000034"
		"00 00 0018"			/* SA payload, 24 bytes */
		"00 00 0014 01 01 00 01"	/* last proposal, 20 bytes, #1,
						 * IKE, no SPI, 1 transform */
		"00 00 000c 01 00 000c"		/* last transform, ENCR,
						 * AES-CBC */
		"800e 0080";			/* Key Length 128 */
	uint8_t wire[64];
	size_t len = hex_decode(wire_hex, wire, sizeof(wire));
	struct ike_msg *m = new_msg();

	(void)state;
	decode_ok(wire, len, m);
	assert_true(m->has_sa);
	assert_int_equal(m->sa.n_proposals, 1);
	assert_int_equal(m->sa.proposals[0].protocol, IKEV2_PROTO_IKE);
	assert_int_equal(m->sa.proposals[0].transforms[0].id,
			 IKEV2_ENCR_AES_CBC);
	assert_int_equal(m->sa.proposals[0].transforms[0].key_bits, 128);
	free(m);
}

static void sa_init_round_trip(void **state)
{
	struct ike_msg *m = sa_init_request(), *d = new_msg();
	uint8_t buf[2048], again[2048];
	size_t len, len2;
	const struct ike_payload *pl;

	(void)state;
	encode_ok(m, buf, sizeof(buf), &len);
	decode_ok(buf, len, d);
	assert_int_equal(d->n_payloads, m->n_payloads);
	assert_int_equal(d->sa.n_proposals, 2);
	assert_int_equal(d->sa.proposals[0].n_transforms, 4);
	assert_int_equal(d->sa.proposals[0].transforms[0].key_bits, 256);
	assert_int_equal(d->sa.proposals[1].transforms[2].id,
			 IKEV2_INTEG_HMAC_SHA2_256_128);
	pl = ike_msg_find(d, IKEV2_PL_KE, NULL);
	assert_int_equal(pl->u.ke.group, IKEV2_DH_ECP384);
	assert_memory_equal(pl->u.ke.data.ptr, ke_data, 96);
	pl = ike_msg_find(d, IKEV2_PL_NOTIFY, NULL);
	assert_int_equal(pl->u.notify.type, IKEV2_N_NAT_DETECTION_SOURCE_IP);
	pl = ike_msg_find(d, IKEV2_PL_NOTIFY, pl);
	assert_int_equal(pl->u.notify.type,
			 IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED);
	assert_int_equal(pl->u.notify.data.len, 0);
	assert_null(ike_msg_find(d, IKEV2_PL_NOTIFY, pl));
	pl = ike_msg_find(d, IKEV2_PL_CERTREQ, NULL);
	assert_int_equal(pl->u.cert.encoding, IKEV2_CERT_X509_SIG);
	/* Encoding what was decoded gives the same bytes. */
	encode_ok(d, again, sizeof(again), &len2);
	assert_int_equal(len2, len);
	assert_memory_equal(again, buf, len);
	/* Too small an output buffer is an error, never an overflow. */
	for (size_t cap = 0; cap < len; cap += 7)
		assert_int_equal(ike_msg_encode(m, buf, cap, &len2), -1);
	free(m);
	free(d);
}

/* The plaintext of an IKE_AUTH request's SK payload. */
static void ike_auth_inner_round_trip(void **state)
{
	static const uint8_t fqdn[] = "gw1.example.com";
	static const uint8_t cert[300] = { 0x30, 0x82 };
	static const uint8_t auth[64] = { 1 };
	static const uint8_t esp_spi[4] = { 0xc0, 0xff, 0xee, 0x01 };
	struct ike_msg *m = new_msg(), *d = new_msg();
	struct ike_payload *pl;
	struct ike_proposal *p;
	struct ike_decode_error err;
	uint8_t buf[2048], again[2048];
	size_t len, len2;

	(void)state;
	pl = ike_msg_add(m, IKEV2_PL_IDI);
	pl->u.id.type = IKEV2_ID_FQDN;
	pl->u.id.data = (struct ike_bytes){ fqdn, sizeof(fqdn) - 1 };
	pl = ike_msg_add(m, IKEV2_PL_CERT);
	pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
	pl->u.cert.data = (struct ike_bytes){ cert, sizeof(cert) };
	pl = ike_msg_add(m, IKEV2_PL_AUTH);
	pl->u.auth.method = IKEV2_AUTH_RSA_SIG;
	pl->u.auth.data = (struct ike_bytes){ auth, sizeof(auth) };
	m->has_sa = true;
	m->sa.n_proposals = 1;
	p = &m->sa.proposals[0];
	p->num = 1;
	p->protocol = IKEV2_PROTO_ESP;
	p->spi_size = 4;
	memcpy(p->spi, esp_spi, 4);
	add_transform(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	add_transform(p, IKEV2_TRANS_ESN, IKEV2_ESN_NO, 0);
	ike_msg_add(m, IKEV2_PL_SA);
	m->has_tsi = m->has_tsr = true;
	m->tsi.n = 2;
	m->tsi.ts[0] = (struct ike_ts){ IKEV2_TS_IPV4_ADDR_RANGE, 0, 0, 65535,
					{ 0 }, { 255, 255, 255, 255 } };
	m->tsi.ts[1] = (struct ike_ts){ IKEV2_TS_IPV6_ADDR_RANGE, 0, 0, 65535,
					{ 0 }, { 0 } };
	memset(m->tsi.ts[1].end, 0xff, 16);
	m->tsr = m->tsi;
	ike_msg_add(m, IKEV2_PL_TSI);
	ike_msg_add(m, IKEV2_PL_TSR);
	pl = ike_msg_add(m, IKEV2_PL_NOTIFY);
	pl->u.notify.protocol = IKEV2_PROTO_ESP;
	pl->u.notify.spi_size = 4;
	pl->u.notify.spi = (struct ike_bytes){ esp_spi, 4 };
	pl->u.notify.type = 16393;		/* REKEY_SA */
	assert_int_equal(ike_payloads_encode(m, buf, sizeof(buf), &len), 0);
	assert_int_equal(ike_payloads_decode(IKEV2_PL_IDI, buf, len, 0, d,
					     &err), 0);
	assert_int_equal(d->n_payloads, 7);
	assert_int_equal(d->sa.proposals[0].spi_size, 4);
	assert_memory_equal(d->sa.proposals[0].spi, esp_spi, 4);
	assert_int_equal(d->tsr.n, 2);
	assert_int_equal(d->tsr.ts[1].type, IKEV2_TS_IPV6_ADDR_RANGE);
	assert_int_equal(d->tsr.ts[1].end[15], 0xff);
	pl = (struct ike_payload *)ike_msg_find(d, IKEV2_PL_NOTIFY, NULL);
	assert_int_equal(pl->u.notify.spi.len, 4);
	assert_int_equal(ike_payloads_encode(d, again, sizeof(again), &len2), 0);
	assert_int_equal(len2, len);
	assert_memory_equal(again, buf, len);
	free(m);
	free(d);
}

static void sk_skf_delete_round_trip(void **state)
{
	static const uint8_t ct[80] = { 0xe5 };
	static const uint8_t spis[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct ike_msg *m = new_msg(), *d = new_msg();
	struct ike_payload *pl;
	uint8_t buf[512];
	size_t len;

	(void)state;
	m->hdr.exchange = IKEV2_EXCH_IKE_AUTH;
	m->hdr.msg_id = 1;
	pl = ike_msg_add(m, IKEV2_PL_SK);
	pl->u.sk.first_inner = IKEV2_PL_IDI;
	pl->u.sk.data = (struct ike_bytes){ ct, sizeof(ct) };
	encode_ok(m, buf, sizeof(buf), &len);
	decode_ok(buf, len, d);
	assert_int_equal(d->payloads[0].u.sk.first_inner, IKEV2_PL_IDI);
	assert_int_equal(d->payloads[0].u.sk.data.len, sizeof(ct));

	pl->type = IKEV2_PL_SKF;
	pl->u.skf.first_inner = IKEV2_PL_IDI;
	pl->u.skf.number = 1;
	pl->u.skf.total = 3;
	pl->u.skf.data = (struct ike_bytes){ ct, sizeof(ct) };
	encode_ok(m, buf, sizeof(buf), &len);
	decode_ok(buf, len, d);
	assert_int_equal(d->payloads[0].u.skf.total, 3);
	assert_int_equal(d->payloads[0].u.skf.first_inner, IKEV2_PL_IDI);

	m->n_payloads = 0;
	m->hdr.exchange = IKEV2_EXCH_INFORMATIONAL;
	pl = ike_msg_add(m, IKEV2_PL_DELETE);
	pl->u.del.protocol = IKEV2_PROTO_ESP;
	pl->u.del.spi_size = 4;
	pl->u.del.n_spi = 2;
	pl->u.del.spis = (struct ike_bytes){ spis, 8 };
	encode_ok(m, buf, sizeof(buf), &len);
	decode_ok(buf, len, d);
	assert_int_equal(d->payloads[0].u.del.n_spi, 2);
	/* Inconsistent SPI count: the encoder refuses it too. */
	pl->u.del.n_spi = 3;
	assert_int_equal(ike_msg_encode(m, buf, sizeof(buf), &len), -1);
	free(m);
	free(d);
}

/* ---------------------------------------------------------------- */
/* Malformed input */

struct bad_case {
	const char *name;
	const char *hex;		/* header length is fixed up if 0 */
	uint16_t notify;
	size_t offset;
	const char *msg;
};

/* An IKE_SA_INIT header; load_case() fills in the length. */
#define HDR(next) \
	"0000000000000001 0000000000000000 " next " 20 22 08 00000000 00000000 "

static const struct bad_case bad_cases[] = {
	{ "short", "00010203", 0, 0,
	  "message of 4 bytes is shorter than the IKE header" },
	{ "version 3", "0000000000000001 0000000000000000 00 30 22 08 "
		       "00000000 0000001c", IKEV2_N_INVALID_MAJOR_VERSION, 17,
	  "major version 3" },
	{ "zero-length payload (would loop)", HDR("28") "00 00 0000",
	  IKEV2_N_INVALID_SYNTAX, 28,
	  "payload length 0 (type 40) outside 4..4" },
	{ "payload length overflow", HDR("28") "00 00 ffff 0000",
	  IKEV2_N_INVALID_SYNTAX, 28,
	  "payload length 65535 (type 40) outside 4..6" },
	{ "truncated generic header", HDR("28") "00 00",
	  IKEV2_N_INVALID_SYNTAX, 28, "payload header of type 40 truncated" },
	{ "unknown critical payload", HDR("c8") "00 80 0004",
	  IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, 28,
	  "unsupported critical payload type 200" },
	{ "short nonce", HDR("28") "00 00 0013 000102030405060708090a0b0c0d0e",
	  IKEV2_N_INVALID_SYNTAX, 32, "nonce of 15 bytes (16..256)" },
	{ "proposal number 0", HDR("21")
	  "00 00 0018 00 00 0014 00 01 00 01 00 00 000c 01 00 000c 800e 0080",
	  IKEV2_N_INVALID_SYNTAX, 52, "proposal number 0 where 1 was due" },
	{ "proposals 2 and 3", HDR("21")
	  "00 00 0014 02 00 0008 02 01 00 00 00 00 0008 03 01 00 00",
	  IKEV2_N_INVALID_SYNTAX, 48, "first of several proposals numbered 2, not 1" },
	{ "transform count too high", HDR("21")
	  "00 00 0018 00 00 0014 01 01 00 02 00 00 000c 01 00 000c 800e 0080",
	  IKEV2_N_INVALID_SYNTAX, 52, "transform after the one marked last" },
	{ "transform beyond proposal", HDR("21")
	  "00 00 0018 00 00 0014 01 01 00 01 00 00 00ff 01 00 000c 800e 0080",
	  IKEV2_N_INVALID_SYNTAX, 40,
	  "transform length 255 beyond its proposal" },
	{ "attribute beyond transform", HDR("21")
	  "00 00 0018 00 00 0014 01 01 00 01 00 00 000c 01 00 000c 000e 0080",
	  IKEV2_N_INVALID_SYNTAX, 48,
	  "attribute length 128 beyond its transform" },
	{ "SPI size 3", HDR("21")
	  "00 00 000c 00 00 0008 01 01 03 00", IKEV2_N_INVALID_SYNTAX, 32,
	  "proposal SPI size 3" },
	{ "SK not last", HDR("2e") "28 00 0008 aabbccdd 00 00 0014 "
	  "000102030405060708090a0b0c0d0e0f", IKEV2_N_INVALID_SYNTAX, 28,
	  "encrypted payload is not the last one" },
	{ "fragment 0", HDR("35") "00 00 0008 0000 0003",
	  IKEV2_N_INVALID_SYNTAX, 32, "fragment 0 of 3" },
	{ "fragment 2 names a payload", HDR("35") "23 00 0008 0002 0003",
	  IKEV2_N_INVALID_SYNTAX, 32, "fragment 2 names a next payload" },
	{ "delete count", HDR("2a") "00 00 000c 03 04 0002 01020304",
	  IKEV2_N_INVALID_SYNTAX, 32, "delete: 2 SPIs of 4 bytes in 4 bytes" },
	{ "TS length", HDR("2c") "00 00 0018 01 000000 07 00 0011 0000 ffff "
	  "00000000 ffffffff", IKEV2_N_INVALID_SYNTAX, 36,
	  "traffic selector length 17 for type 7" },
	{ "notify SPI beyond payload", HDR("29") "00 00 000a 03 08 4000 0102",
	  IKEV2_N_INVALID_SYNTAX, 32,
	  "notify SPI size 8 beyond the payload" },
	{ "trailing bytes", HDR("28") "00 00 0014 000102030405060708090a0b0c0d0e0f"
	  "ffff", IKEV2_N_INVALID_SYNTAX, 48,
	  "2 bytes after the last payload" },
	{ "two SA payloads", HDR("21")
	  "21 00 000c 00 00 0008 01 01 00 00 00 00 000c 00 00 0008 01 01 00 00",
	  IKEV2_N_INVALID_SYNTAX, 40, "a second payload of type 33" },
};

static size_t load_case(const char *hex, uint8_t *buf, size_t cap)
{
	size_t len = hex_decode(hex, buf, cap);

	assert_true(len != (size_t)-1);
	/* Fix up a zero header length so the payload checks are reached. */
	if (len >= IKEV2_HDR_LEN && !buf[24] && !buf[25] && !buf[26] &&
	    !buf[27]) {
		buf[26] = (uint8_t)(len >> 8);
		buf[27] = (uint8_t)len;
	}
	return len;
}

static void malformed_messages(void **state)
{
	struct ike_msg *m = new_msg();

	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct ike_decode_error err;
		uint8_t buf[256];
		size_t len = load_case(c->hex, buf, sizeof(buf));

		print_message("%s\n", c->name);
		assert_int_equal(ike_msg_decode(buf, len, m, &err), -1);
		assert_string_equal(err.msg, c->msg);
		assert_int_equal(err.notify, c->notify);
		assert_int_equal(err.offset, c->offset);
	}
	free(m);
}

static void unknown_noncritical_payload_is_skipped(void **state)
{
	uint8_t buf[128], out[128];
	size_t len = load_case(HDR("c8") "28 00 0006 abcd 00 00 0014 "
			       "000102030405060708090a0b0c0d0e0f", buf,
			       sizeof(buf)), olen;
	struct ike_msg *m = new_msg();

	(void)state;
	decode_ok(buf, len, m);
	assert_int_equal(m->n_payloads, 2);
	assert_int_equal(m->payloads[0].type, 200);
	assert_int_equal(m->payloads[0].u.data.len, 2);
	assert_non_null(ike_msg_find(m, IKEV2_PL_NONCE, NULL));
	encode_ok(m, out, sizeof(out), &olen);
	assert_memory_equal(out, buf, len);
	free(m);
}

static void header_length_mismatch(void **state)
{
	struct ike_msg *m = sa_init_request();
	struct ike_decode_error err;
	uint8_t buf[2048];
	size_t len;

	(void)state;
	encode_ok(m, buf, sizeof(buf), &len);
	assert_int_equal(ike_msg_decode(buf, len - 1, m, &err), -1);
	assert_int_equal(err.notify, 0);
	assert_int_equal(err.offset, 24);
	free(m);
}

static void too_many_payloads(void **state)
{
	struct ike_msg *m = new_msg();
	struct ike_decode_error err;
	uint8_t buf[IKEV2_HDR_LEN + 65 * 4];
	size_t len;

	(void)state;
	for (int i = 0; i < IKE_MAX_PAYLOADS; i++)
		assert_non_null(ike_msg_add(m, IKEV2_PL_VENDOR));
	assert_null(ike_msg_add(m, IKEV2_PL_VENDOR));
	encode_ok(m, buf, sizeof(buf), &len);
	/* Turn the last VID's "next" into one more empty VID. */
	buf[len - 4] = IKEV2_PL_VENDOR;
	memcpy(buf + len, "\x00\x00\x00\x04", 4);
	len += 4;
	buf[26] = (uint8_t)(len >> 8);
	buf[27] = (uint8_t)len;
	assert_int_equal(ike_msg_decode(buf, len, m, &err), -1);
	assert_string_equal(err.msg, "more than 64 payloads");
	free(m);
}

/* An IKE_SA_INIT request whose only payload is an SA offer of n_prop
 * proposals of n_trans transforms each (written byte by byte: the codec
 * cannot encode more than it keeps). Proposal bad_at, if not 0, carries
 * the number 99. Returns the length. */
static size_t big_offer(uint8_t *buf, size_t cap, unsigned int n_prop,
			unsigned int n_trans, unsigned int bad_at)
{
	size_t len = IKEV2_HDR_LEN + 4 + n_prop * (8 + 8 * n_trans), o;

	assert_true(len <= cap);
	memset(buf, 0, len);
	buf[7] = 1;				/* initiator SPI */
	buf[16] = IKEV2_PL_SA;
	buf[17] = 0x20;
	buf[18] = IKEV2_EXCH_IKE_SA_INIT;
	buf[19] = IKEV2_FLAG_INITIATOR;
	buf[26] = (uint8_t)(len >> 8);
	buf[27] = (uint8_t)len;
	buf[30] = (uint8_t)((len - IKEV2_HDR_LEN) >> 8);
	buf[31] = (uint8_t)(len - IKEV2_HDR_LEN);
	o = IKEV2_HDR_LEN + 4;
	for (unsigned int p = 1; p <= n_prop; p++) {
		size_t plen = 8 + 8 * n_trans;

		buf[o] = p == n_prop ? 0 : 2;
		buf[o + 2] = (uint8_t)(plen >> 8);
		buf[o + 3] = (uint8_t)plen;
		buf[o + 4] = (uint8_t)(p == bad_at ? 99 : p);
		buf[o + 5] = IKEV2_PROTO_IKE;
		buf[o + 7] = (uint8_t)n_trans;
		o += 8;
		for (unsigned int t = 1; t <= n_trans; t++, o += 8) {
			buf[o] = t == n_trans ? 0 : 3;
			buf[o + 3] = 8;
			buf[o + 4] = (uint8_t)(1 + t % 4);	/* types 1..4 */
			buf[o + 7] = (uint8_t)t;
		}
	}
	return len;
}

/* strongSwan's default IKE offer has proposals of 35 and 37 transforms;
 * one proposal may announce up to 255. */
static void proposal_of_255_transforms(void **state)
{
	static uint8_t buf[IKEV2_HDR_LEN + 4 + 8 + 8 * 255];
	struct ike_msg *m = new_msg();

	(void)state;
	decode_ok(buf, big_offer(buf, sizeof(buf), 1, 255, 0), m);
	assert_int_equal(m->sa.n_proposals, 1);
	assert_int_equal(m->sa.proposals[0].n_transforms, 255);
	assert_int_equal(m->sa.proposals[0].transforms[254].id, 255);
	assert_int_equal(m->sa.n_ignored, 0);
	free(m);
}

/* An offer of more proposals than are kept: the first ones are chosen
 * from, the others are still checked and counted, and a failed choice
 * says they were not considered. */
static void offer_beyond_kept_proposals(void **state)
{
	static uint8_t buf[IKEV2_HDR_LEN + 4 + 40 * (8 + 8 * 4)];
	struct ike_msg *m = new_msg();
	struct ike_decode_error err;
	struct ike_local_proposal lp = { 0 };
	struct ike_selection sel;
	char why[4096];
	size_t len;

	(void)state;
	decode_ok(buf, big_offer(buf, sizeof(buf), 40, 4, 0), m);
	assert_int_equal(m->sa.n_proposals, IKE_MAX_PROPOSALS);
	assert_int_equal(m->sa.n_ignored, 40 - IKE_MAX_PROPOSALS);
	assert_int_equal(m->sa.proposals[IKE_MAX_PROPOSALS - 1].num,
			 IKE_MAX_PROPOSALS);
	assert_int_equal(ike_select_proposal(&m->sa, IKEV2_PROTO_IKE, &lp, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     why, sizeof(why)), -1);
	assert_non_null(strstr(why, "8 more proposals past the first 32 not "
				    "considered"));
	/* a numbering error past the kept ones is still found */
	len = big_offer(buf, sizeof(buf), 40, 4, 35);
	assert_int_equal(ike_msg_decode(buf, len, m, &err), -1);
	assert_string_equal(err.msg, "proposal number 99 where 35 was due");
	free(m);
}

/* Every truncation of a valid message, with the header length made to
 * agree, must fail cleanly (or, at a payload boundary, succeed). */
static void every_truncation(void **state)
{
	struct ike_msg *m = sa_init_request(), *d = new_msg();
	uint8_t buf[2048], cut[2048];
	size_t len;

	(void)state;
	encode_ok(m, buf, sizeof(buf), &len);
	for (size_t n = 0; n < len; n++) {
		memcpy(cut, buf, n);
		if (n >= IKEV2_HDR_LEN) {
			cut[24] = 0;
			cut[25] = 0;
			cut[26] = (uint8_t)(n >> 8);
			cut[27] = (uint8_t)n;
		}
		assert_int_equal(ike_msg_decode(cut, n, d, NULL), -1);
	}
	free(m);
	free(d);
}

/* Random mutations of a valid message. Whatever decodes must encode
 * again and decode to the same number of payloads. */
static void mutations_never_crash(void **state)
{
	struct ike_msg *m = sa_init_request(), *d = new_msg(), *d2 = new_msg();
	uint8_t buf[2048], mut[2048], re[4096];
	size_t len, rlen;
	uint32_t seed = 0xc0ffee;
	unsigned decoded = 0;

	(void)state;
	encode_ok(m, buf, sizeof(buf), &len);
	for (int round = 0; round < 100000; round++) {
		size_t n = len;

		memcpy(mut, buf, len);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1664525u + 1013904223u;
			mut[(seed >> 8) % len] = (uint8_t)(seed >> 24);
		}
		if (round % 5 == 0) {
			seed = seed * 1664525u + 1013904223u;
			n = IKEV2_HDR_LEN + (seed >> 8) % (len - IKEV2_HDR_LEN);
		}
		/* Keep the header length right most of the time, so the
		 * mutations reach the payload decoders. */
		if (round % 3) {
			mut[24] = mut[25] = 0;
			mut[26] = (uint8_t)(n >> 8);
			mut[27] = (uint8_t)n;
			mut[17] = IKEV2_VERSION;
		}
		if (ike_msg_decode(mut, n, d, NULL) < 0)
			continue;
		decoded++;
		assert_int_equal(ike_msg_encode(d, re, sizeof(re), &rlen), 0);
		assert_int_equal(ike_msg_decode(re, rlen, d2, NULL), 0);
		assert_int_equal(d2->n_payloads, d->n_payloads);
	}
	print_message("%u of 100000 mutants decoded\n", decoded);
	free(m);
	free(d);
	free(d2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_and_nonce_layout),
		cmocka_unit_test(sa_layout),
		cmocka_unit_test(sa_init_round_trip),
		cmocka_unit_test(ike_auth_inner_round_trip),
		cmocka_unit_test(sk_skf_delete_round_trip),
		cmocka_unit_test(malformed_messages),
		cmocka_unit_test(unknown_noncritical_payload_is_skipped),
		cmocka_unit_test(header_length_mismatch),
		cmocka_unit_test(too_many_payloads),
		cmocka_unit_test(proposal_of_255_transforms),
		cmocka_unit_test(offer_beyond_kept_proposals),
		cmocka_unit_test(every_truncation),
		cmocka_unit_test(mutations_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
