/* test_icmp.c: ICMP and ICMPv6 errors that quote an IKE datagram are delivered as
 * CAP_KIND_ICMP_ERROR with the quoted datagram's endpoints; others are not IKE. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <string.h>

static uint8_t ike[120], udp[200], quoted[300], icmp[400], pkt[500];

/* An ICMPv4 message: type, code, the 4-byte rest-of-header, then `body`. */
static size_t mk_icmp(uint8_t type, uint8_t code, uint32_t rest, const uint8_t *body, size_t n)
{
    icmp[0] = type;
    icmp[1] = code;
    icmp[2] = icmp[3] = 0; /* checksums are never checked */
    icmp[4] = (uint8_t)(rest >> 24);
    icmp[5] = (uint8_t)(rest >> 16);
    icmp[6] = (uint8_t)(rest >> 8);
    icmp[7] = (uint8_t)rest;
    memcpy(icmp + 8, body, n);
    return 8 + n;
}

/* T_SRC4:500 -> T_DST4:500 IKE, quoted whole or cut to `keep` bytes of IP datagram. */
static size_t quoted_v4(uint16_t sport, uint16_t dport, const uint8_t *payload, size_t n, size_t keep)
{
    size_t u = mk_udp(udp, sport, dport, payload, n);
    size_t q = mk_ip4(quoted, T_SRC4, T_DST4, 17, 9, 0, NULL, 0, udp, u);
    return keep < q ? keep : q;
}

/* The responder host (T_DST4) answers the initiator (T_SRC4). */
static void feed_icmp4(struct tdec *t, uint8_t type, uint8_t code, uint32_t rest, size_t qlen)
{
    size_t i = mk_icmp(type, code, rest, quoted, qlen);
    size_t p = mk_ip4(pkt, T_DST4, T_SRC4, 1, 3, 0, NULL, 0, icmp, i);
    tdec_feed(t, DLT_RAW, 7, 100, pkt, p);
}

Test(icmp, port_unreachable_quoting_the_ike_header)
{
    struct tdec *t = tdec_new(NULL);
    size_t n = mk_ike(ike, 100, 5);
    feed_icmp4(t, 3, 3, 0, quoted_v4(500, 500, ike, n, 20 + 8 + 100));
    cr_assert_eq(t->sink.n, 1);
    struct got *g = &t->sink.items[0];
    cr_assert_eq(g->kind, CAP_KIND_ICMP_ERROR);
    cr_assert_eq(g->icmp.type, 3);
    cr_assert_eq(g->icmp.code, 3);
    cr_assert_eq(memcmp(g->icmp.from.bytes, T_DST4, 4), 0, "the error comes from the responder host");
    cr_assert_eq(memcmp(g->src.bytes, T_SRC4, 4), 0, "src is the quoted datagram's sender");
    cr_assert_eq(memcmp(g->dst.bytes, T_DST4, 4), 0);
    cr_assert_eq(g->sport, 500);
    cr_assert_eq(g->dport, 500);
    cr_assert_eq(g->framing, CAP_FRAMING_UDP);
    cr_assert_eq(g->len, 100);
    cr_assert_eq(memcmp(g->data, ike, 100), 0);
    cr_assert(g->incomplete);
    cr_assert_eq(g->frames[0], 7);
    cr_assert_eq(t->st.icmp_errors, 1);
    cr_assert_eq(t->st.ike_datagrams, 0, "an ICMP error is not an IKE message");
    tdec_free(t);
}

Test(icmp, only_udp_header_quoted)
{
    /* RFC 792: the IP header and 64 bits of data, i.e. the UDP header and nothing more. */
    struct tdec *t = tdec_new(NULL);
    size_t n = mk_ike(ike, 100, 5);
    feed_icmp4(t, 3, 13, 0, quoted_v4(500, 500, ike, n, 20 + 8));
    cr_assert_eq(t->sink.n, 1);
    cr_assert_eq(t->sink.items[0].kind, CAP_KIND_ICMP_ERROR);
    cr_assert_eq(t->sink.items[0].len, 0);
    cr_assert_eq(t->sink.items[0].icmp.code, 13);
    tdec_free(t);
}

Test(icmp, fragmentation_needed_carries_the_mtu)
{
    struct tdec *t = tdec_new(NULL);
    size_t n = mk_ike(ike, 100, 5);
    feed_icmp4(t, 3, 4, 1400, quoted_v4(500, 500, ike, n, 20 + 8 + 28));
    cr_assert_eq(t->sink.n, 1);
    cr_assert_eq(t->sink.items[0].icmp.mtu, 1400);
    tdec_free(t);
}

