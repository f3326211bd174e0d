/* Unit tests for retain/events.h: the per-customer event state, folded from
 * hand-built events, as of several cutoffs, against figures worked out by
 * hand from retain(1) ("Other tables") and retain-metrics(7) ("retain risk"); lives; merging
 * two halves; unknown ids; bad values. And for what is built on it,
 * retain/risk.h, retain/nps.h and retain/activation.h ("NPS", "Signals and
 * health", "Time to value"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include <retain/activation.h>
#include <retain/events.h>
#include <retain/nps.h>
#include <retain/risk.h>

#define UNIT RETAIN_MONEY_SCALE

static retain_day day_of(const char *iso)
{
    retain_day d = 0;
    if (!retain_date_parse(iso, strlen(iso), NULL, &d))
        fail_msg("bad test date %s", iso);
    return d;
}

static void add_customer(retain_events *ev, const char *id, const char *start, const char *end,
                         double mrr, const char *seg)
{
    retain_diag diag;
    retain_status st = retain_events_add_customer(
        ev, id, strlen(id), day_of(start), end ? day_of(end) : 0, end != NULL,
        (retain_money)(mrr * UNIT), seg, seg ? strlen(seg) : 0, 2, &diag);
    assert_int_equal(st, RETAIN_OK);
}

static retain_status add_event(retain_events *ev, retain_event_table t, const char *id,
                               const char *day, const char *kind, int64_t value, unsigned long line)
{
    retain_event e = {t, line, id, strlen(id), day_of(day), kind, kind ? strlen(kind) : 0, value};
    retain_diag diag;
    return retain_events_add(ev, &e, &diag);
}

typedef struct {
    const char *id, *day, *kind;
    retain_event_table table;
    int64_t value;
} ev_row;

/* as-of 2024-06-30, backtest cutoff 2024-04-01 (90 days before) */
static const ev_row rows[] = {
    {"a", "2024-06-30", "login", RETAIN_EVENT_ACTIVITY, 3 * UNIT},
    {"a", "2024-06-24", "login", RETAIN_EVENT_ACTIVITY, 2 * UNIT},  /* first window */
    {"a", "2024-06-23", "login", RETAIN_EVENT_ACTIVITY, 10 * UNIT}, /* window before */
    {"a", "2024-06-17", "login", RETAIN_EVENT_ACTIVITY, 1 * UNIT},  /* window before */
    {"a", "2024-06-16", "login", RETAIN_EVENT_ACTIVITY, 50 * UNIT}, /* neither */
    {"a", "2024-07-01", "login", RETAIN_EVENT_ACTIVITY, 99 * UNIT}, /* after as-of */
    {"a", "2024-03-30", "seat", RETAIN_EVENT_ACTIVITY, 5 * UNIT},
    {"a", "2024-06-01", NULL, RETAIN_EVENT_TICKET, 0},
    {"a", "2024-06-30", NULL, RETAIN_EVENT_TICKET, 0},
    {"a", "2024-05-31", NULL, RETAIN_EVENT_TICKET, 0}, /* 30 days before as-of: before */
    {"a", "2024-03-01", NULL, RETAIN_EVENT_ANSWER, 9},
    {"a", "2024-06-10", NULL, RETAIN_EVENT_ANSWER, 4},
    {"a", "2024-06-10", NULL, RETAIN_EVENT_ANSWER, 6}, /* same day, later line wins */
    {"a", "2024-06-29", NULL, RETAIN_EVENT_ORDER, 100 * UNIT},
    {"a", "2024-04-01", NULL, RETAIN_EVENT_ORDER, 40 * UNIT}, /* 90 days: window before */
    {"b", "2024-01-15", "login", RETAIN_EVENT_ACTIVITY, UNIT},
    {"zz", "2024-06-01", "login", RETAIN_EVENT_ACTIVITY, UNIT}, /* unknown */
    {"zz", "2024-06-02", NULL, RETAIN_EVENT_TICKET, 0},         /* unknown */
};

static retain_events *make(const char *activity, const char *activation)
{
    retain_day cut[2] = {day_of("2024-06-30"), day_of("2024-04-01")};
    retain_events_options o = {
        .cutoffs = cut, .n_cutoffs = 2, .activity_kind = activity, .activation_kind = activation};
    retain_diag diag;
    retain_events *ev = retain_events_new(&o, &diag);
    assert_non_null(ev);
    add_customer(ev, "a", "2024-01-01", NULL, 100, "pro");
    add_customer(ev, " b ", "2023-01-01", "2024-02-01", 10, "basic");
    add_customer(ev, "b", "2024-02-01", "2024-05-01", 20, "pro"); /* back to back */
    add_customer(ev, "c", "2024-06-01", NULL, 30, NULL);
    add_customer(ev, "late", "2024-07-05", NULL, 30, NULL); /* after as-of: ignored */
    assert_int_equal(retain_events_customers_done(ev, NULL), RETAIN_OK);
    return ev;
}

static void feed(retain_events *ev, size_t from, size_t to)
{
    for (size_t r = from; r < to; r++)
        assert_int_equal(add_event(ev, rows[r].table, rows[r].id, rows[r].day, rows[r].kind,
                                   rows[r].value, 10 + r),
                         RETAIN_OK);
}

static size_t idx(const retain_events *ev, const char *id)
{
    size_t i;
    assert_true(retain_events_find(ev, id, strlen(id), &i));
    return i;
}

