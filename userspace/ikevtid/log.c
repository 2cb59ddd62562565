// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid log: stderr, with the syslog level kept for journald.
 *
 * Under journald a line starts with "<N>" and journald adds the time;
 * elsewhere (a terminal, a file, a test) it starts with the local time
 * and the level name. Events with structured fields (an IKE SA up or
 * down) go to journald's native socket when stderr is the journal, so
 * that "journalctl MESSAGE_ID=... IKEVTI_IFNAME=ikevti1" finds them; a
 * failed send falls back to the plain line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

static enum ike_log_level cur_level = IKE_LOG_NOTICE;
static bool journal;

static const char *const names[] = {
	[IKE_LOG_ERR] = "err",
	[IKE_LOG_WARNING] = "warning",
	[IKE_LOG_NOTICE] = "notice",
	[IKE_LOG_INFO] = "info",
	[IKE_LOG_DEBUG] = "debug",
};

bool log_stream_is_journal(const char *js, int fd)
{
	unsigned long long dev, ino;
	struct stat st;
	char tail;

	/* "DEV:INODE" of the stream systemd connected; stderr may since
	 * have been redirected (ikevtid -t 2>file under a unit). */
	if (!js || sscanf(js, "%llu:%llu%c", &dev, &ino, &tail) != 2)
		return false;
	if (fstat(fd, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

void log_init(enum ike_log_level level)
{
	journal = log_stream_is_journal(getenv("JOURNAL_STREAM"),
					STDERR_FILENO);
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

/* "2026-12-07 14:03:12.345 " in local time, for logs outside journald. */
static void timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t o;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	o = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + o, len - o, ".%03ld ", ts.tv_nsec / 1000000);
}

static void emit(enum ike_log_level level, const char *text, size_t n)
{
	char line[2048], ts[40] = "";

	log_format_line(line, sizeof(line), journal, level, text, n);
	if (!journal)
		timestamp(ts, sizeof(ts));
	fprintf(stderr, "%s%s\n", ts, line);
}

/* One "KEY=value\n" into buf at *o, control bytes as '?'; a field that
 * does not fit whole with its newline is left out. */
static void field(char *buf, size_t len, size_t *o, const char *key,
		  const char *val)
{
	size_t need = strlen(key) + 1 + strlen(val) + 1, i;
	char *p;

	if (*o + need + 1 > len)
		return;
	p = buf + *o;
	p += sprintf(p, "%s=", key);
	for (i = 0; val[i]; i++) {
		unsigned char c = (unsigned char)val[i];

		*p++ = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	*p++ = '\n';
	*p = '\0';
	*o += need;
}

size_t log_journal_record(char *buf, size_t len, enum ike_log_level level,
			  const char *message_id,
			  const struct log_field *fields, size_t n_fields,
			  const char *message)
{
	char prio[4];
	size_t o = 0, i;

	buf[0] = '\0';
	snprintf(prio, sizeof(prio), "%d", (int)level);
	field(buf, len, &o, "MESSAGE", message);
	field(buf, len, &o, "PRIORITY", prio);
	field(buf, len, &o, "SYSLOG_IDENTIFIER", "ikevtid");
	if (message_id)
		field(buf, len, &o, "MESSAGE_ID", message_id);
	for (i = 0; i < n_fields; i++)
		if (fields[i].value && fields[i].value[0])
			field(buf, len, &o, fields[i].key, fields[i].value);
	return o;
}

static int journal_send(const char *rec, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX,
				   .sun_path = JOURNAL_SOCKET };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = sendto(fd, rec, len, MSG_NOSIGNAL, (struct sockaddr *)&sun,
		   sizeof(sun));
	close(fd);
	return r == (ssize_t)len ? 0 : -1;
}

void log_event(enum ike_log_level level, const char *message_id,
	       const struct log_field *fields, size_t n_fields,
	       const char *fmt, ...)
{
	char msg[1024], rec[2048], line[1400];
	size_t i, o, len;
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (journal) {
		len = log_journal_record(rec, sizeof(rec), level, message_id,
					 fields, n_fields, msg);
		if (journal_send(rec, len) == 0)
			return;
	}
	/* Outside journald the fields follow the message as key=value. */
	o = (size_t)snprintf(line, sizeof(line), "%s", msg);
	for (i = 0; i < n_fields && o < sizeof(line); i++)
		if (fields[i].value && fields[i].value[0])
			o += (size_t)snprintf(line + o, sizeof(line) - o,
					      " %s=%s", fields[i].key,
					      fields[i].value);
	emit(level, line, strlen(line));
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
