/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two engines of the in-memory test harness (userspace/ike/tests/
 * engine_harness.h) brought to a chosen state, for the engine fuzz
 * target and for the generator of its seeds. Node 0 ("A") initiates,
 * node 1 ("B") responds.
 */
#ifndef FUZZ_ENGINE_SETUP_H
#define FUZZ_ENGINE_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine_harness.h"

#define FZ_A_IP "192.0.2.1"
#define FZ_B_IP "198.51.100.2"

enum fz_conf {
	FZ_V2_PSK,		/* IKEv2, pre-shared keys */
	FZ_V2_RSA,		/* IKEv2, RSA certificates, fragmentation */
	FZ_V1_PSK,		/* no "set ikev2-profile": IKEv1 */
	FZ_N_CONFS,
};

enum fz_state {
	FZ_BEFORE,		/* B up, nothing received yet */
	FZ_INIT_SENT,		/* A's first message out, no answer */
	FZ_HALF_OPEN,		/* B answered the first exchange, no more */
	FZ_ESTABLISHED,		/* both READY */
	FZ_REKEYING,		/* A's CREATE_CHILD_SA request unanswered */
	FZ_N_STATES,
};

struct fz_net {
	struct h_net *n;
	enum fz_conf conf;
	enum fz_state state;	/* what was reached (see fz_net_new) */
};

/*
 * A new pair in state s. A state the configuration cannot reach yet
 * (IKEv1 while its engine is not there) falls back to FZ_BEFORE, which
 * every configuration has; net->state says which one was reached.
 * Certificates (FZ_V2_RSA) are made once, in a temporary folder that
 * fz_cleanup removes.
 */
void fz_net_new(struct fz_net *net, enum fz_conf c, enum fz_state s);
void fz_net_free(struct fz_net *net);
/* Still in the state it was brought to? */
bool fz_net_intact(const struct fz_net *net);
/* The IKE SA of node i that the state is about (NULL: none). */
struct ike_sa *fz_sa(const struct fz_net *net, int i);
/* Drop everything queued between the nodes. */
void fz_drain(struct h_net *n);
void fz_cleanup(void);

extern const char *const fz_state_names[FZ_N_STATES];
extern const char *const fz_conf_names[FZ_N_CONFS];

#endif /* FUZZ_ENGINE_SETUP_H */
