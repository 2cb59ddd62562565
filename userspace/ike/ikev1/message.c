// SPDX-License-Identifier: GPL-2.0
/*
 * message: IKEv1 messages as the exchanges use them. Headers, sealing and
 * opening under the phase-1 key with the right IV, sending (with
 * Cisco/Microsoft fragmentation when the peer announced it and the
 * message does not fit the path), keeping the last message for
 * retransmission, Informational messages protected by HASH (RFC 2409
 * 5.7), unprotected notifies, vendor IDs, and the states' names.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ikev1/ikev1.h"
#include "ikev1/kdf.h"

const char *v1_state_name(enum v1_state st)
{
	static const char *const names[] = {
		[V1_READY] = "IKE_READY",
		[V1_I_MM1] = "IKE_I_MM1", [V1_I_MM2] = "IKE_I_MM2",
		[V1_I_MM3] = "IKE_I_MM3", [V1_I_MM4] = "IKE_I_MM4",
		[V1_I_MM5] = "IKE_I_MM5", [V1_I_MM6] = "IKE_I_MM6",
		[V1_R_MM1] = "IKE_R_MM1", [V1_R_MM2] = "IKE_R_MM2",
		[V1_R_MM3] = "IKE_R_MM3", [V1_R_MM4] = "IKE_R_MM4",
		[V1_R_MM5] = "IKE_R_MM5",
		[V1_I_AM1] = "IKE_I_AM1", [V1_I_AM2] = "IKE_I_AM2",
		[V1_R_AM1] = "IKE_R_AM1", [V1_R_AM2] = "IKE_R_AM2",
		[V1_P1_COMPLETE] = "IKE_P1_COMPLETE",
	};

	return (size_t)st < sizeof(names) / sizeof(names[0]) && names[st] ?
	       names[st] : "?";
}

void v1_set_state(struct ike_sa *sa, enum v1_state st)
{
	if (sa->v1.st != st)
		sa_log(sa, IKE_LOG_DEBUG, "Old State = %s New State = %s",
		       v1_state_name(sa->v1.st), v1_state_name(st));
	sa->v1.st = st;
}

void v1_header(const struct ike_sa *sa, uint8_t exch, uint32_t msg_id,
	       struct v1_header *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->cky_i, sa->spi_i, 8);
	memcpy(h->cky_r, sa->spi_r, 8);
	h->version = ISAKMP_VERSION;
	h->exchange = exch;
	h->msg_id = msg_id;
}

static void cipher_of(const struct ike_sa *sa, struct v1_cipher *c)
{
	c->encr = sa->v1.encr;
	c->key_bits = sa->v1.key_bits;
	c->key = sa->v1.keys.enc_key;
}

long v1_seal(struct ike_sa *sa, struct v1_iv_slot *slot, uint8_t *msg,
	     size_t len, size_t cap)
{
	struct v1_cipher c;

	cipher_of(sa, &c);
	return v1_encrypt(&c, slot, msg, len, cap);
}

int v1_open(struct ike_sa *sa, struct v1_iv_slot *slot, const uint8_t *buf,
	    size_t len, struct v1_msg *m, uint8_t **plain)
{
	struct v1_decode_error err;
	struct v1_cipher c;
	long n;

	*plain = NULL;
	if (!sa->v1.have_keys) {
		sa_log(sa, IKE_LOG_NOTICE, "encrypted message before the keys "
		       "exist: dropped");
		return -1;
	}
	*plain = malloc(len);
	if (!*plain)
		return -1;
	cipher_of(sa, &c);
	n = v1_decrypt(&c, slot, buf, len, *plain);
	if (n < 0 || v1_payloads_decode(m->hdr.next_payload, *plain, (size_t)n,
					ISAKMP_HDR_LEN, m, &err) < 0) {
		sa_log(sa, IKE_LOG_NOTICE, "%s message ID %08x: %s: dropped%s",
		       n < 0 ? "cannot decrypt" : "malformed after decryption",
		       m->hdr.msg_id, n < 0 ? "length is not whole blocks" :
		       err.msg, n >= 0 && !m->hdr.msg_id &&
		       sa->v1.auth == IKEV1_AUTH_PSK ? " (a mismatched "
		       "pre-shared key makes phase-1 messages decrypt to "
		       "garbage: check the keys on both sides)" : "");
		free(*plain);
		*plain = NULL;
		return -1;
	}
	return 0;
}

void v1_iv_exchange_init(struct ike_sa *sa, uint32_t msg_id,
			 struct v1_iv_slot *slot)
{
	size_t bl = v1_cipher_block_len(sa->v1.encr);

	memset(slot, 0, sizeof(*slot));
	slot->msg_id = msg_id;
	slot->len = bl;
	slot->used = true;
	/* sa->v1.iv.iv holds the last block of phase 1 once it is done. */
	v1_iv_exchange(sa->sel.prf, sa->v1.iv.iv, bl, msg_id, slot->iv);
}

