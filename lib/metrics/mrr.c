/* MRR movements: each customer's MRR as a step function of the day, then
 * per period its values on the day before and on the last day.
 *
 * A customer holds its first row inline (the rt_customer's start, end and
 * segment, its MRR beside); a row that merely continues it (back to back,
 * same MRR and segment: a renewal) stretches it. Any other row turns the
 * customer into a curve: pieces sorted by day, each holding from its day
 * on the sum of the MRR of the rows serving, whether any row serves, and
 * the largest MRR of a serving row with its segment (what decides the
 * segment, SPEC). Adding a row adds its MRR to the pieces it covers and
 * takes the larger of the deciding rows, piece by piece: both are
 * pointwise sums and maxima, so the curve does not depend on the order of
 * the rows, and two curves of one customer merge piece by piece.
 * Adjacent equal pieces are one: only change points are kept.
 *
 * At finish, the pieces after as-of are dropped (the future is unknown),
 * gaps of at most merge_gap days between served pieces take the value of
 * the piece before them (a life, SPEC), and each customer adds its MRR to
 * the level of every period whose last day it covers (difference arrays,
 * as retain rate counts customers) and, for every period holding one of
 * its change points, compares its values on the day before the period and
 * on its last day: the movements. The levels and the movements are summed
 * independently, so that the identity between them is a check, not a
 * construction. */
#define _GNU_SOURCE /* qsort_r */
#include <stdlib.h>
#include <string.h>

#include <retain/mrr.h>
#include <retain/number.h>
#include <retain/rate.h>

#include "internal.h"
#include "store.h"
#include "window.h"
#include "worker.h"

#define SERVED 0x80000000u /* in a piece's segment word: some row serves its days */
#define SEG_MASK 0x7FFFFFFFu
#define QUEUE 4096 /* rows a batch */
/* The MRR of all rows together stays below this, so that every sum of the
 * tables, x 12 for ARR and the numerators of the ratios, is exact. */
#define MAX_TOTAL ((uint64_t)INT64_MAX / 32)

/* From day on (to the next piece's day): the MRR sum of the rows serving,
 * SERVED | the deciding row's segment, and that row's MRR (0 without
 * segments). Unserved pieces are all zero but their day. */
typedef struct {
    int32_t day;
    uint32_t seg;
    int64_t mrr;
    int64_t best;
} piece;

/* A curve's pieces: up to SMALL of them in a slot of the accumulator's
 * slabs (a win-back's four; no allocation of its own, freed with the
 * slabs), more in an allocation of the curve's own (cap > SMALL). */
typedef struct {
    piece *v;
    uint32_t n, cap;
} curve;

#define SMALL 4
#define SLAB_SLOTS 16384 /* slots of SMALL pieces a slab */

enum { M_NEW, M_EXP, M_REACT, M_CONTR, M_CHURN, M_IN, M_OUT, M_COUNT };

/* What a customer keeps beside the store, in one line of memory: a row of
 * a known customer reads it at one cache miss. A customer of several
 * distinct rows keeps their fingerprints in a chain instead (fp 0, place
 * the index + 1 of its latest row there), found from here. */
typedef struct {
    int64_t mrr;    /* its inline row's MRR */
    uint64_t fp;    /* the fingerprint of its one row (0: none, or a chain) */
    uint64_t place; /* the earliest place of that row (retain_row.place), or its chain's head */
} side;

/* The fingerprints of the customers of several distinct rows: a chain of
 * rows per customer, its head in the customer's side. Exact duplicate
 * rows are told apart with them. */
typedef struct {
    uint64_t *fp, *place;
    uint32_t *next; /* index + 1 of the customer's row before; 0 ends */
    size_t n, cap;
} fp_more;

struct retain_mrr {
    retain_mrr_options opt;
    rt_store store;
    rt_intern segments;
    side *side;      /* per customer */
    uint64_t *id_at; /* with ids: where its id is in ids (a uint32 length, the bytes) */
    size_t side_cap;
    rt_buf ids;
    curve *curves; /* rt_customer.more = index + 1 of the customer's curve */
    size_t ncurves, curves_cap;
    piece **slabs;
    size_t nslabs, slabs_cap, slab_used; /* slots used of the last slab */
    piece *free_slot; /* slots left by curves that grew, chained through their first bytes */
    rt_window window;
    fp_more more;        /* fingerprints beyond the sides' */
    rt_rowset dups;      /* the count of exact duplicate rows, and the first */
    uint64_t total;      /* of every row's MRR (rt_money_tally) */
    bool total_overflow; /* past MAX_TOTAL */
    bool overflow;       /* a customer's MRR on a day past INT64_MAX */
    bool unprinted;      /* a row without a fingerprint (never a duplicate) was kept */
    /* Rows waiting to be added, in batches; from the first full one on,
     * on a thread of their own (worker) while the caller reads on, unless
     * segments are kept (curves compare their names, which the caller's
     * adds grow) or ids (each row is added at once) */
    rt_pending *fill;
    size_t nqueue;
    rt_worker *worker;
    uint32_t index[QUEUE]; /* the batch's customers, found before or not */
    bool found[QUEUE];
    /* results */
    bool finished;
    retain_day as_of;
    int32_t first, last;
    size_t nper;
    uint32_t *order; /* segments sorted by value */
    retain_mrr_row *rows;
    rt_day_periods days;
};

retain_mrr *retain_mrr_new(const retain_mrr_options *options)
{
    retain_mrr *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->opt = *options;
    rt_store_init(&m->store);
    rt_intern_init(&m->segments);
    rt_window_init(&m->window, options->has_as_of, options->as_of);
    return m;
}

void retain_mrr_free(retain_mrr *m)
{
    if (!m)
        return;
    rt_worker_end(&m->worker);
    free(m->fill);
    rt_store_free(&m->store);
    rt_rowset_free(&m->dups);
    free(m->more.fp);
    free(m->more.place);
    free(m->more.next);
    rt_intern_free(&m->segments);
    free(m->side);
    free(m->id_at);
    rt_buf_free(&m->ids);
    for (size_t i = 0; i < m->ncurves; i++)
        if (m->curves[i].cap > SMALL)
            free(m->curves[i].v);
    free(m->curves);
    for (size_t i = 0; i < m->nslabs; i++)
        free(m->slabs[i]);
    free(m->slabs);
    free(m->order);
    free(m->rows);
    rt_day_periods_free(&m->days);
    free(m);
}

