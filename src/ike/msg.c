/* msg.c: IKE header and generic payload chain (RFC 7296 §3.1-§3.2, RFC 2408 §3.1-§3.2), quick-look fields, labels. */
#include "ike/msg.h"

#include "capture/reader.h"
#include "ike/names.h"
#include "ike/payloads.h"
#include "ike/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const anomaly_names[IKE_AN_COUNT] = {
    [IKE_AN_NONE] = "ike.none",
    [IKE_AN_TRUNCATED] = "ike.truncated",
    [IKE_AN_LENGTH_MISMATCH] = "ike.header.length_mismatch",
    [IKE_AN_BAD_VERSION] = "ike.header.bad_version",
    [IKE_AN_PAYLOAD_LENGTH_SHORT] = "ike.payload.length_short",
    [IKE_AN_PAYLOAD_OVERRUN] = "ike.payload.overrun",
    [IKE_AN_TRAILING_BYTES] = "ike.payload.trailing_bytes",
    [IKE_AN_UNKNOWN_PAYLOAD] = "ike.payload.unknown_type",
    [IKE_AN_UNKNOWN_CRITICAL] = "ike.payload.unknown_critical",
    [IKE_AN_TOO_MANY_PAYLOADS] = "ike.payload.too_many",
    [IKE_AN_BODY_MALFORMED] = "ike.payload.body_malformed",
    [IKE_AN_SK_NOT_LAST] = "ike.sk.not_last",
    [IKE_AN_ZERO_SPI_I] = "ike.header.zero_spi_i",
    [IKE_AN_NONZERO_SPI_R_INIT] = "ike.header.nonzero_spi_r",
    [IKE_AN_RESERVED_SET] = "ike.header.reserved_set",
    [IKE_AN_ICV_MISMATCH] = "ike.sk.icv_mismatch",
    [IKE_AN_DECRYPT_FAILED] = "ike.sk.decrypt_failed",
    [IKE_AN_FRAG_MISSING] = "ike.frag.missing",
    [IKE_AN_FRAG_INCONSISTENT] = "ike.frag.inconsistent",
    [IKE_AN_LEGACY_ICV] = "ike.sk.legacy_icv",
    [IKE_AN_CAPTURE_INCOMPLETE] = "ike.capture.incomplete",
};

const char *ike_anomaly_name(enum ike_anomaly a)
{
    if ((unsigned)a < IKE_AN_COUNT && anomaly_names[a])
        return anomaly_names[a];
    return "ike.unknown";
}

void ike_msg_anomaly(struct ike_msg *m, enum ike_anomaly a)
{
    if (a == IKE_AN_NONE || (unsigned)a >= IKE_AN_COUNT)
        return;
    for (size_t i = 0; i < m->nanomalies; i++)
        if (m->anomalies[i] == a)
            return;
    if (m->nanomalies < IKE_MAX_ANOMALIES)
        m->anomalies[m->nanomalies++] = (uint8_t)a;
}

void ike_msg_cleanup(struct ike_msg *m)
{
    if (!m)
        return;
    free(m->payloads);
    free(m->raw);
    free(m->plain);
    memset(m, 0, sizeof *m);
}

static bool push_payload(struct ike_msg *m, const struct ike_payload *p)
{
    if (m->npayloads == m->payloads_cap) {
        size_t cap = m->payloads_cap ? m->payloads_cap * 2 : 8;
        struct ike_payload *n = realloc(m->payloads, cap * sizeof *n);
        if (!n)
            return false;
        m->payloads = n;
        m->payloads_cap = cap;
    }
    m->payloads[m->npayloads++] = *p;
    return true;
}

/* ------------------------------------------------------------------ */
/* Quick-look fields: decoded with the payloads.c decoders so there is one
 * layout per payload; a body that fails its own layout is an anomaly. */

/* Structure-only decoders for bodies without quick-look fields. Too many
 * items or an unsupported layout are limits of ours, not malformed input. */
static enum ike_pl_err validate(uint8_t v, uint8_t type, const uint8_t *body, size_t len)
{
    enum ike_pl_err err = IKE_PL_OK;

