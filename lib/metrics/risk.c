/* Signals, health and zones (see retain/risk.h and retain-risk(1)). */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <retain/risk.h>

#include "internal.h"

static const char *const signal_names[RETAIN_SIGNALS] = {
    "silent", "usage_drop", "tickets_up", "revenue_down", "missed_renewal", "nps_below_9"};

const char *retain_signal_name(retain_signal s)
{
    return (unsigned)s < RETAIN_SIGNALS ? signal_names[s] : "";
}

void retain_risk_defaults(retain_risk_options *o)
{
    static const int weights[RETAIN_SIGNALS] = {40, 20, 20, 25, 30, 20};
    memset(o, 0, sizeof *o);
    o->silence = 60;
    o->drop = 10 * RETAIN_MONEY_SCALE;
    o->revenue_drop = 10 * RETAIN_MONEY_SCALE;
    o->tickets_min = 3;
    o->revenue_days = 90;
    o->grace = 30;
    o->horizon = 90;
    memcpy(o->weights, weights, sizeof weights);
    o->zone1 = 75;
    o->zone2 = 50;
}

/* A whole number 0..max in text[0..len), nothing else. */
static bool whole(const char *text, size_t len, long max, long *out)
{
    if (len == 0 || len > 6)
        return false;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = 10 * v + (text[i] - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

retain_status retain_risk_parse_weights(const char *spec, int *weights, retain_diag *diag)
{
    int w[RETAIN_SIGNALS];
    memcpy(w, weights, sizeof w);
    for (const char *p = spec;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        char item[64];
        rt_quote(item, sizeof item, p, len);
        if (!eq) {
            rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "--weights: %s is not SIGNAL=WEIGHT", item);
            goto hint;
        }
        size_t nlen = (size_t)(eq - p);
        int s = 0;
        while (s < RETAIN_SIGNALS &&
               !(strlen(signal_names[s]) == nlen && memcmp(signal_names[s], p, nlen) == 0))
            s++;
        if (s == RETAIN_SIGNALS) {
            rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "--weights: %s names no signal", item);
            goto hint;
        }
        long v;
        if (!whole(eq + 1, len - nlen - 1, 100, &v)) {
            rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                    "--weights: %s: a weight is a whole number from 0 to 100", item);
            goto hint;
        }
        w[s] = (int)v;
        if (!end)
            break;
        p = end + 1;
    }
    memcpy(weights, w, sizeof w);
    return RETAIN_OK;
hint:
    rt_hint(diag, "signals: silent, usage_drop, tickets_up, revenue_down, missed_renewal, "
                  "nps_below_9 (for example --weights silent=50,nps_below_9=10)");
    return RETAIN_ERR_USAGE;
}

retain_status retain_risk_parse_zones(const char *spec, int *zone1, int *zone2, retain_diag *diag)
{
    const char *comma = strchr(spec, ',');
    long a, b;
    if (!comma || !whole(spec, (size_t)(comma - spec), 100, &a) ||
        !whole(comma + 1, strlen(comma + 1), 100, &b) || a <= b || b < 1)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "--zones takes two health scores, the first above the second, such as "
                       "75,50");
    *zone1 = (int)a;
    *zone2 = (int)b;
    return RETAIN_OK;
}

/* ---- one customer ----------------------------------------------------- */

/* Days from c to the next anniversary of start on or after c (the first
 * anniversary at the earliest); 29 February falls on 28 February in
 * other years. */
static int32_t renewal_in(retain_day start, retain_day c)
{
    int y, m, d, cy;
    retain_day_to_ymd(start, &y, &m, &d);
    retain_day_to_ymd(c, &cy, NULL, NULL);
    for (int year = cy - 1 > y ? cy - 1 : y + 1;; year++) {
        retain_day a;
        int dd = d;
        while (!retain_day_from_ymd(year, m, dd, &a) && dd > 28)
            dd--;
        if (year > 9999)
            return 0;
        if (a >= c)
            return a - c;
    }
}

