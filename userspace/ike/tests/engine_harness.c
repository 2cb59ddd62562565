// SPDX-License-Identifier: GPL-2.0
/*
 * The in-memory harness of engine_harness.h: fake kernel (SA table,
 * SPI allocator, install-order checks, ikevti_sa_cfg_check on every SA),
 * a packet queue between the two engines, a NAT in front of node 0, and
 * a fake clock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certgen.h"
#include "engine_harness.h"

#define NAT_PUBLIC "203.0.113.5"

static struct h_net *net_of(struct h_node *x)
{
	/* node[0] or node[1] of the struct h_net that holds it */
	if (!strcmp(x->name, "A"))
		return (struct h_net *)(void *)x;
	return (struct h_net *)(void *)(x - 1);
}

static int op_send(void *ctx, const struct ike_path *path, const uint8_t *msg,
		   size_t len)
{
	struct h_node *x = ctx;
	struct h_net *n = net_of(x);
	int from = x == &n->node[0] ? 0 : 1;
	struct h_pkt *p;

	x->sent++;
	if (n->nq == H_MAX_PKT)
		return -ENOBUFS;
	p = &n->q[n->nq++];
	p->from = from;
	p->path = *path;
	p->buf = malloc(len);
	memcpy(p->buf, msg, len);
	p->len = len;
	return 0;
}

static void add_op(struct h_node *x, enum h_op_kind k, uint8_t dir,
		   uint32_t spi)
{
	if (x->n_ops < H_MAX_OPS)
		x->ops[x->n_ops++] = (struct h_op){ k, dir, spi };
}

static int op_spi_alloc(void *ctx, uint32_t ifindex, uint32_t *spi)
{
	struct h_node *x = ctx;

	(void)ifindex;
	*spi = ++x->next_spi;
	add_op(x, H_OP_ALLOC, IKEVTI_DIR_IN, *spi);
	return 0;
}

struct h_sa *h_find_sa(struct h_node *x, uint8_t dir, uint32_t spi)
{
	for (size_t i = 0; i < H_MAX_SA; i++)
		if (x->sas[i].used && x->sas[i].cfg.dir == dir &&
		    x->sas[i].cfg.spi == spi)
			return &x->sas[i];
	return NULL;
}

static int op_sa_add(void *ctx, uint32_t ifindex, const struct ikevti_sa_cfg *c,
		     char *err, size_t errlen)
{
	struct h_node *x = ctx;

	(void)ifindex;
	if (ikevti_sa_cfg_check(c, err, errlen) < 0)
		return -EINVAL;
	if (h_find_sa(x, c->dir, c->spi)) {
		snprintf(err, errlen, "SA exists");
		return -EEXIST;
	}
	if (c->dir == IKEVTI_DIR_OUT && h_sa_count(x, IKEVTI_DIR_IN) == 0)
		x->bad_order++;
	for (size_t i = 0; i < H_MAX_SA; i++)
		if (!x->sas[i].used) {
			x->sas[i].used = true;
			x->sas[i].cfg = *c;
			x->sas[i].packets = 0;
			add_op(x, H_OP_ADD, c->dir, c->spi);
			return 0;
		}
	snprintf(err, errlen, "table full");
	return -ENOSPC;
}

static int op_sa_del(void *ctx, uint32_t ifindex, uint8_t dir, uint32_t spi)
{
	struct h_node *x = ctx;
	struct h_sa *s = h_find_sa(x, dir, spi);

	(void)ifindex;
	add_op(x, H_OP_DEL, dir, spi);
	if (!s)
		return -ENOENT;
	if (dir == IKEVTI_DIR_OUT && x->tx_spi == spi)
		x->tx_spi = 0;
	memset(s, 0, sizeof(*s));
	return 0;
}

static int op_sa_set_tx(void *ctx, uint32_t ifindex, uint32_t spi)
{
	struct h_node *x = ctx;
	struct h_net *n = net_of(x);
	struct h_node *peer = x == &n->node[0] ? &n->node[1] : &n->node[0];

	(void)ifindex;
	if (!h_find_sa(x, IKEVTI_DIR_OUT, spi))
		return -ENOENT;
	/* Moving away from a working SA to one the peer cannot decrypt
	 * yet stops traffic; the very first SA has nothing to stop. */
	if (x->tx_spi && !h_find_sa(peer, IKEVTI_DIR_IN, spi))
		x->tx_gaps++;
	x->tx_spi = spi;
	add_op(x, H_OP_TX, IKEVTI_DIR_OUT, spi);
	return 0;
}

