// SPDX-License-Identifier: GPL-2.0
/*
 * aggressive_mode: IKEv1 Aggressive Mode (RFC 2409 5), both roles, three
 * messages and identities in the clear:
 *
 *   AM1 I->R  SA, KE, Ni, IDii, [CR], vendor IDs
 *   AM2 R->I  SA, KE, Nr, IDir, [CERT], HASH_R | SIG_R, [CR], NAT-D, VIDs
 *   AM3 I->R  encrypted: [CERT], HASH_I | SIG_I, NAT-D, [INITIAL-CONTACT]
 *
 * The KE goes out with the first message, so the initiator offers only
 * the policies of its first policy's DH group. The responder finds the
 * pre-shared key by the initiator's ID when it is a host name, else by
 * its address. "crypto isakmp aggressive-mode disable" refuses it as
 * responder; "initiate mode aggressive" in the isakmp profile makes us
 * start with it.
 */
#include <stdlib.h>
#include <string.h>

#include "ikev1/ikev1.h"

#define AM_BUF 16384

static void begin(struct ike_sa *sa, struct v1_builder *b, uint8_t *buf)
{
	struct v1_header h;

	v1_header(sa, ISAKMP_EXCH_AGGRESSIVE, 0, &h);
	v1_build_begin(b, buf, AM_BUF, &h);
}

/* Only one DH group can go with AM1: the first policy's. */
static size_t same_group(struct v1_transform *t, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (t[i].group == t[0].group) {
			t[k] = t[i];
			t[k].num = (uint8_t)(k + 1);
			k++;
		}
	return k;
}

/* The peer's host name from its ID, for the key look-up. */
static const char *peer_name(const struct ike_sa *sa, char *buf, size_t len)
{
	const uint8_t *id = sa->initiator ? sa->v1.id_r : sa->v1.id_i;
	size_t idl = sa->initiator ? sa->v1.id_r_len : sa->v1.id_i_len;

	if (!id || idl <= 4 || id[0] != IKEV1_ID_FQDN || idl - 4 >= len)
		return NULL;
	memcpy(buf, id + 4, idl - 4);
	buf[idl - 4] = '\0';
	return buf;
}

/* ---- initiator ---- */

int v1_aggressive_start(struct ike_engine *e, struct ike_tunnel *t)
{
	struct v1_transform tr[CFG_LIST_MAX * 4];
	struct ike_path path;
	struct v1_builder b;
	struct ike_sa *sa;
	uint8_t *buf = malloc(AM_BUF);
	size_t n;
	long at;
	int rc = -1;

	ike_sockaddr_set(&path.local, &t->info.local, IKE_PORT);
	ike_sockaddr_set(&path.remote, &t->info.remote, IKE_PORT);
	sa = buf ? v1_phase1_new(e, t, true, &path, ISAKMP_EXCH_AGGRESSIVE)
		 : NULL;
	if (!sa)
		goto out;
	n = same_group(tr, v1_local_transforms(e, t, tr, CFG_LIST_MAX * 4));
	if (!n)
		goto out;
	/* Algorithms are not agreed yet, but the group and the way we
	 * authenticate are: the first policy decides both. */
	v1_agree(sa, &tr[0]);
	if (v1_find_psk(sa, NULL) < 0 || v1_make_ke(sa) < 0)
		goto out;
	begin(sa, &b, buf);
	at = v1_add_sa_phase1(&b, tr, n);
	if (at < 0 || v1_keep_sai(sa, buf + at, b.len - (size_t)at) < 0)
		goto out;
	v1_add_ke_nonce(sa, &b);
	if (v1_add_our_id(sa, &b) < 0)
		goto out;
	v1_add_cert_requests(sa, &b);
	v1_add_vendor_ids(&b, e);
	sa_log(sa, IKE_LOG_INFO, "beginning Aggressive Mode exchange (group "
	       "%u)", tr[0].group);
	if (v1_phase1_send(sa, &b, buf, AM_BUF, false, true) < 0)
		goto out;
	v1_set_state(sa, V1_I_AM1);
	rc = 0;
out:
	free(buf);
	if (rc < 0 && sa)
		v1_phase1_fail(sa, 0, "cannot start Aggressive Mode");
	return rc;
}

static int am2_in(struct ike_sa *sa, const struct v1_msg *m, uint8_t *buf)
{
	struct v1_transform chosen;
	struct v1_builder b;

	if (!m->has_sa || v1_check_answer(sa, &m->sa, &chosen) < 0 ||
	    chosen.group != sa->sel.dh) {
		v1_phase1_fail(sa, 0, "the peer answered with a proposal we "
			       "did not offer");
		return -1;
	}
	memcpy(sa->spi_r, m->hdr.cky_r, 8);
	v1_take_vendor_ids(sa, m);
	v1_agree(sa, &chosen);
	v1_set_state(sa, V1_I_AM2);
	if (v1_find_psk(sa, NULL) < 0 || v1_take_ke_nonce(sa, m) < 0 ||
	    v1_take_id(sa, m) < 0) {
		v1_phase1_fail(sa, IKEV1_N_PAYLOAD_MALFORMED, "bad AM2");
		return -1;
	}
	v1_take_cert_requests(sa, m);
	v1_check_natd(sa, m);
	if (v1_derive(sa) < 0 || v1_check_id_auth(sa, m) < 0) {
		v1_phase1_fail(sa, IKEV1_N_AUTHENTICATION_FAILED,
			       "the peer's authentication failed");
		return -1;
	}
	v1_float(sa);
	begin(sa, &b, buf);
	if (v1_add_our_auth(sa, &b) < 0)
		return -1;
	v1_add_natd(sa, &b);
	if (v1_phase1_send(sa, &b, buf, AM_BUF, true, false) < 0)
		return -1;
	v1_phase1_check_contact(sa, m);
	v1_phase1_done(sa);
	return 1;
}

