/* Customers added whole: for a caller that already knows its customers
 * apart (the event accumulator's registry, retain/events.h) and hands
 * each one's rows over together, with no id to hash and look up again.
 * Not exported.
 *
 * new_customer marks the first row of a customer; the rows after it, up
 * to the next such, are that customer's. A customer added so is never
 * found by an id: fill a table either by ids or whole, never both. The
 * checks and errors are those of the functions by id (a row starting
 * after the as-of is left out, as there). */
#ifndef RETAIN_WHOLE_H
#define RETAIN_WHOLE_H

#include <stdbool.h>
#include <stddef.h>

#include <retain/ltv.h>
#include <retain/rate.h>

/* As retain_rate_add(), the customer told by new_customer. */
retain_status rt_rate_add_whole(retain_rate *rate, const char *segment, size_t segment_len,
                                retain_day start, retain_day end, bool has_end, bool new_customer);

/* As retain_ltv_table_add(), the customer told by new_customer (a row in
 * another segment begins another, as a customer is one per segment). The
 * rows are summed as they come, never kept: the table must have its as-of
 * given. RETAIN_ERR_USAGE without it, or with the survival option (its
 * curves are made by id). */
retain_status rt_ltv_table_add_whole(retain_ltv_table *table, const char *segment,
                                     size_t segment_len, retain_day start, retain_day end,
                                     bool has_end, retain_money mrr, bool has_mrr,
                                     bool new_customer);

#endif
