/* Kaplan-Meier: counts per tenure day in, curves and tests out. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <retain/lives.h>
#include <retain/survival.h>

#include "internal.h"
#include "lives_fold.h"
#include "stats.h"
#include "store.h"
#include "window.h"

/* Events and censorings of one segment, per tenure day. */
typedef struct {
    int64_t *events, *censored; /* [t], t = 0 .. cap - 1 */
    size_t cap;
    size_t len; /* 1 + the largest t with a count */
    retain_km_step *steps;
    size_t nsteps;
} hist;

struct retain_survival {
    retain_survival_options opt;
    rt_intern segments;
    hist *hist;
    size_t hist_cap;
    retain_lives *lives;
    bool any_row;
    /* results */
    bool finished;
    retain_day as_of;
    uint32_t *order;
};

retain_survival *retain_survival_new(const retain_survival_options *options)
{
    retain_survival *sv = calloc(1, sizeof *sv);
    if (!sv)
        return NULL;
    sv->opt = *options;
    rt_intern_init(&sv->segments);
    retain_lives_options lo = {.has_as_of = options->has_as_of,
                               .as_of = options->as_of,
                               .merge_gap = options->merge_gap,
                               .segments = options->segments};
    if (!(sv->lives = retain_lives_new(&lo))) {
        free(sv);
        return NULL;
    }
    return sv;
}

/* Frees the per-segment counts and curves and their names. */
static void tables_free(retain_survival *sv)
{
    for (size_t i = 0; i < sv->segments.n && i < sv->hist_cap; i++) {
        free(sv->hist[i].events);
        free(sv->hist[i].censored);
        free(sv->hist[i].steps);
    }
    free(sv->hist);
    rt_intern_free(&sv->segments);
}

void retain_survival_free(retain_survival *sv)
{
    if (!sv)
        return;
    tables_free(sv);
    retain_lives_free(sv->lives);
    free(sv->order);
    free(sv);
}

static bool count(retain_survival *sv, uint32_t seg, int64_t t, bool event, int64_t n)
{
    hist *h = &sv->hist[seg];
    if ((size_t)t >= h->cap) {
        size_t cap = h->cap ? h->cap : 64;
        while (cap <= (size_t)t)
            cap *= 2;
        int64_t *e = realloc(h->events, cap * sizeof *e);
        if (!e)
            return false;
        h->events = e;
        int64_t *c = realloc(h->censored, cap * sizeof *c);
        if (!c)
            return false;
        h->censored = c;
        memset(e + h->cap, 0, (cap - h->cap) * sizeof *e);
        memset(c + h->cap, 0, (cap - h->cap) * sizeof *c);
        h->cap = cap;
    }
    (event ? h->events : h->censored)[t] += n;
    if ((size_t)t + 1 > h->len)
        h->len = (size_t)t + 1;
    return true;
}

static retain_status segment_index(retain_survival *sv, const char *segment, size_t len,
                                   uint32_t *seg)
{
    if (!rt_intern_get(&sv->segments, segment ? segment : "", segment ? len : 0, seg))
        return RETAIN_ERR_NOMEM;
    if (*seg >= sv->hist_cap) {
        size_t cap = sv->hist_cap ? 2 * sv->hist_cap : 8;
        hist *h = realloc(sv->hist, cap * sizeof *h);
        if (!h)
            return RETAIN_ERR_NOMEM;
        memset(h + sv->hist_cap, 0, (cap - sv->hist_cap) * sizeof *h);
        sv->hist = h;
        sv->hist_cap = cap;
    }
    return RETAIN_OK;
}

retain_status retain_survival_add(retain_survival *sv, const char *id, size_t id_len,
                                  const char *segment, size_t segment_len, retain_day start,
                                  retain_day end, bool has_end, retain_money mrr)
{
    sv->any_row = true;
    return retain_lives_add(sv->lives, id, id_len, segment, segment_len, NULL, 0, start, end,
                            has_end, mrr);
}

retain_lives *retain_survival_lives(retain_survival *sv)
{
    return sv->lives;
}

/* One life: an event at its tenure when it churned, else censored there. */
static retain_status on_life(const retain_life *life, void *user)
{
    retain_survival *sv = user;
    uint32_t seg;
    retain_status st = segment_index(sv, life->segment, life->segment_len, &seg);
    if (st != RETAIN_OK)
        return st;
    return count(sv, seg, (int64_t)life->end - life->start, life->has_end, 1) ? RETAIN_OK
                                                                              : RETAIN_ERR_NOMEM;
}

