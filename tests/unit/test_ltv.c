/* Unit tests for retain/ltv.h and retain/table.h: every formula against
 * values worked out by hand, the discounted LTV against its closed form
 * and a direct sum of its series, zero and impossible inputs; the
 * customer-table inputs on hand-built rows; the small-table reader and the
 * header peek. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/ltv.h>
#include <retain/number.h>
#include <retain/table.h>

#include "whole.h"

#define CLOSE(a, b)                                                                                \
    assert_true(fabs((double)(a) - (double)(b)) <= 1e-9 * fmax(1, fabs((double)(b))))

static retain_day day_of(const char *iso)
{
    retain_day d = 0;
    if (!retain_date_parse(iso, strlen(iso), NULL, &d))
        fail_msg("bad test date %s", iso);
    return d;
}

static void test_simple_ltv(void **state)
{
    (void)state;
    retain_value v;
    /* 120 x 0.8 / 0.035 = 96 / 0.035 = 2742.857142857... */
    assert_int_equal(retain_ltv_simple(120, 0.8, 0.035, &v, NULL), RETAIN_OK);
    assert_true(v.defined);
    CLOSE(v.value, 19200.0 / 7.0);
    /* churn 1: one period's margin */
    assert_int_equal(retain_ltv_simple(50, 0.5, 1, &v, NULL), RETAIN_OK);
    CLOSE(v.value, 25);
    /* ARPU 0 or margin 0: worth 0, defined */
    assert_int_equal(retain_ltv_simple(0, 0.8, 0.1, &v, NULL), RETAIN_OK);
    assert_true(v.defined);
    CLOSE(v.value, 0);
    assert_int_equal(retain_ltv_simple(100, 0, 0.1, &v, NULL), RETAIN_OK);
    assert_true(v.defined);
    /* churn 0: no end, undefined (empty), never inf */
    assert_int_equal(retain_ltv_simple(120, 0.8, 0, &v, NULL), RETAIN_OK);
    assert_false(v.defined);
    assert_true(v.value == 0);
}

static void test_discounted_ltv(void **state)
{
    (void)state;
    retain_value v, s;
    /* 120 x 0.8 x 1.01 / (0.01 + 0.035) = 96.96 / 0.045 = 2154.666... */
    assert_int_equal(retain_ltv_discounted(120, 0.8, 0.035, 0.01, &v, NULL), RETAIN_OK);
    assert_true(v.defined);
    CLOSE(v.value, 96.96 / 0.045);
    CLOSE(v.value, 6464.0 / 3.0);
    /* d = 0 is the simple LTV */
    assert_int_equal(retain_ltv_discounted(120, 0.8, 0.035, 0, &v, NULL), RETAIN_OK);
    assert_int_equal(retain_ltv_simple(120, 0.8, 0.035, &s, NULL), RETAIN_OK);
    CLOSE(v.value, s.value);
    /* churn 0 with a discount: a perpetuity due, ARPU m (1 + d) / d */
    assert_int_equal(retain_ltv_discounted(100, 1, 0, 0.05, &v, NULL), RETAIN_OK);
    assert_true(v.defined);
    CLOSE(v.value, 2100);
    /* both 0: undefined */
    assert_int_equal(retain_ltv_discounted(100, 1, 0, 0, &v, NULL), RETAIN_OK);
    assert_false(v.defined);
}

/* The closed form against the series it sums: sum over t >= 0 of
 * ARPU m r^t / (1 + d)^t, r = 1 - c, over 10000 periods. */
static void test_discounted_against_series(void **state)
{
    (void)state;
    static const double cases[][4] = {
        {120, 0.8, 0.035, 0.01}, {90, 0.75, 0.02, 0.008}, {1000, 1, 0.5, 0.1},
        {49.99, 0.6, 0.01, 0.0}, {10, 0.9, 1, 0.25},      {75, 0.7, 0.05, 0.0125},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double arpu = cases[k][0], m = cases[k][1], c = cases[k][2], d = cases[k][3];
        double sum = 0, term = arpu * m, q = (1 - c) / (1 + d);
        for (int t = 0; t < 10000; t++) {
            sum += term;
            term *= q;
        }
        double closed = arpu * m * (1 + d) / (d + c);
        retain_value v;
        assert_int_equal(retain_ltv_discounted(arpu, m, c, d, &v, NULL), RETAIN_OK);
        assert_true(v.defined);
        CLOSE(v.value, closed);
        assert_true(fabs(v.value - sum) <= 1e-9 * v.value);
    }
}

