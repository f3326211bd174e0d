/* retain/cohort.h - cohort retention tables, by customers or by revenue.
 *
 * A customer's cohort is the period holding its first start; age k of a
 * cohort is the k-th period after it, up to the period holding as-of.
 * active(c, k) = customers of cohort c active on the last day of the
 * age-k period (retain-metrics(7): a row serves start <= d < end; an end after as-of is
 * open). With revenue, mrr(c, k) = the MRR of the cohort's rows serving
 * that day, against the cohort's starting MRR: each customer's rows that
 * start on its first day. See retain-cohort(1).
 *
 * Rows arrive in any order. Per customer the accumulator keeps what
 * retain/rate.h keeps (a 128-bit hash of its id, the intervals of its
 * rows) and, with revenue, each row's MRR; per cohort and age only counts
 * and sums. Age 0 of a cohort counts its customers as the `new` of
 * retain rate for that period; summed over cohorts, active(c, p - c) is
 * retain rate's customers_end of period p. */
#ifndef RETAIN_COHORT_H
#define RETAIN_COHORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/money.h>
#include <retain/output.h>
#include <retain/period.h>
#include <retain/reader.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    retain_period_kind period; /* week, month, quarter or year (not day) */
    bool has_as_of;            /* else: the latest start seen */
    retain_day as_of;
    bool revenue; /* keep each row's MRR, for the mrr sums */
    /* days (>= 0) of a gap between a customer's rows across which it stays
     * active, as in its lives (retain/lives.h); 0: back to back only */
    int32_t merge_gap;
    bool segments; /* retain_cohort_add_row: the first extra column is the segment */
    /* The cohorts reported run from the period of the first start to the
     * one holding as-of, narrowed to [from, to] where given (period
     * indexes); their ages still run to as-of. RETAIN_ERR_USAGE from
     * finish when no cohort is left. */
    bool has_from, has_to;
    int32_t from, to;
} retain_cohort_options;

typedef struct retain_cohort retain_cohort;

/* Returns NULL when out of memory, or when the period is day (a table of
 * thousands of ages). The caller frees it with retain_cohort_free(). */
RETAIN_API retain_cohort *retain_cohort_new(const retain_cohort_options *options);

/* Adds one subscription row of a customer in a segment (segment_len 0 for
 * no segment; customers are told apart within their segment). end is
 * ignored unless has_end; mrr is used with revenue only. Rows starting
 * after an as-of given are ignored. RETAIN_ERR_DATA when end < start, or
 * when the absolute amounts added pass 2^63 millionths (no sum of them
 * could be exact). */
RETAIN_API retain_status retain_cohort_add(retain_cohort *co, const char *segment,
                                           size_t segment_len, const char *id, size_t id_len,
                                           retain_day start, retain_day end, bool has_end,
                                           retain_money mrr);

/* A retain_row_fn (retain/reader.h) that adds a row of the customer table
 * to the cohort passed as user, as retain_cohort_add() does: with the
 * segments option the row's first extra column is its segment (the reader's
 * options list the --by column first). Errors as retain_cohort_add(), with
 * the row's line in diag. */
RETAIN_API retain_status retain_cohort_add_row(const retain_row *row, void *cohort,
                                               retain_diag *diag);

/* The exact duplicate rows left out: rows added with retain_cohort_add_row whose
 * fingerprint (retain_row.fingerprint) repeats that of a row of the same
 * customer in the same segment (complete after finish: rows are added in
 * batches). *place and *of (may be NULL) get the retain_row.place of the
 * first one in file order and of the earlier row it repeats (see
 * retain_reader_place_line). */
RETAIN_API unsigned long retain_cohort_duplicates(const retain_cohort *co, uint64_t *place,
                                                  uint64_t *of);

/* Optional: room for about this many customers. */
RETAIN_API retain_status retain_cohort_reserve(retain_cohort *co, size_t customers);

