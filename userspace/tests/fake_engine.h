/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for the IKE engine (engine.h) in the daemon's unit tests:
 * it records what the daemon asks and returns canned status.
 */
#ifndef FAKE_ENGINE_H
#define FAKE_ENGINE_H

#include "engine.h"

struct fake_engine_log {
	unsigned inputs, updates, gones, kernel_events, clears, reloads;
	uint32_t last_ifindex;
	size_t last_len;
	struct ike_tunnel_info last_tunnel;
	struct ike_kernel_event_info last_event;
	enum ike_log_level level;
};

extern struct fake_engine_log fake_engine;
/* Status the fake returns from ike_engine_ike_sas / _child_sas. */
extern struct ike_sa_status fake_ike_sas[4];
extern size_t fake_n_ike_sas;
extern struct ike_child_status fake_child_sas[4];
extern size_t fake_n_child_sas;

#endif /* FAKE_ENGINE_H */
