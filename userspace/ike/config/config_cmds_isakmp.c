// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 global configuration: "crypto isakmp policy" blocks, global
 * pre-shared keys, identity, DPD and NAT-T settings, and the "hostname" /
 * "ip domain name" pair that IOS turns into our FQDN identity.
 *
 * Algorithms are stored as the IKEv2 IANA numbers (ikev2_const.h) so that
 * both versions share one vocabulary; IOS's broken defaults (DES, group 1)
 * are never taken silently.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "crypto/dh.h"
#include "ikev2/ikev2_const.h"

/* ---------------------------------------------------------------- */
/* crypto isakmp policy PRIORITY */

/* Policies stay sorted by priority as they are created, so the model
 * is already in the order the engine offers them. */
static struct cfg_isakmp_policy *insert_policy(struct cfg_parser *p,
					       uint32_t prio, size_t *index)
{
	struct cfg_model *m = p->m;
	void *arr = m->isakmp_policies;
	size_t i;

	for (i = 0; i < m->n_isakmp_policies; i++)
		if (m->isakmp_policies[i].priority >= prio)
			break;
	*index = i;
	if (i < m->n_isakmp_policies && m->isakmp_policies[i].priority == prio)
		return &m->isakmp_policies[i];
	if (!cfg_array_add(p, &arr, &m->n_isakmp_policies,
			   sizeof(struct cfg_isakmp_policy)))
		return NULL;
	m->isakmp_policies = arr;
	memmove(&m->isakmp_policies[i + 1], &m->isakmp_policies[i],
		(m->n_isakmp_policies - i - 1) * sizeof(m->isakmp_policies[0]));
	memset(&m->isakmp_policies[i], 0, sizeof(m->isakmp_policies[0]));
	return &m->isakmp_policies[i];
}

void cfg_cmd_isakmp_policy(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	struct cfg_isakmp_policy *po = NULL;
	uint32_t prio;
	size_t i = 0;

	(void)nargs;
	if (cfg_parse_u32(p, &arg[0], 1, 10000, &prio))
		po = insert_policy(p, prio, &i);
	if (po && po->priority == 0) {
		/* The IOS defaults that are safe; encryption and group
		 * have none (config_check.c says which line to add). */
		po->priority = prio;
		po->loc = cfg_tok_loc(p, &arg[0]);
		po->auth = CFG_AUTH_RSA_SIG;
		po->prf = IKEV2_PRF_HMAC_SHA1;
		po->integ = IKEV2_INTEG_HMAC_SHA1_96;
		po->lifetime_s = 86400;
	}
	cfg_enter(p, CFG_M_ISAKMP_POLICY, po != NULL, i);
}

static struct cfg_isakmp_policy *cur_policy(struct cfg_parser *p)
{
	return cfg_have_current(p, p->m->n_isakmp_policies) ?
		       CUR(p, isakmp_policies) : NULL;
}

static void update_legacy(struct cfg_isakmp_policy *po)
{
	po->legacy = po->encr.id == IKEV2_ENCR_3DES ||
		     po->prf == IKEV2_PRF_HMAC_MD5 || cfg_dh_is_legacy(po->group);
}

static void legacy_warning(struct cfg_parser *p, const struct cfg_token *t,
			   const char *what)
{
	cfg_warn_at(p, t, "%s %.*s is legacy; accepted only because it is "
		    "configured", what, (int)t->len, t->s);
}

