// SPDX-License-Identifier: GPL-2.0
/*
 * "crypto ikev2 proposal | policy | keyring | profile" and their lines.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

/* ---------------------------------------------------------------- */
/* crypto ikev2 proposal */

void cfg_cmd_proposal(struct cfg_parser *p, const struct cfg_token *arg,
		      size_t nargs)
{
	size_t i;
	bool ok = FIND_OR_ADD(p, proposals, n_proposals,
				struct cfg_ikev2_proposal, &arg[0], &i);

	(void)nargs;
	cfg_enter(p, CFG_M_PROPOSAL, ok, i);
}

/* Add or (with "no") remove values of a u16 list; "no X" alone clears. */
static void edit_u16_list(struct cfg_parser *p, uint16_t *list, size_t *n,
			  uint16_t v, const struct cfg_token *t)
{
	size_t i;

	for (i = 0; i < *n && list[i] != v; i++)
		;
	if (p->negate) {
		if (i < *n) {
			memmove(&list[i], &list[i + 1],
				(*n - i - 1) * sizeof(*list));
			(*n)--;
		}
		return;
	}
	if (i < *n)
		return;			/* already listed: keep its place */
	if (*n == CFG_LIST_MAX) {
		cfg_error_at(p, t, "more than %d values", CFG_LIST_MAX);
		return;
	}
	list[(*n)++] = v;
}

static void prop_encryption(struct cfg_parser *p,
			    const struct cfg_token *arg, size_t nargs)
{
	struct cfg_ikev2_proposal *pr;

	if (!cfg_have_current(p, p->m->n_proposals))
		return;
	pr = CUR(p, proposals);
	if (p->negate && nargs == 0)
		pr->n_encr = 0;
	for (size_t i = 0; i < nargs; i++) {
		struct cfg_alg a;
		size_t k;

		if (!cfg_parse_ikev2_encr(p, &arg[i], &a))
			continue;
		for (k = 0; k < pr->n_encr; k++)
			if (pr->encr[k].id == a.id &&
			    pr->encr[k].key_bits == a.key_bits)
				break;
		if (p->negate && k < pr->n_encr) {
			memmove(&pr->encr[k], &pr->encr[k + 1],
				(pr->n_encr - k - 1) * sizeof(pr->encr[0]));
			pr->n_encr--;
		} else if (!p->negate && k == pr->n_encr) {
			if (pr->n_encr == CFG_LIST_MAX)
				cfg_error_at(p, &arg[i], "more than %d values",
					     CFG_LIST_MAX);
			else
				pr->encr[pr->n_encr++] = a;
		}
	}
}

#define PROPOSAL_LIST_HANDLER(fn, list, count, parse)                       \
	static void fn(struct cfg_parser *p, const struct cfg_token *arg,   \
		       size_t nargs)                                        \
	{                                                                   \
		struct cfg_ikev2_proposal *pr;                              \
		if (!cfg_have_current(p, p->m->n_proposals))                    \
			return;                                             \
		pr = CUR(p, proposals);                                     \
		if (p->negate && nargs == 0)                                \
			pr->count = 0;                                      \
		for (size_t i = 0; i < nargs; i++) {                        \
			uint16_t v;                                         \
			if (parse)                                          \
				edit_u16_list(p, pr->list, &pr->count, v,   \
					      &arg[i]);                     \
		}                                                           \
	}

PROPOSAL_LIST_HANDLER(prop_integrity, integ, n_integ,
		      cfg_parse_ikev2_integ(p, &arg[i], &v))
PROPOSAL_LIST_HANDLER(prop_prf, prf, n_prf,
		      cfg_parse_ikev2_prf(p, &arg[i], &v))
PROPOSAL_LIST_HANDLER(prop_group, group, n_group,
		      cfg_parse_dh_group(p, &arg[i], "", &v))

/* ---------------------------------------------------------------- */
/* crypto ikev2 policy */

void cfg_cmd_policy(struct cfg_parser *p, const struct cfg_token *arg,
		    size_t nargs)
{
	size_t i;
	bool ok = FIND_OR_ADD(p, policies, n_policies,
				struct cfg_ikev2_policy, &arg[0], &i);

	(void)nargs;
	cfg_enter(p, CFG_M_POLICY, ok, i);
}

static void pol_proposal(struct cfg_parser *p, const struct cfg_token *arg,
			 size_t nargs)
{
	struct cfg_ikev2_policy *po;

	if (!cfg_have_current(p, p->m->n_policies))
		return;
	po = CUR(p, policies);
	if (p->negate && nargs == 0)
		po->n_proposal = 0;
	else
		cfg_edit_ref_list(p, po->proposal, &po->n_proposal, CFG_LIST_MAX,
				  &arg[0]);
}

