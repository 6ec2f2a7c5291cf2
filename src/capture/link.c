/* link.c: link-layer headers (Ethernet with IEEE 802.1Q/802.1ad tags, Linux cooked v1/v2,
 * raw IP, BSD loopback) down to an IPv4 or IPv6 packet. Layouts: tcpdump.org/linktypes.html. */
#include "capture/internal.h"

#include <pcap/pcap.h>

/* Ethertypes (IEEE 802.3, IANA). */
enum {
    ETH_IPV4 = 0x0800,
    ETH_IPV6 = 0x86dd,
    ETH_VLAN = 0x8100,       /* IEEE 802.1Q customer tag */
    ETH_QINQ = 0x88a8,       /* IEEE 802.1ad service tag */
    ETH_QINQ_OLD = 0x9100,   /* pre-standard QinQ, still seen on switches */
    ETH_MIN_TYPE = 0x0600,   /* smaller values are an 802.3 length, followed by LLC */
};

/* More tags than this is not a real frame (802.1ad stacks two). */
enum { MAX_VLAN_TAGS = 8 };

/* BSD address families as written into DLT_NULL/DLT_LOOP headers: AF_INET6 differs per OS. */
enum {
    BSD_AF_INET = 2,
    BSD_AF_INET6_BSD = 24,     /* NetBSD, OpenBSD, BSD/OS */
    BSD_AF_INET6_FREEBSD = 28, /* FreeBSD, DragonFly */
    BSD_AF_INET6_DARWIN = 30,  /* macOS, iOS */
};

/* LINKTYPE_RAW as written in files; libpcap maps it to DLT_RAW, but a caller of
 * cap_decoder_packet may pass the file value. */
enum { LINKTYPE_RAW = 101 };

static enum cap_link_res ethertype_to_ip(uint16_t type, unsigned *ipver)
{
    if (type == ETH_IPV4) {
        *ipver = 4;
        return CAP_LINK_IP;
    }
    if (type == ETH_IPV6) {
        *ipver = 6;
        return CAP_LINK_IP;
    }
    return CAP_LINK_OTHER;
}

/* Reads past any VLAN tags that follow a type field; each tag is 2 bytes of TCI then the
 * next type. */
static enum cap_link_res after_ethertype(struct rd *r, uint16_t type, unsigned *ipver)
{
    for (int tags = 0; type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD; tags++) {
        uint16_t tci;
        if (tags == MAX_VLAN_TAGS)
            return CAP_LINK_BAD;
        if (!rd_u16(r, &tci) || !rd_u16(r, &type))
            return CAP_LINK_BAD;
    }
    if (type < ETH_MIN_TYPE)
        return CAP_LINK_OTHER;
    return ethertype_to_ip(type, ipver);
}

static enum cap_link_res link_ethernet(struct rd *r, unsigned *ipver)
{
    uint16_t type;
    if (!rd_skip(r, 12) || !rd_u16(r, &type))
        return CAP_LINK_BAD;
    return after_ethertype(r, type, ipver);
}

/* Linux cooked v1: packet type, ARPHRD type, address length, 8 address bytes, protocol. */
static enum cap_link_res link_sll(struct rd *r, unsigned *ipver)
{
    uint16_t type;
    if (!rd_skip(r, 14) || !rd_u16(r, &type))
        return CAP_LINK_BAD;
    return after_ethertype(r, type, ipver);
}

/* Linux cooked v2: protocol first, then reserved, ifindex, ARPHRD, packet type,
 * address length and 8 address bytes (20 bytes in all). */
static enum cap_link_res link_sll2(struct rd *r, unsigned *ipver)
{
    uint16_t type;
    if (!rd_u16(r, &type) || !rd_skip(r, 18))
        return CAP_LINK_BAD;
    return after_ethertype(r, type, ipver);
}

/* Raw IP: the version nibble says which. */
static enum cap_link_res link_raw(struct rd *r, unsigned *ipver)
{
    struct rd peek = *r;
    uint8_t b;
    if (!rd_u8(&peek, &b))
        return CAP_LINK_BAD;
    if (b >> 4 == 4 || b >> 4 == 6) {
        *ipver = b >> 4;
        return CAP_LINK_IP;
    }
    return CAP_LINK_OTHER;
}

static enum cap_link_res link_ipv4(struct rd *r, unsigned *ipver)
{
    (void)r;
    *ipver = 4;
    return CAP_LINK_IP;
}

static enum cap_link_res link_ipv6(struct rd *r, unsigned *ipver)
{
    (void)r;
    *ipver = 6;
    return CAP_LINK_IP;
}

static enum cap_link_res bsd_family(uint32_t af, unsigned *ipver)
{
    switch (af) {
    case BSD_AF_INET:
        *ipver = 4;
        return CAP_LINK_IP;
    case BSD_AF_INET6_BSD:
    case BSD_AF_INET6_FREEBSD:
    case BSD_AF_INET6_DARWIN:
        *ipver = 6;
        return CAP_LINK_IP;
    default:
        return CAP_LINK_OTHER;
    }
}

/* DLT_NULL: a 4-byte address family in the byte order of the machine that captured,
 * which the file does not record. Families are small, so the order that gives a value
 * below 2^16 is the right one. */
static enum cap_link_res link_null(struct rd *r, unsigned *ipver)
{
    uint32_t af;
    if (!rd_u32le(r, &af))
        return CAP_LINK_BAD;
    if (af > 0xffff)
        af = (af >> 24) | ((af >> 8) & 0xff00u) | ((af << 8) & 0xff0000u) | (af << 24);
    return bsd_family(af, ipver);
}

/* DLT_LOOP (OpenBSD loopback): the same family, always in network byte order. */
static enum cap_link_res link_loop(struct rd *r, unsigned *ipver)
{
    uint32_t af;
    if (!rd_u32(r, &af))
        return CAP_LINK_BAD;
    return bsd_family(af, ipver);
}

struct link_type {
    int dlt;
    const char *name;
    enum cap_link_res (*decode)(struct rd *r, unsigned *ipver);
};

static const struct link_type link_types[] = {
    { .dlt = DLT_EN10MB, .name = "EN10MB", .decode = link_ethernet },
    { .dlt = DLT_LINUX_SLL, .name = "LINUX_SLL", .decode = link_sll },
    { .dlt = DLT_LINUX_SLL2, .name = "LINUX_SLL2", .decode = link_sll2 },
    { .dlt = DLT_RAW, .name = "RAW", .decode = link_raw },
    { .dlt = LINKTYPE_RAW, .name = "RAW", .decode = link_raw },
    { .dlt = DLT_IPV4, .name = "IPV4", .decode = link_ipv4 },
    { .dlt = DLT_IPV6, .name = "IPV6", .decode = link_ipv6 },
    { .dlt = DLT_NULL, .name = "NULL", .decode = link_null },
    { .dlt = DLT_LOOP, .name = "LOOP", .decode = link_loop },
};

static const struct link_type *link_find(int dlt)
{
    for (size_t i = 0; i < sizeof link_types / sizeof link_types[0]; i++)
        if (link_types[i].dlt == dlt)
            return &link_types[i];
    return NULL;
}

bool cap_linktype_supported(int dlt)
{
    return link_find(dlt) != NULL;
}

const char *cap_linktype_name(int dlt)
{
    const char *name = pcap_datalink_val_to_name(dlt);
    return name ? name : "unknown";
}

enum cap_link_res cap_link_decode(int dlt, struct rd *r, unsigned *ipver)
{
    const struct link_type *lt = link_find(dlt);
    if (!lt)
        return CAP_LINK_UNSUPPORTED;
    return lt->decode(r, ipver);
}
