/* Unit tests for the internal customer store and string interning
 * (lib/core/store.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* Index of the customer whose first row starts on `start`, or -1. */
static long find_by_start(const rt_store *s, int32_t start)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->cust[i].start == start)
            return (long)i;
    return -1;
}

/* The starts of a customer's extra rows, in any order, into out[]. */
static size_t extra_starts(const rt_store *s, const rt_customer *c, int32_t *out, size_t max)
{
    size_t n = 0;
    for (uint32_t e = c->more; e; e = s->extra[e - 1].next) {
        assert_true(e <= s->nextra);
        assert_true(n < max);
        out[n++] = s->extra[e - 1].start;
    }
    return n;
}

static size_t used_slots(const rt_store *s)
{
    size_t used = 0;
    for (int k = 0; k < RT_SHARDS; k++)
        for (size_t i = 0; s->shard[k].slots && i <= s->shard[k].mask; i++)
            used += s->shard[k].slots[i] != 0;
    return used;
}

static size_t all_slots(const rt_store *s)
{
    size_t n = 0;
    for (int k = 0; k < RT_SHARDS; k++)
        n += s->shard[k].slots ? s->shard[k].mask + 1 : 0;
    return n;
}

#define MANY 200000

static void test_growth_past_rehashes(void **state)
{
    (void)state;
    rt_store s;
    rt_store_init(&s);
    assert_int_equal(s.n, 0);
    assert_int_equal(rt_store_bytes(&s), 0);
    char id[32];
    for (int i = 0; i < MANY; i++) {
        int n = snprintf(id, sizeof id, "customer-%d", i);
        if (!rt_store_add(&s, 0, id, (size_t)n, i, RT_NO_END))
            fail_msg("add %d failed", i);
    }
    assert_int_equal(s.n, MANY);
    assert_int_equal(s.nextra, 0);
    /* power-of-two shards, each under 3/4 full, one slot per customer */
    for (int k = 0; k < RT_SHARDS; k++) {
        const rt_shard *sh = &s.shard[k];
        assert_int_equal(sh->mask & (sh->mask + 1), 0);
        assert_true(4 * sh->used <= 3 * (sh->mask + 1));
    }
    assert_int_equal(used_slots(&s), MANY);
    assert_true(rt_store_bytes(&s) >= MANY * sizeof(rt_customer) + all_slots(&s) * 8);
    /* customers are where their first row says, with nothing chained */
    int32_t *seen = calloc(MANY, sizeof *seen);
    assert_non_null(seen);
    for (size_t i = 0; i < s.n; i++) {
        const rt_customer *c = &s.cust[i];
        assert_true(c->start >= 0 && c->start < MANY);
        assert_int_equal(seen[c->start]++, 0);
        assert_int_equal(c->end, RT_NO_END);
        assert_int_equal(c->more, 0);
        assert_int_equal(c->segment, 0);
    }
    free(seen);

    /* after the rehashes every id is still found: a second row each */
    for (int i = 0; i < MANY; i++) {
        int n = snprintf(id, sizeof id, "customer-%d", i);
        assert_true(rt_store_add(&s, 0, id, (size_t)n, 1000000 + i, 2000000 + i));
    }
    assert_int_equal(s.n, MANY);
    assert_int_equal(s.nextra, MANY);
    /* and a third for every tenth */
    for (int i = 0; i < MANY; i += 10) {
        int n = snprintf(id, sizeof id, "customer-%d", i);
        assert_true(rt_store_add(&s, 0, id, (size_t)n, 3000000 + i, RT_NO_END));
    }
    assert_int_equal(s.n, MANY);
    assert_int_equal(s.nextra, MANY + MANY / 10);
    for (size_t i = 0; i < s.n; i++) {
        const rt_customer *c = &s.cust[i];
        int32_t starts[4];
        size_t k = extra_starts(&s, c, starts, 4);
        int first = c->start;
        if (first % 10 == 0) {
            assert_int_equal(k, 2);
            assert_true((starts[0] == 1000000 + first && starts[1] == 3000000 + first) ||
                        (starts[1] == 1000000 + first && starts[0] == 3000000 + first));
        } else {
            assert_int_equal(k, 1);
            assert_int_equal(starts[0], 1000000 + first);
            assert_int_equal(s.extra[c->more - 1].end, 2000000 + first);
        }
    }
    rt_store_free(&s);
    assert_null(s.shard[0].slots);
    assert_int_equal(s.n, 0);
}

