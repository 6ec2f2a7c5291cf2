/* report_fields.c: an SA's header as labelled fields, in the order the text report has
 * always shown them (peers, SPIs, time, software, identities, ..., certificates, checks,
 * signatures). The text and Markdown writers lay the same fields out each their own way,
 * so both say the same thing. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analyze/auth_info.h"
#include "analyze/fingerprint.h"
#include "analyze/identity.h"
#include "analyze/report_internal.h"
#include "ike/names.h"

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

void an_clock_time(const struct ike_time *t, char *buf, size_t len)
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
static void cert_fields(const struct ike_sa *sa, const struct an_sa_certs *cs, an_field_fn emit, void *ctx)
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
        emit(ctx, "cert", line, true);
    }
    if (cs->certs_dropped)
    {
        snprintf(line, sizeof line, "... %" PRIu64 " more not kept (per-SA limit)", cs->certs_dropped);
        emit(ctx, "cert", line, false);
    }
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
        emit(ctx, "certreq", line, true);
    }
    uint64_t more = (cs->nreqs - shown) + cs->reqs_dropped;
    if (more)
    {
        snprintf(line, sizeof line, "... %" PRIu64 " more CAs asked for", more);
        emit(ctx, "certreq", line, false);
    }
}

/* One line per CRL or OCSP location: "  crl       responder 0 http://ca/x.crl: fetched". */
static void revocation_fields(const struct an_fetches *fs, an_field_fn emit, void *ctx)
{
    for (size_t i = 0; fs && i < fs->n; i++) {
        const struct an_fetch *x = &fs->v[i];
        char line[300];
        snprintf(line, sizeof line, "%s %u %s: %s", x->from_initiator ? "initiator" : "responder", x->cert_index,
                 x->url, x->verdict == AN_FETCH_NOT_VISIBLE ? "not visible in this capture"
                                                           : an_fetch_verdict_name(x->verdict));
        emit(ctx, x->kind == AN_FETCH_CRL ? "crl" : "ocsp", line, true);
    }
}

/* One short line per certificate problem (the findings below say more):
 * "  check     responder 0: expired 2025-01-01, 692 days before the capture". */
static void check_fields(const struct an_cert_checks *ck, an_field_fn emit, void *ctx)
{
    char line[200];
    for (size_t i = 0; i < ck->nproblems; i++) {
        const struct an_cert_problem *p = &ck->problems[i];
        snprintf(line, sizeof line, "%s %u: %s", p->from_initiator ? "initiator" : "responder", p->index, p->line);
        emit(ctx, "check", line, true);
    }
}

/* One line per side that sent a shared-key AUTH: "  psk       initiator: matched candidate 1". */
static void psk_fields(const struct an_psk_checks *ck, an_field_fn emit, void *ctx)
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
        emit(ctx, "psk", line, true);
    }
}

/* One line per side that sent a signature AUTH: "  sig       responder: valid (ECDSA P-256 SHA-256)". */
static void auth_fields(const struct an_auth_checks *ck, an_field_fn emit, void *ctx)
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
        emit(ctx, "sig", line, true);
    }
}


