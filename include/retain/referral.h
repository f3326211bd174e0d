/* retain/referral.h - referral programmes: tiers of customers, conversion
 * and time to close per deal source, referred customers against the
 * others (LTV, CAC, LTV:CAC) and the programme's ROI. See SPEC
 * ("Referral programmes"), retain-referral(1) and retain-metrics(7).
 *
 * The flow: retain_referral_new(); every row of the customer table through
 * retain_referral_add_customer() (any order; the rows are folded into an
 * event accumulator's lives, retain/events.h, never kept);
 * retain_referral_customers_done(); then, in any order, the rows of the
 * referrals table (retain_referral_add_referral, then
 * retain_referral_referrals_done), of the deals table
 * (retain_referral_add_deal), of the survey and the events tables
 * (retain_referral_add_event), and a spend table
 * (retain_referral_add_spend); retain_referral_finish(); then read the
 * three tables out: tiers, sources and groups, ambassadors.
 *
 * Definitions (as-of: the option, else the latest start of the customer
 * table; referrals, deals, answers and events dated after it are left out):
 * - A referral is successful when its referred id is a customer whose
 *   first life starts on or after the referral's day (and on or before
 *   as-of). A company that signed before it was referred was not won by
 *   the referral.
 * - Tiers of a customer active on as-of, the highest met: 3 ambassador (at
 *   least 5 successful referrals dated in the 24 months ending on as-of),
 *   2 referrer (at least 1 successful referral), 1 advocate (current life
 *   of 365 days or more, latest NPS >= 9 and, given events, not silent as
 *   retain risk says). A candidate has NPS >= 9 and no tier 2 or 3 yet.
 * - Deals per source: a deal closed after as-of is open; the close rate
 *   leaves open deals out (undefined without a decided deal); days to
 *   close over won deals with a close day.
 * - Referred customers: those of at least one successful referral; the
 *   others are the rest. Their ARPU, churn and LTV are retain ltv's per
 *   segment (retain/ltv.h) on the lives of each group; CAC = cost / new
 *   customers of the group acquired in the spend window (see
 *   retain_referral_group); ROI = (LTV x new - cost) / cost x 100.
 *
 * Memory grows with the customers (the event accumulator's lives and one
 * small record each) and the referrals and deals (a few words each), never
 * with the rows of the customer table. */
#ifndef RETAIN_REFERRAL_H
#define RETAIN_REFERRAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/cac.h>
#include <retain/date.h>
#include <retain/money.h>
#include <retain/output.h>
#include <retain/reader.h>
#include <retain/status.h>
#include <retain/table.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RETAIN_TIER_NONE = 0,
    RETAIN_TIER_ADVOCATE,   /* T1 */
    RETAIN_TIER_REFERRER,   /* T2 */
    RETAIN_TIER_AMBASSADOR, /* T3 */
} retain_tier;

/* "", "advocate", "referrer", "ambassador"; static storage. */
RETAIN_API const char *retain_tier_name(retain_tier tier);

/* The tables to compute (retain_referral_options.want). */
enum {
    RETAIN_REFERRAL_TIERS = 1,     /* the tier table */
    RETAIN_REFERRAL_SUMMARY = 2,   /* the groups' LTV and CAC (the sources always are) */
    RETAIN_REFERRAL_REFERRERS = 4, /* the referrers */
};

typedef struct {
    /* RETAIN_REFERRAL_* bits, 0 for all: finish computes only these.
     * Without TIERS, the tier table holds the referrers' rows alone;
     * with neither TIERS nor REFERRERS, there is no referrer row;
     * without SUMMARY, the groups are all 0 and undefined. */
    unsigned want;
    bool has_as_of; /* else: the latest start of the customer table */
    retain_day as_of;
    int32_t merge_gap; /* days (retain/lives.h) */
    /* given events: silent after this many days without one (0: 60) */
    int32_t silence;
    /* LTV: months of churn averaged (0: 12) and the gross margin, a
     * fraction 0..1 (retain_ltv_table_value) */
    int window;
    double margin;
    /* --reward-pct: rewards are this percentage (in millionths, as
     * retain_money: 15 % is 15000000; 0 .. 100 %) of each new referred
     * customer's first-year contract value, 12 x its first MRR, instead of
     * the reward column of the referrals table */
    bool has_reward_pct;
    retain_money reward_pct;
} retain_referral_options;

typedef struct retain_referral retain_referral;

/* Checks and copies the options: NULL with diag filled for a bad one
 * (RETAIN_ERR_USAGE: a reward percentage outside 0..100, a margin outside
 * 0..1, a merge gap out of range) or no memory (RETAIN_ERR_NOMEM). The
 * caller frees it with retain_referral_free(). */
RETAIN_API retain_referral *retain_referral_new(const retain_referral_options *options,
                                                retain_diag *diag);

/* A row of the customer table as the reader read it (no segment).
 * RETAIN_ERR_DATA when end < start. Before retain_referral_customers_done. */
RETAIN_API retain_status retain_referral_add_customer(retain_referral *r, const retain_row *row,
                                                      retain_diag *diag);

