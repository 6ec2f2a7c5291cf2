/* internal.h: declarations shared by the capture layer's files (link, ip, defrag, udp,
 * tcp8229, gzio); nothing here is part of the module's promise to other modules. */
#ifndef IKESCOPE_CAPTURE_INTERNAL_H
#define IKESCOPE_CAPTURE_INTERNAL_H

#include "capture/capture.h"
#include "capture/reader.h"

#include <stdio.h>

/* IANA ports: ISAKMP/IKE (RFC 2408, 7296) and NAT traversal / IKE over TCP (RFC 3948, 8229). */
enum { CAP_PORT_IKE = 500, CAP_PORT_NATT = 4500 };

/* IP protocol numbers (IANA "Assigned Internet Protocol Numbers"). */
enum {
    CAP_IPPROTO_HOPOPTS = 0,
    CAP_IPPROTO_ICMP = 1,
    CAP_IPPROTO_TCP = 6,
    CAP_IPPROTO_UDP = 17,
    CAP_IPPROTO_ROUTING = 43,
    CAP_IPPROTO_ESP = 50,
    CAP_IPPROTO_FRAGMENT = 44,
    CAP_IPPROTO_ICMPV6 = 58,
    CAP_IPPROTO_NONE = 59,
    CAP_IPPROTO_DSTOPTS = 60,
};

/* Everything the upper layers need to know about the packet(s) that carried some bytes. */
struct cap_pkt {
    unsigned input;
    int64_t ts_sec;
    uint32_t ts_usec;
    const uint64_t *frames; /* one frame, or every fragment of a reassembled datagram */
    size_t nframes;
    struct cap_stats *stats;
    bool incomplete;        /* the IP datagram is only a prefix (reassembly gave up on it) */
};

/* --- link.c: link-layer header to IP version + payload view. --- */
enum cap_link_res {
    CAP_LINK_IP,      /* *ipver is 4 or 6, *r is the network-layer packet */
    CAP_LINK_OTHER,   /* well-formed, but not IPv4/IPv6 (ARP, LLC, ...) */
    CAP_LINK_BAD,     /* header truncated or impossible */
    CAP_LINK_UNSUPPORTED,
};
enum cap_link_res cap_link_decode(int dlt, struct rd *r, unsigned *ipver);
/* Name for error messages; never NULL. */
const char *cap_linktype_name(int dlt);

/* --- ip.c: IPv4 (RFC 791) and IPv6 (RFC 8200) headers. --- */
struct cap_ip {
    struct cap_addr src, dst;
    uint8_t proto;         /* upper-layer protocol; for a fragment, the protocol being fragmented */
    bool fragment;         /* payload is one fragment of a larger datagram */
    bool more;             /* MF / M flag */
    uint32_t frag_offset;  /* in bytes */
    uint32_t frag_id;      /* 16-bit for IPv4, 32-bit for IPv6 */
    bool truncated;        /* the capture holds fewer bytes than the IP datagram had */
    struct rd payload;     /* fragment data, or the upper-layer header onwards */
};
/* Both return false on a broken header (counted as undecodable by the caller). `cut` says
 * the snap length shortened the packet (caplen < wire length): it decides `truncated` when
 * the length field is 0 (offload, jumbogram) and so cannot. */
bool cap_ip4_parse(struct rd r, bool cut, struct cap_ip *out);
bool cap_ip6_parse(struct rd r, bool cut, struct cap_ip *out);
/* Walks IPv6 extension headers starting with next header *nh. Stops at the first
 * non-extension header (leaving it in *nh and *r at its start). A Fragment header
 * stops the walk too when `frag` is non-NULL (filled in); with frag NULL it is an error. */
bool cap_ip6_walk(struct rd *r, uint8_t *nh, struct cap_ip *frag);

/* --- defrag.c: one IP reassembler (RFC 791 section 3.2, RFC 8200 section 4.5). --- */
struct cap_defrag_key {
    unsigned input;
    uint8_t family;
    uint8_t proto;
    uint8_t src[16], dst[16];
    uint32_t id;
};
/* A completed datagram; owned by the caller, release with cap_defrag_done_free. */
struct cap_defrag_done {
    uint8_t *data;
    size_t len;
    uint64_t *frames;
    size_t nframes;
};
enum cap_defrag_res {
    CAP_DEFRAG_HELD,    /* stored (or ignored); nothing complete yet */
    CAP_DEFRAG_DONE,    /* *out holds a whole datagram */
};
/* A datagram given up before it completed (timeout, end of input, memory cap) that holds
 * its first fragment: the bytes from offset 0 up to the first hole. Borrowed for the call. */
