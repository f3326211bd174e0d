/* LTV, CAC and their ratios; the inputs of LTV from a customer table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/ltv.h>
#include <retain/number.h>
#include <retain/period.h>
#include <retain/rate.h>

#include "internal.h"
#include "store.h"
#include "whole.h"
#include "window.h"

/* An input must be a finite number in [lo, hi] (hi may be INFINITY). */
static retain_status check(retain_diag *diag, const char *what, double v, double lo, double hi,
                           const char *range)
{
    if (isfinite(v) && v >= lo && v <= hi)
        return RETAIN_OK;
    char text[64];
    if (isfinite(v))
        snprintf(text, sizeof text, "%g", v);
    else
        snprintf(text, sizeof text, "%s", isnan(v) ? "not a number" : "infinite");
    return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "%s must be %s, not %s", what, range, text);
}

#define FRACTION(diag, what, v) check(diag, what, v, 0, 1, "a fraction from 0 to 1")
#define NONNEG(diag, what, v) check(diag, what, v, 0, INFINITY, "0 or more")

/* num / den, undefined when den is 0 or the quotient is not finite. */
static void quotient(double num, double den, retain_value *out)
{
    double q = den != 0 ? num / den : NAN;
    out->defined = isfinite(q);
    out->value = out->defined ? q : 0;
}

retain_status retain_ltv_survival(const retain_km_step *steps, size_t nsteps, double arpu,
                                  double margin, double discount, int horizon, retain_value *out,
                                  retain_diag *diag)
{
    *out = (retain_value){0, false};
    retain_status st = NONNEG(diag, "ARPU", arpu);
    if (st == RETAIN_OK)
        st = FRACTION(diag, "margin", margin);
    if (st == RETAIN_OK)
        st = NONNEG(diag, "discount", discount);
    if (st == RETAIN_OK)
        st = check(diag, "the horizon", horizon, 1, 1200, "1 to 1200 months");
    if (st != RETAIN_OK || nsteps == 0)
        return st; /* no life: no curve, nothing known of how long one lasts */
    /* the expected months paid, each discounted from the first at once */
    double months = 0, factor = 1;
    for (int k = 0; k < horizon; k++) {
        months += retain_km_survival_at(steps, nsteps, k * (365.25 / 12)) * factor;
        factor /= 1 + discount;
    }
    *out = (retain_value){arpu * margin * months, true};
    return RETAIN_OK;
}

retain_status retain_ltv_discounted(double arpu, double margin, double churn, double discount,
                                    retain_value *out, retain_diag *diag)
{
    *out = (retain_value){0, false};
    retain_status st = NONNEG(diag, "ARPU", arpu);
    if (st == RETAIN_OK)
        st = FRACTION(diag, "margin", margin);
    if (st == RETAIN_OK)
        st = NONNEG(diag, "churn", churn); /* above 1 when many join and leave */
    if (st == RETAIN_OK)
        st = NONNEG(diag, "discount", discount);
    if (st != RETAIN_OK)
        return st;
    quotient(arpu * margin * (1 + discount), discount + churn, out);
    return RETAIN_OK;
}

retain_status retain_ltv_simple(double arpu, double margin, double churn, retain_value *out,
                                retain_diag *diag)
{
    /* the discounted formula with d = 0 is the simple one, exactly */
    return retain_ltv_discounted(arpu, margin, churn, 0, out, diag);
}

retain_status retain_cac(double spend, double new_customers, retain_value *out, retain_diag *diag)
{
    *out = (retain_value){0, false};
    retain_status st = NONNEG(diag, "spend", spend);
    if (st == RETAIN_OK)
        st = NONNEG(diag, "new customers", new_customers);
    if (st != RETAIN_OK)
        return st;
    quotient(spend, new_customers, out);
    return RETAIN_OK;
}

retain_status retain_ltv_format(double arpu, double margin, double churn_pct, double discount_pct,
                                int decimals, char *buf, retain_diag *diag)
{
    retain_value v;
    buf[0] = '\0';
    retain_status st =
        retain_ltv_discounted(arpu, margin, churn_pct / 100, discount_pct / 100, &v, diag);
    if (st == RETAIN_OK && v.defined)
        retain_format_real(v.value, decimals, buf);
    return st;
}

