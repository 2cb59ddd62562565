// SPDX-License-Identifier: GPL-2.0
/*
 * Known-answer tests for the PRFs and the IKEv2 key derivation. Every
 * expected value comes from a published source named next to it; none
 * was produced by this code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "crypto/prf.h"
#include "ikev2/ikev2_const.h"
#include "ikev2/kdf.h"
#include "hex.h"

static void assert_hex(const uint8_t *got, size_t len, const char *want_hex)
{
	uint8_t want[512];
	size_t n = hex_decode(want_hex, want, sizeof(want));

	assert_int_equal(n, len);
	assert_memory_equal(got, want, len);
}

struct hmac_case {
	const char *source;
	uint16_t prf;
	const char *key_hex;
	const char *data;
	const char *mac_hex;
};

/* RFC 2202 3 (HMAC-SHA-1 test case 1), RFC 4231 4.2 and 4.3 (test cases
 * 1 and 2), RFC 4868 2.7.1 (PRF-HMAC-SHA-256 with a 32-byte key, test
 * cases 1 and 2). */
static const struct hmac_case hmac_cases[] = {
	{ "RFC 2202 3 tc1", IKEV2_PRF_HMAC_SHA1,
	  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
	  "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ "RFC 4231 4.2 sha256", IKEV2_PRF_HMAC_SHA2_256,
	  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "RFC 4231 4.2 sha384", IKEV2_PRF_HMAC_SHA2_384,
	  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	  "faea9ea9076ede7f4af152e8b2fa9cb6" },
	{ "RFC 4231 4.2 sha512", IKEV2_PRF_HMAC_SHA2_512,
	  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	{ "RFC 4231 4.3 sha256", IKEV2_PRF_HMAC_SHA2_256, "4a656665",
	  "what do ya want for nothing?",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "RFC 4231 4.3 sha384", IKEV2_PRF_HMAC_SHA2_384, "4a656665",
	  "what do ya want for nothing?",
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	  "8e2240ca5e69e2c78b3239ecfab21649" },
	{ "RFC 4231 4.3 sha512", IKEV2_PRF_HMAC_SHA2_512, "4a656665",
	  "what do ya want for nothing?",
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	{ "RFC 4868 2.7.1 tc1", IKEV2_PRF_HMAC_SHA2_256,
	  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  "Hi There",
	  "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7" },
	{ "RFC 4868 2.7.1 tc2", IKEV2_PRF_HMAC_SHA2_256,
	  "4a6566654a6566654a6566654a6566654a6566654a6566654a6566654a656665",
	  "what do ya want for nothing?",
	  "167f928588c5cc2eef8e3093caa0e87c9ff566a14794aa61648d81621a2a40c6" },
};

static void hmac_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hmac_cases) / sizeof(hmac_cases[0]);
	     i++) {
		const struct hmac_case *c = &hmac_cases[i];
		uint8_t key[64], out[IKE_PRF_MAX_LEN];
		size_t klen = hex_decode(c->key_hex, key, sizeof(key));
		/* Split the input in two to exercise the chunk list. */
		size_t dlen = strlen(c->data);
		struct ike_chunk in[2] = {
			{ (const uint8_t *)c->data, dlen / 2 },
			{ (const uint8_t *)c->data + dlen / 2, dlen - dlen / 2 },
		};

		print_message("%s\n", c->source);
		assert_int_equal(ike_prf(c->prf, key, klen, in, 2, out), 0);
		assert_hex(out, ike_prf_len(c->prf), c->mac_hex);
	}
}

/*
 * NIST SP 800-135 IKEv2 KDF (ACVP "kdf-components" ikev2), test case
 * tcId 100, SHA-1, DKM and child DKM 1056 bits. The inputs and expected
 * outputs are as published in libreswan's programs/cavp/test.acvp.ikev2.run
 * and test.acvp.ikev2.json (a copy of an ACVP test vector set).
 * SP 800-135 / ACVP define:
 *   SKEYSEED       = prf(Ni | Nr, g^ir)
 *   DKM            = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 *   DKM(child)     = prf+(SK_d, Ni | Nr), SK_d = the first prf-length
 *                    bytes of DKM
 *   DKM(child DH)  = prf+(SK_d, g^ir(new) | Ni | Nr)
 *   SKEYSEED(rekey)= prf(SK_d, g^ir(new) | Ni | Nr)
 */
