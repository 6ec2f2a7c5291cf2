/* report_md.c: the report as GitHub-flavoured Markdown, to paste into a ticket or attach
 * to a bug report. The same content as the text report: a summary with the errors and
 * warnings at a glance first, then per IKE SA its header fields as a table, its findings,
 * and its message timeline as the text report prints it (in a collapsed block).
 *
 * SAs are written as they finish, into a temporary file, so that the summary can come
 * first without holding the report in memory; without a temporary file the summary comes
 * last. Everything taken from the wire (identities, certificate names, vendor strings) is
 * escaped, so a hostile capture cannot inject links, images, HTML or table cells. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/report_internal.h"
#include "analyze/windows_errors.h"
#include "ike/names.h"

/* Writes `s` as Markdown text. What could become markup is backslash-escaped (CommonMark
 * allows it before any ASCII punctuation): code spans, emphasis, links and images, HTML,
 * entities, strikethrough, table cells, and a block marker at the start. An underscore
 * inside a word is left alone (GFM makes no emphasis of IKE_SA_INIT), and so are
 * parentheses, which only matter after a "]". Control bytes become '?'. */
static void md_text(FILE *f, const char *s)
{
    const char *start = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool in_word = s > start && isalnum((unsigned char)s[-1]) && isalnum((unsigned char)s[1]);
        if (c == '\n' || c == '\r' || c == '\t') {
            fputc(' ', f);
            continue;
        }
        if (c < 0x20 || c == 0x7f) {
            fputc('?', f);
            continue;
        }
        if (strchr("\\`*[]<>|~&", c) || (c == '_' && !in_word) || (s == start && strchr("#+-!=", c)))
            fputc('\\', f);
        fputc(c, f);
    }
}

static const char *severity_word(enum an_severity s)
{
    return s == AN_SEV_ERROR ? "error" : s == AN_SEV_WARNING ? "warning" : "info";
}

/* The errors and warnings at a glance, kept for the summary (the first MAX_GLANCE). */
#define MAX_GLANCE 50
struct glance {
    unsigned sa;
    enum an_severity severity;
    enum an_confidence confidence;
    const char *rule;
    unsigned code;
    char title[160];
};

struct an_md {
    FILE *body;    /* the SA sections until the end, or NULL: written straight to out */
    struct glance rows[MAX_GLANCE];
    size_t nrows, more_rows;
    bool header_written;
};

static void md_header(struct an_report *r)
{
    fprintf(r->out, "# ikescope report\n\n");
    r->md->header_written = true;
}

void an_md_begin(struct an_report *r)
{
    r->md = calloc(1, sizeof *r->md);
    if (!r->md)
        return;
    r->md->body = tmpfile();
    if (!r->md->body)
        md_header(r); /* no temporary file: sections go out at once, the summary last */
}

static void field_row(void *ctx, const char *label, const char *value, bool wrap)
{
    (void)wrap;
    FILE *f = ctx;
    /* The text report's "initiator" line holds both peers. */
    fputs("| ", f);
    fputs(strcmp(label, "initiator") == 0 ? "peers" : label, f);
    fputs(" | ", f);
    md_text(f, value);
    fputs(" |\n", f);
}

static void finding_item(FILE *f, const struct an_finding *x)
{
    char title[sizeof x->title + 2], frames[160];
    ike_copy(title, sizeof title, x->title);
    fprintf(f, "- **%s** `%s`%s: ", x->severity == AN_SEV_ERROR ? "ERROR" : x->severity == AN_SEV_WARNING ? "WARNING" : "info",
            x->rule, x->confidence == AN_CONF_LIKELY ? " (likely)" : "");
    md_text(f, title);
    fputs("  \n  ", f);
    md_text(f, x->detail);
    const char *wname = x->windows_code ? an_windows_error_name(x->windows_code) : NULL;
    if (x->nframes || wname) {
        fputs("  \n  ", f);
        if (x->nframes)
            fprintf(f, "Frames: %s", an_finding_frames(x, frames, sizeof frames));
        if (wname)
            fprintf(f, "%sWindows: %u (0x%04X) `%s`", x->nframes ? " · " : "", x->windows_code, x->windows_code, wname);
    }
    fputc('\n', f);
}

