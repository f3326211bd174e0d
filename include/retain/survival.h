/* retain/survival.h - Kaplan-Meier survival of subscriptions over tenure.
 *
 * Each life (retain-metrics(7), "retain survival"; retain/lives.h: a customer's rows merged
 * over renewals, overlaps and short gaps) is one observation: its duration
 * is t = (end, or as-of) - start in days; it is an event when it churned
 * (an end on or before as-of), censored otherwise. The accumulator keeps
 * each customer's lives while rows come in (see retain/lives.h for the
 * bytes), then per segment counts of events and censorings per tenure
 * day, never the rows.
 *
 * From the counts: the Kaplan-Meier estimate, Greenwood's variance, the
 * log-log confidence interval, the median (R's rule), the restricted mean
 * survival time with its standard error (as survRM2), and the log-rank
 * test between segments (as R's survdiff). See retain-survival(1). */
#ifndef RETAIN_SURVIVAL_H
#define RETAIN_SURVIVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/lives.h>
#include <retain/money.h>
#include <retain/reader.h>
#include <retain/output.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    bool has_as_of; /* else: the latest start seen */
    retain_day as_of;
    int32_t merge_gap; /* days, see retain/lives.h */
    bool segments;     /* rows carry a segment: each life's is decided */
} retain_survival_options;

typedef struct retain_survival retain_survival;

/* Returns NULL when out of memory. The caller frees it with
 * retain_survival_free(). */
RETAIN_API retain_survival *retain_survival_new(const retain_survival_options *options);

/* Adds one subscription row of customer id. segment is read with the
 * segments option (a life's is that of the row of largest MRR serving its
 * first day: mrr is read for that only). end is ignored unless has_end.
 * Rows starting after an as-of given are ignored. RETAIN_ERR_DATA when
 * end < start, RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_survival_add(retain_survival *sv, const char *id, size_t id_len,
                                             const char *segment, size_t segment_len,
                                             retain_day start, retain_day end, bool has_end,
                                             retain_money mrr);

/* A retain_row_fn (retain/reader.h) that adds a row of the customer table
 * to the survival passed as user, as retain_survival_add() does: with the
 * segments option the row's first extra column is its segment (the reader's
 * options list the --by column first). A row whose fingerprint
 * (retain_row.fingerprint) repeats that of a row of the same customer is
 * an exact duplicate, left out and counted by the lives
 * (retain_lives_duplicates). Errors as retain_survival_add(), with the
 * row's line in diag. */
RETAIN_API retain_status retain_survival_add_row(const retain_row *row, void *survival,
                                                 retain_diag *diag);

/* The lives the accumulator counts, owned by it: to reserve room
 * (retain_lives_reserve) and, after finish, to read the customers, lives
 * and bytes held. Adding a row to it is adding it with
 * retain_survival_add. */
RETAIN_API retain_lives *retain_survival_lives(retain_survival *sv);

/* Adds `count` lives of duration t days (t >= 0) directly, events or
 * censored: for durations known otherwise (a study's follow-up times).
 * They take no part in as-of. RETAIN_ERR_USAGE when t < 0. */
RETAIN_API retain_status retain_survival_add_lives(retain_survival *sv, const char *segment,
                                                   size_t segment_len, int32_t t, bool event,
                                                   int64_t count);

/* Settles every row against as-of and computes the curves.
 * RETAIN_ERR_DATA (and diag) when nothing was added; RETAIN_ERR_USAGE when
 * every row starts after the as-of given. */
RETAIN_API retain_status retain_survival_finish(retain_survival *sv, retain_diag *diag);

/* One step of a Kaplan-Meier curve: a distinct t with an event or a
 * censoring. Events come before censorings at the same t: at_risk counts
 * both, survival drops by events / at_risk. */
typedef struct {
    int32_t t; /* days */
    int64_t at_risk, events, censored;
    double survival;  /* S(t), the product of (1 - events / at_risk) up to t */
    double greenwood; /* sum of events / (at_risk (at_risk - events)) up to t:
                         Var(log S(t)); infinite once S(t) = 0 */
} retain_km_step;

/* After finish: segments in byte order of their names (one, named "", when
 * no segment was given), the as-of used, and the curve of a segment (owned
 * by the accumulator, valid until it is freed). */
RETAIN_API size_t retain_survival_segments(const retain_survival *sv);
RETAIN_API const char *retain_survival_segment(const retain_survival *sv, size_t segment,
                                               size_t *len);
RETAIN_API retain_day retain_survival_as_of(const retain_survival *sv);
RETAIN_API const retain_km_step *retain_survival_curve(const retain_survival *sv, size_t segment,
                                                       size_t *nsteps);

/* Functions of any Kaplan-Meier curve (steps in increasing t). */

/* The log-log confidence interval of S(t) at level conf (0 < conf < 1):
 * S^exp(+-z se / log S), se = sqrt(greenwood), z the normal quantile of
 * (1 + conf) / 2. False (undefined, as R gives NA) when S is 0 or 1. */
RETAIN_API bool retain_km_ci(const retain_km_step *step, double conf, double *low, double *high);

/* S(t) at any t >= 0 (days): the value of the last step at or before t; 1
 * before the first. */
