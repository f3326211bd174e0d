/* retain/risk.h - churn signals, health and zones of active customers.
 *
 * From an event accumulator (retain/events.h) whose cutoffs include the
 * as-of, and as-of - horizon for the backtest: for every customer active
 * on a day c, the figures of the signals (days silent, usage change,
 * tickets, revenue change, renewal, latest NPS) from the data dated on or
 * before c, the signals raised, a health score (100 minus the weights of
 * the signals raised, never below 0) and a zone (1 healthy .. 3 at risk).
 * See retain-risk(1) for the definitions. */
#ifndef RETAIN_RISK_H
#define RETAIN_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/churn.h>
#include <retain/events.h>
#include <retain/money.h>
#include <retain/output.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RETAIN_SIGNAL_SILENT,
    RETAIN_SIGNAL_USAGE_DROP,
    RETAIN_SIGNAL_TICKETS_UP,
    RETAIN_SIGNAL_REVENUE_DOWN,
    RETAIN_SIGNAL_MISSED_RENEWAL,
    RETAIN_SIGNAL_NPS_BELOW_9,
    RETAIN_SIGNALS /* how many there are */
} retain_signal;

/* "silent", "usage_drop", ...; static storage. */
RETAIN_API const char *retain_signal_name(retain_signal s);

typedef struct {
    /* which tables were read: a signal whose table is absent is not
     * computed. revenue needs orders or, without them, an MRR column */
    bool tables[RETAIN_EVENT_TABLES];
    bool has_mrr;
    int32_t silence; /* days (default 60) */
    /* thresholds in millionths of a percent point, as retain_money: usage
     * drop (default 10 %), revenue drop (default 10 %) */
    retain_money drop, revenue_drop;
    int32_t tickets_min;  /* default 3; and at least twice the window before */
    int32_t revenue_days; /* R0 is the MRR this many days before (90) */
    int32_t grace;        /* days past 365 (default 30) */
    int32_t horizon;      /* backtest: as-of - horizon (default 90) */
    int weights[RETAIN_SIGNALS];
    int zone1, zone2;            /* health >= zone1: zone 1; >= zone2: zone 2 (75, 50) */
    const retain_stages *stages; /* the caller's; NULL for 90,365 */
} retain_risk_options;

/* Fills the defaults of retain-metrics(7) ("retain risk"). */
RETAIN_API void retain_risk_defaults(retain_risk_options *o);

/* Reads --weights "silent=40,usage_drop=20": each name a signal, each
 * weight a whole number 0..100; signals not named keep their weight.
 * RETAIN_ERR_USAGE (diag lists the signals) on anything else. */
RETAIN_API retain_status retain_risk_parse_weights(const char *spec, int *weights,
                                                   retain_diag *diag);

/* Reads --zones "75,50": two whole numbers, 100 >= first > second >= 1. */
RETAIN_API retain_status retain_risk_parse_zones(const char *spec, int *zone1, int *zone2,
                                                 retain_diag *diag);

/* One customer as of a day. Figures that need an absent table are not
 * computed (their has_ flag is false). */
typedef struct {
    size_t customer; /* index in the event accumulator */
    retain_money mrr;
    int32_t tenure_days;
    size_t stage;
    bool has_days_silent;
    int32_t days_silent;
    bool has_usage; /* usage_change_pct = (usage - usage_before) / usage_before
                       x 100, empty when usage_before is 0 */
    int64_t usage, usage_before;
    bool has_tickets;
    int64_t tickets, tickets_before;
    bool has_revenue; /* revenue_change_pct likewise */
    int64_t revenue, revenue_before;
    int32_t renewal_in_days;
    bool has_nps;
    int nps;
    unsigned signals; /* bit s for signal s */
    int health, zone;
} retain_risk_row;

/* Customer i as of cutoff c (one of the accumulator's cutoffs): false when
 * it is not active on c. */
RETAIN_API bool retain_risk_eval(const retain_events *ev, const retain_risk_options *o, size_t i,
                                 retain_day c, retain_risk_row *out);

typedef struct retain_risk retain_risk;

/* Every customer active on the as-of (the accumulator's), sorted by zone
 * (3 first), MRR descending, then id; and, when the accumulator has the
 * cutoff as-of - horizon, the backtest. RETAIN_ERR_USAGE when as-of is not
 * a cutoff; RETAIN_ERR_NOMEM. The caller frees *out with
 * retain_risk_free(). */
RETAIN_API retain_status retain_risk_compute(const retain_events *ev, const retain_risk_options *o,
                                             retain_risk **out, retain_diag *diag);

RETAIN_API size_t retain_risk_count(const retain_risk *r);
RETAIN_API const retain_risk_row *retain_risk_get(const retain_risk *r, size_t k);

/* Per zone (1..3): customers and MRR on the as-of; and the backtest: the
 * customers in the zone as of as-of - horizon and how many of them saw
 * their life serving that day end by the as-of. has_backtest false when
 * there was no such cutoff. */
typedef struct {
    int64_t customers;
    retain_money mrr;
    int64_t all_customers;
    retain_money all_mrr;
    bool has_backtest;
    int64_t backtest_customers, backtest_churned;
} retain_risk_zone;

RETAIN_API void retain_risk_summary(const retain_risk *r, int zone, retain_risk_zone *out);

/* The table 'retain risk' prints, as retain_print says (the writer
 * returned unfinished; NULL when out of memory): one row per customer of r
 * in its order, the columns id, by (the --by column's name, or NULL: none;
 * each customer's value is its life's segment in ev), mrr (with
 * o->has_mrr), tenure_days, stage, the figures of the tables o->tables
 * has, signals (their names joined by ';'), health and zone; see
 * retain-metrics(7). r, ev and o are the ones retain_risk_compute() used. */
RETAIN_API retain_writer *retain_risk_write(const retain_risk *r, const retain_events *ev,
                                            const retain_risk_options *o, const char *by,
                                            const retain_print *p);

/* The table of 'retain risk --summary': per zone 1..3, customers and their
 * share, MRR and its share (with o->has_mrr), the backtest's customers,
 * churned and churned_pct, and the p-value of the zone's churn against
 * zone 1's (retain_proportion_test, 4 decimals; empty for zone 1 and when
 * undefined). */
RETAIN_API retain_writer *retain_risk_write_summary(const retain_risk *r,
                                                    const retain_risk_options *o,
                                                    const retain_print *p);

RETAIN_API void retain_risk_free(retain_risk *r);

/* Whether two shares differ: the two-sided p-value of the pooled
 * two-proportion z-test of x1 / n1 against x2 / n2 (for the backtest, a
 * zone's churn against zone 1's; for retain nps --churn, a group's against
 * the promoters'). False (undefined) when a group is empty or the pooled
 * share is 0 or 1. */
RETAIN_API bool retain_proportion_test(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
                                       double *p_value);

#ifdef __cplusplus
}
#endif
#endif
