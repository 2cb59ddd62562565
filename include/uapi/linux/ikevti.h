/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ikevti: route-based IPsec tunnel devices.
 *
 * This header is the whole interface between the module and userspace:
 * the rtnetlink link attributes of an ikevti device and the generic
 * netlink family "ikevti" that installs SAs into it.
 *
 * ABI rules: numbers are never reused or reordered; attributes and
 * commands are only ever appended. IKEVTI_GENL_VERSION is bumped when
 * something is appended, so a helper can tell what the module knows.
 */
#ifndef _UAPI_LINUX_IKEVTI_H
#define _UAPI_LINUX_IKEVTI_H

#include <linux/types.h>

#define IKEVTI_LINK_KIND	"ikevti"
#define IKEVTI_GENL_NAME	"ikevti"
#define IKEVTI_GENL_VERSION	2
#define IKEVTI_GENL_MCGRP_EVENTS "events"

/* Largest anti-replay window, in packets (RFC 4303 3.4.3 allows any). */
#define IKEVTI_REPLAY_WINDOW_MAX	4096
#define IKEVTI_REPLAY_WINDOW_DEFAULT	64

/*
 * Link attributes, nested in IFLA_INFO_DATA of an "ikevti" link.
 * LOCAL and REMOTE are 4 bytes (IPv4) or 16 bytes (IPv6), network order,
 * and must be of the same family.
 */
enum {
	IFLA_IKEVTI_UNSPEC,
	IFLA_IKEVTI_LOCAL,	/* binary: in_addr or in6_addr */
	IFLA_IKEVTI_REMOTE,	/* binary: in_addr or in6_addr */
	IFLA_IKEVTI_FWMARK,	/* u32: mark for the outer route lookup */
	IFLA_IKEVTI_TTL,	/* u8: outer TTL/hop limit, 0 = inherit */
	IFLA_IKEVTI_DF,		/* u8: enum ikevti_df */
	IFLA_IKEVTI_ONDEMAND,	/* u8: 1 = carrier on without an out SA */
	__IFLA_IKEVTI_MAX
};
#define IFLA_IKEVTI_MAX (__IFLA_IKEVTI_MAX - 1)

/* Outer DF bit (IPv4 outer only). RFC 4301 8.1: copy by default. */
enum ikevti_df {
	IKEVTI_DF_INHERIT = 0,
	IKEVTI_DF_SET = 1,
	IKEVTI_DF_CLEAR = 2,
};

/* Generic netlink commands of the family "ikevti". */
enum ikevti_cmd {
	IKEVTI_CMD_UNSPEC,
	IKEVTI_CMD_SA_NEW,	/* install one SA (A_DEV + A_SA) */
	IKEVTI_CMD_SA_DEL,	/* remove one SA (A_DEV + A_SA{DIR, SPI}) */
	IKEVTI_CMD_SA_GET,	/* one SA, or dump all SAs of a device */
	IKEVTI_CMD_SA_FLUSH,	/* remove every SA of a device */
	IKEVTI_CMD_SPI_ALLOC,	/* kernel picks an unused inbound SPI */
	IKEVTI_CMD_SA_SET_TX,	/* make an outbound SA the current one */
	IKEVTI_CMD_DEV_GET,	/* device counters */
	IKEVTI_CMD_SA_EXPIRE,	/* event: soft or hard lifetime reached */
	IKEVTI_CMD_ACQUIRE,	/* event: traffic but no usable out SA */
	IKEVTI_CMD_NEW_MAPPING,	/* event: peer seen at a new address/port */
	__IKEVTI_CMD_MAX
};

