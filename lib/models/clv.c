/* retain clv in the library: summaries in units, the BG/NBD and
 * Gamma-Gamma fits, the per-customer predictions and the holdout table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <retain/clv.h>
#include <retain/money.h>

#include "internal.h"

struct retain_clv {
    retain_bgnbd bg;
    retain_gamma_gamma gg;
    size_t n, fitted, gg_fitted;
    retain_clv_row *rows;
    bool has_holdout;
    double holdout_units;
    retain_clv_group groups[RETAIN_CLV_GROUPS];
};

void retain_clv_free(retain_clv *clv)
{
    if (!clv)
        return;
    free(clv->rows);
    free(clv);
}

const retain_bgnbd *retain_clv_bgnbd(const retain_clv *clv)
{
    return &clv->bg;
}

const retain_gamma_gamma *retain_clv_gamma_gamma(const retain_clv *clv)
{
    return &clv->gg;
}

size_t retain_clv_fitted(const retain_clv *clv, size_t *gamma_gamma)
{
    if (gamma_gamma)
        *gamma_gamma = clv->gg_fitted;
    return clv->fitted;
}

size_t retain_clv_rows(const retain_clv *clv)
{
    return clv->n;
}

void retain_clv_get(const retain_clv *clv, size_t i, retain_clv_row *row)
{
    *row = clv->rows[i];
}

const retain_clv_group *retain_clv_holdout(const retain_clv *clv, double *holdout_units)
{
    if (!clv->has_holdout)
        return NULL;
    if (holdout_units)
        *holdout_units = clv->holdout_units;
    return clv->groups;
}

/* The calibrated customers' (x, t_x, T, mean spend) in units. */
static retain_status summarise(const retain_orders *o, double unit, retain_clv *clv, int64_t **xs,
                               double **txs, double **Ts, double **means, retain_diag *diag)
{
    size_t total = retain_orders_customers(o), n = 0;
    retain_day E = retain_orders_calibration_end(o);
    clv->rows = calloc(total ? total : 1, sizeof *clv->rows);
    *xs = malloc((total ? total : 1) * sizeof **xs);
    *txs = malloc((total ? total : 1) * sizeof **txs);
    *Ts = malloc((total ? total : 1) * sizeof **Ts);
    *means = malloc((total ? total : 1) * sizeof **means);
    if (!clv->rows || !*xs || !*txs || !*Ts || !*means)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t i = 0; i < total; i++) {
        retain_order_summary s;
        retain_orders_get(o, i, &s);
        if (!s.calibrated)
            continue;
        retain_clv_row *r = &clv->rows[n];
        r->customer = i;
        r->x = s.frequency;
        r->t_x = (s.last - s.first) / unit;
        r->T = (E - s.first) / unit;
        r->monetary =
            s.frequency ? (double)s.repeat_spend / RETAIN_MONEY_SCALE / (double)s.frequency : 0;
        (*xs)[n] = r->x;
        (*txs)[n] = r->t_x;
        (*Ts)[n] = r->T;
        (*means)[n] = r->monetary;
        n++;
    }
    clv->n = n;
    return RETAIN_OK;
}

static retain_status predict(const retain_orders *o, const retain_clv_options *opt, retain_clv *clv,
                             retain_diag *diag)
{
    double units = 0;
    if (clv->has_holdout)
        units = (retain_orders_as_of(o) - retain_orders_calibration_end(o)) / opt->unit_days;
    clv->holdout_units = units;
    for (size_t i = 0; i < clv->n; i++) {
        retain_clv_row *r = &clv->rows[i];
        r->p_alive = retain_bgnbd_p_alive(&clv->bg, r->x, r->t_x, r->T);
        r->expected_value = retain_gamma_gamma_expected(&clv->gg, r->x, r->monetary);
        if (!retain_bgnbd_conditional(&clv->bg, opt->horizon, r->x, r->t_x, r->T,
                                      &r->expected_purchases) ||
            !retain_clv_value(&clv->bg, r->x, r->t_x, r->T, r->expected_value, opt->unit_days,
                              opt->months, opt->discount, &r->clv))
            return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                           "the expected purchases of a customer with x = %lld, t_x = %g, T = "
                           "%g cannot be evaluated at these parameters",
                           (long long)r->x, r->t_x, r->T);
        if (clv->has_holdout) {
            retain_order_summary s;
            retain_orders_get(o, r->customer, &s);
            double e;
            if (!retain_bgnbd_conditional(&clv->bg, units, r->x, r->t_x, r->T, &e))
                return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                               "the holdout prediction cannot be evaluated");
            retain_clv_group *g =
                &clv->groups[r->x < RETAIN_CLV_GROUPS - 1 ? r->x : RETAIN_CLV_GROUPS - 1];
            g->customers++;
            g->actual += s.holdout;
            g->predicted += e;
        }
    }
    return RETAIN_OK;
}

