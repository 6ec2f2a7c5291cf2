/* test_decoder.c: link layers, IPv4/IPv6 headers and UDP framing (RFC 3948) of the decoder. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <string.h>

static uint8_t ike[200];
static uint8_t udp_buf[400], ip_buf[600], frame_buf[700];

/* The IP packet a row wraps: UDP 500 -> 500 carrying `ike` over IPv4 or IPv6. */
static size_t ip_packet(unsigned ver, uint8_t *out)
{
    size_t n = mk_ike(ike, 100, 3);
    size_t u = mk_udp(udp_buf, 500, 500, ike, n);
    if (ver == 4)
        return mk_ip4(out, T_SRC4, T_DST4, 17, 7, 0, NULL, 0, udp_buf, u);
    return mk_ip6(out, T_SRC6, T_DST6, 17, NULL, 0, udp_buf, u);
}

static void assert_one_ike(struct tdec *t, unsigned ver, const char *row)
{
    cr_assert_eq(t->sink.n, 1, "%s: %zu datagrams", row, t->sink.n);
    struct got *g = &t->sink.items[0];
    cr_assert_eq(g->src.family, ver, "%s", row);
    cr_assert_eq(memcmp(g->src.bytes, ver == 4 ? T_SRC4 : T_SRC6, ver == 4 ? 4 : 16), 0, "%s", row);
    cr_assert_eq(memcmp(g->dst.bytes, ver == 4 ? T_DST4 : T_DST6, ver == 4 ? 4 : 16), 0, "%s", row);
    cr_assert_eq(g->sport, 500, "%s", row);
    cr_assert_eq(g->dport, 500, "%s", row);
    cr_assert_eq(g->framing, CAP_FRAMING_UDP, "%s", row);
    cr_assert_eq(g->len, 100, "%s", row);
    cr_assert_eq(memcmp(g->data, ike, 100), 0, "%s", row);
    cr_assert_eq(g->nframes, 1, "%s", row);
    cr_assert_eq(g->frames[0], 42, "%s", row);
    cr_assert(!g->incomplete, "%s: a whole packet is never incomplete", row);
    cr_assert_eq(t->st.ike_datagrams, 1, "%s", row);
    cr_assert_eq(t->st.incomplete_delivered, 0, "%s", row);
    cr_assert_eq(t->st.packets, 1, "%s", row);
}

struct link_row {
    const char *name;
    int dlt;
    unsigned ver;
    uint8_t hdr[32];
    size_t hlen;
};

#define ETH_MACS 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4
#define SLL_ADDR 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0

static const struct link_row link_rows[] = {
    { "ethernet v4", DLT_EN10MB, 4, { ETH_MACS, 0x08, 0x00 }, 14 },
    { "ethernet v6", DLT_EN10MB, 6, { ETH_MACS, 0x86, 0xdd }, 14 },
    { "802.1Q v4", DLT_EN10MB, 4, { ETH_MACS, 0x81, 0x00, 0x00, 0x64, 0x08, 0x00 }, 18 },
    { "802.1ad QinQ v4", DLT_EN10MB, 4,
      { ETH_MACS, 0x88, 0xa8, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x64, 0x08, 0x00 }, 22 },
    { "0x9100 QinQ v6", DLT_EN10MB, 6,
      { ETH_MACS, 0x91, 0x00, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x64, 0x86, 0xdd }, 22 },
    { "linux sll v4", DLT_LINUX_SLL, 4, { 0, 0, 0, 1, 0, 6, SLL_ADDR, 0x08, 0x00 }, 16 },
    { "linux sll v6", DLT_LINUX_SLL, 6, { 0, 4, 0, 1, 0, 6, SLL_ADDR, 0x86, 0xdd }, 16 },
    { "linux sll vlan v4", DLT_LINUX_SLL, 4,
      { 0, 0, 0, 1, 0, 6, SLL_ADDR, 0x81, 0x00, 0x00, 0x05, 0x08, 0x00 }, 20 },
    { "linux sll2 v4", DLT_LINUX_SLL2, 4,
      { 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, SLL_ADDR }, 20 },
    { "linux sll2 v6", DLT_LINUX_SLL2, 6,
      { 0x86, 0xdd, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, SLL_ADDR }, 20 },
    { "raw v4", DLT_RAW, 4, { 0 }, 0 },
    { "raw v6", DLT_RAW, 6, { 0 }, 0 },
    { "linktype raw 101 v4", 101, 4, { 0 }, 0 },
    { "ipv4 228", DLT_IPV4, 4, { 0 }, 0 },
    { "ipv6 229", DLT_IPV6, 6, { 0 }, 0 },
    { "null little-endian AF_INET", DLT_NULL, 4, { 2, 0, 0, 0 }, 4 },
    { "null big-endian AF_INET", DLT_NULL, 4, { 0, 0, 0, 2 }, 4 },
    { "null AF_INET6 24 (BSD)", DLT_NULL, 6, { 24, 0, 0, 0 }, 4 },
    { "null AF_INET6 28 (FreeBSD)", DLT_NULL, 6, { 28, 0, 0, 0 }, 4 },
    { "null AF_INET6 30 (macOS) big-endian", DLT_NULL, 6, { 0, 0, 0, 30 }, 4 },
    { "loop AF_INET", DLT_LOOP, 4, { 0, 0, 0, 2 }, 4 },
    { "loop AF_INET6", DLT_LOOP, 6, { 0, 0, 0, 24 }, 4 },
};

