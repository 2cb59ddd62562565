// SPDX-License-Identifier: GPL-2.0
/*
 * msg: building, protecting and sending IKE messages, and opening the
 * protected ones that arrive (SK, or SKF fragments put back together).
 *
 * Fragmentation (RFC 7383) is used only when both sides announced
 * IKEV2_FRAGMENTATION_SUPPORTED and the protected message would be
 * larger than the path MTU the daemon reports (ops->path_mtu: the
 * kernel's route and PMTU cache); when it cannot tell, 576 bytes over
 * IPv4 and 1280 over IPv6 (RFC 7383 2.5.1: the minimum every path must
 * carry). Tests fix the limit with ike_engine_set_frag_max. The IKE message length is measured without
 * IP/UDP headers or the non-ESP marker; the RFC's numbers are for the IP
 * datagram, so we subtract them to stay below.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "ikev2/ikev2.h"

void ike_out_free(struct ike_out *o)
{
	ike_frags_free(o->f, o->n);
	o->n = 0;
}

int ike_out_send(struct ike_engine *e, const struct ike_path *path,
		 const struct ike_out *o)
{
	int rc = 0;

	for (size_t i = 0; i < o->n; i++) {
		int r = ike_send_datagram(e, path, o->f[i].buf, o->f[i].len);

		if (r < 0)
			rc = r;
	}
	return rc;
}

/* Keep a single whole message in an ike_out. */
static int out_keep(struct ike_out *keep, const uint8_t *buf, size_t len)
{
	uint8_t *copy = malloc(len);

	if (!copy)
		return -1;
	memcpy(copy, buf, len);
	ike_out_free(keep);
	keep->f[0].buf = copy;
	keep->f[0].len = len;
	keep->n = 1;
	return 0;
}

int ike_send_plain(struct ike_engine *e, const struct ike_path *path,
		   const struct ike_msg *m, struct ike_out *keep)
{
	uint8_t *buf = malloc(IKE_MAX_MSG_LEN);
	size_t len;
	int rc = -1;

	if (!buf)
		return -1;
	if (!ike_msg_encode(m, buf, IKE_MAX_MSG_LEN, &len)) {
		rc = 0;
		if (keep)
			rc = out_keep(keep, buf, len);
		ike_send_datagram(e, path, buf, len);
	}
	free(buf);
	return rc;
}

static void header_for(const struct ike_sa *sa, uint8_t exch, bool response,
		       uint32_t msg_id, struct ike_header *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->spi_i, sa->spi_i, 8);
	memcpy(h->spi_r, sa->spi_r, 8);
	h->version = IKEV2_VERSION;
	h->exchange = exch;
	h->flags = (sa->initiator ? IKEV2_FLAG_INITIATOR : 0) |
		   (response ? IKEV2_FLAG_RESPONSE : 0);
	h->msg_id = msg_id;
}

static int seal_whole(struct ike_sa *sa, const struct ike_header *h,
		      const struct ike_sk_keys *k, uint8_t first,
		      const uint8_t *plain, size_t plen, struct ike_out *o)
{
	size_t cap = IKEV2_HDR_LEN + plen + ike_sk_overhead(&k->alg, plen);
	uint8_t *buf = malloc(cap);
	char why[128];

	if (!buf)
		return -1;
	if (ike_sk_seal(k, h, first, plain, plen, NULL, buf, cap,
			&o->f[0].len, why, sizeof(why)) < 0) {
		sa_log(sa, IKE_LOG_ERR, "cannot protect message: %s", why);
		free(buf);
		return -1;
	}
	o->f[0].buf = buf;
	o->n = 1;
	return 0;
}

static int seal_frags(struct ike_sa *sa, const struct ike_header *h,
		      const struct ike_sk_keys *k, uint8_t first,
		      const uint8_t *plain, size_t plen, struct ike_out *o)
{
	char why[128];
	size_t max = ike_frag_max(sa->e, sa);

	if (ike_skf_seal_all(k, h, first, plain, plen, max, o->f,
			     IKE_SKF_MAX, &o->n, why, sizeof(why)) < 0) {
		sa_log(sa, IKE_LOG_ERR, "cannot fragment message: %s", why);
		o->n = 0;
		return -1;
	}
	sa_log(sa, IKE_LOG_DEBUG, "%s message of %zu bytes sent as %zu "
	       "fragments of at most %zu bytes (RFC 7383)",
	       ike_exch_name(h->exchange), plen, o->n, max);
	return 0;
}