static size_t stage_of(const retain_stages *st, int32_t t)
{
    size_t n = st ? retain_stages_count(st) : 3;
    for (size_t k = 0; k + 1 < n; k++) {
        int32_t to = st ? retain_stages_to(st, k) : (k == 0 ? 90 : 365);
        if (t < to)
            return k;
    }
    return n - 1;
}

/* Whether 100 (now - before) / before <= -threshold (millionths of a
 * percent point), before > 0: exactly, in integers. */
static bool dropped(int64_t now, int64_t before, retain_money threshold)
{
    __int128 lhs = (__int128)((__int128)now - before) * 100 * RETAIN_MONEY_SCALE;
    __int128 rhs = -(__int128)threshold * before;
    return before > 0 && lhs <= rhs;
}

bool retain_risk_eval(const retain_events *ev, const retain_risk_options *o, size_t i, retain_day c,
                      retain_risk_row *out)
{
    retain_life life;
    memset(out, 0, sizeof *out);
    size_t k;
    if (!retain_events_cutoff(ev, c, &k) || !retain_events_life_on(ev, i, c, &life))
        return false;
    retain_event_state s;
    retain_events_state(ev, i, k, &s);
    out->customer = i;
    out->mrr = retain_events_mrr_on(ev, i, c);
    out->tenure_days = c - life.start;
    out->stage = stage_of(o->stages, out->tenure_days);
    unsigned sig = 0;
    if (o->tables[RETAIN_EVENT_ACTIVITY]) {
        /* silent since its last event, or since its current life began */
        retain_day since =
            s.has_activity && s.last_activity > life.start ? s.last_activity : life.start;
        out->has_days_silent = true;
        out->days_silent = c - since;
        if (out->days_silent >= o->silence)
            sig |= 1u << RETAIN_SIGNAL_SILENT;
        out->has_usage = true;
        out->usage = s.usage;
        out->usage_before = s.usage_before;
        if (dropped(s.usage, s.usage_before, o->drop))
            sig |= 1u << RETAIN_SIGNAL_USAGE_DROP;
    }
    if (o->tables[RETAIN_EVENT_TICKET]) {
        out->has_tickets = true;
        out->tickets = s.tickets;
        out->tickets_before = s.tickets_before;
        if (s.tickets >= o->tickets_min && s.tickets >= 2 * s.tickets_before)
            sig |= 1u << RETAIN_SIGNAL_TICKETS_UP;
    }
    if (o->tables[RETAIN_EVENT_ORDER]) {
        out->has_revenue = true;
        out->revenue = s.revenue;
        out->revenue_before = s.revenue_before;
        if (s.orders >= 2 && (int64_t)c - s.last_order > 365 + (int64_t)o->grace)
            sig |= 1u << RETAIN_SIGNAL_MISSED_RENEWAL;
    } else if (o->has_mrr) {
        out->has_revenue = true;
        out->revenue = out->mrr;
        out->revenue_before = retain_events_mrr_on(ev, i, c - o->revenue_days);
    }
    if (out->has_revenue && dropped(out->revenue, out->revenue_before, o->revenue_drop))
        sig |= 1u << RETAIN_SIGNAL_REVENUE_DOWN;
    out->renewal_in_days = renewal_in(life.start, c);
    if (o->tables[RETAIN_EVENT_ANSWER] && s.has_answer) {
        out->has_nps = true;
        out->nps = s.score;
        if (s.score < 9)
            sig |= 1u << RETAIN_SIGNAL_NPS_BELOW_9;
    }
    int health = 100;
    for (int j = 0; j < RETAIN_SIGNALS; j++)
        if (sig & (1u << j))
            health -= o->weights[j];
    out->signals = sig;
    out->health = health < 0 ? 0 : health;
    out->zone = out->health >= o->zone1 ? 1 : out->health >= o->zone2 ? 2 : 3;
    return true;
}

/* ---- all customers ---------------------------------------------------- */

