/* live.h: capture from a network interface (libpcap), fed to the same decoder as files. */
#ifndef IKESCOPE_CAPTURE_LIVE_H
#define IKESCOPE_CAPTURE_LIVE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"

struct cap_live;

/* When to stop, and what to call as time passes. Zero limits mean none. */
struct cap_live_limits {
    volatile sig_atomic_t *stop; /* set (by a signal handler) to end the capture; may be NULL */
    uint64_t max_packets;
    uint32_t seconds;
    /* About once a second, with the wall clock: release what fell silent. */
    void (*tick)(void *ctx, int64_t sec, uint32_t usec);
    /* After every read (at most READ_TIMEOUT_MS apart): e.g. flush the report. */
    void (*after_read)(void *ctx);
    void *tick_ctx, *after_read_ctx;
};

/* Opens `iface` in promiscuous mode with a filter for IKE and what goes with it (ESP, ICMP,
 * IP fragments, DNS and HTTP for CRL fetches). Returns CAP_OK, or an error with one line in
 * `err` that names the interface and what to do. */
enum cap_err cap_live_open(struct cap_live **out, const char *iface, const struct cap_config *cfg, char *err,
                           size_t len);
/* Reads until a limit is reached, then lets everything pending time out (as at the end of
 * a file). Packets count as input 0. */
enum cap_err cap_live_run(struct cap_live *lv, cap_ike_fn fn, void *ctx, const struct cap_live_limits *lim,
                          char *err, size_t len);
/* The kernel filter cap_live_open sets (docs/capture.md), for tests and for users who
 * capture with tcpdump themselves. `len` of 1024 is enough. */
void cap_live_filter(const struct cap_config *cfg, char *out, size_t len);
/* Packets the kernel dropped (buffer full) and the interface dropped, when libpcap knows. */
bool cap_live_drops(const struct cap_live *lv, uint64_t *dropped, uint64_t *if_dropped);
const char *cap_live_name(const struct cap_live *lv); /* "live:eth0" */
const struct cap_stats *cap_live_stats(const struct cap_live *lv);
void cap_live_close(struct cap_live *lv);

#endif