/* Room for n customers in the arrays beside the store. */
static bool side_reserve(retain_mrr *m, size_t n)
{
    if (n <= m->side_cap)
        return true;
    side *v = realloc(m->side, n * sizeof *v);
    if (!v)
        return false;
    m->side = v;
    if (m->opt.ids) {
        uint64_t *w = realloc(m->id_at, n * sizeof *w);
        if (!w)
            return false;
        m->id_at = w;
    }
    m->side_cap = n;
    return true;
}

retain_status retain_mrr_reserve(retain_mrr *m, size_t customers)
{
    if (!rt_worker_wait(m->worker) || !rt_store_reserve(&m->store, customers) ||
        !side_reserve(m, m->store.cap))
        return RETAIN_ERR_NOMEM;
    return RETAIN_OK;
}

static bool keep_id(retain_mrr *m, uint32_t i, const char *id, size_t len)
{
    uint32_t n = (uint32_t)len;
    m->id_at[i] = m->ids.len;
    return rt_buf_append(&m->ids, &n, sizeof n) && rt_buf_append(&m->ids, id, len);
}

static const char *id_of(const retain_mrr *m, size_t i, size_t *len)
{
    uint32_t n;
    memcpy(&n, m->ids.data + m->id_at[i], sizeof n);
    *len = n;
    return m->ids.data + m->id_at[i] + sizeof n;
}

/* ---- exact duplicates -------------------------------------------------- */

/* The index + 1 of the latest row of customer i's chain, 0 when it has
 * none (a fingerprint in its side, or none). */
static uint32_t more_head(const retain_mrr *m, uint32_t i)
{
    return m->side[i].fp ? 0 : (uint32_t)m->side[i].place;
}

/* Adds fingerprint fp at place to the chain of rows that begins at head
 * (0: a new chain): the index + 1 of its entry, 0 when out of memory. */
static uint32_t more_add(fp_more *t, uint32_t head, uint64_t fp, uint64_t place)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        if (cap > RT_MAX_CUSTOMERS || !rt_row_chains_grow(&t->fp, &t->place, &t->next, cap))
            return 0; /* indices are 32-bit */
        t->cap = cap;
    }
    t->fp[t->n] = fp;
    t->place[t->n] = place;
    t->next[t->n] = head;
    return (uint32_t)++t->n;
}

/* Where customer i keeps the earliest place of its row of fingerprint fp
 * (not 0), or NULL when it has none. */
static uint64_t *fp_kept(const retain_mrr *m, uint32_t i, uint64_t fp)
{
    if (m->side[i].fp == fp)
        return &m->side[i].place;
    for (uint32_t r = more_head(m, i); r; r = m->more.next[r - 1])
        if (m->more.fp[r - 1] == fp)
            return &m->more.place[r - 1];
    return NULL;
}

/* Customer i has a row of fingerprint fp (not 0) at place: 1 when it is
 * new (and now kept), 0 when it repeats one of the customer's rows
 * (counted), -1 when out of memory. */
static int fp_add(retain_mrr *m, uint32_t i, uint64_t fp, uint64_t place)
{
    uint64_t *kept = fp_kept(m, i, fp);
    if (kept) {
        rt_rowset_count(&m->dups, place, kept);
        return 0;
    }
    side *d = &m->side[i];
    if (d->fp == 0 && d->place == 0) {
        d->fp = fp;
        d->place = place;
        return 1;
    }
    /* the side's row opens the chain */
    uint32_t head = d->fp ? more_add(&m->more, 0, d->fp, d->place) : (uint32_t)d->place;
    if (!head || !(head = more_add(&m->more, head, fp, place)))
        return -1;
    d->fp = 0;
    d->place = head;
    return 1;
}

/* ---- curves ------------------------------------------------------------ */

/* Whether a serving row (mrr, segment g) decides over the piece's. */
static bool decides(const retain_mrr *m, int64_t mrr, uint32_t g, const piece *p)
{
    uint32_t pg = p->seg & SEG_MASK;
    return mrr > p->best ||
           (mrr == p->best && g != pg && rt_intern_compare(&m->segments, g, pg) < 0);
}

/* The pointwise sum of two pieces' rows (day left alone). */
static void combine(retain_mrr *m, piece *into, const piece *x)
{
    if (!(x->seg & SERVED))
        return;
    if (!(into->seg & SERVED)) {
        into->seg = x->seg;
        into->mrr = x->mrr;
        into->best = x->best;
        return;
    }
    if (__builtin_add_overflow(into->mrr, x->mrr, &into->mrr))
        m->overflow = true;
    if (m->opt.segments && decides(m, x->best, x->seg & SEG_MASK, into)) {
        into->best = x->best;
        into->seg = x->seg;
    }
}

static bool same(const piece *a, const piece *b)
{
    return a->seg == b->seg && a->mrr == b->mrr && a->best == b->best;
}

/* Drops a leading unserved piece and pieces equal to the one before:
 * only change points stay. */
static uint32_t coalesce(piece *v, uint32_t n)
{
    uint32_t w = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (w == 0 ? !(v[i].seg & SERVED) : same(&v[w - 1], &v[i]))
            continue;
        v[w++] = v[i];
    }
    return w;
}

/* A slot of SMALL pieces, or NULL when out of memory. */
static piece *slot(retain_mrr *m)
{
    piece *p = m->free_slot;
    if (p) {
        memcpy(&m->free_slot, (const void *)p, sizeof(piece *)); /* the link in its first bytes */
        return p;
    }
    if (m->nslabs == 0 || m->slab_used == SLAB_SLOTS) {
        if (m->nslabs == m->slabs_cap) {
            size_t cap = m->slabs_cap ? 2 * m->slabs_cap : 64;
            piece **v = realloc(m->slabs, cap * sizeof *v);
            if (!v)
                return NULL;
            m->slabs = v;
            m->slabs_cap = cap;
        }
        if (!(m->slabs[m->nslabs] = malloc((size_t)SLAB_SLOTS * SMALL * sizeof(piece))))
            return NULL;
        m->nslabs++;
        m->slab_used = 0;
    }
    return m->slabs[m->nslabs - 1] + SMALL * m->slab_used++;
}

