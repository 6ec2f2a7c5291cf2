/* report_alike.c: many SAs alike (a scan, a flood of unanswered requests, a fleet of
 * clients failing the same way). The reports for people write the first FULL_PER_SHAPE of
 * one shape in full and the others in one line each that names the earlier SA it is like.
 * A shape is the version, outcome, likely reading and the findings' rules, severities and
 * confidences in order; peers and SPIs do not count. Every SA is still listed and every
 * finding counted; --full writes them all in full. JSON always holds every SA whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/report_internal.h"
#include "ike/names.h"

#define FULL_PER_SHAPE 10
#define SHAPE_SLOTS 4096 /* shapes remembered; once full, new shapes are always written in full */

struct shape {
    uint64_t key; /* 0: empty */
    uint32_t count;
    unsigned first_sa;
};
struct an_shapes {
    struct shape slot[SHAPE_SLOTS];
    size_t used;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211u;
    return h;
}

static uint64_t shape_key(const struct ike_sa *sa, const struct an_finding *fs, size_t nf)
{
    uint64_t h = 14695981039346656037u;
    unsigned char head[3] = { sa->version, (unsigned char)sa->outcome, (unsigned char)sa->likely };
    h = fnv(h, head, sizeof head);
    for (size_t i = 0; i < nf; i++) {
        h = fnv(h, fs[i].rule, strlen(fs[i].rule) + 1);
        unsigned char sc[2] = { (unsigned char)fs[i].severity, (unsigned char)fs[i].confidence };
        h = fnv(h, sc, sizeof sc);
    }
    return h ? h : 1;
}

unsigned an_report_alike(struct an_report *r, const struct ike_sa *sa, const struct an_finding *fs, size_t nf)
{
    if (r->full)
        return 0;
    if (!r->shapes && !(r->shapes = calloc(1, sizeof *r->shapes)))
        return 0;
    struct an_shapes *t = r->shapes;
    uint64_t key = shape_key(sa, fs, nf);
    for (size_t i = key % SHAPE_SLOTS, probes = 0; probes < SHAPE_SLOTS; i = (i + 1) % SHAPE_SLOTS, probes++) {
        struct shape *s = &t->slot[i];
        if (s->key == key) {
            s->count++;
            if (s->count <= FULL_PER_SHAPE)
                return 0;
            r->one_line++;
            return s->first_sa;
        }
        if (!s->key) {
            if (t->used * 4 >= SHAPE_SLOTS * 3)
                return 0;
            t->used++;
            *s = (struct shape){ key, 1, sa->id };
            return 0;
        }
    }
    return 0;
}

void an_report_alike_line(const struct ike_sa *sa, unsigned like, char *line, size_t len)
{
    char a[64], b[64], si[24], t[24];
    an_clock_time(&sa->first_seen, t, sizeof t);
    t[8] = '\0'; /* to the second: the line must fit 80 columns; JSON has the microseconds */
    snprintf(line, len, "IKE SA #%u %s %s %s -> %s %s like #%u", sa->id, ike_outcome_name(sa->outcome), t,
             cap_addr_str(&sa->initiator.addr, a, sizeof a), cap_addr_str(&sa->responder.addr, b, sizeof b),
             ike_hex(sa->spi_i, 8, si, sizeof si), like);
}

const char *an_report_alike_note(void)
{
    return "Each SA written on one line is like the earlier SA it names: the same version, outcome and findings, "
           "shown in full there. Run with --full to write every SA in full.";
}

void an_report_alike_free(struct an_report *r)
{
    free(r->shapes);
    r->shapes = NULL;
}
