/* retain/ltv.h - lifetime value (LTV), acquisition cost (CAC), LTV:CAC and
 * CAC payback; and, from a customer table, the ARPU, churn and observed
 * revenue per customer that LTV is built from. See retain-metrics(7) and
 * retain-ltv(1).
 *
 * In the library churn c, margin m and discount d are fractions per period
 * (0.035, not 3.5). With r = 1 - c:
 *   simple LTV     = ARPU x m / c
 *   discounted LTV = ARPU x m x (1 + d) / (d + c)
 *                  = sum over t >= 0 of ARPU x m x r^t / (1 + d)^t
 *                    (first payment at once; d = 0 gives the simple LTV)
 *   CAC            = spend / new customers
 *   LTV:CAC        = LTV / CAC
 *   payback        = CAC / (ARPU x m), in periods
 * Each function returns RETAIN_ERR_USAGE (and fills diag, which may be
 * NULL) for an impossible input: not a finite number, a margin outside
 * [0, 1], a negative churn, discount, ARPU, spend, customer count, LTV or
 * CAC (a churn above 1 is possible: TRC counts customers who join and
 * leave within the period against it). Otherwise RETAIN_OK, with out->defined false (and out->value
 * 0) when a denominator is 0: an undefined value is empty, never inf or NaN. */
#ifndef RETAIN_LTV_H
#define RETAIN_LTV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/money.h>
#include <retain/output.h>
#include <retain/reader.h>
#include <retain/status.h>
#include <retain/survival.h>
#include <retain/table.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    double value; /* 0 when not defined */
    bool defined;
} retain_value;

/* Writes v rounded to `decimals` places (retain_writer_real()), or an
 * empty cell when it is undefined. Sticky errors as retain/output.h says. */
RETAIN_API retain_status retain_writer_value(retain_writer *w, retain_value v, int decimals);

RETAIN_API retain_status retain_ltv_simple(double arpu, double margin, double churn,
                                           retain_value *out, retain_diag *diag);
RETAIN_API retain_status retain_ltv_discounted(double arpu, double margin, double churn,
                                               double discount, retain_value *out,
                                               retain_diag *diag);
RETAIN_API retain_status retain_cac(double spend, double new_customers, retain_value *out,
                                    retain_diag *diag);
/* LTV as 'retain ltv --arpu A --churn C --margin M --discount D' prints
 * it: retain_ltv_discounted() with the churn and the discount in percent
 * per period (3.5 = 3.5 %), in buf (RETAIN_NUMBER_BUFSIZE bytes) to
 * `decimals` places; "" when undefined (churn and discount 0: the lifetime
 * has no end). Errors as retain_ltv_discounted(). */
RETAIN_API retain_status retain_ltv_format(double arpu, double margin, double churn_pct,
                                           double discount_pct, int decimals, char *buf,
                                           retain_diag *diag);
/* CAC = spend / new_customers as 'retain cac --spend S --new N' prints it,
 * in buf (RETAIN_NUMBER_BUFSIZE bytes) to `decimals` places: exact
 * (retain_format_money_ratio) when spend_text, the spend as typed (may be
 * NULL), is a plain amount and new_customers a whole number, else rounded
 * from retain_cac(); "" when undefined (no new customer). Errors as
 * retain_cac(). */
RETAIN_API retain_status retain_cac_format(double spend, const char *spend_text,
                                           double new_customers, int decimals, char *buf,
                                           retain_diag *diag);

/* LTV from a survival curve instead of a constant churn (retain ltv
 * --method survival): ARPU x m x sum over months k = 0 .. horizon - 1 of
 * S(k months) / (1 + d)^k, where S is the Kaplan-Meier curve of
 * subscription lives (steps in days, see retain/survival.h; a month is
 * 365.25 / 12 days) and d the monthly discount. horizon must be 1 to 1200
 * months. An empty curve (no life) leaves the LTV undefined. */
RETAIN_API retain_status retain_ltv_survival(const retain_km_step *steps, size_t nsteps,
                                             double arpu, double margin, double discount,
                                             int horizon, retain_value *out, retain_diag *diag);
RETAIN_API retain_status retain_ltv_cac(double ltv, double cac, retain_value *out,
                                        retain_diag *diag);
RETAIN_API retain_status retain_cac_payback(double cac, double arpu, double margin,
                                            retain_value *out, retain_diag *diag);

/* The inputs of LTV from a customer table, per segment.
 *
 * - customers: customers active on as-of; arpu: the mean over them of the
 *   MRR summed over each one's rows active on as-of (undefined when none).
 * - churn: the mean churn (TRC, as retain rate computes it, a fraction) of
 *   the `window` last calendar months that end on or before as-of (or of
 *   the months from..to, below), months
 *   whose churn is undefined (no customer at their start) left out;
 *   months: how many were averaged (churn undefined when 0).
 * - customers_seen: customers with a row starting on or before as-of;
 *   observed_revenue: the mean over them of the revenue received to as-of,
 *   each row giving its MRR x months served, where months served = days
 *   served up to as-of (end excluded, as-of included) / (365.25 / 12). */
