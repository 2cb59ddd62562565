// SPDX-License-Identifier: GPL-2.0
/*
 * Fake IKE engine (and configuration loader) for the daemon's unit tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_engine.h"

struct fake_engine_log fake_engine;
struct ike_sa_status fake_ike_sas[4];
size_t fake_n_ike_sas;
struct ike_child_status fake_child_sas[4];
size_t fake_n_child_sas;

struct ike_engine {
	int unused;
};

struct ike_engine *ike_engine_new(const struct ike_engine_ops *ops,
				  const struct cfg_model *model,
				  const struct pki_store *pki)
{
	(void)ops;
	(void)model;
	(void)pki;
	return calloc(1, sizeof(struct ike_engine));
}

void ike_engine_reload(struct ike_engine *e, const struct cfg_model *model,
		       const struct pki_store *pki, uint64_t now_ms)
{
	(void)e;
	(void)model;
	(void)pki;
	(void)now_ms;
	fake_engine.reloads++;
}

void ike_engine_free(struct ike_engine *e)
{
	free(e);
}

void ike_engine_shutdown(struct ike_engine *e, uint64_t now_ms)
{
	(void)e;
	(void)now_ms;
}

void ike_engine_tunnel_update(struct ike_engine *e,
			      const struct ike_tunnel_info *t, uint64_t now_ms)
{
	(void)e;
	(void)now_ms;
	fake_engine.updates++;
	fake_engine.last_tunnel = *t;
}

void ike_engine_tunnel_gone(struct ike_engine *e, uint32_t ifindex,
			    uint64_t now_ms)
{
	(void)e;
	(void)now_ms;
	fake_engine.gones++;
	fake_engine.last_ifindex = ifindex;
}

void ike_engine_input(struct ike_engine *e, const struct ike_path *path,
		      const uint8_t *msg, size_t len, uint64_t now_ms)
{
	(void)e;
	(void)path;
	(void)msg;
	(void)now_ms;
	fake_engine.inputs++;
	fake_engine.last_len = len;
}

void ike_engine_kernel_event(struct ike_engine *e,
			     const struct ike_kernel_event_info *ev,
			     uint64_t now_ms)
{
	(void)e;
	(void)now_ms;
	fake_engine.kernel_events++;
	fake_engine.last_event = *ev;
}

void ike_engine_run_timers(struct ike_engine *e, uint64_t now_ms)
{
	(void)e;
	(void)now_ms;
}

uint64_t ike_engine_next_timer(const struct ike_engine *e)
{
	(void)e;
	return UINT64_MAX;
}

void ike_engine_clear(struct ike_engine *e, uint32_t ifindex,
		      uint64_t now_ms)
{
	(void)e;
	(void)now_ms;
	fake_engine.clears++;
	fake_engine.last_ifindex = ifindex;
}

int ike_engine_initiate(struct ike_engine *e, uint32_t ifindex,
			uint64_t now_ms)
{
	(void)e;
	(void)ifindex;
	(void)now_ms;
	return 0;
}

void ike_engine_set_log_level(struct ike_engine *e, enum ike_log_level lvl)
{
	(void)e;
	fake_engine.level = lvl;
}

size_t ike_engine_ike_sas(const struct ike_engine *e,
			  struct ike_sa_status *out, size_t max)
{
	size_t i;

	(void)e;
	for (i = 0; i < fake_n_ike_sas && i < max; i++)
		out[i] = fake_ike_sas[i];
	return fake_n_ike_sas;
}

size_t ike_engine_child_sas(const struct ike_engine *e,
			    struct ike_child_status *out, size_t max)
{
	size_t i;

	(void)e;
	for (i = 0; i < fake_n_child_sas && i < max; i++)
		out[i] = fake_child_sas[i];
	return fake_n_child_sas;
}

/* ---- the configuration and trustpoint loader, never called here ----
 * (left out with -DFAKE_ENGINE_ONLY, to run the daemon with the real
 * loader and a fake engine by hand). */
#ifndef FAKE_ENGINE_ONLY

int cfg_parse_file(const char *path, struct cfg_result *res)
{
	(void)path;
	memset(res, 0, sizeof(*res));
	res->n_errors = 1;
	return -1;
}

void cfg_format_diag(const struct cfg_result *res, size_t i, char *buf,
		     size_t size)
{
	(void)res;
	(void)i;
	snprintf(buf, size, "fake:0:0: error: fake");
}

void cfg_result_free(struct cfg_result *res)
{
	(void)res;
}

int pki_store_load(const struct cfg_model *m, struct pki_store **out,
		   char *err, size_t err_len)
{
	(void)m;
	*out = NULL;
	snprintf(err, err_len, "fake");
	return -1;
}

void pki_store_free(struct pki_store *s)
{
	(void)s;
}
#endif /* FAKE_ENGINE_ONLY */

/* show crypto isakmp policy lists these; the fake has none. */
const struct cfg_isakmp_policy *cfg_isakmp_default_policies(size_t *n)
{
	*n = 0;
	return NULL;
}
