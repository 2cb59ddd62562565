/* SPDX-License-Identifier: GPL-2.0 */
/*
 * engine_test: hooks for the engine's tests (core/testing.c), beside the
 * contract of engine.h. They let a test make the engine do now what it
 * would otherwise do on a timer or a kernel event, and behave like an
 * older peer. The daemon never calls them.
 */
#ifndef IKE_ENGINE_TEST_H
#define IKE_ENGINE_TEST_H

#include "engine.h"

enum ike_test_task {
	IKE_TEST_REKEY_IKE,
	IKE_TEST_REKEY_CHILD,
	IKE_TEST_DELETE_CHILD,	/* the active child SA */
	IKE_TEST_DPD,
};

/* Queue the task on the first established IKE SA and start it now if
 * its exchange window is free. 0, or -ENOENT without such an SA. */
int ike_test_task(struct ike_engine *e, enum ike_test_task task,
		  uint64_t now_ms);
/* A new IKE SA on the first tunnel, even while one is up (a peer that
 * reauthenticates make-before-break). 0 or -errno. */
int ike_test_initiate_again(struct ike_engine *e, uint64_t now_ms);
/* The first tunnel's current back-off (0: none). */
uint64_t ike_test_backoff_ms(const struct ike_engine *e);
/* Behave like a peer without RFC 7427 (no SIGNATURE_HASH_ALGORITHMS). */
void ike_test_no_sighash(struct ike_engine *e, bool on);
/* Only answer: never start a negotiation (a responder-only peer). */
void ike_test_passive(struct ike_engine *e, bool on);
/* The callbacks the engine was made with. */
const struct ike_engine_ops *ike_test_ops(const struct ike_engine *e);

#endif /* IKE_ENGINE_TEST_H */
