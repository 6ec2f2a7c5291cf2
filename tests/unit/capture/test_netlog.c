/* test_netlog.c: DNS questions and answers, TCP connection attempts and HTTP status lines
 * recorded beside IKE (netlog.h), fed through the decoder as packets. */
#include <criterion/criterion.h>
#include <pcap/dlt.h>
#include <string.h>

#include "capture/netlog.h"
#include "helpers.h"

static uint8_t ip_buf[2048];

static struct tdec *with_log(struct cap_netlog **log)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    *log = cap_netlog_new();
    cr_assert_not_null(*log);
    cfg.netlog = *log;
    return tdec_new(&cfg);
}

/* A DNS message for crl.example.test: a question (A), or its answer with one address. */
static size_t dns_msg(uint8_t *out, uint16_t id, bool answer, uint8_t rcode)
{
    static const uint8_t qname[] = { 3, 'c', 'r', 'l', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0 };
    size_t n = 0;
    out[n++] = (uint8_t)(id >> 8);
    out[n++] = (uint8_t)id;
    out[n++] = answer ? 0x81 : 0x01;
    out[n++] = answer ? (uint8_t)(0x80 | rcode) : 0x00;
    static const uint8_t counts[] = { 0, 1, 0, 0, 0, 0, 0, 0 };
    memcpy(out + n, counts, sizeof counts);
    if (answer && rcode == 0)
        out[n + 3] = 1; /* ANCOUNT */
    n += sizeof counts;
    memcpy(out + n, qname, sizeof qname);
    n += sizeof qname;
    static const uint8_t qtail[] = { 0, 1, 0, 1 };
    memcpy(out + n, qtail, sizeof qtail);
    n += sizeof qtail;
    if (answer && rcode == 0) {
        /* Name by pointer to offset 12, A, IN, TTL 60, 4 bytes: 198.51.100.80. */
        static const uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 51, 100, 80 };
        memcpy(out + n, rr, sizeof rr);
        n += sizeof rr;
    }
    return n;
}

static void feed_udp(struct tdec *t, const uint8_t src[4], const uint8_t dst[4], uint16_t sp, uint16_t dp,
                     const uint8_t *pl, size_t n, uint64_t frame)
{
    uint8_t udp[600];
    size_t u = mk_udp(udp, sp, dp, pl, n);
    size_t ipn = mk_ip4(ip_buf, src, dst, 17, 1, 0, NULL, 0, udp, u);
    tdec_feed(t, DLT_RAW, frame, 100, ip_buf, ipn);
}

static void feed_tcp(struct tdec *t, const uint8_t src[4], const uint8_t dst[4], uint16_t sp, uint16_t dp,
                     uint8_t flags, const char *data, uint64_t frame)
{
    uint8_t tcp[600];
    size_t n = data ? strlen(data) : 0;
    size_t s = mk_tcp(tcp, sp, dp, 1000, flags, (const uint8_t *)data, n);
    size_t ipn = mk_ip4(ip_buf, src, dst, 6, 1, 0, NULL, 0, tcp, s);
    tdec_feed(t, DLT_RAW, frame, 100, ip_buf, ipn);
}

static const uint8_t CLIENT[4] = { 192, 0, 2, 2 }, RESOLVER[4] = { 192, 0, 2, 53 }, CDP[4] = { 198, 51, 100, 80 };

Test(netlog, dns_question_and_answer_are_paired_with_the_address)
{
    struct cap_netlog *log;
    struct tdec *t = with_log(&log);
    uint8_t m[200];
    feed_udp(t, CLIENT, RESOLVER, 40000, 53, m, dns_msg(m, 0x1234, false, 0), 1);
    feed_udp(t, CLIENT, RESOLVER, 40000, 53, m, dns_msg(m, 0x1234, false, 0), 2); /* asked again */
    feed_udp(t, RESOLVER, CLIENT, 53, 40000, m, dns_msg(m, 0x1234, true, 0), 3);
    cr_assert_eq(log->ndns, 1);
    const struct cap_dns_fact *d = &log->dns[0];
    cr_assert_str_eq(d->name, "crl.example.test");
    cr_assert_eq(d->queries, 2);
    cr_assert(d->answered);
    cr_assert_eq(d->rcode, 0);
    cr_assert_eq(d->query_frame, 1);
    cr_assert_eq(d->answer_frame, 3);
    cr_assert_eq(d->naddrs, 1);
    cr_assert_eq(memcmp(d->addrs[0].bytes, CDP, 4), 0);
    tdec_free(t);
    cap_netlog_free(log);
}

