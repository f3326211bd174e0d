/* retain/reader.h - streaming reader for customer tables (CRM exports).
 *
 * One row per subscription: a customer id, a start day, an optional end day
 * (the first day without service) and an optional monthly revenue. Columns
 * are found by header name; the dialect (delimiter, BOM, CRLF, quoting) is
 * recognised; every byte of CSV is parsed by libcsv, in strict mode. Rows
 * are handed to a callback one at a time and nothing of the file is kept. */
#ifndef RETAIN_READER_H
#define RETAIN_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <retain/date.h>
#include <retain/money.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kinds of table retain reads. Each has its roles (the columns it is
 * read for), the header names recognised for each role and the roles it
 * requires: see retain_table_kind_roles() and retain(1). */
typedef enum {
    RETAIN_TABLE_CUSTOMERS = 0, /* one row per subscription (the default) */
    RETAIN_TABLE_EVENTS,        /* product activity: id, date, kind, value */
    RETAIN_TABLE_TICKETS,       /* support tickets: id, date, kind */
    RETAIN_TABLE_SURVEY,        /* NPS answers: id, date, score */
    RETAIN_TABLE_ORDERS,        /* purchases: id, date, amount */
    RETAIN_TABLE_REFERRALS,     /* referrer id, referred id, date, reward */
    RETAIN_TABLE_DEALS,         /* deal id, source, created, outcome, closed, customer id */
    RETAIN_TABLE_KINDS          /* how many kinds there are */
} retain_table_kind;

/* The columns a table may have. The values are stable: new roles are only
 * ever added before RETAIN_COL_ROLES. Which roles a kind has is in
 * retain_table_kind_roles(). */
typedef enum {
    RETAIN_COL_ID,       /* customer key; referrals: the referrer; deals: the
                            customer a won deal made (may be empty) */
    RETAIN_COL_START,    /* customers: first day of service */
    RETAIN_COL_END,      /* customers: first day without service */
    RETAIN_COL_MRR,      /* customers: monthly recurring revenue (money) */
    RETAIN_COL_REASON,   /* customers: churn reason, free text (looked for
                            only when asked for, see retain_reader_options.want) */
    RETAIN_COL_DATE,     /* the day of an event, ticket, answer, order or
                            referral; deals: the day the deal was created */
    RETAIN_COL_KIND,     /* events, tickets: the kind, free text */
    RETAIN_COL_VALUE,    /* events: a number, 1 when absent or empty */
    RETAIN_COL_SCORE,    /* survey: an integer 0..10 */
    RETAIN_COL_AMOUNT,   /* orders: the amount; referrals: the reward (money) */
    RETAIN_COL_REFERRED, /* referrals: the referred customer or lead id */
    RETAIN_COL_DEAL,     /* deals: the deal id */
    RETAIN_COL_SOURCE,   /* deals: the source or channel */
    RETAIN_COL_OUTCOME,  /* deals: won, lost or open (empty = open) */
    RETAIN_COL_STAGE,    /* deals: a CRM pipeline stage: "Closed Won", "Closed
                            Lost", any other stage open */
    RETAIN_COL_CLOSED,   /* deals: the day the deal was closed */
    RETAIN_COL_ROLES     /* how many roles there are */
} retain_column_role;

/* A bit per role, for the role sets of retain_reader_options. */
#define RETAIN_ROLE_BIT(role) (1u << (role))

/* One role of a table kind, as its options and messages name it: the
 * declaration from which a command builds its column options
 * (--id COL for the customer table, --KIND-NAME COL for the others:
 * --events-date, --survey-score, --deals-stage ...) and their help. */
typedef struct {
    retain_column_role role;
    const char *name; /* "date": the option is --events-date */
    const char *what; /* "event date", for messages and help */
    bool required;    /* the table must have the column */
} retain_role_info;

/* The name of a kind ("customers", "events", ...: also the option prefix
 * of its column options), static storage; NULL for a kind out of range. */
RETAIN_API const char *retain_table_kind_name(retain_table_kind kind);

/* The roles of a kind, in the order of its options: *roles points to
 * static storage. Returns how many there are (0 for a kind out of range). */
RETAIN_API size_t retain_table_kind_roles(retain_table_kind kind, const retain_role_info **roles);

/* The i-th header recognised for a role of a kind (0-based, in order of
 * precedence: where a header has two candidates, the earlier one wins; see
 * retain(1)), as exports spell it; NULL past the last. Static storage. */
RETAIN_API const char *retain_role_header(retain_table_kind kind, retain_column_role role,
                                          size_t i);

