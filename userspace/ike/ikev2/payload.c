// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 message codec. Decoding reads through a bounds-checked cursor:
 * a read past the end of the current container fails, so a bad length
 * can never make the decoder look outside the buffer. Chains cannot
 * loop (every payload is at least its 4-byte header long and the cursor
 * only moves forward) and are capped at IKE_MAX_PAYLOADS.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ikev2/ikev2_const.h"
#include "ikev2/payload.h"

_Static_assert(IKE_MAX_TRANSFORMS >= UINT8_MAX,
	       "a proposal's one-byte transform count must always fit");

/* ---------------------------------------------------------------- */
/* Errors */

static int fail(struct ike_decode_error *err, uint16_t notify, size_t off,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct ike_decode_error *err, uint16_t notify, size_t off,
		const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->notify = notify;
	err->offset = off;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

#define SYNTAX(err, off, ...) fail((err), IKEV2_N_INVALID_SYNTAX, (off), \
				   __VA_ARGS__)

/* ---------------------------------------------------------------- */
/* A bounds-checked cursor over one container */

struct cursor {
	const uint8_t *p;
	size_t len, pos;
	size_t base;			/* offset of p[0] in the message */
};

static size_t cur_off(const struct cursor *c)
{
	return c->base + c->pos;
}

static bool take(struct cursor *c, size_t n, const uint8_t **out)
{
	if (n > c->len - c->pos)
		return false;
	*out = c->p + c->pos;
	c->pos += n;
	return true;
}

static bool get_u8(struct cursor *c, uint8_t *v)
{
	const uint8_t *b;

	if (!take(c, 1, &b))
		return false;
	*v = b[0];
	return true;
}

static bool get_u16(struct cursor *c, uint16_t *v)
{
	const uint8_t *b;

	if (!take(c, 2, &b))
		return false;
	*v = (uint16_t)(b[0] << 8 | b[1]);
	return true;
}

static bool get_u32(struct cursor *c, uint32_t *v)
{
	const uint8_t *b;

	if (!take(c, 4, &b))
		return false;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	     (uint32_t)b[2] << 8 | b[3];
	return true;
}

static bool skip(struct cursor *c, size_t n)
{
	const uint8_t *b;

	return take(c, n, &b);
}

static struct ike_bytes rest(struct cursor *c)
{
	struct ike_bytes r = { c->p + c->pos, c->len - c->pos };

	c->pos = c->len;
	return r;
}

/* A sub-cursor over the next n bytes (a substructure with a length). */
static bool sub(struct cursor *c, size_t n, struct cursor *out)
{
	const uint8_t *b;
	size_t at = cur_off(c);

	if (!take(c, n, &b))
		return false;
	*out = (struct cursor){ b, n, 0, at };
	return true;
}

/* ---------------------------------------------------------------- */
/* SA payload (RFC 7296 3.3) */

static int decode_attributes(struct cursor *c, struct ike_transform *t,
			     struct ike_decode_error *err)
{
	while (c->pos < c->len) {
		size_t at = cur_off(c);
		uint16_t type, value;

		if (!get_u16(c, &type) || !get_u16(c, &value))
			return SYNTAX(err, at, "truncated transform attribute");
		if (!(type & IKEV2_ATTR_FORMAT_TV)) {
			/* TLV: value is a length; skip what we do not know. */
			if (!skip(c, value))
				return SYNTAX(err, at, "attribute length %u "
					      "beyond its transform", value);
			t->unknown_attr = true;
			continue;
		}
		if ((type & 0x7fff) == IKEV2_ATTR_KEY_LENGTH)
			t->key_bits = value;
		else
			t->unknown_attr = true;
	}
	return 0;
}

