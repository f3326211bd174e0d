/* The subcommand skeleton: option tables, the common options, inputs,
 * option numbers, messages and exit codes. See cli.h. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "tables.h"

/* ---- the input options: one line each ---- */

typedef struct {
    const char *name;
    int short_key; /* 0: long only */
    const char *arg;
    const char *help;
    enum { IN_TEXT, IN_FLAG, IN_PARSE } kind;
    size_t offset; /* IN_TEXT, IN_FLAG: the field of retain_reader_options */
    bool (*parse)(cli *c, const char *arg); /* IN_PARSE */
} input_opt;

#define CLI_IN_TEXT(name, arg, field, help)                                                        \
    {                                                                                              \
        name, 0, arg, help, IN_TEXT, offsetof(retain_reader_options, field), NULL                  \
    }
#define CLI_IN_FLAG(name, field, help)                                                             \
    {                                                                                              \
        name, 0, NULL, help, IN_FLAG, offsetof(retain_reader_options, field), NULL                 \
    }
#define CLI_IN_PARSE(name, short_key, arg, fn, help)                                               \
    {                                                                                              \
        name, short_key, arg, help, IN_PARSE, 0, fn                                                \
    }

static bool parse_delimiter(cli *c, const char *arg)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
        c->input.delimiter = '\t';
    else if (strlen(arg) == 1 && strchr(",;|", arg[0]))
        c->input.delimiter = arg[0];
    else
        return cli_usage_error(c, "--delimiter takes ',', ';', '|' or 'tab', not '%s'", arg), false;
    return true;
}

static bool parse_decimal(cli *c, const char *arg)
{
    if (strcmp(arg, ".") != 0 && strcmp(arg, ",") != 0)
        return cli_usage_error(c, "--decimal takes '.' or ',', not '%s'", arg), false;
    c->input.decimal = arg[0];
    return true;
}

static bool parse_encoding(cli *c, const char *arg)
{
    if (!retain_encoding_known(arg))
        return cli_usage_error(
                   c, "--encoding takes utf-8, cp1252, latin1, latin9 or utf-16, not '%s'", arg),
               false;
    c->input.encoding = arg;
    return true;
}

static const input_opt input_options[] = {
    CLI_IN_PARSE("delimiter", 'd', "C", parse_delimiter,
                 "field delimiter: ',' ';' '|' or 'tab' (default: detected)"),
    CLI_IN_TEXT("id", "COL", column[RETAIN_COL_ID],
                "customer id column (default: customer_id, Record ID,\nAccount ID, id, ...)"),
    CLI_IN_TEXT("start", "COL", column[RETAIN_COL_START],
                "first day of service (default: signup_date, start_date,\nBecame a Customer "
                "Date, ...)"),
    CLI_IN_TEXT("end", "COL", column[RETAIN_COL_END],
                "first day without service; empty = active (default:\nchurn_date, cancel_date, "
                "cancellation_date, end_date, ...)"),
    CLI_IN_TEXT("mrr", "COL", column[RETAIN_COL_MRR],
                "monthly recurring revenue (default: mrr, monthly_revenue)"),
    CLI_IN_FLAG("arr", arr,
                "the revenue column is annual: MRR = ARR / 12 (default\n"
                "with it: ARR (converted), arr, ...)"),
    CLI_IN_FLAG("cents", cents, "amounts are in cents (minor units), as Stripe's plan_amount"),
    CLI_IN_FLAG("end-inclusive", end_inclusive,
                "the end column is the last day of service (Salesforce\n"
                "Contract End Date): the first day without is end + 1"),
    CLI_IN_TEXT("date-format", "FMT", date_format,
                "strptime-style date format, e.g. %d/%m/%Y, %m/%d/%Y,\n%d-%b-%Y (English or "
                "French month names), or epoch,\nepoch-ms (Unix time: the UTC day) (default: "
                "ISO 8601\ndates and date-times, the day as written)"),
    CLI_IN_PARSE("encoding", 0, "ENC", parse_encoding,
                 "cp1252 (Windows, Excel), latin1, latin9 or utf-16\n(default: UTF-8)"),
    CLI_IN_PARSE("decimal", 0, "C", parse_decimal,
                 "decimal separator in money: '.' or ',' (default '.';\n"
                 "in a ';' file, told by the amounts)"),
    CLI_IN_FLAG("skip-bad", skip_bad, "skip rows with bad values, report them on stderr"),
    CLI_IN_FLAG("keep-duplicates", keep_duplicates,
                "keep rows of the customer table that repeat another\n"
                "exactly (default: each counts once, said on stderr)"),
};
#define N_INPUT (sizeof input_options / sizeof input_options[0])

