/* retain/report.h - the company report of a period: its headline figures
 * against the previous period and the same period a year earlier, goals
 * against results, charts, next steps, as a document (retain/document.h).
 *
 * The report computes nothing of its own: every figure is the one the
 * subcommand prints for the same inputs and options (retain rate, churn,
 * cohort, survival, ltv), read from the same accumulators, formatted with
 * the same functions, then spelled for a reader in the report's language.
 * A section whose inputs are absent is left out and named in a "Not
 * included" list, never drawn as zeros.
 *
 * Rows of the customer table arrive through retain_report_row(), a
 * retain_row_fn: read once, in any order. */
#ifndef RETAIN_REPORT_H
#define RETAIN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/churn.h>
#include <retain/events.h>
#include <retain/date.h>
#include <retain/document.h>
#include <retain/lang.h>
#include <retain/period.h>
#include <retain/reader.h>
#include <retain/status.h>
#include <retain/table.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    retain_period_kind period; /* RETAIN_PERIOD_MONTH or RETAIN_PERIOD_QUARTER */
    bool has_as_of;            /* else: the latest start, as every subcommand */
    retain_day as_of;          /* the period reported is the one holding it */
    retain_lang lang;
    const retain_stages *stages; /* NULL: the default stages; the caller's, outliving the report */
    /* Which extra columns of the rows (retain_row.extra) hold a segment
     * (--by: Kaplan-Meier curves by segment) and a churn reason; -1 for
     * none. segment_name names the column in titles (copied). */
    int segment_extra, reason_extra;
    const char *segment_name;
    double margin;     /* gross margin for LTV, a fraction (retain ltv --margin; 1 when 0) */
    int precision;     /* decimals of rates and money, 0..9 (retain's -p; its default is 2) */
    int32_t merge_gap; /* days: rows this close are one life (retain/lives.h), as --merge-gap */
    bool other_tables; /* events, tickets or survey rows will follow the customer
                        * table (the next steps keep per-customer state for them) */
} retain_report_options;

/* The columns of the customer table a report reads (retain_reader_options.want):
 * id, start, end, mrr and reason. */
#define RETAIN_REPORT_COLUMNS                                                                      \
    (RETAIN_ROLE_BIT(RETAIN_COL_ID) | RETAIN_ROLE_BIT(RETAIN_COL_START) |                          \
     RETAIN_ROLE_BIT(RETAIN_COL_END) | RETAIN_ROLE_BIT(RETAIN_COL_MRR) |                           \
     RETAIN_ROLE_BIT(RETAIN_COL_REASON))

typedef struct retain_report retain_report;

/* NULL with diag filled: RETAIN_ERR_USAGE for a period other than month or
 * quarter, a margin outside (0, 1]; RETAIN_ERR_NOMEM. Free with
 * retain_report_free(). */
RETAIN_API retain_report *retain_report_new(const retain_report_options *options,
                                            retain_diag *diag);

/* One row of the customer table: a retain_row_fn whose user is the report. */
RETAIN_API retain_status retain_report_row(const retain_row *row, void *report, retain_diag *diag);

/* Rows of the events, tickets and survey tables, after the customer
 * table: the next steps (accounts at risk by MRR, detractors to call,
 * promoters whose usage grows) are retain risk's rows as of as-of. */
RETAIN_API retain_status retain_report_events(const retain_row *row, void *report,
                                              retain_diag *diag);
RETAIN_API retain_status retain_report_tickets(const retain_row *row, void *report,
                                               retain_diag *diag);
RETAIN_API retain_status retain_report_answers(const retain_row *row, void *report,
                                               retain_diag *diag);

/* After finish: the exact duplicate rows of the customer table left out
 * (retain_rate_duplicates: a row whose cells all repeat those of a row of
 * the same customer read before), and the retain_row.place of the first
 * one and of the row it repeats (may be NULL). */
RETAIN_API unsigned long retain_report_duplicates(const retain_report *report, uint64_t *place,
                                                  uint64_t *of);

/* After finish: the rows of the events, tickets or survey table (table)
 * whose id is no customer of the customer table, left out, and the line
 * of the first of them (0 when none), as retain nps and retain risk count
 * them. */
RETAIN_API uint64_t retain_report_unknown(const retain_report *report, retain_table_kind table,
                                          unsigned long *first_line);

/* A spend table (period, spend and, with a segment, channel: as retain
 * cac --spend-table reads it), before the rows: CAC and LTV:CAC of the
 * period by channel (the segment column's values), as retain ltv --by and
 * retain cac --by print them. The table stays the caller's. Errors as
 * retain_spend_table_add(). */
