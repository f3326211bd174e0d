/* The shifted beta-geometric model: data from survivor tables or lives,
 * the fit, survival, retention and DERL. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sf_gamma.h>

#include <retain/sbg.h>

#include "internal.h"
#include "mle.h"

void retain_sbg_data_free(retain_sbg_data *d)
{
    if (!d)
        return;
    free(d->lost);
    free(d->censored);
    memset(d, 0, sizeof *d);
}

static retain_status alloc_data(retain_sbg_data *d, size_t periods, retain_diag *diag)
{
    d->periods = periods;
    d->lost = calloc(periods + 1, sizeof *d->lost);
    d->censored = calloc(periods + 1, sizeof *d->censored);
    if (!d->lost || !d->censored) {
        retain_sbg_data_free(d);
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    return RETAIN_OK;
}

retain_status retain_sbg_survivors(const int64_t *alive, size_t periods, retain_sbg_data *d,
                                   retain_diag *diag)
{
    memset(d, 0, sizeof *d);
    for (size_t k = 0; k <= periods; k++)
        if (alive[k] < 0 || (k > 0 && alive[k] > alive[k - 1]))
            return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                           "a survivor table never grows: %lld after %zu renewals",
                           (long long)alive[k], k);
    retain_status st = alloc_data(d, periods, diag);
    if (st != RETAIN_OK)
        return st;
    for (size_t t = 1; t <= periods; t++)
        d->lost[t] = alive[t - 1] - alive[t];
    d->censored[periods] = alive[periods];
    return RETAIN_OK;
}

/* start + k months, the day clamped to the month's length. */
static retain_day add_months(retain_day start, int64_t k)
{
    int y, m, dd;
    retain_day_to_ymd(start, &y, &m, &dd);
    int64_t idx = (int64_t)y * 12 + (m - 1) + k;
    int ny = (int)(idx / 12), nm = (int)(idx % 12) + 1;
    retain_day out;
    while (!retain_day_from_ymd(ny, nm, dd, &out) && dd > 28)
        dd--;
    if (!retain_day_from_ymd(ny, nm, dd, &out))
        return RETAIN_DAY_MAX;
    return out;
}

/* Renewals a life made: anniversaries k >= 1 with start + k periods <
 * end (served on it), or <= as-of for an open life (its end is as-of). */
static int64_t renewals(retain_day start, retain_day end, bool open, int months)
{
    int64_t k = ((int64_t)end - start) / (31 * months) - 1;
    if (k < 0)
        k = 0;
    while (true) {
        retain_day a = add_months(start, (k + 1) * months);
        if (open ? a > end : a >= end)
            return k;
        k++;
    }
}

typedef struct {
    int months;
    int64_t *t; /* per life: renewals made, negative (-1 - n) for censored at n */
    size_t n, cap;
    int64_t max;
} collect;

static retain_status on_life(const retain_life *life, void *user)
{
    collect *c = user;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 1024;
        int64_t *t = realloc(c->t, cap * sizeof *t);
        if (!t)
            return RETAIN_ERR_NOMEM;
        c->t = t;
        c->cap = cap;
    }
    int64_t r = renewals(life->start, life->end, !life->has_end, c->months);
    int64_t v = life->has_end ? r + 1 : r; /* ended at renewal r + 1, or survived r */
    if (v > c->max)
        c->max = v;
    c->t[c->n++] = life->has_end ? v : -1 - v;
    return RETAIN_OK;
}

retain_status retain_sbg_from_lives(const retain_lives *lives, retain_period_kind kind,
                                    retain_sbg_data *d, retain_diag *diag)
{
    memset(d, 0, sizeof *d);
    if (kind != RETAIN_PERIOD_MONTH && kind != RETAIN_PERIOD_YEAR)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "sBG periods are months or years");
    collect c = {kind == RETAIN_PERIOD_YEAR ? 12 : 1, NULL, 0, 0, 0};
    retain_status st = retain_lives_each(lives, on_life, &c);
    if (st != RETAIN_OK) {
        free(c.t);
        return rt_fail(diag, st, 0, NULL, "out of memory");
    }
    if (c.max > 100000) {
        free(c.t);
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "a life of %lld periods: more than the 100000 sBG takes", (long long)c.max);
    }
    st = alloc_data(d, (size_t)c.max, diag);
    for (size_t i = 0; i < c.n && st == RETAIN_OK; i++) {
        if (c.t[i] > 0)
            d->lost[c.t[i]]++;
        else
            d->censored[-1 - c.t[i]]++;
    }
    free(c.t);
    return st;
}

