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
#include <stdio.h>

#include <retain/date.h>
#include <retain/money.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The columns a customer table may have. */
typedef enum {
    RETAIN_COL_ID,
    RETAIN_COL_START,
    RETAIN_COL_END,
    RETAIN_COL_MRR,
    RETAIN_COL_ROLES /* how many roles there are */
} retain_column_role;

/* Whether a header name is recognised for a role without a flag (see
 * retain(1) for the list); role may be NULL. */
RETAIN_API bool retain_column_recognised(const char *name, retain_column_role *role);

typedef struct {
    /* ',' ';' '|' or '\t'; 0 to detect it from the header line. */
    char delimiter;
    /* Header names for each role, matched case-insensitively with spaces and
     * underscores alike; NULL to recognise the common export headers. */
    const char *column[RETAIN_COL_ROLES];
    /* Whether the mrr column must exist (the end column never must), and
     * whether to leave it alone: a command that needs no revenue should
     * not fail on it. */
    bool need_mrr;
    bool ignore_mrr;
    /* strptime-style date format; NULL for ISO 8601. */
    const char *date_format;
    /* Decimal separator for money: '.' (also when 0) or ','. */
    char decimal;
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
     * the same as in an ordered read (the first problem in the file wins). */
    bool unordered;
} retain_reader_options;

/* One subscription row, valid only during the callback. */
typedef struct {
    unsigned long line; /* line where the record starts, 1-based */
    const char *id;     /* not NUL-terminated; id_len > 0 */
    size_t id_len;
    retain_day start;
    retain_day end; /* meaningful when has_end */
    bool has_end;
    retain_money mrr; /* meaningful when has_mrr */
    bool has_mrr;
    const char *const *extra; /* n_extra values, NUL-terminated, in option order */
    const size_t *extra_len;
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
 * each row. A reader reads one table. On failure, returns the status and
 * fills diag: RETAIN_ERR_DATA (with the line and, where it applies, the
 * column), RETAIN_ERR_USAGE (a column named in the options is not in the
 * header), RETAIN_ERR_IO or RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_reader_read(retain_reader *reader, FILE *in, retain_row_fn fn,
                                            void *user, retain_diag *diag);

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
