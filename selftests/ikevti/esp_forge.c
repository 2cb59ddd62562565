// SPDX-License-Identifier: GPL-2.0
/*
 * esp_forge: build ESP packets (RFC 4303, tunnel mode) with AES-GCM
 * (RFC 4106) from a known key, correct or broken on purpose, and send
 * them over a raw socket of the current network namespace.
 *
 * The inner packet is an ICMP (or ICMPv6) echo request, so a correctly
 * forged packet is decrypted by the receiver and answered. The --mangle
 * option picks one defect to put in: a wrong ICV, corrupted ciphertext,
 * truncation, bad padding, a pad length past the payload, a bad next
 * header, a dummy packet (next header 59) or sequence number 0.
 * With --udp SPORT:DPORT the ESP packets travel in UDP (RFC 3948)
 * instead, from a UDP socket bound to SPORT.
 *
 * "esp_forge --selftest" checks the packet builder and OpenSSL's GCM
 * against the published ESP test cases of draft-mcgrew-gcm-test-01 and
 * test case 4 of the GCM specification (McGrew and Viega).
 *
 * Exit status: 0 sent (or selftest passed), 1 error, 2 usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#define ESP_HDR_LEN	8	/* SPI + sequence number */
#define ESP_IV_LEN	8	/* RFC 4106 explicit IV */
#define ESP_ICV_LEN	16	/* RFC 4106 ICV, the 16-byte variant */
#define GCM_SALT_LEN	4
#define GCM_NONCE_LEN	12
#define INNER_MAX	2048
#define PKT_MAX		(ESP_HDR_LEN + ESP_IV_LEN + INNER_MAX + 255 + 2 + \
			 ESP_ICV_LEN)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define NEXTHDR_IPV4	4
#define NEXTHDR_IPV6	41
#define NEXTHDR_NONE	59

enum mangle {
	MANGLE_NONE,
	MANGLE_ICV,
	MANGLE_CIPHERTEXT,
	MANGLE_TRUNCATE,
	MANGLE_BAD_PAD,
	MANGLE_PAD_TOO_LONG,
	MANGLE_BAD_NEXTHDR,
	MANGLE_NEXTHDR_59,
	MANGLE_ZERO_SEQ,
};

static const char *const mangle_names[] = {
	[MANGLE_NONE] = "none",
	[MANGLE_ICV] = "icv",
	[MANGLE_CIPHERTEXT] = "ciphertext",
	[MANGLE_TRUNCATE] = "truncate",
	[MANGLE_BAD_PAD] = "bad-pad",
	[MANGLE_PAD_TOO_LONG] = "pad-too-long",
	[MANGLE_BAD_NEXTHDR] = "bad-nexthdr",
	[MANGLE_NEXTHDR_59] = "nexthdr-59",
	[MANGLE_ZERO_SEQ] = "zero-seq",
};

/* One AES-GCM ESP SA, as far as the sender needs it. */
struct esp_sa {
	uint8_t key[32];
	size_t key_len;
	uint8_t salt[GCM_SALT_LEN];
	uint32_t spi;
	bool esn;
};

/* How the plaintext trailer of one packet is built. */
struct esp_trailer {
	uint8_t next_header;
	int pad_len;		/* -1: the minimum for 4-byte alignment */
	bool bad_pad;		/* pad bytes not 1, 2, 3, ... */
	bool pad_too_long;	/* pad length byte beyond the payload */
};

/* The inner echo request. */
struct inner_spec {
	int family;			/* AF_INET or AF_INET6 */
	struct in_addr src4, dst4;
	struct in6_addr src6, dst6;
	uint16_t ip_id;			/* IPv4 identification */
	uint8_t ttl;
	uint16_t echo_id, echo_seq;
	size_t payload_len;
};

/* ---- small helpers ---------------------------------------------------- */

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static int hex_nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse hex (an optional 0x prefix) into buf; returns the length or -1. */
static ssize_t parse_hex(const char *s, uint8_t *buf, size_t size)
{
	size_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (strlen(s) % 2 || strlen(s) / 2 > size)
		return -1;
	for (; *s; s += 2) {
		int hi = hex_nibble(s[0]), lo = hex_nibble(s[1]);

		if (hi < 0 || lo < 0)
			return -1;
		buf[n++] = (uint8_t)(hi << 4 | lo);
	}
	return (ssize_t)n;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

/* RFC 1071 one's complement sum, continued from sum. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* ---- the inner packet ------------------------------------------------- */

/*
 * The echo payload: the pattern Windows ping sends, which is also what
 * the ICMP packet of draft-mcgrew-gcm-test-01 test case 4 carries.
 */
static void fill_payload(uint8_t *p, size_t len)
{
	static const char pattern[] = "abcdefghijklmnopqrstuvw";
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)pattern[i % (sizeof(pattern) - 1)];
}

