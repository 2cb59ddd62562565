/* SPDX-License-Identifier: GPL-2.0 */
/*
 * engine: the IKEv2 protocol engine of ikevtid, sans I/O (architecture.md,
 * decision 3).
 *
 * The engine owns every IKE SA and child SA of one network namespace. It
 * never touches a socket, a clock or netlink: the daemon feeds it
 * datagrams, device changes, kernel events and the time, and the engine
 * acts through the callbacks of struct ike_engine_ops (send a datagram,
 * allocate an SPI, install/remove/switch kernel SAs, read SA counters,
 * log). Tests pass callbacks that record what happens and wire two
 * engines together in memory; the daemon passes callbacks that do I/O.
 *
 * Time is a monotonic clock in milliseconds, given by the caller on every
 * entry point. After any call the daemon asks ike_engine_next_timer()
 * when to call ike_engine_run_timers() next.
 *
 * One tunnel = one ikevti device with a configured "interface ikevtiN"
 * that has "tunnel protection ipsec profile P". Route-based, like an IOS
 * VTI: traffic selectors are 0.0.0.0/0 and ::/0, one IKE SA and one child
 * SA pair per tunnel, plus the overlapping pair while rekeying.
 *
 * This header is the contract between the engine (userspace/ike) and the
 * daemon (userspace/ikevtid). Add to it; do not change what is here
 * without changing both sides.
 */
#ifndef IKE_ENGINE_H
#define IKE_ENGINE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "config/config.h"
#include "pki/pki.h"
#include "ikevti_sa.h"		/* struct ikevti_sa_cfg, ikevti_addr, stats */

#define IKE_PORT 500
#define IKE_NATT_PORT 4500

/*
 * Where a datagram goes or came from: our address and port (500 or 4500),
 * the peer's address and port. Datagrams given to and taken from the
 * engine never carry the 4-byte non-ESP marker: the daemon strips it on
 * receive from port 4500 and adds it when sending from port 4500.
 */
struct ike_path {
	struct sockaddr_storage local;
	struct sockaddr_storage remote;
};

enum ike_log_level {
	IKE_LOG_ERR = 3,	/* syslog numbering, for journald "<N>" */
	IKE_LOG_WARNING = 4,
	IKE_LOG_NOTICE = 5,
	IKE_LOG_INFO = 6,
	IKE_LOG_DEBUG = 7,	/* IOS "debug crypto ikev2" vocabulary */
};

/* An IKE SA's protection keys (ike_engine_ops.ike_keys). IKEv2: SK_e
 * (with the 4-byte salt for AES-GCM) and SK_a (none with GCM) of each
 * direction, algorithms as IKEv2 IANA numbers. IKEv1: the phase-1
 * encryption key, with spi_i the initiator cookie. */
struct ike_keys_info {
	uint8_t version;		/* 1 or 2 */
	uint8_t spi_i[8], spi_r[8];
	uint16_t encr, encr_bits, integ;
	const uint8_t *sk_ei, *sk_er, *sk_ai, *sk_ar;
	size_t sk_e_len, sk_a_len;
	const uint8_t *enc_key;		/* IKEv1 */
	size_t enc_len;
};

