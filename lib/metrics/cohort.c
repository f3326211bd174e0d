/* Cohort tables: per-customer intervals in, per-cohort-and-age counts out. */
#include <stdlib.h>
#include <string.h>

#include <retain/cohort.h>

#include "internal.h"
#include "store.h"
#include "window.h"

struct retain_cohort {
    retain_cohort_options opt;
    rt_intern segments;
    rt_store store;
    rt_window window;
    uint64_t money_total; /* see rt_money_tally */
    /* results */
    bool finished;
    retain_day as_of;
    uint32_t *order;
    int32_t first;
    size_t skip, nrep; /* the cohorts reported: skip .. skip + nrep - 1 */
    size_t nper;
    /* per segment: size and starting MRR per cohort, then the triangle of
     * cells, cohort c holding ages 0 .. nper - c - 1 (one spare cell each
     * for the running differences) */
    int64_t *size, *start_mrr;
    int64_t *active, *mrr;
    size_t tri; /* cells of a segment's triangle */
    rt_day_periods days;
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
    rt_store_dedup(&co->store);
    rt_window_init(&co->window, options->has_as_of, options->as_of);
    if (options->revenue)
        rt_store_keep_mrr(&co->store);
    return co;
}

size_t retain_cohort_customer_bytes(const retain_cohort *co)
{
    return rt_store_bytes(&co->store);
}

size_t retain_cohort_customers(const retain_cohort *co)
{
    return co->store.n;
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
    rt_day_periods_free(&co->days);
    free(co);
}

static retain_status add(retain_cohort *co, const char *segment, size_t segment_len, const char *id,
                         size_t id_len, retain_day start, retain_day end, bool has_end,
                         retain_money mrr, uint64_t fp, uint64_t place)
{
    if (has_end && end < start)
        return RETAIN_ERR_DATA;
    if (!rt_window_keep(&co->window, start))
        return RETAIN_OK; /* not yet a customer on the observation day */
    if (!rt_money_tally(&co->money_total, mrr))
        return RETAIN_ERR_DATA; /* a sum would overflow */
    uint32_t seg = 0;
    if (!rt_intern_get(&co->segments, segment ? segment : "", segment ? segment_len : 0, &seg) ||
        !rt_store_push_row(&co->store, seg, id, id_len, start, has_end ? end : RT_NO_END, mrr, fp,
                           place))
        return RETAIN_ERR_NOMEM;
    return RETAIN_OK;
}

retain_status retain_cohort_add(retain_cohort *co, const char *segment, size_t segment_len,
                                const char *id, size_t id_len, retain_day start, retain_day end,
                                bool has_end, retain_money mrr)
{
    return add(co, segment, segment_len, id, id_len, start, end, has_end, mrr, 0, 0);
}

unsigned long retain_cohort_duplicates(const retain_cohort *co, uint64_t *place, uint64_t *of)
{
    return rt_rowset_duplicates(&co->store.rows, place, of);
}

retain_status retain_cohort_reserve(retain_cohort *co, size_t customers)
{
    return rt_store_reserve(&co->store, customers) ? RETAIN_OK : RETAIN_ERR_NOMEM;
}

/* Adds v to the cells of cohort c (of a segment's triangle at tri) for
 * every period whose last day falls in [a, b): running differences. */
static void add_served(const retain_cohort *co, int64_t *tri, size_t c, int32_t a, int32_t b,
                       int64_t v)
{
    int32_t lo, hi;
    if (v == 0 ||
        !rt_last_days_in(&co->days, a, b, co->first, co->first + (int32_t)co->nper - 1, &lo, &hi))
        return;
    int64_t *row = tri + row_offset(co->nper, c);
    int32_t cp = co->first + (int32_t)c;
    row[lo - cp] += v;
    row[hi - cp + 1] -= v;
}

