/* Customer store and string interning: open addressing, linear probing. */
#define _GNU_SOURCE /* qsort_r */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "store.h"
#include "worker.h"

void rt_store_init(rt_store *s)
{
    memset(s, 0, sizeof *s);
}

static bool add_rows(rt_store *s, const rt_pending *rows, size_t n);

static bool add_batch(void *s, void *rows, size_t n)
{
    return add_rows(s, rows, n);
}

/* Hands the full queue to the adder (started on the first call) and
 * takes its idle buffer; without the thread, adds the queue here. */
static bool submit(rt_store *s)
{
    if (!s->adder) {
        rt_pending *spare = malloc(RT_QUEUE_ROWS * sizeof *spare);
        if (spare && !(s->adder = rt_worker_start(add_batch, s, spare)))
            free(spare);
        rt_worker_spares(s->adder, RT_QUEUE_ROWS * sizeof *spare, RT_WORKER_SPARES);
    }
    if (!s->adder) {
        bool ok = add_rows(s, s->queue, s->nqueue);
        s->nqueue = 0;
        return ok;
    }
    void *q = s->queue;
    bool ok = rt_worker_submit(s->adder, &q, s->nqueue);
    s->queue = q;
    s->nqueue = 0;
    return ok;
}

void rt_store_free(rt_store *s)
{
    rt_worker_end(&s->adder);
    free(s->queue);
    for (int i = 0; i < RT_SHARDS; i++)
        free(s->shard[i].slots);
    free(s->cust);
    free(s->extra);
    free(s->mrr);
    free(s->extra_mrr);
    free(s->fp);
    free(s->place);
    free(s->extra_fp);
    free(s->extra_place);
    rt_rowset_free(&s->rows);
    memset(s, 0, sizeof *s);
}

void rt_store_dedup(rt_store *s)
{
    s->dedup = true;
}

void rt_rowset_free(rt_rowset *r)
{
    free(r->head);
    free(r->fp);
    free(r->place);
    free(r->next);
    memset(r, 0, sizeof *r);
}

size_t rt_rowset_bytes(const rt_rowset *r)
{
    return r->head_cap * sizeof *r->head + r->n * (2 * sizeof(uint64_t) + sizeof(uint32_t));
}

unsigned long rt_rowset_duplicates(const rt_rowset *r, uint64_t *place, uint64_t *of)
{
    if (place)
        *place = r->dups ? r->dup_place : 0;
    if (of)
        *of = r->dups ? r->dup_of : 0;
    return r->dups;
}

static bool rowset_heads(rt_rowset *r, size_t cap)
{
    uint32_t *h = realloc(r->head, cap * sizeof *h);
    if (!h)
        return false;
    memset(h + r->head_cap, 0, (cap - r->head_cap) * sizeof *h);
    r->head = h;
    r->head_cap = cap;
    return true;
}

bool rt_row_chains_grow(uint64_t **fp, uint64_t **place, uint32_t **next, size_t cap)
{
    uint64_t *f = realloc(*fp, cap * sizeof *f);
    if (!f)
        return false;
    *fp = f;
    uint64_t *p = realloc(*place, cap * sizeof *p);
    if (!p)
        return false;
    *place = p;
    uint32_t *n = realloc(*next, cap * sizeof *n);
    if (!n)
        return false;
    *next = n;
    return true;
}

static bool rowset_rows(rt_rowset *r, size_t cap)
{
    if (!rt_row_chains_grow(&r->fp, &r->place, &r->next, cap))
        return false;
    r->cap = cap;
    return true;
}

bool rt_rowset_reserve(rt_rowset *r, size_t n)
{
    if (n > RT_MAX_CUSTOMERS)
        return true; /* a hint only */
    return (n <= r->head_cap || rowset_heads(r, n)) && (n <= r->cap || rowset_rows(r, n));
}

int rt_rowset_add(rt_rowset *r, uint32_t cust, size_t ncust, uint64_t fp, uint64_t place)
{
    if (ncust > r->head_cap) {
        size_t cap = r->head_cap ? r->head_cap : 1024;
        while (cap < ncust)
            cap *= 2;
        if (!rowset_heads(r, cap))
            return -1;
    }
    for (uint32_t x = r->head[cust]; x; x = r->next[x - 1]) {
        if (r->fp[x - 1] == fp) {
            rt_rowset_count(r, place, &r->place[x - 1]);
            return 0;
        }
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 1024;
        if (cap > RT_MAX_CUSTOMERS || !rowset_rows(r, cap))
            return -1; /* indices are 32-bit */
    }
    r->fp[r->n] = fp;
    r->place[r->n] = place;
    r->next[r->n] = r->head[cust];
    r->head[cust] = (uint32_t)++r->n;
    return 1;
}

