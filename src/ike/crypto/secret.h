/* secret.h: owned key material that is wiped (sodium_memzero) when freed and never printed. */
#ifndef IKESCOPE_IKE_CRYPTO_SECRET_H
#define IKESCOPE_IKE_CRYPTO_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * An owned byte string holding key material. `p == NULL` and `len == 0`
 * mean "absent". Every function that drops bytes wipes them first.
 * Nothing in this project formats a secret's bytes into a message:
 * errors name the field, never the value.
 */
struct ike_secret {
    uint8_t *p;
    size_t len;
};

enum ike_secret_status {
    IKE_SECRET_OK = 0,
    IKE_SECRET_NOMEM,
    IKE_SECRET_BAD_HEX,   /* a character that is not a hex digit */
    IKE_SECRET_ODD_HEX,   /* an odd number of hex digits */
    IKE_SECRET_EMPTY,     /* no digits at all */
};

static inline bool ike_secret_present(const struct ike_secret *s) { return s && s->len > 0; }

/* Wipe and free; leaves `s` absent. Safe on an absent secret. */
void ike_secret_free(struct ike_secret *s);

/* Replace `s` with a copy of `len` bytes (len 0 makes it absent). */
enum ike_secret_status ike_secret_set(struct ike_secret *s, const uint8_t *p, size_t len);

/* Append bytes (used while a hex dump arrives row by row); old storage is wiped. */
enum ike_secret_status ike_secret_append(struct ike_secret *s, const uint8_t *p, size_t len);

/*
 * Replace `s` with the bytes spelled by `n` hex digits at `hex` (no prefix,
 * no separators; upper or lower case). `hex` is untrusted and read through
 * the bounds-checked reader. On failure `s` is left absent.
 */
enum ike_secret_status ike_secret_from_hex(struct ike_secret *s, const char *hex, size_t n);

/* Move: `dst` is freed, takes `src`'s bytes, `src` becomes absent. */
void ike_secret_move(struct ike_secret *dst, struct ike_secret *src);

/* Constant-time equality (lengths are not secret). */
bool ike_secret_equal(const struct ike_secret *a, const struct ike_secret *b);

/* Value of one hex digit, or -1. */
int ike_hex_digit(uint8_t c);

/*
 * A whole file that holds secrets (a key file, a list of pre-shared keys), read with read(2)
 * into memory nobody else has seen: stdio would keep a copy of the last bytes read in a
 * buffer freed unwiped, and growing the buffer copies then wipes the old one. Pipes work.
 * Release with ike_secret_file_wipe.
 */
struct ike_secret_file {
    uint8_t *p;
    size_t len, cap;
    uint64_t size; /* on IKE_SECRET_FILE_TOO_LARGE: the size fstat gave (0 for a pipe, known only as "more") */
};

enum ike_secret_file_status {
    IKE_SECRET_FILE_OK = 0,
    IKE_SECRET_FILE_OPEN,      /* cannot open; errno in *err */
    IKE_SECRET_FILE_READ,      /* read error; errno in *err */
    IKE_SECRET_FILE_TOO_LARGE, /* more than `max` bytes: a regular file is refused from its size, unread */
    IKE_SECRET_FILE_NOMEM,
};

enum ike_secret_file_status ike_secret_file_read(const char *path, size_t max, struct ike_secret_file *out,
                                                 int *err);
void ike_secret_file_wipe(struct ike_secret_file *f);

#endif