/* An IPv4 ICMP echo request; returns its length, 0 if it does not fit. */
static size_t build_icmp4(uint8_t *buf, size_t size,
			  const struct inner_spec *in)
{
	size_t len = 20 + 8 + in->payload_len;
	uint8_t *icmp = buf + 20;

	if (len > size || len > 0xffff)
		return 0;
	memset(buf, 0, 28);
	buf[0] = 0x45;				/* version 4, IHL 5 */
	put_be16(buf + 2, (uint16_t)len);
	put_be16(buf + 4, in->ip_id);
	buf[8] = in->ttl;
	buf[9] = IPPROTO_ICMP;
	memcpy(buf + 12, &in->src4, 4);
	memcpy(buf + 16, &in->dst4, 4);
	put_be16(buf + 10, csum_fold(csum_add(0, buf, 20)));

	icmp[0] = 8;				/* echo request */
	put_be16(icmp + 4, in->echo_id);
	put_be16(icmp + 6, in->echo_seq);
	fill_payload(icmp + 8, in->payload_len);
	put_be16(icmp + 2, csum_fold(csum_add(0, icmp, 8 + in->payload_len)));
	return len;
}

/* An IPv6 ICMPv6 echo request; returns its length, 0 if it does not fit. */
static size_t build_icmp6(uint8_t *buf, size_t size,
			  const struct inner_spec *in)
{
	size_t plen = 8 + in->payload_len, len = 40 + plen;
	uint8_t *icmp = buf + 40, pseudo[8];
	uint32_t sum;

	if (len > size || plen > 0xffff)
		return 0;
	memset(buf, 0, 48);
	buf[0] = 0x60;				/* version 6 */
	put_be16(buf + 4, (uint16_t)plen);
	buf[6] = IPPROTO_ICMPV6;
	buf[7] = in->ttl;
	memcpy(buf + 8, &in->src6, 16);
	memcpy(buf + 24, &in->dst6, 16);

	icmp[0] = 128;				/* echo request */
	put_be16(icmp + 4, in->echo_id);
	put_be16(icmp + 6, in->echo_seq);
	fill_payload(icmp + 8, in->payload_len);

	/* RFC 8200 8.1 pseudo-header: addresses, length, next header. */
	put_be32(pseudo, (uint32_t)plen);
	memset(pseudo + 4, 0, 3);
	pseudo[7] = IPPROTO_ICMPV6;
	sum = csum_add(0, buf + 8, 32);
	sum = csum_add(sum, pseudo, sizeof(pseudo));
	sum = csum_add(sum, icmp, plen);
	put_be16(icmp + 2, csum_fold(sum));
	return len;
}

/* ---- ESP -------------------------------------------------------------- */

static const EVP_CIPHER *gcm_cipher(size_t key_len)
{
	switch (key_len) {
	case 16:
		return EVP_aes_128_gcm();
	case 24:
		return EVP_aes_192_gcm();
	case 32:
		return EVP_aes_256_gcm();
	}
	return NULL;
}

/* AES-GCM encryption with a 12-byte nonce and a 16-byte tag. */
static int gcm_seal(const uint8_t *key, size_t key_len,
		    const uint8_t nonce[GCM_NONCE_LEN],
		    const uint8_t *aad, size_t aad_len,
		    const uint8_t *pt, size_t pt_len,
		    uint8_t *ct, uint8_t tag[ESP_ICV_LEN])
{
	const EVP_CIPHER *cipher = gcm_cipher(key_len);
	EVP_CIPHER_CTX *ctx;
	int len, ret = -1;

	if (!cipher || pt_len > INT_MAX || aad_len > INT_MAX)
		return -1;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -1;
	if (EVP_EncryptInit_ex(ctx, cipher, NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, GCM_NONCE_LEN,
				NULL) != 1 ||
	    EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) != 1)
		goto out;
	if (aad_len &&
	    EVP_EncryptUpdate(ctx, NULL, &len, aad, (int)aad_len) != 1)
		goto out;
	len = 0;
	if (pt_len &&
	    EVP_EncryptUpdate(ctx, ct, &len, pt, (int)pt_len) != 1)
		goto out;
	if ((size_t)len != pt_len)
		goto out;
	if (EVP_EncryptFinal_ex(ctx, ct + len, &len) != 1 || len != 0)
		goto out;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, ESP_ICV_LEN,
				tag) != 1)
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

