/* retain score: each customer's probability of churning within the horizon,
 * from a logistic regression learned on earlier cutoffs (libretain's
 * retain/score.h), its held-out evaluation, or the feature table. */
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "signals.h"
#include "tables.h"

enum {
    OPT_EVENTS = OPT_FIRST_FREE,
    OPT_TICKETS,
    OPT_SURVEY,
    OPT_ORDERS,
    OPT_SCORE_BY,
    OPT_HORIZON,
    OPT_TRAIN_DAYS,
    OPT_C,
    OPT_REPORT,
    OPT_FEATURES,
    OPT_MODEL,
    OPT_APPLY
};

static const cli_opt options[] = {
    {"events", OPT_EVENTS, "FILE",
     "product events (id, date, kind, value): silence,\nusage, "
     "activation"},
    {"tickets", OPT_TICKETS, "FILE", "support tickets (id, date)"},
    {"survey", OPT_SURVEY, "FILE", "NPS answers (id, date, score)"},
    {"orders", OPT_ORDERS, "FILE", "orders (id, date, amount): revenue change"},
    {"by", OPT_SCORE_BY, "COL", "one feature per value of column COL (repeatable)"},
    {CLI_AS_OF},
    {"horizon", OPT_HORIZON, "DAYS", "churn within DAYS after a cutoff (default 90)"},
    {"train-days", OPT_TRAIN_DAYS, "DAYS",
     "training cutoffs every 30 days over DAYS before the\nheld-out one (default 365)"},
    {"c", OPT_C, "C",
     "LIBLINEAR's C, the inverse of the penalty (default:\nchosen on the latest "
     "training cutoff)"},
    {"report", OPT_REPORT, NULL,
     "print the evaluation instead of the scores: AUC,\nBrier, log loss, calibration, lift, "
     "coefficients"},
    {"features", OPT_FEATURES, NULL, "print the feature table of every cutoff instead"},
    {"model", OPT_MODEL, "FILE", "save the fitted model to FILE"},
    {"apply", OPT_APPLY, "FILE", "score with the model in FILE instead of fitting one"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command score_command = {
    .name = "score",
    .summary = "each customer's churn probability, learned from past churners",
    .usage = "Usage: retain score [OPTIONS] [FILE]\n"
             "Each customer's probability of churning within the horizon H, from a logistic\n"
             "regression (L2, LIBLINEAR) learned on the customers of earlier cutoffs: at each\n"
             "cutoff c, the features known on c (tenure, stage, MRR, silence, usage, tickets,\n"
             "NPS, --by values) against whether the life ended in (c, c + H]. Evaluated on\n"
             "the held-out cutoff as-of - H; scores the customers active on as-of:\n"
             "p_churn, expected_mrr_loss = p_churn x MRR and the three factors that raise\n"
             "each one's risk most.\n",
    .options = options,
    .examples = "  retain score --events events.csv --tickets tickets.csv crm.csv\n"
                "  retain score --report --events events.csv --by plan crm.csv\n"
                "  retain score --events events.csv --model churn.model crm.csv\n"
                "  retain score --events events.csv --apply churn.model crm.csv\n",
    .tables = (const retain_table_kind[]){RETAIN_TABLE_EVENTS, RETAIN_TABLE_TICKETS,
                                          RETAIN_TABLE_SURVEY, RETAIN_TABLE_ORDERS, 0},
    .run = run,
};

typedef struct {
    cli *c;
    retain_score_options o;
    retain_score *score;
    const retain_reader *reader;
    retain_table_kind kind;
} score_ctx;

static retain_status on_customer(const retain_row *row, void *user, retain_diag *diag)
{
    score_ctx *x = user;
    if (!x->score) { /* the header is known: whether there is an MRR column */
        x->o.has_mrr = x->reader && retain_reader_column(x->reader, RETAIN_COL_MRR);
        x->score = retain_score_new(&x->o, diag);
        if (!x->score)
            return diag->status;
        if (x->reader)
            retain_score_expect(x->score, retain_reader_expected_rows(x->reader));
    }
    return retain_score_add_customer_row(x->score, row, diag);
}

static retain_status on_event(const retain_row *row, void *user, retain_diag *diag)
{
    score_ctx *x = user;
    return retain_score_add_row(x->score, x->kind, row, diag);
}

static const struct {
    retain_table_kind kind;
    retain_event_table table;
    const char *what;
} table_of[RETAIN_EVENT_TABLES] = {
    {RETAIN_TABLE_EVENTS, RETAIN_EVENT_ACTIVITY, "event"},
    {RETAIN_TABLE_TICKETS, RETAIN_EVENT_TICKET, "ticket"},
    {RETAIN_TABLE_SURVEY, RETAIN_EVENT_ANSWER, "answer"},
    {RETAIN_TABLE_ORDERS, RETAIN_EVENT_ORDER, "order"},
};

/* --model FILE (a cli_save_fn). */
static retain_status save_model(FILE *out, const void *score, retain_diag *diag)
{
    return retain_logit_save(retain_score_model(score), retain_score_spec(score), out, diag);
}

static int run(cli *c, int argc, char **argv)
{
    const char *path[RETAIN_EVENT_TABLES] = {NULL}, *by[RETAIN_SCORE_MAX_BY];
    const char *model_out = NULL, *model_in = NULL;
    bool report = false, features = false;
    score_ctx x = {.c = c};
    long long n;
    const cli_arg args[] = {
        CLI_ARG_TEXT(OPT_EVENTS, &path[0]),
        CLI_ARG_TEXT(OPT_TICKETS, &path[1]),
        CLI_ARG_TEXT(OPT_SURVEY, &path[2]),
        CLI_ARG_TEXT(OPT_ORDERS, &path[3]),
        CLI_ARG_NUMBER(OPT_C, &x.o.c, NULL, CLI_NUM_PLAIN, "a positive number", 1e-9, 1e9),
        CLI_ARG_FLAG(OPT_REPORT, &report),
        CLI_ARG_FLAG(OPT_FEATURES, &features),
        CLI_ARG_TEXT(OPT_MODEL, &model_out),
        CLI_ARG_TEXT(OPT_APPLY, &model_in),
        {0},
    };
    cli_args(c, args);
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        switch (opt) {
        case OPT_SCORE_BY:
            if (x.o.n_by == RETAIN_SCORE_MAX_BY)
                return cli_usage_error(c, "at most %d --by columns", RETAIN_SCORE_MAX_BY);
            by[x.o.n_by++] = optarg;
            break;
        case OPT_HORIZON:
            if (!cli_count(c, optarg, "a number of days from 1 to 3650", 1, 3650, &n))
                return EXIT_USAGE;
            x.o.horizon = (int32_t)n;
            break;
        case OPT_TRAIN_DAYS:
            if (!cli_count(c, optarg, "a number of days from 30 to 1800", 30, 1800, &n))
                return EXIT_USAGE;
            x.o.train_days = (int32_t)n;
            break;
        }
    }
    if (opt == CLI_DONE)
        return c->code;
    if (report && features)
        return cli_usage_error(c, "--report and --features are two different tables: one of them");
    if (model_in && (model_out || x.o.c > 0))
        return cli_usage_error(c, "--apply scores with a model already fitted: no --model or --c");
    x.o.by = by;
    x.o.has_as_of = c->has_as_of;
    x.o.as_of = c->as_of;
    for (int t = 0; t < RETAIN_EVENT_TABLES; t++)
        x.o.tables[table_of[t].table] = path[t] != NULL;

    /* a bad option or model file fails before any table is read */
    retain_diag diag;
    retain_score *check = retain_score_new(&x.o, &diag);
    if (!check)
        return cli_report(c, &diag);
    retain_score_free(check);
    retain_logit *model = NULL;
    int code = EXIT_OK;
    if (model_in) {
        FILE *in = cli_open(c, model_in, &code);
        if (!in)
            return code;
        retain_status st = retain_logit_load(in, &model, &diag);
        cli_close(in);
        if (st != RETAIN_OK)
            return cli_report_file(c, model_in, &diag);
    }

    c->input.extra = by;
    c->input.n_extra = x.o.n_by;
    code = cli_read_table(c, argc, argv, on_customer, &x, &x.reader);
    const char *customers = c->filename;
    if (code == EXIT_OK && !x.score)
        code = cli_data_error(c, c->filename, 0, NULL, "no customer row");
    if (code == EXIT_OK && retain_score_customers_done(x.score, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK)
        CLI_REPORT_DUPLICATES(c, retain_score_duplicates, x.score);
    for (int t = 0; t < RETAIN_EVENT_TABLES && code == EXIT_OK; t++) {
        if (!path[t])
            continue;
        x.kind = table_of[t].kind;
        code = cli_read_other(c, x.kind, path[t], 0, 0, 0, on_event, &x);
        unsigned long line;
        uint64_t unknown = retain_score_unknown(x.score, table_of[t].table, &line);
        if (code == EXIT_OK && unknown)
            signals_note_unknown(c, path[t], unknown, table_of[t].what, line);
    }
    if (code == EXIT_OK && retain_score_run(x.score, model, &diag) != RETAIN_OK)
        code = cli_report_file(c, model_in ? model_in : customers, &diag);
    if (code == EXIT_OK) {
        cli_verbose(c, retain_score_scored(x.score), 0);
        char caveat[400]; /* what stderr must say before anyone trusts the numbers */
        for (size_t k = 0; retain_score_caveat(x.score, k, caveat, sizeof caveat); k++)
            cli_note(c, "%s", caveat);
        if (model_out)
            code = cli_save(c, model_out, "the model", save_model, x.score);
    }
    if (code == EXIT_OK) {
        retain_print p = cli_print(c);
        int decimals = c->precision_given ? c->precision : 4; /* of probabilities */
        code = cli_finish_output(c, report ? retain_score_write_report(x.score, &x.o, &p, decimals)
                                    : features ? retain_score_write_features(x.score, &p)
                                               : retain_score_write(x.score, &x.o, &p, decimals));
    }
    retain_score_free(x.score);
    retain_logit_free(model);
    return code;
}
