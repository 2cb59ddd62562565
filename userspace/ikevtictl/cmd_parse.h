/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtictl command line -> struct ctl_cmd. Pure: no I/O, no globals,
 * so it can be unit tested.
 */
#ifndef IKEVTICTL_CMD_PARSE_H
#define IKEVTICTL_CMD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikevti_sa.h"

enum ctl_op {
	CTL_HELP,
	CTL_VERSION,
	CTL_SA_ADD,
	CTL_SA_DEL,
	CTL_SA_FLUSH,
	CTL_SA_TX,
	CTL_SA_LIST,
	CTL_SA_SHOW,
	CTL_SPI_ALLOC,
	CTL_STATS,
};

#define CTL_MAX_SECRETS 3

struct ctl_cmd {
	enum ctl_op op;
	bool json;
	const char *ifname;		/* NULL: all devices (sa list) */
	struct ikevti_sa_cfg sa;	/* add: all; del/show: dir, spi */
	uint32_t spi_min, spi_max;	/* spi alloc; 0 = kernel default */
	/* argv strings holding key material, for the caller to wipe. */
	char *secrets[CTL_MAX_SECRETS];
};

/*
 * Parse argv[0..argc-1] (the arguments after the program name).
 * Returns 0, or -1 with a message in err[errlen] (a usage error).
 * On failure cmd holds no key material.
 */
int ctl_parse(int argc, char **argv, struct ctl_cmd *cmd, char *err,
	      size_t errlen);

/* Wipe the key material of cmd and of the argv strings it points to. */
void ctl_cmd_wipe(struct ctl_cmd *cmd);

/* Parse "123" or "0x7b" into a u64 no larger than max; 0 or -1. */
int ctl_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* Parse an IPv4 or IPv6 address; 0 or -1. */
int ctl_parse_addr(const char *s, struct ikevti_addr *out);

extern const char ctl_usage[];

#endif /* IKEVTICTL_CMD_PARSE_H */
