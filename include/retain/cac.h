/* retain/cac.h - the CAC table: spend per period and channel (a spend
 * table) joined with the new customers of a customer table
 * (retain/acquisition.h), and, with an LTV, the LTV:CAC ratio and the
 * payback of each row. What 'retain cac --spend-table' prints, for a C
 * program. See retain-cac(1) and retain-metrics(7).
 *
 * The flow: retain_acquisition_new(); retain_spend_table_add() with the
 * spend table; retain_acquisition_add_rate() with the finished rate table
 * of the customers (its segments are the channels); then, for each row of
 * retain_acquisition_row_at(), retain_cac_join_row() with a join made by
 * retain_cac_join_new(); or retain_cac_write() for the whole table. */
#ifndef RETAIN_CAC_H
#define RETAIN_CAC_H

#include <stdbool.h>
#include <stddef.h>

#include <retain/acquisition.h>
#include <retain/ltv.h>
#include <retain/output.h>
#include <retain/period.h>
#include <retain/status.h>
#include <retain/table.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a spend table is read. */
typedef struct {
    retain_period_kind period; /* what its period labels are (dates count too) */
    bool has_from, has_to;     /* rows of periods outside [from, to] are left out */
    int32_t from, to;
    char decimal; /* of its amounts: '.' (also 0) or ',' */
    /* Its columns: NULL for "period", "spend", and "channel" (or, when
     * segment is set, a column named like it). */
    const char *period_column, *spend_column, *channel_column;
    /* The customer table's column matched with the channel (--by), or NULL:
     * then a channel column, when there is one, is matched with the
     * customer table's column of that name. */
    const char *segment;
} retain_spend_options;

/* Adds the rows of a spend table t to a: each row's amount (an empty cell:
 * unknown) to its period and channel. *channel (may be NULL) receives the
 * name of the channel column used (owned by t), or NULL when there is
 * none: the customer table's column to segment by. RETAIN_ERR_USAGE when a
 * column is missing (the message names it); RETAIN_ERR_DATA with the line
 * and column for a cell that is not a period label (nor a date) or not an
 * amount of 0 or more, or sums past the money range; RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_spend_table_add(retain_acquisition *a, const retain_table *t,
                                                const retain_spend_options *options,
                                                const char **channel, retain_diag *diag);

/* The LTV side of the join. A value given (defined) wins over the LTV
 * table's column of that name. */
typedef struct {
    retain_value ltv, arpu;
    retain_value margin;           /* a fraction; undefined: the table's column, else 1 */
    double min_ratio;              /* below this LTV:CAC a row is flagged (3: retain-metrics(7)) */
    const retain_table *ltv_table; /* the caller's, or NULL: none. Columns ltv,
                                    * and to join on: period and the segment
                                    * column (or channel); arpu, margin. */
    const char *segment;           /* the channel column's name (--by), or NULL */
    retain_period_kind period;
} retain_cac_join_options;

/* One row of the CAC table. */
typedef struct {
    retain_value cac;     /* spend / new: defined when both are known and new > 0 */
    retain_value ltv;     /* given, or the matching LTV row's */
    retain_value ltv_cac; /* ltv / cac */
    retain_value payback; /* cac / (arpu x margin), in periods of the LTV's ARPU */
    bool below_min_ratio; /* ltv_cac defined and below min_ratio */
} retain_cac_row;

typedef struct retain_cac_join retain_cac_join;

/* Checks the options and the LTV table (an ltv column; a period column
 * whose labels read as the period kind; something to join on when it
 * has several rows): RETAIN_ERR_DATA (line, column) or RETAIN_ERR_USAGE
 * with the message, RETAIN_ERR_NOMEM; NULL then. Free with
 * retain_cac_join_free(); options->ltv_table must outlive the join. */
RETAIN_API retain_cac_join *retain_cac_join_new(const retain_cac_join_options *options,
                                                retain_diag *diag);

/* Whether the join has an LTV (given or a table): the CAC table then has
 * the columns ltv, ltv_cac, payback_periods and warning. */
RETAIN_API bool retain_cac_join_has_ltv(const retain_cac_join *join);

/* The name of the payback column, in the unit the payback is computed in:
 * "payback_months" when the ARPU comes from an LTV table made by retain
 * ltv from a customer table (it has churn_months: its ARPU is a monthly
 * MRR), whatever the CAC's period; "payback_periods" otherwise (periods
 * of the ARPU given). */
RETAIN_API const char *retain_cac_join_payback_name(const retain_cac_join *join);

/* The CAC, LTV, LTV:CAC and payback of one acquisition row; the LTV row
 * is the first whose period (when the table has one) and segment (when it
 * has one) are the row's. RETAIN_ERR_DATA (with the line and column of
 * the LTV table) for a cell that is not a number of 0 or more, or a margin
 * above 1. */
RETAIN_API retain_status retain_cac_join_row(const retain_cac_join *join,
                                             const retain_acquisition_row *row, retain_cac_row *out,
                                             retain_diag *diag);

RETAIN_API void retain_cac_join_free(retain_cac_join *join);

/* Writes the CAC table 'retain cac --spend-table' prints for the rows of
 * a (retain_acquisition_add_rate() done) and the join, on p->out as p
 * says (retain/output.h), deferred: columns period, the join's segment
 * column (when options->segment was set), spend, new, cac; with an LTV
 * (retain_cac_join_has_ltv()) also ltv, ltv_cac, the payback column
 * (retain_cac_join_payback_name()) and warning ("LTV:CAC below R", R the
 * min_ratio with the fewest decimals that give it back). spend and cac
 * are exact from the amounts (cac = spend / new rounded from the exact
 * fraction); ltv, ltv_cac and the payback are rounded to p->precision
 * decimals; undefined values are empty cells.
 *
 * On RETAIN_OK, *out is the writer, unfinished: the caller calls
 * retain_writer_finish() (the status of the whole table) and
 * retain_writer_free(). Otherwise *out is NULL, nothing was written, and
 * diag says why: RETAIN_ERR_NOMEM, or the error of retain_cac_join_row()
 * for a cell of the LTV table. a and join stay the caller's; the join's
 * LTV table and segment name must live until the writer is freed. */
RETAIN_API retain_status retain_cac_write(retain_acquisition *a, const retain_cac_join *join,
                                          const retain_print *p, retain_writer **out,
                                          retain_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
