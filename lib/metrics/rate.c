/* Retention rate (TRC): per-customer intervals in, per-period counts out. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <retain/number.h>
#include <retain/rate.h>

#include "internal.h"
#include "store.h"
#include "whole.h"
#include "window.h"

enum { C_START, C_NEW, C_REACT, C_LOST, C_END, C_KEPT, C_COUNT };

struct retain_rate {
    retain_rate_options opt;
    rt_intern segments;
    rt_store store;
    rt_window window;
    /* results */
    bool finished;
    retain_day as_of;
    uint32_t *order; /* segments sorted by name */
    int32_t first, last;
    size_t nper;
    int64_t *counts; /* [segment][period][C_COUNT] */
    rt_day_periods days;
    /* rt_rate_count_whole: each customer added whole is counted into work
     * (CELLS(nper) per segment) at once; first, last and days are fixed
     * from the start */
    bool counting;
    int64_t *work;
    size_t work_segments;
    rt_spans merged;
};

/* The period of a day; one before the first counted for a day before the
 * day table (a rate counting whole from a later day than the data's). */
static int32_t period_of(const retain_rate *r, retain_day day)
{
    return day < r->days.from ? r->first - 2 : rt_day_period(&r->days, day);
}

retain_rate *retain_rate_new(const retain_rate_options *options)
{
    retain_rate *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->opt = *options;
    rt_intern_init(&r->segments);
    rt_store_init(&r->store);
    rt_store_dedup(&r->store);
    rt_window_init(&r->window, options->has_as_of, options->as_of);
    return r;
}

void retain_rate_free(retain_rate *r)
{
    if (!r)
        return;
    rt_intern_free(&r->segments);
    rt_store_free(&r->store);
    free(r->order);
    free(r->counts);
    rt_day_periods_free(&r->days);
    free(r->work);
    free(r->merged.v);
    free(r);
}

/* A row of customer id. */
static retain_status add(retain_rate *r, const char *segment, size_t segment_len, const char *id,
                         size_t id_len, retain_day start, retain_day end, bool has_end, uint64_t fp,
                         uint64_t place)
{
    if (has_end && end < start)
        return RETAIN_ERR_DATA;
    if (!rt_window_keep(&r->window, start))
        return RETAIN_OK; /* not yet a customer on the observation day */
    uint32_t seg = 0;
    int32_t e = has_end ? end : RT_NO_END;
    if (!rt_intern_get(&r->segments, segment ? segment : "", segment ? segment_len : 0, &seg) ||
        !rt_store_push_row(&r->store, seg, id, id_len, start, e, 0, fp, place))
        return RETAIN_ERR_NOMEM;
    return RETAIN_OK;
}

retain_status retain_rate_add(retain_rate *r, const char *segment, size_t segment_len,
                              const char *id, size_t id_len, retain_day start, retain_day end,
                              bool has_end)
{
    return add(r, segment, segment_len, id, id_len, start, end, has_end, 0, 0);
}

unsigned long retain_rate_duplicates(const retain_rate *r, uint64_t *place, uint64_t *of)
{
    return rt_rowset_duplicates(&r->store.rows, place, of);
}

retain_status retain_rate_reserve(retain_rate *r, size_t customers)
{
    return rt_store_reserve(&r->store, customers) ? RETAIN_OK : RETAIN_ERR_NOMEM;
}

/* The work cells of a segment: customers_end differences over periods
 * first - 1 .. last (+ 1 past), new, reactivated, and kept differences
 * over first .. last (+ 1 past). */
#define CELLS(nper) (4 * (nper) + 3)

/* Per-segment accumulation during finish. */
typedef struct {
    const retain_rate *r;
    int64_t *diff;  /* customers_end as differences over periods first-1 .. last */
    int64_t *fresh; /* new */
    int64_t *back;  /* reactivated */
    int64_t *kept;  /* kept, as differences over periods first .. last */
} tally;

/* Kept in periods lo .. hi: active on the last day of each and of the one
 * before. */
static inline void add_kept(const tally *t, int32_t lo, int32_t hi)
{
    const retain_rate *r = t->r;
    if (lo < r->first)
        lo = r->first;
    if (lo > hi)
        return;
    t->kept[lo - r->first]++;
    t->kept[hi - r->first + 1]--;
}

