/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtid log: one line per record on stderr. When stderr is the journal
 * ($JOURNAL_STREAM names its device and inode) each line starts with
 * "<N>", the syslog level, so that journald keeps it; otherwise with the
 * local time and "LEVEL: ". log_event() adds structured fields.
 */
#ifndef IKEVTID_LOG_H
#define IKEVTID_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"

/* Read the environment; level is the most verbose level printed. */
void log_init(enum ike_log_level level);
void log_set_level(enum ike_log_level level);
enum ike_log_level log_get_level(void);
bool log_enabled(enum ike_log_level level);

/* "err", "warning", "notice", "info", "debug" -> level; -1 if unknown. */
int log_level_parse(const char *name);
const char *log_level_name(enum ike_log_level level);

__attribute__((format(printf, 2, 3)))
void log_msg(enum ike_log_level level, const char *fmt, ...);
/* A notice printed whatever the level ("ikevtid: ready"). */
__attribute__((format(printf, 1, 2)))
void log_announce(const char *fmt, ...);
/* A record that may span lines (the engine's): every line prefixed. */
void log_text(enum ike_log_level level, const char *text);

/* A structured field: KEY (upper case, journald's rules) and its value. */
struct log_field {
	const char *key;
	const char *value;	/* NULL or "": left out */
};

/*
 * A record with a MESSAGE_ID (32 hex digits, see journal.rst in
 * Documentation) and fields such as IKEVTI_IFNAME, IKEVTI_PEER: through
 * journald's native protocol when stderr is the journal, else one line
 * with the fields appended as " KEY=value".
 */
__attribute__((format(printf, 5, 6)))
void log_event(enum ike_log_level level, const char *message_id,
	       const struct log_field *fields, size_t n_fields,
	       const char *fmt, ...);

/* Whether $JOURNAL_STREAM ("DEV:INODE") is the stream fd is open on. */
bool log_stream_is_journal(const char *journal_stream, int fd);
/* The native-protocol datagram of a record into buf; its length. */
size_t log_journal_record(char *buf, size_t len, enum ike_log_level level,
			  const char *message_id,
			  const struct log_field *fields, size_t n_fields,
			  const char *message);

/* Format one line (no newline) as log_msg prints it; for tests. */
void log_format_line(char *buf, size_t len, bool journal,
		     enum ike_log_level level, const char *text, size_t n);

#define log_err(...) log_msg(IKE_LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(IKE_LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(IKE_LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(IKE_LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(IKE_LOG_DEBUG, __VA_ARGS__)

#endif /* IKEVTID_LOG_H */
