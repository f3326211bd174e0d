/* Compact per-customer state, shared by the metrics that must recognise a
 * customer across rows (win-backs, overlapping rows). Not exported.
 *
 * A customer is keyed by a 128-bit XXH3 hash of its id, seeded with its
 * segment: ids themselves are not kept. Two different ids among 10^8 share
 * a key with probability below 10^-22. */
#ifndef RETAIN_STORE_H
#define RETAIN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <retain/date.h>

#define RT_NO_END INT32_MAX /* an open row: served through as-of and beyond */

/* One subscription row of a customer beyond its first. */
typedef struct {
    int32_t start, end;
    uint32_t next; /* index + 1 of the customer's next extra row; 0 ends */
} rt_extra_row;

typedef struct {
    uint64_t lo, hi;
    int32_t start, end; /* the first row added */
    uint32_t more;      /* index + 1 of its first extra row; 0 when none */
    uint32_t segment;
} rt_customer;

/* A row waiting to be added: its customer's key already hashed. */
typedef struct {
    uint64_t lo, hi;
    uint32_t segment;
    int32_t start, end;
    int64_t mrr; /* kept only with keep_mrr */
    /* the reader's fingerprint of the row's cells (0: none, never a
     * duplicate) and place (retain_row.place) */
    uint64_t fp, place;
} rt_pending;

/* Exact duplicate rows (retain_row.fingerprint): per customer, the
 * fingerprint of each distinct row added and where it was, nothing else of
 * the rows (20 bytes a row, 4 a customer). Of the copies of a row, the
 * earliest place is kept, so that the first duplicate in file order is
 * found whatever order the rows come in: the one whose place is smallest
 * among the later copies. */
typedef struct {
    uint32_t *head; /* per customer index: index + 1 of its latest row; 0: none */
    size_t head_cap;
    uint64_t *fp, *place;
    uint32_t *next;
    size_t n, cap;
    unsigned long dups;
    uint64_t dup_place, dup_of; /* the first duplicate, and the row it repeats */
} rt_rowset;

void rt_rowset_free(rt_rowset *r);

/* Grows three arrays of rows kept together (fingerprints, places and the
 * next row's index, as rt_rowset's) to cap entries each; false when out of
 * memory (those grown stay valid, the others unchanged). */
bool rt_row_chains_grow(uint64_t **fp, uint64_t **place, uint32_t **next, size_t cap);

/* Room for n customers of one row each; false when out of memory. */
bool rt_rowset_reserve(rt_rowset *r, size_t n);

/* Customer cust (an index below ncust) has a row of fingerprint fp (not
 * 0) at place: 1 when it is new (and now kept), 0 when it repeats one of
 * the customer's rows (counted), -1 when out of memory. */
int rt_rowset_add(rt_rowset *r, uint32_t cust, size_t ncust, uint64_t fp, uint64_t place);

/* Counts a row at place that repeats the kept one at *kept: of two equal
 * rows, the later in the files is the duplicate, and *kept becomes the
 * earlier of the two, so that the first duplicate in file order is found
 * whatever order the rows come in. For rows kept elsewhere (the store's
 * own, lives); rt_rowset_add counts with it. */
void rt_rowset_count(rt_rowset *r, uint64_t place, uint64_t *kept);

/* The duplicates counted; *place and *of (may be NULL) the first one's
 * place and that of the row it repeats. */
unsigned long rt_rowset_duplicates(const rt_rowset *r, uint64_t *place, uint64_t *of);

size_t rt_rowset_bytes(const rt_rowset *r);

/* Maps in the pages of a new array whose every page will be written soon
 * (a hash table: keys spread evenly) at once, instead of a fault or two
 * apiece (the zero page mapped on a probe's read, copied on the write,
 * the other core's TLB flushed). A hint: nothing where the system cannot. */
void rt_populate(void *p, size_t bytes);

/* The hash index is split in shards by the key's top byte, each growing
 * on its own: growing one big table would stop the caller for a fraction
 * of a second at every doubling, and with it the parsing thread. */
#define RT_SHARDS 256

