// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the parser of the module's netlink events
 * (ikevti_event_parse in lib/ikevti_events.c). The input is one netlink
 * datagram as recvmsg returns it on the events socket: the messages in
 * it are walked as ikevti_events_read does (nlmsg_ok / nlmsg_next) and
 * each is parsed; the first two bytes of the input, little-endian, give
 * the generic netlink family id the parser expects, so the fuzzer can
 * make messages "ours" without guessing it. An event that parses must
 * be one of the three the daemon handles, and its name printable.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/msg.h>

#include "ikevti_events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	struct ikevti_event e;
	char err[128];
	void *buf;
	int family, rem;

	if (size < 2)
		return 0;
	family = data[0] | data[1] << 8;
	data += 2;
	size -= 2;
	/* netlink messages are 4-byte aligned in the receive buffer */
	if (posix_memalign(&buf, 8, size ? size : 1))
		return 0;
	memcpy(buf, data, size);
	nlh = buf;
	rem = (int)size;
	for (; nlmsg_ok(nlh, rem); nlh = nlmsg_next(nlh, &rem)) {
		if (ikevti_event_parse(nlh, family, &e, err, sizeof(err)))
			continue;
		if (!ikevti_event_name(e.cmd) ||
		    !memchr(e.ifname, '\0', sizeof(e.ifname)))
			abort();
	}
	free(buf);
	return 0;
}
