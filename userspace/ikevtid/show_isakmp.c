// SPDX-License-Identifier: GPL-2.0
/*
 * show_isakmp: the IKEv1 show commands in IOS's layout (ios-isakmp.md
 * "Show and debug"): "show crypto isakmp sa [detail]" from the engine's
 * status, "show crypto isakmp policy" (the configured protection suites,
 * then the default one last) and "show crypto isakmp profile" from the
 * configuration in use; each also as JSON.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "ikev1/isakmp.h"
#include "ikev2/ikev2_const.h"
#include "ikevti_json.h"
#include "show.h"

static const char *addr_of(const struct sockaddr_storage *ss, char *buf,
			   size_t len)
{
	const void *a = ss->ss_family == AF_INET6 ?
		(const void *)&((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr :
		(const void *)&((const struct sockaddr_in *)(const void *)ss)->sin_addr;

	if (!inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* IOS's short names in "detail": aes, 3des; sha, sha256; psk, rsig. */
static const char *encr_word(uint16_t id)
{
	return id == IKEV2_ENCR_3DES ? "3des" : id == IKEV2_ENCR_AES_CBC ?
	       "aes" : "?";
}

static const char *hash_word(uint16_t prf)
{
	switch (prf) {
	case IKEV2_PRF_HMAC_MD5: return "md5";
	case IKEV2_PRF_HMAC_SHA1: return "sha";
	case IKEV2_PRF_HMAC_SHA2_256: return "sha256";
	case IKEV2_PRF_HMAC_SHA2_384: return "sha384";
	case IKEV2_PRF_HMAC_SHA2_512: return "sha512";
	}
	return "?";
}

static const char *auth_word(uint16_t a)
{
	return a == IKEV1_AUTH_PSK ? "psk" : a == IKEV1_AUTH_RSA_SIG ? "rsig"
	       : "?";
}

static const char *status_word(const struct ike_sa_status *s)
{
	return !strcmp(s->state, "READY") ? "ACTIVE" :
	       !strcmp(s->state, "DELETE") ? "DELETED" : "ACTIVE(in negotiation)";
}

/* Capability codes: D - DPD, N - NAT-traversal. */
static const char *caps(const struct ike_sa_status *s, char *buf)
{
	size_t n = 0;

	if (s->dpd)
		buf[n++] = 'D';
	if (s->natt)
		buf[n++] = 'N';
	buf[n] = '\0';
	return buf;
}

static void remaining(const struct ike_sa_status *s, char *buf, size_t len)
{
	uint64_t act = s->active_ms / 1000, left;

	left = s->lifetime_s > act ? s->lifetime_s - act : 0;
	snprintf(buf, len, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
		 left / 3600, left / 60 % 60, left % 60);
}

static void sa_plain(FILE *f, const struct ike_sa_status *s)
{
	char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];

	/* dst/src as IOS prints them: the responder's address first. */
	addr_of(s->initiator ? &s->path.remote : &s->path.local, dst,
		sizeof(dst));
	addr_of(s->initiator ? &s->path.local : &s->path.remote, src,
		sizeof(src));
	fprintf(f, "%-15s %-15s %-14s %7u %s\n", dst, src, s->isakmp_state,
		1000 + s->tunnel_id, status_word(s));
}

static void sa_detail(FILE *f, const struct ike_sa_status *s)
{
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN], life[32], cap[4];

	remaining(s, life, sizeof(life));
	fprintf(f, "%-5u %-15s %-15s %-6s %-6s %-4s %-6s %-4s %-2u %-8s %s\n",
		1000 + s->tunnel_id, addr_of(&s->path.local, la, sizeof(la)),
		addr_of(&s->path.remote, ra, sizeof(ra)), "", "ACTIVE",
		encr_word(s->encr), hash_word(s->prf), auth_word(s->v1_auth),
		s->dh, life, caps(s, cap));
	fprintf(f, "       Engine-id:Conn-id =  SW:%u  Interface %s, state %s, "
		"peer ID %s\n", s->tunnel_id, s->ifname, s->isakmp_state,
		s->remote_id);
}