/*
 * Build one ESP packet: SPI, sequence number (low 32 bits), IV, the
 * encrypted inner packet with its trailer, ICV. With ESN the high 32 bits
 * of seq enter the AAD only (RFC 4106 5, RFC 4304). Returns the length,
 * or 0 on error.
 */
static size_t esp_build(uint8_t *out, size_t size, const struct esp_sa *sa,
			uint64_t seq, const uint8_t iv[ESP_IV_LEN],
			const uint8_t *inner, size_t inner_len,
			const struct esp_trailer *tr)
{
	uint8_t pt[INNER_MAX + 255 + 2], nonce[GCM_NONCE_LEN], aad[12];
	size_t pad, pt_len, aad_len, i, len;

	if (inner_len > INNER_MAX)
		return 0;
	if (tr->pad_len >= 0) {
		if (tr->pad_len > 255)
			return 0;
		pad = (size_t)tr->pad_len;
	} else {
		/* RFC 4303 2.4: pad length and next header end 4-aligned. */
		pad = (4 - (inner_len + 2) % 4) % 4;
		if (tr->bad_pad && pad < 2)
			pad += 4;
	}
	pt_len = inner_len + pad + 2;
	len = ESP_HDR_LEN + ESP_IV_LEN + pt_len + ESP_ICV_LEN;
	if (len > size)
		return 0;

	memcpy(pt, inner, inner_len);
	for (i = 0; i < pad; i++) {
		pt[inner_len + i] = (uint8_t)(i + 1);
		if (tr->bad_pad)
			pt[inner_len + i] ^= 0x80;
	}
	pt[inner_len + pad] = (uint8_t)pad;
	if (tr->pad_too_long) {
		if (pt_len > 256)
			return 0;	/* 255 would not reach past the start */
		pt[inner_len + pad] = 255;
	}
	pt[inner_len + pad + 1] = tr->next_header;

	put_be32(out, sa->spi);
	put_be32(out + 4, (uint32_t)seq);
	memcpy(out + ESP_HDR_LEN, iv, ESP_IV_LEN);

	memcpy(nonce, sa->salt, GCM_SALT_LEN);
	memcpy(nonce + GCM_SALT_LEN, iv, ESP_IV_LEN);
	put_be32(aad, sa->spi);
	if (sa->esn) {
		put_be32(aad + 4, (uint32_t)(seq >> 32));
		put_be32(aad + 8, (uint32_t)seq);
		aad_len = 12;
	} else {
		put_be32(aad + 4, (uint32_t)seq);
		aad_len = 8;
	}
	if (gcm_seal(sa->key, sa->key_len, nonce, aad, aad_len, pt, pt_len,
		     out + ESP_HDR_LEN + ESP_IV_LEN,
		     out + ESP_HDR_LEN + ESP_IV_LEN + pt_len))
		return 0;
	return len;
}

/* ---- known answers ---------------------------------------------------- */

struct esp_kat {
	const char *name;
	const char *key;	/* key || salt */
	uint32_t spi;
	uint64_t seq;
	bool esn;
	const char *iv;
	const char *inner;	/* NULL: build the echo request below */
	uint8_t next_header;
	const char *packet;	/* the whole ESP packet */
};

/*
 * draft-mcgrew-gcm-test-01, section 4 (the ESP packets of test cases
 * 1 to 4); their next header is 1. Case 4's inner packet is an ICMP
 * echo request that build_icmp4() must reproduce, checksums included.
 */
