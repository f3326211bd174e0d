/* The table writer: CSV, TSV, JSON and aligned text, with deferred output. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <retain/number.h>
#include <retain/output.h>

#include "internal.h"

/* Past this much buffered output a deferred writer spills to a temporary
 * file, so memory stays flat whatever the table's size. */
#define SPILL_AT (4u << 20)
#define FLUSH_AT (64u << 10)

enum cell_kind { CELL_TEXT, CELL_NUMBER, CELL_EMPTY };

struct retain_writer {
    FILE *out;
    retain_format format;
    bool deferred;
    bool excel_safe; /* RETAIN_WRITER_EXCEL_SAFE */
    size_t ncols;
    char **columns;
    size_t col;          /* cells written in the current row */
    size_t rows;         /* rows ended */
    retain_status error; /* the first failure; sticky: every later call returns it */
    int saved_errno;     /* errno of a write failure */
    rt_buf buf;          /* rendered output not yet written */
    FILE *spill;         /* deferred output past SPILL_AT */
    /* TABLE: every cell, kept to measure the columns */
    rt_buf cells;        /* NUL-separated cell texts */
    unsigned char *kind; /* per cell */
    size_t ncells, kind_cap;
    size_t *width;
    bool *numeric; /* column holds numbers only */
};

bool retain_format_parse(const char *name, retain_format *out)
{
    static const char *const names[] = {"csv", "tsv", "json", "table"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (retain_format)i;
            return true;
        }
    }
    return false;
}

static void fail_io(retain_writer *w)
{
    if (w->error == RETAIN_OK) {
        w->error = RETAIN_ERR_IO;
        w->saved_errno = errno ? errno : EIO;
    }
}

/* Keeps the first failure. */
static retain_status sticky(retain_writer *w, retain_status st)
{
    if (w->error == RETAIN_OK)
        w->error = st;
    return w->error;
}

/* Moves buffered bytes to out, or to the spill file when deferred. */
static void drain(retain_writer *w, bool final)
{
    if (w->buf.len == 0 || w->error != RETAIN_OK)
        return;
    FILE *to = w->out;
    if (w->deferred && !final) {
        if (!w->spill) {
            w->spill = tmpfile();
            if (!w->spill) {
                if (errno == ENOMEM)
                    sticky(w, RETAIN_ERR_NOMEM); /* the FILE, not the disk */
                else
                    fail_io(w);
                return;
            }
        }
        to = w->spill;
    }
    if (fwrite(w->buf.data, 1, w->buf.len, to) != w->buf.len)
        fail_io(w);
    w->buf.len = 0;
}

static retain_status put(retain_writer *w, const void *data, size_t len)
{
    if (w->buf.cap - w->buf.len > len) { /* the common case, inline */
        memcpy(w->buf.data + w->buf.len, data, len);
        w->buf.len += len;
    } else if (!rt_buf_append(&w->buf, data, len)) {
        return RETAIN_ERR_NOMEM;
    }
    if (w->buf.len >= (w->deferred ? SPILL_AT : FLUSH_AT))
        drain(w, false);
    return w->error;
}

static retain_status puts_(retain_writer *w, const char *s)
{
    return put(w, s, strlen(s));
}

retain_writer *retain_writer_new(FILE *out, retain_format format, const char *const *columns,
                                 size_t ncols, bool deferred)
{
    return retain_writer_open(out, format, columns, ncols, deferred ? RETAIN_WRITER_DEFERRED : 0);
}

retain_writer *retain_writer_open(FILE *out, retain_format format, const char *const *columns,
                                  size_t ncols, unsigned flags)
{
    retain_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->out = out;
    w->format = format;
    w->deferred = (flags & RETAIN_WRITER_DEFERRED) != 0;
    w->excel_safe = (flags & RETAIN_WRITER_EXCEL_SAFE) != 0 &&
                    (format == RETAIN_FORMAT_CSV || format == RETAIN_FORMAT_TSV);
    w->ncols = ncols;
    w->columns = calloc(ncols ? ncols : 1, sizeof *w->columns);
    w->width = calloc(ncols ? ncols : 1, sizeof *w->width);
    w->numeric = calloc(ncols ? ncols : 1, sizeof *w->numeric);
    if (!w->columns || !w->width || !w->numeric)
        goto nomem;
    for (size_t i = 0; i < ncols; i++) {
        w->columns[i] = strdup(columns[i]);
        if (!w->columns[i])
            goto nomem;
        w->numeric[i] = true;
    }
    /* The header goes through the same path as cells. */
    if (format == RETAIN_FORMAT_CSV || format == RETAIN_FORMAT_TSV ||
        format == RETAIN_FORMAT_TABLE) {
        for (size_t i = 0; i < ncols; i++) {
            if (retain_writer_text(w, columns[i], strlen(columns[i])) != RETAIN_OK)
                goto nomem;
        }
        if (retain_writer_end_row(w) != RETAIN_OK)
            goto nomem;
        w->rows = 0;
        if (format == RETAIN_FORMAT_TABLE)
            for (size_t i = 0; i < ncols; i++)
                w->numeric[i] = true; /* the header does not decide alignment */
    } else if (format == RETAIN_FORMAT_JSON) {
        if (puts_(w, "[") != RETAIN_OK)
            goto nomem;
    }
    return w;
nomem:
    retain_writer_free(w);
    return NULL;
}

