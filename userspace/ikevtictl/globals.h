/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtictl: the options every command takes, before the command:
 * -j (JSON), -S SOCKET (ikevtid's control socket), -n NETNS (the
 * network namespace, as "ip -n"), -h and -V. Pure parsing, testable.
 */
#ifndef IKEVTICTL_GLOBALS_H
#define IKEVTICTL_GLOBALS_H

#include <stdbool.h>
#include <stddef.h>

#define IKEVTID_RUNDIR "/run/ikevti"
#define IKEVTID_SOCKET_DEFAULT IKEVTID_RUNDIR "/ikevtid.sock"

struct ctl_globals {
	bool json, help, version;
	const char *socket;	/* -S; NULL: see ctl_socket_path() */
	const char *netns;	/* -n; NULL: the current namespace */
};

/*
 * Parse the leading options of argv (the words after the program name).
 * Returns how many words they took, or -1 with a message in err (a usage
 * error: unknown option, missing value, bad namespace name).
 */
int ctl_parse_globals(int argc, char **argv, struct ctl_globals *g,
		      char *err, size_t errlen);

/*
 * The control socket to use: -S, else /run/ikevti/NETNS.sock with -n
 * (where ikevtid@NETNS.service listens), else env ($IKEVTI_SOCKET) when
 * set, else /run/ikevti/ikevtid.sock.
 */
void ctl_socket_path(const struct ctl_globals *g, const char *env, char *buf,
		     size_t len);

/* Move this process into /run/netns/NAME (nothing when already there).
 * 0, or -1 with err. */
int ctl_enter_netns(const char *name, char *err, size_t errlen);

/*
 * Key material kept out of the command line: every value of "key",
 * "auth-key" or "salt" that is "@FILE" or "-" is replaced in argv by
 * the hex read from FILE or standard input (surrounding white space
 * dropped). The new strings are allocated; the caller wipes them with
 * the other secrets. 0, or -1 with err.
 */
int ctl_read_key_args(int argc, char **argv, char *err, size_t errlen);

#endif /* IKEVTICTL_GLOBALS_H */