static void test_cac_ratio_payback(void **state)
{
    (void)state;
    retain_value v;
    assert_int_equal(retain_cac(50000, 40, &v, NULL), RETAIN_OK);
    assert_true(v.defined);
    CLOSE(v.value, 1250);
    assert_int_equal(retain_cac(50000, 0, &v, NULL), RETAIN_OK);
    assert_false(v.defined);
    assert_int_equal(retain_cac(0, 10, &v, NULL), RETAIN_OK);
    assert_true(v.defined);
    CLOSE(v.value, 0);
    /* LTV:CAC = (19200 / 7) / 1250 = 2.19428571... */
    assert_int_equal(retain_ltv_cac(19200.0 / 7.0, 1250, &v, NULL), RETAIN_OK);
    CLOSE(v.value, 15.36 / 7.0);
    assert_int_equal(retain_ltv_cac(3000, 0, &v, NULL), RETAIN_OK);
    assert_false(v.defined);
    /* payback = 1250 / (120 x 0.8) = 13.0208333... periods */
    assert_int_equal(retain_cac_payback(1250, 120, 0.8, &v, NULL), RETAIN_OK);
    CLOSE(v.value, 1250.0 / 96.0);
    assert_int_equal(retain_cac_payback(1250, 0, 0.8, &v, NULL), RETAIN_OK);
    assert_false(v.defined);
    assert_int_equal(retain_cac_payback(1250, 120, 0, &v, NULL), RETAIN_OK);
    assert_false(v.defined);
}

static void test_impossible_inputs(void **state)
{
    (void)state;
    retain_value v;
    retain_diag d;
    assert_int_equal(retain_ltv_simple(120, 1.2, 0.03, &v, &d), RETAIN_ERR_USAGE);
    assert_non_null(strstr(d.message, "margin"));
    assert_false(v.defined);
    assert_int_equal(retain_ltv_simple(120, 0.8, -0.01, &v, &d), RETAIN_ERR_USAGE);
    assert_non_null(strstr(d.message, "churn"));
    /* a churn above 1 is possible (TRC with many join-and-leave): defined */
    assert_int_equal(retain_ltv_simple(120, 0.8, 1.5, &v, &d), RETAIN_OK);
    assert_true(v.defined && fabs(v.value - 64) < 1e-9);
    assert_int_equal(retain_ltv_simple(-1, 0.8, 0.1, &v, &d), RETAIN_ERR_USAGE);
    assert_non_null(strstr(d.message, "ARPU"));
    assert_int_equal(retain_ltv_simple(NAN, 0.8, 0.1, &v, &d), RETAIN_ERR_USAGE);
    assert_int_equal(retain_ltv_simple(INFINITY, 0.8, 0.1, &v, NULL), RETAIN_ERR_USAGE);
    assert_int_equal(retain_ltv_discounted(120, 0.8, 0.1, -0.01, &v, &d), RETAIN_ERR_USAGE);
    assert_non_null(strstr(d.message, "discount"));
    assert_int_equal(retain_ltv_discounted(120, -0.1, 0.1, 0, &v, &d), RETAIN_ERR_USAGE);
    assert_int_equal(retain_cac(-5, 10, &v, &d), RETAIN_ERR_USAGE);
    assert_non_null(strstr(d.message, "spend"));
    assert_int_equal(retain_cac(5, -10, &v, &d), RETAIN_ERR_USAGE);
    assert_int_equal(retain_ltv_cac(-1, 10, &v, &d), RETAIN_ERR_USAGE);
    assert_int_equal(retain_ltv_cac(1, -10, &v, &d), RETAIN_ERR_USAGE);
    assert_int_equal(retain_cac_payback(10, 10, 2, &v, &d), RETAIN_ERR_USAGE);
    /* a quotient too large for a double is undefined, not inf */
    assert_int_equal(retain_ltv_simple(1e300, 1, 1e-300, &v, NULL), RETAIN_OK);
    assert_false(v.defined);
}

typedef struct {
    const char *seg, *id, *start, *end;
    double mrr;
} row;

