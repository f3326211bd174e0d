/* retain/clv.h - customer value from purchase histories: the BG/NBD model
 * of repeat purchases (Fader, Hardie & Lee 2005), the Gamma-Gamma model of
 * spend per purchase (Fader, Hardie & Lee 2005b) and the CLV built on them.
 *
 * Every customer is (x, t_x, T): x repeat purchases (purchase days after
 * the first), t_x the time from the first to the last purchase, T from the
 * first purchase to the calibration end, in any unit of time (days, weeks:
 * the rates come out per that unit). See retain/orders.h for the summaries
 * and retain-clv(1) for the formulas and when not to trust a fit.
 *
 * Fits are by maximum likelihood: GSL's Nelder-Mead simplex (nmsimplex2)
 * on the logarithms of the parameters, the log-likelihood summed in log
 * space (lgamma, log-sum-exp), so that large frequencies cannot overflow.
 * The library sets GSL's error handler off for the duration of each call
 * and restores the caller's after: a GSL failure is a status, never an
 * abort. No call here keeps any pointer it is given. */
#ifndef RETAIN_CLV_H
#define RETAIN_CLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* BG/NBD: purchase rates Gamma(r, alpha) across customers, dropout
 * probability after each purchase Beta(a, b). */
typedef struct {
    double r, alpha, a, b;
    double log_likelihood; /* at these parameters, on the data fitted */
    int iterations;        /* of the minimiser */
} retain_bgnbd;

/* Gamma-Gamma: the spend of one purchase Gamma(p, nu), nu Gamma(q, gamma)
 * across customers. Mean spend per purchase p gamma / (q - 1). */
typedef struct {
    double p, q, gamma;
    double log_likelihood;
    int iterations;
} retain_gamma_gamma;

/* Fits BG/NBD to n customers: x[i] >= 0, 0 <= t_x[i] <= T[i], T[i] > 0 for
 * some. Customers with T = 0 (their first purchase on the calibration
 * end) carry no information and are left out of the likelihood.
 * RETAIN_ERR_USAGE for values outside those ranges (diag says which);
 * RETAIN_ERR_DATA (diag says what happened) when no customer purchased
 * again (the likelihood grows without bound as r -> 0), when the
 * minimiser does not converge, or when a parameter runs to a boundary
 * (below 1e-6 or above 1e6). *out is filled only on success. */
RETAIN_API retain_status retain_bgnbd_fit(const int64_t *x, const double *t_x, const double *T,
                                          size_t n, retain_bgnbd *out, retain_diag *diag);

/* The log-likelihood of the model on n customers (the sum of the
 * individual ones); NaN when a parameter is not positive. */
RETAIN_API double retain_bgnbd_log_likelihood(const retain_bgnbd *m, const int64_t *x,
                                              const double *t_x, const double *T, size_t n);

/* P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) /
 * (alpha + t_x))^(r + x)), computed in log space: in [0, 1], and 1 for
 * x = 0 (in BG/NBD a customer can only drop out right after a purchase). */
RETAIN_API double retain_bgnbd_p_alive(const retain_bgnbd *m, int64_t x, double t_x, double T);

/* E[X(t)], the expected purchases of a new customer in its first t units:
 * (a + b - 1) / (a - 1) [1 - (alpha / (alpha + t))^r 2F1(r, b; a + b - 1;
 * t / (alpha + t))]. False (and *out untouched) when the hypergeometric
 * function cannot be evaluated to double precision. */
RETAIN_API bool retain_bgnbd_expected(const retain_bgnbd *m, double t, double *out);

/* E[Y(t) | x, t_x, T], the expected purchases in the next t units of a
 * customer with that history: (a + b + x - 1) / (a - 1) [1 - ((alpha + T)
 * / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; t / (alpha +
 * T + t))] P(alive). Evaluated through Euler's transformation, which
 * keeps every term bounded for any x. False as above. */
RETAIN_API bool retain_bgnbd_conditional(const retain_bgnbd *m, double t, int64_t x, double t_x,
                                         double T, double *out);

/* Fits Gamma-Gamma to the customers with x[i] > 0 and a positive mean
 * repeat spend mean[i] (the others are left out). RETAIN_ERR_DATA when
 * fewer than two customers qualify, when the spends do not vary (no
 * heterogeneity to fit), when the minimiser does not converge, or when q
 * <= 1 (no finite mean spend) or a parameter runs to a boundary. */
RETAIN_API retain_status retain_gamma_gamma_fit(const int64_t *x, const double *mean, size_t n,
                                                retain_gamma_gamma *out, retain_diag *diag);

RETAIN_API double retain_gamma_gamma_log_likelihood(const retain_gamma_gamma *m, const int64_t *x,
                                                    const double *mean, size_t n);

/* The expected spend per purchase of a customer with x repeat purchases of
 * mean spend `mean`: (gamma + mean x) p / (p x + q - 1); for x = 0 the
 * population mean p gamma / (q - 1). Needs q > 1. */
RETAIN_API double retain_gamma_gamma_expected(const retain_gamma_gamma *m, int64_t x, double mean);

/* CLV = sum over months i = 1..months of (E[Y(30 i days)] - E[Y(30 (i - 1)
 * days)]) value / (1 + discount)^i, for a customer (x, t_x, T) in units of
 * unit_days days (1 for days, 7 for weeks) and an expected spend per
 * purchase `value`. False when a conditional expectation fails. */
RETAIN_API bool retain_clv_value(const retain_bgnbd *m, int64_t x, double t_x, double T,
                                 double value, double unit_days, int months, double discount,
                                 double *out);

#ifdef __cplusplus
}
#endif
#endif
