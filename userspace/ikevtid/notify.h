/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtid: the systemd notification protocol (sd_notify(3)), written
 * here so the daemon needs no libsystemd: one datagram of "KEY=VALUE"
 * lines to the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or "@name"
 * for the abstract namespace).
 */
#ifndef IKEVTID_NOTIFY_H
#define IKEVTID_NOTIFY_H

#include <stddef.h>

/*
 * Send state (e.g. "READY=1\nSTATUS=2 tunnels") to $NOTIFY_SOCKET.
 * 1 when sent, 0 when the variable is unset (not under systemd),
 * -errno when the address is invalid or the send failed.
 */
int notify_send(const char *state);

/* "READY=1" with the status line; "RELOADING=1"; "STOPPING=1". */
int notify_ready(const char *status);
int notify_reloading(void);
int notify_stopping(void);
/* STATUS= alone, sent only when it differs from the last one sent. */
int notify_status(const char *status);

#endif /* IKEVTID_NOTIFY_H */
