/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevti_prom: counters in the Prometheus text exposition format, as
 * node_exporter's textfile collector reads them ("ikevtictl metrics",
 * and ikevtid's part of it). One writer for both tools, so names and
 * escaping agree.
 */
#ifndef IKEVTI_PROM_H
#define IKEVTI_PROM_H

#include <stdint.h>
#include <stdio.h>

/* "# HELP name help" and "# TYPE name counter|gauge", once per name. */
void prom_header(FILE *f, const char *name, const char *type,
		 const char *help);
/* "name{label="value"} N" (label NULL: no label); the value is escaped
 * as the format wants (backslash, double quote, newline). */
void prom_sample(FILE *f, const char *name, const char *label,
		 const char *value, uint64_t n);

#endif /* IKEVTI_PROM_H */
