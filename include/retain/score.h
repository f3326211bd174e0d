/* retain/score.h - each customer's probability of churning within H days,
 * learned from the customers who left before (retain-metrics(7), "retain
 * score"; retain-score(1)).
 *
 * Cutoffs. With as-of A and horizon H: the held-out cutoff is c0 = A - H;
 * the training cutoffs are c0 - 30, c0 - 60, ... back over `train_days`
 * (default 365: twelve of them); the customers are scored as of A. At a
 * cutoff c, every customer with a life serving c is one row: its label is
 * whether that life ends in (c, c + H]; its features use only what is
 * dated on or before c (the customer table's rows as they were on c, and
 * the events of the event tables dated <= c), so no future leaks into the
 * past.
 *
 * Features, in this order (those of a table not given are left out):
 *   tenure_days          c - the start of the life serving c
 *   stage=NAME           1 in the lifecycle stage of the tenure (onboarding
 *                        [0, 90), renewal [90, 365), long-term [365, inf))
 *   mrr                  the MRR on c (customer table with an mrr column)
 *   revenue_change_pct   (R1 - R0) / R0 x 100, clipped to [-100, 1000]:
 *                        with orders, order amounts in the 90 days ending
 *                        on c and the 90 before; else the MRR on c and on
 *                        c - 90; missing (the training mean) when R0 = 0,
 *                        with the indicator revenue_change_missing
 *   days_silent          (events) c - the day of the last event, or c - the
 *                        start of the life when it has none
 *   usage_change_pct     (events) (U1 - U0) / U0 x 100 over the 7 days
 *                        ending on c and the 7 before, clipped to
 *                        [-100, 1000]; usage_change_missing when U0 = 0
 *   days_to_activation   (events) from the start of the first life to its
 *                        first event, when on or before c; not_activated
 *                        is 1 (and days_to_activation missing) otherwise
 *   tickets              (tickets) tickets in the 30 days ending on c
 *   nps                  (survey) the latest score dated <= c; nps_missing
 *   COL=VALUE            one indicator per value of each --by column (the
 *                        values of the training rows; the life's segment)
 *
 * Memory grows with the customers, never with the rows of any table: the
 * event tables are folded into per-customer state for every cutoff at
 * once (retain/events.h) as they are read, one pass over each file. The
 * training uses at most RETAIN_SCORE_TRAIN_CUSTOMERS customers, drawn by a
 * hash of the id when there are more (the same customers on every run),
 * while every customer is scored. */
#ifndef RETAIN_SCORE_H
#define RETAIN_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/evaluation.h>
#include <retain/events.h>
#include <retain/logistic.h>
#include <retain/money.h>
#include <retain/output.h>
#include <retain/reader.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Caps: --by columns, values per --by column, customers drawn for the
 * training (and held-out) rows. */
#define RETAIN_SCORE_MAX_BY 8
#define RETAIN_SCORE_MAX_VALUES 200
#define RETAIN_SCORE_TRAIN_CUSTOMERS 200000

/* Below this many churners a figure is not trusted: training fails under
 * 1 and warns under it, the held-out evaluation is not given under it. */
#define RETAIN_SCORE_MIN_CHURNERS 10

typedef struct {
    /* The day scored. Without it, the latest start of the customer table:
     * known after the last row, so the rows are then kept (about 30 bytes
     * and the id each) until retain_score_customers_done(). */
    bool has_as_of;
    retain_day as_of;
    int32_t horizon;    /* H, days, >= 1 (default 90 when 0) */
    int32_t train_days; /* default 365 when 0 */
    /* the --by columns (names, copied), whose values come with each row */
    const char *const *by;
    size_t n_by;
    bool has_mrr;                     /* the customer table has an mrr column */
    bool tables[RETAIN_EVENT_TABLES]; /* which event tables will be given */
    double c;                         /* LIBLINEAR's C; 0: chosen by validation */
} retain_score_options;

typedef struct retain_score retain_score;

/* Checks and copies the options: RETAIN_ERR_USAGE (diag says why) for a
 * horizon below 1 or above 3650, a train_days below 30 or above 3650, too
 * many --by columns, a C not positive; NULL when out of memory too. The
 * caller frees it with retain_score_free(). */