static const struct esp_kat esp_kats[] = {
	{
		"draft-mcgrew-gcm-test-01 case 1 (AES-128, ESN)",
		"4c80cdefbb5d10da906ac73c3613a634" "2e443b68",
		0x4321, 0x8765432100000000ULL, true, "4956ed7e3b244cfe",
		"45000048699a000080114db7c0a80102c0a801010a9bf15638d30100"
		"0001000000000000045f736970045f756470037369700963796265726369"
		"747902646b0000210001",
		1,
		"00004321000000004956ed7e3b244cfe"
		"fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ce"
		"ac34cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb7"
		"86b93bce61bc17d768fd9732459018148f6cbe722fd04796562dfdb4",
	},
	{
		"draft-mcgrew-gcm-test-01 case 2 (AES-192)",
		"feffe9928665731c6d6a8f9467308308feffe9928665731c" "cafebabe",
		0xa5f8, 10, false, "facedbaddecaf888",
		"45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6b"
		"b03e501016d07568",
		1,
		"0000a5f80000000afacedbaddecaf888"
		"a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfb"
		"dbd0315b27452144cc7795457b9652037f5318027b5b4cd7a636",
	},
	{
		"draft-mcgrew-gcm-test-01 case 3 (AES-256)",
		"abbccddef00112233445566778899aababbccddef00112233445566778899aab"
		"11223344",
		0x4a2cbfe3, 2, false, "0102030405060708",
		"4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee00000"
		"00007002400020bf0000020405b401010402",
		1,
		"4a2cbfe3000000020102030405060708"
		"ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5"
		"d763748a637985771d347f0545659f14e99def842d8eb335f4eecfdbf831"
		"824b4c4915956c96",
	},
	{
		"draft-mcgrew-gcm-test-01 case 4 (ICMP echo, built here)",
		"00000000000000000000000000000000" "00000000",
		0, 1, false, "0000000000000000",
		NULL,
		1,
		"00000000000000010000000000000000"
		"4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9"
		"a284456476492719ffb64de7d9dca1e1d894bc3bd57873ed4d181d19d4d5"
		"c8c18af3f821d496eeb096e98ad2b69e4799c71d",
	},
};

static int selftest_esp(const struct esp_kat *t)
{
	uint8_t keysalt[36], iv[ESP_IV_LEN], inner[INNER_MAX];
	uint8_t want[PKT_MAX], got[PKT_MAX];
	struct esp_trailer tr = { .next_header = t->next_header,
				  .pad_len = -1 };
	struct esp_sa sa = { .spi = t->spi, .esn = t->esn };
	ssize_t klen, ilen, wlen;
	size_t glen;

	klen = parse_hex(t->key, keysalt, sizeof(keysalt));
	wlen = parse_hex(t->packet, want, sizeof(want));
	if (klen < 20 || parse_hex(t->iv, iv, sizeof(iv)) != ESP_IV_LEN ||
	    wlen < 0)
		return -1;
	sa.key_len = (size_t)klen - GCM_SALT_LEN;
	memcpy(sa.key, keysalt, sa.key_len);
	memcpy(sa.salt, keysalt + sa.key_len, GCM_SALT_LEN);

	if (t->inner) {
		ilen = parse_hex(t->inner, inner, sizeof(inner));
		if (ilen < 0)
			return -1;
	} else {
		struct inner_spec in = {
			.family = AF_INET, .ip_id = 0x99c5, .ttl = 128,
			.echo_id = 0x0200, .echo_seq = 0x4400,
			.payload_len = 32,
		};

		if (inet_pton(AF_INET, "64.103.147.24", &in.src4) != 1 ||
		    inet_pton(AF_INET, "1.1.1.1", &in.dst4) != 1)
			return -1;
		ilen = (ssize_t)build_icmp4(inner, sizeof(inner), &in);
	}
	glen = esp_build(got, sizeof(got), &sa, t->seq, iv, inner,
			 (size_t)ilen, &tr);
	return glen == (size_t)wlen && !memcmp(got, want, glen) ? 0 : -1;
}

/* GCM specification, test case 4: AES-128, 96-bit IV, 20-byte AAD. */
static int selftest_gcm_tc4(void)
{
	uint8_t key[16], iv[12], aad[20], pt[60], ct[60], tag[16];
	uint8_t want_ct[60], want_tag[16];

	if (parse_hex("feffe9928665731c6d6a8f9467308308", key,
		      sizeof(key)) != 16 ||
	    parse_hex("cafebabefacedbaddecaf888", iv, sizeof(iv)) != 12 ||
	    parse_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad,
		      sizeof(aad)) != 20 ||
	    parse_hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c"
		      "303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5"
		      "aa0de657ba637b39", pt, sizeof(pt)) != 60 ||
	    parse_hex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c1"
		      "7e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b39"
		      "6a0aac973d58e091", want_ct, sizeof(want_ct)) != 60 ||
	    parse_hex("5bc94fbc3221a5db94fae95ae7121a47", want_tag,
		      sizeof(want_tag)) != 16)
		return -1;
	if (gcm_seal(key, sizeof(key), iv, aad, sizeof(aad), pt, sizeof(pt),
		     ct, tag))
		return -1;
	return memcmp(ct, want_ct, sizeof(ct)) ||
	       memcmp(tag, want_tag, sizeof(tag)) ? -1 : 0;
}