static retain_ltv_table *table_of(const row *rows, size_t n, const char *as_of, int window)
{
    retain_ltv_table_options o = {.has_as_of = as_of != NULL, .window = window};
    if (as_of)
        o.as_of = day_of(as_of);
    retain_ltv_table *t = retain_ltv_table_new(&o);
    assert_non_null(t);
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        retain_day end = r->end ? day_of(r->end) : 0;
        assert_int_equal(retain_ltv_table_add(t, r->seg, r->seg ? strlen(r->seg) : 0, r->id,
                                              strlen(r->id), day_of(r->start), end, r->end != NULL,
                                              (retain_money)llround(r->mrr * RETAIN_MONEY_SCALE),
                                              true),
                         RETAIN_OK);
    }
    retain_diag d;
    assert_int_equal(retain_ltv_table_finish(t, &d), RETAIN_OK);
    return t;
}

/* A open at 100; B 50 from Jan 1 to Feb 15; C 200 from Jan 15; D 30 from
 * Feb 1 to Mar 10, won back at 40 on Mar 20. As of 2024-03-31:
 * - active A, C, D: ARPU = (100 + 200 + 40) / 3;
 * - Feb: S = 3 (A B C), N = 1 (D), E = 3 (A C D): churn 1/3; Mar: S = 3,
 *   N = 0 (D was active on Feb 29), E = 3: churn 0; mean of 2 months 1/6;
 * - days served: A 122, B 45, C 77, D 38 + 12; revenue per customer =
 *   (100x122 + 50x45 + 200x77 + 30x38 + 40x12) / (365.25/12) / 4. */
static const row abcd[] = {
    {"x", "A", "2023-12-01", NULL, 100}, {"x", "B", "2024-01-01", "2024-02-15", 50},
    {"x", "C", "2024-01-15", NULL, 200}, {"x", "D", "2024-02-01", "2024-03-10", 30},
    {"x", "D", "2024-03-20", NULL, 40},  {"y", "E", "2024-03-01", NULL, 10},
    {"x", "F", "2024-04-02", NULL, 999}, /* after as-of: not seen */
};

static void test_table_inputs(void **state)
{
    (void)state;
    retain_ltv_table *t = table_of(abcd, 7, "2024-03-31", 2);
    assert_int_equal(retain_ltv_table_segments(t), 2);
    size_t len;
    assert_memory_equal(retain_ltv_table_segment(t, 0, &len), "x", 1);
    retain_ltv_inputs in;
    retain_ltv_table_get(t, 0, &in);
    assert_int_equal(in.customers, 3);
    assert_true(in.arpu.defined);
    CLOSE(in.arpu.value, 340.0 / 3.0);
    assert_int_equal(in.months, 2);
    assert_true(in.churn.defined);
    CLOSE(in.churn.value, 1.0 / 6.0);
    assert_int_equal(in.customers_seen, 4);
    CLOSE(in.observed_revenue.value, 31470.0 / (365.25 / 12) / 4);
    /* y: one customer since March, no customer at the start of March */
    retain_ltv_table_get(t, 1, &in);
    assert_int_equal(in.customers, 1);
    CLOSE(in.arpu.value, 10);
    assert_int_equal(in.months, 0);
    assert_false(in.churn.defined);
    CLOSE(in.observed_revenue.value, 10 * 31 / (365.25 / 12));
    retain_ltv_table_free(t);

    /* as of Mar 30: March is not over, February is the last full month */
    t = table_of(abcd, 5, "2024-03-30", 1);
    retain_ltv_table_get(t, 0, &in);
    assert_int_equal(in.months, 1);
    CLOSE(in.churn.value, 1.0 / 3.0);
    retain_ltv_table_free(t);

    /* a window longer than the data: months with S = 0 left out */
    t = table_of(abcd, 5, "2024-03-31", 12);
    retain_ltv_table_get(t, 0, &in);
    /* Dec: S = 0; Jan: S = 1 (A), N = 2, E = 3: churn 0; Feb 1/3; Mar 0 */
    assert_int_equal(in.months, 3);
    CLOSE(in.churn.value, 1.0 / 9.0);
    retain_ltv_table_free(t);
}

/* The same rows added whole, customer after customer
 * (rt_ltv_table_add_customer), in the order the customers first appear. */
