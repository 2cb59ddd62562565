/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trustpoints, the ordered certificate store, every CERT_REQ rule of
 * IKEv1 and IKEv2, certificate choice, chain validation and identity
 * checks (architecture.md decision 5; the rules are those of
 * /work/shared/spec/cisco-semantics.md). Pure functions over a loaded
 * store: no sockets, no clock (the caller passes the time).
 *
 * STORE ORDER. Every certificate of every trustpoint (the CA certificate
 * and, when enrolled, our own) is one entry of a list sorted the way
 * "show crypto pki certificates" prints it: most recently enrolled first,
 * enrollment time being the certificate's notBefore. Ties keep the
 * later-declared trustpoint first; within one trustpoint a tie puts our
 * certificate before the CA's (it can only have been enrolled after the
 * CA was authenticated). The TRUSTPOINT ORDER used for CERT_REQ is the
 * order in which trustpoints first appear in that list. We keep the list
 * ourselves: an OpenSSL X509_STORE has no insertion order.
 *
 * "FIRST MATCH". IOS picks its certificate from the first received
 * CERT_REQ (in received order) that names the CA of a trustpoint it may
 * use, not from the first trustpoint of its own list: only that reading
 * reproduces the documented failure (R1's CERTREQ lists TP2 before TP1,
 * R2's profile lists TP1 then TP2, R2 signs with TP2 and R1, which
 * trusts only TP1, fails the authentication). The IKEv2 responder is the
 * exception the specification spells out: the first trustpoint OF ITS
 * PROFILE that the initiator's CERTREQ asked for.
 *
 * DEFAULT. When no received CERT_REQ names a usable CA (an empty CERTREQ
 * from Libreswan, unknown CAs only, none at all), the first trustpoint
 * of the profile (as listed) with a certificate, or of the store (in
 * store order) when the profile lists none, is used; pki_choice.defaulted
 * is set and pki_choice.why says why, for the log.
 *
 * Not done here: revocation (CRL/OCSP need I/O; the configured mode is in
 * the config model), certificate maps, hash-and-URL.
 */
#ifndef IKE_PKI_H
#define IKE_PKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "config/config.h"

#define PKI_MAX_TRUSTPOINTS 64
#define PKI_HASH_LEN 20			/* SHA-1 (RFC 7296 3.7) */
#define PKI_WHY_MAX 320

struct pki_trustpoint {
	char name[CFG_NAME_MAX];
	X509 *ca;
	/* SHA-1 of the CA certificate's DER SubjectPublicKeyInfo: what an
	 * IKEv2 CERTREQ carries (RFC 7296 3.7). */
	uint8_t ca_hash[PKI_HASH_LEN];
	X509 *cert;			/* ours; NULL: CA only */
	EVP_PKEY *key;			/* its private key */
};

/* One certificate of the store: which trustpoint, ours or the CA's. */
struct pki_entry {
	size_t tp;
	bool is_ca;
};

struct pki_store {
	/* In declaration order. */
	struct pki_trustpoint tp[PKI_MAX_TRUSTPOINTS];
	size_t n_tp;
	/* Every certificate, in store order. */
	struct pki_entry entry[2 * PKI_MAX_TRUSTPOINTS];
	size_t n_entry;
	/* Trustpoint order (CERT_REQ): indices into tp. */
	size_t order[PKI_MAX_TRUSTPOINTS];
};

/* Trustpoint indices, in a meaningful order (profile or store order). */
struct pki_set {
	size_t idx[PKI_MAX_TRUSTPOINTS];
	size_t n;
	bool from_profile;		/* false: "all global trustpoints" */
};

struct pki_choice {
	int tp;			/* index into store->tp; -1: none */
	bool defaulted;		/* no CERT_REQ named a usable CA */
	char why[PKI_WHY_MAX];		/* the decision, for the log */
};

/* ---- building the store ---- */

struct pki_store *pki_store_new(void);
void pki_store_free(struct pki_store *s);
/* Add a trustpoint (declaration order = call order). Takes its own
 * references. Checks that cert is issued and signed by ca and that key
 * is cert's private key, RSA or ECDSA P-256/384/521. Returns 0, or -1
 * with the reason in err. */
int pki_store_add(struct pki_store *s, const char *name, X509 *ca,
		  X509 *cert, EVP_PKEY *key, char *err, size_t err_len);
/* Every trustpoint of a model, from its PEM files. */
int pki_store_load(const struct cfg_model *m, struct pki_store **out,
		   char *err, size_t err_len);
/* Index of a trustpoint by name, -1 when absent. */
int pki_find(const struct pki_store *s, const char *name);

/* ---- sets ---- */

/* All trustpoints, in trustpoint (store) order. */
void pki_set_all(const struct pki_store *s, struct pki_set *out);
/* A profile's list, as written; all global ones (store order) when the
 * list is empty. -1 with err for a name the store does not have. */