retain_status retain_clv_run(const retain_orders *o, const retain_clv_options *opt,
                             retain_clv **out, retain_diag *diag)
{
    *out = NULL;
    if (!(opt->unit_days > 0) || !(opt->horizon >= 0) || opt->months < 0 || opt->months > 1200 ||
        !(opt->discount >= 0 && opt->discount < 10))
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "clv options out of range");
    retain_clv *clv = calloc(1, sizeof *clv);
    if (!clv)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    clv->has_holdout = retain_orders_as_of(o) != retain_orders_calibration_end(o);
    int64_t *x = NULL;
    double *tx = NULL, *T = NULL, *mean = NULL;
    retain_status st = summarise(o, opt->unit_days, clv, &x, &tx, &T, &mean, diag);
    for (size_t i = 0; i < clv->n && st == RETAIN_OK; i++) {
        clv->fitted += T[i] > 0;
        clv->gg_fitted += x[i] > 0 && mean[i] > 0;
    }
    if (st == RETAIN_OK && opt->has_params) {
        clv->bg = opt->bgnbd;
        clv->gg = opt->gamma_gamma;
        clv->bg.log_likelihood = retain_bgnbd_log_likelihood(&clv->bg, x, tx, T, clv->n);
        clv->gg.log_likelihood = retain_gamma_gamma_log_likelihood(&clv->gg, x, mean, clv->n);
        if (!(clv->gg.q > 1))
            st = rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                         "Gamma-Gamma q must be above 1 for a finite mean spend");
    } else if (st == RETAIN_OK) {
        st = retain_bgnbd_fit(x, tx, T, clv->n, &clv->bg, diag);
        if (st == RETAIN_OK)
            st = retain_gamma_gamma_fit(x, mean, clv->n, &clv->gg, diag);
    }
    free(x);
    free(tx);
    free(T);
    free(mean);
    if (st == RETAIN_OK)
        st = predict(o, opt, clv, diag);
    if (st != RETAIN_OK) {
        retain_clv_free(clv);
        return st;
    }
    *out = clv;
    return RETAIN_OK;
}

/* A plain decimal as retain writes them (digits, one '.', a leading '-'),
 * read without the locale: up to 18 significant digits. */
static bool parse_value(const char *s, double *out)
{
    const char *p = s;
    bool neg = *p == '-', dot = false, digits = false;
    if (neg)
        p++;
    uint64_t mant = 0;
    int scale = 0, sig = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            digits = true;
            if (sig < 18) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                sig += mant > 0;
                scale += dot;
            } else if (!dot) {
                return false; /* too large to be a parameter */
            }
        } else if (*p == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    if (!digits)
        return false;
    double v = (double)mant;
    for (int k = 0; k < scale; k++)
        v /= 10;
    *out = neg ? -v : v;
    return true;
}

retain_status retain_clv_params_read(const retain_table *t, retain_bgnbd *bg,
                                     retain_gamma_gamma *gg, double *unit_days, retain_diag *diag)
{
    static const char *const model[] = {"bgnbd",       "bgnbd",       "bgnbd",      "bgnbd",
                                        "gamma_gamma", "gamma_gamma", "gamma_gamma"};
    static const char *const name[] = {"r", "alpha", "a", "b", "p", "q", "gamma"};
    double v[7];
    bool seen[7] = {false}, unit_seen = false;
    size_t cm, cp, cv;
    if (!retain_table_find(t, "model", &cm) || !retain_table_find(t, "parameter", &cp) ||
        !retain_table_find(t, "value", &cv))
        return rt_fail(diag, RETAIN_ERR_DATA, 1, NULL,
                       "not a parameter table: it needs the columns model, parameter, value (as "
                       "retain clv --fit-only prints them)");
    memset(bg, 0, sizeof *bg);
    memset(gg, 0, sizeof *gg);
    for (size_t i = 0; i < retain_table_rows(t); i++) {
        const char *m = retain_table_cell(t, i, cm, NULL), *p = retain_table_cell(t, i, cp, NULL);
        const char *val = retain_table_cell(t, i, cv, NULL);
        unsigned long line = retain_table_line(t, i);
        if (strcmp(m, "fit") == 0 && strcmp(p, "unit") == 0) {
            if (strcmp(val, "day") != 0 && strcmp(val, "week") != 0)
                return rt_fail(diag, RETAIN_ERR_DATA, line, "value",
                               "the unit is day or week, not \"%s\"", val);
            *unit_days = strcmp(val, "day") == 0 ? 1 : 7;
            unit_seen = true;
            continue;
        }
        int k = -1;
        for (int j = 0; j < 7; j++)
            if (strcmp(m, model[j]) == 0 && strcmp(p, name[j]) == 0)
                k = j;
        if (k < 0)
            continue; /* log-likelihoods, customer counts: informative only */
        if (seen[k])
            return rt_fail(diag, RETAIN_ERR_DATA, line, "parameter", "%s %s given twice", m, p);
        if (!parse_value(val, &v[k]) || !(v[k] > 0))
            return rt_fail(diag, RETAIN_ERR_DATA, line, "value",
                           "%s %s must be a positive number, not \"%s\"", m, p, val);
        seen[k] = true;
    }
    for (int j = 0; j < 7; j++)
        if (!seen[j])
            return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "no %s %s in the parameter table",
                           model[j], name[j]);
    if (!unit_seen)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "no fit unit (day or week) in the parameter table");
    bg->r = v[0];
    bg->alpha = v[1];
    bg->a = v[2];
    bg->b = v[3];
    gg->p = v[4];
    gg->q = v[5];
    gg->gamma = v[6];
    return RETAIN_OK;
}

retain_status retain_clv_options_params(retain_clv_options *o, const retain_table *t,
                                        retain_diag *diag)
{
    retain_bgnbd bg;
    retain_gamma_gamma gg;
    double unit = 0;
    retain_status st = retain_clv_params_read(t, &bg, &gg, &unit, diag);
    if (st != RETAIN_OK)
        return st;
    if (unit != o->unit_days) {
        const char *u = unit == 1 ? "day" : "week";
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "was fitted in %ss: give --unit %s", u, u);
    }
    o->bgnbd = bg;
    o->gamma_gamma = gg;
    o->has_params = true;
    return RETAIN_OK;
}
