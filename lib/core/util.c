/* Diagnostics, quoting for messages, UTF-8 checks, byte buffers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

retain_status rt_fail(retain_diag *diag, retain_status status, unsigned long line,
                      const char *column, const char *fmt, ...)
{
    if (!diag)
        return status;
    memset(diag, 0, sizeof *diag);
    diag->status = status;
    diag->line = line;
    if (column)
        snprintf(diag->column, sizeof diag->column, "%s", column);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof diag->message, fmt, ap);
    va_end(ap);
    return status;
}

void rt_hint(retain_diag *diag, const char *fmt, ...)
{
    if (!diag)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->hint, sizeof diag->hint, fmt, ap);
    va_end(ap);
}

size_t rt_utf8_valid_prefix(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0)
                return i; /* NUL is never text in an export */
            i++;
            continue;
        }
        size_t n;
        unsigned int cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (n >= len - i)
            return i; /* truncated sequence */
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        /* Overlong forms, surrogates and code points past U+10FFFF. */
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

bool rt_is_utf8(const char *text, size_t len)
{
    /* Most exports are ASCII: test eight bytes at a time for a high bit or
     * a zero byte, and validate properly only where one shows up. */
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, 8);
        uint64_t high = w & 0x8080808080808080ULL;
        uint64_t zero = (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;
        if (high | zero)
            return rt_utf8_valid_prefix(text + i, len - i) == len - i;
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == 0 || c >= 0x80)
            return rt_utf8_valid_prefix(text + i, len - i) == len - i;
    }
    return true;
}

void rt_quote(char *buf, size_t size, const char *text, size_t len)
{
    if (size < 16) {
        if (size)
            buf[0] = '\0';
        return;
    }
    const size_t limit = size - 10; /* room for \xNN, ...", NUL */
    size_t o = 0, i = 0;
    buf[o++] = '"';
    while (i < len && o < limit) {
        unsigned char c = (unsigned char)text[i];
        size_t n = 1;
        if (c >= 0x80) {
            n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (n > len - i || rt_utf8_valid_prefix(text + i, n) != n)
                n = 0; /* not valid UTF-8: escape this byte */
        }
        if (n == 0 || c < 0x20 || c == 0x7F) {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02X", c);
            i++;
        } else if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
            i++;
        } else if (o + n < limit) {
            memcpy(buf + o, text + i, n);
            o += n;
            i += n;
        } else {
            break;
        }
    }
    if (i < len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '"';
    buf[o] = '\0';
}

bool rt_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 8;
    while (n < need && n <= SIZE_MAX / 2 / size)
        n *= 2;
    if (n < need)
        return false;
    void *q = realloc(*p, n * size);
    if (q) {
        *p = q;
        *cap = n;
    }
    return q != NULL;
}

char *rt_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

bool rt_buf_reserve(rt_buf *b, size_t extra)
{
    if (b->cap - b->len >= extra)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra) {
        if (cap > (size_t)-1 / 2)
            return false;
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p)
        return false;
    b->data = p;
    b->cap = cap;
    return true;
}

bool rt_buf_append(rt_buf *b, const void *data, size_t len)
{
    if (!rt_buf_reserve(b, len + 1))
        return false;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return true;
}

void rt_buf_free(rt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void rt_trim(const char **text, size_t *len)
{
    while (*len && (**text == ' ' || **text == '\t')) {
        (*text)++;
        (*len)--;
    }
    while (*len && ((*text)[*len - 1] == ' ' || (*text)[*len - 1] == '\t'))
        (*len)--;
}
