/* names.c: name tables for IKE numbers (RFC 7296 §3, IANA ikev2-parameters; RFC 2407, 2408, 2409). */
#include "ike/names.h"

#include <stdio.h>
#include <string.h>

struct name_entry {
    uint32_t value;
    const char *name;
};

#define N_ENTRIES(t) (sizeof(t) / sizeof((t)[0]))

static const char *find(const struct name_entry *t, size_t n, uint32_t v)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].value == v)
            return t[i].name;
    return NULL;
}

/* Writes `name` (or "UNKNOWN(v)") into buf; see names.h for the NULL-buffer rule. */
static const char *put(const char *name, uint32_t v, char *buf, size_t len)
{
    if (!buf || len == 0)
        return name ? name : "UNKNOWN";
    if (name)
        ike_copy(buf, len, name);
    else
        snprintf(buf, len, "UNKNOWN(%u)", (unsigned)v);
    return buf;
}

#define LOOKUP(t, v, buf, len) put(find((t), N_ENTRIES(t), (v)), (v), (buf), (len))

/* ------------------------------------------------------------------ */
/* Exchange types */

static const struct name_entry v2_exchange[] = {
    { .value = 34, .name = "IKE_SA_INIT" },
    { .value = 35, .name = "IKE_AUTH" },
    { .value = 36, .name = "CREATE_CHILD_SA" },
    { .value = 37, .name = "INFORMATIONAL" },
    { .value = 38, .name = "IKE_SESSION_RESUME" },   /* RFC 5723 */
    { .value = 39, .name = "GSA_AUTH" },             /* G-IKEv2 */
    { .value = 40, .name = "GSA_REGISTRATION" },
    { .value = 41, .name = "GSA_REKEY" },
    { .value = 43, .name = "IKE_INTERMEDIATE" },     /* RFC 9242 */
    { .value = 44, .name = "IKE_FOLLOWUP_KE" },      /* RFC 9370 */
};

/* RFC 2408 §3.1 and RFC 2409 §5 (Main/Aggressive/Quick), mode config draft for 6. */
static const struct name_entry v1_exchange[] = {
    { .value = 0, .name = "NONE" },
    { .value = 1, .name = "BASE" },
    { .value = 2, .name = "MAIN_MODE" },         /* Identity Protection */
    { .value = 3, .name = "AUTH_ONLY" },
    { .value = 4, .name = "AGGRESSIVE_MODE" },
    { .value = 5, .name = "INFORMATIONAL" },
    { .value = 6, .name = "TRANSACTION" },       /* mode config / XAUTH */
    { .value = 32, .name = "QUICK_MODE" },
    { .value = 33, .name = "NEW_GROUP" },
};

const char *ike_exchange_name(uint8_t version, uint8_t exchange, char *buf, size_t len)
{
    if (version == 1)
        return LOOKUP(v1_exchange, exchange, buf, len);
    return LOOKUP(v2_exchange, exchange, buf, len);
}

/* ------------------------------------------------------------------ */
/* Payload types: full name, then short notation */

struct payload_entry {
    uint8_t value;
    const char *name;
    const char *short_name;
};

static const struct payload_entry v2_payloads[] = {
    { .value = 0, .name = "No Next Payload", .short_name = "NONE" },
    { .value = 33, .name = "Security Association", .short_name = "SA" },
    { .value = 34, .name = "Key Exchange", .short_name = "KE" },
    { .value = 35, .name = "Identification - Initiator", .short_name = "IDi" },
    { .value = 36, .name = "Identification - Responder", .short_name = "IDr" },
    { .value = 37, .name = "Certificate", .short_name = "CERT" },
    { .value = 38, .name = "Certificate Request", .short_name = "CERTREQ" },
    { .value = 39, .name = "Authentication", .short_name = "AUTH" },
    { .value = 40, .name = "Nonce", .short_name = "No" },
    { .value = 41, .name = "Notify", .short_name = "N" },
    { .value = 42, .name = "Delete", .short_name = "D" },
    { .value = 43, .name = "Vendor ID", .short_name = "V" },
    { .value = 44, .name = "Traffic Selector - Initiator", .short_name = "TSi" },
    { .value = 45, .name = "Traffic Selector - Responder", .short_name = "TSr" },
    { .value = 46, .name = "Encrypted and Authenticated", .short_name = "SK" },
    { .value = 47, .name = "Configuration", .short_name = "CP" },
    { .value = 48, .name = "Extensible Authentication", .short_name = "EAP" },
    { .value = 49, .name = "Generic Secure Password Method", .short_name = "GSPM" },
    { .value = 50, .name = "Group Identification", .short_name = "IDg" },
    { .value = 51, .name = "Group Security Association", .short_name = "GSA" },
    { .value = 52, .name = "Key Download", .short_name = "KD" },
    { .value = 53, .name = "Encrypted and Authenticated Fragment", .short_name = "SKF" },
    { .value = 54, .name = "Puzzle Solution", .short_name = "PS" },
};

static const struct payload_entry v1_payloads[] = {
    { .value = 0, .name = "None", .short_name = "NONE" },
    { .value = 1, .name = "Security Association", .short_name = "SA" },
    { .value = 2, .name = "Proposal", .short_name = "P" },
    { .value = 3, .name = "Transform", .short_name = "T" },
    { .value = 4, .name = "Key Exchange", .short_name = "KE" },
    { .value = 5, .name = "Identification", .short_name = "ID" },
    { .value = 6, .name = "Certificate", .short_name = "CERT" },
    { .value = 7, .name = "Certificate Request", .short_name = "CR" },
    { .value = 8, .name = "Hash", .short_name = "HASH" },
    { .value = 9, .name = "Signature", .short_name = "SIG" },
    { .value = 10, .name = "Nonce", .short_name = "NONCE" },
    { .value = 11, .name = "Notification", .short_name = "N" },
    { .value = 12, .name = "Delete", .short_name = "D" },
    { .value = 13, .name = "Vendor ID", .short_name = "VID" },
    { .value = 14, .name = "Attributes", .short_name = "ATTR" },
    { .value = 15, .name = "SA KEK", .short_name = "SAK" },
    { .value = 16, .name = "SA TEK", .short_name = "SAT" },
    { .value = 17, .name = "Key Download", .short_name = "KD" },
    { .value = 18, .name = "Sequence Number", .short_name = "SEQ" },
    { .value = 19, .name = "Proof of Possession", .short_name = "POP" },
    { .value = 20, .name = "NAT Discovery", .short_name = "NAT-D" },           /* RFC 3947 */
    { .value = 21, .name = "NAT Original Address", .short_name = "NAT-OA" },   /* RFC 3947 */
    { .value = 22, .name = "Group Associated Policy", .short_name = "GAP" },
    { .value = 130, .name = "NAT Discovery (draft)", .short_name = "NAT-D" },
    { .value = 131, .name = "NAT Original Address (draft)", .short_name = "NAT-OA" },
    { .value = 132, .name = "Fragment", .short_name = "FRAG" },              /* Cisco/Microsoft */
};