/* Whether a text cell is a plain decimal: an optional sign, digits, at
 * most one '.' between digits (-5.00, +3, 12). A spreadsheet reads it as
 * the number it is, never as a formula. */
static bool plain_decimal(const char *s, size_t len)
{
    size_t i = len > 0 && (s[0] == '-' || s[0] == '+');
    size_t digits = 0, dots = 0;
    for (; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '.' && digits > 0 && dots == 0 && i + 1 < len)
            dots++;
        else
            return false;
    }
    return digits > 0;
}

/* Whether a spreadsheet could take a text cell for a formula (OWASP's
 * list of first characters). */
static bool formula_like(const char *s, size_t len)
{
    return len > 0 && memchr("=+-@\t\r", s[0], 6) && !plain_decimal(s, len);
}

static retain_status csv_cell(retain_writer *w, const char *s, size_t len, bool tick)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        retain_status st = tick ? put(w, "'", 1) : RETAIN_OK;
        return st == RETAIN_OK ? put(w, s, len) : st;
    }
    retain_status st = put(w, tick ? "\"'" : "\"", tick ? 2 : 1);
    size_t from = 0;
    for (size_t i = 0; i < len && st == RETAIN_OK; i++) {
        if (s[i] == '"') {
            st = put(w, s + from, i + 1 - from); /* the quote, then its double */
            from = i;
        }
    }
    if (st == RETAIN_OK)
        st = put(w, s + from, len - from);
    return st == RETAIN_OK ? put(w, "\"", 1) : st;
}

static retain_status tsv_cell(retain_writer *w, const char *s, size_t len, bool tick)
{
    /* TSV cannot hold tabs or newlines: escape them as \t \n \r and \\. */
    size_t from = 0;
    retain_status st = tick ? put(w, "'", 1) : RETAIN_OK;
    for (size_t i = 0; i < len && st == RETAIN_OK; i++) {
        const char *esc = s[i] == '\t'   ? "\\t"
                          : s[i] == '\n' ? "\\n"
                          : s[i] == '\r' ? "\\r"
                          : s[i] == '\\' ? "\\\\"
                                         : NULL;
        if (esc) {
            st = put(w, s + from, i - from);
            if (st == RETAIN_OK)
                st = put(w, esc, 2);
            from = i + 1;
        }
    }
    return st == RETAIN_OK ? put(w, s + from, len - from) : st;
}

static retain_status json_string(retain_writer *w, const char *s, size_t len)
{
    retain_status st = put(w, "\"", 1);
    size_t from = 0;
    for (size_t i = 0; i < len && st == RETAIN_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"' || c == '\\') {
            char esc[8];
            if (c == '"' || c == '\\')
                esc[0] = '\\', esc[1] = (char)c, esc[2] = '\0';
            else if (c == '\n')
                strcpy(esc, "\\n");
            else if (c == '\t')
                strcpy(esc, "\\t");
            else if (c == '\r')
                strcpy(esc, "\\r");
            else
                snprintf(esc, sizeof esc, "\\u%04x", c);
            st = put(w, s + from, i - from);
            if (st == RETAIN_OK)
                st = puts_(w, esc);
            from = i + 1;
        }
    }
    if (st == RETAIN_OK)
        st = put(w, s + from, len - from);
    return st == RETAIN_OK ? put(w, "\"", 1) : st;
}

