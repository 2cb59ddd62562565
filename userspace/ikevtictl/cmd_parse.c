// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtictl: command line parsing (no I/O).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd_parse.h"

const char ctl_usage[] =
	"Usage: ikevtictl [ -j ] OBJECT COMMAND [ ARGS ]\n"
	"\n"
	"  ikevtictl sa add dev IFNAME dir { in | out } spi SPI enc ENC key HEX\n"
	"        [ salt HEX ] [ integ INTEG auth-key HEX ] [ replay-window N ]\n"
	"        [ esn ] [ seq N ] [ local ADDR ] [ remote ADDR ]\n"
	"        [ encap SPORT DPORT ] [ allow-float ] [ nat-keepalive SECONDS ]\n"
	"        [ soft-bytes N ] [ hard-bytes N ] [ soft-packets N ] [ hard-packets N ]\n"
	"  ikevtictl sa del dev IFNAME dir { in | out } spi SPI\n"
	"  ikevtictl sa show dev IFNAME dir { in | out } spi SPI\n"
	"  ikevtictl sa list [ dev IFNAME ]\n"
	"  ikevtictl sa flush dev IFNAME\n"
	"  ikevtictl sa tx dev IFNAME spi SPI\n"
	"  ikevtictl spi alloc dev IFNAME [ min N ] [ max N ]\n"
	"  ikevtictl stats dev IFNAME\n"
	"  ikevtictl help | version\n"
	"\n"
	"  -j, --json   JSON output (sa list, sa show, stats, spi alloc)\n"
	"\n"
	"  SPI, N: decimal or 0x hex. HEX: key bytes as hex, with or without 0x.\n"
	"  ENC: aes-gcm-128 | aes-gcm-192 | aes-gcm-256 | chacha20-poly1305 (AEAD)\n"
	"       aes-cbc-128 | aes-cbc-192 | aes-cbc-256 | 3des-cbc (legacy)\n"
	"  INTEG (with CBC only): hmac-sha1-96 | hmac-sha256-128 | hmac-sha384-192\n"
	"       | hmac-sha512-256 | hmac-md5-96 (legacy)\n"
	"  AEAD keys: the key followed by the 4-byte salt, as \"ip xfrm state ...\n"
	"  aead 'rfc4106(gcm(aes))' KEY 128\" takes it (20, 28 or 36 bytes for GCM,\n"
	"  36 for ChaCha20-Poly1305), or the key alone plus \"salt HEX\".\n";

enum kw {
	K_DEV, K_DIR, K_SPI, K_ENC, K_KEY, K_SALT, K_INTEG, K_AUTH_KEY,
	K_REPLAY, K_ESN, K_SEQ, K_LOCAL, K_REMOTE, K_ENCAP, K_FLOAT,
	K_SOFT_BYTES, K_HARD_BYTES, K_SOFT_PACKETS, K_HARD_PACKETS,
	K_MIN, K_MAX, K_KEEPALIVE,
	K_N
};

static const struct {
	const char *name;
	int nval;		/* values following the keyword */
	const char *meta;	/* what the values are, for messages */
} kws[K_N] = {
	[K_DEV] = { "dev", 1, "IFNAME" },
	[K_DIR] = { "dir", 1, "in|out" },
	[K_SPI] = { "spi", 1, "SPI" },
	[K_ENC] = { "enc", 1, "ALG" },
	[K_KEY] = { "key", 1, "HEX" },
	[K_SALT] = { "salt", 1, "HEX" },
	[K_INTEG] = { "integ", 1, "ALG" },
	[K_AUTH_KEY] = { "auth-key", 1, "HEX" },
	[K_REPLAY] = { "replay-window", 1, "N" },
	[K_ESN] = { "esn", 0, NULL },
	[K_SEQ] = { "seq", 1, "N" },
	[K_LOCAL] = { "local", 1, "ADDR" },
	[K_REMOTE] = { "remote", 1, "ADDR" },
	[K_ENCAP] = { "encap", 2, "SPORT DPORT" },
	[K_FLOAT] = { "allow-float", 0, NULL },
	[K_SOFT_BYTES] = { "soft-bytes", 1, "N" },
	[K_HARD_BYTES] = { "hard-bytes", 1, "N" },
	[K_SOFT_PACKETS] = { "soft-packets", 1, "N" },
	[K_HARD_PACKETS] = { "hard-packets", 1, "N" },
	[K_MIN] = { "min", 1, "N" },
	[K_MAX] = { "max", 1, "N" },
	[K_KEEPALIVE] = { "nat-keepalive", 1, "SECONDS" },
};

