/* Exact physical line numbers (issue 16): in errors and in --skip-bad's
 * lists, whatever the batch boundaries, line ends and field sizes, in
 * ordered reads and in reads that take chunks from the end. Each case
 * failed before its fix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <retain/reader.h>

#include "csvstream.h"

typedef struct {
    retain_status status;
    retain_diag diag;
    unsigned long rows, skipped, skipped_lines[8];
    unsigned long last_line; /* of the last row handed over in order */
} outcome;

static retain_status count_row(const retain_row *row, void *user, retain_diag *diag)
{
    (void)diag;
    outcome *o = user;
    if (row->line)
        o->last_line = row->line;
    return RETAIN_OK;
}

static char *path_of(const char *data, size_t len)
{
    static char path[] = "/tmp/retain-lines-XXXXXX";
    strcpy(path + sizeof path - 7, "XXXXXX");
    FILE *f = fdopen(mkstemp(path), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void read_file(const char *path, bool unordered, outcome *o)
{
    memset(o, 0, sizeof *o);
    retain_reader *r =
        retain_reader_new(&(retain_reader_options){.skip_bad = true, .unordered = unordered}, NULL);
    FILE *in = fopen(path, "rb");
    assert_true(r && in);
    o->status = retain_reader_read(r, in, count_row, o, &o->diag);
    o->rows = retain_reader_rows(r);
    o->skipped = retain_reader_skipped(r, o->skipped_lines, 8);
    fclose(in);
    retain_reader_free(r);
}

/* Reads data in order, then taking chunks from the end under several
 * tunings: the same status, message and line each time, which must be
 * `line` (an error) or the first skipped line (skipped rows). */
static void expect_line(const char *data, size_t len, retain_status status, unsigned long line)
{
    static const rt_csvstream_tuning tunings[] = {
        {1u << 20, 1024, 8u << 20, 64u << 10, false, 10}, /* the defaults */
        {256, 16, 0, 200, true, 0},
        {4096, 8, 0, 1000, true, 0},
        {100000, 64, 0, 30000, true, 0},
    };
    char *path = path_of(data, len);
    rt_csvstream_tuning saved = rt_csvstream_tune;
    outcome first;
    for (size_t t = 0; t < sizeof tunings / sizeof *tunings; t++) {
        rt_csvstream_tune = tunings[t];
        for (int unordered = 0; unordered < 2; unordered++) {
            outcome o;
            read_file(path, unordered, &o);
            if (o.status != status)
                fail_msg("tuning %zu, unordered %d: status %d (%s), want %d", t, unordered,
                         o.status, o.diag.message, status);
            unsigned long got = status != RETAIN_OK ? o.diag.line : o.skipped_lines[0];
            if (status == RETAIN_OK && o.skipped == 0)
                got = 0;
            if (got != line)
                fail_msg("tuning %zu, unordered %d: line %lu, want %lu (%s)", t, unordered, got,
                         line, status != RETAIN_OK ? o.diag.message : "first skipped line");
            if (t == 0 && !unordered)
                first = o;
            else if (status != RETAIN_OK)
                assert_string_equal(o.diag.message, first.diag.message);
            else
                assert_int_equal(o.rows, first.rows);
        }
    }
    rt_csvstream_tune = saved;
    unlink(path);
}

/* A growing text, for large inputs. */
typedef struct {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void puts_(text *t, const char *s)
{
    put(t, s, strlen(s));
}

static void put_repeat(text *t, char c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(t, &c, 1);
}

/* Two records of 130 KiB each, the second alone in its batch: the record
 * after them was given the second one's line. */
static void test_records_past_batch_size(void **state)
{
    (void)state;
    text t = {0};
    puts_(&t, "id,start,end\n");
    for (int r = 0; r < 3; r++) {
        puts_(&t, "\"");
        put_repeat(&t, 'x', 130u << 10);
        puts_(&t, "\",2024-01-01,\n");
    }
    puts_(&t, "bad,2024-13-01,\n"); /* line 5 */
    puts_(&t, "ok,2024-01-01,\n");
    expect_line(t.p, t.len, RETAIN_OK, 5);
    free(t.p);
}

/* Many small records then big ones at batch boundaries, with quotes. */
static void test_batch_boundaries_with_quotes(void **state)
{
    (void)state;
    text t = {0};
    puts_(&t, "id,start,end\n");
    unsigned long line = 2;
    for (int r = 0; r < 2000; r++, line++) {
        char row[64];
        snprintf(row, sizeof row, "\"c%d\",2024-01-01,\n", r);
        puts_(&t, row);
        if (r % 700 == 699) {
            puts_(&t, "big");
            put_repeat(&t, 'y', 140u << 10);
            puts_(&t, ",2024-01-01,\n");
            line++;
        }
    }
    puts_(&t, "\"bad\",2024-02-30,\n");
    expect_line(t.p, t.len, RETAIN_OK, line);
    free(t.p);
}

/* A field over 16 MiB first in its record: reported on its own line, not
 * on the line before (no field of the record had been seen). */
static void test_huge_first_field(void **state)
{
    (void)state;
    text t = {0};
    puts_(&t, "id,start,end\na,2024-01-01,\n\n");
    put_repeat(&t, 'z', 17u << 20); /* line 4 */
    puts_(&t, ",2024-01-01,\n");
    expect_line(t.p, t.len, RETAIN_ERR_DATA, 4);
    free(t.p);
}

/* A NUL in the first 4 KiB: its own line, not line 1. */
static void test_nul_line(void **state)
{
    (void)state;
    static const char data[] = "id,start,end\r\na,2024-01-01,\r\nb\0,2024-01-01,\n";
    expect_line(data, sizeof data - 1, RETAIN_ERR_DATA, 3);
    static const char first[] = "\0id,start,end\n";
    expect_line(first, sizeof first - 1, RETAIN_ERR_DATA, 1);
}

/* Lone CRs end lines as libcsv ends records there, mixed with LF and
 * CRLF, with and without quotes. */
static void test_lone_cr_is_a_line_end(void **state)
{
    (void)state;
    static const char plain[] = "id,start,end\r\na,2024-01-01,\rb,2024-01-01,\nc,bad,\n";
    expect_line(plain, sizeof plain - 1, RETAIN_OK, 4);
    static const char quoted[] =
        "id,start,end\r\n\"a\",2024-01-01,\r\"b\rb\",2024-01-01,\r\n\rc,bad,\n";
    expect_line(quoted, sizeof quoted - 1, RETAIN_OK, 6);
    static const char mac[] = "id,start,end\ra,2024-01-01,\r\rb,bad,\r";
    expect_line(mac, sizeof mac - 1, RETAIN_OK, 4);
}

/* A CRLF cut between two blocks is one line end; a CR last in a block
 * before a record is one too. */
static void test_crlf_across_blocks(void **state)
{
    (void)state;
    text t = {0};
    puts_(&t, "id,start,end\r\n");
    unsigned long line = 2;
    for (int r = 0; r < 30000; r++, line++)
        puts_(&t, r % 3   ? "a,2024-01-01,\r\n"
                  : r % 2 ? "\"q\",2024-01-01,\r\n"
                          : "b,2024-01-01,\r");
    puts_(&t, "c,2024-01-00,\r\n");
    expect_line(t.p, t.len, RETAIN_OK, line);
    free(t.p);
}

/* A record's size is capped (64 MiB, 8 bytes more per field): a 70 MB
 * line of "a," was 35M fields and 400 MB before its field count was
 * checked. */
static void test_record_size_cap(void **state)
{
    (void)state;
    text t = {0};
    puts_(&t, "id,start,end\nok,2024-01-01,\n");
    for (int i = 0; i < (35 << 20) / 16; i++)
        puts_(&t, "a,a,a,a,a,a,a,a,");
    puts_(&t, "\n");
    char *path = path_of(t.p, t.len);
    outcome o;
    read_file(path, false, &o);
    assert_int_equal(o.status, RETAIN_ERR_DATA);
    assert_int_equal(o.diag.line, 3);
    assert_string_equal(o.diag.message, "a record longer than 64 MiB starts on this line");
    unlink(path);
    free(t.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_past_batch_size),
        cmocka_unit_test(test_batch_boundaries_with_quotes),
        cmocka_unit_test(test_huge_first_field),
        cmocka_unit_test(test_nul_line),
        cmocka_unit_test(test_lone_cr_is_a_line_end),
        cmocka_unit_test(test_crlf_across_blocks),
        cmocka_unit_test(test_record_size_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
