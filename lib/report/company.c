/* The company report of a period (retain/report.h): the accumulators of
 * the subcommands fed from one read, their figures spelled for a reader,
 * the charts, the goals, and what was left out. */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/retain.h>
#include <retain/report.h>

#include "figures.h"
#include "internal.h"

/* How many periods the trend and the heatmap show, at most. */
#define TREND_MONTHS 24
#define TREND_QUARTERS 12
#define COHORTS_MONTHS 12
#define COHORTS_QUARTERS 8
/* Kaplan-Meier curves by segment only up to this many segments. */
#define MAX_CURVES 6
/* Reasons shown in the churn-by-reason chart; the others are summed. */
#define MAX_REASONS 7
/* Periods in the MRR movements chart. */
#define MOVES_MONTHS 12
#define MOVES_QUARTERS 8

enum { CUR, PREV, YEAR, NWHEN };

struct retain_report {
    retain_report_options o;
    char *segment_name;
    retain_stages *own_stages;
    const retain_stages *stages;
    retain_rate *rate;
    retain_churn *churn, *churn_reason, *churn_period;
    retain_cohort *cohort;
    retain_survival *sv, *sv_seg;
    retain_ltv_table *ltv[NWHEN];
    retain_mrr *mrr; /* MRR movements, NRR, GRR as retain mrr */
    bool any_mrr;
    /* with a spend table: new customers and LTV by channel (the segment),
     * as retain cac and retain ltv --by see them */
    retain_acquisition *spend;
    const char *spend_channel; /* the spend table's channel column, or NULL */
    retain_rate *rate_seg;
    retain_ltv_table *ltv_seg;
    /* the other tables, for the next steps (retain risk's signals) */
    retain_events *ev;
    bool customers_done, tables[RETAIN_TABLE_KINDS];
    /* the survey's answers as retain nps counts them (made at the first
     * answer, once the customers are done), and whether it has any on or
     * before as-of */
    retain_nps *nps;
    bool nps_done;
    rt_goals goals;
    rt_figures fig;
    retain_doc *doc;
    retain_day as_of;
    int32_t period[NWHEN]; /* period indexes; INT32_MIN when out of the data */
};

static retain_status fail_nomem(retain_diag *diag)
{
    return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
}

retain_report *retain_report_new(const retain_report_options *options, retain_diag *diag)
{
    retain_report_options o = *options;
    if (o.period != RETAIN_PERIOD_MONTH && o.period != RETAIN_PERIOD_QUARTER) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "a report is of a month or a quarter");
        return NULL;
    }
    if (o.margin == 0)
        o.margin = 1;
    if (o.precision < 0 || o.precision > 9) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "the precision is 0 to 9 decimals");
        return NULL;
    }
    if (!(o.margin > 0 && o.margin <= 1)) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "the margin is a fraction in (0, 1]");
        return NULL;
    }
    retain_report *r = calloc(1, sizeof *r);
    if (!r) {
        fail_nomem(diag);
        return NULL;
    }
    r->o = o;
    r->segment_name = rt_strdup(o.segment_name ? o.segment_name : "segment");
    r->stages = o.stages;
    if (!r->stages)
        r->stages = r->own_stages = retain_stages_parse(NULL, diag);
    retain_rate_options ro = {
        .period = o.period, .has_as_of = o.has_as_of, .as_of = o.as_of, .merge_gap = o.merge_gap};
    retain_churn_options co = {.stages = r->stages,
                               .period = o.period,
                               .has_as_of = o.has_as_of,
                               .as_of = o.as_of,
                               .merge_gap = o.merge_gap};
    retain_cohort_options ho = {
        .period = o.period, .has_as_of = o.has_as_of, .as_of = o.as_of, .merge_gap = o.merge_gap};
    retain_survival_options so = {
        .has_as_of = o.has_as_of, .as_of = o.as_of, .merge_gap = o.merge_gap};
    r->rate = retain_rate_new(&ro);
    if (r->stages) {
        r->churn = retain_churn_new(&co);
        co.reasons = true;
        r->churn_reason = retain_churn_new(&co);
        co.reasons = false;
        co.by_period = true;
        r->churn_period = retain_churn_new(&co);
    }
    r->cohort = retain_cohort_new(&ho);
    retain_mrr_options mo = {
        .period = o.period, .has_as_of = o.has_as_of, .as_of = o.as_of, .merge_gap = o.merge_gap};
    r->mrr = retain_mrr_new(&mo);
    r->sv = retain_survival_new(&so);
    so.segments = true;
    r->sv_seg = o.segment_extra >= 0 ? retain_survival_new(&so) : NULL;
    /* LTV as of the end of the previous period and of the one a year
     * earlier needs those days before the rows come: with --as-of only */
    int32_t p = retain_period_of(o.period, o.as_of);
    int32_t lag = o.period == RETAIN_PERIOD_MONTH ? 12 : 4;
    retain_day when[NWHEN] = {o.as_of, retain_period_last_day(o.period, p - 1),
                              retain_period_last_day(o.period, p - lag)};
    bool ok = true;
    for (int k = 0; k < NWHEN && (k == CUR || o.has_as_of); k++) {
        retain_ltv_table_options lo = {
            .has_as_of = o.has_as_of, .as_of = when[k], .window = 12, .merge_gap = o.merge_gap};
        ok = ok && (r->ltv[k] = retain_ltv_table_new(&lo)) != NULL;
    }
    r->fig.lang = o.lang;
    retain_day cut = o.as_of;
    /* usage over the 30 days ending on as-of against the 30 before (as
     * retain risk --window 30) */
    retain_events_options eo = {.cutoffs = &cut,
                                .n_cutoffs = 1,
                                .usage_window = 30,
                                .before_latest_start = !o.has_as_of,
                                .merge_gap = o.merge_gap};
    if (!o.has_as_of)
        cut = 0; /* days before the latest start */
    /* the customers' event state (memory per customer) only for the next
     * steps, when other tables come */
    if (o.other_tables)
        ok = ok && (r->ev = retain_events_new(&eo, diag)) != NULL;
    if (!ok || !r->segment_name || !r->stages || !r->rate || !r->churn || !r->churn_reason ||
        !r->churn_period || !r->cohort || !r->mrr || !r->sv ||
        (o.segment_extra >= 0 && !r->sv_seg) || !r->ltv[CUR]) {
        if (r->stages)
            fail_nomem(diag);
        retain_report_free(r);
        return NULL;
    }
    return r;
}

