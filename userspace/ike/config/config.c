// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration driver: reads lines, keeps the IOS mode stack, finds
 * the command each line names and calls its handler; then runs the
 * cross-reference checks and hands out the model only if all is clean.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

static void report_v(struct cfg_parser *p, enum cfg_severity sev,
		     struct cfg_loc loc, const char *fmt, va_list ap)
{
	struct cfg_result *r = p->res;

	if (sev == CFG_ERROR)
		r->n_errors++;
	else
		r->n_warnings++;
	if (r->n_diags == CFG_MAX_DIAGS)
		return;
	struct cfg_diag *d = &r->diags[r->n_diags++];

	d->severity = sev;
	d->loc = loc;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

void cfg_report(struct cfg_parser *p, enum cfg_severity sev,
		struct cfg_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(p, sev, loc, fmt, ap);
	va_end(ap);
}

void cfg_error_at(struct cfg_parser *p, const struct cfg_token *t,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(p, CFG_ERROR, cfg_tok_loc(p, t), fmt, ap);
	va_end(ap);
}

void cfg_warn_at(struct cfg_parser *p, const struct cfg_token *t,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(p, CFG_WARNING, cfg_tok_loc(p, t), fmt, ap);
	va_end(ap);
}

/* realloc() without leaving a copy behind: objects hold pre-shared keys,
 * and a freed block is not wiped. */
static void *grow_wiped(void *old, size_t old_size, size_t new_size)
{
	char *grown = malloc(new_size);

	if (!grown)
		return NULL;
	if (old) {
		memcpy(grown, old, old_size);
		explicit_bzero(old, old_size);
		free(old);
	}
	return grown;
}

void *cfg_array_add(struct cfg_parser *p, void **array, size_t *count,
		    size_t elem_size)
{
	char *grown = grow_wiped(*array, *count * elem_size,
				 (*count + 1) * elem_size);

	if (!grown) {
		p->oom = true;
		return NULL;
	}
	*array = grown;
	memset(grown + *count * elem_size, 0, elem_size);
	return grown + (*count)++ * elem_size;
}

/* Does the line start with this command's keywords? Returns how many
 * leading keywords matched (all of them means a full match). */
static size_t match_words(const struct cfg_cmd *cmd,
			  const struct cfg_line *l, size_t first,
			  size_t *nwords)
{
	const char *w = cmd->words;
	size_t matched = 0, total = 0;
	bool still = true;

	while (*w) {
		size_t len = strcspn(w, " ");
		size_t i = first + total;

		if (still && i < l->n && l->tok[i].len == len &&
		    strncasecmp(l->tok[i].s, w, len) == 0)
			matched++;
		else
			still = false;
		total++;
		w += len;
		if (*w == ' ')
			w++;
	}
	*nwords = total;
	return matched;
}

struct cmd_match {
	const struct cfg_cmd *full;	/* all keywords matched */
	size_t best_partial;		/* most keywords matched, if > 0 */
	const struct cfg_cmd *partial;
};

static struct cmd_match find_command(enum cfg_mode mode,
				     const struct cfg_line *l, size_t first)
{
	struct cmd_match r = { 0 };
	size_t n;
	const struct cfg_cmd *cmds = cfg_mode_commands(mode, &n);

	for (size_t i = 0; i < n; i++) {
		size_t nwords, got = match_words(&cmds[i], l, first, &nwords);

		if (got == nwords && !r.full)
			r.full = &cmds[i];
		else if (got > r.best_partial) {
			r.best_partial = got;
			r.partial = &cmds[i];
		}
	}
	return r;
}

static size_t count_words(const char *words)
{
	size_t n = 1;

	for (const char *c = words; *c; c++)
		n += *c == ' ';
	return n;
}

static void run_command(struct cfg_parser *p, const struct cfg_cmd *cmd,
			const struct cfg_line *l, size_t first)
{
	size_t nkw = count_words(cmd->words);
	size_t nargs = l->n - first - nkw;
	const struct cfg_token *args = &l->tok[first + nkw];
	const struct cfg_token *last = &l->tok[l->n - 1];

	if (p->negate && !cmd->allow_no) {
		cfg_error_at(p, &p->no_tok, "'no %s' is not supported; "
			     "remove the line instead", cmd->words);
		return;
	}
	/* "no" forms name what to remove, but may leave out the value. */
	if (nargs < cmd->min_args && !p->negate) {
		cfg_error_at(p, last, "'%s' needs %zu more argument%s",
			     cmd->words, cmd->min_args - nargs,
			     cmd->min_args - nargs == 1 ? "" : "s");
		return;
	}
	if (nargs > cmd->max_args) {
		cfg_error_at(p, &args[cmd->max_args],
			     "unexpected '%.*s' after '%s'",
			     (int)args[cmd->max_args].len,
			     args[cmd->max_args].s, cmd->words);
		return;
	}
	cmd->fn(p, args, nargs);
}

/* The opening line of a sub-mode is kept for the errors of its lines;
 * a keyring peer nests inside a keyring, so two levels. */
static char *mode_header(struct cfg_parser *p, enum cfg_mode mode)
{
	return p->header[mode == CFG_M_KEYRING_PEER];
}

/* The words of a line from `first` on (at most max_words), one space
 * between them. */
static void join_words(const struct cfg_line *l, size_t first,
		       size_t max_words, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = first; i < l->n && i < first + max_words; i++) {
		int n = snprintf(buf + used, size - used, "%s%.*s",
				 used ? " " : "", (int)l->tok[i].len,
				 l->tok[i].s);

		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

static bool words_are(const struct cfg_line *l, size_t first, const char *a,
		      const char *b)
{
	return first + 1 < l->n && cfg_tok_eq(&l->tok[first], a) &&
	       cfg_tok_eq(&l->tok[first + 1], b);
}

/* "set peer" and "match address ACL" only exist in crypto maps. */
static bool is_crypto_map_line(const struct cfg_line *l, size_t first)
{
	if (words_are(l, first, "set", "peer"))
		return true;
	return words_are(l, first, "match", "address") &&
	       !(first + 2 < l->n && cfg_tok_eq(&l->tok[first + 2], "local"));
}

/* Where a line was read, for messages: "global configuration" or the
 * sub-mode's opening line. */
static const char *where_name(struct cfg_parser *p, enum cfg_mode mode)
{
	if (mode == CFG_M_GLOBAL || !mode_header(p, mode)[0])
		return cfg_mode_name(mode);
	return mode_header(p, mode);
}

/* Skip the rest of a block whose opening line was in error. */
static void swallow_block(struct cfg_parser *p, const struct cfg_line *l,
			  size_t first)
{
	p->mode = CFG_M_SWALLOW;
	join_words(l, first, 4, mode_header(p, p->mode),
		   sizeof(p->header[0]));
	p->header_failed = true;
}

/* The one error for a line no mode knows, pointing at the first word
 * that did not fit and naming where it was read. */
static void report_unknown(struct cfg_parser *p, const struct cfg_line *l,
			   size_t first)
{
	struct cmd_match best = { 0 };
	enum cfg_mode where = p->mode;
	bool opener = cfg_tok_eq(&l->tok[first], "crypto");
	char words[80];

	if (p->header_failed && !opener)
		return;
	if (is_crypto_map_line(l, first)) {
		cfg_crypto_map_error(p, &l->tok[first]);
		return;
	}
	for (enum cfg_mode m = p->mode;; m = cfg_mode_parent(m)) {
		struct cmd_match r = find_command(m, l, first);

		if (r.best_partial > best.best_partial) {
			best = r;
			where = m;
		}
		if (m == CFG_M_GLOBAL)
			break;
	}
	join_words(l, first, best.best_partial == 1 ? 2 : 1, words,
		   sizeof(words));
	if (best.partial && first + best.best_partial == l->n) {
		cfg_error_at(p, &l->tok[l->n - 1], "incomplete command: "
			     "expected '%s'", best.partial->words);
	} else if (best.best_partial >= 2) {
		const struct cfg_token *t = &l->tok[first + best.best_partial];

		cfg_error_at(p, t, "unknown keyword '%.*s' in '%s' (%s)",
			     (int)t->len, t->s, best.partial->words,
			     where_name(p, where));
	} else if (p->mode != CFG_M_GLOBAL && !opener) {
		cfg_error_at(p, &l->tok[first], "unknown command '%s' in '%s'",
			     words, where_name(p, p->mode));
	} else {
		cfg_error_at(p, &l->tok[first], "unknown command '%s'", words);
	}
	if (opener)
		swallow_block(p, l, first);
}

/* Run a command found in mode m. A command that opens a sub-mode names
 * it for later messages; when its line was in error the sub-mode's lines
 * are skipped. */
static void run_in_mode(struct cfg_parser *p, enum cfg_mode m,
			const struct cfg_cmd *cmd, const struct cfg_line *l,
			size_t first)
{
	size_t errors = p->res->n_errors;
	bool failed;

	p->mode = m;
	run_command(p, cmd, l, first);
	failed = p->res->n_errors > errors;
	if (p->mode != m) {
		join_words(l, first, 4, mode_header(p, p->mode),
			   sizeof(p->header[0]));
		p->header_failed = failed;
	} else if (m == CFG_M_GLOBAL && failed &&
		   cfg_tok_eq(&l->tok[first], "crypto")) {
		/* A "crypto ..." line that never reached its handler may
		 * have opened a block: skip what follows it. */
		swallow_block(p, l, first);
	} else if (m == CFG_M_GLOBAL) {
		p->header_failed = false;
	}
}

/* IOS semantics: the current sub-mode first, then its parents. */
static void dispatch(struct cfg_parser *p, const struct cfg_line *l)
{
	size_t first = 0;

	p->negate = false;
	if (cfg_tok_eq(&l->tok[0], "no") && l->n > 1) {
		p->negate = true;
		p->no_tok = l->tok[0];
		first = 1;
	}
	for (enum cfg_mode m = p->mode;; m = cfg_mode_parent(m)) {
		struct cmd_match r = find_command(m, l, first);

		if (r.full) {
			/* A line of a block whose opening line was in
			 * error: skipped, its errors would be noise. */
			if (m != CFG_M_GLOBAL && p->header_failed)
				return;
			run_in_mode(p, m, r.full, l, first);
			return;
		}
		if (m == CFG_M_GLOBAL)
			break;
	}
	report_unknown(p, l, first);
}

static void read_line(struct cfg_parser *p, const char *text, size_t len,
		      unsigned lineno)
{
	struct cfg_line l;

	if (cfg_lex_line(p, text, len, lineno, &l) < 0 || l.n == 0)
		return;
	p->line = &l;
	if (l.tok[0].s[0] == '!') {
		p->line = NULL;
		return;
	}
	if (cfg_tok_eq(&l.tok[0], "exit") && l.n == 1)
		p->mode = cfg_mode_parent(p->mode);
	else if (cfg_tok_eq(&l.tok[0], "end") && l.n == 1)
		p->mode = CFG_M_GLOBAL;
	else
		dispatch(p, &l);
	if (p->mode == CFG_M_GLOBAL)
		p->header_failed = false;
	p->line = NULL;
}

/* Wipe, then free: the arrays hold pre-shared keys. */
static void free_wiped(void *arr, size_t n, size_t size)
{
	if (arr)
		explicit_bzero(arr, n * size);
	free(arr);
}

#define FREE_WIPED(arr, n) free_wiped((arr), (n), sizeof(*(arr)))

static void free_model(struct cfg_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_keyrings; i++)
		FREE_WIPED(m->keyrings[i].peers, m->keyrings[i].n_peers);
	for (size_t i = 0; i < m->n_isakmp_keyrings; i++)
		FREE_WIPED(m->isakmp_keyrings[i].keys,
			   m->isakmp_keyrings[i].n_keys);
	free(m->trustpoints);
	free(m->proposals);
	free(m->policies);
	free(m->keyrings);
	free(m->profiles);
	free(m->transform_sets);
	free(m->ipsec_profiles);
	free(m->interfaces);
	free(m->isakmp_policies);
	FREE_WIPED(m->isakmp_keys, m->n_isakmp_keys);
	free(m->isakmp_keyrings);
	free(m->isakmp_profiles);
	free(m->cert_maps);
	free(m->file);
	explicit_bzero(m, sizeof(*m));
	free(m);
}

static void read_all_lines(struct cfg_parser *p, const char *text,
			   size_t len)
{
	unsigned lineno = 0;
	size_t pos = 0;

	while (pos < len && !p->oom) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		read_line(p, text + pos, end - pos, ++lineno);
		pos = end + 1;
	}
}

