/* Unit tests for retain/survival.h and the distribution functions behind
 * it: Kaplan-Meier on Gehan's 6-MP data against published values, R's
 * confidence intervals, survRM2's RMST, survdiff's log-rank test, the
 * incomplete gamma function against known values, and degenerate inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/number.h>
#include <retain/survival.h>

#include "stats.h"

#define near(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* Field by field: a step's padding bytes are unspecified. */
static void assert_same_step(const retain_km_step *a, const retain_km_step *b)
{
    assert_int_equal(a->t, b->t);
    assert_int_equal(a->at_risk, b->at_risk);
    assert_int_equal(a->events, b->events);
    assert_int_equal(a->censored, b->censored);
    assert_true(a->survival == b->survival);
    assert_true(a->greenwood == b->greenwood || (isinf(a->greenwood) && isinf(b->greenwood)));
}

/* Gehan (1965), remission in weeks; 0 = censored. Group 6-MP. */
static const int mp_weeks[] = {6,  6,  6,  6,  7,  9,  10, 10, 11, 13, 16,
                               17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
static const int mp_event[] = {1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0};
/* placebo: every remission ended */
static const int pl_weeks[] = {1, 1, 2,  2,  3,  4,  4,  5,  5,  8, 8,
                               8, 8, 11, 11, 12, 12, 15, 17, 22, 23};

static retain_survival *gehan(bool both)
{
    retain_survival_options o = {0};
    retain_survival *sv = retain_survival_new(&o);
    assert_non_null(sv);
    for (size_t i = 0; i < 21; i++) {
        assert_int_equal(retain_survival_add_lives(sv, "6-MP", 4, mp_weeks[i] * 7, mp_event[i], 1),
                         RETAIN_OK);
        if (both)
            assert_int_equal(retain_survival_add_lives(sv, "placebo", 7, pl_weeks[i] * 7, true, 1),
                             RETAIN_OK);
    }
    retain_diag d;
    assert_int_equal(retain_survival_finish(sv, &d), RETAIN_OK);
    return sv;
}

static void test_gehan_published_km(void **state)
{
    (void)state;
    retain_survival *sv = gehan(false);
    size_t n;
    const retain_km_step *s = retain_survival_curve(sv, 0, &n);
    /* the published values, at the event times 6, 7, 10, 13, 16, 22, 23 */
    const int t[] = {6, 7, 10, 13, 16, 22, 23};
    const char *want[] = {"0.8571", "0.8067", "0.7529", "0.6902", "0.6275", "0.5378", "0.4482"};
    for (int i = 0; i < 7; i++) {
        char buf[RETAIN_NUMBER_BUFSIZE];
        assert_true(retain_format_real(retain_km_survival_at(s, n, t[i] * 7), 4, buf));
        assert_string_equal(buf, want[i]);
    }
    /* the first step: 21 at risk, 3 events and 1 censoring at t = 6 */
    assert_int_equal(s[0].t, 42);
    assert_int_equal(s[0].at_risk, 21);
    assert_int_equal(s[0].events, 3);
    assert_int_equal(s[0].censored, 1);
    assert_int_equal(n, 16); /* distinct times with an event or a censoring */
    /* R: summary(survfit(Surv(time, cens) ~ 1, gehan[6-MP], conf.type = "log-log")):
     * t = 6: 0.857, std.err 0.0764, 0.620 - 0.952; t = 23: 0.448, 0.188 - 0.680 */
    double lo, hi;
    assert_true(retain_km_ci(&s[0], 0.95, &lo, &hi));
    near(lo, 0.6197, 5e-5);
    near(hi, 0.9516, 5e-5);
    near(s[0].survival * sqrt(s[0].greenwood), 0.0764, 5e-5);
    const retain_km_step *last = &s[11]; /* t = 23 */
    assert_int_equal(last->t, 23 * 7);
    assert_true(retain_km_ci(last, 0.95, &lo, &hi));
    near(lo, 0.1881, 5e-5);
    near(hi, 0.6801, 5e-5);
    double median;
    assert_true(retain_km_median(s, n, &median));
    near(median, 23 * 7, 0);
    retain_survival_free(sv);
}

static void test_gehan_rmst_and_logrank(void **state)
{
    (void)state;
    retain_survival *sv = gehan(true);
    assert_int_equal(retain_survival_segments(sv), 2);
    size_t len;
    assert_memory_equal(retain_survival_segment(sv, 0, &len), "6-MP", 4);
    double rmst, se;
    size_t n;
    const retain_km_step *s = retain_survival_curve(sv, 0, &n);
    assert_true(retain_km_rmst(s, n, 23 * 7, &rmst, &se));
    near(rmst / 7, 17.909, 5e-4); /* published */
    near(se / 7, 1.553, 5e-4);    /* survRM2::rmst2(...)$RMST.arm1$result */
    s = retain_survival_curve(sv, 1, &n);
    assert_true(retain_km_rmst(s, n, 23 * 7, &rmst, &se));
    near(rmst / 7, 8.667, 5e-4);
    near(se / 7, 1.377, 5e-4);
    double median;
    assert_true(retain_km_median(s, n, &median));
    near(median, 8 * 7, 0);
    /* placebo ends at 0: the area past its last time is 0 */
    assert_true(retain_km_rmst(s, n, 30 * 7, &rmst, &se));
    near(rmst / 7, 8.667, 5e-4);
    /* 6-MP ends censored at 35 weeks: unknown beyond */
    s = retain_survival_curve(sv, 0, &n);
    assert_false(retain_km_rmst(s, n, 36 * 7, &rmst, &se));
    /* R: survdiff(Surv(time, cens) ~ treat, gehan): O 9 / 21, E 19.25 /
     * 10.75, Chisq = 16.8 on 1 df, p = 4.17e-05 */
    double o[2], e[2];
    retain_logrank lr;
    assert_true(retain_survival_logrank(sv, o, e, &lr));
    near(o[0], 9, 0);
    near(o[1], 21, 0);
    near(e[0], 19.25, 5e-3);
    near(e[1], 10.75, 5e-3);
    near(lr.chisq, 16.79, 5e-3);
    assert_int_equal(lr.df, 1);
    near(lr.p_value, 4.17e-5, 5e-7);
    retain_survival_free(sv);
}

static void test_distributions(void **state)
{
    (void)state;
    near(rt_chisq_upper(3.841458820694124, 1), 0.05, 1e-12);
    near(rt_chisq_upper(5.991464547107979, 2), 0.05, 1e-12);
    near(rt_chisq_upper(6.634896601021214, 1), 0.01, 1e-12);
    near(rt_chisq_upper(18.307038053275146, 10), 0.05, 1e-12);
    near(rt_chisq_upper(0, 3), 1.0, 0);
    near(rt_chisq_upper(2, 2), exp(-1), 1e-14);
    /* Q(a, x): Q(1, x) = e^-x, Q(1/2, x) = erfc(sqrt x) */
    near(rt_gamma_q(1, 2), exp(-2), 1e-14);
    near(rt_gamma_q(0.5, 0.1), erfc(sqrt(0.1)), 1e-13);
    near(rt_gamma_q(0.5, 30), erfc(sqrt(30.0)), 1e-25);
    near(rt_gamma_q(10, 3), 0.9988975118698846, 1e-13);
    assert_true(isnan(rt_gamma_q(0, 1)));
    assert_true(isnan(rt_chisq_upper(1, 0)));
    near(retain_chisq_p_value(3.841458820694124, 1), 0.05, 1e-12);
    near(rt_normal_quantile(0.975), 1.959963984540054, 1e-14);
    near(rt_normal_quantile(0.5), 0, 1e-15);
    near(rt_normal_quantile(0.005), -2.575829303548901, 1e-13);
    near(rt_normal_quantile(1e-10), -6.361340902404056, 1e-10);
    assert_true(isnan(rt_normal_quantile(1)));
}

static retain_day day_of(const char *iso)
{
    retain_day d = 0;
    if (!retain_date_parse(iso, strlen(iso), NULL, &d))
        fail_msg("bad test date %s", iso);
    return d;
}

/* Rows: an end after as-of is a censoring at as-of; without --as-of, the
 * latest start is as-of, whatever order the rows come in. */
static void test_rows_and_as_of(void **state)
{
    (void)state;
    const char *rows[][2] = {
        {"2024-01-01", "2024-01-11"}, /* event at 10 */
        {"2024-01-01", "2024-03-01"}, /* ends after as-of: censored at 31 */
        {"2024-01-20", NULL},         /* open: censored at 12 */
        {"2024-02-01", "2024-02-01"}, /* event at 0; the latest start */
        {"2024-01-05", "2024-01-15"}, /* event at 10 */
    };
    retain_survival_options o = {0};
    retain_survival *a = retain_survival_new(&o);
    o.has_as_of = true;
    o.as_of = day_of("2024-02-01");
    retain_survival *b = retain_survival_new(&o);
    for (int i = 0; i < 5; i++) {
        retain_day s = day_of(rows[i][0]);
        bool has_end = rows[i][1] != NULL;
        retain_day e = has_end ? day_of(rows[i][1]) : 0;
        char id[2] = {(char)('a' + i), 0};
        assert_int_equal(retain_survival_add(a, id, 1, NULL, 0, s, e, has_end, 0), RETAIN_OK);
        assert_int_equal(retain_survival_add(b, id, 1, NULL, 0, s, e, has_end, 0), RETAIN_OK);
    }
    assert_int_equal(retain_survival_add(a, "z", 1, NULL, 0, 10, 9, true, 0), RETAIN_ERR_DATA);
    retain_diag d;
    assert_int_equal(retain_survival_finish(a, &d), RETAIN_OK);
    assert_int_equal(retain_survival_finish(b, &d), RETAIN_OK);
    assert_int_equal(retain_survival_as_of(a), day_of("2024-02-01"));
    size_t na, nb;
    const retain_km_step *sa = retain_survival_curve(a, 0, &na);
    const retain_km_step *sb = retain_survival_curve(b, 0, &nb);
    assert_int_equal(na, 4);
    assert_int_equal(nb, 4);
    const int32_t t[] = {0, 10, 12, 31};
    const int64_t risk[] = {5, 4, 2, 1}, ev[] = {1, 2, 0, 0}, ce[] = {0, 0, 1, 1};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(sa[i].t, t[i]);
        assert_int_equal(sa[i].at_risk, risk[i]);
        assert_int_equal(sa[i].events, ev[i]);
        assert_int_equal(sa[i].censored, ce[i]);
        assert_same_step(&sa[i], &sb[i]);
    }
    near(sa[3].survival, 0.8 * 0.5, 1e-15);
    retain_survival_free(a);
    retain_survival_free(b);
}

