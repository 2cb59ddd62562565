/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKEv1 message codec (RFC 2408 section 3, RFC 2407 section 4, NAT-D
 * of RFC 3947, the Cisco/Microsoft FRAG payload).
 *
 * Decoding is zero-copy, as for IKEv2 (ikev2/payload.h): byte fields
 * point into the input buffer, every length is checked against its
 * container before anything is read, and a failure says where (byte
 * offset), what, and which Notify to answer with (0: drop silently).
 * A message with the Encryption bit set decodes as its header plus an
 * opaque body (v1_msg.enc); the engine decrypts the body (ikev1/crypt.h)
 * and decodes the chain with v1_payloads_decode().
 *
 * SA payloads are decoded into proposals and transforms with their
 * attributes translated into the engine's vocabulary (IKEv2 IANA
 * numbers for algorithms, see struct v1_transform); unknown attributes
 * mark the transform unusable instead of failing the message. The raw
 * SA body is kept too: Main and Aggressive Mode HASH_I/HASH_R cover the
 * initiator's SA payload body as sent (SAi_b).
 */
#ifndef IKEV1_CODEC_H
#define IKEV1_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikev2/payload.h"	/* struct ike_bytes */

#define V1_MAX_PAYLOADS 32
#define V1_MAX_PROPOSALS 8
#define V1_MAX_TRANSFORMS 32	/* per proposal; IOS offers one per policy */
#define V1_MAX_MSG_LEN 65535

struct v1_header {
	uint8_t cky_i[8], cky_r[8];
	uint8_t next_payload;		/* filled in by the encoder */
	uint8_t version;		/* 0x10 */
	uint8_t exchange;		/* ISAKMP_EXCH_* */
	uint8_t flags;			/* ISAKMP_FLAG_* */
	uint32_t msg_id;
	uint32_t length;		/* filled in by the encoder */
};

/*
 * One transform of a proposal, phase 1 or phase 2, in the engine's
 * numbers: encr = IKEV2_ENCR_AES_CBC / IKEV2_ENCR_3DES /
 * IKEV2_ENCR_AES_GCM_16 (0: unknown or refused such as DES), key_bits,
 * hash = IKEV2_PRF_HMAC_* for phase 1 (0: unknown), integ =
 * IKEV2_INTEG_* for phase 2 (IKEV2_INTEG_NONE with GCM), group = DH
 * group number (0: none), auth = IKEV1_AUTH_* (phase 1), life in seconds
 * and kilobytes (0: not given), encap = IPSEC_ENCAP_* (phase 2).
 * wire_id is the transform ID as sent (KEY_IKE, ESP_AES, ...).
 * key_bits is 0 when an AES transform names no key length (RFC 3602
 * requires one), 192 for 3DES. Refused algorithms set refused_alg:
 * DES leaves encr 0, group 1 stays in group (so the log can name it).
 */
struct v1_transform {
	uint8_t num;
	uint8_t wire_id;
	uint16_t encr, key_bits;
	uint16_t hash, integ, group;
	uint16_t auth;
	uint32_t life_s;
	uint64_t life_kb;
	uint16_t encap;
	bool unknown_attr;		/* an attribute we do not know: skip */
	bool refused_alg;		/* DES, group 1, ...: say so in the log */
};

struct v1_proposal {
	uint8_t num;
	uint8_t protocol;		/* ISAKMP_PROTO_* */
	uint8_t spi_size;		/* 0 (phase 1 may be 0 or 16), 4 for ESP */
	uint8_t spi[16];
	uint8_t n_transforms;
	struct v1_transform transforms[V1_MAX_TRANSFORMS];
};

struct v1_sa_payload {
	uint32_t doi, situation;
	uint8_t n_proposals;
	struct v1_proposal proposals[V1_MAX_PROPOSALS];
};

/* One payload of a chain. The SA body lives in struct v1_msg. */
struct v1_payload {
	uint8_t type;			/* ISAKMP_PL_* */
	size_t offset;			/* of the generic header (decode) */
	struct ike_bytes body;		/* everything after the generic header */
	union v1_payload_body {
		struct {		/* ID (phase 1 and Quick Mode IDci/IDcr) */
			uint8_t type, protocol;
			uint16_t port;
			struct ike_bytes data;
		} id;
		struct { uint8_t encoding; struct ike_bytes data; } cert;
		struct { uint8_t encoding; struct ike_bytes data; } cr;
		struct {
			uint32_t doi;
			uint8_t protocol, spi_size;
			uint16_t type;
			struct ike_bytes spi, data;
		} notify;
		struct {
			uint32_t doi;
			uint8_t protocol, spi_size;
			uint16_t n_spi;
			struct ike_bytes spis;
		} del;
		struct {		/* FRAG (132) */
			uint16_t id;
			uint8_t number;
			bool last;
			struct ike_bytes data;
		} frag;
		/* KE, NONCE, HASH, SIG, VID, NAT-D: body is the data */
	} u;
};

struct v1_msg {
	struct v1_header hdr;
	struct ike_bytes enc;		/* flags & ENC: the encrypted body */
	size_t n_payloads;
	struct v1_payload payloads[V1_MAX_PAYLOADS];
	bool has_sa;
	struct v1_sa_payload sa;
};

