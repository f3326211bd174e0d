/* retain cac: acquisition cost from flags, or per period (and channel) from
 * a spend table and the new customers of a customer table; with LTV, the
 * LTV:CAC ratio and the payback. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "model.h"

enum {
    OPT_SPEND = OPT_FIRST_FREE,
    OPT_NEW,
    OPT_SPEND_TABLE,
    OPT_LTV_TABLE,
    OPT_LTV,
    OPT_ARPU,
    OPT_MARGIN,
    OPT_MIN_RATIO
};

static const cli_opt options[] = {
    {"spend", OPT_SPEND, "AMOUNT", "one-liner: acquisition spend"},
    {"new", OPT_NEW, "N", "one-liner: new customers acquired with it"},
    {"spend-table", OPT_SPEND_TABLE, "FILE",
     "spend per period: columns period, spend and, with\n--by, channel (or COL)"},
    {CLI_BY("customer table column matched with the channel")},
    {CLI_PERIOD(NULL)},
    {CLI_AS_OF},
    {CLI_FROM},
    {"to", OPT_TO, "PERIOD", "last period to report"},
    {"ltv", OPT_LTV, "AMOUNT", "LTV per customer, for every row"},
    {"ltv-table", OPT_LTV_TABLE, "FILE",
     "a table with an ltv column (and period or COL to join\non; arpu and margin for the "
     "payback); default: stdin\nwhen it is a pipe and CUSTOMERS a file"},
    {"arpu", OPT_ARPU, "AMOUNT", "revenue per customer and period, for the payback"},
    {"margin", OPT_MARGIN, "M", "gross margin as a fraction, 0.8 or 80% (default 1)"},
    {"min-ratio", OPT_MIN_RATIO, "R", "warn below this LTV:CAC (default 3)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command cac_command = {
    .name = "cac",
    .summary = "acquisition cost per period and channel, LTV:CAC and payback",
    .usage = "Usage: retain cac --spend AMOUNT --new N\n"
             "       retain cac --spend-table FILE [OPTIONS] [CUSTOMERS]\n"
             "Customer acquisition cost: from two numbers (prints one number), or per period\n"
             "(and channel, with --by) from a spend table joined with the new customers\n"
             "counted in a customer table (CSV; stdin when CUSTOMERS is absent or '-').\n"
             "\n"
             "CAC = spend / new customers. With an LTV (--ltv, or the ltv column of a table\n"
             "given with --ltv-table or piped on stdin, such as the output of retain ltv):\n"
             "ltv_cac = LTV / CAC, payback_periods = CAC / (ARPU x margin), and a warning\n"
             "when ltv_cac is below --min-ratio.\n",
    .options = options,
    .examples = "  retain cac --spend 50000 --new 40                  # prints 1250.00\n"
                "  retain cac --spend-table spend.csv --by channel crm.csv\n"
                "  retain ltv --by channel crm.csv | retain cac --spend-table spend.csv \\\n"
                "      --by channel crm.csv\n",
    .run = run,
};

typedef struct {
    double spend, new_customers, ltv, arpu, margin, min_ratio;
    const char *spend_text; /* --spend as given: CAC is exact from it */
    bool has_spend, has_new, has_ltv, has_arpu, has_margin;
    const char *min_ratio_text;
    const char *spend_table, *ltv_table;
    retain_rate_options rate;
} cac_opts;

/* CAC = spend / new customers from the exact amount, never a double. */
static void put_exact_cac(const cli *c, retain_money spend, int64_t new_customers, char *buf)
{
    retain_format_money_ratio(spend, new_customers, c->precision, buf);
}

