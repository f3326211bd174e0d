/* The tables 'retain risk' prints (retain/risk.h): one row per customer,
 * or per zone with the backtest. */
#include <stdio.h>
#include <string.h>

#include <retain/risk.h>

static void write_row(retain_writer *w, const retain_events *ev, const retain_risk_row *row,
                      const retain_risk_options *o, const char *by, int precision)
{
    size_t len;
    const char *id = retain_events_id(ev, row->customer, &len);
    retain_writer_text(w, id, len);
    if (by) {
        retain_life life;
        retain_events_life_on(ev, row->customer, retain_events_as_of(ev), &life);
        retain_writer_text(w, life.segment, life.segment_len);
    }
    if (o->has_mrr)
        retain_writer_money(w, row->mrr, precision);
    retain_writer_int(w, row->tenure_days);
    const char *stage = retain_stages_name(o->stages, row->stage);
    retain_writer_text(w, stage, strlen(stage));
    if (o->tables[RETAIN_EVENT_ACTIVITY]) {
        retain_writer_int(w, row->days_silent);
        retain_writer_ratio(w, row->usage - row->usage_before, row->usage_before, 100, precision);
    }
    if (o->tables[RETAIN_EVENT_TICKET]) {
        retain_writer_int(w, row->tickets);
        retain_writer_int(w, row->tickets_before);
    }
    if (o->tables[RETAIN_EVENT_ORDER] || o->has_mrr)
        retain_writer_ratio(w, row->revenue - row->revenue_before, row->revenue_before, 100,
                            precision);
    retain_writer_int(w, row->renewal_in_days);
    if (o->tables[RETAIN_EVENT_ANSWER])
        row->has_nps ? retain_writer_int(w, row->nps) : retain_writer_empty(w);
    char sig[128];
    size_t n = 0;
    for (int s = 0; s < RETAIN_SIGNALS; s++) {
        if (row->signals & (1u << s)) {
            const char *name = retain_signal_name((retain_signal)s);
            n += (size_t)snprintf(sig + n, sizeof sig - n, "%s%s", n ? ";" : "", name);
        }
    }
    retain_writer_text(w, sig, n);
    retain_writer_int(w, row->health);
    retain_writer_int(w, row->zone);
    retain_writer_end_row(w);
}

retain_writer *retain_risk_write(const retain_risk *r, const retain_events *ev,
                                 const retain_risk_options *o, const char *by,
                                 const retain_print *p)
{
    const char *names[20];
    size_t n = 0;
    names[n++] = "id";
    if (by)
        names[n++] = by;
    if (o->has_mrr)
        names[n++] = "mrr";
    names[n++] = "tenure_days";
    names[n++] = "stage";
    if (o->tables[RETAIN_EVENT_ACTIVITY]) {
        names[n++] = "days_silent";
        names[n++] = "usage_change_pct";
    }
    if (o->tables[RETAIN_EVENT_TICKET]) {
        names[n++] = "tickets";
        names[n++] = "tickets_before";
    }
    if (o->tables[RETAIN_EVENT_ORDER] || o->has_mrr)
        names[n++] = "revenue_change_pct";
    names[n++] = "renewal_in_days";
    if (o->tables[RETAIN_EVENT_ANSWER])
        names[n++] = "nps";
    names[n++] = "signals";
    names[n++] = "health";
    names[n++] = "zone";
    retain_writer *w =
        retain_writer_open(p->out, p->format, names, n, p->flags | RETAIN_WRITER_DEFERRED);
    for (size_t k = 0; w && k < retain_risk_count(r); k++)
        write_row(w, ev, retain_risk_get(r, k), o, by, p->precision);
    return w;
}

retain_writer *retain_risk_write_summary(const retain_risk *r, const retain_risk_options *o,
                                         const retain_print *p)
{
    const char *names[10];
    size_t n = 0;
    names[n++] = "zone";
    names[n++] = "customers";
    names[n++] = "customers_pct";
    if (o->has_mrr) {
        names[n++] = "mrr";
        names[n++] = "mrr_pct";
    }
    names[n++] = "backtest_customers";
    names[n++] = "backtest_churned";
    names[n++] = "churned_pct";
    names[n++] = "p_value";
    retain_writer *w =
        retain_writer_open(p->out, p->format, names, n, p->flags | RETAIN_WRITER_DEFERRED);
    retain_risk_zone z1;
    retain_risk_summary(r, 1, &z1);
    for (int zone = 1; w && zone <= 3; zone++) {
        retain_risk_zone z;
        retain_risk_summary(r, zone, &z);
        retain_writer_int(w, zone);
        retain_writer_int(w, z.customers);
        retain_writer_ratio(w, z.customers, z.all_customers, 100, p->precision);
        if (o->has_mrr) {
            retain_writer_money(w, z.mrr, p->precision);
            retain_writer_ratio(w, z.mrr, z.all_mrr, 100, p->precision);
        }
        retain_writer_int(w, z.backtest_customers);
        retain_writer_int(w, z.backtest_churned);
        retain_writer_ratio(w, z.backtest_churned, z.backtest_customers, 100, p->precision);
        double pv; /* a zone's churn against zone 1's */
        if (zone > 1 && retain_proportion_test(z.backtest_churned, z.backtest_customers,
                                               z1.backtest_churned, z1.backtest_customers, &pv))
            retain_writer_real(w, pv, 4);
        else
            retain_writer_empty(w);
        retain_writer_end_row(w);
    }
    return w;
}
