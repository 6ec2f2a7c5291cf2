/* test_reader.c: the bounds-checked reader: every read succeeds exactly when the bytes are
 * there, failure leaves the view untouched, and lengths near SIZE_MAX cannot wrap. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "capture/reader.h"

static const uint8_t BYTES[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };

Test(reader, big_endian_and_little_endian_values)
{
    struct rd r = rd_make(BYTES, sizeof BYTES);
    uint8_t a;
    uint16_t b;
    uint32_t c, d;
    cr_assert(rd_u8(&r, &a) && a == 0x01);
    cr_assert(rd_u16(&r, &b) && b == 0x0203);
    cr_assert(rd_u24(&r, &c) && c == 0x040506);
    cr_assert(rd_u24(&r, &d) && d == 0x070809);
    cr_assert(rd_empty(&r));
    r = rd_make(BYTES, 4);
    cr_assert(rd_u32le(&r, &c) && c == 0x04030201);
    r = rd_make(BYTES, 4);
    cr_assert(rd_u32(&r, &c) && c == 0x01020304);
}

/* Each read type at every length short of what it needs fails and consumes nothing. */
Test(reader, short_reads_fail_without_consuming)
{
    for (size_t n = 0; n < 4; n++) {
        struct rd r = rd_make(BYTES, n);
        uint8_t a;
        uint16_t b;
        uint32_t c;
        const uint8_t *p;
        struct rd sub;
        if (n < 1)
            cr_assert_not(rd_u8(&r, &a));
        if (n < 2)
            cr_assert_not(rd_u16(&r, &b));
        if (n < 3)
            cr_assert_not(rd_u24(&r, &c));
        cr_assert_not(rd_u32(&r, &c));
        cr_assert_not(rd_u32le(&r, &c));
        cr_assert_not(rd_bytes(&r, n + 1, &p));
        cr_assert_not(rd_take(&r, n + 1, &sub));
        cr_assert_not(rd_skip(&r, n + 1));
        cr_assert_eq(r.left, n);
        cr_assert_eq(r.p, BYTES);
    }
}

Test(reader, huge_lengths_do_not_wrap)
{
    struct rd r = rd_make(BYTES, sizeof BYTES);
    const uint8_t *p;
    struct rd sub;
    cr_assert_not(rd_bytes(&r, SIZE_MAX, &p));
    cr_assert_not(rd_take(&r, SIZE_MAX - 1, &sub));
    cr_assert_not(rd_skip(&r, (size_t)-4));
    cr_assert_eq(r.left, sizeof BYTES);
}

Test(reader, take_splits_exactly)
{
    struct rd r = rd_make(BYTES, sizeof BYTES), sub;
    cr_assert(rd_take(&r, 4, &sub));
    cr_assert_eq(sub.left, 4);
    cr_assert_eq(sub.p, BYTES);
    cr_assert_eq(r.left, 5);
    cr_assert_eq(r.p, BYTES + 4);
    uint8_t copy[5];
    cr_assert(rd_copy(&r, copy, 5));
    cr_assert_eq(copy[4], 0x09);
    cr_assert(rd_empty(&r));
    cr_assert(rd_take(&r, 0, &sub) && sub.left == 0);
}

Test(reader, null_pointer_is_an_empty_view)
{
    struct rd r = rd_make(NULL, 100);
    uint8_t a;
    cr_assert(rd_empty(&r));
    cr_assert_not(rd_u8(&r, &a));
}
