/* The quarterly business review of one account (retain/report.h): its
 * goals, usage and adoption by event kind, seats, tickets, NPS answers,
 * MRR history, tenure and next renewal, ROI, next steps. The customer's
 * life, MRR and signals come from the event accumulator and retain risk;
 * only the account's own event rows are tallied here, by kind and
 * quarter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/retain.h>
#include <retain/report.h>

#include "figures.h"
#include "internal.h"

/* The account's event rows kept, at most (a cap, not a guess: past it the
 * review fails with a data error naming the account). */
#define MAX_ACCOUNT_EVENTS 1000000
#define MRR_MONTHS 12

typedef struct {
    retain_table_kind table;
    retain_day day;
    int32_t kind; /* index into kinds, -1 for none */
    int64_t value;
} acct_event;

struct retain_qbr {
    retain_qbr_options o;
    char *account;
    retain_events *ev;
    bool customers_done, tables[RETAIN_TABLE_KINDS], has_mrr;
    acct_event *events;
    size_t nevents, capevents;
    char **kinds;
    size_t nkinds, capkinds;
    rt_goals goals;
    rt_figures fig;
    retain_table *roi;
    retain_doc *doc;
    retain_day as_of;
};

retain_qbr_options retain_qbr_options_of(const retain_report_options *report, const char *account)
{
    retain_qbr_options q = {.account = account,
                            .has_as_of = report->has_as_of,
                            .as_of = report->as_of,
                            .lang = report->lang,
                            .precision = report->precision,
                            .stages = report->stages};
    return q;
}

retain_qbr *retain_qbr_new(const retain_qbr_options *options, retain_diag *diag)
{
    if (!options->account || !*options->account) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "an account id is needed");
        return NULL;
    }
    retain_qbr *q = calloc(1, sizeof *q);
    if (!q || !(q->account = rt_strdup(options->account))) {
        free(q);
        rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        return NULL;
    }
    q->o = *options;
    q->o.account = q->account;
    q->fig.lang = options->lang;
    retain_day cut = 0;
    retain_events_options eo = {.cutoffs = &cut, .n_cutoffs = 1};
    if (options->has_as_of)
        cut = options->as_of;
    else
        eo.before_latest_start = true; /* as of the latest start, as elsewhere */
    q->ev = retain_events_new(&eo, diag);
    if (!q->ev) {
        retain_qbr_free(q);
        return NULL;
    }
    return q;
}

static bool is_account(const retain_qbr *q, const char *id, size_t len)
{
    return len == strlen(q->account) && memcmp(id, q->account, len) == 0;
}

retain_status retain_qbr_customer(const retain_row *row, void *qbr, retain_diag *diag)
{
    retain_qbr *q = qbr;
    q->has_mrr = q->has_mrr || row->has_mrr;
    return retain_events_add_customer_row(q->ev, row, false, diag);
}

static retain_status customers_done(retain_qbr *q, retain_diag *diag)
{
    if (q->customers_done)
        return RETAIN_OK;
    q->customers_done = true;
    retain_status st = retain_events_customers_done(q->ev, diag);
    if (st != RETAIN_OK)
        return st;
    size_t i;
    if (!retain_events_find(q->ev, q->account, strlen(q->account), &i)) {
        rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "no customer '%.80s' in the customer table",
                q->account);
        rt_hint(diag, "the id as written in the id column, spaces around it trimmed");
        return RETAIN_ERR_DATA;
    }
    q->as_of = retain_events_as_of(q->ev);
    return RETAIN_OK;
}

static int32_t kind_index(retain_qbr *q, const char *kind, size_t len)
{
    if (!kind || !len)
        return -1;
    for (size_t k = 0; k < q->nkinds; k++)
        if (strlen(q->kinds[k]) == len && memcmp(q->kinds[k], kind, len) == 0)
            return (int32_t)k;
    if (q->nkinds >= 256 ||
        !rt_grow((void **)&q->kinds, &q->capkinds, q->nkinds + 1, sizeof *q->kinds))
        return -2;
    char *s = malloc(len + 1);
    if (!s)
        return -2;
    memcpy(s, kind, len);
    s[len] = '\0';
    q->kinds[q->nkinds] = s;
    return (int32_t)q->nkinds++;
}

