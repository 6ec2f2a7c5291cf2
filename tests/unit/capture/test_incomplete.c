/* test_incomplete.c: IKE messages the capture holds only part of (snap length cuts, IP
 * fragments missing) are delivered with `incomplete` set; whole ones never are. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <string.h>

enum { IKE_LEN = 3000 };
static uint8_t ike[IKE_LEN], pl[IKE_LEN + 8], udp[IKE_LEN + 16], pkt[IKE_LEN + 200];
static size_t udp_len;

static void setup(void)
{
    mk_ike(ike, IKE_LEN, 5);
}

/* A UDP datagram carrying `n` IKE bytes, after a non-ESP marker when `natt`. */
static void build_udp(uint16_t port, bool natt, size_t n)
{
    size_t off = 0;
    if (natt) {
        memset(pl, 0, 4);
        off = 4;
    }
    memcpy(pl + off, ike, n);
    udp_len = mk_udp(udp, port, port, pl, off + n);
}

static void assert_incomplete(struct tdec *t, size_t idx, size_t len, enum cap_framing fr)
{
    cr_assert_gt(t->sink.n, idx, "%zu datagrams", t->sink.n);
    struct got *g = &t->sink.items[idx];
    cr_assert(g->incomplete);
    cr_assert_eq(g->framing, fr);
    cr_assert_eq(g->len, len, "%zu bytes, want %zu", g->len, len);
    cr_assert_eq(memcmp(g->data, ike, len), 0, "delivered bytes are not the message's prefix");
}

/* --- snap length --- */

Test(snaplen, udp500_ipv4_cut_is_delivered_incomplete, .init = setup)
{
    build_udp(500, false, 400);
    size_t n = mk_ip4(pkt, T_SRC4, T_DST4, 17, 1, 0, NULL, 0, udp, udp_len);
    struct tdec *t = tdec_new(NULL);
    tdec_feed_cut(t, DLT_RAW, 7, 1, pkt, 20 + 8 + 100, n);
    assert_incomplete(t, 0, 100, CAP_FRAMING_UDP);
    cr_assert_eq(t->sink.items[0].frames[0], 7);
    cr_assert_eq(t->st.ike_datagrams, 1);
    cr_assert_eq(t->st.incomplete_delivered, 1);
    cr_assert_eq(t->st.undecodable, 0);
    tdec_free(t);
}

Test(snaplen, udp4500_cut_after_the_marker_is_delivered_incomplete, .init = setup)
{
    build_udp(4500, true, 400);
    uint8_t eth[1000];
    size_t ipn = mk_ip4(pkt, T_SRC4, T_DST4, 17, 1, 0, NULL, 0, udp, udp_len);
    size_t n = mk_eth(eth, NULL, 0, 0x0800, pkt, ipn);
    struct tdec *t = tdec_new(NULL);
    tdec_feed_cut(t, DLT_EN10MB, 1, 1, eth, 14 + 20 + 8 + 4 + 50, n);
    assert_incomplete(t, 0, 50, CAP_FRAMING_UDP_NONESP);
    cr_assert_eq(t->st.incomplete_delivered, 1);
    tdec_free(t);
}

Test(snaplen, udp500_ipv6_cut_is_delivered_incomplete, .init = setup)
{
    build_udp(500, false, 400);
    size_t n = mk_ip6(pkt, T_SRC6, T_DST6, 17, NULL, 0, udp, udp_len);
    struct tdec *t = tdec_new(NULL);
    tdec_feed_cut(t, DLT_IPV6, 1, 1, pkt, 40 + 8 + 1, n);
    assert_incomplete(t, 0, 1, CAP_FRAMING_UDP);
    tdec_free(t);
}

