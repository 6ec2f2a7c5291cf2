/* reader.h: the one bounds-checked view over untrusted bytes, used by every parser. */
#ifndef IKESCOPE_CAPTURE_READER_H
#define IKESCOPE_CAPTURE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A borrowed view: `p` points at the next unread byte, `left` is how many
 * bytes remain. Every read either succeeds and shrinks the view, or fails
 * and leaves the view untouched. Lengths are always compared with `left`
 * before any pointer is formed (never `p + n > end`).
 */
struct rd {
    const uint8_t *p;
    size_t left;
};

static inline struct rd rd_make(const uint8_t *p, size_t n)
{
    struct rd r = { p, p ? n : 0 };
    return r;
}

static inline bool rd_empty(const struct rd *r) { return r->left == 0; }

static inline bool rd_u8(struct rd *r, uint8_t *v)
{
    if (r->left < 1)
        return false;
    *v = r->p[0];
    r->p += 1;
    r->left -= 1;
    return true;
}

static inline bool rd_u16(struct rd *r, uint16_t *v)
{
    if (r->left < 2)
        return false;
    *v = (uint16_t)((uint16_t)r->p[0] << 8 | r->p[1]);
    r->p += 2;
    r->left -= 2;
    return true;
}

static inline bool rd_u24(struct rd *r, uint32_t *v)
{
    if (r->left < 3)
        return false;
    *v = (uint32_t)r->p[0] << 16 | (uint32_t)r->p[1] << 8 | r->p[2];
    r->p += 3;
    r->left -= 3;
    return true;
}

static inline bool rd_u32(struct rd *r, uint32_t *v)
{
    if (r->left < 4)
        return false;
    *v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
    r->p += 4;
    r->left -= 4;
    return true;
}

/* Little-endian 16-bit, for sections of little-endian pcapng files. */
static inline bool rd_u16le(struct rd *r, uint16_t *v)
{
    if (r->left < 2)
        return false;
    *v = (uint16_t)((uint16_t)r->p[1] << 8 | r->p[0]);
    r->p += 2;
    r->left -= 2;
    return true;
}

/* Little-endian 32-bit, for host-order link headers (BSD loopback) and pcapng. */
static inline bool rd_u32le(struct rd *r, uint32_t *v)
{
    if (r->left < 4)
        return false;
    *v = (uint32_t)r->p[3] << 24 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[1] << 8 | r->p[0];
    r->p += 4;
    r->left -= 4;
    return true;
}

/* Split off the next n bytes as their own view. */
static inline bool rd_take(struct rd *r, size_t n, struct rd *sub)
{
    if (n > r->left)
        return false;
    sub->p = r->p;
    sub->left = n;
    r->p += n;
    r->left -= n;
    return true;
}

/* Borrow a pointer to the next n bytes. */
static inline bool rd_bytes(struct rd *r, size_t n, const uint8_t **out)
{
    if (n > r->left)
        return false;
    *out = r->p;
    r->p += n;
    r->left -= n;
    return true;
}

static inline bool rd_copy(struct rd *r, void *dst, size_t n)
{
    const uint8_t *src;
    if (!rd_bytes(r, n, &src))
        return false;
    for (size_t i = 0; i < n; i++)
        ((uint8_t *)dst)[i] = src[i];
    return true;
}

static inline bool rd_skip(struct rd *r, size_t n)
{
    const uint8_t *unused;
    return rd_bytes(r, n, &unused);
}

#endif