void an_sa_fields(const struct an_report *r, const struct ike_sa *sa, const struct an_sa_certs *certs,
                  const struct an_cert_checks *checks, const struct an_psk_checks *psk, an_field_fn emit, void *ctx)
{
    char a[64], b[64], t[32], line[700];
    const char *fmt = sa->initiator.addr.family == 6 ? "[%s]:%u -> [%s]:%u%s" : "%s:%u -> %s:%u%s";
    snprintf(line, sizeof line, fmt, cap_addr_str(&sa->initiator.addr, a, sizeof a), sa->initiator.port,
             cap_addr_str(&sa->responder.addr, b, sizeof b), sa->responder.port, transport_note(sa));
    emit(ctx, "initiator", line, false);
    snprintf(line, sizeof line, "%s / %s", ike_hex(sa->spi_i, 8, a, sizeof a), ike_hex(sa->spi_r, 8, b, sizeof b));
    emit(ctx, "SPIs", line, false);
    int n = snprintf(line, sizeof line, "%s", an_time_iso(&sa->first_seen, t, sizeof t));
    if (sa->last_seen.sec != sa->first_seen.sec || sa->last_seen.usec != sa->first_seen.usec)
        snprintf(line + n, sizeof line - (size_t)n, " + %.3f s",
                 (double)(sa->last_seen.sec - sa->first_seen.sec) +
                     ((double)sa->last_seen.usec - (double)sa->first_seen.usec) / 1e6);
    emit(ctx, "time", line, false);
    if (sa->continues) {
        snprintf(line, sizeof line, "IKE SA #%u: same SPIs, after %" PRId64 " s without a message", sa->continues,
                 sa->continues_after_sec);
        emit(ctx, "follows", line, false);
    }
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
        snprintf(line, sizeof line, "initiator %s; responder %s", iimpl ? iimpl : "not named",
                 rimpl ? rimpl : "not named");
        emit(ctx, "software", line, true);
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
        emit(ctx, "vendors", list, true);
    }
    struct an_identity id_i, id_r;
    bool have_i = an_sa_identity(sa, true, &id_i), have_r = an_sa_identity(sa, false, &id_r);
    if (have_i || have_r) {
        snprintf(line, sizeof line, "initiator %s%s%s%s; responder %s%s%s%s", have_i ? id_i.value : "not seen",
                 have_i ? " (" : "", have_i ? id_i.type : "", have_i ? ")" : "",
                 have_r ? id_r.value : "not seen", have_r ? " (" : "", have_r ? id_r.type : "",
                 have_r ? ")" : "");
        emit(ctx, "ids", line, true);
    }
    char auth_i[160], auth_r[160];
    bool have_ai = an_sa_auth_method(sa, true, auth_i, sizeof auth_i);
    bool have_ar = an_sa_auth_method(sa, false, auth_r, sizeof auth_r);
    if (have_ai || have_ar) {
        snprintf(line, sizeof line, "initiator %s; responder %s", have_ai ? auth_i : "not seen",
                 have_ar ? auth_r : "not seen");
        emit(ctx, "auth", line, true);
    }
    /* Whose rules judged what each side received (peer_profile.h), when not the default. */
    if (r->profile[0].profile != AN_PROFILE_GENERIC || r->profile[1].profile != AN_PROFILE_GENERIC) {
        snprintf(line, sizeof line, "initiator %s (%s); responder %s (%s)", an_profile_name(r->profile[1].profile),
                 r->profile[1].source, an_profile_name(r->profile[0].profile), r->profile[0].source);
        emit(ctx, "profile", line, true);
    }
    struct an_suite_names names;
    if (an_suite_names(sa, &names)) {
        snprintf(line, sizeof line, "%s%s%s%s%s%s%s%s%s", names.encr ? names.encr : "",
                 names.integ ? " / " : "", names.integ ? names.integ : "", names.prf ? " / " : "",
                 names.prf ? names.prf : "", names.dh ? " / " : "", names.dh ? names.dh : "",
                 names.auth ? " / " : "", names.auth ? names.auth : "");
        emit(ctx, "chosen", line, true);
    }
    emit(ctx, "why", sa->evidence, true);
    if (sa->deleted) {
        char when[24];
        an_clock_time(&sa->deleted_at, when, sizeof when);
        snprintf(line, sizeof line, "by the %s at %s", sa->deleted_by_initiator ? "initiator" : "responder", when);
        emit(ctx, "deleted", line, false);
    }
    cert_fields(sa, certs, emit, ctx);
    check_fields(checks, emit, ctx);
    revocation_fields(r->fetches, emit, ctx);
    psk_fields(psk, emit, ctx);
    auth_fields(&r->auth, emit, ctx);
}

void an_input_summary(const struct an_input *in, char *line, size_t len)
{
    const struct cap_stats *s = in->stats;
    int used = snprintf(line, len, "%s: %" PRIu64 " packets, %" PRIu64 " IKE messages",
                        in->path, s ? s->packets : 0,
                        in->counts ? in->counts->messages : 0);
    if (s && s->reassembled && used > 0 && (size_t)used < len)
        used += snprintf(line + used, len - (size_t)used,
                         ", %" PRIu64 " reassembled from IP fragments", s->reassembled);
    if (s && s->icmp_errors && used > 0 && (size_t)used < len)
        used += snprintf(line + used, len - (size_t)used, ", %" PRIu64 " ICMP error%s",
                         s->icmp_errors, s->icmp_errors == 1 ? "" : "s");
    if (s && s->esp_in_udp && used > 0 && (size_t)used < len)
        used += snprintf(line + used, len - (size_t)used, ", %" PRIu64 " ESP-in-UDP",
                         s->esp_in_udp);
    if (s && s->incomplete_delivered && used > 0 && (size_t)used < len)
        used += snprintf(line + used, len - (size_t)used,
                         ", %" PRIu64 " only partly captured", s->incomplete_delivered);
    if (in->counts && in->counts->not_ike && used > 0 && (size_t)used < len)
        snprintf(line + used, len - (size_t)used, ", %" PRIu64 " not IKE",
                 in->counts->not_ike);
}

const char *an_finding_frames(const struct an_finding *x, char *list, size_t len)
{
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < x->nframes && used + 24 < len; i++) {
        if (i == 10 && x->nframes > 12) {
            snprintf(list + used, len - used, ", ... (%zu in all)", x->nframes);
            break;
        }
        used += (size_t)snprintf(list + used, len - used, "%s%" PRIu64, i ? ", " : "", x->frames[i]);
    }
    return list;
}
