/* test_defrag.c: IPv4 (RFC 791) and IPv6 (RFC 8200 section 4.5) reassembly: order, overlap,
 * duplicates, timeout and memory caps. */
#include "helpers.h"
#include "capture/internal.h"

#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <string.h>

enum { IKE_LEN = 3000 };
static uint8_t ike[IKE_LEN], udp[IKE_LEN + 8], pkt[2000];
static size_t udp_len;

static void setup_datagram(void)
{
    mk_ike(ike, IKE_LEN, 11);
    udp_len = mk_udp(udp, 500, 500, ike, IKE_LEN);
}

/* Fragment [off, off+len) of the UDP datagram as IPv4. */
static size_t frag4(uint16_t id, size_t off, size_t len, bool more, const uint8_t *src)
{
    uint16_t ff = (uint16_t)((more ? 0x2000 : 0) | (off / 8));
    return mk_ip4(pkt, T_SRC4, T_DST4, 17, id, ff, NULL, 0, src + off, len);
}

static size_t frag6(uint32_t id, size_t off, size_t len, bool more, const uint8_t *src)
{
    uint16_t om = (uint16_t)((off / 8) << 3 | (more ? 1 : 0));
    uint8_t fh[8] = { 17, 0, (uint8_t)(om >> 8), (uint8_t)om,
                      (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id };
    return mk_ip6(pkt, T_SRC6, T_DST6, 44, fh, sizeof fh, src + off, len);
}

/* The three fragments of the 3008-byte UDP datagram: 1480 + 1480 + 48. */
static const size_t offs[3] = { 0, 1480, 2960 };
static size_t flen(int i) { return i < 2 ? 1480 : udp_len - 2960; }

static void feed4(struct tdec *t, int i, uint64_t frame, int64_t ts, uint16_t id)
{
    size_t n = frag4(id, offs[i], flen(i), i < 2, udp);
    tdec_feed(t, DLT_RAW, frame, ts, pkt, n);
}

static void assert_whole(struct tdec *t, size_t idx, const uint64_t *frames, size_t nframes)
{
    cr_assert_gt(t->sink.n, idx);
    struct got *g = &t->sink.items[idx];
    cr_assert_eq(g->len, IKE_LEN);
    cr_assert_eq(memcmp(g->data, ike, IKE_LEN), 0, "reassembled bytes differ");
    cr_assert_eq(g->nframes, nframes);
    for (size_t i = 0; i < nframes; i++)
        cr_assert_eq(g->frames[i], frames[i], "frame %zu: %llu != %llu", i,
                     (unsigned long long)g->frames[i], (unsigned long long)frames[i]);
    cr_assert_eq(g->sport, 500);
    cr_assert_eq(g->framing, CAP_FRAMING_UDP);
    cr_assert(!g->incomplete, "a reassembled datagram is never incomplete");
}

/* A datagram given up with its first fragment: the IKE bytes [0, ike_len), flagged. */
static void assert_prefix(struct tdec *t, size_t idx, size_t ike_len, const uint64_t *frames,
                          size_t nframes)
{
    cr_assert_gt(t->sink.n, idx);
    struct got *g = &t->sink.items[idx];
    cr_assert(g->incomplete);
    cr_assert_eq(g->len, ike_len, "%zu bytes, want %zu", g->len, ike_len);
    cr_assert_eq(memcmp(g->data, ike, ike_len), 0, "prefix bytes differ");
    cr_assert_eq(g->nframes, nframes);
    for (size_t i = 0; i < nframes; i++)
        cr_assert_eq(g->frames[i], frames[i], "frame %zu: %llu != %llu", i,
                     (unsigned long long)g->frames[i], (unsigned long long)frames[i]);
    cr_assert_eq(g->framing, CAP_FRAMING_UDP);
}

Test(defrag4, in_order, .init = setup_datagram)
{
    struct tdec *t = tdec_new(NULL);
    feed4(t, 0, 1, 100, 77);
    feed4(t, 1, 2, 100, 77);
    cr_assert_eq(t->sink.n, 0);
    feed4(t, 2, 3, 100, 77);
    cr_assert_eq(t->sink.n, 1);
    assert_whole(t, 0, (uint64_t[]){ 1, 2, 3 }, 3);
    cr_assert_eq(t->st.ip_fragments, 3);
    cr_assert_eq(t->st.reassembled, 1);
    cr_assert_eq(t->st.ike_datagrams, 1);
    cr_assert_eq(t->st.frag_overlaps, 0);
    tdec_free(t);
}

Test(defrag4, out_of_order_keeps_arrival_order_of_frames, .init = setup_datagram)
{
    const int orders[][3] = { { 2, 0, 1 }, { 1, 2, 0 }, { 2, 1, 0 }, { 0, 2, 1 } };
    for (size_t o = 0; o < sizeof orders / sizeof orders[0]; o++) {
        struct tdec *t = tdec_new(NULL);
        uint64_t frames[3];
        for (int k = 0; k < 3; k++) {
            frames[k] = 10 + (uint64_t)k;
            feed4(t, orders[o][k], frames[k], 5, 9);
        }
        cr_assert_eq(t->sink.n, 1, "order %zu", o);
        assert_whole(t, 0, frames, 3);
        tdec_free(t);
    }
}

Test(defrag4, overlap_first_bytes_win, .init = setup_datagram)
{
    uint8_t junk[IKE_LEN + 8];
    memset(junk, 0xcc, sizeof junk);
    struct tdec *t = tdec_new(NULL);
    feed4(t, 0, 1, 1, 5);
    feed4(t, 1, 2, 1, 5);
    size_t n = frag4(5, 1000, 1000, true, junk); /* rewrites bytes both fragments own */
    tdec_feed(t, DLT_RAW, 3, 1, pkt, n);
    feed4(t, 2, 4, 1, 5);
    cr_assert_eq(t->st.frag_overlaps, 1);
    assert_whole(t, 0, (uint64_t[]){ 1, 2, 3, 4 }, 4);
    tdec_free(t);
}

Test(defrag4, overlap_fills_a_hole_partially, .init = setup_datagram)
{
    /* A fragment straddling held and missing bytes: only the missing ones are taken. */
    struct tdec *t = tdec_new(NULL);
    feed4(t, 0, 1, 1, 5);
    size_t n = frag4(5, 1400, 1560, true, udp); /* 1400..2960: overlaps frag 0 */
    tdec_feed(t, DLT_RAW, 2, 1, pkt, n);
    feed4(t, 2, 3, 1, 5);
    cr_assert_eq(t->st.frag_overlaps, 1);
    assert_whole(t, 0, (uint64_t[]){ 1, 2, 3 }, 3);
    tdec_free(t);
}

Test(defrag4, exact_duplicate_is_not_an_overlap, .init = setup_datagram)
{
    struct tdec *t = tdec_new(NULL);
    feed4(t, 0, 1, 1, 5);
    feed4(t, 0, 2, 1, 5);
    feed4(t, 1, 3, 1, 5);
    feed4(t, 2, 4, 1, 5);
    cr_assert_eq(t->sink.n, 1);
    cr_assert_eq(t->st.frag_overlaps, 0);
    assert_whole(t, 0, (uint64_t[]){ 1, 2, 3, 4 }, 4);
    tdec_free(t);
}

Test(defrag4, two_different_ends_are_inconsistent, .init = setup_datagram)
{
    struct tdec *t = tdec_new(NULL);
    feed4(t, 2, 1, 1, 5);                          /* last: ends at 3008 */
    size_t n = frag4(5, 2960, 24, false, udp);     /* another last, ending at 2984 */
    tdec_feed(t, DLT_RAW, 2, 1, pkt, n);
    feed4(t, 0, 3, 1, 5);
    feed4(t, 1, 4, 1, 5);
    cr_assert_eq(t->st.frag_overlaps, 1);
    assert_whole(t, 0, (uint64_t[]){ 1, 2, 3, 4 }, 4);
    tdec_free(t);
}

Test(defrag4, timeout_on_arrival_and_on_expire, .init = setup_datagram)
{
    struct tdec *t = tdec_new(NULL);
    feed4(t, 0, 1, 1000, 5);
    feed4(t, 1, 2, 1031, 5); /* 31 s later: the first is stale, this one starts afresh */
    cr_assert_eq(t->st.frag_timeouts, 1);
    /* The stale one held the first fragment: its bytes are delivered, incomplete. */
    cr_assert_eq(t->sink.n, 1);
    assert_prefix(t, 0, 1480 - 8, (uint64_t[]){ 1 }, 1);
    cr_assert_eq(t->sink.items[0].ts_sec, 1000, "the time of its last fragment");
    feed4(t, 2, 3, 1031, 5);
    cr_assert_eq(t->sink.n, 1);
    cap_decoder_expire(t->dec, 1061, &t->st); /* exactly 30 s: not yet */
    cr_assert_eq(t->st.frag_timeouts, 1);
    cap_decoder_expire(t->dec, 1062, &t->st);
    cr_assert_eq(t->st.frag_timeouts, 2);
    cr_assert_eq(t->sink.n, 1, "no first fragment, nothing to deliver");
    feed4(t, 0, 4, 1062, 5); /* nothing left of the old state */
    cr_assert_eq(t->sink.n, 1);
    cr_assert_eq(t->st.ike_datagrams, 1);
    cr_assert_eq(t->st.incomplete_delivered, 1);
    tdec_free(t);
}

Test(defrag4, within_timeout_completes, .init = setup_datagram)
{
    struct tdec *t = tdec_new(NULL);
    feed4(t, 0, 1, 1000, 5);
    cap_decoder_expire(t->dec, 1029, &t->st);
    feed4(t, 1, 2, 1029, 5);
    feed4(t, 2, 3, 1030, 5);
    cr_assert_eq(t->sink.n, 1);
    cr_assert_eq(t->st.frag_timeouts, 0);
    tdec_free(t);
}

Test(defrag4, datagram_cap_evicts_oldest, .init = setup_datagram)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    cfg.frag_max_datagrams = 2;
    struct tdec *t = tdec_new(&cfg);
    feed4(t, 0, 1, 1, 1);
    feed4(t, 0, 2, 1, 2);
    feed4(t, 0, 3, 1, 3); /* evicts id 1, which hands over its first fragment */
    cr_assert_eq(t->st.frag_cap_hits, 1);
    cr_assert_eq(t->sink.n, 1);
    assert_prefix(t, 0, 1480 - 8, (uint64_t[]){ 1 }, 1);
    feed4(t, 1, 4, 1, 1);
    feed4(t, 2, 5, 1, 1); /* id 1 starts over (and evicts id 2), never completes */
    cr_assert_eq(t->st.frag_cap_hits, 2);
    cr_assert_eq(t->sink.n, 2);
    assert_prefix(t, 1, 1480 - 8, (uint64_t[]){ 2 }, 1);
    feed4(t, 1, 6, 1, 3);
    feed4(t, 2, 7, 1, 3);
    cr_assert_eq(t->sink.n, 3);
    assert_whole(t, 2, (uint64_t[]){ 3, 6, 7 }, 3);
    tdec_free(t);
}

