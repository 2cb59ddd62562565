// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 objects with names: "crypto keyring" (pre-shared keys scoped to a
 * local address), "crypto isakmp profile" (which peers it serves, with
 * which keys, trustpoints and identity) and "crypto pki certificate map"
 * (accepted, its rules not in effect yet).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

/* ---------------------------------------------------------------- */
/* crypto keyring NAME */

void cfg_cmd_isakmp_keyring(struct cfg_parser *p, const struct cfg_token *arg,
			    size_t nargs)
{
	size_t i;
	bool ok = FIND_OR_ADD(p, isakmp_keyrings, n_isakmp_keyrings,
				struct cfg_isakmp_keyring, &arg[0], &i);

	(void)nargs;
	cfg_enter(p, CFG_M_ISAKMP_KEYRING, ok, i);
}

static struct cfg_isakmp_keyring *cur_keyring(struct cfg_parser *p)
{
	return cfg_have_current(p, p->m->n_isakmp_keyrings) ?
		       CUR(p, isakmp_keyrings) : NULL;
}

static void kr_psk(struct cfg_parser *p, const struct cfg_token *arg,
		   size_t nargs)
{
	struct cfg_isakmp_keyring *kr = cur_keyring(p);

	/* The arguments start after "address" or "hostname", which
	 * cfg_keyring_psk wants to see: back up one token. */
	if (kr)
		cfg_keyring_psk(p, arg - 1, nargs + 1, &kr->keys, &kr->n_keys);
}

static void kr_local_address(struct cfg_parser *p, const struct cfg_token *arg,
			     size_t nargs)
{
	struct cfg_isakmp_keyring *kr = cur_keyring(p);

	(void)nargs;
	if (!kr)
		return;
	if (p->negate)
		memset(&kr->local_address, 0, sizeof(kr->local_address));
	else
		cfg_parse_local_address(p, &arg[0], &kr->local_address);
}

static void kr_description(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	struct cfg_isakmp_keyring *kr = cur_keyring(p);

	if (!kr)
		return;
	if (p->negate || nargs == 0)
		kr->description[0] = '\0';
	else
		cfg_rest_copy(p, &arg[0], p->line->end, kr->description,
			      sizeof(kr->description), "description");
}

/* ---------------------------------------------------------------- */
/* crypto isakmp profile NAME */

void cfg_cmd_isakmp_profile(struct cfg_parser *p, const struct cfg_token *arg,
			    size_t nargs)
{
	size_t i;
	bool ok = FIND_OR_ADD(p, isakmp_profiles, n_isakmp_profiles,
				struct cfg_isakmp_profile, &arg[0], &i);

	(void)nargs;
	cfg_enter(p, CFG_M_ISAKMP_PROFILE, ok, i);
}

static struct cfg_isakmp_profile *cur_profile(struct cfg_parser *p)
{
	return cfg_have_current(p, p->m->n_isakmp_profiles) ?
		       CUR(p, isakmp_profiles) : NULL;
}

static void add_match(struct cfg_parser *p, const struct cfg_identity *id)
{
	struct cfg_isakmp_profile *pf = cur_profile(p);

	if (!pf)
		return;
	if (p->negate) {
		pf->n_match = 0;
		return;
	}
	if (pf->n_match == CFG_LIST_MAX) {
		cfg_report(p, CFG_ERROR, id->loc, "more than %d match identity "
			   "lines", CFG_LIST_MAX);
		return;
	}
	pf->match[pf->n_match++] = *id;
}

static void match_address(struct cfg_parser *p, const struct cfg_token *arg,
			  size_t nargs)
{
	struct cfg_identity id = { .type = CFG_ID_ADDRESS };

	if (p->negate && nargs == 0) {
		add_match(p, &id);
		return;
	}
	id.loc = cfg_tok_loc(p, &arg[0]);
	if (cfg_parse_addr_mask(p, arg, nargs, &id.addr))
		add_match(p, &id);
}

static void match_text(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs, enum cfg_id_type type, bool domain)
{
	struct cfg_identity id = { .type = type, .domain = domain };

	if (p->negate && nargs == 0) {
		add_match(p, &id);
		return;
	}
	id.loc = cfg_tok_loc(p, &arg[0]);
	if (cfg_tok_copy(p, &arg[0], id.text, sizeof(id.text), "identity"))
		add_match(p, &id);
}

#define MATCH_TEXT_HANDLER(fn, type, domain)                               \
	static void fn(struct cfg_parser *p, const struct cfg_token *arg,  \
		       size_t nargs)                                       \
	{                                                                  \
		match_text(p, arg, nargs, type, domain);                   \
	}

MATCH_TEXT_HANDLER(match_host, CFG_ID_FQDN, false)
MATCH_TEXT_HANDLER(match_host_domain, CFG_ID_FQDN, true)
MATCH_TEXT_HANDLER(match_user_fqdn, CFG_ID_EMAIL, false)
MATCH_TEXT_HANDLER(match_user_fqdn_domain, CFG_ID_EMAIL, true)

