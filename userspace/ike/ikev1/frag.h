/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 fragmentation, the Cisco/Microsoft scheme announced by the
 * FRAGMENTATION vendor ID (IOS, strongSwan, Libreswan, Windows): a
 * message too big for the path, already encrypted, is cut into slices
 * of its bytes, header included; each slice travels in a FRAG payload
 * (type 132), the only payload of an unencrypted ISAKMP message whose
 * header is the original's with Next Payload = FRAG, the Encryption
 * flag cleared and its own length. Fragments are numbered from 1, the
 * last one flagged; all share a fragment ID.
 *
 * Reassembly keeps at most V1_FRAG_MAX fragments and V1_MAX_MSG_LEN
 * bytes per set, with no allocation. Timeouts are the caller's: it
 * resets a set it has not completed in time (v1_frag_reset).
 */
#ifndef IKEV1_FRAG_H
#define IKEV1_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikev1/codec.h"
#include "ikev1/isakmp.h"

#define V1_FRAG_MAX 16
/* ISAKMP header + FRAG payload header */
#define V1_FRAG_OVERHEAD (ISAKMP_HDR_LEN + 8)

/*
 * Cut msg (len bytes, header included) into fragment messages of at
 * most frag_len bytes each, written one after the other into out;
 * lens[i] gets the length of fragment i + 1. Returns the number of
 * fragments, or -1 (more than V1_FRAG_MAX needed, frag_len leaving no
 * room for data, not enough room in out, msg shorter than a header).
 */
int v1_frag_split(const uint8_t *msg, size_t len, uint16_t frag_id,
		  size_t frag_len, uint8_t *out, size_t cap,
		  size_t lens[V1_FRAG_MAX]);

struct v1_frag_set {
	bool active;
	uint16_t id;
	uint8_t last;			/* number of the last one, 0: unseen */
	uint32_t have;			/* bit n: fragment n received */
	size_t used;			/* bytes of data[] in use */
	struct { uint16_t off, len; } part[V1_FRAG_MAX + 1];
	uint8_t data[V1_MAX_MSG_LEN];
};

enum v1_frag_result {
	V1_FRAG_ERROR = -1,		/* refused, err says why; set intact */
	V1_FRAG_MORE = 0,		/* kept (or a duplicate): wait */
	V1_FRAG_DONE = 1,		/* *out_len bytes of the original */
};

void v1_frag_reset(struct v1_frag_set *s);
/*
 * Add the FRAG payload of a received fragment message. A fragment of a
 * newer ID than the set's starts the set over (the peer moved on to
 * another message); an older ID is refused. A repeat of a fragment
 * already held is accepted and ignored when its bytes are the same and
 * refused when they differ (the first copy stays). A complete set is
 * written to out (cap bytes) in order and the set is reset.
 */
enum v1_frag_result v1_frag_add(struct v1_frag_set *s,
				const struct v1_payload *frag, uint8_t *out,
				size_t cap, size_t *out_len,
				struct v1_decode_error *err);

#endif /* IKEV1_FRAG_H */
