/* retain cohort: cohort retention tables, by customers or by revenue. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

enum { OPT_REVENUE = OPT_FIRST_FREE, OPT_WIDE };

static const cli_opt options[] = {
    {CLI_PERIOD(NULL)},
    {CLI_FROM},
    {CLI_TO},
    {CLI_AS_OF},
    {CLI_MERGE_GAP},
    {CLI_BY("one table per value of column COL")},
    {CLI_MAX_SEGMENTS},
    {"revenue", OPT_REVENUE, NULL,
     "MRR retention: MRR of the cohort's rows active on that\nday / the cohort's starting MRR x "
     "100 (may pass 100)"},
    {"wide", OPT_WIDE, NULL,
     "the classic triangle: one row per cohort, one pct column\nper age (default: one row per "
     "cohort and age)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command cohort_command = {
    .name = "cohort",
    .summary = "cohort retention table: customers (or MRR) kept by age",
    .usage = "Usage: retain cohort [OPTIONS] [FILE...]\n"
             "Cohort retention table from a customer table (CSV; stdin when FILE is absent\n"
             "or '-').\n"
             "\n"
             "A customer's cohort is the period of its first start; age k is the k-th period\n"
             "after it, up to the period holding as-of. For each cohort and age: active =\n"
             "customers of the cohort active on the last day of that period, pct = active /\n"
             "cohort_size x 100. A last row, 'mean', pools the cohorts that reached each age\n"
             "(the mean weighted by cohort size).\n",
    .options = options,
    .examples = "  retain cohort crm.csv\n"
                "  retain cohort --period quarter --wide --format table crm.csv\n"
                "  retain cohort --revenue --by plan crm.csv\n",
    .max_files = 64, /* one table in several files: cli_read_table */
    .run = run,
};

static void reserve(void *co, size_t rows)
{
    retain_cohort_reserve(co, rows);
}

typedef struct {
    const cli *c;
    retain_writer *w;
    retain_period_kind period;
    bool revenue;
    int money_decimals;
} table;

/* The cells every row starts with: [segment,] cohort, cohort_size[,
 * starting_mrr]. cohort < 0 is the mean row. */
static void put_head(const table *t, const retain_cohort *co, size_t g,
                     const retain_cohort_cell *cell)
{
    if (t->c->by) {
        size_t len;
        const char *seg = retain_cohort_segment(co, g, &len);
        retain_writer_text(t->w, seg, len);
    }
    char label[16];
    if (cell->cohort < 0)
        strcpy(label, "mean");
    else
        retain_period_label(t->period, cell->cohort, label);
    retain_writer_text(t->w, label, strlen(label));
    retain_writer_int(t->w, cell->size);
    if (t->revenue) {
        char buf[32];
        retain_money_format(cell->starting_mrr, t->money_decimals, buf);
        retain_writer_number(t->w, buf);
    }
}

static void put_pct(const table *t, const retain_cohort_cell *cell)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    bool defined =
        t->revenue ? retain_format_ratio(cell->mrr, cell->starting_mrr, 100, t->c->precision, buf)
                   : retain_format_ratio(cell->active, cell->size, 100, t->c->precision, buf);
    if (defined)
        retain_writer_number(t->w, buf);
    else
        retain_writer_empty(t->w);
}

static void put_long(const table *t, const retain_cohort *co, size_t g,
                     const retain_cohort_cell *cell, int32_t age)
{
    put_head(t, co, g, cell);
    retain_writer_int(t->w, age);
    if (t->revenue) {
        char buf[32];
        retain_money_format(cell->mrr, t->money_decimals, buf);
        retain_writer_number(t->w, buf);
    } else {
        retain_writer_int(t->w, cell->active);
    }
    put_pct(t, cell);
    retain_writer_end_row(t->w);
}