struct v1_decode_error {
	uint16_t notify;		/* IKEV1_N_* to answer with, 0: drop */
	size_t offset;
	char msg[128];
};

/* Header and, unless encrypted, the payload chain. */
int v1_msg_decode(const uint8_t *buf, size_t len, struct v1_msg *m,
		  struct v1_decode_error *err);
/* A decrypted chain starting with payload type first (padding after the
 * last payload is allowed and ignored), appended to m's payloads (after
 * v1_msg_decode of the encrypted message). base is added to offsets. */
int v1_payloads_decode(uint8_t first, const uint8_t *buf, size_t len,
		       size_t base, struct v1_msg *m,
		       struct v1_decode_error *err);
const struct v1_payload *v1_msg_find(const struct v1_msg *m, uint8_t type,
				     const struct v1_payload *after);
/* The SA payload's body as received, for HASH_I / HASH_R. */
struct ike_bytes v1_msg_sa_body(const struct v1_msg *m);

/*
 * Encoding: a builder that appends payloads to a buffer and patches the
 * previous payload's Next Payload field and its own length as it goes.
 * v1_build_begin writes the header (next payload and length are filled
 * in by v1_build_end). Each add returns 0, or -1 when out of room (the
 * builder then stays failed: check once at the end).
 */
struct v1_builder {
	uint8_t *buf;
	size_t cap, len;
	size_t last_np;			/* where the last Next Payload is */
	bool failed;
	bool has_hdr;			/* v1_build_end patches its length */
};

void v1_build_begin(struct v1_builder *b, uint8_t *buf, size_t cap,
		    const struct v1_header *hdr);
/* Start a chain without a header (a body to encrypt, a hashed chain). */
void v1_build_chain(struct v1_builder *b, uint8_t *buf, size_t cap);
int v1_build_end(struct v1_builder *b);	/* 0 and b->len, or -1 */

/* A generic payload with an opaque body (KE, NONCE, HASH, SIG, VID,
 * NAT-D); returns the offset of the body in b->buf, or -1. */
long v1_add_raw(struct v1_builder *b, uint8_t type, const uint8_t *data,
		size_t len);
int v1_add_id(struct v1_builder *b, uint8_t id_type, uint8_t protocol,
	      uint16_t port, const uint8_t *data, size_t len);
int v1_add_cert(struct v1_builder *b, uint8_t encoding, const uint8_t *der,
		size_t len);
int v1_add_cr(struct v1_builder *b, uint8_t encoding, const uint8_t *dn,
	      size_t len);
int v1_add_notify(struct v1_builder *b, uint8_t protocol,
		  const uint8_t *spi, uint8_t spi_size, uint16_t type,
		  const uint8_t *data, size_t len);
int v1_add_delete(struct v1_builder *b, uint8_t protocol, uint8_t spi_size,
		  const uint8_t *spis, uint16_t n_spi);

/*
 * SA payloads. Phase 1: one proposal (protocol ISAKMP, KEY_IKE) whose
 * transforms are the given ones, numbered from 1 (IOS sends one
 * transform per isakmp policy, in priority order). Phase 2: one proposal
 * per entry (protocol ESP, its 4-byte SPI, one transform), numbered 1,
 * 2, ...: different numbers are alternatives (RFC 2408 4.2; the same
 * number would mean "and"). Each returns the offset of the SA payload's
 * body in b->buf (for SAi_b), or -1. A transform whose num is set keeps
 * that number (a responder's answer echoes the one it chose). SPIs are
 * in host order.
 */
long v1_add_sa_phase1(struct v1_builder *b, const struct v1_transform *t,
		      size_t n);
long v1_add_sa_phase2(struct v1_builder *b, const uint32_t *spi,
		      const struct v1_transform *t, size_t n);
/* A Quick Mode responder's answer: the one proposal it chose, with the
 * proposal number of the offer (prop_num) and its own inbound SPI. */
long v1_add_sa_phase2_answer(struct v1_builder *b, uint8_t prop_num,
			     uint32_t spi, const struct v1_transform *t);

int v1_add_frag(struct v1_builder *b, uint16_t id, uint8_t number,
		bool last, const uint8_t *data, size_t len);

/* Vendor IDs we send and recognise (ikev1/vendor.c). */
enum v1_vendor {
	V1_VID_UNKNOWN,
	V1_VID_NATT_RFC3947,
	V1_VID_NATT_DRAFT_02,		/* and its "\n" variant */
	V1_VID_NATT_DRAFT_03,
	V1_VID_NATT_DRAFT_00,
	V1_VID_DPD,
	V1_VID_FRAGMENTATION,		/* Cisco/Microsoft */
	V1_VID_CISCO_UNITY,
	V1_VID_XAUTH,
	V1_VID_IKEVTI,			/* ours */
};

enum v1_vendor v1_vendor_of(const uint8_t *vid, size_t len);
const uint8_t *v1_vendor_id(enum v1_vendor v, size_t *len);
const char *v1_vendor_name(enum v1_vendor v);

#endif /* IKEV1_CODEC_H */
