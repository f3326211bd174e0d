/* The events registry's customer rows with their duplicate-row identity,
 * for accumulators built on it (lib/models/score.c), and its lives as
 * they are kept (lib/metrics/referral.c); nothing here is exported. */
#ifndef RETAIN_EVENTS_ROWS_H
#define RETAIN_EVENTS_ROWS_H

#include <retain/events.h>

/* As retain_events_add_customer(), with the row's fingerprint and place
 * (retain_row): a row whose fingerprint (not 0) repeats one of the same
 * customer's rows is an exact duplicate, counted (retain_events_duplicates)
 * and left out, as retain_events_add_customer_row() does. */
retain_status rt_events_add_customer(retain_events *ev, const char *id, size_t id_len,
                                     retain_day start, retain_day end, bool has_end,
                                     retain_money mrr, const char *segment, size_t segment_len,
                                     unsigned long line, uint64_t fingerprint, uint64_t place,
                                     retain_diag *diag);

/* A life as the registry keeps it: end RT_NO_END while served on the
 * as-of (lib/core/store.h); segment interned (retain_events_life() has
 * its name). */
typedef struct {
    int32_t start, end;
    uint32_t segment;
} rt_events_life;

/* After retain_events_customers_done(): customer i's lives, *n of them
 * (NULL when none), first to last; valid while the accumulator is. For a
 * walk over every customer's lives, without a call per life. */
const rt_events_life *rt_events_lives_of(const retain_events *ev, size_t i, size_t *n);

/* Starts loading what retain_events_mrr_on() reads of customer i (a hint,
 * for a walk over the customers in order: call it RT_EVENTS_FETCH_AHEAD
 * customers ahead). */
#define RT_EVENTS_FETCH_AHEAD 16
void rt_events_fetch(const retain_events *ev, size_t i);

/* A walk over the customers while retain_events_customers_done makes
 * their lives, for a caller that reads each customer's lives once, while
 * they are in the cache: begin once, with the as-of in force, before the
 * first; then customer for each customer that has lives, on one of two
 * threads (part 0 or 1: each has a part of its own, in no set order of
 * customers), with its lives (valid during the call). A status other than
 * RETAIN_OK stops the walk, and customers_done returns it (with no
 * message: the caller's). Set before customers_done. */
typedef struct {
    retain_status (*begin)(void *ctx, retain_day as_of);
    retain_status (*customer)(void *ctx, int part, size_t i, const rt_events_life *lives, size_t n);
    void *ctx;
} rt_events_lives_walk;

void rt_events_walk_lives(retain_events *ev, const rt_events_lives_walk *walk);

/* retain_events_mrr_on() for a day d that one of customer i's lives
 * serves; callable from the walk above, before the lives are all made. */
retain_money rt_events_mrr_served(const retain_events *ev, size_t i, retain_day d);

/* An id to find: its bytes (trimmed there). */
typedef struct {
    const char *id;
    size_t len;
} rt_events_key;

/* retain_events_find() for each of n ids at once, their hash slots and
 * customers loaded ahead of the comparisons: out[k] receives the customer
 * index of keys[k], or SIZE_MAX when the id is empty or unknown. */
void rt_events_find_many(const retain_events *ev, const rt_events_key *keys, size_t n, size_t *out);

#endif
