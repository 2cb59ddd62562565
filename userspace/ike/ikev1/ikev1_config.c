// SPDX-License-Identifier: GPL-2.0
/*
 * ikev1_config: the configuration as IKEv1 reads it (ios-isakmp.md).
 * Policies in priority order become our phase-1 transforms; pre-shared
 * keys come from the profile's keyrings or the global "crypto isakmp
 * key" lines, by the peer's address (Main Mode: the ID is still
 * encrypted when the key is needed) or by its host name (Aggressive
 * Mode); our ID is the profile's self-identity or "crypto isakmp
 * identity"; DPD is the profile's keepalive or the global one. And the
 * IKEv1 half of a reload diff.
 */
#include <arpa/inet.h>
#include <string.h>

#include "ikev1/ikev1.h"
#include "pki/pki.h"

static uint16_t auth_of(enum cfg_auth a)
{
	return a == CFG_AUTH_PRE_SHARE ? IKEV1_AUTH_PSK : IKEV1_AUTH_RSA_SIG;
}

static uint32_t lifetime_for(const struct ike_tunnel *t,
			     const struct cfg_isakmp_policy *p)
{
	if (t && t->v1prof && t->v1prof->lifetime_s)
		return t->v1prof->lifetime_s;
	return p->lifetime_s;
}

size_t v1_local_transforms(const struct ike_engine *e,
			   const struct ike_tunnel *t,
			   struct v1_transform *out, size_t max)
{
	size_t n, k = 0;
	const struct cfg_isakmp_policy *p = cfg_isakmp_policies(e->model, &n);

	for (size_t i = 0; i < n && k < max; i++) {
		struct v1_transform *tr = &out[k++];

		memset(tr, 0, sizeof(*tr));
		tr->num = (uint8_t)k;
		tr->wire_id = ISAKMP_TRANS_KEY_IKE;
		tr->encr = p[i].encr.id;
		tr->key_bits = p[i].encr.key_bits;
		tr->hash = p[i].prf;
		tr->group = p[i].group;
		tr->auth = auth_of(p[i].auth);
		tr->life_s = lifetime_for(t, &p[i]);
	}
	return k;
}

const struct cfg_isakmp_policy *v1_policy_of(const struct ike_engine *e,
					     const struct v1_transform *tr)
{
	size_t n;
	const struct cfg_isakmp_policy *p = cfg_isakmp_policies(e->model, &n);

	for (size_t i = 0; i < n; i++)
		if (p[i].encr.id == tr->encr &&
		    (tr->encr == IKEV2_ENCR_3DES ||
		     p[i].encr.key_bits == tr->key_bits) &&
		    p[i].prf == tr->hash && p[i].group == tr->group &&
		    auth_of(p[i].auth) == tr->auth)
			return &p[i];
	return NULL;
}

static void to_cfg_addr(const struct sockaddr_storage *ss,
			struct cfg_addr *a)
{
	struct ikevti_addr x;

	ike_sockaddr_to_addr(ss, &x);
	memset(a, 0, sizeof(*a));
	a->family = x.family;
	memcpy(a->bytes, x.raw, ikevti_addr_len(&x));
	a->prefix = x.family == AF_INET6 ? 128 : 32;
}

/* A keyring with "local-address" serves only negotiations that end on
 * that address; one naming an interface (we cannot resolve names here)
 * is taken as applying, and said so in the configuration warnings. */
static bool keyring_applies(const struct cfg_isakmp_keyring *kr,
			    const struct cfg_addr *local)
{
	const struct cfg_local_address *la = &kr->local_address;

	if (!la->set || la->is_ifname)
		return true;
	return la->addr.family == local->family &&
	       !memcmp(la->addr.bytes, local->bytes,
		       local->family == AF_INET6 ? 16 : 4);
}

static const struct cfg_isakmp_psk *
key_in(const struct cfg_isakmp_psk *keys, size_t n,
       const struct cfg_addr *peer, const char *by_name)
{
	if (by_name) {
		const struct cfg_isakmp_psk *k =
			cfg_isakmp_psk_for_hostname(keys, n, by_name);

		if (k)
			return k;
	}
	return cfg_isakmp_psk_for_addr(keys, n, peer);
}

