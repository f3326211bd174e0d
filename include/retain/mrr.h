/* retain/mrr.h - revenue retention: MRR movements, NRR, GRR, quick ratio.
 *
 * Point to point, per period [p0, p1]: for each customer, m0 = its MRR on
 * day p0 - 1 and m1 = its MRR on day p1 (on as-of when as-of falls before
 * p1), 0 when not active. A customer's MRR on a day is the sum of the MRR
 * of its rows serving that day; across a gap of at most merge_gap days
 * between its rows (a life, retain/lives.h) it is that of the day before
 * the gap. Then
 *
 *   new          sum of m1 where m0 = 0 < m1, no MRR > 0 on any day before p0
 *   reactivation sum of m1 where m0 = 0 < m1, MRR > 0 on some day before p0
 *   expansion    sum of m1 - m0 where 0 < m0 < m1
 *   contraction  sum of m0 - m1 where 0 < m1 < m0
 *   churned      sum of m0 where m0 > 0 = m1
 *
 * and mrr_end = mrr_start + new + reactivation + expansion - contraction -
 * churned, to the unit of retain_money (money is exact). With segments, a
 * customer's segment on a day is that of its serving row of largest MRR
 * (ties: the smallest value in byte order); a customer with m0 > 0 and
 * m1 > 0 whose segment changed adds m0 to the old segment's moved_out and
 * m1 to the new one's moved_in, and nothing to expansion or contraction.
 * See SPEC ("Revenue retention") and retain-mrr(1).
 *
 * Rows arrive in any order and the result does not depend on it. The
 * accumulator keeps, per customer, a 128-bit hash of its id and its MRR as
 * a step function of the day: one row inline (start, end, MRR, segment:
 * 40 bytes with the hash), and for a customer with rows that do not simply
 * continue one another, the change points only (24 bytes each: the day,
 * the MRR from it on, and what decides the segment). Rows back to back at
 * the same MRR and segment (renewals) add no change point. Memory grows
 * with customers and their plan changes, never with the rows themselves.
 * Two accumulators over parts of a table merge into the accumulator of
 * the whole (retain_mrr_merge): each core can read a part. */
#ifndef RETAIN_MRR_H
#define RETAIN_MRR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/money.h>
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
     * the earliest start to the one holding as-of (period indexes). */
    bool has_from;
    int32_t from;
    bool has_to;
    int32_t to;
    /* days (0 .. RETAIN_MERGE_GAP_MAX, retain/lives.h) of a gap between a
     * customer's rows across which it stays active at the MRR it had on
     * the day before the gap; 0: overlapping and back-to-back rows only */
    int32_t merge_gap;
    bool segments; /* rows carry a segment (--by): one block per value */
    bool ids;      /* keep each customer's id, for retain_mrr_customers_each */
    bool annual;   /* amounts out are ARR: MRR x 12 */
} retain_mrr_options;

typedef struct retain_mrr retain_mrr;

/* Returns NULL when out of memory. The options are copied. The caller
 * frees the accumulator with retain_mrr_free(). */
RETAIN_API retain_mrr *retain_mrr_new(const retain_mrr_options *options);

/* Adds one subscription row of customer id (id_len > 0, copied when the
 * options keep ids) with a monthly revenue mrr (retain/money.h, >= 0).
 * segment is read only with segments (NULL or length 0: the empty value;
 * copied). end is ignored unless has_end; a row with end = start serves
 * no day and adds nothing. Rows starting after an as-of given are
 * ignored. Returns RETAIN_ERR_DATA when end < start or mrr < 0 (a credit
 * note or a refund is not a subscription), RETAIN_ERR_NOMEM; the row is
 * then not added. */
RETAIN_API retain_status retain_mrr_add(retain_mrr *mrr, const char *id, size_t id_len,
                                        const char *segment, size_t segment_len, retain_day start,
                                        retain_day end, bool has_end, retain_money amount);

/* The same for a row of the one reader (retain/reader.h), as its row
 * callback: a C program hands the reader's rows straight to the
 * accumulator (mrr is the retain_mrr). The segment is the row's first
 * extra column when the options have segments; an empty MRR cell is 0.
 * A row repeating one of the customer's exactly (its fingerprint) counts
 * once: see retain_mrr_duplicates.
 * On failure fills diag with the row's line: a negative MRR says so
 * (the caller may name the column, which the row does not carry). */
RETAIN_API retain_status retain_mrr_add_row(const retain_row *row, void *mrr, retain_diag *diag);

