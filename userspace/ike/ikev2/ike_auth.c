// SPDX-License-Identifier: GPL-2.0
/*
 * exch_auth: IKE_AUTH in both roles (RFC 7296 1.2, 2.15): identities,
 * certificates (choice and validation by the rules of
 * cisco-semantics.md, through pki.h), CERTREQ, AUTH with a pre-shared
 * key or a signature (classic methods or RFC 7427, whichever the peer
 * announced), INITIAL_CONTACT, and the first child SA with traffic
 * selectors 0.0.0.0/0 and ::/0 (route-based: whatever the peer narrows
 * to is fine, the device is the policy).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ikev2/ikev2.h"
#include "ikev2/identity.h"

/* Buffers behind the payloads of our half of IKE_AUTH. */
struct auth_bufs {
	struct ike_id id;
	uint8_t *cert_der[2];
	int cert_len[2];
	uint8_t certreq[PKI_MAX_TRUSTPOINTS * PKI_HASH_LEN];
	uint8_t auth[IKE_AUTH_MAX];
	size_t auth_len;
	uint8_t method;
	uint8_t spi[4];
};

static void bufs_free(struct auth_bufs *b)
{
	for (int i = 0; i < 2; i++)
		OPENSSL_free(b->cert_der[i]);
	OPENSSL_cleanse(b, sizeof(*b));
}

static bool is_sig(enum cfg_auth a)
{
	return a == CFG_AUTH_RSA_SIG || a == CFG_AUTH_ECDSA_SIG;
}

static const char *auth_name(enum cfg_auth a)
{
	switch (a) {
	case CFG_AUTH_RSA_SIG: return "rsa-sig";
	case CFG_AUTH_ECDSA_SIG: return "ecdsa-sig";
	case CFG_AUTH_PRE_SHARE: return "pre-share";
	default: return "none";
	}
}

static int choose_cert(struct ike_sa *sa, bool initiator, int *tp)
{
	const struct cfg_ikev2_profile *p = sa->t->prof;
	const struct pki_store *s = sa->e->pki;
	struct pki_choice ch;
	char desc[600];
	int rc;

	*tp = -1;
	if (!s) {
		sa_log(sa, IKE_LOG_ERR, "no trustpoint loaded: cannot "
		       "authenticate with a certificate");
		return -1;
	}
	pki_describe_certreq_received(s, sa->v2.certreq, sa->v2.certreq_len, desc,
				      sizeof(desc));
	sa_log(sa, IKE_LOG_DEBUG, "%s", desc);
	if (initiator)
		rc = pki_ikev2_choose_initiator(s, p->name, p->trustpoint,
						p->n_trustpoint, sa->v2.certreq,
						sa->v2.certreq_len, &ch);
	else
		rc = pki_ikev2_choose_responder(s, p->name, p->trustpoint,
						p->n_trustpoint, sa->v2.certreq,
						sa->v2.certreq_len, &ch);
	if (rc < 0 || ch.tp < 0 || !s->tp[ch.tp].cert) {
		sa_log(sa, IKE_LOG_WARNING, "cannot choose a certificate: %s",
		       ch.why);
		return -1;
	}
	sa_log(sa, IKE_LOG_INFO, "%s", ch.why);	/* "Choosing trustpoint
						 * X as issuer: why" */
	*tp = ch.tp;
	return 0;
}

static void add_certs(struct ike_msg *m, const struct pki_trustpoint *tp,
		      struct auth_bufs *b)
{
	X509 *certs[2] = { tp->cert, tp->ca };
	/* Send the CA too when it is not a root: the peer may only have
	 * the root as its anchor and need the intermediate. */
	int n = X509_check_issued(tp->ca, tp->ca) == X509_V_OK ? 1 : 2;

