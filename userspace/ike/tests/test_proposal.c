// SPDX-License-Identifier: GPL-2.0
/*
 * Proposal selection tests: IOS order (ours first) against the
 * initiator's order, algorithm choice, key lengths, legacy groups,
 * AES-GCM rules, PFS and ESN for ESP, unknown transforms, and local
 * proposals built from a parsed configuration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "ikev2/ikev2_const.h"
#include "ikev2/payload.h"
#include "ikev2/proposal.h"

static void add(struct ike_proposal *p, uint8_t type, uint16_t id,
		uint16_t bits)
{
	p->transforms[p->n_transforms++] =
		(struct ike_transform){ type, id, bits, false };
}

static struct ike_proposal *new_proposal(struct ike_sa_payload *sa,
					 uint8_t protocol)
{
	struct ike_proposal *p = &sa->proposals[sa->n_proposals++];

	memset(p, 0, sizeof(*p));
	p->num = sa->n_proposals;
	p->protocol = protocol;
	if (protocol == IKEV2_PROTO_ESP) {
		p->spi_size = 4;
		memcpy(p->spi, "\xca\xfe\x00\x01", 4);
	}
	return p;
}

/* Offer: 1 = AES-GCM-256/SHA384/ECP384, 2 = AES-CBC-256/SHA256/MODP2048. */
static void two_offers(struct ike_sa_payload *sa)
{
	struct ike_proposal *p;

	memset(sa, 0, sizeof(*sa));
	p = new_proposal(sa, IKEV2_PROTO_IKE);
	add(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	add(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_384, 0);
	add(p, IKEV2_TRANS_DH, IKEV2_DH_ECP384, 0);
	p = new_proposal(sa, IKEV2_PROTO_IKE);
	add(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 256);
	add(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	add(p, IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	add(p, IKEV2_TRANS_DH, IKEV2_DH_MODP2048, 0);
}

/* Local: 1 = AES-CBC-256/SHA256/MODP2048, 2 = AES-GCM-256/SHA384/ECP384. */
static void two_locals(struct ike_local_proposal l[2])
{
	memset(l, 0, 2 * sizeof(*l));
	l[0].encr[l[0].n_encr++] = (struct cfg_alg){ IKEV2_ENCR_AES_CBC, 256 };
	l[0].integ[l[0].n_integ++] = IKEV2_INTEG_HMAC_SHA2_256_128;
	l[0].prf[l[0].n_prf++] = IKEV2_PRF_HMAC_SHA2_256;
	l[0].dh[l[0].n_dh++] = IKEV2_DH_MODP2048;
	l[1].encr[l[1].n_encr++] =
		(struct cfg_alg){ IKEV2_ENCR_AES_GCM_16, 256 };
	l[1].prf[l[1].n_prf++] = IKEV2_PRF_HMAC_SHA2_384;
	l[1].dh[l[1].n_dh++] = IKEV2_DH_ECP384;
}

static void ios_order_is_ours(void **state)
{
	struct ike_sa_payload sa;
	struct ike_local_proposal l[2];
	struct ike_selection sel;
	char why[256];

	(void)state;
	two_offers(&sa);
	two_locals(l);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, l, 2,
					     IKE_SELECT_LOCAL_FIRST, &sel, why,
					     sizeof(why)), 0);
	assert_int_equal(sel.local_index, 0);
	assert_int_equal(sel.proposal_num, 2);
	assert_int_equal(sel.encr.id, IKEV2_ENCR_AES_CBC);
	assert_int_equal(sel.integ, IKEV2_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(sel.dh, IKEV2_DH_MODP2048);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, l, 2,
					     IKE_SELECT_PEER_FIRST, &sel, why,
					     sizeof(why)), 0);
	assert_int_equal(sel.local_index, 1);
	assert_int_equal(sel.proposal_num, 1);
	assert_int_equal(sel.encr.id, IKEV2_ENCR_AES_GCM_16);
	assert_int_equal(sel.integ, 0);
	assert_int_equal(sel.prf, IKEV2_PRF_HMAC_SHA2_384);
}

static void algorithm_order_within_a_proposal(void **state)
{
	struct ike_sa_payload sa = { 0 };
	struct ike_proposal *p = new_proposal(&sa, IKEV2_PROTO_IKE);
	struct ike_local_proposal l = { 0 };
	struct ike_selection sel;

	(void)state;
	add(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 128);
	add(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 256);
	add(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA1, 0);
	add(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	add(p, IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	add(p, IKEV2_TRANS_DH, IKEV2_DH_ECP256, 0);
	add(p, IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0);
	l.encr[l.n_encr++] = (struct cfg_alg){ IKEV2_ENCR_AES_CBC, 256 };
	l.encr[l.n_encr++] = (struct cfg_alg){ IKEV2_ENCR_AES_CBC, 128 };
	l.prf[l.n_prf++] = IKEV2_PRF_HMAC_SHA2_256;
	l.prf[l.n_prf++] = IKEV2_PRF_HMAC_SHA1;
	l.integ[l.n_integ++] = IKEV2_INTEG_HMAC_SHA2_256_128;
	l.dh[l.n_dh++] = IKEV2_DH_CURVE25519;
	l.dh[l.n_dh++] = IKEV2_DH_ECP256;
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, &l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	assert_int_equal(sel.encr.key_bits, 256);
	assert_int_equal(sel.prf, IKEV2_PRF_HMAC_SHA2_256);
	assert_int_equal(sel.dh, IKEV2_DH_CURVE25519);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, &l, 1,
					     IKE_SELECT_PEER_FIRST, &sel, NULL,
					     0), 0);
	assert_int_equal(sel.encr.key_bits, 128);
	assert_int_equal(sel.prf, IKEV2_PRF_HMAC_SHA1);
	assert_int_equal(sel.dh, IKEV2_DH_ECP256);
}

