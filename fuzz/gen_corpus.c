// SPDX-License-Identifier: GPL-2.0
/*
 * The seed corpora of the fuzz targets (README.md), written into
 * fuzz/corpus/TARGET/ by "make -C fuzz corpus":
 *
 *   ikev2_msg  every datagram of real in-memory IKEv2 exchanges (PSK, and
 *              RSA certificates with RFC 7383 fragments): IKE_SA_INIT,
 *              IKE_AUTH, CREATE_CHILD_SA (child rekey with PFS),
 *              INFORMATIONAL (DPD, Delete); and the decrypted content of
 *              each SK payload behind a plain header, so the inner
 *              payloads are seeds too;
 *   engine     the same datagrams with the engine target's prefix, for
 *              the state in which each one arrives, and the decrypted
 *              inner chains for its sealed mode;
 *   ikev1_msg  IKEv1 messages made with the codec's builder: Main Mode
 *              with SA, KE, nonces, NAT-D and vendor IDs, an encrypted
 *              one, Quick Mode, Notify, Delete, and a fragmented message;
 *   control    every request form ikevtictl sends;
 *   events     the three kernel events, built as the module sends them.
 *
 * The configuration seeds are the test configurations, copied by the
 * Makefile. Names are stable (a counter per target and a short label),
 * so that running the generator again replaces the same files.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "engine_setup.h"
#include "ikev1/codec.h"
#include "ikev1/frag.h"
#include "ikev1/isakmp.h"
#include "ikev2/ikev2.h"
#include "uapi/linux/ikevti.h"

static const char *out_dir;

static void put_file(const char *target, const char *label, unsigned int i,
		     const uint8_t *a, size_t alen, const uint8_t *b,
		     size_t blen)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%03u-%s", out_dir, target, i,
		 label);
	f = fopen(path, "wb");
	if (!f || fwrite(a, 1, alen, f) != alen ||
	    (blen && fwrite(b, 1, blen, f) != blen) || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* ---- IKEv2: recorded exchanges ---- */

static unsigned int n_v2, n_engine;
static enum fz_conf cur_conf;

static const char *exch_name(uint8_t x)
{
	switch (x) {
	case IKEV2_EXCH_IKE_SA_INIT: return "init";
	case IKEV2_EXCH_IKE_AUTH: return "auth";
	case IKEV2_EXCH_CREATE_CHILD_SA: return "child";
	case IKEV2_EXCH_INFORMATIONAL: return "info";
	default: return "other";
	}
}

static void engine_seed(enum fz_state s, bool other, int mode,
			const char *label, const uint8_t *pre, size_t plen,
			const uint8_t *body, size_t len)
{
	uint8_t buf[8 + IKE_MAX_MSG_LEN];

	buf[0] = (uint8_t)(s | (other ? 8 : 0) | cur_conf << 4 | mode << 6);
	buf[1] = 0;
	if (plen)
		memcpy(buf + 2, pre, plen);
	memcpy(buf + 2 + plen, body, len);
	put_file("engine", label, n_engine++, buf, 2 + plen + len, NULL, 0);
}

/* The sender's IKE SA with these SPIs (the first messages of a rekey
 * are under the old SA). */
static struct ike_sa *sender_sa(struct h_node *x, const uint8_t *hdr)
{
	for (struct ike_sa *sa = x->e->sas; sa; sa = sa->next)
		if (!memcmp(sa->spi_i, hdr, 8) && !memcmp(sa->spi_r, hdr + 8, 8))
			return sa;
	return NULL;
}

