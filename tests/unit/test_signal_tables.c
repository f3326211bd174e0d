/* Unit tests for the table writers of retain nps and retain activation
 * (retain_nps_write*, retain_activation_write*) and of the canonical table
 * (retain/norm.h): a C program calling libretain on the fixtures gets,
 * byte for byte, the table the CLI prints in the end-to-end goldens
 * (tests/e2e/cases/NAME/out), --from/--to included; and the rules of the
 * kept columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/activation.h>
#include <retain/events.h>
#include <retain/norm.h>
#include <retain/nps.h>
#include <retain/orders.h>
#include <retain/period.h>
#include <retain/reader.h>

/* Reads the fixture name as a table of kind, each row through fn. */
static void read_fixture(retain_table_kind kind, const char *name, uint32_t optional,
                         const char *const *extra, size_t n_extra, retain_row_fn fn, void *user)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", RETAIN_FIXTURES, name);
    retain_reader_options o;
    memset(&o, 0, sizeof o);
    o.kind = kind;
    o.optional = optional;
    o.extra = extra;
    o.n_extra = n_extra;
    retain_diag d;
    retain_reader *r = retain_reader_new(&o, &d);
    assert_non_null(r);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(retain_reader_read(r, f, fn, user, &d), RETAIN_OK);
    fclose(f);
    retain_reader_free(r);
}

/* The golden stdout of an end-to-end case, whole. */
static char *golden(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../e2e/cases/%s/out", RETAIN_FIXTURES, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    assert_non_null(m);
    int ch;
    while ((ch = fgetc(f)) != EOF)
        fputc(ch, m);
    fclose(f);
    fclose(m);
    return text;
}

/* A table writer's output, finished: retain's defaults (CSV, 2 decimals). */
typedef struct {
    char *text;
    size_t len;
    FILE *out;
    retain_print p;
} capture;

static void capture_start(capture *c)
{
    c->out = open_memstream(&c->text, &c->len);
    assert_non_null(c->out);
    c->p = (retain_print){c->out, RETAIN_FORMAT_CSV, 2, 0};
}

static void assert_golden(capture *c, retain_writer *w, const char *name)
{
    assert_non_null(w);
    assert_int_equal(retain_writer_finish(w), RETAIN_OK);
    retain_writer_free(w);
    fclose(c->out);
    char *want = golden(name);
    assert_string_equal(c->text, want);
    free(want);
    free(c->text);
}

static retain_status on_customer(const retain_row *row, void *ev, retain_diag *diag)
{
    return retain_events_add_customer_row(ev, row, false, diag);
}

/* An event accumulator of the customers of signals-crm.csv (none: NULL
 * file), as retain nps and activation make it. */
static retain_events *customers(const char *file, const retain_events_options *o)
{
    retain_diag d;
    retain_events *ev = retain_events_new(o, &d);
    assert_non_null(ev);
    if (file)
        read_fixture(RETAIN_TABLE_CUSTOMERS, file, 0, NULL, 0, on_customer, ev);
    assert_int_equal(retain_events_customers_done(ev, &d), RETAIN_OK);
    return ev;
}

static retain_status on_answer(const retain_row *row, void *nps, retain_diag *diag)
{
    if (!row->has_score)
        return RETAIN_OK;
    return retain_nps_add(nps, row->id_len ? row->id : NULL, row->id_len, row->date, row->score,
                          NULL, 0, row->line, diag);
}

/* retain nps [--period P] [--below / --churn] survey.csv [crm.csv] */
static retain_nps *nps(const char *crm, retain_nps_options *o, retain_events **ev)
{
    retain_day cut = RETAIN_DAY_MAX;
    retain_events_options eo = {.cutoffs = &cut, .n_cutoffs = 1};
    *ev = customers(crm, &eo);
    retain_diag d;
    retain_nps *n = retain_nps_new(o, *ev, &d);
    assert_non_null(n);
    uint32_t optional = crm || o->latest ? 0 : RETAIN_ROLE_BIT(RETAIN_COL_ID);
    read_fixture(RETAIN_TABLE_SURVEY, "signals-survey.csv", optional, NULL, 0, on_answer, n);
    assert_int_equal(retain_nps_finish(n, &d), RETAIN_OK);
    return n;
}

static void test_nps_periods(void **state)
{
    (void)state;
    retain_nps_options o = {.period = RETAIN_PERIOD_QUARTER, .below = 9};
    retain_events *ev;
    retain_nps *n = nps(NULL, &o, &ev);
    capture c;
    capture_start(&c);
    assert_golden(&c, retain_nps_write(n, RETAIN_PERIOD_QUARTER, NULL, &c.p), "nps-quarter");
    retain_nps_free(n);
    retain_events_free(ev);
}

static void test_nps_calls(void **state)
{
    (void)state;
    retain_nps_options o = {.period = RETAIN_PERIOD_MONTH, .below = 9};
    retain_events *ev;
    retain_nps *n = nps("signals-crm.csv", &o, &ev);
    capture c;
    capture_start(&c);
    assert_golden(&c, retain_nps_write_calls(n, ev, true, &c.p), "nps-below-9-call-list");
    retain_nps_free(n);
    retain_events_free(ev);
}

