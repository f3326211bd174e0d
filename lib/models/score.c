/* retain score: feature rows per cutoff from the customer table and the
 * event state (retain/events.h), a logistic regression fitted on the
 * training cutoffs (C chosen on the latest of them), evaluated on the
 * held-out cutoff, and the customers of as-of scored. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <retain/score.h>

#include "events_rows.h"
#include "internal.h"
#include "store.h"

#define STEP 30 /* days between cutoffs */
#define MAX_TRAIN_DAYS 1800
#define MAX_HORIZON 3650
#define MAX_ROWS 4000000 /* training and held-out rows: beyond, a draw */
#define SEP '\x1f'       /* joins the --by values of a row into one segment */
#define CLIP_LOW -100.0
#define CLIP_HIGH 1000.0
#define FALLBACK_C 1.0
#define NO_FEATURE SIZE_MAX

static const double c_grid[RETAIN_SCORE_C_GRID] = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10};
static const char *const stage_name[3] = {"onboarding", "renewal", "long-term"};
static const int32_t stage_to[2] = {90, 365};

typedef struct {
    uint32_t customer;
    uint8_t cut; /* index into the accumulator's cutoffs */
    uint8_t set; /* retain_score_set */
    uint8_t label;
    uint8_t all; /* the customer is of s->all (else of s->train) */
} row_meta;

/* The values of one --by column seen in the training rows. */
typedef struct {
    char *name;
    rt_intern values;
    uint32_t *feature; /* value index -> feature index + 1; 0: none */
} by_column;

/* Where each feature group sits among the features (NO_FEATURE when out). */
typedef struct {
    size_t tenure, stage, mrr, rev, rev_missing, silent, usage, usage_missing, activation,
        not_activated, tickets, nps, nps_missing;
} layout;

struct retain_score {
    retain_score_options o;
    by_column by[RETAIN_SCORE_MAX_BY];
    retain_day cut[RETAIN_EVENTS_MAX_CUTOFFS]; /* [0] as-of, [1] held out, [2..] training */
    size_t ncut;
    retain_events *train; /* the drawn customers, every cutoff */
    retain_events *all;   /* every customer, as-of only; NULL when nobody is left out */
    uint64_t threshold;   /* draw customers whose id hash is below (UINT64_MAX: all) */
    bool expected;
    rt_buf segbuf;
    /* without an as-of: the rows until the last (kept_row, id, segment) */
    bool deferred;
    rt_buf kept;
    size_t nkept;
    retain_day latest;
    /* features */
    char **names;
    size_t k;
    layout f;
    /* rows */
    row_meta *meta;
    double *x;
    size_t nrows, ntrain, nheldout;
    /* model and results */
    retain_logit *own;
    const retain_logit *model;
    char spec[512];
    retain_score_summary sum;
    retain_score_result *res;
    size_t nres;
};

static retain_status nomem(retain_diag *diag)
{
    return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
}

void retain_score_free(retain_score *s)
{
    if (!s)
        return;
    for (size_t j = 0; j < s->o.n_by; j++) {
        free(s->by[j].name);
        rt_intern_free(&s->by[j].values);
        free(s->by[j].feature);
    }
    retain_events_free(s->train);
    retain_events_free(s->all);
    rt_buf_free(&s->segbuf);
    rt_buf_free(&s->kept);
    for (size_t j = 0; s->names && j < s->k; j++)
        free(s->names[j]);
    free(s->names);
    free(s->meta);
    free(s->x);
    retain_logit_free(s->own);
    free(s->res);
    free(s);
}

static retain_events *events_new(const retain_day *cut, size_t n, retain_diag *diag)
{
    retain_events_options eo = {.cutoffs = cut, .n_cutoffs = n};
    return retain_events_new(&eo, diag);
}

/* The cutoffs of as-of, and the training accumulator. */
static retain_status plan(retain_score *s, retain_day as_of, retain_diag *diag)
{
    s->o.as_of = as_of;
    s->cut[0] = as_of;
    s->cut[1] = as_of - s->o.horizon;
    s->ncut = 2;
    for (int32_t back = STEP; back <= s->o.train_days; back += STEP)
        s->cut[s->ncut++] = s->cut[1] - back;
    s->train = events_new(s->cut, s->ncut, diag);
    return s->train ? RETAIN_OK : diag ? diag->status : RETAIN_ERR_NOMEM;
}

