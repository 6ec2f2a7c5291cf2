/* json.c: streaming JSON writer; strings are escaped per RFC 8259 §7, and bytes that are
 * not valid UTF-8 are written as U+FFFD so the document always parses. */
#include "analyze/json.h"

#include <inttypes.h>
#include <string.h>

/* One thread writes a report: skip stdio's per-call locking, which costs more than the
 * writing itself for a document made of many short tokens. */
#define fputc fputc_unlocked
#define fwrite fwrite_unlocked
#define fputs fputs_unlocked

void aj_init(struct aj *j, FILE *f)
{
    memset(j, 0, sizeof *j);
    j->f = f;
    j->first[0] = true;
}

static void indent(struct aj *j)
{
    /* A newline and two spaces per level, in one write. */
    static const char spaces[] = "\n                                ";
    int n = 1 + 2 * j->depth;
    fwrite(spaces, 1, (size_t)(n < (int)sizeof spaces - 1 ? n : (int)sizeof spaces - 1), j->f);
}

/* Characters that go out as they are: printable ASCII except the quote and backslash. */
static bool plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static void put_escaped(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    while (*p) {
        unsigned char c = *p;
        if (plain(c)) {
            const unsigned char *run = p;
            while (plain(*p))
                p++;
            fwrite(run, 1, (size_t)(p - run), f);
        } else if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
            p++;
        } else if (c < 0x20) {
            fprintf(f, "\\u%04x", c);
            p++;
        } else {
            /* Accept well-formed UTF-8 sequences, replace anything else. */
            size_t n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
            size_t k = 1;
            while (n && k < n && (p[k] & 0xc0) == 0x80)
                k++;
            if (n && k == n) {
                fwrite(p, 1, n, f);
                p += n;
            } else {
                fputs("\\ufffd", f);
                p += k;
            }
        }
    }
    fputc('"', f);
}

/* Separator, newline and key before any value. */
static void member(struct aj *j, const char *key)
{
    if (j->depth > 0) {
        if (!j->first[j->depth])
            fputc(',', j->f);
        if (j->inline_array[j->depth]) {
            if (!j->first[j->depth])
                fputc(' ', j->f);
        } else {
            indent(j);
        }
    }
    j->first[j->depth] = false;
    if (key) {
        put_escaped(j->f, key);
        fputs(": ", j->f);
    }
}

static void container_open(struct aj *j, const char *key, char c, bool inl)
{
    member(j, key);
    fputc(c, j->f);
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
    fputc(c, j->f);
    if (j->depth == 0)
        fputc('\n', j->f);
}

void aj_obj_begin(struct aj *j, const char *key) { container_open(j, key, '{', false); }
void aj_obj_end(struct aj *j) { container_close(j, '}'); }
void aj_arr_begin(struct aj *j, const char *key) { container_open(j, key, '[', false); }
void aj_arr_begin_inline(struct aj *j, const char *key) { container_open(j, key, '[', true); }
void aj_arr_end(struct aj *j) { container_close(j, ']'); }

void aj_str(struct aj *j, const char *key, const char *val)
{
    member(j, key);
    put_escaped(j->f, val ? val : "");
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
    fwrite(digits + sizeof digits - n, 1, n, j->f);
}

void aj_bool(struct aj *j, const char *key, bool val)
{
    member(j, key);
    fputs(val ? "true" : "false", j->f);
}

void aj_null(struct aj *j, const char *key)
{
    member(j, key);
    fputs("null", j->f);
}