/* Many rows in random order, settled while the latest start moves: the
 * same curve as with the as-of given up front. */
static void test_pending_rows_settle(void **state)
{
    (void)state;
    retain_survival_options o = {.segments = true};
    retain_survival *a = retain_survival_new(&o);
    srand(7);
    retain_day max = 0;
    int32_t(*rows)[3] = malloc(20000 * sizeof *rows);
    for (int i = 0; i < 20000; i++) {
        rows[i][0] = rand() % 700;
        rows[i][1] = rows[i][0] + rand() % 400;
        rows[i][2] = rand() % 4 != 0;
        if (rows[i][0] > max)
            max = rows[i][0];
        char id[16];
        snprintf(id, sizeof id, "%d", i);
        assert_int_equal(retain_survival_add(a, id, strlen(id), rand() % 2 ? "x" : "y", 1,
                                             rows[i][0], rows[i][1], rows[i][2], 0),
                         RETAIN_OK);
    }
    o.has_as_of = true;
    o.as_of = max;
    retain_survival *b = retain_survival_new(&o);
    srand(7);
    for (int i = 0; i < 20000; i++) {
        rand(), rand(), rand();
        char id[16];
        snprintf(id, sizeof id, "%d", i);
        assert_int_equal(retain_survival_add(b, id, strlen(id), rand() % 2 ? "x" : "y", 1,
                                             rows[i][0], rows[i][1], rows[i][2], 0),
                         RETAIN_OK);
    }
    free(rows);
    retain_diag d;
    assert_int_equal(retain_survival_finish(a, &d), RETAIN_OK);
    assert_int_equal(retain_survival_finish(b, &d), RETAIN_OK);
    for (size_t g = 0; g < 2; g++) {
        size_t na, nb;
        const retain_km_step *sa = retain_survival_curve(a, g, &na);
        const retain_km_step *sb = retain_survival_curve(b, g, &nb);
        assert_int_equal(na, nb);
        for (size_t i = 0; i < na; i++)
            assert_same_step(&sa[i], &sb[i]);
    }
    retain_survival_free(a);
    retain_survival_free(b);
}