#define BIT(k) (1UL << (k))
#define SA_ID (BIT(K_DEV) | BIT(K_DIR) | BIT(K_SPI))
#define SA_ADD_ALL (SA_ID | BIT(K_ENC) | BIT(K_KEY) | BIT(K_SALT) | \
	BIT(K_INTEG) | BIT(K_AUTH_KEY) | BIT(K_REPLAY) | BIT(K_ESN) | \
	BIT(K_SEQ) | BIT(K_LOCAL) | BIT(K_REMOTE) | BIT(K_ENCAP) | \
	BIT(K_FLOAT) | BIT(K_SOFT_BYTES) | BIT(K_HARD_BYTES) | \
	BIT(K_SOFT_PACKETS) | BIT(K_HARD_PACKETS) | BIT(K_KEEPALIVE))

/* One subcommand: its words, the keywords it takes and needs. */
struct subcmd {
	const char *obj, *verb;
	enum ctl_op op;
	unsigned long allowed, required;
};

static const struct subcmd subcmds[] = {
	{ "sa", "add", CTL_SA_ADD, SA_ADD_ALL,
	  SA_ID | BIT(K_ENC) | BIT(K_KEY) },
	{ "sa", "del", CTL_SA_DEL, SA_ID, SA_ID },
	{ "sa", "delete", CTL_SA_DEL, SA_ID, SA_ID },
	{ "sa", "show", CTL_SA_SHOW, SA_ID, SA_ID },
	{ "sa", "get", CTL_SA_SHOW, SA_ID, SA_ID },
	{ "sa", "list", CTL_SA_LIST, BIT(K_DEV), 0 },
	{ "sa", "flush", CTL_SA_FLUSH, BIT(K_DEV), BIT(K_DEV) },
	{ "sa", "tx", CTL_SA_TX, SA_ID, BIT(K_DEV) | BIT(K_SPI) },
	{ "spi", "alloc", CTL_SPI_ALLOC, BIT(K_DEV) | BIT(K_MIN) | BIT(K_MAX),
	  BIT(K_DEV) },
	{ "stats", NULL, CTL_STATS, BIT(K_DEV), BIT(K_DEV) },
};

/* Parsed but not yet converted: the value strings of each keyword. */
struct raw {
	const char *val[K_N][2];
	bool seen[K_N];
};

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int ctl_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!isxdigit((unsigned char)s[2]))
			return -1;
		v = strtoull(s + 2, &end, 16);
	} else {
		v = strtoull(s, &end, 10);
	}
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int ctl_parse_addr(const char *s, struct ikevti_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, &out->v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &out->v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return -1;
}

static int num(const struct raw *r, enum kw k, uint64_t max, uint64_t *out,
	       char *err, size_t errlen)
{
	const char *s = r->val[k][0];
	uint64_t v;

	if (ctl_parse_u64(s, UINT64_MAX, &v))
		return fail(err, errlen,
			    "invalid %s \"%s\": expected a number (decimal or 0x hex)",
			    kws[k].name, s);
	if (v > max)
		return fail(err, errlen, "%s %s is too large (at most %llu)",
			    kws[k].name, s, (unsigned long long)max);
	*out = v;
	return 0;
}

static int find_kw(const char *word)
{
	int k;

	for (k = 0; k < K_N; k++)
		if (strcmp(kws[k].name, word) == 0)
			return k;
	return -1;
}

static void cmd_name(const struct subcmd *sc, char *buf, size_t len)
{
	if (sc->verb)
		snprintf(buf, len, "%s %s", sc->obj, sc->verb);
	else
		snprintf(buf, len, "%s", sc->obj);
}

static int is_help(const char *s)
{
	return !strcmp(s, "help") || !strcmp(s, "-h") || !strcmp(s, "--help");
}

/* Collect keyword/value pairs into raw; 1 if "help" was asked. */
static int collect(const struct subcmd *sc, int argc, char **argv,
		   struct raw *r, char *err, size_t errlen)
{
	char name[32];
	int i, j, k;