static retain_status table_keep(retain_writer *w, const char *s, size_t len, enum cell_kind k)
{
    if (w->ncells == w->kind_cap) {
        size_t cap = w->kind_cap ? 2 * w->kind_cap : 256;
        unsigned char *p = realloc(w->kind, cap);
        if (!p)
            return RETAIN_ERR_NOMEM;
        w->kind = p;
        w->kind_cap = cap;
    }
    if (!rt_buf_reserve(&w->cells, len + 1))
        return RETAIN_ERR_NOMEM;
    memcpy(w->cells.data + w->cells.len, s, len);
    w->cells.len += len;
    w->cells.data[w->cells.len++] = '\0';
    w->kind[w->ncells++] = (unsigned char)k;
    /* display width: count UTF-8 lead bytes */
    size_t width = 0;
    for (size_t i = 0; i < len; i++)
        width += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (width > w->width[w->col])
        w->width[w->col] = width;
    if (k == CELL_TEXT)
        w->numeric[w->col] = false;
    return RETAIN_OK;
}

/* Copies a cell's bytes: fixed-size moves the compiler inlines for the
 * short cells tables are made of, memcpy past 16 bytes. */
static inline void copy_cell(char *to, const char *from, size_t len)
{
    if (len >= 8 && len <= 16) {
        memcpy(to, from, 8);
        memcpy(to + len - 8, from + len - 8, 8);
    } else if (len >= 4 && len < 8) {
        memcpy(to, from, 4);
        memcpy(to + len - 4, from + len - 4, 4);
    } else if (len < 4) {
        for (size_t i = 0; i < len; i++)
            to[i] = from[i];
    } else {
        memcpy(to, from, len);
    }
}

/* Whether a CSV or TSV cell goes out as it is: nothing to quote or
 * escape, no ' to put before it. */
static inline bool plain_cell(const retain_writer *w, const char *s, size_t len, enum cell_kind k)
{
    if (w->excel_safe && k == CELL_TEXT && formula_like(s, len))
        return false;
    if (w->format == RETAIN_FORMAT_CSV) {
        for (size_t i = 0; i < len; i++)
            if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
                return false;
    } else {
        for (size_t i = 0; i < len; i++)
            if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\\')
                return false;
    }
    return true;
}

static retain_status cell(retain_writer *w, const char *s, size_t len, enum cell_kind k)
{
    if (w->col >= w->ncols)
        return RETAIN_ERR_USAGE;
    retain_status st = RETAIN_OK;
    if ((w->format == RETAIN_FORMAT_CSV || w->format == RETAIN_FORMAT_TSV) &&
        w->buf.cap - w->buf.len > len + 1 && plain_cell(w, s, len, k)) {
        /* the common case, in place: the separator and the bytes */
        char *to = w->buf.data + w->buf.len;
        if (w->col > 0)
            *to++ = w->format == RETAIN_FORMAT_CSV ? ',' : '\t';
        copy_cell(to, s, len);
        w->buf.len = (size_t)(to + len - w->buf.data);
        w->col++;
        if (w->buf.len >= (w->deferred ? SPILL_AT : FLUSH_AT))
            drain(w, false);
        return w->error;
    }
    switch (w->format) {
    case RETAIN_FORMAT_CSV:
    case RETAIN_FORMAT_TSV:
        if (w->col > 0)
            st = put(w, w->format == RETAIN_FORMAT_CSV ? "," : "\t", 1);
        if (st == RETAIN_OK) {
            bool tick = w->excel_safe && k == CELL_TEXT && formula_like(s, len);
            st = w->format == RETAIN_FORMAT_CSV ? csv_cell(w, s, len, tick)
                                                : tsv_cell(w, s, len, tick);
        }
        break;
    case RETAIN_FORMAT_JSON:
        st = puts_(w, w->col == 0 ? (w->rows == 0 ? "\n{" : ",\n{") : ",");
        if (st == RETAIN_OK)
            st = json_string(w, w->columns[w->col], strlen(w->columns[w->col]));
        if (st == RETAIN_OK)
            st = put(w, ":", 1);
        if (st == RETAIN_OK)
            st = k == CELL_TEXT    ? json_string(w, s, len)
                 : k == CELL_EMPTY ? puts_(w, "null")
                                   : put(w, s, len);
        break;
    case RETAIN_FORMAT_TABLE:
        st = table_keep(w, s, len, k);
        break;
    }
    w->col++;
    return st;
}

retain_status retain_writer_text(retain_writer *w, const char *text, size_t len)
{
    return w->error != RETAIN_OK ? w->error : sticky(w, cell(w, text, len, CELL_TEXT));
}

