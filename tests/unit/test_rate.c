/* Unit tests for retain/rate.h: the TRC accumulator through its public API,
 * on hand-built rows, against counts worked out by hand from retain-metrics(7), and
 * against a direct day-by-day transcription of retain-metrics(7)'s definitions on
 * random rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/number.h>
#include <retain/rate.h>

#include "whole.h"

static retain_day day_of(const char *iso)
{
    retain_day d = 0;
    if (!retain_date_parse(iso, strlen(iso), NULL, &d))
        fail_msg("bad test date %s", iso);
    return d;
}

static int32_t period_of_label(retain_period_kind k, const char *label)
{
    int32_t p = 0;
    if (!retain_period_parse(k, label, &p))
        fail_msg("bad test period %s", label);
    return p;
}

/* A subscription row: end NULL when open; seg NULL for no segment. */
typedef struct {
    const char *seg;
    const char *id;
    const char *start;
    const char *end;
} row_in;

/* An expected line of the table. */
typedef struct {
    const char *label;
    int64_t s, fresh, back, lost, e;
} row_out;

static retain_rate_options options(retain_period_kind k, const char *as_of, const char *from,
                                   const char *to)
{
    retain_rate_options o;
    memset(&o, 0, sizeof o);
    o.period = k;
    if (as_of) {
        o.has_as_of = true;
        o.as_of = day_of(as_of);
    }
    if (from) {
        o.has_from = true;
        o.from = period_of_label(k, from);
    }
    if (to) {
        o.has_to = true;
        o.to = period_of_label(k, to);
    }
    return o;
}

static void add_rows(retain_rate *r, const row_in *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const row_in *x = &rows[i];
        retain_status st =
            retain_rate_add(r, x->seg, x->seg ? strlen(x->seg) : 0, x->id, strlen(x->id),
                            day_of(x->start), x->end ? day_of(x->end) : 0, x->end != NULL);
        if (st != RETAIN_OK)
            fail_msg("row %zu (%s %s) added with status %d", i, x->id, x->start, (int)st);
    }
}

static retain_rate *run(const retain_rate_options *o, const row_in *rows, size_t n)
{
    retain_rate *r = retain_rate_new(o);
    assert_non_null(r);
    add_rows(r, rows, n);
    retain_diag diag;
    retain_diag_clear(&diag);
    retain_status st = retain_rate_finish(r, &diag);
    if (st != RETAIN_OK)
        fail_msg("finish: status %d: %s", (int)st, diag.message);
    return r;
}

static void expect_segment(const retain_rate *r, size_t seg, const row_out *exp, size_t n)
{
    retain_period_kind k = RETAIN_PERIOD_MONTH;
    assert_int_equal(retain_rate_periods(r), n);
    for (size_t p = 0; p < n; p++) {
        retain_rate_row row;
        memset(&row, 0x55, sizeof row);
        retain_rate_get(r, seg, p, &row);
        char label[16];
        /* the label's kind is told by its shape */
        const char *l = exp[p].label;
        if (strlen(l) == 10)
            k = RETAIN_PERIOD_DAY;
        else if (strchr(l, 'W'))
            k = RETAIN_PERIOD_WEEK;
        else if (strchr(l, 'Q'))
            k = RETAIN_PERIOD_QUARTER;
        else if (strlen(l) == 4)
            k = RETAIN_PERIOD_YEAR;
        else
            k = RETAIN_PERIOD_MONTH;
        retain_period_label(k, row.period, label);
        if (strcmp(label, l) != 0 || row.customers_start != exp[p].s ||
            row.new_customers != exp[p].fresh || row.reactivated != exp[p].back ||
            row.lost != exp[p].lost || row.customers_end != exp[p].e)
            fail_msg("segment %zu line %zu: got %s S=%lld new=%lld react=%lld lost=%lld "
                     "E=%lld, expected %s S=%lld new=%lld react=%lld lost=%lld E=%lld",
                     seg, p, label, (long long)row.customers_start, (long long)row.new_customers,
                     (long long)row.reactivated, (long long)row.lost, (long long)row.customers_end,
                     l, (long long)exp[p].s, (long long)exp[p].fresh, (long long)exp[p].back,
                     (long long)exp[p].lost, (long long)exp[p].e);
    }
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- hand-worked scenarios ------------------------------------------- */

static void test_basic_months(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "A", "2024-01-10", NULL},
        {NULL, "B", "2024-01-20", "2024-02-15"},
        {NULL, "C", "2024-02-05", NULL},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-03-31", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    static const row_out exp[] = {
        {"2024-01", 0, 2, 0, 0, 2},
        {"2024-02", 2, 1, 0, 1, 2},
        {"2024-03", 2, 0, 0, 0, 2},
    };
    assert_int_equal(retain_rate_segments(r), 1);
    size_t len = 99;
    const char *name = retain_rate_segment(r, 0, &len);
    assert_non_null(name);
    assert_int_equal(len, 0);
    expect_segment(r, 0, exp, N(exp));
    assert_int_equal(retain_rate_as_of(r), day_of("2024-03-31"));
    assert_int_equal(retain_rate_customers(r), 3);
    assert_true(retain_rate_customer_bytes(r) > 0);

    /* S = 0: both rates empty; February: (2 - 1) / 2 */
    char buf[RETAIN_NUMBER_BUFSIZE];
    retain_rate_row row;
    retain_rate_get(r, 0, 0, &row);
    strcpy(buf, "x");
    assert_false(retain_retention_pct(row.customers_start, row.customers_end,
                                      row.new_customers + row.reactivated, 2, buf));
    assert_string_equal(buf, "");
    strcpy(buf, "x");
    assert_false(retain_churn_pct(row.customers_start, row.customers_end,
                                  row.new_customers + row.reactivated, 2, buf));
    assert_string_equal(buf, "");
    retain_rate_get(r, 0, 1, &row);
    assert_true(retain_retention_pct(row.customers_start, row.customers_end,
                                     row.new_customers + row.reactivated, 2, buf));
    assert_string_equal(buf, "50.00");
    assert_true(retain_churn_pct(row.customers_start, row.customers_end,
                                 row.new_customers + row.reactivated, 2, buf));
    assert_string_equal(buf, "50.00");
    retain_rate_free(r);
}