/*
 * Events, multicast on the group IKEVTI_GENL_MCGRP_EVENTS in the network
 * namespace of the device:
 *
 *   SA_EXPIRE    A_IFINDEX, A_IFNAME, A_SA{DIR, SPI, EXPIRE_HARD (0 soft,
 *                1 hard), STATS{PACKETS, BYTES}}. Sent once per limit.
 *   ACQUIRE      A_IFINDEX, A_IFNAME: packets reached a device whose
 *                outbound SA cannot carry them (none current, or past its
 *                hard limit); at most one per device per second. Without
 *                IFLA_IKEVTI_ONDEMAND a device without any outbound SA has
 *                no carrier, so the stack drops its packets before they
 *                reach the module; with it the carrier stays on and such
 *                packets are dropped (no_tx_sa) and raise ACQUIRE.
 *   NEW_MAPPING  A_IFINDEX, A_IFNAME, A_SA{DIR (in), SPI, REMOTE (the new
 *                peer address), ENCAP_SPORT, ENCAP_DPORT}: an authenticated
 *                packet came from another address or port than the SA's.
 *
 * UDP encapsulation ports are always given from our side, for both
 * directions: ENCAP_SPORT is our port (4500), ENCAP_DPORT the peer's.
 */
#define IKEVTI_CMD_MAX (__IKEVTI_CMD_MAX - 1)

/* Top-level attributes. A device is named by IFINDEX or IFNAME. */
enum {
	IKEVTI_A_UNSPEC,
	IKEVTI_A_IFINDEX,	/* u32 */
	IKEVTI_A_IFNAME,	/* string */
	IKEVTI_A_SA,		/* nest: IKEVTI_SA_A_* */
	IKEVTI_A_STATS,		/* nest: IKEVTI_STATS_A_* (device counters) */
	IKEVTI_A_SPI_MIN,	/* u32: SPI_ALLOC range, default 0x100 */
	IKEVTI_A_SPI_MAX,	/* u32: SPI_ALLOC range, default 0xffffffff */
	IKEVTI_A_GENERATION,	/* u32: changes whenever the SA set changes */
	IKEVTI_A_PAD,
	__IKEVTI_A_MAX
};
#define IKEVTI_A_MAX (__IKEVTI_A_MAX - 1)

enum ikevti_dir {
	IKEVTI_DIR_IN = 1,
	IKEVTI_DIR_OUT = 2,
};

/*
 * ESP transforms, numbered as the IANA IKEv2 registry numbers them
 * (Transform Type 1 and 3), so IKE results map straight onto SAs.
 * The key length is the length of IKEVTI_SA_A_ENC_KEY.
 */
enum ikevti_enc {
	IKEVTI_ENC_3DES_CBC = 3,		/* legacy, 24-byte key */
	IKEVTI_ENC_AES_CBC = 12,		/* 16, 24, 32-byte key */
	IKEVTI_ENC_AES_GCM_16 = 20,		/* 16, 24, 32 + 4-byte salt */
	IKEVTI_ENC_CHACHA20_POLY1305 = 28,	/* 32 + 4-byte salt */
};

enum ikevti_integ {
	IKEVTI_INTEG_NONE = 0,			/* AEAD transforms */
	IKEVTI_INTEG_HMAC_MD5_96 = 1,		/* legacy */
	IKEVTI_INTEG_HMAC_SHA1_96 = 2,
	IKEVTI_INTEG_HMAC_SHA256_128 = 12,
	IKEVTI_INTEG_HMAC_SHA384_192 = 13,
	IKEVTI_INTEG_HMAC_SHA512_256 = 14,
};

/* IKEVTI_SA_A_FLAGS bits. */
#define IKEVTI_SA_F_ESN		(1U << 0)	/* RFC 4304 extended seq */
#define IKEVTI_SA_F_ALLOW_FLOAT	(1U << 1)	/* follow NAT mapping changes */
#define IKEVTI_SA_F_LEGACY	(1U << 2)	/* reported: legacy algorithm */
#define IKEVTI_SA_F_TX		(1U << 3)	/* reported: current outbound */

