// SPDX-License-Identifier: GPL-2.0
/*
 * exch_init: IKE_SA_INIT in both roles (RFC 7296 1.2): proposals, KE,
 * nonces, NAT detection (2.23), cookies once too many SAs are half-open
 * (2.6), INVALID_KE_PAYLOAD and a retry with the group the responder
 * wants (1.2), and the announcements IKEV2_FRAGMENTATION_SUPPORTED (RFC
 * 7383) and SIGNATURE_HASH_ALGORITHMS (RFC 7427).
 *
 * IKE proposals come from the "crypto ikev2 policy" whose "match address
 * local" is the tunnel's local address, else the first policy without
 * such a match, else the first policy. With no policy at all we use a
 * default of our own, NOT IOS's (which still offers 3DES, MD5 and group
 * 2/5): AES-CBC-256/128 with SHA-256/384/512 and groups 19, 14, plus
 * AES-GCM-256/128 with groups 19, 14. That keeps us interoperable with
 * strongSwan's default proposal and with IOS's without offering legacy
 * algorithms.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ikev2/ikev2.h"

static const uint16_t our_hashes[] = {
	IKE_HASH_SHA2_256, IKE_HASH_SHA2_384, IKE_HASH_SHA2_512,
};
static const uint8_t zero8[8];

/* ---- proposals ---- */


/* ---- keys ---- */

static int dh_shared(struct ike_dh *dh, const struct ike_payload *ke,
		     uint8_t *gir, size_t *gir_len)
{
	*gir_len = ike_dh_shared_len(ike_dh_group(dh));
	if (!*gir_len || *gir_len > 1024)
		return -1;
	return ike_dh_shared(dh, ke->u.ke.data.ptr, ke->u.ke.data.len, gir,
			     *gir_len);
}

/* ---- NAT detection (RFC 7296 2.23) ---- */

static void nat_hash(const uint8_t spi_i[8], const uint8_t spi_r[8],
		     const struct sockaddr_storage *ss, uint8_t out[20])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	const void *ip;
	size_t ip_len;
	uint16_t port;
	uint8_t pb[2];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;

		ip = &s->sin_addr;
		ip_len = 4;
		port = s->sin_port;
	} else {
		const struct sockaddr_in6 *s = (const void *)ss;

		ip = &s->sin6_addr;
		ip_len = 16;
		port = s->sin6_port;
	}
	memcpy(pb, &port, 2);	/* network order already */
	memset(out, 0, 20);
	if (c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) &&
	    EVP_DigestUpdate(c, spi_i, 8) && EVP_DigestUpdate(c, spi_r, 8) &&
	    EVP_DigestUpdate(c, ip, ip_len) && EVP_DigestUpdate(c, pb, 2))
		EVP_DigestFinal_ex(c, out, NULL);
	EVP_MD_CTX_free(c);
}

/* Adds the two NAT_DETECTION notifies; hashes live in h (40 bytes). */
static void add_nat_d(struct ike_msg *m, const uint8_t spi_i[8],
		      const uint8_t spi_r[8], const struct ike_path *p,
		      uint8_t h[40])
{
	nat_hash(spi_i, spi_r, &p->local, h);
	nat_hash(spi_i, spi_r, &p->remote, h + 20);
	ike_add_notify(m, IKEV2_N_NAT_DETECTION_SOURCE_IP, h, 20);
	ike_add_notify(m, IKEV2_N_NAT_DETECTION_DESTINATION_IP, h + 20, 20);
}

/* From the received notifies: is there a NAT in front of us (their
 * DESTINATION hash is not our address) or of them (none of their SOURCE
 * hashes is the address we see)? */