	for (int i = 0; i < n; i++) {
		struct ike_payload *pl;

		b->cert_len[i] = i2d_X509(certs[i], &b->cert_der[i]);
		if (b->cert_len[i] <= 0)
			continue;
		pl = ike_msg_add(m, IKEV2_PL_CERT);
		pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
		pl->u.cert.data = (struct ike_bytes){ b->cert_der[i],
						      (size_t)b->cert_len[i] };
	}
}

static int psk_auth(struct ike_sa *sa, const struct ike_id *peer_id,
		    bool local, const uint8_t *octets, size_t olen,
		    struct auth_bufs *b, const uint8_t *peer_auth,
		    size_t peer_len)
{
	const struct cfg_keyring_peer *kp = ike_keyring_peer(sa, peer_id);
	const char *key = kp ? (local ? kp->psk_local : kp->psk_remote) : "";

	if (!kp || !key[0]) {
		sa_log(sa, IKE_LOG_WARNING, "no pre-shared key for the peer in "
		       "keyring %s", sa->t->prof->has_keyring ?
		       sa->t->prof->keyring.name : "(none)");
		return -1;
	}
	if (!local)
		return ike_auth_psk_verify(sa->sel.prf, (const uint8_t *)key,
					   strlen(key), octets, olen,
					   peer_auth, peer_len);
	b->method = IKEV2_AUTH_PSK;
	return ike_auth_psk(sa->sel.prf, (const uint8_t *)key, strlen(key),
			    octets, olen, b->auth, &b->auth_len);
}

static int sign_auth(struct ike_sa *sa, EVP_PKEY *key, const uint8_t *octets,
		     size_t olen, struct auth_bufs *b)
{
	struct ike_sig_alg alg;
	char why[160];

	if (ike_auth_choose_alg(key, sa->v2.peer_hashes, sa->v2.n_peer_hashes,
				&alg) < 0 ||
	    ike_auth_sign(key, &alg, octets, olen, b->auth, sizeof(b->auth),
			  &b->auth_len, why, sizeof(why)) < 0) {
		sa_log(sa, IKE_LOG_ERR, "cannot sign AUTH");
		return -1;
	}
	b->method = alg.method;
	sa_log(sa, IKE_LOG_DEBUG, "AUTH: signature method %u%s", alg.method,
	       alg.method == IKEV2_AUTH_DIGITAL_SIG ? " (RFC 7427)" : "");
	return 0;
}

/* Octets one side signs: its own first message, the other's nonce and
 * prf(SK_p of the signer, its ID payload body). */
static int octets_for(const struct ike_sa *sa, bool of_initiator,
		      const struct ike_id *id, uint8_t **o, size_t *olen)
{
	const struct ike_sa_keys *k = &sa->v2.keys;

	if (of_initiator)
		return ike_auth_octets(sa->sel.prf, k->sk_pi, k->prf_len,
				       sa->v2.init_req, sa->v2.init_req_len, sa->nr,
				       sa->nr_len, id->type, id->data,
				       id->len, o, olen);
	return ike_auth_octets(sa->sel.prf, k->sk_pr, k->prf_len,
			       sa->v2.init_resp, sa->v2.init_resp_len, sa->ni,
			       sa->ni_len, id->type, id->data, id->len, o,
			       olen);
}

/* ID, CERT, (CERTREQ), AUTH of our side into m. */
static int build_our_auth(struct ike_sa *sa, struct ike_msg *m,
			  struct auth_bufs *b)
{
	const struct cfg_ikev2_profile *p = sa->t->prof;
	const struct pki_trustpoint *tp = NULL;
	struct ike_payload *pl;
	uint8_t *o = NULL;
	size_t olen = 0;
	int tpi, rc;

