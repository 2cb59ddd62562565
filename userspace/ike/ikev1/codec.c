// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 message codec. As in ikev2/payload.c, decoding reads through a
 * bounds-checked cursor: every length is checked against its container
 * before the bytes behind it are read, chains only move forward and are
 * capped at V1_MAX_PAYLOADS, so no input can make the decoder look
 * outside the buffer or loop.
 *
 * Errors answer with PAYLOAD-MALFORMED unless RFC 2408 5 names a more
 * precise notify (INVALID-PAYLOAD-TYPE, DOI-NOT-SUPPORTED, ...); a
 * header too broken to be answered is dropped (notify 0).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ikev1/codec.h"
#include "ikev1/isakmp.h"
#include "ikev2/ikev2_const.h"

#define V1_GENERIC_HDR_LEN 4
#define ATTR_AF 0x8000			/* basic (TV) attribute */

/* ---------------------------------------------------------------- */
/* Errors */

static int fail(struct v1_decode_error *err, uint16_t notify, size_t off,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct v1_decode_error *err, uint16_t notify, size_t off,
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

#define MALFORMED(err, off, ...) \
	fail((err), IKEV1_N_PAYLOAD_MALFORMED, (off), __VA_ARGS__)

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

static size_t left(const struct cursor *c)
{
	return c->len - c->pos;
}

static bool take(struct cursor *c, size_t n, const uint8_t **out)
{
	if (n > left(c))
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
	struct ike_bytes r = { c->p + c->pos, left(c) };

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

/*
 * The generic header of a proposal or transform (RFC 2408 3.2): next
 * payload (`more` when another follows, 0 for the last), reserved, a
 * length covering the header. Leaves *body over the whole structure
 * with the header already consumed.
 */
static int sub_struct(struct cursor *c, uint8_t more, const char *what,
		      const char *container, bool *last, struct cursor *body,
		      struct v1_decode_error *err)
{
	size_t at = cur_off(c);
	uint8_t next;
	uint16_t len;

	if (!get_u8(c, &next) || !skip(c, 1) || !get_u16(c, &len))
		return MALFORMED(err, at, "truncated %s header", what);
	if (next != 0 && next != more)
		return MALFORMED(err, at, "%s followed by payload type %u",
				 what, next);
	if (len < 8)
		return MALFORMED(err, at, "%s length %u (at least 8)", what,
				 len);
	c->pos -= 4;
	if (!sub(c, len, body))
		return MALFORMED(err, at, "%s length %u beyond its %s", what,
				 len, container);
	skip(body, 4);
	*last = next == 0;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Transform attributes (RFC 2409 appendix A, RFC 2407 4.5) */

/*
 * One attribute, its value as an integer: a basic attribute's 16 bits,
 * or a variable-length one of 1..8 bytes (life durations may be sent
 * either way). *wide is set for values that do not fit 8 bytes.
 */
static int get_attr(struct cursor *c, uint16_t *type, uint64_t *value,
		    bool *wide, struct v1_decode_error *err)
{
	size_t at = cur_off(c);
	uint16_t t, v;
	const uint8_t *b;

	if (!get_u16(c, &t) || !get_u16(c, &v))
		return MALFORMED(err, at, "truncated attribute");
	*type = t & ~ATTR_AF;
	*wide = false;
	*value = v;
	if (t & ATTR_AF)
		return 0;
	if (!take(c, v, &b))
		return MALFORMED(err, at, "attribute %u of %u bytes beyond its "
				 "transform", *type, v);
	*wide = v == 0 || v > 8;
	*value = 0;
	for (size_t i = 0; !*wide && i < v; i++)
		*value = *value << 8 | b[i];
	return 0;
}

/* Attribute state shared by both phases: the life type a duration
 * applies to, and whether a key length was seen. */
struct attr_state {
	uint16_t life_type;
	bool have_key_len;
};

static void set_life(struct v1_transform *t, struct attr_state *st,
		     uint64_t value)
{
	if (st->life_type == IKEV1_LIFE_SECONDS)
		t->life_s = value > UINT32_MAX ? UINT32_MAX : (uint32_t)value;
	else if (st->life_type == IKEV1_LIFE_KILOBYTES)
		t->life_kb = value;
	else
		t->unknown_attr = true;	/* a duration with no type */
	st->life_type = 0;
}

static void set_life_type(struct v1_transform *t, struct attr_state *st,
			  uint64_t value)
{
	if (value == IKEV1_LIFE_SECONDS || value == IKEV1_LIFE_KILOBYTES)
		st->life_type = (uint16_t)value;
	else
		t->unknown_attr = true;
}

static void set_key_len(struct v1_transform *t, struct attr_state *st,
			uint64_t value)
{
	if (st->have_key_len || value == 0 || value > UINT16_MAX)
		t->unknown_attr = true;
	else
		t->key_bits = (uint16_t)value;
	st->have_key_len = true;
}

static void set_group(struct v1_transform *t, uint64_t value)
{
	if (value == 0 || value > UINT16_MAX) {
		t->unknown_attr = true;
		return;
	}
	t->group = (uint16_t)value;
	if (value == 1)
		t->refused_alg = true;	/* group 1: 768 bits */
}

static uint16_t phase1_hash(uint64_t v)
{
	switch (v) {
	case IKEV1_HASH_MD5: return IKEV2_PRF_HMAC_MD5;
	case IKEV1_HASH_SHA1: return IKEV2_PRF_HMAC_SHA1;
	case IKEV1_HASH_SHA2_256: return IKEV2_PRF_HMAC_SHA2_256;
	case IKEV1_HASH_SHA2_384: return IKEV2_PRF_HMAC_SHA2_384;
	case IKEV1_HASH_SHA2_512: return IKEV2_PRF_HMAC_SHA2_512;
	default: return 0;
	}
}

static void phase1_encr(struct v1_transform *t, uint64_t v)
{
	switch (v) {
	case IKEV1_ENCR_AES_CBC:
		t->encr = IKEV2_ENCR_AES_CBC;
		break;
	case IKEV1_ENCR_3DES:
		t->encr = IKEV2_ENCR_3DES;
		break;
	case IKEV1_ENCR_DES:
		t->refused_alg = true;
		break;
	default:			/* IDEA, Blowfish, CAST, ...: unusable */
		break;
	}
}

static void phase1_attr(struct v1_transform *t, struct attr_state *st,
			uint16_t type, uint64_t v)
{
	switch (type) {
	case IKEV1_ATTR_ENCR:
		phase1_encr(t, v);
		break;
	case IKEV1_ATTR_HASH:
		t->hash = phase1_hash(v);
		break;
	case IKEV1_ATTR_AUTH:
		t->auth = v > UINT16_MAX ? 0 : (uint16_t)v;
		break;
	case IKEV1_ATTR_GROUP:
		set_group(t, v);
		break;
	case IKEV1_ATTR_LIFE_TYPE:
		set_life_type(t, st, v);
		break;
	case IKEV1_ATTR_LIFE_DURATION:
		set_life(t, st, v);
		break;
	case IKEV1_ATTR_KEY_LENGTH:
		set_key_len(t, st, v);
		break;
	default:			/* PRF, field size, own groups, ... */
		t->unknown_attr = true;
		break;
	}
}

static uint16_t phase2_integ(uint64_t v, bool *known)
{
	*known = true;
	switch (v) {
	case IPSEC_AUTH_HMAC_MD5: return IKEV2_INTEG_HMAC_MD5_96;
	case IPSEC_AUTH_HMAC_SHA1: return IKEV2_INTEG_HMAC_SHA1_96;
	case IPSEC_AUTH_HMAC_SHA2_256: return IKEV2_INTEG_HMAC_SHA2_256_128;
	case IPSEC_AUTH_HMAC_SHA2_384: return IKEV2_INTEG_HMAC_SHA2_384_192;
	case IPSEC_AUTH_HMAC_SHA2_512: return IKEV2_INTEG_HMAC_SHA2_512_256;
	default:
		*known = false;
		return IKEV2_INTEG_NONE;
	}
}

static void phase2_attr(struct v1_transform *t, struct attr_state *st,
			uint16_t type, uint64_t v)
{
	bool known;

	switch (type) {
	case IPSEC_ATTR_LIFE_TYPE:
		set_life_type(t, st, v);
		break;
	case IPSEC_ATTR_LIFE_DURATION:
		set_life(t, st, v);
		break;
	case IPSEC_ATTR_GROUP:
		set_group(t, v);
		break;
	case IPSEC_ATTR_ENCAP_MODE:
		t->encap = v > UINT16_MAX ? 0 : (uint16_t)v;
		break;
	case IPSEC_ATTR_AUTH:
		/* An integrity algorithm we cannot name would read as
		 * "none": the transform is unusable instead. */
		t->integ = phase2_integ(v, &known);
		if (!known)
			t->unknown_attr = true;
		break;
	case IPSEC_ATTR_KEY_LENGTH:
		set_key_len(t, st, v);
		break;
	default:			/* key rounds, compression, ECN, ... */
		t->unknown_attr = true;
		break;
	}
}

static void phase2_id(struct v1_transform *t)
{
	switch (t->wire_id) {
	case IKEV1_ESP_3DES:
		t->encr = IKEV2_ENCR_3DES;
		break;
	case IKEV1_ESP_AES:
		t->encr = IKEV2_ENCR_AES_CBC;
		break;
	case IKEV1_ESP_AES_GCM_16:
		t->encr = IKEV2_ENCR_AES_GCM_16;
		break;
	case 2:				/* ESP_DES */
		t->refused_alg = true;
		break;
	default:
		break;
	}
}

static int decode_attributes(struct cursor *c, uint8_t protocol,
			     struct v1_transform *t,
			     struct v1_decode_error *err)
{
	struct attr_state st = { 0, false };

	if (protocol == ISAKMP_PROTO_ISAKMP) {
		if (t->wire_id != ISAKMP_TRANS_KEY_IKE)
			t->unknown_attr = true;
	} else {
		phase2_id(t);
	}
	while (left(c) > 0) {
		uint16_t type = 0;
		uint64_t value = 0;
		bool wide = false;

		if (get_attr(c, &type, &value, &wide, err) < 0)
			return -1;
		if (wide) {
			t->unknown_attr = true;
			if (protocol == ISAKMP_PROTO_ISAKMP ?
			    type == IKEV1_ATTR_LIFE_DURATION :
			    type == IPSEC_ATTR_LIFE_DURATION)
				st.life_type = 0;
			continue;
		}
		if (protocol == ISAKMP_PROTO_ISAKMP)
			phase1_attr(t, &st, type, value);
		else
			phase2_attr(t, &st, type, value);
	}
	/* 3DES has one key size; a key length other than 192 is nonsense */
	if (t->encr == IKEV2_ENCR_3DES) {
		if (st.have_key_len && t->key_bits != 192)
			t->unknown_attr = true;
		t->key_bits = 192;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* SA payload (RFC 2408 3.4-3.6, RFC 2407 4.6.1) */

static int decode_transform(struct cursor *c, uint8_t protocol,
			    struct v1_transform *t, bool *last,
			    struct v1_decode_error *err)
{
	size_t at = cur_off(c);
	struct cursor body;

	memset(t, 0, sizeof(*t));
	if (sub_struct(c, ISAKMP_PL_T, "transform", "proposal", last, &body,
		       err) < 0)
		return -1;
	if (!get_u8(&body, &t->num) || !get_u8(&body, &t->wire_id) ||
	    !skip(&body, 2))
		return MALFORMED(err, at, "truncated transform");
	return decode_attributes(&body, protocol, t, err);
}

static int decode_proposal(struct cursor *c, struct v1_proposal *p,
			   bool *last, struct v1_decode_error *err)
{
	size_t at = cur_off(c);
	struct v1_transform beyond;	/* past the ones we keep */
	struct cursor body;
	const uint8_t *spi;
	uint8_t n_trans;
	bool trans_last = false;

	memset(p, 0, offsetof(struct v1_proposal, transforms));
	if (sub_struct(c, ISAKMP_PL_P, "proposal", "SA payload", last, &body,
		       err) < 0)
		return -1;
	if (!get_u8(&body, &p->num) || !get_u8(&body, &p->protocol) ||
	    !get_u8(&body, &p->spi_size) || !get_u8(&body, &n_trans))
		return MALFORMED(err, at, "truncated proposal");
	if (p->spi_size > sizeof(p->spi))
		return MALFORMED(err, at, "proposal SPI size %u", p->spi_size);
	if (!take(&body, p->spi_size, &spi))
		return MALFORMED(err, at, "proposal SPI beyond the proposal");
	memcpy(p->spi, spi, p->spi_size);
	if (n_trans == 0)
		return MALFORMED(err, at, "proposal %u without transforms",
				 p->num);
	for (unsigned int i = 0; i < n_trans; i++) {
		struct v1_transform *t = i < V1_MAX_TRANSFORMS ?
					 &p->transforms[i] : &beyond;

		if (trans_last)
			return MALFORMED(err, cur_off(&body), "transform after "
					 "the one marked last");
		if (decode_transform(&body, p->protocol, t, &trans_last,
				     err) < 0)
			return -1;
	}
	p->n_transforms = n_trans < V1_MAX_TRANSFORMS ? n_trans :
			  V1_MAX_TRANSFORMS;
	if (!trans_last)
		return MALFORMED(err, at, "last of %u transforms not marked "
				 "last", n_trans);
	if (left(&body))
		return MALFORMED(err, cur_off(&body), "%zu bytes after the "
				 "proposal's %u transforms", left(&body),
				 n_trans);
	return 0;
}

/* Offers beyond V1_MAX_PROPOSALS are decoded for their syntax but not
 * kept for selection (a stack slot, as in ikev2/payload.c). */
static int decode_sa(struct cursor *c, struct v1_sa_payload *sa,
		     struct v1_decode_error *err)
{
	size_t at = cur_off(c);
	struct v1_proposal beyond;
	unsigned int seen = 0;
	bool last = false;

	sa->n_proposals = 0;
	if (!get_u32(c, &sa->doi) || !get_u32(c, &sa->situation))
		return MALFORMED(err, at, "truncated SA payload");
	if (sa->doi != ISAKMP_DOI_IPSEC)
		return fail(err, IKEV1_N_DOI_NOT_SUPPORTED, at, "DOI %u",
			    sa->doi);
	/* Secrecy and integrity situations add labels we do not do. */
	if (sa->situation != ISAKMP_SIT_IDENTITY_ONLY)
		return fail(err, IKEV1_N_SITUATION_NOT_SUPPORTED, at + 4,
			    "situation 0x%x", sa->situation);
	while (!last) {
		struct v1_proposal *p = seen < V1_MAX_PROPOSALS ?
					&sa->proposals[seen] : &beyond;

		if (left(c) == 0)
			return MALFORMED(err, cur_off(c), "SA payload without "
					 "a last proposal");
		if (decode_proposal(c, p, &last, err) < 0)
			return -1;
		seen++;
	}
	sa->n_proposals = (uint8_t)(seen < V1_MAX_PROPOSALS ? seen :
				    V1_MAX_PROPOSALS);
	if (left(c))
		return MALFORMED(err, cur_off(c), "data after the last "
				 "proposal");
	return 0;
}

/* ---------------------------------------------------------------- */
/* The other bodies */

static int decode_id(struct cursor *c, struct v1_payload *pl,
		     struct v1_decode_error *err)
{
	size_t at = cur_off(c);

	if (!get_u8(c, &pl->u.id.type) || !get_u8(c, &pl->u.id.protocol) ||
	    !get_u16(c, &pl->u.id.port))
		return MALFORMED(err, at, "truncated ID payload");
	pl->u.id.data = rest(c);
	return 0;
}

static int decode_notify(struct cursor *c, struct v1_payload *pl,
			 struct v1_decode_error *err)
{
	size_t at = cur_off(c);
	const uint8_t *spi;

	if (!get_u32(c, &pl->u.notify.doi) ||
	    !get_u8(c, &pl->u.notify.protocol) ||
	    !get_u8(c, &pl->u.notify.spi_size) ||
	    !get_u16(c, &pl->u.notify.type))
		return MALFORMED(err, at, "truncated notify");
	if (!take(c, pl->u.notify.spi_size, &spi))
		return MALFORMED(err, at, "notify SPI size %u beyond the "
				 "payload", pl->u.notify.spi_size);
	pl->u.notify.spi = (struct ike_bytes){ spi, pl->u.notify.spi_size };
	pl->u.notify.data = rest(c);
	return 0;
}

static int decode_delete(struct cursor *c, struct v1_payload *pl,
			 struct v1_decode_error *err)
{
	size_t at = cur_off(c);

	if (!get_u32(c, &pl->u.del.doi) || !get_u8(c, &pl->u.del.protocol) ||
	    !get_u8(c, &pl->u.del.spi_size) || !get_u16(c, &pl->u.del.n_spi))
		return MALFORMED(err, at, "truncated delete");
	pl->u.del.spis = rest(c);
	if (pl->u.del.n_spi == 0 || pl->u.del.spi_size == 0 ||
	    (size_t)pl->u.del.spi_size * pl->u.del.n_spi !=
	    pl->u.del.spis.len)
		return MALFORMED(err, at, "delete: %u SPIs of %u bytes in %zu "
				 "bytes", pl->u.del.n_spi, pl->u.del.spi_size,
				 pl->u.del.spis.len);
	return 0;
}

static int decode_frag(struct cursor *c, struct v1_payload *pl,
		       struct v1_decode_error *err)
{
	size_t at = cur_off(c);
	uint8_t flags;

	if (!get_u16(c, &pl->u.frag.id) || !get_u8(c, &pl->u.frag.number) ||
	    !get_u8(c, &flags))
		return MALFORMED(err, at, "truncated fragment");
	if (pl->u.frag.number == 0)
		return MALFORMED(err, at, "fragment number 0");
	pl->u.frag.last = flags & 1;
	pl->u.frag.data = rest(c);
	if (pl->u.frag.data.len == 0)
		return MALFORMED(err, at, "empty fragment");
	return 0;
}

static int decode_cert(struct cursor *c, uint8_t *encoding,
		       struct ike_bytes *data, struct v1_decode_error *err)
{
	size_t at = cur_off(c);

	if (!get_u8(c, encoding))
		return MALFORMED(err, at, "certificate payload without its "
				 "encoding");
	*data = rest(c);
	return 0;
}

/* ---------------------------------------------------------------- */
/* The chain */

static bool known_type(uint8_t t)
{
	return (t >= ISAKMP_PL_SA && t <= ISAKMP_PL_VID &&
		t != ISAKMP_PL_P && t != ISAKMP_PL_T) ||
	       t == ISAKMP_PL_NATD || t == ISAKMP_PL_NATOA ||
	       t == ISAKMP_PL_NATD_DRAFT || t == ISAKMP_PL_NATOA_DRAFT ||
	       t == ISAKMP_PL_FRAG;
}

static int decode_body(struct cursor *body, struct v1_payload *pl,
		       struct v1_msg *m, struct v1_decode_error *err)
{
	size_t at = cur_off(body);

	switch (pl->type) {
	case ISAKMP_PL_SA:
		/* One SA body per message: no exchange has two. */
		if (m->has_sa)
			return MALFORMED(err, pl->offset, "a second SA "
					 "payload");
		if (decode_sa(body, &m->sa, err) < 0)
			return -1;
		m->has_sa = true;
		return 0;
	case ISAKMP_PL_ID:
		return decode_id(body, pl, err);
	case ISAKMP_PL_CERT:
		return decode_cert(body, &pl->u.cert.encoding,
				   &pl->u.cert.data, err);
	case ISAKMP_PL_CR:
		return decode_cert(body, &pl->u.cr.encoding, &pl->u.cr.data,
				   err);
	case ISAKMP_PL_N:
		return decode_notify(body, pl, err);
	case ISAKMP_PL_D:
		return decode_delete(body, pl, err);
	case ISAKMP_PL_FRAG:
		return decode_frag(body, pl, err);
	case ISAKMP_PL_NONCE:
		/* RFC 2409 5: 8 to 256 bytes. */
		if (left(body) < 8 || left(body) > 256)
			return MALFORMED(err, at, "nonce of %zu bytes (8..256)",
					 left(body));
		return 0;
	case ISAKMP_PL_KE:
	case ISAKMP_PL_HASH:
	case ISAKMP_PL_SIG:
		if (left(body) == 0)
			return MALFORMED(err, at, "empty payload of type %u",
					 pl->type);
		return 0;
	default:			/* VID, NAT-D, NAT-OA: opaque */
		return 0;
	}
}

static int decode_chain(uint8_t first, const uint8_t *buf, size_t len,
			size_t base, bool padded, struct v1_msg *m,
			struct v1_decode_error *err)
{
	struct cursor c = { buf, len, 0, base };
	uint8_t type = first;

	while (type != ISAKMP_PL_NONE) {
		size_t at = cur_off(&c);
		uint8_t next;
		uint16_t plen;
		struct cursor body;
		struct v1_payload *pl;

		if (!known_type(type))
			return fail(err, IKEV1_N_INVALID_PAYLOAD_TYPE, at,
				    "payload type %u", type);
		if (!get_u8(&c, &next) || !skip(&c, 1) || !get_u16(&c, &plen))
			return MALFORMED(err, at, "payload header of type %u "
					 "truncated", type);
		if (plen < V1_GENERIC_HDR_LEN ||
		    !sub(&c, plen - V1_GENERIC_HDR_LEN, &body))
			return MALFORMED(err, at, "payload length %u (type %u) "
					 "outside 4..%zu", plen, type,
					 left(&c) + V1_GENERIC_HDR_LEN);
		if (m->n_payloads == V1_MAX_PAYLOADS)
			return MALFORMED(err, at, "more than %d payloads",
					 V1_MAX_PAYLOADS);
		pl = &m->payloads[m->n_payloads++];
		memset(pl, 0, sizeof(*pl));
		pl->type = type;
		pl->offset = at;
		pl->body = (struct ike_bytes){ body.p, body.len };
		if (decode_body(&body, pl, m, err) < 0)
			return -1;
		type = next;
	}
	/* Decrypted bodies end in padding (RFC 2409 appendix B). */
	if (!padded && left(&c))
		return MALFORMED(err, cur_off(&c), "%zu bytes after the last "
				 "payload", left(&c));
	return 0;
}

int v1_payloads_decode(uint8_t first, const uint8_t *buf, size_t len,
		       size_t base, struct v1_msg *m,
		       struct v1_decode_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
	return decode_chain(first, buf, len, base, true, m, err);
}

static int decode_header(struct cursor *c, struct v1_header *h,
			 struct v1_decode_error *err)
{
	const uint8_t *cky_i = NULL, *cky_r = NULL;

	if (!take(c, 8, &cky_i) || !take(c, 8, &cky_r) ||
	    !get_u8(c, &h->next_payload) || !get_u8(c, &h->version) ||
	    !get_u8(c, &h->exchange) || !get_u8(c, &h->flags) ||
	    !get_u32(c, &h->msg_id) || !get_u32(c, &h->length))
		return fail(err, 0, 0, "message of %zu bytes is shorter than "
			    "the ISAKMP header", c->len);
	memcpy(h->cky_i, cky_i, 8);
	memcpy(h->cky_r, cky_r, 8);
	if ((h->version >> 4) != 1)
		return fail(err, IKEV1_N_INVALID_MAJOR_VERSION, 17,
			    "major version %u", h->version >> 4);
	if (h->length != c->len)
		return fail(err, 0, 24, "header length %u but %zu bytes "
			    "received", h->length, c->len);
	return 0;
}

int v1_msg_decode(const uint8_t *buf, size_t len, struct v1_msg *m,
		  struct v1_decode_error *err)
{
	struct cursor c = { buf, len, 0, 0 };

	memset(&m->hdr, 0, sizeof(m->hdr));
	m->enc = (struct ike_bytes){ NULL, 0 };
	m->n_payloads = 0;
	m->has_sa = false;
	if (err)
		memset(err, 0, sizeof(*err));
	if (len > V1_MAX_MSG_LEN)
		return fail(err, 0, 0, "message of %zu bytes", len);
	if (decode_header(&c, &m->hdr, err) < 0)
		return -1;
	if (m->hdr.flags & ISAKMP_FLAG_ENC) {
		m->enc = rest(&c);
		if (m->enc.len == 0)
			return MALFORMED(err, ISAKMP_HDR_LEN, "encrypted "
					 "message without a body");
		return 0;
	}
	return decode_chain(m->hdr.next_payload, buf + c.pos, left(&c),
			    c.pos, false, m, err);
}

const struct v1_payload *v1_msg_find(const struct v1_msg *m, uint8_t type,
				     const struct v1_payload *after)
{
	size_t i = after ? (size_t)(after - m->payloads) + 1 : 0;

	for (; i < m->n_payloads; i++)
		if (m->payloads[i].type == type)
			return &m->payloads[i];
	return NULL;
}

struct ike_bytes v1_msg_sa_body(const struct v1_msg *m)
{
	const struct v1_payload *sa = v1_msg_find(m, ISAKMP_PL_SA, NULL);

	return sa ? sa->body : (struct ike_bytes){ NULL, 0 };
}

/* ---------------------------------------------------------------- */
/* Encoding */

static void put(struct v1_builder *b, const void *src, size_t n)
{
	if (b->failed || n > b->cap - b->len) {
		b->failed = true;
		return;
	}
	if (n)
		memcpy(b->buf + b->len, src, n);
	b->len += n;
}

static void put_u8(struct v1_builder *b, uint8_t v)
{
	put(b, &v, 1);
}

static void put_u16(struct v1_builder *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(b, x, 2);
}

static void put_u32(struct v1_builder *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	put(b, x, 4);
}

/* Write a 16-bit length at `at` (a generic header) once the structure's
 * end is known. */
static void patch_len16(struct v1_builder *b, size_t at)
{
	size_t len = b->len - at;

	if (b->failed || len > 0xffff) {
		b->failed = true;
		return;
	}
	b->buf[at + 2] = (uint8_t)(len >> 8);
	b->buf[at + 3] = (uint8_t)len;
}

void v1_build_begin(struct v1_builder *b, uint8_t *buf, size_t cap,
		    const struct v1_header *hdr)
{
	*b = (struct v1_builder){ buf, cap, 0, 16, false, true };
	put(b, hdr->cky_i, 8);
	put(b, hdr->cky_r, 8);
	put_u8(b, ISAKMP_PL_NONE);
	put_u8(b, hdr->version ? hdr->version : ISAKMP_VERSION);
	put_u8(b, hdr->exchange);
	put_u8(b, hdr->flags);
	put_u32(b, hdr->msg_id);
	put_u32(b, 0);
}

void v1_build_chain(struct v1_builder *b, uint8_t *buf, size_t cap)
{
	*b = (struct v1_builder){ buf, cap, 0, SIZE_MAX, false, false };
}

int v1_build_end(struct v1_builder *b)
{
	if (b->failed || b->len > V1_MAX_MSG_LEN)
		return -1;
	if (b->has_hdr) {
		b->buf[24] = (uint8_t)(b->len >> 24);
		b->buf[25] = (uint8_t)(b->len >> 16);
		b->buf[26] = (uint8_t)(b->len >> 8);
		b->buf[27] = (uint8_t)b->len;
	}
	return 0;
}

/* Open a payload: link it from the previous Next Payload field and
 * write its generic header; returns where it starts. */
static size_t open_payload(struct v1_builder *b, uint8_t type)
{
	size_t at = b->len;

	put_u8(b, ISAKMP_PL_NONE);
	put_u8(b, 0);
	put_u16(b, 0);
	if (b->failed)
		return at;
	if (b->last_np != SIZE_MAX)
		b->buf[b->last_np] = type;
	b->last_np = at;
	return at;
}

static int close_payload(struct v1_builder *b, size_t at)
{
	patch_len16(b, at);
	return b->failed ? -1 : 0;
}

long v1_add_raw(struct v1_builder *b, uint8_t type, const uint8_t *data,
		size_t len)
{
	size_t at = open_payload(b, type);

	put(b, data, len);
	if (close_payload(b, at) < 0)
		return -1;
	return (long)(at + V1_GENERIC_HDR_LEN);
}

int v1_add_id(struct v1_builder *b, uint8_t id_type, uint8_t protocol,
	      uint16_t port, const uint8_t *data, size_t len)
{
	size_t at = open_payload(b, ISAKMP_PL_ID);

	put_u8(b, id_type);
	put_u8(b, protocol);
	put_u16(b, port);
	put(b, data, len);
	return close_payload(b, at);
}

static int add_encoded(struct v1_builder *b, uint8_t type, uint8_t encoding,
		       const uint8_t *data, size_t len)
{
	size_t at = open_payload(b, type);

	put_u8(b, encoding);
	put(b, data, len);
	return close_payload(b, at);
}

int v1_add_cert(struct v1_builder *b, uint8_t encoding, const uint8_t *der,
		size_t len)
{
	return add_encoded(b, ISAKMP_PL_CERT, encoding, der, len);
}

int v1_add_cr(struct v1_builder *b, uint8_t encoding, const uint8_t *dn,
	      size_t len)
{
	return add_encoded(b, ISAKMP_PL_CR, encoding, dn, len);
}

int v1_add_notify(struct v1_builder *b, uint8_t protocol,
		  const uint8_t *spi, uint8_t spi_size, uint16_t type,
		  const uint8_t *data, size_t len)
{
	size_t at = open_payload(b, ISAKMP_PL_N);

	put_u32(b, ISAKMP_DOI_IPSEC);
	put_u8(b, protocol);
	put_u8(b, spi_size);
	put_u16(b, type);
	put(b, spi, spi_size);
	put(b, data, len);
	return close_payload(b, at);
}

int v1_add_delete(struct v1_builder *b, uint8_t protocol, uint8_t spi_size,
		  const uint8_t *spis, uint16_t n_spi)
{
	size_t at = open_payload(b, ISAKMP_PL_D);

	if (spi_size == 0 || n_spi == 0)
		b->failed = true;
	put_u32(b, ISAKMP_DOI_IPSEC);
	put_u8(b, protocol);
	put_u8(b, spi_size);
	put_u16(b, n_spi);
	put(b, spis, (size_t)spi_size * n_spi);
	return close_payload(b, at);
}

int v1_add_frag(struct v1_builder *b, uint16_t id, uint8_t number,
		bool last, const uint8_t *data, size_t len)
{
	size_t at = open_payload(b, ISAKMP_PL_FRAG);

	if (number == 0 || len == 0)
		b->failed = true;
	put_u16(b, id);
	put_u8(b, number);
	put_u8(b, last ? 1 : 0);
	put(b, data, len);
	return close_payload(b, at);
}

/* ---------------------------------------------------------------- */
/* SA payloads */

static void put_attr16(struct v1_builder *b, uint16_t type, uint16_t v)
{
	put_u16(b, ATTR_AF | type);
	put_u16(b, v);
}

/* A value that fits 16 bits goes basic, others variable-length in 4 or
 * 8 bytes, as IOS and strongSwan send long lifetimes. */
static void put_attr_int(struct v1_builder *b, uint16_t type, uint64_t v)
{
	if (v <= UINT16_MAX) {
		put_attr16(b, type, (uint16_t)v);
		return;
	}
	put_u16(b, type);
	if (v <= UINT32_MAX) {
		put_u16(b, 4);
		put_u32(b, (uint32_t)v);
	} else {
		put_u16(b, 8);
		put_u32(b, (uint32_t)(v >> 32));
		put_u32(b, (uint32_t)v);
	}
}

static void put_lifes(struct v1_builder *b, uint16_t type_attr,
		      uint16_t duration_attr, const struct v1_transform *t)
{
	if (t->life_s) {
		put_attr16(b, type_attr, IKEV1_LIFE_SECONDS);
		put_attr_int(b, duration_attr, t->life_s);
	}
	if (t->life_kb) {
		put_attr16(b, type_attr, IKEV1_LIFE_KILOBYTES);
		put_attr_int(b, duration_attr, t->life_kb);
	}
}

static uint16_t wire_hash(uint16_t prf)
{
	switch (prf) {
	case IKEV2_PRF_HMAC_MD5: return IKEV1_HASH_MD5;
	case IKEV2_PRF_HMAC_SHA1: return IKEV1_HASH_SHA1;
	case IKEV2_PRF_HMAC_SHA2_256: return IKEV1_HASH_SHA2_256;
	case IKEV2_PRF_HMAC_SHA2_384: return IKEV1_HASH_SHA2_384;
	case IKEV2_PRF_HMAC_SHA2_512: return IKEV1_HASH_SHA2_512;
	default: return 0;
	}
}

static uint16_t wire_integ(uint16_t integ)
{
	switch (integ) {
	case IKEV2_INTEG_HMAC_MD5_96: return IPSEC_AUTH_HMAC_MD5;
	case IKEV2_INTEG_HMAC_SHA1_96: return IPSEC_AUTH_HMAC_SHA1;
	case IKEV2_INTEG_HMAC_SHA2_256_128: return IPSEC_AUTH_HMAC_SHA2_256;
	case IKEV2_INTEG_HMAC_SHA2_384_192: return IPSEC_AUTH_HMAC_SHA2_384;
	case IKEV2_INTEG_HMAC_SHA2_512_256: return IPSEC_AUTH_HMAC_SHA2_512;
	default: return 0;
	}
}

/* Transform header: next (another transform follows or not), reserved,
 * length, number, ID, 2 reserved bytes. */
static size_t open_transform(struct v1_builder *b, bool last, uint8_t num,
			     uint8_t id)
{
	size_t at = b->len;

	put_u8(b, last ? ISAKMP_PL_NONE : ISAKMP_PL_T);
	put_u8(b, 0);
	put_u16(b, 0);
	put_u8(b, num);
	put_u8(b, id);
	put_u16(b, 0);
	return at;
}

static void put_phase1_transform(struct v1_builder *b,
				 const struct v1_transform *t, uint8_t num,
				 bool last)
{
	size_t at = open_transform(b, last, num, ISAKMP_TRANS_KEY_IKE);
	uint16_t hash = wire_hash(t->hash);

	if (t->encr == IKEV2_ENCR_AES_CBC && t->key_bits) {
		put_attr16(b, IKEV1_ATTR_ENCR, IKEV1_ENCR_AES_CBC);
		put_attr16(b, IKEV1_ATTR_KEY_LENGTH, t->key_bits);
	} else if (t->encr == IKEV2_ENCR_3DES) {
		put_attr16(b, IKEV1_ATTR_ENCR, IKEV1_ENCR_3DES);
	} else {
		b->failed = true;
	}
	if (!hash || !t->auth || !t->group)
		b->failed = true;
	put_attr16(b, IKEV1_ATTR_HASH, hash);
	put_attr16(b, IKEV1_ATTR_AUTH, t->auth);
	put_attr16(b, IKEV1_ATTR_GROUP, t->group);
	put_lifes(b, IKEV1_ATTR_LIFE_TYPE, IKEV1_ATTR_LIFE_DURATION, t);
	patch_len16(b, at);
}

static uint8_t esp_id(const struct v1_transform *t)
{
	switch (t->encr) {
	case IKEV2_ENCR_3DES: return IKEV1_ESP_3DES;
	case IKEV2_ENCR_AES_CBC: return IKEV1_ESP_AES;
	case IKEV2_ENCR_AES_GCM_16: return IKEV1_ESP_AES_GCM_16;
	default: return 0;
	}
}

static void put_phase2_transform(struct v1_builder *b,
				 const struct v1_transform *t, uint8_t num)
{
	uint8_t id = esp_id(t);
	size_t at = open_transform(b, true, num, id);
	bool aead = t->encr == IKEV2_ENCR_AES_GCM_16;

	/* AES needs its key length; GCM has no separate integrity and
	 * CBC must have one. */
	if (!id || (id != IKEV1_ESP_3DES && !t->key_bits) ||
	    aead != (t->integ == IKEV2_INTEG_NONE) ||
	    (!aead && !wire_integ(t->integ)))
		b->failed = true;
	put_lifes(b, IPSEC_ATTR_LIFE_TYPE, IPSEC_ATTR_LIFE_DURATION, t);
	if (t->group)
		put_attr16(b, IPSEC_ATTR_GROUP, t->group);
	if (t->encap)
		put_attr16(b, IPSEC_ATTR_ENCAP_MODE, t->encap);
	if (!aead)
		put_attr16(b, IPSEC_ATTR_AUTH, wire_integ(t->integ));
	if (id != IKEV1_ESP_3DES)
		put_attr16(b, IPSEC_ATTR_KEY_LENGTH, t->key_bits);
	patch_len16(b, at);
}

static size_t open_sa(struct v1_builder *b)
{
	size_t at = open_payload(b, ISAKMP_PL_SA);

	put_u32(b, ISAKMP_DOI_IPSEC);
	put_u32(b, ISAKMP_SIT_IDENTITY_ONLY);
	return at;
}

/* Proposal header: next, reserved, length, number, protocol, SPI size,
 * transform count, SPI. */
static size_t open_proposal(struct v1_builder *b, bool last, uint8_t num,
			    uint8_t protocol, const uint8_t *spi,
			    uint8_t spi_size, uint8_t n_trans)
{
	size_t at = b->len;

	put_u8(b, last ? ISAKMP_PL_NONE : ISAKMP_PL_P);
	put_u8(b, 0);
	put_u16(b, 0);
	put_u8(b, num);
	put_u8(b, protocol);
	put_u8(b, spi_size);
	put_u8(b, n_trans);
	put(b, spi, spi_size);
	return at;
}

static long close_sa(struct v1_builder *b, size_t at)
{
	if (close_payload(b, at) < 0)
		return -1;
	return (long)(at + V1_GENERIC_HDR_LEN);
}

long v1_add_sa_phase1(struct v1_builder *b, const struct v1_transform *t,
		      size_t n)
{
	size_t at = open_sa(b), prop;

	if (n == 0 || n > UINT8_MAX)
		b->failed = true;
	prop = open_proposal(b, true, 1, ISAKMP_PROTO_ISAKMP, NULL, 0,
			     (uint8_t)n);
	for (size_t i = 0; i < n && !b->failed; i++)
		put_phase1_transform(b, &t[i], t[i].num ? t[i].num :
				     (uint8_t)(i + 1), i + 1 == n);
	patch_len16(b, prop);
	return close_sa(b, at);
}

static void put_esp_proposal(struct v1_builder *b, bool last, uint8_t num,
			     uint32_t spi, const struct v1_transform *t)
{
	uint8_t s[4] = { (uint8_t)(spi >> 24), (uint8_t)(spi >> 16),
			 (uint8_t)(spi >> 8), (uint8_t)spi };
	size_t prop = open_proposal(b, last, num, ISAKMP_PROTO_ESP, s, 4, 1);

	put_phase2_transform(b, t, t->num ? t->num : 1);
	patch_len16(b, prop);
}

long v1_add_sa_phase2(struct v1_builder *b, const uint32_t *spi,
		      const struct v1_transform *t, size_t n)
{
	size_t at = open_sa(b);

	if (n == 0 || n > UINT8_MAX)
		b->failed = true;
	for (size_t i = 0; i < n && !b->failed; i++)
		put_esp_proposal(b, i + 1 == n, (uint8_t)(i + 1), spi[i],
				 &t[i]);
	return close_sa(b, at);
}

long v1_add_sa_phase2_answer(struct v1_builder *b, uint8_t prop_num,
			     uint32_t spi, const struct v1_transform *t)
{
	size_t at = open_sa(b);

	/* Any number, 0 included: Libreswan numbers its proposals from 0,
	 * and the answer must echo the number chosen. */
	put_esp_proposal(b, true, prop_num, spi, t);
	return close_sa(b, at);
}