static retain_ltv_table *table_whole(const row *rows, size_t n, const char *as_of, int window)
{
    retain_ltv_table_options o = {.has_as_of = true, .as_of = day_of(as_of), .window = window};
    retain_ltv_table *t = retain_ltv_table_new(&o);
    assert_non_null(t);
    bool *done = calloc(n, sizeof *done);
    rt_span *spans = calloc(n, sizeof *spans);
    assert_non_null(done);
    assert_non_null(spans);
    for (size_t i = 0; i < n; i++) {
        size_t m = 0;
        for (size_t j = i; j < n; j++) {
            const row *r = &rows[j];
            if (done[j] || strcmp(r->id, rows[i].id) != 0 ||
                (r->seg ? strcmp(r->seg, rows[i].seg ? rows[i].seg : "") : rows[i].seg != NULL))
                continue;
            done[j] = true;
            spans[m++] = (rt_span){day_of(r->start), r->end ? day_of(r->end) : RT_NO_END,
                                   (retain_money)llround(r->mrr * RETAIN_MONEY_SCALE)};
        }
        const char *seg = rows[i].seg;
        if (m)
            assert_int_equal(
                rt_ltv_table_add_customer(t, seg, seg ? strlen(seg) : 0, spans, m, true),
                RETAIN_OK);
    }
    free(done);
    free(spans);
    retain_diag d;
    assert_int_equal(retain_ltv_table_finish(t, &d), RETAIN_OK);
    return t;
}

/* Segment g of two LTV tables has the same inputs. */
static void same_inputs(const retain_ltv_table *a, const retain_ltv_table *b, size_t g)
{
    retain_ltv_inputs in[2];
    retain_ltv_table_get(a, g, &in[0]);
    retain_ltv_table_get(b, g, &in[1]);
    assert_int_equal(in[0].customers, in[1].customers);
    assert_int_equal(in[0].mrr_sum, in[1].mrr_sum);
    assert_int_equal(in[0].months, in[1].months);
    assert_int_equal(in[0].churn.defined, in[1].churn.defined);
    assert_true(in[0].churn.value == in[1].churn.value);
    assert_int_equal(in[0].customers_seen, in[1].customers_seen);
    CLOSE(in[0].observed_revenue.value, in[1].observed_revenue.value);
}

/* Customers added whole, by no id, give the inputs adding them by id does;
 * a customer whose rows all start after as-of leaves no trace. */
static void test_table_whole(void **state)
{
    (void)state;
    static const int windows[] = {1, 2, 12};
    static const char *const days[] = {"2024-03-31", "2024-03-30", "2024-02-20"};
    for (size_t w = 0; w < 3; w++) {
        for (size_t k = 0; k < 3; k++) {
            retain_ltv_table *a = table_of(abcd, 7, days[k], windows[w]);
            retain_ltv_table *b = table_whole(abcd, 7, days[k], windows[w]);
            assert_int_equal(retain_ltv_table_segments(a), retain_ltv_table_segments(b));
            for (size_t g = 0; g < retain_ltv_table_segments(a); g++)
                same_inputs(a, b, g);
            retain_ltv_table_free(a);
            retain_ltv_table_free(b);
        }
    }
    retain_ltv_table *t = table_whole(abcd, 7, "2024-03-31", 2);
    retain_ltv_inputs in;
    retain_ltv_table_get(t, 0, &in);
    assert_int_equal(in.customers, 3); /* A, C, D: F starts after as-of */
    assert_int_equal(in.customers_seen, 4);
    retain_ltv_table_free(t);
    /* rows summed as they come need the as-of */
    retain_ltv_table_options o = {.window = 2};
    t = retain_ltv_table_new(&o);
    assert_non_null(t);
    rt_span one = {day_of("2024-01-01"), RT_NO_END, 0};
    assert_int_equal(rt_ltv_table_add_customer(t, NULL, 0, &one, 1, true), RETAIN_ERR_USAGE);
    retain_ltv_table_free(t);
}

static void test_table_nobody_active(void **state)
{
    (void)state;
    static const row gone[] = {{NULL, "A", "2024-01-01", "2024-02-01", 10},
                               {NULL, "A", "2024-01-01", "2024-01-01", 10}};
    retain_ltv_table *t = table_of(gone, 2, "2024-03-31", 12);
    retain_ltv_inputs in;
    retain_ltv_table_get(t, 0, &in);
    assert_int_equal(in.customers, 0);
    assert_false(in.arpu.defined);
    assert_int_equal(in.customers_seen, 1);
    CLOSE(in.observed_revenue.value, 10 * 31 / (365.25 / 12));
    retain_ltv_table_free(t);
}