static void test_segments_keep_customers_apart(void **state)
{
    (void)state;
    rt_store s;
    rt_store_init(&s);
    assert_true(rt_store_add(&s, 0, "x", 1, 10, RT_NO_END));
    assert_true(rt_store_add(&s, 1, "x", 1, 20, 25));
    assert_true(rt_store_add(&s, 0, "x", 1, 30, 35));
    assert_true(rt_store_add(&s, 7, "x", 1, 40, RT_NO_END));
    assert_int_equal(s.n, 3);
    assert_int_equal(s.nextra, 1);
    long a = find_by_start(&s, 10), b = find_by_start(&s, 20), c = find_by_start(&s, 40);
    assert_true(a >= 0 && b >= 0 && c >= 0);
    assert_int_equal(s.cust[a].segment, 0);
    assert_int_equal(s.cust[b].segment, 1);
    assert_int_equal(s.cust[b].end, 25);
    assert_int_equal(s.cust[c].segment, 7);
    assert_int_equal(s.cust[b].more, 0);
    assert_int_equal(s.cust[c].more, 0);
    assert_int_not_equal(s.cust[a].more, 0);
    assert_int_equal(s.extra[s.cust[a].more - 1].start, 30);
    assert_int_equal(s.extra[s.cust[a].more - 1].end, 35);
    rt_store_free(&s);
}

static void test_ids_are_bytes(void **state)
{
    (void)state;
    rt_store s;
    rt_store_init(&s);
    assert_true(rt_store_add(&s, 0, "ab", 2, 1, RT_NO_END));
    assert_true(rt_store_add(&s, 0, "ab\0", 3, 2, RT_NO_END)); /* a NUL is a byte */
    assert_true(rt_store_add(&s, 0, "AB", 2, 3, RT_NO_END));   /* case counts */
    assert_true(rt_store_add(&s, 0, "", 0, 4, RT_NO_END));
    assert_true(rt_store_add(&s, 0, "abc", 2, 5, RT_NO_END)); /* "ab" again */
    assert_true(rt_store_add(&s, 0, "", 0, 6, RT_NO_END));
    assert_int_equal(s.n, 4);
    assert_int_equal(s.nextra, 2);
    long ab = find_by_start(&s, 1), empty = find_by_start(&s, 4);
    assert_true(ab >= 0 && empty >= 0);
    assert_int_equal(s.extra[s.cust[ab].more - 1].start, 5);
    assert_int_equal(s.extra[s.cust[empty].more - 1].start, 6);
    rt_store_free(&s);
}

static void test_add_many(void **state)
{
    (void)state;
    enum { ROWS = 5000, IDS = 1000 };
    rt_pending *rows = calloc(ROWS, sizeof *rows);
    assert_non_null(rows);
    char id[32];
    for (int i = 0; i < ROWS; i++) {
        int n = snprintf(id, sizeof id, "k%d", i % IDS);
        rt_store_key((uint32_t)(i % 2), id, (size_t)n, &rows[i]);
        rows[i].start = i;
        rows[i].end = RT_NO_END;
    }
    rt_store s;
    rt_store_init(&s);
    /* in two batches, with duplicates inside each */
    assert_true(rt_store_add_many(&s, rows, ROWS / 2));
    assert_true(rt_store_add_many(&s, rows + ROWS / 2, ROWS - ROWS / 2));
    /* (i % 1000, i % 2): 1000 ids, each in the segment of its parity */
    assert_int_equal(s.n, IDS);
    assert_int_equal(s.nextra, ROWS - IDS);
    for (size_t i = 0; i < s.n; i++) {
        const rt_customer *c = &s.cust[i];
        assert_true(c->start < IDS); /* the first row added comes first */
        assert_int_equal(c->segment, (uint32_t)(c->start % 2));
        int32_t starts[8];
        size_t k = extra_starts(&s, c, starts, 8);
        assert_int_equal(k, ROWS / IDS - 1);
        int32_t sum = 0;
        for (size_t j = 0; j < k; j++) {
            assert_int_equal(starts[j] % IDS, c->start);
            sum += starts[j];
        }
        /* c + 1000 + c + 2000 + c + 3000 + c + 4000 */
        assert_int_equal(sum, 4 * c->start + 10000);
    }
    /* rt_store_add finds the same customers */
    assert_true(rt_store_add(&s, 1, "k1", 2, 99999, RT_NO_END));
    assert_int_equal(s.n, IDS);
    assert_true(rt_store_add(&s, 0, "k1", 2, 99999, RT_NO_END)); /* other segment */
    assert_int_equal(s.n, IDS + 1);
    rt_store_free(&s);
    free(rows);
}