static int selftest(void)
{
	int fails = 0, n = 0;
	size_t i;

	if (selftest_gcm_tc4()) {
		fprintf(stderr, "esp_forge: selftest failed: GCM spec test case 4\n");
		fails++;
	}
	n++;
	for (i = 0; i < ARRAY_SIZE(esp_kats); i++, n++) {
		if (selftest_esp(&esp_kats[i])) {
			fprintf(stderr, "esp_forge: selftest failed: %s\n",
				esp_kats[i].name);
			fails++;
		}
	}
	if (fails)
		return 1;
	printf("esp_forge: selftest passed (%d known answers)\n", n);
	return 0;
}

/* ---- sending ---------------------------------------------------------- */

struct opts {
	int family;			/* outer */
	struct sockaddr_storage src, dst;
	socklen_t addr_len;
	struct esp_sa sa;
	uint64_t seq, count;
	bool have_seq_hi;
	uint32_t seq_hi;
	struct inner_spec inner;
	enum mangle mangle;
	size_t truncate_len;
	uint8_t bad_nexthdr;
	int pad_len;
	bool fixed_iv;
	uint8_t iv[ESP_IV_LEN];
	bool dry_run;
	uint16_t udp_sport, udp_dport;	/* both 0: plain ESP */
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: esp_forge --src ADDR --dst ADDR --spi SPI --seq N --key HEX\n"
"                 --inner-src ADDR --inner-dst ADDR [options]\n"
"       esp_forge --selftest\n"
"Sends AES-GCM ESP (RFC 4303 tunnel mode, RFC 4106) over a raw socket.\n"
"  --src, --dst ADDR       outer addresses (IPv4 or IPv6, same family);\n"
"                          --src must be local, the kernel adds the header\n"
"  --spi SPI               SPI (0x... or decimal)\n"
"  --seq N                 sequence number of the first packet (64-bit\n"
"                          with --esn)\n"
"  --seq-hi N              with --esn: the high 32 bits (else from --seq)\n"
"  --esn                   extended sequence numbers (RFC 4304): the AAD\n"
"                          is SPI || seq_hi || seq_lo\n"
"  --key HEX               AES key (16, 24 or 32 bytes) followed by the\n"
"                          4-byte salt, as for ip xfrm rfc4106(gcm(aes))\n"
"  --inner-src, --inner-dst ADDR\n"
"                          inner echo request (IPv4: ICMP, IPv6: ICMPv6)\n"
"  --count N               send N packets, consecutive sequence numbers\n"
"  --mangle WHAT           none (default), icv, ciphertext, truncate,\n"
"                          bad-pad, pad-too-long, bad-nexthdr, nexthdr-59,\n"
"                          zero-seq\n"
"  --truncate-len K        with truncate: send the first K bytes (12)\n"
"  --nexthdr N             with bad-nexthdr: the next header (17)\n"
"  --pad-len N             pad bytes (0..255; default: 4-byte alignment)\n"
"  --id N                  inner echo identifier (default: pid)\n"
"  --payload-len N         inner echo payload bytes (32)\n"
"  --ttl N                 inner TTL / hop limit (64)\n"
"  --iv HEX                fixed 8-byte IV (default: random per packet)\n"
"  --udp SPORT:DPORT       send ESP in UDP (RFC 3948) from port SPORT\n"
"  --dry-run               print the ESP packets in hex, send nothing\n"
"  --selftest              check against published known answers\n");
}

static bool parse_addr(const char *s, int *family, struct sockaddr_storage *ss,
		       socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		*family = AF_INET;
		*len = sizeof(*sin);
		return true;
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		*family = AF_INET6;
		*len = sizeof(*sin6);
		return true;
	}
	return false;
}

static bool parse_inner_addr(const char *s, int *family, struct in_addr *a4,
			     struct in6_addr *a6)
{
	if (inet_pton(AF_INET, s, a4) == 1) {
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, a6) == 1) {
		*family = AF_INET6;
		return true;
	}
	return false;
}

