/* Churn by lifecycle stage from day-indexed counts.
 *
 * With as-of unknown until the last row (its default is the latest start),
 * each row is recorded by the days on which its contribution changes, and
 * as-of is applied at the end:
 * - entry: a row reaches stage k (t >= from) on day lower = start + from,
 *   if it ever does: no end, or end >= lower. Then entered_k = rows with
 *   lower <= as-of, whether the row ends before as-of or not.
 * - churn: a row with an end churns in stage k on its end day when
 *   end - start is in [from, to); it counts when end <= as-of.
 * - exit (per period only): the last day the row is in stage k,
 *   min(start + to - 1, end); a row is in stage k during period P when
 *   lower <= min(last day of P, as-of) and exit >= first day of P. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/churn.h>
#include <retain/lives.h>

#include "internal.h"
#include "lives_fold.h"
#include "store.h"
#include "window.h"

/* ---- stage tables ------------------------------------------------------ */

struct retain_stages {
    size_t n;
    int32_t *from; /* n + 1 bounds: from[n] = -1 (open) */
    char **name;
};

void retain_stages_free(retain_stages *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->name && i < t->n; i++)
        free(t->name[i]);
    free(t->name);
    free(t->from);
    free(t);
}

size_t retain_stages_count(const retain_stages *t)
{
    return t->n;
}

const char *retain_stages_name(const retain_stages *t, size_t i)
{
    return t->name[i];
}

int32_t retain_stages_from(const retain_stages *t, size_t i)
{
    return t->from[i];
}

int32_t retain_stages_to(const retain_stages *t, size_t i)
{
    return t->from[i + 1];
}

static retain_stages *stages_fail(retain_stages *t, retain_diag *diag, const char *spec,
                                  const char *why)
{
    retain_stages_free(t);
    rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "--stages %s: %s", spec, why);
    rt_hint(diag, "for example --stages 90,365 or --stages onboarding:90,renewal:365,long-term");
    return NULL;
}

retain_stages *retain_stages_parse(const char *spec, retain_diag *diag)
{
    const char *text = spec ? spec : "90,365";
    retain_stages *t = calloc(1, sizeof *t);
    size_t items = 1;
    for (const char *p = text; *p; p++)
        items += *p == ',';
    if (!t || !(t->from = calloc(items + 2, sizeof *t->from)) ||
        !(t->name = calloc(items + 1, sizeof *t->name))) {
        retain_stages_free(t);
        rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        return NULL;
    }
    t->n = items + 1; /* every name slot is freed on failure */
    bool any_name = false;
    size_t nb = 0; /* boundaries read */
    for (const char *p = text;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && *p == ' ') { /* "90, 365" reads as "90,365" */
            p++;
            len--;
        }
        while (len > 0 && p[len - 1] == ' ')
            len--;
        const char *colon = memchr(p, ':', len);
        const char *num = colon ? colon + 1 : p;
        size_t numlen = colon ? len - (size_t)(colon - p) - 1 : len;
        size_t namelen = colon ? (size_t)(colon - p) : len;
        bool digits = numlen > 0 && numlen <= 6;
        for (size_t i = 0; i < numlen; i++)
            digits = digits && num[i] >= '0' && num[i] <= '9';
        size_t stage = nb; /* the stage this item names */
        bool signed_number = numlen > 1 && (num[0] == '-' || num[0] == '+');
        for (size_t i = 1; signed_number && i < numlen; i++)
            signed_number = num[i] >= '0' && num[i] <= '9';
        if (signed_number || (numlen > 6 && num[0] >= '0' && num[0] <= '9'))
            return stages_fail(t, diag, text,
                               signed_number && num[0] == '-'
                                   ? "days must be above 0"
                                   : "days must be whole numbers from 1 to 999999");
        if (!colon && !digits) {
            /* a bare name: the open stage, last */
            if (end)
                return stages_fail(t, diag, text, "only the last stage goes without days");
            if (len == 0)
                return stages_fail(t, diag, text, "an empty stage");
        } else {
            if (!digits)
                return stages_fail(t, diag, text, "days must be whole numbers");
            long days = strtol(num, NULL, 10);
            if (days <= 0)
                return stages_fail(t, diag, text, "days must be above 0");
            if (nb > 0 && days <= t->from[nb])
                return stages_fail(t, diag, text, "days must increase from stage to stage");
            t->from[++nb] = (int32_t)days;
            if (colon && namelen == 0)
                return stages_fail(t, diag, text, "an empty stage name");
            if (!colon)
                namelen = 0;
        }
        if (namelen > 0) {
            any_name = true;
            if (!(t->name[stage] = strndup(p, namelen))) {
                retain_stages_free(t);
                rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
                return NULL;
            }
        }
        if (!end)
            break;
        p = end + 1;
    }
    t->from[0] = 0;
    t->from[nb + 1] = -1;
    static const char *const lifecycle[3] = {"onboarding", "renewal", "long-term"};
    for (size_t i = 0; i <= nb; i++) {
        if (!t->name[i]) {
            char buf[48];
            if (!any_name && nb == 2)
                snprintf(buf, sizeof buf, "%s", lifecycle[i]);
            else if (i < nb)
                snprintf(buf, sizeof buf, "%d-%d", (int)t->from[i], (int)t->from[i + 1]);
            else
                snprintf(buf, sizeof buf, "%d+", (int)t->from[i]);
            if (!(t->name[i] = strdup(buf))) {
                retain_stages_free(t);
                rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
                return NULL;
            }
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(t->name[j], t->name[i]) == 0) {
                char why[96];
                snprintf(why, sizeof why, "the name \"%.40s\" is used twice", t->name[i]);
                return stages_fail(t, diag, text, why);
            }
        }
    }
    for (size_t i = nb + 1; i < t->n; i++) { /* a bare name past the open stage */
        free(t->name[i]);
        t->name[i] = NULL;
    }
    t->n = nb + 1;
    return t;
}

