/* msg.h: one IKE message (IKEv1 RFC 2408 §3.1, IKEv2 RFC 7296 §3.1) parsed into its payload chain. */
#ifndef IKESCOPE_IKE_MSG_H
#define IKESCOPE_IKE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_HDR_LEN 28
#define IKE_MAX_ANOMALIES 8
/* Payloads walked per chain (outer, or one decrypted inner chain) before
 * IKE_AN_TOO_MANY_PAYLOADS stops the walk. */
#define IKE_MSG_MAX_PAYLOADS 256

/* IKEv2 payload types (IANA "IKEv2 Payload Types"). */
enum ike_v2_payload {
    IKE2_PL_NONE = 0,
    IKE2_PL_SA = 33, IKE2_PL_KE = 34, IKE2_PL_IDI = 35, IKE2_PL_IDR = 36,
    IKE2_PL_CERT = 37, IKE2_PL_CERTREQ = 38, IKE2_PL_AUTH = 39, IKE2_PL_NONCE = 40,
    IKE2_PL_NOTIFY = 41, IKE2_PL_DELETE = 42, IKE2_PL_VENDOR = 43, IKE2_PL_TSI = 44,
    IKE2_PL_TSR = 45, IKE2_PL_SK = 46, IKE2_PL_CP = 47, IKE2_PL_EAP = 48,
    IKE2_PL_GSPM = 49, IKE2_PL_IDG = 50, IKE2_PL_GSA = 51, IKE2_PL_KD = 52,
    IKE2_PL_SKF = 53, IKE2_PL_PS = 54,
};

/* IKEv1 payload types (RFC 2408 §3.1, RFC 3947, Cisco/Microsoft fragment 132). */
enum ike_v1_payload {
    IKE1_PL_NONE = 0,
    IKE1_PL_SA = 1, IKE1_PL_P = 2, IKE1_PL_T = 3, IKE1_PL_KE = 4, IKE1_PL_ID = 5,
    IKE1_PL_CERT = 6, IKE1_PL_CR = 7, IKE1_PL_HASH = 8, IKE1_PL_SIG = 9, IKE1_PL_NONCE = 10,
    IKE1_PL_N = 11, IKE1_PL_D = 12, IKE1_PL_VID = 13, IKE1_PL_ATTR = 14, IKE1_PL_SAK = 15,
    IKE1_PL_SAT = 16, IKE1_PL_KD = 17, IKE1_PL_SEQ = 18, IKE1_PL_POP = 19,
    IKE1_PL_NAT_D = 20, IKE1_PL_NAT_OA = 21, IKE1_PL_GAP = 22,
    IKE1_PL_NAT_D_DRAFT = 130, IKE1_PL_NAT_OA_DRAFT = 131, IKE1_PL_FRAG = 132,
};

/* IKEv2 header flags (RFC 7296 §3.1). IKEv1 flags share the byte with other meanings. */
#define IKE2_FLAG_INITIATOR 0x08
#define IKE2_FLAG_VERSION 0x10
#define IKE2_FLAG_RESPONSE 0x20
#define IKE1_FLAG_ENCRYPTION 0x01
#define IKE1_FLAG_COMMIT 0x02
#define IKE1_FLAG_AUTH_ONLY 0x04

/*
 * Named anomalies: malformed or surprising content, recorded on the
 * message and never fatal. The stable text names live in msg.c
 * (ike_anomaly_name); add new ones at the end, never renumber.
 */
enum ike_anomaly {
    IKE_AN_NONE = 0,
    IKE_AN_TRUNCATED,             /* "ike.truncated": fewer bytes than the header says */
    IKE_AN_LENGTH_MISMATCH,       /* "ike.header.length_mismatch": datagram longer than header length */
    IKE_AN_BAD_VERSION,           /* "ike.header.bad_version" */
    IKE_AN_PAYLOAD_LENGTH_SHORT,  /* "ike.payload.length_short": payload length < 4 */
    IKE_AN_PAYLOAD_OVERRUN,       /* "ike.payload.overrun": payload runs past the message end */
    IKE_AN_TRAILING_BYTES,        /* "ike.payload.trailing_bytes": bytes after the last payload */
    IKE_AN_UNKNOWN_PAYLOAD,       /* "ike.payload.unknown_type" */
    IKE_AN_UNKNOWN_CRITICAL,      /* "ike.payload.unknown_critical" (RFC 7296 §2.5) */
    IKE_AN_TOO_MANY_PAYLOADS,     /* "ike.payload.too_many" */
    IKE_AN_BODY_MALFORMED,        /* "ike.payload.body_malformed": a payload body fails its own layout */
    IKE_AN_SK_NOT_LAST,           /* "ike.sk.not_last": SK/SKF must be the last payload (RFC 7296 §3.14) */
    IKE_AN_ZERO_SPI_I,            /* "ike.header.zero_spi_i" */
    IKE_AN_NONZERO_SPI_R_INIT,    /* "ike.header.nonzero_spi_r": IKE_SA_INIT request with responder SPI */
    IKE_AN_RESERVED_SET,          /* "ike.header.reserved_set" */
    IKE_AN_ICV_MISMATCH,          /* "ike.sk.icv_mismatch": integrity check failed with the keys given */
    IKE_AN_DECRYPT_FAILED,        /* "ike.sk.decrypt_failed": padding or inner chain invalid after decryption */
    IKE_AN_FRAG_MISSING,          /* "ike.frag.missing": not every fragment of a message arrived */
    IKE_AN_FRAG_INCONSISTENT,     /* "ike.frag.inconsistent": fragments disagree on total or overlap */
    IKE_AN_LEGACY_ICV,            /* "ike.sk.legacy_icv": ICV covers only IV..ciphertext (old Openswan), not the header */
    IKE_AN_CAPTURE_INCOMPLETE,    /* "ike.capture.incomplete": only a prefix was captured (IP fragments missing, snap length) */
    IKE_AN_COUNT
};

