/* Shared option handling, messages and exit codes for the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

void cli_init(cli *c, const char *cmd)
{
    optind = 0; /* getopt starts anew for each command */
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    c->filename = "stdin";
    c->format = RETAIN_FORMAT_CSV;
    c->precision = 2;
}

int cli_usage_error(const cli *c, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "retain %s: ", c->cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'retain %s --help'.\n", c->cmd);
    return EXIT_USAGE;
}

static int exit_code(retain_status st)
{
    switch (st) {
    case RETAIN_OK:
        return EXIT_OK;
    case RETAIN_ERR_USAGE:
        return EXIT_USAGE;
    case RETAIN_ERR_DATA:
        return EXIT_DATAERR;
    case RETAIN_ERR_OPEN:
        return EXIT_NOINPUT;
    case RETAIN_ERR_IO:
        return EXIT_IOERR;
    case RETAIN_ERR_NOMEM:
        return EXIT_OSERR;
    }
    return EXIT_OSERR;
}

int cli_report(const cli *c, const retain_diag *d)
{
    fprintf(stderr, "retain %s: ", c->cmd);
    if (d->line)
        fprintf(stderr, "%s:%lu: ", c->filename, d->line);
    else if (d->status == RETAIN_ERR_DATA || d->status == RETAIN_ERR_IO)
        fprintf(stderr, "%s: ", c->filename);
    if (d->column[0])
        fprintf(stderr, "column \"%s\": ", d->column);
    fprintf(stderr, "%s\n", d->message[0] ? d->message : retain_status_str(d->status));
    if (d->hint[0])
        fprintf(stderr, "retain %s: hint: %s\n", c->cmd, d->hint);
    if (d->status == RETAIN_ERR_USAGE)
        fprintf(stderr, "Try 'retain %s --help'.\n", c->cmd);
    return exit_code(d->status);
}

bool cli_parse_date(const char *text, retain_day *out)
{
    return retain_date_parse(text, strlen(text), NULL, out);
}

bool cli_parse_count(const char *text, long long *out)
{
    char *end;
    if (!*text || *text == '-' || *text == '+')
        return false;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v < 0)
        return false;
    *out = v;
    return true;
}

int cli_option(cli *c, int opt, const char *arg)
{
    retain_reader_options *in = &c->input;
    switch (opt) {
    case 'd':
        if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
            in->delimiter = '\t';
        else if (strlen(arg) == 1 && strchr(",;|", arg[0]))
            in->delimiter = arg[0];
        else {
            cli_usage_error(c, "--delimiter takes ',', ';', '|' or 'tab', not '%s'", arg);
            return -1;
        }
        return 1;
    case OPT_ID:
        in->column[RETAIN_COL_ID] = arg;
        return 1;
    case OPT_START:
        in->column[RETAIN_COL_START] = arg;
        return 1;
    case OPT_END:
        in->column[RETAIN_COL_END] = arg;
        return 1;
    case OPT_MRR:
        in->column[RETAIN_COL_MRR] = arg;
        return 1;
    case OPT_DATE_FORMAT:
        in->date_format = arg;
        return 1;
    case OPT_DECIMAL:
        if (strcmp(arg, ".") != 0 && strcmp(arg, ",") != 0) {
            cli_usage_error(c, "--decimal takes '.' or ',', not '%s'", arg);
            return -1;
        }
        in->decimal = arg[0];
        return 1;
    case OPT_SKIP_BAD:
        in->skip_bad = true;
        return 1;
    case 'f':
        if (!retain_format_parse(arg, &c->format)) {
            cli_usage_error(c, "--format takes csv, tsv, json or table, not '%s'", arg);
            return -1;
        }
        return 1;
    case 'p': {
        long long p;
        if (!cli_parse_count(arg, &p) || p > 9) {
            cli_usage_error(c, "--precision takes a whole number from 0 to 9, not '%s'", arg);
            return -1;
        }
        c->precision = (int)p;
        c->precision_given = true;
        return 1;
    }
    case OPT_BY:
        c->by = arg;
        return 1;
    }
    return 0;
}