/* ---- day-indexed sums ------------------------------------------------- */

/* A day's count of lives and their MRR. */
typedef struct {
    int64_t count, mrr;
} day_sums;

/* Counts and MRR by day, side by side (one place for both: the fold
 * adds to both at once). */
typedef struct {
    int32_t lo; /* day of v[0] */
    size_t n;
    day_sums *v; /* per day; prefix sums after finish */
} tally;

/* Grows t to hold day, then adds to it: the rare path of tally_put. */
__attribute__((noinline)) static bool tally_grow_put(tally *t, int32_t day, int64_t count,
                                                     int64_t mrr)
{
    int32_t lo = t->v ? (day < t->lo ? day : t->lo) : day;
    int64_t hi = t->v ? (day >= t->lo + (int64_t)t->n ? day : t->lo + (int64_t)t->n - 1) : day;
    size_t n = (size_t)(hi - lo + 1);
    size_t cap = t->n ? 2 * t->n : 512; /* grow geometrically, on the side that needs it */
    if (cap < n)
        cap = n;
    if (t->v && day < t->lo)
        lo = (int32_t)(hi - (int64_t)cap + 1);
    day_sums *v = calloc(cap, sizeof *v);
    if (!v)
        return false;
    if (t->v)
        memcpy(v + (t->lo - lo), t->v, t->n * sizeof *v);
    free(t->v);
    t->v = v;
    t->lo = lo;
    t->n = cap;
    day_sums *d = &t->v[day - t->lo];
    return !__builtin_add_overflow(d->count, count, &d->count) &&
           !__builtin_add_overflow(d->mrr, mrr, &d->mrr);
}

/* Adds count lives of mrr on day; false on overflow or out of memory.
 * Called for every life: the day is almost always in range. */
static inline bool tally_put(tally *t, int32_t day, int64_t count, int64_t mrr)
{
    size_t i = (size_t)((int64_t)day - t->lo);
    if (__builtin_expect(i >= t->n, 0)) /* also no table yet: n = 0 */
        return tally_grow_put(t, day, count, mrr);
    day_sums *d = &t->v[i];
    return !__builtin_add_overflow(d->count, count, &d->count) &&
           !__builtin_add_overflow(d->mrr, mrr, &d->mrr);
}

static bool tally_add(tally *t, int32_t day, retain_money mrr)
{
    return tally_put(t, day, 1, mrr);
}

static void tally_prefix(tally *t)
{
    for (size_t i = 1; i < t->n; i++) {
        t->v[i].count += t->v[i - 1].count;
        t->v[i].mrr += t->v[i - 1].mrr;
    }
}

/* Sums of the days up to `day` (after tally_prefix). */
static day_sums tally_upto(const tally *t, int64_t day)
{
    if (!t->v || day < t->lo)
        return (day_sums){0, 0};
    if (day - t->lo >= (int64_t)t->n)
        return t->v[t->n - 1];
    return t->v[day - t->lo];
}