/* A slot no curve uses any more, for the next. */
static void slot_free(retain_mrr *m, piece *p)
{
    memcpy((void *)p, &m->free_slot, sizeof(piece *));
    m->free_slot = p;
}

/* Room for need pieces (or more) in v, a curve's, whose first n are kept:
 * a slot up to SMALL, else an allocation. False when out of memory. */
static bool room(retain_mrr *m, piece **v, uint32_t *cap, uint32_t n, size_t need)
{
    if (need <= *cap)
        return true;
    if (need <= SMALL) {
        piece *p = slot(m);
        if (!p)
            return false;
        if (n)
            memcpy(p, *v, n * sizeof *p);
        *v = p;
        *cap = SMALL;
        return true;
    }
    /* by half again: most curves past a slot have five or six pieces */
    size_t c = *cap > SMALL ? *cap : SMALL;
    while (c < need)
        c += c / 2;
    piece *p = c <= UINT32_MAX ? realloc(*cap > SMALL ? *v : NULL, c * sizeof *p) : NULL;
    if (!p)
        return false;
    if (*cap <= SMALL && n)
        memcpy(p, *v, n * sizeof *p);
    if (*cap > 0 && *cap <= SMALL)
        slot_free(m, *v);
    *v = p;
    *cap = (uint32_t)c;
    return true;
}

/* The index of the piece starting on day, made by splitting the one that
 * covers it (room for it must be there). */
static uint32_t split(curve *cv, int32_t day)
{
    uint32_t lo = 0, hi = cv->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cv->v[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < cv->n && cv->v[lo].day == day)
        return lo;
    memmove(cv->v + lo + 1, cv->v + lo, (cv->n - lo) * sizeof *cv->v);
    cv->v[lo] = lo > 0 ? cv->v[lo - 1] : (piece){0, 0, 0, 0};
    cv->v[lo].day = day;
    cv->n++;
    return lo;
}

/* Adds the row [s, e) (e RT_NO_END: open) of MRR v and segment g. */
static bool curve_add(retain_mrr *m, curve *cv, int32_t s, int32_t e, int64_t v, uint32_t g)
{
    if (s == e)
        return true;
    if (!room(m, &cv->v, &cv->cap, cv->n, (size_t)cv->n + 2))
        return false;
    uint32_t a = split(cv, s);
    uint32_t b = e == RT_NO_END ? cv->n : split(cv, e);
    piece row = {0, g | SERVED, v, m->opt.segments ? v : 0};
    for (uint32_t j = a; j < b; j++)
        combine(m, &cv->v[j], &row);
    cv->n = coalesce(cv->v, cv->n);
    return true;
}

/* A new, empty curve: its index + 1, 0 when out of memory. */
static uint32_t new_curve(retain_mrr *m)
{
    if (m->ncurves == m->curves_cap) {
        size_t cap = m->curves_cap ? 2 * m->curves_cap : 1024;
        curve *v = cap <= RT_MAX_CUSTOMERS ? realloc(m->curves, cap * sizeof *v) : NULL;
        if (!v)
            return 0;
        m->curves = v;
        m->curves_cap = cap;
    }
    m->curves[m->ncurves] = (curve){NULL, 0, 0};
    return (uint32_t)++m->ncurves;
}

/* Customer i as a curve (its inline row moved into it). */
static curve *as_curve(retain_mrr *m, uint32_t i)
{
    rt_customer *c = &m->store.cust[i];
    if (c->more)
        return &m->curves[c->more - 1];
    uint32_t k = new_curve(m);
    if (!k)
        return NULL;
    c = &m->store.cust[i];
    curve *cv = &m->curves[k - 1];
    if (!curve_add(m, cv, c->start, c->end, m->side[i].mrr, c->segment))
        return NULL;
    c->more = k;
    return cv;
}

/* Adds a row to customer i, which has one already. */
static bool add_row(retain_mrr *m, uint32_t i, int32_t s, int32_t e, int64_t v, uint32_t g)
{
    rt_customer *c = &m->store.cust[i];
    if (s == e)
        return true; /* serves no day */
    if (!c->more) {
        if (c->start == c->end) { /* the first row served nothing */
            *c = (rt_customer){c->lo, c->hi, s, e, 0, g};
            m->side[i].mrr = v;
            return true;
        }
        if (m->side[i].mrr == v && c->segment == g) { /* a renewal continues it */
            if (c->end != RT_NO_END && s == c->end) {
                c->end = e;
                return true;
            }
            if (e == c->start) {
                c->start = s;
                return true;
            }
        }
    }
    curve *cv = as_curve(m, i);
    return cv && curve_add(m, cv, s, e, v, g);
}

/* Adds n rows of the queue. */
static bool add_batch(void *mrr, void *rows, size_t n)
{
    retain_mrr *m = mrr;
    const rt_pending *q = rows;
    if (!rt_store_locate_many(&m->store, q, n, m->index, m->found) ||
        !side_reserve(m, m->store.cap))
        return false;
    /* the sides of the known customers loaded at once: independent loads
     * overlap, where the adds below would wait for each in turn */
    for (size_t k = 0; k < n; k++)
        if (m->found[k])
            __builtin_prefetch(&m->side[m->index[k]]);
    for (size_t k = 0; k < n; k++) {
        const rt_pending *p = &q[k];
        uint32_t i = m->index[k];
        if (!m->found[k]) { /* the store holds the row already */
            m->side[i] = (side){p->mrr, p->fp, p->fp ? p->place : 0};
            continue;
        }
        int fresh = p->fp ? fp_add(m, i, p->fp, p->place) : 1;
        if (fresh < 0)
            return false;
        if (fresh == 0)
            continue; /* an exact duplicate of one of the customer's rows */
        if (!add_row(m, i, p->start, p->end, p->mrr, p->segment))
            return false;
    }
    return true;
}

/* Adds what is queued, the worker's batch first (and ends it). */
static bool flush(retain_mrr *m)
{
    bool ok = rt_worker_end(&m->worker);
    size_t n = m->nqueue;
    m->nqueue = 0;
    return (n == 0 || add_batch(m, m->fill, n)) && ok;
}

/* Hands the full queue to the worker (started on the first call when it
 * may be) and takes its idle one; else adds the queue here. */
