/* retain/nps.h - Net Promoter Score from survey answers.
 *
 * Each answer is a score 0..10: promoters 9-10, passives 7-8, detractors
 * 0-6. Per period (of the answer's day) and segment: the counts, their
 * shares, NPS = promoters_pct - detractors_pct and its 95 % margin of
 * error. With `latest`, only a customer's last answer in each period
 * counts. Given the customers (an event accumulator), the call list of
 * customers whose latest answer is below a score, and whether the
 * customers who answered in a group saw their life end within H days. See
 * retain-nps(1).
 *
 * Memory grows with the segments x periods, the customers (for `latest`
 * and the call list) and the days answered (for the churn check), not with
 * the answers. */
#ifndef RETAIN_NPS_H
#define RETAIN_NPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/events.h>
#include <retain/money.h>
#include <retain/output.h>
#include <retain/period.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RETAIN_NPS_PROMOTER,
    RETAIN_NPS_PASSIVE,
    RETAIN_NPS_DETRACTOR,
    RETAIN_NPS_GROUPS
} retain_nps_group;

/* "promoter", "passive", "detractor"; static storage. */
RETAIN_API const char *retain_nps_group_name(retain_nps_group g);
RETAIN_API retain_nps_group retain_nps_group_of(int score);

typedef struct {
    retain_period_kind period;
    bool has_as_of; /* else: the latest answer */
    retain_day as_of;
    bool latest;     /* a customer's last answer in the period only */
    int32_t horizon; /* > 0: the churn check over this many days */
    int below;       /* the call list: latest answers below this score (9) */
    /* retain nps --from/--to (period indexes of kind period): the periods
     * listed run from `from` (instead of the earliest answer's) to `to`
     * (instead of the as-of's), never outside those two; the call list and
     * the churn check are not narrowed. retain_nps_finish() returns
     * RETAIN_ERR_USAGE when they leave no period. */
    bool has_from, has_to;
    int32_t from, to;
} retain_nps_options;

typedef struct retain_nps retain_nps;

/* customers: an event accumulator whose customers are done (its table of
 * ids and lives), or NULL when answers have no id. Its lives must not
 * be cut at an as-of earlier than the answers' (make it with the cutoff
 * RETAIN_DAY_MAX when the as-of is not given). It must outlive the
 * accumulator. NULL when out of memory or an option is bad (diag). Free
 * with retain_nps_free(). */
RETAIN_API retain_nps *retain_nps_new(const retain_nps_options *options,
                                      const retain_events *customers, retain_diag *diag);

/* Adds one answer. id NULL when the survey has no id column (then
 * `latest`, the call list and the churn check do not apply). segment: the
 * --by value, NULL for none; with customers and NULL segment, the segment
 * of the customer's life on that day. Answers dated after a given as-of
 * are ignored; an id that is no customer (when the accumulator's
 * customers came from a customer table) is counted and left out.
 * RETAIN_ERR_DATA for a score outside 0..10. */
RETAIN_API retain_status retain_nps_add(retain_nps *nps, const char *id, size_t id_len,
                                        retain_day day, int score, const char *segment,
                                        size_t segment_len, unsigned long line, retain_diag *diag);

/* After the last answer. RETAIN_ERR_DATA when there was no answer,
 * RETAIN_ERR_USAGE when every answer is after the as-of given or when
 * --from/--to leave no period. */
RETAIN_API retain_status retain_nps_finish(retain_nps *nps, retain_diag *diag);

RETAIN_API retain_day retain_nps_as_of(const retain_nps *nps);
/* Answers left out for naming no customer, and the first line of one. */
RETAIN_API uint64_t retain_nps_unknown(const retain_nps *nps, unsigned long *first_line);

/* Segments in byte order ("" alone without segments), periods from the
 * earliest answer's to the as-of's (narrowed by from and to), every one
 * listed. */
RETAIN_API size_t retain_nps_segments(const retain_nps *nps);
RETAIN_API const char *retain_nps_segment(const retain_nps *nps, size_t g, size_t *len);
RETAIN_API size_t retain_nps_periods(const retain_nps *nps);
RETAIN_API int32_t retain_nps_period(const retain_nps *nps, size_t p);

typedef struct {
    int64_t responses, promoters, passives, detractors;
} retain_nps_cell;

RETAIN_API void retain_nps_get(const retain_nps *nps, size_t g, size_t p, retain_nps_cell *cell);

/* The 95 % margin of error of NPS in points, 1.96 x 100 x sqrt((p + d -
 * (p - d)^2) / n): false when there is no response. */
RETAIN_API bool retain_nps_moe(const retain_nps_cell *cell, double *moe);

/* The call list: customers whose latest answer (on or before the as-of)
 * is below options.below, largest MRR on the as-of first, then lowest
 * score, then id. MRR and tenure only when the customer is active on the
 * as-of (has_life). */
typedef struct {
    size_t customer; /* index in the customers' accumulator */
    int score;
    retain_day day;
    bool has_life;
    retain_money mrr;
    int32_t tenure_days;
} retain_nps_call;

RETAIN_API size_t retain_nps_calls(const retain_nps *nps);
RETAIN_API const retain_nps_call *retain_nps_call_get(const retain_nps *nps, size_t k);

/* The churn check (horizon > 0, with customers): per group, the answers
 * given on or before as-of - horizon by customers active that day, and
 * how many were followed by the end of that life within horizon days. */
RETAIN_API void retain_nps_churn(const retain_nps *nps, retain_nps_group g, int64_t *answers,
                                 int64_t *churned);

/* The tables 'retain nps' prints for a finished accumulator, deferred, on
 * p->out as p says; each returns the writer, unfinished (the caller calls
 * retain_writer_finish(), whose status is the first failure of the whole
 * table, and retain_writer_free()), or NULL when out of memory. nps and
 * customers stay the caller's.
 *
 * - retain_nps_write(): one row per segment and period (periods of kind
 *   period, the options'): segment (named so: the --by column, when
 *   segment is not NULL), period, responses, promoters, passives,
 *   detractors, promoters_pct, passives_pct, detractors_pct, nps
 *   (promoters_pct - detractors_pct, rounded from the exact fraction)
 *   and moe (retain_nps_moe()); p->precision decimals, empty when
 *   undefined.
 * - retain_nps_write_calls(): the call list in its order: id (of
 *   customers, the accumulator nps was made with), score, date and, with
 *   lives (the customers came from a customer table), mrr and
 *   tenure_days (empty when the customer is not active on the as-of).
 * - retain_nps_write_churn(): per group promoter, passive, detractor:
 *   answers, churned, churned_pct and p_value, the group's churn against
 *   the promoters' (retain_proportion_test(), 4 decimals; empty for the
 *   promoters and when undefined). */
RETAIN_API retain_writer *retain_nps_write(const retain_nps *nps, retain_period_kind period,
                                           const char *segment, const retain_print *p);
RETAIN_API retain_writer *retain_nps_write_calls(const retain_nps *nps,
                                                 const retain_events *customers, bool lives,
                                                 const retain_print *p);
RETAIN_API retain_writer *retain_nps_write_churn(const retain_nps *nps, const retain_print *p);

RETAIN_API void retain_nps_free(retain_nps *nps);

#ifdef __cplusplus
}
#endif
#endif