static const struct payload_entry *payload_find(uint8_t version, uint8_t type)
{
    const struct payload_entry *t = version == 1 ? v1_payloads : v2_payloads;
    size_t n = version == 1 ? N_ENTRIES(v1_payloads) : N_ENTRIES(v2_payloads);
    for (size_t i = 0; i < n; i++)
        if (t[i].value == type)
            return &t[i];
    return NULL;
}

const char *ike_payload_type_name(uint8_t version, uint8_t type, char *buf, size_t len)
{
    const struct payload_entry *e = payload_find(version, type);
    return put(e ? e->name : NULL, type, buf, len);
}

const char *ike_payload_short_name(uint8_t version, uint8_t type, char *buf, size_t len)
{
    const struct payload_entry *e = payload_find(version, type);
    return put(e ? e->short_name : NULL, type, buf, len);
}

bool ike_payload_type_known(uint8_t version, uint8_t type)
{
    return type != 0 && payload_find(version, type) != NULL;
}

/* ------------------------------------------------------------------ */
/* Notify types */

/* IANA "IKEv2 Notify Message Types - Error Types" and "- Status Types". */
static const struct name_entry v2_notify[] = {
    { .value = 1, .name = "UNSUPPORTED_CRITICAL_PAYLOAD" },
    { .value = 4, .name = "INVALID_IKE_SPI" },
    { .value = 5, .name = "INVALID_MAJOR_VERSION" },
    { .value = 7, .name = "INVALID_SYNTAX" },
    { .value = 9, .name = "INVALID_MESSAGE_ID" },
    { .value = 11, .name = "INVALID_SPI" },
    { .value = 14, .name = "NO_PROPOSAL_CHOSEN" },
    { .value = 17, .name = "INVALID_KE_PAYLOAD" },
    { .value = 24, .name = "AUTHENTICATION_FAILED" },
    { .value = 34, .name = "SINGLE_PAIR_REQUIRED" },
    { .value = 35, .name = "NO_ADDITIONAL_SAS" },
    { .value = 36, .name = "INTERNAL_ADDRESS_FAILURE" },
    { .value = 37, .name = "FAILED_CP_REQUIRED" },
    { .value = 38, .name = "TS_UNACCEPTABLE" },
    { .value = 39, .name = "INVALID_SELECTORS" },
    { .value = 40, .name = "UNACCEPTABLE_ADDRESSES" },     /* RFC 4555 */
    { .value = 41, .name = "UNEXPECTED_NAT_DETECTED" },    /* RFC 4555 */
    { .value = 42, .name = "USE_ASSIGNED_HoA" },           /* RFC 5026 */
    { .value = 43, .name = "TEMPORARY_FAILURE" },
    { .value = 44, .name = "CHILD_SA_NOT_FOUND" },
    { .value = 45, .name = "INVALID_GROUP_ID" },           /* G-IKEv2 */
    { .value = 46, .name = "AUTHORIZATION_FAILED" },       /* G-IKEv2 */
    { .value = 47, .name = "STATE_NOT_FOUND" },            /* RFC 8019 */
    { .value = 48, .name = "TS_MAX_QUEUE" },               /* RFC 9611 */
    { .value = 49, .name = "REGISTRATION_FAILED" },        /* G-IKEv2 */
    { .value = 16384, .name = "INITIAL_CONTACT" },
    { .value = 16385, .name = "SET_WINDOW_SIZE" },
    { .value = 16386, .name = "ADDITIONAL_TS_POSSIBLE" },
    { .value = 16387, .name = "IPCOMP_SUPPORTED" },
    { .value = 16388, .name = "NAT_DETECTION_SOURCE_IP" },
    { .value = 16389, .name = "NAT_DETECTION_DESTINATION_IP" },
    { .value = 16390, .name = "COOKIE" },
    { .value = 16391, .name = "USE_TRANSPORT_MODE" },
    { .value = 16392, .name = "HTTP_CERT_LOOKUP_SUPPORTED" },
    { .value = 16393, .name = "REKEY_SA" },
    { .value = 16394, .name = "ESP_TFC_PADDING_NOT_SUPPORTED" },
    { .value = 16395, .name = "NON_FIRST_FRAGMENTS_ALSO" },
    { .value = 16396, .name = "MOBIKE_SUPPORTED" },        /* RFC 4555 */
    { .value = 16397, .name = "ADDITIONAL_IP4_ADDRESS" },
    { .value = 16398, .name = "ADDITIONAL_IP6_ADDRESS" },
    { .value = 16399, .name = "NO_ADDITIONAL_ADDRESSES" },
    { .value = 16400, .name = "UPDATE_SA_ADDRESSES" },
    { .value = 16401, .name = "COOKIE2" },
    { .value = 16402, .name = "NO_NATS_ALLOWED" },
    { .value = 16403, .name = "AUTH_LIFETIME" },           /* RFC 4478 */
    { .value = 16404, .name = "MULTIPLE_AUTH_SUPPORTED" }, /* RFC 4739 */
    { .value = 16405, .name = "ANOTHER_AUTH_FOLLOWS" },
    { .value = 16406, .name = "REDIRECT_SUPPORTED" },      /* RFC 5685 */
    { .value = 16407, .name = "REDIRECT" },
    { .value = 16408, .name = "REDIRECTED_FROM" },
    { .value = 16409, .name = "TICKET_LT_OPAQUE" },        /* RFC 5723 */
    { .value = 16410, .name = "TICKET_REQUEST" },
    { .value = 16411, .name = "TICKET_ACK" },
    { .value = 16412, .name = "TICKET_NACK" },
    { .value = 16413, .name = "TICKET_OPAQUE" },
    { .value = 16414, .name = "LINK_ID" },                 /* RFC 5739 */
    { .value = 16415, .name = "USE_WESP_MODE" },           /* RFC 5840 */
    { .value = 16416, .name = "ROHC_SUPPORTED" },          /* RFC 5857 */
    { .value = 16417, .name = "EAP_ONLY_AUTHENTICATION" }, /* RFC 5998 */
    { .value = 16418, .name = "CHILDLESS_IKEV2_SUPPORTED" }, /* RFC 6023 */
    { .value = 16419, .name = "QUICK_CRASH_DETECTION" },   /* RFC 6290 */
    { .value = 16420, .name = "IKEV2_MESSAGE_ID_SYNC_SUPPORTED" }, /* RFC 6311 */
    { .value = 16421, .name = "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED" },
    { .value = 16422, .name = "IKEV2_MESSAGE_ID_SYNC" },
    { .value = 16423, .name = "IPSEC_REPLAY_COUNTER_SYNC" },
    { .value = 16424, .name = "SECURE_PASSWORD_METHODS" }, /* RFC 6467 */
    { .value = 16425, .name = "PSK_PERSIST" },             /* RFC 6631 */
    { .value = 16426, .name = "PSK_CONFIRM" },
    { .value = 16427, .name = "ERX_SUPPORTED" },           /* RFC 6867 */
    { .value = 16428, .name = "IFOM_CAPABILITY" },         /* 3GPP TS 24.303 */
    { .value = 16429, .name = "GROUP_SENDER" },            /* G-IKEv2; formerly SENDER_REQUEST_ID */
    { .value = 16430, .name = "IKEV2_FRAGMENTATION_SUPPORTED" }, /* RFC 7383 */
    { .value = 16431, .name = "SIGNATURE_HASH_ALGORITHMS" },     /* RFC 7427 */
    { .value = 16432, .name = "CLONE_IKE_SA_SUPPORTED" },  /* RFC 7791 */
    { .value = 16433, .name = "CLONE_IKE_SA" },
    { .value = 16434, .name = "PUZZLE" },                  /* RFC 8019 */
    { .value = 16435, .name = "USE_PPK" },                 /* RFC 8784 */
    { .value = 16436, .name = "PPK_IDENTITY" },
    { .value = 16437, .name = "NO_PPK_AUTH" },
    { .value = 16438, .name = "INTERMEDIATE_EXCHANGE_SUPPORTED" }, /* RFC 9242 */
    { .value = 16439, .name = "IP4_ALLOWED" },             /* RFC 8983 */
    { .value = 16440, .name = "IP6_ALLOWED" },
    { .value = 16441, .name = "ADDITIONAL_KEY_EXCHANGE" }, /* RFC 9370 */
    { .value = 16442, .name = "USE_AGGFRAG" },             /* RFC 9347 */
    { .value = 16443, .name = "SUPPORTED_AUTH_METHODS" },  /* RFC 9593 */
    { .value = 16444, .name = "SA_RESOURCE_INFO" },        /* RFC 9611 */
    { .value = 16445, .name = "USE_PPK_INT" },             /* RFC 9867 */
    { .value = 16446, .name = "PPK_IDENTITY_KEY" },
    { .value = 16447, .name = "IKE_SA_INIT_FULL_TRANSCRIPT_AUTH" },
};