RETAIN_API retain_score *retain_score_new(const retain_score_options *options, retain_diag *diag);

/* Optional, before the first customer: about how many customer rows will
 * come (retain_reader_expected_rows), so that the training customers can be
 * drawn at once when there are more than the cap. */
RETAIN_API void retain_score_expect(retain_score *s, size_t rows);

/* One row of the customer table: id (trimmed of spaces), start, end (when
 * has_end), mrr, and the values of the --by columns (n_by of them, in
 * option order; NULL when n_by is 0). RETAIN_ERR_DATA when end < start,
 * RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_score_add_customer(retain_score *s, const char *id, size_t id_len,
                                                   retain_day start, retain_day end, bool has_end,
                                                   retain_money mrr, const char *const *by,
                                                   const size_t *by_len, unsigned long line,
                                                   retain_diag *diag);

/* One row of the customer table as the reader read it (its extra columns
 * the --by columns, in the options' order), as retain_score_add_customer()
 * with the row's fingerprint and place: a row whose cells all repeat a row
 * of the same customer read before is an exact duplicate, counted
 * (retain_score_duplicates) and left out. */
RETAIN_API retain_status retain_score_add_customer_row(retain_score *s, const retain_row *row,
                                                       retain_diag *diag);

/* The exact duplicate rows retain_score_add_customer_row() left out; *place
 * and *of (may be NULL) the first one's place (retain_row.place) and that of
 * the row it repeats. */
RETAIN_API unsigned long retain_score_duplicates(const retain_score *s, uint64_t *place,
                                                 uint64_t *of);

/* After the last customer row, before the first event. RETAIN_ERR_DATA
 * when no row came. */
RETAIN_API retain_status retain_score_customers_done(retain_score *s, retain_diag *diag);

/* After retain_score_customers_done(): the as-of in force. */
RETAIN_API retain_day retain_score_as_of(const retain_score *s);

/* One row of an event table (of a table given in the options). */
RETAIN_API retain_status retain_score_add_event(retain_score *s, const retain_event *e,
                                                retain_diag *diag);

/* The same for a row the reader read from a table of kind events,
 * tickets, survey or orders (see retain_events_add_row). */
RETAIN_API retain_status retain_score_add_row(retain_score *s, retain_table_kind kind,
                                              const retain_row *row, retain_diag *diag);

/* Events of a table whose id is no customer: their count and the line of
 * the first (0 when none). */
RETAIN_API uint64_t retain_score_unknown(const retain_score *s, retain_event_table table,
                                         unsigned long *first_line);

/* After the last event: builds the feature rows of every cutoff, then
 * fits the model (model NULL: C from the options or chosen by validation)
 * or takes the one given (--apply; it must have been fitted on the same
 * feature set, else RETAIN_ERR_DATA saying which features differ; it stays
 * the caller's and must outlive s); evaluates it on the held-out cutoff
 * and scores the customers active on as-of. RETAIN_ERR_DATA when no
 * customer is active on a training cutoff, or none of them churned (when
 * fitting); RETAIN_ERR_USAGE for a --by column with too many values. */
RETAIN_API retain_status retain_score_run(retain_score *s, const retain_logit *model,
                                          retain_diag *diag);

/* ---- results, after retain_score_run ------------------------------------ */

/* The model used (owned by s when fitted, else the caller's), and the
 * spec line that describes its feature set (for retain_logit_save). */
RETAIN_API const retain_logit *retain_score_model(const retain_score *s);
RETAIN_API const char *retain_score_spec(const retain_score *s);

/* The C candidates tried by the validation (fit on the training cutoffs
 * but the latest, scored on the latest), and their log loss there. */
#define RETAIN_SCORE_C_GRID 6

typedef struct {
    retain_day heldout_cutoff;
    retain_day first_train_cutoff, last_train_cutoff;
    size_t train_cutoffs;
    size_t train_rows, train_churners;
    size_t heldout_rows, heldout_churners;
    size_t scored;          /* customers active on as-of */
    size_t train_customers; /* customers in the training draw */
    size_t customers;       /* all customers of the table */
    bool sampled;           /* the training used a draw of the customers */
    bool fitted;            /* false with a model given */
    bool c_validated;       /* C chosen by the validation */
    size_t validation_rows, validation_churners;
    double grid_c[RETAIN_SCORE_C_GRID];
    double grid_log_loss[RETAIN_SCORE_C_GRID]; /* NaN when not tried */
    bool evaluated;                            /* the held-out cutoff had enough churners */
    retain_evaluation heldout;
    double auc_se;    /* Hanley and McNeil's standard error of the AUC */
    bool informative; /* AUC >= 0.6 and AUC - 1.96 se > 0.5 */
} retain_score_summary;

