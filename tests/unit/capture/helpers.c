/* helpers.c: packet builders and a datagram sink for the capture unit tests. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const uint8_t T_SRC4[4] = { 192, 0, 2, 1 };
const uint8_t T_DST4[4] = { 198, 51, 100, 2 };
const uint8_t T_SRC6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
const uint8_t T_DST6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 2 };

void sink_fn(void *ctx, const struct cap_ike_datagram *d)
{
    struct sink *s = ctx;
    if (d->kind == CAP_KIND_ESP) {
        s->esp_seen++;
        if (!s->keep_esp)
            return;
    }
    if (s->n == SINK_MAX)
        abort();
    struct got *g = &s->items[s->n++];
    g->input = d->input;
    g->ts_sec = d->ts_sec;
    g->ts_usec = d->ts_usec;
    g->incomplete = d->incomplete;
    g->src = d->src;
    g->dst = d->dst;
    g->sport = d->sport;
    g->dport = d->dport;
    g->framing = d->framing;
    g->kind = d->kind;
    g->icmp = d->icmp;
    g->len = d->len;
    g->data = malloc(d->len ? d->len : 1);
    if (d->len)
        memcpy(g->data, d->data, d->len);
    g->nframes = d->nframes;
    g->frames = malloc((d->nframes ? d->nframes : 1) * sizeof *g->frames);
    if (d->nframes)
        memcpy(g->frames, d->frames, d->nframes * sizeof *g->frames);
}

void sink_clear(struct sink *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].data);
        free(s->items[i].frames);
    }
    s->n = 0;
}

struct tdec *tdec_new(const struct cap_config *cfg)
{
    struct tdec *t = calloc(1, sizeof *t);
    if (cfg)
        t->cfg = *cfg;
    else
        cap_config_defaults(&t->cfg);
    if (cap_decoder_new(&t->dec, &t->cfg, sink_fn, &t->sink) != CAP_OK)
        abort();
    return t;
}

void tdec_free(struct tdec *t)
{
    cap_decoder_free(t->dec);
    sink_clear(&t->sink);
    free(t);
}

void tdec_feed(struct tdec *t, int dlt, uint64_t frame, int64_t ts, const uint8_t *b, size_t n)
{
    cap_decoder_packet(t->dec, 0, dlt, frame, ts, 0, b, n, n, &t->st);
}

void tdec_feed_cut(struct tdec *t, int dlt, uint64_t frame, int64_t ts, const uint8_t *b,
                   size_t caplen, size_t wirelen)
{
    /* a copy of exactly caplen bytes, so ASan sees any read past the end */
    uint8_t *copy = malloc(caplen ? caplen : 1);
    if (!copy)
        abort();
    if (caplen)
        memcpy(copy, b, caplen);
    cap_decoder_packet(t->dec, 0, dlt, frame, ts, 0, copy, caplen, wirelen, &t->st);
    free(copy);
}

static size_t put16(uint8_t *o, uint16_t v)
{
    o[0] = (uint8_t)(v >> 8);
    o[1] = (uint8_t)v;
    return 2;
}

static size_t put32(uint8_t *o, uint32_t v)
{
    put16(o, (uint16_t)(v >> 16));
    put16(o + 2, (uint16_t)v);
    return 4;
}

size_t mk_ike(uint8_t *out, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)(seed + i * 7);
    if (len >= 28) {
        out[16] = 0x21; /* next payload SA */
        out[17] = 0x20; /* version 2.0 */
        out[18] = 34;   /* IKE_SA_INIT */
        out[19] = 0x08;
        put32(out + 20, 0);
        put32(out + 24, (uint32_t)len);
    }
    return len;
}

size_t mk_udp(uint8_t *out, uint16_t sp, uint16_t dp, const uint8_t *pl, size_t n)
{
    put16(out, sp);
    put16(out + 2, dp);
    put16(out + 4, (uint16_t)(n + 8));
    put16(out + 6, 0);
    if (n)
        memcpy(out + 8, pl, n);
    return n + 8;
}

size_t mk_tcp(uint8_t *out, uint16_t sp, uint16_t dp, uint32_t seq, uint8_t flags,
              const uint8_t *pl, size_t n)
{
    put16(out, sp);
    put16(out + 2, dp);
    put32(out + 4, seq);
    put32(out + 8, 1);
    out[12] = 5 << 4;
    out[13] = flags;
    put16(out + 14, 65535);
    put32(out + 16, 0);
    if (n)
        memcpy(out + 20, pl, n);
    return n + 20;
}

size_t mk_ip4(uint8_t *out, const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
              uint16_t id, uint16_t frag, const uint8_t *opts, size_t optlen,
              const uint8_t *pl, size_t n)
{
    size_t hl = 20 + optlen;
    out[0] = (uint8_t)(0x40 | (hl / 4));
    out[1] = 0;
    put16(out + 2, (uint16_t)(hl + n));
    put16(out + 4, id);
    put16(out + 6, frag);
    out[8] = 64;
    out[9] = proto;
    put16(out + 10, 0);
    memcpy(out + 12, src, 4);
    memcpy(out + 16, dst, 4);
    if (optlen)
        memcpy(out + 20, opts, optlen);
    if (n)
        memcpy(out + hl, pl, n);
    return hl + n;
}

size_t mk_ip6(uint8_t *out, const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
              const uint8_t *ext, size_t extlen, const uint8_t *pl, size_t n)
{
    put32(out, 0x60000000u);
    put16(out + 4, (uint16_t)(extlen + n));
    out[6] = nh;
    out[7] = 64;
    memcpy(out + 8, src, 16);
    memcpy(out + 24, dst, 16);
    if (extlen)
        memcpy(out + 40, ext, extlen);
    if (n)
        memcpy(out + 40 + extlen, pl, n);
    return 40 + extlen + n;
}

size_t mk_eth(uint8_t *out, const uint16_t *tags, size_t ntags, uint16_t type,
              const uint8_t *pl, size_t n)
{
    size_t o = 0;
    for (int i = 0; i < 6; i++)
        out[o++] = 0x02;
    for (int i = 0; i < 6; i++)
        out[o++] = 0x04;
    for (size_t i = 0; i < ntags; i++) {
        o += put16(out + o, tags[2 * i]);
        o += put16(out + o, tags[2 * i + 1]);
    }
    o += put16(out + o, type);
    if (n)
        memcpy(out + o, pl, n);
    return o + n;
}

size_t mk_prefix(uint8_t *out, const uint8_t *hdr, size_t hlen, const uint8_t *pl, size_t n)
{
    if (hlen)
        memcpy(out, hdr, hlen);
    if (n)
        memcpy(out + hlen, pl, n);
    return hlen + n;
}

size_t mk_udp4(uint8_t *out, uint16_t sp, uint16_t dp, const uint8_t *pl, size_t n)
{
    uint8_t udp[70000];
    size_t u = mk_udp(udp, sp, dp, pl, n);
    return mk_ip4(out, T_SRC4, T_DST4, 17, 0x1234, 0, NULL, 0, udp, u);
}

const char *fixtures_dir(void)
{
    const char *d = getenv("IKESCOPE_FIXTURES");
    struct stat sb;
    if (!d || stat(d, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return NULL;
    return d;
}
