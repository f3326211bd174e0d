/* Per-customer state folded from event tables (see retain/events.h): the
 * customers (ids, rows, lives) and, per customer and cutoff, a fixed-size
 * record that every event updates in place. */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <retain/events.h>

#include "events_rows.h"
#include "internal.h"
#include "store.h"
#include "worker.h"

#define NO_DAY INT32_MIN
#define MAX_CUSTOMERS 0x7FFFFFFEu

/* One subscription row of a customer, kept to find its MRR on a day. */
typedef struct {
    int32_t start, end; /* end RT_NO_END when open or after the as-of */
    int64_t mrr;
    uint32_t segment; /* interned --by value */
    uint32_t next;    /* index + 1 of the customer's next row; 0 ends */
} cust_row;

typedef rt_events_life life;

/* A customer's id and rows, in 24 bytes: a lookup reads one cache line
 * for them (and, for an id longer than ID_INLINE bytes, its bytes). */
typedef struct {
    uint64_t id[2]; /* the id's bytes when ID_INLINE or fewer (zero-padded),
                       else id[0] their offset in the registry's buffer */
    uint32_t len;
    uint32_t first_row; /* index + 1 of its latest row; 0: none */
} cust_ref;

#define ID_INLINE 16

/* The customers, shared by an accumulator and its forks. */
typedef struct {
    int refs;
    bool done;
    bool implicit; /* no customer table: events make their customers */
    retain_day as_of;
    bool from_latest_start; /* cutoffs are days before the latest start */
    int32_t merge_gap;
    bool any_row;
    retain_day latest_start;
    /* ids: customer i's in ref[i], 8 bytes or less in it, longer ones
     * in one buffer */
    rt_buf ids;
    cust_ref *ref;
    size_t n, cap;
    uint64_t *slots; /* (hash >> 32 << 32) | (index + 1); 0 is free */
    size_t mask;
    /* rows, chained per customer */
    cust_row *rows;
    size_t nrows, rows_cap;
    rt_intern segments;
    /* exact duplicate rows of the customer table: each row's fingerprint
     * and place beside it (made at the first row that has one; 0: none;
     * freed at customers_done), compared with those of the customer's
     * rows; dups counts them */
    uint64_t *row_fp, *row_place;
    rt_rowset dups;
    /* rows of the customer table waiting to be added (see add_queued()),
     * from the first full batch on by a thread of their own (worker),
     * which alone touches the registry until customers_done; its first
     * error, with its diag */
    struct cust_batch *cq;
    rt_worker *worker;
    retain_status worker_status;
    retain_diag worker_diag;
    /* lives, after done: customer i's at lives[life_off[i] .. life_off[i+1])
     * for the n_lived customers of the customer table */
    life *lives;
    uint32_t *life_off; /* fewer lives than rows, and rows below 2^32 */
    size_t n_lived;
} registry;

/* A row of the customer table waiting for its customer (add_queued()). */
typedef struct {
    uint64_t h, fp, place; /* h: its id's hash, made where it is added */
    int64_t mrr;
    unsigned long line;
    int32_t start, end;
    uint32_t id_off, id_len, seg_off, seg_len; /* in the batch's bytes */
    bool has_end, has_seg;
} cust_pending;

#define CUSTOMER_QUEUE 4096                  /* rows a batch */
#define CUSTOMER_BYTES (CUSTOMER_QUEUE * 64) /* of their ids and segments */

/* A batch of customer rows, one block (the worker frees a spare one). */
typedef struct cust_batch {
    size_t n, nbytes;
    cust_pending q[CUSTOMER_QUEUE];
    char bytes[CUSTOMER_BYTES];
} cust_batch;

/* The state of one customer as of one cutoff. */
typedef struct {
    int64_t usage, usage_before;
    int64_t revenue, revenue_before;
    int32_t last_act, last_order, answer_day;
    uint32_t answer_line;
    int32_t tickets, tickets_before, orders;
    int8_t score;
} cut_state;

typedef struct {
    int32_t start, end; /* the first life; start = end when none */
    int32_t activation;
} first_life;

/* What an event adds to its customer's state (see fold()). */
typedef struct {
    int32_t day;
    uint8_t table;   /* retain_event_table */
    bool activity;   /* of the activity kind: counts for silence and usage */
    bool activation; /* of the activation kind */
    int64_t value;
    unsigned long line;
} fold_in;

/* An event waiting for its customer to be looked up (see flush()). */
typedef struct {
    fold_in f;
    uint64_t h;              /* the hash of its id */
    uint32_t id_off, id_len; /* its id in the queue's bytes */
    uint32_t who;            /* during the flush: index + 1 of its customer, 0 none */
    bool same;               /* the id of the event before it */
} pending;

#define QUEUE 256
#define AHEAD 8          /* events between a fetch ahead and the use */
#define ID_WAIT_MAX 4096 /* a longer id is looked up at once */

struct retain_events {
    registry *reg;
    retain_day cutoff[RETAIN_EVENTS_MAX_CUTOFFS];
    size_t ncut;
    int32_t usage_w, ticket_w, order_w;
    char *activity_kind, *activation_kind;
    cut_state *state; /* customer i, cutoff k at i * ncut + k */
    /* per customer: its first life, and the first activity of the
     * activation kind in it (NO_DAY: none yet), side by side so that an
     * event finds them in one cache line */
    first_life *first;
    size_t state_cap; /* customers the arrays hold */
    uint64_t unknown[RETAIN_EVENT_TABLES];
    unsigned long unknown_line[RETAIN_EVENT_TABLES];
    bool any[RETAIN_EVENT_TABLES];
    retain_day latest[RETAIN_EVENT_TABLES];
    size_t last; /* index + 1 of the customer of the previous event: logs
                    often hold a customer's events together, which then
                    need no lookup */
    /* Events read by retain_events_add_row wait here until QUEUE of them
     * have come, or their state is read: then their customers are looked
     * up together, each lookup's memory fetched ahead of it (with many
     * customers, a time-ordered log costs a cache miss or four per event
     * otherwise). The state does not depend on the order of the events;
     * while the magnitudes of the values summed fit in 2^63 (tally), no
     * customer's sum can overflow, so that none waits for an error. */
    pending *queue;
    size_t nq;
    rt_buf qids; /* the ids of the waiting events */
    uint64_t tally;
    bool sync;                 /* the tally is full: events are folded as they come */
    rt_events_lives_walk walk; /* with the lives, at customers_done (customer NULL: none) */
};

/* Resizes the array *p to n elements of size bytes; false when out of
 * memory (the array is then unchanged). */
static bool resize(void *p, size_t n, size_t size)
{
    void *q = realloc(*(void **)p, n * size);
    if (!q)
        return false;
    *(void **)p = q;
    return true;
}

/* The earlier of two lines, 0 standing for none known (a row read out of
 * order from the end of a file has line 0). */
static unsigned long earlier_line(unsigned long a, unsigned long b)
{
    return a && (!b || a < b) ? a : b;
}

static retain_status nomem(retain_diag *diag)
{
    return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
}

/* ---- registry --------------------------------------------------------- */

static void registry_free(registry *r)
{
    if (!r || --r->refs > 0)
        return;
    rt_buf_free(&r->ids);
    free(r->ref);
    free(r->slots);
    free(r->rows);
    rt_intern_free(&r->segments);
    rt_rowset_free(&r->dups);
    free(r->row_fp);
    free(r->row_place);
    rt_worker_end(&r->worker);
    free(r->cq);
    free(r->lives);
    free(r->life_off);
    free(r);
}