void rt_store_keep_mrr(rt_store *s)
{
    s->keep_mrr = true;
}

size_t rt_store_bytes(const rt_store *s)
{
    /* what is in use: the hash slots, and the customers and extra rows
     * held (the arrays' spare capacity is address space, never touched) */
    size_t bytes =
        s->n * sizeof *s->cust + s->nextra * sizeof *s->extra + rt_rowset_bytes(&s->rows);
    if (s->keep_mrr)
        bytes += (s->n + s->nextra) * sizeof(int64_t);
    if (s->fp)
        bytes += (s->n + s->nextra) * 2 * sizeof(uint64_t);
    for (int i = 0; i < RT_SHARDS; i++)
        bytes += s->shard[i].slots ? (s->shard[i].mask + 1) * sizeof(uint64_t) : 0;
    return bytes;
}

static rt_shard *shard_of(rt_store *s, uint64_t hi)
{
    return &s->shard[hi >> 56];
}

static uint64_t tag_of(uint64_t hi)
{
    return hi << 32; /* the low half of hi; the top byte picked the shard */
}

/* Maps in the pages of a new hash table at once. Every page of it is used
 * (keys spread evenly), and left to faults each would first map the zero
 * page on the probe's read, then copy it on the write, and flush the other
 * core's TLB: a stall for the parsing thread at every page. */
void rt_populate(void *p, size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t e = ((uintptr_t)p + bytes) & ~(page - 1);
    if (page > 1 && e > a)
        (void)madvise((void *)a, e - a, MADV_POPULATE_WRITE); /* a hint: may fail */
#else
    (void)p;
    (void)bytes;
#endif
}

/* Grows the tables beside the customers (MRR, fingerprints and places,
 * those there are) to cap entries; false when out of memory. */
static bool grow_beside(const rt_store *s, int64_t **mrr, uint64_t **fp, uint64_t **place,
                        size_t cap)
{
    if (s->keep_mrr) {
        int64_t *m = realloc(*mrr, cap * sizeof *m);
        if (!m)
            return false;
        *mrr = m;
    }
    if (*fp) {
        uint64_t *f = realloc(*fp, cap * sizeof *f);
        if (!f)
            return false;
        *fp = f;
        uint64_t *p = realloc(*place, cap * sizeof *p);
        if (!p)
            return false;
        *place = p;
    }
    return true;
}

/* Grows a shard's table to hold need customers. Its pages are mapped in
 * here, unless map_later (an empty shard, mapped by the caller). */
static bool grow_shard(rt_store *s, rt_shard *sh, size_t need, bool map_later)
{
    size_t size = sh->slots ? 2 * (sh->mask + 1) : 64;
    while (4 * need > 3 * size)
        size *= 2;
    uint64_t *slots = calloc(size, sizeof *slots);
    if (!slots)
        return false;
    if (!map_later || sh->used > 0) /* the rehash below would read them first */
        rt_populate(slots, size * sizeof *slots);
    for (size_t i = 0; sh->slots && i <= sh->mask; i++) {
        uint64_t slot = sh->slots[i];
        if (!slot)
            continue;
        size_t pos = s->cust[(slot & 0xFFFFFFFFu) - 1].lo & (size - 1);
        while (slots[pos])
            pos = (pos + 1) & (size - 1);
        slots[pos] = slot;
    }
    free(sh->slots);
    sh->slots = slots;
    sh->mask = size - 1;
    return true;
}

/* Shards [from, to) of a populate job, mapped in by map_shards. */
typedef struct {
    rt_store *s;
    int from, to;
    bool *fresh;
} map_job;

static void *map_shards(void *arg)
{
    const map_job *j = arg;
    for (int i = j->from; i < j->to; i++)
        if (j->fresh[i])
            rt_populate(j->s->shard[i].slots, (j->s->shard[i].mask + 1) * sizeof(uint64_t));
    return NULL;
}

