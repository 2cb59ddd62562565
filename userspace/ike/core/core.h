/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core: the objects of the engine that both IKE versions share, and the
 * functions of the version-neutral core (the files of core/). Nothing
 * here is part of the contract with the daemon (engine.h is).
 *
 * Ownership: the engine owns a list of tunnels (one per configured and
 * present ikevti device) and a list of IKE SAs; an IKE SA points at its
 * tunnel and owns its child SAs. Freeing is deferred to the end of every
 * entry point (sa->dead), so no handler ever runs on a freed SA.
 *
 * Layers (userspace/ike/README.md): core depends on config/, pki/ and
 * crypto/ only. Each IKE version is reached through its struct
 * ike_version (the table below, as OpenBSD iked keeps one at its
 * boundary): core/engine.c demultiplexes datagrams on the ISAKMP
 * header's major version and calls the table; a version's files call
 * the core, never the other way round except through the table.
 */
#ifndef IKE_CORE_H
#define IKE_CORE_H

#include <stdarg.h>
#include <time.h>

#include "crypto/dh.h"
#include "engine.h"
#include "ikev2/ikev2_const.h"
#include "ikev1/ikev1_sa.h"
#include "ikev2/ikev2_sa.h"
#include "ikev2/proposal.h"

#define IKE_NONCE_LEN 32		/* ours; RFC 7296 2.10: >= prf/2 */
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
struct ike_tunnel;

/* The lifecycle both versions share; each version logs its own finer
 * states (IKEv2 exchanges, IKEv1 MM1..MM6) on top of it. */
enum ike_sa_state {
	IKE_ST_INIT_SENT,	/* initiator: first exchange under way */
	IKE_ST_INIT_DONE,	/* responder: half-open, not authenticated */
	IKE_ST_AUTH_SENT,	/* initiator: authentication under way */
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
	bool initiated;			/* we started the exchange that made it */
};

/* Work that waits for the exchange window (one request at a time). */
#define TASK_REKEY_CHILD	(1u << 0)
#define TASK_REKEY_IKE		(1u << 1)
#define TASK_DPD		(1u << 2)
#define TASK_DELETE_IKE		(1u << 3)
#define TASK_DELETE_CHILD	(1u << 4)

/*
 * One IKE version, as the core sees it. Every entry is required.
 */
struct ike_version {
	const char *name;		/* "IKEv2", for logs */
	uint8_t major;			/* ISAKMP header major version */
	/* A datagram whose header says this version. */
	void (*input)(struct ike_engine *e, const struct ike_path *path,
		      const uint8_t *msg, size_t len);
	/* Start a new IKE SA for tunnel t as initiator. 0 or -errno. */
	int (*initiate)(struct ike_engine *e, struct ike_tunnel *t);
	/* Retransmissions, DPD and the version's own deadlines. */
	void (*timers)(struct ike_sa *sa, uint64_t now);
	uint64_t (*next_timer)(const struct ike_sa *sa);
	/* Start the next TASK_* if the exchange window is free. */
	void (*run_tasks)(struct ike_sa *sa);
	/* Tell the peer the IKE SA is going, without waiting for it. */
	void (*delete_unreliable)(struct ike_sa *sa);
	/* The version's part of "show crypto ... sa". */
	void (*status)(const struct ike_sa *sa, struct ike_sa_status *o);
	/* Before the kernel SAs go: release what only the version knows
	 * (inbound SPIs reserved for children not yet installed). */
	void (*release)(struct ike_sa *sa);
	/* Behind a NAT: how often the kernel refreshes the mapping. */
	uint32_t (*nat_keepalive_s)(const struct ike_sa *sa);
	/* Free and wipe the version's part of sa. */
	void (*free)(struct ike_sa *sa);
	/* reload: do the version's settings of tunnel t (profile,
	 * keyring, proposals, trustpoints) differ between om/op (old)
	 * and the engine's current model and pki? */
	bool (*config_same)(struct ike_engine *e, const struct cfg_model *om,
			    const struct pki_store *op,
			    const struct ike_tunnel *old,
			    const struct ike_tunnel *t);
};

extern const struct ike_version ikev2_version, ikev1_version;

struct ike_tunnel {
	struct ike_tunnel *next;
	struct ike_tunnel_info info;
	const struct ike_version *v;	/* NULL: not negotiating */
	const struct cfg_interface *ifc;
	const struct cfg_ipsec_profile *ipp;
	const struct cfg_ikev2_profile *prof;	/* IKEv2 */
	const struct cfg_isakmp_profile *v1prof; /* IKEv1; NULL: global */
	const struct cfg_transform_set *ts[6];	/* of ipp, resolved */
	bool present;			/* the device exists */
	uint64_t initiate_at_ms;	/* 0: no initiation planned */
	uint64_t backoff_ms;
	uint32_t tx_spi;		/* outbound SPI transmitting now */
};

