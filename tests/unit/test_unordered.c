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

/* A new temporary file, its path in path (static). */
static FILE *temporary(const char **name)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/retain-unordered-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    *name = path;
    return f;
}

/* Writes the export to a temporary file; returns its path (static). */
static const char *write_export(const shape *sh, unsigned seed)
{
    const char *path;
    FILE *f = temporary(&path);
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

static const char *fail_id; /* the callback fails on this customer */

static retain_status keep_or_fail(const retain_row *row, void *user, retain_diag *diag)
{
    if (fail_id && row->id_len == strlen(fail_id) && memcmp(row->id, fail_id, row->id_len) == 0) {
        diag->status = RETAIN_ERR_DATA;
        diag->line = row->line;
        snprintf(diag->message, sizeof diag->message, "the callback refuses %s", fail_id);
        return RETAIN_ERR_DATA;
    }
    return keep(row, user, diag);
}

/* Reads a file with its Plan column as the extra one. */
static void read_with(const char *path, retain_reader_options opt, outcome *o)
{
    memset(o, 0, sizeof *o);
    static const char *const extra[] = {"Plan"};
    opt.extra = extra;
    opt.n_extra = 1;
    retain_diag diag;
    retain_reader *r = retain_reader_new(&opt, &diag);
    assert_non_null(r);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    o->status = retain_reader_read(r, in, keep_or_fail, o, &o->diag);
    o->skipped = retain_reader_skipped(r, o->skipped_lines, 8);
    const retain_diag *fs = retain_reader_first_skip(r);
    if (fs) {
        o->first_skip = *fs;
        o->has_first_skip = true;
    }
    fclose(in);
    retain_reader_free(r);
}

static void read_export(const char *path, const shape *sh, bool unordered, bool skip_bad,
                        outcome *o)
{
    retain_reader_options opt = {
        .delimiter = sh->delim, .skip_bad = skip_bad, .unordered = unordered};
    read_with(path, opt, o);
}

static void outcome_free(outcome *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->rows[i]);
    free(o->rows);
    free(o->line);
}

static size_t stolen_rows; /* over the whole run: the chunks were exercised */

/* The reader's error that an unordered read may return instead of a
 * callback's own earlier error (retain/reader.h: a callback's error on a
 * row it was not handed yet cannot be known when the reader's turns up
 * first, in a chunk from the end; which comes first is timing). NULL: the
 * outcomes must be equal. */
static const char *unordered_may_say;

