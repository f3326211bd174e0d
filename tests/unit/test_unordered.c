/* Unordered reads (retain_reader_options.unordered): while the producer
 * thread parses the file from its start, the consumer parses chunks from
 * its end. Whatever the cut points and timing, a read must give the same
 * rows, the same first error (message and line) and the same skipped lines
 * as an ordered read. Generated exports in every dialect, with good and
 * broken rows at many positions, are read both ways with tiny blocks and
 * chunks, so that each file is cut in many places. */
#define _GNU_SOURCE /* asprintf */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <retain/lives.h>
#include <retain/reader.h>

#include "csvstream.h"

/* ---- generated exports ------------------------------------------------ */

enum quoting { QUOTE_NONE, QUOTE_SOME, QUOTE_ALL };
enum bad { BAD_NONE, BAD_DATE, BAD_END, BAD_RAGGED, BAD_EMPTY_ID, BAD_STRAY, BAD_UNCLOSED };

typedef struct {
    char delim;
    bool crlf, bom, blank_lines;
    enum quoting quoting;
    int rows;
    enum bad bad;
    int bad_at[3]; /* rows (0-based) that are bad, -1 for none */
} shape;

static void field(FILE *f, const shape *sh, bool quote, const char *v)
{
    if (!quote) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
    (void)sh;
}

static bool is_bad(const shape *sh, int row)
{
    for (int i = 0; i < 3; i++)
        if (sh->bad_at[i] == row)
            return true;
    return false;
}

/* Writes the export to a temporary file; returns its path (static). */
static const char *write_export(const shape *sh, unsigned seed)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/retain-unordered-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    const char *eol = sh->crlf ? "\r\n" : "\n";
    char d[2] = {sh->delim, 0};
    if (sh->bom)
        fputs("\xEF\xBB\xBF", f);
    fprintf(f, "Customer ID%sStart Date%sEnd Date%sPlan%s", d, d, d, eol);
    srand(seed);
    for (int r = 0; r < sh->rows; r++) {
        bool all = sh->quoting == QUOTE_ALL;
        bool bad = sh->bad != BAD_NONE && is_bad(sh, r);
        char id[32], start[16], end[16];
        snprintf(id, sizeof id, "C%05d", r);
        int y = 2019 + rand() % 5, m = 1 + rand() % 12, dd = 1 + rand() % 28;
        snprintf(start, sizeof start, "%04d-%02d-%02d", y, m, dd);
        if (rand() % 3 == 0)
            end[0] = '\0';
        else
            snprintf(end, sizeof end, "%04d-%02d-%02d", y + 1 + rand() % 2, m, dd);
        if (bad && sh->bad == BAD_DATE)
            snprintf(start, sizeof start, "%04d-02-30", y);
        if (bad && sh->bad == BAD_END)
            snprintf(end, sizeof end, "%04d-01-01", y - 1);
        if (bad && sh->bad == BAD_EMPTY_ID)
            id[0] = '\0';
        field(f, sh, all, id);
        fputs(d, f);
        field(f, sh, all, start);
        fputs(d, f);
        field(f, sh, all, end);
        fputs(d, f);
        if (bad && sh->bad == BAD_STRAY)
            fputs("Pro\"x", f);
        else if (bad && sh->bad == BAD_UNCLOSED)
            fputs("\"Pro", f);
        else if (sh->quoting == QUOTE_SOME && r % 7 == 3)
            field(f, sh, true, r % 2 ? "Pro, \"annual\"" : "Pro\nmulti-line");
        else if (sh->quoting == QUOTE_SOME && r % 11 == 5)
            field(f, sh, true, sh->crlf ? "Basic\r\nplan" : "Basic\n\nplan");
        else
            field(f, sh, all, r % 2 ? "Basic" : "Pro");
        if (bad && sh->bad == BAD_RAGGED)
            fprintf(f, "%sextra", d);
        fputs(eol, f);
        if (sh->blank_lines && r % 13 == 0)
            fputs(eol, f);
    }
    assert_int_equal(fclose(f), 0);
    return path;
}

/* ---- a read, as comparable text ---------------------------------------- */

typedef struct {
    char **rows; /* "id start end plan", sorted */
    unsigned long *line;
    size_t n, cap, front, back;
    retain_status status;
    retain_diag diag;
    unsigned long skipped, skipped_lines[8];
    retain_diag first_skip;
    bool has_first_skip;
} outcome;