static retain_status event_row(retain_qbr *q, retain_table_kind table, const retain_row *row,
                               retain_diag *diag)
{
    retain_status st = customers_done(q, diag);
    if (st == RETAIN_OK)
        st = retain_events_add_row(q->ev, table, row, diag);
    q->tables[table] = true;
    if (st != RETAIN_OK || !is_account(q, row->id, row->id_len) || row->date > q->as_of)
        return st;
    if (table == RETAIN_TABLE_SURVEY && !row->has_score)
        return RETAIN_OK; /* a question not answered */
    int32_t kind = table == RETAIN_TABLE_SURVEY ? -1 : kind_index(q, row->kind, row->kind_len);
    if (kind == -2 || q->nevents >= MAX_ACCOUNT_EVENTS)
        return rt_fail(diag, kind == -2 ? RETAIN_ERR_NOMEM : RETAIN_ERR_DATA, row->line, NULL,
                       kind == -2 ? "out of memory (or over 256 event kinds)"
                                  : "over a million events of the account");
    if (!rt_grow((void **)&q->events, &q->capevents, q->nevents + 1, sizeof *q->events))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    q->events[q->nevents++] = (acct_event){table, row->date, kind,
                                           table == RETAIN_TABLE_SURVEY ? row->score : row->value};
    return RETAIN_OK;
}

retain_status retain_qbr_events(const retain_row *row, void *qbr, retain_diag *diag)
{
    return event_row(qbr, RETAIN_TABLE_EVENTS, row, diag);
}
retain_status retain_qbr_tickets(const retain_row *row, void *qbr, retain_diag *diag)
{
    return event_row(qbr, RETAIN_TABLE_TICKETS, row, diag);
}
retain_status retain_qbr_answers(const retain_row *row, void *qbr, retain_diag *diag)
{
    return event_row(qbr, RETAIN_TABLE_SURVEY, row, diag);
}

retain_status retain_qbr_goals(retain_qbr *q, const retain_table *goals, retain_diag *diag)
{
    return rt_goals_read(&q->goals, goals, NULL, true, diag);
}

retain_status retain_qbr_roi(retain_qbr *q, const retain_table *roi, retain_diag *diag)
{
    static const char *const names[4] = {"metric", "before", "after", "unit"};
    for (int i = 0; i < 4; i++) {
        size_t col;
        if (!retain_table_find(roi, names[i], &col))
            return rt_fail(diag, RETAIN_ERR_DATA, 1, names[i],
                           "the ROI table has no such column (metric,before,after,unit)");
    }
    q->roi = (retain_table *)roi;
    return RETAIN_OK;
}

/* ---- the review ---- */

static const char *L(const retain_qbr *q, const char *key)
{
    return retain_lang_label(q->o.lang, key);
}

static void money_text(retain_money m, int precision, char *buf)
{
    retain_money_format(m, precision, buf);
}

/* An event value or sum: whole numbers without decimals. */
static void value_text(int64_t v, char *buf)
{
    retain_money_format(v, v % RETAIN_MONEY_SCALE == 0 ? 0 : -1, buf);
}

static bool is_seats(const char *kind)
{
    return retain_name_equal(kind, "seats") || retain_name_equal(kind, "seat");
}

/* The latest seats value of the account on or before day d; false when none. */
static bool seats_on(const retain_qbr *q, retain_day d, int64_t *out)
{
    bool found = false;
    retain_day best = 0;
    for (size_t e = 0; e < q->nevents; e++) {
        const acct_event *x = &q->events[e];
        if (x->table == RETAIN_TABLE_EVENTS && x->kind >= 0 && is_seats(q->kinds[x->kind]) &&
            x->day <= d && (!found || x->day >= best)) {
            found = true;
            best = x->day;
            *out = x->value;
        }
    }
    return found;
}

