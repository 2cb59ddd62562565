/* SPDX-License-Identifier: GPL-2.0 */
/* ike_id: identities and keyring look-ups (see ike_id.c). */
#ifndef IKE_ID_H
#define IKE_ID_H

#include <openssl/x509.h>

#include "ikev2/ikev2.h"

struct ike_id {
	uint8_t type;
	uint8_t data[IKE_ID_MAX];
	size_t len;
};

int ike_id_local(const struct ike_sa *sa, X509 *cert, struct ike_id *id);
bool ike_profile_matches(const struct cfg_ikev2_profile *p, uint8_t type,
			 const uint8_t *data, size_t len);
const struct cfg_keyring_peer *ike_keyring_peer(const struct ike_sa *sa,
						const struct ike_id *peer_id);

#endif /* IKE_ID_H */
