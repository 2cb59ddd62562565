// SPDX-License-Identifier: GPL-2.0
/*
 * offer: what we propose in IKEv2. IKE proposals from the crypto ikev2
 * policy that matches the tunnel (or our default suite), SA payloads built
 * from them, and the check that an answer picked one of them.
 */
#include <string.h>

#include "ikev2/ikev2.h"

static const struct cfg_ikev2_policy *
policy_for(const struct cfg_model *m, const struct ike_tunnel *t)
{
	const struct cfg_ikev2_policy *unmatched = NULL;

	for (size_t i = 0; i < m->n_policies; i++) {
		const struct cfg_ikev2_policy *p = &m->policies[i];
		struct cfg_addr a = p->local_addr;

		if (!p->has_local_addr) {
			if (!unmatched)
				unmatched = p;
			continue;
		}
		if (a.family == t->info.local.family &&
		    !memcmp(a.bytes, t->info.local.raw,
			    a.family == AF_INET ? 4 : 16))
			return p;
	}
	if (unmatched)
		return unmatched;
	return m->n_policies ? &m->policies[0] : NULL;
}

static void default_proposals(struct ike_local_proposal *out, size_t *n)
{
	struct ike_local_proposal *cbc = &out[0], *gcm = &out[1];

	memset(out, 0, 2 * sizeof(*out));
	cbc->encr[cbc->n_encr++] = (struct cfg_alg){ IKEV2_ENCR_AES_CBC, 256 };
	cbc->encr[cbc->n_encr++] = (struct cfg_alg){ IKEV2_ENCR_AES_CBC, 128 };
	cbc->integ[cbc->n_integ++] = IKEV2_INTEG_HMAC_SHA2_256_128;
	cbc->integ[cbc->n_integ++] = IKEV2_INTEG_HMAC_SHA2_384_192;
	cbc->integ[cbc->n_integ++] = IKEV2_INTEG_HMAC_SHA2_512_256;
	cbc->prf[cbc->n_prf++] = IKEV2_PRF_HMAC_SHA2_256;
	cbc->prf[cbc->n_prf++] = IKEV2_PRF_HMAC_SHA2_384;
	cbc->prf[cbc->n_prf++] = IKEV2_PRF_HMAC_SHA2_512;
	cbc->dh[cbc->n_dh++] = IKEV2_DH_ECP256;
	cbc->dh[cbc->n_dh++] = IKEV2_DH_MODP2048;
	gcm->encr[gcm->n_encr++] =
		(struct cfg_alg){ IKEV2_ENCR_AES_GCM_16, 256 };
	gcm->encr[gcm->n_encr++] =
		(struct cfg_alg){ IKEV2_ENCR_AES_GCM_16, 128 };
	memcpy(gcm->prf, cbc->prf, sizeof(cbc->prf));
	gcm->n_prf = cbc->n_prf;
	memcpy(gcm->dh, cbc->dh, sizeof(cbc->dh));
	gcm->n_dh = cbc->n_dh;
	*n = 2;
}

int ike_local_ike_proposals(struct ike_engine *e, const struct ike_tunnel *t,
			    struct ike_local_proposal *out, size_t max,
			    size_t *n)
{
	const struct cfg_ikev2_policy *pol = policy_for(e->model, t);

	*n = 0;
	if (!pol) {
		default_proposals(out, n);
		return 0;
	}
	for (size_t i = 0; i < pol->n_proposal && *n < max; i++) {
		const struct cfg_ikev2_proposal *p =
			cfg_find_proposal(e->model, pol->proposal[i].name);

		if (p)
			ike_local_from_ikev2_proposal(p, &out[(*n)++]);
	}
	return *n ? 0 : -1;
}

static void add_tr(struct ike_proposal *p, uint8_t type, uint16_t id,
		   uint16_t bits)
{
	if (p->n_transforms < IKE_MAX_TRANSFORMS)
		p->transforms[p->n_transforms++] =
			(struct ike_transform){ type, id, bits, false };
}

void ike_build_sa_payload(const struct ike_local_proposal *lp, size_t n,
			  uint8_t protocol, const uint8_t *spi,
			  uint8_t spi_size, struct ike_sa_payload *sa)
{
	memset(sa, 0, sizeof(*sa));
	for (size_t i = 0; i < n && i < IKE_MAX_PROPOSALS; i++) {
		struct ike_proposal *p = &sa->proposals[sa->n_proposals++];
		const struct ike_local_proposal *l = &lp[i];

		p->num = (uint8_t)(i + 1);
		p->protocol = protocol;
		p->spi_size = spi_size;
		if (spi_size)
			memcpy(p->spi, spi, spi_size);
		for (size_t j = 0; j < l->n_encr; j++)
			add_tr(p, IKEV2_TRANS_ENCR, l->encr[j].id,
			       l->encr[j].key_bits);
		for (size_t j = 0; j < l->n_prf; j++)
			add_tr(p, IKEV2_TRANS_PRF, l->prf[j], 0);
		for (size_t j = 0; j < l->n_integ; j++)
			add_tr(p, IKEV2_TRANS_INTEG, l->integ[j], 0);
		for (size_t j = 0; j < l->n_dh; j++)
			add_tr(p, IKEV2_TRANS_DH, l->dh[j], 0);
		for (size_t j = 0; j < l->n_esn; j++)
			add_tr(p, IKEV2_TRANS_ESN, l->esn[j], 0);
	}
}

static bool in_offer(const struct ike_proposal *o, const struct ike_transform *t)
{
	for (size_t i = 0; i < o->n_transforms; i++)
		if (o->transforms[i].type == t->type &&
		    o->transforms[i].id == t->id &&
		    o->transforms[i].key_bits == t->key_bits)
			return true;
	return false;
}

/* The responder's answer must be one of our proposals, one transform of
 * each type, each of them one we offered (RFC 7296 2.7). */
bool ike_selection_offered(const struct ike_sa_payload *offer,
			   const struct ike_sa_payload *answer,
			   uint8_t protocol, struct ike_selection *sel)
{
	const struct ike_proposal *a = &answer->proposals[0], *o = NULL;
	unsigned int seen = 0;

	if (answer->n_proposals != 1 || a->protocol != protocol)
		return false;
	for (size_t i = 0; i < offer->n_proposals; i++)
		if (offer->proposals[i].num == a->num)
			o = &offer->proposals[i];
	if (!o)
		return false;
	memset(sel, 0, sizeof(*sel));
	sel->proposal_num = a->num;
	sel->protocol = protocol;
	sel->spi_size = a->spi_size;
	memcpy(sel->spi, a->spi, sizeof(sel->spi));
	for (size_t i = 0; i < a->n_transforms; i++) {
		const struct ike_transform *t = &a->transforms[i];

		if (t->type > IKEV2_TRANS_TYPE_MAX || (seen & (1u << t->type)) ||
		    !in_offer(o, t))
			return false;
		seen |= 1u << t->type;
		switch (t->type) {
		case IKEV2_TRANS_ENCR:
			sel->encr = (struct cfg_alg){ t->id, t->key_bits };
			break;
		case IKEV2_TRANS_PRF: sel->prf = t->id; break;
		case IKEV2_TRANS_INTEG: sel->integ = t->id; break;
		case IKEV2_TRANS_DH: sel->dh = t->id; break;
		case IKEV2_TRANS_ESN: sel->esn = t->id; break;
		}
	}
	if (!(seen & (1u << IKEV2_TRANS_ENCR)))
		return false;
	if (protocol == IKEV2_PROTO_IKE &&
	    (!(seen & (1u << IKEV2_TRANS_PRF)) || !sel->dh))
		return false;
	return true;
}
