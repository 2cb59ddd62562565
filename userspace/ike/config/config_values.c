// SPDX-License-Identifier: GPL-2.0
/*
 * Values inside configuration lines: numbers, addresses, masks and the
 * IOS algorithm keywords mapped onto IANA transform IDs.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

bool cfg_parse_u32(struct cfg_parser *p, const struct cfg_token *t,
		   uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (t->len == 0 || t->len > 10)
		goto bad;
	for (size_t i = 0; i < t->len; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			goto bad;
		v = v * 10 + (uint64_t)(t->s[i] - '0');
	}
	if (v < min || v > max)
		goto bad;
	*out = (uint32_t)v;
	return true;
bad:
	cfg_error_at(p, t, "'%.*s' is not a number in %u..%u", (int)t->len,
		     t->s, min, max);
	return false;
}

/* inet_pton needs a NUL-terminated string; addresses are short. */
static bool token_to_addr(const struct cfg_token *t, struct cfg_addr *out)
{
	char buf[64];

	if (t->len == 0 || t->len >= sizeof(buf))
		return false;
	memcpy(buf, t->s, t->len);
	buf[t->len] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->bytes) == 1) {
		out->family = AF_INET;
		out->prefix = 32;
		return true;
	}
	if (inet_pton(AF_INET6, buf, out->bytes) == 1) {
		out->family = AF_INET6;
		out->prefix = 128;
		return true;
	}
	return false;
}

bool cfg_token_is_addr(const struct cfg_token *t, struct cfg_addr *out)
{
	return token_to_addr(t, out);
}

bool cfg_parse_addr(struct cfg_parser *p, const struct cfg_token *t,
		    struct cfg_addr *out)
{
	if (token_to_addr(t, out))
		return true;
	cfg_error_at(p, t, "'%.*s' is not an IPv4 or IPv6 address",
		     (int)t->len, t->s);
	return false;
}

/* A dotted mask must be contiguous ones, as IOS requires for identities. */
static bool mask_to_prefix(const struct cfg_addr *mask, uint8_t *prefix)
{
	uint32_t m = ((uint32_t)mask->bytes[0] << 24) |
		     ((uint32_t)mask->bytes[1] << 16) |
		     ((uint32_t)mask->bytes[2] << 8) | mask->bytes[3];
	uint8_t n = 0;

	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	if (n < 32 && (m << n) != 0)
		return false;
	*prefix = n;
	return true;
}

static bool split_prefix_len(struct cfg_parser *p, const struct cfg_token *t,
			     struct cfg_addr *out)
{
	const char *slash = memchr(t->s, '/', t->len);
	struct cfg_token a = *t, l;
	uint32_t len;

	a.len = (size_t)(slash - t->s);
	l.s = slash + 1;
	l.len = t->len - a.len - 1;
	l.col = t->col + (unsigned)a.len + 1;
	if (!cfg_parse_addr(p, &a, out))
		return false;
	if (!cfg_parse_u32(p, &l, 0, out->family == AF_INET ? 32 : 128, &len))
		return false;
	out->prefix = (uint8_t)len;
	return true;
}

bool cfg_parse_addr_mask(struct cfg_parser *p, const struct cfg_token *arg,
			 size_t nargs, struct cfg_addr *out)
{
	struct cfg_addr mask;

	if (memchr(arg[0].s, '/', arg[0].len)) {
		if (nargs > 1) {
			cfg_error_at(p, &arg[1], "a mask after a /length");
			return false;
		}
		return split_prefix_len(p, &arg[0], out);
	}
	if (!cfg_parse_addr(p, &arg[0], out))
		return false;
	if (nargs < 2)
		return true;
	if (out->family != AF_INET || !token_to_addr(&arg[1], &mask) ||
	    mask.family != AF_INET || !mask_to_prefix(&mask, &out->prefix)) {
		cfg_error_at(p, &arg[1], "'%.*s' is not a valid IPv4 mask",
			     (int)arg[1].len, arg[1].s);
		return false;
	}
	return true;
}