static retain_status keep(const retain_row *row, void *user, retain_diag *diag)
{
    (void)diag;
    outcome *o = user;
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 256;
        o->rows = realloc(o->rows, o->cap * sizeof *o->rows);
        o->line = realloc(o->line, o->cap * sizeof *o->line);
        assert_non_null(o->rows);
        assert_non_null(o->line);
    }
    char *s = NULL;
    int len = asprintf(&s, "%.*s %d %d %.*s", (int)row->id_len, row->id, row->start,
                       row->has_end ? row->end : -1, (int)row->extra_len[0], row->extra[0]);
    assert_true(len > 0);
    o->line[o->n] = row->line;
    o->rows[o->n++] = s;
    if (row->line)
        o->front++;
    else
        o->back++;
    return RETAIN_OK;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_export(const char *path, const shape *sh, bool unordered, bool skip_bad,
                        outcome *o)
{
    memset(o, 0, sizeof *o);
    static const char *const extra[] = {"Plan"};
    retain_reader_options opt;
    memset(&opt, 0, sizeof opt);
    opt.delimiter = sh->delim;
    opt.extra = extra;
    opt.n_extra = 1;
    opt.skip_bad = skip_bad;
    opt.unordered = unordered;
    retain_diag diag;
    retain_reader *r = retain_reader_new(&opt, &diag);
    assert_non_null(r);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    o->status = retain_reader_read(r, in, keep, o, &o->diag);
    o->skipped = retain_reader_skipped(r, o->skipped_lines, 8);
    const retain_diag *fs = retain_reader_first_skip(r);
    if (fs) {
        o->first_skip = *fs;
        o->has_first_skip = true;
    }
    fclose(in);
    retain_reader_free(r);
}

static void outcome_free(outcome *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->rows[i]);
    free(o->rows);
    free(o->line);
}

static size_t stolen_rows; /* over the whole run: the chunks were exercised */

static void same_outcome(outcome *a, outcome *b)
{
    assert_int_equal(a->status, b->status);
    if (a->status != RETAIN_OK) {
        assert_string_equal(a->diag.message, b->diag.message);
        assert_int_equal(a->diag.line, b->diag.line);
        assert_string_equal(a->diag.column, b->diag.column);
        assert_string_equal(a->diag.hint, b->diag.hint);
        return; /* rows before an error may differ: they are never used */
    }
    assert_int_equal(a->skipped, b->skipped);
    for (size_t i = 0; i < a->skipped && i < 8; i++)
        assert_int_equal(a->skipped_lines[i], b->skipped_lines[i]);
    assert_int_equal(a->has_first_skip, b->has_first_skip);
    if (a->has_first_skip) {
        assert_string_equal(a->first_skip.message, b->first_skip.message);
        assert_int_equal(a->first_skip.line, b->first_skip.line);
    }
    assert_int_equal(a->n, b->n);
    /* each row of b has a's line, or 0 (taken from the end) */
    for (size_t i = 0; i < b->n; i++) {
        if (b->line[i] == 0)
            continue;
        size_t j = 0;
        while (j < a->n && strcmp(a->rows[j], b->rows[i]) != 0)
            j++;
        assert_true(j < a->n);
        assert_int_equal(a->line[j], b->line[i]);
    }
    qsort(a->rows, a->n, sizeof *a->rows, by_text);
    qsort(b->rows, b->n, sizeof *b->rows, by_text);
    for (size_t i = 0; i < a->n; i++)
        assert_string_equal(a->rows[i], b->rows[i]);
    stolen_rows += b->back;
}

static const rt_csvstream_tuning tunings[] = {
    {256, 16, 0, 200, true},
    {300, 8, 0, 97, true},
    {1000, 64, 0, 1024, true},
    {512, 32, 0, 4096, false},
};

static void check_shape(const shape *sh, unsigned seed)
{
    const char *path = write_export(sh, seed);
    rt_csvstream_tuning saved = rt_csvstream_tune;
    for (int skip = 0; skip < 2; skip++) {
        outcome a, b;
        read_export(path, sh, false, skip, &a);
        for (size_t t = 0; t < sizeof tunings / sizeof tunings[0]; t++) {
            rt_csvstream_tune = tunings[t];
            for (int rep = 0; rep < 3; rep++) {
                read_export(path, sh, true, skip, &b);
                same_outcome(&a, &b);
                outcome_free(&b);
            }
            rt_csvstream_tune = saved;
        }
        outcome_free(&a);
    }
    unlink(path);
}

/* ---- cases ------------------------------------------------------------- */

static void test_dialects_without_errors(void **state)
{
    (void)state;
    const char delims[] = {',', ';', '\t'};
    unsigned seed = 1;
    for (int q = QUOTE_NONE; q <= QUOTE_ALL; q++)
        for (int d = 0; d < 3; d++)
            for (int v = 0; v < 4; v++) {
                shape sh = {delims[d], v & 1, v & 2, v == 3, q, 400, BAD_NONE, {-1, -1, -1}};
                check_shape(&sh, seed++);
            }
    assert_true(stolen_rows > 0);
}

