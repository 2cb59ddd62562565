// SPDX-License-Identifier: GPL-2.0
/*
 * ikevti_alg: algorithm table and hex parsing.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ikevti_alg.h"

static const struct ikevti_enc_alg enc_algs[] = {
	{ "aes-gcm-128", IKEVTI_ENC_AES_GCM_16, 16, 4, 128, true, false },
	{ "aes-gcm-192", IKEVTI_ENC_AES_GCM_16, 24, 4, 128, true, false },
	{ "aes-gcm-256", IKEVTI_ENC_AES_GCM_16, 32, 4, 128, true, false },
	{ "aes-cbc-128", IKEVTI_ENC_AES_CBC, 16, 0, 0, false, false },
	{ "aes-cbc-192", IKEVTI_ENC_AES_CBC, 24, 0, 0, false, false },
	{ "aes-cbc-256", IKEVTI_ENC_AES_CBC, 32, 0, 0, false, false },
	{ "chacha20-poly1305", IKEVTI_ENC_CHACHA20_POLY1305, 32, 4, 128,
	  true, false },
	{ "3des-cbc", IKEVTI_ENC_3DES_CBC, 24, 0, 0, false, true },
};

static const struct ikevti_integ_alg integ_algs[] = {
	{ "hmac-sha1-96", IKEVTI_INTEG_HMAC_SHA1_96, 20, 96, false },
	{ "hmac-sha256-128", IKEVTI_INTEG_HMAC_SHA256_128, 32, 128, false },
	{ "hmac-sha384-192", IKEVTI_INTEG_HMAC_SHA384_192, 48, 192, false },
	{ "hmac-sha512-256", IKEVTI_INTEG_HMAC_SHA512_256, 64, 256, false },
	{ "hmac-md5-96", IKEVTI_INTEG_HMAC_MD5_96, 16, 96, true },
};

#define N_ENC (sizeof(enc_algs) / sizeof(enc_algs[0]))
#define N_INTEG (sizeof(integ_algs) / sizeof(integ_algs[0]))

const struct ikevti_enc_alg *ikevti_enc_at(size_t i)
{
	return i < N_ENC ? &enc_algs[i] : NULL;
}

const struct ikevti_integ_alg *ikevti_integ_at(size_t i)
{
	return i < N_INTEG ? &integ_algs[i] : NULL;
}

const struct ikevti_enc_alg *ikevti_enc_by_name(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < N_ENC; i++)
		if (strcasecmp(enc_algs[i].name, name) == 0)
			return &enc_algs[i];
	return NULL;
}

const struct ikevti_integ_alg *ikevti_integ_by_name(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < N_INTEG; i++)
		if (strcasecmp(integ_algs[i].name, name) == 0)
			return &integ_algs[i];
	return NULL;
}

const struct ikevti_enc_alg *ikevti_enc_by_id(uint16_t id, size_t key_len)
{
	size_t i;

	for (i = 0; i < N_ENC; i++)
		if (enc_algs[i].id == id && enc_algs[i].key_len == key_len)
			return &enc_algs[i];
	return NULL;
}

const struct ikevti_integ_alg *ikevti_integ_by_id(uint16_t id)
{
	size_t i;

	for (i = 0; i < N_INTEG; i++)
		if (integ_algs[i].id == id)
			return &integ_algs[i];
	return NULL;
}

const char *ikevti_enc_family_name(uint16_t id)
{
	switch (id) {
	case IKEVTI_ENC_AES_GCM_16:
		return "aes-gcm";
	case IKEVTI_ENC_AES_CBC:
		return "aes-cbc";
	case IKEVTI_ENC_CHACHA20_POLY1305:
		return "chacha20-poly1305";
	case IKEVTI_ENC_3DES_CBC:
		return "3des-cbc";
	}
	return NULL;
}

bool ikevti_enc_is_aead(uint16_t id)
{
	return id == IKEVTI_ENC_AES_GCM_16 ||
	       id == IKEVTI_ENC_CHACHA20_POLY1305;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ikevti_hex_parse(const char *s, uint8_t *out, size_t max, size_t *len,
		     char *err, size_t errlen)
{
	const char *p;
	size_t n, i;

	if (!s) {
		snprintf(err, errlen, "missing hex value");
		return -1;
	}
	p = s;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	n = strlen(p);
	if (n == 0) {
		snprintf(err, errlen, "empty hex value");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (hexval(p[i]) < 0) {
			unsigned char c = (unsigned char)p[i];

			if (isprint(c))
				snprintf(err, errlen,
					 "invalid hex digit '%c' at position %zu",
					 c, (size_t)(p - s) + i + 1);
			else
				snprintf(err, errlen,
					 "invalid byte 0x%02x at position %zu",
					 c, (size_t)(p - s) + i + 1);
			return -1;
		}
	}
	if (n % 2) {
		snprintf(err, errlen,
			 "odd number of hex digits (%zu): a byte is two digits",
			 n);
		return -1;
	}
	if (n / 2 > max) {
		snprintf(err, errlen,
			 "hex value is %zu bytes, at most %zu allowed", n / 2,
			 max);
		return -1;
	}
	for (i = 0; i < n / 2; i++)
		out[i] = (uint8_t)(hexval(p[2 * i]) << 4 | hexval(p[2 * i + 1]));
	*len = n / 2;
	return 0;
}