static void test_nps_churn(void **state)
{
    (void)state;
    retain_nps_options o = {.period = RETAIN_PERIOD_MONTH, .below = 9, .horizon = 90};
    retain_events *ev;
    retain_nps *n = nps("signals-crm.csv", &o, &ev);
    capture c;
    capture_start(&c);
    assert_golden(&c, retain_nps_write_churn(n, &c.p), "nps-churn-by-group");
    retain_nps_free(n);
    retain_events_free(ev);
}

static retain_status on_event(const retain_row *row, void *ev, retain_diag *diag)
{
    return retain_events_add_row(ev, RETAIN_TABLE_EVENTS, row, diag);
}

/* retain activation --events signals-events.csv --event KIND ... crm.csv */
static retain_activation *activation(const char *kind, const retain_activation_options *o,
                                     retain_events **ev)
{
    retain_day cut = 0;
    retain_events_options eo = {
        .cutoffs = &cut, .n_cutoffs = 1, .before_latest_start = true, .activation_kind = kind};
    *ev = customers("signals-crm.csv", &eo);
    read_fixture(RETAIN_TABLE_EVENTS, "signals-events.csv", 0, NULL, 0, on_event, *ev);
    retain_activation *a = NULL;
    retain_diag d;
    assert_int_equal(retain_activation_compute(*ev, o, &a, &d), RETAIN_OK);
    return a;
}

static void test_activation_cohorts(void **state)
{
    (void)state;
    retain_activation_options o = {.period = RETAIN_PERIOD_QUARTER, .within = 30};
    retain_events *ev;
    retain_activation *a = activation("report", &o, &ev);
    capture c;
    capture_start(&c);
    assert_golden(&c, retain_activation_write(a, RETAIN_PERIOD_QUARTER, NULL, &c.p),
                  "activation-quarter");
    retain_activation_free(a);
    retain_events_free(ev);
}

static void test_activation_onboarding(void **state)
{
    (void)state;
    retain_activation_options o = {.period = RETAIN_PERIOD_MONTH, .within = 14};
    retain_events *ev;
    retain_activation *a = activation("login", &o, &ev);
    capture c;
    capture_start(&c);
    assert_golden(&c, retain_activation_write_onboarding(a, NULL, &c.p), "activation-onboarding");
    retain_activation_free(a);
    retain_events_free(ev);
}

static int32_t period(retain_period_kind k, const char *label)
{
    int32_t p;
    assert_true(retain_period_parse(k, label, &p));
    return p;
}

/* retain nps --from 2024-03 --to 2024-05; a range after the data is a
 * usage error of finish. */
static void test_nps_range(void **state)
{
    (void)state;
    retain_nps_options o = {.period = RETAIN_PERIOD_MONTH,
                            .below = 9,
                            .has_from = true,
                            .from = period(RETAIN_PERIOD_MONTH, "2024-03"),
                            .has_to = true,
                            .to = period(RETAIN_PERIOD_MONTH, "2024-05")};
    retain_events *ev;
    retain_nps *n = nps(NULL, &o, &ev);
    assert_int_equal(retain_nps_periods(n), 3);
    capture c;
    capture_start(&c);
    assert_golden(&c, retain_nps_write(n, RETAIN_PERIOD_MONTH, NULL, &c.p), "nps-from-to-months");
    retain_nps_free(n);
    retain_events_free(ev);

    o.from = o.to = period(RETAIN_PERIOD_MONTH, "2025-01");
    retain_day cut = RETAIN_DAY_MAX;
    retain_events_options eo = {.cutoffs = &cut, .n_cutoffs = 1};
    ev = customers(NULL, &eo);
    retain_diag d;
    n = retain_nps_new(&o, ev, &d);
    assert_non_null(n);
    read_fixture(RETAIN_TABLE_SURVEY, "signals-survey.csv", RETAIN_ROLE_BIT(RETAIN_COL_ID), NULL, 0,
                 on_answer, n);
    assert_int_equal(retain_nps_finish(n, &d), RETAIN_ERR_USAGE);
    assert_string_equal(d.message, "no period to report: 2025-01 is after 2024-06");
    retain_nps_free(n);
    retain_events_free(ev);
}

/* retain activation --period quarter --from 2022-Q3 --to 2023-Q2 */
static void test_activation_range(void **state)
{
    (void)state;
    retain_activation_options o = {.period = RETAIN_PERIOD_QUARTER,
                                   .within = 30,
                                   .has_from = true,
                                   .from = period(RETAIN_PERIOD_QUARTER, "2022-Q3"),
                                   .has_to = true,
                                   .to = period(RETAIN_PERIOD_QUARTER, "2023-Q2")};
    retain_events *ev;
    retain_activation *a = activation("report", &o, &ev);
    capture c;
    capture_start(&c);
    assert_golden(&c, retain_activation_write(a, RETAIN_PERIOD_QUARTER, NULL, &c.p),
                  "activation-from-to-quarter");
    retain_activation_free(a);
    retain_events_free(ev);
}

