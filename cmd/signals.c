/* Reading for retain risk, nps and activation (see signals.h). */
#include <stdio.h>
#include <string.h>

#include "signals.h"
#include "tables.h"

typedef struct {
    retain_events *ev;
    bool by;
    retain_table_kind kind;
    bool any;
    retain_day latest;
} sink;

static retain_status on_customer(const retain_row *row, void *user, retain_diag *diag)
{
    sink *s = user;
    return retain_events_add_customer_row(s->ev, row, s->by, diag);
}

void signals_note_unknown(const cli *c, const char *path, uint64_t n, const char *what,
                          unsigned long line)
{
    char where[48] = "";
    if (line)
        snprintf(where, sizeof where, " (the first on line %lu)", line);
    cli_note(c, "%s: %llu %s%s no customer of the customer table%s; left out",
             strcmp(path, "-") ? path : "stdin", (unsigned long long)n, what,
             n > 1 ? "s name" : " names", where);
}

int signals_read_customers(cli *c, const char *path, retain_events *ev)
{
    sink s = {ev, c->by != NULL, RETAIN_TABLE_CUSTOMERS, false, 0};
    c->input.unordered = true; /* lives do not depend on the order of rows */
    int code = EXIT_OK;
    FILE *in = cli_open(c, path, &code);
    if (!in)
        return code;
    c->started = 0;
    code = cli_read_stream(c, in, in == stdin ? "stdin" : path, on_customer, &s, NULL);
    cli_close(in);
    retain_diag diag;
    if (code == EXIT_OK && retain_events_customers_done(ev, &diag) != RETAIN_OK)
        code = cli_report(c, &diag);
    if (code == EXIT_OK)
        CLI_REPORT_DUPLICATES(c, retain_events_duplicates, ev);
    return code;
}

static retain_status on_event(const retain_row *row, void *user, retain_diag *diag)
{
    sink *s = user;
    return retain_events_add_row(s->ev, s->kind, row, diag);
}

static const retain_event_table event_table[RETAIN_TABLE_KINDS] = {
    [RETAIN_TABLE_EVENTS] = RETAIN_EVENT_ACTIVITY,
    [RETAIN_TABLE_TICKETS] = RETAIN_EVENT_TICKET,
    [RETAIN_TABLE_SURVEY] = RETAIN_EVENT_ANSWER,
    [RETAIN_TABLE_ORDERS] = RETAIN_EVENT_ORDER,
};

int signals_read_events(cli *c, retain_table_kind kind, const char *path, retain_events *ev)
{
    sink s = {ev, false, kind, false, 0};
    int code = cli_read_other(c, kind, path, 0, 0, 0, on_event, &s);
    unsigned long line;
    uint64_t unknown = retain_events_unknown(ev, event_table[kind], &line);
    if (code == EXIT_OK && unknown)
        cli_note(c,
                 "%s: %llu row%s no customer of the customer table (the first on line "
                 "%lu); left out",
                 strcmp(path, "-") ? path : "stdin", (unsigned long long)unknown,
                 unknown > 1 ? "s name" : " names", line);
    return code;
}

static retain_status on_date(const retain_row *row, void *user, retain_diag *diag)
{
    (void)diag;
    sink *s = user;
    if (!s->any || row->date > s->latest)
        s->latest = row->date;
    s->any = true;
    return RETAIN_OK;
}

int signals_latest_date(cli *c, retain_table_kind kind, const char *path, const char *why,
                        retain_day *day)
{
    if (strcmp(path, "-") == 0)
        return cli_usage_error(c, "%s from stdin needs --as-of (%s)", retain_table_kind_name(kind),
                               why);
    sink s = {NULL, false, kind, false, 0};
    c->input.unordered = true;
    int code = cli_read_other(c, kind, path,
                              RETAIN_ROLE_BIT(RETAIN_COL_ID) | RETAIN_ROLE_BIT(RETAIN_COL_DATE), 0,
                              0, on_date, &s);
    if (code != EXIT_OK)
        return code;
    if (!s.any)
        return cli_data_error(c, path, 0, NULL, "no row: nothing to be as of");
    *day = s.latest;
    return EXIT_OK;
}

int signals_guess_latest(cli *c, retain_table_kind kind, const char *path, retain_day *day,
                         bool *found)
{
    *found = false;
    if (strcmp(path, "-") == 0)
        return EXIT_OK;
    int code = EXIT_OK;
    FILE *in = cli_open(c, path, &code);
    if (!in)
        return code;
    retain_reader_options o = cli_other_options(c, kind);
    if (retain_reader_guess_latest(&o, in, 1 << 20, day, found) != RETAIN_OK)
        code = cli_nomem(c);
    cli_close(in);
    return code;
}
