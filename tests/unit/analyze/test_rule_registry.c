/* test_rule_registry.c: the rule registry and the knowledge base are complete and
 * consistent: every anomaly, Windows code and error notify has its row, and an_rule_add
 * takes severity, confidence and Windows code from the registry. */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/certs.h"
#include "analyze/findings.h"
#include "analyze/kb.h"
#include "analyze/rule_registry.h"
#include "analyze/rules.h"
#include "analyze/rules_internal.h"
#include "analyze/windows_errors.h"
#include "ike/msg.h"
#include "ike/names.h"
#include "ike/sa.h"

Test(rule_registry, rows_are_complete_and_ids_unique)
{
    cr_assert_gt(an_rule_count(), 40);
    for (size_t i = 0; i < an_rule_count(); i++) {
        const struct an_rule_def *d = an_rule_at(i);
        cr_assert(d->id && d->id[0] && d->title && d->title[0] && d->meaning && d->meaning[0], "row %zu", i);
        cr_assert_eq(an_rule_find(d->id), d, "%s is not its own first row", d->id);
        cr_assert(d->severity <= AN_SEV_ERROR && d->confidence <= AN_CONF_LIKELY, "%s", d->id);
        if (d->windows_code)
            cr_assert_not_null(an_windows_error_name(d->windows_code), "%s: code %u", d->id, d->windows_code);
    }
    cr_assert_null(an_rule_at(an_rule_count()));
    cr_assert_null(an_rule_find("no.such_rule"));
    cr_assert_null(an_rule_find(NULL));
}

Test(rule_registry, every_anomaly_is_a_rule)
{
    for (int a = IKE_AN_NONE + 1; a < IKE_AN_COUNT; a++)
        cr_assert_not_null(an_rule_find(ike_anomaly_name((enum ike_anomaly)a)), "anomaly %s has no row",
                           ike_anomaly_name((enum ike_anomaly)a));
}

Test(rule_registry, needs_text)
{
    char buf[80];
    cr_assert_str_eq(an_rule_needs_text(0, buf, sizeof buf), "capture only");
    cr_assert_str_eq(an_rule_needs_text(AN_NEEDS_KEYS | AN_NEEDS_PSKS, buf, sizeof buf), "keys, candidate PSKs");
    cr_assert_str_eq(an_rule_needs_text(AN_NEEDS_CERTS | AN_NEEDS_TRUST, buf, 8), "certifi");
}

Test(rule_registry, an_rule_add_takes_the_registry_row)
{
    struct ike_sa sa = { .id = 7 };
    struct an_findings out = { 0 };
    struct an_finding *f = an_rule_add(&out, "auth.no_peer_cert", &sa, NULL);
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, AN_SEV_ERROR);
    cr_assert_eq(f->confidence, AN_CONF_LIKELY);
    cr_assert_eq(f->windows_code, 13847);
    cr_assert_eq(f->sa, 7);
    f = an_rule_add(&out, "psk.matched", &sa, NULL);
    cr_assert_eq(f->severity, AN_SEV_INFO);
    cr_assert_eq(f->windows_code, 0);
    /* A programming error, yet the finding is not lost. */
    f = an_rule_add(&out, "no.such_rule", &sa, NULL);
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, AN_SEV_ERROR);
    cr_assert_eq(out.n, 3);
    an_findings_cleanup(&out);
}

