/* retain cac: acquisition cost from flags, or per period (and channel) from
 * a spend table and the new customers of a customer table; with LTV, the
 * LTV:CAC ratio and the payback. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

enum {
    OPT_SPEND = OPT_FIRST_FREE,
    OPT_NEW,
    OPT_SPEND_TABLE,
    OPT_LTV_TABLE,
    OPT_LTV,
    OPT_ARPU,
    OPT_MARGIN,
    OPT_MIN_RATIO,
    OPT_SPEND_PERIOD,
    OPT_SPEND_AMOUNT,
    OPT_SPEND_CHANNEL
};

static const cli_opt options[] = {
    {"spend", OPT_SPEND, "AMOUNT", "one-liner: acquisition spend"},
    {"new", OPT_NEW, "N", "one-liner: new customers acquired with it"},
    {"spend-table", OPT_SPEND_TABLE, "FILE",
     "spend per period: columns period, spend and, with\n--by, channel (or COL)"},
    {"spend-period", OPT_SPEND_PERIOD, "COL", "the spend table's period column (default period)"},
    {"spend-amount", OPT_SPEND_AMOUNT, "COL", "the spend table's amount column (default spend)"},
    {"spend-channel", OPT_SPEND_CHANNEL, "COL",
     "the spend table's channel column (default channel)"},
    {CLI_BY("customer table column matched with the channel")},
    {CLI_MAX_SEGMENTS},
    {CLI_PERIOD(NULL)},
    {CLI_AS_OF},
    {CLI_MERGE_GAP},
    {CLI_FROM},
    {CLI_TO},
    {"ltv", OPT_LTV, "AMOUNT", "LTV per customer, for every row"},
    {"ltv-table", OPT_LTV_TABLE, "FILE",
     "a table with an ltv column (and period or COL to join\non; arpu and margin for the "
     "payback); - for stdin"},
    {"arpu", OPT_ARPU, "AMOUNT", "revenue per customer and period, for the payback"},
    {"margin", OPT_MARGIN, "M", "gross margin as a fraction, 0.8 or 80% (default 1)"},
    {"min-ratio", OPT_MIN_RATIO, "R", "warn below this LTV:CAC (default 3)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command cac_command = {
    .name = "cac",
    .summary = "acquisition cost per period and channel, LTV:CAC and payback",
    .usage = "Usage: retain cac --spend AMOUNT --new N\n"
             "       retain cac --spend-table FILE [OPTIONS] [CUSTOMERS]\n"
             "Customer acquisition cost: from two numbers (prints one number), or per period\n"
             "(and channel, with --by) from a spend table joined with the new customers\n"
             "counted in a customer table (CSV; stdin when CUSTOMERS is absent or '-').\n"
             "\n"
             "CAC = spend / new customers. With an LTV (--ltv, or the ltv column of a table\n"
             "given with --ltv-table or piped on stdin, such as the output of retain ltv):\n"
             "ltv_cac = LTV / CAC, payback_periods = CAC / (ARPU x margin), and a warning\n"
             "when ltv_cac is below --min-ratio.\n",
    .options = options,
    .examples = "  retain cac --spend 50000 --new 40                  # prints 1250.00\n"
                "  retain cac --spend-table spend.csv --by channel crm.csv\n"
                "  retain ltv --by channel crm.csv | retain cac --spend-table spend.csv \\\n"
                "      --ltv-table - --by channel crm.csv\n",
    .max_files = 64, /* one table in several files: cli_read_table */
    .run = run,
};

typedef struct {
    double spend, new_customers, ltv, arpu, margin, min_ratio;
    const char *spend_text; /* --spend as given: CAC is exact from it */
    bool has_spend, has_new, has_ltv, has_arpu, has_margin;
    const char *spend_table, *ltv_table;
    const char *spend_column[3]; /* period, amount, channel */
} cac_opts;

static int one_liner(cli *c, const cac_opts *o)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    retain_diag d;
    if (retain_cac_format(o->spend, o->spend_text, o->new_customers, c->precision, buf, &d) !=
        RETAIN_OK)
        return cli_usage_error(c, "%s", d.message);
    if (!buf[0])
        cli_note(c, "no new customer: CAC is undefined (empty)");
    printf("%s\n", buf);
    return cli_flush_stdout(c);
}

/* The spend table into the acquisition rows. */
static int add_spend(cli *c, const cac_opts *o, retain_acquisition *rows, retain_table **t)
{
    int code = cli_read_small(c, o->spend_table, 0, t);
    if (code != EXIT_OK)
        return code;
    retain_spend_options so = {.period = c->period,
                               .has_from = c->has_from,
                               .from = c->from,
                               .has_to = c->has_to,
                               .to = c->to,
                               .decimal = c->input.decimal,
                               .period_column = o->spend_column[0],
                               .spend_column = o->spend_column[1],
                               .channel_column = o->spend_column[2],
                               .segment = c->by};
    const char *channel = NULL;
    retain_diag d;
    if (retain_spend_table_add(rows, *t, &so, &channel, &d) != RETAIN_OK)
        return cli_report_file(c, o->spend_table, &d);
    if (!c->by)
        c->by = channel; /* the customer table's column of that name */
    return EXIT_OK;
}

/* The LTV table, when there is one, and the join. */
static int make_join(cli *c, const cac_opts *o, bool from_stdin, retain_table **t,
                     retain_cac_join **join)
{
    const char *file = from_stdin ? "stdin" : o->ltv_table;
    retain_diag d;
    int code = o->ltv_table || from_stdin ? cli_read_small(c, from_stdin ? "-" : o->ltv_table, 0, t)
                                          : EXIT_OK;
    if (code != EXIT_OK)
        return code;
    retain_cac_join_options jo = {.ltv = {o->ltv, o->has_ltv},
                                  .arpu = {o->arpu, o->has_arpu},
                                  .margin = {o->margin, o->has_margin},
                                  .min_ratio = o->min_ratio,
                                  .ltv_table = *t,
                                  .segment = c->by,
                                  .period = c->period};
    *join = retain_cac_join_new(&jo, &d);
    return *join ? EXIT_OK : cli_report_file(c, file, &d);
}