Test(link, every_supported_type_delivers)
{
    for (size_t i = 0; i < sizeof link_rows / sizeof link_rows[0]; i++) {
        const struct link_row *row = &link_rows[i];
        cr_assert(cap_linktype_supported(row->dlt), "%s", row->name);
        size_t ipn = ip_packet(row->ver, ip_buf);
        size_t n = mk_prefix(frame_buf, row->hdr, row->hlen, ip_buf, ipn);
        struct tdec *t = tdec_new(NULL);
        tdec_feed(t, row->dlt, 42, 1000, frame_buf, n);
        assert_one_ike(t, row->ver, row->name);
        tdec_free(t);
    }
}

struct other_row {
    const char *name;
    int dlt;
    uint8_t bytes[40];
    size_t len;
    bool undecodable; /* else non_ike */
};

static const struct other_row other_rows[] = {
    { "arp", DLT_EN10MB, { ETH_MACS, 0x08, 0x06, 0, 1, 8, 0 }, 18, false },
    { "802.3 length + LLC", DLT_EN10MB, { ETH_MACS, 0x00, 0x40, 0xaa, 0xaa, 3 }, 17, false },
    { "ethernet cut in the type", DLT_EN10MB, { ETH_MACS, 0x08 }, 13, true },
    { "vlan tag cut short", DLT_EN10MB, { ETH_MACS, 0x81, 0x00, 0x00 }, 15, true },
    { "nine vlan tags", DLT_EN10MB,
      { ETH_MACS, 0x81, 0, 0, 1, 0x81, 0, 0, 1, 0x81, 0, 0, 1, 0x81, 0, 0, 1, 0x81, 0, 0, 1,
        0x81, 0, 0, 1, 0x81, 0, 0, 1 }, 40, true },
    { "null unknown family", DLT_NULL, { 7, 0, 0, 0, 0x45 }, 5, false },
    { "null cut short", DLT_NULL, { 2, 0 }, 2, true },
    { "raw not IP", DLT_RAW, { 0x15, 0, 0 }, 3, false },
    { "raw empty", DLT_RAW, { 0 }, 0, true },
    { "sll2 cut short", DLT_LINUX_SLL2, { 0x08, 0x00, 0, 0 }, 4, true },
    { "802.11 is not supported", DLT_IEEE802_11, { 0x08, 0x00 }, 2, true },
};

