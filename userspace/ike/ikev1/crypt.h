/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Phase-1 encryption of IKEv1 messages (RFC 2408 3.1 and RFC 2409 5 and
 * appendix B): everything after the ISAKMP header is encrypted in CBC
 * mode (AES-CBC or 3DES) with the phase-1 key; there is no integrity
 * check of its own (the HASH payloads authenticate).
 *
 * The IV chain: Main/Aggressive Mode start from hash(g^xi | g^xr); each
 * message's IV is the last ciphertext block of the previous encrypted
 * message of that exchange. Each Quick Mode and Informational exchange
 * starts from hash(last phase-1 block | M-ID) and then chains on its own,
 * so several exchanges in flight each keep their own IV (struct
 * v1_iv_slot). A message that fails to decrypt or authenticate must not
 * move the chain: v1_decrypt leaves the slot as it was on failure, and
 * the caller commits the new IV (v1_iv_commit) only once the message's
 * HASH has been checked.
 *
 * Padding: 1 to block-size bytes (a whole block when the body is
 * already aligned), zeros but for the last byte, which counts the
 * padding bytes before it, as racoon and ESP write it; on decryption
 * the payload lengths decide, so any padding is accepted. v1_decrypt
 * may decrypt in place (out = msg + ISAKMP_HDR_LEN).
 */
#ifndef IKEV1_CRYPT_H
#define IKEV1_CRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define V1_BLOCK_MAX 16

struct v1_cipher {
	uint16_t encr;			/* IKEV2_ENCR_AES_CBC or _3DES */
	uint16_t key_bits;		/* AES: 128, 192, 256; 3DES: 192 */
	const uint8_t *key;
};

struct v1_iv_slot {
	uint32_t msg_id;		/* 0 for phase 1 */
	size_t len;			/* block size */
	uint8_t iv[V1_BLOCK_MAX];	/* for the next message */
	uint8_t pending[V1_BLOCK_MAX];	/* set by v1_decrypt, see above */
	bool used;
};

size_t v1_cipher_block_len(uint16_t encr);
size_t v1_cipher_key_len(uint16_t encr, uint16_t key_bits);

/*
 * Encrypt msg[ISAKMP_HDR_LEN..len) in place after padding it, set the
 * header's length and ENC flag, and move slot->iv to the last
 * ciphertext block. cap: room in msg. Returns the new length, or -1.
 */
long v1_encrypt(const struct v1_cipher *c, struct v1_iv_slot *slot,
		uint8_t *msg, size_t len, size_t cap);
/*
 * Decrypt the body of msg (len bytes, header included) into out (at
 * least len - ISAKMP_HDR_LEN bytes); slot->pending gets the IV for the
 * next message. Returns the plaintext length, or -1 (length not a
 * multiple of the block size, or an unsupported cipher).
 */
long v1_decrypt(const struct v1_cipher *c, struct v1_iv_slot *slot,
		const uint8_t *msg, size_t len, uint8_t *out);
void v1_iv_commit(struct v1_iv_slot *slot);

#endif /* IKEV1_CRYPT_H */