static void remember(struct an_md *md, const struct an_finding *x)
{
    if (x->severity == AN_SEV_INFO)
        return;
    if (md->nrows == MAX_GLANCE) {
        md->more_rows++;
        return;
    }
    struct glance *g = &md->rows[md->nrows++];
    g->sa = x->sa;
    g->severity = x->severity;
    g->confidence = x->confidence;
    g->rule = x->rule; /* a registry string: lives as long as the program */
    g->code = x->windows_code;
    ike_copy(g->title, sizeof g->title, x->title);
}

void an_md_sa(struct an_report *r, const struct ike_sa *sa, const struct an_sa_certs *certs,
              const struct an_cert_checks *checks, const struct an_psk_checks *psk, const struct an_finding *fs,
              size_t nf)
{
    FILE *f = r->md && r->md->body ? r->md->body : r->out;
    fprintf(f, "## IKE SA #%u: IKEv%u, %s\n\n| field | value |\n|---|---|\n", sa->id, sa->version,
            ike_outcome_name(sa->outcome));
    an_sa_fields(r, sa, certs, checks, psk, field_row, f);
    if (nf) {
        fputs("\n**Findings**\n\n", f);
        for (size_t i = 0; i < nf; i++) {
            finding_item(f, &fs[i]);
            if (r->md)
                remember(r->md, &fs[i]);
        }
    }
    /* The timeline holds only names ikescope chose, never bytes from the wire, so the
     * text report's lines go into a fenced block as they are. */
    fprintf(f, "\n<details><summary>Messages (%zu)</summary>\n\n```text\n", sa->nmsgs);
    an_text_timeline(f, sa);
    fputs("```\n\n</details>\n\n", f);
}

static void summary(struct an_report *r, const struct an_input *inputs, size_t n)
{
    FILE *f = r->out;
    const size_t *count = r->count;
    fprintf(f, "%zu IKE SA%s · **%zu error%s**, %zu warning%s, %zu info · ikescope %s\n\n", r->sas_written,
            r->sas_written == 1 ? "" : "s", count[AN_SEV_ERROR], count[AN_SEV_ERROR] == 1 ? "" : "s",
            count[AN_SEV_WARNING], count[AN_SEV_WARNING] == 1 ? "" : "s", count[AN_SEV_INFO], r->version);
    for (size_t i = 0; i < n; i++) {
        char line[512];
        an_input_summary(&inputs[i], line, sizeof line);
        fputs("- ", f);
        md_text(f, line);
        if (inputs[i].error) {
            fputs(" (warning: ", f);
            md_text(f, inputs[i].error);
            fputc(')', f);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
    /* Findings about an input as a whole (SA 0). */
    bool any = false;
    for (size_t k = 0; k < r->findings.n; k++) {
        const struct an_finding *x = &r->findings.v[k];
        if (x->sa != 0)
            continue;
        if (!any)
            fputs("### About the inputs\n\n", f);
        any = true;
        finding_item(f, x);
    }
    if (any)
        fputc('\n', f);
    struct an_md *md = r->md;
    if (md && md->nrows) {
        fputs("### Errors and warnings\n\n| SA | severity | rule | Windows | what |\n|---|---|---|---|---|\n", f);
        for (size_t i = 0; i < md->nrows; i++) {
            const struct glance *g = &md->rows[i];
            fprintf(f, "| #%u | %s | `%s`%s | ", g->sa, severity_word(g->severity), g->rule,
                    g->confidence == AN_CONF_LIKELY ? " (likely)" : "");
            if (g->code)
                fprintf(f, "%u", g->code);
            fputs(" | ", f);
            md_text(f, g->title);
            fputs(" |\n", f);
        }
        if (md->more_rows)
            fprintf(f, "\n... and %zu more; each SA below lists its own.\n", md->more_rows);
        fputc('\n', f);
    }
}

void an_md_finish(struct an_report *r, const struct an_input *inputs, size_t n)
{
    struct an_md *md = r->md;
    if (!md || !md->body) {
        /* Sections already went out: the summary closes the report. */
        if (!md || !md->header_written)
            md_header(r);
        fputs("## Summary\n\n", r->out);
        summary(r, inputs, n);
        return;
    }
    md_header(r);
    summary(r, inputs, n);
    rewind(md->body);
    char buf[1 << 16];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, md->body)) > 0)
        fwrite(buf, 1, got, r->out);
}

void an_md_free(struct an_report *r)
{
    if (!r->md)
        return;
    if (r->md->body)
        fclose(r->md->body);
    free(r->md);
    r->md = NULL;
}
