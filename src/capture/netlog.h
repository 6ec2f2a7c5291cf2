/* netlog.h: what a capture shows of an endpoint's other traffic that bears on IKE: DNS
 * lookups (RFC 1035), TCP connection attempts (RFC 9293) and HTTP status lines (RFC 9112),
 * so that a CRL or OCSP fetch a certificate check needed can be seen to succeed or fail.
 * Bounded: the first NETLOG_MAX of each kind are kept, the rest counted. */
#ifndef IKESCOPE_CAPTURE_NETLOG_H
#define IKESCOPE_CAPTURE_NETLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

#define NETLOG_MAX 4096
#define NETLOG_ADDRS 4

/* One DNS question and, when seen, its answer (matched by ID, addresses and ports). */
struct cap_dns_fact {
    unsigned input;
    char name[256];            /* the question, lower case, without the trailing dot */
    uint16_t qtype;            /* 1 A, 28 AAAA, ... */
    uint16_t id;
    struct cap_addr client, server;
    uint16_t client_port;
    int64_t ts_sec;
    uint64_t query_frame;
    unsigned queries;          /* the same question sent again before an answer */
    bool answered;
    uint8_t rcode;             /* 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, ... */
    uint64_t answer_frame;
    struct cap_addr addrs[NETLOG_ADDRS]; /* A/AAAA records of the answer */
    size_t naddrs;
};

/* One TCP connection attempt, from the first SYN of a client port. */
struct cap_tcp_fact {
    unsigned input;
    struct cap_addr client, server;
    uint16_t client_port, server_port;
    int64_t ts_sec;
    uint64_t syn_frame;
    unsigned syns;             /* SYNs sent (retransmissions included) */
    uint64_t synack_frame;     /* 0: the server never accepted */
    uint64_t rst_frame;        /* 0: no reset seen; a reset before SYN-ACK is a refusal */
    bool rst_from_server;
    int http_status;           /* the first HTTP status line from the server, 0 when none */
    uint64_t http_frame;
};

struct cap_netlog {
    struct cap_dns_fact *dns;  /* owned */
    size_t ndns;
    struct cap_tcp_fact *tcp;  /* owned */
    size_t ntcp;
    uint64_t dns_dropped, tcp_dropped;
};

/* NULL when out of memory. */
struct cap_netlog *cap_netlog_new(void);
void cap_netlog_free(struct cap_netlog *log);

/* Called by the decoder for UDP port 53 and for TCP segments not on IKE ports; `payload`
 * starts after the UDP header / the TCP header (with options). */
void cap_netlog_udp(struct cap_netlog *log, unsigned input, int64_t ts_sec, uint64_t frame,
                    const struct cap_addr *src, const struct cap_addr *dst, uint16_t sport, uint16_t dport,
                    const uint8_t *payload, size_t len);
void cap_netlog_tcp(struct cap_netlog *log, unsigned input, int64_t ts_sec, uint64_t frame,
                    const struct cap_addr *src, const struct cap_addr *dst, uint16_t sport, uint16_t dport,
                    unsigned flags, const uint8_t *payload, size_t len);

/* TCP flags as on the wire (RFC 9293 §3.1). */
enum { CAP_TCP_FIN = 0x01, CAP_TCP_SYN = 0x02, CAP_TCP_RST = 0x04, CAP_TCP_ACK = 0x10 };

#endif