retain_status retain_writer_number(retain_writer *w, const char *number)
{
    return w->error != RETAIN_OK ? w->error
                                 : sticky(w, cell(w, number, strlen(number), CELL_NUMBER));
}

retain_status retain_writer_real(retain_writer *w, double value, int decimals)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    if (!retain_format_real(value, decimals, buf))
        return retain_writer_empty(w);
    return retain_writer_number(w, buf);
}

retain_status retain_writer_int(retain_writer *w, int64_t value)
{
    if (w->error != RETAIN_OK)
        return w->error;
    char buf[24];
    size_t i = sizeof buf;
    uint64_t v = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    if (value < 0)
        buf[--i] = '-';
    return sticky(w, cell(w, buf + i, sizeof buf - i, CELL_NUMBER));
}

retain_status retain_writer_empty(retain_writer *w)
{
    return w->error != RETAIN_OK ? w->error : sticky(w, cell(w, "", 0, CELL_EMPTY));
}

static retain_status end_row(retain_writer *w)
{
    if (w->col != w->ncols)
        return RETAIN_ERR_USAGE;
    retain_status st = RETAIN_OK;
    if (w->format == RETAIN_FORMAT_CSV || w->format == RETAIN_FORMAT_TSV)
        st = put(w, "\n", 1);
    else if (w->format == RETAIN_FORMAT_JSON)
        st = put(w, "}", 1);
    w->col = 0;
    w->rows++;
    return st;
}

retain_status retain_writer_end_row(retain_writer *w)
{
    return w->error != RETAIN_OK ? w->error : sticky(w, end_row(w));
}

retain_status retain_writer_status(const retain_writer *w)
{
    return w->error;
}

/* Blanks are held back until text follows them: no line ends in blanks. */
static retain_status table_pad(retain_writer *w, size_t *pending)
{
    retain_status st = RETAIN_OK;
    for (; *pending > 0 && st == RETAIN_OK; (*pending)--)
        st = put(w, " ", 1);
    return st;
}

static retain_status table_render(retain_writer *w)
{
    const char *p = w->cells.data;
    retain_status st = RETAIN_OK;
    size_t pending = 0;
    for (size_t i = 0; i < w->ncells && st == RETAIN_OK; i++) {
        size_t c = i % w->ncols, len = strlen(p), width = 0;
        for (size_t k = 0; k < len; k++)
            width += ((unsigned char)p[k] & 0xC0) != 0x80;
        size_t pad = w->width[c] - width;
        bool right = w->numeric[c]; /* numbers, and their headers, align right */
        if (right)
            pending += pad;
        if (len > 0) {
            st = table_pad(w, &pending);
            if (st == RETAIN_OK)
                st = put(w, p, len);
        }
        if (!right)
            pending += pad;
        if (c + 1 == w->ncols) {
            pending = 0;
            if (st == RETAIN_OK)
                st = put(w, "\n", 1);
        } else {
            pending += 2;
        }
        p += len + 1;
    }
    return st;
}

retain_status retain_writer_finish(retain_writer *w)
{
    if (w->error == RETAIN_OK) {
        retain_status st = RETAIN_OK;
        if (w->format == RETAIN_FORMAT_JSON)
            st = puts_(w, w->rows ? "\n]\n" : "]\n");
        else if (w->format == RETAIN_FORMAT_TABLE)
            st = table_render(w);
        sticky(w, st);
    }
    if (w->spill && w->error == RETAIN_OK) {
        /* the spilled part first, then what is still in memory */
        char chunk[1 << 16];
        size_t n;
        rewind(w->spill);
        while ((n = fread(chunk, 1, sizeof chunk, w->spill)) > 0) {
            if (fwrite(chunk, 1, n, w->out) != n) {
                fail_io(w);
                break;
            }
        }
        if (ferror(w->spill))
            fail_io(w);
    }
    drain(w, true); /* nothing after a failure: a table is whole or not written */
    errno = 0;
    if (fflush(w->out) != 0 || ferror(w->out))
        fail_io(w);
    if (w->error == RETAIN_ERR_IO)
        errno = w->saved_errno;
    return w->error;
}

void retain_writer_free(retain_writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; w->columns && i < w->ncols; i++)
        free(w->columns[i]);
    free(w->columns);
    free(w->width);
    free(w->numeric);
    free(w->kind);
    rt_buf_free(&w->cells);
    rt_buf_free(&w->buf);
    if (w->spill)
        fclose(w->spill);
    free(w);
}