/*
 * The IKE SA base object, shared by both versions: where it belongs
 * (tunnel), its lifecycle state, the SPIs (IKEv1 cookies), the path, the
 * negotiated algorithms, nonces and DH, identities for show, the child
 * SAs, lifetimes and the work waiting for its exchange window. What
 * only one version needs lives in its part of the union (v2 or v1).
 */
struct ike_sa {
	struct ike_sa *next;
	struct ike_engine *e;
	struct ike_tunnel *t;
	const struct ike_version *v;	/* the IKE version that runs it */
	unsigned int id;		/* IOS "SA ID" / Tunnel-id / conn-id */
	bool initiator;			/* original initiator of this SA */
	bool dead;			/* free at the end of the entry point */
	bool replaced;			/* rekeyed: its successor took over */
	enum ike_sa_state state;
	uint8_t spi_i[8], spi_r[8];	/* IKEv1: CKY-I, CKY-R */
	struct ike_path path;
	bool nat_local, nat_remote;	/* NAT in front of us / of them */
	bool natt;			/* moved to 4500 */
	uint64_t created_ms, established_ms;
	uint64_t last_rx_ms;		/* last authenticated message */

	struct ike_selection sel;	/* encr, prf (IKEv1: hash), integ, dh */
	struct ike_dh *dh;
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;

	uint8_t auth_local, auth_remote;	/* methods used */
	char local_id[IKE_ID_STR_MAX], remote_id[IKE_ID_STR_MAX];

	unsigned int tasks;		/* TASK_* waiting for the window */
	uint32_t task_child_spi;	/* TASK_REKEY_CHILD: inbound SPI */
	uint32_t task_delete_spi;	/* TASK_DELETE_CHILD: inbound SPI */

	/* lifetimes and liveness */
	uint64_t rekey_at_ms;		/* IKE SA soft lifetime */
	uint64_t dpd_at_ms;
	uint64_t dpd_in_packets;	/* on-demand: inbound count seen */
	uint64_t dup_deadline_ms;	/* duplicate SA: fallback delete */

	struct child_sa child[IKE_CHILD_MAX];

	union {
		struct ikev2_sa_state v2;
		struct ikev1_sa_state v1;
	};
};

#define IKE_N_VERSIONS 2

struct ike_engine {
	struct ike_engine_ops ops;
	/* The versions, reached only through their tables: ikev2 (and
	 * ikev1) point into versions[]. Set by ike_engine_new, the one
	 * place that names them, so no file below it depends on one. */
	const struct ike_version *versions[IKE_N_VERSIONS];
	const struct ike_version *ikev2, *ikev1;
	const struct cfg_model *model;
	const struct pki_store *pki;
	enum ike_log_level log_level;
	struct ike_tunnel *tunnels;
	struct ike_sa *sas;
	unsigned int next_sa_id;
	uint8_t cookie_secret[32];
	size_t frag_max_v4, frag_max_v6;	/* 0: defaults */
	bool no_sighash;		/* tests: behave like a pre-7427 peer */
	bool passive;			/* tests: answer, never initiate */
	uint64_t now_ms;		/* of the entry point running */
	time_t (*wall_now)(void *ctx);	/* certificate validity checks */
	void *wall_ctx;
};

/* ---- core/log.c ---- */
void elog(struct ike_engine *e, enum ike_log_level lvl,
	  const struct ike_tunnel *t, const struct ike_sa *sa,
	  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define sa_log(sa, lvl, ...) elog((sa)->e, lvl, (sa)->t, sa, __VA_ARGS__)
const char *ike_exch_name(uint8_t exch);
const char *ike_notify_name(uint16_t type);
void ike_addr_str(const struct sockaddr_storage *ss, char *buf, size_t len);
void ike_hex(const uint8_t *p, size_t n, char *buf, size_t len);

/* ---- core/sockaddr.c ---- */
void ike_sockaddr_set(struct sockaddr_storage *ss, const struct ikevti_addr *a,
		      uint16_t port);
bool ike_sockaddr_is(const struct sockaddr_storage *ss,
		     const struct ikevti_addr *a);
uint16_t ike_sockaddr_port(const struct sockaddr_storage *ss);
void ike_sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port);
void ike_sockaddr_to_addr(const struct sockaddr_storage *ss,
			  struct ikevti_addr *a);
bool ike_path_same(const struct ike_path *a, const struct ike_path *b);
void ike_random(void *p, size_t n);

/* ---- core/send.c ---- */
int ike_send_datagram(struct ike_engine *e, const struct ike_path *path,
		      const uint8_t *buf, size_t len);
/* Largest message (no IP/UDP header, no non-ESP marker) that the path
 * of sa carries whole: the route's MTU, else 576 / 1280 (RFC 7383
 * 2.5.1); ike_engine_set_frag_max overrides. */
size_t ike_frag_max(const struct ike_engine *e, const struct ike_sa *sa);

/* ---- core/tunnel.c ---- */
struct ike_tunnel *ike_tunnel_by_ifindex(struct ike_engine *e,
					 uint32_t ifindex);