/* One payload. `body` points into the message's raw or plain buffer. */
struct ike_payload {
    uint8_t type;          /* payload type as on the wire, in this message's version's registry */
    bool critical;         /* IKEv2 critical bit */
    bool inner;            /* came out of SK/SKF (IKEv2) or the encrypted body (IKEv1) */
    const uint8_t *body;   /* bytes after the 4-byte generic header */
    uint32_t body_len;
    /* Quick-look fields decoded from the body (0 when not applicable). */
    uint8_t next_inner;     /* SK/SKF: type of the first inner payload */
    uint16_t notify_type;   /* N */
    uint8_t protocol_id;    /* N, D */
    uint8_t id_type;        /* IDi/IDr/ID */
    uint8_t cert_encoding;  /* CERT, CERTREQ/CR */
    uint8_t auth_method;    /* AUTH */
    uint16_t dh_group;      /* KE (IKEv2) */
    int vendor;             /* V/VID: index into the vendor table, -1 when unknown */
    uint16_t frag_num;      /* SKF (RFC 7383), IKEv1 FRAG */
    uint16_t frag_total;    /* SKF; IKEv1 FRAG: 1 when this is the last fragment */
    uint16_t frag_id;       /* IKEv1 FRAG fragment ID */
};

struct ike_msg {
    uint8_t version;        /* major version: 1 or 2 */
    uint8_t minor;
    uint8_t spi_i[8];       /* IKEv1: initiator cookie */
    uint8_t spi_r[8];       /* IKEv1: responder cookie */
    uint8_t first_payload;
    uint8_t exchange;
    uint8_t flags;
    uint32_t msg_id;
    uint32_t length;        /* the header's length field */
    bool response;          /* IKEv2 R flag */
    bool initiator_flag;    /* IKEv2 I flag: sent by the original initiator */
    bool encrypted;         /* IKEv2: carries SK or SKF; IKEv1: E flag set */
    bool decrypted;         /* inner payloads were recovered */

    struct ike_payload *payloads; /* owned array, in wire order; inner ones follow SK */
    size_t npayloads;
    size_t payloads_cap;

    uint8_t anomalies[IKE_MAX_ANOMALIES]; /* enum ike_anomaly values, no duplicates */
    size_t nanomalies;

    uint8_t *raw;           /* owned copy of the message as received */
    size_t raw_len;
    uint8_t *plain;         /* owned decrypted inner payload bytes, or NULL */
    size_t plain_len;
};

enum ike_parse_status {
    IKE_PARSE_OK = 0,
    IKE_PARSE_TRUNCATED,   /* header or payload chain cut short; what could be read is kept */
    IKE_PARSE_NOT_IKE,     /* too short for a header or an impossible version */
    IKE_PARSE_NOMEM,
};

/* Copies `data` into m->raw and parses header and payload chain. Anything
 * malformed becomes an anomaly; m is always left in a state ike_msg_cleanup
 * accepts, whatever the status. */
enum ike_parse_status ike_msg_parse(struct ike_msg *m, const uint8_t *data, size_t len);

/* Takes ownership of `plain` (decrypted bytes of an SK/SKF body or an IKEv1
 * encrypted body), parses it as a payload chain that starts with `first_type`,
 * appends those payloads with inner = true and sets decrypted. Calling it
 * again replaces the inner payloads of the previous call. Returns TRUNCATED
 * when the inner chain is malformed (anomalies say how). */
enum ike_parse_status ike_msg_add_inner(struct ike_msg *m, uint8_t first_type, uint8_t *plain,
                                        size_t len);

void ike_msg_cleanup(struct ike_msg *m);

/* Records an anomaly once; silently ignores more than IKE_MAX_ANOMALIES. */
void ike_msg_anomaly(struct ike_msg *m, enum ike_anomaly a);
const char *ike_anomaly_name(enum ike_anomaly a);

/* The payload's name in report notation: IKEv2 per RFC 7296 §1.2 ("SA", "Ni",
 * "IDr", "N(NO_PROPOSAL_CHOSEN)", "V", "SK"); IKEv1 in RFC 2409 style ("IDii",
 * "CR", "VID", "NAT-D", "FRAG"). The sender decides Ni/Nr and IDii/IDir.
 * Writes into buf (caller owned) and returns it. */
const char *ike_payload_label(uint8_t version, const struct ike_payload *p, bool from_initiator,
                              char *buf, size_t len);

#endif
