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
#include "lives_fold.h"
#include "store.h"
#include "window.h"
#include "worker.h"

#define SERVING 0x80000000u /* in a life's segment word: a row serving its first day decided */
#define SEG_MASK 0x7FFFFFFFu

/* A customer's first life is in its rt_customer (start, end, segment
 * word; more = the link to its first record), and the fingerprint and
 * place of its first row beside it (attrs.fp, .place_lo, .place_hi). Each
 * further life is a life record, holding the fingerprint of the row that
 * started it (0: none), and each further distinct row merged into a life
 * is a row record (fingerprint and place only, 20 bytes): the customer's
 * chain links both kinds. */
#define ROW_REC 0x80000000u /* in a link: to a row record, not a life record */

/* Fingerprints and places as 32-bit halves (4-byte aligned records). */
static uint64_t get64(const uint32_t v[2])
{
    return (uint64_t)v[1] << 32 | v[0];
}

static void set64(uint32_t v[2], uint64_t x)
{
    v[0] = (uint32_t)x;
    v[1] = (uint32_t)(x >> 32);
}

typedef struct {
    uint32_t link; /* to the customer's next record: index + 1 (| ROW_REC); 0 ends */
    int32_t start, end;
    uint32_t seg; /* segment index | SERVING */
    uint32_t fp[2], place[2];
} life_rec;

typedef struct {
    uint32_t link;
    uint32_t fp[2], place[2];
} row_rec;

/* Per-life summaries beside the records, present only when asked for. */
typedef struct {
    int64_t *mrr;     /* first-day MRR (mrr or segments), unless packed */
    uint32_t *mrr_lo; /* packed: its low 32 bits (see retain_lives.packed) */
    int64_t *best;    /* MRR of the deciding row (segments) */
    uint32_t *reason; /* reason index of the row ending the life (reasons) */
    /* Of customers only, from the first row with a fingerprint on
     * (retain_lives.fps; 0 for a customer whose first row has none): its
     * first row's fingerprint and place, whose upper half is in the
     * segment word when that is spare (retain_lives.seg_spare), else
     * an index into retain_lives.his (place_key) while they are few, else
     * in place_hi. */
    uint64_t *fp;
    uint32_t *place_lo, *place_hi;
    uint16_t *place_key;
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
    /* With the MRR and no segments, the segment word of a customer's first
     * life holds, beside SERVING, 31 bits of its MRR: while every such MRR
     * is a whole number of cents below 10,737,418.24 in size (cents), the
     * MRR in cents, nothing else (0 bytes a customer instead of 8); past
     * that, the upper 31 bits of the MRR, and cattr.mrr_lo the lower 32 (4
     * bytes). An MRR outside 63 bits (beyond 4.6e12 in currency units: no
     * real table has one) unpacks them for good into cattr.mrr. */
    bool packed, cents;
    /* Without the MRR and segments, nothing reads a life's segment word:
     * a customer's holds the upper half of its first row's place. */
    bool seg_spare;
    bool fps; /* cattr.fp and its places are kept */
    /* The distinct upper halves of the customers' first places (a file
     * and a chunk of it: a few thousand in a large file), while there are
     * at most HIS_MAX: 2 bytes a customer (cattr.place_key) instead of 4.
     * his_slots: their index + 1 by a hash, 0 free. */
    uint32_t *his, *his_slots;
    size_t nhis, his_mask;
    uint32_t his_last; /* index of the last one asked for */
    rt_store store;
    rt_intern segments, reasons;
    rt_rowset rows;     /* exact duplicate rows: the counts only (the rows are in the chains) */
    attrs cattr, xattr; /* of customers' first lives, of the further ones */
    life_rec *extra;
    size_t nextra, extra_cap;
    uint32_t free_list; /* index + 1 of a life record freed by a merge (linked by link) */
    row_rec *rowx;      /* never freed: a row stays distinct */
    size_t nrowx, rowx_cap;
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
    l->packed = l->cents = options->mrr && !options->segments;
    l->seg_spare = !l->with_mrr;
    rt_store_init(&l->store);
    rt_intern_init(&l->segments);
    rt_intern_init(&l->reasons);
    rt_window_init(&l->window, options->has_as_of, options->as_of);
    return l;
}

