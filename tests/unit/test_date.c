/* Unit tests for retain/date.h: day numbers, weekdays, ISO and formatted
 * date parsing. Expected values are computed by hand (or from the
 * proleptic Gregorian rules re-implemented below), never from the code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <retain/date.h>

/* An independent statement of the calendar rules. */
static int ref_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int ref_dim(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 ? 28 + ref_leap(y) : dim[m - 1];
}

static retain_day ymd(int y, int m, int d)
{
    retain_day out = 0;
    assert_true(retain_day_from_ymd(y, m, d, &out));
    return out;
}

/* Parses a NUL-terminated string; returns whether it parsed. */
static bool parse(const char *text, const retain_date_format *fmt, retain_day *out)
{
    return retain_date_parse(text, strlen(text), fmt, out);
}

static void assert_parses_to(const char *text, const retain_date_format *fmt, int y, int m, int d)
{
    retain_day got = -999999;
    if (!parse(text, fmt, &got))
        fail_msg("\"%s\" did not parse, expected %04d-%02d-%02d", text, y, m, d);
    if (got != ymd(y, m, d)) {
        int gy, gm, gd;
        retain_day_to_ymd(got, &gy, &gm, &gd);
        fail_msg("\"%s\" parsed as %04d-%02d-%02d, expected %04d-%02d-%02d", text, gy, gm, gd, y, m,
                 d);
    }
}

static void assert_rejected(const char *text, const retain_date_format *fmt)
{
    retain_day got;
    if (parse(text, fmt, &got))
        fail_msg("\"%s\" was accepted (day %d), expected a rejection", text, (int)got);
}

static retain_date_format *compile(const char *spec)
{
    retain_diag diag;
    retain_diag_clear(&diag);
    retain_date_format *f = retain_date_format_new(spec, &diag);
    if (!f)
        fail_msg("format \"%s\" rejected: %s", spec, diag.message);
    return f;
}

/* ---- day numbers ------------------------------------------------------ */

static void test_anchors(void **state)
{
    (void)state;
    retain_day d;
    assert_true(retain_day_from_ymd(1970, 1, 1, &d));
    assert_int_equal(d, 0);
    assert_true(retain_day_from_ymd(1969, 12, 31, &d));
    assert_int_equal(d, -1);
    /* 30 years of 365 days, 7 leap days (1972..1996), Jan 31 + Feb 29 */
    assert_true(retain_day_from_ymd(2000, 3, 1, &d));
    assert_int_equal(d, 11017);
    assert_true(retain_day_from_ymd(2000, 2, 29, &d));
    assert_int_equal(d, 11016);
    /* 54 x 365 + 13 leap days = 19723 on 2024-01-01, + 31 + 28 */
    assert_true(retain_day_from_ymd(2024, 2, 29, &d));
    assert_int_equal(d, 19782);
    assert_true(retain_day_from_ymd(1997, 1, 1, &d));
    assert_int_equal(d, 9862);
    assert_true(retain_day_from_ymd(1900, 1, 1, &d));
    assert_int_equal(d, -25567);
    assert_true(retain_day_from_ymd(2100, 12, 31, &d));
    assert_int_equal(d, 47846);
    assert_true(retain_day_from_ymd(1, 1, 1, &d));
    assert_int_equal(d, RETAIN_DAY_MIN);
    assert_true(retain_day_from_ymd(9999, 12, 31, &d));
    assert_int_equal(d, RETAIN_DAY_MAX);
}

static void test_nonexistent_dates(void **state)
{
    (void)state;
    retain_day d = 12345;
    assert_false(retain_day_from_ymd(2023, 2, 29, &d));
    assert_false(retain_day_from_ymd(2023, 2, 30, &d));
    assert_false(retain_day_from_ymd(2023, 13, 1, &d));
    assert_false(retain_day_from_ymd(2023, 4, 31, &d));
    assert_false(retain_day_from_ymd(2023, 0, 1, &d));
    assert_false(retain_day_from_ymd(2023, 1, 0, &d));
    assert_false(retain_day_from_ymd(2023, 1, 32, &d));
    assert_false(retain_day_from_ymd(1900, 2, 29, &d)); /* century, not leap */
    assert_false(retain_day_from_ymd(2100, 2, 29, &d));
    assert_false(retain_day_from_ymd(0, 12, 31, &d));
    assert_false(retain_day_from_ymd(10000, 1, 1, &d));
    assert_false(retain_day_from_ymd(-1, 1, 1, &d));
    assert_true(retain_day_from_ymd(2024, 2, 29, &d));
    assert_true(retain_day_from_ymd(2000, 2, 29, &d)); /* 400-year rule */
}