Test(icmp, natt_marker_is_skipped_and_esp_is_not_ike)
{
    struct tdec *t = tdec_new(NULL);
    uint8_t body[40] = { 0, 0, 0, 0 };
    mk_ike(body + 4, 30, 2);
    feed_icmp4(t, 3, 3, 0, quoted_v4(4500, 4500, body, 34, 20 + 8 + 34));
    cr_assert_eq(t->sink.n, 1);
    cr_assert_eq(t->sink.items[0].framing, CAP_FRAMING_UDP_NONESP);
    cr_assert_eq(t->sink.items[0].len, 30);
    cr_assert_eq(memcmp(t->sink.items[0].data, body + 4, 30), 0);

    uint8_t esp[40] = { 0, 0, 0x10, 0x01 }; /* a non-zero SPI: ESP in UDP */
    feed_icmp4(t, 3, 3, 0, quoted_v4(4500, 4500, esp, 40, 20 + 8 + 40));
    cr_assert_eq(t->sink.n, 1, "an error about ESP-in-UDP is not about IKE");
    cr_assert_eq(t->st.non_ike, 1);
    tdec_free(t);
}

Test(icmp, errors_about_other_traffic_and_other_types_are_not_ike)
{
    struct tdec *t = tdec_new(NULL);
    uint8_t dns[20] = { 0 };
    feed_icmp4(t, 3, 3, 0, quoted_v4(5353, 53, dns, 20, 20 + 8 + 20));
    size_t n = mk_ike(ike, 100, 5);
    feed_icmp4(t, 8, 0, 0, quoted_v4(500, 500, ike, n, 20 + 8 + 100)); /* echo request */
    feed_icmp4(t, 11, 0, 0, quoted_v4(500, 500, ike, n, 20 + 8 + 100)); /* time exceeded */
    cr_assert_eq(t->sink.n, 0);
    cr_assert_eq(t->st.non_ike, 3);
    tdec_free(t);
}

Test(icmp, hostile_quotes_are_counted_not_trusted)
{
    struct tdec *t = tdec_new(NULL);
    /* Every prefix of a valid error: nothing crashes, nothing short of the UDP ports is IKE. */
    size_t n = mk_ike(ike, 100, 5);
    size_t q = quoted_v4(500, 500, ike, n, 20 + 8 + 100);
    size_t full = mk_icmp(3, 3, 0, quoted, q);
    uint8_t copy[400];
    memcpy(copy, icmp, full);
    for (size_t cut = 0; cut < 8 + 20 + 4; cut++) {
        size_t p = mk_ip4(pkt, T_DST4, T_SRC4, 1, 3, 0, NULL, 0, copy, cut);
        tdec_feed(t, DLT_RAW, 7, 100, pkt, p);
    }
    cr_assert_eq(t->sink.n, 0);
    cr_assert_eq(t->st.undecodable + t->st.non_ike, 8 + 20 + 4);
    tdec_free(t);
}

Test(icmp, icmpv6_packet_too_big)
{
    struct tdec *t = tdec_new(NULL);
    size_t n = mk_ike(ike, 100, 5);
    size_t u = mk_udp(udp, 500, 500, ike, n);
    size_t q = mk_ip6(quoted, T_SRC6, T_DST6, 17, NULL, 0, udp, u);
    size_t i = mk_icmp(2, 0, 1280, quoted, q);
    const uint8_t router[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 9, [15] = 1 };
    size_t p = mk_ip6(pkt, router, T_SRC6, 58, NULL, 0, icmp, i);
    tdec_feed(t, DLT_RAW, 3, 100, pkt, p);
    cr_assert_eq(t->sink.n, 1);
    struct got *g = &t->sink.items[0];
    cr_assert_eq(g->kind, CAP_KIND_ICMP_ERROR);
    cr_assert_eq(g->icmp.from.family, 6);
    cr_assert_eq(memcmp(g->icmp.from.bytes, router, 16), 0);
    cr_assert_eq(g->icmp.type, 2);
    cr_assert_eq(g->icmp.mtu, 1280);
    cr_assert_eq(memcmp(g->dst.bytes, T_DST6, 16), 0);
    cr_assert_eq(g->len, 100);
    tdec_free(t);
}
