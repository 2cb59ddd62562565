// SPDX-License-Identifier: GPL-2.0
/*
 * child: child SAs as the kernel sees them. KEYMAT (RFC 7296 2.17) is
 * split into the two struct ikevti_sa_cfg of a pair (IANA numbers map
 * 1:1 onto the module's enums; GCM keys are key | 4-byte salt), with
 * the replay window and byte lifetimes of the ipsec profile (soft at
 * 85..90 % of the hard limit, jittered) and UDP encapsulation when NAT
 * was detected. Install order (engine.h): the inbound SPI was reserved
 * with spi_alloc, then sa_add inbound, sa_add outbound, sa_set_tx, so
 * the peer never receives ESP it cannot decrypt from us and no outbound
 * SA exists without its inbound partner. Time lifetimes run on engine
 * timers: a rekey at 85..90 % of the lifetime, removal at 100 %.
 */
#include <arpa/inet.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/core.h"

void ike_local_esp_proposals(const struct ike_tunnel *t,
			     struct ike_local_proposal *out, size_t *n,
			     bool with_pfs)
{
	const struct cfg_ipsec_profile *ip = t->ipp;

	*n = 0;
	if (!ip)
		return;
	for (size_t i = 0; i < ip->n_transform_set && *n < 6; i++) {
		const struct cfg_transform_set *ts = t->ts[i];

		if (ts)
			ike_local_from_transform_set(ts, with_pfs ?
						     ip->pfs_group : 0, false,
						     &out[(*n)++]);
	}
}

uint32_t ike_spi_alloc(struct ike_sa *sa)
{
	uint32_t spi = 0;
	int rc = sa->e->ops.spi_alloc(sa->e->ops.ctx, sa->t->info.ifindex,
				      &spi);

	if (rc < 0 || !spi) {
		sa_log(sa, IKE_LOG_ERR, "cannot allocate an inbound SPI (%d)",
		       rc);
		return 0;
	}
	return spi;
}

static size_t enc_key_len(const struct ike_selection *sel)
{
	if (sel->encr.id == IKEV2_ENCR_3DES)
		return 24;
	return sel->encr.key_bits / 8;
}

static size_t salt_len(const struct ike_selection *sel)
{
	return sel->encr.id == IKEV2_ENCR_AES_GCM_16 ? 4 : 0;
}

static size_t integ_key_len(const struct ike_selection *sel)
{
	const struct ikevti_integ_alg *a;

	if (!sel->integ)
		return 0;
	a = ikevti_integ_by_id(sel->integ);
	return a ? a->key_len : 0;
}

/* One direction's cfg from its slice of KEYMAT: encr key, then integ. */
static void fill_cfg(struct ike_sa *sa, const struct ike_selection *sel,
		     uint8_t dir, uint32_t spi, const uint8_t *km,
		     struct ikevti_sa_cfg *c)
{
	const struct cfg_ipsec_profile *ip = sa->t->ipp;
	size_t el = enc_key_len(sel), sl = salt_len(sel);
	uint16_t r;

	memset(c, 0, sizeof(*c));
	c->dir = dir;
	c->spi = spi;
	c->enc = sel->encr.id;
	c->integ = sel->integ;
	memcpy(c->enc_key, km, el);
	c->enc_key_len = el;
	memcpy(c->salt, km + el, sl);
	c->salt_len = sl;
	memcpy(c->auth_key, km + el + sl, integ_key_len(sel));
	c->auth_key_len = integ_key_len(sel);
	c->has_replay_window = true;
	c->replay_window = ip ? ip->replay_window : 64;
	if (sel->esn == IKEV2_ESN_YES)
		c->flags |= IKEVTI_SA_F_ESN;
	ike_sockaddr_to_addr(&sa->path.local, &c->local);
	ike_sockaddr_to_addr(&sa->path.remote, &c->remote);
	if (sa->natt) {
		c->has_encap = true;
		c->encap_sport = ike_sockaddr_port(&sa->path.local);
		c->encap_dport = ike_sockaddr_port(&sa->path.remote);
		c->flags |= IKEVTI_SA_F_ALLOW_FLOAT;
		/* Behind a NAT ourselves: keep its mapping alive (RFC 3948
		 * 2.3), every 20 s like strongSwan unless configured; the
		 * kernel sends them. */
		if (dir == IKEVTI_DIR_OUT && sa->nat_local)
			c->nat_keepalive = sa->v->nat_keepalive_s(sa);
	}
	if (sel->life_kb || (ip && ip->lifetime_kb)) {
		ike_random(&r, sizeof(r));
		c->hard_bytes = (sel->life_kb ? sel->life_kb : ip->lifetime_kb) *
				1024;
		c->soft_bytes = c->hard_bytes / 100 * 85 +
				c->hard_bytes / 100 * 5 * r / 65535;
	}
}

static struct child_sa *child_slot(struct ike_sa *sa)
{
	for (size_t i = 0; i < IKE_CHILD_MAX; i++)
		if (!sa->child[i].used)
			return &sa->child[i];
	return NULL;
}