static void test_bad_rows_everywhere(void **state)
{
    (void)state;
    unsigned seed = 100;
    for (int bad = BAD_DATE; bad <= BAD_UNCLOSED; bad++)
        for (int q = QUOTE_NONE; q <= QUOTE_SOME; q++) {
            /* near the start, in the middle, near the end, and several */
            const int at[][3] = {{2, -1, -1}, {150, -1, -1}, {297, -1, -1}, {40, 180, 290}};
            for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
                shape sh = {',', seed & 1, false, false,
                            q,   300,      bad,   {at[i][0], at[i][1], at[i][2]}};
                check_shape(&sh, seed++);
            }
        }
}

static void test_small_file_reads_in_order(void **state)
{
    (void)state;
    /* below steal_min nothing is taken from the end */
    shape sh = {',', false, false, false, QUOTE_NONE, 50, BAD_NONE, {-1, -1, -1}};
    const char *path = write_export(&sh, 7);
    outcome o;
    read_export(path, &sh, true, false, &o);
    assert_int_equal(o.status, RETAIN_OK);
    assert_int_equal(o.n, 50);
    assert_int_equal(o.back, 0);
    outcome_free(&o);
    unlink(path);
}

/* ---- exact duplicate rows ---------------------------------------------- */

typedef struct {
    unsigned long n, line, of;
    size_t rows;
} dup_outcome;

static retain_status add_life(const retain_row *row, void *user, retain_diag *diag)
{
    (void)diag;
    return retain_lives_add_row(user, NULL, 0, NULL, 0, row);
}

static void read_dups(const char *path, bool unordered, dup_outcome *o)
{
    retain_reader_options opt;
    memset(&opt, 0, sizeof opt);
    opt.unordered = unordered;
    retain_diag diag;
    retain_reader *r = retain_reader_new(&opt, &diag);
    assert_non_null(r);
    retain_lives_options lo = {0};
    retain_lives *l = retain_lives_new(&lo);
    assert_non_null(l);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    assert_int_equal(retain_reader_read(r, in, add_life, l, &diag), RETAIN_OK);
    fclose(in);
    assert_int_equal(retain_lives_finish(l, &diag), RETAIN_OK);
    uint64_t at, of;
    o->n = retain_lives_duplicates(l, &at, &of);
    o->line = retain_reader_place_line(r, at, NULL);
    o->of = retain_reader_place_line(r, of, NULL);
    o->rows = retain_reader_rows(r);
    retain_lives_free(l);
    retain_reader_free(r);
}

/* Rows copied verbatim far apart: an unordered read, whatever its cut
 * points, finds as many duplicates as an ordered one, and names the same
 * first duplicate (file order) and the line it repeats. */
static void test_duplicates_same_in_any_order(void **state)
{
    (void)state;
    char path[] = "/tmp/retain-dups-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("customer_id,start_date,end_date,mrr,note\n", f);
    enum { ROWS = 3000 };
    char row[ROWS][80];
    for (int i = 0; i < ROWS; i++) {
        /* 40 customers; the copies: row 1500 is row 3, 2990 is 1200, 2995
         * is 3 again, 2000 is 1999 (a fan-out); 2500 differs from 2499 in
         * the note only */
        int src = i == 1500 ? 3 : i == 2990 ? 1200 : i == 2995 ? 3 : i == 2000 ? 1999 : i;
        if (src != i) {
            memcpy(row[i], row[src], sizeof row[i]);
        } else {
            int k = i == 2500 ? 2499 : i; /* 2500: row 2499 with another note */
            snprintf(row[i], sizeof row[i], "C%02d,%04d-%02d-%02d,,%d.50,%s", k % 40,
                     2000 + k / 300, 1 + k % 12, 1 + k % 28, k % 90, i == 2500 ? "b" : "a");
        }
        fprintf(f, "%s\n", row[i]);
    }
    fclose(f);
    dup_outcome a, b;
    read_dups(path, false, &a);
    assert_int_equal(a.n, 4);
    assert_int_equal(a.rows, ROWS);
    assert_int_equal(a.line, 1502); /* row 1500 on line 1502 repeats row 3 on line 5 */
    assert_int_equal(a.of, 5);
    rt_csvstream_tuning saved = rt_csvstream_tune;
    for (size_t t = 0; t < sizeof tunings / sizeof tunings[0]; t++) {
        rt_csvstream_tune = tunings[t];
        for (int rep = 0; rep < 3; rep++) {
            read_dups(path, true, &b);
            assert_int_equal(b.n, a.n);
            assert_int_equal(b.rows, a.rows);
            assert_int_equal(b.line, a.line);
            assert_int_equal(b.of, a.of);
        }
        rt_csvstream_tune = saved;
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dialects_without_errors),
        cmocka_unit_test(test_bad_rows_everywhere),
        cmocka_unit_test(test_small_file_reads_in_order),
        cmocka_unit_test(test_duplicates_same_in_any_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
