/* rules_trust_mismatch.c: without keys, do the CAs asked for in the clear say that the two
 * sides trust different roots (chain.policy_suspected, Windows 13887)?
 *
 * A certificate request names the CAs its sender trusts (RFC 7296 §3.7: CERTREQ, by key
 * hash; RFC 2408 §3.10: CR, by DN). The responder's CERTREQ travels in the clear in the
 * IKE_SA_INIT response; IKEv1 peers that send CR in Main Mode messages 3 and 4 show both
 * sides'. When the authentication that follows has the shape of a rejection, two readings
 * point at a chain policy mismatch:
 *   - both sides' requests are visible, and they name no CA in common, nor CAs of one
 *     organisation: each trusts a PKI the other does not;
 *   - the user gave CA files (--ca, --intermediate), and what the peer asks for is none of
 *     them, nor of their organisation: a certificate from the user's PKI will not chain to
 *     what that peer trusts.
 * With keys the certificates themselves are judged (rules_certs.c); this rule stays out. */
#include <stdio.h>
#include <string.h>

#include "analyze/chain_policy.h"
#include "analyze/rules.h"
#include "analyze/rules_internal.h"
#include "analyze/trust.h"
#include "ike/names.h"

enum { EXCH_V1_MAIN = 2, EXCH_IKE_AUTH = 35 };

/* Was any of the authenticating messages (IKEv2 IKE_AUTH, IKEv1 Main/Aggressive Mode after
 * the key exchange) read? Then the certificates speak and this reading is not needed. */
static bool auth_was_read(const struct ike_sa *sa)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (!sm->msg.decrypted)
            continue;
        if ((sa->version == 2 && sm->msg.exchange == EXCH_IKE_AUTH) || (sa->version == 1 && sm->msg.exchange <= 4))
            return true;
    }
    return false;
}

/* A request that names one CA (by hash or by DN), and the name and organisation it goes by,
 * as far as anything shows them. */
struct named_req {
    const struct an_certreq *r;
    char org[200];
};

static bool names_a_ca(const struct an_certreq *r)
{
    return !r->any_ca && !r->error[0] && (r->has_sha1 || (r->dn && r->dn[0]));
}

static size_t side_requests(const struct an_sa_certs *cs, bool from_initiator, struct named_req *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < cs->nreqs && n < cap; i++) {
        const struct an_certreq *r = &cs->reqs[i];
        if (r->from_initiator != from_initiator || !names_a_ca(r))
            continue;
        out[n].r = r;
        an_dn_organisation(r->ca_dn[0] ? r->ca_dn : r->dn ? r->dn : "", out[n].org, sizeof out[n].org);
        n++;
    }
    return n;
}

static bool same_ca(const struct an_certreq *a, const struct an_certreq *b)
{
    if (a->has_sha1 && b->has_sha1)
        return memcmp(a->ca_sha1, b->ca_sha1, 20) == 0;
    const char *da = a->ca_dn[0] ? a->ca_dn : a->dn, *db = b->ca_dn[0] ? b->ca_dn : b->dn;
    return da && db && da[0] && strcmp(da, db) == 0;
}

/* "'Root A', 'Int B'" or, for a request nothing names, its key hash; the first few, then
 * how many more (the report's CERTREQ lines list them all). */
#define LIST_MAX 4
static void list_requests(const struct named_req *v, size_t n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + 1 < len; i++) {
        if (i == LIST_MAX) {
            snprintf(buf + used, len - used, " and %zu more", n - i);
            return;
        }
        const struct an_certreq *r = v[i].r;
        char name[200];
        if (r->ca_name[0])
            snprintf(name, sizeof name, "'%s'", r->ca_name);
        else if (r->has_sha1)
        {
            char hex[41];
            for (int k = 0; k < 20; k++)
                snprintf(hex + 2 * k, 3, "%02x", r->ca_sha1[k]);
            snprintf(name, sizeof name, "the CA of key SHA-1 %s", hex);
        }
        else
            snprintf(name, sizeof name, "'%s'", r->dn);
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", name);
        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
    }
}

static const char keys_hint[] =
    " Keys for this SA (a charon log at 'ike = 4', a pluto log with 'plutodebug=all,private', or an ikescope key "
    "log; docs/keys.md) would let ikescope judge the certificates themselves and make this certain.";

static const char remedy[] =
    " Either issue both certificates from one PKI, or make each side trust the other's root: Windows, the root "
    "in Local Computer > Trusted Root Certification Authorities (certutil -addstore Root root.cer); strongSwan, "
    "the root in /etc/swanctl/x509ca; libreswan, certutil -A -t 'CT,,' into its NSS database.";

/* Both sides' requests visible and disjoint, by CA and by organisation. */
static bool disjoint_sides(const struct named_req *ini, size_t ni, const struct named_req *rsp, size_t nr)
{
    if (!ni || !nr)
        return false;
    for (size_t i = 0; i < ni; i++)
        for (size_t k = 0; k < nr; k++) {
            if (same_ca(ini[i].r, rsp[k].r))
                return false;
            /* Unnamed hashes have no organisation: only a named pair can share one. */
            if (ini[i].org[0] && rsp[k].org[0] && strcmp(ini[i].org, rsp[k].org) == 0)
                return false;
        }
    /* Every request must be named for "no common organisation" to mean anything. */
    for (size_t i = 0; i < ni; i++)
        if (!ini[i].org[0] && !ini[i].r->has_sha1)
            return false;
    for (size_t k = 0; k < nr; k++)
        if (!rsp[k].org[0] && !rsp[k].r->has_sha1)
            return false;
    return true;
}