int cfg_parse_buffer(const char *name, const char *text, size_t len,
		     struct cfg_result *res)
{
	struct cfg_parser p = { .res = res };

	memset(res, 0, sizeof(*res));
	res->file = strdup(name ? name : "<config>");
	p.m = calloc(1, sizeof(*p.m));
	if (!res->file || !p.m) {
		free_model(p.m);
		res->n_errors = 1;
		return -1;
	}
	read_all_lines(&p, text, len);
	if (!p.oom)
		cfg_check_model(&p);
	if (p.oom)
		cfg_report(&p, CFG_ERROR, (struct cfg_loc){ 0, 0 },
			   "out of memory");
	if (res->n_errors > 0) {
		free_model(p.m);
		return -1;
	}
	p.m->file = strdup(res->file);
	res->model = p.m;
	return 0;
}

int cfg_parse_file(const char *path, struct cfg_result *res)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (f) {
		for (;;) {
			if (len == cap) {
				char *g = grow_wiped(buf, cap,
						     cap ? cap * 2 : 65536);

				if (!g)
					break;
				buf = g;
				cap = cap ? cap * 2 : 65536;
			}
			size_t got = fread(buf + len, 1, cap - len, f);

			len += got;
			if (got == 0)
				break;
		}
	}
	if (!f || ferror(f) || !buf) {
		int err = errno;
		struct cfg_parser p = { .res = res };

		memset(res, 0, sizeof(*res));
		res->file = strdup(path);
		cfg_report(&p, CFG_ERROR, (struct cfg_loc){ 0, 0 },
			   "cannot read the file: %s", strerror(err));
		if (f)
			fclose(f);
		if (buf)
			explicit_bzero(buf, cap);
		free(buf);
		return -1;
	}
	fclose(f);
	rc = cfg_parse_buffer(path, buf, len, res);
	explicit_bzero(buf, cap);	/* the text holds the keys */
	free(buf);
	return rc;
}

