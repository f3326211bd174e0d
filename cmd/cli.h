/* What every retain subcommand shares: one option table per command that
 * feeds both getopt_long and --help, the common options parsed once, one
 * way to open an input, one option-number parser, one error route. No
 * metric logic lives here (nor in any cmd/ file): the library computes.
 *
 * HOW TO WRITE A SUBCOMMAND (cmd/NAME.c)
 *
 * 1. Declare the options the command has of its own, and the common ones
 *    it uses, in the order --help lists them under "Metric options":
 *
 *        enum { OPT_WINDOW = OPT_FIRST_FREE, OPT_METHOD };
 *        static const cli_opt options[] = {
 *            {"window", OPT_WINDOW, "N", "months of churn to average (default 12)"},
 *            {"method", OPT_METHOD, "M", "constant (default) or survival:\n"
 *                                        "a continuation line of the help"},
 *            {CLI_AS_OF}, {CLI_PERIOD(NULL)}, {CLI_FROM}, {CLI_TO},  (common: cli_parse.c
 *            {CLI_BY("one row per value of column COL")},             parses them)
 *            {NULL},
 *        };
 *
 *    A key below 256 (a letter) is also the short option (-S). The input
 *    options (--delimiter, --id ...), -f, -p, -v, -q and -h/--help are
 *    added to every command by cli_parse.c; do not list them.
 *
 * 2. Describe the command; main.c lists it (add `&NAME_command,` to its
 *    table and `extern const cli_command NAME_command;` to commands.h):
 *
 *        static int run(cli *c, int argc, char **argv);
 *        const cli_command NAME_command = {
 *            .name = "NAME", .summary = "one line for 'retain --help'",
 *            .usage = "Usage: retain NAME [OPTIONS] [FILE]\n"
 *                     "What it computes, its formulas in two lines.\n",
 *            .options = options, .examples = "  retain NAME crm.csv\n", .run = run,
 *        };
 *
 * 3. Parse: the loop sees only the command's own options.
 *
 *        int opt;
 *        while ((opt = cli_next(c, argc, argv)) >= 0) {
 *            switch (opt) {
 *            case OPT_WINDOW:
 *                if (!cli_count(c, optarg, "a number of months from 1 to 1200", 1, 1200, &w))
 *                    return EXIT_USAGE;
 *                break;
 *            }
 *        }
 *        if (opt == CLI_DONE)
 *            return c->code;        (after --help, or a usage error already said)
 *
 *    After the loop c->as_of/has_as_of, c->period/period_given,
 *    c->from/has_from, c->to/has_to (read with c->period), c->by, c->input
 *    (reader options), c->format, c->precision are set. Numbers from
 *    options: cli_number() / cli_count() only (plain decimals; '%' where
 *    the option allows it; errors name the option as typed).
 *
 * 4. Read the table through cli_read_table(c, argc, argv, row_fn, ctx,
 *    &reader) (the operands, or stdin; several operands when .max_files
 *    allows), or open another named input with cli_open() (same messages
 *    and exit codes as the operand). Errors: cli_usage_error() (64),
 *    cli_report() for a retain_diag from the library, cli_data_error(),
 *    cli_nomem() (71). Never fprintf an error yourself.
 *
 * 5. Call the library (retain_*), then print with the writer
 *    (retain_writer_new ... cli_finish_output): the writer keeps its first
 *    error, so cells need no checks; cli_finish_output reports it.
 *
 * 6. Write man/retain-NAME.1 with exactly the options of --help (the
 *    help-man test checks), its section in man/retain-metrics.7, goldens in
 *    tests/e2e/cases/NAME-*.
 *
 * ADDING AN INPUT OPTION (every command reading a table gets it): one line
 * in the cli_input_options table of cli_help.c, e.g.
 *        CLI_IN_FLAG("end-inclusive", end_inclusive, "the end day is the last day served"),
 *        CLI_IN_TEXT("encoding", "ENC", encoding, "input encoding (default UTF-8)"),
 *        CLI_IN_PARSE("merge-gap", "DAYS", parse_merge_gap, "text ..."),
 * where the field is a member of retain_reader_options (CLI_IN_PARSE calls
 * a `bool fn(cli *, const char *arg)` that prints its own usage error via
 * cli_usage_error or cli_count and returns false). */
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

/* Option keys handled in cli_parse.c; a command's own keys start at OPT_FIRST_FREE
 * (or are letters, which are also their short form). */
