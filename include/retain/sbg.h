/* retain/sbg.h - the shifted beta-geometric model of contract renewals
 * (Fader & Hardie 2007, "How to project customer retention").
 *
 * In a contractual setting customers renew at the end of each period
 * (a year, a month) or leave; a customer leaves at each renewal with its
 * own probability theta, theta ~ Beta(alpha, beta) across customers. A
 * life lasting T periods (T >= 1: it left at the T-th renewal) has
 * P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta), and survives t
 * renewals with S(t) = B(alpha, beta + t) / B(alpha, beta). The fit is by
 * maximum likelihood over lives that ended (at their T) and lives still
 * going (censored: known to have survived n renewals), from one cohort or
 * several. See retain-clv(1). No call keeps a pointer it is given. */
#ifndef RETAIN_SBG_H
#define RETAIN_SBG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/lives.h>
#include <retain/output.h>
#include <retain/period.h>
#include <retain/reader.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The lives by period: lost[t] lives ended at renewal t (t = 1..periods;
 * lost[0] is unused), censored[n] lives still going after n renewals
 * (n = 0..periods). Arrays of periods + 1 entries. */
typedef struct {
    size_t periods;
    int64_t *lost, *censored;
} retain_sbg_data;

typedef struct {
    double alpha, beta;
    double log_likelihood;
    int iterations;
    /* alpha and beta grow without bound with alpha / (alpha + beta)
     * settled: no heterogeneity, churn is geometric with the constant
     * probability `churn` per period (alpha, beta then unset). */
    bool geometric;
    double churn;
} retain_sbg;

/* From a survivor table: alive[0] customers at the start, alive[k] still
 * there after k renewals (k = 1..periods; non-increasing). Fills *data,
 * whose arrays the caller frees with retain_sbg_data_free().
 * RETAIN_ERR_USAGE for an increasing or negative table; RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_sbg_survivors(const int64_t *alive, size_t periods,
                                              retain_sbg_data *data, retain_diag *diag);

/* From the lives of a customer table (finished): a life's renewals are
 * its anniversaries (start + k periods, a day that does not exist in a
 * short month being the month's last) on which it was still served; a
 * life that ended made T - 1 of them, one still going at as-of is
 * censored at those it made. kind is RETAIN_PERIOD_MONTH or
 * RETAIN_PERIOD_YEAR. */
RETAIN_API retain_status retain_sbg_from_lives(const retain_lives *lives, retain_period_kind kind,
                                               retain_sbg_data *data, retain_diag *diag);

RETAIN_API void retain_sbg_data_free(retain_sbg_data *data);

/* Fits the model. RETAIN_ERR_DATA (diag says why) when no life ended (no
 * churn to fit), when every life ended at the first renewal, when the fit
 * does not converge, or when a parameter runs to a boundary other than
 * the geometric limit; the geometric limit is RETAIN_OK with
 * out->geometric set. */
RETAIN_API retain_status retain_sbg_fit(const retain_sbg_data *data, retain_sbg *out,
                                        retain_diag *diag);

/* S(t), P(T > t): the share of a cohort still there after t renewals. */
RETAIN_API double retain_sbg_survival(const retain_sbg *m, double t);

/* r(t) = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1): the
 * retention rate of renewal t >= 1. */
RETAIN_API double retain_sbg_retention(const retain_sbg *m, double t);

/* The discounted expected residual lifetime (Fader & Hardie 2010) of a
 * customer who has made n - 1 renewals (n >= 1), at discount rate d per
 * period: the sum over t >= n of P(T > t | T > n - 1) / (1 + d)^(t - n)
 * = (beta + n - 1) / (alpha + beta + n - 1) 2F1(1, beta + n; alpha + beta
 * + n; 1 / (1 + d)). Needs d > 0; false when it cannot be evaluated. */
RETAIN_API bool retain_sbg_derl(const retain_sbg *m, double n, double d, double *out);