/* Degenerate curves: defined numbers or "undefined", never NaN or inf. */
static void test_degenerate(void **state)
{
    (void)state;
    retain_diag d;
    retain_survival_options o = {0};
    /* nothing */
    retain_survival *sv = retain_survival_new(&o);
    assert_int_equal(retain_survival_finish(sv, &d), RETAIN_ERR_DATA);
    retain_survival_free(sv);
    /* every row after as-of */
    o.has_as_of = true;
    o.as_of = 100;
    sv = retain_survival_new(&o);
    assert_int_equal(retain_survival_add(sv, "x", 1, NULL, 0, 200, 0, false, 0), RETAIN_OK);
    assert_int_equal(retain_survival_finish(sv, &d), RETAIN_ERR_USAGE);
    retain_survival_free(sv);

    /* one life, censored; all censored; all churned on day 0; a segment
     * without events next to one with */
    o.has_as_of = false;
    sv = retain_survival_new(&o);
    assert_int_equal(retain_survival_add_lives(sv, "a-one", 5, 30, false, 1), RETAIN_OK);
    assert_int_equal(retain_survival_add_lives(sv, "b-censored", 10, 5, false, 3), RETAIN_OK);
    assert_int_equal(retain_survival_add_lives(sv, "b-censored", 10, 9, false, 2), RETAIN_OK);
    assert_int_equal(retain_survival_add_lives(sv, "c-day0", 6, 0, true, 4), RETAIN_OK);
    assert_int_equal(retain_survival_add_lives(sv, "d-one-event", 11, 12, true, 1), RETAIN_OK);
    assert_int_equal(retain_survival_add_lives(sv, "x", 1, -1, true, 1), RETAIN_ERR_USAGE);
    assert_int_equal(retain_survival_finish(sv, &d), RETAIN_OK);
    assert_int_equal(retain_survival_segments(sv), 4);
    for (size_t g = 0; g < 4; g++) {
        size_t n;
        const retain_km_step *s = retain_survival_curve(sv, g, &n);
        assert_true(n >= 1);
        for (size_t i = 0; i < n; i++) {
            double lo = -1, hi = -1;
            assert_true(isfinite(s[i].survival));
            if (retain_km_ci(&s[i], 0.95, &lo, &hi)) {
                assert_true(isfinite(lo) && isfinite(hi));
                assert_true(lo <= s[i].survival && s[i].survival <= hi);
            }
        }
        double m = -1, r = -1, se = -1;
        bool has_median = retain_km_median(s, n, &m);
        assert_true(retain_km_rmst(s, n, s[n - 1].t, &r, &se));
        assert_true(isfinite(r) && isfinite(se));
        switch (g) {
        case 0: /* one censored life: S = 1, no CI, no median */
            assert_false(has_median);
            near(r, 30, 0);
            near(se, 0, 0);
            break;
        case 1:
            assert_false(has_median);
            near(s[n - 1].survival, 1, 0);
            break;
        case 2: /* everyone gone on day 0: S(0) = 0, median 0, RMST 0 */
            assert_true(has_median);
            near(m, 0, 0);
            near(s[0].survival, 0, 0);
            near(r, 0, 0);
            assert_false(retain_km_ci(&s[0], 0.95, &m, &m));
            break;
        case 3:
            assert_true(has_median);
            near(m, 12, 0);
            near(r, 12, 0);
            near(se, 0, 0);
            break;
        }
    }
    /* the log-rank test with segments lacking events stays finite */
    retain_logrank lr;
    double o2[4], e2[4];
    assert_true(retain_survival_logrank(sv, o2, e2, &lr));
    assert_true(isfinite(lr.chisq) && isfinite(lr.p_value));
    assert_true(lr.df >= 1 && lr.df <= 3);
    retain_survival_free(sv);

    /* one segment: nothing to test */
    sv = retain_survival_new(&o);
    assert_int_equal(retain_survival_add_lives(sv, NULL, 0, 3, true, 2), RETAIN_OK);
    assert_int_equal(retain_survival_finish(sv, &d), RETAIN_OK);
    assert_false(retain_survival_logrank(sv, NULL, NULL, &lr));
    assert_int_equal(lr.df, 0);
    retain_survival_free(sv);
}