/* Computes the tables once every row is in. RETAIN_ERR_DATA (and diag)
 * when no row was added; RETAIN_ERR_USAGE when every row starts after the
 * as-of given. */
RETAIN_API retain_status retain_cohort_finish(retain_cohort *co, retain_diag *diag);

/* Memory the per-customer state uses, and customers held (any time after
 * retain_cohort_new()), for reports such as --verbose. */
RETAIN_API size_t retain_cohort_customer_bytes(const retain_cohort *co);
RETAIN_API size_t retain_cohort_customers(const retain_cohort *co);

/* After finish: segments in byte order of their names (one, named "", when
 * no segment was given); cohorts, one per period from the one of the
 * earliest start (or from) to the one holding as-of (or to), empty ones
 * included; ages: the most any cohort reported reaches (the first one's). */
RETAIN_API size_t retain_cohort_segments(const retain_cohort *co);
RETAIN_API const char *retain_cohort_segment(const retain_cohort *co, size_t segment, size_t *len);
RETAIN_API size_t retain_cohort_cohorts(const retain_cohort *co);
RETAIN_API size_t retain_cohort_ages(const retain_cohort *co);
RETAIN_API retain_day retain_cohort_as_of(const retain_cohort *co);

/* A cell: cohort c at age k, or (retain_cohort_mean) the sums over the
 * cohorts that have reached age k. */
typedef struct {
    int32_t cohort;            /* period index of the cohort (see retain_period_label) */
    int32_t ages;              /* ages reached: 0 .. ages - 1 (cells beyond do not exist) */
    int64_t size;              /* customers of the cohort(s) */
    retain_money starting_mrr; /* their starting MRR (revenue only) */
    int64_t active;            /* customers active on the last day of the age's period */
    retain_money mrr;          /* MRR of their rows serving that day (revenue only) */
} retain_cohort_cell;

/* Cohort `cohort` (0 .. retain_cohort_cohorts() - 1) of a segment at age
 * `age` (0 .. cell.ages - 1). False, and only cohort, ages, size and
 * starting_mrr filled, when the age is not reached. */
RETAIN_API bool retain_cohort_get(const retain_cohort *co, size_t segment, size_t cohort,
                                  int32_t age, retain_cohort_cell *cell);

/* The pooled cell of a segment at age `age` (0 .. ages - 1): sizes,
 * starting MRR, active customers and MRR summed over the cohorts reported
 * that have reached that age (cohort = -1, ages = cohorts reached). Its
 * active / size is the mean of the cohorts' rates weighted by their sizes;
 * mrr / starting_mrr, weighted by their starting MRR. */
RETAIN_API void retain_cohort_mean(const retain_cohort *co, size_t segment, int32_t age,
                                   retain_cohort_cell *cell);

/* Writes the table 'retain cohort' prints for a finished cohort
 * accumulator made with options o, on p->out as p says (not deferred):
 * the columns segment (named so: the --by column, when segment is not
 * NULL), cohort (its period label; "mean" for the row pooling the
 * cohorts), cohort_size, starting_mrr (with o->revenue); then, long (wide
 * false), one row per cohort and age with age, active (mrr with
 * o->revenue) and pct; or wide, one row per cohort with one pct column
 * per age, named 0, 1, ..., empty where the cohort has not reached that
 * age. pct = active / cohort_size x 100 (mrr / starting_mrr x 100 with
 * o->revenue), rounded from the exact fraction to p->precision decimals;
 * amounts have p->precision decimals (at most 6). Returns the writer,
 * unfinished (the caller calls retain_writer_finish() and
 * retain_writer_free()), or NULL when out of memory. */
RETAIN_API retain_writer *retain_cohort_write(const retain_cohort *cohort,
                                              const retain_cohort_options *o, const char *segment,
                                              bool wide, const retain_print *p);

RETAIN_API void retain_cohort_free(retain_cohort *co);

#ifdef __cplusplus
}
#endif
#endif