    if ((v == 2 && type == IKE2_PL_SA) || (v == 1 && type == IKE1_PL_SA)) {
        if (v == 2) {
            struct ike_v2_sa *sa = malloc(sizeof *sa);
            if (sa)
                err = ike_v2_sa_decode(body, len, sa);
            free(sa);
        } else {
            struct ike_v1_sa *sa = malloc(sizeof *sa);
            if (sa)
                err = ike_v1_sa_decode(body, len, sa);
            free(sa);
        }
    } else if (v == 2 && (type == IKE2_PL_TSI || type == IKE2_PL_TSR)) {
        struct ike_ts_list ts;
        err = ike_ts_decode(body, len, &ts);
    } else if ((v == 2 && type == IKE2_PL_CP) || (v == 1 && type == IKE1_PL_ATTR)) {
        struct ike_cp cp;
        err = ike_cp_decode(v, body, len, &cp);
    } else if (v == 2 && type == IKE2_PL_EAP) {
        struct ike_eap eap;
        err = ike_eap_decode(body, len, &eap);
    } else if (v == 1 && (type == IKE1_PL_NAT_OA || type == IKE1_PL_NAT_OA_DRAFT)) {
        struct ike_v1_natoa oa;
        err = ike_v1_natoa_decode(body, len, &oa);
    } else if ((v == 1 && type == IKE1_PL_KE)) {
        struct ike_ke ke;
        err = ike_ke_decode(1, body, len, &ke);
    }
    if (err == IKE_PL_TOO_MANY || err == IKE_PL_UNSUPPORTED)
        err = IKE_PL_OK;
    return err;
}

static void quick_look(struct ike_msg *m, struct ike_payload *p)
{
    const uint8_t v = m->version;
    enum ike_pl_err err = validate(v, p->type, p->body, p->body_len);

    if (v == 2) {
        switch (p->type) {
        case IKE2_PL_KE: {
            struct ike_ke ke;
            if ((err = ike_ke_decode(2, p->body, p->body_len, &ke)) != IKE_PL_SHORT)
                p->dh_group = ke.group;
            break;
        }
        case IKE2_PL_IDI:
        case IKE2_PL_IDR: {
            struct ike_id id;
            if ((err = ike_id_decode(2, p->body, p->body_len, &id)) != IKE_PL_SHORT)
                p->id_type = id.type;
            break;
        }
        case IKE2_PL_CERT: {
            struct ike_cert c;
            if ((err = ike_cert_decode(p->body, p->body_len, &c)) == IKE_PL_OK)
                p->cert_encoding = c.encoding;
            break;
        }
        case IKE2_PL_CERTREQ: {
            struct ike_cert c;
            err = ike_certreq_decode(2, p->body, p->body_len, &c);
            if (err != IKE_PL_SHORT)
                p->cert_encoding = c.encoding;
            break;
        }
        case IKE2_PL_AUTH: {
            struct ike_auth a;
            if ((err = ike_auth_decode(p->body, p->body_len, &a)) == IKE_PL_OK)
                p->auth_method = a.method;
            break;
        }
        case IKE2_PL_NOTIFY: {
            struct ike_notify n;
            if ((err = ike_notify_decode(2, p->body, p->body_len, &n)) != IKE_PL_SHORT) {
                p->notify_type = n.type;
                p->protocol_id = n.protocol;
            }
            break;
        }
        case IKE2_PL_DELETE: {
            struct ike_delete d;
            if ((err = ike_delete_decode(2, p->body, p->body_len, &d)) != IKE_PL_SHORT)
                p->protocol_id = d.protocol;
            break;
        }
        case IKE2_PL_VENDOR:
            p->vendor = ike_vendor_lookup(p->body, p->body_len, NULL, 0);
            break;
        case IKE2_PL_SKF: {
            struct ike_skf f;
            if ((err = ike_skf_decode(p->body, p->body_len, &f)) != IKE_PL_SHORT) {
                p->frag_num = f.number;
                p->frag_total = f.total;
            }
            break;
        }
        default:
            break;
        }
    } else {
        switch (p->type) {
        case IKE1_PL_ID: {
            struct ike_id id;
            if ((err = ike_id_decode(1, p->body, p->body_len, &id)) != IKE_PL_SHORT)
                p->id_type = id.type;
            break;
        }
        case IKE1_PL_CERT:
        case IKE1_PL_CR: {
            struct ike_cert c;
            if ((err = ike_cert_decode(p->body, p->body_len, &c)) == IKE_PL_OK)
                p->cert_encoding = c.encoding;
            break;
        }
        case IKE1_PL_N: {
            struct ike_notify n;
            if ((err = ike_notify_decode(1, p->body, p->body_len, &n)) != IKE_PL_SHORT) {
                p->notify_type = n.type;
                p->protocol_id = n.protocol;
            }
            break;
        }
        case IKE1_PL_D: {
            struct ike_delete d;
            if ((err = ike_delete_decode(1, p->body, p->body_len, &d)) != IKE_PL_SHORT)
                p->protocol_id = d.protocol;
            break;
        }
        case IKE1_PL_VID:
            p->vendor = ike_vendor_lookup(p->body, p->body_len, NULL, 0);
            break;
        case IKE1_PL_FRAG: {
            struct ike_v1_frag f;
            if ((err = ike_v1_frag_decode(p->body, p->body_len, &f)) != IKE_PL_SHORT) {
                p->frag_id = f.id;
                p->frag_num = f.number;
                p->frag_total = f.last ? 1 : 0;
            }
            break;
        }
        default:
            break;
        }
    }
    if (err != IKE_PL_OK)
        ike_msg_anomaly(m, IKE_AN_BODY_MALFORMED);
}

