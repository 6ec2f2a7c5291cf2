/* test_msg.c: ike_msg_parse / ike_msg_add_inner / ike_payload_label over real and crafted messages. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "ike/msg.h"
#include "ike/names.h"
#include "ike/vendor.h"

/* Space-separated labels of every payload; initiator side from the header
 * (IKEv2 I flag) or from the test table (IKEv1 has no such flag). */
static void labels(const struct ike_msg *m, bool from_initiator, char *out, size_t len)
{
    char b[64];
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; i < m->npayloads; i++) {
        int n = snprintf(out + w, len - w, "%s%s", i ? " " : "",
                         ike_payload_label(m->version, &m->payloads[i], from_initiator, b, sizeof b));
        cr_assert(n > 0 && (size_t)n < len - w, "label buffer too small");
        w += (size_t)n;
    }
}

static bool has_anomaly(const struct ike_msg *m, enum ike_anomaly a)
{
    for (size_t i = 0; i < m->nanomalies; i++)
        if (m->anomalies[i] == a)
            return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* Real messages: labels as tshark -V lists the payloads. */

struct golden {
    const char *file;
    unsigned frame;
    uint8_t version;
    const char *exchange;
    bool v1_from_initiator;  /* IKEv1 only */
    bool encrypted;
    const char *labels;
};

static const struct golden goldens[] = {
    { .file = "tcpdump/ikev2pI2.pcap", .frame = 1, .version = 2, .exchange = "IKE_SA_INIT",
      .labels = "SA KE Ni V" },
    { .file = "tcpdump/ikev2pI2.pcap", .frame = 2, .version = 2, .exchange = "IKE_AUTH",
      .encrypted = true, .labels = "SK" },
    { .file = "tcpdump/ikev2four.pcap", .frame = 2, .version = 2, .exchange = "IKE_SA_INIT",
      .labels = "N(COOKIE)" },
    { .file = "tcpdump/ikev2four.pcap", .frame = 3, .version = 2, .exchange = "IKE_SA_INIT",
      .labels = "N(COOKIE) SA KE Ni N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP)" },
    { .file = "tcpdump/ikev2four.pcap", .frame = 4, .version = 2, .exchange = "IKE_SA_INIT",
      .labels = "SA KE Nr N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP)" },
    { .file = "tcpdump/ikev2four.pcap", .frame = 7, .version = 2, .exchange = "CREATE_CHILD_SA",
      .encrypted = true, .labels = "SK" },
    { .file = "zeek-plugin-ikev2/ikev2.pcap", .frame = 2, .version = 2, .exchange = "IKE_SA_INIT",
      .labels = "N(INVALID_KE_PAYLOAD)" },
    { .file = "zeek-plugin-ikev2/ikev2.pcap", .frame = 4, .version = 2, .exchange = "IKE_SA_INIT",
      .labels = "SA KE Nr N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP) "
                "N(IKEV2_FRAGMENTATION_SUPPORTED) N(SIGNATURE_HASH_ALGORITHMS) "
                "N(CHILDLESS_IKEV2_SUPPORTED) N(MULTIPLE_AUTH_SUPPORTED)" },
    { .file = "zeek-plugin-ikev2/ikev2.pcap", .frame = 5, .version = 2, .exchange = "IKE_AUTH",
      .encrypted = true, .labels = "SKF" },
    { .file = "zeek-spicy-ipsec/ipsec_client.pcap", .frame = 1, .version = 2,
      .exchange = "IKE_SA_INIT",
      .labels = "SA KE Ni N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP) V V V V" },
    { .file = "suricata-verify/ikev2-weak-dh/IKEv2_SA_INIT_2-8-weak.pcap", .frame = 1,
      .version = 2, .exchange = "IKE_SA_INIT", .labels = "Ni KE SA" },
    { .file = "zeek-spicy-ipsec/ipsec.cap", .frame = 1, .version = 1, .exchange = "MAIN_MODE",
      .v1_from_initiator = true, .labels = "SA VID VID VID VID VID VID VID VID VID" },
    { .file = "zeek-spicy-ipsec/ipsec.cap", .frame = 3, .version = 1, .exchange = "INFORMATIONAL",
      .labels = "N(NO_PROPOSAL_CHOSEN)" },
    { .file = "zeek-spicy-ipsec/ipsec.cap", .frame = 5, .version = 1, .exchange = "MAIN_MODE",
      .v1_from_initiator = true, .labels = "KE Ni NAT-D NAT-D" },
    { .file = "zeek-spicy-ipsec/ipsec.cap", .frame = 6, .version = 1, .exchange = "MAIN_MODE",
      .labels = "KE Nr NAT-D NAT-D" },
    { .file = "zeek-spicy-ipsec/ipsec.cap", .frame = 9, .version = 1, .exchange = "QUICK_MODE",
      .encrypted = true, .labels = "" },
    { .file = "zeek-spicy-ipsec/ikev1-certs.pcap", .frame = 4, .version = 1,
      .exchange = "MAIN_MODE", .labels = "KE Nr CR" },
    { .file = "zeek-spicy-ipsec/ipsec-ikev1-isakmp-aggressive-mode.pcap", .frame = 1,
      .version = 1, .exchange = "AGGRESSIVE_MODE", .v1_from_initiator = true,
      .labels = "SA VID VID VID VID KE Ni IDii VID VID VID" },
    { .file = "zeek-spicy-ipsec/ipsec-ikev1-isakmp-aggressive-mode.pcap", .frame = 2,
      .version = 1, .exchange = "AGGRESSIVE_MODE",
      .labels = "SA VID VID VID VID VID KE IDir Nr HASH NAT-D NAT-D" },
};

Test(msg, golden_real_messages)
{
    for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++) {
        const struct golden *g = &goldens[i];
        struct fx_capture c;
        fx_load(g->file, &c);
        const struct fx_datagram *d = fx_frame(&c, g->frame);
        cr_assert_not_null(d, "%s: no IKE datagram in frame %u", g->file, g->frame);

        struct ike_msg m;
        char xb[IKE_NAME_BUF], lb[1024];
        cr_assert_eq(ike_msg_parse(&m, d->data, d->len), IKE_PARSE_OK, "%s#%u", g->file, g->frame);
        cr_expect_eq(m.version, g->version, "%s#%u version", g->file, g->frame);
        cr_expect_str_eq(ike_exchange_name(m.version, m.exchange, xb, sizeof xb), g->exchange,
                         "%s#%u", g->file, g->frame);
        cr_expect_eq(m.encrypted, g->encrypted, "%s#%u encrypted", g->file, g->frame);
        cr_expect_eq(m.nanomalies, 0, "%s#%u: unexpected anomaly %s", g->file, g->frame,
                     m.nanomalies ? ike_anomaly_name(m.anomalies[0]) : "");
        cr_expect_eq(m.length, d->len);
        bool init = m.version == 2 ? m.initiator_flag : g->v1_from_initiator;
        labels(&m, init, lb, sizeof lb);
        cr_expect_str_eq(lb, g->labels, "%s#%u", g->file, g->frame);
        cr_expect_eq(memcmp(m.raw, d->data, d->len), 0, "raw copy");
        ike_msg_cleanup(&m);
        fx_free(&c);
    }
}

