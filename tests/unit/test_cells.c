/* Unit tests for the number cells of the writer (retain_writer_ratio,
 * retain_writer_money, retain_writer_day). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/retain.h>

/* What w wrote to f, NUL-terminated (the caller frees it). */
static char *finish(retain_writer *w, FILE *f)
{
    assert_int_equal(retain_writer_finish(w), RETAIN_OK);
    retain_writer_free(w);
    long n = ftell(f);
    assert_true(n >= 0);
    char *s = calloc((size_t)n + 1, 1);
    assert_non_null(s);
    rewind(f);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

static void test_number_cells(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    static const char *const cols[] = {"pct", "undefined", "money", "day"};
    retain_writer *w = retain_writer_new(f, RETAIN_FORMAT_CSV, cols, 4, false);
    assert_non_null(w);
    retain_day d;
    assert_true(retain_day_from_ymd(2024, 2, 29, &d));
    /* 31/32 = 96.875 %: the exact tie rounds half away from zero */
    retain_writer_ratio(w, 31, 32, 100, 2);
    retain_writer_ratio(w, 5, 0, 100, 2);
    retain_writer_money(w, -1234567890, 2); /* -1234.56789 */
    retain_writer_day(w, d);
    assert_int_equal(retain_writer_end_row(w), RETAIN_OK);
    char *s = finish(w, f);
    assert_string_equal(s, "pct,undefined,money,day\n96.88,,-1234.57,2024-02-29\n");
    free(s);
}

static void test_json_cells(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    static const char *const cols[] = {"pct", "day"};
    retain_writer *w = retain_writer_new(f, RETAIN_FORMAT_JSON, cols, 2, false);
    retain_day d;
    assert_true(retain_day_from_ymd(2024, 1, 1, &d));
    retain_writer_ratio(w, 0, 0, 100, 2); /* null, not 0 */
    retain_writer_day(w, d);
    retain_writer_end_row(w);
    char *s = finish(w, f);
    assert_non_null(strstr(s, "\"pct\":null"));
    assert_non_null(strstr(s, "\"day\":\"2024-01-01\""));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_cells),
        cmocka_unit_test(test_json_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