static bool submit(retain_mrr *m)
{
    if (!m->worker && !m->opt.segments) {
        rt_pending *spare = malloc(QUEUE * sizeof *spare);
        if (spare && !(m->worker = rt_worker_start(add_batch, m, spare)))
            free(spare);
        /* batches in line: the caller goes on while the worker is late */
        rt_worker_spares(m->worker, QUEUE * sizeof *spare, RT_WORKER_SPARES);
    }
    if (!m->worker)
        return flush(m);
    void *b = m->fill;
    bool ok = rt_worker_submit(m->worker, &b, m->nqueue);
    m->fill = b;
    m->nqueue = 0;
    return ok;
}

static retain_status add(retain_mrr *m, const char *id, size_t id_len, const char *segment,
                         size_t segment_len, retain_day start, retain_day end, bool has_end,
                         retain_money amount, uint64_t fp, uint64_t place)
{
    if ((has_end && end < start) || amount < 0)
        return RETAIN_ERR_DATA;
    if (!rt_window_keep(&m->window, start))
        return RETAIN_OK; /* not yet a customer on the observation day */
    if (!rt_money_tally(&m->total, amount) || m->total > MAX_TOTAL)
        m->total_overflow = true;
    m->unprinted |= fp == 0;
    if (!m->fill && !(m->fill = malloc(QUEUE * sizeof *m->fill)))
        return RETAIN_ERR_NOMEM;
    rt_pending *p = &m->fill[m->nqueue++];
    rt_store_key(0, id, id_len, p);
    uint32_t seg = 0; /* without segments, every row's is "", the first */
    bool named = m->opt.segments && segment;
    if (!rt_intern_get(&m->segments, named ? segment : "", named ? segment_len : 0, &seg)) {
        m->nqueue--;
        return RETAIN_ERR_NOMEM;
    }
    p->segment = seg;
    p->start = start;
    p->end = has_end ? end : RT_NO_END;
    p->mrr = amount;
    p->fp = fp;
    p->place = place;
    if (m->opt.ids) { /* one at a time: the id is at hand */
        size_t before = m->store.n;
        if (!flush(m))
            return RETAIN_ERR_NOMEM;
        if (m->store.n > before && !keep_id(m, m->index[0], id, id_len))
            return RETAIN_ERR_NOMEM;
        return RETAIN_OK;
    }
    if (m->nqueue < QUEUE)
        return RETAIN_OK;
    return submit(m) ? RETAIN_OK : RETAIN_ERR_NOMEM;
}

retain_status retain_mrr_add(retain_mrr *m, const char *id, size_t id_len, const char *segment,
                             size_t segment_len, retain_day start, retain_day end, bool has_end,
                             retain_money amount)
{
    return add(m, id, id_len, segment, segment_len, start, end, has_end, amount, 0, 0);
}

unsigned long retain_mrr_duplicates(const retain_mrr *m, uint64_t *place, uint64_t *of)
{
    return rt_rowset_duplicates(&m->dups, place, of);
}

retain_status retain_mrr_add_row(const retain_row *row, void *mrr, retain_diag *diag)
{
    retain_mrr *m = mrr;
    bool seg = m->opt.segments && row->extra;
    retain_money amount = row->has_mrr ? row->mrr : 0;
    retain_status st =
        add(m, row->id, row->id_len, seg ? row->extra[0] : NULL, seg ? row->extra_len[0] : 0,
            row->start, row->end, row->has_end, amount, row->fingerprint, row->place);
    if (st == RETAIN_ERR_DATA && amount < 0) {
        char text[32];
        retain_money_format(amount, -1, text);
        rt_fail(diag, st, row->line, NULL,
                "negative MRR %s: a credit note or a refund is not a subscription", text);
        rt_hint(diag, "leave credit notes and refunds out of the customer table");
    } else if (st != RETAIN_OK) {
        rt_fail(diag, st, row->line, NULL, "%s", retain_status_str(st));
    }
    return st;
}

/* ---- merging ----------------------------------------------------------- */

static bool same_options(const retain_mrr_options *a, const retain_mrr_options *b)
{
    return a->period == b->period && a->has_as_of == b->has_as_of &&
           (!a->has_as_of || a->as_of == b->as_of) && a->has_from == b->has_from &&
           (!a->has_from || a->from == b->from) && a->has_to == b->has_to &&
           (!a->has_to || a->to == b->to) && a->merge_gap == b->merge_gap &&
           a->segments == b->segments && a->ids == b->ids && a->annual == b->annual;
}

/* Pointwise sum of curve x (its segments through map) into curve cv. */
static bool curve_merge(retain_mrr *m, curve *cv, const curve *x, const uint32_t *map)
{
    piece *out = NULL;
    uint32_t cap = 0;
    if (!room(m, &out, &cap, 0, cv->n + x->n ? (size_t)cv->n + x->n : 1))
        return false;
    piece a = {0, 0, 0, 0}, b = a;
    uint32_t i = 0, j = 0, k = 0;
    while (i < cv->n || j < x->n) {
        int32_t day = i < cv->n ? cv->v[i].day : INT32_MAX;
        if (j < x->n && x->v[j].day < day)
            day = x->v[j].day;
        if (i < cv->n && cv->v[i].day == day)
            a = cv->v[i++];
        if (j < x->n && x->v[j].day == day) {
            b = x->v[j++];
            if (b.seg & SERVED)
                b.seg = map[b.seg & SEG_MASK] | SERVED;
        }
        out[k] = a;
        out[k].day = day;
        combine(m, &out[k++], &b);
    }
    if (cv->cap > SMALL)
        free(cv->v);
    else if (cv->cap > 0)
        slot_free(m, cv->v);
    cv->v = out;
    cv->cap = cap;
    cv->n = coalesce(out, k);
    return true;
}

/* How many of customer j's rows in a (*n of them, each with a
 * fingerprint) customer i has in b. */
static size_t shared_rows(const retain_mrr *a, size_t j, const retain_mrr *b, size_t i, size_t *n)
{
    uint64_t fp = a->side[j].fp;
    size_t shared = fp && fp_kept(b, (uint32_t)i, fp);
    *n = fp != 0;
    for (uint32_t r = more_head(a, (uint32_t)j); r; r = a->more.next[r - 1], ++*n)
        shared += fp_kept(b, (uint32_t)i, a->more.fp[r - 1]) != NULL;
    return shared;
}

