// SPDX-License-Identifier: GPL-2.0
/*
 * engine_setup.h: the configurations and the ways into each state. Every
 * state is reached through the engine's public entry points only (the
 * harness's clock, packet queue and "dead" links); the checks that a
 * state still holds look at the core's IKE SA objects, which both IKE
 * versions share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certgen.h"
#include "core/core.h"
#include "engine_setup.h"

const char *const fz_state_names[FZ_N_STATES] = {
	"before", "init-sent", "half-open", "established", "rekeying",
};
const char *const fz_conf_names[FZ_N_CONFS] = {
	"v2-psk", "v2-rsa", "v1-psk",
};

static char cert_dir[64];

/* Root CA, A and B certificates (RSA 2048), made once per process. */
static void make_certs(void)
{
	EVP_PKEY *cak, *ak, *bk;
	X509 *ca, *ac, *bc;
	char p[128];

	if (cert_dir[0])
		return;
	snprintf(cert_dir, sizeof(cert_dir), "/tmp/ikevti-fuzz-XXXXXX");
	if (!mkdtemp(cert_dir))
		abort();
	cak = tg_rsa();
	ak = tg_rsa();
	bk = tg_rsa();
	ca = tg_cert("Root", "Example", cak, NULL, NULL, 0, 365 * TG_DAY,
		     true, NULL);
	ac = tg_cert("gw-a", "Example", ak, ca, cak, 0, 365 * TG_DAY, false,
		     "IP:" FZ_A_IP);
	bc = tg_cert("gw-b", "Example", bk, ca, cak, 0, 365 * TG_DAY, false,
		     "IP:" FZ_B_IP);
	snprintf(p, sizeof(p), "%s/ca.pem", cert_dir);
	tg_write_cert(p, ca);
	snprintf(p, sizeof(p), "%s/a.pem", cert_dir);
	tg_write_cert(p, ac);
	snprintf(p, sizeof(p), "%s/a.key", cert_dir);
	tg_write_key(p, ak);
	snprintf(p, sizeof(p), "%s/b.pem", cert_dir);
	tg_write_cert(p, bc);
	snprintf(p, sizeof(p), "%s/b.key", cert_dir);
	tg_write_key(p, bk);
	X509_free(ca);
	X509_free(ac);
	X509_free(bc);
	EVP_PKEY_free(cak);
	EVP_PKEY_free(ak);
	EVP_PKEY_free(bk);
}

void fz_cleanup(void)
{
	static const char *f[] = { "ca.pem", "a.pem", "a.key", "b.pem",
				   "b.key" };
	char p[128];

	if (!cert_dir[0])
		return;
	for (size_t i = 0; i < 5; i++) {
		snprintf(p, sizeof(p), "%s/%s", cert_dir, f[i]);
		unlink(p);
	}
	rmdir(cert_dir);
	cert_dir[0] = '\0';
}

/* The IOS IKEv1 example of Documentation/configuration.rst, with the
 * harness's interface: no IKE profile, so the tunnel runs IKEv1. */
static void v1_conf(const char *local, const char *remote, char *out,
		    size_t size)
{
	snprintf(out, size,
		 "crypto isakmp policy 10\n encryption aes 256\n"
		 " hash sha256\n authentication pre-share\n group 14\n"
		 "crypto isakmp key fuzz-secret address %s\n"
		 "crypto isakmp keepalive 10 3\n"
		 "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
		 " mode tunnel\n"
		 "crypto ipsec profile VTI1\n set transform-set TS\n"
		 "interface ikevti1\n tunnel source %s\n"
		 " tunnel destination %s\n"
		 " tunnel protection ipsec profile VTI1\n",
		 remote, local, remote);
}

static void confs(enum fz_conf c, char *ca, char *cb, size_t size)
{
	struct h_conf a = { .local = FZ_A_IP, .remote = FZ_B_IP };
	struct h_conf b = { .local = FZ_B_IP, .remote = FZ_A_IP };

	switch (c) {
	case FZ_V2_PSK:
		break;
	case FZ_V2_RSA:
		make_certs();
		a.auth_local = a.auth_remote = "rsa-sig";
		b.auth_local = b.auth_remote = "rsa-sig";
		a.tp_dir = b.tp_dir = cert_dir;
		a.tp_me = "a";
		b.tp_me = "b";
		break;
	default:
		v1_conf(FZ_A_IP, FZ_B_IP, ca, size);
		v1_conf(FZ_B_IP, FZ_A_IP, cb, size);
		return;
	}
	h_conf_build(&a, ca, size);
	h_conf_build(&b, cb, size);
}

void fz_drain(struct h_net *n)
{
	while (n->nq)
		free(n->q[--n->nq].buf);
}

static struct ike_sa *sa_in(const struct h_node *x, enum ike_sa_state st)
{
	for (struct ike_sa *sa = x->e->sas; sa; sa = sa->next)
		if (!sa->dead && sa->state == st)
			return sa;
	return NULL;
}

static size_t n_sas(const struct h_node *x)
{
	size_t k = 0;

	for (struct ike_sa *sa = x->e->sas; sa; sa = sa->next)
		k += !sa->dead;
	return k;
}

struct ike_sa *fz_sa(const struct fz_net *net, int i)
{
	const struct h_node *x = &net->n->node[i];

