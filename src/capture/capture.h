/* capture.h: capture files in, IKE datagrams out (link layers, IPv4/IPv6, defragmentation,
 * UDP 500/4500 with RFC 3948 framing, IKE over TCP per RFC 8229). */
#ifndef IKESCOPE_CAPTURE_CAPTURE_H
#define IKESCOPE_CAPTURE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cap_err {
    CAP_OK = 0,
    CAP_ERR_OPEN,     /* file missing or unreadable */
    CAP_ERR_FORMAT,   /* not pcap/pcapng (or gzip of one) */
    CAP_ERR_LINKTYPE, /* link type we do not decode */
    CAP_ERR_READ,     /* file ends mid-record or libpcap read error */
    CAP_ERR_NOMEM,
};

struct cap_addr {
    uint8_t family; /* 4 or 6 */
    uint8_t bytes[16]; /* IPv4 uses the first 4 */
};

/* How the IKE bytes were carried. */
enum cap_framing {
    CAP_FRAMING_UDP,        /* plain IKE on UDP (port 500 or an --ike-port) */
    CAP_FRAMING_UDP_NONESP, /* after the 4-byte zero non-ESP marker (RFC 3948, port 4500) */
    CAP_FRAMING_TCP,        /* RFC 8229 length-framed record on a TCP stream */
    CAP_FRAMING_ESP,        /* IP protocol 50 (CAP_KIND_ESP only) */
};

/* What a delivered datagram is. */
enum cap_kind {
    CAP_KIND_IKE = 0,   /* an IKE message */
    /* An ICMP or ICMPv6 error (destination unreachable, packet too big) about a datagram on
     * an IKE port: the network's answer to an IKE message that never arrived. */
    CAP_KIND_ICMP_ERROR,
    /* An ESP packet (RFC 4303): IP protocol 50, or UDP-encapsulated on port 4500 (RFC 3948).
     * Evidence that a CHILD_SA carried traffic; data/len start at the SPI and hold at most
     * the SPI and sequence number, ports are 0 for IP protocol 50, `framing` is
     * CAP_FRAMING_UDP for ESP in UDP and CAP_FRAMING_ESP otherwise. Not counted as IKE. */
    CAP_KIND_ESP,
};

/* The ICMP error itself, for CAP_KIND_ICMP_ERROR. */
struct cap_icmp {
    struct cap_addr from; /* who sent the error: the peer's host, or a router on the way */
    uint8_t type, code;   /* ICMPv4 (family 4) or ICMPv6 (family 6) numbering */
    uint32_t mtu;         /* next-hop MTU of "fragmentation needed" / "packet too big", else 0 */
};

/* One IKE message as it left the wire. Everything is borrowed for the
 * duration of the callback only. */
struct cap_ike_datagram {
    unsigned input;          /* index of the input file, 0-based */
    int64_t ts_sec;          /* capture time, UTC */
    uint32_t ts_usec;
    struct cap_addr src, dst;
    uint16_t sport, dport;
    enum cap_framing framing;
    const uint8_t *data;     /* the IKE message, starting at the IKE header */
    size_t len;
    const uint64_t *frames;  /* 1-based frame numbers within `input` of every packet that made it */
    size_t nframes;
    /* The bytes are only a prefix of the message: IP fragments missing from the capture,
     * or the packet was cut by the snap length. `len` is then what the capture holds, not
     * what was sent; the IKE parser should report the message as truncated. */
    bool incomplete;
    /* CAP_KIND_ICMP_ERROR: src, dst, ports and framing describe the datagram the error
     * quotes, as its sender sent it; data/len are the IKE bytes quoted with it (often only
     * the first few, or none), `incomplete` is set, and `frames` is the ICMP packet. */
    enum cap_kind kind;
    struct cap_icmp icmp;
};

/* Per-input counters (they appear in the JSON `inputs` list and stats). */
struct cap_stats {
    uint64_t packets;          /* records read */
    uint64_t ike_datagrams;    /* IKE messages delivered (incomplete ones included) */
    uint64_t incomplete_delivered; /* of those, delivered with `incomplete` set */
    uint64_t esp_in_udp;       /* UDP-encapsulated ESP, delivered as CAP_KIND_ESP */
    uint64_t esp;              /* ESP as IP protocol 50, delivered as CAP_KIND_ESP */
    uint64_t nat_keepalives;   /* single 0xFF byte on 4500 */
    uint64_t icmp_errors;      /* ICMP errors about IKE datagrams, delivered as CAP_KIND_ICMP_ERROR */
    /* Packets on IKE ports that the snap length cut before the first IKE byte (also
     * counted as undecodable), and the first few of their frame numbers. */
    uint64_t cut_before_ike;
#define CAP_CUT_FRAMES 8
    uint64_t cut_frames[CAP_CUT_FRAMES];
    uint64_t non_ike;          /* packets that are not IKE at all */
    uint64_t undecodable;      /* broken link/IP/UDP headers */
    uint64_t unsupported_linktype; /* pcapng packets of an interface whose link type we do not decode */
    uint64_t ip_fragments;     /* fragments fed to a reassembler */
    uint64_t reassembled;      /* datagrams completed by reassembly */
    uint64_t frag_timeouts;    /* datagrams given up on timeout or at the end of the input */
    uint64_t frag_overlaps;    /* overlapping fragments seen */
    uint64_t frag_cap_hits;    /* datagrams given up because a memory cap was hit */
    uint64_t tcp_segments;     /* TCP segments on IKE ports */
    uint64_t tcp_gaps;         /* TCP streams abandoned because of missing data */
    uint64_t tcp_unframed;     /* TCP streams abandoned because their bytes are not RFC 8229 records */
    bool read_error;           /* the file ended early, is corrupt, or libpcap failed */
    /* Packets whose timestamp is earlier than the packet before them in the file, the first
     * few of their frame numbers, and the largest step back. */
    uint64_t time_backwards;
#define CAP_TIME_FRAMES 8
    uint64_t time_backwards_frames[CAP_TIME_FRAMES];
    uint64_t time_backwards_max_usec;
    int64_t last_ts_sec;       /* the previous packet's timestamp (decoder state) */
    uint32_t last_ts_usec;
};

