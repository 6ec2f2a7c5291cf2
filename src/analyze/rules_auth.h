/* rules_auth.h: findings from verifying each side's IKEv2 signature AUTH (auth_verify.h). */
#ifndef IKESCOPE_ANALYZE_RULES_AUTH_H
#define IKESCOPE_ANALYZE_RULES_AUTH_H

#include "analyze/auth_verify.h"
#include "analyze/findings.h"
#include "analyze/peer_profile.h"
#include "ike/sa.h"

/* Appends auth.invalid_signature (error, 13826) for each side whose signature is invalid. */
/* Each auth.failed of this SA (findings from `from` on) names the finding that explains
 * the refusal, when one is about the refused side: a certificate, chain, identity, PSK or
 * signature finding. Run after those rules. */
void an_rule_auth_failed_cause(const struct ike_sa *sa, size_t from, struct an_findings *out);

void an_rules_auth(const struct ike_sa *sa, const struct an_auth_checks *checks,
                   const struct an_profile_choice profile[2], struct an_findings *out);

#endif
