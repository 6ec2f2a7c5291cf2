/* json.c: streaming JSON writer; strings are escaped per RFC 8259 §7, and bytes that are
 * not valid UTF-8 are written as U+FFFD so the document always parses. */
#include "analyze/json.h"

#include <inttypes.h>
#include <string.h>

void aj_flush(struct aj *j)
{
    if (j->nbuf)
        fwrite(j->buf, 1, j->nbuf, j->f);
    j->nbuf = 0;
}

static void put(struct aj *j, const void *p, size_t n)
{
    if (n > sizeof j->buf - j->nbuf) {
        aj_flush(j);
        if (n > sizeof j->buf) {
            fwrite(p, 1, n, j->f);
            return;
        }
    }
    memcpy(j->buf + j->nbuf, p, n);
    j->nbuf += n;
}

static void put_char(struct aj *j, char c)
{
    if (j->nbuf == sizeof j->buf)
        aj_flush(j);
    j->buf[j->nbuf++] = c;
}

static void put_str(struct aj *j, const char *s) { put(j, s, strlen(s)); }

void aj_init(struct aj *j, FILE *f)
{
    j->f = f;
    j->nbuf = 0;
    j->depth = 0;
    memset(j->first, 0, sizeof j->first);
    memset(j->inline_array, 0, sizeof j->inline_array);
    j->first[0] = true;
}

static void indent(struct aj *j)
{
    /* A newline and two spaces per level, in one write. */
    static const char spaces[] = "\n                                ";
    int n = 1 + 2 * j->depth;
    put(j, spaces, (size_t)(n < (int)sizeof spaces - 1 ? n : (int)sizeof spaces - 1));
}

/* Characters that go out as they are: printable ASCII except the quote and backslash. */
static bool plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static void put_escaped(struct aj *j, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    put_char(j, '"');
    while (*p) {
        unsigned char c = *p;
        if (plain(c)) {
            const unsigned char *run = p;
            while (plain(*p))
                p++;
            put(j, run, (size_t)(p - run));
        } else if (c == '"' || c == '\\') {
            put_char(j, '\\');
            put_char(j, (char)c);
            p++;
        } else if (c < 0x20) {
            static const char digits[] = "0123456789abcdef";
            char u[6] = { '\\', 'u', '0', '0', digits[c >> 4], digits[c & 15] };
            put(j, u, sizeof u);
            p++;
        } else {
            /* Accept well-formed UTF-8 sequences, replace anything else. */
            size_t n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
            size_t k = 1;
            while (n && k < n && (p[k] & 0xc0) == 0x80)
                k++;
            if (n && k == n) {
                put(j, p, n);
                p += n;
            } else {
                put_str(j, "\\ufffd");
                p += k;
            }
        }
    }
    put_char(j, '"');
}

/* Separator, newline and key before any value. */
static void member(struct aj *j, const char *key)
{
    if (j->depth > 0) {
        if (!j->first[j->depth])
            put_char(j, ',');
        if (j->inline_array[j->depth]) {
            if (!j->first[j->depth])
                put_char(j, ' ');
        } else {
            indent(j);
        }
    }
    j->first[j->depth] = false;
    if (key) {
        put_escaped(j, key);
        put(j, ": ", 2);
    }
}

static void container_open(struct aj *j, const char *key, char c, bool inl)
{
    member(j, key);
    put_char(j, c);
    if (j->depth + 1 < AJ_MAX_DEPTH) {
        j->depth++;
        j->first[j->depth] = true;
        j->inline_array[j->depth] = inl;
    }
}

static void container_close(struct aj *j, char c)
{
    bool was_empty = j->first[j->depth];
    bool inl = j->inline_array[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (!was_empty && !inl)
        indent(j);
    put_char(j, c);
    if (j->depth == 0) {
        put_char(j, '\n');
        aj_flush(j);
    }
}

void aj_obj_begin(struct aj *j, const char *key) { container_open(j, key, '{', false); }
void aj_obj_end(struct aj *j) { container_close(j, '}'); }
void aj_arr_begin(struct aj *j, const char *key) { container_open(j, key, '[', false); }
void aj_arr_begin_inline(struct aj *j, const char *key) { container_open(j, key, '[', true); }
void aj_arr_end(struct aj *j) { container_close(j, ']'); }

void aj_str(struct aj *j, const char *key, const char *val)
{
    member(j, key);
    put_escaped(j, val ? val : "");
}

void aj_uint(struct aj *j, const char *key, uint64_t val)
{
    member(j, key);
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + val % 10);
        val /= 10;
    } while (val);
    put(j, digits + sizeof digits - n, n);
}

void aj_bool(struct aj *j, const char *key, bool val)
{
    member(j, key);
    put_str(j, val ? "true" : "false");
}

void aj_null(struct aj *j, const char *key)
{
    member(j, key);
    put(j, "null", 4);
}