static void match_fvrf(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs)
{
	(void)nargs;
	if (!cfg_tok_eq(&arg[0], "any"))
		cfg_error_at(p, &arg[0], "only 'match fvrf any' is supported "
			     "(ikevtid runs one daemon per network namespace)");
}

static void pol_match_local(struct cfg_parser *p,
			    const struct cfg_token *arg, size_t nargs)
{
	struct cfg_ikev2_policy *po;

	(void)nargs;
	if (!cfg_have_current(p, p->m->n_policies))
		return;
	po = CUR(p, policies);
	po->has_local_addr = !p->negate &&
			     cfg_parse_addr(p, &arg[0], &po->local_addr);
}

/* ---------------------------------------------------------------- */
/* crypto ikev2 keyring, and its peers */

void cfg_cmd_keyring(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs)
{
	size_t i;
	bool ok = FIND_OR_ADD(p, keyrings, n_keyrings,
				struct cfg_ikev2_keyring, &arg[0], &i);

	(void)nargs;
	cfg_enter(p, CFG_M_KEYRING, ok, i);
}

static void kr_peer(struct cfg_parser *p, const struct cfg_token *arg,
		    size_t nargs)
{
	struct cfg_ikev2_keyring *kr;
	char name[CFG_NAME_MAX];
	size_t i;

	(void)nargs;
	p->mode = CFG_M_KEYRING_PEER;
	p->cur_peer = (size_t)-1;
	if (!cfg_have_current(p, p->m->n_keyrings) ||
	    !cfg_valid_name(p, &arg[0], name, sizeof(name)))
		return;
	kr = CUR(p, keyrings);
	for (i = 0; i < kr->n_peers; i++)
		if (strcmp(kr->peers[i].name, name) == 0)
			break;
	if (i == kr->n_peers) {
		void *a = kr->peers;
		struct cfg_keyring_peer *peer =
			cfg_array_add(p, &a, &kr->n_peers, sizeof(*peer));

		if (!peer)
			return;
		kr->peers = a;
		strcpy(peer->name, name);
		peer->loc = cfg_tok_loc(p, &arg[0]);
	}
	p->cur_peer = i;
}

static struct cfg_keyring_peer *cur_peer(struct cfg_parser *p)
{
	if (!cfg_have_current(p, p->m->n_keyrings) ||
	    p->cur_peer >= CUR(p, keyrings)->n_peers)
		return NULL;
	return CUR_PEER(p);
}

static void peer_address(struct cfg_parser *p, const struct cfg_token *arg,
			 size_t nargs)
{
	struct cfg_keyring_peer *peer = cur_peer(p);

	if (!peer)
		return;
	peer->has_addr = cfg_parse_addr_mask(p, arg, nargs, &peer->addr);
}

static void peer_hostname(struct cfg_parser *p, const struct cfg_token *arg,
			  size_t nargs)
{
	struct cfg_keyring_peer *peer = cur_peer(p);

	(void)nargs;
	if (!peer)
		return;
	cfg_tok_copy(p, &arg[0], peer->hostname, sizeof(peer->hostname),
		     "hostname");
	cfg_warn_at(p, &arg[0], "'hostname' does not select this key: "
		    "ikevtid matches keyring peers by address and identity");
}

static bool addr_is_zero(const struct cfg_addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->bytes, zero, sizeof(zero)) == 0;
}

/* "identity address A" and friends, shared by keyring peers and
 * "identity local" in profiles. */
static void parse_identity(struct cfg_parser *p, enum cfg_id_type type,
			   const struct cfg_token *arg, size_t nargs,
			   struct cfg_identity *id)
{
	memset(id, 0, sizeof(*id));
	id->loc = nargs ? cfg_tok_loc(p, &arg[0]) :
			  cfg_tok_loc(p, &p->line->tok[0]);
	if (type == CFG_ID_ADDRESS) {
		if (!cfg_parse_addr_mask(p, arg, nargs, &id->addr))
			return;
		/* IOS: "address 0.0.0.0" (no mask) matches any peer. */
		if (nargs == 1 && !memchr(arg[0].s, '/', arg[0].len) &&
		    addr_is_zero(&id->addr))
			id->addr.prefix = 0;
		id->type = type;
		return;
	}
	if (type == CFG_ID_DN || type == CFG_ID_ANY) {
		id->type = type;
		return;
	}
	if (nargs == 2) {
		if (!cfg_tok_eq(&arg[0], "domain") || type == CFG_ID_KEY_ID) {
			cfg_error_at(p, &arg[0], "expected 'domain NAME' or "
				     "NAME, got '%.*s'", (int)arg[0].len,
				     arg[0].s);
			return;
		}
		id->domain = true;
		arg++;
	}
	if (cfg_tok_copy(p, &arg[0], id->text, sizeof(id->text), "identity"))
		id->type = type;
}

