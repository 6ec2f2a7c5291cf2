/* test_tcp8229.c: IKE over TCP (RFC 8229): prefix, record framing across segments,
 * out-of-order segments, gaps, retransmissions and the stream cap. */
#include "helpers.h"
#include "capture/internal.h"

#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <string.h>

enum { SYN = 0x02, FIN = 0x01, RST = 0x04, ACK = 0x10 };
#define ISN 0xfffffff0u /* wraps around 2^32 inside the stream */

static uint8_t stream[4000];
static size_t stream_len;
static size_t rec_start[3], rec_end[3];
static uint8_t ike1[300], ike2[1500];
static uint8_t seg[2000], pkt[2100];

static size_t put_record(size_t o, const uint8_t *body, size_t n, bool ike)
{
    size_t len = 2 + (ike ? 4 : 0) + n;
    stream[o] = (uint8_t)(len >> 8);
    stream[o + 1] = (uint8_t)len;
    o += 2;
    if (ike) {
        memset(stream + o, 0, 4);
        o += 4;
    }
    memcpy(stream + o, body, n);
    return o + n;
}

/* "IKETCP", IKE message (300), ESP record (60), IKE message (1500). */
static void setup_stream(void)
{
    uint8_t esp[60];
    memset(esp, 0x33, sizeof esp);
    mk_ike(ike1, sizeof ike1, 1);
    mk_ike(ike2, sizeof ike2, 2);
    memcpy(stream, "IKETCP", 6);
    size_t o = 6;
    rec_start[0] = o;
    o = rec_end[0] = put_record(o, ike1, sizeof ike1, true);
    rec_start[1] = o;
    o = rec_end[1] = put_record(o, esp, sizeof esp, false);
    rec_start[2] = o;
    o = rec_end[2] = put_record(o, ike2, sizeof ike2, true);
    stream_len = o;
}

static void send_seg(struct tdec *t, uint64_t frame, bool reverse, uint32_t seq, uint8_t flags,
                     const uint8_t *data, size_t n)
{
    size_t sl = mk_tcp(seg, reverse ? 4500 : 50000, reverse ? 50000 : 4500, seq, flags, data, n);
    size_t pl = reverse ? mk_ip4(pkt, T_DST4, T_SRC4, 6, 1, 0, NULL, 0, seg, sl)
                        : mk_ip4(pkt, T_SRC4, T_DST4, 6, 1, 0, NULL, 0, seg, sl);
    tdec_feed(t, DLT_RAW, frame, 1, pkt, pl);
}

/* Stream offset `off` (0 = first data byte) as a sequence number after a SYN at ISN. */
static uint32_t seq_at(size_t off)
{
    return ISN + 1 + (uint32_t)off;
}

static void assert_two_messages(struct tdec *t, const char *what)
{
    cr_assert_eq(t->sink.n, 2, "%s: %zu delivered", what, t->sink.n);
    cr_assert_eq(t->sink.items[0].len, sizeof ike1, "%s", what);
    cr_assert_eq(memcmp(t->sink.items[0].data, ike1, sizeof ike1), 0, "%s", what);
    cr_assert_eq(t->sink.items[1].len, sizeof ike2, "%s", what);
    cr_assert_eq(memcmp(t->sink.items[1].data, ike2, sizeof ike2), 0, "%s", what);
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(t->sink.items[i].framing, CAP_FRAMING_TCP, "%s", what);
        cr_assert_eq(t->sink.items[i].sport, 50000, "%s", what);
        cr_assert_eq(t->sink.items[i].dport, 4500, "%s", what);
        cr_assert_eq(memcmp(t->sink.items[i].src.bytes, T_SRC4, 4), 0, "%s", what);
    }
    cr_assert_eq(t->st.esp_in_udp, 1, "%s", what);
    cr_assert_eq(t->st.tcp_gaps, 0, "%s", what);
}

/* Frames (segment k is frame first_frame + k) that carry stream bytes [a, b). */
static size_t expect_frames(size_t a, size_t b, size_t seglen, uint64_t first_frame,
                            uint64_t *out)
{
    size_t n = 0;
    for (size_t k = 0; k * seglen < stream_len; k++)
        if (k * seglen < b && (k + 1) * seglen > a)
            out[n++] = first_frame + k;
    return n;
}