static FILE *mem(const char *text)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    return f;
}

static void test_table_reader(void **state)
{
    (void)state;
    FILE *f =
        mem("\xEF\xBB\xBFPeriod;Spend;Channel\r\n2024-03;\"1,5\";web\r\n\r\n2024-4;2;\"a\nb\"\r\n");
    retain_table *t;
    retain_diag d;
    assert_int_equal(retain_table_read(f, 0, &t, &d), RETAIN_OK);
    fclose(f);
    assert_int_equal(retain_table_columns(t), 3);
    assert_int_equal(retain_table_rows(t), 2);
    size_t col;
    assert_true(retain_table_find(t, "period", &col));
    assert_int_equal(col, 0);
    assert_false(retain_table_find(t, "ltv", &col));
    assert_string_equal(retain_table_cell(t, 0, 1, NULL), "1,5");
    size_t len;
    assert_string_equal(retain_table_cell(t, 1, 2, &len), "a\nb");
    assert_int_equal(len, 3);
    assert_int_equal(retain_table_line(t, 1), 4);
    assert_int_equal(retain_table_delimiter(t), ';');
    retain_table_free(t);

    f = mem("a,b\n1,2\n3\n");
    assert_int_equal(retain_table_read(f, 0, &t, &d), RETAIN_ERR_DATA);
    assert_int_equal(d.line, 3);
    assert_null(t);
    fclose(f);
    f = mem("");
    assert_int_equal(retain_table_read(f, 0, &t, &d), RETAIN_ERR_DATA);
    fclose(f);
    assert_true(retain_same_name(" Churn Pct ", "churn_pct"));
    assert_false(retain_same_name("churn", "churn_pct"));
}

static void test_peek_replays(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF\"x\ny\",churn_pct\r\n1,2\r\n3,4\r\n";
    FILE *f = mem(text);
    retain_table *h;
    retain_diag d;
    FILE *again = retain_table_peek(f, 0, &h, &d);
    assert_non_null(again);
    assert_int_equal(retain_table_columns(h), 2);
    assert_int_equal(retain_table_rows(h), 0);
    assert_string_equal(retain_table_name(h, 0), "x\ny");
    size_t col;
    assert_true(retain_table_find(h, "churn_pct", &col));
    retain_table_free(h);
    /* the whole input, header included, once more */
    char buf[128];
    size_t n = fread(buf, 1, sizeof buf, again);
    assert_int_equal(n, strlen(text));
    assert_memory_equal(buf, text, n);
    fclose(again);
    fclose(f);

    f = mem("id,start\nA,2024-01-01");
    again = retain_table_peek(f, 0, &h, &d);
    retain_table *t;
    assert_int_equal(retain_table_read(again, 0, &t, &d), RETAIN_OK);
    assert_int_equal(retain_table_rows(t), 1);
    assert_string_equal(retain_table_cell(t, 0, 1, NULL), "2024-01-01");
    retain_table_free(t);
    retain_table_free(h);
    fclose(again);
    fclose(f);

    f = mem("");
    assert_null(retain_table_peek(f, 0, &h, &d));
    assert_int_equal(d.status, RETAIN_ERR_DATA);
    fclose(f);
}

/* --method survival: ARPU x m x sum_{k < H} S(k months) / (1 + d)^k, on
 * curves whose sums are known by hand. */
