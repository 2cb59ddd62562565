// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtid "show crypto ikev2 sa", "show crypto ipsec sa" and "show
 * crypto session", laid out as IOS prints them so that engineers (and
 * their scripts) used to a VTI find the same lines, merged from the
 * engine's status and the kernel's counters.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ikevti_json.h"
#include "show.h"

/* ---------------------------------------------------------------- */
/* Names.                                                             */

const char *show_encr_name(uint16_t id)
{
	switch (id) {
	case 3:
		return "3DES";
	case 12:
		return "AES-CBC";
	case 20:
		return "AES-GCM";
	case 28:
		return "CHACHA20-POLY1305";
	}
	return "unknown";
}

const char *show_prf_name(uint16_t id)
{
	switch (id) {
	case 1:
		return "MD5";
	case 2:
		return "SHA1";
	case 5:
		return "SHA256";
	case 6:
		return "SHA384";
	case 7:
		return "SHA512";
	}
	return "unknown";
}

const char *show_integ_name(uint16_t id)
{
	switch (id) {
	case 0:
		return "None";	/* AEAD */
	case 1:
		return "MD596";
	case 2:
		return "SHA96";
	case 12:
		return "SHA256";
	case 13:
		return "SHA384";
	case 14:
		return "SHA512";
	}
	return "unknown";
}

const char *show_auth_name(uint8_t method)
{
	switch (method) {
	case 1:
		return "RSA";
	case 2:
		return "PSK";
	case 3:
		return "DSS";
	case 9:
	case 10:
	case 11:
		return "ECDSA";
	case 14:
		return "SIG";	/* RFC 7427: RSA or ECDSA, hash named */
	}
	return "none";
}

static const char *esp_integ_name(uint16_t integ)
{
	switch (integ) {
	case 1:
		return "esp-md5-hmac";
	case 2:
		return "esp-sha-hmac";
	case 12:
		return "esp-sha256-hmac";
	case 13:
		return "esp-sha384-hmac";
	case 14:
		return "esp-sha512-hmac";
	}
	return NULL;
}

const char *show_esp_transform(uint16_t encr, uint16_t bits, uint16_t integ,
			       char *buf, size_t len)
{
	const char *in = esp_integ_name(integ);
	int o;

	switch (encr) {
	case 3:
		o = snprintf(buf, len, "esp-3des");
		break;
	case 12:
		o = bits ? snprintf(buf, len, "esp-%u-aes", bits)
			 : snprintf(buf, len, "esp-aes");
		break;
	case 20:
		o = bits ? snprintf(buf, len, "esp-gcm %u", bits)
			 : snprintf(buf, len, "esp-gcm");
		break;
	case 28:
		o = snprintf(buf, len, "esp-chacha20-poly1305");
		break;
	default:
		o = snprintf(buf, len, "esp-unknown(%u)", encr);
		break;
	}
	if (in && o > 0 && (size_t)o < len)
		snprintf(buf + o, len - (size_t)o, " %s", in);
	return buf;
}

/* ---------------------------------------------------------------- */
/* Addresses.                                                         */

