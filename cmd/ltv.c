/* retain ltv: lifetime value from flags, from a customer table, or added
 * to every row of a table with a churn_pct column. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

enum {
    OPT_ARPU = OPT_FIRST_FREE,
    OPT_MARGIN,
    OPT_CHURN,
    OPT_DISCOUNT,
    OPT_WINDOW,
    OPT_METHOD,
    OPT_HORIZON
};

static const cli_opt options[] = {
    {"arpu", OPT_ARPU, "AMOUNT", "revenue per customer and period (one-liner, pipes)"},
    {"churn", OPT_CHURN, "PCT", "churn per period in percent, 3.5 = 3.5 % (one-liner)"},
    {"margin", OPT_MARGIN, "M", "gross margin as a fraction, 0.8 or 80% (default 1)"},
    {"discount", OPT_DISCOUNT, "PCT", "discount rate per period in percent (default 0)"},
    {CLI_AS_OF},
    {CLI_MERGE_GAP},
    {"window", OPT_WINDOW, "N", "months of churn to average (default 12)"},
    {"from", OPT_FROM, "MONTH",
     "first month of churn to average (instead of --window;\na label such as 2024-03, or a date)"},
    {"to", OPT_TO, "MONTH",
     "last month of churn to average (default: the last\nthat ends by as-of)"},
    {CLI_BY("one row per value of column COL")},
    {CLI_MAX_SEGMENTS},
    {"method", OPT_METHOD, "M",
     "constant (default: the formulas above) or survival:\nLTV = ARPU x m x sum over months k < "
     "horizon of\nS(k) / (1 + d)^k, S the Kaplan-Meier curve of the\nsubscriptions (customer "
     "tables only)"},
    {"horizon", OPT_HORIZON, "N", "months summed with --method survival (default 60)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command ltv_command = {
    .name = "ltv",
    .summary = "lifetime value from flags, a customer table, or piped churn_pct rows",
    .usage = "Usage: retain ltv --arpu AMOUNT --churn PCT [--margin M] [--discount PCT]\n"
             "       retain ltv [OPTIONS] [FILE...]\n"
             "Customer lifetime value: from flags (prints one number); from a customer table\n"
             "(CSV, one table in one or more files; stdin when FILE is absent or '-'); or\n"
             "from one table with a churn_pct\n"
             "column, such as the output of retain rate or retain churn, which gains the\n"
             "columns arpu, margin, discount_pct and ltv on every row.\n"
             "\n"
             "With churn c and discount d per period (fractions) and margin m:\n"
             "  LTV = ARPU x m / c;  with --discount: ARPU x m x (1 + d) / (d + c).\n"
             "From a customer table: ARPU = mean MRR of the customers active on as-of;\n"
             "c = mean churn_pct (TRC) of the --window last full months; observed_revenue\n"
             "= mean revenue received per customer to as-of (MRR x months served).\n",
    .options = options,
    .examples = "  retain ltv --arpu 120 --margin 0.8 --churn 3.5      # prints 2742.86\n"
                "  retain ltv --margin 0.8 --by Plan crm.csv\n"
                "  retain rate --by channel crm.csv | retain ltv --arpu 90 --margin .75\n",
    .max_files = 64, /* one customer table in several files: cli_read_table */
    .run = run,
};

/* The numbers of the options. */
enum { N_ARPU, N_MARGIN, N_CHURN, N_DISCOUNT, N_NUMBERS };

typedef struct {
    double num[N_NUMBERS]; /* margin a fraction, the others as given */
    bool has[N_NUMBERS];
    long long window;
    bool survival; /* --method survival */
    long long horizon;
} ltv_opts;

static int one_liner(cli *c, const ltv_opts *o)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    retain_diag d;
    retain_diag_clear(&d);
    if (retain_ltv_format(o->num[N_ARPU], o->num[N_MARGIN], o->num[N_CHURN], o->num[N_DISCOUNT],
                          c->precision, buf, &d) != RETAIN_OK)
        return cli_usage_error(c, "%s", d.message);
    if (!buf[0])
        cli_note(c, "with churn and discount 0 the lifetime has no end: LTV is undefined (empty)");
    printf("%s\n", buf);
    return cli_flush_stdout(c);
}

