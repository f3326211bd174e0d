/* Maximum likelihood helpers: GSL's simplex on log parameters, 2F1. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_hyperg.h>

#include "mle.h"

gsl_error_handler_t *rt_gsl_quiet(void)
{
    return gsl_set_error_handler_off();
}

void rt_gsl_restore(gsl_error_handler_t *old)
{
    gsl_set_error_handler(old);
}

double rt_logaddexp(double a, double b)
{
    if (a < b) {
        double t = a;
        a = b;
        b = t;
    }
    if (isinf(b) && b < 0)
        return a;
    return a + log1p(exp(b - a));
}

typedef struct {
    rt_objective f;
    void *user;
    size_t n;
} wrap;

static double call(const gsl_vector *v, void *params)
{
    const wrap *w = params;
    double lp[8];
    for (size_t k = 0; k < w->n; k++)
        lp[k] = gsl_vector_get(v, k);
    double y = w->f(lp, w->n, w->user);
    return isfinite(y) ? y : GSL_POSINF;
}

/* One run of the simplex from lp; false when it did not converge within
 * the iterations allowed. */
static bool run(const wrap *w, double *lp, double step_size, double *fmin, int *iterations,
                bool *nomem)
{
    size_t n = w->n;
    gsl_multimin_fminimizer *s =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n);
    gsl_vector *x = gsl_vector_alloc(n), *step = gsl_vector_alloc(n);
    bool converged = false;
    if (!s || !x || !step) {
        *nomem = true;
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        gsl_vector_set(x, k, lp[k]);
        gsl_vector_set(step, k, step_size);
    }
    gsl_multimin_function fn = {call, n, (void *)w};
    if (gsl_multimin_fminimizer_set(s, &fn, x, step) != GSL_SUCCESS)
        goto out;
    /* Converged: the simplex has shrunk to 1e-8, or it is small and its best
     * value has not moved for 300 iterations (below the rounding noise of
     * the log-likelihood, a flat direction keeps the simplex from shrinking
     * further: it would wander without gaining anything) */
    double best = GSL_POSINF; /* s->fval is set by the first iterate, not by set */
    int still = 0;
    for (int it = 0; it < 4000; it++) {
        (*iterations)++;
        if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
            break;
        double size = gsl_multimin_fminimizer_size(s);
        if (gsl_multimin_test_size(size, 1e-8) == GSL_SUCCESS) {
            converged = true;
            break;
        }
        if (s->fval < best - 1e-14 * (1 + fabs(best))) {
            best = s->fval;
            still = 0;
        } else if (++still >= 300 && size < 1e-4) {
            converged = true;
            break;
        }
    }
    for (size_t k = 0; k < n; k++)
        lp[k] = gsl_vector_get(s->x, k);
    *fmin = s->fval;
out:
    gsl_multimin_fminimizer_free(s);
    gsl_vector_free(x);
    gsl_vector_free(step);
    return converged;
}

static bool beyond(const double *lp, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!(fabs(lp[k]) <= 13.8))
            return true;
    return false;
}

rt_fit_result rt_minimize(rt_objective f, double *lp, size_t n, void *user, int *iterations)
{
    wrap w = {f, user, n};
    *iterations = 0;
    double best[8], fbest = GSL_POSINF, fmin = GSL_POSINF, step = 0.5;
    bool nomem = false;
    for (int restart = 0; restart < 4; restart++) {
        bool converged = run(&w, lp, step, &fmin, iterations, &nomem);
        if (nomem)
            return RT_FIT_NOMEM;
        if (beyond(lp, n))
            return RT_FIT_BOUNDARY;
        if (!converged || !isfinite(fmin)) {
            if (restart == 0)
                return RT_FIT_NO_CONVERGENCE;
            break; /* a restart that wanders off: keep the optimum before it */
        }
        if (fbest - fmin <= 1e-11 * (1 + fabs(fmin)))
            break;
        memcpy(best, lp, n * sizeof *lp);
        fbest = fmin;
        step = 0.1;
    }
    if (fmin > fbest || !isfinite(fmin))
        memcpy(lp, best, n * sizeof *lp);
    return RT_FIT_OK;
}

/* The power series, summed until the tail is negligible: past the largest
 * term, the terms fall at least as fast as z^k times a power of k, so
 * the tail after a term t is below about t z / (1 - z). */
static bool series(double a, double b, double c, double z, double *out)
{
    double term = 1, sum = 1, tail = z < 1 ? fmax(1, z / (1 - z)) : INFINITY;
    for (long k = 0; k < 10000000; k++) {
        double ratio = (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
        term *= ratio;
        sum += term;
        if (!isfinite(sum))
            return false;
        if (fabs(ratio) < 1 && fabs(term) * tail <= 1e-16 * fabs(sum) &&
            (double)k > fabs(a * b / c)) {
            *out = sum;
            return true;
        }
    }
    return false;
}

bool rt_hyp2f1(double a, double b, double c, double z, double *out)
{
    if (!(z >= 0 && z < 1))
        return false;
    gsl_sf_result r;
    /* GSL's error estimate is not to be relied on (it reports 1 for sums
     * that are right to the last digit): its status and a finite value are */
    if (gsl_sf_hyperg_2F1_e(a, b, c, z, &r) == GSL_SUCCESS && isfinite(r.val)) {
        *out = r.val;
        return true;
    }
    return series(a, b, c, z, out);
}