static void sa_text(FILE *f, const struct ike_sa_status *v, size_t n,
		    bool detail)
{
	for (int fam = 0; fam < 2; fam++) {
		int af = fam ? AF_INET6 : AF_INET;

		if (detail && !fam)
			fprintf(f, "Codes: C - IKE configuration mode, D - Dead "
				"Peer Detection\n       K - Keepalives, N - "
				"NAT-traversal\n       X - IKE Extended "
				"Authentication\n       psk - Preshared key, "
				"rsig - RSA signature\n       renc - RSA "
				"encryption\n");
		fprintf(f, "%s Crypto ISAKMP SA\n", fam ? "IPv6" : "IPv4");
		if (detail)
			fprintf(f, "\nC-id  Local           Remote          "
				"I-VRF  Status Encr Hash   Auth DH Lifetime "
				"Cap.\n\n");
		else
			fprintf(f, "dst             src             state"
				"          conn-id status\n");
		for (size_t i = 0; i < n; i++) {
			if (v[i].ike_version != 1 ||
			    v[i].path.remote.ss_family != af)
				continue;
			if (detail)
				sa_detail(f, &v[i]);
			else
				sa_plain(f, &v[i]);
		}
		fputc('\n', f);
	}
}

static void sa_json_one(struct json *j, const struct ike_sa_status *s)
{
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN], cap[4];

	json_obj_begin(j, NULL);
	json_u64(j, "conn_id", 1000 + s->tunnel_id);
	json_u64(j, "tunnel_id", s->tunnel_id);
	json_str(j, "ifname", s->ifname);
	json_u64(j, "ifindex", s->ifindex);
	json_str(j, "profile", s->profile);
	json_str(j, "local", addr_of(&s->path.local, la, sizeof(la)));
	json_str(j, "remote", addr_of(&s->path.remote, ra, sizeof(ra)));
	json_str(j, "state", s->state);
	json_str(j, "isakmp_state", s->isakmp_state);
	json_str(j, "status", status_word(s));
	json_str(j, "encr", encr_word(s->encr));
	json_u64(j, "keysize", s->encr_bits);
	json_str(j, "hash", hash_word(s->prf));
	json_str(j, "auth", auth_word(s->v1_auth));
	json_u64(j, "dh_group", s->dh);
	json_u64(j, "lifetime", s->lifetime_s);
	json_u64(j, "active_time", s->active_ms / 1000);
	json_str(j, "capabilities", caps(s, cap));
	json_bool(j, "initiator", s->initiator);
	json_spi64(j, "local_spi", s->initiator ? s->spi_i : s->spi_r);
	json_spi64(j, "remote_spi", s->initiator ? s->spi_r : s->spi_i);
	json_str(j, "local_id", s->local_id);
	json_str(j, "remote_id", s->remote_id);
	json_bool(j, "nat_local", s->nat_local);
	json_bool(j, "nat_remote", s->nat_remote);
	json_bool(j, "fragmentation", s->fragmentation);
	json_u64(j, "child_sas", s->n_children);
	json_obj_end(j);
}

void show_isakmp_sa(FILE *f, const struct ike_sa_status *v, size_t n,
		    bool detail, bool json)
{
	struct json j;

	if (!json) {
		sa_text(f, v, n, detail);
		return;
	}
	json_doc_begin(&j, f);
	json_arr_begin(&j, "isakmp_sas");
	for (size_t i = 0; i < n; i++)
		if (v[i].ike_version == 1)
			sa_json_one(&j, &v[i]);
	json_arr_end(&j);
	json_doc_end(&j);
}

/* ---- show crypto isakmp policy ---- */

static const char *encr_long(const struct cfg_alg *a, char *buf, size_t len)
{
	if (a->id == IKEV2_ENCR_3DES)
		return "Three key triple DES";
	snprintf(buf, len, "AES - Advanced Encryption Standard (%u bit keys).",
		 a->key_bits);
	return buf;
}

