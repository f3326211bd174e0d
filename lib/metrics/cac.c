/* The CAC table: a spend table into the acquisition rows, and the join of
 * those rows with an LTV (given, or an LTV table's rows). */
#include <stdlib.h>
#include <string.h>

#include <retain/cac.h>

#include "cac_join.h"
#include "internal.h"

/* ---- the spend table ---- */

/* A period label of the kind, or of a finer kind that rolls up into it: a
 * month label (2024-03) is a period of its quarter or year, a quarter
 * (2024-Q1) one of its year, as a date is one of any kind. */
static bool spend_period(retain_period_kind kind, const char *text, int32_t *out)
{
    if (retain_period_parse(kind, text, out))
        return true;
    for (retain_period_kind finer = RETAIN_PERIOD_MONTH; finer < kind; finer++) {
        int32_t p;
        if (retain_period_parse(finer, text, &p)) {
            *out = retain_period_of(kind, retain_period_first_day(finer, p));
            return true;
        }
    }
    return false;
}

static const char *const period_example[] = {"2024-03-15", "2024-W09", "2024-03", "2024-Q1",
                                             "2024"};

static retain_status bad_period(retain_diag *diag, const retain_table *t, size_t row, size_t col,
                                retain_period_kind kind)
{
    return rt_fail(diag, RETAIN_ERR_DATA, retain_table_line(t, row), retain_table_name(t, col),
                   "'%s' is not a %s label such as %s (nor a date)",
                   retain_table_cell(t, row, col, NULL), retain_period_kind_name(kind),
                   period_example[kind]);
}

retain_status retain_spend_table_add(retain_acquisition *a, const retain_table *t,
                                     const retain_spend_options *o, const char **channel,
                                     retain_diag *diag)
{
    const char *period_name = o->period_column ? o->period_column : "period";
    const char *spend_name = o->spend_column ? o->spend_column : "spend";
    size_t pcol, scol, ccol = 0;
    bool has_channel = o->channel_column
                           ? retain_table_find(t, o->channel_column, &ccol)
                           : retain_table_find(t, "channel", &ccol) ||
                                 (o->segment && retain_table_find(t, o->segment, &ccol));
    if (!retain_table_find(t, period_name, &pcol) || !retain_table_find(t, spend_name, &scol))
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "the spend table needs the columns %s and %s%s%s", period_name, spend_name,
                       o->segment ? " and " : "",
                       o->segment ? (o->channel_column ? o->channel_column : "channel") : "");
    if (o->channel_column && !has_channel)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "no column %s in the spend table",
                       o->channel_column);
    if (o->segment && !has_channel)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "no channel (nor %s) column to match --by %s", o->segment, o->segment);
    if (channel)
        *channel = has_channel ? retain_table_name(t, ccol) : NULL;
    for (size_t r = 0; r < retain_table_rows(t); r++) {
        int32_t p;
        if (!spend_period(o->period, retain_table_cell(t, r, pcol, NULL), &p))
            return bad_period(diag, t, r, pcol, o->period);
        if ((o->has_from && p < o->from) || (o->has_to && p > o->to))
            continue; /* from and to narrow the report */
        size_t len = 0, slen;
        const char *ch = has_channel ? retain_table_cell(t, r, ccol, &len) : "";
        const char *s = retain_table_cell(t, r, scol, &slen);
        retain_money m = 0;
        if (slen > 0) {
            retain_money_error e = retain_money_parse(s, slen, o->decimal ? o->decimal : '.', &m);
            if (e != RETAIN_MONEY_OK || m < 0)
                return rt_fail(
                    diag, RETAIN_ERR_DATA, retain_table_line(t, r), retain_table_name(t, scol),
                    "'%s' is not an amount of 0 or more%s", s,
                    e == RETAIN_MONEY_DECIMAL_COMMA ? " (decimal comma? use --decimal ,)" : "");
        }
        retain_status st = retain_acquisition_add_spend(a, p, ch, len, slen > 0, m);
        if (st == RETAIN_ERR_DATA)
            return rt_fail(diag, st, retain_table_line(t, r), retain_table_name(t, scol),
                           "spend sums past 9e12");
        if (st != RETAIN_OK)
            return rt_fail(diag, st, 0, NULL, "out of memory");
    }
    return RETAIN_OK;
}

/* ---- the join ---- */

