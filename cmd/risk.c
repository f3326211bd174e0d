/* retain risk: who is about to leave; signals, health, zones, backtest. */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "signals.h"

enum {
    OPT_EVENTS = OPT_FIRST_FREE,
    OPT_TICKETS,
    OPT_SURVEY,
    OPT_ORDERS,
    OPT_ACTIVITY,
    OPT_SILENCE,
    OPT_WINDOW,
    OPT_DROP,
    OPT_REVENUE_DROP,
    OPT_GRACE,
    OPT_HORIZON,
    OPT_WEIGHTS,
    OPT_ZONES,
    OPT_STAGES,
    OPT_SUMMARY
};

static const cli_opt options[] = {
    {"events", OPT_EVENTS, "FILE", "product events: id, date, kind, value (required)"},
    {"tickets", OPT_TICKETS, "FILE", "support tickets: id, date"},
    {"survey", OPT_SURVEY, "FILE", "NPS answers: id, date, score"},
    {"orders", OPT_ORDERS, "FILE", "orders or invoices: id, date, amount"},
    {"as-of", OPT_AS_OF, "DATE", "observation day (default: the latest event)"},
    {CLI_MERGE_GAP},
    {CLI_BY("a column of the customer table to print after the id")},
    {"activity", OPT_ACTIVITY, "KIND", "only events of this kind count for silence and\nusage"},
    {"silence", OPT_SILENCE, "DAYS", "silent when no event for DAYS days (default 60)"},
    {"window", OPT_WINDOW, "DAYS",
     "usage window: the DAYS ending on as-of against the\nDAYS "
     "before (default 7)"},
    {"drop", OPT_DROP, "PCT", "usage_drop when usage fell by PCT % or more\n(default 10)"},
    {"revenue-drop", OPT_REVENUE_DROP, "PCT",
     "revenue_down when revenue fell by PCT % or more\n"
     "(default 10)"},
    {"grace", OPT_GRACE, "DAYS",
     "missed_renewal when the last order is over 365 + DAYS\n"
     "days old (default 30)"},
    {"weights", OPT_WEIGHTS, "LIST",
     "signal weights, e.g. silent=40,nps_below_9=20\n(defaults: "
     "silent 40, usage_drop 20, tickets_up 20,\nrevenue_down 25, "
     "missed_renewal 30, nps_below_9 20)"},
    {"zones", OPT_ZONES, "A,B", "zone 1 when health >= A, 2 when >= B, else 3\n(default 75,50)"},
    {"stages", OPT_STAGES, "LIST", "tenure stages (default 90,365), as retain churn"},
    {"horizon", OPT_HORIZON, "DAYS", "backtest: zones as of as-of - DAYS (default 90)"},
    {"summary", OPT_SUMMARY, NULL, "per zone: customers, MRR, and the backtest's churn"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command risk_command = {
    .name = "risk",
    .summary = "churn signals, health score and zone of every active customer; backtest",
    .usage = "Usage: retain risk [OPTIONS] --events FILE [CUSTOMERS]\n"
             "Which customers are leaving now: for every customer active on as-of, the\n"
             "signals of its events, tickets, answers and orders (days_silent,\n"
             "usage_change_pct, tickets, revenue_change_pct, renewal_in_days, nps), the\n"
             "signals raised, health = 100 - their weights, and zone 1 (healthy) to 3 (at\n"
             "risk); zone 3 first, then the largest MRR. A signal whose table is not given\n"
             "is not computed. --summary: customers and MRR per zone, and how many of the\n"
             "customers in each zone as of as-of - horizon left by as-of.\n",
    .options = options,
    .examples = "  retain risk --events events.csv --tickets tickets.csv crm.csv | head\n"
                "  retain risk --events events.csv --survey nps.csv --summary crm.csv\n"
                "  retain risk --events events.csv --weights silent=50 --zones 80,50 crm.csv\n",
    .tables = (const retain_table_kind[]){RETAIN_TABLE_EVENTS, RETAIN_TABLE_TICKETS,
                                          RETAIN_TABLE_SURVEY, RETAIN_TABLE_ORDERS, 0},
    .run = run,
};

static bool days_option(cli *c, const char *arg, long long max, int32_t *out)
{
    long long v;
    if (!cli_count(c, arg, "a number of days", 1, max, &v))
        return false;
    *out = (int32_t)v;
    return true;
}

static bool pct_option(cli *c, const char *arg, retain_money *out)
{
    double v;
    if (!cli_number(c, arg, CLI_NUM_PERCENT, "a percentage from 0 to 100", 0, 100, &v))
        return false;
    *out = (retain_money)llround(v * RETAIN_MONEY_SCALE);
    return true;
}

static int run(cli *c, int argc, char **argv)
{
    retain_risk_options o;
    retain_risk_defaults(&o);
    const char *path[RETAIN_TABLE_KINDS] = {0};
    const char *activity = NULL, *stages_spec = NULL;
    int32_t window = 7;
    bool summary = false;
    retain_diag diag;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        bool ok = true;
        switch (opt) {
        case OPT_EVENTS:
            path[RETAIN_TABLE_EVENTS] = optarg;
            break;
        case OPT_TICKETS:
            path[RETAIN_TABLE_TICKETS] = optarg;
            break;
        case OPT_SURVEY:
            path[RETAIN_TABLE_SURVEY] = optarg;
            break;
        case OPT_ORDERS:
            path[RETAIN_TABLE_ORDERS] = optarg;
            break;
        case OPT_ACTIVITY:
            activity = optarg;
            break;
        case OPT_SILENCE:
            ok = days_option(c, optarg, 36525, &o.silence);
            break;
        case OPT_WINDOW:
            ok = days_option(c, optarg, 3650, &window);
            break;
        case OPT_DROP:
            ok = pct_option(c, optarg, &o.drop);
            break;
        case OPT_REVENUE_DROP:
            ok = pct_option(c, optarg, &o.revenue_drop);
            break;
        case OPT_GRACE: {
            long long v;
            ok = cli_count(c, optarg, "a number of days", 0, 36525, &v);
            o.grace = (int32_t)v;
            break;
        }
        case OPT_HORIZON:
            ok = days_option(c, optarg, 36525, &o.horizon);
            break;
        case OPT_WEIGHTS:
        case OPT_ZONES:
            if ((opt == OPT_WEIGHTS
                     ? retain_risk_parse_weights(optarg, o.weights, &diag)
                     : retain_risk_parse_zones(optarg, &o.zone1, &o.zone2, &diag)) != RETAIN_OK) {
                cli_report(c, &diag);
                return EXIT_USAGE;
            }
            break;
        case OPT_STAGES:
            stages_spec = optarg;
            break;
        case OPT_SUMMARY:
            summary = true;
            break;
        }
        if (!ok)
            return EXIT_USAGE;
    }
    if (opt == CLI_DONE)
        return c->code;
    if (!path[RETAIN_TABLE_EVENTS])
        return cli_usage_error(c, "--events FILE is required (the product events)");
    int code = EXIT_OK, nfiles;
    char **operands = cli_operands(c, argc, argv, &nfiles, &code);
    if (!operands)
        return code;
    /* the default as-of, the latest event: guessed from the end of the
     * file, checked against what the one pass saw (else a second pass) */
    retain_day as_of = c->as_of;
    bool guessed = false;
    if (!c->has_as_of) {
        code = signals_guess_latest(c, RETAIN_TABLE_EVENTS, path[RETAIN_TABLE_EVENTS], &as_of,
                                    &guessed);
        if (code == EXIT_OK && !guessed)
            code = signals_latest_date(c, RETAIN_TABLE_EVENTS, path[RETAIN_TABLE_EVENTS],
                                       "the default as-of is the latest event", &as_of);
        if (code != EXIT_OK)
            return code;
    }
    retain_stages *stages = retain_stages_parse(stages_spec, &diag);
    if (!stages)
        return cli_report(c, &diag);
    o.stages = stages;
    retain_events *ev;
    bool quiet = c->quiet;
    for (;;) {
        retain_day cut[2] = {as_of, as_of - o.horizon};
        retain_events_options eo = {.merge_gap = c->merge_gap,
                                    .cutoffs = cut,
                                    .n_cutoffs = 2,
                                    .usage_window = window,
                                    .activity_kind = activity};
        ev = retain_events_new(&eo, &diag);
        if (!ev) {
            retain_stages_free(stages);
            return cli_report(c, &diag);
        }
        code = signals_read_customers(c, operands[0], ev);
        for (int k = RETAIN_TABLE_EVENTS; k <= RETAIN_TABLE_ORDERS && code == EXIT_OK; k++) {
            if (path[k])
                code = signals_read_events(c, (retain_table_kind)k, path[k], ev);
        }
        retain_day latest;
        if (code != EXIT_OK || !guessed ||
            !retain_events_latest(ev, RETAIN_EVENT_ACTIVITY, &latest) || latest == as_of)
            break;
        as_of = latest; /* a later event than the end of the file has: again */
        guessed = false;
        c->quiet = true; /* its notes were said */
        retain_events_free(ev);
    }
    c->quiet = quiet;
    o.tables[RETAIN_EVENT_ACTIVITY] = true;
    o.tables[RETAIN_EVENT_TICKET] = path[RETAIN_TABLE_TICKETS] != NULL;
    o.tables[RETAIN_EVENT_ANSWER] = path[RETAIN_TABLE_SURVEY] != NULL;
    o.tables[RETAIN_EVENT_ORDER] = path[RETAIN_TABLE_ORDERS] != NULL;
    o.has_mrr = c->has_mrr;
    retain_risk *r = NULL;
    if (code == EXIT_OK && retain_risk_compute(ev, &o, &r, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK) {
        cli_verbose(c, retain_events_customers(ev), retain_events_bytes(ev));
        retain_print p = cli_print(c);
        code = cli_finish_output(c, summary ? retain_risk_write_summary(r, &o, &p)
                                            : retain_risk_write(r, ev, &o, c->by, &p));
    }
    retain_risk_free(r);
    retain_events_free(ev);
    retain_stages_free(stages);
    return code;
}
