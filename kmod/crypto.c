// SPDX-License-Identifier: GPL-2.0
/*
 * The transforms are the same crypto API constructions the kernel's own
 * ESP (esp4/esp6) builds, wrapped in the same IV generators, so packets
 * are bit-compatible with xfrm peers and IVs are never chosen by us.
 */
#include <crypto/authenc.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <uapi/linux/ikevti.h>

#include "crypto.h"

#define AEAD(enc, bytes, core) \
	{ enc, IKEVTI_INTEG_NONE, bytes, 4, 0, 16, false, core, NULL, "seqiv" }

/* CBC with HMAC: ICV lengths per RFC 2403, 2404 and 4868. */
#define CBC(enc, cipher, bytes, integ, hash, akey, icv, legacy) \
	{ enc, integ, bytes, 0, akey, icv, legacy, cipher, hash, "echainiv" }

static const struct ikevti_alg ikevti_algs[] = {
	AEAD(IKEVTI_ENC_AES_GCM_16, 16, "rfc4106(gcm(aes))"),
	AEAD(IKEVTI_ENC_AES_GCM_16, 24, "rfc4106(gcm(aes))"),
	AEAD(IKEVTI_ENC_AES_GCM_16, 32, "rfc4106(gcm(aes))"),
	AEAD(IKEVTI_ENC_CHACHA20_POLY1305, 32, "rfc7539esp(chacha20,poly1305)"),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 16, IKEVTI_INTEG_HMAC_SHA1_96,
	    "hmac(sha1)", 20, 12, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 16, IKEVTI_INTEG_HMAC_SHA256_128,
	    "hmac(sha256)", 32, 16, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 16, IKEVTI_INTEG_HMAC_SHA384_192,
	    "hmac(sha384)", 48, 24, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 16, IKEVTI_INTEG_HMAC_SHA512_256,
	    "hmac(sha512)", 64, 32, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 16, IKEVTI_INTEG_HMAC_MD5_96,
	    "hmac(md5)", 16, 12, true),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 24, IKEVTI_INTEG_HMAC_SHA1_96,
	    "hmac(sha1)", 20, 12, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 24, IKEVTI_INTEG_HMAC_SHA256_128,
	    "hmac(sha256)", 32, 16, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 24, IKEVTI_INTEG_HMAC_SHA384_192,
	    "hmac(sha384)", 48, 24, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 24, IKEVTI_INTEG_HMAC_SHA512_256,
	    "hmac(sha512)", 64, 32, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 24, IKEVTI_INTEG_HMAC_MD5_96,
	    "hmac(md5)", 16, 12, true),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 32, IKEVTI_INTEG_HMAC_SHA1_96,
	    "hmac(sha1)", 20, 12, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 32, IKEVTI_INTEG_HMAC_SHA256_128,
	    "hmac(sha256)", 32, 16, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 32, IKEVTI_INTEG_HMAC_SHA384_192,
	    "hmac(sha384)", 48, 24, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 32, IKEVTI_INTEG_HMAC_SHA512_256,
	    "hmac(sha512)", 64, 32, false),
	CBC(IKEVTI_ENC_AES_CBC, "cbc(aes)", 32, IKEVTI_INTEG_HMAC_MD5_96,
	    "hmac(md5)", 16, 12, true),
	CBC(IKEVTI_ENC_3DES_CBC, "cbc(des3_ede)", 24, IKEVTI_INTEG_HMAC_SHA1_96,
	    "hmac(sha1)", 20, 12, true),
	CBC(IKEVTI_ENC_3DES_CBC, "cbc(des3_ede)", 24, IKEVTI_INTEG_HMAC_SHA256_128,
	    "hmac(sha256)", 32, 16, true),
	CBC(IKEVTI_ENC_3DES_CBC, "cbc(des3_ede)", 24, IKEVTI_INTEG_HMAC_SHA384_192,
	    "hmac(sha384)", 48, 24, true),
	CBC(IKEVTI_ENC_3DES_CBC, "cbc(des3_ede)", 24, IKEVTI_INTEG_HMAC_SHA512_256,
	    "hmac(sha512)", 64, 32, true),
	CBC(IKEVTI_ENC_3DES_CBC, "cbc(des3_ede)", 24, IKEVTI_INTEG_HMAC_MD5_96,
	    "hmac(md5)", 16, 12, true),
};

