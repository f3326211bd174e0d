/* Sorting records by a leading key of bytes: the per-customer tables
 * (millions of rows in the order of a rank, then of the id's bytes) sort
 * this way in a few passes over memory, where a comparison sort calls its
 * comparator some 20 times per row. Not exported. */
#ifndef RETAIN_KEYSORT_H
#define RETAIN_KEYSORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most bytes of a record (its key among them). */
#define RT_KEYSORT_MAX_SIZE 64

/* Orders two records whose keys are equal; ctx is rt_keysort's. */
typedef int (*rt_keysort_tie)(const void *a, const void *b, void *ctx);

/* Sorts the n records of base (size bytes each, at most
 * RT_KEYSORT_MAX_SIZE and a multiple of 8) by their first keylen bytes
 * compared as memcmp does, then by tie (NULL: records with equal keys in
 * an order that depends on the input only). In place: a most-significant-
 * byte radix sort, byte positions that no two records differ in skipped,
 * on two threads past a size when threads is 2 (the result does not
 * depend on whether a
 * second thread started; threads 1 keeps it to the caller's, for a caller
 * that runs on two already). False when size or keylen is out of range
 * (base then unchanged); never fails otherwise. */
bool rt_keysort(void *base, size_t n, size_t size, size_t keylen, rt_keysort_tie tie, void *ctx,
                int threads);

/* The order of two runs sorted by rt_keysort (the same size, keylen and
 * tie) merged: order[k] is the k-th record's place, i for a[i], na + j for
 * b[j]. Where keys and ties are equal a's record comes first. na + nb
 * must be below 2^32. */
void rt_keymerge(const void *a, size_t na, const void *b, size_t nb, size_t size, size_t keylen,
                 rt_keysort_tie tie, void *ctx, uint32_t *order);

/* Writes x into 4 bytes, most significant first: a count compared by
 * rt_keysort as a number (~x for larger first). */
static inline void rt_key_u32(unsigned char *to, unsigned long x)
{
    to[0] = (unsigned char)(x >> 24);
    to[1] = (unsigned char)(x >> 16);
    to[2] = (unsigned char)(x >> 8);
    to[3] = (unsigned char)x;
}

#endif
