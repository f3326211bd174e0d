/* Unit tests for retain/cohort.h: a table worked out by hand, MRR
 * retention past 100 % with a win-back at a higher price, agreement with
 * retain/rate.h on random rows (a cohort's size is the new it contributed;
 * summed over cohorts, the active customers of a period are its
 * customers_end), and the store's per-row MRR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/cohort.h>
#include <retain/rate.h>

#include "store.h"

static retain_day day_of(const char *iso)
{
    retain_day d = 0;
    if (!retain_date_parse(iso, strlen(iso), NULL, &d))
        fail_msg("bad test date %s", iso);
    return d;
}

typedef struct {
    const char *id, *start, *end;
    retain_money mrr;
} row_in;

static retain_cohort *build(const row_in *rows, size_t n, retain_period_kind k, bool revenue,
                            const char *as_of)
{
    retain_cohort_options o = {.period = k, .revenue = revenue};
    if (as_of) {
        o.has_as_of = true;
        o.as_of = day_of(as_of);
    }
    retain_cohort *co = retain_cohort_new(&o);
    assert_non_null(co);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(retain_cohort_add(co, NULL, 0, rows[i].id, strlen(rows[i].id),
                                           day_of(rows[i].start),
                                           rows[i].end ? day_of(rows[i].end) : 0,
                                           rows[i].end != NULL, rows[i].mrr),
                         RETAIN_OK);
    retain_diag d;
    assert_int_equal(retain_cohort_finish(co, &d), RETAIN_OK);
    return co;
}

#define M(x) ((retain_money)((x)*RETAIN_MONEY_SCALE))

static void test_by_hand(void **state)
{
    (void)state;
    const row_in rows[] = {
        {"a", "2024-01-10", NULL, M(100)},
        {"b", "2024-01-20", "2024-02-15", M(50)}, /* gone before 02-29 */
        {"c", "2024-01-31", "2024-01-31", M(10)}, /* serves no day, yet in the cohort */
        {"b", "2024-03-05", NULL, M(80)},         /* won back at a higher price */
        {"d", "2024-02-29", "2024-04-01", M(40)}, /* active on 03-31, not 04-30 */
        {"e", "2024-04-02", "2024-09-01", M(70)}, /* end after as-of: open */
    };
    retain_cohort *co = build(rows, 6, RETAIN_PERIOD_MONTH, true, "2024-04-30");
    assert_int_equal(retain_cohort_cohorts(co), 4); /* 2024-01 .. 2024-04 */
    assert_int_equal(retain_cohort_segments(co), 1);
    retain_cohort_cell c;
    /* 2024-01: a, b, c; starting MRR 160 */
    assert_true(retain_cohort_get(co, 0, 0, 0, &c));
    assert_int_equal(c.size, 3);
    assert_int_equal(c.starting_mrr, M(160));
    assert_int_equal(c.ages, 4);
    assert_int_equal(c.active, 2); /* a, b on 01-31 */
    assert_int_equal(c.mrr, M(150));
    assert_true(retain_cohort_get(co, 0, 0, 1, &c));
    assert_int_equal(c.active, 1); /* a */
    assert_int_equal(c.mrr, M(100));
    assert_true(retain_cohort_get(co, 0, 0, 2, &c));
    assert_int_equal(c.active, 2);   /* a, b won back */
    assert_int_equal(c.mrr, M(180)); /* 112.5 % of 160 */
    assert_true(retain_cohort_get(co, 0, 0, 3, &c));
    assert_int_equal(c.active, 2);
    assert_false(retain_cohort_get(co, 0, 0, 4, &c)); /* after as-of: absent */
    /* 2024-02: d */
    assert_true(retain_cohort_get(co, 0, 1, 0, &c));
    assert_int_equal(c.cohort, retain_period_of(RETAIN_PERIOD_MONTH, day_of("2024-02-01")));
    assert_int_equal(c.size, 1);
    assert_int_equal(c.active, 1);
    assert_true(retain_cohort_get(co, 0, 1, 1, &c));
    assert_int_equal(c.active, 1);
    assert_true(retain_cohort_get(co, 0, 1, 2, &c));
    assert_int_equal(c.active, 0);
    assert_int_equal(c.ages, 3);
    /* 2024-03: nobody new (b is a win-back) */
    assert_true(retain_cohort_get(co, 0, 2, 0, &c));
    assert_int_equal(c.size, 0);
    assert_int_equal(c.active, 0);
    /* mean at age 1: cohorts 01, 02, 03 reached it: (1 + 1 + 0) / (3 + 1 + 0) */
    retain_cohort_mean(co, 0, 1, &c);
    assert_int_equal(c.cohort, -1);
    assert_int_equal(c.ages, 3);
    assert_int_equal(c.size, 4);
    assert_int_equal(c.active, 2);
    assert_int_equal(c.starting_mrr, M(200));
    assert_int_equal(c.mrr, M(140));
    /* age 3: the first cohort only */
    retain_cohort_mean(co, 0, 3, &c);
    assert_int_equal(c.ages, 1);
    assert_int_equal(c.size, 3);
    retain_cohort_free(co);
}

