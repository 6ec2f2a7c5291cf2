/* icmp_text.h: what an ICMP error about an IKE datagram means, in words. */
#ifndef IKESCOPE_ANALYZE_ICMP_TEXT_H
#define IKESCOPE_ANALYZE_ICMP_TEXT_H

#include "capture/capture.h"

enum an_icmp_kind {
    AN_ICMP_PORT_UNREACHABLE, /* the host is there, nothing listens on that UDP port */
    AN_ICMP_PROHIBITED,       /* a filter (firewall, ACL) rejects the datagram */
    AN_ICMP_UNREACHABLE,      /* no route, host or network down */
    AN_ICMP_TOO_BIG,          /* larger than a link on the path, which may not fragment it */
    AN_ICMP_OTHER,
};

enum an_icmp_kind an_icmp_kind(const struct cap_icmp *e);

/* A short name: "port unreachable", "fragmentation needed (MTU 1400)", ... */
void an_icmp_name(const struct cap_icmp *e, char *buf, size_t len);

#endif