/* Counts the customer as active on the last day of every period whose
 * last day falls in [a, b), and kept where it was on the one before too.
 * *prev: the last such period of the customer's previous span (INT32_MIN
 * before its first), updated. */
static inline void add_active(const tally *t, int32_t a, int32_t b, int32_t *prev)
{
    const retain_rate *r = t->r;
    int32_t lo, hi;
    if (a < r->days.from)
        a = r->days.from; /* counting whole: no earlier period is counted */
    if (!rt_last_days_in(&r->days, a, b, r->first - 1, r->last, &lo, &hi))
        return;
    t->diff[lo - (r->first - 1)]++;
    t->diff[hi - (r->first - 1) + 1]--;
    /* left and back within period lo: active on both last days still */
    add_kept(t, *prev != INT32_MIN && *prev == lo - 1 ? lo : lo + 1, hi);
    *prev = hi;
}

static void add_joined(const tally *t, int32_t period, bool is_new)
{
    if (period < t->r->first || period > t->r->last)
        return;
    (is_new ? t->fresh : t->back)[period - t->r->first]++;
}

/* A customer with several rows: merge them into disjoint spans of
 * service (into merged, which the caller owns), then count joins against
 * the days just before each period. False when out of memory. */
static bool add_customer(const tally *t, rt_span *rows, size_t n, rt_spans *merged)
{
    int32_t last = INT32_MIN;
    rt_spans_sort(rows, n);
    if (merged->cap < n) {
        rt_span *v = realloc(merged->v, n * sizeof *v);
        if (!v)
            return false;
        merged->v = v;
        merged->cap = n;
    }
    rt_span *m = merged->v;
    size_t nm = rt_spans_merge(rows, n, t->r->opt.merge_gap, m);
    for (size_t i = 0; i < nm; i++)
        add_active(t, m[i].start, m[i].end, &last);
    int32_t first_period = period_of(t->r, rows[0].start);
    int32_t prev = INT32_MIN;
    size_t j = 0; /* the first span that may serve `before`: it only grows */
    for (size_t i = 0; i < n; i++) {
        int32_t p = period_of(t->r, rows[i].start);
        if (p == prev)
            continue; /* a customer joins at most once a period */
        prev = p;
        if (p < t->r->first)
            continue; /* no join counted there (--from, counting whole) */
        retain_day before = rt_period_first_day(&t->r->days, p) - 1;
        while (j < nm && m[j].end <= before)
            j++; /* spans are disjoint and sorted: linear in the rows */
        bool active = j < nm && m[j].start <= before;
        if (!active)
            add_joined(t, p, p == first_period);
    }
    return true;
}

/* Counts a customer of the segment whose cells are w: its n rows (ends
 * after as-of made open; sorted here). False when out of memory. */
static bool count_customer(const retain_rate *r, int64_t *w, rt_span *rows, size_t n,
                           rt_spans *merged)
{
    tally t = {r, w, w + r->nper + 2, w + 2 * r->nper + 2, w + 3 * r->nper + 2};
    if (n == 1) {
        /* one row: nobody was active before it started */
        int32_t prev = INT32_MIN;
        add_active(&t, rows[0].start, rows[0].end, &prev);
        add_joined(&t, period_of(r, rows[0].start), true);
        return true;
    }
    return add_customer(&t, rows, n, merged);
}

/* Customers begin .. end - 1 counted into work. */
typedef struct {
    const retain_rate *r;
    size_t begin, end;
    int64_t *work;
    bool ok; /* false when out of memory */
} tally_job;

static void tally_customers(tally_job *job)
{
    const retain_rate *r = job->r;
    const rt_store *s = &r->store;
    rt_spans rows = {0}, merged = {0};
    for (size_t i = job->begin; job->ok && i < job->end; i++) {
        const rt_customer *c = &s->cust[i];
        int64_t *w = job->work + (size_t)c->segment * CELLS(r->nper);
        if (c->more == 0) {
            rt_span one = {c->start, c->end != RT_NO_END && c->end <= r->as_of ? c->end : RT_NO_END,
                           0};
            count_customer(r, w, &one, 1, NULL);
            continue;
        }
        size_t n = rt_store_rows(s, i, r->as_of, &rows);
        job->ok = n > 0 && count_customer(r, w, rows.v, n, &merged);
    }
    free(rows.v);
    free(merged.v);
}

