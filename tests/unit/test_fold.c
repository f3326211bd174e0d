/* Unit tests for the two-core finish of churn and survival
 * (lib/metrics/lives_fold.h): the customers split at any point, each half
 * folded into its own accumulator and the two merged, give exactly the
 * tables of the one-thread fold; and retain_lives_each_part's parts
 * together walk every life once. The rows are random: customers with
 * renewals, overlaps, win-backs (several lives, so that the lives of the
 * customers on either side of a split are split from each other but never
 * among themselves), open rows, segments and reasons that the halves meet
 * in different orders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/churn.h>
#include <retain/lives.h>
#include <retain/survival.h>

#include "lives_fold.h"

#define CUSTOMERS 150
#define MAX_ROWS 700

typedef struct {
    char id[16];
    const char *seg, *why;
    int32_t start, end; /* end -1: open */
    retain_money mrr;
} row_in;

static uint64_t rng = 1;

static uint32_t next(uint32_t n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33) % n;
}

/* Rows of CUSTOMERS customers, in customer order (the stores index
 * customers by first appearance): the later customers take segments and
 * reasons the earlier ones have not. */
static size_t make_rows(row_in *rows)
{
    static const char *const segs[] = {"Basic", "Pro", "", "Enterprise", "zeta", "Team"};
    static const char *const whys[] = {"", "price", "moved", "support", "budget"};
    size_t n = 0;
    for (int c = 0; c < CUSTOMERS; c++) {
        int32_t day = (int32_t)next(1200);
        int nrows = 1 + (int)next(4);
        for (int k = 0; k < nrows && n < MAX_ROWS; k++) {
            row_in *r = &rows[n++];
            snprintf(r->id, sizeof r->id, "C%04d", c);
            r->seg = segs[(c < CUSTOMERS / 2 ? next(3) : 2 + next(4))];
            r->why = whys[(c < CUSTOMERS / 3 ? next(2) : next(5))];
            r->start = day;
            int32_t len = (int32_t)next(400);
            r->end = next(6) == 0 ? -1 : day + len;
            r->mrr = (retain_money)next(100000) * 10000;
            /* the next row: a renewal on the end day, an overlap, or a
             * win-back after a gap */
            int32_t gap = (int32_t)next(3) == 0 ? 30 + (int32_t)next(200) : -(int32_t)next(5);
            day = r->end < 0 ? day + len : r->end + (gap > 0 ? gap : 0);
        }
    }
    return n;
}

static retain_churn *churn_of(const row_in *rows, size_t n, const retain_churn_options *o)
{
    retain_churn *c = retain_churn_new(o);
    assert_non_null(c);
    for (size_t i = 0; i < n; i++) {
        const row_in *r = &rows[i];
        assert_int_equal(retain_churn_add(c, r->id, strlen(r->id), r->seg, strlen(r->seg), r->why,
                                          strlen(r->why), r->start, r->end, r->end >= 0, r->mrr),
                         RETAIN_OK);
    }
    return c;
}

