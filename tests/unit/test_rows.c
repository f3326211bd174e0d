/* Unit tests for the row functions of the customer-table accumulators
 * (retain_rate_add_row, retain_churn_add_row, retain_cohort_add_row,
 * retain_survival_add_row): the reader's row goes in as the accumulator's
 * add function takes it, the --by column first among the extra columns,
 * churn's reason next; a bad row fails with its line in the diagnostic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <retain/retain.h>

/* A row as the reader hands it over, with extra columns plan and reason. */
typedef struct {
    retain_row row;
    const char *extra[2];
    size_t extra_len[2];
} test_row;

static const retain_row *make(test_row *t, unsigned long line, const char *id, int start, int end,
                              const char *plan, const char *reason)
{
    memset(t, 0, sizeof *t);
    retain_day base = 0;
    assert_true(retain_day_from_ymd(2024, 1, 1, &base));
    t->extra[0] = plan;
    t->extra_len[0] = strlen(plan);
    t->extra[1] = reason;
    t->extra_len[1] = strlen(reason);
    t->row.line = line;
    t->row.id = id;
    t->row.id_len = strlen(id);
    t->row.start = base + start;
    t->row.end = base + end;
    t->row.has_end = end >= 0;
    t->row.mrr = 100 * RETAIN_MONEY_SCALE;
    t->row.has_mrr = true;
    t->row.extra = t->extra;
    t->row.extra_len = t->extra_len;
    return &t->row;
}

/* Four customers over two plans; C ends before it starts on line 9. */
static void feed(retain_row_fn fn, void *acc, bool bad)
{
    test_row t;
    retain_diag d;
    assert_int_equal(fn(make(&t, 2, "A", 0, 40, "Pro", "price"), acc, &d), RETAIN_OK);
    assert_int_equal(fn(make(&t, 3, "B", 5, -1, "Basic", ""), acc, &d), RETAIN_OK);
    assert_int_equal(fn(make(&t, 4, "D", 10, 60, "Pro", "support"), acc, &d), RETAIN_OK);
    assert_int_equal(fn(make(&t, 5, "E", 70, -1, "Basic", ""), acc, &d), RETAIN_OK);
    if (bad) {
        assert_int_equal(fn(make(&t, 9, "C", 20, 10, "Pro", ""), acc, &d), RETAIN_ERR_DATA);
        assert_int_equal(d.status, RETAIN_ERR_DATA);
        assert_int_equal(d.line, 9);
    }
}

static void segments_are(size_t n, const char *(*name)(const void *, size_t, size_t *),
                         const void *acc)
{
    assert_int_equal(n, 2);
    size_t len;
    const char *s = name(acc, 0, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(s, "Basic", 5);
    s = name(acc, 1, &len);
    assert_memory_equal(s, "Pro", 3);
}

static const char *rate_seg(const void *a, size_t g, size_t *len)
{
    return retain_rate_segment(a, g, len);
}
static const char *churn_seg(const void *a, size_t g, size_t *len)
{
    return retain_churn_segment(a, g, len);
}
static const char *cohort_seg(const void *a, size_t g, size_t *len)
{
    return retain_cohort_segment(a, g, len);
}
static const char *survival_seg(const void *a, size_t g, size_t *len)
{
    return retain_survival_segment(a, g, len);
}

static void test_rate_row(void **state)
{
    (void)state;
    retain_diag d;
    retain_rate_options o = {.period = RETAIN_PERIOD_MONTH, .segments = true};
    retain_rate *r = retain_rate_new(&o);
    assert_non_null(r);
    feed(retain_rate_add_row, r, true);
    assert_int_equal(retain_rate_finish(r, &d), RETAIN_OK);
    segments_are(retain_rate_segments(r), rate_seg, r);
    retain_rate_free(r);
    /* without segments the plan column is not read */
    o.segments = false;
    r = retain_rate_new(&o);
    feed(retain_rate_add_row, r, false);
    assert_int_equal(retain_rate_finish(r, &d), RETAIN_OK);
    assert_int_equal(retain_rate_segments(r), 1);
    retain_rate_free(r);
}

static void test_churn_row(void **state)
{
    (void)state;
    retain_diag d;
    retain_stages *stages = retain_stages_parse(NULL, &d);
    assert_non_null(stages);
    retain_churn_options o = {.stages = stages, .segments = true, .reasons = true};
    retain_churn *ch = retain_churn_new(&o);
    assert_non_null(ch);
    feed(retain_churn_add_row, ch, true);
    assert_int_equal(retain_churn_finish(ch, &d), RETAIN_OK);
    segments_are(retain_churn_segments(ch), churn_seg, ch);
    /* the reasons are the second extra column: price and support */
    assert_int_equal(retain_churn_reasons(ch), 2);
    size_t len;
    assert_memory_equal(retain_churn_reason(ch, 0, &len), "price", 5);
    assert_memory_equal(retain_churn_reason(ch, 1, &len), "support", 7);
    retain_churn_free(ch);
    /* reasons alone: the reason is then the first extra column */
    o.segments = false;
    ch = retain_churn_new(&o);
    test_row t;
    assert_int_equal(retain_churn_add_row(make(&t, 2, "A", 0, 40, "why", ""), ch, &d), RETAIN_OK);
    assert_int_equal(retain_churn_add_row(make(&t, 3, "B", 50, -1, "", ""), ch, &d), RETAIN_OK);
    assert_int_equal(retain_churn_finish(ch, &d), RETAIN_OK);
    assert_int_equal(retain_churn_segments(ch), 1);
    assert_int_equal(retain_churn_reasons(ch), 1);
    assert_memory_equal(retain_churn_reason(ch, 0, &len), "why", 3);
    retain_churn_free(ch);
    retain_stages_free(stages);
}

static void test_cohort_row(void **state)
{
    (void)state;
    retain_diag d;
    retain_cohort_options o = {.period = RETAIN_PERIOD_MONTH, .segments = true};
    retain_cohort *co = retain_cohort_new(&o);
    assert_non_null(co);
    feed(retain_cohort_add_row, co, true);
    assert_int_equal(retain_cohort_finish(co, &d), RETAIN_OK);
    segments_are(retain_cohort_segments(co), cohort_seg, co);
    retain_cohort_free(co);
}

static void test_survival_row(void **state)
{
    (void)state;
    retain_diag d;
    retain_survival_options o = {.segments = true};
    retain_survival *sv = retain_survival_new(&o);
    assert_non_null(sv);
    feed(retain_survival_add_row, sv, true);
    assert_int_equal(retain_survival_finish(sv, &d), RETAIN_OK);
    segments_are(retain_survival_segments(sv), survival_seg, sv);
    retain_survival_free(sv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_row),
        cmocka_unit_test(test_churn_row),
        cmocka_unit_test(test_cohort_row),
        cmocka_unit_test(test_survival_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