retain_status retain_survival_add_lives(retain_survival *sv, const char *segment,
                                        size_t segment_len, int32_t t, bool event, int64_t n)
{
    if (t < 0 || n < 0)
        return RETAIN_ERR_USAGE;
    uint32_t seg;
    retain_status st = segment_index(sv, segment, segment_len, &seg);
    if (st != RETAIN_OK)
        return st;
    return count(sv, seg, t, event, n) ? RETAIN_OK : RETAIN_ERR_NOMEM;
}

/* The curve of one segment from its counts. */
static bool build_curve(hist *h)
{
    int64_t at_risk = 0;
    size_t nsteps = 0;
    for (size_t t = 0; t < h->len; t++) {
        at_risk += h->events[t] + h->censored[t];
        nsteps += h->events[t] + h->censored[t] > 0;
    }
    h->steps = malloc((nsteps ? nsteps : 1) * sizeof *h->steps);
    if (!h->steps)
        return false;
    double s = 1.0, gw = 0.0;
    for (size_t t = 0; t < h->len; t++) {
        int64_t d = h->events[t], c = h->censored[t];
        if (d + c == 0)
            continue;
        if (d > 0) {
            s *= 1.0 - (double)d / (double)at_risk;
            gw =
                at_risk > d ? gw + (double)d / ((double)at_risk * (double)(at_risk - d)) : INFINITY;
        }
        h->steps[h->nsteps++] =
            (retain_km_step){(int32_t)t, at_risk, d, c, at_risk > d ? s : 0.0, gw};
        at_risk -= d + c;
    }
    return true;
}

/* Adds the counts of x (a fold of other customers' lives) to sv's, by
 * segment name. */
static retain_status merge_counts(retain_survival *sv, const retain_survival *x)
{
    for (uint32_t g = 0; g < x->segments.n; g++) {
        size_t len;
        const char *name = rt_intern_str(&x->segments, g, &len);
        uint32_t to;
        retain_status st = segment_index(sv, name, len, &to);
        if (st != RETAIN_OK)
            return st;
        const hist *h = &x->hist[g];
        for (size_t t = 0; t < h->len; t++)
            if ((h->events[t] && !count(sv, to, (int64_t)t, true, h->events[t])) ||
                (h->censored[t] && !count(sv, to, (int64_t)t, false, h->censored[t])))
                return RETAIN_ERR_NOMEM;
    }
    return RETAIN_OK;
}

/* Counts every life: customers [0, mid) into sv, the others into a
 * partial accumulator on a second thread, then merged into sv. */
static retain_status count_lives(retain_survival *sv, size_t mid)
{
    retain_survival x = {.opt = sv->opt};
    rt_intern_init(&x.segments);
    retain_status st = rt_lives_fold2(sv->lives, mid, on_life, sv, &x);
    if (st == RETAIN_OK)
        st = merge_counts(sv, &x);
    tables_free(&x);
    return st;
}

retain_status retain_survival_finish(retain_survival *sv, retain_diag *diag)
{
    return rt_survival_finish_at(sv, RT_FOLD_HALVES, diag);
}

retain_status rt_survival_finish_at(retain_survival *sv, size_t mid, retain_diag *diag)
{
    /* lives given as durations (retain_survival_add_lives) need no as-of */
    if (sv->segments.n == 0 || sv->any_row) {
        retain_status st = retain_lives_finish(sv->lives, diag);
        if (st != RETAIN_OK)
            return st;
        sv->as_of = retain_lives_as_of(sv->lives);
        if (count_lives(sv, mid) != RETAIN_OK)
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    sv->order = rt_intern_sorted(&sv->segments);
    if (!sv->order)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t g = 0; g < sv->segments.n; g++)
        if (!build_curve(&sv->hist[g]))
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    sv->finished = true;
    return RETAIN_OK;
}

size_t retain_survival_segments(const retain_survival *sv)
{
    return sv->finished ? sv->segments.n : 0;
}

const char *retain_survival_segment(const retain_survival *sv, size_t segment, size_t *len)
{
    return rt_intern_str(&sv->segments, sv->order[segment], len);
}

retain_day retain_survival_as_of(const retain_survival *sv)
{
    return sv->as_of;
}

