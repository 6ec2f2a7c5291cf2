/* auth_info.h: how each side of an IKEv2 SA authenticated itself, for reports. */
#ifndef IKESCOPE_ANALYZE_AUTH_INFO_H
#define IKESCOPE_ANALYZE_AUTH_INFO_H

#include <stdbool.h>
#include <stddef.h>

#include "ike/sa.h"

/* The AUTH method one side used in IKE_AUTH, as text: the IANA name (RFC 7296 §3.8),
 * for "Digital Signature" (RFC 7427) followed by the signature algorithm it names, e.g.
 * "Digital Signature (ecdsa-with-SHA384)"; "EAP" for an initiator whose first IKE_AUTH
 * request carries IDi but no AUTH (RFC 7296 §2.16). False when that side's AUTH was not
 * seen (encrypted without keys, never sent) and for IKEv1, whose method is negotiated in
 * the SA payload instead (see the chosen proposal). */
bool an_sa_auth_method(const struct ike_sa *sa, bool initiator, char *out, size_t len);

/* The same AUTH's method number (RFC 7296 §3.8); false also for EAP and for IKEv1. */
bool an_sa_auth_method_id(const struct ike_sa *sa, bool initiator, uint8_t *method);

#endif