typedef struct {
    bool has_as_of; /* else: the latest start seen */
    retain_day as_of;
    int window;        /* months, >= 1 */
    int32_t merge_gap; /* days: rows this close are one life (retain/lives.h) */
    bool segments;     /* retain_ltv_table_add_row: the first extra column is the segment */
    /* retain ltv --from/--to (month indexes, retain/period.h): the months
     * whose churn is averaged are from `from` (instead of the `window`
     * last ones) to `to` (when before the last month that ends on or
     * before as-of). retain_ltv_table_finish() returns RETAIN_ERR_USAGE
     * when they leave no month from the first start's to as-of's. */
    bool has_from, has_to;
    int32_t from, to;
    /* retain ltv --method survival: the table also makes the Kaplan-Meier
     * curves of the same rows, segmented alike (retain/survival.h, with
     * as-of and merge_gap), finished with it: retain_ltv_table_survival() */
    bool survival;
} retain_ltv_table_options;

typedef struct {
    int64_t customers;
    retain_value arpu;
    retain_money mrr_sum; /* the MRR summed over those customers: ARPU is
                             mrr_sum / customers, exactly (see
                             retain_format_money_ratio) */
    retain_value churn;
    int months;
    int64_t customers_seen;
    retain_value observed_revenue;
} retain_ltv_inputs;

#define RETAIN_DAYS_PER_MONTH (365.25 / 12.0)

typedef struct retain_ltv_table retain_ltv_table;

/* NULL when out of memory. The caller frees it with retain_ltv_table_free(). */
RETAIN_API retain_ltv_table *retain_ltv_table_new(const retain_ltv_table_options *options);

/* One subscription row (segment_len 0: no segment); mrr counts only when
 * has_mrr. RETAIN_ERR_DATA when end < start, or when the absolute amounts
 * added pass 2^63 millionths (no sum of them could be exact). */
RETAIN_API retain_status retain_ltv_table_add(retain_ltv_table *table, const char *segment,
                                              size_t segment_len, const char *id, size_t id_len,
                                              retain_day start, retain_day end, bool has_end,
                                              retain_money mrr, bool has_mrr);

/* A retain_row_fn (retain/reader.h) that adds a row of the customer table
 * to the LTV table passed as user, as retain_ltv_table_add() does: with
 * the segments option the row's first extra column is its segment (the
 * reader's options list the --by column first). A row with a fingerprint
 * (retain_row.fingerprint, not 0) equal to that of a row of the same
 * customer in the same segment added before is an exact duplicate,
 * counted (retain_ltv_table_duplicates) and left out. Errors as
 * retain_ltv_table_add(), with the row's line in diag. */
RETAIN_API retain_status retain_ltv_table_add_row(const retain_row *row, void *table,
                                                  retain_diag *diag);
/* The exact duplicate rows left out (rows are added in batches: complete
 * after finish); *place and *of (may be NULL) the retain_row.place of the
 * first one in file order and of the earlier row it repeats (see
 * retain_reader_place_line). */
RETAIN_API unsigned long retain_ltv_table_duplicates(const retain_ltv_table *table, uint64_t *place,
                                                     uint64_t *of);

/* Once every row is in. RETAIN_ERR_DATA when no row was added,
 * RETAIN_ERR_USAGE when every row starts after the as-of given. */
RETAIN_API retain_status retain_ltv_table_finish(retain_ltv_table *table, retain_diag *diag);

/* After finish: segments in byte order of their names (one, named "",
 * without segments). */
RETAIN_API size_t retain_ltv_table_segments(const retain_ltv_table *table);
RETAIN_API const char *retain_ltv_table_segment(const retain_ltv_table *table, size_t segment,
                                                size_t *len);
RETAIN_API void retain_ltv_table_get(const retain_ltv_table *table, size_t segment,
                                     retain_ltv_inputs *out);
RETAIN_API retain_day retain_ltv_table_as_of(const retain_ltv_table *table);
/* The curves of the survival option (for retain_ltv_method.survival),
 * owned by the table and valid until it is freed; NULL without the
 * option. */
RETAIN_API const retain_survival *retain_ltv_table_survival(const retain_ltv_table *table);

RETAIN_API void retain_ltv_table_free(retain_ltv_table *table);