/* One customer's rows (end already opened past as-of). */
static void add_customer(retain_cohort *co, size_t g, rt_span *rows, size_t n)
{
    rt_spans_sort(rows, n);
    size_t c = (size_t)(rt_day_period(&co->days, rows[0].start) - co->first);
    co->size[g * co->nper + c]++;
    int64_t *mrr = co->mrr + g * co->tri;
    if (co->opt.revenue) {
        for (size_t i = 0; i < n; i++) {
            if (rows[i].start == rows[0].start)
                co->start_mrr[g * co->nper + c] += rows[i].mrr;
            add_served(co, mrr, c, rows[i].start, rows[i].end, rows[i].mrr);
        }
    }
    /* a customer is active once, however many rows serve the day (the
     * merged spans may overwrite rows: they are not read again) */
    size_t m = rt_spans_merge(rows, n, co->opt.merge_gap, rows);
    for (size_t i = 0; i < m; i++)
        add_served(co, co->active + g * co->tri, c, rows[i].start, rows[i].end, 1);
}

retain_status retain_cohort_finish(retain_cohort *co, retain_diag *diag)
{
    const retain_period_kind k = co->opt.period;
    if (!rt_store_flush(&co->store))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    retain_status st = rt_merge_gap_check(co->opt.merge_gap, diag);
    if (st == RETAIN_OK)
        st = rt_window_close(&co->window, &co->as_of, diag);
    if (st != RETAIN_OK)
        return st;
    co->first = retain_period_of(k, co->window.min_start);
    co->nper = (size_t)(retain_period_of(k, co->as_of) - co->first + 1);
    int32_t rep_first, rep_last;
    st = rt_report_periods(k, co->window.min_start, co->as_of, co->opt.has_from, co->opt.from,
                           co->opt.has_to, co->opt.to, &rep_first, &rep_last, diag);
    if (st != RETAIN_OK)
        return st;
    co->skip = (size_t)(rep_first - co->first);
    co->nrep = (size_t)(rep_last - rep_first + 1);
    size_t nseg = co->segments.n;
    co->tri = row_offset(co->nper, co->nper);
    st = rt_table_check(nseg, co->tri, "cells", k, co->first, co->first + (int32_t)co->nper - 1,
                        false, diag);
    if (st != RETAIN_OK)
        return st;
    co->order = rt_intern_sorted(&co->segments);
    co->size = calloc(nseg * co->nper, sizeof *co->size);
    co->start_mrr = calloc(nseg * co->nper, sizeof *co->start_mrr);
    co->active = calloc(nseg * co->tri, sizeof *co->active);
    co->mrr = calloc(co->opt.revenue ? nseg * co->tri : 1, sizeof *co->mrr);
    bool ok = co->order && co->size && co->start_mrr && co->active && co->mrr &&
              rt_day_periods_init(&co->days, k, co->window.min_start, co->as_of);
    rt_spans rows = {0};
    const rt_store *s = &co->store;
    for (size_t i = 0; ok && i < s->n; i++) {
        size_t n = rt_store_rows(s, i, co->as_of, &rows);
        if (n > 0)
            add_customer(co, s->cust[i].segment, rows.v, n);
        ok = n > 0;
    }
    free(rows.v);
    if (!ok)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
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
    return co->finished ? co->nrep : 0;
}

size_t retain_cohort_ages(const retain_cohort *co)
{
    return co->finished ? co->nper - co->skip : 0;
}

retain_day retain_cohort_as_of(const retain_cohort *co)
{
    return co->as_of;
}

bool retain_cohort_get(const retain_cohort *co, size_t segment, size_t cohort, int32_t age,
                       retain_cohort_cell *cell)
{
    size_t g = co->order[segment];
    cohort += co->skip; /* the reported ones come after the skipped */
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
    for (size_t c = 0; age >= 0 && c < co->nrep && co->skip + c + (size_t)age < co->nper; c++) {
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

retain_status retain_cohort_add_row(const retain_row *row, void *cohort, retain_diag *diag)
{
    retain_cohort *co = cohort;
    bool seg = co->opt.segments;
    retain_status st = add(co, seg ? row->extra[0] : NULL, seg ? row->extra_len[0] : 0, row->id,
                           row->id_len, row->start, row->end, row->has_end,
                           row->has_mrr ? row->mrr : 0, row->fingerprint, row->place);
    if (st != RETAIN_OK)
        rt_fail(diag, st, row->line, NULL, "%s", retain_status_str(st));
    return st;
}
