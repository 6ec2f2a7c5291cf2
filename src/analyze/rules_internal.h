/* rules_internal.h: what the rule files share. */
#ifndef IKESCOPE_ANALYZE_RULES_INTERNAL_H
#define IKESCOPE_ANALYZE_RULES_INTERNAL_H

#include <stdbool.h>

#include "analyze/findings.h"

/* Appends a finding of rule `rule` (an id in rule_registry.c) for `sa`, with the frames
 * of message `sm` (may be NULL); NULL when out of memory. Severity, confidence and Windows
 * code are the registry row's; a rule that lowers them sets the finding's fields after.
 * An id missing from the registry is a programming error (the unit tests catch it): the
 * finding is still made, as an error, so that nothing is lost. Title and detail start
 * empty. */
struct an_finding *an_rule_add(struct an_findings *out, const char *rule, const struct ike_sa *sa,
                               const struct ike_sa_msg *sm);

/* Adds frames (of the same input) to a finding. */
void an_rule_add_frames(struct an_finding *f, const uint64_t *frames, size_t n);

void an_rule_textf(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* rules_silence.c: a last request nobody answered (peer.no_response, path.fragments_lost,
 * capture.fragments_missing). Returns true when it used the SA's ICMP errors to explain
 * the silence, so that an_rule_icmp does not report them again. */
bool an_rule_silence(const struct ike_sa *sa, struct an_findings *out);

/* ICMP errors about the SA's datagrams that no other rule explained (path.icmp_error). */
void an_rule_icmp(const struct ike_sa *sa, struct an_findings *out);

/* rules_proposal.c: deprecated algorithms in the chosen proposal (proposal.weak) and
 * IKEv1 Aggressive Mode with a pre-shared key (ikev1.aggressive_psk). */
void an_rule_proposal(const struct ike_sa *sa, struct an_findings *out);

/* The rules of rules.c, in the order an_rules_run (rules_run.c) calls them. */
void an_rule_no_peer_cert(const struct ike_sa *sa, struct an_findings *out);
void an_rule_keys(const struct ike_sa *sa, struct an_findings *out);
void an_rule_integrity(const struct ike_sa *sa, struct an_findings *out);
void an_rule_error_notifies(const struct ike_sa *sa, struct an_findings *out);
void an_rule_anomalies(const struct ike_sa *sa, struct an_findings *out);

/* rules_seed.c: windows.cert_causes, over the findings this SA got from index `from` on,
 * run last. */
struct an_rule_ctx;
void an_rule_seed_causes(struct an_rule_ctx *ctx, size_t from, struct an_findings *out);

/* rules_child.c: a CHILD_SA rekey refused over perfect forward secrecy (child.pfs_mismatch). */
void an_rule_child_pfs(const struct ike_sa *sa, struct an_findings *out);

/* rules_keyless.c: without keys, the failures the shape of encrypted messages points to
 * (auth.failed and auth.no_peer_cert, likely). */
void an_rule_keyless(const struct ike_sa *sa, struct an_findings *out);

/* rules_trust_mismatch.c: without keys, CA requests that point at a chain policy mismatch
 * (chain.policy_suspected, likely). */
void an_rule_trust_mismatch(struct an_rule_ctx *ctx, struct an_findings *out);

#endif
