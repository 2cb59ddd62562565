// SPDX-License-Identifier: GPL-2.0
/*
 * SA objects, the per-underlay SPI table, the device's SA list and its
 * current outbound SA.
 *
 * Writers hold RTNL (netlink.c and the device take it), so the device's
 * list and TX pointer need nothing else; the SPI table is shared by all
 * devices of an underlay and also has its own spinlock so that it never
 * depends on who the writer is.
 */
#include <linux/hash.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/xfrm.h>

#include "device.h"
#include "encap.h"
#include "events.h"
#include "netns.h"
#include "sa.h"

static struct workqueue_struct *ikevti_sa_wq;

/* Free everything an SA owns; also used before it was ever published. */
static void sa_destroy(struct ikevti_sa *sa)
{
	if (!IS_ERR_OR_NULL(sa->aead))
		crypto_free_aead(sa->aead);
	ikevti_replay_free(sa->replay);
	dst_cache_destroy(&sa->dst_cache);
	ikevti_stats_free(sa->stats);
	kfree_sensitive(sa);
}

/* crypto_free_aead() may sleep in tfm exit handlers: process context. */
static void sa_free_work(struct work_struct *work)
{
	sa_destroy(container_of(to_rcu_work(work), struct ikevti_sa,
				free_work));
}

static void sa_release(struct kref *ref)
{
	struct ikevti_sa *sa = container_of(ref, struct ikevti_sa, ref);

	queue_rcu_work(ikevti_sa_wq, &sa->free_work);
}

void ikevti_sa_put(struct ikevti_sa *sa)
{
	if (sa)
		kref_put(&sa->ref, sa_release);
}

static void sa_copy_config(struct ikevti_sa *sa,
			   const struct ikevti_sa_config *cfg)
{
	sa->dir = cfg->dir;
	sa->spi = htonl(cfg->spi);
	sa->flags = cfg->flags & (IKEVTI_SA_F_ESN | IKEVTI_SA_F_ALLOW_FLOAT);
	sa->alg = cfg->alg;
	sa->local = cfg->local;
	sa->remote = cfg->remote;
	sa->soft_bytes = cfg->soft_bytes;
	sa->hard_bytes = cfg->hard_bytes;
	sa->soft_packets = cfg->soft_packets;
	sa->hard_packets = cfg->hard_packets;
	sa->encap_sport = cfg->encap_sport;
	sa->encap_dport = cfg->encap_dport;
	sa->nat_keepalive = cfg->nat_keepalive;
	sa->icv_len = cfg->alg->icv_len;
}

static int sa_init_direction(struct ikevti_sa *sa,
			     const struct ikevti_sa_config *cfg)
{
	if (sa->dir == IKEVTI_DIR_IN) {
		sa->replay = ikevti_replay_alloc(cfg->replay_window,
						 cfg->has_seq ? cfg->seq : 0);
		return sa->replay ? 0 : -ENOMEM;
	}
	atomic64_set(&sa->seq_out, cfg->has_seq ? cfg->seq : 0);
	return dst_cache_init(&sa->dst_cache, GFP_KERNEL);
}

struct ikevti_sa *ikevti_sa_create(const struct ikevti_sa_config *cfg,
				   struct netlink_ext_ack *extack)
{
	struct ikevti_sa *sa;
	int err = -ENOMEM;

	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return ERR_PTR(-ENOMEM);
	kref_init(&sa->ref);
	INIT_RCU_WORK(&sa->free_work, sa_free_work);
	INIT_HLIST_NODE(&sa->spi_node);
	INIT_LIST_HEAD(&sa->dev_node);
	seqlock_init(&sa->peer_lock);
	sa->last_tx = jiffies;
	ikevti_events_sa_init(sa);
	sa_copy_config(sa, cfg);
	sa->stats = ikevti_stats_alloc();
	if (!sa->stats)
		goto fail;
	sa->aead = ikevti_aead_create(cfg->alg, ikevti_sa_esn(sa), &cfg->keys,
				      extack);
	if (IS_ERR(sa->aead)) {
		err = PTR_ERR(sa->aead);
		goto fail;
	}
	sa->iv_len = crypto_aead_ivsize(sa->aead);
	sa->pad_align = ALIGN(crypto_aead_blocksize(sa->aead), 4);
	err = sa_init_direction(sa, cfg);
	if (err)
		goto fail;
	return sa;
fail:
	sa_destroy(sa);
	return ERR_PTR(err);
}

static struct hlist_head *spi_bucket(struct ikevti_net *in, __be32 spi)
{
	return &in->spi_hash[hash_32((__force u32)spi, IKEVTI_SPI_HASH_BITS)];
}

static struct ikevti_sa *spi_find_rcu(struct net *underlay, __be32 spi)
{
	struct ikevti_sa *sa;

	hlist_for_each_entry_rcu(sa, spi_bucket(ikevti_net(underlay), spi),
				 spi_node) {
		if (sa->spi == spi)
			return sa;
	}
	return NULL;
}

struct ikevti_sa *ikevti_sa_lookup_in(struct net *underlay, __be32 spi)
{
	struct ikevti_sa *sa = spi_find_rcu(underlay, spi);

	return sa && ikevti_sa_get(sa) ? sa : NULL;
}

struct ikevti_sa *ikevti_sa_get_tx(struct ikevti_device *idev)
{
	struct ikevti_sa *sa = rcu_dereference_bh(idev->tx_sa);

	return sa && ikevti_sa_get(sa) ? sa : NULL;
}

