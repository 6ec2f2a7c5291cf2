/* helpers.h: packet builders and a datagram sink for the capture unit tests. */
#ifndef IKESCOPE_TESTS_CAPTURE_HELPERS_H
#define IKESCOPE_TESTS_CAPTURE_HELPERS_H

#include "capture/capture.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A copy of one delivered datagram. */
struct got {
    unsigned input;
    int64_t ts_sec;
    uint32_t ts_usec;
    struct cap_addr src, dst;
    uint16_t sport, dport;
    enum cap_framing framing;
    uint8_t *data;
    size_t len;
    uint64_t *frames;
    size_t nframes;
    bool incomplete;
    enum cap_kind kind;
    struct cap_icmp icmp;
};

enum { SINK_MAX = 256 };
/* ESP packets (CAP_KIND_ESP) are only counted, unless keep_esp asks for them as items. */
struct sink {
    struct got items[SINK_MAX];
    size_t n;
    bool keep_esp;
    size_t esp_seen;
};
void sink_fn(void *ctx, const struct cap_ike_datagram *d);
void sink_clear(struct sink *s);

/* A decoder wired to a sink, with one stats block. */
struct tdec {
    struct cap_decoder *dec;
    struct sink sink;
    struct cap_stats st;
    struct cap_config cfg;
};
struct tdec *tdec_new(const struct cap_config *cfg); /* NULL cfg: defaults */
void tdec_free(struct tdec *t);
void tdec_feed(struct tdec *t, int dlt, uint64_t frame, int64_t ts, const uint8_t *b, size_t n);
/* The first `caplen` bytes of a packet that was `wirelen` long on the wire (snap length). */
void tdec_feed_cut(struct tdec *t, int dlt, uint64_t frame, int64_t ts, const uint8_t *b,
                   size_t caplen, size_t wirelen);

/* Builders write into `out` (room assumed) and return the length. */
extern const uint8_t T_SRC4[4], T_DST4[4], T_SRC6[16], T_DST6[16];
size_t mk_ike(uint8_t *out, size_t len, uint8_t seed); /* IKE-looking bytes */
size_t mk_udp(uint8_t *out, uint16_t sp, uint16_t dp, const uint8_t *pl, size_t n);
size_t mk_tcp(uint8_t *out, uint16_t sp, uint16_t dp, uint32_t seq, uint8_t flags,
              const uint8_t *pl, size_t n);
size_t mk_ip4(uint8_t *out, const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
              uint16_t id, uint16_t frag, const uint8_t *opts, size_t optlen,
              const uint8_t *pl, size_t n);
size_t mk_ip6(uint8_t *out, const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
              const uint8_t *ext, size_t extlen, const uint8_t *pl, size_t n);
/* Ethernet with `ntags` tags, each given as (tpid, tci) pairs in `tags`. */
size_t mk_eth(uint8_t *out, const uint16_t *tags, size_t ntags, uint16_t type,
              const uint8_t *pl, size_t n);
size_t mk_prefix(uint8_t *out, const uint8_t *hdr, size_t hlen, const uint8_t *pl, size_t n);

/* A UDP/IPv4 datagram from T_SRC4 to T_DST4 with the given ports, no link header. */
size_t mk_udp4(uint8_t *out, uint16_t sp, uint16_t dp, const uint8_t *pl, size_t n);

/* Fixtures folder from IKESCOPE_FIXTURES, or NULL (the test then skips loudly). */
const char *fixtures_dir(void);

#endif
