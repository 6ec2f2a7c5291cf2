/* findings.h: what ikescope concludes about an SA, one finding per rule hit. */
#ifndef IKESCOPE_ANALYZE_FINDINGS_H
#define IKESCOPE_ANALYZE_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "ike/sa.h"

enum an_severity { AN_SEV_INFO = 0, AN_SEV_WARNING, AN_SEV_ERROR };
enum an_confidence { AN_CONF_CERTAIN = 0, AN_CONF_LIKELY };

struct an_finding {
    const char *rule;            /* stable rule name, static storage */
    enum an_severity severity;
    enum an_confidence confidence;
    unsigned sa;                 /* SA id */
    unsigned input;              /* input the frames belong to */
    uint64_t *frames;            /* owned */
    size_t nframes;
    char title[160];
    char detail[1600];
    unsigned windows_code;       /* 0 when no Windows error applies */
};

struct an_findings {
    struct an_finding *v;
    size_t n, cap;
};

const char *an_severity_name(enum an_severity s);
const char *an_confidence_name(enum an_confidence c);
/* Parses "error", "warning", "info"; returns -1 when unknown. */
int an_severity_parse(const char *s);

/* The rules over one SA run through an_rules_run (rules.h). */

/* Rules about an input as a whole (datagrams on IKE ports that are not IKE). */
void an_rules_input(unsigned input, const struct cap_stats *stats, const struct ike_input_counts *counts,
                    struct an_findings *out);

void an_findings_cleanup(struct an_findings *f);

#endif
