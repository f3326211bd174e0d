/* Unit tests for retain/logistic.h and retain/evaluation.h: AUC (ties),
 * Brier score, log loss, deciles and lift against values worked out by
 * hand; the fit against the closed-form maximum-likelihood answer of a
 * one-indicator model (weak regularisation), with and without balancing;
 * the model file's round trip, in any locale, and damaged files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/evaluation.h>
#include <retain/logistic.h>

static void test_auc_brier_logloss(void **state)
{
    (void)state;
    const double p[] = {0.1, 0.4, 0.35, 0.8};
    const unsigned char y[] = {0, 0, 1, 1};
    retain_evaluation e;
    assert_int_equal(retain_evaluate(p, y, 4, &e, NULL), RETAIN_OK);
    assert_true(e.has_auc);
    /* positive pairs won: 0.8 beats both, 0.35 beats 0.1 only: 3 of 4 */
    assert_float_equal(e.auc, 0.75, 1e-12);
    /* (0.01 + 0.16 + 0.4225 + 0.04) / 4 */
    assert_float_equal(e.brier, 0.158125, 1e-12);
    /* -(ln 0.9 + ln 0.6 + ln 0.35 + ln 0.8) / 4 */
    assert_float_equal(e.log_loss, 0.4722879497, 1e-9);
    assert_int_equal(e.rows, 4);
    assert_int_equal(e.positives, 2);
}

static void test_auc_ties(void **state)
{
    (void)state;
    /* positives {0.5, 0.9}, negatives {0.5, 0.5}: 0.9 wins twice, each
     * 0.5 against 0.5 counts one half: (2 + 1) / 4 */
    const double p[] = {0.5, 0.5, 0.5, 0.9};
    const unsigned char y[] = {1, 0, 0, 1};
    retain_evaluation e;
    assert_int_equal(retain_evaluate(p, y, 4, &e, NULL), RETAIN_OK);
    assert_float_equal(e.auc, 0.75, 1e-12);
    /* the same rows in another order: the same AUC */
    const double q[] = {0.9, 0.5, 0.5, 0.5};
    const unsigned char z[] = {1, 0, 1, 0};
    assert_int_equal(retain_evaluate(q, z, 4, &e, NULL), RETAIN_OK);
    assert_float_equal(e.auc, 0.75, 1e-12);
    /* every p equal: no ranking at all */
    const double flat[] = {0.2, 0.2, 0.2, 0.2, 0.2};
    const unsigned char w[] = {1, 0, 0, 1, 0};
    assert_int_equal(retain_evaluate(flat, w, 5, &e, NULL), RETAIN_OK);
    assert_float_equal(e.auc, 0.5, 1e-12);
    /* perfect, and perfectly wrong */
    const double good[] = {0.9, 0.8, 0.2, 0.1};
    const unsigned char gy[] = {1, 1, 0, 0}, by[] = {0, 0, 1, 1};
    assert_int_equal(retain_evaluate(good, gy, 4, &e, NULL), RETAIN_OK);
    assert_float_equal(e.auc, 1.0, 1e-12);
    assert_int_equal(retain_evaluate(good, by, 4, &e, NULL), RETAIN_OK);
    assert_float_equal(e.auc, 0.0, 1e-12);
    /* one class only: no AUC */
    const unsigned char none[] = {0, 0, 0, 0};
    assert_int_equal(retain_evaluate(good, none, 4, &e, NULL), RETAIN_OK);
    assert_false(e.has_auc);
    assert_false(e.has_lift);
}

static void test_deciles_lift(void **state)
{
    (void)state;
    /* p = i / 20, i = 0..19; the two highest and the lowest churned */
    double p[20];
    unsigned char y[20] = {0};
    for (int i = 0; i < 20; i++)
        p[i] = i / 20.0;
    y[19] = y[18] = y[0] = 1;
    retain_evaluation e;
    assert_int_equal(retain_evaluate(p, y, 20, &e, NULL), RETAIN_OK);
    for (int d = 0; d < 10; d++)
        assert_int_equal(e.decile[d].rows, 2);
    assert_float_equal(e.decile[0].mean_predicted, 0.925, 1e-12);
    assert_float_equal(e.decile[0].observed, 1.0, 1e-12);
    assert_float_equal(e.decile[9].mean_predicted, 0.025, 1e-12);
    assert_float_equal(e.decile[9].observed, 0.5, 1e-12);
    assert_float_equal(e.decile[5].observed, 0.0, 1e-12);
    /* 100 % in the top decile against 3 / 20 overall */
    assert_true(e.has_lift);
    assert_float_equal(e.top_decile_lift, 1.0 / 0.15, 1e-12);
    /* 7 rows: deciles floor(10 r / 7) hold rows 0 | 1 | 2 | - | 3 | ... */
    assert_int_equal(retain_evaluate(p, y, 7, &e, NULL), RETAIN_OK);
    assert_int_equal(e.decile[0].rows, 1);
    assert_int_equal(e.decile[3].rows, 0);
    size_t total = 0;
    for (int d = 0; d < 10; d++)
        total += e.decile[d].rows;
    assert_int_equal(total, 7);
}

