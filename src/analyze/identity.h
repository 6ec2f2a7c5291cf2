/* identity.h: IKE identities (ID payloads, RFC 7296 §3.5, RFC 2407 §4.6.2) as text for reports. */
#ifndef IKESCOPE_ANALYZE_IDENTITY_H
#define IKESCOPE_ANALYZE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "ike/names.h"
#include "ike/sa.h"

struct an_identity {
    char type[IKE_NAME_BUF]; /* "FQDN", "RFC822", "IPV4_ADDR", "DER_ASN1_DN", ... */
    char value[256]; /* printable form: names as text, addresses, DNs as "CN=..., O=...", else hex */
};

/* The identity in one ID payload (IDi, IDr, IKEv1 ID) of an SA of this version; false
 * when the payload is not an ID payload or does not decode. */
bool an_payload_identity(uint8_t version, const struct ike_payload *p, struct an_identity *out);

/* The identity one side presented in phase 1 / IKE_AUTH (cleartext or decrypted);
 * false when that ID payload was not seen (encrypted without keys, or never sent). */
bool an_sa_identity(const struct ike_sa *sa, bool initiator, struct an_identity *out);

#endif