RETAIN_API void retain_score_get_summary(const retain_score *s, retain_score_summary *out);

/* What must be said before anyone trusts the numbers, after
 * retain_score_run(): the k-th caveat (k = 0, 1, ...) as one line of text
 * in buf (size bytes, cut to fit): too few churners to train on, a
 * held-out cutoff that cannot evaluate the score, a held-out AUC that is
 * not informative, a training on a draw of the customers. False when
 * there is no k-th caveat (buf unchanged). retain score writes them on
 * stderr. */
RETAIN_API bool retain_score_caveat(const retain_score *s, size_t k, char *buf, size_t size);

/* The feature table: the model's features, then every row of every cutoff
 * (training cutoffs oldest first, the held-out one, then as-of), customers
 * in the order of the table. */
typedef enum { RETAIN_SCORE_TRAIN, RETAIN_SCORE_HELDOUT, RETAIN_SCORE_SCORED } retain_score_set;

typedef struct {
    retain_day cutoff;
    retain_score_set set;
    const char *id; /* not NUL-terminated */
    size_t id_len;
    bool has_label; /* false for the customers scored */
    bool churned;
    const double *x; /* one value per feature, NaN for missing */
} retain_score_feature_row;

RETAIN_API size_t retain_score_features(const retain_score *s);
RETAIN_API const char *retain_score_feature_name(const retain_score *s, size_t j);
RETAIN_API size_t retain_score_rows(const retain_score *s);
RETAIN_API void retain_score_row(const retain_score *s, size_t r, retain_score_feature_row *out);

/* The scored customers, by expected MRR loss (p_churn x MRR) descending,
 * then p_churn descending, then id. top[] are the three features that push
 * the log-odds up most (coefficient x standardised value > 0), largest
 * first; feature SIZE_MAX past the last. */
typedef struct {
    const char *id;
    size_t id_len;
    const char *by[RETAIN_SCORE_MAX_BY]; /* the life's --by values, not NUL-terminated */
    size_t by_len[RETAIN_SCORE_MAX_BY];
    retain_money mrr;
    double p_churn;
    double expected_mrr_loss; /* in currency units */
    struct {
        size_t feature;
        double contribution;
    } top[3];
} retain_score_result;

RETAIN_API size_t retain_score_scored(const retain_score *s);
RETAIN_API void retain_score_result_get(const retain_score *s, size_t r, retain_score_result *out);

/* The tables 'retain score' prints, after retain_score_run(), as
 * retain_print says (the writer returned unfinished; NULL when out of
 * memory); o is the options s was made with. See retain-metrics(7).
 * The scores: id, the --by values, mrr (with o->has_mrr: p->precision
 * decimals), p_churn, expected_mrr_loss (with o->has_mrr), and the three
 * factors with their contributions; probabilities and contributions with
 * `decimals` places (retain: 4 unless -p). */
RETAIN_API retain_writer *retain_score_write(const retain_score *s, const retain_score_options *o,
                                             const retain_print *p, int decimals);

/* The feature table: cutoff, set (train, heldout, score), id, churned and
 * one column per feature (a whole value as an integer, else 6 decimals;
 * missing: empty). */
RETAIN_API retain_writer *retain_score_write_features(const retain_score *s, const retain_print *p);

/* The report: section, name, value for the counts, the model (c_from:
 * model file, option, validation, or default when no validation was
 * possible), the validation's log losses, the held-out figures, the
 * calibration deciles and the coefficients, largest effect first. */
RETAIN_API retain_writer *retain_score_write_report(const retain_score *s,
                                                    const retain_score_options *o,
                                                    const retain_print *p, int decimals);

RETAIN_API void retain_score_free(retain_score *s);

#ifdef __cplusplus
}
#endif
#endif
