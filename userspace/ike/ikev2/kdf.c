// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 7296 key derivation on top of ike_prf(). Every intermediate buffer
 * that held key material is cleansed before it goes out of scope.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "ikev2/kdf.h"

int ike_prf_plus(uint16_t prf, const uint8_t *key, size_t key_len,
		 const struct ike_chunk *seed, size_t n_seed, uint8_t *out,
		 size_t out_len)
{
	size_t hlen = ike_prf_len(prf);
	uint8_t t[IKE_PRF_MAX_LEN];
	struct ike_chunk in[8];
	size_t done = 0;
	uint8_t counter;

	if (hlen == 0 || n_seed > 6 || out_len > 255 * hlen)
		return -1;
	for (counter = 1; done < out_len; counter++) {
		size_t n = 0, take;

		/* T1 has no previous block; later ones chain the last one. */
		if (counter > 1)
			in[n++] = (struct ike_chunk){ t, hlen };
		for (size_t i = 0; i < n_seed; i++)
			in[n++] = seed[i];
		in[n++] = (struct ike_chunk){ &counter, 1 };
		if (ike_prf(prf, key, key_len, in, n, t) < 0) {
			OPENSSL_cleanse(t, sizeof(t));
			return -1;
		}
		take = out_len - done < hlen ? out_len - done : hlen;
		memcpy(out + done, t, take);
		done += take;
	}
	OPENSSL_cleanse(t, sizeof(t));
	return 0;
}

/* RFC 7296 2.14 keys the PRF with Ni | Nr; the nonces are at most 256
 * bytes each (3.9), so the key fits on the stack. */
int ike_skeyseed(uint16_t prf, const uint8_t *ni, size_t ni_len,
		 const uint8_t *nr, size_t nr_len, const uint8_t *gir,
		 size_t gir_len, uint8_t *out)
{
	uint8_t key[512];
	struct ike_chunk in = { gir, gir_len };
	int rc;

	if (ni_len > 256 || nr_len > 256)
		return -1;
	memcpy(key, ni, ni_len);
	memcpy(key + ni_len, nr, nr_len);
	rc = ike_prf(prf, key, ni_len + nr_len, &in, 1, out);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

int ike_rekey_skeyseed(uint16_t old_prf, const uint8_t *old_sk_d,
		       size_t old_sk_d_len, const uint8_t *gir_new,
		       size_t gir_len, const uint8_t *ni, size_t ni_len,
		       const uint8_t *nr, size_t nr_len, uint8_t *out)
{
	struct ike_chunk in[3] = {
		{ gir_new, gir_len }, { ni, ni_len }, { nr, nr_len },
	};

	return ike_prf(old_prf, old_sk_d, old_sk_d_len, in, 3, out);
}

int ike_sa_keys_derive(uint16_t prf, const uint8_t *skeyseed,
		       const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		       size_t nr_len, const uint8_t spi_i[8],
		       const uint8_t spi_r[8], size_t integ_len,
		       size_t encr_len, struct ike_sa_keys *out)
{
	size_t plen = ike_prf_len(prf);
	struct ike_chunk seed[4] = {
		{ ni, ni_len }, { nr, nr_len }, { spi_i, 8 }, { spi_r, 8 },
	};
	uint8_t km[7 * IKE_KEY_MAX];
	const uint8_t *at = km;
	size_t total = 3 * plen + 2 * integ_len + 2 * encr_len;

	memset(out, 0, sizeof(*out));
	if (plen == 0 || integ_len > IKE_KEY_MAX || encr_len > IKE_KEY_MAX)
		return -1;
	if (ike_prf_plus(prf, skeyseed, plen, seed, 4, km, total) < 0)
		return -1;
	out->prf_len = plen;
	out->integ_len = integ_len;
	out->encr_len = encr_len;
	/* The order is fixed by RFC 7296 2.14. */
	memcpy(out->sk_d, at, plen), at += plen;
	memcpy(out->sk_ai, at, integ_len), at += integ_len;
	memcpy(out->sk_ar, at, integ_len), at += integ_len;
	memcpy(out->sk_ei, at, encr_len), at += encr_len;
	memcpy(out->sk_er, at, encr_len), at += encr_len;
	memcpy(out->sk_pi, at, plen), at += plen;
	memcpy(out->sk_pr, at, plen);
	OPENSSL_cleanse(km, sizeof(km));
	return 0;
}

int ike_child_keymat(uint16_t prf, const uint8_t *sk_d, size_t sk_d_len,
		     const uint8_t *gir_new, size_t gir_len,
		     const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		     size_t nr_len, uint8_t *out, size_t out_len)
{
	struct ike_chunk seed[3];
	size_t n = 0;

	if (gir_new)
		seed[n++] = (struct ike_chunk){ gir_new, gir_len };
	seed[n++] = (struct ike_chunk){ ni, ni_len };
	seed[n++] = (struct ike_chunk){ nr, nr_len };
	return ike_prf_plus(prf, sk_d, sk_d_len, seed, n, out, out_len);
}

void ike_sa_keys_wipe(struct ike_sa_keys *keys)
{
	OPENSSL_cleanse(keys, sizeof(*keys));
}