/* ------------------------------------------------------------------ */
/* The generic payload chain (RFC 7296 §3.2; RFC 2408 §3.2):
 *   next payload(1) | C(1 bit, v2) reserved(7) | payload length(2) | body
 */

enum walk_end {
    WALK_OK,
    WALK_CUT,      /* ran out of bytes the header promised: input truncated */
    WALK_BROKEN,   /* the chain itself is malformed */
    WALK_NOMEM,
};

static enum walk_end walk_chain(struct ike_msg *m, uint8_t first, struct rd body, bool inner,
                                bool input_cut)
{
    uint8_t np = first;
    size_t count = 0;

    while (np != 0) {
        uint8_t next, flags;
        uint16_t plen;
        struct rd pb;

        if (count >= IKE_MSG_MAX_PAYLOADS) {
            ike_msg_anomaly(m, IKE_AN_TOO_MANY_PAYLOADS);
            return WALK_BROKEN;
        }
        if (body.left < 4) {
            /* The previous payload announced one more, but the bytes ended. */
            if (input_cut)
                return WALK_CUT;
            ike_msg_anomaly(m, IKE_AN_PAYLOAD_OVERRUN);
            return WALK_BROKEN;
        }
        rd_u8(&body, &next);
        rd_u8(&body, &flags);
        rd_u16(&body, &plen);
        /* Rejected before anything else so no loop can stall on it: every step
         * below consumes plen >= 4 bytes, so the chain always ends. */
        if (plen < 4) {
            ike_msg_anomaly(m, IKE_AN_PAYLOAD_LENGTH_SHORT);
            return WALK_BROKEN;
        }
        if (!rd_take(&body, (size_t)plen - 4, &pb)) {
            if (input_cut)
                return WALK_CUT;
            ike_msg_anomaly(m, IKE_AN_PAYLOAD_OVERRUN);
            return WALK_BROKEN;
        }

        struct ike_payload p = {
            .type = np,
            .critical = m->version == 2 && (flags & 0x80),
            .inner = inner,
            .body = pb.p,
            .body_len = (uint32_t)pb.left,
            .vendor = -1,
        };
        /* RFC 7296 §3.2: the 7 bits after C are reserved; RFC 2408 §3.2: the byte is reserved. */
        if ((m->version == 2 ? (flags & 0x7f) : flags) != 0)
            ike_msg_anomaly(m, IKE_AN_RESERVED_SET);
        if (!ike_payload_type_known(m->version, np)) {
            /* RFC 7296 §2.5: an unknown payload with C set must make the message fail. */
            ike_msg_anomaly(m, p.critical ? IKE_AN_UNKNOWN_CRITICAL : IKE_AN_UNKNOWN_PAYLOAD);
        }
        bool sk = m->version == 2 && (np == IKE2_PL_SK || np == IKE2_PL_SKF);
        if (sk) {
            /* The SK/SKF generic header's next payload names the first inner payload. */
            p.next_inner = next;
            m->encrypted = true;
        }
        quick_look(m, &p);
        if (!push_payload(m, &p))
            return WALK_NOMEM;
        count++;
        if (sk) {
            /* RFC 7296 §3.14 / RFC 7383 §2.5: SK and SKF must be the last payload. */
            if (!rd_empty(&body))
                ike_msg_anomaly(m, IKE_AN_SK_NOT_LAST);
            return WALK_OK;
        }
        np = next;
    }
    if (!rd_empty(&body)) {
        /* IKEv1 encrypted bodies end in cipher padding (RFC 2409 Appendix B), not an anomaly. */
        if (!(inner && m->version == 1))
            ike_msg_anomaly(m, IKE_AN_TRAILING_BYTES);
    }
    return WALK_OK;
}

