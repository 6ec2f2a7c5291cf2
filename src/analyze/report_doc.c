/* report_doc.c: the report as a document to hand to someone: GitHub-flavoured Markdown
 * to paste into a ticket, or one self-contained HTML file to attach or mail. Both hold
 * what the text report holds: a summary with the errors and warnings at a glance first,
 * then per IKE SA its header fields as a table, its findings, and its message timeline as
 * the text report prints it (in a collapsed block).
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

struct an_doc {
    bool html;
    FILE *body;    /* the SA sections until the end, or NULL: written straight to out */
    struct glance rows[MAX_GLANCE];
    size_t nrows, more_rows;
    bool header_written;
};

/* Markdown: what could become markup is backslash-escaped (CommonMark allows it before any
 * ASCII punctuation): code spans, emphasis, links and images, HTML, entities,
 * strikethrough, table cells, and a block marker at the start. An underscore inside a word
 * is left alone (GFM makes no emphasis of IKE_SA_INIT), and so are parentheses, which only
 * matter after a "]". HTML: the five characters that matter, as entities. Both: control
 * bytes become '?', line breaks a space. */
static void doc_text(const struct an_doc *d, FILE *f, const char *s)
{
    const char *start = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n' || c == '\r' || c == '\t') {
            fputc(' ', f);
            continue;
        }
        if (c < 0x20 || c == 0x7f) {
            fputc('?', f);
            continue;
        }
        if (d->html) {
            const char *ent = c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : c == '"' ? "&quot;"
                              : c == '\'' ? "&#39;" : NULL;
            if (ent)
                fputs(ent, f);
            else
                fputc(c, f);
            continue;
        }
        bool in_word = s > start && isalnum((unsigned char)s[-1]) && isalnum((unsigned char)s[1]);
        if (strchr("\\`*[]<>|~&", c) || (c == '_' && !in_word) || (s == start && strchr("#+-!=", c)))
            fputc('\\', f);
        fputc(c, f);
    }
}

static const char *severity_word(enum an_severity s)
{
    return s == AN_SEV_ERROR ? "error" : s == AN_SEV_WARNING ? "warning" : "info";
}

static const char *severity_label(enum an_severity s)
{
    return s == AN_SEV_ERROR ? "ERROR" : s == AN_SEV_WARNING ? "WARNING" : "info";
}

/* A little style, inline: the file must read well on its own, offline. */
static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>ikescope report</title>\n"
    "<style>\nbody{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45;color:#1b1b1b}\ntable{border-collapse:collapse;margin:.5rem 0}\n"
    "td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}\n"
    "th{background:#f3f3f3}\ncode,pre{font-family:ui-monospace,monospace}\n"
    "pre{background:#f7f7f7;padding:.5rem;overflow-x:auto}\n.error{color:#b00020}\n.warning{color:#a15c00}\n"
    ".info{color:#555}\nli{margin-bottom:.6rem}\n</style>\n</head>\n<body>\n";

static void doc_header(struct an_report *r)
{
    fputs(r->doc->html ? html_head : "", r->out);
    fputs(r->doc->html ? "<h1>ikescope report</h1>\n" : "# ikescope report\n\n", r->out);
    r->doc->header_written = true;
}

void an_doc_begin(struct an_report *r)
{
    r->doc = calloc(1, sizeof *r->doc);
    if (!r->doc)
        return;
    r->doc->html = r->fmt == AN_FORMAT_HTML;
    r->doc->body = tmpfile();
    if (!r->doc->body)
        doc_header(r); /* no temporary file: sections go out at once, the summary last */
}

struct row_ctx {
    const struct an_doc *d;
    FILE *f;
};

static void field_row(void *ctx, const char *label, const char *value, bool wrap)
{
    (void)wrap;
    struct row_ctx *rc = ctx;
    /* The text report's "initiator" line holds both peers. */
    const char *name = strcmp(label, "initiator") == 0 ? "peers" : label;
    fprintf(rc->f, rc->d->html ? "<tr><th>%s</th><td>" : "| %s | ", name);
    doc_text(rc->d, rc->f, value);
    fputs(rc->d->html ? "</td></tr>\n" : " |\n", rc->f);
}

