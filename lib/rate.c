/* Retention rate (TRC): per-customer intervals in, per-period counts out. */
#include <stdlib.h>
#include <string.h>

#include <retain/number.h>
#include <retain/rate.h>

#include "internal.h"
#include "store.h"

enum { C_START, C_NEW, C_REACT, C_LOST, C_END, C_COUNT };

struct retain_rate {
    retain_rate_options opt;
    rt_intern segments;
    rt_store store;
    rt_pending pending[256]; /* rows on their way into the store */
    size_t npending;
    bool any, any_ignored;
    retain_day min_start, max_start;
    retain_day min_ignored; /* earliest start after as-of, for messages */
    /* results */
    bool finished;
    retain_day as_of;
    uint32_t *order; /* segments sorted by name */
    int32_t first, last;
    size_t nper;
    int64_t *counts;     /* [segment][period][C_COUNT] */
    int32_t *day_period; /* period of each day min_start .. as_of: a lookup,
                            not a calendar computation, per row */
};

static int32_t period_of(const retain_rate *r, retain_day day)
{
    return r->day_period[day - r->min_start];
}

retain_rate *retain_rate_new(const retain_rate_options *options)
{
    retain_rate *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->opt = *options;
    rt_intern_init(&r->segments);
    rt_store_init(&r->store);
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
    free(r->day_period);
    free(r);
}

retain_status retain_rate_add(retain_rate *r, const char *segment, size_t segment_len,
                              const char *id, size_t id_len, retain_day start, retain_day end,
                              bool has_end)
{
    if (has_end && end < start)
        return RETAIN_ERR_DATA;
    if (r->opt.has_as_of && start > r->opt.as_of) {
        /* not yet a customer on the observation day */
        if (!r->any_ignored || start < r->min_ignored)
            r->min_ignored = start;
        r->any_ignored = true;
        return RETAIN_OK;
    }
    uint32_t seg = 0;
    if (!rt_intern_get(&r->segments, segment ? segment : "", segment ? segment_len : 0, &seg))
        return RETAIN_ERR_NOMEM;
    rt_pending *p = &r->pending[r->npending++];
    rt_store_key(seg, id, id_len, p);
    p->start = start;
    p->end = has_end ? end : RT_NO_END;
    if (r->npending == sizeof r->pending / sizeof r->pending[0]) {
        bool ok = rt_store_add_many(&r->store, r->pending, r->npending);
        r->npending = 0;
        if (!ok)
            return RETAIN_ERR_NOMEM;
    }
    if (!r->any || start < r->min_start)
        r->min_start = start;
    if (!r->any || start > r->max_start)
        r->max_start = start;
    r->any = true;
    return RETAIN_OK;
}

retain_status retain_rate_reserve(retain_rate *r, size_t customers)
{
    return rt_store_reserve(&r->store, customers) ? RETAIN_OK : RETAIN_ERR_NOMEM;
}

/* One row of a customer, its end made open when after as-of. */
typedef struct {
    int32_t start, end;
} span;

static int by_start(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* Per-segment accumulation during finish. */
typedef struct {
    const retain_rate *r;
    int64_t *diff;  /* customers_end as differences over periods first-1 .. last */
    int64_t *fresh; /* new */
    int64_t *back;  /* reactivated */
} tally;

/* Counts the customer as active on the last day of every period whose
 * last day falls in [a, b). */
static void add_active(const tally *t, int32_t a, int32_t b)
{
    const retain_rate *r = t->r;
    if (a >= b)
        return;
    int32_t lo = period_of(r, a);
    int32_t hi = r->last;
    if (b != RT_NO_END) { /* then b <= as-of */
        hi = period_of(r, b - 1);
        if (period_of(r, b) == hi)
            hi--; /* that period's last day, b or later, is not served */
    }
    if (lo < r->first - 1)
        lo = r->first - 1;
    if (hi > r->last)
        hi = r->last;
    if (lo > hi)
        return;
    t->diff[lo - (r->first - 1)]++;
    t->diff[hi - (r->first - 1) + 1]--;
}

static void add_joined(const tally *t, int32_t period, bool is_new)
{
    if (period < t->r->first || period > t->r->last)
        return;
    (is_new ? t->fresh : t->back)[period - t->r->first]++;
}

/* A customer with several rows: merge them into disjoint spans of
 * service, then count joins against the days just before each period. */
static void add_customer(const tally *t, span *rows, int32_t *starts, size_t n)
{
    const retain_period_kind k = t->r->opt.period;
    qsort(rows, n, sizeof *rows, by_start);
    int32_t first_start = rows[0].start;
    /* merged spans are written over rows[]: keep the sorted starts aside */
    for (size_t i = 0; i < n; i++)
        starts[i] = rows[i].start;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].start >= rows[i].end)
            continue; /* serves no day */
        if (m > 0 && rows[i].start <= rows[m - 1].end) {
            if (rows[i].end > rows[m - 1].end)
                rows[m - 1].end = rows[i].end;
        } else {
            rows[m++] = rows[i];
        }
    }
    for (size_t i = 0; i < m; i++)
        add_active(t, rows[i].start, rows[i].end);
    int32_t first_period = period_of(t->r, first_start);
    int32_t prev = INT32_MIN;
    for (size_t i = 0; i < n; i++) {
        int32_t p = period_of(t->r, starts[i]);
        if (p == prev)
            continue; /* a customer joins at most once a period */
        prev = p;
        retain_day before = retain_period_first_day(k, p) - 1;
        bool active = false;
        for (size_t j = 0; j < m && !active; j++)
            active = rows[j].start <= before && before < rows[j].end;
        if (!active)
            add_joined(t, p, p == first_period);
    }
}

