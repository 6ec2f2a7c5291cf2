/* test_payloads.c: body decoders on real payloads (values as tshark -V shows them) and crafted edge cases. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "ike/msg.h"
#include "ike/names.h"
#include "ike/payloads.h"

static const struct ike_payload *find(const struct ike_msg *m, uint8_t type, size_t nth)
{
    for (size_t i = 0; i < m->npayloads; i++)
        if (m->payloads[i].type == type && nth-- == 0)
            return &m->payloads[i];
    return NULL;
}

static void parse_frame(const char *file, unsigned frame, struct fx_capture *c, struct ike_msg *m)
{
    fx_load(file, c);
    const struct fx_datagram *d = fx_frame(c, frame);
    cr_assert_not_null(d, "%s#%u", file, frame);
    cr_assert_eq(ike_msg_parse(m, d->data, d->len), IKE_PARSE_OK);
}

Test(payloads, v2_sa_from_ikev2pI2)
{
    struct fx_capture c;
    struct ike_msg m;
    parse_frame("tcpdump/ikev2pI2.pcap", 1, &c, &m);
    const struct ike_payload *p = find(&m, IKE2_PL_SA, 0);
    cr_assert_not_null(p);

    struct ike_v2_sa *sa = malloc(sizeof *sa);
    cr_assert_eq(ike_v2_sa_decode(p->body, p->body_len, sa), IKE_PL_OK);
    /* tshark: proposal 1 = ENCR_AES_CBC, AUTH_HMAC_SHA1_96, PRF_HMAC_SHA1, MODP 1536 (5);
     * proposal 2 swaps in PRF_HMAC_MD5; proposal 3 uses ENCR_3DES. */
    cr_assert_geq(sa->nproposals, 3);
    const struct ike_v2_proposal *p1 = &sa->p[0];
    cr_expect_eq(p1->num, 1);
    cr_expect_eq(p1->protocol, 1);
    cr_expect_eq(p1->spi_size, 0);
    cr_assert_eq(p1->ntransforms, 4);
    cr_expect_eq(p1->ntransforms, p1->ntransforms_declared);
    const struct ike_v2_transform *t = &sa->t[p1->first];
    cr_expect_eq(t[0].type, IKE2_TF_ENCR);
    cr_expect_eq(t[0].id, 12);
    cr_expect_not(t[0].has_key_len, "this Openswan build sends no Key Length");
    cr_expect_eq(t[1].type, IKE2_TF_INTEG);
    cr_expect_eq(t[1].id, 2);
    cr_expect_eq(t[2].type, IKE2_TF_PRF);
    cr_expect_eq(t[2].id, 2);
    cr_expect_eq(t[3].type, IKE2_TF_KE);
    cr_expect_eq(t[3].id, 5);
    cr_expect_eq(sa->t[sa->p[1].first + 2].id, 1, "proposal 2 PRF_HMAC_MD5");
    cr_expect_eq(sa->t[sa->p[2].first].id, 3, "proposal 3 ENCR_3DES");

    /* Every prefix of the body fails cleanly. */
    for (size_t n = 0; n < p->body_len; n++)
        cr_expect_neq(ike_v2_sa_decode(p->body, n, sa), IKE_PL_OK, "prefix %zu", n);

    const struct ike_payload *ke = find(&m, IKE2_PL_KE, 0);
    struct ike_ke k;
    cr_assert_eq(ike_ke_decode(2, ke->body, ke->body_len, &k), IKE_PL_OK);
    cr_expect_eq(k.group, 5);
    cr_expect_eq(k.data.len, 192, "MODP 1536 public value");
    free(sa);
    ike_msg_cleanup(&m);
    fx_free(&c);
}