static const char *sa_addr(const struct sockaddr_storage *ss, char *buf,
			   size_t len, unsigned *port)
{
	const void *a = NULL;

	*port = 0;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)ss;

		a = &s->sin_addr;
		*port = ntohs(s->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;

		a = &s->sin6_addr;
		*port = ntohs(s->sin6_port);
	}
	if (!a || !inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static const char *ikevti_addr_str(const struct ikevti_addr *a, char *buf,
				   size_t len)
{
	if (!a->family || !inet_ntop(a->family, a->raw, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* ---------------------------------------------------------------- */
/* show crypto ikev2 sa                                               */

static uint64_t active_s(uint64_t ms)
{
	return ms / 1000;
}

/*
 * The wall-clock time offset_s seconds from now, local: "2026-12-07
 * 14:03:12 +0100" (text) or "2026-12-07T14:03:12+0100" (JSON, ISO 8601).
 * The engine counts in monotonic time; only the display is calendar.
 */
static const char *wall_at(char *buf, size_t len, int64_t offset_s,
			   bool iso)
{
	time_t t = time(NULL) + (time_t)offset_s;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, iso ? "%Y-%m-%dT%H:%M:%S%z" : "%Y-%m-%d %H:%M:%S %z",
		 &tm);
	return buf;
}

static void ikev2_detail(FILE *f, const struct ike_sa_status *s)
{
	uint64_t lspi = s->initiator ? s->spi_i : s->spi_r;
	uint64_t rspi = s->initiator ? s->spi_r : s->spi_i;
	const char *desc = !strcmp(s->state, "READY") ? "Negotiation done"
			 : !strcmp(s->state, "DELETE") ? "Deleting"
			 : "Negotiation in progress";

	fprintf(f, "      CE id: 0, Session-id: %u\n", s->tunnel_id);
	fprintf(f, "      Interface: %s, Profile: %s\n", s->ifname,
		s->profile);
	fprintf(f, "      Status Description: %s\n", desc);
	fprintf(f, "      Local spi: %016" PRIX64 "       Remote spi: %016"
		PRIX64 "\n", lspi, rspi);
	fprintf(f, "      Local id: %s\n", s->local_id);
	fprintf(f, "      Remote id: %s\n", s->remote_id);
	fprintf(f, "      Local next msg id: %-10u Remote next msg id: %u\n",
		s->next_msgid_out, s->next_msgid_in);
	fprintf(f, "      Fragmentation %s.\n",
		s->fragmentation ? "is negotiated" : "not negotiated");
	if (s->nat_local || s->nat_remote)
		fprintf(f, "      NAT-T is detected %s\n",
			s->nat_local ? "inside" : "outside");
	else
		fprintf(f, "      NAT-T is not detected\n");
	fprintf(f, "      Child SAs: %u\n", s->n_children);
	fprintf(f, "      Initiator of SA : %s\n",
		s->initiator ? "Yes" : "No");
}

static void ikev2_text_one(FILE *f, const struct ike_sa_status *s,
			   bool detailed)
{
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];
	char lbuf[64], rbuf[64], keysize[32] = "", t1[40], t2[40];
	unsigned lp, rp;

	sa_addr(&s->path.local, la, sizeof(la), &lp);
	sa_addr(&s->path.remote, ra, sizeof(ra), &rp);
	snprintf(lbuf, sizeof(lbuf), "%s/%u", la, lp);
	snprintf(rbuf, sizeof(rbuf), "%s/%u", ra, rp);
	fprintf(f, "%-9u %-21s %-21s %-20s %s\n", s->tunnel_id, lbuf, rbuf,
		"none/none", s->state);
	if (s->encr_bits)
		snprintf(keysize, sizeof(keysize), ", keysize: %u",
			 s->encr_bits);
	fprintf(f, "      Encr: %s%s, PRF: %s, Hash: %s, DH Grp:%u, "
		"Auth sign: %s, Auth verify: %s\n",
		show_encr_name(s->encr), keysize, show_prf_name(s->prf),
		show_integ_name(s->integ), s->dh, show_auth_name(s->auth_local),
		show_auth_name(s->auth_remote));
	fprintf(f, "      Life/Active Time: %u/%" PRIu64 " sec\n",
		s->lifetime_s, active_s(s->active_ms));
	if (!strcmp(s->state, "READY"))
		fprintf(f, "      Established: %s, lifetime ends %s\n",
			wall_at(t1, sizeof(t1), -(int64_t)active_s(s->active_ms),
				false),
			wall_at(t2, sizeof(t2), (int64_t)s->lifetime_s -
				(int64_t)active_s(s->active_ms), false));
	if (detailed)
		ikev2_detail(f, s);
	fputc('\n', f);
}

static void ikev2_text_family(FILE *f, const struct ike_sa_status *v,
			      size_t n, int family, bool detailed)
{
	size_t i;

	fprintf(f, " %s Crypto IKEv2  SA \n\n",
		family == AF_INET ? "IPv4" : "IPv6");
	fprintf(f, "%-9s %-21s %-21s %-20s %s\n", "Tunnel-id", "Local",
		"Remote", "fvrf/ivrf", "Status");
	for (i = 0; i < n; i++)
		if (v[i].path.remote.ss_family == family &&
		    v[i].ike_version == 2)
			ikev2_text_one(f, &v[i], detailed);
	fputc('\n', f);
}

static void ikev2_json_one(struct json *j, const struct ike_sa_status *s)
{
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN], t[40];
	unsigned lp, rp;

	sa_addr(&s->path.local, la, sizeof(la), &lp);
	sa_addr(&s->path.remote, ra, sizeof(ra), &rp);
	json_obj_begin(j, NULL);
	json_u64(j, "tunnel_id", s->tunnel_id);
	json_str(j, "ifname", s->ifname);
	json_u64(j, "ifindex", s->ifindex);
	json_str(j, "profile", s->profile);
	json_str(j, "local", la);
	json_u64(j, "local_port", lp);
	json_str(j, "remote", ra);
	json_u64(j, "remote_port", rp);
	json_str(j, "fvrf", "none");
	json_str(j, "ivrf", "none");
	json_str(j, "state", s->state);
	json_str(j, "status", s->state);	/* the IOS column name */
	json_str(j, "encr", show_encr_name(s->encr));
	json_u64(j, "keysize", s->encr_bits);
	json_str(j, "prf", show_prf_name(s->prf));
	json_str(j, "hash", show_integ_name(s->integ));
	json_u64(j, "dh_group", s->dh);
	json_str(j, "auth_sign", show_auth_name(s->auth_local));
	json_str(j, "auth_verify", show_auth_name(s->auth_remote));
	json_u64(j, "lifetime", s->lifetime_s);
	json_u64(j, "active_time", active_s(s->active_ms));
	if (!strcmp(s->state, "READY"))
		json_str(j, "established", wall_at(t, sizeof(t),
			 -(int64_t)active_s(s->active_ms), true));
	json_bool(j, "initiator", s->initiator);
	json_spi64(j, "local_spi", s->initiator ? s->spi_i : s->spi_r);
	json_spi64(j, "remote_spi", s->initiator ? s->spi_r : s->spi_i);
	json_str(j, "local_id", s->local_id);
	json_str(j, "remote_id", s->remote_id);
	json_bool(j, "nat_local", s->nat_local);
	json_bool(j, "nat_remote", s->nat_remote);
	json_bool(j, "fragmentation", s->fragmentation);
	json_u64(j, "child_sas", s->n_children);
	json_obj_end(j);
}

void show_ikev2_sa(FILE *f, const struct ike_sa_status *v, size_t n,
		   bool detailed, bool json)
{
	struct json j;
	size_t i;

	if (!json) {
		ikev2_text_family(f, v, n, AF_INET, detailed);
		ikev2_text_family(f, v, n, AF_INET6, detailed);
		return;
	}
	json_doc_begin(&j, f);
	json_arr_begin(&j, "ike_sas");
	for (i = 0; i < n; i++)
		if (v[i].ike_version == 2)
			ikev2_json_one(&j, &v[i]);
	json_arr_end(&j);
	json_obj_end(&j);
}

/* ---------------------------------------------------------------- */
/* show crypto ipsec sa                                               */

struct totals {
	uint64_t encaps, decaps, verify_failed, replay_failed;
	uint64_t send_errors, recv_errors;
};

static uint64_t recv_errors(const struct ikevti_stats *s)
{
	return s->bad_pad + s->bad_nexthdr + s->bad_length +
	       s->encap_mismatch + s->no_sa + s->expired;
}

static uint64_t send_errors(const struct ikevti_stats *s)
{
	return s->send_error + s->no_tx_sa + s->seq_overflow;
}

/* Packets from the SAs; errors from the device, which also counts the
 * drops no SA could own (unknown SPI, no outbound SA). */
static void sum_counters(const struct show_iface *x, struct totals *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < x->n_sa; i++) {
		const struct ikevti_stats *s = &x->sa[i].stats;

		if (x->sa[i].dir == IKEVTI_DIR_OUT) {
			t->encaps += s->packets;
		} else {
			t->decaps += s->packets;
			t->verify_failed += s->auth_fail;
			t->replay_failed += s->replay + s->too_old;
		}
		t->send_errors += send_errors(s);
		t->recv_errors += recv_errors(s);
	}
	if (x->has_dev) {
		t->send_errors = send_errors(&x->dev.stats);
		t->recv_errors = recv_errors(&x->dev.stats);
	}
}

