/* The tables 'retain nps' prints (retain/nps.h): per segment and period,
 * the call list, and the churn check. */
#include <string.h>

#include <retain/nps.h>
#include <retain/number.h>
#include <retain/risk.h>

#include "cells.h"

/* Deferred, as every table of retain nps: a failure leaves nothing. */
static retain_writer *open_table(const retain_print *p, const char *const *names, size_t n)
{
    return retain_writer_open(p->out, p->format, names, n, p->flags | RETAIN_WRITER_DEFERRED);
}

retain_writer *retain_nps_write(const retain_nps *n, retain_period_kind period, const char *segment,
                                const retain_print *p)
{
    static const char *const cols[] = {
        "period",        "responses",    "promoters",      "passives", "detractors",
        "promoters_pct", "passives_pct", "detractors_pct", "nps",      "moe"};
    retain_writer *w = rt_open_segmented(p, segment, cols, 10, RETAIN_WRITER_DEFERRED);
    int d = p->precision;
    for (size_t g = 0; w && g < retain_nps_segments(n); g++) {
        size_t len;
        const char *seg = retain_nps_segment(n, g, &len);
        for (size_t i = 0; i < retain_nps_periods(n); i++) {
            retain_nps_cell cell;
            retain_nps_get(n, g, i, &cell);
            rt_write_segment_period(w, segment != NULL, seg, len, period, retain_nps_period(n, i));
            retain_writer_int(w, cell.responses);
            retain_writer_int(w, cell.promoters);
            retain_writer_int(w, cell.passives);
            retain_writer_int(w, cell.detractors);
            retain_writer_ratio(w, cell.promoters, cell.responses, 100, d);
            retain_writer_ratio(w, cell.passives, cell.responses, 100, d);
            retain_writer_ratio(w, cell.detractors, cell.responses, 100, d);
            retain_writer_ratio(w, cell.promoters - cell.detractors, cell.responses, 100, d);
            double moe;
            if (retain_nps_moe(&cell, &moe))
                retain_writer_real(w, moe, d);
            else
                retain_writer_empty(w);
            retain_writer_end_row(w);
        }
    }
    return w;
}

retain_writer *retain_nps_write_calls(const retain_nps *n, const retain_events *customers,
                                      bool lives, const retain_print *p)
{
    static const char *const names[] = {"id", "score", "date", "mrr", "tenure_days"};
    retain_writer *w = open_table(p, names, lives ? 5 : 3);
    for (size_t k = 0; w && k < retain_nps_calls(n); k++) {
        const retain_nps_call *call = retain_nps_call_get(n, k);
        size_t len;
        const char *id = retain_events_id(customers, call->customer, &len);
        retain_writer_text(w, id, len);
        retain_writer_int(w, call->score);
        retain_writer_day(w, call->day);
        if (lives && call->has_life) {
            retain_writer_money(w, call->mrr, p->precision);
            retain_writer_int(w, call->tenure_days);
        } else if (lives) {
            retain_writer_empty(w);
            retain_writer_empty(w);
        }
        retain_writer_end_row(w);
    }
    return w;
}

retain_writer *retain_nps_write_churn(const retain_nps *n, const retain_print *p)
{
    static const char *const names[] = {"group", "answers", "churned", "churned_pct", "p_value"};
    retain_writer *w = open_table(p, names, 5);
    int64_t promoters, promoters_churned;
    retain_nps_churn(n, RETAIN_NPS_PROMOTER, &promoters, &promoters_churned);
    for (int g = 0; w && g < RETAIN_NPS_GROUPS; g++) {
        int64_t answers, churned;
        retain_nps_churn(n, (retain_nps_group)g, &answers, &churned);
        const char *name = retain_nps_group_name((retain_nps_group)g);
        retain_writer_text(w, name, strlen(name));
        retain_writer_int(w, answers);
        retain_writer_int(w, churned);
        retain_writer_ratio(w, churned, answers, 100, p->precision);
        double pv;
        if (g != RETAIN_NPS_PROMOTER &&
            retain_proportion_test(churned, answers, promoters_churned, promoters, &pv))
            retain_writer_real(w, pv, 4);
        else
            retain_writer_empty(w);
        retain_writer_end_row(w);
    }
    return w;
}
