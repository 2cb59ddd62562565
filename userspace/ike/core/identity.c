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

#include "core/engine_int.h"
#include "core/identity.h"

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

void ike_id_str(uint8_t type, const uint8_t *data, size_t len, char *buf,
		size_t size)
{
	char a[INET6_ADDRSTRLEN];
	const unsigned char *p = data;
	X509_NAME *n;

	snprintf(buf, size, "?");
	switch (type) {
	case IKEV2_ID_IPV4_ADDR:
		if (len == 4 && inet_ntop(AF_INET, data, a, sizeof(a)))
			snprintf(buf, size, "%s", a);
		break;
	case IKEV2_ID_IPV6_ADDR:
		if (len == 16 && inet_ntop(AF_INET6, data, a, sizeof(a)))
			snprintf(buf, size, "%s", a);
		break;
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
	case IKEV2_ID_KEY_ID:
		snprintf(buf, size, "%.*s", (int)(len > 200 ? 200 : len),
			 (const char *)data);
		for (char *c = buf; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				*c = '.';
		break;
	case IKEV2_ID_DER_ASN1_DN:
		n = d2i_X509_NAME(NULL, &p, (long)len);
		if (n)
			pki_name_str(n, buf, size);
		X509_NAME_free(n);
		break;
	}
}

static bool addr_in(const struct cfg_addr *net, uint8_t type,
		    const uint8_t *data, size_t len)
{
	size_t alen = net->family == AF_INET ? 4 : 16;
	uint8_t pfx = net->prefix;

	if ((net->family == AF_INET) != (type == IKEV2_ID_IPV4_ADDR) ||
	    len != alen)
		return false;
	for (size_t i = 0; i < alen && pfx; i++) {
		uint8_t mask = pfx >= 8 ? 0xff : (uint8_t)(0xff << (8 - pfx));

		if ((net->bytes[i] ^ data[i]) & mask)
			return false;
		pfx = pfx >= 8 ? pfx - 8 : 0;
	}
	return true;
}

static bool text_match(const struct cfg_identity *want, const uint8_t *data,
		       size_t len, char sep)
{
	size_t wl = strlen(want->text);

	if (!want->domain)
		return wl == len && !strncasecmp(want->text,
						 (const char *)data, len);
	/* A domain: the ID ends in it, after a dot (fqdn) or '@' (email). */
	if (len < wl || strncasecmp(want->text, (const char *)data + len - wl,
				    wl))
		return false;
	return len == wl || data[len - wl - 1] == (uint8_t)sep ||
	       want->text[0] == '.' || want->text[0] == '@';
}

bool ike_id_matches(const struct cfg_identity *want, uint8_t type,
		    const uint8_t *data, size_t len)
{
	switch (want->type) {
	case CFG_ID_ADDRESS:
		return (type == IKEV2_ID_IPV4_ADDR ||
			type == IKEV2_ID_IPV6_ADDR) &&
		       addr_in(&want->addr, type, data, len);
	case CFG_ID_FQDN:
		return type == IKEV2_ID_FQDN && text_match(want, data, len, '.');
	case CFG_ID_EMAIL:
		return type == IKEV2_ID_RFC822_ADDR &&
		       text_match(want, data, len, '@');
	case CFG_ID_KEY_ID:
		return type == IKEV2_ID_KEY_ID &&
		       strlen(want->text) == len &&
		       !memcmp(want->text, data, len);
	case CFG_ID_ANY:
		return true;
	default:
		return false;
	}
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
	    !addr_in(&kp->addr, type, a->raw, ikevti_addr_len(a)))
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