/* Lists of names (trustpoints, keyrings, certificate maps): repeatable,
 * in written order; "no X" alone empties the list. */
static void edit_refs(struct cfg_parser *p, const struct cfg_token *arg,
		      size_t nargs, size_t list_off, size_t count_off)
{
	struct cfg_isakmp_profile *pf = cur_profile(p);
	struct cfg_ref *list;
	size_t *n;

	if (!pf)
		return;
	list = (struct cfg_ref *)((char *)pf + list_off);
	n = (size_t *)((char *)pf + count_off);
	if (p->negate && nargs == 0)
		*n = 0;
	else
		cfg_edit_ref_list(p, list, n, CFG_LIST_MAX, &arg[0]);
}

#define REF_LIST_HANDLER(fn, list, count)                                  \
	static void fn(struct cfg_parser *p, const struct cfg_token *arg,  \
		       size_t nargs)                                       \
	{                                                                  \
		edit_refs(p, arg, nargs,                                   \
			  offsetof(struct cfg_isakmp_profile, list),       \
			  offsetof(struct cfg_isakmp_profile, count));     \
	}

REF_LIST_HANDLER(pf_trustpoint, trustpoint, n_trustpoint)
REF_LIST_HANDLER(pf_keyring, keyring, n_keyring)
REF_LIST_HANDLER(pf_match_certificate, match_certificate,
		 n_match_certificate)

/* self-identity address | fqdn | user-fqdn U | dn */
static void pf_self_identity(struct cfg_parser *p, const struct cfg_token *arg,
			     size_t nargs)
{
	struct cfg_isakmp_profile *pf = cur_profile(p);
	struct cfg_identity *id;

	if (!pf)
		return;
	id = &pf->self_identity;
	memset(id, 0, sizeof(*id));
	if (p->negate)
		return;
	id->loc = cfg_tok_loc(p, &arg[0]);
	if (cfg_tok_eq(&arg[0], "user-fqdn") && nargs == 2) {
		if (cfg_tok_copy(p, &arg[1], id->text, sizeof(id->text),
				 "identity"))
			id->type = CFG_ID_EMAIL;
		return;
	}
	if (nargs == 1 && cfg_tok_eq(&arg[0], "address"))
		id->type = CFG_ID_ADDRESS;
	else if (nargs == 1 && cfg_tok_eq(&arg[0], "fqdn"))
		id->type = CFG_ID_FQDN;
	else if (nargs == 1 && cfg_tok_eq(&arg[0], "dn"))
		id->type = CFG_ID_DN;
	else
		cfg_error_at(p, &arg[nargs - 1], "expected 'self-identity "
			     "address', 'fqdn', 'user-fqdn USER@DOMAIN' or "
			     "'dn'");
}

static void pf_local_address(struct cfg_parser *p, const struct cfg_token *arg,
			     size_t nargs)
{
	struct cfg_isakmp_profile *pf = cur_profile(p);

	(void)nargs;
	if (!pf)
		return;
	if (p->negate)
		memset(&pf->local_address, 0, sizeof(pf->local_address));
	else
		cfg_parse_local_address(p, &arg[0], &pf->local_address);
}

static void pf_initiate_mode(struct cfg_parser *p, const struct cfg_token *arg,
			     size_t nargs)
{
	struct cfg_isakmp_profile *pf = cur_profile(p);

	if (!pf)
		return;
	if (nargs == 1 && !cfg_tok_eq(&arg[0], "aggressive")) {
		cfg_error_at(p, &arg[0], "expected 'initiate mode aggressive'");
		return;
	}
	pf->initiate_aggressive = !p->negate;
}

/* keepalive SECONDS retry RETRY */
static void pf_keepalive(struct cfg_parser *p, const struct cfg_token *arg,
			 size_t nargs)
{
	struct cfg_isakmp_profile *pf = cur_profile(p);
	uint32_t secs, retry;

	(void)nargs;
	if (!pf)
		return;
	if (p->negate) {
		pf->keepalive_s = pf->keepalive_retry_s = 0;
		return;
	}
	if (!cfg_tok_eq(&arg[1], "retry")) {
		cfg_error_at(p, &arg[1], "expected 'keepalive SECONDS retry "
			     "RETRY'");
		return;
	}
	if (cfg_parse_u32(p, &arg[0], 10, 3600, &secs) &&
	    cfg_parse_u32(p, &arg[2], 2, 60, &retry)) {
		pf->keepalive_s = secs;
		pf->keepalive_retry_s = retry;
	}
}

static void pf_lifetime(struct cfg_parser *p, const struct cfg_token *arg,
			size_t nargs)
{
	struct cfg_isakmp_profile *pf = cur_profile(p);

	(void)nargs;
	if (!pf)
		return;
	if (p->negate)
		pf->lifetime_s = 0;
	else
		cfg_parse_u32(p, &arg[0], 60, 86400, &pf->lifetime_s);
}

