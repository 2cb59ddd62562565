// SPDX-License-Identifier: GPL-2.0
/*
 * identity: ID payload contents of both versions (the ID type numbers are
 * the same in RFC 2407 4.6.2.1 and RFC 7296 3.5 for every type we use): as
 * text for logs and show, and matched against a configured identity
 * pattern ("match identity ...": an address within a prefix, an FQDN or
 * e-mail address or a domain of them, a key ID, anything).
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509.h>

#include "core/core.h"
#include "pki/pki.h"

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

bool ike_addr_in_prefix(const struct cfg_addr *net, uint8_t type,
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
		       ike_addr_in_prefix(&want->addr, type, data, len);
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