/* RFC 2408 §3.14.1 (errors 1-30, CONNECTED), RFC 2407 §4.6.3 (IPsec DOI status),
 * RFC 3706 (DPD), Cisco Unity load balancing. */
static const struct name_entry v1_notify[] = {
    { .value = 1, .name = "INVALID_PAYLOAD_TYPE" },
    { .value = 2, .name = "DOI_NOT_SUPPORTED" },
    { .value = 3, .name = "SITUATION_NOT_SUPPORTED" },
    { .value = 4, .name = "INVALID_COOKIE" },
    { .value = 5, .name = "INVALID_MAJOR_VERSION" },
    { .value = 6, .name = "INVALID_MINOR_VERSION" },
    { .value = 7, .name = "INVALID_EXCHANGE_TYPE" },
    { .value = 8, .name = "INVALID_FLAGS" },
    { .value = 9, .name = "INVALID_MESSAGE_ID" },
    { .value = 10, .name = "INVALID_PROTOCOL_ID" },
    { .value = 11, .name = "INVALID_SPI" },
    { .value = 12, .name = "INVALID_TRANSFORM_ID" },
    { .value = 13, .name = "ATTRIBUTES_NOT_SUPPORTED" },
    { .value = 14, .name = "NO_PROPOSAL_CHOSEN" },
    { .value = 15, .name = "BAD_PROPOSAL_SYNTAX" },
    { .value = 16, .name = "PAYLOAD_MALFORMED" },
    { .value = 17, .name = "INVALID_KEY_INFORMATION" },
    { .value = 18, .name = "INVALID_ID_INFORMATION" },
    { .value = 19, .name = "INVALID_CERT_ENCODING" },
    { .value = 20, .name = "INVALID_CERTIFICATE" },
    { .value = 21, .name = "CERT_TYPE_UNSUPPORTED" },
    { .value = 22, .name = "INVALID_CERT_AUTHORITY" },
    { .value = 23, .name = "INVALID_HASH_INFORMATION" },
    { .value = 24, .name = "AUTHENTICATION_FAILED" },
    { .value = 25, .name = "INVALID_SIGNATURE" },
    { .value = 26, .name = "ADDRESS_NOTIFICATION" },
    { .value = 27, .name = "NOTIFY_SA_LIFETIME" },
    { .value = 28, .name = "CERTIFICATE_UNAVAILABLE" },
    { .value = 29, .name = "UNSUPPORTED_EXCHANGE_TYPE" },
    { .value = 30, .name = "UNEQUAL_PAYLOAD_LENGTHS" },
    { .value = 12345, .name = "MS_NOTIFY_STATUS" },        /* Windows error code (private range) */
    { .value = 16384, .name = "CONNECTED" },
    { .value = 24576, .name = "RESPONDER_LIFETIME" },
    { .value = 24577, .name = "REPLAY_STATUS" },
    { .value = 24578, .name = "INITIAL_CONTACT" },
    { .value = 36136, .name = "R_U_THERE" },               /* RFC 3706 */
    { .value = 36137, .name = "R_U_THERE_ACK" },
    { .value = 40501, .name = "UNITY_LOAD_BALANCE" },      /* Cisco */
    { .value = 40502, .name = "UNITY_UNKNOWN" },
    { .value = 40503, .name = "UNITY_GROUP_HASH" },
};

const char *ike_notify_name(uint8_t version, uint16_t type, char *buf, size_t len)
{
    if (version == 1)
        return LOOKUP(v1_notify, type, buf, len);
    return LOOKUP(v2_notify, type, buf, len);
}

bool ike_notify_known(uint8_t version, uint16_t type)
{
    if (version == 1)
        return find(v1_notify, N_ENTRIES(v1_notify), type) != NULL;
    return find(v2_notify, N_ENTRIES(v2_notify), type) != NULL;
}

bool ike_notify_is_error(uint8_t version, uint16_t type)
{
    /* IKEv1: 1-8191 errors, 8192-16383 private errors (RFC 2408 §3.14.1). The
     * private error half is excluded: Microsoft's 12345 carries a status. */
    if (version == 1)
        return type > 0 && type < 8192;
    /* IKEv2: 0-16383 are errors (RFC 7296 §3.10.1). */
    return type > 0 && type < 16384;
}

/* ------------------------------------------------------------------ */
/* Protocol IDs */

static const struct name_entry v2_protocols[] = {
    { .value = 0, .name = "NONE" },
    { .value = 1, .name = "IKE" },
    { .value = 2, .name = "AH" },
    { .value = 3, .name = "ESP" },
    { .value = 4, .name = "FC_ESP_HEADER" },
    { .value = 5, .name = "FC_CT_AUTHENTICATION" },
    { .value = 6, .name = "GIKE_UPDATE" },
};

/* RFC 2407 §4.4.1. */
static const struct name_entry v1_protocols[] = {
    { .value = 0, .name = "NONE" },
    { .value = 1, .name = "PROTO_ISAKMP" },
    { .value = 2, .name = "PROTO_IPSEC_AH" },
    { .value = 3, .name = "PROTO_IPSEC_ESP" },
    { .value = 4, .name = "PROTO_IPCOMP" },
};

