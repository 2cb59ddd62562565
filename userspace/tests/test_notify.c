// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: ikevtid's systemd notifications, received on a datagram
 * socket of our own standing in for systemd's, at a path and at an
 * abstract address, and refused for addresses that are not AF_UNIX.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "notify.h"

struct listener {
	int fd;
	char name[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* Bind a datagram socket at name ("/path" or "@abstract"). */
static void listen_at(struct listener *l, const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t alen;

	snprintf(l->name, sizeof(l->name), "%s", name);
	l->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(l->fd >= 0);
	memcpy(sun.sun_path, name, strlen(name));
	alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			   strlen(name));
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	else
		alen++;
	unlink(name);
	assert_int_equal(bind(l->fd, (struct sockaddr *)&sun, alen), 0);
	assert_int_equal(setenv("NOTIFY_SOCKET", name, 1), 0);
}

static void listener_close(struct listener *l)
{
	close(l->fd);
	if (l->name[0] == '/')
		unlink(l->name);
	unsetenv("NOTIFY_SOCKET");
}

/* The next datagram, NUL-terminated; "" when there is none. */
static const char *next_datagram(struct listener *l)
{
	static char buf[512];
	ssize_t n = recv(l->fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void socket_path(char *buf, size_t len)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(buf, len, "%s/ikevti-notify-%d.sock", tmp ? tmp : "/tmp",
		 (int)getpid());
}

static void test_ready_with_status(void **state)
{
	struct listener l;
	char path[100];

	(void)state;
	socket_path(path, sizeof(path));
	listen_at(&l, path);
	assert_int_equal(notify_ready("2 tunnels, 1 IKE SA"), 1);
	assert_string_equal(next_datagram(&l),
			    "READY=1\nSTATUS=2 tunnels, 1 IKE SA");
	listener_close(&l);
}

static void test_status_only_when_changed(void **state)
{
	struct listener l;
	char path[100];

	(void)state;
	socket_path(path, sizeof(path));
	listen_at(&l, path);
	assert_int_equal(notify_status("0 tunnels, 0 IKE SAs"), 1);
	assert_string_equal(next_datagram(&l), "STATUS=0 tunnels, 0 IKE SAs");
	/* Unchanged: nothing sent, so the loop can call it after each event. */
	assert_int_equal(notify_status("0 tunnels, 0 IKE SAs"), 0);
	assert_string_equal(next_datagram(&l), "");
	assert_int_equal(notify_status("1 tunnel, 0 IKE SAs"), 1);
	assert_string_equal(next_datagram(&l), "STATUS=1 tunnel, 0 IKE SAs");
	listener_close(&l);
}

static void test_abstract_socket(void **state)
{
	struct listener l;
	char name[64];

	(void)state;
	snprintf(name, sizeof(name), "@ikevti-notify-test-%d", (int)getpid());
	listen_at(&l, name);
	assert_int_equal(notify_reloading(), 1);
	assert_string_equal(next_datagram(&l), "RELOADING=1");
	assert_int_equal(notify_stopping(), 1);
	assert_string_equal(next_datagram(&l), "STOPPING=1");
	listener_close(&l);
}

static void test_not_under_systemd(void **state)
{
	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(notify_send("READY=1"), 0);
	setenv("NOTIFY_SOCKET", "", 1);
	assert_int_equal(notify_send("READY=1"), 0);
	unsetenv("NOTIFY_SOCKET");
}

static void test_bad_addresses(void **state)
{
	char longname[200];

	(void)state;
	setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
	assert_true(notify_send("READY=1") < 0);
	setenv("NOTIFY_SOCKET", "@", 1);
	assert_true(notify_send("READY=1") < 0);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	setenv("NOTIFY_SOCKET", longname, 1);
	assert_true(notify_send("READY=1") < 0);
	/* A path nobody listens on: the send fails, nothing crashes. */
	setenv("NOTIFY_SOCKET", "/nonexistent/ikevti-notify.sock", 1);
	assert_true(notify_send("READY=1") < 0);
	unsetenv("NOTIFY_SOCKET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready_with_status),
		cmocka_unit_test(test_status_only_when_changed),
		cmocka_unit_test(test_abstract_socket),
		cmocka_unit_test(test_not_under_systemd),
		cmocka_unit_test(test_bad_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
