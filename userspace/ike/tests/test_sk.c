// SPDX-License-Identifier: GPL-2.0
/*
 * SK / SKF tests: round trips for every cipher and integrity transform
 * and many lengths, the wire layout checked with OpenSSL calls made here
 * (EVP_Q_mac for the ICV, raw AES-CBC / AES-GCM with the RFC 5282 nonce
 * and associated data), tampering and truncation, and RFC 7383
 * fragmentation with out-of-order, duplicate, missing and re-fragmented
 * fragments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "ikev2/ikev2_const.h"
#include "ikev2/payload.h"
#include "ikev2/sk.h"

static uint8_t ekey[36], akey[64];

static struct ike_sk_keys keys(uint16_t encr, uint16_t bits, uint16_t integ)
{
	struct ike_sk_keys k = { { encr, bits, integ }, ekey, 0, akey, 0 };

	k.encr_len = ike_sk_encr_key_len(&k.alg);
	k.integ_len = ike_sk_integ_key_len(&k.alg);
	if (!k.integ_len)
		k.integ_key = NULL;
	return k;
}

static struct ike_header header(uint32_t msg_id)
{
	struct ike_header h = { .exchange = IKEV2_EXCH_IKE_AUTH,
				.flags = IKEV2_FLAG_INITIATOR,
				.msg_id = msg_id };

	memcpy(h.spi_i, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	memcpy(h.spi_r, "\x11\x12\x13\x14\x15\x16\x17\x18", 8);
	return h;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 7 * i);
}

static int setup(void **state)
{
	(void)state;
	fill(ekey, sizeof(ekey), 0x30);
	fill(akey, sizeof(akey), 0x90);
	return 0;
}

static const struct ike_sk_alg algs[] = {
	{ IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA1_96 },
	{ IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128 },
	{ IKEV2_ENCR_AES_CBC, 192, IKEV2_INTEG_HMAC_SHA2_384_192 },
	{ IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_512_256 },
	{ IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_MD5_96 },
	{ IKEV2_ENCR_3DES, 0, IKEV2_INTEG_HMAC_SHA1_96 },
	{ IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_NONE },
	{ IKEV2_ENCR_AES_GCM_16, 192, IKEV2_INTEG_NONE },
	{ IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE },
};
#define N_ALGS (sizeof(algs) / sizeof(algs[0]))

static void key_lengths(void **state)
{
	struct ike_sk_alg gcm = { IKEV2_ENCR_AES_GCM_16, 256, 0 };
	struct ike_sk_alg cbc = { IKEV2_ENCR_AES_CBC, 128,
				  IKEV2_INTEG_HMAC_SHA2_384_192 };
	struct ike_sk_alg bad = { IKEV2_ENCR_AES_CBC, 100,
				  IKEV2_INTEG_HMAC_SHA1_96 };
	struct ike_sk_alg gcm_integ = { IKEV2_ENCR_AES_GCM_16, 128,
					IKEV2_INTEG_HMAC_SHA1_96 };

	(void)state;
	assert_int_equal(ike_sk_encr_key_len(&gcm), 36);
	assert_int_equal(ike_sk_integ_key_len(&gcm), 0);
	assert_int_equal(ike_sk_encr_key_len(&cbc), 16);
	assert_int_equal(ike_sk_integ_key_len(&cbc), 48);
	/* 4 + IV 16 + (10 + 5 pad + 1) + ICV 24 */
	assert_int_equal(ike_sk_overhead(&cbc, 10), 4 + 16 + 6 + 24);
	/* 4 + IV 8 + (10 + 0 + 1) + ICV 16 */
	assert_int_equal(ike_sk_overhead(&gcm, 10), 4 + 8 + 1 + 16);
	assert_int_equal(ike_sk_encr_key_len(&bad), 0);
	assert_int_equal(ike_sk_encr_key_len(&gcm_integ), 0);
}

static void seal_decode(const struct ike_sk_keys *k, const uint8_t *plain,
			size_t len, uint8_t *msg, size_t *msg_len,
			struct ike_msg *m)
{
	struct ike_header h = header(1);
	struct ike_decode_error err;
	char why[200] = "";