static int decode_transform(struct cursor *c, struct ike_transform *t,
			    bool *last, struct ike_decode_error *err)
{
	size_t at = cur_off(c);
	uint8_t more, type;
	uint16_t len;
	struct cursor body;

	memset(t, 0, sizeof(*t));
	if (!get_u8(c, &more) || !skip(c, 1) || !get_u16(c, &len))
		return SYNTAX(err, at, "truncated transform header");
	if ((more != 0 && more != 3) || len < 8)
		return SYNTAX(err, at, "bad transform (last %u, length %u)",
			      more, len);
	c->pos -= 4;
	if (!sub(c, len, &body))
		return SYNTAX(err, at, "transform length %u beyond its "
			      "proposal", len);
	skip(&body, 4);
	if (!get_u8(&body, &type) || !skip(&body, 1) || !get_u16(&body, &t->id))
		return SYNTAX(err, at, "truncated transform");
	t->type = type;
	*last = more == 0;
	return decode_attributes(&body, t, err);
}

static int decode_proposal(struct cursor *c, struct ike_proposal *p,
			   bool *last, struct ike_decode_error *err)
{
	size_t at = cur_off(c);
	uint8_t more, n_trans;
	uint16_t len;
	const uint8_t *spi;
	struct cursor body;
	bool trans_last = false;

	memset(p, 0, sizeof(*p));
	if (!get_u8(c, &more) || !skip(c, 1) || !get_u16(c, &len))
		return SYNTAX(err, at, "truncated proposal header");
	if ((more != 0 && more != 2) || len < 8)
		return SYNTAX(err, at, "bad proposal (last %u, length %u)",
			      more, len);
	c->pos -= 4;
	if (!sub(c, len, &body))
		return SYNTAX(err, at, "proposal length %u beyond the SA "
			      "payload", len);
	skip(&body, 4);
	if (!get_u8(&body, &p->num) || !get_u8(&body, &p->protocol) ||
	    !get_u8(&body, &p->spi_size) || !get_u8(&body, &n_trans))
		return SYNTAX(err, at, "truncated proposal");
	if (p->spi_size != 0 && p->spi_size != 4 && p->spi_size != 8)
		return SYNTAX(err, at, "proposal SPI size %u", p->spi_size);
	if (!take(&body, p->spi_size, &spi))
		return SYNTAX(err, at, "proposal SPI beyond the proposal");
	memcpy(p->spi, spi, p->spi_size);
	for (p->n_transforms = 0; p->n_transforms < n_trans;
	     p->n_transforms++) {
		if (trans_last)
			return SYNTAX(err, cur_off(&body), "transform after "
				      "the one marked last");
		if (decode_transform(&body, &p->transforms[p->n_transforms],
				     &trans_last, err) < 0)
			return -1;
	}
	if (!trans_last && n_trans > 0)
		return SYNTAX(err, at, "last transform not marked last");
	if (body.pos != body.len)
		return SYNTAX(err, cur_off(&body), "%zu bytes after the "
			      "proposal's %u transforms", body.len - body.pos,
			      n_trans);
	*last = more == 0;
	return 0;
}

static int decode_sa(struct cursor *c, struct ike_sa_payload *sa,
		     struct ike_decode_error *err)
{
	struct ike_proposal beyond;	/* past the ones we keep */
	unsigned int seen = 0;
	bool last = false;

	sa->n_proposals = 0;
	sa->n_ignored = 0;
	while (!last) {
		struct ike_proposal *p = seen < IKE_MAX_PROPOSALS ?
					 &sa->proposals[seen] : &beyond;

		if (c->pos == c->len)
			return SYNTAX(err, cur_off(c), "last proposal not "
				      "marked last");
		if (decode_proposal(c, p, &last, err) < 0)
			return -1;
		/* RFC 7296 3.3.1: offers are numbered 1, 2, ... with no
		 * gaps; an answer has one proposal, with the number of the
		 * offer it accepts. */
		if (seen == 1 && sa->proposals[0].num != 1)
			return SYNTAX(err, cur_off(c), "first of several "
				      "proposals numbered %u, not 1",
				      sa->proposals[0].num);
		if (p->num == 0 || (seen > 0 && p->num != seen + 1))
			return SYNTAX(err, cur_off(c), "proposal number %u "
				      "where %u was due", p->num, seen + 1);
		seen++;
	}
	sa->n_proposals = (uint8_t)(seen < IKE_MAX_PROPOSALS ?
				    seen : IKE_MAX_PROPOSALS);
	sa->n_ignored = (uint8_t)(seen - sa->n_proposals);
	if (c->pos != c->len)
		return SYNTAX(err, cur_off(c), "data after the last proposal");
	return 0;
}