bool rt_store_reserve(rt_store *s, size_t n)
{
    if (!rt_worker_wait(s->adder))
        return false;
    /* shards fill evenly: a little room for the spread between them */
    size_t per_shard = n / RT_SHARDS + n / RT_SHARDS / 8 + 16;
    bool fresh[RT_SHARDS] = {false}; /* new tables of empty shards, not mapped in yet */
    bool ok = true, any = false;
    for (int i = 0; i < RT_SHARDS && ok; i++) {
        rt_shard *sh = &s->shard[i];
        if (!sh->slots || 4 * per_shard > 3 * (sh->mask + 1)) {
            fresh[i] = sh->used == 0;
            any = any || fresh[i];
            ok = grow_shard(s, sh, per_shard, true);
        }
    }
    /* The new tables' pages, all of which the customers will use, mapped
     * in on two threads: this is the read's first work after the header,
     * and on one thread the parsing thread would wait for it (tens of
     * milliseconds for millions of customers). */
    map_job half = {s, RT_SHARDS / 2, RT_SHARDS, fresh}, rest = {s, 0, RT_SHARDS / 2, fresh};
    pthread_t other;
    bool two = any && pthread_create(&other, NULL, map_shards, &half) == 0;
    if (!two)
        rest.to = RT_SHARDS;
    map_shards(&rest);
    if (two)
        pthread_join(other, NULL);
    if (!ok)
        return false;
    if (n > s->cap && n <= RT_MAX_CUSTOMERS) {
        rt_customer *c = realloc(s->cust, n * sizeof *c);
        if (!c)
            return false;
        s->cust = c;
        if (!grow_beside(s, &s->mrr, &s->fp, &s->place, n))
            return false; /* cap unchanged: the next add grows them all */
        s->cap = n;
    }
    return true;
}

void rt_store_key(uint32_t segment, const char *id, size_t id_len, rt_pending *p)
{
    XXH128_hash_t h = XXH3_128bits_withSeed(id, id_len, segment);
    p->lo = h.low64;
    p->hi = h.high64;
    p->segment = segment;
}

/* Adds a new customer with p as its first row (more = 0, key p's). */
static bool append_customer(rt_store *s, const rt_pending *p)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        if (cap > RT_MAX_CUSTOMERS)
            cap = RT_MAX_CUSTOMERS;
        if (s->n >= cap)
            return false; /* indices are 32-bit */
        rt_customer *c = realloc(s->cust, cap * sizeof *c);
        if (!c)
            return false;
        s->cust = c;
        if (!grow_beside(s, &s->mrr, &s->fp, &s->place, cap))
            return false;
        s->cap = cap;
    }
    if (s->keep_mrr)
        s->mrr[s->n] = p->mrr;
    if (s->fp) {
        s->fp[s->n] = p->fp;
        s->place[s->n] = p->place;
    }
    rt_customer *c = &s->cust[s->n++];
    c->lo = p->lo;
    c->hi = p->hi;
    c->start = p->start;
    c->end = p->end;
    c->more = 0;
    c->segment = p->segment;
    return true;
}

/* Finds the customer of p, or adds it with p as its first row (more = 0).
 * *index receives its index; *found whether it was there. */
static bool locate(rt_store *s, const rt_pending *p, uint32_t *index, bool *found)
{
    rt_shard *sh = shard_of(s, p->hi);
    if (!sh->slots || 4 * (sh->used + 1) > 3 * (sh->mask + 1)) {
        if (!grow_shard(s, sh, sh->used + 1, false))
            return false;
    }
    uint64_t tag = tag_of(p->hi);
    size_t pos = (size_t)p->lo & sh->mask;
    for (;;) {
        uint64_t slot = sh->slots[pos];
        if (slot == 0)
            break;
        if ((slot & 0xFFFFFFFF00000000ULL) == tag) {
            const rt_customer *c = &s->cust[(slot & 0xFFFFFFFFu) - 1];
            if (c->lo == p->lo && c->hi == p->hi) {
                *index = (uint32_t)((slot & 0xFFFFFFFFu) - 1);
                *found = true;
                return true;
            }
        }
        pos = (pos + 1) & sh->mask;
    }
    if (!append_customer(s, p))
        return false;
    sh->slots[pos] = tag | (uint64_t)s->n;
    sh->used++;
    *index = (uint32_t)(s->n - 1);
    *found = false;
    return true;
}

void rt_rowset_count(rt_rowset *r, uint64_t place, uint64_t *kept)
{
    uint64_t a = place > *kept ? place : *kept, b = place > *kept ? *kept : place;
    if (r->dups++ == 0 || a < r->dup_place) {
        r->dup_place = a;
        r->dup_of = b;
    }
    if (place < *kept)
        *kept = place;
}

