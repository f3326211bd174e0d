/* Unit tests for the radix sort of records by a key of bytes
 * (lib/core/keysort.h), against qsort with the same order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "keysort.h"

/* A record: the key's bytes, then a tie-breaker and the record's place
 * in the input (to tell records apart after the sort). */
typedef struct {
    unsigned char key[20];
    uint32_t tie;
    uint64_t place;
} rec;

static uint64_t rng_state;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static size_t keylen_of_test = 20;

static int by_tie(const void *a, const void *b, void *ctx)
{
    assert_ptr_equal(ctx, &keylen_of_test);
    const rec *x = a, *y = b;
    return (x->tie > y->tie) - (x->tie < y->tie);
}

static int by_key_then_tie(const void *a, const void *b)
{
    int c = memcmp(a, b, keylen_of_test);
    return c ? c : by_tie(a, b, &keylen_of_test);
}

/* n records whose keys take few values per byte (alphabet letters, some
 * bytes constant), so that buckets and equal keys are many. */
static void fill(rec *v, size_t n, int alphabet, bool unique_ties)
{
    for (size_t i = 0; i < n; i++) {
        memset(&v[i], 0, sizeof v[i]);
        for (size_t k = 0; k < keylen_of_test; k++)
            v[i].key[k] = k % 5 == 2 ? 'C' : (unsigned char)(rnd() % (unsigned)alphabet * 37);
        v[i].tie = unique_ties ? (uint32_t)i * 2654435761u : (uint32_t)(rnd() % 3);
        v[i].place = i;
    }
}

static void check_sorted_like_qsort(size_t n, int alphabet, size_t keylen, int threads)
{
    keylen_of_test = keylen;
    rec *v = malloc((n ? n : 1) * sizeof *v), *w = malloc((n ? n : 1) * sizeof *w);
    assert_non_null(v);
    assert_non_null(w);
    fill(v, n, alphabet, true);
    memcpy(w, v, n * sizeof *v);
    assert_true(rt_keysort(v, n, sizeof *v, keylen, by_tie, &keylen_of_test, threads));
    qsort(w, n, sizeof *w, by_key_then_tie);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i].place, w[i].place); /* the ties are unique: one order */
    free(v);
    free(w);
}

static void sorts_like_qsort(void **state)
{
    (void)state;
    rng_state = 88172645463325252ull;
    static const size_t sizes[] = {0, 1, 2, 3, 23, 24, 25, 100, 1000, 65535, 65536, 200000};
    static const int alphabets[] = {1, 2, 10, 256};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        for (size_t k = 0; k < sizeof alphabets / sizeof *alphabets; k++)
            check_sorted_like_qsort(sizes[i], alphabets[k], 1 + (size_t)(rnd() % 20),
                                    1 + (int)(k % 2));
}

/* Without a tie-breaker, records with equal keys stay together in some
 * order: the keys are sorted and the records are those of the input. */
static void without_tie_keys_sorted(void **state)
{
    (void)state;
    rng_state = 2463534242ull;
    keylen_of_test = 20;
    size_t n = 150000;
    rec *v = malloc(n * sizeof *v);
    unsigned char *seen = calloc(n, 1);
    assert_non_null(v);
    assert_non_null(seen);
    fill(v, n, 3, false);
    assert_true(rt_keysort(v, n, sizeof *v, 20, NULL, NULL, 2));
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            assert_true(memcmp(v[i - 1].key, v[i].key, 20) <= 0);
        assert_true(v[i].place < n);
        assert_false(seen[v[i].place]);
        seen[v[i].place] = 1;
    }
    free(seen);
    free(v);
}

/* Every key equal: the tie alone orders them, on the two threads' path
 * too. */
static void equal_keys_ordered_by_tie(void **state)
{
    (void)state;
    rng_state = 5;
    keylen_of_test = 20;
    size_t n = 100000;
    rec *v = malloc(n * sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        memset(&v[i], 0, sizeof v[i]);
        memset(v[i].key, 'x', sizeof v[i].key);
        v[i].tie = (uint32_t)(n - i);
        v[i].place = i;
    }
    assert_true(rt_keysort(v, n, sizeof *v, 20, by_tie, &keylen_of_test, 2));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i].place, n - 1 - i);
    free(v);
}

/* Two runs sorted apart, merged: the order of the whole sorted at once;
 * a's record first where keys and ties are equal. */
static void merged_runs_in_order(void **state)
{
    (void)state;
    rng_state = 77;
    keylen_of_test = 6;
    size_t na = 3000, nb = 5000, n = na + nb;
    rec *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *w);
    uint32_t *order = malloc(n * sizeof *order);
    assert_non_null(v);
    assert_non_null(w);
    assert_non_null(order);
    fill(v, n, 4, false); /* ties repeat: equal records on both sides */
    memcpy(w, v, n * sizeof *v);
    assert_true(rt_keysort(v, na, sizeof *v, 6, by_tie, &keylen_of_test, 1));
    assert_true(rt_keysort(v + na, nb, sizeof *v, 6, by_tie, &keylen_of_test, 1));
    rt_keymerge(v, na, v + na, nb, sizeof *v, 6, by_tie, &keylen_of_test, order);
    qsort(w, n, sizeof *w, by_key_then_tie);
    unsigned char *seen = calloc(n, 1);
    assert_non_null(seen);
    for (size_t k = 0; k < n; k++) {
        assert_true(order[k] < n);
        assert_false(seen[order[k]]);
        seen[order[k]] = 1;
        const rec *x = &v[order[k]];
        assert_int_equal(by_key_then_tie(x, &w[k]), 0);
        if (k > 0 && by_key_then_tie(&v[order[k - 1]], x) == 0 && order[k - 1] >= na)
            assert_true(order[k] >= na); /* b's equal records after a's */
    }
    free(seen);
    free(order);
    free(v);
    free(w);
}

static void sizes_out_of_range_refused(void **state)
{
    (void)state;
    rec v[2] = {{.key = {2}}, {.key = {1}}};
    assert_false(rt_keysort(v, 2, 12, 4, NULL, NULL, 2));  /* not a multiple of 8 */
    assert_false(rt_keysort(v, 2, 72, 4, NULL, NULL, 2));  /* past the most */
    assert_false(rt_keysort(v, 2, 32, 0, NULL, NULL, 2));  /* no key */
    assert_false(rt_keysort(v, 2, 32, 40, NULL, NULL, 2)); /* key past the record */
    assert_int_equal(v[0].key[0], 2);                      /* unchanged */
    assert_true(rt_keysort(v, 2, sizeof *v, 1, NULL, NULL, 2));
    assert_int_equal(v[0].key[0], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sorts_like_qsort),           cmocka_unit_test(without_tie_keys_sorted),
        cmocka_unit_test(equal_keys_ordered_by_tie),  cmocka_unit_test(merged_runs_in_order),
        cmocka_unit_test(sizes_out_of_range_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
