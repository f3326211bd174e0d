/* retain/table.h - a whole small CSV table in memory: a header and records
 * of fields, each with the line where it starts. For the tables retain
 * reads beside a customer table: the output of another retain command on a
 * pipe, a spend table. Every byte is parsed by libcsv (delimiter detected
 * or given, BOM, CRLF, RFC 4180 quoting), as for customer tables. */
#ifndef RETAIN_TABLE_H
#define RETAIN_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct retain_table retain_table;

/* Reads the whole of in (which stays the caller's). delimiter 0 detects it.
 * RETAIN_ERR_DATA (with the line) for broken CSV, a record whose number of
 * fields differs from the header's, non-UTF-8 text, or no header at all.
 * On success *out is the table, which the caller frees with
 * retain_table_free(). */
RETAIN_API retain_status retain_table_read(FILE *in, char delimiter, retain_table **out,
                                           retain_diag *diag);

RETAIN_API size_t retain_table_columns(const retain_table *t);
RETAIN_API const char *retain_table_name(const retain_table *t, size_t col);
/* The column whose name matches (case-insensitively, spaces and underscores
 * alike, blanks around ignored): false when there is none. */
RETAIN_API bool retain_table_find(const retain_table *t, const char *name, size_t *col);
RETAIN_API size_t retain_table_rows(const retain_table *t);
/* A cell, NUL-terminated, len bytes (len may be NULL). */
RETAIN_API const char *retain_table_cell(const retain_table *t, size_t row, size_t col,
                                         size_t *len);
/* The line where a record starts (1 is the header's). */
RETAIN_API unsigned long retain_table_line(const retain_table *t, size_t row);
RETAIN_API char retain_table_delimiter(const retain_table *t);
RETAIN_API void retain_table_free(retain_table *t);

/* A cell as a number: a plain decimal (120, 3.5, -2), or an amount as in
 * money columns ("$1,234.50"), '.' decimals. *present is false for an
 * empty cell (true is returned). False when the cell is not a number. */
RETAIN_API bool retain_table_number(const retain_table *t, size_t row, size_t col, double *out,
                                    bool *present);

/* Header names compare as retain_name_equal() (retain/reader.h) says: the
 * one matcher. Kept for the callers of this name. */
RETAIN_API bool retain_same_name(const char *a, const char *b);

/* Peeks at the header of in without consuming it for later readers: reads
 * its first record (one line, or more when a quoted name holds a line
 * break), parses it into *header (a table without rows: free it), and
 * returns a new stream that gives the bytes read, then the rest of in.
 * Close it with fclose() (in stays open and the caller's). NULL on failure,
 * with diag filled (RETAIN_ERR_DATA for an empty input or a broken header,
 * RETAIN_ERR_NOMEM). For stdin, which cannot be read twice. */
RETAIN_API FILE *retain_table_peek(FILE *in, char delimiter, retain_table **header,
                                   retain_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
