/* Net Promoter Score (see retain/nps.h and retain-nps(1)). */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <retain/nps.h>

#include "internal.h"
#include "store.h"
#include "window.h"

#define NO_DAY INT32_MIN
/* Cells (segments x periods) an NPS table may have. */
#define MAX_CELLS (1u << 24)

/* An open-addressing map from 64-bit keys to dense indices. */
typedef struct {
    uint64_t *keys;
    uint32_t *index; /* + 1; 0 is free */
    size_t mask, n;
} u64map;

static bool map_grow(u64map *m)
{
    size_t size = m->keys ? 2 * (m->mask + 1) : 64;
    uint64_t *keys = malloc(size * sizeof *keys);
    uint32_t *index = calloc(size, sizeof *index);
    if (!keys || !index) {
        free(keys);
        free(index);
        return false;
    }
    for (size_t i = 0; m->keys && i <= m->mask; i++) {
        if (!m->index[i])
            continue;
        size_t p = XXH3_64bits(&m->keys[i], sizeof m->keys[i]) & (size - 1);
        while (index[p])
            p = (p + 1) & (size - 1);
        keys[p] = m->keys[i];
        index[p] = m->index[i];
    }
    free(m->keys);
    free(m->index);
    m->keys = keys;
    m->index = index;
    m->mask = size - 1;
    return true;
}

/* The index of key, made (as m->n before) when new: *made says so. False
 * when out of memory. */
static bool map_get(u64map *m, uint64_t key, uint32_t *out, bool *made)
{
    *made = false;
    if ((!m->keys || 4 * (m->n + 1) > 3 * (m->mask + 1)) && !map_grow(m))
        return false;
    size_t p = XXH3_64bits(&key, sizeof key) & m->mask;
    for (; m->index[p]; p = (p + 1) & m->mask) {
        if (m->keys[p] == key) {
            *out = m->index[p] - 1;
            return true;
        }
    }
    if (m->n >= UINT32_MAX - 1)
        return false;
    m->keys[p] = key;
    m->index[p] = (uint32_t)++m->n;
    *out = m->index[p] - 1;
    *made = true;
    return true;
}

static bool map_find(const u64map *m, uint64_t key, uint32_t *out)
{
    if (!m->keys)
        return false;
    for (size_t p = XXH3_64bits(&key, sizeof key) & m->mask; m->index[p]; p = (p + 1) & m->mask) {
        if (m->keys[p] == key) {
            *out = m->index[p] - 1;
            return true;
        }
    }
    return false;
}

static void map_free(u64map *m)
{
    free(m->keys);
    free(m->index);
}

static uint64_t pair_key(uint32_t a, int32_t b)
{
    return (uint64_t)a << 32 | (uint32_t)b;
}

/* ---- the accumulator -------------------------------------------------- */

typedef struct {
    int32_t day;
    uint32_t line;
    uint32_t segment;
    int8_t score;
} answer;

typedef struct {
    int64_t answers[RETAIN_NPS_GROUPS], churned[RETAIN_NPS_GROUPS];
} day_churn;

struct retain_nps {
    retain_nps_options o;
    retain_events *ev; /* NULL: answers without ids */
    bool any;
    retain_day min_day, max_day, as_of;
    rt_intern segments;
    /* cells by (segment, period) */
    u64map cell_map;
    retain_nps_cell *cell;
    size_t cell_cap;
    /* latest: a customer's last answer per period, by (customer, period) */
    u64map last_map;
    answer *last;
    size_t last_cap;
    /* the last answer of each customer (the call list) */
    answer *latest;
    size_t latest_cap;
    /* the churn check, per day answered */
    u64map day_map;
    day_churn *days;
    int32_t *day_of;
    size_t days_cap, day_of_cap;
    /* after finish */
    uint32_t *seg_order;
    size_t nsegs;
    int32_t first_period, last_period;
    retain_nps_call *calls;
    size_t ncalls;
    int64_t churn_answers[RETAIN_NPS_GROUPS], churn_churned[RETAIN_NPS_GROUPS];
};