static uint64_t id_hash(const char *id, size_t len)
{
    return XXH3_64bits(id, len);
}

/* The bytes of customer i's id (ref[i].len of them). */
static const char *id_bytes(const registry *r, size_t i)
{
    const cust_ref *c = &r->ref[i];
    return c->len <= ID_INLINE ? (const char *)c->id : r->ids.data + c->id[0];
}

static bool same_id(const registry *r, size_t i, const char *id, size_t len)
{
    const cust_ref *c = &r->ref[i];
    if (c->len != len)
        return false;
    if (len <= ID_INLINE) {
        uint64_t k[2] = {0, 0};
        memcpy(k, id, len);
        return ((k[0] ^ c->id[0]) | (k[1] ^ c->id[1])) == 0;
    }
    return memcmp(r->ids.data + c->id[0], id, len) == 0;
}

static bool lookup(const registry *r, const char *id, size_t len, uint64_t h, size_t *pos,
                   size_t *index)
{
    if (!r->slots)
        return false;
    uint64_t tag = h >> 32 << 32;
    for (size_t p = h & r->mask;; p = (p + 1) & r->mask) {
        uint64_t s = r->slots[p];
        if (!s) {
            *pos = p;
            return false;
        }
        if ((s & ~0xFFFFFFFFull) == tag && same_id(r, (s & 0xFFFFFFFFu) - 1, id, len)) {
            *index = (s & 0xFFFFFFFFu) - 1;
            return true;
        }
    }
}

/* Grows the hash slots to hold at least `need` customers (at most 3/4 full). */
static bool grow_slots(registry *r, size_t need)
{
    size_t size = r->slots ? 2 * (r->mask + 1) : 1024;
    while (4 * need > 3 * size)
        size *= 2;
    uint64_t *slots = calloc(size, sizeof *slots);
    if (!slots)
        return false;
    /* every page is used: mapped at once (see rt_populate) */
    rt_populate(slots, size * sizeof *slots);
    /* customer after customer: their ids lie in order, the slots are
     * written at random (stores, which do not wait) */
    for (size_t k = 0; r->slots && k < r->n; k++) {
        uint64_t h = id_hash(id_bytes(r, k), r->ref[k].len);
        size_t p = h & (size - 1);
        while (slots[p])
            p = (p + 1) & (size - 1);
        slots[p] = (h >> 32 << 32) | (uint64_t)(k + 1);
    }
    free(r->slots);
    r->slots = slots;
    r->mask = size - 1;
    return true;
}

/* The customer of an id, made when new: false when out of memory or past
 * the cap. */
static bool intern_hashed(registry *r, const char *id, size_t len, uint64_t h, size_t *index,
                          bool *made)
{
    size_t pos = 0;
    *made = false;
    if (lookup(r, id, len, h, &pos, index))
        return true;
    if (r->n >= MAX_CUSTOMERS || len > UINT32_MAX)
        return false;
    if (!r->slots || 4 * (r->n + 1) > 3 * (r->mask + 1)) {
        if (!grow_slots(r, r->n + 1))
            return false;
        lookup(r, id, len, h, &pos, index);
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        if (!resize(&r->ref, cap, sizeof *r->ref))
            return false;
        r->cap = cap;
    }
    cust_ref *c = &r->ref[r->n];
    c->id[0] = c->id[1] = 0;
    if (len <= ID_INLINE) {
        memcpy(c->id, id, len);
    } else {
        c->id[0] = r->ids.len;
        if (!rt_buf_append(&r->ids, id, len))
            return false;
    }
    c->len = (uint32_t)len;
    c->first_row = 0;
    r->slots[pos] = (h >> 32 << 32) | (uint64_t)(r->n + 1);
    *index = r->n++;
    *made = true;
    return true;
}

static bool intern_customer(registry *r, const char *id, size_t len, size_t *index, bool *made)
{
    return intern_hashed(r, id, len, id_hash(id, len), index, made);
}

/* ---- options ---------------------------------------------------------- */

static retain_events *events_alloc(void)
{
    retain_events *ev = calloc(1, sizeof *ev);
    return ev;
}

retain_events *retain_events_new(const retain_events_options *o, retain_diag *diag)
{
    if (!o->n_cutoffs || o->n_cutoffs > RETAIN_EVENTS_MAX_CUTOFFS) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "between 1 and %d cutoff days, not %zu",
                RETAIN_EVENTS_MAX_CUTOFFS, o->n_cutoffs);
        return NULL;
    }
    if (o->usage_window < 0 || o->ticket_window < 0 || o->order_window < 0) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "a window is at least 1 day");
        return NULL;
    }
    retain_events *ev = events_alloc();
    registry *r = calloc(1, sizeof *r);
    if (!ev || !r) {
        free(ev);
        free(r);
        nomem(diag);
        return NULL;
    }
    ev->reg = r;
    r->refs = 1;
    rt_intern_init(&r->segments);
    ev->ncut = o->n_cutoffs;
    r->as_of = o->cutoffs[0];
    for (size_t k = 0; k < o->n_cutoffs; k++) {
        ev->cutoff[k] = o->cutoffs[k];
        if (o->cutoffs[k] > r->as_of)
            r->as_of = o->cutoffs[k];
        if (o->before_latest_start && (o->cutoffs[k] < 0 || o->cutoffs[k] > 36525)) {
            retain_events_free(ev);
            rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "days before the latest start: 0 to 36525");
            return NULL;
        }
    }
    r->from_latest_start = o->before_latest_start;
    if (o->merge_gap < 0 || o->merge_gap > RETAIN_MERGE_GAP_MAX) {
        retain_events_free(ev);
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "a merge gap is 0 to %d days",
                RETAIN_MERGE_GAP_MAX);
        return NULL;
    }
    r->merge_gap = o->merge_gap;
    if (r->from_latest_start)
        r->as_of = RETAIN_DAY_MAX; /* known once every row is in */
    ev->usage_w = o->usage_window ? o->usage_window : 7;
    ev->ticket_w = o->ticket_window ? o->ticket_window : 30;
    ev->order_w = o->order_window ? o->order_window : 90;
    if ((o->activity_kind && !(ev->activity_kind = strdup(o->activity_kind))) ||
        (o->activation_kind && !(ev->activation_kind = strdup(o->activation_kind)))) {
        retain_events_free(ev);
        nomem(diag);
        return NULL;
    }
    return ev;
}

retain_events *retain_events_fork(const retain_events *ev)
{
    if (!ev->reg->done || ev->reg->implicit)
        return NULL;
    retain_events *f = events_alloc();
    if (!f)
        return NULL;
    memcpy(f->cutoff, ev->cutoff, sizeof f->cutoff);
    f->ncut = ev->ncut;
    f->usage_w = ev->usage_w;
    f->ticket_w = ev->ticket_w;
    f->order_w = ev->order_w;
    f->reg = ev->reg;
    f->reg->refs++;
    if ((ev->activity_kind && !(f->activity_kind = strdup(ev->activity_kind))) ||
        (ev->activation_kind && !(f->activation_kind = strdup(ev->activation_kind)))) {
        retain_events_free(f);
        return NULL;
    }
    return f;
}

/* ---- customers -------------------------------------------------------- */

/* Room for cap rows (and their fingerprints, once there are any). */
static bool rows_room(registry *r, size_t cap)
{
    if (!resize(&r->rows, cap, sizeof *r->rows) ||
        (r->row_fp && (!resize(&r->row_fp, cap, sizeof *r->row_fp) ||
                       !resize(&r->row_place, cap, sizeof *r->row_place))))
        return false;
    r->rows_cap = cap;
    return true;
}