Test(kb, every_windows_code_has_an_entry)
{
    unsigned n = 0, full = 0;
    for (unsigned c = 13800; c <= 13909; c++) {
        const char *name = an_windows_error_name(c);
        const struct an_kb_windows *k = an_kb_windows_find(c);
        if (!name) {
            cr_assert_null(k, "%u has an entry but no name", c);
            continue;
        }
        n++;
        cr_assert_not_null(k, "%u %s has no entry", c, name);
        cr_assert(k->meaning && k->meaning[0] && k->look && k->look[0], "%u", c);
        cr_assert_eq(an_kb_windows_code_by_name(name), c);
        if (!k->causes[0].cause)
            continue;
        full++;
        for (size_t i = 0; i < AN_KB_MAX_CAUSES && k->causes[i].cause; i++)
            cr_assert(k->causes[i].confirm && k->causes[i].confirm[0], "%u cause %zu", c, i);
        cr_assert(k->fix.windows || k->fix.strongswan || k->fix.libreswan || k->fix.cisco, "%u", c);
    }
    cr_assert_eq(n, 106, "winerror.h has %u IKE codes", n);
    cr_assert_geq(full, 20, "only %u full entries", full);
    cr_assert_eq(an_kb_windows_code_by_name("error_ipsec_ike_no_peer_cert"), 13847);
    cr_assert_eq(an_kb_windows_code_by_name("NO_PEER_CERT"), 0);
}

Test(kb, seed_errors_name_the_seven_causes)
{
    static const unsigned seeds[] = { 13826, 13847, 13887 };
    for (size_t s = 0; s < 3; s++) {
        const struct an_kb_windows *k = an_kb_windows_find(seeds[s]);
        size_t n = 0;
        while (n < AN_KB_MAX_CAUSES && k->causes[n].cause)
            n++;
        cr_assert_geq(n, 7, "%u has %zu causes", seeds[s], n);
    }
}

Test(kb, every_error_notify_has_an_entry)
{
    unsigned n = 0;
    for (uint8_t v = 1; v <= 2; v++)
        for (unsigned t = 1; t < 16384; t++) {
            if (!ike_notify_known(v, (uint16_t)t) || !ike_notify_is_error(v, (uint16_t)t))
                continue;
            const struct an_kb_notify *k = an_kb_notify_find(v, (uint16_t)t);
            cr_assert_not_null(k, "IKEv%u notify %u has no entry", v, t);
            cr_assert(k->meaning[0] && k->look[0]);
            if (k->windows_code)
                cr_assert_not_null(an_windows_error_name(k->windows_code));
            n++;
        }
    unsigned rows = 0;
    while (an_kb_notify_at(rows))
        rows++;
    cr_assert_eq(rows, n, "%u rows for %u error notifies", rows, n);
}

/* windows.cert_causes reads the SA's other findings and certificate checks. */
static const struct an_finding *find_rule(const struct an_findings *f, const char *rule)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i].rule, rule) == 0)
            return &f->v[i];
    return NULL;
}

Test(rules_seed, marks_each_cause_from_the_capture)
{
    struct ike_sa sa = { .id = 3, .version = 2 };
    struct an_rule_ctx ctx = { .sa = &sa };
    ctx.cert_checks.side[1] = (struct an_side_check){ .present = true, .validity = "valid", .chain_checked = true,
                                                      .chain.status = AN_CHAIN_MISSING_INTERMEDIATE };
    struct an_findings out = { 0 };
    struct an_finding *f = an_rule_add(&out, "chain.missing_intermediate", &sa, NULL);
    f->windows_code = 13887; /* as Windows names this failure */
    an_rule_seed_causes(&ctx, 0, &out);
    const struct an_finding *c = find_rule(&out, "windows.cert_causes");
    cr_assert_not_null(c);
    cr_assert_eq(c->severity, AN_SEV_INFO);
    cr_assert(strstr(c->detail, "ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH (13887)"), "%s", c->detail);
    cr_assert(strstr(c->detail, "missing intermediate: confirmed (chain.missing_intermediate)"), "%s", c->detail);
    cr_assert(strstr(c->detail, "root not trusted: not checked"), "%s", c->detail);
    cr_assert(strstr(c->detail, "clock: ruled out"), "%s", c->detail);
    cr_assert(strstr(c->detail, "CRL unreachable: not visible on the wire"), "%s", c->detail);
    cr_assert(strstr(c->detail, "certificate in the wrong store: not visible on the wire"), "%s", c->detail);
    cr_assert(strstr(c->detail, "Group Policy: not visible on the wire"), "%s", c->detail);
    an_findings_cleanup(&out);
}