static void test_win_back_is_reactivated(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "W", "2024-01-05", "2024-02-10"},
        {NULL, "W", "2024-03-20", NULL},
    };
    static const row_out exp[] = {
        {"2024-01", 0, 1, 0, 0, 1},
        {"2024-02", 1, 0, 0, 1, 0},
        {"2024-03", 0, 0, 1, 0, 1},
        {"2024-04", 1, 0, 0, 0, 1},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-04-30", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    expect_segment(r, 0, exp, N(exp));
    assert_int_equal(retain_rate_customers(r), 1);
    retain_rate_free(r);

    /* rows arrive in any order */
    static const row_in reversed[] = {
        {NULL, "W", "2024-03-20", NULL},
        {NULL, "W", "2024-01-05", "2024-02-10"},
    };
    r = run(&o, reversed, N(reversed));
    expect_segment(r, 0, exp, N(exp));
    retain_rate_free(r);
}

static void test_join_and_leave_in_one_period(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "X", "2023-12-01", NULL},
        {NULL, "Y", "2024-01-03", "2024-01-20"},
    };
    static const row_out exp[] = {
        {"2023-12", 0, 1, 0, 0, 1},
        {"2024-01", 1, 1, 0, 1, 1},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-01-31", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    expect_segment(r, 0, exp, N(exp));
    retain_rate_row row;
    retain_rate_get(r, 0, 1, &row);
    char buf[RETAIN_NUMBER_BUFSIZE];
    assert_true(retain_retention_pct(row.customers_start, row.customers_end,
                                     row.new_customers + row.reactivated, 2, buf));
    assert_string_equal(buf, "0.00"); /* (1 - 1) / 1: it counts against the rate */
    assert_true(retain_churn_pct(row.customers_start, row.customers_end,
                                 row.new_customers + row.reactivated, 2, buf));
    assert_string_equal(buf, "100.00");
    retain_rate_free(r);
}

static void test_end_equals_start(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "K", "2024-01-01", NULL},
        {NULL, "Z", "2024-01-10", "2024-01-10"}, /* serves no day */
    };
    static const row_out exp[] = {
        {"2024-01", 0, 2, 0, 1, 1},
        {"2024-02", 1, 0, 0, 0, 1},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-02-29", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    expect_segment(r, 0, exp, N(exp));
    retain_rate_free(r);

    /* a row that served no day is still an earlier row: the next is a win-back */
    static const row_in twice[] = {
        {NULL, "Z", "2024-01-10", "2024-01-10"},
        {NULL, "Z", "2024-02-05", NULL},
    };
    static const row_out exp2[] = {
        {"2024-01", 0, 1, 0, 1, 0},
        {"2024-02", 0, 0, 1, 0, 1},
    };
    r = run(&o, twice, N(twice));
    expect_segment(r, 0, exp2, N(exp2));
    retain_rate_free(r);
}

static void test_end_before_start_is_data_error(void **state)
{
    (void)state;
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, NULL, NULL, NULL);
    retain_rate *r = retain_rate_new(&o);
    assert_non_null(r);
    assert_int_equal(
        retain_rate_add(r, NULL, 0, "a", 1, day_of("2024-02-01"), day_of("2024-01-31"), true),
        RETAIN_ERR_DATA);
    /* end is ignored unless has_end */
    assert_int_equal(
        retain_rate_add(r, NULL, 0, "b", 1, day_of("2024-02-01"), day_of("2024-01-31"), false),
        RETAIN_OK);
    retain_diag diag;
    assert_int_equal(retain_rate_finish(r, &diag), RETAIN_OK);
    assert_int_equal(retain_rate_customers(r), 1); /* the bad row was not kept */
    retain_rate_row row;
    retain_rate_get(r, 0, 0, &row);
    assert_int_equal(row.new_customers, 1);
    assert_int_equal(row.customers_end, 1);
    retain_rate_free(r);
}

static void test_censoring_at_as_of(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "A", "2024-01-10", "2024-02-20"}, /* end after as-of: open */
        {NULL, "C", "2024-01-10", "2024-02-15"}, /* ends on as-of */
        {NULL, "D", "2024-01-05", "2024-01-20"},
        {NULL, "D", "2024-02-16", NULL},  /* starts after as-of: ignored */
        {NULL, "B1", "2024-02-20", NULL}, /* ignored, same period as as-of */
        {NULL, "B2", "2024-03-05", NULL}, /* ignored, later period */
    };
    static const row_out exp[] = {
        {"2024-01", 0, 3, 0, 1, 2},
        {"2024-02", 2, 0, 0, 1, 1},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-02-15", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    expect_segment(r, 0, exp, N(exp));
    assert_int_equal(retain_rate_customers(r), 3);
    assert_int_equal(retain_rate_as_of(r), day_of("2024-02-15"));
    retain_rate_free(r);
}

