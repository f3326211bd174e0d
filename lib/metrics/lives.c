/* Lives: each customer's rows merged, as they arrive, into runs of service.
 *
 * A row [s, e) stands for the closed day range [s, e + gap]; two rows are
 * in one life when their ranges meet (for s <= s': s' <= e + gap, retain-metrics(7)'s
 * "starts on or before the day the service ends", gap 0 included), and a
 * life is a connected set of them. Connectedness does not depend on the
 * order the rows come in, so each customer keeps only its lives merged so
 * far: a new row absorbs every life it meets. What a life must know of its
 * rows is kept as order-free summaries: of the rows starting on its first
 * day, the MRR sum and the deciding (largest MRR, smallest segment) one;
 * of the rows ending it, the reason that wins the tie rule.
 *
 * As-of is applied at the end: rows starting after a given as-of never
 * enter, and when as-of is the latest start every row starts by then, so
 * an end after as-of (made open at the end) can only lengthen a life that
 * already holds as-of: merging and opening commute. */
#include <stdlib.h>
#include <string.h>

#include <retain/lives.h>

#include "internal.h"
#include "store.h"
#include "window.h"
#include "worker.h"

#define SERVING 0x80000000u /* in a life's segment word: a row serving its first day decided */
#define SEG_MASK 0x7FFFFFFFu

/* A life beyond a customer's first (the first lives in its rt_customer:
 * start, end, more = index + 1 of its next life, segment word). */
typedef struct {
    int32_t start, end;
    uint32_t next; /* index + 1 of the customer's next life; 0 ends */
    uint32_t seg;  /* segment index | SERVING */
} life_rec;

/* Per-life summaries beside the records, present only when asked for. */
typedef struct {
    int64_t *mrr;     /* first-day MRR (mrr or segments) */
    int64_t *best;    /* MRR of the deciding row (segments) */
    uint32_t *reason; /* reason index of the row ending the life (reasons) */
    size_t cap;
} attrs;

/* A life being merged. */
typedef struct {
    int32_t start, end;
    uint32_t seg;
    int64_t mrr, best;
    uint32_t reason;
} life;

#define QUEUE 4096 /* rows a batch */

/* Rows waiting to be added. */
typedef struct {
    rt_pending row[QUEUE];
    uint32_t reason[QUEUE];
} batch;

struct retain_lives {
    retain_lives_options opt;
    bool with_mrr; /* mrr or segments */
    rt_store store;
    rt_intern segments, reasons;
    rt_rowset rows;     /* exact duplicate rows */
    attrs cattr, xattr; /* of customers' first lives, of the further ones */
    life_rec *extra;
    size_t nextra, extra_cap;
    uint32_t free_list; /* index + 1 of a record freed by a merge */
    size_t nlives;
    rt_window window;
    bool overflow; /* a first-day MRR sum overflowed */
    /* Rows waiting to be added, in batches; from the first full one on,
     * on a thread of their own (worker) while the caller reads on, unless
     * segments or reasons are kept: merging compares their names, which
     * the caller's adds grow. */
    batch *fill;
    size_t nqueue;
    rt_worker *worker;
    uint32_t index[QUEUE]; /* the batch's customers, found before or not */
    bool found[QUEUE];
    /* results */
    bool finished;
    retain_day as_of;
};

retain_lives *retain_lives_new(const retain_lives_options *options)
{
    retain_lives *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->opt = *options;
    l->with_mrr = options->mrr || options->segments;
    rt_store_init(&l->store);
    rt_intern_init(&l->segments);
    rt_intern_init(&l->reasons);
    rt_window_init(&l->window, options->has_as_of, options->as_of);
    return l;
}

static void attrs_free(attrs *a)
{
    free(a->mrr);
    free(a->best);
    free(a->reason);
}

void retain_lives_free(retain_lives *l)
{
    if (!l)
        return;
    rt_worker_end(&l->worker);
    free(l->fill);
    rt_store_free(&l->store);
    rt_rowset_free(&l->rows);
    rt_intern_free(&l->segments);
    rt_intern_free(&l->reasons);
    attrs_free(&l->cattr);
    attrs_free(&l->xattr);
    free(l->extra);
    free(l);
}

static bool grow(void **p, size_t size, size_t cap)
{
    void *q = realloc(*p, cap * size);
    if (!q)
        return false;
    *p = q;
    return true;
}

