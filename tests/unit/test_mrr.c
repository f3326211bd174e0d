/* Unit tests for retain/mrr.h: MRR movements worked out by hand, the
 * identity on every period and segment of random tables, the result
 * independent of the order of the rows, and two accumulators over two
 * halves of a table merged into the accumulator of the whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/mrr.h>
#include <retain/number.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define UNITS(x) ((retain_money)(x)*RETAIN_MONEY_SCALE)

typedef struct {
    const char *id;
    const char *start, *end; /* end NULL: open */
    long mrr;                /* whole units */
    const char *seg;
} row_in;

static retain_day day(const char *text)
{
    retain_day d;
    assert_true(retain_date_parse(text, strlen(text), NULL, &d));
    return d;
}

static retain_mrr_options month_options(const char *as_of)
{
    retain_mrr_options o = {.period = RETAIN_PERIOD_MONTH};
    if (as_of) {
        o.has_as_of = true;
        o.as_of = day(as_of);
    }
    return o;
}

static retain_mrr *run(const retain_mrr_options *o, const row_in *rows, size_t n)
{
    retain_mrr *m = retain_mrr_new(o);
    assert_non_null(m);
    for (size_t i = 0; i < n; i++) {
        const row_in *r = &rows[i];
        assert_int_equal(retain_mrr_add(m, r->id, strlen(r->id), r->seg,
                                        r->seg ? strlen(r->seg) : 0, day(r->start),
                                        r->end ? day(r->end) : 0, r->end != NULL, UNITS(r->mrr)),
                         RETAIN_OK);
    }
    retain_diag diag;
    assert_int_equal(retain_mrr_finish(m, &diag), RETAIN_OK);
    return m;
}

/* The identity on every line: mrr_end = mrr_start + new + reactivation +
 * expansion - contraction - churned + moved_in - moved_out, and each
 * period starts where the one before ended. */
static retain_money seen[7]; /* of every movement, to show the tables have them */

static void check_identity(const retain_mrr *m)
{
    for (size_t g = 0; g < retain_mrr_segments(m); g++) {
        for (size_t p = 0; p < retain_mrr_periods(m); p++) {
            retain_mrr_row r, prev;
            retain_mrr_get(m, g, p, &r);
            assert_int_equal(r.mrr_end, r.mrr_start + r.new_mrr + r.reactivation + r.expansion -
                                            r.contraction - r.churned + r.moved_in - r.moved_out);
            assert_true(r.new_mrr >= 0 && r.reactivation >= 0 && r.expansion >= 0 &&
                        r.contraction >= 0 && r.churned >= 0 && r.moved_in >= 0 &&
                        r.moved_out >= 0);
            retain_money v[7] = {r.new_mrr, r.reactivation, r.expansion, r.contraction,
                                 r.churned, r.moved_in,     r.moved_out};
            for (int i = 0; i < 7; i++)
                seen[i] += v[i];
            if (p > 0) {
                retain_mrr_get(m, g, p - 1, &prev);
                assert_int_equal(r.mrr_start, prev.mrr_end);
                assert_int_equal(r.customers_start, prev.customers_end);
            }
        }
    }
}

static void expect(const retain_mrr *m, size_t p, long start, long fresh, long expansion,
                   long react, long contraction, long churned, long end)
{
    retain_mrr_row r;
    retain_mrr_get(m, 0, p, &r);
    assert_int_equal(r.mrr_start, UNITS(start));
    assert_int_equal(r.new_mrr, UNITS(fresh));
    assert_int_equal(r.expansion, UNITS(expansion));
    assert_int_equal(r.reactivation, UNITS(react));
    assert_int_equal(r.contraction, UNITS(contraction));
    assert_int_equal(r.churned, UNITS(churned));
    assert_int_equal(r.mrr_end, UNITS(end));
}

