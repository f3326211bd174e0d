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