/* The fingerprints beside the rows, at the first row that has one: 0, none,
 * for the rows before it (rows read with --keep-duplicates cost nothing). */
static bool row_prints(registry *r)
{
    size_t cap = r->rows_cap ? r->rows_cap : 1;
    r->row_fp = calloc(cap, sizeof *r->row_fp);
    r->row_place = calloc(cap, sizeof *r->row_place);
    if (r->row_fp && r->row_place)
        return true;
    free(r->row_fp);
    free(r->row_place);
    r->row_fp = r->row_place = NULL;
    return false;
}

/* A customer row, checked, id trimmed and hashed (h); fp (0: none) and
 * place are its fingerprint and place (retain_row), by which an exact
 * duplicate of one of the customer's rows is left out, as the customer
 * table's other readers do. */
static retain_status take_customer(registry *r, const char *id, size_t id_len, uint64_t h,
                                   retain_day start, retain_day end, bool has_end, retain_money mrr,
                                   const char *segment, size_t segment_len, unsigned long line,
                                   uint64_t fp, uint64_t place, retain_diag *diag)
{
    size_t i;
    bool made;
    uint32_t seg = 0;
    if (!intern_hashed(r, id, id_len, h, &i, &made))
        return nomem(diag);
    if (start > r->as_of)
        return RETAIN_OK; /* not a customer yet: known, without this row */
    if (fp && !made && r->row_fp) {
        for (uint32_t k = r->ref[i].first_row; k; k = r->rows[k - 1].next) {
            if (r->row_fp[k - 1] == fp) {
                rt_rowset_count(&r->dups, place, &r->row_place[k - 1]);
                return RETAIN_OK; /* an exact duplicate row: counted once */
            }
        }
    }
    if (fp && !r->row_fp && !row_prints(r))
        return nomem(diag);
    if (!r->any_row || start > r->latest_start)
        r->latest_start = start;
    r->any_row = true;
    /* no segment: "", which rt_intern_get answers from its last value */
    if (!rt_intern_get(&r->segments, segment ? segment : "", segment ? segment_len : 0, &seg))
        return nomem(diag);
    if (r->nrows == r->rows_cap && !rows_room(r, r->rows_cap ? 2 * r->rows_cap : 256))
        return nomem(diag);
    if (r->nrows >= UINT32_MAX - 1)
        return rt_fail(diag, RETAIN_ERR_DATA, line, NULL, "more than 2^32 customer rows");
    if (r->row_fp) {
        r->row_fp[r->nrows] = fp;
        r->row_place[r->nrows] = place;
    }
    cust_row *row = &r->rows[r->nrows];
    row->start = start;
    row->end = has_end && end <= r->as_of ? end : RT_NO_END;
    row->mrr = mrr;
    row->segment = seg;
    row->next = r->ref[i].first_row;
    r->ref[i].first_row = (uint32_t)++r->nrows;
    return RETAIN_OK;
}

/* Adds n rows of a batch, in order: their ids hashed, then, 256 at a
 * time, their hash slots loaded first all together (independent loads
 * overlap, where each row's own lookup would wait for its slot: with
 * millions of customers, a cache miss a row). */
static retain_status add_rows(registry *r, cust_batch *b, size_t n, retain_diag *diag)
{
    cust_pending *q = b->q;
    for (size_t k = 0; k < n; k++)
        q[k].h = id_hash(b->bytes + q[k].id_off, q[k].id_len);
    retain_status st = RETAIN_OK;
    for (size_t k = 0; k < n && st == RETAIN_OK; k++) {
        if (k % 256 == 0 && r->slots) {
            uint64_t sum = 0;
            for (size_t j = k; j < n && j < k + 256; j++)
                sum += r->slots[q[j].h & r->mask];
            volatile uint64_t sink = sum; /* the loads are the point */
            (void)sink;
        }
        st = take_customer(r, b->bytes + q[k].id_off, q[k].id_len, q[k].h, q[k].start, q[k].end,
                           q[k].has_end, q[k].mrr, q[k].has_seg ? b->bytes + q[k].seg_off : NULL,
                           q[k].seg_len, q[k].line, q[k].fp, q[k].place, diag);
    }
    return st;
}

/* The worker's side: a batch, its error kept for the caller. */
static bool add_batch(void *reg, void *batch, size_t n)
{
    registry *r = reg;
    retain_status st = add_rows(r, batch, n, &r->worker_diag);
    if (st != RETAIN_OK && r->worker_status == RETAIN_OK)
        r->worker_status = st;
    return st == RETAIN_OK;
}

/* The worker's error, into diag. */
static retain_status worker_failed(const registry *r, retain_diag *diag)
{
    if (diag)
        *diag = r->worker_diag;
    return r->worker_status != RETAIN_OK ? r->worker_status : RETAIN_ERR_NOMEM;
}

/* Adds every waiting row: the worker's batch (and ends it), then the
 * queue's, on this thread. */
static retain_status add_queued(registry *r, retain_diag *diag)
{
    if (!rt_worker_end(&r->worker))
        return worker_failed(r, diag);
    if (!r->cq || r->cq->n == 0)
        return RETAIN_OK;
    size_t n = r->cq->n;
    r->cq->n = r->cq->nbytes = 0;
    return add_rows(r, r->cq, n, diag);
}

/* Hands the full queue to the worker (started at the first) and takes
 * its idle batch; without a thread, adds the queue here. */
static retain_status submit(registry *r, retain_diag *diag)
{
    if (!r->worker) {
        cust_batch *spare = malloc(sizeof *spare);
        if (spare && !(r->worker = rt_worker_start(add_batch, r, spare)))
            free(spare);
        rt_worker_spares(r->worker, sizeof *spare, RT_WORKER_SPARES);
    }
    if (!r->worker)
        return add_queued(r, diag);
    void *b = r->cq;
    bool ok = rt_worker_submit(r->worker, &b, r->cq->n);
    r->cq = b;
    r->cq->n = r->cq->nbytes = 0;
    return ok ? RETAIN_OK : worker_failed(r, diag);
}

/* A customer row: checked now, added now or (wait) queued with others. */
static retain_status add_customer(retain_events *ev, const char *id, size_t id_len,
                                  retain_day start, retain_day end, bool has_end, retain_money mrr,
                                  const char *segment, size_t segment_len, unsigned long line,
                                  uint64_t fp, uint64_t place, bool wait, retain_diag *diag)
{
    registry *r = ev->reg;
    if (r->done)
        return rt_fail(diag, RETAIN_ERR_USAGE, line, NULL, "customers added after the events");
    if (has_end && end < start)
        return rt_fail(diag, RETAIN_ERR_DATA, line, "end", "end before start");
    rt_trim(&id, &id_len);
    if (!id_len)
        return rt_fail(diag, RETAIN_ERR_DATA, line, "id", "empty customer id");
    if (!segment)
        segment_len = 0;
    if (!wait || id_len > ID_WAIT_MAX || segment_len > ID_WAIT_MAX) {
        retain_status st = add_queued(r, diag);
        return st != RETAIN_OK
                   ? st
                   : take_customer(r, id, id_len, id_hash(id, id_len), start, end, has_end, mrr,
                                   segment, segment_len, line, fp, place, diag);
    }
    if (!r->cq && !(r->cq = calloc(1, sizeof *r->cq)))
        return nomem(diag);
    if (r->cq->nbytes + id_len + segment_len > CUSTOMER_BYTES) {
        retain_status st = submit(r, diag);
        if (st != RETAIN_OK)
            return st;
    }
    cust_batch *b = r->cq;
    cust_pending *p = &b->q[b->n++];
    *p = (cust_pending){.fp = fp,
                        .place = place,
                        .mrr = mrr,
                        .line = line,
                        .start = start,
                        .end = end,
                        .id_off = (uint32_t)b->nbytes,
                        .id_len = (uint32_t)id_len,
                        .seg_off = (uint32_t)(b->nbytes + id_len),
                        .seg_len = (uint32_t)segment_len,
                        .has_end = has_end,
                        .has_seg = segment != NULL};
    memcpy(b->bytes + b->nbytes, id, id_len);
    if (segment_len)
        memcpy(b->bytes + b->nbytes + id_len, segment, segment_len);
    b->nbytes += id_len + segment_len;
    return b->n == CUSTOMER_QUEUE ? submit(r, diag) : RETAIN_OK;
}

