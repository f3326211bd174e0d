/* BG/NBD (Fader, Hardie & Lee 2005): likelihood, fit, P(alive), expected
 * purchases, and the CLV built on them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sf_gamma.h>

#include <retain/clv.h>

#include "internal.h"
#include "mle.h"

/* Customers with the same (x, t_x, T) share one row, weighted; t_x and T
 * also index tables of their distinct values, so that an evaluation takes
 * one logarithm per distinct value, not per customer. */
typedef struct {
    int64_t x;
    double tx, T, w;
    uint32_t itx, iT;
} row;

typedef struct {
    row *rows;
    size_t n;
    double weight;  /* sum of w */
    double *values; /* the distinct t_x and T values, sorted */
    double *logs;   /* per evaluation: log(alpha + value) */
    size_t nvalues;
} data;

static int cmp_row(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (a->x != b->x)
        return (a->x > b->x) - (a->x < b->x);
    if (a->tx != b->tx)
        return (a->tx > b->tx) - (a->tx < b->tx);
    return (a->T > b->T) - (a->T < b->T);
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static uint32_t value_index(const data *d, double v)
{
    size_t lo = 0, hi = d->nvalues;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (d->values[mid] <= v)
            lo = mid;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

/* Sorted, identical rows merged; the table of distinct times. False when
 * out of memory. */
static bool compress(data *d)
{
    qsort(d->rows, d->n, sizeof *d->rows, cmp_row);
    size_t m = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (m > 0 && cmp_row(&d->rows[m - 1], &d->rows[i]) == 0)
            d->rows[m - 1].w += d->rows[i].w;
        else
            d->rows[m++] = d->rows[i];
    }
    d->n = m;
    d->values = malloc((2 * m + 1) * sizeof *d->values);
    d->logs = malloc((2 * m + 1) * sizeof *d->logs);
    if (!d->values || !d->logs)
        return false;
    for (size_t i = 0; i < m; i++) {
        d->values[2 * i] = d->rows[i].tx;
        d->values[2 * i + 1] = d->rows[i].T;
    }
    qsort(d->values, 2 * m, sizeof *d->values, cmp_double);
    size_t k = 0;
    for (size_t i = 0; i < 2 * m; i++)
        if (k == 0 || d->values[k - 1] != d->values[i])
            d->values[k++] = d->values[i];
    d->nvalues = k;
    for (size_t i = 0; i < m; i++) {
        d->rows[i].itx = value_index(d, d->rows[i].tx);
        d->rows[i].iT = value_index(d, d->rows[i].T);
    }
    return true;
}

static void data_free(data *d)
{
    free(d->rows);
    free(d->values);
    free(d->logs);
}

/* The log-likelihood summed over rows sorted by x: the log-gamma terms
 * once per distinct x. */
static double loglik(data *d, double r, double alpha, double a, double b)
{
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0))
        return NAN;
    double common = -gsl_sf_lngamma(r) + r * log(alpha) + gsl_sf_lngamma(a + b) - gsl_sf_lngamma(b),
           la = log(a);
    double sum = 0;
    for (size_t k = 0; k < d->nvalues; k++)
        d->logs[k] = log(alpha + d->values[k]);
    int64_t x = -1;
    double gx = 0, lbx = 0;
    for (size_t i = 0; i < d->n; i++) {
        const row *e = &d->rows[i];
        if (e->x != x) {
            x = e->x;
            gx = gsl_sf_lngamma(r + x) + gsl_sf_lngamma(b + x) - gsl_sf_lngamma(a + b + x);
            lbx = x > 0 ? log(b + x - 1) : 0;
        }
        double l3 = -(r + x) * d->logs[e->iT], l;
        if (x > 0)
            l = rt_logaddexp(l3, la - lbx - (r + x) * d->logs[e->itx]);
        else
            l = l3;
        sum += e->w * (gx + l);
    }
    return common * d->weight + sum;
}

static double objective(const double *lp, size_t n, void *user)
{
    (void)n;
    data *d = user;
    return -loglik(d, exp(lp[0]), exp(lp[1]), exp(lp[2]), exp(lp[3])) / d->weight;
}

static retain_status load(data *d, const int64_t *x, const double *t_x, const double *T, size_t n,
                          bool skip_zero_T, retain_diag *diag)
{
    memset(d, 0, sizeof *d);
    d->rows = malloc((n ? n : 1) * sizeof *d->rows);
    if (!d->rows)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (x[i] < 0 || !(t_x[i] >= 0) || !(T[i] >= t_x[i]) || !isfinite(T[i])) {
            data_free(d);
            return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                           "customer %zu: x = %lld, t_x = %g, T = %g is not a purchase history "
                           "(0 <= x, 0 <= t_x <= T)",
                           i, (long long)x[i], t_x[i], T[i]);
        }
        if (skip_zero_T && T[i] == 0)
            continue;
        d->rows[d->n++] = (row){x[i], t_x[i], T[i], 1.0, 0, 0};
        d->weight += 1.0;
    }
    if (!compress(d)) {
        data_free(d);
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    return RETAIN_OK;
}

double retain_bgnbd_log_likelihood(const retain_bgnbd *m, const int64_t *x, const double *t_x,
                                   const double *T, size_t n)
{
    data d;
    retain_diag diag;
    if (load(&d, x, t_x, T, n, false, &diag) != RETAIN_OK)
        return NAN;
    double ll = loglik(&d, m->r, m->alpha, m->a, m->b);
    data_free(&d);
    return ll;
}

