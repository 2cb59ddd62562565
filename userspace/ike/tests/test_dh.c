// SPDX-License-Identifier: GPL-2.0
/*
 * Diffie-Hellman tests: RFC 5903 section 8 (ECP groups 19, 20, 21) and
 * RFC 7748 sections 5.2 and 6.1 (X25519) known answers, MODP known
 * answers computed independently (tests/gen_modp_vectors.py), agreement
 * and peer-value validation for every supported group.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "crypto/dh.h"
#include "ikev2/ikev2_const.h"
#include "hex.h"
#include "modp_vectors.h"

/* RFC 5903 section 8: i, g^i (x then y), r, g^r (x then y), x of g^ir.
 * Copied from the RFC's text, section 8.1 (256-bit), 8.2 (384-bit) and
 * 8.3 (521-bit random ECP group). */
struct ecp_vector {
	uint16_t group;
	const char *i, *gix, *giy, *r, *grx, *gry, *girx;
};

static const struct ecp_vector ecp_vectors[] = {
	{ IKEV2_DH_ECP256,
	  "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433",
	  "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180",
	  "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3",
	  "C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53",
	  "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63",
	  "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB",
	  "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE" },
	{ IKEV2_DH_ECP384,
	  "099F3C70 34D4A2C6 99884D73 A375A67F 7624EF7C 6B3C0F16 0647B674 14DCE655"
	  "E35B5380 41E649EE 3FAEF896 783AB194",
	  "667842D7 D180AC2C DE6F74F3 7551F557 55C7645C 20EF73E3 1634FE72 B4C55EE6"
	  "DE3AC808 ACB4BDB4 C88732AE E95F41AA",
	  "9482ED1F C0EEB9CA FC498462 5CCFC23F 65032149 E0E144AD A0241815 35A0F38E"
	  "EB9FCFF3 C2C947DA E69B4C63 4573A81C",
	  "41CB0779 B4BDB85D 47846725 FBEC3C94 30FAB46C C8DC5060 855CC9BD A0AA2942"
	  "E0308312 916B8ED2 960E4BD5 5A7448FC",
	  "E558DBEF 53EECDE3 D3FCCFC1 AEA08A89 A987475D 12FD950D 83CFA417 32BC509D"
	  "0D1AC43A 0336DEF9 6FDA41D0 774A3571",
	  "DCFBEC7A ACF31964 72169E83 8430367F 66EEBE3C 6E70C416 DD5F0C68 759DD1FF"
	  "F83FA401 42209DFF 5EAAD96D B9E6386C",
	  "11187331 C279962D 93D60424 3FD592CB 9D0A926F 422E4718 7521287E 7156C5C4"
	  "D6031355 69B9E9D0 9CF5D4A2 70F59746" },
	{ IKEV2_DH_ECP521,
	  "0037ADE9 319A89F4 DABDB3EF 411AACCC A5123C61 ACAB57B5 393DCE47 608172A0"
	  "95AA85A3 0FE1C295 2C6771D9 37BA9777 F5957B26 39BAB072 462F68C2 7A57382D"
	  "4A52",
	  "0015417E 84DBF28C 0AD3C278 713349DC 7DF153C8 97A1891B D98BAB43 57C9ECBE"
	  "E1E3BF42 E00B8E38 0AEAE57C 2D107564 94188594 2AF5A7F4 601723C4 195D176C"
	  "ED3E",
	  "017CAE20 B6641D2E EB695786 D8C94614 6239D099 E18E1D5A 514C739D 7CB4A10A"
	  "D8A78801 5AC405D7 799DC75E 7B7D5B6C F2261A6A 7F150743 8BF01BEB 6CA3926F"
	  "9582",
	  "0145BA99 A847AF43 793FDD0E 872E7CDF A16BE30F DC780F97 BCCC3F07 8380201E"
	  "9C677D60 0B343757 A3BDBF2A 3163E4C2 F869CCA7 458AA4A4 EFFC311F 5CB15168"
	  "5EB9",
	  "00D0B397 5AC4B799 F5BEA16D 5E13E9AF 971D5E9B 984C9F39 728B5E57 39735A21"
	  "9B97C356 436ADC6E 95BB0352 F6BE64A6 C2912D4E F2D0433C ED2B6171 640012D9"
	  "460F",
	  "015C6822 6383956E 3BD066E7 97B623C2 7CE0EAC2 F551A10C 2C724D98 52077B87"
	  "220B6536 C5C408A1 D2AEBB8E 86D678AE 49CB5709 1F473229 6579AB44 FCD17F0F"
	  "C56A",
	  "01144C7D 79AE6956 BC8EDB8E 7C787C45 21CB086F A64407F9 7894E5E6 B2D79B04"
	  "D1427E73 CA4BAA24 0A347868 59810C06 B3C715A3 A8CC3151 F2BEE417 996D19F3"
	  "DDEA" },
};