retain_status retain_events_add_customer(retain_events *ev, const char *id, size_t id_len,
                                         retain_day start, retain_day end, bool has_end,
                                         retain_money mrr, const char *segment, size_t segment_len,
                                         unsigned long line, retain_diag *diag)
{
    return add_customer(ev, id, id_len, start, end, has_end, mrr, segment, segment_len, line, 0, 0,
                        false, diag);
}

retain_status rt_events_add_customer(retain_events *ev, const char *id, size_t id_len,
                                     retain_day start, retain_day end, bool has_end,
                                     retain_money mrr, const char *segment, size_t segment_len,
                                     unsigned long line, uint64_t fingerprint, uint64_t place,
                                     retain_diag *diag)
{
    return add_customer(ev, id, id_len, start, end, has_end, mrr, segment, segment_len, line,
                        fingerprint, place, false, diag);
}

retain_status retain_events_reserve(retain_events *ev, size_t customers)
{
    registry *r = ev->reg;
    if (r->done || customers > MAX_CUSTOMERS)
        return RETAIN_OK; /* a hint only */
    if (!rt_worker_wait(r->worker))
        return worker_failed(r, NULL);
    if ((r->slots ? 3 * (r->mask + 1) / 4 : 0) < customers && !grow_slots(r, customers))
        return RETAIN_ERR_NOMEM;
    if (customers > r->cap) {
        if (!resize(&r->ref, customers, sizeof *r->ref))
            return RETAIN_ERR_NOMEM;
        r->cap = customers;
    }
    return customers <= r->rows_cap || rows_room(r, customers) ? RETAIN_OK : RETAIN_ERR_NOMEM;
}

unsigned long retain_events_duplicates(const retain_events *ev, uint64_t *place, uint64_t *of)
{
    return rt_rowset_duplicates(&ev->reg->dups, place, of);
}

/* Cutoffs given as days before the latest start: now it is known (the
 * customers' rows are cut at it as their lives are made: cut_rows). */
static void resolve_cutoffs(retain_events *ev)
{
    registry *r = ev->reg;
    r->as_of = r->latest_start - ev->cutoff[0];
    for (size_t k = 0; k < ev->ncut; k++) {
        ev->cutoff[k] = r->latest_start - ev->cutoff[k];
        if (ev->cutoff[k] > r->as_of)
            r->as_of = ev->cutoff[k];
    }
}

/* Customer i's rows at an as-of known only now: those starting after it
 * leave the customer's chain; ends after it are open. */
static void cut_rows(registry *r, size_t i)
{
    uint32_t *link = &r->ref[i].first_row;
    while (*link) {
        cust_row *row = &r->rows[*link - 1];
        if (row->start > r->as_of) {
            *link = row->next;
            continue;
        }
        if (row->end != RT_NO_END && row->end > r->as_of)
            row->end = RT_NO_END;
        link = &row->next;
    }
}

/* The segment of a life starting on `start`: the row of largest MRR serving
 * that day; a row of no day starting it when none serves it. */
static uint32_t life_segment(const registry *r, size_t i, int32_t start)
{
    bool found = false, found_any = false;
    int64_t best = 0;
    uint32_t seg = 0, any_seg = 0;
    for (uint32_t k = r->ref[i].first_row; k; k = r->rows[k - 1].next) {
        const cust_row *row = &r->rows[k - 1];
        if (row->start <= start && start < row->end) {
            if (!found || row->mrr > best ||
                (row->mrr == best && rt_intern_compare(&r->segments, row->segment, seg) < 0)) {
                best = row->mrr;
                seg = row->segment;
                found = true;
            }
        } else if (row->start == start && row->end == start &&
                   (!found_any || rt_intern_compare(&r->segments, row->segment, any_seg) < 0)) {
            any_seg = row->segment;
            found_any = true;
        }
    }
    return found ? seg : any_seg;
}

/* Starts loading customer i's latest row. A walk over the customers in
 * order reads their rows in about the order of the file, which the
 * caches see coming, but a customer of several rows starts at its latest,
 * further on: a cache and TLB miss unless fetched ahead. */
static void fetch_rows(const registry *r, size_t i)
{
    uint32_t k = r->ref[i].first_row;
    if (k)
        __builtin_prefetch(&r->rows[k - 1]);
}

void rt_events_fetch(const retain_events *ev, size_t i)
{
    if (i < ev->reg->n)
        fetch_rows(ev->reg, i);
}

/* The customers whose lives are not made yet, [up, down): one thread
 * takes blocks of them from the bottom, the other from the top, until
 * they meet, wherever the work puts the meeting (customers first seen
 * early in a file tend to have more rows). */
typedef struct {
    pthread_mutex_t lock;
    size_t up, down;
} lives_claims;

#define LIVES_BLOCK 4096

/* The lives of the customers one thread claims (see make_lives). */
typedef struct {
    registry *r;
    lives_claims *claims;
    bool down; /* from the top: the customers last to first, each one's lives before the last's */
    size_t at; /* where the lives go: from here on, or (down) before here */
    bool ok;
    const rt_events_lives_walk *walk; /* each customer's lives handed over as made */
    retain_status walk_status;
} lives_job;

/* The next block for j, [*lo, *hi); false when none is left. */
static bool claim_lives(lives_job *j, size_t *lo, size_t *hi)
{
    lives_claims *c = j->claims;
    pthread_mutex_lock(&c->lock);
    size_t left = c->down - c->up, n = left < LIVES_BLOCK ? left : LIVES_BLOCK;
    if (j->down) {
        *hi = c->down;
        *lo = c->down -= n;
    } else {
        *lo = c->up;
        *hi = c->up += n;
    }
    pthread_mutex_unlock(&c->lock);
    return n > 0;
}

/* Customer i's lives, at *at (down: ending there), *at moved past them.
 * buf and merged: the caller's buffers of *cap rows. */