static void test_degenerate(void **state)
{
    (void)state;
    /* one customer, churned on day 0 */
    const row_in one[] = {{"a", "2024-05-05", "2024-05-05", 0}};
    retain_cohort *co = build(one, 1, RETAIN_PERIOD_QUARTER, true, NULL);
    retain_cohort_cell c;
    assert_int_equal(retain_cohort_cohorts(co), 1);
    assert_true(retain_cohort_get(co, 0, 0, 0, &c));
    assert_int_equal(c.size, 1);
    assert_int_equal(c.active, 0);
    assert_int_equal(c.starting_mrr, 0); /* a ratio over 0: empty, by retain_format_ratio */
    retain_cohort_free(co);
    /* no row, and every row after as-of */
    retain_cohort_options o = {.period = RETAIN_PERIOD_MONTH};
    retain_diag d;
    co = retain_cohort_new(&o);
    assert_int_equal(retain_cohort_finish(co, &d), RETAIN_ERR_DATA);
    retain_cohort_free(co);
    o.has_as_of = true;
    o.as_of = day_of("2020-01-01");
    co = retain_cohort_new(&o);
    assert_int_equal(retain_cohort_add(co, NULL, 0, "a", 1, day_of("2021-01-01"), 0, false, 0),
                     RETAIN_OK);
    assert_int_equal(retain_cohort_add(co, NULL, 0, "a", 1, 10, 9, true, 0), RETAIN_ERR_DATA);
    assert_int_equal(retain_cohort_finish(co, &d), RETAIN_ERR_USAGE);
    retain_cohort_free(co);
    /* days are not a period for cohorts */
    o.period = RETAIN_PERIOD_DAY;
    assert_null(retain_cohort_new(&o));
}

/* Random rows (win-backs, overlaps, zero-length rows, segments) through
 * both accumulators. */
static void test_agrees_with_rate(void **state)
{
    (void)state;
    const retain_period_kind kinds[] = {RETAIN_PERIOD_WEEK, RETAIN_PERIOD_MONTH,
                                        RETAIN_PERIOD_QUARTER, RETAIN_PERIOD_YEAR};
    srand(11);
    for (int round = 0; round < 40; round++) {
        retain_period_kind k = kinds[round % 4];
        retain_cohort_options co_opt = {.period = k};
        retain_rate_options rate_opt = {.period = k};
        if (round % 3 == 0) {
            co_opt.has_as_of = rate_opt.has_as_of = true;
            co_opt.as_of = rate_opt.as_of = day_of("2024-01-01") + rand() % 500;
        }
        retain_cohort *co = retain_cohort_new(&co_opt);
        retain_rate *rate = retain_rate_new(&rate_opt);
        int nrows = 1 + rand() % 300;
        for (int i = 0; i < nrows; i++) {
            char id[16];
            int len = snprintf(id, sizeof id, "c%d", rand() % 80);
            const char *seg = rand() % 3 ? "Pro" : "Basic";
            retain_day s = day_of("2023-06-01") + rand() % 700;
            int kind = rand() % 4;
            retain_day e = s + (kind == 0 ? 0 : rand() % 400);
            bool has_end = kind != 3;
            assert_int_equal(retain_cohort_add(co, seg, 3 + (seg[0] == 'B') * 2, id, (size_t)len, s,
                                               e, has_end, 0),
                             RETAIN_OK);
            assert_int_equal(
                retain_rate_add(rate, seg, 3 + (seg[0] == 'B') * 2, id, (size_t)len, s, e, has_end),
                RETAIN_OK);
        }
        retain_diag d;
        retain_status a = retain_cohort_finish(co, &d), b = retain_rate_finish(rate, &d);
        assert_int_equal(a, b);
        if (a == RETAIN_OK) {
            size_t n = retain_cohort_cohorts(co);
            assert_int_equal(n, retain_rate_periods(rate));
            assert_int_equal(retain_cohort_segments(co), retain_rate_segments(rate));
            for (size_t g = 0; g < retain_cohort_segments(co); g++) {
                for (size_t p = 0; p < n; p++) {
                    retain_rate_row r;
                    retain_rate_get(rate, g, p, &r);
                    retain_cohort_cell c;
                    retain_cohort_get(co, g, p, 0, &c);
                    assert_int_equal(c.cohort, r.period);
                    assert_int_equal(c.size, r.new_customers);
                    int64_t active = 0;
                    for (size_t q = 0; q <= p; q++) {
                        assert_true(retain_cohort_get(co, g, q, (int32_t)(p - q), &c));
                        active += c.active;
                    }
                    assert_int_equal(active, r.customers_end);
                }
            }
        }
        retain_cohort_free(co);
        retain_rate_free(rate);
    }
}

/* The store keeps each row's MRR only when asked, and rate's store none. */
static void test_store_mrr(void **state)
{
    (void)state;
    rt_store s;
    rt_store_init(&s);
    rt_store_keep_mrr(&s);
    assert_true(rt_store_reserve(&s, 10));
    for (int i = 0; i < 3000; i++) {
        rt_pending p;
        char id[16];
        int len = snprintf(id, sizeof id, "%d", i % 1000);
        rt_store_key(0, id, (size_t)len, &p);
        p.start = i;
        p.end = RT_NO_END;
        p.mrr = i;
        assert_true(rt_store_add_many(&s, &p, 1));
    }
    assert_int_equal(s.n, 1000);
    assert_int_equal(s.nextra, 2000);
    for (size_t i = 0; i < s.n; i++) {
        assert_int_equal(s.mrr[i], s.cust[i].start);
        for (uint32_t e = s.cust[i].more; e; e = s.extra[e - 1].next)
            assert_int_equal(s.extra_mrr[e - 1], s.extra[e - 1].start);
    }
    size_t with = rt_store_bytes(&s);
    rt_store_free(&s);
    rt_store_init(&s);
    assert_true(rt_store_reserve(&s, 10));
    for (int i = 0; i < 3000; i++) {
        char id[16];
        int len = snprintf(id, sizeof id, "%d", i % 1000);
        assert_true(rt_store_add(&s, 0, id, (size_t)len, i, RT_NO_END));
    }
    assert_null(s.mrr);
    assert_null(s.extra_mrr);
    assert_true(rt_store_bytes(&s) + 3000 * sizeof(int64_t) == with);
    rt_store_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_agrees_with_rate),
        cmocka_unit_test(test_store_mrr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