	cmd_name(sc, name, sizeof(name));
	for (i = 0; i < argc; i++) {
		k = find_kw(argv[i]);
		if (k < 0 && is_help(argv[i]))
			return 1;
		if (k < 0)
			return fail(err, errlen,
				    "unknown keyword \"%s\" in \"%s\"",
				    argv[i], name);
		if (!(sc->allowed & BIT(k)))
			return fail(err, errlen,
				    "\"%s\" is not an option of \"%s\"",
				    argv[i], name);
		if (r->seen[k])
			return fail(err, errlen, "\"%s\" is given twice",
				    argv[i]);
		r->seen[k] = true;
		if (i + kws[k].nval >= argc)
			return fail(err, errlen, "\"%s\" needs %s (%s %s)",
				    argv[i],
				    kws[k].nval > 1 ? "two values" : "a value",
				    kws[k].name, kws[k].meta);
		for (j = 0; j < kws[k].nval; j++)
			r->val[k][j] = argv[++i];
	}
	return 0;
}

static int check_required(const struct subcmd *sc, const struct raw *r,
			  char *err, size_t errlen)
{
	char name[32];
	int k;

	cmd_name(sc, name, sizeof(name));
	for (k = 0; k < K_N; k++)
		if ((sc->required & BIT(k)) && !r->seen[k])
			return fail(err, errlen, "\"%s\" needs \"%s %s\"", name,
				    kws[k].name, kws[k].meta);
	return 0;
}

static int conv_dev(const struct raw *r, struct ctl_cmd *cmd, char *err,
		    size_t errlen)
{
	const char *s = r->val[K_DEV][0];

	if (!r->seen[K_DEV])
		return 0;
	if (!*s || strlen(s) >= IF_NAMESIZE || strchr(s, '/') ||
	    strpbrk(s, " \t\n"))
		return fail(err, errlen,
			    "invalid device name \"%s\" (1 to %d characters, no '/' or spaces)",
			    s, IF_NAMESIZE - 1);
	cmd->ifname = s;
	return 0;
}

static int conv_id(const struct raw *r, struct ctl_cmd *cmd, char *err,
		   size_t errlen)
{
	uint64_t v;

	if (r->seen[K_DIR]) {
		const char *d = r->val[K_DIR][0];

		if (strcmp(d, "in") == 0)
			cmd->sa.dir = IKEVTI_DIR_IN;
		else if (strcmp(d, "out") == 0)
			cmd->sa.dir = IKEVTI_DIR_OUT;
		else
			return fail(err, errlen,
				    "invalid dir \"%s\": expected in or out", d);
	}
	if (r->seen[K_SPI]) {
		if (num(r, K_SPI, UINT32_MAX, &v, err, errlen))
			return -1;
		cmd->sa.spi = (uint32_t)v;
	}
	return 0;
}

static void alg_list(char *buf, size_t len, bool integ)
{
	size_t i, pos = 0;
	const char *n;

	buf[0] = '\0';
	for (i = 0;; i++) {
		if (integ) {
			const struct ikevti_integ_alg *a = ikevti_integ_at(i);

			n = a ? a->name : NULL;
		} else {
			const struct ikevti_enc_alg *a = ikevti_enc_at(i);

			n = a ? a->name : NULL;
		}
		if (!n || pos >= len)
			break;
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s",
					i ? ", " : "", n);
	}
}

/* Hex of a keyword into buf[256]; *n its length. */
static int hex(const struct raw *r, enum kw k, uint8_t *buf, size_t *n,
	       char *err, size_t errlen)
{
	char herr[128];

	if (ikevti_hex_parse(r->val[k][0], buf, 256, n, herr, sizeof(herr)))
		return fail(err, errlen, "bad %s: %s", kws[k].name, herr);
	return 0;
}