const retain_km_step *retain_survival_curve(const retain_survival *sv, size_t segment,
                                            size_t *nsteps)
{
    const hist *h = &sv->hist[sv->order[segment]];
    *nsteps = h->nsteps;
    return h->steps;
}

/* ---- functions of a curve ---------------------------------------------- */

bool retain_km_ci(const retain_km_step *step, double conf, double *low, double *high)
{
    double s = step->survival, se = sqrt(step->greenwood);
    if (!(s > 0 && s < 1) || !isfinite(se) || !(conf > 0 && conf < 1))
        return false;
    double z = rt_normal_quantile((1 + conf) / 2);
    double l = log(-log(s)), w = z * se / fabs(log(s));
    *low = exp(-exp(l + w));
    *high = exp(-exp(l - w));
    return true;
}

double retain_km_survival_at(const retain_km_step *steps, size_t nsteps, double t)
{
    double s = 1.0;
    for (size_t i = 0; i < nsteps && steps[i].t <= t; i++)
        s = steps[i].survival;
    return s;
}

bool retain_km_median(const retain_km_step *steps, size_t nsteps, double *median)
{
    const double tol = sqrt(DBL_EPSILON); /* R's default tolerance */
    for (size_t i = 0; i < nsteps; i++) {
        if (steps[i].events == 0 || steps[i].survival > 0.5 + tol)
            continue;
        if (fabs(steps[i].survival - 0.5) >= tol) {
            *median = steps[i].t;
            return true;
        }
        /* flat at 0.5: the middle of the flat, up to the next drop or to
         * the last time observed */
        double end = steps[nsteps - 1].t;
        for (size_t j = i + 1; j < nsteps; j++) {
            if (steps[j].events > 0) {
                end = steps[j].t;
                break;
            }
        }
        *median = (steps[i].t + end) / 2.0;
        return true;
    }
    return false;
}

bool retain_km_rmst(const retain_km_step *steps, size_t nsteps, double horizon, double *rmst,
                    double *se)
{
    if (!(horizon >= 0) || !isfinite(horizon) || nsteps == 0)
        return false;
    if (steps[nsteps - 1].t < horizon && steps[nsteps - 1].survival > 0)
        return false;
    /* area from 0 to the horizon, then the area from each event time on */
    double area = 0.0, prev_t = 0.0, prev_s = 1.0;
    size_t m = 0; /* steps at or before the horizon */
    for (; m < nsteps && steps[m].t <= horizon; m++) {
        area += (steps[m].t - prev_t) * prev_s;
        prev_t = steps[m].t;
        prev_s = steps[m].survival;
    }
    area += (horizon - prev_t) * prev_s;
    double tail = (horizon - prev_t) * prev_s, var = 0.0;
    for (size_t i = m; i-- > 0;) {
        const retain_km_step *st = &steps[i];
        if (st->events > 0 && st->at_risk > st->events)
            var += tail * tail * (double)st->events /
                   ((double)st->at_risk * (double)(st->at_risk - st->events));
        if (i > 0)
            tail += (st->t - steps[i - 1].t) * steps[i - 1].survival;
    }
    *rmst = area;
    *se = sqrt(var);
    return true;
}

double retain_chisq_p_value(double chisq, int df)
{
    return rt_chisq_upper(chisq, df);
}

/* x' V^- x by an LDL' decomposition that skips (near) zero pivots, as R's
 * cholesky2: the generalized inverse of a singular V. *rank receives the
 * pivots kept. v is m x m, overwritten. */
static double quadratic_form(double *v, double *x, size_t m, int *rank)
{
    double big = 0.0;
    for (size_t i = 0; i < m; i++)
        if (v[i * m + i] > big)
            big = v[i * m + i];
    const double eps = 1e-9 * big;
    *rank = 0;
    for (size_t i = 0; i < m; i++) {
        double d = v[i * m + i];
        for (size_t k = 0; k < i; k++)
            d -= v[i * m + k] * v[i * m + k] * v[k * m + k];
        if (!(d > eps)) {
            v[i * m + i] = 0.0;
            for (size_t j = i + 1; j < m; j++)
                v[j * m + i] = 0.0;
            continue;
        }
        v[i * m + i] = d;
        (*rank)++;
        for (size_t j = i + 1; j < m; j++) {
            double s = v[j * m + i];
            for (size_t k = 0; k < i; k++)
                s -= v[j * m + k] * v[i * m + k] * v[k * m + k];
            v[j * m + i] = s / d;
        }
    }
    double q = 0.0;
    for (size_t i = 0; i < m; i++) {
        for (size_t k = 0; k < i; k++)
            x[i] -= v[i * m + k] * x[k];
        if (v[i * m + i] > 0)
            q += x[i] * x[i] / v[i * m + i];
    }
    return q;
}