retain_score *retain_score_new(const retain_score_options *options, retain_diag *diag)
{
    retain_score_options o = *options;
    if (!o.horizon)
        o.horizon = 90;
    if (!o.train_days)
        o.train_days = 365;
    if (o.horizon < 1 || o.horizon > MAX_HORIZON) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                "the horizon is a number of days from 1 to %d, not %ld", MAX_HORIZON,
                (long)o.horizon);
        return NULL;
    }
    if (o.train_days < STEP || o.train_days > MAX_TRAIN_DAYS) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                "the training window is %d to %d days (a cutoff every %d days), not %ld", STEP,
                MAX_TRAIN_DAYS, STEP, (long)o.train_days);
        return NULL;
    }
    if (o.n_by > RETAIN_SCORE_MAX_BY) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "at most %d --by columns", RETAIN_SCORE_MAX_BY);
        return NULL;
    }
    if (o.c < 0 || !isfinite(o.c)) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "C must be a positive number");
        return NULL;
    }
    retain_score *s = calloc(1, sizeof *s);
    if (!s) {
        nomem(diag);
        return NULL;
    }
    s->o = o;
    s->o.by = NULL;
    for (size_t j = 0; j < o.n_by; j++) {
        rt_intern_init(&s->by[j].values);
        s->by[j].name = strdup(o.by[j]);
        if (!s->by[j].name) {
            s->o.n_by = j;
            retain_score_free(s);
            nomem(diag);
            return NULL;
        }
    }
    s->threshold = UINT64_MAX;
    s->deferred = !o.has_as_of;
    if (!s->deferred && plan(s, o.as_of, diag) != RETAIN_OK) {
        retain_score_free(s);
        return NULL;
    }
    return s;
}

static uint64_t id_hash(const char *id, size_t len)
{
    rt_trim(&id, &len);
    return XXH3_64bits_withSeed(id, len, 0x5C0E);
}

void retain_score_expect(retain_score *s, size_t rows)
{
    if (s->expected || s->all)
        return;
    s->expected = true;
    if (rows > RETAIN_SCORE_TRAIN_CUSTOMERS)
        s->threshold = (uint64_t)((double)RETAIN_SCORE_TRAIN_CUSTOMERS / (double)rows *
                                  18446744073709551615.0);
}

static retain_status add_customer(retain_score *s, const char *id, size_t id_len, retain_day start,
                                  retain_day end, bool has_end, retain_money mrr,
                                  const char *const *by, const size_t *by_len, unsigned long line,
                                  uint64_t fingerprint, uint64_t place, retain_diag *diag);

/* A customer row kept until the as-of is known. */
typedef struct {
    retain_day start, end;
    bool has_end;
    retain_money mrr;
    unsigned long line;
    uint64_t fingerprint, place; /* retain_row's: exact duplicate rows */
    uint32_t id_len, by_len[RETAIN_SCORE_MAX_BY];
} kept_row;

static retain_status keep_row(retain_score *s, const char *id, size_t id_len, retain_day start,
                              retain_day end, bool has_end, retain_money mrr, const char *const *by,
                              const size_t *by_len, unsigned long line, uint64_t fingerprint,
                              uint64_t place, retain_diag *diag)
{
    kept_row k = {start, end, has_end, mrr, line, fingerprint, place, (uint32_t)id_len, {0}};
    if (id_len > UINT32_MAX)
        return rt_fail(diag, RETAIN_ERR_DATA, line, "id", "an id of over 4 GB");
    for (size_t j = 0; j < s->o.n_by; j++)
        k.by_len[j] = (uint32_t)(by_len[j] > UINT32_MAX ? UINT32_MAX : by_len[j]);
    if (!rt_buf_append(&s->kept, &k, sizeof k) || !rt_buf_append(&s->kept, id, id_len))
        return nomem(diag);
    for (size_t j = 0; j < s->o.n_by; j++)
        if (!rt_buf_append(&s->kept, by[j], k.by_len[j]))
            return nomem(diag);
    if (!s->nkept++ || start > s->latest)
        s->latest = start;
    return RETAIN_OK;
}

/* The kept rows, now that the as-of is the latest start. */
static retain_status replay(retain_score *s, retain_diag *diag)
{
    if (!s->nkept)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "no customer row");
    retain_status st = plan(s, s->latest, diag);
    if (st != RETAIN_OK)
        return st;
    s->deferred = false;
    s->expected = false;
    retain_score_expect(s, s->nkept);
    size_t at = 0;
    for (size_t r = 0; r < s->nkept && st == RETAIN_OK; r++) {
        kept_row k;
        memcpy(&k, s->kept.data + at, sizeof k);
        at += sizeof k;
        const char *id = s->kept.data + at, *by[RETAIN_SCORE_MAX_BY];
        size_t by_len[RETAIN_SCORE_MAX_BY];
        at += k.id_len;
        for (size_t j = 0; j < s->o.n_by; j++) {
            by[j] = s->kept.data + at;
            by_len[j] = k.by_len[j];
            at += k.by_len[j];
        }
        st = add_customer(s, id, k.id_len, k.start, k.end, k.has_end, k.mrr, by, by_len, k.line,
                          k.fingerprint, k.place, diag);
    }
    rt_buf_free(&s->kept);
    return st;
}