/* The plaintext of an SK message (not SKF), or 0. */
static size_t open_sk(struct h_node *x, const uint8_t *buf, size_t len,
		      uint8_t *first, uint8_t *plain, size_t cap)
{
	static struct ike_msg m;
	struct ike_decode_error err;
	const struct ike_payload *pl;
	struct ike_sk_keys k;
	struct ike_sa *sa;
	char why[128];
	size_t plen = 0;

	memset(&m, 0, sizeof(m));
	if (ike_msg_decode(buf, len, &m, &err) < 0)
		return 0;
	pl = ike_msg_find(&m, IKEV2_PL_SK, NULL);
	sa = sender_sa(x, buf);
	if (!pl || !sa)
		return 0;
	ike_sk_keys_for(sa, m.hdr.flags & IKEV2_FLAG_INITIATOR, &k);
	if (ike_sk_open(&k, buf, len, pl, plain, cap, &plen, why,
			sizeof(why)) < 0)
		return 0;
	*first = pl->u.sk.first_inner;
	return plen;
}

static void record_v2(struct h_net *n, const struct h_pkt *p)
{
	static uint8_t plain[IKE_MAX_MSG_LEN];
	const uint8_t *b = p->buf;
	bool resp, to_a = p->from == 1;
	uint8_t exch, first = 0, hdr[28], pre[3];
	char label[64];
	size_t plen;

	if (p->len < 28)
		return;
	exch = b[18];
	resp = b[19] & IKEV2_FLAG_RESPONSE;
	snprintf(label, sizeof(label), "%s-%s-%s%s", fz_conf_names[cur_conf],
		 exch_name(exch), resp ? "resp" : "req",
		 b[16] == IKEV2_PL_SKF ? "-frag" : "");
	put_file("ikev2_msg", label, n_v2++, b, p->len, NULL, 0);
	/* the state in which the message arrives, raw */
	if (exch == IKEV2_EXCH_IKE_SA_INIT)
		engine_seed(resp ? FZ_INIT_SENT : FZ_BEFORE, false,
			    resp ? 1 : 0, label, NULL, 0, b, p->len);
	else if (exch == IKEV2_EXCH_IKE_AUTH && !resp)
		engine_seed(FZ_HALF_OPEN, false, 2, label, NULL, 0, b, p->len);
	else
		engine_seed(FZ_ESTABLISHED, to_a, 2, label, NULL, 0, b,
			    p->len);
	plen = open_sk(&n->node[p->from], b, p->len, &first, plain,
		       sizeof(plain));
	if (!plen)
		return;
	/* the inner chain behind a plain header */
	memcpy(hdr, b, 28);
	hdr[16] = first;
	{
		uint32_t l = htonl((uint32_t)(28 + plen));

		memcpy(hdr + 24, &l, 4);
	}
	snprintf(label + strlen(label), sizeof(label) - strlen(label),
		 "-inner");
	put_file("ikev2_msg", label, n_v2++, hdr, 28, plain, plen);
	pre[0] = exch;
	pre[1] = first;
	pre[2] = resp;
	if (exch == IKEV2_EXCH_IKE_AUTH)
		engine_seed(FZ_HALF_OPEN, false, 3, label, pre, 3, plain,
			    resp ? 0 : plen);
	else if (resp && exch == IKEV2_EXCH_CREATE_CHILD_SA)
		engine_seed(FZ_REKEYING, false, 3, label, pre, 3, plain, plen);
	else
		engine_seed(FZ_ESTABLISHED, false, 3, label, pre, 3, plain,
			    plen);
}

static bool recorder(struct h_net *n, struct h_pkt *p, void *ctx)
{
	(void)ctx;
	record_v2(n, p);
	return true;
}

/* INIT, AUTH, a child rekey with PFS, DPD, a Delete. */
static void v2_exchange(enum fz_conf c)
{
	struct ike_kernel_event_info ev = { .type = IKE_KEV_SOFT_EXPIRE,
					    .dir = IKEVTI_DIR_OUT,
					    .ifindex = 10 };
	struct fz_net net;
	struct h_net *n;

	cur_conf = c;
	fz_net_new(&net, c, FZ_BEFORE);
	n = net.n;
	n->hook = recorder;
	h_up(n, 0);
	h_run(n, 3000);
	if (h_ready(&n->node[0]) != 1) {
		fprintf(stderr, "gen_corpus: %s did not come up\n",
			fz_conf_names[c]);
		exit(1);
	}
	ev.spi = n->node[0].tx_spi;
	ike_engine_kernel_event(n->node[0].e, &ev, n->now);
	h_run(n, 3000);
	/* DPD: an empty INFORMATIONAL after the idle time */
	h_run(n, 200000);
	ike_engine_clear(n->node[0].e, 0, n->now);
	h_flush(n);
	n->hook = NULL;
	fz_net_free(&net);
}

