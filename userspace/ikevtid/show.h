/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtid "show crypto ..." output, from status structures only (no
 * I/O), as IOS prints it, or as JSON: one object per command.
 */
#ifndef IKEVTID_SHOW_H
#define IKEVTID_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "engine.h"
#include "ikevti_sa.h"

#define SHOW_MAX_CHILDREN 8

/* What is known about one ikevti device, gathered by control.c. */
struct show_iface {
	struct ike_tunnel_info tun;
	const struct ike_sa_status *ike;	/* NULL: no IKE SA */
	const struct ike_child_status *child[SHOW_MAX_CHILDREN];
	size_t n_child;
	const struct ikevti_sa_info *sa;	/* the kernel's SAs */
	size_t n_sa;
	bool has_sa_list;			/* the kernel answered */
	bool has_dev;
	struct ikevti_dev_info dev;
};

void show_ikev2_sa(FILE *f, const struct ike_sa_status *v, size_t n,
		   bool detailed, bool json);
void show_ipsec_sa(FILE *f, const struct show_iface *v, size_t n, bool json);
/* show_isakmp.c: the IKEv1 commands. */
void show_isakmp_sa(FILE *f, const struct ike_sa_status *v, size_t n,
		    bool detail, bool json);
void show_isakmp_policy(FILE *f, const struct cfg_model *m, bool json);
void show_isakmp_profile(FILE *f, const struct cfg_model *m, bool json);
void show_session(FILE *f, const struct show_iface *v, size_t n, bool json);

/* Names as IOS prints them ("AES-CBC", "SHA256", "RSA"...). */
const char *show_encr_name(uint16_t id);
const char *show_prf_name(uint16_t id);
const char *show_integ_name(uint16_t id);
const char *show_auth_name(uint8_t method);
/* "esp-256-aes esp-sha256-hmac", "esp-gcm 256" into buf. */
const char *show_esp_transform(uint16_t encr, uint16_t bits, uint16_t integ,
			       char *buf, size_t len);

#endif /* IKEVTID_SHOW_H */