RETAIN_API double retain_km_survival_at(const retain_km_step *steps, size_t nsteps, double t);

/* The median, by the rule of R's quantile.survfit (print.survfit differs
 * when S stays at 0.5 to the last time): the first t with S(t) <= 0.5; when S is
 * exactly 0.5 over a stretch, the middle of it (to the last observed t if
 * the curve ends flat at 0.5). False when S never reaches 0.5. */
RETAIN_API bool retain_km_median(const retain_km_step *steps, size_t nsteps, double *median);

/* The restricted mean survival time up to horizon days, the area under S
 * over [0, horizon], and its standard error (survRM2's: the sum over event
 * times t <= horizon of A(t)^2 events / (at_risk (at_risk - events)),
 * A(t) the area from t to horizon; a step where every life at risk ends
 * adds nothing). False when horizon < 0, or when it passes the last step
 * while S there is above 0: the curve is unknown beyond. */
RETAIN_API bool retain_km_rmst(const retain_km_step *steps, size_t nsteps, double horizon,
                               double *rmst, double *se);

/* The log-rank test of equal survival between the segments (R's survdiff,
 * rho = 0): observed and expected events per segment (arrays of
 * retain_survival_segments() entries, in segment order, may be NULL), the
 * chi-square statistic with df = rank of the variance (segments - 1 unless
 * some are redundant) and its p-value. False (and df = 0) when there is
 * nothing to test: one segment, or no event. */
typedef struct {
    double chisq;
    int df;
    double p_value;
} retain_logrank;

RETAIN_API bool retain_survival_logrank(const retain_survival *sv, double *observed,
                                        double *expected, retain_logrank *result);

/* The upper tail P(X > chisq) of the chi-square distribution with df >= 1
 * degrees of freedom (the regularized upper incomplete gamma function
 * Q(df/2, chisq/2)); NaN for bad arguments. */
RETAIN_API double retain_chisq_p_value(double chisq, int df);

/* The summary of one curve, what 'retain survival --summary' prints (in
 * days): lives = events + censored, the median (retain_km_median), and
 * the RMST with its standard error up to horizon days (retain_km_rmst).
 * has_median / has_rmst false when undefined. */
typedef struct {
    int64_t lives, events, censored;
    bool has_median;
    double median;
    double horizon;
    bool has_rmst;
    double rmst, rmst_se;
} retain_survival_summary;

/* The default RMST horizon of a finished accumulator: the shortest of the
 * curves' last observed t (days), so that every curve is known up to it;
 * 0 when no curve has a step. */
RETAIN_API double retain_survival_default_horizon(const retain_survival *sv);

/* The summary of a segment's curve up to horizon days (< 0: the default
 * horizon). */
RETAIN_API void retain_survival_summarize(const retain_survival *sv, size_t segment, double horizon,
                                          retain_survival_summary *out);

/* Days in a unit of tenure named "day" (1), "week" (7) or "month"
 * (365.25 / 12) into *days; false for another name. */
RETAIN_API bool retain_survival_unit(const char *name, double *days);

/* How the tables of 'retain survival' show the curves. */
typedef struct {
    double unit;      /* days per unit of t and of the summary's durations (1: days) */
    double conf;      /* the level of the confidence interval, such as 0.95 */
    bool has_horizon; /* the summary's RMST horizon, in days; else the default */
    double horizon;   /* (retain_survival_default_horizon()) */
} retain_survival_view;

/* The tables 'retain survival' prints, on p->out as p says (not deferred),
 * the segment column first when segment names it (the --by column; NULL:
 * none), one block per segment in segment order:
 *
 * - retain_survival_write(): the curves, one row per step: t (whole days
 *   when v->unit is 1, else t / unit), at_risk, events, censored,
 *   survival, ci_low and ci_high (retain_km_ci() at v->conf, log-log);
 * - retain_survival_write_summary(): lives, events, censored, median,
 *   horizon, rmst, rmst_se (retain_survival_summarize(), in units);
 * - retain_survival_write_compare(): lives, events (observed), expected,
 *   and, when the log-rank test can be made (retain_survival_logrank()),
 *   chisq, df and p_value on every row.
 *
 * Probabilities, t in units and p-values have at least 4 decimals
 * (p->precision when more), a p-value below 1 two significant digits (up
 * to 9 decimals; below 1e-9 as 9.0e-12); counts are whole, the other
 * values have p->precision decimals; an undefined value is an empty cell.
 * Each returns the writer, unfinished (the caller calls
 * retain_writer_finish() and retain_writer_free()), or NULL when out of
 * memory. sv (finished), v and segment stay the caller's. */
RETAIN_API retain_writer *retain_survival_write(const retain_survival *sv, const char *segment,
                                                const retain_survival_view *v,
                                                const retain_print *p);
RETAIN_API retain_writer *retain_survival_write_summary(const retain_survival *sv,
                                                        const char *segment,
                                                        const retain_survival_view *v,
                                                        const retain_print *p);
RETAIN_API retain_writer *retain_survival_write_compare(const retain_survival *sv,
                                                        const char *segment, const retain_print *p);

RETAIN_API void retain_survival_free(retain_survival *sv);

#ifdef __cplusplus
}
#endif
#endif
