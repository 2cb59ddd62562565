// SPDX-License-Identifier: GPL-2.0
/*
 * Key exchange through EVP_PKEY only (no deprecated DH_/EC_KEY calls).
 * Every peer value is validated by OpenSSL while it is imported or set
 * as the peer, so a bad KE payload is an error here, not a weak secret.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "crypto/dh.h"
#include "ikev2/ikev2_const.h"

enum dh_kind { DH_MODP, DH_ECP, DH_X25519 };

struct group_info {
	uint16_t id;
	enum dh_kind kind;
	const char *name;		/* OpenSSL group or curve name */
	size_t len;			/* modulus or coordinate bytes */
	int nid;			/* ECP curves */
};

static const struct group_info groups[] = {
	{ IKEV2_DH_MODP1024, DH_MODP, NULL, 128, 0 },
	{ IKEV2_DH_MODP1536, DH_MODP, "modp_1536", 192, 0 },
	{ IKEV2_DH_MODP2048, DH_MODP, "modp_2048", 256, 0 },
	{ IKEV2_DH_MODP3072, DH_MODP, "modp_3072", 384, 0 },
	{ IKEV2_DH_MODP4096, DH_MODP, "modp_4096", 512, 0 },
	{ IKEV2_DH_ECP256, DH_ECP, "P-256", 32, NID_X9_62_prime256v1 },
	{ IKEV2_DH_ECP384, DH_ECP, "P-384", 48, NID_secp384r1 },
	{ IKEV2_DH_ECP521, DH_ECP, "P-521", 66, NID_secp521r1 },
	{ IKEV2_DH_CURVE25519, DH_X25519, "X25519", 32, 0 },
};

/* RFC 2409 6.2, the second Oakley group (1024-bit MODP). OpenSSL has no
 * name for it, so its prime is given explicitly; it is a safe prime and
 * its generator is 2. */
static const char modp1024_p[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
	"FFFFFFFFFFFFFFFF";

struct ike_dh {
	const struct group_info *g;
	EVP_PKEY *key;
};

static const struct group_info *find_group(uint16_t id)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

size_t ike_dh_public_len(uint16_t group)
{
	const struct group_info *g = find_group(group);

	if (!g)
		return 0;
	return g->kind == DH_ECP ? 2 * g->len : g->len;
}

size_t ike_dh_shared_len(uint16_t group)
{
	const struct group_info *g = find_group(group);

	return g ? g->len : 0;
}

bool ike_dh_supported(uint16_t group)
{
	return find_group(group) != NULL;
}

bool ike_dh_is_legacy(uint16_t group)
{
	return group == IKEV2_DH_MODP1024 || group == IKEV2_DH_MODP1536;
}

uint16_t ike_dh_group(const struct ike_dh *dh)
{
	return dh->g->id;
}

/* ---------------------------------------------------------------- */
/* Building EVP_PKEYs from parameters */

/* The domain of a MODP group. Group 2 is given without q: OpenSSL 3.0
 * cannot generate keys for a 1024-bit p with q set, so its peer values
 * get the range check only (it is legacy and flagged as such). */
static bool push_modp_domain(OSSL_PARAM_BLD *bld, const struct group_info *g,
			     BIGNUM **p, BIGNUM **two)
{
	if (g->name)
		return OSSL_PARAM_BLD_push_utf8_string(
			bld, OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0);
	if (!BN_hex2bn(p, modp1024_p) || !(*two = BN_new()) ||
	    !BN_set_word(*two, 2))
		return false;
	return OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, *p) &&
	       OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, *two);
}

static EVP_PKEY *pkey_from_bld(const char *type, OSSL_PARAM_BLD *bld,
			       int selection)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *pkey = NULL;

	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection, params) <= 0)
		pkey = NULL;
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* pub == NULL: domain parameters only. */
static EVP_PKEY *modp_pkey(const struct group_info *g, const uint8_t *pub,
			   size_t pub_len)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *p = NULL, *two = NULL, *y = NULL;
	EVP_PKEY *pkey = NULL;

	if (bld && push_modp_domain(bld, g, &p, &two) &&
	    (!pub || ((y = BN_bin2bn(pub, (int)pub_len, NULL)) &&
		      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y))))
		pkey = pkey_from_bld("DH", bld,
				     pub ? EVP_PKEY_PUBLIC_KEY :
					   EVP_PKEY_KEY_PARAMETERS);
	BN_free(p);
	BN_free(two);
	BN_free(y);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