static const char *hash_long(uint16_t prf)
{
	switch (prf) {
	case IKEV2_PRF_HMAC_MD5: return "Message Digest 5";
	case IKEV2_PRF_HMAC_SHA1: return "Secure Hash Standard";
	case IKEV2_PRF_HMAC_SHA2_256: return "Secure Hash Standard 2 (256 bit)";
	case IKEV2_PRF_HMAC_SHA2_384: return "Secure Hash Standard 2 (384 bit)";
	case IKEV2_PRF_HMAC_SHA2_512: return "Secure Hash Standard 2 (512 bit)";
	}
	return "?";
}

static unsigned group_bits(uint16_t g)
{
	switch (g) {
	case 2: return 1024;
	case 5: return 1536;
	case 14: return 2048;
	case 15: return 3072;
	case 16: return 4096;
	case 19: return 256;
	case 20: return 384;
	case 21: return 521;
	}
	return 0;
}

static void suite_text(FILE *f, const struct cfg_isakmp_policy *p,
		       const char *title)
{
	char e[80];

	fprintf(f, "%s\n", title);
	fprintf(f, "\tencryption algorithm:\t%s\n", encr_long(&p->encr, e,
							       sizeof(e)));
	fprintf(f, "\thash algorithm:\t\t%s\n", hash_long(p->prf));
	fprintf(f, "\tauthentication method:\t%s\n",
		p->auth == CFG_AUTH_PRE_SHARE ? "Pre-Shared Key" :
		"Rivest-Shamir-Adleman Signature");
	fprintf(f, "\tDiffie-Hellman group:\t#%u (%u bit%s)\n", p->group,
		group_bits(p->group), p->group >= 19 ? " ECP" : "");
	fprintf(f, "\tlifetime:\t\t%u seconds, no volume limit\n",
		p->lifetime_s);
}

static void suite_json(struct json *j, const struct cfg_isakmp_policy *p)
{
	json_obj_begin(j, NULL);
	json_u64(j, "priority", p->priority);
	json_bool(j, "default", p->is_default);
	json_str(j, "encryption", encr_word(p->encr.id));
	json_u64(j, "keysize", p->encr.key_bits);
	json_str(j, "hash", hash_word(p->prf));
	json_str(j, "authentication", p->auth == CFG_AUTH_PRE_SHARE ?
		 "pre-share" : "rsa-sig");
	json_u64(j, "group", p->group);
	json_u64(j, "lifetime", p->lifetime_s);
	json_bool(j, "legacy", p->legacy);
	json_obj_end(j);
}

/* The configured suites in priority order, then the default suites
 * last, as IOS lists its default protection suite. */
void show_isakmp_policy(FILE *f, const struct cfg_model *m, bool json)
{
	size_t nd, nc = m->n_isakmp_policies;
	const struct cfg_isakmp_policy *d = cfg_isakmp_default_policies(&nd);
	struct json j;
	char t[64];

	if (json) {
		json_doc_begin(&j, f);
		json_arr_begin(&j, "policies");
		for (size_t i = 0; i < nc; i++)
			suite_json(&j, &m->isakmp_policies[i]);
		for (size_t i = 0; i < nd; i++)
			suite_json(&j, &d[i]);
		json_arr_end(&j);
		json_doc_end(&j);
		return;
	}
	fprintf(f, "\nGlobal IKE policy\n");
	for (size_t i = 0; i < nc; i++) {
		snprintf(t, sizeof(t), "Protection suite of priority %u",
			 m->isakmp_policies[i].priority);
		suite_text(f, &m->isakmp_policies[i], t);
	}
	for (size_t i = 0; i < nd; i++)
		suite_text(f, &d[i], nc ? "Default protection suite" :
			   "Default protection suite (in use: no policy is "
			   "configured)");
}

/* ---- show crypto isakmp profile ---- */

static const char *identity_text(const struct cfg_identity *id, char *buf,
				 size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	switch (id->type) {
	case CFG_ID_ADDRESS:
		inet_ntop(id->addr.family, id->addr.bytes, a, sizeof(a));
		snprintf(buf, len, "address %s/%u", a, id->addr.prefix);
		break;
	case CFG_ID_FQDN:
		snprintf(buf, len, "host %s%s", id->domain ? "domain " : "",
			 id->text[0] ? id->text : "(hostname.domain)");
		break;
	case CFG_ID_EMAIL:
		snprintf(buf, len, "user-fqdn %s", id->text);
		break;
	case CFG_ID_DN:
		snprintf(buf, len, "dn");
		break;
	default:
		snprintf(buf, len, "address (crypto isakmp identity)");
	}
	return buf;
}