Test(link, non_ip_and_broken_frames_are_counted)
{
    for (size_t i = 0; i < sizeof other_rows / sizeof other_rows[0]; i++) {
        const struct other_row *row = &other_rows[i];
        struct tdec *t = tdec_new(NULL);
        tdec_feed(t, row->dlt, 1, 1, row->bytes, row->len);
        cr_assert_eq(t->sink.n, 0, "%s", row->name);
        cr_assert_eq(t->st.undecodable, row->undecodable ? 1u : 0u, "%s", row->name);
        cr_assert_eq(t->st.non_ike, row->undecodable ? 0u : 1u, "%s", row->name);
        tdec_free(t);
    }
    cr_assert_not(cap_linktype_supported(DLT_IEEE802_11));
}

Test(ipv4, options_are_skipped)
{
    uint8_t opts[8] = { 0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00 }; /* router alert, NOPs, EOL */
    size_t n = mk_ike(ike, 100, 3);
    size_t u = mk_udp(udp_buf, 500, 500, ike, n);
    size_t ipn = mk_ip4(ip_buf, T_SRC4, T_DST4, 17, 7, 0, opts, sizeof opts, udp_buf, u);
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 42, 1, ip_buf, ipn);
    assert_one_ike(t, 4, "ihl 7");
    tdec_free(t);
}

Test(ipv4, ethernet_padding_is_not_payload)
{
    size_t ipn = ip_packet(4, ip_buf);
    memset(ip_buf + ipn, 0xee, 20); /* trailer beyond the IP total length */
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 42, 1, ip_buf, ipn + 20);
    assert_one_ike(t, 4, "padded");
    tdec_free(t);
}

Test(ipv4, bad_headers_are_undecodable)
{
    struct { const char *name; uint8_t first; uint16_t total; } rows[] = {
        { "ihl 4", 0x44, 128 },
        { "ihl 0", 0x40, 128 },
        { "total below ihl", 0x45, 19 },
        { "version 5 on raw", 0x55, 128 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t ipn = ip_packet(4, ip_buf);
        ip_buf[0] = rows[i].first;
        ip_buf[2] = (uint8_t)(rows[i].total >> 8);
        ip_buf[3] = (uint8_t)rows[i].total;
        struct tdec *t = tdec_new(NULL);
        tdec_feed(t, DLT_IPV4, 1, 1, ip_buf, ipn);
        cr_assert_eq(t->sink.n, 0, "%s", rows[i].name);
        cr_assert_eq(t->st.undecodable, 1, "%s", rows[i].name);
        tdec_free(t);
    }
}

Test(ipv4, snaplen_cut_delivers_what_was_captured)
{
    size_t ipn = ip_packet(4, ip_buf);
    struct tdec *t = tdec_new(NULL);
    tdec_feed_cut(t, DLT_RAW, 1, 1, ip_buf, ipn - 30, ipn);
    cr_assert_eq(t->sink.n, 1);
    cr_assert_eq(t->sink.items[0].len, 70);
    cr_assert_eq(memcmp(t->sink.items[0].data, ike, 70), 0);
    cr_assert(t->sink.items[0].incomplete);
    cr_assert_eq(t->st.incomplete_delivered, 1);
    cr_assert_eq(t->st.undecodable, 0);
    tdec_free(t);
}

Test(ipv4, tso_total_length_zero_uses_capture)
{
    size_t ipn = ip_packet(4, ip_buf);
    ip_buf[2] = ip_buf[3] = 0;
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 42, 1, ip_buf, ipn);
    assert_one_ike(t, 4, "tso");
    tdec_free(t);
}

Test(ipv6, extension_headers_are_walked)
{
    /* hop-by-hop (8) -> routing (24) -> destination options (16) -> UDP */
    uint8_t ext[48] = { 0 };
    ext[0] = 43; ext[1] = 0; ext[2] = 1; ext[3] = 4;        /* HBH: PadN */
    ext[8] = 60; ext[9] = 2; ext[10] = 4; ext[11] = 0;      /* routing type 4 (SRH) */
    ext[32] = 17; ext[33] = 1; ext[34] = 1; ext[35] = 12;   /* dest opts: PadN */
    size_t n = mk_ike(ike, 100, 3);
    size_t u = mk_udp(udp_buf, 500, 500, ike, n);
    size_t ipn = mk_ip6(ip_buf, T_SRC6, T_DST6, 0, ext, sizeof ext, udp_buf, u);
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_IPV6, 42, 1, ip_buf, ipn);
    assert_one_ike(t, 6, "hbh+rh+dst");
    tdec_free(t);
}

