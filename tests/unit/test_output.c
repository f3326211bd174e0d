/* Unit tests for retain/output.h: the table writer in CSV, TSV, JSON and
 * text, deferred output, and write errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/output.h>

/* A cell to write: kind 't' text, 'n' number, 'i' integer, 'e' empty. */
typedef struct {
    char kind;
    const char *text;
    int64_t value;
} cell;

#define T(s)                                                                                       \
    {                                                                                              \
        't', (s), 0                                                                                \
    }
#define NUM(s)                                                                                     \
    {                                                                                              \
        'n', (s), 0                                                                                \
    }
#define I(v)                                                                                       \
    {                                                                                              \
        'i', NULL, (v)                                                                             \
    }
#define E                                                                                          \
    {                                                                                              \
        'e', NULL, 0                                                                               \
    }

static char *slurp(FILE *f, size_t *len)
{
    assert_int_equal(fflush(f), 0);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    buf[size] = '\0';
    if (len)
        *len = (size_t)size;
    return buf;
}

static long file_size(FILE *f)
{
    assert_int_equal(fflush(f), 0);
    long here = ftell(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_int_equal(fseek(f, here, SEEK_SET), 0);
    return size;
}

static void put_cell(retain_writer *w, const cell *c)
{
    retain_status st = RETAIN_OK;
    switch (c->kind) {
    case 't':
        st = retain_writer_text(w, c->text, strlen(c->text));
        break;
    case 'n':
        st = retain_writer_number(w, c->text);
        break;
    case 'i':
        st = retain_writer_int(w, c->value);
        break;
    default:
        st = retain_writer_empty(w);
        break;
    }
    assert_int_equal(st, RETAIN_OK);
}

/* Renders ncols columns and the cells, row by row, with flags
 * (retain_writer_open); returns the output. */
static char *render_flags(retain_format fmt, const char *const *cols, size_t ncols,
                          const cell *cells, size_t ncells, unsigned flags)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    retain_writer *w = retain_writer_open(f, fmt, cols, ncols, flags);
    assert_non_null(w);
    for (size_t i = 0; i < ncells; i++) {
        put_cell(w, &cells[i]);
        if ((i + 1) % ncols == 0)
            assert_int_equal(retain_writer_end_row(w), RETAIN_OK);
    }
    assert_int_equal(retain_writer_finish(w), RETAIN_OK);
    retain_writer_free(w);
    char *out = slurp(f, NULL);
    fclose(f);
    return out;
}

