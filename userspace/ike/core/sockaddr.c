// SPDX-License-Identifier: GPL-2.0
/*
 * sockaddr: our addresses and ports as the daemon gives them (struct
 * sockaddr_storage) against the configuration's and the kernel's (struct
 * ikevti_addr); randomness for SPIs, nonces and jitter.
 */
#include <arpa/inet.h>
#include <string.h>

#include <openssl/rand.h>

#include "core/core.h"

void ike_sockaddr_set(struct sockaddr_storage *ss, const struct ikevti_addr *a,
		      uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s = (void *)ss;

		s->sin6_family = AF_INET6;
		s->sin6_addr = a->v6;
		s->sin6_port = htons(port);
	} else {
		struct sockaddr_in *s = (void *)ss;

		s->sin_family = AF_INET;
		s->sin_addr = a->v4;
		s->sin_port = htons(port);
	}
}

bool ike_sockaddr_is(const struct sockaddr_storage *ss,
		     const struct ikevti_addr *a)
{
	if (ss->ss_family != a->family)
		return false;
	if (a->family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)(const void *)ss)
					->sin_addr, &a->v4, 4);
	if (a->family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)(const void *)ss)
					->sin6_addr, &a->v6, 16);
	return false;
}

uint16_t ike_sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)ss)
			     ->sin6_port);
	return ntohs(((const struct sockaddr_in *)(const void *)ss)->sin_port);
}

void ike_sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)(void *)ss)->sin_port = htons(port);
}

void ike_sockaddr_to_addr(const struct sockaddr_storage *ss,
			  struct ikevti_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = ss->ss_family;
	if (ss->ss_family == AF_INET6)
		a->v6 = ((const struct sockaddr_in6 *)(const void *)ss)
			->sin6_addr;
	else if (ss->ss_family == AF_INET)
		a->v4 = ((const struct sockaddr_in *)(const void *)ss)
			->sin_addr;
}

bool ike_path_same(const struct ike_path *a, const struct ike_path *b)
{
	size_t n = a->remote.ss_family == AF_INET6 ?
		   sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

	return a->remote.ss_family == b->remote.ss_family &&
	       !memcmp(&a->remote, &b->remote, n) &&
	       !memcmp(&a->local, &b->local, n);
}

void ike_random(void *p, size_t n)
{
	if (RAND_bytes(p, (int)n) != 1)
		abort();	/* no randomness: nothing safe to do */
}