/* Whether a header name is recognised for a role of the customer table
 * without a flag (see retain(1) for the list); role may be NULL. */
RETAIN_API bool retain_column_recognised(const char *name, retain_column_role *role);

/* Whether a header name is recognised for a role of a table kind. */
RETAIN_API bool retain_column_recognised_as(retain_table_kind kind, const char *name,
                                            retain_column_role *role);

/* Whether two header names are the same column: case ignored, spaces and
 * underscores alike (a run of them counts as one), blanks around ignored,
 * and Latin letters compared without their accents ("Date de résiliation"
 * is "date_de_resiliation"; "N° client" is "No client"). The one name
 * matcher of libretain: options, recognised headers and tables use it. */
RETAIN_API bool retain_name_equal(const char *a, const char *b);

/* Whether retain_reader_options.encoding may be this name. */
RETAIN_API bool retain_encoding_known(const char *name);

/* A deal's outcome (deals tables). */
typedef enum { RETAIN_DEAL_OPEN = 0, RETAIN_DEAL_WON, RETAIN_DEAL_LOST } retain_deal_outcome;

typedef struct {
    /* ',' ';' '|' or '\t'; 0 to detect it from the header line. */
    char delimiter;
    /* The kind of table (0: customers). */
    retain_table_kind kind;
    /* Header names for each role, matched as retain_name_equal() says;
     * NULL to recognise the common export headers of the kind. Naming a
     * role the kind does not have is a usage error. */
    const char *column[RETAIN_COL_ROLES];
    /* Role sets (RETAIN_ROLE_BIT bits), 0 for the kind's defaults: want,
     * the roles to read (default: all of the kind's roles but
     * RETAIN_COL_REASON; a role not wanted is not even looked for, so that
     * a command never fails on a column it does not use); require, roles
     * that must exist besides the kind's required ones; optional, required
     * roles of the kind the caller can do without (survey ids for an NPS
     * of anonymous answers). */
    uint32_t want, require, optional;
    /* Whether the mrr column must exist (the end column never must), and
     * whether to leave it alone: a command that needs no revenue should
     * not fail on it. */
    bool need_mrr;
    bool ignore_mrr;
    /* strptime-style date format, or "epoch" / "epoch-ms" (Unix time in
     * seconds or milliseconds: its UTC day); NULL for ISO 8601 dates and
     * date-times (the day as written, the time and zone dropped). For
     * every date column of the table. */
    const char *date_format;
    /* Decimal separator for money: '.' (also when 0) or ','. */
    char decimal;
    /* Customer tables: the revenue column holds annual amounts (ARR): MRR
     * = ARR / 12, exact to the cent, rounded half away from zero. Also
     * makes the annual headers ("ARR (converted)", "arr") the recognised
     * ones for the role, instead of the monthly ones. */
    bool arr;
    /* Amounts (MRR, order amounts, rewards) are in minor units: 1999 is
     * 19.99. Also makes headers such as Stripe's plan_amount recognised. */
    bool cents;
    /* The input's encoding, converted to UTF-8 as it is read (glibc
     * iconv): "cp1252" (Windows, Excel; also "windows-1252"), "latin1"
     * ("iso-8859-1"), "latin9", "utf-16" (with its BOM; "utf-16le",
     * "utf-16be"), "utf-8"; NULL for UTF-8. Never guessed: without it,
     * bytes that are not UTF-8 are a data error naming the line. Any other
     * name is a usage error. */
    const char *encoding;
    /* Customer tables: the end column holds the last day of service
     * (Salesforce's Contract End Date): the first day without is end + 1. */
    bool end_inclusive;
    /* Further columns to hand over with each row, by header name (--by,
     * --keep); they must exist. The array is the caller's and must outlive
     * the reader. */
    const char *const *extra;
    size_t n_extra;
    /* Skip rows with bad values (reported by retain_reader_skipped()) instead
     * of failing. Broken quoting always fails: nothing after it can be
     * trusted. */
    bool skip_bad;
    /* Rows may reach the callback out of file order. On a large regular
     * file this lets libcsv run on two cores at once. A row whose line is
     * not known yet has line 0; errors, skipped lines and their order are
     * the same as in an ordered read (the first problem in the file wins).
     * The reader's checked total of |mrr| (over the table's files: a
     * total past INT64_MAX millionths is a data error naming the first
     * row, in the files' order, past which it does not fit) and the
     * segment cap
     * (max_segments) are passed in the order the rows come; when either
     * is, the file is read again in order, handing no row over, up to
     * its first problem, so that the error names the row an ordered read
     * names (a callback's own error on a row it was not handed yet cannot
     * be known then: the reader's is returned). The read stays in order,
     * whatever this says, with skip_bad and the mrr column read or a
     * segment cap (which rows past the cap are skipped would depend on the
     * order); with an encoding; on a pipe or a file under 8 MiB; and, in
     * a semicolon file without a decimal separator given (decimal 0) with
     * an amount column, until an amount told the separator. While rows
     * may come out of order, the reader's own parsing thread runs with
     * its nice value raised by 10 (on Linux, where nice is per thread), so
     * that the threads handling the rows run first; the calling thread's
     * priority is not changed. */
    bool unordered;
    /* At most this many distinct values in the first extra column (the
     * segment column, --by): the row with one more fails with
     * RETAIN_ERR_DATA naming the column, before the segments' tables take
     * the machine's memory. 0: no cap. The row named is the first past
     * the cap in the file's order, in every read (see unordered). */
    size_t max_segments;
    /* Customer tables: keep exact duplicate rows. By default each row
     * gets a fingerprint of its cells and a place (retain_row), with which
     * the metrics (retain_rate_add_row, retain_lives_add_row ...) leave out
     * a row whose cells are all equal, in order, to those of a row of the
     * same customer read before, in this file or an earlier one of the
     * table: an export run twice and concatenated, a join's fan-out. With
     * keep_duplicates, and for the other kinds (two identical events or
     * orders of a day can both be real), the fingerprint is 0: every row
     * counts. */
    bool keep_duplicates;
    /* A table with a header and no data row is read as an empty table
     * (RETAIN_OK, retain_reader_rows() 0) instead of failing with
     * RETAIN_ERR_DATA "no data rows after the header": for a table that
     * may rightly have nothing in it yet (no ticket this quarter, a
     * referral programme with no referral). A table whose every row was
     * skipped (skip_bad) still fails. */
    bool empty_ok;
} retain_reader_options;

