/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 inside the engine: what the files of ikev1/ share. The same three
 * layers as ikev2/ (and parallel names):
 *
 *   ikev1.c                 the version: datagram dispatch (cookies,
 *                           fragments, duplicates, decryption with the
 *                           right IV), tasks, timers, struct ike_version
 *   main_mode.c             the exchanges, one file each; they never call
 *   aggressive_mode.c       each other (Main and Aggressive Mode share
 *   quick_mode.c            phase1.c, as strongSwan's sa/ikev1 does)
 *   informational.c
 *   message.c phase1.c      building, sealing, opening, sending and
 *   ikev1_config.c          retransmitting messages; what both phase-1
 *                           modes do; the configuration as IKEv1 reads it
 *
 * Below them the libraries codec, frag, vendor, kdf and crypt, which know
 * nothing of the engine.
 */
#ifndef IKEV1_H
#define IKEV1_H

#include "core/core.h"
#include "ikev1/codec.h"
#include "ikev1/frag.h"
#include "ikev1/isakmp.h"

#define V1_RETRANS_FIRST_MS 1000	/* 1, 2, 4, 8, 16 s, as IOS's pace */
#define V1_RETRANS_TRIES 5
#define V1_RESEND_MIN_MS 500		/* answers from the cache, at most */
#define V1_QM_TIMEOUT_MS 60000
#define V1_DPD_TRIES 5
/* A Quick Mode initiator keeps sending on the old pair this long after
 * QM3: responders such as strongSwan install their inbound SA only once
 * they have processed QM3. */
#define V1_QM_SWITCH_DELAY_MS 1000

/* ---- ikev1_config.c: the configuration as IKEv1 reads it ---- */
/* Our proposals, one transform per isakmp policy in priority order
 * (the default suites when none is configured). */
size_t v1_local_transforms(const struct ike_engine *e,
			   const struct ike_tunnel *t,
			   struct v1_transform *out, size_t max);
const struct cfg_isakmp_policy *v1_policy_of(const struct ike_engine *e,
					     const struct v1_transform *tr);
/* The pre-shared key for the peer (keyrings of the profile, else the
 * global keys; keyrings limited to a local address apply only there).
 * by_name: Aggressive Mode with an FQDN ID. NULL when there is none. */
const char *v1_psk_for(const struct ike_engine *e, const struct ike_tunnel *t,
		       const struct sockaddr_storage *local,
		       const struct sockaddr_storage *remote,
		       const char *by_name);
/* Our phase-1 ID: the profile's self-identity, else crypto isakmp
 * identity (address by default). Writes the ID payload body (type,
 * protocol, port, data) into out and returns its length, or -1. */
long v1_our_id(const struct ike_sa *sa, uint8_t *out, size_t cap);
/* DPD settings: interval 0 when off. */
void v1_keepalive(const struct ike_engine *e, const struct ike_tunnel *t,
		  uint32_t *interval_s, uint32_t *retry_s, bool *periodic);
uint32_t v1_sa_lifetime(const struct ike_sa *sa);
bool v1_aggressive(const struct ike_tunnel *t);
/* The trustpoints the profile allows ("ca trust-point"), for CERT_REQ
 * and validation; n == 0: all. */
const struct cfg_ref *v1_trustpoints(const struct ike_tunnel *t, size_t *n);
bool v1_config_same(struct ike_engine *e, const struct cfg_model *om,
		    const struct pki_store *op, const struct ike_tunnel *old,
		    const struct ike_tunnel *t);

/* ---- message.c ---- */
const char *v1_state_name(enum v1_state st);
void v1_set_state(struct ike_sa *sa, enum v1_state st);
void v1_header(const struct ike_sa *sa, uint8_t exch, uint32_t msg_id,
	       struct v1_header *h);
/* Encrypt a built message (header included) with the phase-1 key and
 * the IV of slot; returns its new length or -1. */
long v1_seal(struct ike_sa *sa, struct v1_iv_slot *slot, uint8_t *msg,
	     size_t len, size_t cap);
/* Decrypt an encrypted message and decode its chain into m; *plain
 * (malloc'ed) backs m's payloads. 0, or -1 (logged). The slot's IV moves
 * only when the caller commits it (v1_iv_commit) after the HASH. */
int v1_open(struct ike_sa *sa, struct v1_iv_slot *slot, const uint8_t *buf,
	    size_t len, struct v1_msg *m, uint8_t **plain);
/* The IV of a Quick Mode or Informational exchange (RFC 2409 B). */
void v1_iv_exchange_init(struct ike_sa *sa, uint32_t msg_id,
			 struct v1_iv_slot *slot);
/* Send a message (fragmenting when the peer allows it and it does not
 * fit) and keep it in keep for retransmission, when keep is not NULL. */
int v1_send(struct ike_sa *sa, const uint8_t *msg, size_t len,
	    struct v1_out *keep);
int v1_out_resend(struct ike_sa *sa, const struct v1_out *o);
void v1_out_free(struct v1_out *o);
/* Phase-1 retransmission of sa->v1.out. */
void v1_retransmit_arm(struct ike_sa *sa);
void v1_retransmit_stop(struct ike_sa *sa);
/* An Informational exchange under the ISAKMP SA (HASH, then one Notify
 * or one Delete), sent once. */
int v1_send_notify(struct ike_sa *sa, uint8_t protocol, const uint8_t *spi,
		   uint8_t spi_size, uint16_t type, const uint8_t *data,
		   size_t len);
int v1_send_delete(struct ike_sa *sa, uint8_t protocol, const uint8_t *spis,
		   uint8_t spi_size, uint16_t n_spi);
/* An unprotected Notify (before keys exist: NO-PROPOSAL-CHOSEN, ...). */
void v1_send_plain_notify(struct ike_engine *e, const struct ike_path *path,
			  const uint8_t cky_i[8], const uint8_t cky_r[8],
			  uint16_t type);
void v1_add_vendor_ids(struct v1_builder *b, const struct ike_engine *e);
void v1_take_vendor_ids(struct ike_sa *sa, const struct v1_msg *m);
const char *v1_notify_name(uint16_t type);
/* The first HASH payload of m must be the first payload; its value. */
const struct v1_payload *v1_first_hash(const struct v1_msg *m);
/* The bytes of m's chain after payload pl, padding excluded (what
 * HASH(1) and HASH(2) cover). */
struct ike_bytes v1_after(const struct v1_msg *m, const struct v1_payload *pl);

/* ---- phase1.c: what Main and Aggressive Mode share ---- */
struct ike_sa *v1_phase1_new(struct ike_engine *e, struct ike_tunnel *t,
			     bool initiator, const struct ike_path *path,
			     uint8_t exch);
/* Responder: the first of our policies that one of the offered
 * transforms matches exactly (lifetime: ours when shorter). */
int v1_choose_transform(struct ike_sa *sa, const struct v1_sa_payload *offer,
			struct v1_transform *chosen, char *why, size_t len);
/* Initiator: the responder's answer must be one of ours. */
int v1_check_answer(struct ike_sa *sa, const struct v1_sa_payload *answer,
		    struct v1_transform *chosen);
void v1_agree(struct ike_sa *sa, const struct v1_transform *tr);
/* Our KE and nonce (new DH key pair), into sa. */
int v1_make_ke(struct ike_sa *sa);
long v1_add_ke_nonce(struct ike_sa *sa, struct v1_builder *b);
/* The peer's KE and nonce from m, then g^xy and SKEYID_*. */
int v1_take_ke_nonce(struct ike_sa *sa, const struct v1_msg *m);
int v1_derive(struct ike_sa *sa);
void v1_add_natd(struct ike_sa *sa, struct v1_builder *b);
void v1_check_natd(struct ike_sa *sa, const struct v1_msg *m);
/* The port move of RFC 3947: from MM5 (AM3) on, both on 4500. */
void v1_float(struct ike_sa *sa);
void v1_add_cert_requests(struct ike_sa *sa, struct v1_builder *b);
void v1_take_cert_requests(struct ike_sa *sa, const struct v1_msg *m);
/* Our ID (kept for the hash); then [CERT], HASH or SIG and, for an
 * initiator without another SA with the peer, INITIAL-CONTACT. The
 * certificate is chosen first from the CERT_REQs received so far. */
int v1_add_our_id(struct ike_sa *sa, struct v1_builder *b);
int v1_add_our_auth(struct ike_sa *sa, struct v1_builder *b);
int v1_add_id_auth(struct ike_sa *sa, struct v1_builder *b);
/* Check the peer's ID and HASH/SIG (+CERT); the PSK must be known.
 * 0, or -1 with the reason logged. */
int v1_check_id_auth(struct ike_sa *sa, const struct v1_msg *m);
/* Take the peer's ID payload (phase 1) into sa (id_i or id_r). */
int v1_take_id(struct ike_sa *sa, const struct v1_msg *m);
/* Choose the PSK (by address, or by the peer's FQDN ID). */
int v1_find_psk(struct ike_sa *sa, const char *by_name);
/* Keep the initiator's SA body (SAi_b, for HASH_I/R). */
int v1_keep_sai(struct ike_sa *sa, const uint8_t *p, size_t len);
/* End, optionally seal (phase-1 IV chain), send and keep a phase-1
 * message; arm its retransmission (initiator) or only answer repeats. */
int v1_phase1_send(struct ike_sa *sa, struct v1_builder *b, uint8_t *buf,
		   size_t cap, bool encrypt, bool retransmit);
void v1_phase1_done(struct ike_sa *sa);
/* INITIAL-CONTACT in an authenticated phase-1 message: the peer
 * restarted, our older ISAKMP SAs with it are gone. */
void v1_phase1_check_contact(struct ike_sa *sa, const struct v1_msg *m);
void v1_phase1_fail(struct ike_sa *sa, uint16_t notify, const char *why);

/* ---- main_mode.c ---- */
int v1_main_mode_start(struct ike_engine *e, struct ike_tunnel *t);
void v1_main_mode_request_in(struct ike_engine *e,
			     const struct ike_path *path,
			     const struct v1_msg *m);
/* 1: phase 1 complete as initiator (Quick Mode may start); 0 otherwise. */
int v1_main_mode_in(struct ike_sa *sa, const struct v1_msg *m,
		    const struct ike_path *path);

/* ---- aggressive_mode.c ---- */
int v1_aggressive_start(struct ike_engine *e, struct ike_tunnel *t);
void v1_aggressive_request_in(struct ike_engine *e,
			      const struct ike_path *path,
			      const struct v1_msg *m);
int v1_aggressive_in(struct ike_sa *sa, const struct v1_msg *m,
		     const struct ike_path *path);

/* ---- quick_mode.c ---- */
int v1_quick_start(struct ike_sa *sa, uint32_t rekey_of);
void v1_quick_in(struct ike_sa *sa, struct v1_quick *q, bool fresh,
		 const uint8_t *plain, size_t plain_len,
		 const struct v1_msg *m);
struct v1_quick *v1_quick_find(struct ike_sa *sa, uint32_t msg_id);
struct v1_quick *v1_quick_slot(struct ike_sa *sa, uint32_t msg_id);
void v1_quick_free(struct v1_quick *q);
void v1_quick_timers(struct ike_sa *sa, uint64_t now);
uint64_t v1_quick_next(const struct ike_sa *sa);
bool v1_quick_busy(const struct ike_sa *sa);

/* ---- informational.c ---- */
void v1_info_in(struct ike_sa *sa, const uint8_t *plain, size_t plain_len,
		const struct v1_msg *m);
void v1_delete_child_start(struct ike_sa *sa, uint32_t spi_in);
void v1_delete_ike_start(struct ike_sa *sa);
void v1_dpd_start(struct ike_sa *sa);
void v1_dpd_timer(struct ike_sa *sa, uint64_t now);
uint64_t v1_dpd_next(const struct ike_sa *sa);

#endif /* IKEV1_H */
