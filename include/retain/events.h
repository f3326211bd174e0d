/* retain/events.h - per-customer state folded from event tables.
 *
 * The tables beside a customer table (events, tickets, survey answers,
 * orders) have one row per event. An event accumulator knows the
 * customers (their subscription rows, merged into lives) and folds each
 * event into its customer's compact state as it is read: the rows are
 * never kept. Memory grows with the customers and the number of cutoffs,
 * never with the events; two accumulators over the same customers that
 * saw two halves of a table merge into the one that saw it all.
 *
 * Cutoffs. The state is evaluated as of a few days c fixed when the
 * accumulator is made (the as-of of `retain risk`, its backtest day
 * as-of - H, the cutoffs of `retain score`...). As of c, only events dated
 * on or before c count, so that a figure as of c is what an analyst would
 * have seen on day c: the state is exact for every cutoff, whatever the
 * order of the rows. The largest cutoff is the as-of of the lives: a row
 * starting after it is ignored, an end after it is treated as empty.
 *
 * The life of a customer follows the Lives section of retain(1): rows
 * merged where one starts on or before the day the service of the
 * previous ones ends. */
#ifndef RETAIN_EVENTS_H
#define RETAIN_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/lives.h>
#include <retain/money.h>
#include <retain/reader.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The event tables. */
typedef enum {
    RETAIN_EVENT_ACTIVITY, /* --events: product activity, with a kind and a value */
    RETAIN_EVENT_TICKET,   /* --tickets: support tickets, complaints */
    RETAIN_EVENT_ANSWER,   /* --survey: NPS answers, a score 0..10 */
    RETAIN_EVENT_ORDER,    /* --orders: purchases, invoices, an amount */
    RETAIN_EVENT_TABLES    /* how many there are */
} retain_event_table;

/* One event row, the caller's, valid during the call that takes it. */
typedef struct {
    retain_event_table table;
    unsigned long line; /* for messages; also orders answers of one day */
    const char *id;     /* not NUL-terminated */
    size_t id_len;
    retain_day day;
    const char *kind; /* activity, tickets: the kind, or NULL when the
                         table has none */
    size_t kind_len;
    /* activity: the value in millionths (1 is RETAIN_MONEY_SCALE; a table
     * without a value column gives 1 per row); answer: the score 0..10;
     * order: the amount (retain_money); ticket: ignored. */
    int64_t value;
} retain_event;

/* Most cutoffs an accumulator takes. */
#define RETAIN_EVENTS_MAX_CUTOFFS 64

typedef struct {
    /* The days as of which the state is kept, at least one, any order;
     * copied. The largest is the as-of of the lives. */
    const retain_day *cutoffs;
    size_t n_cutoffs;
    /* The cutoffs are days (0 .. 36525) before the latest start of the
     * customer rows, known at retain_events_customers_done() (the default
     * as-of of commands about the customer table): until then no row is
     * ignored for starting after the as-of. */
    bool before_latest_start;
    /* Rows of a customer at most this many days apart are one life, active
     * on the gap, with the MRR of the row before the gap (--merge-gap; 0:
     * overlapping and back-to-back rows only). */
    int32_t merge_gap;
    /* Window lengths in days (0 for the defaults 7, 30 and 90): usage sums
     * the activity values in the `usage_window` days ending on c and in the
     * window before; tickets and orders likewise. */
    int32_t usage_window, ticket_window, order_window;
    /* Only activity of this kind counts for silence and usage (NULL: any
     * kind). Copied. */
    const char *activity_kind;
    /* The activation event: the first activity of this kind (NULL: any) in
     * the customer's first life. Copied. */
    const char *activation_kind;
} retain_events_options;

typedef struct retain_events retain_events;

/* Checks and copies the options. NULL with diag filled (RETAIN_ERR_USAGE
 * for no cutoff, too many, or a window below 1; RETAIN_ERR_NOMEM). The
 * caller frees it with retain_events_free(). */
RETAIN_API retain_events *retain_events_new(const retain_events_options *options,
                                            retain_diag *diag);

/* A new, empty accumulator with the same options and the same customers,
 * for another part of the event tables (to be merged back): NULL when out
 * of memory. Only after retain_events_customers_done(). */
RETAIN_API retain_events *retain_events_fork(const retain_events *ev);

/* Adds one subscription row of the customer table (id trimmed of
 * surrounding spaces; segment: the --by value, NULL for none).
 * RETAIN_ERR_DATA when end < start (diag names the line). Rows starting
 * after the as-of are ignored: their customer is known (its events are not
 * unknown ids) but has no life from them. Before
 * retain_events_customers_done(). */
RETAIN_API retain_status retain_events_add_customer(retain_events *ev, const char *id,
                                                    size_t id_len, retain_day start, retain_day end,
                                                    bool has_end, retain_money mrr,
                                                    const char *segment, size_t segment_len,
                                                    unsigned long line, retain_diag *diag);

/* Optional, before the customer rows: room for about this many customers
 * and rows (retain_reader_expected_rows is a fair guess), so that no table
 * grows, and rehashes, on the way. RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_events_reserve(retain_events *ev, size_t customers);

/* After the last customer row: merges the rows into lives. Without a
 * customer table (retain nps on a survey alone), call it at once: events
 * then make their customers as they come. RETAIN_ERR_DATA when the
 * cutoffs count back from the latest start and there was no row;
 * RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_events_customers_done(retain_events *ev, retain_diag *diag);

/* Folds one event into its customer's state. An event whose id is not a
 * customer is counted (retain_events_unknown) and otherwise ignored,
 * unless there was no customer table. RETAIN_ERR_DATA for a score outside
 * 0..10 or a negative activity value; RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_events_add(retain_events *ev, const retain_event *e,
                                           retain_diag *diag);

/* The same for a row the reader (retain/reader.h) read from a table of
 * kind events, tickets, survey or orders: its id, date, kind, value, score
 * or amount. A survey row without a score (a question not answered) is
 * left out; RETAIN_ERR_USAGE for another kind. */