static bool enc_is_aead(u16 enc)
{
	return enc == IKEVTI_ENC_AES_GCM_16 ||
	       enc == IKEVTI_ENC_CHACHA20_POLY1305;
}

static bool enc_known(u16 enc)
{
	return enc_is_aead(enc) || enc == IKEVTI_ENC_AES_CBC ||
	       enc == IKEVTI_ENC_3DES_CBC;
}

static bool integ_known(u16 integ)
{
	switch (integ) {
	case IKEVTI_INTEG_HMAC_MD5_96:
	case IKEVTI_INTEG_HMAC_SHA1_96:
	case IKEVTI_INTEG_HMAC_SHA256_128:
	case IKEVTI_INTEG_HMAC_SHA384_192:
	case IKEVTI_INTEG_HMAC_SHA512_256:
		return true;
	}
	return false;
}

/* Explain why (enc, integ) is not a pair we implement. */
static int refuse_pair(u16 enc, u16 integ, struct netlink_ext_ack *extack)
{
	if (!enc_known(enc))
		NL_SET_ERR_MSG(extack, "unsupported encryption transform");
	else if (enc_is_aead(enc) && integ != IKEVTI_INTEG_NONE)
		NL_SET_ERR_MSG(extack,
			       "combined-mode (AEAD) transform takes no integrity algorithm");
	else if (!enc_is_aead(enc) && integ == IKEVTI_INTEG_NONE)
		NL_SET_ERR_MSG(extack,
			       "CBC transform needs an integrity algorithm");
	else if (!enc_is_aead(enc) && !integ_known(integ))
		NL_SET_ERR_MSG(extack, "unsupported integrity transform");
	else
		return 0;
	return -EOPNOTSUPP;
}

const struct ikevti_alg *ikevti_alg_lookup(u16 enc, u16 integ,
					   unsigned int enc_key_len,
					   struct netlink_ext_ack *extack)
{
	unsigned int i;
	int err;

	err = refuse_pair(enc, integ, extack);
	if (err)
		return ERR_PTR(err);
	for (i = 0; i < ARRAY_SIZE(ikevti_algs); i++) {
		const struct ikevti_alg *alg = &ikevti_algs[i];

		if (alg->enc == enc && alg->integ == integ &&
		    alg->enc_key_len == enc_key_len)
			return alg;
	}
	if (enc == IKEVTI_ENC_3DES_CBC)
		NL_SET_ERR_MSG(extack, "3DES-CBC key must be 24 bytes");
	else if (enc == IKEVTI_ENC_CHACHA20_POLY1305)
		NL_SET_ERR_MSG(extack,
			       "ChaCha20-Poly1305 key must be 32 bytes (salt separate)");
	else
		NL_SET_ERR_MSG(extack,
			       "AES key must be 16, 24 or 32 bytes (salt separate)");
	return ERR_PTR(-EINVAL);
}

static int build_name(const struct ikevti_alg *alg, bool esn, char *name)
{
	char core[CRYPTO_MAX_ALG_NAME];
	int n;

	if (!alg->hash)
		n = strscpy(core, alg->core, sizeof(core));
	else
		n = snprintf(core, sizeof(core), "%s(%s,%s)",
			     esn ? "authencesn" : "authenc", alg->hash,
			     alg->core);
	if (n < 0 || n >= (int)sizeof(core))
		return -ENAMETOOLONG;
	n = snprintf(name, CRYPTO_MAX_ALG_NAME, "%s(%s)", alg->geniv, core);
	return n < CRYPTO_MAX_ALG_NAME ? 0 : -ENAMETOOLONG;
}

/* AEAD keys are the cipher key followed by the nonce salt. */
static int set_aead_key(struct crypto_aead *aead,
			const struct ikevti_keys *keys)
{
	unsigned int len = keys->enc_key_len + keys->salt_len;
	u8 *blob;
	int err;

	blob = kmalloc(len, GFP_KERNEL);
	if (!blob)
		return -ENOMEM;
	memcpy(blob, keys->enc_key, keys->enc_key_len);
	memcpy(blob + keys->enc_key_len, keys->salt, keys->salt_len);
	err = crypto_aead_setkey(aead, blob, len);
	kfree_sensitive(blob);
	return err;
}

/*
 * authenc keys are one blob: an rtattr carrying the cipher key length,
 * then the HMAC key, then the cipher key (include/crypto/authenc.h).
 */
