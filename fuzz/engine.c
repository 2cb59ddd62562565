// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the engine (engine.h) fed one datagram in one of the
 * states of engine_setup.h, with one of its configurations (IKEv2 PSK,
 * IKEv2 RSA certificates with fragmentation, IKEv1 PSK).
 *
 * Input: a 2-byte prefix, then the body.
 *   byte 0: bits 0-2 state (modulo FZ_N_STATES), bit 3 the other node
 *           (the state's own target is B for "before" and "half-open",
 *           A for "init-sent" and "rekeying", B when established),
 *           bits 4-5 configuration (modulo FZ_N_CONFS), bits 6-7 mode:
 *           0 the body is the datagram as it is, 1 its SPIs are
 *           overwritten with those of the state's IKE SA, 2 its message
 *           ID too (the next one the receiver expects, or for a response
 *           the one of its outstanding request), 3 sealed: see below.
 *   byte 1: bit 7 the datagram comes to port 4500 (NAT-T), bits 0-6
 *           time to let pass afterwards, in 50 ms steps, with timers
 *           run (retransmissions, DPD, half-open expiry).
 *   sealed (IKEv2, in a state with keys): body byte 0 exchange type,
 *           byte 1 first inner payload type, byte 2 bit 0 a response
 *           (else a request), the rest the inner payload chain; it is
 *           encrypted and authenticated under the real SK keys of the
 *           IKE SA, as the peer would, so it reaches the exchange
 *           handlers (the approach of tests/test_engine_fuzz.c).
 *
 * Building a state costs handshakes, so each (configuration, state) pair
 * is kept between inputs and built again only when an input moved it
 * out of its state (fz_net_intact) or after REBUILD_EVERY inputs: runs
 * are therefore not strictly reproducible input by input, as with any
 * stateful target; a crash reproduces in almost all cases when its input
 * is run alone, because the state is fresh then.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "engine_setup.h"
#include "ikev2/ikev2.h"

#define REBUILD_EVERY 2000
#define HDR_LEN 28

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct fz_net nets[FZ_N_CONFS][FZ_N_STATES];
static unsigned int uses[FZ_N_CONFS][FZ_N_STATES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	atexit(fz_cleanup);
	return 0;
}

static int default_target(enum fz_state s)
{
	return s == FZ_INIT_SENT || s == FZ_REKEYING ? 0 : 1;
}

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	((struct sockaddr_in *)(void *)ss)->sin_port = htons(port);
}

/* B's or A's view of the path when no IKE SA gives one. */
static void default_path(const struct h_net *n, int to, bool natt,
			 struct ike_path *p)
{
	struct sockaddr_in *l = (void *)&p->local, *r = (void *)&p->remote;

	memset(p, 0, sizeof(*p));
	l->sin_family = r->sin_family = AF_INET;
	l->sin_addr = n->node[to].tinfo.local.v4;
	r->sin_addr = n->node[to].tinfo.remote.v4;
	set_port(&p->local, natt ? IKE_NATT_PORT : IKE_PORT);
	set_port(&p->remote, natt ? IKE_NATT_PORT : IKE_PORT);
}

static void patch(uint8_t *buf, size_t len, const struct ike_sa *sa,
		  int mode, bool response)
{
	static const uint8_t zero[8];
	uint32_t id;

	if (!sa || len < HDR_LEN)
		return;
	memcpy(buf, sa->spi_i, 8);
	/* an initiator waiting for its first answer knows no SPI_r yet */
	if (memcmp(sa->spi_r, zero, 8))
		memcpy(buf + 8, sa->spi_r, 8);
	if (mode < 2 || sa->v != &ikev2_version)
		return;
	id = htonl(response ? sa->v2.req_msgid : sa->v2.msgid_in);
	memcpy(buf + 20, &id, 4);
}

/* The body sealed as the peer of sa would send it; 0 when it cannot. */
static size_t seal(const struct ike_sa *sa, const uint8_t *body, size_t len,
		   uint8_t *out, size_t cap)
{
	struct ike_header h;
	struct ike_sk_keys k;
	char why[128];
	size_t out_len = 0;
	bool response;

	if (!sa || sa->v != &ikev2_version || len < 3 ||
	    sa->state == IKE_ST_INIT_SENT)
		return 0;
	response = body[2] & 1;
	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, sa->spi_i, 8);
	memcpy(h.spi_r, sa->spi_r, 8);
	h.exchange = body[0];
	/* the peer's Initiator flag is the opposite of ours */
	h.flags = (sa->initiator ? 0 : IKEV2_FLAG_INITIATOR) |
		  (response ? IKEV2_FLAG_RESPONSE : 0);
	h.msg_id = response ? sa->v2.req_msgid : sa->v2.msgid_in;
	ike_sk_keys_for(sa, !sa->initiator, &k);
	if (ike_sk_seal(&k, &h, body[1], body + 3, len - 3, NULL, out, cap,
			&out_len, why, sizeof(why)) < 0)
		return 0;
	return out_len;
}

static struct fz_net *net_for(enum fz_conf c, enum fz_state s)
{
	struct fz_net *net = &nets[c][s];

	if (net->n && (!fz_net_intact(net) || ++uses[c][s] >= REBUILD_EVERY)) {
		fz_net_free(net);
		uses[c][s] = 0;
	}
	if (!net->n)
		fz_net_new(net, c, s);
	return net;
}

static void feed(struct fz_net *net, int to, bool natt, int mode,
		 const uint8_t *body, size_t len)
{
	static uint8_t sealed[IKE_MAX_MSG_LEN + 1024];
	struct h_net *n = net->n;
	struct ike_sa *sa = fz_sa(net, to);
	struct ike_path p;
	uint8_t *buf;

	if (sa) {
		p = sa->path;
		if (natt) {
			set_port(&p.local, IKE_NATT_PORT);
			set_port(&p.remote, IKE_NATT_PORT);
		}
	} else {
		default_path(n, to, natt, &p);
	}
	if (mode == 3) {
		size_t sl = seal(sa, body, len, sealed, sizeof(sealed));

		if (sl) {
			ike_engine_input(n->node[to].e, &p, sealed, sl, n->now);
			return;
		}
		mode = 2;	/* no keys here: as a datagram */
	}
	/* an exact-size copy, so ASan sees any read past its end */
	buf = malloc(len ? len : 1);
	if (!buf)
		return;
	memcpy(buf, body, len);
	if (mode)
		patch(buf, len, sa, mode, len > 19 && (buf[19] & 0x20));
	ike_engine_input(n->node[to].e, &p, buf, len, n->now);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum fz_state s;
	enum fz_conf c;
	struct fz_net *net;
	struct h_net *n;
	int to, mode;

	if (size < 2)
		return 0;
	s = (enum fz_state)((data[0] & 7) % FZ_N_STATES);
	c = (enum fz_conf)(((data[0] >> 4) & 3) % FZ_N_CONFS);
	mode = data[0] >> 6;
	net = net_for(c, s);
	n = net->n;
	to = default_target(net->state) ^ !!(data[0] & 8);
	feed(net, to, data[1] & 0x80, mode, data + 2, size - 2);
	fz_drain(n);	/* answers are not delivered: the state stays */
	if (data[1] & 0x7f) {
		n->now += (uint64_t)(data[1] & 0x7f) * 50;
		ike_engine_run_timers(n->node[0].e, n->now);
		ike_engine_run_timers(n->node[1].e, n->now);
		fz_drain(n);
	}
	h_log_clear(&n->node[0]);
	h_log_clear(&n->node[1]);
	return 0;
}
