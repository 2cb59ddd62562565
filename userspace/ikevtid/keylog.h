/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtid: decryption keys for Wireshark (opt-in, "ikevtid -K DIR").
 *
 * Every key installed is appended to files Wireshark reads as its
 * tables (copy them into ~/.config/wireshark/, or pass them with
 * "tshark -o uat:esp_sa:..."):
 *
 *   DIR/esp_sa                  ESP SAs (Protocols > ESP > SAs)
 *   DIR/ikev2_decryption_table  IKEv2 SAs (Protocols > ISAKMP)
 *   DIR/ikev1_decryption_table  IKEv1 SAs (Protocols > ISAKMP)
 *
 * Anyone who reads these files can decrypt the traffic: it is for test
 * beds and debugging only, and ikevtid says so loudly when it is on.
 */
#ifndef IKEVTID_KEYLOG_H
#define IKEVTID_KEYLOG_H

#include <stddef.h>
#include <stdint.h>

#include "ikevti_sa.h"

/* Turn the export on into dir (created 0700 if missing); 0 or -errno. */
int keylog_enable(const char *dir);
void keylog_disable(void);

/*
 * One esp_sa line (with its newline) for an SA about to be installed:
 * src/dst from the SA, or from the device's endpoints (local, remote)
 * when the SA leaves them to the device. Returns the length, or -1 when
 * Wireshark cannot decrypt the algorithm (the line is then a comment).
 */
int keylog_format_esp(char *buf, size_t len, const struct ikevti_sa_cfg *sa,
		      const struct ikevti_addr *dev_local,
		      const struct ikevti_addr *dev_remote);
/* Append that line to DIR/esp_sa when the export is on. */
void keylog_esp(const struct ikevti_sa_cfg *sa,
		const struct ikevti_addr *dev_local,
		const struct ikevti_addr *dev_remote);

/*
 * IKEv2 (RFC 7296 2.14): the SPIs, SK_ei/SK_er (with the 4-byte salt
 * for AES-GCM, as derived), SK_ai/SK_ar (NULL, 0 for AEAD), and the
 * IANA transform IDs: encr (ENCR_AES_CBC 12, ENCR_AES_GCM_16 20,
 * ENCR_3DES 3) with its key size in bits, integ (AUTH_HMAC_SHA1_96 2,
 * AUTH_HMAC_SHA2_256_128 12, _384_192 13, _512_256 14, AUTH_HMAC_MD5_96
 * 1; 0 for AEAD). keylog_format_ikev2 returns the line's length or -1
 * (unknown to Wireshark: a comment line); keylog_ikev2 appends it to
 * DIR/ikev2_decryption_table when the export is on.
 */
int keylog_format_ikev2(char *buf, size_t len, uint64_t spi_i,
			uint64_t spi_r, uint16_t encr, uint16_t encr_bits,
			const uint8_t *sk_ei, const uint8_t *sk_er,
			size_t sk_e_len, uint16_t integ, const uint8_t *sk_ai,
			const uint8_t *sk_ar, size_t sk_a_len);
void keylog_ikev2(uint64_t spi_i, uint64_t spi_r, uint16_t encr,
		  uint16_t encr_bits, const uint8_t *sk_ei,
		  const uint8_t *sk_er, size_t sk_e_len, uint16_t integ,
		  const uint8_t *sk_ai, const uint8_t *sk_ar, size_t sk_a_len);

/*
 * IKEv1 (RFC 2409): the initiator's cookie (8 bytes) and the phase 1
 * encryption key (SKEYID_e expanded to the cipher's key length).
 */
int keylog_format_ikev1(char *buf, size_t len, const uint8_t icookie[8],
			const uint8_t *enc_key, size_t enc_key_len);
void keylog_ikev1(const uint8_t icookie[8], const uint8_t *enc_key,
		  size_t enc_key_len);

#endif /* IKEVTID_KEYLOG_H */
