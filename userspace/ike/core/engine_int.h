/* SPDX-License-Identifier: GPL-2.0 */
/*
 * engine internals: the objects the IKEv2 engine keeps (tunnels, IKE
 * SAs, child SAs, outstanding requests, cached responses) and the
 * functions the engine's files share. Nothing here is part of the
 * contract with the daemon (engine.h is).
 *
 * Ownership: the engine owns a list of tunnels (one per configured and
 * present ikevti device) and a list of IKE SAs; an IKE SA points at its
 * tunnel and owns its child SAs. Freeing is deferred to the end of every
 * entry point (sa->dead), so no handler ever runs on a freed SA.
 */
#ifndef IKE_ENGINE_INT_H
#define IKE_ENGINE_INT_H

#include <stdarg.h>
#include <time.h>

#include "ikev2/auth.h"
#include "crypto/dh.h"
#include "engine.h"
#include "ikev2/ikev2_const.h"
#include "ikev2/kdf.h"
#include "ikev2/payload.h"
#include "ikev2/proposal.h"
#include "ikev2/sk.h"

#define IKE_NONCE_LEN 32		/* ours; RFC 7296 2.10: >= prf/2 */
#define IKE_NONCE_MAX 256
#define IKE_CHILD_MAX 4			/* pair + rekey overlap + spare */
#define IKE_ID_MAX 512
#define IKE_COOKIE_LEN 20		/* SHA-1 size (RFC 7296 2.6) */
#define IKE_HALF_OPEN_COOKIE 10		/* half-open SAs before cookies */
#define IKE_HALF_OPEN_TIMEOUT_MS 30000
#define IKE_RETRANS_FIRST_MS 500	/* 0.5, 1, 2, 4, 8 s */
#define IKE_RETRANS_TRIES 5
#define IKE_INIT_BACKOFF_MIN_MS 2000
#define IKE_INIT_BACKOFF_MAX_MS 60000
#define IKE_OLD_INBOUND_GRACE_MS 5000
#define IKE_DUP_DELETE_FALLBACK_MS 30000
#define IKE_NAT_KEEPALIVE_S 20		/* behind a NAT: kernel keepalives */
#define IKE_FRAG_MAX_V4 576		/* RFC 7383 2.5.1: safe defaults */
#define IKE_FRAG_MAX_V6 1280

struct ike_engine;
struct ike_sa;

enum ike_sa_state {
	IKE_ST_INIT_SENT,	/* initiator: IKE_SA_INIT request out */
	IKE_ST_INIT_DONE,	/* responder: answered, waiting for AUTH */
	IKE_ST_AUTH_SENT,	/* initiator: IKE_AUTH request out */
	IKE_ST_ESTABLISHED,
	IKE_ST_DELETING,	/* our Delete is out */
};

enum child_state {
	CHILD_ACTIVE,
	CHILD_REKEYING,		/* our rekey request is out */
	CHILD_REKEYED,		/* replaced: outbound gone, inbound in grace */
};

struct child_sa {
	bool used;
	enum child_state state;
	uint32_t spi_in, spi_out;
	bool in_installed, out_installed;
	uint16_t encr, key_bits, integ, pfs_group;
	bool esn, encap;
	uint64_t established_ms;
	uint64_t rekey_at_ms;		/* soft time lifetime (0: none) */
	uint64_t expire_at_ms;		/* hard time lifetime */
	uint64_t grace_until_ms;	/* REKEYED: remove the inbound then */
	bool delete_sent;		/* we sent (or queued) its Delete */
};

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

/* Work that waits for the request window (one request at a time). */
#define TASK_REKEY_CHILD	(1u << 0)
#define TASK_REKEY_IKE		(1u << 1)
#define TASK_DPD		(1u << 2)
#define TASK_DELETE_IKE		(1u << 3)
#define TASK_DELETE_CHILD	(1u << 4)

/* A sent message, whole or as SKF fragments, kept for retransmission. */
struct ike_out {
	struct ike_frag f[IKE_SKF_MAX];
	size_t n;
};

struct ike_tunnel {
	struct ike_tunnel *next;
	struct ike_tunnel_info info;
	const struct cfg_interface *ifc;
	const struct cfg_ipsec_profile *ipp;
	const struct cfg_ikev2_profile *prof;
	const struct cfg_transform_set *ts[6];	/* of ipp, resolved */
	bool present;			/* the device exists */
	uint64_t initiate_at_ms;	/* 0: no initiation planned */
	uint64_t backoff_ms;
	uint32_t tx_spi;		/* outbound SPI transmitting now */
};

