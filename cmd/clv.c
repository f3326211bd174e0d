/* retain clv: customer value from an orders table (BG/NBD, Gamma-Gamma),
 * or retention projected from a customer table (sBG). */
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "orders.h"

enum {
    OPT_MODEL = OPT_FIRST_FREE,
    OPT_HOLDOUT,
    OPT_HORIZON,
    OPT_MONTHS,
    OPT_DISCOUNT,
    OPT_FIT_ONLY,
    OPT_PARAMS,
    OPT_WITH_PARAMS
};

static const cli_opt options[] = {
    {"model", OPT_MODEL, "M",
     "bgnbd (default: BG/NBD and Gamma-Gamma on an orders\ntable) or sbg (shifted "
     "beta-geometric on a customer\ntable)"},
    {"as-of", OPT_AS_OF, "DATE",
     "observation day: orders after it are left out (default:\nthe latest order; sbg: the "
     "latest start)"},
    {ORDERS_UNIT_OPT},
    {"holdout-from", OPT_HOLDOUT, "DATE",
     "calibrate up to DATE - 1, then compare predicted and\nactual repeat purchases from "
     "DATE to as-of per\nfrequency 0..7+"},
    {"horizon", OPT_HORIZON, "N",
     "expected purchases over the next N units (default 52\nweeks, 364 days); sbg: periods "
     "projected (default\nthe observed ones + 5)"},
    {"months", OPT_MONTHS, "M", "months of 30 days summed in the CLV (default 12)"},
    {"discount", OPT_DISCOUNT, "D",
     "discount rate per month, 0.01 or 1% (default 0.01);\nsbg: per period (default 0.10 a "
     "year, 0.01 a month)"},
    {CLI_PERIOD("sbg: renewal period, year (default) or month")},
    {"fit-only", OPT_FIT_ONLY, NULL, "print the fitted parameters (model,parameter,value)"},
    {"params", OPT_PARAMS, "FILE", "also write the fitted parameters into FILE"},
    {"with-params", OPT_WITH_PARAMS, "FILE",
     "no fit: the parameters of FILE (as --fit-only prints\nthem)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command clv_command = {
    .name = "clv",
    .summary = "customer value from orders (BG/NBD, Gamma-Gamma), renewals (sBG)",
    .usage = "Usage: retain clv [OPTIONS] [FILE]\n"
             "       retain clv --model sbg [--period year|month] [OPTIONS] [FILE]\n"
             "From an orders table (CSV; stdin when FILE is absent or '-'; orders of one day\n"
             "are one purchase), fits BG/NBD (r, alpha, a, b) on each customer's (x, t_x, T)\n"
             "and Gamma-Gamma (p, q, gamma) on the repeat buyers' mean spend, by maximum\n"
             "likelihood, then per customer: p_alive, expected_purchases in the next\n"
             "--horizon units, expected_value (spend per purchase) and clv = sum over months\n"
             "i = 1..M of (E[Y(30 i days)] - E[Y(30 (i - 1) days)]) x expected_value /\n"
             "(1 + d)^i.\n"
             "With --model sbg, from a customer table: the shifted beta-geometric model\n"
             "(alpha, beta) of renewals per period, and per period the projected survival,\n"
             "retention and discounted expected residual lifetime (derl).\n",
    .options = options,
    .tables = ORDERS_TABLES,
    .examples =
        "  retain clv orders.csv\n"
        "  retain clv --unit week --fit-only --orders-id sampleid --date-format %Y%m%d "
        "cdnow.csv\n"
        "  retain clv --holdout-from 1997-10-01 --unit week --orders-id sampleid --date-format "
        "%Y%m%d cdnow.csv\n"
        "  retain clv --model sbg --period year contracts.csv\n",
    .run = run,
};

typedef struct {
    bool sbg;
    bool has_holdout;
    retain_day holdout_from;
    double unit_days;
    bool has_horizon, has_discount, fit_only;
    double horizon, discount;
    long long months;
    const char *params, *with_params;
} clv_opts;

/* What a fit gives: the parameters of BG/NBD and Gamma-Gamma (clv), or
 * of sBG (m, data, kind), and how to write them. */
typedef struct {
    const retain_clv *clv;
    double unit_days;
    const retain_sbg *m;
    const retain_sbg_data *data;
    retain_period_kind kind;
} fit;

/* The parameter table (a cli_table_fn). */
static retain_writer *write_params(const void *arg, const retain_print *p)
{
    const fit *f = arg;
    return f->clv ? retain_clv_write_params(f->clv, f->unit_days, p)
                  : retain_sbg_write_params(f->m, f->data, f->kind, p);
}

/* The parameter table: into --params FILE (CSV) and, with --fit-only, on
 * stdout. */
static int emit_params(const cli *c, const clv_opts *o, fit *fitted)
{
    fitted->unit_days = o->unit_days;
    int code =
        o->params ? cli_save_table(c, o->params, "the parameters", write_params, fitted) : EXIT_OK;
    retain_print p = cli_print(c);
    if (code == EXIT_OK && o->fit_only)
        code = cli_finish_output(c, write_params(fitted, &p));
    return code;
}

/* --with-params FILE into the options. */
static int read_params(cli *c, const clv_opts *o, retain_clv_options *co)
{
    retain_table *t = NULL;
    int code = cli_read_small(c, o->with_params, 0, &t);
    retain_diag d;
    retain_status st = code == EXIT_OK ? retain_clv_options_params(co, t, &d) : RETAIN_OK;
    retain_table_free(t);
    if (st == RETAIN_ERR_USAGE) /* "FILE was fitted in weeks: give --unit week" */
        return cli_usage_error(c, "%s %s", o->with_params, d.message);
    return st == RETAIN_OK ? code : cli_report_file(c, o->with_params, &d);
}

static int run_bgnbd(cli *c, int argc, char **argv, const clv_opts *o)
{
    retain_clv_options co;
    retain_clv_options_init(&co, o->unit_days);
    co.months = (int)o->months;
    if (o->has_horizon)
        co.horizon = o->horizon;
    if (o->has_discount)
        co.discount = o->discount;
    if (o->with_params) {
        int code = read_params(c, o, &co);
        if (code != EXIT_OK)
            return code;
    }
    retain_orders_options oo = {.has_as_of = c->has_as_of,
                                .as_of = c->as_of,
                                .has_holdout = o->has_holdout,
                                .holdout_from = o->holdout_from};
    retain_orders *orders = retain_orders_new(&oo);
    if (!orders)
        return o->has_holdout && c->has_as_of && o->holdout_from > c->as_of
                   ? cli_usage_error(c, "--holdout-from is after --as-of: no holdout")
                   : cli_nomem(c);
    int code = orders_read(c, argc, argv, orders, true);
    if (code == EXIT_OK)
        code = orders_finish(c, orders);
    retain_clv *clv = NULL;
    if (code == EXIT_OK) {
        retain_diag d;
        retain_diag_clear(&d);
        if (retain_clv_run(orders, &co, &clv, &d) != RETAIN_OK)
            code = cli_report(c, &d);
    }
    if (code == EXIT_OK)
        code = emit_params(c, o, &(fit){.clv = clv});
    retain_print p = cli_print(c);
    if (code == EXIT_OK && !o->fit_only)
        code = cli_finish_output(c, retain_clv_write_run(clv, orders, o->unit_days, &p));
    if (clv)
        cli_verbose(c, retain_orders_customers(orders), retain_orders_bytes(orders));
    retain_clv_free(clv);
    retain_orders_free(orders);
    return code;
}

/* ---- sBG ---- */

static int run_sbg(cli *c, int argc, char **argv, const clv_opts *o)
{
    if (o->has_holdout || o->with_params)
        return cli_usage_error(c, "%s goes with --model bgnbd",
                               o->has_holdout ? "--holdout-from" : "--with-params");
    retain_sbg_options so = {.has_period = c->period_given,
                             .period = c->period,
                             .has_discount = o->has_discount,
                             .discount = o->discount,
                             .has_horizon = o->has_horizon,
                             .horizon = (size_t)o->horizon};
    retain_diag d;
    retain_diag_clear(&d);
    if (retain_sbg_options_resolve(&so, &d) != RETAIN_OK)
        return cli_report(c, &d);
    retain_lives_options lo = {.has_as_of = c->has_as_of, .as_of = c->as_of};
    retain_lives *lives = retain_lives_new(&lo);
    if (!lives)
        return cli_nomem(c);
    c->input.ignore_mrr = true;
    int code = cli_read_table(c, argc, argv, retain_sbg_add_row, lives, NULL);
    retain_sbg_data data = {0};
    retain_sbg m;
    if (code == EXIT_OK && retain_sbg_fit_lives(lives, &so, &data, &m, &d) != RETAIN_OK)
        code = cli_report(c, &d);
    if (code == EXIT_OK)
        CLI_REPORT_DUPLICATES(c, retain_lives_duplicates, lives);
    char caveat[256];
    if (code == EXIT_OK && retain_sbg_caveat(&m, so.period, caveat, sizeof caveat))
        cli_note(c, "%s", caveat);
    if (code == EXIT_OK)
        code = emit_params(c, o, &(fit){.m = &m, .data = &data, .kind = so.period});
    if (code == EXIT_OK && !o->fit_only) {
        retain_print p = cli_print(c);
        code = cli_finish_output(
            c, retain_sbg_write(&m, &data, retain_sbg_horizon(&so, &data), so.discount, &p));
    }
    retain_sbg_data_free(&data);
    retain_lives_free(lives);
    return code;
}

/* ---- options ---- */

static int run(cli *c, int argc, char **argv)
{
    clv_opts o = {.unit_days = 1, .months = 12};
    const cli_arg args[] = {
        CLI_ARG_NUMBER(OPT_HORIZON, &o.horizon, &o.has_horizon, CLI_NUM_PLAIN,
                       "a number of units from 0 to 100000", 0, 100000),
        CLI_ARG_NUMBER(OPT_DISCOUNT, &o.discount, &o.has_discount, CLI_NUM_FRACTION,
                       "a rate per period such as 0.01 or 1%", 0, 1),
        CLI_ARG_COUNT(OPT_MONTHS, &o.months, NULL, "a number of months from 1 to 1200", 1, 1200),
        CLI_ARG_DATE(OPT_HOLDOUT, &o.holdout_from, &o.has_holdout),
        CLI_ARG_FLAG(OPT_FIT_ONLY, &o.fit_only),
        CLI_ARG_TEXT(OPT_PARAMS, &o.params),
        CLI_ARG_TEXT(OPT_WITH_PARAMS, &o.with_params),
        {0},
    };
    cli_args(c, args);
    int opt;
    bool bad;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        switch (opt) {
        case OPT_MODEL:
            if (strcmp(optarg, "sbg") == 0)
                o.sbg = true;
            else if (strcmp(optarg, "bgnbd") != 0)
                return cli_usage_error(c, "--model takes bgnbd or sbg, not '%s'", optarg);
            break;
        default:
            if (!orders_option(c, opt, optarg, &o.unit_days, &bad) || bad)
                return bad ? c->code : EXIT_USAGE;
        }
    }
    if (opt == CLI_DONE)
        return c->code;
    if (o.with_params && (o.fit_only || o.params))
        return cli_usage_error(c, "--with-params uses parameters: it cannot fit them (--%s)",
                               o.fit_only ? "fit-only" : "params");
    return o.sbg ? run_sbg(c, argc, argv, &o) : run_bgnbd(c, argc, argv, &o);
}