retain_status retain_cac_format(double spend, const char *spend_text, double new_customers,
                                int decimals, char *buf, retain_diag *diag)
{
    retain_value v;
    buf[0] = '\0';
    retain_status st = retain_cac(spend, new_customers, &v, diag);
    if (st != RETAIN_OK || !v.defined)
        return st;
    retain_money exact;
    if (spend_text && new_customers == (double)(int64_t)new_customers &&
        retain_money_parse(spend_text, strlen(spend_text), '.', &exact) == RETAIN_MONEY_OK)
        retain_format_money_ratio(exact, (int64_t)new_customers, decimals, buf);
    else
        retain_format_real(v.value, decimals, buf);
    return RETAIN_OK;
}

retain_status retain_ltv_cac(double ltv, double cac, retain_value *out, retain_diag *diag)
{
    *out = (retain_value){0, false};
    retain_status st = NONNEG(diag, "LTV", ltv);
    if (st == RETAIN_OK)
        st = NONNEG(diag, "CAC", cac);
    if (st != RETAIN_OK)
        return st;
    quotient(ltv, cac, out);
    return RETAIN_OK;
}

retain_status retain_cac_payback(double cac, double arpu, double margin, retain_value *out,
                                 retain_diag *diag)
{
    *out = (retain_value){0, false};
    retain_status st = NONNEG(diag, "CAC", cac);
    if (st == RETAIN_OK)
        st = NONNEG(diag, "ARPU", arpu);
    if (st == RETAIN_OK)
        st = FRACTION(diag, "margin", margin);
    if (st != RETAIN_OK)
        return st;
    quotient(cac, arpu * margin, out);
    return RETAIN_OK;
}

/* ---- the inputs from a customer table ---- */

struct retain_ltv_table {
    retain_ltv_table_options opt;
    retain_rate *rate; /* monthly TRC, for the churn */
    rt_intern segments;
    rt_store store; /* rows with their MRR */
    rt_window window;
    uint64_t money_total; /* see rt_money_tally */
    bool finished;
    retain_day as_of;
    uint32_t *order;
    retain_ltv_inputs *result; /* per segment index */
    retain_survival *survival; /* with the survival option */
    /* per segment, the sums of the customers' rows (see sum_row); those
     * of customers added whole are summed as they come, never stored */
    struct seg_sums *sums;
    size_t sums_cap;
};

typedef struct seg_sums {
    int64_t mrr_sum, customers, seen;
    /* MRR x days served, in millionth-days: exact, so the sum is the same
     * in whatever order the customers come (a two-core read) */
    __int128 revenue;
} seg_sums;

/* Room for the sums of n segments, the new ones 0. */
static bool sums_room(retain_ltv_table *t, size_t n)
{
    size_t had = t->sums_cap;
    if (!rt_grow((void **)&t->sums, &t->sums_cap, n, sizeof *t->sums))
        return false;
    memset(t->sums + had, 0, (t->sums_cap - had) * sizeof *t->sums);
    return true;
}

/* A row [start, end) of a customer (end RT_NO_END: open on as-of) into its
 * segment's sums: the MRR of the open ones (*active then) and the revenue
 * received to as-of. */
static void sum_row(seg_sums *g, int32_t start, int32_t end, int64_t mrr, retain_day as_of,
                    bool *active)
{
    int32_t until = end == RT_NO_END ? as_of + 1 : end;
    if (end == RT_NO_END) {
        *active = true;
        g->mrr_sum += mrr;
    }
    g->revenue += (__int128)mrr * (until - start);
}

