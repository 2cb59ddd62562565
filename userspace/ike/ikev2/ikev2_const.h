/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 protocol numbers (RFC 7296 section 3 and the IANA "Internet Key
 * Exchange Version 2 (IKEv2) Parameters" registry). Only numbers live
 * here, so every module names the same value the same way.
 */
#ifndef IKEV2_CONST_H
#define IKEV2_CONST_H

#define IKEV2_VERSION 0x20		/* major 2, minor 0 */
#define IKEV2_HDR_LEN 28
#define IKEV2_GENERIC_HDR_LEN 4

/* Exchange types (RFC 7296 3.1). */
enum ikev2_exchange {
	IKEV2_EXCH_IKE_SA_INIT = 34,
	IKEV2_EXCH_IKE_AUTH = 35,
	IKEV2_EXCH_CREATE_CHILD_SA = 36,
	IKEV2_EXCH_INFORMATIONAL = 37,
};

/* Header flags (RFC 7296 3.1). */
#define IKEV2_FLAG_INITIATOR 0x08
#define IKEV2_FLAG_VERSION 0x10
#define IKEV2_FLAG_RESPONSE 0x20

/* Payload types (RFC 7296 3.2, RFC 7383 for SKF). */
enum ikev2_payload_type {
	IKEV2_PL_NONE = 0,
	IKEV2_PL_SA = 33,
	IKEV2_PL_KE = 34,
	IKEV2_PL_IDI = 35,
	IKEV2_PL_IDR = 36,
	IKEV2_PL_CERT = 37,
	IKEV2_PL_CERTREQ = 38,
	IKEV2_PL_AUTH = 39,
	IKEV2_PL_NONCE = 40,
	IKEV2_PL_NOTIFY = 41,
	IKEV2_PL_DELETE = 42,
	IKEV2_PL_VENDOR = 43,
	IKEV2_PL_TSI = 44,
	IKEV2_PL_TSR = 45,
	IKEV2_PL_SK = 46,
	IKEV2_PL_CP = 47,
	IKEV2_PL_EAP = 48,
	IKEV2_PL_SKF = 53,
};

/* Protocol IDs (RFC 7296 3.3.1). */
enum ikev2_protocol {
	IKEV2_PROTO_IKE = 1,
	IKEV2_PROTO_AH = 2,
	IKEV2_PROTO_ESP = 3,
};

/* Transform types (RFC 7296 3.3.2). */
enum ikev2_transform_type {
	IKEV2_TRANS_ENCR = 1,
	IKEV2_TRANS_PRF = 2,
	IKEV2_TRANS_INTEG = 3,
	IKEV2_TRANS_DH = 4,
	IKEV2_TRANS_ESN = 5,
	IKEV2_TRANS_TYPE_MAX = 5,
};

/* Transform type 1: encryption (equal to enum ikevti_enc in the uapi). */
enum ikev2_encr {
	IKEV2_ENCR_3DES = 3,
	IKEV2_ENCR_AES_CBC = 12,
	IKEV2_ENCR_AES_GCM_16 = 20,
};

/* Transform type 2: pseudorandom functions. */
enum ikev2_prf {
	IKEV2_PRF_HMAC_MD5 = 1,
	IKEV2_PRF_HMAC_SHA1 = 2,
	IKEV2_PRF_HMAC_SHA2_256 = 5,
	IKEV2_PRF_HMAC_SHA2_384 = 6,
	IKEV2_PRF_HMAC_SHA2_512 = 7,
};

/* Transform type 3: integrity (equal to enum ikevti_integ in the uapi). */
enum ikev2_integ {
	IKEV2_INTEG_NONE = 0,
	IKEV2_INTEG_HMAC_MD5_96 = 1,
	IKEV2_INTEG_HMAC_SHA1_96 = 2,
	IKEV2_INTEG_HMAC_SHA2_256_128 = 12,
	IKEV2_INTEG_HMAC_SHA2_384_192 = 13,
	IKEV2_INTEG_HMAC_SHA2_512_256 = 14,
};

/* Transform type 4: Diffie-Hellman groups. */
enum ikev2_dh {
	IKEV2_DH_NONE = 0,
	IKEV2_DH_MODP1024 = 2,		/* legacy */
	IKEV2_DH_MODP1536 = 5,		/* legacy */
	IKEV2_DH_MODP2048 = 14,
	IKEV2_DH_MODP3072 = 15,
	IKEV2_DH_MODP4096 = 16,
	IKEV2_DH_ECP256 = 19,
	IKEV2_DH_ECP384 = 20,
	IKEV2_DH_ECP521 = 21,
	IKEV2_DH_CURVE25519 = 31,
};

/* Transform type 5: extended sequence numbers. */
enum ikev2_esn {
	IKEV2_ESN_NO = 0,
	IKEV2_ESN_YES = 1,
};

/* Transform attribute (RFC 7296 3.3.5): Key Length, TV format. */
#define IKEV2_ATTR_KEY_LENGTH 14
#define IKEV2_ATTR_FORMAT_TV 0x8000

/* ID types (RFC 7296 3.5). */
enum ikev2_id_type {
	IKEV2_ID_IPV4_ADDR = 1,
	IKEV2_ID_FQDN = 2,
	IKEV2_ID_RFC822_ADDR = 3,
	IKEV2_ID_IPV6_ADDR = 5,
	IKEV2_ID_DER_ASN1_DN = 9,
	IKEV2_ID_DER_ASN1_GN = 10,
	IKEV2_ID_KEY_ID = 11,
};

/* Authentication methods (RFC 7296 3.8, RFC 4754, RFC 7427). */
enum ikev2_auth_method {
	IKEV2_AUTH_RSA_SIG = 1,
	IKEV2_AUTH_PSK = 2,
	IKEV2_AUTH_DSS_SIG = 3,
	IKEV2_AUTH_ECDSA_256 = 9,
	IKEV2_AUTH_ECDSA_384 = 10,
	IKEV2_AUTH_ECDSA_521 = 11,
	IKEV2_AUTH_DIGITAL_SIG = 14,
};

/* Certificate encodings (RFC 7296 3.6). */
enum ikev2_cert_encoding {
	IKEV2_CERT_X509_SIG = 4,
	IKEV2_CERT_HASH_URL_X509 = 12,
};

/* Traffic selector types (RFC 7296 3.13.1). */
enum ikev2_ts_type {
	IKEV2_TS_IPV4_ADDR_RANGE = 7,
	IKEV2_TS_IPV6_ADDR_RANGE = 8,
};

/* Notify message types used by the codec and the engine (RFC 7296
 * 3.10.1). */
enum ikev2_notify {
	IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKEV2_N_INVALID_IKE_SPI = 4,
	IKEV2_N_INVALID_MAJOR_VERSION = 5,
	IKEV2_N_INVALID_SYNTAX = 7,
	IKEV2_N_INVALID_SPI = 11,
	IKEV2_N_NO_PROPOSAL_CHOSEN = 14,
	IKEV2_N_INVALID_KE_PAYLOAD = 17,
	IKEV2_N_AUTHENTICATION_FAILED = 24,
	IKEV2_N_NO_ADDITIONAL_SAS = 35,
	IKEV2_N_TS_UNACCEPTABLE = 38,
	IKEV2_N_TEMPORARY_FAILURE = 43,
	IKEV2_N_CHILD_SA_NOT_FOUND = 44,
	IKEV2_N_INITIAL_CONTACT = 16384,
	IKEV2_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKEV2_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKEV2_N_COOKIE = 16390,
	IKEV2_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
	IKEV2_N_REKEY_SA = 16393,
	IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,
	IKEV2_N_SIGNATURE_HASH_ALGORITHMS = 16431,	/* RFC 7427 */
};

#endif /* IKEV2_CONST_H */