Test(msg, quick_look_fields_from_real_messages)
{
    struct fx_capture c;
    struct ike_msg m;

    /* IKE_SA_INIT answered with INVALID_KE_PAYLOAD, then the RFC 7383 fragments. */
    fx_load("zeek-plugin-ikev2/ikev2.pcap", &c);
    cr_assert_eq(ike_msg_parse(&m, fx_frame(&c, 2)->data, fx_frame(&c, 2)->len), IKE_PARSE_OK);
    cr_expect(m.response);
    cr_expect_not(m.initiator_flag);
    cr_expect_eq(m.payloads[0].notify_type, 17);
    cr_expect(ike_notify_is_error(2, m.payloads[0].notify_type));
    ike_msg_cleanup(&m);

    cr_assert_eq(ike_msg_parse(&m, fx_frame(&c, 4)->data, fx_frame(&c, 4)->len), IKE_PARSE_OK);
    cr_expect_eq(m.payloads[1].type, 34);
    cr_expect_neq(m.payloads[1].dh_group, 0, "KE group read");
    ike_msg_cleanup(&m);

    cr_assert_eq(ike_msg_parse(&m, fx_frame(&c, 5)->data, fx_frame(&c, 5)->len), IKE_PARSE_OK);
    cr_expect_eq(m.payloads[0].type, 53);
    cr_expect_eq(m.payloads[0].next_inner, 35, "first fragment names IDi");
    cr_expect_eq(m.payloads[0].frag_num, 1);
    cr_expect_eq(m.payloads[0].frag_total, 2);
    ike_msg_cleanup(&m);

    cr_assert_eq(ike_msg_parse(&m, fx_frame(&c, 6)->data, fx_frame(&c, 6)->len), IKE_PARSE_OK);
    cr_expect_eq(m.payloads[0].next_inner, 0, "RFC 7383 §2.5: later fragments carry 0");
    cr_expect_eq(m.payloads[0].frag_num, 2);
    cr_expect_eq(m.payloads[0].frag_total, 2);
    ike_msg_cleanup(&m);

    cr_assert_eq(ike_msg_parse(&m, fx_frame(&c, 7)->data, fx_frame(&c, 7)->len), IKE_PARSE_OK);
    cr_expect_eq(m.payloads[0].type, 46);
    cr_expect_eq(m.payloads[0].next_inner, 41);
    ike_msg_cleanup(&m);
    fx_free(&c);

    /* IKEv1 informational NO_PROPOSAL_CHOSEN and vendor IDs. */
    fx_load("zeek-spicy-ipsec/ipsec.cap", &c);
    cr_assert_eq(ike_msg_parse(&m, fx_frame(&c, 3)->data, fx_frame(&c, 3)->len), IKE_PARSE_OK);
    cr_expect_eq(m.payloads[0].notify_type, 14);
    cr_expect_eq(m.payloads[0].protocol_id, 1);
    ike_msg_cleanup(&m);
    cr_assert_eq(ike_msg_parse(&m, fx_frame(&c, 1)->data, fx_frame(&c, 1)->len), IKE_PARSE_OK);
    cr_expect_eq(m.payloads[0].vendor, -1, "SA is not a vendor ID");
    cr_expect_str_eq(ike_vendor_name(m.payloads[1].vendor), "strongSwan");
    ike_msg_cleanup(&m);
    cr_assert_eq(ike_msg_parse(&m, fx_frame(&c, 7)->data, fx_frame(&c, 7)->len), IKE_PARSE_OK);
    cr_expect(m.encrypted);
    cr_expect_eq(m.npayloads, 0, "IKEv1 ciphertext is not walked");
    ike_msg_cleanup(&m);
    fx_free(&c);

    /* ikev2pI2: IDi "west", AUTH rsasig once decrypted; here only the SK header. */
    fx_load("tcpdump/ikev2pI2.pcap", &c);
    cr_assert_eq(ike_msg_parse(&m, fx_frame(&c, 2)->data, fx_frame(&c, 2)->len), IKE_PARSE_OK);
    cr_expect_eq(m.payloads[0].next_inner, 35);
    cr_expect(m.initiator_flag);
    cr_expect_not(m.response);
    ike_msg_cleanup(&m);
    fx_free(&c);
}