static int add_sa(struct ike_sa *sa, struct ikevti_sa_cfg *c)
{
	char err[160] = "";
	int rc = sa->e->ops.sa_add(sa->e->ops.ctx, sa->t->info.ifindex, c,
				   err, sizeof(err));

	if (rc < 0)
		sa_log(sa, IKE_LOG_ERR, "installing %s SA %08x failed: %s (%d)",
		       c->dir == IKEVTI_DIR_IN ? "inbound" : "outbound",
		       c->spi, err, rc);
	return rc;
}

static void child_times(struct ike_sa *sa, const struct ike_selection *sel,
			struct child_sa *c)
{
	const struct cfg_ipsec_profile *ip = sa->t->ipp;
	uint64_t life = (uint64_t)(sel->life_s ? sel->life_s :
				   ip ? ip->lifetime_s : 3600) * 1000;
	uint16_t r;

	ike_random(&r, sizeof(r));
	c->established_ms = sa->e->now_ms;
	c->rekey_at_ms = sa->e->now_ms + life / 100 * 85 +
			 life / 100 * 5 * r / 65535;
	c->expire_at_ms = sa->e->now_ms + life;
}

static int install_pair(struct ike_sa *sa, struct child_sa *c,
			struct ikevti_sa_cfg *in, struct ikevti_sa_cfg *out,
			bool switch_tx)
{
	struct ike_engine *e = sa->e;
	uint32_t ifi = sa->t->info.ifindex;

	if (add_sa(sa, in) < 0)
		return -1;
	c->in_installed = true;
	if (add_sa(sa, out) < 0)
		return -1;
	c->out_installed = true;
	/* A rekey responder keeps sending on the old SA until the
	 * initiator's Delete shows it has the new inbound SA. */
	if (!switch_tx && sa->t->tx_spi)
		return 0;
	if (e->ops.sa_set_tx(e->ops.ctx, ifi, out->spi) < 0) {
		sa_log(sa, IKE_LOG_ERR, "switching transmission to SA %08x "
		       "failed", out->spi);
		return -1;
	}
	sa->t->tx_spi = out->spi;
	return 0;
}

size_t ike_child_keymat_len(const struct ike_selection *sel)
{
	if (!enc_key_len(sel) || (sel->integ && !integ_key_len(sel)))
		return 0;
	return enc_key_len(sel) + salt_len(sel) + integ_key_len(sel);
}

int ike_child_install(struct ike_sa *sa, const struct ike_selection *sel,
		      uint32_t spi_in, uint32_t spi_out, const uint8_t *km_in,
		      const uint8_t *km_out, uint16_t pfs_group,
		      bool switch_tx)
{
	struct ikevti_sa_cfg in, out;
	struct child_sa *c = child_slot(sa);
	int rc = -1;

	if (!c || !ike_child_keymat_len(sel)) {
		sa_log(sa, IKE_LOG_ERR, "child SA: unsupported algorithms or "
		       "no room");
		return -1;
	}
	fill_cfg(sa, sel, IKEVTI_DIR_IN, spi_in, km_in, &in);
	fill_cfg(sa, sel, IKEVTI_DIR_OUT, spi_out, km_out, &out);
	memset(c, 0, sizeof(*c));
	c->used = true;
	c->spi_in = spi_in;
	c->spi_out = spi_out;
	c->encr = sel->encr.id;
	c->key_bits = sel->encr.key_bits;
	c->integ = sel->integ;
	c->esn = sel->esn == IKEV2_ESN_YES;
	c->pfs_group = pfs_group;
	c->encap = sa->natt;
	if (install_pair(sa, c, &in, &out, switch_tx) == 0) {
		child_times(sa, sel, c);
		sa_log(sa, IKE_LOG_NOTICE, "child SA installed: in %08x out "
		       "%08x (encr %u/%u integ %u%s%s)", spi_in, spi_out,
		       c->encr, c->key_bits, c->integ,
		       c->pfs_group ? ", PFS" : "",
		       c->encap ? ", UDP-encapsulated" : "");
		rc = 0;
	} else {
		ike_child_remove(sa, c);
	}
	ikevti_sa_cfg_wipe(&in);
	ikevti_sa_cfg_wipe(&out);
	return rc;
}

/* Another installed outbound SA of the same tunnel, newest first. */
static uint32_t other_tx(struct ike_engine *e, struct ike_tunnel *t,
			 const struct child_sa *not)
{
	const struct child_sa *best = NULL;

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->dead || sa->t != t)
			continue;
		for (size_t i = 0; i < IKE_CHILD_MAX; i++) {
			const struct child_sa *c = &sa->child[i];

			if (c->used && c != not && c->out_installed &&
			    (!best || c->established_ms >= best->established_ms))
				best = c;
		}
	}
	return best ? best->spi_out : 0;
}