/* The child SA that owns a kernel SA, NULL when none (manual SA). */
static const struct ike_child_status *owner(const struct show_iface *x,
					    const struct ikevti_sa_info *sa)
{
	size_t i;

	for (i = 0; i < x->n_child; i++) {
		const struct ike_child_status *c = x->child[i];

		if ((sa->dir == IKEVTI_DIR_IN && c->spi_in == sa->spi) ||
		    (sa->dir == IKEVTI_DIR_OUT && c->spi_out == sa->spi))
			return c;
	}
	return NULL;
}

/* What IOS calls the remaining key lifetime, in kilobytes and seconds. */
static void remaining(const struct ike_child_status *c,
		      const struct ikevti_sa_info *sa, uint64_t *kb,
		      uint64_t *sec)
{
	uint64_t limit_kb = c && c->lifetime_kb ? c->lifetime_kb
						: sa->hard_bytes / 1024;
	uint64_t used_kb = sa->stats.bytes / 1024;
	uint64_t act = c ? c->active_ms / 1000 : 0;

	*kb = limit_kb > used_kb ? limit_kb - used_kb : 0;
	*sec = c && c->lifetime_s > act ? c->lifetime_s - act : 0;
}

static const char *transform_of(const struct ike_child_status *c,
				const struct ikevti_sa_info *sa, char *buf,
				size_t len)
{
	return show_esp_transform(sa->enc, c ? c->encr_bits : 0, sa->integ,
				  buf, len);
}

