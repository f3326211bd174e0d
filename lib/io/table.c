/* Small CSV tables in memory, on csvstream; and a header peek for stdin. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <retain/reader.h>
#include <retain/table.h>

#include "csvstream.h"
#include "internal.h"

struct retain_table {
    rt_buf bytes; /* every cell, each followed by a NUL */
    size_t *off;  /* cell offsets, row-major, header first */
    size_t ncells, cap;
    unsigned long *line; /* per record, header first */
    size_t nrec, line_cap;
    size_t ncols;
    char delimiter;
};

bool retain_same_name(const char *a, const char *b)
{
    return retain_name_equal(a, b);
}

static bool add_record(retain_table *t, const rt_batch *b, const rt_record *rec)
{
    if (t->ncells + rec->n > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 256;
        while (cap < t->ncells + rec->n)
            cap *= 2;
        size_t *off = realloc(t->off, cap * sizeof *off);
        if (!off)
            return false;
        t->off = off;
        t->cap = cap;
    }
    if (t->nrec == t->line_cap) {
        size_t cap = t->line_cap ? 2 * t->line_cap : 64;
        unsigned long *line = realloc(t->line, cap * sizeof *line);
        if (!line)
            return false;
        t->line = line;
        t->line_cap = cap;
    }
    for (uint32_t i = 0; i < rec->n; i++) {
        uint32_t f = rec->first + i;
        t->off[t->ncells++] = t->bytes.len;
        if (!rt_buf_append(&t->bytes, b->arena + b->off[f], b->len[f]) ||
            !rt_buf_append(&t->bytes, "", 1))
            return false;
    }
    t->line[t->nrec++] = rec->line;
    return true;
}

/* Checks a record of a batch; RETAIN_OK or the failure in diag. */
static retain_status take(retain_table *t, const rt_batch *b, const rt_record *rec, bool utf8,
                          retain_diag *diag)
{
    if (t->nrec == 0)
        t->ncols = rec->n;
    else if (rec->n == 1 && b->len[rec->first] == 0)
        return RETAIN_OK; /* a blank line */
    else if (rec->n != t->ncols)
        return rt_fail(diag, RETAIN_ERR_DATA, rec->line, NULL,
                       "%u field%s where the header has %zu", rec->n, rec->n == 1 ? "" : "s",
                       t->ncols);
    if (!b->ascii && utf8)
        for (uint32_t i = 0; i < rec->n; i++) {
            uint32_t f = rec->first + i;
            if (!rt_is_utf8(b->arena + b->off[f], b->len[f]))
                return rt_fail(diag, RETAIN_ERR_DATA, rec->line, NULL, "not UTF-8 text (Latin-1?)");
        }
    if (!add_record(t, b, rec))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    return RETAIN_OK;
}

/* utf8: every cell must be UTF-8 (not for a peek at a header, which the
 * reader checks later with the input's encoding). */
static retain_status table_read(FILE *in, char delimiter, bool utf8, retain_table **out,
                                retain_diag *diag)
{
    retain_diag scratch;
    if (!diag)
        diag = &scratch;
    retain_diag_clear(diag);
    *out = NULL;
    retain_table *t = calloc(1, sizeof *t);
    rt_csvstream *cs = t ? rt_csvstream_start(in, delimiter, NULL) : NULL;
    if (!cs) {
        free(t);
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    retain_status st = RETAIN_OK;
    const rt_batch *b;
    while (st == RETAIN_OK && (b = rt_csvstream_next(cs)) != NULL) {
        for (size_t i = 0; i < b->nrec && st == RETAIN_OK; i++)
            st = take(t, b, &b->rec[i], utf8, diag);
        rt_csvstream_release(cs, b);
    }
    retain_diag stream_diag;
    retain_status stream_st = rt_csvstream_stop(cs, &stream_diag);
    t->delimiter = rt_csvstream_delimiter(cs);
    rt_csvstream_free(cs);
    if (st == RETAIN_OK && stream_st != RETAIN_OK) {
        *diag = stream_diag;
        st = stream_st;
    }
    if (st == RETAIN_OK && t->nrec == 0)
        st = rt_fail(diag, RETAIN_ERR_DATA, 1, NULL, "empty input: no header line");
    if (st != RETAIN_OK) {
        if (diag->status == RETAIN_OK)
            diag->status = st;
        retain_table_free(t);
        return st;
    }
    *out = t;
    return RETAIN_OK;
}

retain_status retain_table_read(FILE *in, char delimiter, retain_table **out, retain_diag *diag)
{
    return table_read(in, delimiter, true, out, diag);
}

size_t retain_table_columns(const retain_table *t)
{
    return t->ncols;
}

const char *retain_table_name(const retain_table *t, size_t col)
{
    return t->bytes.data + t->off[col];
}

bool retain_table_find(const retain_table *t, const char *name, size_t *col)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (retain_same_name(retain_table_name(t, c), name)) {
            *col = c;
            return true;
        }
    return false;
}

size_t retain_table_rows(const retain_table *t)
{
    return t->nrec - 1;
}

