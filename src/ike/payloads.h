/* payloads.h: decoders for IKE payload bodies (RFC 7296 §3.3-§3.16, RFC 2408 §3.4-§3.16, RFC 7383). */
#ifndef IKESCOPE_IKE_PAYLOADS_H
#define IKESCOPE_IKE_PAYLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every decoder is a pure function over one payload body: the bytes after
 * the 4-byte generic payload header (struct ike_payload.body/body_len).
 * Results borrow from that body (struct ike_view); nothing is allocated.
 * A decoder fills what it could read even when it returns an error.
 */

enum ike_pl_err {
    IKE_PL_OK = 0,
    IKE_PL_SHORT,        /* body too short for its fixed part */
    IKE_PL_BAD_LENGTH,   /* an inner length field is impossible or overruns its container */
    IKE_PL_TOO_MANY,     /* more items than the result holds; the first ones are kept */
    IKE_PL_TRAILING,     /* bytes left after the last item */
    IKE_PL_BAD_VALUE,    /* a field holds a value the layout forbids (e.g. fragment 0) */
    IKE_PL_UNSUPPORTED,  /* a layout we do not decode (IKEv1 labelled-domain situations) */
};

const char *ike_pl_err_name(enum ike_pl_err e);

/* A borrowed byte range. */
struct ike_view {
    const uint8_t *p;
    size_t len;
};

/* A data attribute (RFC 2408 §3.3, RFC 7296 §3.3.5): TV (AF bit set, 2-byte
 * value) or TLV. `value` holds the number when the value fits 4 bytes. */
struct ike_attr {
    uint16_t type;          /* without the AF bit */
    bool tv;
    bool value_valid;       /* value fits 32 bits */
    uint32_t value;
    struct ike_view data;   /* TLV value bytes; for TV the two value bytes */
};

#define IKE_MAX_PROPOSALS 16
#define IKE_MAX_TRANSFORMS 64   /* per SA payload, all proposals together */
#define IKE_MAX_ATTRS 16        /* per IKEv1 transform / configuration payload */
#define IKE_MAX_SPI 16
#define IKE_MAX_TS 16

/* ---- IKEv2 SA (RFC 7296 §3.3) ---- */
struct ike_v2_transform {
    uint8_t type;           /* enum ike_v2_transform_type */
    uint16_t id;
    bool has_key_len;
    uint16_t key_len;       /* Key Length attribute (14), in bits */
    size_t nattrs;          /* attributes seen, key length included */
};

struct ike_v2_proposal {
    uint8_t num;
    uint8_t protocol;       /* 1 IKE, 2 AH, 3 ESP */
    uint8_t spi_size;
    uint8_t spi[IKE_MAX_SPI];
    uint8_t ntransforms_declared;
    size_t first;           /* index of its first transform in ike_v2_sa.t */
    size_t ntransforms;     /* transforms kept */
};

/* Transforms are stored flat, proposal by proposal, so the struct stays small. */
struct ike_v2_sa {
    size_t nproposals;
    struct ike_v2_proposal p[IKE_MAX_PROPOSALS];
    size_t ntransforms;
    struct ike_v2_transform t[IKE_MAX_TRANSFORMS];
};

enum ike_pl_err ike_v2_sa_decode(const uint8_t *body, size_t len, struct ike_v2_sa *out);

/* ---- IKEv1 SA (RFC 2408 §3.4-§3.6, RFC 2407 §4.6.1) ---- */
struct ike_v1_transform {
    uint8_t num;
    uint8_t id;             /* KEY_IKE for phase 1, ESP_* / AH_* for phase 2 */
    size_t nattrs;
    struct ike_attr a[IKE_MAX_ATTRS];
};

struct ike_v1_proposal {
    uint8_t num;
    uint8_t protocol;       /* PROTO_ISAKMP, PROTO_IPSEC_AH, PROTO_IPSEC_ESP, PROTO_IPCOMP */
    uint8_t spi_size;
    uint8_t spi[IKE_MAX_SPI];
    uint8_t ntransforms_declared;
    size_t first;           /* index of its first transform in ike_v1_sa.t */
    size_t ntransforms;     /* transforms kept */
};

struct ike_v1_sa {
    uint32_t doi;           /* 1 = IPsec DOI */
    uint32_t situation;     /* SIT_IDENTITY_ONLY = 1 */
    size_t nproposals;
    struct ike_v1_proposal p[IKE_MAX_PROPOSALS];
    size_t ntransforms;
    struct ike_v1_transform t[IKE_MAX_TRANSFORMS];
};

enum ike_pl_err ike_v1_sa_decode(const uint8_t *body, size_t len, struct ike_v1_sa *out);

/* Finds attribute `type` in a v1 transform; false when absent or not numeric. */
bool ike_v1_transform_attr(const struct ike_v1_transform *t, uint16_t type, uint32_t *value);

/* ---- KE: v2 group(2) reserved(2) data; v1 data only ---- */
struct ike_ke {
    uint16_t group;         /* IKEv2 only */
    struct ike_view data;
};
enum ike_pl_err ike_ke_decode(uint8_t version, const uint8_t *body, size_t len, struct ike_ke *out);

/* ---- ID: v2 type(1) reserved(3); v1 type(1) protocol(1) port(2) (RFC 2407 §4.6.2) ---- */
struct ike_id {
    uint8_t type;
    uint8_t protocol;       /* IKEv1 */
    uint16_t port;          /* IKEv1 */
    struct ike_view data;
};
enum ike_pl_err ike_id_decode(uint8_t version, const uint8_t *body, size_t len, struct ike_id *out);