/* ---- sending, retransmission ---- */

void v1_out_free(struct v1_out *o)
{
	free(o->buf);
	memset(o, 0, sizeof(*o));
}

int v1_out_resend(struct ike_sa *sa, const struct v1_out *o)
{
	size_t off = 0;
	int rc = 0;

	for (size_t i = 0; i < o->n; i++) {
		if (ike_send_datagram(sa->e, &sa->path, o->buf + off,
				      o->len[i]) < 0)
			rc = -1;
		off += o->len[i];
	}
	return rc;
}

/* Whole, or in FRAG payloads when the peer takes them and it is too
 * big for the path (certificate chains in MM5/MM6). */
static int make_out(struct ike_sa *sa, const uint8_t *msg, size_t len,
		    struct v1_out *o)
{
	size_t max = ike_frag_max(sa->e, sa);
	size_t lens[V1_FRAG_MAX];
	uint16_t id;
	int n;

	memset(o, 0, sizeof(*o));
	if (!sa->v1.peer_frag || len <= max) {
		o->buf = malloc(len);
		if (!o->buf)
			return -1;
		memcpy(o->buf, msg, len);
		o->len[0] = len;
		o->n = 1;
		return 0;
	}
	o->buf = malloc(len + V1_FRAG_MAX * V1_FRAG_OVERHEAD);
	if (!o->buf)
		return -1;
	ike_random(&id, sizeof(id));
	n = v1_frag_split(msg, len, id, max, o->buf,
			  len + V1_FRAG_MAX * V1_FRAG_OVERHEAD, lens);
	if (n < 0) {
		v1_out_free(o);
		return -1;
	}
	for (int i = 0; i < n; i++)
		o->len[i] = lens[i];
	o->n = (size_t)n;
	sa_log(sa, IKE_LOG_DEBUG, "message of %zu bytes sent in %d fragments",
	       len, n);
	return 0;
}

int v1_send(struct ike_sa *sa, const uint8_t *msg, size_t len,
	    struct v1_out *keep)
{
	struct v1_out o;
	int rc;

	if (make_out(sa, msg, len, &o) < 0) {
		sa_log(sa, IKE_LOG_ERR, "cannot send a %zu-byte message", len);
		return -1;
	}
	rc = v1_out_resend(sa, &o);
	if (keep) {
		v1_out_free(keep);
		*keep = o;
	} else {
		v1_out_free(&o);
	}
	return rc;
}

void v1_retransmit_arm(struct ike_sa *sa)
{
	sa->v1.tries = 0;
	sa->v1.interval_ms = V1_RETRANS_FIRST_MS;
	sa->v1.next_ms = sa->e->now_ms + V1_RETRANS_FIRST_MS;
}

void v1_retransmit_stop(struct ike_sa *sa)
{
	sa->v1.next_ms = 0;
}

/* ---- Informational, under the ISAKMP SA ---- */

/* HDR*, HASH(1), then one payload: prf(SKEYID_a, M-ID | payload). */
static int send_info(struct ike_sa *sa, uint8_t *buf, size_t cap,
		     struct v1_builder *b, long hash_at, uint32_t msg_id)
{
	size_t hl = sa->v1.keys.prf_len;
	size_t rest = hash_at + hl;
	struct v1_iv_slot iv;
	long n;

	if (v1_build_end(b) < 0 ||
	    v1_hash_info(&sa->v1.keys, msg_id, buf + rest, b->len - rest,
			 buf + hash_at) < 0)
		return -1;
	v1_iv_exchange_init(sa, msg_id, &iv);
	n = v1_seal(sa, &iv, buf, b->len, cap);
	if (n < 0)
		return -1;
	return v1_send(sa, buf, (size_t)n, NULL);
}