/* ---- interning -------------------------------------------------------- */

static uint32_t get(rt_intern *t, const char *s, size_t len)
{
    uint32_t index = 0xDEADBEEF;
    assert_true(rt_intern_get(t, s, len, &index));
    return index;
}

static void assert_str(const rt_intern *t, uint32_t index, const char *s, size_t len)
{
    size_t got_len = 12345;
    const char *got = rt_intern_str(t, index, &got_len);
    assert_int_equal(got_len, len);
    assert_memory_equal(got, s, len);
    assert_int_equal(got[len], '\0');
}

/* Rows appended whole (rt_store_append): customers in order, each with
 * its rows and MRR, no key and no slot. */
static void test_append_whole(void **state)
{
    (void)state;
    rt_store s;
    rt_store_init(&s);
    rt_store_keep_mrr(&s);
    for (int i = 0; i < 3000; i++)
        for (int k = 0; k <= i % 3; k++)
            assert_true(
                rt_store_append(&s, (uint32_t)(i % 5), 10 * k, 10 * k + 5, 1000 * i + k, k == 0));
    assert_int_equal(s.n, 3000);
    assert_int_equal(s.nextra, 3000); /* 0 + 1 + 2 a customer of three */
    assert_int_equal(used_slots(&s), 0);
    rt_spans buf = {0};
    for (size_t i = 0; i < s.n; i++) {
        assert_int_equal(s.cust[i].segment, i % 5);
        size_t n = rt_store_rows(&s, i, 1000, &buf);
        assert_int_equal(n, i % 3 + 1);
        rt_spans_sort(buf.v, n);
        for (size_t k = 0; k < n; k++) {
            assert_int_equal(buf.v[k].start, 10 * (int)k);
            assert_int_equal(buf.v[k].end, 10 * (int)k + 5);
            assert_int_equal(buf.v[k].mrr, 1000 * (int64_t)i + (int64_t)k);
        }
    }
    free(buf.v);
    rt_store_free(&s);
}

static void test_intern_basics(void **state)
{
    (void)state;
    rt_intern t;
    rt_intern_init(&t);
    assert_int_equal(get(&t, "b", 1), 0);
    assert_int_equal(get(&t, "a", 1), 1);
    assert_int_equal(get(&t, "c", 1), 2);
    assert_int_equal(get(&t, "a", 1), 1);
    assert_int_equal(get(&t, "abc", 1), 1); /* only len bytes count */
    assert_int_equal(t.n, 3);
    assert_str(&t, 0, "b", 1);
    assert_str(&t, 1, "a", 1);
    assert_str(&t, 2, "c", 1);
    assert_string_equal(rt_intern_str(&t, 0, NULL), "b"); /* len may be NULL */
    uint32_t *order = rt_intern_sorted(&t);
    assert_non_null(order);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 0);
    assert_int_equal(order[2], 2);
    free(order);
    rt_intern_free(&t);
}

static void test_intern_sorted_by_bytes(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
    } v[] = {{"b", 1},   {"ab", 2}, {"\xc3\xa9", 2}, {"", 0},    {"a\0b", 3},
             {"abc", 3}, {"Z", 1},  {"a", 1},        {"\x7f", 1}};
    /* byte order: "", "Z", "a", "a\0b", "ab", "abc", "b", "\x7f", "\xc3\xa9" */
    static const size_t expect[] = {3, 6, 7, 4, 1, 5, 0, 8, 2};
    rt_intern t;
    rt_intern_init(&t);
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(get(&t, v[i].s, v[i].len), i);
    assert_int_equal(t.n, 9);
    uint32_t *order = rt_intern_sorted(&t);
    assert_non_null(order);
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(order[i], expect[i]);
    free(order);
    rt_intern_free(&t);
}

