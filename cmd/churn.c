/* retain churn: churn by lifecycle stage, by segment, by reason, by revenue. */

#include "cli.h"
#include "commands.h"

enum { OPT_STAGES = OPT_FIRST_FREE, OPT_REASON };

static const cli_opt options[] = {
    {"stages", OPT_STAGES, "LIST",
     "tenure stages in days (default 90,365: onboarding,\nrenewal, long-term), or named:\n"
     "onboarding:90,renewal:365,long-term"},
    {CLI_AS_OF},
    {CLI_MERGE_GAP},
    {CLI_BY("one block of stages per value of column COL")},
    {CLI_MAX_SEGMENTS},
    {"reason", OPT_REASON, "COL", "one row per stage and churn reason in COL (empty:\nunknown)"},
    {CLI_PERIOD("one block of stages per period: day, week, month,\nquarter or year (churned = "
                "ended in the period,\nentered = in the stage at some day of it)")},
    {CLI_FROM},
    {CLI_TO},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command churn_command = {
    .name = "churn",
    .summary = "churn by lifecycle stage (onboarding, renewal, long-term), by reason",
    .usage = "Usage: retain churn [OPTIONS] [FILE...]\n"
             "Churn by lifecycle stage from a customer table (CSV; stdin when FILE is absent\n"
             "or '-'): when in their lifetime do subscriptions end, and why.\n"
             "\n"
             "What counts is a customer's life: its rows merged over overlaps, renewals on\n"
             "the day the previous row ends, and gaps of at most --merge-gap days. A life's\n"
             "tenure t = (end, or as-of when still active) - start, in days. For a stage\n"
             "[from_day, to_day): entered = lives with t >= from_day, churned = ended lives\n"
             "with t in the stage, churn_pct = churned / entered x 100, share_pct = churned\n"
             "/ all churned lives x 100. With an MRR column, the same in revenue (a life\n"
             "weighs its first day's MRR): mrr_entered, mrr_churned, mrr_churn_pct.\n",
    .options = options,
    .examples = "  retain churn crm.csv\n"
                "  retain churn --by plan --reason churn_reason crm.csv\n"
                "  retain churn --stages trial:14,onboarding:90,renewal:365,loyal --period quarter "
                "crm.csv\n",
    .period_day = true,
    .max_files = 64, /* one table in several files: cli_read_table */
    .run = run,
};

static void reserve(void *churn, size_t rows)
{
    retain_lives_reserve(retain_churn_lives(churn), rows);
}

static int run(cli *c, int argc, char **argv)
{
    const char *stages_spec = NULL, *reason_col = NULL;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        if (opt == OPT_STAGES)
            stages_spec = optarg;
        else
            reason_col = optarg;
    }
    if (opt == CLI_DONE)
        return c->code;
    retain_churn_options o = {.period = c->period,
                              /* --from/--to narrow the periods: by period */
                              .by_period = c->period_given || c->has_from || c->has_to,
                              .has_from = c->has_from,
                              .from = c->from,
                              .has_to = c->has_to,
                              .to = c->to,
                              .as_of = c->as_of,
                              .has_as_of = c->has_as_of,
                              .merge_gap = c->merge_gap};
    retain_diag diag;
    retain_stages *stages = retain_stages_parse(stages_spec, &diag);
    if (!stages)
        return cli_report(c, &diag);
    o.stages = stages;

    o.segments = c->by != NULL;
    o.reasons = reason_col != NULL;
    c->input.unordered = true; /* lives do not depend on the order of rows */
    const char *extra[2];
    size_t n_extra = 0;
    if (c->by)
        extra[n_extra++] = c->by;
    if (reason_col)
        extra[n_extra++] = reason_col;
    c->input.extra = extra;
    c->input.n_extra = n_extra;
    retain_churn *churn = retain_churn_new(&o);
    c->reserve = reserve;
    int code =
        churn ? cli_read_table(c, argc, argv, retain_churn_add_row, churn, NULL) : cli_nomem(c);
    if (code == EXIT_OK && retain_churn_finish(churn, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK) {
        const retain_lives *lives = retain_churn_lives(churn);
        CLI_REPORT_DUPLICATES(c, retain_lives_duplicates, lives);
        cli_verbose(c, retain_lives_customers(lives), retain_lives_bytes(lives));
        retain_print p = cli_print(c);
        code = cli_finish_output(c, retain_churn_write(churn, &o, c->by, c->has_mrr, &p));
    }
    retain_churn_free(churn);
    retain_stages_free(stages);
    return code;
}
