// SPDX-License-Identifier: GPL-2.0
/*
 * engine_log: every engine log line goes through elog(), which prefixes
 * the interface and the IKE SA the way IOS "debug crypto ikev2" does:
 * "ikevti1: IKEv2:(SA ID = 3): ...". Records above the engine's level
 * are not even formatted.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"

void elog(struct ike_engine *e, enum ike_log_level lvl,
	  const struct ike_tunnel *t, const struct ike_sa *sa,
	  const char *fmt, ...)
{
	char head[96], body[900], line[1024];
	va_list ap;

	const char *v = sa ? sa->v->name : t && t->v ? t->v->name : "IKE";

	if (lvl > e->log_level || !e->ops.log)
		return;
	if (sa)
		snprintf(head, sizeof(head), "%s: %s:(SA ID = %u): ",
			 t ? t->info.ifname : "-", v, sa->id);
	else
		snprintf(head, sizeof(head), "%s: %s: ",
			 t ? t->info.ifname : "-", v);
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s%s", head, body);
	e->ops.log(e->ops.ctx, lvl, line);
}

const char *ike_exch_name(uint8_t exch)
{
	switch (exch) {
	case IKEV2_EXCH_IKE_SA_INIT: return "IKE_SA_INIT";
	case IKEV2_EXCH_IKE_AUTH: return "IKE_AUTH";
	case IKEV2_EXCH_CREATE_CHILD_SA: return "CREATE_CHILD_SA";
	case IKEV2_EXCH_INFORMATIONAL: return "INFORMATIONAL";
	}
	return "UNKNOWN-EXCHANGE";
}

const char *ike_notify_name(uint16_t type)
{
	switch (type) {
	case IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD:
		return "UNSUPPORTED_CRITICAL_PAYLOAD";
	case IKEV2_N_INVALID_IKE_SPI: return "INVALID_IKE_SPI";
	case IKEV2_N_INVALID_MAJOR_VERSION: return "INVALID_MAJOR_VERSION";
	case IKEV2_N_INVALID_SYNTAX: return "INVALID_SYNTAX";
	case IKEV2_N_NO_PROPOSAL_CHOSEN: return "NO_PROPOSAL_CHOSEN";
	case IKEV2_N_INVALID_KE_PAYLOAD: return "INVALID_KE_PAYLOAD";
	case IKEV2_N_AUTHENTICATION_FAILED: return "AUTHENTICATION_FAILED";
	case IKEV2_N_TS_UNACCEPTABLE: return "TS_UNACCEPTABLE";
	case IKEV2_N_CHILD_SA_NOT_FOUND: return "CHILD_SA_NOT_FOUND";
	case IKEV2_N_TEMPORARY_FAILURE: return "TEMPORARY_FAILURE";
	case IKEV2_N_NO_ADDITIONAL_SAS: return "NO_ADDITIONAL_SAS";
	case IKEV2_N_INITIAL_CONTACT: return "INITIAL_CONTACT";
	case IKEV2_N_COOKIE: return "COOKIE";
	case IKEV2_N_REKEY_SA: return "REKEY_SA";
	}
	return "notify";
}

void ike_addr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;

		inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(s->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)ss;

		inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(s->sin6_port));
	} else {
		snprintf(buf, len, "?");
	}
}

void ike_hex(const uint8_t *p, size_t n, char *buf, size_t len)
{
	size_t o = 0;

	if (len)
		buf[0] = 0;
	for (size_t i = 0; i < n && o + 3 <= len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%02x", p[i]);
}