/* Adds the days of b, shifted by `by` days, to a (neither prefixed yet);
 * false on overflow or out of memory. */
static bool tally_add_shifted(tally *a, const tally *b, int64_t by)
{
    for (size_t i = 0; i < b->n; i++)
        if ((b->v[i].count || b->v[i].mrr) &&
            !tally_put(a, (int32_t)(b->lo + (int64_t)i + by), b->v[i].count, b->v[i].mrr))
            return false;
    return true;
}

static bool tally_merge(tally *a, const tally *b)
{
    return tally_add_shifted(a, b, 0);
}

static void tally_free(tally *t)
{
    free(t->v);
}

/* A stage's tallies. A life adds to `last` of the last stage it reaches
 * (on its start day), and to that stage's exit and churn tallies; the
 * entries of the stages it went through, and their exits, follow from
 * `last` at the end (expand_stages): a life's work does not grow with the
 * stages it passed. */
typedef struct {
    tally entry, exit;
    tally *churn; /* per reason (one when there are none) */
    size_t nchurn;
    tally last; /* lives whose last stage reached is this one, by start day */
} stage_acc;

/* ---- the accumulator ------------------------------------------------- */

struct retain_churn {
    retain_churn_options opt;
    size_t nstages;
    rt_intern segments, reasons;
    stage_acc **seg; /* per segment: nstages stage_acc */
    size_t nseg_cap;
    bool with_reasons;
    retain_lives *lives;
    /* the fold's last segment (its name as the lives hand it, stable
     * while they are walked) and its stages: lives come by customer, and
     * without --by all have the one segment */
    const char *last_seg;
    size_t last_seg_len;
    stage_acc *last_st;
    retain_day first_start;
    uint64_t money_total; /* see rt_money_tally */
    /* results */
    bool finished;
    retain_day as_of;
    int32_t first, last;
    size_t nper, nreasons;
    uint32_t *seg_order, *reason_order;
    retain_churn_cell *cells; /* [segment][period][stage][reason] */
};

retain_churn *retain_churn_new(const retain_churn_options *options)
{
    retain_churn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->opt = *options;
    c->nstages = retain_stages_count(options->stages);
    rt_intern_init(&c->segments);
    rt_intern_init(&c->reasons);
    retain_lives_options lo = {.has_as_of = options->has_as_of,
                               .as_of = options->as_of,
                               .merge_gap = options->merge_gap,
                               .segments = options->segments,
                               .reasons = options->reasons,
                               .mrr = true};
    if (!(c->lives = retain_lives_new(&lo))) {
        free(c);
        return NULL;
    }
    return c;
}

/* Frees the per-segment tables and their names. */
static void tables_free(retain_churn *c)
{
    /* a segment interned when growing seg failed has no slot */
    for (size_t g = 0; g < c->segments.n && g < c->nseg_cap; g++) {
        for (size_t k = 0; c->seg[g] && k < c->nstages; k++) {
            stage_acc *s = &c->seg[g][k];
            tally_free(&s->entry);
            tally_free(&s->exit);
            tally_free(&s->last);
            for (size_t r = 0; r < s->nchurn; r++)
                tally_free(&s->churn[r]);
            free(s->churn);
        }
        free(c->seg[g]);
    }
    free(c->seg);
    rt_intern_free(&c->segments);
    rt_intern_free(&c->reasons);
}

void retain_churn_free(retain_churn *c)
{
    if (!c)
        return;
    tables_free(c);
    free(c->seg_order);
    free(c->reason_order);
    free(c->cells);
    retain_lives_free(c->lives);
    free(c);
}

static stage_acc *segment_stages(retain_churn *c, const char *name, size_t len)
{
    uint32_t g;
    if (!rt_intern_get(&c->segments, name ? name : "", name ? len : 0, &g))
        return NULL;
    if (g >= c->nseg_cap) {
        size_t cap = c->nseg_cap ? 2 * c->nseg_cap : 8;
        stage_acc **p = realloc(c->seg, cap * sizeof *p);
        if (!p)
            return NULL;
        memset(p + c->nseg_cap, 0, (cap - c->nseg_cap) * sizeof *p);
        c->seg = p;
        c->nseg_cap = cap;
    }
    if (!c->seg[g] && !(c->seg[g] = calloc(c->nstages, sizeof **c->seg)))
        return NULL;
    return c->seg[g];
}

