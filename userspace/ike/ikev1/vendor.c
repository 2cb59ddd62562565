// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv1 vendor IDs ikevti sends and recognises. Most are MD5 hashes
 * of a string, published in the documents that define them; the hash
 * is written out so that nothing here depends on MD5 at run time.
 *
 * Some peers add bytes after a known ID (version or capability bits):
 * those are recognised by their prefix (match_len shorter than the
 * table entry's length means "at least this much, then anything").
 */
#include <string.h>

#include "ikev1/codec.h"

struct vendor {
	enum v1_vendor id;
	const char *name;
	const uint8_t *vid;
	size_t len;			/* what we send */
	size_t match_len;		/* compared on receipt */
	bool prefix;			/* longer IDs with this prefix match */
};

#define VID(...) ((const uint8_t[]){ __VA_ARGS__ })

static const struct vendor vendors[] = {
	/* RFC 3947 section 3.1: MD5("RFC 3947") */
	{ V1_VID_NATT_RFC3947, "RFC 3947 NAT-T",
	  VID(0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	      0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f), 16, 16, false },
	/* MD5("draft-ietf-ipsec-nat-t-ike-02") */
	{ V1_VID_NATT_DRAFT_02, "draft-ietf-ipsec-nat-t-ike-02",
	  VID(0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8,
	      0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48), 16, 16, false },
	/* The draft printed the hash of its name with a newline; IOS and
	 * others send that one too. */
	{ V1_VID_NATT_DRAFT_02, "draft-ietf-ipsec-nat-t-ike-02\\n",
	  VID(0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e,
	      0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f), 16, 16, false },
	/* MD5("draft-ietf-ipsec-nat-t-ike-03") */
	{ V1_VID_NATT_DRAFT_03, "draft-ietf-ipsec-nat-t-ike-03",
	  VID(0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f,
	      0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56), 16, 16, false },
	/* MD5("draft-ietf-ipsec-nat-t-ike-00") */
	{ V1_VID_NATT_DRAFT_00, "draft-ietf-ipsec-nat-t-ike-00",
	  VID(0x44, 0x85, 0x15, 0x2d, 0x18, 0xb6, 0xbb, 0xcd,
	      0x0b, 0xe8, 0xa8, 0x46, 0x95, 0x79, 0xdd, 0xcc), 16, 16, false },
	/* RFC 3706 section 5.1; the last two bytes are its version 1.0 */
	{ V1_VID_DPD, "RFC 3706 DPD",
	  VID(0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	      0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00), 16, 16, true },
	/* MD5("FRAGMENTATION"); IOS and strongSwan append 4 bytes of
	 * capability flags (0x80000000: fragmentation in phase 1), which
	 * we send the same way. */
	{ V1_VID_FRAGMENTATION, "FRAGMENTATION",
	  VID(0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
	      0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3,
	      0x80, 0x00, 0x00, 0x00), 20, 16, true },
	/* MD5("CISCO-UNITY") with its last two bytes replaced by the
	 * version (1.0); other versions share the first 14 bytes. */
	{ V1_VID_CISCO_UNITY, "Cisco Unity",
	  VID(0x12, 0xf5, 0xf2, 0x8c, 0x45, 0x71, 0x68, 0xa9,
	      0x70, 0x2d, 0x9f, 0xe2, 0x74, 0xcc, 0x01, 0x00), 16, 14, true },
	/* The first 8 bytes of MD5("draft-ietf-ipsra-isakmp-xauth-06.txt") */
	{ V1_VID_XAUTH, "XAUTH",
	  VID(0x09, 0x00, 0x26, 0x89, 0xdf, 0xd6, 0xb7, 0x12), 8, 8, false },
	/* Ours: MD5("ikevti"), so that two ikevti gateways know each
	 * other in the logs. */
	{ V1_VID_IKEVTI, "ikevti",
	  VID(0x8b, 0x4d, 0xf2, 0xfa, 0x37, 0xd5, 0xa3, 0xec,
	      0xdc, 0xc8, 0x37, 0x22, 0x04, 0x0b, 0xa4, 0x91), 16, 16, false },
};

#define N_VENDORS (sizeof(vendors) / sizeof(vendors[0]))

static bool matches(const struct vendor *v, const uint8_t *vid, size_t len)
{
	if (len < v->match_len || (!v->prefix && len != v->match_len))
		return false;
	return memcmp(vid, v->vid, v->match_len) == 0;
}

enum v1_vendor v1_vendor_of(const uint8_t *vid, size_t len)
{
	for (size_t i = 0; i < N_VENDORS; i++)
		if (matches(&vendors[i], vid, len))
			return vendors[i].id;
	return V1_VID_UNKNOWN;
}

const uint8_t *v1_vendor_id(enum v1_vendor v, size_t *len)
{
	for (size_t i = 0; i < N_VENDORS; i++)
		if (vendors[i].id == v) {
			*len = vendors[i].len;
			return vendors[i].vid;
		}
	*len = 0;
	return NULL;
}

const char *v1_vendor_name(enum v1_vendor v)
{
	for (size_t i = 0; i < N_VENDORS; i++)
		if (vendors[i].id == v)
			return vendors[i].name;
	return "unknown";
}
