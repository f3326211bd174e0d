/* The orders table of retain repeat, rfm and clv: column options and the
 * read into a retain_orders accumulator. */
#include <string.h>

#include "orders.h"

bool orders_option(cli *c, int opt, const char *arg, double *unit_days, bool *bad)
{
    *bad = false;
    switch (opt) {
    case OPT_ORDERS_UNIT:
        if (strcmp(arg, "day") == 0)
            *unit_days = 1;
        else if (strcmp(arg, "week") == 0)
            *unit_days = 7;
        else {
            c->code = cli_usage_error(c, "--unit takes day or week, not '%s'", arg);
            *bad = true;
        }
        return true;
    }
    return false;
}

typedef struct {
    retain_orders *o;
    bool by;
} sink;

static retain_status on_row(const retain_row *row, void *user, retain_diag *diag)
{
    const sink *s = user;
    retain_status st = retain_orders_add(s->o, row->id, row->id_len, s->by ? row->extra[0] : NULL,
                                         s->by ? row->extra_len[0] : 0, row->date,
                                         row->has_amount ? row->amount : 0, diag);
    if (st != RETAIN_OK)
        diag->line = row->line;
    return st;
}

int orders_read(cli *c, int argc, char **argv, retain_orders *o, bool need_amount)
{
    static const char *const customer_only[] = {
        [RETAIN_COL_START] = "--start", [RETAIN_COL_END] = "--end", [RETAIN_COL_MRR] = "--mrr"};
    for (int role = RETAIN_COL_START; role <= RETAIN_COL_MRR; role++)
        if (c->input.column[role])
            return cli_usage_error(c,
                                   "%s names a column of customer tables; an orders table has "
                                   "--orders-id, --orders-date and --orders-amount",
                                   customer_only[role]);
    const char *const *named = c->table_column[RETAIN_TABLE_ORDERS];
    if (named[RETAIN_COL_ID] && c->input.column[RETAIN_COL_ID])
        return cli_usage_error(c, "--id and --orders-id name the same column: give one");
    for (int role = 0; role < RETAIN_COL_ROLES; role++)
        if (named[role])
            c->input.column[role] = named[role];
    if (c->table_date_format[RETAIN_TABLE_ORDERS])
        c->input.date_format = c->table_date_format[RETAIN_TABLE_ORDERS];
    c->input.kind = RETAIN_TABLE_ORDERS;
    if (!need_amount)
        c->input.optional = RETAIN_ROLE_BIT(RETAIN_COL_AMOUNT);
    sink s = {o, c->by != NULL};
    return cli_read_table(c, argc, argv, on_row, &s, NULL);
}

int orders_finish(cli *c, retain_orders *o)
{
    retain_diag d;
    retain_diag_clear(&d);
    if (retain_orders_finish(o, &d) != RETAIN_OK)
        return cli_report(c, &d);
    return EXIT_OK;
}