const char *v1_psk_for(const struct ike_engine *e, const struct ike_tunnel *t,
		       const struct sockaddr_storage *local,
		       const struct sockaddr_storage *remote,
		       const char *by_name)
{
	const struct cfg_isakmp_profile *p = t ? t->v1prof : NULL;
	const struct cfg_isakmp_psk *k = NULL;
	struct cfg_addr la, ra;

	to_cfg_addr(local, &la);
	to_cfg_addr(remote, &ra);
	if (p && p->n_keyring) {
		for (size_t i = 0; i < p->n_keyring && !k; i++) {
			const struct cfg_isakmp_keyring *kr =
				cfg_find_isakmp_keyring(e->model,
							p->keyring[i].name);

			if (kr && keyring_applies(kr, &la))
				k = key_in(kr->keys, kr->n_keys, &ra, by_name);
		}
		return k ? k->key : NULL;
	}
	k = key_in(e->model->isakmp_keys, e->model->n_isakmp_keys, &ra,
		   by_name);
	/* Without a profile, IOS also looks in every keyring that applies. */
	for (size_t i = 0; !k && i < e->model->n_isakmp_keyrings; i++) {
		const struct cfg_isakmp_keyring *kr =
			&e->model->isakmp_keyrings[i];

		if (keyring_applies(kr, &la))
			k = key_in(kr->keys, kr->n_keys, &ra, by_name);
	}
	return k ? k->key : NULL;
}

static long id_body(uint8_t type, const void *data, size_t len, uint8_t *out,
		    size_t cap)
{
	if (len + 4 > cap)
		return -1;
	out[0] = type;
	out[1] = 17;		/* UDP port 500, as IOS and Libreswan send */
	out[2] = 500 >> 8;
	out[3] = 500 & 0xff;
	memcpy(out + 4, data, len);
	return (long)(len + 4);
}

static long address_id(const struct ike_sa *sa, uint8_t *out, size_t cap)
{
	struct ikevti_addr a;

	ike_sockaddr_to_addr(&sa->path.local, &a);
	/* The tunnel's own address, not a NAT-rewritten one. */
	a = sa->t->info.local;
	return id_body(a.family == AF_INET6 ? IKEV1_ID_IPV6_ADDR :
		       IKEV1_ID_IPV4_ADDR, a.raw, ikevti_addr_len(&a), out, cap);
}

static long dn_id(const struct ike_sa *sa, uint8_t *out, size_t cap)
{
	const struct pki_store *s = sa->e->pki;
	unsigned char *der = NULL;
	long n;
	int len;

	if (!s || sa->v1.sign_tp < 0 || !s->tp[sa->v1.sign_tp].cert)
		return address_id(sa, out, cap);
	len = i2d_X509_NAME(X509_get_subject_name(s->tp[sa->v1.sign_tp].cert),
			    &der);
	if (len <= 0)
		return -1;
	n = id_body(IKEV1_ID_DER_ASN1_DN, der, (size_t)len, out, cap);
	OPENSSL_free(der);
	return n;
}

long v1_our_id(const struct ike_sa *sa, uint8_t *out, size_t cap)
{
	const struct cfg_isakmp_profile *p = sa->t->v1prof;
	const struct cfg_model *m = sa->e->model;
	enum cfg_id_type type = m->isakmp.identity;
	const char *text = "";
	char fqdn[CFG_TEXT_MAX];

	if (p && p->self_identity.type != CFG_ID_NONE) {
		type = p->self_identity.type;
		text = p->self_identity.text;
	}
	switch (type) {
	case CFG_ID_FQDN:
		if (!text[0]) {
			if (!cfg_isakmp_fqdn(m, fqdn, sizeof(fqdn)))
				return address_id(sa, out, cap);
			text = fqdn;
		}
		return id_body(IKEV1_ID_FQDN, text, strlen(text), out, cap);
	case CFG_ID_EMAIL:
		return id_body(IKEV1_ID_USER_FQDN, text, strlen(text), out,
			       cap);
	case CFG_ID_DN:
		return dn_id(sa, out, cap);
	default:
		return address_id(sa, out, cap);
	}
}

void v1_keepalive(const struct ike_engine *e, const struct ike_tunnel *t,
		  uint32_t *interval_s, uint32_t *retry_s, bool *periodic)
{
	const struct cfg_isakmp_global *g = &e->model->isakmp;

	*periodic = g->keepalive_periodic;
	if (t && t->v1prof && t->v1prof->keepalive_s) {
		*interval_s = t->v1prof->keepalive_s;
		*retry_s = t->v1prof->keepalive_retry_s ?
			   t->v1prof->keepalive_retry_s : 2;
		return;
	}
	*interval_s = g->keepalive_s;
	*retry_s = g->keepalive_retry_s ? g->keepalive_retry_s : 2;
}

uint32_t v1_sa_lifetime(const struct ike_sa *sa)
{
	return sa->v1.life_s ? sa->v1.life_s : 86400;
}