static int print_rows(cli *c, retain_acquisition *rows, const retain_cac_join *join,
                      const char *ltv_file)
{
    retain_print p = cli_print(c);
    retain_writer *w;
    retain_diag d;
    retain_status st = retain_cac_write(rows, join, &p, &w, &d);
    if (st == RETAIN_ERR_NOMEM)
        return cli_nomem(c);
    return st == RETAIN_OK ? cli_finish_output(c, w) : cli_report_file(c, ltv_file, &d);
}

static int data_mode(cli *c, cac_opts *o, int argc, char **argv)
{
    retain_acquisition *rows = retain_acquisition_new();
    retain_table *spend = NULL, *ltv = NULL;
    retain_cac_join *join = NULL;
    retain_rate *rate = NULL;
    bool customers_on_stdin = optind == argc || strcmp(argv[optind], "-") == 0;
    bool ltv_stdin = o->ltv_table && strcmp(o->ltv_table, "-") == 0; /* only when told */
    int code = EXIT_OK;
    retain_diag d;
    if (!rows)
        code = cli_nomem(c);
    else if (ltv_stdin && customers_on_stdin)
        code = cli_usage_error(c, "the customer table and --ltv-table cannot both be stdin");
    if (code == EXIT_OK) /* the spend table first: a mistake there is cheap to find */
        code = add_spend(c, o, rows, &spend);
    if (code == EXIT_OK)
        code = make_join(c, o, ltv_stdin, &ltv, &join);
    /* by the channel column of the spend table, when it has one */
    retain_rate_options ro = cli_rate_options(c);
    if (code == EXIT_OK && !(rate = retain_rate_new(&ro)))
        code = cli_nomem(c);
    c->input.ignore_mrr = true; /* new customers are counted, not revenue */
    c->reserve = cli_rate_reserve;
    if (code == EXIT_OK)
        code = cli_read_table(c, argc, argv, retain_rate_add_row, rate, NULL);
    if (code == EXIT_OK && retain_rate_finish(rate, &d) != RETAIN_OK)
        code = cli_report(c, &d);
    if (code == EXIT_OK)
        CLI_REPORT_DUPLICATES(c, retain_rate_duplicates, rate);
    if (code == EXIT_OK && retain_acquisition_add_rate(rows, rate) != RETAIN_OK)
        code = cli_nomem(c);
    if (code == EXIT_OK)
        code = print_rows(c, rows, join, ltv_stdin ? "stdin" : o->ltv_table);
    retain_cac_join_free(join);
    retain_acquisition_free(rows);
    retain_table_free(spend);
    retain_table_free(ltv);
    retain_rate_free(rate);
    return code;
}

static int run(cli *c, int argc, char **argv)
{
    cac_opts o = {.margin = 1, .min_ratio = 3};
    static const char amount[] = "a number of 0 or more";
    const cli_arg args[] = {
        {OPT_SPEND, &o.spend_text, &o.has_spend, &o.spend, CLI_NUM_PLAIN, amount, 0, 1e15, NULL,
         NULL},
        CLI_ARG_NUMBER(OPT_NEW, &o.new_customers, &o.has_new, CLI_NUM_PLAIN, amount, 0, 1e15),
        CLI_ARG_NUMBER(OPT_LTV, &o.ltv, &o.has_ltv, CLI_NUM_PLAIN, amount, 0, 1e15),
        CLI_ARG_NUMBER(OPT_ARPU, &o.arpu, &o.has_arpu, CLI_NUM_PLAIN, amount, 0, 1e15),
        CLI_ARG_NUMBER(OPT_MARGIN, &o.margin, &o.has_margin, CLI_NUM_FRACTION,
                       "a fraction from 0 to 1 (0.8 for 80 %)", 0, 1),
        CLI_ARG_NUMBER(OPT_MIN_RATIO, &o.min_ratio, NULL, CLI_NUM_PLAIN, amount, 0, 1e15),
        CLI_ARG_TEXT(OPT_SPEND_TABLE, &o.spend_table),
        CLI_ARG_TEXT(OPT_LTV_TABLE, &o.ltv_table),
        CLI_ARG_TEXT(OPT_SPEND_PERIOD, &o.spend_column[0]),
        CLI_ARG_TEXT(OPT_SPEND_AMOUNT, &o.spend_column[1]),
        CLI_ARG_TEXT(OPT_SPEND_CHANNEL, &o.spend_column[2]),
        {0},
    };
    cli_args(c, args);
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0)
        ; /* every option of the command is in args */
    if (opt == CLI_DONE)
        return c->code;
    bool table_opts = c->has_from || c->has_to || c->period_given || c->has_as_of;
    if (o.has_spend || o.has_new) {
        if (!o.has_spend || !o.has_new)
            return cli_usage_error(c, "the one-liner needs --spend and --new");
        if (optind < argc || o.spend_table || o.ltv_table || c->by || table_opts)
            return cli_usage_error(c, "the one-liner --spend/--new takes no tables nor table "
                                      "options");
        return one_liner(c, &o);
    }
    if (!o.spend_table)
        return cli_usage_error(c, "give --spend and --new, or --spend-table FILE with a "
                                  "customer table");
    if (argc > optind + 1)
        return cli_usage_error(c, "one customer table at most (got '%s' and '%s')", argv[optind],
                               argv[optind + 1]);
    return data_mode(c, &o, argc, argv);
}