/* One row, valid only during the callback. Text fields are not
 * NUL-terminated (use the lengths) and are empty ("", length 0) when the
 * table has no such column; a field of a role the kind does not have is
 * empty, 0 or false. */
typedef struct {
    unsigned long line; /* line where the record starts, 1-based */
    const char *id;     /* id_len > 0, except where the id is optional
                           (deals; survey with RETAIN_COL_ID optional) */
    size_t id_len;
    retain_day start;
    retain_day end; /* meaningful when has_end */
    bool has_end;
    retain_money mrr; /* meaningful when has_mrr */
    bool has_mrr;
    const char *const *extra; /* n_extra values, NUL-terminated, in option order */
    const size_t *extra_len;

    /* The other table kinds (and the customer table's reason). */
    const char *reason; /* customers, when wanted */
    size_t reason_len;
    retain_day date; /* events, tickets, survey, orders, referrals: the day;
                        deals: created. Always set where the kind requires
                        a date, else meaningful when has_date */
    bool has_date;
    const char *kind; /* events, tickets */
    size_t kind_len;
    int64_t value; /* events: in millionths, as retain_money (1 is
                      RETAIN_MONEY_SCALE); 1 when absent or empty */
    int score;     /* survey: 0..10, meaningful when has_score (an empty
                      cell is a question not answered) */
    bool has_score;
    retain_money amount; /* orders: the amount; referrals: the reward;
                            meaningful when has_amount */
    bool has_amount;
    const char *referred; /* referrals: may be empty (not signed yet) */
    size_t referred_len;
    const char *deal; /* deals: the deal id */
    size_t deal_len;
    const char *source; /* deals */
    size_t source_len;
    retain_deal_outcome outcome; /* deals */
    retain_day closed;           /* deals: meaningful when has_closed */
    bool has_closed;
    /* Customer tables (unless keep_duplicates): a 64-bit XXH3 hash of the
     * record's cells, in order, never 0 (two rows have the same when every
     * cell is equal; otherwise with a chance of 2^-64); 0: none. */
    uint64_t fingerprint;
    /* With a fingerprint: where the row is in the table, as a number that
     * orders the rows as the files do (file, then line), known even when
     * line is not yet; retain_reader_place_line() gives its line. */
    uint64_t place;
} retain_row;

/* Called for each valid row, in file order. Return RETAIN_OK to go on;
 * anything else stops the read, which returns that status (fill diag). */
typedef retain_status (*retain_row_fn)(const retain_row *row, void *user, retain_diag *diag);

typedef struct retain_reader retain_reader;

/* Checks and copies the options (the extra array excepted). Returns NULL and
 * fills diag on a bad option (RETAIN_ERR_USAGE) or no memory.
 * The caller frees the reader with retain_reader_free(). */