retain_status retain_report_row(const retain_row *row, void *report, retain_diag *diag)
{
    retain_report *r = report;
    const char *seg = NULL;
    size_t seglen = 0;
    if (r->o.segment_extra >= 0)
        seg = row->extra[r->o.segment_extra], seglen = row->extra_len[r->o.segment_extra];
    retain_money mrr = row->has_mrr ? row->mrr : 0;
    r->any_mrr = r->any_mrr || row->has_mrr;
    const char *id = row->id;
    size_t idl = row->id_len;
    /* rate, cohort, LTV and MRR through their row functions: an exact duplicate
     * row (retain_row.fingerprint) is left out as the subcommands leave it
     * out (the lives of churn and survival see a copy as the same life) */
    retain_status st = retain_rate_add_row(row, r->rate, diag);
    if (st == RETAIN_OK)
        st = retain_cohort_add_row(row, r->cohort, diag);
    if (st == RETAIN_OK && r->rate_seg)
        st = retain_rate_add_row(row, r->rate_seg, diag);
    if (st == RETAIN_OK && r->ltv_seg)
        st = retain_ltv_table_add_row(row, r->ltv_seg, diag);
    for (int k = 0; k < NWHEN && st == RETAIN_OK; k++)
        if (r->ltv[k])
            st = retain_ltv_table_add_row(row, r->ltv[k], diag);
    if (st == RETAIN_OK) /* as retain mrr: a row without an MRR at 0 */
        st = retain_mrr_add_row(row, r->mrr, diag);
    if (st != RETAIN_OK)
        return st; /* diag says why, with the line */
    st = retain_churn_add(r->churn, id, idl, NULL, 0, NULL, 0, row->start, row->end, row->has_end,
                          mrr);
    if (st == RETAIN_OK)
        st = retain_churn_add(r->churn_reason, id, idl, NULL, 0, row->reason ? row->reason : "",
                              row->reason_len, row->start, row->end, row->has_end, mrr);
    if (st == RETAIN_OK)
        st = retain_churn_add(r->churn_period, id, idl, NULL, 0, NULL, 0, row->start, row->end,
                              row->has_end, mrr);
    if (st == RETAIN_OK)
        st = retain_survival_add(r->sv, id, idl, NULL, 0, row->start, row->end, row->has_end, mrr);
    if (st == RETAIN_OK && r->sv_seg)
        st = retain_survival_add(r->sv_seg, id, idl, seg, seglen, row->start, row->end,
                                 row->has_end, mrr);
    if (st == RETAIN_OK && r->ev &&
        (st = retain_events_add_customer_row(r->ev, row, false, diag)) != RETAIN_OK)
        return st; /* diag says why */
    if (st != RETAIN_OK)
        return rt_fail(diag, st, row->line, NULL, "%s",
                       st == RETAIN_ERR_DATA && row->has_end && row->end < row->start
                           ? "the end is before the start"
                           : retain_status_str(st));
    return RETAIN_OK;
}

retain_status retain_report_spend(retain_report *r, const retain_table *spend, retain_diag *diag)
{
    if (r->spend)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "one spend table at most");
    /* the segment is the row's first extra column (--by) */
    bool seg = r->o.segment_extra == 0;
    retain_rate_options ro = {.period = r->o.period,
                              .has_as_of = r->o.has_as_of,
                              .as_of = r->o.as_of,
                              .merge_gap = r->o.merge_gap,
                              .segments = seg};
    retain_ltv_table_options lo = {.has_as_of = r->o.has_as_of,
                                   .as_of = r->o.as_of,
                                   .window = 12,
                                   .merge_gap = r->o.merge_gap,
                                   .segments = seg};
    r->spend = retain_acquisition_new();
    r->rate_seg = retain_rate_new(&ro);
    r->ltv_seg = retain_ltv_table_new(&lo);
    if (!r->spend || !r->rate_seg || !r->ltv_seg)
        return fail_nomem(diag);
    /* the channels are the --by column's values, as retain cac --by */
    retain_spend_options so = {.period = r->o.period,
                               .segment = r->o.segment_extra >= 0 ? r->segment_name : NULL};
    return retain_spend_table_add(r->spend, spend, &so, &r->spend_channel, diag);
}

retain_status retain_report_goals(retain_report *r, const retain_table *goals, retain_diag *diag)
{
    return rt_goals_read(&r->goals, goals, r->stages, false, diag);
}

static retain_status other_row(retain_report *r, retain_table_kind table, const retain_row *row,
                               retain_diag *diag)
{
    if (!r->ev)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "the report was made without other_tables: no event table");
    if (!r->customers_done) {
        r->customers_done = true;
        retain_status st = retain_events_customers_done(r->ev, diag);
        if (st != RETAIN_OK)
            return st;
    }
    r->tables[table] = true;
    if (table != RETAIN_TABLE_SURVEY || !row->has_score)
        return retain_events_add_row(r->ev, table, row, diag);
    /* an answer goes to the customers' events through retain nps, which
     * adds it there (once: risk's signals read it from the same place) */
    if (!r->nps) { /* as retain nps --period P --as-of AS_OF SURVEY CUSTOMERS */
        retain_nps_options no = {.period = r->o.period,
                                 .has_as_of = true,
                                 .as_of = retain_events_as_of(r->ev),
                                 .below = 9};
        if (!(r->nps = retain_nps_new(&no, r->ev, diag)))
            return RETAIN_ERR_NOMEM;
    }
    return retain_nps_add(r->nps, row->id_len ? row->id : NULL, row->id_len, row->date, row->score,
                          NULL, 0, row->line, diag);
}

unsigned long retain_report_duplicates(const retain_report *r, uint64_t *place, uint64_t *of)
{
    return retain_rate_duplicates(r->rate, place, of);
}

uint64_t retain_report_unknown(const retain_report *r, retain_table_kind table,
                               unsigned long *first_line)
{
    *first_line = 0;
    if (table == RETAIN_TABLE_SURVEY && r->nps) /* the answers retain nps counts */
        return retain_nps_unknown(r->nps, first_line);
    if (!r->ev || !r->customers_done)
        return 0;
    return retain_events_unknown(r->ev,
                                 table == RETAIN_TABLE_EVENTS    ? RETAIN_EVENT_ACTIVITY
                                 : table == RETAIN_TABLE_TICKETS ? RETAIN_EVENT_TICKET
                                                                 : RETAIN_EVENT_ANSWER,
                                 first_line);
}