/* ------------------------------------------------------------------ */
/* Header (RFC 7296 §3.1; RFC 2408 §3.1):
 *   SPIi(8) SPIr(8) next payload(1) major(4)|minor(4) exchange(1) flags(1) message ID(4) length(4)
 */

enum ike_parse_status ike_msg_parse(struct ike_msg *m, const uint8_t *data, size_t len)
{
    memset(m, 0, sizeof *m);
    if (len > 0 && data) {
        m->raw = malloc(len);
        if (!m->raw)
            return IKE_PARSE_NOMEM;
        memcpy(m->raw, data, len);
        m->raw_len = len;
    }
    if (m->raw_len < IKE_HDR_LEN)
        return IKE_PARSE_NOT_IKE;

    struct rd r = rd_make(m->raw, m->raw_len);
    uint8_t ver;
    rd_copy(&r, m->spi_i, 8);
    rd_copy(&r, m->spi_r, 8);
    rd_u8(&r, &m->first_payload);
    rd_u8(&r, &ver);
    rd_u8(&r, &m->exchange);
    rd_u8(&r, &m->flags);
    rd_u32(&r, &m->msg_id);
    rd_u32(&r, &m->length);

    m->version = ver >> 4;
    m->minor = ver & 0x0f;
    if (m->version != 1 && m->version != 2) {
        ike_msg_anomaly(m, IKE_AN_BAD_VERSION);
        return IKE_PARSE_NOT_IKE;
    }

    static const uint8_t zero[8];
    if (memcmp(m->spi_i, zero, 8) == 0)
        ike_msg_anomaly(m, IKE_AN_ZERO_SPI_I);
    if (m->version == 2) {
        m->response = m->flags & IKE2_FLAG_RESPONSE;
        m->initiator_flag = m->flags & IKE2_FLAG_INITIATOR;
        /* RFC 7296 §3.1: only I, V and R are defined; the rest are sent as zero. */
        if (m->flags & ~(IKE2_FLAG_INITIATOR | IKE2_FLAG_VERSION | IKE2_FLAG_RESPONSE))
            ike_msg_anomaly(m, IKE_AN_RESERVED_SET);
        /* RFC 7296 §3.1: the responder SPI is zero in the first message of IKE_SA_INIT. */
        if (m->exchange == 34 && !m->response && memcmp(m->spi_r, zero, 8) != 0)
            ike_msg_anomaly(m, IKE_AN_NONZERO_SPI_R_INIT);
    } else {
        if (m->flags & ~(IKE1_FLAG_ENCRYPTION | IKE1_FLAG_COMMIT | IKE1_FLAG_AUTH_ONLY))
            ike_msg_anomaly(m, IKE_AN_RESERVED_SET);
    }

