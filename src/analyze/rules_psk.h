/* rules_psk.h: findings from recomputing each side's IKEv2 shared-key AUTH with the
 * candidate pre-shared keys (psk_auth.h). */
#ifndef IKESCOPE_ANALYZE_RULES_PSK_H
#define IKESCOPE_ANALYZE_RULES_PSK_H

#include "analyze/findings.h"
#include "analyze/psk_auth.h"
#include "ike/sa.h"

/* Appends psk.mismatch (a side's AUTH matches no candidate) and psk.matched (info: the
 * candidate each side used, by position). Nothing when no side could be checked. */
void an_rules_psk(const struct ike_sa *sa, const struct an_psk_checks *checks, struct an_findings *out);

#endif