enum {
    OPT_AS_OF = 256,
    OPT_PERIOD,
    OPT_FROM,
    OPT_TO,
    OPT_BY,
    OPT_QUIET,
    OPT_MERGE_GAP,
    OPT_MAX_SEGMENTS,
    OPT_EXCEL_SAFE,
    OPT_INPUT_FIRST = 300, /* the input options of cli_help.c: 300 + their index */
    OPT_FIRST_FREE = 400
};

/* One option: it feeds getopt_long and --help. */
typedef struct {
    const char *name; /* long name, without "--" */
    int key;          /* what cli_next returns; a letter is also the short option */
    const char *arg;  /* argument name shown in --help ("N"); NULL: takes no argument */
    const char *help; /* its --help text; '\n' starts a continuation line. For the
                       * common options, NULL gives the usual text. */
} cli_opt;

/* The common metric options, to put in a command's table as {CLI_AS_OF}. */
#define CLI_AS_OF "as-of", OPT_AS_OF, "DATE", NULL
#define CLI_PERIOD(help) "period", OPT_PERIOD, "P", help
#define CLI_FROM "from", OPT_FROM, "PERIOD", NULL
#define CLI_TO "to", OPT_TO, "PERIOD", NULL
#define CLI_BY(help) "by", OPT_BY, "COL", help
/* for the commands that see a customer's lives (retain/lives.h) */
#define CLI_MERGE_GAP "merge-gap", OPT_MERGE_GAP, "DAYS", NULL
/* with CLI_BY: the cap on its distinct values (CLI_MAX_SEGMENTS_DEFAULT) */
#define CLI_MAX_SEGMENTS "max-segments", OPT_MAX_SEGMENTS, "N", NULL
#define CLI_MAX_SEGMENTS_DEFAULT 10000

typedef struct cli cli;

/* A subcommand. */
typedef struct {
    const char *name;          /* "rate" */
    const char *summary;       /* one line for 'retain --help' */
    const char *usage;         /* --help up to the options: Usage lines, description */
    const char *options_title; /* NULL: "Metric options" */
    const cli_opt *options;    /* ends with {NULL} */
    const char *notes;         /* --help after the output options (optional) */
    const char *examples;      /* --help example lines */
    bool period_day;           /* --period accepts day */
    int max_files;             /* FILE operands accepted; 0 means 1 */
    /* the other tables whose column options it has (--events-date ...,
     * cmd/tables.h), ended by 0; NULL: none */
    const retain_table_kind *tables;
    /* NULL: -f/--format is the table format (csv, tsv, json, table);
     * else the command reads -f itself (retain report's html, pdf, md)
     * and this is its --help text */
    const char *format_help;
    int (*run)(cli *c, int argc, char **argv);
} cli_command;

/* The state of one subcommand run. */
struct cli {
    const cli_command *spec;
    const char *cmd;      /* "rate", for messages */
    const char *filename; /* the input being read, for messages: a path or "stdin" */
    retain_reader *table; /* the reader of the customer table, once read (cli_done frees it) */
    retain_reader_options input;
    retain_format format;
    int precision;
    bool precision_given; /* -p was on the command line */
    bool verbose, quiet;  /* -v, -q */
    bool excel_safe;      /* --excel-safe (not with format_help) */
    /* the common metric options, when the command lists them */
    retain_day as_of;
    bool has_as_of;
    retain_period_kind period; /* RETAIN_PERIOD_MONTH unless --period */
    bool period_given;
    int32_t from, to; /* period indexes, read with the final --period */
    bool has_from, has_to;
    const char *by;      /* --by COL, or NULL */
    int32_t merge_gap;   /* --merge-gap DAYS, 0 unless given */
    size_t max_segments; /* --max-segments N, CLI_MAX_SEGMENTS_DEFAULT unless given */
    /* after cli_read_table: whether a table had an MRR column, the rows
     * read, and when the read began (for -v) */
    bool has_mrr;
    unsigned long rows;
    unsigned long empty_rows; /* rows of empty cells only, skipped */
    double started;
    int code; /* the exit code when cli_next returns CLI_DONE */
    /* Set by a command before cli_read_table: called once, before the
     * first row, with the row function's user pointer and the reader's
     * estimate of the rows, to size the accumulator (retain_*_reserve). */
    void (*reserve)(void *user, size_t rows);
    /* Set by a command before cli_read_table: when the row function fails
     * on a row whose MRR is negative, the message names the MRR column as
     * the file has it (cli_name_mrr). */
    bool name_mrr;
    const char *option; /* the option being parsed, as typed ("--churn", "-S") */
    /* private to cli_parse.c */
    const char *from_text, *to_text;
    const void *args; /* cli_args */
    /* the column options of the other tables (cmd/tables.h) */
    const char *table_column[RETAIN_TABLE_KINDS][RETAIN_COL_ROLES];
    const char *table_date_format[RETAIN_TABLE_KINDS];
    struct option longopts[192];
    char shortopts[64];
};