static void esp_sa_text(FILE *f, const struct show_iface *x,
			const struct ikevti_sa_info *sa)
{
	const struct ike_child_status *c = owner(x, sa);
	char tr[64], t1[40], t2[40];
	uint64_t kb, sec;

	remaining(c, sa, &kb, &sec);
	fprintf(f, "      spi: 0x%" PRIX32 "(%" PRIu32 ")\n", sa->spi,
		sa->spi);
	fprintf(f, "        transform: %s ,\n",
		transform_of(c, sa, tr, sizeof(tr)));
	fprintf(f, "        in use settings ={Tunnel%s, }\n",
		sa->encap_sport ? " UDP-Encaps" : "");
	fprintf(f, "        sa timing: remaining key lifetime (k/sec): "
		"(%" PRIu64 "/%" PRIu64 ")\n", kb, sec);
	if (c)
		fprintf(f, "        established: %s, lifetime ends %s\n",
			wall_at(t1, sizeof(t1), -(int64_t)(c->active_ms / 1000),
				false),
			wall_at(t2, sizeof(t2), (int64_t)sec, false));
	fprintf(f, "        #pkts: %" PRIu64 ", #bytes: %" PRIu64 "\n",
		sa->stats.packets, sa->stats.bytes);
	fprintf(f, "        replay detection support: %s\n",
		sa->dir == IKEVTI_DIR_OUT || sa->replay_window ? "Y" : "N");
	fprintf(f, "        Status: ACTIVE(%s)\n\n",
		c ? c->state : "no IKE");
}

static void esp_sas_text(FILE *f, const struct show_iface *x, uint8_t dir)
{
	size_t i;

	fprintf(f, "     %s esp sas:\n",
		dir == IKEVTI_DIR_IN ? "inbound" : "outbound");
	for (i = 0; i < x->n_sa; i++)
		if (x->sa[i].dir == dir)
			esp_sa_text(f, x, &x->sa[i]);
	fputc('\n', f);
}

static uint32_t current_out_spi(const struct show_iface *x)
{
	size_t i;

	for (i = 0; i < x->n_sa; i++)
		if (x->sa[i].dir == IKEVTI_DIR_OUT &&
		    (x->sa[i].flags & IKEVTI_SA_F_TX))
			return x->sa[i].spi;
	return 0;
}

static uint16_t pfs_group(const struct show_iface *x)
{
	return x->n_child ? x->child[0]->pfs_group : 0;
}

/* The peer: the IKE SA's current address (NAT may have moved it), else
 * the device's configured remote. */
static void peer_of(const struct show_iface *x, char *buf, size_t len,
		    unsigned *port)
{
	if (x->ike) {
		sa_addr(&x->ike->path.remote, buf, len, port);
		return;
	}
	ikevti_addr_str(&x->tun.remote, buf, len);
	*port = 500;
}

