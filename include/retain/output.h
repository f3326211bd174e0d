/* retain/output.h - one table writer for every retain command.
 *
 * Cells are given row by row; the writer renders them as CSV (RFC 4180),
 * TSV, JSON (an array of objects) or an aligned text table. A deferred
 * writer keeps everything (in memory, then in an unlinked temporary file
 * past a few MiB) until retain_writer_finish(), so that a command that fails
 * half-way leaves nothing on its output: a partial table never looks like a
 * complete one. */
#ifndef RETAIN_OUTPUT_H
#define RETAIN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RETAIN_FORMAT_CSV,
    RETAIN_FORMAT_TSV,
    RETAIN_FORMAT_JSON,
    RETAIN_FORMAT_TABLE
} retain_format;

/* "csv", "tsv", "json" or "table" to a format. */
RETAIN_API bool retain_format_parse(const char *name, retain_format *out);

typedef struct retain_writer retain_writer;

/* Starts a table with ncols columns named by columns[] (copied). out stays
 * the caller's: the writer never closes it. With deferred, nothing reaches
 * out before retain_writer_finish(). Returns NULL when out of memory.
 * The caller frees the writer with retain_writer_free(). */
RETAIN_API retain_writer *retain_writer_new(FILE *out, retain_format format,
                                            const char *const *columns, size_t ncols,
                                            bool deferred);

/* How retain_writer_open() writes, or-ed together. */
enum {
    RETAIN_WRITER_DEFERRED = 1, /* nothing reaches out before retain_writer_finish() */
    /* CSV and TSV: a text cell (the header's too) that begins with = + - @,
     * a tab or a carriage return gets a ' before it, so that a spreadsheet
     * opening the file shows it as text instead of evaluating it as a
     * formula (CSV injection: OWASP's rule). Numbers (retain_writer_number,
     * _int, _real) and text that is a plain decimal such as -5.00 stay as
     * they are. JSON and the aligned table are unchanged. Off by default:
     * the ' is part of the cell for any program that reads the file back
     * (a retain command reading another's output among them). */
    RETAIN_WRITER_EXCEL_SAFE = 2
};

/* retain_writer_new() with flags (RETAIN_WRITER_*); the same contract. */
RETAIN_API retain_writer *retain_writer_open(FILE *out, retain_format format,
                                             const char *const *columns, size_t ncols,
                                             unsigned flags);

/* Cells, left to right. text is any UTF-8 (len bytes); number is text that
 * is already a number in retain's style (-12.50), written unquoted in JSON
 * and right-aligned in a table; an empty cell is null in JSON.
 *
 * Errors are sticky, as on a stdio stream: the first failure (no memory,
 * a write error, a row with the wrong number of cells) is kept, every
 * later call does nothing and returns it, and retain_writer_finish()
 * returns it. A caller may write a whole table and check only finish. */
RETAIN_API retain_status retain_writer_text(retain_writer *w, const char *text, size_t len);
RETAIN_API retain_status retain_writer_number(retain_writer *w, const char *number);
RETAIN_API retain_status retain_writer_int(retain_writer *w, int64_t value);
/* A real number rounded to `decimals` places as retain_format_real()
 * rounds it (half away from zero); an empty cell when it has no finite
 * value (NaN, inf), so that no NaN or inf ever reaches the output. */
RETAIN_API retain_status retain_writer_real(retain_writer *w, double value, int decimals);
RETAIN_API retain_status retain_writer_empty(retain_writer *w);

/* Cells of retain's numbers, as retain-metrics(7) "Numbers out" says:
 * num / den x scale rounded from the exact fraction to `decimals` places
 * (retain_format_ratio), empty when den is 0; an amount of money to
 * `decimals` places (at most 6); a day as YYYY-MM-DD. Sticky errors as
 * above. */
RETAIN_API retain_status retain_writer_ratio(retain_writer *w, int64_t num, int64_t den,
                                             int64_t scale, int decimals);
RETAIN_API retain_status retain_writer_money(retain_writer *w, int64_t money, int decimals);
RETAIN_API retain_status retain_writer_day(retain_writer *w, int32_t day);

/* Ends a row; it must have exactly ncols cells (else RETAIN_ERR_USAGE). */
RETAIN_API retain_status retain_writer_end_row(retain_writer *w);

/* The first failure so far, RETAIN_OK when none. */
RETAIN_API retain_status retain_writer_status(const retain_writer *w);

/* Writes what is pending and flushes out; returns the first failure of the
 * writer's life: RETAIN_ERR_NOMEM, RETAIN_ERR_USAGE, or RETAIN_ERR_IO when
 * the stream failed (errno then tells why: EPIPE for a closed pipe,
 * ENOSPC, ...). After a failure nothing more is written to out (a deferred
 * writer has written nothing at all). */
RETAIN_API retain_status retain_writer_finish(retain_writer *w);

RETAIN_API void retain_writer_free(retain_writer *w);

/* Where and how a library call writes the table a retain command prints
 * (retain_risk_write(), ...). Such a call starts a writer on out with the
 * command's columns, writes every row and returns the writer unfinished:
 * the caller calls retain_writer_finish() (whose status is the first
 * failure of the whole table) and retain_writer_free(). */
typedef struct {
    FILE *out; /* the caller's: never closed */
    retain_format format;
    int precision;  /* decimals of percentages, amounts and reals (retain: 2) */
    unsigned flags; /* RETAIN_WRITER_EXCEL_SAFE; the call adds RETAIN_WRITER_DEFERRED
                     * where the command's table is deferred */
} retain_print;

#ifdef __cplusplus
}
#endif
#endif
