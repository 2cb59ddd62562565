// SPDX-License-Identifier: GPL-2.0
/*
 * Global configuration mode, the IKEv1 blocks accepted and ignored in
 * this version, and the map from each mode to its command table (the
 * tables themselves live next to their handlers).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

/* ---------------------------------------------------------------- */
/* crypto isakmp: not in effect yet */

static void isakmp_block(struct cfg_parser *p, const struct cfg_token *arg,
			 size_t nargs, enum cfg_mode mode)
{
	(void)nargs;
	cfg_warn_at(p, &arg[0], "IKEv1 (crypto isakmp) is not in effect in "
		    "this version; the block is ignored");
	p->mode = mode;
}

static void isakmp_global(struct cfg_parser *p, const struct cfg_token *arg,
			  size_t nargs)
{
	(void)arg;
	(void)nargs;
	cfg_warn_at(p, &p->line->tok[1], "IKEv1 (crypto isakmp) is not in "
		    "effect in this version; the line is ignored");
}

/* crypto ikev2 nat keepalive SECONDS: how often the kernel refreshes a
 * NAT mapping we sit behind, on SAs negotiated from then on (IOS range). */
static void ikev2_nat_keepalive(struct cfg_parser *p,
				const struct cfg_token *arg, size_t nargs)
{
	(void)nargs;
	cfg_parse_u32(p, &arg[0], 5, 3600, &p->m->nat_keepalive_s);
}

static void isakmp_policy(struct cfg_parser *p, const struct cfg_token *arg,
			  size_t nargs)
{
	isakmp_block(p, arg, nargs, CFG_M_ISAKMP_POLICY);
}

static void isakmp_profile(struct cfg_parser *p,
			   const struct cfg_token *arg, size_t nargs)
{
	isakmp_block(p, arg, nargs, CFG_M_ISAKMP_PROFILE);
}

/* ---------------------------------------------------------------- */
/* Tables */

static const struct cfg_cmd global_cmds[] = {
	CMD("crypto pki trustpoint", cfg_cmd_trustpoint, 1, 1, false),
	CMD("crypto ikev2 proposal", cfg_cmd_proposal, 1, 1, false),
	CMD("crypto ikev2 policy", cfg_cmd_policy, 1, 1, false),
	CMD("crypto ikev2 keyring", cfg_cmd_keyring, 1, 1, false),
	CMD("crypto ikev2 profile", cfg_cmd_profile, 1, 1, false),
	CMD("crypto ikev2 nat keepalive", ikev2_nat_keepalive, 1, 1, false),
	CMD("crypto ipsec transform-set", cfg_cmd_transform_set, 2, 8, false),
	CMD("crypto ipsec profile", cfg_cmd_ipsec_profile, 1, 1, false),
	CMD("crypto isakmp policy", isakmp_policy, 1, 1, false),
	CMD("crypto isakmp profile", isakmp_profile, 1, 1, false),
	CMD("interface", cfg_cmd_interface, 1, 1, false),
	CMD("hostname", cfg_ignore_warn, 1, 1, false),
	CMD("ip route", cfg_ignore_warn, 2, CFG_NARGS_REST, false),
	CMD("ipv6 route", cfg_ignore_warn, 2, CFG_NARGS_REST, false),
	CMD("ip domain-name", cfg_ignore_warn, 1, 1, false),
	CMD("version", cfg_ignore_warn, 1, 1, false),
	CMD("crypto isakmp keepalive", isakmp_global, 1, 3, false),
	CMD("crypto isakmp nat keepalive", isakmp_global, 1, 1, false),
	CMD("crypto isakmp fragmentation", isakmp_global, 0, 0, false),
	CMD("crypto isakmp identity", isakmp_global, 1, 1, false),
};

const struct cfg_cmd_table cfg_global_table =
	CFG_TABLE(global_cmds);

static const struct cfg_cmd isakmp_policy_cmds[] = {
	CMD("encr", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("encryption", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("hash", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("group", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("authentication", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("lifetime", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
};

const struct cfg_cmd_table cfg_isakmp_policy_table =
	CFG_TABLE(isakmp_policy_cmds);

static const struct cfg_cmd isakmp_profile_cmds[] = {
	CMD("self-identity", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("ca trust-point", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("match identity", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("match certificate", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("keyring", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("local-address", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("initiate mode", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("keepalive", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
};

const struct cfg_cmd_table cfg_isakmp_profile_table =
	CFG_TABLE(isakmp_profile_cmds);

static const struct cfg_cmd_table *const tables[CFG_M_COUNT] = {
	[CFG_M_GLOBAL] = &cfg_global_table,
	[CFG_M_TRUSTPOINT] = &cfg_trustpoint_table,
	[CFG_M_PROPOSAL] = &cfg_proposal_table,
	[CFG_M_POLICY] = &cfg_policy_table,
	[CFG_M_KEYRING] = &cfg_keyring_table,
	[CFG_M_KEYRING_PEER] = &cfg_keyring_peer_table,
	[CFG_M_PROFILE] = &cfg_profile_table,
	[CFG_M_TRANSFORM_SET] = &cfg_transform_set_table,
	[CFG_M_IPSEC_PROFILE] = &cfg_ipsec_profile_table,
	[CFG_M_INTERFACE] = &cfg_interface_table,
	[CFG_M_FOREIGN_INTERFACE] = &cfg_foreign_interface_table,
	[CFG_M_ISAKMP_POLICY] = &cfg_isakmp_policy_table,
	[CFG_M_ISAKMP_PROFILE] = &cfg_isakmp_profile_table,
};

static const char *const mode_names[CFG_M_COUNT] = {
	[CFG_M_GLOBAL] = "global configuration",
	[CFG_M_TRUSTPOINT] = "crypto pki trustpoint",
	[CFG_M_PROPOSAL] = "crypto ikev2 proposal",
	[CFG_M_POLICY] = "crypto ikev2 policy",
	[CFG_M_KEYRING] = "crypto ikev2 keyring",
	[CFG_M_KEYRING_PEER] = "keyring peer",
	[CFG_M_PROFILE] = "crypto ikev2 profile",
	[CFG_M_TRANSFORM_SET] = "crypto ipsec transform-set",
	[CFG_M_IPSEC_PROFILE] = "crypto ipsec profile",
	[CFG_M_INTERFACE] = "interface",
	[CFG_M_FOREIGN_INTERFACE] = "interface (ignored)",
	[CFG_M_ISAKMP_POLICY] = "crypto isakmp policy (ignored)",
	[CFG_M_ISAKMP_PROFILE] = "crypto isakmp profile (ignored)",
};

const struct cfg_cmd *cfg_mode_commands(enum cfg_mode mode, size_t *n)
{
	*n = tables[mode]->n;
	return tables[mode]->cmds;
}

const char *cfg_mode_name(enum cfg_mode mode)
{
	return mode_names[mode];
}

enum cfg_mode cfg_mode_parent(enum cfg_mode mode)
{
	return mode == CFG_M_KEYRING_PEER ? CFG_M_KEYRING : CFG_M_GLOBAL;
}