static tally *churn_tally(stage_acc *s, uint32_t reason)
{
    if (reason >= s->nchurn) {
        size_t n = reason + 1;
        tally *p = realloc(s->churn, n * sizeof *p);
        if (!p)
            return NULL;
        memset(p + s->nchurn, 0, (n - s->nchurn) * sizeof *p);
        s->churn = p;
        s->nchurn = n;
    }
    return &s->churn[reason];
}

retain_status retain_churn_add(retain_churn *c, const char *id, size_t id_len, const char *segment,
                               size_t segment_len, const char *reason, size_t reason_len,
                               retain_day start, retain_day end, bool has_end, retain_money mrr)
{
    if (!rt_money_tally(&c->money_total, mrr))
        return RETAIN_ERR_DATA; /* a sum would overflow */
    return retain_lives_add(c->lives, id, id_len, segment, segment_len, reason, reason_len, start,
                            end, has_end, mrr);
}

retain_lives *retain_churn_lives(retain_churn *c)
{
    return c->lives;
}

/* Counts one life, as-of known: has_end when it churned by then. */
static retain_status add_life(retain_churn *c, const char *segment, size_t segment_len,
                              const char *reason, size_t reason_len, retain_day start,
                              retain_day end, bool has_end, retain_money mrr)
{
    stage_acc *st = c->last_st;
    if (!st || segment != c->last_seg || segment_len != c->last_seg_len) {
        if (!(st = segment_stages(c, segment, segment_len)))
            return RETAIN_ERR_NOMEM;
        c->last_seg = segment;
        c->last_seg_len = segment_len;
        c->last_st = st;
    }
    uint32_t r = 0;
    if (reason) {
        c->with_reasons = true;
        if (has_end && !rt_intern_get(&c->reasons, reason_len ? reason : "unknown",
                                      reason_len ? reason_len : 7, &r))
            return RETAIN_ERR_NOMEM;
    }
    /* the last stage the life reaches: stages start later and later */
    const retain_stages *t = c->opt.stages;
    size_t reached = 0;
    while (reached < c->nstages) {
        int64_t lower = (int64_t)start + t->from[reached];
        if ((has_end && end < lower) || lower > RETAIN_DAY_MAX)
            break;
        reached++;
    }
    if (reached == 0)
        return RETAIN_OK;
    size_t k = reached - 1;
    stage_acc *s = &st[k];
    if (!tally_add(&s->last, start, mrr))
        return RETAIN_ERR_NOMEM;
    int64_t to = t->from[k + 1];
    int64_t exit = to < 0 ? INT64_MAX : (int64_t)start + to - 1;
    if (has_end && end < exit)
        exit = end;
    if (c->opt.by_period && exit != INT64_MAX && exit <= RETAIN_DAY_MAX &&
        !tally_add(&s->exit, (int32_t)exit, mrr))
        return RETAIN_ERR_NOMEM;
    if (has_end && (to < 0 || (int64_t)end - start < to)) {
        tally *ch = churn_tally(s, r);
        if (!ch || !tally_add(ch, end, mrr))
            return RETAIN_ERR_NOMEM;
    }
    return RETAIN_OK;
}

/* The entries (and, by period, the exits) of the stages the lives went
 * through, from the last stage each reached: a life whose last stage is K
 * entered every stage k <= K on its start day + from[k], and left every
 * k < K the day before the next began (before any possible end: it
 * reached K). The days are in range: a later stage's start was. */
static bool expand_stages(retain_churn *c)
{
    const retain_stages *t = c->opt.stages;
    for (size_t g = 0; g < c->segments.n; g++) {
        for (size_t last = 0; last < c->nstages; last++) {
            const tally *a = &c->seg[g][last].last;
            for (size_t k = 0; k <= last; k++) {
                stage_acc *s = &c->seg[g][k];
                if (!tally_add_shifted(&s->entry, a, t->from[k]) ||
                    (k < last && c->opt.by_period &&
                     !tally_add_shifted(&s->exit, a, (int64_t)t->from[k + 1] - 1)))
                    return false;
            }
        }
    }
    return true;
}

static void prefix_all(retain_churn *c)
{
    for (size_t g = 0; g < c->segments.n; g++) {
        for (size_t k = 0; k < c->nstages; k++) {
            stage_acc *s = &c->seg[g][k];
            tally_prefix(&s->entry);
            tally_prefix(&s->exit);
            for (size_t r = 0; r < s->nchurn; r++)
                tally_prefix(&s->churn[r]);
        }
    }
}

