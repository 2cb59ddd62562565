// SPDX-License-Identifier: GPL-2.0
/*
 * Global configuration mode, the crypto-map lines refused as a whole,
 * and the map from each mode to its command table (the tables themselves
 * live next to their handlers).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

/* ---------------------------------------------------------------- */
/* Crypto maps: policy-based, so not ours. One error names the
 * route-based equivalent; the map's lines are skipped without more. */

void cfg_crypto_map_error(struct cfg_parser *p, const struct cfg_token *t)
{
	cfg_error_at(p, t, "crypto maps are not supported: ikevti is "
		     "route-based; write 'interface TunnelN' with 'tunnel "
		     "destination PEER' and 'tunnel protection ipsec profile "
		     "NAME' instead, and route the traffic into the tunnel");
}

static void crypto_map(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs)
{
	(void)arg;
	(void)nargs;
	cfg_crypto_map_error(p, &p->line->tok[p->negate ? 1 : 0]);
	p->mode = CFG_M_SWALLOW;
}

/* "crypto map NAME" applied to an interface: the same error, and the
 * interface's other lines are still read. */
void cfg_interface_crypto_map(struct cfg_parser *p,
			      const struct cfg_token *arg, size_t nargs)
{
	(void)arg;
	(void)nargs;
	cfg_crypto_map_error(p, &p->line->tok[p->negate ? 1 : 0]);
}

static void isakmp_invalid_spi(struct cfg_parser *p,
			       const struct cfg_token *arg, size_t nargs)
{
	(void)arg;
	(void)nargs;
	cfg_warn_at(p, &p->line->tok[p->negate ? 1 : 0], "'crypto isakmp "
		    "invalid-spi-recovery' ignored: not implemented by "
		    "ikevtid");
}

/* crypto ikev2 nat keepalive SECONDS: how often the kernel refreshes a
 * NAT mapping we sit behind, on SAs negotiated from then on (IOS range). */
static void ikev2_nat_keepalive(struct cfg_parser *p,
				const struct cfg_token *arg, size_t nargs)
{
	(void)nargs;
	cfg_parse_u32(p, &arg[0], 5, 3600, &p->m->nat_keepalive_s);
}

/* ---------------------------------------------------------------- */
/* Tables */

static const struct cfg_cmd global_cmds[] = {
	CMD("crypto pki trustpoint", cfg_cmd_trustpoint, 1, 1, false),
	CMD("crypto ca trustpoint", cfg_cmd_trustpoint, 1, 1, false),
	CMD("crypto pki certificate map", cfg_cmd_cert_map, 2, 2, false),
	CMD("crypto ikev2 proposal", cfg_cmd_proposal, 1, 1, false),
	CMD("crypto ikev2 policy", cfg_cmd_policy, 1, 1, false),
	CMD("crypto ikev2 keyring", cfg_cmd_keyring, 1, 1, false),
	CMD("crypto ikev2 profile", cfg_cmd_profile, 1, 1, false),
	CMD("crypto ikev2 nat keepalive", ikev2_nat_keepalive, 1, 1, false),
	CMD("crypto ipsec transform-set", cfg_cmd_transform_set, 2, 8, false),
	CMD("crypto ipsec profile", cfg_cmd_ipsec_profile, 1, 1, false),
	CMD("crypto ipsec nat-transparency udp-encapsulation",
	    cfg_cmd_nat_transparency, 0, 0, true),
	CMD("crypto isakmp policy", cfg_cmd_isakmp_policy, 1, 1, false),
	CMD("crypto isakmp profile", cfg_cmd_isakmp_profile, 1, 1, false),
	CMD("crypto isakmp key", cfg_cmd_isakmp_key, 3, 7, false),
	CMD("crypto isakmp identity", cfg_cmd_isakmp_identity, 1, 1, false),
	CMD("crypto isakmp keepalive", cfg_cmd_isakmp_keepalive, 1, 3, false),
	CMD("crypto isakmp nat keepalive", cfg_cmd_isakmp_nat_keepalive, 1, 1,
	    false),
	CMD("crypto isakmp fragmentation", cfg_cmd_isakmp_fragmentation, 0, 0,
	    true),
	CMD("crypto isakmp aggressive-mode disable",
	    cfg_cmd_isakmp_aggressive_disable, 0, 0, true),
	CMD("crypto isakmp invalid-spi-recovery", isakmp_invalid_spi, 0, 0,
	    true),
	CMD("crypto keyring", cfg_cmd_isakmp_keyring, 1, 1, false),
	CMD("crypto map", crypto_map, 0, CFG_NARGS_REST, true),
	CMD("interface", cfg_cmd_interface, 1, 1, false),
	CMD("hostname", cfg_cmd_hostname, 1, 1, false),
	CMD("ip domain-name", cfg_cmd_domain_name, 1, 1, false),
	CMD("ip domain name", cfg_cmd_domain_name, 1, 1, false),
	CMD("ip route", cfg_ignore_warn, 2, CFG_NARGS_REST, false),
	CMD("ipv6 route", cfg_ignore_warn, 2, CFG_NARGS_REST, false),
	CMD("version", cfg_ignore_warn, 1, 1, false),
};

const struct cfg_cmd_table cfg_global_table =
	CFG_TABLE(global_cmds);

/* The block of a line in error: nothing of its own, every line that is
 * not a global command is skipped (config.c). */
const struct cfg_cmd_table cfg_swallow_table = { NULL, 0 };

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
	[CFG_M_ISAKMP_KEYRING] = &cfg_isakmp_keyring_table,
	[CFG_M_CERT_MAP] = &cfg_cert_map_table,
	[CFG_M_SWALLOW] = &cfg_swallow_table,
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
	[CFG_M_ISAKMP_POLICY] = "crypto isakmp policy",
	[CFG_M_ISAKMP_PROFILE] = "crypto isakmp profile",
	[CFG_M_ISAKMP_KEYRING] = "crypto keyring",
	[CFG_M_CERT_MAP] = "crypto pki certificate map",
	[CFG_M_SWALLOW] = "a block in error",
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
