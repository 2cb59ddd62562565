// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 7383 IKEv2 fragmentation: splitting an SK plaintext into SKF
 * messages, and reassembling received ones.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ikev2/ikev2_const.h"
#include "ikev2/sk.h"
#include "core/util.h"

#define SKF_HDR_LEN (IKEV2_GENERIC_HDR_LEN + 4)	/* + number, total */

/* ---------------------------------------------------------------- */
/* Splitting */

/* The largest chunk of plaintext whose fragment message fits max_len:
 * the overhead of a one-byte chunk tells the IV + ICV + block rounding,
 * and each further byte of chunk costs one byte until the padding runs
 * out. Found by stepping down from the upper bound, at most one block. */
static size_t chunk_size(const struct ike_sk_alg *alg, size_t max_len)
{
	size_t fixed = IKEV2_HDR_LEN + SKF_HDR_LEN - IKEV2_GENERIC_HDR_LEN;
	size_t c;

	if (max_len <= fixed + ike_sk_overhead(alg, 1))
		return 0;
	c = max_len - fixed;
	while (c > 0 && fixed + c + ike_sk_overhead(alg, c) > max_len)
		c--;
	return c;
}

void ike_frags_free(struct ike_frag *frags, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(frags[i].buf);
		frags[i].buf = NULL;
	}
}

int ike_skf_seal_all(const struct ike_sk_keys *k, const struct ike_header *hdr,
		     uint8_t first_inner, const uint8_t *plain,
		     size_t plain_len, size_t max_len, struct ike_frag *frags,
		     size_t max_frags, size_t *n, char *why, size_t why_len)
{
	size_t chunk = chunk_size(&k->alg, max_len), total;

	*n = 0;
	if (!ike_sk_overhead(&k->alg, 1))
		return failf(why, why_len, "unsupported SK algorithms");
	if (!chunk)
		return failf(why, why_len, "fragments of %zu bytes cannot "
			     "carry any data", max_len);
	total = plain_len ? (plain_len + chunk - 1) / chunk : 1;
	if (total > max_frags || total > IKE_SKF_MAX)
		return failf(why, why_len, "%zu bytes need %zu fragments of "
			     "%zu bytes (at most %zu)", plain_len, total,
			     max_len, max_frags < IKE_SKF_MAX ? max_frags :
			     (size_t)IKE_SKF_MAX);
	for (size_t i = 0; i < total; i++) {
		size_t off = i * chunk;
		size_t len = plain_len - off < chunk ? plain_len - off : chunk;

		frags[i].buf = malloc(max_len);
		if (!frags[i].buf) {
			ike_frags_free(frags, i);
			return failf(why, why_len, "out of memory");
		}
		if (ike_skf_seal(k, hdr, first_inner, (uint16_t)(i + 1),
				 (uint16_t)total, plain + off, len, NULL,
				 frags[i].buf, max_len, &frags[i].len, why,
				 why_len) < 0) {
			ike_frags_free(frags, i + 1);
			return -1;
		}
	}
	*n = total;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Reassembly */

void ike_reasm_init(struct ike_reasm *r)
{
	memset(r, 0, sizeof(*r));
}

void ike_reasm_free(struct ike_reasm *r)
{
	for (size_t i = 0; i <= IKE_SKF_MAX; i++) {
		if (r->part[i]) {
			OPENSSL_clear_free(r->part[i], r->part_len[i]);
			r->part[i] = NULL;
		}
	}
	ike_reasm_init(r);
}

static const struct ike_payload *find_skf(const struct ike_msg *m)
{
	return m->n_payloads == 1 && m->payloads[0].type == IKEV2_PL_SKF ?
		&m->payloads[0] : NULL;
}

/* Decrypt one fragment into a fresh buffer. */
static int open_fragment(const struct ike_sk_keys *k, const uint8_t *msg,
			 size_t msg_len, const struct ike_payload *pl,
			 uint8_t **out, size_t *out_len, char *why,
			 size_t why_len)
{
	size_t cap = pl->u.skf.data.len;
	uint8_t *buf = malloc(cap ? cap : 1);

	*out = NULL;
	if (!buf)
		return failf(why, why_len, "out of memory");
	if (ike_sk_open(k, msg, msg_len, pl, buf, cap, out_len, why,
			why_len) < 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

/* Accept the fragment's numbering against what is kept (RFC 7383
 * 2.6.1-2.6.2). Returns 1 to keep it, 0 to drop it silently, -1 error. */
static int admit(struct ike_reasm *r, uint32_t msg_id, uint16_t number,
		 uint16_t total, char *why, size_t why_len)
{
	if (total > IKE_SKF_MAX)
		return failf(why, why_len, "message in %u fragments (at most "
			     "%d)", total, IKE_SKF_MAX);
	if (r->active && msg_id != r->msg_id)
		return failf(why, why_len, "fragment of message %u while "
			     "reassembling message %u", msg_id, r->msg_id);
	if (r->active && total < r->total)
		return 0;	/* an older, coarser transmission */
	if (r->active && total > r->total)
		ike_reasm_free(r);	/* re-fragmented: start anew */
	if (!r->active) {
		r->active = true;
		r->msg_id = msg_id;
		r->total = total;
	}
	return r->part[number] ? 0 : 1;	/* duplicate: keep the first */
}

enum ike_reasm_status ike_reasm_add(struct ike_reasm *r,
				    const struct ike_sk_keys *k,
				    const uint8_t *msg, size_t msg_len,
				    const struct ike_msg *m, char *why,
				    size_t why_len)
{
	const struct ike_payload *pl = find_skf(m);
	uint8_t *plain = NULL;
	size_t len = 0;
	int keep;

	if (!pl)
		return failf(why, why_len, "not an SKF message");
	/* Check before admitting: a forged fragment must not reset. */
	if (open_fragment(k, msg, msg_len, pl, &plain, &len, why,
			  why_len) < 0)
		return IKE_REASM_ERROR;
	keep = admit(r, m->hdr.msg_id, pl->u.skf.number, pl->u.skf.total,
		     why, why_len);
	if (keep > 0 && r->bytes + len > IKE_REASM_MAX_BYTES)
		keep = failf(why, why_len, "reassembled message over %d "
			     "bytes", IKE_REASM_MAX_BYTES);
	if (keep <= 0) {
		OPENSSL_clear_free(plain, len);
		return keep < 0 ? IKE_REASM_ERROR : r->n_have == r->total ?
			IKE_REASM_COMPLETE : IKE_REASM_INCOMPLETE;
	}
	if (pl->u.skf.number == 1)
		r->first_inner = pl->u.skf.first_inner;
	r->part[pl->u.skf.number] = plain;
	r->part_len[pl->u.skf.number] = len;
	r->bytes += len;
	r->n_have++;
	return r->n_have == r->total ? IKE_REASM_COMPLETE :
				       IKE_REASM_INCOMPLETE;
}

int ike_reasm_take(struct ike_reasm *r, uint8_t **plain, size_t *len,
		   uint8_t *first_inner)
{
	uint8_t *buf;
	size_t pos = 0;

	*plain = NULL;
	*len = 0;
	if (!r->active || r->n_have != r->total)
		return -1;
	buf = malloc(r->bytes ? r->bytes : 1);
	if (!buf)
		return -1;
	for (size_t i = 1; i <= r->total; i++) {
		memcpy(buf + pos, r->part[i], r->part_len[i]);
		pos += r->part_len[i];
	}
	*plain = buf;
	*len = pos;
	*first_inner = r->first_inner;
	ike_reasm_free(r);
	return 0;
}