/* ---------------------------------------------------------------- */
/* Traffic selectors (RFC 7296 3.13) */

static int decode_one_ts(struct cursor *c, struct ike_ts *ts,
			 struct ike_decode_error *err)
{
	size_t at = cur_off(c), alen;
	uint16_t len;
	const uint8_t *a, *b;

	memset(ts, 0, sizeof(*ts));
	if (!get_u8(c, &ts->type) || !get_u8(c, &ts->ip_proto) ||
	    !get_u16(c, &len))
		return SYNTAX(err, at, "truncated traffic selector");
	if (ts->type == IKEV2_TS_IPV4_ADDR_RANGE)
		alen = 4;
	else if (ts->type == IKEV2_TS_IPV6_ADDR_RANGE)
		alen = 16;
	else
		return SYNTAX(err, at, "traffic selector type %u", ts->type);
	if (len != 8 + 2 * alen)
		return SYNTAX(err, at, "traffic selector length %u for type "
			      "%u", len, ts->type);
	if (!get_u16(c, &ts->start_port) || !get_u16(c, &ts->end_port) ||
	    !take(c, alen, &a) || !take(c, alen, &b))
		return SYNTAX(err, at, "traffic selector beyond its payload");
	memcpy(ts->start, a, alen);
	memcpy(ts->end, b, alen);
	return 0;
}

static int decode_ts(struct cursor *c, struct ike_ts_payload *tsp,
		     struct ike_decode_error *err)
{
	uint8_t n;

	if (!get_u8(c, &n) || !skip(c, 3))
		return SYNTAX(err, cur_off(c), "truncated TS payload");
	if (n == 0 || n > IKE_MAX_TS)
		return SYNTAX(err, cur_off(c), "%u traffic selectors (1..%d)",
			      n, IKE_MAX_TS);
	for (tsp->n = 0; tsp->n < n; tsp->n++)
		if (decode_one_ts(c, &tsp->ts[tsp->n], err) < 0)
			return -1;
	if (c->pos != c->len)
		return SYNTAX(err, cur_off(c), "data after the last traffic "
			      "selector");
	return 0;
}

/* ---------------------------------------------------------------- */
/* The other bodies */

static int decode_small(struct cursor *c, struct ike_payload *pl,
			struct ike_decode_error *err)
{
	size_t at = cur_off(c);
	bool ok = true;

	switch (pl->type) {
	case IKEV2_PL_KE:
		ok = get_u16(c, &pl->u.ke.group) && skip(c, 2);
		pl->u.ke.data = rest(c);
		break;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		ok = get_u8(c, &pl->u.id.type) && skip(c, 3);
		pl->u.id.data = rest(c);
		break;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		ok = get_u8(c, &pl->u.cert.encoding);
		pl->u.cert.data = rest(c);
		break;
	case IKEV2_PL_AUTH:
		ok = get_u8(c, &pl->u.auth.method) && skip(c, 3);
		pl->u.auth.data = rest(c);
		break;
	case IKEV2_PL_NONCE:
		pl->u.data = rest(c);
		/* RFC 7296 2.10: 16 to 256 bytes. */
		if (pl->u.data.len < 16 || pl->u.data.len > 256)
			return SYNTAX(err, at, "nonce of %zu bytes (16..256)",
				      pl->u.data.len);
		break;
	default:			/* VID, CP, EAP, unknown: opaque */
		pl->u.data = rest(c);
		break;
	}
	if (!ok)
		return SYNTAX(err, at, "payload type %u too short", pl->type);
	return 0;
}

static int decode_notify(struct cursor *c, struct ike_payload *pl,
			 struct ike_decode_error *err)
{
	size_t at = cur_off(c);
	const uint8_t *spi;

	if (!get_u8(c, &pl->u.notify.protocol) ||
	    !get_u8(c, &pl->u.notify.spi_size) ||
	    !get_u16(c, &pl->u.notify.type))
		return SYNTAX(err, at, "truncated notify");
	if (!take(c, pl->u.notify.spi_size, &spi))
		return SYNTAX(err, at, "notify SPI size %u beyond the payload",
			      pl->u.notify.spi_size);
	pl->u.notify.spi = (struct ike_bytes){ spi, pl->u.notify.spi_size };
	pl->u.notify.data = rest(c);
	return 0;
}