	if (ike_sk_seal(k, &h, IKEV2_PL_IDI, plain, len, NULL, msg, 2048,
			msg_len, why, sizeof(why)) != 0)
		fail_msg("seal: %s", why);
	assert_int_equal(*msg_len, IKEV2_HDR_LEN + len +
			 ike_sk_overhead(&k->alg, len));
	assert_int_equal(ike_msg_decode(msg, *msg_len, m, &err), 0);
	assert_int_equal(m->n_payloads, 1);
	assert_int_equal(m->payloads[0].type, IKEV2_PL_SK);
	assert_int_equal(m->payloads[0].u.sk.first_inner, IKEV2_PL_IDI);
}

static void round_trips(void **state)
{
	uint8_t plain[100], msg[2048], out[2048];
	struct ike_msg *m = malloc(sizeof(*m));

	(void)state;
	fill(plain, sizeof(plain), 5);
	for (size_t a = 0; a < N_ALGS; a++) {
		struct ike_sk_keys k = keys(algs[a].encr, algs[a].key_bits,
					    algs[a].integ);

		for (size_t len = 0; len <= 40; len++) {
			size_t msg_len, out_len = 0;
			char why[200] = "";

			seal_decode(&k, plain, len, msg, &msg_len, m);
			if (ike_sk_open(&k, msg, msg_len, &m->payloads[0], out,
					sizeof(out), &out_len, why,
					sizeof(why)) != 0)
				fail_msg("alg %zu len %zu: %s", a, len, why);
			assert_int_equal(out_len, len);
			assert_memory_equal(out, plain, len);
		}
	}
	free(m);
}

/* Every byte matters: the header, the SK header, IV, ciphertext, ICV. */
static void tampering(void **state)
{
	uint8_t plain[37], msg[2048], out[2048];
	struct ike_msg *m = malloc(sizeof(*m));

	(void)state;
	fill(plain, sizeof(plain), 9);
	for (size_t a = 0; a < N_ALGS; a++) {
		struct ike_sk_keys k = keys(algs[a].encr, algs[a].key_bits,
					    algs[a].integ);
		struct ike_sk_keys other = k;
		uint8_t wrong[64];
		size_t msg_len, out_len;
		char why[200];

		seal_decode(&k, plain, sizeof(plain), msg, &msg_len, m);
		for (size_t i = 0; i < msg_len; i++) {
			/* Byte 17 is the version: 0x20 -> 0x21 still IKEv2,
			 * and the decoder's view stays valid since m
			 * points into msg. */
			msg[i] ^= 0x01;
			out_len = 99;
			assert_int_equal(ike_sk_open(&k, msg, msg_len,
						     &m->payloads[0], out,
						     sizeof(out), &out_len,
						     why, sizeof(why)), -1);
			assert_int_equal(out_len, 0);
			assert_non_null(strstr(why, "integrity check "
					       "failed"));
			msg[i] ^= 0x01;
		}
		memcpy(wrong, k.encr_key, k.encr_len);
		wrong[k.encr_len - 1] ^= 0x80;	/* the salt, for GCM */
		other.encr_key = wrong;
		if (k.alg.encr == IKEV2_ENCR_AES_GCM_16)
			assert_int_equal(ike_sk_open(&other, msg, msg_len,
						     &m->payloads[0], out,
						     sizeof(out), &out_len,
						     why, sizeof(why)), -1);
		other = k;
		if (k.integ_key) {
			memcpy(wrong, k.integ_key, k.integ_len);
			wrong[0] ^= 1;
			other.integ_key = wrong;
			assert_int_equal(ike_sk_open(&other, msg, msg_len,
						     &m->payloads[0], out,
						     sizeof(out), &out_len,
						     why, sizeof(why)), -1);
		}
	}
	free(m);
}

