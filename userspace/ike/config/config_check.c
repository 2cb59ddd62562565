// SPDX-License-Identifier: GPL-2.0
/*
 * Checks that need the whole file: names that refer to other objects,
 * and objects that are incomplete. They run after the last line, so an
 * object may be used before it is defined, as in IOS. Each error points
 * at the referencing token or at the object's definition.
 */
#include <string.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

static void error_at_loc(struct cfg_parser *p, struct cfg_loc loc,
			 const char *fmt, const char *a, const char *b)
{
	cfg_report(p, CFG_ERROR, loc, fmt, a, b);
}

static void check_ref(struct cfg_parser *p, const struct cfg_ref *ref,
		      bool found, const char *kind)
{
	if (!found)
		error_at_loc(p, ref->loc, "%s '%s' is not defined", kind,
			     ref->name);
}

static void check_trustpoints(struct cfg_parser *p)
{
	for (size_t i = 0; i < p->m->n_trustpoints; i++) {
		const struct cfg_trustpoint *tp = &p->m->trustpoints[i];

		if (!tp->ca_cert_file[0])
			error_at_loc(p, tp->loc, "trustpoint %s has no "
				     "ca-certificate-file%s", tp->name,
				     " (ikevtid does not enroll: name the "
				     "CA's PEM file)");
		if (!tp->cert_file[0] != !tp->key_file[0])
			error_at_loc(p, tp->loc, "trustpoint %s needs both "
				     "certificate-file and private-key-file%s",
				     tp->name, "");
	}
}

static bool has_aead(const struct cfg_ikev2_proposal *pr, bool aead)
{
	for (size_t i = 0; i < pr->n_encr; i++)
		if ((pr->encr[i].id == IKEV2_ENCR_AES_GCM_16) == aead)
			return true;
	return false;
}

/* IOS rules: AEAD and non-AEAD ciphers do not mix in one proposal; AEAD
 * takes no integrity and needs a prf; the prf defaults to integrity. */
static void check_proposal(struct cfg_parser *p, struct cfg_ikev2_proposal *pr)
{
	const char *n = pr->name;

	if (pr->n_encr == 0)
		error_at_loc(p, pr->loc, "proposal %s has no encryption%s", n,
			     "");
	if (pr->n_group == 0)
		error_at_loc(p, pr->loc, "proposal %s has no group%s", n, "");
	if (has_aead(pr, true) && has_aead(pr, false))
		error_at_loc(p, pr->loc, "proposal %s mixes AES-GCM with "
			     "other ciphers%s; use two proposals", n, "");
	if (has_aead(pr, true) && pr->n_integ > 0)
		error_at_loc(p, pr->loc, "proposal %s: AES-GCM takes no "
			     "integrity%s", n, "");
	if (has_aead(pr, true) && pr->n_prf == 0)
		error_at_loc(p, pr->loc, "proposal %s: AES-GCM needs a prf "
			     "line%s", n, "");
	if (has_aead(pr, false) && pr->n_integ == 0)
		error_at_loc(p, pr->loc, "proposal %s has no integrity%s", n,
			     "");
	if (pr->n_prf == 0) {
		for (size_t i = 0; i < pr->n_integ; i++)
			pr->prf[pr->n_prf++] = cfg_prf_for_integ(pr->integ[i]);
	}
}

static void check_policies(struct cfg_parser *p)
{
	for (size_t i = 0; i < p->m->n_proposals; i++)
		check_proposal(p, &p->m->proposals[i]);
	for (size_t i = 0; i < p->m->n_policies; i++) {
		const struct cfg_ikev2_policy *po = &p->m->policies[i];

		if (po->n_proposal == 0)
			error_at_loc(p, po->loc, "policy %s names no "
				     "proposal%s", po->name, "");
		for (size_t k = 0; k < po->n_proposal; k++)
			check_ref(p, &po->proposal[k],
				  cfg_find_proposal(p->m, po->proposal[k].name),
				  "proposal");
	}
}

static void check_keyrings(struct cfg_parser *p)
{
	for (size_t i = 0; i < p->m->n_keyrings; i++) {
		const struct cfg_ikev2_keyring *kr = &p->m->keyrings[i];

		for (size_t k = 0; k < kr->n_peers; k++) {
			const struct cfg_keyring_peer *peer = &kr->peers[k];

			if (!peer->psk_local[0] && !peer->psk_remote[0])
				error_at_loc(p, peer->loc, "keyring peer %s "
					     "has no pre-shared-key%s",
					     peer->name, "");
			if (!peer->has_addr && !peer->hostname[0] &&
			    peer->identity.type == CFG_ID_NONE)
				error_at_loc(p, peer->loc, "keyring peer %s "
					     "has no address, hostname or "
					     "identity%s", peer->name, "");
		}
	}
}

static bool uses_pre_share(const struct cfg_ikev2_profile *pf)
{
	if (pf->auth_local == CFG_AUTH_PRE_SHARE)
		return true;
	for (size_t i = 0; i < pf->n_auth_remote; i++)
		if (pf->auth_remote[i] == CFG_AUTH_PRE_SHARE)
			return true;
	return false;
}

static void check_profile(struct cfg_parser *p,
			  const struct cfg_ikev2_profile *pf)
{
	if (pf->auth_local == CFG_AUTH_NONE)
		error_at_loc(p, pf->loc, "profile %s has no 'authentication "
			     "local'%s", pf->name, "");
	if (pf->n_auth_remote == 0)
		error_at_loc(p, pf->loc, "profile %s has no 'authentication "
			     "remote'%s", pf->name, "");
	if (pf->n_match_remote == 0)
		cfg_report(p, CFG_WARNING, pf->loc, "profile %s has no 'match "
			   "identity remote': no peer can select it",
			   pf->name);
	if (pf->has_keyring)
		check_ref(p, &pf->keyring,
			  cfg_find_keyring(p->m, pf->keyring.name), "keyring");
	else if (uses_pre_share(pf))
		error_at_loc(p, pf->loc, "profile %s uses pre-share but names "
			     "no keyring%s", pf->name, "");
	for (size_t k = 0; k < pf->n_trustpoint; k++)
		check_ref(p, &pf->trustpoint[k],
			  cfg_find_trustpoint(p->m, pf->trustpoint[k].name),
			  "trustpoint");
}

