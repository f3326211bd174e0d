/* The tables a command reads beside the customer table (events, tickets,
 * survey, orders, referrals, deals): their column options, built from the
 * reader's declaration of each kind (retain_table_kind_roles), and reading
 * one through the one reader with the command's input options.
 *
 * A command that reads events declares it once:
 *
 *     cli_tables t;
 *     cli_tables_init(&t);
 *     n += cli_table_longopts(RETAIN_TABLE_EVENTS, longopts + n);   // --events-id ...
 *     ...
 *     case default: if (cli_table_option(&t, opt, optarg)) continue;
 *     ...
 *     cli_table_help(stdout, RETAIN_TABLE_EVENTS);
 *     code = cli_read_other(&c, &t, RETAIN_TABLE_EVENTS, path, fn, user);
 *
 * which gives it --events-id COL, --events-date COL, --events-kind COL,
 * --events-value COL and --events-date-format FMT, with their help lines. */
#ifndef RETAIN_CLI_TABLES_H
#define RETAIN_CLI_TABLES_H

#include <getopt.h>
#include <stdio.h>

#include "cli.h"

/* The getopt code of --KIND-ROLE (the column option of a role), and of
 * --KIND-date-format. */
#define CLI_TABLE_OPT(kind, role) (0x1000 + (int)(kind)*64 + (int)(role))
#define CLI_TABLE_DATE_FORMAT(kind) CLI_TABLE_OPT(kind, RETAIN_COL_ROLES)

/* Most entries cli_table_longopts() appends for one kind. */
#define CLI_TABLE_MAX_OPTS (RETAIN_COL_ROLES + 1)

/* The column names and date formats given for each kind. */
typedef struct {
    const char *column[RETAIN_TABLE_KINDS][RETAIN_COL_ROLES];
    const char *date_format[RETAIN_TABLE_KINDS];
} cli_tables;

void cli_tables_init(cli_tables *t);

/* Appends the getopt_long entries of a kind's options (not the customer
 * table's: those are the shared --id, --start ...) to out, which has room
 * for CLI_TABLE_MAX_OPTS; returns how many. The names are static. */
size_t cli_table_longopts(retain_table_kind kind, struct option *out);

/* Takes a table option: true when opt was one. */
bool cli_table_option(cli_tables *t, int opt, const char *arg);

/* The help lines of a kind's options. */
void cli_table_help(FILE *out, retain_table_kind kind);

/* Reads the table of a kind from path ("-" is stdin) with the command's
 * input options (decimal separator, date format, --skip-bad) and the
 * kind's own column options; fn gets each row. Reports problems on stderr
 * as "retain CMD: PATH:LINE: ..." and returns the exit code. */
int cli_read_other(cli *c, const cli_tables *t, retain_table_kind kind, const char *path,
                   retain_row_fn fn, void *user);

#endif