static void test_ltv_survival(void **state)
{
    (void)state;
    retain_value v;
    /* no life at all: no curve, nothing known */
    assert_int_equal(retain_ltv_survival(NULL, 0, 100, 0.5, 0, 12, &v, NULL), RETAIN_OK);
    assert_false(v.defined);
    /* nobody leaves (all censored late): S = 1, the sum is H (or a
     * geometric sum with d) */
    retain_km_step stay[] = {{3000, 10, 0, 10, 1.0, 0}};
    assert_int_equal(retain_ltv_survival(stay, 1, 100, 0.5, 0, 12, &v, NULL), RETAIN_OK);
    assert_true(v.defined);
    assert_true(fabs(v.value - 100 * 0.5 * 12) < 1e-9);
    assert_int_equal(retain_ltv_survival(stay, 1, 100, 1, 0.01, 24, &v, NULL), RETAIN_OK);
    double geo = (1 - pow(1 / 1.01, 24)) / (1 - 1 / 1.01);
    assert_true(fabs(v.value - 100 * geo) < 1e-9);
    /* half leave on day 40: months 0 and 1 (days 0, 30.4) at 1, then 0.5 */
    retain_km_step half[] = {{40, 10, 5, 0, 0.5, 0.1}};
    assert_int_equal(retain_ltv_survival(half, 1, 10, 1, 0, 10, &v, NULL), RETAIN_OK);
    assert_true(fabs(v.value - 10 * (2 + 0.5 * 8)) < 1e-9);
    /* everyone on day 0 (zero-length subscriptions): nothing is paid */
    retain_km_step gone[] = {{0, 3, 3, 0, 0.0, 0}};
    assert_int_equal(retain_ltv_survival(gone, 1, 10, 1, 0, 10, &v, NULL), RETAIN_OK);
    assert_true(v.defined && v.value == 0);
    /* a constant monthly survival r^k gives the discounted series */
    retain_km_step geom[60];
    for (int k = 1; k <= 60; k++)
        geom[k - 1] = (retain_km_step){(int32_t)floor(k * 365.25 / 12), 100, 1, 0, pow(0.97, k), 0};
    assert_int_equal(retain_ltv_survival(geom, 60, 120, 0.8, 0, 60, &v, NULL), RETAIN_OK);
    double direct = 0;
    for (int k = 0; k < 60; k++)
        direct += 120 * 0.8 * pow(0.97, k);
    assert_true(fabs(v.value - direct) < 1e-6);
    /* impossible inputs */
    retain_diag d;
    assert_int_equal(retain_ltv_survival(NULL, 0, 10, 1.5, 0, 10, &v, &d), RETAIN_ERR_USAGE);
    assert_int_equal(retain_ltv_survival(NULL, 0, 10, 1, 0, 0, &v, &d), RETAIN_ERR_USAGE);
    assert_int_equal(retain_ltv_survival(NULL, 0, -1, 1, 0, 10, &v, &d), RETAIN_ERR_USAGE);
}

/* The one-liners' numbers: LTV from percentages; CAC rounded from the
 * exact fraction of the spend as typed when it can be, else from the
 * double; empty when undefined. */
static void test_one_liners(void **state)
{
    (void)state;
    char buf[RETAIN_NUMBER_BUFSIZE];
    retain_diag d;
    assert_int_equal(retain_ltv_format(120, 0.8, 3.5, 0, 2, buf, &d), RETAIN_OK);
    assert_string_equal(buf, "2742.86");
    assert_int_equal(retain_ltv_format(120, 0.8, 0, 0, 2, buf, &d), RETAIN_OK);
    assert_string_equal(buf, ""); /* no churn, no discount: no end */
    assert_int_equal(retain_cac_format(50000, "50000", 40, 2, buf, &d), RETAIN_OK);
    assert_string_equal(buf, "1250.00");
    assert_int_equal(retain_cac_format(0.01, "0.01", 3, 4, buf, &d), RETAIN_OK);
    assert_string_equal(buf, "0.0033");
    assert_int_equal(retain_cac_format(100, NULL, 2.5, 2, buf, &d), RETAIN_OK);
    assert_string_equal(buf, "40.00"); /* not whole: from the double */
    assert_int_equal(retain_cac_format(100, "100", 0, 2, buf, &d), RETAIN_OK);
    assert_string_equal(buf, "");
    assert_int_equal(retain_cac_format(-1, "-1", 2, 2, buf, &d), RETAIN_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_ltv),
        cmocka_unit_test(test_one_liners),
        cmocka_unit_test(test_discounted_ltv),
        cmocka_unit_test(test_discounted_against_series),
        cmocka_unit_test(test_cac_ratio_payback),
        cmocka_unit_test(test_impossible_inputs),
        cmocka_unit_test(test_table_inputs),
        cmocka_unit_test(test_table_whole),
        cmocka_unit_test(test_table_nobody_active),
        cmocka_unit_test(test_table_reader),
        cmocka_unit_test(test_peek_replays),
        cmocka_unit_test(test_ltv_survival),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
