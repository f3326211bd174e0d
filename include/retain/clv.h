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

#include <retain/orders.h>
#include <retain/output.h>
#include <retain/status.h>
#include <retain/table.h>

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

/* The whole of retain clv on an orders accumulator (finished; see
 * retain/orders.h): the summaries in units of unit_days days, the two
 * fits (or the parameters given), and per calibrated customer P(alive),
 * the expected purchases in the next `horizon` units, the expected spend
 * per purchase and the CLV; with a holdout, the frequency-group table. */
typedef struct {
    double unit_days; /* 1 (days) or 7 (weeks) */
    double horizon;   /* units ahead for expected_purchases */
    int months;       /* CLV months (30 days each) */
    double discount;  /* per month */
    /* skip the fits: use these (retain clv --with-params) */
    bool has_params;
    retain_bgnbd bgnbd;
    retain_gamma_gamma gamma_gamma;
} retain_clv_options;

typedef struct retain_clv retain_clv;

/* Fits and predicts. RETAIN_ERR_DATA from a fit that fails (see the fits
 * above: diag says which model and why) or when a prediction cannot be
 * evaluated; RETAIN_ERR_USAGE for options out of range; RETAIN_ERR_NOMEM.
 * orders must outlive the result, which the caller frees with
 * retain_clv_free(). */
RETAIN_API retain_status retain_clv_run(const retain_orders *orders,
                                        const retain_clv_options *options, retain_clv **out,
                                        retain_diag *diag);

/* The parameters used (fitted, or given). */
RETAIN_API const retain_bgnbd *retain_clv_bgnbd(const retain_clv *clv);
RETAIN_API const retain_gamma_gamma *retain_clv_gamma_gamma(const retain_clv *clv);
/* Customers the fits saw: BG/NBD (calibrated customers with T > 0) and
 * Gamma-Gamma (those with x > 0 and a positive spend). */
RETAIN_API size_t retain_clv_fitted(const retain_clv *clv, size_t *gamma_gamma);

/* One calibrated customer. */
typedef struct {
    size_t customer; /* its index in the orders accumulator */
    int64_t x;
    double t_x, T;   /* in units */
    double monetary; /* mean repeat spend, 0 when x = 0 */
    double p_alive, expected_purchases, expected_value, clv;
} retain_clv_row;

/* The calibrated customers in the accumulator's order. */
RETAIN_API size_t retain_clv_rows(const retain_clv *clv);
RETAIN_API void retain_clv_get(const retain_clv *clv, size_t i, retain_clv_row *row);

/* With a holdout (retain_orders_options.has_holdout): per calibration
 * frequency 0..6 and 7 for "7 or more" (8 groups, index = frequency), the
 * customers, the sum of their actual purchase days in the holdout and of
 * their predicted E[Y(t)], t = (as-of - calibration end) / unit_days.
 * NULL without a holdout. Owned by clv. */
typedef struct {
    int64_t customers;
    int64_t actual;
    double predicted;
} retain_clv_group;

#define RETAIN_CLV_GROUPS 8
RETAIN_API const retain_clv_group *retain_clv_holdout(const retain_clv *clv, double *holdout_units);

/* Options with retain clv's defaults for summaries in units of unit_days
 * days (1 or 7): expected purchases over the next 364 days (52 weeks),
 * CLV over 12 months, a discount of 0.01 a month, no parameters given. */
RETAIN_API void retain_clv_options_init(retain_clv_options *options, double unit_days);

/* The tables 'retain clv' prints, on p->out as p says (not deferred);
 * each returns the writer, unfinished (the caller calls
 * retain_writer_finish() and retain_writer_free()), or NULL when out of
 * memory. clv and orders stay the caller's.
 *
 * - retain_clv_write_params(): the parameters, model,parameter,value
 *   (as retain_clv_params_read() reads them back): fit unit (day or
 *   week, from unit_days), fit customers, bgnbd r, alpha, a, b,
 *   log_likelihood, fit repeat_buyers, gamma_gamma p, q, gamma,
 *   log_likelihood; parameters with at least 6 decimals, log-likelihoods
 *   at least 2 (p->precision when more).
 * - retain_clv_write(): per calibrated customer id, frequency, recency and
 *   T (whole days, or units rounded to p->precision decimals), monetary
 *   (the mean repeat spend, exact), p_alive and expected_purchases (at
 *   least 4 decimals), expected_value and clv.
 * - retain_clv_write_holdout(): per calibration frequency 0..6, 7+ and
 *   all: customers, actual and predicted repeat purchases per customer (at
 *   least 4 decimals; empty for no customer), actual_total and
 *   predicted_total. Only the header without a holdout. */
RETAIN_API retain_writer *retain_clv_write_params(const retain_clv *clv, double unit_days,
                                                  const retain_print *p);
RETAIN_API retain_writer *retain_clv_write(const retain_clv *clv, const retain_orders *orders,
                                           double unit_days, const retain_print *p);
RETAIN_API retain_writer *retain_clv_write_holdout(const retain_clv *clv, const retain_print *p);
/* The table 'retain clv' prints for a run (without --fit-only):
 * retain_clv_write_holdout() when the orders had a holdout, else
 * retain_clv_write(). */
RETAIN_API retain_writer *retain_clv_write_run(const retain_clv *clv, const retain_orders *orders,
                                               double unit_days, const retain_print *p);

RETAIN_API void retain_clv_free(retain_clv *clv);

/* Parameter files: the table `model,parameter,value` that retain clv
 * --fit-only prints (rows bgnbd r, alpha, a, b; gamma_gamma p, q, gamma;
 * fit unit: day or week; log_likelihood rows are read and ignored). Reads
 * one from a table read by retain_table_read(); RETAIN_ERR_DATA (with the
 * line) for a missing, repeated or non-positive parameter, or a value
 * that is not a number. *unit_days receives 1 or 7. */
RETAIN_API retain_status retain_clv_params_read(const retain_table *table, retain_bgnbd *bgnbd,
                                                retain_gamma_gamma *gamma_gamma, double *unit_days,
                                                retain_diag *diag);

/* retain clv --with-params: the parameters of a parameter file into
 * options made for its unit (retain_clv_options_init), has_params set.
 * Errors as retain_clv_params_read(); RETAIN_ERR_USAGE when the file was
 * fitted in another unit than options->unit_days (the message begins
 * "was fitted in weeks: ..."; nothing is changed then). */
RETAIN_API retain_status retain_clv_options_params(retain_clv_options *options,
                                                   const retain_table *table, retain_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