static void test_default_as_of_is_latest_start(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "B", "2024-03-05", "2024-03-20"}, /* end after the latest start: open */
        {NULL, "A", "2024-01-10", NULL},
    };
    static const row_out exp[] = {
        {"2024-01", 0, 1, 0, 0, 1},
        {"2024-02", 1, 0, 0, 0, 1},
        {"2024-03", 1, 1, 0, 0, 2},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, NULL, NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    assert_int_equal(retain_rate_as_of(r), day_of("2024-03-05"));
    expect_segment(r, 0, exp, N(exp));
    retain_rate_free(r);
}

static void test_end_on_period_first_day(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "A", "2024-01-10", "2024-02-01"}, /* served through Jan 31 */
        {NULL, "B", "2024-01-10", "2024-01-31"}, /* not served on Jan 31 */
    };
    static const row_out exp[] = {
        {"2024-01", 0, 2, 0, 1, 1},
        {"2024-02", 1, 0, 0, 1, 0},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-02-29", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    expect_segment(r, 0, exp, N(exp));
    retain_rate_free(r);
}

static void test_renewal_without_gap_is_not_a_win_back(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "C1", "2024-01-10", "2024-02-01"},
        {NULL, "C1", "2024-02-01", NULL}, /* continues the day the first ends */
        {NULL, "C2", "2024-01-10", "2024-02-01"},
        {NULL, "C2", "2024-02-02", NULL}, /* in S for February: not reactivated */
    };
    static const row_out exp[] = {
        {"2024-01", 0, 2, 0, 0, 2},
        {"2024-02", 2, 0, 0, 0, 2},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-02-29", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    expect_segment(r, 0, exp, N(exp));
    retain_rate_free(r);
}

static void test_overlapping_rows_counted_once(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "O1", "2024-01-01", NULL},
        {NULL, "O1", "2024-01-15", "2024-03-01"},
        {NULL, "O2", "2024-01-05", "2024-02-20"},
        {NULL, "O2", "2024-02-10", "2024-03-15"},
    };
    static const row_out exp[] = {
        {"2024-01", 0, 2, 0, 0, 2},
        {"2024-02", 2, 0, 0, 0, 2},
        {"2024-03", 2, 0, 0, 1, 1},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-03-31", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    expect_segment(r, 0, exp, N(exp));
    assert_int_equal(retain_rate_customers(r), 2);
    retain_rate_free(r);
}

static void test_two_rows_starting_in_one_period(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "T", "2024-02-03", "2024-02-10"},
        {NULL, "T", "2024-02-20", NULL},
        {NULL, "U", "2024-02-03", "2024-02-10"},
        {NULL, "U", "2024-02-12", "2024-02-14"},
    };
    static const row_out exp[] = {
        {"2024-02", 0, 2, 0, 1, 1},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-02-29", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    expect_segment(r, 0, exp, N(exp));
    retain_rate_free(r);

    /* a win-back: two rows in March, after a row in January, count once */
    static const row_in back[] = {
        {NULL, "V", "2024-01-03", "2024-01-10"},
        {NULL, "V", "2024-03-03", "2024-03-05"},
        {NULL, "V", "2024-03-08", NULL},
    };
    static const row_out exp2[] = {
        {"2024-01", 0, 1, 0, 1, 0},
        {"2024-02", 0, 0, 0, 0, 0},
        {"2024-03", 0, 0, 1, 0, 1},
    };
    o = options(RETAIN_PERIOD_MONTH, "2024-03-31", NULL, NULL);
    r = run(&o, back, N(back));
    expect_segment(r, 0, exp2, N(exp2));
    retain_rate_free(r);
}

static const row_in basic_rows[] = {
    {NULL, "A", "2024-01-10", NULL},
    {NULL, "B", "2024-01-20", "2024-02-15"},
    {NULL, "C", "2024-02-05", NULL},
};

static void test_from_to_narrowing(void **state)
{
    (void)state;
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-03-31", "2024-02", "2024-02");
    retain_rate *r = run(&o, basic_rows, N(basic_rows));
    static const row_out feb[] = {{"2024-02", 2, 1, 0, 1, 2}};
    expect_segment(r, 0, feb, N(feb));
    retain_rate_free(r);

    /* S of the first period counts customers active before it */
    o = options(RETAIN_PERIOD_MONTH, "2024-03-31", "2024-03", NULL);
    r = run(&o, basic_rows, N(basic_rows));
    static const row_out mar[] = {{"2024-03", 2, 0, 0, 0, 2}};
    expect_segment(r, 0, mar, N(mar));
    retain_rate_free(r);

    o = options(RETAIN_PERIOD_MONTH, "2024-03-31", NULL, "2024-02");
    r = run(&o, basic_rows, N(basic_rows));
    static const row_out to_feb[] = {{"2024-01", 0, 2, 0, 0, 2}, {"2024-02", 2, 1, 0, 1, 2}};
    expect_segment(r, 0, to_feb, N(to_feb));
    retain_rate_free(r);

    /* --from/--to narrow (retain-metrics(7), "Periods"): before the data or past as-of, they are
     * held to the range of the data */
    static const row_out all[] = {
        {"2024-01", 0, 2, 0, 0, 2},
        {"2024-02", 2, 1, 0, 1, 2},
        {"2024-03", 2, 0, 0, 0, 2},
    };
    o = options(RETAIN_PERIOD_MONTH, "2024-03-31", "2023-11", "2024-04");
    r = run(&o, basic_rows, N(basic_rows));
    expect_segment(r, 0, all, N(all));
    retain_rate_free(r);

    /* the default as-of is the latest start: 2024-02-05 here, before B's
     * end on 02-15, which is then unknown: B is still a customer */
    o = options(RETAIN_PERIOD_MONTH, NULL, NULL, "2024-03");
    r = run(&o, basic_rows, N(basic_rows));
    static const row_out to_as_of[] = {{"2024-01", 0, 2, 0, 0, 2}, {"2024-02", 2, 1, 0, 0, 3}};
    expect_segment(r, 0, to_as_of, N(to_as_of));
    retain_rate_free(r);
}

