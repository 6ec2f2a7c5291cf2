/* icmp.c: ICMP errors about IKE datagrams. When an IKE message cannot be delivered, the
 * network often says so: the peer's host answers "port unreachable" when nothing listens
 * on UDP 500, a router answers "host unreachable" or "administratively prohibited", and a
 * link too small for a big IKE_AUTH answers "fragmentation needed" (RFC 792, RFC 1191) or
 * "packet too big" (RFC 4443 section 3.2). The error quotes the start of the datagram it
 * is about: its IP and UDP headers and, with luck, the IKE header with both SPIs. */
#include "capture/internal.h"

#include <string.h>

enum {
    ICMP4_DEST_UNREACHABLE = 3,
    ICMP4_FRAG_NEEDED = 4, /* code of ICMP4_DEST_UNREACHABLE */
    ICMP6_DEST_UNREACHABLE = 1,
    ICMP6_PACKET_TOO_BIG = 2,
};

/* The quoted UDP datagram: ports, then the IKE bytes that came with it. Returns false
 * when it is not IKE (another port, ESP-in-UDP, a keepalive). */
static bool quoted_ike(const struct cap_config *cfg, struct rd udp, struct cap_ike_datagram *d)
{
    uint16_t ulen, csum;
    if (!rd_u16(&udp, &d->sport) || !rd_u16(&udp, &d->dport) || !rd_u16(&udp, &ulen) ||
        !rd_u16(&udp, &csum))
        return false;
    if (!cap_is_ike_port(cfg, d->sport) && !cap_is_ike_port(cfg, d->dport))
        return false;
    d->framing = CAP_FRAMING_UDP;
    if (d->sport == CAP_PORT_NATT || d->dport == CAP_PORT_NATT) {
        /* RFC 3948 section 2: tell IKE from ESP and keepalives by the first bytes, when
         * they were quoted at all. */
        d->framing = CAP_FRAMING_UDP_NONESP;
        uint32_t marker;
        struct rd peek = udp;
        if (ulen == 9)
            return false; /* a NAT keepalive: one byte */
        if (rd_u32(&peek, &marker)) {
            if (marker != 0)
                return false; /* ESP in UDP */
            udp = peek;
        }
    }
    d->len = udp.left;
    d->data = udp.left ? udp.p : NULL;
    return true;
}

void cap_icmp_input(const struct cap_config *cfg, const struct cap_ip *ip, struct rd icmp,
                    const struct cap_pkt *px, cap_ike_fn fn, void *ctx)
{
    uint8_t type, code;
    uint16_t csum;
    uint32_t rest;
    if (!rd_u8(&icmp, &type) || !rd_u8(&icmp, &code) || !rd_u16(&icmp, &csum) ||
        !rd_u32(&icmp, &rest)) {
        px->stats->undecodable++;
        return;
    }
    struct cap_ike_datagram d;
    memset(&d, 0, sizeof d);
    d.kind = CAP_KIND_ICMP_ERROR;
    d.icmp.from = ip->src;
    d.icmp.type = type;
    d.icmp.code = code;

    struct cap_ip quoted;
    bool parsed;
    if (ip->src.family == 4) {
        if (type != ICMP4_DEST_UNREACHABLE) {
            px->stats->non_ike++;
            return;
        }
        /* RFC 1191 section 4: the next-hop MTU is the low 16 bits of the second word. */
        if (code == ICMP4_FRAG_NEEDED)
            d.icmp.mtu = rest & 0xffff;
        parsed = cap_ip4_parse(icmp, true, &quoted) && quoted.src.family == 4;
    } else {
        if (type != ICMP6_DEST_UNREACHABLE && type != ICMP6_PACKET_TOO_BIG) {
            px->stats->non_ike++;
            return;
        }
        if (type == ICMP6_PACKET_TOO_BIG)
            d.icmp.mtu = rest;
        parsed = cap_ip6_parse(icmp, true, &quoted) && quoted.src.family == 6;
    }
    /* Only the first fragment of a quoted datagram holds the UDP header. */
    if (!parsed || quoted.proto != CAP_IPPROTO_UDP || quoted.frag_offset != 0 ||
        !quoted_ike(cfg, quoted.payload, &d)) {
        px->stats->non_ike++;
        return;
    }
    d.input = px->input;
    d.ts_sec = px->ts_sec;
    d.ts_usec = px->ts_usec;
    d.src = quoted.src;
    d.dst = quoted.dst;
    d.frames = px->frames;
    d.nframes = px->nframes;
    d.incomplete = true;
    px->stats->icmp_errors++;
    if (fn)
        fn(ctx, &d);
}