static void check_ipsec_profile(struct cfg_parser *p,
				const struct cfg_ipsec_profile *ip)
{
	if (ip->n_transform_set == 0)
		error_at_loc(p, ip->loc, "ipsec profile %s has no 'set "
			     "transform-set'%s", ip->name, "");
	for (size_t k = 0; k < ip->n_transform_set; k++)
		check_ref(p, &ip->transform_set[k],
			  cfg_find_transform_set(p->m,
						 ip->transform_set[k].name),
			  "transform-set");
	if (ip->has_ikev2_profile)
		check_ref(p, &ip->ikev2_profile,
			  cfg_find_profile(p->m, ip->ikev2_profile.name),
			  "ikev2 profile");
	if (ip->has_isakmp_profile)
		check_ref(p, &ip->isakmp_profile,
			  cfg_find_isakmp_profile(p->m,
						  ip->isakmp_profile.name),
			  "isakmp profile");
	if (ip->has_ikev2_profile && ip->has_isakmp_profile)
		cfg_report(p, CFG_ERROR, ip->isakmp_profile.loc, "ipsec profile "
			   "%s sets both ikev2-profile and isakmp-profile: a "
			   "tunnel runs one IKE version; keep one of them",
			   ip->name);
}

/* IOS's defaults for these two are broken (DES, group 1): never taken
 * silently, the message names the line to add. */
static void check_isakmp_policy(struct cfg_parser *p,
				const struct cfg_isakmp_policy *po)
{
	if (po->encr.id == 0)
		cfg_report(p, CFG_ERROR, po->loc, "isakmp policy %u has no "
			   "encryption (IOS's default, DES, is broken); add "
			   "'encryption aes 256'", po->priority);
	if (po->group == 0)
		cfg_report(p, CFG_ERROR, po->loc, "isakmp policy %u has no "
			   "group (IOS's default, group 1, is broken); add "
			   "'group 14' (or 19, 20, 21)", po->priority);
}

static void check_isakmp_profile(struct cfg_parser *p,
				 const struct cfg_isakmp_profile *pf)
{
	if (pf->n_match == 0 && pf->n_match_certificate == 0)
		cfg_report(p, CFG_WARNING, pf->loc, "isakmp profile %s has no "
			   "'match identity' or 'match certificate': no peer "
			   "can select it", pf->name);
	for (size_t k = 0; k < pf->n_keyring; k++)
		check_ref(p, &pf->keyring[k],
			  cfg_find_isakmp_keyring(p->m, pf->keyring[k].name),
			  "keyring");
	for (size_t k = 0; k < pf->n_trustpoint; k++)
		check_ref(p, &pf->trustpoint[k],
			  cfg_find_trustpoint(p->m, pf->trustpoint[k].name),
			  "trustpoint");
	for (size_t k = 0; k < pf->n_match_certificate; k++) {
		const struct cfg_ref *r = &pf->match_certificate[k];
		bool found = false;

		for (size_t i = 0; i < p->m->n_cert_maps; i++)
			found |= strcmp(p->m->cert_maps[i].name, r->name) == 0;
		check_ref(p, r, found, "certificate map");
	}
	if (pf->self_identity.type == CFG_ID_FQDN && !p->m->hostname[0])
		cfg_report(p, CFG_WARNING, pf->self_identity.loc, "'self-identity "
			   "fqdn' without a 'hostname' line: the identity is "
			   "this system's host name");
}

static void check_isakmp(struct cfg_parser *p)
{
	const struct cfg_model *m = p->m;

	for (size_t i = 0; i < m->n_isakmp_policies; i++)
		check_isakmp_policy(p, &m->isakmp_policies[i]);
	for (size_t i = 0; i < m->n_isakmp_profiles; i++)
		check_isakmp_profile(p, &m->isakmp_profiles[i]);
	if (m->isakmp.identity == CFG_ID_FQDN && !m->hostname[0])
		cfg_report(p, CFG_WARNING, m->isakmp.identity_loc, "'crypto "
			   "isakmp identity hostname' without a 'hostname' "
			   "line: the identity is this system's host name");
}

static void check_interfaces(struct cfg_parser *p)
{
	for (size_t i = 0; i < p->m->n_interfaces; i++) {
		const struct cfg_interface *ifc = &p->m->interfaces[i];

		if (!ifc->has_protection) {
			cfg_report(p, CFG_WARNING, ifc->loc, "interface %s has "
				   "no 'tunnel protection ipsec profile': it "
				   "carries no traffic", ifc->written_name);
			continue;
		}
		check_ref(p, &ifc->ipsec_profile,
			  cfg_find_ipsec_profile(p->m,
						 ifc->ipsec_profile.name),
			  "ipsec profile");
	}
}

void cfg_check_model(struct cfg_parser *p)
{
	check_trustpoints(p);
	check_policies(p);
	check_keyrings(p);
	for (size_t i = 0; i < p->m->n_profiles; i++)
		check_profile(p, &p->m->profiles[i]);
	for (size_t i = 0; i < p->m->n_ipsec_profiles; i++)
		check_ipsec_profile(p, &p->m->ipsec_profiles[i]);
	check_isakmp(p);
	check_interfaces(p);
}
