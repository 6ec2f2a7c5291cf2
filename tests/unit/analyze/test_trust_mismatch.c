/* test_trust_mismatch.c: chain.policy_suspected, the keyless reading of CA requests. Both
 * sides' IKEv1 CRs naming different organisations point at a mismatch, a shared CA or
 * organisation does not; IKEv2 CERTREQ hashes are held against the user's CA files, and a
 * lone intermediate among them keeps the rule silent (its root could be the one asked for).
 * Nothing fires once the authentication was read or the SA came up. */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <string.h>

#include "analyze/findings.h"
#include "analyze/rules.h"
#include "analyze/rules_internal.h"
#include "analyze/trust.h"
#include "lab_pki.h"

#define MAX 8
static struct an_certreq reqs[MAX];
static struct an_sa_certs cs;
static struct ike_sa_msg msgs[2];
static struct ike_sa sa;
static struct an_findings out;

static void reset(int version)
{
    memset(reqs, 0, sizeof reqs);
    memset(&cs, 0, sizeof cs);
    memset(msgs, 0, sizeof msgs);
    memset(&out, 0, sizeof out);
    cs.reqs = reqs;
    msgs[0].peer = msgs[1].peer = -1;
    msgs[1].from_initiator = true;
    sa = (struct ike_sa){ .id = 1, .version = (uint8_t)version, .msgs = msgs, .nmsgs = 2,
                          .outcome = IKE_OUTCOME_UNKNOWN, .likely = IKE_LIKELY_INITIATOR_REJECTED };
}

static void cr_dn(bool by_initiator, const char *dn)
{
    struct an_certreq *r = &reqs[cs.nreqs++];
    r->from_initiator = by_initiator;
    r->msg = by_initiator ? 1 : 0;
    r->dn = (char *)dn;
    snprintf(r->ca_name, sizeof r->ca_name, "%s", dn);
    snprintf(r->ca_dn, sizeof r->ca_dn, "%s", dn);
    r->ca_source = "request";
}

static void certreq_for(bool by_initiator, const char *pki_name)
{
    X509 *x = load_x509(pki_name);
    struct an_certreq *r = &reqs[cs.nreqs++];
    r->from_initiator = by_initiator;
    r->has_sha1 = true;
    unsigned len = 0;
    cr_assert(X509_pubkey_digest(x, EVP_sha1(), r->ca_sha1, &len) == 1 && len == 20);
    X509_free(x);
}

static struct an_trust *trust_of(const char *const *anchors, const char *const *intermediates)
{
    struct an_trust *t = an_trust_new(4);
    char path[1024], err[256];
    for (; anchors && *anchors; anchors++) {
        snprintf(path, sizeof path, "%s/%s.crt", PKI_DIR, *anchors);
        cr_assert_eq(an_trust_add_ca(t, path, err, sizeof err), 0, "%s", err);
    }
    for (; intermediates && *intermediates; intermediates++) {
        snprintf(path, sizeof path, "%s/%s.crt", PKI_DIR, *intermediates);
        cr_assert_eq(an_trust_add_intermediate(t, path, err, sizeof err), 0, "%s", err);
    }
    return t;
}

static const struct an_finding *run(struct an_trust *trust)
{
    struct an_rule_ctx ctx = { .sa = &sa, .certs = &cs, .trust = trust };
    an_rule_trust_mismatch(&ctx, &out);
    for (size_t i = 0; i < out.n; i++)
        if (strcmp(out.v[i].rule, "chain.policy_suspected") == 0)
            return &out.v[i];
    return NULL;
}

Test(trust_mismatch, v1_requests_of_two_organisations)
{
    reset(1);
    cr_dn(true, "CN=Corp Root,O=Corp,C=DE");
    cr_dn(false, "CN=Partner Root,O=Partner,C=FR");
    const struct an_finding *f = run(NULL);
    cr_assert(f);
    cr_assert_eq(f->confidence, AN_CONF_LIKELY);
    cr_assert_eq(f->windows_code, 13887);
    cr_assert(strstr(f->detail, "Corp Root") && strstr(f->detail, "Partner Root"), "%s", f->detail);
    an_findings_cleanup(&out);
}

/* Client and server intermediates of one PKI: different CAs, one organisation. */
Test(trust_mismatch, v1_one_organisation_is_not_a_mismatch)
{
    reset(1);
    cr_dn(true, "CN=Client Intermediate,O=Corp,C=DE");
    cr_dn(false, "CN=Server Intermediate,O=Corp,C=DE");
    cr_assert_null(run(NULL));
    an_findings_cleanup(&out);
}

Test(trust_mismatch, v1_a_shared_root_is_not_a_mismatch)
{
    reset(1);
    cr_dn(true, "CN=Corp Root,O=Corp,C=DE");
    cr_dn(false, "CN=Partner Root,O=Partner,C=FR");
    cr_dn(false, "CN=Corp Root,O=Corp,C=DE");
    cr_assert_null(run(NULL));
    an_findings_cleanup(&out);
}

Test(trust_mismatch, v1_only_one_side_and_no_files_says_nothing)
{
    reset(1);
    cr_dn(false, "CN=Partner Root,O=Partner,C=FR");
    cr_assert_null(run(NULL));
    an_findings_cleanup(&out);
}

/* The lab's responder asks for root-a; the user's CA is the unrelated root-b. */
Test(trust_mismatch, v2_certreq_outside_the_users_pki)
{
    reset(2);
    sa.likely = IKE_LIKELY_RESPONDER_REJECTED;
    certreq_for(false, "root-a");
    certreq_for(false, "int-a");
    const char *const b[] = { "root-b", NULL };
    struct an_trust *t = trust_of(b, NULL);
    const struct an_finding *f = run(t);
    cr_assert(f);
    cr_assert(strstr(f->title, "responder"), "%s", f->title);
    cr_assert(strstr(f->detail, "ikescope Unrelated Root CA"), "%s", f->detail);
    cr_assert(strstr(f->detail, "key SHA-1 "), "%s", f->detail);
    an_findings_cleanup(&out);
    an_trust_free(t);
}

Test(trust_mismatch, v2_certreq_for_the_users_root_is_fine)
{
    reset(2);
    sa.likely = IKE_LIKELY_RESPONDER_REJECTED;
    certreq_for(false, "root-a");
    const char *const a[] = { "root-a", NULL };
    struct an_trust *t = trust_of(a, NULL);
    cr_assert_null(run(t));
    an_findings_cleanup(&out);
    an_trust_free(t);
}

/* int-b alone: its root (root-a) is what the responder asks for, which only the missing
 * root would show. */
Test(trust_mismatch, v2_lone_intermediate_keeps_silent)
{
    reset(2);
    sa.likely = IKE_LIKELY_RESPONDER_REJECTED;
    certreq_for(false, "root-a");
    const char *const i[] = { "int-b", NULL };
    struct an_trust *t = trust_of(NULL, i);
    cr_assert_null(run(t));
    an_findings_cleanup(&out);
    an_trust_free(t);
}

Test(trust_mismatch, nothing_once_established_or_read)
{
    reset(1);
    cr_dn(true, "CN=Corp Root,O=Corp,C=DE");
    cr_dn(false, "CN=Partner Root,O=Partner,C=FR");
    sa.likely = IKE_LIKELY_NONE;
    sa.outcome = IKE_OUTCOME_ESTABLISHED;
    cr_assert_null(run(NULL));
    sa.outcome = IKE_OUTCOME_FAILED;
    msgs[1].msg.exchange = 2;
    msgs[1].msg.decrypted = true;
    cr_assert_null(run(NULL));
    an_findings_cleanup(&out);
}