/* An EC key from SEC 1 uncompressed point bytes and/or a scalar. */
static EVP_PKEY *ecp_pkey(const struct group_info *g, const uint8_t *point,
			  size_t point_len, const BIGNUM *priv)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *pkey = NULL;

	if (bld &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    g->name, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					     point, point_len) &&
	    (!priv || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY,
					     priv)))
		pkey = pkey_from_bld("EC", bld,
				     priv ? EVP_PKEY_KEYPAIR :
					    EVP_PKEY_PUBLIC_KEY);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

/* The peer's KE data as an EVP_PKEY of our group. */
static EVP_PKEY *peer_pkey(const struct group_info *g, const uint8_t *data,
			   size_t len)
{
	uint8_t point[1 + 2 * 66];

	switch (g->kind) {
	case DH_MODP:
		return modp_pkey(g, data, len);
	case DH_ECP:
		/* RFC 5903 7: x | y on the wire; OpenSSL wants 0x04 first. */
		point[0] = POINT_CONVERSION_UNCOMPRESSED;
		memcpy(point + 1, data, len);
		return ecp_pkey(g, point, len + 1, NULL);
	case DH_X25519:
		return EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL,
						      data, len);
	}
	return NULL;
}

/* ---------------------------------------------------------------- */
/* Key pairs */

static EVP_PKEY *generate(const struct group_info *g)
{
	EVP_PKEY *params, *key = NULL;
	EVP_PKEY_CTX *ctx;

	if (g->kind == DH_ECP)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", g->name);
	if (g->kind == DH_X25519)
		return EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	params = modp_pkey(g, NULL, 0);
	ctx = params ? EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL) : NULL;
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_generate(ctx, &key) <= 0)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	return key;
}

struct ike_dh *ike_dh_new(uint16_t group)
{
	const struct group_info *g = find_group(group);
	struct ike_dh *dh;

	if (!g || !(dh = OPENSSL_zalloc(sizeof(*dh))))
		return NULL;
	dh->g = g;
	dh->key = generate(g);
	if (!dh->key) {
		OPENSSL_free(dh);
		return NULL;
	}
	return dh;
}

/* priv * G as uncompressed point bytes; EC_POINT is not deprecated. */
static size_t ec_public_from_scalar(const struct group_info *g,
				    const BIGNUM *priv, uint8_t *out,
				    size_t size)
{
	EC_GROUP *grp = EC_GROUP_new_by_curve_name(g->nid);
	EC_POINT *pt = grp ? EC_POINT_new(grp) : NULL;
	size_t n = 0;

	if (pt && EC_POINT_mul(grp, pt, priv, NULL, NULL, NULL))
		n = EC_POINT_point2oct(grp, pt, POINT_CONVERSION_UNCOMPRESSED,
				       out, size, NULL);
	EC_POINT_free(pt);
	EC_GROUP_free(grp);
	return n;
}

static EVP_PKEY *ecp_from_private(const struct group_info *g,
				  const uint8_t *priv, size_t len)
{
	BIGNUM *d = BN_bin2bn(priv, (int)len, NULL);
	uint8_t point[1 + 2 * 66];
	size_t n = d ? ec_public_from_scalar(g, d, point, sizeof(point)) : 0;
	EVP_PKEY *key = n ? ecp_pkey(g, point, n, d) : NULL;

	BN_clear_free(d);
	return key;
}

/* y = g^x mod p with the group's own p and g, then the key pair. */
static EVP_PKEY *modp_from_private(const struct group_info *g,
				   const uint8_t *priv, size_t len)
{
	EVP_PKEY *params = modp_pkey(g, NULL, 0), *key = NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *p = NULL, *gen = NULL, *dp = NULL, *dg = NULL;
	BIGNUM *x = BN_secure_new(), *y = BN_new();
	BN_CTX *ctx = BN_CTX_new();

	if (!params || !bld || !x || !y || !ctx ||
	    !BN_bin2bn(priv, (int)len, x) ||
	    !EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_P, &p) ||
	    !EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_G, &gen))
		goto out;
	BN_set_flags(x, BN_FLG_CONSTTIME);
	if (BN_mod_exp(y, gen, x, p, ctx) &&
	    push_modp_domain(bld, g, &dp, &dg) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, x))
		key = pkey_from_bld("DH", bld, EVP_PKEY_KEYPAIR);
