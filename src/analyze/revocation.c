/* revocation.c: where a certificate says its revocation status lives (CRL distribution
 * points, RFC 5280 §4.2.1.13; OCSP in authority information access, §4.2.2.1) and what the
 * capture shows of the peer going there. */
#include "analyze/revocation.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509v3.h>

const char *an_fetch_verdict_name(enum an_fetch_verdict v)
{
    static const char *const names[] = {
        [AN_FETCH_NOT_VISIBLE] = "not visible",   [AN_FETCH_FETCHED] = "fetched",
        [AN_FETCH_CONNECTED] = "connected",       [AN_FETCH_HTTP_ERROR] = "http error",
        [AN_FETCH_REFUSED] = "refused",           [AN_FETCH_NO_ANSWER] = "no answer",
        [AN_FETCH_DNS_FAILED] = "dns failed",     [AN_FETCH_DNS_NO_ANSWER] = "dns unanswered",
        [AN_FETCH_RESOLVED_ONLY] = "resolved only",
    };
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "unknown";
}

bool an_fetch_is_failure(enum an_fetch_verdict v)
{
    return v == AN_FETCH_HTTP_ERROR || v == AN_FETCH_REFUSED || v == AN_FETCH_NO_ANSWER ||
           v == AN_FETCH_DNS_FAILED || v == AN_FETCH_DNS_NO_ANSWER;
}

bool an_url_host_port(const char *url, char *host, size_t hostlen, uint16_t *port)
{
    static const struct { const char *scheme; uint16_t port; } schemes[] = {
        { "http://", 80 }, { "https://", 443 }, { "ldap://", 389 },
    };
    const char *p = NULL;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0] && !p; i++)
        if (strncasecmp(url, schemes[i].scheme, strlen(schemes[i].scheme)) == 0) {
            p = url + strlen(schemes[i].scheme);
            *port = schemes[i].port;
        }
    if (!p)
        return false;
    const char *end;
    if (*p == '[') { /* RFC 3986 §3.2.2: an IPv6 literal */
        end = strchr(p, ']');
        if (!end)
            return false;
        p++;
    } else {
        end = p + strcspn(p, ":/?#");
    }
    size_t n = (size_t)(end - p);
    if (n == 0 || n >= hostlen)
        return false;
    for (size_t i = 0; i < n; i++)
        host[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
    host[n] = '\0';
    if (*end == ']')
        end++;
    if (*end == ':') {
        unsigned v = 0;
        const char *d = end + 1;
        for (; *d >= '0' && *d <= '9' && v <= 65535; d++)
            v = v * 10 + (unsigned)(*d - '0');
        if (d == end + 1 || v == 0 || v > 65535)
            return false;
        *port = (uint16_t)v;
    }
    return true;
}

static bool in_window(int64_t ts, const struct ike_sa *sa)
{
    return ts >= sa->first_seen.sec - 600 && ts <= sa->last_seen.sec + 60;
}

/* Judges one URL from the log: the latest lookup of its host, then a connection to one of
 * the addresses it resolved to (or the literal address) on its port. */