Test(rules_seed, ruled_out_when_the_chain_verifies_and_silent_without_a_seed_error)
{
    struct ike_sa sa = { .id = 3, .version = 2 };
    struct an_rule_ctx ctx = { .sa = &sa };
    ctx.cert_checks.side[0] = (struct an_side_check){ .present = true, .validity = "valid", .chain_checked = true,
                                                      .chain.status = AN_CHAIN_OK };
    struct an_findings out = { 0 };
    an_rule_add(&out, "auth.failed", &sa, NULL); /* 13801: not one of the three */
    an_rule_seed_causes(&ctx, 0, &out);
    cr_assert_null(find_rule(&out, "windows.cert_causes"));
    an_rule_add(&out, "auth.invalid_signature", &sa, NULL); /* 13826 */
    an_rule_seed_causes(&ctx, 0, &out);
    const struct an_finding *c = find_rule(&out, "windows.cert_causes");
    cr_assert_not_null(c);
    cr_assert(strstr(c->detail, "trust chain: ruled out"), "%s", c->detail);
    cr_assert(strstr(c->detail, "root not trusted: ruled out"), "%s", c->detail);
    an_findings_cleanup(&out);
}

/* A finding's text longer than its buffer ends at a word with " [...]": the cut shows. */
Test(rule_text, a_cut_text_says_so)
{
    char buf[32];
    an_rule_textf(buf, sizeof buf, "%s", "alpha beta gamma delta epsilon zeta eta theta");
    cr_assert_lt(strlen(buf), sizeof buf);
    cr_assert_str_eq(buf, "alpha beta gamma delta [...]");
    an_rule_textf(buf, sizeof buf, "%s", "short enough");
    cr_assert_str_eq(buf, "short enough");
    /* One long word: cut inside it, still marked. */
    an_rule_textf(buf, sizeof buf, "%s", "0123456789012345678901234567890123456789");
    cr_assert(strstr(buf, " [...]") && strlen(buf) < sizeof buf, "%s", buf);
}

/* The same rule when one side asks for many CAs: the detail lists four and counts the rest,
 * and never loses its end (the remedy and the keys that would make it certain). */
Test(rules_seed, policy_suspected_lists_a_few_and_keeps_its_end)
{
    static struct an_certreq reqs[20];
    memset(reqs, 0, sizeof reqs);
    for (int i = 0; i < 20; i++) {
        reqs[i].from_initiator = i < 10;
        snprintf(reqs[i].ca_dn, sizeof reqs[i].ca_dn, "CN=Some Long Certificate Authority Name %d,O=%s,C=XX", i,
                 i < 10 ? "Initiator Org" : "Responder Org");
        reqs[i].dn = reqs[i].ca_dn;
        snprintf(reqs[i].ca_name, sizeof reqs[i].ca_name, "Some Long Certificate Authority Name %d", i);
        reqs[i].ca_source = "request";
    }
    struct an_sa_certs cs = { .reqs = reqs, .nreqs = 20 };
    struct ike_sa sa = { .id = 4, .version = 1, .outcome = IKE_OUTCOME_FAILED };
    struct an_rule_ctx ctx = { .sa = &sa, .certs = &cs };
    struct an_findings out = { 0 };
    an_rule_trust_mismatch(&ctx, &out);
    const struct an_finding *f = find_rule(&out, "chain.policy_suspected");
    cr_assert_not_null(f);
    cr_assert(strstr(f->detail, " and 6 more"), "%s", f->detail);
    cr_assert_null(strstr(f->detail, "[...]"), "%s", f->detail);
    cr_assert(strstr(f->detail, "make this certain."), "%s", f->detail);
    an_findings_cleanup(&out);
}