/* Whether p repeats one of customer i's rows (then counted). */
static bool repeats(rt_store *s, uint32_t i, const rt_pending *p)
{
    const rt_customer *c = &s->cust[i];
    if (c->start == p->start && c->end == p->end && s->fp[i] == p->fp) {
        rt_rowset_count(&s->rows, p->place, &s->place[i]);
        return true;
    }
    for (uint32_t x = c->more; x; x = s->extra[x - 1].next) {
        const rt_extra_row *e = &s->extra[x - 1];
        if (e->start == p->start && e->end == p->end && s->extra_fp[x - 1] == p->fp) {
            rt_rowset_count(&s->rows, p->place, &s->extra_place[x - 1]);
            return true;
        }
    }
    return false;
}

/* The tables of fingerprints and places, made at the first row that has a
 * fingerprint (rows read with --keep-duplicates have none, and cost
 * nothing): zero, no fingerprint, for the rows before it, in pages not
 * touched until written. */
static bool fingerprints(rt_store *s)
{
    if (s->fp)
        return true;
    size_t n = s->cap ? s->cap : 1, x = s->extra_cap ? s->extra_cap : 1;
    s->fp = calloc(n, sizeof *s->fp);
    s->place = calloc(n, sizeof *s->place);
    s->extra_fp = calloc(x, sizeof *s->extra_fp);
    s->extra_place = calloc(x, sizeof *s->extra_place);
    if (s->fp && s->place && s->extra_fp && s->extra_place)
        return true;
    free(s->fp);
    free(s->place);
    free(s->extra_fp);
    free(s->extra_place);
    s->fp = s->place = s->extra_fp = s->extra_place = NULL;
    return false;
}

/* Adds p as one more row of customer i. */
static bool append_extra(rt_store *s, uint32_t i, const rt_pending *p)
{
    if (s->nextra == s->extra_cap) {
        size_t cap = s->extra_cap ? 2 * s->extra_cap : 1024;
        if (cap > 0xFFFFFFFEu)
            return false; /* indices are 32-bit */
        rt_extra_row *e = realloc(s->extra, cap * sizeof *e);
        if (!e)
            return false;
        s->extra = e;
        if (!grow_beside(s, &s->extra_mrr, &s->extra_fp, &s->extra_place, cap))
            return false;
        s->extra_cap = cap;
    }
    if (s->keep_mrr)
        s->extra_mrr[s->nextra] = p->mrr;
    if (s->extra_fp) {
        s->extra_fp[s->nextra] = p->fp;
        s->extra_place[s->nextra] = p->place;
    }
    rt_customer *c = &s->cust[i];
    rt_extra_row *e = &s->extra[s->nextra++];
    e->start = p->start;
    e->end = p->end;
    e->next = c->more;
    c->more = (uint32_t)s->nextra;
    return true;
}

bool rt_store_append(rt_store *s, uint32_t segment, int32_t start, int32_t end, int64_t mrr,
                     bool new_customer)
{
    rt_pending p = {.segment = segment, .start = start, .end = end, .mrr = mrr};
    if (new_customer || s->n == 0)
        return append_customer(s, &p);
    return append_extra(s, (uint32_t)(s->n - 1), &p);
}

static bool add_one(rt_store *s, const rt_pending *p)
{
    uint32_t i;
    bool found;
    if (s->dedup && p->fp && !fingerprints(s))
        return false;
    if (!locate(s, p, &i, &found))
        return false;
    if (!found)
        return true; /* its first row, with its fingerprint */
    if (s->dedup && p->fp && repeats(s, i, p))
        return true; /* a duplicate is left out */
    return append_extra(s, i, p);
}

/* Loads, before the rows are located, the first hash slot of each and
 * the customer that slot's tag points to: with millions of customers each
 * is a cache and TLB miss. Plain loads of independent addresses overlap
 * (dozens in flight); __builtin_prefetch 16 rows ahead did not land here
 * (2-core AMD EPYC VM: locate stalled on the slot's load all the same, a
 * third of retain rate's CPU at 10M rows). The customer's load takes no
 * branch on the slot: customer 0 stands in when the tag differs. */
static void fetch_slots(const rt_store *s, const rt_pending *rows, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        const rt_shard *sh = &s->shard[rows[i].hi >> 56];
        if (!sh->slots)
            continue;
        uint64_t slot = sh->slots[(size_t)rows[i].lo & sh->mask];
        bool mine = slot != 0 && (slot & 0xFFFFFFFF00000000ULL) == tag_of(rows[i].hi);
        size_t c = mine ? (size_t)(slot & 0xFFFFFFFFu) - 1 : 0;
        sum += slot + (s->n ? s->cust[c].lo : 0);
    }
    volatile uint64_t sink = sum; /* the loads are the point */
    (void)sink;
}

