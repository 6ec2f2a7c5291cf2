/* peer_profile.h: whose certificate and signature rules judge what a side received. A
 * Windows receiver wants EKUs and names strongSwan never checks; a policy that forbids
 * SHA-1 turns a valid signature into 13838. The profile of each receiving side comes from
 * --peer-profile, else from its Vendor IDs, else from the shape of its IKE_SA_INIT
 * (fingerprint.h), else it is generic. */
#ifndef IKESCOPE_ANALYZE_PEER_PROFILE_H
#define IKESCOPE_ANALYZE_PEER_PROFILE_H

#include <stdbool.h>

#include "ike/sa.h"

enum an_profile {
    AN_PROFILE_GENERIC = 0, /* RFC 7296 and RFC 4945 only */
    AN_PROFILE_WINDOWS,
    AN_PROFILE_STRONGSWAN,
    AN_PROFILE_LIBRESWAN,
};

/* What --peer-profile said, per side ([1] initiator, [0] responder). */
struct an_profile_setting {
    enum an_profile side[2];
    bool given[2];
};

/* One side's profile and where it came from: "--peer-profile", "Vendor ID",
 * "IKE_SA_INIT shape" or "default". */
struct an_profile_choice {
    enum an_profile profile;
    const char *source;
};

/* "windows", "strongswan=...": PROFILE applies to both sides, SIDE=PROFILE (initiator= or
 * responder=) to one. Returns 0, or -1 when the text is not one of those. */
int an_profile_parse(const char *arg, struct an_profile_setting *s);

const char *an_profile_name(enum an_profile p); /* "windows", "strongswan", ... */

/* The profile of the side that received (initiator true: the initiator as a receiver). */
struct an_profile_choice an_profile_of(const struct ike_sa *sa, const struct an_profile_setting *s, bool initiator);

#endif
