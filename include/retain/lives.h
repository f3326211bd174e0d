/* retain/lives.h - a customer's lives: its runs of continuous service.
 *
 * Exports often hold one row per contract or plan: a renewal or a plan
 * change ends one row on the day the next starts, which is not churn. A
 * life is a maximal run of service of one customer: its rows merged where
 * one starts on or before the day the service of the others ends
 * (overlapping and back-to-back rows), and across a gap of at most
 * merge_gap days, whose days then count as served. A life starts on its
 * first row's start and ends on the first day without service after it,
 * or is open (still active at as-of). A later life of the same customer is
 * a win-back. A lone row with end = start is a life of 0 days that churned.
 * See retain-metrics(7) ("Lives") and retain(1).
 *
 * With segments, a life belongs to the segment of the row of largest MRR
 * serving its first day (ties: the smallest value in byte order); a row
 * with end = start serves no day and decides only when no other row starts
 * the life. With reasons, a life's reason is that of the row whose end
 * ends it (ties: a non-empty reason before an empty one, then the smallest
 * in byte order). Its MRR is the MRR on its first day: the sum over the
 * rows starting it that serve that day (for a life of 0 days, over the
 * rows starting it).
 *
 * Rows arrive in any order, and the lives do not depend on it. The
 * accumulator keeps, per customer, a 128-bit hash of its id and its lives
 * merged so far (32 bytes each beyond the first, with the fingerprint of
 * the row that started it; 8 more for the MRR, 12 more with segments and
 * reasons) and, to find exact duplicate rows (retain_lives_add_row), each
 * distinct row's fingerprint and place (16 bytes for the first, 12
 * without MRR and segments; 20 for each further one merged into a life),
 * never the rows: memory grows with customers, win-backs and renewals,
 * never with duplicates. */
#ifndef RETAIN_LIVES_H
#define RETAIN_LIVES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/money.h>
#include <retain/reader.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest merge gap, in days (100 years). */
#define RETAIN_MERGE_GAP_MAX 36525

typedef struct {
    bool has_as_of; /* else: the latest start seen */
    retain_day as_of;
    int32_t merge_gap; /* days, 0 .. RETAIN_MERGE_GAP_MAX */
    bool segments;     /* decide each life's segment */
    bool reasons;      /* keep each life's reason */
    bool mrr;          /* keep each life's first-day MRR */
} retain_lives_options;

typedef struct retain_lives retain_lives;

/* Returns NULL when out of memory. The caller frees it with
 * retain_lives_free(). */
RETAIN_API retain_lives *retain_lives_new(const retain_lives_options *options);

/* Adds one subscription row of customer id (id_len > 0). segment and
 * reason are read only when the options keep them (NULL or length 0:
 * empty), mrr only with segments or mrr. end is ignored unless has_end.
 * Rows starting after an as-of given are ignored. RETAIN_ERR_DATA when
 * end < start or a life's MRR overflows, RETAIN_ERR_USAGE for a merge gap
 * out of range, RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_lives_add(retain_lives *lives, const char *id, size_t id_len,
                                          const char *segment, size_t segment_len,
                                          const char *reason, size_t reason_len, retain_day start,
                                          retain_day end, bool has_end, retain_money mrr);

/* The same for a row of the reader's (its id, start, end and MRR) that
 * has a fingerprint (retain_row.fingerprint: not 0): a row whose
 * fingerprint equals that of a row of the same customer added before is
 * an exact duplicate, counted (retain_lives_duplicates) and left out. */
RETAIN_API retain_status retain_lives_add_row(retain_lives *lives, const char *segment,
                                              size_t segment_len, const char *reason,
                                              size_t reason_len, const retain_row *row);

/* After finish: the exact duplicate rows left out; *place and *of (may
 * be NULL) the retain_row.place of the first one in file order and of the
 * earlier row it repeats (see retain_reader_place_line). */
RETAIN_API unsigned long retain_lives_duplicates(const retain_lives *lives, uint64_t *place,
                                                 uint64_t *of);

/* Optional: room for about this many customers, so that no table grows on
 * the way. */
RETAIN_API retain_status retain_lives_reserve(retain_lives *lives, size_t customers);

/* Once every row is in. RETAIN_ERR_DATA (and diag) when no row was added;
 * RETAIN_ERR_USAGE when every row starts after the as-of given or the
 * merge gap is out of range. */
RETAIN_API retain_status retain_lives_finish(retain_lives *lives, retain_diag *diag);

/* One life, as the callback of retain_lives_each sees it. The strings are
 * the accumulator's, valid during the callback (not NUL-terminated when
 * empty: use the lengths). */
typedef struct {
    size_t customer; /* 0 .. retain_lives_customers() - 1, no order implied */
    size_t index;    /* 0 for the customer's first life, 1 for its first win-back... */
    retain_day start;
    retain_day end; /* the first day without service; as-of when !has_end */
    bool has_end;   /* churned: ended on or before as-of; else open (censored at as-of) */
    const char *segment;
    size_t segment_len;
    const char *reason; /* NULL without reasons */
    size_t reason_len;
    retain_money mrr; /* 0 without mrr or segments */
} retain_life;

/* Calls fn for every life after finish, a customer's lives together and
 * in order of start. fn returns RETAIN_OK to go on; anything else stops
 * the walk, which returns it. RETAIN_ERR_NOMEM. */
typedef retain_status (*retain_life_fn)(const retain_life *life, void *user);
RETAIN_API retain_status retain_lives_each(const retain_lives *lives, retain_life_fn fn,
                                           void *user);

/* The same for part `part` (0 .. parts - 1) of the customers: they are
 * split in `parts` runs of about equal count, a customer's lives all in
 * one run, and the parts' walks together call fn for every life once, as
 * retain_lives_each does. Different parts may be walked at once, on
 * different threads, each with its own user state (the accumulator is
 * only read). RETAIN_ERR_USAGE when part >= parts. */
RETAIN_API retain_status retain_lives_each_part(const retain_lives *lives, size_t part,
                                                size_t parts, retain_life_fn fn, void *user);

/* After finish: the as-of in force, the earliest start, the customers and
 * lives held, and the bytes the per-customer state uses (for reports). */
RETAIN_API retain_day retain_lives_as_of(const retain_lives *lives);
RETAIN_API retain_day retain_lives_first_start(const retain_lives *lives);
RETAIN_API size_t retain_lives_customers(const retain_lives *lives);
RETAIN_API size_t retain_lives_count(const retain_lives *lives);
RETAIN_API size_t retain_lives_bytes(const retain_lives *lives);

RETAIN_API void retain_lives_free(retain_lives *lives);

#ifdef __cplusplus
}
#endif
#endif
