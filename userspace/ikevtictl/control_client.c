// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtictl: client of ikevtid's control socket, and "monitor".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "control_client.h"
#include "metrics.h"
#include "monitor.h"

const char ctl_daemon_usage[] =
	"\n"
	"Commands answered by the daemon ikevtid (control socket):\n"
	"  ikevtictl [ OPTIONS ] show crypto ikev2 sa [ detailed ]\n"
	"  ikevtictl [ OPTIONS ] show crypto isakmp sa [ detail ]\n"
	"  ikevtictl [ OPTIONS ] show crypto isakmp policy | profile\n"
	"  ikevtictl [ OPTIONS ] show crypto ipsec sa [ interface NAME ]\n"
	"  ikevtictl [ OPTIONS ] show crypto session\n"
	"  ikevtictl [ OPTIONS ] reload\n"
	"  ikevtictl [ OPTIONS ] clear crypto session [ interface NAME ]\n"
	"  ikevtictl [ OPTIONS ] debug crypto ikev2 | isakmp | undebug all\n"
	"  ikevtictl [ OPTIONS ] status\n"
	"\n"
	"Events of the module and, when it runs, of ikevtid (IKE SA up/down),\n"
	"one line each with the time (exit 0 after N events, 1 on timeout):\n"
	"  ikevtictl [ OPTIONS ] monitor [ count N ] [ timeout SECONDS ]\n"
	"\n"
	"Counters in the Prometheus text format (module, and ikevtid's):\n"
	"  ikevtictl [ OPTIONS ] metrics\n"
	"\n"
	"OPTIONS (every command):\n"
	"  -j, --json          JSON output\n"
	"  -S, --socket PATH   ikevtid's control socket (default $IKEVTI_SOCKET,\n"
	"                      else " IKEVTID_SOCKET_DEFAULT ")\n"
	"  -n, --netns NAME    run in network namespace NAME (/run/netns/NAME);\n"
	"                      the socket is then " IKEVTID_RUNDIR "/NAME.sock\n"
	"  -h, --help          this help;  -V, --version  the version\n"
	"\n"
	"Exit status: 0 success, 1 refused or failed (kernel, daemon, system),\n"
	"2 usage error.\n";

/* Words that start a request for the daemon. */
static const char *const daemon_words[] = {
	"show", "reload", "clear", "debug", "undebug", "status",
};

static bool is_daemon_word(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(daemon_words) / sizeof(daemon_words[0]); i++)
		if (!strcmp(w, daemon_words[i]))
			return true;
	return false;
}

int ctl_reply_split(const char *reply, size_t len, size_t *body_len,
		    const char **msg)
{
	size_t end, start;

	*msg = NULL;
	*body_len = 0;
	if (len == 0 || reply[len - 1] != '\n')
		return -1;	/* the daemon died before its last line */
	end = len - 1;
	start = end;
	while (start > 0 && reply[start - 1] != '\n')
		start--;
	*body_len = start;
	if (end - start == 2 && !memcmp(reply + start, "OK", 2))
		return 0;
	if (end - start >= 7 && !memcmp(reply + start, "ERROR: ", 7)) {
		*msg = reply + start + 7;
		return 1;
	}
	return -1;
}

static int connect_to(const char *path, FILE *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { 60, 0 };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(err, "ikevtictl: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(err, "ikevtictl: socket: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		if (e == ENOENT || e == ECONNREFUSED)
			fprintf(err,
				"ikevtictl: ikevtid is not running (cannot connect to %s: %s)\n",
				path, strerror(e));
		else
			fprintf(err, "ikevtictl: cannot connect to %s: %s\n",
				path, strerror(e));
		close(fd);
		return -1;
	}
	/* A wedged daemon must not hang a script forever. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read until EOF into a malloc()ed buffer; NULL on error. */
static char *read_all(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t r;

	while (buf) {
		if (n == cap) {
			nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0) {
			*len = n;
			return buf;
		}
		n += (size_t)r;
	}
	free(buf);
	return NULL;
}

static int print_reply(const char *reply, size_t len, FILE *out, FILE *err)
{
	const char *msg;
	size_t body;
	int r = ctl_reply_split(reply, len, &body, &msg);

	fwrite(reply, 1, r < 0 ? len : body, out);
	if (r == 0)
		return EXIT_SUCCESS;
	if (r == 1)
		fprintf(err, "ikevtictl: %.*s\n",
			(int)(reply + len - 1 - msg), msg);
	else
		fprintf(err, "ikevtictl: reply from ikevtid cut short\n");
	return EXIT_FAILURE;
}

int ctl_daemon_request(const char *sock_path, const char *line, FILE *out,
		       FILE *err)
{
	char *reply;
	size_t len;
	int fd = connect_to(sock_path, err), r;

	if (fd < 0)
		return EXIT_FAILURE;
	if (write_all(fd, line, strlen(line)) || write_all(fd, "\n", 1)) {
		fprintf(err, "ikevtictl: cannot send to ikevtid: %s\n",
			strerror(errno));
		close(fd);
		return EXIT_FAILURE;
	}
	shutdown(fd, SHUT_WR);
	reply = read_all(fd, &len);
	close(fd);
	if (!reply) {
		fprintf(err, "ikevtictl: no reply from ikevtid: %s\n",
			strerror(errno));
		return EXIT_FAILURE;
	}
	r = print_reply(reply, len, out, err);
	free(reply);
	return r;
}

/* The words of argv joined by spaces, plus " json" when asked. */
static char *join_request(int argc, char **argv, bool json)
{
	size_t len = 8, o = 0;
	char *line;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	line = malloc(len);
	if (!line)
		return NULL;
	for (i = 0; i < argc; i++) {
		if (strpbrk(argv[i], "\r\n")) {
			free(line);	/* one request is one line */
			return NULL;
		}
		o += (size_t)sprintf(line + o, "%s%s", i ? " " : "", argv[i]);
	}
	if (json && (argc == 0 || strcmp(argv[argc - 1], "json")))
		strcpy(line + o, " json");
	return line;
}

static int run_monitor(int argc, char **argv, const struct ctl_globals *g)
{
	unsigned long count, timeout;
	char err[128], sock[256];

	if (monitor_parse_args(argc, argv, &count, &timeout, err,
			       sizeof(err))) {
		fprintf(stderr, "ikevtictl: %s\n", err);
		return 2;
	}
	ctl_socket_path(g, getenv("IKEVTI_SOCKET"), sock, sizeof(sock));
	return monitor_run(g->json, count, timeout, sock);
}

int ctl_daemon_dispatch(int argc, char **argv, const struct ctl_globals *g)
{
	char sock[256], *line;
	int r;

	if (argc < 1)
		return -1;
	if (!strcmp(argv[0], "monitor"))
		return run_monitor(argc - 1, argv + 1, g);
	if (!strcmp(argv[0], "metrics")) {
		ctl_socket_path(g, getenv("IKEVTI_SOCKET"), sock, sizeof(sock));
		return metrics_run(argc - 1, argv + 1, sock);
	}
	if (!is_daemon_word(argv[0]))
		return -1;
	line = join_request(argc, argv, g->json);
	if (!line) {
		fprintf(stderr, "ikevtictl: invalid request\n");
		return 2;
	}
	ctl_socket_path(g, getenv("IKEVTI_SOCKET"), sock, sizeof(sock));
	r = ctl_daemon_request(sock, line, stdout, stderr);
	free(line);
	if (fflush(stdout) != 0)
		return EXIT_FAILURE;
	return r;
}