retain_ltv_table *retain_ltv_table_new(const retain_ltv_table_options *options)
{
    retain_ltv_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->opt = *options;
    if (t->opt.window < 1)
        t->opt.window = 1;
    retain_rate_options ro = {.period = RETAIN_PERIOD_MONTH,
                              .has_as_of = options->has_as_of,
                              .as_of = options->as_of,
                              .merge_gap = options->merge_gap};
    t->rate = retain_rate_new(&ro);
    rt_intern_init(&t->segments);
    rt_store_init(&t->store);
    rt_store_keep_mrr(&t->store);
    rt_store_dedup(&t->store);
    rt_window_init(&t->window, options->has_as_of, options->as_of);
    if (options->survival) {
        retain_survival_options so = {.as_of = options->as_of,
                                      .has_as_of = options->has_as_of,
                                      .merge_gap = options->merge_gap,
                                      .segments = options->segments};
        t->survival = retain_survival_new(&so);
    }
    if (!t->rate || (options->survival && !t->survival)) {
        retain_ltv_table_free(t);
        return NULL;
    }
    return t;
}

void retain_ltv_table_free(retain_ltv_table *t)
{
    if (!t)
        return;
    retain_rate_free(t->rate);
    retain_survival_free(t->survival);
    rt_intern_free(&t->segments);
    rt_store_free(&t->store);
    free(t->sums);
    free(t->order);
    free(t->result);
    free(t);
}

/* A row of customer id. */
static retain_status add(retain_ltv_table *t, const char *segment, size_t segment_len,
                         const char *id, size_t id_len, retain_day start, retain_day end,
                         bool has_end, retain_money mrr, bool has_mrr, const retain_row *row)
{
    if (!segment)
        segment_len = 0;
    /* the monthly rate counts customers active: a duplicate changes none */
    retain_status st =
        retain_rate_add(t->rate, segment, segment_len, id, id_len, start, end, has_end);
    if (st != RETAIN_OK)
        return st;
    if (!rt_window_keep(&t->window, start))
        return RETAIN_OK;
    if (has_mrr && !rt_money_tally(&t->money_total, mrr))
        return RETAIN_ERR_DATA; /* a sum would overflow */
    uint32_t seg = 0;
    int32_t e = has_end ? end : RT_NO_END;
    int64_t m = has_mrr ? mrr : 0;
    if (!rt_intern_get(&t->segments, segment ? segment : "", segment_len, &seg) ||
        !rt_store_push_row(&t->store, seg, id, id_len, start, e, m, row ? row->fingerprint : 0,
                           row ? row->place : 0))
        return RETAIN_ERR_NOMEM;
    return RETAIN_OK;
}

retain_status retain_ltv_table_add(retain_ltv_table *t, const char *segment, size_t segment_len,
                                   const char *id, size_t id_len, retain_day start, retain_day end,
                                   bool has_end, retain_money mrr, bool has_mrr)
{
    retain_status st =
        add(t, segment, segment_len, id, id_len, start, end, has_end, mrr, has_mrr, NULL);
    if (st == RETAIN_OK && t->survival)
        st = retain_survival_add(t->survival, id, id_len, segment, segment ? segment_len : 0, start,
                                 end, has_end, has_mrr ? mrr : 0);
    return st;
}

retain_status rt_ltv_table_add_customer(retain_ltv_table *t, const char *segment,
                                        size_t segment_len, rt_span *rows, size_t n, bool has_mrr)
{
    if (t->survival || !t->opt.has_as_of)
        return RETAIN_ERR_USAGE; /* curves made by id; rows summed at once */
    if (!segment)
        segment_len = 0;
    seg_sums *g = NULL;
    bool active = false;
    for (size_t j = 0; j < n; j++) {
        const rt_span *x = &rows[j];
        if (x->end != RT_NO_END && x->end < x->start)
            return RETAIN_ERR_DATA;
        if (!rt_window_keep(&t->window, x->start))
            continue; /* not yet a customer on as-of */
        if (has_mrr && !rt_money_tally(&t->money_total, x->mrr))
            return RETAIN_ERR_DATA; /* a sum would overflow */
        if (!g) {                   /* its first row kept: the customer is seen */
            uint32_t seg;
            if (!rt_intern_get(&t->segments, segment ? segment : "", segment_len, &seg) ||
                !sums_room(t, (size_t)seg + 1))
                return RETAIN_ERR_NOMEM;
            g = &t->sums[seg];
            g->seen++;
        }
        int32_t end = x->end != RT_NO_END && x->end <= t->opt.as_of ? x->end : RT_NO_END;
        sum_row(g, x->start, end, has_mrr ? x->mrr : 0, t->opt.as_of, &active);
    }
    if (active)
        g->customers++;
    /* the monthly rate's, last: it may reorder and cut the rows */
    return rt_rate_add_customer(t->rate, segment, segment_len, rows, n);
}