/* ------------------------------------------------------------------ */
/* Every prefix of a valid message is TRUNCATED (NOT_IKE below 28 bytes). */

static const char *const prefix_files[] = {
    "tcpdump/ikev2pI2.pcap",
    "tcpdump/ikev2four.pcap",
    "zeek-plugin-ikev2/ikev2.pcap",
    "zeek-spicy-ipsec/ipsec.cap",
    "zeek-spicy-ipsec/ikev1-certs.pcap",
    "zeek-spicy-ipsec/ipsec-ikev1-isakmp-aggressive-mode.pcap",
    "tcpdump/isakmp4500.pcap",
};

Test(msg, every_prefix_is_truncated, .timeout = 120)
{
    size_t checked = 0;
    for (size_t f = 0; f < sizeof prefix_files / sizeof prefix_files[0]; f++) {
        struct fx_capture c;
        fx_load(prefix_files[f], &c);
        for (size_t i = 0; i < c.n; i++) {
            const struct fx_datagram *d = &c.d[i];
            struct ike_msg m;
            if (d->ip_fragment)
                continue;
            cr_assert_eq(ike_msg_parse(&m, d->data, d->len), IKE_PARSE_OK, "%s#%u",
                         prefix_files[f], d->frame);
            ike_msg_cleanup(&m);
            for (size_t n = 0; n < d->len; n++) {
                enum ike_parse_status st = ike_msg_parse(&m, d->data, n);
                enum ike_parse_status want = n < IKE_HDR_LEN ? IKE_PARSE_NOT_IKE : IKE_PARSE_TRUNCATED;
                cr_assert_eq(st, want, "%s#%u prefix %zu: status %d", prefix_files[f], d->frame, n,
                             st);
                if (n >= IKE_HDR_LEN)
                    cr_assert(has_anomaly(&m, IKE_AN_TRUNCATED));
                ike_msg_cleanup(&m);
                checked++;
            }
        }
        fx_free(&c);
    }
    cr_expect_gt(checked, 10000);
}

/* ------------------------------------------------------------------ */
/* Captures that crashed other parsers: anomalies, never a crash or hang. */

struct hostile {
    const char *file;
    bool expect_ike;   /* the capture holds at least one IKE datagram */
};

static const struct hostile hostiles[] = {
    { "tcpdump/ikev1_id_ipv6_addr_subnet-oobr.pcap", true },
    { "tcpdump/isakmp-3948-oobr-2.pcap", false },     /* broken at the UDP layer */
    { "tcpdump/isakmp-rfc3948-oobr.pcap", false },    /* not even IP */
    { "tcpdump/isakmp-delete-segfault.pcap", true },
    { "tcpdump/isakmp-identification-segfault.pcap", true },
    { "tcpdump/isakmp-ikev1_n_print-oobr.pcap", true },
    { "tcpdump/isakmp-no-none-np.pcapng", true },
    { "tcpdump/isakmp-pointer-loop.pcap", true },
    { "tcpdump/isakmp-various-oobr.pcap", true },
    { "tcpdump/isakmpv1-attr-oobr.pcap", true },
    { "tcpdump/ikev2pI2-segfault.pcapng", true },
    { "tcpdump/ikev2-id-short.pcap", true },
    { "zeek-spicy-ipsec/ipsec-ikev1-payload-bad-length.pcap", true },
    { "zeek-spicy-ipsec/ipsec-ikev1-zero-length.pcap", true },
};