/* The output and general options, every command's. */
static const cli_opt output_options[] = {
    {"format", 'f', "FMT", "csv (default), tsv, json or table"},
    {"precision", 'p', "N", "decimals for rates and money (default 2)"},
    {"excel-safe", OPT_EXCEL_SAFE, NULL,
     "a ' before text cells that begin with = + - @, a tab\n"
     "or a CR: no spreadsheet takes them for formulas\n"
     "(numbers stay numbers; CSV and TSV only)"},
    {"verbose", 'v', NULL, "report rows, customers, memory and time on stderr"},
    {"quiet", 'q', NULL, "no notes nor progress on stderr (errors still)"},
    {"help", 'h', NULL, "show this help and exit"},
    {NULL, 0, NULL, NULL},
};

/* The usual text of a common option (help NULL in the table). */
static const char *common_help(const cli_command *spec, const cli_opt *o)
{
    if (o->help)
        return o->help;
    switch (o->key) {
    case OPT_AS_OF:
        return "observation day (default: the latest start)";
    case OPT_PERIOD:
        return spec->period_day ? "day, week (ISO), month (default), quarter or year"
                                : "week (ISO), month (default), quarter or year";
    case OPT_FROM:
        return "first period to report (label such as 2024-03, or a date)";
    case OPT_TO:
        return "last period to report (default: the one holding as-of)";
    case OPT_MAX_SEGMENTS:
        return "at most N distinct values of the --by column\n(default 10000): more is an error";
    case OPT_MERGE_GAP:
        return "a customer's rows apart by at most DAYS days are one\nlife, active on the gap "
               "(default 0: overlapping and\nback-to-back rows only)";
    }
    return "";
}

/* ---- --help ---- */

static void help_line(FILE *out, int short_key, const char *name, const char *arg, const char *help)
{
    char left[64];
    int n;
    if (short_key)
        n = snprintf(left, sizeof left, "  -%c, --%s%s%s", short_key, name, arg ? " " : "",
                     arg ? arg : "");
    else
        n = snprintf(left, sizeof left, "      --%s%s%s", name, arg ? " " : "", arg ? arg : "");
    fprintf(out, "%s%*s", left, n <= 23 ? 25 - n : 2, "");
    for (const char *p = help; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fprintf(out, "%25s", "");
    }
    fputc('\n', out);
}

static int short_of(int key)
{
    return key > 0 && key < 256 ? key : 0;
}

void cli_help(const cli_command *spec, FILE *out)
{
    fputs(spec->usage, out);
    fprintf(out, "\n%s:\n", spec->options_title ? spec->options_title : "Metric options");
    for (const cli_opt *o = spec->options; o->name; o++)
        help_line(out, short_of(o->key), o->name, o->arg, common_help(spec, o));
    fputs("\nInput options:\n", out);
    for (size_t i = 0; i < N_INPUT; i++) {
        const input_opt *o = &input_options[i];
        help_line(out, o->short_key, o->name, o->arg, o->help);
    }
    cli_tables_help(spec, out);
    fputs("\nOutput options:\n", out);
    for (const cli_opt *o = output_options; o->name; o++)
        if (o->key != OPT_EXCEL_SAFE || !spec->format_help) /* tables only */
            help_line(out, short_of(o->key), o->name, o->arg,
                      o->key == 'f' && spec->format_help ? spec->format_help : o->help);
    if (spec->notes)
        fprintf(out, "\n%s", spec->notes);
    fprintf(out, "\nExamples:\n%s\n", spec->examples);
    fputs("Exit status: 0 ok, 64 usage error, 65 bad data, 66 cannot open input,\n"
          "71 out of memory, 74 I/O error.\n",
          out);
}

/* ---- parsing ---- */