Test(tcp8229, records_split_across_segments, .init = setup_stream)
{
    const size_t sizes[] = { 1, 2, 3, 7, 100, 536, 1460, 4000 };
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t sz = sizes[si];
        struct tdec *t = tdec_new(NULL);
        send_seg(t, 1, false, ISN, SYN, NULL, 0);
        send_seg(t, 2, true, 5000, SYN | ACK, NULL, 0);
        uint64_t frame = 3;
        for (size_t off = 0; off < stream_len; off += sz) {
            size_t n = stream_len - off < sz ? stream_len - off : sz;
            send_seg(t, frame++, false, seq_at(off), ACK, stream + off, n);
        }
        char what[32];
        snprintf(what, sizeof what, "segments of %zu", sz);
        assert_two_messages(t, what);
        uint64_t want[4000];
        size_t nw = expect_frames(rec_start[0], rec_end[0], sz, 3, want);
        cr_assert_eq(t->sink.items[0].nframes, nw, "%s", what);
        cr_assert_eq(memcmp(t->sink.items[0].frames, want, nw * sizeof want[0]), 0, "%s", what);
        nw = expect_frames(rec_start[2], rec_end[2], sz, 3, want);
        cr_assert_eq(t->sink.items[1].nframes, nw, "%s", what);
        cr_assert_eq(memcmp(t->sink.items[1].frames, want, nw * sizeof want[0]), 0, "%s", what);
        cr_assert_eq(t->st.tcp_segments, 2 + (stream_len + sz - 1) / sz, "%s", what);
        send_seg(t, frame, false, seq_at(stream_len), FIN | ACK, NULL, 0);
        cr_assert_eq(t->st.tcp_gaps, 0, "%s", what);
        tdec_free(t);
    }
}

Test(tcp8229, out_of_order_segments_are_reordered, .init = setup_stream)
{
    struct tdec *t = tdec_new(NULL);
    send_seg(t, 1, false, ISN, SYN, NULL, 0);
    /* 500-byte segments, sent last-first; the first one (offset 0) arrives last. */
    size_t nseg = (stream_len + 499) / 500;
    for (size_t k = nseg; k-- > 0;) {
        size_t off = k * 500, n = stream_len - off < 500 ? stream_len - off : 500;
        send_seg(t, 10 + (nseg - 1 - k), false, seq_at(off), ACK, stream + off, n);
    }
    assert_two_messages(t, "reversed");
    tdec_free(t);
}

Test(tcp8229, retransmissions_are_delivered_once, .init = setup_stream)
{
    struct tdec *t = tdec_new(NULL);
    send_seg(t, 1, false, ISN, SYN, NULL, 0);
    send_seg(t, 2, false, seq_at(0), ACK, stream, 200);
    send_seg(t, 3, false, seq_at(0), ACK, stream, 200);         /* same again */
    send_seg(t, 4, false, seq_at(100), ACK, stream + 100, 400); /* overlapping */
    send_seg(t, 5, false, seq_at(500), ACK, stream + 500, stream_len - 500);
    send_seg(t, 6, false, seq_at(500), ACK, stream + 500, stream_len - 500);
    assert_two_messages(t, "retransmitted");
    tdec_free(t);
}

Test(tcp8229, no_syn_and_no_prefix, .init = setup_stream)
{
    /* Joining a stream: assume the first segment seen starts a record. */
    struct tdec *t = tdec_new(NULL);
    send_seg(t, 1, true, 77, ACK, stream + 6, stream_len - 6);
    cr_assert_eq(t->sink.n, 2);
    cr_assert_eq(t->sink.items[0].sport, 4500);
    cr_assert_eq(t->sink.items[0].dport, 50000);
    cr_assert_eq(t->sink.items[0].len, sizeof ike1);
    tdec_free(t);
}

Test(tcp8229, prefix_split_over_segments, .init = setup_stream)
{
    struct tdec *t = tdec_new(NULL);
    send_seg(t, 1, false, ISN, SYN, NULL, 0);
    send_seg(t, 2, false, seq_at(0), ACK, stream, 3); /* "IKE" */
    send_seg(t, 3, false, seq_at(3), ACK, stream + 3, stream_len - 3);
    assert_two_messages(t, "split prefix");
    cr_assert_eq(t->sink.items[0].nframes, 1);
    cr_assert_eq(t->sink.items[0].frames[0], 3);
    tdec_free(t);
}

Test(tcp8229, missing_segment_is_a_gap, .init = setup_stream)
{
    struct tdec *t = tdec_new(NULL);
    send_seg(t, 1, false, ISN, SYN, NULL, 0);
    send_seg(t, 2, false, seq_at(0), ACK, stream, 100);
    send_seg(t, 3, false, seq_at(200), ACK, stream + 200, 100); /* 100..200 never comes */
    send_seg(t, 4, false, seq_at(300), FIN | ACK, stream + 300, 100);
    cr_assert_eq(t->sink.n, 0);
    cr_assert_eq(t->st.tcp_gaps, 1);
    tdec_free(t);
}