Test(msg, hostile_captures_give_anomalies)
{
    for (size_t f = 0; f < sizeof hostiles / sizeof hostiles[0]; f++) {
        struct fx_capture c;
        fx_load(hostiles[f].file, &c);
        cr_expect_eq(c.n > 0, hostiles[f].expect_ike, "%s: %zu datagrams", hostiles[f].file, c.n);
        for (size_t i = 0; i < c.n; i++) {
            struct ike_msg m;
            enum ike_parse_status st = ike_msg_parse(&m, c.d[i].data, c.d[i].len);
            cr_expect(st != IKE_PARSE_OK || m.nanomalies > 0, "%s#%u parsed clean",
                      hostiles[f].file, c.d[i].frame);
            cr_expect(st != IKE_PARSE_NOMEM);
            ike_msg_cleanup(&m);
        }
        fx_free(&c);
    }
}

Test(msg, specific_hostile_outcomes)
{
    struct fx_capture c;
    struct ike_msg m;

    /* Payload length 0 in an SA: rejected before the walk can spin. */
    fx_load("zeek-spicy-ipsec/ipsec-ikev1-payload-bad-length.pcap", &c);
    ike_msg_parse(&m, c.d[0].data, c.d[0].len);
    cr_expect(has_anomaly(&m, IKE_AN_PAYLOAD_LENGTH_SHORT));
    ike_msg_cleanup(&m);
    fx_free(&c);

    /* Header length 0. */
    fx_load("zeek-spicy-ipsec/ipsec-ikev1-zero-length.pcap", &c);
    ike_msg_parse(&m, c.d[0].data, c.d[0].len);
    cr_expect(has_anomaly(&m, IKE_AN_LENGTH_MISMATCH));
    ike_msg_cleanup(&m);
    fx_free(&c);

    /* The chain promises a payload after the header length ends. */
    fx_load("tcpdump/isakmp-no-none-np.pcapng", &c);
    ike_msg_parse(&m, c.d[0].data, c.d[0].len);
    cr_expect(has_anomaly(&m, IKE_AN_PAYLOAD_OVERRUN));
    ike_msg_cleanup(&m);
    fx_free(&c);

    /* Major version 11. */
    fx_load("tcpdump/isakmp-delete-segfault.pcap", &c);
    cr_expect_eq(ike_msg_parse(&m, c.d[0].data, c.d[0].len), IKE_PARSE_NOT_IKE);
    cr_expect(has_anomaly(&m, IKE_AN_BAD_VERSION));
    ike_msg_cleanup(&m);
    fx_free(&c);

    /* ID_FQDN made of NUL bytes (RFC 7296 §3.5 forbids terminators). */
    fx_load("tcpdump/isakmp-identification-segfault.pcap", &c);
    ike_msg_parse(&m, c.d[0].data, c.d[0].len);
    cr_expect(has_anomaly(&m, IKE_AN_BODY_MALFORMED));
    cr_expect_eq(m.payloads[0].id_type, 2);
    ike_msg_cleanup(&m);
    fx_free(&c);

    /* SA body whose proposal overruns the payload. */
    fx_load("tcpdump/ikev2pI2-segfault.pcapng", &c);
    ike_msg_parse(&m, c.d[0].data, c.d[0].len);
    cr_expect(has_anomaly(&m, IKE_AN_BODY_MALFORMED));
    ike_msg_cleanup(&m);
    fx_free(&c);
}

/* Every offset of every frame of the hostile captures, as if it were an IKE
 * message: a cheap in-test fuzz over bytes that already broke parsers. */
Test(msg, hostile_frames_at_every_offset, .timeout = 120)
{
    for (size_t f = 0; f < sizeof hostiles / sizeof hostiles[0]; f++) {
        struct fx_capture c;
        fx_load(hostiles[f].file, &c);
        for (size_t i = 0; i < c.n; i++) {
            for (size_t off = 0; off < c.d[i].len; off++) {
                struct ike_msg m;
                struct ike_payload *last = NULL;
                ike_msg_parse(&m, c.d[i].data + off, c.d[i].len - off);
                cr_assert_leq(m.npayloads, IKE_MSG_MAX_PAYLOADS);
                cr_assert_leq(m.nanomalies, IKE_MAX_ANOMALIES);
                if (m.npayloads)
                    last = &m.payloads[m.npayloads - 1];
                if (last) {
                    char b[64];
                    ike_payload_label(m.version, last, true, b, sizeof b);
                }
                ike_msg_cleanup(&m);
            }
        }
        fx_free(&c);
    }
}