/* Customer i of m and customer j of x hold exact duplicates of each
 * other's rows: what m is to keep of x's. 1: all of x's rows are among
 * m's (x adds nothing); -1: all of m's are among x's (x's replaces m's);
 * 0: none shared, or each holds rows the other lacks (both added: the
 * shared rows count twice, as retain/mrr.h says). */
static int duplicated(const retain_mrr *m, size_t i, const retain_mrr *x, size_t j)
{
    size_t nx, nm;
    size_t shared = shared_rows(x, j, m, i, &nx);
    if (shared == 0)
        return 0;
    if (shared == nx && !x->unprinted)
        return 1;
    shared_rows(m, i, x, j, &nm);
    return shared == nm && !m->unprinted ? -1 : 0;
}

/* Customer i of m emptied: no row served, a curve of no piece. */
static void clear_customer(retain_mrr *m, size_t i)
{
    rt_customer *c = &m->store.cust[i];
    if (c->more)
        m->curves[c->more - 1].n = 0;
    else
        c->end = c->start;
}

/* Customer j's fingerprints in x into customer i's in m: the copies of a
 * row in both count as duplicates there. False when out of memory. */
static bool merge_rowset(retain_mrr *m, size_t i, const retain_mrr *x, size_t j)
{
    const side *a = &x->side[j];
    if (a->fp && fp_add(m, (uint32_t)i, a->fp, a->place) < 0)
        return false;
    for (uint32_t r = more_head(x, (uint32_t)j); r; r = x->more.next[r - 1])
        if (fp_add(m, (uint32_t)i, x->more.fp[r - 1], x->more.place[r - 1]) < 0)
            return false;
    return true;
}

/* Adds customer j of x into m. */
static bool merge_customer(retain_mrr *m, const retain_mrr *x, size_t j, const uint32_t *map)
{
    const rt_customer *c = &x->store.cust[j];
    rt_pending p = {c->lo, c->hi, map[c->segment], c->start, c->end, x->side[j].mrr, 0, 0};
    uint32_t i;
    bool found;
    if (!rt_store_locate_many(&m->store, &p, 1, &i, &found) || !side_reserve(m, m->store.cap))
        return false;
    if (!found)
        m->side[i] = (side){x->side[j].mrr, 0, 0};
    int dup = found ? duplicated(m, i, x, j) : 0;
    if (!merge_rowset(m, i, x, j))
        return false;
    if (dup > 0)
        return true; /* m has every row of x's already */
    if (dup < 0)
        clear_customer(m, i); /* x's rows hold m's: x's curve replaces m's */
    if (!found) {
        size_t len;
        const char *id = m->opt.ids ? id_of(x, j, &len) : NULL;
        if (id && !keep_id(m, i, id, len))
            return false;
        if (!c->more)
            return true;
    } else if (!c->more) {
        return add_row(m, i, c->start, c->end, x->side[j].mrr, map[c->segment]);
    }
    /* a curve into m's customer: made a curve first unless new */
    curve *cv;
    if (!found) {
        uint32_t k = new_curve(m);
        if (!k)
            return false;
        m->store.cust[i].more = k;
        cv = &m->curves[k - 1];
    } else if (!(cv = as_curve(m, i))) {
        return false;
    }
    return curve_merge(m, cv, &x->curves[c->more - 1], map);
}

retain_status retain_mrr_merge(retain_mrr *m, retain_mrr *x, retain_diag *diag)
{
    if (m->finished || x->finished || !same_options(&m->opt, &x->opt))
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "only unfinished MRR accumulators with the same options merge");
    if (!flush(m) || !flush(x))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    uint32_t *map = malloc(x->segments.n * sizeof *map);
    bool ok = map != NULL;
    for (uint32_t s = 0; ok && s < x->segments.n; s++) {
        size_t len;
        const char *v = rt_intern_str(&x->segments, s, &len);
        ok = rt_intern_get(&m->segments, v, len, &map[s]);
    }
    ok = ok && rt_store_reserve(&m->store, m->store.n + x->store.n);
    /* the duplicates x found within itself, then those across the two */
    const rt_rowset *xd = &x->dups;
    rt_rowset *md = &m->dups;
    if (xd->dups && (md->dups == 0 || xd->dup_place < md->dup_place)) {
        md->dup_place = xd->dup_place;
        md->dup_of = xd->dup_of;
    }
    md->dups += xd->dups;
    for (size_t j = 0; ok && j < x->store.n; j++)
        ok = merge_customer(m, x, j, map);
    free(map);
    if (!ok)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    m->unprinted |= x->unprinted;
    rt_window *w = &m->window;
    const rt_window *v = &x->window;
    if (v->any) {
        w->min_start = !w->any || v->min_start < w->min_start ? v->min_start : w->min_start;
        w->max_start = !w->any || v->max_start > w->max_start ? v->max_start : w->max_start;
        w->any = true;
    }
    if (v->any_ignored) {
        if (!w->any_ignored || v->min_ignored < w->min_ignored)
            w->min_ignored = v->min_ignored;
        w->any_ignored = true;
    }
    if (__builtin_add_overflow(m->total, x->total, &m->total) || m->total > MAX_TOTAL ||
        x->total_overflow)
        m->total_overflow = true;
    m->overflow |= x->overflow;
    return RETAIN_OK;
}

/* ---- finish ------------------------------------------------------------ */

/* Customer i's step function as observed at as-of, with its gaps of at
 * most merge_gap days filled: its pieces (*count of them), the curve's
 * own or made in buf (room for its pieces + 2). */
static const piece *observed(const retain_mrr *m, size_t i, piece *buf, uint32_t *count)
{
    const rt_customer *c = &m->store.cust[i];
    const piece *v = buf;
    uint32_t n = 0;
    if (c->more) {
        const curve *cv = &m->curves[c->more - 1];
        v = cv->v;
        n = cv->n;
    } else if (c->start != c->end) {
        buf[n++] = (piece){c->start, c->segment | SERVED, m->side[i].mrr,
                           m->opt.segments ? m->side[i].mrr : 0};
        if (c->end != RT_NO_END)
            buf[n++] = (piece){c->end, 0, 0, 0};
    }
    while (n && v[n - 1].day > m->as_of)
        n--;
    if (m->opt.merge_gap > 0 && n > 2) {
        if (v != buf)
            memcpy(buf, v, n * sizeof *buf);
        v = buf;
        for (uint32_t k = 1; k + 1 < n; k++) {
            if (!(buf[k].seg & SERVED) && buf[k + 1].day - buf[k].day <= m->opt.merge_gap) {
                int32_t day = buf[k].day;
                buf[k] = buf[k - 1];
                buf[k].day = day;
            }
        }
        n = coalesce(buf, n);
    }
    *count = n;
    return v;
}

