/* names.h: IANA/RFC name tables for IKEv1 (RFC 2407/2408/2409) and IKEv2 (RFC 7296) numbers. */
#ifndef IKESCOPE_IKE_NAMES_H
#define IKESCOPE_IKE_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every lookup writes the name into `buf` (caller owned, `len` bytes,
 * truncated and NUL-terminated when short) and returns `buf`. Unknown
 * values are written as "UNKNOWN(n)" with n in decimal. A NULL or zero
 * length buffer makes the call return a static string instead ("UNKNOWN"
 * when the value is unknown), so the result is never NULL.
 *
 * `version` is the IKE major version (1 or 2); anything else is treated as 2.
 */
#define IKE_NAME_BUF 48 /* enough for every name in these tables */

/* Exchange types: IKEv2 (IANA "IKEv2 Exchange Types"), IKEv1 (RFC 2408 §3.1, RFC 2409). */
const char *ike_exchange_name(uint8_t version, uint8_t exchange, char *buf, size_t len);

/* Payload type names ("Security Association", "Notify", ...). */
const char *ike_payload_type_name(uint8_t version, uint8_t type, char *buf, size_t len);
/* Short payload names ("SA", "N", "SK", "VID", "NAT-D"): the notation without sender suffixes. */
const char *ike_payload_short_name(uint8_t version, uint8_t type, char *buf, size_t len);
/* Is the payload type one this version's registry defines? */
bool ike_payload_type_known(uint8_t version, uint8_t type);

/* Notify message types: IKEv2 IANA names, IKEv1 RFC 2408 §3.14.1 / RFC 2407 §4.6.3 in
 * underscore style, plus RFC 3706 DPD and Cisco Unity. */
const char *ike_notify_name(uint8_t version, uint16_t type, char *buf, size_t len);
bool ike_notify_known(uint8_t version, uint16_t type);
/* Error range: IKEv2 types below 16384 (RFC 7296 §3.10.1); IKEv1 below 8192 (RFC 2408 §3.14.1). */
bool ike_notify_is_error(uint8_t version, uint16_t type);

/* Protocol IDs in proposals, notify and delete payloads (v1: PROTO_ISAKMP...; v2: IKE, AH, ESP). */
const char *ike_protocol_name(uint8_t version, uint8_t proto, char *buf, size_t len);

/* --- IKEv2 transforms (RFC 7296 §3.3.2, IANA "Transform Type Values"). --- */
enum ike_v2_transform_type {
    IKE2_TF_ENCR = 1, IKE2_TF_PRF = 2, IKE2_TF_INTEG = 3, IKE2_TF_KE = 4, IKE2_TF_ESN = 5,
    IKE2_TF_ADDKE1 = 6, IKE2_TF_ADDKE7 = 12,
};
#define IKE2_ATTR_KEY_LENGTH 14 /* the only IKEv2 transform attribute (RFC 7296 §3.3.5) */

const char *ike_transform_type_name(uint8_t type, char *buf, size_t len);
/* The ID's name in the registry of transform type `type` (ENCR, PRF, INTEG, KE/ADDKE, ESN). */
const char *ike_transform_id_name(uint8_t type, uint16_t id, char *buf, size_t len);
const char *ike_encr_name(uint16_t id, char *buf, size_t len);
const char *ike_prf_name(uint16_t id, char *buf, size_t len);
const char *ike_integ_name(uint16_t id, char *buf, size_t len);
/* Diffie-Hellman / key exchange method; the same numbers serve IKEv1 group descriptions. */
const char *ike_dh_group_name(uint16_t group, char *buf, size_t len);
const char *ike_esn_name(uint16_t id, char *buf, size_t len);
/* AEAD ciphers carry no separate INTEG transform (RFC 5282 §8). */
bool ike_encr_is_aead(uint16_t id);