/* ------------------------------------------------------------------ */
/* Crafted messages, one rule each. */

/* Builds a header plus `body` (already chained) with the given first payload. */
static size_t build(uint8_t *out, uint8_t version, uint8_t exch, uint8_t flags, uint8_t first,
                    const uint8_t *body, size_t blen)
{
    memset(out, 0, IKE_HDR_LEN);
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(0x11 + i);
    out[16] = first;
    out[17] = (uint8_t)(version << 4);
    out[18] = exch;
    out[19] = flags;
    size_t total = IKE_HDR_LEN + blen;
    out[24] = (uint8_t)(total >> 24);
    out[25] = (uint8_t)(total >> 16);
    out[26] = (uint8_t)(total >> 8);
    out[27] = (uint8_t)total;
    memcpy(out + IKE_HDR_LEN, body, blen);
    return total;
}

Test(msg, header_fields_and_flags)
{
    static const uint8_t body[] = { 0, 0, 0, 8, 1, 2, 3, 4 }; /* Nonce, 4 bytes */
    uint8_t buf[64];
    struct ike_msg m;
    size_t n = build(buf, 2, 34, IKE2_FLAG_INITIATOR, 40, body, sizeof body);
    buf[17] = 0x20; /* 2.0 */
    buf[20] = 0;
    buf[23] = 7;    /* message ID 7 */

    cr_assert_eq(ike_msg_parse(&m, buf, n), IKE_PARSE_OK);
    cr_expect_eq(m.version, 2);
    cr_expect_eq(m.minor, 0);
    cr_expect_eq(m.msg_id, 7);
    cr_expect_eq(m.exchange, 34);
    cr_expect(m.initiator_flag);
    cr_expect_not(m.response);
    cr_expect_eq(m.spi_i[0], 0x11);
    cr_expect_eq(m.npayloads, 1);
    cr_expect_eq(m.payloads[0].body_len, 4);
    cr_expect_eq(m.payloads[0].body, m.raw + IKE_HDR_LEN + 4, "body borrows from raw");
    cr_expect_eq(m.nanomalies, 0);
    ike_msg_cleanup(&m);

    /* Reserved flag bits, zero SPIi, responder SPI in an IKE_SA_INIT request. */
    buf[19] = 0x08 | 0x01;
    memset(buf, 0, 8);
    buf[8] = 1;
    ike_msg_parse(&m, buf, n);
    cr_expect(has_anomaly(&m, IKE_AN_RESERVED_SET));
    cr_expect(has_anomaly(&m, IKE_AN_ZERO_SPI_I));
    cr_expect(has_anomaly(&m, IKE_AN_NONZERO_SPI_R_INIT));
    ike_msg_cleanup(&m);

    /* Datagram longer than the header says: extra bytes ignored, anomaly noted. */
    n = build(buf, 2, 34, 0x08, 40, body, sizeof body);
    ike_msg_parse(&m, buf, n + 5);
    cr_expect(has_anomaly(&m, IKE_AN_LENGTH_MISMATCH));
    cr_expect_not(has_anomaly(&m, IKE_AN_TRAILING_BYTES));
    ike_msg_cleanup(&m);

    /* Major versions other than 1 and 2, and short input. */
    buf[17] = 0x30;
    cr_expect_eq(ike_msg_parse(&m, buf, n), IKE_PARSE_NOT_IKE);
    ike_msg_cleanup(&m);
    cr_expect_eq(ike_msg_parse(&m, buf, 27), IKE_PARSE_NOT_IKE);
    ike_msg_cleanup(&m);
    cr_expect_eq(ike_msg_parse(&m, NULL, 0), IKE_PARSE_NOT_IKE);
    ike_msg_cleanup(&m);
    ike_msg_cleanup(&m); /* twice is harmless */
}

Test(msg, payload_length_below_four_stops_the_walk)
{
    for (uint8_t plen = 0; plen < 4; plen++) {
        uint8_t body[] = { 40, 0, 0, plen, 0, 0, 0, 0 };
        uint8_t buf[64];
        struct ike_msg m;
        size_t n = build(buf, 2, 37, 0x08, 43, body, sizeof body);
        cr_expect_eq(ike_msg_parse(&m, buf, n), IKE_PARSE_OK);
        cr_expect(has_anomaly(&m, IKE_AN_PAYLOAD_LENGTH_SHORT));
        cr_expect_eq(m.npayloads, 0);
        ike_msg_cleanup(&m);
    }
}

