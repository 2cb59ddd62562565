/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diffie-Hellman for IKEv2 over OpenSSL 3 EVP_PKEY: MODP groups 14, 15,
 * 16 (RFC 3526) and 2, 5 (legacy, RFC 2409 / RFC 3526), ECP groups 19,
 * 20, 21 (RFC 5903) and Curve25519, group 31 (RFC 8031).
 *
 * Wire formats (RFC 7296 3.4 and the group RFCs): MODP public values and
 * g^ir are big-endian, zero-padded to the modulus length; ECP public
 * values are x | y with no 0x04 prefix and g^ir is x alone; X25519 uses
 * the 32-byte little-endian RFC 7748 encoding.
 */
#ifndef IKE_DH_H
#define IKE_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ike_dh;

/* Length of the KE payload data for a group; 0 if not supported. */
size_t ike_dh_public_len(uint16_t group);
/* Length of g^ir for a group; 0 if not supported. */
size_t ike_dh_shared_len(uint16_t group);
bool ike_dh_supported(uint16_t group);
/* Groups 2 and 5: accepted only when configured, always flagged. */
bool ike_dh_is_legacy(uint16_t group);

/* A fresh key pair. NULL for an unsupported group or a failure. */
struct ike_dh *ike_dh_new(uint16_t group);
/* A key pair from a known private value, for known-answer tests: the
 * big-endian exponent (MODP) or scalar (ECP), the 32 raw bytes (X25519).
 * NULL for an unsupported group or a failure. */
struct ike_dh *ike_dh_new_from_private(uint16_t group, const uint8_t *priv,
				       size_t len);
void ike_dh_free(struct ike_dh *dh);
uint16_t ike_dh_group(const struct ike_dh *dh);

/* Our KE data into out (exactly ike_dh_public_len bytes). */
int ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t len);
/* g^ir from the peer's KE data into out (ike_dh_shared_len bytes).
 * Refuses a value of the wrong length, one that is not a valid group
 * element (1, p-1, a point off the curve) and an all-zero X25519 result
 * (RFC 8031 2.1). Returns 0 or -1. */
int ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t peer_len,
		  uint8_t *out, size_t len);

#endif /* IKE_DH_H */
