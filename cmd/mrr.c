/* retain mrr: revenue retention per period (MRR movements, NRR, GRR, quick
 * ratio), or the customers behind it. */

#include "cli.h"
#include "commands.h"

enum { OPT_ANNUAL = OPT_FIRST_FREE, OPT_CUSTOMERS };

static const cli_opt options[] = {
    {CLI_PERIOD(NULL)},
    {CLI_AS_OF},
    {CLI_MERGE_GAP},
    {CLI_FROM},
    {CLI_TO},
    {CLI_BY("one block of periods per value of column COL (a\ncustomer's segment: that of its "
            "serving row of\nlargest MRR); adds moved_in and moved_out")},
    {CLI_MAX_SEGMENTS},
    {"annual", OPT_ANNUAL, NULL, "print ARR (MRR x 12): arr_start, arr_end and every\namount x 12"},
    {"customers", OPT_CUSTOMERS, NULL,
     "one row per customer and period instead (its m0, m1\nand movement): who expanded, who "
     "churned"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command mrr_command = {
    .name = "mrr",
    .summary = "revenue retention per period: MRR movements, NRR, GRR, quick ratio",
    .usage = "Usage: retain mrr [OPTIONS] [FILE...]\n"
             "Revenue retention per period from a customer table with an MRR column (CSV;\n"
             "stdin when FILE is absent or '-').\n"
             "\n"
             "Point to point: m0 = a customer's MRR the day before the period, m1 = on its\n"
             "last day (the sum over its rows serving that day). mrr_start = sum of m0,\n"
             "mrr_end = sum of m1; new (m0 = 0, never paid before), reactivation (m0 = 0,\n"
             "paid before), expansion, contraction, churned (m1 = 0); mrr_end = mrr_start +\n"
             "new + reactivation + expansion - contraction - churned. nrr_pct = (mrr_start\n"
             "+ expansion - contraction - churned) / mrr_start x 100, grr_pct = (mrr_start -\n"
             "contraction - churned) / mrr_start x 100, revenue_churn_pct = 100 - grr_pct,\n"
             "quick_ratio = (new + reactivation + expansion) / (contraction + churned).\n",
    .options = options,
    .examples = "  retain mrr crm.csv\n"
                "  retain mrr --period quarter --by plan --format table crm.csv\n"
                "  retain mrr --period year --annual --arr --mrr \"ARR (converted)\" hubspot.csv\n"
                "  retain mrr --customers --from 2024-06 --to 2024-06 crm.csv | grep churned\n",
    .period_day = true,
    .max_files = 64, /* one table in several files: cli_read_table */
    .run = run,
};

static void reserve(void *mrr, size_t rows)
{
    retain_mrr_reserve(mrr, rows);
}

static int run(cli *c, int argc, char **argv)
{
    bool annual = false, customers = false;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        if (opt == OPT_ANNUAL)
            annual = true;
        else
            customers = true;
    }
    if (opt == CLI_DONE)
        return c->code;
    retain_mrr_options o = {.period = c->period,
                            .has_as_of = c->has_as_of,
                            .as_of = c->as_of,
                            .has_from = c->has_from,
                            .from = c->from,
                            .has_to = c->has_to,
                            .to = c->to,
                            .merge_gap = c->merge_gap,
                            .segments = c->by != NULL,
                            .ids = customers,
                            .annual = annual};
    c->input.need_mrr = true;  /* revenue retention needs revenue */
    c->input.unordered = true; /* the movements do not depend on the order of rows */
    retain_mrr *mrr = retain_mrr_new(&o);
    if (!mrr)
        return cli_nomem(c);
    c->reserve = reserve;
    c->name_mrr = true; /* a negative MRR is named as the file has it */
    int code = cli_read_table(c, argc, argv, retain_mrr_add_row, mrr, NULL);
    retain_diag diag;
    if (code == EXIT_OK && retain_mrr_finish(mrr, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK) {
        cli_verbose(c, retain_mrr_customers(mrr), retain_mrr_bytes(mrr));
        CLI_REPORT_DUPLICATES(c, retain_mrr_duplicates, mrr);
        retain_day last_day;
        if (retain_mrr_partial(mrr, &last_day)) {
            retain_mrr_row last;
            retain_mrr_get(mrr, 0, retain_mrr_periods(mrr) - 1, &last);
            cli_partial_note(c, last.period, last_day, retain_mrr_as_of(mrr), "m1 is the MRR on");
        }
        retain_print p = cli_print(c);
        code =
            cli_finish_output(c, customers ? retain_mrr_write_customers(mrr, c->period, c->by, &p)
                                           : retain_mrr_write(mrr, c->period, c->by, annual, &p));
    }
    retain_mrr_free(mrr);
    return code;
}