static retain_status kv(retain_doc *d, const char *k, const char *v)
{
    retain_status st = retain_doc_cell(d, k, RETAIN_TONE_PLAIN);
    return st == RETAIN_OK ? retain_doc_cell(d, v, RETAIN_TONE_PLAIN) : st;
}

static retain_status account_section(retain_qbr *q, size_t i, const retain_risk_row *risk,
                                     bool active)
{
    retain_doc *d = q->doc;
    char a[RETAIN_LANG_BUFSIZE], b[RETAIN_NUMBER_BUFSIZE];
    const char *head[2] = {L(q, "Account"), q->account};
    retain_status st = retain_doc_heading(d, L(q, "Account"));
    if (st == RETAIN_OK)
        st = retain_doc_table(d, "account", 2, head);
    retain_life first, now;
    retain_events_life(q->ev, i, 0, &first);
    retain_lang_date(q->o.lang, first.start, a);
    if (st == RETAIN_OK)
        st = kv(d, L(q, "Customer since"), a);
    if (!active) {
        if (st == RETAIN_OK)
            st = kv(d, L(q, "Status"), L(q, "not active on the as-of day"));
        return st;
    }
    retain_events_life_on(q->ev, i, q->as_of, &now);
    snprintf(b, sizeof b, "%d", (int)risk->tenure_days);
    rt_figure *f = rt_figure_add(&q->fig, "tenure_days", L(q, "Tenure (days)"), true, false);
    if (f)
        snprintf(f->v[0], sizeof f->v[0], "%s", b);
    retain_lang_number(q->o.lang, b, a);
    if (st == RETAIN_OK)
        st = kv(d, L(q, "Tenure (days)"), a);
    retain_lang_date(q->o.lang, q->as_of + risk->renewal_in_days, a);
    if (st == RETAIN_OK)
        st = kv(d, L(q, "Next renewal"), a);
    if (q->has_mrr) {
        money_text(risk->mrr, q->o.precision, b);
        f = rt_figure_add(&q->fig, "mrr", L(q, "MRR"), true, false);
        if (f)
            snprintf(f->v[0], sizeof f->v[0], "%s", b);
        retain_lang_number(q->o.lang, b, a);
        if (st == RETAIN_OK)
            st = kv(d, L(q, "MRR"), a);
    }
    int64_t seats, seats_before;
    int32_t quarter = retain_period_of(RETAIN_PERIOD_QUARTER, q->as_of);
    if (seats_on(q, q->as_of, &seats)) {
        f = rt_figure_add(&q->fig, "seats", L(q, "Seats"), true, false);
        if (f) {
            value_text(seats, f->v[0]);
            if (seats_on(q, retain_period_first_day(RETAIN_PERIOD_QUARTER, quarter) - 1,
                         &seats_before))
                value_text(seats_before, f->v[1]);
            char now_text[RETAIN_LANG_BUFSIZE], was[RETAIN_LANG_BUFSIZE];
            char line[2 * RETAIN_LANG_BUFSIZE + 64];
            rt_spell(q->o.lang, f->v[0], false, now_text);
            if (f->v[1][0]) {
                rt_spell(q->o.lang, f->v[1], false, was);
                snprintf(line, sizeof line, "%s (%s %s)", now_text, L(q, "was"), was);
            } else {
                snprintf(line, sizeof line, "%s", now_text);
            }
            if (st == RETAIN_OK)
                st = kv(d, L(q, "Seats"), line);
        }
    }
    snprintf(b, sizeof b, "%d", risk->health);
    f = rt_figure_add(&q->fig, "health", L(q, "Health"), true, false);
    if (f)
        snprintf(f->v[0], sizeof f->v[0], "%s", b);
    char health[RETAIN_LANG_BUFSIZE + 40];
    snprintf(health, sizeof health, "%s (%s %d)", b, L(q, "zone"), risk->zone);
    if (st == RETAIN_OK)
        st = kv(d, L(q, "Health"), health);
    return st;
}

