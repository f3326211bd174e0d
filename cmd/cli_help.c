/* The options every command has (input, output) and --help, fed by the
 * command's option table and these. See cli.h. */
#include <stddef.h>
#include <string.h>

#include "cli_private.h"
#include "tables.h"

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

const cli_input_opt cli_input_options[] = {
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

const size_t cli_n_input = sizeof cli_input_options / sizeof cli_input_options[0];

const cli_opt cli_output_options[] = {
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

void cli_help(const cli_command *spec, FILE *out)
{
    fputs(spec->usage, out);
    fprintf(out, "\n%s:\n", spec->options_title ? spec->options_title : "Metric options");
    for (const cli_opt *o = spec->options; o->name; o++)
        help_line(out, cli_short_of(o->key), o->name, o->arg, common_help(spec, o));
    fputs("\nInput options:\n", out);
    for (size_t i = 0; i < cli_n_input; i++) {
        const cli_input_opt *o = &cli_input_options[i];
        help_line(out, o->short_key, o->name, o->arg, o->help);
    }
    cli_tables_help(spec, out);
    fputs("\nOutput options:\n", out);
    for (const cli_opt *o = cli_output_options; o->name; o++)
        if (o->key != OPT_EXCEL_SAFE || !spec->format_help) /* tables only */
            help_line(out, cli_short_of(o->key), o->name, o->arg,
                      o->key == 'f' && spec->format_help ? spec->format_help : o->help);
    if (spec->notes)
        fprintf(out, "\n%s", spec->notes);
    fprintf(out, "\nExamples:\n%s\n", spec->examples);
    fputs("Exit status: 0 ok, 64 usage error, 65 bad data, 66 cannot open input,\n"
          "71 out of memory, 74 I/O error.\n",
          out);
}