static uint32_t new_msg_id(void)
{
	uint32_t id;

	do {
		ike_random(&id, sizeof(id));
	} while (!id);
	return id;
}

static void info_begin(struct ike_sa *sa, uint32_t msg_id, uint8_t *buf,
		       size_t cap, struct v1_builder *b, long *hash_at)
{
	uint8_t zero[IKE_PRF_MAX_LEN] = { 0 };
	struct v1_header h;

	v1_header(sa, ISAKMP_EXCH_INFO, msg_id, &h);
	h.flags = ISAKMP_FLAG_ENC;
	v1_build_begin(b, buf, cap, &h);
	*hash_at = v1_add_raw(b, ISAKMP_PL_HASH, zero, sa->v1.keys.prf_len);
}

int v1_send_notify(struct ike_sa *sa, uint8_t protocol, const uint8_t *spi,
		   uint8_t spi_size, uint16_t type, const uint8_t *data,
		   size_t len)
{
	uint8_t buf[1024];
	struct v1_builder b;
	uint32_t id = new_msg_id();
	long hash_at;

	if (!sa->v1.have_keys || len > 512)
		return -1;
	info_begin(sa, id, buf, sizeof(buf), &b, &hash_at);
	v1_add_notify(&b, protocol, spi, spi_size, type, data, len);
	if (hash_at < 0)
		return -1;
	sa_log(sa, IKE_LOG_DEBUG, "sending NOTIFY %s protocol %u",
	       v1_notify_name(type), protocol);
	return send_info(sa, buf, sizeof(buf), &b, hash_at, id);
}

int v1_send_delete(struct ike_sa *sa, uint8_t protocol, const uint8_t *spis,
		   uint8_t spi_size, uint16_t n_spi)
{
	uint8_t buf[1024];
	struct v1_builder b;
	uint32_t id = new_msg_id();
	long hash_at;

	if (!sa->v1.have_keys || (size_t)spi_size * n_spi > 512)
		return -1;
	info_begin(sa, id, buf, sizeof(buf), &b, &hash_at);
	v1_add_delete(&b, protocol, spi_size, spis, n_spi);
	if (hash_at < 0)
		return -1;
	return send_info(sa, buf, sizeof(buf), &b, hash_at, id);
}

void v1_send_plain_notify(struct ike_engine *e, const struct ike_path *path,
			  const uint8_t cky_i[8], const uint8_t cky_r[8],
			  uint16_t type)
{
	uint8_t buf[128];
	struct v1_builder b;
	struct v1_header h = { .version = ISAKMP_VERSION,
			       .exchange = ISAKMP_EXCH_INFO };

	memcpy(h.cky_i, cky_i, 8);
	memcpy(h.cky_r, cky_r, 8);
	v1_build_begin(&b, buf, sizeof(buf), &h);
	v1_add_notify(&b, ISAKMP_PROTO_ISAKMP, NULL, 0, type, NULL, 0);
	if (v1_build_end(&b) == 0)
		ike_send_datagram(e, path, buf, b.len);
}

/* ---- vendor IDs ---- */

void v1_add_vendor_ids(struct v1_builder *b, const struct ike_engine *e)
{
	static const enum v1_vendor ours[] = {
		V1_VID_NATT_RFC3947, V1_VID_NATT_DRAFT_03,
		V1_VID_NATT_DRAFT_02, V1_VID_DPD, V1_VID_FRAGMENTATION,
		V1_VID_IKEVTI,
	};

	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		const uint8_t *vid;
		size_t len;

		if (e->model->isakmp.nat_t_disabled && i < 3)
			continue;
		vid = v1_vendor_id(ours[i], &len);
		if (vid)
			v1_add_raw(b, ISAKMP_PL_VID, vid, len);
	}
}