Test(defrag4, byte_cap_evicts_and_refuses_oversize, .init = setup_datagram)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    cfg.frag_max_bytes = 2000;
    struct tdec *t = tdec_new(&cfg);
    feed4(t, 0, 1, 1, 1);
    feed4(t, 0, 2, 1, 2); /* 2960 > 2000: id 1 goes */
    cr_assert_eq(t->st.frag_cap_hits, 1);
    feed4(t, 1, 3, 1, 2); /* id 2 alone would need 2960: dropped too */
    cr_assert_eq(t->st.frag_cap_hits, 2);
    /* Both held their first fragment: both prefixes are delivered; frame 3 was refused. */
    cr_assert_eq(t->sink.n, 2);
    assert_prefix(t, 0, 1480 - 8, (uint64_t[]){ 1 }, 1);
    assert_prefix(t, 1, 1480 - 8, (uint64_t[]){ 2 }, 1);
    tdec_free(t);
}

Test(defrag4, past_65535_is_undecodable)
{
    uint8_t data[64] = { 0 };
    size_t n = mk_ip4(pkt, T_SRC4, T_DST4, 17, 1, 0x1fff, NULL, 0, data, 64); /* 65528 + 64 */
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 1, 1, pkt, n);
    cr_assert_eq(t->st.undecodable, 1);
    cr_assert_eq(t->st.ip_fragments, 0);
    tdec_free(t);
}