static void truncation_and_misuse(void **state)
{
	struct ike_sk_keys k = keys(IKEV2_ENCR_AES_CBC, 128,
				    IKEV2_INTEG_HMAC_SHA2_256_128);
	uint8_t plain[20] = { 0 }, msg[2048], out[2048];
	struct ike_msg *m = malloc(sizeof(*m));
	struct ike_payload pl;
	size_t msg_len, out_len;
	char why[200];

	(void)state;
	seal_decode(&k, plain, sizeof(plain), msg, &msg_len, m);
	pl = m->payloads[0];
	/* The message cut short: the body no longer ends the buffer. */
	assert_int_equal(ike_sk_open(&k, msg, msg_len - 1, &pl, out,
				     sizeof(out), &out_len, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "not the end"));
	/* A body that skips bytes: ciphertext not whole blocks. */
	pl.u.sk.data.ptr += 1;
	pl.u.sk.data.len -= 1;
	assert_int_equal(ike_sk_open(&k, msg, msg_len, &pl, out, sizeof(out),
				     &out_len, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not a multiple of 16"));
	/* Too short to hold IV, a block and the ICV. */
	pl.u.sk.data.ptr = msg + msg_len - 40;
	pl.u.sk.data.len = 40;
	assert_int_equal(ike_sk_open(&k, msg, msg_len, &pl, out, sizeof(out),
				     &out_len, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "too short"));
	/* No room for the plaintext. */
	assert_int_equal(ike_sk_open(&k, msg, msg_len, &m->payloads[0], out,
				     8, &out_len, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no room"));
	/* Not an SK payload; wrong key length; no space to seal. */
	pl.type = IKEV2_PL_NONCE;
	assert_int_equal(ike_sk_open(&k, msg, msg_len, &pl, out, sizeof(out),
				     &out_len, why, sizeof(why)), -1);
	k.encr_len = 15;
	assert_int_equal(ike_sk_open(&k, msg, msg_len, &m->payloads[0], out,
				     sizeof(out), &out_len, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "SK_e of 15 bytes"));
	k.encr_len = 16;
	{
		struct ike_header h = header(1);

		assert_int_equal(ike_sk_seal(&k, &h, IKEV2_PL_IDI, plain, 20,
					     NULL, msg, 60, &msg_len, why,
					     sizeof(why)), -1);
	}
	free(m);
}

/* The layout, checked by hand: AES-256-CBC + HMAC-SHA-256-128. */
static void cbc_layout_by_hand(void **state)
{
	struct ike_sk_keys k = keys(IKEV2_ENCR_AES_CBC, 256,
				    IKEV2_INTEG_HMAC_SHA2_256_128);
	uint8_t plain[21], msg[256], iv[16], dec[64], mac[32];
	struct ike_header h = header(7);
	size_t msg_len, mac_len = 0;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;
	char why[200];

	(void)state;
	fill(plain, sizeof(plain), 0x41);
	fill(iv, sizeof(iv), 0xe0);
	assert_int_equal(ike_sk_seal(&k, &h, IKEV2_PL_IDR, plain, 21, iv, msg,
				     sizeof(msg), &msg_len, why, sizeof(why)),
			 0);
	/* 28 header + 4 SK header + 16 IV + 32 (21 + 10 pad + 1) + 16 ICV */
	assert_int_equal(msg_len, 96);
	assert_int_equal(msg[16], IKEV2_PL_SK);
	assert_int_equal(msg[28], IKEV2_PL_IDR);
	assert_int_equal(msg[30] << 8 | msg[31], 68);
	assert_memory_equal(msg + 32, iv, 16);
	assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, akey,
				  32, msg, 80, mac, sizeof(mac), &mac_len));
	assert_memory_equal(msg + 80, mac, 16);
	assert_int_equal(EVP_DecryptInit_ex2(c, EVP_aes_256_cbc(), ekey, iv,
					     NULL), 1);
	EVP_CIPHER_CTX_set_padding(c, 0);
	assert_int_equal(EVP_DecryptUpdate(c, dec, &n1, msg + 48, 32), 1);
	assert_int_equal(EVP_DecryptFinal_ex(c, dec + n1, &n2), 1);
	assert_memory_equal(dec, plain, 21);
	assert_int_equal(dec[31], 10);
	EVP_CIPHER_CTX_free(c);
}

/* RFC 5282: nonce = last 4 bytes of SK_e | IV, AAD = header + SK header. */
static void gcm_layout_by_hand(void **state)
{
	struct ike_sk_keys k = keys(IKEV2_ENCR_AES_GCM_16, 128, 0);
	uint8_t plain[21], msg[256], iv[8], nonce[12], dec[64];
	struct ike_header h = header(9);
	size_t msg_len;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0;
	char why[200];

	(void)state;
	fill(plain, sizeof(plain), 0x61);
	fill(iv, sizeof(iv), 0xc0);
	assert_int_equal(ike_sk_seal(&k, &h, IKEV2_PL_IDI, plain, 21, iv, msg,
				     sizeof(msg), &msg_len, why, sizeof(why)),
			 0);
	/* 28 + 4 + 8 IV + 22 (21 + pad length 0) + 16 ICV */
	assert_int_equal(msg_len, 78);
	memcpy(nonce, ekey + 16, 4);
	memcpy(nonce + 4, iv, 8);
	assert_int_equal(EVP_DecryptInit_ex2(c, EVP_aes_128_gcm(), NULL, NULL,
					     NULL), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12,
					     NULL), 1);
	assert_int_equal(EVP_DecryptInit_ex2(c, NULL, ekey, nonce, NULL), 1);
	assert_int_equal(EVP_DecryptUpdate(c, NULL, &n, msg, 32), 1);
	assert_int_equal(EVP_DecryptUpdate(c, dec, &n, msg + 40, 22), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16,
					     msg + 62), 1);
	assert_int_equal(EVP_DecryptFinal_ex(c, dec + n, &n), 1);
	assert_memory_equal(dec, plain, 21);
	assert_int_equal(dec[21], 0);
	EVP_CIPHER_CTX_free(c);
}