struct ike_sa {
	struct ike_sa *next;
	struct ike_engine *e;
	struct ike_tunnel *t;
	unsigned int id;		/* IOS "SA ID" / Tunnel-id */
	bool initiator;			/* original initiator of this SA */
	bool dead;			/* free at the end of the entry point */
	bool replaced;			/* rekeyed: its successor took over */
	enum ike_sa_state state;
	uint8_t spi_i[8], spi_r[8];
	struct ike_path path;
	bool nat_local, nat_remote;	/* NAT in front of us / of them */
	bool natt;			/* moved to 4500 */
	uint64_t created_ms, established_ms;
	uint64_t last_rx_ms;		/* last authenticated message */

	/* IKE_SA_INIT */
	struct ike_selection sel;	/* encr, prf, integ, dh */
	struct ike_dh *dh;
	uint16_t ke_group;		/* initiator: the group we send */
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;
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
	uint8_t auth_local, auth_remote;	/* methods used */
	char local_id[IKE_ID_STR_MAX], remote_id[IKE_ID_STR_MAX];
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
	unsigned int tasks;		/* TASK_* waiting for the window */
	uint32_t task_child_spi;	/* TASK_REKEY_CHILD: inbound SPI */
	uint32_t task_delete_spi;	/* TASK_DELETE_CHILD: inbound SPI */
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

	/* lifetimes and liveness */
	uint64_t rekey_at_ms;		/* IKE SA soft lifetime */
	uint64_t dpd_at_ms;
	uint64_t dpd_in_packets;	/* on-demand: inbound count seen */
	uint64_t dup_deadline_ms;	/* duplicate SA: fallback delete */

	struct child_sa child[IKE_CHILD_MAX];
};

struct ike_engine {
	struct ike_engine_ops ops;
	const struct cfg_model *model;
	const struct pki_store *pki;
	enum ike_log_level log_level;
	struct ike_tunnel *tunnels;
	struct ike_sa *sas;
	unsigned int next_sa_id;
	uint8_t cookie_secret[32];
	size_t frag_max_v4, frag_max_v6;	/* 0: defaults */
	bool no_sighash;		/* tests: behave like a pre-7427 peer */
	uint64_t now_ms;		/* of the entry point running */
	time_t (*wall_now)(void *ctx);	/* certificate validity checks */
	void *wall_ctx;
};

/* ---- engine_log.c ---- */
void elog(struct ike_engine *e, enum ike_log_level lvl,
	  const struct ike_tunnel *t, const struct ike_sa *sa,
	  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define sa_log(sa, lvl, ...) elog((sa)->e, lvl, (sa)->t, sa, __VA_ARGS__)
const char *ike_exch_name(uint8_t exch);
const char *ike_notify_name(uint16_t type);
void ike_addr_str(const struct sockaddr_storage *ss, char *buf, size_t len);
void ike_hex(const uint8_t *p, size_t n, char *buf, size_t len);

/* ---- engine.c ---- */
void ike_sockaddr_set(struct sockaddr_storage *ss, const struct ikevti_addr *a,
		      uint16_t port);
bool ike_sockaddr_is(const struct sockaddr_storage *ss,
		     const struct ikevti_addr *a);
uint16_t ike_sockaddr_port(const struct sockaddr_storage *ss);
void ike_sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port);
void ike_sockaddr_to_addr(const struct sockaddr_storage *ss,
			  struct ikevti_addr *a);
struct ike_tunnel *ike_tunnel_for_path(struct ike_engine *e,
				       const struct ike_path *path);
/* Resolve interface -> ipsec profile -> ikev2 profile, transform sets. */
void ike_tunnel_bind(const struct cfg_model *m, struct ike_tunnel *t);

/* ---- ike_sa.c ---- */
struct ike_sa *ike_sa_new(struct ike_engine *e, struct ike_tunnel *t,
			  bool initiator, const struct ike_path *path);
void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st);
const char *ike_sa_state_name(enum ike_sa_state st);
struct ike_sa *ike_sa_find(struct ike_engine *e, const uint8_t spi_i[8],
			   const uint8_t spi_r[8], bool init_response);
struct ike_sa *ike_sa_find_init(struct ike_engine *e,
				const uint8_t spi_i[8],
				const struct ike_path *path);
/* Remove kernel SAs, mark dead (freed by ike_sa_reap). */
void ike_sa_destroy(struct ike_sa *sa, const char *why);
void ike_sa_reap(struct ike_engine *e);
void ike_sa_free(struct ike_sa *sa);
unsigned int ike_half_open_count(const struct ike_engine *e);
void ike_sk_keys_for(const struct ike_sa *sa, bool from_initiator,
		     struct ike_sk_keys *k);
bool ike_sa_is_we_initiator_of(const struct ike_sa *sa);
/* Restart the tunnel after a failure: plan the next initiation. */
void ike_tunnel_schedule(struct ike_engine *e, struct ike_tunnel *t,
			 bool failure);
size_t ike_tunnel_established(struct ike_engine *e, struct ike_tunnel *t,
			      struct ike_sa **out, size_t max);
void ike_restart_if_childless(struct ike_sa *sa);