retain_status retain_report_events(const retain_row *row, void *report, retain_diag *diag)
{
    return other_row(report, RETAIN_TABLE_EVENTS, row, diag);
}
retain_status retain_report_tickets(const retain_row *row, void *report, retain_diag *diag)
{
    return other_row(report, RETAIN_TABLE_TICKETS, row, diag);
}
retain_status retain_report_answers(const retain_row *row, void *report, retain_diag *diag)
{
    return other_row(report, RETAIN_TABLE_SURVEY, row, diag);
}

/* ---- figures ---- */

static const char *L(const retain_report *r, const char *key)
{
    return retain_lang_label(r->o.lang, key);
}

static bool rate_row(const retain_report *r, int32_t period, retain_rate_row *row)
{
    size_t n = retain_rate_periods(r->rate);
    for (size_t i = 0; i < n; i++) {
        retain_rate_get(r->rate, 0, i, row);
        if (row->period == period)
            return true;
    }
    return false;
}

static void rate_figures(retain_report *r)
{
    rt_figure *customers = rt_figure_add(&r->fig, "customers", L(r, "Customers"), true, false);
    rt_figure *added = rt_figure_add(&r->fig, "new", L(r, "New customers"), true, false);
    rt_figure *lost = rt_figure_add(&r->fig, "lost", L(r, "Lost"), false, false);
    rt_figure *ret = rt_figure_add(&r->fig, "retention_pct", L(r, "Retention (TRC)"), true, true);
    rt_figure *churn = rt_figure_add(&r->fig, "churn_pct", L(r, "Churn (TRC)"), false, true);
    rt_figure *kept = rt_figure_add(&r->fig, "kept_pct", L(r, "Customers kept"), true, true);
    if (!customers || !added || !lost || !ret || !churn || !kept)
        return;
    for (int k = 0; k < NWHEN; k++) {
        retain_rate_row row;
        if (!rate_row(r, r->period[k], &row))
            continue;
        int64_t joined = row.new_customers + row.reactivated;
        snprintf(customers->v[k], sizeof customers->v[k], "%lld", (long long)row.customers_end);
        snprintf(added->v[k], sizeof added->v[k], "%lld", (long long)row.new_customers);
        snprintf(lost->v[k], sizeof lost->v[k], "%lld", (long long)row.lost);
        retain_retention_pct(row.customers_start, row.customers_end, joined, r->o.precision,
                             ret->v[k]);
        retain_churn_pct(row.customers_start, row.customers_end, joined, r->o.precision,
                         churn->v[k]);
        retain_format_ratio(row.kept, row.customers_start, 100, r->o.precision, kept->v[k]);
    }
}

static bool mrr_row(const retain_report *r, int32_t period, retain_mrr_row *row)
{
    for (size_t i = 0; i < retain_mrr_periods(r->mrr); i++) {
        retain_mrr_get(r->mrr, 0, i, row);
        if (row->period == period)
            return true;
    }
    return false;
}

/* MRR at the period's end, NRR and GRR, as retain mrr prints them */
static void mrr_figures(retain_report *r)
{
    rt_figure *mrr = rt_figure_add(&r->fig, "mrr", L(r, "MRR"), true, false);
    rt_figure *nrr = rt_figure_add(&r->fig, "nrr_pct", L(r, "NRR"), true, true);
    rt_figure *grr = rt_figure_add(&r->fig, "grr_pct", L(r, "GRR"), true, true);
    for (int k = 0; mrr && nrr && grr && k < NWHEN; k++) {
        retain_mrr_row row;
        if (!mrr_row(r, r->period[k], &row))
            continue;
        retain_money_format(row.mrr_end, r->o.precision, mrr->v[k]);
        retain_mrr_nrr_pct(&row, r->o.precision, nrr->v[k]);
        retain_mrr_grr_pct(&row, r->o.precision, grr->v[k]);
    }
}

/* NPS of the three periods, as retain nps prints it: promoters_pct -
 * detractors_pct from the exact fraction */
static void nps_figures(retain_report *r)
{
    rt_figure *f = rt_figure_add(&r->fig, "nps", L(r, "NPS"), true, false);
    for (size_t p = 0; f && p < retain_nps_periods(r->nps); p++)
        for (int k = 0; k < NWHEN; k++)
            if (retain_nps_period(r->nps, p) == r->period[k]) {
                retain_nps_cell cell;
                retain_nps_get(r->nps, 0, p, &cell);
                retain_format_ratio(cell.promoters - cell.detractors, cell.responses, 100,
                                    r->o.precision, f->v[k]);
            }
}

static void stage_figures(retain_report *r)
{
    size_t np = retain_churn_periods(r->churn_period);
    for (size_t s = 0; s < retain_stages_count(r->stages); s++) {
        char key[96], label[160];
        const char *name = retain_stages_name(r->stages, s);
        snprintf(key, sizeof key, "churn_pct:%s", name);
        snprintf(label, sizeof label, "%s%s%s", L(r, "Churn by stage"),
                 retain_lang_colon(r->o.lang), name);
        rt_figure *f = rt_figure_add(&r->fig, key, label, false, true);
        if (!f)
            return;
        for (size_t p = 0; p < np; p++)
            for (int k = 0; k < NWHEN; k++)
                if (retain_churn_period(r->churn_period, p) == r->period[k]) {
                    retain_churn_cell cell;
                    retain_churn_get(r->churn_period, 0, p, s, 0, &cell);
                    retain_format_ratio(cell.churned, cell.entered, 100, r->o.precision, f->v[k]);
                }
    }
}

static void ltv_figures(retain_report *r)
{
    rt_figure *arpu = rt_figure_add(&r->fig, "arpu", L(r, "ARPU"), true, false);
    rt_figure *ltv = rt_figure_add(&r->fig, "ltv", L(r, "LTV"), true, false);
    if (!arpu || !ltv)
        return;
    for (int k = 0; k < NWHEN; k++) {
        if (!r->ltv[k])
            continue;
        retain_ltv_inputs in;
        retain_ltv_table_get(r->ltv[k], 0, &in);
        if (!in.arpu.defined)
            continue;
        retain_format_money_ratio(in.mrr_sum, in.customers, r->o.precision, arpu->v[k]);
        retain_value v = {0, false};
        /* as retain ltv from a customer table: no discount */
        if (in.churn.defined)
            retain_ltv_discounted(in.arpu.value, r->o.margin, in.churn.value, 0, &v, NULL);
        if (v.defined)
            retain_format_real(v.value, r->o.precision, ltv->v[k]);
    }
}

