/* test_hostile.c: every prefix of a valid packet decodes to "nothing" or to a prefix of the
 * right IKE bytes, and random damage never crashes, hangs or leaks (run under ASan). */
#include "helpers.h"

#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <string.h>

static uint8_t ike[600], tmp[2000], l4[2000], ip[2100], frame[2200];

struct sample {
    const char *name;
    int dlt;
    size_t len;
    size_t ike_len;
    uint8_t bytes[2200];
};

static struct sample samples[8];
static size_t n_samples;

static void add(const char *name, int dlt, const uint8_t *hdr, size_t hlen, size_t ipn,
                size_t ike_len)
{
    struct sample *s = &samples[n_samples++];
    s->name = name;
    s->dlt = dlt;
    s->len = mk_prefix(s->bytes, hdr, hlen, ip, ipn);
    s->ike_len = ike_len;
}

static void build_samples(void)
{
    static const uint8_t eth4[] = { 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 0x81, 0x00, 0, 5, 0x08, 0x00 };
    static const uint8_t eth6[] = { 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 0x86, 0xdd };
    static const uint8_t sll2[20] = { 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6 };
    static const uint8_t null6[4] = { 30, 0, 0, 0 };
    static const uint8_t opts[4] = { 0x94, 4, 0, 0 };
    uint8_t ext[16] = { 60, 0, 1, 4, 0, 0, 0, 0, 17, 0, 1, 4, 0, 0, 0, 0 };

    n_samples = 0;
    mk_ike(ike, 500, 9);
    size_t u = mk_udp(l4, 500, 500, ike, 500);
    size_t n = mk_ip4(ip, T_SRC4, T_DST4, 17, 1, 0, opts, sizeof opts, l4, u);
    add("ethernet vlan ipv4 options udp 500", DLT_EN10MB, eth4, sizeof eth4, n, 500);

    memset(tmp, 0, 4);
    memcpy(tmp + 4, ike, 500);
    u = mk_udp(l4, 4500, 4500, tmp, 504);
    n = mk_ip6(ip, T_SRC6, T_DST6, 0, ext, sizeof ext, l4, u);
    add("ethernet ipv6 ext headers udp 4500", DLT_EN10MB, eth6, sizeof eth6, n, 500);

    u = mk_udp(l4, 500, 500, ike, 500);
    n = mk_ip4(ip, T_SRC4, T_DST4, 17, 1, 0, NULL, 0, l4, u);
    add("linux sll2 ipv4", DLT_LINUX_SLL2, sll2, sizeof sll2, n, 500);

    n = mk_ip6(ip, T_SRC6, T_DST6, 17, NULL, 0, l4, u);
    add("null ipv6", DLT_NULL, null6, sizeof null6, n, 500);
}

Test(hostile, every_prefix_is_safe, .init = build_samples)
{
    for (size_t i = 0; i < n_samples; i++) {
        const struct sample *s = &samples[i];
        struct tdec *t = tdec_new(NULL);
        for (size_t len = 0; len <= s->len; len++) {
            /* a copy of exactly `len` bytes, so ASan sees any read past the end */
            uint8_t *copy = malloc(len ? len : 1);
            memcpy(copy, s->bytes, len);
            size_t before = t->sink.n;
            cap_decoder_packet(t->dec, 0, s->dlt, len + 1, 1, 0, copy, len, s->len, &t->st);
            free(copy);
            cr_assert_leq(t->sink.n, before + 1, "%s/%zu", s->name, len);
            if (t->sink.n > before) {
                struct got *g = &t->sink.items[before];
                cr_assert_leq(g->len, s->ike_len, "%s/%zu", s->name, len);
                cr_assert_eq(memcmp(g->data, ike, g->len), 0, "%s/%zu: garbage", s->name, len);
                cr_assert(g->sport == 500 || g->sport == 4500, "%s/%zu", s->name, len);
                cr_assert_eq(g->incomplete, len < s->len, "%s/%zu: a cut packet, and only a cut "
                             "packet, is flagged", s->name, len);
                sink_clear(&t->sink);
            }
        }
        /* The full packet is delivered whole. */
        tdec_feed(t, s->dlt, 1, 1, s->bytes, s->len);
        cr_assert_eq(t->sink.n, 1, "%s", s->name);
        cr_assert_eq(t->sink.items[0].len, s->ike_len, "%s", s->name);
        cr_assert(!t->sink.items[0].incomplete, "%s", s->name);
        tdec_free(t);
    }
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

static void null_fn(void *ctx, const struct cap_ike_datagram *d)
{
    /* touch every delivered byte so ASan checks the view */
    size_t *sum = ctx;
    for (size_t i = 0; i < d->len; i++)
        *sum += d->data[i];
    for (size_t i = 0; i < d->nframes; i++)
        *sum += (size_t)d->frames[i];
}

Test(hostile, random_damage, .init = build_samples, .timeout = 100)
{
    static const int dlts[] = { DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4,
                                DLT_IPV6, DLT_NULL, DLT_LOOP, 101 };
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    cfg.frag_max_datagrams = 64;
    cfg.frag_max_bytes = 256 * 1024;
    cfg.tcp_max_streams = 8;
    size_t sum = 0;
    struct cap_decoder *dec;
    cr_assert_eq(cap_decoder_new(&dec, &cfg, null_fn, &sum), CAP_OK);
    struct cap_stats st = { 0 };
    for (uint32_t it = 0; it < 300000; it++) {
        const struct sample *s = &samples[rnd() % n_samples];
        size_t len = s->len;
        memcpy(frame, s->bytes, len);
        unsigned flips = rnd() % 6;
        for (unsigned f = 0; f < flips; f++)
            frame[rnd() % len] = (uint8_t)rnd();
        /* Aim damage at the interesting fields too: fragment bits, ports, protocol. */
        if (rnd() % 4 == 0 && s->dlt == DLT_LINUX_SLL2) {
            frame[20 + 6] = (uint8_t)(rnd() & 0x3f);    /* MF + offset high */
            frame[20 + 7] = (uint8_t)rnd();
            frame[20 + 5] = (uint8_t)(rnd() % 4);       /* id: few values, many collisions */
            frame[20 + 9] = rnd() % 2 ? 17 : 6;
            frame[20 + 22] = rnd() % 2 ? 0x11 : 0x01;   /* dport 4500 or 500 */
            frame[20 + 23] = rnd() % 2 ? 0x94 : 0xf4;
        }
        if (rnd() % 3 == 0)
            len = rnd() % (len + 1);
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, frame, len);
        int dlt = rnd() % 8 == 0 ? dlts[rnd() % 9] : s->dlt;
        cap_decoder_packet(dec, rnd() % 2, dlt, it + 1, it / 1000, 0, copy, len,
                           rnd() % 2 ? s->len : len, &st);
        free(copy);
        if (it % 5000 == 0)
            cap_decoder_expire(dec, it / 1000, &st);
    }
    cap_decoder_free(dec);
    cr_assert_eq(st.packets, 300000);
}