/* ---- msg.c ---- */
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
void ike_random(void *p, size_t n);
size_t ike_frag_max(const struct ike_engine *e, const struct ike_sa *sa);

/* ---- retransmit.c ---- */
/* Send a request and keep it for retransmission. */
int ike_request(struct ike_sa *sa, enum ike_req_kind kind, uint8_t exch,
		const struct ike_msg *inner);
void ike_request_done(struct ike_sa *sa);
void ike_retransmit_timer(struct ike_sa *sa, uint64_t now);
uint64_t ike_retransmit_next(const struct ike_sa *sa);
int ike_respond(struct ike_sa *sa, uint8_t exch, uint32_t msg_id,
		const struct ike_msg *inner);
void ike_tasks_run(struct ike_sa *sa);

/* ---- exch_init.c ---- */
int ike_init_start(struct ike_engine *e, struct ike_tunnel *t);
void ike_init_request_in(struct ike_engine *e, const struct ike_path *path,
			 const uint8_t *buf, size_t len,
			 const struct ike_msg *m);
void ike_init_response_in(struct ike_sa *sa, const struct ike_path *path,
			  const uint8_t *buf, size_t len,
			  const struct ike_msg *m);
int ike_local_ike_proposals(struct ike_engine *e, const struct ike_tunnel *t,
			    struct ike_local_proposal *out, size_t max,
			    size_t *n);
void ike_build_sa_payload(const struct ike_local_proposal *lp, size_t n,
			  uint8_t protocol, const uint8_t *spi,
			  uint8_t spi_size, struct ike_sa_payload *sa);
bool ike_selection_offered(const struct ike_sa_payload *offer,
			   const struct ike_sa_payload *answer,
			   uint8_t protocol, struct ike_selection *sel);
void ike_take_certreq(struct ike_sa *sa, const struct ike_msg *m);
int ike_derive_keys(struct ike_sa *sa, const uint8_t *gir, size_t gir_len,
		    const uint8_t *old_sk_d, uint16_t old_prf);

/* ---- exch_auth.c ---- */
void ike_auth_start(struct ike_sa *sa);
void ike_auth_request_in(struct ike_sa *sa, const struct ike_msg *m);
void ike_auth_response_in(struct ike_sa *sa, const struct ike_msg *m);
void ike_established(struct ike_sa *sa);

/* ---- child.c ---- */
void ike_local_esp_proposals(const struct ike_tunnel *t,
			     struct ike_local_proposal *out, size_t *n,
			     bool with_pfs);
/* Derive and install a child SA pair. gir: PFS shared secret or NULL. */
int ike_child_install(struct ike_sa *sa, const struct ike_selection *sel,
		      uint32_t spi_in, uint32_t spi_out, const uint8_t *ni,
		      size_t ni_len, const uint8_t *nr, size_t nr_len,
		      const uint8_t *gir, size_t gir_len, bool initiator,
		      bool switch_tx);
void ike_child_remove(struct ike_sa *sa, struct child_sa *c);
void ike_child_retire(struct ike_sa *sa, struct child_sa *c);
struct child_sa *ike_child_by_spi_in(struct ike_sa *sa, uint32_t spi);
struct child_sa *ike_child_by_spi_out(struct ike_sa *sa, uint32_t spi);
struct child_sa *ike_child_active(struct ike_sa *sa);
void ike_child_timers(struct ike_sa *sa, uint64_t now);
uint64_t ike_child_next(const struct ike_sa *sa);
void ike_ts_all(struct ike_msg *m);
bool ike_ts_acceptable(const struct ike_msg *m);
uint32_t ike_spi_alloc(struct ike_sa *sa);
void ike_child_move(struct ike_sa *from, struct ike_sa *to);

/* ---- exch_child.c ---- */
void ike_child_rekey_start(struct ike_sa *sa, uint32_t spi_in);
void ike_ike_rekey_start(struct ike_sa *sa);
void ike_create_child_request_in(struct ike_sa *sa, const struct ike_msg *m);
void ike_create_child_response_in(struct ike_sa *sa, const struct ike_msg *m);
/* The old IKE SA whose rekey collided with the peer's exchange that
 * made n, while our response is still awaited; else NULL. */
struct ike_sa *ike_rekey_collision_old(struct ike_sa *n);

/* ---- exch_info.c ---- */
void ike_info_request_in(struct ike_sa *sa, const struct ike_msg *m);
void ike_info_response_in(struct ike_sa *sa, const struct ike_msg *m);
void ike_delete_ike_start(struct ike_sa *sa);
void ike_delete_child_start(struct ike_sa *sa, uint32_t spi_in);
void ike_dpd_start(struct ike_sa *sa);
void ike_dpd_timer(struct ike_sa *sa, uint64_t now);
void ike_send_delete_unreliable(struct ike_sa *sa);

#endif /* IKE_ENGINE_INT_H */
