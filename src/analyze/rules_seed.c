/* rules_seed.c: windows.cert_causes. When an SA fails with one of the three Windows
 * certificate errors people search for most (13826 INVALID_SIGNATURE, 13847 NO_PEER_CERT,
 * 13887 CERT_CHAIN_POLICY_MISMATCH), say for each cause the public pages about them give
 * whether this capture confirms it, rules it out, or cannot show it. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analyze/rules.h"
#include "analyze/rules_internal.h"
#include "analyze/windows_errors.h"

static bool is_seed(unsigned code)
{
    return code == 13826 || code == 13847 || code == 13887;
}

/* The first of this SA's findings (from `from`) whose rule is one of `rules`. */
static const struct an_finding *found(const struct an_findings *out, size_t from, const char *const *rules)
{
    for (size_t i = from; i < out->n; i++)
        for (const char *const *r = rules; *r; r++)
            if (strcmp(out->v[i].rule, *r) == 0)
                return &out->v[i];
    return NULL;
}

/* Appends "; LABEL: TEXT" to buf. */
static void say(char *buf, size_t len, const char *label, const char *text)
{
    size_t used = strlen(buf);
    if (used < len)
        snprintf(buf + used, len - used, "%s%s: %s", used ? "; " : "", label, text);
}

/* 1 initiator, 0 responder: who sent the first message the finding shows; -1 unknown. */
static int seed_side(const struct ike_sa *sa, const struct an_finding *f)
{
    /* A suspected policy mismatch shows a request, and is about either side's chain. */
    if (!f->nframes || strcmp(f->rule, "chain.policy_suspected") == 0)
        return -1;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        size_t n;
        const uint64_t *fr = ike_sa_msg_frames(&sa->msgs[i], &n);
        if (sa->msgs[i].input == f->input && n && fr[0] == f->frames[0])
            return sa->msgs[i].from_initiator ? 1 : 0;
    }
    return -1;
}

void an_rule_seed_causes(struct an_rule_ctx *ctx, size_t from, struct an_findings *out)
{
    const struct an_finding *seed = NULL;
    for (size_t i = from; i < out->n && !seed; i++)
        if (is_seed(out->v[i].windows_code))
            seed = &out->v[i];
    if (!seed)
        return;
    unsigned code = seed->windows_code;
    /* Copied: adding the finding below may move the array `seed` points into. */
    uint64_t frames[16];
    size_t nframes = seed->nframes < 16 ? seed->nframes : 16;
    unsigned input = seed->input;
    if (nframes)
        memcpy(frames, seed->frames, nframes * sizeof frames[0]);
    const struct an_cert_checks *ck = &ctx->cert_checks;
    /* The side whose certificate is in question: the sender of the message the finding
     * shows when it names one, both otherwise. */
    int only = seed_side(ctx->sa, seed);
    bool any_cert = false;
    for (int s = 0; s < 2; s++)
        any_cert = any_cert || ((only < 0 || only == s) && ck->side[s].present);
    bool chains_ok = any_cert, chains_checked = any_cert, valid = any_cert;
    for (int s = 0; s < 2; s++) {
        const struct an_side_check *sc = &ck->side[s];
        if (!sc->present || (only >= 0 && only != s))
            continue;
        chains_checked = chains_checked && sc->chain_checked;
        chains_ok = chains_ok && sc->chain_checked && sc->chain.status == AN_CHAIN_OK;
        valid = valid && sc->validity && strcmp(sc->validity, "valid") == 0;
    }
    static const char *const chain_rules[] = { "chain.untrusted_root", "chain.bad_signature", "chain.path_length",
                                               "chain.invalid", "chain.policy_suspected", NULL };
    static const char *const inter_rules[] = { "chain.missing_intermediate", NULL };
    static const char *const root_rules[] = { "chain.untrusted_root", "chain.policy_suspected", NULL };
    static const char *const time_rules[] = { "cert.expired", "cert.not_yet_valid", NULL };
    static const char *const crl_rules[] = { "cert.revoked", NULL };
    static const char *const nocert_rules[] = { "auth.no_peer_cert", NULL };
    char none[120];
    snprintf(none, sizeof none, "not checked (%s)",
             only >= 0 ? (only ? "the initiator sent no certificate" : "the responder sent no certificate")
                       : "no certificate was seen: none sent, or encrypted without keys");
    const char *unchecked = !any_cert ? none
                            : !chains_checked ? "not checked (give the verifier's root with --ca)"
                                              : "not checked";
    char text[640] = "";
    const struct an_finding *f;
    char line[200];
    struct { const char *label; const char *const *rules; } chain_causes[] = {
        { "trust chain", chain_rules }, { "missing intermediate", inter_rules }, { "root not trusted", root_rules },
    };
    for (size_t k = 0; k < 3; k++) {
        if ((f = found(out, from, chain_causes[k].rules)))
            snprintf(line, sizeof line, "%s (%s)", f->confidence == AN_CONF_LIKELY ? "likely" : "confirmed", f->rule);
        else if (chains_ok)
            snprintf(line, sizeof line, "ruled out (the chain sent verifies)");
        else
            snprintf(line, sizeof line, "%s", unchecked);
        say(text, sizeof text, chain_causes[k].label, line);
    }
    if ((f = found(out, from, time_rules)))
        snprintf(line, sizeof line, "%s (%s)", f->confidence == AN_CONF_LIKELY ? "likely" : "confirmed", f->rule);
    else if (valid)
        snprintf(line, sizeof line, "ruled out (the certificates sent were valid at the capture time)");
    else
        snprintf(line, sizeof line, "%s", unchecked);
    say(text, sizeof text, "clock", line);
    /* The fetches of the CRL and OCSP locations, when the capture holds them (revocation.h). */
    static const char *const unreach_rules[] = { "revocation.unreachable", NULL };
    static const char *const fetched_rules[] = { "revocation.fetched", NULL };
    const char *crl = found(out, from, unreach_rules) ? "confirmed (revocation.unreachable)"
                      : found(out, from, fetched_rules) ? "ruled out (revocation.fetched: the location answered)"
                      : found(out, from, crl_rules) ? "the CRL given lists the certificate (cert.revoked); "
                                                      "reachability is not visible in this capture"
                      : ctx->fetches.n ? "not visible in this capture (no lookup of or connection to the "
                                         "certificate's CRL or OCSP location)"
                                       : "not visible on the wire (the certificates name no CRL or OCSP location, "
                                         "or were not seen)";
    say(text, sizeof text, "CRL unreachable", crl);
    say(text, sizeof text, "certificate in the wrong store",
        found(out, from, nocert_rules) ? "not visible on the wire, but its effect is: a side signed without "
                                         "sending its certificate (auth.no_peer_cert)"
                                       : "not visible on the wire");
    say(text, sizeof text, "Group Policy", "not visible on the wire");
    struct an_finding *nf = an_rule_add(out, "windows.cert_causes", ctx->sa, NULL);
    if (!nf)
        return;
    nf->input = input;
    an_rule_add_frames(nf, frames, nframes);
    const char *name = an_windows_error_name(code);
    an_rule_textf(nf->title, sizeof nf->title, "The causes Windows' pages give for %u, checked against this capture",
                  code);
    an_rule_textf(nf->detail, sizeof nf->detail,
                  "%s (%u) has causes this capture can confirm or rule out and others it cannot show: %s. "
                  "'ikescope explain %u' says how to check the rest.",
                  name ? name : "This error", code, text, code);
}
