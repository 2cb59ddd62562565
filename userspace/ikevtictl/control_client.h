/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtictl: the commands answered by the daemon ikevtid over its control
 * socket (show crypto ..., reload, clear, debug, status) and "monitor".
 *
 * Protocol: connect to the unix stream socket, write one request line,
 * read until the daemon closes. The reply is text (or JSON) followed by
 * a last line "OK" or "ERROR: message".
 */
#ifndef IKEVTICTL_CONTROL_CLIENT_H
#define IKEVTICTL_CONTROL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "globals.h"

extern const char ctl_daemon_usage[];

/*
 * Handle argv (the command, after the global options g) when it is a
 * daemon command or "monitor". Returns the exit status, or -1 when argv
 * is none of these (the caller goes on with the kernel commands).
 */
int ctl_daemon_dispatch(int argc, char **argv, const struct ctl_globals *g);

/* Send one request line, copy the reply body to out, the error to err.
 * Exit status: 0 on "OK", 1 on "ERROR" or when the daemon is away. */
int ctl_daemon_request(const char *sock_path, const char *line, FILE *out,
		       FILE *err);

/*
 * Split a complete reply into body and status. Returns 0 when the last
 * line is "OK", 1 for "ERROR: ..." (message pointed to by *msg), -1 when
 * the reply is cut short. *body_len is the length of the body.
 */
int ctl_reply_split(const char *reply, size_t len, size_t *body_len,
		    const char **msg);

#endif /* IKEVTICTL_CONTROL_CLIENT_H */