/* Room for n entries in the summaries the options ask for. */
static bool attrs_reserve(const retain_lives *l, attrs *a, size_t n)
{
    if (n <= a->cap)
        return true;
    if ((l->with_mrr && !grow((void **)&a->mrr, sizeof *a->mrr, n)) ||
        (l->opt.segments && !grow((void **)&a->best, sizeof *a->best, n)) ||
        (l->opt.reasons && !grow((void **)&a->reason, sizeof *a->reason, n)))
        return false;
    a->cap = n;
    return true;
}

retain_status retain_lives_reserve(retain_lives *l, size_t customers)
{
    if (!rt_worker_wait(l->worker) || !rt_store_reserve(&l->store, customers) ||
        !attrs_reserve(l, &l->cattr, l->store.cap) || !rt_rowset_reserve(&l->rows, customers))
        return RETAIN_ERR_NOMEM;
    return RETAIN_OK;
}

/* ---- reading and writing lives ---------------------------------------- */

static void load(const retain_lives *l, uint32_t cust, uint32_t x, life *v)
{
    const attrs *a = x ? &l->xattr : &l->cattr;
    size_t i = x ? x - 1 : cust;
    if (x) {
        const life_rec *r = &l->extra[i];
        v->start = r->start;
        v->end = r->end;
        v->seg = r->seg;
    } else {
        const rt_customer *c = &l->store.cust[i];
        v->start = c->start;
        v->end = c->end;
        v->seg = c->segment;
    }
    v->mrr = l->with_mrr ? a->mrr[i] : 0;
    v->best = l->opt.segments ? a->best[i] : 0;
    v->reason = l->opt.reasons ? a->reason[i] : 0;
}

static void save(retain_lives *l, uint32_t cust, uint32_t x, const life *v)
{
    attrs *a = x ? &l->xattr : &l->cattr;
    size_t i = x ? x - 1 : cust;
    if (x) {
        life_rec *r = &l->extra[i];
        r->start = v->start;
        r->end = v->end;
        r->seg = v->seg;
    } else {
        rt_customer *c = &l->store.cust[i];
        c->start = v->start;
        c->end = v->end;
        c->segment = v->seg;
    }
    if (l->with_mrr)
        a->mrr[i] = v->mrr;
    if (l->opt.segments)
        a->best[i] = v->best;
    if (l->opt.reasons)
        a->reason[i] = v->reason;
}

/* Whether the closed ranges [start, end + gap] of two lives meet. */
static bool meet(int32_t a0, int32_t a1, int32_t b0, int32_t b1, int32_t gap)
{
    return (int64_t)a0 <= (int64_t)b1 + gap && (int64_t)b0 <= (int64_t)a1 + gap;
}

/* Merges life x into life v (the two meet). */
static void absorb(retain_lives *l, life *v, const life *x)
{
    if (x->start < v->start) {
        v->seg = x->seg;
        v->mrr = x->mrr;
        v->best = x->best;
    } else if (x->start == v->start) {
        bool xs = x->seg & SERVING, vs = v->seg & SERVING;
        if (xs && !vs) {
            v->seg = x->seg;
            v->mrr = x->mrr;
            v->best = x->best;
        } else if (xs == vs) {
            if (__builtin_add_overflow(v->mrr, x->mrr, &v->mrr))
                l->overflow = true;
            if (l->opt.segments &&
                (x->best > v->best ||
                 (x->best == v->best &&
                  rt_intern_compare(&l->segments, x->seg & SEG_MASK, v->seg & SEG_MASK) < 0))) {
                v->seg = x->seg;
                v->best = x->best;
            }
        }
    }
    if (x->start < v->start)
        v->start = x->start;
    if (x->end > v->end) {
        v->end = x->end;
        v->reason = x->reason;
    } else if (x->end == v->end && l->opt.reasons && x->reason != v->reason) {
        size_t lx, lv;
        rt_intern_str(&l->reasons, x->reason, &lx);
        rt_intern_str(&l->reasons, v->reason, &lv);
        if ((lx && !lv) ||
            ((lx > 0) == (lv > 0) && rt_intern_compare(&l->reasons, x->reason, v->reason) < 0))
            v->reason = x->reason;
    }
}

/* A new record for a further life; 0 when out of memory. */
static uint32_t new_record(retain_lives *l)
{
    if (l->free_list) {
        uint32_t x = l->free_list;
        l->free_list = l->extra[x - 1].next;
        return x;
    }
    if (l->nextra == l->extra_cap) {
        size_t cap = l->extra_cap ? 2 * l->extra_cap : 1024;
        if (cap > RT_MAX_CUSTOMERS || !grow((void **)&l->extra, sizeof *l->extra, cap) ||
            !attrs_reserve(l, &l->xattr, cap))
            return 0;
        l->extra_cap = cap;
    }
    return (uint32_t)++l->nextra;
}

