/* Unit tests for retain/score.h on simulated customers: churn driven by
 * silence (the fitted sign and ranking are right, the held-out AUC well
 * above 0.5), churn at random (AUC near 0.5, not informative), a ticket
 * logged on each churn day (would predict churn perfectly if the future
 * leaked into the features: it must not), a training window without a
 * churner, a model applied to the feature set it was fitted on and to
 * another one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/score.h>

enum { SILENCE, RANDOM, LEAK, NEVER, DEFERRED };

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double unif(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}

typedef struct {
    retain_event *v;
    size_t n, cap;
    char (*ids)[16];
} event_list;

static void push(event_list *l, retain_event_table t, int id, retain_day day)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4096;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        assert_non_null(l->v);
    }
    retain_event e = {t,   l->n + 2, l->ids[id], strlen(l->ids[id]),
                      day, NULL,     0,          RETAIN_MONEY_SCALE};
    l->v[l->n++] = e;
}

#define AS_OF 20000 /* a day number */
#define CUSTOMERS 3000

/* Simulates CUSTOMERS customers day by day up to AS_OF: each switches
 * between engaged (an event on 40 % of days) and disengaged (1 %) about
 * every 120 days; its daily churn hazard is logistic in its days of
 * silence (SILENCE), or constant (RANDOM, LEAK: then a ticket on each
 * churn day), or nil (NEVER). */
static retain_score *simulate(int mode, const retain_logit *model, retain_status *run)
{
    rng_state = 42;
    static char ids[CUSTOMERS][16];
    event_list ev = {.ids = ids};
    retain_score_options o = {.has_as_of = mode != DEFERRED, .as_of = AS_OF, .has_mrr = true};
    o.tables[RETAIN_EVENT_ACTIVITY] = true;
    o.tables[RETAIN_EVENT_TICKET] = mode == LEAK;
    retain_diag diag;
    retain_score *s = retain_score_new(&o, &diag);
    assert_non_null(s);
    for (int i = 0; i < CUSTOMERS; i++) {
        snprintf(ids[i], sizeof ids[i], "c%04d", i);
        retain_day start = AS_OF - 1 - (retain_day)(rng_next() % 1400);
        bool engaged = true, churned = false;
        retain_day last = start, d;
        for (d = start; d <= AS_OF; d++) {
            if (unif() < 1.0 / 120)
                engaged = !engaged;
            if (unif() < (engaged ? 0.4 : 0.01)) {
                push(&ev, RETAIN_EVENT_ACTIVITY, i, d);
                last = d;
            }
            double silence = fmin(d - last, 150), h = 0;
            if (mode == SILENCE || mode == DEFERRED)
                h = 1 / (1 + exp(-(-7 + 0.05 * silence)));
            else if (mode != NEVER)
                h = 0.003;
            if (unif() < h) {
                churned = d + 1 <= AS_OF;
                break;
            }
        }
        if (churned && mode == LEAK)
            push(&ev, RETAIN_EVENT_TICKET, i, d + 1);
        retain_money mrr = (retain_money)(10 + rng_next() % 490) * RETAIN_MONEY_SCALE;
        assert_int_equal(retain_score_add_customer(s, ids[i], strlen(ids[i]), start, d + 1, churned,
                                                   mrr, NULL, NULL, (unsigned long)i + 2, &diag),
                         RETAIN_OK);
    }
    assert_int_equal(retain_score_customers_done(s, &diag), RETAIN_OK);
    for (size_t e = 0; e < ev.n; e++)
        assert_int_equal(retain_score_add_event(s, &ev.v[e], &diag), RETAIN_OK);
    free(ev.v);
    *run = retain_score_run(s, model, &diag);
    return s;
}

static size_t feature(const retain_score *s, const char *name)
{
    for (size_t j = 0; j < retain_score_features(s); j++)
        if (strcmp(retain_score_feature_name(s, j), name) == 0)
            return j;
    fail_msg("no feature %s", name);
    return 0;
}

static void test_silence_drives_churn(void **state)
{
    (void)state;
    retain_status st;
    retain_score *s = simulate(SILENCE, NULL, &st);
    assert_int_equal(st, RETAIN_OK);
    retain_score_summary sum;
    retain_score_get_summary(s, &sum);
    assert_int_equal(sum.train_cutoffs, 12);
    assert_true(sum.train_churners >= RETAIN_SCORE_MIN_CHURNERS);
    assert_true(sum.evaluated);
    assert_true(sum.c_validated);
    assert_true(sum.heldout.auc > 0.7);
    assert_true(sum.informative);
    /* the top decile churns far more than the bottom one */
    assert_true(sum.heldout.decile[0].observed > 3 * sum.heldout.decile[9].observed);
    assert_true(sum.heldout.top_decile_lift > 2);
    /* silence raises the risk, and is the strongest feature */
    const retain_logit *m = retain_score_model(s);
    size_t silent = feature(s, "days_silent");
    assert_true(retain_logit_coef(m, silent) > 0.5);
    assert_true(retain_logit_coef(m, feature(s, "usage_change_pct")) < 0);
    for (size_t j = 0; j < retain_score_features(s); j++)
        assert_true(fabs(retain_logit_coef(m, j)) <= retain_logit_coef(m, silent));
    /* scored: every active customer once, by expected loss, silence first
     * among the reasons of the riskiest */
    assert_true(retain_score_scored(s) > 100);
    retain_score_result a, b;
    for (size_t r = 1; r < retain_score_scored(s); r++) {
        retain_score_result_get(s, r - 1, &a);
        retain_score_result_get(s, r, &b);
        assert_true(a.expected_mrr_loss >= b.expected_mrr_loss);
    }
    double best = 0;
    size_t riskiest = 0;
    for (size_t r = 0; r < retain_score_scored(s); r++) {
        retain_score_result_get(s, r, &a);
        if (a.p_churn > best) {
            best = a.p_churn;
            riskiest = r;
        }
    }
    retain_score_result_get(s, riskiest, &a);
    assert_int_equal(a.top[0].feature, silent);
    retain_score_free(s);
}