/* Every day 1900..2100: from_ymd accepts exactly the real dates, numbers
 * them consecutively, to_ymd inverts it and weekdays cycle. */
static void test_round_trip_1900_2100(void **state)
{
    (void)state;
    retain_day expect = -25567; /* 1900-01-01, a Monday */
    int weekday = 1;
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= 31; d++) {
                retain_day got = 0;
                bool ok = retain_day_from_ymd(y, m, d, &got);
                if (d > ref_dim(y, m)) {
                    if (ok)
                        fail_msg("%04d-%02d-%02d accepted", y, m, d);
                    continue;
                }
                if (!ok || got != expect)
                    fail_msg("%04d-%02d-%02d: got %d (ok %d), expected %d", y, m, d, (int)got, ok,
                             (int)expect);
                int gy = 0, gm = 0, gd = 0;
                retain_day_to_ymd(got, &gy, &gm, &gd);
                if (gy != y || gm != m || gd != d)
                    fail_msg("day %d back to %04d-%02d-%02d, expected %04d-%02d-%02d", (int)got, gy,
                             gm, gd, y, m, d);
                if (retain_day_weekday(got) != weekday)
                    fail_msg("%04d-%02d-%02d weekday %d, expected %d", y, m, d,
                             retain_day_weekday(got), weekday);
                expect++;
                weekday = weekday % 7 + 1;
            }
        }
    }
    assert_int_equal(expect, 47847); /* 2101-01-01 */
}

static void test_to_ymd_null_pointers_and_extremes(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    retain_day_to_ymd(19782, &y, NULL, NULL);
    assert_int_equal(y, 2024);
    retain_day_to_ymd(19782, NULL, &m, NULL);
    assert_int_equal(m, 2);
    retain_day_to_ymd(19782, NULL, NULL, &d);
    assert_int_equal(d, 29);
    retain_day_to_ymd(RETAIN_DAY_MIN, &y, &m, &d);
    assert_int_equal(y, 1);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    retain_day_to_ymd(RETAIN_DAY_MAX, &y, &m, &d);
    assert_int_equal(y, 9999);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(retain_day_weekday(0), 4);  /* 1970-01-01 Thursday */
    assert_int_equal(retain_day_weekday(-1), 3); /* 1969-12-31 Wednesday */
    assert_int_equal(retain_day_weekday(-3), 1); /* 1969-12-29 Monday */
    assert_int_equal(retain_day_weekday(-4), 7); /* 1969-12-28 Sunday */
    assert_int_equal(retain_day_weekday(ymd(2024, 3, 15)), 5);
    assert_int_equal(retain_day_weekday(ymd(2000, 1, 1)), 6);
    assert_int_equal(retain_day_weekday(ymd(2023, 1, 1)), 7);
    assert_int_equal(retain_day_weekday(ymd(2024, 12, 30)), 1);
    assert_int_equal(retain_day_weekday(RETAIN_DAY_MIN), 1); /* 0001-01-01 Monday */
    assert_int_equal(retain_day_weekday(RETAIN_DAY_MAX), 5); /* 9999-12-31 Friday */
}

static void test_day_format(void **state)
{
    (void)state;
    char buf[16];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(retain_day_format(ymd(2024, 3, 15), buf), 10);
    assert_string_equal(buf, "2024-03-15");
    assert_int_equal(retain_day_format(0, buf), 10);
    assert_string_equal(buf, "1970-01-01");
    retain_day_format(-25567, buf);
    assert_string_equal(buf, "1900-01-01");
    retain_day_format(RETAIN_DAY_MIN, buf);
    assert_string_equal(buf, "0001-01-01");
    retain_day_format(RETAIN_DAY_MAX, buf);
    assert_string_equal(buf, "9999-12-31");
}

/* ---- ISO parsing ------------------------------------------------------ */

