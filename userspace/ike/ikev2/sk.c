// SPDX-License-Identifier: GPL-2.0
/*
 * SK and SKF payload protection: one function to seal a message whose
 * only payload is SK or SKF, one to open such a payload.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto/prf.h"
#include "ikev2/ikev2_const.h"
#include "ikev2/sk.h"
#include "core/util.h"

#define GCM_SALT 4
#define GCM_IV 8
#define GCM_ICV 16
#define MAX_IV 16

/* ---------------------------------------------------------------- */
/* Algorithm parameters */

struct cipher {
	const char *name;		/* OpenSSL cipher name */
	size_t key, iv, block;		/* key without salt */
	bool aead;
	uint16_t prf;			/* HMAC behind the ICV (CBC) */
	size_t icv, integ_key;
};

/* The integrity transform as the PRF with the same HMAC (crypto.c) and
 * the truncation of RFC 4868 2.1 / RFC 2404 / RFC 2403. */
static bool integ_params(uint16_t integ, struct cipher *c)
{
	switch (integ) {
	case IKEV2_INTEG_HMAC_MD5_96:
		c->prf = IKEV2_PRF_HMAC_MD5;
		c->integ_key = 16;
		c->icv = 12;
		return true;
	case IKEV2_INTEG_HMAC_SHA1_96:
		c->prf = IKEV2_PRF_HMAC_SHA1;
		c->integ_key = 20;
		c->icv = 12;
		return true;
	case IKEV2_INTEG_HMAC_SHA2_256_128:
	case IKEV2_INTEG_HMAC_SHA2_384_192:
	case IKEV2_INTEG_HMAC_SHA2_512_256:
		c->prf = integ == IKEV2_INTEG_HMAC_SHA2_256_128 ?
			IKEV2_PRF_HMAC_SHA2_256 :
			integ == IKEV2_INTEG_HMAC_SHA2_384_192 ?
			IKEV2_PRF_HMAC_SHA2_384 : IKEV2_PRF_HMAC_SHA2_512;
		c->integ_key = ike_prf_len(c->prf);
		c->icv = c->integ_key / 2;
		return true;
	default:
		return false;
	}
}

static bool cipher_params(const struct ike_sk_alg *a, struct cipher *c)
{
	static const char *const cbc[] = { "AES-128-CBC", "AES-192-CBC",
					   "AES-256-CBC" };
	static const char *const gcm[] = { "AES-128-GCM", "AES-192-GCM",
					   "AES-256-GCM" };
	int i = a->key_bits == 128 ? 0 : a->key_bits == 192 ? 1 :
		a->key_bits == 256 ? 2 : -1;

	memset(c, 0, sizeof(*c));
	switch (a->encr) {
	case IKEV2_ENCR_AES_GCM_16:
		if (i < 0 || a->integ != IKEV2_INTEG_NONE)
			return false;
		*c = (struct cipher){ gcm[i], a->key_bits / 8, GCM_IV, 1,
				      true, 0, GCM_ICV, 0 };
		return true;
	case IKEV2_ENCR_AES_CBC:
		if (i < 0)
			return false;
		*c = (struct cipher){ cbc[i], a->key_bits / 8, 16, 16, false,
				      0, 0, 0 };
		return integ_params(a->integ, c);
	case IKEV2_ENCR_3DES:
		*c = (struct cipher){ "DES-EDE3-CBC", 24, 8, 8, false, 0, 0,
				      0 };
		return integ_params(a->integ, c);
	default:
		return false;
	}
}

size_t ike_sk_encr_key_len(const struct ike_sk_alg *alg)
{
	struct cipher c;

	if (!cipher_params(alg, &c))
		return 0;
	return c.key + (c.aead ? GCM_SALT : 0);
}

size_t ike_sk_integ_key_len(const struct ike_sk_alg *alg)
{
	struct cipher c;

	return cipher_params(alg, &c) ? c.integ_key : 0;
}

static size_t pad_len(const struct cipher *c, size_t plain_len)
{
	return (c->block - (plain_len + 1) % c->block) % c->block;
}

size_t ike_sk_overhead(const struct ike_sk_alg *alg, size_t plain_len)
{
	struct cipher c;

	if (!cipher_params(alg, &c))
		return 0;
	return IKEV2_GENERIC_HDR_LEN + c.iv + pad_len(&c, plain_len) + 1 +
	       c.icv;
}