/* The exact duplicate rows left out: rows added with retain_mrr_add_row
 * whose fingerprint (retain_row.fingerprint) repeats that of a row of the
 * same customer (complete after finish). *place and *of (may be NULL) get
 * the retain_row.place of the first one in file order and of the earlier
 * row it repeats (see retain_reader_place_line). After retain_mrr_merge,
 * those of both accumulators and the copies of a row found in both. */
RETAIN_API unsigned long retain_mrr_duplicates(const retain_mrr *mrr, uint64_t *place,
                                               uint64_t *of);

/* Optional: room for about this many customers (retain_reader_expected_rows
 * is a fair guess), so that no table grows, and stalls, on the way. */
RETAIN_API retain_status retain_mrr_reserve(retain_mrr *mrr, size_t customers);

/* Adds everything `from` holds into `into`, as if its rows had been added
 * to `into`: two accumulators over two parts of a table merge into the
 * accumulator of the whole, whatever the split. Both must be unfinished and
 * have the same options (else RETAIN_ERR_USAGE). `from` stays the
 * caller's, unchanged in what it holds, and may be freed at once.
 * RETAIN_ERR_NOMEM (diag filled) leaves `into` unusable but freeable.
 *
 * Exact duplicate rows (retain_mrr_add_row's fingerprints) in both parts:
 * an accumulator keeps each customer's MRR curve, not its rows, so a copy
 * can be left out only whole. For each customer, when every row one
 * accumulator holds of it has a copy in the other (the usual case: a line
 * repeated in an export cut in two, a customer of one row, a file given
 * twice), the result is that of one pass, the copies counted once. When
 * each holds a row of the customer that the other lacks, a row in both
 * is summed twice, as two rows would be (it is still counted among the
 * duplicates); split by customer to avoid it. Rows added without a
 * fingerprint (retain_mrr_add) are never duplicates, and an accumulator
 * holding any is not left out in favour of the other's. */
RETAIN_API retain_status retain_mrr_merge(retain_mrr *into, retain_mrr *from, retain_diag *diag);

/* Computes the tables once every row is in. RETAIN_ERR_DATA (and diag)
 * when no row was added or a customer's MRR on a day, or the MRR of all
 * rows together, is too large to sum exactly; RETAIN_ERR_USAGE when every
 * row starts after the as-of given, when the merge gap is out of range or
 * when --from/--to leave no period. No row may be added after. */
RETAIN_API retain_status retain_mrr_finish(retain_mrr *mrr, retain_diag *diag);

/* One line of the table: a segment's period. Amounts are retain_money
 * (x 12 with annual). customers_start and customers_end count the
 * customers with MRR > 0 on the days of m0 and m1 (a customer on a free
 * plan is not a paying one). moved_in and moved_out are 0 without
 * segments. */
typedef struct {
    int32_t period; /* period index: see retain_period_label() */
    int64_t customers_start, customers_end;
    retain_money mrr_start, new_mrr, expansion, reactivation, contraction, churned;
    retain_money moved_in, moved_out, mrr_end;
} retain_mrr_row;

/* After finish: segments in byte order of their values (one, named "",
 * without segments), periods from the first to the last reported. The
 * segment's bytes are the accumulator's, valid until it is freed (not
 * NUL-terminated: use *len). */
RETAIN_API size_t retain_mrr_segments(const retain_mrr *mrr);
RETAIN_API const char *retain_mrr_segment(const retain_mrr *mrr, size_t segment, size_t *len);
RETAIN_API size_t retain_mrr_periods(const retain_mrr *mrr);
RETAIN_API void retain_mrr_get(const retain_mrr *mrr, size_t segment, size_t period,
                               retain_mrr_row *row);

/* The ratios of a row, rounded half away from zero from the exact
 * fractions into buf (RETAIN_NUMBER_BUFSIZE bytes, retain/number.h):
 * nrr_pct = (mrr_start + expansion - contraction - churned) / mrr_start
 * x 100, grr_pct = (mrr_start - contraction - churned) / mrr_start x 100,
 * revenue_churn_pct = 100 - grr_pct as rounded (the two sum to exactly
 * 100), quick_ratio = (new + reactivation + expansion) / (contraction +
 * churned). Each writes "" and returns false when its denominator is 0:
 * an undefined ratio is empty, never inf or NaN. */