/* The example of retain-mrr(1). */
static const row_in example[] = {
    {"A", "2024-01-10", NULL, 100, "pro"},
    {"A", "2024-02-15", NULL, 50, "basic"}, /* an add-on: expansion */
    {"B", "2024-01-05", "2024-02-10", 200, "pro"},
    {"B", "2024-03-01", NULL, 80, "basic"},         /* won back */
    {"C", "2024-01-01", "2024-02-01", 300, "pro"},  /* downgraded */
    {"C", "2024-02-01", NULL, 120, "basic"},        /* on the day */
    {"D", "2024-01-20", NULL, 0, "free"},           /* a free plan */
    {"D", "2024-03-05", NULL, 40, "basic"},         /* turning paid: new */
    {"E", "2024-01-15", "2024-02-15", 60, "basic"}, /* renewed back to back */
    {"E", "2024-02-15", NULL, 60, "basic"},
};

static void test_hand_worked(void **state)
{
    (void)state;
    retain_mrr_options o = month_options("2024-03-31");
    retain_mrr *m = run(&o, example, N(example));
    assert_int_equal(retain_mrr_periods(m), 3);
    expect(m, 0, 0, 660, 0, 0, 0, 0, 660);
    expect(m, 1, 660, 0, 50, 0, 180, 200, 330);
    expect(m, 2, 330, 40, 0, 80, 0, 0, 450);
    retain_mrr_row r;
    retain_mrr_get(m, 0, 1, &r);
    assert_int_equal(r.customers_start, 4);
    assert_int_equal(r.customers_end, 3);
    char buf[RETAIN_NUMBER_BUFSIZE];
    assert_true(retain_mrr_nrr_pct(&r, 2, buf));
    assert_string_equal(buf, "50.00"); /* (660 + 50 - 180 - 200) / 660 */
    assert_true(retain_mrr_grr_pct(&r, 2, buf));
    assert_string_equal(buf, "42.42"); /* 280 / 660 */
    assert_true(retain_mrr_revenue_churn_pct(&r, 2, buf));
    assert_string_equal(buf, "57.58");
    assert_true(retain_mrr_quick_ratio(&r, 2, buf));
    assert_string_equal(buf, "0.13"); /* 50 / 380 */
    retain_mrr_get(m, 0, 0, &r);
    assert_false(retain_mrr_nrr_pct(&r, 2, buf)); /* nothing at the start */
    assert_string_equal(buf, "");
    assert_false(retain_mrr_quick_ratio(&r, 2, buf));
    check_identity(m);
    retain_mrr_free(m);
}

/* With --by: C's downgrade moves it from pro to basic (moved, not
 * contraction), A's add-on of a cheaper plan keeps it in pro. */
static void test_segments(void **state)
{
    (void)state;
    retain_mrr_options o = month_options("2024-03-31");
    o.segments = true;
    retain_mrr *m = run(&o, example, N(example));
    assert_int_equal(retain_mrr_segments(m), 3); /* basic, free, pro */
    size_t len;
    assert_memory_equal(retain_mrr_segment(m, 0, &len), "basic", 5);
    assert_memory_equal(retain_mrr_segment(m, 2, &len), "pro", 3);
    retain_mrr_row pro, basic;
    retain_mrr_get(m, 2, 1, &pro);
    retain_mrr_get(m, 0, 1, &basic);
    assert_int_equal(pro.mrr_start, UNITS(600));
    assert_int_equal(pro.moved_out, UNITS(300));
    assert_int_equal(pro.contraction, 0);
    assert_int_equal(pro.expansion, UNITS(50));
    assert_int_equal(pro.churned, UNITS(200));
    assert_int_equal(pro.mrr_end, UNITS(150));
    assert_int_equal(basic.moved_in, UNITS(120));
    assert_int_equal(basic.mrr_end, UNITS(180));
    check_identity(m);
    retain_mrr_free(m);
}