static const char *const group_names[RETAIN_NPS_GROUPS] = {"promoter", "passive", "detractor"};

const char *retain_nps_group_name(retain_nps_group g)
{
    return (unsigned)g < RETAIN_NPS_GROUPS ? group_names[g] : "";
}

retain_nps_group retain_nps_group_of(int score)
{
    return score >= 9   ? RETAIN_NPS_PROMOTER
           : score >= 7 ? RETAIN_NPS_PASSIVE
                        : RETAIN_NPS_DETRACTOR;
}

static retain_status nomem(retain_diag *diag)
{
    return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
}

retain_nps *retain_nps_new(const retain_nps_options *o, const retain_events *customers,
                           retain_diag *diag)
{
    if (o->below < 0 || o->below > 11 || o->horizon < 0) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "--below takes a score 0..11, --churn days");
        return NULL;
    }
    retain_nps *n = calloc(1, sizeof *n);
    if (!n) {
        nomem(diag);
        return NULL;
    }
    n->o = *o;
    n->ev = (retain_events *)customers; /* answers fold into its state */
    rt_intern_init(&n->segments);
    return n;
}

/* Makes room for index i in the array *p of elements of size bytes
 * (capacity *cap), new elements zeroed. */
static bool room(void *p, size_t *cap, size_t i, size_t size)
{
    if (i < *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c <= i)
        c *= 2;
    char *q = realloc(*(void **)p, c * size);
    if (!q)
        return false;
    memset(q + *cap * size, 0, (c - *cap) * size);
    *(void **)p = q;
    *cap = c;
    return true;
}

static bool later(int32_t day, unsigned long line, const answer *a)
{
    return day > a->day || (day == a->day && line >= a->line);
}

retain_status retain_nps_add(retain_nps *n, const char *id, size_t id_len, retain_day day,
                             int score, const char *segment, size_t segment_len, unsigned long line,
                             retain_diag *diag)
{
    if (score < 0 || score > 10)
        return rt_fail(diag, RETAIN_ERR_DATA, line, "score",
                       "a score is a whole number from 0 to 10, not %d", score);
    if (n->o.has_as_of && day > n->o.as_of)
        return RETAIN_OK;
    size_t cust = 0;
    bool has_cust = false;
    if (id && n->ev) {
        retain_event e = {RETAIN_EVENT_ANSWER, line, id, id_len, day, NULL, 0, score};
        uint64_t unknown = retain_events_unknown(n->ev, RETAIN_EVENT_ANSWER, NULL);
        retain_status st = retain_events_add(n->ev, &e, diag);
        if (st != RETAIN_OK)
            return st;
        if (retain_events_unknown(n->ev, RETAIN_EVENT_ANSWER, NULL) != unknown)
            return RETAIN_OK; /* no such customer: counted there */
        has_cust = retain_events_find(n->ev, id, id_len, &cust);
    }
    retain_life life;
    if (!segment && has_cust && retain_events_life_on(n->ev, cust, day, &life)) {
        segment = life.segment;
        segment_len = life.segment_len;
    }
    uint32_t seg;
    if (!rt_intern_get(&n->segments, segment ? segment : "", segment ? segment_len : 0, &seg))
        return nomem(diag);
    if (!n->any || day < n->min_day)
        n->min_day = day;
    if (!n->any || day > n->max_day)
        n->max_day = day;
    n->any = true;
    uint32_t ln = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    int32_t period = retain_period_of(n->o.period, day);
    uint32_t k;
    bool made;
    if (has_cust) {
        if (!room(&n->latest, &n->latest_cap, cust, sizeof *n->latest))
            return nomem(diag);
        answer *a = &n->latest[cust];
        if (a->line == 0 || later(day, ln, a))
            *a = (answer){day, ln ? ln : 1, seg, (int8_t)score};
    }
    if (n->o.latest && has_cust) {
        if (!map_get(&n->last_map, pair_key((uint32_t)cust, period), &k, &made) ||
            !room(&n->last, &n->last_cap, k, sizeof *n->last))
            return nomem(diag);
        if (made || later(day, ln, &n->last[k]))
            n->last[k] = (answer){day, ln, seg, (int8_t)score};
    } else {
        if (!map_get(&n->cell_map, pair_key(seg, period), &k, &made) ||
            !room(&n->cell, &n->cell_cap, k, sizeof *n->cell))
            return nomem(diag);
        retain_nps_cell *c = &n->cell[k];
        c->responses++;
        retain_nps_group g = retain_nps_group_of(score);
        c->promoters += g == RETAIN_NPS_PROMOTER;
        c->passives += g == RETAIN_NPS_PASSIVE;
        c->detractors += g == RETAIN_NPS_DETRACTOR;
    }
    if (n->o.horizon > 0 && has_cust && retain_events_life_on(n->ev, cust, day, &life)) {
        if (!map_get(&n->day_map, (uint64_t)(uint32_t)day, &k, &made) ||
            !room(&n->days, &n->days_cap, k, sizeof *n->days) ||
            !room(&n->day_of, &n->day_of_cap, k, sizeof *n->day_of))
            return nomem(diag);
        n->day_of[k] = day;
        retain_nps_group g = retain_nps_group_of(score);
        n->days[k].answers[g]++;
        n->days[k].churned[g] += life.has_end && (int64_t)life.end - day <= n->o.horizon;
    }
    return RETAIN_OK;
}