static void finding_item(const struct an_doc *d, FILE *f, const struct an_finding *x)
{
    char title[sizeof x->title + 2], frames[160];
    ike_copy(title, sizeof title, x->title);
    const char *likely = x->confidence == AN_CONF_LIKELY ? " (likely)" : "";
    if (d->html)
        fprintf(f, "<li><b class=\"%s\">%s</b> <code>%s</code>%s: <b>", severity_word(x->severity),
                severity_label(x->severity), x->rule, likely);
    else
        fprintf(f, "- **%s** `%s`%s: ", severity_label(x->severity), x->rule, likely);
    doc_text(d, f, title);
    fputs(d->html ? "</b><br>\n" : "  \n  ", f);
    doc_text(d, f, x->detail);
    const char *wname = x->windows_code ? an_windows_error_name(x->windows_code) : NULL;
    if (x->nframes || wname) {
        fputs(d->html ? "<br>\n" : "  \n  ", f);
        if (x->nframes)
            fprintf(f, "Frames: %s", an_finding_frames(x, frames, sizeof frames));
        if (wname)
            fprintf(f, d->html ? "%sWindows: %u (0x%04X) <code>%s</code>" : "%sWindows: %u (0x%04X) `%s`",
                    x->nframes ? " · " : "", x->windows_code, x->windows_code, wname);
    }
    fputs(d->html ? "</li>\n" : "\n", f);
}

static void remember(struct an_doc *d, const struct an_finding *x)
{
    if (x->severity == AN_SEV_INFO)
        return;
    if (d->nrows == MAX_GLANCE) {
        d->more_rows++;
        return;
    }
    struct glance *g = &d->rows[d->nrows++];
    g->sa = x->sa;
    g->severity = x->severity;
    g->confidence = x->confidence;
    g->rule = x->rule; /* a registry string: lives as long as the program */
    g->code = x->windows_code;
    ike_copy(g->title, sizeof g->title, x->title);
}

/* The text timeline, which holds only names ikescope chose: as is inside a Markdown fence;
 * escaped inside <pre>, since its lines hold "I>R". */
static void timeline(const struct an_doc *d, FILE *f, const struct ike_sa *sa)
{
    if (!d->html) {
        fprintf(f, "\n<details><summary>Messages (%zu)</summary>\n\n```text\n", sa->nmsgs);
        an_text_timeline(f, sa);
        fputs("```\n\n</details>\n\n", f);
        return;
    }
    fprintf(f, "<details><summary>Messages (%zu)</summary>\n<pre>", sa->nmsgs);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem) {
        an_text_timeline(mem, sa);
        fclose(mem);
        /* Line by line: doc_text turns line breaks into spaces. */
        for (char *line = buf, *next; line && *line; line = next) {
            next = strchr(line, '\n');
            if (next)
                *next++ = '\0';
            doc_text(d, f, line);
            fputc('\n', f);
        }
    }
    free(buf);
    fputs("</pre>\n</details>\n", f);
}

void an_doc_sa(struct an_report *r, const struct ike_sa *sa, const struct an_sa_certs *certs,
               const struct an_cert_checks *checks, const struct an_psk_checks *psk, const struct an_finding *fs,
               size_t nf)
{
    struct an_doc *d = r->doc;
    struct an_doc fallback = { .html = r->fmt == AN_FORMAT_HTML };
    if (!d)
        d = &fallback;
    FILE *f = d->body ? d->body : r->out;
    for (size_t i = 0; i < nf && d != &fallback; i++)
        remember(d, &fs[i]);
    /* Like an earlier SA (report_alike.c): one line, as in the text report. */
    unsigned like = an_report_alike(r, sa, fs, nf);
    if (like) {
        char line[256];
        an_report_alike_line(sa, like, line, sizeof line);
        fputs(d->html ? "<p class=\"like\">" : "", f);
        doc_text(d, f, line);
        fputs(d->html ? "</p>\n" : "  \n", f);
        return;
    }
    const char *outcome = ike_outcome_name(sa->outcome);
    if (d->html)
        fprintf(f, "<h2 id=\"sa-%u\">IKE SA #%u: IKEv%u, %s</h2>\n<table>\n", sa->id, sa->id, sa->version, outcome);
    else
        fprintf(f, "## IKE SA #%u: IKEv%u, %s\n\n| field | value |\n|---|---|\n", sa->id, sa->version, outcome);
    struct row_ctx rc = { d, f };
    an_sa_fields(r, sa, certs, checks, psk, field_row, &rc);
    if (d->html)
        fputs("</table>\n", f);
    if (nf) {
        fputs(d->html ? "<h3>Findings</h3>\n<ul>\n" : "\n**Findings**\n\n", f);
        for (size_t i = 0; i < nf; i++)
            finding_item(d, f, &fs[i]);
        if (d->html)
            fputs("</ul>\n", f);
    }
    timeline(d, f, sa);
}

