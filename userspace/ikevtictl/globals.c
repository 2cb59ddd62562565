// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtictl: global options, the namespace switch and keys from files.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "globals.h"

#define KEY_FILE_MAX 4096

static int fail(char *err, size_t errlen, const char *msg, const char *arg)
{
	snprintf(err, errlen, msg, arg);
	return -1;
}

static bool is(const char *w, const char *a, const char *b)
{
	return !strcmp(w, a) || (b && !strcmp(w, b));
}

/* A name "ip netns" could have made: one path component, short. */
static bool netns_name_ok(const char *s)
{
	return s[0] && strlen(s) < 64 && !strchr(s, '/') &&
	       strcmp(s, ".") && strcmp(s, "..");
}

int ctl_parse_globals(int argc, char **argv, struct ctl_globals *g,
		      char *err, size_t errlen)
{
	int i;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *w = argv[i];

		if (is(w, "-j", "--json") || !strcmp(w, "-json")) {
			g->json = true;
		} else if (is(w, "-h", "--help")) {
			g->help = true;
		} else if (is(w, "-V", "--version")) {
			g->version = true;
		} else if (is(w, "-S", "--socket") || is(w, "-n", "--netns")) {
			bool socket = is(w, "-S", "--socket");

			if (i + 1 >= argc)
				return fail(err, errlen, "option \"%s\" needs a value",
					    w);
			if (socket) {
				if (!argv[i + 1][0])
					return fail(err, errlen,
						    "option \"%s\" needs a socket path", w);
				g->socket = argv[++i];
			} else {
				if (!netns_name_ok(argv[i + 1]))
					return fail(err, errlen,
						    "invalid network namespace name \"%s\"",
						    argv[i + 1]);
				g->netns = argv[++i];
			}
		} else {
			return fail(err, errlen, "unknown option \"%s\"", w);
		}
	}
	return i;
}

void ctl_socket_path(const struct ctl_globals *g, const char *env, char *buf,
		     size_t len)
{
	if (g->socket)
		snprintf(buf, len, "%s", g->socket);
	else if (g->netns)
		snprintf(buf, len, IKEVTID_RUNDIR "/%s.sock", g->netns);
	else if (env && env[0])
		snprintf(buf, len, "%s", env);
	else
		snprintf(buf, len, "%s", IKEVTID_SOCKET_DEFAULT);
}

int ctl_enter_netns(const char *name, char *err, size_t errlen)
{
	struct stat want, cur;
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "network namespace \"%s\" not found (%s: %s)",
			 name, path, strerror(errno));
		return -1;
	}
	/* Already inside (e.g. run by ikevtid@NAME.service): no setns,
	 * which would need CAP_SYS_ADMIN. */
	if (fstat(fd, &want) == 0 && stat("/proc/self/ns/net", &cur) == 0 &&
	    want.st_dev == cur.st_dev && want.st_ino == cur.st_ino) {
		close(fd);
		return 0;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "cannot enter network namespace \"%s\": %s",
			 name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* All of fd (at most KEY_FILE_MAX bytes), trimmed; NULL with err. */
static char *read_key_text(int fd, const char *what, char *err,
			   size_t errlen)
{
	char *buf = malloc(KEY_FILE_MAX + 1), *s;
	size_t n = 0;
	ssize_t r;

	if (!buf) {
		fail(err, errlen, "out of memory reading %s", what);
		return NULL;
	}
	while (n <= KEY_FILE_MAX) {
		r = read(fd, buf + n, KEY_FILE_MAX + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (r < 0 || n > KEY_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", what,
			 r < 0 ? strerror(errno) : "longer than a key can be");
		explicit_bzero(buf, n);
		free(buf);
		return NULL;
	}
	while (n && strchr(" \t\r\n", buf[n - 1]))
		n--;
	buf[n] = '\0';
	s = buf + strspn(buf, " \t\r\n");
	if (!*s) {
		fail(err, errlen, "%s holds no key", what);
		free(buf);
		return NULL;
	}
	memmove(buf, s, strlen(s) + 1);
	return buf;
}

static char *key_from(const char *arg, bool *stdin_used, char *err,
		      size_t errlen)
{
	char *text;
	int fd;

	if (!strcmp(arg, "-")) {
		if (*stdin_used) {
			fail(err, errlen, "%s", "only one key can come from standard input");
			return NULL;
		}
		*stdin_used = true;
		return read_key_text(STDIN_FILENO, "standard input", err,
				     errlen);
	}
	fd = open(arg + 1, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read key file %s: %s", arg + 1,
			 strerror(errno));
		return NULL;
	}
	text = read_key_text(fd, arg + 1, err, errlen);
	close(fd);
	return text;
}

int ctl_read_key_args(int argc, char **argv, char *err, size_t errlen)
{
	bool stdin_used = false;
	char *text;
	int i;

	for (i = 0; i + 1 < argc; i++) {
		const char *v = argv[i + 1];

		if (!is(argv[i], "key", "auth-key") && strcmp(argv[i], "salt"))
			continue;
		i++;
		if (strcmp(v, "-") && v[0] != '@')
			continue;
		if (v[0] == '@' && !v[1])
			return fail(err, errlen, "\"%s @\" needs a file name",
				    argv[i - 1]);
		text = key_from(v, &stdin_used, err, errlen);
		if (!text)
			return -1;
		argv[i] = text;
	}
	return 0;
}