static void check_a(const retain_events *ev)
{
    retain_event_state s;
    retain_events_state(ev, idx(ev, "a"), 0, &s);
    assert_true(s.has_activity);
    assert_int_equal(s.last_activity, day_of("2024-06-30"));
    assert_int_equal(s.usage, 5 * UNIT);
    assert_int_equal(s.usage_before, 11 * UNIT);
    assert_int_equal(s.tickets, 2);
    assert_int_equal(s.tickets_before, 1);
    assert_true(s.has_answer);
    assert_int_equal(s.score, 6);
    assert_int_equal(s.answer_day, day_of("2024-06-10"));
    assert_int_equal(s.orders, 2);
    assert_int_equal(s.last_order, day_of("2024-06-29"));
    assert_int_equal(s.revenue, 100 * UNIT);
    assert_int_equal(s.revenue_before, 40 * UNIT);
    /* as of 2024-04-01: only what was dated on or before it */
    retain_events_state(ev, idx(ev, "a"), 1, &s);
    assert_int_equal(s.last_activity, day_of("2024-03-30"));
    assert_int_equal(s.usage, 5 * UNIT);
    assert_int_equal(s.usage_before, 0);
    assert_int_equal(s.tickets, 0);
    assert_int_equal(s.score, 9);
    assert_int_equal(s.orders, 1);
    assert_int_equal(s.revenue, 40 * UNIT);
}

static void test_fold(void **state)
{
    (void)state;
    retain_events *ev = make(NULL, NULL);
    feed(ev, 0, sizeof rows / sizeof rows[0]);
    check_a(ev);
    unsigned long line;
    assert_int_equal(retain_events_unknown(ev, RETAIN_EVENT_ACTIVITY, &line), 1);
    assert_int_equal(line, 26);
    assert_int_equal(retain_events_unknown(ev, RETAIN_EVENT_TICKET, &line), 1);
    assert_int_equal(retain_events_unknown(ev, RETAIN_EVENT_ORDER, &line), 0);
    retain_day latest;
    assert_true(retain_events_latest(ev, RETAIN_EVENT_ACTIVITY, &latest));
    assert_int_equal(latest, day_of("2024-07-01"));
    /* c: no event at all */
    retain_event_state s;
    retain_events_state(ev, idx(ev, "c"), 0, &s);
    assert_false(s.has_activity);
    assert_false(s.has_answer);
    assert_int_equal(s.orders, 0);
    retain_events_free(ev);
}

static void test_activity_kind(void **state)
{
    (void)state;
    retain_events *ev = make("seat", "login");
    feed(ev, 0, sizeof rows / sizeof rows[0]);
    retain_event_state s;
    retain_events_state(ev, idx(ev, "a"), 0, &s);
    assert_int_equal(s.last_activity, day_of("2024-03-30"));
    assert_int_equal(s.usage, 0);
    /* the first login of a's first life, 2024-06-16 */
    assert_true(s.has_activation);
    assert_int_equal(s.activation_day, day_of("2024-06-16"));
    retain_events_state(ev, idx(ev, "a"), 1, &s);
    assert_false(s.has_activation); /* not yet on 2024-04-01 */
    /* b's login on 2024-01-15 is in its first life (2023-01-01..2024-05-01) */
    retain_events_state(ev, idx(ev, "b"), 0, &s);
    assert_int_equal(s.activation_day, day_of("2024-01-15"));
    retain_events_free(ev);
}

static void test_merge_halves(void **state)
{
    (void)state;
    size_t n = sizeof rows / sizeof rows[0];
    for (size_t cut = 0; cut <= n; cut += 3) {
        retain_events *ev = make(NULL, NULL);
        retain_events *half = retain_events_fork(ev);
        assert_non_null(half);
        feed(half, 0, cut);
        feed(ev, cut, n);
        assert_int_equal(retain_events_merge(ev, half, NULL), RETAIN_OK);
        retain_events_free(half);
        check_a(ev);
        assert_int_equal(retain_events_unknown(ev, RETAIN_EVENT_ACTIVITY, NULL), 1);
        retain_events_free(ev);
    }
}

static void test_lives(void **state)
{
    (void)state;
    retain_events *ev = make(NULL, NULL);
    /* "late" starts after as-of: known, without a life */
    assert_int_equal(retain_events_customers(ev), 4);
    assert_int_equal(retain_events_lives(ev, idx(ev, "late")), 0);
    size_t b = idx(ev, "b");
    assert_int_equal(retain_events_lives(ev, b), 1);
    retain_life l;
    retain_events_life(ev, b, 0, &l);
    assert_int_equal(l.start, day_of("2023-01-01"));
    assert_true(l.has_end);
    assert_int_equal(l.end, day_of("2024-05-01"));
    assert_int_equal(l.segment_len, 5);
    assert_memory_equal(l.segment, "basic", 5);
    assert_int_equal(retain_events_mrr_on(ev, b, day_of("2024-03-01")), 20 * UNIT);
    assert_int_equal(retain_events_mrr_on(ev, b, day_of("2024-05-01")), 0);
    assert_true(retain_events_life_on(ev, idx(ev, "a"), day_of("2024-06-30"), &l));
    assert_false(l.has_end);
    assert_false(retain_events_life_on(ev, b, day_of("2024-06-30"), &l));
    retain_events_free(ev);
}

/* Customers enough for the lives to be made in two halves at once (on two
 * threads): each customer's lives are its own, whichever half it is in.
 * Customer k has, by k % 5: one row; two back to back (one life); two
 * with a gap (two lives); one after as-of (none); a row of no day beside
 * two others (one life, the day-less row left out). */
