/* The table 'retain rate' prints (retain/rate.h): one row per segment and
 * period. */
#include <string.h>

#include <retain/number.h>

#include "cells.h"
#include <retain/rate.h>

/* A percentage cell: buf when defined, else empty. */
static void put_pct(retain_writer *w, bool defined, const char *buf)
{
    defined ? retain_writer_number(w, buf) : retain_writer_empty(w);
}

retain_writer *retain_rate_write(const retain_rate *rate, retain_period_kind period,
                                 const char *segment, const retain_print *p)
{
    static const char *const cols[] = {"period", "customers_start", "new",           "reactivated",
                                       "lost",   "customers_end",   "retention_pct", "churn_pct",
                                       "kept",   "kept_pct"};
    retain_writer *w = rt_open_segmented(p, segment, cols, 10, 0);
    int d = p->precision;
    for (size_t g = 0; w && g < retain_rate_segments(rate); g++) {
        size_t seglen;
        const char *seg = retain_rate_segment(rate, g, &seglen);
        for (size_t k = 0; k < retain_rate_periods(rate); k++) {
            retain_rate_row row;
            char pct[RETAIN_NUMBER_BUFSIZE];
            retain_rate_get(rate, g, k, &row);
            rt_write_segment_period(w, segment != NULL, seg, seglen, period, row.period);
            int64_t v[5] = {row.customers_start, row.new_customers, row.reactivated, row.lost,
                            row.customers_end};
            for (int i = 0; i < 5; i++)
                retain_writer_int(w, v[i]);
            int64_t joined = row.new_customers + row.reactivated;
            put_pct(w, retain_retention_pct(row.customers_start, row.customers_end, joined, d, pct),
                    pct);
            put_pct(w, retain_churn_pct(row.customers_start, row.customers_end, joined, d, pct),
                    pct);
            retain_writer_int(w, row.kept);
            retain_writer_ratio(w, row.kept, row.customers_start, 100, d);
            retain_writer_end_row(w);
        }
    }
    return w;
}
