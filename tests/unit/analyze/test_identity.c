/* test_identity.c: ID payloads and AUTH methods as reports show them, for good and for
 * hostile payload bodies (lengths that lie, bytes that are not text, DER that is not). */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/auth_info.h"
#include "analyze/identity.h"
#include "ike/msg.h"

/* An ID payload body: type, 3 reserved bytes (IKEv2; IKEv1: protocol and port), data. */
static struct ike_payload id_payload(uint8_t version, uint8_t id_type, const uint8_t *data, size_t n,
                                     uint8_t *buf)
{
    buf[0] = id_type;
    buf[1] = buf[2] = buf[3] = 0;
    memcpy(buf + 4, data, n);
    struct ike_payload p = { .type = version == 2 ? IKE2_PL_IDI : IKE1_PL_ID, .body = buf,
                             .body_len = (uint32_t)(4 + n), .id_type = id_type };
    return p;
}

static void expect_id(uint8_t version, uint8_t type, const void *data, size_t n, const char *want_type,
                      const char *want_value)
{
    uint8_t buf[128];
    struct ike_payload p = id_payload(version, type, data, n, buf);
    struct an_identity id;
    cr_assert(an_payload_identity(version, &p, &id), "type %u", type);
    cr_expect_str_eq(id.type, want_type);
    cr_expect_str_eq(id.value, want_value);
}

