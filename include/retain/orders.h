/* retain/orders.h - per-customer summaries of an orders table, streamed.
 *
 * An orders table has one row per order (or invoice): a customer id, a day
 * and an amount. Orders of one customer on the same day are one purchase,
 * their amounts summed. The accumulator keeps, per customer, its id, its
 * first, second and last purchase days, the number of purchase days, the
 * spend of its first day and of the later ones (and, with a holdout, the
 * purchase days after calibration): never an order. Memory grows with the
 * customers, not with the orders.
 *
 * Orders of one customer must arrive in date order (an export sorted by
 * date, or by customer and date); orders of the same day may come in any
 * order, and a customer's second order may be earlier than its first. Any
 * other order that goes back in time is RETAIN_ERR_DATA: which earlier day
 * it belongs to, if any, is no longer known. Two accumulators merge, the
 * second holding the later orders (two halves of a table split at a row).
 *
 * From the summaries (retain-metrics(7), "retain rfm"; as
 * lifetimes' summary_data_from_transaction_data):
 * for a calibration end E, frequency x = purchase days after the first up
 * to E; recency t_x = last - first purchase day; T = E - first; monetary =
 * repeat spend / x (0 when x = 0). Then RFM scores and the repeat-purchase
 * table per cohort. See retain-rfm(1) and retain-repeat(1). */
#ifndef RETAIN_ORDERS_H
#define RETAIN_ORDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/money.h>
#include <retain/period.h>
#include <retain/output.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    /* The observation day: orders after it are ignored. Default: the
     * latest order. */
    bool has_as_of;
    retain_day as_of;
    /* With a holdout, calibration ends on holdout_from - 1 and the purchase
     * days from holdout_from to as-of are counted apart (retain clv
     * --holdout-from). Without, calibration ends on as-of. */
    bool has_holdout;
    retain_day holdout_from;
    /* The cohort period of retain_orders_repeat() (a customer's cohort is
     * the period of its first purchase). */
    retain_period_kind cohort;
    /* retain repeat --from/--to (period indexes of kind cohort): the
     * cohorts of retain_orders_repeat() run from `from` (instead of the
     * first purchase's) to `to` (instead of E's), never outside those two.
     * retain_orders_finish() returns RETAIN_ERR_USAGE when they leave no
     * cohort. */
    bool has_from, has_to;
    int32_t from, to;
} retain_orders_options;

typedef struct retain_orders retain_orders;

/* Returns NULL when out of memory or when holdout_from is after an as-of
 * given. The caller frees it with retain_orders_free(). */
RETAIN_API retain_orders *retain_orders_new(const retain_orders_options *options);

/* Adds one order: customer id (id_len > 0, copied), its segment (the --by
 * value, NULL or segment_len 0 for none; a customer's segment is the one of
 * its first order), the day and the amount (0 when the table has none).
 * RETAIN_ERR_DATA with diag filled when the order goes back in time for its
 * customer (see above), when the amount is negative, or when a sum
 * overflows; RETAIN_ERR_NOMEM. diag's line is left 0 for the caller to set. */
RETAIN_API retain_status retain_orders_add(retain_orders *orders, const char *id, size_t id_len,
                                           const char *segment, size_t segment_len, retain_day day,
                                           retain_money amount, retain_diag *diag);

/* Adds everything later holds into orders, as if later's orders had been
 * added after orders' own (later stays the caller's and unchanged). Both
 * must have the same options and not be finished. RETAIN_ERR_DATA when a
 * customer's orders in later start before its last day in orders. */
RETAIN_API retain_status retain_orders_merge(retain_orders *orders, const retain_orders *later,
                                             retain_diag *diag);

/* Ends the input: fixes as-of (the latest order when none was given) and
 * the calibration end. RETAIN_ERR_DATA when no customer purchased by the
 * calibration end; RETAIN_ERR_USAGE when options.from and to leave no
 * cohort. After it, no add or merge. */
RETAIN_API retain_status retain_orders_finish(retain_orders *orders, retain_diag *diag);

/* After finish: as-of, the calibration end (as-of, or holdout_from - 1),
 * and the customers, in order of their first appearance in the input
 * (customers whose first purchase is after the calibration end included,
 * with calibrated false). */
RETAIN_API retain_day retain_orders_as_of(const retain_orders *orders);
RETAIN_API retain_day retain_orders_calibration_end(const retain_orders *orders);
RETAIN_API size_t retain_orders_customers(const retain_orders *orders);

