/* test_vendor.c: Vendor ID matching against the VIDs in the captures (names as tshark -V gives them). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "ike/msg.h"
#include "ike/vendor.h"

struct vid_case {
    const char *hex;
    const char *name;        /* our table name */
    const char *detail;      /* expected detail, or NULL for "" */
    enum ike_impl impl;
};

/* The VIDs of zeek-spicy-ipsec/ipsec.cap, in order; tshark names them strongSwan,
 * CISCO-UNITY 1.0, XAUTH, RFC 3706 DPD, RFC 3947, draft-ietf-ipsec-nat-t-ike-03/-02/-02\n/-00. */
static const struct vid_case ipsec_cap[] = {
    { "882fe56d6fd20dbc2251613b2ebe5beb", "strongSwan", NULL, IKE_IMPL_STRONGSWAN },
    { "12f5f28c457168a9702d9fe274cc0100", "Cisco Unity", "1.0", IKE_IMPL_CISCO },
    { "09002689dfd6b712", "XAUTH", NULL, IKE_IMPL_NONE },
    { "afcad71368a1f1c96b8696fc77570100", "RFC 3706 DPD", "1.0", IKE_IMPL_NONE },
    { "4a131c81070358455c5728f20e95452f", "RFC 3947 NAT-T", NULL, IKE_IMPL_NONE },
    { "7d9419a65310ca6f2c179d9215529d56", "draft-ietf-ipsec-nat-t-ike-03", NULL, IKE_IMPL_NONE },
    { "cd60464335df21f87cfdb2fc68b6a448", "draft-ietf-ipsec-nat-t-ike-02", NULL, IKE_IMPL_NONE },
    { "90cb80913ebb696e086381b5ec427b1f", "draft-ietf-ipsec-nat-t-ike-02\\n", NULL, IKE_IMPL_NONE },
    { "4485152d18b6bbcd0be8a8469579ddcc", "draft-ietf-ipsec-nat-t-ike-00", NULL, IKE_IMPL_NONE },
};

Test(vendor, ipsec_cap_vids_in_order)
{
    struct fx_capture c;
    struct ike_msg m;
    fx_load("zeek-spicy-ipsec/ipsec.cap", &c);
    const struct fx_datagram *d = fx_frame(&c, 1);
    cr_assert_not_null(d);
    cr_assert_eq(ike_msg_parse(&m, d->data, d->len), IKE_PARSE_OK);

    size_t k = 0;
    for (size_t i = 0; i < m.npayloads; i++) {
        const struct ike_payload *p = &m.payloads[i];
        if (p->type != IKE1_PL_VID)
            continue;
        cr_assert_lt(k, sizeof ipsec_cap / sizeof ipsec_cap[0]);
        size_t n;
        uint8_t *want = fx_hex(ipsec_cap[k].hex, &n);
        cr_expect_eq(p->body_len, n);
        cr_expect_eq(memcmp(p->body, want, n), 0, "VID %zu bytes", k);
        cr_expect_str_eq(ike_vendor_name(p->vendor), ipsec_cap[k].name);
        free(want);
        k++;
    }
    cr_expect_eq(k, sizeof ipsec_cap / sizeof ipsec_cap[0]);
    ike_msg_cleanup(&m);
    fx_free(&c);
}

static const struct vid_case crafted[] = {
    /* MS NT5 ISAKMPOAKLEY + version (MS-IKEE): 9 from a Windows 10 client (ipsec_client.pcap). */
    { "1e2b516905991c7d7c96fcbfb587e46100000009", "MS NT5 ISAKMPOAKLEY",
      "Windows 8 or later (8.1, 10, 11, Server 2012 R2+)", IKE_IMPL_WINDOWS },
    { "1e2b516905991c7d7c96fcbfb587e46100000002", "MS NT5 ISAKMPOAKLEY", "Windows 2000",
      IKE_IMPL_WINDOWS },
    { "1e2b516905991c7d7c96fcbfb587e46100000005", "MS NT5 ISAKMPOAKLEY", "Windows Vista",
      IKE_IMPL_WINDOWS },
    { "1e2b516905991c7d7c96fcbfb587e46100000063", "MS NT5 ISAKMPOAKLEY", "Windows version 99",
      IKE_IMPL_WINDOWS },
    { "26244d38eddb61b3172a36e3d0cfb819", "Microsoft Vid-Initial-Contact", NULL, IKE_IMPL_WINDOWS },
    { "fb1de3cdf341b7ea16b7e5be0855f120", "MS-Negotiation Discovery Capable", NULL,
      IKE_IMPL_WINDOWS },
    { "e3a5966a76379fe707228231e5ce8652", "IKE CGA version 1", NULL, IKE_IMPL_WINDOWS },
    /* The 16-byte draft-beaulieu XAUTH still is XAUTH (prefix). */
    { "09002689dfd6b71280a224dec33b81e5", "XAUTH", NULL, IKE_IMPL_NONE },
    { "4048b7d56ebce88525e7de7f00d6c2d3", "IKE FRAGMENTATION", NULL, IKE_IMPL_NONE },
    { "4048b7d56ebce88525e7de7f00d6c2d380000000", "IKE FRAGMENTATION", "80000000", IKE_IMPL_NONE },
    { "1f07f70eaa6514d3b0fa96542a500306", "Cisco VPN 3000 Concentrator", "3.0.6", IKE_IMPL_CISCO },
    { "464c455856504e2d535550504f52544544", "Cisco FlexVPN supported", NULL, IKE_IMPL_CISCO },
    { "f4ed19e0c114eb516faaac0ee37daf2807b4381f000000010000138d", "Check Point", "000000010000138d",
      IKE_IMPL_CHECKPOINT },
    /* Juniper with the 8 trailing version bytes seen in ikev1-certs.pcap. */
    { "699369228741c6d4ca094c93e242c9de19e7b7c60000000500000500", "Juniper NetScreen-06",
      "0000000500000500", IKE_IMPL_JUNIPER },
    /* FortiClient's three IKE_SA_INIT VIDs; two are MD5 of their names. */
    { "4c53427b6d465d1b337bb755a37a7fef", "FortiClient connect license", NULL, IKE_IMPL_FORTINET },
    { "b4f01ca951e9da8d0bafbbd34ad3044e", "Fortinet Endpoint Control", NULL, IKE_IMPL_FORTINET },
    { "c1dc4350476b98a429b91781914ca43e", "FortiClient EAP extension", NULL, IKE_IMPL_FORTINET },
    /* Openswan's folded-MD5 "OE" VID from isakmp4500.pcap. */
    { "4f456b5262475852766d5045", "Openswan", NULL, IKE_IMPL_OPENSWAN },
};