static int conv_aead_key(const struct raw *r,
			 const struct ikevti_enc_alg *enc, uint8_t *buf,
			 size_t n, struct ikevti_sa_cfg *sa, char *err,
			 size_t errlen)
{
	size_t salt_n;

	if (r->seen[K_INTEG] || r->seen[K_AUTH_KEY])
		return fail(err, errlen,
			    "%s is an AEAD algorithm: \"integ\" and \"auth-key\" are not allowed",
			    enc->name);
	if (r->seen[K_SALT]) {
		if (n != enc->key_len)
			return fail(err, errlen,
				    "key for %s must be %u bytes when \"salt\" is given, got %zu",
				    enc->name, enc->key_len, n);
		memcpy(sa->enc_key, buf, n);
		sa->enc_key_len = n;
		if (hex(r, K_SALT, buf, &salt_n, err, errlen))
			return -1;
		if (salt_n != enc->salt_len)
			return fail(err, errlen,
				    "salt for %s must be %u bytes, got %zu",
				    enc->name, enc->salt_len, salt_n);
		memcpy(sa->salt, buf, salt_n);
		sa->salt_len = salt_n;
		return 0;
	}
	if (n == enc->key_len)
		return fail(err, errlen,
			    "%s needs a %u-byte salt: give key as %u bytes (key||salt, as ip xfrm takes it) or add \"salt HEX\"",
			    enc->name, enc->salt_len,
			    enc->key_len + enc->salt_len);
	if (n != (size_t)enc->key_len + enc->salt_len)
		return fail(err, errlen,
			    "key for %s must be %u bytes (%u-byte key + %u-byte salt, as ip xfrm takes it) or %u bytes with \"salt\", got %zu",
			    enc->name, enc->key_len + enc->salt_len,
			    enc->key_len, enc->salt_len, enc->key_len, n);
	memcpy(sa->enc_key, buf, enc->key_len);
	sa->enc_key_len = enc->key_len;
	memcpy(sa->salt, buf + enc->key_len, enc->salt_len);
	sa->salt_len = enc->salt_len;
	return 0;
}

static int conv_cbc_key(const struct raw *r, const struct ikevti_enc_alg *enc,
			uint8_t *buf, size_t n, struct ikevti_sa_cfg *sa,
			char *err, size_t errlen)
{
	const struct ikevti_integ_alg *integ;
	char list[256];

	if (r->seen[K_SALT])
		return fail(err, errlen, "%s takes no salt", enc->name);
	if (n != enc->key_len)
		return fail(err, errlen, "key for %s must be %u bytes, got %zu",
			    enc->name, enc->key_len, n);
	memcpy(sa->enc_key, buf, n);
	sa->enc_key_len = n;
	if (!r->seen[K_INTEG])
		return fail(err, errlen,
			    "%s needs \"integ ALG auth-key HEX\"", enc->name);
	integ = ikevti_integ_by_name(r->val[K_INTEG][0]);
	if (!integ) {
		alg_list(list, sizeof(list), true);
		return fail(err, errlen,
			    "unknown integ algorithm \"%s\" (known: %s)",
			    r->val[K_INTEG][0], list);
	}
	if (!r->seen[K_AUTH_KEY])
		return fail(err, errlen, "\"integ %s\" needs \"auth-key HEX\"",
			    integ->name);
	if (hex(r, K_AUTH_KEY, buf, &n, err, errlen))
		return -1;
	if (n != integ->key_len)
		return fail(err, errlen,
			    "auth-key for %s must be %u bytes, got %zu",
			    integ->name, integ->key_len, n);
	sa->integ = integ->id;
	memcpy(sa->auth_key, buf, n);
	sa->auth_key_len = n;
	return 0;
}