	if (is_sig(p->auth_local)) {
		if (choose_cert(sa, sa->initiator, &tpi) < 0)
			return -1;
		tp = &sa->e->pki->tp[tpi];
	}
	if (ike_id_local(sa, tp ? tp->cert : NULL, &b->id) < 0) {
		sa_log(sa, IKE_LOG_ERR, "cannot build our identity");
		return -1;
	}
	ike_id_str(b->id.type, b->id.data, b->id.len, sa->local_id,
		   sizeof(sa->local_id));
	if (octets_for(sa, sa->initiator, &b->id, &o, &olen) < 0)
		return -1;
	if (tp)
		rc = sign_auth(sa, tp->key, o, olen, b);
	else
		rc = psk_auth(sa, NULL, true, o, olen, b, NULL, 0);
	OPENSSL_cleanse(o, olen);
	free(o);
	if (rc < 0)
		return -1;
	pl = ike_msg_add(m, sa->initiator ? IKEV2_PL_IDI : IKEV2_PL_IDR);
	pl->u.id.type = b->id.type;
	pl->u.id.data = (struct ike_bytes){ b->id.data, b->id.len };
	if (tp)
		add_certs(m, tp, b);
	sa->auth_local = b->method;
	return 0;
}

static void add_certreq(struct ike_sa *sa, struct ike_msg *m,
			struct auth_bufs *b)
{
	const struct cfg_ikev2_profile *p = sa->t->prof;
	struct pki_set set;
	char err[128];
	size_t n;
	bool want = false;

	for (size_t i = 0; i < p->n_auth_remote; i++)
		want |= is_sig(p->auth_remote[i]);
	if (!want || !sa->e->pki || !sa->e->pki->n_tp ||
	    pki_set_from_refs(sa->e->pki, p->trustpoint, p->n_trustpoint,
			      &set, err, sizeof(err)) < 0)
		return;
	n = pki_ikev2_certreq(sa->e->pki, &set, b->certreq,
			      sizeof(b->certreq));
	if (n) {
		struct ike_payload *pl = ike_msg_add(m, IKEV2_PL_CERTREQ);

		pl->u.cert.encoding = IKEV2_CERT_X509_SIG;
		pl->u.cert.data = (struct ike_bytes){ b->certreq, n };
	}
}

static void add_auth_payload(struct ike_msg *m, const struct auth_bufs *b)
{
	struct ike_payload *pl = ike_msg_add(m, IKEV2_PL_AUTH);

	pl->u.auth.method = b->method;
	pl->u.auth.data = (struct ike_bytes){ b->auth, b->auth_len };
}

static void add_child_sa(struct ike_sa *sa, struct ike_msg *m,
			 struct auth_bufs *b)
{
	struct ike_local_proposal lp[6];
	size_t n = 0;
	uint32_t spi = htonl(sa->v2.child_spi_in);

	memcpy(b->spi, &spi, 4);
	ike_local_esp_proposals(sa->t, lp, &n, false);
	m->has_sa = true;
	ike_build_sa_payload(lp, n, IKEV2_PROTO_ESP, b->spi, 4, &m->sa);
	ike_msg_add(m, IKEV2_PL_SA);
	ike_ts_all(m);
}

static void auth_fail_initiator(struct ike_sa *sa, const char *why)
{
	struct ike_engine *e = sa->e;
	struct ike_tunnel *t = sa->t;

	ike_request_done(sa);
	ike_sa_destroy(sa, why);
	ike_tunnel_schedule(e, t, true);
}

void ike_auth_start(struct ike_sa *sa)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct auth_bufs *b = calloc(1, sizeof(*b));
	struct ike_sa *est[1];

	if (!m || !b)
		goto fail;
	sa->v2.child_spi_in = ike_spi_alloc(sa);
	if (!sa->v2.child_spi_in || build_our_auth(sa, m, b) < 0)
		goto fail;
	/* We hold no other SA with this peer: tell it to drop any it
	 * still has from before we restarted (RFC 7296 2.4). */
	if (!ike_tunnel_established(sa->e, sa->t, est, 1))
		ike_add_notify(m, IKEV2_N_INITIAL_CONTACT, NULL, 0);
	add_certreq(sa, m, b);
	add_auth_payload(m, b);
	add_child_sa(sa, m, b);
	if (ike_request(sa, REQ_AUTH, IKEV2_EXCH_IKE_AUTH, m) < 0)
		goto fail;
	ike_sa_set_state(sa, IKE_ST_AUTH_SENT);
	goto out;