RETAIN_API retain_status retain_events_add_row(retain_events *ev, retain_table_kind kind,
                                               const retain_row *row, retain_diag *diag);

/* A row of the customer table as the reader read it, its first extra
 * column the segment when `segment` is true. A row whose fingerprint
 * (retain_row.fingerprint, not 0) repeats one of the same customer's rows
 * is an exact duplicate: counted (retain_events_duplicates), left out. */
RETAIN_API retain_status retain_events_add_customer_row(retain_events *ev, const retain_row *row,
                                                        bool segment, retain_diag *diag);

/* The exact duplicate rows retain_events_add_customer_row left out; *place
 * and *of (may be NULL) the first one's place (retain_row.place) and that
 * of the row it repeats. Shared by the accumulator's forks. */
RETAIN_API unsigned long retain_events_duplicates(const retain_events *ev, uint64_t *place,
                                                  uint64_t *of);

/* Adds the event state of `from` (a fork of `into`, or `into` a fork of
 * it) into `into`: afterwards `into` is as if it had read both parts.
 * RETAIN_ERR_USAGE when they do not share customers and options. */
RETAIN_API retain_status retain_events_merge(retain_events *into, const retain_events *from,
                                             retain_diag *diag);

/* Events of a table whose id is no customer: their count, and the line of
 * the first of them (0 when none, or when none of them had a line: rows
 * read out of order from the end of a file have line 0). */
RETAIN_API uint64_t retain_events_unknown(const retain_events *ev, retain_event_table table,
                                          unsigned long *first_line);

/* The latest day of any event read from a table (any id, dated after the
 * cutoffs or not); false when the table had none. */
RETAIN_API bool retain_events_latest(const retain_events *ev, retain_event_table table,
                                     retain_day *day);

/* ---- customers, after retain_events_customers_done ---------------------- */

RETAIN_API size_t retain_events_customers(const retain_events *ev);
/* The id of customer i (owned by the accumulator). */
RETAIN_API const char *retain_events_id(const retain_events *ev, size_t i, size_t *len);
/* The index of a customer by id: false when it is none. */
RETAIN_API bool retain_events_find(const retain_events *ev, const char *id, size_t len, size_t *i);
/* The as-of of the lives (the largest cutoff). */
RETAIN_API retain_day retain_events_as_of(const retain_events *ev);

/* A life (retain/lives.h): its first day, its end (the first day without
 * service), or no end when still served on the as-of; its segment (the
 * value on the row of largest MRR serving its first day, ties to the
 * smallest in byte order; owned by the accumulator, "" without --by).
 * Here only start, end, has_end and the segment are filled. */

/* The number of lives of customer i (0 when it has no row, a customer made
 * by events alone), and life k of them, in order of start. */
RETAIN_API size_t retain_events_lives(const retain_events *ev, size_t i);
RETAIN_API void retain_events_life(const retain_events *ev, size_t i, size_t k, retain_life *life);
/* The life serving day d (start <= d < end): false when none does. */
RETAIN_API bool retain_events_life_on(const retain_events *ev, size_t i, retain_day d,
                                      retain_life *life);
/* The MRR of customer i on day d: the sum over its rows serving d; on a
 * day of a merged gap, the MRR of the last day served before it. */
RETAIN_API retain_money retain_events_mrr_on(const retain_events *ev, size_t i, retain_day d);

/* ---- the state as of a cutoff ------------------------------------------ */

/* What the events dated on or before the cutoff c say of one customer. */
typedef struct {
    retain_day cutoff;
    /* activity (of the activity kind): the last day with any, and the value
     * sums over the window ending on c, [c - w + 1, c], and the one before,
     * [c - 2w + 1, c - w] (millionths) */
    bool has_activity;
    retain_day last_activity;
    int64_t usage, usage_before;
    /* tickets in the ticket window ending on c, and in the one before */
    int64_t tickets, tickets_before;
    /* orders: how many rows, the day of the last, the amounts in the order
     * window ending on c and in the one before */
    int64_t orders;
    retain_day last_order;
    retain_money revenue, revenue_before;
    /* the latest answer (the later line among answers of one day) */
    bool has_answer;
    int score;
    retain_day answer_day;
    /* the first activation event of the first life, when on or before c */
    bool has_activation;
    retain_day activation_day;
} retain_event_state;

/* The index of cutoff day c among the options' cutoffs: false when it is
 * none of them. */
RETAIN_API bool retain_events_cutoff(const retain_events *ev, retain_day c, size_t *k);

/* The state of customer i as of cutoff k (an index into the cutoffs as
 * given). */
RETAIN_API void retain_events_state(const retain_events *ev, size_t i, size_t k,
                                    retain_event_state *out);

/* Bytes held, for memory reports. */
RETAIN_API size_t retain_events_bytes(const retain_events *ev);

RETAIN_API void retain_events_free(retain_events *ev);

#ifdef __cplusplus
}
#endif
#endif
