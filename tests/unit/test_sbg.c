/* Unit tests for retain/sbg.h: the shifted beta-geometric fits of Fader &
 * Hardie's "regular" and "high end" survivor tables (Fader, P. S. and
 * Hardie, B. G. S. (2007), "How to project customer retention", Journal of
 * Interactive Marketing 21(1), 76-90: customers still active per 1,000
 * after years 0..12; the model is fitted on years 0..7 and projects years
 * 8..12; the paper's maximum likelihood estimates are alpha = 0.704, beta
 * = 1.182, LL = -1680.3 (regular) and alpha = 0.668, beta = 3.806, LL =
 * -1611.2 (high end)), the
 * projections against the observed years 8..12, DERL against its series,
 * the same data built from lives, and the degenerate tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <retain/lives.h>
#include <retain/sbg.h>

#define near(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static const int64_t regular[13] = {1000, 631, 468, 382, 326, 289, 262,
                                    241,  223, 207, 194, 183, 173};
static const int64_t high_end[13] = {1000, 869, 743, 653, 593, 551, 517,
                                     491,  468, 445, 427, 409, 394};

static retain_sbg fit7(const int64_t *alive)
{
    retain_sbg_data d;
    retain_diag diag;
    assert_int_equal(retain_sbg_survivors(alive, 7, &d, &diag), RETAIN_OK);
    retain_sbg m;
    assert_int_equal(retain_sbg_fit(&d, &m, &diag), RETAIN_OK);
    assert_false(m.geometric);
    retain_sbg_data_free(&d);
    return m;
}

/* The projection of years 8..12 within 1.5 customers per 1,000 of the
 * published model's, and within 5 % of what was observed. */
static void check_projection(const retain_sbg *m, const retain_sbg *paper, const int64_t *alive)
{
    for (int t = 8; t <= 12; t++) {
        double s = 1000 * retain_sbg_survival(m, t);
        near(s, 1000 * retain_sbg_survival(paper, t), 1.5);
        assert_true(fabs(s - (double)alive[t]) <= 0.05 * (double)alive[t]);
    }
}

static void test_regular(void **state)
{
    (void)state;
    retain_sbg m = fit7(regular);
    near(m.alpha, 0.704, 0.0005);
    near(m.beta, 1.182, 0.0005);
    near(m.log_likelihood, -1680.3, 0.05);
    retain_sbg paper = {0.704, 1.182, 0, 0, false, 0};
    check_projection(&m, &paper, regular);
    /* the fitted curve through the calibration years */
    for (int t = 1; t <= 7; t++)
        near(1000 * retain_sbg_survival(&m, t), (double)regular[t], 12);
    near(retain_sbg_retention(&m, 1), m.beta / (m.alpha + m.beta), 1e-15);
}

static void test_high_end(void **state)
{
    (void)state;
    retain_sbg m = fit7(high_end);
    near(m.alpha, 0.668, 0.0005);
    near(m.beta, 3.806, 0.0005);
    near(m.log_likelihood, -1611.2, 0.05);
    retain_sbg paper = {0.668, 3.806, 0, 0, false, 0};
    check_projection(&m, &paper, high_end);
}

/* DERL = sum over t >= n of S(t) / S(n - 1) / (1 + d)^(t - n). */
static void test_derl_series(void **state)
{
    (void)state;
    retain_sbg m = {0.704, 1.182, 0, 0, false, 0};
    double d = 0.10;
    for (int n = 1; n <= 8; n++) {
        double sum = 0;
        for (int t = n; t < 20000; t++)
            sum += retain_sbg_survival(&m, t) / retain_sbg_survival(&m, n - 1) / pow(1 + d, t - n);
        double derl;
        assert_true(retain_sbg_derl(&m, n, d, &derl));
        near(derl, sum, 1e-9);
    }
    retain_sbg geo = {0, 0, 0, 0, true, 0.2};
    double derl;
    assert_true(retain_sbg_derl(&geo, 3, 0.1, &derl));
    near(derl, 0.8 / (1 - 0.8 / 1.1), 1e-12);
    assert_false(retain_sbg_derl(&m, 1, 0, &derl));
}

