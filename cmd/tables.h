/* The tables a command reads beside the customer table (events, tickets,
 * survey, orders, referrals, deals): their column options, made from the
 * reader's declaration of each kind (retain_table_kind_roles), and reading
 * one through the one reader with the command's input options.
 *
 * A command that reads an events table and a survey lists the kinds once
 * in its cli_command:
 *
 *     .tables = (const retain_table_kind[]){RETAIN_TABLE_EVENTS, RETAIN_TABLE_SURVEY, 0},
 *
 * and has, with their --help lines (under "Columns of the events table"):
 * --events-id COL, --events-date COL, --events-kind COL, --events-value
 * COL, --events-date-format FMT, --survey-id COL, --survey-date COL,
 * --survey-score COL, --survey-date-format FMT. The command's own option
 * names the file (--events FILE); it reads it with
 *
 *     code = cli_read_other(c, RETAIN_TABLE_EVENTS, path, want, row_fn, ctx);
 *
 * Every table is read with the command's --decimal, --date-format (unless
 * --KIND-date-format), --encoding, --cents and --skip-bad; its delimiter
 * is its own (detected). */
#ifndef RETAIN_CLI_TABLES_H
#define RETAIN_CLI_TABLES_H

#include "cli.h"

/* The getopt key of --KIND-NAME (the column option of a role), and of
 * --KIND-date-format. */
#define CLI_TABLE_OPT(kind, role) (0x1000 + (int)(kind)*64 + (int)(role))
#define CLI_TABLE_DATE_FORMAT(kind) CLI_TABLE_OPT(kind, RETAIN_COL_ROLES)

/* For cli_parse.c: appends the getopt_long entries of the command's tables at
 * c->longopts + *n; prints their --help; takes one of them (true when opt
 * was one). */
void cli_tables_add(cli *c, size_t *n);
void cli_tables_help(const cli_command *spec, FILE *out);
bool cli_table_option(cli *c, int opt, const char *arg);

/* Reads the table of a kind from path ("-" is stdin) with the command's
 * input options and the kind's column options; want, require and
 * optional as in retain_reader_options (0: the kind's defaults). fn gets
 * each row. Reports problems on stderr as "retain CMD: PATH:LINE: ..." and
 * returns the exit code. */
int cli_read_other(cli *c, retain_table_kind kind, const char *path, uint32_t want,
                   uint32_t require, uint32_t optional, retain_row_fn fn, void *user);

/* The reader options cli_read_other reads a table of that kind with. */
retain_reader_options cli_other_options(const cli *c, retain_table_kind kind);

#endif
