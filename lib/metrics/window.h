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

#include "store.h"

typedef struct {
    bool has_as_of; /* given by the caller */
    retain_day as_of;
    bool any, any_ignored;
    retain_day min_start, max_start; /* of the rows kept */
    retain_day min_ignored;          /* earliest start after a given as-of */
} rt_window;

void rt_window_init(rt_window *w, bool has_as_of, retain_day as_of);

/* Whether a row starting on `start` is observed; notes its start. Rows
 * starting after a given as-of are not customers yet (retain-metrics(7),
 * "Days, activity, as-of"). */
bool rt_window_keep(rt_window *w, retain_day start);

/* Adds what `from` saw to `into`, both of the same as-of: the window of
 * two parts of a table is that of the whole. */
void rt_window_merge(rt_window *into, const rt_window *from);

/* The longest span from the first start to as-of: a report of centuries
 * is a mistyped year, and would cost memory and output in proportion. */
#define RT_SPAN_MAX_YEARS 100
#define RT_SPAN_MAX_DAYS (RT_SPAN_MAX_YEARS * 36525 / 100)

/* Once every row is in: the as-of in force. RETAIN_ERR_USAGE when every row
 * starts after the as-of given or when as-of is over RT_SPAN_MAX_YEARS
 * after the latest start, RETAIN_ERR_DATA when there was no row or when
 * the first start is over RT_SPAN_MAX_YEARS before as-of (the message
 * names the date). */
retain_status rt_window_close(rt_window *w, retain_day *as_of, retain_diag *diag);

/* The most lines of a table: segments x periods for rate, segments x
 * cohort-age cells for cohort. Past it, a date gone wrong or a --by on an
 * id, not a report (and its tables would take the memory: 80 bytes a line
 * in rate, 16 a cell in cohort). The man pages state it. */
#define RT_TABLE_MAX_LINES ((size_t)1 << 22)

/* RETAIN_OK when nseg segments of per_segment lines each (unit: "lines",
 * "cells") fit RT_TABLE_MAX_LINES; else RETAIN_ERR_DATA with diag filled,
 * blaming the periods first..last of kind k when one segment alone does
 * not fit, the segments otherwise; the hint names --from and --to when
 * range (the command has them). */
retain_status rt_table_check(size_t nseg, size_t per_segment, const char *unit,
                             retain_period_kind k, int32_t first, int32_t last, bool range,
                             retain_diag *diag);

/* RETAIN_OK when a merge gap (retain/lives.h) is in 0 ..
 * RETAIN_MERGE_GAP_MAX, else RETAIN_ERR_USAGE with diag filled. */
retain_status rt_merge_gap_check(int32_t gap, retain_diag *diag);

/* The periods a report lists (retain-metrics(7), "Periods"): from the one
 * holding the first start to the one holding as-of, narrowed by --from
 * and --to where given (period indexes of kind k; they never reach before
 * the first start nor past as-of). RETAIN_ERR_USAGE, with a hint, when
 * none is left. */
retain_status rt_report_periods(retain_period_kind k, retain_day first_start, retain_day as_of,
                                bool has_from, int32_t from, bool has_to, int32_t to,
                                int32_t *first, int32_t *last, retain_diag *diag);

/* The period of every day from..to, and the first day of every period
 * they touch, looked up instead of computed per row. */
typedef struct {
    retain_day from;
    size_t n;
    int32_t *period;
    int32_t first_period;
    retain_day *first_day; /* of periods first_period .. period[n - 1] + 1 */
} rt_day_periods;

bool rt_day_periods_init(rt_day_periods *t, retain_period_kind kind, retain_day from,
                         retain_day to);
void rt_day_periods_free(rt_day_periods *t);

static inline int32_t rt_day_period(const rt_day_periods *t, retain_day day)
{
    return t->period[day - t->from];
}

/* The first day of period p, for p from the period of `from` to the one
 * after the period of `to`. */
static inline retain_day rt_period_first_day(const rt_day_periods *t, int32_t p)
{
    return t->first_day[p - t->first_period];
}

/* The periods whose last day falls in the days [a, b) (b RT_NO_END: no
 * end), clipped to [lo_limit, hi_limit]: false when there is none. a and
 * b - 1, b too when it is before as-of, must be in the table. Inline: the
 * metrics call it for every customer. */
static inline bool rt_last_days_in(const rt_day_periods *t, int32_t a, int32_t b, int32_t lo_limit,
                                   int32_t hi_limit, int32_t *lo, int32_t *hi)
{
    if (a >= b)
        return false;
    *lo = rt_day_period(t, a);
    *hi = hi_limit;
    if (b != RT_NO_END) { /* then b <= as-of, in the table */
        *hi = rt_day_period(t, b - 1);
        if (rt_day_period(t, b) == *hi)
            (*hi)--; /* that period's last day, b or later, is not served */
    }
    if (*lo < lo_limit)
        *lo = lo_limit;
    if (*hi > hi_limit)
        *hi = hi_limit;
    return *lo <= *hi;
}

#endif
