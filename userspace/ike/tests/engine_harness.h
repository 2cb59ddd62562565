/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test harness for the IKEv2 engine: two engines (node 0 "A" and node 1
 * "B") wired together in memory with a fake clock and a fake kernel that
 * records every SA operation. Packets can be dropped, rewritten (a NAT in
 * front of A) or mutated by a hook.
 */
#ifndef IKE_ENGINE_HARNESS_H
#define IKE_ENGINE_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "engine.h"
#include "pki/pki.h"

#define H_MAX_SA 64
#define H_MAX_OPS 4096
#define H_MAX_LOG 4000
#define H_MAX_PKT 4096

struct h_sa {
	bool used;
	struct ikevti_sa_cfg cfg;
	uint64_t packets;
};

enum h_op_kind { H_OP_ALLOC, H_OP_ADD, H_OP_DEL, H_OP_TX };

struct h_op {
	enum h_op_kind kind;
	uint8_t dir;
	uint32_t spi;
};

struct h_node {
	const char *name;
	struct ike_engine *e;
	struct cfg_result cfg;
	struct pki_store *pki;
	struct ike_tunnel_info tinfo;
	struct h_sa sas[H_MAX_SA];
	uint32_t next_spi;
	uint32_t tx_spi;
	struct h_op ops[H_MAX_OPS];
	size_t n_ops;
	char (*log)[600];
	size_t n_log;
	unsigned int sent;
	unsigned int bad_order;	/* outbound added without its inbound */
	unsigned int tx_gaps;	/* tx switched to an SA the peer lacks */
};

struct h_pkt {
	int from;
	struct ike_path path;	/* as the sender gave it */
	uint8_t *buf;
	size_t len;
};

struct h_net;
/* Return false to drop the packet; may change it in place. */
typedef bool (*h_hook)(struct h_net *n, struct h_pkt *p, void *ctx);

struct h_net {
	struct h_node node[2];
	uint64_t now;
	struct h_pkt *q;
	size_t nq;
	unsigned int drop[2];		/* drop the next N sent by node i */
	bool dead[2];			/* everything node i sends is lost */
	bool nat;			/* a NAT in front of node 0 */
	uint16_t nat_base;		/* NAT public port for 500 (+4000) */
	h_hook hook;
	void *hook_ctx;
	unsigned int delivered;
};

/* Both configurations must parse; files of certificates must exist. */
void h_init(struct h_net *n, const char *conf_a, const char *conf_b);
void h_free(struct h_net *n);
/* Bring node i's tunnel up (ike_engine_tunnel_update). */
void h_up(struct h_net *n, int i);
/* Deliver packets and run timers for ms of fake time. */
void h_run(struct h_net *n, uint64_t ms);
/* Deliver what is queued, without running timers. */
void h_flush(struct h_net *n);
/* Count of READY IKE SAs / installed SAs of a node. */
size_t h_ready(struct h_node *x);
size_t h_sa_count(struct h_node *x, uint8_t dir);
struct h_sa *h_find_sa(struct h_node *x, uint8_t dir, uint32_t spi);
/* Every outbound SA of each side has an inbound twin with the same keys
 * on the other side, and the tx SA of each side exists. */
bool h_crosswise(struct h_net *n);
bool h_log_has(struct h_node *x, const char *needle);
void h_log_clear(struct h_node *x);
void h_dump_log(struct h_node *x);
/* Build a configuration (see engine_harness.c for the knobs). */
struct h_conf {
	const char *local, *remote;	/* tunnel source / destination */
	const char *auth_local, *auth_remote;	/* "pre-share", ... */
	const char *psk_local, *psk_remote;	/* NULL: "secret" */
	const char *tp_dir;		/* certificates: dir with files */
	const char *tp_me;		/* "a" or "b": which cert is ours */
	const char *ike_proposal;	/* lines of "crypto ikev2 proposal" */
	const char *transform;		/* transform-set spec */
	const char *pfs;		/* "group19" or NULL */
	const char *dpd;		/* "10 3 periodic" or NULL */
	const char *extra_profile;	/* more profile lines */
	const char *match_remote;	/* NULL: address 0.0.0.0 and ::/0 */
	unsigned int ike_lifetime, child_lifetime;
	const char *child_kb;		/* "disable" or a number */
};
void h_conf_build(const struct h_conf *c, char *out, size_t size);

#endif /* IKE_ENGINE_HARNESS_H */