Test(ipv6, atomic_fragment_is_processed_alone)
{
    /* RFC 6946: fragment header with offset 0 and M clear. */
    uint8_t ext[8] = { 17, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef };
    size_t n = mk_ike(ike, 100, 3);
    size_t u = mk_udp(udp_buf, 500, 500, ike, n);
    size_t ipn = mk_ip6(ip_buf, T_SRC6, T_DST6, 44, ext, sizeof ext, udp_buf, u);
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_IPV6, 42, 1, ip_buf, ipn);
    assert_one_ike(t, 6, "atomic");
    cr_assert_eq(t->st.ip_fragments, 0);
    tdec_free(t);
}

Test(ipv6, no_next_header_unknown_and_truncated_ext)
{
    struct { const char *name; uint8_t nh; uint8_t ext[8]; size_t extlen; bool bad; } rows[] = {
        { "no next header", 59, { 0 }, 0, false },
        { "mobility header stops the walk", 135, { 59, 0, 0, 0, 0, 0, 0, 0 }, 8, false },
        { "hop-by-hop longer than the packet", 0, { 17, 200, 0, 0, 0, 0, 0, 0 }, 8, true },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t ipn = mk_ip6(ip_buf, T_SRC6, T_DST6, rows[i].nh, rows[i].ext, rows[i].extlen,
                            NULL, 0);
        struct tdec *t = tdec_new(NULL);
        tdec_feed(t, DLT_IPV6, 1, 1, ip_buf, ipn);
        cr_assert_eq(t->sink.n, 0, "%s", rows[i].name);
        cr_assert_eq(t->st.undecodable, rows[i].bad ? 1u : 0u, "%s", rows[i].name);
        cr_assert_eq(t->st.non_ike, rows[i].bad ? 0u : 1u, "%s", rows[i].name);
        tdec_free(t);
    }
}

/* --- UDP and RFC 3948 framing --- */

enum outcome { O_IKE, O_NONESP, O_KEEPALIVE, O_ESP, O_NONIKE, O_UNDECODABLE };

struct udp_row {
    const char *name;
    uint16_t sport, dport;
    uint8_t payload[48];
    size_t len;
    enum outcome want;
    size_t ike_off; /* where the delivered bytes start in payload */
    bool extra_port;
};

#define IKE16 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0, 0, 0, 0, 0, 0, 0, 0
static const struct udp_row udp_rows[] = {
    { "500 plain", 500, 500, { IKE16, 0x21, 0x20 }, 18, O_IKE, 0, false },
    { "500 from a NAT port", 61000, 500, { IKE16, 0x21, 0x20 }, 18, O_IKE, 0, false },
    { "4500 non-ESP marker", 4500, 4500, { 0, 0, 0, 0, IKE16 }, 20, O_NONESP, 4, false },
    { "4500 from a NAT port", 4500, 53725, { 0, 0, 0, 0, IKE16 }, 20, O_NONESP, 4, false },
    { "4500 keepalive", 4500, 4500, { 0xff }, 1, O_KEEPALIVE, 0, false },
    { "4500 ESP", 4500, 4500, { 0xf4, 0xdc, 0x0a, 0xe5, 0, 0, 0, 1 }, 8, O_ESP, 0, false },
    { "4500 marker and nothing", 4500, 4500, { 0, 0, 0, 0 }, 4, O_UNDECODABLE, 0, false },
    { "4500 two bytes", 4500, 4500, { 0, 0 }, 2, O_UNDECODABLE, 0, false },
    { "4500 single non-FF byte", 4500, 4500, { 0 }, 1, O_UNDECODABLE, 0, false },
    { "4500 empty", 4500, 4500, { 0 }, 0, O_UNDECODABLE, 0, false },
    { "500 empty", 500, 500, { 0 }, 0, O_UNDECODABLE, 0, false },
    { "500 one byte is still delivered", 500, 500, { 0x42 }, 1, O_IKE, 0, false },
    { "dns", 53, 53, { 1, 2, 3 }, 3, O_NONIKE, 0, false },
    { "extra port without --ike-port", 10500, 10500, { IKE16 }, 16, O_NONIKE, 0, false },
    { "extra port with --ike-port", 10500, 10500, { IKE16 }, 16, O_IKE, 0, true },
};