retain_status rt_ltv_table_count_whole(retain_ltv_table *t, retain_day from)
{
    if (t->survival || !t->opt.has_as_of || t->opt.has_from || t->opt.has_to || t->store.n > 0)
        return RETAIN_ERR_USAGE;
    return rt_rate_count_whole(t->rate, from);
}

/* `from` added to `into` (sign 1), each segment to the one of its name,
 * or (sign -1, segment given) taken out of that segment. */
static retain_status combine(retain_ltv_table *into, const retain_ltv_table *from, int sign,
                             const char *segment, size_t segment_len)
{
    if (into->finished || from->finished || into->store.n > 0 || from->store.n > 0 ||
        into->opt.as_of != from->opt.as_of || into->opt.window != from->opt.window)
        return RETAIN_ERR_USAGE;
    retain_status st = sign > 0 ? rt_rate_merge_whole(into->rate, from->rate)
                                : rt_rate_take_out(into->rate, segment, segment_len, from->rate);
    if (st != RETAIN_OK)
        return st;
    /* taking out a part of the sums keeps them within the tally */
    if (sign > 0 && !rt_money_tally(&into->money_total, (int64_t)from->money_total))
        return RETAIN_ERR_DATA; /* a sum would overflow */
    for (size_t g = 0; g < from->segments.n; g++) {
        size_t len = segment_len;
        const char *name = segment ? segment : rt_intern_str(&from->segments, (uint32_t)g, &len);
        uint32_t seg;
        if (!rt_intern_get(&into->segments, name, len, &seg) || !sums_room(into, (size_t)seg + 1))
            return RETAIN_ERR_NOMEM;
        if (g >= from->sums_cap)
            continue;
        seg_sums *a = &into->sums[seg];
        const seg_sums *b = &from->sums[g];
        a->mrr_sum += sign * b->mrr_sum; /* within the tally just checked */
        a->customers += sign * b->customers;
        a->seen += sign * b->seen;
        a->revenue += sign * b->revenue;
    }
    if (sign > 0)
        rt_window_merge(&into->window, &from->window);
    return RETAIN_OK;
}

retain_status rt_ltv_table_merge_whole(retain_ltv_table *into, const retain_ltv_table *from)
{
    return combine(into, from, 1, NULL, 0);
}

retain_status rt_ltv_table_take_out(retain_ltv_table *table, const char *segment,
                                    size_t segment_len, const retain_ltv_table *part)
{
    return combine(table, part, -1, segment ? segment : "", segment ? segment_len : 0);
}

retain_status retain_ltv_table_add_row(const retain_row *row, void *table, retain_diag *diag)
{
    retain_ltv_table *t = table;
    bool seg = t->opt.segments;
    retain_status st =
        add(t, seg ? row->extra[0] : NULL, seg ? row->extra_len[0] : 0, row->id, row->id_len,
            row->start, row->end, row->has_end, row->mrr, row->has_mrr, row);
    if (st != RETAIN_OK)
        return rt_fail(diag, st, row->line, NULL, "%s", retain_status_str(st));
    return t->survival ? retain_survival_add_row(row, t->survival, diag) : RETAIN_OK;
}

unsigned long retain_ltv_table_duplicates(const retain_ltv_table *t, uint64_t *place, uint64_t *of)
{
    return rt_rowset_duplicates(&t->store.rows, place, of);
}

