/* fingerprint.h: the implementation behind each side of an IKEv2 SA named from its
 * behaviour (which status notifies its IKE_SA_INIT carries, in which order) when its Vendor
 * IDs do not name it. */
#ifndef IKESCOPE_ANALYZE_FINGERPRINT_H
#define IKESCOPE_ANALYZE_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "ike/sa.h"

struct an_fingerprint {
    const char *name;  /* "strongSwan", "libreswan", ... (static) */
    char basis[256];   /* what matched, for the report: "IKE_SA_INIT notifies NAT_S NAT_D ..." */
};

/* Names the side's implementation from its IKE_SA_INIT (the initiator's request, the
 * responder's answer with an SA payload). A reading, always `likely`: implementations can
 * be configured, and forks share habits. False when no signature fits. */
bool an_fingerprint_side(const struct ike_sa *sa, bool initiator, struct an_fingerprint *out);

/* The notifies of that message as short tokens, space separated ("NS ND FR SH RS"), the
 * string the signatures are written against; empty when the message is not in the capture. */
void an_fingerprint_tokens(const struct ike_sa *sa, bool initiator, char *buf, size_t len);

#endif
