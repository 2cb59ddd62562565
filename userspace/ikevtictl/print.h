/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtictl output: one block of text, or one JSON object, per SA or
 * device. The caller writes the JSON array around the objects.
 */
#ifndef IKEVTICTL_PRINT_H
#define IKEVTICTL_PRINT_H

#include <stdio.h>

#include "ikevti_sa.h"

void print_sa_text(FILE *f, const struct ikevti_sa_info *sa);
void print_sa_json(FILE *f, const struct ikevti_sa_info *sa);
void print_dev_text(FILE *f, const struct ikevti_dev_info *dev);
void print_dev_json(FILE *f, const struct ikevti_dev_info *dev);

/* A JSON string literal, escaped. */
void print_json_string(FILE *f, const char *s);

/* "aes-gcm", "aes-cbc"..., or "unknown(N)" into buf. */
const char *print_enc_name(uint16_t enc, char *buf, size_t len);
const char *print_integ_name(uint16_t integ, char *buf, size_t len);

#endif /* IKEVTICTL_PRINT_H */