static void test_intern_many(void **state)
{
    (void)state;
    enum { COUNT = 5000 };
    rt_intern t;
    rt_intern_init(&t);
    char s[32];
    for (int i = 0; i < COUNT; i++) {
        int n = snprintf(s, sizeof s, "value-%d", i);
        assert_int_equal(get(&t, s, (size_t)n), (uint32_t)i);
    }
    /* indices stay put through the rehashes */
    for (int i = COUNT - 1; i >= 0; i--) {
        int n = snprintf(s, sizeof s, "value-%d", i);
        assert_int_equal(get(&t, s, (size_t)n), (uint32_t)i);
        assert_str(&t, (uint32_t)i, s, (size_t)n);
    }
    assert_int_equal(t.n, COUNT);
    uint32_t *order = rt_intern_sorted(&t);
    assert_non_null(order);
    /* a permutation, in strictly increasing byte order */
    char *seen = calloc(COUNT, 1);
    assert_non_null(seen);
    for (int i = 0; i < COUNT; i++) {
        assert_true(order[i] < COUNT);
        assert_int_equal(seen[order[i]]++, 0);
        if (i > 0) {
            size_t la, lb;
            const char *a = rt_intern_str(&t, order[i - 1], &la);
            const char *b = rt_intern_str(&t, order[i], &lb);
            int c = memcmp(a, b, la < lb ? la : lb);
            assert_true(c < 0 || (c == 0 && la < lb));
        }
    }
    /* value-0 < value-1 < value-10 < value-100 < value-1000 < value-1001 */
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 10);
    assert_int_equal(order[3], 100);
    assert_int_equal(order[4], 1000);
    assert_int_equal(order[5], 1001);
    free(seen);
    free(order);
    rt_intern_free(&t);
}

static void test_intern_empty_sorted(void **state)
{
    (void)state;
    rt_intern t;
    rt_intern_init(&t);
    uint32_t *order = rt_intern_sorted(&t);
    assert_non_null(order); /* NULL would mean out of memory */
    free(order);
    rt_intern_free(&t);
}

/* Exact duplicate rows: whatever order the copies of rows come in, the
 * first duplicate found is the second-earliest copy of a row, paired with
 * the earliest, and each copy beyond the first counts once. */
