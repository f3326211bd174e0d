/* Helpers shared inside libretain; nothing here is exported. */
#ifndef RETAIN_INTERNAL_H
#define RETAIN_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/status.h>

/* Fills diag (when not NULL) and returns status: the one way the library
 * reports a failure. column may be NULL. */
retain_status rt_fail(retain_diag *diag, retain_status status, unsigned long line,
                      const char *column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Sets the hint of a diag already filled. */
void rt_hint(retain_diag *diag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes at most max bytes of text into buf for a message, as a C string
 * quoted "like this", with control bytes and non-UTF-8 escaped as \xNN and
 * long text cut with "...". */
void rt_quote(char *buf, size_t size, const char *text, size_t len);

/* Whether text is valid UTF-8 without NUL bytes; fast on ASCII. */
bool rt_is_utf8(const char *text, size_t len);

/* Length of the valid UTF-8 prefix of text: equals len when all is valid. */
size_t rt_utf8_valid_prefix(const char *text, size_t len);

/* Adds |amount| (millionths) to *total; false, leaving it, when the total
 * would pass INT64_MAX. While the absolute amounts added fit, every sum of
 * some of them, and every difference of two such sums one inside the
 * other, fits in a retain_money: the one check that keeps every money sum
 * of an accumulator exact (prefix sums, cohort cells, means). */
static inline bool rt_money_tally(uint64_t *total, int64_t amount)
{
    uint64_t a = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount, t;
    if (__builtin_add_overflow(*total, a, &t) || t > (uint64_t)INT64_MAX)
        return false;
    *total = t;
    return true;
}

/* Drops the spaces and tabs around text (ids are joined trimmed). */
void rt_trim(const char **text, size_t *len);

/* Growable byte buffer. */
typedef struct {
    char *data;
    size_t len, cap;
} rt_buf;

bool rt_buf_reserve(rt_buf *b, size_t extra);

/* Grows the array *p of *cap elements of size bytes to hold need, doubling
 * (from 8); false when out of memory or when the size would overflow. */
bool rt_grow(void **p, size_t *cap, size_t need, size_t size);

/* A copy of s (NULL for NULL), or NULL when out of memory. */
char *rt_strdup(const char *s);
bool rt_buf_append(rt_buf *b, const void *data, size_t len);
void rt_buf_free(rt_buf *b);

#endif