static void judge(const struct ike_sa *sa, const struct cap_netlog *log, struct an_fetch *f)
{
    struct cap_addr addrs[NETLOG_ADDRS + 1];
    size_t naddrs = 0;
    if (cap_addr_parse(f->host, &addrs[0]))
        naddrs = 1;
    for (size_t i = 0; log && naddrs == 0 && i < log->ndns; i++) {
        const struct cap_dns_fact *d = &log->dns[i];
        if (strcmp(d->name, f->host) != 0 || !in_window(d->ts_sec, sa))
            continue;
        /* A successful answer wins over failures (AAAA NXDOMAIN beside A NOERROR). */
        if (!f->dns || (d->answered && d->naddrs && !(f->dns->answered && f->dns->naddrs)))
            f->dns = d;
    }
    if (f->dns) {
        memcpy(addrs, f->dns->addrs, f->dns->naddrs * sizeof addrs[0]);
        naddrs = f->dns->naddrs;
    }
    for (size_t i = 0; log && i < log->ntcp; i++) {
        const struct cap_tcp_fact *t = &log->tcp[i];
        if (t->server_port != f->port || !in_window(t->ts_sec, sa))
            continue;
        bool to_host = false;
        for (size_t k = 0; k < naddrs; k++)
            to_host = to_host || cap_addr_eq(&addrs[k], &t->server);
        /* Prefer an attempt that got further. */
        if (to_host && (!f->tcp || (!f->tcp->synack_frame && t->synack_frame) ||
                        (!f->tcp->http_status && t->http_status)))
            f->tcp = t;
    }
    if (f->tcp) {
        const struct cap_tcp_fact *t = f->tcp;
        if (t->http_status)
            f->verdict = t->http_status < 300 ? AN_FETCH_FETCHED : AN_FETCH_HTTP_ERROR;
        else if (t->synack_frame)
            f->verdict = AN_FETCH_CONNECTED;
        else if (t->rst_frame && t->rst_from_server)
            f->verdict = AN_FETCH_REFUSED;
        else
            f->verdict = AN_FETCH_NO_ANSWER;
    } else if (f->dns) {
        f->verdict = !f->dns->answered ? AN_FETCH_DNS_NO_ANSWER
                     : f->dns->rcode || !f->dns->naddrs ? AN_FETCH_DNS_FAILED
                                                        : AN_FETCH_RESOLVED_ONLY;
    }
}

static void add_url(const struct ike_sa *sa, const struct an_cert *c, enum an_fetch_kind kind,
                    const ASN1_IA5STRING *uri, const struct cap_netlog *log, struct an_fetches *out)
{
    if (out->n == AN_MAX_FETCHES) {
        out->dropped++;
        return;
    }
    struct an_fetch *f = &out->v[out->n];
    memset(f, 0, sizeof *f);
    size_t n = (size_t)ASN1_STRING_length(uri);
    const unsigned char *d = ASN1_STRING_get0_data(uri);
    if (n >= sizeof f->url)
        n = sizeof f->url - 1;
    for (size_t i = 0; i < n; i++)
        f->url[i] = d[i] >= 0x20 && d[i] < 0x7f ? (char)d[i] : '?';
    if (!an_url_host_port(f->url, f->host, sizeof f->host, &f->port))
        return; /* not fetched over TCP (a file: or a truncated URL): nothing to look for */
    f->from_initiator = c->from_initiator;
    f->cert_index = c->index;
    f->kind = kind;
    judge(sa, log, f);
    out->n++;
}

void an_revocation_check(const struct ike_sa *sa, const struct an_sa_certs *certs, const struct cap_netlog *log,
                         struct an_fetches *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; certs && i < certs->ncerts; i++) {
        const struct an_cert *c = &certs->certs[i];
        if (c->kind != AN_CERT_X509 || !c->x || !c->x->cert)
            continue;
        X509 *x = (X509 *)c->x->cert;
        STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
        for (int k = 0; dps && k < sk_DIST_POINT_num(dps); k++) {
            const DIST_POINT *dp = sk_DIST_POINT_value(dps, k);
            if (!dp->distpoint || dp->distpoint->type != 0)
                continue;
            const GENERAL_NAMES *names = dp->distpoint->name.fullname;
            for (int m = 0; m < sk_GENERAL_NAME_num(names); m++) {
                const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, m);
                if (g->type == GEN_URI)
                    add_url(sa, c, AN_FETCH_CRL, g->d.uniformResourceIdentifier, log, out);
            }
        }
        sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
        AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
        for (int k = 0; aia && k < sk_ACCESS_DESCRIPTION_num(aia); k++) {
            const ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, k);
            if (OBJ_obj2nid(ad->method) == NID_ad_OCSP && ad->location->type == GEN_URI)
                add_url(sa, c, AN_FETCH_OCSP, ad->location->d.uniformResourceIdentifier, log, out);
        }
        AUTHORITY_INFO_ACCESS_free(aia);
    }
}