struct ike_engine_ops {
	void *ctx;
	/* Send one IKE message. 0, or a negative errno (logged, retried). */
	int (*send)(void *ctx, const struct ike_path *path,
		    const uint8_t *msg, size_t len);
	/* Reserve an unused inbound SPI on the device (module SPI_ALLOC). */
	int (*spi_alloc)(void *ctx, uint32_t ifindex, uint32_t *spi);
	/*
	 * Install one SA. The engine installs the inbound SA first, then
	 * the outbound one, then switches transmission with sa_set_tx, so
	 * no packet is sent that the peer cannot yet receive and an
	 * outbound SA never exists without its inbound partner. On failure
	 * err says why (the module's extack message).
	 */
	int (*sa_add)(void *ctx, uint32_t ifindex,
		      const struct ikevti_sa_cfg *cfg, char *err,
		      size_t errlen);
	int (*sa_del)(void *ctx, uint32_t ifindex, uint8_t dir, uint32_t spi);
	int (*sa_set_tx)(void *ctx, uint32_t ifindex, uint32_t spi);
	/* Counters of one kernel SA (DPD on demand, show). 0 or -errno. */
	int (*sa_stats)(void *ctx, uint32_t ifindex, uint8_t dir,
			uint32_t spi, struct ikevti_stats *st);
	/*
	 * Optional (may be NULL): the MTU of the route to path->remote, as
	 * the kernel knows it (PMTU cache included), or 0 when unknown.
	 * Messages that fit are never fragmented (RFC 7383 2.5.1).
	 */
	unsigned int (*path_mtu)(void *ctx, const struct ike_path *path);
	/* One log record, no trailing newline. */
	void (*log)(void *ctx, enum ike_log_level level, const char *msg);
	/*
	 * Optional (may be NULL): the keys of each new IKE SA, for the
	 * opt-in export to Wireshark's decryption tables (ikevtid -K).
	 * Pointers are valid during the call only.
	 */
	void (*ike_keys)(void *ctx, const struct ike_keys_info *k);
};

struct ike_engine;

/*
 * A new engine over a parsed configuration and its loaded trustpoints.
 * The engine keeps pointers to model and pki until they are replaced by
 * ike_engine_reload() or the engine is freed; the caller frees them after
 * that (the cfg_result and pki_store stay the caller's).
 */
struct ike_engine *ike_engine_new(const struct ike_engine_ops *ops,
				  const struct cfg_model *model,
				  const struct pki_store *pki);

/*
 * Apply a new configuration. Tunnels whose configuration (interface,
 * ipsec profile, ikev2 profile, proposals, keyring entries, trustpoints
 * in use) did not change keep their SAs; the others are torn down and
 * set up again. After it returns the old model and pki are no longer
 * used.
 */
void ike_engine_reload(struct ike_engine *e, const struct cfg_model *model,
		       const struct pki_store *pki, uint64_t now_ms);

/* Send Delete for every IKE SA and remove every kernel SA; then call
 * ike_engine_free(). */
void ike_engine_shutdown(struct ike_engine *e, uint64_t now_ms);
void ike_engine_free(struct ike_engine *e);

/* An ikevti device as rtnetlink shows it. */
struct ike_tunnel_info {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	struct ikevti_addr local, remote;	/* the link's endpoints */
	bool up;				/* IFF_UP */
};

/*
 * A device appeared or changed (address, name, up/down). A configured
 * device that is up starts negotiating as initiator (after a short random
 * delay, so that two gateways starting together rarely collide); the
 * engine also answers for it as responder. A device that goes down keeps
 * nothing: its SAs are deleted.
 */
void ike_engine_tunnel_update(struct ike_engine *e,
			      const struct ike_tunnel_info *t,
			      uint64_t now_ms);
void ike_engine_tunnel_gone(struct ike_engine *e, uint32_t ifindex,
			    uint64_t now_ms);

/* One datagram received (marker already stripped on port 4500). */
void ike_engine_input(struct ike_engine *e, const struct ike_path *path,
		      const uint8_t *msg, size_t len, uint64_t now_ms);

/* Kernel events (see include/uapi/linux/ikevti.h). */
enum ike_kernel_event {
	IKE_KEV_SOFT_EXPIRE,	/* rekey the child SA that owns spi */
	IKE_KEV_HARD_EXPIRE,	/* the SA is dead: delete it */
	IKE_KEV_ACQUIRE,	/* traffic but no outbound SA: initiate */
	IKE_KEV_NEW_MAPPING,	/* peer moved (NAT): update the IKE path */
};

struct ike_kernel_event_info {
	enum ike_kernel_event type;
	uint32_t ifindex;
	uint8_t dir;
	uint32_t spi;
	struct ikevti_addr remote;	/* NEW_MAPPING */
	uint16_t remote_port;		/* NEW_MAPPING */
};

void ike_engine_kernel_event(struct ike_engine *e,
			     const struct ike_kernel_event_info *ev,
			     uint64_t now_ms);

