/* The table 'retain repeat' prints (retain/orders.h): one row per segment
 * and cohort of first purchase. */
#include <retain/number.h>
#include <retain/orders.h>

#include "cells.h"

retain_writer *retain_orders_write_repeat(retain_orders *o, int32_t within,
                                          retain_period_kind cohort, const char *segment,
                                          const retain_print *p)
{
    static const char *const cols[] = {"cohort",
                                       "customers",
                                       "repeaters",
                                       "repeat_pct",
                                       "purchases_per_customer",
                                       "median_days_between"};
    const retain_repeat_row *rows;
    size_t n;
    if (retain_orders_repeat(o, within, &rows, &n) != RETAIN_OK)
        return NULL;
    retain_writer *w = rt_open_segmented(p, segment, cols, 6, 0);
    int d = p->precision;
    for (size_t i = 0; w && i < n; i++) {
        const retain_repeat_row *r = &rows[i];
        size_t len = 0;
        const char *seg = segment ? retain_orders_segment(o, r->segment, &len) : "";
        rt_write_segment_period(w, segment != NULL, seg, len, cohort, r->cohort);
        retain_writer_int(w, r->customers);
        retain_writer_int(w, r->repeaters);
        retain_writer_ratio(w, r->repeaters, r->customers, 100, d);
        retain_writer_ratio(w, r->purchase_days, r->customers, 1, d);
        if (r->has_median)
            retain_writer_ratio(w, r->median_num, r->median_den, 1, d);
        else
            retain_writer_empty(w);
        retain_writer_end_row(w);
    }
    return w;
}
