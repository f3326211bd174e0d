/* retain cohort: cohort retention tables, by customers or by revenue. */

#include "cli.h"
#include "commands.h"

enum { OPT_REVENUE = OPT_FIRST_FREE, OPT_WIDE };

static const cli_opt options[] = {
    {CLI_PERIOD(NULL)},
    {CLI_FROM},
    {CLI_TO},
    {CLI_AS_OF},
    {CLI_MERGE_GAP},
    {CLI_BY("one table per value of column COL")},
    {CLI_MAX_SEGMENTS},
    {"revenue", OPT_REVENUE, NULL,
     "MRR retention: MRR of the cohort's rows active on that\nday / the cohort's starting MRR x "
     "100 (may pass 100)"},
    {"wide", OPT_WIDE, NULL,
     "the classic triangle: one row per cohort, one pct column\nper age (default: one row per "
     "cohort and age)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command cohort_command = {
    .name = "cohort",
    .summary = "cohort retention table: customers (or MRR) kept by age",
    .usage = "Usage: retain cohort [OPTIONS] [FILE...]\n"
             "Cohort retention table from a customer table (CSV; stdin when FILE is absent\n"
             "or '-').\n"
             "\n"
             "A customer's cohort is the period of its first start; age k is the k-th period\n"
             "after it, up to the period holding as-of. For each cohort and age: active =\n"
             "customers of the cohort active on the last day of that period, pct = active /\n"
             "cohort_size x 100. A last row, 'mean', pools the cohorts that reached each age\n"
             "(the mean weighted by cohort size).\n",
    .options = options,
    .examples = "  retain cohort crm.csv\n"
                "  retain cohort --period quarter --wide --format table crm.csv\n"
                "  retain cohort --revenue --by plan crm.csv\n",
    .max_files = 64, /* one table in several files: cli_read_table */
    .run = run,
};

static void reserve(void *co, size_t rows)
{
    retain_cohort_reserve(co, rows);
}

static int run(cli *c, int argc, char **argv)
{
    retain_cohort_options o = {.period = c->period};
    bool wide = false;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        if (opt == OPT_REVENUE)
            o.revenue = true;
        else
            wide = true;
    }
    if (opt == CLI_DONE)
        return c->code;
    o.period = c->period;
    o.as_of = c->as_of;
    o.has_as_of = c->has_as_of;
    o.merge_gap = c->merge_gap;
    o.has_from = c->has_from, o.from = c->from;
    o.has_to = c->has_to, o.to = c->to;
    if (o.revenue)
        c->input.need_mrr = true;
    else
        c->input.ignore_mrr = true; /* customers, not revenue */
    o.segments = c->by != NULL;
    retain_cohort *co = retain_cohort_new(&o);
    c->reserve = reserve;
    if (!co)
        return cli_nomem(c);
    int code = cli_read_table(c, argc, argv, retain_cohort_add_row, co, NULL);
    if (code == EXIT_OK) {
        retain_diag diag;
        code = retain_cohort_finish(co, &diag) == RETAIN_OK ? EXIT_OK : cli_report(c, &diag);
    }
    if (code == EXIT_OK) {
        CLI_REPORT_DUPLICATES(c, retain_cohort_duplicates, co);
        cli_verbose(c, retain_cohort_customers(co), retain_cohort_customer_bytes(co));
        retain_print p = cli_print(c);
        code = cli_finish_output(c, retain_cohort_write(co, &o, c->by, wide, &p));
    }
    retain_cohort_free(co);
    return code;
}
