/* report_text.c: the human report: one block per IKE SA, a message timeline that fits
 * 80 columns, the SA's findings under it, and a closing summary. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/icmp_text.h"
#include "analyze/report_internal.h"
#include "analyze/windows_errors.h"
#include "ike/names.h"
#include "ike/payloads.h"
#include "ike/vendor.h"

/* One thread writes the report: no stdio locking per call (see json.c). */
#define fputc fputc_unlocked
#define fputs fputs_unlocked
#define fwrite fwrite_unlocked

#define WIDTH 80
#define PAYLOAD_INDENT 10

/* A line break and `n` spaces of indentation, in one write. */
static void newline_indent(FILE *f, int n)
{
    static const char spaces[] = "\n                                        ";
    if (n > (int)sizeof spaces - 2)
        n = (int)sizeof spaces - 2;
    fwrite(spaces, 1, (size_t)n + 1, f);
}

struct line {
    FILE *f;
    int col;
    bool in_sk;
    uint8_t version;
};

/* Writes a word, wrapping before it when it would pass WIDTH; a glued word
 * follows the previous one without a space when it fits. */
static void put_word_glued(struct line *l, const char *w, bool glue)
{
    /* Inside SK{...} keep a column for the closing brace, which may follow any word. */
    int n = (int)strlen(w) + (l->in_sk ? 1 : 0);
    if (l->col + 1 + n > WIDTH && l->col > PAYLOAD_INDENT) {
        newline_indent(l->f, PAYLOAD_INDENT);
        l->col = PAYLOAD_INDENT;
    } else if (l->col > 0 && !glue) {
        fputc(' ', l->f);
        l->col++;
    }
    fputs(w, l->f);
    l->col += (int)strlen(w);
}

static void put_word(struct line *l, const char *w) { put_word_glued(l, w, false); }

/* EAP with its code and method (RFC 3748 §4): "EAP(Request/MSCHAPV2)", "EAP(Success)". */
static void eap_label(const struct ike_payload *p, bool open_brace, char *w, size_t len)
{
    struct ike_eap e;
    char code[32], type[32];
    if (ike_eap_decode(p->body, p->body_len, &e) != IKE_PL_OK) {
        snprintf(w, len, "%sEAP", open_brace ? "{" : "");
        return;
    }
    ike_eap_code_name(e.code, code, sizeof code);
    if (e.has_type)
        snprintf(w, len, "%sEAP(%s/%s)", open_brace ? "{" : "", code, ike_eap_type_name(e.type, type, sizeof type));
    else
        snprintf(w, len, "%sEAP(%s)", open_brace ? "{" : "", code);
}

/* Inner payloads print inside braces after SK: "SK{IDi CERT AUTH}". */
static void emit_label(void *ctx, const char *label, const struct ike_payload *p)
{
    struct line *l = ctx;
    char w[96];
    bool first_inner = p->inner && !l->in_sk;
    /* Fragments show their place: SKF(2/5); IKEv1 FRAG(2) and FRAG(3, last). */
    if (!p->inner && p->type == IKE2_PL_SKF && l->version == 2)
        snprintf(w, sizeof w, "%s(%u/%u)", label, p->frag_num, p->frag_total);
    else if (!p->inner && p->type == IKE1_PL_FRAG && l->version == 1)
        snprintf(w, sizeof w, "%s(%u%s)", label, p->frag_num, p->frag_total ? ", last" : "");
    else if (p->type == IKE2_PL_EAP && l->version == 2)
        eap_label(p, first_inner, w, sizeof w);
    else if (first_inner) {
        w[0] = '{';
        ike_copy(w + 1, sizeof w - 1, label);
    } else {
        ike_copy(w, sizeof w, label);
    }
    l->in_sk = l->in_sk || p->inner;
    put_word_glued(l, w, first_inner);
}