/* --merge-gap: a gap of at most G days is served at the MRR before it. */
static void test_merge_gap(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {"A", "2024-01-01", "2024-01-31", 100, NULL}, /* not served on the 31st */
        {"A", "2024-02-03", NULL, 130, NULL},
    };
    retain_mrr_options o = month_options("2024-02-29");
    retain_mrr *m = run(&o, rows, N(rows));
    expect(m, 0, 0, 0, 0, 0, 0, 0, 0); /* joined and left in January: point to point, nothing */
    expect(m, 1, 0, 0, 0, 130, 0, 0, 130);
    retain_mrr_free(m);
    o.merge_gap = 3;
    m = run(&o, rows, N(rows));
    expect(m, 0, 0, 100, 0, 0, 0, 0, 100); /* the gap is served at 100 */
    expect(m, 1, 100, 0, 30, 0, 0, 0, 130);
    retain_mrr_free(m);
    o.merge_gap = 2; /* 3 days without service: too long */
    m = run(&o, rows, N(rows));
    expect(m, 1, 0, 0, 0, 130, 0, 0, 130);
    retain_mrr_free(m);
}

/* As-of inside the last period: m1 is the MRR on as-of; later ends are
 * unknown, later starts ignored. */
static void test_as_of(void **state)
{
    (void)state;
    static const row_in rows[] = {
        {"A", "2024-01-01", "2024-03-20", 100, NULL},
        {"B", "2024-01-01", "2024-03-05", 50, NULL},
        {"C", "2024-03-25", NULL, 70, NULL},
    };
    retain_mrr_options o = month_options("2024-03-10");
    retain_mrr *m = run(&o, rows, N(rows));
    assert_int_equal(retain_mrr_periods(m), 3);
    expect(m, 2, 150, 0, 0, 0, 0, 50, 100);
    retain_day last;
    assert_true(retain_mrr_partial(m, &last));
    assert_int_equal(last, day("2024-03-31"));
    retain_mrr_free(m);
}

static void test_bad_rows(void **state)
{
    (void)state;
    retain_mrr_options o = month_options(NULL);
    retain_mrr *m = retain_mrr_new(&o);
    assert_int_equal(retain_mrr_add(m, "A", 1, NULL, 0, 10, 20, true, -UNITS(5)), RETAIN_ERR_DATA);
    assert_int_equal(retain_mrr_add(m, "A", 1, NULL, 0, 10, 5, true, UNITS(5)), RETAIN_ERR_DATA);
    retain_diag diag;
    assert_int_equal(retain_mrr_finish(m, &diag), RETAIN_ERR_DATA); /* no row */
    retain_mrr_free(m);
}

/* ---- random tables --------------------------------------------------- */

static uint64_t rng = 88172645463325252ULL;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

typedef struct {
    char id[16];
    retain_day start, end;
    bool has_end;
    retain_money mrr;
    const char *seg;
} rrow;

/* Customers with plan changes, downgrades to a free plan, win-backs,
 * overlapping rows and rows serving no day. */
static size_t random_table(rrow *rows, size_t max)
{
    static const char *const plans[] = {"basic", "pro", "team", ""};
    const retain_day base = day("2023-01-01");
    size_t n = 0;
    for (int c = 0; n + 8 < max; c++) {
        int k = 1 + (int)(next() % 5);
        retain_day at = base + (retain_day)(next() % 600);
        for (int j = 0; j < k && n < max; j++) {
            rrow *r = &rows[n++];
            snprintf(r->id, sizeof r->id, "c%d", c);
            r->start = at;
            int len = (int)(next() % 200);
            r->has_end = next() % 4 != 0;
            r->end = at + len;
            r->mrr = next() % 5 == 0 ? 0 : (retain_money)(next() % 50000) * 10000;
            r->seg = plans[next() % 4];
            switch (next() % 4) {
            case 0: /* back to back */
                at = r->has_end ? r->end : at + 30;
                break;
            case 1: /* a gap: a win-back */
                at = (r->has_end ? r->end : at) + (retain_day)(next() % 60);
                break;
            default: /* overlapping */
                at += (retain_day)(next() % 40);
            }
        }
    }
    return n;
}

