/* test_suggest.c: "did you mean" picks the near command and nothing far. */
#include <criterion/criterion.h>

#include "cli/suggest.h"

static const char *const commands[] = { "analyze", "keys", "rules", "explain", "help", NULL };

Test(suggest, near_misses_find_their_command)
{
    cr_assert_str_eq(cli_suggest("analyse", commands), "analyze");
    cr_assert_str_eq(cli_suggest("anlayze", commands), "analyze"); /* swapped neighbours */
    cr_assert_str_eq(cli_suggest("analyz", commands), "analyze");
    cr_assert_str_eq(cli_suggest("explian", commands), "explain");
    cr_assert_str_eq(cli_suggest("rule", commands), "rules");
    cr_assert_str_eq(cli_suggest("key", commands), "keys");
}

Test(suggest, far_words_get_no_suggestion)
{
    cr_assert_null(cli_suggest("capture", commands));
    cr_assert_null(cli_suggest("x", commands));
    cr_assert_null(cli_suggest("", commands));
    cr_assert_null(cli_suggest("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", commands));
}
