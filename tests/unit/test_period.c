/* Unit tests for retain/period.h: period indices, bounds, labels and label
 * parsing for days, ISO weeks, months, quarters and years. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <retain/period.h>

static const retain_period_kind kinds[] = {RETAIN_PERIOD_DAY, RETAIN_PERIOD_WEEK,
                                           RETAIN_PERIOD_MONTH, RETAIN_PERIOD_QUARTER,
                                           RETAIN_PERIOD_YEAR};

static retain_day ymd(int y, int m, int d)
{
    retain_day out = 0;
    if (!retain_day_from_ymd(y, m, d, &out))
        fail_msg("bad test date %04d-%02d-%02d", y, m, d);
    return out;
}

static void assert_label(retain_period_kind k, int32_t p, const char *expect)
{
    char buf[16];
    memset(buf, 'x', sizeof buf);
    int n = retain_period_label(k, p, buf);
    if (strcmp(buf, expect) != 0)
        fail_msg("%s label \"%s\", expected \"%s\"", retain_period_kind_name(k), buf, expect);
    assert_int_equal(n, (int)strlen(expect));
}

/* The period of a day has the expected label, first and last day. */
static void check_period(retain_period_kind k, retain_day day, const char *label, retain_day first,
                         retain_day last)
{
    int32_t p = retain_period_of(k, day);
    assert_label(k, p, label);
    assert_int_equal(retain_period_first_day(k, p), first);
    assert_int_equal(retain_period_last_day(k, p), last);
}

static void test_kind_names(void **state)
{
    (void)state;
    static const char *const names[] = {"day", "week", "month", "quarter", "year"};
    for (int i = 0; i < 5; i++) {
        retain_period_kind k = (retain_period_kind)99;
        assert_true(retain_period_kind_parse(names[i], &k));
        assert_int_equal(k, kinds[i]);
        assert_string_equal(retain_period_kind_name(kinds[i]), names[i]);
    }
    retain_period_kind k;
    assert_false(retain_period_kind_parse("weeks", &k));
    assert_false(retain_period_kind_parse("", &k));
    assert_false(retain_period_kind_parse("fortnight", &k));
}

static void test_day(void **state)
{
    (void)state;
    retain_day d = ymd(2024, 3, 15);
    check_period(RETAIN_PERIOD_DAY, d, "2024-03-15", d, d);
    check_period(RETAIN_PERIOD_DAY, ymd(1969, 12, 31), "1969-12-31", -1, -1);
    assert_int_equal(retain_period_of(RETAIN_PERIOD_DAY, d + 1),
                     retain_period_of(RETAIN_PERIOD_DAY, d) + 1);
}

static void test_iso_weeks_across_years(void **state)
{
    (void)state;
    const retain_period_kind W = RETAIN_PERIOD_WEEK;
    /* 2020 has 53 weeks: 2020-12-28 (Monday) .. 2021-01-03 (Sunday) */
    for (retain_day d = ymd(2020, 12, 28); d <= ymd(2021, 1, 3); d++)
        check_period(W, d, "2020-W53", ymd(2020, 12, 28), ymd(2021, 1, 3));
    check_period(W, ymd(2021, 1, 4), "2021-W01", ymd(2021, 1, 4), ymd(2021, 1, 10));
    assert_int_equal(retain_period_of(W, ymd(2021, 1, 4)),
                     retain_period_of(W, ymd(2021, 1, 3)) + 1);
    /* the last days of 2024 are in week 1 of 2025 */
    check_period(W, ymd(2024, 12, 30), "2025-W01", ymd(2024, 12, 30), ymd(2025, 1, 5));
    check_period(W, ymd(2024, 12, 29), "2024-W52", ymd(2024, 12, 23), ymd(2024, 12, 29));
    /* the first day of 2023 is in the last week of 2022 */
    check_period(W, ymd(2023, 1, 1), "2022-W52", ymd(2022, 12, 26), ymd(2023, 1, 1));
    check_period(W, ymd(2023, 1, 2), "2023-W01", ymd(2023, 1, 2), ymd(2023, 1, 8));
    check_period(W, ymd(2024, 3, 15), "2024-W11", ymd(2024, 3, 11), ymd(2024, 3, 17));
    check_period(W, ymd(2024, 1, 1), "2024-W01", ymd(2024, 1, 1), ymd(2024, 1, 7));
    check_period(W, ymd(2015, 12, 31), "2015-W53", ymd(2015, 12, 28), ymd(2016, 1, 3));
    check_period(W, ymd(2016, 1, 3), "2015-W53", ymd(2015, 12, 28), ymd(2016, 1, 3));
    check_period(W, ymd(2016, 1, 4), "2016-W01", ymd(2016, 1, 4), ymd(2016, 1, 10));
    check_period(W, ymd(2008, 12, 29), "2009-W01", ymd(2008, 12, 29), ymd(2009, 1, 4));
    check_period(W, ymd(2010, 1, 3), "2009-W53", ymd(2009, 12, 28), ymd(2010, 1, 3));
    /* around and before the epoch (negative day numbers) */
    check_period(W, ymd(1970, 1, 1), "1970-W01", ymd(1969, 12, 29), ymd(1970, 1, 4));
    check_period(W, ymd(1969, 12, 28), "1969-W52", ymd(1969, 12, 22), ymd(1969, 12, 28));
    check_period(W, ymd(1900, 1, 1), "1900-W01", ymd(1900, 1, 1), ymd(1900, 1, 7));
}

