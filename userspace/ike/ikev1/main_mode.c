// SPDX-License-Identifier: GPL-2.0
/*
 * main_mode: IKEv1 Main Mode (RFC 2409 5), both roles, six messages:
 *
 *   MM1 I->R  SA, vendor IDs            MM2 R->I  SA (one transform), VIDs
 *   MM3 I->R  KE, Ni, [CR...], NAT-D    MM4 R->I  KE, Nr, [CR...], NAT-D
 *   MM5 I->R  encrypted: IDii, [CERT], HASH_I | SIG_I, [INITIAL-CONTACT]
 *   MM6 R->I  encrypted: IDir, [CERT], HASH_R | SIG_R
 *
 * The initiator sends its CERT_REQs in MM3 (its profile's trustpoints),
 * the responder in MM4 (all of them); CERT_REQs that arrive in MM5 are
 * taken too, since strongSwan and Libreswan initiators send them there.
 * The pre-shared key is chosen by the peer's address before MM5 (its ID
 * is encrypted). From MM5 on, both ends use port 4500 when NAT-D saw a
 * NAT (RFC 3947).
 */
#include <stdlib.h>
#include <string.h>

#include "ikev1/ikev1.h"

#define MM_BUF 16384

static void begin(struct ike_sa *sa, struct v1_builder *b, uint8_t *buf)
{
	struct v1_header h;

	v1_header(sa, ISAKMP_EXCH_IDPROT, 0, &h);
	v1_build_begin(b, buf, MM_BUF, &h);
}

/* ---- initiator ---- */

int v1_main_mode_start(struct ike_engine *e, struct ike_tunnel *t)
{
	struct v1_transform tr[CFG_LIST_MAX * 4];
	struct ike_path path;
	struct v1_builder b;
	struct ike_sa *sa;
	uint8_t *buf;
	size_t n;
	long at;
	int rc = -1;

	ike_sockaddr_set(&path.local, &t->info.local, IKE_PORT);
	ike_sockaddr_set(&path.remote, &t->info.remote, IKE_PORT);
	sa = v1_phase1_new(e, t, true, &path, ISAKMP_EXCH_IDPROT);
	buf = malloc(MM_BUF);
	if (!sa || !buf)
		goto out;
	n = v1_local_transforms(e, t, tr, CFG_LIST_MAX * 4);
	begin(sa, &b, buf);
	at = v1_add_sa_phase1(&b, tr, n);
	if (at < 0 || v1_keep_sai(sa, buf + at, b.len - (size_t)at) < 0)
		goto out;
	v1_add_vendor_ids(&b, e);
	sa_log(sa, IKE_LOG_INFO, "beginning Main Mode exchange with %zu "
	       "polic%s", n, n == 1 ? "y" : "ies");
	if (v1_phase1_send(sa, &b, buf, MM_BUF, false, true) < 0)
		goto out;
	v1_set_state(sa, V1_I_MM1);
	rc = 0;
out:
	free(buf);
	if (rc < 0 && sa)
		v1_phase1_fail(sa, 0, "cannot start Main Mode");
	return rc;
}

static int mm2_in(struct ike_sa *sa, const struct v1_msg *m, uint8_t *buf)
{
	struct v1_transform chosen;
	struct v1_builder b;

	if (!m->has_sa || v1_check_answer(sa, &m->sa, &chosen) < 0) {
		v1_phase1_fail(sa, 0, "the peer answered with a proposal we "
			       "did not offer");
		return -1;
	}
	memcpy(sa->spi_r, m->hdr.cky_r, 8);
	v1_take_vendor_ids(sa, m);
	v1_agree(sa, &chosen);
	v1_set_state(sa, V1_I_MM2);
	if (v1_find_psk(sa, NULL) < 0) {
		v1_phase1_fail(sa, 0, "no pre-shared key for the peer");
		return -1;
	}
	if (v1_make_ke(sa) < 0)
		return -1;
	begin(sa, &b, buf);
	v1_add_ke_nonce(sa, &b);
	v1_add_cert_requests(sa, &b);
	v1_add_natd(sa, &b);
	if (v1_phase1_send(sa, &b, buf, MM_BUF, false, true) < 0)
		return -1;
	v1_set_state(sa, V1_I_MM3);
	return 0;
}

