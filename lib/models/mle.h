/* What the fitted models share (not exported): a Nelder-Mead minimiser on
 * the logarithms of positive parameters, and the Gauss hypergeometric
 * function with a fallback where GSL's gives up. Tested through
 * tests/unit/test_clv.c and tests/unit/test_sbg.c. */
#ifndef RETAIN_MLE_H
#define RETAIN_MLE_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_errno.h>

/* A negative log-likelihood (divided by the data's weight: values near 1
 * keep the simplex's tolerances meaningful) of the parameters exp(lp[k]);
 * +inf or NaN where undefined. */
typedef double (*rt_objective)(const double *lp, size_t n, void *user);

typedef enum { RT_FIT_OK, RT_FIT_NO_CONVERGENCE, RT_FIT_BOUNDARY, RT_FIT_NOMEM } rt_fit_result;

/* Minimises f from lp[0..n) (log parameters, n <= 8), in place. Restarts
 * the simplex at each optimum until two runs agree (at most 8 runs),
 * keeping the best optimum. RT_FIT_NO_CONVERGENCE when the first run does
 * not settle within 4000 iterations; RT_FIT_BOUNDARY when a parameter ends
 * beyond exp(+-13.8) (1e-6 .. 1e6). */
rt_fit_result rt_minimize(rt_objective f, double *lp, size_t n, void *user, int *iterations);

/* 2F1(a, b; c; z) for 0 <= z < 1: GSL's gsl_sf_hyperg_2F1, or where it
 * fails (near z = 1 when c - a - b is close to an integer) the power series
 * summed to double precision within 10^6 terms. False when neither gives a
 * finite value. The GSL error handler must be off (rt_gsl_quiet). */
bool rt_hyp2f1(double a, double b, double c, double z, double *out);

/* Turns GSL's error handler off; rt_gsl_restore puts the caller's back. */
gsl_error_handler_t *rt_gsl_quiet(void);
void rt_gsl_restore(gsl_error_handler_t *old);

/* log(exp(a) + exp(b)) without overflow. */
double rt_logaddexp(double a, double b);

#endif