Test(payloads, v1_sa_from_ipsec_cap)
{
    struct fx_capture c;
    struct ike_msg m;
    parse_frame("zeek-spicy-ipsec/ipsec.cap", 1, &c, &m);
    const struct ike_payload *p = find(&m, IKE1_PL_SA, 0);
    cr_assert_not_null(p);
    struct ike_v1_sa *sa = malloc(sizeof *sa);
    cr_assert_eq(ike_v1_sa_decode(p->body, p->body_len, sa), IKE_PL_OK);
    cr_expect_eq(sa->doi, 1);
    cr_expect_eq(sa->situation, 1);
    cr_assert_eq(sa->nproposals, 1);
    cr_expect_eq(sa->p[0].protocol, 1, "PROTO_ISAKMP");
    cr_assert_geq(sa->p[0].ntransforms, 1);
    const struct ike_v1_transform *t = &sa->t[sa->p[0].first];
    cr_expect_eq(t->id, 1, "KEY_IKE");
    uint32_t v;
    cr_expect(ike_v1_transform_attr(t, IKE1_OAK_ENCR, &v));
    cr_expect(ike_v1_transform_attr(t, IKE1_OAK_HASH, &v));
    cr_expect(ike_v1_transform_attr(t, IKE1_OAK_AUTH, &v));
    cr_expect(ike_v1_transform_attr(t, IKE1_OAK_GROUP_DESC, &v));
    cr_expect_not(ike_v1_transform_attr(t, 999, &v));
    for (size_t n = 0; n < p->body_len; n++)
        cr_expect_neq(ike_v1_sa_decode(p->body, n, sa), IKE_PL_OK, "prefix %zu", n);
    free(sa);
    ike_msg_cleanup(&m);
    fx_free(&c);
}

Test(payloads, v1_sa_life_duration_tlv)
{
    /* DOI 1, SIT 1, one proposal, one KEY_IKE transform: AES(TV 1=7), life duration TLV 4 bytes. */
    size_t n;
    uint8_t *b = fx_hex("00000001 00000001"
                        "0000 001c 01 01 00 01"
                        "0000 0014 01 01 0000 8001 0007 000c 0004 00015180", &n);
    struct ike_v1_sa *sa = malloc(sizeof *sa);
    cr_assert_eq(ike_v1_sa_decode(b, n, sa), IKE_PL_OK);
    const struct ike_v1_transform *t = &sa->t[0];
    cr_assert_eq(t->nattrs, 2);
    cr_expect(t->a[0].tv);
    cr_expect_eq(t->a[0].value, 7);
    cr_expect_not(t->a[1].tv);
    cr_expect_eq(t->a[1].type, IKE1_OAK_LIFE_DURATION);
    cr_expect_eq(t->a[1].value, 86400);
    cr_expect_eq(t->a[1].data.len, 4);
    /* Labelled-domain situations are not decoded. */
    b[7] = 0x03;
    cr_expect_eq(ike_v1_sa_decode(b, n, sa), IKE_PL_UNSUPPORTED);
    free(sa);
    free(b);
}

Test(payloads, notify_v2_and_v1)
{
    struct fx_capture c;
    struct ike_msg m;
    struct ike_notify nt;

    /* INVALID_KE_PAYLOAD carries the accepted group (RFC 7296 §3.10.1): 2 bytes. */
    parse_frame("zeek-plugin-ikev2/ikev2.pcap", 2, &c, &m);
    cr_assert_eq(ike_notify_decode(2, m.payloads[0].body, m.payloads[0].body_len, &nt), IKE_PL_OK);
    cr_expect_eq(nt.type, 17);
    cr_expect_eq(nt.spi_size, 0);
    cr_expect_eq(nt.data.len, 2);
    ike_msg_cleanup(&m);
    fx_free(&c);

    parse_frame("zeek-spicy-ipsec/ipsec.cap", 3, &c, &m);
    cr_assert_eq(ike_notify_decode(1, m.payloads[0].body, m.payloads[0].body_len, &nt), IKE_PL_OK);
    cr_expect_eq(nt.doi, 1);
    cr_expect_eq(nt.type, 14);
    cr_expect_eq(nt.protocol, 1);
    cr_expect_eq(nt.spi.len, nt.spi_size);
    ike_msg_cleanup(&m);
    fx_free(&c);

    size_t n;
    uint8_t *b = fx_hex("03 04 4000 aabbccdd 01", &n);
    cr_assert_eq(ike_notify_decode(2, b, n, &nt), IKE_PL_OK);
    cr_expect_eq(nt.protocol, 3);
    cr_expect_eq(nt.spi.len, 4);
    cr_expect_eq(nt.data.len, 1);
    cr_expect_eq(ike_notify_decode(2, b, 6, &nt), IKE_PL_BAD_LENGTH, "SPI cut");
    cr_expect_eq(ike_notify_decode(2, b, 3, &nt), IKE_PL_SHORT);
    free(b);
}

