/* decoder.c: one captured packet to IKE datagrams: link layer, IP, reassembly, then UDP
 * or TCP; also the configuration defaults and address helpers. */
#include "capture/internal.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct cap_decoder {
    struct cap_config cfg;
    cap_ike_fn fn;
    void *ctx;
    struct cap_defrag *defrag4, *defrag6;
    struct cap_tcp *tcp;
};

void cap_config_defaults(struct cap_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->frag_timeout_sec = 30;
    cfg->frag_max_bytes = 4u << 20;
    cfg->frag_max_datagrams = 1024;
    cfg->tcp_max_streams = 256;
}

void cap_put_err(char *errbuf, size_t errlen, const char *fmt, ...)
{
    if (!errbuf || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
}

bool cap_older_than(int64_t then_sec, int64_t now_sec, uint32_t limit_sec)
{
    if (now_sec <= then_sec)
        return false;
    /* Unsigned subtraction is exact here because now > then. */
    return (uint64_t)now_sec - (uint64_t)then_sec > limit_sec;
}

static void given_up(void *ctx, const struct cap_defrag_partial *p, struct cap_stats *st);

enum cap_err cap_decoder_new(struct cap_decoder **out, const struct cap_config *cfg,
                             cap_ike_fn fn, void *ctx)
{
    *out = NULL;
    struct cap_decoder *dec = calloc(1, sizeof *dec);
    if (!dec)
        return CAP_ERR_NOMEM;
    if (cfg)
        dec->cfg = *cfg;
    else
        cap_config_defaults(&dec->cfg);
    if (dec->cfg.n_extra_ports > sizeof dec->cfg.extra_ports / sizeof dec->cfg.extra_ports[0])
        dec->cfg.n_extra_ports = sizeof dec->cfg.extra_ports / sizeof dec->cfg.extra_ports[0];
    dec->fn = fn;
    dec->ctx = ctx;
    dec->defrag4 = cap_defrag_new(&dec->cfg, given_up, dec);
    dec->defrag6 = cap_defrag_new(&dec->cfg, given_up, dec);
    dec->tcp = cap_tcp_new(&dec->cfg);
    if (!dec->defrag4 || !dec->defrag6 || !dec->tcp) {
        cap_decoder_free(dec);
        return CAP_ERR_NOMEM;
    }
    *out = dec;
    return CAP_OK;
}

void cap_decoder_free(struct cap_decoder *dec)
{
    if (!dec)
        return;
    cap_defrag_free(dec->defrag4);
    cap_defrag_free(dec->defrag6);
    cap_tcp_free(dec->tcp);
    free(dec);
}

/* The datagram as the callback sees it; everything borrowed from the packet. */
static struct cap_ike_datagram datagram(const struct cap_ip *ip, uint16_t sport, uint16_t dport,
                                        enum cap_framing framing, const uint8_t *data, size_t len,
                                        const struct cap_pkt *px, enum cap_kind kind)
{
    struct cap_ike_datagram d = {
        .input = px->input,
        .ts_sec = px->ts_sec,
        .ts_usec = px->ts_usec,
        .src = ip->src,
        .dst = ip->dst,
        .sport = sport,
        .dport = dport,
        .framing = framing,
        .data = data,
        .len = len,
        .frames = px->frames,
        .nframes = px->nframes,
        .incomplete = px->incomplete,
        .kind = kind,
    };
    return d;
}

void cap_deliver(const struct cap_ip *ip, uint16_t sport, uint16_t dport, enum cap_framing framing,
                 const uint8_t *data, size_t len, const struct cap_pkt *px, cap_ike_fn fn,
                 void *ctx)
{
    struct cap_ike_datagram d = datagram(ip, sport, dport, framing, data, len, px, CAP_KIND_IKE);
    px->stats->ike_datagrams++;
    if (px->incomplete)
        px->stats->incomplete_delivered++;
    if (fn)
        fn(ctx, &d);
}

void cap_deliver_esp(const struct cap_ip *ip, uint16_t sport, uint16_t dport, struct rd esp,
                     const struct cap_pkt *px, cap_ike_fn fn, void *ctx)
{
    /* RFC 4303 §2: SPI (4) and sequence number (4) lead; the rest is ciphertext. */
    size_t n = esp.left < 8 ? esp.left : 8;
    const uint8_t *head;
    if (n < 4 || !rd_bytes(&esp, n, &head))
        return;
    struct cap_ike_datagram d = datagram(ip, sport, dport, sport ? CAP_FRAMING_UDP : CAP_FRAMING_ESP, head, n, px,
                                         CAP_KIND_ESP);
    if (fn)
        fn(ctx, &d);
}

/* The upper layer of a whole (never or no longer fragmented) IP datagram. */
static void upper_layer(struct cap_decoder *dec, const struct cap_ip *ip, struct rd payload,
                        const struct cap_pkt *px)
{
    switch (ip->proto) {
    case CAP_IPPROTO_UDP:
        cap_udp_input(&dec->cfg, ip, payload, px, dec->fn, dec->ctx);
        break;
    case CAP_IPPROTO_TCP:
        cap_tcp_input(dec->tcp, ip, payload, px, dec->fn, dec->ctx);
        break;
    case CAP_IPPROTO_ICMP:
    case CAP_IPPROTO_ICMPV6:
        cap_icmp_input(&dec->cfg, ip, payload, px, dec->fn, dec->ctx);
        break;
    case CAP_IPPROTO_ESP:
        px->stats->esp++;
        cap_deliver_esp(ip, 0, 0, payload, px, dec->fn, dec->ctx);
        break;
    default:
        px->stats->non_ike++;
        break;
    }
}

/* Only UDP and TCP can carry IKE; other fragments (ESP, GRE, ...) are not held. In IPv6
 * the fragmentable part may start with extension headers (RFC 8200 section 4.5), so the
 * protocol is only known after reassembly. */
static bool may_carry_ike(const struct cap_ip *ip)
{
    switch (ip->proto) {
    case CAP_IPPROTO_UDP:
    case CAP_IPPROTO_TCP:
        return true;
    case CAP_IPPROTO_HOPOPTS:
    case CAP_IPPROTO_ROUTING:
    case CAP_IPPROTO_DSTOPTS:
        return ip->src.family == 6;
    default:
        return false;
    }
}

/* The upper layer of a reassembled datagram, or of the prefix of one that is all the
 * capture has (px->incomplete). `ip` describes the datagram as a whole. */
static void reassembled(struct cap_decoder *dec, const struct cap_ip *ip, struct rd payload,
                        const struct cap_pkt *px)
{
    struct cap_ip wip = *ip;
    wip.fragment = false;
    wip.more = false;
    wip.frag_offset = 0;
    wip.truncated = px->incomplete;
    if (ip->src.family == 6) {
        /* RFC 8200 section 4.5: the fragmentable part may begin with more extension
         * headers (destination options, routing) before the upper layer. */
        uint8_t nh = ip->proto;
        if (!cap_ip6_walk(&payload, &nh, NULL)) {
            px->stats->undecodable++;
            return;
        }
        wip.proto = nh;
    }
    /* A fragmented TCP segment with bytes missing can only break its stream (which will
     * notice the gap by itself); it is not fed to it. */
    if (px->incomplete && wip.proto == CAP_IPPROTO_TCP) {
        px->stats->undecodable++;
        return;
    }
    upper_layer(dec, &wip, payload, px);
}

/* Reassembly gave up on a datagram that holds its first fragment: deliver the prefix so
 * the message is reported truncated instead of vanishing (a capture filter on UDP ports
 * keeps only the first fragment, the one with the UDP header). */
static void given_up(void *ctx, const struct cap_defrag_partial *p, struct cap_stats *st)
{
    struct cap_decoder *dec = ctx;
    struct cap_ip ip;
    memset(&ip, 0, sizeof ip);
    ip.src.family = ip.dst.family = p->key.family;
    memcpy(ip.src.bytes, p->key.src, 16);
    memcpy(ip.dst.bytes, p->key.dst, 16);
    ip.proto = p->key.proto;
    struct cap_pkt px = { .input = p->key.input, .ts_sec = p->ts_sec, .ts_usec = p->ts_usec,
                          .frames = p->frames, .nframes = p->nframes, .stats = st,
                          .incomplete = true };
    reassembled(dec, &ip, rd_make(p->data, p->len), &px);
}

static void fragment(struct cap_decoder *dec, struct cap_ip *ip, const struct cap_pkt *px)
{
    if (!may_carry_ike(ip)) {
        px->stats->non_ike++;
        return;
    }
    /* A fragment cut short by the snap length leaves a hole no later fragment fills. The
     * first one still has the UDP header: its bytes are the longest prefix the datagram
     * will ever have, so deliver them now. Later ones can add nothing to that prefix. */
    if (ip->truncated) {
        if (ip->frag_offset != 0) {
            px->stats->undecodable++;
            return;
        }
        struct cap_pkt cut = *px;
        cut.incomplete = true;
        reassembled(dec, ip, ip->payload, &cut);
        return;
    }
    struct cap_defrag_key key = { .input = px->input, .family = ip->src.family,
                                  .proto = ip->proto, .id = ip->frag_id };
    memcpy(key.src, ip->src.bytes, 16);
    memcpy(key.dst, ip->dst.bytes, 16);
    struct cap_defrag *d = ip->src.family == 4 ? dec->defrag4 : dec->defrag6;
    struct cap_defrag_done done;
    if (cap_defrag_add(d, &key, px->ts_sec, px->ts_usec, px->frames[0], ip->frag_offset,
                       ip->more, ip->payload, px->stats, &done) != CAP_DEFRAG_DONE)
        return;

    struct cap_pkt whole = *px;
    whole.frames = done.frames;
    whole.nframes = done.nframes;
    reassembled(dec, ip, rd_make(done.data, done.len), &whole);
    cap_defrag_done_free(&done);
}

void cap_decoder_packet(struct cap_decoder *dec, unsigned input, int dlt, uint64_t frame,
                        int64_t ts_sec, uint32_t ts_usec, const uint8_t *bytes, size_t caplen,
                        size_t wirelen, struct cap_stats *stats)
{
    struct cap_pkt px = { .input = input, .ts_sec = ts_sec, .ts_usec = ts_usec,
                          .frames = &frame, .nframes = 1, .stats = stats };
    struct rd r = rd_make(bytes, caplen);
    unsigned ipver = 0;
    struct cap_ip ip;

    if (stats->packets && (ts_sec < stats->last_ts_sec ||
                           (ts_sec == stats->last_ts_sec && ts_usec < stats->last_ts_usec))) {
        if (stats->time_backwards < CAP_TIME_FRAMES)
            stats->time_backwards_frames[stats->time_backwards] = frame;
        stats->time_backwards++;
        /* In microseconds, saturated: hostile timestamps may be decades apart. */
        int64_t ds = stats->last_ts_sec - ts_sec;
        uint64_t back = ds > 1000000000 ? UINT64_MAX
                                        : (uint64_t)ds * 1000000u + stats->last_ts_usec - ts_usec;
        if (back > stats->time_backwards_max_usec)
            stats->time_backwards_max_usec = back;
    }
    stats->last_ts_sec = ts_sec;
    stats->last_ts_usec = ts_usec;
    stats->packets++;
    switch (cap_link_decode(dlt, &r, &ipver)) {
    case CAP_LINK_IP:
        break;
    case CAP_LINK_OTHER:
        stats->non_ike++;
        return;
    case CAP_LINK_BAD:
    case CAP_LINK_UNSUPPORTED:
    default:
        stats->undecodable++;
        return;
    }
    bool cut = wirelen > caplen;
    bool ok = ipver == 4 ? cap_ip4_parse(r, cut, &ip) : cap_ip6_parse(r, cut, &ip);
    if (!ok) {
        stats->undecodable++;
        return;
    }
    if (ip.fragment)
        fragment(dec, &ip, &px);
    else
        upper_layer(dec, &ip, ip.payload, &px);
}

void cap_decoder_expire_input(struct cap_decoder *dec, unsigned input, int64_t now_sec,
                              struct cap_stats *stats)
{
    cap_defrag_expire(dec->defrag4, false, input, now_sec, stats);
    cap_defrag_expire(dec->defrag6, false, input, now_sec, stats);
    cap_tcp_expire(dec->tcp, false, input, now_sec, dec->cfg.frag_timeout_sec, stats);
}

void cap_decoder_expire(struct cap_decoder *dec, int64_t now_sec, struct cap_stats *stats)
{
    cap_defrag_expire(dec->defrag4, true, 0, now_sec, stats);
    cap_defrag_expire(dec->defrag6, true, 0, now_sec, stats);
    cap_tcp_expire(dec->tcp, true, 0, now_sec, dec->cfg.frag_timeout_sec, stats);
}

const char *cap_framing_name(enum cap_framing f)
{
    switch (f) {
    case CAP_FRAMING_UDP: return "udp";
    case CAP_FRAMING_UDP_NONESP: return "udp-non-esp-marker";
    case CAP_FRAMING_TCP: return "tcp";
    case CAP_FRAMING_ESP: return "esp";
    }
    return "unknown";
}

const char *cap_addr_str(const struct cap_addr *a, char *buf, size_t len)
{
    if (!buf || len == 0)
        return "";
    if (len > (size_t)INET6_ADDRSTRLEN)
        len = INET6_ADDRSTRLEN; /* inet_ntop takes a socklen_t */
    int af = a->family == 6 ? AF_INET6 : a->family == 4 ? AF_INET : -1;
    if (af < 0 || !inet_ntop(af, a->bytes, buf, (socklen_t)len)) {
        buf[0] = '\0';
        if (len > 1 && af < 0) {
            buf[0] = '?';
            buf[1] = '\0';
        }
    }
    return buf;
}

bool cap_addr_parse(const char *text, struct cap_addr *out)
{
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, out->bytes) == 1) {
        out->family = 4;
        return true;
    }
    if (inet_pton(AF_INET6, text, out->bytes) == 1) {
        out->family = 6;
        return true;
    }
    return false;
}

bool cap_addr_eq(const struct cap_addr *a, const struct cap_addr *b)
{
    if (a->family != b->family)
        return false;
    return memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16) == 0;
}