static void test_rowset_first_duplicate_in_any_order(void **state)
{
    (void)state;
    /* (customer, fingerprint, place): row 7 of customer 0 is copied at 40
     * and 90; row 12 of customer 1 at 30; customer 2's fingerprint 5 is
     * customer 0's too, which is no duplicate */
    static const struct {
        uint32_t cust;
        uint64_t fp, place;
    } rows[] = {{0, 5, 7},  {1, 9, 12}, {0, 5, 40}, {1, 9, 30}, {0, 5, 90},
                {2, 5, 50}, {0, 6, 60}, {1, 8, 20}, {2, 7, 25}};
    const size_t n = sizeof rows / sizeof rows[0];
    unsigned seed = 1;
    for (int round = 0; round < 200; round++) {
        size_t order[sizeof rows / sizeof rows[0]];
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        for (size_t i = n - 1; round > 0 && i > 0; i--) { /* round 0: file order */
            seed = seed * 1103515245u + 12345u;
            size_t j = (seed >> 16) % (i + 1);
            size_t t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        rt_rowset r;
        memset(&r, 0, sizeof r);
        int kept = 0;
        for (size_t i = 0; i < n; i++) {
            int k =
                rt_rowset_add(&r, rows[order[i]].cust, 3, rows[order[i]].fp, rows[order[i]].place);
            assert_true(k >= 0);
            kept += k;
        }
        assert_int_equal(kept, 6);
        uint64_t at, of;
        assert_int_equal(rt_rowset_duplicates(&r, &at, &of), 3);
        assert_int_equal(at, 30); /* customer 1's copy of row 12 comes first */
        assert_int_equal(of, 12);
        rt_rowset_free(&r);
    }
}

/* A store with dedup leaves out a row whose fingerprint repeats one of the
 * same customer's, and only such a row. */
static void test_store_drops_duplicate_rows(void **state)
{
    (void)state;
    rt_store s;
    rt_store_init(&s);
    rt_store_dedup(&s);
    assert_true(rt_store_push_row(&s, 0, "a", 1, 10, 20, 0, 111, 2));
    assert_true(rt_store_push_row(&s, 0, "a", 1, 10, 20, 0, 111, 3)); /* duplicate */
    assert_true(rt_store_push_row(&s, 0, "a", 1, 10, 20, 0, 112, 4)); /* another cell */
    assert_true(rt_store_push_row(&s, 1, "a", 1, 10, 20, 0, 111, 5)); /* another segment */
    assert_true(rt_store_push_row(&s, 0, "b", 1, 10, 20, 0, 111, 6)); /* another customer */
    assert_true(rt_store_push_row(&s, 0, "b", 1, 10, 20, 0, 0, 7));   /* no fingerprint */
    assert_true(rt_store_flush(&s));
    assert_int_equal(s.n, 3);
    assert_int_equal(s.nextra, 2);
    uint64_t at, of;
    assert_int_equal(rt_rowset_duplicates(&s.rows, &at, &of), 1);
    assert_int_equal(at, 3);
    assert_int_equal(of, 2);
    rt_store_free(&s);
}

/* Rows pushed past several batches (added on the store's own thread)
 * give the store that adding them at once gives, duplicates included. */
static void test_push_many_batches(void **state)
{
    (void)state;
    enum { ROWS = 5 * RT_QUEUE_ROWS + 17, IDS = 1001 };
    rt_pending *rows = calloc(ROWS, sizeof *rows);
    assert_non_null(rows);
    rt_store pushed, added;
    rt_store_init(&pushed);
    rt_store_init(&added);
    rt_store_dedup(&pushed);
    rt_store_dedup(&added);
    char id[32];
    for (int i = 0; i < ROWS; i++) {
        int n = snprintf(id, sizeof id, "k%d", i % IDS);
        /* every 5th row repeats the one 3 * IDS rows before it */
        int32_t start = i % 5 == 0 && i >= 3 * IDS ? i - 3 * IDS : i;
        rt_store_key(0, id, (size_t)n, &rows[i]);
        rows[i].start = start;
        rows[i].end = RT_NO_END;
        rows[i].fp = (uint64_t)start + 1;
        rows[i].place = (uint64_t)i + 2;
        assert_true(rt_store_push_row(&pushed, 0, id, (size_t)n, start, RT_NO_END, 0, rows[i].fp,
                                      rows[i].place));
    }
    assert_true(rt_store_flush(&pushed));
    assert_true(rt_store_add_many(&added, rows, ROWS));
    assert_int_equal(pushed.n, added.n);
    assert_int_equal(pushed.nextra, added.nextra);
    uint64_t at[2], of[2];
    assert_int_equal(rt_rowset_duplicates(&pushed.rows, &at[0], &of[0]),
                     rt_rowset_duplicates(&added.rows, &at[1], &of[1]));
    assert_true(rt_rowset_duplicates(&added.rows, NULL, NULL) > 0);
    assert_int_equal(at[0], at[1]);
    assert_int_equal(of[0], of[1]);
    for (size_t i = 0; i < added.n; i++) {
        assert_int_equal(pushed.cust[i].lo, added.cust[i].lo);
        assert_int_equal(pushed.cust[i].start, added.cust[i].start);
    }
    rt_store_free(&pushed);
    rt_store_free(&added);
    free(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_growth_past_rehashes),
        cmocka_unit_test(test_segments_keep_customers_apart),
        cmocka_unit_test(test_ids_are_bytes),
        cmocka_unit_test(test_rowset_first_duplicate_in_any_order),
        cmocka_unit_test(test_store_drops_duplicate_rows),
        cmocka_unit_test(test_add_many),
        cmocka_unit_test(test_push_many_batches),
        cmocka_unit_test(test_append_whole),
        cmocka_unit_test(test_intern_basics),
        cmocka_unit_test(test_intern_sorted_by_bytes),
        cmocka_unit_test(test_intern_many),
        cmocka_unit_test(test_intern_empty_sorted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