Test(payloads, nat_d_from_main_mode)
{
    struct fx_capture c;
    struct ike_msg m;
    struct ike_view h;
    parse_frame("zeek-spicy-ipsec/ipsec.cap", 5, &c, &m);
    const struct ike_payload *p = find(&m, IKE1_PL_NAT_D, 1);
    cr_assert_not_null(p);
    cr_expect_eq(ike_v1_natd_decode(p->body, p->body_len, &h), IKE_PL_OK);
    cr_expect_eq(h.len, 20, "SHA-1 hash");
    cr_expect_eq(ike_v1_natd_decode(p->body, 0, &h), IKE_PL_SHORT);
    ike_msg_cleanup(&m);
    fx_free(&c);
}

Test(payloads, certreq_hashes)
{
    size_t n;
    struct ike_cert cr;
    struct ike_view h;
    uint8_t *b = fx_hex("04"
                        "0102030405060708090a0b0c0d0e0f1011121314"
                        "a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4", &n);
    cr_assert_eq(ike_certreq_decode(2, b, n, &cr), IKE_PL_OK);
    cr_expect_eq(cr.encoding, 4);
    cr_expect_eq(cr.nhashes, 2);
    cr_assert(ike_certreq_hash(&cr, 1, &h));
    cr_expect_eq(h.len, 20);
    cr_expect_eq(h.p[0], 0xa1);
    cr_expect_not(ike_certreq_hash(&cr, 2, &h));
    cr_expect_eq(ike_certreq_decode(2, b, n - 1, &cr), IKE_PL_BAD_LENGTH);
    cr_expect(cr.hashes_ragged);
    cr_expect_eq(ike_certreq_decode(1, b, n - 1, &cr), IKE_PL_OK, "IKEv1 CR carries a DN");
    cr_expect_eq(ike_cert_decode(b, 0, &cr), IKE_PL_SHORT);
    free(b);
}

Test(payloads, id_auth_ke)
{
    size_t n;
    struct ike_id id;
    uint8_t *b = fx_hex("02000000 77657374", &n); /* ID_FQDN "west" */
    cr_assert_eq(ike_id_decode(2, b, n, &id), IKE_PL_OK);
    cr_expect_eq(id.type, 2);
    cr_expect_eq(id.data.len, 4);
    free(b);
    b = fx_hex("01 11 01f4 c0000201", &n); /* v1 ID_IPV4_ADDR, UDP/500 */
    cr_assert_eq(ike_id_decode(1, b, n, &id), IKE_PL_OK);
    cr_expect_eq(id.protocol, 17);
    cr_expect_eq(id.port, 500);
    cr_expect_eq(ike_id_decode(1, b, n - 1, &id), IKE_PL_BAD_LENGTH, "IPv4 needs 4 bytes");
    free(b);
    b = fx_hex("05 000000 20010db8000000000000000000000001", &n);
    cr_expect_eq(ike_id_decode(2, b, n, &id), IKE_PL_OK);
    free(b);
    b = fx_hex("02000000 7700", &n); /* NUL in an FQDN */
    cr_expect_eq(ike_id_decode(2, b, n, &id), IKE_PL_BAD_VALUE);
    free(b);

    struct ike_auth a;
    b = fx_hex("0e000000 0102", &n);
    cr_assert_eq(ike_auth_decode(b, n, &a), IKE_PL_OK);
    cr_expect_eq(a.method, 14);
    cr_expect_eq(a.data.len, 2);
    cr_expect_eq(ike_auth_decode(b, 3, &a), IKE_PL_SHORT);
    free(b);

    struct ike_ke ke;
    b = fx_hex("001f0000 00", &n);
    cr_expect_eq(ike_ke_decode(2, b, 4, &ke), IKE_PL_SHORT, "no public value");
    cr_expect_eq(ike_ke_decode(2, b, n, &ke), IKE_PL_OK);
    cr_expect_eq(ke.group, 31);
    cr_expect_eq(ike_ke_decode(1, b, n, &ke), IKE_PL_OK);
    cr_expect_eq(ke.data.len, 5);
    free(b);
}

Test(payloads, delete)
{
    size_t n;
    struct ike_delete d;
    uint8_t *b = fx_hex("03 04 0002 11111111 22222222", &n);
    cr_assert_eq(ike_delete_decode(2, b, n, &d), IKE_PL_OK);
    cr_expect_eq(d.nspis, 2);
    cr_expect_eq(d.spis.len, 8);
    cr_expect_eq(ike_delete_decode(2, b, n - 1, &d), IKE_PL_BAD_LENGTH);
    free(b);
    b = fx_hex("00000001 01 10 0001 00112233445566778899aabbccddeeff 00", &n);
    cr_expect_eq(ike_delete_decode(1, b, n, &d), IKE_PL_TRAILING);
    cr_expect_eq(d.doi, 1);
    cr_expect_eq(d.spi_size, 16);
    free(b);
    /* 65535 SPIs of 255 bytes: the product is checked against what is left. */
    b = fx_hex("03 ff ffff 00", &n);
    cr_expect_eq(ike_delete_decode(2, b, n, &d), IKE_PL_BAD_LENGTH);
    free(b);
}

