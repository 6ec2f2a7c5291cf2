/* report_text.c: the human report: one block per IKE SA, a message timeline that fits
 * 80 columns, the SA's findings under it, and a closing summary. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analyze/auth_info.h"
#include "analyze/icmp_text.h"
#include "analyze/identity.h"
#include "analyze/fingerprint.h"
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

static void clock_time(const struct ike_time *t, char *buf, size_t len)
{
    time_t s = (time_t)t->sec;
    struct tm tm;
    if (!gmtime_r(&s, &tm)) {
        snprintf(buf, len, "??:??:??");
        return;
    }
    snprintf(buf, len, "%02d:%02d:%02d.%03u", tm.tm_hour, tm.tm_min, tm.tm_sec,
             (unsigned)(t->usec / 1000u) % 1000u);
}

/* After the endpoints: how the SA moved over the wire, when that is not plain UDP. */
static const char *transport_note(const struct ike_sa *sa)
{
    bool tcp = false, udp = false;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        if (sa->msgs[i].framing == CAP_FRAMING_TCP)
            tcp = true;
        else
            udp = true;
    }
    if (tcp)
        return udp ? "  (UDP and TCP, RFC 8229)" : "  (TCP, RFC 8229)";
    return sa->natt_moved ? "  (NAT-T)" : "";
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
    clock_time(&sm->time, tbuf, sizeof tbuf);
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
    clock_time(&e->time, tbuf, sizeof tbuf);
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
        size_t used = 0;
        for (size_t i = 0; i < x->nframes && used + 24 < sizeof list; i++) {
            if (i == 10 && x->nframes > 12) {
                snprintf(list + used, sizeof list - used, ", ... (%zu in all)", x->nframes);
                break;
            }
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%" PRIu64, i ? ", " : "", x->frames[i]);
        }
        print_wrapped(f, "      Frames: ", list);
    }
    const char *wname = x->windows_code ? an_windows_error_name(x->windows_code) : NULL;
    if (wname)
        fprintf(f, "      Windows: %u (0x%04X) %s\n", x->windows_code, x->windows_code, wname);
}

/* The date of a certificate time: "2045-12-31". */
static const char *cert_date(int64_t t, char *buf, size_t len)
{
    char iso[40];
    an_cert_time(t, iso, sizeof iso);
    snprintf(buf, len, "%.10s", iso);
    return buf;
}

/* One line (wrapped to two) per certificate: who sent it, whose it is, its key, until when
 * and who issued it; then one per CA asked for, by name when the SA shows that CA's key. */