RETAIN_API bool retain_mrr_nrr_pct(const retain_mrr_row *row, int decimals, char *buf);
RETAIN_API bool retain_mrr_grr_pct(const retain_mrr_row *row, int decimals, char *buf);
RETAIN_API bool retain_mrr_revenue_churn_pct(const retain_mrr_row *row, int decimals, char *buf);
RETAIN_API bool retain_mrr_quick_ratio(const retain_mrr_row *row, int decimals, char *buf);

/* After finish: the as-of in force, and whether it falls before the last
 * day of the last period reported (into *last_day, may be NULL), which is
 * then observed up to as-of: m1 is the MRR on as-of. */
RETAIN_API retain_day retain_mrr_as_of(const retain_mrr *mrr);
RETAIN_API bool retain_mrr_partial(const retain_mrr *mrr, retain_day *last_day);

/* Customers held, and the bytes their state uses (for reports). */
RETAIN_API size_t retain_mrr_customers(const retain_mrr *mrr);
RETAIN_API size_t retain_mrr_bytes(const retain_mrr *mrr);

/* A customer's movement in a period. */
typedef enum {
    RETAIN_MRR_FLAT = 0,     /* m0 = m1 > 0, same segment */
    RETAIN_MRR_NEW,          /* m0 = 0 < m1, never paid before */
    RETAIN_MRR_REACTIVATION, /* m0 = 0 < m1, paid before */
    RETAIN_MRR_EXPANSION,    /* 0 < m0 < m1 */
    RETAIN_MRR_CONTRACTION,  /* 0 < m1 < m0 */
    RETAIN_MRR_CHURNED,      /* m0 > 0 = m1 */
    RETAIN_MRR_MOVED         /* m0 > 0, m1 > 0, another segment (segments only) */
} retain_mrr_movement;

/* "flat", "new", "reactivation", "expansion", "contraction", "churned",
 * "moved"; static storage ("" out of range). */
RETAIN_API const char *retain_mrr_movement_name(retain_mrr_movement movement);

/* One customer in one period, as retain_mrr_customers_each hands it. The
 * strings are the accumulator's, valid during the callback (not
 * NUL-terminated: use the lengths). */
typedef struct {
    const char *id;
    size_t id_len;
    int32_t period;
    retain_money m0, m1; /* x 12 with annual */
    retain_mrr_movement movement;
    /* with segments: the segment of m1 (of m0 when m1 = 0), and the one it
     * moved from (length 0 unless movement is RETAIN_MRR_MOVED) */
    const char *segment;
    size_t segment_len;
    const char *from_segment;
    size_t from_segment_len;
} retain_mrr_customer;

/* After finish, with ids kept: calls fn for every customer and period
 * reported in which m0 > 0 or m1 > 0, customers in byte order of their
 * ids, each one's periods in order: the lines whose m0 and m1 sum to the
 * table's mrr_start and mrr_end. fn returns RETAIN_OK to go on; anything
 * else stops the walk, which returns it. RETAIN_ERR_USAGE without ids,
 * RETAIN_ERR_NOMEM. */
typedef retain_status (*retain_mrr_customer_fn)(const retain_mrr_customer *row, void *user);
RETAIN_API retain_status retain_mrr_customers_each(const retain_mrr *mrr, retain_mrr_customer_fn fn,
                                                   void *user);

/* The tables 'retain mrr' prints for a finished accumulator, its periods
 * of kind period (the options'), on p->out as p says (not deferred); each
 * returns the writer, unfinished (the caller calls retain_writer_finish()
 * and retain_writer_free()), or NULL when out of memory.
 *
 * - retain_mrr_write(): one row per segment and period: segment (named
 *   so: the --by column, when segment is not NULL), period,
 *   customers_start, customers_end, mrr_start (arr_start with annual),
 *   new, expansion, reactivation, contraction, churned, with segments
 *   moved_in and moved_out, then mrr_end (arr_end), nrr_pct, grr_pct,
 *   quick_ratio and revenue_churn_pct (empty when undefined); amounts
 *   and ratios with p->precision decimals.
 * - retain_mrr_write_customers() (options.ids): one row per customer and
 *   period it moved in: id, period, with segments the segment column and
 *   moved_from, m0, m1 and movement (retain_mrr_movement_name()). */
RETAIN_API retain_writer *retain_mrr_write(const retain_mrr *mrr, retain_period_kind period,
                                           const char *segment, bool annual, const retain_print *p);
RETAIN_API retain_writer *retain_mrr_write_customers(const retain_mrr *mrr,
                                                     retain_period_kind period, const char *segment,
                                                     const retain_print *p);

RETAIN_API void retain_mrr_free(retain_mrr *mrr);

#ifdef __cplusplus
}
#endif
#endif
