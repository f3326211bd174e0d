/* Unit tests for retain/events.h: the per-customer event state, folded from
 * hand-built events, as of several cutoffs, against figures worked out by
 * hand from SPEC.md ("Other tables", "Signals and health"); lives; merging
 * two halves; unknown ids; bad values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/events.h>

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
    assert_int_equal(retain_events_customers(ev), 3); /* "late" starts after as-of */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),         cmocka_unit_test(test_activity_kind),
        cmocka_unit_test(test_merge_halves), cmocka_unit_test(test_lives),
        cmocka_unit_test(test_bad_values),   cmocka_unit_test(test_no_customer_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