static void print_hex(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
	printf("\n");
}

/* A raw ESP socket, or a UDP one bound to the source port for --udp. */
static int open_socket(const struct opts *o)
{
	struct sockaddr_storage src = o->src;
	int fd;

	if (o->udp_sport) {
		fd = socket(o->family, SOCK_DGRAM, 0);
		if (o->family == AF_INET)
			((struct sockaddr_in *)&src)->sin_port =
				htons(o->udp_sport);
		else
			((struct sockaddr_in6 *)&src)->sin6_port =
				htons(o->udp_sport);
	} else {
		fd = socket(o->family, SOCK_RAW, IPPROTO_ESP);
	}
	if (fd < 0) {
		perror("esp_forge: socket");
		return -1;
	}
	if (bind(fd, (const struct sockaddr *)&src, o->addr_len) < 0) {
		perror("esp_forge: bind to --src");
		close(fd);
		return -1;
	}
	return fd;
}

static bool parse_ports(const char *s, struct opts *o)
{
	unsigned int sport, dport;
	char extra;

	if (sscanf(s, "%u:%u%c", &sport, &dport, &extra) != 2 ||
	    !sport || !dport || sport > 65535 || dport > 65535)
		return false;
	o->udp_sport = (uint16_t)sport;
	o->udp_dport = (uint16_t)dport;
	return true;
}