static bool customer_lives(registry *r, size_t i, bool down, size_t *at, rt_span **buf,
                           rt_span **merged, size_t *cap)
{
    if (r->from_latest_start)
        cut_rows(r, i);
    uint32_t k0 = r->ref[i].first_row;
    if (k0 && !r->rows[k0 - 1].next) {
        /* one row: its days are the life (a life of 0 days when it
         * serves none), its segment the life's */
        const cust_row *row = &r->rows[k0 - 1];
        *at -= down;
        r->lives[*at] = (life){row->start, row->end, row->segment};
        r->life_off[i] = (uint32_t)*at;
        *at += !down;
        return true;
    }
    size_t m = 0;
    for (uint32_t k = k0; k; k = r->rows[k - 1].next) {
        if (m == *cap) {
            size_t more = *cap ? 2 * *cap : 16;
            if (!resize(buf, more, sizeof **buf) || !resize(merged, more, sizeof **merged))
                return false;
            *cap = more;
        }
        (*buf)[m].start = r->rows[k - 1].start;
        (*buf)[m].end = r->rows[k - 1].end;
        (*buf)[m].mrr = 0;
        m++;
    }
    size_t nm = 0;
    if (m) {
        rt_spans_sort(*buf, m);
        nm = rt_spans_merge(*buf, m, r->merge_gap, *merged);
        if (nm == 0) {
            /* rows of no day only: a life of 0 days that churned */
            (*merged)[0] = (*buf)[0];
            nm = 1;
        }
    }
    *at -= down ? nm : 0;
    r->life_off[i] = (uint32_t)*at;
    for (size_t l = 0; l < nm; l++)
        r->lives[*at + l] =
            (life){(*merged)[l].start, (*merged)[l].end, life_segment(r, i, (*merged)[l].start)};
    *at += down ? 0 : nm;
    return true;
}

/* Merges each customer's rows into lives, into r->lives, with each one's
 * first life's index in r->life_off. A customer has no more lives than
 * rows: the lives of the customers below any index fit in as many places
 * as their rows, those above it, made last to first, end where the rows
 * do, so that a thread from each end makes them at once without meeting.
 * Rows are cut at an as-of known only now (cut_rows) on the way. */
static void make_lives(lives_job *j)
{
    registry *r = j->r;
    rt_span *buf = NULL, *merged = NULL;
    size_t cap = 0, lo, hi, at = j->at; /* here, not in *j: the jobs share a cache line */
    bool ok = true, down = j->down;
    const rt_events_lives_walk *walk = j->walk;
    retain_status walked = RETAIN_OK;
    while (ok && walked == RETAIN_OK && claim_lives(j, &lo, &hi)) {
        for (size_t c = 0; c < hi - lo && ok && walked == RETAIN_OK; c++) {
            size_t i = down ? hi - 1 - c : lo + c, was = at;
            if (c + RT_EVENTS_FETCH_AHEAD < hi - lo)
                fetch_rows(r, down ? i - RT_EVENTS_FETCH_AHEAD : i + RT_EVENTS_FETCH_AHEAD);
            ok = customer_lives(r, i, down, &at, &buf, &merged, &cap);
            if (ok && walk && at != was)
                walked = walk->customer(walk->ctx, down, i, r->lives + (down ? at : was),
                                        down ? was - at : at - was);
        }
    }
    free(buf);
    free(merged);
    j->at = at;
    j->ok = ok;
    j->walk_status = walked;
}

static void *lives_thread(void *job)
{
    make_lives(job);
    return NULL;
}

/* A block of `bytes` made of the block p of `had` bytes (p NULL: none),
 * which it takes over: p resized (its pages stay mapped), else a new one
 * and p freed; NULL when out of memory (p freed). */
static void *reuse(void *p, size_t had, size_t bytes)
{
    if (!p || had == 0) {
        free(p);
        return malloc(bytes);
    }
    void *q = realloc(p, bytes);
    if (!q)
        free(p);
    return q;
}

/* Below this many customers, lives are made on the caller's thread alone. */
#define LIVES_SPLIT_MIN 65536

retain_status retain_events_customers_done(retain_events *ev, retain_diag *diag)
{
    registry *r = ev->reg;
    if (r->done)
        return RETAIN_OK;
    retain_status st = add_queued(r, diag);
    if (st != RETAIN_OK)
        return st;
    r->done = true;
    r->implicit = r->n == 0;
    if (r->from_latest_start) {
        if (!r->any_row)
            return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "no customer row");
        resolve_cutoffs(ev);
    }
    uint32_t none;
    if (!rt_intern_get(&r->segments, "", 0, &none))
        return nomem(diag);
    /* the duplicate rows are all counted: their fingerprints and places
     * go, before the lives and what the callers build from them, and
     * their memory, mapped in already, takes the lives and their offsets
     * (one page fault less per 4 KiB of them) */
    r->life_off = reuse(r->row_place, r->row_fp ? r->rows_cap * sizeof *r->row_place : 0,
                        (r->n + 1) * sizeof *r->life_off);
    r->lives = reuse(r->row_fp, r->row_fp ? r->rows_cap * sizeof *r->row_fp : 0,
                     (r->nrows ? r->nrows : 1) * sizeof *r->lives);
    r->row_fp = r->row_place = NULL;
    if (!r->life_off || !r->lives)
        return nomem(diag);
    /* a thread from each end of the customers (the reading threads are
     * done), the lives of the top ones made from the end of the array down */
    lives_claims claims = {PTHREAD_MUTEX_INITIALIZER, 0, r->n};
    const rt_events_lives_walk *walk = ev->walk.customer ? &ev->walk : NULL;
    if (walk && (st = walk->begin(walk->ctx, r->as_of)) != RETAIN_OK)
        return st;
    lives_job first = {r, &claims, false, 0, true, walk, RETAIN_OK},
              second = {r, &claims, true, r->nrows, true, walk, RETAIN_OK};
    pthread_t helper;
    bool two = r->n >= LIVES_SPLIT_MIN && pthread_create(&helper, NULL, lives_thread, &second) == 0;
    make_lives(&first);
    if (two)
        pthread_join(helper, NULL);
    else
        make_lives(&second); /* nothing left: second.at stays nrows */
    pthread_mutex_destroy(&claims.lock);
    if (!first.ok || !second.ok)
        return nomem(diag);
    if (first.walk_status != RETAIN_OK || second.walk_status != RETAIN_OK)
        return first.walk_status != RETAIN_OK ? first.walk_status : second.walk_status;
    /* the top customers' lives right after the bottom ones' */
    size_t mid = claims.up, shift = second.at - first.at;
    memmove(r->lives + first.at, r->lives + second.at, (r->nrows - second.at) * sizeof *r->lives);
    for (size_t i = mid; i < r->n; i++)
        r->life_off[i] -= (uint32_t)shift;
    r->life_off[r->n] = (uint32_t)(first.at + r->nrows - second.at);
    r->n_lived = r->n;
    return RETAIN_OK;
}

/* ---- events ----------------------------------------------------------- */

static bool ensure_state(retain_events *ev, size_t n)
{
    if (n <= ev->state_cap)
        return true;
    size_t cap = ev->state_cap ? ev->state_cap : 256;
    while (cap < n)
        cap *= 2;
    if (!resize(&ev->state, cap * ev->ncut, sizeof *ev->state) ||
        !resize(&ev->first, cap, sizeof *ev->first))
        return false;
    cut_state *s = ev->state;
    const registry *r = ev->reg;
    for (size_t i = ev->state_cap; i < cap; i++) {
        first_life *fl = &ev->first[i];
        fl->activation = NO_DAY;
        fl->start = fl->end = 0; /* no day: no life */
        if (i < r->n_lived && r->life_off[i] < r->life_off[i + 1]) {
            fl->start = r->lives[r->life_off[i]].start;
            fl->end = r->lives[r->life_off[i]].end;
        }
        for (size_t k = 0; k < ev->ncut; k++) {
            cut_state *c = &s[i * ev->ncut + k];
            memset(c, 0, sizeof *c);
            c->last_act = c->last_order = c->answer_day = NO_DAY;
        }
    }
    ev->state_cap = cap;
    return true;
}

static bool kind_is(const char *want, const retain_event *e)
{
    if (!want)
        return true;
    size_t n = strlen(want);
    return e->kind && e->kind_len == n && memcmp(e->kind, want, n) == 0;
}

static const char *const table_name[RETAIN_EVENT_TABLES] = {"events", "tickets", "survey",
                                                            "orders"};