static void assert_same_churn(const retain_churn *a, const retain_churn *b, size_t nstages)
{
    assert_int_equal(retain_churn_segments(a), retain_churn_segments(b));
    assert_int_equal(retain_churn_periods(a), retain_churn_periods(b));
    assert_int_equal(retain_churn_reasons(a), retain_churn_reasons(b));
    size_t nr = retain_churn_reasons(a) ? retain_churn_reasons(a) : 1;
    for (size_t r = 0; r < retain_churn_reasons(a); r++) {
        size_t la, lb;
        const char *x = retain_churn_reason(a, r, &la), *y = retain_churn_reason(b, r, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
    }
    for (size_t g = 0; g < retain_churn_segments(a); g++) {
        size_t la, lb;
        const char *x = retain_churn_segment(a, g, &la), *y = retain_churn_segment(b, g, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        for (size_t p = 0; p < retain_churn_periods(a); p++)
            for (size_t s = 0; s < nstages; s++)
                for (size_t r = 0; r < nr; r++) {
                    retain_churn_cell u, v;
                    retain_churn_get(a, g, p, s, r, &u);
                    retain_churn_get(b, g, p, s, r, &v);
                    assert_int_equal(u.entered, v.entered);
                    assert_int_equal(u.churned, v.churned);
                    assert_int_equal(u.churned_all, v.churned_all);
                    assert_int_equal(u.mrr_entered, v.mrr_entered);
                    assert_int_equal(u.mrr_churned, v.mrr_churned);
                }
    }
}

/* Every split point, by segment and reason, by period or not, with and
 * without a merge gap. */
static void test_churn_split_equals_one_thread(void **state)
{
    (void)state;
    static row_in rows[MAX_ROWS];
    rng = 7;
    size_t n = make_rows(rows);
    retain_diag d;
    retain_stages *st = retain_stages_parse("30,90,365", &d);
    assert_non_null(st);
    for (int variant = 0; variant < 4; variant++) {
        retain_churn_options o = {.stages = st,
                                  .by_period = variant & 1,
                                  .period = RETAIN_PERIOD_QUARTER,
                                  .merge_gap = variant & 2 ? 45 : 0,
                                  .segments = variant != 1,
                                  .reasons = variant != 2};
        retain_churn *one = churn_of(rows, n, &o);
        assert_int_equal(rt_churn_finish_at(one, SIZE_MAX - 1, &d), RETAIN_OK);
        size_t ncust = retain_lives_customers(retain_churn_lives(one));
        assert_int_equal(ncust, CUSTOMERS);
        for (size_t mid = 0; mid <= ncust; mid += variant == 0 ? 1 : 7) {
            retain_churn *two = churn_of(rows, n, &o);
            assert_int_equal(rt_churn_finish_at(two, mid, &d), RETAIN_OK);
            assert_same_churn(one, two, retain_stages_count(st));
            retain_churn_free(two);
        }
        /* the default split: one thread below RT_FOLD_SPLIT_MIN */
        retain_churn *dflt = churn_of(rows, n, &o);
        assert_int_equal(retain_churn_finish(dflt, &d), RETAIN_OK);
        assert_same_churn(one, dflt, retain_stages_count(st));
        retain_churn_free(dflt);
        retain_churn_free(one);
    }
    retain_stages_free(st);
}

static retain_survival *survival_of(const row_in *rows, size_t n, bool segments, bool durations)
{
    retain_survival_options o = {.segments = segments};
    retain_survival *sv = retain_survival_new(&o);
    assert_non_null(sv);
    if (durations) /* lives given as durations beside the rows: kept as they are */
        assert_int_equal(retain_survival_add_lives(sv, "Pro", 3, 100, true, 4), RETAIN_OK);
    for (size_t i = 0; i < n; i++) {
        const row_in *r = &rows[i];
        assert_int_equal(retain_survival_add(sv, r->id, strlen(r->id), r->seg, strlen(r->seg),
                                             r->start, r->end, r->end >= 0, r->mrr),
                         RETAIN_OK);
    }
    return sv;
}

static void assert_same_survival(const retain_survival *a, const retain_survival *b)
{
    assert_int_equal(retain_survival_segments(a), retain_survival_segments(b));
    for (size_t g = 0; g < retain_survival_segments(a); g++) {
        size_t la, lb, na, nb;
        const char *x = retain_survival_segment(a, g, &la), *y = retain_survival_segment(b, g, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        const retain_km_step *u = retain_survival_curve(a, g, &na);
        const retain_km_step *v = retain_survival_curve(b, g, &nb);
        assert_int_equal(na, nb);
        for (size_t i = 0; i < na; i++) {
            assert_int_equal(u[i].t, v[i].t);
            assert_int_equal(u[i].at_risk, v[i].at_risk);
            assert_int_equal(u[i].events, v[i].events);
            assert_int_equal(u[i].censored, v[i].censored);
            assert_true(u[i].survival == v[i].survival);
            assert_true(u[i].greenwood == v[i].greenwood ||
                        (isinf(u[i].greenwood) && isinf(v[i].greenwood)));
        }
    }
}

static void test_survival_split_equals_one_thread(void **state)
{
    (void)state;
    static row_in rows[MAX_ROWS];
    rng = 11;
    size_t n = make_rows(rows);
    retain_diag d;
    for (int variant = 0; variant < 3; variant++) {
        bool segments = variant != 1, durations = variant == 2;
        retain_survival *one = survival_of(rows, n, segments, durations);
        assert_int_equal(rt_survival_finish_at(one, SIZE_MAX - 1, &d), RETAIN_OK);
        for (size_t mid = 0; mid <= CUSTOMERS; mid += variant == 0 ? 1 : 5) {
            retain_survival *two = survival_of(rows, n, segments, durations);
            assert_int_equal(rt_survival_finish_at(two, mid, &d), RETAIN_OK);
            assert_same_survival(one, two);
            retain_survival_free(two);
        }
        retain_survival_free(one);
    }
}

typedef struct {
    size_t n;
    int64_t key[MAX_ROWS]; /* customer, index, start, end folded into one */
} walked;

static retain_status note(const retain_life *l, void *user)
{
    walked *w = user;
    assert_true(w->n < MAX_ROWS);
    w->key[w->n++] =
        ((((int64_t)l->customer * 8 + (int64_t)l->index) * 4096 + l->start) * 4096 + l->end) * 2 +
        l->has_end;
    return RETAIN_OK;
}

/* The parts, walked one after the other, call back for the lives of one
 * walk, in its order; a part out of range is refused. */
static void test_parts_walk_every_life_once(void **state)
{
    (void)state;
    static row_in rows[MAX_ROWS];
    rng = 3;
    size_t n = make_rows(rows);
    retain_lives_options o = {.merge_gap = 10};
    retain_lives *l = retain_lives_new(&o);
    assert_non_null(l);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(retain_lives_add(l, rows[i].id, strlen(rows[i].id), NULL, 0, NULL, 0,
                                          rows[i].start, rows[i].end, rows[i].end >= 0, 0),
                         RETAIN_OK);
    retain_diag d;
    assert_int_equal(retain_lives_finish(l, &d), RETAIN_OK);
    static walked all, parts;
    all.n = 0;
    assert_int_equal(retain_lives_each(l, note, &all), RETAIN_OK);
    assert_true(all.n > CUSTOMERS); /* win-backs */
    assert_int_equal(all.n, retain_lives_count(l));
    for (size_t k = 1; k <= 7; k++) {
        parts.n = 0;
        for (size_t p = 0; p < k; p++)
            assert_int_equal(retain_lives_each_part(l, p, k, note, &parts), RETAIN_OK);
        assert_int_equal(parts.n, all.n);
        assert_memory_equal(parts.key, all.key, all.n * sizeof all.key[0]);
    }
    assert_int_equal(retain_lives_each_part(l, 3, 3, note, &parts), RETAIN_ERR_USAGE);
    assert_int_equal(retain_lives_each_part(l, 0, 0, note, &parts), RETAIN_ERR_USAGE);
    /* the two halves of a fold, each into its own state */
    static walked first, second;
    for (size_t mid = 0; mid <= CUSTOMERS + 1; mid += 13) {
        first.n = second.n = 0;
        assert_int_equal(rt_lives_fold2(l, mid, note, &first, &second), RETAIN_OK);
        assert_int_equal(first.n + second.n, all.n);
        assert_memory_equal(first.key, all.key, first.n * sizeof all.key[0]);
        assert_memory_equal(second.key, all.key + first.n, second.n * sizeof all.key[0]);
        for (size_t i = 0; i < first.n; i++) /* the first half's customers only */
            assert_true(first.key[i] / (8 * 4096 * 4096 * 2) < (int64_t)mid);
    }
    retain_lives_free(l);
}

/* A callback's failure in either half is the fold's. */
static retain_status fail_at_customer(const retain_life *l, void *user)
{
    return l->customer == *(size_t *)user ? RETAIN_ERR_NOMEM : RETAIN_OK;
}

static void test_fold_reports_failure(void **state)
{
    (void)state;
    retain_lives_options o = {0};
    retain_lives *l = retain_lives_new(&o);
    assert_non_null(l);
    char id[16];
    for (int c = 0; c < 40; c++) {
        snprintf(id, sizeof id, "X%d", c);
        assert_int_equal(retain_lives_add(l, id, strlen(id), NULL, 0, NULL, 0, c, c + 5, true, 0),
                         RETAIN_OK);
    }
    retain_diag d;
    assert_int_equal(retain_lives_finish(l, &d), RETAIN_OK);
    size_t bad = 30, none = 99;
    assert_int_equal(rt_lives_fold2(l, 20, fail_at_customer, &none, &bad), RETAIN_ERR_NOMEM);
    assert_int_equal(rt_lives_fold2(l, 20, fail_at_customer, &bad, &none), RETAIN_OK);
    bad = 5;
    assert_int_equal(rt_lives_fold2(l, 20, fail_at_customer, &bad, &none), RETAIN_ERR_NOMEM);
    retain_lives_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_churn_split_equals_one_thread),
        cmocka_unit_test(test_survival_split_equals_one_thread),
        cmocka_unit_test(test_parts_walk_every_life_once),
        cmocka_unit_test(test_fold_reports_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
