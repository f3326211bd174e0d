/* The tables 'retain mrr' prints (retain/mrr.h): the movements per segment
 * and period, and per customer with --customers. */
#include <string.h>

#include <retain/mrr.h>
#include <retain/number.h>

#include "cells.h"

typedef bool (*ratio_fn)(const retain_mrr_row *row, int decimals, char *buf);

retain_writer *retain_mrr_write(const retain_mrr *m, retain_period_kind period, const char *segment,
                                bool annual, const retain_print *p)
{
    static const char *const head[] = {"period", "customers_start", "customers_end", "mrr_start",
                                       "new",    "expansion",       "reactivation",  "contraction",
                                       "churned"};
    static const char *const tail[] = {"mrr_end", "nrr_pct", "grr_pct", "quick_ratio",
                                       "revenue_churn_pct"};
    static const ratio_fn ratios[] = {retain_mrr_nrr_pct, retain_mrr_grr_pct,
                                      retain_mrr_quick_ratio, retain_mrr_revenue_churn_pct};
    const char *names[20];
    size_t ncols = 0;
    if (segment)
        names[ncols++] = segment;
    for (size_t i = 0; i < 9; i++)
        names[ncols++] = i == 3 && annual ? "arr_start" : head[i];
    if (segment) {
        names[ncols++] = "moved_in";
        names[ncols++] = "moved_out";
    }
    for (size_t i = 0; i < 5; i++)
        names[ncols++] = i == 0 && annual ? "arr_end" : tail[i];
    retain_writer *w = retain_writer_open(p->out, p->format, names, ncols, p->flags);
    int d = p->precision;
    size_t nper = retain_mrr_periods(m);
    for (size_t i = 0; w && i < retain_mrr_segments(m) * nper; i++) { /* by segment, period */
        size_t seglen;
        const char *seg = retain_mrr_segment(m, i / nper, &seglen);
        retain_mrr_row r;
        char buf[RETAIN_NUMBER_BUFSIZE];
        retain_mrr_get(m, i / nper, i % nper, &r);
        rt_write_segment_period(w, segment != NULL, seg, seglen, period, r.period);
        retain_writer_int(w, r.customers_start);
        retain_writer_int(w, r.customers_end);
        retain_money amounts[] = {r.mrr_start,   r.new_mrr, r.expansion, r.reactivation,
                                  r.contraction, r.churned, r.moved_in,  r.moved_out};
        for (size_t k = 0; k < 8; k++)
            if (k < 6 || segment)
                retain_writer_money(w, amounts[k], d);
        retain_writer_money(w, r.mrr_end, d);
        for (size_t k = 0; k < 4; k++)
            ratios[k](&r, d, buf) ? retain_writer_number(w, buf) : retain_writer_empty(w);
        retain_writer_end_row(w);
    }
    return w;
}

typedef struct {
    retain_writer *w;
    retain_period_kind period;
    bool segments;
    int precision;
} customers_ctx;

static retain_status customer_row(const retain_mrr_customer *row, void *user)
{
    customers_ctx *x = user;
    char label[16];
    retain_period_label(x->period, row->period, label);
    retain_writer_text(x->w, row->id, row->id_len);
    retain_writer_text(x->w, label, strlen(label));
    if (x->segments) {
        retain_writer_text(x->w, row->segment, row->segment_len);
        retain_writer_text(x->w, row->from_segment, row->from_segment_len);
    }
    retain_writer_money(x->w, row->m0, x->precision);
    retain_writer_money(x->w, row->m1, x->precision);
    const char *what = retain_mrr_movement_name(row->movement);
    retain_writer_text(x->w, what, strlen(what));
    return retain_writer_end_row(x->w);
}

retain_writer *retain_mrr_write_customers(const retain_mrr *m, retain_period_kind period,
                                          const char *segment, const retain_print *p)
{
    const char *names[8];
    size_t ncols = 0;
    names[ncols++] = "id";
    names[ncols++] = "period";
    if (segment) {
        names[ncols++] = segment;
        names[ncols++] = "moved_from";
    }
    names[ncols++] = "m0";
    names[ncols++] = "m1";
    names[ncols++] = "movement";
    customers_ctx x = {retain_writer_open(p->out, p->format, names, ncols, p->flags), period,
                       segment != NULL, p->precision};
    if (x.w && retain_mrr_customers_each(m, customer_row, &x) == RETAIN_ERR_NOMEM) {
        retain_writer_free(x.w);
        return NULL;
    }
    return x.w;
}
