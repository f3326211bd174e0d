/* Unit tests for retain/lives.h: rows merged into lives as retain-metrics(7) ("Lives")
 * says, on hand-built rows whose lives are worked out by hand, in every
 * order the rows can come in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/lives.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define UNITS(x) ((retain_money)((x)*RETAIN_MONEY_SCALE))

typedef struct {
    const char *id;
    int32_t start, end; /* end -1: open */
    double mrr;
    const char *seg, *why;
} row_in;

/* A life as the test expects it, days relative to 0. */
typedef struct {
    const char *id;
    int32_t start, end; /* end -1: open at as-of */
    const char *seg, *why;
    double mrr;
    size_t index;
} life_out;

typedef struct {
    life_out got[64];
    size_t n;
    const char *ids[64]; /* the id of each customer index, from the rows */
} collected;

static retain_status collect(const retain_life *l, void *user)
{
    collected *c = user;
    assert_true(c->n < N(c->got));
    life_out *o = &c->got[c->n++];
    o->start = l->start;
    o->end = l->has_end ? l->end : -1;
    o->index = l->index;
    o->mrr = (double)l->mrr / RETAIN_MONEY_SCALE;
    static char seg[64][32], why[64][32];
    snprintf(seg[c->n - 1], 32, "%.*s", (int)l->segment_len, l->segment);
    o->seg = seg[c->n - 1];
    o->why = NULL;
    if (l->reason) {
        snprintf(why[c->n - 1], 32, "%.*s", (int)l->reason_len, l->reason);
        o->why = why[c->n - 1];
    }
    o->id = NULL;
    (void)l->customer;
    return RETAIN_OK;
}

