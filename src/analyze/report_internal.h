/* report_internal.h: state shared by the text, document (Markdown, HTML) and JSON report
 * writers. */
#ifndef IKESCOPE_ANALYZE_REPORT_INTERNAL_H
#define IKESCOPE_ANALYZE_REPORT_INTERNAL_H

#include "analyze/auth_verify.h"
#include "analyze/certs.h"
#include "analyze/json.h"
#include "analyze/psk_auth.h"
#include "analyze/revocation.h"
#include "analyze/report.h"
#include "analyze/rules_certs.h"

struct an_report {
    FILE *out;
    enum an_format fmt;
    const char *version;
    struct aj json;
    /* Findings are written as their SA finishes and then dropped, so memory does not grow
     * with the capture. Only those about inputs as a whole (made at the end) stay here. */
    struct an_findings findings;
    /* JSON: the findings array comes after `sas`, so the SAs' findings wait in a temporary
     * file (already in JSON, at the array's depth) until the end; NULL if none could be
     * made, and then they wait in `findings` instead. */
    FILE *spool;
    struct aj spool_json;
    size_t count[3];             /* findings per severity, for the summary */
    size_t sas_written;
    bool reached[3];
    /* Certificate summaries shared across SAs (certs.h), and who else wants each SA's. */
    struct an_cert_cache *certs;
    an_certs_fn on_certs;
    void *on_certs_ctx;
    an_verdict_fn on_verdict;
    void *on_verdict_ctx;
    /* What the verifying side trusts (borrowed; NULL: no chain is judged) and --at. */
    struct an_trust *trust;
    bool has_at;
    struct ike_time at;
    /* Candidate pre-shared keys (borrowed; NULL: none given). */
    const struct an_psk_list *psks;
    const struct an_profile_setting *profiles;
    const struct an_endpoint_log *endpoints;
    struct an_profile_choice profile[2]; /* of the SA being written */
    const struct cap_netlog *netlog;      /* borrowed, may be NULL */
    const struct an_fetches *fetches;     /* of the SA being written, valid during the call */
    /* Signature AUTH verdicts cached by content, and the current SA's (auth_verify.h). */
    struct an_auth_cache *auth_cache;
    struct an_auth_checks auth;
    struct an_doc *doc;                   /* Markdown and HTML writer's state (report_doc.c) */
    /* SAs alike after the first few are one line each (report_alike.c), unless full. */
    bool full;
    struct an_shapes *shapes;
    uint64_t one_line;   /* SAs written so */
    bool last_one_line;  /* text: the previous SA was one, so no blank line before this */
};

/* Labels of a message's payloads in report notation, inner ones included. */
void an_payload_labels(const struct ike_sa *sa, const struct ike_sa_msg *sm,
                       void (*emit)(void *ctx, const char *label, const struct ike_payload *p),
                       void *ctx);

/* report_fields.c: the SA's header as labelled fields, each given to `emit` in order.
 * `wrap`: the value is prose that may be wrapped; otherwise one short line. Labels are
 * the text report's ("initiator" for the peers line, "SPIs", "time", "software", "ids",
 * "auth", "profile", "chosen", "why", "deleted", "cert", "certreq", "crl", "ocsp",
 * "check", "psk", "sig", ...). */
typedef void (*an_field_fn)(void *ctx, const char *label, const char *value, bool wrap);
void an_sa_fields(const struct an_report *r, const struct ike_sa *sa, const struct an_sa_certs *certs,
                  const struct an_cert_checks *checks, const struct an_psk_checks *psk, an_field_fn emit, void *ctx);
/* "12:33:59.234" (UTC) of a capture time. */
void an_clock_time(const struct ike_time *t, char *buf, size_t len);

/* A finding's frames, "4, 5, 7", the first ten of a longer list and how many in all. */
const char *an_finding_frames(const struct an_finding *x, char *list, size_t len);
/* "capture.pcap: 7 packets, 5 IKE messages, ..." for the closing summary. */
void an_input_summary(const struct an_input *in, char *line, size_t len);

void an_json_begin(struct an_report *r);
/* One element of the `findings` array. */
void an_json_finding(struct aj *j, const struct an_finding *f);
void an_json_sa(struct an_report *r, const struct ike_sa *sa, const struct an_sa_certs *certs,
                const struct an_cert_checks *checks, const struct an_psk_checks *psk);
void an_json_finish(struct an_report *r, const struct an_input *inputs, size_t n);

void an_text_sa(struct an_report *r, const struct ike_sa *sa, const struct an_sa_certs *certs,
                const struct an_cert_checks *checks, const struct an_psk_checks *psk,
                const struct an_finding *f, size_t nf);
void an_text_finish(struct an_report *r, const struct an_input *inputs, size_t n);
/* report_alike.c: 0 when this SA is to be written in full, else the number of the earlier
 * SA it is like (and it is counted as written on one line). */
unsigned an_report_alike(struct an_report *r, const struct ike_sa *sa, const struct an_finding *f, size_t nf);
/* "IKE SA #35 incomplete 12:32:44 192.0.2.1 -> 192.0.2.2 e8b4b7da00000022 like #1" */
void an_report_alike_line(const struct ike_sa *sa, unsigned like, char *line, size_t len);
/* The sentence that explains those lines, for the end of a report. */
const char *an_report_alike_note(void);
void an_report_alike_free(struct an_report *r);
void an_doc_begin(struct an_report *r);
void an_doc_sa(struct an_report *r, const struct ike_sa *sa, const struct an_sa_certs *certs,
               const struct an_cert_checks *checks, const struct an_psk_checks *psk, const struct an_finding *f,
               size_t nf);
void an_doc_finish(struct an_report *r, const struct an_input *inputs, size_t n);
void an_doc_free(struct an_report *r);

/* The text timeline of one SA (report_text.c), which the documents quote. */
void an_text_timeline(FILE *f, const struct ike_sa *sa);

#endif
