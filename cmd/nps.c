/* retain nps: Net Promoter Score per period and segment, the call list, and
 * whether NPS predicts churn. */
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "signals.h"
#include "tables.h"

enum { OPT_LATEST = OPT_FIRST_FREE, OPT_BELOW, OPT_CHURN };

static const cli_opt options[] = {
    {"as-of", OPT_AS_OF, "DATE", "observation day (default: the latest answer)"},
    {CLI_PERIOD(NULL)},
    {"from", OPT_FROM, "PERIOD", "the first period to report (default: the first answer's)"},
    {"to", OPT_TO, "PERIOD", "the last period to report (default: as-of's)"},
    {CLI_BY("one block of periods per value of this column of the\ncustomer table (the "
            "customer's segment on the answer day)")},
    {CLI_MERGE_GAP},
    {"latest", OPT_LATEST, NULL, "count only each customer's last answer in a period"},
    {"below", OPT_BELOW, "SCORE",
     "instead, the call list: customers whose latest answer\nis "
     "below SCORE (9 for US accounts), largest MRR first"},
    {"churn", OPT_CHURN, "DAYS",
     "instead, per group: the share of answers followed by\nthe "
     "end of the customer's life within DAYS days\n(needs CUSTOMERS)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command nps_command = {
    .name = "nps",
    .summary = "Net Promoter Score per period and segment, margin of error, call list",
    .usage = "Usage: retain nps [OPTIONS] SURVEY [CUSTOMERS]\n"
             "Net Promoter Score from survey answers (scores 0-10): per period of the\n"
             "answer and segment, promoters (9-10), passives (7-8), detractors (0-6), their\n"
             "shares, nps = promoters_pct - detractors_pct and moe, its 95 % margin of\n"
             "error, 1.96 x 100 x sqrt((p + d - (p - d)^2) / n). With the customer table\n"
             "(CUSTOMERS), --below lists whom to call and --churn tells whether detractors\n"
             "leave more than promoters here.\n",
    .options = options,
    .examples = "  retain nps survey.csv\n"
                "  retain nps --period quarter --by plan survey.csv crm.csv\n"
                "  retain nps --below 9 survey.csv crm.csv | head\n"
                "  retain nps --churn 90 survey.csv crm.csv\n",
    .max_files = 2,
    .tables = (const retain_table_kind[]){RETAIN_TABLE_SURVEY, 0},
    .run = run,
};

typedef struct {
    retain_nps *nps;
} nps_ctx;

static retain_status on_answer(const retain_row *row, void *user, retain_diag *diag)
{
    nps_ctx *x = user;
    if (!row->has_score)
        return RETAIN_OK; /* not answered */
    return retain_nps_add(x->nps, row->id_len ? row->id : NULL, row->id_len, row->date, row->score,
                          NULL, 0, row->line, diag);
}

static int run(cli *c, int argc, char **argv)
{
    retain_nps_options o = {.below = 9};
    bool below = false;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        long long v;
        switch (opt) {
        case OPT_LATEST:
            o.latest = true;
            break;
        case OPT_BELOW:
            if (!cli_count(c, optarg, "a score from 1 to 11", 1, 11, &v))
                return EXIT_USAGE;
            o.below = (int)v;
            below = true;
            break;
        case OPT_CHURN:
            if (!cli_count(c, optarg, "a number of days", 1, 36525, &v))
                return EXIT_USAGE;
            o.horizon = (int32_t)v;
            break;
        }
    }
    if (opt == CLI_DONE)
        return c->code;
    int code = EXIT_OK, nfiles;
    char **files = cli_operands(c, argc, argv, &nfiles, &code);
    if (!files)
        return code;
    bool customers = argc - optind == 2;
    if (argc - optind == 0)
        return cli_usage_error(c, "the survey table is required (SURVEY [CUSTOMERS])");
    if (below && o.horizon)
        return cli_usage_error(c, "--below and --churn print different tables: one at a time");
    if (!customers && (o.horizon || c->by))
        return cli_usage_error(c, "%s needs the customer table (retain nps SURVEY CUSTOMERS)",
                               o.horizon ? "--churn" : "--by");
    if ((c->has_from || c->has_to) && (below || o.horizon))
        return cli_usage_error(c,
                               "--from and --to narrow the periods of the NPS table: not with %s",
                               below ? "--below" : "--churn");
    o.period = c->period;
    o.has_as_of = c->has_as_of;
    o.as_of = c->as_of;
    o.has_from = c->has_from;
    o.from = c->from;
    o.has_to = c->has_to;
    o.to = c->to;
    retain_day cut = c->has_as_of ? c->as_of : RETAIN_DAY_MAX;
    retain_events_options eo = {.merge_gap = c->merge_gap, .cutoffs = &cut, .n_cutoffs = 1};
    retain_diag diag;
    retain_events *ev = retain_events_new(&eo, &diag);
    if (!ev)
        return cli_report(c, &diag);
    if (customers)
        code = signals_read_customers(c, files[1], ev);
    else if (retain_events_customers_done(ev, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    nps_ctx x = {NULL};
    if (code == EXIT_OK && !(x.nps = retain_nps_new(&o, ev, &diag)))
        code = cli_report(c, &diag);
    /* anonymous answers make a plain NPS; the rest needs whose they are */
    uint32_t optional = customers || o.latest || below ? 0 : RETAIN_ROLE_BIT(RETAIN_COL_ID);
    c->input.unordered = false; /* the later line wins among answers of a day */
    if (code == EXIT_OK)
        code = cli_read_other(c, RETAIN_TABLE_SURVEY, files[0], 0, 0, optional, on_answer, &x);
    if (code == EXIT_OK && retain_nps_finish(x.nps, &diag) != RETAIN_OK) /* options: no file */
        code = diag.status == RETAIN_ERR_USAGE ? cli_report(c, &diag)
                                               : cli_report_file(c, files[0], &diag);
    unsigned long line;
    uint64_t unknown = code == EXIT_OK ? retain_nps_unknown(x.nps, &line) : 0;
    if (unknown)
        signals_note_unknown(c, files[0], unknown, "answer", line);
    retain_print p = cli_print(c);
    if (code == EXIT_OK)
        code = cli_finish_output(c, below       ? retain_nps_write_calls(x.nps, ev, customers, &p)
                                    : o.horizon ? retain_nps_write_churn(x.nps, &p)
                                                : retain_nps_write(x.nps, c->period, c->by, &p));
    retain_nps_free(x.nps);
    retain_events_free(ev);
    return code;
}