static void ipsec_text_one(FILE *f, const struct show_iface *x)
{
	const char *any = x->tun.local.family == AF_INET6
		? "::/0/0/0" : "0.0.0.0/0.0.0.0/0/0";
	char la[INET6_ADDRSTRLEN], peer[INET6_ADDRSTRLEN];
	struct totals t;
	unsigned port;
	uint32_t spi = current_out_spi(x);

	sum_counters(x, &t);
	ikevti_addr_str(&x->tun.local, la, sizeof(la));
	peer_of(x, peer, sizeof(peer), &port);
	fprintf(f, "interface: %s\n", x->tun.ifname);
	fprintf(f, "    Crypto map tag: %s-head-0, local addr %s\n\n",
		x->tun.ifname, la);
	fprintf(f, "   protected vrf: (none)\n");
	fprintf(f, "   local  ident (addr/mask/prot/port): (%s)\n", any);
	fprintf(f, "   remote ident (addr/mask/prot/port): (%s)\n", any);
	fprintf(f, "   current_peer %s port %u\n", peer, port);
	fprintf(f, "     PERMIT, flags={origin_is_acl,}\n");
	fprintf(f, "    #pkts encaps: %" PRIu64 ", #pkts encrypt: %" PRIu64
		", #pkts digest: %" PRIu64 "\n", t.encaps, t.encaps, t.encaps);
	fprintf(f, "    #pkts decaps: %" PRIu64 ", #pkts decrypt: %" PRIu64
		", #pkts verify: %" PRIu64 "\n", t.decaps, t.decaps, t.decaps);
	fprintf(f, "    #pkts verify failed: %" PRIu64
		", #pkts replay failed: %" PRIu64 "\n", t.verify_failed,
		t.replay_failed);
	fprintf(f, "    #send errors %" PRIu64 ", #recv errors %" PRIu64
		"\n\n", t.send_errors, t.recv_errors);
	fprintf(f, "     local crypto endpt.: %s, remote crypto endpt.: %s\n",
		la, peer);
	fprintf(f, "     current outbound spi: 0x%" PRIX32 "(%" PRIu32 ")\n",
		spi, spi);
	fprintf(f, "     PFS (Y/N): %s, DH group: ", pfs_group(x) ? "Y" : "N");
	if (pfs_group(x))
		fprintf(f, "group%u\n\n", pfs_group(x));
	else
		fprintf(f, "none\n\n");
	if (!x->has_sa_list)
		fprintf(f, "     (kernel SAs unavailable)\n\n");
	esp_sas_text(f, x, IKEVTI_DIR_IN);
	esp_sas_text(f, x, IKEVTI_DIR_OUT);
}

static void esp_sa_json(struct json *j, const struct show_iface *x,
			const struct ikevti_sa_info *sa)
{
	const struct ike_child_status *c = owner(x, sa);
	char tr[64], spi[16];
	uint64_t kb, sec;

	remaining(c, sa, &kb, &sec);
	snprintf(spi, sizeof(spi), "0x%08" PRIx32, sa->spi);
	json_obj_begin(j, NULL);
	json_str(j, "spi", spi);
	json_str(j, "transform", transform_of(c, sa, tr, sizeof(tr)));
	json_bool(j, "udp_encap", sa->encap_sport != 0);
	json_bool(j, "current", (sa->flags & IKEVTI_SA_F_TX) != 0);
	json_u64(j, "packets", sa->stats.packets);
	json_u64(j, "bytes", sa->stats.bytes);
	json_u64(j, "auth_fail", sa->stats.auth_fail);
	json_u64(j, "replay", sa->stats.replay + sa->stats.too_old);
	json_u64(j, "remaining_kb", kb);
	json_u64(j, "remaining_sec", sec);
	json_u64(j, "replay_window", sa->replay_window);
	json_str(j, "status", c ? c->state : "no IKE");
	json_u64(j, "tunnel_id", c ? c->tunnel_id : 0);
	json_obj_end(j);
}

static void esp_sas_json(struct json *j, const struct show_iface *x,
			 uint8_t dir)
{
	size_t i;

	json_arr_begin(j, dir == IKEVTI_DIR_IN ? "inbound_esp_sas"
					       : "outbound_esp_sas");
	for (i = 0; i < x->n_sa; i++)
		if (x->sa[i].dir == dir)
			esp_sa_json(j, x, &x->sa[i]);
	json_arr_end(j);
}

