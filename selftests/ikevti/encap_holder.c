// SPDX-License-Identifier: GPL-2.0
/*
 * encap_holder: stand in for an IKE daemon's NAT-T socket. Binds a UDP
 * port (4500 by default) and sets UDP_ENCAP_ESPINUDP on it, so that the
 * kernel hands ESP-in-UDP arriving there to xfrm and ikevti (RFC 3948),
 * then waits until killed. Non-ESP datagrams (IKE, with a zero first
 * word) reach the socket and are printed with --print.
 *
 *   encap_holder [-4] [--port N] [--print]
 *
 * The socket is dual-stack ([::]) unless -4 is given. "ready" is printed
 * (and stdout flushed) once the socket is set up.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef UDP_ENCAP
#define UDP_ENCAP		100
#endif
#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP	2
#endif
#ifndef SOL_UDP
#define SOL_UDP			17
#endif

static int open_socket(bool v4only, unsigned int port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, off = 0, encap = UDP_ENCAP_ESPINUDP;

	fd = socket(v4only ? AF_INET : AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("encap_holder: socket");
		return -1;
	}
	if (v4only) {
		sin.sin_port = htons(port);
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
			goto fail_bind;
	} else {
		/* One socket for both families, as IKE daemons often do. */
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
			       sizeof(off)) < 0)
			perror("encap_holder: IPV6_V6ONLY");
		sin6.sin6_port = htons(port);
		if (bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) < 0)
			goto fail_bind;
	}
	if (setsockopt(fd, SOL_UDP, UDP_ENCAP, &encap, sizeof(encap)) < 0) {
		perror("encap_holder: setsockopt(UDP_ENCAP)");
		close(fd);
		return -1;
	}
	return fd;
fail_bind:
	perror("encap_holder: bind");
	close(fd);
	return -1;
}

static void print_datagrams(int fd)
{
	struct sockaddr_storage from;
	char buf[65536], addr[INET6_ADDRSTRLEN];
	socklen_t flen;
	ssize_t n;

	for (;;) {
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &flen);
		if (n < 0)
			continue;
		if (from.ss_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((struct sockaddr_in6 *)&from)->sin6_addr,
				  addr, sizeof(addr));
		else
			inet_ntop(AF_INET,
				  &((struct sockaddr_in *)&from)->sin_addr,
				  addr, sizeof(addr));
		printf("datagram from %s length %zd\n", addr, n);
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "print", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	bool v4only = false, print = false;
	unsigned long port = 4500;
	int c, fd;

	while ((c = getopt_long(argc, argv, "4", opts, NULL)) != -1) {
		switch (c) {
		case '4':
			v4only = true;
			break;
		case 'p':
			port = strtoul(optarg, NULL, 0);
			if (!port || port > 65535) {
				fprintf(stderr, "encap_holder: bad port\n");
				return 2;
			}
			break;
		case 'P':
			print = true;
			break;
		default:
			fprintf(stderr,
				"usage: encap_holder [-4] [--port N] [--print]\n");
			return 2;
		}
	}
	fd = open_socket(v4only, (unsigned int)port);
	if (fd < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	if (print)
		print_datagrams(fd);
	for (;;)
		pause();
}