static size_t hex2(const char *a, const char *b, uint8_t *out, size_t size)
{
	size_t n = hex_decode(a, out, size);

	return n + hex_decode(b, out + n, size - n);
}

/* One side of the RFC's exchange: our KE data must be g^x | g^y and
 * the shared secret the published x of g^ir. */
static void ecp_side(uint16_t group, const char *priv_hex,
		     const char *pubx, const char *puby, const char *peerx,
		     const char *peery, const char *girx)
{
	uint8_t priv[66], want_pub[132], pub[132], peer[132];
	uint8_t want_shared[66], shared[66];
	size_t plen = hex_decode(priv_hex, priv, sizeof(priv));
	size_t publen = hex2(pubx, puby, want_pub, sizeof(want_pub));
	size_t peerlen = hex2(peerx, peery, peer, sizeof(peer));
	size_t slen = hex_decode(girx, want_shared, sizeof(want_shared));
	struct ike_dh *dh = ike_dh_new_from_private(group, priv, plen);

	assert_non_null(dh);
	assert_int_equal(publen, ike_dh_public_len(group));
	assert_int_equal(ike_dh_public(dh, pub, publen), 0);
	assert_memory_equal(pub, want_pub, publen);
	assert_int_equal(slen, ike_dh_shared_len(group));
	assert_int_equal(ike_dh_shared(dh, peer, peerlen, shared, slen), 0);
	assert_memory_equal(shared, want_shared, slen);
	ike_dh_free(dh);
}

static void rfc5903_ecp(void **state)
{
	(void)state;
	for (size_t k = 0; k < 3; k++) {
		const struct ecp_vector *v = &ecp_vectors[k];

		ecp_side(v->group, v->i, v->gix, v->giy, v->grx, v->gry,
			 v->girx);
		ecp_side(v->group, v->r, v->grx, v->gry, v->gix, v->giy,
			 v->girx);
	}
}

/* RFC 7748 5.2, first X25519 test vector (scalar, u -> output). */
static void rfc7748_x25519_function(void **state)
{
	uint8_t k[32], u[32], want[32], out[32];
	struct ike_dh *dh;

	(void)state;
	hex_decode("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244"
		   "ba449ac4", k, 32);
	hex_decode("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6"
		   "d0ab1c4c", u, 32);
	hex_decode("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b40755"
		   "77a28552", want, 32);
	dh = ike_dh_new_from_private(IKEV2_DH_CURVE25519, k, 32);
	assert_non_null(dh);
	assert_int_equal(ike_dh_shared(dh, u, 32, out, 32), 0);
	assert_memory_equal(out, want, 32);
	ike_dh_free(dh);
}

/* RFC 7748 6.1: Alice's and Bob's keys and their shared secret. */
static void rfc7748_x25519_exchange(void **state)
{
	static const char *const priv[2] = {
		"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
	};
	static const char *const pub[2] = {
		"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
		"de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
	};
	uint8_t want_k[32];

	(void)state;
	hex_decode("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c"
		   "1e161742", want_k, 32);
	for (int side = 0; side < 2; side++) {
		uint8_t k[32], p[32], want_p[32], peer[32], out[32];
		struct ike_dh *dh;

		hex_decode(priv[side], k, 32);
		hex_decode(pub[side], want_p, 32);
		hex_decode(pub[!side], peer, 32);
		dh = ike_dh_new_from_private(IKEV2_DH_CURVE25519, k, 32);
		assert_non_null(dh);
		assert_int_equal(ike_dh_public(dh, p, 32), 0);
		assert_memory_equal(p, want_p, 32);
		assert_int_equal(ike_dh_shared(dh, peer, 32, out, 32), 0);
		assert_memory_equal(out, want_k, 32);
		ike_dh_free(dh);
	}
}

/* MODP known answers from tests/gen_modp_vectors.py: primes built from
 * the RFC 2409 / RFC 3526 formulas with an independent pi, arithmetic in
 * Python integers. g^ir starts with a zero byte: padding is checked. */
struct modp_vector {
	uint16_t group;
	const char *x, *gx, *gr, *shared;
};

static const struct modp_vector modp_vectors[] = {
	{ 2, modp2_x, modp2_gx, modp2_gr, modp2_shared },
	{ 5, modp5_x, modp5_gx, modp5_gr, modp5_shared },
	{ 14, modp14_x, modp14_gx, modp14_gr, modp14_shared },
	{ 15, modp15_x, modp15_gx, modp15_gr, modp15_shared },
	{ 16, modp16_x, modp16_gx, modp16_gr, modp16_shared },
};