static void test_iso_dates_and_datetimes(void **state)
{
    (void)state;
    assert_parses_to("2024-03-15", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15T23:59:59Z", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15 10:32", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15T10:00:00+02:00", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15T10:00:00.123-05:00", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15T00:00:00", NULL, 2024, 3, 15);
    /* the usual tails and the others: the same shapes accepted */
    assert_parses_to("2024-03-15T10:00:00+0530", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15T10:00-08", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15T10:00Z", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15T10:00:00.5", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15 10:00:00 UTC", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15 10:32 AM", NULL, 2024, 3, 15);
    assert_parses_to("2024-03-15T10:00:00Z+1", NULL, 2024, 3, 15);
    assert_parses_to("2099-12-31T23:59:59Z", NULL, 2099, 12, 31);
    assert_parses_to("2100-03-01T00:00:00Z", NULL, 2100, 3, 1);
    assert_parses_to("1969-12-31T23:59:59Z", NULL, 1969, 12, 31);
    assert_parses_to("2024-02-29", NULL, 2024, 2, 29);
    assert_parses_to("1970-01-01", NULL, 1970, 1, 1);
    assert_parses_to("0001-01-01", NULL, 1, 1, 1);
    assert_parses_to("9999-12-31", NULL, 9999, 12, 31);
}

static void test_iso_uses_len_not_nul(void **state)
{
    (void)state;
    retain_day d = 0;
    /* only the first 10 bytes are the field */
    assert_true(retain_date_parse("2024-03-15,2024-04-01", 10, NULL, &d));
    assert_int_equal(d, ymd(2024, 3, 15));
    assert_false(retain_date_parse("2024-03-15", 9, NULL, &d));
}

static void test_iso_rejects_garbage(void **state)
{
    (void)state;
    assert_rejected("2024-03-15x", NULL);
    assert_rejected("2024-3-15", NULL);
    assert_rejected("2024-03-5", NULL);
    assert_rejected("15/03/2024", NULL);
    assert_rejected("", NULL);
    assert_rejected("2024-03-15T", NULL);
    assert_rejected("2024-03-15 ", NULL);
    assert_rejected("2024/03/15", NULL);
    assert_rejected("20240315", NULL);
    assert_rejected("2024-03-15Tnoon", NULL);
    assert_rejected(" 2024-03-15", NULL);
    assert_rejected("24-03-15", NULL);
    /* impossible days */
    assert_rejected("2023-02-29", NULL);
    assert_rejected("2023-02-30", NULL);
    assert_rejected("2023-13-01", NULL);
    assert_rejected("2023-04-31", NULL);
    assert_rejected("2023-00-10", NULL);
    assert_rejected("2023-01-00", NULL);
    assert_rejected("0000-01-01", NULL);
    assert_rejected("2023-02-29T10:00:00Z", NULL);
    assert_rejected("2100-02-29T10:00:00Z", NULL);
    assert_rejected("2024-03-15T10:00:00x", NULL);
    assert_rejected("2024-03-15T10:00:00+05:3x", NULL);
    assert_rejected("2024-03-15T10:0", NULL);
    assert_rejected("2024-03-15T1:00:00Q", NULL);
    assert_rejected("2024-0a-15", NULL);
    assert_rejected("2024-03-1/", NULL);
}

/* ---- formats ---------------------------------------------------------- */

static void test_format_day_first(void **state)
{
    (void)state;
    retain_date_format *f = compile("%d/%m/%Y");
    assert_parses_to("15/03/2024", f, 2024, 3, 15);
    assert_parses_to("5/3/2024", f, 2024, 3, 5);
    assert_parses_to("05/03/2024", f, 2024, 3, 5);
    assert_parses_to("29/02/2024", f, 2024, 2, 29);
    assert_parses_to("15/03/2024 14:30", f, 2024, 3, 15);
    assert_parses_to("15/03/2024 14:30:59", f, 2024, 3, 15);
    assert_rejected("30/02/2024", f);
    assert_rejected("29/02/2023", f);
    assert_rejected("31/04/2024", f);
    assert_rejected("15/13/2024", f);
    assert_rejected("15/03/24", f);
    assert_rejected("2024-03-15", f);
    assert_rejected("15/03/2024x", f);
    assert_rejected("15-03-2024", f);
    assert_rejected("", f);
    retain_date_format_free(f);
}

static void test_format_month_first(void **state)
{
    (void)state;
    retain_date_format *f = compile("%m/%d/%Y");
    assert_parses_to("3/15/2024", f, 2024, 3, 15);
    assert_parses_to("03/15/2024", f, 2024, 3, 15);
    assert_parses_to("12/31/1999", f, 1999, 12, 31);
    assert_rejected("15/03/2024", f); /* month 15 */
    assert_rejected("2/30/2024", f);
    retain_date_format_free(f);
}

static void test_format_compact(void **state)
{
    (void)state;
    retain_date_format *f = compile("%Y%m%d");
    assert_parses_to("19970101", f, 1997, 1, 1);
    assert_parses_to("19980630", f, 1998, 6, 30);
    assert_parses_to("20240229", f, 2024, 2, 29);
    assert_rejected("19970229", f);
    assert_rejected("1997010", f);
    assert_rejected("199701011", f);
    retain_date_format_free(f);
}

static void test_format_month_names(void **state)
{
    (void)state;
    retain_date_format *f = compile("%d %b %Y");
    assert_parses_to("15 Mar 2024", f, 2024, 3, 15);
    assert_parses_to("15 march 2024", f, 2024, 3, 15);
    assert_parses_to("15 MAR 2024", f, 2024, 3, 15);
    assert_parses_to("1 Jan 2000", f, 2000, 1, 1);
    assert_parses_to("31 December 1999", f, 1999, 12, 31);
    assert_parses_to("15  Mar 2024", f, 2024, 3, 15); /* a space matches a run */
    assert_rejected("15 Mrz 2024", f);
    assert_rejected("30 Feb 2024", f);
    retain_date_format_free(f);

    f = compile("%B %d, %Y");
    assert_parses_to("September 9, 2021", f, 2021, 9, 9);
    assert_parses_to("february 29, 2024", f, 2024, 2, 29);
    retain_date_format_free(f);
}

static void test_format_two_digit_year(void **state)
{
    (void)state;
    retain_date_format *f = compile("%d.%m.%y");
    assert_parses_to("15.03.24", f, 2024, 3, 15);
    assert_parses_to("01.01.00", f, 2000, 1, 1);
    assert_parses_to("31.12.68", f, 2068, 12, 31); /* POSIX: 00-68 are 20xx */
    assert_parses_to("01.01.69", f, 1969, 1, 1);   /* 69-99 are 19xx */
    assert_parses_to("31.12.99", f, 1999, 12, 31);
    assert_rejected("15.03.2024", f);
    assert_rejected("15/03/24", f);
    assert_rejected("29.02.23", f);
    retain_date_format_free(f);
}

static void test_format_day_of_year(void **state)
{
    (void)state;
    retain_date_format *f = compile("%Y-%j");
    assert_parses_to("2024-075", f, 2024, 3, 15); /* 31 + 29 + 15 */
    assert_parses_to("2023-365", f, 2023, 12, 31);
    assert_parses_to("2024-366", f, 2024, 12, 31);
    assert_rejected("2023-366", f);
    assert_rejected("2023-000", f);
    retain_date_format_free(f);
}

static void test_format_time_conversions_dropped(void **state)
{
    (void)state;
    retain_date_format *f = compile("%m/%d/%Y %H:%M");
    assert_parses_to("3/15/2024 23:05", f, 2024, 3, 15);
    retain_date_format_free(f);
    f = compile("%Y-%m-%dT%T%z");
    assert_parses_to("2024-03-15T23:59:59+0100", f, 2024, 3, 15);
    retain_date_format_free(f);
    f = compile("%d%%%m%%%Y");
    assert_parses_to("15%03%2024", f, 2024, 3, 15);
    retain_date_format_free(f);
}

static void assert_bad_format(const char *spec)
{
    retain_diag diag;
    retain_diag_clear(&diag);
    retain_date_format *f = retain_date_format_new(spec, &diag);
    if (f) {
        retain_date_format_free(f);
        fail_msg("format \"%s\" was accepted", spec);
    }
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
    assert_true(diag.message[0] != '\0');
}

static void test_bad_formats(void **state)
{
    (void)state;
    assert_bad_format("%Q");
    assert_bad_format("%d/%m/%Q");
    assert_bad_format("%m/%Y");     /* no day */
    assert_bad_format("%d/%m");     /* no year */
    assert_bad_format("%Y-%d");     /* no month */
    assert_bad_format("%d/%m/%Y%"); /* trailing lone % */
    assert_bad_format("%");
    assert_bad_format("");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_nonexistent_dates),
        cmocka_unit_test(test_round_trip_1900_2100),
        cmocka_unit_test(test_to_ymd_null_pointers_and_extremes),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_day_format),
        cmocka_unit_test(test_iso_dates_and_datetimes),
        cmocka_unit_test(test_iso_uses_len_not_nul),
        cmocka_unit_test(test_iso_rejects_garbage),
        cmocka_unit_test(test_format_day_first),
        cmocka_unit_test(test_format_month_first),
        cmocka_unit_test(test_format_compact),
        cmocka_unit_test(test_format_month_names),
        cmocka_unit_test(test_format_two_digit_year),
        cmocka_unit_test(test_format_day_of_year),
        cmocka_unit_test(test_format_time_conversions_dropped),
        cmocka_unit_test(test_bad_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