/* Optional, before the customer rows: room for about this many customers
 * (retain_reader_expected_rows is a fair guess; retain_events_reserve).
 * RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_referral_reserve(retain_referral *r, size_t customers);

/* After the last customer row: the lives are merged and the as-of fixed.
 * RETAIN_ERR_DATA when there was no row; RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_referral_customers_done(retain_referral *r, retain_diag *diag);

/* The as-of in force (after retain_referral_customers_done). */
RETAIN_API retain_day retain_referral_as_of(const retain_referral *r);

/* A row of a referrals table (kind RETAIN_TABLE_REFERRALS): its referrer
 * (id), referred id, date and optional reward (amount). A referrer that is
 * no customer is counted (retain_referral_unknown) and left out. The ids
 * are looked up a few hundred rows at a time, the row's line kept for the
 * errors found then. RETAIN_ERR_DATA for a negative reward (at once) or
 * rewards past the money range (with the row's line, at this call or a
 * later one); RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_referral_add_referral(retain_referral *r, const retain_row *row,
                                                      retain_diag *diag);

/* After the last referral row: looks up the ids of the rows not looked
 * up yet, which retain_referral_unknown then counts (finish does it when
 * not done). Errors as retain_referral_add_referral. */
RETAIN_API retain_status retain_referral_referrals_done(retain_referral *r, retain_diag *diag);

/* A row of a deals table (kind RETAIN_TABLE_DEALS): source, created
 * (date), outcome, closed. RETAIN_ERR_DATA (with the line) for a close day
 * before the creation day; RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_referral_add_deal(retain_referral *r, const retain_row *row,
                                                  retain_diag *diag);

/* A row of a survey (RETAIN_TABLE_SURVEY: the latest answer gives a
 * customer's NPS) or events table (RETAIN_TABLE_EVENTS: activity, for
 * silence). Ids that are no customer are counted by the event accumulator
 * (retain_referral_unknown). */
RETAIN_API retain_status retain_referral_add_event(retain_referral *r, retain_table_kind kind,
                                                   const retain_row *row, retain_diag *diag);

/* The rows of a spend table (columns period, spend, channel; options as
 * for retain cac, retain/cac.h): the spend of the channel named
 * "referral" is the programme's, the other channels' that of the other
 * customers; its periods make the spend window. RETAIN_ERR_USAGE when the
 * table has no channel column; else as retain_spend_table_add(). */
RETAIN_API retain_status retain_referral_add_spend(retain_referral *r, const retain_table *t,
                                                   const retain_spend_options *options,
                                                   retain_diag *diag);

/* Once every table is in: the tiers, the groups' LTV and CAC, the sources
 * and the referrers. RETAIN_ERR_NOMEM; RETAIN_ERR_DATA when the sums pass
 * the money range. */
RETAIN_API retain_status retain_referral_finish(retain_referral *r, retain_diag *diag);

/* Rows of a table left out for naming no customer, and the first line of
 * one (0 when unknown): referrals (by their referrer; those looked up:
 * after retain_referral_referrals_done), survey, events. */
RETAIN_API uint64_t retain_referral_unknown(const retain_referral *r, retain_table_kind kind,
                                            unsigned long *first_line);

/* ---- after finish: the tier table ---------------------------------------- */

/* One customer: every customer active on as-of, and every customer no
 * longer active who made a referral. Sorted by tier (ambassador first),
 * then successful_24m, then successful (more first), then id bytes. */
typedef struct {
    const char *id; /* owned by the accumulator, id_len bytes */
    size_t id_len;
    bool active;         /* a customer on as-of */
    int32_t tenure_days; /* of the current life, when active */
    bool has_nps;        /* its latest answer on or before as-of */
    int nps;
    bool has_silent; /* given events, when active */
    int32_t days_silent;
    bool silent;
    int64_t referrals;      /* made, dated on or before as-of */
    int64_t successful;     /* of them, successful */
    int64_t successful_24m; /* of them, dated in the 24 months ending on as-of */
    retain_tier tier;       /* RETAIN_TIER_NONE when not active or none met */
    bool candidate;         /* active, NPS >= 9, tier below referrer */
} retain_referral_tier_row;

RETAIN_API size_t retain_referral_tiers(const retain_referral *r);
RETAIN_API void retain_referral_tier_get(const retain_referral *r, size_t k,
                                         retain_referral_tier_row *out);

/* Why a customer has its tier, or why none, in words ("5 successful
 * referrals in 24 months", "NPS 7, below 9"), into buf (size bytes, at
 * least 96). Returns the length written. */
RETAIN_API size_t retain_referral_why(const retain_referral_tier_row *row, char *buf, size_t size);

/* ---- after finish: the summary ------------------------------------------- */

/* One source of the deals table (byte order of the names; "" for deals
 * without a source). */
typedef struct {
    const char *name; /* owned by the accumulator */
    size_t name_len;
    int64_t deals, won, lost, open;
    /* close_rate_pct = won / (won + lost) x 100, undefined when both are 0 */
    /* days from created to closed over the won deals with a close day:
     * how many, their sum (mean = sum / n) and twice their median (the
     * sum of the two middle values when n is even) */
    int64_t closed_won;
    int64_t days_sum;
    int64_t median_x2;
} retain_referral_source;

