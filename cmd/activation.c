/* retain activation: time to value per cohort and segment, and the
 * onboarding churn of customers activated early against the others. */
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "signals.h"

enum { OPT_EVENTS = OPT_FIRST_FREE, OPT_EVENT, OPT_WITHIN, OPT_ONBOARDING };

static const cli_opt options[] = {
    {"events", OPT_EVENTS, "FILE", "product events: id, date, kind (required)"},
    {"event", OPT_EVENT, "KIND", "the activation event (default: any event)"},
    {"within", OPT_WITHIN, "DAYS",
     "activated_pct counts activations within DAYS days\n"
     "(default 30)"},
    {CLI_AS_OF},
    {CLI_PERIOD("cohorts by day, week (ISO), month (default), quarter\nor year of the start")},
    {"from", OPT_FROM, "PERIOD", "the first cohort to report (default: the first start's)"},
    {"to", OPT_TO, "PERIOD", "the last cohort to report (default: as-of's)"},
    {CLI_BY("one block of cohorts per value of column COL")},
    {CLI_MERGE_GAP},
    {"onboarding", OPT_ONBOARDING, NULL,
     "instead, the churn before day 90 of the customers\nactivated within DAYS days against the "
     "others"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command activation_command = {
    .name = "activation",
    .summary = "time to value: days to the first activation event per cohort, onboarding churn",
    .usage = "Usage: retain activation [OPTIONS] --events FILE [CUSTOMERS]\n"
             "Time to value: for each customer's first life, the days from its start to its\n"
             "first event of the activation kind, censored at the life's end or as-of. Per\n"
             "cohort and segment: customers, activated (within DAYS), activated_pct and\n"
             "median_days, the Kaplan-Meier median time to activation. --onboarding: of the\n"
             "customers observed 90 days whose first life lasted more than DAYS days, the\n"
             "share that left before day 90, activated early against late or never.\n",
    .options = options,
    .examples = "  retain activation --events events.csv --event report_created crm.csv\n"
                "  retain activation --events events.csv --event invite --period quarter "
                "--by plan crm.csv\n"
                "  retain activation --events events.csv --event invite --onboarding crm.csv\n",
    .period_day = true,
    .tables = (const retain_table_kind[]){RETAIN_TABLE_EVENTS, 0},
    .run = run,
};

static int run(cli *c, int argc, char **argv)
{
    const char *events = NULL, *kind = NULL;
    retain_activation_options o = {.within = 30};
    bool onboarding = false;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        long long v;
        switch (opt) {
        case OPT_EVENTS:
            events = optarg;
            break;
        case OPT_EVENT:
            kind = optarg;
            break;
        case OPT_WITHIN:
            if (!cli_count(c, optarg, "a number of days", 0, 36525, &v))
                return EXIT_USAGE;
            o.within = (int32_t)v;
            break;
        case OPT_ONBOARDING:
            onboarding = true;
            break;
        }
    }
    if (opt == CLI_DONE)
        return c->code;
    if (!events)
        return cli_usage_error(c, "--events FILE is required (the product events)");
    int code = EXIT_OK, nfiles;
    char **operands = cli_operands(c, argc, argv, &nfiles, &code);
    if (!operands)
        return code;
    if ((c->has_from || c->has_to) && onboarding)
        return cli_usage_error(c, "--from and --to narrow the cohorts of the activation table: "
                                  "not with --onboarding");
    o.period = c->period;
    o.has_from = c->has_from;
    o.from = c->from;
    o.has_to = c->has_to;
    o.to = c->to;
    /* default as-of: the latest start, known once the customers are read */
    retain_day cut = c->has_as_of ? c->as_of : 0;
    retain_events_options eo = {.merge_gap = c->merge_gap,
                                .cutoffs = &cut,
                                .n_cutoffs = 1,
                                .before_latest_start = !c->has_as_of,
                                .activation_kind = kind};
    retain_diag diag;
    retain_events *ev = retain_events_new(&eo, &diag);
    if (!ev)
        return cli_report(c, &diag);
    code = signals_read_customers(c, operands[0], ev);
    if (code == EXIT_OK)
        code = signals_read_events(c, RETAIN_TABLE_EVENTS, events, ev);
    retain_activation *a = NULL;
    if (code == EXIT_OK && retain_activation_compute(ev, &o, &a, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    retain_print p = cli_print(c);
    if (code == EXIT_OK)
        code = cli_finish_output(c, onboarding ? retain_activation_write_onboarding(a, c->by, &p)
                                               : retain_activation_write(a, c->period, c->by, &p));
    retain_activation_free(a);
    retain_events_free(ev);
    return code;
}
