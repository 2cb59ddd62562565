// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the IKEv1 codec (ikev1/codec.h) and the fragment
 * reassembly (ikev1/frag.h). The input is a sequence of datagrams, each
 * a 2-byte big-endian length and that many bytes (the last one takes
 * what is left when its length runs past the end). Each datagram is
 * decoded with v1_msg_decode; the body of an encrypted one is decoded as
 * if it were the plaintext (v1_payloads_decode), because that is the
 * chain the engine decodes after decryption; every FRAG payload goes
 * into one reassembly set shared by the whole input, and a reassembled
 * message is decoded in turn. Vendor IDs are looked up as the engine
 * does.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikev1/codec.h"
#include "ikev1/frag.h"
#include "ikev1/isakmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct v1_frag_set set;
static uint8_t whole[V1_MAX_MSG_LEN];

static void look_at(const struct v1_msg *m)
{
	for (size_t i = 0; i < m->n_payloads; i++)
		if (m->payloads[i].type == ISAKMP_PL_VID)
			(void)v1_vendor_of(m->payloads[i].body.ptr,
					   m->payloads[i].body.len);
	(void)v1_msg_sa_body(m);
}

static void decode(const uint8_t *buf, size_t len, bool reassembled);

static void add_frags(const struct v1_msg *m)
{
	struct v1_decode_error err;
	size_t out_len = 0;

	for (size_t i = 0; i < m->n_payloads; i++) {
		if (m->payloads[i].type != ISAKMP_PL_FRAG)
			continue;
		if (v1_frag_add(&set, &m->payloads[i], whole, sizeof(whole),
				&out_len, &err) == V1_FRAG_DONE) {
			uint8_t *copy = malloc(out_len ? out_len : 1);

			if (!copy)
				return;
			memcpy(copy, whole, out_len);
			decode(copy, out_len, true);
			free(copy);
		}
	}
}

static void decode(const uint8_t *buf, size_t len, bool reassembled)
{
	static struct v1_msg m;	/* large: not on the stack */
	struct v1_decode_error err;

	memset(&m, 0, sizeof(m));
	if (v1_msg_decode(buf, len, &m, &err) < 0)
		return;
	look_at(&m);
	if (m.hdr.flags & ISAKMP_FLAG_ENC) {
		if (v1_payloads_decode(m.hdr.next_payload, m.enc.ptr,
				       m.enc.len, ISAKMP_HDR_LEN, &m,
				       &err) == 0)
			look_at(&m);
		return;
	}
	/* A reassembled message is never a fragment again (the engine
	 * does not reassemble recursively). */
	if (!reassembled)
		add_frags(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	v1_frag_reset(&set);
	while (size > 0) {
		size_t len = size >= 2 ? (size_t)data[0] << 8 | data[1] : 0;
		size_t skip = size >= 2 ? 2 : size;
		uint8_t *copy;

		data += skip;
		size -= skip;
		if (len > size)
			len = size;
		/* exact-size copies: ASan sees any read past the end */
		copy = malloc(len ? len : 1);
		if (!copy)
			return 0;
		memcpy(copy, data, len);
		decode(copy, len, false);
		free(copy);
		data += len;
		size -= len;
	}
	return 0;
}