static int check_keys(const struct ike_sk_keys *k, struct cipher *c,
		      char *why, size_t len)
{
	if (!cipher_params(&k->alg, c))
		return failf(why, len, "unsupported SK algorithms (encr %u/"
			     "%u, integ %u)", k->alg.encr, k->alg.key_bits,
			     k->alg.integ);
	if (!k->encr_key ||
	    k->encr_len != c->key + (c->aead ? GCM_SALT : 0))
		return failf(why, len, "SK_e of %zu bytes", k->encr_len);
	if (!c->aead && (!k->integ_key || k->integ_len != c->integ_key))
		return failf(why, len, "SK_a of %zu bytes", k->integ_len);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Primitives */

/* ICV of CBC modes: HMAC over msg[0..len), truncated. */
static int cbc_icv(const struct ike_sk_keys *k, const struct cipher *c,
		   const uint8_t *msg, size_t len, uint8_t *icv)
{
	struct ike_chunk in = { msg, len };
	uint8_t full[IKE_PRF_MAX_LEN];

	if (ike_prf(c->prf, k->integ_key, k->integ_len, &in, 1, full) < 0)
		return -1;
	memcpy(icv, full, c->icv);
	OPENSSL_cleanse(full, sizeof(full));
	return 0;
}

/* En/decrypt buf[0..len) in place. For GCM: aad, and the tag written
 * (encrypt) or checked (decrypt). */
static int sk_crypt(const struct ike_sk_keys *k, const struct cipher *c,
		 bool enc, const uint8_t *iv, const uint8_t *aad,
		 size_t aad_len, uint8_t *buf, size_t len, uint8_t *tag)
{
	EVP_CIPHER *ciph = EVP_CIPHER_fetch(NULL, c->name, NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t nonce[GCM_SALT + GCM_IV];
	int n = 0, ok;

	ok = ciph && ctx;
	if (ok && c->aead) {
		/* RFC 5282 4: nonce = salt (end of SK_e) | IV. */
		memcpy(nonce, k->encr_key + c->key, GCM_SALT);
		memcpy(nonce + GCM_SALT, iv, GCM_IV);
		ok = EVP_CipherInit_ex2(ctx, ciph, NULL, NULL, enc, NULL) &&
		     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN,
					 sizeof(nonce), NULL) &&
		     EVP_CipherInit_ex2(ctx, NULL, k->encr_key, nonce, enc,
					NULL) &&
		     EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aad_len) &&
		     (enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
						 GCM_ICV, tag));
	} else if (ok) {
		ok = EVP_CipherInit_ex2(ctx, ciph, k->encr_key, iv, enc,
					NULL) &&
		     EVP_CIPHER_CTX_set_padding(ctx, 0);
	}
	ok = ok && (len == 0 || EVP_CipherUpdate(ctx, buf, &n, buf,
						 (int)len)) &&
	     EVP_CipherFinal_ex(ctx, buf + n, &n);
	if (ok && c->aead && enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, GCM_ICV,
					 tag);
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(ciph);
	return ok ? 0 : -1;
}

/* ---------------------------------------------------------------- */
/* Sealing */

/* Encode header + payload pl (SK or SKF) whose body is a zeroed area of
 * body_len; returns where that area starts. */
static int encode_shell(const struct ike_header *hdr, struct ike_payload *pl,
			size_t body_len, uint8_t *out, size_t cap,
			size_t *out_len, size_t *body_off)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	uint8_t *zero = calloc(1, body_len ? body_len : 1);
	int rc = -1;

	if (m && zero) {
		m->hdr = *hdr;
		m->payloads[0] = *pl;
		m->n_payloads = 1;
		if (pl->type == IKEV2_PL_SK)
			m->payloads[0].u.sk.data =
				(struct ike_bytes){ zero, body_len };
		else
			m->payloads[0].u.skf.data =
				(struct ike_bytes){ zero, body_len };
		rc = ike_msg_encode(m, out, cap, out_len);
		*body_off = *out_len - body_len;
	}
	free(m);
	free(zero);
	return rc;
}

static int seal(const struct ike_sk_keys *k, const struct ike_header *hdr,
		struct ike_payload *pl, const uint8_t *plain,
		size_t plain_len, const uint8_t *iv, uint8_t *out, size_t cap,
		size_t *out_len, char *why, size_t why_len)
{
	struct cipher c;
	size_t pad, ct_len, body, at;
	uint8_t *ivp, *ct, *icv;

	*out_len = 0;
	if (check_keys(k, &c, why, why_len) < 0)
		return -1;
	if (plain_len && !plain)
		return failf(why, why_len, "no plaintext");
	pad = pad_len(&c, plain_len);
	ct_len = plain_len + pad + 1;
	body = c.iv + ct_len + c.icv;
	if (plain_len > IKE_MAX_MSG_LEN ||
	    encode_shell(hdr, pl, body, out, cap, out_len, &at) < 0)
		return failf(why, why_len, "message of %zu inner bytes does "
			     "not fit", plain_len);
	ivp = out + at;
	ct = ivp + c.iv;
	icv = ct + ct_len;
	if (iv)
		memcpy(ivp, iv, c.iv);
	else if (RAND_bytes(ivp, (int)c.iv) != 1)
		return failf(why, why_len, "no random IV");
	if (plain_len)
		memcpy(ct, plain, plain_len);
	memset(ct + plain_len, 0, pad);	/* RFC 7296 3.14: any value */
	ct[plain_len + pad] = (uint8_t)pad;
	if (sk_crypt(k, &c, true, ivp, out, at, ct, ct_len, icv) < 0 ||
	    (!c.aead && cbc_icv(k, &c, out, (size_t)(icv - out), icv) < 0))
		return failf(why, why_len, "encryption failed");
	return 0;
}