static int one_liner(cli *c, const cac_opts *o)
{
    retain_value v;
    retain_diag d;
    if (retain_cac(o->spend, o->new_customers, &v, &d) != RETAIN_OK)
        return cli_usage_error(c, "%s", d.message);
    char buf[RETAIN_NUMBER_BUFSIZE] = "";
    retain_money spend;
    bool exact =
        o->new_customers == (double)(int64_t)o->new_customers &&
        retain_money_parse(o->spend_text, strlen(o->spend_text), '.', &spend) == RETAIN_MONEY_OK;
    if (v.defined && exact)
        put_exact_cac(c, spend, (int64_t)o->new_customers, buf);
    else if (v.defined)
        retain_format_real(v.value, c->precision, buf);
    else
        cli_note(c, "no new customer: CAC is undefined (empty)");
    printf("%s\n", buf);
    return cli_flush_stdout(c);
}

static int bad_period(const cli *c, const char *file, const retain_table *t, size_t row, size_t col,
                      retain_period_kind k)
{
    static const char *const example[] = {"2024-03-15", "2024-W09", "2024-03", "2024-Q1", "2024"};
    return cli_data_error(c, file, retain_table_line(t, row), retain_table_name(t, col),
                          "'%s' is not a %s label such as %s (nor a date)",
                          retain_table_cell(t, row, col, NULL), retain_period_kind_name(k),
                          example[k]);
}

/* The spend rows into the join, summed per period and channel. */
static int add_spend(cli *c, const cac_opts *o, const retain_table *t, retain_acquisition *rows)
{
    const char *file = o->spend_table;
    size_t pcol, scol, ccol = 0;
    bool has_channel =
        retain_table_find(t, "channel", &ccol) || (c->by && retain_table_find(t, c->by, &ccol));
    if (!retain_table_find(t, "period", &pcol) || !retain_table_find(t, "spend", &scol))
        return cli_usage_error(c, "%s: the spend table needs the columns period and spend%s", file,
                               c->by ? " and channel" : "");
    if (c->by && !has_channel)
        return cli_usage_error(c, "%s: no channel (nor %s) column to match --by %s", file, c->by,
                               c->by);
    if (!c->by && has_channel)
        c->by = retain_table_name(t, ccol); /* the customer table's column of that name */
    for (size_t r = 0; r < retain_table_rows(t); r++) {
        int32_t p;
        if (!retain_period_parse(o->rate.period, retain_table_cell(t, r, pcol, NULL), &p))
            return bad_period(c, file, t, r, pcol, o->rate.period);
        if ((o->rate.has_from && p < o->rate.from) || (o->rate.has_to && p > o->rate.to))
            continue; /* --from and --to narrow the report */
        size_t len = 0, slen;
        const char *ch = has_channel ? retain_table_cell(t, r, ccol, &len) : "";
        const char *s = retain_table_cell(t, r, scol, &slen);
        retain_money m = 0;
        retain_money_error e = RETAIN_MONEY_EMPTY;
        if (slen > 0) {
            e = retain_money_parse(s, slen, c->input.decimal ? c->input.decimal : '.', &m);
            if (e != RETAIN_MONEY_OK || m < 0) {
                cli_data_error(c, file, retain_table_line(t, r), retain_table_name(t, scol),
                               "'%s' is not an amount of 0 or more%s", s,
                               e == RETAIN_MONEY_DECIMAL_COMMA ? " (decimal comma? use "
                                                                 "--decimal ,)"
                                                               : "");
                return EXIT_DATAERR;
            }
        }
        retain_status st = retain_acquisition_add_spend(rows, p, ch, len, slen > 0, m);
        if (st == RETAIN_ERR_DATA)
            return cli_data_error(c, file, retain_table_line(t, r), retain_table_name(t, scol),
                                  "spend sums past 9e12");
        if (st != RETAIN_OK)
            return cli_nomem(c);
    }
    return EXIT_OK;
}

/* The LTV table and the columns it is joined on. */
typedef struct {
    retain_table *t;
    const char *file;
    size_t ltv, period, seg, arpu, margin;
    bool has_period, has_seg, has_arpu, has_margin;
} ltv_join;