bool v1_aggressive(const struct ike_tunnel *t)
{
	return t->v1prof && t->v1prof->initiate_aggressive;
}

const struct cfg_ref *v1_trustpoints(const struct ike_tunnel *t, size_t *n)
{
	*n = t->v1prof ? t->v1prof->n_trustpoint : 0;
	return t->v1prof ? t->v1prof->trustpoint : NULL;
}

/* ---- reload ---- */

static void blank_profile(void *p)
{
	struct cfg_isakmp_profile *o = p;

	memset(&o->loc, 0, sizeof(o->loc));
	memset(o->description, 0, sizeof(o->description));
	for (size_t i = 0; i < CFG_LIST_MAX; i++) {
		memset(&o->match[i].loc, 0, sizeof(struct cfg_loc));
		memset(&o->match_certificate[i].loc, 0, sizeof(struct cfg_loc));
		memset(&o->trustpoint[i].loc, 0, sizeof(struct cfg_loc));
		memset(&o->keyring[i].loc, 0, sizeof(struct cfg_loc));
	}
	memset(&o->self_identity.loc, 0, sizeof(struct cfg_loc));
	memset(&o->local_address.loc, 0, sizeof(struct cfg_loc));
}

static void blank_policy(void *p)
{
	memset(&((struct cfg_isakmp_policy *)p)->loc, 0,
	       sizeof(struct cfg_loc));
}

static void blank_psk(void *p)
{
	memset(&((struct cfg_isakmp_psk *)p)->loc, 0, sizeof(struct cfg_loc));
}

static bool same_keys(const struct cfg_isakmp_psk *a, size_t na,
		      const struct cfg_isakmp_psk *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!ike_cfg_same(&a[i], &b[i], sizeof(a[i]), blank_psk))
			return false;
	return true;
}

static bool same_keyrings(const struct cfg_model *a, const struct cfg_model *b)
{
	if (a->n_isakmp_keyrings != b->n_isakmp_keyrings)
		return false;
	for (size_t i = 0; i < a->n_isakmp_keyrings; i++) {
		const struct cfg_isakmp_keyring *x = &a->isakmp_keyrings[i];
		const struct cfg_isakmp_keyring *y = &b->isakmp_keyrings[i];

		if (strcmp(x->name, y->name) ||
		    memcmp(&x->local_address.addr, &y->local_address.addr,
			   sizeof(x->local_address.addr)) ||
		    !same_keys(x->keys, x->n_keys, y->keys, y->n_keys))
			return false;
	}
	return true;
}

static bool same_policies(const struct cfg_model *a, const struct cfg_model *b)
{
	size_t na, nb;
	const struct cfg_isakmp_policy *x = cfg_isakmp_policies(a, &na);
	const struct cfg_isakmp_policy *y = cfg_isakmp_policies(b, &nb);

	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!ike_cfg_same(&x[i], &y[i], sizeof(x[i]), blank_policy))
			return false;
	return true;
}

/* Trustpoints may change under a tunnel that uses certificates: the
 * loaded certificates are compared by the pki store's own order. */
static bool same_pki(const struct pki_store *a, const struct pki_store *b)
{
	if (!a || !b)
		return a == b;
	if (a->n_tp != b->n_tp)
		return false;
	for (size_t i = 0; i < a->n_tp; i++)
		if (strcmp(a->tp[i].name, b->tp[i].name) ||
		    X509_cmp(a->tp[i].ca, b->tp[i].ca) ||
		    (a->tp[i].cert == NULL) != (b->tp[i].cert == NULL) ||
		    (a->tp[i].cert && X509_cmp(a->tp[i].cert, b->tp[i].cert)))
			return false;
	return !memcmp(a->order, b->order, sizeof(a->order));
}

bool v1_config_same(struct ike_engine *e, const struct cfg_model *om,
		    const struct pki_store *op, const struct ike_tunnel *old,
		    const struct ike_tunnel *t)
{
	const struct cfg_model *nm = e->model;

	return ike_cfg_same(old->v1prof, t->v1prof,
			    sizeof(struct cfg_isakmp_profile), blank_profile) &&
	       same_policies(om, nm) &&
	       same_keys(om->isakmp_keys, om->n_isakmp_keys, nm->isakmp_keys,
			 nm->n_isakmp_keys) &&
	       same_keyrings(om, nm) &&
	       !memcmp(&om->isakmp, &nm->isakmp, sizeof(om->isakmp)) &&
	       !strcmp(om->hostname, nm->hostname) &&
	       !strcmp(om->domain_name, nm->domain_name) &&
	       same_pki(op, e->pki);
}
