/* report.c: runs the rules over each finished SA (rules.h) and hands the SA and what
 * they found to the chosen writer, which only renders. */
#include "analyze/report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/report_internal.h"
#include "analyze/rules.h"
#include "ike/msg.h"
#include "ike/names.h"
#include "ike/vendor.h"

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

const char *an_vendor_label(const struct ike_sa_vendor *v, char *buf, size_t len)
{
    if (v->detail[0])
        snprintf(buf, len, "%s (%s)", ike_vendor_name(v->idx), v->detail);
    else
        snprintf(buf, len, "%s", ike_vendor_name(v->idx));
    return buf;
}

const char *an_implementation(const struct ike_sa *sa, bool initiator, char *buf, size_t len)
{
    for (size_t i = 0; i < sa->nvendors; i++) {
        const struct ike_sa_vendor *v = &sa->vendors[i];
        const char *impl = ike_impl_name(ike_vendor_impl(v->idx));
        if (v->from_initiator != initiator || !impl)
            continue;
        if (v->detail[0] && strstr(v->detail, impl))
            snprintf(buf, len, "%s", v->detail);
        else if (v->detail[0])
            snprintf(buf, len, "%s %s", impl, v->detail);
        else
            snprintf(buf, len, "%s", impl);
        return buf;
    }
    return NULL;
}

bool an_suite_names(const struct ike_sa *sa, struct an_suite_names *n)
{
    memset(n, 0, sizeof *n);
    if (!sa->encr && !sa->dh_group)
        return false;
    if (sa->version == 2) {
        if (sa->encr && sa->encr_key_bits) {
            char base[40];
            snprintf(n->encr_buf, sizeof n->encr_buf, "%s-%u", ike_encr_name(sa->encr, base, sizeof base),
                     sa->encr_key_bits);
            n->encr = n->encr_buf;
        } else if (sa->encr) {
            n->encr = ike_encr_name(sa->encr, n->encr_buf, sizeof n->encr_buf);
        }
        n->integ = sa->integ ? ike_integ_name(sa->integ, n->integ_buf, sizeof n->integ_buf) : NULL;
        n->prf = sa->prf ? ike_prf_name(sa->prf, n->prf_buf, sizeof n->prf_buf) : NULL;
    } else {
        if (sa->encr) {
            char base[40];
            ike_v1_oakley_value_name(IKE1_OAK_ENCR, sa->encr, base, sizeof base);
            if (sa->encr_key_bits)
                snprintf(n->encr_buf, sizeof n->encr_buf, "%s-%u", base, sa->encr_key_bits);
            else
                snprintf(n->encr_buf, sizeof n->encr_buf, "%s", base);
            n->encr = n->encr_buf;
        }
        n->integ = sa->integ ? ike_v1_oakley_value_name(IKE1_OAK_HASH, sa->integ, n->integ_buf,
                                                        sizeof n->integ_buf) : NULL;
        n->auth = sa->auth_method_v1 ? ike_v1_auth_method_name(sa->auth_method_v1, n->auth_buf,
                                                               sizeof n->auth_buf) : NULL;
    }
    n->dh = sa->dh_group ? ike_dh_group_name(sa->dh_group, n->dh_buf, sizeof n->dh_buf) : NULL;
    return true;
}

bool an_vendor_first(const struct ike_sa *sa, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (sa->vendors[k].idx == sa->vendors[i].idx &&
            strcmp(sa->vendors[k].detail, sa->vendors[i].detail) == 0)
            return false;
    return true;
}