/* The mean churn of the window's months, from the finished rate. */
static void window_churn(const retain_ltv_table *t, size_t rate_segment, retain_ltv_inputs *out)
{
    size_t n = retain_rate_periods(t->rate);
    if (n == 0)
        return;
    retain_rate_row row;
    retain_rate_get(t->rate, rate_segment, n - 1, &row);
    /* the last month that ends on or before as-of */
    int32_t last = row.period;
    if (retain_period_last_day(RETAIN_PERIOD_MONTH, last) > t->as_of)
        last--;
    int32_t first_period = row.period - (int32_t)(n - 1);
    if (t->opt.has_to && t->opt.to < last)
        last = t->opt.to;
    int32_t first = t->opt.has_from ? t->opt.from : last - t->opt.window + 1;
    double sum = 0;
    int months = 0;
    for (int32_t p = last; p >= first && p >= first_period; p--) {
        retain_rate_get(t->rate, rate_segment, (size_t)(p - first_period), &row);
        if (row.customers_start == 0)
            continue;
        int64_t kept = row.customers_end - row.new_customers - row.reactivated;
        sum += (double)(row.customers_start - kept) / (double)row.customers_start;
        months++;
    }
    out->months = months;
    if (months > 0)
        out->churn = (retain_value){sum / months, true};
}

retain_status retain_ltv_table_finish(retain_ltv_table *t, retain_diag *diag)
{
    retain_status st = retain_rate_finish(t->rate, diag);
    if (st != RETAIN_OK)
        return st;
    if (!rt_store_flush(&t->store))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    st = rt_window_close(&t->window, &t->as_of, diag);
    int32_t first, last; /* --from/--to: some month of the data's must be left */
    if (st == RETAIN_OK && (t->opt.has_from || t->opt.has_to))
        st = rt_report_periods(RETAIN_PERIOD_MONTH, t->window.min_start, t->as_of, t->opt.has_from,
                               t->opt.from, t->opt.has_to, t->opt.to, &first, &last, diag);
    if (st != RETAIN_OK)
        return st;
    size_t nseg = t->segments.n;
    t->order = rt_intern_sorted(&t->segments);
    t->result = calloc(nseg ? nseg : 1, sizeof *t->result);
    rt_spans rows = {0};
    bool ok = t->order && t->result && sums_room(t, nseg ? nseg : 1);
    for (size_t i = 0; ok && i < t->store.n; i++) {
        seg_sums *g = &t->sums[t->store.cust[i].segment];
        size_t n = rt_store_rows(&t->store, i, t->as_of, &rows);
        ok = n > 0;
        bool active = false;
        for (size_t j = 0; j < n; j++)
            sum_row(g, rows.v[j].start, rows.v[j].end, rows.v[j].mrr, t->as_of, &active);
        g->seen++;
        g->customers += active;
    }
    free(rows.v);
    if (!ok)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t g = 0; g < nseg; g++) {
        retain_ltv_inputs *r = &t->result[g];
        const seg_sums *x = &t->sums[g];
        r->mrr_sum = x->mrr_sum;
        r->customers = x->customers;
        r->customers_seen = x->seen;
        if (r->customers > 0)
            r->arpu = (retain_value){(double)x->mrr_sum / RETAIN_MONEY_SCALE / (double)r->customers,
                                     true};
        if (r->customers_seen > 0)
            r->observed_revenue =
                (retain_value){(double)x->revenue / RETAIN_MONEY_SCALE / RETAIN_DAYS_PER_MONTH /
                                   (double)r->customers_seen,
                               true};
    }
    /* the rate's segments are the same names, in the same order */
    for (size_t k = 0; k < nseg && k < retain_rate_segments(t->rate); k++)
        window_churn(t, k, &t->result[t->order[k]]);
    t->finished = true;
    return t->survival ? retain_survival_finish(t->survival, diag) : RETAIN_OK;
}

const retain_survival *retain_ltv_table_survival(const retain_ltv_table *t)
{
    return t->survival;
}

size_t retain_ltv_table_segments(const retain_ltv_table *t)
{
    return t->finished ? t->segments.n : 0;
}

const char *retain_ltv_table_segment(const retain_ltv_table *t, size_t segment, size_t *len)
{
    return rt_intern_str(&t->segments, t->order[segment], len);
}

void retain_ltv_table_get(const retain_ltv_table *t, size_t segment, retain_ltv_inputs *out)
{
    *out = t->result[t->order[segment]];
}

retain_day retain_ltv_table_as_of(const retain_ltv_table *t)
{
    return t->as_of;
}