void cfg_format_diag(const struct cfg_result *res, size_t i, char *buf,
		     size_t size)
{
	const struct cfg_diag *d = &res->diags[i];

	snprintf(buf, size, "%s:%u:%u: %s: %s",
		 res->file ? res->file : "<config>", d->loc.line, d->loc.col,
		 d->severity == CFG_ERROR ? "error" : "warning", d->msg);
}

void cfg_result_free(struct cfg_result *res)
{
	free_model((struct cfg_model *)res->model);
	free(res->file);
	res->model = NULL;
	res->file = NULL;
}

#define FIND_BY_NAME(array, count, name)                                  \
	do {                                                              \
		for (size_t i_ = 0; m && i_ < (count); i_++)               \
			if (strcmp((array)[i_].name, (name)) == 0)         \
				return &(array)[i_];                       \
		return NULL;                                              \
	} while (0)

const struct cfg_trustpoint *cfg_find_trustpoint(const struct cfg_model *m,
						 const char *name)
{
	FIND_BY_NAME(m->trustpoints, m->n_trustpoints, name);
}

const struct cfg_ikev2_proposal *cfg_find_proposal(const struct cfg_model *m,
						   const char *name)
{
	FIND_BY_NAME(m->proposals, m->n_proposals, name);
}

const struct cfg_ikev2_keyring *cfg_find_keyring(const struct cfg_model *m,
						 const char *name)
{
	FIND_BY_NAME(m->keyrings, m->n_keyrings, name);
}