/* Adds row r to customer i, which has lives already. */
static bool add_to_customer(retain_lives *l, uint32_t i, life *r)
{
    const int32_t gap = l->opt.merge_gap;
    const int32_t r0 = r->start, r1 = r->end; /* the row alone: lives meet it or not */
    rt_customer *c = &l->store.cust[i];
    if (c->more == 0 && meet(c->start, c->end, r0, r1, gap)) {
        /* the common case: a renewal, a plan change, a duplicate */
        life v;
        load(l, i, 0, &v);
        absorb(l, &v, r);
        save(l, i, 0, &v);
        return true;
    }
    bool into_first = meet(c->start, c->end, r0, r1, gap);
    if (into_first) {
        life v;
        load(l, i, 0, &v);
        absorb(l, r, &v);
    }
    uint32_t *link = &c->more;
    while (*link) {
        uint32_t x = *link;
        life_rec *rec = &l->extra[x - 1];
        if (meet(rec->start, rec->end, r0, r1, gap)) {
            life v;
            load(l, i, x, &v);
            absorb(l, r, &v);
            *link = rec->next; /* unlinked, free for reuse */
            rec->next = l->free_list;
            l->free_list = x;
            l->nlives--;
        } else {
            link = &rec->next;
        }
    }
    if (into_first) {
        save(l, i, 0, r);
        return true;
    }
    uint32_t x = new_record(l);
    if (!x)
        return false;
    c = &l->store.cust[i];
    save(l, i, x, r);
    l->extra[x - 1].next = c->more;
    c->more = x;
    l->nlives++;
    return true;
}

/* Adds the n rows of batch b. */
static bool add_batch(void *lives, void *b, size_t n)
{
    retain_lives *l = lives;
    const batch *q = b;
    if (!rt_store_locate_many(&l->store, q->row, n, l->index, l->found) ||
        !attrs_reserve(l, &l->cattr, l->store.cap))
        return false;
    for (size_t k = 0; k < n; k++) {
        const rt_pending *p = &q->row[k];
        if (p->fp) {
            int kept = rt_rowset_add(&l->rows, l->index[k], l->store.n, p->fp, p->place);
            if (kept < 0)
                return false;
            if (kept == 0) {      /* an exact duplicate: left out */
                if (!l->found[k]) /* cannot be: a new customer has no row yet */
                    return false;
                continue;
            }
        }
        life r = {p->start, p->end, p->segment, p->mrr, p->mrr, q->reason[k]};
        if (!l->found[k]) { /* the record holds the row already */
            save(l, l->index[k], 0, &r);
            l->nlives++;
        } else if (!add_to_customer(l, l->index[k], &r)) {
            return false;
        }
    }
    return true;
}

/* Hands the full batch to the worker (started on the first call when it
 * may be) and takes its idle one; else adds the batch here. */
static bool submit(retain_lives *l)
{
    if (!l->worker && !l->opt.segments && !l->opt.reasons) {
        batch *spare = malloc(sizeof *spare);
        if (spare && !(l->worker = rt_worker_start(add_batch, l, spare)))
            free(spare);
    }
    size_t n = l->nqueue;
    l->nqueue = 0;
    if (!l->worker)
        return add_batch(l, l->fill, n);
    void *b = l->fill;
    bool ok = rt_worker_submit(l->worker, &b, n);
    l->fill = b;
    return ok;
}

static retain_status add(retain_lives *l, const char *id, size_t id_len, const char *segment,
                         size_t segment_len, const char *reason, size_t reason_len,
                         retain_day start, retain_day end, bool has_end, retain_money mrr,
                         uint64_t fp, uint64_t place)
{
    if (l->opt.merge_gap < 0 || l->opt.merge_gap > RETAIN_MERGE_GAP_MAX)
        return RETAIN_ERR_USAGE;
    if (has_end && end < start)
        return RETAIN_ERR_DATA;
    if (!rt_window_keep(&l->window, start))
        return RETAIN_OK; /* not yet a customer on the observation day */
    if (!l->fill && !(l->fill = malloc(sizeof *l->fill)))
        return RETAIN_ERR_NOMEM;
    rt_pending *p = &l->fill->row[l->nqueue];
    rt_store_key(0, id, id_len, p);
    p->start = start;
    p->end = has_end ? end : RT_NO_END;
    uint32_t seg = 0, why = 0;
    if (l->opt.segments &&
        !rt_intern_get(&l->segments, segment ? segment : "", segment ? segment_len : 0, &seg))
        return RETAIN_ERR_NOMEM;
    if (l->opt.reasons &&
        !rt_intern_get(&l->reasons, reason ? reason : "", reason ? reason_len : 0, &why))
        return RETAIN_ERR_NOMEM;
    p->segment = seg | (p->end > start ? SERVING : 0);
    p->mrr = l->with_mrr ? mrr : 0;
    p->fp = fp;
    p->place = place;
    l->fill->reason[l->nqueue++] = why;
    if (l->nqueue < QUEUE)
        return RETAIN_OK;
    return submit(l) ? RETAIN_OK : RETAIN_ERR_NOMEM;
}

