// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtictl: text and JSON output.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "print.h"

const char *print_enc_name(uint16_t enc, char *buf, size_t len)
{
	const char *n = ikevti_enc_family_name(enc);

	if (n)
		return n;
	snprintf(buf, len, "unknown(%u)", enc);
	return buf;
}

const char *print_integ_name(uint16_t integ, char *buf, size_t len)
{
	const struct ikevti_integ_alg *a;

	if (integ == IKEVTI_INTEG_NONE)
		return "none";
	a = ikevti_integ_by_id(integ);
	if (a)
		return a->name;
	snprintf(buf, len, "unknown(%u)", integ);
	return buf;
}

static const char *addr_str(const struct ikevti_addr *a, char *buf,
			    size_t len)
{
	if (!a->family || !inet_ntop(a->family, a->raw, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static const struct {
	uint32_t bit;
	const char *name;
} flag_names[] = {
	{ IKEVTI_SA_F_TX, "tx" },
	{ IKEVTI_SA_F_ESN, "esn" },
	{ IKEVTI_SA_F_ALLOW_FLOAT, "allow-float" },
	{ IKEVTI_SA_F_LEGACY, "legacy" },
};

#define N_FLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

static const char *dir_str(uint8_t dir)
{
	const char *d = ikevti_dir_name(dir);

	return d ? d : "?";
}

static void lifetime_text(FILE *f, const char *what, uint64_t soft,
			  uint64_t hard)
{
	fprintf(f, " %s soft ", what);
	if (soft)
		fprintf(f, "%" PRIu64, soft);
	else
		fprintf(f, "unlimited");
	fprintf(f, " hard ");
	if (hard)
		fprintf(f, "%" PRIu64, hard);
	else
		fprintf(f, "unlimited");
}

static void stats_text(FILE *f, const struct ikevti_stats *st,
		       const char *indent)
{
	const struct ikevti_stat_desc *d;
	size_t i, col = 0;

	for (i = 0; (d = ikevti_stat_desc_at(i)) != NULL; i++) {
		if (!(st->present & (1U << d->attr)))
			continue;
		if (col % 4 == 0)
			fprintf(f, "%s%s", col ? "\n" : "", indent);
		else
			fputc(' ', f);
		fprintf(f, "%s %" PRIu64, d->name, ikevti_stat_value(st, d));
		col++;
	}
	if (col)
		fputc('\n', f);
}

void print_sa_text(FILE *f, const struct ikevti_sa_info *sa)
{
	char b1[64], b2[64];
	size_t i;
	int any = 0;

	fprintf(f, "dev %s dir %s spi 0x%08x (%u)\n",
		sa->ifname[0] ? sa->ifname : "?", dir_str(sa->dir), sa->spi,
		sa->spi);
	fprintf(f, "\tenc %s integ %s\n",
		print_enc_name(sa->enc, b1, sizeof(b1)),
		print_integ_name(sa->integ, b2, sizeof(b2)));
	fprintf(f, "\treplay-window %u flags", sa->replay_window);
	for (i = 0; i < N_FLAGS; i++) {
		if (sa->flags & flag_names[i].bit) {
			fprintf(f, " %s", flag_names[i].name);
			any = 1;
		}
	}
	fprintf(f, "%s\n", any ? "" : " none");
	if (sa->local.family || sa->remote.family) {
		fprintf(f, "\t");
		if (sa->local.family)
			fprintf(f, "local %s%s",
				addr_str(&sa->local, b1, sizeof(b1)),
				sa->remote.family ? " " : "");
		if (sa->remote.family)
			fprintf(f, "remote %s",
				addr_str(&sa->remote, b2, sizeof(b2)));
		fprintf(f, "\n");
	}
	if (sa->encap_sport || sa->encap_dport)
		fprintf(f, "\tencap udp sport %u dport %u\n", sa->encap_sport,
			sa->encap_dport);
	if (sa->nat_keepalive)
		fprintf(f, "\tnat-keepalive %u\n", sa->nat_keepalive);
	fprintf(f, "\tseq 0x%08" PRIx64 "\n", sa->seq);
	fprintf(f, "\tlifetime");
	lifetime_text(f, "bytes", sa->soft_bytes, sa->hard_bytes);
	lifetime_text(f, "packets", sa->soft_packets, sa->hard_packets);
	fprintf(f, "\n");
	if (sa->stats.present) {
		fprintf(f, "\tstats:\n");
		stats_text(f, &sa->stats, "\t  ");
	}
}

static void stats_json(struct json *j, const struct ikevti_stats *st)
{
	const struct ikevti_stat_desc *d;
	size_t i;

	json_obj_begin(j, "stats");
	/* Every counter, 0 when the kernel left it out: easier for scripts. */
	for (i = 0; (d = ikevti_stat_desc_at(i)) != NULL; i++)
		json_u64(j, d->name, ikevti_stat_value(st, d));
	json_obj_end(j);
}

static void sa_json_addrs(struct json *j, const struct ikevti_sa_info *sa)
{
	char b[64];

	if (sa->local.family)
		json_str(j, "local", addr_str(&sa->local, b, sizeof(b)));
	if (sa->remote.family)
		json_str(j, "remote", addr_str(&sa->remote, b, sizeof(b)));
	if (sa->encap_sport || sa->encap_dport) {
		json_obj_begin(j, "encap");
		json_u64(j, "sport", sa->encap_sport);
		json_u64(j, "dport", sa->encap_dport);
		json_obj_end(j);
	}
	if (sa->nat_keepalive)
		json_u64(j, "nat_keepalive", sa->nat_keepalive);
}

void print_sa_json(struct json *j, const struct ikevti_sa_info *sa)
{
	char b[64];
	size_t i;

	json_obj_begin(j, NULL);
	json_str(j, "ifname", sa->ifname);
	json_u64(j, "ifindex", sa->ifindex);
	json_str(j, "dir", dir_str(sa->dir));
	json_spi32(j, "spi", sa->spi);
	json_str(j, "enc", print_enc_name(sa->enc, b, sizeof(b)));
	json_u64(j, "enc_id", sa->enc);
	json_str(j, "integ", print_integ_name(sa->integ, b, sizeof(b)));
	json_u64(j, "integ_id", sa->integ);
	json_u64(j, "replay_window", sa->replay_window);
	json_arr_begin(j, "flags");
	for (i = 0; i < N_FLAGS; i++)
		if (sa->flags & flag_names[i].bit)
			json_str(j, NULL, flag_names[i].name);
	json_arr_end(j);
	sa_json_addrs(j, sa);
	json_u64(j, "seq", sa->seq);
	json_obj_begin(j, "lifetime");
	json_u64(j, "soft_bytes", sa->soft_bytes);
	json_u64(j, "hard_bytes", sa->hard_bytes);
	json_u64(j, "soft_packets", sa->soft_packets);
	json_u64(j, "hard_packets", sa->hard_packets);
	json_obj_end(j);
	stats_json(j, &sa->stats);
	json_obj_end(j);
}

void print_dev_text(FILE *f, const struct ikevti_dev_info *dev)
{
	fprintf(f, "dev %s", dev->ifname[0] ? dev->ifname : "?");
	if (dev->has_generation)
		fprintf(f, " generation %u", dev->generation);
	fprintf(f, "\n");
	stats_text(f, &dev->stats, "\t");
}

void print_dev_json(struct json *j, const struct ikevti_dev_info *dev)
{
	json_obj_begin(j, NULL);
	json_str(j, "ifname", dev->ifname);
	json_u64(j, "ifindex", dev->ifindex);
	if (dev->has_generation)
		json_u64(j, "generation", dev->generation);
	stats_json(j, &dev->stats);
	json_obj_end(j);
}
