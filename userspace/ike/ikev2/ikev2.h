/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 inside the engine: what the files of ikev2/ share. Three layers,
 * each calling only the ones below it and the core:
 *
 *   ikev2.c                 the version: datagram dispatch (message IDs,
 *                           duplicates, decryption), tasks, timers, the
 *                           struct ike_version the core calls
 *   ike_init.c ike_auth.c   the exchanges, one file each; they never call
 *   child_create.c          each other
 *   informational.c
 *   message.c retransmit.c  building, sealing, opening and sending
 *   offer.c ikev2_sa.c      messages; the request window; what we offer;
 *                           keys, KEYMAT, establishment, collisions
 *
 * Below them the libraries: payload (codec), sk/skf, kdf, proposal,
 * auth/auth_sig, none of which knows about the engine.
 */
#ifndef IKEV2_H
#define IKEV2_H

#include "core/core.h"
#include "ikev2/auth.h"
#include "ikev2/kdf.h"
#include "ikev2/payload.h"
#include "ikev2/sk.h"

/* ---- message.c ---- */
void ike_out_free(struct ike_out *o);
int ike_out_send(struct ike_engine *e, const struct ike_path *path,
		 const struct ike_out *o);
int ike_send_plain(struct ike_engine *e, const struct ike_path *path,
		   const struct ike_msg *m, struct ike_out *keep);
/* Encrypt inner payloads into one SK message (or SKF fragments). */
int ike_send_sk(struct ike_sa *sa, uint8_t exch, bool response,
		uint32_t msg_id, const struct ike_msg *inner,
		struct ike_out *keep);
struct ike_payload *ike_add_notify(struct ike_msg *m, uint16_t type,
				   const uint8_t *data, size_t len);
const struct ike_payload *ike_find_notify(const struct ike_msg *m,
					  uint16_t type);
/* Decrypt the SK/SKF of m; on success *plain (malloc'ed) backs the
 * inner payloads appended to m. 0 ok, 1 incomplete, -1 error. */
int ike_open_sk(struct ike_sa *sa, const uint8_t *buf, size_t len,
		struct ike_msg *m, uint8_t **plain);
void ike_sk_keys_for(const struct ike_sa *sa, bool from_initiator,
		     struct ike_sk_keys *k);
/* TSi/TSr 0.0.0.0/0 and ::/0; any non-empty selectors are acceptable. */
void ike_ts_all(struct ike_msg *m);
bool ike_ts_acceptable(const struct ike_msg *m);
/* Keep the hashes of a CERTREQ payload of m (IKE_SA_INIT or AUTH). */
void ike_take_certreq(struct ike_sa *sa, const struct ike_msg *m);
/* A Delete payload for protocol proto with n_spi SPIs (IKE: none). */
void ike_add_delete(struct ike_msg *m, uint8_t proto, const uint8_t *spis,
		    uint16_t n_spi);
/* An INFORMATIONAL Delete of the IKE SA, sent once, no answer awaited. */
void ike_send_delete_unreliable(struct ike_sa *sa);

/* ---- retransmit.c ---- */
/* Send a request and keep it for retransmission. */
int ike_request(struct ike_sa *sa, enum ike_req_kind kind, uint8_t exch,
		const struct ike_msg *inner);
void ike_request_done(struct ike_sa *sa);
void ike_retransmit_timer(struct ike_sa *sa, uint64_t now);
uint64_t ike_retransmit_next(const struct ike_sa *sa);
int ike_respond(struct ike_sa *sa, uint8_t exch, uint32_t msg_id,
		const struct ike_msg *inner);

/* ---- offer.c ---- */
int ike_local_ike_proposals(struct ike_engine *e, const struct ike_tunnel *t,
			    struct ike_local_proposal *out, size_t max,
			    size_t *n);
void ike_build_sa_payload(const struct ike_local_proposal *lp, size_t n,
			  uint8_t protocol, const uint8_t *spi,
			  uint8_t spi_size, struct ike_sa_payload *sa);
bool ike_selection_offered(const struct ike_sa_payload *offer,
			   const struct ike_sa_payload *answer,
			   uint8_t protocol, struct ike_selection *sel);

/* ---- ikev2_sa.c ---- */
int ike_derive_keys(struct ike_sa *sa, const uint8_t *gir, size_t gir_len,
		    const uint8_t *old_sk_d, uint16_t old_prf);
/* Derive KEYMAT (RFC 7296 2.17) and install the pair through the core.
 * gir: PFS shared secret or NULL. */
int ikev2_child_install(struct ike_sa *sa, const struct ike_selection *sel,
			uint32_t spi_in, uint32_t spi_out, const uint8_t *ni,
			size_t ni_len, const uint8_t *nr, size_t nr_len,
			const uint8_t *gir, size_t gir_len, bool initiator,
			bool switch_tx);
/* Established, both roles and after an IKE rekey: lifetimes and DPD
 * from the profile, then duplicate IKE SAs of the tunnel resolved. */
void ike_established(struct ike_sa *sa);
/* The old IKE SA whose rekey collided with the peer's exchange that
 * made n, while our response is still awaited; else NULL. */
struct ike_sa *ike_rekey_collision_old(struct ike_sa *n);

/* ---- ike_init.c ---- */
int ike_init_start(struct ike_engine *e, struct ike_tunnel *t);
void ike_init_request_in(struct ike_engine *e, const struct ike_path *path,
			 const uint8_t *buf, size_t len,
			 const struct ike_msg *m);
/* 1: keys derived, IKE_AUTH may start; 0 otherwise. */
int ike_init_response_in(struct ike_sa *sa, const struct ike_path *path,
			 const uint8_t *buf, size_t len,
			 const struct ike_msg *m);

/* ---- ike_auth.c ---- */
void ike_auth_start(struct ike_sa *sa);
void ike_auth_request_in(struct ike_sa *sa, const struct ike_msg *m);
void ike_auth_response_in(struct ike_sa *sa, const struct ike_msg *m);

/* ---- child_create.c ---- */
void ike_child_rekey_start(struct ike_sa *sa, uint32_t spi_in);
void ike_ike_rekey_start(struct ike_sa *sa);
void ike_create_child_request_in(struct ike_sa *sa, const struct ike_msg *m);
void ike_create_child_response_in(struct ike_sa *sa, const struct ike_msg *m);

/* ---- informational.c ---- */
void ike_info_request_in(struct ike_sa *sa, const struct ike_msg *m);
void ike_info_response_in(struct ike_sa *sa, const struct ike_msg *m);
void ike_delete_ike_start(struct ike_sa *sa);
void ike_delete_child_start(struct ike_sa *sa, uint32_t spi_in);
void ike_dpd_start(struct ike_sa *sa);
void ike_dpd_timer(struct ike_sa *sa, uint64_t now);

/* ---- ikev2_config.c ---- */
bool ikev2_config_same(struct ike_engine *e, const struct cfg_model *om,
		       const struct pki_store *op,
		       const struct ike_tunnel *old,
		       const struct ike_tunnel *t);

#endif /* IKEV2_H */
