/* Cohort tables: per-customer intervals in, per-cohort-and-age counts out. */
#include <stdlib.h>
#include <string.h>

#include <retain/cohort.h>

#include "internal.h"
#include "store.h"

struct retain_cohort {
    retain_cohort_options opt;
    rt_intern segments;
    rt_store store;
    rt_pending pending[256];
    size_t npending;
    bool any, any_ignored;
    retain_day min_start, max_start, min_ignored;
    /* results */
    bool finished;
    retain_day as_of;
    uint32_t *order;
    int32_t first;
    size_t nper;
    /* per segment: size and starting MRR per cohort, then the triangle of
     * cells, cohort c holding ages 0 .. nper - c - 1 (one spare cell each
     * for the running differences) */
    int64_t *size, *start_mrr;
    int64_t *active, *mrr;
    size_t tri; /* cells of a segment's triangle */
    int32_t *day_period;
};

static size_t row_offset(size_t nper, size_t c)
{
    /* rows of nper + 1, nper, ... cells */
    return c ? c * (nper + 1) - c * (c - 1) / 2 : 0;
}

retain_cohort *retain_cohort_new(const retain_cohort_options *options)
{
    if (options->period == RETAIN_PERIOD_DAY)
        return NULL;
    retain_cohort *co = calloc(1, sizeof *co);
    if (!co)
        return NULL;
    co->opt = *options;
    rt_intern_init(&co->segments);
    rt_store_init(&co->store);
    if (options->revenue)
        rt_store_keep_mrr(&co->store);
    return co;
}

void retain_cohort_free(retain_cohort *co)
{
    if (!co)
        return;
    rt_intern_free(&co->segments);
    rt_store_free(&co->store);
    free(co->order);
    free(co->size);
    free(co->start_mrr);
    free(co->active);
    free(co->mrr);
    free(co->day_period);
    free(co);
}

retain_status retain_cohort_add(retain_cohort *co, const char *segment, size_t segment_len,
                                const char *id, size_t id_len, retain_day start, retain_day end,
                                bool has_end, retain_money mrr)
{
    if (has_end && end < start)
        return RETAIN_ERR_DATA;
    if (co->opt.has_as_of && start > co->opt.as_of) {
        if (!co->any_ignored || start < co->min_ignored)
            co->min_ignored = start;
        co->any_ignored = true;
        return RETAIN_OK;
    }
    uint32_t seg = 0;
    if (!rt_intern_get(&co->segments, segment ? segment : "", segment ? segment_len : 0, &seg))
        return RETAIN_ERR_NOMEM;
    rt_pending *p = &co->pending[co->npending++];
    rt_store_key(seg, id, id_len, p);
    p->start = start;
    p->end = has_end ? end : RT_NO_END;
    p->mrr = mrr;
    if (co->npending == sizeof co->pending / sizeof co->pending[0]) {
        bool ok = rt_store_add_many(&co->store, co->pending, co->npending);
        co->npending = 0;
        if (!ok)
            return RETAIN_ERR_NOMEM;
    }
    if (!co->any || start < co->min_start)
        co->min_start = start;
    if (!co->any || start > co->max_start)
        co->max_start = start;
    co->any = true;
    return RETAIN_OK;
}

retain_status retain_cohort_reserve(retain_cohort *co, size_t customers)
{
    return rt_store_reserve(&co->store, customers) ? RETAIN_OK : RETAIN_ERR_NOMEM;
}

typedef struct {
    int32_t start, end;
    int64_t mrr;
} span;

static int by_start(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* Adds v to the cells of cohort c (of a segment's triangle at tri) for
 * every period whose last day falls in [a, b): running differences. */
static void add_served(const retain_cohort *co, int64_t *tri, size_t c, int32_t a, int32_t b,
                       int64_t v)
{
    if (a >= b || v == 0)
        return;
    int32_t last = co->first + (int32_t)co->nper - 1;
    int32_t lo = co->day_period[a - co->min_start];
    int32_t hi = last;
    if (b != RT_NO_END) { /* then b <= as-of */
        hi = co->day_period[b - 1 - co->min_start];
        if (co->day_period[b - co->min_start] == hi)
            hi--; /* that period's last day, b or later, is not served */
    }
    if (lo > hi)
        return;
    int64_t *row = tri + row_offset(co->nper, c);
    int32_t cp = co->first + (int32_t)c;
    row[lo - cp] += v;
    row[hi - cp + 1] -= v;
}

/* One customer's rows (end already opened past as-of). */
static void add_customer(retain_cohort *co, size_t g, span *rows, size_t n)
{
    qsort(rows, n, sizeof *rows, by_start);
    size_t c = (size_t)(co->day_period[rows[0].start - co->min_start] - co->first);
    co->size[g * co->nper + c]++;
    int64_t *mrr = co->mrr + g * co->tri;
    if (co->opt.revenue) {
        for (size_t i = 0; i < n; i++) {
            if (rows[i].start == rows[0].start)
                co->start_mrr[g * co->nper + c] += rows[i].mrr;
            add_served(co, mrr, c, rows[i].start, rows[i].end, rows[i].mrr);
        }
    }
    /* a customer is active once, however many rows serve the day */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].start >= rows[i].end)
            continue;
        if (m > 0 && rows[i].start <= rows[m - 1].end) {
            if (rows[i].end > rows[m - 1].end)
                rows[m - 1].end = rows[i].end;
        } else {
            rows[m++] = rows[i];
        }
    }
    for (size_t i = 0; i < m; i++)
        add_served(co, co->active + g * co->tri, c, rows[i].start, rows[i].end, 1);
}

