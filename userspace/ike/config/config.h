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
 * Entering "crypto ... NAME" again edits the existing object, as IOS does.
 *
 * Global commands:
 *   crypto pki trustpoint NAME
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
 *     set ikev2-profile NAME
 *     set pfs [group2|group5|group14|...|group31]
 *     set security-association lifetime seconds N | kilobytes N|disable
 *     set security-association replay window-size N | replay disable
 *   interface ikevtiN | interface TunnelN     (TunnelN means ikevtiN)
 *     tunnel protection ipsec profile NAME [shared]
 *     tunnel source ADDRESS|INTERFACE, tunnel destination ADDRESS
 *     tunnel mode ipsec ipv4|ipv6
 *     description TEXT, shutdown
 *
 * "no" forms: "no" before a sub-mode command removes what it set (a list
 * entry, a value); "no crypto ..." is refused (edit the file instead).
 *
 * ACCEPTED AND IGNORED (a warning is reported, the line changes nothing),
 * because IOS configurations pasted from a router contain them and they
 * are another tool's business on Linux:
 *   hostname, ip route, ipv6 route, ip domain-name, version, end;
 *   interface blocks of other interfaces (Loopback0, Ethernet0/0, ...) and
 *   their lines description, ip address, ipv6 address, shutdown, ip mtu,
 *   ip tcp adjust-mss, ip nat, negotiation, duplex, speed;
 *   in ikevti/Tunnel interfaces: ip address, ipv6 address, ip mtu,
 *   ip tcp adjust-mss (addresses are set with ip(8));
 *   in a trustpoint: enrollment, serial-number, rsakeypair, auto-enroll
 *   (ikevtid does not enroll: name the PEM files instead);
 *   crypto isakmp policy / crypto isakmp profile blocks, crypto isakmp
 *   keepalive / nat keepalive / fragmentation / identity and
 *   "set isakmp-profile" (IKEv1: parsed by a later version; a warning
 *   says the block or line is not in effect).
 * Everything else unknown is an error: a gateway must not run with a typo.
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
	uint16_t pfs_group;		/* 0: no PFS */
	uint32_t lifetime_s;		/* IOS default 3600 */
	uint64_t lifetime_kb;		/* IOS default 4608000; 0: disabled */
	uint32_t replay_window;		/* 0: replay check disabled */
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

#endif /* IKE_CONFIG_H */