static int op_sa_stats(void *ctx, uint32_t ifindex, uint8_t dir, uint32_t spi,
		       struct ikevti_stats *st)
{
	struct h_sa *s = h_find_sa(ctx, dir, spi);

	(void)ifindex;
	if (!s)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->packets = s->packets;
	return 0;
}

static void op_log(void *ctx, enum ike_log_level lvl, const char *msg)
{
	struct h_node *x = ctx;

	if (getenv("H_VERBOSE"))
		fprintf(stderr, "[%s <%d>] %s\n", x->name, lvl, msg);
	if (x->n_log < H_MAX_LOG)
		snprintf(x->log[x->n_log++], sizeof(x->log[0]), "%s", msg);
}

static time_t fixed_time(void *ctx)
{
	(void)ctx;
	return TG_T0 + 10 * TG_DAY;
}

static void set_addr(struct ikevti_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a->v6) == 1)
		a->family = AF_INET6;
}

static void node_init(struct h_net *n, int i, const char *conf)
{
	struct h_node *x = &n->node[i];
	struct ike_engine_ops ops = {
		.ctx = x, .send = op_send, .spi_alloc = op_spi_alloc,
		.sa_add = op_sa_add, .sa_del = op_sa_del,
		.sa_set_tx = op_sa_set_tx, .sa_stats = op_sa_stats,
		.log = op_log,
	};
	const struct cfg_interface *ifc;
	char err[256];
	char a[64];

	x->name = i ? "B" : "A";
	x->next_spi = i ? 0xb0000000 : 0xa0000000;
	x->log = calloc(H_MAX_LOG, sizeof(*x->log));
	if (cfg_parse_buffer(x->name, conf, strlen(conf), &x->cfg) < 0) {
		for (size_t k = 0; k < x->cfg.n_diags; k++) {
			cfg_format_diag(&x->cfg, k, err, sizeof(err));
			fprintf(stderr, "%s\n", err);
		}
		abort();
	}
	if (pki_store_load(x->cfg.model, &x->pki, err, sizeof(err)) < 0) {
		fprintf(stderr, "pki: %s\n", err);
		abort();
	}
	x->e = ike_engine_new(&ops, x->cfg.model, x->pki);
	ike_engine_set_log_level(x->e, IKE_LOG_DEBUG);
	ike_engine_set_wall_clock(x->e, fixed_time, NULL);
	ifc = cfg_find_interface(x->cfg.model, "ikevti1");
	x->tinfo.ifindex = i ? 20 : 10;
	snprintf(x->tinfo.ifname, sizeof(x->tinfo.ifname), "ikevti1");
	inet_ntop(ifc->source.family, ifc->source.bytes, a, sizeof(a));
	set_addr(&x->tinfo.local, a);
	inet_ntop(ifc->destination.family, ifc->destination.bytes, a,
		  sizeof(a));
	set_addr(&x->tinfo.remote, a);
	x->tinfo.up = true;
}

void h_init(struct h_net *n, const char *conf_a, const char *conf_b)
{
	memset(n, 0, sizeof(*n));
	n->q = calloc(H_MAX_PKT, sizeof(*n->q));
	n->now = 1000000;
	n->nat_base = 40500;
	node_init(n, 0, conf_a);
	node_init(n, 1, conf_b);
}

void h_free(struct h_net *n)
{
	for (int i = 0; i < 2; i++) {
		struct h_node *x = &n->node[i];

		ike_engine_free(x->e);
		pki_store_free(x->pki);
		cfg_result_free(&x->cfg);
		free(x->log);
	}
	for (size_t i = 0; i < n->nq; i++)
		free(n->q[i].buf);
	free(n->q);
}

void h_up(struct h_net *n, int i)
{
	ike_engine_tunnel_update(n->node[i].e, &n->node[i].tinfo, n->now);
}

