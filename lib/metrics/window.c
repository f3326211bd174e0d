/* The observation window and day-to-period tables. */
#include <stdlib.h>

#include <retain/lives.h>
#include <retain/period.h>

#include "internal.h"
#include "store.h"
#include "window.h"

void rt_window_init(rt_window *w, bool has_as_of, retain_day as_of)
{
    *w = (rt_window){.has_as_of = has_as_of, .as_of = as_of};
}

bool rt_window_keep(rt_window *w, retain_day start)
{
    if (w->has_as_of && start > w->as_of) {
        if (!w->any_ignored || start < w->min_ignored)
            w->min_ignored = start;
        w->any_ignored = true;
        return false;
    }
    if (!w->any || start < w->min_start)
        w->min_start = start;
    if (!w->any || start > w->max_start)
        w->max_start = start;
    w->any = true;
    return true;
}

void rt_window_merge(rt_window *into, const rt_window *from)
{
    if (from->any_ignored && (!into->any_ignored || from->min_ignored < into->min_ignored))
        into->min_ignored = from->min_ignored;
    into->any_ignored |= from->any_ignored;
    if (from->any) {
        if (!into->any || from->min_start < into->min_start)
            into->min_start = from->min_start;
        if (!into->any || from->max_start > into->max_start)
            into->max_start = from->max_start;
    }
    into->any |= from->any;
}

retain_status rt_table_check(size_t nseg, size_t per_segment, const char *unit,
                             retain_period_kind k, int32_t first, int32_t last, bool range,
                             retain_diag *diag)
{
    if (nseg == 0)
        nseg = 1;
    if (per_segment <= RT_TABLE_MAX_LINES / nseg)
        return RETAIN_OK;
    char a[16], b[16];
    retain_period_label(k, first, a);
    retain_period_label(k, last, b);
    size_t nper = (size_t)((int64_t)last - first + 1);
    if (per_segment > RT_TABLE_MAX_LINES) {
        rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                "%zu %s periods from %s to %s make %zu %s, over the %zu of a table", nper,
                retain_period_kind_name(k), a, b, per_segment, unit, RT_TABLE_MAX_LINES);
        rt_hint(diag, "check the dates (a mistyped year?), or use a longer --period%s",
                range ? ", or --from" : "");
        return RETAIN_ERR_DATA;
    }
    rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
            "%zu segments x %zu %s each (%zu %s periods from %s to %s) is over the %zu %s of a "
            "table",
            nseg, per_segment, unit, nper, retain_period_kind_name(k), a, b, RT_TABLE_MAX_LINES,
            unit);
    rt_hint(diag,
            "a --by column with fewer values (or a lower --max-segments), a longer --period%s",
            range ? ", or --from and --to" : "");
    return RETAIN_ERR_DATA;
}

retain_status rt_window_close(rt_window *w, retain_day *as_of, retain_diag *diag)
{
    if (!w->any && w->any_ignored) {
        char a[11], b[11];
        retain_day_format(w->as_of, a);
        retain_day_format(w->min_ignored, b);
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "no subscription starts on or before as-of %s (the first starts on %s)", a,
                       b);
    }
    if (!w->any)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "no subscription rows");
    if (!w->has_as_of)
        w->as_of = w->max_start;
    if ((int64_t)w->as_of - w->min_start > RT_SPAN_MAX_DAYS) {
        /* no report spans centuries: a mistyped year (1025 for 2025) */
        char a[11], b[11], m[11];
        retain_day_format(w->min_start, a);
        retain_day_format(w->as_of, b);
        retain_day_format(w->max_start, m);
        long years = (long)(((int64_t)w->as_of - w->min_start) / 365);
        if (w->has_as_of && (int64_t)w->as_of - w->max_start > RT_SPAN_MAX_DAYS) {
            rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                    "--as-of %s is %ld years after the latest start (%s): over %d years of "
                    "periods",
                    b, (long)(((int64_t)w->as_of - w->max_start) / 365), m, RT_SPAN_MAX_YEARS);
            rt_hint(diag, "a mistyped year? as-of must be within %d years of the data",
                    RT_SPAN_MAX_YEARS);
            return RETAIN_ERR_USAGE;
        }
        rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                "the data run from %s (the first start) to %s (as-of), %ld years: over %d "
                "years of periods",
                a, b, years, RT_SPAN_MAX_YEARS);
        rt_hint(diag, "a mistyped year? look for the row that starts on %s, or on %s (the latest)",
                a, m);
        return RETAIN_ERR_DATA;
    }
    *as_of = w->as_of;
    return RETAIN_OK;
}

retain_status rt_merge_gap_check(int32_t gap, retain_diag *diag)
{
    if (gap >= 0 && gap <= RETAIN_MERGE_GAP_MAX)
        return RETAIN_OK;
    return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "--merge-gap takes 0 to %d days, not %d",
                   RETAIN_MERGE_GAP_MAX, (int)gap);
}

retain_status rt_report_periods(retain_period_kind k, retain_day first_start, retain_day as_of,
                                bool has_from, int32_t from, bool has_to, int32_t to,
                                int32_t *first, int32_t *last, retain_diag *diag)
{
    int32_t data_first = retain_period_of(k, first_start), data_last = retain_period_of(k, as_of);
    *first = has_from && from > data_first ? from : data_first;
    *last = has_to && to < data_last ? to : data_last;
    if (*first <= *last)
        return RETAIN_OK;
    char a[16], b[16], lo[16], hi[16];
    retain_period_label(k, *first, a);
    retain_period_label(k, *last, b);
    retain_period_label(k, data_first, lo);
    retain_period_label(k, data_last, hi);
    rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "no period to report: %s is after %s", a, b);
    rt_hint(diag,
            "the data spans %s (its earliest date) to %s (as-of); pick --from and --to within it",
            lo, hi);
    return RETAIN_ERR_USAGE;
}

bool rt_day_periods_init(rt_day_periods *t, retain_period_kind kind, retain_day from, retain_day to)
{
    t->from = from;
    t->n = to >= from ? (size_t)(to - from) + 1 : 0;
    t->period = malloc((t->n ? t->n : 1) * sizeof *t->period);
    t->first_period = retain_period_of(kind, from);
    int32_t last = retain_period_of(kind, to >= from ? to : from) + 1;
    t->first_day = malloc((size_t)(last - t->first_period + 1) * sizeof *t->first_day);
    if (!t->period || !t->first_day) {
        rt_day_periods_free(t);
        return false;
    }
    for (int32_t p = t->first_period; p <= last; p++)
        t->first_day[p - t->first_period] = retain_period_first_day(kind, p);
    int32_t p = t->first_period;
    for (size_t i = 0; i < t->n; i++) {
        if (from + (retain_day)i == t->first_day[p + 1 - t->first_period])
            p++;
        t->period[i] = p;
    }
    return true;
}

void rt_day_periods_free(rt_day_periods *t)
{
    free(t->period);
    free(t->first_day);
    t->period = NULL;
    t->first_day = NULL;
    t->n = 0;
}