static const char ni_hex[] = "32b50d5f4a3763f3";
static const char nr_hex[] = "9206a04b26564cb1";
static const char spii_hex[] = "34c9e7c188868785";
static const char spir_hex[] = "3ff77d760d2b2199";
static const char gir_hex[] =
	"4b2c1f971981a8ad8d0abeafabf38cf75fc8349c148142465ed9c8b516b8be52";
static const char gir_new_hex[] =
	"863f3c9d06efd39d2b907b97f8699e5dd5251ef64a2a176f36ee40c87d4f9330";
static const char skeyseed_hex[] = "a9a7b222b59f8f48645f28a1db5b5f5d7479cba7";
static const char dkm_hex[] =
	"a14293677cc80ff8f9cc0eee30d895da9d8f405666e30ef0dfcb63c634a46002"
	"a2a63080e514a062768b76606f9fa5e992204fc5a670bde3f10d6b027113936a"
	"5c55b648a194ae587b0088d52204b702c979fa280870d2ed41efa9c549fd1119"
	"8af1670b143d384bd275c5f594cf266b05ebadca855e4249520a441a81157435"
	"a7a56cc4";
static const char child_dkm_hex[] =
	"8059e3ee8810e6c3a91bc8bcd2a7a41151b8d0e6ae239c7b38093ad85ef4c581"
	"1a8e7b5d1cdabd9560b2d5e092d1f24e2d4b85eccdf0ad0dc9abd94b51ee7181"
	"4ca6dbc8bb51b6309f5b9545c7eb35cf5580b1e521a8fe20754a2d883ba0c2cf"
	"285f524aea6545b33106bc03e614296d319d41d4b50b3f510b1c0a22f3e66499"
	"4d234cb4";
static const char child_dkm_dh_hex[] =
	"bb43244c1860ad65ee1e211ffe8bb3661750c8f89cb9f547df7f4fa61d373016"
	"28190e38c66232eab4b3ab14c400a5197dd3730ed4820a8a10394d51e1c04000"
	"52f63ebd36b0e7ef53aaed31eba4a5080d7d4b5666023a8bbb5ffb7857240f9a"
	"05884d1b7d2f933708450b7b3288f1fc863ab49fa901227cffc06e27899c7054"
	"d56fd74c";
static const char rekey_skeyseed_hex[] =
	"63e81194946ebd05df7df5ebf5d8750056bf1f1d";

struct kdf_inputs {
	uint8_t ni[8], nr[8], spii[8], spir[8], gir[32], gir_new[32];
	uint8_t skeyseed[20], dkm[132];
};

static void load_inputs(struct kdf_inputs *k)
{
	hex_decode(ni_hex, k->ni, 8);
	hex_decode(nr_hex, k->nr, 8);
	hex_decode(spii_hex, k->spii, 8);
	hex_decode(spir_hex, k->spir, 8);
	hex_decode(gir_hex, k->gir, 32);
	hex_decode(gir_new_hex, k->gir_new, 32);
}

static void sp800_135_skeyseed_and_dkm(void **state)
{
	struct kdf_inputs k;
	struct ike_chunk seed[4];

	(void)state;
	load_inputs(&k);
	assert_int_equal(ike_skeyseed(IKEV2_PRF_HMAC_SHA1, k.ni, 8, k.nr, 8,
				      k.gir, 32, k.skeyseed), 0);
	assert_hex(k.skeyseed, 20, skeyseed_hex);
	seed[0] = (struct ike_chunk){ k.ni, 8 };
	seed[1] = (struct ike_chunk){ k.nr, 8 };
	seed[2] = (struct ike_chunk){ k.spii, 8 };
	seed[3] = (struct ike_chunk){ k.spir, 8 };
	assert_int_equal(ike_prf_plus(IKEV2_PRF_HMAC_SHA1, k.skeyseed, 20,
				      seed, 4, k.dkm, 132), 0);
	assert_hex(k.dkm, 132, dkm_hex);
}

