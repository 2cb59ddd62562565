// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 phase-1 encryption tests: a known answer for AES-128-CBC (NIST
 * SP 800-38A appendix F.2.1/F.2.2) through v1_encrypt and v1_decrypt,
 * round trips for every cipher, the IV chain across the messages of an
 * exchange, a message that is not committed leaving the chain where it
 * was, and the lengths that must be refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ikev1/crypt.h"
#include "ikev1/isakmp.h"
#include "ikev2/ikev2_const.h"
#include "hex.h"

/* SP 800-38A F.2.1 CBC-AES128.Encrypt */
static const char kat_key[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char kat_iv[] = "000102030405060708090a0b0c0d0e0f";
static const char kat_plain[] =
	"6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"
	"30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710";
static const char kat_cipher[] =
	"7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2"
	"73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7";

static uint8_t key[32];

static void header(uint8_t *msg, size_t body_len)
{
	memset(msg, 0, ISAKMP_HDR_LEN);
	memset(msg, 0x11, 8);
	memset(msg + 8, 0x22, 8);
	msg[16] = ISAKMP_PL_HASH;
	msg[17] = ISAKMP_VERSION;
	msg[18] = ISAKMP_EXCH_QUICK;
	msg[23] = 0x42;
	msg[27] = (uint8_t)(ISAKMP_HDR_LEN + body_len);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static struct v1_iv_slot slot_with(const uint8_t *iv, size_t len)
{
	struct v1_iv_slot s;

	memset(&s, 0, sizeof(s));
	s.len = len;
	s.used = true;
	memcpy(s.iv, iv, len);
	return s;
}

static void test_kat_aes128_encrypt(void **state)
{
	uint8_t msg[256], k[16], iv[16], want[64];
	struct v1_cipher c = { IKEV2_ENCR_AES_CBC, 128, k };
	struct v1_iv_slot s;
	long n;

	(void)state;
	hex_decode(kat_key, k, sizeof(k));
	hex_decode(kat_iv, iv, sizeof(iv));
	hex_decode(kat_cipher, want, sizeof(want));
	s = slot_with(iv, 16);
	header(msg, 64);
	assert_int_equal(hex_decode(kat_plain, msg + ISAKMP_HDR_LEN, 64), 64);
	n = v1_encrypt(&c, &s, msg, ISAKMP_HDR_LEN + 64, sizeof(msg));
	/* A block-aligned body still gets a block of padding. */
	assert_int_equal(n, ISAKMP_HDR_LEN + 64 + 16);
	assert_memory_equal(msg + ISAKMP_HDR_LEN, want, 64);
	assert_true(msg[19] & ISAKMP_FLAG_ENC);
	assert_int_equal(be32(msg + 24), n);
	/* The header itself stays in the clear. */
	assert_int_equal(msg[0], 0x11);
	assert_int_equal(msg[18], ISAKMP_EXCH_QUICK);
	/* The next IV is the last ciphertext block. */
	assert_memory_equal(s.iv, msg + n - 16, 16);
}

static void test_kat_aes128_decrypt(void **state)
{
	uint8_t msg[ISAKMP_HDR_LEN + 64], out[64], k[16], iv[16], want[64];
	struct v1_cipher c = { IKEV2_ENCR_AES_CBC, 128, k };
	struct v1_iv_slot s;

	(void)state;
	hex_decode(kat_key, k, sizeof(k));
	hex_decode(kat_iv, iv, sizeof(iv));
	hex_decode(kat_plain, want, sizeof(want));
	s = slot_with(iv, 16);
	header(msg, 64);
	msg[19] = ISAKMP_FLAG_ENC;
	hex_decode(kat_cipher, msg + ISAKMP_HDR_LEN, 64);
	assert_int_equal(v1_decrypt(&c, &s, msg, sizeof(msg), out), 64);
	assert_memory_equal(out, want, 64);
	/* Pending is the last ciphertext block (F.2.1 block 4), the IV
	 * moves only on commit. */
	assert_memory_equal(s.pending, msg + sizeof(msg) - 16, 16);
	assert_memory_equal(s.iv, iv, 16);
	v1_iv_commit(&s);
	assert_memory_equal(s.iv, msg + sizeof(msg) - 16, 16);
}

/* In place, as the engine may decrypt into the receive buffer. */
static void test_decrypt_in_place(void **state)
{
	uint8_t msg[ISAKMP_HDR_LEN + 64], k[16], iv[16], want[64];
	struct v1_cipher c = { IKEV2_ENCR_AES_CBC, 128, k };
	struct v1_iv_slot s;

	(void)state;
	hex_decode(kat_key, k, sizeof(k));
	hex_decode(kat_iv, iv, sizeof(iv));
	hex_decode(kat_plain, want, sizeof(want));
	s = slot_with(iv, 16);
	header(msg, 64);
	hex_decode(kat_cipher, msg + ISAKMP_HDR_LEN, 64);
	assert_int_equal(v1_decrypt(&c, &s, msg, sizeof(msg),
				    msg + ISAKMP_HDR_LEN), 64);
	assert_memory_equal(msg + ISAKMP_HDR_LEN, want, 64);
	hex_decode(kat_cipher, want, sizeof(want));
	assert_memory_equal(s.pending, want + 48, 16);
}

static const struct v1_cipher ciphers[] = {
	{ IKEV2_ENCR_AES_CBC, 128, key },
	{ IKEV2_ENCR_AES_CBC, 192, key },
	{ IKEV2_ENCR_AES_CBC, 256, key },
	{ IKEV2_ENCR_3DES, 192, key },
};

/* Both ends of an exchange: each message moves both chains the same
 * way (the sender's on encrypt, the receiver's on commit). */
static void test_round_trip_and_chain(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0xa5 ^ i * 13);
	for (size_t ci = 0; ci < sizeof(ciphers) / sizeof(ciphers[0]); ci++) {
		const struct v1_cipher *c = &ciphers[ci];
		size_t bs = v1_cipher_block_len(c->encr);
		uint8_t iv0[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
		struct v1_iv_slot a = slot_with(iv0, bs), b = a;

		for (size_t body = 0; body < 70; body += 3) {
			uint8_t msg[ISAKMP_HDR_LEN + 96], plain[96], out[96];
			struct v1_iv_slot *tx = body % 2 ? &a : &b;
			struct v1_iv_slot *rx = body % 2 ? &b : &a;
			long n;

			for (size_t j = 0; j < body; j++)
				plain[j] = (uint8_t)(j + body);
			header(msg, body);
			memcpy(msg + ISAKMP_HDR_LEN, plain, body);
			n = v1_encrypt(c, tx, msg, ISAKMP_HDR_LEN + body,
				       sizeof(msg));
			assert_true(n > (long)(ISAKMP_HDR_LEN + body));
			assert_int_equal((n - ISAKMP_HDR_LEN) % bs, 0);
			assert_true(n - ISAKMP_HDR_LEN - (long)body <=
				    (long)bs);
			assert_int_equal(v1_decrypt(c, rx, msg, (size_t)n, out),
					 n - ISAKMP_HDR_LEN);
			assert_memory_equal(out, plain, body);
			/* Padding: zeros, the last byte counting them. */
			assert_int_equal(out[n - ISAKMP_HDR_LEN - 1],
					 n - ISAKMP_HDR_LEN - body - 1);
			v1_iv_commit(rx);
			assert_memory_equal(a.iv, b.iv, bs);
			assert_memory_equal(a.iv, msg + n - bs, bs);
		}
	}
}

/*
 * A message that decrypts but whose HASH fails is never committed: the
 * next genuine message still decrypts with the old IV. A message with a
 * bad length fails without touching the slot.
 */
static void test_failed_message_keeps_chain(void **state)
{
	const struct v1_cipher *c = &ciphers[0];
	uint8_t iv0[16] = { 9 }, good[ISAKMP_HDR_LEN + 48];
	uint8_t forged[ISAKMP_HDR_LEN + 48], out[64];
	struct v1_iv_slot tx = slot_with(iv0, 16), rx = tx, before;
	long n;

	(void)state;
	header(good, 20);
	memset(good + ISAKMP_HDR_LEN, 0x77, 20);
	n = v1_encrypt(c, &tx, good, ISAKMP_HDR_LEN + 20, sizeof(good));
	assert_int_equal(n, ISAKMP_HDR_LEN + 32);
	/* Forged: the same header, other ciphertext. */
	memcpy(forged, good, (size_t)n);
	forged[n - 1] ^= 0xff;
	assert_int_equal(v1_decrypt(c, &rx, forged, (size_t)n, out), 32);
	assert_memory_equal(rx.iv, iv0, 16);	/* not committed */
	before = rx;
	assert_int_equal(v1_decrypt(c, &rx, forged, (size_t)n - 1, out), -1);
	assert_memory_equal(&rx, &before, sizeof(rx));
	assert_int_equal(v1_decrypt(c, &rx, good, (size_t)n, out), 32);
	for (int i = 0; i < 20; i++)
		assert_int_equal(out[i], 0x77);
	v1_iv_commit(&rx);
	assert_memory_equal(rx.iv, tx.iv, 16);
}

static void test_bad_lengths(void **state)
{
	uint8_t iv0[16] = { 0 }, msg[ISAKMP_HDR_LEN + 64], out[64];
	struct v1_iv_slot s = slot_with(iv0, 16), before = s;
	struct v1_cipher bad_bits = { IKEV2_ENCR_AES_CBC, 100, key };
	struct v1_cipher bad_alg = { IKEV2_ENCR_AES_GCM_16, 128, key };

	(void)state;
	header(msg, 20);
	/* No room for the padding */
	assert_int_equal(v1_encrypt(&ciphers[0], &s, msg, ISAKMP_HDR_LEN + 20,
				    ISAKMP_HDR_LEN + 31), -1);
	/* Shorter than a header */
	assert_int_equal(v1_encrypt(&ciphers[0], &s, msg, 27, sizeof(msg)),
			 -1);
	/* Cipher not for IKEv1 phase 1, key length not AES's */
	assert_int_equal(v1_encrypt(&bad_alg, &s, msg, ISAKMP_HDR_LEN + 20,
				    sizeof(msg)), -1);
	assert_int_equal(v1_encrypt(&bad_bits, &s, msg, ISAKMP_HDR_LEN + 20,
				    sizeof(msg)), -1);
	/* A slot set up for another block size */
	assert_int_equal(v1_encrypt(&ciphers[3], &s, msg, ISAKMP_HDR_LEN + 20,
				    sizeof(msg)), -1);
	assert_memory_equal(&s, &before, sizeof(s));
	/* Decryption: not a multiple of the block, empty, header only */
	assert_int_equal(v1_decrypt(&ciphers[0], &s, msg, ISAKMP_HDR_LEN + 20,
				    out), -1);
	assert_int_equal(v1_decrypt(&ciphers[0], &s, msg, ISAKMP_HDR_LEN,
				    out), -1);
	assert_int_equal(v1_decrypt(&ciphers[0], &s, msg, 10, out), -1);
	assert_int_equal(v1_decrypt(&ciphers[3], &s, msg, ISAKMP_HDR_LEN + 16,
				    out), -1);
	assert_int_equal(v1_decrypt(&bad_bits, &s, msg, ISAKMP_HDR_LEN + 16,
				    out), -1);
	assert_memory_equal(&s, &before, sizeof(s));
}

static void test_lengths(void **state)
{
	(void)state;
	assert_int_equal(v1_cipher_block_len(IKEV2_ENCR_AES_CBC), 16);
	assert_int_equal(v1_cipher_block_len(IKEV2_ENCR_3DES), 8);
	assert_int_equal(v1_cipher_block_len(IKEV2_ENCR_AES_GCM_16), 0);
	assert_int_equal(v1_cipher_key_len(IKEV2_ENCR_AES_CBC, 128), 16);
	assert_int_equal(v1_cipher_key_len(IKEV2_ENCR_AES_CBC, 192), 24);
	assert_int_equal(v1_cipher_key_len(IKEV2_ENCR_AES_CBC, 256), 32);
	assert_int_equal(v1_cipher_key_len(IKEV2_ENCR_AES_CBC, 0), 0);
	assert_int_equal(v1_cipher_key_len(IKEV2_ENCR_3DES, 192), 24);
	assert_int_equal(v1_cipher_key_len(0, 128), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kat_aes128_encrypt),
		cmocka_unit_test(test_kat_aes128_decrypt),
		cmocka_unit_test(test_decrypt_in_place),
		cmocka_unit_test(test_round_trip_and_chain),
		cmocka_unit_test(test_failed_message_keeps_chain),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
