/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Responder proposal selection (RFC 7296 2.7 and 3.3.6).
 *
 * ORDER. RFC 7296 lets the responder pick any acceptable proposal. IOS
 * walks its own configuration first: the seed IKE chapter (003_*) shows
 * "Checking ISAKMP transform 1 against priority 1 policy", i.e. an outer
 * loop over local policies in priority order and an inner loop over the
 * peer's offers; IKEv2 on IOS likewise tries the proposals of its policy
 * in configured order. IKE_SELECT_LOCAL_FIRST (the default) does that:
 * for each local proposal in configured order, the first initiator
 * proposal that fits it wins, and within it each algorithm is the first
 * of our list that the peer offered. IKE_SELECT_PEER_FIRST is the other
 * reading of RFC 7296 (the initiator's preference), kept for testing and
 * for peers that need it.
 *
 * RULES. A proposal fits when it is for the wanted protocol and offers,
 * for every transform type we need, one algorithm we configured (AES key
 * lengths must be equal). With AES-GCM the proposal may carry no
 * integrity transform other than NONE (RFC 5282 8). For ESP without
 * "set pfs", an offered DH group is accepted when it is a non-legacy
 * group we support (IOS accepts PFS it did not ask for), and NONE or no
 * DH transform means no PFS. A missing ESN transform means no ESN.
 * Transforms with attributes we do not know are ignored (RFC 7296
 * 3.3.6); a proposal with a transform type we do not know is refused
 * unless it offers NONE for that type.
 */
#ifndef IKE_PROPOSAL_H
#define IKE_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "ikev2/payload.h"

#define IKE_LOCAL_ALGS 8

/* What we accept for one local proposal, each list in preference order. */
struct ike_local_proposal {
	struct cfg_alg encr[IKE_LOCAL_ALGS];
	size_t n_encr;
	uint16_t prf[IKE_LOCAL_ALGS];	/* IKE only */
	size_t n_prf;
	uint16_t integ[IKE_LOCAL_ALGS];	/* empty with AEAD */
	size_t n_integ;
	uint16_t dh[IKE_LOCAL_ALGS];	/* ESP: empty without PFS */
	size_t n_dh;
	uint16_t esn[2];		/* ESP only */
	size_t n_esn;
};

enum ike_select_order {
	IKE_SELECT_LOCAL_FIRST,		/* IOS */
	IKE_SELECT_PEER_FIRST,
};

struct ike_selection {
	size_t local_index;		/* which local proposal matched */
	uint8_t proposal_num;		/* the initiator's number */
	uint8_t protocol;
	uint8_t spi_size;
	uint8_t spi[8];
	struct cfg_alg encr;
	uint16_t prf, integ, dh, esn;	/* 0 where not negotiated */
	/* Child SA lifetimes agreed with the peer (IKEv1 Quick Mode); 0:
	 * the ipsec profile's. */
	uint32_t life_s;
	uint64_t life_kb;
};

/* Choose a proposal from the initiator's offer. Returns 0, or -1 (the
 * answer is NO_PROPOSAL_CHOSEN) with the reasons in why. */
int ike_select_proposal(const struct ike_sa_payload *offer, uint8_t protocol,
			const struct ike_local_proposal *local,
			size_t n_local, enum ike_select_order order,
			struct ike_selection *out, char *why, size_t why_len);

/* The responder's SA payload: one proposal with the chosen transforms
 * and the initiator's proposal number. spi/spi_size: our SPI. */
void ike_selection_to_sa(const struct ike_selection *sel,
			 const uint8_t *spi, uint8_t spi_size,
			 struct ike_sa_payload *sa);

/* Local proposals from the configuration. */
void ike_local_from_ikev2_proposal(const struct cfg_ikev2_proposal *p,
				   struct ike_local_proposal *out);
void ike_local_from_transform_set(const struct cfg_transform_set *ts,
				  uint16_t pfs_group, bool allow_esn,
				  struct ike_local_proposal *out);

#endif /* IKE_PROPOSAL_H */
