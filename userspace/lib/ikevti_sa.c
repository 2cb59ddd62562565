// SPDX-License-Identifier: GPL-2.0
/*
 * ikevti_sa: SA configuration checks and counter descriptors.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ikevti_sa.h"

size_t ikevti_addr_len(const struct ikevti_addr *a)
{
	if (a->family == AF_INET)
		return 4;
	if (a->family == AF_INET6)
		return 16;
	return 0;
}

void ikevti_sa_cfg_wipe(struct ikevti_sa_cfg *cfg)
{
	explicit_bzero(cfg, sizeof(*cfg));
}

const char *ikevti_dir_name(uint8_t dir)
{
	if (dir == IKEVTI_DIR_IN)
		return "in";
	if (dir == IKEVTI_DIR_OUT)
		return "out";
	return NULL;
}

/* "16, 24 or 32" for the key lengths of one encryption transform. */
static void enc_key_lengths(uint16_t id, char *buf, size_t len)
{
	const struct ikevti_enc_alg *a;
	size_t i, n = 0, pos = 0;
	unsigned int lens[8];

	for (i = 0; (a = ikevti_enc_at(i)) != NULL; i++)
		if (a->id == id && n < 8)
			lens[n++] = a->key_len;
	buf[0] = '\0';
	for (i = 0; i < n && pos < len; i++) {
		const char *sep = i == 0 ? "" : (i + 1 == n ? " or " : ", ");
		int w = snprintf(buf + pos, len - pos, "%s%u", sep, lens[i]);

		if (w < 0)
			break;
		pos += (size_t)w;
	}
}

static int check_algs(const struct ikevti_sa_cfg *cfg, char *err,
		      size_t errlen)
{
	const struct ikevti_enc_alg *enc;
	const struct ikevti_integ_alg *integ;
	const char *fam = ikevti_enc_family_name(cfg->enc);
	char lens[48];

	if (!fam) {
		snprintf(err, errlen, "unknown encryption transform %u",
			 cfg->enc);
		return -1;
	}
	enc = ikevti_enc_by_id(cfg->enc, cfg->enc_key_len);
	if (!enc) {
		enc_key_lengths(cfg->enc, lens, sizeof(lens));
		snprintf(err, errlen,
			 "%s key must be %s bytes (without salt), got %zu",
			 fam, lens, cfg->enc_key_len);
		return -1;
	}
	if (enc->aead) {
		if (cfg->salt_len != enc->salt_len) {
			snprintf(err, errlen,
				 "%s needs a %u-byte salt, got %zu bytes",
				 enc->name, enc->salt_len, cfg->salt_len);
			return -1;
		}
		if (cfg->integ != IKEVTI_INTEG_NONE || cfg->auth_key_len) {
			snprintf(err, errlen,
				 "%s is an AEAD transform: no integrity algorithm or auth key allowed",
				 enc->name);
			return -1;
		}
		return 0;
	}
	if (cfg->salt_len) {
		snprintf(err, errlen, "%s takes no salt", enc->name);
		return -1;
	}
	if (cfg->integ == IKEVTI_INTEG_NONE) {
		snprintf(err, errlen,
			 "%s needs an integrity algorithm and auth key",
			 enc->name);
		return -1;
	}
	integ = ikevti_integ_by_id(cfg->integ);
	if (!integ) {
		snprintf(err, errlen, "unknown integrity transform %u",
			 cfg->integ);
		return -1;
	}
	if (cfg->auth_key_len != integ->key_len) {
		snprintf(err, errlen,
			 "%s auth key must be %u bytes, got %zu",
			 integ->name, integ->key_len, cfg->auth_key_len);
		return -1;
	}
	return 0;
}

static int check_limits(const char *what, uint64_t soft, uint64_t hard,
			char *err, size_t errlen)
{
	if (soft && hard && soft > hard) {
		snprintf(err, errlen,
			 "soft-%s (%llu) is above hard-%s (%llu)", what,
			 (unsigned long long)soft, what,
			 (unsigned long long)hard);
		return -1;
	}
	return 0;
}