/* A cohort of lives built to the regular table gives the same data. */
static void test_from_lives(void **state)
{
    (void)state;
    retain_lives_options o = {0};
    retain_day start, as_of;
    assert_true(retain_day_from_ymd(2000, 2, 29, &start)); /* anniversaries on Feb 28 */
    assert_true(retain_day_from_ymd(2007, 3, 1, &as_of));
    o.has_as_of = true;
    o.as_of = as_of;
    retain_lives *l = retain_lives_new(&o);
    assert_non_null(l);
    int id = 0;
    for (int t = 1; t <= 7; t++) {
        for (int64_t k = 0; k < regular[t - 1] - regular[t]; k++) {
            /* left at renewal t: last served the day before anniversary t */
            retain_day end;
            assert_true(retain_day_from_ymd(2000 + t, 2, 28, &end));
            char buf[16];
            int len = snprintf(buf, sizeof buf, "c%d", id++);
            assert_int_equal(
                retain_lives_add(l, buf, (size_t)len, NULL, 0, NULL, 0, start, end, true, 0),
                RETAIN_OK);
        }
    }
    for (int64_t k = 0; k < regular[7]; k++) {
        char buf[16];
        int len = snprintf(buf, sizeof buf, "c%d", id++);
        assert_int_equal(
            retain_lives_add(l, buf, (size_t)len, NULL, 0, NULL, 0, start, 0, false, 0), RETAIN_OK);
    }
    retain_diag diag;
    assert_int_equal(retain_lives_finish(l, &diag), RETAIN_OK);
    retain_sbg_data d;
    assert_int_equal(retain_sbg_from_lives(l, RETAIN_PERIOD_YEAR, &d, &diag), RETAIN_OK);
    assert_int_equal(d.periods, 7);
    for (int t = 1; t <= 7; t++)
        assert_int_equal(d.lost[t], regular[t - 1] - regular[t]);
    assert_int_equal(d.censored[7], regular[7]);
    retain_sbg m;
    assert_int_equal(retain_sbg_fit(&d, &m, &diag), RETAIN_OK);
    near(m.alpha, 0.704, 0.0005);
    retain_sbg_data_free(&d);
    /* in months, the same lives made 12 renewals a year */
    assert_int_equal(retain_sbg_from_lives(l, RETAIN_PERIOD_MONTH, &d, &diag), RETAIN_OK);
    assert_int_equal(d.periods, 84);
    assert_int_equal(d.lost[12], regular[0] - regular[1]);
    retain_sbg_data_free(&d);
    retain_lives_free(l);
}

static void test_degenerate(void **state)
{
    (void)state;
    retain_sbg_data d;
    retain_diag diag;
    retain_sbg m;
    int64_t none[3] = {100, 100, 100};
    assert_int_equal(retain_sbg_survivors(none, 2, &d, &diag), RETAIN_OK);
    assert_int_equal(retain_sbg_fit(&d, &m, &diag), RETAIN_ERR_DATA);
    retain_sbg_data_free(&d);
    int64_t all[3] = {100, 0, 0};
    assert_int_equal(retain_sbg_survivors(all, 2, &d, &diag), RETAIN_OK);
    assert_int_equal(retain_sbg_fit(&d, &m, &diag), RETAIN_ERR_DATA);
    retain_sbg_data_free(&d);
    int64_t up[3] = {100, 50, 60};
    assert_int_equal(retain_sbg_survivors(up, 2, &d, &diag), RETAIN_ERR_USAGE);
    /* exactly geometric: half leave at every renewal */
    int64_t geo[7] = {64000, 32000, 16000, 8000, 4000, 2000, 1000};
    assert_int_equal(retain_sbg_survivors(geo, 6, &d, &diag), RETAIN_OK);
    assert_int_equal(retain_sbg_fit(&d, &m, &diag), RETAIN_OK);
    if (m.geometric) {
        near(m.churn, 0.5, 1e-12);
    } else {
        near(retain_sbg_retention(&m, 1), 0.5, 1e-3);
        near(retain_sbg_retention(&m, 6), 0.5, 1e-3);
    }
    retain_sbg_data_free(&d);
}

/* retain clv --model sbg's defaults and rules (retain_sbg_options_resolve). */
static void test_options(void **state)
{
    (void)state;
    retain_diag d;
    retain_sbg_options o = {0};
    assert_int_equal(retain_sbg_options_resolve(&o, &d), RETAIN_OK);
    assert_int_equal(o.period, RETAIN_PERIOD_YEAR);
    assert_true(o.discount == 0.10);
    retain_sbg_data data = {.periods = 7};
    assert_int_equal(retain_sbg_horizon(&o, &data), 12);
    o = (retain_sbg_options){
        .has_period = true, .period = RETAIN_PERIOD_MONTH, .has_horizon = true};
    assert_int_equal(retain_sbg_options_resolve(&o, &d), RETAIN_OK);
    assert_true(o.discount == 0.01);
    assert_int_equal(retain_sbg_horizon(&o, &data), 0);
    o = (retain_sbg_options){.has_period = true, .period = RETAIN_PERIOD_QUARTER};
    assert_int_equal(retain_sbg_options_resolve(&o, &d), RETAIN_ERR_USAGE);
    assert_string_equal(d.message, "--model sbg takes --period year or month");
    o = (retain_sbg_options){.has_discount = true, .discount = 0};
    assert_int_equal(retain_sbg_options_resolve(&o, &d), RETAIN_ERR_USAGE);
    retain_sbg m = {.geometric = false};
    char buf[256] = "";
    assert_false(retain_sbg_caveat(&m, RETAIN_PERIOD_YEAR, buf, sizeof buf));
    m.geometric = true;
    m.churn = 0.25;
    assert_true(retain_sbg_caveat(&m, RETAIN_PERIOD_YEAR, buf, sizeof buf));
    assert_non_null(strstr(buf, "(constant 0.2500 per year)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regular),     cmocka_unit_test(test_high_end),
        cmocka_unit_test(test_derl_series), cmocka_unit_test(test_from_lives),
        cmocka_unit_test(test_degenerate),  cmocka_unit_test(test_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