struct ike_tunnel *ike_tunnel_for_path(struct ike_engine *e,
				       const struct ike_path *path);
/* Resolve interface -> ipsec profile -> IKE profile and version,
 * transform sets. */
void ike_tunnel_bind(const struct ike_engine *e, const struct cfg_model *m,
		     struct ike_tunnel *t);
/* Plan the next initiation (after a failure: with back-off). */
void ike_tunnel_schedule(struct ike_engine *e, struct ike_tunnel *t,
			 bool failure);
size_t ike_tunnel_established(struct ike_engine *e, struct ike_tunnel *t,
			      struct ike_sa **out, size_t max);
bool ike_tunnel_busy(struct ike_engine *e, const struct ike_tunnel *t);

/* ---- core/ike_sa.c ---- */
struct ike_sa *ike_sa_new(struct ike_engine *e, struct ike_tunnel *t,
			  const struct ike_version *v, bool initiator,
			  const struct ike_path *path);
void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st);
const char *ike_sa_state_name(enum ike_sa_state st);
struct ike_sa *ike_sa_find(struct ike_engine *e, const uint8_t spi_i[8],
			   const uint8_t spi_r[8], bool init_response);
struct ike_sa *ike_sa_find_init(struct ike_engine *e,
				const uint8_t spi_i[8],
				const struct ike_path *path);
/* Remove kernel SAs, mark dead (freed by ike_sa_reap). */
void ike_sa_destroy(struct ike_sa *sa, const char *why);
/* Every IKE SA of tunnel t, telling the peer first when asked. */
void ike_sa_destroy_tunnel(struct ike_engine *e, struct ike_tunnel *t,
			   bool tell_peer, const char *why);
void ike_sa_reap(struct ike_engine *e);
void ike_sa_free(struct ike_sa *sa);
unsigned int ike_half_open_count(const struct ike_engine *e);
/* Established: lifetimes (rekey at 85..90 %), DPD, the back-off reset. */
void ike_sa_established(struct ike_sa *sa, uint32_t lifetime_s,
			uint32_t dpd_interval_s);
void ike_restart_if_childless(struct ike_sa *sa);
/* DPD (both versions): at each interval, has the peer been silent for
 * a whole one? On demand, inbound ESP counts as a sign of life; periodic
 * checks go by authenticated IKE messages alone. */
bool ike_dpd_due(struct ike_sa *sa, uint64_t now, uint32_t interval_s,
		 bool periodic);
/* Start the queued TASK_* of every SA whose window is free (end of
 * every entry point). */
void ike_run_pending_tasks(struct ike_engine *e);

/* ---- core/child_sa.c: one installation path for both versions ---- */
void ike_local_esp_proposals(const struct ike_tunnel *t,
			     struct ike_local_proposal *out, size_t *n,
			     bool with_pfs);
/* Key bytes one direction of the selection needs (key | salt | integ). */
size_t ike_child_keymat_len(const struct ike_selection *sel);
/*
 * Install a child SA pair from its keying material: km_in and km_out are
 * ike_child_keymat_len() bytes each (the version derived them). Inbound
 * first, then outbound, then transmission (unless a rekey responder
 * must wait, switch_tx false); lifetimes; NAT encapsulation.
 */
int ike_child_install(struct ike_sa *sa, const struct ike_selection *sel,
		      uint32_t spi_in, uint32_t spi_out, const uint8_t *km_in,
		      const uint8_t *km_out, uint16_t pfs_group,
		      bool switch_tx);
void ike_child_remove(struct ike_sa *sa, struct child_sa *c);
void ike_child_retire(struct ike_sa *sa, struct child_sa *c);
struct child_sa *ike_child_by_spi_in(struct ike_sa *sa, uint32_t spi);
struct child_sa *ike_child_by_spi_out(struct ike_sa *sa, uint32_t spi);
struct child_sa *ike_child_active(struct ike_sa *sa);
void ike_child_timers(struct ike_sa *sa, uint64_t now);
uint64_t ike_child_next(const struct ike_sa *sa);
uint32_t ike_spi_alloc(struct ike_sa *sa);
void ike_child_move(struct ike_sa *from, struct ike_sa *to);

/* ---- core/identity.c ---- */
void ike_id_str(uint8_t type, const uint8_t *data, size_t len, char *buf,
		size_t size);
bool ike_id_matches(const struct cfg_identity *want, uint8_t type,
		    const uint8_t *data, size_t len);
/* An address ID (type IPV4/IPV6_ADDR) within the prefix net. */
bool ike_addr_in_prefix(const struct cfg_addr *net, uint8_t type,
			const uint8_t *data, size_t len);

/* ---- core/util.c ---- */
/* Compare two configuration objects of size bytes after blank() has
 * cleared what does not count (source locations); NULLs compare equal
 * only to NULL. */
bool ike_cfg_same(const void *a, const void *b, size_t size,
		  void (*blank)(void *));

#endif /* IKE_CORE_H */
