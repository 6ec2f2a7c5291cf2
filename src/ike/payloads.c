/* payloads.c: payload body decoders (RFC 7296 §3.3-§3.16, RFC 2408 §3.4-§3.16, RFC 2407 §4.6, RFC 7383 §2.5). */
#include "ike/payloads.h"

#include "capture/reader.h"

#include <string.h>

static const char *const pl_err_names[] = {
    [IKE_PL_OK] = "ok",
    [IKE_PL_SHORT] = "short",
    [IKE_PL_BAD_LENGTH] = "bad_length",
    [IKE_PL_TOO_MANY] = "too_many",
    [IKE_PL_TRAILING] = "trailing",
    [IKE_PL_BAD_VALUE] = "bad_value",
    [IKE_PL_UNSUPPORTED] = "unsupported",
};

const char *ike_pl_err_name(enum ike_pl_err e)
{
    if ((unsigned)e < sizeof(pl_err_names) / sizeof(pl_err_names[0]) && pl_err_names[e])
        return pl_err_names[e];
    return "unknown";
}

static struct ike_view view_of(const struct rd *r)
{
    struct ike_view v = { r->p, r->left };
    return v;
}

/* The rest of `r` as a view; `r` ends empty. */
static struct ike_view take_rest(struct rd *r)
{
    struct ike_view v = view_of(r);
    rd_skip(r, r->left);
    return v;
}

/* Keeps the first error seen: later checks must not hide an earlier one. */
static void note(enum ike_pl_err *err, enum ike_pl_err e)
{
    if (*err == IKE_PL_OK)
        *err = e;
}

/*
 * One data attribute (RFC 2408 §3.3; RFC 7296 §3.3.5):
 *   AF(1) type(15) | value(16)                 when AF = 1 (TV)
 *   AF(1) type(15) | length(16) | value(length) when AF = 0 (TLV)
 * `tv_allowed` is false for IKEv2 configuration attributes, which are
 * always TLV and whose top bit is reserved (RFC 7296 §3.15.1).
 */
static enum ike_pl_err attr_read(struct rd *r, bool tv_allowed, struct ike_attr *a)
{
    uint16_t t;
    struct rd val;

    memset(a, 0, sizeof *a);
    if (!rd_u16(r, &t))
        return IKE_PL_BAD_LENGTH;
    a->type = t & 0x7fff;
    a->tv = tv_allowed && (t & 0x8000);
    if (a->tv) {
        uint16_t v;
        if (!rd_take(r, 2, &val))
            return IKE_PL_BAD_LENGTH;
        a->data = view_of(&val);
        rd_u16(&val, &v);
        a->value = v;
        a->value_valid = true;
        return IKE_PL_OK;
    }
    uint16_t alen;
    if (!rd_u16(r, &alen) || !rd_take(r, alen, &val))
        return IKE_PL_BAD_LENGTH;
    a->data = view_of(&val);
    if (alen <= 4) {
        uint8_t b;
        a->value = 0;
        while (rd_u8(&val, &b))
            a->value = a->value << 8 | b;
        a->value_valid = true;
    }
    return IKE_PL_OK;
}

/* Reads a SPI of `size` bytes into `spi`; sizes above IKE_MAX_SPI are refused. */
static enum ike_pl_err spi_read(struct rd *r, uint8_t size, uint8_t spi[IKE_MAX_SPI])
{
    if (size > IKE_MAX_SPI)
        return IKE_PL_BAD_VALUE;
    if (!rd_copy(r, spi, size))
        return IKE_PL_BAD_LENGTH;
    return IKE_PL_OK;
}

/* ------------------------------------------------------------------ */
/*
 * IKEv2 SA (RFC 7296 §3.3.1):
 *   Proposal:  last(1: 0|2) reserved(1) length(2) num(1) protocol(1) spi size(1)
 *              #transforms(1) SPI transforms...
 *   Transform: last(1: 0|3) reserved(1) length(2) type(1) reserved(1) id(2) attributes...
 */
static enum ike_pl_err v2_transform(struct rd *pr, struct ike_v2_sa *out, bool *more)
{
    uint8_t last, res, type;
    uint16_t tlen, id;
    struct rd tr;

