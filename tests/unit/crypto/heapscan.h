/* heapscan.h: catch key bytes in heap blocks as they are freed (AddressSanitizer's free hook), for tests that
 * prove no unwiped copy of a key is left behind in freed memory (stdio buffers in particular). */
#ifndef IKESCOPE_TESTS_CRYPTO_HEAPSCAN_H
#define IKESCOPE_TESTS_CRYPTO_HEAPSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <criterion/criterion.h>

/* From <sanitizer/allocator_interface.h>; weak so that a build without ASan links and skips. */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                              void (*free_hook)(const volatile void *)) __attribute__((weak));
size_t __sanitizer_get_allocated_size(const volatile void *p) __attribute__((weak));
int __sanitizer_get_ownership(const volatile void *p) __attribute__((weak));

#define HEAPSCAN_NEEDLES 4

static struct {
    volatile bool armed;
    const void *needle[HEAPSCAN_NEEDLES];
    size_t len[HEAPSCAN_NEEDLES];
    size_t n;
    volatile size_t hits;
} heapscan;

static void heapscan_malloc(const volatile void *p, size_t n)
{
    (void)p;
    (void)n;
}

/* Runs inside free() before the block is released: it may not allocate. */
static void heapscan_free(const volatile void *vp)
{
    if (!heapscan.armed || !vp || !__sanitizer_get_ownership(vp))
        return;
    const unsigned char *p = (const unsigned char *)vp;
    size_t size = __sanitizer_get_allocated_size(vp);
    for (size_t i = 0; i < heapscan.n; i++)
        if (size >= heapscan.len[i] && memmem(p, size, heapscan.needle[i], heapscan.len[i]))
            heapscan.hits++;
}

/* Installs the hook once per process (Criterion runs each test in its own); skips the test without ASan. */
static inline void heapscan_start(void)
{
    if (!__sanitizer_install_malloc_and_free_hooks || !__sanitizer_get_allocated_size || !__sanitizer_get_ownership)
        cr_skip_test("SKIPPED: needs an AddressSanitizer build (meson setup -Db_sanitize=address) to watch freed memory");
    static bool installed;
    if (!installed)
        __sanitizer_install_malloc_and_free_hooks(heapscan_malloc, heapscan_free);
    installed = true;
    heapscan.n = 0;
    heapscan.hits = 0;
    heapscan.armed = true;
}

/* Watch for this byte string in freed blocks. The caller keeps it alive. */
static inline void heapscan_watch(const void *needle, size_t len)
{
    cr_assert_lt(heapscan.n, (size_t)HEAPSCAN_NEEDLES);
    heapscan.needle[heapscan.n] = needle;
    heapscan.len[heapscan.n++] = len;
}

/* Stop watching; the number of freed blocks that held a needle. */
static inline size_t heapscan_stop(void)
{
    heapscan.armed = false;
    return heapscan.hits;
}

#endif
