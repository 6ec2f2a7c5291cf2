/* ip.c: IPv4 headers (RFC 791 section 3.1) and IPv6 headers with extension headers
 * (RFC 8200 sections 3, 4), down to the upper-layer payload or a fragment. */
#include "capture/internal.h"

#include <string.h>

/*
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |Type of Service|          Total Length         |
 *  |         Identification        |Flags|      Fragment Offset    |
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  |                       Source Address                          |
 *  |                    Destination Address                        |
 *  |                    Options                    |    Padding    |
 */
bool cap_ip4_parse(struct rd r, bool cut, struct cap_ip *out)
{
    uint8_t vihl, tos, ttl, proto;
    uint16_t total, id, frag, csum;
    struct rd opts;

    memset(out, 0, sizeof *out);
    if (!rd_u8(&r, &vihl) || vihl >> 4 != 4)
        return false;
    /* RFC 791: IHL counts 32-bit words and the fixed header alone is 5 of them. */
    size_t hlen = (size_t)(vihl & 0x0f) * 4;
    if (hlen < 20)
        return false;
    if (!rd_u8(&r, &tos) || !rd_u16(&r, &total) || !rd_u16(&r, &id) || !rd_u16(&r, &frag) ||
        !rd_u8(&r, &ttl) || !rd_u8(&r, &proto) || !rd_u16(&r, &csum) ||
        !rd_copy(&r, out->src.bytes, 4) || !rd_copy(&r, out->dst.bytes, 4) ||
        !rd_take(&r, hlen - 20, &opts))
        return false;
    out->src.family = out->dst.family = 4;
    out->proto = proto;

    /* Total length 0 is what Linux writes for TCP segmentation offload; trust the capture,
     * which the snap length may have cut. */
    size_t body = r.left;
    if (total == 0) {
        out->truncated = cut;
    } else {
        if (total < hlen)
            return false;
        size_t want = total - hlen;
        if (want > r.left)
            out->truncated = true; /* snaplen cut it, or the header lies */
        else
            body = want;            /* anything after is link-layer padding */
    }
    if (!rd_take(&r, body, &out->payload))
        return false;

    /* Flags: reserved, DF, MF; then the offset in 8-byte units. */
    out->more = (frag & 0x2000) != 0;
    out->frag_offset = (uint32_t)(frag & 0x1fff) * 8;
    out->frag_id = id;
    out->fragment = out->more || out->frag_offset != 0;
    return true;
}

/* Generic extension header: next header, length in 8-octet units not counting the first. */
static bool ext_skip(struct rd *r, uint8_t *nh)
{
    uint8_t next, len;
    struct rd peek = *r;
    if (!rd_u8(&peek, &next) || !rd_u8(&peek, &len))
        return false;
    if (!rd_skip(r, ((size_t)len + 1) * 8))
        return false;
    *nh = next;
    return true;
}

bool cap_ip6_walk(struct rd *r, uint8_t *nh, struct cap_ip *frag)
{
    for (;;) {
        switch (*nh) {
        case CAP_IPPROTO_HOPOPTS:
        case CAP_IPPROTO_ROUTING:
        case CAP_IPPROTO_DSTOPTS:
            if (!ext_skip(r, nh))
                return false;
            break;
        case CAP_IPPROTO_FRAGMENT: {
            /* RFC 8200 section 4.5: next header, reserved, offset(13) res(2) M(1), id(32). */
            uint8_t next, reserved;
            uint16_t offm;
            uint32_t id;
            if (!frag || frag->fragment)
                return false; /* a fragment header inside a fragment, or two in one packet */
            if (!rd_u8(r, &next) || !rd_u8(r, &reserved) || !rd_u16(r, &offm) ||
                !rd_u32(r, &id))
                return false;
            *nh = next;
            /* RFC 6946: an "atomic fragment" (offset 0, M clear) is processed in isolation. */
            if ((offm & 0xfff8) == 0 && (offm & 1) == 0)
                break;
            frag->fragment = true;
            frag->more = (offm & 1) != 0;
            frag->frag_offset = (uint32_t)(offm >> 3) * 8;
            frag->frag_id = id;
            return true;
        }
        default:
            /* Upper layer, No Next Header (59) or an extension we do not walk (AH, ...). */
            return true;
        }
    }
}

/*
 *  |Version| Traffic Class |           Flow Label                  |
 *  |         Payload Length        |  Next Header  |   Hop Limit   |
 *  |                 Source Address (16 bytes)                     |
 *  |              Destination Address (16 bytes)                   |
 */
bool cap_ip6_parse(struct rd r, bool cut, struct cap_ip *out)
{
    uint32_t vtf;
    uint16_t plen;
    uint8_t nh, hlim;

    memset(out, 0, sizeof *out);
    if (!rd_u32(&r, &vtf) || vtf >> 28 != 6)
        return false;
    if (!rd_u16(&r, &plen) || !rd_u8(&r, &nh) || !rd_u8(&r, &hlim) ||
        !rd_copy(&r, out->src.bytes, 16) || !rd_copy(&r, out->dst.bytes, 16))
        return false;
    out->src.family = out->dst.family = 6;

    /* Payload length 0 means a jumbogram (RFC 2675) or segmentation offload: use the capture. */
    struct rd body = r;
    if (plen == 0) {
        out->truncated = cut;
    } else {
        if (plen > r.left)
            out->truncated = true;
        else if (!rd_take(&r, plen, &body))
            return false;
    }
    if (!cap_ip6_walk(&body, &nh, out))
        return false;
    out->proto = nh;
    out->payload = body;
    return true;
}
