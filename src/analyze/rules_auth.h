/* rules_auth.h: findings from verifying each side's IKEv2 signature AUTH (auth_verify.h). */
#ifndef IKESCOPE_ANALYZE_RULES_AUTH_H
#define IKESCOPE_ANALYZE_RULES_AUTH_H

#include "analyze/auth_verify.h"
#include "analyze/findings.h"
#include "analyze/peer_profile.h"
#include "ike/sa.h"

/* Appends auth.invalid_signature (error, 13826) for each side whose signature is invalid. */
void an_rules_auth(const struct ike_sa *sa, const struct an_auth_checks *checks,
                   const struct an_profile_choice profile[2], struct an_findings *out);

#endif