static retain_mrr *feed(const retain_mrr_options *o, const rrow *rows, const size_t *perm,
                        size_t from, size_t to)
{
    retain_mrr *m = retain_mrr_new(o);
    assert_non_null(m);
    for (size_t k = from; k < to; k++) {
        const rrow *r = &rows[perm ? perm[k] : k];
        assert_int_equal(retain_mrr_add(m, r->id, strlen(r->id), r->seg, strlen(r->seg), r->start,
                                        r->end, r->has_end, r->mrr),
                         RETAIN_OK);
    }
    return m;
}

static void assert_same(const retain_mrr *a, const retain_mrr *b)
{
    assert_int_equal(retain_mrr_segments(a), retain_mrr_segments(b));
    assert_int_equal(retain_mrr_periods(a), retain_mrr_periods(b));
    for (size_t g = 0; g < retain_mrr_segments(a); g++) {
        for (size_t p = 0; p < retain_mrr_periods(a); p++) {
            retain_mrr_row x, y;
            retain_mrr_get(a, g, p, &x);
            retain_mrr_get(b, g, p, &y);
            assert_memory_equal(&x, &y, sizeof x);
        }
    }
}

static void shuffle(size_t *perm, size_t n)
{
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = next() % i, t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}

static void random_tables(bool segments, int32_t gap, retain_period_kind period)
{
    static rrow rows[3000];
    static size_t perm[3000];
    retain_diag diag;
    memset(seen, 0, sizeof seen);
    for (int round = 0; round < 6; round++) {
        size_t n = random_table(rows, N(rows));
        retain_mrr_options o = {.period = period, .segments = segments, .merge_gap = gap};
        retain_mrr *whole = feed(&o, rows, NULL, 0, n);
        assert_int_equal(retain_mrr_finish(whole, &diag), RETAIN_OK);
        check_identity(whole);
        /* any order */
        shuffle(perm, n);
        retain_mrr *shuffled = feed(&o, rows, perm, 0, n);
        assert_int_equal(retain_mrr_finish(shuffled, &diag), RETAIN_OK);
        assert_same(whole, shuffled);
        /* two halves, merged */
        size_t cut = next() % n;
        retain_mrr *a = feed(&o, rows, perm, 0, cut);
        retain_mrr *b = feed(&o, rows, perm, cut, n);
        assert_int_equal(retain_mrr_merge(a, b, &diag), RETAIN_OK);
        retain_mrr_free(b);
        assert_int_equal(retain_mrr_finish(a, &diag), RETAIN_OK);
        assert_same(whole, a);
        retain_mrr_free(a);
        retain_mrr_free(shuffled);
        retain_mrr_free(whole);
    }
    for (int i = 0; i < 5; i++)
        assert_true(seen[i] > 0);
    assert_true(segments ? seen[5] > 0 && seen[6] > 0 : seen[5] == 0 && seen[6] == 0);
}

static void test_random_month(void **state)
{
    (void)state;
    random_tables(false, 0, RETAIN_PERIOD_MONTH);
}

static void test_random_by_plan_gap(void **state)
{
    (void)state;
    random_tables(true, 0, RETAIN_PERIOD_MONTH);
    random_tables(true, 15, RETAIN_PERIOD_WEEK);
    random_tables(false, 30, RETAIN_PERIOD_QUARTER);
}

/* The per-customer lines sum to the table's, and --period year NRR is
 * the sum of m1 over the customers present at the start over their m0. */
typedef struct {
    int32_t period;
    retain_money m0, m1, m1_of_present;
    size_t lines;
} sums;

static retain_status add_customer(const retain_mrr_customer *c, void *user)
{
    sums *s = user;
    if (c->period != s->period)
        return RETAIN_OK;
    s->m0 += c->m0;
    s->m1 += c->m1;
    if (c->m0 > 0)
        s->m1_of_present += c->m1;
    s->lines++;
    return RETAIN_OK;
}

