/* icmp_text.c: names for ICMP destination-unreachable codes (RFC 792, RFC 1812 §5.2.7.1)
 * and ICMPv6 destination-unreachable / packet-too-big (RFC 4443 §3.1, §3.2). */
#include "analyze/icmp_text.h"

#include <stdio.h>

static const char *const v4_codes[] = {
    [0] = "network unreachable",
    [1] = "host unreachable",
    [2] = "protocol unreachable",
    [3] = "port unreachable",
    [4] = "fragmentation needed",
    [5] = "source route failed",
    [6] = "destination network unknown",
    [7] = "destination host unknown",
    [8] = "source host isolated",
    [9] = "network administratively prohibited",
    [10] = "host administratively prohibited",
    [11] = "network unreachable for TOS",
    [12] = "host unreachable for TOS",
    [13] = "communication administratively prohibited",
    [14] = "host precedence violation",
    [15] = "precedence cutoff in effect",
};

static const char *const v6_codes[] = {
    [0] = "no route to destination",
    [1] = "communication administratively prohibited",
    [2] = "beyond scope of source address",
    [3] = "address unreachable",
    [4] = "port unreachable",
    [5] = "source address failed ingress/egress policy",
    [6] = "reject route to destination",
};

enum an_icmp_kind an_icmp_kind(const struct cap_icmp *e)
{
    if (e->from.family == 6) {
        if (e->type == 2)
            return AN_ICMP_TOO_BIG;
        switch (e->code) {
        case 4: return AN_ICMP_PORT_UNREACHABLE;
        case 1: case 5: case 6: return AN_ICMP_PROHIBITED;
        case 0: case 2: case 3: return AN_ICMP_UNREACHABLE;
        default: return AN_ICMP_OTHER;
        }
    }
    switch (e->code) {
    case 3: return AN_ICMP_PORT_UNREACHABLE;
    case 4: return AN_ICMP_TOO_BIG;
    case 9: case 10: case 13: return AN_ICMP_PROHIBITED;
    case 0: case 1: case 6: case 7: case 11: case 12: return AN_ICMP_UNREACHABLE;
    default: return AN_ICMP_OTHER;
    }
}

void an_icmp_name(const struct cap_icmp *e, char *buf, size_t len)
{
    const char *name = NULL;
    if (e->from.family == 6 && e->type == 2)
        name = "packet too big";
    else if (e->from.family == 6 && e->code < sizeof v6_codes / sizeof v6_codes[0])
        name = v6_codes[e->code];
    else if (e->from.family == 4 && e->code < sizeof v4_codes / sizeof v4_codes[0])
        name = v4_codes[e->code];
    if (!name)
        snprintf(buf, len, "destination unreachable (code %u)", e->code);
    else if (an_icmp_kind(e) == AN_ICMP_TOO_BIG && e->mtu)
        snprintf(buf, len, "%s (MTU %u)", name, e->mtu);
    else
        snprintf(buf, len, "%s", name);
}
