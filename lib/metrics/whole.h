/* Customers added whole: for a caller that already knows its customers
 * apart (the event accumulator's registry, retain/events.h) and hands
 * each one's rows over at once, with no id to hash and look up again.
 * Not exported.
 *
 * A customer is its rows (rt_span: start, end RT_NO_END when open, MRR)
 * and one segment. A customer added so is never found by an id: fill a
 * table either by ids or whole, never both. The checks and errors are
 * those of the functions by id (a row starting after the as-of is left
 * out, as there; RETAIN_ERR_DATA for a row ending before it starts). */
#ifndef RETAIN_WHOLE_H
#define RETAIN_WHOLE_H

#include <stdbool.h>
#include <stddef.h>

#include <retain/ltv.h>
#include <retain/rate.h>

#include "store.h"

/* As retain_rate_add() for each of the n rows of one customer. The rows
 * may be reordered and changed (their MRR is not read). */
retain_status rt_rate_add_customer(retain_rate *rate, const char *segment, size_t segment_len,
                                   rt_span *rows, size_t n);

/* Makes the rate count each customer added whole at once and keep none
 * of its rows: the periods counted are those from the one holding `from`
 * on (the rows before it tell only who was active on its eve), and the
 * finished rate lists them from there, or from the first start if later.
 * Before any row, with the as-of given and no --from/--to:
 * RETAIN_ERR_USAGE otherwise; RETAIN_ERR_NOMEM. */
retain_status rt_rate_count_whole(retain_rate *rate, retain_day from);

/* Adds the counts of `from` into `into`, both counting whole from the same
 * period with the same options and neither finished: rates over two sets
 * of customers merge into the rate of both. RETAIN_ERR_USAGE when they
 * differ, RETAIN_ERR_NOMEM. */
retain_status rt_rate_merge_whole(retain_rate *into, const retain_rate *from);

/* Takes the customers of `part` (counting whole as `rate`, in any of its
 * segments) out of rate's segment `segment`, which counted them too: that
 * segment then counts its other customers, exactly. RETAIN_ERR_USAGE and
 * RETAIN_ERR_NOMEM as rt_rate_merge_whole. */
retain_status rt_rate_take_out(retain_rate *rate, const char *segment, size_t segment_len,
                               const retain_rate *part);

/* As retain_ltv_table_add() for each of the n rows of one customer, with
 * their MRR when has_mrr. The rows are summed at once, never kept: the
 * table must have its as-of given (RETAIN_ERR_USAGE without it, or with
 * the survival option, whose curves are made by id). The rows may be
 * reordered and changed. */
retain_status rt_ltv_table_add_customer(retain_ltv_table *table, const char *segment,
                                        size_t segment_len, rt_span *rows, size_t n, bool has_mrr);

/* rt_rate_count_whole for the table's monthly rate: the churn of the
 * months from the one holding `from` on needs no customer's rows kept. */
retain_status rt_ltv_table_count_whole(retain_ltv_table *table, retain_day from);

/* Adds `from` into `into`, both filled whole (rt_ltv_table_count_whole
 * from the same day, the same options), neither finished: the tables of
 * two sets of customers merge into the table of both. RETAIN_ERR_USAGE
 * when they differ, RETAIN_ERR_DATA when the MRR sums would pass the
 * money range, RETAIN_ERR_NOMEM. */
retain_status rt_ltv_table_merge_whole(retain_ltv_table *into, const retain_ltv_table *from);

/* Takes the customers of `part` (filled whole as `table`, in any of its
 * segments, with the same rows) out of table's segment `segment`, which
 * holds them too: its sums and its rate's counts are then those of its
 * other customers, exactly (the first rows seen of the window are kept).
 * Errors as rt_ltv_table_merge_whole. */
retain_status rt_ltv_table_take_out(retain_ltv_table *table, const char *segment,
                                    size_t segment_len, const retain_ltv_table *part);

#endif
