// SPDX-License-Identifier: GPL-2.0
/*
 * ike_id: identities (RFC 7296 3.5) and the keyring: our ID payload from
 * the profile's "identity local" (IOS default: our address), the peer's
 * ID against "match identity remote", the pre-shared key for a peer, and
 * IDs as text for logs and "show".
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509.h>

#include "ikev2/ikev2.h"
#include "ikev2/identity.h"

static void addr_id(const struct ikevti_addr *a, struct ike_id *id)
{
	id->type = a->family == AF_INET6 ? IKEV2_ID_IPV6_ADDR
					 : IKEV2_ID_IPV4_ADDR;
	id->len = a->family == AF_INET6 ? 16 : 4;
	memcpy(id->data, a->raw, id->len);
}

static int text_id(uint8_t type, const char *text, struct ike_id *id)
{
	size_t n = strlen(text);

	if (n > sizeof(id->data))
		return -1;
	id->type = type;
	id->len = n;
	memcpy(id->data, text, n);
	return 0;
}

int ike_id_local(const struct ike_sa *sa, X509 *cert, struct ike_id *id)
{
	const struct cfg_identity *li = &sa->t->prof->local_id;
	unsigned char *p;
	int n;

	memset(id, 0, sizeof(*id));
	switch (li->type) {
	case CFG_ID_ADDRESS: {
		struct ikevti_addr a = { .family = li->addr.family };

		memcpy(a.raw, li->addr.bytes, 16);
		addr_id(&a, id);
		return 0;
	}
	case CFG_ID_FQDN: return text_id(IKEV2_ID_FQDN, li->text, id);
	case CFG_ID_EMAIL: return text_id(IKEV2_ID_RFC822_ADDR, li->text, id);
	case CFG_ID_KEY_ID: return text_id(IKEV2_ID_KEY_ID, li->text, id);
	case CFG_ID_DN:
		if (!cert)
			return -1;
		n = i2d_X509_NAME(X509_get_subject_name(cert), NULL);
		if (n <= 0 || (size_t)n > sizeof(id->data))
			return -1;
		p = id->data;
		i2d_X509_NAME(X509_get_subject_name(cert), &p);
		id->type = IKEV2_ID_DER_ASN1_DN;
		id->len = (size_t)n;
		return 0;
	case CFG_ID_NONE:
	case CFG_ID_ANY:	/* a match pattern, never a local ID */
		break;
	}
	/* IOS: with no "identity local", the ID is the local address. */
	addr_id(&sa->t->info.local, id);
	return 0;
}

bool ike_profile_matches(const struct cfg_ikev2_profile *p, uint8_t type,
			 const uint8_t *data, size_t len)
{
	if (!p->n_match_remote)
		return true;
	for (size_t i = 0; i < p->n_match_remote; i++)
		if (ike_id_matches(&p->match_remote[i], type, data, len))
			return true;
	return false;
}

static int addr_prefix_match(const struct cfg_keyring_peer *kp,
			     const struct ikevti_addr *a)
{
	uint8_t type = a->family == AF_INET6 ? IKEV2_ID_IPV6_ADDR
					     : IKEV2_ID_IPV4_ADDR;

	if (!kp->has_addr ||
	    !ike_addr_in_prefix(&kp->addr, type, a->raw, ikevti_addr_len(a)))
		return -1;
	return kp->addr.prefix;
}

/* The keyring entry for a peer: one whose identity is the peer's ID
 * first (responder, once IDi is known), else the longest address match
 * on the tunnel's remote address (what IOS does). */
const struct cfg_keyring_peer *ike_keyring_peer(const struct ike_sa *sa,
						const struct ike_id *peer_id)
{
	const struct cfg_ikev2_profile *p = sa->t->prof;
	const struct cfg_ikev2_keyring *kr;
	const struct cfg_keyring_peer *best = NULL;
	int best_len = -1;

	if (!p->has_keyring ||
	    !(kr = cfg_find_keyring(sa->e->model, p->keyring.name)))
		return NULL;
	for (size_t i = 0; peer_id && i < kr->n_peers; i++)
		if (kr->peers[i].identity.type != CFG_ID_NONE &&
		    ike_id_matches(&kr->peers[i].identity, peer_id->type,
				   peer_id->data, peer_id->len))
			return &kr->peers[i];
	for (size_t i = 0; i < kr->n_peers; i++) {
		int l = addr_prefix_match(&kr->peers[i], &sa->t->info.remote);

		if (l > best_len) {
			best_len = l;
			best = &kr->peers[i];
		}
	}
	return best;
}
