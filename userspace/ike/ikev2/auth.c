// SPDX-License-Identifier: GPL-2.0
/*
 * AUTH octets, pre-shared-key AUTH, the SIGNATURE_HASH_ALGORITHMS notify
 * and the choice of signature algorithm. The signatures themselves are
 * in auth_sig.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>

#include "ikev2/auth.h"
#include "crypto/prf.h"
#include "ikev2/ikev2_const.h"

int ike_auth_octets(uint16_t prf, const uint8_t *sk_p, size_t sk_p_len,
		    const uint8_t *msg, size_t msg_len, const uint8_t *nonce,
		    size_t nonce_len, uint8_t id_type, const uint8_t *id,
		    size_t id_len, uint8_t **out, size_t *out_len)
{
	const uint8_t id_hdr[4] = { id_type, 0, 0, 0 };
	struct ike_chunk rest[2] = { { id_hdr, 4 }, { id, id_len } };
	size_t plen = ike_prf_len(prf);
	uint8_t *buf;

	*out = NULL;
	*out_len = 0;
	if (!plen || msg_len > SIZE_MAX - nonce_len - plen)
		return -1;
	buf = malloc(msg_len + nonce_len + plen);
	if (!buf)
		return -1;
	if (msg_len)
		memcpy(buf, msg, msg_len);
	if (nonce_len)
		memcpy(buf + msg_len, nonce, nonce_len);
	/* MACedIDFor{I,R} = prf(SK_p, RestOfIDPayload). */
	if (ike_prf(prf, sk_p, sk_p_len, rest, 2,
		    buf + msg_len + nonce_len) < 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = msg_len + nonce_len + plen;
	return 0;
}

/* The key pad of RFC 7296 2.15: 17 ASCII bytes, no terminating NUL. */
static const uint8_t key_pad[] = "Key Pad for IKEv2";

int ike_auth_psk(uint16_t prf, const uint8_t *psk, size_t psk_len,
		 const uint8_t *octets, size_t len, uint8_t *out,
		 size_t *out_len)
{
	struct ike_chunk pad = { key_pad, sizeof(key_pad) - 1 };
	struct ike_chunk data = { octets, len };
	uint8_t k[IKE_PRF_MAX_LEN];
	size_t plen = ike_prf_len(prf);
	int rc;

	if (!plen || ike_prf(prf, psk, psk_len, &pad, 1, k) < 0)
		return -1;
	rc = ike_prf(prf, k, plen, &data, 1, out);
	OPENSSL_cleanse(k, sizeof(k));
	if (rc == 0)
		*out_len = plen;
	return rc;
}

int ike_auth_psk_verify(uint16_t prf, const uint8_t *psk, size_t psk_len,
			const uint8_t *octets, size_t len,
			const uint8_t *auth, size_t auth_len)
{
	uint8_t want[IKE_PRF_MAX_LEN];
	size_t want_len = 0;
	int rc = -1;

	if (ike_auth_psk(prf, psk, psk_len, octets, len, want,
			 &want_len) == 0 && auth_len == want_len &&
	    CRYPTO_memcmp(want, auth, want_len) == 0)
		rc = 0;
	OPENSSL_cleanse(want, sizeof(want));
	return rc;
}

/* ---------------------------------------------------------------- */
/* SIGNATURE_HASH_ALGORITHMS (RFC 7427 4) */

size_t ike_sighash_build(const uint16_t *ids, size_t n, uint8_t *out,
			 size_t cap)
{
	if (n > cap / 2)
		return 0;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)(ids[i] >> 8);
		out[2 * i + 1] = (uint8_t)ids[i];
	}
	return 2 * n;
}

int ike_sighash_parse(const uint8_t *data, size_t len, uint16_t *ids,
		      size_t *n, char *why, size_t why_len)
{
	*n = 0;
	if (len % 2 || (len && !data)) {
		if (why && why_len)
			snprintf(why, why_len, "SIGNATURE_HASH_ALGORITHMS of "
				 "%zu bytes is not a list of 16-bit IDs",
				 len);
		return -1;
	}
	for (size_t i = 0; i + 1 < len && *n < IKE_SIGHASH_MAX; i += 2)
		ids[(*n)++] = (uint16_t)(data[i] << 8 | data[i + 1]);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Choosing */

static bool offered(const uint16_t *ids, size_t n, uint16_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The curve's natural hash and classic method (RFC 4754), by order
 * size; 0 for a curve IKE has no method for. */
static int ec_method(EVP_PKEY *key, uint16_t *hash)
{
	switch (EVP_PKEY_get_bits(key)) {
	case 256:
		*hash = IKE_HASH_SHA2_256;
		return IKEV2_AUTH_ECDSA_256;
	case 384:
		*hash = IKE_HASH_SHA2_384;
		return IKEV2_AUTH_ECDSA_384;
	case 521:
		*hash = IKE_HASH_SHA2_512;
		return IKEV2_AUTH_ECDSA_521;
	default:
		return 0;
	}
}

int ike_auth_choose_alg(EVP_PKEY *key, const uint16_t *peer_hashes,
			size_t n, struct ike_sig_alg *out)
{
	static const uint16_t ours[] = { IKE_HASH_SHA2_256, IKE_HASH_SHA2_384,
					 IKE_HASH_SHA2_512 };
	uint16_t natural = 0;
	int classic;

	memset(out, 0, sizeof(*out));
	if (EVP_PKEY_is_a(key, "RSA"))
		classic = IKEV2_AUTH_RSA_SIG;
	else if (EVP_PKEY_is_a(key, "EC"))
		classic = ec_method(key, &natural);
	else
		return -1;
	if (!classic)
		return -1;
	out->method = IKEV2_AUTH_DIGITAL_SIG;
	if (natural && offered(peer_hashes, n, natural)) {
		out->hash = natural;
		return 0;
	}
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		if (offered(peer_hashes, n, ours[i])) {
			out->hash = ours[i];
			return 0;
		}
	}
	out->method = (uint8_t)classic;
	return 0;
}