Test(msg, too_many_payloads_is_capped)
{
    /* 300 empty Vendor ID payloads, each pointing at the next. */
    size_t count = 300, blen = count * 4;
    uint8_t *body = calloc(blen, 1), *buf = malloc(IKE_HDR_LEN + blen);
    for (size_t i = 0; i < count; i++) {
        body[i * 4] = i + 1 < count ? 43 : 0;
        body[i * 4 + 3] = 4;
    }
    struct ike_msg m;
    size_t n = build(buf, 2, 37, 0x08, 43, body, blen);
    cr_expect_eq(ike_msg_parse(&m, buf, n), IKE_PARSE_OK);
    cr_expect(has_anomaly(&m, IKE_AN_TOO_MANY_PAYLOADS));
    cr_expect_eq(m.npayloads, IKE_MSG_MAX_PAYLOADS);
    ike_msg_cleanup(&m);
    free(body);
    free(buf);
}

Test(msg, sk_must_be_last_and_names_inner)
{
    /* SK (next = IDi) then a stray Nonce after it. */
    static const uint8_t body[] = { 35, 0, 0, 8, 0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 4 };
    uint8_t buf[64];
    struct ike_msg m;
    size_t n = build(buf, 2, 35, 0x08, 46, body, sizeof body);
    cr_expect_eq(ike_msg_parse(&m, buf, n), IKE_PARSE_OK);
    cr_expect(m.encrypted);
    cr_expect_eq(m.npayloads, 1);
    cr_expect_eq(m.payloads[0].next_inner, 35);
    cr_expect(has_anomaly(&m, IKE_AN_SK_NOT_LAST));
    ike_msg_cleanup(&m);
}

Test(msg, unknown_and_critical_payloads)
{
    /* Type 99 with C set, then type 98 without. */
    static const uint8_t body[] = { 98, 0x80, 0, 4, 0, 0, 0, 4 };
    uint8_t buf[64];
    struct ike_msg m;
    char b[32];
    size_t n = build(buf, 2, 37, 0x08, 99, body, sizeof body);
    ike_msg_parse(&m, buf, n);
    cr_expect(has_anomaly(&m, IKE_AN_UNKNOWN_CRITICAL));
    cr_expect(has_anomaly(&m, IKE_AN_UNKNOWN_PAYLOAD));
    cr_expect(m.payloads[0].critical);
    cr_expect_str_eq(ike_payload_label(2, &m.payloads[0], true, b, sizeof b), "UNKNOWN(99)");
    ike_msg_cleanup(&m);
}

Test(msg, trailing_bytes_and_overrun)
{
    static const uint8_t trailing[] = { 0, 0, 0, 4, 1, 2, 3 };
    static const uint8_t overrun[] = { 0, 0, 0, 40, 1, 2, 3, 4 };
    uint8_t buf[64];
    struct ike_msg m;
    size_t n = build(buf, 2, 37, 0x08, 43, trailing, sizeof trailing);
    ike_msg_parse(&m, buf, n);
    cr_expect(has_anomaly(&m, IKE_AN_TRAILING_BYTES));
    ike_msg_cleanup(&m);
    n = build(buf, 2, 37, 0x08, 43, overrun, sizeof overrun);
    cr_expect_eq(ike_msg_parse(&m, buf, n), IKE_PARSE_OK, "malformed, not truncated");
    cr_expect(has_anomaly(&m, IKE_AN_PAYLOAD_OVERRUN));
    ike_msg_cleanup(&m);
}

Test(msg, body_too_short_for_fixed_part)
{
    /* A Notify body of 3 bytes (protocol, SPI size, half a type). */
    static const uint8_t body[] = { 0, 0, 0, 7, 1, 0, 0x40 };
    uint8_t buf[64];
    struct ike_msg m;
    size_t n = build(buf, 2, 37, 0x08, 41, body, sizeof body);
    ike_msg_parse(&m, buf, n);
    cr_expect(has_anomaly(&m, IKE_AN_BODY_MALFORMED));
    cr_expect_eq(m.payloads[0].notify_type, 0);
    ike_msg_cleanup(&m);
}

Test(msg, ikev1_encrypted_and_fragments)
{
    static const uint8_t cipher[] = { 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0 };
    /* FRAG: next 0, reserved, length 12, id 0x0102, number 3, flags 1 (last), 4 data bytes. */
    static const uint8_t frag[] = { 0, 0, 0, 12, 0x01, 0x02, 3, 1, 9, 9, 9, 9 };
    uint8_t buf[64];
    struct ike_msg m;
    char b[32];

    size_t n = build(buf, 1, 2, IKE1_FLAG_ENCRYPTION, 5, cipher, sizeof cipher);
    cr_expect_eq(ike_msg_parse(&m, buf, n), IKE_PARSE_OK);
    cr_expect(m.encrypted);
    cr_expect_eq(m.npayloads, 0);
    cr_expect_eq(m.nanomalies, 0);
    ike_msg_cleanup(&m);

    n = build(buf, 1, 2, 0, 132, frag, sizeof frag);
    cr_expect_eq(ike_msg_parse(&m, buf, n), IKE_PARSE_OK);
    cr_assert_eq(m.npayloads, 1);
    cr_expect_eq(m.payloads[0].frag_id, 0x0102);
    cr_expect_eq(m.payloads[0].frag_num, 3);
    cr_expect_eq(m.payloads[0].frag_total, 1, "last fragment");
    cr_expect_str_eq(ike_payload_label(1, &m.payloads[0], true, b, sizeof b), "FRAG");
    ike_msg_cleanup(&m);
}

