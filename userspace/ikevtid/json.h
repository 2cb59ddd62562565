/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtid: a small streaming JSON writer for the control replies (the
 * commas and the escaping in one place).
 */
#ifndef IKEVTID_JSON_H
#define IKEVTID_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
/* key is NULL inside arrays and at the top. */
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
/* A string written as JSON, escaped, with its quotes. */
void json_string(FILE *f, const char *s);

#endif /* IKEVTID_JSON_H */