static retain_status add_customer(retain_score *s, const char *id, size_t id_len, retain_day start,
                                  retain_day end, bool has_end, retain_money mrr,
                                  const char *const *by, const size_t *by_len, unsigned long line,
                                  uint64_t fingerprint, uint64_t place, retain_diag *diag)
{
    if (s->deferred)
        return keep_row(s, id, id_len, start, end, has_end, mrr, by, by_len, line, fingerprint,
                        place, diag);
    s->expected = true;
    if (s->threshold != UINT64_MAX && !s->all) {
        retain_day as_of = s->cut[0];
        s->all = events_new(&as_of, 1, diag);
        if (!s->all)
            return diag ? diag->status : RETAIN_ERR_NOMEM;
    }
    s->segbuf.len = 0;
    for (size_t j = 0; j < s->o.n_by; j++) {
        char sep = SEP;
        if ((j && !rt_buf_append(&s->segbuf, &sep, 1)) ||
            !rt_buf_append(&s->segbuf, by[j], by_len[j]))
            return nomem(diag);
    }
    const char *seg = s->segbuf.data ? s->segbuf.data : "";
    retain_status st = RETAIN_OK;
    if (s->all)
        st = rt_events_add_customer(s->all, id, id_len, start, end, has_end, mrr, seg,
                                    s->segbuf.len, line, fingerprint, place, diag);
    if (st == RETAIN_OK && (s->threshold == UINT64_MAX || id_hash(id, id_len) < s->threshold))
        st = rt_events_add_customer(s->train, id, id_len, start, end, has_end, mrr, seg,
                                    s->segbuf.len, line, fingerprint, place, diag);
    return st;
}

retain_status retain_score_add_customer(retain_score *s, const char *id, size_t id_len,
                                        retain_day start, retain_day end, bool has_end,
                                        retain_money mrr, const char *const *by,
                                        const size_t *by_len, unsigned long line, retain_diag *diag)
{
    return add_customer(s, id, id_len, start, end, has_end, mrr, by, by_len, line, 0, 0, diag);
}

retain_status retain_score_add_customer_row(retain_score *s, const retain_row *row,
                                            retain_diag *diag)
{
    return add_customer(s, row->id, row->id_len, row->start, row->end, row->has_end,
                        row->has_mrr ? row->mrr : 0, row->extra, row->extra_len, row->line,
                        row->fingerprint, row->place, diag);
}

unsigned long retain_score_duplicates(const retain_score *s, uint64_t *place, uint64_t *of)
{
    return retain_events_duplicates(s->all ? s->all : s->train, place, of);
}

retain_status retain_score_customers_done(retain_score *s, retain_diag *diag)
{
    if (s->deferred) {
        retain_status st = replay(s, diag);
        if (st != RETAIN_OK)
            return st;
    }
    retain_status st = retain_events_customers_done(s->train, diag);
    if (st == RETAIN_OK && s->all)
        st = retain_events_customers_done(s->all, diag);
    return st;
}

retain_status retain_score_add_event(retain_score *s, const retain_event *e, retain_diag *diag)
{
    retain_status st = retain_events_add(s->train, e, diag);
    if (st == RETAIN_OK && s->all)
        st = retain_events_add(s->all, e, diag);
    return st;
}

retain_status retain_score_add_row(retain_score *s, retain_table_kind kind, const retain_row *row,
                                   retain_diag *diag)
{
    retain_status st = retain_events_add_row(s->train, kind, row, diag);
    if (st == RETAIN_OK && s->all)
        st = retain_events_add_row(s->all, kind, row, diag);
    return st;
}

uint64_t retain_score_unknown(const retain_score *s, retain_event_table table,
                              unsigned long *first_line)
{
    return retain_events_unknown(s->all ? s->all : s->train, table, first_line);
}

/* ---- features ----------------------------------------------------------- */

static bool add_name(retain_score *s, const char *a, const char *b, size_t blen, size_t *at)
{
    size_t alen = strlen(a);
    char *name = malloc(alen + blen + 2);
    if (!name)
        return false;
    memcpy(name, a, alen);
    if (b) {
        name[alen] = '=';
        memcpy(name + alen + 1, b, blen);
        name[alen + 1 + blen] = '\0';
    } else
        name[alen] = '\0';
    char **names = realloc(s->names, (s->k + 1) * sizeof *names);
    if (!names) {
        free(name);
        return false;
    }
    s->names = names;
    if (at)
        *at = s->k;
    s->names[s->k++] = name;
    return true;
}

