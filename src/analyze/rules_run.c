/* rules_run.c: the one place every rule over an SA runs from, in a fixed order, with one
 * context (rules.h). The order is the order of findings in the reports. */
#include "analyze/rules.h"

#include "analyze/rules_auth.h"
#include "analyze/rules_internal.h"
#include "analyze/rules_psk.h"

void an_rules_run(struct an_rule_ctx *ctx, struct an_findings *out)
{
    const struct ike_sa *sa = ctx->sa;
    size_t from = out->n;
    ctx->profile[1] = an_profile_of(sa, ctx->profiles, true);
    ctx->profile[0] = an_profile_of(sa, ctx->profiles, false);
    /* The timeline: what the messages themselves show. */
    an_rule_no_peer_cert(sa, out);
    an_rule_keys(sa, out);
    an_rule_integrity(sa, out);
    an_rule_error_notifies(sa, out);
    if (!an_rule_silence(sa, out))
        an_rule_icmp(sa, out);
    an_rule_anomalies(sa, out);
    an_rule_proposal(sa, out);
    an_rule_child_pfs(sa, out);
    /* Without keys: what the sizes and timing of encrypted messages point to. */
    an_rule_keyless(sa, out);
    /* Certificates as the receiving peer would check them, then PSK candidates. */
    an_rules_certs(sa, ctx->certs, ctx->trust, ctx->at, ctx->profile, &ctx->cert_checks, out);
    an_rule_trust_mismatch(ctx, out);
    an_psk_check_sa(sa, ctx->psks, &ctx->psk_checks);
    an_rules_psk(sa, &ctx->psk_checks, out);
    /* Signature AUTH (and IKEv1 HASH/SIG) verified with the sender's key. */
    an_auth_check_sa(sa, ctx->auth_cache, &ctx->auth_checks);
    an_rules_auth(sa, &ctx->auth_checks, ctx->profile, out);
    an_rule_revocation(ctx, out);
    an_rule_auth_failed_cause(sa, from, out);
    /* The endpoints' own logs against all of the above. */
    an_rule_endpoint(ctx, from, out);
    /* Last: it reads what the others found. */
    an_rule_seed_causes(ctx, from, out);
}