/* Adds v to the sum of the window holding day d: [c - w + 1, c] (now) or
 * the one before. False on overflow. */
static bool add_window(int64_t *now, int64_t *before, int32_t c, int32_t w, int32_t d, int64_t v)
{
    int64_t age = (int64_t)c - d;
    if (age < w)
        return !__builtin_add_overflow(*now, v, now);
    if (age < 2 * (int64_t)w)
        return !__builtin_add_overflow(*before, v, before);
    return true;
}

/* Folds an event into customer i's state; false when a sum overflows. */
static bool fold(retain_events *ev, size_t i, const fold_in *f)
{
    bool ok = true;
    cut_state *cs = &ev->state[i * ev->ncut];
    switch (f->table) {
    case RETAIN_EVENT_ACTIVITY:
        if (f->activation) {
            first_life *fl = &ev->first[i];
            if (f->day >= fl->start && f->day < fl->end &&
                (fl->activation == NO_DAY || f->day < fl->activation))
                fl->activation = f->day;
        }
        if (!f->activity)
            break;
        for (size_t k = 0; k < ev->ncut && ok; k++) {
            cut_state *c = &cs[k];
            if (f->day > ev->cutoff[k])
                continue;
            if (f->day > c->last_act)
                c->last_act = f->day;
            ok = add_window(&c->usage, &c->usage_before, ev->cutoff[k], ev->usage_w, f->day,
                            f->value);
        }
        break;
    case RETAIN_EVENT_TICKET:
        for (size_t k = 0; k < ev->ncut; k++) {
            cut_state *c = &cs[k];
            int64_t age = (int64_t)ev->cutoff[k] - f->day;
            if (age < 0)
                continue;
            if (age < ev->ticket_w)
                c->tickets++;
            else if (age < 2 * (int64_t)ev->ticket_w)
                c->tickets_before++;
        }
        break;
    case RETAIN_EVENT_ANSWER:
        for (size_t k = 0; k < ev->ncut; k++) {
            cut_state *c = &cs[k];
            if (f->day > ev->cutoff[k])
                continue;
            if (f->day > c->answer_day || (f->day == c->answer_day && f->line >= c->answer_line)) {
                c->answer_day = f->day;
                c->answer_line = (uint32_t)(f->line > UINT32_MAX ? UINT32_MAX : f->line);
                c->score = (int8_t)f->value;
            }
        }
        break;
    case RETAIN_EVENT_ORDER:
        for (size_t k = 0; k < ev->ncut && ok; k++) {
            cut_state *c = &cs[k];
            if (f->day > ev->cutoff[k])
                continue;
            c->orders++;
            if (f->day > c->last_order)
                c->last_order = f->day;
            ok = add_window(&c->revenue, &c->revenue_before, ev->cutoff[k], ev->order_w, f->day,
                            f->value);
        }
        break;
    default:
        break;
    }
    return ok;
}

static retain_status overflow(const fold_in *f, retain_diag *diag)
{
    return rt_fail(diag, RETAIN_ERR_DATA, f->line,
                   f->table == RETAIN_EVENT_ORDER ? "amount" : "value",
                   "the %s of customer sum past 9.2e12", table_name[f->table]);
}

static void count_unknown(retain_events *ev, const fold_in *f)
{
    ev->unknown[f->table]++;
    ev->unknown_line[f->table] = earlier_line(ev->unknown_line[f->table], f->line);
}

/* The customer an id's hash leads to by its tag alone (index + 1, 0 for
 * none): to be checked against the id. */
static uint32_t tag_match(const registry *r, uint64_t h)
{
    uint64_t tag = h >> 32 << 32;
    for (size_t p = h & r->mask;; p = (p + 1) & r->mask) {
        uint64_t s = r->slots[p];
        if (!s || (s & ~0xFFFFFFFFull) == tag)
            return (uint32_t)s;
    }
}

/* Folds the waiting events. Cannot fail: their state was made room for
 * when they came, and the tally keeps every sum in range. Three passes,
 * each fetching ahead what the next needs: the slots of the ids' hashes,
 * then the customers' ids and states, then the ids' bytes. */
static void flush(retain_events *ev)
{
    registry *r = ev->reg;
    pending *q = ev->queue;
    size_t n = ev->nq;
    ev->nq = 0;
    for (size_t k = 0; k < n; k++) {
        if (k + AHEAD < n && !q[k + AHEAD].same)
            __builtin_prefetch(&r->slots[q[k + AHEAD].h & r->mask]);
        if (!q[k].same)
            q[k].who = tag_match(r, q[k].h);
    }
    for (size_t k = 0; k < n; k++) {
        size_t a = k + 2 * AHEAD, b = k + AHEAD;
        if (a < n && !q[a].same && q[a].who) {
            size_t c = q[a].who - 1;
            __builtin_prefetch(&r->ref[c]);
            __builtin_prefetch(&ev->first[c]);
            const char *from = (const char *)&ev->state[c * ev->ncut];
            for (size_t at = 0; at < ev->ncut * sizeof *ev->state + 63; at += 64)
                __builtin_prefetch(from + at);
        }
        if (b < n && !q[b].same && q[b].who && r->ref[q[b].who - 1].len > ID_INLINE)
            __builtin_prefetch(r->ids.data + r->ref[q[b].who - 1].id[0]);
        pending *p = &q[k];
        const char *id = ev->qids.data + p->id_off;
        size_t i;
        if (p->same) {
            p->who = k ? q[k - 1].who : (uint32_t)ev->last;
        } else if (p->who && !same_id(r, p->who - 1, id, p->id_len)) {
            size_t pos;
            p->who = lookup(r, id, p->id_len, p->h, &pos, &i) ? (uint32_t)(i + 1) : 0;
        }
        if (!p->who)
            count_unknown(ev, &p->f);
        else
            fold(ev, p->who - 1, &p->f); /* in range: see the tally */
    }
    ev->last = n ? q[n - 1].who : ev->last;
    ev->qids.len = 0;
}

/* Folds what waits, before the state is read. The state is the same
 * whether or not events waited: settling changes nothing visible, and so
 * is allowed on an accumulator handed over as const. */
static void settle(const retain_events *ev)
{
    if (ev->nq)
        flush((retain_events *)ev);
}

/* An event, checked; queued when `wait` and its customer must be looked
 * up, else folded now. */
