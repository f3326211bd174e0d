/* The tables 'retain clv' prints (retain/clv.h, retain/sbg.h): the fitted
 * parameters, the customers' values, the holdout check, and the sBG
 * projection per period. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <retain/clv.h>
#include <retain/money.h>
#include <retain/number.h>
#include <retain/sbg.h>

#include "internal.h"
#include "orders_cells.h"

/* Probabilities and expected purchases: at least 4 decimals. */
static int prob_decimals(const retain_print *p)
{
    return p->precision > 4 ? p->precision : 4;
}

/* ---- parameter tables: model,parameter,value ---- */

typedef struct {
    const char *model, *name;
    const char *text; /* the value when it is a word, else NULL */
    double value;
    int decimals;
} param;

static retain_writer *write_params(const param *ps, size_t n, const retain_print *p)
{
    static const char *const cols[] = {"model", "parameter", "value"};
    retain_writer *w = retain_writer_open(p->out, p->format, cols, 3, p->flags);
    for (size_t i = 0; w && i < n; i++) {
        retain_writer_text(w, ps[i].model, strlen(ps[i].model));
        retain_writer_text(w, ps[i].name, strlen(ps[i].name));
        if (ps[i].text)
            retain_writer_text(w, ps[i].text, strlen(ps[i].text));
        else
            retain_writer_real(w, ps[i].value, ps[i].decimals);
        retain_writer_end_row(w);
    }
    return w;
}

/* Parameters with at least 6 decimals, log-likelihoods with at least 2. */
static int param_decimals(const retain_print *p)
{
    return p->precision > 6 ? p->precision : 6;
}

static int ll_decimals(const retain_print *p)
{
    return p->precision > 2 ? p->precision : 2;
}

retain_writer *retain_clv_write_params(const retain_clv *clv, double unit_days,
                                       const retain_print *p)
{
    const retain_bgnbd *b = retain_clv_bgnbd(clv);
    const retain_gamma_gamma *g = retain_clv_gamma_gamma(clv);
    size_t gg_n, bg_n = retain_clv_fitted(clv, &gg_n);
    int d = param_decimals(p), ll = ll_decimals(p);
    param ps[] = {
        {"fit", "unit", unit_days == 1 ? "day" : "week", 0, 0},
        {"fit", "customers", NULL, (double)bg_n, 0},
        {"bgnbd", "r", NULL, b->r, d},
        {"bgnbd", "alpha", NULL, b->alpha, d},
        {"bgnbd", "a", NULL, b->a, d},
        {"bgnbd", "b", NULL, b->b, d},
        {"bgnbd", "log_likelihood", NULL, b->log_likelihood, ll},
        {"fit", "repeat_buyers", NULL, (double)gg_n, 0},
        {"gamma_gamma", "p", NULL, g->p, d},
        {"gamma_gamma", "q", NULL, g->q, d},
        {"gamma_gamma", "gamma", NULL, g->gamma, d},
        {"gamma_gamma", "log_likelihood", NULL, g->log_likelihood, ll},
    };
    return write_params(ps, sizeof ps / sizeof ps[0], p);
}

/* ---- BG/NBD and Gamma-Gamma: per customer, the holdout ---- */

retain_writer *retain_clv_write(const retain_clv *clv, const retain_orders *orders,
                                double unit_days, const retain_print *p)
{
    static const char *const cols[] = {
        "id",      "frequency",          "recency",        "T",  "monetary",
        "p_alive", "expected_purchases", "expected_value", "clv"};
    retain_writer *w = retain_writer_open(p->out, p->format, cols, 9, p->flags);
    int pd = prob_decimals(p);
    retain_day E = retain_orders_calibration_end(orders);
    for (size_t i = 0; w && i < retain_clv_rows(clv); i++) {
        retain_clv_row r;
        retain_order_summary s;
        retain_clv_get(clv, i, &r);
        retain_orders_get(orders, r.customer, &s);
        retain_writer_text(w, s.id, s.id_len);
        retain_writer_int(w, r.x);
        rt_write_summary_cells(w, &s, E, unit_days, p->precision);
        retain_writer_real(w, r.p_alive, pd);
        retain_writer_real(w, r.expected_purchases, pd);
        retain_writer_real(w, r.expected_value, p->precision);
        retain_writer_real(w, r.clv, p->precision);
        retain_writer_end_row(w);
    }
    return w;
}

