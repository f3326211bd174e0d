/* retain rfm: per customer frequency, recency, T, monetary and the RFM
 * quintile scores, from an orders table. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "orders.h"

static const cli_opt options[] = {
    {"as-of", OPT_AS_OF, "DATE",
     "calibration end E: orders after it are left out\n(default: the latest order)"},
    {ORDERS_UNIT_OPT},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command rfm_command = {
    .name = "rfm",
    .summary = "per customer: frequency, recency, T, monetary and RFM scores 1..5",
    .usage = "Usage: retain rfm [OPTIONS] [FILE]\n"
             "Per customer of an orders table (CSV; stdin when FILE is absent or '-'; orders\n"
             "of one day are one purchase), at the calibration end E = as-of:\n"
             "frequency x = purchase days after the first; recency = last - first purchase;\n"
             "T = E - first; monetary = mean amount of the x repeat purchases (0 when x = 0);\n"
             "R, F, M = 1 + floor(5 k / n), k the customers strictly worse (R: more days\n"
             "since the last purchase; F: lower frequency; M: lower monetary), n all of\n"
             "them: equal values share a score; rfm = the three digits.\n",
    .options = options,
    .tables = ORDERS_TABLES,
    .examples =
        "  retain rfm orders.csv\n"
        "  retain rfm --unit week --as-of 1997-09-30 --orders-id sampleid --date-format %Y%m%d "
        "cdnow.csv\n"
        "  retain rfm orders.csv | awk -F, '$9 ~ /^[45][45]/'    # the best customers\n",
    .run = run,
};

static void put_units(retain_writer *w, int64_t days, double unit_days, int decimals)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    if (unit_days == 1) {
        retain_writer_int(w, days);
        return;
    }
    retain_format_ratio(days, (int64_t)unit_days, 1, decimals, buf);
    retain_writer_number(w, buf);
}

static int print(cli *c, const retain_orders *o, const uint8_t *r, const uint8_t *f,
                 const uint8_t *m, double unit_days)
{
    static const char *const cols[] = {"id", "frequency", "recency", "T",  "monetary",
                                       "R",  "F",         "M",       "rfm"};
    retain_writer *w = cli_writer(c, cols, 9, false);
    if (!w)
        return cli_nomem(c);
    retain_day E = retain_orders_calibration_end(o);
    for (size_t i = 0; i < retain_orders_customers(o); i++) {
        retain_order_summary s;
        retain_orders_get(o, i, &s);
        if (!s.calibrated)
            continue;
        char buf[RETAIN_NUMBER_BUFSIZE];
        retain_writer_text(w, s.id, s.id_len);
        retain_writer_int(w, s.frequency);
        put_units(w, s.last - s.first, unit_days, c->precision);
        put_units(w, E - s.first, unit_days, c->precision);
        retain_format_ratio(s.repeat_spend, (s.frequency ? s.frequency : 1) * RETAIN_MONEY_SCALE, 1,
                            c->precision, buf);
        retain_writer_number(w, buf);
        retain_writer_int(w, r[i]);
        retain_writer_int(w, f[i]);
        retain_writer_int(w, m[i]);
        char code[4] = {(char)('0' + r[i]), (char)('0' + f[i]), (char)('0' + m[i]), '\0'};
        retain_writer_text(w, code, 3);
        retain_writer_end_row(w);
    }
    return cli_finish_output(c, w);
}

static int run(cli *c, int argc, char **argv)
{
    double unit_days = 1;
    int opt;
    bool bad;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        if (!orders_option(c, opt, optarg, &unit_days, &bad) || bad)
            return bad ? c->code : EXIT_USAGE;
    }
    if (opt == CLI_DONE)
        return c->code;
    retain_orders_options oo = {.has_as_of = c->has_as_of, .as_of = c->as_of};
    retain_orders *o = retain_orders_new(&oo);
    if (!o)
        return cli_nomem(c);
    int code = orders_read(c, argc, argv, o, true);
    if (code == EXIT_OK)
        code = orders_finish(c, o);
    if (code == EXIT_OK) {
        size_t n = retain_orders_customers(o);
        uint8_t *scores = malloc(3 * (n ? n : 1));
        if (!scores || retain_orders_rfm(o, scores, scores + n, scores + 2 * n) != RETAIN_OK)
            code = cli_nomem(c);
        else
            code = print(c, o, scores, scores + n, scores + 2 * n, unit_days);
        free(scores);
        cli_verbose(c, n, retain_orders_bytes(o));
    }
    retain_orders_free(o);
    return code;
}
