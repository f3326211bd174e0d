/* retain rate: retention rate (TRC) per period, or the one-line formula. */

#include "cli.h"
#include "commands.h"

static const cli_opt options[] = {
    {CLI_PERIOD(NULL)},
    {CLI_AS_OF},
    {CLI_MERGE_GAP},
    {CLI_FROM},
    {CLI_TO},
    {CLI_BY("one block of periods per value of column COL")},
    {CLI_MAX_SEGMENTS},
    {"customers-start", 'S', "N", "one-liner: customers at the start of the period"},
    {"customers-end", 'E', "N", "one-liner: customers at its end"},
    {"new", 'N', "N", "one-liner: customers acquired during it (default 0)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command rate_command = {
    .name = "rate",
    .summary = "retention rate (TRC) per period: start, new, won back, lost, end",
    .usage = "Usage: retain rate [OPTIONS] [FILE...]\n"
             "       retain rate -S COUNT -E COUNT [-N COUNT]\n"
             "Retention rate (TRC) per period from a customer table (CSV; stdin when FILE\n"
             "is absent or '-'), or from three counts.\n"
             "\n"
             "For each period: customers_start S (active the day before it starts), new,\n"
             "reactivated (won back), lost = S + N - E, customers_end E (active on its last\n"
             "day), retention_pct = (E - N) / S x 100, churn_pct = 100 - retention_pct.\n",
    .options = options,
    .examples = "  retain rate crm.csv\n"
                "  retain rate --period quarter --by plan --format table crm.csv\n"
                "  retain rate --date-format %d/%m/%Y --decimal , export-fr.csv\n"
                "  retain rate -S 200 -E 210 -N 30          # prints 90.00\n",
    .period_day = true,
    .max_files = 64, /* one table in several files: cli_read_table */
    .run = run,
};

/* retain rate -S -E -N: the formula on three counts. */
static int one_liner(cli *c, long long s, long long e, long long n)
{
    if (e > s + n)
        return cli_usage_error(c, "customers at the end (%lld) cannot exceed start + new (%lld)", e,
                               s + n);
    char buf[RETAIN_NUMBER_BUFSIZE];
    retain_retention_pct(s, e, n, c->precision, buf);
    printf("%s\n", buf);
    return cli_flush_stdout(c);
}

static int run(cli *c, int argc, char **argv)
{
    long long counts[3] = {-1, -1, -1}; /* S, E, N */
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        int i = opt == 'S' ? 0 : opt == 'E' ? 1 : 2;
        if (!cli_count(c, optarg, "a count of customers", 0, 1LL << 40, &counts[i]))
            return EXIT_USAGE;
    }
    if (opt == CLI_DONE)
        return c->code;
    if (counts[0] >= 0 || counts[1] >= 0 || counts[2] >= 0) {
        if (counts[0] < 0 || counts[1] < 0)
            return cli_usage_error(c, "the one-liner needs -S and -E (and -N, default 0)");
        if (optind < argc)
            return cli_usage_error(c, "the one-liner -S/-E/-N takes no input file");
        if (c->by || c->has_from || c->has_to || c->has_as_of || c->period_given ||
            c->input.skip_bad)
            return cli_usage_error(c, "the one-liner -S/-E/-N takes no table options "
                                      "(--period, --as-of, --from, --to, --by, --skip-bad)");
        return one_liner(c, counts[0], counts[1], counts[2] < 0 ? 0 : counts[2]);
    }
    retain_rate_options o = cli_rate_options(c);
    c->input.ignore_mrr = true; /* the rate counts customers, not revenue */
    c->input.unordered = true;  /* its counts do not depend on the order of rows */
    retain_rate *rate = retain_rate_new(&o);
    if (!rate)
        return cli_nomem(c);
    c->reserve = cli_rate_reserve;
    int code = cli_read_table(c, argc, argv, retain_rate_add_row, rate, NULL);
    retain_diag diag;
    if (code == EXIT_OK && retain_rate_finish(rate, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK) {
        CLI_REPORT_DUPLICATES(c, retain_rate_duplicates, rate);
        cli_verbose(c, retain_rate_customers(rate), retain_rate_customer_bytes(rate));
        retain_day last_day;
        if (retain_rate_partial(rate, &last_day)) {
            retain_rate_row last;
            retain_rate_get(rate, 0, retain_rate_periods(rate) - 1, &last);
            cli_partial_note(c, last.period, last_day, retain_rate_as_of(rate),
                             "customers_end, lost and kept count the customers active on");
        }
        retain_print p = cli_print(c);
        code = cli_finish_output(c, retain_rate_write(rate, c->period, c->by, &p));
    }
    retain_rate_free(rate);
    return code;
}
