/* test_rules_proposal.c: proposal.weak and ikev1.aggressive_psk from the chosen proposal. */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/findings.h"
#include "analyze/rules_internal.h"
#include "ike/sa.h"

static struct an_findings run(struct ike_sa *sa)
{
    struct an_findings out = { 0 };
    an_rule_proposal(sa, &out);
    return out;
}

static const struct an_finding *find(const struct an_findings *f, const char *rule)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i].rule, rule) == 0)
            return &f->v[i];
    return NULL;
}

Test(rules_proposal, ikev2_3des_sha1_modp1024_is_a_warning_naming_each)
{
    struct ike_sa sa = { .id = 1, .version = 2, .encr = 3, .integ = 2, .prf = 2, .dh_group = 2 };
    struct an_findings f = run(&sa);
    const struct an_finding *w = find(&f, "proposal.weak");
    cr_assert_not_null(w);
    cr_assert_eq(w->severity, AN_SEV_WARNING);
    cr_assert(strstr(w->title, "ENCR_3DES") && strstr(w->title, "MODP_1024"), "%s", w->title);
    cr_assert(strstr(w->detail, "64-bit block") && strstr(w->detail, "AUTH_HMAC_SHA1_96"), "%s", w->detail);
    cr_assert_null(strstr(w->detail, "MD5"), "only the reasons that apply: %s", w->detail);
    an_findings_cleanup(&f);
}

Test(rules_proposal, sha1_alone_is_information_only)
{
    struct ike_sa sa = { .id = 1, .version = 1, .encr = 7, .encr_key_bits = 128, .integ = 2, .dh_group = 14 };
    struct an_findings f = run(&sa);
    const struct an_finding *w = find(&f, "proposal.weak");
    cr_assert_not_null(w);
    cr_assert_eq(w->severity, AN_SEV_INFO);
    an_findings_cleanup(&f);
}

Test(rules_proposal, modern_suites_and_unknown_ones_say_nothing)
{
    struct ike_sa gcm = { .id = 1, .version = 2, .encr = 20, .encr_key_bits = 256, .prf = 5, .dh_group = 19 };
    struct ike_sa chacha = { .id = 2, .version = 2, .encr = 28, .prf = 7, .dh_group = 31 };
    struct ike_sa none = { .id = 3, .version = 2 }; /* no answer: nothing chosen */
    struct ike_sa *all[] = { &gcm, &chacha, &none };
    for (size_t i = 0; i < 3; i++) {
        struct an_findings f = run(all[i]);
        cr_assert_eq(f.n, 0, "SA %u", all[i]->id);
        an_findings_cleanup(&f);
    }
}

Test(rules_proposal, md5_des_null_and_small_groups_are_warnings)
{
    struct ike_sa des_md5 = { .id = 1, .version = 1, .encr = 1, .integ = 1, .dh_group = 1 };
    struct ike_sa null_enc = { .id = 2, .version = 2, .encr = 11, .integ = 12, .prf = 5, .dh_group = 24 };
    struct ike_sa *all[] = { &des_md5, &null_enc };
    for (size_t i = 0; i < 2; i++) {
        struct an_findings f = run(all[i]);
        const struct an_finding *w = find(&f, "proposal.weak");
        cr_assert(w && w->severity == AN_SEV_WARNING, "SA %u", all[i]->id);
        an_findings_cleanup(&f);
    }
}

/* The responder's Aggressive Mode answer with a PSK method: the offline-cracking warning;
 * the same in Main Mode, or with signatures, is not. */
Test(rules_proposal, aggressive_mode_with_psk_only)
{
    struct ike_sa_msg answer = { 0 };
    answer.from_initiator = false;
    answer.msg.exchange = 4;
    struct ike_sa sa = { .id = 1, .version = 1, .encr = 7, .integ = 4, .dh_group = 14, .auth_method_v1 = 1,
                         .msgs = &answer, .nmsgs = 1 };
    struct an_findings f = run(&sa);
    const struct an_finding *w = find(&f, "ikev1.aggressive_psk");
    cr_assert(w && w->severity == AN_SEV_WARNING);
    an_findings_cleanup(&f);

    sa.auth_method_v1 = 3; /* RSA signatures */
    f = run(&sa);
    cr_assert_null(find(&f, "ikev1.aggressive_psk"));
    an_findings_cleanup(&f);

    sa.auth_method_v1 = 1;
    answer.msg.exchange = 2; /* Main Mode */
    f = run(&sa);
    cr_assert_null(find(&f, "ikev1.aggressive_psk"));
    an_findings_cleanup(&f);
}
