/* test_revocation.c: CRL/OCSP locations from certificates (RFC 5280 §4.2.1.13, §4.2.2.1)
 * judged against DNS, TCP and HTTP facts (capture/netlog.h). */
#include <criterion/criterion.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "analyze/revocation.h"

Test(revocation, url_host_and_port)
{
    char host[128];
    uint16_t port;
    cr_assert(an_url_host_port("http://CRL.Example.test/ca.crl", host, sizeof host, &port));
    cr_assert_str_eq(host, "crl.example.test");
    cr_assert_eq(port, 80);
    cr_assert(an_url_host_port("http://192.0.2.80:8080/ocsp", host, sizeof host, &port));
    cr_assert_str_eq(host, "192.0.2.80");
    cr_assert_eq(port, 8080);
    cr_assert(an_url_host_port("https://[2001:db8::1]/x", host, sizeof host, &port));
    cr_assert_str_eq(host, "2001:db8::1");
    cr_assert_eq(port, 443);
    cr_assert(an_url_host_port("ldap://dir.example.test/cn=CA?certificateRevocationList", host, sizeof host, &port));
    cr_assert_eq(port, 389);
    cr_assert_not(an_url_host_port("file:///etc/ca.crl", host, sizeof host, &port));
    cr_assert_not(an_url_host_port("http://", host, sizeof host, &port));
    cr_assert_not(an_url_host_port("http://host:99999/", host, sizeof host, &port));
    cr_assert_not(an_url_host_port("http://[2001:db8::1/x", host, sizeof host, &port));
}

/* A self-signed certificate naming a CRL by DNS name and an OCSP responder by address. */
static uint8_t *make_cert(size_t *len)
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509 *x = X509_new();
    cr_assert(key && x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"gw.example.test", -1, -1, 0);
    X509_set_issuer_name(x, n);
    X509_set_pubkey(x, key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *cdp = X509V3_EXT_conf_nid(NULL, &ctx, NID_crl_distribution_points,
                                              "URI:http://crl.example.test/ca.crl");
    X509_EXTENSION *aia = X509V3_EXT_conf_nid(NULL, &ctx, NID_info_access, "OCSP;URI:http://198.51.100.81:8080/");
    cr_assert(cdp && aia);
    X509_add_ext(x, cdp, -1);
    X509_add_ext(x, aia, -1);
    X509_EXTENSION_free(cdp);
    X509_EXTENSION_free(aia);
    cr_assert(X509_sign(x, key, EVP_sha256()));
    unsigned char *der = NULL;
    int n2 = i2d_X509(x, &der);
    cr_assert_gt(n2, 0);
    *len = (size_t)n2;
    X509_free(x);
    EVP_PKEY_free(key);
    return der;
}

static struct cap_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    struct cap_addr x = { .family = 4, .bytes = { a, b, c, d } };
    return x;
}

static void check(struct cap_netlog *log, struct an_fetches *out)
{
    size_t len;
    uint8_t *der = make_cert(&len);
    const struct an_x509 *x = an_x509_get(NULL, der, len);
    cr_assert(x && !x->error[0]);
    struct an_cert c = { .from_initiator = false, .index = 0, .kind = AN_CERT_X509, .x = x };
    struct an_sa_certs certs = { .certs = &c, .ncerts = 1 };
    struct ike_sa sa = { .id = 1, .version = 2, .first_seen = { 1000, 0 }, .last_seen = { 1002, 0 } };
    an_revocation_check(&sa, &certs, log, out);
    an_x509_release(x);
    OPENSSL_free(der);
}

static const uint8_t DNS_Q[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'c', 'r', 'l', 7, 'e', 'x', 'a',
                                 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1 };

