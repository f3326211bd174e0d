/* Column options of the other tables, from the reader's declarations. */
#include <string.h>

#include "tables.h"

/* The options' names, built once: --KIND-NAME and --KIND-date-format. */
static char names[RETAIN_TABLE_KINDS][RETAIN_COL_ROLES + 1][40];

static const char *option_name(retain_table_kind kind, int slot, const char *role)
{
    char *n = names[kind][slot];
    if (!n[0])
        snprintf(n, sizeof names[0][0], "%s-%s", retain_table_kind_name(kind), role);
    return n;
}

void cli_tables_add(cli *c, size_t *n)
{
    for (const retain_table_kind *k = c->spec->tables; k && *k; k++) {
        const retain_role_info *roles;
        size_t nr = retain_table_kind_roles(*k, &roles);
        for (size_t i = 0; i < nr; i++)
            c->longopts[(*n)++] =
                (struct option){option_name(*k, roles[i].role, roles[i].name), required_argument,
                                NULL, CLI_TABLE_OPT(*k, roles[i].role)};
        c->longopts[(*n)++] = (struct option){option_name(*k, RETAIN_COL_ROLES, "date-format"),
                                              required_argument, NULL, CLI_TABLE_DATE_FORMAT(*k)};
    }
}

bool cli_table_option(cli *c, int opt, const char *arg)
{
    int base = CLI_TABLE_OPT(0, 0);
    if (opt < base || opt >= CLI_TABLE_OPT(RETAIN_TABLE_KINDS, 0))
        return false;
    int kind = (opt - base) / 64, role = (opt - base) % 64;
    if (role == RETAIN_COL_ROLES)
        c->table_date_format[kind] = arg;
    else if (role < RETAIN_COL_ROLES)
        c->table_column[kind][role] = arg;
    else
        return false;
    return true;
}

void cli_tables_help(const cli_command *spec, FILE *out)
{
    for (const retain_table_kind *k = spec->tables; k && *k; k++) {
        const retain_role_info *roles;
        size_t n = retain_table_kind_roles(*k, &roles);
        const char *name = retain_table_kind_name(*k);
        fprintf(out, "\nColumns of the %s table (default: the recognised headers, retain(1)):\n",
                name);
        for (size_t i = 0; i < n; i++) {
            char left[64];
            int w = snprintf(left, sizeof left, "      --%s-%s COL", name, roles[i].name);
            fprintf(out, "%s%*s%s%s (default: %s, ...)\n", left, w <= 23 ? 25 - w : 2, "",
                    roles[i].what, roles[i].required ? "" : ", optional",
                    retain_role_header(*k, roles[i].role, 0));
        }
        char left[64];
        int w = snprintf(left, sizeof left, "      --%s-date-format FMT", name);
        fprintf(out, "%s%*sits dates, when not as --date-format says\n", left, w <= 23 ? 25 - w : 2,
                "");
    }
}

retain_reader_options cli_other_options(const cli *c, retain_table_kind kind)
{
    retain_reader_options o = c->input;
    o.kind = kind;
    o.delimiter = 0; /* each file's own */
    o.extra = NULL;
    o.n_extra = 0;
    o.need_mrr = o.ignore_mrr = o.arr = o.end_inclusive = false;
    /* a customer table has rows; the others may have none yet (no ticket
     * this quarter, a programme with no referral): read as empty, noted */
    o.empty_ok = kind != RETAIN_TABLE_CUSTOMERS;
    /* unordered as the command says (c->input.unordered): rows folded
     * into order-free state may come out of order; not answers, of which
     * the later line wins on a day (chunks from the end have no line) */
    o.unordered = o.unordered && kind != RETAIN_TABLE_SURVEY;
    for (int k = 0; k < RETAIN_COL_ROLES; k++)
        o.column[k] = c->table_column[kind][k];
    if (c->table_date_format[kind])
        o.date_format = c->table_date_format[kind];
    return o;
}

int cli_read_other(cli *c, retain_table_kind kind, const char *path, uint32_t want,
                   uint32_t require, uint32_t optional, retain_row_fn fn, void *user)
{
    retain_reader_options o = cli_other_options(c, kind);
    o.want = want;
    o.require = require;
    o.optional = optional;
    int code = EXIT_OK;
    FILE *in = cli_open(c, path, &code);
    if (!in)
        return code;
    const char *name = in == stdin ? "stdin" : path;
    retain_diag diag;
    retain_reader *reader = retain_reader_new(&o, &diag);
    if (!reader) {
        code = cli_report_file(c, name, &diag);
    } else {
        retain_status st = retain_reader_read(reader, in, fn, user, &diag);
        if (st == RETAIN_OK && retain_reader_rows(reader) == 0)
            cli_note(c, "%s: no data rows after the header: read as an empty %s table", name,
                     retain_table_kind_name(kind));
        cli_report_skipped(c, name, reader);
        cli_report_footer(c, name, reader);
        if (st != RETAIN_OK)
            code = cli_report_file(c, name, &diag);
        retain_reader_free(reader);
    }
    cli_close(in);
    return code;
}