/* The features that do not depend on the data: the layout. */
static bool base_features(retain_score *s)
{
    layout *f = &s->f;
    memset(f, 0xff, sizeof *f); /* NO_FEATURE everywhere */
    bool ok = add_name(s, "tenure_days", NULL, 0, &f->tenure);
    for (int g = 0; g < 3 && ok; g++)
        ok = add_name(s, "stage", stage_name[g], strlen(stage_name[g]), g ? NULL : &f->stage);
    if (ok && s->o.has_mrr)
        ok = add_name(s, "mrr", NULL, 0, &f->mrr);
    if (ok && (s->o.has_mrr || s->o.tables[RETAIN_EVENT_ORDER]))
        ok = add_name(s, "revenue_change_pct", NULL, 0, &f->rev) &&
             add_name(s, "revenue_change_missing", NULL, 0, &f->rev_missing);
    if (ok && s->o.tables[RETAIN_EVENT_ACTIVITY])
        ok = add_name(s, "days_silent", NULL, 0, &f->silent) &&
             add_name(s, "usage_change_pct", NULL, 0, &f->usage) &&
             add_name(s, "usage_change_missing", NULL, 0, &f->usage_missing) &&
             add_name(s, "days_to_activation", NULL, 0, &f->activation) &&
             add_name(s, "not_activated", NULL, 0, &f->not_activated);
    if (ok && s->o.tables[RETAIN_EVENT_TICKET])
        ok = add_name(s, "tickets", NULL, 0, &f->tickets);
    if (ok && s->o.tables[RETAIN_EVENT_ANSWER])
        ok = add_name(s, "nps", NULL, 0, &f->nps) &&
             add_name(s, "nps_missing", NULL, 0, &f->nps_missing);
    return ok;
}

/* The --by values of a segment: value j of the joined string. */
static const char *by_value(const char *seg, size_t seglen, size_t j, size_t *len)
{
    size_t a = 0;
    for (size_t k = 0; k < j; k++) {
        const char *p = memchr(seg + a, SEP, seglen - a);
        if (!p) {
            *len = 0;
            return seg + seglen;
        }
        a = (size_t)(p - seg) + 1;
    }
    const char *p = memchr(seg + a, SEP, seglen - a);
    *len = p ? (size_t)(p - (seg + a)) : seglen - a;
    return seg + a;
}

static double pct_change(double now, double before, bool *missing)
{
    *missing = before == 0;
    if (*missing)
        return NAN;
    return fmin(fmax((now - before) / before * 100, CLIP_LOW), CLIP_HIGH);
}

/* The feature values of customer i of ev as of its cutoff kc, whose life
 * serving the cutoff is `life`. */
static void features(const retain_score *s, const retain_events *ev, size_t i, size_t kc,
                     retain_day c, const retain_life *life, double *x)
{
    const layout *f = &s->f;
    retain_event_state st;
    retain_events_state(ev, i, kc, &st);
    for (size_t j = 0; j < s->k; j++)
        x[j] = 0;
    int32_t tenure = c - life->start;
    x[f->tenure] = tenure;
    x[f->stage + (tenure < stage_to[0] ? 0 : tenure < stage_to[1] ? 1 : 2)] = 1;
    bool missing;
    if (f->mrr != NO_FEATURE)
        x[f->mrr] = (double)retain_events_mrr_on(ev, i, c) / RETAIN_MONEY_SCALE;
    if (f->rev != NO_FEATURE) {
        double now, before;
        if (s->o.tables[RETAIN_EVENT_ORDER]) {
            now = (double)st.revenue;
            before = (double)st.revenue_before;
        } else {
            now = (double)retain_events_mrr_on(ev, i, c);
            before = (double)retain_events_mrr_on(ev, i, c - 90);
        }
        x[f->rev] = pct_change(now, before, &missing);
        x[f->rev_missing] = missing;
    }
    if (f->silent != NO_FEATURE) {
        x[f->silent] = st.has_activity ? c - st.last_activity : tenure;
        x[f->usage] = pct_change((double)st.usage, (double)st.usage_before, &missing);
        x[f->usage_missing] = missing;
        retain_life first;
        retain_events_life(ev, i, 0, &first);
        x[f->activation] = st.has_activation ? st.activation_day - first.start : NAN;
        x[f->not_activated] = !st.has_activation;
    }
    if (f->tickets != NO_FEATURE)
        x[f->tickets] = (double)st.tickets;
    if (f->nps != NO_FEATURE) {
        x[f->nps] = st.has_answer ? st.score : NAN;
        x[f->nps_missing] = !st.has_answer;
    }
    for (size_t j = 0; j < s->o.n_by; j++) {
        size_t len;
        const char *v = by_value(life->segment, life->segment_len, j, &len);
        uint32_t idx;
        if (rt_intern_find(&s->by[j].values, v, len, &idx) && s->by[j].feature[idx])
            x[s->by[j].feature[idx] - 1] = 1;
    }
}