/* What cli_next returns when the command must end at once with c->code. */
#define CLI_DONE (-2)

/* The writer of the command's table on stdout: retain_writer_open with
 * c->format, deferred as asked, and --excel-safe. NULL when out of memory.
 * Every table a command prints goes through it. */
retain_writer *cli_writer(const cli *c, const char *const *columns, size_t ncols, bool deferred);

/* The same for a library call that writes the command's table
 * (retain_*_write): stdout, c->format, c->precision and --excel-safe. */
retain_print cli_print(const cli *c);

/* Sets c up for the command (main.c does it before calling run). */
void cli_init(cli *c, const cli_command *spec);

/* The next of the command's own options (its key; optarg holds the
 * argument), -1 after the last, or CLI_DONE after --help or a usage error
 * (said on stderr), with c->code the exit code. The common and input
 * options are handled on the way; after the last, --from/--to are read. */
int cli_next(cli *c, int argc, char **argv);

/* Prints the bash completion script of the commands (cmd/completion.c). */
void cli_completion_bash(const cli_command *const *commands, size_t n, FILE *out);

/* Prints the command's --help on out. */
void cli_help(const cli_command *spec, FILE *out);

/* How cli_number reads an option's number. */
typedef enum {
    CLI_NUM_PLAIN,    /* 120, 3.5, .75, -2 */
    CLI_NUM_PERCENT,  /* a percentage: also "3.5%" (= 3.5) */
    CLI_NUM_FRACTION, /* a fraction: also "80%" (= 0.8) */
} cli_num_kind;

/* Reads the current option's number: a plain decimal (digits, one '.',
 * a leading '-'; no exponent, hex, sign '+', grouping, currency, space),
 * '%' as kind says, within [min, max]. Otherwise prints "OPTION takes
 * WHAT, not 'ARG'" (with a hint for the common mistakes) and returns
 * false. */
bool cli_number(cli *c, const char *arg, cli_num_kind kind, const char *what, double min,
                double max, double *out);
/* The same for a whole number. */
bool cli_count(cli *c, const char *arg, const char *what, long long min, long long max,
               long long *out);

/* An option of a command that cli_next handles itself (cli_args): when
 * it is given, *text (when not NULL) is its argument as typed, *given
 * (when not NULL) is set, and the argument is read by cli_number as kind
 * says within [min, max] into *number when number is not NULL, by
 * cli_count into *count when count is not NULL (what: the "OPTION takes
 * WHAT" of their error), as a date into *day when day is not NULL (as
 * --as-of is read). */
typedef struct {
    int key;
    const char **text;
    bool *given;
    double *number;
    cli_num_kind kind;
    const char *what;
    double min, max;
    long long *count;
    retain_day *day;
} cli_arg;

/* The usual kinds: an option's text, a flag, a number, a whole number, a
 * date. */
#define CLI_ARG_TEXT(key, text)                                                                    \
    {                                                                                              \
        key, text, NULL, NULL, CLI_NUM_PLAIN, NULL, 0, 0, NULL, NULL                               \
    }
#define CLI_ARG_FLAG(key, flag)                                                                    \
    {                                                                                              \
        key, NULL, flag, NULL, CLI_NUM_PLAIN, NULL, 0, 0, NULL, NULL                               \
    }
#define CLI_ARG_NUMBER(key, number, given, kind, what, min, max)                                   \
    {                                                                                              \
        key, NULL, given, number, kind, what, min, max, NULL, NULL                                 \
    }
#define CLI_ARG_COUNT(key, count, given, what, min, max)                                           \
    {                                                                                              \
        key, NULL, given, NULL, CLI_NUM_PLAIN, what, min, max, count, NULL                         \
    }
#define CLI_ARG_DATE(key, day, given)                                                              \
    {                                                                                              \
        key, NULL, given, NULL, CLI_NUM_PLAIN, NULL, 0, 0, NULL, day                               \
    }

