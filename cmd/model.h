/* Helpers shared by retain ltv and retain cac: numbers from cells,
 * undefined values written as empty cells. */
#ifndef RETAIN_CMD_MODEL_H
#define RETAIN_CMD_MODEL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

/* A plain decimal number such as 120, 3.5, .75, -2 (no exponent, no
 * grouping; a currency sign or code and grouping as in money columns are
 * accepted too), locale-free. False when text is not one. */
bool model_parse_number(const char *text, size_t len, double *out);

/* Writes a value with c->precision decimals, or an empty cell. */
retain_status model_put(retain_writer *w, const cli *c, retain_value v);

/* Writes a cell passed through from an input table: as a number when it
 * is a plain number (for JSON and tables), else as text. */
retain_status model_put_cell(retain_writer *w, const char *text, size_t len);

#endif