Test(defrag4, non_final_fragment_not_multiple_of_8_is_undecodable, .init = setup_datagram)
{
    size_t n = frag4(5, 0, 1481, true, udp);
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 1, 1, pkt, n);
    cr_assert_eq(t->st.undecodable, 1);
    cr_assert_eq(t->st.ip_fragments, 0);
    tdec_free(t);
}

Test(defrag4, non_udp_tcp_fragments_are_not_held)
{
    uint8_t data[64] = { 0 };
    size_t n = mk_ip4(pkt, T_SRC4, T_DST4, 50, 1, 0x2000, NULL, 0, data, 64);
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 1, 1, pkt, n);
    cr_assert_eq(t->st.non_ike, 1);
    cr_assert_eq(t->st.ip_fragments, 0);
    tdec_free(t);
}

Test(defrag4, snaplen_cut_later_fragment_is_undecodable, .init = setup_datagram)
{
    size_t n = frag4(5, 1480, 1480, true, udp);
    struct tdec *t = tdec_new(NULL);
    tdec_feed_cut(t, DLT_RAW, 1, 1, pkt, n - 100, n);
    cr_assert_eq(t->st.undecodable, 1);
    cr_assert_eq(t->st.ip_fragments, 0);
    cr_assert_eq(t->sink.n, 0);
    tdec_free(t);
}

