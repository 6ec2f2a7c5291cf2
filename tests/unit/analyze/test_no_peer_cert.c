/* test_no_peer_cert.c: auth.no_peer_cert is an error with Windows 13847 when the side that
 * must verify the signature asked for a certificate (its CERTREQ), and only a warning
 * without a code when only the signer itself asked for one: reading the wrong side's
 * CERTREQ turns one into the other, and these tests tell them apart. */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/findings.h"
#include "analyze/rules_internal.h"
#include "ike/msg.h"
#include "ike/sa.h"

enum { EXCH_SA_INIT = 34, EXCH_AUTH = 35 };

/* IKE_SA_INIT response (with CERTREQ when `responder_asks`), the initiator's IKE_AUTH request
 * (with CERTREQ when `initiator_asks`; it signs and sends its certificate), and the
 * responder's IKE_AUTH response: a signature AUTH and no CERT. All decrypted. */
static void run(bool initiator_asks, bool responder_asks, struct an_findings *out)
{
    struct ike_payload init_rsp[] = { { .type = IKE2_PL_SA }, { .type = IKE2_PL_CERTREQ } };
    struct ike_payload auth_req[] = { { .type = IKE2_PL_IDI, .inner = true },
                                      { .type = IKE2_PL_CERT, .inner = true, .cert_encoding = 4 },
                                      { .type = IKE2_PL_CERTREQ, .inner = true },
                                      { .type = IKE2_PL_AUTH, .inner = true, .auth_method = 14 } };
    struct ike_payload auth_rsp[] = { { .type = IKE2_PL_IDR, .inner = true },
                                      { .type = IKE2_PL_AUTH, .inner = true, .auth_method = 1 } };
    struct ike_sa_msg msgs[3];
    memset(msgs, 0, sizeof msgs);
    msgs[0].msg.exchange = EXCH_SA_INIT;
    msgs[0].response = true;
    msgs[0].msg.payloads = init_rsp;
    msgs[0].msg.npayloads = responder_asks ? 2 : 1;
    msgs[1].msg.exchange = EXCH_AUTH;
    msgs[1].from_initiator = true;
    msgs[1].msg.decrypted = true;
    msgs[1].msg.payloads = auth_req;
    msgs[1].msg.npayloads = 4;
    if (!initiator_asks) {
        auth_req[2] = auth_req[3]; /* no CERTREQ in the initiator's IKE_AUTH */
        msgs[1].msg.npayloads = 3;
    }
    msgs[2].msg.exchange = EXCH_AUTH;
    msgs[2].response = true;
    msgs[2].msg.decrypted = true;
    msgs[2].msg.payloads = auth_rsp;
    msgs[2].msg.npayloads = 2;
    for (int i = 0; i < 3; i++)
        msgs[i].peer = -1;
    struct ike_sa sa = { .id = 1, .version = 2, .msgs = msgs, .nmsgs = 3 };
    memset(out, 0, sizeof *out);
    an_rule_no_peer_cert(&sa, out);
}

static const struct an_finding *only(const struct an_findings *f)
{
    cr_assert_eq(f->n, 1, "one auth.no_peer_cert finding, got %zu", f->n);
    cr_assert_str_eq(f->v[0].rule, "auth.no_peer_cert");
    return &f->v[0];
}

Test(no_peer_cert, the_verifier_asked_error_13847)
{
    struct an_findings f;
    run(true, false, &f);
    const struct an_finding *x = only(&f);
    cr_assert_eq(x->severity, AN_SEV_ERROR);
    cr_assert_eq(x->windows_code, 13847);
    cr_assert(strstr(x->detail, "asked for one with CERTREQ"), "%s", x->detail);
    an_findings_cleanup(&f);
}

Test(no_peer_cert, only_the_signer_asked_warning_without_code)
{
    struct an_findings f;
    run(false, true, &f);
    const struct an_finding *x = only(&f);
    cr_assert_eq(x->severity, AN_SEV_WARNING);
    cr_assert_eq(x->windows_code, 0);
    cr_assert_null(strstr(x->detail, "asked for one with CERTREQ"), "%s", x->detail);
    an_findings_cleanup(&f);
}

Test(no_peer_cert, nobody_asked_warning)
{
    struct an_findings f;
    run(false, false, &f);
    cr_assert_eq(only(&f)->severity, AN_SEV_WARNING);
    an_findings_cleanup(&f);
}

Test(no_peer_cert, both_asked_error)
{
    struct an_findings f;
    run(true, true, &f);
    cr_assert_eq(only(&f)->severity, AN_SEV_ERROR);
    an_findings_cleanup(&f);
}