RETAIN_API size_t retain_referral_sources(const retain_referral *r);
RETAIN_API void retain_referral_source_get(const retain_referral *r, size_t k,
                                           retain_referral_source *out);

/* Referred customers (group 0) and the others (group 1). */
typedef struct {
    const char *name;     /* "referred", "other" */
    int64_t customers;    /* active on as-of (retain ltv's customers) */
    retain_money mrr_sum; /* their MRR on as-of: ARPU = mrr_sum / customers */
    retain_value churn;   /* a fraction per month (retain ltv's) */
    int churn_months;
    retain_value ltv;
    /* new customers: first life starting in the spend window (the days of
     * the spend table's periods, up to as-of; every day up to as-of
     * without a spend table; spend rows of periods starting after as-of
     * are left out) */
    int64_t new_customers;
    bool has_spend;       /* a spend table was given, with an amount for the group */
    retain_money spend;   /* referred: the referral channel's; other: the rest */
    retain_money rewards; /* referred: the rewards of the window */
    bool has_cost;        /* spend or rewards are known */
    retain_money cost;    /* spend + rewards: CAC is cost / new_customers exactly
                             (retain_format_money_ratio) */
    retain_value cac;     /* cost / new customers */
    retain_value ltv_cac; /* ltv / cac */
    retain_value roi_pct; /* referred: (ltv x new - cost) / cost x 100 */
} retain_referral_group;

RETAIN_API void retain_referral_group_get(const retain_referral *r, int group,
                                          retain_referral_group *out);

/* Whether rewards came from the --reward-pct option (else the referrals
 * table's reward column, or none). */
RETAIN_API bool retain_referral_has_rewards(const retain_referral *r);

/* ---- after finish: the referrers ------------------------------------------ */

/* One referrer (a customer with a referral on or before as-of), sorted by
 * successful referrals (more first), then MRR brought, then id bytes. */
typedef struct {
    const char *id; /* owned by the accumulator */
    size_t id_len;
    bool active;
    int64_t referrals, successful, successful_24m;
    retain_money mrr; /* the first MRR of its successful referrals' customers */
    /* days from referral to the referred customer's first start, over its
     * successful referrals: twice the median (as above) */
    int64_t median_x2;
    retain_tier tier;
} retain_referral_referrer;

RETAIN_API size_t retain_referral_referrers(const retain_referral *r);
RETAIN_API void retain_referral_referrer_get(const retain_referral *r, size_t k,
                                             retain_referral_referrer *out);

/* Whether the customer table had an MRR (some row with an amount): else
 * ARPU, LTV and the MRR brought are unknown (empty cells). */
RETAIN_API bool retain_referral_has_mrr(const retain_referral *r);

/* ---- the tables 'retain referral' prints ------------------------------ */

/* Each starts a writer as retain_print says (deferred, but the tier
 * table, which is written as it goes: its values are all known by then),
 * writes the whole table and returns the writer unfinished
 * (retain/output.h): the caller
 * calls retain_writer_finish() and retain_writer_free(); NULL when out of
 * memory. After retain_referral_finish(). Columns: see retain-metrics(7).
 *
 * The tier table: id, active, tenure_days, nps, referrals, successful,
 * successful_24m, tier, why, candidate. */
RETAIN_API retain_writer *retain_referral_write(const retain_referral *r, const retain_print *p);

/* --summary: group, name, deals, won, lost, open, close_rate_pct,
 * median_days_to_close, mean_days_to_close (source rows), customers,
 * new_customers, arpu, churn_pct, ltv, spend, rewards, cost, cac, ltv_cac,
 * roi_pct (the customers rows, referred then other). Amounts and CAC are
 * rounded from the exact sums; churn, LTV and what is built on it are
 * floating point. */
RETAIN_API retain_writer *retain_referral_write_summary(const retain_referral *r,
                                                        const retain_print *p);

/* --ambassadors: referrer, active, tier, referrals, successful,
 * successful_24m, conversion_pct, mrr_brought, median_days_to_sign. */
RETAIN_API retain_writer *retain_referral_write_referrers(const retain_referral *r,
                                                          const retain_print *p);

/* The exact duplicate rows of the customer table left out (a row whose
 * cells all repeat a row of the same customer read before, as
 * retain_events_add_customer_row() says); *place and *of (may be NULL) the
 * first one's place (retain_row.place) and that of the row it repeats. */
RETAIN_API unsigned long retain_referral_duplicates(const retain_referral *r, uint64_t *place,
                                                    uint64_t *of);

/* Bytes held, for memory reports (the event accumulator included). */
RETAIN_API size_t retain_referral_bytes(const retain_referral *r);
RETAIN_API size_t retain_referral_customers(const retain_referral *r);

RETAIN_API void retain_referral_free(retain_referral *r);

#ifdef __cplusplus
}
#endif
#endif