static int by_call(const void *pa, const void *pb, void *ev)
{
    const retain_nps_call *a = pa, *b = pb;
    if (a->mrr != b->mrr)
        return a->mrr > b->mrr ? -1 : 1;
    if (a->score != b->score)
        return a->score - b->score;
    size_t la, lb;
    const char *ia = retain_events_id(ev, a->customer, &la);
    const char *ib = retain_events_id(ev, b->customer, &lb);
    int c = memcmp(ia, ib, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

retain_status retain_nps_finish(retain_nps *n, retain_diag *diag)
{
    if (!n->any)
        return n->o.has_as_of ? rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                                        "every answer is dated after the as-of")
                              : rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "no answer");
    n->as_of = n->o.has_as_of ? n->o.as_of : n->max_day;
    /* the latest answers per customer and period into the cells */
    for (size_t k = 0; k < n->last_map.n; k++) {
        const answer *a = &n->last[k];
        uint32_t c;
        bool made;
        int32_t period = retain_period_of(n->o.period, a->day);
        if (!map_get(&n->cell_map, pair_key(a->segment, period), &c, &made) ||
            !room(&n->cell, &n->cell_cap, c, sizeof *n->cell))
            return nomem(diag);
        retain_nps_group g = retain_nps_group_of(a->score);
        n->cell[c].responses++;
        n->cell[c].promoters += g == RETAIN_NPS_PROMOTER;
        n->cell[c].passives += g == RETAIN_NPS_PASSIVE;
        n->cell[c].detractors += g == RETAIN_NPS_DETRACTOR;
    }
    retain_status st =
        rt_report_periods(n->o.period, n->min_day, n->as_of, n->o.has_from, n->o.from, n->o.has_to,
                          n->o.to, &n->first_period, &n->last_period, diag);
    if (st != RETAIN_OK)
        return st;
    if (!(n->seg_order = rt_intern_sorted(&n->segments)))
        return nomem(diag);
    n->nsegs = n->segments.n;
    if ((uint64_t)(n->last_period - n->first_period + 1) * n->nsegs > MAX_CELLS)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "%zu segments x %ld periods: over %u lines",
                       n->nsegs, (long)(n->last_period - n->first_period + 1), MAX_CELLS);
    /* the call list */
    for (size_t i = 0; i < n->latest_cap; i++)
        n->ncalls += n->latest[i].line && n->latest[i].score < n->o.below;
    if (!(n->calls = malloc((n->ncalls ? n->ncalls : 1) * sizeof *n->calls)))
        return nomem(diag);
    size_t m = 0;
    for (size_t i = 0; i < n->latest_cap; i++) {
        const answer *a = &n->latest[i];
        if (!a->line || a->score >= n->o.below)
            continue;
        retain_nps_call *c = &n->calls[m++];
        retain_life life;
        c->customer = i;
        c->score = a->score;
        c->day = a->day;
        c->has_life = retain_events_life_on(n->ev, i, n->as_of, &life);
        c->mrr = c->has_life ? retain_events_mrr_on(n->ev, i, n->as_of) : 0;
        c->tenure_days = c->has_life ? n->as_of - life.start : 0;
    }
    if (m)
        qsort_r(n->calls, m, sizeof *n->calls, by_call, n->ev);
    /* the churn check: answers whose outcome is known */
    for (size_t k = 0; k < n->day_map.n; k++) {
        if ((int64_t)n->day_of[k] + n->o.horizon > n->as_of)
            continue;
        for (int g = 0; g < RETAIN_NPS_GROUPS; g++) {
            n->churn_answers[g] += n->days[k].answers[g];
            n->churn_churned[g] += n->days[k].churned[g];
        }
    }
    return RETAIN_OK;
}