    if (!rd_u8(pr, &last) || !rd_u8(pr, &res) || !rd_u16(pr, &tlen))
        return IKE_PL_BAD_LENGTH;
    if (tlen < 8 || !rd_take(pr, (size_t)tlen - 4, &tr))
        return IKE_PL_BAD_LENGTH;
    if (!rd_u8(&tr, &type) || !rd_u8(&tr, &res) || !rd_u16(&tr, &id))
        return IKE_PL_BAD_LENGTH;
    *more = last == 3;

    struct ike_v2_transform t = { .type = type, .id = id };
    enum ike_pl_err err = IKE_PL_OK;
    while (!rd_empty(&tr)) {
        struct ike_attr a;
        enum ike_pl_err e = attr_read(&tr, true, &a);
        if (e) {
            note(&err, e);
            break;
        }
        t.nattrs++;
        if (a.type == 14 && a.value_valid) { /* Key Length, RFC 7296 §3.3.5 */
            t.has_key_len = true;
            t.key_len = (uint16_t)a.value;
        }
    }
    if (out->ntransforms >= IKE_MAX_TRANSFORMS)
        return err ? err : IKE_PL_TOO_MANY;
    out->t[out->ntransforms++] = t;
    return err;
}

enum ike_pl_err ike_v2_sa_decode(const uint8_t *body, size_t len, struct ike_v2_sa *out)
{
    struct rd r = rd_make(body, len);
    enum ike_pl_err err = IKE_PL_OK;

    memset(out, 0, sizeof *out);
    if (len < 8)
        return IKE_PL_SHORT;
    bool more = true;
    while (!rd_empty(&r)) {
        uint8_t last, res;
        uint16_t plen;
        struct rd pr;

        if (!more)
            return IKE_PL_TRAILING; /* a proposal after the one marked last */
        if (!rd_u8(&r, &last) || !rd_u8(&r, &res) || !rd_u16(&r, &plen))
            return IKE_PL_BAD_LENGTH;
        if (plen < 8 || !rd_take(&r, (size_t)plen - 4, &pr))
            return IKE_PL_BAD_LENGTH;
        more = last == 2;
        if (out->nproposals >= IKE_MAX_PROPOSALS)
            return IKE_PL_TOO_MANY;

        struct ike_v2_proposal *p = &out->p[out->nproposals];
        if (!rd_u8(&pr, &p->num) || !rd_u8(&pr, &p->protocol) || !rd_u8(&pr, &p->spi_size) ||
            !rd_u8(&pr, &p->ntransforms_declared))
            return IKE_PL_BAD_LENGTH;
        enum ike_pl_err e = spi_read(&pr, p->spi_size, p->spi);
        if (e)
            return e;
        p->first = out->ntransforms;
        out->nproposals++;

        bool tmore = true;
        while (!rd_empty(&pr)) {
            if (!tmore) {
                note(&err, IKE_PL_TRAILING);
                break;
            }
            size_t before = out->ntransforms;
            e = v2_transform(&pr, out, &tmore);
            p->ntransforms += out->ntransforms - before;
            if (e) {
                /* Counts and lengths past this point cannot be trusted. */
                note(&err, e);
                return err;
            }
        }
        if (p->ntransforms != p->ntransforms_declared)
            note(&err, IKE_PL_BAD_VALUE);
    }
    /* The last proposal said another one follows (RFC 7296 §3.3.1). */
    if (more)
        note(&err, IKE_PL_BAD_LENGTH);
    return err;
}

/* ------------------------------------------------------------------ */
/*
 * IKEv1 SA (RFC 2408 §3.4-§3.6, RFC 2407 §4.6.1):
 *   SA:        DOI(4) situation(4) proposal payloads...
 *   Proposal:  next(1: 2|0) reserved(1) length(2) num(1) protocol(1) spi size(1)
 *              #transforms(1) SPI transform payloads...   (length covers the transforms)
 *   Transform: next(1: 3|0) reserved(1) length(2) num(1) id(1) reserved(2) attributes...
 */
#define IKE1_SIT_SECRECY 0x02
#define IKE1_SIT_INTEGRITY 0x04

static enum ike_pl_err v1_transform(struct rd *pr, struct ike_v1_sa *out, bool *more)
{
    uint8_t next, res, num, id;
    uint16_t tlen, res2;
    struct rd tr;