fail:
	if (sa->v2.child_spi_in)
		sa->e->ops.sa_del(sa->e->ops.ctx, sa->t->info.ifindex,
				  IKEVTI_DIR_IN, sa->v2.child_spi_in);
	sa->v2.child_spi_in = 0;
	auth_fail_initiator(sa, "cannot build IKE_AUTH request");
out:
	if (b)
		bufs_free(b);
	free(b);
	free(m);
}

/* ---- verifying the peer ---- */

static bool method_allowed(const struct cfg_ikev2_profile *p,
			   enum cfg_auth a)
{
	if (!p->n_auth_remote)
		return p->auth_local == a;
	for (size_t i = 0; i < p->n_auth_remote; i++)
		if (p->auth_remote[i] == a)
			return true;
	return false;
}

static X509 *peer_certs(const struct ike_msg *m, STACK_OF(X509) **inter)
{
	const struct ike_payload *pl = NULL;
	X509 *leaf = NULL;

	*inter = sk_X509_new_null();
	while ((pl = ike_msg_find(m, IKEV2_PL_CERT, pl))) {
		X509 *x;

		if (pl->u.cert.encoding != IKEV2_CERT_X509_SIG)
			continue;
		x = pki_cert_from_der(pl->u.cert.data.ptr,
				      pl->u.cert.data.len);
		if (!x)
			continue;
		if (!leaf)
			leaf = x;
		else if (!*inter || !sk_X509_push(*inter, x))
			X509_free(x);
	}
	return leaf;
}

static int verify_cert_auth(struct ike_sa *sa, const struct ike_msg *m,
			    const struct ike_payload *auth,
			    const struct ike_id *pid, const uint8_t *o,
			    size_t olen, char *why, size_t wl)
{
	const struct cfg_ikev2_profile *p = sa->t->prof;
	STACK_OF(X509) *inter = NULL;
	X509 *leaf = peer_certs(m, &inter);
	struct pki_set set;
	enum cfg_auth kind;
	int anchor = -1, rc = -1;
	time_t now = sa->e->wall_now ? sa->e->wall_now(sa->e->wall_ctx)
				     : time(NULL);

	if (!leaf) {
		snprintf(why, wl, "no certificate received");
		goto out;
	}
	kind = EVP_PKEY_get_base_id(X509_get0_pubkey(leaf)) == EVP_PKEY_EC ?
		CFG_AUTH_ECDSA_SIG : CFG_AUTH_RSA_SIG;
	if (!method_allowed(p, kind)) {
		snprintf(why, wl, "peer authenticated with %s, profile %s "
			 "does not allow it", auth_name(kind), p->name);
		goto out;
	}
	if (!sa->e->pki || pki_set_from_refs(sa->e->pki, p->trustpoint,
					     p->n_trustpoint, &set, why,
					     wl) < 0)
		goto out;
	if (pki_verify_peer(sa->e->pki, &set, leaf, inter, now, &anchor, why,
			    wl) < 0 ||
	    pki_check_id(leaf, pid->type, pid->data, pid->len, why, wl) < 0 ||
	    ike_auth_verify(X509_get0_pubkey(leaf), auth->u.auth.method,
			    auth->u.auth.data.ptr, auth->u.auth.data.len, o,
			    olen, why, wl) < 0)
		goto out;
	sa_log(sa, IKE_LOG_INFO, "peer certificate validated against "
	       "trustpoint %s", sa->e->pki->tp[anchor >= 0 ? anchor : 0].name);
	rc = 0;
out:
	X509_free(leaf);
	sk_X509_pop_free(inter, X509_free);
	return rc;
}