/* The piece in force on day, or NULL when none is (not served). */
static const piece *at(const piece *v, uint32_t n, int32_t day)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v[mid].day <= day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &v[lo - 1] : NULL;
}

/* The day of m1 in period q (its last, or as-of). */
static int32_t end_day(const retain_mrr *m, int32_t q)
{
    int32_t d = rt_period_first_day(&m->days, q + 1) - 1;
    return d > m->as_of ? m->as_of : d;
}

/* A customer in a period, from its observed pieces. */
typedef struct {
    int64_t m0, m1;
    uint32_t g0, g1;
    retain_mrr_movement movement;
} change;

static bool compare_days(const retain_mrr *m, const piece *v, uint32_t n, int32_t first_paid,
                         int32_t q, change *out)
{
    int32_t d0 = rt_period_first_day(&m->days, q) - 1;
    const piece *a = at(v, n, d0), *b = at(v, n, end_day(m, q));
    out->m0 = a ? a->mrr : 0;
    out->m1 = b ? b->mrr : 0;
    out->g0 = a && m->opt.segments ? a->seg & SEG_MASK : 0;
    out->g1 = b && m->opt.segments ? b->seg & SEG_MASK : 0;
    if (out->m0 == 0)
        out->movement = first_paid <= d0 ? RETAIN_MRR_REACTIVATION : RETAIN_MRR_NEW;
    else if (out->m1 == 0)
        out->movement = RETAIN_MRR_CHURNED;
    else if (out->g0 != out->g1)
        out->movement = RETAIN_MRR_MOVED;
    else
        out->movement = out->m1 > out->m0   ? RETAIN_MRR_EXPANSION
                        : out->m1 < out->m0 ? RETAIN_MRR_CONTRACTION
                                            : RETAIN_MRR_FLAT;
    return out->m0 > 0 || out->m1 > 0;
}

static int32_t first_paid_day(const piece *v, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        if (v[k].mrr > 0)
            return v[k].day;
    return INT32_MAX;
}

/* Work cells per segment: levels of MRR and of paying customers over
 * periods first - 1 .. last as differences (+ 1 past), movements. */
#define LEVELS(nper) ((nper) + 2)
#define CELLS(nper) (2 * LEVELS(nper) + M_COUNT * (nper))

static void add_customer(const retain_mrr *m, const piece *v, uint32_t n, int64_t *work)
{
    const size_t nper = m->nper;
    for (uint32_t k = 0; k < n; k++) {
        int32_t lo, hi;
        if (v[k].mrr == 0 ||
            !rt_last_days_in(&m->days, v[k].day, k + 1 < n ? v[k + 1].day : RT_NO_END, m->first - 1,
                             m->last, &lo, &hi))
            continue;
        int64_t *w = work + (size_t)(m->opt.segments ? v[k].seg & SEG_MASK : 0) * CELLS(nper);
        w[lo - (m->first - 1)] += v[k].mrr;
        w[hi - (m->first - 1) + 1] -= v[k].mrr;
        w[LEVELS(nper) + lo - (m->first - 1)]++;
        w[LEVELS(nper) + hi - (m->first - 1) + 1]--;
    }
    int32_t first_paid = first_paid_day(v, n), prev = INT32_MIN;
    for (uint32_t k = 0; k < n; k++) {
        int32_t q = rt_day_period(&m->days, v[k].day);
        if (q > m->last)
            break;
        if (q < m->first || q == prev)
            continue;
        prev = q;
        change ch;
        if (!compare_days(m, v, n, first_paid, q, &ch))
            continue;
        size_t p = (size_t)(q - m->first);
        int64_t *w0 = work + (size_t)ch.g0 * CELLS(nper) + 2 * LEVELS(nper) + p * M_COUNT;
        int64_t *w1 = work + (size_t)ch.g1 * CELLS(nper) + 2 * LEVELS(nper) + p * M_COUNT;
        switch (ch.movement) {
        case RETAIN_MRR_NEW:
            w1[M_NEW] += ch.m1;
            break;
        case RETAIN_MRR_REACTIVATION:
            w1[M_REACT] += ch.m1;
            break;
        case RETAIN_MRR_EXPANSION:
            w1[M_EXP] += ch.m1 - ch.m0;
            break;
        case RETAIN_MRR_CONTRACTION:
            w1[M_CONTR] += ch.m0 - ch.m1;
            break;
        case RETAIN_MRR_CHURNED:
            w0[M_CHURN] += ch.m0;
            break;
        case RETAIN_MRR_MOVED:
            w0[M_OUT] += ch.m0;
            w1[M_IN] += ch.m1;
            break;
        case RETAIN_MRR_FLAT:
            break;
        }
    }
}

/* The movement in period q of a customer of one row [s, e) of MRR v > 0
 * into its cells w: new when served on the period's last day and not on
 * the day before, churned when the other way round (it cannot be back,
 * nor move, nor change its MRR). */
static void add_moved(const retain_mrr *m, int32_t s, int32_t e, int64_t v, int32_t q, int64_t *w)
{
    int32_t d0 = rt_period_first_day(&m->days, q) - 1, d1 = end_day(m, q);
    bool on0 = s <= d0 && d0 < e, on1 = s <= d1 && d1 < e;
    int64_t *mv = w + 2 * LEVELS(m->nper) + (size_t)(q - m->first) * M_COUNT;
    if (on1 && !on0)
        mv[M_NEW] += v;
    else if (on0 && !on1)
        mv[M_CHURN] += v;
}

/* What add_customer does for a customer of one inline row of MRR v (its
 * pieces at most two), without making them: its MRR in the levels of the
 * periods whose last day it serves, its movements in those of its start
 * and end. */