retain_status retain_lives_add(retain_lives *l, const char *id, size_t id_len, const char *segment,
                               size_t segment_len, const char *reason, size_t reason_len,
                               retain_day start, retain_day end, bool has_end, retain_money mrr)
{
    return add(l, id, id_len, segment, segment_len, reason, reason_len, start, end, has_end, mrr, 0,
               0);
}

retain_status retain_lives_add_row(retain_lives *l, const char *segment, size_t segment_len,
                                   const char *reason, size_t reason_len, const retain_row *row)
{
    return add(l, row->id, row->id_len, segment, segment_len, reason, reason_len, row->start,
               row->end, row->has_end, row->has_mrr ? row->mrr : 0, row->fingerprint, row->place);
}

unsigned long retain_lives_duplicates(const retain_lives *l, uint64_t *place, uint64_t *of)
{
    return rt_rowset_duplicates(&l->rows, place, of);
}

retain_status retain_lives_finish(retain_lives *l, retain_diag *diag)
{
    retain_status st = rt_merge_gap_check(l->opt.merge_gap, diag);
    if (st != RETAIN_OK)
        return st;
    bool ok = rt_worker_end(&l->worker);
    ok = (!l->fill || add_batch(l, l->fill, l->nqueue)) && ok;
    l->nqueue = 0;
    if (!ok)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    if (l->overflow)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "the MRR of a customer's first day is too large to sum");
    st = rt_window_close(&l->window, &l->as_of, diag);
    if (st != RETAIN_OK)
        return st;
    l->finished = true;
    return RETAIN_OK;
}

static int by_start(const void *a, const void *b)
{
    const life *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

retain_status retain_lives_each(const retain_lives *l, retain_life_fn fn, void *user)
{
    life one, *v = &one;
    size_t cap = 1;
    retain_status st = RETAIN_OK;
    for (size_t i = 0; st == RETAIN_OK && i < l->store.n; i++) {
        const rt_customer *c = &l->store.cust[i];
        size_t n = 1;
        for (uint32_t x = c->more; x; x = l->extra[x - 1].next)
            n++;
        if (n > cap) {
            life *w = realloc(v == &one ? NULL : v, n * sizeof *w);
            if (!w) {
                st = RETAIN_ERR_NOMEM;
                break;
            }
            v = w;
            cap = n;
        }
        load(l, (uint32_t)i, 0, &v[0]);
        n = 1;
        for (uint32_t x = c->more; x; x = l->extra[x - 1].next)
            load(l, (uint32_t)i, x, &v[n++]);
        if (n > 1)
            qsort(v, n, sizeof *v, by_start);
        for (size_t k = 0; st == RETAIN_OK && k < n; k++) {
            retain_life out = {.customer = i, .index = k, .start = v[k].start};
            out.has_end = v[k].end != RT_NO_END && v[k].end <= l->as_of;
            out.end = out.has_end ? v[k].end : l->as_of;
            out.segment = l->opt.segments
                              ? rt_intern_str(&l->segments, v[k].seg & SEG_MASK, &out.segment_len)
                              : "";
            if (l->opt.reasons)
                out.reason = rt_intern_str(&l->reasons, v[k].reason, &out.reason_len);
            out.mrr = v[k].mrr;
            st = fn(&out, user);
        }
    }
    if (v != &one)
        free(v);
    return st;
}

retain_day retain_lives_as_of(const retain_lives *l)
{
    return l->as_of;
}

retain_day retain_lives_first_start(const retain_lives *l)
{
    return l->window.min_start;
}

size_t retain_lives_customers(const retain_lives *l)
{
    return l->store.n;
}

size_t retain_lives_count(const retain_lives *l)
{
    return l->nlives;
}

size_t retain_lives_bytes(const retain_lives *l)
{
    size_t per = (l->with_mrr ? sizeof(int64_t) : 0) + (l->opt.segments ? sizeof(int64_t) : 0) +
                 (l->opt.reasons ? sizeof(uint32_t) : 0);
    return rt_store_bytes(&l->store) + rt_rowset_bytes(&l->rows) + l->store.n * per +
           l->nextra * (sizeof(life_rec) + per);
}
