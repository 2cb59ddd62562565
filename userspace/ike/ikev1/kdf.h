/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 key derivation (RFC 2409 section 5 and appendix B). prf is the
 * negotiated hash as HMAC (IKEV2_PRF_HMAC_*, crypto/prf.h); "hash" is
 * the same algorithm unkeyed (for the IVs).
 *
 *   SKEYID   = prf(pre-shared-key, Ni_b | Nr_b)          pre-shared key
 *            = prf(Ni_b | Nr_b, g^xy)                    signatures
 *   SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 *   SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 *   SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 *   Ka       = K1 | K2 | ..., K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e,
 *              Kn-1), when SKEYID_e is shorter than the cipher key
 *   IV       = hash(g^xi | g^xr), first block (phase 1)
 *            = hash(last phase-1 block | M-ID), first block (each
 *              Quick Mode / Informational exchange)
 *   HASH_I   = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 *   HASH_R   = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 *   KEYMAT   = K1 | K2 | ..., K1 = prf(SKEYID_d, [g(qm)^xy] | protocol |
 *              SPI | Ni_b | Nr_b), Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy]
 *              | protocol | SPI | Ni_b | Nr_b)
 *   HASH(1)  = prf(SKEYID_a, M-ID | rest of the message after HASH(1))
 *   HASH(2)  = prf(SKEYID_a, M-ID | Ni_b | rest after HASH(2))
 *   HASH(3)  = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)
 *   Informational HASH = prf(SKEYID_a, M-ID | N/D payloads)
 *
 * Every function returns 0, or -1 for an unsupported algorithm or a
 * length that does not fit; outputs are IKE_PRF_MAX_LEN-sized buffers
 * unless said otherwise. Callers wipe what they keep.
 */
#ifndef IKEV1_KDF_H
#define IKEV1_KDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/prf.h"

#define V1_KEY_MAX 64			/* SKEYID_* and the cipher key */

struct v1_keys {
	uint16_t prf;			/* IKEV2_PRF_HMAC_* */
	size_t prf_len;
	uint8_t skeyid[V1_KEY_MAX];
	uint8_t skeyid_d[V1_KEY_MAX];
	uint8_t skeyid_a[V1_KEY_MAX];
	uint8_t skeyid_e[V1_KEY_MAX];
	size_t enc_len;
	uint8_t enc_key[V1_KEY_MAX];	/* Ka, enc_len bytes */
};

/* SKEYID for pre-shared keys, and for signatures (psk == NULL). */
int v1_skeyid(uint16_t prf, const uint8_t *psk, size_t psk_len,
	      const uint8_t *ni, size_t ni_len, const uint8_t *nr,
	      size_t nr_len, const uint8_t *gxy, size_t gxy_len,
	      uint8_t *out);
/* From SKEYID: SKEYID_d, _a, _e and the enc_len-byte cipher key. */
int v1_keys_derive(uint16_t prf, const uint8_t *skeyid, const uint8_t *gxy,
		   size_t gxy_len, const uint8_t cky_i[8],
		   const uint8_t cky_r[8], size_t enc_len,
		   struct v1_keys *out);
void v1_keys_wipe(struct v1_keys *k);

/* The phase-1 IV: hash(g^xi | g^xr) cut to block_len (8 or 16). */
int v1_iv_phase1(uint16_t prf, const uint8_t *gxi, size_t gxi_len,
		 const uint8_t *gxr, size_t gxr_len, size_t block_len,
		 uint8_t *iv);
/* The IV of a new exchange with message ID msg_id (host order). */
int v1_iv_exchange(uint16_t prf, const uint8_t *last_block,
		   size_t block_len, uint32_t msg_id, uint8_t *iv);

/* HASH_I (initiator true) or HASH_R. sa_b: the initiator's SA body;
 * id_b: the ID payload body of the side whose hash this is. */
int v1_hash_phase1(const struct v1_keys *k, bool initiator,
		   const uint8_t *gxi, size_t gxi_len, const uint8_t *gxr,
		   size_t gxr_len, const uint8_t cky_i[8],
		   const uint8_t cky_r[8], const uint8_t *sa_b, size_t sa_len,
		   const uint8_t *id_b, size_t id_len, uint8_t *out);

/* HASH(1)/(2)/(3) and the Informational HASH: prf(SKEYID_a, parts). */
int v1_hash_qm1(const struct v1_keys *k, uint32_t msg_id,
		const uint8_t *rest, size_t rest_len, uint8_t *out);
int v1_hash_qm2(const struct v1_keys *k, uint32_t msg_id,
		const uint8_t *ni, size_t ni_len, const uint8_t *rest,
		size_t rest_len, uint8_t *out);
int v1_hash_qm3(const struct v1_keys *k, uint32_t msg_id,
		const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		size_t nr_len, uint8_t *out);
#define v1_hash_info v1_hash_qm1

/* KEYMAT for one SA (one direction: the SPI is the receiver's). gqm:
 * the Quick Mode PFS shared secret or NULL. */
int v1_keymat(const struct v1_keys *k, const uint8_t *gqm, size_t gqm_len,
	      uint8_t protocol, uint32_t spi, const uint8_t *ni,
	      size_t ni_len, const uint8_t *nr, size_t nr_len, uint8_t *out,
	      size_t out_len);

#endif /* IKEV1_KDF_H */