static void add_option(cli *c, size_t *n, const char *name, int key, bool has_arg)
{
    c->longopts[(*n)++] =
        (struct option){name, has_arg ? required_argument : no_argument, NULL, key};
    int s = short_of(key);
    if (s) {
        size_t len = strlen(c->shortopts);
        c->shortopts[len++] = (char)s;
        if (has_arg)
            c->shortopts[len++] = ':';
        c->shortopts[len] = '\0';
    }
}

void cli_init(cli *c, const cli_command *spec)
{
    optind = 0; /* getopt starts anew for each command */
    memset(c, 0, sizeof *c);
    c->spec = spec;
    c->cmd = spec->name;
    c->filename = "stdin";
    c->format = RETAIN_FORMAT_CSV;
    c->precision = 2;
    c->period = RETAIN_PERIOD_MONTH;
    c->max_segments = CLI_MAX_SEGMENTS_DEFAULT;
    size_t n = 0;
    for (const cli_opt *o = spec->options; o && o->name; o++)
        add_option(c, &n, o->name, o->key, o->arg != NULL);
    for (size_t i = 0; i < N_INPUT; i++) {
        const input_opt *o = &input_options[i];
        add_option(c, &n, o->name, o->short_key ? o->short_key : OPT_INPUT_FIRST + (int)i,
                   o->arg != NULL);
    }
    cli_tables_add(c, &n);
    for (const cli_opt *o = output_options; o->name; o++)
        if (o->key != OPT_EXCEL_SAFE || !spec->format_help)
            add_option(c, &n, o->name, o->key, o->arg != NULL);
    c->longopts[n] = (struct option){NULL, 0, NULL, 0};
}

/* The option as the user typed it, for messages. */
static void note_option(cli *c, char **argv, int opt)
{
    static char name[80];
    const char *typed = NULL;
    if (optind >= 1 && optarg && optarg != argv[optind - 1])
        typed = argv[optind - 1]; /* --name=value or -Xvalue */
    else if (optind >= 2 && optarg)
        typed = argv[optind - 2];
    else if (optind >= 1)
        typed = argv[optind - 1];
    const char *longname = NULL;
    for (const struct option *o = c->longopts; o->name; o++)
        if (o->val == opt)
            longname = o->name;
    if (typed && strncmp(typed, "--", 2) == 0 && longname)
        snprintf(name, sizeof name, "--%s", longname);
    else if (short_of(opt))
        snprintf(name, sizeof name, "-%c", opt);
    else
        snprintf(name, sizeof name, "--%s", longname ? longname : "?");
    c->option = name;
}

static const input_opt *input_option(int opt)
{
    for (size_t i = 0; i < N_INPUT; i++)
        if (opt ==
            (input_options[i].short_key ? input_options[i].short_key : OPT_INPUT_FIRST + (int)i))
            return &input_options[i];
    return NULL;
}

/* Handles a common or input option: 1 handled, 0 not one, -1 usage error
 * said. */
static int common_option(cli *c, int opt, const char *arg)
{
    if (cli_table_option(c, opt, arg))
        return 1;
    const input_opt *in = input_option(opt);
    if (in) {
        char *field = (char *)&c->input + in->offset;
        switch (in->kind) {
        case IN_TEXT:
            memcpy(field, &arg, sizeof arg);
            return 1;
        case IN_FLAG:
            *(bool *)field = true;
            return 1;
        case IN_PARSE:
            return in->parse(c, arg) ? 1 : -1;
        }
    }
    switch (opt) {
    case 'f':
        if (c->spec->format_help)
            return 0; /* the command's own formats */
        if (!retain_format_parse(arg, &c->format))
            return cli_usage_error(c, "--format takes csv, tsv, json or table, not '%s'", arg), -1;
        return 1;
    case 'p': {
        long long p;
        if (!cli_count(c, arg, "a whole number from 0 to 9", 0, 9, &p))
            return -1;
        c->precision = (int)p;
        c->precision_given = true;
        return 1;
    }
    case 'v':
        c->verbose = true;
        return 1;
    case OPT_EXCEL_SAFE:
        c->excel_safe = true;
        return 1;
    case 'q':
        c->quiet = true;
        return 1;
    case OPT_AS_OF:
        if (!retain_date_parse(arg, strlen(arg), NULL, &c->as_of))
            return cli_usage_error(c, "--as-of takes a date such as 2024-03-31, not '%s'", arg), -1;
        c->has_as_of = true;
        return 1;
    case OPT_PERIOD:
        if (!retain_period_kind_parse(arg, &c->period) ||
            (!c->spec->period_day && c->period == RETAIN_PERIOD_DAY))
            return cli_usage_error(c, "--period takes %sweek, month, quarter or year, not '%s'",
                                   c->spec->period_day ? "day, " : "", arg),
                   -1;
        c->period_given = true;
        return 1;
    case OPT_FROM:
        c->from_text = arg;
        return 1;
    case OPT_TO:
        c->to_text = arg;
        return 1;
    case OPT_BY:
        c->by = arg;
        return 1;
    case OPT_MAX_SEGMENTS: {
        long long n;
        if (!cli_count(c, arg, "a number of segments from 1 to 100000000", 1, 100000000, &n))
            return -1;
        c->max_segments = (size_t)n;
        return 1;
    }
    case OPT_MERGE_GAP: {
        long long days;
        if (!cli_count(c, arg, "a number of days from 0 to 36525", 0, RETAIN_MERGE_GAP_MAX, &days))
            return -1;
        c->merge_gap = (int32_t)days;
        return 1;
    }
    }
    return 0;
}