static int send_all(const struct opts *o)
{
	uint8_t inner[INNER_MAX], pkt[PKT_MAX], iv[ESP_IV_LEN];
	struct esp_trailer tr = { .pad_len = o->pad_len };
	struct inner_spec in = o->inner;
	size_t inner_len, len, ct_off;
	uint64_t i, seq;
	int fd = -1, ret = 1;

	switch (o->mangle) {
	case MANGLE_BAD_PAD:
		tr.bad_pad = true;
		break;
	case MANGLE_PAD_TOO_LONG:
		tr.pad_too_long = true;
		break;
	default:
		break;
	}

	if (!o->dry_run) {
		fd = open_socket(o);
		if (fd < 0)
			return 1;
	}

	for (i = 0; i < o->count; i++) {
		seq = o->mangle == MANGLE_ZERO_SEQ ? 0 : o->seq + i;

		in.echo_seq = (uint16_t)(seq ? seq : i + 1);
		in.ip_id = (uint16_t)(in.echo_seq ^ in.echo_id);
		if (in.family == AF_INET) {
			inner_len = build_icmp4(inner, sizeof(inner), &in);
			tr.next_header = NEXTHDR_IPV4;
		} else {
			inner_len = build_icmp6(inner, sizeof(inner), &in);
			tr.next_header = NEXTHDR_IPV6;
		}
		if (!inner_len) {
			fprintf(stderr, "esp_forge: inner packet too long\n");
			goto out;
		}
		if (o->mangle == MANGLE_BAD_NEXTHDR)
			tr.next_header = o->bad_nexthdr;
		else if (o->mangle == MANGLE_NEXTHDR_59)
			tr.next_header = NEXTHDR_NONE;

		if (o->fixed_iv) {
			memcpy(iv, o->iv, sizeof(iv));
		} else if (RAND_bytes(iv, sizeof(iv)) != 1) {
			fprintf(stderr, "esp_forge: RAND_bytes failed\n");
			goto out;
		}

		len = esp_build(pkt, sizeof(pkt), &o->sa, seq, iv, inner,
				inner_len, &tr);
		if (!len) {
			fprintf(stderr, "esp_forge: cannot build the packet "
				"(too long for this defect?)\n");
			goto out;
		}
		ct_off = ESP_HDR_LEN + ESP_IV_LEN;
		switch (o->mangle) {
		case MANGLE_ICV:
			pkt[len - 1] ^= 0x01;
			break;
		case MANGLE_CIPHERTEXT:
			pkt[ct_off] ^= 0x01;
			break;
		case MANGLE_TRUNCATE:
			if (o->truncate_len < len)
				len = o->truncate_len;
			break;
		default:
			break;
		}

		if (o->dry_run) {
			print_hex(pkt, len);
			continue;
		}
		if (sendto(fd, pkt, len, 0, (const struct sockaddr *)&o->dst,
			   o->addr_len) != (ssize_t)len) {
			perror("esp_forge: sendto");
			goto out;
		}
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

enum {
	OPT_SRC = 256, OPT_DST, OPT_SPI, OPT_SEQ, OPT_SEQ_HI, OPT_ESN, OPT_KEY,
	OPT_INNER_SRC, OPT_INNER_DST, OPT_COUNT, OPT_MANGLE, OPT_TRUNC_LEN,
	OPT_NEXTHDR, OPT_PAD_LEN, OPT_ID, OPT_PAYLOAD_LEN, OPT_TTL, OPT_IV,
	OPT_DRY_RUN, OPT_SELFTEST, OPT_HELP, OPT_UDP,
};

static const struct option long_opts[] = {
	{ "src", required_argument, NULL, OPT_SRC },
	{ "dst", required_argument, NULL, OPT_DST },
	{ "spi", required_argument, NULL, OPT_SPI },
	{ "seq", required_argument, NULL, OPT_SEQ },
	{ "seq-hi", required_argument, NULL, OPT_SEQ_HI },
	{ "esn", no_argument, NULL, OPT_ESN },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "inner-src", required_argument, NULL, OPT_INNER_SRC },
	{ "inner-dst", required_argument, NULL, OPT_INNER_DST },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "mangle", required_argument, NULL, OPT_MANGLE },
	{ "truncate-len", required_argument, NULL, OPT_TRUNC_LEN },
	{ "nexthdr", required_argument, NULL, OPT_NEXTHDR },
	{ "pad-len", required_argument, NULL, OPT_PAD_LEN },
	{ "id", required_argument, NULL, OPT_ID },
	{ "payload-len", required_argument, NULL, OPT_PAYLOAD_LEN },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "iv", required_argument, NULL, OPT_IV },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "udp", required_argument, NULL, OPT_UDP },
	{ "selftest", no_argument, NULL, OPT_SELFTEST },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int bad_arg(const char *opt, const char *arg)
{
	fprintf(stderr, "esp_forge: bad value for --%s: '%s'\n", opt, arg);
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.count = 1, .truncate_len = 12, .bad_nexthdr = 17,
		.pad_len = -1,
		.inner = { .ttl = 64, .payload_len = 32 },
	};
	bool have_src = false, have_dst = false, have_spi = false;
	bool have_seq = false, have_key = false, have_isrc = false;
	bool have_idst = false;
	int dst_family = 0, isrc_family = 0, idst_family = 0, c;
	socklen_t dst_len = 0;
	uint8_t keysalt[36];
	ssize_t klen;
	uint64_t v;
	size_t m;

	o.inner.echo_id = (uint16_t)getpid();
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		const char *name = "";
		int idx;

		for (idx = 0; long_opts[idx].name; idx++)
			if (long_opts[idx].val == c)
				name = long_opts[idx].name;
		switch (c) {
		case OPT_SRC:
			if (!parse_addr(optarg, &o.family, &o.src, &o.addr_len))
				return bad_arg(name, optarg);
			have_src = true;
			break;
		case OPT_DST:
			if (!parse_addr(optarg, &dst_family, &o.dst, &dst_len))
				return bad_arg(name, optarg);
			have_dst = true;
			break;
		case OPT_SPI:
			if (!parse_u64(optarg, UINT32_MAX, &v))
				return bad_arg(name, optarg);
			o.sa.spi = (uint32_t)v;
			have_spi = true;
			break;
		case OPT_SEQ:
			if (!parse_u64(optarg, UINT64_MAX, &o.seq))
				return bad_arg(name, optarg);
			have_seq = true;
			break;
		case OPT_SEQ_HI:
			if (!parse_u64(optarg, UINT32_MAX, &v))
				return bad_arg(name, optarg);
			o.seq_hi = (uint32_t)v;
			o.have_seq_hi = true;
			break;
		case OPT_ESN:
			o.sa.esn = true;
			break;
		case OPT_KEY:
			klen = parse_hex(optarg, keysalt, sizeof(keysalt));
			if (klen != 20 && klen != 28 && klen != 36)
				return bad_arg(name, optarg);
			o.sa.key_len = (size_t)klen - GCM_SALT_LEN;
			memcpy(o.sa.key, keysalt, o.sa.key_len);
			memcpy(o.sa.salt, keysalt + o.sa.key_len, GCM_SALT_LEN);
			have_key = true;
			break;
		case OPT_INNER_SRC:
			if (!parse_inner_addr(optarg, &isrc_family,
					      &o.inner.src4, &o.inner.src6))
				return bad_arg(name, optarg);
			have_isrc = true;
			break;
		case OPT_INNER_DST:
			if (!parse_inner_addr(optarg, &idst_family,
					      &o.inner.dst4, &o.inner.dst6))
				return bad_arg(name, optarg);
			have_idst = true;
			break;
		case OPT_COUNT:
			if (!parse_u64(optarg, 1000000, &o.count) || !o.count)
				return bad_arg(name, optarg);
			break;
		case OPT_MANGLE:
			for (m = 0; m < ARRAY_SIZE(mangle_names); m++)
				if (!strcmp(optarg, mangle_names[m]))
					break;
			if (m == ARRAY_SIZE(mangle_names))
				return bad_arg(name, optarg);
			o.mangle = (enum mangle)m;
			break;
		case OPT_TRUNC_LEN:
			if (!parse_u64(optarg, PKT_MAX, &v))
				return bad_arg(name, optarg);
			o.truncate_len = (size_t)v;
			break;
		case OPT_NEXTHDR:
			if (!parse_u64(optarg, 255, &v))
				return bad_arg(name, optarg);
			o.bad_nexthdr = (uint8_t)v;
			break;
		case OPT_PAD_LEN:
			if (!parse_u64(optarg, 255, &v))
				return bad_arg(name, optarg);
			o.pad_len = (int)v;
			break;
		case OPT_ID:
			if (!parse_u64(optarg, UINT16_MAX, &v))
				return bad_arg(name, optarg);
			o.inner.echo_id = (uint16_t)v;
			break;
		case OPT_PAYLOAD_LEN:
			if (!parse_u64(optarg, 1400, &v))
				return bad_arg(name, optarg);
			o.inner.payload_len = (size_t)v;
			break;
		case OPT_TTL:
			if (!parse_u64(optarg, 255, &v))
				return bad_arg(name, optarg);
			o.inner.ttl = (uint8_t)v;
			break;
		case OPT_IV:
			if (parse_hex(optarg, o.iv, sizeof(o.iv)) != ESP_IV_LEN)
				return bad_arg(name, optarg);
			o.fixed_iv = true;
			break;
		case OPT_DRY_RUN:
			o.dry_run = true;
			break;
		case OPT_UDP:
			if (!parse_ports(optarg, &o))
				return bad_arg(name, optarg);
			break;
		case OPT_SELFTEST:
			return selftest();
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "esp_forge: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if (!have_src || !have_dst || !have_spi || !have_seq || !have_key ||
	    !have_isrc || !have_idst) {
		fprintf(stderr, "esp_forge: --src, --dst, --spi, --seq, --key, "
			"--inner-src and --inner-dst are required\n");
		usage(stderr);
		return 2;
	}
	if (o.family != dst_family) {
		fprintf(stderr, "esp_forge: --src and --dst differ in family\n");
		return 2;
	}
	if (isrc_family != idst_family) {
		fprintf(stderr, "esp_forge: --inner-src and --inner-dst differ "
			"in family\n");
		return 2;
	}
	o.inner.family = isrc_family;
	if (o.udp_dport) {
		if (o.family == AF_INET)
			((struct sockaddr_in *)&o.dst)->sin_port =
				htons(o.udp_dport);
		else
			((struct sockaddr_in6 *)&o.dst)->sin6_port =
				htons(o.udp_dport);
	}

	/* The full 64-bit sequence number of the first packet. */
	if (o.have_seq_hi) {
		if (!o.sa.esn || o.seq > UINT32_MAX) {
			fprintf(stderr, "esp_forge: --seq-hi needs --esn and a "
				"32-bit --seq\n");
			return 2;
		}
		o.seq |= (uint64_t)o.seq_hi << 32;
	}
	if (o.seq > UINT64_MAX - (o.count - 1) ||
	    (!o.sa.esn && o.seq + (o.count - 1) > UINT32_MAX)) {
		fprintf(stderr, "esp_forge: sequence numbers out of range "
			"(64-bit needs --esn)\n");
		return 2;
	}
	if (o.mangle == MANGLE_PAD_TOO_LONG &&
	    (o.inner.family == AF_INET ? 28 : 48) + o.inner.payload_len +
	    (o.pad_len > 0 ? (size_t)o.pad_len : 3) + 2 > 256) {
		fprintf(stderr, "esp_forge: pad-too-long needs a plaintext "
			"under 256 bytes\n");
		return 2;
	}
	return send_all(&o);
}