/* ---- IKEv1: built messages ---- */

static unsigned int n_v1;

/* The ikev1_msg target reads datagrams framed by a 2-byte length. */
static void v1_put(const char *label, const uint8_t *msg, size_t len)
{
	uint8_t pre[2] = { (uint8_t)(len >> 8), (uint8_t)len };

	put_file("ikev1_msg", label, n_v1++, pre, 2, msg, len);
	cur_conf = FZ_V1_PSK;
	engine_seed(FZ_BEFORE, false, 0, label, NULL, 0, msg, len);
}

static void v1_hdr(struct v1_header *h, uint8_t exch, uint8_t flags,
		   uint32_t msg_id)
{
	memset(h, 0, sizeof(*h));
	memset(h->cky_i, 0x11, 8);
	if (exch != ISAKMP_EXCH_IDPROT || msg_id)
		memset(h->cky_r, 0x22, 8);
	h->version = 0x10;
	h->exchange = exch;
	h->flags = flags;
	h->msg_id = msg_id;
}

static void v1_messages(void)
{
	static uint8_t buf[8192], frags[16384];
	struct v1_transform p1[2] = {
		{ .encr = IKEV2_ENCR_AES_CBC, .key_bits = 256,
		  .hash = IKEV2_PRF_HMAC_SHA2_256, .group = 14,
		  .auth = IKEV1_AUTH_PSK, .life_s = 86400 },
		{ .encr = IKEV2_ENCR_3DES, .key_bits = 192,
		  .hash = IKEV2_PRF_HMAC_SHA1, .group = 2,
		  .auth = IKEV1_AUTH_RSA_SIG, .life_s = 3600 },
	};
	struct v1_transform p2 = {
		.encr = IKEV2_ENCR_AES_CBC, .key_bits = 256,
		.integ = IKEV2_INTEG_HMAC_SHA2_256_128, .group = 14,
		.life_s = 3600, .life_kb = 4608000, .encap = 1,
	};
	uint8_t data[256], ipv4[4] = { 192, 0, 2, 1 };
	uint32_t spi = 0x12345678;
	struct v1_builder b;
	struct v1_header h;
	size_t vlen, lens[V1_FRAG_MAX];
	const uint8_t *vid;
	int nf;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	/* Main Mode 1: SA and vendor IDs */
	v1_hdr(&h, ISAKMP_EXCH_IDPROT, 0, 0);
	v1_build_begin(&b, buf, sizeof(buf), &h);
	v1_add_sa_phase1(&b, p1, 2);
	for (int v = V1_VID_NATT_RFC3947; v <= V1_VID_IKEVTI; v++) {
		vid = v1_vendor_id((enum v1_vendor)v, &vlen);
		if (vid)
			v1_add_raw(&b, ISAKMP_PL_VID, vid, vlen);
	}
	if (!v1_build_end(&b))
		v1_put("main1-sa-vid", buf, b.len);
	/* Main Mode 3: KE, nonce, NAT-D x2 */
	v1_hdr(&h, ISAKMP_EXCH_IDPROT, 0, 0);
	memset(h.cky_r, 0x22, 8);
	v1_build_begin(&b, buf, sizeof(buf), &h);
	v1_add_raw(&b, ISAKMP_PL_KE, data, 256);
	v1_add_raw(&b, ISAKMP_PL_NONCE, data, 32);
	v1_add_raw(&b, ISAKMP_PL_NATD, data, 32);
	v1_add_raw(&b, ISAKMP_PL_NATD, data + 32, 32);
	if (!v1_build_end(&b))
		v1_put("main3-ke-nonce-natd", buf, b.len);
	/* Main Mode 5 as if decrypted, with the Encryption flag: the
	 * target decodes the body as the plaintext chain */
	v1_hdr(&h, ISAKMP_EXCH_IDPROT, ISAKMP_FLAG_ENC, 0);
	v1_build_begin(&b, buf, sizeof(buf), &h);
	v1_add_id(&b, IKEV1_ID_IPV4_ADDR, 17, 500, ipv4, 4);
	v1_add_raw(&b, ISAKMP_PL_HASH, data, 32);
	v1_add_notify(&b, ISAKMP_PROTO_ISAKMP, h.cky_i, 16,
		      IKEV1_N_INITIAL_CONTACT, NULL, 0);
	if (!v1_build_end(&b))
		v1_put("main5-id-hash-enc", buf, b.len);
	/* Quick Mode 1 (plain, for the decoder) */
	v1_hdr(&h, ISAKMP_EXCH_QUICK, 0, 0x01020304);
	v1_build_begin(&b, buf, sizeof(buf), &h);
	v1_add_raw(&b, ISAKMP_PL_HASH, data, 32);
	v1_add_sa_phase2(&b, &spi, &p2, 1);
	v1_add_raw(&b, ISAKMP_PL_NONCE, data, 32);
	v1_add_raw(&b, ISAKMP_PL_KE, data, 256);
	v1_add_id(&b, IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, data, 8);
	v1_add_id(&b, IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, data, 8);
	if (!v1_build_end(&b))
		v1_put("quick1", buf, b.len);
	/* Informational: Delete and DPD Notify */
	v1_hdr(&h, ISAKMP_EXCH_INFO, 0, 0x0a0b0c0d);
	v1_build_begin(&b, buf, sizeof(buf), &h);
	v1_add_raw(&b, ISAKMP_PL_HASH, data, 32);
	v1_add_delete(&b, ISAKMP_PROTO_ESP, 4, (uint8_t *)&spi, 1);
	v1_add_notify(&b, ISAKMP_PROTO_ISAKMP, data, 16,
		      IKEV1_N_R_U_THERE, data, 4);
	if (!v1_build_end(&b))
		v1_put("info-delete-dpd", buf, b.len);
	/* Main Mode 5 with a big certificate, in fragments */
	v1_hdr(&h, ISAKMP_EXCH_IDPROT, 0, 0);
	v1_build_begin(&b, buf, sizeof(buf), &h);
	v1_add_id(&b, IKEV1_ID_IPV4_ADDR, 17, 500, ipv4, 4);
	v1_add_cert(&b, 4, data, sizeof(data));
	v1_add_cert(&b, 4, data, sizeof(data));
	v1_add_raw(&b, ISAKMP_PL_SIG, data, 256);
	if (v1_build_end(&b))
		return;
	nf = v1_frag_split(buf, b.len, 1, 300, frags, sizeof(frags), lens);
	if (nf > 0) {
		uint8_t seq[20000];
		size_t o = 0, at = 0;

		for (int i = 0; i < nf; i++) {
			seq[o++] = (uint8_t)(lens[i] >> 8);
			seq[o++] = (uint8_t)lens[i];
			memcpy(seq + o, frags + at, lens[i]);
			o += lens[i];
			at += lens[i];
		}
		put_file("ikev1_msg", "main5-cert-fragments", n_v1++, seq, o,
			 NULL, 0);
	}
}