/* encryption des | 3des | aes [128|192|256] */
static void pol_encryption(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	struct cfg_isakmp_policy *po = cur_policy(p);
	uint32_t bits = 128;

	if (!po)
		return;
	if (p->negate) {
		po->encr = (struct cfg_alg){ 0 };
		update_legacy(po);
		return;
	}
	if (cfg_tok_eq(&arg[0], "des")) {
		cfg_error_at(p, &arg[0], "single DES is broken and not "
			     "supported; use 'encryption aes 256'");
		return;
	}
	if (cfg_tok_eq(&arg[0], "3des") && nargs == 1) {
		legacy_warning(p, &arg[0], "encryption");
		po->encr = (struct cfg_alg){ IKEV2_ENCR_3DES, 0 };
	} else if (cfg_tok_eq(&arg[0], "aes")) {
		if (nargs == 2 && (!cfg_parse_u32(p, &arg[1], 128, 256, &bits) ||
				   bits % 64 != 0)) {
			if (bits % 64 != 0)
				cfg_error_at(p, &arg[1], "AES key length %u is "
					     "not 128, 192 or 256", bits);
			return;
		}
		po->encr = (struct cfg_alg){ IKEV2_ENCR_AES_CBC,
					     (uint16_t)bits };
	} else {
		cfg_error_at(p, &arg[nargs - 1], "expected 'encryption aes "
			     "[128|192|256]' or '3des' (legacy)");
		return;
	}
	update_legacy(po);
}

struct hash_word {
	const char *word;
	uint16_t prf, integ;
};

static const struct hash_word hash_words[] = {
	{ "sha", IKEV2_PRF_HMAC_SHA1, IKEV2_INTEG_HMAC_SHA1_96 },
	{ "sha256", IKEV2_PRF_HMAC_SHA2_256, IKEV2_INTEG_HMAC_SHA2_256_128 },
	{ "sha384", IKEV2_PRF_HMAC_SHA2_384, IKEV2_INTEG_HMAC_SHA2_384_192 },
	{ "sha512", IKEV2_PRF_HMAC_SHA2_512, IKEV2_INTEG_HMAC_SHA2_512_256 },
	{ "md5", IKEV2_PRF_HMAC_MD5, IKEV2_INTEG_HMAC_MD5_96 },
};

static void pol_hash(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs)
{
	struct cfg_isakmp_policy *po = cur_policy(p);
	const struct hash_word *h = &hash_words[0];	/* "no hash": sha */

	(void)nargs;
	if (!po)
		return;
	if (!p->negate) {
		size_t i, n = sizeof(hash_words) / sizeof(hash_words[0]);

		for (i = 0; i < n && !cfg_tok_eq(&arg[0], hash_words[i].word);
		     i++)
			;
		if (i == n) {
			cfg_error_at(p, &arg[0], "unknown hash '%.*s' "
				     "(expected sha, sha256, sha384, sha512 "
				     "or md5)", (int)arg[0].len, arg[0].s);
			return;
		}
		h = &hash_words[i];
		if (h->prf == IKEV2_PRF_HMAC_MD5)
			legacy_warning(p, &arg[0], "hash");
	}
	po->prf = h->prf;
	po->integ = h->integ;
	update_legacy(po);
}

static void pol_authentication(struct cfg_parser *p,
			       const struct cfg_token *arg, size_t nargs)
{
	struct cfg_isakmp_policy *po = cur_policy(p);

	(void)nargs;
	if (!po)
		return;
	if (p->negate)
		po->auth = CFG_AUTH_RSA_SIG;
	else if (cfg_tok_eq(&arg[0], "pre-share"))
		po->auth = CFG_AUTH_PRE_SHARE;
	else if (cfg_tok_eq(&arg[0], "rsa-sig"))
		po->auth = CFG_AUTH_RSA_SIG;
	else if (cfg_tok_eq(&arg[0], "rsa-encr"))
		cfg_error_at(p, &arg[0], "authentication rsa-encr (RSA "
			     "encrypted nonces) is not supported; use rsa-sig "
			     "or pre-share");
	else
		cfg_error_at(p, &arg[0], "unknown authentication '%.*s' "
			     "(expected pre-share or rsa-sig)",
			     (int)arg[0].len, arg[0].s);
}

/* group 1|2|5|14|15|16|19|20|21|24: what IOS offers, checked against what
 * dh.c implements. */