/* --- IKEv1 Phase 1 (Oakley, RFC 2409 Appendix A) SA attributes. --- */
enum ike_v1_oakley_attr {
    IKE1_OAK_ENCR = 1, IKE1_OAK_HASH = 2, IKE1_OAK_AUTH = 3, IKE1_OAK_GROUP_DESC = 4,
    IKE1_OAK_GROUP_TYPE = 5, IKE1_OAK_LIFE_TYPE = 11, IKE1_OAK_LIFE_DURATION = 12,
    IKE1_OAK_PRF = 13, IKE1_OAK_KEY_LENGTH = 14, IKE1_OAK_FIELD_SIZE = 15,
    IKE1_OAK_GROUP_ORDER = 16,
};
const char *ike_v1_oakley_attr_name(uint16_t attr, char *buf, size_t len);
/* Value names for enumerated Oakley attributes (encryption, hash, auth method,
 * group description, group type, life type); numbers otherwise. */
const char *ike_v1_oakley_value_name(uint16_t attr, uint32_t value, char *buf, size_t len);
const char *ike_v1_auth_method_name(uint16_t method, char *buf, size_t len);

/* --- IKEv1 Phase 2 (IPsec DOI, RFC 2407 §4.5) SA attributes and transform IDs. --- */
enum ike_v1_ipsec_attr {
    IKE1_IPSEC_LIFE_TYPE = 1, IKE1_IPSEC_LIFE_DURATION = 2, IKE1_IPSEC_GROUP_DESC = 3,
    IKE1_IPSEC_ENCAP_MODE = 4, IKE1_IPSEC_AUTH_ALG = 5, IKE1_IPSEC_KEY_LENGTH = 6,
    IKE1_IPSEC_KEY_ROUNDS = 7, IKE1_IPSEC_COMP_DICT_SIZE = 8, IKE1_IPSEC_COMP_PRIV_ALG = 9,
    IKE1_IPSEC_ECN_TUNNEL = 10, IKE1_IPSEC_ESN = 11,
};
const char *ike_v1_ipsec_attr_name(uint16_t attr, char *buf, size_t len);
const char *ike_v1_ipsec_value_name(uint16_t attr, uint32_t value, char *buf, size_t len);
/* Transform IDs of a v1 proposal: KEY_IKE for PROTO_ISAKMP (1), AH (2), ESP (3), IPCOMP (4). */
const char *ike_v1_transform_id_name(uint8_t proto, uint8_t id, char *buf, size_t len);

/* --- Identities, certificates, authentication. --- */
const char *ike_id_type_name(uint8_t version, uint8_t type, char *buf, size_t len);
const char *ike_cert_encoding_name(uint8_t version, uint8_t enc, char *buf, size_t len);
/* IKEv2 AUTH payload methods (RFC 7296 §3.8, RFC 7427, RFC 7619, RFC 6467). */
const char *ike_auth_method_name(uint8_t method, char *buf, size_t len);

/* --- Traffic selectors, configuration, EAP. --- */
const char *ike_ts_type_name(uint8_t type, char *buf, size_t len);
const char *ike_cfg_type_name(uint8_t version, uint8_t type, char *buf, size_t len);
/* Configuration attributes (RFC 7296 §3.15.1; v1 mode config and XAUTH, Cisco Unity). */
const char *ike_cfg_attr_name(uint8_t version, uint16_t type, char *buf, size_t len);
const char *ike_eap_code_name(uint8_t code, char *buf, size_t len);
const char *ike_eap_type_name(uint8_t type, char *buf, size_t len);

/* Copies `s` into `buf` (`len` bytes, truncated and NUL-terminated); returns `buf`. The
 * name tables' and labels' replacement for snprintf("%s"), which is slow on hot paths. */
char *ike_copy(char *buf, size_t len, const char *s);

/* Lowercase hex of `n` bytes into `out` (`len` bytes, NUL-terminated; stops early, on a
 * whole byte, when `out` is short); returns `out`. For SPIs and identities, never keys. */
char *ike_hex(const uint8_t *p, size_t n, char *out, size_t len);

#endif
