// SPDX-License-Identifier: GPL-2.0
/*
 * Proposal selection. The order rules are in proposal.h; this file is
 * the matching of one initiator proposal against one local proposal,
 * and the two loops around it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crypto/dh.h"
#include "ikev2/ikev2_const.h"
#include "ikev2/proposal.h"

/* Append one reason to the caller's buffer (kept short for logs). */
static void explain(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void explain(char *why, size_t len, const char *fmt, ...)
{
	size_t used = why ? strnlen(why, len) : 0;
	va_list ap;

	if (!why || used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
}

static bool is_aead(uint16_t encr)
{
	return encr == IKEV2_ENCR_AES_GCM_16;
}

/* Is transform t of the proposal usable as local algorithm (id, bits)? */
static bool offered(const struct ike_transform *t, uint8_t type, uint16_t id,
		    uint16_t bits)
{
	return t->type == type && !t->unknown_attr && t->id == id &&
	       (type != IKEV2_TRANS_ENCR || t->key_bits == bits);
}

static bool proposal_offers(const struct ike_proposal *p, uint8_t type,
			    uint16_t id, uint16_t bits)
{
	for (size_t i = 0; i < p->n_transforms; i++)
		if (offered(&p->transforms[i], type, id, bits))
			return true;
	return false;
}

static bool proposal_has_type(const struct ike_proposal *p, uint8_t type)
{
	for (size_t i = 0; i < p->n_transforms; i++)
		if (p->transforms[i].type == type)
			return true;
	return false;
}

/* Choose one algorithm of a type. ids/bits: our list (bits may be NULL).
 * Local-first walks our list, peer-first walks the proposal. */
static bool choose(const struct ike_proposal *p, uint8_t type,
		   const uint16_t *ids, const uint16_t *bits, size_t n,
		   enum ike_select_order order, uint16_t *id_out,
		   uint16_t *bits_out)
{
	if (order == IKE_SELECT_LOCAL_FIRST) {
		for (size_t k = 0; k < n; k++) {
			uint16_t b = bits ? bits[k] : 0;

			if (proposal_offers(p, type, ids[k], b)) {
				*id_out = ids[k];
				*bits_out = b;
				return true;
			}
		}
		return false;
	}
	for (size_t i = 0; i < p->n_transforms; i++)
		for (size_t k = 0; k < n; k++) {
			uint16_t b = bits ? bits[k] : 0;

			if (offered(&p->transforms[i], type, ids[k], b)) {
				*id_out = ids[k];
				*bits_out = b;
				return true;
			}
		}
	return false;
}

static bool choose_encr(const struct ike_proposal *p,
			const struct ike_local_proposal *l,
			enum ike_select_order order, struct cfg_alg *out)
{
	uint16_t ids[IKE_LOCAL_ALGS], bits[IKE_LOCAL_ALGS];

	for (size_t k = 0; k < l->n_encr; k++) {
		ids[k] = l->encr[k].id;
		bits[k] = l->encr[k].key_bits;
	}
	return choose(p, IKEV2_TRANS_ENCR, ids, bits, l->n_encr, order,
		      &out->id, &out->key_bits);
}

/* RFC 5282 8: with a combined-mode cipher, integrity is absent or NONE. */
static bool integ_ok_for_aead(const struct ike_proposal *p)
{
	for (size_t i = 0; i < p->n_transforms; i++)
		if (p->transforms[i].type == IKEV2_TRANS_INTEG &&
		    p->transforms[i].id != IKEV2_INTEG_NONE)
			return false;
	return true;
}

/* Transform types beyond ESN (e.g. RFC 9370 additional key exchanges):
 * acceptable only when NONE is among the offers of that type. */
static bool unknown_types_ok(const struct ike_proposal *p)
{
	for (size_t i = 0; i < p->n_transforms; i++) {
		uint8_t type = p->transforms[i].type;

		if (type >= IKEV2_TRANS_ENCR && type <= IKEV2_TRANS_TYPE_MAX)
			continue;
		if (!proposal_offers(p, type, 0, 0))
			return false;
	}
	return true;
}

/* ESP without local PFS: take what the peer offers if we can do it. */
static bool choose_unrequested_pfs(const struct ike_proposal *p,
				   uint16_t *dh)
{
	*dh = 0;
	if (!proposal_has_type(p, IKEV2_TRANS_DH) ||
	    proposal_offers(p, IKEV2_TRANS_DH, IKEV2_DH_NONE, 0))
		return true;
	for (size_t i = 0; i < p->n_transforms; i++) {
		const struct ike_transform *t = &p->transforms[i];

		if (t->type == IKEV2_TRANS_DH && !t->unknown_attr &&
		    ike_dh_supported(t->id) && !ike_dh_is_legacy(t->id)) {
			*dh = t->id;
			return true;
		}
	}
	return false;
}

static bool choose_esn(const struct ike_proposal *p,
		       const struct ike_local_proposal *l,
		       enum ike_select_order order, uint16_t *esn)
{
	uint16_t unused;

	if (!proposal_has_type(p, IKEV2_TRANS_ESN)) {
		*esn = IKEV2_ESN_NO;
		for (size_t k = 0; k < l->n_esn; k++)
			if (l->esn[k] == IKEV2_ESN_NO)
				return true;
		return false;
	}
	return choose(p, IKEV2_TRANS_ESN, l->esn, NULL, l->n_esn, order, esn,
		      &unused);
}

static bool refuse(const char **reason, const char *text)
{
	*reason = text;
	return false;
}

/* One initiator proposal against one local proposal. */
static bool match(const struct ike_proposal *p,
		  const struct ike_local_proposal *l, uint8_t protocol,
		  enum ike_select_order order, struct ike_selection *sel,
		  const char **reason)
{
	uint16_t unused;

	memset(sel, 0, sizeof(*sel));
	if (p->protocol != protocol)
		return refuse(reason, "wrong protocol");
	if (!unknown_types_ok(p))
		return refuse(reason, "unknown transform type");
	if (!choose_encr(p, l, order, &sel->encr))
		return refuse(reason, "no acceptable encryption");
	if (is_aead(sel->encr.id)) {
		if (!integ_ok_for_aead(p))
			return refuse(reason, "integrity offered with AES-GCM");
	} else if (!choose(p, IKEV2_TRANS_INTEG, l->integ, NULL, l->n_integ,
			   order, &sel->integ, &unused)) {
		return refuse(reason, "no acceptable integrity");
	}
	if (protocol == IKEV2_PROTO_IKE) {
		if (!choose(p, IKEV2_TRANS_PRF, l->prf, NULL, l->n_prf, order,
			    &sel->prf, &unused))
			return refuse(reason, "no acceptable PRF");
		if (!choose(p, IKEV2_TRANS_DH, l->dh, NULL, l->n_dh, order,
			    &sel->dh, &unused))
			return refuse(reason, "no acceptable DH group");
	} else {
		bool ok = l->n_dh ? choose(p, IKEV2_TRANS_DH, l->dh, NULL,
					   l->n_dh, order, &sel->dh, &unused) :
				    choose_unrequested_pfs(p, &sel->dh);

		if (!ok)
			return refuse(reason, "no acceptable PFS group");
		if (!choose_esn(p, l, order, &sel->esn))
			return refuse(reason, "no acceptable ESN setting");
	}
	sel->proposal_num = p->num;
	sel->protocol = p->protocol;
	sel->spi_size = p->spi_size;
	memcpy(sel->spi, p->spi, sizeof(sel->spi));
	return true;
}

int ike_select_proposal(const struct ike_sa_payload *offer, uint8_t protocol,
			const struct ike_local_proposal *local,
			size_t n_local, enum ike_select_order order,
			struct ike_selection *out, char *why, size_t why_len)
{
	bool local_first = order == IKE_SELECT_LOCAL_FIRST;
	size_t n_outer = local_first ? n_local : offer->n_proposals;
	size_t n_inner = local_first ? offer->n_proposals : n_local;

	if (why && why_len)
		why[0] = '\0';
	for (size_t o = 0; o < n_outer; o++) {
		for (size_t i = 0; i < n_inner; i++) {
			size_t li = local_first ? o : i;
			const struct ike_proposal *p =
				&offer->proposals[local_first ? i : o];
			const char *reason = "";

			if (match(p, &local[li], protocol, order, out,
				  &reason)) {
				out->local_index = li;
				return 0;
			}
			explain(why, why_len, "%sproposal %u vs local %zu: %s",
				why && why[0] ? "; " : "", p->num, li + 1,
				reason);
		}
	}
	if (n_local == 0 || offer->n_proposals == 0)
		explain(why, why_len, "nothing to compare");
	if (offer->n_ignored)
		explain(why, why_len, "%s%u more proposals past the first %d "
			"not considered", why && why[0] ? "; " : "",
			offer->n_ignored, IKE_MAX_PROPOSALS);
	return -1;
}

static void add(struct ike_proposal *p, uint8_t type, uint16_t id,
		uint16_t bits)
{
	p->transforms[p->n_transforms++] =
		(struct ike_transform){ type, id, bits, false };
}

void ike_selection_to_sa(const struct ike_selection *sel,
			 const uint8_t *spi, uint8_t spi_size,
			 struct ike_sa_payload *sa)
{
	struct ike_proposal *p = &sa->proposals[0];

	memset(sa, 0, sizeof(*sa));
	sa->n_proposals = 1;
	p->num = sel->proposal_num;
	p->protocol = sel->protocol;
	p->spi_size = spi_size > 8 ? 8 : spi_size;
	if (spi)
		memcpy(p->spi, spi, p->spi_size);
	add(p, IKEV2_TRANS_ENCR, sel->encr.id, sel->encr.key_bits);
	if (sel->protocol == IKEV2_PROTO_IKE)
		add(p, IKEV2_TRANS_PRF, sel->prf, 0);
	if (sel->integ)
		add(p, IKEV2_TRANS_INTEG, sel->integ, 0);
	if (sel->dh || sel->protocol == IKEV2_PROTO_IKE)
		add(p, IKEV2_TRANS_DH, sel->dh, 0);
	if (sel->protocol != IKEV2_PROTO_IKE)
		add(p, IKEV2_TRANS_ESN, sel->esn, 0);
}

void ike_local_from_ikev2_proposal(const struct cfg_ikev2_proposal *p,
				   struct ike_local_proposal *out)
{
	memset(out, 0, sizeof(*out));
	out->n_encr = p->n_encr;
	memcpy(out->encr, p->encr, p->n_encr * sizeof(p->encr[0]));
	out->n_prf = p->n_prf;
	memcpy(out->prf, p->prf, p->n_prf * sizeof(p->prf[0]));
	out->n_integ = p->n_integ;
	memcpy(out->integ, p->integ, p->n_integ * sizeof(p->integ[0]));
	out->n_dh = p->n_group;
	memcpy(out->dh, p->group, p->n_group * sizeof(p->group[0]));
}

void ike_local_from_transform_set(const struct cfg_transform_set *ts,
				  uint16_t pfs_group, bool allow_esn,
				  struct ike_local_proposal *out)
{
	memset(out, 0, sizeof(*out));
	out->encr[out->n_encr++] = ts->encr;
	if (ts->integ)
		out->integ[out->n_integ++] = ts->integ;
	if (pfs_group)
		out->dh[out->n_dh++] = pfs_group;
	if (allow_esn)
		out->esn[out->n_esn++] = IKEV2_ESN_YES;
	out->esn[out->n_esn++] = IKEV2_ESN_NO;
}
