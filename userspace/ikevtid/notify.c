// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid: systemd notifications over $NOTIFY_SOCKET.
 *
 * The protocol is one datagram per notification, its text a set of
 * newline-separated assignments. The socket address is a filesystem
 * path, or an abstract name written with a leading '@' (its first byte
 * on the wire is then NUL). Nothing is kept open: a notification is
 * rare and the socket may move between a stop and a start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

static char last_status[256];

/* $NOTIFY_SOCKET -> sockaddr_un; its length, or -errno. */
static int notify_addr(const char *name, struct sockaddr_un *sun)
{
	size_t len = strlen(name);

	if (len < 2 || (name[0] != '/' && name[0] != '@'))
		return -EAFNOSUPPORT;	/* e.g. "vsock:": not ours to reach */
	if (len >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, name, len);
	if (name[0] == '@') {
		sun->sun_path[0] = '\0';
		/* Abstract names are not NUL-terminated: length is exact. */
		return (int)(offsetof(struct sockaddr_un, sun_path) + len);
	}
	return (int)(offsetof(struct sockaddr_un, sun_path) + len + 1);
}

int notify_send(const char *state)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;
	ssize_t sent;
	int fd, alen, err = 0;

	if (!name || !name[0])
		return 0;
	alen = notify_addr(name, &sun);
	if (alen < 0)
		return alen;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
		      (struct sockaddr *)&sun, (socklen_t)alen);
	if (sent < 0)
		err = -errno;
	else if ((size_t)sent != strlen(state))
		err = -EMSGSIZE;
	close(fd);
	return err ? err : 1;
}

static int send_with_status(const char *what, const char *status)
{
	char buf[320];

	if (status) {
		snprintf(last_status, sizeof(last_status), "%s", status);
		snprintf(buf, sizeof(buf), "%sSTATUS=%s", what, status);
	} else {
		snprintf(buf, sizeof(buf), "%s", what);
	}
	return notify_send(buf);
}

int notify_ready(const char *status)
{
	return send_with_status("READY=1\n", status);
}

int notify_reloading(void)
{
	return notify_send("RELOADING=1");
}

int notify_stopping(void)
{
	return notify_send("STOPPING=1");
}

int notify_status(const char *status)
{
	if (!strncmp(last_status, status, sizeof(last_status) - 1))
		return 0;
	return send_with_status("", status);
}
