/* retain rfm: per customer frequency, recency, T, monetary and the RFM
 * quintile scores, from an orders table. */

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
        retain_print p = cli_print(c);
        code = cli_finish_output(c, retain_orders_write_rfm(o, unit_days, &p));
        cli_verbose(c, retain_orders_customers(o), retain_orders_bytes(o));
    }
    retain_orders_free(o);
    return code;
}