Test(netlog, nxdomain_and_silence)
{
    struct cap_netlog *log;
    struct tdec *t = with_log(&log);
    uint8_t m[200];
    feed_udp(t, CLIENT, RESOLVER, 40001, 53, m, dns_msg(m, 7, false, 0), 1);
    feed_udp(t, RESOLVER, CLIENT, 53, 40001, m, dns_msg(m, 7, true, 3), 2);
    feed_udp(t, CLIENT, RESOLVER, 40002, 53, m, dns_msg(m, 8, false, 0), 3);
    cr_assert_eq(log->ndns, 2);
    cr_assert(log->dns[0].answered);
    cr_assert_eq(log->dns[0].rcode, 3);
    cr_assert_eq(log->dns[0].naddrs, 0);
    cr_assert_not(log->dns[1].answered);
    tdec_free(t);
    cap_netlog_free(log);
}

Test(netlog, tcp_handshake_and_http_status)
{
    struct cap_netlog *log;
    struct tdec *t = with_log(&log);
    feed_tcp(t, CLIENT, CDP, 50000, 80, CAP_TCP_SYN, NULL, 10);
    feed_tcp(t, CDP, CLIENT, 80, 50000, CAP_TCP_SYN | CAP_TCP_ACK, NULL, 11);
    feed_tcp(t, CLIENT, CDP, 50000, 80, CAP_TCP_ACK, "GET /ca.crl HTTP/1.1\r\n\r\n", 12);
    feed_tcp(t, CDP, CLIENT, 80, 50000, CAP_TCP_ACK, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 13);
    cr_assert_eq(log->ntcp, 1);
    const struct cap_tcp_fact *f = &log->tcp[0];
    cr_assert_eq(f->syn_frame, 10);
    cr_assert_eq(f->synack_frame, 11);
    cr_assert_eq(f->http_status, 200);
    cr_assert_eq(f->http_frame, 13);
    cr_assert_eq(f->rst_frame, 0);
    tdec_free(t);
    cap_netlog_free(log);
}

Test(netlog, refused_and_unanswered_connections)
{
    struct cap_netlog *log;
    struct tdec *t = with_log(&log);
    feed_tcp(t, CLIENT, CDP, 50001, 80, CAP_TCP_SYN, NULL, 1);
    feed_tcp(t, CDP, CLIENT, 80, 50001, CAP_TCP_RST | CAP_TCP_ACK, NULL, 2);
    for (int i = 0; i < 3; i++)
        feed_tcp(t, CLIENT, CDP, 50002, 80, CAP_TCP_SYN, NULL, 3 + (uint64_t)i);
    cr_assert_eq(log->ntcp, 2);
    cr_assert_eq(log->tcp[0].rst_frame, 2);
    cr_assert(log->tcp[0].rst_from_server);
    cr_assert_eq(log->tcp[0].synack_frame, 0);
    cr_assert_eq(log->tcp[1].syns, 3);
    cr_assert_eq(log->tcp[1].synack_frame, 0);
    tdec_free(t);
    cap_netlog_free(log);
}

Test(netlog, malformed_dns_is_ignored)
{
    struct cap_netlog *log;
    struct tdec *t = with_log(&log);
    uint8_t m[200];
    size_t n = dns_msg(m, 9, false, 0);
    for (size_t cut = 0; cut < n; cut++)
        feed_udp(t, CLIENT, RESOLVER, 40003, 53, m, cut, 1 + cut); /* every prefix */
    m[12] = 0xc0; /* a pointer loop onto itself */
    m[13] = 12;
    feed_udp(t, CLIENT, RESOLVER, 40004, 53, m, n, 100);
    cr_assert_eq(log->ndns, 0);
    tdec_free(t);
    cap_netlog_free(log);
}
