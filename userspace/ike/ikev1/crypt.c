// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 phase-1 encryption (ikev1/crypt.h): CBC over OpenSSL's EVP with
 * OpenSSL's padding off, since IKEv1's padding is ours to write and the
 * payload lengths, not the padding, say where the plaintext ends.
 */
#include <string.h>

#include <openssl/evp.h>

#include "ikev1/crypt.h"
#include "ikev1/isakmp.h"
#include "ikev2/ikev2_const.h"

size_t v1_cipher_block_len(uint16_t encr)
{
	switch (encr) {
	case IKEV2_ENCR_AES_CBC: return 16;
	case IKEV2_ENCR_3DES: return 8;
	default: return 0;
	}
}

size_t v1_cipher_key_len(uint16_t encr, uint16_t key_bits)
{
	if (encr == IKEV2_ENCR_3DES)
		return 24;
	if (encr == IKEV2_ENCR_AES_CBC &&
	    (key_bits == 128 || key_bits == 192 || key_bits == 256))
		return key_bits / 8;
	return 0;
}

static const char *cipher_name(const struct v1_cipher *c)
{
	if (c->encr == IKEV2_ENCR_3DES)
		return "DES-EDE3-CBC";
	if (c->encr != IKEV2_ENCR_AES_CBC)
		return NULL;
	switch (c->key_bits) {
	case 128: return "AES-128-CBC";
	case 192: return "AES-192-CBC";
	case 256: return "AES-256-CBC";
	default: return NULL;
	}
}

/* One CBC pass over len bytes (a multiple of the block size) from in
 * to out, which may be the same buffer. */
static int cbc(const struct v1_cipher *c, bool enc, const uint8_t *iv,
	       const uint8_t *in, size_t len, uint8_t *out)
{
	const char *name = cipher_name(c);
	EVP_CIPHER *alg = name ? EVP_CIPHER_fetch(NULL, name, NULL) : NULL;
	EVP_CIPHER_CTX *ctx = alg ? EVP_CIPHER_CTX_new() : NULL;
	int n = 0, fin = 0, rc = -1;

	if (!ctx || len > INT32_MAX ||
	    !EVP_CipherInit_ex2(ctx, alg, c->key, iv, enc ? 1 : 0, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_CipherUpdate(ctx, out, &n, in, (int)len) ||
	    !EVP_CipherFinal_ex(ctx, out + n, &fin))
		goto out;
	rc = (size_t)(n + fin) == len ? 0 : -1;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(alg);
	return rc;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Padding: 1 to block-size bytes, zeros but for the last, which counts
 * the padding bytes before it (as racoon, IOS and ESP write it). There
 * is always some, so a receiver that strips by that byte never eats
 * plaintext.
 */
long v1_encrypt(const struct v1_cipher *c, struct v1_iv_slot *slot,
		uint8_t *msg, size_t len, size_t cap)
{
	size_t bs = v1_cipher_block_len(c->encr), body, pad, total;

	if (!bs || slot->len != bs || len < ISAKMP_HDR_LEN || cap < len)
		return -1;
	body = len - ISAKMP_HDR_LEN;
	pad = bs - body % bs;
	total = len + pad;
	if (total > cap || total > UINT16_MAX)
		return -1;
	memset(msg + len, 0, pad);
	msg[total - 1] = (uint8_t)(pad - 1);
	msg[19] |= ISAKMP_FLAG_ENC;
	put_be32(msg + 24, (uint32_t)total);
	if (cbc(c, true, slot->iv, msg + ISAKMP_HDR_LEN, body + pad,
		msg + ISAKMP_HDR_LEN) < 0)
		return -1;
	memcpy(slot->iv, msg + total - bs, bs);
	return (long)total;
}

long v1_decrypt(const struct v1_cipher *c, struct v1_iv_slot *slot,
		const uint8_t *msg, size_t len, uint8_t *out)
{
	size_t bs = v1_cipher_block_len(c->encr), body;
	uint8_t next[V1_BLOCK_MAX];

	if (!bs || slot->len != bs || len <= ISAKMP_HDR_LEN)
		return -1;
	body = len - ISAKMP_HDR_LEN;
	if (body % bs)
		return -1;
	/* Taken before decrypting: out may overlap msg. */
	memcpy(next, msg + len - bs, bs);
	if (cbc(c, false, slot->iv, msg + ISAKMP_HDR_LEN, body, out) < 0)
		return -1;
	memcpy(slot->pending, next, bs);
	return (long)body;
}

void v1_iv_commit(struct v1_iv_slot *slot)
{
	memcpy(slot->iv, slot->pending, slot->len);
}
