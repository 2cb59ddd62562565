// SPDX-License-Identifier: GPL-2.0
/*
 * ikev2_sa: the IKEv2 SA apart from its exchanges. SK_* keys from the
 * IKE_SA_INIT or a rekey, child KEYMAT (RFC 7296 2.17) handed to the one
 * installation path of the core, establishment with the profile's
 * lifetime and DPD, and finding the SA an IKE rekey collision made.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "ikev2/ikev2.h"

/* For the opt-in Wireshark export (ike_engine_ops.ike_keys). */
static void export_keys(const struct ike_sa *sa)
{
	const struct ike_sa_keys *K = &sa->v2.keys;
	struct ike_keys_info k = {
		.version = 2, .encr = sa->sel.encr.id,
		.encr_bits = sa->sel.encr.key_bits, .integ = sa->sel.integ,
		.sk_ei = K->sk_ei, .sk_er = K->sk_er, .sk_e_len = K->encr_len,
		.sk_ai = K->integ_len ? K->sk_ai : NULL,
		.sk_ar = K->integ_len ? K->sk_ar : NULL,
		.sk_a_len = K->integ_len,
	};

	if (!sa->e->ops.ike_keys)
		return;
	memcpy(k.spi_i, sa->spi_i, 8);
	memcpy(k.spi_r, sa->spi_r, 8);
	sa->e->ops.ike_keys(sa->e->ops.ctx, &k);
}

int ike_derive_keys(struct ike_sa *sa, const uint8_t *gir, size_t gir_len,
		    const uint8_t *old_sk_d, uint16_t old_prf)
{
	struct ike_sk_alg alg = { sa->sel.encr.id, sa->sel.encr.key_bits,
				  sa->sel.integ };
	uint8_t skeyseed[IKE_PRF_MAX_LEN];
	size_t el = ike_sk_encr_key_len(&alg), il = ike_sk_integ_key_len(&alg);
	int rc;

	if (!el || !ike_prf_len(sa->sel.prf) || (sa->sel.integ && !il))
		return -1;
	if (old_sk_d)
		rc = ike_rekey_skeyseed(old_prf, old_sk_d, ike_prf_len(old_prf),
					gir, gir_len, sa->ni, sa->ni_len,
					sa->nr, sa->nr_len, skeyseed);
	else
		rc = ike_skeyseed(sa->sel.prf, sa->ni, sa->ni_len, sa->nr,
				  sa->nr_len, gir, gir_len, skeyseed);
	if (rc == 0)
		rc = ike_sa_keys_derive(sa->sel.prf, skeyseed, sa->ni,
					sa->ni_len, sa->nr, sa->nr_len,
					sa->spi_i, sa->spi_r, il, el,
					&sa->v2.keys);
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	sa->v2.have_keys = rc == 0;
	if (rc == 0)
		export_keys(sa);
	return rc;
}

struct ike_sa *ike_rekey_collision_old(struct ike_sa *n)
{
	for (struct ike_sa *o = n->e->sas; o; o = o->next)
		if (!o->dead && o->t == n->t && o->v2.req == REQ_IKE_REKEY &&
		    o->v2.x_coll && !memcmp(o->v2.x_coll_spi_i, n->spi_i, 8) &&
		    !memcmp(o->v2.x_coll_spi_r, n->spi_r, 8))
			return o;
	return NULL;
}

int ikev2_child_install(struct ike_sa *sa, const struct ike_selection *sel,
			uint32_t spi_in, uint32_t spi_out, const uint8_t *ni,
			size_t ni_len, const uint8_t *nr, size_t nr_len,
			const uint8_t *gir, size_t gir_len, bool initiator,
			bool switch_tx)
{
	size_t one = ike_child_keymat_len(sel);
	uint8_t km[2 * (IKEVTI_KEY_MAX + IKEVTI_SALT_LEN + IKEVTI_KEY_MAX)];
	int rc;

	if (!one || 2 * one > sizeof(km) ||
	    ike_child_keymat(sa->sel.prf, sa->v2.keys.sk_d,
			     sa->v2.keys.prf_len, gir, gir_len, ni, ni_len, nr,
			     nr_len, km, 2 * one) < 0) {
		sa_log(sa, IKE_LOG_ERR, "child SA: unsupported algorithms");
		return -1;
	}
	/* KEYMAT: first the initiator-to-responder SA, then the other. */
	rc = ike_child_install(sa, sel, spi_in, spi_out,
			       initiator ? km + one : km,
			       initiator ? km : km + one, gir ? sel->dh : 0,
			       switch_tx);
	OPENSSL_cleanse(km, sizeof(km));
	return rc;
}

void ike_established(struct ike_sa *sa)
{
	const struct cfg_ikev2_profile *p = sa->t->prof;

	if (sa->dead)
		return;
	ike_sa_established(sa, p->lifetime_s, p->dpd_interval_s);
}