Test(vendor, crafted_and_versioned)
{
    for (size_t i = 0; i < sizeof crafted / sizeof crafted[0]; i++) {
        const struct vid_case *c = &crafted[i];
        size_t n;
        char detail[96];
        uint8_t *v = fx_hex(c->hex, &n);
        int idx = ike_vendor_lookup(v, n, detail, sizeof detail);
        cr_expect_geq(idx, 0, "%s not found", c->hex);
        cr_expect_str_eq(ike_vendor_name(idx), c->name, "%s", c->hex);
        cr_expect_str_eq(detail, c->detail ? c->detail : "", "%s", c->hex);
        cr_expect_eq(ike_vendor_impl(idx), c->impl, "%s", c->hex);
        free(v);
    }
}

Test(vendor, libreswan_prefix_beats_openswan)
{
    static const char vid[] = "OE-Libreswan-4.12";
    char detail[64];
    int idx = ike_vendor_lookup((const uint8_t *)vid, sizeof vid - 1, detail, sizeof detail);
    cr_expect_str_eq(ike_vendor_name(idx), "libreswan");
    cr_expect_str_eq(detail, "OE-Libreswan-4.12");
    cr_expect_str_eq(ike_impl_name(ike_vendor_impl(idx)), "libreswan");
}

Test(vendor, unknown_and_edges)
{
    static const uint8_t junk[] = { 0x55, 0xcc, 0x29, 0xed, 0x90, 0x2a, 0xb8, 0xec };
    char detail[16] = "x";
    cr_expect_eq(ike_vendor_lookup(junk, sizeof junk, detail, sizeof detail), -1);
    cr_expect_str_eq(detail, "");
    cr_expect_eq(ike_vendor_lookup(NULL, 0, NULL, 0), -1);
    cr_expect_eq(ike_vendor_lookup(junk, 0, NULL, 0), -1);
    cr_expect_str_eq(ike_vendor_name(-1), "unknown");
    cr_expect_str_eq(ike_vendor_name(100000), "unknown");
    cr_expect_eq(ike_vendor_impl(-1), IKE_IMPL_NONE);
    cr_expect_null(ike_impl_name(IKE_IMPL_NONE));
    cr_expect_str_eq(ike_impl_name(IKE_IMPL_STRONGSWAN), "strongSwan");
    cr_expect_str_eq(ike_impl_name(IKE_IMPL_WINDOWS), "Windows");
    /* Cisco Unity must be 16 bytes: a 14-byte prefix alone is not it. */
    size_t n;
    uint8_t *v = fx_hex("12f5f28c457168a9702d9fe274cc", &n);
    cr_expect_eq(ike_vendor_lookup(v, n, NULL, 0), -1);
    free(v);
    /* Tiny detail buffers stay terminated. */
    v = fx_hex("4048b7d56ebce88525e7de7f00d6c2d380000000", &n);
    char tiny[4];
    ike_vendor_lookup(v, n, tiny, sizeof tiny);
    cr_expect_str_eq(tiny, "80");
    free(v);
}

/* Every Vendor ID payload in the captures resolves to the same name each time
 * and strongSwan/Windows/Cisco/Openswan implementations are recognised. */
Test(vendor, implementations_seen_in_captures)
{
    static const struct {
        const char *file;
        enum ike_impl impl;
    } seen[] = {
        { "zeek-spicy-ipsec/ipsec.cap", IKE_IMPL_STRONGSWAN },
        { "zeek-spicy-ipsec/ipsec.cap", IKE_IMPL_CISCO },
        { "zeek-spicy-ipsec/ipsec_client.pcap", IKE_IMPL_WINDOWS },
        { "tcpdump/isakmp4500.pcap", IKE_IMPL_OPENSWAN },
        { "zeek-spicy-ipsec/ikev1-certs.pcap", IKE_IMPL_JUNIPER },
    };
    for (size_t s = 0; s < sizeof seen / sizeof seen[0]; s++) {
        struct fx_capture c;
        bool found = false;
        fx_load(seen[s].file, &c);
        for (size_t i = 0; i < c.n; i++) {
            struct ike_msg m;
            ike_msg_parse(&m, c.d[i].data, c.d[i].len);
            for (size_t k = 0; k < m.npayloads; k++)
                if (m.payloads[k].vendor >= 0 && ike_vendor_impl(m.payloads[k].vendor) == seen[s].impl)
                    found = true;
            ike_msg_cleanup(&m);
        }
        cr_expect(found, "%s: %s not recognised", seen[s].file, ike_impl_name(seen[s].impl));
        fx_free(&c);
    }
}