/* Run what is due. */
void ike_engine_run_timers(struct ike_engine *e, uint64_t now_ms);
/* When to call ike_engine_run_timers() next; UINT64_MAX when never. */
uint64_t ike_engine_next_timer(const struct ike_engine *e);

/* ikevtictl "clear crypto session [interface NAME]" (ifindex 0: all). */
void ike_engine_clear(struct ike_engine *e, uint32_t ifindex,
		      uint64_t now_ms);
/* Start negotiating now if the tunnel has no IKE SA (ikevtictl up). */
int ike_engine_initiate(struct ike_engine *e, uint32_t ifindex,
			uint64_t now_ms);

/* Verbosity of the engine's log: records above it are not produced. */
void ike_engine_set_log_level(struct ike_engine *e, enum ike_log_level lvl);

/*
 * Wall-clock time for certificate validity checks (the only use of
 * calendar time). Default: time(NULL). Tests pass a fixed clock.
 */
void ike_engine_set_wall_clock(struct ike_engine *e,
			       time_t (*now)(void *ctx), void *ctx);

/*
 * Largest IKE message (bytes, without IP/UDP headers or the non-ESP
 * marker) before RFC 7383 fragmentation is used, when the peer supports
 * it. Overrides ops->path_mtu. 0 keeps the default: the path MTU from
 * ops->path_mtu, else 576 (IPv4) / 1280 (IPv6) minus the headers (RFC
 * 7383 2.5.1, the sizes every path carries).
 */
void ike_engine_set_frag_max(struct ike_engine *e, size_t v4, size_t v6);

/* ---- status, for ikevtictl "show crypto ikev2 sa" / "ipsec sa" ---- */

#define IKE_ID_STR_MAX 256

struct ike_sa_status {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	char profile[CFG_NAME_MAX];	/* ikev2 profile */
	unsigned int tunnel_id;		/* IOS "Tunnel-id": stable, from 1 */
	bool initiator;
	uint64_t spi_i, spi_r;
	struct ike_path path;		/* current addresses and ports */
	bool nat_local, nat_remote;	/* NAT detected in front of us/them */
	const char *state;		/* "READY", "IN-NEG", "DELETE" */
	uint16_t encr, encr_bits, prf, integ, dh;	/* IANA numbers */
	uint8_t auth_local, auth_remote;	/* IKEv2 auth methods */
	char local_id[IKE_ID_STR_MAX];
	char remote_id[IKE_ID_STR_MAX];
	uint32_t lifetime_s;
	uint64_t active_ms;		/* time since established */
	uint32_t next_msgid_out, next_msgid_in;
	bool fragmentation;		/* RFC 7383 / IKEv1 FRAG negotiated */
	unsigned int n_children;
	uint8_t ike_version;		/* 1 or 2 */
	/* IKEv1: "show crypto isakmp sa" (MM_NO_STATE, MM_SA_SETUP,
	 * MM_KEY_EXCH, AG_INIT_EXCH, QM_IDLE), the phase-1 auth method
	 * (IKEV1_AUTH_*), whether DPD and NAT-T are in use. */
	char isakmp_state[16];
	uint16_t v1_auth;
	bool dpd, natt;
};

struct ike_child_status {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	unsigned int tunnel_id;		/* the IKE SA it belongs to */
	uint32_t spi_in, spi_out;
	uint16_t encr, encr_bits, integ;	/* ESP IANA numbers */
	bool esn;
	uint16_t pfs_group;		/* 0: none */
	bool encap;			/* UDP-encapsulated (NAT-T) */
	const char *state;		/* "ACTIVE", "REKEYING", "REKEYED" */
	uint32_t lifetime_s;
	uint64_t lifetime_kb;		/* 0: none */
	uint64_t active_ms;
};

/* Fill at most max entries; return how many exist (may exceed max). */
size_t ike_engine_ike_sas(const struct ike_engine *e,
			  struct ike_sa_status *out, size_t max);
size_t ike_engine_child_sas(const struct ike_engine *e,
			    struct ike_child_status *out, size_t max);

#endif /* IKE_ENGINE_H */