const struct cfg_ikev2_profile *cfg_find_profile(const struct cfg_model *m,
						 const char *name)
{
	FIND_BY_NAME(m->profiles, m->n_profiles, name);
}

const struct cfg_transform_set *
cfg_find_transform_set(const struct cfg_model *m, const char *name)
{
	FIND_BY_NAME(m->transform_sets, m->n_transform_sets, name);
}

const struct cfg_ipsec_profile *
cfg_find_ipsec_profile(const struct cfg_model *m, const char *name)
{
	FIND_BY_NAME(m->ipsec_profiles, m->n_ipsec_profiles, name);
}

const struct cfg_interface *cfg_find_interface(const struct cfg_model *m,
					       const char *name)
{
	FIND_BY_NAME(m->interfaces, m->n_interfaces, name);
}

const struct cfg_isakmp_profile *
cfg_find_isakmp_profile(const struct cfg_model *m, const char *name)
{
	FIND_BY_NAME(m->isakmp_profiles, m->n_isakmp_profiles, name);
}

const struct cfg_isakmp_keyring *
cfg_find_isakmp_keyring(const struct cfg_model *m, const char *name)
{
	FIND_BY_NAME(m->isakmp_keyrings, m->n_isakmp_keyrings, name);
}

const struct cfg_isakmp_policy *
cfg_find_isakmp_policy(const struct cfg_model *m, uint32_t priority)
{
	for (size_t i = 0; m && i < m->n_isakmp_policies; i++)
		if (m->isakmp_policies[i].priority == priority)
			return &m->isakmp_policies[i];
	return NULL;
}