/* Sums of the account's rows of a table by kind, this quarter and the one
 * before; returns how many kinds have any. */
static size_t by_kind(const retain_qbr *q, retain_table_kind table, int32_t q0, int32_t q1,
                      int64_t *now, int64_t *before, bool count)
{
    memset(now, 0, (q->nkinds + 1) * sizeof *now);
    memset(before, 0, (q->nkinds + 1) * sizeof *before);
    for (size_t e = 0; e < q->nevents; e++) {
        const acct_event *x = &q->events[e];
        if (x->table != table)
            continue;
        if (x->kind >= 0 && table == RETAIN_TABLE_EVENTS && is_seats(q->kinds[x->kind]))
            continue; /* a level, not a use: shown with the account */
        size_t k = x->kind < 0 ? q->nkinds : (size_t)x->kind;
        int64_t v = count ? RETAIN_MONEY_SCALE : x->value;
        if (x->day >= q0 && x->day <= q->as_of)
            now[k] += v;
        else if (x->day >= q1 && x->day < q0)
            before[k] += v;
    }
    size_t n = 0;
    for (size_t k = 0; k <= q->nkinds; k++)
        n += now[k] || before[k];
    return n;
}

static retain_status kinds_section(retain_qbr *q, retain_table_kind table, const char *title,
                                   const char *key_prefix, bool count)
{
    int32_t quarter = retain_period_of(RETAIN_PERIOD_QUARTER, q->as_of);
    retain_day q0 = retain_period_first_day(RETAIN_PERIOD_QUARTER, quarter);
    retain_day q1 = retain_period_first_day(RETAIN_PERIOD_QUARTER, quarter - 1);
    int64_t *now = calloc(q->nkinds + 1, sizeof *now), *before = calloc(q->nkinds + 1, sizeof *now);
    if (!now || !before) {
        free(now);
        free(before);
        return RETAIN_ERR_NOMEM;
    }
    size_t n = by_kind(q, table, q0, q1, now, before, count);
    retain_status st = RETAIN_OK;
    if (n == 0) {
        st = rt_figures_omit(&q->fig, title,
                             q->tables[table] ? "no row of the account in these quarters"
                             : table == RETAIN_TABLE_EVENTS ? "no events table"
                                                            : "no tickets table");
        free(now);
        free(before);
        return st;
    }
    char l0[16], l1[16];
    retain_period_label(RETAIN_PERIOD_QUARTER, quarter, l0);
    retain_period_label(RETAIN_PERIOD_QUARTER, quarter - 1, l1);
    const char *head[4] = {L(q, "Kind"), l0, l1, L(q, "Change")};
    st = retain_doc_heading(q->doc, title);
    if (st == RETAIN_OK)
        st = retain_doc_table(q->doc, key_prefix, 4, head);
    retain_chart *c = count ? NULL : retain_chart_new(RETAIN_CHART_GROUPED, "usage", title);
    size_t s0 = 0, s1 = 0;
    if (c) {
        retain_chart_series(c, l1, 0x56B4E9, &s1);
        retain_chart_series(c, l0, 0x0072B2, &s0);
        retain_chart_axes(c, NULL, NULL, NULL, q->o.lang);
    }
    size_t cat = 0;
    for (size_t k = 0; k <= q->nkinds && st == RETAIN_OK; k++) {
        if (!now[k] && !before[k])
            continue;
        const char *name = k < q->nkinds ? q->kinds[k] : "(none)";
        char v0[RETAIN_NUMBER_BUFSIZE], v1[RETAIN_NUMBER_BUFSIZE], key[96];
        char label[200];
        value_text(now[k], v0);
        value_text(before[k], v1);
        snprintf(key, sizeof key, "%s:%s", key_prefix, name);
        snprintf(label, sizeof label, "%s%s%s", title, retain_lang_colon(q->o.lang), name);
        rt_figure *f = rt_figure_add(&q->fig, key, label, !count, false);
        if (!f)
            break;
        snprintf(f->v[0], sizeof f->v[0], "%s", v0);
        snprintf(f->v[1], sizeof f->v[1], "%s", v1);
        st = rt_figure_row(&q->fig, q->doc, f, 2, name);
        if (c) {
            retain_chart_category(c, name);
            retain_chart_value(c, s0, cat, (double)now[k] / RETAIN_MONEY_SCALE);
            retain_chart_value(c, s1, cat, (double)before[k] / RETAIN_MONEY_SCALE);
            cat++;
        }
    }
    free(now);
    free(before);
    if (c && st == RETAIN_OK)
        return retain_doc_chart(q->doc, c, 220);
    retain_chart_free(c);
    return st;
}