/* ---- counting whole (rt_rate_count_whole) ---- */

/* Room for the cells of n segments, the new ones 0. */
static bool work_room(retain_rate *r, size_t n)
{
    if (n <= r->work_segments)
        return true;
    size_t cells = CELLS(r->nper);
    int64_t *w = realloc(r->work, n * cells * sizeof *w);
    if (!w)
        return false;
    memset(w + r->work_segments * cells, 0, (n - r->work_segments) * cells * sizeof *w);
    r->work = w;
    r->work_segments = n;
    return true;
}

retain_status rt_rate_add_customer(retain_rate *r, const char *segment, size_t segment_len,
                                   rt_span *rows, size_t n)
{
    size_t m = 0; /* the rows kept, ends after as-of made open when counting */
    for (size_t j = 0; j < n; j++) {
        rt_span x = rows[j];
        if (x.end != RT_NO_END && x.end < x.start)
            return RETAIN_ERR_DATA;
        if (!rt_window_keep(&r->window, x.start))
            continue; /* not yet a customer on the observation day */
        if (r->counting && x.end != RT_NO_END && x.end > r->as_of)
            x.end = RT_NO_END;
        rows[m++] = x;
    }
    uint32_t seg = 0;
    if (m == 0)
        return RETAIN_OK;
    if (!rt_intern_get(&r->segments, segment ? segment : "", segment ? segment_len : 0, &seg))
        return RETAIN_ERR_NOMEM;
    if (r->counting) {
        if ((size_t)seg + 1 > RT_TABLE_MAX_LINES / r->nper)
            return RETAIN_ERR_DATA; /* the table would pass its lines (rt_table_check) */
        if (!work_room(r, (size_t)seg + 1) ||
            !count_customer(r, r->work + (size_t)seg * CELLS(r->nper), rows, m, &r->merged))
            return RETAIN_ERR_NOMEM;
        return RETAIN_OK;
    }
    for (size_t j = 0; j < m; j++)
        if (!rt_store_append(&r->store, seg, rows[j].start, rows[j].end, 0, j == 0))
            return RETAIN_ERR_NOMEM;
    return RETAIN_OK;
}

retain_status rt_rate_count_whole(retain_rate *r, retain_day from)
{
    const retain_period_kind k = r->opt.period;
    if (!r->opt.has_as_of || r->opt.has_from || r->opt.has_to || r->counting || r->window.any ||
        r->window.any_ignored || r->store.n > 0)
        return RETAIN_ERR_USAGE;
    r->as_of = r->opt.as_of;
    r->first = retain_period_of(k, from);
    r->last = retain_period_of(k, r->as_of);
    if (r->first > r->last)
        return RETAIN_ERR_USAGE;
    if ((int64_t)r->last - r->first + 1 > (int64_t)RT_TABLE_MAX_LINES)
        return RETAIN_ERR_DATA;
    r->nper = (size_t)(r->last - r->first + 1);
    if (!rt_day_periods_init(&r->days, k, retain_period_first_day(k, r->first - 1), r->as_of))
        return RETAIN_ERR_NOMEM;
    r->counting = true;
    return RETAIN_OK;
}

/* The counts of `from` added to `into` (sign 1), each segment to the one
 * of its name, or (sign -1, segment given) taken out of that segment. */
