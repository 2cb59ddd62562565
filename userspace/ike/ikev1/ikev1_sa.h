/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an IKE SA keeps only when it runs IKEv1 (the v1 part of struct
 * ike_sa in core/core.h): the phase-1 exchange in progress (Main or
 * Aggressive Mode), its keys and IV chain, what the peer announced, the
 * certificate requests it sent, the last message each way (for
 * retransmission and duplicates), the Quick Mode exchanges in flight and
 * DPD. Data only: the functions are in ikev1/ikev1.h.
 */
#ifndef IKEV1_SA_H
#define IKEV1_SA_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/dh.h"
#include "ikev1/crypt.h"
#include "ikev1/kdf.h"
#include "ikev2/proposal.h"

#define V1_NONCE_LEN 32
#define V1_NONCE_MAX 256
#define V1_KE_MAX 1024			/* MODP 8192 would be 1024 */
#define V1_ID_MAX 512
#define V1_CR_MAX 16			/* CERT_REQs kept from the peer */
#define V1_QM_MAX 4			/* Quick Modes in flight */

struct v1_frag_set;

/* The phase-1 states, named as IOS's "debug crypto isakmp" prints them:
 * IKE_I_MM1 = we sent MM1, IKE_R_MM3 = we received MM3, ... */
enum v1_state {
	V1_READY,
	V1_I_MM1, V1_I_MM2, V1_I_MM3, V1_I_MM4, V1_I_MM5, V1_I_MM6,
	V1_R_MM1, V1_R_MM2, V1_R_MM3, V1_R_MM4, V1_R_MM5,
	V1_I_AM1, V1_I_AM2,
	V1_R_AM1, V1_R_AM2,
	V1_P1_COMPLETE,
};

/* One message kept for retransmission: the datagram or its fragments. */
struct v1_out {
	uint8_t *buf;			/* fragments one after the other */
	size_t len[16];
	size_t n;
};

struct v1_quick {
	bool used;
	bool initiator;
	bool done;			/* QM3 sent or received */
	bool installed;			/* spi_in belongs to a child SA now */
	uint32_t msg_id;		/* host order */
	struct v1_iv_slot iv;
	uint8_t ni[V1_NONCE_MAX], nr[V1_NONCE_MAX];
	size_t ni_len, nr_len;
	struct ike_dh *dh;		/* PFS */
	uint16_t pfs_group;
	uint32_t spi_in, spi_out;	/* ours (reserved), the peer's */
	struct ike_selection sel;	/* ESP algorithms, IKEv2 numbers */
	uint16_t encap;			/* IPSEC_ENCAP_* proposed/accepted */
	uint32_t life_s;		/* negotiated (RESPONDER-LIFETIME) */
	uint64_t life_kb;
	uint32_t rekey_of;		/* inbound SPI of the pair it replaces */
	uint8_t *idci, *idcr;		/* ID payload bodies, to echo back */
	size_t idci_len, idcr_len;
	struct v1_out out;		/* our last message, to retransmit */
	unsigned int tries;
	uint64_t next_ms, interval_ms;
	uint64_t created_ms;
	uint64_t switch_at_ms;		/* initiator: move tx to the new pair */
	uint8_t last_in[20];		/* SHA-1 of the peer's last message */
};

struct ikev1_sa_state {
	enum v1_state st;
	uint8_t exch;			/* ISAKMP_EXCH_IDPROT or _AGGRESSIVE */
	uint16_t auth;			/* IKEV1_AUTH_* agreed */
	uint32_t life_s;		/* ISAKMP SA lifetime agreed */
	const void *policy;		/* struct cfg_isakmp_policy chosen */
	const void *profile;		/* struct cfg_isakmp_profile, or NULL */

	uint8_t *sai_b;			/* the initiator's SA body (HASH_I/R) */
	size_t sai_len;
	uint8_t gxi[V1_KE_MAX], gxr[V1_KE_MAX];
	size_t gx_len;
	uint8_t *id_i, *id_r;		/* phase-1 ID payload bodies */
	size_t id_i_len, id_r_len;
	uint8_t psk[256];		/* the pre-shared key in use */
	size_t psk_len;
	bool have_keys;
	struct v1_keys keys;
	uint16_t encr, key_bits;	/* phase-1 cipher */
	struct v1_iv_slot iv;		/* phase-1 chain; then its last block */

	/* what the peer announced (vendor IDs) */
	bool peer_natt;			/* some NAT-T flavour */
	bool natt_rfc;			/* RFC 3947 rather than a draft */
	bool peer_dpd;
	bool peer_frag;
	bool peer_ikevti;
	bool behind_nat_local, behind_nat_remote;

	/* certificates */
	uint8_t *cr[V1_CR_MAX];		/* DER DNs of the peer's CERT_REQs */
	size_t cr_len[V1_CR_MAX];
	size_t n_cr;
	bool got_cr;			/* a CR payload, even an empty one */
	int sign_tp;			/* trustpoint we sign with, -1: none */

	/* retransmission of phase 1, duplicates */
	struct v1_out out;
	unsigned int tries;
	uint64_t next_ms, interval_ms;
	uint8_t last_in[20];		/* SHA-1 of the last message taken */
	bool have_last_in;
	uint64_t last_resend_ms;	/* answers from the cache: rate limit */
	struct v1_frag_set *frags;	/* reassembly, allocated on demand */

	struct v1_quick qm[V1_QM_MAX];

	/* DPD (RFC 3706) */
	uint32_t dpd_seq;		/* last R-U-THERE we sent */
	bool dpd_waiting;
	unsigned int dpd_tries;
	uint64_t dpd_retry_ms;
};

#endif /* IKEV1_SA_H */