static retain_status answers_section(retain_qbr *q)
{
    size_t n = 0;
    for (size_t e = 0; e < q->nevents; e++)
        n += q->events[e].table == RETAIN_TABLE_SURVEY;
    if (!n)
        return rt_figures_omit(&q->fig, L(q, "NPS answers"),
                               q->tables[RETAIN_TABLE_SURVEY] ? "no answer of the account"
                                                              : "no survey table");
    const char *head[3] = {L(q, "Date"), L(q, "Score"), L(q, "Group")};
    retain_status st = retain_doc_heading(q->doc, L(q, "NPS answers"));
    if (st == RETAIN_OK)
        st = retain_doc_table(q->doc, "answers", 3, head);
    for (size_t e = 0; e < q->nevents && st == RETAIN_OK; e++) {
        const acct_event *x = &q->events[e];
        if (x->table != RETAIN_TABLE_SURVEY)
            continue;
        char day[RETAIN_LANG_BUFSIZE], score[16];
        retain_lang_date(q->o.lang, x->day, day);
        snprintf(score, sizeof score, "%d", (int)x->value);
        retain_nps_group g = retain_nps_group_of((int)x->value);
        st = retain_doc_cell(q->doc, day, RETAIN_TONE_PLAIN);
        if (st == RETAIN_OK)
            st = retain_doc_cell(q->doc, score, RETAIN_TONE_PLAIN);
        if (st == RETAIN_OK)
            st = retain_doc_cell(q->doc, L(q, retain_nps_group_name(g)),
                                 g == RETAIN_NPS_PROMOTER    ? RETAIN_TONE_GOOD
                                 : g == RETAIN_NPS_DETRACTOR ? RETAIN_TONE_BAD
                                                             : RETAIN_TONE_PLAIN);
    }
    return st;
}

static retain_status mrr_section(retain_qbr *q, size_t i)
{
    if (!q->has_mrr)
        return rt_figures_omit(&q->fig, L(q, "MRR history"), "no MRR column");
    retain_chart *c = retain_chart_new(RETAIN_CHART_LINES, "mrr-history", L(q, "MRR history"));
    size_t s;
    if (!c || retain_chart_series(c, L(q, "MRR"), -1, &s) != RETAIN_OK ||
        retain_chart_axes(c, NULL, NULL, NULL, q->o.lang) != RETAIN_OK) {
        retain_chart_free(c);
        return RETAIN_ERR_NOMEM;
    }
    retain_chart_y_include(c, 0); /* an amount: from 0 */
    int32_t month = retain_period_of(RETAIN_PERIOD_MONTH, q->as_of);
    retain_life first;
    retain_events_life(q->ev, i, 0, &first);
    size_t cat = 0;
    for (int32_t m = month - MRR_MONTHS + 1; m <= month; m++) {
        retain_day d = retain_period_last_day(RETAIN_PERIOD_MONTH, m);
        if (d > q->as_of)
            d = q->as_of;
        if (d < first.start)
            continue; /* before it was a customer: no point, not a zero */
        char label[16];
        retain_period_label(RETAIN_PERIOD_MONTH, m, label);
        retain_chart_category(c, label);
        retain_chart_value(c, s, cat++,
                           (double)retain_events_mrr_on(q->ev, i, d) / RETAIN_MONEY_SCALE);
    }
    if (!cat) {
        retain_chart_free(c);
        return RETAIN_OK;
    }
    retain_status st = retain_doc_heading(q->doc, L(q, "MRR history"));
    return st == RETAIN_OK ? retain_doc_chart(q->doc, c, 200) : (retain_chart_free(c), st);
}

