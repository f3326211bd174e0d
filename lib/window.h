/* The observation window shared by the metrics: which rows are observed
 * (those starting on or before as-of), what as-of is once every row is in
 * (given, or the latest start), and a day-to-period table over the days
 * observed. Not exported. */
#ifndef RETAIN_WINDOW_H
#define RETAIN_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/period.h>
#include <retain/status.h>

typedef struct {
    bool has_as_of; /* given by the caller */
    retain_day as_of;
    bool any, any_ignored;
    retain_day min_start, max_start; /* of the rows kept */
    retain_day min_ignored;          /* earliest start after a given as-of */
} rt_window;

void rt_window_init(rt_window *w, bool has_as_of, retain_day as_of);

/* Whether a row starting on `start` is observed; notes its start. Rows
 * starting after a given as-of are not customers yet (SPEC). */
bool rt_window_keep(rt_window *w, retain_day start);

/* Once every row is in: the as-of in force. RETAIN_ERR_USAGE when every row
 * starts after the as-of given, RETAIN_ERR_DATA when there was no row. */
retain_status rt_window_close(rt_window *w, retain_day *as_of, retain_diag *diag);

/* The period of every day from..to, looked up instead of computed per
 * row. */
typedef struct {
    retain_day from;
    size_t n;
    int32_t *period;
} rt_day_periods;

bool rt_day_periods_init(rt_day_periods *t, retain_period_kind kind, retain_day from,
                         retain_day to);
void rt_day_periods_free(rt_day_periods *t);

static inline int32_t rt_day_period(const rt_day_periods *t, retain_day day)
{
    return t->period[day - t->from];
}

/* The periods whose last day falls in the days [a, b) (b RT_NO_END: no
 * end), clipped to [lo_limit, hi_limit]: false when there is none. a and
 * b - 1, b too when it is before as-of, must be in the table. */
bool rt_last_days_in(const rt_day_periods *t, int32_t a, int32_t b, int32_t lo_limit,
                     int32_t hi_limit, int32_t *lo, int32_t *hi);

#endif