static retain_status combine(retain_rate *into, const retain_rate *from, int sign,
                             const char *segment, size_t segment_len)
{
    if (!into->counting || !from->counting || into->finished || from->finished ||
        into->first != from->first || into->last != from->last || into->as_of != from->as_of ||
        into->opt.period != from->opt.period || into->opt.merge_gap != from->opt.merge_gap)
        return RETAIN_ERR_USAGE;
    size_t cells = CELLS(into->nper);
    for (size_t g = 0; g < from->segments.n; g++) {
        size_t len = segment_len;
        const char *name = segment ? segment : rt_intern_str(&from->segments, (uint32_t)g, &len);
        uint32_t seg;
        if (!rt_intern_get(&into->segments, name, len, &seg) || !work_room(into, (size_t)seg + 1))
            return RETAIN_ERR_NOMEM;
        if (g >= from->work_segments)
            continue;
        int64_t *w = into->work + (size_t)seg * cells;
        const int64_t *v = from->work + g * cells;
        for (size_t c = 0; c < cells; c++)
            w[c] += sign * v[c];
    }
    if (sign > 0)
        rt_window_merge(&into->window, &from->window);
    return RETAIN_OK;
}

retain_status rt_rate_merge_whole(retain_rate *into, const retain_rate *from)
{
    return combine(into, from, 1, NULL, 0);
}

retain_status rt_rate_take_out(retain_rate *rate, const char *segment, size_t segment_len,
                               const retain_rate *part)
{
    return combine(rate, part, -1, segment ? segment : "", segment ? segment_len : 0);
}

static void *tally_thread(void *job)
{
    tally_customers(job);
    return NULL;
}

/* The counts of every segment from its cells over periods r->first ..
 * r->last, the first `skip` periods left out (r->first and r->nper then
 * name the rest): into r->counts, allocated here. False when out of memory. */
static bool counts_from_work(retain_rate *r, const int64_t *work, size_t nseg, size_t skip)
{
    size_t nwork = r->nper, nper = nwork - skip;
    r->counts = calloc(nseg * nper * C_COUNT + 1, sizeof *r->counts);
    if (!r->counts)
        return false;
    for (size_t g = 0; g < nseg; g++) {
        const int64_t *w = work + g * CELLS(nwork);
        int64_t *out = r->counts + g * nper * C_COUNT;
        int64_t active = w[0]; /* on the last day of period first - 1 */
        int64_t kept = 0;
        for (size_t p = 0; p < nwork; p++) {
            int64_t start = active;
            active += w[p + 1];
            kept += w[3 * nwork + 2 + p];
            if (p < skip)
                continue;
            int64_t *o = out + (p - skip) * C_COUNT;
            o[C_START] = start;
            o[C_END] = active;
            o[C_NEW] = w[nwork + 2 + p];
            o[C_REACT] = w[2 * nwork + 2 + p];
            o[C_LOST] = o[C_START] + o[C_NEW] + o[C_REACT] - o[C_END];
            o[C_KEPT] = kept;
        }
    }
    r->first += (int32_t)skip;
    r->nper = nper;
    return true;
}

/* The finish of a rate counting whole: its customers are counted, its
 * periods those from the first counted or the first start on. */
static retain_status finish_counted(retain_rate *r, retain_diag *diag)
{
    retain_day as_of = r->as_of;
    retain_status st = rt_window_close(&r->window, &as_of, diag);
    int32_t first, last;
    if (st == RETAIN_OK)
        st = rt_report_periods(r->opt.period, r->window.min_start, r->as_of, true, r->first, false,
                               0, &first, &last, diag);
    if (st != RETAIN_OK)
        return st;
    size_t nseg = r->segments.n;
    r->order = rt_intern_sorted(&r->segments);
    if (!r->order || !work_room(r, nseg) ||
        !counts_from_work(r, r->work, nseg, (size_t)(first - r->first)))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    r->finished = true;
    return RETAIN_OK;
}