static int verify_peer(struct ike_sa *sa, const struct ike_msg *m,
		       struct ike_id *pid, char *why, size_t wl)
{
	bool peer_i = !sa->initiator;
	const struct ike_payload *idp = ike_msg_find(m, peer_i ? IKEV2_PL_IDI
							   : IKEV2_PL_IDR,
						     NULL);
	const struct ike_payload *auth = ike_msg_find(m, IKEV2_PL_AUTH, NULL);
	uint8_t *o = NULL;
	size_t olen = 0;
	int rc = -1;

	if (!idp || !auth || idp->u.id.data.len > sizeof(pid->data)) {
		snprintf(why, wl, "no %s or AUTH payload", peer_i ? "IDi"
								  : "IDr");
		return -1;
	}
	pid->type = idp->u.id.type;
	pid->len = idp->u.id.data.len;
	memcpy(pid->data, idp->u.id.data.ptr, pid->len);
	ike_id_str(pid->type, pid->data, pid->len, sa->remote_id,
		   sizeof(sa->remote_id));
	if (!ike_profile_matches(sa->t->prof, pid->type, pid->data,
				 pid->len)) {
		snprintf(why, wl, "peer %.120s matches *none* of the "
			 "profiles (tunnel profile %.64s)", sa->remote_id,
			 sa->t->prof->name);
		return -1;
	}
	sa_log(sa, IKE_LOG_DEBUG, "peer %s matches %s profile", sa->remote_id,
	       sa->t->prof->name);
	if (octets_for(sa, peer_i, pid, &o, &olen) < 0) {
		snprintf(why, wl, "cannot compute AUTH octets");
		return -1;
	}
	sa->auth_remote = auth->u.auth.method;
	if (auth->u.auth.method == IKEV2_AUTH_PSK) {
		if (!method_allowed(sa->t->prof, CFG_AUTH_PRE_SHARE))
			snprintf(why, wl, "peer used a pre-shared key, profile "
				 "%s does not allow it", sa->t->prof->name);
		else if (psk_auth(sa, pid, false, o, olen, NULL,
				  auth->u.auth.data.ptr,
				  auth->u.auth.data.len) < 0)
			snprintf(why, wl, "pre-shared key AUTH does not verify "
				 "(different keys?)");
		else
			rc = 0;
	} else {
		rc = verify_cert_auth(sa, m, auth, pid, o, olen, why, wl);
	}
	OPENSSL_cleanse(o, olen);
	free(o);
	return rc;
}

/* ---- responder ---- */

static void respond_auth_failed(struct ike_sa *sa, uint32_t msgid)
{
	struct ike_msg *m = calloc(1, sizeof(*m));

	if (!m)
		return;
	ike_add_notify(m, IKEV2_N_AUTHENTICATION_FAILED, NULL, 0);
	ike_respond(sa, IKEV2_EXCH_IKE_AUTH, msgid, m);
	free(m);
}

/* Select the peer's ESP proposal and install the child; on failure
 * the answer carries the error notify instead of SA/TS. */
static int respond_child(struct ike_sa *sa, const struct ike_msg *req,
			 struct ike_msg *m, struct auth_bufs *b)
{
	struct ike_local_proposal lp[6];
	struct ike_selection sel;
	char why[512];
	size_t n = 0;
	uint32_t spi_in, spi_out;

