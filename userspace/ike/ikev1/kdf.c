// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 key derivation (ikev1/kdf.h, RFC 2409 section 5 and appendix
 * B). Every formula is one ike_prf call over a list of pieces, so no
 * secret is copied into a concatenation buffer; the exceptions are the
 * signature SKEYID, whose key is Ni_b | Nr_b (public), and the chained
 * blocks of Ka and KEYMAT, wiped after use.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ikev1/kdf.h"

#define CHUNK(p, n) ((struct ike_chunk){ (p), (n) })

static void be32(uint32_t v, uint8_t out[4])
{
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

int v1_skeyid(uint16_t prf, const uint8_t *psk, size_t psk_len,
	      const uint8_t *ni, size_t ni_len, const uint8_t *nr,
	      size_t nr_len, const uint8_t *gxy, size_t gxy_len,
	      uint8_t *out)
{
	struct ike_chunk nonces[2] = { CHUNK(ni, ni_len), CHUNK(nr, nr_len) };
	struct ike_chunk secret = CHUNK(gxy, gxy_len);
	uint8_t key[512];		/* two nonces of at most 256 bytes */

	if (psk)
		return ike_prf(prf, psk, psk_len, nonces, 2, out);
	if (ni_len > sizeof(key) - nr_len || nr_len > sizeof(key))
		return -1;
	memcpy(key, ni, ni_len);
	memcpy(key + ni_len, nr, nr_len);
	return ike_prf(prf, key, ni_len + nr_len, &secret, 1, out);
}

/* SKEYID_x = prf(SKEYID, [previous] | g^xy | CKY-I | CKY-R | x) */
static int skeyid_x(const struct v1_keys *k, const uint8_t *prev,
		    const uint8_t *gxy, size_t gxy_len,
		    const uint8_t cky_i[8], const uint8_t cky_r[8], uint8_t x,
		    uint8_t *out)
{
	struct ike_chunk in[5] = {
		CHUNK(prev, prev ? k->prf_len : 0), CHUNK(gxy, gxy_len),
		CHUNK(cky_i, 8), CHUNK(cky_r, 8), CHUNK(&x, 1),
	};

	return ike_prf(k->prf, k->skeyid, k->prf_len, in, 5, out);
}

/* Appendix B: Ka is SKEYID_e cut to size, or K1 | K2 | ... with K1 =
 * prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1) when SKEYID_e is short. */
static int cipher_key(struct v1_keys *k)
{
	uint8_t block[IKE_PRF_MAX_LEN], zero = 0;
	struct ike_chunk in = CHUNK(&zero, 1);
	size_t done = 0;

	if (k->enc_len <= k->prf_len) {
		memcpy(k->enc_key, k->skeyid_e, k->enc_len);
		return 0;
	}
	while (done < k->enc_len) {
		size_t n = k->enc_len - done < k->prf_len ?
			   k->enc_len - done : k->prf_len;

		if (ike_prf(k->prf, k->skeyid_e, k->prf_len, &in, 1,
			    block) < 0) {
			OPENSSL_cleanse(block, sizeof(block));
			return -1;
		}
		memcpy(k->enc_key + done, block, n);
		done += n;
		in = CHUNK(k->enc_key + done - k->prf_len, k->prf_len);
	}
	OPENSSL_cleanse(block, sizeof(block));
	return 0;
}

int v1_keys_derive(uint16_t prf, const uint8_t *skeyid, const uint8_t *gxy,
		   size_t gxy_len, const uint8_t cky_i[8],
		   const uint8_t cky_r[8], size_t enc_len,
		   struct v1_keys *out)
{
	size_t len = ike_prf_len(prf);

	memset(out, 0, sizeof(*out));
	if (!len || len > V1_KEY_MAX || enc_len > V1_KEY_MAX)
		return -1;
	out->prf = prf;
	out->prf_len = len;
	out->enc_len = enc_len;
	memcpy(out->skeyid, skeyid, len);
	if (skeyid_x(out, NULL, gxy, gxy_len, cky_i, cky_r, 0,
		     out->skeyid_d) < 0 ||
	    skeyid_x(out, out->skeyid_d, gxy, gxy_len, cky_i, cky_r, 1,
		     out->skeyid_a) < 0 ||
	    skeyid_x(out, out->skeyid_a, gxy, gxy_len, cky_i, cky_r, 2,
		     out->skeyid_e) < 0 ||
	    cipher_key(out) < 0) {
		v1_keys_wipe(out);
		return -1;
	}
	return 0;
}

void v1_keys_wipe(struct v1_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

/* iv = hash(in[0] | in[1]), the first block_len bytes. */
static int hash_iv(uint16_t prf, const struct ike_chunk in[2],
		   size_t block_len, uint8_t *iv)
{
	const char *name = ike_prf_digest(prf);
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	EVP_MD *alg = name ? EVP_MD_fetch(NULL, name, NULL) : NULL;
	EVP_MD_CTX *ctx = alg ? EVP_MD_CTX_new() : NULL;
	int rc = -1;

	if (!ctx || !EVP_DigestInit_ex2(ctx, alg, NULL))
		goto out;
	for (int i = 0; i < 2; i++)
		if (!EVP_DigestUpdate(ctx, in[i].ptr, in[i].len))
			goto out;
	if (!EVP_DigestFinal_ex(ctx, md, &md_len) || block_len > md_len)
		goto out;
	memcpy(iv, md, block_len);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(alg);
	return rc;
}

int v1_iv_phase1(uint16_t prf, const uint8_t *gxi, size_t gxi_len,
		 const uint8_t *gxr, size_t gxr_len, size_t block_len,
		 uint8_t *iv)
{
	struct ike_chunk in[2] = { CHUNK(gxi, gxi_len), CHUNK(gxr, gxr_len) };

	return hash_iv(prf, in, block_len, iv);
}

int v1_iv_exchange(uint16_t prf, const uint8_t *last_block,
		   size_t block_len, uint32_t msg_id, uint8_t *iv)
{
	uint8_t mid[4];
	struct ike_chunk in[2] = { CHUNK(last_block, block_len),
				   CHUNK(mid, 4) };

	be32(msg_id, mid);
	return hash_iv(prf, in, block_len, iv);
}

int v1_hash_phase1(const struct v1_keys *k, bool initiator,
		   const uint8_t *gxi, size_t gxi_len, const uint8_t *gxr,
		   size_t gxr_len, const uint8_t cky_i[8],
		   const uint8_t cky_r[8], const uint8_t *sa_b, size_t sa_len,
		   const uint8_t *id_b, size_t id_len, uint8_t *out)
{
	/* HASH_R swaps the public values and the cookies, not SAi_b. */
	struct ike_chunk in[6] = {
		initiator ? CHUNK(gxi, gxi_len) : CHUNK(gxr, gxr_len),
		initiator ? CHUNK(gxr, gxr_len) : CHUNK(gxi, gxi_len),
		CHUNK(initiator ? cky_i : cky_r, 8),
		CHUNK(initiator ? cky_r : cky_i, 8),
		CHUNK(sa_b, sa_len), CHUNK(id_b, id_len),
	};

	return ike_prf(k->prf, k->skeyid, k->prf_len, in, 6, out);
}

int v1_hash_qm1(const struct v1_keys *k, uint32_t msg_id,
		const uint8_t *rest, size_t rest_len, uint8_t *out)
{
	uint8_t mid[4];
	struct ike_chunk in[2] = { CHUNK(mid, 4), CHUNK(rest, rest_len) };

	be32(msg_id, mid);
	return ike_prf(k->prf, k->skeyid_a, k->prf_len, in, 2, out);
}

int v1_hash_qm2(const struct v1_keys *k, uint32_t msg_id,
		const uint8_t *ni, size_t ni_len, const uint8_t *rest,
		size_t rest_len, uint8_t *out)
{
	uint8_t mid[4];
	struct ike_chunk in[3] = { CHUNK(mid, 4), CHUNK(ni, ni_len),
				   CHUNK(rest, rest_len) };

	be32(msg_id, mid);
	return ike_prf(k->prf, k->skeyid_a, k->prf_len, in, 3, out);
}

int v1_hash_qm3(const struct v1_keys *k, uint32_t msg_id,
		const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		size_t nr_len, uint8_t *out)
{
	uint8_t zero = 0, mid[4];
	struct ike_chunk in[4] = { CHUNK(&zero, 1), CHUNK(mid, 4),
				   CHUNK(ni, ni_len), CHUNK(nr, nr_len) };

	be32(msg_id, mid);
	return ike_prf(k->prf, k->skeyid_a, k->prf_len, in, 4, out);
}

int v1_keymat(const struct v1_keys *k, const uint8_t *gqm, size_t gqm_len,
	      uint8_t protocol, uint32_t spi, const uint8_t *ni,
	      size_t ni_len, const uint8_t *nr, size_t nr_len, uint8_t *out,
	      size_t out_len)
{
	uint8_t block[IKE_PRF_MAX_LEN], s[4];
	struct ike_chunk in[6] = {
		CHUNK(NULL, 0), CHUNK(gqm, gqm ? gqm_len : 0),
		CHUNK(&protocol, 1), CHUNK(s, 4), CHUNK(ni, ni_len),
		CHUNK(nr, nr_len),
	};
	size_t done = 0;

	if (!k->prf_len)
		return -1;
	be32(spi, s);
	while (done < out_len) {
		size_t n = out_len - done < k->prf_len ?
			   out_len - done : k->prf_len;

		/* K1 has no previous block; Kn starts with Kn-1. */
		if (ike_prf(k->prf, k->skeyid_d, k->prf_len, in, 6,
			    block) < 0) {
			OPENSSL_cleanse(block, sizeof(block));
			OPENSSL_cleanse(out, out_len);
			return -1;
		}
		memcpy(out + done, block, n);
		in[0] = CHUNK(out + done, k->prf_len);
		done += n;
	}
	OPENSSL_cleanse(block, sizeof(block));
	return 0;
}