struct keyword_value {
	const char *word;
	uint16_t id;
	uint16_t bits;
};

static const struct keyword_value *lookup(const struct cfg_token *t,
					  const struct keyword_value *tab,
					  size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cfg_tok_eq(t, tab[i].word))
			return &tab[i];
	return NULL;
}

#define LOOKUP(t, tab) lookup((t), (tab), sizeof(tab) / sizeof((tab)[0]))

static const struct keyword_value ikev2_encr_words[] = {
	{ "aes-cbc-128", IKEV2_ENCR_AES_CBC, 128 },
	{ "aes-cbc-192", IKEV2_ENCR_AES_CBC, 192 },
	{ "aes-cbc-256", IKEV2_ENCR_AES_CBC, 256 },
	{ "aes-gcm-128", IKEV2_ENCR_AES_GCM_16, 128 },
	{ "aes-gcm-256", IKEV2_ENCR_AES_GCM_16, 256 },
	{ "3des", IKEV2_ENCR_3DES, 0 },
};

static const struct keyword_value ikev2_integ_words[] = {
	{ "sha1", IKEV2_INTEG_HMAC_SHA1_96, 0 },
	{ "sha256", IKEV2_INTEG_HMAC_SHA2_256_128, 0 },
	{ "sha384", IKEV2_INTEG_HMAC_SHA2_384_192, 0 },
	{ "sha512", IKEV2_INTEG_HMAC_SHA2_512_256, 0 },
	{ "md5", IKEV2_INTEG_HMAC_MD5_96, 0 },
};

static const struct keyword_value ikev2_prf_words[] = {
	{ "sha1", IKEV2_PRF_HMAC_SHA1, 0 },
	{ "sha256", IKEV2_PRF_HMAC_SHA2_256, 0 },
	{ "sha384", IKEV2_PRF_HMAC_SHA2_384, 0 },
	{ "sha512", IKEV2_PRF_HMAC_SHA2_512, 0 },
	{ "md5", IKEV2_PRF_HMAC_MD5, 0 },
};

bool cfg_parse_ikev2_encr(struct cfg_parser *p, const struct cfg_token *t,
			  struct cfg_alg *out)
{
	const struct keyword_value *kv = LOOKUP(t, ikev2_encr_words);

	if (!kv) {
		cfg_error_at(p, t, "unknown encryption '%.*s' (expected "
			     "aes-cbc-128|192|256, aes-gcm-128|256 or 3des)",
			     (int)t->len, t->s);
		return false;
	}
	out->id = kv->id;
	out->key_bits = kv->bits;
	if (cfg_alg_is_legacy_encr(kv->id))
		cfg_warn_at(p, t, "encryption %.*s is legacy; accepted only "
			    "because it is configured", (int)t->len, t->s);
	return true;
}

bool cfg_parse_ikev2_integ(struct cfg_parser *p, const struct cfg_token *t,
			   uint16_t *out)
{
	const struct keyword_value *kv = LOOKUP(t, ikev2_integ_words);

	if (!kv) {
		cfg_error_at(p, t, "unknown integrity '%.*s' (expected sha1, "
			     "sha256, sha384, sha512 or md5)",
			     (int)t->len, t->s);
		return false;
	}
	if (kv->id == IKEV2_INTEG_HMAC_MD5_96)
		cfg_warn_at(p, t, "integrity md5 is legacy; accepted only "
			    "because it is configured");
	*out = kv->id;
	return true;
}

bool cfg_parse_ikev2_prf(struct cfg_parser *p, const struct cfg_token *t,
			 uint16_t *out)
{
	const struct keyword_value *kv = LOOKUP(t, ikev2_prf_words);

	if (!kv) {
		cfg_error_at(p, t, "unknown prf '%.*s' (expected sha1, "
			     "sha256, sha384, sha512 or md5)",
			     (int)t->len, t->s);
		return false;
	}
	*out = kv->id;
	return true;
}

