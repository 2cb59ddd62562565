// SPDX-License-Identifier: GPL-2.0
/*
 * "crypto ipsec transform-set" and "crypto ipsec profile".
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

/* ---------------------------------------------------------------- */
/* crypto ipsec transform-set */

static bool tset_key_bits(struct cfg_parser *p, const struct cfg_token *arg,
			  size_t nargs, size_t *i, bool gcm, uint16_t *bits)
{
	uint32_t v;

	*bits = 128;
	if (*i + 1 >= nargs || arg[*i + 1].s[0] < '0' ||
	    arg[*i + 1].s[0] > '9')
		return true;
	(*i)++;
	if (!cfg_parse_u32(p, &arg[*i], 128, 256, &v))
		return false;
	if (v != 128 && v != 256 && (gcm || v != 192)) {
		cfg_error_at(p, &arg[*i], "key size %u is not offered "
			     "(128, %s256)", v, gcm ? "" : "192, ");
		return false;
	}
	*bits = (uint16_t)v;
	return true;
}

static const struct {
	const char *word;
	uint16_t integ;
} esp_integ_words[] = {
	{ "esp-sha-hmac", IKEV2_INTEG_HMAC_SHA1_96 },
	{ "esp-sha256-hmac", IKEV2_INTEG_HMAC_SHA2_256_128 },
	{ "esp-sha384-hmac", IKEV2_INTEG_HMAC_SHA2_384_192 },
	{ "esp-sha512-hmac", IKEV2_INTEG_HMAC_SHA2_512_256 },
	{ "esp-md5-hmac", IKEV2_INTEG_HMAC_MD5_96 },
};

static bool tset_one(struct cfg_parser *p, struct cfg_transform_set *ts,
		     const struct cfg_token *arg, size_t nargs, size_t *i)
{
	const struct cfg_token *t = &arg[*i];

	if (cfg_tok_eq(t, "esp-aes") || cfg_tok_eq(t, "esp-gcm")) {
		bool gcm = cfg_tok_eq(t, "esp-gcm");

		if (ts->encr.id) {
			cfg_error_at(p, t, "a second encryption transform");
			return false;
		}
		ts->encr.id = gcm ? IKEV2_ENCR_AES_GCM_16 : IKEV2_ENCR_AES_CBC;
		return tset_key_bits(p, arg, nargs, i, gcm,
				     &ts->encr.key_bits);
	}
	if (cfg_tok_eq(t, "esp-3des")) {
		if (ts->encr.id) {
			cfg_error_at(p, t, "a second encryption transform");
			return false;
		}
		ts->encr.id = IKEV2_ENCR_3DES;
		ts->legacy = true;
		cfg_warn_at(p, t, "esp-3des is legacy; accepted only because "
			    "it is configured");
		return true;
	}
	for (size_t k = 0; k < sizeof(esp_integ_words) /
				   sizeof(esp_integ_words[0]); k++) {
		if (!cfg_tok_eq(t, esp_integ_words[k].word))
			continue;
		if (ts->integ) {
			cfg_error_at(p, t, "a second integrity transform");
			return false;
		}
		ts->integ = esp_integ_words[k].integ;
		if (ts->integ == IKEV2_INTEG_HMAC_MD5_96) {
			ts->legacy = true;
			cfg_warn_at(p, t, "esp-md5-hmac is legacy; accepted "
				    "only because it is configured");
		}
		return true;
	}
	cfg_error_at(p, t, "unknown transform '%.*s' (expected esp-aes, "
		     "esp-gcm, esp-3des, esp-sha-hmac, esp-sha256-hmac, "
		     "esp-sha384-hmac, esp-sha512-hmac, esp-md5-hmac)",
		     (int)t->len, t->s);
	return false;
}