static void test_lives_halves(void **state)
{
    (void)state;
    retain_day cut = day_of("2024-06-30");
    retain_events_options o = {.cutoffs = &cut, .n_cutoffs = 1};
    retain_events *ev = retain_events_new(&o, NULL);
    assert_non_null(ev);
    const size_t n = 100000;
    retain_day d0 = day_of("2020-01-01");
    char id[16];
    retain_diag diag;
    for (size_t k = 0; k < n; k++) {
        snprintf(id, sizeof id, "k%zu", k);
        retain_day s = d0 + (retain_day)(k % 700);
        retain_day span[3][2] = {{s, s + 100}, {s + 100, s + 200}, {s + 300, s + 400}};
        size_t nr = 1;
        switch (k % 5) {
        case 1:
            nr = 2;
            break;
        case 2:
            span[1][0] = s + 300;
            span[1][1] = s + 400;
            nr = 2;
            break;
        case 3:
            span[0][0] = span[0][1] = day_of("2024-08-01");
            break;
        case 4:
            span[2][0] = span[2][1] = s + 50;
            nr = 3;
            break;
        }
        for (size_t j = 0; j < nr; j++)
            assert_int_equal(retain_events_add_customer(ev, id, strlen(id), span[j][0], span[j][1],
                                                        true, UNIT, NULL, 0, 2 + k, &diag),
                             RETAIN_OK);
    }
    assert_int_equal(retain_events_customers_done(ev, NULL), RETAIN_OK);
    assert_int_equal(retain_events_customers(ev), n);
    for (size_t k = 0; k < n; k++) {
        snprintf(id, sizeof id, "k%zu", k);
        size_t i;
        assert_true(retain_events_find(ev, id, strlen(id), &i));
        retain_day s = d0 + (retain_day)(k % 700);
        size_t want[5] = {1, 1, 2, 0, 1};
        assert_int_equal(retain_events_lives(ev, i), want[k % 5]);
        if (k % 5 == 3)
            continue;
        retain_life l;
        retain_events_life(ev, i, 0, &l);
        assert_int_equal(l.start, s);
        assert_int_equal(l.end, k % 5 == 1 || k % 5 == 4 ? s + 200 : s + 100);
        if (k % 5 == 2) {
            retain_events_life(ev, i, 1, &l);
            assert_int_equal(l.start, s + 300);
            assert_int_equal(l.end, s + 400);
        }
    }
    retain_events_free(ev);
}

/* Room reserved before the rows changes nothing but the tables' growth:
 * the same customers, lives and MRR past several of the sizes it would
 * have grown through. */
static void test_reserve(void **state)
{
    (void)state;
    retain_day cut = day_of("2024-06-30");
    retain_events_options o = {.cutoffs = &cut, .n_cutoffs = 1};
    retain_diag d;
    retain_events *ev[2];
    for (int k = 0; k < 2; k++) {
        ev[k] = retain_events_new(&o, &d);
        assert_non_null(ev[k]);
        if (k)
            assert_int_equal(retain_events_reserve(ev[k], 5000), RETAIN_OK);
        char id[32];
        for (int i = 0; i < 6000; i++) {
            snprintf(id, sizeof id, i % 2 ? "c%d" : "a-longer-id-%d", i % 4000);
            add_customer(ev[k], id, i < 4000 ? "2023-01-01" : "2024-02-01",
                         i < 4000 ? "2023-12-01" : NULL, i % 7, NULL);
        }
        assert_int_equal(retain_events_customers_done(ev[k], &d), RETAIN_OK);
    }
    assert_int_equal(retain_events_customers(ev[0]), retain_events_customers(ev[1]));
    for (size_t i = 0; i < retain_events_customers(ev[0]); i++) {
        size_t len[2], j;
        const char *id = retain_events_id(ev[0], i, &len[0]);
        assert_true(retain_events_find(ev[1], id, len[0], &j));
        assert_int_equal(j, i);
        assert_memory_equal(retain_events_id(ev[1], i, &len[1]), id, len[0]);
        assert_int_equal(retain_events_lives(ev[0], i), retain_events_lives(ev[1], i));
        for (size_t k = 0; k < retain_events_lives(ev[0], i); k++) {
            retain_life a, b;
            retain_events_life(ev[0], i, k, &a);
            retain_events_life(ev[1], i, k, &b);
            assert_int_equal(a.start, b.start);
            assert_int_equal(a.end, b.end);
        }
        assert_int_equal(retain_events_mrr_on(ev[0], i, cut), retain_events_mrr_on(ev[1], i, cut));
    }
    retain_events_free(ev[0]);
    retain_events_free(ev[1]);
}

/* Customer rows of long ids: a batch fills with their bytes before its
 * rows (ids of 3000 bytes), and an id too long to wait (5000 bytes) is
 * added at once after what waits: the same customers, in the same order,
 * as rows added one at a time. */