struct retain_risk {
    retain_risk_row *rows;
    size_t n;
    retain_risk_zone zone[3];
};

static int by_zone_mrr_id(const void *pa, const void *pb, void *ev)
{
    const retain_risk_row *a = pa, *b = pb;
    if (a->zone != b->zone)
        return b->zone - a->zone;
    if (a->mrr != b->mrr)
        return a->mrr > b->mrr ? -1 : 1;
    size_t la, lb;
    const char *ia = retain_events_id(ev, a->customer, &la);
    const char *ib = retain_events_id(ev, b->customer, &lb);
    int c = memcmp(ia, ib, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

retain_status retain_risk_compute(const retain_events *ev, const retain_risk_options *o,
                                  retain_risk **out, retain_diag *diag)
{
    *out = NULL;
    retain_day as_of = retain_events_as_of(ev), back = as_of - o->horizon;
    size_t k;
    if (!retain_events_cutoff(ev, as_of, &k))
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "the as-of is not a cutoff");
    bool backtest = o->horizon > 0 && retain_events_cutoff(ev, back, &k);
    retain_risk *r = calloc(1, sizeof *r);
    size_t n = retain_events_customers(ev);
    if (!r || !(r->rows = malloc((n ? n : 1) * sizeof *r->rows))) {
        free(r);
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        retain_risk_row row;
        if (backtest && retain_risk_eval(ev, o, i, back, &row)) {
            retain_risk_zone *z = &r->zone[row.zone - 1];
            retain_life life;
            retain_events_life_on(ev, i, back, &life);
            z->backtest_customers++;
            z->backtest_churned += life.has_end;
        }
        if (retain_risk_eval(ev, o, i, as_of, &r->rows[r->n])) {
            retain_risk_zone *z = &r->zone[r->rows[r->n].zone - 1];
            z->customers++;
            if (__builtin_add_overflow(z->mrr, r->rows[r->n].mrr, &z->mrr)) {
                retain_risk_free(r);
                return rt_fail(diag, RETAIN_ERR_DATA, 0, "mrr", "the MRR sums past 9.2e12");
            }
            r->n++;
        }
    }
    int64_t all = 0;
    retain_money all_mrr = 0;
    for (int z = 0; z < 3; z++) {
        all += r->zone[z].customers;
        if (__builtin_add_overflow(all_mrr, r->zone[z].mrr, &all_mrr)) {
            retain_risk_free(r);
            return rt_fail(diag, RETAIN_ERR_DATA, 0, "mrr", "the MRR sums past 9.2e12");
        }
    }
    for (int z = 0; z < 3; z++) {
        r->zone[z].all_customers = all;
        r->zone[z].all_mrr = all_mrr;
        r->zone[z].has_backtest = backtest;
    }
    qsort_r(r->rows, r->n, sizeof *r->rows, by_zone_mrr_id, (void *)ev);
    *out = r;
    return RETAIN_OK;
}

size_t retain_risk_count(const retain_risk *r)
{
    return r->n;
}

const retain_risk_row *retain_risk_get(const retain_risk *r, size_t k)
{
    return &r->rows[k];
}

void retain_risk_summary(const retain_risk *r, int zone, retain_risk_zone *out)
{
    memset(out, 0, sizeof *out);
    if (zone >= 1 && zone <= 3)
        *out = r->zone[zone - 1];
}

void retain_risk_free(retain_risk *r)
{
    if (!r)
        return;
    free(r->rows);
    free(r);
}

bool retain_proportion_test(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double *p_value)
{
    if (n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2 || x1 + x2 == 0 ||
        x1 + x2 == n1 + n2)
        return false;
    double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
    double p = (double)(x1 + x2) / (double)(n1 + n2);
    double z = (p1 - p2) / sqrt(p * (1 - p) * (1 / (double)n1 + 1 / (double)n2));
    *p_value = 2 * gsl_cdf_ugaussian_Q(fabs(z));
    return true;
}