static retain_status on_order(const retain_row *row, void *orders, retain_diag *diag)
{
    retain_status st = retain_orders_add(orders, row->id, row->id_len, NULL, 0, row->date,
                                         row->has_amount ? row->amount : 0, diag);
    diag->line = row->line;
    return st;
}

/* retain repeat --from 2023-06 --to 2023-09 orders-extremes.csv */
static void test_repeat_range(void **state)
{
    (void)state;
    retain_orders_options o = {.cohort = RETAIN_PERIOD_MONTH,
                               .has_from = true,
                               .from = period(RETAIN_PERIOD_MONTH, "2023-06"),
                               .has_to = true,
                               .to = period(RETAIN_PERIOD_MONTH, "2023-09")};
    retain_orders *orders = retain_orders_new(&o);
    assert_non_null(orders);
    read_fixture(RETAIN_TABLE_ORDERS, "orders-extremes.csv", 0, NULL, 0, on_order, orders);
    retain_diag d;
    assert_int_equal(retain_orders_finish(orders, &d), RETAIN_OK);
    capture c;
    capture_start(&c);
    assert_golden(&c, retain_orders_write_repeat(orders, -1, RETAIN_PERIOD_MONTH, NULL, &c.p),
                  "repeat-from-to");
    retain_orders_free(orders);
}

static retain_status on_norm_row(const retain_row *row, void *w, retain_diag *diag)
{
    (void)diag;
    return retain_norm_write_row(w, row, 1, -1);
}

/* retain norm --keep plan canonical.csv */
static void test_norm_table(void **state)
{
    (void)state;
    static const char *const keep[] = {"plan"};
    capture c;
    capture_start(&c);
    retain_diag d;
    assert_int_equal(retain_norm_check(keep, 1, &d), RETAIN_OK);
    retain_writer *w = retain_norm_open(keep, 1, &c.p);
    assert_non_null(w);
    read_fixture(RETAIN_TABLE_CUSTOMERS, "canonical.csv", 0, keep, 1, on_norm_row, w);
    assert_golden(&c, w, "norm-canonical");
}

static void test_norm_check(void **state)
{
    (void)state;
    retain_diag d;
    static const char *const twice[] = {"plan", "country", "plan"};
    assert_int_equal(retain_norm_check(twice, 3, &d), RETAIN_ERR_USAGE);
    assert_string_equal(d.message, "--keep names \"plan\" twice");
    static const char *const role[] = {"plan", "Customer ID"};
    assert_int_equal(retain_norm_check(role, 2, &d), RETAIN_ERR_USAGE);
    assert_non_null(strstr(d.message, "\"Customer ID\": a column of that name is one of id"));
    const char *many[RETAIN_NORM_MAX_KEEP + 1];
    char names[RETAIN_NORM_MAX_KEEP + 1][8];
    for (int i = 0; i <= RETAIN_NORM_MAX_KEEP; i++) {
        snprintf(names[i], sizeof names[i], "c%d", i);
        many[i] = names[i];
    }
    assert_int_equal(retain_norm_check(many, RETAIN_NORM_MAX_KEEP, &d), RETAIN_OK);
    assert_int_equal(retain_norm_check(many, RETAIN_NORM_MAX_KEEP + 1, &d), RETAIN_ERR_USAGE);
    assert_null(retain_norm_open(many, RETAIN_NORM_MAX_KEEP + 1,
                                 &(retain_print){stdout, RETAIN_FORMAT_CSV, 2, 0}));
}

/* A writer that fails (a row with the wrong number of cells) keeps its
 * first error: every later row returns it. */
static void test_norm_sticky(void **state)
{
    (void)state;
    static const char *const keep[] = {"plan"};
    capture c;
    capture_start(&c);
    retain_writer *w = retain_norm_open(keep, 1, &c.p);
    assert_non_null(w);
    retain_row row;
    memset(&row, 0, sizeof row);
    row.id = "C1";
    row.id_len = 2;
    assert_int_equal(retain_norm_write_row(w, &row, 0, 2), RETAIN_ERR_USAGE); /* 4 cells of 5 */
    const char *plan = "Pro";
    size_t plan_len = 3;
    row.extra = &plan;
    row.extra_len = &plan_len;
    assert_int_equal(retain_norm_write_row(w, &row, 1, 2), RETAIN_ERR_USAGE);
    assert_int_equal(retain_writer_finish(w), RETAIN_ERR_USAGE);
    retain_writer_free(w);
    fclose(c.out);
    assert_int_equal(c.len, 0); /* deferred: nothing written */
    free(c.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nps_periods),
        cmocka_unit_test(test_nps_calls),
        cmocka_unit_test(test_nps_churn),
        cmocka_unit_test(test_activation_cohorts),
        cmocka_unit_test(test_activation_onboarding),
        cmocka_unit_test(test_norm_table),
        cmocka_unit_test(test_nps_range),
        cmocka_unit_test(test_activation_range),
        cmocka_unit_test(test_repeat_range),
        cmocka_unit_test(test_norm_check),
        cmocka_unit_test(test_norm_sticky),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