static void test_customers_year_nrr(void **state)
{
    (void)state;
    static rrow rows[3000];
    size_t n = random_table(rows, N(rows));
    retain_mrr_options o = {.period = RETAIN_PERIOD_YEAR, .ids = true};
    retain_mrr *m = feed(&o, rows, NULL, 0, n);
    retain_diag diag;
    assert_int_equal(retain_mrr_finish(m, &diag), RETAIN_OK);
    for (size_t p = 0; p < retain_mrr_periods(m); p++) {
        retain_mrr_row r;
        retain_mrr_get(m, 0, p, &r);
        sums s = {r.period, 0, 0, 0, 0};
        assert_int_equal(retain_mrr_customers_each(m, add_customer, &s), RETAIN_OK);
        assert_int_equal(s.m0, r.mrr_start);
        assert_int_equal(s.m1, r.mrr_end);
        char a[RETAIN_NUMBER_BUFSIZE], b[RETAIN_NUMBER_BUFSIZE];
        bool defined = retain_mrr_nrr_pct(&r, 4, a);
        assert_int_equal(defined, retain_format_ratio(s.m1_of_present, s.m0, 100, 4, b));
        assert_string_equal(a, b);
    }
    retain_mrr_free(m);
}

/* Past several batches of rows (added on a thread of their own), the
 * movements equal those of the same rows added in the caller's thread
 * (segments kept, all of them empty, keeps the batches there): 3000
 * customers of a start, an upgrade and, for some, a churn, each
 * customer's rows far apart among the others'. */
/* The rows of a duplicates test: fingerprint fp (the same for the copies
 * of a row) at place `place`. */
typedef struct {
    const char *id, *start, *end;
    long mrr;
    uint64_t fp, place;
} dup_row;

static retain_mrr *feed_dups(const dup_row *rows, size_t from, size_t to)
{
    retain_mrr_options o = month_options("2024-06-30");
    retain_mrr *m = retain_mrr_new(&o);
    assert_non_null(m);
    retain_diag diag;
    for (size_t k = from; k < to; k++) {
        const dup_row *r = &rows[k];
        retain_row row = {.id = r->id,
                          .id_len = strlen(r->id),
                          .start = day(r->start),
                          .end = r->end ? day(r->end) : 0,
                          .has_end = r->end != NULL,
                          .mrr = UNITS(r->mrr),
                          .has_mrr = true,
                          .line = (unsigned long)r->place,
                          .fingerprint = r->fp,
                          .place = r->place};
        assert_int_equal(retain_mrr_add_row(&row, m, &diag), RETAIN_OK);
    }
    return m;
}

/* Two halves of a table with exact duplicate rows, merged, give the
 * accumulator of the whole read at once, duplicates counted once (first
 * in file order: line 7 repeats line 2) when one half's rows of the
 * customer are all among the other's; when each half holds a row of the
 * customer the other lacks, a row in both counts twice, as retain/mrr.h
 * says. */