/* ---- rows --------------------------------------------------------------- */

/* The --by features of a model given: its "COL=VALUE" names of each --by
 * column, in its order. Then the feature lists must be the same. */
static retain_status model_by_features(retain_score *s, const retain_logit *m, size_t nbase,
                                       retain_diag *diag)
{
    size_t mk = retain_logit_features(m);
    for (size_t j = 0; j < s->o.n_by; j++) {
        size_t plen = strlen(s->by[j].name);
        for (size_t t = nbase; t < mk; t++) {
            const char *name = retain_logit_name(m, t);
            if (strncmp(name, s->by[j].name, plen) != 0 || name[plen] != '=')
                continue;
            const char *v = name + plen + 1;
            uint32_t idx;
            size_t at;
            if (!rt_intern_get(&s->by[j].values, v, strlen(v), &idx) ||
                !add_name(s, s->by[j].name, v, strlen(v), &at))
                return nomem(diag);
        }
    }
    size_t t = 0;
    while (t < mk && t < s->k && strcmp(s->names[t], retain_logit_name(m, t)) == 0)
        t++;
    if (t < mk || t < s->k) {
        if (t == mk)
            rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                    "the model was fitted on other features: it has no feature %s", s->names[t]);
        else if (t == s->k)
            rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                    "the model was fitted on other features: this run makes no feature %s",
                    retain_logit_name(m, t));
        else
            rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                    "the model was fitted on other features: its feature %zu is %s, here %s", t + 1,
                    retain_logit_name(m, t), s->names[t]);
        rt_hint(diag, "score with the event tables and --by columns of the fit (%.80s)",
                retain_logit_spec(m));
        return RETAIN_ERR_DATA;
    }
    if (strcmp(retain_logit_spec(m), s->spec) != 0) {
        rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                "the model was fitted for \"%.100s\", this run is \"%.100s\"", retain_logit_spec(m),
                s->spec);
        return RETAIN_ERR_DATA;
    }
    for (size_t j = 0; j < s->o.n_by; j++)
        if (s->by[j].values.n) {
            s->by[j].feature = calloc(s->by[j].values.n, sizeof *s->by[j].feature);
            if (!s->by[j].feature)
                return nomem(diag);
        }
    for (t = nbase; t < s->k; t++)
        for (size_t j = 0; j < s->o.n_by; j++) {
            size_t plen = strlen(s->by[j].name);
            const char *v = s->names[t] + plen + 1;
            uint32_t idx;
            if (strncmp(s->names[t], s->by[j].name, plen) == 0 && s->names[t][plen] == '=' &&
                rt_intern_find(&s->by[j].values, v, strlen(v), &idx)) {
                s->by[j].feature[idx] = (uint32_t)t + 1;
                break;
            }
        }
    return RETAIN_OK;
}

/* The --by features of a fit: every value of the training rows, in byte
 * order, per column. */
static retain_status data_by_features(retain_score *s, retain_diag *diag)
{
    if (!s->o.n_by)
        return RETAIN_OK;
    size_t n = retain_events_customers(s->train);
    for (size_t i = 0; i < n; i++)
        for (size_t kc = 2; kc < s->ncut; kc++) {
            retain_life life;
            if (!retain_events_life_on(s->train, i, s->cut[kc], &life))
                continue;
            for (size_t j = 0; j < s->o.n_by; j++) {
                size_t len;
                const char *v = by_value(life.segment, life.segment_len, j, &len);
                uint32_t idx;
                if (!rt_intern_get(&s->by[j].values, v, len, &idx))
                    return nomem(diag);
            }
        }
    for (size_t j = 0; j < s->o.n_by; j++) {
        by_column *b = &s->by[j];
        if (b->values.n > RETAIN_SCORE_MAX_VALUES) {
            rt_fail(diag, RETAIN_ERR_USAGE, 0, b->name,
                    "%zu different values in the training rows: at most %d for --by", b->values.n,
                    RETAIN_SCORE_MAX_VALUES);
            rt_hint(diag, "--by takes a segment column such as a plan or a channel, not an id");
            return RETAIN_ERR_USAGE;
        }
        uint32_t *order = rt_intern_sorted(&b->values);
        b->feature = calloc(b->values.n ? b->values.n : 1, sizeof *b->feature);
        if (!order || !b->feature) {
            free(order);
            return nomem(diag);
        }
        bool ok = true;
        for (size_t t = 0; t < b->values.n && ok; t++) {
            size_t len;
            const char *v = rt_intern_str(&b->values, order[t], &len);
            size_t at;
            ok = add_name(s, b->name, v, len, &at);
            b->feature[order[t]] = (uint32_t)at + 1;
        }
        free(order);
        if (!ok)
            return nomem(diag);
    }
    return RETAIN_OK;
}

