// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the configuration parser (config/config.h). The
 * input is the text of a configuration file. It is parsed with
 * cfg_parse_buffer and every diagnostic is formatted. A configuration
 * that parses is then given to a new engine, which resolves every
 * interface's ipsec profile, IKE profile, proposals and keyrings when
 * the device appears (ike_engine_tunnel_update): the parser's checks
 * must leave nothing that resolution trips over. Configurations with
 * trustpoints stop after parsing, because loading them would read the
 * files they name.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "engine.h"
#include "pki/pki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int no_send(void *ctx, const struct ike_path *p, const uint8_t *m,
		   size_t len)
{
	(void)ctx, (void)p, (void)m, (void)len;
	return 0;
}

static int no_spi(void *ctx, uint32_t ifindex, uint32_t *spi)
{
	(void)ctx, (void)ifindex;
	*spi = 0x1000;
	return 0;
}

static void no_log(void *ctx, enum ike_log_level l, const char *msg)
{
	(void)ctx, (void)l, (void)msg;
}

/* Every configured interface appears as an up device. */
static void run_engine(const struct cfg_model *model)
{
	struct ike_engine_ops ops = { .send = no_send, .spi_alloc = no_spi,
				      .log = no_log };
	struct pki_store *pki = pki_store_new();
	struct ike_engine *e;

	if (!pki)
		return;
	e = ike_engine_new(&ops, model, pki);
	if (e) {
		ike_engine_set_log_level(e, IKE_LOG_DEBUG);
		for (size_t i = 0; i < model->n_interfaces; i++) {
			const struct cfg_interface *ifc =
				&model->interfaces[i];
			struct ike_tunnel_info t = {
				.ifindex = (uint32_t)(i + 1), .up = true,
			};

			snprintf(t.ifname, sizeof(t.ifname), "%s", ifc->name);
			t.local.family = ifc->source.family;
			t.remote.family = ifc->destination.family;
			memcpy(&t.local.v6, ifc->source.bytes,
			       sizeof(t.local.v6));
			memcpy(&t.remote.v6, ifc->destination.bytes,
			       sizeof(t.remote.v6));
			ike_engine_tunnel_update(e, &t, 1000);
		}
		ike_engine_free(e);
	}
	pki_store_free(pki);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_result *res = calloc(1, sizeof(*res));
	char *text, line[512];

	if (!res)
		return 0;
	/* not NUL-terminated on purpose: the parser must not need it */
	text = malloc(size ? size : 1);
	if (!text) {
		free(res);
		return 0;
	}
	memcpy(text, data, size);
	cfg_parse_buffer("fuzz.conf", text, size, res);
	for (size_t i = 0; i < res->n_diags; i++)
		cfg_format_diag(res, i, line, sizeof(line));
	if (res->model && !res->model->n_trustpoints)
		run_engine(res->model);
	cfg_result_free(res);
	free(res);
	free(text);
	return 0;
}