static void test_merge_duplicates(void **state)
{
    (void)state;
    static const dup_row first[] = {
        {"a", "2024-01-01", NULL, 10, 1, 2},         /* in both halves */
        {"b", "2024-01-05", "2024-04-01", 20, 2, 3}, /* b: {R, S} and {R} */
        {"b", "2024-04-01", NULL, 25, 3, 4},
        {"c", "2024-02-01", "2024-03-01", 30, 4, 5}, /* c: {R} and {R, T} */
        {"d", "2024-01-01", NULL, 40, 6, 6},
    };
    static const dup_row second[] = {
        {"a", "2024-01-01", NULL, 10, 1, 7},         {"b", "2024-01-05", "2024-04-01", 20, 2, 8},
        {"c", "2024-02-01", "2024-03-01", 30, 4, 9}, {"c", "2024-05-01", NULL, 35, 5, 10},
        {"d", "2024-01-01", NULL, 40, 6, 11}, /* twice in this half */
        {"d", "2024-01-01", NULL, 40, 6, 12},        {"e", "2024-03-01", NULL, 50, 7, 13},
    };
    dup_row all[N(first) + N(second)];
    memcpy(all, first, sizeof first);
    memcpy(all + N(first), second, sizeof second);
    retain_diag diag;
    for (int order = 0; order < 2; order++) {
        retain_mrr *whole = feed_dups(all, 0, N(all));
        retain_mrr *a = feed_dups(order ? all + N(first) : all, 0, order ? N(second) : N(first));
        retain_mrr *b = feed_dups(order ? all : all + N(first), 0, order ? N(first) : N(second));
        assert_int_equal(retain_mrr_merge(a, b, &diag), RETAIN_OK);
        retain_mrr_free(b);
        assert_int_equal(retain_mrr_finish(whole, &diag), RETAIN_OK);
        assert_int_equal(retain_mrr_finish(a, &diag), RETAIN_OK);
        assert_same(whole, a);
        uint64_t place[2], of[2];
        assert_int_equal(retain_mrr_duplicates(whole, &place[0], &of[0]), 5);
        assert_int_equal(retain_mrr_duplicates(a, &place[1], &of[1]), 5);
        assert_int_equal(place[1], 7);
        assert_int_equal(of[1], 2);
        assert_int_equal(place[0], place[1]);
        assert_int_equal(of[0], of[1]);
        retain_mrr_free(a);
        retain_mrr_free(whole);
    }
    /* f: {R, S} and {R, T}: R counts twice, as if its second copy were
     * another row */
    static const dup_row f1[] = {{"f", "2024-01-01", NULL, 10, 1, 2},
                                 {"f", "2024-02-01", NULL, 5, 2, 3}};
    static const dup_row f2[] = {{"f", "2024-01-01", NULL, 10, 1, 4},
                                 {"f", "2024-03-01", NULL, 7, 3, 5}};
    static const dup_row twice[] = {{"f", "2024-01-01", NULL, 10, 1, 2},
                                    {"f", "2024-02-01", NULL, 5, 2, 3},
                                    {"f", "2024-01-01", NULL, 10, 9, 4},
                                    {"f", "2024-03-01", NULL, 7, 3, 5}};
    retain_mrr *a = feed_dups(f1, 0, 2), *b = feed_dups(f2, 0, 2), *ref = feed_dups(twice, 0, 4);
    assert_int_equal(retain_mrr_merge(a, b, &diag), RETAIN_OK);
    retain_mrr_free(b);
    assert_int_equal(retain_mrr_finish(a, &diag), RETAIN_OK);
    assert_int_equal(retain_mrr_finish(ref, &diag), RETAIN_OK);
    assert_same(ref, a);
    assert_int_equal(retain_mrr_duplicates(a, NULL, NULL), 1); /* noted all the same */
    retain_mrr_free(a);
    retain_mrr_free(ref);
}

static void test_many_rows_many_batches(void **state)
{
    (void)state;
    enum { CUSTOMERS = 3000 };
    retain_mrr_options o = month_options("2024-12-31"), s = o;
    s.segments = true;
    retain_mrr *m = retain_mrr_new(&o), *ref = retain_mrr_new(&s);
    assert_non_null(m);
    assert_non_null(ref);
    char id[16];
    retain_day d0 = day("2023-01-01");
    for (int k = 0; k < 3; k++) {
        for (int c = 0; c < CUSTOMERS; c++) {
            int n = snprintf(id, sizeof id, "c%d", c);
            retain_day start = d0 + c % 300 + 90 * k, end = start + 90;
            bool open = k == 2 && c % 3 != 0; /* a third churn */
            retain_money v = UNITS(10 + c % 7 + 5 * k);
            assert_int_equal(retain_mrr_add(m, id, (size_t)n, NULL, 0, start, end, !open, v),
                             RETAIN_OK);
            assert_int_equal(retain_mrr_add(ref, id, (size_t)n, NULL, 0, start, end, !open, v),
                             RETAIN_OK);
        }
    }
    retain_diag diag;
    assert_int_equal(retain_mrr_finish(m, &diag), RETAIN_OK);
    assert_int_equal(retain_mrr_finish(ref, &diag), RETAIN_OK);
    assert_int_equal(retain_mrr_segments(m), 1);
    assert_int_equal(retain_mrr_segments(ref), 1);
    assert_int_equal(retain_mrr_periods(m), retain_mrr_periods(ref));
    assert_int_equal(retain_mrr_customers(m), CUSTOMERS);
    for (size_t p = 0; p < retain_mrr_periods(m); p++) {
        retain_mrr_row a, b;
        retain_mrr_get(m, 0, p, &a);
        retain_mrr_get(ref, 0, p, &b);
        assert_int_equal(a.customers_start, b.customers_start);
        assert_int_equal(a.customers_end, b.customers_end);
        assert_int_equal(a.mrr_start, b.mrr_start);
        assert_int_equal(a.new_mrr, b.new_mrr);
        assert_int_equal(a.expansion, b.expansion);
        assert_int_equal(a.reactivation, b.reactivation);
        assert_int_equal(a.contraction, b.contraction);
        assert_int_equal(a.churned, b.churned);
        assert_int_equal(a.mrr_end, b.mrr_end);
    }
    retain_mrr_free(m);
    retain_mrr_free(ref);
}