typedef struct {
    uint64_t *slots; /* (tag << 32) | (customer index + 1); 0 is free */
    size_t mask;
    size_t used;
} rt_shard;

typedef struct {
    rt_shard shard[RT_SHARDS];
    rt_customer *cust;
    size_t n, cap;
    rt_extra_row *extra;
    size_t nextra, extra_cap;
    /* With keep_mrr (rt_store_keep_mrr), each row's MRR too, beside the
     * rows: mrr[i] for cust[i]'s first row, extra_mrr[j] for extra[j].
     * Off by default: the metrics that count customers pay nothing. */
    bool keep_mrr;
    int64_t *mrr, *extra_mrr;
    /* With rt_store_dedup: a row that repeats one of its customer's
     * (same start, end and fingerprint rt_pending.fp) is counted in
     * rows.dups (rows.dup_place, rows.dup_of: rt_rowset_duplicates reads
     * them) and not added. Each row's fingerprint and place are kept
     * beside it, as its MRR is: fp[i], place[i] for cust[i]'s first row,
     * extra_fp[j], extra_place[j] for extra[j] (16 bytes a row; NULL
     * until a row with a fingerprint comes, 0 for a row without). A new
     * customer needs no check, and a known one's rows are compared by
     * start and end first, which it has at hand: the fingerprints are
     * read only for a row with the same days. rows' own tables stay
     * empty. */
    bool dedup;
    uint64_t *fp, *place, *extra_fp, *extra_place;
    rt_rowset rows;
    /* Rows queued by rt_store_push, added in batches of RT_QUEUE_ROWS;
     * from the first full batch on, on a thread of their own (adder) while
     * the caller reads on: the lookups, a cache miss each with millions of
     * customers, are a third of what the caller does per row. */
    rt_pending *queue;
    size_t nqueue;
    struct rt_worker *adder;
} rt_store;

#define RT_QUEUE_ROWS 4096

void rt_store_init(rt_store *s);

/* Keep each row's MRR (rt_pending.mrr); call before the first add. */
void rt_store_keep_mrr(rt_store *s);
/* Leave out exact duplicate rows (rt_rowset); call before the first add. */
void rt_store_dedup(rt_store *s);
void rt_store_free(rt_store *s);

/* The key of customer (segment, id). */
void rt_store_key(uint32_t segment, const char *id, size_t id_len, rt_pending *p);

/* Adds rows to their customers, in order; false when out of memory. Adding
 * many at once lets the table's memory be fetched ahead: with millions of
 * customers each new key is a cache miss. */
bool rt_store_add_many(rt_store *s, const rt_pending *rows, size_t n);

/* The most customers a store holds (indices are 32-bit). */
#define RT_MAX_CUSTOMERS 0xFFFFFFFEu

/* Finds the customer of each row, or adds it with that row as its first
 * (and its segment; more = 0), in order: index[i] receives the customer's
 * index, found[i] whether it was there before the row. For state kept
 * beside the store (rt_store.cap entries suffice). False when out of
 * memory or past RT_MAX_CUSTOMERS. */
bool rt_store_locate_many(rt_store *s, const rt_pending *rows, size_t n, uint32_t *index,
                          bool *found);

/* Adds one row to the customer (segment, id); false when out of memory. */
bool rt_store_add(rt_store *s, uint32_t segment, const char *id, size_t id_len, retain_day start,
                  int32_t end);

/* Adds a row without a key, for a caller whose customers come whole and
 * are distinct by construction (ids already told apart elsewhere): with
 * new_customer, as the first row of a new customer, else as one more row
 * of the last one appended. No hash, no lookup: such a customer is never
 * found by a key, so a store is filled either this way or by keys, never
 * both. False when out of memory or past RT_MAX_CUSTOMERS. */
bool rt_store_append(rt_store *s, uint32_t segment, int32_t start, int32_t end, int64_t mrr,
                     bool new_customer);

/* Makes room for about n customers in all, so that the tables need not
 * grow on the way; false when out of memory. */
bool rt_store_reserve(rt_store *s, size_t n);