#define TEXT_MAX_CERTREQS 8
static void cert_lines(FILE *f, const struct ike_sa *sa, const struct an_sa_certs *cs)
{
    char line[2400], enc[IKE_NAME_BUF], a[16], hex[48];
    for (size_t i = 0; i < cs->ncerts; i++) {
        const struct an_cert *c = &cs->certs[i];
        const char *who = c->from_initiator ? "initiator" : "responder";
        ike_cert_encoding_name(sa->version, c->encoding, enc, sizeof enc);
        const struct an_x509 *x = c->x;
        if (c->error[0]) {
            snprintf(line, sizeof line, "%s %u: %s, %zu bytes: %s", who, c->index, enc, c->length, c->error);
        } else if (c->kind == AN_CERT_X509 && x) {
            int n = snprintf(line, sizeof line, "%s %u: %s (%s", who, c->index,
                             x->subject_cn ? x->subject_cn : x->subject, x->key);
            if (x->times_ok && n > 0 && (size_t)n < sizeof line)
                n += snprintf(line + n, sizeof line - (size_t)n, ", until %s", cert_date(x->not_after, a, sizeof a));
            if (n > 0 && (size_t)n < sizeof line)
                snprintf(line + n, sizeof line - (size_t)n, "), issued by %s", x->issuer_cn ? x->issuer_cn : x->issuer);
        } else if (c->kind == AN_CERT_CRL) {
            int n = snprintf(line, sizeof line, "%s %u: CRL of %s", who, c->index, c->issuer);
            if (c->has_next_update && n > 0 && (size_t)n < sizeof line)
                snprintf(line + n, sizeof line - (size_t)n, ", next update %s",
                         cert_date(c->next_update, a, sizeof a));
        } else if (c->kind == AN_CERT_HASH_URL) {
            snprintf(line, sizeof line, "%s %u: %s %s", who, c->index, enc, c->url);
        } else if (c->kind == AN_CERT_RAW_KEY) {
            snprintf(line, sizeof line, "%s %u: %s %s", who, c->index, enc, c->key);
        } else {
            snprintf(line, sizeof line, "%s %u: %s, %zu bytes", who, c->index, enc, c->length);
        }
        print_wrapped(f, "  cert      ", line);
    }
    if (cs->certs_dropped)
        fprintf(f, "  cert      ... %" PRIu64 " more not kept (per-SA limit)\n", cs->certs_dropped);
    size_t shown = cs->nreqs < TEXT_MAX_CERTREQS ? cs->nreqs : TEXT_MAX_CERTREQS;
    for (size_t i = 0; i < shown; i++) {
        const struct an_certreq *r = &cs->reqs[i];
        const char *who = r->from_initiator ? "initiator" : "responder";
        if (r->error[0])
            snprintf(line, sizeof line, "%s: %s", who, r->error);
        else if (r->any_ca)
            snprintf(line, sizeof line, "%s: any CA", who);
        else if (r->ca_source && strcmp(r->ca_source, "request") == 0)
            snprintf(line, sizeof line, "%s: %s", who, r->ca_dn); /* IKEv1: the DN as asked */
        else if (r->ca_name[0] && strcmp(r->ca_source, "capture") == 0)
            snprintf(line, sizeof line, "%s: %s", who, r->ca_name);
        else if (r->ca_name[0])
            snprintf(line, sizeof line, "%s: %s (named by %s)", who, r->ca_name, r->ca_source);
        else
            snprintf(line, sizeof line, "%s: CA key SHA-1 %s", who, ike_hex(r->ca_sha1, 20, hex, sizeof hex));
        print_wrapped(f, "  certreq   ", line);
    }
    uint64_t more = (cs->nreqs - shown) + cs->reqs_dropped;
    if (more)
        fprintf(f, "  certreq   ... %" PRIu64 " more CAs asked for\n", more);
}

/* One line per CRL or OCSP location: "  crl       responder 0 http://ca/x.crl: fetched". */
static void revocation_lines(FILE *f, const struct an_fetches *fs)
{
    for (size_t i = 0; fs && i < fs->n; i++) {
        const struct an_fetch *x = &fs->v[i];
        char line[300];
        snprintf(line, sizeof line, "%s %u %s: %s", x->from_initiator ? "initiator" : "responder", x->cert_index,
                 x->url, x->verdict == AN_FETCH_NOT_VISIBLE ? "not visible in this capture"
                                                           : an_fetch_verdict_name(x->verdict));
        print_wrapped(f, x->kind == AN_FETCH_CRL ? "  crl       " : "  ocsp      ", line);
    }
}

/* One short line per certificate problem (the findings below say more):
 * "  check     responder 0: expired 2025-01-01, 692 days before the capture". */
static void check_lines(FILE *f, const struct an_cert_checks *ck)
{
    char line[200];
    for (size_t i = 0; i < ck->nproblems; i++) {
        const struct an_cert_problem *p = &ck->problems[i];
        snprintf(line, sizeof line, "%s %u: %s", p->from_initiator ? "initiator" : "responder", p->index, p->line);
        print_wrapped(f, "  check     ", line);
    }
}

/* One line per side that sent a shared-key AUTH: "  psk       initiator: matched candidate 1". */
static void psk_lines(FILE *f, const struct an_psk_checks *ck)
{
    char line[240];
    for (int side = 1; side >= 0; side--) {
        const struct an_psk_side *s = &ck->side[side];
        if (s->result == AN_PSK_NOT_SENT)
            continue;
        if (s->result == AN_PSK_MATCHED)
            snprintf(line, sizeof line, "%s: matched candidate %u", side ? "initiator" : "responder", s->candidate);
        else
            snprintf(line, sizeof line, "%s: %s (%s)", side ? "initiator" : "responder",
                     an_psk_result_name(s->result), s->reason);
        print_wrapped(f, "  psk       ", line);
    }
}

/* One line per side that sent a signature AUTH: "  sig       responder: valid (ECDSA P-256 SHA-256)". */
static void auth_lines(FILE *f, const struct an_auth_checks *ck)
{
    char line[480];
    for (int side = 1; side >= 0; side--) {
        const struct an_auth_check *s = &ck->side[side];
        if (s->result == AN_AUTH_NOT_SENT)
            continue;
        if (s->result == AN_AUTH_VALID)
            snprintf(line, sizeof line, "%s: valid (%s)", side ? "initiator" : "responder", s->algorithm);
        else
            snprintf(line, sizeof line, "%s: %s (%s): %s", side ? "initiator" : "responder",
                     an_auth_result_name(s->result), s->algorithm, s->reason);
        print_wrapped(f, "  sig       ", line);
    }
}