RETAIN_API retain_status retain_report_spend(retain_report *report, const retain_table *spend,
                                             retain_diag *diag);

/* Goals: a table with columns metric, target and higher_is_better (yes or
 * no, true or false, higher or lower, 1 or 0). metric is one of the
 * headline keys (retain-report(1): customers, new, lost, retention_pct,
 * churn_pct, kept_pct, arpu, ltv, mrr, nrr_pct, grr_pct, cac, ltv_cac, nps,
 * churn_pct:STAGE). RETAIN_ERR_DATA (with the line and column) for a
 * missing column, an unknown metric, a target that is not a number. The
 * table stays the caller's. */
RETAIN_API retain_status retain_report_goals(retain_report *report, const retain_table *goals,
                                             retain_diag *diag);

/* Once every row is in: computes the accumulators and lays the document
 * out. RETAIN_ERR_DATA when no row was added, RETAIN_ERR_USAGE when every
 * row starts after the as-of given; RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_report_finish(retain_report *report, retain_diag *diag);

/* After finish: the document (owned by the report) and the as-of used. */
RETAIN_API const retain_doc *retain_report_document(const retain_report *report);
RETAIN_API retain_day retain_report_as_of(const retain_report *report);

RETAIN_API void retain_report_free(retain_report *report);

/* ---- the quarterly business review of one account ----------------------
 *
 * For one customer, the quarter holding as-of: its life (customer since,
 * tenure, next renewal), MRR and health as retain risk sees them, its
 * usage by event kind and its tickets by kind against the quarter before,
 * its NPS answers, its MRR at the end of each of the last 12 months, its
 * goals (any metric name the review shows: mrr, health, tenure_days,
 * usage:KIND, tickets:KIND), the ROI figures given, and next steps from
 * its signals. The customer table comes first (every row: the events
 * accumulator of retain risk needs them), then the other tables. */

typedef struct {
    const char *account; /* the customer id as written (spaces around trimmed); copied */
    bool has_as_of;      /* else: the latest start, as every subcommand */
    retain_day as_of;
    retain_lang lang;
    int precision;               /* decimals of money (retain's default 2) */
    const retain_stages *stages; /* NULL: 90,365; the caller's, outliving the review */
} retain_qbr_options;

typedef struct retain_qbr retain_qbr;

/* NULL with diag filled (no account id, out of memory). Free with
 * retain_qbr_free(). */
RETAIN_API retain_qbr *retain_qbr_new(const retain_qbr_options *options, retain_diag *diag);

/* The options of the review of account with the as-of, language,
 * precision and stages of a company report's options (retain report
 * --account ID: the same options, another document); account and the
 * stages stay the caller's. */
RETAIN_API retain_qbr_options retain_qbr_options_of(const retain_report_options *report,
                                                    const char *account);

/* Rows of the customer table, then of the events, tickets and survey
 * tables: retain_row_fn whose user is the review. RETAIN_ERR_DATA for an
 * account the customer table lacks (at the first other row, or at
 * finish). */
RETAIN_API retain_status retain_qbr_customer(const retain_row *row, void *qbr, retain_diag *diag);
RETAIN_API retain_status retain_qbr_events(const retain_row *row, void *qbr, retain_diag *diag);
RETAIN_API retain_status retain_qbr_tickets(const retain_row *row, void *qbr, retain_diag *diag);
RETAIN_API retain_status retain_qbr_answers(const retain_row *row, void *qbr, retain_diag *diag);

/* Goals as for the company report (metric, target, higher_is_better),
 * any metric name; the table stays the caller's. ROI figures: a table
 * with metric, before, after and unit, shown as given with the change
 * after - before; it must outlive the review. RETAIN_ERR_DATA for a
 * missing column. */
RETAIN_API retain_status retain_qbr_goals(retain_qbr *qbr, const retain_table *goals,
                                          retain_diag *diag);
RETAIN_API retain_status retain_qbr_roi(retain_qbr *qbr, const retain_table *roi,
                                        retain_diag *diag);

/* Lays the review out once every table is read. */
RETAIN_API retain_status retain_qbr_finish(retain_qbr *qbr, retain_diag *diag);
RETAIN_API const retain_doc *retain_qbr_document(const retain_qbr *qbr);
RETAIN_API retain_day retain_qbr_as_of(const retain_qbr *qbr);
RETAIN_API void retain_qbr_free(retain_qbr *qbr);

#ifdef __cplusplus
}
#endif
#endif
