// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers every command file uses: finding or creating the object a
 * sub-mode edits, entering the sub-mode, editing lists of references,
 * and the handlers of lines that are accepted and ignored.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

/* Find an object by name or append it; IOS re-entry edits the original.
 * Every object struct starts with its name, loc_off says where its
 * definition location is. */
bool cfg_find_or_add(struct cfg_parser *p, void **arr, size_t *count,
		     size_t size, size_t loc_off,
		     const struct cfg_token *tok, size_t *index)
{
	char name[CFG_NAME_MAX];
	struct cfg_loc loc = cfg_tok_loc(p, tok);
	char *obj;
	size_t i;

	*index = 0;
	if (!cfg_valid_name(p, tok, name, sizeof(name)))
		return false;
	for (i = 0; i < *count; i++)
		if (strcmp((char *)*arr + i * size, name) == 0)
			break;
	*index = i;
	if (i < *count)
		return true;
	obj = cfg_array_add(p, arr, count, size);
	if (!obj)
		return false;
	strcpy(obj, name);
	memcpy(obj + loc_off, &loc, sizeof(loc));
	return true;
}

/* Enter a sub-mode even when the header was bad, so that its lines are
 * not reported again as unknown global commands. With no object to edit
 * (cur out of range) the handlers skip the lines; the parse has already
 * failed. */
void cfg_enter(struct cfg_parser *p, enum cfg_mode mode, bool ok,
	       size_t index)
{
	p->mode = mode;
	p->cur = ok ? index : SIZE_MAX;
}

bool cfg_have_current(struct cfg_parser *p, size_t count)
{
	return p->cur < count;
}

/* Add or remove a reference in a list of names, keeping its location. */
void cfg_edit_ref_list(struct cfg_parser *p, struct cfg_ref *list,
		       size_t *n, size_t max, const struct cfg_token *t)
{
	char name[CFG_NAME_MAX];
	size_t i;

	if (!cfg_valid_name(p, t, name, sizeof(name)))
		return;
	for (i = 0; i < *n && strcmp(list[i].name, name) != 0; i++)
		;
	if (p->negate) {
		if (i < *n) {
			memmove(&list[i], &list[i + 1],
				(*n - i - 1) * sizeof(*list));
			(*n)--;
		}
		return;
	}
	if (i < *n)
		return;
	if (*n == max) {
		cfg_error_at(p, t, "more than %zu names", max);
		return;
	}
	strcpy(list[*n].name, name);
	list[(*n)++].loc = cfg_tok_loc(p, t);
}

void cfg_ignore_warn(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs)
{
	(void)arg;
	(void)nargs;
	cfg_warn_at(p, &p->line->tok[0], "'%.*s' ignored: not used by "
		    "ikevtid", (int)p->line->tok[0].len, p->line->tok[0].s);
}

void cfg_ignore_silent(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs)
{
	(void)p;
	(void)arg;
	(void)nargs;
}