Test(revocation, fetched_crl_and_refused_ocsp)
{
    struct cap_netlog *log = cap_netlog_new();
    struct cap_addr gw = v4(192, 0, 2, 1), res = v4(192, 0, 2, 53), cdp = v4(198, 51, 100, 80),
                    ocsp = v4(198, 51, 100, 81);
    uint8_t ans[sizeof DNS_Q + 16];
    memcpy(ans, DNS_Q, sizeof DNS_Q);
    ans[2] = 0x81;
    ans[3] = 0x80;
    ans[7] = 1;
    static const uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 51, 100, 80 };
    memcpy(ans + sizeof DNS_Q, rr, sizeof rr);
    cap_netlog_udp(log, 0, 1001, 5, &gw, &res, 40000, 53, DNS_Q, sizeof DNS_Q);
    cap_netlog_udp(log, 0, 1001, 6, &res, &gw, 53, 40000, ans, sizeof ans);
    cap_netlog_tcp(log, 0, 1001, 7, &gw, &cdp, 50000, 80, CAP_TCP_SYN, NULL, 0);
    cap_netlog_tcp(log, 0, 1001, 8, &cdp, &gw, 80, 50000, CAP_TCP_SYN | CAP_TCP_ACK, NULL, 0);
    const char *ok = "HTTP/1.1 200 OK\r\n\r\n";
    cap_netlog_tcp(log, 0, 1001, 9, &cdp, &gw, 80, 50000, CAP_TCP_ACK, (const uint8_t *)ok, strlen(ok));
    cap_netlog_tcp(log, 0, 1001, 10, &gw, &ocsp, 50001, 8080, CAP_TCP_SYN, NULL, 0);
    cap_netlog_tcp(log, 0, 1001, 11, &ocsp, &gw, 8080, 50001, CAP_TCP_RST | CAP_TCP_ACK, NULL, 0);
    struct an_fetches f;
    check(log, &f);
    cr_assert_eq(f.n, 2);
    cr_assert_eq(f.v[0].kind, AN_FETCH_CRL);
    cr_assert_str_eq(f.v[0].url, "http://crl.example.test/ca.crl");
    cr_assert_eq(f.v[0].verdict, AN_FETCH_FETCHED, "%s", an_fetch_verdict_name(f.v[0].verdict));
    cr_assert_eq(f.v[0].tcp->http_frame, 9);
    cr_assert_eq(f.v[1].kind, AN_FETCH_OCSP);
    cr_assert_eq(f.v[1].verdict, AN_FETCH_REFUSED, "%s", an_fetch_verdict_name(f.v[1].verdict));
    cap_netlog_free(log);
}

Test(revocation, nothing_seen_is_not_visible_and_old_traffic_does_not_count)
{
    struct cap_netlog *log = cap_netlog_new();
    struct cap_addr gw = v4(192, 0, 2, 1), res = v4(192, 0, 2, 53);
    /* An unanswered lookup an hour before the SA: outside the window. */
    cap_netlog_udp(log, 0, 1000 - 3600, 1, &gw, &res, 40000, 53, DNS_Q, sizeof DNS_Q);
    struct an_fetches f;
    check(log, &f);
    cr_assert_eq(f.n, 2);
    cr_assert_eq(f.v[0].verdict, AN_FETCH_NOT_VISIBLE);
    cr_assert_eq(f.v[1].verdict, AN_FETCH_NOT_VISIBLE);
    check(NULL, &f);
    cr_assert_eq(f.v[0].verdict, AN_FETCH_NOT_VISIBLE);
    cap_netlog_free(log);
}

Test(revocation, unanswered_lookup_is_a_failure)
{
    struct cap_netlog *log = cap_netlog_new();
    struct cap_addr gw = v4(192, 0, 2, 1), res = v4(192, 0, 2, 53);
    cap_netlog_udp(log, 0, 1001, 1, &gw, &res, 40000, 53, DNS_Q, sizeof DNS_Q);
    struct an_fetches f;
    check(log, &f);
    cr_assert_eq(f.v[0].verdict, AN_FETCH_DNS_NO_ANSWER);
    cr_assert(an_fetch_is_failure(f.v[0].verdict));
    cap_netlog_free(log);
}
