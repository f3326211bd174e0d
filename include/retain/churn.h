/* retain/churn.h - churn by lifecycle stage (tenure ranges in days).
 *
 * For each life (retain/lives.h: a customer's rows merged over renewals,
 * overlaps and short gaps), tenure t = (end, or as-of when open) - start
 * in days; the life churned when it ended on or before as-of. A stage
 * [from, to) has entered = lives with t >= from, churned = churned lives
 * with t in [from, to). See retain-metrics(7) and retain-churn(1).
 *
 * The accumulator keeps each customer's lives while rows come in (see
 * retain/lives.h for the bytes), then day-indexed counts per stage (and
 * segment and reason), never the rows. */
#ifndef RETAIN_CHURN_H
#define RETAIN_CHURN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/lives.h>
#include <retain/money.h>
#include <retain/output.h>
#include <retain/period.h>
#include <retain/reader.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A stage table: consecutive tenure ranges [from, to) in days, the first
 * from 0, the last open-ended, each with a name. */
typedef struct retain_stages retain_stages;

/* Reads a stage list: NULL or "90,365" for the default (onboarding [0,90),
 * renewal [90,365), long-term [365,inf)); other day lists such as
 * "30,90,365" name stages by their range ("0-30", ..., "365+");
 * "onboarding:90,renewal:365,long-term" names them (a last bare name names
 * the open stage). Returns NULL and fills diag (RETAIN_ERR_USAGE) when the
 * days are not increasing whole numbers above 0, a name repeats or is
 * empty. The caller frees it with retain_stages_free(). */
RETAIN_API retain_stages *retain_stages_parse(const char *spec, retain_diag *diag);
RETAIN_API size_t retain_stages_count(const retain_stages *stages);
/* Name (owned by the table), first day, and first day past the stage (-1
 * for the open last stage). */
RETAIN_API const char *retain_stages_name(const retain_stages *stages, size_t stage);
RETAIN_API int32_t retain_stages_from(const retain_stages *stages, size_t stage);
RETAIN_API int32_t retain_stages_to(const retain_stages *stages, size_t stage);
RETAIN_API void retain_stages_free(retain_stages *stages);

typedef struct {
    const retain_stages *stages; /* the caller's; must outlive the accumulator */
    bool by_period;              /* one block of stage rows per period */
    retain_period_kind period;
    /* by period: the periods reported run from the one of the first start
     * to the one holding as-of, narrowed to [from, to] where given (period
     * indexes); RETAIN_ERR_USAGE from finish when none is left */
    bool has_from, has_to;
    int32_t from, to;
    bool has_as_of; /* else: the latest start seen */
    retain_day as_of;
    int32_t merge_gap; /* days, see retain/lives.h */
    bool segments;     /* rows carry a segment: each life's is decided */
    bool reasons;      /* rows carry a reason: each churned life's is kept */
} retain_churn_options;

typedef struct retain_churn retain_churn;

/* Returns NULL when out of memory. Free with retain_churn_free(). */
RETAIN_API retain_churn *retain_churn_new(const retain_churn_options *options);

/* Adds one subscription row of customer id. segment: read with the
 * segments option (a life's is that of the row of largest MRR serving its
 * first day). reason: read with the reasons option (a life's is that of
 * the row ending it; empty counts as "unknown"). mrr weighs the revenue
 * view: a life weighs its first day's MRR (0 when unknown).
 * RETAIN_ERR_DATA when end < start, or when the absolute amounts added
 * pass 2^63 millionths (no sum of them could be exact). */
RETAIN_API retain_status retain_churn_add(retain_churn *churn, const char *id, size_t id_len,
                                          const char *segment, size_t segment_len,
                                          const char *reason, size_t reason_len, retain_day start,
                                          retain_day end, bool has_end, retain_money mrr);

/* A retain_row_fn (retain/reader.h) that adds a row of the customer table
 * to the churn passed as user, as retain_churn_add() does: with the
 * segments option the row's first extra column is its segment, with the
 * reasons option the next one is its reason (the reader's options list the
 * --by column, then the reason column). A row whose fingerprint
 * (retain_row.fingerprint) repeats that of a row of the same customer is
 * an exact duplicate, left out and counted by the lives
 * (retain_lives_duplicates). Errors as retain_churn_add(), with the row's
 * line in diag. */
RETAIN_API retain_status retain_churn_add_row(const retain_row *row, void *churn,
                                              retain_diag *diag);

/* The lives the accumulator counts, owned by it: to reserve room
 * (retain_lives_reserve) and, after finish, to read the customers, lives
 * and bytes held. Adding a row to it is adding it with retain_churn_add. */
RETAIN_API retain_lives *retain_churn_lives(retain_churn *churn);

/* Computes the tables once every row is in. RETAIN_ERR_DATA when no row was
 * added, RETAIN_ERR_USAGE when every row starts after the as-of given. */
RETAIN_API retain_status retain_churn_finish(retain_churn *churn, retain_diag *diag);

/* After finish: segments in byte order of their names (one, "", when none
 * was given); periods (1 when not by period); reasons in byte order (0
 * when no reason was given). */
RETAIN_API size_t retain_churn_segments(const retain_churn *churn);
RETAIN_API const char *retain_churn_segment(const retain_churn *churn, size_t segment, size_t *len);
RETAIN_API size_t retain_churn_periods(const retain_churn *churn);
RETAIN_API int32_t retain_churn_period(const retain_churn *churn, size_t period);
RETAIN_API size_t retain_churn_reasons(const retain_churn *churn);
RETAIN_API const char *retain_churn_reason(const retain_churn *churn, size_t reason, size_t *len);
RETAIN_API retain_day retain_churn_as_of(const retain_churn *churn);

/* One stage of one segment (and period): entered and churned lives, the
 * churned lives of all stages (the denominator of share_pct), and the same
 * in MRR. reason is ignored when there are no reasons; with reasons,
 * churned and mrr_churned are those of the reason. */
typedef struct {
    int64_t entered, churned, churned_all;
    retain_money mrr_entered, mrr_churned;
} retain_churn_cell;

RETAIN_API void retain_churn_get(const retain_churn *churn, size_t segment, size_t period,
                                 size_t stage, size_t reason, retain_churn_cell *cell);

/* Writes the table 'retain churn' prints for a finished churn accumulator
 * made with options o (the same; its stages must still live), on p->out
 * as p says (not deferred): the columns segment (named so: the --by
 * column, when segment is not NULL), period (with o->by_period), stage,
 * from_day, to_day (empty for the last, open stage), reason (with
 * o->reasons; empty: unknown), entered, churned, churn_pct = churned /
 * entered x 100, share_pct = churned / all churned x 100, and with
 * revenue (the table had an MRR column) mrr_entered, mrr_churned and
 * mrr_churn_pct; one row per segment, period, stage and reason, in that
 * order. Percentages are rounded from the exact fractions to p->precision
 * decimals (empty when undefined), amounts to p->precision (at most 6).
 * Returns the writer, unfinished (the caller calls retain_writer_finish()
 * and retain_writer_free()), or NULL when out of memory. */
RETAIN_API retain_writer *retain_churn_write(const retain_churn *churn,
                                             const retain_churn_options *o, const char *segment,
                                             bool revenue, const retain_print *p);

RETAIN_API void retain_churn_free(retain_churn *churn);

#ifdef __cplusplus
}
#endif
#endif