Test(udp, framing_table)
{
    for (size_t i = 0; i < sizeof udp_rows / sizeof udp_rows[0]; i++) {
        const struct udp_row *row = &udp_rows[i];
        struct cap_config cfg;
        cap_config_defaults(&cfg);
        if (row->extra_port) {
            cfg.extra_ports[0] = 10500;
            cfg.n_extra_ports = 1;
        }
        struct tdec *t = tdec_new(&cfg);
        t->sink.keep_esp = true;
        size_t ipn = mk_udp4(ip_buf, row->sport, row->dport, row->payload, row->len);
        tdec_feed(t, DLT_RAW, 9, 1, ip_buf, ipn);
        bool delivered = row->want == O_IKE || row->want == O_NONESP;
        cr_assert_eq(t->sink.n, delivered || row->want == O_ESP ? 1u : 0u, "%s", row->name);
        if (row->want == O_ESP) {
            /* ESP is handed on as evidence of a CHILD_SA: SPI and sequence number only. */
            struct got *g = &t->sink.items[0];
            cr_assert_eq(g->kind, CAP_KIND_ESP, "%s", row->name);
            cr_assert_eq(g->len, 8u, "%s", row->name);
            cr_assert_eq(memcmp(g->data, row->payload, 8), 0, "%s", row->name);
            cr_assert_eq(g->sport, row->sport, "%s", row->name);
        }
        if (delivered) {
            cr_assert_eq(t->sink.items[0].kind, CAP_KIND_IKE, "%s", row->name);
            struct got *g = &t->sink.items[0];
            cr_assert_eq(g->framing, row->want == O_IKE ? CAP_FRAMING_UDP : CAP_FRAMING_UDP_NONESP,
                         "%s", row->name);
            cr_assert_eq(g->len, row->len - row->ike_off, "%s", row->name);
            cr_assert_eq(memcmp(g->data, row->payload + row->ike_off, g->len), 0, "%s", row->name);
            cr_assert_eq(g->sport, row->sport, "%s", row->name);
            cr_assert_eq(g->dport, row->dport, "%s", row->name);
            cr_assert(!g->incomplete, "%s", row->name);
        }
        cr_assert_eq(t->st.nat_keepalives, row->want == O_KEEPALIVE ? 1u : 0u, "%s", row->name);
        cr_assert_eq(t->st.esp_in_udp, row->want == O_ESP ? 1u : 0u, "%s", row->name);
        cr_assert_eq(t->st.non_ike, row->want == O_NONIKE ? 1u : 0u, "%s", row->name);
        cr_assert_eq(t->st.undecodable, row->want == O_UNDECODABLE ? 1u : 0u, "%s", row->name);
        tdec_free(t);
    }
}

Test(esp, ip_protocol_50_is_delivered_as_esp_without_ports)
{
    static const uint8_t esp[16] = { 0xc0, 0x01, 0x02, 0x03, 0, 0, 0, 7, 0xaa, 0xbb };
    size_t ipn = mk_ip4(ip_buf, T_SRC4, T_DST4, 50, 1, 0, NULL, 0, esp, sizeof esp);
    struct tdec *t = tdec_new(NULL);
    t->sink.keep_esp = true;
    tdec_feed(t, DLT_RAW, 1, 1, ip_buf, ipn);
    cr_assert_eq(t->sink.n, 1);
    struct got *g = &t->sink.items[0];
    cr_assert_eq(g->kind, CAP_KIND_ESP);
    cr_assert_eq(g->framing, CAP_FRAMING_ESP);
    cr_assert_eq(g->sport, 0);
    cr_assert_eq(g->len, 8u);
    cr_assert_eq(memcmp(g->data, esp, 8), 0);
    cr_assert_eq(t->st.esp, 1u);
    cr_assert_eq(t->st.ike_datagrams, 0u, "ESP is not counted as IKE");
    cr_assert_eq(t->st.non_ike, 0u);
    tdec_free(t);
}

