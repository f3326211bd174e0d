/* retain/rate.h - retention rate (TRC) per period, from subscription rows.
 *
 * For a period [p0, p1]: S = customers active on p0 - 1; N = new (first row
 * ever starts in the period) + reactivated (not in S, a row starting in the
 * period and an earlier row); E = customers active on p1; lost = S + N - E;
 * retention = (E - N) / S x 100; kept = customers of S active on p1 too.
 * See retain-metrics(7) and retain-rate(1).
 *
 * Rows arrive in any order. The accumulator keeps, per customer, a 128-bit
 * hash of its id and the intervals of its rows (needed to tell a win-back
 * from a new customer and to count a customer with overlapping rows once),
 * and per period only counts. */
#ifndef RETAIN_RATE_H
#define RETAIN_RATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/period.h>
#include <retain/reader.h>
#include <retain/output.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    retain_period_kind period;
    bool has_as_of; /* else: the latest start seen */
    retain_day as_of;
    /* --from/--to narrow the periods reported, which run from the one of
     * the earliest start to the one holding as-of. */
    bool has_from;
    int32_t from; /* period index */
    bool has_to;
    int32_t to;
    /* days (>= 0) of a gap between a customer's rows across which it stays
     * active, as in its lives (retain/lives.h); 0: back to back only */
    int32_t merge_gap;
    bool segments; /* retain_rate_add_row: the first extra column is the segment */
} retain_rate_options;

typedef struct retain_rate retain_rate;

/* Returns NULL when out of memory. The caller frees it with retain_rate_free(). */
RETAIN_API retain_rate *retain_rate_new(const retain_rate_options *options);

/* Adds one subscription row of a customer in a segment (segment_len 0 for
 * no segment; customers are told apart within their segment). end is
 * ignored unless has_end. RETAIN_ERR_DATA when end < start. */
RETAIN_API retain_status retain_rate_add(retain_rate *rate, const char *segment, size_t segment_len,
                                         const char *id, size_t id_len, retain_day start,
                                         retain_day end, bool has_end);

/* A retain_row_fn (retain/reader.h) that adds a row of the customer table
 * to the rate passed as user, as retain_rate_add() does: with the segments
 * option the row's first extra column is its segment (the reader's options
 * list the --by column first). Errors as retain_rate_add(), with the row's
 * line in diag. */
RETAIN_API retain_status retain_rate_add_row(const retain_row *row, void *rate, retain_diag *diag);

/* The exact duplicate rows left out: rows added with retain_rate_add_row whose
 * fingerprint (retain_row.fingerprint) repeats that of a row of the same
 * customer in the same segment (complete after finish: rows are added in
 * batches). *place and *of (may be NULL) get the retain_row.place of the
 * first one in file order and of the earlier row it repeats (see
 * retain_reader_place_line). */
RETAIN_API unsigned long retain_rate_duplicates(const retain_rate *rate, uint64_t *place,
                                                uint64_t *of);

/* Optional: room for about this many customers (retain_reader_expected_rows
 * is a fair guess), so that no table grows, and stalls, on the way. */
RETAIN_API retain_status retain_rate_reserve(retain_rate *rate, size_t customers);

/* Computes the table once every row is in. RETAIN_ERR_DATA (and diag) when
 * no row was added; RETAIN_ERR_USAGE when every row starts after the as-of
 * given, or when --from/--to leave no period. */
RETAIN_API retain_status retain_rate_finish(retain_rate *rate, retain_diag *diag);

/* One line of the table. */
typedef struct {
    int32_t period; /* period index: see retain_period_label() */
    int64_t customers_start, new_customers, reactivated, lost, customers_end;
    /* customers of customers_start still active on the period's last day
     * (or as-of): kept_pct = kept / customers_start x 100 */
    int64_t kept;
} retain_rate_row;

/* After finish: segments in byte order of their names (one, named "", when
 * no segment was given), periods from the first to the last. */
RETAIN_API size_t retain_rate_segments(const retain_rate *rate);
RETAIN_API const char *retain_rate_segment(const retain_rate *rate, size_t segment, size_t *len);
RETAIN_API size_t retain_rate_periods(const retain_rate *rate);
RETAIN_API void retain_rate_get(const retain_rate *rate, size_t segment, size_t period,
                                retain_rate_row *row);
RETAIN_API retain_day retain_rate_as_of(const retain_rate *rate);

/* After finish: whether as-of falls before the last day of the last period
 * reported (into *last_day, may be NULL), which is then observed up to
 * as-of only: customers_end, lost and kept count the customers active on
 * as-of. */
RETAIN_API bool retain_rate_partial(const retain_rate *rate, retain_day *last_day);

/* Memory the per-customer state uses, and customers held, for reports. */
RETAIN_API size_t retain_rate_customer_bytes(const retain_rate *rate);
RETAIN_API size_t retain_rate_customers(const retain_rate *rate);

/* retention_pct = (E - N) / S x 100, rounded from the exact fraction, and
 * churn_pct = 100 - retention_pct as rounded (the two sum to exactly 100),
 * into buf (RETAIN_NUMBER_BUFSIZE), where N = joined = new + reactivated.
 * Both write "" and return false when S = 0. */
RETAIN_API bool retain_retention_pct(int64_t customers_start, int64_t customers_end, int64_t joined,
                                     int decimals, char *buf);
RETAIN_API bool retain_churn_pct(int64_t customers_start, int64_t customers_end, int64_t joined,
                                 int decimals, char *buf);

/* Writes the table 'retain rate' prints for a finished rate, its periods
 * of kind period (the options'), on p->out as p says (not deferred): the
 * columns segment (named so: the --by column, when segment is not NULL),
 * period, customers_start, new, reactivated, lost, customers_end,
 * retention_pct, churn_pct (retain_retention_pct(), retain_churn_pct()),
 * kept and kept_pct = kept / customers_start x 100; one row per segment
 * and period; percentages rounded from the exact fractions to
 * p->precision decimals, empty when undefined. Returns the writer,
 * unfinished (the caller calls retain_writer_finish() and
 * retain_writer_free()), or NULL when out of memory. */
RETAIN_API retain_writer *retain_rate_write(const retain_rate *rate, retain_period_kind period,
                                            const char *segment, const retain_print *p);

RETAIN_API void retain_rate_free(retain_rate *rate);

#ifdef __cplusplus
}
#endif
#endif