static retain_status finish_status(const retain_rate_options *o, const row_in *rows, size_t n,
                                   retain_diag *diag)
{
    retain_rate *r = retain_rate_new(o);
    assert_non_null(r);
    add_rows(r, rows, n);
    retain_diag_clear(diag);
    retain_status st = retain_rate_finish(r, diag);
    retain_rate_free(r);
    return st;
}

static void test_bad_ranges(void **state)
{
    (void)state;
    retain_diag diag;
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-03-31", "2024-03", "2024-02");
    assert_int_equal(finish_status(&o, basic_rows, N(basic_rows), &diag), RETAIN_ERR_USAGE);
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);

    /* --from past as-of is an empty range too */
    o = options(RETAIN_PERIOD_MONTH, "2024-03-31", "2024-05", NULL);
    assert_int_equal(finish_status(&o, basic_rows, N(basic_rows), &diag), RETAIN_ERR_USAGE);

    /* --to before the first start: nothing left either */
    o = options(RETAIN_PERIOD_MONTH, "2024-03-31", NULL, "2023-12");
    assert_int_equal(finish_status(&o, basic_rows, N(basic_rows), &diag), RETAIN_ERR_USAGE);
}

static void test_no_rows_is_data_error(void **state)
{
    (void)state;
    retain_diag diag;
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, NULL, NULL, NULL);
    assert_int_equal(finish_status(&o, NULL, 0, &diag), RETAIN_ERR_DATA);
    assert_int_equal(diag.status, RETAIN_ERR_DATA);
    assert_true(diag.message[0] != '\0');
}

/* Rows exist, but the as-of given is before every start: the option is at
 * fault, not the data (a usage error naming the first start). */
static void test_as_of_before_every_start(void **state)
{
    (void)state;
    retain_diag diag;
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2023-12-31", NULL, NULL);
    assert_int_equal(finish_status(&o, basic_rows, N(basic_rows), &diag), RETAIN_ERR_USAGE);
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
    assert_non_null(strstr(diag.message, "2024-01-10"));
}

static void test_iso_weeks_across_year_boundary(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "A", "2020-12-29", NULL},
        {NULL, "B", "2021-01-02", "2021-01-05"},
        {NULL, "C", "2021-01-04", NULL},
    };
    static const row_out exp[] = {
        {"2020-W53", 0, 2, 0, 0, 2},
        {"2021-W01", 2, 1, 0, 1, 2},
    };
    retain_rate_options o = options(RETAIN_PERIOD_WEEK, "2021-01-10", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    expect_segment(r, 0, exp, N(exp));
    retain_rate_free(r);
}

static void test_quarters_and_days(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {NULL, "A", "2024-02-10", "2024-04-01"}, /* served through Mar 31 */
        {NULL, "B", "2024-03-31", "2024-04-02"},
        {NULL, "C", "2024-04-01", NULL},
    };
    static const row_out quarters[] = {
        {"2024-Q1", 0, 2, 0, 0, 2},
        {"2024-Q2", 2, 1, 0, 2, 1},
    };
    retain_rate_options o = options(RETAIN_PERIOD_QUARTER, "2024-06-30", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    expect_segment(r, 0, quarters, N(quarters));
    retain_rate_free(r);

    static const row_out days[] = {
        {"2024-03-30", 1, 0, 0, 0, 1},
        {"2024-03-31", 1, 1, 0, 0, 2},
        {"2024-04-01", 2, 1, 0, 1, 2},
        {"2024-04-02", 2, 0, 0, 1, 1},
    };
    o = options(RETAIN_PERIOD_DAY, "2024-04-02", "2024-03-30", NULL);
    r = run(&o, rows, N(rows));
    expect_segment(r, 0, days, N(days));
    retain_rate_free(r);
}