#define PEER_ID_HANDLER(fn, type)                                          \
	static void fn(struct cfg_parser *p, const struct cfg_token *arg,  \
		       size_t nargs)                                       \
	{                                                                  \
		struct cfg_keyring_peer *peer = cur_peer(p);               \
		if (peer)                                                  \
			parse_identity(p, type, arg, nargs,                \
				       &peer->identity);                   \
	}

PEER_ID_HANDLER(peer_id_address, CFG_ID_ADDRESS)
PEER_ID_HANDLER(peer_id_fqdn, CFG_ID_FQDN)
PEER_ID_HANDLER(peer_id_email, CFG_ID_EMAIL)
PEER_ID_HANDLER(peer_id_key_id, CFG_ID_KEY_ID)

/* pre-shared-key [local|remote] [0|6] KEY */
static void peer_psk(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs)
{
	struct cfg_keyring_peer *peer = cur_peer(p);
	bool local = true, remote = true;
	size_t i = 0;

	if (!peer)
		return;
	if (cfg_tok_eq(&arg[0], "local") || cfg_tok_eq(&arg[0], "remote")) {
		local = cfg_tok_eq(&arg[0], "local");
		remote = !local;
		i++;
	}
	if (i + 1 < nargs && arg[i].len == 1 && arg[i].s[0] == '6') {
		cfg_error_at(p, &arg[i], "type 6 (encrypted) keys are not "
			     "supported yet; write the key in clear (type 0)");
		return;
	}
	if (i + 1 < nargs && arg[i].len == 1 && arg[i].s[0] == '0')
		i++;
	if (i + 1 != nargs) {
		cfg_error_at(p, &arg[nargs - 1], "expected pre-shared-key "
			     "[local|remote] [0] KEY");
		return;
	}
	if (local)
		cfg_tok_copy(p, &arg[i], peer->psk_local,
			     sizeof(peer->psk_local), "pre-shared key");
	if (remote)
		cfg_tok_copy(p, &arg[i], peer->psk_remote,
			     sizeof(peer->psk_remote), "pre-shared key");
}

/* ---------------------------------------------------------------- */
/* crypto ikev2 profile */

void cfg_cmd_profile(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs)
{
	size_t i;
	bool ok = FIND_OR_ADD(p, profiles, n_profiles,
				struct cfg_ikev2_profile, &arg[0], &i);

	(void)nargs;
	if (ok && p->m->profiles[i].lifetime_s == 0)
		p->m->profiles[i].lifetime_s = 86400;	/* IOS default */
	cfg_enter(p, CFG_M_PROFILE, ok, i);
}

static struct cfg_ikev2_profile *cur_profile(struct cfg_parser *p)
{
	return cfg_have_current(p, p->m->n_profiles) ? CUR(p, profiles) : NULL;
}

static void add_match_remote(struct cfg_parser *p, enum cfg_id_type type,
			     const struct cfg_token *arg, size_t nargs)
{
	struct cfg_ikev2_profile *pf = cur_profile(p);
	struct cfg_identity id;

	if (!pf)
		return;
	if (p->negate) {
		pf->n_match_remote = 0;
		return;
	}
	parse_identity(p, type, arg, nargs, &id);
	if (id.type == CFG_ID_NONE)
		return;
	if (pf->n_match_remote == CFG_LIST_MAX) {
		cfg_report(p, CFG_ERROR, id.loc, "more than %d match identity "
			   "lines", CFG_LIST_MAX);
		return;
	}
	pf->match_remote[pf->n_match_remote++] = id;
}

#define MATCH_REMOTE_HANDLER(fn, type)                                     \
	static void fn(struct cfg_parser *p, const struct cfg_token *arg,  \
		       size_t nargs)                                       \
	{                                                                  \
		add_match_remote(p, type, arg, nargs);                     \
	}