static int open_ltv(const cli *c, const cac_opts *o, bool from_stdin, ltv_join *j)
{
    int code = EXIT_OK;
    FILE *f = cli_open(c, from_stdin ? "-" : o->ltv_table, &code);
    j->file = from_stdin ? "stdin" : o->ltv_table;
    if (!f)
        return code;
    retain_diag d;
    retain_status st = retain_table_read(f, 0, &j->t, &d);
    cli_close(f);
    if (st != RETAIN_OK)
        return cli_report_file(c, j->file, &d);
    if (!retain_table_find(j->t, "ltv", &j->ltv))
        return cli_data_error(c, j->file, 1, NULL,
                              "no ltv column in the LTV table (the output of retain ltv has "
                              "one)");
    j->has_period = retain_table_find(j->t, "period", &j->period);
    j->has_seg = c->by && (retain_table_find(j->t, c->by, &j->seg) ||
                           retain_table_find(j->t, "channel", &j->seg));
    j->has_arpu = retain_table_find(j->t, "arpu", &j->arpu);
    j->has_margin = retain_table_find(j->t, "margin", &j->margin);
    if (retain_table_rows(j->t) > 1 && !j->has_period && !j->has_seg)
        return cli_usage_error(c, "%s: %zu LTV rows and no period%s%s column to join them on",
                               j->file, retain_table_rows(j->t), c->by ? " nor " : "",
                               c->by ? c->by : "");
    for (size_t r = 0; j->has_period && r < retain_table_rows(j->t); r++) {
        int32_t p;
        if (!retain_period_parse(o->rate.period, retain_table_cell(j->t, r, j->period, NULL), &p))
            return bad_period(c, j->file, j->t, r, j->period, o->rate.period);
    }
    return EXIT_OK;
}

/* The LTV row for an output row, or -1. */
static long ltv_row(const cac_opts *o, const ltv_join *j, const retain_acquisition_row *row)
{
    for (size_t r = 0; r < retain_table_rows(j->t); r++) {
        int32_t p;
        if (j->has_period &&
            (!retain_period_parse(o->rate.period, retain_table_cell(j->t, r, j->period, NULL),
                                  &p) ||
             p != row->period))
            continue;
        size_t len;
        const char *s = j->has_seg ? retain_table_cell(j->t, r, j->seg, &len) : NULL;
        if (s && (len != row->channel_len || memcmp(s, row->channel, len) != 0))
            continue;
        return (long)r;
    }
    return -1;
}

/* A cell of the LTV table as a value: empty when empty; an error when not
 * a number. */
static int ltv_cell(const cli *c, const ltv_join *j, long r, size_t col, retain_value *v)
{
    size_t len;
    const char *s = retain_table_cell(j->t, (size_t)r, col, &len);
    v->defined = false;
    v->value = 0;
    if (len == 0)
        return EXIT_OK;
    if (!model_parse_number(s, len, &v->value) || v->value < 0)
        return cli_data_error(c, j->file, retain_table_line(j->t, (size_t)r),
                              retain_table_name(j->t, col), "'%s' is not a number of 0 or more", s);
    v->defined = true;
    return EXIT_OK;
}