const char *cli_period_example(retain_period_kind kind)
{
    static const char *const example[] = {"2024-03-15", "2024-W09", "2024-03", "2024-Q1", "2024"};
    return example[kind];
}

/* --from and --to, once --period is known. */
static bool read_range(cli *c)
{
    const char *text[2] = {c->from_text, c->to_text};
    int32_t *out[2] = {&c->from, &c->to};
    bool *has[2] = {&c->has_from, &c->has_to};
    for (int i = 0; i < 2; i++) {
        if (!text[i])
            continue;
        if (!retain_period_parse(c->period, text[i], out[i])) {
            cli_usage_error(c, "--%s '%s' is not a %s (e.g. %s) nor a date", i ? "to" : "from",
                            text[i], retain_period_kind_name(c->period),
                            cli_period_example(c->period));
            return false;
        }
        *has[i] = true;
    }
    return true;
}

int cli_next(cli *c, int argc, char **argv)
{
    for (;;) {
        int opt = getopt_long(argc, argv, c->shortopts, c->longopts, NULL);
        if (opt == -1) {
            if (!read_range(c)) {
                c->code = EXIT_USAGE;
                return CLI_DONE;
            }
            return -1;
        }
        if (opt == '?') { /* getopt_long said what was wrong */
            fprintf(stderr, "Try 'retain %s --help'.\n", c->cmd);
            c->code = EXIT_USAGE;
            return CLI_DONE;
        }
        note_option(c, argv, opt);
        if (opt == 'h') {
            cli_help(c->spec, stdout);
            c->code = cli_flush_stdout(c);
            return CLI_DONE;
        }
        int handled = common_option(c, opt, optarg);
        if (handled < 0) {
            c->code = EXIT_USAGE;
            return CLI_DONE;
        }
        if (handled == 0)
            return opt;
    }
}

/* ---- option numbers ---- */

bool cli_number(cli *c, const char *arg, cli_num_kind kind, const char *what, double min,
                double max, double *out)
{
    char digits[64];
    size_t len = strlen(arg), n = 0, ndigits = 0, dots = 0;
    bool percent = kind != CLI_NUM_PLAIN && len > 1 && arg[len - 1] == '%';
    if (percent)
        len--;
    const char *hint = NULL;
    bool ok = len > 0 && len < sizeof digits;
    for (size_t i = 0; ok && i < len; i++) {
        char ch = arg[i];
        if (ch >= '0' && ch <= '9')
            ndigits++;
        else if (ch == '.')
            ok = ++dots == 1;
        else if (ch == '-' && i == 0)
            ;
        else
            ok = false;
        digits[n++] = ch;
    }
    digits[n] = '\0';
    ok = ok && ndigits > 0;
    if (!ok) {
        if (strncmp(arg + (arg[0] == '-'), "0x", 2) == 0 ||
            strncmp(arg + (arg[0] == '-'), "0X", 2) == 0)
            hint = "write plain decimals: no hexadecimal";
        else if (strpbrk(arg, "eE"))
            hint = "write plain decimals, without an exponent";
        else if (strpbrk(arg, "$\xe2\xa3\xa5") || strstr(arg, "EUR") || strstr(arg, "USD"))
            hint = "write the number alone, without a currency";
        else if (strchr(arg, ','))
            hint = "the decimal separator of options is '.' whatever the locale";
        else if (strchr(arg, '%'))
            hint = kind == CLI_NUM_PLAIN ? "this option is not a percentage: no '%'" : NULL;
    }
    double v = ok ? strtod(digits, NULL) : 0; /* the C locale: retain never sets one */
    if (ok && percent && kind == CLI_NUM_FRACTION)
        v /= 100;
    if (ok && v == 0 && digits[0] == '-')
        v = 0; /* no -0 */
    if (!ok || !(v >= min && v <= max)) {
        cli_usage_error(c, "%s takes %s, not '%s'%s%s", c->option, what, arg, hint ? "; " : "",
                        hint ? hint : "");
        return false;
    }
    *out = v;
    return true;
}