static void test_random_churn(void **state)
{
    (void)state;
    retain_status st;
    retain_score *s = simulate(RANDOM, NULL, &st);
    assert_int_equal(st, RETAIN_OK);
    retain_score_summary sum;
    retain_score_get_summary(s, &sum);
    assert_true(sum.evaluated);
    assert_true(sum.heldout.auc > 0.4 && sum.heldout.auc < 0.6);
    assert_false(sum.informative);
    retain_score_free(s);
}

static void test_no_leakage(void **state)
{
    (void)state;
    /* a ticket on every churn day: had tickets after the cutoff been
     * counted, tickets would separate the churners perfectly */
    retain_status st;
    retain_score *s = simulate(LEAK, NULL, &st);
    assert_int_equal(st, RETAIN_OK);
    retain_score_summary sum;
    retain_score_get_summary(s, &sum);
    assert_true(sum.evaluated);
    assert_true(sum.heldout.auc < 0.6);
    assert_false(sum.informative);
    size_t tickets = feature(s, "tickets");
    for (size_t r = 0; r < retain_score_rows(s); r++) {
        retain_score_feature_row row;
        retain_score_row(s, r, &row);
        assert_float_equal(row.x[tickets], 0, 0);
    }
    assert_float_equal(retain_logit_coef(retain_score_model(s), tickets), 0, 0);
    retain_score_free(s);
}

static void test_no_churner(void **state)
{
    (void)state;
    retain_status st;
    retain_score *s = simulate(NEVER, NULL, &st);
    assert_int_equal(st, RETAIN_ERR_DATA);
    retain_score_free(s);
}

static void test_apply(void **state)
{
    (void)state;
    retain_status st;
    retain_score *fit = simulate(SILENCE, NULL, &st);
    assert_int_equal(st, RETAIN_OK);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(retain_logit_save(retain_score_model(fit), retain_score_spec(fit), f, NULL),
                     RETAIN_OK);
    rewind(f);
    retain_logit *m;
    assert_int_equal(retain_logit_load(f, &m, NULL), RETAIN_OK);
    fclose(f);
    retain_score *again = simulate(SILENCE, m, &st);
    assert_int_equal(st, RETAIN_OK);
    assert_int_equal(retain_score_scored(again), retain_score_scored(fit));
    for (size_t r = 0; r < retain_score_scored(fit); r++) {
        retain_score_result a, b;
        retain_score_result_get(fit, r, &a);
        retain_score_result_get(again, r, &b);
        assert_memory_equal(&a.p_churn, &b.p_churn, sizeof a.p_churn);
    }
    retain_score_free(again);
    /* the LEAK run has a tickets feature the model lacks */
    retain_score *other = simulate(LEAK, m, &st);
    assert_int_equal(st, RETAIN_ERR_DATA);
    retain_score_free(other);
    retain_logit_free(m);
    retain_score_free(fit);
}

static void test_as_of_latest_start(void **state)
{
    (void)state;
    /* without an as-of, the latest start: the rows are kept, then the
     * same model as with that as-of given */
    retain_status st;
    retain_score *s = simulate(DEFERRED, NULL, &st);
    assert_int_equal(st, RETAIN_OK);
    retain_day latest = 0;
    for (size_t r = 0; r < retain_score_rows(s); r++) {
        retain_score_feature_row row;
        retain_score_row(s, r, &row);
        if (row.set == RETAIN_SCORE_SCORED && row.x[0] == 0)
            latest = row.cutoff; /* tenure 0: started on as-of */
    }
    assert_int_equal(retain_score_as_of(s), latest);
    assert_true(latest < AS_OF);
    retain_score_summary sum;
    retain_score_get_summary(s, &sum);
    assert_int_equal(sum.heldout_cutoff, latest - 90);
    assert_true(sum.evaluated && sum.informative);
    retain_score_free(s);
}

static void test_options(void **state)
{
    (void)state;
    retain_diag d;
    retain_score_options o = {.has_as_of = true, .as_of = AS_OF, .horizon = -1};
    assert_null(retain_score_new(&o, &d));
    assert_int_equal(d.status, RETAIN_ERR_USAGE);
    o.horizon = 90;
    o.train_days = 10;
    assert_null(retain_score_new(&o, &d));
    o.train_days = 365;
    o.c = -1;
    assert_null(retain_score_new(&o, &d));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_silence_drives_churn),
        cmocka_unit_test(test_random_churn),
        cmocka_unit_test(test_no_leakage),
        cmocka_unit_test(test_no_churner),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_as_of_latest_start),
        cmocka_unit_test(test_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