void cfg_cmd_transform_set(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	struct cfg_transform_set *ts;
	size_t idx;
	bool ok = FIND_OR_ADD(p, transform_sets, n_transform_sets,
				struct cfg_transform_set, &arg[0], &idx);

	cfg_enter(p, CFG_M_TRANSFORM_SET, ok, idx);
	if (!ok)
		return;
	ts = &p->m->transform_sets[idx];
	/* IOS replaces the transforms when the line is entered again. */
	ts->encr = (struct cfg_alg){ 0 };
	ts->integ = 0;
	ts->legacy = false;
	for (size_t i = 1; i < nargs; i++)
		if (!tset_one(p, ts, arg, nargs, &i))
			return;
	if (!ts->encr.id)
		cfg_error_at(p, &arg[nargs - 1], "transform-set %s has no "
			     "encryption transform", ts->name);
	else if (ts->encr.id == IKEV2_ENCR_AES_GCM_16 && ts->integ)
		cfg_error_at(p, &arg[nargs - 1], "esp-gcm includes integrity; "
			     "remove the esp-*-hmac transform");
	else if (ts->encr.id != IKEV2_ENCR_AES_GCM_16 && !ts->integ)
		cfg_error_at(p, &arg[nargs - 1], "transform-set %s has no "
			     "integrity transform", ts->name);
}

static void tset_mode(struct cfg_parser *p, const struct cfg_token *arg,
		      size_t nargs)
{
	(void)nargs;
	if (!cfg_tok_eq(&arg[0], "tunnel"))
		cfg_error_at(p, &arg[0], "only 'mode tunnel' is supported: "
			     "ikevti devices are tunnel interfaces");
}

/* ---------------------------------------------------------------- */
/* crypto ipsec profile */

void cfg_cmd_ipsec_profile(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	size_t i;
	bool ok = FIND_OR_ADD(p, ipsec_profiles, n_ipsec_profiles,
				struct cfg_ipsec_profile, &arg[0], &i);

	(void)nargs;
	if (ok && p->m->ipsec_profiles[i].lifetime_s == 0) {
		/* IOS defaults: 3600 s, 4608000 KB; our window is 64. */
		p->m->ipsec_profiles[i].lifetime_s = 3600;
		p->m->ipsec_profiles[i].lifetime_kb = 4608000;
		p->m->ipsec_profiles[i].replay_window = 64;
	}
	cfg_enter(p, CFG_M_IPSEC_PROFILE, ok, i);
}

static struct cfg_ipsec_profile *cur_ipsec(struct cfg_parser *p)
{
	return cfg_have_current(p, p->m->n_ipsec_profiles) ?
		       CUR(p, ipsec_profiles) : NULL;
}

static void ip_set_tset(struct cfg_parser *p, const struct cfg_token *arg,
			size_t nargs)
{
	struct cfg_ipsec_profile *ip = cur_ipsec(p);

	if (!ip)
		return;
	/* IOS replaces the list on every "set transform-set". */
	if (!p->negate)
		ip->n_transform_set = 0;
	for (size_t i = 0; i < nargs; i++)
		cfg_edit_ref_list(p, ip->transform_set, &ip->n_transform_set, 6,
				  &arg[i]);
	if (p->negate && nargs == 0)
		ip->n_transform_set = 0;
}

static void ip_set_ikev2_profile(struct cfg_parser *p,
				 const struct cfg_token *arg, size_t nargs)
{
	struct cfg_ipsec_profile *ip = cur_ipsec(p);

	(void)nargs;
	if (!ip)
		return;
	ip->has_ikev2_profile = false;
	if (p->negate)
		return;
	if (cfg_valid_name(p, &arg[0], ip->ikev2_profile.name,
			   sizeof(ip->ikev2_profile.name))) {
		ip->ikev2_profile.loc = cfg_tok_loc(p, &arg[0]);
		ip->has_ikev2_profile = true;
	}
}