int ikevti_sa_cfg_check(const struct ikevti_sa_cfg *cfg, char *err,
			size_t errlen)
{
	if (!ikevti_dir_name(cfg->dir)) {
		snprintf(err, errlen, "direction must be in or out");
		return -1;
	}
	if (cfg->spi < 256) {
		snprintf(err, errlen,
			 "SPI %u is reserved (0 is invalid, 1-255 are reserved by RFC 4303)",
			 cfg->spi);
		return -1;
	}
	if (check_algs(cfg, err, errlen))
		return -1;
	if (cfg->has_replay_window &&
	    cfg->replay_window > IKEVTI_REPLAY_WINDOW_MAX) {
		snprintf(err, errlen, "replay-window %u is above the maximum %u",
			 cfg->replay_window, IKEVTI_REPLAY_WINDOW_MAX);
		return -1;
	}
	if (cfg->local.family && cfg->remote.family &&
	    cfg->local.family != cfg->remote.family) {
		snprintf(err, errlen,
			 "local and remote must be of the same address family");
		return -1;
	}
	if (cfg->has_encap && (!cfg->encap_sport || !cfg->encap_dport)) {
		snprintf(err, errlen, "encap ports must not be 0");
		return -1;
	}
	if (cfg->nat_keepalive &&
	    (!cfg->has_encap || cfg->dir != IKEVTI_DIR_OUT)) {
		snprintf(err, errlen,
			 "nat-keepalive needs an outbound SA with encap");
		return -1;
	}
	if (cfg->nat_keepalive &&
	    (cfg->nat_keepalive < 5 || cfg->nat_keepalive > 3600)) {
		snprintf(err, errlen,
			 "nat-keepalive %u is outside 5..3600 seconds",
			 cfg->nat_keepalive);
		return -1;
	}
	if (cfg->flags & ~(IKEVTI_SA_F_ESN | IKEVTI_SA_F_ALLOW_FLOAT)) {
		snprintf(err, errlen, "flags 0x%x cannot be set by userspace",
			 cfg->flags & ~(IKEVTI_SA_F_ESN |
					IKEVTI_SA_F_ALLOW_FLOAT));
		return -1;
	}
	if (check_limits("bytes", cfg->soft_bytes, cfg->hard_bytes, err,
			 errlen) ||
	    check_limits("packets", cfg->soft_packets, cfg->hard_packets, err,
			 errlen))
		return -1;
	return 0;
}

#define STAT(a, n) { IKEVTI_STATS_A_##a, #n, offsetof(struct ikevti_stats, n) }

static const struct ikevti_stat_desc stat_descs[] = {
	STAT(PACKETS, packets),
	STAT(BYTES, bytes),
	STAT(AUTH_FAIL, auth_fail),
	STAT(REPLAY, replay),
	STAT(TOO_OLD, too_old),
	STAT(BAD_PAD, bad_pad),
	STAT(BAD_NEXTHDR, bad_nexthdr),
	STAT(BAD_LENGTH, bad_length),
	STAT(ENCAP_MISMATCH, encap_mismatch),
	STAT(NO_SA, no_sa),
	STAT(NO_TX_SA, no_tx_sa),
	STAT(SEND_ERROR, send_error),
	STAT(SEQ_OVERFLOW, seq_overflow),
	STAT(EXPIRED, expired),
};

#define N_STATS (sizeof(stat_descs) / sizeof(stat_descs[0]))

const struct ikevti_stat_desc *ikevti_stat_desc_at(size_t i)
{
	return i < N_STATS ? &stat_descs[i] : NULL;
}

const struct ikevti_stat_desc *ikevti_stat_desc_by_attr(int attr)
{
	size_t i;

	for (i = 0; i < N_STATS; i++)
		if (stat_descs[i].attr == attr)
			return &stat_descs[i];
	return NULL;
}

uint64_t ikevti_stat_value(const struct ikevti_stats *st,
			   const struct ikevti_stat_desc *d)
{
	uint64_t v;

	memcpy(&v, (const char *)st + d->offset, sizeof(v));
	return v;
}

void ikevti_stat_set(struct ikevti_stats *st,
		     const struct ikevti_stat_desc *d, uint64_t v)
{
	memcpy((char *)st + d->offset, &v, sizeof(v));
	st->present |= 1U << d->attr;
}
