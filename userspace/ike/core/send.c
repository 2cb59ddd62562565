// SPDX-License-Identifier: GPL-2.0
/*
 * send: one datagram through the daemon's callback (a failure is logged;
 * the retransmission timer, ours or the peer's, tries again), and the
 * largest IKE message a path carries whole, for both versions'
 * fragmentation.
 */
#include <string.h>

#include "core/core.h"

/* One datagram; a failure is logged, the retransmission timer (or the
 * peer's) tries again. */
int ike_send_datagram(struct ike_engine *e, const struct ike_path *path,
		    const uint8_t *buf, size_t len)
{
	int r = e->ops.send(e->ops.ctx, path, buf, len);
	char a[64];

	if (r < 0) {
		ike_addr_str(&path->remote, a, sizeof(a));
		elog(e, IKE_LOG_WARNING, NULL, NULL, "sending %zu bytes to %s "
		     "failed: %s", len, a, strerror(-r));
	}
	return r;
}

/* The route's MTU when the daemon can tell, else the RFC's safe size. */
static size_t path_datagram_max(const struct ike_engine *e,
				const struct ike_sa *sa, bool v6)
{
	unsigned int mtu = 0;

	if (e->ops.path_mtu)
		mtu = e->ops.path_mtu(e->ops.ctx, &sa->path);
	if (mtu >= (v6 ? IKE_FRAG_MAX_V6 : IKE_FRAG_MAX_V4))
		return mtu;
	return v6 ? IKE_FRAG_MAX_V6 : IKE_FRAG_MAX_V4;
}

size_t ike_frag_max(const struct ike_engine *e, const struct ike_sa *sa)
{
	bool v6 = sa->path.remote.ss_family == AF_INET6;
	size_t ipudp = v6 ? 48 : 28;
	size_t fixed = v6 ? e->frag_max_v6 : e->frag_max_v4;

	if (fixed)
		return fixed;
	return path_datagram_max(e, sa, v6) - ipudp - 4;
}
