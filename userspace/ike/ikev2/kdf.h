/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 key derivation (RFC 7296 2.13, 2.14, 2.17, 2.18).
 */
#ifndef IKE_KDF_H
#define IKE_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/prf.h"

#define IKE_KEY_MAX 64			/* longest key of any one kind */

/* prf+ (RFC 7296 2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n).
 * At most 255 blocks; out_len beyond that is an error (-1). */
int ike_prf_plus(uint16_t prf, const uint8_t *key, size_t key_len,
		 const struct ike_chunk *seed, size_t n_seed, uint8_t *out,
		 size_t out_len);

/* SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 2.14). out: ike_prf_len(prf). */
int ike_skeyseed(uint16_t prf, const uint8_t *ni, size_t ni_len,
		 const uint8_t *nr, size_t nr_len, const uint8_t *gir,
		 size_t gir_len, uint8_t *out);

/* SKEYSEED for a rekeyed IKE SA (RFC 7296 2.18):
 * prf(SK_d (old), g^ir (new) | Ni | Nr), with the old SA's PRF. */
int ike_rekey_skeyseed(uint16_t old_prf, const uint8_t *old_sk_d,
		       size_t old_sk_d_len, const uint8_t *gir_new,
		       size_t gir_len, const uint8_t *ni, size_t ni_len,
		       const uint8_t *nr, size_t nr_len, uint8_t *out);

/* The seven IKE SA keys, in the order prf+ produces them. */
struct ike_sa_keys {
	size_t prf_len, integ_len, encr_len;	/* encr_len includes salt */
	uint8_t sk_d[IKE_KEY_MAX];
	uint8_t sk_ai[IKE_KEY_MAX], sk_ar[IKE_KEY_MAX];
	uint8_t sk_ei[IKE_KEY_MAX], sk_er[IKE_KEY_MAX];
	uint8_t sk_pi[IKE_KEY_MAX], sk_pr[IKE_KEY_MAX];
};

/* {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} =
 *     prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)  (RFC 7296 2.14).
 * integ_len is 0 for AEAD; encr_len includes the AEAD salt. */
int ike_sa_keys_derive(uint16_t prf, const uint8_t *skeyseed,
		       const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		       size_t nr_len, const uint8_t spi_i[8],
		       const uint8_t spi_r[8], size_t integ_len,
		       size_t encr_len, struct ike_sa_keys *out);

/* KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (RFC 7296 2.17); pass
 * gir_new = NULL without PFS. */
int ike_child_keymat(uint16_t prf, const uint8_t *sk_d, size_t sk_d_len,
		     const uint8_t *gir_new, size_t gir_len,
		     const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		     size_t nr_len, uint8_t *out, size_t out_len);

/* Wipe key material (OPENSSL_cleanse, not optimized away). */
void ike_sa_keys_wipe(struct ike_sa_keys *keys);

#endif /* IKE_KDF_H */
