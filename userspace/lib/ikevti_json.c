// SPDX-License-Identifier: GPL-2.0
/*
 * ikevti_json: streaming JSON writer shared by ikevtid and ikevtictl.
 */
#include <inttypes.h>

#include "ikevti_json.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->need_comma[0] = false;
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Comma and key before a value. */
static void member(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
	if (key) {
		json_string(j->f, key);
		fputc(':', j->f);
	}
}

static void open_(struct json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
	j->open[j->depth] = c;
}

static void close_(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		fputc('\n', j->f);
}

void json_obj_begin(struct json *j, const char *key)
{
	open_(j, key, '{');
}

void json_obj_end(struct json *j)
{
	close_(j, '}');
}

void json_arr_begin(struct json *j, const char *key)
{
	open_(j, key, '[');
}

void json_arr_end(struct json *j)
{
	close_(j, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	member(j, key);
	json_string(j->f, val ? val : "");
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_doc_begin(struct json *j, FILE *f)
{
	json_init(j, f);
	json_obj_begin(j, NULL);
	json_u64(j, "schema_version", IKEVTI_JSON_SCHEMA_VERSION);
}

void json_doc_end(struct json *j)
{
	/* depth counts the open containers; 0 after the last close. */
	while (j->depth > 0)
		close_(j, j->open[j->depth] == '[' ? ']' : '}');
}

void json_spi32(struct json *j, const char *key, uint32_t spi)
{
	member(j, key);
	fprintf(j->f, "\"0x%08" PRIx32 "\"", spi);
}

void json_spi64(struct json *j, const char *key, uint64_t spi)
{
	member(j, key);
	fprintf(j->f, "\"0x%016" PRIx64 "\"", spi);
}