Test(identity, names_and_addresses)
{
    expect_id(2, 2, "west", 4, "FQDN", "west");
    expect_id(2, 3, "a@b.example", 11, "RFC822_ADDR", "a@b.example");
    expect_id(2, 1, (uint8_t[]){ 192, 0, 2, 1 }, 4, "IPV4_ADDR", "192.0.2.1");
    expect_id(2, 5, (uint8_t[]){ 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, 16, "IPV6_ADDR", "2001:db8::1");
}

Test(identity, ikev1_subnets_and_ranges)
{
    expect_id(1, 4, (uint8_t[]){ 198, 18, 1, 0, 255, 255, 255, 0 }, 8, "IPV4_ADDR_SUBNET", "198.18.1.0/24");
    /* A mask that is not a prefix is shown as a mask. */
    expect_id(1, 4, (uint8_t[]){ 10, 0, 0, 0, 255, 0, 255, 0 }, 8, "IPV4_ADDR_SUBNET", "10.0.0.0/255.0.255.0");
    expect_id(1, 7, (uint8_t[]){ 10, 0, 0, 1, 10, 0, 0, 9 }, 8, "IPV4_ADDR_RANGE", "10.0.0.1-10.0.0.9");
    uint8_t v6[32] = { 0x20, 0x01, 0x0d, 0xb8 };
    memset(v6 + 16, 0xff, 8);
    expect_id(1, 6, v6, 32, "IPV6_ADDR_SUBNET", "2001:db8::/64");
}

Test(identity, hostile_bodies_never_print_raw_bytes)
{
    /* Addresses of the wrong length are refused by the decoder or shown as hex, never as
     * an address read past the data; control bytes in names are escaped. */
    uint8_t buf[64];
    struct an_identity id;
    struct ike_payload p = id_payload(2, 1, (uint8_t[]){ 192, 0, 2 }, 3, buf);
    cr_expect(!an_payload_identity(2, &p, &id) || strcmp(id.value, "c00002") == 0);
    p = id_payload(1, 4, (uint8_t[]){ 198, 18, 1, 0, 255, 255 }, 6, buf);
    cr_expect(!an_payload_identity(1, &p, &id) || strcmp(id.value, "c6120100ffff") == 0);
    expect_id(2, 2, "a\x1b[31m\xff", 7, "FQDN", "a\\x1b[31m\\xff");
    /* RFC 7296 §3.5: a name with a line break is not a valid FQDN; it is not shown at all. */
    p = id_payload(2, 2, (const uint8_t *)"a\nb", 3, buf);
    cr_expect_not(an_payload_identity(2, &p, &id));
    expect_id(2, 9, (uint8_t[]){ 0x30, 0x05, 0x01 }, 3, "DER_ASN1_DN", "300501");
    /* Not an ID payload, or a body too short for the ID header. */
    struct ike_payload sa = { .type = IKE2_PL_SA };
    cr_expect_not(an_payload_identity(2, &sa, &id));
    struct ike_payload cut = { .type = IKE2_PL_IDI, .body = (const uint8_t *)"\x02", .body_len = 1 };
    cr_expect_not(an_payload_identity(2, &cut, &id));
}

/* A one-message IKEv2 SA whose IKE_AUTH request from `initiator` carries `p`. */
static void one_auth_sa(struct ike_sa *sa, struct ike_sa_msg *sm, struct ike_payload *p, size_t np)
{
    memset(sa, 0, sizeof *sa);
    memset(sm, 0, sizeof *sm);
    sa->version = 2;
    sa->msgs = sm;
    sa->nmsgs = 1;
    sm->from_initiator = true;
    sm->msg.version = 2;
    sm->msg.exchange = 35;
    sm->msg.payloads = p;
    sm->msg.npayloads = np;
}

Test(auth, methods_by_name_and_rfc7427_algorithm)
{
    struct ike_sa sa;
    struct ike_sa_msg sm;
    char out[160];
    /* RSA signature (method 1). */
    uint8_t rsa[] = { 1, 0, 0, 0, 0xaa };
    struct ike_payload p = { .type = IKE2_PL_AUTH, .body = rsa, .body_len = sizeof rsa, .auth_method = 1 };
    one_auth_sa(&sa, &sm, &p, 1);
    cr_assert(an_sa_auth_method(&sa, true, out, sizeof out));
    cr_expect_str_eq(out, "RSA Digital Signature");
    cr_expect_not(an_sa_auth_method(&sa, false, out, sizeof out), "the responder's AUTH was not seen");

    /* RFC 7427: length 13, then AlgorithmIdentifier ecdsa-with-SHA384 (1.2.840.10045.4.3.3). */
    uint8_t ds[] = { 14, 0, 0, 0, 12, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03, 0x99 };
    p = (struct ike_payload){ .type = IKE2_PL_AUTH, .body = ds, .body_len = sizeof ds, .auth_method = 14 };
    cr_assert(an_sa_auth_method(&sa, true, out, sizeof out));
    cr_expect_str_eq(out, "Digital Signature (ecdsa-with-SHA384)");

    /* Hostile RFC 7427 data: a length past the end, or DER that is not an AlgorithmIdentifier. */
    uint8_t liar[] = { 14, 0, 0, 0, 200, 0x30, 0x0a };
    p = (struct ike_payload){ .type = IKE2_PL_AUTH, .body = liar, .body_len = sizeof liar, .auth_method = 14 };
    cr_assert(an_sa_auth_method(&sa, true, out, sizeof out));
    cr_expect_str_eq(out, "Digital Signature");
    uint8_t junk[] = { 14, 0, 0, 0, 3, 0x04, 0x01, 0x00 };
    p = (struct ike_payload){ .type = IKE2_PL_AUTH, .body = junk, .body_len = sizeof junk, .auth_method = 14 };
    cr_assert(an_sa_auth_method(&sa, true, out, sizeof out));
    cr_expect_str_eq(out, "Digital Signature");

    /* IDi without AUTH in the initiator's first IKE_AUTH: EAP (RFC 7296 §2.16). */
    uint8_t idb[] = { 2, 0, 0, 0, 'w' };
    struct ike_payload idp = { .type = IKE2_PL_IDI, .body = idb, .body_len = sizeof idb, .id_type = 2 };
    one_auth_sa(&sa, &sm, &idp, 1);
    cr_assert(an_sa_auth_method(&sa, true, out, sizeof out));
    cr_expect_str_eq(out, "EAP");

    /* IKEv1 names its method in the proposal, not here. */
    sa.version = 1;
    cr_expect_not(an_sa_auth_method(&sa, true, out, sizeof out));
}
