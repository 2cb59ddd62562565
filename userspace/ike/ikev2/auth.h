/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKEv2 AUTH payload (RFC 7296 2.15): the octets each side signs,
 * pre-shared-key AUTH, and signatures: RSA (method 1, PKCS#1 v1.5 with
 * SHA-1), ECDSA (methods 9/10/11, RFC 4754: the curve's hash, r | s each
 * as wide as the curve order) and the Digital Signature method (14, RFC
 * 7427: a length byte, an ASN.1 AlgorithmIdentifier, the signature; RSA
 * PKCS#1 v1.5 or RSASSA-PSS with SHA-256/384/512, ECDSA with a DER
 * signature). Also the SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 4).
 *
 * SHA-1 is refused inside method 14 (RFC 8247 3.2: MUST NOT); method 1
 * keeps it because that is what the method is.
 */
#ifndef IKE_AUTH_H
#define IKE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define IKE_AUTH_MAX 1100		/* 8192-bit RSA + AlgorithmId + 1 */
#define IKE_SIGHASH_MAX 16

/* Hash algorithm IDs of RFC 7427 4 (IANA "IKEv2 Hash Algorithms"). */
enum ike_hash {
	IKE_HASH_SHA1 = 1,
	IKE_HASH_SHA2_256 = 2,
	IKE_HASH_SHA2_384 = 3,
	IKE_HASH_SHA2_512 = 4,
	IKE_HASH_IDENTITY = 5,		/* RFC 8420 (EdDSA): unused */
};

/* How to sign: method 1, 9, 10, 11 or 14; for 14 the hash and RSA
 * padding (PKCS#1 v1.5 unless pss). */
struct ike_sig_alg {
	uint8_t method;
	uint16_t hash;		/* enum ike_hash; method 14 only */
	bool pss;
};

/* RealMessage | Nonce | prf(SK_p, RestOfIDPayload) into a fresh buffer
 * (free() it). RestOfIDPayload is the ID type, three zero bytes and the
 * ID data (RFC 7296 2.15). msg is the whole message as sent (for the
 * initiator: its IKE_SA_INIT request), nonce the PEER's nonce, sk_p our
 * own SK_pi or SK_pr. Returns 0, or -1 (unsupported PRF, no memory). */
int ike_auth_octets(uint16_t prf, const uint8_t *sk_p, size_t sk_p_len,
		    const uint8_t *msg, size_t msg_len, const uint8_t *nonce,
		    size_t nonce_len, uint8_t id_type, const uint8_t *id,
		    size_t id_len, uint8_t **out, size_t *out_len);

/* AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), octets); out holds
 * ike_prf_len(prf) bytes. */
int ike_auth_psk(uint16_t prf, const uint8_t *psk, size_t psk_len,
		 const uint8_t *octets, size_t len, uint8_t *out,
		 size_t *out_len);
/* The same, compared in constant time with a received AUTH. 0: match. */
int ike_auth_psk_verify(uint16_t prf, const uint8_t *psk, size_t psk_len,
			const uint8_t *octets, size_t len,
			const uint8_t *auth, size_t auth_len);

/* The AUTH data for a signature method; -1 with why when the key does not
 * fit the method (an RSA key for ECDSA, P-384 for method 9, ...). */
int ike_auth_sign(EVP_PKEY *key, const struct ike_sig_alg *alg,
		  const uint8_t *octets, size_t len, uint8_t *out, size_t cap,
		  size_t *out_len, char *why, size_t why_len);
/* Verify received AUTH data of a signature method with the peer's
 * public key. 0: valid; -1 with why ("signature does not verify",
 * "method 9 needs a P-256 key", "unsupported AlgorithmIdentifier"). */
int ike_auth_verify(EVP_PKEY *pub, uint8_t method, const uint8_t *auth,
		    size_t auth_len, const uint8_t *octets, size_t len,
		    char *why, size_t why_len);

/* What to sign with: method 14 with our preferred hash among those the
 * peer announced (the curve's hash first for ECDSA, then SHA-256, -384,
 * -512), or the key's classic method (1 or 9/10/11) when the peer
 * announced none we use. -1 for a key type IKE cannot use. */
int ike_auth_choose_alg(EVP_PKEY *key, const uint16_t *peer_hashes,
			size_t n, struct ike_sig_alg *out);

/* SIGNATURE_HASH_ALGORITHMS notify data: 16-bit IDs. build returns the
 * byte count (0 when cap is too small); parse refuses an odd length and
 * keeps at most IKE_SIGHASH_MAX IDs (unknown ones included, in order). */
size_t ike_sighash_build(const uint16_t *ids, size_t n, uint8_t *out,
			 size_t cap);
int ike_sighash_parse(const uint8_t *data, size_t len, uint16_t *ids,
		      size_t *n, char *why, size_t why_len);

#endif /* IKE_AUTH_H */
