/* chain_policy.h: does the certificate chain one side sent lead to a CA the other side
 * asked for in CERTREQ (RFC 7296 §3.7, RFC 2408 §3.10)? This is the receiver's policy as
 * the wire shows it, and what tells "an intermediate was not sent" apart from "the chain
 * comes from a root the receiver does not trust" when the missing issuer is not at hand. */
#ifndef IKESCOPE_ANALYZE_CHAIN_POLICY_H
#define IKESCOPE_ANALYZE_CHAIN_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/certs.h"

enum an_issuer_relation {
    AN_ISSUER_UNKNOWN = 0, /* the requests and names do not tell */
    AN_ISSUER_REQUESTED,   /* the chain reaches a CA the receiver asked for */
    AN_ISSUER_SAME_PKI,    /* not asked for, but of the organisation of a CA asked for (or of
                            * the receiver's own certificates): an intermediate left out */
    AN_ISSUER_FOREIGN,     /* not asked for, and from another organisation, or a self-signed
                            * root the sender sent and the receiver did not ask for */
};

struct an_chain_policy {
    enum an_issuer_relation relation;
    char top[160];        /* the CA the sent chain ends at: its commonName, else its DN */
    char top_dn[320];     /* RFC 2253 */
    bool top_sent;        /* that CA is a self-signed root the sender sent */
    char related[160];    /* SAME_PKI: the requested (or the receiver's own) CA it shares its
                           * organisation with */
    char asked[600];      /* the CAs asked for, quoted and comma-separated */
    size_t nasked;        /* requests */
    size_t unnamed;       /* requests named by a key hash that nothing here resolves */
    bool unnamed_are_own; /* as many unnamed requests as the receiver's own CAs that it did
                           * not send: by count, those are what it asked for */
};

/* The receiver's requests against the chain `ee` heads among what the sender sent.
 * `issuer_dn` (may be NULL) is the missing issuer path building found with more
 * certificates (--intermediate, --ca); otherwise the chain is walked by name among the
 * sender's certificates. Returns false when the receiver made no request, or asked for any
 * CA: then there is no policy to compare with. */
bool an_chain_policy(const struct an_sa_certs *cs, bool sender_initiator, const struct an_x509 *ee,
                     const char *issuer_dn, struct an_chain_policy *out);

/* The DN without its commonName RDNs, lowercased: "o=ikescope lab,c=xx". "" when only a
 * commonName is left. Exposed for tests. */
void an_dn_organisation(const char *dn, char *out, size_t len);

#endif