static void test_segments(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {"pro", "c1", "2024-01-10", NULL},   {"pro", "c2", "2024-01-15", "2024-02-10"},
        {"basic", "c1", "2024-01-20", NULL}, /* same id, another segment */
        {"Zeta", "z", "2024-02-01", NULL},   {"\xc3\xa9lite", "e", "2024-01-02", "2024-01-03"},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-02-29", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    assert_int_equal(retain_rate_customers(r), 5);
    assert_int_equal(retain_rate_segments(r), 4);
    static const char *const names[] = {"Zeta", "basic", "pro", "\xc3\xa9lite"};
    for (size_t g = 0; g < 4; g++) {
        size_t len = 0;
        const char *name = retain_rate_segment(r, g, &len);
        assert_int_equal(len, strlen(names[g]));
        assert_memory_equal(name, names[g], len);
    }
    static const row_out zeta[] = {{"2024-01", 0, 0, 0, 0, 0}, {"2024-02", 0, 1, 0, 0, 1}};
    static const row_out basic[] = {{"2024-01", 0, 1, 0, 0, 1}, {"2024-02", 1, 0, 0, 0, 1}};
    static const row_out pro[] = {{"2024-01", 0, 2, 0, 0, 2}, {"2024-02", 2, 0, 0, 1, 1}};
    static const row_out elite[] = {{"2024-01", 0, 1, 0, 1, 0}, {"2024-02", 0, 0, 0, 0, 0}};
    expect_segment(r, 0, zeta, N(zeta));
    expect_segment(r, 1, basic, N(basic));
    expect_segment(r, 2, pro, N(pro));
    expect_segment(r, 3, elite, N(elite));
    retain_rate_free(r);
}

static void test_segment_prefix_order(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {"ab", "x", "2024-01-10", NULL},  {"b", "x", "2024-01-10", NULL},
        {"abc", "x", "2024-01-10", NULL}, {"", "x", "2024-01-10", NULL},
        {"a", "x", "2024-01-10", NULL},
    };
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-01-31", NULL, NULL);
    retain_rate *r = run(&o, rows, N(rows));
    static const char *const names[] = {"", "a", "ab", "abc", "b"};
    assert_int_equal(retain_rate_segments(r), 5);
    for (size_t g = 0; g < 5; g++) {
        size_t len = 99;
        const char *name = retain_rate_segment(r, g, &len);
        assert_int_equal(len, strlen(names[g]));
        assert_memory_equal(name, names[g], len);
    }
    retain_rate_free(r);
}

static void test_id_is_bytes_of_given_length(void **state)
{
    (void)state;
    retain_rate_options o = options(RETAIN_PERIOD_MONTH, "2024-01-31", NULL, NULL);
    retain_rate *r = retain_rate_new(&o);
    assert_non_null(r);
    retain_day d = day_of("2024-01-10");
    assert_int_equal(retain_rate_add(r, NULL, 0, "abXYZ", 2, d, 0, false), RETAIN_OK);
    assert_int_equal(retain_rate_add(r, NULL, 0, "ab", 2, d + 1, 0, false), RETAIN_OK);
    assert_int_equal(retain_rate_add(r, NULL, 0, "aB", 2, d, 0, false), RETAIN_OK);
    assert_int_equal(retain_rate_finish(r, NULL), RETAIN_OK);
    assert_int_equal(retain_rate_customers(r), 2); /* ids are case-sensitive bytes */
    retain_rate_free(r);
}

static void check_pct(int64_t s, int64_t e, int64_t n, int decimals, const char *retention,
                      const char *churn)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    assert_true(retain_retention_pct(s, e, n, decimals, buf));
    assert_string_equal(buf, retention);
    assert_true(retain_churn_pct(s, e, n, decimals, buf));
    assert_string_equal(buf, churn);
}

static void test_percentages(void **state)
{
    (void)state;
    check_pct(200, 210, 30, 2, "90.00", "10.00"); /* retain-rate(1)'s one-liner */
    check_pct(2, 2, 1, 2, "50.00", "50.00");
    check_pct(3, 2, 0, 2, "66.67", "33.33");
    check_pct(3, 2, 0, 0, "67", "33");
    check_pct(8, 8, 1, 1, "87.5", "12.5");
    check_pct(1, 1, 1, 2, "0.00", "100.00");
    check_pct(4, 1, 3, 2, "-50.00", "150.00"); /* negative retention */
    check_pct(3, 1, 2, 2, "-33.33", "133.33");
    check_pct(2, 3, 0, 2, "150.00", "-50.00");
    check_pct(7, 0, 0, 2, "0.00", "100.00");
    char buf[RETAIN_NUMBER_BUFSIZE];
    strcpy(buf, "x");
    assert_false(retain_retention_pct(0, 5, 5, 2, buf));
    assert_string_equal(buf, "");
    strcpy(buf, "x");
    assert_false(retain_churn_pct(0, 5, 5, 2, buf));
    assert_string_equal(buf, "");
    strcpy(buf, "x");
    assert_false(retain_retention_pct(0, 0, 0, 2, buf));
    assert_string_equal(buf, "");
}

/* ---- retain-metrics(7) transcribed day by day, on random rows ------ */

typedef struct {
    int seg;
    int id;
    retain_day start, end;
    bool has_end;
} rnd_row;

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)((rng_state >> 33) % n);
}

static const char *const rnd_segs[] = {"b", "a", "B"}; /* sorted: B, a, b */
static const int rnd_seg_order[] = {2, 1, 0};

/* Whether customer (seg, id) is active on day d, as retain-metrics(7) defines it. */
static bool oracle_active(const rnd_row *rows, size_t n, int seg, int id, retain_day as_of,
                          retain_day d)
{
    for (size_t i = 0; i < n; i++) {
        const rnd_row *x = &rows[i];
        if (x->seg != seg || x->id != id || x->start > as_of)
            continue;
        bool open = !x->has_end || x->end > as_of;
        if (x->start <= d && (open || d < x->end))
            return true;
    }
    return false;
}