Test(defrag4, separate_inputs_do_not_mix, .init = setup_datagram)
{
    struct tdec *t = tdec_new(NULL);
    size_t n = frag4(5, 0, 1480, true, udp);
    cap_decoder_packet(t->dec, 0, DLT_RAW, 1, 1, 0, pkt, n, n, &t->st);
    n = frag4(5, 1480, 1480, true, udp);
    cap_decoder_packet(t->dec, 1, DLT_RAW, 1, 1, 0, pkt, n, n, &t->st);
    n = frag4(5, 2960, udp_len - 2960, false, udp);
    cap_decoder_packet(t->dec, 0, DLT_RAW, 2, 1, 0, pkt, n, n, &t->st);
    cr_assert_eq(t->sink.n, 0);
    tdec_free(t);
}

Test(defrag6, in_order_and_out_of_order, .init = setup_datagram)
{
    const int orders[][3] = { { 0, 1, 2 }, { 2, 1, 0 }, { 1, 0, 2 } };
    for (size_t o = 0; o < 3; o++) {
        struct tdec *t = tdec_new(NULL);
        uint64_t frames[3];
        for (int k = 0; k < 3; k++) {
            int i = orders[o][k];
            frames[k] = 20 + (uint64_t)k;
            size_t n = frag6(0xabcdef01u, offs[i], flen(i), i < 2, udp);
            tdec_feed(t, DLT_IPV6, frames[k], 1, pkt, n);
        }
        cr_assert_eq(t->sink.n, 1, "order %zu", o);
        assert_whole(t, 0, frames, 3);
        cr_assert_eq(t->sink.items[0].src.family, 6);
        cr_assert_eq(memcmp(t->sink.items[0].src.bytes, T_SRC6, 16), 0);
        cr_assert_eq(t->st.reassembled, 1);
        tdec_free(t);
    }
}

