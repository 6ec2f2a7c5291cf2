/* test_endpoint_log.c: daemon log lines to statements: charon and pluto outcomes and reasons,
 * with the rules they agree with; key lines and debug lines never become statements. */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/endpoint_log.h"

static bool names_rule(const struct an_ep_stmt *st, const char *rule)
{
    for (size_t i = 0; i < AN_EP_MAX_RULES && st->rules[i]; i++)
        if (strcmp(st->rules[i], rule) == 0)
            return true;
    return false;
}

Test(endpoint_log, charon_reasons)
{
    struct an_ep_stmt st;
    cr_assert(an_ep_parse_daemon_line("Nov 24 12:33:17 10[CFG] no issuer certificate found for \"C=XX, CN=sun\"", &st));
    cr_expect_eq(st.kind, AN_EP_FAILED);
    cr_expect(names_rule(&st, "chain.untrusted_root"));
    cr_expect_eq(st.clock, AN_EP_CLOCK_LOCAL_NO_YEAR);
    cr_expect_eq(st.mon, 10);
    cr_expect_eq(st.mday, 24);
    cr_expect_eq(st.sec, 12 * 3600 + 33 * 60 + 17);
    cr_expect_str_eq(st.source, "strongSwan charon");
    /* syslog: host and program before the thread tag */
    cr_assert(an_ep_parse_daemon_line("Nov 24 12:33:48 sun charon: 09[IKE] tried 1 shared key for 'a' - 'b', but "
                                      "MAC mismatched", &st));
    cr_expect(names_rule(&st, "psk.mismatch"));
    cr_assert(an_ep_parse_daemon_line("Dec  5 05:09:02 11[IKE] IKE_SA lab[1] established between 192.0.2.1[a]...192.0.2.2[b]",
                                      &st));
    cr_expect_eq(st.kind, AN_EP_ESTABLISHED);
    cr_expect_not(an_ep_parse_daemon_line("Dec  5 05:09:02 11[CFG] selected peer config 'lab'", &st));
}

Test(endpoint_log, pluto_reasons_and_debug_lines)
{
    struct an_ep_stmt st;
    cr_assert(an_ep_parse_daemon_line("Dec  4 13:41:02.347844: \"lab\" #2: IKE_AUTH response rejected Child SA with "
                                      "TS_UNACCEPTABLE", &st));
    cr_expect(names_rule(&st, "ts.unacceptable"));
    cr_expect_str_eq(st.source, "libreswan pluto");
    cr_assert(an_ep_parse_daemon_line("Nov 24 12:35:03 sun pluto[2109]: \"lab\" #1: responder established IKE SA; "
                                      "authenticated peer", &st));
    cr_expect_eq(st.kind, AN_EP_ESTABLISHED);
    /* A "| " debug line states nothing, even when its words would match. */
    cr_expect_not(an_ep_parse_daemon_line("Dec  4 13:41:02.347844: | \"lab\" #1: TS_UNACCEPTABLE in debug", &st));
}

Test(endpoint_log, key_lines_are_never_statements)
{
    struct an_ep_stmt st;
    cr_expect_not(an_ep_parse_daemon_line("Nov 24 12:33:17 10[IKE] Sk_ei secret => 32 bytes @ 0x7f00 IKE_SA x "
                                          "established between", &st));
    cr_expect_not(an_ep_parse_daemon_line("Nov 24 12:33:17 10[IKE]    0: 29 B7 5B A3 AB 07 50 96", &st));
}