const char *retain_table_cell(const retain_table *t, size_t row, size_t col, size_t *len)
{
    size_t i = (row + 1) * t->ncols + col;
    size_t end = i + 1 < t->ncells ? t->off[i + 1] : t->bytes.len;
    if (len)
        *len = end - t->off[i] - 1;
    return t->bytes.data + t->off[i];
}

unsigned long retain_table_line(const retain_table *t, size_t row)
{
    return t->line[row + 1];
}

char retain_table_delimiter(const retain_table *t)
{
    return t->delimiter;
}

void retain_table_free(retain_table *t)
{
    if (!t)
        return;
    rt_buf_free(&t->bytes);
    free(t->off);
    free(t->line);
    free(t);
}

/* ---- peek ---- */

typedef struct {
    rt_buf head; /* bytes read ahead */
    size_t pos;
    FILE *rest;
} replay;

static ssize_t replay_read(void *cookie, char *buf, size_t size)
{
    replay *r = cookie;
    if (r->pos < r->head.len) {
        size_t n = r->head.len - r->pos < size ? r->head.len - r->pos : size;
        memcpy(buf, r->head.data + r->pos, n);
        r->pos += n;
        return (ssize_t)n;
    }
    size_t n = fread(buf, 1, size, r->rest);
    return n == 0 && ferror(r->rest) ? -1 : (ssize_t)n;
}

static int replay_close(void *cookie)
{
    replay *r = cookie;
    rt_buf_free(&r->head);
    free(r);
    return 0;
}

/* Whether the bytes read hold one line, Excel's "sep=;" (csvstream reads
 * it as the delimiter's name, not a header). */
/* Blank lines before a header that retain_table_peek() skips: as many
 * bytes as the reader takes in one record. */
#define PEEK_BLANK_MAX (64u << 20)

static bool only_sep_line(const rt_buf *head)
{
    const char *p = head->data, *end = head->data + head->len;
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    if (p < end && *p == '"')
        p++;
    return end - p >= 5 && strncasecmp(p, "sep=", 4) == 0 &&
           memchr(p, '\n', (size_t)(end - p)) == end - 1;
}

FILE *retain_table_peek(FILE *in, char delimiter, retain_table **header, retain_diag *diag)
{
    *header = NULL;
    replay *r = calloc(1, sizeof *r);
    if (!r) {
        rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        return NULL;
    }
    r->rest = in;
    retain_status st = RETAIN_OK;
    /* a line at a time until the first record parses: a quoted name may
     * hold a line break. Blank lines before the header are skipped as the
     * reader skips them (kept for it, so that its line numbers hold), up
     * to PEEK_BLANK_MAX bytes of them. */
    bool blank = true; /* only blank lines so far */
    for (;;) {
        int ch;
        while ((ch = getc(in)) != EOF) {
            char c = (char)ch;
            if (!rt_buf_append(&r->head, &c, 1)) {
                st = rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
                break;
            }
            blank &= c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (c == '\n')
                break;
        }
        if (st != RETAIN_OK)
            break;
        if (ferror(in)) {
            st = rt_fail(diag, RETAIN_ERR_IO, 0, NULL, "read error");
            break;
        }
        if (blank && ch != EOF && r->head.len <= PEEK_BLANK_MAX)
            continue; /* no header yet: nothing to parse */
        if (blank && ch != EOF) {
            st = rt_fail(diag, RETAIN_ERR_DATA, 1, NULL,
                         "no header line: the first %u MiB are blank lines", PEEK_BLANK_MAX >> 20);
            break;
        }
        FILE *mem = r->head.len ? fmemopen(r->head.data, r->head.len, "r") : NULL;
        if (!mem) {
            st = r->head.len
                     ? rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory")
                     : rt_fail(diag, RETAIN_ERR_DATA, 1, NULL, "empty input: no header line");
            break;
        }
        st = table_read(mem, delimiter, false, header, diag);
        fclose(mem);
        if (st != RETAIN_OK && ch != EOF && only_sep_line(&r->head)) {
            /* Excel's sep= line: the header is the next line */
            if (diag)
                retain_diag_clear(diag);
            st = RETAIN_OK;
            continue;
        }
        size_t quotes = 0;
        for (size_t i = 0; i < r->head.len; i++)
            quotes += r->head.data[i] == '"';
        if (st == RETAIN_OK || ch == EOF || quotes % 2 == 0 || r->head.len > (1u << 20))
            break;
        /* an open quote: read on */
        retain_table_free(*header);
        *header = NULL;
        st = RETAIN_OK;
        if (diag)
            retain_diag_clear(diag);
    }
    if (st != RETAIN_OK) {
        retain_table_free(*header);
        *header = NULL;
        replay_close(r);
        return NULL;
    }
    cookie_io_functions_t io = {.read = replay_read, .close = replay_close};
    FILE *f = fopencookie(r, "r", io);
    if (!f) {
        retain_table_free(*header);
        *header = NULL;
        replay_close(r);
        rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    return f;
}
