/* retain referral: referral programme tiers, conversion per deal source,
 * referred customers against the others (LTV, CAC), ROI, referrers. */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "signals.h"
#include "tables.h"

enum {
    OPT_REFERRALS = OPT_FIRST_FREE,
    OPT_DEALS,
    OPT_SURVEY,
    OPT_EVENTS,
    OPT_SPEND_TABLE,
    OPT_REWARD_PCT,
    OPT_MARGIN,
    OPT_SUMMARY,
    OPT_AMBASSADORS
};

static const cli_opt options[] = {
    {"referrals", OPT_REFERRALS, "FILE",
     "referrals: referrer, referred id, date, reward\n(required)"},
    {"deals", OPT_DEALS, "FILE", "deals: source, created, outcome or stage, closed"},
    {"survey", OPT_SURVEY, "FILE", "NPS answers: id, date, score"},
    {"events", OPT_EVENTS, "FILE", "product events: id, date (an advocate is not silent)"},
    {"spend-table", OPT_SPEND_TABLE, "FILE",
     "acquisition spend: period, channel, spend (the\n\"referral\" channel is the programme's)"},
    {CLI_PERIOD("what the spend table's periods are (default month)")},
    {"reward-pct", OPT_REWARD_PCT, "P",
     "rewards are P % (0-100) of each referred customer's\nfirst-year contract value, 12 x its "
     "first MRR"},
    {"margin", OPT_MARGIN, "M", "gross margin for LTV, 0.8 or 80% (default 1)"},
    {CLI_AS_OF},
    {CLI_MERGE_GAP},
    {"summary", OPT_SUMMARY, NULL,
     "instead, per deal source and for referred customers\nagainst the others: conversion, LTV, "
     "CAC, ROI"},
    {"ambassadors", OPT_AMBASSADORS, NULL,
     "instead, per referrer: referrals, conversion, MRR\nbrought, days to signature"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command referral_command = {
    .name = "referral",
    .summary = "referral programme: tiers, conversion per source, referred LTV and CAC, ROI",
    .usage = "Usage: retain referral [OPTIONS] --referrals FILE [CUSTOMERS]\n"
             "Is the referral programme paying for itself? A referral is successful when\n"
             "the referred company became a customer on or after the referral's day. Tier\n"
             "of each active customer: ambassador (5 successful referrals in 24 months),\n"
             "referrer (1), advocate (365 days, NPS >= 9, not silent); candidate = NPS >= 9\n"
             "without tier referrer. --summary: per deal source, deals, close_rate_pct =\n"
             "won / (won + lost) x 100 and days to close; referred customers against the\n"
             "others, ARPU, churn, LTV (as retain ltv), CAC = cost / new customers,\n"
             "LTV:CAC, and roi_pct = (LTV x new - cost) / cost x 100.\n",
    .options = options,
    .examples = "  retain referral --referrals referrals.csv --survey nps.csv crm.csv\n"
                "  retain referral --summary --referrals referrals.csv --deals deals.csv \\\n"
                "      --spend-table spend.csv crm.csv\n"
                "  retain referral --ambassadors --referrals referrals.csv crm.csv\n",
    .max_files = 64, /* one table in several files: cli_read_table */
    .tables = (const retain_table_kind[]){RETAIN_TABLE_REFERRALS, RETAIN_TABLE_DEALS,
                                          RETAIN_TABLE_SURVEY, RETAIN_TABLE_EVENTS, 0},
    .run = run,
};

typedef struct {
    retain_referral *r;
    retain_table_kind kind;
} sink;

static retain_status on_customer(const retain_row *row, void *user, retain_diag *diag)
{
    return retain_referral_add_customer(((sink *)user)->r, row, diag);
}

static void reserve(void *user, size_t rows)
{
    retain_referral_reserve(((sink *)user)->r, rows); /* a hint: failing is no error */
}

static retain_status on_referral(const retain_row *row, void *user, retain_diag *diag)
{
    return retain_referral_add_referral(((sink *)user)->r, row, diag);
}

static retain_status on_deal(const retain_row *row, void *user, retain_diag *diag)
{
    return retain_referral_add_deal(((sink *)user)->r, row, diag);
}

static retain_status on_event(const retain_row *row, void *user, retain_diag *diag)
{
    sink *s = user;
    return retain_referral_add_event(s->r, s->kind, row, diag);
}

/* The tables beside the customer table, in the order the library takes
 * them, with the note on rows naming no customer. */
static int read_tables(cli *c, retain_referral *r, const char *const *path)
{
    static const retain_table_kind kinds[] = {RETAIN_TABLE_REFERRALS, RETAIN_TABLE_DEALS,
                                              RETAIN_TABLE_SURVEY, RETAIN_TABLE_EVENTS};
    static const char *const what[] = {"referral", NULL, "answer", "row"};
    int code = EXIT_OK;
    for (int k = 0; k < 4 && code == EXIT_OK; k++) {
        if (!path[k])
            continue;
        sink s = {r, kinds[k]};
        retain_row_fn fn = k == 0 ? on_referral : k == 1 ? on_deal : on_event;
        /* the later line wins among answers of a day */
        c->input.unordered = false;
        code = cli_read_other(c, kinds[k], path[k], 0, 0, 0, fn, &s);
        retain_diag diag;
        if (code == EXIT_OK && k == 0 && retain_referral_referrals_done(r, &diag) != RETAIN_OK)
            code = cli_report(c, &diag);
        unsigned long line;
        uint64_t unknown = what[k] ? retain_referral_unknown(r, kinds[k], &line) : 0;
        if (code == EXIT_OK && unknown)
            signals_note_unknown(c, path[k], unknown, what[k], line);
    }
    return code;
}

static int read_spend(cli *c, retain_referral *r, const char *path)
{
    int code = EXIT_OK;
    FILE *f = cli_open(c, path, &code);
    if (!f)
        return code;
    retain_table *t = NULL;
    retain_diag d;
    retain_status st = retain_table_read(f, 0, &t, &d);
    cli_close(f);
    retain_spend_options so = {.period = c->period, .decimal = c->input.decimal};
    if (st == RETAIN_OK)
        st = retain_referral_add_spend(r, t, &so, &d);
    retain_table_free(t);
    return st == RETAIN_OK ? EXIT_OK : cli_report_file(c, path, &d);
}

static int run(cli *c, int argc, char **argv)
{
    retain_referral_options o = {.margin = 1};
    const char *path[4] = {NULL}; /* referrals, deals, survey, events */
    const char *spend = NULL;
    bool summary = false, ambassadors = false;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        double v;
        switch (opt) {
        case OPT_REFERRALS:
        case OPT_DEALS:
        case OPT_SURVEY:
        case OPT_EVENTS:
            path[opt - OPT_REFERRALS] = optarg;
            break;
        case OPT_SPEND_TABLE:
            spend = optarg;
            break;
        case OPT_REWARD_PCT:
            if (!cli_number(c, optarg, CLI_NUM_PERCENT, "a percentage from 0 to 100", 0, 100, &v))
                return EXIT_USAGE;
            o.has_reward_pct = true;
            o.reward_pct = (retain_money)llround(v * RETAIN_MONEY_SCALE);
            break;
        case OPT_MARGIN:
            if (!cli_number(c, optarg, CLI_NUM_FRACTION, "a fraction from 0 to 1 (0.8 for 80 %)", 0,
                            1, &o.margin))
                return EXIT_USAGE;
            break;
        case OPT_SUMMARY:
            summary = true;
            break;
        case OPT_AMBASSADORS:
            ambassadors = true;
            break;
        }
    }
    if (opt == CLI_DONE)
        return c->code;
    if (!path[0])
        return cli_usage_error(c, "--referrals FILE is required (the referrals table)");
    if (summary && ambassadors)
        return cli_usage_error(c, "--summary and --ambassadors print different tables: one at "
                                  "a time");
    /* stdin can be read once */
    int stdin_tables = optind == argc;
    for (int k = optind; k < argc; k++)
        stdin_tables += strcmp(argv[k], "-") == 0;
    for (int k = 0; k < 4; k++)
        stdin_tables += path[k] && strcmp(path[k], "-") == 0;
    stdin_tables += spend && strcmp(spend, "-") == 0;
    if (stdin_tables > 1)
        return cli_usage_error(c, "only one table can be read from stdin (the customer table "
                                  "when no CUSTOMERS file is named)");
    o.want = summary       ? RETAIN_REFERRAL_SUMMARY
             : ambassadors ? RETAIN_REFERRAL_REFERRERS
                           : RETAIN_REFERRAL_TIERS;
    o.has_as_of = c->has_as_of;
    o.as_of = c->as_of;
    o.merge_gap = c->merge_gap;
    retain_diag diag;
    retain_referral *r = retain_referral_new(&o, &diag);
    if (!r)
        return cli_report(c, &diag);
    sink s = {r, RETAIN_TABLE_CUSTOMERS};
    c->input.unordered = true; /* lives do not depend on the order of rows */
    c->reserve = reserve;
    int code = cli_read_table(c, argc, argv, on_customer, &s, NULL);
    c->reserve = NULL; /* not for the other tables */
    if (code == EXIT_OK && retain_referral_customers_done(r, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK)
        code = read_tables(c, r, path);
    if (code == EXIT_OK && spend)
        code = read_spend(c, r, spend);
    if (code == EXIT_OK && retain_referral_finish(r, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK) {
        CLI_REPORT_DUPLICATES(c, retain_referral_duplicates, r);
        cli_verbose(c, retain_referral_customers(r), retain_referral_bytes(r));
        retain_print p = cli_print(c);
        code = cli_finish_output(c, summary       ? retain_referral_write_summary(r, &p)
                                    : ambassadors ? retain_referral_write_referrers(r, &p)
                                                  : retain_referral_write(r, &p));
    }
    retain_referral_free(r);
    return code;
}