/* Sums of a tally over the days [a, b]. */
static day_sums span(const tally *t, int64_t a, int64_t b)
{
    if (b < a)
        return (day_sums){0, 0};
    day_sums hi = tally_upto(t, b), lo = tally_upto(t, a - 1);
    return (day_sums){hi.count - lo.count, hi.mrr - lo.mrr};
}

static retain_status on_life(const retain_life *life, void *user)
{
    return add_life(user, life->segment, life->segment_len, life->reason, life->reason_len,
                    life->start, life->end, life->has_end, life->mrr);
}

/* Adds the tables of x (a fold of other customers' lives) to c's: by
 * segment and reason names, which the two intern in their own orders. */
static retain_status merge_tables(retain_churn *c, const retain_churn *x)
{
    c->with_reasons = c->with_reasons || x->with_reasons;
    for (uint32_t g = 0; g < x->segments.n; g++) {
        size_t len;
        const char *name = rt_intern_str(&x->segments, g, &len);
        stage_acc *st = segment_stages(c, name, len);
        if (!st)
            return RETAIN_ERR_NOMEM;
        for (size_t k = 0; k < c->nstages; k++) {
            stage_acc *s = &st[k];
            const stage_acc *xs = &x->seg[g][k];
            if (!tally_merge(&s->entry, &xs->entry) || !tally_merge(&s->exit, &xs->exit) ||
                !tally_merge(&s->last, &xs->last))
                return RETAIN_ERR_NOMEM;
            for (uint32_t r = 0; r < xs->nchurn; r++) {
                uint32_t to = 0; /* without reasons, the one tally */
                if (x->reasons.n > 0) {
                    const char *why = rt_intern_str(&x->reasons, r, &len);
                    if (!rt_intern_get(&c->reasons, why, len, &to))
                        return RETAIN_ERR_NOMEM;
                }
                tally *ch = churn_tally(s, to);
                if (!ch || !tally_merge(ch, &xs->churn[r]))
                    return RETAIN_ERR_NOMEM;
            }
        }
    }
    return RETAIN_OK;
}

/* Counts every life: customers [0, mid) into c, the others into a
 * partial accumulator on a second thread, then merged into c. */
static retain_status count_lives(retain_churn *c, size_t mid)
{
    retain_churn x = {.opt = c->opt, .nstages = c->nstages};
    rt_intern_init(&x.segments);
    rt_intern_init(&x.reasons);
    retain_status st = rt_lives_fold2(c->lives, mid, on_life, c, &x);
    if (st == RETAIN_OK)
        st = merge_tables(c, &x);
    tables_free(&x);
    return st;
}

retain_status retain_churn_finish(retain_churn *c, retain_diag *diag)
{
    return rt_churn_finish_at(c, RT_FOLD_HALVES, diag);
}