/* Attributes of one SA, nested in IKEVTI_A_SA. */
enum {
	IKEVTI_SA_A_UNSPEC,
	IKEVTI_SA_A_DIR,		/* u8: enum ikevti_dir */
	IKEVTI_SA_A_SPI,		/* u32, host order */
	IKEVTI_SA_A_ENC,		/* u16: enum ikevti_enc */
	IKEVTI_SA_A_INTEG,		/* u16: enum ikevti_integ */
	IKEVTI_SA_A_ENC_KEY,		/* binary, never dumped */
	IKEVTI_SA_A_SALT,		/* binary (4 bytes), never dumped */
	IKEVTI_SA_A_AUTH_KEY,		/* binary, never dumped */
	IKEVTI_SA_A_REPLAY_WINDOW,	/* u32: 0..IKEVTI_REPLAY_WINDOW_MAX */
	IKEVTI_SA_A_FLAGS,		/* u32: IKEVTI_SA_F_* */
	IKEVTI_SA_A_LOCAL,		/* binary: outer address, default link */
	IKEVTI_SA_A_REMOTE,		/* binary: outer address, default link */
	IKEVTI_SA_A_ENCAP_SPORT,	/* u16: RFC 3948, our port */
	IKEVTI_SA_A_ENCAP_DPORT,	/* u16: the peer's; both or none */
	IKEVTI_SA_A_SEQ,		/* u64: next outbound seq - 1 / in top */
	IKEVTI_SA_A_SOFT_BYTES,		/* u64: 0 = no limit */
	IKEVTI_SA_A_HARD_BYTES,		/* u64 */
	IKEVTI_SA_A_SOFT_PACKETS,	/* u64 */
	IKEVTI_SA_A_HARD_PACKETS,	/* u64 */
	IKEVTI_SA_A_STATS,		/* nest: IKEVTI_STATS_A_* (dump only) */
	IKEVTI_SA_A_EXPIRE_HARD,	/* u8: in SA_EXPIRE, 1 = hard */
	IKEVTI_SA_A_PAD,
	IKEVTI_SA_A_NAT_KEEPALIVE,	/* u32: seconds (5..3600), outbound
					 * UDP-encapsulated SAs only (v2)
					 */
	__IKEVTI_SA_A_MAX
};
#define IKEVTI_SA_A_MAX (__IKEVTI_SA_A_MAX - 1)

/*
 * Counters (u64), per SA and per device; the names follow what IOS
 * "show crypto ipsec sa" prints. An SA reports only the ones of its own
 * direction; the device reports the sum plus drops no SA could own.
 */
enum {
	IKEVTI_STATS_A_UNSPEC,
	IKEVTI_STATS_A_PACKETS,		/* encapsulated / decapsulated */
	IKEVTI_STATS_A_BYTES,		/* inner bytes */
	IKEVTI_STATS_A_AUTH_FAIL,	/* ICV check failed */
	IKEVTI_STATS_A_REPLAY,		/* duplicate sequence number */
	IKEVTI_STATS_A_TOO_OLD,		/* left of the replay window */
	IKEVTI_STATS_A_BAD_PAD,		/* padding or pad length invalid */
	IKEVTI_STATS_A_BAD_NEXTHDR,	/* not IPv4/IPv6 inside */
	IKEVTI_STATS_A_BAD_LENGTH,	/* truncated or misaligned ESP */
	IKEVTI_STATS_A_ENCAP_MISMATCH,	/* UDP-encap state mismatch */
	IKEVTI_STATS_A_NO_SA,		/* inbound SPI not found */
	IKEVTI_STATS_A_NO_TX_SA,	/* outbound packet, no SA */
	IKEVTI_STATS_A_SEND_ERROR,	/* route, crypto or xmit failure */
	IKEVTI_STATS_A_SEQ_OVERFLOW,	/* outbound seq exhausted */
	IKEVTI_STATS_A_EXPIRED,		/* dropped: hard lifetime reached */
	IKEVTI_STATS_A_PAD,
	__IKEVTI_STATS_A_MAX
};
#define IKEVTI_STATS_A_MAX (__IKEVTI_STATS_A_MAX - 1)

#endif /* _UAPI_LINUX_IKEVTI_H */