static retain_status add_event(retain_events *ev, const retain_event *e, bool wait,
                               retain_diag *diag)
{
    registry *r = ev->reg;
    if (!r->done)
        return rt_fail(diag, RETAIN_ERR_USAGE, e->line, NULL, "events before the customers");
    if ((unsigned)e->table >= RETAIN_EVENT_TABLES)
        return rt_fail(diag, RETAIN_ERR_USAGE, e->line, NULL, "no such event table");
    if (e->table == RETAIN_EVENT_ANSWER && (e->value < 0 || e->value > 10))
        return rt_fail(diag, RETAIN_ERR_DATA, e->line, "score",
                       "a score is a whole number from 0 to 10, not %lld", (long long)e->value);
    if (e->table == RETAIN_EVENT_ACTIVITY && e->value < 0)
        return rt_fail(diag, RETAIN_ERR_DATA, e->line, "value", "a negative event value");
    const char *id = e->id;
    size_t len = e->id_len;
    if (len && (id[0] == ' ' || id[0] == '\t' || id[len - 1] == ' ' || id[len - 1] == '\t'))
        rt_trim(&id, &len);
    if (!len)
        return rt_fail(diag, RETAIN_ERR_DATA, e->line, "id", "empty customer id");
    if (!ev->any[e->table] || e->day > ev->latest[e->table])
        ev->latest[e->table] = e->day;
    ev->any[e->table] = true;
    fold_in f = {e->day,
                 (uint8_t)e->table,
                 e->table == RETAIN_EVENT_ACTIVITY && kind_is(ev->activity_kind, e),
                 e->table == RETAIN_EVENT_ACTIVITY && kind_is(ev->activation_kind, e),
                 e->value,
                 e->line};
    size_t i;
    if (r->implicit) {
        bool made;
        if (!intern_customer(r, id, len, &i, &made) || !ensure_state(ev, i + 1))
            return nomem(diag);
        return fold(ev, i, &f) ? RETAIN_OK : overflow(&f, diag);
    }
    if (!ev->queue && !(ev->queue = malloc(QUEUE * sizeof *ev->queue)))
        return nomem(diag);
    if (ev->state_cap < r->n && !ensure_state(ev, r->n))
        return nomem(diag);
    if (!ev->sync && (e->table == RETAIN_EVENT_ACTIVITY || e->table == RETAIN_EVENT_ORDER) &&
        !rt_money_tally(&ev->tally, e->value)) {
        settle(ev);
        ev->sync = true; /* a sum may overflow: at its own event */
    }
    if (!wait || ev->sync || len > ID_WAIT_MAX) {
        settle(ev);
        size_t pos;
        if (ev->last && same_id(r, ev->last - 1, id, len)) {
            i = ev->last - 1;
        } else if (!lookup(r, id, len, id_hash(id, len), &pos, &i)) {
            ev->last = 0;
            count_unknown(ev, &f);
            return RETAIN_OK;
        }
        ev->last = i + 1;
        return fold(ev, i, &f) ? RETAIN_OK : overflow(&f, diag);
    }
    pending *prev = ev->nq ? &ev->queue[ev->nq - 1] : NULL;
    bool same = prev ? prev->id_len == len && memcmp(ev->qids.data + prev->id_off, id, len) == 0
                     : ev->last && same_id(r, ev->last - 1, id, len);
    pending *p = &ev->queue[ev->nq];
    p->f = f;
    p->same = same;
    if (same && prev) {
        p->id_off = prev->id_off;
        p->id_len = prev->id_len;
    } else {
        p->id_off = (uint32_t)ev->qids.len;
        p->id_len = (uint32_t)len;
        if (!rt_buf_append(&ev->qids, id, len))
            return nomem(diag);
        p->h = same ? 0 : id_hash(id, len);
    }
    if (++ev->nq == QUEUE)
        flush(ev);
    return RETAIN_OK;
}

retain_status retain_events_add(retain_events *ev, const retain_event *e, retain_diag *diag)
{
    return add_event(ev, e, false, diag);
}

retain_status retain_events_add_row(retain_events *ev, retain_table_kind kind,
                                    const retain_row *row, retain_diag *diag)
{
    retain_event e = {RETAIN_EVENT_ACTIVITY, row->line, row->id,
                      row->id_len,           row->date, row->kind_len ? row->kind : NULL,
                      row->kind_len,         row->value};
    switch (kind) {
    case RETAIN_TABLE_EVENTS:
        break;
    case RETAIN_TABLE_TICKETS:
        e.table = RETAIN_EVENT_TICKET;
        break;
    case RETAIN_TABLE_SURVEY:
        if (!row->has_score)
            return RETAIN_OK;
        e.table = RETAIN_EVENT_ANSWER;
        e.value = row->score;
        break;
    case RETAIN_TABLE_ORDERS:
        e.table = RETAIN_EVENT_ORDER;
        e.value = row->has_amount ? row->amount : 0;
        break;
    default:
        return rt_fail(diag, RETAIN_ERR_USAGE, row->line, NULL, "not an event table");
    }
    return add_event(ev, &e, true, diag);
}

retain_status retain_events_add_customer_row(retain_events *ev, const retain_row *row, bool segment,
                                             retain_diag *diag)
{
    return add_customer(ev, row->id, row->id_len, row->start, row->end, row->has_end,
                        row->has_mrr ? row->mrr : 0, segment ? row->extra[0] : NULL,
                        segment ? row->extra_len[0] : 0, row->line, row->fingerprint, row->place,
                        true, diag);
}

retain_status retain_events_merge(retain_events *into, const retain_events *from, retain_diag *diag)
{
    if (into->reg != from->reg || into->ncut != from->ncut ||
        memcmp(into->cutoff, from->cutoff, into->ncut * sizeof into->cutoff[0]) ||
        into->usage_w != from->usage_w || into->ticket_w != from->ticket_w ||
        into->order_w != from->order_w)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "merging event states of other customers or options");
    settle(into);
    settle(from);
    if (!ensure_state(into, from->state_cap))
        return nomem(diag);
    for (size_t i = 0; i < from->state_cap; i++) {
        int32_t fa = from->first[i].activation, *ia = &into->first[i].activation;
        if (fa != NO_DAY && (*ia == NO_DAY || fa < *ia))
            *ia = fa;
        for (size_t k = 0; k < into->ncut; k++) {
            cut_state *a = &into->state[i * into->ncut + k];
            const cut_state *b = &from->state[i * from->ncut + k];
            if (__builtin_add_overflow(a->usage, b->usage, &a->usage) ||
                __builtin_add_overflow(a->usage_before, b->usage_before, &a->usage_before) ||
                __builtin_add_overflow(a->revenue, b->revenue, &a->revenue) ||
                __builtin_add_overflow(a->revenue_before, b->revenue_before, &a->revenue_before))
                return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "a customer's sum past 9.2e12");
            a->tickets += b->tickets;
            a->tickets_before += b->tickets_before;
            a->orders += b->orders;
            if (b->last_act > a->last_act)
                a->last_act = b->last_act;
            if (b->last_order > a->last_order)
                a->last_order = b->last_order;
            if (b->answer_day > a->answer_day ||
                (b->answer_day == a->answer_day && b->answer_day != NO_DAY &&
                 b->answer_line >= a->answer_line)) {
                a->answer_day = b->answer_day;
                a->answer_line = b->answer_line;
                a->score = b->score;
            }
        }
    }
    for (int t = 0; t < RETAIN_EVENT_TABLES; t++) {
        into->unknown_line[t] = earlier_line(into->unknown_line[t], from->unknown_line[t]);
        into->unknown[t] += from->unknown[t];
        if (from->any[t] && (!into->any[t] || from->latest[t] > into->latest[t]))
            into->latest[t] = from->latest[t];
        into->any[t] |= from->any[t];
    }
    return RETAIN_OK;
}

uint64_t retain_events_unknown(const retain_events *ev, retain_event_table table,
                               unsigned long *first_line)
{
    if ((unsigned)table >= RETAIN_EVENT_TABLES)
        return 0;
    settle(ev);
    if (first_line)
        *first_line = ev->unknown[table] ? ev->unknown_line[table] : 0;
    return ev->unknown[table];
}

bool retain_events_latest(const retain_events *ev, retain_event_table table, retain_day *day)
{
    if ((unsigned)table >= RETAIN_EVENT_TABLES || !ev->any[table])
        return false;
    *day = ev->latest[table];
    return true;
}

/* ---- reading back ----------------------------------------------------- */

size_t retain_events_customers(const retain_events *ev)
{
    return ev->reg->n;
}

const char *retain_events_id(const retain_events *ev, size_t i, size_t *len)
{
    *len = ev->reg->ref[i].len;
    return id_bytes(ev->reg, i);
}