static bool group_supported(uint32_t g)
{
	switch (g) {
	case IKEV2_DH_MODP1024: case IKEV2_DH_MODP1536:
	case IKEV2_DH_MODP2048: case IKEV2_DH_MODP3072:
	case IKEV2_DH_MODP4096: case IKEV2_DH_ECP256:
	case IKEV2_DH_ECP384: case IKEV2_DH_ECP521:
	case IKEV2_DH_CURVE25519:
		return true;
	default:
		return false;
	}
}

bool cfg_dh_is_legacy(uint16_t group)
{
	return group == IKEV2_DH_MODP1024 || group == IKEV2_DH_MODP1536;
}

bool cfg_alg_is_legacy_encr(uint16_t id)
{
	return id == IKEV2_ENCR_3DES;
}

/* "14" in a proposal, "group14" after "set pfs": prefix says which. */
bool cfg_parse_dh_group(struct cfg_parser *p, const struct cfg_token *t,
			const char *prefix, uint16_t *out)
{
	size_t plen = strlen(prefix);
	struct cfg_token num = *t;
	uint32_t g;

	if (t->len <= plen || strncasecmp(t->s, prefix, plen) != 0) {
		cfg_error_at(p, t, "expected %sN, got '%.*s'", prefix,
			     (int)t->len, t->s);
		return false;
	}
	num.s += plen;
	num.len -= plen;
	num.col += (unsigned)plen;
	if (!cfg_parse_u32(p, &num, 1, 65535, &g))
		return false;
	if (!group_supported(g)) {
		cfg_error_at(p, t, "DH group %u is not supported (use 14, 15, "
			     "16, 19, 20, 21 or 31; 2 and 5 as legacy)", g);
		return false;
	}
	if (cfg_dh_is_legacy((uint16_t)g))
		cfg_warn_at(p, t, "DH group %u is legacy; accepted only "
			    "because it is configured", g);
	*out = (uint16_t)g;
	return true;
}

bool cfg_parse_auth(struct cfg_parser *p, const struct cfg_token *t,
		    enum cfg_auth *out)
{
	if (cfg_tok_eq(t, "rsa-sig"))
		*out = CFG_AUTH_RSA_SIG;
	else if (cfg_tok_eq(t, "pre-share"))
		*out = CFG_AUTH_PRE_SHARE;
	else if (cfg_tok_eq(t, "ecdsa-sig"))
		*out = CFG_AUTH_ECDSA_SIG;
	else {
		cfg_error_at(p, t, "unknown authentication method '%.*s' "
			     "(expected rsa-sig, pre-share or ecdsa-sig)",
			     (int)t->len, t->s);
		return false;
	}
	return true;
}

/* Object names: printable, no '!' first (it would read as a comment). */
bool cfg_valid_name(struct cfg_parser *p, const struct cfg_token *t,
		    char *dst, size_t size)
{
	for (size_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->s[i];

		if (c <= 0x20 || c >= 0x7f) {
			cfg_error_at(p, t, "name '%.*s' has a character that "
				     "is not printable ASCII", (int)t->len,
				     t->s);
			return false;
		}
	}
	return cfg_tok_copy(p, t, dst, size, "name");
}

/* IOS uses the integrity algorithm as PRF when none is configured. */
uint16_t cfg_prf_for_integ(uint16_t integ)
{
	switch (integ) {
	case IKEV2_INTEG_HMAC_MD5_96: return IKEV2_PRF_HMAC_MD5;
	case IKEV2_INTEG_HMAC_SHA1_96: return IKEV2_PRF_HMAC_SHA1;
	case IKEV2_INTEG_HMAC_SHA2_256_128: return IKEV2_PRF_HMAC_SHA2_256;
	case IKEV2_INTEG_HMAC_SHA2_384_192: return IKEV2_PRF_HMAC_SHA2_384;
	case IKEV2_INTEG_HMAC_SHA2_512_256: return IKEV2_PRF_HMAC_SHA2_512;
	default: return 0;
	}
}