bool retain_survival_logrank(const retain_survival *sv, double *observed, double *expected,
                             retain_logrank *result)
{
    result->chisq = 0.0;
    result->df = 0;
    result->p_value = 1.0;
    size_t k = sv->finished ? sv->segments.n : 0;
    double *o = calloc(k + 1, sizeof *o), *e = calloc(k + 1, sizeof *e);
    double *v = calloc(k * k + 1, sizeof *v);
    int64_t *risk = calloc(k + 1, sizeof *risk);
    bool ok = o && e && v && risk;
    size_t len = 0;
    for (size_t g = 0; ok && g < k; g++) {
        const hist *h = &sv->hist[sv->order[g]];
        for (size_t t = 0; t < h->len; t++)
            risk[g] += h->events[t] + h->censored[t];
        if (h->len > len)
            len = h->len;
    }
    for (size_t t = 0; ok && t < len; t++) {
        int64_t n = 0, d = 0;
        for (size_t g = 0; g < k; g++) {
            const hist *h = &sv->hist[sv->order[g]];
            n += risk[g];
            d += t < h->len ? h->events[t] : 0;
        }
        if (d > 0) {
            double f = n > 1 ? (double)d * (double)(n - d) / (double)(n - 1) : 0.0;
            for (size_t g = 0; g < k; g++) {
                const hist *h = &sv->hist[sv->order[g]];
                double pg = (double)risk[g] / (double)n;
                o[g] += t < h->len ? (double)h->events[t] : 0.0;
                e[g] += pg * (double)d;
                for (size_t j = 0; j < k; j++)
                    v[g * k + j] += f * pg * ((g == j) - (double)risk[j] / (double)n);
            }
        }
        for (size_t g = 0; g < k; g++) {
            const hist *h = &sv->hist[sv->order[g]];
            if (t < h->len)
                risk[g] -= h->events[t] + h->censored[t];
        }
    }
    if (ok) {
        if (observed)
            memcpy(observed, o, k * sizeof *o);
        if (expected)
            memcpy(expected, e, k * sizeof *e);
        /* as survdiff: segments expecting no event drop out, then the
         * first of the others (the deviations sum to zero) */
        size_t m = 0, first = k;
        for (size_t g = 0; g < k; g++) {
            if (e[g] <= 0)
                continue;
            if (first == k) {
                first = g;
                continue;
            }
            m++;
        }
        double *vv = calloc(m * m + 1, sizeof *vv), *x = calloc(m + 1, sizeof *x);
        ok = vv && x;
        if (ok && m > 0) {
            size_t a = 0;
            for (size_t g = first + 1; g < k; g++) {
                if (e[g] <= 0)
                    continue;
                x[a] = o[g] - e[g];
                size_t b = 0;
                for (size_t j = first + 1; j < k; j++) {
                    if (e[j] <= 0)
                        continue;
                    vv[a * m + b++] = v[g * k + j];
                }
                a++;
            }
            int rank;
            double q = quadratic_form(vv, x, m, &rank);
            if (rank > 0 && isfinite(q)) {
                result->chisq = q < 0 ? 0.0 : q;
                result->df = rank;
                result->p_value = rt_chisq_upper(result->chisq, rank);
            }
        }
        free(vv);
        free(x);
    }
    free(o);
    free(e);
    free(v);
    free(risk);
    return ok && result->df > 0;
}

retain_status retain_survival_add_row(const retain_row *row, void *survival, retain_diag *diag)
{
    retain_survival *sv = survival;
    bool seg = sv->opt.segments;
    sv->any_row = true;
    retain_status st = retain_lives_add_row(sv->lives, seg ? row->extra[0] : NULL,
                                            seg ? row->extra_len[0] : 0, NULL, 0, row);
    if (st != RETAIN_OK)
        rt_fail(diag, st, row->line, NULL, "%s", retain_status_str(st));
    return st;
}