/* Rows fetched at once: their lines stay in the caches until located. */
#define FETCH_ROWS 256

bool rt_store_locate_many(rt_store *s, const rt_pending *rows, size_t n, uint32_t *index,
                          bool *found)
{
    if (!rt_worker_wait(s->adder))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (i % FETCH_ROWS == 0)
            fetch_slots(s, rows + i, n - i < FETCH_ROWS ? n - i : FETCH_ROWS);
        if (!locate(s, &rows[i], &index[i], &found[i]))
            return false;
    }
    return true;
}

static bool add_rows(rt_store *s, const rt_pending *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i % FETCH_ROWS == 0)
            fetch_slots(s, rows + i, n - i < FETCH_ROWS ? n - i : FETCH_ROWS);
        if (!add_one(s, &rows[i]))
            return false;
    }
    return true;
}

bool rt_store_add_many(rt_store *s, const rt_pending *rows, size_t n)
{
    return rt_worker_wait(s->adder) && add_rows(s, rows, n);
}

bool rt_store_push(rt_store *s, uint32_t segment, const char *id, size_t id_len, retain_day start,
                   int32_t end, int64_t mrr)
{
    return rt_store_push_row(s, segment, id, id_len, start, end, mrr, 0, 0);
}

bool rt_store_push_row(rt_store *s, uint32_t segment, const char *id, size_t id_len,
                       retain_day start, int32_t end, int64_t mrr, uint64_t fp, uint64_t place)
{
    if (!s->queue && !(s->queue = malloc(RT_QUEUE_ROWS * sizeof *s->queue)))
        return false;
    rt_pending *p = &s->queue[s->nqueue++];
    rt_store_key(segment, id, id_len, p);
    p->start = start;
    p->end = end;
    p->mrr = mrr;
    p->fp = fp;
    p->place = place;
    if (s->nqueue < RT_QUEUE_ROWS)
        return true;
    return submit(s);
}

bool rt_store_flush(rt_store *s)
{
    bool ok = rt_worker_end(&s->adder);
    ok = add_rows(s, s->queue, s->nqueue) && ok;
    s->nqueue = 0;
    return ok;
}

size_t rt_store_rows(const rt_store *s, size_t i, retain_day as_of, rt_spans *buf)
{
    const rt_customer *c = &s->cust[i];
    size_t n = 0;
    for (uint32_t e = 0;; e = e ? s->extra[e - 1].next : c->more) {
        if (n == buf->cap) {
            size_t cap = buf->cap ? 2 * buf->cap : 64;
            rt_span *v = realloc(buf->v, cap * sizeof *v);
            if (!v)
                return 0;
            buf->v = v;
            buf->cap = cap;
        }
        int32_t start = e ? s->extra[e - 1].start : c->start;
        int32_t end = e ? s->extra[e - 1].end : c->end;
        int64_t mrr = !s->keep_mrr ? 0 : e ? s->extra_mrr[e - 1] : s->mrr[i];
        buf->v[n++] = (rt_span){start, end != RT_NO_END && end <= as_of ? end : RT_NO_END, mrr};
        if (e ? s->extra[e - 1].next == 0 : c->more == 0)
            break;
    }
    return n;
}

static int by_start(const void *a, const void *b)
{
    const rt_span *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

void rt_spans_sort(rt_span *rows, size_t n)
{
    if (n > 16) {
        qsort(rows, n, sizeof *rows, by_start);
        return;
    }
    /* a customer has a few rows: glibc's qsort would allocate for them */
    for (size_t i = 1; i < n; i++) {
        rt_span v = rows[i];
        size_t j = i;
        for (; j > 0 && rows[j - 1].start > v.start; j--)
            rows[j] = rows[j - 1];
        rows[j] = v;
    }
}

size_t rt_spans_merge(const rt_span *rows, size_t n, int32_t gap, rt_span *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        /* a row serving no day: left out, except that with a gap it
         * takes part as in lives (lib/metrics/lives.c) */
        if (rows[i].start >= rows[i].end && gap == 0)
            continue;
        if (m > 0 && (int64_t)rows[i].start <= (int64_t)out[m - 1].end + gap) {
            /* overlapping, back to back or across a short gap: one stretch
             * of service, the gap's days included */
            if (rows[i].end > out[m - 1].end)
                out[m - 1].end = rows[i].end;
        } else {
            out[m++] = rows[i];
        }
    }
    return m;
}