const char *ike_protocol_name(uint8_t version, uint8_t proto, char *buf, size_t len)
{
    if (version == 1)
        return LOOKUP(v1_protocols, proto, buf, len);
    return LOOKUP(v2_protocols, proto, buf, len);
}

/* ------------------------------------------------------------------ */
/* IKEv2 transforms (IANA "Transform Type Values" and its sub-registries) */

static const struct name_entry v2_transform_types[] = {
    { .value = 1, .name = "ENCR" },
    { .value = 2, .name = "PRF" },
    { .value = 3, .name = "INTEG" },
    { .value = 4, .name = "KE" },        /* "D-H" before RFC 9370 */
    { .value = 5, .name = "ESN" },
    { .value = 6, .name = "ADDKE1" },
    { .value = 7, .name = "ADDKE2" },
    { .value = 8, .name = "ADDKE3" },
    { .value = 9, .name = "ADDKE4" },
    { .value = 10, .name = "ADDKE5" },
    { .value = 11, .name = "ADDKE6" },
    { .value = 12, .name = "ADDKE7" },
};

static const struct name_entry v2_encr[] = {
    { .value = 1, .name = "ENCR_DES_IV64" },
    { .value = 2, .name = "ENCR_DES" },
    { .value = 3, .name = "ENCR_3DES" },
    { .value = 4, .name = "ENCR_RC5" },
    { .value = 5, .name = "ENCR_IDEA" },
    { .value = 6, .name = "ENCR_CAST" },
    { .value = 7, .name = "ENCR_BLOWFISH" },
    { .value = 8, .name = "ENCR_3IDEA" },
    { .value = 9, .name = "ENCR_DES_IV32" },
    { .value = 11, .name = "ENCR_NULL" },
    { .value = 12, .name = "ENCR_AES_CBC" },
    { .value = 13, .name = "ENCR_AES_CTR" },
    { .value = 14, .name = "ENCR_AES_CCM_8" },
    { .value = 15, .name = "ENCR_AES_CCM_12" },
    { .value = 16, .name = "ENCR_AES_CCM_16" },
    { .value = 18, .name = "ENCR_AES_GCM_8" },
    { .value = 19, .name = "ENCR_AES_GCM_12" },
    { .value = 20, .name = "ENCR_AES_GCM_16" },
    { .value = 21, .name = "ENCR_NULL_AUTH_AES_GMAC" },
    { .value = 23, .name = "ENCR_CAMELLIA_CBC" },
    { .value = 24, .name = "ENCR_CAMELLIA_CTR" },
    { .value = 25, .name = "ENCR_CAMELLIA_CCM_8" },
    { .value = 26, .name = "ENCR_CAMELLIA_CCM_12" },
    { .value = 27, .name = "ENCR_CAMELLIA_CCM_16" },
    { .value = 28, .name = "ENCR_CHACHA20_POLY1305" },
    { .value = 29, .name = "ENCR_AES_CCM_8_IIV" },
    { .value = 30, .name = "ENCR_AES_GCM_16_IIV" },
    { .value = 31, .name = "ENCR_CHACHA20_POLY1305_IIV" },
    { .value = 32, .name = "ENCR_KUZNYECHIK_MGM_KTREE" },
    { .value = 33, .name = "ENCR_MAGMA_MGM_KTREE" },
    { .value = 34, .name = "ENCR_KUZNYECHIK_MGM_MAC_KTREE" },
    { .value = 35, .name = "ENCR_MAGMA_MGM_MAC_KTREE" },
};

static const struct name_entry v2_prf[] = {
    { .value = 1, .name = "PRF_HMAC_MD5" },
    { .value = 2, .name = "PRF_HMAC_SHA1" },
    { .value = 3, .name = "PRF_HMAC_TIGER" },
    { .value = 4, .name = "PRF_AES128_XCBC" },
    { .value = 5, .name = "PRF_HMAC_SHA2_256" },
    { .value = 6, .name = "PRF_HMAC_SHA2_384" },
    { .value = 7, .name = "PRF_HMAC_SHA2_512" },
    { .value = 8, .name = "PRF_AES128_CMAC" },
    { .value = 9, .name = "PRF_HMAC_STREEBOG_512" },
};

static const struct name_entry v2_integ[] = {
    { .value = 0, .name = "NONE" },
    { .value = 1, .name = "AUTH_HMAC_MD5_96" },
    { .value = 2, .name = "AUTH_HMAC_SHA1_96" },
    { .value = 3, .name = "AUTH_DES_MAC" },
    { .value = 4, .name = "AUTH_KPDK_MD5" },
    { .value = 5, .name = "AUTH_AES_XCBC_96" },
    { .value = 6, .name = "AUTH_HMAC_MD5_128" },
    { .value = 7, .name = "AUTH_HMAC_SHA1_160" },
    { .value = 8, .name = "AUTH_AES_CMAC_96" },
    { .value = 9, .name = "AUTH_AES_128_GMAC" },
    { .value = 10, .name = "AUTH_AES_192_GMAC" },
    { .value = 11, .name = "AUTH_AES_256_GMAC" },
    { .value = 12, .name = "AUTH_HMAC_SHA2_256_128" },
    { .value = 13, .name = "AUTH_HMAC_SHA2_384_192" },
    { .value = 14, .name = "AUTH_HMAC_SHA2_512_256" },
};

/* IANA "Transform Type 4 - Key Exchange Method Transform IDs"; the IKEv1
 * group description numbers (RFC 2409 §6, RFC 3526, RFC 5114) are the same. */
static const struct name_entry dh_groups[] = {
    { .value = 0, .name = "NONE" },
    { .value = 1, .name = "MODP_768" },
    { .value = 2, .name = "MODP_1024" },
    { .value = 3, .name = "EC2N_155" },        /* IKEv1 only */
    { .value = 4, .name = "EC2N_185" },        /* IKEv1 only */
    { .value = 5, .name = "MODP_1536" },
    { .value = 14, .name = "MODP_2048" },
    { .value = 15, .name = "MODP_3072" },
    { .value = 16, .name = "MODP_4096" },
    { .value = 17, .name = "MODP_6144" },
    { .value = 18, .name = "MODP_8192" },
    { .value = 19, .name = "ECP_256" },
    { .value = 20, .name = "ECP_384" },
    { .value = 21, .name = "ECP_521" },
    { .value = 22, .name = "MODP_1024_160" },
    { .value = 23, .name = "MODP_2048_224" },
    { .value = 24, .name = "MODP_2048_256" },
    { .value = 25, .name = "ECP_192" },
    { .value = 26, .name = "ECP_224" },
    { .value = 27, .name = "ECP_224_BP" },
    { .value = 28, .name = "ECP_256_BP" },
    { .value = 29, .name = "ECP_384_BP" },
    { .value = 30, .name = "ECP_512_BP" },
    { .value = 31, .name = "CURVE25519" },
    { .value = 32, .name = "CURVE448" },
    { .value = 33, .name = "GOST3410_2012_256" },
    { .value = 34, .name = "GOST3410_2012_512" },
    { .value = 35, .name = "ML_KEM_512" },
    { .value = 36, .name = "ML_KEM_768" },
    { .value = 37, .name = "ML_KEM_1024" },
};

