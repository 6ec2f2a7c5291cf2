/* test_endpoint_log.c: daemon log lines to statements: charon and pluto outcomes and reasons,
 * with the rules they agree with; key lines and debug lines never become statements. */
#include <criterion/criterion.h>
#include <stdlib.h>
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

static struct cap_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    struct cap_addr x = { .family = 4, .bytes = { a, b, c, d } };
    return x;
}

/* The index by address gives an SA the statements of its two addresses and those that name
 * none, in log order, whichever way round the SA's addresses come. */
Test(endpoint_log, candidates_by_address_in_log_order)
{
    static const char text[] =
        "Dec  5 05:09:01 11[CFG] no issuer certificate found for \"C=XX, CN=sun\"\n"
        "Dec  5 05:09:02 11[IKE] IKE_SA lab[1] established between 192.0.2.1[a]...192.0.2.2[b]\n"
        "Dec  5 05:09:03 11[IKE] IKE_SA lab[2] established between 10.0.0.1[a]...10.0.0.2[b]\n"
        "Dec  5 05:09:04 11[IKE] IKE_SA lab[3] established between 192.0.2.2[b]...192.0.2.1[a]\n";
    struct an_endpoint_log log = { 0 };
    char err[256];
    cr_assert_eq(an_endpoint_log_load_buf(&log, "test.log", text, sizeof text - 1, err, sizeof err), 0, "%s", err);
    cr_assert_eq(log.n, 4);
    struct cap_addr a = v4(192, 0, 2, 1), b = v4(192, 0, 2, 2), c = v4(10, 0, 0, 2), d = v4(10, 0, 0, 1),
                    e = v4(198, 51, 100, 1);
    size_t *v;
    cr_assert_eq(an_endpoint_log_candidates(&log, &b, &a, &v), 3);
    cr_expect(v[0] == 0 && v[1] == 1 && v[2] == 3);
    free(v);
    cr_assert_eq(an_endpoint_log_candidates(&log, &c, &d, &v), 2);
    cr_expect(v[0] == 0 && v[1] == 2);
    free(v);
    cr_assert_eq(an_endpoint_log_candidates(&log, &e, &e, &v), 1);
    cr_expect(v[0] == 0);
    free(v);
    an_endpoint_log_free(&log);
}

/* A busy gateway interleaves its worker threads: a reason belongs to the datagram its own
 * thread received last, not to the last one in the log. */
Test(endpoint_log, reasons_take_their_threads_datagram)
{
    static const char text[] =
        "Dec  5 05:09:01 13[NET] received packet: from 198.18.0.1[4500] to 203.0.113.1[4500] (400 bytes)\n"
        "Dec  5 05:09:01 14[NET] received packet: from 198.18.0.2[4500] to 203.0.113.1[4500] (400 bytes)\n"
        "Dec  5 05:09:01 13[CFG] no issuer certificate found for \"C=XX, CN=a\"\n"
        "Dec  5 05:09:01 14[IKE] received AUTHENTICATION_FAILED notify error\n";
    struct an_endpoint_log log = { 0 };
    char err[256];
    cr_assert_eq(an_endpoint_log_load_buf(&log, "gw.log", text, sizeof text - 1, err, sizeof err), 0, "%s", err);
    cr_assert_eq(log.n, 2);
    struct cap_addr one = v4(198, 18, 0, 1), two = v4(198, 18, 0, 2), gw = v4(203, 0, 113, 1);
    cr_expect(log.v[0].has_peer && memcmp(&log.v[0].peer, &one, sizeof one) == 0);
    cr_expect(log.v[1].has_peer && memcmp(&log.v[1].peer, &two, sizeof two) == 0);
    cr_expect(log.v[0].has_local && memcmp(&log.v[0].local, &gw, sizeof gw) == 0);
    an_endpoint_log_free(&log);
}