static char *render(retain_format fmt, const char *const *cols, size_t ncols, const cell *cells,
                    size_t ncells, bool deferred)
{
    return render_flags(fmt, cols, ncols, cells, ncells, deferred ? RETAIN_WRITER_DEFERRED : 0);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_format_names(void **state)
{
    (void)state;
    retain_format f = (retain_format)99;
    assert_true(retain_format_parse("csv", &f));
    assert_int_equal(f, RETAIN_FORMAT_CSV);
    assert_true(retain_format_parse("tsv", &f));
    assert_int_equal(f, RETAIN_FORMAT_TSV);
    assert_true(retain_format_parse("json", &f));
    assert_int_equal(f, RETAIN_FORMAT_JSON);
    assert_true(retain_format_parse("table", &f));
    assert_int_equal(f, RETAIN_FORMAT_TABLE);
    assert_false(retain_format_parse("xml", &f));
    assert_false(retain_format_parse("", &f));
}

/* ---- CSV -------------------------------------------------------------- */

static void test_csv_quoting(void **state)
{
    (void)state;
    static const char *const cols[] = {"name", "n"};
    static const cell cells[] = {
        T("a,b"),       I(5),        T("say \"hi\""), NUM("-12.50"), T("two\nlines"), E,
        T("x\ry"),      I(0),        T("plain"),      I(-7),         T(""),           I(INT64_MIN),
        T("\"leading"), NUM("1.00"),
    };
    char *out = render(RETAIN_FORMAT_CSV, cols, 2, cells, N(cells), false);
    assert_string_equal(out, "name,n\n"
                             "\"a,b\",5\n"
                             "\"say \"\"hi\"\"\",-12.50\n"
                             "\"two\nlines\",\n"
                             "\"x\ry\",0\n"
                             "plain,-7\n"
                             ",-9223372036854775808\n"
                             "\"\"\"leading\",1.00\n");
    free(out);
}

static void test_csv_header_quoting(void **state)
{
    (void)state;
    static const char *const cols[] = {"a,b", "say \"x\"", "c"};
    char *out = render(RETAIN_FORMAT_CSV, cols, 3, NULL, 0, false);
    assert_string_equal(out, "\"a,b\",\"say \"\"x\"\"\",c\n");
    free(out);
}

/* ---- --excel-safe ------------------------------------------------------ */

static const char *const excel_cols[] = {"=seg", "n"};
static const cell excel_cells[] = {
    T("=HYPERLINK(\"http://x\",\"y\")"),
    NUM("-5.00"),
    T("+cmd|' /C calc'!A0"),
    I(-7),
    T("-2+3"),
    NUM("+1"),
    T("@SUM(A1)"),
    E,
    T("\tx"),
    T("-5.00"),
    T("\rx"),
    T("+12"),
    T("a=b"),
    T("-"),
    T("-.5"),
    T("1."),
};

/* A text cell that a spreadsheet could evaluate gets a ' first (OWASP's
 * first characters); numbers, plain decimals in text and text with the
 * character elsewhere stay as they are; quoting still applies. */
static void test_excel_safe_csv(void **state)
{
    (void)state;
    char *out = render_flags(RETAIN_FORMAT_CSV, excel_cols, 2, excel_cells, N(excel_cells),
                             RETAIN_WRITER_EXCEL_SAFE);
    assert_string_equal(out, "'=seg,n\n"
                             "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-5.00\n"
                             "'+cmd|' /C calc'!A0,-7\n"
                             "'-2+3,+1\n"
                             "'@SUM(A1),\n"
                             "'\tx,-5.00\n"
                             "\"'\rx\",+12\n"
                             "a=b,'-\n"
                             "'-.5,1.\n");
    free(out);
    /* off by default: the same cells as they are */
    out = render_flags(RETAIN_FORMAT_CSV, excel_cols, 2, excel_cells, 2, 0);
    assert_string_equal(out, "=seg,n\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-5.00\n");
    free(out);
}

/* TSV gets the same '; JSON and the aligned table are no spreadsheet's
 * input and stay unchanged; deferred output too. */
static void test_excel_safe_other_formats(void **state)
{
    (void)state;
    static const char *const cols[] = {"seg", "n"};
    static const cell cells[] = {T("=1+1"), NUM("-1.50"), T("@x"), T("-4")};
    char *out = render_flags(RETAIN_FORMAT_TSV, cols, 2, cells, N(cells),
                             RETAIN_WRITER_EXCEL_SAFE | RETAIN_WRITER_DEFERRED);
    assert_string_equal(out, "seg\tn\n'=1+1\t-1.50\n'@x\t-4\n");
    free(out);
    out = render_flags(RETAIN_FORMAT_JSON, cols, 2, cells, N(cells), RETAIN_WRITER_EXCEL_SAFE);
    assert_string_equal(out,
                        "[\n{\"seg\":\"=1+1\",\"n\":-1.50},\n{\"seg\":\"@x\",\"n\":\"-4\"}\n]\n");
    free(out);
    char *plain = render_flags(RETAIN_FORMAT_TABLE, cols, 2, cells, N(cells), 0);
    out = render_flags(RETAIN_FORMAT_TABLE, cols, 2, cells, N(cells), RETAIN_WRITER_EXCEL_SAFE);
    assert_string_equal(out, plain);
    free(out);
    free(plain);
}

/* ---- TSV -------------------------------------------------------------- */

static void test_tsv_escaping(void **state)
{
    (void)state;
    static const char *const cols[] = {"a", "b"};
    static const cell cells[] = {
        T("x\ty"), T("l1\nl2"), T("back\\slash"), T("cr\r"), T("a,\"b\""), E, I(42), NUM("0.50"),
    };
    char *out = render(RETAIN_FORMAT_TSV, cols, 2, cells, N(cells), false);
    assert_string_equal(out, "a\tb\n"
                             "x\\ty\tl1\\nl2\n"
                             "back\\\\slash\tcr\\r\n"
                             "a,\"b\"\t\n"
                             "42\t0.50\n");
    free(out);
}

/* ---- JSON ------------------------------------------------------------- */

/* The text with blanks outside strings removed. */
static char *compact_json(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    assert_non_null(out);
    bool in_string = false;
    for (; *s; s++) {
        if (in_string) {
            *o++ = *s;
            if (*s == '\\' && s[1])
                *o++ = *++s;
            else if (*s == '"')
                in_string = false;
        } else if (*s == '"') {
            in_string = true;
            *o++ = *s;
        } else if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

static void test_json(void **state)
{
    (void)state;
    static const char *const cols[] = {"period", "count", "pct"};
    static const cell cells[] = {
        T("2024-01"), I(3), NUM("12.50"), T("q\"\\\x01\n\t\xc3\xa9"), I(-2), E,
        T(""),        I(0), NUM("-0.25"),
    };
    char *out = render(RETAIN_FORMAT_JSON, cols, 3, cells, N(cells), false);
    /* raw control characters never appear in the output's strings */
    for (const char *p = out; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\n');
    assert_int_equal(out[strlen(out) - 1], '\n');
    char *c = compact_json(out);
    assert_string_equal(c, "[{\"period\":\"2024-01\",\"count\":3,\"pct\":12.50},"
                           "{\"period\":\"q\\\"\\\\\\u0001\\n\\t\xc3\xa9\",\"count\":-2,"
                           "\"pct\":null},"
                           "{\"period\":\"\",\"count\":0,\"pct\":-0.25}]");
    free(c);
    free(out);
}

static void test_json_empty_and_keys(void **state)
{
    (void)state;
    static const char *const cols[] = {"a"};
    char *out = render(RETAIN_FORMAT_JSON, cols, 1, NULL, 0, false);
    char *c = compact_json(out);
    assert_string_equal(c, "[]");
    free(c);
    free(out);

    static const char *const odd[] = {"say \"x\""};
    static const cell cells[] = {I(1)};
    out = render(RETAIN_FORMAT_JSON, odd, 1, cells, 1, false);
    c = compact_json(out);
    assert_string_equal(c, "[{\"say \\\"x\\\"\":1}]");
    free(c);
    free(out);
}

/* ---- table ------------------------------------------------------------ */

/* Line k (0-based) of text, without its newline, into buf. */
static void line_of(const char *text, int k, char *buf, size_t size)
{
    const char *p = text;
    for (int i = 0; i < k; i++) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    const char *e = strchr(p, '\n');
    assert_non_null(e);
    assert_true((size_t)(e - p) < size);
    memcpy(buf, p, (size_t)(e - p));
    buf[e - p] = '\0';
}

static void test_table_alignment(void **state)
{
    (void)state;
    static const char *const cols[] = {"segment", "customers", "pct"};
    static const cell cells[] = {
        T("pro"),         I(12),  NUM("5.00"), T("enterprise"), I(3), NUM("12.50"),
        T("caf\xc3\xa9"), I(100), NUM("0.25"),
    };
    char *out = render(RETAIN_FORMAT_TABLE, cols, 3, cells, N(cells), false);
    char line[128];
    /* widths 10, 9 and 5; two blanks between columns; text left, numbers
     * right; "café" is four characters wide */
    line_of(out, 0, line, sizeof line);
    assert_memory_equal(line, "segment     customers", 21);
    assert_string_equal(line + strlen(line) - 3, "pct");
    line_of(out, 1, line, sizeof line);
    assert_string_equal(line, "pro                12   5.00");
    line_of(out, 2, line, sizeof line);
    assert_string_equal(line, "enterprise          3  12.50");
    line_of(out, 3, line, sizeof line);
    assert_string_equal(line, "caf\xc3\xa9              100   0.25");
    /* four lines and nothing else */
    int lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 4);
    assert_int_equal(out[strlen(out) - 1], '\n');
    free(out);
}

static void test_table_no_trailing_blanks(void **state)
{
    (void)state;
    static const char *const cols[] = {"n", "name", "pct"};
    static const cell cells[] = {
        I(1), T("a"), NUM("50.00"), I(22), T("bbb"), E,
    };
    char *out = render(RETAIN_FORMAT_TABLE, cols, 3, cells, N(cells), false);
    char line[128];
    line_of(out, 1, line, sizeof line);
    assert_string_equal(line, " 1  a     50.00");
    line_of(out, 2, line, sizeof line);
    assert_string_equal(line, "22  bbb"); /* an empty last cell adds no blanks */
    for (const char *p = out; *p; p++)
        if (*p == '\n' && p > out)
            assert_int_not_equal(p[-1], ' ');
    free(out);

    /* a text column last: no padding after it */
    static const char *const cols2[] = {"n", "name"};
    static const cell cells2[] = {I(1), T("a"), I(22), T("bbbbbb")};
    out = render(RETAIN_FORMAT_TABLE, cols2, 2, cells2, N(cells2), false);
    line_of(out, 1, line, sizeof line);
    assert_string_equal(line, " 1  a");
    line_of(out, 2, line, sizeof line);
    assert_string_equal(line, "22  bbbbbb");
    free(out);
}

/* ---- row shape -------------------------------------------------------- */

static void test_row_must_be_complete(void **state)
{
    (void)state;
    static const char *const cols[] = {"a", "b"};
    FILE *f = tmpfile();
    assert_non_null(f);
    retain_writer *w = retain_writer_new(f, RETAIN_FORMAT_CSV, cols, 2, false);
    assert_non_null(w);
    assert_int_equal(retain_writer_int(w, 2), RETAIN_OK);
    assert_int_equal(retain_writer_int(w, 3), RETAIN_OK);
    assert_int_equal(retain_writer_int(w, 4), RETAIN_ERR_USAGE); /* a third cell */
    retain_writer_free(w);
    fclose(f);
}

/* The first error sticks, as on a stdio stream: every later call returns
 * it, finish returns it, and nothing more reaches the stream. */
static void test_first_error_sticks(void **state)
{
    (void)state;
    static const char *const cols[] = {"a", "b"};
    FILE *f = tmpfile();
    assert_non_null(f);
    retain_writer *w = retain_writer_new(f, RETAIN_FORMAT_CSV, cols, 2, false);
    assert_non_null(w);
    assert_int_equal(retain_writer_status(w), RETAIN_OK);
    assert_int_equal(retain_writer_int(w, 1), RETAIN_OK);
    assert_int_equal(retain_writer_end_row(w), RETAIN_ERR_USAGE); /* one cell of two */
    assert_int_equal(retain_writer_status(w), RETAIN_ERR_USAGE);
    assert_int_equal(retain_writer_int(w, 2), RETAIN_ERR_USAGE);
    assert_int_equal(retain_writer_text(w, "x", 1), RETAIN_ERR_USAGE);
    assert_int_equal(retain_writer_empty(w), RETAIN_ERR_USAGE);
    assert_int_equal(retain_writer_number(w, "1.5"), RETAIN_ERR_USAGE);
    assert_int_equal(retain_writer_end_row(w), RETAIN_ERR_USAGE);
    assert_int_equal(retain_writer_finish(w), RETAIN_ERR_USAGE);
    retain_writer_free(w);
    assert_int_equal(ftell(f), 0); /* not even the header */
    fclose(f);
}

/* ---- deferred output -------------------------------------------------- */

#define BIG_ROWS 400000 /* past the few MiB a deferred writer keeps in memory */

static void write_big(retain_writer *w)
{
    char id[32];
    for (int i = 0; i < BIG_ROWS; i++) {
        int n = snprintf(id, sizeof id, "row%06d", i);
        assert_int_equal(retain_writer_text(w, id, (size_t)n), RETAIN_OK);
        assert_int_equal(retain_writer_int(w, i), RETAIN_OK);
        assert_int_equal(retain_writer_end_row(w), RETAIN_OK);
    }
}

static void test_deferred_writes_nothing_before_finish(void **state)
{
    (void)state;
    static const char *const cols[] = {"id", "n"};
    FILE *f = tmpfile();
    assert_non_null(f);
    retain_writer *w = retain_writer_new(f, RETAIN_FORMAT_CSV, cols, 2, true);
    assert_non_null(w);
    write_big(w);
    assert_int_equal(file_size(f), 0);
    assert_int_equal(retain_writer_finish(w), RETAIN_OK);
    retain_writer_free(w);

    /* then all of it, in order */
    size_t cap = (size_t)BIG_ROWS * 24 + 16, n = 0;
    char *expect = malloc(cap);
    assert_non_null(expect);
    n += (size_t)snprintf(expect + n, cap - n, "id,n\n");
    for (int i = 0; i < BIG_ROWS; i++)
        n += (size_t)snprintf(expect + n, cap - n, "row%06d,%d\n", i, i);
    size_t len;
    char *out = slurp(f, &len);
    assert_true(n > (8u << 20) / 2); /* more than 4 MiB */
    assert_int_equal(len, n);
    assert_true(memcmp(out, expect, n) == 0);
    free(out);
    free(expect);
    fclose(f);
}

static void test_deferred_without_finish_leaves_nothing(void **state)
{
    (void)state;
    static const char *const cols[] = {"id", "n"};
    static const retain_format fmts[] = {RETAIN_FORMAT_CSV, RETAIN_FORMAT_JSON};
    for (size_t k = 0; k < 2; k++) {
        FILE *f = tmpfile();
        assert_non_null(f);
        retain_writer *w = retain_writer_new(f, fmts[k], cols, 2, true);
        assert_non_null(w);
        write_big(w);
        retain_writer_free(w); /* the command failed: no finish */
        assert_int_equal(file_size(f), 0);
        fclose(f);
    }
}

static void test_deferred_small_table_same_output(void **state)
{
    (void)state;
    static const char *const cols[] = {"k", "v"};
    static const cell cells[] = {T("a,b"), NUM("1.50"), T("c"), E};
    static const retain_format fmts[] = {RETAIN_FORMAT_CSV, RETAIN_FORMAT_TSV, RETAIN_FORMAT_JSON,
                                         RETAIN_FORMAT_TABLE};
    for (size_t k = 0; k < 4; k++) {
        char *a = render(fmts[k], cols, 2, cells, N(cells), false);
        char *b = render(fmts[k], cols, 2, cells, N(cells), true);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
}

/* ---- write errors ----------------------------------------------------- */

static void test_dev_full(void **state)
{
    (void)state;
    static const char *const cols[] = {"id", "n"};
    for (int deferred = 0; deferred < 2; deferred++) {
        FILE *f = fopen("/dev/full", "w");
        if (!f)
            skip();
        retain_writer *w = retain_writer_new(f, RETAIN_FORMAT_CSV, cols, 2, deferred);
        assert_non_null(w);
        assert_int_equal(retain_writer_text(w, "a", 1), RETAIN_OK);
        assert_int_equal(retain_writer_int(w, 1), RETAIN_OK);
        assert_int_equal(retain_writer_end_row(w), RETAIN_OK);
        errno = 0;
        assert_int_equal(retain_writer_finish(w), RETAIN_ERR_IO);
        assert_int_equal(errno, ENOSPC);
        retain_writer_free(w);
        fclose(f);
    }
}

static void test_dev_full_large(void **state)
{
    (void)state;
    static const char *const cols[] = {"id", "n"};
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    retain_writer *w = retain_writer_new(f, RETAIN_FORMAT_CSV, cols, 2, false);
    assert_non_null(w);
    /* writes that fail on the way are reported, at the latest by finish */
    retain_status first_error = RETAIN_OK;
    char id[32];
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(id, sizeof id, "row%06d", i);
        retain_status a = retain_writer_text(w, id, (size_t)n);
        retain_status b = retain_writer_int(w, i);
        retain_status c = retain_writer_end_row(w);
        if (first_error == RETAIN_OK)
            first_error = a != RETAIN_OK ? a : b != RETAIN_OK ? b : c;
    }
    assert_true(first_error == RETAIN_OK || first_error == RETAIN_ERR_IO);
    errno = 0;
    assert_int_equal(retain_writer_finish(w), RETAIN_ERR_IO);
    assert_int_equal(errno, ENOSPC);
    retain_writer_free(w);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_header_quoting),
        cmocka_unit_test(test_excel_safe_csv),
        cmocka_unit_test(test_excel_safe_other_formats),
        cmocka_unit_test(test_tsv_escaping),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_empty_and_keys),
        cmocka_unit_test(test_table_alignment),
        cmocka_unit_test(test_table_no_trailing_blanks),
        cmocka_unit_test(test_row_must_be_complete),
        cmocka_unit_test(test_first_error_sticks),
        cmocka_unit_test(test_deferred_writes_nothing_before_finish),
        cmocka_unit_test(test_deferred_without_finish_leaves_nothing),
        cmocka_unit_test(test_deferred_small_table_same_output),
        cmocka_unit_test(test_dev_full),
        cmocka_unit_test(test_dev_full_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