int cli_next_option(cli *c, int argc, char **argv, const char *shortopts,
                    const struct option *longopts, void (*usage)(FILE *), int *code)
{
    for (;;) {
        int opt = getopt_long(argc, argv, shortopts, longopts, NULL);
        if (opt == -1)
            return -1;
        int handled = cli_option(c, opt, optarg);
        if (handled > 0)
            continue;
        if (handled < 0) {
            *code = EXIT_USAGE;
            return CLI_DONE;
        }
        if (opt == OPT_HELP) {
            usage(stdout);
            *code = cli_flush_stdout(c);
            return CLI_DONE;
        }
        if (opt == '?') { /* getopt_long said what was wrong */
            fprintf(stderr, "Try 'retain %s --help'.\n", c->cmd);
            *code = EXIT_USAGE;
            return CLI_DONE;
        }
        return opt;
    }
}

FILE *cli_open_input(cli *c, int argc, char **argv, int *code)
{
    if (argc > optind + 1) {
        *code = cli_usage_error(c, "one input file at most (got '%s' and '%s')", argv[optind],
                                argv[optind + 1]);
        return NULL;
    }
    if (argc == optind || strcmp(argv[optind], "-") == 0) {
        c->filename = "stdin";
        return stdin;
    }
    c->filename = argv[optind];
    FILE *f = fopen(c->filename, "rb");
    struct stat st;
    if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        f = NULL;
        errno = EISDIR;
    }
    if (!f) {
        fprintf(stderr, "retain %s: cannot open %s: %s\n", c->cmd, c->filename, strerror(errno));
        *code = EXIT_NOINPUT;
    }
    return f;
}

void cli_close_input(FILE *in)
{
    if (in && in != stdin)
        fclose(in);
}

void cli_report_skipped(const cli *c, const retain_reader *reader)
{
    unsigned long lines[5];
    unsigned long n = retain_reader_skipped(reader, lines, 5);
    if (n == 0)
        return;
    fprintf(stderr, "retain %s: %s: skipped %lu bad row%s (line%s", c->cmd, c->filename, n,
            n == 1 ? "" : "s", n == 1 ? "" : "s");
    for (unsigned long i = 0; i < n && i < 5; i++)
        fprintf(stderr, "%s %lu", i ? "," : "", lines[i]);
    fprintf(stderr, "%s)\n", n > 5 ? ", ..." : "");
    const retain_diag *first = retain_reader_first_skip(reader);
    if (first) {
        fprintf(stderr, "retain %s: first: %s:%lu: ", c->cmd, c->filename, first->line);
        if (first->column[0])
            fprintf(stderr, "column \"%s\": ", first->column);
        fprintf(stderr, "%s\n", first->message);
    }
}

static int output_failed(const cli *c, retain_status st, int err)
{
    if (st == RETAIN_OK)
        return EXIT_OK;
    if (st == RETAIN_ERR_IO && err == EPIPE)
        return EXIT_OK; /* the reader left: nothing more to say */
    if (st == RETAIN_ERR_NOMEM) {
        fprintf(stderr, "retain %s: out of memory\n", c->cmd);
        return EXIT_OSERR;
    }
    fprintf(stderr, "retain %s: write error: %s\n", c->cmd, strerror(err));
    return EXIT_IOERR;
}

int cli_finish_output(const cli *c, retain_writer *w)
{
    retain_status st = retain_writer_finish(w);
    int err = errno;
    retain_writer_free(w);
    return output_failed(c, st, err);
}

int cli_flush_stdout(const cli *c)
{
    errno = 0;
    bool bad = fflush(stdout) != 0 || ferror(stdout);
    int err = errno ? errno : EIO;
    return output_failed(c, bad ? RETAIN_ERR_IO : RETAIN_OK, err);
}