/* 5000 customers (the finish sums them on two threads): 50 copies, by
 * id, of 100 customers with win-backs, expansions and churn, whose table
 * (one thread) it is 50 times, line by line. */
static void test_finish_halves(void **state)
{
    (void)state;
    retain_mrr_options o = month_options("2024-12-31");
    retain_mrr *small = retain_mrr_new(&o), *big = retain_mrr_new(&o);
    assert_non_null(small);
    assert_non_null(big);
    retain_day d0 = day("2023-01-01");
    char id[32];
    for (int copy = 0; copy < 51; copy++) {
        for (int c = 0; c < 100; c++) {
            int n = snprintf(id, sizeof id, "r%d-c%d", copy, c);
            for (int k = 0; k < 1 + c % 3; k++) {
                retain_day start = d0 + 7 * c + 120 * k + (k == 2 ? 30 : 0);
                retain_money v = UNITS(5 + c % 11 + 3 * k);
                bool has_end = k < c % 3 || c % 4 == 0;
                retain_mrr *m = copy ? big : small;
                assert_int_equal(
                    retain_mrr_add(m, id, (size_t)n, NULL, 0, start, start + 120, has_end, v),
                    RETAIN_OK);
            }
        }
    }
    retain_diag diag;
    assert_int_equal(retain_mrr_finish(small, &diag), RETAIN_OK);
    assert_int_equal(retain_mrr_finish(big, &diag), RETAIN_OK);
    assert_int_equal(retain_mrr_customers(big), 5000);
    assert_int_equal(retain_mrr_periods(big), retain_mrr_periods(small));
    check_identity(big);
    for (size_t p = 0; p < retain_mrr_periods(big); p++) {
        retain_mrr_row a, b;
        retain_mrr_get(small, 0, p, &a);
        retain_mrr_get(big, 0, p, &b);
        assert_int_equal(b.customers_start, 50 * a.customers_start);
        assert_int_equal(b.customers_end, 50 * a.customers_end);
        assert_int_equal(b.mrr_start, 50 * a.mrr_start);
        assert_int_equal(b.new_mrr, 50 * a.new_mrr);
        assert_int_equal(b.expansion, 50 * a.expansion);
        assert_int_equal(b.reactivation, 50 * a.reactivation);
        assert_int_equal(b.contraction, 50 * a.contraction);
        assert_int_equal(b.churned, 50 * a.churned);
        assert_int_equal(b.mrr_end, 50 * a.mrr_end);
    }
    retain_mrr_free(small);
    retain_mrr_free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_many_rows_many_batches),
        cmocka_unit_test(test_merge_gap),
        cmocka_unit_test(test_merge_duplicates),
        cmocka_unit_test(test_finish_halves),
        cmocka_unit_test(test_as_of),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_random_month),
        cmocka_unit_test(test_random_by_plan_gap),
        cmocka_unit_test(test_customers_year_nrr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