static void refusals_are_explained(void **state)
{
	struct ike_sa_payload sa;
	struct ike_local_proposal l[2];
	struct ike_selection sel;
	char why[512];

	(void)state;
	two_offers(&sa);
	two_locals(l);
	/* AES without a key length: unusable (RFC 7296 3.3.5). */
	sa.proposals[1].transforms[0].key_bits = 0;
	l[1].dh[0] = IKEV2_DH_ECP521;
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, l, 2,
					     IKE_SELECT_LOCAL_FIRST, &sel, why,
					     sizeof(why)), -1);
	assert_string_equal(why,
			    "proposal 1 vs local 1: no acceptable encryption; "
			    "proposal 2 vs local 1: no acceptable encryption; "
			    "proposal 1 vs local 2: no acceptable DH group; "
			    "proposal 2 vs local 2: no acceptable encryption");
	/* Wrong protocol. */
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_ESP, l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel, why,
					     sizeof(why)), -1);
	assert_non_null(strstr(why, "wrong protocol"));
	/* A tiny buffer is never overrun. */
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, l, 2,
					     IKE_SELECT_LOCAL_FIRST, &sel, why,
					     8), -1);
	assert_int_equal(strlen(why), 7);
}

/* The seed's "group 2 / 3des / md5" proposal: legacy, so accepted only
 * because it is configured. */
static void legacy_only_when_configured(void **state)
{
	static const char conf[] =
		"crypto ikev2 proposal prop-1\n encryption 3des\n"
		" integrity md5\n group 2\n";
	struct cfg_result res;
	struct ike_local_proposal l, modern[2];
	struct ike_sa_payload sa = { 0 };
	struct ike_proposal *p = new_proposal(&sa, IKEV2_PROTO_IKE);
	struct ike_selection sel;

	(void)state;
	add(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_3DES, 0);
	add(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_MD5, 0);
	add(p, IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_MD5_96, 0);
	add(p, IKEV2_TRANS_DH, IKEV2_DH_MODP1024, 0);
	two_locals(modern);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, modern, 2,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), -1);
	assert_int_equal(cfg_parse_buffer("t.conf", conf, strlen(conf), &res),
			 0);
	ike_local_from_ikev2_proposal(&res.model->proposals[0], &l);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, &l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	assert_int_equal(sel.dh, IKEV2_DH_MODP1024);
	assert_int_equal(sel.prf, IKEV2_PRF_HMAC_MD5);
	cfg_result_free(&res);
}

static void aead_rules(void **state)
{
	struct ike_sa_payload sa = { 0 };
	struct ike_proposal *p = new_proposal(&sa, IKEV2_PROTO_IKE);
	struct ike_local_proposal l[2];
	struct ike_selection sel;

	(void)state;
	two_locals(l);
	add(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	add(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_384, 0);
	add(p, IKEV2_TRANS_INTEG, IKEV2_INTEG_NONE, 0);
	add(p, IKEV2_TRANS_DH, IKEV2_DH_ECP384, 0);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, &l[1], 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	p->transforms[2].id = IKEV2_INTEG_HMAC_SHA2_256_128;
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, &l[1], 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), -1);
}

static void esp_pfs_and_esn(void **state)
{
	struct cfg_transform_set gcm = {
		.name = "GCM", .encr = { IKEV2_ENCR_AES_GCM_16, 256 },
	};
	struct ike_sa_payload sa = { 0 };
	struct ike_proposal *p = new_proposal(&sa, IKEV2_PROTO_ESP);
	struct ike_local_proposal l;
	struct ike_selection sel;

	(void)state;
	add(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	add(p, IKEV2_TRANS_DH, IKEV2_DH_ECP256, 0);
	add(p, IKEV2_TRANS_ESN, IKEV2_ESN_NO, 0);
	/* No "set pfs": PFS the peer asks for is accepted (IOS). */
	ike_local_from_transform_set(&gcm, 0, false, &l);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_ESP, &l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	assert_int_equal(sel.dh, IKEV2_DH_ECP256);
	assert_int_equal(sel.esn, IKEV2_ESN_NO);
	assert_memory_equal(sel.spi, "\xca\xfe\x00\x01", 4);
	/* ... but not a legacy group. */
	p->transforms[1].id = IKEV2_DH_MODP1024;
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_ESP, &l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), -1);
	/* NONE means no PFS. */
	p->transforms[1].id = IKEV2_DH_NONE;
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_ESP, &l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	assert_int_equal(sel.dh, 0);
	/* "set pfs group19" requires it. */
	ike_local_from_transform_set(&gcm, IKEV2_DH_ECP256, false, &l);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_ESP, &l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), -1);
	p->transforms[1].id = IKEV2_DH_ECP256;
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_ESP, &l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	/* ESN: only when we allow it. */
	p->transforms[2].id = IKEV2_ESN_YES;
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_ESP, &l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), -1);
	ike_local_from_transform_set(&gcm, IKEV2_DH_ECP256, true, &l);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_ESP, &l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	assert_int_equal(sel.esn, IKEV2_ESN_YES);
	/* No ESN transform at all means no ESN. */
	p->n_transforms = 2;
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_ESP, &l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	assert_int_equal(sel.esn, IKEV2_ESN_NO);
}