static void feed6(struct tdec *t, int i, uint64_t frame, int64_t ts, uint32_t id)
{
    size_t n = frag6(id, offs[i], flen(i), i < 2, udp);
    tdec_feed(t, DLT_IPV6, frame, ts, pkt, n);
}

/* The IPv6 reassembler has its own caps, with the same rules as the IPv4 one. */
Test(defrag6, datagram_and_byte_caps, .init = setup_datagram)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    cfg.frag_max_datagrams = 2;
    struct tdec *t = tdec_new(&cfg);
    feed6(t, 0, 1, 1, 1);
    feed6(t, 0, 2, 1, 2);
    feed6(t, 0, 3, 1, 3); /* evicts id 1, which hands over its first fragment */
    cr_assert_eq(t->st.frag_cap_hits, 1);
    cr_assert_eq(t->sink.n, 1);
    assert_prefix(t, 0, 1480 - 8, (uint64_t[]){ 1 }, 1);
    cr_assert_eq(t->sink.items[0].src.family, 6);
    feed6(t, 1, 4, 1, 3);
    feed6(t, 2, 5, 1, 3);
    cr_assert_eq(t->sink.n, 2);
    assert_whole(t, 1, (uint64_t[]){ 3, 4, 5 }, 3);
    tdec_free(t);

    cap_config_defaults(&cfg);
    cfg.frag_max_bytes = 2000;
    t = tdec_new(&cfg);
    feed6(t, 0, 1, 1, 7);
    feed6(t, 0, 2, 1, 8); /* 2960 > 2000: id 7 goes */
    cr_assert_eq(t->st.frag_cap_hits, 1);
    feed6(t, 1, 3, 1, 8); /* id 8 alone would need 2960: dropped too */
    cr_assert_eq(t->st.frag_cap_hits, 2);
    cr_assert_eq(t->sink.n, 2);
    assert_prefix(t, 0, 1480 - 8, (uint64_t[]){ 1 }, 1);
    assert_prefix(t, 1, 1480 - 8, (uint64_t[]){ 2 }, 1);
    tdec_free(t);
}

Test(defrag6, extension_header_inside_the_fragmentable_part, .init = setup_datagram)
{
    /* RFC 8200 section 4.5: destination options may follow the fragment header. */
    static uint8_t whole[IKE_LEN + 16];
    uint8_t dst[8] = { 17, 0, 1, 4, 0, 0, 0, 0 };
    memcpy(whole, dst, 8);
    memcpy(whole + 8, udp, udp_len);
    size_t total = udp_len + 8;
    struct tdec *t = tdec_new(NULL);
    uint16_t om;
    for (int i = 0; i < 3; i++) {
        size_t off = offs[i], len = i < 2 ? 1480 : total - 2960;
        om = (uint16_t)((off / 8) << 3 | (i < 2));
        uint8_t fh[8] = { 60, 0, (uint8_t)(om >> 8), (uint8_t)om, 0, 0, 0, 7 };
        size_t n = mk_ip6(pkt, T_SRC6, T_DST6, 44, fh, 8, whole + off, len);
        tdec_feed(t, DLT_IPV6, (uint64_t)i + 1, 1, pkt, n);
    }
    assert_whole(t, 0, (uint64_t[]){ 1, 2, 3 }, 3);
    tdec_free(t);
}