bool cli_count(cli *c, const char *arg, const char *what, long long min, long long max,
               long long *out)
{
    double v;
    if (strchr(arg, '.') ||
        !cli_number(c, arg, CLI_NUM_PLAIN, what, (double)min, (double)max, &v)) {
        if (strchr(arg, '.'))
            cli_usage_error(c, "%s takes %s, not '%s'", c->option, what, arg);
        return false;
    }
    *out = (long long)v;
    return true;
}

/* ---- messages ---- */

/* "retain CMD: ", or "retain: " for the program itself. */
static void prefix(const cli *c)
{
    fprintf(stderr, "retain%s%s: ", c->cmd[0] ? " " : "", c->cmd);
}

int cli_usage_error(const cli *c, const char *fmt, ...)
{
    va_list ap;
    prefix(c);
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

/* A diagnostic; named: a table other than the operands, whose name goes
 * before any message about it. */
static int report(const cli *c, const char *filename, bool named, const retain_diag *d)
{
    if (d->status == RETAIN_ERR_NOMEM)
        return cli_nomem(c);
    prefix(c);
    if (d->line)
        fprintf(stderr, "%s:%lu: ", filename, d->line);
    else if (named || d->status == RETAIN_ERR_DATA || d->status == RETAIN_ERR_IO)
        fprintf(stderr, "%s: ", filename);
    if (d->column[0])
        fprintf(stderr, "column \"%s\": ", d->column);
    fprintf(stderr, "%s\n", d->message[0] ? d->message : retain_status_str(d->status));
    if (d->hint[0])
        fprintf(stderr, "retain %s: hint: %s\n", c->cmd, d->hint);
    if (d->status == RETAIN_ERR_USAGE)
        fprintf(stderr, "Try 'retain %s --help'.\n", c->cmd);
    return exit_code(d->status);
}

int cli_report_file(const cli *c, const char *filename, const retain_diag *d)
{
    return report(c, filename, true, d);
}

int cli_report(const cli *c, const retain_diag *d)
{
    return report(c, c->filename, false, d);
}

int cli_data_error(const cli *c, const char *filename, unsigned long line, const char *column,
                   const char *fmt, ...)
{
    retain_diag d;
    retain_diag_clear(&d);
    d.status = RETAIN_ERR_DATA;
    d.line = line;
    if (column)
        snprintf(d.column, sizeof d.column, "%s", column);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d.message, sizeof d.message, fmt, ap);
    va_end(ap);
    return cli_report_file(c, filename, &d);
}

int cli_nomem(const cli *c)
{
    prefix(c);
    fputs("out of memory\n", stderr);
    return EXIT_OSERR;
}