static retain_status fit_failed(retain_diag *diag, rt_fit_result res, const char *model,
                                const double *lp, const char *const *names, size_t n)
{
    if (res == RT_FIT_NOMEM)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    char where[160] = "";
    size_t len = 0;
    for (size_t k = 0; k < n && len < sizeof where; k++)
        len += (size_t)snprintf(where + len, sizeof where - len, "%s%s = %.4g", k ? ", " : "",
                                names[k], exp(lp[k]));
    if (res == RT_FIT_BOUNDARY)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "the %s fit runs to a boundary (%s): the data do not determine the model",
                       model, where);
    return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "the %s fit does not converge (last: %s)", model,
                   where);
}

retain_status retain_bgnbd_fit(const int64_t *x, const double *t_x, const double *T, size_t n,
                               retain_bgnbd *out, retain_diag *diag)
{
    data d;
    retain_status st = load(&d, x, t_x, T, n, true, diag);
    if (st != RETAIN_OK)
        return st;
    double sum_x = 0, sum_T = 0;
    for (size_t i = 0; i < d.n; i++) {
        sum_x += d.rows[i].w * (double)d.rows[i].x;
        sum_T += d.rows[i].w * d.rows[i].T;
    }
    if (sum_x == 0) {
        data_free(&d);
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "no customer purchased again (every frequency is 0): BG/NBD cannot be "
                       "fitted");
    }
    /* start: r = 1, alpha = mean T / mean x rate, a = b = 1 */
    double lp[4] = {0, log(sum_T / sum_x), 0, 0};
    gsl_error_handler_t *old = rt_gsl_quiet();
    int iterations = 0;
    rt_fit_result res = rt_minimize(objective, lp, 4, &d, &iterations);
    rt_gsl_restore(old);
    if (res != RT_FIT_OK) {
        static const char *const names[] = {"r", "alpha", "a", "b"};
        st = fit_failed(diag, res, "BG/NBD", lp, names, 4);
        data_free(&d);
        return st;
    }
    out->r = exp(lp[0]);
    out->alpha = exp(lp[1]);
    out->a = exp(lp[2]);
    out->b = exp(lp[3]);
    out->log_likelihood = loglik(&d, out->r, out->alpha, out->a, out->b);
    out->iterations = iterations;
    data_free(&d);
    return RETAIN_OK;
}

double retain_bgnbd_p_alive(const retain_bgnbd *m, int64_t x, double t_x, double T)
{
    if (x == 0)
        return 1.0;
    double l =
        log(m->a) - log(m->b + x - 1) + (m->r + x) * (log(m->alpha + T) - log(m->alpha + t_x));
    /* 1 / (1 + e^l) */
    return l > 0 ? exp(-l) / (1 + exp(-l)) : 1 / (1 + exp(l));
}

/* (c' / (a - 1)) [1 - (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; c'; z)], c' = a + b + x - 1:
 * Euler's form of 1 - (1 - z)^(r + x) 2F1(r + x, b + x; c'; z). */
static bool bracket_at(double r, double a, double b, int64_t x, double z, double *out)
{
    double c = a + b + (double)x - 1, f;
    if (!rt_hyp2f1(a + b - 1 - r, a - 1, c, z, &f))
        return false;
    double v = c / (a - 1) * (1 - exp((a - 1) * log1p(-z)) * f);
    if (!isfinite(v))
        return false;
    *out = v < 0 ? 0 : v;
    return true;
}

/* Where the formula is 0/0 (a = 1; c' = 0, that is a + b = 1 with x = 0),
 * the mean of the values on either side. */
static bool bracket(double r, double a, double b, int64_t x, double z, double *out)
{
    const double h = 2e-5;
    double lo, hi;
    bool ok;
    if (fabs(a - 1) < h / 2)
        ok = bracket_at(r, 1 - h, b, x, z, &lo) && bracket_at(r, 1 + h, b, x, z, &hi);
    else if (x == 0 && fabs(a + b - 1) < h / 2)
        ok = bracket_at(r, a, 1 - a - h, x, z, &lo) && bracket_at(r, a, 1 - a + h, x, z, &hi);
    else
        return bracket_at(r, a, b, x, z, out);
    if (ok)
        *out = (lo + hi) / 2;
    return ok;
}

bool retain_bgnbd_expected(const retain_bgnbd *m, double t, double *out)
{
    if (!(t >= 0))
        return false;
    gsl_error_handler_t *old = rt_gsl_quiet();
    bool ok = bracket(m->r, m->a, m->b, 0, t / (m->alpha + t), out);
    rt_gsl_restore(old);
    return ok;
}

bool retain_bgnbd_conditional(const retain_bgnbd *m, double t, int64_t x, double t_x, double T,
                              double *out)
{
    if (!(t >= 0) || x < 0)
        return false;
    double v;
    gsl_error_handler_t *old = rt_gsl_quiet();
    bool ok = bracket(m->r, m->a, m->b, x, t / (m->alpha + T + t), &v);
    rt_gsl_restore(old);
    if (!ok)
        return false;
    *out = v * retain_bgnbd_p_alive(m, x, t_x, T);
    return true;
}

bool retain_clv_value(const retain_bgnbd *m, int64_t x, double t_x, double T, double value,
                      double unit_days, int months, double discount, double *out)
{
    double sum = 0, prev = 0;
    for (int i = 1; i <= months; i++) {
        double e;
        if (!retain_bgnbd_conditional(m, 30.0 * i / unit_days, x, t_x, T, &e))
            return false;
        sum += (e - prev) * value / pow(1 + discount, i);
        prev = e;
    }
    *out = sum;
    return isfinite(sum);
}