static void add_inline(const retain_mrr *m, const rt_customer *c, int64_t v, int64_t *work)
{
    int32_t s = c->start, e = c->end, lo, hi;
    if (s == e || s > m->as_of || v == 0)
        return; /* nothing observed, or nothing paid */
    if (e != RT_NO_END && e > m->as_of)
        e = RT_NO_END; /* the future is unknown */
    int64_t *w = work + (size_t)(m->opt.segments ? c->segment : 0) * CELLS(m->nper);
    if (rt_last_days_in(&m->days, s, e, m->first - 1, m->last, &lo, &hi)) {
        w[lo - (m->first - 1)] += v;
        w[hi - (m->first - 1) + 1] -= v;
        w[LEVELS(m->nper) + lo - (m->first - 1)]++;
        w[LEVELS(m->nper) + hi - (m->first - 1) + 1]--;
    }
    int32_t q = rt_day_period(&m->days, s);
    if (q > m->last)
        return;
    if (q >= m->first)
        add_moved(m, s, e, v, q, w);
    int32_t q1 = e == RT_NO_END ? INT32_MAX : rt_day_period(&m->days, e);
    if (q1 <= m->last && q1 >= m->first && q1 != q)
        add_moved(m, s, e, v, q1, w);
}

/* Customers begin .. end - 1 summed into work, their pieces through buf
 * (room for the most pieces + 2): a part of the finish, for a thread. */
typedef struct {
    const retain_mrr *m;
    size_t begin, end;
    int64_t *work;
    piece *buf;
} fold_part;

static void fold_customers(const fold_part *f)
{
    const retain_mrr *m = f->m;
    for (size_t i = f->begin; i < f->end; i++) {
        const rt_customer *c = &m->store.cust[i];
        if (!c->more)
            add_inline(m, c, m->side[i].mrr, f->work);
        else {
            uint32_t n;
            const piece *v = observed(m, i, f->buf, &n);
            add_customer(m, v, n, f->work);
        }
        /* a curve's pieces a few customers ahead are read meanwhile */
        const rt_customer *ahead = i + 16 < f->end ? &m->store.cust[i + 16] : NULL;
        if (ahead && ahead->more)
            __builtin_prefetch(m->curves[ahead->more - 1].v);
    }
}

static bool fold_batch(void *ctx, void *part, size_t n)
{
    (void)ctx;
    (void)n;
    fold_customers(part);
    return true;
}

/* Sums every customer into work (cells of it): the second half on a
 * second thread (idle once the reading is over) into cells of its own,
 * added after, when there are enough customers and a thread starts. The
 * sums are of integers: the same whatever the split. False when out of
 * memory. */
static bool fold_all(const retain_mrr *m, int64_t *work, size_t cells, size_t cap)
{
    size_t n = m->store.n;
    piece *buf = malloc((cap + 2) * sizeof *buf);
    if (!buf)
        return false;
    fold_part *half = n >= 4096 && cells <= 1u << 20 ? malloc(sizeof *half) : NULL;
    fold_part *spare = half ? malloc(sizeof *spare) : NULL;
    int64_t *cells2 = spare ? calloc(cells, sizeof *cells2) : NULL;
    piece *buf2 = cells2 ? malloc((cap + 2) * sizeof *buf2) : NULL;
    rt_worker *w = buf2 ? rt_worker_start(fold_batch, NULL, spare) : NULL;
    if (!w) {
        free(spare);
        free(half);
    }
    size_t cut = n;
    if (w) {
        cut = n / 2;
        *half = (fold_part){m, cut, n, cells2, buf2};
        void *b = half;
        rt_worker_submit(w, &b, 1); /* b: the spare, given back */
        free(b);
    }
    fold_customers(&(fold_part){m, 0, cut, work, buf});
    rt_worker_end(&w); /* and frees the half */
    for (size_t i = 0; cut < n && i < cells; i++)
        work[i] += cells2[i];
    free(cells2);
    free(buf2);
    free(buf);
    return true;
}

static retain_status range(retain_mrr *m, retain_diag *diag)
{
    const retain_mrr_options *o = &m->opt;
    retain_status st = rt_report_periods(o->period, m->window.min_start, m->as_of, o->has_from,
                                         o->from, o->has_to, o->to, &m->first, &m->last, diag);
    if (st != RETAIN_OK)
        return st;
    m->nper = (size_t)(m->last - m->first + 1);
    return rt_table_check(m->segments.n, m->nper, "lines", o->period, m->first, m->last, true,
                          diag);
}

/* The table's lines from the work cells. */
static void fill_rows(retain_mrr *m, const int64_t *work)
{
    const int64_t scale = m->opt.annual ? 12 : 1;
    for (size_t g = 0; g < m->segments.n; g++) {
        const int64_t *w = work + g * CELLS(m->nper);
        int64_t level = w[0], count = w[LEVELS(m->nper)];
        for (size_t p = 0; p < m->nper; p++) {
            retain_mrr_row *r = &m->rows[g * m->nper + p];
            const int64_t *mv = w + 2 * LEVELS(m->nper) + p * M_COUNT;
            r->period = m->first + (int32_t)p;
            r->mrr_start = level * scale;
            r->customers_start = count;
            level += w[p + 1];
            count += w[LEVELS(m->nper) + p + 1];
            r->mrr_end = level * scale;
            r->customers_end = count;
            r->new_mrr = mv[M_NEW] * scale;
            r->expansion = mv[M_EXP] * scale;
            r->reactivation = mv[M_REACT] * scale;
            r->contraction = mv[M_CONTR] * scale;
            r->churned = mv[M_CHURN] * scale;
            r->moved_in = mv[M_IN] * scale;
            r->moved_out = mv[M_OUT] * scale;
        }
    }
}

retain_status retain_mrr_finish(retain_mrr *m, retain_diag *diag)
{
    if (m->finished)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "the MRR accumulator is finished already");
    retain_status st = rt_merge_gap_check(m->opt.merge_gap, diag);
    if (st != RETAIN_OK)
        return st;
    if (!flush(m))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    if (m->overflow)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "a customer's MRR on a day is too large to sum exactly");
    if (m->total_overflow)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "the MRR of all rows adds up to more than %lld: no total of it could be "
                       "exact",
                       (long long)(MAX_TOTAL / RETAIN_MONEY_SCALE));
    st = rt_window_close(&m->window, &m->as_of, diag);
    if (st == RETAIN_OK)
        st = range(m, diag);
    if (st != RETAIN_OK)
        return st;
    size_t nseg = m->segments.n, cells = nseg * CELLS(m->nper);
    int64_t *work = calloc(cells, sizeof *work);
    size_t cap = 0;
    for (size_t i = 0; i < m->ncurves; i++)
        cap = m->curves[i].n > cap ? m->curves[i].n : cap;
    m->order = rt_intern_sorted(&m->segments);
    m->rows = calloc(nseg * m->nper, sizeof *m->rows);
    bool ok = work && m->order && m->rows &&
              rt_day_periods_init(&m->days, m->opt.period, m->window.min_start, m->as_of) &&
              fold_all(m, work, cells, cap);
    if (ok)
        fill_rows(m, work);
    free(work);
    if (!ok)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    m->finished = true;
    return RETAIN_OK;
}