static int set_authenc_key(struct crypto_aead *aead,
			   const struct ikevti_keys *keys)
{
	struct crypto_authenc_key_param *param;
	unsigned int len;
	struct rtattr *rta;
	u8 *blob, *p;
	int err;

	len = RTA_SPACE(sizeof(*param)) + keys->auth_key_len +
	      keys->enc_key_len;
	blob = kmalloc(len, GFP_KERNEL);
	if (!blob)
		return -ENOMEM;
	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(keys->enc_key_len);
	p = blob + RTA_SPACE(sizeof(*param));
	memcpy(p, keys->auth_key, keys->auth_key_len);
	memcpy(p + keys->auth_key_len, keys->enc_key, keys->enc_key_len);
	err = crypto_aead_setkey(aead, blob, len);
	kfree_sensitive(blob);
	return err;
}

struct crypto_aead *ikevti_aead_create(const struct ikevti_alg *alg,
				       bool esn,
				       const struct ikevti_keys *keys,
				       struct netlink_ext_ack *extack)
{
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *aead;
	int err;

	err = build_name(alg, esn, name);
	if (err)
		return ERR_PTR(err);
	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead)) {
		NL_SET_ERR_MSG(extack,
			       "the kernel crypto API lacks this transform");
		return aead;
	}
	if (alg->hash)
		err = set_authenc_key(aead, keys);
	else
		err = set_aead_key(aead, keys);
	if (!err)
		err = crypto_aead_setauthsize(aead, alg->icv_len);
	if (err) {
		NL_SET_ERR_MSG(extack, "the crypto API refused the key");
		crypto_free_aead(aead);
		return ERR_PTR(err);
	}
	return aead;
}

/* Byte offsets of the request and the sg table in one allocation. */
struct crypt_layout {
	unsigned int req, sg, total;
};

/*
 * The IV follows the header, aligned for the tfm, with alignmask spare
 * bytes so that aligning it never runs into the request.
 */
static void crypt_layout(struct crypto_aead *aead, unsigned int nsg,
			 struct crypt_layout *l)
{
	unsigned int off = sizeof(struct ikevti_crypt);

	off += crypto_aead_alignmask(aead) + crypto_aead_ivsize(aead);
	off = ALIGN(off, crypto_tfm_ctx_alignment());
	l->req = off;
	off += sizeof(struct aead_request) + crypto_aead_reqsize(aead);
	off = ALIGN(off, __alignof__(struct scatterlist));
	l->sg = off;
	l->total = off + nsg * sizeof(struct scatterlist);
}

/* nfrags is what skb_cow_data() returned; one more entry for the AAD. */
struct ikevti_crypt *ikevti_crypt_alloc(struct crypto_aead *aead,
					unsigned int nfrags)
{
	struct ikevti_crypt *c;
	struct crypt_layout l;
	u8 *base;

	crypt_layout(aead, nfrags + 1, &l);
	base = kmalloc(l.total, GFP_ATOMIC);
	if (!base)
		return NULL;
	c = (struct ikevti_crypt *)base;
	c->iv = PTR_ALIGN(base + sizeof(*c), crypto_aead_alignmask(aead) + 1);
	c->req = (struct aead_request *)(base + l.req);
	c->sg = (struct scatterlist *)(base + l.sg);
	aead_request_set_tfm(c->req, aead);
	return c;
}

void ikevti_crypt_set_aad(struct ikevti_crypt *c, __be32 spi, u64 seq,
			  bool esn)
{
	__be32 *aad = (__be32 *)c->aad;

	aad[0] = spi;
	if (esn) {
		aad[1] = htonl(upper_32_bits(seq));
		aad[2] = htonl(lower_32_bits(seq));
		c->assoclen = 12;
	} else {
		aad[1] = htonl(lower_32_bits(seq));
		c->assoclen = 8;
	}
}

/* sg[0] is the AAD; the rest maps [offset, offset + len) of the skb. */
int ikevti_crypt_map(struct ikevti_crypt *c, struct sk_buff *skb,
		     unsigned int offset, unsigned int len,
		     unsigned int nfrags)
{
	int n;

	c->skb = skb;
	sg_init_table(c->sg, nfrags + 1);
	sg_set_buf(&c->sg[0], c->aad, c->assoclen);
	n = skb_to_sgvec(skb, &c->sg[1], offset, len);
	return n < 0 ? n : 0;
}

void ikevti_crypt_free(struct ikevti_crypt *c)
{
	kfree(c);
}