static retain_status roi_section(retain_qbr *q)
{
    if (!q->roi)
        return rt_figures_omit(&q->fig, L(q, "Return on investment"), "no ROI file (--roi)");
    size_t col[4];
    static const char *const names[4] = {"metric", "before", "after", "unit"};
    for (int k = 0; k < 4; k++)
        retain_table_find(q->roi, names[k], &col[k]);
    const char *head[5] = {L(q, "Metric"), L(q, "Before"), L(q, "After"), L(q, "Change"),
                           L(q, "Unit")};
    retain_status st = retain_doc_heading(q->doc, L(q, "Return on investment"));
    if (st == RETAIN_OK)
        st = retain_doc_table(q->doc, "roi", 5, head);
    for (size_t r = 0; r < retain_table_rows(q->roi) && st == RETAIN_OK; r++) {
        const char *cell[4];
        for (int k = 0; k < 4; k++)
            cell[k] = retain_table_cell(q->roi, r, col[k], NULL);
        char before[RETAIN_LANG_BUFSIZE], after[RETAIN_LANG_BUFSIZE], diff[RETAIN_NUMBER_BUFSIZE];
        char change[RETAIN_LANG_BUFSIZE];
        int sign = 0;
        retain_lang_number(q->o.lang, cell[1], before);
        retain_lang_number(q->o.lang, cell[2], after);
        if (rt_figure_diff(cell[2], cell[1], diff, &sign))
            rt_spell(q->o.lang, diff, false, change);
        else
            snprintf(change, sizeof change, "%s", "");
        st = retain_doc_cell(q->doc, cell[0], RETAIN_TONE_PLAIN);
        if (st == RETAIN_OK)
            st = retain_doc_cell(q->doc, before, RETAIN_TONE_PLAIN);
        if (st == RETAIN_OK)
            st = retain_doc_cell(q->doc, after, RETAIN_TONE_PLAIN);
        if (st == RETAIN_OK)
            st = retain_doc_cell(q->doc, change, RETAIN_TONE_PLAIN);
        if (st == RETAIN_OK)
            st = retain_doc_cell(q->doc, cell[3], RETAIN_TONE_PLAIN);
    }
    return st;
}

static retain_status next_steps(retain_qbr *q, const retain_risk_row *risk, bool active)
{
    retain_status st = retain_doc_heading(q->doc, L(q, "Next steps"));
    char line[400], day[RETAIN_LANG_BUFSIZE];
    size_t n = 0;
    if (!active)
        return st == RETAIN_OK ? retain_doc_item(q->doc, L(q, "Win the account back: it is not "
                                                              "active on the as-of day."))
                               : st;
    if (risk->renewal_in_days <= 90) {
        retain_lang_date(q->o.lang, q->as_of + risk->renewal_in_days, day);
        snprintf(line, sizeof line, "%s %s.", L(q, "Prepare the renewal of"), day);
        st = st == RETAIN_OK ? retain_doc_item(q->doc, line) : st, n++;
    }
    /* what each signal asks of the account manager */
    static const char *const todo[RETAIN_SIGNALS] = {
        [RETAIN_SIGNAL_SILENT] = "No recent activity: call the champion to re-engage.",
        [RETAIN_SIGNAL_USAGE_DROP] = "Usage is falling: review adoption and training.",
        [RETAIN_SIGNAL_TICKETS_UP] = "Tickets are rising: review the open issues with support.",
        [RETAIN_SIGNAL_REVENUE_DOWN] = "Revenue is down: check the contract and the plan.",
        [RETAIN_SIGNAL_MISSED_RENEWAL] = "A yearly renewal was missed: call before it lapses.",
        [RETAIN_SIGNAL_NPS_BELOW_9] = "The latest NPS answer is below 9: follow up on it.",
    };
    for (int s = 0; s < RETAIN_SIGNALS && st == RETAIN_OK; s++) {
        if (!(risk->signals & (1u << s)))
            continue;
        st = retain_doc_item(q->doc, L(q, todo[s]));
        n++;
    }
    if (st == RETAIN_OK && risk->has_nps && risk->nps >= 9) {
        st = retain_doc_item(q->doc, L(q, "A promoter: ask for a reference or a referral."));
        n++;
    }
    if (st == RETAIN_OK && !n)
        st = retain_doc_item(q->doc, L(q, "No signal raised: keep the cadence."));
    return st;
}