static void test_months(void **state)
{
    (void)state;
    const retain_period_kind M = RETAIN_PERIOD_MONTH;
    check_period(M, ymd(2024, 2, 15), "2024-02", ymd(2024, 2, 1), ymd(2024, 2, 29));
    check_period(M, ymd(2023, 2, 1), "2023-02", ymd(2023, 2, 1), ymd(2023, 2, 28));
    check_period(M, ymd(1900, 2, 28), "1900-02", ymd(1900, 2, 1), ymd(1900, 2, 28));
    check_period(M, ymd(2000, 2, 29), "2000-02", ymd(2000, 2, 1), ymd(2000, 2, 29));
    check_period(M, ymd(2024, 4, 30), "2024-04", ymd(2024, 4, 1), ymd(2024, 4, 30));
    check_period(M, ymd(2024, 12, 31), "2024-12", ymd(2024, 12, 1), ymd(2024, 12, 31));
    check_period(M, ymd(2025, 1, 1), "2025-01", ymd(2025, 1, 1), ymd(2025, 1, 31));
    check_period(M, ymd(1969, 12, 31), "1969-12", ymd(1969, 12, 1), ymd(1969, 12, 31));
    assert_int_equal(retain_period_of(M, ymd(2025, 1, 1)),
                     retain_period_of(M, ymd(2024, 12, 31)) + 1);
    assert_int_equal(retain_period_of(M, ymd(1970, 1, 1)),
                     retain_period_of(M, ymd(1969, 12, 31)) + 1);
    assert_int_equal(retain_period_of(M, ymd(2025, 3, 1)) - retain_period_of(M, ymd(2024, 3, 1)),
                     12);
}

static void test_quarters(void **state)
{
    (void)state;
    const retain_period_kind Q = RETAIN_PERIOD_QUARTER;
    check_period(Q, ymd(2024, 3, 31), "2024-Q1", ymd(2024, 1, 1), ymd(2024, 3, 31));
    check_period(Q, ymd(2024, 2, 29), "2024-Q1", ymd(2024, 1, 1), ymd(2024, 3, 31));
    check_period(Q, ymd(2024, 4, 1), "2024-Q2", ymd(2024, 4, 1), ymd(2024, 6, 30));
    check_period(Q, ymd(2024, 9, 30), "2024-Q3", ymd(2024, 7, 1), ymd(2024, 9, 30));
    check_period(Q, ymd(2023, 10, 1), "2023-Q4", ymd(2023, 10, 1), ymd(2023, 12, 31));
    check_period(Q, ymd(1969, 11, 5), "1969-Q4", ymd(1969, 10, 1), ymd(1969, 12, 31));
    assert_int_equal(retain_period_of(Q, ymd(2024, 1, 1)),
                     retain_period_of(Q, ymd(2023, 12, 31)) + 1);
    assert_int_equal(retain_period_of(Q, ymd(2024, 4, 1)),
                     retain_period_of(Q, ymd(2024, 3, 31)) + 1);
}

static void test_years(void **state)
{
    (void)state;
    const retain_period_kind Y = RETAIN_PERIOD_YEAR;
    check_period(Y, ymd(2024, 7, 4), "2024", ymd(2024, 1, 1), ymd(2024, 12, 31));
    check_period(Y, ymd(1969, 1, 1), "1969", ymd(1969, 1, 1), ymd(1969, 12, 31));
    assert_int_equal(retain_period_of(Y, ymd(2025, 1, 1)),
                     retain_period_of(Y, ymd(2024, 12, 31)) + 1);
    assert_int_equal(retain_period_last_day(Y, retain_period_of(Y, ymd(2024, 1, 1))) -
                         retain_period_first_day(Y, retain_period_of(Y, ymd(2024, 1, 1))) + 1,
                     366);
    assert_int_equal(retain_period_last_day(Y, retain_period_of(Y, ymd(2100, 1, 1))) -
                         retain_period_first_day(Y, retain_period_of(Y, ymd(2100, 1, 1))) + 1,
                     365);
}