/* The median's flat at exactly 0.5 (R's midpoint rule). */
static void test_median_flat(void **state)
{
    (void)state;
    retain_survival_options o = {0};
    retain_survival *sv = retain_survival_new(&o);
    /* 4 lives: events at 1 and 2 (S = .5 from 2), then 5 and 9 */
    const int t[] = {1, 2, 5, 9};
    for (int i = 0; i < 4; i++)
        assert_int_equal(retain_survival_add_lives(sv, NULL, 0, t[i], true, 1), RETAIN_OK);
    retain_diag d;
    assert_int_equal(retain_survival_finish(sv, &d), RETAIN_OK);
    size_t n;
    const retain_km_step *s = retain_survival_curve(sv, 0, &n);
    double m;
    assert_true(retain_km_median(s, n, &m));
    near(m, 3.5, 0);
    retain_survival_free(sv);
    /* flat at 0.5 to the end: the middle up to the last time observed */
    sv = retain_survival_new(&o);
    assert_int_equal(retain_survival_add_lives(sv, NULL, 0, 1, true, 1), RETAIN_OK);
    assert_int_equal(retain_survival_add_lives(sv, NULL, 0, 2, true, 1), RETAIN_OK);
    assert_int_equal(retain_survival_add_lives(sv, NULL, 0, 3, false, 1), RETAIN_OK);
    assert_int_equal(retain_survival_add_lives(sv, NULL, 0, 8, false, 1), RETAIN_OK);
    assert_int_equal(retain_survival_finish(sv, &d), RETAIN_OK);
    s = retain_survival_curve(sv, 0, &n);
    assert_true(retain_km_median(s, n, &m));
    near(m, 5, 0);
    retain_survival_free(sv);
}

static void test_format_real(void **state)
{
    (void)state;
    char buf[RETAIN_NUMBER_BUFSIZE];
    assert_true(retain_format_real(0.85714285, 4, buf));
    assert_string_equal(buf, "0.8571");
    assert_true(retain_format_real(-0.00001, 2, buf));
    assert_string_equal(buf, "0.00");
    assert_true(retain_format_real(-1.5, 1, buf));
    assert_string_equal(buf, "-1.5");
    assert_false(retain_format_real(NAN, 4, buf));
    assert_string_equal(buf, "");
    assert_false(retain_format_real(INFINITY, 4, buf));
    assert_false(retain_format_real(1e300, 4, buf));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gehan_published_km),  cmocka_unit_test(test_gehan_rmst_and_logrank),
        cmocka_unit_test(test_distributions),       cmocka_unit_test(test_rows_and_as_of),
        cmocka_unit_test(test_pending_rows_settle), cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_median_flat),         cmocka_unit_test(test_format_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