struct cap_config {
    uint16_t extra_ports[16]; /* --ike-port N: also plain IKE on these UDP ports */
    size_t n_extra_ports;
    uint32_t frag_timeout_sec;   /* default 30 */
    size_t frag_max_bytes;       /* total bytes held by each reassembler, default 4 MiB */
    size_t frag_max_datagrams;   /* datagrams in flight per reassembler, default 1024 */
    size_t tcp_max_streams;      /* default 256 */
    /* Records DNS, TCP connection attempts and HTTP status lines beside IKE (netlog.h);
     * borrowed, NULL: not recorded. */
    struct cap_netlog *netlog;
};

void cap_config_defaults(struct cap_config *cfg);

typedef void (*cap_ike_fn)(void *ctx, const struct cap_ike_datagram *d);

/* --- The packet decoder: link layer to IKE datagram, with defrag and TCP state. --- */
struct cap_decoder;

enum cap_err cap_decoder_new(struct cap_decoder **out, const struct cap_config *cfg,
                             cap_ike_fn fn, void *ctx);
void cap_decoder_free(struct cap_decoder *dec);

/* Does this decoder know the link type (a DLT_ value from pcap)? */
bool cap_linktype_supported(int dlt);
/* Feed one captured packet. `frame` is its 1-based number within `input`; `caplen` is how
 * many bytes `bytes` holds and `wirelen` how long the packet was on the wire (pcap's
 * `len`; pass caplen when unknown). Calls the callback zero or more times, possibly for
 * datagrams of earlier packets that reassembly gives up on (memory cap). Never fails on
 * bad bytes: they are counted in `stats`. */
void cap_decoder_packet(struct cap_decoder *dec, unsigned input, int dlt, uint64_t frame,
                        int64_t ts_sec, uint32_t ts_usec, const uint8_t *bytes, size_t caplen,
                        size_t wirelen, struct cap_stats *stats);
/* Expire reassembly state older than `now` minus the timeout. A datagram given up that
 * holds its first fragment is delivered (incomplete) from here, with the timestamp of its
 * last fragment seen. */
void cap_decoder_expire(struct cap_decoder *dec, int64_t now_sec, struct cap_stats *stats);
/* The same for the state of one input only, so that each input's counters get its own
 * timeouts and TCP gaps when several files are read together. */
void cap_decoder_expire_input(struct cap_decoder *dec, unsigned input, int64_t now_sec,
                              struct cap_stats *stats);

/* --- Files: several pcap/pcapng(.gz) files read as one stream in time order. Classic pcap
 * is read with libpcap; pcapng with our own block reader, every interface with its own link
 * type. --- */
struct cap_files;

/* Opens every path. On failure writes a one-line message naming the file
 * into errbuf and returns the error; nothing stays open. */
enum cap_err cap_files_open(struct cap_files **out, const char *const *paths, size_t n,
                            const struct cap_config *cfg, char *errbuf, size_t errlen);
/* Reads all files to the end, merged by timestamp, delivering datagrams to fn.
 * Returns CAP_OK, or the first read error (with the message in errbuf) after
 * still delivering everything that could be read. */
enum cap_err cap_files_run(struct cap_files *cf, cap_ike_fn fn, void *ctx, char *errbuf,
                           size_t errlen);
size_t cap_files_count(const struct cap_files *cf);
const char *cap_files_path(const struct cap_files *cf, unsigned input);
const struct cap_stats *cap_files_stats(const struct cap_files *cf, unsigned input);
void cap_files_close(struct cap_files *cf);

/* Formats an address as text ("192.0.2.1", "2001:db8::1"). buf needs 46 bytes. */
const char *cap_addr_str(const struct cap_addr *a, char *buf, size_t len);
bool cap_addr_eq(const struct cap_addr *a, const struct cap_addr *b);
/* An IPv4 or IPv6 address in text form; false (and `out` zeroed) when it is neither. */
bool cap_addr_parse(const char *text, struct cap_addr *out);
/* "udp", "udp-non-esp-marker" (RFC 3948 port 4500 framing) or "tcp" (RFC 8229). */
const char *cap_framing_name(enum cap_framing f);

#endif