	ike_local_esp_proposals(sa->t, lp, &n, false);
	if (!req->has_sa || !req->has_tsi || !req->has_tsr) {
		sa_log(sa, IKE_LOG_WARNING, "IKE_AUTH without SA/TSi/TSr: no "
		       "child SA");
		ike_add_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return -1;
	}
	if (ike_select_proposal(&req->sa, IKEV2_PROTO_ESP, lp, n,
				IKE_SELECT_LOCAL_FIRST, &sel, why,
				sizeof(why)) < 0 || sel.spi_size != 4) {
		sa_log(sa, IKE_LOG_WARNING, "child SA: no proposal chosen: %s",
		       why);
		ike_add_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return -1;
	}
	if (!ike_ts_acceptable(req)) {
		ike_add_notify(m, IKEV2_N_TS_UNACCEPTABLE, NULL, 0);
		return -1;
	}
	sel.dh = 0;	/* no KE in IKE_AUTH (RFC 7296 1.2) */
	memcpy(&spi_out, sel.spi, 4);
	spi_out = ntohl(spi_out);
	spi_in = ike_spi_alloc(sa);
	if (!spi_in || ikev2_child_install(sa, &sel, spi_in, spi_out, sa->ni,
					 sa->ni_len, sa->nr, sa->nr_len, NULL,
					 0, false, false) < 0) {
		ike_add_notify(m, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		return -1;
	}
	spi_in = htonl(spi_in);
	memcpy(b->spi, &spi_in, 4);
	m->has_sa = true;
	ike_selection_to_sa(&sel, b->spi, 4, &m->sa);
	ike_msg_add(m, IKEV2_PL_SA);
	m->has_tsi = m->has_tsr = true;
	m->tsi = req->tsi;
	m->tsr = req->tsr;
	ike_msg_add(m, IKEV2_PL_TSI);
	ike_msg_add(m, IKEV2_PL_TSR);
	return 0;
}

static void initial_contact(struct ike_sa *sa)
{
	for (struct ike_sa *o = sa->e->sas; o; o = o->next) {
		if (o == sa || o->dead || o->t != sa->t)
			continue;
		/* Our own negotiation towards the peer is in progress:
		 * this is a simultaneous start, not a restart. */
		if (o->initiator && o->state != IKE_ST_ESTABLISHED)
			return;
	}
	for (struct ike_sa *o = sa->e->sas; o; o = o->next) {
		if (o == sa || o->dead || o->t != sa->t ||
		    o->state != IKE_ST_ESTABLISHED)
			continue;
		sa_log(o, IKE_LOG_NOTICE, "INITIAL_CONTACT from the peer in "
		       "IKE SA %u: removing this older IKE SA", sa->id);
		ike_send_delete_unreliable(o);
		ike_sa_destroy(o, "peer restarted (INITIAL_CONTACT)");
	}
}

void ike_auth_request_in(struct ike_sa *sa, const struct ike_msg *req)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct auth_bufs *b = calloc(1, sizeof(*b));
	struct ike_id pid;
	char why[PKI_WHY_MAX];
	uint32_t msgid = req->hdr.msg_id;

	if (!m || !b)
		goto out;
	if (sa->state != IKE_ST_INIT_DONE) {
		sa_log(sa, IKE_LOG_NOTICE, "unexpected IKE_AUTH request "
		       "dropped");
		goto out;
	}
	sa->v2.certreq_len = 0;
	ike_take_certreq(sa, req);
	if (verify_peer(sa, req, &pid, why, sizeof(why)) < 0) {
		sa_log(sa, IKE_LOG_WARNING, "AUTHENTICATION_FAILED: %s", why);
		respond_auth_failed(sa, msgid);
		sa->v2.msgid_in = msgid + 1;
		ike_sa_destroy(sa, "authentication failed");
		goto out;
	}
	sa->v2.msgid_in = msgid + 1;
	if (build_our_auth(sa, m, b) < 0) {
		memset(m, 0, sizeof(*m));
		respond_auth_failed(sa, msgid);
		ike_sa_destroy(sa, "cannot authenticate ourselves");
		goto out;
	}
	add_auth_payload(m, b);
	ike_sa_set_state(sa, IKE_ST_ESTABLISHED);
	sa_log(sa, IKE_LOG_NOTICE, "SA has been authenticated with %s "
	       "(peer ID %s)", sa->t->info.ifname, sa->remote_id);
	respond_child(sa, req, m, b);
	ike_respond(sa, IKEV2_EXCH_IKE_AUTH, msgid, m);
	if (ike_find_notify(req, IKEV2_N_INITIAL_CONTACT))
		initial_contact(sa);
	ike_established(sa);
	ike_restart_if_childless(sa);
out:
	if (b)
		bufs_free(b);
	free(b);
	free(m);
}