static void message_line(FILE *f, const struct ike_sa *sa, const struct ike_sa_msg *sm)
{
    char frame[24], tbuf[24], xbuf[40];
    if (sm->nframes > 1)
        snprintf(frame, sizeof frame, "#%" PRIu64 "+%zu", sm->frames[0], sm->nframes - 1);
    else if (sm->nframes == 1)
        snprintf(frame, sizeof frame, "#%" PRIu64, sm->frames[0]);
    else
        snprintf(frame, sizeof frame, "#?");
    an_clock_time(&sm->time, tbuf, sizeof tbuf);
    ike_exchange_name(sa->version, sm->msg.exchange, xbuf, sizeof xbuf);
    const char *kind = sa->version == 2 ? (sm->response ? "rsp" : "req") : "";
    struct line l = { f, 0, false, sa->version };
    /* IKEv1 message IDs are random 32-bit values: hex, as Wireshark shows them. */
    char mid[16];
    if (sa->version == 1 && sm->msg.msg_id)
        snprintf(mid, sizeof mid, "%08" PRIx32, sm->msg.msg_id);
    else
        snprintf(mid, sizeof mid, "%3" PRIu32, sm->msg.msg_id);
    l.col = fprintf(f, "  %-7s %s %s %-15s %s %s", frame, tbuf, sm->from_initiator ? "I>R" : "R>I", xbuf,
                    mid, kind);
    an_payload_labels(sa, sm, emit_label, &l);
    if (l.in_sk)
        fputc('}', f);
    if (sm->msg.encrypted && !sm->msg.decrypted && sa->version == 1)
        put_word(&l, "(encrypted)");
    if (sm->retransmission)
        put_word(&l, "[retransmission]");
    if (sm->retry)
        put_word(&l, "[retry]");
    if (sm->decrypt == IKE_DECRYPT_ICV_MISMATCH)
        put_word(&l, "[ICV mismatch: wrong keys?]");
    fputc('\n', f);
    for (size_t i = 0; i < sm->msg.nanomalies; i++)
        fprintf(f, "%*s! %s\n", PAYLOAD_INDENT, "",
                ike_anomaly_name((enum ike_anomaly)sm->msg.anomalies[i]));
}

/* "  #4      12:33:59.234 R>I ICMP port unreachable from 192.0.2.2" */
static void icmp_line(FILE *f, const struct ike_sa *sa, const struct ike_sa_icmp *e)
{
    char frame[24], tbuf[24], name[80], from[64];
    snprintf(frame, sizeof frame, "#%" PRIu64, e->frame);
    an_clock_time(&e->time, tbuf, sizeof tbuf);
    an_icmp_name(&e->icmp, name, sizeof name);
    const struct ike_endpoint *peer = e->about_initiator_msg ? &sa->responder : &sa->initiator;
    /* From the peer's own host it flows like an answer; from a router, "->I" or "->R". */
    const char *dir = cap_addr_eq(&e->icmp.from, &peer->addr) ? (e->about_initiator_msg ? "R>I" : "I>R")
                                                               : (e->about_initiator_msg ? "->I" : "->R");
    fprintf(f, "  %-7s %s %s ICMP %s from %s\n", frame, tbuf, dir, name,
            cap_addr_str(&e->icmp.from, from, sizeof from));
}

/* Prints `lead` then `text` wrapped to WIDTH, continuation lines indented to
 * the width of `lead`. */
static void print_wrapped_at(FILE *f, const char *lead, int cont, const char *text);

static void print_wrapped(FILE *f, const char *lead, const char *text)
{
    print_wrapped_at(f, lead, (int)strlen(lead), text);
}

/* As print_wrapped, with continuation lines indented by `cont` columns. */
static void print_wrapped_at(FILE *f, const char *lead, int cont, const char *text)
{
    fputs(lead, f);
    int col = (int)strlen(lead);
    bool line_empty = true; /* no word on the current line yet */
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        int n = sp ? (int)(sp - p) : (int)strlen(p);
        if (col + n + 1 > WIDTH && !line_empty) {
            newline_indent(f, cont);
            col = cont;
        } else if (!line_empty) {
            fputc(' ', f);
            col++;
        }
        line_empty = false;
        fwrite(p, 1, (size_t)n, f);
        col += n;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
}

static void finding_block(FILE *f, const struct an_finding *x)
{
    const char *sev = x->severity == AN_SEV_ERROR ? "ERROR" : x->severity == AN_SEV_WARNING ? "WARNING" : "info";
    char lead[96], title[sizeof x->title + 2];
    snprintf(lead, sizeof lead, "  %s [%s%s] ", sev, x->rule, x->confidence == AN_CONF_LIKELY ? ", likely" : "");
    ike_copy(title, sizeof title, x->title);
    print_wrapped_at(f, lead, 6, title);
    print_wrapped(f, "      ", x->detail);
    if (x->nframes) {
        char list[160];
        print_wrapped(f, "      Frames: ", an_finding_frames(x, list, sizeof list));
    }
    const char *wname = x->windows_code ? an_windows_error_name(x->windows_code) : NULL;
    if (wname)
        fprintf(f, "      Windows: %u (0x%04X) %s\n", x->windows_code, x->windows_code, wname);
}