static void ipsec_json_one(struct json *j, const struct show_iface *x)
{
	char la[INET6_ADDRSTRLEN], peer[INET6_ADDRSTRLEN], spi[16];
	struct totals t;
	unsigned port;

	sum_counters(x, &t);
	ikevti_addr_str(&x->tun.local, la, sizeof(la));
	peer_of(x, peer, sizeof(peer), &port);
	snprintf(spi, sizeof(spi), "0x%08" PRIx32, current_out_spi(x));
	json_obj_begin(j, NULL);
	json_str(j, "ifname", x->tun.ifname);
	json_u64(j, "ifindex", x->tun.ifindex);
	json_bool(j, "up", x->tun.up);
	json_str(j, "local", la);
	json_str(j, "peer", peer);
	json_u64(j, "peer_port", port);
	json_u64(j, "pkts_encaps", t.encaps);
	json_u64(j, "pkts_decaps", t.decaps);
	json_u64(j, "pkts_verify_failed", t.verify_failed);
	json_u64(j, "pkts_replay_failed", t.replay_failed);
	json_u64(j, "send_errors", t.send_errors);
	json_u64(j, "recv_errors", t.recv_errors);
	json_str(j, "current_outbound_spi", spi);
	json_u64(j, "pfs_group", pfs_group(x));
	json_bool(j, "kernel_sas", x->has_sa_list);
	esp_sas_json(j, x, IKEVTI_DIR_IN);
	esp_sas_json(j, x, IKEVTI_DIR_OUT);
	json_obj_end(j);
}

/* The kernel SA of one direction of a child SA, NULL if not installed. */
static const struct ikevti_sa_info *kernel_sa(const struct show_iface *x,
					      uint8_t dir, uint32_t spi)
{
	size_t i;

	for (i = 0; i < x->n_sa; i++)
		if (x->sa[i].dir == dir && x->sa[i].spi == spi)
			return &x->sa[i];
	return NULL;
}

static void child_json(struct json *j, const struct show_iface *x,
		       const struct ike_child_status *c)
{
	const struct ikevti_sa_info *in = kernel_sa(x, IKEVTI_DIR_IN,
						    c->spi_in);
	const struct ikevti_sa_info *out = kernel_sa(x, IKEVTI_DIR_OUT,
						     c->spi_out);
	char tr[64], spi[16];
	uint64_t act = c->active_ms / 1000;

	json_obj_begin(j, NULL);
	json_str(j, "ifname", c->ifname[0] ? c->ifname : x->tun.ifname);
	json_u64(j, "ifindex", x->tun.ifindex);
	json_u64(j, "tunnel_id", c->tunnel_id);
	json_str(j, "state", c->state);
	snprintf(spi, sizeof(spi), "0x%08" PRIx32, c->spi_in);
	json_str(j, "spi_in", spi);
	snprintf(spi, sizeof(spi), "0x%08" PRIx32, c->spi_out);
	json_str(j, "spi_out", spi);
	json_str(j, "transform", show_esp_transform(c->encr, c->encr_bits,
						    c->integ, tr, sizeof(tr)));
	json_bool(j, "esn", c->esn);
	json_u64(j, "pfs_group", c->pfs_group);
	json_bool(j, "udp_encap", c->encap);
	json_u64(j, "lifetime", c->lifetime_s);
	json_u64(j, "lifetime_kb", c->lifetime_kb);
	json_u64(j, "active_time", act);
	json_u64(j, "remaining_sec", c->lifetime_s > act ? c->lifetime_s - act
							 : 0);
	json_bool(j, "installed_in", in != NULL);
	json_bool(j, "installed_out", out != NULL);
	json_u64(j, "packets_in", in ? in->stats.packets : 0);
	json_u64(j, "packets_out", out ? out->stats.packets : 0);
	json_u64(j, "bytes_in", in ? in->stats.bytes : 0);
	json_u64(j, "bytes_out", out ? out->stats.bytes : 0);
	json_obj_end(j);
}

