/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Security associations. An SA belongs to one device; inbound SAs are
 * also hashed by SPI in the device's underlay namespace, where ESP
 * arrives. The datapath finds SAs under RCU and holds a reference while
 * it works (crypto may complete asynchronously); the last reference
 * frees the SA from process context after a grace period.
 */
#ifndef _IKEVTI_SA_H
#define _IKEVTI_SA_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/seqlock.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>

#include "addr.h"
#include "crypto.h"
#include "replay.h"
#include "stats.h"

struct ikevti_device;

struct ikevti_sa {
	struct kref ref;
	struct rcu_work free_work;
	struct hlist_node spi_node;	/* inbound: underlay SPI hash */
	struct list_head dev_node;	/* ikevti_device.sa_list, RTNL */
	struct ikevti_device *idev;	/* no reference: SAs die first */
	const struct ikevti_alg *alg;
	struct crypto_aead *aead;
	struct ikevti_replay *replay;	/* inbound only */
	struct dst_cache dst_cache;	/* outbound only */
	struct ikevti_stats __percpu *stats;
	atomic64_t seq_out;		/* outbound: last number used */
	struct ikevti_addr local;
	/*
	 * The peer. remote and encap_dport of a UDP-encapsulated SA move
	 * when the NAT in front of the peer changes its mapping (encap.c):
	 * written under RTNL and peer_lock, read by the datapath through
	 * ikevti_sa_peer(). The family never changes.
	 */
	seqlock_t peer_lock;
	struct ikevti_addr remote;
	__be16 encap_sport;		/* ours; 0: plain ESP */
	__be16 encap_dport;		/* the peer's */
	u32 nat_keepalive;		/* seconds, outbound only; 0: off */
	unsigned long last_tx;		/* jiffies of the last ESP packet */
	/* Lifetimes (lifetime.c): limits, 0 = none, and what was counted. */
	u64 soft_bytes, hard_bytes, soft_packets, hard_packets;
	atomic64_t lt_packets, lt_bytes;
	u64 soft_at[2], hard_at[2];	/* packets, bytes when reached */
	/* Events owed to userspace (events.c): IKEVTI_SA_EV_* bits. */
	unsigned long events;
	unsigned long mapping_ts;	/* jiffies of the last NEW_MAPPING */
	struct ikevti_addr new_addr;	/* the mapping being reported */
	__be16 new_port;
	__be32 spi;
	u32 flags;			/* configured IKEVTI_SA_F_* */
	u8 dir;				/* enum ikevti_dir */
	u8 iv_len, icv_len;
	u8 pad_align;			/* ESP payload alignment (>= 4) */
};

/* Everything SA_NEW supplies, validated by netlink.c. */
struct ikevti_sa_config {
	u8 dir;
	u32 spi;
	u32 flags;
	u32 replay_window;
	const struct ikevti_alg *alg;
	struct ikevti_keys keys;
	struct ikevti_addr local, remote;	/* family 0: device's */
	bool has_seq;
	u64 seq;
	u64 soft_bytes, hard_bytes, soft_packets, hard_packets;
	__be16 encap_sport, encap_dport;	/* both 0: plain ESP */
	u32 nat_keepalive;
};

struct ikevti_sa *ikevti_sa_create(const struct ikevti_sa_config *cfg,
				   struct netlink_ext_ack *extack);
void ikevti_sa_put(struct ikevti_sa *sa);

static inline bool ikevti_sa_get(struct ikevti_sa *sa)
{
	return kref_get_unless_zero(&sa->ref);
}

static inline bool ikevti_sa_esn(const struct ikevti_sa *sa)
{
	return sa->flags & IKEVTI_SA_F_ESN;
}

static inline bool ikevti_sa_encap(const struct ikevti_sa *sa)
{
	return sa->encap_sport;
}

/* A consistent snapshot of the peer's address and UDP port. */
static inline void ikevti_sa_peer(const struct ikevti_sa *sa,
				  struct ikevti_addr *addr, __be16 *port)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&sa->peer_lock);
		*addr = sa->remote;
		*port = sa->encap_dport;
	} while (read_seqretry(&sa->peer_lock, seq));
}

/* Configuration side, all under RTNL. */
int ikevti_sa_install(struct ikevti_device *idev, struct ikevti_sa *sa,
		      struct netlink_ext_ack *extack);
struct ikevti_sa *ikevti_sa_find(struct ikevti_device *idev, u8 dir,
				 u32 spi);
void ikevti_sa_remove(struct ikevti_sa *sa);
void ikevti_sa_flush(struct ikevti_device *idev);
void ikevti_sa_set_tx(struct ikevti_device *idev, struct ikevti_sa *sa);
bool ikevti_sa_is_tx(const struct ikevti_sa *sa);
bool ikevti_spi_in_use(struct net *underlay, __be32 spi);

/* Datapath side, under RCU; both return a reference or NULL. */
struct ikevti_sa *ikevti_sa_lookup_in(struct net *underlay, __be32 spi);
struct ikevti_sa *ikevti_sa_get_tx(struct ikevti_device *idev);

int ikevti_sa_module_init(void);
void ikevti_sa_module_exit(void);

#endif /* _IKEVTI_SA_H */