/* ---- initiator ---- */

static const struct ike_payload *error_notify(const struct ike_msg *m)
{
	const struct ike_payload *pl = NULL;

	while ((pl = ike_msg_find(m, IKEV2_PL_NOTIFY, pl)))
		if (pl->u.notify.type < 16384)
			return pl;
	return NULL;
}

static int initiator_child(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_local_proposal lp[6];
	struct ike_sa_payload offer;
	struct ike_selection sel;
	const struct ike_payload *err = error_notify(m);
	uint32_t spi_out, spi = htonl(sa->v2.child_spi_in);
	size_t n = 0;

	if (err) {
		sa_log(sa, IKE_LOG_WARNING, "child SA refused by the peer: %s",
		       ike_notify_name(err->u.notify.type));
		return -1;
	}
	ike_local_esp_proposals(sa->t, lp, &n, false);
	ike_build_sa_payload(lp, n, IKEV2_PROTO_ESP, (uint8_t *)&spi, 4,
			     &offer);
	if (!m->has_sa || !ike_selection_offered(&offer, &m->sa,
						 IKEV2_PROTO_ESP, &sel) ||
	    sel.spi_size != 4 || !m->has_tsi || !m->has_tsr) {
		sa_log(sa, IKE_LOG_WARNING, "child SA: the responder's SA/TS "
		       "payloads are missing or not what we proposed");
		return -1;
	}
	memcpy(&spi_out, sel.spi, 4);
	if (ikev2_child_install(sa, &sel, sa->v2.child_spi_in, ntohl(spi_out),
			      sa->ni, sa->ni_len, sa->nr, sa->nr_len, NULL, 0,
			      true, true) < 0)
		return -1;
	sa->v2.child_spi_in = 0;	/* owned by the child now */
	return 0;
}

void ike_auth_response_in(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *err = error_notify(m);
	struct ike_id pid;
	char why[PKI_WHY_MAX];

	if (sa->v2.req != REQ_AUTH) {
		sa_log(sa, IKE_LOG_NOTICE, "unexpected IKE_AUTH response "
		       "dropped");
		return;
	}
	if (err && !ike_msg_find(m, IKEV2_PL_AUTH, NULL)) {
		sa_log(sa, IKE_LOG_WARNING, "IKE_AUTH failed: peer answered %s",
		       ike_notify_name(err->u.notify.type));
		snprintf(why, sizeof(why), "peer answered %s",
			 ike_notify_name(err->u.notify.type));
		goto fail;
	}
	if (verify_peer(sa, m, &pid, why, sizeof(why)) < 0) {
		sa_log(sa, IKE_LOG_WARNING, "AUTHENTICATION_FAILED: %s", why);
		ike_send_delete_unreliable(sa);
		goto fail;
	}
	ike_request_done(sa);
	ike_sa_set_state(sa, IKE_ST_ESTABLISHED);
	sa_log(sa, IKE_LOG_NOTICE, "SA has been authenticated with %s "
	       "(peer ID %s)", sa->t->info.ifname, sa->remote_id);
	initiator_child(sa, m);
	ike_established(sa);
	ike_restart_if_childless(sa);
	return;
fail:
	if (sa->v2.child_spi_in)
		sa->e->ops.sa_del(sa->e->ops.ctx, sa->t->info.ifindex,
				  IKEVTI_DIR_IN, sa->v2.child_spi_in);
	sa->v2.child_spi_in = 0;
	auth_fail_initiator(sa, why);
}