static void pf_client_group(struct cfg_parser *p, const struct cfg_token *arg,
			    size_t nargs)
{
	struct cfg_isakmp_profile *pf = cur_profile(p);

	(void)nargs;
	if (!pf)
		return;
	pf->client_group[0] = '\0';
	if (!p->negate)
		cfg_valid_name(p, &arg[0], pf->client_group,
			       sizeof(pf->client_group));
}

static void pf_description(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	struct cfg_isakmp_profile *pf = cur_profile(p);

	if (!pf)
		return;
	if (p->negate || nargs == 0)
		pf->description[0] = '\0';
	else
		cfg_rest_copy(p, &arg[0], p->line->end, pf->description,
			      sizeof(pf->description), "description");
}

static void pf_vrf(struct cfg_parser *p, const struct cfg_token *arg,
		   size_t nargs)
{
	(void)nargs;
	cfg_warn_at(p, &arg[0], "'vrf' ignored: ikevtid runs one daemon per "
		    "network namespace");
}

static void pf_authorization(struct cfg_parser *p,
			     const struct cfg_token *arg, size_t nargs)
{
	(void)arg;
	(void)nargs;
	cfg_warn_at(p, &p->line->tok[p->negate ? 1 : 0], "'isakmp "
		    "authorization' ignored: ikevtid does no IKE "
		    "configuration mode (Easy VPN)");
}

/* ---------------------------------------------------------------- */
/* crypto pki certificate map NAME SEQ */

void cfg_cmd_cert_map(struct cfg_parser *p, const struct cfg_token *arg,
		      size_t nargs)
{
	uint32_t seq;
	size_t i;
	bool ok;

	(void)nargs;
	ok = cfg_parse_u32(p, &arg[1], 1, 65535, &seq) &&
	     FIND_OR_ADD(p, cert_maps, n_cert_maps, struct cfg_cert_map,
			 &arg[0], &i);
	cfg_enter(p, CFG_M_CERT_MAP, ok, ok ? i : 0);
	if (ok)
		cfg_warn_at(p, &arg[0], "certificate map rules are not in "
			    "effect yet: a profile's 'match certificate %.*s' "
			    "selects no peer in this version",
			    (int)arg[0].len, arg[0].s);
}

/* ---------------------------------------------------------------- */
/* Tables. Order matters where one command's keywords start another's
 * ("match identity host domain" before "match identity host"). */

static const struct cfg_cmd isakmp_keyring_cmds[] = {
	CMD("pre-shared-key address", kr_psk, 1, 6, false),
	CMD("pre-shared-key hostname", kr_psk, 1, 5, false),
	CMD("local-address", kr_local_address, 1, 1, true),
	CMD("description", kr_description, 1, CFG_NARGS_REST, true),
};

const struct cfg_cmd_table cfg_isakmp_keyring_table =
	CFG_TABLE(isakmp_keyring_cmds);

static const struct cfg_cmd isakmp_profile_cmds[] = {
	CMD("match identity address", match_address, 1, 2, true),
	CMD("match identity host domain", match_host_domain, 1, 1, true),
	CMD("match identity host", match_host, 1, 1, true),
	CMD("match identity user-fqdn domain", match_user_fqdn_domain, 1, 1,
	    true),
	CMD("match identity user-fqdn", match_user_fqdn, 1, 1, true),
	CMD("match certificate", pf_match_certificate, 1, 1, true),
	CMD("ca trust-point", pf_trustpoint, 1, 1, true),
	CMD("keyring", pf_keyring, 1, 1, true),
	CMD("self-identity", pf_self_identity, 1, 2, true),
	CMD("local-address", pf_local_address, 1, 1, true),
	CMD("initiate mode", pf_initiate_mode, 1, 1, true),
	CMD("keepalive", pf_keepalive, 3, 3, true),
	CMD("lifetime", pf_lifetime, 1, 1, true),
	CMD("client configuration group", pf_client_group, 1, 1, true),
	CMD("description", pf_description, 1, CFG_NARGS_REST, true),
	CMD("vrf", pf_vrf, 1, 1, false),
	CMD("isakmp authorization", pf_authorization, 0, CFG_NARGS_REST,
	    true),
};

const struct cfg_cmd_table cfg_isakmp_profile_table =
	CFG_TABLE(isakmp_profile_cmds);

static const struct cfg_cmd cert_map_cmds[] = {
	CMD("subject-name", cfg_ignore_silent, 1, CFG_NARGS_REST, true),
	CMD("issuer-name", cfg_ignore_silent, 1, CFG_NARGS_REST, true),
	CMD("alt-subject-name", cfg_ignore_silent, 1, CFG_NARGS_REST, true),
	CMD("unstructured-subject-name", cfg_ignore_silent, 1, CFG_NARGS_REST,
	    true),
	CMD("name", cfg_ignore_silent, 1, CFG_NARGS_REST, true),
};

const struct cfg_cmd_table cfg_cert_map_table =
	CFG_TABLE(cert_map_cmds);