retain_status retain_qbr_finish(retain_qbr *q, retain_diag *diag)
{
    retain_status st = customers_done(q, diag);
    if (st != RETAIN_OK)
        return st;
    size_t i;
    retain_events_find(q->ev, q->account, strlen(q->account), &i);
    retain_risk_options ro;
    retain_risk_defaults(&ro);
    ro.tables[RETAIN_EVENT_ACTIVITY] = q->tables[RETAIN_TABLE_EVENTS];
    ro.tables[RETAIN_EVENT_TICKET] = q->tables[RETAIN_TABLE_TICKETS];
    ro.tables[RETAIN_EVENT_ANSWER] = q->tables[RETAIN_TABLE_SURVEY];
    ro.has_mrr = q->has_mrr;
    ro.stages = q->o.stages;
    retain_risk_row risk;
    memset(&risk, 0, sizeof risk);
    bool active = retain_risk_eval(q->ev, &ro, i, q->as_of, &risk);

    char title[200], sub[200], label[16], day[RETAIN_LANG_BUFSIZE];
    retain_period_label(RETAIN_PERIOD_QUARTER, retain_period_of(RETAIN_PERIOD_QUARTER, q->as_of),
                        label);
    snprintf(title, sizeof title, "%s%s%s", L(q, "Quarterly business review"),
             retain_lang_colon(q->o.lang), q->account);
    retain_lang_date(q->o.lang, q->as_of, day);
    snprintf(sub, sizeof sub, "%s, %s %s", label, L(q, "as of"), day);
    if (!(q->doc = retain_doc_new(q->o.lang, title, sub)))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    st = account_section(q, i, &risk, active);
    if (st == RETAIN_OK)
        st = kinds_section(q, RETAIN_TABLE_EVENTS, L(q, "Usage and adoption"), "usage", false);
    if (st == RETAIN_OK)
        st = kinds_section(q, RETAIN_TABLE_TICKETS, L(q, "Tickets"), "tickets", true);
    if (st == RETAIN_OK)
        st = answers_section(q);
    if (st == RETAIN_OK)
        st = mrr_section(q, i);
    if (st == RETAIN_OK)
        st = rt_goals_table(&q->goals, &q->fig, q->doc);
    if (st == RETAIN_OK && !q->goals.n)
        st = rt_figures_omit(&q->fig, L(q, "Goals"), "no goals file (--goals)");
    if (st == RETAIN_OK)
        st = roi_section(q);
    if (st == RETAIN_OK)
        st = next_steps(q, &risk, active);
    if (st == RETAIN_OK)
        st = rt_figures_omitted(&q->fig, q->doc);
    if (st == RETAIN_OK && q->fig.failed)
        st = RETAIN_ERR_NOMEM;
    return st == RETAIN_OK ? st : rt_fail(diag, st, 0, NULL, "%s", retain_status_str(st));
}

const retain_doc *retain_qbr_document(const retain_qbr *q)
{
    return q->doc;
}

retain_day retain_qbr_as_of(const retain_qbr *q)
{
    return q->as_of;
}

void retain_qbr_free(retain_qbr *q)
{
    if (!q)
        return;
    retain_events_free(q->ev);
    for (size_t k = 0; k < q->nkinds; k++)
        free(q->kinds[k]);
    free(q->kinds);
    free(q->events);
    rt_goals_free(&q->goals);
    rt_figures_free(&q->fig);
    retain_doc_free(q->doc);
    free(q->account);
    free(q);
}
