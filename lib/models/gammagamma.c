/* Gamma-Gamma spend model (Fader, Hardie & Lee 2005b): fit and
 * conditional expected spend per purchase. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sf_gamma.h>

#include <retain/clv.h>

#include "internal.h"
#include "mle.h"

typedef struct {
    int64_t x;
    double m, w;
} spend;

typedef struct {
    spend *v;
    size_t n;
    double weight;
} data;

static int cmp_spend(const void *pa, const void *pb)
{
    const spend *a = pa, *b = pb;
    if (a->x != b->x)
        return (a->x > b->x) - (a->x < b->x);
    return (a->m > b->m) - (a->m < b->m);
}

/* sum over customers of lngamma(p x + q) - lngamma(p x) - lngamma(q) + q log gamma
 * + (p x - 1) log m + p x log x - (p x + q) log(gamma + m x) */
static double loglik(const data *d, double p, double q, double g)
{
    if (!(p > 0 && q > 0 && g > 0))
        return NAN;
    double sum = 0, lg = log(g), lq = gsl_sf_lngamma(q);
    int64_t x = -1;
    double gx = 0;
    for (size_t i = 0; i < d->n; i++) {
        const spend *e = &d->v[i];
        double px = p * (double)e->x;
        if (e->x != x) {
            x = e->x;
            gx = gsl_sf_lngamma(px + q) - gsl_sf_lngamma(px) - lq + q * lg + px * log((double)x);
        }
        sum += e->w * (gx + (px - 1) * log(e->m) - (px + q) * log(g + e->m * (double)e->x));
    }
    return sum;
}

static double objective(const double *lp, size_t n, void *user)
{
    (void)n;
    const data *d = user;
    return -loglik(d, exp(lp[0]), exp(lp[1]), exp(lp[2])) / d->weight;
}

static retain_status load(data *d, const int64_t *x, const double *mean, size_t n,
                          retain_diag *diag)
{
    d->v = malloc((n ? n : 1) * sizeof *d->v);
    d->n = 0;
    d->weight = 0;
    if (!d->v)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (x[i] > 0 && mean[i] > 0 && isfinite(mean[i])) {
            d->v[d->n++] = (spend){x[i], mean[i], 1.0};
            d->weight += 1;
        }
    }
    qsort(d->v, d->n, sizeof *d->v, cmp_spend);
    size_t m = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (m > 0 && cmp_spend(&d->v[m - 1], &d->v[i]) == 0)
            d->v[m - 1].w += d->v[i].w;
        else
            d->v[m++] = d->v[i];
    }
    d->n = m;
    return RETAIN_OK;
}

double retain_gamma_gamma_log_likelihood(const retain_gamma_gamma *m, const int64_t *x,
                                         const double *mean, size_t n)
{
    data d;
    retain_diag diag;
    if (load(&d, x, mean, n, &diag) != RETAIN_OK)
        return NAN;
    double ll = loglik(&d, m->p, m->q, m->gamma);
    free(d.v);
    return ll;
}

retain_status retain_gamma_gamma_fit(const int64_t *x, const double *mean, size_t n,
                                     retain_gamma_gamma *out, retain_diag *diag)
{
    data d;
    retain_status st = load(&d, x, mean, n, diag);
    if (st != RETAIN_OK)
        return st;
    if (d.weight < 2 || d.n < 2) {
        free(d.v);
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       d.weight < 2 ? "Gamma-Gamma needs two customers or more who purchased "
                                      "again with a positive spend"
                                    : "every repeat buyer has the same frequency and spend: "
                                      "no heterogeneity for Gamma-Gamma to fit");
    }
    double mean_m = 0;
    for (size_t i = 0; i < d.n; i++)
        mean_m += d.v[i].w * d.v[i].m;
    mean_m /= d.weight;
    /* start: p = 1, q = 2, gamma = the mean spend (a mean of p gamma / (q - 1)) */
    double lp[3] = {0, log(2.0), log(mean_m)};
    gsl_error_handler_t *old = rt_gsl_quiet();
    int iterations = 0;
    rt_fit_result res = rt_minimize(objective, lp, 3, &d, &iterations);
    rt_gsl_restore(old);
    double q = exp(lp[1]);
    if (res == RT_FIT_OK && !(q > 1)) {
        free(d.v);
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "the Gamma-Gamma fit gives q = %.4g <= 1: the mean spend per purchase "
                       "is not finite, no expected value can be given",
                       q);
    }
    if (res != RT_FIT_OK) {
        if (res == RT_FIT_NOMEM)
            st = rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        else
            st = rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                         "the Gamma-Gamma fit %s (p = %.4g, q = "
                         "%.4g, gamma = %.4g)",
                         res == RT_FIT_BOUNDARY ? "runs to a boundary" : "does not converge",
                         exp(lp[0]), q, exp(lp[2]));
        free(d.v);
        return st;
    }
    out->p = exp(lp[0]);
    out->q = q;
    out->gamma = exp(lp[2]);
    out->log_likelihood = loglik(&d, out->p, out->q, out->gamma);
    out->iterations = iterations;
    free(d.v);
    return RETAIN_OK;
}

double retain_gamma_gamma_expected(const retain_gamma_gamma *m, int64_t x, double mean)
{
    if (x <= 0)
        return m->p * m->gamma / (m->q - 1);
    return (m->gamma + mean * (double)x) * m->p / (m->p * (double)x + m->q - 1);
}
