/* report_internal.h: state shared by the text and JSON report writers. */
#ifndef IKESCOPE_ANALYZE_REPORT_INTERNAL_H
#define IKESCOPE_ANALYZE_REPORT_INTERNAL_H

#include "analyze/json.h"
#include "analyze/report.h"

struct an_report {
    FILE *out;
    enum an_format fmt;
    const char *version;
    struct aj json;
    struct an_findings findings; /* every finding, kept for the closing list */
    size_t sas_written;
    bool reached[3];
};

/* Labels of a message's payloads in report notation, inner ones included. */
void an_payload_labels(const struct ike_sa *sa, const struct ike_sa_msg *sm,
                       void (*emit)(void *ctx, const char *label, const struct ike_payload *p),
                       void *ctx);

void an_json_begin(struct an_report *r);
void an_json_sa(struct an_report *r, const struct ike_sa *sa);
void an_json_finish(struct an_report *r, const struct an_input *inputs, size_t n);

void an_text_sa(struct an_report *r, const struct ike_sa *sa, const struct an_finding *f, size_t nf);
void an_text_finish(struct an_report *r, const struct an_input *inputs, size_t n);

#endif