retain_status rt_churn_finish_at(retain_churn *c, size_t mid, retain_diag *diag)
{
    const retain_period_kind k = c->opt.period;
    retain_status st = retain_lives_finish(c->lives, diag);
    if (st != RETAIN_OK)
        return st;
    c->as_of = retain_lives_as_of(c->lives);
    c->first_start = retain_lives_first_start(c->lives);
    st = count_lives(c, mid);
    if (st == RETAIN_OK && !expand_stages(c))
        st = RETAIN_ERR_NOMEM;
    if (st != RETAIN_OK)
        return rt_fail(diag, st, 0, NULL, "%s",
                       st == RETAIN_ERR_NOMEM ? "out of memory" : "a sum overflows");
    if (c->opt.by_period) {
        st = rt_report_periods(k, c->first_start, c->as_of, c->opt.has_from, c->opt.from,
                               c->opt.has_to, c->opt.to, &c->first, &c->last, diag);
        if (st != RETAIN_OK)
            return st;
        c->nper = (size_t)(c->last - c->first + 1);
    } else {
        c->nper = 1;
    }
    size_t nseg = c->segments.n;
    c->seg_order = rt_intern_sorted(&c->segments);
    c->reason_order = rt_intern_sorted(&c->reasons);
    if (!c->seg_order || !c->reason_order)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    prefix_all(c);
    /* the reasons of rows that churned by as-of: a row that ends later is
     * still a customer, and its reason is not one yet */
    c->nreasons = 0;
    for (size_t i = 0; i < c->reasons.n; i++) {
        uint32_t ri = c->reason_order[i];
        bool seen = false;
        for (size_t g = 0; g < nseg && !seen; g++)
            for (size_t k2 = 0; k2 < c->nstages && !seen; k2++)
                seen = ri < c->seg[g][k2].nchurn &&
                       tally_upto(&c->seg[g][k2].churn[ri], c->as_of).count > 0;
        if (seen)
            c->reason_order[c->nreasons++] = ri;
    }
    size_t nr = c->nreasons ? c->nreasons : 1;
    c->cells = calloc(nseg * c->nper * c->nstages * nr, sizeof *c->cells);
    if (!c->cells)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t g = 0; g < nseg; g++) {
        for (size_t p = 0; p < c->nper; p++) {
            /* the days counted: all time, or the period up to as-of */
            int64_t p0 = INT32_MIN, q = c->as_of;
            if (c->opt.by_period) {
                p0 = retain_period_first_day(k, c->first + (int32_t)p);
                int64_t p1 = retain_period_last_day(k, c->first + (int32_t)p);
                q = p1 < c->as_of ? p1 : c->as_of;
            }
            retain_churn_cell *row = c->cells + ((g * c->nper + p) * c->nstages) * nr;
            int64_t all = 0;
            for (size_t s = 0; s < c->nstages; s++) {
                const stage_acc *a = &c->seg[g][s];
                day_sums in = tally_upto(&a->entry, q);
                int64_t entered = in.count;
                retain_money mrr_entered = in.mrr;
                if (c->opt.by_period) {
                    day_sums left = tally_upto(&a->exit, p0 - 1);
                    entered -= left.count;
                    mrr_entered -= left.mrr;
                }
                for (size_t r = 0; r < nr; r++) {
                    retain_churn_cell *cell = &row[s * nr + r];
                    cell->entered = entered;
                    cell->mrr_entered = mrr_entered;
                    size_t ri = c->nreasons ? c->reason_order[r] : 0;
                    if (ri < a->nchurn) {
                        day_sums out = span(&a->churn[ri], p0, q);
                        cell->churned = out.count;
                        cell->mrr_churned = out.mrr;
                    }
                    all += cell->churned;
                }
            }
            for (size_t i = 0; i < c->nstages * nr; i++)
                row[i].churned_all = all;
        }
    }
    c->finished = true;
    return RETAIN_OK;
}

size_t retain_churn_segments(const retain_churn *c)
{
    return c->finished ? c->segments.n : 0;
}

const char *retain_churn_segment(const retain_churn *c, size_t segment, size_t *len)
{
    return rt_intern_str(&c->segments, c->seg_order[segment], len);
}

size_t retain_churn_periods(const retain_churn *c)
{
    return c->finished ? c->nper : 0;
}

int32_t retain_churn_period(const retain_churn *c, size_t period)
{
    return c->first + (int32_t)period;
}

size_t retain_churn_reasons(const retain_churn *c)
{
    return c->finished ? c->nreasons : 0;
}

const char *retain_churn_reason(const retain_churn *c, size_t reason, size_t *len)
{
    return rt_intern_str(&c->reasons, c->reason_order[reason], len);
}

retain_day retain_churn_as_of(const retain_churn *c)
{
    return c->as_of;
}

void retain_churn_get(const retain_churn *c, size_t segment, size_t period, size_t stage,
                      size_t reason, retain_churn_cell *cell)
{
    size_t nr = c->nreasons ? c->nreasons : 1;
    if (!c->nreasons)
        reason = 0;
    size_t g = c->seg_order[segment];
    *cell = c->cells[((g * c->nper + period) * c->nstages + stage) * nr + reason];
}

retain_status retain_churn_add_row(const retain_row *row, void *churn, retain_diag *diag)
{
    retain_churn *ch = churn;
    bool seg = ch->opt.segments, why = ch->opt.reasons;
    size_t k = seg ? 1 : 0; /* the reason's extra column */
    retain_status st = rt_money_tally(&ch->money_total, row->has_mrr ? row->mrr : 0)
                           ? retain_lives_add_row(
                                 ch->lives, seg ? row->extra[0] : NULL, seg ? row->extra_len[0] : 0,
                                 why ? row->extra[k] : NULL, why ? row->extra_len[k] : 0, row)
                           : RETAIN_ERR_DATA; /* a sum would overflow */
    if (st != RETAIN_OK)
        rt_fail(diag, st, row->line, NULL, "%s", retain_status_str(st));
    return st;
}
