/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtid configuration: IOS syntax in, an immutable typed model out.
 *
 * FILE FORMAT (/etc/ikevti/ikevti.conf, or the file given with -f)
 *
 * The file is what "show running-config" prints for the crypto part of an
 * IOS router, plus three extension lines for certificates. As in IOS,
 * indentation does not matter: a line belongs to the current sub-mode when
 * its command is one of that sub-mode's commands, otherwise the sub-mode
 * ends and the line is read in the parent mode (up to global mode). "exit"
 * leaves one sub-mode level, "end" returns to global mode. A line whose
 * first non-blank character is '!' is a comment ('!' inside a line is data:
 * it may be part of a key). Keywords are case-insensitive, names are not.
 * Blanks are spaces, tabs and UTF-8 no-break spaces (pasted from a page).
 * Entering "crypto ... NAME" again edits the existing object, as IOS does.
 *
 * Global commands:
 *   crypto pki trustpoint NAME      (also "crypto ca trustpoint NAME")
 *     ca-certificate-file PATH      (extension) PEM file of the CA
 *     certificate-file PATH         (extension) PEM file of our certificate
 *     private-key-file PATH         (extension) PEM file of its private key
 *     subject-name DN               rest of the line
 *     fqdn NAME | fqdn none
 *     ip-address ADDRESS | ip-address none
 *     revocation-check METHOD...    none | crl | ocsp, in order of use
 *   crypto ikev2 proposal NAME
 *     encryption ALG...             aes-cbc-128 aes-cbc-192 aes-cbc-256
 *                                   aes-gcm-128 aes-gcm-256 3des(legacy)
 *     integrity ALG...              sha1 sha256 sha384 sha512 md5(legacy)
 *     prf ALG...                    same names as integrity
 *     group N...                    14 15 16 19 20 21 31; 2 5 (legacy)
 *   crypto ikev2 policy NAME
 *     proposal NAME                 repeatable, in order of preference
 *     match fvrf any
 *     match address local ADDRESS
 *   crypto ikev2 keyring NAME
 *     peer NAME
 *       address ADDRESS [MASK]
 *       hostname NAME
 *       identity address ADDRESS | fqdn NAME | email NAME | key-id ID
 *       pre-shared-key [local|remote] [0] KEY
 *   crypto ikev2 profile NAME
 *     match identity remote address ADDRESS [MASK]   (0.0.0.0: any)
 *     match identity remote fqdn [domain] NAME
 *     match identity remote email [domain] NAME
 *     match identity remote key-id ID
 *     match fvrf any | match address local ADDRESS
 *     identity local address ADDRESS | fqdn NAME | email NAME | key-id ID | dn
 *     authentication local rsa-sig|pre-share|ecdsa-sig
 *     authentication remote rsa-sig|pre-share|ecdsa-sig   (repeatable)
 *     pki trustpoint NAME [sign|verify]                   (repeatable)
 *     keyring NAME | keyring local NAME
 *     lifetime SECONDS                                    (120..86400)
 *     dpd INTERVAL RETRY on-demand|periodic
 *   crypto ipsec transform-set NAME TRANSFORM...
 *       esp-aes [128|192|256] esp-gcm [128|256] esp-3des(legacy)
 *       esp-sha-hmac esp-sha256-hmac esp-sha384-hmac esp-sha512-hmac
 *       esp-md5-hmac(legacy)
 *     mode tunnel                   (transport is refused: VTIs tunnel)
 *   crypto ipsec profile NAME
 *     set transform-set NAME...     (up to 6)
 *     set ikev2-profile NAME        IKEv2 with that profile
 *     set isakmp-profile NAME       IKEv1 with that profile (not both);
 *                                   neither: IKEv1 with the global policies
 *                                   and keys, as on IOS
 *                                   (cfg_ipsec_profile_ike_version())
 *     set pfs [group2|group5|group14|...|group31]
 *     set security-association lifetime seconds N | kilobytes N|disable
 *     set security-association replay window-size N | replay disable
 *   interface ikevtiN | interface TunnelN     (TunnelN means ikevtiN)
 *     tunnel protection ipsec profile NAME [shared]
 *     tunnel source ADDRESS|INTERFACE, tunnel destination ADDRESS
 *     tunnel mode ipsec ipv4|ipv6
 *     description TEXT, shutdown
 *   hostname NAME, ip domain name D | ip domain-name D
 *                                   our FQDN is NAME.D (cfg_isakmp_fqdn())
 *
 * IKEv1 (algorithms stored as the IKEv2 IANA IDs, see cfg_isakmp_policy):
 *   crypto isakmp policy PRIORITY   1..10000, kept sorted, 1 tried first
 *     encryption|encr aes [128|192|256] | 3des(legacy)   (des: refused)
 *     hash sha|sha256|sha384|sha512|md5(legacy)          (default sha)
 *     authentication pre-share|rsa-sig                   (default rsa-sig;
 *                                   rsa-encr: refused)
 *     group 14|15|16|19|20|21, 2|5 (legacy)   (1 refused, 24 unsupported)
 *     lifetime 60..86400                                 (default 86400)
 *     A policy without encryption or group is an error (IOS's defaults,
 *     DES and group 1, are broken). No policy at all: the default suites
 *     (cfg_isakmp_default_policies()).
 *   crypto isakmp key [0] KEY address [ipv6] A [MASK] [no-xauth]
 *   crypto isakmp key [0] KEY hostname H
 *   crypto keyring NAME
 *     pre-shared-key address A [MASK] key [0] KEY
 *     pre-shared-key hostname H key [0] KEY
 *     local-address IFNAME|IP, description TEXT
 *   crypto isakmp profile NAME
 *     match identity address A [MASK] | host FQDN | host domain D
 *     match identity user-fqdn U | user-fqdn domain D    (repeatable)
 *     match certificate MAP          (the map's rules are not in effect yet)
 *     ca trust-point TP              (repeatable, in order; none: all)
 *     keyring NAME                   (repeatable; none: the global keys)
 *     self-identity address | fqdn | user-fqdn U | dn
 *     local-address IFNAME|IP
 *     initiate mode aggressive
 *     keepalive SECONDS retry RETRY  (10..3600, 2..60)
 *     lifetime SECONDS               (60..86400)
 *     client configuration group G, description TEXT
 *   crypto isakmp identity address|hostname|dn        (default address)
 *   crypto isakmp keepalive SECONDS [RETRY] [periodic|on-demand]
 *                                   (10..3600, 2..60 default 2, on-demand)
 *   crypto isakmp nat keepalive SECONDS               (5..3600; off)
 *   no crypto ipsec nat-transparency udp-encapsulation   (NAT-T off)
 *   crypto isakmp fragmentation, crypto isakmp aggressive-mode disable
 *   crypto pki certificate map NAME SEQ   accepted with a warning: its
 *     subject-name|issuer-name|alt-subject-name|unstructured-subject-name|
 *     name lines are not in effect yet
 *
 * "no" forms: "no" before a sub-mode command removes what it set (a list
 * entry, a value); "no crypto ..." is refused (edit the file instead).
 *
 * ACCEPTED AND IGNORED (a warning is reported, the line changes nothing),
 * because IOS configurations pasted from a router contain them and they
 * are another tool's business on Linux:
 *   ip route, ipv6 route, version, end;
 *   interface blocks of other interfaces (Loopback0, Ethernet0/0, ...) and
 *   their lines description, ip address, ipv6 address, shutdown, ip mtu,
 *   ip tcp adjust-mss, ip nat, negotiation, duplex, speed;
 *   in ikevti/Tunnel interfaces: ip address, ipv6 address, ip mtu,
 *   ip tcp adjust-mss (addresses are set with ip(8));
 *   in a trustpoint: enrollment, serial-number, rsakeypair, auto-enroll
 *   (ikevtid does not enroll: name the PEM files instead);
 *   in an isakmp profile: vrf, isakmp authorization (no VRFs, no Easy
 *   VPN); crypto isakmp invalid-spi-recovery.
 * Everything else unknown is an error: a gateway must not run with a typo.
 * A line that fits no mode gets one error naming the sub-mode it was
 * read in ("unknown command 'X' in 'crypto keyring K'"); the lines of a
 * block whose opening line was in error are skipped without more errors.
 * Crypto maps ("crypto map", "set peer", "match address ACL") are refused
 * with one error: ikevti is route-based (interface TunnelN with "tunnel
 * protection ipsec profile" instead).
 *
 * ERRORS are "FILE:LINE:COLUMN: error: MESSAGE" (COLUMN counts bytes from
 * 1, pointing at the offending token); cross-reference errors (a name that
 * is not defined) point at the referencing token. Any error means no
 * model: the daemon refuses to start.
 */
#ifndef IKE_CONFIG_H
#define IKE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_NAME_MAX 64
#define CFG_TEXT_MAX 256
#define CFG_LIST_MAX 8
#define CFG_MAX_DIAGS 64

/* Where a definition or a reference was written. */
struct cfg_loc {
	unsigned line;
	unsigned col;
};

/* An address with a prefix length (32/128 for a host). */
struct cfg_addr {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t bytes[16];
	uint8_t prefix;
};

/* A name that refers to another object, with where it was written. */
struct cfg_ref {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
};

enum cfg_revocation {
	CFG_REVOCATION_NONE = 1,
	CFG_REVOCATION_CRL,
	CFG_REVOCATION_OCSP,
};

struct cfg_trustpoint {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
	char ca_cert_file[CFG_TEXT_MAX];
	char cert_file[CFG_TEXT_MAX];
	char key_file[CFG_TEXT_MAX];
	char subject_name[CFG_TEXT_MAX];
	char fqdn[CFG_TEXT_MAX];
	bool has_ip;
	struct cfg_addr ip;
	enum cfg_revocation revocation[4];	/* 0-terminated, in order */
};

/* An algorithm with its key length in bits (0: fixed-size algorithm). */
struct cfg_alg {
	uint16_t id;			/* IANA transform ID */
	uint16_t key_bits;
};

struct cfg_ikev2_proposal {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
	struct cfg_alg encr[CFG_LIST_MAX];
	size_t n_encr;
	uint16_t integ[CFG_LIST_MAX];
	size_t n_integ;
	uint16_t prf[CFG_LIST_MAX];	/* empty: derived from integ */
	size_t n_prf;
	uint16_t group[CFG_LIST_MAX];
	size_t n_group;
};

struct cfg_ikev2_policy {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
	struct cfg_ref proposal[CFG_LIST_MAX];
	size_t n_proposal;
	bool has_local_addr;
	struct cfg_addr local_addr;
};

enum cfg_id_type {
	CFG_ID_NONE = 0,
	CFG_ID_ADDRESS,
	CFG_ID_FQDN,
	CFG_ID_EMAIL,
	CFG_ID_KEY_ID,
	CFG_ID_DN,
	CFG_ID_ANY,			/* match identity remote any */
};

/* An identity, or an identity pattern when "domain" is set. */
struct cfg_identity {
	enum cfg_id_type type;
	bool domain;			/* fqdn/email: match a domain suffix */
	struct cfg_addr addr;		/* CFG_ID_ADDRESS */
	char text[CFG_TEXT_MAX];	/* fqdn, email, key-id */
	struct cfg_loc loc;
};

struct cfg_keyring_peer {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
	bool has_addr;
	struct cfg_addr addr;
	char hostname[CFG_TEXT_MAX];
	struct cfg_identity identity;
	char psk_local[CFG_TEXT_MAX];	/* "pre-shared-key KEY" sets both */
	char psk_remote[CFG_TEXT_MAX];
};

struct cfg_ikev2_keyring {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
	struct cfg_keyring_peer *peers;
	size_t n_peers;
};

enum cfg_auth {
	CFG_AUTH_NONE = 0,
	CFG_AUTH_RSA_SIG,
	CFG_AUTH_PRE_SHARE,
	CFG_AUTH_ECDSA_SIG,
};

struct cfg_ikev2_profile {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
	struct cfg_identity match_remote[CFG_LIST_MAX];
	size_t n_match_remote;
	bool has_match_local_addr;
	struct cfg_addr match_local_addr;
	struct cfg_identity local_id;
	enum cfg_auth auth_local;
	enum cfg_auth auth_remote[3];
	size_t n_auth_remote;
	struct cfg_ref trustpoint[CFG_LIST_MAX];
	size_t n_trustpoint;
	bool has_keyring;
	struct cfg_ref keyring;
	uint32_t lifetime_s;		/* IOS default 86400 */
	uint32_t dpd_interval_s;	/* 0: off */
	uint32_t dpd_retry_s;
	bool dpd_periodic;
};

struct cfg_transform_set {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
	struct cfg_alg encr;		/* IANA ESP transform ID + key bits */
	uint16_t integ;			/* IKEV2_INTEG_NONE with GCM */
	bool legacy;
};

struct cfg_ipsec_profile {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
	struct cfg_ref transform_set[6];
	size_t n_transform_set;
	bool has_ikev2_profile;
	struct cfg_ref ikev2_profile;
	bool has_isakmp_profile;
	struct cfg_ref isakmp_profile;
	uint16_t pfs_group;		/* 0: no PFS */
	uint32_t lifetime_s;		/* IOS default 3600 */
	uint64_t lifetime_kb;		/* IOS default 4608000; 0: disabled */
	uint32_t replay_window;		/* 0: replay check disabled */
};

/* ---- IKEv1 (crypto isakmp) ---------------------------------------- */

/* crypto isakmp policy PRIORITY. Algorithms use the IKEv2 IANA numbers of
 * ikev2_const.h so that both versions share one vocabulary: the engine's
 * IKEv1 codec maps them onto the RFC 2409 attribute values. */
struct cfg_isakmp_policy {
	uint32_t priority;		/* 1..10000, 1 is tried first */
	struct cfg_loc loc;
	struct cfg_alg encr;		/* IKEV2_ENCR_AES_CBC + 128/192/256,
					 * IKEV2_ENCR_3DES; id 0: not set */
	uint16_t prf;			/* "hash": IKEV2_PRF_HMAC_* */
	uint16_t integ;			/* the same hash as IKEV2_INTEG_HMAC_* */
	enum cfg_auth auth;		/* CFG_AUTH_RSA_SIG (IOS default) or
					 * CFG_AUTH_PRE_SHARE */
	uint16_t group;			/* DH group number; 0: not set */
	uint32_t lifetime_s;		/* 60..86400, IOS default 86400 */
	bool legacy;			/* 3des, md5, group 2 or 5 */
	bool is_default;		/* one of the built-in default suites */
};

/* A pre-shared key for a peer: "crypto isakmp key", or a keyring's
 * "pre-shared-key". Selected by the peer's address (the longest prefix
 * wins) or, in Aggressive Mode and after MM5, by its hostname. */
struct cfg_isakmp_psk {
	struct cfg_loc loc;
	bool by_hostname;
	struct cfg_addr addr;		/* !by_hostname: address and prefix */
	char hostname[CFG_TEXT_MAX];	/* by_hostname */
	char key[CFG_TEXT_MAX];		/* wiped when the model is freed */
};

/* "local-address IFNAME | IP" of a keyring or an isakmp profile: the
 * object applies only to negotiations on that local address. */
struct cfg_local_address {
	bool set;
	bool is_ifname;
	struct cfg_addr addr;
	char ifname[CFG_NAME_MAX];
	struct cfg_loc loc;
};

/* crypto keyring NAME */
struct cfg_isakmp_keyring {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
	struct cfg_isakmp_psk *keys;
	size_t n_keys;
	struct cfg_local_address local_address;
	char description[CFG_TEXT_MAX];
};

/* crypto isakmp profile NAME. match[] uses CFG_ID_ADDRESS (match
 * identity address, addr with prefix), CFG_ID_FQDN (match identity host,
 * domain set for "host domain"), CFG_ID_EMAIL (match identity
 * user-fqdn). self_identity.type CFG_ID_NONE means "crypto isakmp
 * identity" applies; CFG_ID_FQDN with an empty text means hostname.domain
 * (cfg_isakmp_fqdn()); CFG_ID_EMAIL is user-fqdn with its text. */
struct cfg_isakmp_profile {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
	struct cfg_identity match[CFG_LIST_MAX];	/* in written order */
	size_t n_match;
	struct cfg_ref match_certificate[CFG_LIST_MAX];	/* map names */
	size_t n_match_certificate;
	struct cfg_ref trustpoint[CFG_LIST_MAX];	/* ca trust-point */
	size_t n_trustpoint;				/* 0: all of them */
	struct cfg_ref keyring[CFG_LIST_MAX];
	size_t n_keyring;				/* 0: global keys */
	struct cfg_identity self_identity;
	struct cfg_local_address local_address;
	bool initiate_aggressive;	/* initiate mode aggressive */
	uint32_t keepalive_s;		/* 0: the global keepalive */
	uint32_t keepalive_retry_s;
	uint32_t lifetime_s;		/* 0: the policy's lifetime */
	char client_group[CFG_NAME_MAX];	/* client configuration group */
	char description[CFG_TEXT_MAX];
};

/* crypto pki certificate map NAME SEQ: accepted, its rules are not in
 * effect yet; kept so that "match certificate" references resolve. */
struct cfg_cert_map {
	char name[CFG_NAME_MAX];
	struct cfg_loc loc;
};

/* The global IKEv1 settings. */
struct cfg_isakmp_global {
	enum cfg_id_type identity;	/* crypto isakmp identity: ADDRESS
					 * (default), FQDN (hostname), DN */
	struct cfg_loc identity_loc;
	uint32_t keepalive_s;		/* crypto isakmp keepalive; 0: off */
	uint32_t keepalive_retry_s;	/* 2..60, default 2 */
	bool keepalive_periodic;	/* default on-demand */
	uint32_t nat_keepalive_s;	/* crypto isakmp nat keepalive; 0: off */
	bool nat_t_disabled;		/* no crypto ipsec nat-transparency
					 * udp-encapsulation */
	bool fragmentation;		/* crypto isakmp fragmentation */
	bool aggressive_mode_disabled;	/* crypto isakmp aggressive-mode
					 * disable */
};

struct cfg_interface {
	char name[CFG_NAME_MAX];	/* "ikevtiN", also for TunnelN */
	struct cfg_loc loc;
	char written_name[CFG_NAME_MAX];	/* as in the file */
	unsigned unit;
	bool has_protection;
	struct cfg_ref ipsec_profile;
	bool has_source, has_destination;
	struct cfg_addr source, destination;
	char source_ifname[CFG_NAME_MAX];
	char description[CFG_TEXT_MAX];
	bool shutdown;
	bool tunnel_mode_ipv6;		/* tunnel mode ipsec ipv6: IKEv1 proxy
					 * IDs ::/0 instead of 0.0.0.0/0 */
};

/* The whole configuration. Never modified after cfg_parse_*() returns. */
struct cfg_model {
	char *file;
	struct cfg_trustpoint *trustpoints;
	size_t n_trustpoints;
	struct cfg_ikev2_proposal *proposals;
	size_t n_proposals;
	struct cfg_ikev2_policy *policies;
	size_t n_policies;
	struct cfg_ikev2_keyring *keyrings;
	size_t n_keyrings;
	struct cfg_ikev2_profile *profiles;
	size_t n_profiles;
	struct cfg_transform_set *transform_sets;
	size_t n_transform_sets;
	struct cfg_ipsec_profile *ipsec_profiles;
	size_t n_ipsec_profiles;
	struct cfg_interface *interfaces;
	size_t n_interfaces;
	uint32_t nat_keepalive_s;	/* crypto ikev2 nat keepalive; 0: 20 */
	/* IKEv1 */
	struct cfg_isakmp_policy *isakmp_policies;	/* by priority */
	size_t n_isakmp_policies;
	struct cfg_isakmp_psk *isakmp_keys;	/* crypto isakmp key */
	size_t n_isakmp_keys;
	struct cfg_isakmp_keyring *isakmp_keyrings;	/* crypto keyring */
	size_t n_isakmp_keyrings;
	struct cfg_isakmp_profile *isakmp_profiles;	/* in written order */
	size_t n_isakmp_profiles;
	struct cfg_cert_map *cert_maps;
	size_t n_cert_maps;
	struct cfg_isakmp_global isakmp;
	char hostname[CFG_NAME_MAX];	/* hostname NAME; "" when absent */
	char domain_name[CFG_TEXT_MAX];	/* ip domain name | ip domain-name */
};

enum cfg_severity {
	CFG_ERROR,
	CFG_WARNING,
};

struct cfg_diag {
	enum cfg_severity severity;
	struct cfg_loc loc;
	char msg[240];
};

/* What a parse produced: a model only when there was no error. */
struct cfg_result {
	const struct cfg_model *model;	/* NULL when n_errors > 0 */
	char *file;
	struct cfg_diag diags[CFG_MAX_DIAGS];
	size_t n_diags;			/* capped at CFG_MAX_DIAGS */
	size_t n_errors;		/* all errors, even past the cap */
	size_t n_warnings;
};

/* Parse text (need not be NUL-terminated); name is used in messages.
 * Returns 0 and a model, or -1 with n_errors > 0. */
int cfg_parse_buffer(const char *name, const char *text, size_t len,
		     struct cfg_result *res);
/* Parse a file; a file that cannot be read is an error at line 0. */
int cfg_parse_file(const char *path, struct cfg_result *res);
/* "FILE:LINE:COL: error: MESSAGE" into buf (always NUL-terminated). */
void cfg_format_diag(const struct cfg_result *res, size_t i, char *buf,
		     size_t size);
void cfg_result_free(struct cfg_result *res);

/* Look-ups over a model (NULL when absent). */
const struct cfg_trustpoint *cfg_find_trustpoint(const struct cfg_model *m,
						 const char *name);
const struct cfg_ikev2_proposal *cfg_find_proposal(const struct cfg_model *m,
						   const char *name);
const struct cfg_ikev2_keyring *cfg_find_keyring(const struct cfg_model *m,
						 const char *name);
const struct cfg_ikev2_profile *cfg_find_profile(const struct cfg_model *m,
						 const char *name);
const struct cfg_transform_set *
cfg_find_transform_set(const struct cfg_model *m, const char *name);
const struct cfg_ipsec_profile *
cfg_find_ipsec_profile(const struct cfg_model *m, const char *name);
const struct cfg_interface *cfg_find_interface(const struct cfg_model *m,
					       const char *name);

/* IKEv1 look-ups. */
const struct cfg_isakmp_profile *
cfg_find_isakmp_profile(const struct cfg_model *m, const char *name);
const struct cfg_isakmp_keyring *
cfg_find_isakmp_keyring(const struct cfg_model *m, const char *name);
const struct cfg_isakmp_policy *
cfg_find_isakmp_policy(const struct cfg_model *m, uint32_t priority);
/* The policies to offer and accept, in priority order: the configured
 * ones, or when there are none the built-in default suites (is_default
 * set): AES-256 / SHA-256 / group 14, with rsa-sig then pre-share. */
const struct cfg_isakmp_policy *
cfg_isakmp_policies(const struct cfg_model *m, size_t *n);
const struct cfg_isakmp_policy *cfg_isakmp_default_policies(size_t *n);
/* The most specific key for a peer address among keys[0..n) (longest
 * prefix; the first written on a tie); NULL when none covers it. */
const struct cfg_isakmp_psk *
cfg_isakmp_psk_for_addr(const struct cfg_isakmp_psk *keys, size_t n,
			const struct cfg_addr *peer);
/* The key for a peer hostname (exact, case-insensitive); NULL if none. */
const struct cfg_isakmp_psk *
cfg_isakmp_psk_for_hostname(const struct cfg_isakmp_psk *keys, size_t n,
			    const char *hostname);
/* Our FQDN as IOS builds it: "hostname.domain", or the hostname alone
 * without "ip domain name". Returns false (buf "") when no hostname is
 * configured: the engine then uses the system's host name. */
bool cfg_isakmp_fqdn(const struct cfg_model *m, char *buf, size_t size);

enum cfg_ike_version {
	CFG_IKE_V1 = 1,
	CFG_IKE_V2 = 2,
};

/* Which IKE version protects a tunnel using this ipsec profile: IKEv2
 * with "set ikev2-profile", IKEv1 with "set isakmp-profile", and, as on
 * IOS, IKEv1 with the global policies and keys when it names neither. */
enum cfg_ike_version
cfg_ipsec_profile_ike_version(const struct cfg_ipsec_profile *ip);

#endif /* IKE_CONFIG_H */