/* ---------------------------------------------------------------- */
/* Fragmentation */

static void frag_decode(const struct ike_frag *f, struct ike_msg *m)
{
	struct ike_decode_error err;

	assert_int_equal(ike_msg_decode(f->buf, f->len, m, &err), 0);
}

static enum ike_reasm_status feed(struct ike_reasm *r,
				  const struct ike_sk_keys *k,
				  const struct ike_frag *f, struct ike_msg *m)
{
	char why[200] = "";
	enum ike_reasm_status st;

	frag_decode(f, m);
	st = ike_reasm_add(r, k, f->buf, f->len, m, why, sizeof(why));
	if (st == IKE_REASM_ERROR)
		print_message("reasm: %s\n", why);
	return st;
}

static void fragments_reassemble(const struct ike_sk_keys *k)
{
	enum { PLAIN = 6000, MAX_LEN = 200 };
	uint8_t *plain = malloc(PLAIN), *got = NULL;
	struct ike_frag f[IKE_SKF_MAX];
	struct ike_header h = header(3);
	struct ike_msg *m = malloc(sizeof(*m));
	struct ike_reasm r;
	size_t n = 0, len = 0;
	uint8_t first = 0;
	char why[200] = "";

	fill(plain, PLAIN, 3);
	if (ike_skf_seal_all(k, &h, IKEV2_PL_IDI, plain, PLAIN, MAX_LEN, f,
			     IKE_SKF_MAX, &n, why, sizeof(why)) != 0)
		fail_msg("seal_all: %s", why);
	assert_true(n >= 32);
	for (size_t i = 0; i < n; i++) {
		assert_true(f[i].len <= MAX_LEN);
		frag_decode(&f[i], m);
		assert_int_equal(m->payloads[0].type, IKEV2_PL_SKF);
		assert_int_equal(m->payloads[0].u.skf.number, i + 1);
		assert_int_equal(m->payloads[0].u.skf.total, n);
	}
	ike_reasm_init(&r);
	/* Reverse order, every even one twice, the first one last. */
	for (size_t i = n; i-- > 1;) {
		assert_int_equal(feed(&r, k, &f[i], m), IKE_REASM_INCOMPLETE);
		if (i % 2 == 0)
			assert_int_equal(feed(&r, k, &f[i], m),
					 IKE_REASM_INCOMPLETE);
	}
	assert_int_equal(ike_reasm_take(&r, &got, &len, &first), -1);
	assert_int_equal(feed(&r, k, &f[0], m), IKE_REASM_COMPLETE);
	assert_int_equal(ike_reasm_take(&r, &got, &len, &first), 0);
	assert_int_equal(len, PLAIN);
	assert_memory_equal(got, plain, PLAIN);
	assert_int_equal(first, IKEV2_PL_IDI);
	assert_false(r.active);
	free(got);
	ike_frags_free(f, n);
	free(plain);
	free(m);
}

static void fragments_all_ciphers(void **state)
{
	(void)state;
	for (size_t a = 0; a < N_ALGS; a++) {
		struct ike_sk_keys k = keys(algs[a].encr, algs[a].key_bits,
					    algs[a].integ);

		fragments_reassemble(&k);
	}
}