static void unknown_transforms(void **state)
{
	struct ike_sa_payload sa;
	struct ike_local_proposal l[2];
	struct ike_selection sel;
	struct ike_proposal *p;

	(void)state;
	two_offers(&sa);
	two_locals(l);
	p = &sa.proposals[1];
	/* An RFC 9370 additional key exchange without NONE: refused. */
	add(p, 6, IKEV2_DH_ECP256, 0);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), -1);
	add(p, 6, 0, 0);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	/* A transform with an unknown attribute is skipped, not chosen. */
	p->transforms[0].unknown_attr = true;
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, l, 1,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), -1);
}

/* The answer, through the codec, carries exactly what was chosen. */
static void response_sa_round_trip(void **state)
{
	struct ike_sa_payload sa;
	struct ike_local_proposal l[2];
	struct ike_selection sel;
	struct ike_msg *m = calloc(1, sizeof(*m)), *d = calloc(1, sizeof(*d));
	uint8_t buf[512];
	size_t len;

	(void)state;
	assert_non_null(m);
	assert_non_null(d);
	two_offers(&sa);
	two_locals(l);
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, l, 2,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	ike_selection_to_sa(&sel, NULL, 0, &m->sa);
	m->has_sa = true;
	ike_msg_add(m, IKEV2_PL_SA);
	assert_int_equal(ike_msg_encode(m, buf, sizeof(buf), &len), 0);
	assert_int_equal(ike_msg_decode(buf, len, d, NULL), 0);
	assert_int_equal(d->sa.n_proposals, 1);
	assert_int_equal(d->sa.proposals[0].num, 2);
	assert_int_equal(d->sa.proposals[0].n_transforms, 4);
	/* Our own answer must be acceptable to the same rules. */
	assert_int_equal(ike_select_proposal(&d->sa, IKEV2_PROTO_IKE, l, 2,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	free(m);
	free(d);
}

/* Local proposals from full.conf's policy, against a typical
 * strongSwan default offer (AES-CBC/GCM, SHA2, ECP and MODP). */
static void from_configuration(void **state)
{
	struct cfg_result res;
	struct ike_local_proposal l[CFG_LIST_MAX];
	const struct cfg_ikev2_policy *pol;
	struct ike_sa_payload sa = { 0 };
	struct ike_proposal *p;
	struct ike_selection sel;
	size_t n = 0;

	(void)state;
	assert_int_equal(cfg_parse_file(TEST_DATA_DIR "/full.conf", &res), 0);
	pol = &res.model->policies[0];
	for (size_t i = 0; i < pol->n_proposal; i++)
		ike_local_from_ikev2_proposal(
			cfg_find_proposal(res.model, pol->proposal[i].name),
			&l[n++]);
	p = new_proposal(&sa, IKEV2_PROTO_IKE);
	add(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 128);
	add(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 256);
	add(p, IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	add(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	add(p, IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0);
	add(p, IKEV2_TRANS_DH, IKEV2_DH_MODP2048, 0);
	p = new_proposal(&sa, IKEV2_PROTO_IKE);
	add(p, IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 128);
	add(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	add(p, IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0);
	/* Policy order: "strong" (GCM) first, so proposal 2 wins. */
	assert_int_equal(ike_select_proposal(&sa, IKEV2_PROTO_IKE, l, n,
					     IKE_SELECT_LOCAL_FIRST, &sel,
					     NULL, 0), 0);
	assert_int_equal(sel.proposal_num, 2);
	assert_int_equal(sel.encr.key_bits, 128);
	assert_int_equal(sel.dh, IKEV2_DH_CURVE25519);
	cfg_result_free(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ios_order_is_ours),
		cmocka_unit_test(algorithm_order_within_a_proposal),
		cmocka_unit_test(refusals_are_explained),
		cmocka_unit_test(legacy_only_when_configured),
		cmocka_unit_test(aead_rules),
		cmocka_unit_test(esp_pfs_and_esn),
		cmocka_unit_test(unknown_transforms),
		cmocka_unit_test(response_sa_round_trip),
		cmocka_unit_test(from_configuration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