MATCH_REMOTE_HANDLER(pf_match_address, CFG_ID_ADDRESS)
MATCH_REMOTE_HANDLER(pf_match_fqdn, CFG_ID_FQDN)
MATCH_REMOTE_HANDLER(pf_match_email, CFG_ID_EMAIL)
MATCH_REMOTE_HANDLER(pf_match_key_id, CFG_ID_KEY_ID)
/* IOS XE's catch-all: any identity of any type, which is how a peer
 * identified by its certificate's subject DN (strongSwan's default)
 * selects a profile. */
MATCH_REMOTE_HANDLER(pf_match_any, CFG_ID_ANY)

static void pf_match_local(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	struct cfg_ikev2_profile *pf = cur_profile(p);

	(void)nargs;
	if (pf)
		pf->has_match_local_addr =
			!p->negate &&
			cfg_parse_addr(p, &arg[0], &pf->match_local_addr);
}

#define LOCAL_ID_HANDLER(fn, type)                                         \
	static void fn(struct cfg_parser *p, const struct cfg_token *arg,  \
		       size_t nargs)                                       \
	{                                                                  \
		struct cfg_ikev2_profile *pf = cur_profile(p);             \
		if (!pf)                                                   \
			return;                                            \
		if (p->negate)                                             \
			memset(&pf->local_id, 0, sizeof(pf->local_id));    \
		else                                                       \
			parse_identity(p, type, arg, nargs, &pf->local_id); \
	}

LOCAL_ID_HANDLER(pf_local_address, CFG_ID_ADDRESS)
LOCAL_ID_HANDLER(pf_local_fqdn, CFG_ID_FQDN)
LOCAL_ID_HANDLER(pf_local_email, CFG_ID_EMAIL)
LOCAL_ID_HANDLER(pf_local_key_id, CFG_ID_KEY_ID)
LOCAL_ID_HANDLER(pf_local_dn, CFG_ID_DN)

static void pf_auth_local(struct cfg_parser *p, const struct cfg_token *arg,
			  size_t nargs)
{
	struct cfg_ikev2_profile *pf = cur_profile(p);

	if (!pf)
		return;
	if (p->negate) {
		pf->auth_local = CFG_AUTH_NONE;
		return;
	}
	if (nargs > 1) {
		cfg_error_at(p, &arg[1], "keys inside the profile are not "
			     "supported; use a keyring");
		return;
	}
	cfg_parse_auth(p, &arg[0], &pf->auth_local);
}

static void pf_auth_remote(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	struct cfg_ikev2_profile *pf = cur_profile(p);
	enum cfg_auth a;
	size_t i;

	(void)nargs;
	if (!pf)
		return;
	if (p->negate && nargs == 0) {
		pf->n_auth_remote = 0;
		return;
	}
	if (!cfg_parse_auth(p, &arg[0], &a))
		return;
	for (i = 0; i < pf->n_auth_remote && pf->auth_remote[i] != a; i++)
		;
	if (p->negate && i < pf->n_auth_remote) {
		pf->auth_remote[i] = pf->auth_remote[--pf->n_auth_remote];
	} else if (!p->negate && i == pf->n_auth_remote) {
		pf->auth_remote[pf->n_auth_remote++] = a;
	}
}

static void pf_trustpoint(struct cfg_parser *p, const struct cfg_token *arg,
			  size_t nargs)
{
	struct cfg_ikev2_profile *pf = cur_profile(p);

	if (!pf)
		return;
	if (nargs == 2 && !cfg_tok_eq(&arg[1], "sign") &&
	    !cfg_tok_eq(&arg[1], "verify")) {
		cfg_error_at(p, &arg[1], "expected 'sign' or 'verify'");
		return;
	}
	if (nargs == 2 && !p->negate)
		cfg_warn_at(p, &arg[1], "'%.*s' is not in effect: ikevtid "
			    "uses the trustpoint both to sign and to verify",
			    (int)arg[1].len, arg[1].s);
	if (p->negate && nargs == 0) {
		pf->n_trustpoint = 0;
		return;
	}
	cfg_edit_ref_list(p, pf->trustpoint, &pf->n_trustpoint, CFG_LIST_MAX,
			  &arg[0]);
}

static void pf_keyring(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs)
{
	struct cfg_ikev2_profile *pf = cur_profile(p);

	(void)nargs;
	if (!pf)
		return;
	pf->has_keyring = false;
	if (p->negate)
		return;
	if (!cfg_valid_name(p, &arg[0], pf->keyring.name,
			    sizeof(pf->keyring.name)))
		return;
	pf->keyring.loc = cfg_tok_loc(p, &arg[0]);
	pf->has_keyring = true;
}