/* Queues a row of customer (segment, id) and adds the queue when full
 * (on the adder thread: see rt_store.queue); false when out of memory
 * (here or in a batch added before). rt_store_flush adds what is queued
 * and waits for the thread: call it before reading the store, and use no
 * other function on the store between the first push and the flush but
 * rt_store_push, rt_store_push_row, rt_store_reserve, rt_store_add_many,
 * rt_store_locate_many (these wait for the thread's batch) and
 * rt_store_free. */
bool rt_store_push(rt_store *s, uint32_t segment, const char *id, size_t id_len, retain_day start,
                   int32_t end, int64_t mrr);
/* The same, for a row of the reader's with its fingerprint and place. */
bool rt_store_push_row(rt_store *s, uint32_t segment, const char *id, size_t id_len,
                       retain_day start, int32_t end, int64_t mrr, uint64_t fp, uint64_t place);
bool rt_store_flush(rt_store *s);

/* One row of a customer as the metrics see it at as-of. */
typedef struct {
    int32_t start, end; /* end RT_NO_END when open or after as-of */
    int64_t mrr;
} rt_span;

/* A growable buffer of rows, owned by the caller (free its v). */
typedef struct {
    rt_span *v;
    size_t cap;
} rt_spans;

/* The rows of customer i, ends after as_of made open, into buf; the
 * number of rows, or 0 when out of memory. */
size_t rt_store_rows(const rt_store *s, size_t i, retain_day as_of, rt_spans *buf);

/* Sorts rows by start; then merges them into the disjoint spans of days
 * they serve, joining spans apart by at most gap days (a customer's
 * lives, retain-metrics(7) "Lives": the gap's days are served): out (n rows at most, may be
 * rows itself) receives the spans, their number is returned. A row that
 * serves no day is left out; with gap > 0 it takes part as in a life
 * (retain-metrics(7)): it may join spans, and alone it is an empty span. */
void rt_spans_sort(rt_span *rows, size_t n);
size_t rt_spans_merge(const rt_span *sorted, size_t n, int32_t gap, rt_span *out);

/* Bytes held, for memory reports. */
size_t rt_store_bytes(const rt_store *s);

/* String interning: small tables of distinct values (segments, reasons)
 * mapped to dense indices in order of first appearance. */
typedef struct {
    uint32_t *slots; /* index + 1; 0 is free */
    size_t mask;
    char *bytes;
    size_t bytes_len, bytes_cap;
    size_t *off; /* n + 1 offsets into bytes */
    size_t n, cap;
    uint32_t last; /* index + 1 of the last value looked up: rows often
                      repeat it (no segment at all, sorted exports) */
} rt_intern;

void rt_intern_init(rt_intern *t);
void rt_intern_free(rt_intern *t);
/* Index of the value, added when new; false when out of memory. */
bool rt_intern_lookup(rt_intern *t, const char *s, size_t len, uint32_t *index);

/* rt_intern_lookup, with the value last looked up answered inline: rows
 * mostly repeat it (no segment at all, sorted exports), and the callers
 * call this once a row. */
static inline bool rt_intern_get(rt_intern *t, const char *s, size_t len, uint32_t *index)
{
    if (t->last) {
        size_t at = t->off[t->last - 1];
        if (t->off[t->last] - at - 1 == len && (len == 0 || memcmp(t->bytes + at, s, len) == 0)) {
            *index = t->last - 1;
            return true;
        }
    }
    return rt_intern_lookup(t, s, len, index);
}
const char *rt_intern_str(const rt_intern *t, uint32_t index, size_t *len);
/* Index of the value when present; never adds. */
bool rt_intern_find(const rt_intern *t, const char *s, size_t len, uint32_t *index);
/* The byte order of two values (memcmp, a prefix first): < 0, 0, > 0. */
int rt_intern_compare(const rt_intern *t, uint32_t a, uint32_t b);
/* Indices sorted by the bytes of their values; the caller frees it. */
uint32_t *rt_intern_sorted(const rt_intern *t);

#endif