static void attrs_free(attrs *a)
{
    free(a->mrr);
    free(a->mrr_lo);
    free(a->fp);
    free(a->place_lo);
    free(a->place_hi);
    free(a->place_key);
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
    free(l->rowx);
    free(l->his);
    free(l->his_slots);
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
    bool packed = l->packed && a == &l->cattr, fps = l->fps && a == &l->cattr;
    if ((packed && !l->cents && !grow((void **)&a->mrr_lo, sizeof *a->mrr_lo, n)) ||
        (fps && (!grow((void **)&a->fp, sizeof *a->fp, n) ||
                 !grow((void **)&a->place_lo, sizeof *a->place_lo, n) ||
                 (a->place_key && !grow((void **)&a->place_key, sizeof *a->place_key, n)) ||
                 (a->place_hi && !grow((void **)&a->place_hi, sizeof *a->place_hi, n)))) ||
        (l->with_mrr && !packed && !l->cents && !grow((void **)&a->mrr, sizeof *a->mrr, n)) ||
        (l->opt.segments && !grow((void **)&a->best, sizeof *a->best, n)) ||
        (l->opt.reasons && !grow((void **)&a->reason, sizeof *a->reason, n)))
        return false;
    a->cap = n;
    return true;
}

retain_status retain_lives_reserve(retain_lives *l, size_t customers)
{
    if (!rt_worker_wait(l->worker) || !rt_store_reserve(&l->store, customers) ||
        !attrs_reserve(l, &l->cattr, l->store.cap))
        return RETAIN_ERR_NOMEM;
    return RETAIN_OK;
}

/* ---- reading and writing lives ---------------------------------------- */

#define CENT (RETAIN_MONEY_SCALE / 100)
#define CENTS_MAX ((int64_t)1 << 30) /* 31 bits, signed */

/* The packed MRR of customer i's first life. */
static int64_t packed_mrr(const retain_lives *l, size_t i)
{
    int32_t hi = (int32_t)(l->store.cust[i].segment << 1) >> 1; /* 31 bits, signed */
    if (l->cents)
        return (int64_t)hi * CENT;
    return (int64_t)((uint64_t)(int64_t)hi << 32 | l->cattr.mrr_lo[i]);
}

/* Whether a first-day MRR fits the segment word in cents. */
static bool in_cents(int64_t mrr)
{
    return mrr % CENT == 0 && mrr / CENT >= -CENTS_MAX && mrr / CENT < CENTS_MAX;
}

/* Leaves cents: every customer's MRR into the upper 31 bits of its
 * segment word and cattr.mrr_lo. */
static bool uncents(retain_lives *l)
{
    attrs *a = &l->cattr;
    if (!grow((void **)&a->mrr_lo, sizeof *a->mrr_lo, a->cap ? a->cap : 1))
        return false;
    attrs *x = &l->xattr;
    if (!grow((void **)&x->mrr, sizeof *x->mrr, x->cap ? x->cap : 1))
        return false;
    for (size_t i = 0; i < l->store.n; i++) {
        int64_t mrr = packed_mrr(l, i);
        uint32_t *seg = &l->store.cust[i].segment;
        *seg = (*seg & SERVING) | ((uint32_t)((uint64_t)mrr >> 32) & SEG_MASK);
        a->mrr_lo[i] = (uint32_t)mrr;
    }
    for (size_t i = 0; i < l->nextra; i++) { /* freed records too: harmless */
        uint32_t *seg = &l->extra[i].seg;
        x->mrr[i] = (int64_t)((int32_t)(*seg << 1) >> 1) * CENT;
        *seg &= SERVING;
    }
    l->cents = false;
    return true;
}