/* ---- charts ---- */

static double number_of(const char *text)
{
    retain_money m;
    if (retain_money_parse(text, strlen(text), '.', &m) != RETAIN_MONEY_OK)
        return NAN;
    return (double)m / RETAIN_MONEY_SCALE;
}

static retain_status trend_chart(retain_report *r)
{
    retain_chart *c =
        retain_chart_new(RETAIN_CHART_LINES, "retention-trend", L(r, "Retention by period (TRC)"));
    size_t s;
    if (!c || retain_chart_series(c, L(r, "Retention (TRC)"), -1, &s) != RETAIN_OK ||
        retain_chart_axes(c, NULL, NULL, "%", r->o.lang) != RETAIN_OK) {
        retain_chart_free(c);
        return RETAIN_ERR_NOMEM;
    }
    size_t n = retain_rate_periods(r->rate);
    size_t keep = r->o.period == RETAIN_PERIOD_MONTH ? TREND_MONTHS : TREND_QUARTERS;
    size_t first = n > keep ? n - keep : 0, defined = 0;
    for (size_t i = first; i < n; i++) {
        retain_rate_row row;
        retain_rate_get(r->rate, 0, i, &row);
        char label[16], pct[RETAIN_NUMBER_BUFSIZE];
        retain_period_label(r->o.period, row.period, label);
        if (retain_chart_category(c, label) != RETAIN_OK) {
            retain_chart_free(c);
            return RETAIN_ERR_NOMEM;
        }
        if (retain_retention_pct(row.customers_start, row.customers_end,
                                 row.new_customers + row.reactivated, 2, pct)) {
            retain_chart_value(c, s, i - first, number_of(pct));
            defined++;
        }
    }
    if (!defined) {
        retain_chart_free(c);
        return rt_figures_omit(&r->fig, L(r, "Retention trend"),
                               "no period with customers at its start");
    }
    return retain_doc_chart(r->doc, c, 210);
}

/* MRR movements per period: gains stacked above the axis, losses below */
static retain_status moves_chart(retain_report *r)
{
    static const char *const names[5] = {"new", "expansion", "reactivation", "contraction",
                                         "churned"};
    /* Okabe-Ito: greens and blues up, orange and vermillion down */
    static const int32_t colours[5] = {0x009E73, 0x56B4E9, 0x0072B2, 0xE69F00, 0xD55E00};
    retain_chart *c = retain_chart_new(RETAIN_CHART_BARS, "mrr-movements", L(r, "MRR movements"));
    retain_status st =
        c ? retain_chart_axes(c, NULL, L(r, "MRR"), NULL, r->o.lang) : RETAIN_ERR_NOMEM;
    for (int s = 0; s < 5 && st == RETAIN_OK; s++)
        st = retain_chart_series(c, L(r, names[s]), colours[s], NULL);
    size_t n = retain_mrr_periods(r->mrr);
    size_t keep = r->o.period == RETAIN_PERIOD_MONTH ? MOVES_MONTHS : MOVES_QUARTERS;
    size_t first = n > keep ? n - keep : 0, bars = 0;
    for (size_t i = first; i < n && st == RETAIN_OK; i++) {
        retain_mrr_row row;
        retain_mrr_get(r->mrr, 0, i, &row);
        char label[16];
        retain_period_label(r->o.period, row.period, label);
        st = retain_chart_category(c, label);
        const retain_money v[5] = {row.new_mrr, row.expansion, row.reactivation, -row.contraction,
                                   -row.churned};
        for (int s = 0; s < 5 && st == RETAIN_OK; s++)
            if (v[s]) { /* no movement: no bar, never a bar of 0 */
                st = retain_chart_value(c, (size_t)s, i - first, (double)v[s] / RETAIN_MONEY_SCALE);
                bars++;
            }
    }
    if (st != RETAIN_OK || !bars) {
        retain_chart_free(c);
        return st != RETAIN_OK ? st
                               : rt_figures_omit(&r->fig, L(r, "MRR movements"),
                                                 "no MRR moved in these periods");
    }
    return retain_doc_chart(r->doc, c, 230);
}

static retain_status cohort_chart(retain_report *r)
{
    size_t n = retain_cohort_cohorts(r->cohort);
    size_t keep = r->o.period == RETAIN_PERIOD_MONTH ? COHORTS_MONTHS : COHORTS_QUARTERS;
    size_t first = n > keep ? n - keep : 0;
    retain_chart *c = retain_chart_new(RETAIN_CHART_HEATMAP, "cohorts", L(r, "Cohort retention"));
    if (!c || retain_chart_axes(c, L(r, "Age (periods)"), NULL, NULL, r->o.lang) != RETAIN_OK) {
        retain_chart_free(c);
        return RETAIN_ERR_NOMEM;
    }
    int32_t ages = 0;
    for (size_t k = first; k < n; k++) {
        retain_cohort_cell cell;
        retain_cohort_get(r->cohort, 0, k, 0, &cell);
        if (cell.size > 0 && cell.ages > ages)
            ages = cell.ages;
    }
    for (int32_t a = 0; a < ages; a++) {
        char label[16];
        snprintf(label, sizeof label, "%d", (int)a);
        retain_chart_category(c, label);
    }
    size_t rows = 0;
    for (size_t k = first; k < n; k++) {
        retain_cohort_cell cell;
        retain_cohort_get(r->cohort, 0, k, 0, &cell);
        if (cell.size == 0)
            continue; /* an empty cohort has no rate: no row */
        char label[16];
        retain_period_label(r->o.period, cell.cohort, label);
        size_t s;
        if (retain_chart_series(c, label, -1, &s) != RETAIN_OK) {
            retain_chart_free(c);
            return RETAIN_ERR_NOMEM;
        }
        rows++;
        for (int32_t a = 0; a < cell.ages; a++) {
            retain_cohort_cell at;
            char pct[RETAIN_NUMBER_BUFSIZE];
            if (retain_cohort_get(r->cohort, 0, k, a, &at) &&
                retain_format_ratio(at.active, at.size, 100, 2, pct))
                retain_chart_value(c, s, (size_t)a, number_of(pct));
        }
    }
    if (!rows) {
        retain_chart_free(c);
        return rt_figures_omit(&r->fig, L(r, "Cohort retention"), "no cohort");
    }
    return retain_doc_chart(r->doc, c, 60 + 14.0 * (double)rows);
}

