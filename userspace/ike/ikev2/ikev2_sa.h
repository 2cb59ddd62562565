/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an IKE SA keeps only when it runs IKEv2 (the v2 part of struct
 * ike_sa in core/core.h): the IKE_SA_INIT messages for the AUTH octets,
 * cookies, the peer's announcements, the SK_* keys, the message-ID
 * window with its retransmission and response cache, reassembly of RFC
 * 7383 fragments, and the state of a CREATE_CHILD_SA in flight. Data
 * only: the functions are in ikev2/ikev2.h.
 */
#ifndef IKEV2_SA_H
#define IKEV2_SA_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/dh.h"
#include "ikev2/auth.h"
#include "ikev2/kdf.h"
#include "ikev2/proposal.h"
#include "ikev2/sk.h"
#include "pki/pki.h"

#define IKE_NONCE_MAX 256

/* What the outstanding request was for, to route its response. */
enum ike_req_kind {
	REQ_NONE,
	REQ_INIT,
	REQ_AUTH,
	REQ_CHILD_REKEY,
	REQ_IKE_REKEY,
	REQ_DELETE_CHILD,
	REQ_DELETE_IKE,
	REQ_DPD,
};

/* A sent message, whole or as SKF fragments, kept for retransmission. */
struct ike_out {
	struct ike_frag f[IKE_SKF_MAX];
	size_t n;
};

struct ikev2_sa_state {
	/* IKE_SA_INIT */
	uint16_t ke_group;		/* initiator: the group we send */
	uint8_t *init_req, *init_resp;	/* for AUTH octets */
	size_t init_req_len, init_resp_len;
	uint8_t cookie[64];
	size_t cookie_len;
	bool peer_frag;			/* RFC 7383 negotiated */
	uint16_t peer_hashes[IKE_SIGHASH_MAX];
	size_t n_peer_hashes;
	uint8_t certreq[PKI_MAX_TRUSTPOINTS * PKI_HASH_LEN];
	size_t certreq_len;		/* hashes the peer asked for */
	bool got_certreq;
	unsigned int init_tries;	/* INVALID_KE / COOKIE restarts */

	/* keys */
	struct ike_sa_keys keys;
	bool have_keys;

	/* IKE_AUTH */
	uint32_t child_spi_in;		/* initiator's first child SPI */

	/* message IDs and the request window */
	uint32_t msgid_out;		/* next request we send */
	uint32_t msgid_in;		/* next request we expect */
	enum ike_req_kind req;
	struct ike_out req_out;
	uint32_t req_msgid;
	unsigned int req_tries;
	uint64_t req_next_ms;
	uint64_t req_interval_ms;
	struct ike_out resp_out;	/* last response, for duplicates */
	uint32_t resp_msgid;
	bool have_resp;
	struct ike_reasm reasm;		/* requests from the peer */
	struct ike_reasm reasm_resp;	/* responses to ours */
	uint32_t req_spi;		/* REQ_DELETE_CHILD: our inbound SPI */

	/* exchanges in progress */
	struct ike_dh *x_dh;		/* CREATE_CHILD_SA: our KE */
	uint8_t x_nonce[IKE_NONCE_MAX];
	size_t x_nonce_len;
	uint32_t x_spi_in;		/* child rekey: new inbound SPI */
	uint32_t x_old_spi_in;		/* child rekey: SA being replaced */
	uint8_t x_ike_spi[8];		/* IKE rekey: our new SPI */
	struct ike_selection x_sel;
	bool x_coll;			/* the peer rekeyed the same SA */
	uint8_t x_coll_low[16];		/* lowest nonce of its exchange */
	uint8_t x_coll_spi_i[8];	/* IKE rekey collision: the new */
	uint8_t x_coll_spi_r[8];	/* IKE SA the peer's exchange made */
};

#endif /* IKEV2_SA_H */