/* sum lost_t log P(T = t) + censored_n log S(n) */
static double loglik(const retain_sbg_data *d, double a, double b)
{
    if (!(a > 0 && b > 0))
        return NAN;
    double lb = gsl_sf_lnbeta(a, b), sum = 0;
    for (size_t t = 0; t <= d->periods; t++) {
        if (t > 0 && d->lost[t])
            sum += (double)d->lost[t] * (gsl_sf_lnbeta(a + 1, b + (double)t - 1) - lb);
        if (d->censored[t])
            sum += (double)d->censored[t] * (gsl_sf_lnbeta(a, b + (double)t) - lb);
    }
    return sum;
}

typedef struct {
    const retain_sbg_data *d;
    double weight;
} fit_data;

static double objective(const double *lp, size_t n, void *user)
{
    (void)n;
    const fit_data *f = user;
    return -loglik(f->d, exp(lp[0]), exp(lp[1])) / f->weight;
}

retain_status retain_sbg_fit(const retain_sbg_data *d, retain_sbg *out, retain_diag *diag)
{
    int64_t lost = 0, lives = 0, exposure = 0, first = 0;
    for (size_t t = 0; t <= d->periods; t++) {
        if (t > 0) {
            lost += d->lost[t];
            exposure += d->lost[t] * (int64_t)t;
        }
        lives += d->lost[t] * (t > 0) + d->censored[t];
        exposure += d->censored[t] * (int64_t)t;
    }
    first = d->periods >= 1 ? d->lost[1] : 0;
    if (lost == 0)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "no life ended: sBG has no churn to fit (%lld lives, all still going)",
                       (long long)lives);
    if (exposure == lost && first == lives)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "every life ended at its first renewal: churn is 100%%, nothing to fit");
    if (exposure == 0)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "no life reached a renewal");
    fit_data f = {d, (double)lives};
    double lp[2] = {0, 0};
    gsl_error_handler_t *old = rt_gsl_quiet();
    int iterations = 0;
    rt_fit_result res = rt_minimize(objective, lp, 2, &f, &iterations);
    rt_gsl_restore(old);
    memset(out, 0, sizeof *out);
    out->iterations = iterations;
    double geo = (double)lost / (double)exposure;
    if (res == RT_FIT_BOUNDARY && lp[0] > 13.8 && lp[1] > 13.8) {
        out->geometric = true;
        out->churn = geo;
        out->log_likelihood = (double)lost * log(geo) + (double)(exposure - lost) * log1p(-geo);
        return RETAIN_OK;
    }
    if (res == RT_FIT_NOMEM)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    if (res != RT_FIT_OK)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "the sBG fit %s (alpha = %.4g, beta = %.4g)",
                       res == RT_FIT_BOUNDARY ? "runs to a boundary" : "does not converge",
                       exp(lp[0]), exp(lp[1]));
    out->alpha = exp(lp[0]);
    out->beta = exp(lp[1]);
    out->log_likelihood = loglik(d, out->alpha, out->beta);
    return RETAIN_OK;
}

double retain_sbg_survival(const retain_sbg *m, double t)
{
    if (!m->geometric && !(m->alpha > 0 && m->beta > 0 && t >= 0))
        return NAN;
    if (m->geometric)
        return exp(t * log1p(-m->churn));
    return exp(gsl_sf_lnbeta(m->alpha, m->beta + t) - gsl_sf_lnbeta(m->alpha, m->beta));
}

double retain_sbg_retention(const retain_sbg *m, double t)
{
    if (m->geometric)
        return 1 - m->churn;
    return (m->beta + t - 1) / (m->alpha + m->beta + t - 1);
}

bool retain_sbg_derl(const retain_sbg *m, double n, double d, double *out)
{
    if (!(d > 0) || !(n >= 1) || (!m->geometric && !(m->alpha > 0 && m->beta > 0)))
        return false;
    double z = 1 / (1 + d);
    if (m->geometric) {
        double s = 1 - m->churn;
        *out = s / (1 - s * z);
        return true;
    }
    gsl_error_handler_t *old = rt_gsl_quiet();
    double f;
    bool ok = rt_hyp2f1(1, m->beta + n, m->alpha + m->beta + n, z, &f);
    rt_gsl_restore(old);
    if (!ok)
        return false;
    *out = (m->beta + n - 1) / (m->alpha + m->beta + n - 1) * f;
    return isfinite(*out);
}