static void pol_group(struct cfg_parser *p, const struct cfg_token *arg,
		      size_t nargs)
{
	static const uint32_t ios_groups[] = { 1, 2, 5, 14, 15, 16, 19, 20,
					       21, 24 };
	struct cfg_isakmp_policy *po = cur_policy(p);
	uint32_t g;
	size_t i, n = sizeof(ios_groups) / sizeof(ios_groups[0]);

	(void)nargs;
	if (!po)
		return;
	if (p->negate) {
		po->group = 0;
		update_legacy(po);
		return;
	}
	if (!cfg_parse_u32(p, &arg[0], 1, 24, &g))
		return;
	for (i = 0; i < n && ios_groups[i] != g; i++)
		;
	if (i == n) {
		cfg_error_at(p, &arg[0], "'%u' is not an isakmp DH group "
			     "(1, 2, 5, 14, 15, 16, 19, 20, 21, 24)", g);
	} else if (g == 1) {
		cfg_error_at(p, &arg[0], "DH group 1 (768-bit MODP) is broken "
			     "and not supported; use group 14, 19, 20 or 21");
	} else if (!ike_dh_supported((uint16_t)g)) {
		cfg_error_at(p, &arg[0], "DH group %u is not supported by "
			     "ikevtid; use group 14, 15, 16, 19, 20 or 21", g);
	} else {
		if (cfg_dh_is_legacy((uint16_t)g))
			cfg_warn_at(p, &arg[0], "DH group %u is legacy; "
				    "accepted only because it is configured",
				    g);
		po->group = (uint16_t)g;
		update_legacy(po);
	}
}

static void pol_lifetime(struct cfg_parser *p, const struct cfg_token *arg,
			 size_t nargs)
{
	struct cfg_isakmp_policy *po = cur_policy(p);

	(void)nargs;
	if (!po)
		return;
	if (p->negate)
		po->lifetime_s = 86400;
	else
		cfg_parse_u32(p, &arg[0], 60, 86400, &po->lifetime_s);
}

/* ---------------------------------------------------------------- */
/* Pre-shared keys */

bool cfg_parse_psk_key(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs, char *dst, size_t size)
{
	const struct cfg_token *key = &arg[0];

	if (nargs == 2 && cfg_tok_eq(&arg[0], "6")) {
		cfg_error_at(p, &arg[0], "type 6 (encrypted) keys are not "
			     "supported yet; write the key in clear (type 0)");
		return false;
	}
	if (nargs == 2 && cfg_tok_eq(&arg[0], "0")) {
		key = &arg[1];
	} else if (nargs == 2) {
		cfg_error_at(p, &arg[0], "expected [0] KEY, not type '%.*s'",
			     (int)arg[0].len, arg[0].s);
		return false;
	} else if (nargs != 1) {
		cfg_error_at(p, nargs ? &arg[nargs - 1] :
					&p->line->tok[p->line->n - 1],
			     "expected [0] KEY");
		return false;
	}
	return cfg_tok_copy(p, key, dst, size, "pre-shared key");
}

static bool same_peer(const struct cfg_isakmp_psk *a,
		      const struct cfg_isakmp_psk *b)
{
	if (a->by_hostname != b->by_hostname)
		return false;
	if (a->by_hostname)
		return strcasecmp(a->hostname, b->hostname) == 0;
	return a->addr.family == b->addr.family &&
	       a->addr.prefix == b->addr.prefix &&
	       memcmp(a->addr.bytes, b->addr.bytes, sizeof(a->addr.bytes)) == 0;
}

/* IOS replaces the key of a peer that is given again. */
static void store_psk(struct cfg_parser *p, struct cfg_isakmp_psk **keys,
		      size_t *n, struct cfg_isakmp_psk *k)
{
	void *arr = *keys;
	struct cfg_isakmp_psk *slot = NULL;

	for (size_t i = 0; i < *n && !slot; i++)
		if (same_peer(&(*keys)[i], k))
			slot = &(*keys)[i];
	if (!slot) {
		slot = cfg_array_add(p, &arr, n, sizeof(*slot));
		if (!slot)
			goto out;
		*keys = arr;
	}
	*slot = *k;
out:
	explicit_bzero(k->key, sizeof(k->key));
}

/* "address [ipv6] A [MASK] [no-xauth]" or "hostname H [no-xauth]" at
 * arg[0..nargs), into k. */
