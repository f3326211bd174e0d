/* What every retain subcommand shares: option parsing for input, metric and
 * output options, opening inputs, and turning a status into a message on
 * stderr and an exit code. No metric logic lives here. */
#ifndef RETAIN_CLI_H
#define RETAIN_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include <retain/retain.h>

/* sysexits(3) */
enum {
    EXIT_OK = 0,
    EXIT_USAGE = 64,
    EXIT_DATAERR = 65,
    EXIT_NOINPUT = 66,
    EXIT_OSERR = 71,
    EXIT_IOERR = 74
};

/* A subcommand: argv[0] is its name. Returns the process exit code. */
typedef int (*cmd_fn)(int argc, char **argv);

/* Long-only option codes shared by the subcommands. */
enum {
    OPT_ID = 256,
    OPT_START,
    OPT_END,
    OPT_MRR,
    OPT_DATE_FORMAT,
    OPT_DECIMAL,
    OPT_SKIP_BAD,
    OPT_AS_OF,
    OPT_PERIOD,
    OPT_FROM,
    OPT_TO,
    OPT_BY,
    OPT_KEEP,
    OPT_HELP,
    OPT_FIRST_FREE /* subcommands number their own options from here */
};

/* getopt_long entries, to put in a subcommand's table. */
#define CLI_INPUT_LONGOPTS                                                                         \
    {"delimiter", required_argument, NULL, 'd'}, {"id", required_argument, NULL, OPT_ID},          \
        {"start", required_argument, NULL, OPT_START}, {"end", required_argument, NULL, OPT_END},  \
        {"mrr", required_argument, NULL, OPT_MRR},                                                 \
        {"date-format", required_argument, NULL, OPT_DATE_FORMAT},                                 \
        {"decimal", required_argument, NULL, OPT_DECIMAL},                                         \
    {                                                                                              \
        "skip-bad", no_argument, NULL, OPT_SKIP_BAD                                                \
    }
#define CLI_OUTPUT_LONGOPTS                                                                        \
    {"format", required_argument, NULL, 'f'}, {"precision", required_argument, NULL, 'p'},         \
    {                                                                                              \
        "help", no_argument, NULL, OPT_HELP                                                        \
    }

/* The state of one subcommand run. */
typedef struct {
    const char *cmd;      /* "rate", for messages */
    const char *filename; /* for messages: the path, or "stdin" */
    retain_reader_options input;
    retain_format format;
    int precision;
    bool precision_given; /* -p was on the command line */
    const char *by;       /* --by COL, or NULL */
    /* after cli_read_table: whether the table had an MRR column, and the
     * rows read */
    bool has_mrr;
    unsigned long rows;
} cli;

void cli_init(cli *c, const char *cmd);

/* What cli_next_option returns when the command must end at once. */
#define CLI_DONE (-2)

/* The next option of the subcommand's own, from getopt_long: the shared
 * input and output options are handled on the way, --help prints usage().
 * Returns the option, -1 after the last, or CLI_DONE when the command ends
 * now with exit code *code (after --help, or a usage error said on
 * stderr). */
int cli_next_option(cli *c, int argc, char **argv, const char *shortopts,
                    const struct option *longopts, void (*usage)(FILE *), int *code);

/* Handles a shared option; returns 1 when handled, 0 when the option is not
 * a shared one, -1 after printing a usage error. */
int cli_option(cli *c, int opt, const char *arg);

/* Prints "retain CMD: message" (and "Try 'retain CMD --help'.") on stderr;
 * returns EXIT_USAGE. */
int cli_usage_error(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints a diagnostic as "retain CMD: FILE:LINE: column "X": message" and
 * its hint; returns the exit code for its status. */
int cli_report(const cli *c, const retain_diag *diag);

/* Fills a diagnostic for a failure found in a row callback. */
void cli_diag(retain_diag *diag, retain_status st, unsigned long line, const char *message);

/* Reads an ISO date, a period label, a whole number, for options. */
bool cli_parse_date(const char *text, retain_day *out);
bool cli_parse_count(const char *text, long long *out);

/* Opens the input: no operand or "-" is stdin. Prints the error and returns
 * NULL when it cannot be opened; *code then holds the exit code. */
FILE *cli_open_input(cli *c, int argc, char **argv, int *code);
void cli_close_input(FILE *in);

/* Reports rows skipped with --skip-bad on stderr, if any. */
void cli_report_skipped(const cli *c, const retain_reader *reader);

/* Finishes a writer: nothing on a closed pipe, a message and EXIT_IOERR on
 * any other failure. Frees the writer. */
int cli_finish_output(const cli *c, retain_writer *w);

/* Flushes stdout after plain printing (help, one-liners), with the same
 * handling of failures. */
int cli_flush_stdout(const cli *c);

/* Option values shared by the table commands: --as-of DATE and --period P
 * (with the kinds a command allows; RETAIN_PERIOD_DAY excluded when
 * allow_day is false). Print the usage error and return false on a bad
 * value. */
bool cli_option_as_of(const cli *c, const char *arg, retain_day *out);
bool cli_option_period(const cli *c, const char *arg, bool allow_day, retain_period_kind *out);

/* Reads the whole input table (the operand, or stdin) with c->input and
 * its extra columns (when none are set, the --by column), calling fn for
 * each row; then sets c->has_mrr and c->rows.
 * *reader is set to the reader before the first row (for
 * retain_reader_expected_rows) and to NULL after. Reports problems
 * (skipped rows included) on stderr; returns the exit code, EXIT_OK when
 * every row was read. */
int cli_read_table(cli *c, int argc, char **argv, retain_row_fn fn, void *user,
                   const retain_reader **reader);

/* Rows of a customer table into a retention-rate accumulator, for
 * cli_read_table: the rate, the --by column as its segment (by), and the
 * reader (set by cli_read_table) to size the tables once from the input. */
typedef struct {
    retain_rate *rate;
    const retain_reader *reader;
    bool by, reserved;
} cli_rate_sink;

retain_status cli_rate_row(const retain_row *row, void *sink, retain_diag *diag);

/* Help text shared by the subcommands. */
void cli_help_input(FILE *out);
void cli_help_output(FILE *out);
void cli_help_exit(FILE *out);

#endif
