/* rules_revocation.c: whether the capture shows the receiving side reaching the CRL and
 * OCSP locations of the certificates it was sent (revocation.h): a failed fetch is the
 * "CRL not reachable" cause of the Windows certificate errors, confirmed on the wire. */
#include <stdio.h>
#include <string.h>

#include "analyze/revocation.h"
#include "analyze/rules.h"
#include "analyze/rules_internal.h"

static void what_happened(const struct an_fetch *f, char *buf, size_t len)
{
    char addr[64];
    switch (f->verdict) {
    case AN_FETCH_FETCHED:
    case AN_FETCH_HTTP_ERROR:
        snprintf(buf, len, "HTTP %d from %s (frame %llu)", f->tcp->http_status,
                 cap_addr_str(&f->tcp->server, addr, sizeof addr), (unsigned long long)f->tcp->http_frame);
        break;
    case AN_FETCH_CONNECTED:
        snprintf(buf, len, "TCP connection to %s port %u accepted (frame %llu), no HTTP answer in the capture",
                 cap_addr_str(&f->tcp->server, addr, sizeof addr), f->port, (unsigned long long)f->tcp->synack_frame);
        break;
    case AN_FETCH_REFUSED:
        snprintf(buf, len, "%s refused the TCP connection on port %u (reset, frame %llu)",
                 cap_addr_str(&f->tcp->server, addr, sizeof addr), f->port, (unsigned long long)f->tcp->rst_frame);
        break;
    case AN_FETCH_NO_ANSWER:
        snprintf(buf, len, "%u TCP connection attempt%s to %s port %u, never answered (first frame %llu)",
                 f->tcp->syns, f->tcp->syns == 1 ? "" : "s", cap_addr_str(&f->tcp->server, addr, sizeof addr),
                 f->port, (unsigned long long)f->tcp->syn_frame);
        break;
    case AN_FETCH_DNS_FAILED:
        snprintf(buf, len, "the DNS lookup of %s failed (%s, frame %llu)", f->host,
                 f->dns->rcode == 3 ? "NXDOMAIN" : f->dns->rcode == 2 ? "SERVFAIL" : f->dns->rcode ? "error"
                                                                                 : "no address",
                 (unsigned long long)f->dns->answer_frame);
        break;
    case AN_FETCH_DNS_NO_ANSWER:
        snprintf(buf, len, "the DNS lookup of %s got no answer (asked %u time%s, first frame %llu)", f->host,
                 f->dns->queries, f->dns->queries == 1 ? "" : "s", (unsigned long long)f->dns->query_frame);
        break;
    case AN_FETCH_RESOLVED_ONLY:
        snprintf(buf, len, "%s was looked up (frame %llu) but never connected to", f->host,
                 (unsigned long long)f->dns->answer_frame);
        break;
    case AN_FETCH_NOT_VISIBLE:
        snprintf(buf, len, "not visible in this capture");
        break;
    }
}

static void add_frames(struct an_finding *fd, const struct an_fetch *f)
{
    uint64_t frames[4];
    size_t n = 0;
    if (f->dns && f->dns->query_frame)
        frames[n++] = f->dns->query_frame;
    if (f->dns && f->dns->answer_frame)
        frames[n++] = f->dns->answer_frame;
    if (f->tcp)
        frames[n++] = f->tcp->syn_frame;
    if (f->tcp && (f->tcp->http_frame || f->tcp->rst_frame || f->tcp->synack_frame))
        frames[n++] = f->tcp->http_frame ? f->tcp->http_frame : f->tcp->rst_frame ? f->tcp->rst_frame
                                                                                   : f->tcp->synack_frame;
    an_rule_add_frames(fd, frames, n);
}

void an_rule_revocation(struct an_rule_ctx *ctx, struct an_findings *out)
{
    an_revocation_check(ctx->sa, ctx->certs, ctx->netlog, &ctx->fetches);
    for (size_t i = 0; i < ctx->fetches.n; i++) {
        const struct an_fetch *f = &ctx->fetches.v[i];
        bool failed = an_fetch_is_failure(f->verdict);
        if (!failed && f->verdict != AN_FETCH_FETCHED)
            continue;
        struct an_finding *fd = an_rule_add(out, failed ? "revocation.unreachable" : "revocation.fetched",
                                            ctx->sa, NULL);
        if (!fd)
            return;
        add_frames(fd, f);
        char what[200];
        what_happened(f, what, sizeof what);
        const char *kind = f->kind == AN_FETCH_CRL ? "CRL" : "OCSP responder";
        const char *owner = f->from_initiator ? "initiator" : "responder";
        const char *checker = f->from_initiator ? "responder" : "initiator";
        an_rule_textf(fd->title, sizeof fd->title, "%s of the %s's certificate %s: %s", kind, owner,
                      failed ? "not reachable" : "fetched", f->url);
        if (failed)
            an_rule_textf(fd->detail, sizeof fd->detail,
                          "Certificate #%u of the %s names %s as its %s; the capture shows %s. The %s, if it checks "
                          "revocation strictly, then rejects the certificate (Windows: 13817 "
                          "ERROR_IPSEC_IKE_CRL_FAILED, and the VPN client often shows 13801), and strongSwan "
                          "with strict revocation policy fails the authentication. Make the location reachable "
                          "from the %s (DNS name, firewall, proxy), publish the CRL where the certificate says, "
                          "or relax the revocation policy while testing.",
                          f->cert_index, owner, f->url, kind, what, checker, checker);
        else
            an_rule_textf(fd->detail, sizeof fd->detail,
                          "Certificate #%u of the %s names %s as its %s, and the capture shows it reached: %s. "
                          "Revocation data was available to the %s, which rules out an unreachable %s as the "
                          "cause of a failure.",
                          f->cert_index, owner, f->url, kind, what, checker, kind);
    }
}