static bool parse_psk_peer(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs, struct cfg_isakmp_psk *k)
{
	bool addr = cfg_tok_eq(&arg[0], "address");

	if (nargs > 1 && cfg_tok_eq(&arg[nargs - 1], "no-xauth")) {
		cfg_warn_at(p, &arg[nargs - 1], "'no-xauth' has no effect: "
			    "ikevtid does no XAUTH");
		nargs--;
	}
	if (addr && nargs > 1 && cfg_tok_eq(&arg[1], "ipv6")) {
		arg++;
		nargs--;
	}
	if (nargs < 2 || nargs > (addr ? 3u : 2u)) {
		cfg_error_at(p, &arg[nargs < 2 ? nargs - 1 : (addr ? 3 : 2)],
			     "expected 'address A [MASK]' or 'hostname H'");
		return false;
	}
	k->loc = cfg_tok_loc(p, &arg[1]);
	if (addr)
		return cfg_parse_addr_mask(p, &arg[1], nargs - 1, &k->addr);
	k->by_hostname = true;
	return cfg_tok_copy(p, &arg[1], k->hostname, sizeof(k->hostname),
			    "hostname");
}

/* crypto isakmp key [0|6] KEY address A [MASK] | hostname H */
void cfg_cmd_isakmp_key(struct cfg_parser *p, const struct cfg_token *arg,
			size_t nargs)
{
	struct cfg_isakmp_psk k = { 0 };
	size_t at;

	for (at = 1; at < nargs && at <= 2; at++)
		if (cfg_tok_eq(&arg[at], "address") ||
		    cfg_tok_eq(&arg[at], "hostname"))
			break;
	if (at >= nargs || at > 2) {
		cfg_error_at(p, &arg[nargs - 1], "expected 'crypto isakmp key "
			     "[0] KEY address A [MASK]' or '... hostname H'");
		return;
	}
	if (!cfg_parse_psk_key(p, arg, at, k.key, sizeof(k.key)) ||
	    !parse_psk_peer(p, &arg[at], nargs - at, &k)) {
		explicit_bzero(k.key, sizeof(k.key));
		return;
	}
	store_psk(p, &p->m->isakmp_keys, &p->m->n_isakmp_keys, &k);
}

/* Shared with "pre-shared-key address|hostname ... key KEY" in a
 * keyring: arg[0] is "address" or "hostname". */
void cfg_keyring_psk(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs, struct cfg_isakmp_psk **keys, size_t *n)
{
	struct cfg_isakmp_psk k = { 0 };
	size_t at;

	for (at = 2; at < nargs && !cfg_tok_eq(&arg[at], "key"); at++)
		;
	if (at >= nargs - 1) {
		cfg_error_at(p, &arg[nargs - 1], "expected 'pre-shared-key "
			     "address A [MASK] key KEY' or 'pre-shared-key "
			     "hostname H key KEY'");
		return;
	}
	if (!parse_psk_peer(p, arg, at, &k) ||
	    !cfg_parse_psk_key(p, &arg[at + 1], nargs - at - 1, k.key,
			       sizeof(k.key))) {
		explicit_bzero(k.key, sizeof(k.key));
		return;
	}
	store_psk(p, keys, n, &k);
}

/* ---------------------------------------------------------------- */
/* Global settings */

void cfg_parse_local_address(struct cfg_parser *p, const struct cfg_token *t,
			     struct cfg_local_address *out)
{
	memset(out, 0, sizeof(*out));
	out->loc = cfg_tok_loc(p, t);
	if (cfg_token_is_addr(t, &out->addr)) {
		out->set = true;
		return;
	}
	out->is_ifname = true;
	out->set = cfg_valid_name(p, t, out->ifname, sizeof(out->ifname));
}