static retain_status km_curve(retain_chart *c, const retain_survival *sv, size_t g,
                              const char *name)
{
    size_t s, n;
    retain_status st = retain_chart_series(c, name, -1, &s);
    const retain_km_step *steps = retain_survival_curve(sv, g, &n);
    if (st == RETAIN_OK)
        st = retain_chart_point(c, s, 0, 1, false, 0, 0);
    for (size_t i = 0; i < n && st == RETAIN_OK; i++) {
        double lo = 0, hi = 0;
        bool band = retain_km_ci(&steps[i], 0.95, &lo, &hi);
        st = retain_chart_point(c, s, steps[i].t, steps[i].survival, band, lo, hi);
    }
    return st;
}

static retain_status survival_chart(retain_report *r)
{
    const retain_survival *sv = r->sv;
    size_t nseg = r->sv_seg ? retain_survival_segments(r->sv_seg) : 0;
    char title[200];
    if (nseg >= 2 && nseg <= MAX_CURVES) {
        sv = r->sv_seg;
        snprintf(title, sizeof title, "%s %s (95 %%)", L(r, "Survival (Kaplan-Meier) by"),
                 r->segment_name);
    } else {
        snprintf(title, sizeof title, "%s (95 %%)", L(r, "Survival (Kaplan-Meier)"));
        if (nseg > MAX_CURVES)
            rt_figures_omit(&r->fig, L(r, "Survival (Kaplan-Meier)"),
                            "one curve per segment: more than six segments");
    }
    retain_chart *c = retain_chart_new(RETAIN_CHART_STEPS, "survival", title);
    retain_status st =
        c ? retain_chart_axes(c, L(r, "Tenure (days)"), NULL, "%", r->o.lang) : RETAIN_ERR_NOMEM;
    if (st == RETAIN_OK) {
        retain_chart_y_range(c, 0, 1);
        retain_chart_y_scale(c, 100);
    }
    for (size_t g = 0; g < retain_survival_segments(sv) && st == RETAIN_OK; g++) {
        size_t len;
        const char *name = retain_survival_segment(sv, g, &len);
        st = km_curve(c, sv, g, sv == r->sv ? L(r, "all") : len ? name : "(empty)");
    }
    if (st != RETAIN_OK) {
        retain_chart_free(c);
        return st;
    }
    return retain_doc_chart(r->doc, c, 230);
}

static retain_status stage_chart(retain_report *r)
{
    retain_chart *c =
        retain_chart_new(RETAIN_CHART_GROUPED, "churn-stages", L(r, "Churn by stage"));
    size_t s;
    if (!c || retain_chart_series(c, L(r, "Churn %"), -1, &s) != RETAIN_OK ||
        retain_chart_axes(c, NULL, NULL, "%", r->o.lang) != RETAIN_OK) {
        retain_chart_free(c);
        return RETAIN_ERR_NOMEM;
    }
    size_t defined = 0;
    for (size_t k = 0; k < retain_stages_count(r->stages); k++) {
        retain_chart_category(c, retain_stages_name(r->stages, k));
        retain_churn_cell cell;
        retain_churn_get(r->churn, 0, 0, k, 0, &cell);
        char pct[RETAIN_NUMBER_BUFSIZE];
        if (retain_format_ratio(cell.churned, cell.entered, 100, 2, pct)) {
            retain_chart_value(c, s, k, number_of(pct));
            defined++;
        }
    }
    if (!defined) {
        retain_chart_free(c);
        return rt_figures_omit(&r->fig, L(r, "Churn by stage"), "no life entered a stage");
    }
    return retain_doc_chart(r->doc, c, 200);
}

