// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the IKEv2 message codec (ikev2/payload.h). The input
 * is one datagram as the engine receives it. It is decoded whole with
 * ike_msg_decode, then its bytes after the 28-byte header are decoded
 * again as a bare chain with ike_payloads_decode, the first payload type
 * taken from the header's Next Payload: that is what the engine does
 * with the plaintext of an SK payload, so inner chains (SA, TS, AUTH,
 * CERT ...) are reached even from seeds that are not valid messages.
 * A decoded message is encoded again: the encoder must accept what the
 * decoder produced.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikev2/payload.h"

#define HDR_LEN 28

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Failure is allowed (a decoded chain may not fit the encoder's
 * limits); reading or writing out of bounds is not. */
static void reencode(const struct ike_msg *m, bool whole)
{
	static uint8_t out[IKE_MAX_MSG_LEN];
	size_t len = 0;

	if (whole)
		(void)ike_msg_encode(m, out, sizeof(out), &len);
	else
		(void)ike_payloads_encode(m, out, sizeof(out), &len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* struct ike_msg is large: one static copy, cleared each time */
	static struct ike_msg m;
	struct ike_decode_error err;
	uint8_t *copy;

	/* An exact-size heap copy: ASan then sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&m, 0, sizeof(m));
	if (ike_msg_decode(copy, size, &m, &err) == 0)
		reencode(&m, true);
	if (size >= HDR_LEN) {
		memset(&m, 0, sizeof(m));
		if (ike_payloads_decode(copy[16], copy + HDR_LEN,
					size - HDR_LEN, HDR_LEN, &m,
					&err) == 0)
			reencode(&m, false);
	}
	free(copy);
	return 0;
}