/* Used only when no policy is configured: IOS's own default suite
 * (DES, group 1) is broken, so ours is modern, and offers both methods
 * (a pre-shared key still has to be configured for the second). */
static const struct cfg_isakmp_policy default_policies[] = {
	{ .priority = 65534, .encr = { IKEV2_ENCR_AES_CBC, 256 },
	  .prf = IKEV2_PRF_HMAC_SHA2_256,
	  .integ = IKEV2_INTEG_HMAC_SHA2_256_128, .auth = CFG_AUTH_RSA_SIG,
	  .group = IKEV2_DH_MODP2048, .lifetime_s = 86400,
	  .is_default = true },
	{ .priority = 65535, .encr = { IKEV2_ENCR_AES_CBC, 256 },
	  .prf = IKEV2_PRF_HMAC_SHA2_256,
	  .integ = IKEV2_INTEG_HMAC_SHA2_256_128, .auth = CFG_AUTH_PRE_SHARE,
	  .group = IKEV2_DH_MODP2048, .lifetime_s = 86400,
	  .is_default = true },
};

const struct cfg_isakmp_policy *cfg_isakmp_default_policies(size_t *n)
{
	*n = sizeof(default_policies) / sizeof(default_policies[0]);
	return default_policies;
}

const struct cfg_isakmp_policy *
cfg_isakmp_policies(const struct cfg_model *m, size_t *n)
{
	if (!m || m->n_isakmp_policies == 0)
		return cfg_isakmp_default_policies(n);
	*n = m->n_isakmp_policies;
	return m->isakmp_policies;
}

static bool prefix_covers(const struct cfg_addr *net,
			  const struct cfg_addr *a)
{
	unsigned full = net->prefix / 8, rest = net->prefix % 8;

	if (net->family != a->family)
		return false;
	if (memcmp(net->bytes, a->bytes, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));

	return (net->bytes[full] & mask) == (a->bytes[full] & mask);
}

const struct cfg_isakmp_psk *
cfg_isakmp_psk_for_addr(const struct cfg_isakmp_psk *keys, size_t n,
			const struct cfg_addr *peer)
{
	const struct cfg_isakmp_psk *best = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct cfg_isakmp_psk *k = &keys[i];

		if (k->by_hostname || !prefix_covers(&k->addr, peer))
			continue;
		if (!best || k->addr.prefix > best->addr.prefix)
			best = k;
	}
	return best;
}

const struct cfg_isakmp_psk *
cfg_isakmp_psk_for_hostname(const struct cfg_isakmp_psk *keys, size_t n,
			    const char *hostname)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].by_hostname &&
		    strcasecmp(keys[i].hostname, hostname) == 0)
			return &keys[i];
	return NULL;
}

bool cfg_isakmp_fqdn(const struct cfg_model *m, char *buf, size_t size)
{
	int n;

	if (size)
		buf[0] = '\0';
	if (!m->hostname[0])
		return false;
	if (m->domain_name[0])
		n = snprintf(buf, size, "%s.%s", m->hostname, m->domain_name);
	else
		n = snprintf(buf, size, "%s", m->hostname);
	return n > 0 && (size_t)n < size;
}

enum cfg_ike_version
cfg_ipsec_profile_ike_version(const struct cfg_ipsec_profile *ip)
{
	return ip->has_ikev2_profile ? CFG_IKE_V2 : CFG_IKE_V1;
}