/* Whether customer i of the training draw takes part in the training and
 * held-out rows (all of them unless there are more than MAX_ROWS). */
static bool in_rows(const retain_events *ev, size_t i, uint64_t threshold)
{
    if (threshold == UINT64_MAX)
        return true;
    size_t len;
    const char *id = retain_events_id(ev, i, &len);
    return XXH3_64bits_withSeed(id, len, 0x7A11) < threshold;
}

/* Walks the rows in their order: training cutoffs oldest first, the held
 * out one, as-of; fill false only counts them. */
static size_t walk(retain_score *s, bool fill, uint64_t threshold)
{
    size_t r = 0;
    for (size_t kc = s->ncut; kc-- > 0;) {
        bool scored = kc == 0;
        const retain_events *ev = scored && s->all ? s->all : s->train;
        size_t n = retain_events_customers(ev);
        retain_day c = s->cut[kc];
        for (size_t i = 0; i < n; i++) {
            retain_life life;
            if (!retain_events_life_on(ev, i, c, &life) || (!scored && !in_rows(ev, i, threshold)))
                continue;
            if (fill) {
                row_meta *m = &s->meta[r];
                m->customer = (uint32_t)i;
                m->cut = (uint8_t)kc;
                m->set = scored    ? RETAIN_SCORE_SCORED
                         : kc == 1 ? RETAIN_SCORE_HELDOUT
                                   : RETAIN_SCORE_TRAIN;
                m->label = !scored && life.has_end && life.end <= c + s->o.horizon;
                m->all = scored && s->all;
                features(s, ev, i, scored && s->all ? 0 : kc, c, &life, s->x + r * s->k);
            }
            r++;
        }
        if (kc == 2)
            s->ntrain = r;
        if (kc == 1)
            s->nheldout = r - s->ntrain;
    }
    return r;
}

static void make_spec(retain_score *s)
{
    size_t len = (size_t)snprintf(s->spec, sizeof s->spec, "horizon=%ld by=", (long)s->o.horizon);
    for (size_t j = 0; j < s->o.n_by && len < sizeof s->spec; j++)
        len += (size_t)snprintf(s->spec + len, sizeof s->spec - len, "%s%s", j ? "|" : "",
                                s->by[j].name);
    for (char *p = s->spec; *p; p++)
        if (*p == '\t' || *p == '\n' || *p == '\r')
            *p = ' ';
}

static retain_status build(retain_score *s, const retain_logit *model, retain_diag *diag)
{
    make_spec(s);
    if (!base_features(s))
        return nomem(diag);
    size_t nbase = s->k;
    retain_status st = model ? model_by_features(s, model, nbase, diag) : data_by_features(s, diag);
    if (st != RETAIN_OK)
        return st;
    size_t total = walk(s, false, UINT64_MAX);
    size_t labelled = s->ntrain + s->nheldout;
    uint64_t threshold = UINT64_MAX;
    if (labelled > MAX_ROWS) {
        threshold = (uint64_t)((double)MAX_ROWS / (double)labelled * 18446744073709551615.0);
        total = walk(s, false, threshold);
        s->sum.sampled = true;
    }
    if (total > SIZE_MAX / sizeof(double) / (s->k ? s->k : 1))
        return nomem(diag);
    s->meta = malloc((total ? total : 1) * sizeof *s->meta);
    s->x = malloc((total ? total : 1) * (s->k ? s->k : 1) * sizeof *s->x);
    if (!s->meta || !s->x)
        return nomem(diag);
    s->nrows = walk(s, true, threshold);
    return RETAIN_OK;
}

/* ---- fit, evaluation, scores -------------------------------------------- */

static unsigned char *labels(const retain_score *s, size_t from, size_t n)
{
    unsigned char *y = malloc(n ? n : 1);
    for (size_t r = 0; y && r < n; r++)
        y[r] = s->meta[from + r].label;
    return y;
}

static size_t positives(const unsigned char *y, size_t n)
{
    size_t p = 0;
    for (size_t r = 0; r < n; r++)
        p += y[r];
    return p;
}

/* Predictions of rows [from, from + n). */
static double *predict(const retain_score *s, const retain_logit *m, size_t from, size_t n)
{
    double *p = malloc((n ? n : 1) * sizeof *p);
    for (size_t r = 0; p && r < n; r++)
        p[r] = retain_logit_predict(m, s->x + (from + r) * s->k);
    return p;
}

/* The C of least log loss on the latest training cutoff, fitted on the
 * earlier ones; FALLBACK_C when that cannot be told (one training cutoff,
 * or a class missing on either side). */