void cli_note(const cli *c, const char *fmt, ...)
{
    if (c->quiet)
        return;
    va_list ap;
    prefix(c);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_diag(retain_diag *diag, retain_status st, unsigned long line, const char *message)
{
    retain_diag_clear(diag);
    diag->status = st;
    diag->line = line;
    snprintf(diag->message, sizeof diag->message, "%s", message);
}

/* ---- output ---- */

retain_writer *cli_writer(const cli *c, const char *const *columns, size_t ncols, bool deferred)
{
    unsigned flags =
        (deferred ? RETAIN_WRITER_DEFERRED : 0) | (c->excel_safe ? RETAIN_WRITER_EXCEL_SAFE : 0);
    return retain_writer_open(stdout, c->format, columns, ncols, flags);
}

retain_print cli_print(const cli *c)
{
    retain_print p = {stdout, c->format, c->precision,
                      c->excel_safe ? RETAIN_WRITER_EXCEL_SAFE : 0};
    return p;
}

/* ---- inputs ---- */

/* The input cli_peek peeked at: its replay stream stands for its path
 * once (one command per process). */
static struct {
    const char *path;
    FILE *source, *replay;
} peeked;

FILE *cli_open(const cli *c, const char *path, int *code)
{
    if (peeked.replay && strcmp(path, peeked.path) == 0) {
        FILE *f = peeked.replay; /* the header again, then the rest */
        peeked.path = "";
        return f;
    }
    if (strcmp(path, "-") == 0)
        return stdin;
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        f = NULL;
        errno = EISDIR;
    }
    if (!f && errno == ENOMEM) {
        *code = cli_nomem(c); /* fopen's buffer: no fault of the file's */
    } else if (!f) {
        prefix(c);
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        *code = EXIT_NOINPUT;
    }
    return f;
}

void cli_close(FILE *in)
{
    if (in && in == peeked.replay) {
        peeked.replay = NULL;
        cli_close(peeked.source);
    }
    if (in && in != stdin)
        fclose(in);
}

int cli_read_small(cli *c, const char *path, char delimiter, retain_table **t)
{
    int code = EXIT_OK;
    FILE *in = cli_open(c, path, &code);
    if (!in)
        return code;
    retain_diag d;
    retain_status st = retain_table_read(in, delimiter, t, &d);
    cli_close(in);
    return st == RETAIN_OK ? EXIT_OK
                           : cli_report_file(c, strcmp(path, "-") == 0 ? "stdin" : path, &d);
}

int cli_peek(cli *c, const char *path, retain_table **header)
{
    int code = EXIT_OK;
    FILE *in = cli_open(c, path, &code);
    if (!in)
        return code;
    retain_diag d;
    FILE *again = retain_table_peek(in, c->input.delimiter, header, &d);
    if (!again) {
        cli_close(in);
        return cli_report(c, &d);
    }
    peeked.path = path;
    peeked.source = in;
    peeked.replay = again;
    return EXIT_OK;
}