static void ip_set_isakmp_profile(struct cfg_parser *p,
				  const struct cfg_token *arg, size_t nargs)
{
	struct cfg_ipsec_profile *ip = cur_ipsec(p);

	(void)nargs;
	if (!ip)
		return;
	ip->has_isakmp_profile = false;
	if (p->negate)
		return;
	if (cfg_valid_name(p, &arg[0], ip->isakmp_profile.name,
			   sizeof(ip->isakmp_profile.name))) {
		ip->isakmp_profile.loc = cfg_tok_loc(p, &arg[0]);
		ip->has_isakmp_profile = true;
	}
}

static void ip_set_pfs(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs)
{
	struct cfg_ipsec_profile *ip = cur_ipsec(p);

	if (!ip)
		return;
	if (p->negate) {
		ip->pfs_group = 0;
		return;
	}
	if (nargs == 0) {
		cfg_error_at(p, &p->line->tok[p->line->n - 1], "name the PFS "
			     "group (IOS's default, group1, is not supported)");
		return;
	}
	cfg_parse_dh_group(p, &arg[0], "group", &ip->pfs_group);
}

static void ip_lifetime_seconds(struct cfg_parser *p,
				const struct cfg_token *arg, size_t nargs)
{
	struct cfg_ipsec_profile *ip = cur_ipsec(p);

	(void)nargs;
	if (!ip)
		return;
	if (p->negate)
		ip->lifetime_s = 3600;
	else
		cfg_parse_u32(p, &arg[0], 120, 86400, &ip->lifetime_s);
}

static void ip_lifetime_kb(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	struct cfg_ipsec_profile *ip = cur_ipsec(p);
	uint32_t kb;

	(void)nargs;
	if (!ip)
		return;
	if (p->negate)
		ip->lifetime_kb = 4608000;
	else if (cfg_tok_eq(&arg[0], "disable"))
		ip->lifetime_kb = 0;
	else if (cfg_parse_u32(p, &arg[0], 2560, 4294967295u, &kb))
		ip->lifetime_kb = kb;
}

static void ip_replay_window(struct cfg_parser *p,
			     const struct cfg_token *arg, size_t nargs)
{
	struct cfg_ipsec_profile *ip = cur_ipsec(p);

	(void)nargs;
	if (!ip)
		return;
	if (p->negate)
		ip->replay_window = 64;
	else
		cfg_parse_u32(p, &arg[0], 1, 4096, &ip->replay_window);
}

static void ip_replay_disable(struct cfg_parser *p,
			      const struct cfg_token *arg, size_t nargs)
{
	struct cfg_ipsec_profile *ip = cur_ipsec(p);

	(void)arg;
	(void)nargs;
	if (ip)
		ip->replay_window = p->negate ? 64 : 0;
}

/* ---------------------------------------------------------------- */
/* Tables */

static const struct cfg_cmd transform_set_cmds[] = {
	CMD("mode", tset_mode, 1, 1, false),
};

const struct cfg_cmd_table cfg_transform_set_table =
	CFG_TABLE(transform_set_cmds);

static const struct cfg_cmd ipsec_profile_cmds[] = {
	CMD("set transform-set", ip_set_tset, 1, 6, true),
	CMD("set ikev2-profile", ip_set_ikev2_profile, 1, 1, true),
	CMD("set isakmp-profile", ip_set_isakmp_profile, 1, 1, true),
	CMD("set pfs", ip_set_pfs, 0, 1, true),
	CMD("set security-association lifetime seconds", ip_lifetime_seconds,
	    1, 1, true),
	CMD("set security-association lifetime kilobytes", ip_lifetime_kb,
	    1, 1, true),
	CMD("set security-association replay window-size", ip_replay_window,
	    1, 1, true),
	CMD("set security-association replay disable", ip_replay_disable,
	    0, 0, true),
	CMD("description", cfg_ignore_silent, 1, CFG_NARGS_REST, false),
};

const struct cfg_cmd_table cfg_ipsec_profile_table =
	CFG_TABLE(ipsec_profile_cmds);
