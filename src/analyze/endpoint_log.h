/* endpoint_log.h: what an endpoint said about its own negotiations, read from its log
 * (--endpoint-log): strongSwan charon logs, libreswan pluto logs, Windows' `netsh wfp show
 * netevents` XML, and Security log exports of events 4653/4654 (XML or CSV). Each line or
 * event that states an outcome or a reason becomes one statement; nothing else is kept,
 * so key material in a log (charon at ike=4, pluto at plutodebug=all,private) is never
 * read into a statement, let alone printed. */
#ifndef IKESCOPE_ANALYZE_ENDPOINT_LOG_H
#define IKESCOPE_ANALYZE_ENDPOINT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

#define AN_EP_MAX_RULES 4

enum an_ep_kind {
    AN_EP_ESTABLISHED = 0, /* the endpoint says the IKE SA (or its CHILD SA) came up */
    AN_EP_FAILED,          /* it says the negotiation failed, and why */
};

/* Where a statement's time came from: a syslog-style stamp has no year and is in the
 * host's local time; an ISO 8601 stamp with Z is exact. */
enum an_ep_clock {
    AN_EP_CLOCK_NONE = 0,
    AN_EP_CLOCK_LOCAL_NO_YEAR, /* `sec` counts from 1 January of an unknown year, local time */
    AN_EP_CLOCK_UTC,           /* `sec` since 1970, UTC */
};

struct an_ep_stmt {
    char where[260];           /* "FILE:LINE", or the file and the event's time */
    const char *source;        /* "strongSwan charon", "libreswan pluto", "Windows WFP net event",
                                * "Windows Security event 4653", ... (static) */
    enum an_ep_kind kind;
    enum an_ep_clock clock;
    int64_t sec;               /* UTC: seconds since 1970; local: seconds into the day */
    int mon, mday;             /* local: month (0-11) and day of the month */
    struct cap_addr local, peer;
    bool has_local, has_peer;
    unsigned windows_code;     /* 0 when the endpoint gave none */
    const char *rules[AN_EP_MAX_RULES]; /* ikescope rules that say the same, NULL-terminated;
                                         * one ending in "." names a family ("cert.") */
    char reason[240];          /* the endpoint's words, printable; never a key */
};

/* One statement filed under the address that must be one of an SA's (its local address,
 * else its peer's). */
struct an_ep_by_addr {
    struct cap_addr addr;
    size_t stmt;
};

struct an_endpoint_log {
    struct an_ep_stmt *v;
    size_t n, cap;
    size_t files;
    /* The index an_endpoint_log_candidates reads, rebuilt after each file: statements by
     * address (sorted by address, then log order), and those that name no address. */
    struct an_ep_by_addr *by_addr;
    size_t nby_addr;
    size_t *addrless;
    size_t naddrless;
};

/* Reads one log, its format recognised from its content, and appends its statements.
 * Returns 0, or -1 with one line in `err` naming the file and what is wrong (unreadable, too
 * large, or no format recognised). */
int an_endpoint_log_load(struct an_endpoint_log *log, const char *path, char *err, size_t len);
/* The same for a log already in memory (`path` names it in statements and errors). */
int an_endpoint_log_load_buf(struct an_endpoint_log *log, const char *path, const char *data, size_t size,
                             char *err, size_t len);
void an_endpoint_log_free(struct an_endpoint_log *log);

/* The statements that can concern an SA between addresses `a` and `b`: those filed under
 * either address and those that name none, in log order, without repeats. Fills *out
 * (the caller frees it; NULL when there are none) and returns how many, or -1 when memory
 * ran out. The cost is a binary search and the candidates themselves, so a day of gateway
 * logs beside a day of captures stays linear. */
long an_endpoint_log_candidates(const struct an_endpoint_log *log, const struct cap_addr *a,
                                const struct cap_addr *b, size_t **out);

/* One line of a charon or pluto log, for the tests: fills `st` and returns true when the
 * line states an outcome or reason. */
bool an_ep_parse_daemon_line(const char *line, struct an_ep_stmt *st);

#endif
