/* retain mrr: revenue retention per period (MRR movements, NRR, GRR, quick
 * ratio), or the customers behind it. */
#include <string.h>

#include "cli.h"
#include "commands.h"

enum { OPT_ANNUAL = OPT_FIRST_FREE, OPT_CUSTOMERS };

static const cli_opt options[] = {
    {CLI_PERIOD(NULL)},
    {CLI_AS_OF},
    {CLI_MERGE_GAP},
    {CLI_FROM},
    {CLI_TO},
    {CLI_BY("one block of periods per value of column COL (a\ncustomer's segment: that of its "
            "serving row of\nlargest MRR); adds moved_in and moved_out")},
    {CLI_MAX_SEGMENTS},
    {"annual", OPT_ANNUAL, NULL, "print ARR (MRR x 12): arr_start, arr_end and every\namount x 12"},
    {"customers", OPT_CUSTOMERS, NULL,
     "one row per customer and period instead (its m0, m1\nand movement): who expanded, who "
     "churned"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command mrr_command = {
    .name = "mrr",
    .summary = "revenue retention per period: MRR movements, NRR, GRR, quick ratio",
    .usage = "Usage: retain mrr [OPTIONS] [FILE...]\n"
             "Revenue retention per period from a customer table with an MRR column (CSV;\n"
             "stdin when FILE is absent or '-').\n"
             "\n"
             "Point to point: m0 = a customer's MRR the day before the period, m1 = on its\n"
             "last day (the sum over its rows serving that day). mrr_start = sum of m0,\n"
             "mrr_end = sum of m1; new (m0 = 0, never paid before), reactivation (m0 = 0,\n"
             "paid before), expansion, contraction, churned (m1 = 0); mrr_end = mrr_start +\n"
             "new + reactivation + expansion - contraction - churned. nrr_pct = (mrr_start\n"
             "+ expansion - contraction - churned) / mrr_start x 100, grr_pct = (mrr_start -\n"
             "contraction - churned) / mrr_start x 100, revenue_churn_pct = 100 - grr_pct,\n"
             "quick_ratio = (new + reactivation + expansion) / (contraction + churned).\n",
    .options = options,
    .examples = "  retain mrr crm.csv\n"
                "  retain mrr --period quarter --by plan --format table crm.csv\n"
                "  retain mrr --period year --annual --arr --mrr \"ARR (converted)\" hubspot.csv\n"
                "  retain mrr --customers --from 2024-06 --to 2024-06 crm.csv | grep churned\n",
    .period_day = true,
    .max_files = 64, /* one table in several files: cli_read_table */
    .run = run,
};

typedef struct {
    retain_mrr *mrr;
    const retain_reader *reader; /* set by cli_read_table */
} mrr_ctx;

static void reserve(void *user, size_t rows)
{
    mrr_ctx *x = user;
    retain_mrr_reserve(x->mrr, rows);
}

/* The library's row function, and the MRR column named as the file has
 * it when a row's MRR is what is wrong. */
static retain_status on_row(const retain_row *row, void *user, retain_diag *diag)
{
    mrr_ctx *x = user;
    retain_status st = retain_mrr_add_row(row, x->mrr, diag);
    if (st == RETAIN_ERR_DATA && row->has_mrr && row->mrr < 0 && x->reader) {
        const char *col = retain_reader_column(x->reader, RETAIN_COL_MRR);
        snprintf(diag->column, sizeof diag->column, "%s", col ? col : "");
    }
    return st;
}

typedef bool (*ratio_fn)(const retain_mrr_row *row, int decimals, char *buf);

static int print_table(cli *c, const retain_mrr *m, bool annual)
{
    const char *names[20];
    size_t ncols = 0;
    if (c->by)
        names[ncols++] = c->by;
    static const char *const head[] = {"period", "customers_start", "customers_end", "mrr_start",
                                       "new",    "expansion",       "reactivation",  "contraction",
                                       "churned"};
    static const char *const tail[] = {"mrr_end", "nrr_pct", "grr_pct", "quick_ratio",
                                       "revenue_churn_pct"};
    for (size_t i = 0; i < 9; i++)
        names[ncols++] = i == 3 && annual ? "arr_start" : head[i];
    if (c->by) {
        names[ncols++] = "moved_in";
        names[ncols++] = "moved_out";
    }
    for (size_t i = 0; i < 5; i++)
        names[ncols++] = i == 0 && annual ? "arr_end" : tail[i];
    static const ratio_fn ratios[] = {retain_mrr_nrr_pct, retain_mrr_grr_pct,
                                      retain_mrr_quick_ratio, retain_mrr_revenue_churn_pct};
    retain_writer *w = cli_writer(c, names, ncols, false);
    if (!w)
        return cli_nomem(c);
    for (size_t g = 0; g < retain_mrr_segments(m); g++) {
        size_t seglen;
        const char *seg = retain_mrr_segment(m, g, &seglen);
        for (size_t p = 0; p < retain_mrr_periods(m); p++) {
            retain_mrr_row r;
            char buf[RETAIN_NUMBER_BUFSIZE];
            retain_mrr_get(m, g, p, &r);
            cli_segment_period(c, w, seg, seglen, r.period);
            retain_writer_int(w, r.customers_start);
            retain_writer_int(w, r.customers_end);
            retain_money amounts[] = {r.mrr_start,   r.new_mrr, r.expansion, r.reactivation,
                                      r.contraction, r.churned, r.moved_in,  r.moved_out};
            for (size_t i = 0; i < 8; i++)
                if (i < 6 || c->by)
                    retain_writer_money(w, amounts[i], c->precision);
            retain_writer_money(w, r.mrr_end, c->precision);
            for (size_t i = 0; i < 4; i++)
                ratios[i](&r, c->precision, buf) ? retain_writer_number(w, buf)
                                                 : retain_writer_empty(w);
            retain_writer_end_row(w);
        }
    }
    return cli_finish_output(c, w);
}

typedef struct {
    const cli *c;
    retain_writer *w;
} customers_ctx;

static retain_status customer_row(const retain_mrr_customer *row, void *user)
{
    customers_ctx *x = user;
    char label[16];
    retain_period_label(x->c->period, row->period, label);
    retain_writer_text(x->w, row->id, row->id_len);
    retain_writer_text(x->w, label, strlen(label));
    if (x->c->by) {
        retain_writer_text(x->w, row->segment, row->segment_len);
        retain_writer_text(x->w, row->from_segment, row->from_segment_len);
    }
    retain_writer_money(x->w, row->m0, x->c->precision);
    retain_writer_money(x->w, row->m1, x->c->precision);
    const char *what = retain_mrr_movement_name(row->movement);
    retain_writer_text(x->w, what, strlen(what));
    return retain_writer_end_row(x->w);
}

static int print_customers(cli *c, const retain_mrr *m)
{
    const char *names[8];
    size_t ncols = 0;
    names[ncols++] = "id";
    names[ncols++] = "period";
    if (c->by) {
        names[ncols++] = c->by;
        names[ncols++] = "moved_from";
    }
    names[ncols++] = "m0";
    names[ncols++] = "m1";
    names[ncols++] = "movement";
    customers_ctx x = {c, cli_writer(c, names, ncols, false)};
    if (!x.w)
        return cli_nomem(c);
    retain_status st = retain_mrr_customers_each(m, customer_row, &x);
    if (st == RETAIN_ERR_NOMEM) {
        retain_writer_free(x.w);
        return cli_nomem(c);
    }
    return cli_finish_output(c, x.w);
}

static int run(cli *c, int argc, char **argv)
{
    bool annual = false, customers = false;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        if (opt == OPT_ANNUAL)
            annual = true;
        else
            customers = true;
    }
    if (opt == CLI_DONE)
        return c->code;
    retain_mrr_options o = {.period = c->period,
                            .has_as_of = c->has_as_of,
                            .as_of = c->as_of,
                            .has_from = c->has_from,
                            .from = c->from,
                            .has_to = c->has_to,
                            .to = c->to,
                            .merge_gap = c->merge_gap,
                            .segments = c->by != NULL,
                            .ids = customers,
                            .annual = annual};
    c->input.need_mrr = true;  /* revenue retention needs revenue */
    c->input.unordered = true; /* the movements do not depend on the order of rows */
    mrr_ctx x = {retain_mrr_new(&o), NULL};
    if (!x.mrr)
        return cli_nomem(c);
    c->reserve = reserve;
    int code = cli_read_table(c, argc, argv, on_row, &x, &x.reader);
    retain_diag diag;
    if (code == EXIT_OK && retain_mrr_finish(x.mrr, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK) {
        cli_verbose(c, retain_mrr_customers(x.mrr), retain_mrr_bytes(x.mrr));
        uint64_t at, of;
        unsigned long n = retain_mrr_duplicates(x.mrr, &at, &of);
        cli_report_duplicates(c, n, at, of);
        retain_day last_day;
        if (retain_mrr_partial(x.mrr, &last_day)) {
            retain_mrr_row last;
            retain_mrr_get(x.mrr, 0, retain_mrr_periods(x.mrr) - 1, &last);
            cli_partial_note(c, last.period, last_day, retain_mrr_as_of(x.mrr), "m1 is the MRR on");
        }
        code = customers ? print_customers(c, x.mrr) : print_table(c, x.mrr, annual);
    }
    retain_mrr_free(x.mrr);
    return code;
}