static int conv_keys(const struct raw *r, struct ikevti_sa_cfg *sa,
		     char *err, size_t errlen)
{
	const struct ikevti_enc_alg *enc;
	uint8_t buf[256];
	char list[256];
	size_t n;
	int ret;

	enc = ikevti_enc_by_name(r->val[K_ENC][0]);
	if (!enc) {
		alg_list(list, sizeof(list), false);
		return fail(err, errlen,
			    "unknown enc algorithm \"%s\" (known: %s)",
			    r->val[K_ENC][0], list);
	}
	sa->enc = enc->id;
	if (hex(r, K_KEY, buf, &n, err, errlen))
		return -1;
	if (enc->aead)
		ret = conv_aead_key(r, enc, buf, n, sa, err, errlen);
	else
		ret = conv_cbc_key(r, enc, buf, n, sa, err, errlen);
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

static int conv_u64(const struct raw *r, enum kw k, uint64_t max,
		    uint64_t *out, char *err, size_t errlen)
{
	if (!r->seen[k])
		return 0;
	return num(r, k, max, out, err, errlen);
}

static int conv_addr(const struct raw *r, enum kw k, struct ikevti_addr *a,
		     char *err, size_t errlen)
{
	if (r->seen[k] && ctl_parse_addr(r->val[k][0], a))
		return fail(err, errlen,
			    "invalid %s address \"%s\": expected IPv4 or IPv6",
			    kws[k].name, r->val[k][0]);
	return 0;
}

static int conv_port(const char *s, uint16_t *out, const char *what,
		     char *err, size_t errlen)
{
	uint64_t v;

	if (ctl_parse_u64(s, 65535, &v) || v == 0)
		return fail(err, errlen,
			    "invalid encap %s \"%s\": expected a port 1-65535",
			    what, s);
	*out = (uint16_t)v;
	return 0;
}

static int conv_sa_options(const struct raw *r, struct ikevti_sa_cfg *sa,
			   char *err, size_t errlen)
{
	uint64_t v;

	if (r->seen[K_REPLAY]) {
		if (num(r, K_REPLAY, IKEVTI_REPLAY_WINDOW_MAX, &v, err,
			errlen))
			return -1;
		sa->has_replay_window = true;
		sa->replay_window = (uint32_t)v;
	}
	if (r->seen[K_ESN])
		sa->flags |= IKEVTI_SA_F_ESN;
	if (r->seen[K_FLOAT])
		sa->flags |= IKEVTI_SA_F_ALLOW_FLOAT;
	if (r->seen[K_SEQ]) {
		if (num(r, K_SEQ, UINT64_MAX, &sa->seq, err, errlen))
			return -1;
		sa->has_seq = true;
	}
	if (conv_addr(r, K_LOCAL, &sa->local, err, errlen) ||
	    conv_addr(r, K_REMOTE, &sa->remote, err, errlen))
		return -1;
	if (r->seen[K_ENCAP]) {
		if (conv_port(r->val[K_ENCAP][0], &sa->encap_sport, "SPORT",
			      err, errlen) ||
		    conv_port(r->val[K_ENCAP][1], &sa->encap_dport, "DPORT",
			      err, errlen))
			return -1;
		sa->has_encap = true;
	}
	if (r->seen[K_KEEPALIVE]) {
		if (num(r, K_KEEPALIVE, UINT32_MAX, &v, err, errlen))
			return -1;
		sa->nat_keepalive = (uint32_t)v;
	}
	if (conv_u64(r, K_SOFT_BYTES, UINT64_MAX, &sa->soft_bytes, err,
		     errlen) ||
	    conv_u64(r, K_HARD_BYTES, UINT64_MAX, &sa->hard_bytes, err,
		     errlen) ||
	    conv_u64(r, K_SOFT_PACKETS, UINT64_MAX, &sa->soft_packets, err,
		     errlen) ||
	    conv_u64(r, K_HARD_PACKETS, UINT64_MAX, &sa->hard_packets, err,
		     errlen))
		return -1;
	return 0;
}

static int conv(const struct subcmd *sc, const struct raw *r,
		struct ctl_cmd *cmd, char *err, size_t errlen)
{
	uint64_t v;

	if (conv_dev(r, cmd, err, errlen) || conv_id(r, cmd, err, errlen) ||
	    check_required(sc, r, err, errlen))
		return -1;
	switch (sc->op) {
	case CTL_SA_ADD:
		if (conv_keys(r, &cmd->sa, err, errlen) ||
		    conv_sa_options(r, &cmd->sa, err, errlen))
			return -1;
		return ikevti_sa_cfg_check(&cmd->sa, err, errlen);
	case CTL_SA_TX:
		if (r->seen[K_DIR] && cmd->sa.dir != IKEVTI_DIR_OUT)
			return fail(err, errlen,
				    "\"sa tx\" selects an outbound SA: dir must be out");
		cmd->sa.dir = IKEVTI_DIR_OUT;
		return 0;
	case CTL_SPI_ALLOC:
		if (r->seen[K_MIN]) {
			if (num(r, K_MIN, UINT32_MAX, &v, err, errlen))
				return -1;
			cmd->spi_min = (uint32_t)v;
		}
		if (r->seen[K_MAX]) {
			if (num(r, K_MAX, UINT32_MAX, &v, err, errlen))
				return -1;
			cmd->spi_max = (uint32_t)v;
		}
		if (r->seen[K_MIN] && cmd->spi_min < 256)
			return fail(err, errlen,
				    "min %u is in the reserved range (SPIs start at 256)",
				    cmd->spi_min);
		if (r->seen[K_MIN] && r->seen[K_MAX] &&
		    cmd->spi_min > cmd->spi_max)
			return fail(err, errlen, "min 0x%x is above max 0x%x",
				    cmd->spi_min, cmd->spi_max);
		return 0;
	default:
		return 0;
	}
}

static const struct subcmd *find_subcmd(int argc, char **argv, int *used,
					char *err, size_t errlen)
{
	size_t i;
	bool obj_known = false;

	for (i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++) {
		const struct subcmd *sc = &subcmds[i];

		if (strcmp(argv[0], sc->obj) != 0)
			continue;
		obj_known = true;
		if (!sc->verb) {
			*used = 1;
			return sc;
		}
		if (argc >= 2 && strcmp(argv[1], sc->verb) == 0) {
			*used = 2;
			return sc;
		}
	}
	if (!obj_known)
		fail(err, errlen, "unknown object \"%s\" (sa, spi, stats, help)",
		     argv[0]);
	else if (argc < 2)
		fail(err, errlen, "\"%s\" needs a command", argv[0]);
	else
		fail(err, errlen, "unknown command \"%s %s\"", argv[0],
		     argv[1]);
	return NULL;
}

static void note_secrets(const struct raw *r, struct ctl_cmd *cmd)
{
	static const enum kw secret_kws[CTL_MAX_SECRETS] = {
		K_KEY, K_SALT, K_AUTH_KEY
	};
	int i;

	for (i = 0; i < CTL_MAX_SECRETS; i++)
		cmd->secrets[i] = (char *)r->val[secret_kws[i]][0];
}

int ctl_parse(int argc, char **argv, struct ctl_cmd *cmd, char *err,
	      size_t errlen)
{
	const struct subcmd *sc;
	struct raw r;
	int used, ret;

	memset(cmd, 0, sizeof(*cmd));
	memset(&r, 0, sizeof(r));
	err[0] = '\0';
	while (argc > 0 && argv[0][0] == '-' && !is_help(argv[0])) {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json") ||
		    !strcmp(argv[0], "-json"))
			cmd->json = true;
		else if (!strcmp(argv[0], "-V") || !strcmp(argv[0], "--version"))
			cmd->op = CTL_VERSION;
		else
			return fail(err, errlen, "unknown option \"%s\"",
				    argv[0]);
		argc--;
		argv++;
	}
	if (cmd->op == CTL_VERSION)
		return 0;
	if (argc == 0)
		return fail(err, errlen, "no command given");
	if (is_help(argv[0])) {
		cmd->op = CTL_HELP;
		return 0;
	}
	if (!strcmp(argv[0], "version")) {
		cmd->op = CTL_VERSION;
		return 0;
	}
	if (argc == 1 && !strcmp(argv[0], "sa")) {
		cmd->op = CTL_SA_LIST;	/* like "ip xfrm state" */
		return 0;
	}
	sc = find_subcmd(argc, argv, &used, err, errlen);
	if (!sc)
		return -1;
	cmd->op = sc->op;
	ret = collect(sc, argc - used, argv + used, &r, err, errlen);
	if (ret == 1) {
		cmd->op = CTL_HELP;
		note_secrets(&r, cmd);
		return 0;
	}
	if (ret || conv(sc, &r, cmd, err, errlen)) {
		ikevti_sa_cfg_wipe(&cmd->sa);
		note_secrets(&r, cmd);
		return -1;
	}
	note_secrets(&r, cmd);
	return 0;
}

void ctl_cmd_wipe(struct ctl_cmd *cmd)
{
	int i;

	ikevti_sa_cfg_wipe(&cmd->sa);
	for (i = 0; i < CTL_MAX_SECRETS; i++)
		if (cmd->secrets[i])
			explicit_bzero(cmd->secrets[i], strlen(cmd->secrets[i]));
}