void an_text_sa(struct an_report *r, const struct ike_sa *sa, const struct an_sa_certs *certs,
                const struct an_cert_checks *checks, const struct an_psk_checks *psk,
                const struct an_finding *fs, size_t nf)
{
    FILE *f = r->out;
    char a[64], b[64], t[32];
    if (r->sas_written)
        fputc('\n', f);
    fprintf(f, "IKE SA #%u  IKEv%u  %s\n", sa->id, sa->version, ike_outcome_name(sa->outcome));
    const char *fmt = sa->initiator.addr.family == 6 ? "  %s [%s]:%u -> [%s]:%u%s\n" : "  %s %s:%u -> %s:%u%s\n";
    fprintf(f, fmt, "initiator", cap_addr_str(&sa->initiator.addr, a, sizeof a), sa->initiator.port,
            cap_addr_str(&sa->responder.addr, b, sizeof b), sa->responder.port, transport_note(sa));
    fprintf(f, "  SPIs      %s / %s\n", ike_hex(sa->spi_i, 8, a, sizeof a), ike_hex(sa->spi_r, 8, b, sizeof b));
    fprintf(f, "  time      %s", an_time_iso(&sa->first_seen, t, sizeof t));
    if (sa->last_seen.sec != sa->first_seen.sec || sa->last_seen.usec != sa->first_seen.usec)
        fprintf(f, " + %.3f s", (double)(sa->last_seen.sec - sa->first_seen.sec) +
                                    ((double)sa->last_seen.usec - (double)sa->first_seen.usec) / 1e6);
    fputc('\n', f);
    if (sa->continues)
        fprintf(f, "  follows   IKE SA #%u: same SPIs, after %" PRId64 " s without a message\n", sa->continues,
                sa->continues_after_sec);
    char ii[96], ri[96];
    const char *iimpl = an_implementation(sa, true, ii, sizeof ii);
    const char *rimpl = an_implementation(sa, false, ri, sizeof ri);
    /* Without a Vendor ID that names it, what its IKE_SA_INIT looks like (fingerprint.h). */
    struct an_fingerprint fp;
    if (!iimpl && an_fingerprint_side(sa, true, &fp)) {
        snprintf(ii, sizeof ii, "%s (likely, from its IKE_SA_INIT)", fp.name);
        iimpl = ii;
    }
    if (!rimpl && an_fingerprint_side(sa, false, &fp)) {
        snprintf(ri, sizeof ri, "%s (likely, from its IKE_SA_INIT)", fp.name);
        rimpl = ri;
    }
    if (iimpl || rimpl) {
        char line[220];
        snprintf(line, sizeof line, "initiator %s; responder %s", iimpl ? iimpl : "not named",
                 rimpl ? rimpl : "not named");
        print_wrapped(f, "  software  ", line);
    }
    /* Vendor IDs per sender: "initiator: A, B; responder: C". */
    if (sa->nvendors) {
        char list[IKE_SA_MAX_VENDORS * 100] = "";
        size_t used = 0;
        for (int side = 1; side >= 0; side--) {
            bool any = false;
            for (size_t i = 0; i < sa->nvendors && used < sizeof list; i++) {
                if (sa->vendors[i].from_initiator != (side == 1))
                    continue;
                char v[96];
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                         any ? ", " : used ? "; responder: " : side ? "initiator: " : "responder: ",
                                         an_vendor_label(&sa->vendors[i], v, sizeof v));
                any = true;
            }
        }
        print_wrapped(f, "  vendors   ", list);
    }
    struct an_identity id_i, id_r;
    bool have_i = an_sa_identity(sa, true, &id_i), have_r = an_sa_identity(sa, false, &id_r);
    if (have_i || have_r) {
        char line[700];
        snprintf(line, sizeof line, "initiator %s%s%s%s; responder %s%s%s%s", have_i ? id_i.value : "not seen",
                 have_i ? " (" : "", have_i ? id_i.type : "", have_i ? ")" : "",
                 have_r ? id_r.value : "not seen", have_r ? " (" : "", have_r ? id_r.type : "",
                 have_r ? ")" : "");
        print_wrapped(f, "  ids       ", line);
    }
    char auth_i[160], auth_r[160];
    bool have_ai = an_sa_auth_method(sa, true, auth_i, sizeof auth_i);
    bool have_ar = an_sa_auth_method(sa, false, auth_r, sizeof auth_r);
    if (have_ai || have_ar) {
        char line[400];
        snprintf(line, sizeof line, "initiator %s; responder %s", have_ai ? auth_i : "not seen",
                 have_ar ? auth_r : "not seen");
        print_wrapped(f, "  auth      ", line);
    }
    /* Whose rules judged what each side received (peer_profile.h), when not the default. */
    if (r->profile[0].profile != AN_PROFILE_GENERIC || r->profile[1].profile != AN_PROFILE_GENERIC) {
        char line[200];
        snprintf(line, sizeof line, "initiator %s (%s); responder %s (%s)", an_profile_name(r->profile[1].profile),
                 r->profile[1].source, an_profile_name(r->profile[0].profile), r->profile[0].source);
        print_wrapped(f, "  profile   ", line);
    }
    struct an_suite_names names;
    if (an_suite_names(sa, &names)) {
        char line[300];
        snprintf(line, sizeof line, "%s%s%s%s%s%s%s%s%s", names.encr ? names.encr : "",
                 names.integ ? " / " : "", names.integ ? names.integ : "", names.prf ? " / " : "",
                 names.prf ? names.prf : "", names.dh ? " / " : "", names.dh ? names.dh : "",
                 names.auth ? " / " : "", names.auth ? names.auth : "");
        print_wrapped(f, "  chosen    ", line);
    }
    print_wrapped(f, "  why       ", sa->evidence);
    if (sa->deleted) {
        char when[24];
        clock_time(&sa->deleted_at, when, sizeof when);
        fprintf(f, "  deleted   by the %s at %s\n", sa->deleted_by_initiator ? "initiator" : "responder", when);
    }
    cert_lines(f, sa, certs);
    check_lines(f, checks);
    revocation_lines(f, r->fetches);
    psk_lines(f, psk);
    auth_lines(f, &r->auth);
    fputc('\n', f);
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
    fprintf(f, "Summary: %zu IKE SA%s, %zu error%s, %zu warning%s, %zu info\n", r->sas_written,
            r->sas_written == 1 ? "" : "s", count[AN_SEV_ERROR], count[AN_SEV_ERROR] == 1 ? "" : "s",
            count[AN_SEV_WARNING], count[AN_SEV_WARNING] == 1 ? "" : "s", count[AN_SEV_INFO]);
    for (size_t i = 0; i < n; i++) {
        const struct cap_stats *s = inputs[i].stats;
        char line[512];
        int used = snprintf(line, sizeof line, "%s: %" PRIu64 " packets, %" PRIu64 " IKE messages",
                            inputs[i].path, s ? s->packets : 0,
                            inputs[i].counts ? inputs[i].counts->messages : 0);
        if (s && s->reassembled && used > 0 && (size_t)used < sizeof line)
            used += snprintf(line + used, sizeof line - (size_t)used,
                             ", %" PRIu64 " reassembled from IP fragments", s->reassembled);
        if (s && s->icmp_errors && used > 0 && (size_t)used < sizeof line)
            used += snprintf(line + used, sizeof line - (size_t)used, ", %" PRIu64 " ICMP error%s",
                             s->icmp_errors, s->icmp_errors == 1 ? "" : "s");
        if (s && s->esp_in_udp && used > 0 && (size_t)used < sizeof line)
            used += snprintf(line + used, sizeof line - (size_t)used, ", %" PRIu64 " ESP-in-UDP",
                             s->esp_in_udp);
        if (s && s->incomplete_delivered && used > 0 && (size_t)used < sizeof line)
            used += snprintf(line + used, sizeof line - (size_t)used,
                             ", %" PRIu64 " only partly captured", s->incomplete_delivered);
        if (inputs[i].counts && inputs[i].counts->not_ike && used > 0 && (size_t)used < sizeof line)
            snprintf(line + used, sizeof line - (size_t)used, ", %" PRIu64 " not IKE",
                     inputs[i].counts->not_ike);
        print_wrapped(f, "  ", line);
        if (inputs[i].error)
            fprintf(f, "  warning: %s\n", inputs[i].error);
    }
}
