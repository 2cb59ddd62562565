/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevti_alg: the ESP algorithms ikevti knows, by name and by number,
 * with their key, salt and ICV sizes; and hex key parsing.
 */
#ifndef IKEVTI_ALG_H
#define IKEVTI_ALG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/linux/ikevti.h>

/* Largest key of any algorithm below (HMAC-SHA-512 uses 64 bytes). */
#define IKEVTI_KEY_MAX	64
#define IKEVTI_SALT_LEN	4

struct ikevti_enc_alg {
	const char *name;	/* "aes-gcm-128" */
	uint16_t id;		/* enum ikevti_enc */
	uint8_t key_len;	/* bytes, without the salt */
	uint8_t salt_len;	/* bytes, 0 for non-AEAD */
	uint16_t icv_bits;	/* 0 for non-AEAD (the integ alg decides) */
	bool aead;
	bool legacy;
};

struct ikevti_integ_alg {
	const char *name;	/* "hmac-sha256-128" */
	uint16_t id;		/* enum ikevti_integ */
	uint8_t key_len;
	uint16_t icv_bits;
	bool legacy;
};

/* Lookup by name; NULL if unknown. */
const struct ikevti_enc_alg *ikevti_enc_by_name(const char *name);
const struct ikevti_integ_alg *ikevti_integ_by_name(const char *name);

/* Lookup by number and key length (without salt); NULL if unknown. */
const struct ikevti_enc_alg *ikevti_enc_by_id(uint16_t id, size_t key_len);
const struct ikevti_integ_alg *ikevti_integ_by_id(uint16_t id);

/*
 * Name of an encryption transform when the key length is not known
 * (dumps never carry keys): "aes-gcm", "aes-cbc", "chacha20-poly1305",
 * "3des-cbc"; NULL if the number is unknown.
 */
const char *ikevti_enc_family_name(uint16_t id);
bool ikevti_enc_is_aead(uint16_t id);

/* Iterate over the tables: NULL past the end. */
const struct ikevti_enc_alg *ikevti_enc_at(size_t i);
const struct ikevti_integ_alg *ikevti_integ_at(size_t i);

/*
 * Parse hex ("0x..." or plain, even number of digits) into out[max].
 * Returns 0 and sets *len, or -1 with a message in err[errlen].
 * On failure nothing of out[] is left filled.
 */
int ikevti_hex_parse(const char *s, uint8_t *out, size_t max, size_t *len,
		     char *err, size_t errlen);

#endif /* IKEVTI_ALG_H */