/* The message timeline: one line per message (wrapped to WIDTH), ICMP errors where they
 * happened, and what the per-SA limits left out. */
void an_text_timeline(FILE *f, const struct ike_sa *sa)
{
    /* ICMP errors go into the timeline where they happened, after the message they quote. */
    size_t k = 0;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        for (; k < sa->nicmp && ike_time_before(&sa->icmp[k].time, &sa->msgs[i].time); k++)
            icmp_line(f, sa, &sa->icmp[k]);
        message_line(f, sa, &sa->msgs[i]);
    }
    for (; k < sa->nicmp; k++)
        icmp_line(f, sa, &sa->icmp[k]);
    if (sa->icmp_total > sa->nicmp)
        fprintf(f, "  ... %" PRIu64 " more ICMP errors\n", sa->icmp_total - sa->nicmp);
    if (sa->msgs_dropped)
        fprintf(f, "  ... %" PRIu64 " more messages not kept (per-SA limit)\n", sa->msgs_dropped);
}

/* Header fields as "  label     value", wrapped to WIDTH where the text may be long. */
static void text_field(void *ctx, const char *label, const char *value, bool wrap)
{
    FILE *f = ctx;
    char lead[16];
    snprintf(lead, sizeof lead, "  %-10s", label);
    if (wrap) {
        print_wrapped(f, lead, value);
    } else {
        fputs(lead, f);
        fputs(value, f);
        fputc('\n', f);
    }
}

/* An SA like an earlier one: one line (report_alike.c), wrapped to 80 columns if need be. */
static void one_line(struct an_report *r, const struct ike_sa *sa, unsigned like)
{
    char line[256];
    if (r->sas_written && !r->last_one_line)
        fputc('\n', r->out);
    an_report_alike_line(sa, like, line, sizeof line);
    print_wrapped_at(r->out, "", 4, line);
    r->last_one_line = true;
}

void an_text_sa(struct an_report *r, const struct ike_sa *sa, const struct an_sa_certs *certs,
                const struct an_cert_checks *checks, const struct an_psk_checks *psk,
                const struct an_finding *fs, size_t nf)
{
    FILE *f = r->out;
    unsigned like = an_report_alike(r, sa, fs, nf);
    if (like) {
        one_line(r, sa, like);
        return;
    }
    r->last_one_line = false;
    if (r->sas_written)
        fputc('\n', f);
    fprintf(f, "IKE SA #%u  IKEv%u  %s\n", sa->id, sa->version, ike_outcome_name(sa->outcome));
    an_sa_fields(r, sa, certs, checks, psk, text_field, f);
    fputc('\n', f);
    an_text_timeline(f, sa);
    if (nf) {
        fputc('\n', f);
        for (size_t i = 0; i < nf; i++)
            finding_block(f, &fs[i]);
    }
}

void an_text_finish(struct an_report *r, const struct an_input *inputs, size_t n)
{
    FILE *f = r->out;
    const size_t *count = r->count;
    if (r->sas_written)
        fputc('\n', f);
    /* Findings about an input as a whole (SA 0), under the input they are about. */
    for (size_t i = 0; i < n; i++) {
        bool header = false;
        for (size_t k = 0; k < r->findings.n; k++) {
            const struct an_finding *x = &r->findings.v[k];
            if (x->sa != 0 || x->input != i)
                continue;
            if (!header) {
                print_wrapped(f, "Input ", inputs[i].path);
                header = true;
            }
            finding_block(f, x);
        }
        if (header)
            fputc('\n', f);
    }
    if (r->one_line)
        print_wrapped(f, "", an_report_alike_note());
    fprintf(f, "Summary: %zu IKE SA%s, %zu error%s, %zu warning%s, %zu info\n", r->sas_written,
            r->sas_written == 1 ? "" : "s", count[AN_SEV_ERROR], count[AN_SEV_ERROR] == 1 ? "" : "s",
            count[AN_SEV_WARNING], count[AN_SEV_WARNING] == 1 ? "" : "s", count[AN_SEV_INFO]);
    for (size_t i = 0; i < n; i++) {
        char line[512];
        an_input_summary(&inputs[i], line, sizeof line);
        print_wrapped(f, "  ", line);
        if (inputs[i].error)
            fprintf(f, "  warning: %s\n", inputs[i].error);
    }
}
