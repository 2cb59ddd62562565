// SPDX-License-Identifier: GPL-2.0
/*
 * PRF = HMAC with the digest the transform names. MD5 is kept for IOS
 * peers configured with "integrity md5" (legacy, never proposed by us
 * unless configured).
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/prf.h"
#include "ikev2/ikev2_const.h"

static const struct {
	uint16_t id;
	const char *digest;
	size_t len;
} prf_table[] = {
	{ IKEV2_PRF_HMAC_MD5, "MD5", 16 },
	{ IKEV2_PRF_HMAC_SHA1, "SHA1", 20 },
	{ IKEV2_PRF_HMAC_SHA2_256, "SHA256", 32 },
	{ IKEV2_PRF_HMAC_SHA2_384, "SHA384", 48 },
	{ IKEV2_PRF_HMAC_SHA2_512, "SHA512", 64 },
};

size_t ike_prf_len(uint16_t prf)
{
	for (size_t i = 0; i < sizeof(prf_table) / sizeof(prf_table[0]); i++)
		if (prf_table[i].id == prf)
			return prf_table[i].len;
	return 0;
}

const char *ike_prf_digest(uint16_t prf)
{
	for (size_t i = 0; i < sizeof(prf_table) / sizeof(prf_table[0]); i++)
		if (prf_table[i].id == prf)
			return prf_table[i].digest;
	return NULL;
}

/* One MAC context per call: prf is called a few dozen times per SA
 * setup, so caching a fetched EVP_MAC buys nothing worth shared state. */
int ike_prf(uint16_t prf, const uint8_t *key, size_t key_len,
	    const struct ike_chunk *in, size_t n_in, uint8_t *out)
{
	const char *digest = ike_prf_digest(prf);
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	size_t out_len = 0;
	int rc = -1;

	if (!digest)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	/* An empty key is legal HMAC input; OpenSSL wants a non-NULL ptr. */
	if (!ctx || !EVP_MAC_init(ctx, key_len ? key : (const uint8_t *)"",
				  key_len, params))
		goto out;
	for (size_t i = 0; i < n_in; i++)
		if (in[i].len && !EVP_MAC_update(ctx, in[i].ptr, in[i].len))
			goto out;
	if (!EVP_MAC_final(ctx, out, &out_len, ike_prf_len(prf)))
		goto out;
	rc = out_len == ike_prf_len(prf) ? 0 : -1;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return rc;
}