void cfg_cmd_isakmp_identity(struct cfg_parser *p,
			     const struct cfg_token *arg, size_t nargs)
{
	struct cfg_isakmp_global *g = &p->m->isakmp;

	(void)nargs;
	if (cfg_tok_eq(&arg[0], "address"))
		g->identity = CFG_ID_ADDRESS;
	else if (cfg_tok_eq(&arg[0], "hostname"))
		g->identity = CFG_ID_FQDN;
	else if (cfg_tok_eq(&arg[0], "dn"))
		g->identity = CFG_ID_DN;
	else {
		cfg_error_at(p, &arg[0], "expected 'crypto isakmp identity "
			     "address', 'hostname' or 'dn'");
		return;
	}
	g->identity_loc = cfg_tok_loc(p, &arg[0]);
}

/* crypto isakmp keepalive SECONDS [RETRY] [periodic | on-demand] */
void cfg_cmd_isakmp_keepalive(struct cfg_parser *p,
			      const struct cfg_token *arg, size_t nargs)
{
	struct cfg_isakmp_global *g = &p->m->isakmp;
	uint32_t secs, retry = 2;
	bool periodic = false;
	size_t i = 1;

	if (!cfg_parse_u32(p, &arg[0], 10, 3600, &secs))
		return;
	if (i < nargs && arg[i].s[0] >= '0' && arg[i].s[0] <= '9' &&
	    !cfg_parse_u32(p, &arg[i++], 2, 60, &retry))
		return;
	if (i < nargs) {
		periodic = cfg_tok_eq(&arg[i], "periodic");
		if (!periodic && !cfg_tok_eq(&arg[i], "on-demand")) {
			cfg_error_at(p, &arg[i], "expected periodic or "
				     "on-demand");
			return;
		}
		i++;
	}
	if (i < nargs) {
		cfg_error_at(p, &arg[i], "unexpected '%.*s' after 'crypto "
			     "isakmp keepalive'", (int)arg[i].len, arg[i].s);
		return;
	}
	g->keepalive_s = secs;
	g->keepalive_retry_s = retry;
	g->keepalive_periodic = periodic;
}

void cfg_cmd_isakmp_nat_keepalive(struct cfg_parser *p,
				  const struct cfg_token *arg, size_t nargs)
{
	(void)nargs;
	cfg_parse_u32(p, &arg[0], 5, 3600, &p->m->isakmp.nat_keepalive_s);
}

void cfg_cmd_isakmp_fragmentation(struct cfg_parser *p,
				  const struct cfg_token *arg, size_t nargs)
{
	(void)arg;
	(void)nargs;
	p->m->isakmp.fragmentation = !p->negate;
}

void cfg_cmd_isakmp_aggressive_disable(struct cfg_parser *p,
				       const struct cfg_token *arg,
				       size_t nargs)
{
	(void)arg;
	(void)nargs;
	p->m->isakmp.aggressive_mode_disabled = !p->negate;
}

/* NAT-T is on unless "no crypto ipsec nat-transparency udp-encapsulation"
 * turns it off, as on IOS. */
void cfg_cmd_nat_transparency(struct cfg_parser *p,
			      const struct cfg_token *arg, size_t nargs)
{
	(void)arg;
	(void)nargs;
	p->m->isakmp.nat_t_disabled = p->negate;
}

void cfg_cmd_hostname(struct cfg_parser *p, const struct cfg_token *arg,
		      size_t nargs)
{
	(void)nargs;
	cfg_valid_name(p, &arg[0], p->m->hostname, sizeof(p->m->hostname));
}

void cfg_cmd_domain_name(struct cfg_parser *p, const struct cfg_token *arg,
			 size_t nargs)
{
	(void)nargs;
	cfg_tok_copy(p, &arg[0], p->m->domain_name, sizeof(p->m->domain_name),
		     "domain name");
}

/* ---------------------------------------------------------------- */
/* Tables */

static const struct cfg_cmd isakmp_policy_cmds[] = {
	CMD("encryption", pol_encryption, 1, 2, true),
	CMD("encr", pol_encryption, 1, 2, true),
	CMD("hash", pol_hash, 1, 1, true),
	CMD("authentication", pol_authentication, 1, 1, true),
	CMD("group", pol_group, 1, 1, true),
	CMD("lifetime", pol_lifetime, 1, 1, true),
};

const struct cfg_cmd_table cfg_isakmp_policy_table =
	CFG_TABLE(isakmp_policy_cmds);