Test(esp, shorter_than_an_spi_is_dropped)
{
    static const uint8_t esp[3] = { 1, 2, 3 };
    size_t ipn = mk_ip4(ip_buf, T_SRC4, T_DST4, 50, 1, 0, NULL, 0, esp, sizeof esp);
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 1, 1, ip_buf, ipn);
    cr_assert_eq(t->sink.n, 0);
    cr_assert_eq(t->st.esp, 1u);
    tdec_free(t);
}

Test(udp, length_field_below_header_is_undecodable)
{
    size_t ipn = mk_udp4(ip_buf, 500, 500, ike, 40);
    ip_buf[20 + 4] = 0;
    ip_buf[20 + 5] = 7;
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 1, 1, ip_buf, ipn);
    cr_assert_eq(t->sink.n, 0);
    cr_assert_eq(t->st.undecodable, 1);
    tdec_free(t);
}

Test(udp, length_field_shorter_than_ip_limits_payload)
{
    mk_ike(ike, 40, 1);
    size_t ipn = mk_udp4(ip_buf, 500, 500, ike, 40);
    ip_buf[20 + 5] = 8 + 30;
    struct tdec *t = tdec_new(NULL);
    tdec_feed(t, DLT_RAW, 1, 1, ip_buf, ipn);
    cr_assert_eq(t->sink.n, 1);
    cr_assert_eq(t->sink.items[0].len, 30);
    cr_assert(!t->sink.items[0].incomplete);
    tdec_free(t);
}

Test(addr, format_and_compare)
{
    struct cap_addr a = { .family = 4, .bytes = { 192, 0, 2, 1 } };
    struct cap_addr b = { .family = 6 };
    memcpy(b.bytes, T_SRC6, 16);
    char buf[46];
    cr_assert_str_eq(cap_addr_str(&a, buf, sizeof buf), "192.0.2.1");
    cr_assert_str_eq(cap_addr_str(&b, buf, sizeof buf), "2001:db8::1");
    struct cap_addr a2 = a;
    a2.bytes[10] = 9; /* beyond the 4 bytes IPv4 uses */
    cr_assert(cap_addr_eq(&a, &a2));
    cr_assert_not(cap_addr_eq(&a, &b));
    struct cap_addr bad = { .family = 9 };
    cr_assert_str_eq(cap_addr_str(&bad, buf, sizeof buf), "?");
}

Test(config, defaults_match_the_contract)
{
    struct cap_config cfg;
    memset(&cfg, 0xa5, sizeof cfg);
    cap_config_defaults(&cfg);
    cr_assert_eq(cfg.frag_timeout_sec, 30);
    cr_assert_eq(cfg.frag_max_bytes, 4u << 20);
    cr_assert_eq(cfg.frag_max_datagrams, 1024);
    cr_assert_eq(cfg.tcp_max_streams, 256);
    cr_assert_eq(cfg.n_extra_ports, 0);
}

Test(time, a_packet_earlier_than_the_one_before_is_counted_with_its_frame)
{
    size_t ipn = mk_udp4(ip_buf, 53, 53, ike, 8);
    struct tdec *t = tdec_new(NULL);
    static const int64_t secs[] = { 100, 101, 99, 99, 102, 50 };
    for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++)
        cap_decoder_packet(t->dec, 0, DLT_RAW, i + 1, secs[i], 0, ip_buf, ipn, ipn, &t->st);
    cr_assert_eq(t->st.time_backwards, 2);
    cr_assert_eq(t->st.time_backwards_frames[0], 3);
    cr_assert_eq(t->st.time_backwards_frames[1], 6);
    cr_assert_eq(t->st.time_backwards_max_usec, 52000000u);
    tdec_free(t);
}