int ike_send_sk(struct ike_sa *sa, uint8_t exch, bool response,
		uint32_t msg_id, const struct ike_msg *inner,
		struct ike_out *keep)
{
	struct ike_header h;
	struct ike_sk_keys k;
	struct ike_out o = { .n = 0 };
	uint8_t *plain = malloc(IKE_MAX_MSG_LEN);
	size_t plen = 0;
	uint8_t first = inner->n_payloads ? inner->payloads[0].type : 0;
	int rc = -1;

	if (!plain)
		return -1;
	header_for(sa, exch, response, msg_id, &h);
	ike_sk_keys_for(sa, sa->initiator, &k);
	if (ike_payloads_encode(inner, plain, IKE_MAX_MSG_LEN, &plen) < 0) {
		sa_log(sa, IKE_LOG_ERR, "cannot encode %s message",
		       ike_exch_name(exch));
		goto out;
	}
	if (sa->v2.peer_frag && exch != IKEV2_EXCH_IKE_SA_INIT &&
	    IKEV2_HDR_LEN + plen + ike_sk_overhead(&k.alg, plen) >
	    ike_frag_max(sa->e, sa))
		rc = seal_frags(sa, &h, &k, first, plain, plen, &o);
	else
		rc = seal_whole(sa, &h, &k, first, plain, plen, &o);
	if (rc == 0) {
		ike_out_send(sa->e, &sa->path, &o);
		ike_out_free(keep);
		*keep = o;
	}
out:
	OPENSSL_cleanse(plain, plen);
	free(plain);
	return rc;
}

struct ike_payload *ike_add_notify(struct ike_msg *m, uint16_t type,
				   const uint8_t *data, size_t len)
{
	struct ike_payload *pl = ike_msg_add(m, IKEV2_PL_NOTIFY);

	if (!pl)
		return NULL;
	pl->u.notify.type = type;
	pl->u.notify.data.ptr = data;
	pl->u.notify.data.len = len;
	return pl;
}

const struct ike_payload *ike_find_notify(const struct ike_msg *m,
					  uint16_t type)
{
	const struct ike_payload *pl = NULL;

	while ((pl = ike_msg_find(m, IKEV2_PL_NOTIFY, pl)))
		if (pl->u.notify.type == type)
			return pl;
	return NULL;
}

static int open_whole(struct ike_sa *sa, const struct ike_sk_keys *k,
		      const uint8_t *buf, size_t len,
		      const struct ike_payload *pl, uint8_t **plain,
		      size_t *plen, uint8_t *first)
{
	char why[128];

	*plain = malloc(pl->u.sk.data.len + 1);
	if (!*plain)
		return -1;
	if (ike_sk_open(k, buf, len, pl, *plain, pl->u.sk.data.len + 1, plen,
			why, sizeof(why)) < 0) {
		sa_log(sa, IKE_LOG_WARNING, "dropping %s message: %s",
		       ike_exch_name(buf[18]), why);
		free(*plain);
		*plain = NULL;
		return -1;
	}
	*first = pl->u.sk.first_inner;
	return 0;
}

static int open_frag(struct ike_sa *sa, const struct ike_sk_keys *k,
		     const uint8_t *buf, size_t len, const struct ike_msg *m,
		     uint8_t **plain, size_t *plen, uint8_t *first)
{
	char why[128];
	enum ike_reasm_status st;
	/* Both directions may be fragmented at once (crossing requests). */
	struct ike_reasm *r = m->hdr.flags & IKEV2_FLAG_RESPONSE ?
			      &sa->v2.reasm_resp : &sa->v2.reasm;

	if (r->active && r->msg_id != m->hdr.msg_id)
		ike_reasm_free(r);	/* an older message: give up */
	st = ike_reasm_add(r, k, buf, len, m, why, sizeof(why));
	if (st == IKE_REASM_ERROR) {
		sa_log(sa, IKE_LOG_WARNING, "dropping fragment: %s", why);
		return -1;
	}
	if (st == IKE_REASM_INCOMPLETE)
		return 1;
	if (ike_reasm_take(r, plain, plen, first) < 0)
		return -1;
	sa_log(sa, IKE_LOG_DEBUG, "reassembled %zu bytes from fragments",
	       *plen);
	return 0;
}

int ike_open_sk(struct ike_sa *sa, const uint8_t *buf, size_t len,
		struct ike_msg *m, uint8_t **plain)
{
	const struct ike_payload *pl = m->n_payloads ?
		&m->payloads[m->n_payloads - 1] : NULL;
	bool from_i = m->hdr.flags & IKEV2_FLAG_INITIATOR;
	struct ike_sk_keys k;
	struct ike_decode_error err;
	size_t plen = 0;
	uint8_t first = 0;
	int rc;