retain_writer *retain_clv_write_run(const retain_clv *clv, const retain_orders *orders,
                                    double unit_days, const retain_print *p)
{
    return retain_clv_holdout(clv, NULL) ? retain_clv_write_holdout(clv, p)
                                         : retain_clv_write(clv, orders, unit_days, p);
}

retain_writer *retain_clv_write_holdout(const retain_clv *clv, const retain_print *p)
{
    static const char *const cols[] = {"frequency", "customers",    "actual",
                                       "predicted", "actual_total", "predicted_total"};
    retain_writer *w = retain_writer_open(p->out, p->format, cols, 6, p->flags);
    const retain_clv_group *g = retain_clv_holdout(clv, NULL);
    retain_clv_group all = {0, 0, 0};
    int pd = prob_decimals(p);
    for (int k = 0; w && g && k <= RETAIN_CLV_GROUPS; k++) {
        const retain_clv_group *e = k < RETAIN_CLV_GROUPS ? &g[k] : &all;
        char label[8];
        if (k < RETAIN_CLV_GROUPS) {
            snprintf(label, sizeof label, k == RETAIN_CLV_GROUPS - 1 ? "%d+" : "%d", k);
            all.customers += e->customers;
            all.actual += e->actual;
            all.predicted += e->predicted;
        } else {
            strcpy(label, "all");
        }
        retain_writer_text(w, label, strlen(label));
        retain_writer_int(w, e->customers);
        retain_writer_ratio(w, e->actual, e->customers, 1, pd);
        if (e->customers)
            retain_writer_real(w, e->predicted / (double)e->customers, pd);
        else
            retain_writer_empty(w);
        retain_writer_int(w, e->actual);
        retain_writer_real(w, e->predicted, p->precision);
        retain_writer_end_row(w);
    }
    return w;
}

/* ---- sBG ---- */

/* Lives in the data: those lost at some renewal and those still going. */
static int64_t sbg_lives(const retain_sbg_data *data)
{
    int64_t lives = 0;
    for (size_t t = 0; t <= data->periods; t++)
        lives += (t > 0 ? data->lost[t] : 0) + data->censored[t];
    return lives;
}

retain_writer *retain_sbg_write_params(const retain_sbg *m, const retain_sbg_data *data,
                                       retain_period_kind kind, const retain_print *p)
{
    int d = param_decimals(p), ll = ll_decimals(p);
    param ps[] = {
        {"fit", "period", retain_period_kind_name(kind), 0, 0},
        {"fit", "lives", NULL, (double)sbg_lives(data), 0},
        {"sbg", "alpha", NULL, m->geometric ? NAN : m->alpha, d},
        {"sbg", "beta", NULL, m->geometric ? NAN : m->beta, d},
        {"sbg", "churn", NULL, m->geometric ? m->churn : m->alpha / (m->alpha + m->beta), d},
        {"sbg", "log_likelihood", NULL, m->log_likelihood, ll},
    };
    return write_params(ps, sizeof ps / sizeof ps[0], p);
}

