/* Helpers shared by retain ltv and retain cac: numbers from options and
 * cells, undefined values written as empty cells, a table input whose
 * header is looked at first. */
#ifndef RETAIN_CMD_MODEL_H
#define RETAIN_CMD_MODEL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

/* A plain decimal number such as 120, 3.5, .75, -2 (no exponent, no
 * grouping; a currency sign or code and grouping as in money columns are
 * accepted too), locale-free. False when text is not one. */
bool model_parse_number(const char *text, size_t len, double *out);

/* Reads an option's number; prints the usage error and returns false when
 * it is not one. */
bool model_option_number(const cli *c, const char *option, const char *arg, double *out);

/* Writes a value with c->precision decimals, or an empty cell. */
retain_status model_put(retain_writer *w, const cli *c, retain_value v);

/* Writes a cell passed through from an input table: as a number when it
 * is a plain number (for JSON and tables), else as text. */
retain_status model_put_cell(retain_writer *w, const char *text, size_t len);

/* Prints a diagnostic from a small table (retain_table_read) with its file
 * name; returns the exit code. */
int model_report(const cli *c, const char *filename, const retain_diag *diag);

/* A data error at a line of a named file, with the column. Returns
 * EXIT_DATAERR. */
int model_data_error(const cli *c, const char *filename, unsigned long line, const char *column,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