static int print_rows(cli *c, const cac_opts *o, retain_acquisition *rows, const ltv_join *j)
{
    bool model = o->has_ltv || o->has_arpu || j->t;
    const char *names[10];
    size_t n = 0;
    names[n++] = "period";
    if (c->by)
        names[n++] = c->by;
    names[n++] = "spend";
    names[n++] = "new";
    names[n++] = "cac";
    if (model) {
        names[n++] = "ltv";
        names[n++] = "ltv_cac";
        names[n++] = "payback_periods";
        names[n++] = "warning";
    }
    retain_writer *w = retain_writer_new(stdout, c->format, names, n, true);
    if (!w)
        return cli_nomem(c);
    size_t nrows = retain_acquisition_rows(rows);
    int code = EXIT_OK;
    for (size_t i = 0; i < nrows && code == EXIT_OK; i++) {
        const retain_acquisition_row *row = retain_acquisition_row_at(rows, i);
        char label[16], money[32];
        retain_value cac = {0, false}, ltv = {0, false}, arpu = {0, false},
                     margin = {o->margin, true}, ratio = {0, false}, payback = {0, false};
        if (row->spend_defined && row->has_new)
            retain_cac((double)row->spend / RETAIN_MONEY_SCALE, (double)row->new_customers, &cac,
                       NULL);
        if (o->has_ltv)
            ltv = (retain_value){o->ltv, true};
        if (o->has_arpu)
            arpu = (retain_value){o->arpu, true};
        long r = j->t ? ltv_row(o, j, row) : -1;
        if (r >= 0 && !o->has_ltv)
            code = ltv_cell(c, j, r, j->ltv, &ltv);
        if (r >= 0 && !o->has_arpu && j->has_arpu && code == EXIT_OK)
            code = ltv_cell(c, j, r, j->arpu, &arpu);
        if (r >= 0 && !o->has_margin && j->has_margin && code == EXIT_OK) {
            code = ltv_cell(c, j, r, j->margin, &margin);
            if (code == EXIT_OK && margin.defined && margin.value > 1)
                code = cli_data_error(c, j->file, retain_table_line(j->t, (size_t)r), "margin",
                                      "a margin is a fraction from 0 to 1");
        }
        if (code != EXIT_OK)
            break;
        if (cac.defined && ltv.defined)
            retain_ltv_cac(ltv.value, cac.value, &ratio, NULL);
        if (cac.defined && arpu.defined && margin.defined)
            retain_cac_payback(cac.value, arpu.value, margin.value, &payback, NULL);
        retain_period_label(o->rate.period, row->period, label);
        retain_writer_text(w, label, strlen(label));
        if (c->by)
            retain_writer_text(w, row->channel, row->channel_len);
        if (row->spend_defined) {
            retain_money_format(row->spend, c->precision < 6 ? c->precision : 6, money);
            retain_writer_number(w, money);
        } else
            retain_writer_empty(w);
        row->has_new ? retain_writer_int(w, row->new_customers) : retain_writer_empty(w);
        if (cac.defined) {
            char exact[RETAIN_NUMBER_BUFSIZE];
            put_exact_cac(c, row->spend, row->new_customers, exact);
            retain_writer_number(w, exact);
        } else
            retain_writer_empty(w);
        if (model) {
            model_put(w, c, ltv);
            model_put(w, c, ratio);
            model_put(w, c, payback);
            if (ratio.defined && ratio.value < o->min_ratio) {
                char text[64];
                snprintf(text, sizeof text, "LTV:CAC below %s", o->min_ratio_text);
                retain_writer_text(w, text, strlen(text));
            } else
                retain_writer_empty(w);
        }
        retain_writer_end_row(w);
    }
    if (code != EXIT_OK) {
        retain_writer_free(w);
        return code;
    }
    return cli_finish_output(c, w);
}

/* Whether stdin can hold a piped LTV table: a pipe or a file, not a
 * terminal nor /dev/null. */
static bool stdin_piped(void)
{
    struct stat st;
    return fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode));
}