static int decode_delete(struct cursor *c, struct ike_payload *pl,
			 struct ike_decode_error *err)
{
	size_t at = cur_off(c);

	if (!get_u8(c, &pl->u.del.protocol) ||
	    !get_u8(c, &pl->u.del.spi_size) || !get_u16(c, &pl->u.del.n_spi))
		return SYNTAX(err, at, "truncated delete");
	pl->u.del.spis = rest(c);
	if ((size_t)pl->u.del.spi_size * pl->u.del.n_spi !=
	    pl->u.del.spis.len)
		return SYNTAX(err, at, "delete: %u SPIs of %u bytes in %zu "
			      "bytes", pl->u.del.n_spi, pl->u.del.spi_size,
			      pl->u.del.spis.len);
	return 0;
}

static int decode_skf(struct cursor *c, struct ike_payload *pl,
		      uint8_t next, struct ike_decode_error *err)
{
	size_t at = cur_off(c);

	if (!get_u16(c, &pl->u.skf.number) || !get_u16(c, &pl->u.skf.total))
		return SYNTAX(err, at, "truncated SKF");
	/* RFC 7383 2.5: numbered from 1; only the first names the inner
	 * payload type. */
	if (pl->u.skf.number == 0 || pl->u.skf.total == 0 ||
	    pl->u.skf.number > pl->u.skf.total)
		return SYNTAX(err, at, "fragment %u of %u", pl->u.skf.number,
			      pl->u.skf.total);
	if (pl->u.skf.number > 1 && next != 0)
		return SYNTAX(err, at, "fragment %u names a next payload",
			      pl->u.skf.number);
	pl->u.skf.first_inner = next;
	pl->u.skf.data = rest(c);
	return 0;
}

/* ---------------------------------------------------------------- */
/* The chain */

static bool known_type(uint8_t t)
{
	return (t >= IKEV2_PL_SA && t <= IKEV2_PL_EAP) || t == IKEV2_PL_SKF;
}

/* A second SA/TSi/TSr in one chain is refused: no exchange has one, and
 * keeping one body each keeps struct ike_msg a fixed size. */
static int decode_body(struct cursor *body, struct ike_payload *pl,
		       uint8_t next, struct ike_msg *m,
		       struct ike_decode_error *err)
{
	bool *seen = pl->type == IKEV2_PL_SA ? &m->has_sa :
		     pl->type == IKEV2_PL_TSI ? &m->has_tsi :
		     pl->type == IKEV2_PL_TSR ? &m->has_tsr : NULL;
	int rc;

	if (seen && *seen)
		return SYNTAX(err, pl->offset, "a second payload of type %u",
			      pl->type);
	switch (pl->type) {
	case IKEV2_PL_SA:
		rc = decode_sa(body, &m->sa, err);
		break;
	case IKEV2_PL_TSI:
		rc = decode_ts(body, &m->tsi, err);
		break;
	case IKEV2_PL_TSR:
		rc = decode_ts(body, &m->tsr, err);
		break;
	case IKEV2_PL_NOTIFY:
		return decode_notify(body, pl, err);
	case IKEV2_PL_DELETE:
		return decode_delete(body, pl, err);
	case IKEV2_PL_SK:
		pl->u.sk.first_inner = next;
		pl->u.sk.data = rest(body);
		return 0;
	case IKEV2_PL_SKF:
		return decode_skf(body, pl, next, err);
	default:
		return decode_small(body, pl, err);
	}
	if (rc == 0)
		*seen = true;
	return rc;
}

int ike_payloads_decode(uint8_t first, const uint8_t *buf, size_t len,
			size_t base, struct ike_msg *m,
			struct ike_decode_error *err)
{
	struct cursor c = { buf, len, 0, base };
	uint8_t type = first;

