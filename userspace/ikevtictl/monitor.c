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
#include <time.h>

#include "cmd_parse.h"
#include "monitor.h"

/* Device names may hold any byte but '/', NUL and blanks: escape them. */
static void json_escape(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (; *s && o + 7 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, len - o, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, len - o, "\\u%04x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

static const char *dir_str(uint8_t dir)
{
	const char *d = ikevti_dir_name(dir);

	return d ? d : "?";
}

static int format_json(const struct ikevti_event *e, const char *name,
		       const char *addr, char *buf, size_t len)
{
	char ifname[IF_NAMESIZE * 6 + 8];
	int n;

	json_escape(name, ifname, sizeof(ifname));
	n = snprintf(buf, len, "{\"event\":\"%s\",\"ifindex\":%" PRIu32
		     ",\"ifname\":\"%s\"", ikevti_event_name(e->cmd),
		     e->ifindex, ifname);
	if (n < 0 || (size_t)n >= len)
		return n;
	if (e->cmd == IKEVTI_CMD_SA_EXPIRE)
		n += snprintf(buf + n, len - (size_t)n,
			      ",\"dir\":\"%s\",\"spi\":\"0x%08" PRIx32
			      "\",\"hard\":%s,\"packets\":%" PRIu64
			      ",\"bytes\":%" PRIu64 "}",
			      dir_str(e->dir), e->spi,
			      e->hard ? "true" : "false", e->packets, e->bytes);
	else if (e->cmd == IKEVTI_CMD_NEW_MAPPING)
		n += snprintf(buf + n, len - (size_t)n,
			      ",\"dir\":\"%s\",\"spi\":\"0x%08" PRIx32
			      "\",\"remote\":\"%s\",\"sport\":%u,\"dport\":%u}",
			      dir_str(e->dir), e->spi, addr, e->encap_sport,
			      e->encap_dport);
	else
		n += snprintf(buf + n, len - (size_t)n, "}");
	return n;
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
};

static void on_event(const struct ikevti_event *e, void *arg)
{
	struct mon *m = arg;
	char line[512];

	/* One read may carry more events than were asked for. */
	if (m->limit && m->seen >= m->limit)
		return;
	monitor_format(e, m->json, line, sizeof(line));
	puts(line);
	fflush(stdout);	/* a script reads the lines as they come */
	m->seen++;
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

int monitor_run(bool json, unsigned long count, unsigned long timeout_s)
{
	struct ikevti_events *ev;
	struct mon m = { json, 0, count };
	int64_t deadline = timeout_s ? now_ms() + (int64_t)timeout_s * 1000
				     : -1;
	char err[256];
	int r;

	if (ikevti_events_open(&ev, err, sizeof(err))) {
		fprintf(stderr, "ikevtictl: %s\n", err);
		return EXIT_FAILURE;
	}
	while (!count || m.seen < count) {
		struct pollfd p = { ikevti_events_fd(ev), POLLIN, 0 };
		int w = wait_ms(deadline);

		if (w == 0)
			break;
		r = poll(&p, 1, w);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		r = ikevti_events_read(ev, on_event, &m);
		if (r == -ENOBUFS)
			fprintf(stderr, "ikevtictl: events lost (socket overrun)\n");
		else if (r < 0)
			break;
	}
	ikevti_events_close(ev);
	return count && m.seen >= count ? EXIT_SUCCESS : EXIT_FAILURE;
}