    if (!rd_u8(pr, &next) || !rd_u8(pr, &res) || !rd_u16(pr, &tlen))
        return IKE_PL_BAD_LENGTH;
    if (tlen < 8 || !rd_take(pr, (size_t)tlen - 4, &tr))
        return IKE_PL_BAD_LENGTH;
    if (!rd_u8(&tr, &num) || !rd_u8(&tr, &id) || !rd_u16(&tr, &res2))
        return IKE_PL_BAD_LENGTH;
    *more = next == 3;
    if (out->ntransforms >= IKE_MAX_TRANSFORMS)
        return IKE_PL_TOO_MANY;

    struct ike_v1_transform *t = &out->t[out->ntransforms];
    memset(t, 0, sizeof *t);
    t->num = num;
    t->id = id;
    out->ntransforms++;
    while (!rd_empty(&tr)) {
        struct ike_attr a;
        enum ike_pl_err e = attr_read(&tr, true, &a);
        if (e)
            return e;
        if (t->nattrs >= IKE_MAX_ATTRS)
            return IKE_PL_TOO_MANY;
        t->a[t->nattrs++] = a;
    }
    return IKE_PL_OK;
}

enum ike_pl_err ike_v1_sa_decode(const uint8_t *body, size_t len, struct ike_v1_sa *out)
{
    struct rd r = rd_make(body, len);
    enum ike_pl_err err = IKE_PL_OK;

    memset(out, 0, sizeof *out);
    if (!rd_u32(&r, &out->doi) || !rd_u32(&r, &out->situation))
        return IKE_PL_SHORT;
    /* Only the IPsec DOI's identity-only situation has a fixed 4-byte layout;
     * secrecy/integrity labels add variable fields (RFC 2407 §4.6.1). */
    if (out->doi != 1 || (out->situation & (IKE1_SIT_SECRECY | IKE1_SIT_INTEGRITY)))
        return IKE_PL_UNSUPPORTED;
    bool more = true;
    while (!rd_empty(&r)) {
        uint8_t next, res;
        uint16_t plen;
        struct rd pr;

        if (!more)
            return IKE_PL_TRAILING;
        if (!rd_u8(&r, &next) || !rd_u8(&r, &res) || !rd_u16(&r, &plen))
            return IKE_PL_BAD_LENGTH;
        if (plen < 8 || !rd_take(&r, (size_t)plen - 4, &pr))
            return IKE_PL_BAD_LENGTH;
        more = next == 2;
        if (out->nproposals >= IKE_MAX_PROPOSALS)
            return IKE_PL_TOO_MANY;

        struct ike_v1_proposal *p = &out->p[out->nproposals];
        if (!rd_u8(&pr, &p->num) || !rd_u8(&pr, &p->protocol) || !rd_u8(&pr, &p->spi_size) ||
            !rd_u8(&pr, &p->ntransforms_declared))
            return IKE_PL_BAD_LENGTH;
        enum ike_pl_err e = spi_read(&pr, p->spi_size, p->spi);
        if (e)
            return e;
        p->first = out->ntransforms;
        out->nproposals++;

        bool tmore = true;
        while (!rd_empty(&pr)) {
            if (!tmore) {
                note(&err, IKE_PL_TRAILING);
                break;
            }
            size_t before = out->ntransforms;
            e = v1_transform(&pr, out, &tmore);
            p->ntransforms += out->ntransforms - before;
            if (e) {
                note(&err, e);
                return err;
            }
        }
        if (p->ntransforms != p->ntransforms_declared)
            note(&err, IKE_PL_BAD_VALUE);
    }
    /* The last proposal payload said another one follows (RFC 2408 §3.5). */
    if (more)
        note(&err, IKE_PL_BAD_LENGTH);
    if (out->nproposals == 0)
        note(&err, IKE_PL_SHORT);
    return err;
}