static void summary(struct an_report *r, const struct an_input *inputs, size_t n)
{
    const struct an_doc *d = r->doc;
    FILE *f = r->out;
    const size_t *count = r->count;
    fprintf(f, d->html ? "<p>%zu IKE SA%s · <b>%zu error%s</b>, %zu warning%s, %zu info · ikescope %s</p>\n<ul>\n"
                       : "%zu IKE SA%s · **%zu error%s**, %zu warning%s, %zu info · ikescope %s\n\n",
            r->sas_written, r->sas_written == 1 ? "" : "s", count[AN_SEV_ERROR], count[AN_SEV_ERROR] == 1 ? "" : "s",
            count[AN_SEV_WARNING], count[AN_SEV_WARNING] == 1 ? "" : "s", count[AN_SEV_INFO], r->version);
    for (size_t i = 0; i < n; i++) {
        char line[512];
        an_input_summary(&inputs[i], line, sizeof line);
        fputs(d->html ? "<li>" : "- ", f);
        doc_text(d, f, line);
        if (inputs[i].error) {
            fputs(" (warning: ", f);
            doc_text(d, f, inputs[i].error);
            fputc(')', f);
        }
        fputs(d->html ? "</li>\n" : "\n", f);
    }
    fputs(d->html ? "</ul>\n" : "\n", f);
    /* Findings about an input as a whole (SA 0). */
    bool any = false;
    for (size_t k = 0; k < r->findings.n; k++) {
        const struct an_finding *x = &r->findings.v[k];
        if (x->sa != 0)
            continue;
        if (!any)
            fputs(d->html ? "<h3>About the inputs</h3>\n<ul>\n" : "### About the inputs\n\n", f);
        any = true;
        finding_item(d, f, x);
    }
    if (any)
        fputs(d->html ? "</ul>\n" : "\n", f);
    if (r->one_line) {
        fputs(d->html ? "<p>" : "", f);
        doc_text(d, f, an_report_alike_note());
        fputs(d->html ? "</p>\n" : "\n\n", f);
    }
    if (!d->nrows)
        return;
    fputs(d->html ? "<h3>Errors and warnings</h3>\n<table>\n<tr><th>SA</th><th>severity</th><th>rule</th>"
                    "<th>Windows</th><th>what</th></tr>\n"
                  : "### Errors and warnings\n\n| SA | severity | rule | Windows | what |\n|---|---|---|---|---|\n",
          f);
    for (size_t i = 0; i < d->nrows; i++) {
        const struct glance *g = &d->rows[i];
        const char *likely = g->confidence == AN_CONF_LIKELY ? " (likely)" : "";
        if (d->html)
            fprintf(f, "<tr><td><a href=\"#sa-%u\">#%u</a></td><td class=\"%s\">%s</td><td><code>%s</code>%s</td><td>",
                    g->sa, g->sa, severity_word(g->severity), severity_word(g->severity), g->rule, likely);
        else
            fprintf(f, "| #%u | %s | `%s`%s | ", g->sa, severity_word(g->severity), g->rule, likely);
        if (g->code)
            fprintf(f, "%u", g->code);
        fputs(d->html ? "</td><td>" : " | ", f);
        doc_text(d, f, g->title);
        fputs(d->html ? "</td></tr>\n" : " |\n", f);
    }
    if (d->html)
        fputs("</table>\n", f);
    if (d->more_rows)
        fprintf(f, d->html ? "<p>... and %zu more; each SA below lists its own.</p>\n"
                           : "\n... and %zu more; each SA below lists its own.\n",
                d->more_rows);
    fputs(d->html ? "" : "\n", f);
}

void an_doc_finish(struct an_report *r, const struct an_input *inputs, size_t n)
{
    struct an_doc *d = r->doc;
    if (!d) {
        /* Out of memory at the start: the SA sections went out as they came. */
        fputs("\n", r->out);
        return;
    }
    if (!d->body) {
        /* Sections already went out: the summary closes the report. */
        fputs(d->html ? "<h2>Summary</h2>\n" : "## Summary\n\n", r->out);
        summary(r, inputs, n);
    } else {
        doc_header(r);
        summary(r, inputs, n);
        rewind(d->body);
        char buf[1 << 16];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, d->body)) > 0)
            fwrite(buf, 1, got, r->out);
    }
    if (d->html)
        fputs("</body>\n</html>\n", r->out);
}

void an_doc_free(struct an_report *r)
{
    if (!r->doc)
        return;
    if (r->doc->body)
        fclose(r->doc->body);
    free(r->doc);
    r->doc = NULL;
}