	while (type != IKEV2_PL_NONE) {
		size_t at = cur_off(&c);
		uint8_t next, flags;
		uint16_t plen;
		struct cursor body;
		struct ike_payload *pl;

		if (!get_u8(&c, &next) || !get_u8(&c, &flags) ||
		    !get_u16(&c, &plen))
			return SYNTAX(err, at, "payload header of type %u "
				      "truncated", type);
		if (plen < IKEV2_GENERIC_HDR_LEN ||
		    !sub(&c, plen - IKEV2_GENERIC_HDR_LEN, &body))
			return SYNTAX(err, at, "payload length %u (type %u) "
				      "outside 4..%zu", plen, type,
				      c.len - c.pos + IKEV2_GENERIC_HDR_LEN);
		if (!known_type(type)) {
			if (flags & 0x80) {
				fail(err, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
				     at, "unsupported critical payload type %u",
				     type);
				if (err)
					err->payload_type = type;
				return -1;
			}
		}
		if (m->n_payloads == IKE_MAX_PAYLOADS)
			return SYNTAX(err, at, "more than %d payloads",
				      IKE_MAX_PAYLOADS);
		pl = &m->payloads[m->n_payloads++];
		memset(pl, 0, sizeof(*pl));
		pl->type = type;
		pl->critical = flags & 0x80;
		pl->offset = at;
		if (decode_body(&body, pl, next, m, err) < 0)
			return -1;
		/* SK/SKF carry the rest of the message (RFC 7296 3.14). */
		if (type == IKEV2_PL_SK || type == IKEV2_PL_SKF) {
			if (c.pos != c.len)
				return SYNTAX(err, at, "encrypted payload is "
					      "not the last one");
			return 0;
		}
		type = next;
	}
	if (c.pos != c.len)
		return SYNTAX(err, cur_off(&c), "%zu bytes after the last "
			      "payload", c.len - c.pos);
	return 0;
}

static int decode_header(struct cursor *c, struct ike_header *h,
			 struct ike_decode_error *err)
{
	const uint8_t *spi_i = NULL, *spi_r = NULL;

	if (c->len < IKEV2_HDR_LEN || !take(c, 8, &spi_i) ||
	    !take(c, 8, &spi_r) || !get_u8(c, &h->next_payload) ||
	    !get_u8(c, &h->version) || !get_u8(c, &h->exchange) ||
	    !get_u8(c, &h->flags) || !get_u32(c, &h->msg_id) ||
	    !get_u32(c, &h->length))
		return fail(err, 0, 0, "message of %zu bytes is shorter than "
			    "the IKE header", c->len);
	memcpy(h->spi_i, spi_i, 8);
	memcpy(h->spi_r, spi_r, 8);
	/* RFC 7296 3.1: a newer major version is answered, not parsed. */
	if ((h->version >> 4) != 2)
		return fail(err, IKEV2_N_INVALID_MAJOR_VERSION, 17,
			    "major version %u", h->version >> 4);
	if (h->length != c->len)
		return fail(err, 0, 24, "header length %u but %zu bytes "
			    "received", h->length, c->len);
	return 0;
}

int ike_msg_decode(const uint8_t *buf, size_t len, struct ike_msg *m,
		   struct ike_decode_error *err)
{
	struct cursor c = { buf, len, 0, 0 };

	memset(m, 0, offsetof(struct ike_msg, payloads));
	m->has_sa = m->has_tsi = m->has_tsr = false;
	if (err)
		memset(err, 0, sizeof(*err));
	if (len > IKE_MAX_MSG_LEN)
		return fail(err, 0, 0, "message of %zu bytes", len);
	if (decode_header(&c, &m->hdr, err) < 0)
		return -1;
	return ike_payloads_decode(m->hdr.next_payload, buf + c.pos,
				   len - c.pos, c.pos, m, err);
}

/* ---------------------------------------------------------------- */
/* Encoding */

struct writer {
	uint8_t *p;
	size_t cap, pos;
	bool overflow;
};

static void put(struct writer *w, const void *src, size_t n)
{
	if (w->overflow || n > w->cap - w->pos) {
		w->overflow = true;
		return;
	}
	if (n)
		memcpy(w->p + w->pos, src, n);
	w->pos += n;
}

static void put_u8(struct writer *w, uint8_t v)
{
	put(w, &v, 1);
}

static void put_u16(struct writer *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(w, b, 2);
}