/* The SK_* split must be consecutive slices of the same DKM. */
static void sa_keys_are_slices_of_dkm(void **state)
{
	struct kdf_inputs k;
	struct ike_sa_keys keys;
	uint8_t dkm[132];

	(void)state;
	load_inputs(&k);
	hex_decode(skeyseed_hex, k.skeyseed, 20);
	hex_decode(dkm_hex, dkm, sizeof(dkm));
	/* 3*20 + 2*20 (HMAC-SHA1-96 key) + 2*16 (AES-128) = 132 bytes. */
	assert_int_equal(ike_sa_keys_derive(IKEV2_PRF_HMAC_SHA1, k.skeyseed,
					    k.ni, 8, k.nr, 8, k.spii, k.spir,
					    20, 16, &keys), 0);
	assert_memory_equal(keys.sk_d, dkm, 20);
	assert_memory_equal(keys.sk_ai, dkm + 20, 20);
	assert_memory_equal(keys.sk_ar, dkm + 40, 20);
	assert_memory_equal(keys.sk_ei, dkm + 60, 16);
	assert_memory_equal(keys.sk_er, dkm + 76, 16);
	assert_memory_equal(keys.sk_pi, dkm + 92, 20);
	assert_memory_equal(keys.sk_pr, dkm + 112, 20);
	ike_sa_keys_wipe(&keys);
	assert_int_equal(keys.prf_len, 0);
}

static void sp800_135_child_and_rekey(void **state)
{
	struct kdf_inputs k;
	uint8_t sk_d[20], out[132], rekey[20];

	(void)state;
	load_inputs(&k);
	hex_decode(dkm_hex, k.dkm, sizeof(k.dkm));
	memcpy(sk_d, k.dkm, 20);
	assert_int_equal(ike_child_keymat(IKEV2_PRF_HMAC_SHA1, sk_d, 20, NULL,
					  0, k.ni, 8, k.nr, 8, out, 132), 0);
	assert_hex(out, 132, child_dkm_hex);
	assert_int_equal(ike_child_keymat(IKEV2_PRF_HMAC_SHA1, sk_d, 20,
					  k.gir_new, 32, k.ni, 8, k.nr, 8, out,
					  132), 0);
	assert_hex(out, 132, child_dkm_dh_hex);
	assert_int_equal(ike_rekey_skeyseed(IKEV2_PRF_HMAC_SHA1, sk_d, 20,
					    k.gir_new, 32, k.ni, 8, k.nr, 8,
					    rekey), 0);
	assert_hex(rekey, 20, rekey_skeyseed_hex);
}

static void prf_plus_limits(void **state)
{
	uint8_t key[32] = { 1 }, out[255 * 32 + 1];
	struct ike_chunk seed = { key, 4 };

	(void)state;
	/* 255 blocks is the most prf+ can give (the counter is one byte). */
	assert_int_equal(ike_prf_plus(IKEV2_PRF_HMAC_SHA2_256, key, 32, &seed,
				      1, out, 255 * 32), 0);
	assert_int_equal(ike_prf_plus(IKEV2_PRF_HMAC_SHA2_256, key, 32, &seed,
				      1, out, 255 * 32 + 1), -1);
	assert_int_equal(ike_prf_plus(99, key, 32, &seed, 1, out, 16), -1);
	assert_int_equal(ike_prf(99, key, 32, &seed, 1, out), -1);
	/* Nonces longer than RFC 7296 3.9 allows are refused. */
	assert_int_equal(ike_skeyseed(IKEV2_PRF_HMAC_SHA2_256, out, 257, out,
				      16, key, 32, out + 600), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hmac_vectors),
		cmocka_unit_test(sp800_135_skeyseed_and_dkm),
		cmocka_unit_test(sa_keys_are_slices_of_dkm),
		cmocka_unit_test(sp800_135_child_and_rekey),
		cmocka_unit_test(prf_plus_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
