// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid log: stderr, with the syslog level kept for journald.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

static enum ike_log_level cur_level = IKE_LOG_NOTICE;
static bool journal;

static const char *const names[] = {
	[IKE_LOG_ERR] = "err",
	[IKE_LOG_WARNING] = "warning",
	[IKE_LOG_NOTICE] = "notice",
	[IKE_LOG_INFO] = "info",
	[IKE_LOG_DEBUG] = "debug",
};

void log_init(enum ike_log_level level)
{
	/* systemd sets JOURNAL_STREAM when stderr goes to the journal. */
	const char *js = getenv("JOURNAL_STREAM");

	journal = js && js[0];
	cur_level = level;
	/* Line-buffered: each record reaches the journal or a pipe whole. */
	setvbuf(stderr, NULL, _IOLBF, 0);
}

void log_set_level(enum ike_log_level level)
{
	cur_level = level;
}

enum ike_log_level log_get_level(void)
{
	return cur_level;
}

bool log_enabled(enum ike_log_level level)
{
	return level <= cur_level;
}

int log_level_parse(const char *name)
{
	int i;

	for (i = IKE_LOG_ERR; i <= IKE_LOG_DEBUG; i++)
		if (!strcasecmp(name, names[i]))
			return i;
	if (!strcasecmp(name, "error"))
		return IKE_LOG_ERR;
	if (!strcasecmp(name, "warn"))
		return IKE_LOG_WARNING;
	return -1;
}

const char *log_level_name(enum ike_log_level level)
{
	if (level < IKE_LOG_ERR || level > IKE_LOG_DEBUG)
		return "?";
	return names[level];
}

void log_format_line(char *buf, size_t len, bool jrnl,
		     enum ike_log_level level, const char *text, size_t n)
{
	size_t i;
	int o;

	if (jrnl)
		o = snprintf(buf, len, "<%d>", (int)level);
	else
		o = snprintf(buf, len, "%s: ", log_level_name(level));
	if (o < 0 || (size_t)o >= len)
		return;
	if (n > len - (size_t)o - 1)
		n = len - (size_t)o - 1;
	/* Control bytes from the network must not forge log lines. */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];

		buf[o + (int)i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[o + (int)n] = '\0';
}

static void emit(enum ike_log_level level, const char *text, size_t n)
{
	char line[2048];

	log_format_line(line, sizeof(line), journal, level, text, n);
	fprintf(stderr, "%s\n", line);
}

void log_text(enum ike_log_level level, const char *text)
{
	const char *nl;

	if (!log_enabled(level))
		return;
	while ((nl = strchr(text, '\n'))) {
		if (nl > text)
			emit(level, text, (size_t)(nl - text));
		text = nl + 1;
	}
	if (*text)
		emit(level, text, strlen(text));
}

void log_msg(enum ike_log_level level, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_text(level, buf);
}

void log_announce(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	emit(IKE_LOG_NOTICE, buf, strlen(buf));
}
