/* retain/activation.h - time to value: from a customer's start to its first
 * activation event.
 *
 * From an event accumulator (retain/events.h) made with the activation
 * kind and the as-of as a cutoff: for each customer's first life, the days
 * from its start to its first event of the activation kind within that
 * life, censored at the life's end (or at the as-of when it has none).
 * Per cohort (the period of the start) and segment: customers, how many
 * activated within D days, the Kaplan-Meier median time to activation.
 * And the onboarding comparison: of the customers observed for at least
 * the onboarding days (start <= as-of - 90) whose first life lasted more
 * than D days, those activated within D days against the others, and the
 * share of each whose life ended before the onboarding days. See
 * retain-activation(1). */
#ifndef RETAIN_ACTIVATION_H
#define RETAIN_ACTIVATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/events.h>
#include <retain/output.h>
#include <retain/period.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    retain_period_kind period; /* of the cohorts */
    int32_t within;            /* D, days, 0 or more (the usual: 30) */
    int32_t onboarding;        /* days (default 90 when 0) */
    /* retain activation --from/--to (period indexes of kind period): the
     * cohorts listed run from `from` (instead of the earliest start's) to
     * `to` (instead of the as-of's), never outside those two; the
     * onboarding comparison is not narrowed. */
    bool has_from, has_to;
    int32_t from, to;
} retain_activation_options;

typedef struct retain_activation retain_activation;

/* Computes the tables from the customers' first lives and the state as of
 * the accumulator's as-of. RETAIN_ERR_DATA when there is no customer,
 * RETAIN_ERR_USAGE for a negative D or when from and to leave no cohort;
 * RETAIN_ERR_NOMEM. The caller frees
 * *out with retain_activation_free(). */
RETAIN_API retain_status retain_activation_compute(const retain_events *ev,
                                                   const retain_activation_options *o,
                                                   retain_activation **out, retain_diag *diag);

/* Segments in byte order ("" alone without segments); cohorts from the
 * earliest start's period to the as-of's, every one listed. */
RETAIN_API size_t retain_activation_segments(const retain_activation *a);
RETAIN_API const char *retain_activation_segment(const retain_activation *a, size_t g, size_t *len);
RETAIN_API size_t retain_activation_cohorts(const retain_activation *a);
RETAIN_API int32_t retain_activation_cohort(const retain_activation *a, size_t c);

typedef struct {
    int64_t customers, activated; /* activated: within D days */
    bool has_median;              /* false when the curve stays above 0.5 */
    double median_days;
} retain_activation_cell;

RETAIN_API void retain_activation_get(const retain_activation *a, size_t g, size_t c,
                                      retain_activation_cell *cell);

/* The onboarding comparison of a segment: customers activated within D days
 * (early) and the others (late or never), and how many of each saw their
 * first life end before the onboarding days. */
typedef struct {
    int64_t early, early_churned, late, late_churned;
} retain_activation_onboarding;

RETAIN_API void retain_activation_onboarding_get(const retain_activation *a, size_t g,
                                                 retain_activation_onboarding *out);

/* The tables 'retain activation' prints, deferred, on p->out as p says;
 * each returns the writer, unfinished (the caller calls
 * retain_writer_finish(), whose status is the first failure of the whole
 * table, and retain_writer_free()), or NULL when out of memory. a stays
 * the caller's.
 *
 * - retain_activation_write(): one row per segment and cohort (periods
 *   of kind period, the options'): segment (named so: the --by column,
 *   when segment is not NULL), cohort, customers, activated (within D
 *   days), activated_pct and median_days (empty when the curve stays
 *   above 0.5); p->precision decimals.
 * - retain_activation_write_onboarding(): per segment, the rows early and
 *   late_or_never: segment (as above), group, customers, churned and
 *   onboarding_churn_pct (empty for no customer). */
RETAIN_API retain_writer *retain_activation_write(const retain_activation *a,
                                                  retain_period_kind period, const char *segment,
                                                  const retain_print *p);
RETAIN_API retain_writer *retain_activation_write_onboarding(const retain_activation *a,
                                                             const char *segment,
                                                             const retain_print *p);

RETAIN_API void retain_activation_free(retain_activation *a);

#ifdef __cplusplus
}
#endif
#endif