void an_payload_labels(const struct ike_sa *sa, const struct ike_sa_msg *sm,
                       void (*emit)(void *ctx, const char *label, const struct ike_payload *p),
                       void *ctx)
{
    char buf[80];
    unsigned ids = 0;
    for (size_t i = 0; i < sm->msg.npayloads; i++) {
        const struct ike_payload *p = &sm->msg.payloads[i];
        const char *label = ike_payload_label(sa->version, p, sm->from_initiator, buf, sizeof buf);
        /* RFC 2409 §5.5: quick mode carries the client IDs as a pair, IDci then
         * IDcr, in both directions. */
        if (sa->version == 1 && sm->msg.exchange == 32 && p->type == IKE1_PL_ID)
            label = ids++ % 2 == 0 ? "IDci" : "IDcr";
        emit(ctx, label, p);
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
    if (!(r->certs = an_cert_cache_new(AN_CERT_CACHE_DEFAULT)) ||
        !(r->auth_cache = an_auth_cache_new(AN_AUTH_CACHE_DEFAULT))) {
        an_cert_cache_free(r->certs);
        free(r);
        return NULL;
    }
    if (fmt == AN_FORMAT_MARKDOWN || fmt == AN_FORMAT_HTML)
        an_doc_begin(r);
    if (fmt == AN_FORMAT_JSON) {
        an_json_begin(r);
        r->spool = tmpfile();
        if (r->spool) {
            /* Elements of the findings array: inside the top object and the array. */
            aj_init(&r->spool_json, r->spool);
            r->spool_json.depth = 2;
            r->spool_json.first[2] = true;
        }
    }
    return r;
}

/* Counts the findings from `from` on; drops them once written (`keep` false). */
static void account(struct an_report *r, size_t from, bool keep)
{
    for (size_t i = from; i < r->findings.n; i++) {
        r->count[r->findings.v[i].severity]++;
        r->reached[r->findings.v[i].severity] = true;
    }
    if (keep)
        return;
    for (size_t i = from; i < r->findings.n; i++)
        free(r->findings.v[i].frames);
    r->findings.n = from;
}

void an_report_sa(void *report, const struct ike_sa *sa)
{
    struct an_report *r = report;
    size_t before = r->findings.n;
    /* Out of memory leaves the certificates collected so far: report those. */
    struct an_sa_certs certs;
    (void)an_sa_certs_collect(sa, r->certs, &certs);
    an_certs_resolve_requests(&certs, r->trust);
    struct an_rule_ctx ctx = {
        .sa = sa, .certs = &certs, .trust = r->trust, .at = r->has_at ? &r->at : NULL, .psks = r->psks, .profiles = r->profiles, .endpoints = r->endpoints,
        .netlog = r->netlog, .auth_cache = r->auth_cache,
    };
    an_rules_run(&ctx, &r->findings);
    const struct an_cert_checks *checks = &ctx.cert_checks;
    const struct an_psk_checks *psk = &ctx.psk_checks;
    r->fetches = &ctx.fetches;
    r->auth = ctx.auth_checks;
    r->profile[0] = ctx.profile[0];
    r->profile[1] = ctx.profile[1];
    if (r->fmt == AN_FORMAT_JSON) {
        an_json_sa(r, sa, &certs, checks, psk);
        for (size_t i = before; r->spool && i < r->findings.n; i++)
            an_json_finding(&r->spool_json, &r->findings.v[i]);
    } else if (r->fmt == AN_FORMAT_MARKDOWN || r->fmt == AN_FORMAT_HTML) {
        an_doc_sa(r, sa, &certs, checks, psk, r->findings.n > before ? &r->findings.v[before] : NULL,
                  r->findings.n - before);
    } else {
        an_text_sa(r, sa, &certs, checks, psk, r->findings.n > before ? &r->findings.v[before] : NULL,
                   r->findings.n - before);
    }
    if (r->on_certs)
        r->on_certs(r->on_certs_ctx, sa, &certs);
    if (r->on_verdict)
        r->on_verdict(r->on_verdict_ctx, sa, r->findings.n > before ? &r->findings.v[before] : NULL,
                      r->findings.n - before);
    an_sa_certs_cleanup(&certs);
    account(r, before, r->fmt == AN_FORMAT_JSON && !r->spool);
    r->sas_written++;
}

void an_report_set_trust(struct an_report *r, struct an_trust *trust, const struct ike_time *at)
{
    r->trust = trust;
    r->has_at = at != NULL;
    r->at = at ? *at : (struct ike_time){ 0, 0 };
}

void an_report_set_netlog(struct an_report *r, const struct cap_netlog *log)
{
    r->netlog = log;
}

void an_report_set_endpoints(struct an_report *r, const struct an_endpoint_log *endpoints)
{
    r->endpoints = endpoints;
}

void an_report_set_profiles(struct an_report *r, const struct an_profile_setting *profiles)
{
    r->profiles = profiles;
}

void an_report_set_psks(struct an_report *r, const struct an_psk_list *psks)
{
    r->psks = psks;
}

void an_report_set_full(struct an_report *r, bool full)
{
    r->full = full;
}

void an_report_on_verdict(struct an_report *r, an_verdict_fn fn, void *ctx)
{
    r->on_verdict = fn;
    r->on_verdict_ctx = ctx;
}

void an_report_on_certs(struct an_report *r, an_certs_fn fn, void *ctx)
{
    r->on_certs = fn;
    r->on_certs_ctx = ctx;
}

void an_report_finish(struct an_report *r, const struct an_input *inputs, size_t ninputs)
{
    size_t before = r->findings.n;
    for (size_t i = 0; i < ninputs; i++)
        an_rules_input((unsigned)i, inputs[i].stats, inputs[i].counts, &r->findings);
    account(r, before, true);
    if (r->fmt == AN_FORMAT_JSON)
        an_json_finish(r, inputs, ninputs);
    else if (r->fmt == AN_FORMAT_MARKDOWN || r->fmt == AN_FORMAT_HTML)
        an_doc_finish(r, inputs, ninputs);
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
    an_cert_cache_free(r->certs);
    an_auth_cache_free(r->auth_cache);
    if (r->spool)
        fclose(r->spool);
    an_doc_free(r);
    an_report_alike_free(r);
    free(r);
}
