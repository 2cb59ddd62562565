// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid: Wireshark key export, in the formats of Wireshark's ESP SA
 * table and its IKEv1/IKEv2 decryption tables (UAT files: one record a
 * line, comma-separated; text fields quoted, byte fields as bare hex).
 * The algorithm names are the exact strings Wireshark 4.0 lists.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keylog.h"
#include "log.h"

static char keylog_dir[256];

int keylog_enable(const char *dir)
{
	struct stat st;

	if (strlen(dir) >= sizeof(keylog_dir) - 32)
		return -ENAMETOOLONG;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	snprintf(keylog_dir, sizeof(keylog_dir), "%s", dir);
	return 0;
}

void keylog_disable(void)
{
	keylog_dir[0] = '\0';
}

static size_t hex(char *out, size_t len, const uint8_t *b, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 3 <= len; i++)
		o += (size_t)snprintf(out + o, len - o, "%02x", b[i]);
	if (o < len)
		out[o] = '\0';
	return o;
}

/* Append one line to DIR/name, created 0600; the line is wiped after. */
static void append(const char *name, char *line, size_t n)
{
	char path[300];
	int fd;

	if (!keylog_dir[0])
		return;
	snprintf(path, sizeof(path), "%s/%s", keylog_dir, name);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, line, n) != (ssize_t)n)
		log_warn("wireshark keys: cannot write %s: %s", path,
			 strerror(errno));
	if (fd >= 0)
		close(fd);
	explicit_bzero(line, n);
}

/* ---- ESP ---- */

static const char *esp_encr_name(uint16_t enc)
{
	switch (enc) {
	case IKEVTI_ENC_AES_GCM_16:
		return "AES-GCM with 16 octet ICV [RFC4106]";
	case IKEVTI_ENC_AES_CBC:
		return "AES-CBC [RFC3602]";
	case IKEVTI_ENC_3DES_CBC:
		return "TripleDES-CBC [RFC2451]";
	}
	return NULL;	/* ChaCha20-Poly1305: not in Wireshark 4.0's list */
}

static const char *esp_auth_name(uint16_t integ)
{
	switch (integ) {
	case IKEVTI_INTEG_NONE:
		return "NULL";
	case IKEVTI_INTEG_HMAC_SHA1_96:
		return "HMAC-SHA-1-96 [RFC2404]";
	case IKEVTI_INTEG_HMAC_SHA256_128:
		return "HMAC-SHA-256-128 [RFC4868]";
	case IKEVTI_INTEG_HMAC_SHA384_192:
		return "HMAC-SHA-384-192 [RFC4868]";
	case IKEVTI_INTEG_HMAC_SHA512_256:
		return "HMAC-SHA-512-256 [RFC4868]";
	case IKEVTI_INTEG_HMAC_MD5_96:
		return "HMAC-MD5-96 [RFC2403]";
	}
	return NULL;
}

static void addr_text(const struct ikevti_addr *a, char *buf, size_t len)
{
	if (!a || !a->family ||
	    !inet_ntop(a->family, a->raw, buf, (socklen_t)len))
		snprintf(buf, len, "*");
}

int keylog_format_esp(char *buf, size_t len, const struct ikevti_sa_cfg *sa,
		      const struct ikevti_addr *dev_local,
		      const struct ikevti_addr *dev_remote)
{
	const struct ikevti_addr *l = sa->local.family ? &sa->local : dev_local;
	const struct ikevti_addr *r = sa->remote.family ? &sa->remote
							: dev_remote;
	const char *enc = esp_encr_name(sa->enc), *auth = esp_auth_name(sa->integ);
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];
	char key[2 * (IKEVTI_KEY_MAX + IKEVTI_SALT_LEN) + 1];
	char akey[2 * IKEVTI_KEY_MAX + 1];
	int family = l && l->family ? l->family : r ? r->family : 0;
	bool in = sa->dir == IKEVTI_DIR_IN;
	size_t o;
	int n;

	if (!enc || !auth) {
		snprintf(buf, len, "# spi 0x%08" PRIx32
			 ": algorithm %u/%u unknown to Wireshark\n", sa->spi,
			 sa->enc, sa->integ);
		return -1;
	}
	addr_text(l, la, sizeof(la));
	addr_text(r, ra, sizeof(ra));
	/* Wireshark's GCM key is the key followed by the salt, as RFC
	 * 4106 keying material is. */
	o = hex(key, sizeof(key), sa->enc_key, sa->enc_key_len);
	hex(key + o, sizeof(key) - o, sa->salt, sa->salt_len);
	hex(akey, sizeof(akey), sa->auth_key, sa->auth_key_len);
	n = snprintf(buf, len,
		     "\"%s\",\"%s\",\"%s\",\"0x%08" PRIx32 "\",\"%s\",\"0x%s\","
		     "\"%s\",\"0x%s\"\n",
		     family == AF_INET6 ? "IPv6" : family == AF_INET ? "IPv4"
								    : "Any",
		     in ? ra : la, in ? la : ra, sa->spi, enc, key, auth,
		     akey);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(akey, sizeof(akey));
	return n > 0 && (size_t)n < len ? n : -1;
}