retain_status retain_cohort_finish(retain_cohort *co, retain_diag *diag)
{
    const retain_period_kind k = co->opt.period;
    if (co->npending > 0) {
        bool ok = rt_store_add_many(&co->store, co->pending, co->npending);
        co->npending = 0;
        if (!ok)
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    if (!co->any && co->any_ignored) {
        char a[11], b[11];
        retain_day_format(co->opt.as_of, a);
        retain_day_format(co->min_ignored, b);
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "no subscription starts on or before as-of %s (the first starts on %s)", a,
                       b);
    }
    if (!co->any)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "no subscription rows");
    co->as_of = co->opt.has_as_of ? co->opt.as_of : co->max_start;
    co->first = retain_period_of(k, co->min_start);
    co->nper = (size_t)(retain_period_of(k, co->as_of) - co->first + 1);
    size_t nseg = co->segments.n;
    co->tri = row_offset(co->nper, co->nper);
    co->order = rt_intern_sorted(&co->segments);
    co->size = calloc(nseg * co->nper, sizeof *co->size);
    co->start_mrr = calloc(nseg * co->nper, sizeof *co->start_mrr);
    co->active = calloc(nseg * co->tri, sizeof *co->active);
    co->mrr = calloc(co->opt.revenue ? nseg * co->tri : 1, sizeof *co->mrr);
    size_t ndays = (size_t)(co->as_of - co->min_start) + 1;
    co->day_period = malloc(ndays * sizeof *co->day_period);
    size_t span_cap = 64;
    span *spans = malloc(span_cap * sizeof *spans);
    if (!co->order || !co->size || !co->start_mrr || !co->active || !co->mrr || !co->day_period ||
        !spans) {
        free(spans);
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    int32_t p = co->first;
    retain_day next = retain_period_first_day(k, p + 1);
    for (size_t i = 0; i < ndays; i++) {
        if (co->min_start + (retain_day)i == next)
            next = retain_period_first_day(k, ++p + 1);
        co->day_period[i] = p;
    }
    const rt_store *s = &co->store;
    for (size_t i = 0; i < s->n; i++) {
        const rt_customer *c = &s->cust[i];
        size_t n = 0;
        int32_t end = c->end != RT_NO_END && c->end <= co->as_of ? c->end : RT_NO_END;
        spans[n++] = (span){c->start, end, s->keep_mrr ? s->mrr[i] : 0};
        for (uint32_t e = c->more; e; e = s->extra[e - 1].next) {
            const rt_extra_row *x = &s->extra[e - 1];
            if (n == span_cap) {
                span *q = realloc(spans, 2 * span_cap * sizeof *q);
                if (!q) {
                    free(spans);
                    return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
                }
                spans = q;
                span_cap *= 2;
            }
            spans[n++] =
                (span){x->start, x->end != RT_NO_END && x->end <= co->as_of ? x->end : RT_NO_END,
                       s->keep_mrr ? s->extra_mrr[e - 1] : 0};
        }
        add_customer(co, c->segment, spans, n);
    }
    free(spans);
    /* running differences to values, cohort by cohort */
    for (size_t g = 0; g < nseg; g++) {
        for (size_t c = 0; c < co->nper; c++) {
            size_t off = g * co->tri + row_offset(co->nper, c);
            for (size_t a = 1; a < co->nper - c; a++) {
                co->active[off + a] += co->active[off + a - 1];
                if (co->opt.revenue)
                    co->mrr[off + a] += co->mrr[off + a - 1];
            }
        }
    }
    co->finished = true;
    return RETAIN_OK;
}

size_t retain_cohort_segments(const retain_cohort *co)
{
    return co->finished ? co->segments.n : 0;
}

const char *retain_cohort_segment(const retain_cohort *co, size_t segment, size_t *len)
{
    return rt_intern_str(&co->segments, co->order[segment], len);
}

size_t retain_cohort_cohorts(const retain_cohort *co)
{
    return co->finished ? co->nper : 0;
}

retain_day retain_cohort_as_of(const retain_cohort *co)
{
    return co->as_of;
}

bool retain_cohort_get(const retain_cohort *co, size_t segment, size_t cohort, int32_t age,
                       retain_cohort_cell *cell)
{
    size_t g = co->order[segment];
    memset(cell, 0, sizeof *cell);
    cell->cohort = co->first + (int32_t)cohort;
    cell->ages = (int32_t)(co->nper - cohort);
    cell->size = co->size[g * co->nper + cohort];
    cell->starting_mrr = co->start_mrr[g * co->nper + cohort];
    if (age < 0 || age >= cell->ages)
        return false;
    size_t off = g * co->tri + row_offset(co->nper, cohort) + (size_t)age;
    cell->active = co->active[off];
    cell->mrr = co->opt.revenue ? co->mrr[off] : 0;
    return true;
}

void retain_cohort_mean(const retain_cohort *co, size_t segment, int32_t age,
                        retain_cohort_cell *cell)
{
    retain_cohort_cell sum = {.cohort = -1};
    for (size_t c = 0; age >= 0 && c + (size_t)age < co->nper; c++) {
        retain_cohort_cell one;
        retain_cohort_get(co, segment, c, age, &one);
        sum.ages++;
        sum.size += one.size;
        sum.starting_mrr += one.starting_mrr;
        sum.active += one.active;
        sum.mrr += one.mrr;
    }
    *cell = sum;
}