static void test_rows_wait_long_ids(void **state)
{
    (void)state;
    retain_day cut = day_of("2024-06-30");
    retain_events_options o = {.cutoffs = &cut, .n_cutoffs = 1};
    retain_events *one = retain_events_new(&o, NULL), *waits = retain_events_new(&o, NULL);
    assert_non_null(one);
    assert_non_null(waits);
    enum { N = 1500 };
    char *id = malloc(5001);
    assert_non_null(id);
    for (int c = 0; c < N; c++) {
        size_t len = c % 250 == 0 ? 5000 : 3000;
        memset(id, 'a' + c % 1000 % 26, len);
        int n = snprintf(id, 16, "%d-", c % 1000); /* every id once or twice */
        id[n] = '-';
        retain_row row = {.id = id, .id_len = len, .start = cut - 100 - c % 50, .line = 2u + c};
        assert_int_equal(retain_events_add_customer(one, id, len, row.start, 0, false, 0, NULL, 0,
                                                    row.line, NULL),
                         RETAIN_OK);
        assert_int_equal(retain_events_add_customer_row(waits, &row, false, NULL), RETAIN_OK);
    }
    free(id);
    assert_int_equal(retain_events_customers_done(one, NULL), RETAIN_OK);
    assert_int_equal(retain_events_customers_done(waits, NULL), RETAIN_OK);
    assert_int_equal(retain_events_customers(one), 1000);
    assert_int_equal(retain_events_customers(waits), 1000);
    for (size_t i = 0; i < retain_events_customers(one); i++) {
        size_t la, lb;
        const char *a = retain_events_id(one, i, &la), *b = retain_events_id(waits, i, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
        retain_life x, y;
        assert_int_equal(retain_events_lives(waits, i), 1);
        retain_events_life(one, i, 0, &x);
        retain_events_life(waits, i, 0, &y);
        assert_int_equal(x.start, y.start);
    }
    retain_events_free(one);
    retain_events_free(waits);
}

static void test_bad_values(void **state)
{
    (void)state;
    retain_events *ev = make(NULL, NULL);
    assert_int_equal(add_event(ev, RETAIN_EVENT_ANSWER, "a", "2024-06-01", NULL, 11, 7),
                     RETAIN_ERR_DATA);
    assert_int_equal(add_event(ev, RETAIN_EVENT_ANSWER, "a", "2024-06-01", NULL, -1, 7),
                     RETAIN_ERR_DATA);
    assert_int_equal(add_event(ev, RETAIN_EVENT_ACTIVITY, "a", "2024-06-01", NULL, -1, 7),
                     RETAIN_ERR_DATA);
    retain_diag diag;
    retain_status st = retain_events_add_customer(ev, "x", 1, 0, 0, false, 0, NULL, 0, 3, &diag);
    assert_int_equal(st, RETAIN_ERR_USAGE); /* customers after done */
    retain_events_free(ev);
    retain_events_options o = {0};
    assert_null(retain_events_new(&o, &diag));
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
}

static void test_no_customer_table(void **state)
{
    (void)state;
    retain_day cut = day_of("2024-06-30");
    retain_events_options o = {.cutoffs = &cut, .n_cutoffs = 1};
    retain_events *ev = retain_events_new(&o, NULL);
    assert_non_null(ev);
    assert_int_equal(retain_events_customers_done(ev, NULL), RETAIN_OK);
    assert_int_equal(add_event(ev, RETAIN_EVENT_ANSWER, "r1", "2024-06-01", NULL, 10, 2),
                     RETAIN_OK);
    assert_int_equal(add_event(ev, RETAIN_EVENT_ANSWER, "r2", "2024-06-01", NULL, 3, 3), RETAIN_OK);
    assert_int_equal(retain_events_customers(ev), 2);
    assert_int_equal(retain_events_unknown(ev, RETAIN_EVENT_ANSWER, NULL), 0);
    assert_int_equal(retain_events_lives(ev, 0), 0);
    assert_null(retain_events_fork(ev));
    retain_events_free(ev);
}

static void customer(retain_events *ev, const char *id, const char *start, const char *end, int mrr,
                     const char *seg)
{
    assert_int_equal(retain_events_add_customer(
                         ev, id, strlen(id), day_of(start), end ? day_of(end) : 0, end != NULL,
                         (retain_money)mrr * UNIT, seg, seg ? strlen(seg) : 0, 2, NULL),
                     RETAIN_OK);
}

static void event(retain_events *ev, retain_event_table t, const char *id, const char *day,
                  const char *kind, int64_t value)
{
    static unsigned long line = 2;
    retain_event e = {t, line++, id, strlen(id), day_of(day), kind, kind ? strlen(kind) : 0, value};
    assert_int_equal(retain_events_add(ev, &e, NULL), RETAIN_OK);
}

/* ---- risk ---------------------------------------------------------------- */

/* as-of 2024-06-30, backtest 2024-04-01 */
static retain_events *risk_world(void)
{
    retain_day cut[2] = {day_of("2024-06-30"), day_of("2024-04-01")};
    retain_events_options o = {.cutoffs = cut, .n_cutoffs = 2};
    retain_events *ev = retain_events_new(&o, NULL);
    assert_non_null(ev);
    /* quiet: no event for 70 days, usage 0 against 0, NPS 6 */
    customer(ev, "quiet", "2023-01-10", NULL, 500, NULL);
    /* busy: events up to as-of, usage 8 against 10 (-20 %), 3 tickets
     * against 1, MRR 100 now against 200 90 days before */
    customer(ev, "busy", "2023-06-30", "2024-05-01", 200, NULL);
    customer(ev, "busy", "2024-05-01", NULL, 100, NULL);
    /* fine: one event a day, NPS 10 */
    customer(ev, "fine", "2024-06-01", NULL, 50, NULL);
    /* gone: ended 2024-05-15 (zone at the backtest, churned) */
    customer(ev, "gone", "2023-01-01", "2024-05-15", 80, NULL);
    assert_int_equal(retain_events_customers_done(ev, NULL), RETAIN_OK);
    event(ev, RETAIN_EVENT_ACTIVITY, "quiet", "2024-04-21", NULL, UNIT);
    event(ev, RETAIN_EVENT_ANSWER, "quiet", "2024-05-01", NULL, 6);
    event(ev, RETAIN_EVENT_ACTIVITY, "busy", "2024-06-30", NULL, 8 * UNIT);
    event(ev, RETAIN_EVENT_ACTIVITY, "busy", "2024-06-20", NULL, 10 * UNIT);
    event(ev, RETAIN_EVENT_TICKET, "busy", "2024-06-25", NULL, 0);
    event(ev, RETAIN_EVENT_TICKET, "busy", "2024-06-26", NULL, 0);
    event(ev, RETAIN_EVENT_TICKET, "busy", "2024-06-27", NULL, 0);
    event(ev, RETAIN_EVENT_TICKET, "busy", "2024-05-15", NULL, 0);
    event(ev, RETAIN_EVENT_ACTIVITY, "fine", "2024-06-29", NULL, UNIT);
    event(ev, RETAIN_EVENT_ANSWER, "fine", "2024-06-02", NULL, 10);
    /* gone was silent at the backtest day: last event 2023-12-01 */
    event(ev, RETAIN_EVENT_ACTIVITY, "gone", "2023-12-01", NULL, UNIT);
    return ev;
}

static void risk_options(retain_risk_options *o)
{
    retain_risk_defaults(o);
    o->tables[RETAIN_EVENT_ACTIVITY] = o->tables[RETAIN_EVENT_TICKET] =
        o->tables[RETAIN_EVENT_ANSWER] = true;
    o->has_mrr = true;
}

static void test_risk_signals(void **state)
{
    (void)state;
    retain_events *ev = risk_world();
    retain_risk_options o;
    risk_options(&o);
    retain_risk_row r;
    retain_day as_of = day_of("2024-06-30");
    assert_true(retain_risk_eval(ev, &o, idx(ev, "quiet"), as_of, &r));
    assert_int_equal(r.days_silent, 70);
    assert_int_equal(r.tenure_days, as_of - day_of("2023-01-10"));
    assert_int_equal(r.stage, 2);
    assert_int_equal(r.renewal_in_days, day_of("2025-01-10") - as_of);
    assert_true(r.has_nps);
    assert_int_equal(r.nps, 6);
    assert_int_equal(r.signals, 1u << RETAIN_SIGNAL_SILENT | 1u << RETAIN_SIGNAL_NPS_BELOW_9);
    assert_int_equal(r.health, 40);
    assert_int_equal(r.zone, 3);

    assert_true(retain_risk_eval(ev, &o, idx(ev, "busy"), as_of, &r));
    assert_int_equal(r.days_silent, 0);
    assert_int_equal(r.usage, 8 * UNIT);
    assert_int_equal(r.usage_before, 10 * UNIT);
    assert_int_equal(r.tickets, 3);
    assert_int_equal(r.tickets_before, 1);
    assert_int_equal(r.revenue, 100 * UNIT);
    assert_int_equal(r.revenue_before, 200 * UNIT);
    assert_int_equal(r.mrr, 100 * UNIT);
    assert_int_equal(r.tenure_days, as_of - day_of("2023-06-30")); /* one life */
    assert_int_equal(r.renewal_in_days, 0);                        /* its anniversary is today */
    assert_false(r.has_nps);
    assert_int_equal(r.signals, 1u << RETAIN_SIGNAL_USAGE_DROP | 1u << RETAIN_SIGNAL_TICKETS_UP |
                                    1u << RETAIN_SIGNAL_REVENUE_DOWN);
    assert_int_equal(r.health, 35);
    assert_int_equal(r.zone, 3);

    assert_true(retain_risk_eval(ev, &o, idx(ev, "fine"), as_of, &r));
    assert_int_equal(r.days_silent, 1);
    assert_int_equal(r.signals, 0);
    assert_int_equal(r.zone, 1);
    assert_false(retain_risk_eval(ev, &o, idx(ev, "gone"), as_of, &r));

    /* a drop of exactly 20 % is a drop at --drop 20, not at 20.01 */
    o.drop = 20 * UNIT;
    assert_true(retain_risk_eval(ev, &o, idx(ev, "busy"), as_of, &r));
    assert_true(r.signals & 1u << RETAIN_SIGNAL_USAGE_DROP);
    o.drop = 20 * UNIT + 10000;
    assert_true(retain_risk_eval(ev, &o, idx(ev, "busy"), as_of, &r));
    assert_false(r.signals & 1u << RETAIN_SIGNAL_USAGE_DROP);

    /* without the tickets and survey tables, no such figure nor signal */
    o.tables[RETAIN_EVENT_TICKET] = o.tables[RETAIN_EVENT_ANSWER] = false;
    assert_true(retain_risk_eval(ev, &o, idx(ev, "quiet"), as_of, &r));
    assert_false(r.has_tickets);
    assert_false(r.has_nps);
    assert_int_equal(r.health, 60);
    assert_int_equal(r.zone, 2);
    retain_events_free(ev);
}

static void test_risk_table(void **state)
{
    (void)state;
    retain_events *ev = risk_world();
    retain_risk_options o;
    risk_options(&o);
    retain_risk *r;
    assert_int_equal(retain_risk_compute(ev, &o, &r, NULL), RETAIN_OK);
    assert_int_equal(retain_risk_count(r), 3);
    /* zone 3 first, larger MRR first */
    assert_int_equal(retain_risk_get(r, 0)->customer, idx(ev, "quiet"));
    assert_int_equal(retain_risk_get(r, 1)->customer, idx(ev, "busy"));
    assert_int_equal(retain_risk_get(r, 2)->customer, idx(ev, "fine"));
    retain_risk_zone z;
    retain_risk_summary(r, 3, &z);
    assert_int_equal(z.customers, 2);
    assert_int_equal(z.mrr, 600 * UNIT);
    assert_int_equal(z.all_customers, 3);
    assert_true(z.has_backtest);
    /* as of 2024-04-01: quiet (last event none yet -> since its start) and
     * gone (silent 122 days) are silent; busy is not (no activity kind:
     * none yet, life since 2023-06-30: 276 days silent) */
    assert_int_equal(z.backtest_customers, 0);
    retain_risk_summary(r, 2, &z);
    assert_int_equal(z.backtest_customers, 3);
    assert_int_equal(z.backtest_churned, 1); /* gone */
    retain_risk_free(r);
    retain_events_free(ev);
}

static void test_risk_options(void **state)
{
    (void)state;
    int w[RETAIN_SIGNALS] = {40, 20, 20, 25, 30, 20};
    retain_diag diag;
    assert_int_equal(retain_risk_parse_weights("silent=50,nps_below_9=0", w, &diag), RETAIN_OK);
    assert_int_equal(w[RETAIN_SIGNAL_SILENT], 50);
    assert_int_equal(w[RETAIN_SIGNAL_NPS_BELOW_9], 0);
    assert_int_equal(w[RETAIN_SIGNAL_USAGE_DROP], 20);
    assert_int_equal(retain_risk_parse_weights("loud=5", w, &diag), RETAIN_ERR_USAGE);
    assert_non_null(strstr(diag.hint, "missed_renewal"));
    assert_int_equal(retain_risk_parse_weights("silent=x", w, &diag), RETAIN_ERR_USAGE);
    assert_int_equal(retain_risk_parse_weights("silent", w, &diag), RETAIN_ERR_USAGE);
    assert_int_equal(retain_risk_parse_weights("silent=101", w, &diag), RETAIN_ERR_USAGE);
    assert_int_equal(w[RETAIN_SIGNAL_SILENT], 50); /* unchanged by a failure */
    int z1, z2;
    assert_int_equal(retain_risk_parse_zones("80,40", &z1, &z2, &diag), RETAIN_OK);
    assert_int_equal(z1, 80);
    assert_int_equal(z2, 40);
    assert_int_equal(retain_risk_parse_zones("40,80", &z1, &z2, &diag), RETAIN_ERR_USAGE);
    assert_int_equal(retain_risk_parse_zones("75", &z1, &z2, &diag), RETAIN_ERR_USAGE);
}

/* ---- nps ----------------------------------------------------------------- */

static void test_nps(void **state)
{
    (void)state;
    retain_day cut = RETAIN_DAY_MAX;
    retain_events_options eo = {.cutoffs = &cut, .n_cutoffs = 1};
    retain_events *ev = retain_events_new(&eo, NULL);
    customer(ev, "a", "2024-01-01", NULL, 300, NULL);
    customer(ev, "b", "2024-01-01", "2024-03-01", 100, NULL);
    customer(ev, "c", "2024-01-01", NULL, 50, NULL);
    assert_int_equal(retain_events_customers_done(ev, NULL), RETAIN_OK);
    retain_nps_options o = {.period = RETAIN_PERIOD_MONTH, .horizon = 30, .below = 9};
    retain_nps *n = retain_nps_new(&o, ev, NULL);
    assert_non_null(n);
    struct {
        const char *id, *day;
        int score;
    } ans[] = {
        {"a", "2024-01-05", 10}, {"a", "2024-01-20", 3}, {"b", "2024-01-10", 2},
        {"c", "2024-01-11", 8},  {"c", "2024-03-02", 9}, {"x", "2024-01-12", 9},
        {"a", "2024-03-31", 5},
    };
    for (size_t k = 0; k < sizeof ans / sizeof ans[0]; k++)
        assert_int_equal(retain_nps_add(n, ans[k].id, 1, day_of(ans[k].day), ans[k].score, NULL, 0,
                                        10 + k, NULL),
                         RETAIN_OK);
    assert_int_equal(retain_nps_add(n, "a", 1, day_of("2024-01-05"), 11, NULL, 0, 99, NULL),
                     RETAIN_ERR_DATA);
    assert_int_equal(retain_nps_finish(n, NULL), RETAIN_OK);
    unsigned long line;
    assert_int_equal(retain_nps_unknown(n, &line), 1);
    assert_int_equal(line, 15);
    assert_int_equal(retain_nps_periods(n), 3);
    retain_nps_cell c;
    retain_nps_get(n, 0, 0, &c); /* January: 10, 3, 2, 8 */
    assert_int_equal(c.responses, 4);
    assert_int_equal(c.promoters, 1);
    assert_int_equal(c.passives, 1);
    assert_int_equal(c.detractors, 2);
    double moe;
    assert_true(retain_nps_moe(&c, &moe));
    /* p = .25, d = .5: sqrt((.75 - .0625) / 4) x 196 */
    assert_true(fabs(moe - 196 * sqrt(0.6875 / 4)) < 1e-9);
    retain_nps_get(n, 0, 1, &c); /* February: none */
    assert_int_equal(c.responses, 0);
    assert_false(retain_nps_moe(&c, &moe));
    /* the call list as of 2024-03-31: a (5, MRR 300); b's latest is 2,
     * no longer a customer; c's latest is 9 */
    assert_int_equal(retain_nps_calls(n), 2);
    const retain_nps_call *call = retain_nps_call_get(n, 0);
    assert_int_equal(call->customer, idx(ev, "a"));
    assert_int_equal(call->score, 5);
    assert_true(call->has_life);
    assert_int_equal(call->mrr, 300 * UNIT);
    call = retain_nps_call_get(n, 1);
    assert_int_equal(call->customer, idx(ev, "b"));
    assert_false(call->has_life);
    /* churn within 30 days, answers up to 2024-03-01: b's 2 on 01-10 is
     * followed by an end 51 days later: not within 30 */
    int64_t answers, churned;
    retain_nps_churn(n, RETAIN_NPS_DETRACTOR, &answers, &churned);
    assert_int_equal(answers, 2);
    assert_int_equal(churned, 0);
    retain_nps_churn(n, RETAIN_NPS_PROMOTER, &answers, &churned);
    assert_int_equal(answers, 1);
    retain_nps_free(n);

    /* latest: a's January answers count once (its 3 of 01-20) */
    o.latest = true;
    o.horizon = 60;
    n = retain_nps_new(&o, ev, NULL);
    for (size_t k = 0; k < sizeof ans / sizeof ans[0]; k++)
        assert_int_equal(retain_nps_add(n, ans[k].id, 1, day_of(ans[k].day), ans[k].score, NULL, 0,
                                        10 + k, NULL),
                         RETAIN_OK);
    assert_int_equal(retain_nps_finish(n, NULL), RETAIN_OK);
    retain_nps_get(n, 0, 0, &c);
    assert_int_equal(c.responses, 3);
    assert_int_equal(c.promoters, 0);
    assert_int_equal(c.detractors, 2);
    /* within 60 days of 01-10, b left (51 days) */
    retain_nps_churn(n, RETAIN_NPS_DETRACTOR, &answers, &churned);
    assert_int_equal(answers, 2);
    assert_int_equal(churned, 1);
    retain_nps_free(n);
    retain_events_free(ev);
}

/* ---- activation ---------------------------------------------------------- */

static void test_activation(void **state)
{
    (void)state;
    retain_day cut = day_of("2024-12-31");
    retain_events_options eo = {.cutoffs = &cut, .n_cutoffs = 1, .activation_kind = "report"};
    retain_events *ev = retain_events_new(&eo, NULL);
    customer(ev, "a", "2024-01-01", NULL, 10, NULL);         /* activates on day 10 */
    customer(ev, "b", "2024-01-01", "2024-02-15", 10, NULL); /* never; churned day 45 */
    customer(ev, "c", "2024-01-20", "2024-03-01", 10, NULL); /* day 40; left day 41 */
    customer(ev, "d", "2024-01-25", NULL, 10, NULL);         /* only before its start */
    customer(ev, "e", "2024-02-01", NULL, 10, NULL);         /* day 0 */
    assert_int_equal(retain_events_customers_done(ev, NULL), RETAIN_OK);
    event(ev, RETAIN_EVENT_ACTIVITY, "a", "2024-01-11", "report", UNIT);
    event(ev, RETAIN_EVENT_ACTIVITY, "a", "2024-01-02", "login", UNIT);
    event(ev, RETAIN_EVENT_ACTIVITY, "c", "2024-02-29", "report", UNIT);
    event(ev, RETAIN_EVENT_ACTIVITY, "d", "2024-01-01", "report", UNIT);
    event(ev, RETAIN_EVENT_ACTIVITY, "b", "2024-02-15", "report", UNIT); /* on its end */
    event(ev, RETAIN_EVENT_ACTIVITY, "e", "2024-02-01", "report", UNIT);
    retain_activation_options o = {.period = RETAIN_PERIOD_MONTH, .within = 30};
    retain_activation *a;
    assert_int_equal(retain_activation_compute(ev, &o, &a, NULL), RETAIN_OK);
    assert_int_equal(retain_activation_cohorts(a), 12);
    retain_activation_cell c;
    retain_activation_get(a, 0, 0, &c); /* January: a 10, b censored 45, c 40, d censored */
    assert_int_equal(c.customers, 4);
    assert_int_equal(c.activated, 1);
    assert_true(c.has_median);
    /* KM: t=10 event (4 at risk): .75; t=40 event (3 at risk): .5, flat
     * to the last time observed, d's 341: median (40 + 341) / 2 */
    assert_true(fabs(c.median_days - 190.5) < 1e-9);
    retain_activation_get(a, 0, 1, &c);
    assert_int_equal(c.customers, 1);
    assert_int_equal(c.activated, 1);
    assert_true(fabs(c.median_days) < 1e-9);
    /* onboarding: lives longer than 30 days, started by 2024-10-02: all
     * five; early: a, e (none churned); late: b (churned day 45), c
     * (churned day 41), d */
    retain_activation_onboarding b;
    retain_activation_onboarding_get(a, 0, &b);
    assert_int_equal(b.early, 2);
    assert_int_equal(b.early_churned, 0);
    assert_int_equal(b.late, 3);
    assert_int_equal(b.late_churned, 2);
    retain_activation_free(a);
    retain_events_free(ev);
}

/* Rows added by retain_events_add_row wait in batches for their customers'
 * lookups: the state is what retain_events_add gives event by event, in
 * any order, unknown ids included; a sum that overflows fails on its own
 * row, and large values that do not overflow still fold. */
static void test_rows_wait(void **state)
{
    (void)state;
    enum { CUSTOMERS = 12000, EVENTS = 40000 }; /* rows past several batches */
    retain_day as_of = day_of("2024-06-30"), cut[2] = {as_of, as_of - 90};
    retain_events_options o = {.cutoffs = cut, .n_cutoffs = 2, .activation_kind = "report"};
    retain_events *one = retain_events_new(&o, NULL), *waits = retain_events_new(&o, NULL);
    assert_non_null(one);
    assert_non_null(waits);
    char id[32];
    /* the customer rows too: one at a time, or waiting in batches (rows
     * from the reader), a second row for every third customer, an exact
     * duplicate for every seventh */
    unsigned long dups = 0;
    for (int c = 0; c < CUSTOMERS; c++) {
        snprintf(id, sizeof id, "C%05d", c);
        for (int n = 0; n < 1 + (c % 3 == 0); n++) {
            retain_day start = as_of - 400 + c % 300 + 200 * n;
            retain_day end = start + 100 + c % 50;
            bool has_end = n == 0 && c % 3 == 0;
            assert_int_equal(retain_events_add_customer(one, id, strlen(id), start, end, has_end,
                                                        (1 + n) * UNIT, NULL, 0, 2, NULL),
                             RETAIN_OK);
            retain_row row = {0};
            row.id = id;
            row.id_len = strlen(id);
            row.start = start;
            row.end = end;
            row.has_end = has_end;
            row.mrr = (1 + n) * UNIT;
            row.has_mrr = true;
            row.line = 2 + (unsigned long)c;
            row.fingerprint = 1000 * (uint64_t)c + (uint64_t)n + 1;
            row.place = row.line;
            for (int copy = 0; copy < 1 + (c % 7 == 0); copy++)
                assert_int_equal(retain_events_add_customer_row(waits, &row, false, NULL),
                                 RETAIN_OK);
            dups += c % 7 == 0 && start <= as_of; /* later rows are left out first */
        }
    }
    assert_int_equal(retain_events_customers_done(one, NULL), RETAIN_OK);
    assert_int_equal(retain_events_customers_done(waits, NULL), RETAIN_OK);
    assert_int_equal(retain_events_duplicates(waits, NULL, NULL), dups);
    assert_int_equal(retain_events_customers(waits), CUSTOMERS);
    for (size_t i = 0; i < CUSTOMERS; i++) {
        size_t la, lb;
        const char *a = retain_events_id(one, i, &la), *b = retain_events_id(waits, i, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
        assert_int_equal(retain_events_lives(one, i), retain_events_lives(waits, i));
        for (size_t k = 0; k < retain_events_lives(one, i); k++) {
            retain_life x, y;
            retain_events_life(one, i, k, &x);
            retain_events_life(waits, i, k, &y);
            assert_int_equal(x.start, y.start);
            assert_int_equal(x.has_end, y.has_end);
            assert_int_equal(x.end, y.end);
        }
        assert_int_equal(retain_events_mrr_on(one, i, as_of),
                         retain_events_mrr_on(waits, i, as_of));
    }
    static const char *const kinds[] = {"login", "report"};
    static const retain_table_kind table_kind[] = {RETAIN_TABLE_EVENTS, RETAIN_TABLE_TICKETS,
                                                   RETAIN_TABLE_SURVEY, RETAIN_TABLE_ORDERS};
    uint64_t x = 88172645463325252ull;
    int c = 0;
    for (unsigned long line = 2; line < EVENTS + 2; line++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (x % 4 != 0)                            /* runs of one customer, else a jump */
            c = (int)(x >> 20) % (CUSTOMERS + 50); /* past CUSTOMERS: unknown */
        snprintf(id, sizeof id, "C%05d", c);
        retain_event_table t = (retain_event_table)((x >> 8) % 4);
        int64_t v =
            t == RETAIN_EVENT_ANSWER ? (int64_t)((x >> 12) % 11) : (int64_t)((x >> 12) % 5) * UNIT;
        retain_event e = {
            t, line, id, strlen(id), as_of - (retain_day)((x >> 30) % 200), kinds[(x >> 40) % 2],
            5, v};
        retain_row row = {0};
        row.line = line;
        row.id = id;
        row.id_len = strlen(id);
        row.date = e.day;
        row.kind = e.kind;
        row.kind_len = e.kind_len;
        row.value = v;
        row.has_score = t == RETAIN_EVENT_ANSWER;
        row.score = (int)v;
        row.has_amount = t == RETAIN_EVENT_ORDER;
        row.amount = v;
        assert_int_equal(retain_events_add(one, &e, NULL), RETAIN_OK);
        assert_int_equal(retain_events_add_row(waits, table_kind[t], &row, NULL), RETAIN_OK);
    }
    for (int t = 0; t < RETAIN_EVENT_TABLES; t++) {
        unsigned long l1, l2;
        assert_int_equal(retain_events_unknown(one, (retain_event_table)t, &l1),
                         retain_events_unknown(waits, (retain_event_table)t, &l2));
        assert_int_equal(l1, l2);
    }
    assert_true(retain_events_unknown(waits, RETAIN_EVENT_ACTIVITY, NULL) > 0);
    for (size_t i = 0; i < CUSTOMERS; i++) {
        for (size_t k = 0; k < 2; k++) {
            retain_event_state a, b;
            retain_events_state(one, i, k, &a);
            retain_events_state(waits, i, k, &b);
            assert_memory_equal(&a, &b, sizeof a);
        }
    }
    retain_events_free(one);
    /* huge values: two customers' sums fit, a third value on one does not */
    retain_event_state s;
    retain_row row = {0};
    row.id = "C00001";
    row.id_len = 6;
    row.date = as_of;
    row.value = INT64_MAX / 2 + 1;
    row.line = 100;
    assert_int_equal(retain_events_add_row(waits, RETAIN_TABLE_EVENTS, &row, NULL), RETAIN_OK);
    row.id = "C00002";
    row.line = 101;
    assert_int_equal(retain_events_add_row(waits, RETAIN_TABLE_EVENTS, &row, NULL), RETAIN_OK);
    retain_events_state(waits, 2, 0, &s);
    assert_true(s.usage >= INT64_MAX / 2);
    row.line = 102;
    retain_diag diag;
    assert_int_equal(retain_events_add_row(waits, RETAIN_TABLE_EVENTS, &row, &diag),
                     RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 102);
    retain_events_free(waits);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_activity_kind),
        cmocka_unit_test(test_merge_halves),
        cmocka_unit_test(test_lives),
        cmocka_unit_test(test_lives_halves),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_rows_wait_long_ids),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_no_customer_table),
        cmocka_unit_test(test_risk_signals),
        cmocka_unit_test(test_risk_table),
        cmocka_unit_test(test_risk_options),
        cmocka_unit_test(test_nps),
        cmocka_unit_test(test_activation),
        cmocka_unit_test(test_rows_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