static void put_u32(struct writer *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	put(w, b, 4);
}

static void put_bytes(struct writer *w, struct ike_bytes b)
{
	put(w, b.ptr, b.len);
}

/* Write a 16-bit length at `at` once the structure's end is known. */
static bool patch_len16(struct writer *w, size_t at)
{
	size_t len = w->pos - at;

	if (w->overflow || len > 0xffff)
		return false;
	w->p[at + 2] = (uint8_t)(len >> 8);
	w->p[at + 3] = (uint8_t)len;
	return true;
}

static bool encode_transform(struct writer *w, const struct ike_transform *t,
			     bool last)
{
	size_t at = w->pos;

	put_u8(w, last ? 0 : 3);
	put_u8(w, 0);
	put_u16(w, 0);
	put_u8(w, t->type);
	put_u8(w, 0);
	put_u16(w, t->id);
	if (t->key_bits) {
		put_u16(w, IKEV2_ATTR_FORMAT_TV | IKEV2_ATTR_KEY_LENGTH);
		put_u16(w, t->key_bits);
	}
	return patch_len16(w, at);
}

static bool encode_sa(struct writer *w, const struct ike_sa_payload *sa)
{
	for (size_t i = 0; i < sa->n_proposals; i++) {
		const struct ike_proposal *p = &sa->proposals[i];
		size_t at = w->pos;

		if (p->spi_size > 8)
			return false;
		put_u8(w, i + 1 == sa->n_proposals ? 0 : 2);
		put_u8(w, 0);
		put_u16(w, 0);
		put_u8(w, p->num);
		put_u8(w, p->protocol);
		put_u8(w, p->spi_size);
		put_u8(w, p->n_transforms);
		put(w, p->spi, p->spi_size);
		for (size_t k = 0; k < p->n_transforms; k++)
			if (!encode_transform(w, &p->transforms[k],
					      k + 1 == p->n_transforms))
				return false;
		if (!patch_len16(w, at))
			return false;
	}
	return sa->n_proposals > 0;
}

static bool encode_ts(struct writer *w, const struct ike_ts_payload *tsp)
{
	if (tsp->n == 0 || tsp->n > IKE_MAX_TS)
		return false;
	put_u8(w, tsp->n);
	put_u8(w, 0);
	put_u16(w, 0);
	for (size_t i = 0; i < tsp->n; i++) {
		const struct ike_ts *ts = &tsp->ts[i];
		size_t alen = ts->type == IKEV2_TS_IPV6_ADDR_RANGE ? 16 : 4;

		if (ts->type != IKEV2_TS_IPV4_ADDR_RANGE &&
		    ts->type != IKEV2_TS_IPV6_ADDR_RANGE)
			return false;
		put_u8(w, ts->type);
		put_u8(w, ts->ip_proto);
		put_u16(w, (uint16_t)(8 + 2 * alen));
		put_u16(w, ts->start_port);
		put_u16(w, ts->end_port);
		put(w, ts->start, alen);
		put(w, ts->end, alen);
	}
	return true;
}

static void put_reserved(struct writer *w, size_t n)
{
	static const uint8_t zero[4];

	put(w, zero, n);
}