static int mm4_in(struct ike_sa *sa, const struct v1_msg *m, uint8_t *buf)
{
	struct v1_builder b;

	if (v1_take_ke_nonce(sa, m) < 0) {
		v1_phase1_fail(sa, IKEV1_N_PAYLOAD_MALFORMED, "bad MM4");
		return -1;
	}
	v1_set_state(sa, V1_I_MM4);
	v1_take_cert_requests(sa, m);
	v1_check_natd(sa, m);
	if (v1_derive(sa) < 0) {
		v1_phase1_fail(sa, IKEV1_N_INVALID_KEY_INFORMATION,
			       "key derivation failed");
		return -1;
	}
	v1_float(sa);
	begin(sa, &b, buf);
	if (v1_add_id_auth(sa, &b) < 0) {
		v1_phase1_fail(sa, 0, "cannot authenticate ourselves");
		return -1;
	}
	if (v1_phase1_send(sa, &b, buf, MM_BUF, true, true) < 0)
		return -1;
	v1_set_state(sa, V1_I_MM5);
	return 0;
}

static int mm6_in(struct ike_sa *sa, const struct v1_msg *m)
{
	if (v1_take_id(sa, m) < 0 || v1_check_id_auth(sa, m) < 0) {
		v1_phase1_fail(sa, IKEV1_N_AUTHENTICATION_FAILED,
			       "the peer's authentication failed");
		return -1;
	}
	v1_iv_commit(&sa->v1.iv);
	v1_set_state(sa, V1_I_MM6);
	v1_retransmit_stop(sa);
	v1_phase1_done(sa);
	return 1;
}

/* ---- responder ---- */

void v1_main_mode_request_in(struct ike_engine *e,
			     const struct ike_path *path,
			     const struct v1_msg *m)
{
	struct ike_tunnel *t = ike_tunnel_for_path(e, path);
	struct v1_transform chosen;
	struct v1_builder b;
	struct ike_sa *sa;
	struct ike_bytes sab;
	char why[160], a[64];
	uint8_t *buf;

	ike_addr_str(&path->remote, a, sizeof(a));
	if (!t || t->v != e->ikev1) {
		elog(e, IKE_LOG_NOTICE, t, NULL, "Main Mode from %s: %s", a,
		     t ? "the tunnel runs IKEv2: dropped" :
		     "no tunnel for this peer: dropped");
		return;
	}
	if (!m->has_sa) {
		elog(e, IKE_LOG_NOTICE, t, NULL, "MM1 from %s without an SA "
		     "payload: dropped", a);
		return;
	}
	sa = v1_phase1_new(e, t, false, path, ISAKMP_EXCH_IDPROT);
	buf = malloc(MM_BUF);
	if (!sa || !buf) {
		free(buf);
		if (sa)
			ike_sa_destroy(sa, "out of memory");
		return;
	}
	memcpy(sa->spi_i, m->hdr.cky_i, 8);
	v1_set_state(sa, V1_R_MM1);
	v1_take_vendor_ids(sa, m);
	if (v1_choose_transform(sa, &m->sa, &chosen, why, sizeof(why)) < 0) {
		v1_phase1_fail(sa, IKEV1_N_NO_PROPOSAL_CHOSEN, why);
		goto out;
	}
	sab = v1_msg_sa_body(m);
	if (v1_keep_sai(sa, sab.ptr, sab.len) < 0)
		goto out;
	v1_agree(sa, &chosen);
	begin(sa, &b, buf);
	v1_add_sa_phase1(&b, &chosen, 1);
	v1_add_vendor_ids(&b, e);
	if (v1_phase1_send(sa, &b, buf, MM_BUF, false, false) == 0)
		v1_set_state(sa, V1_R_MM2);
out:
	free(buf);
}