static retain_status choose_c(retain_score *s, const unsigned char *y, double *c, retain_diag *diag)
{
    retain_score_summary *sum = &s->sum;
    size_t nval = 0;
    for (size_t r = 0; r < s->ntrain; r++)
        nval += s->meta[r].cut == 2;
    size_t nfit = s->ntrain - nval, fit1 = positives(y, nfit), val1 = positives(y + nfit, nval);
    sum->validation_rows = nval;
    sum->validation_churners = val1;
    for (int g = 0; g < RETAIN_SCORE_C_GRID; g++) {
        sum->grid_c[g] = c_grid[g];
        sum->grid_log_loss[g] = NAN;
    }
    *c = FALLBACK_C;
    if (!fit1 || fit1 == nfit || !val1 || val1 == nval)
        return RETAIN_OK;
    double best = INFINITY;
    for (int g = 0; g < RETAIN_SCORE_C_GRID; g++) {
        retain_logit_options lo = {.c = c_grid[g], .balance = true};
        retain_logit *m;
        retain_status st =
            retain_logit_fit(s->x, y, nfit, s->k, (const char *const *)s->names, &lo, &m, diag);
        if (st != RETAIN_OK)
            return st;
        double *p = predict(s, m, nfit, nval);
        retain_evaluation e;
        st = p ? retain_evaluate(p, y + nfit, nval, &e, diag) : nomem(diag);
        free(p);
        retain_logit_free(m);
        if (st != RETAIN_OK)
            return st;
        sum->grid_log_loss[g] = e.log_loss;
        if (e.log_loss < best) { /* ties: the smaller C, tried first */
            best = e.log_loss;
            *c = c_grid[g];
        }
    }
    sum->c_validated = true;
    return RETAIN_OK;
}

/* Hanley and McNeil (1982): the standard error of an AUC. */
static double auc_se(double a, double n1, double n0)
{
    double q1 = a / (2 - a), q2 = 2 * a * a / (1 + a);
    double v = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / (n1 * n0);
    return v > 0 ? sqrt(v) : 0;
}

static int by_loss(const void *a, const void *b)
{
    const retain_score_result *x = a, *y = b;
    if (x->expected_mrr_loss != y->expected_mrr_loss)
        return x->expected_mrr_loss > y->expected_mrr_loss ? -1 : 1;
    if (x->p_churn != y->p_churn)
        return x->p_churn > y->p_churn ? -1 : 1;
    size_t n = x->id_len < y->id_len ? x->id_len : y->id_len;
    int c = memcmp(x->id, y->id, n);
    return c ? c : (x->id_len > y->id_len) - (x->id_len < y->id_len);
}

static retain_status score_customers(retain_score *s, retain_diag *diag)
{
    size_t from = s->ntrain + s->nheldout, n = s->nrows - from;
    s->res = calloc(n ? n : 1, sizeof *s->res);
    double *contrib = malloc((s->k ? s->k : 1) * sizeof *contrib);
    if (!s->res || !contrib) {
        free(contrib);
        return nomem(diag);
    }
    for (size_t r = 0; r < n; r++) {
        const row_meta *m = &s->meta[from + r];
        const double *x = s->x + (from + r) * s->k;
        const retain_events *ev = m->all ? s->all : s->train;
        retain_score_result *out = &s->res[r];
        out->id = retain_events_id(ev, m->customer, &out->id_len);
        retain_life life;
        retain_events_life_on(ev, m->customer, s->cut[0], &life);
        for (size_t j = 0; j < s->o.n_by; j++)
            out->by[j] = by_value(life.segment, life.segment_len, j, &out->by_len[j]);
        out->mrr = s->o.has_mrr ? retain_events_mrr_on(ev, m->customer, s->cut[0]) : 0;
        out->p_churn = retain_logit_predict(s->model, x);
        out->expected_mrr_loss = out->p_churn * ((double)out->mrr / RETAIN_MONEY_SCALE);
        retain_logit_contributions(s->model, x, contrib);
        for (int t = 0; t < 3; t++) {
            out->top[t].feature = NO_FEATURE;
            for (size_t j = 0; j < s->k; j++) {
                bool taken = false;
                for (int u = 0; u < t; u++)
                    taken |= out->top[u].feature == j;
                if (!taken && contrib[j] > 0 &&
                    (out->top[t].feature == NO_FEATURE || contrib[j] > out->top[t].contribution)) {
                    out->top[t].feature = j;
                    out->top[t].contribution = contrib[j];
                }
            }
        }
    }
    free(contrib);
    qsort(s->res, n, sizeof *s->res, by_loss);
    s->nres = n;
    return RETAIN_OK;
}

