/* json.h: a small streaming JSON writer (RFC 8259) with two-space indentation. */
#ifndef IKESCOPE_ANALYZE_JSON_H
#define IKESCOPE_ANALYZE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define AJ_MAX_DEPTH 16
#define AJ_BUFSIZE 16384

/* Output is gathered in `buf` and written to `f` when it fills, when the outermost value
 * closes, and on aj_flush: a report is made of many short tokens, and one stdio call per
 * token costs more than the formatting. */
struct aj {
    FILE *f;
    char buf[AJ_BUFSIZE];
    size_t nbuf;
    int depth;
    bool first[AJ_MAX_DEPTH];
    bool inline_array[AJ_MAX_DEPTH]; /* short scalar lists stay on one line */
};

/* `key` is the member name inside an object, NULL inside an array. */
void aj_init(struct aj *j, FILE *f);
void aj_obj_begin(struct aj *j, const char *key);
void aj_obj_end(struct aj *j);
void aj_arr_begin(struct aj *j, const char *key);
void aj_arr_begin_inline(struct aj *j, const char *key);
void aj_arr_end(struct aj *j);
void aj_str(struct aj *j, const char *key, const char *val);
void aj_uint(struct aj *j, const char *key, uint64_t val);
void aj_bool(struct aj *j, const char *key, bool val);
void aj_null(struct aj *j, const char *key);
/* Writes out what is buffered; needed before anything else writes to the same FILE. */
void aj_flush(struct aj *j);

#endif