static const struct name_entry v2_esn[] = {
    { .value = 0, .name = "NO_ESN" },
    { .value = 1, .name = "ESN" },
};

const char *ike_transform_type_name(uint8_t type, char *buf, size_t len)
{
    return LOOKUP(v2_transform_types, type, buf, len);
}

const char *ike_encr_name(uint16_t id, char *buf, size_t len) { return LOOKUP(v2_encr, id, buf, len); }
const char *ike_prf_name(uint16_t id, char *buf, size_t len) { return LOOKUP(v2_prf, id, buf, len); }
const char *ike_integ_name(uint16_t id, char *buf, size_t len) { return LOOKUP(v2_integ, id, buf, len); }
const char *ike_dh_group_name(uint16_t g, char *buf, size_t len) { return LOOKUP(dh_groups, g, buf, len); }
const char *ike_esn_name(uint16_t id, char *buf, size_t len) { return LOOKUP(v2_esn, id, buf, len); }

const char *ike_transform_id_name(uint8_t type, uint16_t id, char *buf, size_t len)
{
    switch (type) {
    case IKE2_TF_ENCR: return ike_encr_name(id, buf, len);
    case IKE2_TF_PRF: return ike_prf_name(id, buf, len);
    case IKE2_TF_INTEG: return ike_integ_name(id, buf, len);
    case IKE2_TF_ESN: return ike_esn_name(id, buf, len);
    default:
        /* KE and ADDKE1..7 share one registry (RFC 9370 §3.2). */
        if (type == IKE2_TF_KE || (type >= IKE2_TF_ADDKE1 && type <= IKE2_TF_ADDKE7))
            return ike_dh_group_name(id, buf, len);
        return put(NULL, id, buf, len);
    }
}

