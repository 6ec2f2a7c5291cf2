/* auth_v1.h: IKEv1 phase 1 authentication (RFC 2409 §5): HASH_I/HASH_R recomputed with SKEYID
 * for pre-shared keys, SIG_I/SIG_R opened with the certificate key for RSA signatures. */
#ifndef IKESCOPE_ANALYZE_AUTH_V1_H
#define IKESCOPE_ANALYZE_AUTH_V1_H

#include "analyze/auth_verify.h"
#include "ike/sa.h"

/* Fills `out` for an IKEv1 SA whose phase 1 used method 1 (pre-shared key) or 3 (RSA
 * signature) and whose HASH/SIG payloads the capture shows (decrypted in main mode). */
void an_auth_v1_check_sa(const struct ike_sa *sa, struct an_auth_checks *out);

#endif