static int mm3_in(struct ike_sa *sa, const struct v1_msg *m, uint8_t *buf)
{
	struct v1_builder b;

	if (v1_take_ke_nonce(sa, m) < 0) {
		v1_phase1_fail(sa, IKEV1_N_PAYLOAD_MALFORMED, "bad MM3");
		return -1;
	}
	v1_set_state(sa, V1_R_MM3);
	v1_take_cert_requests(sa, m);
	v1_check_natd(sa, m);
	if (v1_find_psk(sa, NULL) < 0) {
		v1_phase1_fail(sa, IKEV1_N_AUTHENTICATION_FAILED,
			       "no pre-shared key for the peer");
		return -1;
	}
	if (v1_make_ke(sa) < 0)
		return -1;
	begin(sa, &b, buf);
	v1_add_ke_nonce(sa, &b);
	v1_add_cert_requests(sa, &b);
	v1_add_natd(sa, &b);
	if (v1_derive(sa) < 0) {
		v1_phase1_fail(sa, IKEV1_N_INVALID_KEY_INFORMATION,
			       "key derivation failed");
		return -1;
	}
	if (v1_phase1_send(sa, &b, buf, MM_BUF, false, false) < 0)
		return -1;
	v1_set_state(sa, V1_R_MM4);
	return 0;
}

static int mm5_in(struct ike_sa *sa, const struct v1_msg *m,
		  const struct ike_path *path, uint8_t *buf)
{
	struct v1_builder b;

	v1_take_cert_requests(sa, m);	/* strongSwan, Libreswan: here */
	if (v1_take_id(sa, m) < 0 || v1_check_id_auth(sa, m) < 0) {
		v1_phase1_fail(sa, IKEV1_N_AUTHENTICATION_FAILED,
			       "the peer's authentication failed");
		return -1;
	}
	v1_iv_commit(&sa->v1.iv);
	v1_set_state(sa, V1_R_MM5);
	/* Authenticated: answer where it came from (4500 after a float). */
	sa->path = *path;
	if (ike_sockaddr_port(&path->local) == IKE_NATT_PORT)
		sa->natt = sa->nat_local || sa->nat_remote;
	v1_phase1_check_contact(sa, m);
	begin(sa, &b, buf);
	if (v1_add_id_auth(sa, &b) < 0) {
		v1_phase1_fail(sa, IKEV1_N_AUTHENTICATION_FAILED,
			       "cannot authenticate ourselves");
		return -1;
	}
	if (v1_phase1_send(sa, &b, buf, MM_BUF, true, false) < 0)
		return -1;
	v1_phase1_done(sa);
	return 0;
}

int v1_main_mode_in(struct ike_sa *sa, const struct v1_msg *m,
		    const struct ike_path *path)
{
	uint8_t *buf = malloc(MM_BUF);
	int rc = 0;

	if (!buf)
		return 0;
	switch (sa->v1.st) {
	case V1_I_MM1:
		rc = mm2_in(sa, m, buf);
		break;
	case V1_I_MM3:
		rc = mm4_in(sa, m, buf);
		break;
	case V1_I_MM5:
		rc = mm6_in(sa, m);
		if (rc == 1)
			v1_phase1_check_contact(sa, m);
		break;
	case V1_R_MM2:
		rc = mm3_in(sa, m, buf);
		break;
	case V1_R_MM4:
		rc = mm5_in(sa, m, path, buf);
		break;
	default:
		sa_log(sa, IKE_LOG_DEBUG, "Main Mode message in state %s: "
		       "dropped", v1_state_name(sa->v1.st));
	}
	free(buf);
	return rc == 1;
}