void show_ipsec_sa(FILE *f, const struct show_iface *v, size_t n, bool json)
{
	struct json j;
	size_t i, k;

	if (!json) {
		for (i = 0; i < n; i++)
			ipsec_text_one(f, &v[i]);
		return;
	}
	json_doc_begin(&j, f);
	/* One entry per child SA (the engine's view, with the kernel's
	 * counters), then the IOS per-interface view. */
	json_arr_begin(&j, "child_sas");
	for (i = 0; i < n; i++)
		for (k = 0; k < v[i].n_child; k++)
			child_json(&j, &v[i], v[i].child[k]);
	json_arr_end(&j);
	json_arr_begin(&j, "interfaces");
	for (i = 0; i < n; i++)
		ipsec_json_one(&j, &v[i]);
	json_arr_end(&j);
	json_obj_end(&j);
}

/* ---------------------------------------------------------------- */
/* show crypto session                                                */

static bool any_child_active(const struct show_iface *x)
{
	size_t i;

	for (i = 0; i < x->n_child; i++)
		if (strcmp(x->child[i]->state, "REKEYED"))
			return true;
	return x->n_sa > 0;
}

/* IOS session states: UP-ACTIVE, UP-IDLE, UP-NO-IKE, DOWN-NEGOTIATING,
 * DOWN. */
static const char *session_status(const struct show_iface *x)
{
	bool ready = x->ike && !strcmp(x->ike->state, "READY");
	bool child = any_child_active(x);

	if (ready && child)
		return "UP-ACTIVE";
	if (ready)
		return "UP-IDLE";
	if (child && x->n_sa)
		return "UP-NO-IKE";
	if (x->ike)
		return "DOWN-NEGOTIATING";
	return "DOWN";
}

static const char *ike_word(const struct show_iface *x)
{
	if (!x->ike)
		return "none";
	if (!strcmp(x->ike->state, "READY"))
		return "Active";
	if (!strcmp(x->ike->state, "DELETE"))
		return "Deleting";
	return "Negotiating";
}

static void session_text_one(FILE *f, const struct show_iface *x)
{
	char peer[INET6_ADDRSTRLEN], la[INET6_ADDRSTRLEN];
	unsigned port, lp;

	peer_of(x, peer, sizeof(peer), &port);
	fprintf(f, "Interface: %s\n", x->tun.ifname);
	if (x->ike)
		fprintf(f, "Profile: %s\n", x->ike->profile);
	fprintf(f, "Session status: %s\n", session_status(x));
	fprintf(f, "Peer: %s port %u\n", peer, port);
	if (x->ike) {
		sa_addr(&x->ike->path.local, la, sizeof(la), &lp);
		fprintf(f, "  Session ID: %u\n", x->ike->tunnel_id);
		fprintf(f, "  IKEv2 SA: local %s/%u remote %s/%u %s\n", la, lp,
			peer, port, ike_word(x));
	}
	fprintf(f, "  IPSEC FLOW: permit ip %s\n",
		x->tun.local.family == AF_INET6 ? "::/0 ::/0"
			: "0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0");
	fprintf(f, "        Active SAs: %zu, origin: crypto map\n\n", x->n_sa);
}

void show_session(FILE *f, const struct show_iface *v, size_t n, bool json)
{
	char peer[INET6_ADDRSTRLEN];
	struct json j;
	unsigned port;
	size_t i;

	if (!json) {
		fprintf(f, "Crypto session current status\n\n");
		for (i = 0; i < n; i++)
			session_text_one(f, &v[i]);
		return;
	}
	json_doc_begin(&j, f);
	json_arr_begin(&j, "sessions");
	for (i = 0; i < n; i++) {
		peer_of(&v[i], peer, sizeof(peer), &port);
		json_obj_begin(&j, NULL);
		json_str(&j, "ifname", v[i].tun.ifname);
		json_str(&j, "profile", v[i].ike ? v[i].ike->profile : "");
		json_str(&j, "status", session_status(&v[i]));
		json_str(&j, "peer", peer);
		json_u64(&j, "peer_port", port);
		json_u64(&j, "session_id", v[i].ike ? v[i].ike->tunnel_id : 0);
		json_str(&j, "ike_sa", ike_word(&v[i]));
		json_u64(&j, "active_sas", v[i].n_sa);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
}