Test(payloads, traffic_selectors)
{
    size_t n;
    struct ike_ts_list ts;
    uint8_t *b = fx_hex("02000000"
                        "07 06 0010 0000 ffff c0000200 c00002ff"
                        "08 00 0028 0000 ffff 20010db8000000000000000000000000"
                        "20010db8ffffffffffffffffffffffff", &n);
    cr_assert_eq(ike_ts_decode(b, n, &ts), IKE_PL_OK);
    cr_assert_eq(ts.n, 2);
    cr_expect_eq(ts.ts[0].type, 7);
    cr_expect_eq(ts.ts[0].ip_proto, 6);
    cr_expect_eq(ts.ts[0].end_port, 0xffff);
    cr_expect_eq(ts.ts[0].addr_len, 4);
    cr_expect_eq(ts.ts[0].end[3], 0xff);
    cr_expect_eq(ts.ts[1].addr_len, 16);
    cr_expect_eq(ts.ts[1].start[1], 0x01);
    for (size_t k = 0; k < n; k++)
        cr_expect_neq(ike_ts_decode(b, k, &ts), IKE_PL_OK, "prefix %zu", k);
    b[0] = 3;
    cr_expect_eq(ike_ts_decode(b, n, &ts), IKE_PL_BAD_VALUE, "count mismatch");
    free(b);
    b = fx_hex("01000000 07 06 0008 0000 ffff", &n); /* IPv4 range without addresses */
    cr_expect_eq(ike_ts_decode(b, n, &ts), IKE_PL_BAD_LENGTH);
    free(b);
    b = fx_hex("01000000 07 06 0003", &n); /* selector length below its own header */
    cr_expect_eq(ike_ts_decode(b, n, &ts), IKE_PL_BAD_LENGTH);
    free(b);
}

Test(payloads, configuration)
{
    size_t n;
    struct ike_cp cp;
    uint8_t *b = fx_hex("01000000 0001 0000 0003 0000 0001 0004 0a000001", &n);
    cr_assert_eq(ike_cp_decode(2, b, n, &cp), IKE_PL_OK);
    cr_expect_eq(cp.type, 1);
    cr_assert_eq(cp.nattrs, 3);
    cr_expect_eq(cp.a[0].type, 1);
    cr_expect_eq(cp.a[0].data.len, 0);
    cr_expect_eq(cp.a[2].value, 0x0a000001);
    cr_expect_eq(ike_cp_decode(2, b, n - 1, &cp), IKE_PL_BAD_LENGTH);
    free(b);
    /* IKEv1 mode config / XAUTH: type, reserved, identifier, TV and TLV attributes. */
    b = fx_hex("01 00 1234 c088 0000 4089 0004 75736572", &n);
    cr_assert_eq(ike_cp_decode(1, b, n, &cp), IKE_PL_OK);
    cr_expect_eq(cp.identifier, 0x1234);
    cr_assert_eq(cp.nattrs, 2);
    cr_expect(cp.a[0].tv);
    cr_expect_eq(cp.a[0].type, 16520, "XAUTH_TYPE");
    cr_expect_eq(cp.a[1].type, 16521, "XAUTH_USER_NAME");
    cr_expect_eq(cp.a[1].data.len, 4);
    free(b);
}

Test(payloads, eap)
{
    size_t n;
    struct ike_eap e;
    uint8_t *b = fx_hex("01 07 000a 01 616c696365", &n); /* Request/Identity "alice" */
    cr_assert_eq(ike_eap_decode(b, n, &e), IKE_PL_OK);
    cr_expect_eq(e.code, 1);
    cr_expect_eq(e.id, 7);
    cr_expect(e.has_type);
    cr_expect_eq(e.type, 1);
    cr_expect_eq(e.data.len, 5);
    cr_expect_eq(ike_eap_decode(b, n - 1, &e), IKE_PL_BAD_LENGTH);
    free(b);
    b = fx_hex("03 07 0004", &n); /* Success */
    cr_assert_eq(ike_eap_decode(b, n, &e), IKE_PL_OK);
    cr_expect_not(e.has_type);
    free(b);
}

