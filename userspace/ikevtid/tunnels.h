/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtid -T: ikevti devices made from the configuration, as a router
 * makes "interface Tunnel1" from its block.
 *
 * Opt-in: without -T devices come from ip(8) only, as before. With it,
 * each "interface TunnelN|ikevtiN" block with "tunnel source" and
 * "tunnel destination" becomes the device ikevtiN when no device has
 * that name, with the block's "ip address", "ipv6 address" and "ip mtu",
 * up unless the block says "shutdown". Devices it made carry the alias
 * "ikevtid: from the configuration"; at each reload those whose block
 * is gone or changed are deleted (and made again when changed). Devices
 * made by ip(8) are never touched.
 */
#ifndef IKEVTID_TUNNELS_H
#define IKEVTID_TUNNELS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "ikevti_sa.h"

#define TUNNEL_MAX_ADDRS 8
#define TUNNELS_ALIAS "ikevtid: from the configuration"

struct tunnel_addr {
	struct ikevti_addr addr;
	unsigned char prefix;
};

struct tunnel_spec {
	char ifname[IF_NAMESIZE];
	struct ikevti_addr local, remote;
	struct tunnel_addr addrs[TUNNEL_MAX_ADDRS];
	size_t n_addrs;
	unsigned mtu;		/* 0: the module's default */
	bool up;		/* no "shutdown" */
};

/*
 * The addressing lines of the interface blocks of a configuration text
 * (the model does not carry them: the parser accepts them with a
 * warning). The text has passed cfg_parse_*, so every such line sits
 * in an interface block. For each spec[i].ifname already filled, the
 * addresses and MTU of its block are added. 0, or -1 with err naming
 * the line ("FILE:LINE: ...").
 */
int tunnels_scan_text(const char *file, const char *text,
		      struct tunnel_spec *spec, size_t n, char *err,
		      size_t errlen);

/*
 * The specs of a parsed configuration: every interface block with a
 * tunnel source (an address, or an interface whose first address of the
 * destination's family is taken) and a tunnel destination, with its
 * addressing read from the file. *out is malloc()ed. 0, or -1 with err.
 */
int tunnels_from_config(const struct cfg_model *m, const char *path,
			struct tunnel_spec **out, size_t *n, char *err,
			size_t errlen);

struct ikevtid;
/* Make the devices of d's configuration that are missing, delete those
 * we made whose block went away or changed. Logs what it does. */
void tunnels_apply(struct ikevtid *d);

#endif /* IKEVTID_TUNNELS_H */