static const retain_period_kind kinds[] = {RETAIN_PERIOD_DAY, RETAIN_PERIOD_WEEK,
                                           RETAIN_PERIOD_MONTH, RETAIN_PERIOD_QUARTER,
                                           RETAIN_PERIOD_YEAR};

static void random_round(retain_period_kind k, bool with_segments, bool explicit_as_of, int nid,
                         size_t nrows)
{
    rnd_row *rows = calloc(nrows, sizeof *rows);
    assert_non_null(rows);
    const retain_day base = day_of("2023-01-01");
    const int span = 500;
    for (size_t i = 0; i < nrows; i++) {
        rnd_row *x = &rows[i];
        x->seg = with_segments ? (int)rnd(3) : -1;
        x->id = (int)rnd((uint32_t)nid);
        x->start = base + (retain_day)rnd(span);
        uint32_t kind = rnd(10);
        x->has_end = kind >= 3;
        if (kind == 3)
            x->end = x->start; /* serves no day */
        else if (kind < 7)
            x->end = x->start + 1 + (retain_day)rnd(40);
        else
            x->end = x->start + 1 + (retain_day)rnd(300);
    }
    retain_day max_start = rows[0].start;
    for (size_t i = 1; i < nrows; i++)
        if (rows[i].start > max_start)
            max_start = rows[i].start;
    retain_rate_options o;
    memset(&o, 0, sizeof o);
    o.period = k;
    retain_day as_of = max_start;
    if (explicit_as_of) {
        o.has_as_of = true;
        o.as_of = as_of = base + span - 120 + (retain_day)rnd(100);
    }
    retain_rate *r = retain_rate_new(&o);
    assert_non_null(r);
    for (size_t i = 0; i < nrows; i++) {
        char id[16];
        int n = snprintf(id, sizeof id, "cust%d", rows[i].id);
        const char *seg = rows[i].seg >= 0 ? rnd_segs[rows[i].seg] : NULL;
        assert_int_equal(retain_rate_add(r, seg, seg ? strlen(seg) : 0, id, (size_t)n,
                                         rows[i].start, rows[i].end, rows[i].has_end),
                         RETAIN_OK);
    }
    retain_diag diag;
    assert_int_equal(retain_rate_finish(r, &diag), RETAIN_OK);
    assert_int_equal(retain_rate_as_of(r), as_of);

    retain_day min_start = RETAIN_DAY_MAX;
    for (size_t i = 0; i < nrows; i++)
        if (rows[i].start <= as_of && rows[i].start < min_start)
            min_start = rows[i].start;
    int32_t first = retain_period_of(k, min_start), last = retain_period_of(k, as_of);
    assert_int_equal(retain_rate_periods(r), (size_t)(last - first + 1));
    /* the segments that have a row on or before as-of, in byte order */
    int segs[3], nseg = 0;
    for (int j = 0; j < (with_segments ? 3 : 1); j++) {
        int seg = with_segments ? rnd_seg_order[j] : -1;
        for (size_t i = 0; i < nrows; i++) {
            if (rows[i].seg == seg && rows[i].start <= as_of) {
                segs[nseg++] = seg;
                break;
            }
        }
    }
    assert_int_equal(retain_rate_segments(r), (size_t)nseg);

    for (int g = 0; g < nseg; g++) {
        int seg = segs[g];
        if (with_segments) {
            size_t len;
            const char *name = retain_rate_segment(r, (size_t)g, &len);
            assert_int_equal(len, 1);
            assert_memory_equal(name, rnd_segs[seg], 1);
        }
        for (int32_t p = first; p <= last; p++) {
            retain_day p0 = retain_period_first_day(k, p), p1 = retain_period_last_day(k, p);
            int64_t s = 0, e = 0, fresh = 0, back = 0;
            for (int id = 0; id < nid; id++) {
                bool in_s = oracle_active(rows, nrows, seg, id, as_of, p0 - 1);
                s += in_s;
                e += oracle_active(rows, nrows, seg, id, as_of, p1);
                bool starts_here = false;
                retain_day first_start = RETAIN_DAY_MAX;
                for (size_t i = 0; i < nrows; i++) {
                    const rnd_row *x = &rows[i];
                    if (x->seg != seg || x->id != id || x->start > as_of)
                        continue;
                    if (x->start < first_start)
                        first_start = x->start;
                    if (x->start >= p0 && x->start <= p1)
                        starts_here = true;
                }
                if (!in_s && starts_here) {
                    if (first_start >= p0)
                        fresh++;
                    else
                        back++;
                }
            }
            retain_rate_row row;
            retain_rate_get(r, (size_t)g, (size_t)(p - first), &row);
            if (row.period != p || row.customers_start != s || row.customers_end != e ||
                row.new_customers != fresh || row.reactivated != back ||
                row.lost != s + fresh + back - e) {
                char label[16];
                retain_period_label(k, p, label);
                fail_msg("%s %s segment %d: got S=%lld new=%lld react=%lld lost=%lld E=%lld, "
                         "expected S=%lld new=%lld react=%lld lost=%lld E=%lld",
                         retain_period_kind_name(k), label, g, (long long)row.customers_start,
                         (long long)row.new_customers, (long long)row.reactivated,
                         (long long)row.lost, (long long)row.customers_end, (long long)s,
                         (long long)fresh, (long long)back, (long long)(s + fresh + back - e),
                         (long long)e);
            }
        }
    }
    retain_rate_free(r);
    free(rows);
}

