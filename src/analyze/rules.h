/* rules.h: every rule over one finished SA, run from one place with one context. */
#ifndef IKESCOPE_ANALYZE_RULES_H
#define IKESCOPE_ANALYZE_RULES_H

#include <stdint.h>

#include "analyze/auth_verify.h"
#include "analyze/certs.h"
#include "analyze/endpoint_log.h"
#include "analyze/findings.h"
#include "analyze/peer_profile.h"
#include "analyze/psk_auth.h"
#include "analyze/revocation.h"
#include "analyze/rules_certs.h"
#include "analyze/trust.h"
#include "ike/sa.h"

/* What the rules may look at. The caller fills the inputs (all borrowed for the call);
 * an_rules_run fills the results, which the report writers render beside the findings. */
struct an_rule_ctx {
    const struct ike_sa *sa;
    const struct an_sa_certs *certs;   /* the SA's certificates (an_sa_certs_collect) */
    struct an_trust *trust;            /* trust anchors, CRLs; NULL: no chain is judged */
    const struct ike_time *at;         /* --at, or NULL: the capture time of each message */
    const struct an_psk_list *psks;    /* candidate pre-shared keys, or NULL */
    const struct cap_netlog *netlog;   /* DNS/TCP/HTTP seen beside IKE, or NULL */
    struct an_auth_cache *auth_cache;  /* signature verdicts by content (auth_verify.h), or NULL */
    const struct an_profile_setting *profiles; /* --peer-profile, or NULL: inferred */
    const struct an_endpoint_log *endpoints;   /* --endpoint-log statements, or NULL */
    /* Results. */
    struct an_profile_choice profile[2]; /* each side as a receiver, [1] initiator */
    struct an_cert_checks cert_checks;
    struct an_psk_checks psk_checks;
    struct an_fetches fetches;         /* CRL and OCSP locations and what became of them */
    struct an_auth_checks auth_checks; /* each side's signature AUTH (or IKEv1 HASH) verified */
};

/* rules_revocation.c: revocation.unreachable / revocation.fetched; fills ctx->fetches. */
void an_rule_revocation(struct an_rule_ctx *ctx, struct an_findings *out);

/* rules_endpoint.c: endpoint.reason / endpoint.disagrees, against this SA's findings from
 * index `from` on. */
void an_rule_endpoint(struct an_rule_ctx *ctx, size_t from, struct an_findings *out);

/* Runs every rule over ctx->sa and appends what they find to `out`. */
void an_rules_run(struct an_rule_ctx *ctx, struct an_findings *out);

#endif