int pki_set_from_refs(const struct pki_store *s, const struct cfg_ref *refs,
		      size_t n, struct pki_set *out, char *err,
		      size_t err_len);
/* The members of a set, re-ordered into trustpoint (store) order. */
void pki_set_store_order(const struct pki_store *s, const struct pki_set *in,
			 struct pki_set *out);

/* ---- IKEv2 ---- */

/* CERTREQ content for the CAs of a set (NULL: all global trustpoints),
 * in store order, each SHA-1 once. Returns the byte count, or 0 when
 * cap is too small or there is no trustpoint. */
size_t pki_ikev2_certreq(const struct pki_store *s, const struct pki_set *set,
			 uint8_t *out, size_t cap);
/* A received CERTREQ (encoding X509_SIG) must be whole SHA-1 hashes. */
int pki_ikev2_certreq_check(const uint8_t *data, size_t len, char *err,
			    size_t err_len);
/* Initiator: profile `pki trustpoint` refs (none is an error: "profile X
 * has no pki trustpoint: cannot choose a certificate"), received hashes
 * (may be empty). */
int pki_ikev2_choose_initiator(const struct pki_store *s,
			       const char *profile,
			       const struct cfg_ref *refs, size_t n_refs,
			       const uint8_t *hashes, size_t hashes_len,
			       struct pki_choice *out);
/* Responder: first trustpoint of the profile (all global ones in store
 * order when it lists none) that the initiator's CERTREQ asked for. */
int pki_ikev2_choose_responder(const struct pki_store *s,
			       const char *profile,
			       const struct cfg_ref *refs, size_t n_refs,
			       const uint8_t *hashes, size_t hashes_len,
			       struct pki_choice *out);

/* ---- IKEv1 (one CERT_REQ per CA, each naming the CA's subject DN) ---- */

/* Initiator's MM3 list: the profile's `ca trust-point` list or all
 * global trustpoints, in store order. */
int pki_ikev1_certreq_initiator(const struct pki_store *s,
				const struct cfg_ref *ca_trust_points,
				size_t n, struct pki_set *out, char *err,
				size_t err_len);
/* Responder's MM4 list: all global trustpoints in store order, always. */
void pki_ikev1_certreq_responder(const struct pki_store *s,
				 struct pki_set *out);
/* Choose the signing trustpoint from received CERT_REQs (DER subject
 * DNs, in received order): first one naming the CA of a usable
 * trustpoint; restricted to refs when n_refs > 0 (initiator with
 * `ca trust-point`), unrestricted otherwise. */
int pki_ikev1_choose(const struct pki_store *s, const char *profile,
		     const struct cfg_ref *refs, size_t n_refs,
		     const uint8_t *const *dns, const size_t *dn_lens,
		     size_t n_dns, struct pki_choice *out);

/* ---- validation ---- */

/* Validate peer (+ untrusted intermediates, may be NULL) against the CA
 * certificates of set, at time now. Returns 0 and the anchoring
 * trustpoint in *anchor (may be NULL), or -1 and a reason ("certificate
 * has expired", "issued by ..., not a CA of trustpoint(s) ..."). */
int pki_verify_peer(const struct pki_store *s, const struct pki_set *set,
		    X509 *peer, STACK_OF(X509) *intermediates, time_t now,
		    int *anchor, char *why, size_t why_len);
/* Does the peer's ID payload (RFC 7296 3.5 types, equal in IKEv1) name
 * this certificate? DN: the subject; IPv4/IPv6: a subjectAltName
 * iPAddress; FQDN: a dNSName; RFC822: an rfc822Name (both without
 * regard to case). KEY_ID cannot be bound to a certificate. */
int pki_check_id(X509 *cert, uint8_t id_type, const uint8_t *id,
		 size_t id_len, char *why, size_t why_len);

/* ---- log lines (IOS vocabulary), truncated to len ---- */

/* "constructing CERT_REQ for issuer CN=IOSCA2,O=Example (TP2); ..." for
 * the CAs of a set (NULL: all global), in store order. */
void pki_describe_certreq_sent(const struct pki_store *s,
			       const struct pki_set *set, char *buf,
			       size_t len);
/* A received IKEv2 CERTREQ, in received order: "peer wants cert issued
 * by CN=IOSCA2,O=Example (TP2); peer wants cert issued by an unknown CA
 * (SHA-1 ab12...)"; "empty CERTREQ" when there is none. */
void pki_describe_certreq_received(const struct pki_store *s,
				   const uint8_t *hashes, size_t hashes_len,
				   char *buf, size_t len);

/* ---- helpers ---- */

/* A DER certificate (CERT payload, encoding 4); NULL when invalid. */
X509 *pki_cert_from_der(const uint8_t *der, size_t len);
/* "CN=R1,O=Example" for logs; "?" when it cannot be printed. */
void pki_name_str(const X509_NAME *name, char *buf, size_t len);

#endif /* IKE_PKI_H */
