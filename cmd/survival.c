/* retain survival: Kaplan-Meier curves of subscriptions, their summary, and
 * the log-rank test between segments. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* How a run prints. */
typedef struct {
    double unit; /* days per unit */
    int prob_decimals;
    double conf;
    bool has_horizon;
    double horizon; /* days */
} view;

static retain_status put_real(retain_writer *w, double v, int decimals)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    return retain_format_real(v, decimals, buf) ? retain_writer_number(w, buf)
                                                : retain_writer_empty(w);
}

/* A value, or an empty cell when undefined. */
static void put_value(retain_writer *w, bool defined, double v, int decimals)
{
    if (defined)
        put_real(w, v, decimals);
    else
        retain_writer_empty(w);
}

static retain_status put_t(retain_writer *w, const view *v, double days)
{
    if (v->unit == 1.0)
        return retain_writer_int(w, (int64_t)days);
    return put_real(w, days / v->unit, v->prob_decimals);
}

static retain_writer *start_table(const cli *c, const char *const *cols, size_t n)
{
    const char *names[16];
    size_t ncols = 0;
    if (c->by)
        names[ncols++] = c->by;
    for (size_t i = 0; i < n; i++)
        names[ncols++] = cols[i];
    retain_writer *w = cli_writer(c, names, ncols, false);
    return w;
}

static retain_status put_segment(const cli *c, retain_writer *w, const retain_survival *sv,
                                 size_t g)
{
    size_t len;
    const char *seg = retain_survival_segment(sv, g, &len);
    return c->by ? retain_writer_text(w, seg, len) : RETAIN_OK;
}

static int print_curves(const cli *c, const retain_survival *sv, const view *v)
{
    static const char *const cols[] = {"t",        "at_risk", "events", "censored",
                                       "survival", "ci_low",  "ci_high"};
    retain_writer *w = start_table(c, cols, 7);
    if (!w)
        return cli_nomem(c);
    for (size_t g = 0; g < retain_survival_segments(sv); g++) {
        size_t n;
        const retain_km_step *steps = retain_survival_curve(sv, g, &n);
        for (size_t i = 0; i < n; i++) {
            const retain_km_step *s = &steps[i];
            double low = NAN, high = NAN;
            retain_km_ci(s, v->conf, &low, &high);
            put_segment(c, w, sv, g);
            put_t(w, v, s->t);
            int64_t counts[3] = {s->at_risk, s->events, s->censored};
            for (int k = 0; k < 3; k++)
                retain_writer_int(w, counts[k]);
            double p[3] = {s->survival, low, high};
            for (int k = 0; k < 3; k++)
                put_real(w, p[k], v->prob_decimals);
            retain_writer_end_row(w);
        }
    }
    return cli_finish_output(c, w);
}

static int print_summary(const cli *c, const retain_survival *sv, const view *v)
{
    static const char *const cols[] = {"lives",   "events", "censored", "median",
                                       "horizon", "rmst",   "rmst_se"};
    retain_writer *w = start_table(c, cols, 7);
    if (!w)
        return cli_nomem(c);
    for (size_t g = 0; g < retain_survival_segments(sv); g++) {
        retain_survival_summary sum;
        retain_survival_summarize(sv, g, v->has_horizon ? v->horizon : -1, &sum);
        put_segment(c, w, sv, g);
        retain_writer_int(w, sum.lives);
        retain_writer_int(w, sum.events);
        retain_writer_int(w, sum.censored);
        put_value(w, sum.has_median, sum.median / v->unit, c->precision);
        put_value(w, true, sum.horizon / v->unit, c->precision);
        put_value(w, sum.has_rmst, sum.rmst / v->unit, c->precision);
        put_value(w, sum.has_rmst, sum.rmst_se / v->unit, c->precision);
        retain_writer_end_row(w);
    }
    return cli_finish_output(c, w);
}

/* A p-value with two significant digits when small: 4.2e-05 prints
 * 0.000042 (up to 9 decimals), below 1e-9 9.0e-12; never 0.0000 for a
 * p-value above 0. */
static void put_p_value(retain_writer *w, double p, int decimals)
{
    int d = decimals;
    if (p > 0 && p < 1) {
        double want = -floor(log10(p)) + 1;
        if (want > d)
            d = want > 9 ? 9 : (int)want;
    }
    if (p > 0 && p < 1e-9) {
        char buf[32];
        snprintf(buf, sizeof buf, "%.1e", p); /* the C locale: retain never sets one */
        char *e = strchr(buf, 'e');
        if (e && e[1] == '-' && e[2] == '0') /* 9.0e-012 on some libcs: 9.0e-12 */
            memmove(e + 2, e + 3, strlen(e + 3) + 1);
        retain_writer_number(w, buf);
        return;
    }
    put_real(w, p, d);
}

static int print_compare(const cli *c, const retain_survival *sv, const view *v)
{
    static const char *const cols[] = {"lives", "events", "expected", "chisq", "df", "p_value"};
    size_t nseg = retain_survival_segments(sv);
    double *obs = calloc(nseg, sizeof *obs), *expected = calloc(nseg, sizeof *expected);
    retain_writer *w = obs && expected ? start_table(c, cols, 6) : NULL;
    if (!w) {
        free(obs);
        free(expected);
        return cli_nomem(c);
    }
    retain_logrank lr;
    bool tested = retain_survival_logrank(sv, obs, expected, &lr);
    for (size_t g = 0; g < nseg; g++) {
        retain_survival_summary sum;
        retain_survival_summarize(sv, g, 0, &sum);
        put_segment(c, w, sv, g);
        retain_writer_int(w, sum.lives);
        retain_writer_int(w, (int64_t)llround(obs[g]));
        put_real(w, expected[g], c->precision);
        tested ? put_real(w, lr.chisq, c->precision) : retain_writer_empty(w);
        tested ? retain_writer_int(w, lr.df) : retain_writer_empty(w);
        if (tested)
            put_p_value(w, lr.p_value, v->prob_decimals);
        else
            retain_writer_empty(w);
        retain_writer_end_row(w);
    }
    free(obs);
    free(expected);
    return cli_finish_output(c, w);
}

static int run(cli *c, int argc, char **argv)
{
    view v = {.unit = 1.0, .conf = 0.95};
    bool summary = false, compare = false;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        switch (opt) {
        case OPT_UNIT:
            if (strcmp(optarg, "day") == 0)
                v.unit = 1.0;
            else if (strcmp(optarg, "week") == 0)
                v.unit = 7.0;
            else if (strcmp(optarg, "month") == 0)
                v.unit = 365.25 / 12;
            else
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
    v.prob_decimals = c->precision > 4 ? c->precision : 4;
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
            uint64_t at, of;
            unsigned long n = retain_lives_duplicates(retain_survival_lives(sv), &at, &of);
            cli_report_duplicates(c, n, at, of);
            cli_verbose(c, retain_lives_customers(retain_survival_lives(sv)),
                        retain_lives_bytes(retain_survival_lives(sv)));
            if (summary)
                code = print_summary(c, sv, &v);
            else if (compare)
                code = print_compare(c, sv, &v);
            else
                code = print_curves(c, sv, &v);
        }
    }
    retain_survival_free(sv);
    return code;
}