static void fragments_missing_forged_refragmented(void **state)
{
	struct ike_sk_keys k = keys(IKEV2_ENCR_AES_GCM_16, 256, 0);
	uint8_t plain[900] = { 0 }, *got = NULL;
	struct ike_frag small[IKE_SKF_MAX], big[IKE_SKF_MAX], other[4];
	struct ike_header h = header(5), h6 = header(6);
	struct ike_msg *m = malloc(sizeof(*m));
	struct ike_reasm r;
	size_t ns = 0, nb = 0, no = 0, len;
	uint8_t first;
	char why[200] = "";

	(void)state;
	fill(plain, sizeof(plain), 1);
	assert_int_equal(ike_skf_seal_all(&k, &h, IKEV2_PL_IDR, plain, 900,
					  400, big, IKE_SKF_MAX, &nb, why,
					  sizeof(why)), 0);
	assert_int_equal(ike_skf_seal_all(&k, &h, IKEV2_PL_IDR, plain, 900,
					  150, small, IKE_SKF_MAX, &ns, why,
					  sizeof(why)), 0);
	assert_int_equal(ike_skf_seal_all(&k, &h6, IKEV2_PL_IDR, plain, 100,
					  400, other, 4, &no, why,
					  sizeof(why)), 0);
	assert_true(ns > nb && nb > 1);
	ike_reasm_init(&r);
	/* Missing: all but one of the coarse transmission. */
	for (size_t i = 1; i < nb; i++)
		assert_int_equal(feed(&r, &k, &big[i], m),
				 IKE_REASM_INCOMPLETE);
	/* Another message ID meanwhile: refused, state kept. */
	assert_int_equal(feed(&r, &k, &other[0], m), IKE_REASM_ERROR);
	/* A forged fragment: refused before it can touch the state. */
	big[0].buf[big[0].len - 1] ^= 1;
	assert_int_equal(feed(&r, &k, &big[0], m), IKE_REASM_ERROR);
	big[0].buf[big[0].len - 1] ^= 1;
	assert_int_equal(r.n_have, nb - 1);
	assert_int_equal(r.total, nb);
	/* The peer re-fragments finer (more fragments): start anew; the
	 * older coarse ones are then dropped. */
	assert_int_equal(feed(&r, &k, &small[0], m), IKE_REASM_INCOMPLETE);
	assert_int_equal(r.n_have, 1);
	assert_int_equal(feed(&r, &k, &big[0], m), IKE_REASM_INCOMPLETE);
	assert_int_equal(r.n_have, 1);
	for (size_t i = 1; i < ns; i++)
		assert_int_equal(feed(&r, &k, &small[i], m),
				 i + 1 == ns ? IKE_REASM_COMPLETE :
				 IKE_REASM_INCOMPLETE);
	/* A duplicate after completion changes nothing. */
	assert_int_equal(feed(&r, &k, &small[2], m), IKE_REASM_COMPLETE);
	assert_int_equal(ike_reasm_take(&r, &got, &len, &first), 0);
	assert_int_equal(len, 900);
	assert_memory_equal(got, plain, 900);
	assert_int_equal(first, IKEV2_PL_IDR);
	free(got);
	/* A message that is not SKF. */
	{
		uint8_t msg[256];
		size_t mlen;

		assert_int_equal(ike_sk_seal(&k, &h, IKEV2_PL_IDI, plain, 10,
					     NULL, msg, sizeof(msg), &mlen,
					     why, sizeof(why)), 0);
		assert_int_equal(ike_msg_decode(msg, mlen, m, NULL), 0);
		assert_int_equal(ike_reasm_add(&r, &k, msg, mlen, m, why,
					       sizeof(why)), IKE_REASM_ERROR);
	}
	ike_reasm_free(&r);
	ike_frags_free(small, ns);
	ike_frags_free(big, nb);
	ike_frags_free(other, no);
	free(m);
}