Test(defrag6, overlap_duplicate_and_timeout, .init = setup_datagram)
{
    uint8_t junk[IKE_LEN + 8];
    memset(junk, 0x5a, sizeof junk);
    struct tdec *t = tdec_new(NULL);
    size_t n = frag6(1, 0, 1480, true, udp);
    tdec_feed(t, DLT_IPV6, 1, 1, pkt, n);
    tdec_feed(t, DLT_IPV6, 2, 1, pkt, n); /* duplicate */
    n = frag6(1, 1480, 1480, true, udp);
    tdec_feed(t, DLT_IPV6, 3, 1, pkt, n);
    n = frag6(1, 800, 1480, true, junk);  /* overlap */
    tdec_feed(t, DLT_IPV6, 4, 1, pkt, n);
    n = frag6(1, 2960, udp_len - 2960, false, udp);
    tdec_feed(t, DLT_IPV6, 5, 1, pkt, n);
    assert_whole(t, 0, (uint64_t[]){ 1, 2, 3, 4, 5 }, 5);
    cr_assert_eq(t->st.frag_overlaps, 1);

    n = frag6(2, 0, 1480, true, udp);
    tdec_feed(t, DLT_IPV6, 6, 1, pkt, n);
    cap_decoder_expire(t->dec, 100, &t->st);
    cr_assert_eq(t->st.frag_timeouts, 1);
    tdec_free(t);
}

Test(defrag6, fragment_header_inside_reassembled_payload_is_undecodable)
{
    /* destination options, then a second fragment header, inside the reassembled bytes */
    uint8_t inner[16] = { 44, 0, 1, 4, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 1 };
    uint8_t first[8] = { 60, 0, 0x00, 0x01, 0, 0, 0, 9 }; /* offset 0, M */
    uint8_t last[8] = { 60, 0, 0x00, 0x08, 0, 0, 0, 9 };  /* offset 8, last */
    struct tdec *t = tdec_new(NULL);
    size_t n = mk_ip6(pkt, T_SRC6, T_DST6, 44, first, 8, inner, 8);
    tdec_feed(t, DLT_IPV6, 1, 1, pkt, n);
    n = mk_ip6(pkt, T_SRC6, T_DST6, 44, last, 8, inner + 8, 8);
    tdec_feed(t, DLT_IPV6, 2, 1, pkt, n);
    cr_assert_eq(t->sink.n, 0);
    cr_assert_eq(t->st.reassembled, 1);
    cr_assert_eq(t->st.undecodable, 1);
    tdec_free(t);
}

static void count_partial(void *ctx, const struct cap_defrag_partial *p, struct cap_stats *st)
{
    (void)st;
    size_t *n = ctx;
    cr_assert_gt(p->len, 0);
    cr_assert_gt(p->nframes, 0);
    for (size_t i = 0; i < p->len; i++)
        *n += p->data[i]; /* touch every byte for ASan */
    (*n)++;
}

/* Memory stays bounded however many incomplete datagrams a capture holds. */
Test(defrag_memory, bounded_under_a_flood)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    cfg.frag_max_bytes = 64 * 1024;
    cfg.frag_max_datagrams = 32;
    size_t partials = 0;
    struct cap_defrag *d = cap_defrag_new(&cfg, count_partial, &partials);
    struct cap_stats st = { 0 };
    static uint8_t data[1000];
    for (uint32_t i = 0; i < 200000; i++) {
        struct cap_defrag_key k = { .family = 4, .proto = 17, .id = i };
        struct cap_defrag_done done;
        enum cap_defrag_res r = cap_defrag_add(d, &k, i / 1000, 0, i, (i % 7) * 1000, true,
                                               rd_make(data, sizeof data), &st, &done);
        cr_assert_eq(r, CAP_DEFRAG_HELD);
        cr_assert_leq(cap_defrag_held_bytes(d), cfg.frag_max_bytes);
        cr_assert_leq(cap_defrag_held_datagrams(d), cfg.frag_max_datagrams);
    }
    cr_assert_gt(st.frag_cap_hits, 0);
    cr_assert_gt(partials, 0, "evicted datagrams holding offset 0 hand over their prefix");
    /* Many tiny fragments of one datagram are capped too. */
    struct cap_defrag_key k = { .family = 4, .proto = 17, .id = 1u << 31 };
    for (uint32_t i = 0; i < 5000; i++) {
        struct cap_defrag_done done;
        cap_defrag_add(d, &k, 1000, 0, i, i * 8, true, rd_make(data, 8), &st, &done);
    }
    cr_assert_leq(cap_defrag_held_bytes(d), cfg.frag_max_bytes);
    cap_defrag_free(d);
}