static void test_random_against_spec(void **state)
{
    (void)state;
    rng_state = 20240315;
    for (int round = 0; round < 60; round++) {
        retain_period_kind k = kinds[round % 5];
        int nid = 3 + (int)rnd(30);
        size_t nrows = 1 + rnd(80);
        random_round(k, round % 2 == 1, round % 3 != 0, nid, nrows);
    }
}

/* A rate counting whole from `from` lists the counts of the rate by id
 * (ref) from that day's period on (or the first start's, when later). */
static void same_counts(const retain_rate *ref, const retain_rate *whole, retain_period_kind k,
                        retain_day from)
{
    size_t nref = retain_rate_periods(ref), n = retain_rate_periods(whole);
    retain_rate_row a, b;
    retain_rate_get(ref, 0, nref - 1, &a);
    int32_t first = a.period - (int32_t)nref + 1, want = retain_period_of(k, from);
    if (want < first)
        want = first;
    assert_int_equal(n, (size_t)(a.period - want + 1));
    assert_int_equal(retain_rate_segments(whole), retain_rate_segments(ref));
    for (size_t g = 0; g < retain_rate_segments(ref); g++) {
        size_t la, lb;
        const char *na = retain_rate_segment(ref, g, &la), *nb = retain_rate_segment(whole, g, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(na, nb, la);
        for (size_t p = 0; p < n; p++) {
            retain_rate_get(ref, g, (size_t)(want - first) + p, &a);
            retain_rate_get(whole, g, p, &b);
            assert_int_equal(b.period, a.period);
            assert_int_equal(b.customers_start, a.customers_start);
            assert_int_equal(b.new_customers, a.new_customers);
            assert_int_equal(b.reactivated, a.reactivated);
            assert_int_equal(b.lost, a.lost);
            assert_int_equal(b.customers_end, a.customers_end);
            assert_int_equal(b.kept, a.kept);
        }
    }
}

/* A rate counting whole (rt_rate_count_whole) from a random day, its
 * customers (rt_rate_add_customer) in two parts merged (rt_rate_merge_whole) or in one, lists the
 * counts of the rate by id from that day's period on (or the first
 * start's, when later). */
static void counted_round(retain_period_kind k, bool with_segments, int nid, size_t nrows)
{
    rnd_row *rows = calloc(nrows, sizeof *rows);
    assert_non_null(rows);
    const retain_day base = day_of("2023-01-01");
    for (size_t i = 0; i < nrows; i++) {
        rnd_row *x = &rows[i];
        x->seg = with_segments ? (int)rnd(3) : -1;
        x->id = (int)rnd((uint32_t)nid);
        x->start = base + (retain_day)rnd(500);
        uint32_t kind = rnd(10);
        x->has_end = kind >= 3;
        x->end = kind == 3 ? x->start : x->start + 1 + (retain_day)rnd(kind < 7 ? 40 : 300);
    }
    retain_rate_options o;
    memset(&o, 0, sizeof o);
    o.period = k;
    o.has_as_of = true;
    o.as_of = base + 380 + (retain_day)rnd(100);
    retain_day from = base - 30 + (retain_day)rnd(400);
    retain_rate *ref = retain_rate_new(&o), *part[2] = {retain_rate_new(&o), retain_rate_new(&o)};
    assert_non_null(ref);
    assert_non_null(part[0]);
    assert_non_null(part[1]);
    for (int h = 0; h < 2; h++)
        assert_int_equal(rt_rate_count_whole(part[h], from), RETAIN_OK);
    /* without segments: every customer counted into all, those of part 0
     * into sub as well and taken out of all after, which then counts part
     * 1's, as does rest by id */
    retain_rate *all = NULL, *sub = NULL, *rest = NULL;
    if (!with_segments) {
        all = retain_rate_new(&o);
        sub = retain_rate_new(&o);
        rest = retain_rate_new(&o);
        assert_non_null(all);
        assert_non_null(sub);
        assert_non_null(rest);
        assert_int_equal(rt_rate_count_whole(all, from), RETAIN_OK);
        assert_int_equal(rt_rate_count_whole(sub, from), RETAIN_OK);
    }
    /* customers in the order they first appear, the first `split` to part 0 */
    int split = (int)rnd((uint32_t)nid + 1), seen = 0;
    bool *done = calloc(nrows, sizeof *done);
    rt_span *spans = calloc(nrows, sizeof *spans);
    assert_non_null(done);
    assert_non_null(spans);
    for (size_t i = 0; i < nrows; i++) {
        char id[16];
        int n = snprintf(id, sizeof id, "cust%d", rows[i].id);
        const char *seg = rows[i].seg >= 0 ? rnd_segs[rows[i].seg] : NULL;
        size_t seg_len = seg ? 1 : 0;
        assert_int_equal(retain_rate_add(ref, seg, seg_len, id, (size_t)n, rows[i].start,
                                         rows[i].end, rows[i].has_end),
                         RETAIN_OK);
        if (done[i])
            continue;
        retain_rate *to = part[seen++ < split ? 0 : 1];
        size_t m = 0;
        for (size_t j = i; j < nrows; j++) {
            if (done[j] || rows[j].id != rows[i].id || rows[j].seg != rows[i].seg)
                continue;
            done[j] = true;
            spans[m++] = (rt_span){rows[j].start, rows[j].has_end ? rows[j].end : RT_NO_END, 0};
            if (rest && to == part[1])
                assert_int_equal(retain_rate_add(rest, NULL, 0, id, (size_t)n, rows[j].start,
                                                 rows[j].end, rows[j].has_end),
                                 RETAIN_OK);
        }
        if (all) { /* the rows are changed by an add: each its copy */
            rt_span copy[80];
            memcpy(copy, spans, m * sizeof *spans);
            assert_int_equal(rt_rate_add_customer(all, NULL, 0, copy, m), RETAIN_OK);
            memcpy(copy, spans, m * sizeof *spans);
            if (to == part[0])
                assert_int_equal(rt_rate_add_customer(sub, NULL, 0, copy, m), RETAIN_OK);
        }
        assert_int_equal(rt_rate_add_customer(to, seg, seg_len, spans, m), RETAIN_OK);
    }
    free(done);
    free(spans);
    retain_diag diag;
    assert_int_equal(rt_rate_merge_whole(part[0], part[1]), RETAIN_OK);
    retain_rate_free(part[1]);
    retain_rate *whole = part[0];
    if (all) {
        assert_int_equal(rt_rate_take_out(all, NULL, 0, sub), RETAIN_OK);
        retain_rate_free(sub);
        /* rest has a row when part 1 has one on or before as-of */
        retain_status rs = retain_rate_finish(rest, &diag);
        if (rs == RETAIN_OK) {
            assert_int_equal(retain_rate_finish(all, &diag), RETAIN_OK);
            retain_rate_row x;
            retain_rate_get(all, 0, retain_rate_periods(all) - 1, &x);
            retain_rate_row y;
            retain_rate_get(rest, 0, retain_rate_periods(rest) - 1, &y);
            /* all's periods start at the first start of every customer:
             * compare from rest's first period that all lists */
            int32_t lo = x.period - (int32_t)retain_rate_periods(all) + 1,
                    lo_rest = y.period - (int32_t)retain_rate_periods(rest) + 1;
            for (int32_t q = lo > lo_rest ? lo : lo_rest; q <= x.period; q++) {
                retain_rate_get(all, 0, (size_t)(q - lo), &x);
                retain_rate_get(rest, 0, (size_t)(q - lo_rest), &y);
                assert_int_equal(x.customers_start, y.customers_start);
                assert_int_equal(x.new_customers + x.reactivated, y.new_customers + y.reactivated);
                assert_int_equal(x.new_customers, y.new_customers);
                assert_int_equal(x.customers_end, y.customers_end);
                assert_int_equal(x.kept, y.kept);
            }
        }
        retain_rate_free(all);
        retain_rate_free(rest);
    }
    retain_status st = retain_rate_finish(ref, &diag);
    assert_int_equal(retain_rate_finish(whole, &diag), st);
    if (st != RETAIN_OK) { /* every row after as-of */
        retain_rate_free(ref);
        retain_rate_free(whole);
        free(rows);
        return;
    }
    same_counts(ref, whole, k, from);
    retain_rate_free(ref);
    retain_rate_free(whole);
    free(rows);
}

static void test_random_counted_whole(void **state)
{
    (void)state;
    rng_state = 20261202;
    for (int round = 0; round < 100; round++)
        counted_round(kinds[round % 5], round % 2 == 1, 2 + (int)rnd(30), 1 + rnd(80));
    /* only before any row, with the as-of given, without --from/--to */
    retain_rate_options o = {.period = RETAIN_PERIOD_MONTH};
    retain_rate *r = retain_rate_new(&o);
    assert_non_null(r);
    assert_int_equal(rt_rate_count_whole(r, day_of("2024-01-01")), RETAIN_ERR_USAGE);
    retain_rate_free(r);
    o.has_as_of = true;
    o.as_of = day_of("2024-06-30");
    r = retain_rate_new(&o);
    assert_non_null(r);
    assert_int_equal(rt_rate_count_whole(r, day_of("2024-07-01")), RETAIN_ERR_USAGE);
    assert_int_equal(rt_rate_count_whole(r, day_of("2024-01-15")), RETAIN_OK);
    assert_int_equal(rt_rate_count_whole(r, day_of("2024-01-15")), RETAIN_ERR_USAGE);
    retain_rate_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_months),
        cmocka_unit_test(test_win_back_is_reactivated),
        cmocka_unit_test(test_join_and_leave_in_one_period),
        cmocka_unit_test(test_end_equals_start),
        cmocka_unit_test(test_end_before_start_is_data_error),
        cmocka_unit_test(test_censoring_at_as_of),
        cmocka_unit_test(test_default_as_of_is_latest_start),
        cmocka_unit_test(test_end_on_period_first_day),
        cmocka_unit_test(test_renewal_without_gap_is_not_a_win_back),
        cmocka_unit_test(test_overlapping_rows_counted_once),
        cmocka_unit_test(test_two_rows_starting_in_one_period),
        cmocka_unit_test(test_from_to_narrowing),
        cmocka_unit_test(test_bad_ranges),
        cmocka_unit_test(test_no_rows_is_data_error),
        cmocka_unit_test(test_as_of_before_every_start),
        cmocka_unit_test(test_iso_weeks_across_year_boundary),
        cmocka_unit_test(test_quarters_and_days),
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_segment_prefix_order),
        cmocka_unit_test(test_id_is_bytes_of_given_length),
        cmocka_unit_test(test_percentages),
        cmocka_unit_test(test_random_against_spec),
        cmocka_unit_test(test_random_counted_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