/* Leaves packing: every customer's MRR into cattr.mrr. */
static bool unpack(retain_lives *l)
{
    attrs *a = &l->cattr;
    if (!grow((void **)&a->mrr, sizeof *a->mrr, a->cap ? a->cap : 1))
        return false;
    for (size_t i = 0; i < l->store.n; i++) {
        a->mrr[i] = packed_mrr(l, i);
        l->store.cust[i].segment &= SERVING;
    }
    free(a->mrr_lo);
    a->mrr_lo = NULL;
    l->packed = l->cents = false;
    return true;
}

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
        v->seg = l->seg_spare ? 0 : c->segment;
    }
    if (l->cents) {
        v->mrr = (int64_t)((int32_t)(v->seg << 1) >> 1) * CENT;
        v->seg &= SERVING;
    } else if (!x && l->packed) {
        v->seg &= SERVING;
        v->mrr = packed_mrr(l, i);
    } else {
        v->mrr = l->with_mrr ? a->mrr[i] : 0;
    }
    v->best = l->opt.segments ? a->best[i] : 0;
    v->reason = l->opt.reasons ? a->reason[i] : 0;
}

/* False when out of memory (unpacking). */
static bool save(retain_lives *l, uint32_t cust, uint32_t x, const life *v)
{
    if (l->cents && !in_cents(v->mrr) && !uncents(l))
        return false;
    if (!x && l->packed && (v->mrr < -((int64_t)1 << 62) || v->mrr >= (int64_t)1 << 62) &&
        !unpack(l))
        return false;
    attrs *a = x ? &l->xattr : &l->cattr;
    size_t i = x ? x - 1 : cust;
    uint32_t seg = v->seg;
    if (l->cents)
        seg = (seg & SERVING) | ((uint32_t)(v->mrr / CENT) & SEG_MASK);
    else if (!x && l->packed)
        seg = (seg & SERVING) | ((uint32_t)((uint64_t)v->mrr >> 32) & SEG_MASK);
    if (x) {
        life_rec *r = &l->extra[i];
        r->start = v->start;
        r->end = v->end;
        r->seg = seg;
    } else {
        rt_customer *c = &l->store.cust[i];
        c->start = v->start;
        c->end = v->end;
        if (!l->seg_spare)
            c->segment = seg;
    }
    if (!l->cents && !x && l->packed)
        a->mrr_lo[i] = (uint32_t)v->mrr;
    else if (!l->cents && l->with_mrr)
        a->mrr[i] = v->mrr;
    if (l->opt.segments)
        a->best[i] = v->best;
    if (l->opt.reasons)
        a->reason[i] = v->reason;
    return true;
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

/* The link field of the record a link points to. */
static uint32_t *link_at(retain_lives *l, uint32_t link)
{
    return link & ROW_REC ? &l->rowx[(link & ~ROW_REC) - 1].link : &l->extra[link - 1].link;
}

static uint32_t next_link(const retain_lives *l, uint32_t link)
{
    return link & ROW_REC ? l->rowx[(link & ~ROW_REC) - 1].link : l->extra[link - 1].link;
}

/* Room for n more row records; false when out of memory. */
static bool rows_reserve(retain_lives *l, size_t n)
{
    if (l->rowx_cap - l->nrowx >= n)
        return true;
    size_t cap = l->rowx_cap ? 2 * l->rowx_cap : 1024;
    while (cap - l->nrowx < n)
        cap *= 2;
    if (cap > ~ROW_REC || !grow((void **)&l->rowx, sizeof *l->rowx, cap))
        return false; /* indices are 31-bit */
    l->rowx_cap = cap;
    return true;
}

/* A new row record (room made before) of fingerprint fp at place, linked
 * to next; its link. */
static uint32_t new_row(retain_lives *l, uint64_t fp, uint64_t place, uint32_t next)
{
    row_rec *r = &l->rowx[l->nrowx++];
    r->link = next;
    set64(r->fp, fp);
    set64(r->place, place);
    return (uint32_t)l->nrowx | ROW_REC;
}

/* A new life record at the head of customer i's chain, started by a row
 * of fingerprint fp (0: none) at place; its index + 1, 0 when out of
 * memory. */
static uint32_t new_life(retain_lives *l, uint32_t i, uint64_t fp, uint64_t place)
{
    uint32_t x = l->free_list;
    if (x) {
        l->free_list = l->extra[x - 1].link;
    } else {
        if (l->nextra == l->extra_cap) {
            size_t cap = l->extra_cap ? 2 * l->extra_cap : 1024;
            if (cap > ~ROW_REC || !grow((void **)&l->extra, sizeof *l->extra, cap) ||
                !attrs_reserve(l, &l->xattr, cap))
                return 0; /* indices are 31-bit */
            l->extra_cap = cap;
        }
        x = (uint32_t)++l->nextra;
    }
    rt_customer *c = &l->store.cust[i];
    life_rec *r = &l->extra[x - 1];
    r->link = c->more;
    set64(r->fp, fp);
    set64(r->place, place);
    c->more = x;
    return x;
}

/* Adds row r (of fingerprint fp at place; 0: none) to customer i, which
 * has lives already. */
static bool add_to_customer(retain_lives *l, uint32_t i, life *r, uint64_t fp, uint64_t place)
{
    const int32_t gap = l->opt.merge_gap;
    const int32_t r0 = r->start, r1 = r->end; /* the row alone: lives meet it or not */
    /* room for the row's record and for one per life record it merges
     * (their rows' fingerprints stay): none grows during the walk */
    size_t records = 1;
    for (uint32_t x = l->store.cust[i].more; x; x = next_link(l, x))
        records += !(x & ROW_REC);
    if (!rows_reserve(l, records))
        return false;
    rt_customer *c = &l->store.cust[i];
    bool into_first = meet(c->start, c->end, r0, r1, gap);
    if (into_first) {
        life v;
        load(l, i, 0, &v);
        absorb(l, r, &v);
    }
    uint32_t *at = &c->more; /* the link to the record x */
    for (uint32_t x = *at; x; x = *at) {
        if ((x & ROW_REC) || !meet(l->extra[x - 1].start, l->extra[x - 1].end, r0, r1, gap)) {
            at = link_at(l, x);
            continue;
        }
        life_rec *rec = &l->extra[x - 1];
        life v;
        load(l, i, x, &v);
        absorb(l, r, &v);
        uint64_t its = get64(rec->fp);
        *at = its ? new_row(l, its, get64(rec->place), rec->link) : rec->link;
        rec->link = l->free_list; /* free for reuse */
        l->free_list = x;
        l->nlives--;
    }
    if (into_first) {
        if (fp)
            c->more = new_row(l, fp, place, c->more);
        return save(l, i, 0, r);
    }
    uint32_t x = new_life(l, i, fp, place);
    if (!x)
        return false;
    save(l, i, x, r);
    l->nlives++;
    return true;
}

#define HIS_MAX 65536

/* The index of an upper half of a place among l->his, added when new; -1
 * past HIS_MAX, -2 when out of memory. */
static long his_index(retain_lives *l, uint32_t hi)
{
    if (l->nhis && l->his[l->his_last] == hi)
        return l->his_last; /* rows come by chunk: mostly the last one's */
    if (2 * (l->nhis + 1) > l->his_mask + 1) {
        if (l->nhis == HIS_MAX)
            return -1;
        size_t size = l->his_slots ? 2 * (l->his_mask + 1) : 64;
        uint32_t *slots = calloc(size, sizeof *slots);
        uint32_t *his = slots ? realloc(l->his, size / 2 * sizeof *his) : NULL;
        if (!his) {
            free(slots);
            return -2;
        }
        for (size_t k = 0; k < l->nhis; k++) {
            size_t pos = (size_t)(his[k] * 0x9E3779B1u) & (size - 1);
            while (slots[pos])
                pos = (pos + 1) & (size - 1);
            slots[pos] = (uint32_t)k + 1;
        }
        free(l->his_slots);
        l->his_slots = slots;
        l->his = his;
        l->his_mask = size - 1;
    }
    size_t pos = (size_t)(hi * 0x9E3779B1u) & l->his_mask;
    for (; l->his_slots[pos]; pos = (pos + 1) & l->his_mask)
        if (l->his[l->his_slots[pos] - 1] == hi)
            return l->his_last = l->his_slots[pos] - 1;
    l->his[l->nhis] = hi;
    l->his_slots[pos] = (uint32_t)++l->nhis;
    return l->his_last = (uint32_t)(l->nhis - 1);
}

/* Past HIS_MAX upper halves: every customer's into place_hi. */
static bool widen_places(retain_lives *l)
{
    attrs *a = &l->cattr;
    uint32_t *hi = malloc((a->cap ? a->cap : 1) * sizeof *hi);
    if (!hi)
        return false;
    for (size_t i = 0; i < l->store.n; i++)
        hi[i] = l->his[a->place_key[i]];
    a->place_hi = hi;
    free(a->place_key);
    a->place_key = NULL;
    return true;
}

/* The fingerprints of customers' first rows, kept from now on: 0 (none)
 * for the customers before. False when out of memory. */
static bool keep_fingerprints(retain_lives *l)
{
    attrs *a = &l->cattr;
    size_t n = a->cap ? a->cap : 1;
    a->fp = calloc(n, sizeof *a->fp);
    a->place_lo = calloc(n, sizeof *a->place_lo);
    a->place_key = l->seg_spare ? NULL : calloc(n, sizeof *a->place_key);
    /* key 0, that of the customers before: upper half 0 */
    l->fps = a->fp && a->place_lo && (l->seg_spare || (a->place_key && his_index(l, 0) == 0));
    if (!l->fps) {
        free(a->fp);
        free(a->place_lo);
        free(a->place_key);
        a->fp = NULL;
        a->place_lo = NULL;
        a->place_key = NULL;
    }
    return l->fps;
}

static uint64_t first_place(const retain_lives *l, uint32_t i)
{
    const attrs *a = &l->cattr;
    uint32_t hi = l->seg_spare   ? l->store.cust[i].segment
                  : a->place_key ? l->his[a->place_key[i]]
                                 : a->place_hi[i];
    return (uint64_t)hi << 32 | a->place_lo[i];
}

/* False when out of memory. */
static bool set_first_place(retain_lives *l, uint32_t i, uint64_t place)
{
    attrs *a = &l->cattr;
    uint32_t hi = (uint32_t)(place >> 32);
    a->place_lo[i] = (uint32_t)place;
    if (l->seg_spare) {
        l->store.cust[i].segment = hi;
        return true;
    }
    long key = a->place_key ? his_index(l, hi) : -1;
    if (key == -2 || (key == -1 && a->place_key && !widen_places(l)))
        return false;
    if (key >= 0)
        a->place_key[i] = (uint16_t)key;
    else
        a->place_hi[i] = hi;
    return true;
}

/* Whether row p (with a fingerprint) repeats one of customer i's rows
 * (then counted): 1 when it does, 0 when not, -1 when out of memory. */
static int repeats(retain_lives *l, uint32_t i, const rt_pending *p)
{
    if (l->cattr.fp[i] == p->fp) {
        uint64_t kept = first_place(l, i);
        rt_rowset_count(&l->rows, p->place, &kept);
        return set_first_place(l, i, kept) ? 1 : -1;
    }
    for (uint32_t x = l->store.cust[i].more; x; x = next_link(l, x)) {
        uint32_t *fp = x & ROW_REC ? l->rowx[(x & ~ROW_REC) - 1].fp : l->extra[x - 1].fp;
        uint32_t *at = x & ROW_REC ? l->rowx[(x & ~ROW_REC) - 1].place : l->extra[x - 1].place;
        if (get64(fp) == p->fp) {
            uint64_t kept = get64(at);
            rt_rowset_count(&l->rows, p->place, &kept);
            set64(at, kept);
            return 1;
        }
    }
    return 0;
}

/* Adds the n rows of batch b. */
static bool add_batch(void *lives, void *b, size_t n)
{
    retain_lives *l = lives;
    const batch *q = b;
    if (!rt_store_locate_many(&l->store, q->row, n, l->index, l->found) ||
        !attrs_reserve(l, &l->cattr, l->store.cap))
        return false;
    for (size_t k = 0; k < n && !l->fps; k++)
        if (q->row[k].fp && !keep_fingerprints(l))
            return false; /* from the first row with one on */
    for (size_t k = 0; k < n; k++) {
        const rt_pending *p = &q->row[k];
        int dup = 0;
        if (p->fp && !l->found[k]) { /* a new customer's first row: beside it */
            l->cattr.fp[l->index[k]] = p->fp;
            if (!set_first_place(l, l->index[k], p->place))
                return false;
        } else if (p->fp && (dup = repeats(l, l->index[k], p)) != 0) {
            if (dup < 0)
                return false;
            continue; /* an exact duplicate: left out */
        }
        life r = {p->start, p->end, p->segment, p->mrr, p->mrr, q->reason[k]};
        if (!l->found[k]) { /* the record holds the row already */
            if (!save(l, l->index[k], 0, &r))
                return false;
            l->nlives++;
        } else if (!add_to_customer(l, l->index[k], &r, p->fp, p->place)) {
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
        rt_worker_spares(l->worker, sizeof *spare, RT_WORKER_SPARES);
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

/* Calls fn for the lives of customers [from, to). */
static retain_status each_range(const retain_lives *l, size_t from, size_t to, retain_life_fn fn,
                                void *user)
{
    life one, *v = &one;
    size_t cap = 1;
    retain_status st = RETAIN_OK;
    for (size_t i = from; st == RETAIN_OK && i < to; i++) {
        const rt_customer *c = &l->store.cust[i];
        size_t n = 1;
        for (uint32_t x = c->more; x; x = next_link(l, x))
            n += !(x & ROW_REC);
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
        for (uint32_t x = c->more; x; x = next_link(l, x))
            if (!(x & ROW_REC))
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

retain_status retain_lives_each(const retain_lives *l, retain_life_fn fn, void *user)
{
    return each_range(l, 0, l->store.n, fn, user);
}

/* The first customer of part k of parts. */
static size_t part_start(const retain_lives *l, size_t k, size_t parts)
{
    return (size_t)((unsigned __int128)l->store.n * k / parts);
}

retain_status retain_lives_each_part(const retain_lives *l, size_t part, size_t parts,
                                     retain_life_fn fn, void *user)
{
    if (parts == 0 || part >= parts)
        return RETAIN_ERR_USAGE;
    return each_range(l, part_start(l, part, parts), part_start(l, part + 1, parts), fn, user);
}

/* The second half of a fold, on the worker thread. */
typedef struct {
    const retain_lives *l;
    size_t from;
    retain_life_fn fn;
    void *user;
    retain_status st;
} half;

static bool fold_half(void *ctx, void *unused, size_t n)
{
    (void)unused;
    (void)n;
    half *h = ctx;
    h->st = each_range(h->l, h->from, h->l->store.n, h->fn, h->user);
    return true;
}

retain_status rt_lives_fold2(const retain_lives *l, size_t mid, retain_life_fn fn, void *first,
                             void *second)
{
    if (mid == RT_FOLD_HALVES)
        mid = l->store.n < RT_FOLD_SPLIT_MIN ? l->store.n : l->store.n / 2;
    if (mid > l->store.n)
        mid = l->store.n;
    half h = {l, mid, fn, second, RETAIN_OK};
    rt_worker *w = NULL;
    void *spare = malloc(1), *job = malloc(1);
    if (mid < l->store.n && spare && job && (w = rt_worker_start(fold_half, &h, spare))) {
        spare = NULL; /* the worker's */
        if (!rt_worker_submit(w, &job, 1))
            h.st = RETAIN_ERR_NOMEM; /* cannot be: no batch before */
    }
    retain_status st = each_range(l, 0, mid, fn, first);
    if (w)
        rt_worker_end(&w); /* waits for the second half */
    else
        fold_half(&h, NULL, 0); /* no thread: here, after the first */
    free(spare);
    free(job);
    return st != RETAIN_OK ? st : h.st;
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
    /* cents: no MRR beside the lives; packed: 4 bytes of it beside a customer */
    size_t beside = l->cents ? sizeof(int64_t) : 0;
    /* a fingerprint, the place's lower half and, unless the segment word
     * holds it, its upper half or that half's key */
    size_t hi = l->seg_spare         ? 0
                : l->cattr.place_key ? sizeof *l->cattr.place_key
                                     : sizeof *l->cattr.place_hi;
    size_t first = per -
                   (beside      ? beside
                    : l->packed ? sizeof(int64_t) - sizeof(uint32_t)
                                : 0) +
                   (l->fps ? sizeof(uint64_t) + sizeof(uint32_t) + hi : 0);
    return rt_store_bytes(&l->store) + l->store.n * first + l->nhis * 3 * sizeof(uint32_t) +
           l->nextra * (sizeof(life_rec) + per - beside) + l->nrowx * sizeof(row_rec);
}