/* What is known of one customer at the calibration end E. */
typedef struct {
    const char *id; /* NUL-terminated, id_len bytes; owned by the accumulator */
    size_t id_len;
    const char *segment; /* "" when none; owned by the accumulator */
    size_t segment_len;
    bool calibrated;           /* a purchase on or before E; else only holdout */
    retain_day first;          /* first purchase day */
    retain_day second;         /* second purchase day, when frequency > 0 */
    retain_day last;           /* last purchase day up to E */
    int64_t frequency;         /* x: purchase days after the first, up to E */
    retain_money first_spend;  /* amounts of the first day */
    retain_money repeat_spend; /* amounts of the x later days */
    int64_t holdout;           /* purchase days from holdout_from to as-of */
} retain_order_summary;

/* Fills *s for customer i (0 <= i < retain_orders_customers()); the
 * pointers stay valid until the accumulator is freed. */
RETAIN_API void retain_orders_get(const retain_orders *orders, size_t i, retain_order_summary *s);

/* RFM scores, 1..5, of every calibrated customer (customers not calibrated
 * get 0): score = 1 + floor(5 k / n), n the calibrated customers, k those
 * strictly worse: R on E - last (more days is worse), F on frequency, M on
 * monetary (exact ratios of money). Equal values share a score. r, f and m
 * are the caller's arrays of retain_orders_customers() entries. */
RETAIN_API retain_status retain_orders_rfm(const retain_orders *orders, uint8_t *r, uint8_t *f,
                                           uint8_t *m);

/* One line of the repeat-purchase table: a segment and a cohort. */
typedef struct {
    size_t segment;        /* index for retain_orders_segment() */
    int32_t cohort;        /* period index (options.cohort) */
    int64_t customers;     /* first purchase in the cohort, up to E */
    int64_t repeaters;     /* a second purchase day within `within` days */
    int64_t purchase_days; /* purchase days of the cohort's customers, up to E */
    /* median over the cohort's customers with two purchase days or more of
     * (last - first) / (purchase days - 1), their mean days between
     * consecutive purchases; has_median false when none */
    bool has_median;
    int64_t median_num, median_den; /* the median as an exact fraction */
} retain_repeat_row;

/* After finish: segments in byte order of their names (one, "", when no
 * segment was given); owned by the accumulator. */
RETAIN_API size_t retain_orders_segments(const retain_orders *orders);
RETAIN_API const char *retain_orders_segment(const retain_orders *orders, size_t segment,
                                             size_t *len);

/* The repeat table, by segment then cohort (every cohort from the first to
 * the one of E, narrowed by options.from and to, empty ones included); within < 0 counts any second
 * purchase up to E. *rows is owned by the accumulator and valid until the next call or the free.
 * RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_orders_repeat(retain_orders *orders, int32_t within,
                                              const retain_repeat_row **rows, size_t *nrows);

/* Writes the table 'retain repeat' prints: retain_orders_repeat() (within
 * as there) with its cohorts of kind cohort (options.cohort), on p->out as
 * p says (not deferred): the columns segment (named so: the --by column,
 * when segment is not NULL), cohort, customers, repeaters, repeat_pct =
 * repeaters / customers x 100, purchases_per_customer = purchase days /
 * customers, median_days_between (empty when no customer bought twice),
 * rounded from the exact fractions to p->precision decimals. Returns the
 * writer, unfinished (the caller calls retain_writer_finish() and
 * retain_writer_free()), or NULL when out of memory. */
RETAIN_API retain_writer *retain_orders_write_repeat(retain_orders *orders, int32_t within,
                                                     retain_period_kind cohort, const char *segment,
                                                     const retain_print *p);

/* Writes the table 'retain rfm' prints, on p->out as p says (not
 * deferred): per calibrated customer id, frequency, recency and T (whole
 * days, or units of unit_days days rounded to p->precision decimals),
 * monetary (the mean repeat spend, exact), R, F, M (retain_orders_rfm())
 * and rfm, the three digits. Returns the writer, unfinished (the caller
 * calls retain_writer_finish() and retain_writer_free()), or NULL when out
 * of memory. */
RETAIN_API retain_writer *retain_orders_write_rfm(const retain_orders *orders, double unit_days,
                                                  const retain_print *p);

/* Bytes the per-customer state holds, for memory reports. */
RETAIN_API size_t retain_orders_bytes(const retain_orders *orders);

RETAIN_API void retain_orders_free(retain_orders *orders);

#ifdef __cplusplus
}
#endif
#endif
