/* rule_registry.h: every rule ikescope can report, one row each: its id, title, default
 * severity and confidence, the Windows error it corresponds to, and what it needs. */
#ifndef IKESCOPE_ANALYZE_RULE_REGISTRY_H
#define IKESCOPE_ANALYZE_RULE_REGISTRY_H

#include <stddef.h>

#include "analyze/findings.h"

/* What a rule needs beyond the capture before it can fire (a bit set). */
enum an_rule_needs {
    AN_NEEDS_KEYS = 1u << 0,     /* the SA's keys: it reads encrypted payloads */
    AN_NEEDS_CERTS = 1u << 1,    /* certificates in the capture (in the clear or decrypted) */
    AN_NEEDS_TRUST = 1u << 2,    /* trust anchors: --ca or --system-ca (--crl for revocation) */
    AN_NEEDS_PSKS = 1u << 3,     /* candidate pre-shared keys: --psk or --psk-file */
};

/* What a rule is about: one IKE SA, or an input file as a whole. */
enum an_rule_scope { AN_SCOPE_SA = 0, AN_SCOPE_INPUT };

struct an_rule_def {
    const char *id;              /* stable, as in reports: "auth.no_peer_cert" */
    const char *title;           /* a few words */
    enum an_severity severity;   /* the default; a rule may lower it (documented per rule) */
    enum an_confidence confidence;
    unsigned windows_code;       /* ERROR_IPSEC_IKE_* when Windows reports the same failure, or 0 */
    unsigned needs;              /* enum an_rule_needs bits */
    enum an_rule_scope scope;
    const char *meaning;         /* one or two sentences for administrators */
};

/* The row for `id`, or NULL when no rule has that id (a programming error). */
const struct an_rule_def *an_rule_find(const char *id);
size_t an_rule_count(void);
/* Row i (0 <= i < an_rule_count()), in registry order. */
const struct an_rule_def *an_rule_at(size_t i);
/* "keys, certificates" or "capture only"; writes into buf (caller owned). */
const char *an_rule_needs_text(unsigned needs, char *buf, size_t len);
/* Names of the need bits, one per bit from bit 0: "keys", "certificates", "trust", "psk". */
const char *an_rule_need_name(unsigned bit);

#endif