/* ---- a table with churn_pct: ltv on every row ---- */

static int pipe_mode(cli *c, const ltv_opts *o, const char *path)
{
    retain_table *t = NULL;
    int code = cli_read_small(c, path, c->input.delimiter, &t);
    if (code != EXIT_OK)
        return code;
    retain_diag diag;
    retain_ltv_given given = {{o->num[N_ARPU], o->has[N_ARPU]},
                              {o->num[N_MARGIN], o->has[N_MARGIN]},
                              {o->num[N_DISCOUNT], o->has[N_DISCOUNT]}};
    retain_print p = cli_print(c);
    retain_writer *w;
    retain_status st = retain_ltv_apply_table(t, &given, &p, &w, &diag);
    retain_table_free(t);
    if (st == RETAIN_ERR_USAGE) /* "FILE has churn_pct but no arpu column: ..." */
        return cli_usage_error(c, "%s %s", c->filename, diag.message);
    if (st == RETAIN_ERR_NOMEM)
        return cli_nomem(c);
    return st == RETAIN_OK ? cli_finish_output(c, w) : cli_report(c, &diag);
}

/* ---- a customer table ---- */

static int print_inputs(cli *c, const ltv_opts *o, const retain_ltv_table *table)
{
    const retain_survival *sv = retain_ltv_table_survival(table);
    retain_ltv_method m = {o->num[N_MARGIN], o->num[N_DISCOUNT] / 100, sv, (int)o->horizon};
    for (size_t g = 0; sv && g < retain_ltv_table_segments(table); g++) {
        retain_ltv_inputs in;
        retain_value ltv;
        retain_ltv_table_get(table, g, &in);
        retain_ltv_table_value(table, g, &m, &ltv, NULL);
        size_t len;
        const char *seg = retain_ltv_table_segment(table, g, &len);
        if (in.arpu.defined && !ltv.defined)
            cli_note(c,
                     "%.*s: no life belongs to it (a life's segment is that of its row of "
                     "largest MRR on its first day): no survival curve, ltv empty",
                     (int)len, seg);
    }
    retain_print p = cli_print(c);
    return cli_finish_output(c, retain_ltv_write(table, c->by, &m, &p));
}