retain_cac_join *retain_cac_join_new(const retain_cac_join_options *o, retain_diag *diag)
{
    retain_cac_join *j = calloc(1, sizeof *j);
    if (!j) {
        rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        return NULL;
    }
    j->o = *o;
    const retain_table *t = o->ltv_table;
    if (!t)
        return j;
    retain_status st = RETAIN_OK;
    if (!retain_table_find(t, "ltv", &j->ltv))
        st = rt_fail(diag, RETAIN_ERR_DATA, 1, NULL,
                     "no ltv column in the LTV table (the output of retain ltv has one)");
    j->has_period = retain_table_find(t, "period", &j->period);
    j->has_seg = o->segment && (retain_table_find(t, o->segment, &j->seg) ||
                                retain_table_find(t, "channel", &j->seg));
    j->has_arpu = retain_table_find(t, "arpu", &j->arpu);
    j->has_margin = retain_table_find(t, "margin", &j->margin);
    if (st == RETAIN_OK && retain_table_rows(t) > 1 && !j->has_period && !j->has_seg)
        st = rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                     "%zu LTV rows and no period%s%s column to join them on", retain_table_rows(t),
                     o->segment ? " nor " : "", o->segment ? o->segment : "");
    for (size_t r = 0; st == RETAIN_OK && j->has_period && r < retain_table_rows(t); r++) {
        int32_t p;
        if (!retain_period_parse(o->period, retain_table_cell(t, r, j->period, NULL), &p))
            st = bad_period(diag, t, r, j->period, o->period);
    }
    if (st != RETAIN_OK) {
        free(j);
        return NULL;
    }
    return j;
}

bool retain_cac_join_has_ltv(const retain_cac_join *j)
{
    return j->o.ltv.defined || j->o.arpu.defined || j->o.ltv_table;
}

const char *retain_cac_join_payback_name(const retain_cac_join *j)
{
    size_t col;
    bool monthly = !j->o.arpu.defined && j->has_arpu &&
                   retain_table_find(j->o.ltv_table, "churn_months", &col);
    return monthly ? "payback_months" : "payback_periods";
}

/* The LTV row for an acquisition row, or -1. */
static long ltv_row(const retain_cac_join *j, const retain_acquisition_row *row)
{
    const retain_table *t = j->o.ltv_table;
    for (size_t r = 0; r < retain_table_rows(t); r++) {
        int32_t p;
        if (j->has_period &&
            (!retain_period_parse(j->o.period, retain_table_cell(t, r, j->period, NULL), &p) ||
             p != row->period))
            continue;
        size_t len;
        const char *s = j->has_seg ? retain_table_cell(t, r, j->seg, &len) : NULL;
        if (s && (len != row->channel_len || memcmp(s, row->channel, len) != 0))
            continue;
        return (long)r;
    }
    return -1;
}

/* A cell of the LTV table: undefined when empty; an error when it is not a
 * number of 0 or more. */
static retain_status ltv_cell(const retain_cac_join *j, long r, size_t col, retain_value *v,
                              retain_diag *diag)
{
    const retain_table *t = j->o.ltv_table;
    bool present;
    if (!retain_table_number(t, (size_t)r, col, &v->value, &present) || (present && v->value < 0))
        return rt_fail(diag, RETAIN_ERR_DATA, retain_table_line(t, (size_t)r),
                       retain_table_name(t, col), "'%s' is not a number of 0 or more",
                       retain_table_cell(t, (size_t)r, col, NULL));
    v->defined = present;
    if (!present)
        v->value = 0;
    return RETAIN_OK;
}

retain_status retain_cac_join_row(const retain_cac_join *j, const retain_acquisition_row *row,
                                  retain_cac_row *out, retain_diag *diag)
{
    memset(out, 0, sizeof *out);
    retain_value arpu = j->o.arpu,
                 margin = j->o.margin.defined ? j->o.margin : (retain_value){1, true};
    out->ltv = j->o.ltv;
    if (row->spend_defined && row->has_new)
        retain_cac((double)row->spend / RETAIN_MONEY_SCALE, (double)row->new_customers, &out->cac,
                   NULL);
    long r = j->o.ltv_table ? ltv_row(j, row) : -1;
    retain_status st = RETAIN_OK;
    if (r >= 0 && !j->o.ltv.defined)
        st = ltv_cell(j, r, j->ltv, &out->ltv, diag);
    if (st == RETAIN_OK && r >= 0 && !j->o.arpu.defined && j->has_arpu)
        st = ltv_cell(j, r, j->arpu, &arpu, diag);
    if (st == RETAIN_OK && r >= 0 && !j->o.margin.defined && j->has_margin) {
        st = ltv_cell(j, r, j->margin, &margin, diag);
        if (st == RETAIN_OK && margin.defined && margin.value > 1)
            st = rt_fail(diag, RETAIN_ERR_DATA, retain_table_line(j->o.ltv_table, (size_t)r),
                         "margin", "a margin is a fraction from 0 to 1");
    }
    if (st != RETAIN_OK)
        return st;
    if (out->cac.defined && out->ltv.defined)
        retain_ltv_cac(out->ltv.value, out->cac.value, &out->ltv_cac, NULL);
    if (out->cac.defined && arpu.defined && margin.defined)
        retain_cac_payback(out->cac.value, arpu.value, margin.value, &out->payback, NULL);
    out->below_min_ratio = out->ltv_cac.defined && out->ltv_cac.value < j->o.min_ratio;
    return RETAIN_OK;
}

void retain_cac_join_free(retain_cac_join *j)
{
    free(j);
}
