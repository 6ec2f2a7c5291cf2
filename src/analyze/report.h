/* report.h: SAs and findings out, as text, Markdown or HTML for people or JSON for tools
 * (docs/json.md). */
#ifndef IKESCOPE_ANALYZE_REPORT_H
#define IKESCOPE_ANALYZE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/findings.h"
#include "capture/capture.h"
#include "ike/sa.h"

enum an_format { AN_FORMAT_TEXT = 0, AN_FORMAT_JSON, AN_FORMAT_MARKDOWN, AN_FORMAT_HTML };

struct an_input {
    const char *path;
    const struct cap_stats *stats;
    const struct ike_input_counts *counts;
    const char *error; /* one-line read error, or NULL */
};

struct an_report;
struct an_sa_certs;

/* Receives each SA's certificates (certs.h) right after the SA is written; both are
 * borrowed for the call only. */
typedef void (*an_certs_fn)(void *ctx, const struct ike_sa *sa, const struct an_sa_certs *certs);

/* Starts a report on `out` (borrowed). Returns NULL when out of memory. */
struct an_report *an_report_new(FILE *out, enum an_format fmt, const char *tool_version);
/* Writes one finished SA and runs the rules over it; usable as an ike_sa_done_fn. */
void an_report_sa(void *report, const struct ike_sa *sa);
/* Hands every SA's certificates to `fn` as well (e.g. to save them); NULL stops it. */
void an_report_on_certs(struct an_report *r, an_certs_fn fn, void *ctx);
/* Receives each SA with its findings once the rules ran (e.g. to keep them in a store);
 * all borrowed for the call only. NULL stops it. */
typedef void (*an_verdict_fn)(void *ctx, const struct ike_sa *sa, const struct an_finding *f, size_t n);
void an_report_on_verdict(struct an_report *r, an_verdict_fn fn, void *ctx);
/* Checks certificate chains against `trust` (trust.h; borrowed, must outlive the report;
 * NULL: none), at `*at` (seconds since 1970) instead of each message's capture time when
 * `at` is not NULL. */
struct an_trust;
void an_report_set_trust(struct an_report *r, struct an_trust *trust, const struct ike_time *at);
/* Recomputes IKEv2 shared-key AUTH with these candidate keys (psk_auth.h; borrowed, must
 * outlive the report; NULL: none). */
struct an_psk_list;
void an_report_set_psks(struct an_report *r, const struct an_psk_list *psks);
/* --peer-profile (borrowed; NULL: each receiver's profile is inferred). */
struct an_profile_setting;
/* --endpoint-log statements (borrowed; NULL: none). */
struct an_endpoint_log;
void an_report_set_endpoints(struct an_report *r, const struct an_endpoint_log *endpoints);
void an_report_set_profiles(struct an_report *r, const struct an_profile_setting *profiles);
/* Judges CRL and OCSP fetches from what `log` (capture/netlog.h; borrowed, must outlive the
 * report; NULL: none recorded) saw beside IKE. */
struct cap_netlog;
void an_report_set_netlog(struct an_report *r, const struct cap_netlog *log);
/* Text: write every SA in full, also when many are alike (default: after the first
 * few of one outcome and set of findings, the others get one line each). */
void an_report_set_full(struct an_report *r, bool full);
/* Writes findings and per-input counters and closes the document. */
void an_report_finish(struct an_report *r, const struct an_input *inputs, size_t ninputs);
/* Did any finding reach this severity? */
bool an_report_reaches(const struct an_report *r, enum an_severity sev);
void an_report_free(struct an_report *r);

/* "MS NT5 ISAKMPOAKLEY (Windows 10/Server 2016)": a vendor's name with its detail. */
const char *an_vendor_label(const struct ike_sa_vendor *v, char *buf, size_t len);
/* The implementation one side announced through its Vendor IDs ("strongSwan",
 * "Windows 10/Server 2016"), or NULL when it sent none that names one. */
const char *an_implementation(const struct ike_sa *sa, bool initiator, char *buf, size_t len);
/* Is vendors[i] the first with its label (so lists name each vendor once)? */
bool an_vendor_first(const struct ike_sa *sa, size_t i);

/* Names of the algorithms the responder chose (NULL members when not seen). */
struct an_suite_names {
    const char *encr, *integ, *prf, *dh, *auth;
    char encr_buf[48], integ_buf[48], prf_buf[48], dh_buf[48], auth_buf[48];
};
/* Returns false when the SA's chosen proposal was not seen. */
bool an_suite_names(const struct ike_sa *sa, struct an_suite_names *n);

/* ISO 8601 UTC with microseconds: 2026-11-24T12:00:00.123456Z. buf needs 32 bytes. */
const char *an_time_iso(const struct ike_time *t, char *buf, size_t len);

#endif