retain_status retain_rate_finish(retain_rate *r, retain_diag *diag)
{
    const retain_period_kind k = r->opt.period;
    if (r->npending > 0) {
        bool ok = rt_store_add_many(&r->store, r->pending, r->npending);
        r->npending = 0;
        if (!ok)
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    if (!r->any && r->any_ignored) {
        char a[11], b[11];
        retain_day_format(r->opt.as_of, a);
        retain_day_format(r->min_ignored, b);
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "no subscription starts on or before as-of %s (the first starts on %s)", a,
                       b);
    }
    if (!r->any)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "no subscription rows");
    r->as_of = r->opt.has_as_of ? r->opt.as_of : r->max_start;
    int32_t as_of_period = retain_period_of(k, r->as_of);
    /* --from and --to narrow the range of the data, as SPEC says: they
     * never reach before the first start nor past as-of */
    int32_t data_first = retain_period_of(k, r->min_start);
    r->first = r->opt.has_from && r->opt.from > data_first ? r->opt.from : data_first;
    r->last = r->opt.has_to && r->opt.to < as_of_period ? r->opt.to : as_of_period;
    if (r->first > r->last) {
        char a[16], b[16];
        retain_period_label(k, r->first, a);
        retain_period_label(k, r->last, b);
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "no period to report: %s is after %s", a, b);
        rt_hint(diag, "--from and --to narrow the periods from the first start to as-of");
        return RETAIN_ERR_USAGE;
    }
    r->nper = (size_t)(r->last - r->first + 1);
    size_t nseg = r->segments.n;
    r->order = rt_intern_sorted(&r->segments);
    r->counts = calloc(nseg * r->nper * C_COUNT, sizeof *r->counts);
    size_t ndays = (size_t)(r->as_of - r->min_start) + 1;
    r->day_period = malloc(ndays * sizeof *r->day_period);
    if (r->day_period) {
        int32_t p = retain_period_of(k, r->min_start);
        retain_day next = retain_period_first_day(k, p + 1);
        for (size_t i = 0; i < ndays; i++) {
            if (r->min_start + (retain_day)i == next)
                next = retain_period_first_day(k, ++p + 1);
            r->day_period[i] = p;
        }
    }
    int64_t *work = calloc(nseg * (3 * r->nper + 2), sizeof *work);
    size_t span_cap = 64;
    span *spans = malloc(span_cap * sizeof *spans);
    int32_t *starts = malloc(span_cap * sizeof *starts);
    if (!r->order || !r->counts || !r->day_period || !work || !spans || !starts) {
        free(work);
        free(spans);
        free(starts);
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    const rt_store *s = &r->store;
    for (size_t i = 0; i < s->n; i++) {
        const rt_customer *c = &s->cust[i];
        int64_t *w = work + (size_t)c->segment * (3 * r->nper + 2);
        tally t = {r, w, w + r->nper + 2, w + 2 * r->nper + 2};
        int32_t end = c->end != RT_NO_END && c->end <= r->as_of ? c->end : RT_NO_END;
        if (c->more == 0) {
            /* one row: nobody was active before it started */
            add_active(&t, c->start, end);
            add_joined(&t, period_of(r, c->start), true);
            continue;
        }
        size_t n = 0;
        spans[n++] = (span){c->start, end};
        for (uint32_t e = c->more; e; e = s->extra[e - 1].next) {
            const rt_extra_row *x = &s->extra[e - 1];
            if (n == span_cap) {
                span *p = realloc(spans, 2 * span_cap * sizeof *p);
                if (p)
                    spans = p;
                int32_t *q = p ? realloc(starts, 2 * span_cap * sizeof *q) : NULL;
                if (!q) {
                    free(work);
                    free(spans);
                    free(starts);
                    return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
                }
                starts = q;
                span_cap *= 2;
            }
            spans[n++] =
                (span){x->start, x->end != RT_NO_END && x->end <= r->as_of ? x->end : RT_NO_END};
        }
        add_customer(&t, spans, starts, n);
    }
    for (size_t g = 0; g < nseg; g++) {
        const int64_t *w = work + (size_t)g * (3 * r->nper + 2);
        int64_t *out = r->counts + (size_t)g * r->nper * C_COUNT;
        int64_t active = w[0]; /* on the last day of period first - 1 */
        for (size_t p = 0; p < r->nper; p++) {
            int64_t *o = out + p * C_COUNT;
            o[C_START] = active;
            active += w[p + 1];
            o[C_END] = active;
            o[C_NEW] = w[r->nper + 2 + p];
            o[C_REACT] = w[2 * r->nper + 2 + p];
            o[C_LOST] = o[C_START] + o[C_NEW] + o[C_REACT] - o[C_END];
        }
    }
    free(work);
    free(spans);
    free(starts);
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
