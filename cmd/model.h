/* Helpers shared by retain ltv and retain cac: undefined values written
 * as empty cells, cells passed through. */
#ifndef RETAIN_CMD_MODEL_H
#define RETAIN_CMD_MODEL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

/* Writes a value with c->precision decimals, or an empty cell. */
retain_status model_put(retain_writer *w, const cli *c, retain_value v);

/* Writes a cell passed through from an input table: as a number when it
 * is a plain number (for JSON and tables), else as text. */
retain_status model_put_cell(retain_writer *w, const char *text, size_t len);

#endif
