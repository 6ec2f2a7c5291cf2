/* revocation.h: the CRL distribution points and OCSP responders (RFC 5280 §4.2.1.13,
 * §4.2.2.1) of the certificates an SA carried, and whether the capture shows the receiving
 * side fetching them: DNS lookup, TCP connection, HTTP status (capture/netlog.h). */
#ifndef IKESCOPE_ANALYZE_REVOCATION_H
#define IKESCOPE_ANALYZE_REVOCATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/certs.h"
#include "capture/netlog.h"
#include "ike/sa.h"

#define AN_MAX_FETCHES 16

enum an_fetch_kind { AN_FETCH_CRL = 0, AN_FETCH_OCSP };

enum an_fetch_verdict {
    AN_FETCH_NOT_VISIBLE = 0, /* nothing in the capture touches the host */
    AN_FETCH_FETCHED,         /* HTTP 2xx from the server */
    AN_FETCH_CONNECTED,       /* TCP accepted, no HTTP status seen */
    AN_FETCH_HTTP_ERROR,      /* HTTP status 300 or above */
    AN_FETCH_REFUSED,         /* the server reset the connection attempt */
    AN_FETCH_NO_ANSWER,       /* SYNs without SYN-ACK */
    AN_FETCH_DNS_FAILED,      /* the name did not resolve (NXDOMAIN, SERVFAIL, no address) */
    AN_FETCH_DNS_NO_ANSWER,   /* a DNS question nobody answered */
    AN_FETCH_RESOLVED_ONLY,   /* looked up, never connected to (a cached copy, or a later failure) */
};

struct an_fetch {
    bool from_initiator;          /* whose certificate names it; its peer is the one to fetch */
    unsigned cert_index;
    enum an_fetch_kind kind;
    char url[200];                /* printable: other bytes become '?' */
    char host[128];
    uint16_t port;
    enum an_fetch_verdict verdict;
    const struct cap_dns_fact *dns; /* the lookup that decided, or NULL (borrowed from the log) */
    const struct cap_tcp_fact *tcp; /* the connection that decided, or NULL */
};

struct an_fetches {
    struct an_fetch v[AN_MAX_FETCHES];
    size_t n;
    size_t dropped;
};

/* "not visible", "fetched", "connected", "http error", "refused", "no answer", "dns failed",
 * "dns unanswered", "resolved only". */
const char *an_fetch_verdict_name(enum an_fetch_verdict v);
bool an_fetch_is_failure(enum an_fetch_verdict v);

/* Every CRL and OCSP URL of the SA's X.509 certificates, each judged from `log` (NULL: no
 * network facts were recorded, all "not visible") within ten minutes before the SA's first
 * message and a minute after its last. */
void an_revocation_check(const struct ike_sa *sa, const struct an_sa_certs *certs, const struct cap_netlog *log,
                         struct an_fetches *out);

/* Splits "http://host:port/path" (also https, ldap, IPv6 literals in brackets); false when
 * it is not a URL of a scheme that is fetched over TCP. */
bool an_url_host_port(const char *url, char *host, size_t hostlen, uint16_t *port);

#endif
