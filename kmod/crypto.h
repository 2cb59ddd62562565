/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP transforms: which crypto API AEAD implements each (enc, integ, key
 * length) choice, and the per-packet scratch a request needs.
 */
#ifndef _IKEVTI_CRYPTO_H
#define _IKEVTI_CRYPTO_H

#include <crypto/aead.h>
#include <linux/padata.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>

struct ikevti_queue;
struct netlink_ext_ack;

struct ikevti_alg {
	u16 enc;		/* enum ikevti_enc */
	u16 integ;		/* enum ikevti_integ */
	u8 enc_key_len;		/* without the salt */
	u8 salt_len;		/* AEAD nonce salt (RFC 4106/7634) */
	u8 auth_key_len;	/* 0 for AEAD transforms */
	u8 icv_len;
	bool legacy;		/* still accepted, flagged in dumps */
	const char *core;	/* AEAD template, or the CBC cipher */
	const char *hash;	/* HMAC hash for authenc, NULL for AEAD */
	const char *geniv;	/* IV generator wrapped around it */
};

/* Key material of one SA as netlink delivered it. */
struct ikevti_keys {
	const u8 *enc_key;
	unsigned int enc_key_len;
	const u8 *salt;
	unsigned int salt_len;
	const u8 *auth_key;
	unsigned int auth_key_len;
};

/* Largest values over the table, for headroom, tailroom and MTU. */
#define IKEVTI_MAX_IV_LEN	16
#define IKEVTI_MAX_ICV_LEN	32
#define IKEVTI_MAX_PAD_LEN	15

const struct ikevti_alg *ikevti_alg_lookup(u16 enc, u16 integ,
					   unsigned int enc_key_len,
					   struct netlink_ext_ack *extack);
struct crypto_aead *ikevti_aead_create(const struct ikevti_alg *alg,
				       bool esn,
				       const struct ikevti_keys *keys,
				       struct netlink_ext_ack *extack);

/*
 * One kmalloc per packet holds everything a request needs: the AAD as
 * its own scatterlist entry (so ESN needs no shuffling of the packet),
 * the IV buffer, the aead_request with its tfm context and the sg table.
 */
struct ikevti_crypt {
	struct sk_buff *skb;
	struct aead_request *req;
	struct scatterlist *sg;
	u8 *iv;
	unsigned int assoclen;
	u8 aad[12];		/* SPI | [seq_hi] | seq_lo */
	/* parallel.c */
	struct padata_priv padata;
	struct ikevti_queue *queue;
	int err;
	bool encrypt;
};

struct ikevti_crypt *ikevti_crypt_alloc(struct crypto_aead *aead,
					unsigned int nfrags);
int ikevti_crypt_map(struct ikevti_crypt *c, struct sk_buff *skb,
		     unsigned int offset, unsigned int len,
		     unsigned int nfrags);
void ikevti_crypt_set_aad(struct ikevti_crypt *c, __be32 spi, u64 seq,
			  bool esn);
void ikevti_crypt_free(struct ikevti_crypt *c);

#endif /* _IKEVTI_CRYPTO_H */
