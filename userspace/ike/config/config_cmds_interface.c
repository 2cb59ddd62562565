// SPDX-License-Identifier: GPL-2.0
/*
 * "interface ikevtiN" (and TunnelN, the same device), and the interface
 * blocks of other interfaces, whose lines are accepted and ignored.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

/* Addresses of ikevti devices are set with ip(8); IOS lines that set them
 * are accepted (pasted configurations have them) with a warning. */
static void ignore_ip_config(struct cfg_parser *p,
			     const struct cfg_token *arg, size_t nargs)
{
	(void)arg;
	(void)nargs;
	cfg_warn_at(p, &p->line->tok[0], "interface addressing is ignored: "
		    "set it with ip(8)");
}

/* ---------------------------------------------------------------- */
/* interface */

/* "ikevtiN" or "TunnelN" (case-insensitive prefix, decimal unit). */
static bool tunnel_unit(const struct cfg_token *t, unsigned *unit)
{
	static const char *const prefixes[] = { "ikevti", "Tunnel" };

	for (size_t k = 0; k < 2; k++) {
		size_t pl = strlen(prefixes[k]);
		unsigned long v = 0;

		if (t->len <= pl || t->len > pl + 6 ||
		    strncasecmp(t->s, prefixes[k], pl) != 0)
			continue;
		for (size_t i = pl; i < t->len; i++) {
			if (t->s[i] < '0' || t->s[i] > '9')
				return false;
			v = v * 10 + (unsigned long)(t->s[i] - '0');
		}
		*unit = (unsigned)v;
		return true;
	}
	return false;
}

void cfg_cmd_interface(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs)
{
	struct cfg_interface *ifc;
	struct cfg_token canonical;
	char name[CFG_NAME_MAX];
	unsigned unit;
	size_t i;

	(void)nargs;
	if (!tunnel_unit(&arg[0], &unit)) {
		cfg_warn_at(p, &arg[0], "interface %.*s is not an ikevti "
			    "tunnel; its lines are ignored (configure it with "
			    "ip(8))", (int)arg[0].len, arg[0].s);
		p->mode = CFG_M_FOREIGN_INTERFACE;
		return;
	}
	snprintf(name, sizeof(name), "ikevti%u", unit);
	canonical = (struct cfg_token){ name, strlen(name), arg[0].col };
	bool ok = FIND_OR_ADD(p, interfaces, n_interfaces,
				struct cfg_interface, &canonical, &i);

	cfg_enter(p, CFG_M_INTERFACE, ok, i);
	if (!ok)
		return;
	ifc = &p->m->interfaces[i];
	ifc->unit = unit;
	cfg_tok_copy(p, &arg[0], ifc->written_name, sizeof(ifc->written_name),
		     "interface name");
}

static struct cfg_interface *cur_if(struct cfg_parser *p)
{
	return cfg_have_current(p, p->m->n_interfaces) ? CUR(p, interfaces) :
						     NULL;
}

static void if_protection(struct cfg_parser *p, const struct cfg_token *arg,
			  size_t nargs)
{
	struct cfg_interface *ifc = cur_if(p);

	if (!ifc)
		return;
	ifc->has_protection = false;
	if (p->negate)
		return;
	if (nargs == 2 && !cfg_tok_eq(&arg[1], "shared")) {
		cfg_error_at(p, &arg[1], "expected 'shared' or nothing");
		return;
	}
	if (cfg_valid_name(p, &arg[0], ifc->ipsec_profile.name,
			   sizeof(ifc->ipsec_profile.name))) {
		ifc->ipsec_profile.loc = cfg_tok_loc(p, &arg[0]);
		ifc->has_protection = true;
	}
}

static void if_source(struct cfg_parser *p, const struct cfg_token *arg,
		      size_t nargs)
{
	struct cfg_interface *ifc = cur_if(p);

	(void)nargs;
	if (!ifc)
		return;
	ifc->has_source = false;
	ifc->source_ifname[0] = '\0';
	if (p->negate)
		return;
	/* An address, or the name of the underlay interface. */
	if (cfg_token_is_addr(&arg[0], &ifc->source)) {
		ifc->has_source = true;
		return;
	}
	cfg_tok_copy(p, &arg[0], ifc->source_ifname,
		     sizeof(ifc->source_ifname), "interface name");
}