static void fragment_limits(void **state)
{
	struct ike_sk_keys k = keys(IKEV2_ENCR_AES_CBC, 128,
				    IKEV2_INTEG_HMAC_SHA2_256_128);
	uint8_t *plain = calloc(1, 20000), msg[512];
	struct ike_frag f[IKE_SKF_MAX];
	struct ike_header h = header(8);
	struct ike_msg *m = malloc(sizeof(*m));
	struct ike_reasm r;
	size_t n = 0, mlen;
	char why[200] = "";

	(void)state;
	/* 20000 bytes in 200-byte fragments: more than allowed. */
	assert_int_equal(ike_skf_seal_all(&k, &h, IKEV2_PL_IDI, plain, 20000,
					  200, f, IKE_SKF_MAX, &n, why,
					  sizeof(why)), -1);
	assert_non_null(strstr(why, "fragments"));
	/* A fragment size that holds no data. */
	assert_int_equal(ike_skf_seal_all(&k, &h, IKEV2_PL_IDI, plain, 10,
					  60, f, IKE_SKF_MAX, &n, why,
					  sizeof(why)), -1);
	/* A received fragment claiming 100 fragments. */
	assert_int_equal(ike_skf_seal(&k, &h, IKEV2_PL_IDI, 1, 100, plain,
				      10, NULL, msg, sizeof(msg), &mlen, why,
				      sizeof(why)), 0);
	assert_int_equal(ike_msg_decode(msg, mlen, m, NULL), 0);
	ike_reasm_init(&r);
	assert_int_equal(ike_reasm_add(&r, &k, msg, mlen, m, why,
				       sizeof(why)), IKE_REASM_ERROR);
	assert_non_null(strstr(why, "100 fragments"));
	assert_int_equal(ike_skf_seal(&k, &h, IKEV2_PL_IDI, 3, 2, plain, 10,
				      NULL, msg, sizeof(msg), &mlen, why,
				      sizeof(why)), -1);
	ike_reasm_free(&r);
	free(plain);
	free(m);
}

static uint32_t rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Well-formed messages whose SK / SKF bodies are random: refused by
 * open and by reassembly, never a crash or a sanitizer report. */
static void random_bodies_refused(void **state)
{
	uint8_t body[300], msg[400], out[400];
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct ike_msg *d = malloc(sizeof(*d));
	struct ike_reasm r;
	uint32_t x = 0xdecaf;
	char why[200];

	(void)state;
	ike_reasm_init(&r);
	for (int it = 0; it < 3000; it++) {
		const struct ike_sk_alg *a = &algs[it % N_ALGS];
		struct ike_sk_keys k = keys(a->encr, a->key_bits, a->integ);
		size_t len = rnd(&x) % sizeof(body), mlen, olen;
		struct ike_payload *pl;

		for (size_t i = 0; i < len; i++)
			body[i] = (uint8_t)rnd(&x);
		memset(m, 0, sizeof(*m));
		m->hdr = header(4);
		pl = ike_msg_add(m, it % 2 ? IKEV2_PL_SK : IKEV2_PL_SKF);
		if (pl->type == IKEV2_PL_SK) {
			pl->u.sk.first_inner = IKEV2_PL_IDI;
			pl->u.sk.data = (struct ike_bytes){ body, len };
		} else {
			pl->u.skf.number = 1 + rnd(&x) % 3;
			pl->u.skf.total = 3;
			pl->u.skf.first_inner = pl->u.skf.number == 1 ? 35 : 0;
			pl->u.skf.data = (struct ike_bytes){ body, len };
		}
		assert_int_equal(ike_msg_encode(m, msg, sizeof(msg), &mlen), 0);
		assert_int_equal(ike_msg_decode(msg, mlen, d, NULL), 0);
		assert_int_equal(ike_sk_open(&k, msg, mlen, &d->payloads[0],
					     out, sizeof(out), &olen, why,
					     sizeof(why)), -1);
		if (pl->type == IKEV2_PL_SKF)
			assert_int_equal(ike_reasm_add(&r, &k, msg, mlen, d,
						       why, sizeof(why)),
					 IKE_REASM_ERROR);
	}
	assert_false(r.active);
	ike_reasm_free(&r);
	free(m);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_lengths),
		cmocka_unit_test(round_trips),
		cmocka_unit_test(tampering),
		cmocka_unit_test(truncation_and_misuse),
		cmocka_unit_test(cbc_layout_by_hand),
		cmocka_unit_test(gcm_layout_by_hand),
		cmocka_unit_test(fragments_all_ciphers),
		cmocka_unit_test(fragments_missing_forged_refragmented),
		cmocka_unit_test(fragment_limits),
		cmocka_unit_test(random_bodies_refused),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
