/* The events registry's customer rows with their duplicate-row identity,
 * for accumulators built on it (lib/models/score.c); nothing here is
 * exported. */
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

#endif
