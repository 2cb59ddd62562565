// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtictl monitor: follow the module's multicast events.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cmd_parse.h"
#include "ikevti_json.h"
#include "monitor.h"

static const char *dir_str(uint8_t dir)
{
	const char *d = ikevti_dir_name(dir);

	return d ? d : "?";
}

static int format_json(const struct ikevti_event *e, const char *name,
		       const char *addr, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");
	struct json j;
	long n;

	if (!f)
		return snprintf(buf, len, "{}");
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "event", ikevti_event_name(e->cmd));
	json_u64(&j, "ifindex", e->ifindex);
	json_str(&j, "ifname", name);
	if (e->cmd == IKEVTI_CMD_SA_EXPIRE || e->cmd == IKEVTI_CMD_NEW_MAPPING) {
		json_str(&j, "dir", dir_str(e->dir));
		json_spi32(&j, "spi", e->spi);
	}
	if (e->cmd == IKEVTI_CMD_SA_EXPIRE) {
		json_bool(&j, "hard", e->hard);
		json_u64(&j, "packets", e->packets);
		json_u64(&j, "bytes", e->bytes);
	} else if (e->cmd == IKEVTI_CMD_NEW_MAPPING) {
		json_str(&j, "remote", addr);
		json_u64(&j, "sport", e->encap_sport);
		json_u64(&j, "dport", e->encap_dport);
	}
	json_obj_end(&j);
	fflush(f);
	n = ftell(f);
	fclose(f);
	/* One line: the writer's newline after the document goes. */
	if (n > 0 && (size_t)n <= len && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return (int)n;
}

static int format_text(const struct ikevti_event *e, const char *name,
		       const char *addr, char *buf, size_t len)
{
	switch (e->cmd) {
	case IKEVTI_CMD_SA_EXPIRE:
		return snprintf(buf, len,
				"expire %s (%" PRIu32 ") dir %s spi 0x%08" PRIx32
				" %s packets %" PRIu64 " bytes %" PRIu64,
				name, e->ifindex, dir_str(e->dir), e->spi,
				e->hard ? "hard" : "soft", e->packets,
				e->bytes);
	case IKEVTI_CMD_NEW_MAPPING:
		return snprintf(buf, len,
				"new-mapping %s (%" PRIu32 ") dir %s spi 0x%08"
				PRIx32 " remote %s sport %u dport %u",
				name, e->ifindex, dir_str(e->dir), e->spi, addr,
				e->encap_sport, e->encap_dport);
	}
	return snprintf(buf, len, "acquire %s (%" PRIu32 ")", name,
			e->ifindex);
}

int monitor_format(const struct ikevti_event *e, bool json, char *buf,
		   size_t len)
{
	char name[IF_NAMESIZE] = "", addr[INET6_ADDRSTRLEN] = "?";

	/* Older modules may leave the name out: ask the kernel for it. */
	if (e->ifname[0])
		snprintf(name, sizeof(name), "%s", e->ifname);
	else if (!if_indextoname(e->ifindex, name))
		snprintf(name, sizeof(name), "?");
	if (e->remote.family)
		inet_ntop(e->remote.family, e->remote.raw, addr, sizeof(addr));
	if (json)
		return format_json(e, name, addr, buf, len);
	return format_text(e, name, addr, buf, len);
}

int monitor_parse_args(int argc, char **argv, unsigned long *count,
		       unsigned long *timeout_s, char *err, size_t errlen)
{
	uint64_t v;
	int i;

	*count = 0;
	*timeout_s = 0;
	for (i = 0; i < argc; i += 2) {
		bool is_count = !strcmp(argv[i], "count");

		if (!is_count && strcmp(argv[i], "timeout")) {
			snprintf(err, errlen, "monitor: unknown argument \"%s\"",
				 argv[i]);
			return -1;
		}
		if (i + 1 >= argc ||
		    ctl_parse_u64(argv[i + 1], 1000000000ULL, &v)) {
			snprintf(err, errlen, "monitor: %s needs a number",
				 argv[i]);
			return -1;
		}
		if (is_count)
			*count = (unsigned long)v;
		else
			*timeout_s = (unsigned long)v;
	}
	return 0;
}

struct mon {
	bool json;
	unsigned long seen, limit;	/* limit 0: none */
	int daemon_fd;			/* ikevtid's "events", or -1 */
	char dbuf[2048];		/* a partial line from it */
	size_t dlen;
};

