/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtictl: the ikevti devices of this network namespace (rtnetlink).
 */
#ifndef IKEVTICTL_DEVICES_H
#define IKEVTICTL_DEVICES_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

struct ctl_dev {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
};

/*
 * Links whose kind is "ikevti", by ifindex. *out is malloc()ed (may be
 * NULL when there are none). 0, or a negative errno with err filled.
 */
int ctl_list_devices(struct ctl_dev **out, size_t *n, char *err,
		     size_t errlen);

#endif /* IKEVTICTL_DEVICES_H */