Test(msg, add_inner_appends_and_replaces)
{
    /* Outer: SK naming IDi. Inner: IDi (FQDN "west") + AUTH (method 1). */
    static const uint8_t outer[] = { 35, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8 };
    static const uint8_t inner[] = {
        39, 0, 0, 12, 2, 0, 0, 0, 'w', 'e', 's', 't',
        0, 0, 0, 10, 1, 0, 0, 0, 0xab, 0xcd,
    };
    uint8_t buf[64];
    struct ike_msg m;
    char lb[128];
    size_t n = build(buf, 2, 35, 0x08, 46, outer, sizeof outer);
    cr_assert_eq(ike_msg_parse(&m, buf, n), IKE_PARSE_OK);

    uint8_t *plain = malloc(sizeof inner);
    memcpy(plain, inner, sizeof inner);
    cr_assert_eq(ike_msg_add_inner(&m, m.payloads[0].next_inner, plain, sizeof inner), IKE_PARSE_OK);
    cr_expect(m.decrypted);
    cr_assert_eq(m.npayloads, 3);
    cr_expect_not(m.payloads[0].inner);
    cr_expect(m.payloads[1].inner);
    cr_expect_eq(m.payloads[1].id_type, 2);
    cr_expect_eq(m.payloads[2].auth_method, 1);
    labels(&m, true, lb, sizeof lb);
    cr_expect_str_eq(lb, "SK IDi AUTH");

    /* A second decryption replaces the first one's payloads. */
    plain = malloc(sizeof inner);
    memcpy(plain, inner, sizeof inner);
    plain[0] = 0; /* only IDi this time */
    cr_assert_eq(ike_msg_add_inner(&m, 35, plain, 12), IKE_PARSE_OK);
    labels(&m, true, lb, sizeof lb);
    cr_expect_str_eq(lb, "SK IDi");

    /* Garbage after decryption: the walk stops with an anomaly. */
    plain = malloc(8);
    memset(plain, 0xff, 8);
    cr_expect_eq(ike_msg_add_inner(&m, 35, plain, 8), IKE_PARSE_TRUNCATED);
    cr_expect(has_anomaly(&m, IKE_AN_PAYLOAD_OVERRUN));
    ike_msg_cleanup(&m);
}

