/* The tables 'retain survival' prints (retain/survival.h): the curves,
 * their summary, and the log-rank test between them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/number.h>
#include <retain/survival.h>

#include "cells.h"

bool retain_survival_unit(const char *name, double *days)
{
    static const struct {
        const char *name;
        double days;
    } units[] = {{"day", 1.0}, {"week", 7.0}, {"month", 365.25 / 12}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(name, units[i].name) == 0) {
            *days = units[i].days;
            return true;
        }
    return false;
}

/* Probabilities and t in units: at least 4 decimals. */
static int prob_decimals(const retain_print *p)
{
    return p->precision > 4 ? p->precision : 4;
}

static retain_status put_real(retain_writer *w, double v, int decimals)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    return retain_format_real(v, decimals, buf) ? retain_writer_number(w, buf)
                                                : retain_writer_empty(w);
}

static void put_segment(retain_writer *w, const retain_survival *sv, size_t g, const char *segment)
{
    size_t len;
    const char *seg = retain_survival_segment(sv, g, &len);
    if (segment)
        retain_writer_text(w, seg, len);
}

retain_writer *retain_survival_write(const retain_survival *sv, const char *segment,
                                     const retain_survival_view *v, const retain_print *p)
{
    static const char *const cols[] = {"t",        "at_risk", "events", "censored",
                                       "survival", "ci_low",  "ci_high"};
    retain_writer *w = rt_open_segmented(p, segment, cols, 7, 0);
    int pd = prob_decimals(p);
    for (size_t g = 0; w && g < retain_survival_segments(sv); g++) {
        size_t n;
        const retain_km_step *steps = retain_survival_curve(sv, g, &n);
        for (size_t i = 0; i < n; i++) {
            const retain_km_step *s = &steps[i];
            double low = NAN, high = NAN;
            retain_km_ci(s, v->conf, &low, &high);
            put_segment(w, sv, g, segment);
            if (v->unit == 1.0)
                retain_writer_int(w, (int64_t)s->t);
            else
                put_real(w, s->t / v->unit, pd);
            retain_writer_int(w, s->at_risk);
            retain_writer_int(w, s->events);
            retain_writer_int(w, s->censored);
            put_real(w, s->survival, pd);
            put_real(w, low, pd);
            put_real(w, high, pd);
            retain_writer_end_row(w);
        }
    }
    return w;
}

/* A duration in units, or an empty cell. */
static void put_units(retain_writer *w, bool defined, double days, const retain_survival_view *v,
                      int decimals)
{
    defined ? put_real(w, days / v->unit, decimals) : retain_writer_empty(w);
}

retain_writer *retain_survival_write_summary(const retain_survival *sv, const char *segment,
                                             const retain_survival_view *v, const retain_print *p)
{
    static const char *const cols[] = {"lives",   "events", "censored", "median",
                                       "horizon", "rmst",   "rmst_se"};
    retain_writer *w = rt_open_segmented(p, segment, cols, 7, 0);
    int d = p->precision;
    for (size_t g = 0; w && g < retain_survival_segments(sv); g++) {
        retain_survival_summary sum;
        retain_survival_summarize(sv, g, v->has_horizon ? v->horizon : -1, &sum);
        put_segment(w, sv, g, segment);
        retain_writer_int(w, sum.lives);
        retain_writer_int(w, sum.events);
        retain_writer_int(w, sum.censored);
        put_units(w, sum.has_median, sum.median, v, d);
        put_units(w, true, sum.horizon, v, d);
        put_units(w, sum.has_rmst, sum.rmst, v, d);
        put_units(w, sum.has_rmst, sum.rmst_se, v, d);
        retain_writer_end_row(w);
    }
    return w;
}

/* A p-value with two significant digits when small: 4.2e-05 prints
 * 0.000042 (up to 9 decimals), below 1e-9 9.0e-12; never 0.0000 for a
 * p-value above 0. */
static void put_p_value(retain_writer *w, double p, int decimals)
{
    int d = decimals;
    if (p > 0 && p < 1) {
        double want = -floor(log10(p)) + 1;
        if (want > d)
            d = want > 9 ? 9 : (int)want;
    }
    if (p > 0 && p < 1e-9) {
        char buf[32];
        snprintf(buf, sizeof buf, "%.1e", p); /* in the C locale */
        char *e = strchr(buf, 'e');
        if (e && e[1] == '-' && e[2] == '0') /* 9.0e-012 on some libcs: 9.0e-12 */
            memmove(e + 2, e + 3, strlen(e + 3) + 1);
        retain_writer_number(w, buf);
        return;
    }
    put_real(w, p, d);
}

retain_writer *retain_survival_write_compare(const retain_survival *sv, const char *segment,
                                             const retain_print *p)
{
    static const char *const cols[] = {"lives", "events", "expected", "chisq", "df", "p_value"};
    size_t nseg = retain_survival_segments(sv);
    double *obs = calloc(nseg + 1, sizeof *obs), *expected = calloc(nseg + 1, sizeof *expected);
    retain_writer *w = obs && expected ? rt_open_segmented(p, segment, cols, 6, 0) : NULL;
    retain_logrank lr;
    bool tested = w && retain_survival_logrank(sv, obs, expected, &lr);
    for (size_t g = 0; w && g < nseg; g++) {
        retain_survival_summary sum;
        retain_survival_summarize(sv, g, 0, &sum);
        put_segment(w, sv, g, segment);
        retain_writer_int(w, sum.lives);
        retain_writer_int(w, (int64_t)llround(obs[g]));
        put_real(w, expected[g], p->precision);
        tested ? put_real(w, lr.chisq, p->precision) : retain_writer_empty(w);
        tested ? retain_writer_int(w, lr.df) : retain_writer_empty(w);
        if (tested)
            put_p_value(w, lr.p_value, prob_decimals(p));
        else
            retain_writer_empty(w);
        retain_writer_end_row(w);
    }
    free(obs);
    free(expected);
    return w;
}