static void profile_text(FILE *f, const struct cfg_isakmp_profile *p)
{
	char b[CFG_TEXT_MAX + 32];

	fprintf(f, "ISAKMP PROFILE %s\n", p->name);
	fprintf(f, "   Identities matched are:\n");
	for (size_t i = 0; i < p->n_match; i++)
		fprintf(f, "    %s\n", identity_text(&p->match[i], b,
						     sizeof(b)));
	fprintf(f, "   Certificate maps matched are:\n");
	for (size_t i = 0; i < p->n_match_certificate; i++)
		fprintf(f, "    %s\n", p->match_certificate[i].name);
	fprintf(f, "   Identity presented is: %s\n",
		identity_text(&p->self_identity, b, sizeof(b)));
	fprintf(f, "   keyring(s): %s", p->n_keyring ? "" : "<none>");
	for (size_t i = 0; i < p->n_keyring; i++)
		fprintf(f, "%s%s", i ? ", " : "", p->keyring[i].name);
	fprintf(f, "\n   trustpoint(s): %s", p->n_trustpoint ? "" :
		"<all>");
	for (size_t i = 0; i < p->n_trustpoint; i++)
		fprintf(f, "%s%s", i ? ", " : "", p->trustpoint[i].name);
	fputc('\n', f);
	if (p->initiate_aggressive)
		fprintf(f, "   Initiate mode: aggressive\n");
	if (p->keepalive_s)
		fprintf(f, "   Keepalive: %u s, retry %u s\n", p->keepalive_s,
			p->keepalive_retry_s);
	if (p->lifetime_s)
		fprintf(f, "   Lifetime: %u s\n", p->lifetime_s);
	if (p->client_group[0])
		fprintf(f, "   Client configuration group: %s\n",
			p->client_group);
	fputc('\n', f);
}

static void refs_json(struct json *j, const char *key,
		      const struct cfg_ref *r, size_t n)
{
	json_arr_begin(j, key);
	for (size_t i = 0; i < n; i++)
		json_str(j, NULL, r[i].name);
	json_arr_end(j);
}

static void profile_json(struct json *j, const struct cfg_isakmp_profile *p)
{
	char b[CFG_TEXT_MAX + 32];

	json_obj_begin(j, NULL);
	json_str(j, "name", p->name);
	json_arr_begin(j, "match_identity");
	for (size_t i = 0; i < p->n_match; i++)
		json_str(j, NULL, identity_text(&p->match[i], b, sizeof(b)));
	json_arr_end(j);
	refs_json(j, "match_certificate", p->match_certificate,
		  p->n_match_certificate);
	refs_json(j, "keyrings", p->keyring, p->n_keyring);
	refs_json(j, "trustpoints", p->trustpoint, p->n_trustpoint);
	json_str(j, "self_identity", identity_text(&p->self_identity, b,
						   sizeof(b)));
	json_bool(j, "initiate_aggressive", p->initiate_aggressive);
	json_u64(j, "keepalive", p->keepalive_s);
	json_u64(j, "lifetime", p->lifetime_s);
	json_str(j, "client_group", p->client_group);
	json_obj_end(j);
}

void show_isakmp_profile(FILE *f, const struct cfg_model *m, bool json)
{
	struct json j;

	if (json) {
		json_doc_begin(&j, f);
		json_arr_begin(&j, "profiles");
		for (size_t i = 0; i < m->n_isakmp_profiles; i++)
			profile_json(&j, &m->isakmp_profiles[i]);
		json_arr_end(&j);
		json_doc_end(&j);
		return;
	}
	for (size_t i = 0; i < m->n_isakmp_profiles; i++)
		profile_text(f, &m->isakmp_profiles[i]);
}