/* Does any of `v` name one of the user's CAs, or a CA of the same organisation as one? */
static bool asks_for_user_pki(struct an_trust *trust, const struct named_req *v, size_t n)
{
    size_t nuser = an_trust_user_ca_count(trust);
    for (size_t i = 0; i < n; i++) {
        const struct an_certreq *r = v[i].r;
        struct an_trust_ca ca;
        if (r->has_sha1 && an_trust_find_ca(trust, r->ca_sha1, &ca) && strcmp(ca.source, "system store") != 0)
            return true;
        if (!r->has_sha1 && r->dn && an_trust_find_ca_dn(trust, r->dn, &ca) && strcmp(ca.source, "system store") != 0)
            return true;
        for (size_t u = 0; v[i].org[0] && u < nuser; u++) {
            char org[200];
            if (an_trust_user_ca(trust, u, &ca)) {
                an_dn_organisation(ca.dn, org, sizeof org);
                if (strcmp(org, v[i].org) == 0)
                    return true;
            }
        }
    }
    return false;
}

/* Do the user's CA files hold whole chains, each CA's issuer among them up to a root? A
 * lone intermediate could be issued by the very root a request names by hash, and nothing
 * here would show it. */
static bool user_chains_complete(const struct an_trust *trust)
{
    size_t n = an_trust_user_ca_count(trust);
    for (size_t i = 0; i < n; i++) {
        struct an_trust_ca ca, up;
        if (!an_trust_user_ca(trust, i, &ca))
            return false;
        if (ca.self_signed)
            continue;
        bool found = false;
        for (size_t k = 0; k < n && !found; k++)
            found = an_trust_user_ca(trust, k, &up) && strcmp(up.dn, ca.issuer_dn) == 0;
        if (!found)
            return false;
    }
    return true;
}

static void list_user_cas(struct an_trust *trust, char *buf, size_t len)
{
    size_t used = 0, n = an_trust_user_ca_count(trust);
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + 1 < len; i++) {
        if (i == LIST_MAX) {
            snprintf(buf + used, len - used, " and %zu more", n - i);
            return;
        }
        struct an_trust_ca ca;
        if (!an_trust_user_ca(trust, i, &ca))
            break;
        int w = snprintf(buf + used, len - used, "%s'%s' (%s)", i ? ", " : "", ca.name, ca.source);
        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
    }
}

static const struct ike_sa_msg *req_msg(const struct ike_sa *sa, const struct named_req *v)
{
    return v->r->msg < sa->nmsgs ? &sa->msgs[v->r->msg] : NULL;
}

void an_rule_trust_mismatch(struct an_rule_ctx *ctx, struct an_findings *out)
{
    const struct ike_sa *sa = ctx->sa;
    const struct an_sa_certs *cs = ctx->certs;
    bool rejected = sa->likely != IKE_LIKELY_NONE || sa->outcome == IKE_OUTCOME_FAILED;
    if (!cs || !rejected || sa->outcome == IKE_OUTCOME_ESTABLISHED || auth_was_read(sa))
        return;
    struct named_req ini[16], rsp[16];
    size_t ni = side_requests(cs, true, ini, 16), nr = side_requests(cs, false, rsp, 16);
    char a[700], b[700];
    if (disjoint_sides(ini, ni, rsp, nr)) {
        struct an_finding *f = an_rule_add(out, "chain.policy_suspected", sa, req_msg(sa, &rsp[0]));
        if (!f)
            return;
        list_requests(ini, ni, a, sizeof a);
        list_requests(rsp, nr, b, sizeof b);
        an_rule_textf(f->title, sizeof f->title, "The two sides most likely trust different CAs");
        an_rule_textf(f->detail, sizeof f->detail,
                      "The initiator asked for certificates from %s; the responder from %s. No CA, and no "
                      "organisation, is in both lists, and the authentication that followed has the shape of "
                      "a rejection. Each side names the CAs it trusts in its request, so unless each "
                      "certificate was issued by the CA the other side asks for, neither chain reaches a root "
                      "its verifier trusts (Windows: ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH, 13887; the "
                      "VPN dialog often shows 13801).%s%s",
                      a, b, remedy, keys_hint);
        return;
    }
    /* Against the user's own CA files: the side whose requests show (without keys, in IKEv2,
     * the responder). */
    if (!an_trust_user_ca_count(ctx->trust) || !user_chains_complete(ctx->trust))
        return;
    for (int side = 0; side < 2; side++) {
        const struct named_req *v = side ? ini : rsp;
        size_t n = side ? ni : nr;
        if (!n || asks_for_user_pki(ctx->trust, v, n))
            continue;
        struct an_finding *f = an_rule_add(out, "chain.policy_suspected", sa, req_msg(sa, &v[0]));
        if (!f)
            return;
        list_requests(v, n, a, sizeof a);
        list_user_cas(ctx->trust, b, sizeof b);
        const char *who = side ? "initiator" : "responder";
        an_rule_textf(f->title, sizeof f->title, "The %s most likely trusts none of the CAs you gave", who);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The %s asked (%s, in the clear) for certificates from %s. None of them is among the "
                      "CA certificates you gave, %s, nor of the same organisation, and the authentication that "
                      "followed has the shape of a rejection. If the %s's certificate comes from your CAs, "
                      "the %s holds no root it chains to; if the %s's own certificate comes from the CAs it "
                      "asks for, your side cannot verify it either (Windows: "
                      "ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH, 13887; the VPN dialog often shows 13801). "
                      "If the files you gave are not the PKI of this VPN's certificates, this does not apply: "
                      "give the CA that issued the %s's certificate.%s%s",
                      who, sa->version == 2 ? "CERTREQ" : "CR", a, b, side ? "responder" : "initiator", who, who,
                      side ? "responder" : "initiator", remedy, keys_hint);
    }
}