void keylog_esp(const struct ikevti_sa_cfg *sa,
		const struct ikevti_addr *dev_local,
		const struct ikevti_addr *dev_remote)
{
	char line[512];
	int n;

	if (!keylog_dir[0])
		return;
	n = keylog_format_esp(line, sizeof(line), sa, dev_local, dev_remote);
	append("esp_sa", line, n > 0 ? (size_t)n : strlen(line));
}

/* ---- IKEv2 ---- */

static const char *ikev2_encr_name(uint16_t encr, uint16_t bits)
{
	if (encr == 12 && bits == 128)
		return "AES-CBC-128 [RFC3602]";
	if (encr == 12 && bits == 192)
		return "AES-CBC-192 [RFC3602]";
	if (encr == 12 && bits == 256)
		return "AES-CBC-256 [RFC3602]";
	if (encr == 20 && bits == 128)
		return "AES-GCM-128 with 16 octet ICV [RFC5282]";
	if (encr == 20 && bits == 192)
		return "AES-GCM-192 with 16 octet ICV [RFC5282]";
	if (encr == 20 && bits == 256)
		return "AES-GCM-256 with 16 octet ICV [RFC5282]";
	if (encr == 3)
		return "3DES [RFC2451]";
	return NULL;
}

static const char *ikev2_integ_name(uint16_t integ)
{
	switch (integ) {
	case 0:
		return "NONE [RFC4306]";
	case 1:
		return "HMAC_MD5_96 [RFC2403]";
	case 2:
		return "HMAC_SHA1_96 [RFC2404]";
	case 12:
		return "HMAC_SHA2_256_128 [RFC4868]";
	case 13:
		return "HMAC_SHA2_384_192 [RFC4868]";
	case 14:
		return "HMAC_SHA2_512_256 [RFC4868]";
	}
	return NULL;
}

int keylog_format_ikev2(char *buf, size_t len, uint64_t spi_i,
			uint64_t spi_r, uint16_t encr, uint16_t encr_bits,
			const uint8_t *sk_ei, const uint8_t *sk_er,
			size_t sk_e_len, uint16_t integ, const uint8_t *sk_ai,
			const uint8_t *sk_ar, size_t sk_a_len)
{
	const char *en = ikev2_encr_name(encr, encr_bits);
	const char *in = ikev2_integ_name(integ);
	char ei[2 * 68 + 1], er[2 * 68 + 1], ai[2 * 64 + 1], ar[2 * 64 + 1];
	int n;

	if (!en || !in || sk_e_len > 68 || sk_a_len > 64) {
		snprintf(buf, len, "# %016" PRIx64 ",%016" PRIx64
			 ": transforms %u/%u unknown to Wireshark\n", spi_i,
			 spi_r, encr, integ);
		return -1;
	}
	hex(ei, sizeof(ei), sk_ei, sk_e_len);
	hex(er, sizeof(er), sk_er, sk_e_len);
	ai[0] = ar[0] = '\0';
	if (sk_a_len) {
		hex(ai, sizeof(ai), sk_ai, sk_a_len);
		hex(ar, sizeof(ar), sk_ar, sk_a_len);
	}
	n = snprintf(buf, len, "%016" PRIx64 ",%016" PRIx64 ",%s,%s,\"%s\",%s,%s,\"%s\"\n",
		     spi_i, spi_r, ei, er, en, ai, ar, in);
	explicit_bzero(ei, sizeof(ei));
	explicit_bzero(er, sizeof(er));
	explicit_bzero(ai, sizeof(ai));
	explicit_bzero(ar, sizeof(ar));
	return n > 0 && (size_t)n < len ? n : -1;
}

void keylog_ikev2(uint64_t spi_i, uint64_t spi_r, uint16_t encr,
		  uint16_t encr_bits, const uint8_t *sk_ei,
		  const uint8_t *sk_er, size_t sk_e_len, uint16_t integ,
		  const uint8_t *sk_ai, const uint8_t *sk_ar, size_t sk_a_len)
{
	char line[800];
	int n;

	if (!keylog_dir[0])
		return;
	n = keylog_format_ikev2(line, sizeof(line), spi_i, spi_r, encr,
				encr_bits, sk_ei, sk_er, sk_e_len, integ, sk_ai,
				sk_ar, sk_a_len);
	append("ikev2_decryption_table", line,
	       n > 0 ? (size_t)n : strlen(line));
}

/* ---- IKEv1 ---- */

int keylog_format_ikev1(char *buf, size_t len, const uint8_t icookie[8],
			const uint8_t *enc_key, size_t enc_key_len)
{
	char ck[17], key[2 * 64 + 1];
	int n;

	if (enc_key_len == 0 || enc_key_len > 64) {
		snprintf(buf, len, "# bad IKEv1 key length %zu\n", enc_key_len);
		return -1;
	}
	hex(ck, sizeof(ck), icookie, 8);
	hex(key, sizeof(key), enc_key, enc_key_len);
	n = snprintf(buf, len, "%s,%s\n", ck, key);
	explicit_bzero(key, sizeof(key));
	return n > 0 && (size_t)n < len ? n : -1;
}

void keylog_ikev1(const uint8_t icookie[8], const uint8_t *enc_key,
		  size_t enc_key_len)
{
	char line[200];
	int n;

	if (!keylog_dir[0])
		return;
	n = keylog_format_ikev1(line, sizeof(line), icookie, enc_key,
				enc_key_len);
	append("ikev1_decryption_table", line,
	       n > 0 ? (size_t)n : strlen(line));
}
