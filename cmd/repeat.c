/* retain repeat: repeat-purchase rate per cohort (and segment), from an
 * orders table. */

#include "cli.h"
#include "commands.h"
#include "orders.h"

enum { OPT_WITHIN = OPT_FIRST_FREE };

static const cli_opt options[] = {
    {CLI_PERIOD("cohort period: week, month (default), quarter, year")},
    {"as-of", OPT_AS_OF, "DATE",
     "observation day: orders after it are left out\n(default: the latest order)"},
    {"within", OPT_WITHIN, "DAYS",
     "a repeater's second purchase comes within DAYS days\nof its first (default: any time "
     "up to as-of)"},
    {CLI_BY("one block of cohorts per value of column COL (a\ncustomer's value on its first "
            "order)")},
    {"from", OPT_FROM, "PERIOD", "the first cohort to report (default: the first order's)"},
    {"to", OPT_TO, "PERIOD", "the last cohort to report (default: as-of's)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command repeat_command = {
    .name = "repeat",
    .summary = "repeat purchase rate per cohort: repeaters, purchases, days between",
    .usage = "Usage: retain repeat [OPTIONS] [FILE]\n"
             "Repeat purchases per cohort (the period of a customer's first purchase) from an\n"
             "orders table (CSV; stdin when FILE is absent or '-'; orders of one customer on\n"
             "one day are one purchase), up to as-of (default: the latest order):\n"
             "customers, repeaters (a second purchase, within --within days of the first),\n"
             "repeat_pct = repeaters / customers x 100, purchases_per_customer = purchase\n"
             "days / customers, median_days_between = the median over the cohort's repeat\n"
             "buyers of their mean days between consecutive purchases, (last - first) /\n"
             "(purchase days - 1).\n",
    .options = options,
    .tables = ORDERS_TABLES,
    .examples = "  retain repeat orders.csv\n"
                "  retain repeat --period quarter --within 90 --by channel orders.csv\n",
    .run = run,
};

static int run(cli *c, int argc, char **argv)
{
    long long within = -1;
    double unit_days = 1;
    int opt;
    bool bad;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        if (opt == OPT_WITHIN) {
            if (!cli_count(c, optarg, "a number of days from 0 to 36525", 0, 36525, &within))
                return EXIT_USAGE;
        } else if (!orders_option(c, opt, optarg, &unit_days, &bad) || bad) {
            return bad ? c->code : EXIT_USAGE;
        }
    }
    if (opt == CLI_DONE)
        return c->code;
    if (c->period == RETAIN_PERIOD_DAY)
        return cli_usage_error(c, "--period takes week, month, quarter or year here");
    retain_orders_options oo = {.has_as_of = c->has_as_of,
                                .as_of = c->as_of,
                                .cohort = c->period,
                                .has_from = c->has_from,
                                .from = c->from,
                                .has_to = c->has_to,
                                .to = c->to};
    retain_orders *o = retain_orders_new(&oo);
    if (!o)
        return cli_nomem(c);
    int code = orders_read(c, argc, argv, o, false);
    if (code == EXIT_OK)
        code = orders_finish(c, o);
    if (code == EXIT_OK) {
        retain_print p = cli_print(c);
        code = cli_finish_output(
            c, retain_orders_write_repeat(o, (int32_t)within, c->period, c->by, &p));
        cli_verbose(c, retain_orders_customers(o), retain_orders_bytes(o));
    }
    retain_orders_free(o);
    return code;
}