/* How the LTV of a segment is computed from its inputs. */
typedef struct {
    double margin;   /* a fraction */
    double discount; /* per month, a fraction */
    /* NULL: the constant churn (retain_ltv_discounted with the segment's
     * churn); else the Kaplan-Meier curves of the same rows, segmented
     * alike, and LTV is retain_ltv_survival with the segment's curve. */
    const retain_survival *survival;
    int horizon; /* months, with survival */
} retain_ltv_method;

/* The LTV of a segment of a finished LTV table (undefined when its ARPU,
 * or with the constant method its churn, is). */
RETAIN_API retain_status retain_ltv_table_value(const retain_ltv_table *table, size_t segment,
                                                const retain_ltv_method *method, retain_value *out,
                                                retain_diag *diag);

/* Writes the table 'retain ltv' prints for a customer table: one row per
 * segment of the finished LTV table, on p->out as p says (retain/output.h;
 * not deferred), with the columns segment (named so: the --by column;
 * NULL for a table without segments), customers, arpu (mrr_sum /
 * customers, exact), margin, churn_pct, churn_months, discount_pct
 * (method->discount x 100), horizon_months (with method->survival only),
 * ltv (retain_ltv_table_value()), customers_seen and observed_revenue;
 * undefined values are empty cells. Returns the writer, unfinished (the
 * caller calls retain_writer_finish() and retain_writer_free()), or NULL
 * when out of memory. table, method and segment stay the caller's; the
 * writer copies the column names. */
RETAIN_API retain_writer *retain_ltv_write(const retain_ltv_table *table, const char *segment,
                                           const retain_ltv_method *method, const retain_print *p);

/* LTV applied to every row of a table with a churn_pct column (the
 * output of retain rate or retain churn): each row gains, or has replaced,
 * the values of the columns arpu, margin, discount_pct and ltv. */
enum { RETAIN_LTV_ARPU, RETAIN_LTV_MARGIN, RETAIN_LTV_DISCOUNT, RETAIN_LTV_LTV, RETAIN_LTV_ADDED };

/* "arpu", "margin", "discount_pct", "ltv". */
RETAIN_API const char *retain_ltv_added_name(int added);

/* Values given for every row: a defined one wins over the table's column
 * of that name. Undefined with no column: margin 1, discount 0. The
 * discount is in percent per period, as the discount_pct column. */
typedef struct {
    retain_value arpu, margin, discount;
} retain_ltv_given;

/* Where the columns are; filled by retain_ltv_apply_init. */
typedef struct {
    size_t churn_col;
    bool has[RETAIN_LTV_ADDED]; /* the table has the column ... */
    size_t col[RETAIN_LTV_ADDED];
    retain_ltv_given given;
} retain_ltv_apply;

/* RETAIN_ERR_USAGE when t has no churn_pct column, or no arpu column and
 * no ARPU is given (the message starts with "has churn_pct ..."). */
RETAIN_API retain_status retain_ltv_apply_init(retain_ltv_apply *apply, const retain_table *t,
                                               const retain_ltv_given *given, retain_diag *diag);

/* The four values of a row (out[RETAIN_LTV_ADDED]): ltv is undefined when
 * churn_pct, or the ARPU, margin or discount, is empty.
 * RETAIN_ERR_DATA (line, column) for a cell that is not a number in its
 * range: churn_pct 0 to 100, arpu 0 to 1e15, margin 0 to 1, discount_pct
 * 0 to 1e6. */
RETAIN_API retain_status retain_ltv_apply_row(const retain_ltv_apply *apply, const retain_table *t,
                                              size_t row, retain_value *out, retain_diag *diag);

/* Writes t with its LTV columns, as 'retain ltv' prints a table of rates:
 * every column of t, a column arpu, margin, discount_pct or ltv holding
 * the row's value of retain_ltv_apply_row(), then those of the four that
 * t lacks, in that order; cells passed through are numbers when they are
 * plain decimals, else text. Deferred, on p->out as p says. On RETAIN_OK
 * *out is the writer, unfinished (the caller calls retain_writer_finish()
 * and retain_writer_free()); otherwise *out is NULL, nothing was written,
 * and diag holds RETAIN_ERR_NOMEM or the row's error of
 * retain_ltv_apply_row(). apply and t stay the caller's. */
RETAIN_API retain_status retain_ltv_apply_write(const retain_ltv_apply *apply,
                                                const retain_table *t, const retain_print *p,
                                                retain_writer **out, retain_diag *diag);

/* retain_ltv_apply_init() then retain_ltv_apply_write(): the table 'retain
 * ltv' prints for t, a table of rates, with the values given; their errors
 * (RETAIN_ERR_USAGE: t cannot take LTV, the message as init's). */
RETAIN_API retain_status retain_ltv_apply_table(const retain_table *t,
                                                const retain_ltv_given *given,
                                                const retain_print *p, retain_writer **out,
                                                retain_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