bool retain_events_find(const retain_events *ev, const char *id, size_t len, size_t *i)
{
    size_t pos;
    rt_trim(&id, &len);
    return lookup(ev->reg, id, len, id_hash(id, len), &pos, i);
}

/* How many ids rt_events_find_many looks up together. */
#define FIND_BATCH 64

void rt_events_find_many(const retain_events *ev, const rt_events_key *keys, size_t n, size_t *out)
{
    const registry *r = ev->reg;
    const char *id[FIND_BATCH];
    size_t len[FIND_BATCH];
    uint64_t h[FIND_BATCH];
    for (size_t b = 0; b < n; b += FIND_BATCH) {
        size_t m = n - b < FIND_BATCH ? n - b : FIND_BATCH;
        /* the ids hashed and their slots loaded, then the customers the
         * slots name, then the comparisons: the loads overlap, where one
         * id after the other would wait for each */
        for (size_t k = 0; k < m; k++) {
            id[k] = keys[b + k].id;
            len[k] = keys[b + k].len;
            rt_trim(&id[k], &len[k]);
            h[k] = id_hash(id[k], len[k]);
            if (r->slots)
                __builtin_prefetch(&r->slots[h[k] & r->mask]);
        }
        for (size_t k = 0; r->slots && k < m; k++) {
            uint64_t slot = r->slots[h[k] & r->mask];
            if (slot)
                __builtin_prefetch(&r->ref[(slot & 0xFFFFFFFFu) - 1]);
        }
        for (size_t k = 0; k < m; k++) {
            size_t pos, i;
            out[b + k] = len[k] && lookup(r, id[k], len[k], h[k], &pos, &i) ? i : SIZE_MAX;
        }
    }
}

retain_day retain_events_as_of(const retain_events *ev)
{
    return ev->reg->as_of;
}

size_t retain_events_lives(const retain_events *ev, size_t i)
{
    const registry *r = ev->reg;
    if (i >= r->n_lived)
        return 0;
    return r->life_off[i + 1] - r->life_off[i];
}

static void fill_life(const registry *r, const life *l, retain_life *out)
{
    *out = (retain_life){.start = l->start};
    out->has_end = l->end != RT_NO_END;
    out->end = out->has_end ? l->end : 0;
    out->segment = rt_intern_str(&r->segments, l->segment, &out->segment_len);
}

const rt_events_life *rt_events_lives_of(const retain_events *ev, size_t i, size_t *n)
{
    const registry *r = ev->reg;
    *n = i < r->n_lived ? r->life_off[i + 1] - r->life_off[i] : 0;
    return *n ? &r->lives[r->life_off[i]] : NULL;
}

void retain_events_life(const retain_events *ev, size_t i, size_t k, retain_life *out)
{
    const registry *r = ev->reg;
    fill_life(r, &r->lives[r->life_off[i] + k], out);
}

bool retain_events_life_on(const retain_events *ev, size_t i, retain_day d, retain_life *out)
{
    const registry *r = ev->reg;
    if (i >= r->n_lived)
        return false;
    for (size_t k = r->life_off[i]; k < r->life_off[i + 1]; k++) {
        if (r->lives[k].start <= d && d < r->lives[k].end) {
            fill_life(r, &r->lives[k], out);
            return true;
        }
    }
    return false;
}

/* The MRR of the rows serving d (*served: whether any does), and the
 * latest end on or before d of a row that served a day. */
static retain_money rows_mrr_on(const registry *r, size_t i, retain_day d, bool *served,
                                retain_day *last_end)
{
    retain_money sum = 0;
    *last_end = INT32_MIN;
    *served = false;
    for (uint32_t k = r->ref[i].first_row; k; k = r->rows[k - 1].next) {
        const cust_row *row = &r->rows[k - 1];
        if (row->start > r->as_of)
            continue;
        if (row->start <= d && d < row->end) {
            *served = true;
            if (__builtin_add_overflow(sum, row->mrr, &sum))
                return INT64_MAX; /* beyond any amount the reader accepts */
        }
        if (row->end <= d && row->end > row->start && row->end > *last_end)
            *last_end = row->end;
    }
    return sum;
}

/* The MRR of customer i on day d; on a day of a merged gap (no row serves
 * it, a life does: known by the caller when in_life, else looked up), the
 * MRR of the last day served before it. */
static retain_money mrr_on_day(const retain_events *ev, size_t i, retain_day d, bool in_life)
{
    const registry *r = ev->reg;
    retain_day last_end;
    bool served;
    retain_money sum = rows_mrr_on(r, i, d, &served, &last_end);
    retain_life serving;
    if (!served && last_end != INT32_MIN && (in_life || retain_events_life_on(ev, i, d, &serving)))
        sum = rows_mrr_on(r, i, last_end - 1, &served, &last_end);
    return sum;
}

retain_money rt_events_mrr_served(const retain_events *ev, size_t i, retain_day d)
{
    return mrr_on_day(ev, i, d, true);
}

void rt_events_walk_lives(retain_events *ev, const rt_events_lives_walk *walk)
{
    ev->walk = *walk;
}

retain_money retain_events_mrr_on(const retain_events *ev, size_t i, retain_day d)
{
    return i < ev->reg->n ? mrr_on_day(ev, i, d, false) : 0;
}

bool retain_events_cutoff(const retain_events *ev, retain_day c, size_t *k)
{
    for (size_t j = 0; j < ev->ncut; j++) {
        if (ev->cutoff[j] == c) {
            *k = j;
            return true;
        }
    }
    return false;
}

void retain_events_state(const retain_events *ev, size_t i, size_t k, retain_event_state *out)
{
    settle(ev);
    memset(out, 0, sizeof *out);
    out->cutoff = ev->cutoff[k];
    if (i >= ev->state_cap)
        return; /* no event at all */
    const cut_state *c = &ev->state[i * ev->ncut + k];
    out->has_activity = c->last_act != NO_DAY;
    out->last_activity = out->has_activity ? c->last_act : 0;
    out->usage = c->usage;
    out->usage_before = c->usage_before;
    out->tickets = c->tickets;
    out->tickets_before = c->tickets_before;
    out->orders = c->orders;
    out->last_order = c->orders ? c->last_order : 0;
    out->revenue = c->revenue;
    out->revenue_before = c->revenue_before;
    out->has_answer = c->answer_day != NO_DAY;
    out->score = out->has_answer ? c->score : 0;
    out->answer_day = out->has_answer ? c->answer_day : 0;
    int32_t fa = ev->first[i].activation;
    out->has_activation = fa != NO_DAY && fa <= out->cutoff;
    out->activation_day = out->has_activation ? fa : 0;
}

size_t retain_events_bytes(const retain_events *ev)
{
    const registry *r = ev->reg;
    return sizeof *ev + ev->state_cap * (ev->ncut * sizeof *ev->state + sizeof *ev->first) +
           r->ids.cap + r->cap * sizeof *r->ref +
           (r->slots ? (r->mask + 1) * sizeof *r->slots : 0) +
           r->rows_cap * (sizeof *r->rows + (r->row_fp ? 2 * sizeof(uint64_t) : 0)) +
           (r->life_off ? (r->n_lived + 1) * sizeof *r->life_off + r->nrows * sizeof *r->lives : 0);
}

void retain_events_free(retain_events *ev)
{
    if (!ev)
        return;
    registry_free(ev->reg);
    free(ev->state);
    free(ev->first);
    free(ev->activity_kind);
    free(ev->activation_kind);
    free(ev->queue);
    rt_buf_free(&ev->qids);
    free(ev);
}