Test(tcp8229, gap_found_by_expiry, .init = setup_stream)
{
    struct tdec *t = tdec_new(NULL);
    send_seg(t, 1, false, ISN, SYN, NULL, 0);
    send_seg(t, 2, false, seq_at(0), ACK, stream, 100);
    send_seg(t, 3, false, seq_at(200), ACK, stream + 200, 100);
    cap_decoder_expire(t->dec, 20, &t->st);
    cr_assert_eq(t->st.tcp_gaps, 0);
    cap_decoder_expire(t->dec, 40, &t->st);
    cr_assert_eq(t->st.tcp_gaps, 1);
    tdec_free(t);
}

Test(tcp8229, too_many_out_of_order_segments_is_a_gap, .init = setup_stream)
{
    struct tdec *t = tdec_new(NULL);
    send_seg(t, 1, false, ISN, SYN, NULL, 0);
    for (size_t k = 1; k <= 40; k++)
        send_seg(t, 1 + k, false, seq_at(k * 10), ACK, stream, 5);
    cr_assert_eq(t->st.tcp_gaps, 1);
    tdec_free(t);
}

Test(tcp8229, far_future_segment_is_a_gap, .init = setup_stream)
{
    struct tdec *t = tdec_new(NULL);
    send_seg(t, 1, false, ISN, SYN, NULL, 0);
    send_seg(t, 2, false, seq_at(0) + (1u << 30), ACK, stream, 10);
    cr_assert_eq(t->st.tcp_gaps, 1);
    tdec_free(t);
}

Test(tcp8229, impossible_record_length_drops_the_stream, .init = setup_stream)
{
    uint8_t bad[10] = { 0, 3, 0, 0, 0, 0, 0, 0, 0, 0 };
    struct tdec *t = tdec_new(NULL);
    send_seg(t, 1, false, 1000, ACK, bad, sizeof bad);
    cr_assert_eq(t->sink.n, 0);
    cr_assert_eq(t->st.undecodable, 1);
    cr_assert_eq(t->st.tcp_unframed, 1);
    cr_assert_eq(t->st.tcp_gaps, 0);
    send_seg(t, 2, false, 1010, ACK, stream + 6, 100); /* a new stream starts here */
    tdec_free(t);
}

Test(tcp8229, rst_and_fin_release_streams, .init = setup_stream)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    struct tdec *t = tdec_new(&cfg);
    send_seg(t, 1, false, ISN, SYN, NULL, 0);
    send_seg(t, 2, true, 5000, SYN | ACK, NULL, 0);
    send_seg(t, 3, false, seq_at(0), ACK, stream, 100);
    send_seg(t, 4, true, 5001, RST, NULL, 0);
    cr_assert_eq(t->st.tcp_gaps, 1); /* the client's half record never completed */
    send_seg(t, 5, false, ISN, SYN, NULL, 0);
    send_seg(t, 6, false, seq_at(0), ACK, stream, stream_len);
    send_seg(t, 7, false, seq_at(stream_len), FIN | ACK, NULL, 0);
    cr_assert_eq(t->sink.n, 2);
    cr_assert_eq(t->st.tcp_gaps, 1);
    tdec_free(t);
}

Test(tcp8229, stream_cap_evicts_least_recent)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    cfg.tcp_max_streams = 2;
    struct cap_tcp *tcp = cap_tcp_new(&cfg);
    struct cap_stats st = { 0 };
    uint8_t data[8] = { 0, 40 }; /* a partial record: pending data */
    for (uint16_t p = 1; p <= 5; p++) {
        uint8_t s[40];
        size_t n = mk_tcp(s, (uint16_t)(40000 + p), 4500, 1, ACK, data, sizeof data);
        struct cap_ip ip = { .src = { .family = 4 }, .dst = { .family = 4 } };
        uint64_t frame = p;
        struct cap_pkt px = { .frames = &frame, .nframes = 1, .stats = &st };
        cap_tcp_input(tcp, &ip, rd_make(s, n), &px, NULL, NULL);
        cr_assert_leq(cap_tcp_stream_count(tcp), 2);
    }
    cr_assert_eq(st.tcp_gaps, 3); /* evicted with half a record each */
    cap_tcp_free(tcp);
}

Test(tcp8229, other_tcp_ports_are_not_ike)
{
    uint8_t s[40], p[80];
    size_t n = mk_tcp(s, 443, 50000, 1, ACK, (const uint8_t *)"hello", 5);
    n = mk_ip4(p, T_SRC4, T_DST4, 6, 1, 0, NULL, 0, s, n);
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 1, 1, p, n);
    cr_assert_eq(t->st.non_ike, 1);
    cr_assert_eq(t->st.tcp_segments, 0);
    tdec_free(t);
}