    /* The header length bounds the chain. Shorter datagram: cut in capture or
     * transit. Longer datagram: extra bytes are ignored. */
    bool cut = false;
    size_t body_len = r.left;
    if (m->length < IKE_HDR_LEN) {
        ike_msg_anomaly(m, IKE_AN_LENGTH_MISMATCH);
    } else if (m->length > m->raw_len) {
        ike_msg_anomaly(m, IKE_AN_TRUNCATED);
        cut = true;
    } else {
        if (m->length < m->raw_len)
            ike_msg_anomaly(m, IKE_AN_LENGTH_MISMATCH);
        body_len = m->length - IKE_HDR_LEN;
    }
    struct rd body;
    rd_take(&r, body_len, &body);

    /* IKEv1 with E set: everything after the header is ciphertext (RFC 2408 §3.1).
     * A fragment payload (132) is the exception: fragments travel in the clear
     * and carry the (possibly encrypted) original message inside. */
    if (m->version == 1 && (m->flags & IKE1_FLAG_ENCRYPTION) &&
        m->first_payload != IKE1_PL_FRAG) {
        m->encrypted = true;
        return cut ? IKE_PARSE_TRUNCATED : IKE_PARSE_OK;
    }

    switch (walk_chain(m, m->first_payload, body, false, cut)) {
    case WALK_NOMEM:
        return IKE_PARSE_NOMEM;
    default:
        break;
    }
    return cut ? IKE_PARSE_TRUNCATED : IKE_PARSE_OK;
}

enum ike_parse_status ike_msg_add_inner(struct ike_msg *m, uint8_t first_type, uint8_t *plain,
                                        size_t len)
{
    /* A second call replaces the first: drop the inner payloads that point
     * into the old plaintext before freeing it. */
    if (m->plain) {
        size_t w = 0;
        for (size_t i = 0; i < m->npayloads; i++)
            if (!m->payloads[i].inner)
                m->payloads[w++] = m->payloads[i];
        m->npayloads = w;
        free(m->plain);
    }
    m->plain = plain;
    m->plain_len = plain ? len : 0;
    m->decrypted = true;

    struct rd body = rd_make(m->plain, m->plain_len);
    switch (walk_chain(m, first_type, body, true, false)) {
    case WALK_NOMEM:
        return IKE_PARSE_NOMEM;
    case WALK_BROKEN:
    case WALK_CUT:
        return IKE_PARSE_TRUNCATED;
    default:
        return IKE_PARSE_OK;
    }
}

/* ------------------------------------------------------------------ */
/* Labels: RFC 7296 §1.2 notation for IKEv2, RFC 2409 §5 style for IKEv1. */

/* "N(NAME)", truncated to `len` like snprintf would. */
static const char *notify_label(uint8_t version, uint16_t type, char *buf, size_t len)
{
    char name[IKE_NAME_BUF];
    char label[IKE_NAME_BUF + 3] = "N(";
    size_t n = strlen(ike_notify_name(version, type, name, sizeof name));
    memcpy(label + 2, name, n);
    memcpy(label + 2 + n, ")", 2);
    return ike_copy(buf, len, label);
}

const char *ike_payload_label(uint8_t version, const struct ike_payload *p, bool from_initiator,
                              char *buf, size_t len)
{
    char name[IKE_NAME_BUF];
    const char *fixed = NULL;

    if (!buf || len == 0)
        return "";
    if (version == 1) {
        switch (p->type) {
        case IKE1_PL_NONCE: fixed = from_initiator ? "Ni" : "Nr"; break;
        case IKE1_PL_ID: fixed = from_initiator ? "IDii" : "IDir"; break;
        case IKE1_PL_N:
            return notify_label(1, p->notify_type, buf, len);
        default:
            if (ike_payload_type_known(1, p->type))
                fixed = ike_payload_short_name(1, p->type, name, sizeof name);
            break;
        }
    } else {
        switch (p->type) {
        case IKE2_PL_NONCE: fixed = from_initiator ? "Ni" : "Nr"; break;
        case IKE2_PL_NOTIFY:
            return notify_label(2, p->notify_type, buf, len);
        default:
            if (ike_payload_type_known(2, p->type))
                fixed = ike_payload_short_name(2, p->type, name, sizeof name);
            break;
        }
    }
    if (fixed)
        return ike_copy(buf, len, fixed);
    snprintf(buf, len, "UNKNOWN(%u)", p->type);
    return buf;
}
