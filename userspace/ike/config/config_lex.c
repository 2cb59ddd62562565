// SPDX-License-Identifier: GPL-2.0
/*
 * The line lexer: IOS has no quoting, so a token is a run of non-blank
 * bytes. Columns count bytes from 1 so that an editor's "go to column"
 * lands on the token.
 */
#include <string.h>
#include <strings.h>

#include "config/config_int.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* How many bytes of blank start at text[i]: also UTF-8 no-break spaces
 * (C2 A0), which configurations copied from a web page are indented
 * with. */
static size_t blank_len(const char *text, size_t i, size_t len)
{
	if (is_blank(text[i]))
		return 1;
	if (i + 1 < len && (unsigned char)text[i] == 0xc2 &&
	    (unsigned char)text[i + 1] == 0xa0)
		return 2;
	return 0;
}

/* Control bytes have no place in a configuration and would make error
 * messages unreadable, so they are refused before tokenizing. */
static bool check_bytes(struct cfg_parser *p, const char *text, size_t len,
			unsigned lineno)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 && c != '\t' && c != '\r') {
			cfg_report(p, CFG_ERROR,
				   (struct cfg_loc){ lineno, (unsigned)i + 1 },
				   "control character 0x%02x in line", c);
			return false;
		}
	}
	return true;
}

int cfg_lex_line(struct cfg_parser *p, const char *text, size_t len,
		 unsigned lineno, struct cfg_line *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	out->lineno = lineno;
	out->end = text + len;
	if (len > CFG_LINE_MAX) {
		cfg_report(p, CFG_ERROR, (struct cfg_loc){ lineno, CFG_LINE_MAX },
			   "line longer than %d bytes", CFG_LINE_MAX);
		return -1;
	}
	if (!check_bytes(p, text, len, lineno))
		return -1;
	out->indented = len > 0 && blank_len(text, 0, len) && text[0] != '\r';
	while (i < len) {
		while (i < len && blank_len(text, i, len))
			i += blank_len(text, i, len);
		if (i == len)
			break;
		if (out->n == CFG_MAX_TOKENS) {
			cfg_report(p, CFG_ERROR,
				   (struct cfg_loc){ lineno, (unsigned)i + 1 },
				   "more than %d words in one line",
				   CFG_MAX_TOKENS);
			return -1;
		}
		struct cfg_token *t = &out->tok[out->n++];

		t->s = text + i;
		t->col = (unsigned)i + 1;
		while (i < len && !blank_len(text, i, len))
			i++;
		t->len = (size_t)(text + i - t->s);
	}
	return 0;
}

bool cfg_tok_eq(const struct cfg_token *t, const char *keyword)
{
	size_t n = strlen(keyword);

	return t->len == n && strncasecmp(t->s, keyword, n) == 0;
}

bool cfg_tok_copy(struct cfg_parser *p, const struct cfg_token *t,
		  char *dst, size_t size, const char *what)
{
	if (t->len == 0) {		/* an absent token has no bytes */
		dst[0] = '\0';
		return true;
	}
	if (t->len >= size) {
		cfg_error_at(p, t, "%s is longer than %zu characters", what,
			     size - 1);
		return false;
	}
	memcpy(dst, t->s, t->len);
	dst[t->len] = '\0';
	return true;
}

bool cfg_rest_copy(struct cfg_parser *p, const struct cfg_token *t,
		   const char *line_end, char *dst, size_t size,
		   const char *what)
{
	struct cfg_token rest = *t;

	rest.len = (size_t)(line_end - t->s);
	for (;;) {
		if (rest.len > 0 && is_blank(rest.s[rest.len - 1]))
			rest.len--;
		else if (rest.len > 1 &&
			 blank_len(rest.s, rest.len - 2, rest.len) == 2)
			rest.len -= 2;
		else
			break;
	}
	return cfg_tok_copy(p, &rest, dst, size, what);
}

struct cfg_loc cfg_tok_loc(const struct cfg_parser *p,
			   const struct cfg_token *t)
{
	return (struct cfg_loc){ p->line ? p->line->lineno : 0, t->col };
}
