/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevti_sa: what an SA is made of, as userspace sees it: the
 * configuration sent to the kernel (struct ikevti_sa_cfg), what the
 * kernel reports back (struct ikevti_sa_info, struct ikevti_stats), and
 * a local consistency check of a configuration. No netlink here.
 */
#ifndef IKEVTI_SA_H
#define IKEVTI_SA_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikevti_alg.h"

/* An outer address; family 0 means "not given". */
struct ikevti_addr {
	int family;		/* 0, AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t raw[16];
	};
};

/* Length in bytes of an address of this family (0 if none). */
size_t ikevti_addr_len(const struct ikevti_addr *a);

/* A device, by index (preferred when non-zero) or by name. */
struct ikevti_devid {
	uint32_t ifindex;
	const char *ifname;
};

/*
 * One SA to install. Keys live inline: call ikevti_sa_cfg_wipe() when
 * done with it. Zero-initialise, then fill in.
 */
struct ikevti_sa_cfg {
	uint8_t dir;			/* enum ikevti_dir */
	uint32_t spi;
	uint16_t enc;			/* enum ikevti_enc */
	uint16_t integ;			/* enum ikevti_integ, 0 for AEAD */
	uint8_t enc_key[IKEVTI_KEY_MAX];
	size_t enc_key_len;		/* without the salt */
	uint8_t salt[IKEVTI_SALT_LEN];
	size_t salt_len;
	uint8_t auth_key[IKEVTI_KEY_MAX];
	size_t auth_key_len;
	bool has_replay_window;
	uint32_t replay_window;
	uint32_t flags;			/* IKEVTI_SA_F_ESN, _ALLOW_FLOAT */
	struct ikevti_addr local, remote;
	bool has_encap;
	uint16_t encap_sport, encap_dport;
	uint32_t nat_keepalive;		/* seconds, 0: none (out + encap) */
	bool has_seq;
	uint64_t seq;
	uint64_t soft_bytes, hard_bytes;	/* 0: no limit, not sent */
	uint64_t soft_packets, hard_packets;
};

/* Erase the keys (and everything else) of a configuration. */
void ikevti_sa_cfg_wipe(struct ikevti_sa_cfg *cfg);

/*
 * Check a configuration before it goes to the kernel: known algorithms,
 * key, salt and auth key lengths for the chosen algorithms, AEAD vs
 * integrity, address families, ports, lifetimes. Returns 0, or -1 with
 * a message naming what is wrong.
 */
int ikevti_sa_cfg_check(const struct ikevti_sa_cfg *cfg, char *err,
			size_t errlen);

/* Counters of an SA or a device (IKEVTI_STATS_A_*). */
struct ikevti_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t auth_fail;
	uint64_t replay;
	uint64_t too_old;
	uint64_t bad_pad;
	uint64_t bad_nexthdr;
	uint64_t bad_length;
	uint64_t encap_mismatch;
	uint64_t no_sa;
	uint64_t no_tx_sa;
	uint64_t send_error;
	uint64_t seq_overflow;
	uint64_t expired;
	uint32_t present;	/* bit (1 << IKEVTI_STATS_A_x) per counter seen */
};

struct ikevti_stat_desc {
	int attr;		/* IKEVTI_STATS_A_* */
	const char *name;	/* "auth_fail" */
	size_t offset;		/* in struct ikevti_stats */
};

/* The counters in attribute order; NULL past the end. */
const struct ikevti_stat_desc *ikevti_stat_desc_at(size_t i);
const struct ikevti_stat_desc *ikevti_stat_desc_by_attr(int attr);
uint64_t ikevti_stat_value(const struct ikevti_stats *st,
			   const struct ikevti_stat_desc *d);
void ikevti_stat_set(struct ikevti_stats *st,
		     const struct ikevti_stat_desc *d, uint64_t v);

/* One SA as the kernel reports it (keys are never reported). */
struct ikevti_sa_info {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t dir;
	uint32_t spi;
	uint16_t enc;
	uint16_t integ;
	uint32_t replay_window;
	uint32_t flags;
	struct ikevti_addr local, remote;
	uint16_t encap_sport, encap_dport;
	uint32_t nat_keepalive;
	uint64_t seq;
	uint64_t soft_bytes, hard_bytes;
	uint64_t soft_packets, hard_packets;
	bool expire_hard;
	struct ikevti_stats stats;
	uint32_t present;	/* bit (1 << IKEVTI_SA_A_x) per attribute seen */
};

static inline bool ikevti_sa_has(const struct ikevti_sa_info *sa, int attr)
{
	return sa->present & (1U << attr);
}

/* A device's counters (DEV_GET). */
struct ikevti_dev_info {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	bool has_generation;
	uint32_t generation;
	struct ikevti_stats stats;
};

const char *ikevti_dir_name(uint8_t dir);	/* "in", "out" or NULL */

#endif /* IKEVTI_SA_H */