static void modp_known_answers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(modp_vectors) / sizeof(modp_vectors[0]);
	     i++) {
		const struct modp_vector *v = &modp_vectors[i];
		uint8_t x[32], want[512], got[512], peer[512];
		size_t n = ike_dh_public_len(v->group);
		struct ike_dh *dh;

		print_message("group %u\n", v->group);
		assert_int_equal(hex_decode(v->x, x, sizeof(x)), 32);
		dh = ike_dh_new_from_private(v->group, x, 32);
		assert_non_null(dh);
		assert_int_equal(hex_decode(v->gx, want, sizeof(want)), n);
		assert_int_equal(ike_dh_public(dh, got, n), 0);
		assert_memory_equal(got, want, n);
		assert_int_equal(hex_decode(v->gr, peer, sizeof(peer)), n);
		assert_int_equal(hex_decode(v->shared, want, sizeof(want)), n);
		assert_int_equal(want[0], 0);
		assert_int_equal(ike_dh_shared(dh, peer, n, got, n), 0);
		assert_memory_equal(got, want, n);
		ike_dh_free(dh);
	}
}

static const uint16_t all_groups[] = {
	IKEV2_DH_MODP1024, IKEV2_DH_MODP1536, IKEV2_DH_MODP2048,
	IKEV2_DH_MODP3072, IKEV2_DH_MODP4096, IKEV2_DH_ECP256,
	IKEV2_DH_ECP384, IKEV2_DH_ECP521, IKEV2_DH_CURVE25519,
};

/* Fresh key pairs of every group agree, with the RFC 7296 lengths. */
static void every_group_agrees(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_groups) / sizeof(all_groups[0]);
	     i++) {
		uint16_t g = all_groups[i];
		size_t pl = ike_dh_public_len(g), sl = ike_dh_shared_len(g);
		uint8_t pa[512], pb[512], sa[512], sb[512];
		struct ike_dh *a = ike_dh_new(g), *b = ike_dh_new(g);

		print_message("group %u\n", g);
		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(ike_dh_group(a), g);
		assert_int_equal(ike_dh_public(a, pa, pl), 0);
		assert_int_equal(ike_dh_public(b, pb, pl), 0);
		assert_int_equal(ike_dh_shared(a, pb, pl, sa, sl), 0);
		assert_int_equal(ike_dh_shared(b, pa, pl, sb, sl), 0);
		assert_memory_equal(sa, sb, sl);
		/* Wrong lengths are refused before anything else. */
		assert_int_equal(ike_dh_shared(a, pb, pl - 1, sa, sl), -1);
		assert_int_equal(ike_dh_public(a, pa, pl + 1), -1);
		ike_dh_free(a);
		ike_dh_free(b);
	}
	assert_true(ike_dh_is_legacy(2));
	assert_true(ike_dh_is_legacy(5));
	assert_false(ike_dh_is_legacy(14));
	assert_null(ike_dh_new(1));
	assert_null(ike_dh_new(24));
	assert_int_equal(ike_dh_public_len(22), 0);
}

/* Values that are not group elements (RFC 7296 leaves checking to the
 * group; SP 800-56A and RFC 8031 require it). */
static void bad_peer_values_refused(void **state)
{
	uint8_t v[512], out[512];
	struct ike_dh *dh;

	(void)state;
	dh = ike_dh_new(IKEV2_DH_MODP2048);
	assert_non_null(dh);
	memset(v, 0, 256);
	assert_int_equal(ike_dh_shared(dh, v, 256, out, 256), -1);	/* 0 */
	v[255] = 1;
	assert_int_equal(ike_dh_shared(dh, v, 256, out, 256), -1);	/* 1 */
	memset(v, 0xff, 256);						/* > p */
	assert_int_equal(ike_dh_shared(dh, v, 256, out, 256), -1);
	ike_dh_free(dh);

	dh = ike_dh_new(IKEV2_DH_ECP256);
	assert_non_null(dh);
	memset(v, 0xaa, 64);					/* off curve */
	assert_int_equal(ike_dh_shared(dh, v, 64, out, 32), -1);
	/* The SEC 1 form with its 0x04 is not the RFC 5903 wire form. */
	assert_int_equal(ike_dh_shared(dh, v, 65, out, 32), -1);
	ike_dh_free(dh);

	dh = ike_dh_new(IKEV2_DH_CURVE25519);
	assert_non_null(dh);
	memset(v, 0, 32);				/* low order: K = 0 */
	assert_int_equal(ike_dh_shared(dh, v, 32, out, 32), -1);
	ike_dh_free(dh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc5903_ecp),
		cmocka_unit_test(rfc7748_x25519_function),
		cmocka_unit_test(rfc7748_x25519_exchange),
		cmocka_unit_test(modp_known_answers),
		cmocka_unit_test(every_group_agrees),
		cmocka_unit_test(bad_peer_values_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
