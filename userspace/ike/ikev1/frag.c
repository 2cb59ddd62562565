// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 fragmentation (ikev1/frag.h). Reassembly copies each fragment's
 * data into the set's one buffer as it arrives (the received datagram
 * does not outlive the call) and orders the parts only once all are in.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ikev1/frag.h"
#include "ikev1/isakmp.h"

static int fail(struct v1_decode_error *err, size_t off, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

static int fail(struct v1_decode_error *err, size_t off, const char *fmt,
		...)
{
	va_list ap;

	if (!err)
		return V1_FRAG_ERROR;
	err->notify = 0;		/* fragments are never answered */
	err->offset = off;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return V1_FRAG_ERROR;
}

/* ---------------------------------------------------------------- */
/* Splitting */

static void header_of(const uint8_t *msg, struct v1_header *h)
{
	memcpy(h->cky_i, msg, 8);
	memcpy(h->cky_r, msg + 8, 8);
	h->version = msg[17];
	h->exchange = msg[18];
	/* The fragments themselves are plain ISAKMP messages: the
	 * encrypted bytes are inside their data. */
	h->flags = msg[19] & (uint8_t)~ISAKMP_FLAG_ENC;
	h->msg_id = (uint32_t)msg[20] << 24 | (uint32_t)msg[21] << 16 |
		    (uint32_t)msg[22] << 8 | msg[23];
}

int v1_frag_split(const uint8_t *msg, size_t len, uint16_t frag_id,
		  size_t frag_len, uint8_t *out, size_t cap,
		  size_t lens[V1_FRAG_MAX])
{
	struct v1_header h = { 0 };
	size_t chunk, n, done = 0, pos = 0;

	if (len < ISAKMP_HDR_LEN || frag_len <= V1_FRAG_OVERHEAD)
		return -1;
	chunk = frag_len - V1_FRAG_OVERHEAD;
	n = (len + chunk - 1) / chunk;
	if (n > V1_FRAG_MAX)
		return -1;
	header_of(msg, &h);
	for (size_t i = 0; i < n; i++) {
		size_t d = len - done < chunk ? len - done : chunk;
		struct v1_builder b;

		v1_build_begin(&b, out + pos, cap - pos, &h);
		v1_add_frag(&b, frag_id, (uint8_t)(i + 1), i + 1 == n,
			    msg + done, d);
		if (v1_build_end(&b) < 0)
			return -1;
		lens[i] = b.len;
		pos += b.len;
		done += d;
	}
	return (int)n;
}

/* ---------------------------------------------------------------- */
/* Reassembly */

void v1_frag_reset(struct v1_frag_set *s)
{
	s->active = false;
	s->id = 0;
	s->last = 0;
	s->have = 0;
	s->used = 0;
}

static bool newer_id(uint16_t a, uint16_t b)
{
	return (int16_t)(uint16_t)(a - b) > 0;	/* serial arithmetic */
}

/* Fragment numbers are 1..V1_FRAG_MAX; bits 1..last of have. */
static uint32_t all_up_to(uint8_t last)
{
	return ((1u << (last + 1)) - 1) & ~1u;
}

static int check_order(const struct v1_frag_set *s, uint8_t num, bool last,
		       size_t off, struct v1_decode_error *err)
{
	if (last && s->last && s->last != num)
		return fail(err, off, "fragment %u marked last after %u was",
			    num, s->last);
	if (last && (s->have >> (num + 1)))
		return fail(err, off, "fragment %u marked last, but a later "
			    "one arrived", num);
	if (!last && s->last && num > s->last)
		return fail(err, off, "fragment %u after the last one (%u)",
			    num, s->last);
	return 0;
}

static enum v1_frag_result assemble(struct v1_frag_set *s, uint8_t *out,
				    size_t cap, size_t *out_len,
				    struct v1_decode_error *err)
{
	size_t total = 0;

	for (uint8_t i = 1; i <= s->last; i++)
		total += s->part[i].len;
	if (total > cap) {
		fail(err, 0, "reassembled message of %zu bytes, room for %zu",
		     total, cap);
		v1_frag_reset(s);
		return V1_FRAG_ERROR;
	}
	total = 0;
	for (uint8_t i = 1; i <= s->last; i++) {
		memcpy(out + total, s->data + s->part[i].off, s->part[i].len);
		total += s->part[i].len;
	}
	*out_len = total;
	v1_frag_reset(s);
	return V1_FRAG_DONE;
}

/* A repeat: the same bytes are a retransmission, others a forgery or a
 * confused peer, and the first copy stays either way. */
static enum v1_frag_result repeat(const struct v1_frag_set *s, uint8_t num,
				  struct ike_bytes d, size_t off,
				  struct v1_decode_error *err)
{
	if (d.len == s->part[num].len &&
	    memcmp(d.ptr, s->data + s->part[num].off, d.len) == 0)
		return V1_FRAG_MORE;
	return fail(err, off, "fragment %u again with other content", num);
}

enum v1_frag_result v1_frag_add(struct v1_frag_set *s,
				const struct v1_payload *frag, uint8_t *out,
				size_t cap, size_t *out_len,
				struct v1_decode_error *err)
{
	uint8_t num = frag->u.frag.number;
	bool last = frag->u.frag.last;
	struct ike_bytes d = frag->u.frag.data;
	size_t off = frag->offset;

	if (frag->type != ISAKMP_PL_FRAG)
		return fail(err, off, "payload type %u is not a fragment",
			    frag->type);
	if (num == 0 || num > V1_FRAG_MAX)
		return fail(err, off, "fragment number %u (1..%d)", num,
			    V1_FRAG_MAX);
	if (d.len == 0 || d.len > sizeof(s->data))
		return fail(err, off, "fragment of %zu bytes", d.len);
	if (s->active && newer_id(s->id, frag->u.frag.id))
		return fail(err, off, "fragment ID %u older than %u",
			    frag->u.frag.id, s->id);
	if (!s->active || s->id != frag->u.frag.id) {
		v1_frag_reset(s);
		s->active = true;
		s->id = frag->u.frag.id;
	}
	if (s->have & (1u << num))
		return repeat(s, num, d, off, err);
	if (check_order(s, num, last, off, err) < 0)
		return V1_FRAG_ERROR;
	if (d.len > sizeof(s->data) - s->used)
		return fail(err, off, "fragments over %zu bytes",
			    sizeof(s->data));
	memcpy(s->data + s->used, d.ptr, d.len);
	s->part[num].off = (uint16_t)s->used;
	s->part[num].len = (uint16_t)d.len;
	s->used += d.len;
	s->have |= 1u << num;
	if (last)
		s->last = num;
	if (s->last && (s->have & all_up_to(s->last)) == all_up_to(s->last))
		return assemble(s, out, cap, out_len, err);
	return V1_FRAG_MORE;
}