Test(payloads, fragments)
{
    size_t n;
    struct ike_skf f;
    uint8_t *b = fx_hex("0001 0003 aabbcc", &n);
    cr_assert_eq(ike_skf_decode(b, n, &f), IKE_PL_OK);
    cr_expect_eq(f.number, 1);
    cr_expect_eq(f.total, 3);
    cr_expect_eq(f.enc.len, 3);
    free(b);
    b = fx_hex("0004 0003", &n); /* number beyond total (RFC 7383 §2.5) */
    cr_expect_eq(ike_skf_decode(b, n, &f), IKE_PL_BAD_VALUE);
    free(b);
    b = fx_hex("0000 0003", &n);
    cr_expect_eq(ike_skf_decode(b, n, &f), IKE_PL_BAD_VALUE);
    free(b);

    struct ike_v1_frag v1;
    b = fx_hex("0042 02 01 deadbeef", &n);
    cr_assert_eq(ike_v1_frag_decode(b, n, &v1), IKE_PL_OK);
    cr_expect_eq(v1.id, 0x42);
    cr_expect_eq(v1.number, 2);
    cr_expect(v1.last);
    cr_expect_eq(v1.data.len, 4);
    cr_expect_eq(ike_v1_frag_decode(b, 3, &v1), IKE_PL_SHORT);
    free(b);
}

Test(payloads, nat_oa)
{
    size_t n;
    struct ike_v1_natoa oa;
    uint8_t *b = fx_hex("01000000 0a000001", &n);
    cr_assert_eq(ike_v1_natoa_decode(b, n, &oa), IKE_PL_OK);
    cr_expect_eq(oa.addr.len, 4);
    cr_expect_eq(ike_v1_natoa_decode(b, n - 1, &oa), IKE_PL_BAD_LENGTH);
    b[0] = 9;
    cr_expect_eq(ike_v1_natoa_decode(b, n, &oa), IKE_PL_BAD_VALUE);
    free(b);
}

Test(payloads, v2_sa_limits_and_lengths)
{
    /* A transform length of 4 (< 8) inside a proposal. */
    size_t n;
    struct ike_v2_sa *sa = malloc(sizeof *sa);
    uint8_t *b = fx_hex("0000 000c 01 01 00 01 0000 0004", &n);
    cr_expect_eq(ike_v2_sa_decode(b, n, sa), IKE_PL_BAD_LENGTH);
    free(b);
    /* SPI size 200 cannot be held. */
    b = fx_hex("0000 0008 01 03 c8 00", &n);
    cr_expect_eq(ike_v2_sa_decode(b, n, sa), IKE_PL_BAD_VALUE);
    free(b);
    /* Declared 2 transforms, one present. */
    b = fx_hex("0000 0010 01 01 00 02 0000 0008 01 00 000c", &n);
    cr_expect_eq(ike_v2_sa_decode(b, n, sa), IKE_PL_BAD_VALUE);
    cr_expect_eq(sa->p[0].ntransforms, 1);
    free(b);

    /* 20 proposals of one transform each: the first 16 are kept. */
    size_t one = 16, count = 20;
    b = calloc(one * count, 1);
    for (size_t i = 0; i < count; i++) {
        uint8_t *p = b + i * one;
        p[0] = i + 1 < count ? 2 : 0;
        p[3] = (uint8_t)one;
        p[4] = (uint8_t)(i + 1);
        p[5] = 1;
        p[7] = 1;
        p[11] = 8;  /* transform length */
        p[12] = 1;  /* ENCR */
        p[15] = 12; /* AES-CBC */
    }
    cr_expect_eq(ike_v2_sa_decode(b, one * count, sa), IKE_PL_TOO_MANY);
    cr_expect_eq(sa->nproposals, IKE_MAX_PROPOSALS);
    cr_expect_eq(sa->ntransforms, IKE_MAX_PROPOSALS);
    free(b);
    free(sa);
}

Test(payloads, error_names)
{
    cr_expect_str_eq(ike_pl_err_name(IKE_PL_OK), "ok");
    cr_expect_str_eq(ike_pl_err_name(IKE_PL_BAD_LENGTH), "bad_length");
    cr_expect_str_eq(ike_pl_err_name((enum ike_pl_err)99), "unknown");
}