	*plain = NULL;
	if (!pl || (pl->type != IKEV2_PL_SK && pl->type != IKEV2_PL_SKF)) {
		sa_log(sa, IKE_LOG_WARNING, "dropping %s message without an "
		       "encrypted payload", ike_exch_name(m->hdr.exchange));
		return -1;
	}
	if (!sa->v2.have_keys)
		return -1;
	ike_sk_keys_for(sa, from_i, &k);
	if (pl->type == IKEV2_PL_SK)
		rc = open_whole(sa, &k, buf, len, pl, plain, &plen, &first);
	else
		rc = open_frag(sa, &k, buf, len, m, plain, &plen, &first);
	if (rc)
		return rc;
	if (ike_payloads_decode(first, *plain, plen, 0, m, &err) < 0) {
		sa_log(sa, IKE_LOG_WARNING, "dropping %s message: inner "
		       "payloads: %s", ike_exch_name(m->hdr.exchange),
		       err.msg);
		OPENSSL_cleanse(*plain, plen);
		free(*plain);
		*plain = NULL;
		return -1;
	}
	return 0;
}

void ike_sk_keys_for(const struct ike_sa *sa, bool from_initiator,
		     struct ike_sk_keys *k)
{
	const struct ike_sa_keys *K = &sa->v2.keys;

	memset(k, 0, sizeof(*k));
	k->alg.encr = sa->sel.encr.id;
	k->alg.key_bits = sa->sel.encr.key_bits;
	k->alg.integ = sa->sel.integ;
	k->encr_key = from_initiator ? K->sk_ei : K->sk_er;
	k->encr_len = K->encr_len;
	if (K->integ_len) {
		k->integ_key = from_initiator ? K->sk_ai : K->sk_ar;
		k->integ_len = K->integ_len;
	}
}

/* The CA hashes of received CERTREQs, in received order. */
void ike_take_certreq(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *pl = NULL;

	while ((pl = ike_msg_find(m, IKEV2_PL_CERTREQ, pl))) {
		const struct ike_bytes *d = &pl->u.cert.data;

		sa->v2.got_certreq = true;
		if (pl->u.cert.encoding != IKEV2_CERT_X509_SIG ||
		    d->len % PKI_HASH_LEN ||
		    sa->v2.certreq_len + d->len > sizeof(sa->v2.certreq))
			continue;
		memcpy(sa->v2.certreq + sa->v2.certreq_len, d->ptr, d->len);
		sa->v2.certreq_len += d->len;
	}
}

static void ts_any(struct ike_ts_payload *p)
{
	memset(p, 0, sizeof(*p));
	p->n = 2;
	p->ts[0].type = IKEV2_TS_IPV4_ADDR_RANGE;
	p->ts[0].end_port = 65535;
	memset(p->ts[0].end, 0xff, 4);
	p->ts[1].type = IKEV2_TS_IPV6_ADDR_RANGE;
	p->ts[1].end_port = 65535;
	memset(p->ts[1].end, 0xff, 16);
}

void ike_ts_all(struct ike_msg *m)
{
	m->has_tsi = m->has_tsr = true;
	ts_any(&m->tsi);
	ts_any(&m->tsr);
	ike_msg_add(m, IKEV2_PL_TSI);
	ike_msg_add(m, IKEV2_PL_TSR);
}

/* Route-based: the device is the policy, so any non-empty selectors
 * are fine; we answer with the peer's own (no narrowing needed). */
bool ike_ts_acceptable(const struct ike_msg *m)
{
	return m->has_tsi && m->has_tsr && m->tsi.n && m->tsr.n;
}

/* Best effort, not retransmitted: the IKE SA is going away anyway. */
void ike_send_delete_unreliable(struct ike_sa *sa)
{
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct ike_out o = { .n = 0 };

	if (!m || !sa->v2.have_keys) {
		free(m);
		return;
	}
	ike_add_delete(m, IKEV2_PROTO_IKE, NULL, 0);
	ike_send_sk(sa, IKEV2_EXCH_INFORMATIONAL, false, sa->v2.msgid_out++, m,
		    &o);
	ike_out_free(&o);
	free(m);
}

void ike_add_delete(struct ike_msg *m, uint8_t proto, const uint8_t *spis,
		       uint16_t n)
{
	struct ike_payload *pl = ike_msg_add(m, IKEV2_PL_DELETE);

	pl->u.del.protocol = proto;
	pl->u.del.spi_size = proto == IKEV2_PROTO_IKE ? 0 : 4;
	pl->u.del.n_spi = proto == IKEV2_PROTO_IKE ? 0 : n;
	pl->u.del.spis = (struct ike_bytes){ spis, proto == IKEV2_PROTO_IKE ?
					     0 : 4u * n };
}
