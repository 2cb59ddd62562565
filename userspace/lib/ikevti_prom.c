// SPDX-License-Identifier: GPL-2.0
/*
 * ikevti_prom: Prometheus text format.
 */
#include <inttypes.h>

#include "ikevti_prom.h"

void prom_header(FILE *f, const char *name, const char *type,
		 const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

void prom_sample(FILE *f, const char *name, const char *label,
		 const char *value, uint64_t n)
{
	fputs(name, f);
	if (label) {
		fprintf(f, "{%s=\"", label);
		label_value(f, value ? value : "");
		fputs("\"}", f);
	}
	fprintf(f, " %" PRIu64 "\n", n);
}