/* retain clv --model sbg's defaults: the discount rate per period for the
 * residual lifetime (0.10 a year, 0.01 a month), and the periods
 * projected (the observed ones + 5). */
RETAIN_API double retain_sbg_default_discount(retain_period_kind kind);
RETAIN_API size_t retain_sbg_default_horizon(const retain_sbg_data *data);

/* What 'retain clv --model sbg' is asked for; a has_ flag false takes the
 * default. */
typedef struct {
    bool has_period;
    retain_period_kind period; /* of the renewals: year (default) or month */
    bool has_discount;
    double discount; /* per period, above 0 (retain_sbg_default_discount) */
    bool has_horizon;
    size_t horizon; /* periods projected (retain_sbg_default_horizon) */
} retain_sbg_options;

/* Fills in the period and the discount of *o left to their defaults
 * (the horizon's needs the data: retain_sbg_horizon). RETAIN_ERR_USAGE
 * (diag) for a period other than year or month, or a discount that is not
 * above 0. */
RETAIN_API retain_status retain_sbg_options_resolve(retain_sbg_options *o, retain_diag *diag);

/* The horizon of options resolved: the one given, or the default for the
 * data. */
RETAIN_API size_t retain_sbg_horizon(const retain_sbg_options *o, const retain_sbg_data *data);

/* A retain_row_fn (retain/reader.h) that adds a row of a customer table
 * to the lives passed as user (no segment, no reason), for the fit;
 * RETAIN_ERR_DATA with the row's line when its end is before its start. */
RETAIN_API retain_status retain_sbg_add_row(const retain_row *row, void *lives, retain_diag *diag);

/* The fit of a customer table's lives once every row is in: finishes the
 * lives (retain_lives_finish), makes *data of them for o->period
 * (retain_sbg_from_lives; the caller frees it with retain_sbg_data_free(),
 * also after a failure) and fits *m (retain_sbg_fit). o resolved. Errors
 * as those calls. */
RETAIN_API retain_status retain_sbg_fit_lives(retain_lives *lives, const retain_sbg_options *o,
                                              retain_sbg_data *data, retain_sbg *m,
                                              retain_diag *diag);

/* What must be said of a fit before its table is read, as one line of
 * text in buf (size bytes, cut to fit): at the geometric limit, that
 * churn is constant (m->churn per period of kind) and alpha and beta are
 * left empty. False when there is nothing to say (buf unchanged). */
RETAIN_API bool retain_sbg_caveat(const retain_sbg *m, retain_period_kind kind, char *buf,
                                  size_t size);

/* The tables 'retain clv --model sbg' prints, on p->out as p says (not
 * deferred); each returns the writer, unfinished (the caller calls
 * retain_writer_finish() and retain_writer_free()), or NULL when out of
 * memory. m and data stay the caller's.
 *
 * - retain_sbg_write_params(): model,parameter,value: fit period (kind's
 *   name), fit lives, sbg alpha, beta (empty when geometric), churn
 *   (alpha / (alpha + beta), or the geometric churn), log_likelihood;
 *   at least 6 decimals (2 for the log-likelihood).
 * - retain_sbg_write(): one row per period k = 0 .. horizon: period,
 *   at_risk (lives that reached renewal k) and lost at it, observed (the
 *   product-limit share still there; the three empty past the data),
 *   survival S(k), retention r(k) (empty at 0) and derl at discount
 *   (retain_sbg_derl(m, k + 1, discount)); probabilities with at least 4
 *   decimals. */
RETAIN_API retain_writer *retain_sbg_write_params(const retain_sbg *m, const retain_sbg_data *data,
                                                  retain_period_kind kind, const retain_print *p);
RETAIN_API retain_writer *retain_sbg_write(const retain_sbg *m, const retain_sbg_data *data,
                                           size_t horizon, double discount, const retain_print *p);

#ifdef __cplusplus
}
#endif
#endif