/* Every period from 1900 to 2100, for every kind: consecutive indices tile
 * the days without gap or overlap, with plausible lengths. */
static void test_consecutive_periods_tile_days(void **state)
{
    (void)state;
    const retain_day lo = ymd(1900, 1, 1), hi = ymd(2100, 12, 31);
    static const int min_len[] = {1, 7, 28, 90, 365};
    static const int max_len[] = {1, 7, 31, 92, 366};
    for (int i = 0; i < 5; i++) {
        retain_period_kind k = kinds[i];
        int32_t first = retain_period_of(k, lo), last = retain_period_of(k, hi);
        assert_true(last > first);
        for (int32_t p = first; p <= last; p++) {
            retain_day a = retain_period_first_day(k, p), b = retain_period_last_day(k, p);
            if (b - a + 1 < min_len[i] || b - a + 1 > max_len[i])
                fail_msg("%s %d: %d days", retain_period_kind_name(k), (int)p, (int)(b - a + 1));
            if (retain_period_first_day(k, p + 1) != b + 1)
                fail_msg("%s %d: last day + 1 != first day of the next", retain_period_kind_name(k),
                         (int)p);
            if (retain_period_of(k, a) != p || retain_period_of(k, b) != p)
                fail_msg("%s %d: its bounds are not in it", retain_period_kind_name(k), (int)p);
            if (k == RETAIN_PERIOD_WEEK && retain_day_weekday(a) != 1)
                fail_msg("week %d starts on weekday %d", (int)p, retain_day_weekday(a));
            int y, m, d;
            retain_day_to_ymd(a, &y, &m, &d);
            if (k == RETAIN_PERIOD_MONTH && d != 1)
                fail_msg("month %d starts on day %d", (int)p, d);
            if (k == RETAIN_PERIOD_QUARTER && (d != 1 || (m - 1) % 3 != 0))
                fail_msg("quarter %d starts on %d-%d", (int)p, m, d);
            if (k == RETAIN_PERIOD_YEAR && (d != 1 || m != 1))
                fail_msg("year %d starts on %d-%d", (int)p, m, d);
        }
        /* and every day lies in the period that holds it */
        for (retain_day d = lo; d <= hi; d++) {
            int32_t p = retain_period_of(k, d);
            if (retain_period_first_day(k, p) > d || retain_period_last_day(k, p) < d)
                fail_msg("%s: day %d outside its period", retain_period_kind_name(k), (int)d);
        }
    }
}

/* Labels parse back to their period, for every kind, 1900..2100. */
static void test_label_round_trip(void **state)
{
    (void)state;
    const retain_day lo = ymd(1900, 1, 1), hi = ymd(2100, 12, 31);
    for (int i = 0; i < 5; i++) {
        retain_period_kind k = kinds[i];
        for (int32_t p = retain_period_of(k, lo); p <= retain_period_of(k, hi); p++) {
            char buf[16];
            retain_period_label(k, p, buf);
            int32_t back = p + 12345;
            if (!retain_period_parse(k, buf, &back) || back != p)
                fail_msg("%s label \"%s\" does not parse back", retain_period_kind_name(k), buf);
        }
    }
}

static void assert_parse(retain_period_kind k, const char *text, retain_day day_inside)
{
    int32_t p = INT32_MIN;
    if (!retain_period_parse(k, text, &p))
        fail_msg("%s \"%s\" rejected", retain_period_kind_name(k), text);
    assert_int_equal(p, retain_period_of(k, day_inside));
}

static void assert_no_parse(retain_period_kind k, const char *text)
{
    int32_t p;
    if (retain_period_parse(k, text, &p))
        fail_msg("%s \"%s\" accepted", retain_period_kind_name(k), text);
}