/* A native xfrm state with this SPI would fight ours in esp4's GRO. */
static bool xfrm_has_spi(struct net *net, __be32 spi)
{
	static const unsigned short families[] = { AF_INET, AF_INET6 };
	struct xfrm_state *x;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(families); i++) {
		x = xfrm_state_lookup_byspi(net, spi, families[i]);
		if (x) {
			xfrm_state_put(x);
			return true;
		}
	}
	return false;
}

bool ikevti_spi_in_use(struct net *underlay, __be32 spi)
{
	bool ours;

	rcu_read_lock();
	ours = spi_find_rcu(underlay, spi);
	rcu_read_unlock();
	return ours || xfrm_has_spi(underlay, spi);
}

struct ikevti_sa *ikevti_sa_find(struct ikevti_device *idev, u8 dir,
				 u32 spi)
{
	struct ikevti_sa *sa;

	ASSERT_RTNL();
	list_for_each_entry(sa, &idev->sa_list, dev_node) {
		if (sa->spi == htonl(spi) && (!dir || sa->dir == dir))
			return sa;
	}
	return NULL;
}

bool ikevti_sa_is_tx(const struct ikevti_sa *sa)
{
	return rcu_access_pointer(sa->idev->tx_sa) == sa;
}

void ikevti_sa_set_tx(struct ikevti_device *idev, struct ikevti_sa *sa)
{
	ASSERT_RTNL();
	rcu_assign_pointer(idev->tx_sa, sa);
	idev->generation++;
	ikevti_device_update_carrier(idev);
	ikevti_keepalive_update(idev);
}

/* Fill in the device's addresses where the SA gave none, then check. */
static int sa_resolve_addresses(struct ikevti_device *idev,
				struct ikevti_sa *sa,
				struct netlink_ext_ack *extack)
{
	if (!sa->local.family)
		sa->local = idev->local;
	if (!sa->remote.family)
		sa->remote = idev->remote;
	if (sa->local.family && sa->remote.family &&
	    sa->local.family != sa->remote.family) {
		NL_SET_ERR_MSG(extack,
			       "local and remote must be of the same family");
		return -EINVAL;
	}
	if (sa->dir == IKEVTI_DIR_OUT && ikevti_addr_is_any(&sa->remote)) {
		NL_SET_ERR_MSG(extack,
			       "outbound SA needs a remote address (on the SA or the device)");
		return -EINVAL;
	}
	return 0;
}

static int sa_check_unique(struct ikevti_device *idev, struct ikevti_sa *sa,
			   struct netlink_ext_ack *extack)
{
	if (ikevti_sa_find(idev, sa->dir, ntohl(sa->spi))) {
		NL_SET_ERR_MSG(extack, "SPI already in use");
		return -EEXIST;
	}
	if (sa->dir == IKEVTI_DIR_IN &&
	    ikevti_spi_in_use(idev->underlay, sa->spi)) {
		NL_SET_ERR_MSG(extack,
			       "SPI already in use (by ikevti or an xfrm state)");
		return -EEXIST;
	}
	return 0;
}

/* Takes over the caller's reference when it returns 0. */
int ikevti_sa_install(struct ikevti_device *idev, struct ikevti_sa *sa,
		      struct netlink_ext_ack *extack)
{
	struct ikevti_net *in = ikevti_net(idev->underlay);
	int err;

	ASSERT_RTNL();
	err = sa_resolve_addresses(idev, sa, extack);
	if (!err)
		err = sa_check_unique(idev, sa, extack);
	if (err)
		return err;
	sa->idev = idev;
	list_add_tail(&sa->dev_node, &idev->sa_list);
	idev->sa_count++;
	idev->generation++;
	if (sa->dir == IKEVTI_DIR_IN) {
		spin_lock_bh(&in->spi_lock);
		hlist_add_head_rcu(&sa->spi_node, spi_bucket(in, sa->spi));
		spin_unlock_bh(&in->spi_lock);
	} else if (!rtnl_dereference(idev->tx_sa)) {
		ikevti_sa_set_tx(idev, sa);
	}
	return 0;
}

/*
 * Unpublish the SA and drop the list's reference. Packets in flight keep
 * their own references, so the SA is freed only after they are done.
 */
void ikevti_sa_remove(struct ikevti_sa *sa)
{
	struct ikevti_device *idev = sa->idev;
	struct ikevti_net *in = ikevti_net(idev->underlay);

	ASSERT_RTNL();
	if (ikevti_sa_is_tx(sa))
		ikevti_sa_set_tx(idev, NULL);
	if (sa->dir == IKEVTI_DIR_IN) {
		spin_lock_bh(&in->spi_lock);
		hlist_del_init_rcu(&sa->spi_node);
		spin_unlock_bh(&in->spi_lock);
	}
	list_del(&sa->dev_node);
	idev->sa_count--;
	idev->generation++;
	ikevti_sa_put(sa);
}

void ikevti_sa_flush(struct ikevti_device *idev)
{
	struct ikevti_sa *sa, *tmp;

	ASSERT_RTNL();
	list_for_each_entry_safe(sa, tmp, &idev->sa_list, dev_node)
		ikevti_sa_remove(sa);
}

int ikevti_sa_module_init(void)
{
	ikevti_sa_wq = alloc_workqueue("ikevti_sa", WQ_UNBOUND, 0);
	return ikevti_sa_wq ? 0 : -ENOMEM;
}

/* Callers ran rcu_barrier() first, so every free is queued by now. */
void ikevti_sa_module_exit(void)
{
	destroy_workqueue(ikevti_sa_wq);
}
