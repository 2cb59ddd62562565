/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Encrypted payload SK (RFC 7296 3.14) and the Encrypted Fragment
 * payload SKF (RFC 7383), with reassembly.
 *
 * Ciphers: AES-CBC (128/192/256) and 3DES (legacy) with an HMAC ICV
 * truncated as the integrity transform says (RFC 4868 for SHA-2: 128,
 * 192, 256 bits; 96 bits for SHA-1 and MD5); AES-GCM with a 16-byte ICV
 * (RFC 5282): SK_e carries a 4-byte salt after the key, the nonce is
 * salt | 8-byte IV, and the associated data is the message from the
 * first byte of the IKE header to the end of the SK (or SKF) payload
 * header, the IV excluded.
 *
 * Layout of the payload body: IV | E(inner payloads | padding | pad
 * length) | ICV. CBC pads to the block size; GCM does not pad. The ICV
 * of CBC covers the message from the IKE header to the end of the
 * ciphertext, and is checked (in constant time) before anything is
 * decrypted.
 *
 * Messages built here carry the SK or SKF payload alone, which is what
 * every IKEv2 exchange after IKE_SA_INIT sends. The header's length and
 * next-payload fields are computed.
 */
#ifndef IKE_SK_H
#define IKE_SK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikev2/payload.h"

#define IKE_SKF_MAX 64		/* fragments per message (>= 32) */
#define IKE_REASM_MAX_BYTES (256 * 1024)	/* reassembled plaintext */

struct ike_sk_alg {
	uint16_t encr;		/* IKEV2_ENCR_AES_CBC/_AES_GCM_16/_3DES */
	uint16_t key_bits;		/* AES: 128, 192 or 256 */
	uint16_t integ;		/* IKEV2_INTEG_*; NONE with GCM */
};

/* One direction's keys: SK_ei/SK_ai for the initiator's messages, SK_er/
 * SK_ar for the responder's. */
struct ike_sk_keys {
	struct ike_sk_alg alg;
	const uint8_t *encr_key;	/* SK_e, salt included for GCM */
	size_t encr_len;
	const uint8_t *integ_key;	/* SK_a; NULL with GCM */
	size_t integ_len;
};

/* Key lengths the KDF must produce (ike_sa_keys_derive's encr_len and
 * integ_len); 0 when the algorithm is not supported. */
size_t ike_sk_encr_key_len(const struct ike_sk_alg *alg);
size_t ike_sk_integ_key_len(const struct ike_sk_alg *alg);
/* Bytes an SK payload adds to plain_len inner bytes: generic header, IV,
 * padding, pad length, ICV. 0 when not supported. */
size_t ike_sk_overhead(const struct ike_sk_alg *alg, size_t plain_len);

/* Header + SK{plain}. iv: ike_sk overhead's IV bytes (8 for GCM, the
 * block size for CBC), or NULL for a random one. Returns 0, or -1 with
 * why. */
int ike_sk_seal(const struct ike_sk_keys *k, const struct ike_header *hdr,
		uint8_t first_inner, const uint8_t *plain, size_t plain_len,
		const uint8_t *iv, uint8_t *out, size_t cap, size_t *out_len,
		char *why, size_t why_len);
/* Check and decrypt the SK or SKF payload pl of the decoded message msg
 * (pl from ike_msg_decode over the same bytes). plain needs room for the
 * ciphertext's length. Returns 0, or -1 with why ("integrity check
 * failed", "ciphertext of 17 bytes is not a multiple of 16", ...); on
 * failure nothing is left in plain. */
int ike_sk_open(const struct ike_sk_keys *k, const uint8_t *msg,
		size_t msg_len, const struct ike_payload *pl, uint8_t *plain,
		size_t cap, size_t *plain_len, char *why, size_t why_len);

/* ---- RFC 7383 fragmentation ---- */

/* Header + SKF{chunk} for fragment number of total (first_inner only
 * in fragment 1). */
int ike_skf_seal(const struct ike_sk_keys *k, const struct ike_header *hdr,
		 uint8_t first_inner, uint16_t number, uint16_t total,
		 const uint8_t *chunk, size_t len, const uint8_t *iv,
		 uint8_t *out, size_t cap, size_t *out_len, char *why,
		 size_t why_len);

struct ike_frag {
	uint8_t *buf;			/* malloc'ed whole message */
	size_t len;
};

/* Split the inner payloads into fragment messages of at most max_len
 * bytes each (the IKE message, without IP/UDP headers or the non-ESP
 * marker). frags[] gets *n messages; free them with ike_frags_free. */
int ike_skf_seal_all(const struct ike_sk_keys *k, const struct ike_header *hdr,
		     uint8_t first_inner, const uint8_t *plain,
		     size_t plain_len, size_t max_len, struct ike_frag *frags,
		     size_t max_frags, size_t *n, char *why, size_t why_len);
void ike_frags_free(struct ike_frag *frags, size_t n);

/* Reassembly of one message (one Message ID). Each fragment is checked
 * and decrypted before it is kept (RFC 7383 2.6), so forged fragments
 * cannot displace real ones. */
struct ike_reasm {
	bool active;
	uint32_t msg_id;
	uint16_t total;
	uint16_t n_have;
	uint8_t first_inner;
	size_t bytes;
	uint8_t *part[IKE_SKF_MAX + 1];	/* by fragment number, 1-based */
	size_t part_len[IKE_SKF_MAX + 1];
};

enum ike_reasm_status {
	IKE_REASM_ERROR = -1,	/* bad fragment, dropped: see why */
	IKE_REASM_INCOMPLETE = 0,	/* kept (or a duplicate); wait */
	IKE_REASM_COMPLETE = 1,		/* take it with ike_reasm_take */
};

void ike_reasm_init(struct ike_reasm *r);
/* One received message m (decoded from msg) whose payload is SKF.
 * A fragment with a larger Total Fragments than the ones kept restarts
 * the reassembly, a smaller one is dropped (RFC 7383 2.6.1, 2.6.2);
 * another Message ID than the one being reassembled is an error. */
enum ike_reasm_status ike_reasm_add(struct ike_reasm *r,
				    const struct ike_sk_keys *k,
				    const uint8_t *msg, size_t msg_len,
				    const struct ike_msg *m, char *why,
				    size_t why_len);
/* The whole inner chain (malloc'ed; free it) and its first payload type;
 * the reassembly is reset. -1 when not complete. */
int ike_reasm_take(struct ike_reasm *r, uint8_t **plain, size_t *len,
		   uint8_t *first_inner);
void ike_reasm_free(struct ike_reasm *r);

#endif /* IKE_SK_H */