retain_writer *retain_sbg_write(const retain_sbg *m, const retain_sbg_data *data, size_t horizon,
                                double discount, const retain_print *p)
{
    static const char *const cols[] = {"period",   "at_risk",   "lost", "observed",
                                       "survival", "retention", "derl"};
    retain_writer *w = retain_writer_open(p->out, p->format, cols, 7, p->flags);
    int pd = prob_decimals(p);
    /* at risk of renewal k: lives that reached it, ended there or later or
     * still going past it */
    int64_t at_risk = sbg_lives(data);
    double observed = 1;
    for (size_t k = 0; w && k <= horizon; k++) {
        retain_writer_int(w, (int64_t)k);
        bool seen = k <= data->periods;
        if (seen && k > 0) {
            retain_writer_int(w, at_risk);
            retain_writer_int(w, data->lost[k]);
            if (at_risk > 0)
                observed *= 1 - (double)data->lost[k] / (double)at_risk;
        } else if (seen) {
            retain_writer_int(w, at_risk);
            retain_writer_empty(w);
        } else {
            retain_writer_empty(w);
            retain_writer_empty(w);
        }
        if (seen && (k == 0 || at_risk > 0))
            retain_writer_real(w, observed, pd);
        else
            retain_writer_empty(w);
        retain_writer_real(w, retain_sbg_survival(m, (double)k), pd);
        if (k > 0)
            retain_writer_real(w, retain_sbg_retention(m, (double)k), pd);
        else
            retain_writer_empty(w);
        double derl;
        if (retain_sbg_derl(m, (double)k + 1, discount, &derl))
            retain_writer_real(w, derl, p->precision);
        else
            retain_writer_empty(w);
        retain_writer_end_row(w);
        if (seen) /* those lost at k, and censored at k, leave the risk set */
            at_risk -= (k > 0 ? data->lost[k] : 0) + data->censored[k];
    }
    return w;
}

void retain_clv_options_init(retain_clv_options *o, double unit_days)
{
    memset(o, 0, sizeof *o);
    o->unit_days = unit_days;
    o->horizon = 364 / unit_days;
    o->months = 12;
    o->discount = 0.01;
}

double retain_sbg_default_discount(retain_period_kind kind)
{
    return kind == RETAIN_PERIOD_YEAR ? 0.10 : 0.01;
}

size_t retain_sbg_default_horizon(const retain_sbg_data *data)
{
    return data->periods + 5;
}

retain_status retain_sbg_options_resolve(retain_sbg_options *o, retain_diag *diag)
{
    if (!o->has_period)
        o->period = RETAIN_PERIOD_YEAR;
    if (o->period != RETAIN_PERIOD_YEAR && o->period != RETAIN_PERIOD_MONTH)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "--model sbg takes --period year or month");
    if (!o->has_discount)
        o->discount = retain_sbg_default_discount(o->period);
    if (!(o->discount > 0))
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "--discount must be above 0 for the residual lifetime");
    o->has_period = o->has_discount = true;
    return RETAIN_OK;
}

bool retain_sbg_caveat(const retain_sbg *m, retain_period_kind kind, char *buf, size_t size)
{
    if (!m->geometric)
        return false;
    snprintf(buf, size,
             "alpha and beta grow without bound: no heterogeneity, churn is geometric "
             "(constant %.4f per %s); alpha and beta are left empty",
             m->churn, retain_period_kind_name(kind));
    return true;
}

size_t retain_sbg_horizon(const retain_sbg_options *o, const retain_sbg_data *data)
{
    return o->has_horizon ? o->horizon : retain_sbg_default_horizon(data);
}

retain_status retain_sbg_add_row(const retain_row *row, void *lives, retain_diag *diag)
{
    retain_status st = retain_lives_add_row(lives, NULL, 0, NULL, 0, row);
    if (st != RETAIN_OK)
        rt_fail(diag, st, row->line, NULL, "%s",
                st == RETAIN_ERR_DATA ? "the end is before the start" : retain_status_str(st));
    return st;
}

retain_status retain_sbg_fit_lives(retain_lives *lives, const retain_sbg_options *o,
                                   retain_sbg_data *data, retain_sbg *m, retain_diag *diag)
{
    retain_status st = retain_lives_finish(lives, diag);
    if (st == RETAIN_OK)
        st = retain_sbg_from_lives(lives, o->period, data, diag);
    return st == RETAIN_OK ? retain_sbg_fit(data, m, diag) : st;
}