static void test_parse_labels(void **state)
{
    (void)state;
    assert_parse(RETAIN_PERIOD_DAY, "2024-03-15", ymd(2024, 3, 15));
    assert_parse(RETAIN_PERIOD_WEEK, "2020-W53", ymd(2021, 1, 3));
    assert_parse(RETAIN_PERIOD_WEEK, "2021-W01", ymd(2021, 1, 4));
    assert_parse(RETAIN_PERIOD_WEEK, "2025-W01", ymd(2024, 12, 30));
    assert_parse(RETAIN_PERIOD_WEEK, "2022-W52", ymd(2023, 1, 1));
    assert_parse(RETAIN_PERIOD_WEEK, "2015-W53", ymd(2015, 12, 31));
    assert_parse(RETAIN_PERIOD_WEEK, "2026-W53", ymd(2026, 12, 31)); /* 2026: 53 weeks */
    assert_parse(RETAIN_PERIOD_WEEK, "2024-W09", ymd(2024, 2, 26));
    assert_parse(RETAIN_PERIOD_MONTH, "2024-03", ymd(2024, 3, 1));
    assert_parse(RETAIN_PERIOD_MONTH, "2024-12", ymd(2024, 12, 31));
    assert_parse(RETAIN_PERIOD_MONTH, "1969-01", ymd(1969, 1, 31));
    assert_parse(RETAIN_PERIOD_QUARTER, "2024-Q1", ymd(2024, 2, 29));
    /* as spreadsheets write them (issue: 2024-3 vs 2024-03 normalised) */
    assert_parse(RETAIN_PERIOD_MONTH, "2024-3", ymd(2024, 3, 1));
    assert_parse(RETAIN_PERIOD_QUARTER, "2024-q2", ymd(2024, 4, 1));
    assert_parse(RETAIN_PERIOD_WEEK, "2024-W9", ymd(2024, 2, 26));
    assert_parse(RETAIN_PERIOD_WEEK, "2024-w9", ymd(2024, 2, 26));
    assert_parse(RETAIN_PERIOD_QUARTER, "2024-Q4", ymd(2024, 10, 1));
    assert_parse(RETAIN_PERIOD_YEAR, "2024", ymd(2024, 6, 1));
}

static void test_parse_iso_dates_of_each_kind(void **state)
{
    (void)state;
    assert_parse(RETAIN_PERIOD_WEEK, "2021-01-03", ymd(2020, 12, 28));
    assert_parse(RETAIN_PERIOD_WEEK, "2024-12-31", ymd(2024, 12, 30));
    assert_parse(RETAIN_PERIOD_MONTH, "2024-02-29", ymd(2024, 2, 1));
    assert_parse(RETAIN_PERIOD_QUARTER, "2024-05-15", ymd(2024, 4, 1));
    assert_parse(RETAIN_PERIOD_YEAR, "2024-12-31", ymd(2024, 1, 1));
    assert_no_parse(RETAIN_PERIOD_MONTH, "2023-02-29");
}

static void test_parse_rejects(void **state)
{
    (void)state;
    assert_no_parse(RETAIN_PERIOD_WEEK, "2024-W54");
    assert_no_parse(RETAIN_PERIOD_WEEK, "2021-W53"); /* 2021 has 52 weeks */
    assert_no_parse(RETAIN_PERIOD_WEEK, "2024-W53"); /* so has 2024 */
    assert_no_parse(RETAIN_PERIOD_WEEK, "2024-W00");
    assert_no_parse(RETAIN_PERIOD_WEEK, "2024-W099");
    assert_no_parse(RETAIN_PERIOD_WEEK, "2024W09");
    assert_no_parse(RETAIN_PERIOD_WEEK, "2024-03");
    assert_no_parse(RETAIN_PERIOD_MONTH, "2024-13");
    assert_no_parse(RETAIN_PERIOD_MONTH, "2024-00");
    assert_no_parse(RETAIN_PERIOD_MONTH, "2024-003");
    assert_no_parse(RETAIN_PERIOD_MONTH, "2024/03");
    assert_no_parse(RETAIN_PERIOD_MONTH, "2024-Q1");
    assert_no_parse(RETAIN_PERIOD_QUARTER, "2024-Q5");
    assert_no_parse(RETAIN_PERIOD_QUARTER, "2024-Q0");
    assert_no_parse(RETAIN_PERIOD_QUARTER, "2024-q1x");
    assert_no_parse(RETAIN_PERIOD_QUARTER, "2024-03");
    assert_no_parse(RETAIN_PERIOD_YEAR, "24");
    assert_no_parse(RETAIN_PERIOD_YEAR, "20245");
    assert_no_parse(RETAIN_PERIOD_YEAR, "2024-03");
    assert_no_parse(RETAIN_PERIOD_DAY, "2024-03");
    assert_no_parse(RETAIN_PERIOD_DAY, "2024-02-30");
    for (int i = 0; i < 5; i++) {
        assert_no_parse(kinds[i], "");
        assert_no_parse(kinds[i], "abcd");
        assert_no_parse(kinds[i], "2024-03-15x");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_day),
        cmocka_unit_test(test_iso_weeks_across_years),
        cmocka_unit_test(test_months),
        cmocka_unit_test(test_quarters),
        cmocka_unit_test(test_years),
        cmocka_unit_test(test_consecutive_periods_tile_days),
        cmocka_unit_test(test_label_round_trip),
        cmocka_unit_test(test_parse_labels),
        cmocka_unit_test(test_parse_iso_dates_of_each_kind),
        cmocka_unit_test(test_parse_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