bool ike_encr_is_aead(uint16_t id)
{
    switch (id) {
    case 14: case 15: case 16: case 18: case 19: case 20: case 21:
    case 25: case 26: case 27: case 28: case 29: case 30: case 31:
    case 32: case 33: case 34: case 35:
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------------ */
/* IKEv1 Oakley attributes (RFC 2409 Appendix A) */

static const struct name_entry v1_oakley_attrs[] = {
    { .value = 1, .name = "Encryption Algorithm" },
    { .value = 2, .name = "Hash Algorithm" },
    { .value = 3, .name = "Authentication Method" },
    { .value = 4, .name = "Group Description" },
    { .value = 5, .name = "Group Type" },
    { .value = 6, .name = "Group Prime/Irreducible Polynomial" },
    { .value = 7, .name = "Group Generator One" },
    { .value = 8, .name = "Group Generator Two" },
    { .value = 9, .name = "Group Curve A" },
    { .value = 10, .name = "Group Curve B" },
    { .value = 11, .name = "Life Type" },
    { .value = 12, .name = "Life Duration" },
    { .value = 13, .name = "PRF" },
    { .value = 14, .name = "Key Length" },
    { .value = 15, .name = "Field Size" },
    { .value = 16, .name = "Group Order" },
};

static const struct name_entry v1_oakley_encr[] = {
    { .value = 1, .name = "DES_CBC" },
    { .value = 2, .name = "IDEA_CBC" },
    { .value = 3, .name = "BLOWFISH_CBC" },
    { .value = 4, .name = "RC5_R16_B64_CBC" },
    { .value = 5, .name = "3DES_CBC" },
    { .value = 6, .name = "CAST_CBC" },
    { .value = 7, .name = "AES_CBC" },            /* RFC 3602 */
    { .value = 8, .name = "CAMELLIA_CBC" },       /* RFC 4312 */
};

static const struct name_entry v1_oakley_hash[] = {
    { .value = 1, .name = "MD5" },
    { .value = 2, .name = "SHA" },
    { .value = 3, .name = "TIGER" },
    { .value = 4, .name = "SHA2_256" },
    { .value = 5, .name = "SHA2_384" },
    { .value = 6, .name = "SHA2_512" },
};

static const struct name_entry v1_oakley_auth[] = {
    { .value = 1, .name = "PRE_SHARED_KEY" },
    { .value = 2, .name = "DSS_SIGNATURES" },
    { .value = 3, .name = "RSA_SIGNATURES" },
    { .value = 4, .name = "RSA_ENCRYPTION" },
    { .value = 5, .name = "RSA_REVISED_ENCRYPTION" },
    { .value = 9, .name = "ECDSA_SHA256_P256" },  /* RFC 4754 */
    { .value = 10, .name = "ECDSA_SHA384_P384" },
    { .value = 11, .name = "ECDSA_SHA512_P521" },
    { .value = 64221, .name = "HYBRID_INIT_RSA" },
    { .value = 64222, .name = "HYBRID_RESP_RSA" },
    { .value = 64223, .name = "HYBRID_INIT_DSS" },
    { .value = 64224, .name = "HYBRID_RESP_DSS" },
    { .value = 65001, .name = "XAUTH_INIT_PRESHARED" },
    { .value = 65002, .name = "XAUTH_RESP_PRESHARED" },
    { .value = 65003, .name = "XAUTH_INIT_DSS" },
    { .value = 65004, .name = "XAUTH_RESP_DSS" },
    { .value = 65005, .name = "XAUTH_INIT_RSA" },
    { .value = 65006, .name = "XAUTH_RESP_RSA" },
    { .value = 65007, .name = "XAUTH_INIT_RSA_ENCRYPTION" },
    { .value = 65008, .name = "XAUTH_RESP_RSA_ENCRYPTION" },
    { .value = 65009, .name = "XAUTH_INIT_RSA_REVISED_ENCRYPTION" },
    { .value = 65010, .name = "XAUTH_RESP_RSA_REVISED_ENCRYPTION" },
};

static const struct name_entry v1_group_type[] = {
    { .value = 1, .name = "MODP" },
    { .value = 2, .name = "ECP" },
    { .value = 3, .name = "EC2N" },
};

static const struct name_entry v1_life_type[] = {
    { .value = 1, .name = "SECONDS" },
    { .value = 2, .name = "KILOBYTES" },
};

const char *ike_v1_oakley_attr_name(uint16_t attr, char *buf, size_t len)
{
    return LOOKUP(v1_oakley_attrs, attr, buf, len);
}

const char *ike_v1_auth_method_name(uint16_t method, char *buf, size_t len)
{
    return LOOKUP(v1_oakley_auth, method, buf, len);
}

static const char *number(uint32_t v, char *buf, size_t len)
{
    if (!buf || len == 0)
        return "";
    snprintf(buf, len, "%u", (unsigned)v);
    return buf;
}

const char *ike_v1_oakley_value_name(uint16_t attr, uint32_t value, char *buf, size_t len)
{
    switch (attr) {
    case IKE1_OAK_ENCR: return LOOKUP(v1_oakley_encr, value, buf, len);
    case IKE1_OAK_HASH: return LOOKUP(v1_oakley_hash, value, buf, len);
    case IKE1_OAK_AUTH: return LOOKUP(v1_oakley_auth, value, buf, len);
    case IKE1_OAK_GROUP_DESC: return LOOKUP(dh_groups, value, buf, len);
    case IKE1_OAK_GROUP_TYPE: return LOOKUP(v1_group_type, value, buf, len);
    case IKE1_OAK_LIFE_TYPE: return LOOKUP(v1_life_type, value, buf, len);
    default: return number(value, buf, len);
    }
}

/* ------------------------------------------------------------------ */
/* IKEv1 IPsec DOI attributes and transform IDs (RFC 2407 §4.4, §4.5) */

static const struct name_entry v1_ipsec_attrs[] = {
    { .value = 1, .name = "SA Life Type" },
    { .value = 2, .name = "SA Life Duration" },
    { .value = 3, .name = "Group Description" },
    { .value = 4, .name = "Encapsulation Mode" },
    { .value = 5, .name = "Authentication Algorithm" },
    { .value = 6, .name = "Key Length" },
    { .value = 7, .name = "Key Rounds" },
    { .value = 8, .name = "Compress Dictionary Size" },
    { .value = 9, .name = "Compress Private Algorithm" },
    { .value = 10, .name = "ECN Tunnel" },                /* RFC 3168 */
    { .value = 11, .name = "Extended (64-bit) Sequence Number" }, /* RFC 4304 */
};

static const struct name_entry v1_encap_modes[] = {
    { .value = 1, .name = "TUNNEL" },
    { .value = 2, .name = "TRANSPORT" },
    { .value = 3, .name = "UDP_TUNNEL" },                 /* RFC 3947 */
    { .value = 4, .name = "UDP_TRANSPORT" },
    { .value = 61443, .name = "UDP_TUNNEL_DRAFT" },       /* draft-ietf-ipsec-nat-t-ike */
    { .value = 61444, .name = "UDP_TRANSPORT_DRAFT" },
};

static const struct name_entry v1_ipsec_auth[] = {
    { .value = 1, .name = "HMAC_MD5" },
    { .value = 2, .name = "HMAC_SHA" },
    { .value = 3, .name = "DES_MAC" },
    { .value = 4, .name = "KPDK" },
    { .value = 5, .name = "HMAC_SHA2_256" },
    { .value = 6, .name = "HMAC_SHA2_384" },
    { .value = 7, .name = "HMAC_SHA2_512" },
    { .value = 8, .name = "HMAC_RIPEMD" },
    { .value = 9, .name = "AES_XCBC_MAC" },
    { .value = 10, .name = "SIG_RSA" },
    { .value = 11, .name = "AES_128_GMAC" },
    { .value = 12, .name = "AES_192_GMAC" },
    { .value = 13, .name = "AES_256_GMAC" },
};

const char *ike_v1_ipsec_attr_name(uint16_t attr, char *buf, size_t len)
{
    return LOOKUP(v1_ipsec_attrs, attr, buf, len);
}

const char *ike_v1_ipsec_value_name(uint16_t attr, uint32_t value, char *buf, size_t len)
{
    switch (attr) {
    case IKE1_IPSEC_LIFE_TYPE: return LOOKUP(v1_life_type, value, buf, len);
    case IKE1_IPSEC_GROUP_DESC: return LOOKUP(dh_groups, value, buf, len);
    case IKE1_IPSEC_ENCAP_MODE: return LOOKUP(v1_encap_modes, value, buf, len);
    case IKE1_IPSEC_AUTH_ALG: return LOOKUP(v1_ipsec_auth, value, buf, len);
    default: return number(value, buf, len);
    }
}

static const struct name_entry v1_isakmp_tf[] = {
    { .value = 1, .name = "KEY_IKE" },
};

static const struct name_entry v1_ah_tf[] = {
    { .value = 2, .name = "AH_MD5" },
    { .value = 3, .name = "AH_SHA" },
    { .value = 4, .name = "AH_DES" },
    { .value = 5, .name = "AH_SHA2_256" },
    { .value = 6, .name = "AH_SHA2_384" },
    { .value = 7, .name = "AH_SHA2_512" },
    { .value = 8, .name = "AH_RIPEMD" },
    { .value = 9, .name = "AH_AES_XCBC_MAC" },
    { .value = 10, .name = "AH_RSA" },
    { .value = 11, .name = "AH_AES_128_GMAC" },
    { .value = 12, .name = "AH_AES_192_GMAC" },
    { .value = 13, .name = "AH_AES_256_GMAC" },
};

static const struct name_entry v1_esp_tf[] = {
    { .value = 1, .name = "ESP_DES_IV64" },
    { .value = 2, .name = "ESP_DES" },
    { .value = 3, .name = "ESP_3DES" },
    { .value = 4, .name = "ESP_RC5" },
    { .value = 5, .name = "ESP_IDEA" },
    { .value = 6, .name = "ESP_CAST" },
    { .value = 7, .name = "ESP_BLOWFISH" },
    { .value = 8, .name = "ESP_3IDEA" },
    { .value = 9, .name = "ESP_DES_IV32" },
    { .value = 10, .name = "ESP_RC4" },
    { .value = 11, .name = "ESP_NULL" },
    { .value = 12, .name = "ESP_AES_CBC" },
    { .value = 13, .name = "ESP_AES_CTR" },
    { .value = 14, .name = "ESP_AES_CCM_8" },
    { .value = 15, .name = "ESP_AES_CCM_12" },
    { .value = 16, .name = "ESP_AES_CCM_16" },
    { .value = 18, .name = "ESP_AES_GCM_8" },
    { .value = 19, .name = "ESP_AES_GCM_12" },
    { .value = 20, .name = "ESP_AES_GCM_16" },
    { .value = 21, .name = "ESP_SEED_CBC" },
    { .value = 22, .name = "ESP_CAMELLIA" },
    { .value = 23, .name = "ESP_NULL_AUTH_AES_GMAC" },
};

static const struct name_entry v1_ipcomp_tf[] = {
    { .value = 1, .name = "IPCOMP_OUI" },
    { .value = 2, .name = "IPCOMP_DEFLATE" },
    { .value = 3, .name = "IPCOMP_LZS" },
    { .value = 4, .name = "IPCOMP_LZJH" },
};

const char *ike_v1_transform_id_name(uint8_t proto, uint8_t id, char *buf, size_t len)
{
    switch (proto) {
    case 1: return LOOKUP(v1_isakmp_tf, id, buf, len);
    case 2: return LOOKUP(v1_ah_tf, id, buf, len);
    case 3: return LOOKUP(v1_esp_tf, id, buf, len);
    case 4: return LOOKUP(v1_ipcomp_tf, id, buf, len);
    default: return put(NULL, id, buf, len);
    }
}

/* ------------------------------------------------------------------ */
/* Identification types */

/* RFC 7296 §3.5, RFC 4595 (FC), RFC 7619 (ID_NULL). */
static const struct name_entry v2_id_types[] = {
    { .value = 1, .name = "ID_IPV4_ADDR" },
    { .value = 2, .name = "ID_FQDN" },
    { .value = 3, .name = "ID_RFC822_ADDR" },
    { .value = 5, .name = "ID_IPV6_ADDR" },
    { .value = 9, .name = "ID_DER_ASN1_DN" },
    { .value = 10, .name = "ID_DER_ASN1_GN" },
    { .value = 11, .name = "ID_KEY_ID" },
    { .value = 12, .name = "ID_FC_NAME" },
    { .value = 13, .name = "ID_NULL" },
};

/* RFC 2407 §4.6.2.1. */
static const struct name_entry v1_id_types[] = {
    { .value = 1, .name = "ID_IPV4_ADDR" },
    { .value = 2, .name = "ID_FQDN" },
    { .value = 3, .name = "ID_USER_FQDN" },
    { .value = 4, .name = "ID_IPV4_ADDR_SUBNET" },
    { .value = 5, .name = "ID_IPV6_ADDR" },
    { .value = 6, .name = "ID_IPV6_ADDR_SUBNET" },
    { .value = 7, .name = "ID_IPV4_ADDR_RANGE" },
    { .value = 8, .name = "ID_IPV6_ADDR_RANGE" },
    { .value = 9, .name = "ID_DER_ASN1_DN" },
    { .value = 10, .name = "ID_DER_ASN1_GN" },
    { .value = 11, .name = "ID_KEY_ID" },
    { .value = 12, .name = "ID_LIST" },
};

const char *ike_id_type_name(uint8_t version, uint8_t type, char *buf, size_t len)
{
    if (version == 1)
        return LOOKUP(v1_id_types, type, buf, len);
    return LOOKUP(v2_id_types, type, buf, len);
}

/* ------------------------------------------------------------------ */
/* Certificate encodings */

/* RFC 7296 §3.6, RFC 4806 (OCSP), RFC 7670 (raw public key). */
static const struct name_entry v2_cert_enc[] = {
    { .value = 1, .name = "PKCS #7 wrapped X.509 certificate" },
    { .value = 2, .name = "PGP Certificate" },
    { .value = 3, .name = "DNS Signed Key" },
    { .value = 4, .name = "X.509 Certificate - Signature" },
    { .value = 6, .name = "Kerberos Token" },
    { .value = 7, .name = "Certificate Revocation List (CRL)" },
    { .value = 8, .name = "Authority Revocation List (ARL)" },
    { .value = 9, .name = "SPKI Certificate" },
    { .value = 10, .name = "X.509 Certificate - Attribute" },
    { .value = 11, .name = "Raw RSA Key" },
    { .value = 12, .name = "Hash and URL of X.509 certificate" },
    { .value = 13, .name = "Hash and URL of X.509 bundle" },
    { .value = 14, .name = "OCSP Content" },
    { .value = 15, .name = "Raw Public Key" },
};

/* RFC 2408 §3.9. */
static const struct name_entry v1_cert_enc[] = {
    { .value = 0, .name = "NONE" },
    { .value = 1, .name = "PKCS #7 wrapped X.509 certificate" },
    { .value = 2, .name = "PGP Certificate" },
    { .value = 3, .name = "DNS Signed Key" },
    { .value = 4, .name = "X.509 Certificate - Signature" },
    { .value = 5, .name = "X.509 Certificate - Key Exchange" },
    { .value = 6, .name = "Kerberos Tokens" },
    { .value = 7, .name = "Certificate Revocation List (CRL)" },
    { .value = 8, .name = "Authority Revocation List (ARL)" },
    { .value = 9, .name = "SPKI Certificate" },
    { .value = 10, .name = "X.509 Certificate - Attribute" },
};

const char *ike_cert_encoding_name(uint8_t version, uint8_t enc, char *buf, size_t len)
{
    if (version == 1)
        return LOOKUP(v1_cert_enc, enc, buf, len);
    return LOOKUP(v2_cert_enc, enc, buf, len);
}

/* ------------------------------------------------------------------ */
/* IKEv2 authentication methods (IANA "IKEv2 Authentication Method") */

static const struct name_entry v2_auth_methods[] = {
    { .value = 1, .name = "RSA Digital Signature" },
    { .value = 2, .name = "Shared Key Message Integrity Code" },
    { .value = 3, .name = "DSS Digital Signature" },
    { .value = 9, .name = "ECDSA with SHA-256 on the P-256 curve" },  /* RFC 4754 */
    { .value = 10, .name = "ECDSA with SHA-384 on the P-384 curve" },
    { .value = 11, .name = "ECDSA with SHA-512 on the P-521 curve" },
    { .value = 12, .name = "Generic Secure Password Authentication Method" }, /* RFC 6467 */
    { .value = 13, .name = "NULL Authentication" },                   /* RFC 7619 */
    { .value = 14, .name = "Digital Signature" },                     /* RFC 7427 */
};

const char *ike_auth_method_name(uint8_t method, char *buf, size_t len)
{
    return LOOKUP(v2_auth_methods, method, buf, len);
}

/* ------------------------------------------------------------------ */
/* Traffic selectors, configuration payloads, EAP */

static const struct name_entry v2_ts_types[] = {
    { .value = 7, .name = "TS_IPV4_ADDR_RANGE" },
    { .value = 8, .name = "TS_IPV6_ADDR_RANGE" },
    { .value = 9, .name = "TS_FC_ADDR_RANGE" },       /* RFC 4595 */
    { .value = 10, .name = "TS_SECLABEL" },           /* RFC 9478 */
};

const char *ike_ts_type_name(uint8_t type, char *buf, size_t len)
{
    return LOOKUP(v2_ts_types, type, buf, len);
}

/* RFC 7296 §3.15; IKEv1 mode config draft-dukes-ike-mode-cfg uses the same numbers. */
static const struct name_entry cfg_types[] = {
    { .value = 1, .name = "CFG_REQUEST" },
    { .value = 2, .name = "CFG_REPLY" },
    { .value = 3, .name = "CFG_SET" },
    { .value = 4, .name = "CFG_ACK" },
};

const char *ike_cfg_type_name(uint8_t version, uint8_t type, char *buf, size_t len)
{
    (void)version;
    return LOOKUP(cfg_types, type, buf, len);
}

static const struct name_entry v2_cfg_attrs[] = {
    { .value = 1, .name = "INTERNAL_IP4_ADDRESS" },
    { .value = 2, .name = "INTERNAL_IP4_NETMASK" },
    { .value = 3, .name = "INTERNAL_IP4_DNS" },
    { .value = 4, .name = "INTERNAL_IP4_NBNS" },
    { .value = 6, .name = "INTERNAL_IP4_DHCP" },
    { .value = 7, .name = "APPLICATION_VERSION" },
    { .value = 8, .name = "INTERNAL_IP6_ADDRESS" },
    { .value = 10, .name = "INTERNAL_IP6_DNS" },
    { .value = 12, .name = "INTERNAL_IP6_DHCP" },
    { .value = 13, .name = "INTERNAL_IP4_SUBNET" },
    { .value = 14, .name = "SUPPORTED_ATTRIBUTES" },
    { .value = 15, .name = "INTERNAL_IP6_SUBNET" },
    { .value = 16, .name = "MIP6_HOME_PREFIX" },      /* RFC 5026 */
    { .value = 17, .name = "INTERNAL_IP6_LINK" },     /* RFC 5739 */
    { .value = 18, .name = "INTERNAL_IP6_PREFIX" },
    { .value = 19, .name = "HOME_AGENT_ADDRESS" },
    { .value = 20, .name = "P_CSCF_IP4_ADDRESS" },    /* RFC 7651 */
    { .value = 21, .name = "P_CSCF_IP6_ADDRESS" },
    { .value = 22, .name = "FTT_KAT" },
    { .value = 23, .name = "EXTERNAL_SOURCE_IP4_NAT_INFO" },
    { .value = 24, .name = "TIMEOUT_PERIOD_FOR_LIVENESS_CHECK" },
    { .value = 25, .name = "INTERNAL_DNS_DOMAIN" },   /* RFC 8598 */
    { .value = 26, .name = "INTERNAL_DNSSEC_TA" },
    { .value = 27, .name = "ENCDNS_IP4" },            /* RFC 9464 */
    { .value = 28, .name = "ENCDNS_IP6" },
    { .value = 29, .name = "ENCDNS_DIGEST_INFO" },
};

/* draft-dukes-ike-mode-cfg, draft-beaulieu-ike-xauth, Cisco Unity. */
static const struct name_entry v1_cfg_attrs[] = {
    { .value = 1, .name = "INTERNAL_IP4_ADDRESS" },
    { .value = 2, .name = "INTERNAL_IP4_NETMASK" },
    { .value = 3, .name = "INTERNAL_IP4_DNS" },
    { .value = 4, .name = "INTERNAL_IP4_NBNS" },
    { .value = 5, .name = "INTERNAL_ADDRESS_EXPIRY" },
    { .value = 6, .name = "INTERNAL_IP4_DHCP" },
    { .value = 7, .name = "APPLICATION_VERSION" },
    { .value = 8, .name = "INTERNAL_IP6_ADDRESS" },
    { .value = 9, .name = "INTERNAL_IP6_NETMASK" },
    { .value = 10, .name = "INTERNAL_IP6_DNS" },
    { .value = 11, .name = "INTERNAL_IP6_NBNS" },
    { .value = 12, .name = "INTERNAL_IP6_DHCP" },
    { .value = 13, .name = "INTERNAL_IP4_SUBNET" },
    { .value = 14, .name = "SUPPORTED_ATTRIBUTES" },
    { .value = 15, .name = "INTERNAL_IP6_SUBNET" },
    { .value = 16520, .name = "XAUTH_TYPE" },
    { .value = 16521, .name = "XAUTH_USER_NAME" },
    { .value = 16522, .name = "XAUTH_USER_PASSWORD" },
    { .value = 16523, .name = "XAUTH_PASSCODE" },
    { .value = 16524, .name = "XAUTH_MESSAGE" },
    { .value = 16525, .name = "XAUTH_CHALLENGE" },
    { .value = 16526, .name = "XAUTH_DOMAIN" },
    { .value = 16527, .name = "XAUTH_STATUS" },
    { .value = 16528, .name = "XAUTH_NEXT_PIN" },
    { .value = 16529, .name = "XAUTH_ANSWER" },
    { .value = 28672, .name = "UNITY_BANNER" },
    { .value = 28673, .name = "UNITY_SAVE_PASSWD" },
    { .value = 28674, .name = "UNITY_DEF_DOMAIN" },
    { .value = 28675, .name = "UNITY_SPLIT_DOMAIN" },
    { .value = 28676, .name = "UNITY_SPLIT_INCLUDE" },
    { .value = 28677, .name = "UNITY_NATT_PORT" },
    { .value = 28678, .name = "UNITY_LOCAL_LAN" },
    { .value = 28679, .name = "UNITY_PFS" },
    { .value = 28680, .name = "UNITY_FW_TYPE" },
    { .value = 28681, .name = "UNITY_BACKUP_SERVERS" },
    { .value = 28682, .name = "UNITY_DDNS_HOSTNAME" },
};

const char *ike_cfg_attr_name(uint8_t version, uint16_t type, char *buf, size_t len)
{
    if (version == 1)
        return LOOKUP(v1_cfg_attrs, type, buf, len);
    return LOOKUP(v2_cfg_attrs, type, buf, len);
}

/* RFC 3748 §4, §5 and the IANA EAP method registry (the methods seen with IKEv2). */
static const struct name_entry eap_codes[] = {
    { .value = 1, .name = "Request" },
    { .value = 2, .name = "Response" },
    { .value = 3, .name = "Success" },
    { .value = 4, .name = "Failure" },
};

static const struct name_entry eap_types[] = {
    { .value = 1, .name = "Identity" },
    { .value = 2, .name = "Notification" },
    { .value = 3, .name = "Nak" },
    { .value = 4, .name = "MD5-Challenge" },
    { .value = 5, .name = "One-Time Password" },
    { .value = 6, .name = "Generic Token Card" },
    { .value = 13, .name = "EAP-TLS" },
    { .value = 17, .name = "LEAP" },
    { .value = 18, .name = "EAP-SIM" },
    { .value = 21, .name = "EAP-TTLS" },
    { .value = 23, .name = "EAP-AKA" },
    { .value = 25, .name = "PEAP" },
    { .value = 26, .name = "EAP-MSCHAPv2" },
    { .value = 43, .name = "EAP-FAST" },
    { .value = 50, .name = "EAP-AKA'" },
    { .value = 52, .name = "EAP-PWD" },
    { .value = 254, .name = "Expanded Type" },
};

const char *ike_eap_code_name(uint8_t code, char *buf, size_t len)
{
    return LOOKUP(eap_codes, code, buf, len);
}

const char *ike_eap_type_name(uint8_t type, char *buf, size_t len)
{
    return LOOKUP(eap_types, type, buf, len);
}

char *ike_hex(const uint8_t *p, size_t n, char *out, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    size_t o = 0;
    if (!len)
        return out;
    for (size_t i = 0; i < n && o + 2 < len; i++) {
        out[o++] = digits[p[i] >> 4];
        out[o++] = digits[p[i] & 15];
    }
    out[o] = '\0';
    return out;
}

char *ike_copy(char *buf, size_t len, const char *s)
{
    if (!len)
        return buf;
    size_t n = strlen(s);
    if (n >= len)
        n = len - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}