	switch (net->state) {
	case FZ_INIT_SENT:
		return sa_in(x, IKE_ST_INIT_SENT);
	case FZ_HALF_OPEN:
		return i ? sa_in(x, IKE_ST_INIT_DONE) :
			   sa_in(x, IKE_ST_INIT_SENT);
	case FZ_ESTABLISHED:
	case FZ_REKEYING:
		return sa_in(x, IKE_ST_ESTABLISHED);
	default:
		return NULL;
	}
}

/* IKEv2 only: A's SA waits for the answer to a child rekey. */
static bool rekey_pending(const struct ike_sa *sa)
{
	return sa->v != &ikev2_version || sa->v2.req == REQ_CHILD_REKEY;
}

bool fz_net_intact(const struct fz_net *net)
{
	struct h_node *a = &net->n->node[0], *b = &net->n->node[1];
	struct ike_sa *sa;

	switch (net->state) {
	case FZ_BEFORE:
		/* a few half-open SAs made by the input may stay */
		return n_sas(b) <= 4;
	case FZ_INIT_SENT:
		return sa_in(a, IKE_ST_INIT_SENT) && n_sas(a) <= 4;
	case FZ_HALF_OPEN:
		return sa_in(b, IKE_ST_INIT_DONE) && n_sas(b) <= 4;
	case FZ_ESTABLISHED:
		return h_ready(a) == 1 && h_ready(b) == 1;
	default:
		sa = sa_in(a, IKE_ST_ESTABLISHED);
		return h_ready(b) == 1 && sa && rekey_pending(sa);
	}
}

/* Run until node i has an IKE SA in state st, or ms passed. */
static void run_until(struct h_net *n, int i, enum ike_sa_state st,
		      uint64_t ms)
{
	for (uint64_t t = 0; t < ms && !sa_in(&n->node[i], st); t += 50)
		h_run(n, 50);
}

/* Packets of B are lost, those of A arrive ("dead" loses both ways). */
static bool lost_from_b(struct h_net *n, struct h_pkt *p, void *ctx)
{
	(void)n;
	(void)ctx;
	return p->from == 0;
}

static enum fz_state reach(struct fz_net *net, enum fz_state s)
{
	struct h_net *n = net->n;
	struct ike_kernel_event_info ev = { .type = IKE_KEV_SOFT_EXPIRE,
					    .dir = IKEVTI_DIR_OUT,
					    .ifindex = 10 };

	h_up(n, 1);
	if (s == FZ_BEFORE)
		return FZ_BEFORE;
	if (s == FZ_INIT_SENT) {
		n->dead[0] = true;	/* A's first message is lost */
		h_up(n, 0);
		run_until(n, 0, IKE_ST_INIT_SENT, 3000);
		n->dead[0] = false;
		return s;
	}
	if (s == FZ_HALF_OPEN) {
		/* B's answer is lost (and its own first message, when it
		 * starts too: both ends of a tunnel initiate) */
		n->hook = lost_from_b;
		h_up(n, 0);
		run_until(n, 1, IKE_ST_INIT_DONE, 3000);
		n->hook = NULL;
		fz_drain(n);
		return s;
	}
	h_up(n, 0);
	h_run(n, 3000);
	if (s == FZ_ESTABLISHED || h_ready(&n->node[0]) != 1)
		return FZ_ESTABLISHED;
	/* A's child SA reaches its soft lifetime; the request is lost */
	ev.spi = n->node[0].tx_spi;
	n->dead[0] = true;
	ike_engine_kernel_event(n->node[0].e, &ev, n->now);
	fz_drain(n);
	n->dead[0] = false;
	return FZ_REKEYING;
}

void fz_net_new(struct fz_net *net, enum fz_conf c, enum fz_state s)
{
	static char ca[8192], cb[8192];

	confs(c, ca, cb, sizeof(ca));
	net->n = calloc(1, sizeof(*net->n));
	if (!net->n)
		abort();
	net->conf = c;
	h_init(net->n, ca, cb);
	if (c == FZ_V2_RSA) {
		/* IKE_AUTH with certificates travels in RFC 7383 fragments */
		ike_engine_set_frag_max(net->n->node[0].e, 500, 500);
		ike_engine_set_frag_max(net->n->node[1].e, 500, 500);
	}
	net->state = reach(net, s);
	fz_drain(net->n);
	if (!fz_net_intact(net)) {
		/* not reachable with this configuration (yet): start over
		 * in the state every configuration has */
		static bool told[FZ_N_CONFS][FZ_N_STATES];

		if (!told[c][s])
			fprintf(stderr, "engine_setup: %s cannot reach state "
				"%s, using %s\n", fz_conf_names[c],
				fz_state_names[s], fz_state_names[FZ_BEFORE]);
		told[c][s] = true;
		h_free(net->n);
		h_init(net->n, ca, cb);
		net->state = reach(net, FZ_BEFORE);
	}
	h_log_clear(&net->n->node[0]);
	h_log_clear(&net->n->node[1]);
}

void fz_net_free(struct fz_net *net)
{
	if (!net->n)
		return;
	fz_drain(net->n);
	h_free(net->n);
	free(net->n);
	net->n = NULL;
}