RETAIN_API retain_reader *retain_reader_new(const retain_reader_options *options,
                                            retain_diag *diag);

/* Reads a whole table from in (which stays the caller's) and calls fn for
 * each row. A reader reads one table, which may come in several files:
 * call it again for each further file. Each file has its own dialect
 * (delimiter, BOM, sep= line) and header, whose columns must map to the
 * same roles as the first file's (the names may differ: an English and a
 * French export are one table); else RETAIN_ERR_DATA on its header line,
 * naming both files (retain_reader_set_name). fn is called on the calling
 * thread, one row at a time, never concurrently: a read on two cores
 * (unordered) parses there, the rows still come here. The counts below
 * (retain_reader_rows ...) are those of the last read. On failure, returns the status and
 * fills diag: RETAIN_ERR_DATA (with the line and, where it applies, the
 * column), RETAIN_ERR_USAGE (a column named in the options is not in the
 * header), RETAIN_ERR_IO or RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_reader_read(retain_reader *reader, FILE *in, retain_row_fn fn,
                                            void *user, retain_diag *diag);

/* Names the file the next read reads, for the messages that refer to
 * another file of the table ("the header maps to other roles than
 * us.csv's"); copied. RETAIN_ERR_NOMEM when it cannot be. */
RETAIN_API retain_status retain_reader_set_name(retain_reader *reader, const char *name);

/* After a read: rows handed to the callback, and rows skipped with
 * skip_bad. first_lines receives up to `max` line numbers of skipped rows. */
RETAIN_API unsigned long retain_reader_rows(const retain_reader *reader);
RETAIN_API unsigned long retain_reader_skipped(const retain_reader *reader,
                                               unsigned long *first_lines, size_t max);

/* After a read with skip_bad: why the first skipped row was bad, or NULL
 * when none was. Owned by the reader. */
RETAIN_API const retain_diag *retain_reader_first_skip(const retain_reader *reader);

/* During a read (from the row callback): an estimate of the rows of the
 * whole input, from its size and the rows read so far, to size tables
 * once; 0 when unknown (a pipe). */
RETAIN_API size_t retain_reader_expected_rows(const retain_reader *reader);

/* After a read: a report footer after the data, left out, or 0 when
 * there was none. A footer is what follows the last data row when it
 * starts with a record that cannot be data (another number of fields
 * than the header's, or an empty id or date: "Grand Totals (12 records)",
 * "Confidential Information - Do Not Distribute", "Generated By: ...")
 * and nothing after it is data; at most 32 records. Had a data row
 * followed, its first record would have been the error. Returns its
 * records; *line gets its first line and *text its first non-empty cell,
 * quoted for a message (owned by the reader); either may be NULL. */
RETAIN_API unsigned long retain_reader_footer(const retain_reader *reader, unsigned long *line,
                                              const char **text);

/* The line of a place (retain_row.place) of this reader's table, once
 * the read of its file ended without error; *file (may be NULL) gets the
 * name given to retain_reader_set_name for that file (NULL when none was),
 * owned by the reader. 0 for a place this reader did not give. */
RETAIN_API unsigned long retain_reader_place_line(const retain_reader *reader, uint64_t place,
                                                  const char **file);

/* A guess of the latest day of a table's date column (the start for the
 * customer table), from its header and the rows in the last `bytes` bytes
 * of a seekable file, for a default as-of (the latest event) that the
 * read folding the rows needs before it starts: the caller checks the
 * guess against the latest day that read saw and reads again when it was
 * wrong, so a guess never changes a result, only spares a pass over the
 * file when right (event logs in date order, or grouped by customer with
 * recent customers last). Rows in the tail that do not parse are passed
 * over. in is left at its start. RETAIN_OK with *found false when in
 * cannot seek or the tail has no date; RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_reader_guess_latest(const retain_reader_options *options, FILE *in,
                                                    size_t bytes, retain_day *day, bool *found);

/* After a read: rows whose cells are all empty (Excel's ";;;;"), skipped
 * wherever they are. */
RETAIN_API unsigned long retain_reader_empty_rows(const retain_reader *reader);

/* After a read: the delimiter that was used. */
RETAIN_API char retain_reader_delimiter(const retain_reader *reader);

/* After the header was read: the header name matched for a role, or NULL
 * when the table has no such column. Owned by the reader. */
RETAIN_API const char *retain_reader_column(const retain_reader *reader, retain_column_role role);

RETAIN_API void retain_reader_free(retain_reader *reader);

#ifdef __cplusplus
}
#endif
#endif