static void nat_check(struct ike_sa *sa, const struct ike_msg *m,
		      const uint8_t spi_r[8], const struct ike_path *path)
{
	uint8_t mine[20], theirs[20];
	const struct ike_payload *pl = NULL;
	bool any_src = false, src_match = false, dst_seen = false;

	nat_hash(sa->spi_i, spi_r, &path->local, mine);
	nat_hash(sa->spi_i, spi_r, &path->remote, theirs);
	while ((pl = ike_msg_find(m, IKEV2_PL_NOTIFY, pl))) {
		const struct ike_bytes *d = &pl->u.notify.data;

		if (pl->u.notify.type == IKEV2_N_NAT_DETECTION_SOURCE_IP) {
			any_src = true;
			if (d->len == 20 && !memcmp(d->ptr, theirs, 20))
				src_match = true;
		} else if (pl->u.notify.type ==
			   IKEV2_N_NAT_DETECTION_DESTINATION_IP) {
			dst_seen = true;
			sa->nat_local = d->len != 20 ||
					memcmp(d->ptr, mine, 20) != 0;
		}
	}
	if (!any_src || !dst_seen) {
		sa->nat_local = sa->nat_remote = false;
		return;
	}
	sa->nat_remote = !src_match;
	if (sa->nat_local || sa->nat_remote)
		sa_log(sa, IKE_LOG_INFO, "NAT detected: %s%s%s",
		       sa->nat_local ? "we are behind a NAT" : "",
		       sa->nat_local && sa->nat_remote ? ", " : "",
		       sa->nat_remote ? "the peer is behind a NAT" : "");
	else
		sa_log(sa, IKE_LOG_DEBUG, "NAT detection: no NAT");
}

/* ---- common payloads ---- */