static int by_start_then_index(const void *a, const void *b)
{
    const life_out *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Adds the rows in the order given by perm, and checks the lives. */
static void check_order(const retain_lives_options *o, const row_in *rows, const size_t *perm,
                        size_t n, const life_out *want, size_t nwant)
{
    retain_lives *l = retain_lives_new(o);
    assert_non_null(l);
    for (size_t k = 0; k < n; k++) {
        const row_in *r = &rows[perm[k]];
        assert_int_equal(retain_lives_add(l, r->id, strlen(r->id), r->seg,
                                          r->seg ? strlen(r->seg) : 0, r->why,
                                          r->why ? strlen(r->why) : 0, r->start, r->end,
                                          r->end >= 0, UNITS(r->mrr)),
                         RETAIN_OK);
    }
    retain_diag d;
    assert_int_equal(retain_lives_finish(l, &d), RETAIN_OK);
    collected c = {.n = 0};
    assert_int_equal(retain_lives_each(l, collect, &c), RETAIN_OK);
    assert_int_equal(c.n, nwant);
    assert_int_equal(retain_lives_count(l), nwant);
    /* the test's lives belong to distinct start days */
    qsort(c.got, c.n, sizeof c.got[0], by_start_then_index);
    for (size_t i = 0; i < nwant; i++) {
        assert_int_equal(c.got[i].start, want[i].start);
        assert_int_equal(c.got[i].end, want[i].end);
        assert_int_equal(c.got[i].index, want[i].index);
        if (o->segments)
            assert_string_equal(c.got[i].seg, want[i].seg);
        if (o->reasons && want[i].end >= 0)
            assert_string_equal(c.got[i].why, want[i].why);
        if (o->mrr)
            assert_true(c.got[i].mrr == want[i].mrr);
    }
    retain_lives_free(l);
}

/* Every order of the rows (n! up to 6 rows, else 200 random shuffles). */
static void check(const retain_lives_options *o, const row_in *rows, size_t n, const life_out *want,
                  size_t nwant)
{
    size_t perm[16];
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    if (n <= 6) {
        for (;;) {
            check_order(o, rows, perm, n, want, nwant);
            /* next permutation */
            size_t i = n - 1;
            while (i > 0 && perm[i - 1] >= perm[i])
                i--;
            if (i == 0)
                break;
            size_t j = n - 1;
            while (perm[j] <= perm[i - 1])
                j--;
            size_t t = perm[i - 1];
            perm[i - 1] = perm[j];
            perm[j] = t;
            for (size_t a = i, b = n - 1; a < b; a++, b--) {
                t = perm[a];
                perm[a] = perm[b];
                perm[b] = t;
            }
        }
        return;
    }
    srand(11);
    for (int round = 0; round < 200; round++) {
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = (size_t)rand() % (i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        check_order(o, rows, perm, n, want, nwant);
    }
}

/* Renewals on the day the previous contract ends, and an overlap: one
 * life; it ends with the last contract. */
static void test_renewals_are_one_life(void **state)
{
    (void)state;
    const row_in rows[] = {
        {"A", 100, 465, 50, "Pro", "x"},
        {"A", 465, 830, 60, "Pro", "y"},
        {"A", 830, 1195, 70, "Enterprise", "price"},
        {"A", 1000, 1100, 5, "Add-on", "z"}, /* inside: changes nothing */
        {"B", 200, -1, 10, "Basic", ""},     /* the latest start: as-of 1300 */
        {"B", 1300, 1300, 1, "Basic", ""},   /* zero-length, back to back? no: B open */
    };
    const life_out want[] = {
        {"A", 100, 1195, "Pro", "price", 50, 0},
        {"B", 200, -1, "Basic", NULL, 10, 0},
    };
    retain_lives_options o = {.segments = true, .reasons = true, .mrr = true};
    check(&o, rows, N(rows), want, N(want));
}

/* Gaps: within --merge-gap one life, beyond it a win-back; a row that
 * bridges two lives merges them. */
static void test_gaps_and_bridges(void **state)
{
    (void)state;
    const row_in rows[] = {
        {"A", 0, 10, 1, NULL, NULL},  {"A", 15, 20, 1, NULL, NULL}, /* gap of 5 days */
        {"A", 27, 30, 1, NULL, NULL},                               /* gap of 7 */
        {"B", 1, 10, 1, NULL, NULL},  {"B", 40, 50, 1, NULL, NULL}, /* as-of 40 */
        {"B", 9, 45, 1, NULL, NULL},                                /* bridges B's two rows */
    };
    const life_out gap0[] = {
        {"A", 0, 10, "", NULL, 1, 0},
        {"B", 1, -1, "", NULL, 1, 0},
        {"A", 15, 20, "", NULL, 1, 1},
        {"A", 27, 30, "", NULL, 1, 2},
    };
    retain_lives_options o = {.mrr = true};
    check(&o, rows, N(rows), gap0, N(gap0));
    const life_out gap5[] = {
        {"A", 0, 20, "", NULL, 1, 0},
        {"B", 1, -1, "", NULL, 1, 0},
        {"A", 27, 30, "", NULL, 1, 1},
    };
    o.merge_gap = 5;
    check(&o, rows, N(rows), gap5, N(gap5));
    const life_out gap7[] = {
        {"A", 0, 30, "", NULL, 1, 0},
        {"B", 1, -1, "", NULL, 1, 0},
    };
    o.merge_gap = 7;
    check(&o, rows, N(rows), gap7, N(gap7));
}

/* The segment of a life: the row of largest MRR serving its first day,
 * ties the smallest value; zero-length rows decide only alone; its MRR is
 * the first day's. A lone zero-length row: a life of 0 days, churned. */
static void test_segment_rule(void **state)
{
    (void)state;
    const row_in rows[] = {
        {"A", 10, 100, 100, "Basic", NULL}, {"A", 10, 50, 200, "Pro", NULL},
        {"A", 10, 10, 900, "Zero", NULL},  /* serves no day: does not decide */
        {"A", 20, 200, 999, "Late", NULL}, /* starts later: does not decide */
        {"B", 30, 60, 100, "b", NULL},      {"B", 30, 40, 100, "a", NULL}, /* a tie: "a" < "b" */
        {"C", 5, 5, 40, "Trial", NULL},     {"D", 300, -1, 1, "x", NULL},  /* as-of 300 */
    };
    const life_out want[] = {
        {"C", 5, 5, "Trial", NULL, 40, 0},
        {"A", 10, 200, "Pro", NULL, 300, 0},
        {"B", 30, 60, "a", NULL, 200, 0},
        {"D", 300, -1, "x", NULL, 1, 0},
    };
    retain_lives_options o = {.segments = true, .mrr = true};
    check(&o, rows, N(rows), want, N(want));
}

/* The reason of a life: the row ending it; ties prefer a non-empty
 * reason, then the smallest. As-of: later starts ignored, later ends open. */
static void test_reasons_and_as_of(void **state)
{
    (void)state;
    const row_in rows[] = {
        {"A", 0, 50, 1, NULL, "too expensive"},
        {"A", 10, 50, 1, NULL, ""},
        {"A", 20, 50, 1, NULL, "moved"},
        {"A", 5, 30, 1, NULL, "aaa"}, /* ends earlier: not the reason */
        {"B", 60, 500, 1, NULL, "gone"},
        {"C", 150, 160, 1, NULL, "z"}, /* starts after as-of */
    };
    const life_out want[] = {
        {"A", 0, 50, "", "moved", 0, 0},
        {"B", 60, -1, "", NULL, 0, 0},
    };
    retain_lives_options o = {.reasons = true, .has_as_of = true, .as_of = 100};
    check(&o, rows, N(rows), want, N(want));
}

static void test_errors(void **state)
{
    (void)state;
    retain_lives_options o = {.merge_gap = -1};
    retain_lives *l = retain_lives_new(&o);
    assert_non_null(l);
    assert_int_equal(retain_lives_add(l, "a", 1, NULL, 0, NULL, 0, 0, 1, true, 0),
                     RETAIN_ERR_USAGE);
    retain_diag d;
    assert_int_equal(retain_lives_finish(l, &d), RETAIN_ERR_USAGE);
    retain_lives_free(l);
    o.merge_gap = 0;
    l = retain_lives_new(&o);
    assert_int_equal(retain_lives_add(l, "a", 1, NULL, 0, NULL, 0, 5, 4, true, 0), RETAIN_ERR_DATA);
    assert_int_equal(retain_lives_finish(l, &d), RETAIN_ERR_DATA); /* no row */
    retain_lives_free(l);
}

/* Many customers with random rows: the lives and their number do not
 * depend on the order of the rows (the bytes reported grow with lives). */
static void test_random_orders_agree(void **state)
{
    (void)state;
    enum { ROWS = 3000 };
    static row_in rows[ROWS];
    static char ids[ROWS][8];
    srand(5);
    for (int i = 0; i < ROWS; i++) {
        snprintf(ids[i], sizeof ids[i], "c%d", rand() % 400);
        int s = rand() % 1000;
        rows[i] = (row_in){ids[i], s, rand() % 5 ? s + rand() % 90 : -1, rand() % 3, "", ""};
    }
    size_t counts[2], bytes = 0;
    for (int round = 0; round < 2; round++) {
        retain_lives_options o = {.merge_gap = 3, .mrr = true};
        retain_lives *l = retain_lives_new(&o);
        for (int k = 0; k < ROWS; k++) {
            const row_in *r = &rows[round ? ROWS - 1 - k : k];
            assert_int_equal(retain_lives_add(l, r->id, strlen(r->id), NULL, 0, NULL, 0, r->start,
                                              r->end, r->end >= 0, UNITS(r->mrr)),
                             RETAIN_OK);
        }
        retain_diag d;
        assert_int_equal(retain_lives_finish(l, &d), RETAIN_OK);
        counts[round] = retain_lives_count(l);
        assert_int_equal(retain_lives_customers(l), 400);
        bytes = retain_lives_bytes(l);
        retain_lives_free(l);
    }
    assert_int_equal(counts[0], counts[1]);
    assert_true(bytes > 400 * 16);
}

/* Past several batches of rows (merged on a thread of their own), each
 * customer's rows, coming in any order among the others', are merged as
 * in a small table: 3000 customers of four back-to-back rows and a row
 * apart (15000 rows): two lives each. */
static void test_many_rows_many_batches(void **state)
{
    (void)state;
    enum { CUSTOMERS = 3000 };
    retain_lives_options o = {.has_as_of = true, .as_of = 10000};
    retain_lives *l = retain_lives_new(&o);
    assert_non_null(l);
    char id[16];
    for (int k = 0; k < 5; k++) {
        /* row k of every customer, k = 4 apart from the others; rows of
         * a customer in the order 2 0 4 3 1 */
        static const int order[5] = {2, 0, 4, 3, 1};
        int r = order[k];
        for (int c = 0; c < CUSTOMERS; c++) {
            int n = snprintf(id, sizeof id, "c%d", c);
            retain_day start = r < 4 ? 100 * r : 1000, end = r < 4 ? 100 * (r + 1) : 1100;
            assert_int_equal(retain_lives_add(l, id, (size_t)n, NULL, 0, NULL, 0, start, end, true,
                                              UNITS(c % 7)),
                             RETAIN_OK);
        }
    }
    retain_diag d;
    assert_int_equal(retain_lives_finish(l, &d), RETAIN_OK);
    assert_int_equal(retain_lives_customers(l), CUSTOMERS);
    assert_int_equal(retain_lives_count(l), 2 * CUSTOMERS);
    retain_lives_free(l);
}

/* Exact duplicate rows (retain_lives_add_row with fingerprints) are
 * found among a customer's rows whether they merged into one life or
 * not, after the lives holding them merged, in any order of places: the
 * first duplicate in file order is reported. */
static void test_duplicates_among_lives(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        int32_t start, end;
        uint64_t fp, place;
    } rows[] = {
        {"A", 0, 100, 11, 50},   {"A", 100, 200, 22, 30}, {"A", 300, 400, 33, 70},
        {"A", 200, 300, 55, 80}, /* the bridge: one life */
        {"A", 0, 100, 11, 10},   {"A", 300, 400, 33, 90}, {"A", 100, 200, 22, 60},
        {"A", 0, 100, 11, 5},    {"A", 200, 300, 55, 85}, {"B", 500, 550, 44, 20},
        {"B", 500, 550, 44, 40},
    };
    /* places past 32 bits (a later file's), each way the first row's is
     * kept: with the MRR, without (in the spare segment word), with
     * segments */
    const uint64_t far = (uint64_t)3 << 40;
    for (int run = 0; run < 6; run++) {
        int bridge = run & 1, kind = run / 2;
        retain_lives_options o = {
            .mrr = kind == 0, .segments = kind == 2, .has_as_of = true, .as_of = 1000};
        retain_lives *l = retain_lives_new(&o);
        assert_non_null(l);
        unsigned long want = 0;
        for (size_t i = 0; i < N(rows); i++) {
            if (!bridge && rows[i].fp == 55)
                continue;
            want += i >= 4 && i != 9;
            retain_row r = {.line = 1,
                            .id = rows[i].id,
                            .id_len = 1,
                            .start = rows[i].start,
                            .end = rows[i].end,
                            .has_end = true,
                            .mrr = UNITS(1),
                            .has_mrr = true,
                            .fingerprint = rows[i].fp,
                            .place = far + rows[i].place};
            assert_int_equal(retain_lives_add_row(l, NULL, 0, NULL, 0, &r), RETAIN_OK);
        }
        retain_diag d;
        assert_int_equal(retain_lives_finish(l, &d), RETAIN_OK);
        uint64_t place, of;
        assert_int_equal(retain_lives_duplicates(l, &place, &of), want);
        assert_int_equal(place, far + 10);
        assert_int_equal(of, far + 5);
        assert_int_equal(retain_lives_customers(l), 2);
        assert_int_equal(retain_lives_count(l), bridge ? 2 : 3);
        collected c = {.n = 0};
        assert_int_equal(retain_lives_each(l, collect, &c), RETAIN_OK);
        qsort(c.got, c.n, sizeof c.got[0], by_start_then_index);
        /* A's first life: one row's MRR on its first day, the copies left out */
        if (kind != 1)
            assert_true(c.got[0].mrr == 1 && c.got[bridge ? 1 : 2].mrr == 1);
        assert_int_equal(c.got[0].end, bridge ? 400 : 200);
        retain_lives_free(l);
    }
}

/* The exact MRR of each life, by its start day (below 512). */
static retain_status note_mrr(const retain_life *l, void *user)
{
    retain_money *by_start = user;
    assert_true(l->start >= 0 && l->start < 512);
    by_start[l->start] = l->mrr;
    return RETAIN_OK;
}

/* Without segments, a customer's first-life MRR is packed in 63 bits: any
 * MRR comes back exact, and one that does not fit (summed on a life's
 * first day) unpacks every customer's, which stay exact. */
static void test_mrr_kept_exact(void **state)
{
    (void)state;
    static const retain_money v[] = {0,
                                     -1,
                                     1,
                                     INT32_MAX,
                                     (retain_money)UINT32_MAX + 1,
                                     -((retain_money)1 << 40) - 7,
                                     ((retain_money)1 << 62) - 1,
                                     -((retain_money)1 << 62),
                                     29 * RETAIN_MONEY_SCALE};
    size_t bytes[2];
    for (int big = 0; big < 2; big++) {
        retain_lives_options o = {.mrr = true};
        retain_lives *l = retain_lives_new(&o);
        assert_non_null(l);
        char id[16];
        for (size_t i = 0; i < N(v); i++) {
            int n = snprintf(id, sizeof id, "c%zu", i);
            assert_int_equal(retain_lives_add(l, id, (size_t)n, NULL, 0, NULL, 0, (retain_day)i,
                                              100, true, v[i]),
                             RETAIN_OK);
        }
        /* two rows on the first day: their sum, 2^62 with big */
        retain_money half = big ? (retain_money)1 << 61 : -5;
        for (int k = 0; k < 2; k++)
            assert_int_equal(retain_lives_add(l, "z", 1, NULL, 0, NULL, 0, 50, 60 + k, true, half),
                             RETAIN_OK);
        /* and a customer after it, packed or not */
        assert_int_equal(retain_lives_add(l, "y", 1, NULL, 0, NULL, 0, 60, 70, true, -3),
                         RETAIN_OK);
        retain_diag d;
        assert_int_equal(retain_lives_finish(l, &d), RETAIN_OK);
        retain_money got[512] = {0};
        assert_int_equal(retain_lives_each(l, note_mrr, got), RETAIN_OK);
        for (size_t i = 0; i < N(v); i++)
            assert_true(got[i] == v[i]);
        assert_true(got[50] == 2 * half);
        assert_true(got[60] == -3);
        bytes[big] = retain_lives_bytes(l);
        retain_lives_free(l);
    }
    assert_int_equal(bytes[1] - bytes[0], 4 * (N(v) + 2)); /* unpacked: 8 bytes, not 4 */
}

/* While every life's first-day MRR is a whole number of cents within 31
 * bits, lives keep it in their segment word and no more bytes than
 * without an MRR; a later MRR that is not (a fraction of a cent, or
 * 2^30 cents) moves every customer's and every win-back's out of it, all
 * still exact. */
static void test_mrr_in_cents(void **state)
{
    (void)state;
    const retain_money cent = RETAIN_MONEY_SCALE / 100;
    const retain_money v[] = {0,
                              29 * RETAIN_MONEY_SCALE,
                              -cent,
                              ((1 << 30) - 1) * cent,
                              -(1 << 30) * cent,
                              895 * RETAIN_MONEY_SCALE + 99 * cent};
    const retain_money leave[] = {0, 1, (retain_money)(1 << 30) * cent};
    for (size_t k = 0; k < N(leave); k++) {
        size_t bytes[2];
        for (int with = 0; with < 2; with++) {
            retain_lives_options o = {.mrr = with};
            retain_lives *l = retain_lives_new(&o);
            assert_non_null(l);
            char id[16];
            for (size_t i = 0; i < N(v); i++) {
                int n = snprintf(id, sizeof id, "c%zu", i);
                retain_day d = (retain_day)(10 * i);
                /* a life, and a win-back with the next customer's MRR */
                assert_int_equal(
                    retain_lives_add(l, id, (size_t)n, NULL, 0, NULL, 0, d, d + 3, true, v[i]),
                    RETAIN_OK);
                assert_int_equal(retain_lives_add(l, id, (size_t)n, NULL, 0, NULL, 0, d + 5, d + 7,
                                                  true, v[(i + 1) % N(v)]),
                                 RETAIN_OK);
            }
            if (leave[k]) /* last, once the others are in */
                assert_int_equal(
                    retain_lives_add(l, "w", 1, NULL, 0, NULL, 0, 300, 301, true, leave[k]),
                    RETAIN_OK);
            retain_diag d;
            assert_int_equal(retain_lives_finish(l, &d), RETAIN_OK);
            retain_money got[512] = {0};
            assert_int_equal(retain_lives_each(l, note_mrr, got), RETAIN_OK);
            for (size_t i = 0; with && i < N(v); i++) {
                assert_true(got[10 * i] == v[i]);
                assert_true(got[10 * i + 5] == v[(i + 1) % N(v)]);
            }
            assert_true(!with || got[300] == leave[k]);
            bytes[with] = retain_lives_bytes(l);
            retain_lives_free(l);
        }
        size_t customers = N(v) + (leave[k] != 0), winbacks = N(v);
        if (!leave[k])
            assert_int_equal(bytes[1], bytes[0]);
        else /* 4 bytes beside a customer, 8 beside a win-back */
            assert_int_equal(bytes[1] - bytes[0], 4 * customers + 8 * winbacks);
    }
}

/* With the MRR, the upper halves of the customers' first places (file and
 * chunk) are keys into a table of the distinct ones while there are at
 * most 65,536; past them every customer's is moved out, and duplicates
 * still name the first copy in file order, before and after. */
static void test_many_place_halves(void **state)
{
    (void)state;
    for (int many = 0; many < 2; many++) {
        const uint64_t n = many ? 65536 + 100 : 100;
        retain_lives_options o = {.mrr = true};
        retain_lives *l = retain_lives_new(&o);
        assert_non_null(l);
        char id[16];
        retain_row r = {.line = 1, .id = id, .has_end = true, .mrr = UNITS(1), .has_mrr = true};
        /* customer c<i>: one row of fingerprint i + 1 at half i + 1 */
        for (uint64_t i = 0; i < n; i++) {
            r.id_len = (size_t)snprintf(id, sizeof id, "c%llu", (unsigned long long)i);
            r.start = (retain_day)(i % 1000);
            r.end = r.start + 10;
            r.fingerprint = i + 1;
            r.place = (i + 1) << 32 | 7;
            assert_int_equal(retain_lives_add_row(l, NULL, 0, NULL, 0, &r), RETAIN_OK);
        }
        /* copies of c3 (later), c70 (earlier, then later) */
        static const struct {
            uint64_t cust, place;
        } copies[] = {{3, 0}, {70, 1}, {70, (uint64_t)72 << 32}};
        for (size_t k = 0; k < N(copies); k++) {
            uint64_t i = copies[k].cust;
            r.id_len = (size_t)snprintf(id, sizeof id, "c%llu", (unsigned long long)i);
            r.start = (retain_day)(i % 1000);
            r.end = r.start + 10;
            r.fingerprint = i + 1;
            r.place = k == 0 ? (n + 5) << 32 | 1 : copies[k].place;
            assert_int_equal(retain_lives_add_row(l, NULL, 0, NULL, 0, &r), RETAIN_OK);
        }
        retain_diag d;
        assert_int_equal(retain_lives_finish(l, &d), RETAIN_OK);
        uint64_t place, of;
        assert_int_equal(retain_lives_duplicates(l, &place, &of), 3);
        assert_true(place == ((uint64_t)71 << 32 | 7)); /* c70's first row, after the copy at 1 */
        assert_true(of == 1);
        assert_int_equal(retain_lives_customers(l), n);
        retain_lives_free(l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_renewals_are_one_life), cmocka_unit_test(test_many_rows_many_batches),
        cmocka_unit_test(test_gaps_and_bridges),      cmocka_unit_test(test_segment_rule),
        cmocka_unit_test(test_reasons_and_as_of),     cmocka_unit_test(test_errors),
        cmocka_unit_test(test_random_orders_agree),   cmocka_unit_test(test_duplicates_among_lives),
        cmocka_unit_test(test_mrr_kept_exact),        cmocka_unit_test(test_mrr_in_cents),
        cmocka_unit_test(test_many_place_halves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
