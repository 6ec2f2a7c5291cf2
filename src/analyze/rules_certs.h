/* rules_certs.h: the certificates each side sent, checked as its peer would at the time
 * they were sent: validity, key usage, extended key usage, the chain to a trust anchor
 * (with CRLs), and whether the identity asked for is the one the certificate names. */
#ifndef IKESCOPE_ANALYZE_RULES_CERTS_H
#define IKESCOPE_ANALYZE_RULES_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/certs.h"
#include "analyze/findings.h"
#include "analyze/peer_profile.h"
#include "analyze/trust.h"
#include "ike/sa.h"

#define AN_MAX_CERT_PROBLEMS 16

/* One problem with one certificate, as a short line for the text report. */
struct an_cert_problem {
    bool from_initiator;
    unsigned index;            /* the certificate's index per sender */
    const char *rule;          /* the finding's rule, static */
    char line[120];
};

/* What was checked for one side's end-entity certificate (the first it sent). */
struct an_side_check {
    bool present;              /* the side sent a readable X.509 certificate */
    unsigned index;
    struct ike_time at;        /* the check time: capture time of its message, or --at */
    const char *validity;      /* "valid", "expired", "not_yet_valid", "unknown" */
    bool chain_checked;        /* trust anchors were given */
    struct an_chain_result chain;
    int requested_ca;          /* 1 the chain reaches a CA the peer asked for, 0 it does not,
                                * -1 cannot tell (no CERTREQ, or the chain's top is unknown) */
};

struct an_cert_checks {
    struct an_side_check side[2]; /* [1] initiator, [0] responder */
    struct an_cert_problem problems[AN_MAX_CERT_PROBLEMS];
    size_t nproblems;
};

/* Checks `certs` (of `sa`) and appends findings (cert.expired, cert.not_yet_valid,
 * cert.key_usage, cert.eku_mismatch, cert.revoked, chain.*, id.mismatch). `trust` may be
 * NULL or hold no anchors (then no chain is judged); `at` is the --at time or NULL. */
void an_rules_certs(const struct ike_sa *sa, const struct an_sa_certs *certs, struct an_trust *trust,
                    const struct ike_time *at, const struct an_profile_choice profile[2],
                    struct an_cert_checks *checks, struct an_findings *out);

/* Does the certificate name `id` (type as identity.h prints it: "FQDN", "RFC822_ADDR",
 * "IPV4_ADDR", "IPV6_ADDR", "DER_ASN1_DN") in a subjectAltName of the matching kind, or
 * as its subject for a DN? RFC 4945 §3.1. */
bool an_cert_names_identity(const struct an_x509 *x, const char *type, const char *value);

#endif