static void same_outcome(outcome *a, outcome *b)
{
    if (unordered_may_say && a->status != RETAIN_OK && b->status == RETAIN_ERR_DATA &&
        strstr(b->diag.message, unordered_may_say))
        return;
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
    {256, 16, 0, 200, true, 0},
    {300, 8, 0, 97, true, 0},
    {1000, 64, 0, 1024, true, 0},
    {512, 32, 0, 4096, false, 0},
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

/* Streams the export at path whole (its 2000 rows and header), chunks
 * taken or not; whether the producer lowered its priority. */
static bool stream_yielded(const char *path, bool steal)
{
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    rt_csvstream *s = rt_csvstream_start(in, ',', NULL);
    assert_non_null(s);
    if (steal)
        rt_csvstream_allow_steal(s);
    size_t records = 0;
    for (const rt_batch *b; (b = rt_csvstream_next(s)); rt_csvstream_release(s, b))
        records += b->nrec;
    assert_int_equal(rt_csvstream_stop(s, NULL), RETAIN_OK);
    assert_int_equal(records, 2001); /* and the header */
    bool yielded = rt_csvstream_yielded(s);
    rt_csvstream_free(s);
    fclose(in);
    return yielded;
}

/* The producer lowers its priority once chunks may be stolen, and only
 * then (rt_csvstream_tuning.producer_nice); the records are the same. */
static void test_producer_yields_when_chunks_may_be_stolen(void **state)
{
    (void)state;
    shape sh = {',', false, false, false, QUOTE_NONE, 2000, BAD_NONE, {-1, -1, -1}};
    const char *path = write_export(&sh, 11);
    rt_csvstream_tuning saved = rt_csvstream_tune;
    /* 16 records a batch: the producer waits for the consumer long
     * before the end of the file, so it sees the consumer's word */
    rt_csvstream_tune = (rt_csvstream_tuning){4096, 16, 0, 1024, false, 3};
    assert_false(stream_yielded(path, false));
    assert_true(stream_yielded(path, true));
    rt_csvstream_tune.producer_nice = 0; /* none asked: none taken */
    assert_false(stream_yielded(path, true));
    rt_csvstream_tune = saved;
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

/* ---- totals and segment caps ------------------------------------------- */

/* A customer table with an mrr column: rows of 10.00 on plans Basic and
 * Pro, except the rows listed, which are as their kind says. */
enum special { SP_BIG, SP_BAD_DATE, SP_UNCLOSED, SP_NEW_PLAN, SP_FAIL };

typedef struct {
    int row;
    enum special kind;
} special_row;

static const char *write_table(char delim, int rows, const char *amount, const special_row *sp,
                               size_t nsp)
{
    const char *path;
    FILE *f = temporary(&path);
    fprintf(f, "customer_id%cstart_date%cend_date%cmrr%cplan\n", delim, delim, delim, delim);
    for (int r = 0; r < rows; r++) {
        const char *mrr = amount, *start = "2023-03-01", *plan = r % 2 ? "Basic" : "Pro";
        char own[16];
        for (size_t i = 0; i < nsp; i++) {
            if (sp[i].row != r)
                continue;
            if (sp[i].kind == SP_BIG)
                mrr = "4000000000000";
            else if (sp[i].kind == SP_BAD_DATE)
                start = "2023-02-30";
            else if (sp[i].kind == SP_UNCLOSED)
                plan = "\"Pro";
            else if (sp[i].kind == SP_NEW_PLAN)
                plan = (snprintf(own, sizeof own, "P%d", r), own);
        }
        fprintf(f, "C%05d%c%s%c%c%s%c%s\n", r, delim, start, delim, delim, mrr, delim, plan);
    }
    assert_int_equal(fclose(f), 0);
    return path;
}

static void read_table(const char *path, char delim, bool unordered, size_t max_segments,
                       outcome *o)
{
    retain_reader_options opt = {
        .delimiter = delim, .max_segments = max_segments, .unordered = unordered};
    read_with(path, opt, o);
}

/* Reads the table in order, then unordered with every tuning, and checks
 * they agree; returns the ordered read's status, line and message
 * (static). */
static const retain_diag *check_table(const char *path, char delim, size_t max_segments,
                                      bool chunks)
{
    static retain_diag first;
    rt_csvstream_tuning saved = rt_csvstream_tune;
    outcome a, b;
    read_table(path, delim, false, max_segments, &a);
    first = a.diag;
    first.status = a.status;
    size_t back = 0;
    for (size_t t = 0; t < sizeof tunings / sizeof tunings[0]; t++) {
        rt_csvstream_tune = tunings[t];
        for (int rep = 0; rep < 3; rep++) {
            read_table(path, delim, true, max_segments, &b);
            back += b.back;
            same_outcome(&a, &b);
            outcome_free(&b);
        }
        rt_csvstream_tune = saved;
    }
    if (chunks)
        assert_true(back > 0); /* chunks were taken from the end */
    outcome_free(&a);
    return &first;
}

#define OVERFLOW_MSG "the amounts add up to more than 9223372036854.775807 by this row"

static void expect(const retain_diag *d, unsigned long line, const char *message)
{
    assert_int_equal(d->status, RETAIN_ERR_DATA);
    assert_int_equal(d->line, line);
    assert_non_null(strstr(d->message, message));
}

/* Amounts whose total overflows: three rows of 4e12 (two fit). The row
 * named is the third in the file, wherever the rows that came first to
 * the callback were; the chunks from the end come first. */
static void test_total_overflows_anywhere(void **state)
{
    (void)state;
    const int at[][3] = {
        {290, 295, 298}, /* all in chunks from the end */
        {10, 20, 290},   /* the third in a chunk, passed in the producer's part */
        {10, 280, 290},  /* one in the producer's part, two in chunks */
        {10, 20, 30},    /* all in the producer's part */
        {150, 151, 152}, /* where the parts meet */
    };
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        special_row sp[] = {{at[i][0], SP_BIG}, {at[i][1], SP_BIG}, {at[i][2], SP_BIG}};
        const char *path = write_table(',', 300, "10.00", sp, 3);
        expect(check_table(path, ',', 0, true), (unsigned long)at[i][2] + 2, OVERFLOW_MSG);
        unlink(path);
    }
    /* a fourth amount in the producer's part: the first three are read
     * after the chunk with the fourth, the error is on the third */
    special_row sp[] = {{10, SP_BIG}, {20, SP_BIG}, {30, SP_BIG}, {290, SP_BIG}};
    const char *path = write_table(',', 300, "10.00", sp, 4);
    expect(check_table(path, ',', 0, true), 32, OVERFLOW_MSG);
    unlink(path);
}

/* The first problem in the file wins, over an overflow after it and under
 * one before it: a bad date, an unclosed quote, a row the callback
 * refuses. */
static void test_first_problem_wins_over_overflow(void **state)
{
    (void)state;
    const struct {
        special_row sp[4];
        unsigned long line;
        const char *message;
    } cases[] = {
        {{{150, SP_BAD_DATE}, {280, SP_BIG}, {290, SP_BIG}, {295, SP_BIG}}, 152, "no such day"},
        {{{297, SP_BAD_DATE}, {280, SP_BIG}, {290, SP_BIG}, {295, SP_BIG}}, 297, OVERFLOW_MSG},
        {{{285, SP_BAD_DATE}, {10, SP_BIG}, {20, SP_BIG}, {295, SP_BIG}}, 287, "no such day"},
        {{{296, SP_BAD_DATE}, {10, SP_BIG}, {20, SP_BIG}, {295, SP_BIG}}, 297, OVERFLOW_MSG},
        {{{150, SP_UNCLOSED}, {280, SP_BIG}, {290, SP_BIG}, {295, SP_BIG}}, 152, "never closed"},
        {{{296, SP_UNCLOSED}, {10, SP_BIG}, {20, SP_BIG}, {295, SP_BIG}}, 297, OVERFLOW_MSG},
        {{{285, SP_FAIL}, {10, SP_BIG}, {20, SP_BIG}, {295, SP_BIG}}, 287, "callback refuses"},
        {{{296, SP_FAIL}, {10, SP_BIG}, {20, SP_BIG}, {295, SP_BIG}}, 297, OVERFLOW_MSG},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char id[16];
        snprintf(id, sizeof id, "C%05d", cases[i].sp[0].row);
        fail_id = cases[i].sp[0].kind == SP_FAIL ? id : NULL;
        unordered_may_say = fail_id ? OVERFLOW_MSG : NULL;
        const char *path = write_table(',', 300, "10.00", cases[i].sp, 4);
        expect(check_table(path, ',', 0, true), cases[i].line, cases[i].message);
        unlink(path);
    }
    fail_id = NULL;
    unordered_may_say = NULL;
}

/* --by's cap on segments: the row named has the first value past the cap
 * in the file's order. Basic and Pro, then P10 (the third), P290 ... */
static void test_segment_cap_in_file_order(void **state)
{
    (void)state;
    const char *cap = "more than 3 distinct values";
    special_row a[] = {{10, SP_NEW_PLAN}, {290, SP_NEW_PLAN}, {295, SP_NEW_PLAN}};
    const char *path = write_table(',', 300, "10.00", a, 3);
    expect(check_table(path, ',', 3, true), 292, cap);
    unlink(path);
    special_row b[] = {{280, SP_NEW_PLAN}, {290, SP_NEW_PLAN}, {10, SP_BAD_DATE}};
    path = write_table(',', 300, "10.00", b, 3);
    expect(check_table(path, ',', 3, true), 12, "no such day");
    unlink(path);
    special_row c[] = {{5, SP_NEW_PLAN}, {6, SP_NEW_PLAN}, {7, SP_NEW_PLAN}};
    path = write_table(',', 300, "10.00", c, 3);
    expect(check_table(path, ',', 3, false), 8, cap); /* before any chunk */
    unlink(path);
    path = write_table(',', 300, "10.00", c, 3);
    const retain_diag *d = check_table(path, ',', 10, true); /* within the cap */
    assert_int_equal(d->status, RETAIN_OK);
    unlink(path);
}

/* A semicolon file without --decimal: the first amount tells the
 * separator for the file, then chunks are taken. */
static void test_decimal_comma_told_then_chunks(void **state)
{
    (void)state;
    const char *path = write_table(';', 300, "10,50", NULL, 0);
    assert_int_equal(check_table(path, 0, 0, true)->status, RETAIN_OK);
    unlink(path);
    special_row sp[] = {{280, SP_BIG}, {290, SP_BIG}, {295, SP_BIG}};
    path = write_table(';', 300, "10,50", sp, 3);
    expect(check_table(path, 0, 0, true), 297, OVERFLOW_MSG);
    unlink(path);
}

/* A table in two files: the total is the table's. 8e12 in the first file
 * fits; the second's 4e12 on row 290 passes it, in any order. */
static void read_two(const char *first, const char *second, bool unordered, outcome *o)
{
    memset(o, 0, sizeof *o);
    retain_reader_options opt = {.unordered = unordered};
    retain_diag diag;
    retain_reader *r = retain_reader_new(&opt, &diag);
    assert_non_null(r);
    const char *files[] = {first, second};
    for (int i = 0; i < 2; i++) {
        FILE *in = fopen(files[i], "rb");
        assert_non_null(in);
        o->status = retain_reader_read(r, in, keep, o, &o->diag);
        fclose(in);
        if (i == 0)
            assert_int_equal(o->status, RETAIN_OK);
    }
    retain_reader_free(r);
}

static void test_total_over_the_tables_files(void **state)
{
    (void)state;
    special_row a[] = {{10, SP_BIG}, {20, SP_BIG}}, b[] = {{290, SP_BIG}};
    char first[64];
    snprintf(first, sizeof first, "%s", write_table(',', 300, "10.00", a, 2));
    const char *second = write_table(',', 300, "10.00", b, 1);
    outcome o, u;
    read_two(first, second, false, &o);
    expect(&o.diag, 292, OVERFLOW_MSG);
    rt_csvstream_tuning saved = rt_csvstream_tune;
    for (size_t t = 0; t < sizeof tunings / sizeof tunings[0]; t++) {
        rt_csvstream_tune = tunings[t];
        read_two(first, second, true, &u);
        same_outcome(&o, &u);
        outcome_free(&u);
    }
    rt_csvstream_tune = saved;
    outcome_free(&o);
    unlink(first);
    unlink(second);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dialects_without_errors),
        cmocka_unit_test(test_bad_rows_everywhere),
        cmocka_unit_test(test_small_file_reads_in_order),
        cmocka_unit_test(test_duplicates_same_in_any_order),
        cmocka_unit_test(test_total_overflows_anywhere),
        cmocka_unit_test(test_first_problem_wins_over_overflow),
        cmocka_unit_test(test_segment_cap_in_file_order),
        cmocka_unit_test(test_decimal_comma_told_then_chunks),
        cmocka_unit_test(test_total_over_the_tables_files),
        cmocka_unit_test(test_producer_yields_when_chunks_may_be_stolen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
