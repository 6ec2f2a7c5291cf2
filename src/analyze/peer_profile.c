/* peer_profile.c: each receiving side's profile, given or inferred. */
#include "analyze/peer_profile.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyze/fingerprint.h"
#include "analyze/report.h"

static const char *const names[] = {
    [AN_PROFILE_GENERIC] = "generic",
    [AN_PROFILE_WINDOWS] = "windows",
    [AN_PROFILE_STRONGSWAN] = "strongswan",
    [AN_PROFILE_LIBRESWAN] = "libreswan",
};

const char *an_profile_name(enum an_profile p)
{
    return (unsigned)p < sizeof names / sizeof names[0] ? names[p] : "generic";
}

static int by_name(const char *s, enum an_profile *out)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i]) == 0) {
            *out = (enum an_profile)i;
            return 0;
        }
    return -1;
}

int an_profile_parse(const char *arg, struct an_profile_setting *s)
{
    enum an_profile p;
    const char *eq = strchr(arg, '=');
    if (!eq) {
        if (by_name(arg, &p) != 0)
            return -1;
        s->side[0] = s->side[1] = p;
        s->given[0] = s->given[1] = true;
        return 0;
    }
    size_t n = (size_t)(eq - arg);
    int side = n == 9 && strncasecmp(arg, "initiator", 9) == 0   ? 1
               : n == 9 && strncasecmp(arg, "responder", 9) == 0 ? 0
                                                                 : -1;
    if (side < 0 || by_name(eq + 1, &p) != 0)
        return -1;
    s->side[side] = p;
    s->given[side] = true;
    return 0;
}

/* An implementation's name, as Vendor IDs or the fingerprint give it, to a profile. */
static bool from_name(const char *name, enum an_profile *out)
{
    if (!name)
        return false;
    if (strstr(name, "Windows") || strstr(name, "Microsoft"))
        *out = AN_PROFILE_WINDOWS;
    else if (strstr(name, "strongSwan"))
        *out = AN_PROFILE_STRONGSWAN;
    else if (strstr(name, "libreswan") || strstr(name, "Libreswan") || strstr(name, "Openswan"))
        *out = AN_PROFILE_LIBRESWAN;
    else
        return false;
    return true;
}

struct an_profile_choice an_profile_of(const struct ike_sa *sa, const struct an_profile_setting *s, bool initiator)
{
    struct an_profile_choice c = { AN_PROFILE_GENERIC, "default" };
    int k = initiator ? 1 : 0;
    if (s && s->given[k]) {
        c.profile = s->side[k];
        c.source = "--peer-profile";
        return c;
    }
    char buf[96];
    if (from_name(an_implementation(sa, initiator, buf, sizeof buf), &c.profile)) {
        c.source = "Vendor ID";
        return c;
    }
    struct an_fingerprint fp;
    if (an_fingerprint_side(sa, initiator, &fp) && from_name(fp.name, &c.profile))
        c.source = "IKE_SA_INIT shape";
    return c;
}
