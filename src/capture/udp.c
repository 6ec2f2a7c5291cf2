/* udp.c: UDP (RFC 768) to IKE: plain IKE on port 500 and configured ports, and the
 * port 4500 multiplexing of RFC 3948 section 2 (non-ESP marker, NAT keepalive, ESP). */
#include "capture/internal.h"
#include "capture/netlog.h"

static bool is_plain_ike_port(const struct cap_config *cfg, uint16_t port);

bool cap_is_ike_port(const struct cap_config *cfg, uint16_t port)
{
    return port == CAP_PORT_NATT || is_plain_ike_port(cfg, port);
}

static bool is_plain_ike_port(const struct cap_config *cfg, uint16_t port)
{
    if (port == CAP_PORT_IKE)
        return true;
    for (size_t i = 0; i < cfg->n_extra_ports; i++)
        if (cfg->extra_ports[i] == port)
            return true;
    return false;
}

/* The snap length left nothing of the IKE message: say where, so the report can tell
 * the user to capture whole packets. */
static void count_cut(const struct cap_pkt *px)
{
    struct cap_stats *st = px->stats;
    if (st->cut_before_ike < CAP_CUT_FRAMES && px->nframes)
        st->cut_frames[st->cut_before_ike] = px->frames[px->nframes - 1];
    st->cut_before_ike++;
}

/*
 * RFC 3948 section 2: on port 4500 the first 4 bytes tell ESP from IKE. IKE messages get
 * a zero "non-ESP marker" (an ESP SPI is never 0, RFC 4303 section 2.1); a single 0xFF
 * byte is a NAT-keepalive (section 2.3); anything else is ESP.
 */
static void natt_payload(const struct cap_ip *ip, uint16_t sport, uint16_t dport, struct rd body,
                         const struct cap_pkt *px, cap_ike_fn fn, void *ctx)
{
    struct rd peek = body;
    uint8_t first;
    uint32_t marker;

    /* A keepalive is one byte on the wire; a cut packet that starts with 0xFF is not one. */
    if (!px->incomplete && body.left == 1 && rd_u8(&peek, &first) && first == 0xff) {
        px->stats->nat_keepalives++;
        return;
    }
    peek = body;
    if (!rd_u32(&peek, &marker)) {
        px->stats->undecodable++; /* neither a marker nor an SPI fits (or was captured) */
        if (px->incomplete)
            count_cut(px);
        return;
    }
    if (marker != 0) {
        px->stats->esp_in_udp++;
        cap_deliver_esp(ip, sport, dport, body, px, fn, ctx);
        return;
    }
    /* The marker alone: no IKE byte to show, even when the capture cut the rest. */
    size_t n = peek.left;
    const uint8_t *ike;
    if (n == 0 || !rd_bytes(&peek, n, &ike)) {
        px->stats->undecodable++;
        if (px->incomplete)
            count_cut(px);
        return;
    }
    cap_deliver(ip, sport, dport, CAP_FRAMING_UDP_NONESP, ike, n, px, fn, ctx);
}

/*
 *  |          Source Port          |       Destination Port        |
 *  |            Length             |           Checksum            |
 */
void cap_udp_input(const struct cap_config *cfg, const struct cap_ip *ip, struct rd udp,
                   const struct cap_pkt *px_in, cap_ike_fn fn, void *ctx)
{
    uint16_t sport, dport, ulen, csum;
    struct rd body;
    struct cap_pkt pkt = *px_in;
    const struct cap_pkt *px = &pkt;

    if (!rd_u16(&udp, &sport) || !rd_u16(&udp, &dport) || !rd_u16(&udp, &ulen) ||
        !rd_u16(&udp, &csum)) {
        px->stats->undecodable++;
        return;
    }
    /* The length covers the 8-byte header. Checksums are not checked: offloading NICs
     * leave them wrong in captures taken on the sender. */
    if (ulen < 8) {
        px->stats->undecodable++;
        return;
    }
    /* A capture cut by the snap length keeps what it has, delivered as incomplete so the
     * IKE parser reports the message truncated. A UDP length beyond an IP datagram that was
     * captured whole is a lying header, not a cut: the IP length wins, nothing is missing
     * from the capture. */
    size_t want = (size_t)ulen - 8;
    if (want > udp.left && ip->truncated)
        pkt.incomplete = true;
    if (!rd_take(&udp, want < udp.left ? want : udp.left, &body)) {
        px->stats->undecodable++; /* cannot happen: the length was bounded by udp.left */
        return;
    }

    if (sport == CAP_PORT_NATT || dport == CAP_PORT_NATT) {
        natt_payload(ip, sport, dport, body, px, fn, ctx);
        return;
    }
    if (!is_plain_ike_port(cfg, sport) && !is_plain_ike_port(cfg, dport)) {
        px->stats->non_ike++;
        if (cfg->netlog && !px->incomplete && px->nframes)
            cap_netlog_udp(cfg->netlog, px->input, px->ts_sec, px->frames[px->nframes - 1], &ip->src, &ip->dst,
                           sport, dport, body.p, body.left);
        return;
    }
    size_t n = body.left;
    const uint8_t *ike;
    if (n == 0 || !rd_bytes(&body, n, &ike)) {
        px->stats->undecodable++;
        if (px->incomplete)
            count_cut(px);
        return;
    }
    cap_deliver(ip, sport, dport, CAP_FRAMING_UDP, ike, n, px, fn, ctx);
}
