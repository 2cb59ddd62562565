/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKEv2 pseudorandom functions (RFC 7296 2.13): HMAC over OpenSSL 3's
 * EVP_MAC. The input is a list of pieces so that callers never build
 * concatenations (Ni | Nr | SPIi | SPIr) in temporary buffers.
 */
#ifndef IKE_CRYPTO_H
#define IKE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define IKE_PRF_MAX_LEN 64		/* HMAC-SHA-512 */

struct ike_chunk {
	const uint8_t *ptr;
	size_t len;
};

/* Output length of an IKEv2 PRF transform ID; 0 if not supported. */
size_t ike_prf_len(uint16_t prf);
/* The OpenSSL digest name behind a PRF ID ("SHA256"), or NULL. */
const char *ike_prf_digest(uint16_t prf);

/* out = prf(key, in[0] | in[1] | ...); out holds ike_prf_len(prf) bytes.
 * Returns 0, or -1 for an unsupported PRF or an OpenSSL failure. */
int ike_prf(uint16_t prf, const uint8_t *key, size_t key_len,
	    const struct ike_chunk *in, size_t n_in, uint8_t *out);

#endif /* IKE_CRYPTO_H */
