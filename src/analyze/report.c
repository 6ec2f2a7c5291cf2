/* report.c: runs the rules over each finished SA and hands it to the chosen writer. */
#include "analyze/report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/report_internal.h"
#include "ike/msg.h"

const char *an_time_iso(const struct ike_time *t, char *buf, size_t len)
{
    time_t s = (time_t)t->sec;
    struct tm tm;
    if (!gmtime_r(&s, &tm)) {
        snprintf(buf, len, "invalid-time");
        return buf;
    }
    char date[24];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%06uZ", date, (unsigned)(t->usec % 1000000u));
    return buf;
}

void an_payload_labels(const struct ike_sa *sa, const struct ike_sa_msg *sm,
                       void (*emit)(void *ctx, const char *label, bool inner), void *ctx)
{
    char buf[80];
    for (size_t i = 0; i < sm->msg.npayloads; i++) {
        const struct ike_payload *p = &sm->msg.payloads[i];
        emit(ctx, ike_payload_label(sa->version, p, sm->from_initiator, buf, sizeof buf), p->inner);
    }
}

struct an_report *an_report_new(FILE *out, enum an_format fmt, const char *tool_version)
{
    struct an_report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->out = out;
    r->fmt = fmt;
    r->version = tool_version;
    if (fmt == AN_FORMAT_JSON)
        an_json_begin(r);
    return r;
}

void an_report_sa(void *report, const struct ike_sa *sa)
{
    struct an_report *r = report;
    size_t before = r->findings.n;
    an_rules_run(sa, &r->findings);
    for (size_t i = before; i < r->findings.n; i++)
        r->reached[r->findings.v[i].severity] = true;
    if (r->fmt == AN_FORMAT_JSON)
        an_json_sa(r, sa);
    else
        an_text_sa(r, sa, r->findings.v + before, r->findings.n - before);
    r->sas_written++;
}

void an_report_finish(struct an_report *r, const struct an_input *inputs, size_t ninputs)
{
    if (r->fmt == AN_FORMAT_JSON)
        an_json_finish(r, inputs, ninputs);
    else
        an_text_finish(r, inputs, ninputs);
    fflush(r->out);
}

bool an_report_reaches(const struct an_report *r, enum an_severity sev)
{
    for (int s = sev; s <= AN_SEV_ERROR; s++)
        if (r->reached[s])
            return true;
    return false;
}

void an_report_free(struct an_report *r)
{
    if (!r)
        return;
    an_findings_cleanup(&r->findings);
    free(r);
}