void cli_help_input(FILE *out)
{
    fputs("Input options:\n"
          "  -d, --delimiter C      field delimiter: ',' ';' '|' or 'tab' (default: detected)\n"
          "      --id COL           customer id column (default: customer_id, Record ID,\n"
          "                         Account ID, id, ...)\n"
          "      --start COL        first day of service (default: signup_date, start_date,\n"
          "                         Became a Customer Date, ...)\n"
          "      --end COL          first day without service; empty = active (default:\n"
          "                         churn_date, cancel_date, cancellation_date, end_date, ...)\n"
          "      --mrr COL          monthly recurring revenue (default: mrr, monthly_revenue)\n"
          "      --date-format FMT  strptime-style date format, e.g. %d/%m/%Y or %m/%d/%Y\n"
          "                         (default: ISO 8601 dates and date-times)\n"
          "      --decimal C        decimal separator in money: '.' (default) or ','\n"
          "      --skip-bad         skip rows with bad values, report them on stderr\n",
          out);
}

void cli_help_output(FILE *out)
{
    fputs("Output options:\n"
          "  -f, --format FMT       csv (default), tsv, json or table\n"
          "  -p, --precision N      decimals for rates and money (default 2)\n"
          "      --help             show this help and exit\n",
          out);
}

void cli_help_exit(FILE *out)
{
    fputs("Exit status: 0 ok, 64 usage error, 65 bad data, 66 cannot open input,\n"
          "71 out of memory, 74 I/O error.\n",
          out);
}

void cli_diag(retain_diag *diag, retain_status st, unsigned long line, const char *message)
{
    retain_diag_clear(diag);
    diag->status = st;
    diag->line = line;
    snprintf(diag->message, sizeof diag->message, "%s", message);
}

bool cli_option_as_of(const cli *c, const char *arg, retain_day *out)
{
    if (cli_parse_date(arg, out))
        return true;
    cli_usage_error(c, "--as-of takes a date such as 2024-03-31, not '%s'", arg);
    return false;
}

bool cli_option_period(const cli *c, const char *arg, bool allow_day, retain_period_kind *out)
{
    if (retain_period_kind_parse(arg, out) && (allow_day || *out != RETAIN_PERIOD_DAY))
        return true;
    cli_usage_error(c, "--period takes %sweek, month, quarter or year, not '%s'",
                    allow_day ? "day, " : "", arg);
    return false;
}

int cli_read_table(cli *c, int argc, char **argv, retain_row_fn fn, void *user,
                   const retain_reader **reader_out)
{
    int code = EXIT_OK;
    FILE *in = cli_open_input(c, argc, argv, &code);
    if (!in)
        return code;
    if (c->input.n_extra == 0) { /* the caller's own columns, or --by's */
        c->input.extra = &c->by;
        c->input.n_extra = c->by ? 1 : 0;
    }
    retain_diag diag;
    retain_reader *reader = retain_reader_new(&c->input, &diag);
    if (!reader) {
        cli_close_input(in);
        return cli_report(c, &diag);
    }
    if (reader_out)
        *reader_out = reader;
    retain_status st = retain_reader_read(reader, in, fn, user, &diag);
    cli_report_skipped(c, reader);
    c->has_mrr = retain_reader_column(reader, RETAIN_COL_MRR) != NULL;
    c->rows = retain_reader_rows(reader);
    if (reader_out)
        *reader_out = NULL;
    retain_reader_free(reader);
    cli_close_input(in);
    return st == RETAIN_OK ? EXIT_OK : cli_report(c, &diag);
}

retain_status cli_rate_row(const retain_row *row, void *sink, retain_diag *diag)
{
    cli_rate_sink *x = sink;
    if (!x->reserved && x->reader) { /* size the tables once, from the input's size */
        x->reserved = true;
        retain_rate_reserve(x->rate, retain_reader_expected_rows(x->reader));
    }
    retain_status st =
        retain_rate_add(x->rate, x->by ? row->extra[0] : NULL, x->by ? row->extra_len[0] : 0,
                        row->id, row->id_len, row->start, row->end, row->has_end);
    if (st != RETAIN_OK)
        cli_diag(diag, st, row->line, retain_status_str(st));
    return st;
}
