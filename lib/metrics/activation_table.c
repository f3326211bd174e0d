/* The tables 'retain activation' prints (retain/activation.h): per segment
 * and cohort, and the onboarding comparison. */
#include <string.h>

#include <retain/activation.h>

#include "cells.h"

retain_writer *retain_activation_write(const retain_activation *a, retain_period_kind period,
                                       const char *segment, const retain_print *p)
{
    static const char *const cols[] = {"cohort", "customers", "activated", "activated_pct",
                                       "median_days"};
    retain_writer *w = rt_open_segmented(p, segment, cols, 5, RETAIN_WRITER_DEFERRED);
    for (size_t g = 0; w && g < retain_activation_segments(a); g++) {
        size_t len;
        const char *seg = retain_activation_segment(a, g, &len);
        for (size_t k = 0; k < retain_activation_cohorts(a); k++) {
            retain_activation_cell cell;
            retain_activation_get(a, g, k, &cell);
            rt_write_segment_period(w, segment != NULL, seg, len, period,
                                    retain_activation_cohort(a, k));
            retain_writer_int(w, cell.customers);
            retain_writer_int(w, cell.activated);
            retain_writer_ratio(w, cell.activated, cell.customers, 100, p->precision);
            if (cell.has_median)
                retain_writer_real(w, cell.median_days, p->precision);
            else
                retain_writer_empty(w);
            retain_writer_end_row(w);
        }
    }
    return w;
}

retain_writer *retain_activation_write_onboarding(const retain_activation *a, const char *segment,
                                                  const retain_print *p)
{
    static const char *const cols[] = {"group", "customers", "churned", "onboarding_churn_pct"};
    retain_writer *w = rt_open_segmented(p, segment, cols, 4, RETAIN_WRITER_DEFERRED);
    for (size_t g = 0; w && g < retain_activation_segments(a); g++) {
        size_t len;
        const char *seg = retain_activation_segment(a, g, &len);
        retain_activation_onboarding b;
        retain_activation_onboarding_get(a, g, &b);
        for (int late = 0; late < 2; late++) {
            const char *group = late ? "late_or_never" : "early";
            int64_t customers = late ? b.late : b.early;
            int64_t churned = late ? b.late_churned : b.early_churned;
            if (segment)
                retain_writer_text(w, seg, len);
            retain_writer_text(w, group, strlen(group));
            retain_writer_int(w, customers);
            retain_writer_int(w, churned);
            retain_writer_ratio(w, churned, customers, 100, p->precision);
            retain_writer_end_row(w);
        }
    }
    return w;
}
