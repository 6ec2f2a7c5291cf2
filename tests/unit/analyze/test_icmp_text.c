/* test_icmp_text.c: what ICMP errors about IKE datagrams are called and what they mean. */
#include <criterion/criterion.h>

#include "analyze/icmp_text.h"

static struct cap_icmp icmp(uint8_t family, uint8_t type, uint8_t code, uint32_t mtu)
{
    struct cap_icmp e = { .type = type, .code = code, .mtu = mtu };
    e.from.family = family;
    return e;
}

Test(icmp_text, kinds_and_names)
{
    char name[80];
    struct cap_icmp e = icmp(4, 3, 3, 0);
    cr_expect_eq(an_icmp_kind(&e), AN_ICMP_PORT_UNREACHABLE);
    an_icmp_name(&e, name, sizeof name);
    cr_expect_str_eq(name, "port unreachable");

    e = icmp(4, 3, 13, 0); /* RFC 1812: communication administratively prohibited */
    cr_expect_eq(an_icmp_kind(&e), AN_ICMP_PROHIBITED);
    e = icmp(4, 3, 1, 0);
    cr_expect_eq(an_icmp_kind(&e), AN_ICMP_UNREACHABLE);
    e = icmp(4, 3, 4, 1400);
    cr_expect_eq(an_icmp_kind(&e), AN_ICMP_TOO_BIG);
    an_icmp_name(&e, name, sizeof name);
    cr_expect_str_eq(name, "fragmentation needed (MTU 1400)");

    e = icmp(6, 1, 4, 0);
    cr_expect_eq(an_icmp_kind(&e), AN_ICMP_PORT_UNREACHABLE);
    e = icmp(6, 1, 1, 0);
    cr_expect_eq(an_icmp_kind(&e), AN_ICMP_PROHIBITED);
    e = icmp(6, 2, 0, 1280);
    cr_expect_eq(an_icmp_kind(&e), AN_ICMP_TOO_BIG);
    an_icmp_name(&e, name, sizeof name);
    cr_expect_str_eq(name, "packet too big (MTU 1280)");

    /* Codes beyond the tables. */
    e = icmp(4, 3, 200, 0);
    cr_expect_eq(an_icmp_kind(&e), AN_ICMP_OTHER);
    an_icmp_name(&e, name, sizeof name);
    cr_expect_str_eq(name, "destination unreachable (code 200)");
    e = icmp(6, 1, 77, 0);
    an_icmp_name(&e, name, sizeof name);
    cr_expect_str_eq(name, "destination unreachable (code 77)");
}