/* Fragments of one IKE datagram, cut anywhere by the snap length, fed in any order and
 * given up at the end: whatever comes out is a flagged prefix of the right bytes. */
Test(hostile, cut_and_missing_fragments, .timeout = 100)
{
    mk_ike(ike, 600, 3);
    size_t u = mk_udp(l4, 500, 500, ike, 600); /* 608: 3 x 200 + 8 */
    for (uint32_t it = 0; it < 20000; it++) {
        struct tdec *t = tdec_new(NULL);
        unsigned order = rnd();
        for (unsigned k = 0; k < 4; k++) {
            unsigned i = (order >> (2 * k)) % 4;
            if (rnd() % 3 == 0)
                continue; /* missing from the capture */
            size_t off = i * 200, len = i < 3 ? 200 : u - 600;
            uint16_t ff = (uint16_t)((i < 3 ? 0x2000 : 0) | (off / 8));
            size_t n = rnd() % 2 ? mk_ip4(ip, T_SRC4, T_DST4, 17, 3, ff, NULL, 0, l4 + off, len)
                                 : 0;
            if (n == 0) {
                uint16_t om = (uint16_t)((off / 8) << 3 | (i < 3 ? 1 : 0));
                uint8_t fh[8] = { 17, 0, (uint8_t)(om >> 8), (uint8_t)om, 0, 0, 0, 3 };
                n = mk_ip6(ip, T_SRC6, T_DST6, 44, fh, sizeof fh, l4 + off, len);
            }
            size_t cap = rnd() % 4 == 0 ? rnd() % (n + 1) : n;
            uint8_t *copy = malloc(cap ? cap : 1);
            memcpy(copy, ip, cap);
            int dlt = ip[0] >> 4 == 4 ? DLT_IPV4 : DLT_IPV6;
            cap_decoder_packet(t->dec, 0, dlt, k + 1, it, 0, copy, cap, n, &t->st);
            free(copy);
        }
        cap_decoder_expire_input(t->dec, 0, INT64_MAX, &t->st);
        for (size_t i = 0; i < t->sink.n; i++) {
            struct got *g = &t->sink.items[i];
            cr_assert_leq(g->len, 600);
            cr_assert_eq(memcmp(g->data, ike, g->len), 0, "iteration %u: garbage", it);
            cr_assert_eq(g->incomplete, g->len < 600, "iteration %u: %zu bytes", it, g->len);
        }
        cr_assert_eq(t->st.ike_datagrams, t->sink.n);
        tdec_free(t);
    }
}

/* Random TCP segments on port 4500: sequence numbers near each other, random payloads
 * that sometimes look like records. */
Test(hostile, random_tcp_streams, .timeout = 100)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    cfg.tcp_max_streams = 4;
    size_t sum = 0;
    struct cap_decoder *dec;
    cr_assert_eq(cap_decoder_new(&dec, &cfg, null_fn, &sum), CAP_OK);
    struct cap_stats st = { 0 };
    uint8_t payload[1500];
    for (uint32_t it = 0; it < 100000; it++) {
        size_t n = rnd() % sizeof payload;
        for (size_t i = 0; i < n; i++)
            payload[i] = rnd() % 3 ? 0 : (uint8_t)rnd();
        if (n >= 2) {
            payload[0] = 0;
            payload[1] = (uint8_t)rnd();
        }
        uint32_t seq = 1000 + (rnd() % 4000);
        uint8_t flags = (uint8_t)(rnd() % 64 == 0 ? 0x04 : rnd() % 32 == 0 ? 0x01 : 0x10);
        if (rnd() % 50 == 0)
            flags |= 0x02;
        size_t sl = mk_tcp(l4, (uint16_t)(50000 + rnd() % 6), 4500, seq, flags, payload, n);
        size_t pl = mk_ip4(ip, T_SRC4, T_DST4, 6, 1, 0, NULL, 0, l4, sl);
        cap_decoder_packet(dec, 0, DLT_RAW, it + 1, it / 100, 0, ip, pl, pl, &st);
    }
    cap_decoder_free(dec);
    cr_assert_eq(st.tcp_segments, 100000);
}