/* ---- responder ---- */

void v1_aggressive_request_in(struct ike_engine *e,
			      const struct ike_path *path,
			      const struct v1_msg *m)
{
	struct ike_tunnel *t = ike_tunnel_for_path(e, path);
	struct v1_transform chosen;
	struct v1_builder b;
	struct ike_sa *sa;
	struct ike_bytes sab;
	char why[160], a[64], name[256];
	uint8_t *buf;

	ike_addr_str(&path->remote, a, sizeof(a));
	if (!t || t->v != e->ikev1 || e->model->isakmp.aggressive_mode_disabled) {
		elog(e, IKE_LOG_NOTICE, t, NULL, "Aggressive Mode from %s: %s: "
		     "dropped", a, !t ? "no tunnel for this peer" :
		     t->v != e->ikev1 ? "the tunnel runs IKEv2" :
		     "crypto isakmp aggressive-mode disable");
		return;
	}
	sa = v1_phase1_new(e, t, false, path, ISAKMP_EXCH_AGGRESSIVE);
	buf = malloc(AM_BUF);
	if (!sa || !buf || !m->has_sa) {
		free(buf);
		if (sa)
			ike_sa_destroy(sa, "AM1 unusable");
		return;
	}
	memcpy(sa->spi_i, m->hdr.cky_i, 8);
	v1_set_state(sa, V1_R_AM1);
	v1_take_vendor_ids(sa, m);
	if (v1_choose_transform(sa, &m->sa, &chosen, why, sizeof(why)) < 0) {
		v1_phase1_fail(sa, IKEV1_N_NO_PROPOSAL_CHOSEN, why);
		goto out;
	}
	sab = v1_msg_sa_body(m);
	v1_agree(sa, &chosen);
	if (v1_keep_sai(sa, sab.ptr, sab.len) < 0 ||
	    v1_take_ke_nonce(sa, m) < 0 || v1_take_id(sa, m) < 0) {
		v1_phase1_fail(sa, IKEV1_N_PAYLOAD_MALFORMED, "bad AM1");
		goto out;
	}
	v1_take_cert_requests(sa, m);
	if (v1_find_psk(sa, peer_name(sa, name, sizeof(name))) < 0) {
		v1_phase1_fail(sa, IKEV1_N_AUTHENTICATION_FAILED,
			       "no pre-shared key for the peer");
		goto out;
	}
	v1_check_natd(sa, m);
	if (v1_make_ke(sa) < 0)
		goto out;
	begin(sa, &b, buf);
	v1_add_sa_phase1(&b, &chosen, 1);
	v1_add_ke_nonce(sa, &b);
	if (v1_derive(sa) < 0 || v1_add_id_auth(sa, &b) < 0) {
		v1_phase1_fail(sa, IKEV1_N_AUTHENTICATION_FAILED,
			       "cannot authenticate ourselves");
		goto out;
	}
	v1_add_cert_requests(sa, &b);
	v1_add_natd(sa, &b);
	v1_add_vendor_ids(&b, e);
	if (v1_phase1_send(sa, &b, buf, AM_BUF, false, false) == 0)
		v1_set_state(sa, V1_R_AM2);
out:
	free(buf);
}

static int am3_in(struct ike_sa *sa, const struct v1_msg *m,
		  const struct ike_path *path)
{
	if (v1_check_id_auth(sa, m) < 0) {
		v1_phase1_fail(sa, IKEV1_N_AUTHENTICATION_FAILED,
			       "the peer's authentication failed");
		return -1;
	}
	if (m->hdr.flags & ISAKMP_FLAG_ENC)
		v1_iv_commit(&sa->v1.iv);
	sa->path = *path;
	if (ike_sockaddr_port(&path->local) == IKE_NATT_PORT)
		sa->natt = sa->nat_local || sa->nat_remote;
	v1_phase1_check_contact(sa, m);
	v1_phase1_done(sa);
	return 0;
}

int v1_aggressive_in(struct ike_sa *sa, const struct v1_msg *m,
		     const struct ike_path *path)
{
	uint8_t *buf = malloc(AM_BUF);
	int rc = 0;

	if (!buf)
		return 0;
	if (sa->v1.st == V1_I_AM1)
		rc = am2_in(sa, m, buf);
	else if (sa->v1.st == V1_R_AM2)
		rc = am3_in(sa, m, path);
	else
		sa_log(sa, IKE_LOG_DEBUG, "Aggressive Mode message in state "
		       "%s: dropped", v1_state_name(sa->v1.st));
	free(buf);
	return rc == 1;
}