/* ---- results ----------------------------------------------------------- */

size_t retain_mrr_segments(const retain_mrr *m)
{
    return m->finished ? m->segments.n : 0;
}

const char *retain_mrr_segment(const retain_mrr *m, size_t segment, size_t *len)
{
    return rt_intern_str(&m->segments, m->order[segment], len);
}

size_t retain_mrr_periods(const retain_mrr *m)
{
    return m->finished ? m->nper : 0;
}

void retain_mrr_get(const retain_mrr *m, size_t segment, size_t period, retain_mrr_row *row)
{
    *row = m->rows[(size_t)m->order[segment] * m->nper + period];
}

bool retain_mrr_nrr_pct(const retain_mrr_row *r, int decimals, char *buf)
{
    return retain_format_ratio(r->mrr_start + r->expansion - r->contraction - r->churned,
                               r->mrr_start, 100, decimals, buf);
}

bool retain_mrr_grr_pct(const retain_mrr_row *r, int decimals, char *buf)
{
    return retain_retention_pct(r->mrr_start, r->mrr_start - r->contraction - r->churned, 0,
                                decimals, buf);
}

bool retain_mrr_revenue_churn_pct(const retain_mrr_row *r, int decimals, char *buf)
{
    return retain_churn_pct(r->mrr_start, r->mrr_start - r->contraction - r->churned, 0, decimals,
                            buf);
}

bool retain_mrr_quick_ratio(const retain_mrr_row *r, int decimals, char *buf)
{
    return retain_format_ratio(r->new_mrr + r->reactivation + r->expansion,
                               r->contraction + r->churned, 1, decimals, buf);
}

retain_day retain_mrr_as_of(const retain_mrr *m)
{
    return m->as_of;
}

bool retain_mrr_partial(const retain_mrr *m, retain_day *last_day)
{
    retain_day p1 = retain_period_last_day(m->opt.period, m->last);
    if (last_day)
        *last_day = p1;
    return m->finished && m->as_of < p1;
}

size_t retain_mrr_customers(const retain_mrr *m)
{
    return m->store.n;
}

size_t retain_mrr_bytes(const retain_mrr *m)
{
    const fp_more *t = &m->more;
    size_t b = rt_store_bytes(&m->store) + m->store.n * sizeof *m->side +
               t->n * (sizeof *t->fp + sizeof *t->place + sizeof *t->next) +
               m->curves_cap * sizeof *m->curves + m->ids.cap;
    if (m->opt.ids)
        b += m->store.n * sizeof *m->id_at;
    /* the slots taken (the last slab's others are address space only) */
    if (m->nslabs)
        b += ((m->nslabs - 1) * (size_t)SLAB_SLOTS + m->slab_used) * SMALL * sizeof(piece);
    for (size_t i = 0; i < m->ncurves; i++)
        b += m->curves[i].cap > SMALL ? m->curves[i].cap * sizeof(piece) : 0;
    return b;
}

const char *retain_mrr_movement_name(retain_mrr_movement movement)
{
    static const char *const names[] = {"flat",        "new",     "reactivation", "expansion",
                                        "contraction", "churned", "moved"};
    return (unsigned)movement < sizeof names / sizeof names[0] ? names[movement] : "";
}

static int by_id(const void *a, const void *b, void *user)
{
    const retain_mrr *m = user;
    size_t la, lb;
    const char *sa = id_of(m, *(const uint32_t *)a, &la);
    const char *sb = id_of(m, *(const uint32_t *)b, &lb);
    int c = memcmp(sa, sb, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

retain_status retain_mrr_customers_each(const retain_mrr *m, retain_mrr_customer_fn fn, void *user)
{
    if (!m->finished || !m->opt.ids)
        return RETAIN_ERR_USAGE;
    uint32_t *idx = malloc((m->store.n ? m->store.n : 1) * sizeof *idx);
    size_t cap = 0;
    for (size_t i = 0; i < m->ncurves; i++)
        cap = m->curves[i].n > cap ? m->curves[i].n : cap;
    piece *buf = malloc((cap + 2) * sizeof *buf);
    retain_status st = idx && buf ? RETAIN_OK : RETAIN_ERR_NOMEM;
    for (size_t i = 0; st == RETAIN_OK && i < m->store.n; i++)
        idx[i] = (uint32_t)i;
    if (st == RETAIN_OK)
        qsort_r(idx, m->store.n, sizeof *idx, by_id, (void *)m);
    const int64_t scale = m->opt.annual ? 12 : 1;
    for (size_t k = 0; st == RETAIN_OK && k < m->store.n; k++) {
        uint32_t n;
        const piece *v = observed(m, idx[k], buf, &n);
        if (n == 0)
            continue;
        int32_t first_paid = first_paid_day(v, n);
        int32_t q = rt_day_period(&m->days, v[0].day);
        retain_mrr_customer out = {0};
        out.id = id_of(m, idx[k], &out.id_len);
        for (q = q > m->first ? q : m->first; st == RETAIN_OK && q <= m->last; q++) {
            change ch;
            if (!compare_days(m, v, n, first_paid, q, &ch))
                continue;
            out.period = q;
            out.m0 = ch.m0 * scale;
            out.m1 = ch.m1 * scale;
            out.movement = ch.movement;
            out.segment = rt_intern_str(&m->segments, ch.m1 ? ch.g1 : ch.g0, &out.segment_len);
            out.from_segment = rt_intern_str(&m->segments, ch.g0, &out.from_segment_len);
            if (ch.movement != RETAIN_MRR_MOVED)
                out.from_segment_len = 0;
            st = fn(&out, user);
        }
    }
    free(idx);
    free(buf);
    return st;
}