void monitor_time(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char off[8];
	size_t o;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	o = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(off, sizeof(off), "%z", &tm);
	snprintf(buf + o, len - o, ".%03ld%s", ts.tv_nsec / 1000000, off);
}

/* Print one event line, kernel's or daemon's; false once count is met. */
static bool emit_line(struct mon *m, const char *line)
{
	/* One read may carry more events than were asked for. */
	if (m->limit && m->seen >= m->limit)
		return false;
	puts(line);
	fflush(stdout);	/* a script reads the lines as they come */
	m->seen++;
	return true;
}

static void on_event(const struct ikevti_event *e, void *arg)
{
	struct mon *m = arg;
	char line[512], when[40], out[600];

	monitor_format(e, m->json, line, sizeof(line));
	monitor_time(when, sizeof(when));
	/* The time first: {"time":"...",<the rest>} or "TIME <line>". */
	if (m->json)
		snprintf(out, sizeof(out),
			 "{\"schema_version\":%d,\"time\":\"%s\",%s",
			 IKEVTI_JSON_SCHEMA_VERSION, when, line + 1);
	else
		snprintf(out, sizeof(out), "%s %s", when, line);
	emit_line(m, out);
}

/* Subscribe to ikevtid's IKE SA events; -1 when it is not reachable
 * (no daemon: the kernel events alone are shown). */
static int daemon_subscribe(const char *path, bool json)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *req = json ? "events json\n" : "events\n";
	int fd;

	if (!path || strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Lines from the daemon; false when it closed the stream. */
static bool daemon_read(struct mon *m)
{
	ssize_t n = read(m->daemon_fd, m->dbuf + m->dlen,
			 sizeof(m->dbuf) - 1 - m->dlen);
	char *start, *nl;

	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0)
		return false;
	m->dlen += (size_t)n;
	m->dbuf[m->dlen] = '\0';
	start = m->dbuf;
	while ((nl = strchr(start, '\n'))) {
		*nl = '\0';
		/* "ERROR: ..." is an older daemon without events: quiet. */
		if (strncmp(start, "ERROR", 5) && strcmp(start, "OK"))
			emit_line(m, start);
		start = nl + 1;
	}
	m->dlen -= (size_t)(start - m->dbuf);
	memmove(m->dbuf, start, m->dlen);
	if (m->dlen == sizeof(m->dbuf) - 1)
		m->dlen = 0;	/* an endless line: drop it */
	return true;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline for poll(); -1 without one. */
static int wait_ms(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - now_ms();
	if (left <= 0)
		return 0;
	return left > 60000 ? 60000 : (int)left;
}

int monitor_run(bool json, unsigned long count, unsigned long timeout_s,
		const char *daemon_socket)
{
	struct ikevti_events *ev;
	struct mon m = { .json = json, .limit = count, .daemon_fd = -1 };
	int64_t deadline = timeout_s ? now_ms() + (int64_t)timeout_s * 1000
				     : -1;
	char err[256];
	int r;

	if (ikevti_events_open(&ev, err, sizeof(err))) {
		fprintf(stderr, "ikevtictl: %s\n", err);
		return EXIT_FAILURE;
	}
	m.daemon_fd = daemon_subscribe(daemon_socket, json);
	while (!count || m.seen < count) {
		struct pollfd p[2] = {
			{ ikevti_events_fd(ev), POLLIN, 0 },
			{ m.daemon_fd, POLLIN, 0 },
		};
		int w = wait_ms(deadline);

		if (w == 0)
			break;
		r = poll(p, m.daemon_fd >= 0 ? 2 : 1, w);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		if (m.daemon_fd >= 0 && (p[1].revents & (POLLIN | POLLHUP)) &&
		    !daemon_read(&m)) {
			close(m.daemon_fd);	/* the daemon stopped */
			m.daemon_fd = -1;
		}
		if (!(p[0].revents & POLLIN))
			continue;
		r = ikevti_events_read(ev, on_event, &m);
		if (r == -ENOBUFS)
			fprintf(stderr, "ikevtictl: events lost (socket overrun)\n");
		else if (r < 0)
			break;
	}
	if (m.daemon_fd >= 0)
		close(m.daemon_fd);
	ikevti_events_close(ev);
	return count && m.seen >= count ? EXIT_SUCCESS : EXIT_FAILURE;
}
