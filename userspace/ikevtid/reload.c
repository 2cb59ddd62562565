// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid configuration: load at start, reload on SIGHUP or "reload".
 *
 * A reload builds a complete new model and trustpoint store first; only
 * when both load without error is it handed to the engine, which keeps
 * the tunnels whose configuration did not change. On any error the old
 * configuration stays in use: a typo must not take a gateway down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikevtid.h"
#include "log.h"
#include "notify.h"
#include "tunnels.h"

static void report(FILE *diag, bool log, enum ike_log_level lvl,
		   const char *line)
{
	if (diag)
		fprintf(diag, "%s\n", line);
	if (log)
		log_msg(lvl, "%s", line);
}

/* Every diagnostic of a parse, errors and warnings, in file order. */
static void report_diags(const struct cfg_result *res, FILE *diag, bool log)
{
	char line[512];
	size_t i, shown_err = 0;

	for (i = 0; i < res->n_diags; i++) {
		bool err = res->diags[i].severity == CFG_ERROR;

		cfg_format_diag(res, i, line, sizeof(line));
		report(diag, log, err ? IKE_LOG_ERR : IKE_LOG_WARNING, line);
		shown_err += err;
	}
	if (res->n_errors > shown_err) {
		snprintf(line, sizeof(line), "%s: %zu more errors not shown",
			 res->file ? res->file : "?",
			 res->n_errors - shown_err);
		report(diag, log, IKE_LOG_ERR, line);
	}
}

int config_load(const char *path, struct cfg_result **out,
		struct pki_store **pki, FILE *diag, bool log)
{
	struct cfg_result *res = calloc(1, sizeof(*res));
	char err[512], line[700];

	*out = NULL;
	*pki = NULL;
	if (!res) {
		report(diag, log, IKE_LOG_ERR, "out of memory");
		return -1;
	}
	cfg_parse_file(path, res);
	report_diags(res, diag, log);
	if (res->n_errors || !res->model) {
		cfg_result_free(res);
		free(res);
		return -1;
	}
	if (pki_store_load(res->model, pki, err, sizeof(err))) {
		snprintf(line, sizeof(line), "%s: error: %s", path, err);
		report(diag, log, IKE_LOG_ERR, line);
		cfg_result_free(res);
		free(res);
		*pki = NULL;
		return -1;
	}
	*out = res;
	return 0;
}

void config_free(struct cfg_result *res, struct pki_store *pki)
{
	if (pki)
		pki_store_free(pki);
	if (res) {
		cfg_result_free(res);
		free(res);
	}
}

int reload_config(struct ikevtid *d, FILE *diag)
{
	struct cfg_result *res, *old_res = d->cfg;
	struct pki_store *pki, *old_pki = d->pki;

	/* systemd shows "reloading" until the READY=1 that ends it. */
	notify_reloading();
	if (config_load(d->config_path, &res, &pki, diag, true)) {
		d->reload_failures++;
		log_err("reload of %s failed: the old configuration stays in use",
			d->config_path);
		loop_notify_ready(d);
		return -1;
	}
	ike_engine_reload(d->engine, res->model, pki, now_ms());
	/* The engine no longer points into the old model. */
	d->cfg = res;
	d->pki = pki;
	config_free(old_res, old_pki);
	d->reloads++;
	log_notice("configuration %s reloaded", d->config_path);
	tunnels_apply(d);
	loop_notify_ready(d);
	if (diag)
		fprintf(diag, "configuration %s reloaded\n", d->config_path);
	return 0;
}
