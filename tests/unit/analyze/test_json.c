/* test_json.c: the JSON writer escapes everything RFC 8259 requires and never emits invalid UTF-8. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/json.h"

static char *render(void (*body)(struct aj *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct aj j;
    aj_init(&j, f);
    body(&j);
    fclose(f);
    return buf;
}

static void escapes(struct aj *j)
{
    aj_obj_begin(j, NULL);
    aj_str(j, "s", "a\"b\\c\nd\x01");
    aj_str(j, "bad", "x\xff\xc3(y");
    aj_str(j, "utf8", "caf\xc3\xa9");
    aj_arr_begin_inline(j, "n");
    aj_uint(j, NULL, 1);
    aj_uint(j, NULL, 18446744073709551615u);
    aj_arr_end(j);
    aj_arr_begin(j, "empty");
    aj_arr_end(j);
    aj_bool(j, "t", true);
    aj_null(j, "z");
    aj_obj_end(j);
}

Test(json, escapes_and_layout)
{
    char *out = render(escapes);
    cr_assert(strstr(out, "\"s\": \"a\\\"b\\\\c\\u000ad\\u0001\""), "%s", out);
    cr_assert(strstr(out, "\"bad\": \"x\\ufffd\\ufffd(y\""), "%s", out);
    cr_assert(strstr(out, "\"utf8\": \"caf\xc3\xa9\""), "%s", out);
    cr_assert(strstr(out, "\"n\": [1, 18446744073709551615]"), "%s", out);
    cr_assert(strstr(out, "\"empty\": []"), "%s", out);
    cr_assert(strstr(out, "\"t\": true,\n  \"z\": null\n}\n"), "%s", out);
    free(out);
}
