/* The cells of a customer's order summary, shared by the tables of retain
 * rfm (rfm_table.c) and retain clv (lib/models/clv_table.c); nothing here
 * is exported. */
#ifndef RETAIN_ORDERS_CELLS_H
#define RETAIN_ORDERS_CELLS_H

#include <retain/orders.h>
#include <retain/output.h>

/* The recency, T and monetary cells of a customer's order summary (retain
 * clv, retain rfm): recency = last - first and T = E - first purchase, in
 * whole days or in units of unit_days days rounded to `decimals`; the mean
 * repeat spend, exact. */
void rt_write_summary_cells(retain_writer *w, const retain_order_summary *s, retain_day E,
                            double unit_days, int decimals);

#endif