static void pf_lifetime(struct cfg_parser *p, const struct cfg_token *arg,
			size_t nargs)
{
	struct cfg_ikev2_profile *pf = cur_profile(p);

	(void)nargs;
	if (pf)
		cfg_parse_u32(p, &arg[0], 120, 86400, &pf->lifetime_s);
}

static void pf_dpd(struct cfg_parser *p, const struct cfg_token *arg,
		   size_t nargs)
{
	struct cfg_ikev2_profile *pf = cur_profile(p);

	(void)nargs;
	if (!pf)
		return;
	if (p->negate) {
		pf->dpd_interval_s = 0;
		return;
	}
	if (!cfg_parse_u32(p, &arg[0], 10, 3600, &pf->dpd_interval_s) ||
	    !cfg_parse_u32(p, &arg[1], 2, 60, &pf->dpd_retry_s))
		return;
	if (cfg_tok_eq(&arg[2], "periodic"))
		pf->dpd_periodic = true;
	else if (!cfg_tok_eq(&arg[2], "on-demand"))
		cfg_error_at(p, &arg[2], "expected on-demand or periodic");
}

/* ---------------------------------------------------------------- */
/* Tables. Order matters only where one command's keywords start
 * another's ("keyring local" before "keyring"). */

static const struct cfg_cmd proposal_cmds[] = {
	CMD("encryption", prop_encryption, 1, CFG_LIST_MAX, true),
	CMD("integrity", prop_integrity, 1, CFG_LIST_MAX, true),
	CMD("prf", prop_prf, 1, CFG_LIST_MAX, true),
	CMD("group", prop_group, 1, CFG_LIST_MAX, true),
};

const struct cfg_cmd_table cfg_proposal_table =
	CFG_TABLE(proposal_cmds);

static const struct cfg_cmd policy_cmds[] = {
	CMD("proposal", pol_proposal, 1, 1, true),
	CMD("match fvrf", match_fvrf, 1, 1, false),
	CMD("match address local", pol_match_local, 1, 1, true),
};

const struct cfg_cmd_table cfg_policy_table =
	CFG_TABLE(policy_cmds);

static const struct cfg_cmd keyring_cmds[] = {
	CMD("peer", kr_peer, 1, 1, false),
};

const struct cfg_cmd_table cfg_keyring_table =
	CFG_TABLE(keyring_cmds);

static const struct cfg_cmd keyring_peer_cmds[] = {
	CMD("address", peer_address, 1, 2, false),
	CMD("hostname", peer_hostname, 1, 1, false),
	CMD("identity address", peer_id_address, 1, 1, false),
	CMD("identity fqdn", peer_id_fqdn, 1, 2, false),
	CMD("identity email", peer_id_email, 1, 2, false),
	CMD("identity key-id", peer_id_key_id, 1, 1, false),
	CMD("pre-shared-key", peer_psk, 1, 3, false),
	CMD("description", cfg_ignore_silent, 1, CFG_NARGS_REST, false),
};

const struct cfg_cmd_table cfg_keyring_peer_table =
	CFG_TABLE(keyring_peer_cmds);

static const struct cfg_cmd profile_cmds[] = {
	CMD("match identity remote address", pf_match_address, 1, 2, true),
	CMD("match identity remote fqdn", pf_match_fqdn, 1, 2, true),
	CMD("match identity remote email", pf_match_email, 1, 2, true),
	CMD("match identity remote key-id", pf_match_key_id, 1, 1, true),
	CMD("match identity remote any", pf_match_any, 0, 0, true),
	CMD("match fvrf", match_fvrf, 1, 1, false),
	CMD("match address local", pf_match_local, 1, 1, true),
	CMD("identity local address", pf_local_address, 1, 1, true),
	CMD("identity local fqdn", pf_local_fqdn, 1, 1, true),
	CMD("identity local email", pf_local_email, 1, 1, true),
	CMD("identity local key-id", pf_local_key_id, 1, 1, true),
	CMD("identity local dn", pf_local_dn, 0, 0, true),
	CMD("authentication local", pf_auth_local, 1, 3, true),
	CMD("authentication remote", pf_auth_remote, 1, 1, true),
	CMD("pki trustpoint", pf_trustpoint, 1, 2, true),
	CMD("keyring local", pf_keyring, 1, 1, true),
	CMD("keyring", pf_keyring, 1, 1, true),
	CMD("lifetime", pf_lifetime, 1, 1, false),
	CMD("dpd", pf_dpd, 3, 3, true),
	CMD("description", cfg_ignore_silent, 1, CFG_NARGS_REST, false),
};

const struct cfg_cmd_table cfg_profile_table =
	CFG_TABLE(profile_cmds);
