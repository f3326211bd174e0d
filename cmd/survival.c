/* retain survival: Kaplan-Meier curves of subscriptions, their summary, and
 * the log-rank test between segments. */

#include "cli.h"
#include "commands.h"

enum { OPT_UNIT = OPT_FIRST_FREE, OPT_CONF, OPT_SUMMARY, OPT_HORIZON, OPT_COMPARE };

static const cli_opt options[] = {
    {CLI_AS_OF},
    {CLI_MERGE_GAP},
    {"unit", OPT_UNIT, "U", "tenure in day (default), week (7 days) or month\n(365.25/12 days)"},
    {"conf", OPT_CONF, "LEVEL", "confidence level of the interval (default 0.95)"},
    {CLI_BY("one curve per value of column COL")},
    {CLI_MAX_SEGMENTS},
    {"summary", OPT_SUMMARY, NULL,
     "per curve: lives, events, censored, median, horizon,\nrmst (restricted mean survival time) "
     "and rmst_se"},
    {"horizon", OPT_HORIZON, "T",
     "with --summary: the RMST horizon, in units (default:\nthe shortest of the curves' last "
     "observed t)"},
    {"compare", OPT_COMPARE, NULL,
     "with --by: the log-rank test between the curves:\nevents, expected, chisq, df, p_value"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command survival_command = {
    .name = "survival",
    .summary = "Kaplan-Meier survival over tenure, median, RMST, log-rank",
    .usage = "Usage: retain survival [OPTIONS] [FILE...]\n"
             "Kaplan-Meier survival of subscriptions over tenure, from a customer table\n"
             "(CSV; stdin when FILE is absent or '-').\n"
             "\n"
             "Each life (a customer's rows merged over overlaps, renewals on the day the\n"
             "previous row ends and gaps of at most --merge-gap days) is one observation:\n"
             "t = (end, or as-of) - start; an event when it ended by as-of, censored\n"
             "otherwise. One line per distinct t: t, at_risk, events,\n"
             "censored, survival = product of (1 - events / at_risk), and its confidence\n"
             "interval ci_low, ci_high (Greenwood variance, log-log transform).\n",
    .options = options,
    .examples = "  retain survival crm.csv\n"
                "  retain survival --unit month --summary --by plan crm.csv\n"
                "  retain survival --by plan --compare crm.csv    # does Pro keep customers "
                "longer?\n",
    .max_files = 64, /* one table in several files: cli_read_table */
    .run = run,
};

static void reserve(void *sv, size_t rows)
{
    retain_lives_reserve(retain_survival_lives(sv), rows);
}

static int run(cli *c, int argc, char **argv)
{
    retain_survival_view v = {.unit = 1.0, .conf = 0.95};
    bool summary = false, compare = false;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        switch (opt) {
        case OPT_UNIT:
            if (!retain_survival_unit(optarg, &v.unit))
                return cli_usage_error(c, "--unit takes day, week or month, not '%s'", optarg);
            break;
        case OPT_CONF:
            if (!cli_number(c, optarg, CLI_NUM_FRACTION, "a level between 0 and 1 such as 0.95",
                            1e-9, 1 - 1e-9, &v.conf))
                return EXIT_USAGE;
            break;
        case OPT_SUMMARY:
            summary = true;
            break;
        case OPT_HORIZON:
            if (!cli_number(c, optarg, CLI_NUM_PLAIN, "a positive duration (in --unit units)", 1e-9,
                            1e9, &v.horizon))
                return EXIT_USAGE;
            v.has_horizon = true;
            break;
        case OPT_COMPARE:
            compare = true;
            break;
        }
    }
    if (opt == CLI_DONE)
        return c->code;
    if (summary && compare)
        return cli_usage_error(c, "--summary and --compare print different tables: pick one");
    if (v.has_horizon && !summary)
        return cli_usage_error(c, "--horizon goes with --summary");
    if (compare && !c->by)
        return cli_usage_error(c, "--compare needs --by COL: the segments to compare");
    v.horizon *= v.unit;
    /* lives, not revenue: the MRR only decides a life's segment */
    c->input.ignore_mrr = !c->by;
    c->input.unordered = true; /* lives do not depend on the order of rows */

    retain_survival_options o = {.as_of = c->as_of,
                                 .has_as_of = c->has_as_of,
                                 .merge_gap = c->merge_gap,
                                 .segments = c->by != NULL};
    retain_survival *sv = retain_survival_new(&o);
    c->reserve = reserve;
    if (!sv)
        return cli_nomem(c);
    int code = cli_read_table(c, argc, argv, retain_survival_add_row, sv, NULL);
    if (code == EXIT_OK) {
        retain_diag diag;
        if (retain_survival_finish(sv, &diag) != RETAIN_OK)
            code = cli_report(c, &diag);
        else {
            CLI_REPORT_DUPLICATES(c, retain_lives_duplicates, retain_survival_lives(sv));
            cli_verbose(c, retain_lives_customers(retain_survival_lives(sv)),
                        retain_lives_bytes(retain_survival_lives(sv)));
            retain_print p = cli_print(c);
            const char *seg = c->by;
            code = cli_finish_output(c, summary   ? retain_survival_write_summary(sv, seg, &v, &p)
                                        : compare ? retain_survival_write_compare(sv, seg, &p)
                                                  : retain_survival_write(sv, seg, &v, &p));
        }
    }
    retain_survival_free(sv);
    return code;
}