/* ---- CERT and CERTREQ/CR: encoding(1) data ---- */
struct ike_cert {
    uint8_t encoding;
    struct ike_view data;
    /* CERTREQ with X.509 encoding (RFC 7296 §3.7): data is a run of 20-byte
     * SHA-1 hashes of CA public keys; IKEv1 CR data is a DER DN instead. */
    size_t nhashes;
    bool hashes_ragged;     /* data length not a multiple of 20 */
};
enum ike_pl_err ike_cert_decode(const uint8_t *body, size_t len, struct ike_cert *out);
enum ike_pl_err ike_certreq_decode(uint8_t version, const uint8_t *body, size_t len,
                                   struct ike_cert *out);
/* The i-th 20-byte CA hash of a decoded v2 CERTREQ. */
bool ike_certreq_hash(const struct ike_cert *c, size_t i, struct ike_view *hash);

/* ---- AUTH (v2): method(1) reserved(3) data ---- */
struct ike_auth {
    uint8_t method;
    struct ike_view data;
};
enum ike_pl_err ike_auth_decode(const uint8_t *body, size_t len, struct ike_auth *out);

/* ---- Notify: v2 proto(1) spi size(1) type(2) spi data (RFC 7296 §3.10);
 *      v1 DOI(4) proto(1) spi size(1) type(2) spi data (RFC 2408 §3.14) ---- */
struct ike_notify {
    uint32_t doi;           /* IKEv1 */
    uint8_t protocol;
    uint8_t spi_size;
    uint16_t type;
    struct ike_view spi;
    struct ike_view data;
};
enum ike_pl_err ike_notify_decode(uint8_t version, const uint8_t *body, size_t len,
                                  struct ike_notify *out);

/* ---- Delete: v2 proto(1) spi size(1) count(2) spis; v1 adds DOI(4) in front ---- */
struct ike_delete {
    uint32_t doi;           /* IKEv1 */
    uint8_t protocol;
    uint8_t spi_size;
    uint16_t nspis;
    struct ike_view spis;   /* nspis * spi_size bytes */
};
enum ike_pl_err ike_delete_decode(uint8_t version, const uint8_t *body, size_t len,
                                  struct ike_delete *out);

/* ---- Traffic selectors (RFC 7296 §3.13) ---- */
struct ike_ts {
    uint8_t type;           /* 7 IPv4 range, 8 IPv6 range; others kept opaque */
    uint8_t ip_proto;
    uint16_t start_port, end_port;
    uint8_t addr_len;       /* 4 or 16; 0 for types we do not decode */
    uint8_t start[16], end[16];
    struct ike_view raw;    /* the selector after its 4-byte type/proto/length head */
};
struct ike_ts_list {
    uint8_t ndeclared;
    size_t n;
    struct ike_ts ts[IKE_MAX_TS];
};
enum ike_pl_err ike_ts_decode(const uint8_t *body, size_t len, struct ike_ts_list *out);

/* ---- CP (v2, RFC 7296 §3.15) and IKEv1 ATTR (mode config): attributes ---- */
struct ike_cp {
    uint8_t type;           /* CFG_REQUEST... */
    uint16_t identifier;    /* IKEv1 ATTR only */
    size_t nattrs;
    struct ike_attr a[IKE_MAX_ATTRS];
};
enum ike_pl_err ike_cp_decode(uint8_t version, const uint8_t *body, size_t len, struct ike_cp *out);

/* ---- EAP (RFC 7296 §3.16, RFC 3748 §4) ---- */
struct ike_eap {
    uint8_t code, id;
    uint16_t length;        /* EAP length field */
    bool has_type;          /* Request/Response carry a type */
    uint8_t type;
    struct ike_view data;   /* after the type */
};
enum ike_pl_err ike_eap_decode(const uint8_t *body, size_t len, struct ike_eap *out);

/* ---- SKF (RFC 7383 §2.5): fragment number(2) total(2) then IV/ciphertext/ICV ---- */
struct ike_skf {
    uint16_t number, total;
    struct ike_view enc;
};
enum ike_pl_err ike_skf_decode(const uint8_t *body, size_t len, struct ike_skf *out);

/* ---- IKEv1 FRAG (Cisco/Microsoft, payload 132): id(2) number(1) flags(1) data ---- */
struct ike_v1_frag {
    uint16_t id;
    uint8_t number;
    uint8_t flags;
    bool last;              /* flags bit 0 */
    struct ike_view data;
};
enum ike_pl_err ike_v1_frag_decode(const uint8_t *body, size_t len, struct ike_v1_frag *out);

/* ---- IKEv1 NAT-D (RFC 3947 §3.2): a hash; HASH, SIG, nonce, VID are plain views ---- */
enum ike_pl_err ike_v1_natd_decode(const uint8_t *body, size_t len, struct ike_view *hash);

/* ---- IKEv1 NAT-OA (RFC 3947 §5.2): ID type(1) reserved(3) address ---- */
struct ike_v1_natoa {
    uint8_t id_type;        /* ID_IPV4_ADDR or ID_IPV6_ADDR */
    struct ike_view addr;
};
enum ike_pl_err ike_v1_natoa_decode(const uint8_t *body, size_t len, struct ike_v1_natoa *out);

#endif
