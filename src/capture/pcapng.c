/* pcapng.c: pcapng block reader (draft-ietf-opsawg-pcapng): Section Header (section 4.1),
 * Interface Description (4.2), Enhanced Packet (4.3), Simple Packet (4.4) and the obsolete
 * Packet Block (appendix A); every other block is skipped by its length. Each packet keeps
 * its own interface's link type and timestamp resolution. */
#include "capture/pcapng.h"
#include "capture/internal.h"

#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Block types (section 11.1). The SHB type is a byte palindrome, so it reads the same
 * before the byte order of its section is known. */
enum {
    NG_SHB = 0x0a0d0d0au,
    NG_IDB = 0x00000001u,
    NG_PB = 0x00000002u,
    NG_SPB = 0x00000003u,
    NG_EPB = 0x00000006u,
};
/* The SHB byte-order magic as read big-endian from a big- or a little-endian section. */
enum { NG_BOM_BE = 0x1a2b3c4du, NG_BOM_LE = 0x4d3c2b1au };

/* Section 3.1: type and total length before the body, total length again after it. */
enum { NG_HDR = 8, NG_SHB_HDR = 12, NG_TRAILER = 4, NG_MIN_BLOCK = 12, NG_MIN_SHB = 28 };

/* Interface options (section 4.2). if_tsresol defaults to 6 (microseconds). */
enum { NG_OPT_END = 0, NG_IF_TSRESOL = 9, NG_IF_TSOFFSET = 14 };
enum {
    NG_TSRESOL_DEFAULT = 6,
    NG_TSRESOL_BIN = 0x80,  /* set: 2^-n, clear: 10^-n */
    NG_TSRESOL_EXP = 0x7f,
    NG_MAX_POW10 = 19,      /* 10^19 and 2^63 units per second still fit 64 bits */
    NG_MAX_POW2 = 63,
};

/* LINKTYPE_RAW as stored in files; libpcap hands it out as DLT_RAW, so do we. */
enum { NG_LINKTYPE_RAW = 101 };

struct ng_iface {
    int dlt;
    uint32_t snaplen;   /* 0: no limit */
    uint8_t tsresol;    /* if_tsresol as stored: bit 7 set = 2^-n, clear = 10^-n */
    int64_t tsoffset;   /* if_tsoffset, seconds */
};

struct cap_ng {
    FILE *fp;
    bool le;                /* byte order of the current section */
    bool done;              /* an end or an error was returned: nothing more to read */
    struct ng_iface *ifs;   /* interfaces of the current section, by id */
    size_t nifs, ifs_cap;
    uint8_t *blk;           /* body and trailer of the current block */
    size_t blk_cap;
    int64_t last_sec;       /* time of the previous packet, for Simple Packet Blocks */
    uint32_t last_usec;
    size_t idbs_seen;       /* in the whole file so far */
    bool any_supported;
    int first_dlt;
    bool peeked;            /* cap_ng_open read the first record ahead */
    enum cap_ng_res peek_res;
    struct cap_rec peek;
    char msg[200];
};

/* Every block reader below returns CAP_NG_PACKET for "fine, go on" and another value to
 * stop; whether a packet came out is said separately. */
static enum cap_ng_res bad(struct cap_ng *ng, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum cap_ng_res bad(struct cap_ng *ng, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ng->msg, sizeof ng->msg, fmt, ap);
    va_end(ap);
    return CAP_NG_BAD;
}

static bool ng_u16(const struct cap_ng *ng, struct rd *r, uint16_t *v)
{
    return ng->le ? rd_u16le(r, v) : rd_u16(r, v);
}

static bool ng_u32(const struct cap_ng *ng, struct rd *r, uint32_t *v)
{
    return ng->le ? rd_u32le(r, v) : rd_u32(r, v);
}

/* A 64-bit value in section byte order. */
static bool ng_u64(const struct cap_ng *ng, struct rd *r, uint64_t *v)
{
    struct rd save = *r;
    uint32_t a, b;
    if (!ng_u32(ng, r, &a) || !ng_u32(ng, r, &b)) {
        *r = save;
        return false;
    }
    *v = ng->le ? (uint64_t)b << 32 | a : (uint64_t)a << 32 | b;
    return true;
}