void v1_take_vendor_ids(struct ike_sa *sa, const struct v1_msg *m)
{
	const struct v1_payload *pl = NULL;
	bool natt_off = sa->e->model->isakmp.nat_t_disabled;

	while ((pl = v1_msg_find(m, ISAKMP_PL_VID, pl))) {
		enum v1_vendor v = v1_vendor_of(pl->body.ptr, pl->body.len);

		switch (v) {
		case V1_VID_NATT_RFC3947:
			sa->v1.natt_rfc = true;
			/* fall through */
		case V1_VID_NATT_DRAFT_02:
		case V1_VID_NATT_DRAFT_03:
		case V1_VID_NATT_DRAFT_00:
			sa->v1.peer_natt = !natt_off;
			break;
		case V1_VID_DPD:
			sa->v1.peer_dpd = true;
			break;
		case V1_VID_FRAGMENTATION:
			sa->v1.peer_frag = true;
			break;
		case V1_VID_IKEVTI:
			sa->v1.peer_ikevti = true;
			break;
		default:
			break;
		}
		if (v != V1_VID_UNKNOWN)
			sa_log(sa, IKE_LOG_DEBUG, "peer sent vendor ID %s",
			       v1_vendor_name(v));
	}
	if (natt_off)
		sa->v1.natt_rfc = false;
}

const char *v1_notify_name(uint16_t type)
{
	switch (type) {
	case IKEV1_N_INVALID_PAYLOAD_TYPE: return "INVALID-PAYLOAD-TYPE";
	case IKEV1_N_INVALID_COOKIE: return "INVALID-COOKIE";
	case IKEV1_N_INVALID_MAJOR_VERSION: return "INVALID-MAJOR-VERSION";
	case IKEV1_N_INVALID_EXCHANGE_TYPE: return "INVALID-EXCHANGE-TYPE";
	case IKEV1_N_INVALID_FLAGS: return "INVALID-FLAGS";
	case IKEV1_N_INVALID_MESSAGE_ID: return "INVALID-MESSAGE-ID";
	case IKEV1_N_INVALID_SPI: return "INVALID-SPI";
	case IKEV1_N_ATTRIBUTES_NOT_SUPPORTED:
		return "ATTRIBUTES-NOT-SUPPORTED";
	case IKEV1_N_NO_PROPOSAL_CHOSEN: return "NO-PROPOSAL-CHOSEN";
	case IKEV1_N_PAYLOAD_MALFORMED: return "PAYLOAD-MALFORMED";
	case IKEV1_N_INVALID_KEY_INFORMATION: return "INVALID-KEY-INFORMATION";
	case IKEV1_N_INVALID_ID_INFORMATION: return "INVALID-ID-INFORMATION";
	case IKEV1_N_INVALID_CERT_ENCODING: return "INVALID-CERT-ENCODING";
	case IKEV1_N_INVALID_CERTIFICATE: return "INVALID-CERTIFICATE";
	case IKEV1_N_CERT_TYPE_UNSUPPORTED: return "CERT-TYPE-UNSUPPORTED";
	case IKEV1_N_INVALID_CERT_AUTHORITY: return "INVALID-CERT-AUTHORITY";
	case IKEV1_N_INVALID_HASH_INFORMATION:
		return "INVALID-HASH-INFORMATION";
	case IKEV1_N_AUTHENTICATION_FAILED: return "AUTHENTICATION-FAILED";
	case IKEV1_N_INVALID_SIGNATURE: return "INVALID-SIGNATURE";
	case IKEV1_N_RESPONDER_LIFETIME: return "RESPONDER-LIFETIME";
	case IKEV1_N_REPLAY_STATUS: return "REPLAY-STATUS";
	case IKEV1_N_INITIAL_CONTACT: return "INITIAL-CONTACT";
	case IKEV1_N_R_U_THERE: return "R-U-THERE";
	case IKEV1_N_R_U_THERE_ACK: return "R-U-THERE-ACK";
	}
	return "UNKNOWN";
}

const struct v1_payload *v1_first_hash(const struct v1_msg *m)
{
	return m->n_payloads && m->payloads[0].type == ISAKMP_PL_HASH ?
	       &m->payloads[0] : NULL;
}

/* The bytes of the chain after pl up to the end of the last payload
 * (padding excluded): what HASH(1) and HASH(2) cover. */
struct ike_bytes v1_after(const struct v1_msg *m, const struct v1_payload *pl)
{
	const struct v1_payload *last = &m->payloads[m->n_payloads - 1];
	const uint8_t *from = pl->body.ptr + pl->body.len;
	const uint8_t *to = last->body.ptr + last->body.len;

	if (to < from)
		return (struct ike_bytes){ from, 0 };
	return (struct ike_bytes){ from, (size_t)(to - from) };
}