static void print_long(const table *t, const retain_cohort *co)
{
    size_t n = retain_cohort_cohorts(co), ages = retain_cohort_ages(co);
    for (size_t g = 0; g < retain_cohort_segments(co); g++) {
        for (size_t c = 0; c < n; c++) {
            retain_cohort_cell cell;
            for (int32_t age = 0; retain_cohort_get(co, g, c, age, &cell); age++)
                put_long(t, co, g, &cell, age);
        }
        for (int32_t age = 0; age < (int32_t)ages; age++) {
            retain_cohort_cell cell;
            retain_cohort_mean(co, g, age, &cell);
            put_long(t, co, g, &cell, age);
        }
    }
}

static void print_wide(const table *t, const retain_cohort *co)
{
    size_t n = retain_cohort_cohorts(co), ages = retain_cohort_ages(co);
    for (size_t g = 0; g < retain_cohort_segments(co); g++) {
        for (size_t c = 0; c <= n; c++) { /* c == n: the mean */
            retain_cohort_cell cell;
            if (c < n)
                retain_cohort_get(co, g, c, 0, &cell);
            else
                retain_cohort_mean(co, g, 0, &cell);
            put_head(t, co, g, &cell);
            for (int32_t age = 0; age < (int32_t)ages; age++) {
                bool reached = true;
                if (c < n)
                    reached = retain_cohort_get(co, g, c, age, &cell);
                else
                    retain_cohort_mean(co, g, age, &cell);
                if (reached)
                    put_pct(t, &cell);
                else
                    retain_writer_empty(t->w);
            }
            retain_writer_end_row(t->w);
        }
    }
}

static int print_table(const cli *c, const retain_cohort *co, const retain_cohort_options *o,
                       bool wide)
{
    size_t n = retain_cohort_ages(co);
    size_t ncols = 0;
    const char **names = malloc((n + 8) * sizeof *names);
    char *labels = malloc(n * 24 + 1);
    if (!names || !labels) {
        free(names);
        free(labels);
        return cli_nomem(c);
    }
    if (c->by)
        names[ncols++] = c->by;
    names[ncols++] = "cohort";
    names[ncols++] = "cohort_size";
    if (o->revenue)
        names[ncols++] = "starting_mrr";
    if (wide) {
        for (size_t a = 0; a < n; a++) {
            snprintf(labels + a * 24, 24, "%zu", a);
            names[ncols++] = labels + a * 24;
        }
    } else {
        names[ncols++] = "age";
        names[ncols++] = o->revenue ? "mrr" : "active";
        names[ncols++] = "pct";
    }
    retain_writer *w = cli_writer(c, names, ncols, false);
    free(names);
    free(labels);
    if (!w)
        return cli_nomem(c);
    table t = {c, w, o->period, o->revenue, c->precision > 6 ? 6 : c->precision};
    if (wide)
        print_wide(&t, co);
    else
        print_long(&t, co);
    return cli_finish_output(c, w);
}

static int run(cli *c, int argc, char **argv)
{
    retain_cohort_options o = {.period = c->period};
    bool wide = false;
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        if (opt == OPT_REVENUE)
            o.revenue = true;
        else
            wide = true;
    }
    if (opt == CLI_DONE)
        return c->code;
    o.period = c->period;
    o.as_of = c->as_of;
    o.has_as_of = c->has_as_of;
    o.merge_gap = c->merge_gap;
    o.has_from = c->has_from, o.from = c->from;
    o.has_to = c->has_to, o.to = c->to;
    if (o.revenue)
        c->input.need_mrr = true;
    else
        c->input.ignore_mrr = true; /* customers, not revenue */
    o.segments = c->by != NULL;
    retain_cohort *co = retain_cohort_new(&o);
    c->reserve = reserve;
    if (!co)
        return cli_nomem(c);
    int code = cli_read_table(c, argc, argv, retain_cohort_add_row, co, NULL);
    if (code == EXIT_OK) {
        retain_diag diag;
        code = retain_cohort_finish(co, &diag) == RETAIN_OK ? EXIT_OK : cli_report(c, &diag);
    }
    if (code == EXIT_OK) {
        uint64_t at, of;
        unsigned long n = retain_cohort_duplicates(co, &at, &of);
        cli_report_duplicates(c, n, at, of);
        cli_verbose(c, 0, 0);
        code = print_table(c, co, &o, wide);
    }
    retain_cohort_free(co);
    return code;
}