static retain_status reason_chart(retain_report *r)
{
    size_t nr = retain_churn_reasons(r->churn_reason), ns = retain_stages_count(r->stages);
    size_t len;
    if (nr == 0 ||
        (nr == 1 && strcmp(retain_churn_reason(r->churn_reason, 0, &len), "unknown") == 0))
        return rt_figures_omit(&r->fig, L(r, "Churn by reason"), "no churn reason column");
    /* the reasons with the most churn, the others together */
    int64_t *total = calloc(nr, sizeof *total);
    size_t *order = calloc(nr, sizeof *order);
    if (!total || !order) {
        free(total);
        free(order);
        return RETAIN_ERR_NOMEM;
    }
    for (size_t i = 0; i < nr; i++) {
        order[i] = i;
        for (size_t k = 0; k < ns; k++) {
            retain_churn_cell cell;
            retain_churn_get(r->churn_reason, 0, 0, k, i, &cell);
            total[i] += cell.churned;
        }
    }
    for (size_t i = 1; i < nr; i++) /* insertion sort: most first, then byte order */
        for (size_t j = i; j > 0 && total[order[j]] > total[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    retain_chart *c = retain_chart_new(RETAIN_CHART_BARS, "churn-reasons", L(r, "Churn by reason"));
    retain_status st =
        c ? retain_chart_axes(c, NULL, L(r, "Churned"), NULL, r->o.lang) : RETAIN_ERR_NOMEM;
    for (size_t k = 0; k < ns && st == RETAIN_OK; k++)
        st = retain_chart_category(c, retain_stages_name(r->stages, k));
    size_t shown = nr > MAX_REASONS + 1 ? MAX_REASONS : nr;
    for (size_t j = 0; j <= shown && st == RETAIN_OK; j++) {
        if (j == shown && shown == nr)
            break;
        size_t s;
        const char *name =
            j < shown ? retain_churn_reason(r->churn_reason, order[j], &len) : L(r, "other");
        st = retain_chart_series(c, name, -1, &s);
        for (size_t k = 0; k < ns && st == RETAIN_OK; k++) {
            int64_t v = 0;
            for (size_t i = j; i < (j < shown ? j + 1 : nr); i++) {
                retain_churn_cell cell;
                retain_churn_get(r->churn_reason, 0, 0, k, order[i], &cell);
                v += cell.churned;
            }
            if (v)
                st = retain_chart_value(c, s, k, (double)v);
        }
    }
    free(total);
    free(order);
    if (st != RETAIN_OK) {
        retain_chart_free(c);
        return st;
    }
    return retain_doc_chart(r->doc, c, 240);
}

/* ---- CAC and LTV:CAC by channel: retain cac's rows of the period ---- */

static retain_status cac_section(retain_report *r, retain_diag *diag)
{
    if (!r->spend)
        return rt_figures_omit(&r->fig, L(r, "CAC and LTV:CAC by channel"),
                               "no spend table (--spend-table)");
    if (r->spend_channel && r->o.segment_extra < 0)
        return rt_figures_omit(&r->fig, L(r, "CAC and LTV:CAC by channel"),
                               "the spend table has channels: name the customer table's with --by");
    retain_status st = retain_acquisition_add_rate(r->spend, r->rate_seg);
    if (st != RETAIN_OK)
        return st;
    const char *head[7] = {L(r, "Channel"),
                           L(r, "Spend"),
                           L(r, "New customers"),
                           L(r, "CAC"),
                           L(r, "LTV"),
                           L(r, "LTV:CAC"),
                           ""};
    char label[16];
    retain_period_label(r->o.period, r->period[CUR], label);
    char title[120];
    snprintf(title, sizeof title, "%s, %s", L(r, "CAC and LTV:CAC by channel"), label);
    retain_chart *c = retain_chart_new(RETAIN_CHART_GROUPED, "ltv-cac", title);
    size_t series;
    if (!c || retain_chart_series(c, L(r, "LTV:CAC"), -1, &series) != RETAIN_OK ||
        retain_chart_axes(c, NULL, NULL, NULL, r->o.lang) != RETAIN_OK) {
        retain_chart_free(c);
        return RETAIN_ERR_NOMEM;
    }
    st = retain_doc_heading(r->doc, title);
    if (st == RETAIN_OK)
        st = retain_doc_table(r->doc, "cac", 6, head);
    size_t bars = 0, rows = 0;
    for (size_t i = 0; i < retain_acquisition_rows(r->spend) && st == RETAIN_OK; i++) {
        const retain_acquisition_row *row = retain_acquisition_row_at(r->spend, i);
        if (row->period != r->period[CUR])
            continue;
        /* the channel's LTV as retain ltv --by prints it, joined as retain cac does */
        retain_value ltv = {0, false};
        for (size_t g = 0; g < retain_ltv_table_segments(r->ltv_seg); g++) {
            size_t len;
            const char *name = retain_ltv_table_segment(r->ltv_seg, g, &len);
            retain_ltv_inputs in;
            retain_ltv_table_get(r->ltv_seg, g, &in);
            if (len == row->channel_len && memcmp(name, row->channel, len) == 0 &&
                in.arpu.defined && in.churn.defined)
                retain_ltv_discounted(in.arpu.value, r->o.margin, in.churn.value, 0, &ltv, NULL);
        }
        retain_cac_join_options jo = {
            .ltv = ltv, .margin = {r->o.margin, true}, .min_ratio = 3, .period = r->o.period};
        retain_cac_join *join = retain_cac_join_new(&jo, diag);
        retain_cac_row out;
        st = join ? retain_cac_join_row(join, row, &out, diag) : RETAIN_ERR_NOMEM;
        retain_cac_join_free(join);
        if (st != RETAIN_OK)
            break;
        char name[128], cell[5][RETAIN_NUMBER_BUFSIZE] = {"", "", "", "", ""};
        snprintf(name, sizeof name, "%.*s", (int)(row->channel_len < 100 ? row->channel_len : 100),
                 row->channel);
        if (row->spend_defined)
            retain_money_format(row->spend, r->o.precision < 6 ? r->o.precision : 6, cell[0]);
        if (row->has_new)
            snprintf(cell[1], sizeof cell[1], "%lld", (long long)row->new_customers);
        if (out.cac.defined) /* exact from the amount, as retain cac */
            retain_format_money_ratio(row->spend, row->new_customers, r->o.precision, cell[2]);
        if (out.ltv.defined)
            retain_format_real(out.ltv.value, r->o.precision, cell[3]);
        if (out.ltv_cac.defined)
            retain_format_real(out.ltv_cac.value, r->o.precision, cell[4]);
        st = retain_doc_cell(r->doc, row->channel_len ? name : L(r, "all"), RETAIN_TONE_PLAIN);
        for (int k = 0; k < 5 && st == RETAIN_OK; k++) {
            char text[RETAIN_LANG_BUFSIZE];
            rt_spell(r->o.lang, cell[k], false, text);
            st = retain_doc_cell(
                r->doc, text, k == 4 && out.below_min_ratio ? RETAIN_TONE_BAD : RETAIN_TONE_PLAIN);
        }
        rows++;
        if (st == RETAIN_OK &&
            retain_chart_category(c, row->channel_len ? name : L(r, "all")) == RETAIN_OK &&
            out.ltv_cac.defined) {
            retain_chart_value(c, series, rows - 1, out.ltv_cac.value);
            bars++;
        }
    }
    if (st != RETAIN_OK || !bars) {
        retain_chart_free(c);
        return st;
    }
    return retain_doc_chart(r->doc, c, 200);
}

/* ---- next steps: retain risk's rows, largest MRR first ---- */

#define NEXT_STEPS_ROWS 5

typedef enum { AT_RISK, EXPANSION } step_kind;

static bool step_wants(step_kind k, const retain_risk_row *x)
{
    switch (k) {
    case AT_RISK:
        return x->zone == 3;
    case EXPANSION: /* promoters whose usage grows (from some: a change defined) */
        return x->has_nps && x->nps >= 9 && x->has_usage && x->usage_before > 0 &&
               x->usage > x->usage_before;
    }
    return false;
}

/* MRR descending, then id in byte order, as retain risk sorts a zone */
static int by_mrr(const void *a, const void *b, void *events)
{
    const retain_risk_row *x = *(const retain_risk_row *const *)a;
    const retain_risk_row *y = *(const retain_risk_row *const *)b;
    if (x->mrr != y->mrr)
        return x->mrr > y->mrr ? -1 : 1;
    size_t lx, ly;
    const char *ix = retain_events_id(events, x->customer, &lx);
    const char *iy = retain_events_id(events, y->customer, &ly);
    int c = memcmp(ix, iy, lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}

static retain_status step_table(retain_report *r, const retain_risk *risk, step_kind k,
                                const char *title, const char *why_none)
{
    size_t n = retain_risk_count(risk), m = 0;
    const retain_risk_row **rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows)
        return RETAIN_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (step_wants(k, retain_risk_get(risk, i)))
            rows[m++] = retain_risk_get(risk, i);
    qsort_r(rows, m, sizeof *rows, by_mrr, r->ev);
    retain_status st = RETAIN_OK;
    if (!m) {
        st = retain_doc_paragraph(r->doc, why_none);
        free(rows);
        return st;
    }
    const char *head[5] = {title, L(r, "MRR"), L(r, "Health"), L(r, "NPS"), L(r, "Signals")};
    st = retain_doc_table(r->doc, NULL, 5, head);
    for (size_t j = 0; j < m && j < NEXT_STEPS_ROWS && st == RETAIN_OK; j++) {
        const retain_risk_row *x = rows[j];
        size_t len;
        const char *id = retain_events_id(r->ev, x->customer, &len);
        char idbuf[128], plain[RETAIN_NUMBER_BUFSIZE], text[RETAIN_LANG_BUFSIZE], sig[200] = "";
        snprintf(idbuf, sizeof idbuf, "%.*s", (int)(len < 100 ? len : 100), id);
        retain_money_format(x->mrr, r->o.precision, plain);
        retain_lang_number(r->o.lang, plain, text);
        st = retain_doc_cell(r->doc, idbuf, RETAIN_TONE_PLAIN);
        if (st == RETAIN_OK)
            st = retain_doc_cell(r->doc, text, RETAIN_TONE_PLAIN);
        snprintf(plain, sizeof plain, "%d", x->health);
        if (st == RETAIN_OK)
            st = retain_doc_cell(r->doc, plain, x->zone == 3 ? RETAIN_TONE_BAD : RETAIN_TONE_PLAIN);
        snprintf(plain, sizeof plain, "%d", x->nps);
        if (st == RETAIN_OK)
            st = retain_doc_cell(r->doc, x->has_nps ? plain : "", RETAIN_TONE_PLAIN);
        for (int sgn = 0; sgn < RETAIN_SIGNALS; sgn++)
            if (x->signals & (1u << sgn))
                snprintf(sig + strlen(sig), sizeof sig - strlen(sig), "%s%s", *sig ? ", " : "",
                         retain_signal_name((retain_signal)sgn));
        if (st == RETAIN_OK)
            st = retain_doc_cell(r->doc, sig, RETAIN_TONE_PLAIN);
    }
    free(rows);
    return st;
}

/* retain nps --below 9's call list, the customers active on as-of (with
 * an MRR): the latest answer below 9, largest MRR first */
static retain_status call_table(retain_report *r)
{
    const char *head[5] = {L(r, "Detractors to call (below 9)"), L(r, "MRR"), L(r, "Score"),
                           L(r, "Date"), L(r, "Tenure (days)")};
    retain_status st = RETAIN_OK;
    size_t shown = 0;
    for (size_t k = 0; r->nps_done && k < retain_nps_calls(r->nps) && st == RETAIN_OK; k++) {
        const retain_nps_call *call = retain_nps_call_get(r->nps, k);
        if (!call->has_life)
            continue;
        if (shown++ == NEXT_STEPS_ROWS)
            break;
        if (shown == 1 && (st = retain_doc_table(r->doc, NULL, 5, head)) != RETAIN_OK)
            break;
        size_t len;
        const char *id = retain_events_id(r->ev, call->customer, &len);
        char idbuf[128], plain[RETAIN_NUMBER_BUFSIZE], text[RETAIN_LANG_BUFSIZE];
        snprintf(idbuf, sizeof idbuf, "%.*s", (int)(len < 100 ? len : 100), id);
        st = retain_doc_cell(r->doc, idbuf, RETAIN_TONE_PLAIN);
        retain_money_format(call->mrr, r->o.precision, plain);
        rt_spell(r->o.lang, plain, false, text);
        if (st == RETAIN_OK)
            st = retain_doc_cell(r->doc, text, RETAIN_TONE_PLAIN);
        snprintf(plain, sizeof plain, "%d", call->score);
        if (st == RETAIN_OK)
            st = retain_doc_cell(r->doc, plain,
                                 call->score <= 6 ? RETAIN_TONE_BAD : RETAIN_TONE_PLAIN);
        retain_lang_date(r->o.lang, call->day, text);
        if (st == RETAIN_OK)
            st = retain_doc_cell(r->doc, text, RETAIN_TONE_PLAIN);
        snprintf(plain, sizeof plain, "%d", (int)call->tenure_days);
        rt_spell(r->o.lang, plain, false, text);
        if (st == RETAIN_OK)
            st = retain_doc_cell(r->doc, text, RETAIN_TONE_PLAIN);
    }
    if (st == RETAIN_OK && !shown)
        st = retain_doc_paragraph(r->doc, L(r, "No active customer answered below 9."));
    return st;
}

static retain_status next_steps(retain_report *r, retain_diag *diag)
{
    if (!r->tables[RETAIN_TABLE_EVENTS] && !r->tables[RETAIN_TABLE_SURVEY] &&
        !r->tables[RETAIN_TABLE_TICKETS])
        return rt_figures_omit(&r->fig, L(r, "Next steps"),
                               "no events, tickets or survey table (--events, --survey)");
    retain_risk_options ro;
    retain_risk_defaults(&ro);
    ro.tables[RETAIN_EVENT_ACTIVITY] = r->tables[RETAIN_TABLE_EVENTS];
    ro.tables[RETAIN_EVENT_TICKET] = r->tables[RETAIN_TABLE_TICKETS];
    ro.tables[RETAIN_EVENT_ANSWER] = r->tables[RETAIN_TABLE_SURVEY];
    ro.has_mrr = r->any_mrr;
    ro.stages = r->stages;
    retain_risk *risk = NULL;
    retain_status st = retain_risk_compute(r->ev, &ro, &risk, diag);
    if (st == RETAIN_OK)
        st = retain_doc_heading(r->doc, L(r, "Next steps"));
    if (st == RETAIN_OK)
        st = step_table(r, risk, AT_RISK, L(r, "Accounts at risk (zone 3)"),
                        L(r, "No account in zone 3."));
    if (st == RETAIN_OK && r->tables[RETAIN_TABLE_SURVEY])
        st = call_table(r);
    if (st == RETAIN_OK && r->tables[RETAIN_TABLE_SURVEY] && r->tables[RETAIN_TABLE_EVENTS])
        st = step_table(r, risk, EXPANSION, L(r, "Expansion candidates"),
                        L(r, "No promoter whose usage grows."));
    if (st == RETAIN_OK && !r->tables[RETAIN_TABLE_SURVEY])
        st = rt_figures_omit(&r->fig, L(r, "Detractors to call, expansion candidates"),
                             "no survey table");
    retain_risk_free(risk);
    return st;
}

/* ---- the document ---- */

static retain_status build(retain_report *r, retain_diag *diag)
{
    char label[16], title[120], sub[320], day[RETAIN_LANG_BUFSIZE];
    retain_period_label(r->o.period, r->period[CUR], label);
    snprintf(title, sizeof title, "%s %s",
             L(r, r->o.period == RETAIN_PERIOD_MONTH ? "Monthly report" : "Quarterly report"),
             label);
    retain_lang_date(r->o.lang, r->as_of, day);
    snprintf(sub, sizeof sub, "%s %s%s", L(r, "As of"), day,
             /* as retain rate's note: the period's end counts as of as-of */
             retain_rate_partial(r->rate, NULL) ? L(r, " (the period is observed up to that day)")
                                                : "");
    r->doc = retain_doc_new(r->o.lang, title, sub);
    if (!r->doc)
        return RETAIN_ERR_NOMEM;

    rate_figures(r);
    stage_figures(r);
    if (r->any_mrr) {
        mrr_figures(r);
        ltv_figures(r);
    } else {
        rt_figures_omit(&r->fig, L(r, "MRR, NRR, GRR and MRR movements"), "no MRR column");
        rt_figures_omit(&r->fig, L(r, "ARPU and LTV"), "no MRR column");
    }
    if (r->any_mrr && !r->o.has_as_of)
        rt_figures_omit(&r->fig, L(r, "LTV of the previous periods"), "needs --as-of");
    if (r->nps_done)
        nps_figures(r);
    else
        rt_figures_omit(&r->fig, L(r, "NPS"),
                        r->nps ? "no answer on or before as-of" : "no survey table (--survey)");
    if (!r->goals.n)
        rt_figures_omit(&r->fig, L(r, "Goals"), "no goals file (--goals)");
    if (r->fig.failed)
        return RETAIN_ERR_NOMEM;

    char labels[NWHEN][16];
    for (int k = 0; k < NWHEN; k++)
        retain_period_label(r->o.period, r->period[k], labels[k]);
    retain_status st = rt_figures_table(&r->fig, r->doc, labels);
    if (st == RETAIN_OK)
        st = rt_goals_table(&r->goals, &r->fig, r->doc);
    if (st == RETAIN_OK)
        st = retain_doc_heading(r->doc, L(r, "Charts"));
    if (st == RETAIN_OK)
        st = trend_chart(r);
    if (st == RETAIN_OK && r->any_mrr)
        st = moves_chart(r);
    if (st == RETAIN_OK)
        st = cohort_chart(r);
    if (st == RETAIN_OK)
        st = survival_chart(r);
    if (st == RETAIN_OK)
        st = stage_chart(r);
    if (st == RETAIN_OK)
        st = reason_chart(r);
    if (st == RETAIN_OK)
        st = cac_section(r, diag);
    if (st == RETAIN_OK)
        st = next_steps(r, diag);
    if (st == RETAIN_OK)
        st = rt_figures_omitted(&r->fig, r->doc);
    return st;
}

retain_status retain_report_finish(retain_report *r, retain_diag *diag)
{
    retain_status st = retain_rate_finish(r->rate, diag);
    if (st == RETAIN_OK)
        st = retain_churn_finish(r->churn, diag);
    if (st == RETAIN_OK)
        st = retain_churn_finish(r->churn_reason, diag);
    if (st == RETAIN_OK)
        st = retain_churn_finish(r->churn_period, diag);
    if (st == RETAIN_OK)
        st = retain_cohort_finish(r->cohort, diag);
    if (st == RETAIN_OK && r->any_mrr)
        st = retain_mrr_finish(r->mrr, diag);
    if (st == RETAIN_OK)
        st = retain_survival_finish(r->sv, diag);
    if (st == RETAIN_OK && r->sv_seg)
        st = retain_survival_finish(r->sv_seg, diag);
    for (int k = 0; k < NWHEN && st == RETAIN_OK && r->ltv[k]; k++) {
        st = retain_ltv_table_finish(r->ltv[k], diag);
        if (k > CUR && st == RETAIN_ERR_USAGE) { /* no customer yet then: no LTV */
            retain_ltv_table_free(r->ltv[k]);
            r->ltv[k] = NULL;
            st = RETAIN_OK;
        }
    }
    if (st == RETAIN_OK && r->nps) {
        /* no answer on or before as-of: no NPS, not an error */
        st = retain_nps_finish(r->nps, diag);
        r->nps_done = st == RETAIN_OK;
        if (st == RETAIN_ERR_USAGE || st == RETAIN_ERR_DATA)
            st = RETAIN_OK;
    }
    if (st == RETAIN_OK && r->rate_seg)
        st = retain_rate_finish(r->rate_seg, diag);
    if (st == RETAIN_OK && r->ltv_seg)
        st = retain_ltv_table_finish(r->ltv_seg, diag);
    if (st != RETAIN_OK)
        return st;
    r->as_of = retain_rate_as_of(r->rate);
    int32_t p = retain_period_of(r->o.period, r->as_of);
    r->period[CUR] = p;
    r->period[PREV] = p - 1;
    r->period[YEAR] = p - (r->o.period == RETAIN_PERIOD_MONTH ? 12 : 4);
    if (r->ev && !r->customers_done &&
        (st = retain_events_customers_done(r->ev, diag)) != RETAIN_OK)
        return st;
    r->customers_done = true;
    st = build(r, diag);
    return st == RETAIN_ERR_NOMEM ? fail_nomem(diag) : st;
}

const retain_doc *retain_report_document(const retain_report *r)
{
    return r->doc;
}

retain_day retain_report_as_of(const retain_report *r)
{
    return r->as_of;
}

void retain_report_free(retain_report *r)
{
    if (!r)
        return;
    retain_rate_free(r->rate);
    retain_churn_free(r->churn);
    retain_churn_free(r->churn_reason);
    retain_churn_free(r->churn_period);
    retain_cohort_free(r->cohort);
    retain_mrr_free(r->mrr);
    retain_survival_free(r->sv);
    retain_survival_free(r->sv_seg);
    for (int k = 0; k < NWHEN; k++)
        retain_ltv_table_free(r->ltv[k]);
    retain_stages_free(r->own_stages);
    rt_goals_free(&r->goals);
    rt_figures_free(&r->fig);
    retain_doc_free(r->doc);
    retain_nps_free(r->nps);
    retain_events_free(r->ev);
    retain_acquisition_free(r->spend);
    retain_rate_free(r->rate_seg);
    retain_ltv_table_free(r->ltv_seg);
    free(r->segment_name);
    free(r);
}