/* Two 32-bit halves, high first, each in section byte order (EPB and PB timestamps). */
static bool ng_ts(const struct cap_ng *ng, struct rd *r, uint64_t *v)
{
    uint32_t hi, lo;
    if (!ng_u32(ng, r, &hi) || !ng_u32(ng, r, &lo))
        return false;
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

/* Reads exactly n bytes. Nothing at all at a block boundary (may_end) is the clean end. */
static enum cap_ng_res fill(struct cap_ng *ng, uint8_t *buf, size_t n, bool may_end)
{
    size_t got = fread(buf, 1, n, ng->fp);
    if (got == n)
        return CAP_NG_PACKET;
    if (ferror(ng->fp)) {
        snprintf(ng->msg, sizeof ng->msg, "cannot read: %s", strerror(errno ? errno : EIO));
        return CAP_NG_IOERR;
    }
    return got == 0 && may_end ? CAP_NG_END : CAP_NG_TRUNCATED;
}

static uint64_t pow10u(unsigned n)
{
    uint64_t v = 1;
    while (n--)
        v *= 10;
    return v;
}

/* Timestamp units to seconds and microseconds, truncating finer fractions (as libpcap does
 * when it opens a file for microseconds). Resolutions were bounded when the IDB was read:
 * 10^-19 and 2^-63 still fit 64 bits, and no product below overflows. */
static void ts_convert(const struct ng_iface *ifc, uint64_t t, int64_t *sec, uint32_t *usec)
{
    unsigned n = ifc->tsresol & NG_TSRESOL_EXP;
    uint64_t s, frac, us;
    if (ifc->tsresol & NG_TSRESOL_BIN) {
        s = t >> n;
        frac = t & ((UINT64_C(1) << n) - 1);
        if (n <= 44)
            us = (frac * 1000000u) >> n;                      /* frac < 2^44 */
        else
            us = ((frac >> (n - 44)) * 1000000u) >> 44;
    } else {
        uint64_t div = pow10u(n);
        s = t / div;
        frac = t % div;
        us = n >= 6 ? frac / pow10u(n - 6) : frac * pow10u(6 - n);
    }
    /* Wraps like libpcap on absurd offsets instead of overflowing a signed type. */
    *sec = (int64_t)((uint64_t)ifc->tsoffset + s);
    *usec = (uint32_t)us;
}

/* Section 4.1. A new section forgets the interfaces of the previous one. */
static enum cap_ng_res section(struct cap_ng *ng, struct rd body)
{
    uint16_t major, minor;
    uint64_t section_len;
    if (!ng_u16(ng, &body, &major) || !ng_u16(ng, &body, &minor) ||
        !ng_u64(ng, &body, &section_len))
        return bad(ng, "section header block too short (corrupt capture)");
    if (major != 1)
        return bad(ng, "pcapng version %u.%u is not supported (only 1.x is)", major, minor);
    ng->nifs = 0;
    return CAP_NG_PACKET;
}

static enum cap_ng_res iface_options(struct cap_ng *ng, struct rd opts, struct ng_iface *ifc)
{
    while (!rd_empty(&opts)) {
        uint16_t code, len;
        struct rd val;
        if (!ng_u16(ng, &opts, &code) || !ng_u16(ng, &opts, &len))
            return bad(ng, "interface description block: option header cut short "
                           "(corrupt capture)");
        if (code == NG_OPT_END)
            break;
        /* Values are padded to 32 bits (section 3.5). */
        if (!rd_take(&opts, len, &val) || !rd_skip(&opts, (4u - len % 4u) % 4u))
            return bad(ng, "interface description block: option %u of %u bytes runs past the "
                           "block (corrupt capture)", code, len);
        if (code == NG_IF_TSRESOL) {
            uint8_t v;
            if (len != 1 || !rd_u8(&val, &v))
                return bad(ng, "if_tsresol option of %u bytes instead of 1 (corrupt capture)",
                           len);
            unsigned n = v & NG_TSRESOL_EXP;
            if (n > ((v & NG_TSRESOL_BIN) ? NG_MAX_POW2 : NG_MAX_POW10))
                return bad(ng, "if_tsresol %s%u is finer than a 64-bit timestamp can count "
                               "(corrupt capture)", (v & NG_TSRESOL_BIN) ? "2^-" : "10^-", n);
            ifc->tsresol = v;
        } else if (code == NG_IF_TSOFFSET) {
            uint64_t off;
            if (len != 8 || !ng_u64(ng, &val, &off))
                return bad(ng, "if_tsoffset option of %u bytes instead of 8 (corrupt capture)",
                           len);
            ifc->tsoffset = (int64_t)off;
        }
    }
    return CAP_NG_PACKET;
}

/* Section 4.2: link type, reserved, snap length, options. */
static enum cap_ng_res iface(struct cap_ng *ng, struct rd body)
{
    uint16_t linktype, reserved;
    uint32_t snaplen;
    if (!ng_u16(ng, &body, &linktype) || !ng_u16(ng, &body, &reserved) ||
        !ng_u32(ng, &body, &snaplen))
        return bad(ng, "interface description block too short (corrupt capture)");
    struct ng_iface ifc = { .dlt = linktype == NG_LINKTYPE_RAW ? DLT_RAW : linktype,
                            .snaplen = snaplen, .tsresol = NG_TSRESOL_DEFAULT };
    enum cap_ng_res res = iface_options(ng, body, &ifc);
    if (res != CAP_NG_PACKET)
        return res;
    if (ng->nifs == CAP_NG_MAX_IFACES)
        return bad(ng, "more than %u interfaces in one section (corrupt capture?)",
                   (unsigned)CAP_NG_MAX_IFACES);
    if (ng->nifs == ng->ifs_cap) {
        size_t cap = ng->ifs_cap ? ng->ifs_cap * 2 : 8;
        struct ng_iface *v = realloc(ng->ifs, cap * sizeof *v);
        if (!v)
            return CAP_NG_NOMEM;
        ng->ifs = v;
        ng->ifs_cap = cap;
    }
    ng->ifs[ng->nifs++] = ifc;
    if (ng->idbs_seen++ == 0)
        ng->first_dlt = ifc.dlt;
    if (cap_linktype_supported(ifc.dlt))
        ng->any_supported = true;
    return CAP_NG_PACKET;
}

static enum cap_ng_res packet_out(struct cap_ng *ng, const struct ng_iface *ifc, uint64_t ts,
                                  struct rd *body, uint32_t caplen, uint32_t wirelen,
                                  const char *what, struct cap_rec *rec)
{
    const uint8_t *data;
    if (!rd_bytes(body, caplen, &data))
        return bad(ng, "%s: captured length %" PRIu32 " is larger than the block's %zu bytes "
                       "of data (corrupt capture)", what, caplen, body->left);
    ts_convert(ifc, ts, &ng->last_sec, &ng->last_usec);
    *rec = (struct cap_rec){ .dlt = ifc->dlt, .ts_sec = ng->last_sec, .ts_usec = ng->last_usec,
                             .data = data, .caplen = caplen, .wirelen = wirelen };
    return CAP_NG_PACKET;
}

static enum cap_ng_res unknown_iface(struct cap_ng *ng, const char *what, uint32_t id)
{
    return bad(ng, "%s names interface %" PRIu32 " but the section describes %zu "
                   "(corrupt capture)", what, id, ng->nifs);
}

/* Section 4.3: interface, timestamp, captured and original length, padded data, options. */
static enum cap_ng_res epb(struct cap_ng *ng, struct rd body, struct cap_rec *rec)
{
    static const char what[] = "enhanced packet block";
    uint32_t id, caplen, wirelen;
    uint64_t ts;
    if (!ng_u32(ng, &body, &id) || !ng_ts(ng, &body, &ts) || !ng_u32(ng, &body, &caplen) ||
        !ng_u32(ng, &body, &wirelen))
        return bad(ng, "%s too short (corrupt capture)", what);
    if (id >= ng->nifs)
        return unknown_iface(ng, what, id);
    return packet_out(ng, &ng->ifs[id], ts, &body, caplen, wirelen, what, rec);
}

/* Appendix A: the obsolete Packet Block, with a 16-bit interface and a drops count. */
static enum cap_ng_res pb(struct cap_ng *ng, struct rd body, struct cap_rec *rec)
{
    static const char what[] = "packet block";
    uint16_t id, drops;
    uint32_t caplen, wirelen;
    uint64_t ts;
    if (!ng_u16(ng, &body, &id) || !ng_u16(ng, &body, &drops) || !ng_ts(ng, &body, &ts) ||
        !ng_u32(ng, &body, &caplen) || !ng_u32(ng, &body, &wirelen))
        return bad(ng, "%s too short (corrupt capture)", what);
    if (id >= ng->nifs)
        return unknown_iface(ng, what, id);
    return packet_out(ng, &ng->ifs[id], ts, &body, caplen, wirelen, what, rec);
}

/* Section 4.4: interface 0, no timestamp (the previous packet's is used), and a captured
 * length that is the smallest of the original length, the snap length and the data. */
static enum cap_ng_res spb(struct cap_ng *ng, struct rd body, struct cap_rec *rec)
{
    static const char what[] = "simple packet block";
    uint32_t wirelen;
    if (!ng_u32(ng, &body, &wirelen))
        return bad(ng, "%s too short (corrupt capture)", what);
    if (ng->nifs == 0)
        return unknown_iface(ng, what, 0);
    const struct ng_iface *ifc = &ng->ifs[0];
    size_t caplen = body.left;
    if (wirelen < caplen)
        caplen = wirelen;
    if (ifc->snaplen != 0 && ifc->snaplen < caplen)
        caplen = ifc->snaplen;
    const uint8_t *data;
    if (!rd_bytes(&body, caplen, &data))
        return bad(ng, "%s too short (corrupt capture)", what);
    *rec = (struct cap_rec){ .dlt = ifc->dlt, .ts_sec = ng->last_sec, .ts_usec = ng->last_usec,
                             .data = data, .caplen = caplen, .wirelen = wirelen };
    return CAP_NG_PACKET;
}

static bool grow(struct cap_ng *ng, size_t n)
{
    if (n <= ng->blk_cap)
        return true;
    size_t cap = ng->blk_cap ? ng->blk_cap : 64u * 1024u;
    while (cap < n)
        cap *= 2;
    uint8_t *b = realloc(ng->blk, cap);
    if (!b)
        return false;
    ng->blk = b;
    ng->blk_cap = cap;
    return true;
}

/* Reads one block (section 3.1) and hands its body to the reader of its type. */
static enum cap_ng_res read_block(struct cap_ng *ng, struct cap_rec *rec, bool *packet)
{
    uint8_t hdr[NG_HDR], bom_bytes[4];
    size_t hlen = NG_HDR;
    uint32_t type, total, bom;
    enum cap_ng_res res;

    *packet = false;
    if ((res = fill(ng, hdr, sizeof hdr, true)) != CAP_NG_PACKET)
        return res;
    struct rd h = rd_make(hdr, sizeof hdr);
    rd_u32(&h, &type);
    if (type == NG_SHB) {
        /* The byte-order magic decides how this and every later block of the section
         * is read, the total length just read included. */
        if ((res = fill(ng, bom_bytes, sizeof bom_bytes, false)) != CAP_NG_PACKET)
            return res;
        struct rd b = rd_make(bom_bytes, sizeof bom_bytes);
        rd_u32(&b, &bom);
        if (bom != NG_BOM_BE && bom != NG_BOM_LE)
            return bad(ng, "section header with the unknown byte-order magic 0x%08" PRIx32
                           " (corrupt capture)", bom);
        ng->le = bom == NG_BOM_LE;
        hlen = NG_SHB_HDR;
    }
    h = rd_make(hdr, sizeof hdr);
    ng_u32(ng, &h, &type);
    ng_u32(ng, &h, &total);
    uint32_t min = type == NG_SHB ? NG_MIN_SHB : NG_MIN_BLOCK;
    if (total % 4 != 0)
        return bad(ng, "block length %" PRIu32 " is not a multiple of 4 (corrupt capture)",
                   total);
    if (total < min)
        return bad(ng, "block length %" PRIu32 " is below the minimum of %" PRIu32
                       " (corrupt capture)", total, min);
    if (total > CAP_NG_MAX_BLOCK)
        return bad(ng, "a block of %" PRIu32 " bytes is larger than the %u MiB ikescope "
                       "accepts (corrupt capture?)", total, (unsigned)(CAP_NG_MAX_BLOCK >> 20));
    size_t rest = total - hlen;
    if (!grow(ng, rest))
        return CAP_NG_NOMEM;
    if ((res = fill(ng, ng->blk, rest, false)) != CAP_NG_PACKET)
        return res;
    struct rd r = rd_make(ng->blk, rest), body;
    uint32_t trailer = 0;
    if (!rd_take(&r, rest - NG_TRAILER, &body) || !ng_u32(ng, &r, &trailer) || trailer != total)
        return bad(ng, "block length %" PRIu32 " at the start and %" PRIu32 " at the end "
                       "differ (corrupt capture)", total, trailer);
    switch (type) {
    case NG_SHB:
        return section(ng, body);
    case NG_IDB:
        return iface(ng, body);
    case NG_EPB:
        *packet = true;
        return epb(ng, body, rec);
    case NG_SPB:
        *packet = true;
        return spb(ng, body, rec);
    case NG_PB:
        *packet = true;
        return pb(ng, body, rec);
    default:
        return CAP_NG_PACKET; /* NRB, ISB, DSB, custom, ...: nothing we need */
    }
}

/* Every block consumes at least 12 bytes of the stream, so this ends. */
static enum cap_ng_res next_record(struct cap_ng *ng, struct cap_rec *rec)
{
    for (;;) {
        bool packet;
        enum cap_ng_res res = read_block(ng, rec, &packet);
        if (res != CAP_NG_PACKET || packet)
            return res;
    }
}

enum cap_err cap_ng_open(struct cap_ng **out, FILE *fp, int *first_dlt, char *msg,
                         size_t msglen)
{
    *out = NULL;
    struct cap_ng *ng = calloc(1, sizeof *ng);
    if (!ng) {
        snprintf(msg, msglen, "out of memory");
        return CAP_ERR_NOMEM;
    }
    ng->fp = fp;
    ng->peek_res = next_record(ng, &ng->peek);
    ng->peeked = true;
    enum cap_err rc = CAP_OK;
    if (ng->peek_res == CAP_NG_NOMEM) {
        snprintf(msg, msglen, "out of memory");
        rc = CAP_ERR_NOMEM;
    } else if (ng->idbs_seen == 0) {
        /* Nothing to read the packets with: say why, as libpcap did. */
        rc = CAP_ERR_FORMAT;
        if (ng->peek_res == CAP_NG_TRUNCATED)
            snprintf(msg, msglen, "the file ends in the middle of a pcapng block "
                                  "(truncated capture)");
        else if (ng->peek_res == CAP_NG_BAD || ng->peek_res == CAP_NG_IOERR)
            snprintf(msg, msglen, "%s", ng->msg);
        else
            snprintf(msg, msglen, "the capture file has no Interface Description Blocks");
    } else if (!ng->any_supported) {
        *first_dlt = ng->first_dlt;
        rc = CAP_ERR_LINKTYPE;
    }
    if (rc != CAP_OK) {
        ng->fp = NULL; /* the caller's again */
        cap_ng_close(ng);
        return rc;
    }
    *out = ng;
    return CAP_OK;
}

enum cap_ng_res cap_ng_next(struct cap_ng *ng, struct cap_rec *rec)
{
    enum cap_ng_res res;
    if (ng->peeked) {
        ng->peeked = false;
        *rec = ng->peek;
        res = ng->peek_res;
    } else if (ng->done) {
        return CAP_NG_END;
    } else {
        res = next_record(ng, rec);
    }
    if (res != CAP_NG_PACKET)
        ng->done = true;
    return res;
}

const char *cap_ng_error(const struct cap_ng *ng)
{
    return ng->msg[0] ? ng->msg : "pcapng read error";
}

void cap_ng_close(struct cap_ng *ng)
{
    if (!ng)
        return;
    if (ng->fp)
        fclose(ng->fp);
    free(ng->ifs);
    free(ng->blk);
    free(ng);
}