static void test_evaluate_bad(void **state)
{
    (void)state;
    retain_evaluation e;
    const double p[] = {0.5, 1.5};
    const unsigned char y[] = {0, 1};
    retain_diag d;
    assert_int_equal(retain_evaluate(p, y, 0, &e, &d), RETAIN_ERR_USAGE);
    assert_int_equal(retain_evaluate(p, y, 2, &e, &d), RETAIN_ERR_USAGE);
    const double nan_p[] = {NAN};
    assert_int_equal(retain_evaluate(nan_p, y, 1, &e, &d), RETAIN_ERR_USAGE);
}

/* Rows of one indicator x: group x = 1 with a1 positives of n1 rows,
 * group x = 0 with a0 of n0 rows. */
static size_t groups(double *x, unsigned char *y, int a1, int n1, int a0, int n0)
{
    size_t n = 0;
    for (int i = 0; i < n1; i++, n++) {
        x[n] = 1;
        y[n] = i < a1;
    }
    for (int i = 0; i < n0; i++, n++) {
        x[n] = 0;
        y[n] = i < a0;
    }
    return n;
}

static void test_fit_closed_form(void **state)
{
    (void)state;
    /* one indicator, 40 rows each side: the maximum-likelihood fit gives
     * each group its own rate, 30/40 and 10/40; z = +-1, so the
     * standardised coefficient is ln 3 and the intercept 0 */
    double x[200];
    unsigned char y[200];
    size_t n = groups(x, y, 30, 40, 10, 40);
    const char *names[] = {"x"};
    retain_logit_options o = {.c = 1e6, .eps = 1e-8};
    retain_logit *m;
    assert_int_equal(retain_logit_fit(x, y, n, 1, names, &o, &m, NULL), RETAIN_OK);
    assert_float_equal(retain_logit_coef(m, 0), log(3.0), 1e-4);
    assert_float_equal(retain_logit_intercept(m), 0, 1e-4);
    assert_float_equal(retain_logit_mean(m, 0), 0.5, 1e-12);
    assert_float_equal(retain_logit_sd(m, 0), 0.5, 1e-12);
    double one = 1, zero = 0, missing = NAN;
    assert_float_equal(retain_logit_predict(m, &one), 0.75, 1e-5);
    assert_float_equal(retain_logit_predict(m, &zero), 0.25, 1e-5);
    /* a missing value is the training mean: log-odds 0 */
    assert_float_equal(retain_logit_predict(m, &missing), 0.5, 1e-5);
    double contrib;
    double lo = retain_logit_contributions(m, &one, &contrib);
    assert_float_equal(contrib, log(3.0), 1e-4);
    assert_float_equal(lo, log(3.0), 1e-4);
    retain_logit_free(m);

    /* a strong penalty shrinks the coefficient towards 0 */
    o.c = 1e-3;
    assert_int_equal(retain_logit_fit(x, y, n, 1, names, &o, &m, NULL), RETAIN_OK);
    assert_true(retain_logit_coef(m, 0) > 0);
    assert_true(retain_logit_coef(m, 0) < 0.1);
    retain_logit_free(m);
}

static void test_fit_balanced(void **state)
{
    (void)state;
    /* 20/40 and 5/60: 25 positives, 75 negatives, weight 3. The weighted
     * fit's log-odds are ln(60/20) and ln(15/55); less ln 3 they are the
     * plain rates again: 1/2 and 1/12 */
    double x[100];
    unsigned char y[100];
    size_t n = groups(x, y, 20, 40, 5, 60);
    const char *names[] = {"x"};
    retain_logit_options o = {.c = 1e6, .balance = true, .eps = 1e-8};
    retain_logit *m;
    assert_int_equal(retain_logit_fit(x, y, n, 1, names, &o, &m, NULL), RETAIN_OK);
    assert_float_equal(retain_logit_positive_weight(m), 3.0, 1e-12);
    double one = 1, zero = 0;
    assert_float_equal(retain_logit_predict(m, &one), 0.5, 1e-5);
    assert_float_equal(retain_logit_predict(m, &zero), 1.0 / 12, 1e-5);
    retain_logit_free(m);
}