static void add_common_notifies(const struct ike_engine *e,
				struct ike_msg *m, uint8_t *sighash,
				size_t cap)
{
	size_t n = ike_sighash_build(our_hashes, 3, sighash, cap);

	ike_add_notify(m, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	if (!e->no_sighash)
		ike_add_notify(m, IKEV2_N_SIGNATURE_HASH_ALGORITHMS, sighash,
			       n);
}

static void take_common_notifies(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *pl;
	char why[96];

	sa->v2.peer_frag = ike_find_notify(m,
				IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	pl = ike_find_notify(m, IKEV2_N_SIGNATURE_HASH_ALGORITHMS);
	sa->v2.n_peer_hashes = 0;
	if (pl && ike_sighash_parse(pl->u.notify.data.ptr,
				    pl->u.notify.data.len, sa->v2.peer_hashes,
				    &sa->v2.n_peer_hashes, why, sizeof(why)) < 0)
		sa_log(sa, IKE_LOG_NOTICE, "ignoring "
		       "SIGNATURE_HASH_ALGORITHMS: %s", why);
}

static void store_copy(uint8_t **dst, size_t *dst_len, const uint8_t *src,
		       size_t len)
{
	free(*dst);
	*dst = malloc(len);
	*dst_len = *dst ? len : 0;
	if (*dst)
		memcpy(*dst, src, len);
}

static bool nonce_ok(const struct ike_payload *pl)
{
	return pl && pl->u.data.len >= 16 && pl->u.data.len <= IKE_NONCE_MAX;
}

/* ---- initiator ---- */

static int send_init_request(struct ike_sa *sa)
{
	struct ike_engine *e = sa->e;
	struct ike_local_proposal lp[CFG_LIST_MAX];
	size_t n = 0, klen = ike_dh_public_len(sa->v2.ke_group);
	struct ike_msg *m = calloc(1, sizeof(*m));
	uint8_t ke[1024], nat[40], sighash[16];
	struct ike_payload *pl;
	int rc = -1;

	if (!m || !klen || klen > sizeof(ke))
		goto out;
	if (!sa->dh || ike_dh_group(sa->dh) != sa->v2.ke_group) {
		ike_dh_free(sa->dh);
		sa->dh = ike_dh_new(sa->v2.ke_group);
	}
	if (!sa->dh || ike_dh_public(sa->dh, ke, klen) < 0)
		goto out;
	ike_local_ike_proposals(e, sa->t, lp, CFG_LIST_MAX, &n);
	m->hdr.exchange = IKEV2_EXCH_IKE_SA_INIT;
	m->hdr.flags = IKEV2_FLAG_INITIATOR;
	memcpy(m->hdr.spi_i, sa->spi_i, 8);
	if (sa->v2.cookie_len)
		ike_add_notify(m, IKEV2_N_COOKIE, sa->v2.cookie, sa->v2.cookie_len);
	m->has_sa = true;
	ike_build_sa_payload(lp, n, IKEV2_PROTO_IKE, NULL, 0, &m->sa);
	ike_msg_add(m, IKEV2_PL_SA);
	pl = ike_msg_add(m, IKEV2_PL_KE);
	pl->u.ke.group = sa->v2.ke_group;
	pl->u.ke.data = (struct ike_bytes){ ke, klen };
	pl = ike_msg_add(m, IKEV2_PL_NONCE);
	pl->u.data = (struct ike_bytes){ sa->ni, sa->ni_len };
	add_nat_d(m, sa->spi_i, zero8, &sa->path, nat);
	add_common_notifies(e, m, sighash, sizeof(sighash));
	rc = ike_send_plain(e, &sa->path, m, &sa->v2.req_out);
	if (rc == 0) {
		store_copy(&sa->v2.init_req, &sa->v2.init_req_len,
			   sa->v2.req_out.f[0].buf, sa->v2.req_out.f[0].len);
		sa->v2.req = REQ_INIT;
		sa->v2.req_msgid = 0;
		sa->v2.msgid_out = 1;
		sa->v2.req_tries = 0;
		sa->v2.req_interval_ms = IKE_RETRANS_FIRST_MS;
		sa->v2.req_next_ms = e->now_ms + IKE_RETRANS_FIRST_MS;
		sa_log(sa, IKE_LOG_DEBUG, "Sending Packet [To peer] "
		       "Initiator SPI : %016llx - Responder SPI : "
		       "0000000000000000 Message id: 0 IKEv2 IKE_SA_INIT "
		       "Exchange REQUEST (KE group %u)",
		       (unsigned long long)be64toh(*(uint64_t *)sa->spi_i),
		       sa->v2.ke_group);
	}
out:
	free(m);
	return rc;
}

int ike_init_start(struct ike_engine *e, struct ike_tunnel *t)
{
	struct ike_local_proposal lp[CFG_LIST_MAX];
	struct ike_path path;
	struct ike_sa *sa;
	size_t n = 0;

	if (ike_local_ike_proposals(e, t, lp, CFG_LIST_MAX, &n) < 0 ||
	    !lp[0].n_dh) {
		elog(e, IKE_LOG_ERR, t, NULL, "no usable IKE proposal: "
		     "cannot initiate");
		return -1;
	}
	memset(&path, 0, sizeof(path));
	ike_sockaddr_set(&path.local, &t->info.local, IKE_PORT);
	ike_sockaddr_set(&path.remote, &t->info.remote, IKE_PORT);
	sa = ike_sa_new(e, t, e->ikev2, true, &path);
	if (!sa)
		return -1;
	sa->v2.ke_group = lp[0].dh[0];
	sa->ni_len = IKE_NONCE_LEN;
	ike_random(sa->ni, sa->ni_len);
	ike_sa_set_state(sa, IKE_ST_INIT_SENT);
	sa_log(sa, IKE_LOG_INFO, "initiating IKE SA with profile %s",
	       t->prof->name);
	if (send_init_request(sa) < 0) {
		ike_sa_destroy(sa, "cannot build IKE_SA_INIT request");
		ike_tunnel_schedule(e, t, true);
		return -1;
	}
	return 0;
}

static bool group_offered(struct ike_sa *sa, uint16_t group)
{
	struct ike_local_proposal lp[CFG_LIST_MAX];
	size_t n = 0;

	ike_local_ike_proposals(sa->e, sa->t, lp, CFG_LIST_MAX, &n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < lp[i].n_dh; j++)
			if (lp[i].dh[j] == group)
				return ike_dh_supported(group);
	return false;
}

static void init_fail(struct ike_sa *sa, const char *why)
{
	struct ike_engine *e = sa->e;
	struct ike_tunnel *t = sa->t;

	ike_request_done(sa);
	ike_sa_destroy(sa, why);
	ike_tunnel_schedule(e, t, true);
}

/* COOKIE or INVALID_KE_PAYLOAD: start over with what the responder
 * asked for (at most a few times, so two misconfigured peers cannot
 * loop). */
static bool init_retry(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *ck = ike_find_notify(m, IKEV2_N_COOKIE);
	const struct ike_payload *ike = ike_find_notify(m,
					IKEV2_N_INVALID_KE_PAYLOAD);

	if (!ck && !ike)
		return false;
	if (++sa->v2.init_tries > 4) {
		init_fail(sa, "too many IKE_SA_INIT restarts");
		return true;
	}
	if (ck) {
		if (!ck->u.notify.data.len ||
		    ck->u.notify.data.len > sizeof(sa->v2.cookie))
			return true;	/* invalid: wait for a better one */
		memcpy(sa->v2.cookie, ck->u.notify.data.ptr,
		       ck->u.notify.data.len);
		sa->v2.cookie_len = ck->u.notify.data.len;
		sa_log(sa, IKE_LOG_INFO, "responder asks for a COOKIE: "
		       "sending IKE_SA_INIT again with it");
	} else {
		const struct ike_bytes *d = &ike->u.notify.data;
		uint16_t g = d->len == 2 ? (uint16_t)(d->ptr[0] << 8 | d->ptr[1])
					 : 0;

		if (!group_offered(sa, g)) {
			sa_log(sa, IKE_LOG_WARNING, "responder wants DH group "
			       "%u, which we did not offer", g);
			init_fail(sa, "INVALID_KE_PAYLOAD for a group we do "
				  "not offer");
			return true;
		}
		sa_log(sa, IKE_LOG_NOTICE, "INVALID_KE_PAYLOAD: responder "
		       "wants DH group %u instead of %u, retrying", g,
		       sa->v2.ke_group);
		sa->v2.ke_group = g;
	}
	ike_request_done(sa);
	if (send_init_request(sa) < 0)
		init_fail(sa, "cannot build IKE_SA_INIT request");
	return true;
}

static bool init_error(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *pl = NULL;
	char why[128];

	while ((pl = ike_msg_find(m, IKEV2_PL_NOTIFY, pl)))
		if (pl->u.notify.type < 16384) {
			snprintf(why, sizeof(why), "peer answered %s",
				 ike_notify_name(pl->u.notify.type));
			sa_log(sa, IKE_LOG_WARNING, "IKE_SA_INIT failed: %s%s",
			       why, pl->u.notify.type ==
			       IKEV2_N_NO_PROPOSAL_CHOSEN ? " (none of our "
			       "IKE proposals is acceptable to the peer)" : "");
			init_fail(sa, why);
			return true;
		}
	return false;
}

static void set_natt_ports(struct ike_sa *sa)
{
	if (!sa->nat_local && !sa->nat_remote)
		return;
	sa->natt = true;
	ike_sockaddr_set_port(&sa->path.local, IKE_NATT_PORT);
	ike_sockaddr_set_port(&sa->path.remote, IKE_NATT_PORT);
	sa_log(sa, IKE_LOG_INFO, "NAT-T: moving to UDP port 4500");
}

static int init_response_keys(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	const struct ike_payload *nr = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	struct ike_sa_payload offer;
	struct ike_local_proposal lp[CFG_LIST_MAX];
	uint8_t gir[1024];
	size_t n = 0, gl = 0;
	int rc;

	ike_local_ike_proposals(sa->e, sa->t, lp, CFG_LIST_MAX, &n);
	ike_build_sa_payload(lp, n, IKEV2_PROTO_IKE, NULL, 0, &offer);
	if (!m->has_sa || !ike_selection_offered(&offer, &m->sa,
						 IKEV2_PROTO_IKE, &sa->sel)) {
		sa_log(sa, IKE_LOG_WARNING, "IKE_SA_INIT response: the "
		       "responder chose a proposal we did not offer");
		return -1;
	}
	if (!ke || !nonce_ok(nr) || ke->u.ke.group != sa->sel.dh ||
	    sa->sel.dh != sa->v2.ke_group) {
		sa_log(sa, IKE_LOG_WARNING, "IKE_SA_INIT response: missing "
		       "or mismatched KE/Nonce");
		return -1;
	}
	sa->nr_len = nr->u.data.len;
	memcpy(sa->nr, nr->u.data.ptr, sa->nr_len);
	rc = dh_shared(sa->dh, ke, gir, &gl);
	if (rc < 0)
		sa_log(sa, IKE_LOG_WARNING, "IKE_SA_INIT response: invalid "
		       "KE data for group %u", sa->sel.dh);
	else if ((rc = ike_derive_keys(sa, gir, gl, NULL, 0)) < 0)
		sa_log(sa, IKE_LOG_ERR, "key derivation failed");
	OPENSSL_cleanse(gir, sizeof(gir));
	return rc;
}

int ike_init_response_in(struct ike_sa *sa, const struct ike_path *path,
			 const uint8_t *buf, size_t len,
			 const struct ike_msg *m)
{
	if (sa->v2.req != REQ_INIT || m->hdr.msg_id != 0) {
		sa_log(sa, IKE_LOG_NOTICE, "unexpected IKE_SA_INIT response "
		       "dropped");
		return 0;
	}
	if (init_retry(sa, m) || init_error(sa, m))
		return 0;
	memcpy(sa->spi_r, m->hdr.spi_r, 8);
	if (!memcmp(sa->spi_r, zero8, 8) || init_response_keys(sa, m) < 0) {
		memset(sa->spi_r, 0, 8);
		init_fail(sa, "invalid IKE_SA_INIT response");
		return 0;
	}
	ike_request_done(sa);
	ike_dh_free(sa->dh);	/* the private value is not needed again */
	sa->dh = NULL;
	store_copy(&sa->v2.init_resp, &sa->v2.init_resp_len, buf, len);
	nat_check(sa, m, sa->spi_r, path);
	take_common_notifies(sa, m);
	ike_take_certreq(sa, m);
	set_natt_ports(sa);
	sa_log(sa, IKE_LOG_INFO, "IKE_SA_INIT done: encr %u/%u prf %u integ "
	       "%u group %u%s", sa->sel.encr.id, sa->sel.encr.key_bits,
	       sa->sel.prf, sa->sel.integ, sa->sel.dh,
	       sa->v2.peer_frag ? ", fragmentation supported" : "");
	return 1;
}

/* ---- responder ---- */

static void cookie_value(struct ike_engine *e, const struct ike_msg *m,
			 const struct ike_path *path, uint8_t out[20])
{
	const struct ike_payload *ni = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	struct sockaddr_storage r = path->remote;
	unsigned int len = 20;

	/* Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)
	 * (RFC 7296 2.6); one secret per engine life, hashed with HMAC. */
	ike_sockaddr_set_port(&r, 0);
	{
		EVP_MD_CTX *c = EVP_MD_CTX_new();

		memset(out, 0, 20);
		if (c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) &&
		    (!ni || EVP_DigestUpdate(c, ni->u.data.ptr,
					     ni->u.data.len)) &&
		    EVP_DigestUpdate(c, &r, sizeof(r)) &&
		    EVP_DigestUpdate(c, m->hdr.spi_i, 8) &&
		    EVP_DigestUpdate(c, e->cookie_secret,
				     sizeof(e->cookie_secret)))
			EVP_DigestFinal_ex(c, out, &len);
		EVP_MD_CTX_free(c);
	}
}

static void send_init_error(struct ike_engine *e, const struct ike_path *path,
			    const struct ike_msg *req, uint16_t type,
			    const uint8_t *data, size_t len)
{
	struct ike_msg *m = calloc(1, sizeof(*m));

	if (!m)
		return;
	memcpy(m->hdr.spi_i, req->hdr.spi_i, 8);
	m->hdr.exchange = IKEV2_EXCH_IKE_SA_INIT;
	m->hdr.flags = IKEV2_FLAG_RESPONSE;
	ike_add_notify(m, type, data, len);
	ike_send_plain(e, path, m, NULL);
	free(m);
}

static bool cookie_required(struct ike_engine *e, struct ike_tunnel *t,
			    const struct ike_path *path,
			    const struct ike_msg *m)
{
	const struct ike_payload *ck;
	uint8_t want[20];

	if (ike_half_open_count(e) < IKE_HALF_OPEN_COOKIE)
		return false;
	cookie_value(e, m, path, want);
	ck = ike_msg_find(m, IKEV2_PL_NOTIFY, NULL);
	/* RFC 7296 2.6: the COOKIE notify must come first. */
	if (ck && ck->u.notify.type == IKEV2_N_COOKIE &&
	    ck->u.notify.data.len == 20 &&
	    CRYPTO_memcmp(ck->u.notify.data.ptr, want, 20) == 0)
		return false;
	elog(e, IKE_LOG_INFO, t, NULL, "%u half-open IKE SAs: asking the "
	     "initiator for a COOKIE", ike_half_open_count(e));
	send_init_error(e, path, m, IKEV2_N_COOKIE, want, 20);
	return true;
}

static int respond_select(struct ike_engine *e, struct ike_tunnel *t,
			  const struct ike_path *path,
			  const struct ike_msg *m, struct ike_selection *sel)
{
	struct ike_local_proposal lp[CFG_LIST_MAX];
	const struct ike_payload *ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	char why[512];
	size_t n = 0;
	uint8_t g[2];

	ike_local_ike_proposals(e, t, lp, CFG_LIST_MAX, &n);
	if (!m->has_sa || ike_select_proposal(&m->sa, IKEV2_PROTO_IKE, lp, n,
					      IKE_SELECT_LOCAL_FIRST, sel,
					      why, sizeof(why)) < 0) {
		elog(e, IKE_LOG_WARNING, t, NULL, "IKE_SA_INIT: no proposal "
		     "chosen: %s", m->has_sa ? why : "no SA payload");
		send_init_error(e, path, m, IKEV2_N_NO_PROPOSAL_CHOSEN,
				NULL, 0);
		return -1;
	}
	if (!ke || !nonce_ok(ike_msg_find(m, IKEV2_PL_NONCE, NULL))) {
		elog(e, IKE_LOG_WARNING, t, NULL, "IKE_SA_INIT request without "
		     "valid KE or Nonce: dropped");
		send_init_error(e, path, m, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return -1;
	}
	if (ke->u.ke.group != sel->dh) {
		elog(e, IKE_LOG_NOTICE, t, NULL, "IKE_SA_INIT: KE is for "
		     "group %u, we chose group %u: INVALID_KE_PAYLOAD",
		     ke->u.ke.group, sel->dh);
		g[0] = (uint8_t)(sel->dh >> 8);
		g[1] = (uint8_t)sel->dh;
		send_init_error(e, path, m, IKEV2_N_INVALID_KE_PAYLOAD, g, 2);
		return -1;
	}
	return 0;
}

static int respond_keys(struct ike_sa *sa, const struct ike_msg *m,
			uint8_t *ke_out, size_t *ke_len)
{
	const struct ike_payload *ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	const struct ike_payload *ni = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	uint8_t gir[1024];
	size_t gl = 0;
	int rc = -1;

	sa->ni_len = ni->u.data.len;
	memcpy(sa->ni, ni->u.data.ptr, sa->ni_len);
	sa->nr_len = IKE_NONCE_LEN;
	ike_random(sa->nr, sa->nr_len);
	sa->dh = ike_dh_new(sa->sel.dh);
	*ke_len = ike_dh_public_len(sa->sel.dh);
	if (sa->dh && *ke_len <= 1024 &&
	    ike_dh_public(sa->dh, ke_out, *ke_len) == 0 &&
	    dh_shared(sa->dh, ke, gir, &gl) == 0)
		rc = ike_derive_keys(sa, gir, gl, NULL, 0);
	OPENSSL_cleanse(gir, sizeof(gir));
	if (rc < 0)
		sa_log(sa, IKE_LOG_WARNING, "IKE_SA_INIT: invalid KE data or "
		       "key derivation failure");
	return rc;
}

static int send_init_response(struct ike_sa *sa)
{
	struct ike_engine *e = sa->e;
	struct ike_msg *m = calloc(1, sizeof(*m));
	uint8_t ke[1024], nat[40], sighash[16];
	uint8_t certreq[PKI_MAX_TRUSTPOINTS * PKI_HASH_LEN];
	size_t kl = 0, crl = 0;
	struct ike_payload *pl;
	int rc = -1;

	if (!m || ike_dh_public(sa->dh, ke, ike_dh_public_len(sa->sel.dh)))
		goto out;
	kl = ike_dh_public_len(sa->sel.dh);
	memcpy(m->hdr.spi_i, sa->spi_i, 8);
	memcpy(m->hdr.spi_r, sa->spi_r, 8);
	m->hdr.exchange = IKEV2_EXCH_IKE_SA_INIT;
	m->hdr.flags = IKEV2_FLAG_RESPONSE;
	m->has_sa = true;
	ike_selection_to_sa(&sa->sel, NULL, 0, &m->sa);
	ike_msg_add(m, IKEV2_PL_SA);
	pl = ike_msg_add(m, IKEV2_PL_KE);
	pl->u.ke.group = sa->sel.dh;
	pl->u.ke.data = (struct ike_bytes){ ke, kl };
	pl = ike_msg_add(m, IKEV2_PL_NONCE);
	pl->u.data = (struct ike_bytes){ sa->nr, sa->nr_len };
	add_nat_d(m, sa->spi_i, sa->spi_r, &sa->path, nat);
	if (e->pki && e->pki->n_tp)
		crl = pki_ikev2_certreq(e->pki, NULL, certreq, sizeof(certreq));
	if (crl) {
		char desc[512];

		pl = ike_msg_add(m, IKEV2_PL_CERTREQ);
		pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
		pl->u.cert.data = (struct ike_bytes){ certreq, crl };
		pki_describe_certreq_sent(e->pki, NULL, desc, sizeof(desc));
		sa_log(sa, IKE_LOG_DEBUG, "%s", desc);
	}
	add_common_notifies(e, m, sighash, sizeof(sighash));
	rc = ike_send_plain(e, &sa->path, m, &sa->v2.resp_out);
	if (rc == 0) {
		store_copy(&sa->v2.init_resp, &sa->v2.init_resp_len,
			   sa->v2.resp_out.f[0].buf, sa->v2.resp_out.f[0].len);
		sa->v2.have_resp = true;
		sa->v2.resp_msgid = 0;
	}
out:
	free(m);
	return rc;
}

void ike_init_request_in(struct ike_engine *e, const struct ike_path *path,
			 const uint8_t *buf, size_t len,
			 const struct ike_msg *m)
{
	struct ike_tunnel *t = ike_tunnel_for_path(e, path);
	struct ike_selection sel;
	struct ike_sa *sa;
	uint8_t ke[1024];
	size_t kl;
	char a[64], b[64];

	if (!t) {
		ike_addr_str(&path->remote, a, sizeof(a));
		ike_addr_str(&path->local, b, sizeof(b));
		elog(e, IKE_LOG_NOTICE, NULL, NULL, "IKE_SA_INIT from %s to "
		     "%s: no tunnel is configured for these addresses, "
		     "ignored", a, b);
		return;
	}
	sa = ike_sa_find_init(e, m->hdr.spi_i, path);
	if (sa) {
		if (sa->v2.have_resp && sa->v2.resp_msgid == 0 &&
		    sa->state == IKE_ST_INIT_DONE)
			ike_out_send(e, &sa->path, &sa->v2.resp_out);
		return;		/* retransmission */
	}
	if (m->hdr.msg_id != 0 || cookie_required(e, t, path, m) ||
	    respond_select(e, t, path, m, &sel) < 0)
		return;
	sa = ike_sa_new(e, t, e->ikev2, false, path);
	if (!sa)
		return;
	memcpy(sa->spi_i, m->hdr.spi_i, 8);
	sa->sel = sel;
	sa->v2.msgid_in = 1;
	if (respond_keys(sa, m, ke, &kl) < 0) {
		ike_sa_destroy(sa, "IKE_SA_INIT failed");
		return;
	}
	store_copy(&sa->v2.init_req, &sa->v2.init_req_len, buf, len);
	nat_check(sa, m, zero8, path);	/* the request hashes SPIr = 0 */
	take_common_notifies(sa, m);
	ike_sa_set_state(sa, IKE_ST_INIT_DONE);
	sa_log(sa, IKE_LOG_INFO, "IKE_SA_INIT from peer: chose encr %u/%u "
	       "prf %u integ %u group %u", sel.encr.id, sel.encr.key_bits,
	       sel.prf, sel.integ, sel.dh);
	if (send_init_response(sa) < 0)
		ike_sa_destroy(sa, "cannot build IKE_SA_INIT response");
	ike_dh_free(sa->dh);	/* retransmissions use the cached answer */
	sa->dh = NULL;
}
