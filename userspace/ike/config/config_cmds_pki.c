// SPDX-License-Identifier: GPL-2.0
/*
 * "crypto pki trustpoint" and its lines, including our extension lines
 * that name the PEM files (ikevtid does not enroll).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "ikev2/ikev2_const.h"

/* ---------------------------------------------------------------- */
/* crypto pki trustpoint */

void cfg_cmd_trustpoint(struct cfg_parser *p, const struct cfg_token *arg,
			size_t nargs)
{
	size_t i;
	bool ok = FIND_OR_ADD(p, trustpoints, n_trustpoints,
				struct cfg_trustpoint, &arg[0], &i);

	(void)nargs;
	cfg_enter(p, CFG_M_TRUSTPOINT, ok, i);
}

static void set_path(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs, char *dst, size_t size)
{
	if (p->negate) {
		dst[0] = '\0';
		return;
	}
	(void)nargs;
	cfg_tok_copy(p, &arg[0], dst, size, "path");
}

#define TP_FIELD_HANDLER(fn, field)                                        \
	static void fn(struct cfg_parser *p, const struct cfg_token *arg,  \
		       size_t nargs)                                       \
	{                                                                  \
		if (!cfg_have_current(p, p->m->n_trustpoints))                 \
			return;                                            \
		set_path(p, arg, nargs, CUR(p, trustpoints)->field,        \
			 sizeof(CUR(p, trustpoints)->field));              \
	}

TP_FIELD_HANDLER(tp_ca_file, ca_cert_file)
TP_FIELD_HANDLER(tp_cert_file, cert_file)
TP_FIELD_HANDLER(tp_key_file, key_file)

static void tp_subject(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs)
{
	struct cfg_trustpoint *tp;

	if (!cfg_have_current(p, p->m->n_trustpoints))
		return;
	tp = CUR(p, trustpoints);
	if (p->negate || nargs == 0) {
		tp->subject_name[0] = '\0';
		return;
	}
	cfg_rest_copy(p, &arg[0], p->line->end, tp->subject_name,
		      sizeof(tp->subject_name), "subject-name");
}

static void tp_fqdn(struct cfg_parser *p, const struct cfg_token *arg,
		    size_t nargs)
{
	struct cfg_trustpoint *tp;

	if (!cfg_have_current(p, p->m->n_trustpoints))
		return;
	tp = CUR(p, trustpoints);
	if (p->negate || nargs == 0 || cfg_tok_eq(&arg[0], "none")) {
		tp->fqdn[0] = '\0';
		return;
	}
	cfg_tok_copy(p, &arg[0], tp->fqdn, sizeof(tp->fqdn), "fqdn");
}

static void tp_ip(struct cfg_parser *p, const struct cfg_token *arg,
		  size_t nargs)
{
	struct cfg_trustpoint *tp;

	if (!cfg_have_current(p, p->m->n_trustpoints))
		return;
	tp = CUR(p, trustpoints);
	tp->has_ip = false;
	if (p->negate || nargs == 0 || cfg_tok_eq(&arg[0], "none"))
		return;
	tp->has_ip = cfg_parse_addr(p, &arg[0], &tp->ip);
}

static void tp_revocation(struct cfg_parser *p, const struct cfg_token *arg,
			  size_t nargs)
{
	struct cfg_trustpoint *tp;

	if (!cfg_have_current(p, p->m->n_trustpoints))
		return;
	tp = CUR(p, trustpoints);
	memset(tp->revocation, 0, sizeof(tp->revocation));
	if (p->negate)
		return;
	for (size_t i = 0; i < nargs; i++) {
		if (cfg_tok_eq(&arg[i], "none"))
			tp->revocation[i] = CFG_REVOCATION_NONE;
		else if (cfg_tok_eq(&arg[i], "crl"))
			tp->revocation[i] = CFG_REVOCATION_CRL;
		else if (cfg_tok_eq(&arg[i], "ocsp"))
			tp->revocation[i] = CFG_REVOCATION_OCSP;
		else
			cfg_error_at(p, &arg[i], "unknown revocation-check "
				     "method '%.*s' (expected none, crl or "
				     "ocsp)", (int)arg[i].len, arg[i].s);
		/* Say so rather than pretend: a revoked certificate is
		 * accepted. */
		if (tp->revocation[i] == CFG_REVOCATION_CRL ||
		    tp->revocation[i] == CFG_REVOCATION_OCSP)
			cfg_warn_at(p, &arg[i], "ikevtid does not check "
				    "revocation (no CRL or OCSP fetching): "
				    "'%.*s' is not in effect",
				    (int)arg[i].len, arg[i].s);
	}
}

static void tp_enrollment(struct cfg_parser *p, const struct cfg_token *arg,
			  size_t nargs)
{
	(void)arg;
	(void)nargs;
	cfg_warn_at(p, &p->line->tok[0], "'%.*s' ignored: ikevtid does not "
		    "enroll; name the PEM files with ca-certificate-file, "
		    "certificate-file and private-key-file",
		    (int)p->line->tok[0].len, p->line->tok[0].s);
}

static const struct cfg_cmd trustpoint_cmds[] = {
	CMD("ca-certificate-file", tp_ca_file, 1, 1, true),
	CMD("certificate-file", tp_cert_file, 1, 1, true),
	CMD("private-key-file", tp_key_file, 1, 1, true),
	CMD("subject-name", tp_subject, 1, CFG_NARGS_REST, true),
	CMD("fqdn", tp_fqdn, 1, 1, true),
	CMD("ip-address", tp_ip, 1, 1, true),
	CMD("revocation-check", tp_revocation, 1, 3, true),
	CMD("enrollment", tp_enrollment, 1, CFG_NARGS_REST, true),
	CMD("serial-number", tp_enrollment, 0, 1, true),
	CMD("rsakeypair", tp_enrollment, 1, 3, true),
	CMD("auto-enroll", tp_enrollment, 0, 2, true),
};

const struct cfg_cmd_table cfg_trustpoint_table =
	CFG_TABLE(trustpoint_cmds);