static void test_fit_bad(void **state)
{
    (void)state;
    double x[4] = {1, 2, 3, 4};
    unsigned char y[4] = {0, 0, 0, 0};
    const char *names[] = {"x"}, *dup[] = {"a", "a"}, *tab[] = {"a\tb"};
    retain_logit_options o = {.c = 1};
    retain_logit *m;
    retain_diag d;
    assert_int_equal(retain_logit_fit(x, y, 4, 1, names, &o, &m, &d), RETAIN_ERR_DATA);
    assert_null(m);
    assert_non_null(strstr(d.message, "0 rows with label 1"));
    y[0] = 1;
    assert_int_equal(retain_logit_fit(x, y, 2, 2, dup, &o, &m, &d), RETAIN_ERR_USAGE);
    assert_int_equal(retain_logit_fit(x, y, 4, 1, tab, &o, &m, &d), RETAIN_ERR_USAGE);
    o.c = 0;
    assert_int_equal(retain_logit_fit(x, y, 4, 1, names, &o, &m, &d), RETAIN_ERR_USAGE);
    /* a constant feature takes no part: coefficient 0 */
    double c[4] = {7, 7, 7, 7};
    o.c = 1;
    assert_int_equal(retain_logit_fit(c, y, 4, 1, names, &o, &m, &d), RETAIN_OK);
    assert_float_equal(retain_logit_coef(m, 0), 0, 0);
    assert_float_equal(retain_logit_sd(m, 0), 0, 0);
    retain_logit_free(m);
}

static void test_save_load(void **state)
{
    (void)state;
    /* two features, arbitrary values: the loaded model predicts the same
     * bits, also when the process locale writes decimal commas */
    double x[2 * 50];
    unsigned char y[50];
    for (int i = 0; i < 50; i++) {
        x[2 * i] = (i * 37 % 17) / 3.0;
        x[2 * i + 1] = (i * 11 % 7) - 2.5;
        y[i] = (i * 13 % 5) < 2;
    }
    const char *names[] = {"days_silent", "plan=Pro plus"};
    retain_logit_options o = {.c = 0.5, .balance = true};
    retain_logit *m, *back;
    assert_int_equal(retain_logit_fit(x, y, 50, 2, names, &o, &m, NULL), RETAIN_OK);
    bool comma = setlocale(LC_ALL, "fr_FR.UTF-8") != NULL;
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(retain_logit_save(m, "tables=customers by=plan horizon=90", f, NULL),
                     RETAIN_OK);
    rewind(f);
    char text[4096];
    size_t len = fread(text, 1, sizeof text - 1, f);
    text[len] = '\0';
    assert_non_null(strstr(text, "feature\tplan=Pro plus\t"));
    if (comma)
        assert_null(strstr(text, ","));
    rewind(f);
    assert_int_equal(retain_logit_load(f, &back, NULL), RETAIN_OK);
    setlocale(LC_ALL, "C");
    fclose(f);
    assert_string_equal(retain_logit_spec(back), "tables=customers by=plan horizon=90");
    assert_int_equal(retain_logit_features(back), 2);
    assert_string_equal(retain_logit_name(back, 1), "plan=Pro plus");
    for (int i = 0; i < 50; i++) {
        double a = retain_logit_predict(m, x + 2 * i), b = retain_logit_predict(back, x + 2 * i);
        assert_memory_equal(&a, &b, sizeof a);
    }
    assert_float_equal(retain_logit_positive_weight(back), retain_logit_positive_weight(m), 0);
    retain_logit_free(m);
    retain_logit_free(back);
}

static void load_text(const char *text, retain_status expect_status, unsigned long line)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs(text, f);
    rewind(f);
    retain_logit *m = (retain_logit *)1;
    retain_diag d;
    assert_int_equal(retain_logit_load(f, &m, &d), expect_status);
    assert_null(m);
    assert_int_equal(d.line, line);
    fclose(f);
}

static void test_load_damaged(void **state)
{
    (void)state;
    load_text("", RETAIN_ERR_DATA, 0);
    load_text("id,start,end\n", RETAIN_ERR_DATA, 1);
    const char *head = "retain-score-model 1\nspec\t\nc\t1\npositive_weight\t1\nbias\t0\n";
    char buf[512];
    snprintf(buf, sizeof buf, "%sfeatures\t1\nfeature\tx\t0\t1\t0.5\n", head);
    load_text(buf, RETAIN_ERR_DATA, 7); /* no end */
    snprintf(buf, sizeof buf, "%sfeatures\t1\nfeature\tx\t0\t1,5\t0.5\nend\n", head);
    load_text(buf, RETAIN_ERR_DATA, 7);
    snprintf(buf, sizeof buf, "%sfeatures\t2\nfeature\tx\t0\t1\t0.5\nend\n", head);
    load_text(buf, RETAIN_ERR_DATA, 8);
    snprintf(buf, sizeof buf, "%sfeatures\t1\nfeature\tx\t0\t1\t0.5\nend\nmore\n", head);
    load_text(buf, RETAIN_ERR_DATA, 8);
    snprintf(buf, sizeof buf, "%sfeatures\t1\nfeature\tx\t0\t1\tnan\nend\n", head);
    load_text(buf, RETAIN_ERR_DATA, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auc_brier_logloss), cmocka_unit_test(test_auc_ties),
        cmocka_unit_test(test_deciles_lift),      cmocka_unit_test(test_evaluate_bad),
        cmocka_unit_test(test_fit_closed_form),   cmocka_unit_test(test_fit_balanced),
        cmocka_unit_test(test_fit_bad),           cmocka_unit_test(test_save_load),
        cmocka_unit_test(test_load_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