static void sa_port(struct sockaddr_storage *ss, const char *ip,
		    uint16_t port)
{
	struct sockaddr_in *s = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	s->sin_family = AF_INET;
	inet_pton(AF_INET, ip, &s->sin_addr);
	s->sin_port = htons(port);
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)ss)
			     ->sin6_port);
	return ntohs(((const struct sockaddr_in *)(const void *)ss)->sin_port);
}

/* The path as the receiver sees it. */
static void receiver_path(struct h_net *n, const struct h_pkt *p,
			  struct ike_path *r)
{
	char a[64];

	r->local = p->path.remote;
	r->remote = p->path.local;
	if (!n->nat)
		return;
	if (p->from == 0) {
		/* A's source is rewritten to the NAT's public address. */
		uint16_t sp = port_of(&p->path.local);

		sa_port(&r->remote, NAT_PUBLIC,
			sp == 500 ? n->nat_base : n->nat_base + 4000);
	} else {
		uint16_t dp = port_of(&p->path.remote);

		inet_ntop(AF_INET, &n->node[0].tinfo.local.v4, a, sizeof(a));
		sa_port(&r->local, a, dp == n->nat_base ? 500 : 4500);
	}
}

static bool deliverable(struct h_net *n, const struct h_pkt *p)
{
	uint16_t dp;

	if (!n->nat || p->from == 0)
		return true;
	/* The NAT only knows the mappings it made. */
	dp = port_of(&p->path.remote);
	return dp == n->nat_base || dp == n->nat_base + 4000;
}

static void deliver_one(struct h_net *n)
{
	struct h_pkt p = n->q[0];
	struct ike_path r;
	int to = !p.from;

	memmove(n->q, n->q + 1, --n->nq * sizeof(*n->q));
	if (n->drop[p.from]) {
		n->drop[p.from]--;
		goto out;
	}
	if (n->dead[p.from] || n->dead[to] || !deliverable(n, &p))
		goto out;
	if (n->hook && !n->hook(n, &p, n->hook_ctx))
		goto out;
	receiver_path(n, &p, &r);
	n->delivered++;
	ike_engine_input(n->node[to].e, &r, p.buf, p.len, n->now);
out:
	free(p.buf);
}

void h_flush(struct h_net *n)
{
	unsigned int guard = 0;

	while (n->nq && ++guard < 100000)
		deliver_one(n);
}

void h_run(struct h_net *n, uint64_t ms)
{
	uint64_t end = n->now + ms;
	unsigned int guard = 0;

	while (++guard < 1000000) {
		uint64_t ta, tb, t;

		if (n->nq) {
			deliver_one(n);
			continue;
		}
		ta = ike_engine_next_timer(n->node[0].e);
		tb = ike_engine_next_timer(n->node[1].e);
		t = ta < tb ? ta : tb;
		if (t > end)
			break;
		if (t > n->now)
			n->now = t;
		ike_engine_run_timers(n->node[0].e, n->now);
		ike_engine_run_timers(n->node[1].e, n->now);
	}
	if (guard >= 1000000) {
		fprintf(stderr, "h_run: no progress\n");
		abort();
	}
	n->now = end;
}

size_t h_ready(struct h_node *x)
{
	struct ike_sa_status st[8];
	size_t n = ike_engine_ike_sas(x->e, st, 8), r = 0;

	for (size_t i = 0; i < n && i < 8; i++)
		r += !strcmp(st[i].state, "READY");
	return r;
}

size_t h_sa_count(struct h_node *x, uint8_t dir)
{
	size_t n = 0;

	for (size_t i = 0; i < H_MAX_SA; i++)
		n += x->sas[i].used && x->sas[i].cfg.dir == dir;
	return n;
}

static bool same_keys(const struct ikevti_sa_cfg *a,
		      const struct ikevti_sa_cfg *b)
{
	return a->enc == b->enc && a->integ == b->integ &&
	       a->enc_key_len == b->enc_key_len &&
	       !memcmp(a->enc_key, b->enc_key, a->enc_key_len) &&
	       a->salt_len == b->salt_len &&
	       !memcmp(a->salt, b->salt, a->salt_len) &&
	       a->auth_key_len == b->auth_key_len &&
	       !memcmp(a->auth_key, b->auth_key, a->auth_key_len);
}

