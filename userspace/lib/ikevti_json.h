/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevti_json: the one JSON writer of ikevtid and ikevtictl (the commas,
 * the escaping and the conventions of Documentation/json.rst in one
 * place): every document is an object that starts with
 * "schema_version"; devices are "ifname"/"ifindex" as in iproute2; ESP
 * SPIs are "0x%08x" strings, IKE SPIs "0x%016x" strings.
 */
#ifndef IKEVTI_JSON_H
#define IKEVTI_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16
/* Raised when a member changes meaning or goes away (not when one is
 * added): scripts check it. */
#define IKEVTI_JSON_SCHEMA_VERSION 1

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	char open[JSON_MAX_DEPTH];	/* '{' or '[' at each depth */
};

void json_init(struct json *j, FILE *f);
/* json_init, the document's object and its "schema_version". */
void json_doc_begin(struct json *j, FILE *f);
/* The end of the document: closes every open object and array. */
void json_doc_end(struct json *j);
/* key is NULL inside arrays and at the top. */
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
/* "0x0000abcd" (ESP, 32 bits) and "0x0123456789abcdef" (IKE). */
void json_spi32(struct json *j, const char *key, uint32_t spi);
void json_spi64(struct json *j, const char *key, uint64_t spi);
/* A string written as JSON, escaped, with its quotes. */
void json_string(FILE *f, const char *s);

#endif /* IKEVTI_JSON_H */
