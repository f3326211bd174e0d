/* Most-significant-byte radix sort of records by a key of bytes, in
 * place (American flag sort: a histogram of the byte, then each record
 * moved once into its bucket), the buckets shared by two threads. See
 * keysort.h. */
#define _GNU_SOURCE /* qsort_r */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keysort.h"

/* Buckets this small are sorted by insertion. */
#define SMALL 24
/* Records from which a second thread takes half of the buckets. */
#define TWO_THREADS 65536
/* Buckets handed to the threads; the largest is split until none holds
 * more than an eighth of the records. */
#define MAX_TASKS 2048

typedef struct {
    size_t size, keylen;
    rt_keysort_tie tie;
    void *ctx;
    size_t nvary;
    unsigned char vary[RT_KEYSORT_MAX_SIZE]; /* key bytes in which records differ */
} sorter;

/* A copy of a record, of one of the sizes rt_keysort takes: fixed-size
 * moves the compiler inlines (a libc call per move would cost more than
 * the sort's other work). */
static inline void copy(void *to, const void *from, size_t size)
{
    switch (size >> 3) {
#define C(k)                                                                                       \
    case k:                                                                                        \
        memcpy(to, from, 8 * k);                                                                   \
        break;
        C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8)
#undef C
    }
}

static int compare(const sorter *s, const unsigned char *a, const unsigned char *b)
{
    int c = memcmp(a, b, s->keylen);
    return c || !s->tie ? c : s->tie(a, b, s->ctx);
}

static int compare_tie(const void *a, const void *b, void *sorter_)
{
    const sorter *s = sorter_;
    return s->tie(a, b, s->ctx);
}

static void insertion(const sorter *s, unsigned char *a, size_t n)
{
    size_t size = s->size;
    unsigned char tmp[RT_KEYSORT_MAX_SIZE];
    for (size_t i = 1; i < n; i++) {
        unsigned char *p = a + i * size;
        if (compare(s, p - size, p) <= 0)
            continue;
        copy(tmp, p, size);
        size_t j = i;
        do {
            copy(a + j * size, a + (j - 1) * size, size);
            j--;
        } while (j > 0 && compare(s, a + (j - 1) * size, tmp) > 0);
        copy(a + j * size, tmp, size);
    }
}

/* Moves the n records of a into buckets by their byte pos, count[b]
 * records with byte b, in the order of b. False, nothing moved, when they
 * all have the same byte there. */