Test(msg, ikev1_inner_padding_is_not_trailing)
{
    static const uint8_t cipher[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    /* HASH(8 bytes) then 4 bytes of block padding. */
    static const uint8_t inner[] = { 0, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0 };
    uint8_t buf[64];
    struct ike_msg m;
    size_t n = build(buf, 1, 32, IKE1_FLAG_ENCRYPTION, 8, cipher, sizeof cipher);
    cr_assert_eq(ike_msg_parse(&m, buf, n), IKE_PARSE_OK);
    uint8_t *plain = malloc(sizeof inner);
    memcpy(plain, inner, sizeof inner);
    cr_expect_eq(ike_msg_add_inner(&m, m.first_payload, plain, sizeof inner), IKE_PARSE_OK);
    cr_expect_eq(m.npayloads, 1);
    cr_expect_not(has_anomaly(&m, IKE_AN_TRAILING_BYTES));
    ike_msg_cleanup(&m);
}

/* ------------------------------------------------------------------ */
/* Labels */

struct label_case {
    uint8_t version, type;
    bool from_initiator;
    uint16_t notify;
    const char *want;
};

static const struct label_case label_cases[] = {
    { 2, 33, true, 0, "SA" }, { 2, 34, true, 0, "KE" }, { 2, 40, true, 0, "Ni" },
    { 2, 40, false, 0, "Nr" }, { 2, 35, false, 0, "IDi" }, { 2, 36, true, 0, "IDr" },
    { 2, 37, true, 0, "CERT" }, { 2, 38, true, 0, "CERTREQ" }, { 2, 39, true, 0, "AUTH" },
    { 2, 41, false, 24, "N(AUTHENTICATION_FAILED)" }, { 2, 41, true, 16430,
      "N(IKEV2_FRAGMENTATION_SUPPORTED)" }, { 2, 41, true, 60000, "N(UNKNOWN(60000))" },
    { 2, 42, true, 0, "D" }, { 2, 43, true, 0, "V" }, { 2, 44, true, 0, "TSi" },
    { 2, 45, true, 0, "TSr" }, { 2, 46, true, 0, "SK" }, { 2, 47, true, 0, "CP" },
    { 2, 48, true, 0, "EAP" }, { 2, 53, true, 0, "SKF" }, { 2, 49, true, 0, "GSPM" },
    { 2, 1, true, 0, "UNKNOWN(1)" }, { 2, 200, true, 0, "UNKNOWN(200)" },
    { 1, 1, true, 0, "SA" }, { 1, 4, true, 0, "KE" }, { 1, 10, true, 0, "Ni" },
    { 1, 10, false, 0, "Nr" }, { 1, 5, true, 0, "IDii" }, { 1, 5, false, 0, "IDir" },
    { 1, 6, true, 0, "CERT" }, { 1, 7, true, 0, "CR" }, { 1, 8, true, 0, "HASH" },
    { 1, 9, true, 0, "SIG" }, { 1, 11, true, 36136, "N(R_U_THERE)" },
    { 1, 11, true, 24578, "N(INITIAL_CONTACT)" }, { 1, 12, true, 0, "D" },
    { 1, 13, true, 0, "VID" }, { 1, 20, true, 0, "NAT-D" }, { 1, 130, true, 0, "NAT-D" },
    { 1, 21, true, 0, "NAT-OA" }, { 1, 131, true, 0, "NAT-OA" }, { 1, 132, true, 0, "FRAG" },
    { 1, 14, true, 0, "ATTR" }, { 1, 33, true, 0, "UNKNOWN(33)" },
};

Test(msg, labels)
{
    for (size_t i = 0; i < sizeof label_cases / sizeof label_cases[0]; i++) {
        const struct label_case *c = &label_cases[i];
        struct ike_payload p = { .type = c->type, .notify_type = c->notify, .vendor = -1 };
        char b[64];
        cr_expect_str_eq(ike_payload_label(c->version, &p, c->from_initiator, b, sizeof b), c->want,
                         "v%u type %u", c->version, c->type);
    }
    /* Short buffers truncate, never overflow. */
    struct ike_payload p = { .type = 41, .notify_type = 16430, .vendor = -1 };
    char small[6];
    ike_payload_label(2, &p, true, small, sizeof small);
    cr_expect_str_eq(small, "N(IKE");
}

Test(msg, anomaly_names_are_stable)
{
    cr_expect_str_eq(ike_anomaly_name(IKE_AN_PAYLOAD_LENGTH_SHORT), "ike.payload.length_short");
    cr_expect_str_eq(ike_anomaly_name(IKE_AN_TRUNCATED), "ike.truncated");
    cr_expect_str_eq(ike_anomaly_name(IKE_AN_SK_NOT_LAST), "ike.sk.not_last");
    cr_expect_str_eq(ike_anomaly_name(IKE_AN_COUNT), "ike.unknown");
    for (int a = 1; a < IKE_AN_COUNT; a++) {
        cr_expect(strncmp(ike_anomaly_name((enum ike_anomaly)a), "ike.", 4) == 0);
        for (int b = 1; b < a; b++)
            cr_expect_str_neq(ike_anomaly_name((enum ike_anomaly)a),
                              ike_anomaly_name((enum ike_anomaly)b));
    }
    struct ike_msg m;
    memset(&m, 0, sizeof m);
    for (int a = 1; a < IKE_AN_COUNT; a++) {
        ike_msg_anomaly(&m, (enum ike_anomaly)a);
        ike_msg_anomaly(&m, (enum ike_anomaly)a);
    }
    cr_expect_eq(m.nanomalies, IKE_MAX_ANOMALIES, "capped, no duplicates");
    cr_expect_eq(m.anomalies[1], IKE_AN_LENGTH_MISMATCH);
}

/* Notify labels: the name in N(...), an unknown type by number, and a short buffer cut
 * the way snprintf would cut it. */
Test(msg, notify_labels)
{
    struct ike_payload p = { 0 };
    char b[64], tiny[6];
    p.type = IKE2_PL_NOTIFY;
    p.notify_type = 14;
    cr_expect_str_eq(ike_payload_label(2, &p, false, b, sizeof b), "N(NO_PROPOSAL_CHOSEN)");
    cr_expect_str_eq(ike_payload_label(2, &p, false, tiny, sizeof tiny), "N(NO_");
    p.notify_type = 12345;
    cr_expect_str_eq(ike_payload_label(2, &p, false, b, sizeof b), "N(UNKNOWN(12345))");
    p.type = IKE1_PL_N;
    p.notify_type = 23; /* RFC 2408 §3.14.1 */
    cr_expect_str_eq(ike_payload_label(1, &p, true, b, sizeof b), "N(INVALID_HASH_INFORMATION)");
}
