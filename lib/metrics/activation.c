/* Time to value (see retain/activation.h and retain-activation(1)). */
#include <stdlib.h>
#include <string.h>

#include <retain/activation.h>
#include <retain/survival.h>

#include "internal.h"
#include "store.h"
#include "window.h"

/* Cells (segments x cohorts) a table may have. */
#define MAX_CELLS (1u << 24)

struct retain_activation {
    rt_intern segments;
    uint32_t *order; /* segment indices in byte order */
    int32_t first, last;
    size_t ncohorts;
    retain_activation_cell *cell; /* segment index (interned) x cohort */
    retain_activation_onboarding *onb;
};

static retain_status fail_nomem(retain_activation *a, retain_survival *sv, retain_diag *diag)
{
    retain_activation_free(a);
    retain_survival_free(sv);
    return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
}

/* The survival accumulator knows segments by name: cell k is named by its
 * index, 4 bytes big-endian, so that byte order is index order. */
static void cell_name(uint32_t k, char *name)
{
    name[0] = (char)(k >> 24);
    name[1] = (char)(k >> 16);
    name[2] = (char)(k >> 8);
    name[3] = (char)k;
}

static bool first_life(const retain_events *ev, size_t i, retain_life *l)
{
    if (!retain_events_lives(ev, i))
        return false;
    retain_events_life(ev, i, 0, l);
    return true;
}

retain_status retain_activation_compute(const retain_events *ev, const retain_activation_options *o,
                                        retain_activation **out, retain_diag *diag)
{
    *out = NULL;
    int32_t within = o->within, onboarding = o->onboarding ? o->onboarding : 90;
    if (o->within < 0 || o->onboarding < 0)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "--within takes days, 0 or more");
    retain_day as_of = retain_events_as_of(ev);
    size_t k_asof;
    if (!retain_events_cutoff(ev, as_of, &k_asof))
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "the as-of is not a cutoff");
    size_t n = retain_events_customers(ev);
    retain_activation *a = calloc(1, sizeof *a);
    retain_survival_options so = {0};
    retain_survival *sv = retain_survival_new(&so);
    if (!a || !sv)
        return fail_nomem(a, sv, diag);
    rt_intern_init(&a->segments);
    bool any = false;
    retain_day first_start = 0;
    /* first pass: segments and the cohort range */
    retain_life l;
    for (size_t i = 0; i < n; i++) {
        if (!first_life(ev, i, &l))
            continue;
        uint32_t seg;
        if (!rt_intern_get(&a->segments, l.segment, l.segment_len, &seg))
            return fail_nomem(a, sv, diag);
        if (!any || l.start < first_start)
            first_start = l.start;
        any = true;
    }
    if (!any) {
        retain_activation_free(a);
        retain_survival_free(sv);
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "no customer starts on or before the as-of");
    }
    retain_status st = rt_report_periods(o->period, first_start, as_of, o->has_from, o->from,
                                         o->has_to, o->to, &a->first, &a->last, diag);
    if (st != RETAIN_OK) {
        retain_activation_free(a);
        retain_survival_free(sv);
        return st;
    }
    a->ncohorts = (size_t)(a->last - a->first + 1);
    size_t nseg = a->segments.n, ncohorts = a->ncohorts;
    if ((uint64_t)ncohorts * nseg > MAX_CELLS) {
        retain_activation_free(a);
        retain_survival_free(sv);
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "%zu segments x %zu cohorts: over %u lines",
                       nseg, ncohorts, MAX_CELLS);
    }
    a->cell = calloc(a->ncohorts * nseg, sizeof *a->cell);
    a->onb = calloc(nseg, sizeof *a->onb);
    a->order = rt_intern_sorted(&a->segments);
    if (!a->cell || !a->onb || !a->order)
        return fail_nomem(a, sv, diag);
    for (size_t i = 0; i < n; i++) {
        if (!first_life(ev, i, &l))
            continue;
        uint32_t seg;
        rt_intern_find(&a->segments, l.segment, l.segment_len, &seg);
        int32_t cohort = retain_period_of(o->period, l.start);
        bool listed = cohort >= a->first && cohort <= a->last; /* within --from/--to */
        uint32_t k = seg * (uint32_t)a->ncohorts + (uint32_t)(listed ? cohort - a->first : 0);
        retain_event_state s;
        retain_events_state(ev, i, k_asof, &s);
        int32_t observed = (l.has_end ? l.end : as_of) - l.start;
        int32_t t = s.has_activation ? s.activation_day - l.start : observed;
        bool early = s.has_activation && t <= within;
        if (listed) {
            char name[4];
            cell_name(k, name);
            a->cell[k].customers++;
            a->cell[k].activated += early;
            if (retain_survival_add_lives(sv, name, 4, t, s.has_activation, 1) != RETAIN_OK)
                return fail_nomem(a, sv, diag);
        }
        if (l.start <= as_of - onboarding && observed > within) {
            retain_activation_onboarding *b = &a->onb[seg];
            bool churned = l.has_end && l.end - l.start < onboarding;
            if (early) {
                b->early++;
                b->early_churned += churned;
            } else {
                b->late++;
                b->late_churned += churned;
            }
        }
    }
    st = retain_survival_finish(sv, diag);
    if (st != RETAIN_OK) {
        retain_activation_free(a);
        retain_survival_free(sv);
        return st;
    }
    for (size_t g = 0; g < retain_survival_segments(sv); g++) {
        size_t len, nsteps;
        const unsigned char *name = (const unsigned char *)retain_survival_segment(sv, g, &len);
        uint32_t k =
            (uint32_t)name[0] << 24 | (uint32_t)name[1] << 16 | (uint32_t)name[2] << 8 | name[3];
        const retain_km_step *steps = retain_survival_curve(sv, g, &nsteps);
        a->cell[k].has_median = retain_km_median(steps, nsteps, &a->cell[k].median_days);
    }
    retain_survival_free(sv);
    *out = a;
    return RETAIN_OK;
}

size_t retain_activation_segments(const retain_activation *a)
{
    return a->segments.n;
}

const char *retain_activation_segment(const retain_activation *a, size_t g, size_t *len)
{
    return rt_intern_str(&a->segments, a->order[g], len);
}

size_t retain_activation_cohorts(const retain_activation *a)
{
    return a->ncohorts;
}

int32_t retain_activation_cohort(const retain_activation *a, size_t c)
{
    return a->first + (int32_t)c;
}

void retain_activation_get(const retain_activation *a, size_t g, size_t c,
                           retain_activation_cell *cell)
{
    *cell = a->cell[a->order[g] * a->ncohorts + c];
}

void retain_activation_onboarding_get(const retain_activation *a, size_t g,
                                      retain_activation_onboarding *out)
{
    *out = a->onb[a->order[g]];
}

void retain_activation_free(retain_activation *a)
{
    if (!a)
        return;
    rt_intern_free(&a->segments);
    free(a->order);
    free(a->cell);
    free(a->onb);
    free(a);
}