static bool encode_body(struct writer *w, const struct ike_msg *m,
			const struct ike_payload *pl)
{
	const union ike_payload_body *u = &pl->u;

	switch (pl->type) {
	case IKEV2_PL_SA:
		return m->has_sa && encode_sa(w, &m->sa);
	case IKEV2_PL_TSI:
		return m->has_tsi && encode_ts(w, &m->tsi);
	case IKEV2_PL_TSR:
		return m->has_tsr && encode_ts(w, &m->tsr);
	case IKEV2_PL_KE:
		put_u16(w, u->ke.group);
		put_reserved(w, 2);
		put_bytes(w, u->ke.data);
		break;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		put_u8(w, u->id.type);
		put_reserved(w, 3);
		put_bytes(w, u->id.data);
		break;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		put_u8(w, u->cert.encoding);
		put_bytes(w, u->cert.data);
		break;
	case IKEV2_PL_AUTH:
		put_u8(w, u->auth.method);
		put_reserved(w, 3);
		put_bytes(w, u->auth.data);
		break;
	case IKEV2_PL_NOTIFY:
		if (u->notify.spi.len != u->notify.spi_size)
			return false;
		put_u8(w, u->notify.protocol);
		put_u8(w, u->notify.spi_size);
		put_u16(w, u->notify.type);
		put_bytes(w, u->notify.spi);
		put_bytes(w, u->notify.data);
		break;
	case IKEV2_PL_DELETE:
		if ((size_t)u->del.spi_size * u->del.n_spi != u->del.spis.len)
			return false;
		put_u8(w, u->del.protocol);
		put_u8(w, u->del.spi_size);
		put_u16(w, u->del.n_spi);
		put_bytes(w, u->del.spis);
		break;
	case IKEV2_PL_SK:
		put_bytes(w, u->sk.data);
		break;
	case IKEV2_PL_SKF:
		put_u16(w, u->skf.number);
		put_u16(w, u->skf.total);
		put_bytes(w, u->skf.data);
		break;
	default:
		put_bytes(w, u->data);
		break;
	}
	return true;
}

static uint8_t next_type(const struct ike_msg *m, size_t i)
{
	const struct ike_payload *pl = &m->payloads[i];

	if (pl->type == IKEV2_PL_SK)
		return pl->u.sk.first_inner;
	if (pl->type == IKEV2_PL_SKF)
		return pl->u.skf.first_inner;
	return i + 1 < m->n_payloads ? m->payloads[i + 1].type : 0;
}

static bool encode_chain(struct writer *w, const struct ike_msg *m)
{
	for (size_t i = 0; i < m->n_payloads; i++) {
		const struct ike_payload *pl = &m->payloads[i];
		size_t at = w->pos;

		/* Nothing may follow an encrypted payload (RFC 7296 3.14). */
		if ((pl->type == IKEV2_PL_SK || pl->type == IKEV2_PL_SKF) &&
		    i + 1 != m->n_payloads)
			return false;
		put_u8(w, next_type(m, i));
		put_u8(w, pl->critical ? 0x80 : 0);
		put_u16(w, 0);
		if (!encode_body(w, m, pl) || !patch_len16(w, at))
			return false;
	}
	return !w->overflow;
}

int ike_payloads_encode(const struct ike_msg *m, uint8_t *out, size_t cap,
			size_t *out_len)
{
	struct writer w = { out, cap, 0, false };

	if (!encode_chain(&w, m))
		return -1;
	*out_len = w.pos;
	return 0;
}

int ike_msg_encode(const struct ike_msg *m, uint8_t *out, size_t cap,
		   size_t *out_len)
{
	struct writer w = { out, cap, 0, false };
	const struct ike_header *h = &m->hdr;

	put(&w, h->spi_i, 8);
	put(&w, h->spi_r, 8);
	put_u8(&w, m->n_payloads ? m->payloads[0].type : 0);
	put_u8(&w, h->version ? h->version : IKEV2_VERSION);
	put_u8(&w, h->exchange);
	put_u8(&w, h->flags);
	put_u32(&w, h->msg_id);
	put_u32(&w, 0);
	if (!encode_chain(&w, m) || w.pos > IKE_MAX_MSG_LEN)
		return -1;
	out[24] = (uint8_t)(w.pos >> 24);
	out[25] = (uint8_t)(w.pos >> 16);
	out[26] = (uint8_t)(w.pos >> 8);
	out[27] = (uint8_t)w.pos;
	*out_len = w.pos;
	return 0;
}

struct ike_payload *ike_msg_add(struct ike_msg *m, uint8_t type)
{
	struct ike_payload *pl;

	if (m->n_payloads == IKE_MAX_PAYLOADS)
		return NULL;
	pl = &m->payloads[m->n_payloads++];
	memset(pl, 0, sizeof(*pl));
	pl->type = type;
	return pl;
}

const struct ike_payload *ike_msg_find(const struct ike_msg *m, uint8_t type,
				       const struct ike_payload *after)
{
	size_t i = after ? (size_t)(after - m->payloads) + 1 : 0;

	for (; i < m->n_payloads; i++)
		if (m->payloads[i].type == type)
			return &m->payloads[i];
	return NULL;
}