/* Before the cli_next loop: the command's options of those kinds, ended
 * by {0}; cli_next handles them on the way (a bad number is a usage
 * error: it returns CLI_DONE) and does not return them. The table (and
 * what it points to) must outlive the loop. */
void cli_args(cli *c, const cli_arg *args);

/* The example label of a period kind (2024-Q1 for a quarter). */
const char *cli_period_example(retain_period_kind kind);

/* Prints "retain CMD: message" (and "Try 'retain CMD --help'.") on stderr;
 * returns EXIT_USAGE. */
int cli_usage_error(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A rule of a command line: broken when a combination of options is
 * not allowed, why saying so. */
typedef struct {
    bool broken;
    const char *why;
} cli_rule;

/* The usage error of the first broken rule of n (c->filename and what,
 * then why, when what is not NULL: "crm.csv has a churn_pct column:
 * WHY"); EXIT_OK when none is broken. */
int cli_check(const cli *c, const char *what, const cli_rule *rules, size_t n);

/* Prints a diagnostic as "retain CMD: FILE:LINE: column "X": message" and
 * its hint, FILE being c->filename; returns the exit code for its status. */
int cli_report(const cli *c, const retain_diag *diag);
/* The same for a diagnostic about another table (a spend table...): its
 * name comes first even when the diagnostic has no line. */
int cli_report_file(const cli *c, const char *filename, const retain_diag *diag);

/* A data error at a line (0: none) of a file, in a column (NULL: none).
 * Returns EXIT_DATAERR. */
int cli_data_error(const cli *c, const char *filename, unsigned long line, const char *column,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A file the command writes (--params, --model) that cannot be written:
 * "retain CMD: PATH: cannot write WHAT: reason" (err an errno). Returns
 * EXIT_IOERR. */
int cli_write_error(const cli *c, const char *path, const char *what, int err);

/* Writes a file the command makes besides its table (--params, --model):
 * opens path ("wb"), calls fn(out, arg, diag) to write into it, closes it.
 * A failure is said once: out of memory (cli_nomem), the library's
 * diagnostic when fn filled one (cli_report_file), else "cannot write WHAT:
 * reason" from errno (cli_write_error). Returns the exit code. */
typedef retain_status (*cli_save_fn)(FILE *out, const void *arg, retain_diag *diag);
int cli_save(const cli *c, const char *path, const char *what, cli_save_fn fn, const void *arg);

/* The same for a table: write(arg, print) writes it (a retain_*_write
 * call returning the writer unfinished, or NULL when out of memory) into
 * path as CSV, with c->precision. */
typedef retain_writer *(*cli_table_fn)(const void *arg, const retain_print *print);
int cli_save_table(const cli *c, const char *path, const char *what, cli_table_fn write,
                   const void *arg);

/* Prints "retain CMD: out of memory"; returns EXIT_OSERR. */
int cli_nomem(const cli *c);

/* A note on stderr ("retain CMD: ..."), unless --quiet. */
void cli_note(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fills a diagnostic for a failure found in a row callback. */
void cli_diag(retain_diag *diag, retain_status st, unsigned long line, const char *message);

/* Opens a named input: "-" is stdin. A directory, a missing file or a
 * forbidden one prints "cannot open PATH: reason" and returns NULL with
 * *code = EXIT_NOINPUT (no memory for the stream: "out of memory" and
 * EXIT_OSERR). Close with cli_close. */
FILE *cli_open(const cli *c, const char *path, int *code);
void cli_close(FILE *in);

/* Reads a small table whole (a spend table, an LTV table, a table of
 * rates: retain_table_read, delimiter 0 detected) from path as cli_open
 * opens it ("-": stdin). Its faults are said as cli_report_file names
 * them ("stdin" for "-"). Returns the exit code; *t is the caller's to free. */
int cli_read_small(cli *c, const char *path, char delimiter, retain_table **t);

/* Opens a named input as cli_open does and peeks at its header
 * (retain_table_peek; *header receives it, the caller frees it): the next
 * cli_open of that path gives the input from its first byte, be it a file,
 * a pipe or stdin. Returns the exit code (the error said). */
int cli_peek(cli *c, const char *path, retain_table **header);

/* The FILE operands: checks their count against the command's max_files
 * (usage error, NULL and *code set). Returns the first operand to read
 * ("-" when there is none) and sets *n to how many there are (at least 1). */
char **cli_operands(cli *c, int argc, char **argv, int *n, int *code);

/* Reads the input tables (the operands in turn, or stdin) with c->input
 * and its extra columns (when none are set, the --by column), calling fn
 * for each row; c->filename names the table being read. Then sets
 * c->has_mrr and c->rows. *reader is set to the reader before the first
 * row of each table (for retain_reader_expected_rows) and to NULL after.
 * Reports problems (skipped rows included) on stderr; returns the exit
 * code, EXIT_OK when every row was read. */
int cli_read_table(cli *c, int argc, char **argv, retain_row_fn fn, void *user,
                   const retain_reader **reader);

/* The same for one stream already open (in stays the caller's), named
 * name in messages. */
int cli_read_stream(cli *c, FILE *in, const char *name, retain_row_fn fn, void *user,
                    const retain_reader **reader);

/* After a row function returned st for row: when the row's MRR is what
 * is wrong (negative), names the MRR column in diag as the file has it
 * (reader: the table's; NULL: nothing done). cli_read_table does it with
 * c->name_mrr. */
void cli_name_mrr(const retain_reader *reader, const retain_row *row, retain_status st,
                  retain_diag *diag);

/* Reports rows skipped with --skip-bad in the table name, if any, and a
 * report footer left out after its data (a note). */
void cli_report_skipped(const cli *c, const char *name, const retain_reader *reader);
void cli_report_footer(const cli *c, const char *name, const retain_reader *reader);
/* After the customer table was read (cli_read_table, cli_read_stream)
 * and its accumulator finished: its exact duplicate rows left out, as a
 * note (n of them; the first at place, repeating the row at of: see
 * retain_rate_duplicates ...). */
void cli_report_duplicates(const cli *c, unsigned long n, uint64_t place, uint64_t of);

/* cli_report_duplicates() with what an accumulator says of its exact
 * duplicate rows: dups is its retain_*_duplicates(acc, &place, &of). */
#define CLI_REPORT_DUPLICATES(c, dups, acc)                                                        \
    do {                                                                                           \
        uint64_t at_ = 0, of_ = 0;                                                                 \
        unsigned long n_ = dups(acc, &at_, &of_);                                                  \
        cli_report_duplicates(c, n_, at_, of_);                                                    \
    } while (0)

/* Frees what the run kept (the table's reader, an input peeked at and never
 * opened again). */
void cli_done(cli *c);

/* The progress line of a read (cmd/progress.c): when stderr is a terminal
 * and not --quiet, after 2 s, "retain CMD: FILE: N MiB read, R rows, S
 * rows/s", redrawn every 0.25 s and erased at the end. start returns false
 * when there is to be none; else read with cli_progress_row and p as the
 * row function, then call end. */
typedef struct {
    const cli *c;
    FILE *in;
    retain_row_fn fn;
    void *user;
    double started, after, next;
    _Atomic unsigned long rows;
    bool shown;
} cli_progress;
bool cli_progress_start(cli_progress *p, const cli *c, FILE *in, retain_row_fn fn, void *user);
retain_status cli_progress_row(const retain_row *row, void *progress, retain_diag *diag);
void cli_progress_end(cli_progress *p);

/* With -v: "retain CMD: FILE: N rows[, C customers] in S s; ..." on stderr
 * (customers 0: not counted; state_bytes: the command's customer state). */
void cli_verbose(const cli *c, size_t customers, size_t state_bytes);

/* Finishes a writer: nothing on a closed pipe, a message and EXIT_IOERR on
 * a write failure, EXIT_OSERR when out of memory. Frees the writer. A NULL
 * writer (retain_writer_new failed) is out of memory. */
int cli_finish_output(const cli *c, retain_writer *w);

/* Flushes stdout after plain printing (help, one-liners), with the same
 * handling of failures. */
int cli_flush_stdout(const cli *c);

/* The note that the last period reported, ending on last_day, is observed
 * up to as-of only: "P ends on D, after as-of A: it is observed up to
 * as-of (WHAT A)", what saying what that means for the command's columns. */
void cli_partial_note(const cli *c, int32_t period, retain_day last_day, retain_day as_of,
                      const char *what);

/* The rate options from --period, --as-of, --from, --to, --merge-gap and
 * --by (segments). */
retain_rate_options cli_rate_options(const cli *c);

/* c->reserve for a retain_rate read with retain_rate_add_row. */
void cli_rate_reserve(void *rate, size_t rows);

#endif