static int data_mode(cli *c, cac_opts *o, int argc, char **argv)
{
    retain_acquisition *rows = retain_acquisition_new();
    retain_table *spend = NULL;
    ltv_join j = {0};
    cli_rate_sink x = {retain_rate_new(&o->rate), NULL, c->by != NULL, false};
    int code = EXIT_OK;
    bool customers_on_stdin = optind == argc || strcmp(argv[optind], "-") == 0;
    if (!x.rate || !rows) {
        retain_rate_free(x.rate);
        retain_acquisition_free(rows);
        return cli_nomem(c);
    }
    if (o->ltv_table && strcmp(o->ltv_table, "-") == 0 && customers_on_stdin) {
        code = cli_usage_error(c, "the customer table and --ltv-table cannot both be stdin");
        goto out;
    }
    /* the spend table first: a mistake there is cheap to find */
    FILE *f = cli_open(c, o->spend_table, &code);
    if (!f)
        goto out;
    retain_diag d;
    retain_status st = retain_table_read(f, 0, &spend, &d);
    cli_close(f);
    if (st != RETAIN_OK) {
        code = cli_report_file(c, o->spend_table, &d);
        goto out;
    }
    code = add_spend(c, o, spend, rows);
    if (code != EXIT_OK)
        goto out;
    x.by = c->by != NULL; /* the spend table's channel column may have set it */
    if (o->ltv_table || (!customers_on_stdin && !o->has_ltv && stdin_piped())) {
        bool from_stdin = !o->ltv_table || strcmp(o->ltv_table, "-") == 0;
        code = open_ltv(c, o, from_stdin, &j);
        if (code != EXIT_OK)
            goto out;
    }
    c->input.ignore_mrr = true; /* new customers are counted, not revenue */
    code = cli_read_table(c, argc, argv, cli_rate_row, &x, &x.reader);
    if (code != EXIT_OK)
        goto out;
    st = retain_rate_finish(x.rate, &d);
    if (st != RETAIN_OK) {
        code = cli_report(c, &d);
        goto out;
    }
    if (retain_acquisition_add_rate(rows, x.rate) != RETAIN_OK) {
        code = cli_nomem(c);
    } else {
        code = print_rows(c, o, rows, &j);
    }
out:
    retain_acquisition_free(rows);
    retain_table_free(spend);
    retain_table_free(j.t);
    retain_rate_free(x.rate);
    return code;
}

static int run(cli *c, int argc, char **argv)
{
    cac_opts o = {.margin = 1, .min_ratio = 3, .min_ratio_text = "3"};
    int opt;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        double *num = NULL;
        bool *flag = NULL;
        cli_num_kind kind = CLI_NUM_PLAIN;
        const char *what = "a number of 0 or more";
        double max = 1e15;
        switch (opt) {
        case OPT_SPEND:
            num = &o.spend, flag = &o.has_spend;
            o.spend_text = optarg;
            break;
        case OPT_NEW:
            num = &o.new_customers, flag = &o.has_new;
            break;
        case OPT_LTV:
            num = &o.ltv, flag = &o.has_ltv;
            break;
        case OPT_ARPU:
            num = &o.arpu, flag = &o.has_arpu;
            break;
        case OPT_MARGIN:
            num = &o.margin, flag = &o.has_margin, kind = CLI_NUM_FRACTION, max = 1;
            what = "a fraction from 0 to 1 (0.8 for 80 %)";
            break;
        case OPT_MIN_RATIO:
            num = &o.min_ratio;
            o.min_ratio_text = optarg;
            break;
        case OPT_SPEND_TABLE:
            o.spend_table = optarg;
            break;
        case OPT_LTV_TABLE:
            o.ltv_table = optarg;
            break;
        }
        if (num && !cli_number(c, optarg, kind, what, 0, max, num))
            return EXIT_USAGE;
        if (flag)
            *flag = true;
    }
    if (opt == CLI_DONE)
        return c->code;
    o.rate = cli_rate_options(c);
    bool table_opts = c->has_from || c->has_to || c->period_given || c->has_as_of;
    if (o.has_spend || o.has_new) {
        if (!o.has_spend || !o.has_new)
            return cli_usage_error(c, "the one-liner needs --spend and --new");
        if (optind < argc || o.spend_table || o.ltv_table || c->by || table_opts)
            return cli_usage_error(c, "the one-liner --spend/--new takes no tables nor table "
                                      "options");
        return one_liner(c, &o);
    }
    if (!o.spend_table)
        return cli_usage_error(c, "give --spend and --new, or --spend-table FILE with a "
                                  "customer table");
    if (argc > optind + 1)
        return cli_usage_error(c, "one customer table at most (got '%s' and '%s')", argv[optind],
                               argv[optind + 1]);
    return data_mode(c, &o, argc, argv);
}