retain_status retain_rate_finish(retain_rate *r, retain_diag *diag)
{
    const retain_period_kind k = r->opt.period;
    if (!rt_store_flush(&r->store))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    retain_status st = rt_merge_gap_check(r->opt.merge_gap, diag);
    if (st == RETAIN_OK && r->counting)
        return finish_counted(r, diag);
    if (st == RETAIN_OK)
        st = rt_window_close(&r->window, &r->as_of, diag);
    if (st != RETAIN_OK)
        return st;
    st = rt_report_periods(k, r->window.min_start, r->as_of, r->opt.has_from, r->opt.from,
                           r->opt.has_to, r->opt.to, &r->first, &r->last, diag);
    if (st != RETAIN_OK)
        return st;
    r->nper = (size_t)(r->last - r->first + 1);
    size_t nseg = r->segments.n;
    st = rt_table_check(nseg, r->nper, "lines", k, r->first, r->last, true, diag);
    if (st != RETAIN_OK)
        return st;
    r->order = rt_intern_sorted(&r->segments);
    size_t cells = nseg * CELLS(r->nper);
    int64_t *work = calloc(cells, sizeof *work);
    bool ok = r->order && work && rt_day_periods_init(&r->days, k, r->window.min_start, r->as_of);
    /* the customers in two halves, the first on a second thread (idle
     * now that parsing is over), each with its own counts */
    tally_job half = {r, 0, r->store.n / 2, NULL, true};
    pthread_t helper;
    bool two = ok && r->store.n >= 1u << 16 && cells <= 1u << 20 &&
               (half.work = calloc(cells, sizeof *half.work)) != NULL &&
               pthread_create(&helper, NULL, tally_thread, &half) == 0;
    tally_job rest = {r, two ? half.end : 0, r->store.n, work, ok};
    if (ok)
        tally_customers(&rest);
    if (two) {
        pthread_join(helper, NULL);
        for (size_t i = 0; i < cells; i++)
            work[i] += half.work[i];
        ok = rest.ok && half.ok;
    } else {
        ok = ok && rest.ok;
    }
    free(half.work);
    ok = ok && counts_from_work(r, work, nseg, 0);
    free(work);
    if (!ok)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    r->finished = true;
    return RETAIN_OK;
}

size_t retain_rate_segments(const retain_rate *r)
{
    return r->finished ? r->segments.n : 0;
}

const char *retain_rate_segment(const retain_rate *r, size_t segment, size_t *len)
{
    return rt_intern_str(&r->segments, r->order[segment], len);
}

size_t retain_rate_periods(const retain_rate *r)
{
    return r->finished ? r->nper : 0;
}

void retain_rate_get(const retain_rate *r, size_t segment, size_t period, retain_rate_row *row)
{
    const int64_t *o = r->counts + ((size_t)r->order[segment] * r->nper + period) * C_COUNT;
    row->period = r->first + (int32_t)period;
    row->customers_start = o[C_START];
    row->new_customers = o[C_NEW];
    row->reactivated = o[C_REACT];
    row->lost = o[C_LOST];
    row->customers_end = o[C_END];
    row->kept = o[C_KEPT];
}

bool retain_rate_partial(const retain_rate *r, retain_day *last_day)
{
    retain_day p1 = retain_period_last_day(r->opt.period, r->last);
    if (last_day)
        *last_day = p1;
    return r->finished && r->as_of < p1;
}

retain_day retain_rate_as_of(const retain_rate *r)
{
    return r->as_of;
}

size_t retain_rate_customer_bytes(const retain_rate *r)
{
    return rt_store_bytes(&r->store);
}

size_t retain_rate_customers(const retain_rate *r)
{
    return r->store.n;
}

bool retain_retention_pct(int64_t customers_start, int64_t customers_end, int64_t joined,
                          int decimals, char *buf)
{
    return retain_format_ratio(customers_end - joined, customers_start, 100, decimals, buf);
}

bool retain_churn_pct(int64_t customers_start, int64_t customers_end, int64_t joined, int decimals,
                      char *buf)
{
    /* 100 - retention_pct as printed, so that the two always sum to 100 */
    int64_t retention, one = 1;
    if (!retain_round_ratio(customers_end - joined, customers_start, 100, decimals, &retention)) {
        buf[0] = '\0';
        return false;
    }
    for (int i = 0; i < decimals && i < 9; i++)
        one *= 10;
    return retain_format_ratio(100 * one - retention, one, 1, decimals, buf);
}

retain_status retain_rate_add_row(const retain_row *row, void *rate, retain_diag *diag)
{
    retain_rate *r = rate;
    bool seg = r->opt.segments;
    retain_status st =
        add(r, seg ? row->extra[0] : NULL, seg ? row->extra_len[0] : 0, row->id, row->id_len,
            row->start, row->end, row->has_end, row->fingerprint, row->place);
    if (st != RETAIN_OK)
        rt_fail(diag, st, row->line, NULL, "%s", retain_status_str(st));
    return st;
}