static bool partition(const sorter *s, unsigned char *a, size_t n, size_t pos, size_t count[256])
{
    size_t size = s->size;
    memset(count, 0, 256 * sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[a[i * size + pos]]++;
    if (count[a[pos]] == n)
        return false;
    size_t next[256], end[256], at = 0;
    for (int b = 0; b < 256; b++) {
        next[b] = at;
        at += count[b];
        end[b] = at;
    }
    unsigned char tmp[RT_KEYSORT_MAX_SIZE];
    for (int b = 0; b < 256; b++) {
        while (next[b] < end[b]) {
            unsigned char *home = a + next[b] * size;
            unsigned v = home[pos];
            if (v == (unsigned)b) {
                next[b]++;
                continue;
            }
            /* a cycle: the record moves to its bucket, the one there on */
            copy(tmp, home, size);
            do {
                unsigned char *to = a + next[v]++ * size;
                unsigned char swap[RT_KEYSORT_MAX_SIZE];
                copy(swap, to, size);
                copy(to, tmp, size);
                copy(tmp, swap, size);
                v = tmp[pos];
            } while (v != (unsigned)b);
            copy(home, tmp, size);
            next[b]++;
        }
    }
    return true;
}

/* Sorts n records that agree on the first v varying bytes. */
static void sort_range(const sorter *s, unsigned char *a, size_t n, size_t v)
{
    size_t count[256];
    for (;;) {
        if (n <= SMALL) {
            insertion(s, a, n);
            return;
        }
        if (v == s->nvary) { /* equal keys */
            if (s->tie)
                qsort_r(a, n, s->size, compare_tie, (void *)s);
            return;
        }
        if (partition(s, a, n, s->vary[v], count))
            break;
        v++;
    }
    size_t at = 0;
    for (int b = 0; b < 256; at += count[b++])
        if (count[b] > 1)
            sort_range(s, a + at * s->size, count[b], v + 1);
}

/* The key bytes in which some records differ from the first. */
static void find_varying(sorter *s, const unsigned char *a, size_t n)
{
    uint64_t diff[RT_KEYSORT_MAX_SIZE / 8] = {0}, first[RT_KEYSORT_MAX_SIZE / 8];
    size_t words = (s->keylen + 7) / 8;
    memcpy(first, a, 8 * words);
    for (size_t i = 1; i < n; i++) {
        const unsigned char *p = a + i * s->size;
        for (size_t w = 0; w < words; w++) {
            uint64_t x;
            memcpy(&x, p + 8 * w, 8);
            diff[w] |= x ^ first[w];
        }
    }
    unsigned char bytes[RT_KEYSORT_MAX_SIZE];
    memcpy(bytes, diff, sizeof bytes);
    s->nvary = 0;
    for (size_t k = 0; k < s->keylen; k++)
        if (bytes[k])
            s->vary[s->nvary++] = (unsigned char)k;
}

typedef struct {
    unsigned char *a;
    size_t n, v;
} task;

typedef struct {
    const sorter *s;
    task *t;
    size_t nt;
    atomic_size_t next;
} pool;

static void *work(void *pool_)
{
    pool *p = pool_;
    for (size_t k; (k = atomic_fetch_add(&p->next, 1)) < p->nt;)
        sort_range(p->s, p->t[k].a, p->t[k].n, p->t[k].v);
    return NULL;
}

static int larger_first(const void *x, const void *y)
{
    const task *a = x, *b = y;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return a->a < b->a ? -1 : a->a > b->a;
}

/* Splits the largest buckets into tasks, sorts them on two threads;
 * false (nothing moved) when no task list can be had. */
static bool sort_two(const sorter *s, unsigned char *a, size_t n)
{
    task *t = malloc(MAX_TASKS * sizeof *t);
    if (!t)
        return false;
    size_t nt = 1;
    t[0] = (task){a, n, 0};
    for (;;) {
        size_t big = 0;
        for (size_t k = 1; k < nt; k++)
            if (t[k].n > t[big].n)
                big = k;
        task x = t[big];
        if (x.n <= n / 8 || x.n <= SMALL || x.v == s->nvary || nt + 256 > MAX_TASKS)
            break;
        size_t count[256];
        bool split = false;
        while (x.v < s->nvary && !(split = partition(s, x.a, x.n, s->vary[x.v], count)))
            x.v++;
        if (!split) {
            t[big] = x; /* equal keys: one task */
            break;
        }
        t[big] = t[--nt];
        size_t at = 0;
        for (int b = 0; b < 256; at += count[b++])
            if (count[b] > 1)
                t[nt++] = (task){x.a + at * s->size, count[b], x.v + 1};
    }
    qsort(t, nt, sizeof *t, larger_first);
    pool p = {.s = s, .t = t, .nt = nt};
    atomic_init(&p.next, 0);
    pthread_t helper;
    bool two = pthread_create(&helper, NULL, work, &p) == 0;
    work(&p);
    if (two)
        pthread_join(helper, NULL);
    free(t);
    return true;
}

bool rt_keysort(void *base, size_t n, size_t size, size_t keylen, rt_keysort_tie tie, void *ctx,
                int threads)
{
    if (size == 0 || size % 8 || size > RT_KEYSORT_MAX_SIZE || keylen == 0 || keylen > size)
        return false;
    if (n < 2)
        return true;
    sorter s = {.size = size, .keylen = keylen, .tie = tie, .ctx = ctx};
    find_varying(&s, base, n);
    if (threads < 2 || n < TWO_THREADS || !sort_two(&s, base, n))
        sort_range(&s, base, n, 0);
    return true;
}

void rt_keymerge(const void *a, size_t na, const void *b, size_t nb, size_t size, size_t keylen,
                 rt_keysort_tie tie, void *ctx, uint32_t *order)
{
    sorter s = {.size = size, .keylen = keylen, .tie = tie, .ctx = ctx};
    const unsigned char *x = a, *y = b;
    size_t i = 0, j = 0, k = 0;
    while (i < na && j < nb) {
        if (compare(&s, x + i * size, y + j * size) <= 0)
            order[k++] = (uint32_t)i++;
        else
            order[k++] = (uint32_t)(na + j++);
    }
    while (i < na)
        order[k++] = (uint32_t)i++;
    while (j < nb)
        order[k++] = (uint32_t)(na + j++);
}