struct cap_defrag_partial {
    struct cap_defrag_key key;
    const uint8_t *data;
    size_t len;
    const uint64_t *frames;    /* every fragment that was held, in order of arrival */
    size_t nframes;
    int64_t ts_sec;            /* capture time of the last fragment seen */
    uint32_t ts_usec;
};
/* `st` is the stats block of the call that gave the datagram up. */
typedef void (*cap_defrag_partial_fn)(void *ctx, const struct cap_defrag_partial *p,
                                      struct cap_stats *st);
struct cap_defrag;
/* fn (may be NULL) receives the prefixes of datagrams given up; it must not call back
 * into this reassembler. */
struct cap_defrag *cap_defrag_new(const struct cap_config *cfg, cap_defrag_partial_fn fn,
                                  void *ctx);
/* Frees everything held without delivering or counting it. */
void cap_defrag_free(struct cap_defrag *d);
enum cap_defrag_res cap_defrag_add(struct cap_defrag *d, const struct cap_defrag_key *key,
                                   int64_t ts_sec, uint32_t ts_usec, uint64_t frame,
                                   uint32_t offset, bool more, struct rd data,
                                   struct cap_stats *st, struct cap_defrag_done *out);
void cap_defrag_done_free(struct cap_defrag_done *done);
/* Gives up datagrams of `input` (all inputs when all_inputs) first seen more than the
 * timeout before now_sec, counting frag_timeouts (and handing prefixes to fn). */
void cap_defrag_expire(struct cap_defrag *d, bool all_inputs, unsigned input, int64_t now_sec,
                       struct cap_stats *st);
/* Bytes currently held (for tests and the memory bound). */
size_t cap_defrag_held_bytes(const struct cap_defrag *d);
size_t cap_defrag_held_datagrams(const struct cap_defrag *d);

/* --- udp.c: UDP and RFC 3948 framing. --- */
void cap_udp_input(const struct cap_config *cfg, const struct cap_ip *ip, struct rd udp,
                   const struct cap_pkt *px, cap_ike_fn fn, void *ctx);

/* --- icmp.c: ICMP (RFC 792) and ICMPv6 (RFC 4443) errors that quote an IKE datagram. --- */
void cap_icmp_input(const struct cap_config *cfg, const struct cap_ip *ip, struct rd icmp,
                    const struct cap_pkt *px, cap_ike_fn fn, void *ctx);
/* Is this UDP port one IKE is read from (500, 4500, --ike-port)? */
bool cap_is_ike_port(const struct cap_config *cfg, uint16_t port);

/* --- tcp8229.c: TCP stream reassembly and RFC 8229 framing. --- */
struct cap_tcp;
struct cap_tcp *cap_tcp_new(const struct cap_config *cfg);
void cap_tcp_free(struct cap_tcp *t);
void cap_tcp_input(struct cap_tcp *t, const struct cap_ip *ip, struct rd seg,
                   const struct cap_pkt *px, cap_ike_fn fn, void *ctx);
/* Drops streams of `input` (all when all_inputs) holding data they cannot complete
 * for longer than the timeout, counting tcp_gaps. */
void cap_tcp_expire(struct cap_tcp *t, bool all_inputs, unsigned input, int64_t now_sec,
                    uint32_t timeout_sec, struct cap_stats *st);
size_t cap_tcp_stream_count(const struct cap_tcp *t);

/* --- decoder.c: shared helpers. --- */
/* Hands one IKE message to the callback and counts it; px->incomplete marks it a prefix. */
void cap_deliver(const struct cap_ip *ip, uint16_t sport, uint16_t dport, enum cap_framing framing,
                 const uint8_t *data, size_t len, const struct cap_pkt *px, cap_ike_fn fn,
                 void *ctx);
/* Hands the start of one ESP packet (SPI, sequence number) to the callback as CAP_KIND_ESP. */
void cap_deliver_esp(const struct cap_ip *ip, uint16_t sport, uint16_t dport, struct rd esp,
                     const struct cap_pkt *px, cap_ike_fn fn, void *ctx);
/* now - then > limit seconds, without signed overflow on hostile timestamps. */
bool cap_older_than(int64_t then_sec, int64_t now_sec, uint32_t limit_sec);
/* One line into an error buffer (NULL or empty: nothing), for the file and live readers. */
void cap_put_err(char *errbuf, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* --- gzio.c: transparent gzip (RFC 1952) input. --- */
struct cap_gzio;
/* Opens `path` with zlib and returns a stdio stream over the decompressed bytes
 * (fopencookie); fclose() on it closes everything. *gz (optional) lets the caller ask
 * later whether the compressed data ended early. Returns NULL with errno set on failure. */
FILE *cap_gzio_open(const char *path, struct cap_gzio **gz);
/* After EOF: a zlib error message if the compressed stream was damaged or cut short,
 * else NULL. */
const char *cap_gzio_error(struct cap_gzio *gz);

#endif