static int table_mode(cli *c, const ltv_opts *o, int argc, char **argv)
{
    c->input.need_mrr = true;
    retain_ltv_table_options to = {.has_as_of = c->has_as_of,
                                   .as_of = c->as_of,
                                   .window = (int)o->window,
                                   .merge_gap = c->merge_gap,
                                   .segments = c->by != NULL,
                                   .has_from = c->has_from,
                                   .from = c->from,
                                   .has_to = c->has_to,
                                   .to = c->to,
                                   .survival = o->survival};
    retain_ltv_table *table = retain_ltv_table_new(&to);
    int code =
        table ? cli_read_table(c, argc, argv, retain_ltv_table_add_row, table, NULL) : cli_nomem(c);
    retain_diag diag;
    if (code == EXIT_OK && retain_ltv_table_finish(table, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK) {
        CLI_REPORT_DUPLICATES(c, retain_ltv_table_duplicates, table);
        cli_verbose(c, 0, 0);
        code = print_inputs(c, o, table);
    }
    retain_ltv_table_free(table);
    return code;
}

/* Whether the first input is a table of rates (a churn_pct column: the
 * pipe from retain rate) rather than a customer table. */
static int peek_piped(cli *c, const char *path, bool *piped)
{
    c->filename = strcmp(path, "-") == 0 ? "stdin" : path;
    retain_table *header = NULL;
    int code = cli_peek(c, path, &header);
    size_t col;
    *piped = code == EXIT_OK && retain_table_find(header, "churn_pct", &col);
    retain_table_free(header);
    return code;
}

static int run(cli *c, int argc, char **argv)
{
    ltv_opts o = {.num[N_MARGIN] = 1, .window = 12, .horizon = 60};
    static const char months[] = "a number of months from 1 to 1200";
    bool horizon_given = false, window_given = false;
    const cli_arg args[] = {
        CLI_ARG_NUMBER(OPT_ARPU, &o.num[N_ARPU], &o.has[N_ARPU], CLI_NUM_PLAIN,
                       "an amount of 0 or more", 0, 1e15),
        CLI_ARG_NUMBER(OPT_MARGIN, &o.num[N_MARGIN], &o.has[N_MARGIN], CLI_NUM_FRACTION,
                       "a fraction from 0 to 1 (0.8 for 80 %)", 0, 1),
        CLI_ARG_NUMBER(OPT_CHURN, &o.num[N_CHURN], &o.has[N_CHURN], CLI_NUM_PERCENT,
                       "a percentage from 0 to 100", 0, 100),
        CLI_ARG_NUMBER(OPT_DISCOUNT, &o.num[N_DISCOUNT], &o.has[N_DISCOUNT], CLI_NUM_PERCENT,
                       "a percentage of 0 or more", 0, 1e6),
        CLI_ARG_COUNT(OPT_WINDOW, &o.window, &window_given, months, 1, 1200),
        CLI_ARG_COUNT(OPT_HORIZON, &o.horizon, &horizon_given, months, 1, 1200),
        {0},
    };
    cli_args(c, args);
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        if (opt != OPT_METHOD)
            continue;
        if (strcmp(optarg, "survival") != 0 && strcmp(optarg, "constant") != 0)
            return cli_usage_error(c, "--method takes constant or survival, not '%s'", optarg);
        o.survival = strcmp(optarg, "survival") == 0;
    }
    if (opt == CLI_DONE)
        return c->code;
    if (horizon_given && !o.survival)
        return cli_usage_error(c, "--horizon goes with --method survival");
    if (window_given && c->has_from)
        return cli_usage_error(c, "--window and --from both say which months to average: give "
                                  "one");
    bool range = c->has_from || c->has_to;
    bool table_options = c->by || c->has_as_of || window_given;
    if (o.has[N_CHURN]) {
        const cli_rule one_liner_rules[] = {
            {o.survival, "--method survival needs a customer table: the one-liner has a "
                         "constant churn"},
            {!o.has[N_ARPU], "the one-liner needs --arpu and --churn"},
            {optind < argc, "the one-liner --churn takes no input file (a table gives its own "
                            "churn)"},
            {table_options || c->input.skip_bad || range,
             "the one-liner takes no table options (--by, --as-of, --window, --from, --to, "
             "--skip-bad)"},
        };
        int code = cli_check(c, NULL, one_liner_rules, 4);
        return code == EXIT_OK ? one_liner(c, &o) : code;
    }

    int code = EXIT_OK, n;
    char **paths = cli_operands(c, argc, argv, &n, &code);
    bool piped = false;
    if (paths)
        code = peek_piped(c, paths[0], &piped);
    if (!paths || code != EXIT_OK)
        return code;
    const cli_rule rates_rules[] = {
        {o.survival, "--method survival needs a customer table"},
        {table_options, "--by, --as-of and --window are for customer tables"},
        {range, "--from and --to are for customer tables (retain rate --from/--to narrows the "
                "rates)"},
        {n > 1, "a table of rates is read alone"},
    };
    if (piped)
        code = cli_check(c, "has a churn_pct column", rates_rules, 4);
    else if (o.has[N_ARPU])
        code = cli_usage_error(c, "a customer table gives its own ARPU: --arpu is for the "
                                  "one-liner and for tables with a churn_pct column");
    if (code == EXIT_OK)
        code = piped ? pipe_mode(c, &o, paths[0]) : table_mode(c, &o, argc, argv);
    return code; /* a peeked input not read again: cli_done closes it */
}