/* ---- control requests and kernel events ---- */

static void control_requests(void)
{
	static const char *const req[] = {
		"show crypto ikev2 sa", "show crypto ikev2 sa detailed json",
		"show crypto ipsec sa interface Tunnel1",
		"show crypto session interface ikevti1 json",
		"reload", "status", "status json",
		"clear crypto session", "clear crypto session interface ikevti7",
		"debug crypto ikev2", "undebug all", "no debug all",
	};

	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		put_file("control", "request", (unsigned int)i,
			 (const uint8_t *)req[i], strlen(req[i]),
			 (const uint8_t *)"\n", 1);
}

struct nlbuf {
	uint8_t b[512];
	size_t len;
};

static size_t nl_attr(struct nlbuf *m, uint16_t type, const void *v,
		      size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len),
			    .nla_type = type };
	size_t at = m->len;

	memcpy(m->b + m->len, &a, sizeof(a));
	if (len)
		memcpy(m->b + m->len + NLA_HDRLEN, v, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
	return at;
}

static void nl_end_nest(struct nlbuf *m, size_t at)
{
	uint16_t len = (uint16_t)(m->len - at);

	memcpy(m->b + at, &len, 2);
}

#define FAMILY 0x2b

static void event(uint8_t cmd, unsigned int i, const char *label)
{
	struct nlbuf m = { .len = NLMSG_HDRLEN + GENL_HDRLEN };
	struct nlmsghdr h = { .nlmsg_type = FAMILY };
	struct genlmsghdr g = { .cmd = cmd, .version = IKEVTI_GENL_VERSION };
	uint32_t ifindex = 5, spi = 0xc0ffee;
	uint8_t dir = IKEVTI_DIR_OUT, one = 1, addr[4] = { 203, 0, 113, 5 };
	uint8_t family[2] = { FAMILY, 0 };	/* little-endian */
	uint16_t port = 4500, nport = 40500;
	uint64_t packets = 1000, bytes = 1000000;
	size_t sa, st;

	memset(m.b, 0, sizeof(m.b));
	nl_attr(&m, IKEVTI_A_IFINDEX, &ifindex, 4);
	nl_attr(&m, IKEVTI_A_IFNAME, "ikevti1", 8);
	if (cmd != IKEVTI_CMD_ACQUIRE) {
		sa = nl_attr(&m, IKEVTI_A_SA | NLA_F_NESTED, NULL, 0);
		nl_attr(&m, IKEVTI_SA_A_DIR, &dir, 1);
		nl_attr(&m, IKEVTI_SA_A_SPI, &spi, 4);
		if (cmd == IKEVTI_CMD_SA_EXPIRE) {
			nl_attr(&m, IKEVTI_SA_A_EXPIRE_HARD, &one, 1);
			st = nl_attr(&m, IKEVTI_SA_A_STATS | NLA_F_NESTED,
				     NULL, 0);
			nl_attr(&m, IKEVTI_STATS_A_PACKETS, &packets, 8);
			nl_attr(&m, IKEVTI_STATS_A_BYTES, &bytes, 8);
			nl_end_nest(&m, st);
		} else {
			nl_attr(&m, IKEVTI_SA_A_REMOTE, addr, 4);
			nl_attr(&m, IKEVTI_SA_A_ENCAP_SPORT, &port, 2);
			nl_attr(&m, IKEVTI_SA_A_ENCAP_DPORT, &nport, 2);
		}
		nl_end_nest(&m, sa);
	}
	h.nlmsg_len = (uint32_t)m.len;
	memcpy(m.b, &h, sizeof(h));
	memcpy(m.b + NLMSG_HDRLEN, &g, sizeof(g));
	put_file("events", label, i, family, 2, m.b, m.len);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	out_dir = argv[1];
	v2_exchange(FZ_V2_PSK);
	v2_exchange(FZ_V2_RSA);
	v1_messages();
	control_requests();
	event(IKEVTI_CMD_SA_EXPIRE, 0, "expire");
	event(IKEVTI_CMD_ACQUIRE, 1, "acquire");
	event(IKEVTI_CMD_NEW_MAPPING, 2, "new-mapping");
	fz_cleanup();
	printf("gen_corpus: %u IKEv2, %u IKEv1, %u engine seeds\n", n_v2,
	       n_v1, n_engine);
	return 0;
}
