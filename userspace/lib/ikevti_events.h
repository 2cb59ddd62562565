/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevti_events: the module's multicast events (lifetime expiry, acquire,
 * new NAT mapping) read from a netlink socket of their own, so that a
 * burst of events never mixes with request/reply traffic. The socket is
 * non-blocking: put ikevti_events_fd() in an epoll set and call
 * ikevti_events_read() when it is readable.
 */
#ifndef IKEVTI_EVENTS_H
#define IKEVTI_EVENTS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikevti_sa.h"

struct ikevti_events;

/* One event; fields not carried by the event's command are zero. */
struct ikevti_event {
	uint8_t cmd;			/* IKEVTI_CMD_SA_EXPIRE, _ACQUIRE, ... */
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t dir;			/* SA_EXPIRE, NEW_MAPPING */
	uint32_t spi;
	bool hard;			/* SA_EXPIRE: hard limit reached */
	uint64_t packets, bytes;	/* SA_EXPIRE: SA counters then */
	struct ikevti_addr remote;	/* NEW_MAPPING: new peer address */
	uint16_t encap_sport;		/* NEW_MAPPING: our port */
	uint16_t encap_dport;		/* NEW_MAPPING: the peer's new port */
};

/* Open a socket subscribed to the events group. 0, or -1 with err set. */
int ikevti_events_open(struct ikevti_events **out, char *err, size_t errlen);
void ikevti_events_close(struct ikevti_events *ev);
int ikevti_events_fd(const struct ikevti_events *ev);

typedef void (*ikevti_event_cb)(const struct ikevti_event *e, void *arg);

/*
 * Read every queued event and call cb for each. Returns the number of
 * events delivered, or a negative errno. -ENOBUFS means the kernel
 * dropped events (socket overrun): the caller must resynchronise by
 * dumping the SAs; the socket stays usable.
 */
int ikevti_events_read(struct ikevti_events *ev, ikevti_event_cb cb,
		       void *arg);

/* "expire", "acquire", "new-mapping" or NULL. */
const char *ikevti_event_name(uint8_t cmd);

/* Messages dropped because they were malformed, since open. */
unsigned long ikevti_events_malformed(const struct ikevti_events *ev);

/*
 * Parse one event message (exported for tests). family is the generic
 * netlink family id the message must carry. Returns 0 and fills e;
 * 1 when the message is not an event (another command: to be ignored);
 * -EBADMSG with a reason in err when it is malformed.
 */
struct nlmsghdr;
int ikevti_event_parse(const struct nlmsghdr *nlh, int family,
		       struct ikevti_event *e, char *err, size_t errlen);

#endif /* IKEVTI_EVENTS_H */
