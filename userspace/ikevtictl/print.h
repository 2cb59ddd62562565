/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtictl output: one block of text, or one JSON object (an element of
 * the document's "sas" or "devices" array, see Documentation/json.rst),
 * per SA or device.
 */
#ifndef IKEVTICTL_PRINT_H
#define IKEVTICTL_PRINT_H

#include <stdio.h>

#include "ikevti_json.h"
#include "ikevti_sa.h"

void print_sa_text(FILE *f, const struct ikevti_sa_info *sa);
void print_sa_json(struct json *j, const struct ikevti_sa_info *sa);
void print_dev_text(FILE *f, const struct ikevti_dev_info *dev);
void print_dev_json(struct json *j, const struct ikevti_dev_info *dev);


/* "aes-gcm", "aes-cbc"..., or "unknown(N)" into buf. */
const char *print_enc_name(uint16_t enc, char *buf, size_t len);
const char *print_integ_name(uint16_t integ, char *buf, size_t len);

#endif /* IKEVTICTL_PRINT_H */