static void remove_out(struct ike_sa *sa, struct child_sa *c)
{
	struct ike_engine *e = sa->e;
	uint32_t ifi = sa->t->info.ifindex;

	if (!c->out_installed)
		return;
	if (sa->t->tx_spi == c->spi_out) {
		uint32_t next = other_tx(e, sa->t, c);

		/* Move transmission before the SA disappears, so nothing
		 * is sent into the void in between. */
		if (next && e->ops.sa_set_tx(e->ops.ctx, ifi, next) == 0)
			sa->t->tx_spi = next;
		else
			sa->t->tx_spi = 0;
	}
	e->ops.sa_del(e->ops.ctx, ifi, IKEVTI_DIR_OUT, c->spi_out);
	c->out_installed = false;
}

void ike_child_remove(struct ike_sa *sa, struct child_sa *c)
{
	struct ike_engine *e = sa->e;

	remove_out(sa, c);
	if (c->spi_in)	/* reserved or installed: give it back */
		e->ops.sa_del(e->ops.ctx, sa->t->info.ifindex, IKEVTI_DIR_IN,
			      c->spi_in);
	sa_log(sa, IKE_LOG_INFO, "child SA in %08x out %08x removed",
	       c->spi_in, c->spi_out);
	memset(c, 0, sizeof(*c));
}

/* The old pair after a rekey: outbound now, inbound after a grace. */
void ike_child_retire(struct ike_sa *sa, struct child_sa *c)
{
	remove_out(sa, c);
	c->delete_sent = true;
	c->state = CHILD_REKEYED;
	c->grace_until_ms = sa->e->now_ms + IKE_OLD_INBOUND_GRACE_MS;
}

struct child_sa *ike_child_by_spi_in(struct ike_sa *sa, uint32_t spi)
{
	for (size_t i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].used && sa->child[i].spi_in == spi)
			return &sa->child[i];
	return NULL;
}

struct child_sa *ike_child_by_spi_out(struct ike_sa *sa, uint32_t spi)
{
	for (size_t i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].used && sa->child[i].spi_out == spi)
			return &sa->child[i];
	return NULL;
}

struct child_sa *ike_child_active(struct ike_sa *sa)
{
	struct child_sa *best = NULL;

	for (size_t i = 0; i < IKE_CHILD_MAX; i++) {
		struct child_sa *c = &sa->child[i];

		if (c->used && c->state != CHILD_REKEYED &&
		    (!best || c->established_ms >= best->established_ms))
			best = c;
	}
	return best;
}

static void child_timer(struct ike_sa *sa, struct child_sa *c, uint64_t now)
{
	if (c->state == CHILD_REKEYED) {
		if (now >= c->grace_until_ms)
			ike_child_remove(sa, c);
		return;
	}
	if (c->expire_at_ms && now >= c->expire_at_ms) {
		uint32_t spi = c->spi_in;

		sa_log(sa, IKE_LOG_NOTICE, "child SA %08x: hard lifetime "
		       "reached", spi);
		ike_child_remove(sa, c);
		sa->task_delete_spi = spi;
		sa->tasks |= TASK_DELETE_CHILD;
		return;
	}
	if (c->state == CHILD_ACTIVE && c->rekey_at_ms &&
	    now >= c->rekey_at_ms) {
		c->rekey_at_ms = 0;
		sa->task_child_spi = c->spi_in;
		sa->tasks |= TASK_REKEY_CHILD;
	}
}

void ike_child_timers(struct ike_sa *sa, uint64_t now)
{
	for (size_t i = 0; i < IKE_CHILD_MAX && !sa->dead; i++)
		if (sa->child[i].used)
			child_timer(sa, &sa->child[i], now);
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t ike_child_next(const struct ike_sa *sa)
{
	uint64_t t = UINT64_MAX;

	for (size_t i = 0; i < IKE_CHILD_MAX; i++) {
		const struct child_sa *c = &sa->child[i];

		if (!c->used)
			continue;
		if (c->state == CHILD_REKEYED) {
			t = min64(t, c->grace_until_ms);
			continue;
		}
		if (c->expire_at_ms)
			t = min64(t, c->expire_at_ms);
		if (c->state == CHILD_ACTIVE && c->rekey_at_ms)
			t = min64(t, c->rekey_at_ms);
	}
	return t;
}

void ike_child_move(struct ike_sa *from, struct ike_sa *to)
{
	for (size_t i = 0; i < IKE_CHILD_MAX; i++) {
		struct child_sa *c;

		if (!from->child[i].used)
			continue;
		c = child_slot(to);
		if (!c)
			break;
		*c = from->child[i];
		memset(&from->child[i], 0, sizeof(from->child[i]));
		/* Its rekey exchange stays with the old IKE SA, whose answer
		 * no longer finds it: rekey again over the new one. */
		if (c->state == CHILD_REKEYING) {
			c->state = CHILD_ACTIVE;
			c->rekey_at_ms = to->e->now_ms + 10000;
		}
	}
}