bool rt_store_add(rt_store *s, uint32_t segment, const char *id, size_t id_len, retain_day start,
                  int32_t end)
{
    rt_pending p;
    rt_store_key(segment, id, id_len, &p);
    p.start = start;
    p.end = end;
    p.mrr = 0;
    p.fp = p.place = 0;
    return rt_store_add_many(s, &p, 1);
}

/* ---- interning -------------------------------------------------------- */

void rt_intern_init(rt_intern *t)
{
    memset(t, 0, sizeof *t);
}

void rt_intern_free(rt_intern *t)
{
    free(t->slots);
    free(t->bytes);
    free(t->off);
    memset(t, 0, sizeof *t);
}

const char *rt_intern_str(const rt_intern *t, uint32_t index, size_t *len)
{
    if (len)
        *len = t->off[index + 1] - t->off[index] - 1;
    return t->bytes + t->off[index];
}

static bool intern_rehash(rt_intern *t)
{
    size_t size = t->slots ? 2 * (t->mask + 1) : 64;
    uint32_t *slots = calloc(size, sizeof *slots);
    if (!slots)
        return false;
    for (uint32_t i = 0; i < t->n; i++) {
        size_t len;
        const char *s = rt_intern_str(t, i, &len);
        size_t pos = XXH3_64bits(s, len) & (size - 1);
        while (slots[pos])
            pos = (pos + 1) & (size - 1);
        slots[pos] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->mask = size - 1;
    return true;
}

bool rt_intern_find(const rt_intern *t, const char *s, size_t len, uint32_t *index)
{
    if (!t->slots)
        return false;
    for (size_t pos = XXH3_64bits(s, len) & t->mask; t->slots[pos]; pos = (pos + 1) & t->mask) {
        size_t l;
        const char *v = rt_intern_str(t, t->slots[pos] - 1, &l);
        if (l == len && memcmp(v, s, len) == 0) {
            *index = t->slots[pos] - 1;
            return true;
        }
    }
    return false;
}

bool rt_intern_lookup(rt_intern *t, const char *s, size_t len, uint32_t *index)
{
    if (!t->slots || 2 * (t->n + 1) > t->mask + 1) {
        if (!intern_rehash(t))
            return false;
    }
    size_t pos = XXH3_64bits(s, len) & t->mask;
    for (; t->slots[pos]; pos = (pos + 1) & t->mask) {
        size_t l;
        const char *v = rt_intern_str(t, t->slots[pos] - 1, &l);
        if (l == len && memcmp(v, s, len) == 0) {
            *index = t->slots[pos] - 1;
            t->last = t->slots[pos];
            return true;
        }
    }
    if (t->n + 2 > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        size_t *off = realloc(t->off, cap * sizeof *off);
        if (!off)
            return false;
        t->off = off;
        t->cap = cap;
        if (t->n == 0)
            t->off[0] = 0;
    }
    if (t->bytes_cap - t->bytes_len < len + 1) {
        size_t cap = t->bytes_cap ? t->bytes_cap : 256;
        while (cap - t->bytes_len < len + 1)
            cap *= 2;
        char *b = realloc(t->bytes, cap);
        if (!b)
            return false;
        t->bytes = b;
        t->bytes_cap = cap;
    }
    memcpy(t->bytes + t->bytes_len, s, len);
    t->bytes[t->bytes_len + len] = '\0';
    t->bytes_len += len + 1;
    t->off[t->n + 1] = t->bytes_len;
    t->slots[pos] = (uint32_t)(t->n + 1);
    *index = (uint32_t)t->n++;
    t->last = (uint32_t)t->n;
    return true;
}

int rt_intern_compare(const rt_intern *t, uint32_t a, uint32_t b)
{
    size_t la, lb;
    const char *sa = rt_intern_str(t, a, &la);
    const char *sb = rt_intern_str(t, b, &lb);
    int c = memcmp(sa, sb, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

static int by_bytes(const void *a, const void *b, void *table)
{
    return rt_intern_compare(table, *(const uint32_t *)a, *(const uint32_t *)b);
}

uint32_t *rt_intern_sorted(const rt_intern *t)
{
    uint32_t *idx = malloc((t->n ? t->n : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    for (uint32_t i = 0; i < t->n; i++)
        idx[i] = i;
    qsort_r(idx, t->n, sizeof *idx, by_bytes, (void *)t);
    return idx;
}