static void if_destination(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	struct cfg_interface *ifc = cur_if(p);

	(void)nargs;
	if (!ifc)
		return;
	ifc->has_destination = !p->negate &&
			       cfg_parse_addr(p, &arg[0], &ifc->destination);
}

static void if_tunnel_mode(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	(void)nargs;
	if (!cfg_tok_eq(&arg[0], "ipv4") && !cfg_tok_eq(&arg[0], "ipv6"))
		cfg_error_at(p, &arg[0], "expected 'tunnel mode ipsec ipv4' "
			     "or 'ipv6'");
	else
		/* IKEv2 proposes 0.0.0.0/0 and ::/0 whatever this says; an
		 * IKEv1 Quick Mode carries one pair of proxy identities,
		 * and this line chooses which, as on IOS. */
		cur_if(p)->tunnel_mode_ipv6 = cfg_tok_eq(&arg[0], "ipv6");
}

static void if_description(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs)
{
	struct cfg_interface *ifc = cur_if(p);

	if (!ifc)
		return;
	if (p->negate || nargs == 0)
		ifc->description[0] = '\0';
	else
		cfg_rest_copy(p, &arg[0], p->line->end, ifc->description,
			      sizeof(ifc->description), "description");
}

static void if_shutdown(struct cfg_parser *p, const struct cfg_token *arg,
			size_t nargs)
{
	struct cfg_interface *ifc = cur_if(p);

	(void)arg;
	(void)nargs;
	if (ifc)
		ifc->shutdown = !p->negate;
}

/* "tunnel ..." in an interface that is not a tunnel: the name is wrong
 * (a typo such as "Tunnell"), so say it once and skip the block. */
static void foreign_tunnel_line(struct cfg_parser *p,
				const struct cfg_token *arg, size_t nargs)
{
	(void)arg;
	(void)nargs;
	cfg_error_at(p, &p->line->tok[p->negate ? 1 : 0], "'tunnel' lines "
		     "need a tunnel interface, and '%s' is not one (name it "
		     "TunnelN or ikevtiN)", p->header[0]);
	p->header_failed = true;
}

/* ---------------------------------------------------------------- */
/* Tables */

static const struct cfg_cmd interface_cmds[] = {
	CMD("tunnel protection ipsec profile", if_protection, 1, 2, true),
	CMD("tunnel source", if_source, 1, 1, true),
	CMD("tunnel destination", if_destination, 1, 1, true),
	CMD("tunnel mode ipsec", if_tunnel_mode, 1, 1, false),
	CMD("description", if_description, 1, CFG_NARGS_REST, true),
	CMD("shutdown", if_shutdown, 0, 0, true),
	CMD("ip address", ignore_ip_config, 1, 3, true),
	CMD("ipv6 address", ignore_ip_config, 1, 2, true),
	CMD("ip mtu", ignore_ip_config, 1, 1, true),
	CMD("ip tcp adjust-mss", ignore_ip_config, 1, 1, true),
	CMD("ip unnumbered", ignore_ip_config, 1, 1, true),
	CMD("crypto map", cfg_interface_crypto_map, 0, 1, true),
};

const struct cfg_cmd_table cfg_interface_table =
	CFG_TABLE(interface_cmds);

static const struct cfg_cmd foreign_interface_cmds[] = {
	CMD("description", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("ip address", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("ipv6 address", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("shutdown", cfg_ignore_silent, 0, 0, true),
	CMD("ip mtu", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("ip tcp", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("ip nat", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("negotiation", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("duplex", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("speed", cfg_ignore_silent, 0, CFG_NARGS_REST, true),
	CMD("crypto map", cfg_interface_crypto_map, 0, 1, true),
	CMD("tunnel", foreign_tunnel_line, 0, CFG_NARGS_REST, true),
};

const struct cfg_cmd_table cfg_foreign_interface_table =
	CFG_TABLE(foreign_interface_cmds);
