/* What retain repeat, rfm and clv share: --unit, and reading the orders
 * table (its column options --orders-id, --orders-date, --orders-amount
 * and --orders-date-format come from cmd/tables.c: ORDERS_TABLES in the
 * cli_command) into an orders accumulator. */
#ifndef RETAIN_CMD_ORDERS_H
#define RETAIN_CMD_ORDERS_H

#include "cli.h"

/* Option keys, clear of the commands' own (which start at OPT_FIRST_FREE). */
enum { OPT_ORDERS_UNIT = OPT_FIRST_FREE + 80 };

/* For the cli_command's .tables: the orders table's column options. */
#define ORDERS_TABLES ((const retain_table_kind[]){RETAIN_TABLE_ORDERS, 0})

#define ORDERS_UNIT_OPT "unit", OPT_ORDERS_UNIT, "U", "time in day (default) or week (days / 7)"

/* Takes --unit into *unit_days; true when opt was it (*bad and c->code
 * set after a usage error). */
bool orders_option(cli *c, int opt, const char *arg, double *unit_days, bool *bad);

/* Reads the orders table (the operands, or stdin) into o, the --by column
 * as the segment, its columns named by --orders-id (or --id),
 * --orders-date and --orders-amount. need_amount: the amount column must
 * exist. Returns the exit code. */
int orders_read(cli *c, int argc, char **argv, retain_orders *o, bool need_amount);

/* Finishes o; reports a failure and returns its exit code. */
int orders_finish(cli *c, retain_orders *o);

#endif
