/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKEv2 message codec (RFC 7296 section 3; SKF from RFC 7383 2.5).
 *
 * Decoding is zero-copy: the byte fields of a decoded message point into
 * the input buffer, which must outlive the struct ike_msg. Every length
 * is checked against its container before anything is read, and every
 * failure says where (byte offset in the message), what, and which
 * Notify the engine should answer with (RFC 7296 2.5 and 3.1):
 * INVALID_SYNTAX, UNSUPPORTED_CRITICAL_PAYLOAD (with the payload type),
 * INVALID_MAJOR_VERSION, or 0 for "drop without answering" (a header so
 * broken that no answer can be addressed).
 *
 * Limits (a message over them is refused, not truncated): 64 payloads per
 * chain, one SA payload with at most 16 proposals of at most 32
 * transforms, one TSi and one TSr of at most 16 selectors each.
 *
 * SK and SKF payloads are kept opaque (IV | ciphertext | ICV); the engine
 * decrypts them and decodes the inner chain with ike_payloads_decode().
 */
#ifndef IKE_PAYLOAD_H
#define IKE_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_MAX_PAYLOADS 64
/* A proposal holds every transform its one-byte count can announce:
 * strongSwan's default IKE proposals carry 35 and 37. Offers with more
 * than IKE_MAX_PROPOSALS proposals are decoded whole, but only the first
 * IKE_MAX_PROPOSALS are kept for selection (n_ignored counts the rest). */
#define IKE_MAX_PROPOSALS 32
#define IKE_MAX_TRANSFORMS 255
#define IKE_MAX_TS 16
#define IKE_MAX_MSG_LEN 65535

struct ike_header {
	uint8_t spi_i[8];
	uint8_t spi_r[8];
	uint8_t next_payload;		/* filled in by the encoder */
	uint8_t version;		/* 0x20 */
	uint8_t exchange;
	uint8_t flags;
	uint32_t msg_id;
	uint32_t length;		/* filled in by the encoder */
};

struct ike_transform {
	uint8_t type;			/* IKEV2_TRANS_* */
	uint16_t id;
	uint16_t key_bits;		/* Key Length attribute, 0 if none */
	bool unknown_attr;		/* RFC 7296 3.3.6: unusable transform */
};

struct ike_proposal {
	uint8_t num;
	uint8_t protocol;		/* IKEV2_PROTO_* */
	uint8_t spi_size;		/* 0, 4 or 8 */
	uint8_t spi[8];
	uint8_t n_transforms;
	struct ike_transform transforms[IKE_MAX_TRANSFORMS];
};

struct ike_sa_payload {
	uint8_t n_proposals;
	uint8_t n_ignored;		/* offered beyond IKE_MAX_PROPOSALS */
	struct ike_proposal proposals[IKE_MAX_PROPOSALS];
};

struct ike_ts {
	uint8_t type;			/* IKEV2_TS_IPV4/IPV6_ADDR_RANGE */
	uint8_t ip_proto;
	uint16_t start_port, end_port;
	uint8_t start[16], end[16];	/* 4 bytes used for IPv4 */
};

struct ike_ts_payload {
	uint8_t n;
	struct ike_ts ts[IKE_MAX_TS];
};

struct ike_bytes {
	const uint8_t *ptr;
	size_t len;
};

/* One payload of a chain. SA, TSi and TSr bodies live in struct ike_msg
 * (one of each per message), the others in the union. */
struct ike_payload {
	uint8_t type;
	bool critical;
	size_t offset;			/* of the generic header (decode) */
	union ike_payload_body {
		struct { uint16_t group; struct ike_bytes data; } ke;
		struct { uint8_t type; struct ike_bytes data; } id;
		struct { uint8_t encoding; struct ike_bytes data; } cert;
		struct { uint8_t method; struct ike_bytes data; } auth;
		struct {
			uint8_t protocol, spi_size;
			uint16_t type;
			struct ike_bytes spi, data;
		} notify;
		struct {
			uint8_t protocol, spi_size;
			uint16_t n_spi;
			struct ike_bytes spis;
		} del;
		struct { uint8_t first_inner; struct ike_bytes data; } sk;
		struct {
			uint8_t first_inner;	/* 0 in fragments > 1 */
			uint16_t number, total;
			struct ike_bytes data;
		} skf;
		struct ike_bytes data;	/* Nonce, Vendor ID, CP, EAP, unknown */
	} u;
};

struct ike_msg {
	struct ike_header hdr;
	size_t n_payloads;
	struct ike_payload payloads[IKE_MAX_PAYLOADS];
	bool has_sa, has_tsi, has_tsr;
	struct ike_sa_payload sa;
	struct ike_ts_payload tsi, tsr;
};

struct ike_decode_error {
	uint16_t notify;		/* IKEV2_N_* to answer with, 0: drop */
	uint8_t payload_type;		/* for UNSUPPORTED_CRITICAL_PAYLOAD */
	size_t offset;			/* byte offset in the message */
	char msg[128];
};

/* A whole message: header, then the payload chain. */
int ike_msg_decode(const uint8_t *buf, size_t len, struct ike_msg *m,
		   struct ike_decode_error *err);
/* A chain that starts with a payload of type `first` (the decrypted
 * content of SK); appended to m. base is added to reported offsets. */
int ike_payloads_decode(uint8_t first, const uint8_t *buf, size_t len,
			size_t base, struct ike_msg *m,
			struct ike_decode_error *err);

/* Header + chain; the header's next_payload and length are computed.
 * Returns 0 and *out_len, or -1 if it does not fit or is invalid. */
int ike_msg_encode(const struct ike_msg *m, uint8_t *out, size_t cap,
		   size_t *out_len);
/* The chain alone (the plaintext of an SK payload). */
int ike_payloads_encode(const struct ike_msg *m, uint8_t *out, size_t cap,
			size_t *out_len);

/* Add a payload to m (encode side); NULL when the chain is full. */
struct ike_payload *ike_msg_add(struct ike_msg *m, uint8_t type);
/* The first payload of a type (and the next one after `after`). */
const struct ike_payload *ike_msg_find(const struct ike_msg *m, uint8_t type,
				       const struct ike_payload *after);

#endif /* IKE_PAYLOAD_H */