retain_day retain_nps_as_of(const retain_nps *n)
{
    return n->as_of;
}

uint64_t retain_nps_unknown(const retain_nps *n, unsigned long *first_line)
{
    if (!n->ev) {
        if (first_line)
            *first_line = 0;
        return 0;
    }
    return retain_events_unknown(n->ev, RETAIN_EVENT_ANSWER, first_line);
}

size_t retain_nps_segments(const retain_nps *n)
{
    return n->nsegs;
}

const char *retain_nps_segment(const retain_nps *n, size_t g, size_t *len)
{
    return rt_intern_str(&n->segments, n->seg_order[g], len);
}

size_t retain_nps_periods(const retain_nps *n)
{
    return (size_t)(n->last_period - n->first_period + 1);
}

int32_t retain_nps_period(const retain_nps *n, size_t p)
{
    return n->first_period + (int32_t)p;
}

void retain_nps_get(const retain_nps *n, size_t g, size_t p, retain_nps_cell *cell)
{
    uint32_t k;
    memset(cell, 0, sizeof *cell);
    if (map_find(&n->cell_map, pair_key(n->seg_order[g], retain_nps_period(n, p)), &k))
        *cell = n->cell[k];
}

bool retain_nps_moe(const retain_nps_cell *c, double *moe)
{
    if (c->responses <= 0)
        return false;
    /* (p + d - (p - d)^2) / n = ((P + D) n - (P - D)^2) / n^3, exactly */
    double nn = (double)c->responses;
    __int128 num = (__int128)(c->promoters + c->detractors) * c->responses -
                   (__int128)(c->promoters - c->detractors) * (c->promoters - c->detractors);
    *moe = 1.96 * 100.0 * sqrt((double)num / (nn * nn * nn));
    return true;
}

size_t retain_nps_calls(const retain_nps *n)
{
    return n->ncalls;
}

const retain_nps_call *retain_nps_call_get(const retain_nps *n, size_t k)
{
    return &n->calls[k];
}

void retain_nps_churn(const retain_nps *n, retain_nps_group g, int64_t *answers, int64_t *churned)
{
    *answers = (unsigned)g < RETAIN_NPS_GROUPS ? n->churn_answers[g] : 0;
    *churned = (unsigned)g < RETAIN_NPS_GROUPS ? n->churn_churned[g] : 0;
}

void retain_nps_free(retain_nps *n)
{
    if (!n)
        return;
    rt_intern_free(&n->segments);
    map_free(&n->cell_map);
    map_free(&n->last_map);
    map_free(&n->day_map);
    free(n->cell);
    free(n->last);
    free(n->latest);
    free(n->days);
    free(n->day_of);
    free(n->seg_order);
    free(n->calls);
    free(n);
}