out:
	BN_CTX_free(ctx);
	BN_clear_free(x);
	BN_free(y);
	BN_free(p);
	BN_free(gen);
	BN_free(dp);
	BN_free(dg);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_free(params);
	return key;
}

struct ike_dh *ike_dh_new_from_private(uint16_t group, const uint8_t *priv,
				       size_t len)
{
	const struct group_info *g = find_group(group);
	struct ike_dh *dh;

	if (!g || !(dh = OPENSSL_zalloc(sizeof(*dh))))
		return NULL;
	dh->g = g;
	if (g->kind == DH_MODP)
		dh->key = modp_from_private(g, priv, len);
	else if (g->kind == DH_ECP)
		dh->key = ecp_from_private(g, priv, len);
	else
		dh->key = EVP_PKEY_new_raw_private_key_ex(NULL, "X25519",
							  NULL, priv, len);
	if (!dh->key) {
		OPENSSL_free(dh);
		return NULL;
	}
	return dh;
}

void ike_dh_free(struct ike_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	OPENSSL_free(dh);
}

/* ---------------------------------------------------------------- */
/* Values on the wire */

int ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t len)
{
	uint8_t point[1 + 2 * 66];
	BIGNUM *y = NULL;
	size_t n = 0;
	int rc = -1;

	if (len != ike_dh_public_len(dh->g->id))
		return -1;
	switch (dh->g->kind) {
	case DH_MODP:
		/* RFC 7296 3.4: zero-padded to the modulus length. */
		if (EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY,
					  &y) &&
		    BN_bn2binpad(y, out, (int)len) == (int)len)
			rc = 0;
		BN_free(y);
		return rc;
	case DH_ECP:
		if (!EVP_PKEY_get_octet_string_param(dh->key,
						     OSSL_PKEY_PARAM_PUB_KEY,
						     point, sizeof(point), &n) ||
		    n != len + 1 || point[0] != POINT_CONVERSION_UNCOMPRESSED)
			return -1;
		memcpy(out, point + 1, len);
		return 0;
	case DH_X25519:
		n = len;
		return EVP_PKEY_get_raw_public_key(dh->key, out, &n) == 1 &&
			       n == len ? 0 : -1;
	}
	return -1;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* RFC 7296 2.14: g^ir is zero-padded to the modulus length. */
static bool set_dh_pad(EVP_PKEY_CTX *ctx)
{
	unsigned int one = 1;
	OSSL_PARAM params[2] = {
		OSSL_PARAM_construct_uint(OSSL_EXCHANGE_PARAM_PAD, &one),
		OSSL_PARAM_construct_end(),
	};

	return EVP_PKEY_CTX_set_params(ctx, params) > 0;
}

int ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t peer_len,
		  uint8_t *out, size_t len)
{
	EVP_PKEY *pk;
	EVP_PKEY_CTX *ctx = NULL;
	size_t n = len;
	int rc = -1;

	if (peer_len != ike_dh_public_len(dh->g->id) ||
	    len != ike_dh_shared_len(dh->g->id))
		return -1;
	pk = peer_pkey(dh->g, peer, peer_len);
	if (!pk)
		return -1;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	/* validate_peer = 1: OpenSSL checks the range / the subgroup / that
	 * the point is on the curve before deriving anything. */
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
	    (dh->g->kind == DH_MODP && !set_dh_pad(ctx)) ||
	    EVP_PKEY_derive_set_peer_ex(ctx, pk, 1) <= 0 ||
	    EVP_PKEY_derive(ctx, out, &n) <= 0 || n != len)
		goto out;
	/* RFC 8031 2.1: an all-zero X25519 result must be refused. */
	if (dh->g->kind == DH_X25519 && all_zero(out, len))
		goto out;
	rc = 0;
out:
	if (rc)
		OPENSSL_cleanse(out, len);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return rc;
}