retain_status retain_score_run(retain_score *s, const retain_logit *model, retain_diag *diag)
{
    retain_score_summary *sum = &s->sum;
    retain_status st = build(s, model, diag);
    if (st != RETAIN_OK)
        return st;
    char first[11], last[11], held[11];
    retain_day_format(s->cut[s->ncut - 1], first);
    retain_day_format(s->cut[2], last);
    retain_day_format(s->cut[1], held);
    sum->heldout_cutoff = s->cut[1];
    sum->first_train_cutoff = s->cut[s->ncut - 1];
    sum->last_train_cutoff = s->cut[2];
    sum->train_cutoffs = s->ncut - 2;
    sum->customers = retain_events_customers(s->all ? s->all : s->train);
    sum->train_customers = retain_events_customers(s->train);
    sum->sampled = sum->sampled || s->all;
    sum->train_rows = s->ntrain;
    sum->heldout_rows = s->nheldout;
    sum->scored = s->nrows - s->ntrain - s->nheldout;
    unsigned char *y = labels(s, 0, s->ntrain + s->nheldout);
    if (!y)
        return nomem(diag);
    sum->train_churners = positives(y, s->ntrain);
    sum->heldout_churners = positives(y + s->ntrain, s->nheldout);
    if (!model) {
        double c = s->o.c;
        if (!s->ntrain)
            st = rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                         "no customer was active on the training cutoffs (%s to %s): nothing to "
                         "learn from",
                         first, last);
        else if (!sum->train_churners) {
            st = rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                         "none of the %zu customers active on the training cutoffs (%s to %s) "
                         "churned within %ld day%s: nothing to learn from",
                         s->ntrain, first, last, (long)s->o.horizon, s->o.horizon == 1 ? "" : "s");
            rt_hint(diag, "a longer --train-days or --horizon, or an earlier --as-of");
        } else if (sum->train_churners == s->ntrain)
            st = rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                         "every customer active on the training cutoffs (%s to %s) churned within "
                         "%ld day%s: nothing to learn from",
                         first, last, (long)s->o.horizon, s->o.horizon == 1 ? "" : "s");
        if (st == RETAIN_OK && !(c > 0))
            st = choose_c(s, y, &c, diag);
        retain_logit_options lo = {.c = c, .balance = true};
        if (st == RETAIN_OK)
            st = retain_logit_fit(s->x, y, s->ntrain, s->k, (const char *const *)s->names, &lo,
                                  &s->own, diag);
        s->model = s->own;
        sum->fitted = true;
    } else
        s->model = model;
    if (st == RETAIN_OK) {
        size_t n1 = sum->heldout_churners, n0 = s->nheldout - n1;
        if (n1 >= RETAIN_SCORE_MIN_CHURNERS && n0 >= RETAIN_SCORE_MIN_CHURNERS) {
            double *p = predict(s, s->model, s->ntrain, s->nheldout);
            st = p ? retain_evaluate(p, y + s->ntrain, s->nheldout, &sum->heldout, diag)
                   : nomem(diag);
            free(p);
            sum->evaluated = st == RETAIN_OK;
            if (sum->evaluated) {
                sum->auc_se = auc_se(sum->heldout.auc, (double)n1, (double)n0);
                sum->informative =
                    sum->heldout.auc >= 0.6 && sum->heldout.auc - 1.96 * sum->auc_se > 0.5;
            }
        }
    }
    free(y);
    if (st == RETAIN_OK)
        st = score_customers(s, diag);
    return st;
}

/* ---- accessors ---------------------------------------------------------- */

retain_day retain_score_as_of(const retain_score *s)
{
    return s->o.as_of;
}

const retain_logit *retain_score_model(const retain_score *s)
{
    return s->model;
}

const char *retain_score_spec(const retain_score *s)
{
    return s->spec;
}

void retain_score_get_summary(const retain_score *s, retain_score_summary *out)
{
    *out = s->sum;
}

size_t retain_score_features(const retain_score *s)
{
    return s->k;
}

const char *retain_score_feature_name(const retain_score *s, size_t j)
{
    return s->names[j];
}

size_t retain_score_rows(const retain_score *s)
{
    return s->nrows;
}

void retain_score_row(const retain_score *s, size_t r, retain_score_feature_row *out)
{
    const row_meta *m = &s->meta[r];
    const retain_events *ev = m->all ? s->all : s->train;
    out->cutoff = s->cut[m->cut];
    out->set = (retain_score_set)m->set;
    out->id = retain_events_id(ev, m->customer, &out->id_len);
    out->has_label = m->set != RETAIN_SCORE_SCORED;
    out->churned = m->label;
    out->x = s->x + r * s->k;
}

size_t retain_score_scored(const retain_score *s)
{
    return s->nres;
}

void retain_score_result_get(const retain_score *s, size_t r, retain_score_result *out)
{
    *out = s->res[r];
}