/* Cuts that leave nothing to show, or nothing to tell ESP from IKE, stay undecodable. */
Test(snaplen, cuts_without_ike_bytes_are_undecodable, .init = setup)
{
    struct { const char *name; uint16_t port; bool natt; size_t keep; } rows[] = {
        { "inside the UDP header", 500, false, 20 + 5 },
        { "right after the UDP header, 500", 500, false, 20 + 8 },
        { "right after the UDP header, 4500", 4500, true, 20 + 8 },
        { "inside the non-ESP marker", 4500, true, 20 + 8 + 2 },
        { "the marker alone", 4500, true, 20 + 8 + 4 },
        { "inside the IP header", 500, false, 12 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        build_udp(rows[i].port, rows[i].natt, 300);
        size_t n = mk_ip4(pkt, T_SRC4, T_DST4, 17, 1, 0, NULL, 0, udp, udp_len);
        struct tdec *t = tdec_new(NULL);
        tdec_feed_cut(t, DLT_RAW, 1, 1, pkt, rows[i].keep, n);
        cr_assert_eq(t->sink.n, 0, "%s", rows[i].name);
        cr_assert_eq(t->st.undecodable, 1, "%s", rows[i].name);
        tdec_free(t);
    }
}

/* One 0xFF byte on 4500 of a longer packet is the start of an SPI, not a keepalive. */
Test(snaplen, cut_ff_byte_is_not_a_keepalive, .init = setup)
{
    uint8_t esp[40];
    memset(esp, 0xff, sizeof esp);
    size_t u = mk_udp(udp, 4500, 4500, esp, sizeof esp);
    size_t n = mk_ip4(pkt, T_SRC4, T_DST4, 17, 1, 0, NULL, 0, udp, u);
    struct tdec *t = tdec_new(NULL);
    tdec_feed_cut(t, DLT_RAW, 1, 1, pkt, 20 + 8 + 1, n);
    cr_assert_eq(t->st.nat_keepalives, 0);
    cr_assert_eq(t->st.undecodable, 1);
    tdec_free(t);
}

/* The headers must be intact: impossible values stay undecodable even when cut. */
Test(snaplen, impossible_headers_stay_undecodable, .init = setup)
{
    struct { const char *name; size_t at; uint8_t val; } rows[] = {
        { "IHL 4", 0, 0x44 },
        { "total length below the header", 3, 12 },
        { "UDP length 7", 20 + 5, 7 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        build_udp(500, false, 300);
        size_t n = mk_ip4(pkt, T_SRC4, T_DST4, 17, 1, 0, NULL, 0, udp, udp_len);
        if (rows[i].at == 3)
            pkt[2] = 0;
        if (rows[i].at == 20 + 5)
            pkt[20 + 4] = 0;
        pkt[rows[i].at] = rows[i].val;
        struct tdec *t = tdec_new(NULL);
        tdec_feed_cut(t, DLT_RAW, 1, 1, pkt, 100, n);
        cr_assert_eq(t->sink.n, 0, "%s", rows[i].name);
        cr_assert_eq(t->st.undecodable, 1, "%s", rows[i].name);
        tdec_free(t);
    }
}

/* Total length 0 (segmentation offload): only the wire length can tell a cut. */
Test(snaplen, total_length_zero_uses_the_wire_length, .init = setup)
{
    build_udp(500, false, 300);
    size_t n = mk_ip4(pkt, T_SRC4, T_DST4, 17, 1, 0, NULL, 0, udp, udp_len);
    pkt[2] = pkt[3] = 0;
    struct tdec *t = tdec_new(NULL);
    tdec_feed_cut(t, DLT_RAW, 1, 1, pkt, 128, n);
    assert_incomplete(t, 0, 100, CAP_FRAMING_UDP);
    tdec_feed_cut(t, DLT_RAW, 2, 1, pkt, n, n);
    cr_assert_eq(t->sink.n, 2);
    cr_assert(!t->sink.items[1].incomplete);
    cr_assert_eq(t->sink.items[1].len, 300);
    tdec_free(t);
}

/* A cut that only removes link-layer bytes after the IP datagram loses nothing. */
Test(snaplen, cut_in_the_ethernet_trailer_is_complete, .init = setup)
{
    build_udp(500, false, 20);
    uint8_t eth[200];
    size_t ipn = mk_ip4(pkt, T_SRC4, T_DST4, 17, 1, 0, NULL, 0, udp, udp_len);
    size_t n = mk_eth(eth, NULL, 0, 0x0800, pkt, ipn);
    memset(eth + n, 0, 20); /* padding and FCS on the wire */
    struct tdec *t = tdec_new(NULL);
    tdec_feed_cut(t, DLT_EN10MB, 1, 1, eth, n + 2, n + 20);
    cr_assert_eq(t->sink.n, 1);
    cr_assert(!t->sink.items[0].incomplete);
    cr_assert_eq(t->sink.items[0].len, 20);
    cr_assert_eq(t->st.incomplete_delivered, 0);
    tdec_free(t);
}

/* A UDP length larger than an IP datagram captured whole is a lying header, not a cut
 * (tcpdump's isakmp-delete-segfault.pcap): delivered as the IP length says, not flagged. */
Test(snaplen, udp_length_beyond_a_whole_ip_datagram_is_not_a_cut, .init = setup)
{
    build_udp(500, false, 138);
    size_t n = mk_ip4(pkt, T_SRC4, T_DST4, 17, 1, 0, NULL, 0, udp, udp_len);
    pkt[20 + 4] = 0x01;
    pkt[20 + 5] = 0xc8; /* 456 */
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 1, 1, pkt, n);
    cr_assert_eq(t->sink.n, 1);
    cr_assert_eq(t->sink.items[0].len, 138);
    cr_assert(!t->sink.items[0].incomplete);
    tdec_free(t);
}

/* --- IP fragments missing from the capture --- */

/* Fragment [off, off+len) of the UDP datagram in `udp` as IPv4, id 77. */
static size_t frag4(size_t off, size_t len, bool more)
{
    uint16_t ff = (uint16_t)((more ? 0x2000 : 0) | (off / 8));
    return mk_ip4(pkt, T_SRC4, T_DST4, 17, 77, ff, NULL, 0, udp + off, len);
}

static size_t frag6(size_t off, size_t len, bool more)
{
    uint16_t om = (uint16_t)((off / 8) << 3 | (more ? 1 : 0));
    uint8_t fh[8] = { 17, 0, (uint8_t)(om >> 8), (uint8_t)om, 0, 0, 0, 77 };
    return mk_ip6(pkt, T_SRC6, T_DST6, 44, fh, sizeof fh, udp + off, len);
}

/* 3000 IKE bytes + 8 = 3008: fragments [0,1480) [1480,2960) [2960,3008). */
static const size_t offs[3] = { 0, 1480, 2960 };
static size_t flen(int i) { return i < 2 ? 1480 : udp_len - 2960; }

static void feed(struct tdec *t, int i, uint64_t frame, int64_t sec, uint32_t usec)
{
    size_t n = frag4(offs[i], flen(i), i < 2);
    cap_decoder_packet(t->dec, 0, DLT_RAW, frame, sec, usec, pkt, n, n, &t->st);
}

Test(fragments, first_only_is_delivered_at_timeout_with_its_frame, .init = setup)
{
    build_udp(500, false, IKE_LEN);
    struct tdec *t = tdec_new(NULL);
    feed(t, 0, 12, 1000, 250);
    cap_decoder_expire(t->dec, 1030, &t->st);
    cr_assert_eq(t->sink.n, 0, "not before the timeout");
    cap_decoder_expire(t->dec, 1031, &t->st);
    assert_incomplete(t, 0, 1480 - 8, CAP_FRAMING_UDP);
    struct got *g = &t->sink.items[0];
    cr_assert_eq(g->nframes, 1);
    cr_assert_eq(g->frames[0], 12);
    cr_assert_eq(g->ts_sec, 1000);
    cr_assert_eq(g->ts_usec, 250);
    cr_assert_eq(g->sport, 500);
    cr_assert_eq(memcmp(g->src.bytes, T_SRC4, 4), 0);
    cr_assert_eq(t->st.frag_timeouts, 1);
    cr_assert_eq(t->st.ike_datagrams, 1);
    cr_assert_eq(t->st.incomplete_delivered, 1);
    cr_assert_eq(t->st.reassembled, 0);
    tdec_free(t);
}

Test(fragments, first_only_is_delivered_at_end_of_input, .init = setup)
{
    build_udp(500, false, IKE_LEN);
    struct tdec *t = tdec_new(NULL);
    feed(t, 0, 3, 50, 0);
    cap_decoder_expire_input(t->dec, 0, INT64_MAX, &t->st); /* what cap_files_run does last */
    assert_incomplete(t, 0, 1480 - 8, CAP_FRAMING_UDP);
    cr_assert_eq(t->sink.items[0].frames[0], 3);
    cr_assert_eq(t->st.frag_timeouts, 1);
    tdec_free(t);
}

Test(fragments, first_and_third_of_three_give_the_prefix_up_to_the_hole, .init = setup)
{
    build_udp(500, false, IKE_LEN);
    struct tdec *t = tdec_new(NULL);
    feed(t, 2, 5, 100, 1); /* out of order: the last one first */
    feed(t, 0, 6, 100, 9);
    cap_decoder_expire(t->dec, 200, &t->st);
    assert_incomplete(t, 0, 1480 - 8, CAP_FRAMING_UDP);
    struct got *g = &t->sink.items[0];
    cr_assert_eq(g->nframes, 2);
    cr_assert_eq(g->frames[0], 5);
    cr_assert_eq(g->frames[1], 6);
    cr_assert_eq(g->ts_usec, 9, "the time of the last fragment seen");
    tdec_free(t);
}

Test(fragments, first_and_second_of_three_give_both, .init = setup)
{
    build_udp(500, false, IKE_LEN);
    struct tdec *t = tdec_new(NULL);
    feed(t, 0, 1, 100, 0);
    feed(t, 1, 2, 101, 0);
    cap_decoder_expire(t->dec, 200, &t->st);
    assert_incomplete(t, 0, 2960 - 8, CAP_FRAMING_UDP);
    cr_assert_eq(t->sink.items[0].ts_sec, 101);
    tdec_free(t);
}

Test(fragments, without_the_first_nothing_is_delivered, .init = setup)
{
    build_udp(500, false, IKE_LEN);
    struct tdec *t = tdec_new(NULL);
    feed(t, 1, 1, 100, 0);
    feed(t, 2, 2, 100, 0);
    cap_decoder_expire(t->dec, 200, &t->st);
    cr_assert_eq(t->sink.n, 0);
    cr_assert_eq(t->st.frag_timeouts, 1);
    cr_assert_eq(t->st.ike_datagrams, 0);
    tdec_free(t);
}

Test(fragments, all_three_are_complete_and_never_flagged, .init = setup)
{
    build_udp(500, false, IKE_LEN);
    struct tdec *t = tdec_new(NULL);
    feed(t, 1, 1, 100, 0);
    feed(t, 0, 2, 100, 0);
    feed(t, 2, 3, 100, 0);
    cap_decoder_expire_input(t->dec, 0, INT64_MAX, &t->st);
    cr_assert_eq(t->sink.n, 1);
    cr_assert(!t->sink.items[0].incomplete);
    cr_assert_eq(t->sink.items[0].len, IKE_LEN);
    cr_assert_eq(t->st.incomplete_delivered, 0);
    cr_assert_eq(t->st.frag_timeouts, 0);
    tdec_free(t);
}

Test(fragments, natt_first_fragment_keeps_its_framing, .init = setup)
{
    build_udp(4500, true, IKE_LEN - 4);
    struct tdec *t = tdec_new(NULL);
    feed(t, 0, 1, 100, 0);
    cap_decoder_expire(t->dec, 200, &t->st);
    assert_incomplete(t, 0, 1480 - 8 - 4, CAP_FRAMING_UDP_NONESP);
    tdec_free(t);
}

Test(fragments, ipv6_first_fragment_only, .init = setup)
{
    build_udp(500, false, IKE_LEN);
    struct tdec *t = tdec_new(NULL);
    size_t n = frag6(0, 1232, true);
    tdec_feed(t, DLT_IPV6, 4, 100, pkt, n);
    cap_decoder_expire_input(t->dec, 0, INT64_MAX, &t->st);
    assert_incomplete(t, 0, 1232 - 8, CAP_FRAMING_UDP);
    cr_assert_eq(t->sink.items[0].src.family, 6);
    tdec_free(t);
}

/* Other traffic gets the same treatment as a reassembled datagram: counted, not delivered. */
Test(fragments, first_fragment_of_other_udp_is_non_ike, .init = setup)
{
    build_udp(53, false, IKE_LEN);
    struct tdec *t = tdec_new(NULL);
    feed(t, 0, 1, 100, 0);
    cap_decoder_expire(t->dec, 200, &t->st);
    cr_assert_eq(t->sink.n, 0);
    cr_assert_eq(t->st.non_ike, 1);
    cr_assert_eq(t->st.frag_timeouts, 1);
    tdec_free(t);
}

/* A first fragment cut by the snap length is the longest prefix there will ever be:
 * delivered at once. The later fragments can only time out. */
Test(fragments, snaplen_cut_first_fragment_is_delivered_at_once, .init = setup)
{
    build_udp(500, false, IKE_LEN);
    struct tdec *t = tdec_new(NULL);
    size_t n = frag4(0, 1480, true);
    tdec_feed_cut(t, DLT_RAW, 1, 100, pkt, 20 + 8 + 60, n);
    assert_incomplete(t, 0, 60, CAP_FRAMING_UDP);
    cr_assert_eq(t->sink.items[0].frames[0], 1);
    cr_assert_eq(t->st.ip_fragments, 0);
    feed(t, 1, 2, 100, 0);
    feed(t, 2, 3, 100, 0);
    cap_decoder_expire_input(t->dec, 0, INT64_MAX, &t->st);
    cr_assert_eq(t->sink.n, 1, "no second delivery");
    cr_assert_eq(t->st.frag_timeouts, 1);
    tdec_free(t);
}

Test(fragments, snaplen_cut_first_fragment_ipv6, .init = setup)
{
    build_udp(4500, true, IKE_LEN - 4);
    struct tdec *t = tdec_new(NULL);
    size_t n = frag6(0, 1232, true);
    tdec_feed_cut(t, DLT_IPV6, 1, 100, pkt, 48 + 8 + 4 + 10, n);
    assert_incomplete(t, 0, 10, CAP_FRAMING_UDP_NONESP);
    tdec_free(t);
}

/* A memory-cap eviction hands over the evicted datagram's prefix, counted in the stats of
 * the call that evicted it. */
Test(fragments, eviction_delivers_the_prefix, .init = setup)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    cfg.frag_max_datagrams = 1;
    build_udp(500, false, IKE_LEN);
    struct tdec *t = tdec_new(&cfg);
    feed(t, 0, 1, 100, 0);
    size_t n = mk_ip4(pkt, T_SRC4, T_DST4, 17, 78, 0x2000, NULL, 0, udp, 1480);
    tdec_feed(t, DLT_RAW, 2, 100, pkt, n);
    cr_assert_eq(t->st.frag_cap_hits, 1);
    assert_incomplete(t, 0, 1480 - 8, CAP_FRAMING_UDP);
    cr_assert_eq(t->sink.items[0].frames[0], 1);
    tdec_free(t);
}