int ike_sk_seal(const struct ike_sk_keys *k, const struct ike_header *hdr,
		uint8_t first_inner, const uint8_t *plain, size_t plain_len,
		const uint8_t *iv, uint8_t *out, size_t cap, size_t *out_len,
		char *why, size_t why_len)
{
	struct ike_payload pl = { .type = IKEV2_PL_SK };

	pl.u.sk.first_inner = first_inner;
	return seal(k, hdr, &pl, plain, plain_len, iv, out, cap, out_len,
		    why, why_len);
}

int ike_skf_seal(const struct ike_sk_keys *k, const struct ike_header *hdr,
		 uint8_t first_inner, uint16_t number, uint16_t total,
		 const uint8_t *chunk, size_t len, const uint8_t *iv,
		 uint8_t *out, size_t cap, size_t *out_len, char *why,
		 size_t why_len)
{
	struct ike_payload pl = { .type = IKEV2_PL_SKF };

	if (number == 0 || number > total)
		return failf(why, why_len, "fragment %u of %u", number, total);
	pl.u.skf.first_inner = number == 1 ? first_inner : 0;
	pl.u.skf.number = number;
	pl.u.skf.total = total;
	return seal(k, hdr, &pl, chunk, len, iv, out, cap, out_len, why,
		    why_len);
}

/* ---------------------------------------------------------------- */
/* Opening */

static int payload_body(const uint8_t *msg, size_t msg_len,
			const struct ike_payload *pl, size_t *off,
			size_t *len, char *why, size_t why_len)
{
	const struct ike_bytes *b;

	if (!pl || (pl->type != IKEV2_PL_SK && pl->type != IKEV2_PL_SKF))
		return failf(why, why_len, "not an SK or SKF payload");
	b = pl->type == IKEV2_PL_SK ? &pl->u.sk.data : &pl->u.skf.data;
	/* The body must be the tail of this very buffer: the ICV covers
	 * everything before it. */
	if (!b->ptr || b->ptr < msg || b->ptr > msg + msg_len ||
	    (size_t)(msg + msg_len - b->ptr) != b->len)
		return failf(why, why_len, "encrypted payload is not the end "
			     "of the message");
	*off = (size_t)(b->ptr - msg);
	*len = b->len;
	return 0;
}

int ike_sk_open(const struct ike_sk_keys *k, const uint8_t *msg,
		size_t msg_len, const struct ike_payload *pl, uint8_t *plain,
		size_t cap, size_t *plain_len, char *why, size_t why_len)
{
	struct cipher c;
	size_t off = 0, len = 0, ct_len, pad;
	uint8_t icv[64];
	const uint8_t *iv, *ct, *tag;

	*plain_len = 0;
	if (check_keys(k, &c, why, why_len) < 0 ||
	    payload_body(msg, msg_len, pl, &off, &len, why, why_len) < 0)
		return -1;
	if (len < c.iv + c.block + c.icv)
		return failf(why, why_len, "encrypted payload of %zu bytes is "
			     "too short", len);
	ct_len = len - c.iv - c.icv;
	if (ct_len % c.block)
		return failf(why, why_len, "ciphertext of %zu bytes is not a "
			     "multiple of %zu", ct_len, c.block);
	if (ct_len > cap)
		return failf(why, why_len, "no room for %zu bytes of "
			     "plaintext", ct_len);
	iv = msg + off;
	ct = iv + c.iv;
	tag = ct + ct_len;
	if (!c.aead && (cbc_icv(k, &c, msg, (size_t)(tag - msg), icv) < 0 ||
			CRYPTO_memcmp(icv, tag, c.icv) != 0))
		return failf(why, why_len, "integrity check failed");
	memcpy(plain, ct, ct_len);
	if (sk_crypt(k, &c, false, iv, msg, off, plain, ct_len,
		  (uint8_t *)tag /* only read: OpenSSL copies it */) < 0) {
		OPENSSL_cleanse(plain, ct_len);
		return failf(why, why_len, c.aead ? "integrity check failed "
			     "(AES-GCM tag)" : "decryption failed");
	}
	pad = plain[ct_len - 1];
	if (pad + 1 > ct_len) {
		OPENSSL_cleanse(plain, ct_len);
		return failf(why, why_len, "pad length %zu in %zu bytes", pad,
			     ct_len);
	}
	*plain_len = ct_len - pad - 1;
	return 0;
}
