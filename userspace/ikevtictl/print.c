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

void print_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_key(FILE *f, const char *key)
{
	print_json_string(f, key);
	fputc(':', f);
}

static void json_str_field(FILE *f, const char *key, const char *val)
{
	json_key(f, key);
	print_json_string(f, val);
}

static void stats_json(FILE *f, const struct ikevti_stats *st)
{
	const struct ikevti_stat_desc *d;
	size_t i;
	int first = 1;

	json_key(f, "stats");
	fputc('{', f);
	/* Every counter, 0 when the kernel left it out: easier for scripts. */
	for (i = 0; (d = ikevti_stat_desc_at(i)) != NULL; i++) {
		fprintf(f, "%s", first ? "" : ",");
		json_key(f, d->name);
		fprintf(f, "%" PRIu64, ikevti_stat_value(st, d));
		first = 0;
	}
	fputc('}', f);
}

static void sa_json_addrs(FILE *f, const struct ikevti_sa_info *sa)
{
	char b[64];

	if (sa->local.family) {
		fputc(',', f);
		json_str_field(f, "local", addr_str(&sa->local, b, sizeof(b)));
	}
	if (sa->remote.family) {
		fputc(',', f);
		json_str_field(f, "remote",
			       addr_str(&sa->remote, b, sizeof(b)));
	}
	if (sa->encap_sport || sa->encap_dport)
		fprintf(f, ",\"encap\":{\"sport\":%u,\"dport\":%u}",
			sa->encap_sport, sa->encap_dport);
	if (sa->nat_keepalive)
		fprintf(f, ",\"nat_keepalive\":%u", sa->nat_keepalive);
}

void print_sa_json(FILE *f, const struct ikevti_sa_info *sa)
{
	char b[64];
	size_t i;
	int first = 1;

	fputc('{', f);
	json_str_field(f, "dev", sa->ifname);
	fprintf(f, ",\"ifindex\":%u,", sa->ifindex);
	json_str_field(f, "dir", dir_str(sa->dir));
	fprintf(f, ",\"spi\":%u,\"spi_hex\":\"0x%08x\",", sa->spi, sa->spi);
	json_str_field(f, "enc", print_enc_name(sa->enc, b, sizeof(b)));
	fprintf(f, ",\"enc_id\":%u,", sa->enc);
	json_str_field(f, "integ", print_integ_name(sa->integ, b, sizeof(b)));
	fprintf(f, ",\"integ_id\":%u,\"replay_window\":%u,\"flags\":[",
		sa->integ, sa->replay_window);
	for (i = 0; i < N_FLAGS; i++) {
		if (!(sa->flags & flag_names[i].bit))
			continue;
		fprintf(f, "%s", first ? "" : ",");
		print_json_string(f, flag_names[i].name);
		first = 0;
	}
	fputc(']', f);
	sa_json_addrs(f, sa);
	fprintf(f, ",\"seq\":%" PRIu64, sa->seq);
	fprintf(f,
		",\"lifetime\":{\"soft_bytes\":%" PRIu64 ",\"hard_bytes\":%" PRIu64
		",\"soft_packets\":%" PRIu64 ",\"hard_packets\":%" PRIu64 "},",
		sa->soft_bytes, sa->hard_bytes, sa->soft_packets,
		sa->hard_packets);
	stats_json(f, &sa->stats);
	fputc('}', f);
}

void print_dev_text(FILE *f, const struct ikevti_dev_info *dev)
{
	fprintf(f, "dev %s", dev->ifname[0] ? dev->ifname : "?");
	if (dev->has_generation)
		fprintf(f, " generation %u", dev->generation);
	fprintf(f, "\n");
	stats_text(f, &dev->stats, "\t");
}

void print_dev_json(FILE *f, const struct ikevti_dev_info *dev)
{
	fputc('{', f);
	json_str_field(f, "dev", dev->ifname);
	fprintf(f, ",\"ifindex\":%u", dev->ifindex);
	if (dev->has_generation)
		fprintf(f, ",\"generation\":%u", dev->generation);
	fputc(',', f);
	stats_json(f, &dev->stats);
	fputc('}', f);
}