char **cli_operands(cli *c, int argc, char **argv, int *n, int *code)
{
    static char *dash[] = {"-", NULL};
    int max = c->spec->max_files > 0 ? c->spec->max_files : 1;
    int have = argc - optind;
    if (have > max) {
        if (max == 1)
            *code = cli_usage_error(c, "one input file at most (got '%s' and '%s')", argv[optind],
                                    argv[optind + 1]);
        else
            *code = cli_usage_error(c, "%d input files at most (got %d)", max, have);
        return NULL;
    }
    int stdins = 0;
    for (int i = optind; i < argc; i++)
        stdins += strcmp(argv[i], "-") == 0;
    if (stdins > 1) {
        *code = cli_usage_error(c, "stdin ('-') can be read once only");
        return NULL;
    }
    *n = have > 0 ? have : 1;
    return have > 0 ? argv + optind : dash;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void cli_report_footer(const cli *c, const char *name, const retain_reader *reader)
{
    unsigned long line;
    const char *text;
    unsigned long n = retain_reader_footer(reader, &line, &text);
    if (n)
        cli_note(c,
                 "%s:%lu: left out %lu line%s after the data that look%s like a report footer "
                 "(%s)",
                 name, line, n, n == 1 ? "" : "s", n == 1 ? "s" : "", text);
}

void cli_report_duplicates(const cli *c, unsigned long n, uint64_t place, uint64_t of_place)
{
    if (n == 0 || !c->table)
        return;
    const char *file, *of_file;
    unsigned long line = retain_reader_place_line(c->table, place, &file);
    unsigned long of = retain_reader_place_line(c->table, of_place, &of_file);
    if (!file)
        file = c->filename;
    if (!of_file || strcmp(of_file, file) == 0)
        cli_note(
            c, "%s: note: %lu exact duplicate row%s ignored (first: line %lu duplicates line %lu)",
            file, n, n == 1 ? "" : "s", line, of);
    else
        cli_note(c,
                 "%s: note: %lu exact duplicate row%s ignored (first: line %lu duplicates line %lu "
                 "of %s)",
                 file, n, n == 1 ? "" : "s", line, of, of_file);
}

void cli_done(cli *c)
{
    retain_reader_free(c->table);
    c->table = NULL;
    /* a peeked input never opened again (the command failed first: out of
     * memory, a usage error): its replay, then its source */
    if (peeked.replay)
        cli_close(peeked.replay);
}

void cli_report_skipped(const cli *c, const char *name, const retain_reader *reader)
{
    unsigned long lines[5];
    unsigned long n = retain_reader_skipped(reader, lines, 5);
    if (n == 0)
        return;
    fprintf(stderr, "retain %s: %s: skipped %lu bad row%s (line%s", c->cmd, name, n,
            n == 1 ? "" : "s", n == 1 ? "" : "s");
    for (unsigned long i = 0; i < n && i < 5; i++)
        fprintf(stderr, "%s %lu", i ? "," : "", lines[i]);
    fprintf(stderr, "%s)\n", n > 5 ? ", ..." : "");
    const retain_diag *first = retain_reader_first_skip(reader);
    if (first) {
        fprintf(stderr, "retain %s: first: %s:%lu: ", c->cmd, name, first->line);
        if (first->column[0])
            fprintf(stderr, "column \"%s\": ", first->column);
        fprintf(stderr, "%s\n", first->message);
    }
}

/* The reader of the command's table, with its extra columns (the
 * caller's own, or --by's); NULL after the error was said. */
static retain_reader *table_reader(cli *c, int *code)
{
    if (c->input.n_extra == 0) {
        c->input.extra = &c->by;
        c->input.n_extra = c->by ? 1 : 0;
    }
    /* a command that lists --max-segments caps --by's column, which comes
     * first among the extra ones */
    bool capped = false;
    for (const cli_opt *o = c->spec->options; o && o->name; o++)
        capped |= o->key == OPT_MAX_SEGMENTS;
    if (capped && c->by && c->input.n_extra > 0 && strcmp(c->input.extra[0], c->by) == 0)
        c->input.max_segments = c->max_segments;
    if (c->started == 0)
        c->started = now();
    retain_diag diag;
    retain_reader *reader = retain_reader_new(&c->input, &diag);
    if (!reader)
        *code = cli_report(c, &diag);
    return reader;
}

/* A row function that calls c->reserve before the first row. */
typedef struct {
    const cli *c;
    const retain_reader *reader;
    retain_row_fn fn;
    void *user;
    bool reserved;
} reserving;

static retain_status reserve_row(const retain_row *row, void *user, retain_diag *diag)
{
    reserving *r = user;
    if (!r->reserved) {
        r->reserved = true;
        r->c->reserve(r->user, retain_reader_expected_rows(r->reader));
    }
    return r->fn(row, r->user, diag);
}

/* Reads one file of the table with the table's reader. */
static int read_with(cli *c, retain_reader *reader, FILE *in, const char *name, retain_row_fn fn,
                     void *user, const retain_reader **reader_out)
{
    c->filename = name;
    if (retain_reader_set_name(reader, name) != RETAIN_OK)
        return cli_nomem(c);
    retain_diag diag;
    if (reader_out)
        *reader_out = reader;
    reserving r = {c, reader, fn, user, false};
    if (c->reserve) {
        fn = reserve_row;
        user = &r;
    }
    cli_progress p; /* on a terminal, a line while a long read goes on */
    bool progress = cli_progress_start(&p, c, in, fn, user);
    retain_status st = progress ? retain_reader_read(reader, in, cli_progress_row, &p, &diag)
                                : retain_reader_read(reader, in, fn, user, &diag);
    if (progress)
        cli_progress_end(&p);
    cli_report_skipped(c, c->filename, reader);
    cli_report_footer(c, c->filename, reader);
    c->empty_rows += retain_reader_empty_rows(reader);
    c->has_mrr = c->has_mrr || retain_reader_column(reader, RETAIN_COL_MRR) != NULL;
    c->rows += retain_reader_rows(reader);
    if (reader_out)
        *reader_out = NULL;
    return st == RETAIN_OK ? EXIT_OK : cli_report(c, &diag);
}

int cli_read_stream(cli *c, FILE *in, const char *name, retain_row_fn fn, void *user,
                    const retain_reader **reader_out)
{
    int code = EXIT_OK;
    retain_reader *reader = table_reader(c, &code);
    if (!reader)
        return code;
    code = read_with(c, reader, in, name, fn, user, reader_out);
    retain_reader_free(c->table);
    c->table = reader; /* for the lines of duplicate rows */
    return code;
}

int cli_read_table(cli *c, int argc, char **argv, retain_row_fn fn, void *user,
                   const retain_reader **reader_out)
{
    int code = EXIT_OK, n;
    char **paths = cli_operands(c, argc, argv, &n, &code);
    if (!paths)
        return code;
    c->started = now();
    retain_reader *reader = table_reader(c, &code);
    if (!reader)
        return code;
    /* the files are one table: one reader checks that their headers map
     * to the same roles */
    for (int i = 0; i < n && code == EXIT_OK; i++) {
        FILE *in = cli_open(c, paths[i], &code);
        if (!in)
            break;
        const char *name = strcmp(paths[i], "-") == 0 ? "stdin" : paths[i];
        code = read_with(c, reader, in, name, fn, user, reader_out);
        cli_close(in);
    }
    retain_reader_free(c->table);
    c->table = reader; /* for the lines of duplicate rows */
    return code;
}

void cli_verbose(const cli *c, size_t customers, size_t state_bytes)
{
    if (!c->verbose)
        return;
    double secs = now() - c->started;
    struct rusage ru;
    double peak = getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024 : 0;
    if (customers)
        fprintf(stderr,
                "retain %s: %s: %lu rows, %zu customers in %.3f s; customer state %.1f MiB "
                "(%.1f bytes per customer); peak memory %.1f MiB\n",
                c->cmd, c->filename, c->rows, customers, secs, (double)state_bytes / (1 << 20),
                (double)state_bytes / (double)customers, peak);
    else
        fprintf(stderr, "retain %s: %s: %lu rows in %.3f s; peak memory %.1f MiB\n", c->cmd,
                c->filename, c->rows, secs, peak);
    if (c->empty_rows)
        fprintf(stderr, "retain %s: skipped %lu row%s of empty cells only\n", c->cmd, c->empty_rows,
                c->empty_rows == 1 ? "" : "s");
}

/* ---- output ---- */

static int output_failed(const cli *c, retain_status st, int err)
{
    if (st == RETAIN_OK)
        return EXIT_OK;
    if (st == RETAIN_ERR_IO && err == EPIPE)
        return EXIT_OK; /* the reader left: nothing more to say */
    if (st == RETAIN_ERR_NOMEM)
        return cli_nomem(c);
    prefix(c);
    fprintf(stderr, "write error: %s\n", strerror(err));
    return EXIT_IOERR;
}

int cli_finish_output(const cli *c, retain_writer *w)
{
    if (!w)
        return cli_nomem(c);
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

void cli_segment_period(const cli *c, retain_writer *w, const char *seg, size_t seglen,
                        int32_t period)
{
    char label[16];
    retain_period_label(c->period, period, label);
    if (c->by)
        retain_writer_text(w, seg, seglen);
    retain_writer_text(w, label, strlen(label));
}

void cli_partial_note(const cli *c, int32_t period, retain_day last_day, retain_day as_of,
                      const char *what)
{
    char label[16], end[11], day[11];
    retain_period_label(c->period, period, label);
    retain_day_format(last_day, end);
    retain_day_format(as_of, day);
    cli_note(c, "%s ends on %s, after as-of %s: it is observed up to as-of (%s %s)", label, end,
             day, what, day);
}

void cli_rate_reserve(void *rate, size_t rows)
{
    retain_rate_reserve(rate, rows);
}

retain_rate_options cli_rate_options(const cli *c)
{
    retain_rate_options o = {.period = c->period,
                             .as_of = c->as_of,
                             .has_as_of = c->has_as_of,
                             .from = c->from,
                             .has_from = c->has_from,
                             .to = c->to,
                             .has_to = c->has_to,
                             .merge_gap = c->merge_gap,
                             .segments = c->by != NULL};
    return o;
}