bool ike_v1_transform_attr(const struct ike_v1_transform *t, uint16_t type, uint32_t *value)
{
    for (size_t i = 0; i < t->nattrs; i++) {
        if (t->a[i].type == type && t->a[i].value_valid) {
            *value = t->a[i].value;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* KE (RFC 7296 §3.4; RFC 2408 §3.7) */

enum ike_pl_err ike_ke_decode(uint8_t version, const uint8_t *body, size_t len, struct ike_ke *out)
{
    struct rd r = rd_make(body, len);
    uint16_t res;

    memset(out, 0, sizeof *out);
    if (version != 1 && (!rd_u16(&r, &out->group) || !rd_u16(&r, &res)))
        return IKE_PL_SHORT;
    out->data = take_rest(&r);
    return out->data.len ? IKE_PL_OK : IKE_PL_SHORT;
}

/* ID (RFC 7296 §3.5; RFC 2407 §4.6.2) */
enum ike_pl_err ike_id_decode(uint8_t version, const uint8_t *body, size_t len, struct ike_id *out)
{
    struct rd r = rd_make(body, len);

    memset(out, 0, sizeof *out);
    if (!rd_u8(&r, &out->type))
        return IKE_PL_SHORT;
    if (version == 1) {
        if (!rd_u8(&r, &out->protocol) || !rd_u16(&r, &out->port))
            return IKE_PL_SHORT;
    } else if (!rd_skip(&r, 3)) {
        return IKE_PL_SHORT;
    }
    out->data = take_rest(&r);

    /* Fixed-size types (RFC 7296 §3.5, RFC 2407 §4.6.2.2-§4.6.2.9). */
    size_t want = 0;
    switch (out->type) {
    case 1: want = 4; break;                        /* ID_IPV4_ADDR */
    case 5: want = 16; break;                       /* ID_IPV6_ADDR */
    case 4: case 7: want = version == 1 ? 8 : 0; break;   /* v1 IPv4 subnet/range */
    case 6: case 8: want = version == 1 ? 32 : 0; break;  /* v1 IPv6 subnet/range */
    default: break;
    }
    if (want && out->data.len != want)
        return IKE_PL_BAD_LENGTH;
    /* RFC 7296 §3.5: FQDN and RFC 822 identities carry no terminators (NUL, CR, LF). */
    if (out->type == 2 || out->type == 3) {
        struct rd d = rd_make(out->data.p, out->data.len);
        uint8_t b;
        if (rd_empty(&d))
            return IKE_PL_BAD_LENGTH;
        while (rd_u8(&d, &b))
            if (b == 0 || b == '\r' || b == '\n')
                return IKE_PL_BAD_VALUE;
    }
    return IKE_PL_OK;
}

/* CERT (RFC 7296 §3.6; RFC 2408 §3.9) */
enum ike_pl_err ike_cert_decode(const uint8_t *body, size_t len, struct ike_cert *out)
{
    struct rd r = rd_make(body, len);

    memset(out, 0, sizeof *out);
    if (!rd_u8(&r, &out->encoding))
        return IKE_PL_SHORT;
    out->data = take_rest(&r);
    return IKE_PL_OK;
}

/* CERTREQ (RFC 7296 §3.7); IKEv1 CR (RFC 2408 §3.10) carries a CA name instead. */
enum ike_pl_err ike_certreq_decode(uint8_t version, const uint8_t *body, size_t len,
                                   struct ike_cert *out)
{
    enum ike_pl_err err = ike_cert_decode(body, len, out);
    if (err || version == 1)
        return err;
    if (out->encoding == 4) { /* X.509 Certificate - Signature: SHA-1 of CA SubjectPublicKeyInfo */
        out->nhashes = out->data.len / 20;
        out->hashes_ragged = out->data.len % 20 != 0;
        if (out->hashes_ragged)
            return IKE_PL_BAD_LENGTH;
    }
    return IKE_PL_OK;
}

bool ike_certreq_hash(const struct ike_cert *c, size_t i, struct ike_view *hash)
{
    if (i >= c->nhashes)
        return false;
    struct rd r = rd_make(c->data.p, c->data.len);
    struct rd h;
    if (!rd_skip(&r, i * 20) || !rd_take(&r, 20, &h))
        return false;
    *hash = view_of(&h);
    return true;
}

/* AUTH (RFC 7296 §3.8) */
enum ike_pl_err ike_auth_decode(const uint8_t *body, size_t len, struct ike_auth *out)
{
    struct rd r = rd_make(body, len);

    memset(out, 0, sizeof *out);
    if (!rd_u8(&r, &out->method) || !rd_skip(&r, 3))
        return IKE_PL_SHORT;
    out->data = take_rest(&r);
    return IKE_PL_OK;
}

/* Notify (RFC 7296 §3.10; RFC 2408 §3.14) */
enum ike_pl_err ike_notify_decode(uint8_t version, const uint8_t *body, size_t len,
                                  struct ike_notify *out)
{
    struct rd r = rd_make(body, len);
    struct rd spi;

    memset(out, 0, sizeof *out);
    if (version == 1 && !rd_u32(&r, &out->doi))
        return IKE_PL_SHORT;
    if (!rd_u8(&r, &out->protocol) || !rd_u8(&r, &out->spi_size) || !rd_u16(&r, &out->type))
        return IKE_PL_SHORT;
    if (!rd_take(&r, out->spi_size, &spi))
        return IKE_PL_BAD_LENGTH;
    out->spi = view_of(&spi);
    out->data = take_rest(&r);
    return IKE_PL_OK;
}

/* Delete (RFC 7296 §3.11; RFC 2408 §3.15) */
enum ike_pl_err ike_delete_decode(uint8_t version, const uint8_t *body, size_t len,
                                  struct ike_delete *out)
{
    struct rd r = rd_make(body, len);
    struct rd spis;

    memset(out, 0, sizeof *out);
    if (version == 1 && !rd_u32(&r, &out->doi))
        return IKE_PL_SHORT;
    if (!rd_u8(&r, &out->protocol) || !rd_u8(&r, &out->spi_size) || !rd_u16(&r, &out->nspis))
        return IKE_PL_SHORT;
    size_t need = (size_t)out->nspis * out->spi_size;
    if (!rd_take(&r, need, &spis))
        return IKE_PL_BAD_LENGTH;
    out->spis = view_of(&spis);
    return rd_empty(&r) ? IKE_PL_OK : IKE_PL_TRAILING;
}

/*
 * Traffic selectors (RFC 7296 §3.13, §3.13.1):
 *   #TSs(1) reserved(3), then per selector:
 *   type(1) IP protocol(1) selector length(2) start port(2) end port(2) start addr end addr
 */
enum ike_pl_err ike_ts_decode(const uint8_t *body, size_t len, struct ike_ts_list *out)
{
    struct rd r = rd_make(body, len);
    enum ike_pl_err err = IKE_PL_OK;

    memset(out, 0, sizeof *out);
    if (!rd_u8(&r, &out->ndeclared) || !rd_skip(&r, 3))
        return IKE_PL_SHORT;
    while (!rd_empty(&r)) {
        uint8_t type, proto;
        uint16_t slen;
        struct rd sr;

        if (!rd_u8(&r, &type) || !rd_u8(&r, &proto) || !rd_u16(&r, &slen))
            return IKE_PL_BAD_LENGTH;
        if (slen < 4 || !rd_take(&r, (size_t)slen - 4, &sr))
            return IKE_PL_BAD_LENGTH;
        if (out->n >= IKE_MAX_TS)
            return IKE_PL_TOO_MANY;
        struct ike_ts *ts = &out->ts[out->n++];
        ts->type = type;
        ts->ip_proto = proto;
        ts->raw = view_of(&sr);
        uint8_t alen = type == 7 ? 4 : type == 8 ? 16 : 0;
        if (alen == 0)
            continue; /* TS_FC_ADDR_RANGE, TS_SECLABEL...: kept opaque */
        /* The length is fixed for the address-range types: 16 or 40 bytes. */
        if (sr.left != 4 + 2u * alen) {
            note(&err, IKE_PL_BAD_LENGTH);
            continue;
        }
        ts->addr_len = alen;
        rd_u16(&sr, &ts->start_port);
        rd_u16(&sr, &ts->end_port);
        rd_copy(&sr, ts->start, alen);
        rd_copy(&sr, ts->end, alen);
    }
    if (out->n != out->ndeclared)
        note(&err, IKE_PL_BAD_VALUE);
    return err;
}

/* CP (RFC 7296 §3.15): type(1) reserved(3) attributes (always TLV);
 * IKEv1 ATTR (draft-dukes-ike-mode-cfg §3.2): type(1) reserved(1) identifier(2) TV/TLV attributes. */
enum ike_pl_err ike_cp_decode(uint8_t version, const uint8_t *body, size_t len, struct ike_cp *out)
{
    struct rd r = rd_make(body, len);

    memset(out, 0, sizeof *out);
    if (!rd_u8(&r, &out->type))
        return IKE_PL_SHORT;
    if (version == 1) {
        if (!rd_skip(&r, 1) || !rd_u16(&r, &out->identifier))
            return IKE_PL_SHORT;
    } else if (!rd_skip(&r, 3)) {
        return IKE_PL_SHORT;
    }
    while (!rd_empty(&r)) {
        struct ike_attr a;
        enum ike_pl_err e = attr_read(&r, version == 1, &a);
        if (e)
            return e;
        if (out->nattrs >= IKE_MAX_ATTRS)
            return IKE_PL_TOO_MANY;
        out->a[out->nattrs++] = a;
    }
    return IKE_PL_OK;
}

/* EAP (RFC 7296 §3.16 carries one EAP message, RFC 3748 §4): code id length [type] data */
enum ike_pl_err ike_eap_decode(const uint8_t *body, size_t len, struct ike_eap *out)
{
    struct rd r = rd_make(body, len);

    memset(out, 0, sizeof *out);
    if (!rd_u8(&r, &out->code) || !rd_u8(&r, &out->id) || !rd_u16(&r, &out->length))
        return IKE_PL_SHORT;
    if (out->code == 1 || out->code == 2) {
        if (!rd_u8(&r, &out->type))
            return IKE_PL_SHORT;
        out->has_type = true;
    }
    out->data = take_rest(&r);
    return out->length == len ? IKE_PL_OK : IKE_PL_BAD_LENGTH;
}

/* SKF (RFC 7383 §2.5): fragment numbers start at 1 and never exceed the total. */
enum ike_pl_err ike_skf_decode(const uint8_t *body, size_t len, struct ike_skf *out)
{
    struct rd r = rd_make(body, len);

    memset(out, 0, sizeof *out);
    if (!rd_u16(&r, &out->number) || !rd_u16(&r, &out->total))
        return IKE_PL_SHORT;
    out->enc = take_rest(&r);
    if (out->number == 0 || out->total == 0 || out->number > out->total)
        return IKE_PL_BAD_VALUE;
    return IKE_PL_OK;
}

/* IKEv1 fragment payload (Cisco/Microsoft, type 132): id(2) number(1) flags(1) data;
 * numbering starts at 1 and flags bit 0 marks the last fragment. */
enum ike_pl_err ike_v1_frag_decode(const uint8_t *body, size_t len, struct ike_v1_frag *out)
{
    struct rd r = rd_make(body, len);

    memset(out, 0, sizeof *out);
    if (!rd_u16(&r, &out->id) || !rd_u8(&r, &out->number) || !rd_u8(&r, &out->flags))
        return IKE_PL_SHORT;
    out->last = out->flags & 0x01;
    out->data = take_rest(&r);
    return out->number == 0 ? IKE_PL_BAD_VALUE : IKE_PL_OK;
}

/* NAT-D (RFC 3947 §3.2): HASH(CKY-I | CKY-R | IP | Port), as long as the negotiated hash. */
enum ike_pl_err ike_v1_natd_decode(const uint8_t *body, size_t len, struct ike_view *hash)
{
    struct rd r = rd_make(body, len);
    *hash = take_rest(&r);
    return hash->len ? IKE_PL_OK : IKE_PL_SHORT;
}

/* NAT-OA (RFC 3947 §5.2): ID type(1) reserved(3) address (4 or 16 bytes). */
enum ike_pl_err ike_v1_natoa_decode(const uint8_t *body, size_t len, struct ike_v1_natoa *out)
{
    struct rd r = rd_make(body, len);

    memset(out, 0, sizeof *out);
    if (!rd_u8(&r, &out->id_type) || !rd_skip(&r, 3))
        return IKE_PL_SHORT;
    out->addr = take_rest(&r);
    size_t want = out->id_type == 1 ? 4 : out->id_type == 5 ? 16 : 0;
    if (want == 0)
        return IKE_PL_BAD_VALUE;
    return out->addr.len == want ? IKE_PL_OK : IKE_PL_BAD_LENGTH;
}