bool h_crosswise(struct h_net *n)
{
	for (int i = 0; i < 2; i++) {
		struct h_node *x = &n->node[i], *y = &n->node[!i];

		if (!x->tx_spi || !h_find_sa(x, IKEVTI_DIR_OUT, x->tx_spi))
			return false;
		for (size_t k = 0; k < H_MAX_SA; k++) {
			struct h_sa *s = &x->sas[k], *t;

			if (!s->used || s->cfg.dir != IKEVTI_DIR_OUT)
				continue;
			t = h_find_sa(y, IKEVTI_DIR_IN, s->cfg.spi);
			if (!t || !same_keys(&s->cfg, &t->cfg))
				return false;
		}
	}
	return true;
}

bool h_log_has(struct h_node *x, const char *needle)
{
	for (size_t i = 0; i < x->n_log; i++)
		if (strstr(x->log[i], needle))
			return true;
	return false;
}

void h_log_clear(struct h_node *x)
{
	x->n_log = 0;
}

void h_dump_log(struct h_node *x)
{
	for (size_t i = 0; i < x->n_log; i++)
		fprintf(stderr, "[%s] %s\n", x->name, x->log[i]);
}

static size_t put(char *out, size_t size, size_t o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t put(char *out, size_t size, size_t o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o >= size)
		return o;
	va_start(ap, fmt);
	n = vsnprintf(out + o, size - o, fmt, ap);
	va_end(ap);
	return o + (n > 0 ? (size_t)n : 0);
}

static bool uses_certs(const struct h_conf *c)
{
	return c->tp_dir && c->tp_me;
}

void h_conf_build(const struct h_conf *c, char *out, size_t size)
{
	size_t o = 0;

	if (uses_certs(c))
		o = put(out, size, o, "crypto pki trustpoint TP\n"
			" ca-certificate-file %s/ca.pem\n"
			" certificate-file %s/%s.pem\n"
			" private-key-file %s/%s.key\n", c->tp_dir, c->tp_dir,
			c->tp_me, c->tp_dir, c->tp_me);
	if (c->ike_proposal)
		o = put(out, size, o, "crypto ikev2 proposal P\n%s\n"
			"crypto ikev2 policy POL\n proposal P\n",
			c->ike_proposal);
	o = put(out, size, o, "crypto ikev2 keyring KR\n peer p\n"
		"  address %s\n  pre-shared-key local %s\n"
		"  pre-shared-key remote %s\n", c->remote,
		c->psk_local ? c->psk_local : "secret",
		c->psk_remote ? c->psk_remote : "secret");
	o = put(out, size, o, "crypto ikev2 profile PROF\n%s\n"
		" authentication local %s\n authentication remote %s\n"
		" keyring local KR\n",
		c->match_remote ? c->match_remote :
		" match identity remote address 0.0.0.0\n"
		" match identity remote address ::/0",
		c->auth_local ? c->auth_local : "pre-share",
		c->auth_remote ? c->auth_remote : "pre-share");
	if (uses_certs(c))
		o = put(out, size, o, " pki trustpoint TP\n");
	if (c->ike_lifetime)
		o = put(out, size, o, " lifetime %u\n", c->ike_lifetime);
	if (c->dpd)
		o = put(out, size, o, " dpd %s\n", c->dpd);
	if (c->extra_profile)
		o = put(out, size, o, "%s\n", c->extra_profile);
	o = put(out, size, o, "crypto ipsec transform-set TS %s\n",
		c->transform ? c->transform : "esp-gcm 256");
	o = put(out, size, o, "crypto ipsec profile IPP\n"
		" set transform-set TS\n set ikev2-profile PROF\n");
	if (c->pfs)
		o = put(out, size, o, " set pfs %s\n", c->pfs);
	if (c->child_lifetime)
		o = put(out, size, o, " set security-association lifetime "
			"seconds %u\n", c->child_lifetime);
	if (c->child_kb)
		o = put(out, size, o, " set security-association lifetime "
			"kilobytes %s\n", c->child_kb);
	o = put(out, size, o, "interface ikevti1\n tunnel source %s\n"
		" tunnel destination %s\n"
		" tunnel protection ipsec profile IPP\n", c->local, c->remote);
	(void)o;
}
