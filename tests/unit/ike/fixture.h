/* fixture.h: IKE datagrams pulled out of the shared external captures for the ike unit tests. */
#ifndef IKESCOPE_TESTS_IKE_FIXTURE_H
#define IKESCOPE_TESTS_IKE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fx_datagram {
    unsigned frame;      /* 1-based frame number in the capture */
    uint16_t sport, dport;
    bool ip_fragment;    /* first fragment of a fragmented datagram: the bytes are cut */
    uint8_t *data;       /* IKE message (non-ESP marker removed on port 4500) */
    size_t len;
};

struct fx_capture {
    struct fx_datagram *d;
    size_t n;
};

/* Full path of a fixture under $IKESCOPE_FIXTURES; NULL when the variable is unset. */
const char *fx_path(const char *rel, char *buf, size_t len);

/* Reads UDP 500/4500 payloads from `rel` (Ethernet, BSD loopback, raw IP, Linux SLL;
 * IPv4/IPv6). Only the link, IP and UDP headers are skipped here: nothing of IKE is
 * interpreted. Calls cr_skip_test() when the fixtures folder is missing, and fails
 * the test when the file cannot be read. */
void fx_load(const char *rel, struct fx_capture *out);
void fx_free(struct fx_capture *c);

/* The datagram carried in frame `frame`, or NULL. */
const struct fx_datagram *fx_frame(const struct fx_capture *c, unsigned frame);

/* Hex string to bytes (test vectors); aborts the test on bad input. Caller frees. */
uint8_t *fx_hex(const char *hex, size_t *len);

#endif
