/* Column options of the other tables, from the reader's declarations. */
#include <errno.h>
#include <string.h>

#include "tables.h"

void cli_tables_init(cli_tables *t)
{
    memset(t, 0, sizeof *t);
}

/* The options' names, built once: --KIND-ROLE and --KIND-date-format. */
static char names[RETAIN_TABLE_KINDS][RETAIN_COL_ROLES + 1][40];

static const char *option_name(retain_table_kind kind, int slot, const char *role)
{
    char *n = names[kind][slot];
    if (!n[0])
        snprintf(n, sizeof names[0][0], "%s-%s", retain_table_kind_name(kind), role);
    return n;
}

size_t cli_table_longopts(retain_table_kind kind, struct option *out)
{
    const retain_role_info *roles;
    size_t n = retain_table_kind_roles(kind, &roles), k = 0;
    if (kind == RETAIN_TABLE_CUSTOMERS)
        return 0;
    for (size_t i = 0; i < n; i++)
        out[k++] = (struct option){option_name(kind, roles[i].role, roles[i].name),
                                   required_argument, NULL, CLI_TABLE_OPT(kind, roles[i].role)};
    out[k++] = (struct option){option_name(kind, RETAIN_COL_ROLES, "date-format"),
                               required_argument, NULL, CLI_TABLE_DATE_FORMAT(kind)};
    return k;
}

bool cli_table_option(cli_tables *t, int opt, const char *arg)
{
    int base = CLI_TABLE_OPT(0, 0);
    if (opt < base || opt >= CLI_TABLE_OPT(RETAIN_TABLE_KINDS, 0))
        return false;
    int kind = (opt - base) / 64, role = (opt - base) % 64;
    if (role == RETAIN_COL_ROLES)
        t->date_format[kind] = arg;
    else if (role < RETAIN_COL_ROLES)
        t->column[kind][role] = arg;
    else
        return false;
    return true;
}

void cli_table_help(FILE *out, retain_table_kind kind)
{
    const retain_role_info *roles;
    size_t n = retain_table_kind_roles(kind, &roles);
    const char *name = retain_table_kind_name(kind);
    fprintf(out, "Columns of the %s table (default: the recognised headers, see retain(1)):\n",
            name);
    for (size_t i = 0; i < n; i++) {
        char opt[64];
        snprintf(opt, sizeof opt, "--%s-%s COL", name, roles[i].name);
        const char *first = retain_role_header(kind, roles[i].role, 0);
        fprintf(out, "      %-24s %s%s (default: %s, ...)\n", opt, roles[i].what,
                roles[i].required ? "" : ", optional", first ? first : "none");
    }
    char opt[64];
    snprintf(opt, sizeof opt, "--%s-date-format FMT", name);
    fprintf(out, "      %-24s its dates, if not as --date-format says\n", opt);
}

int cli_read_other(cli *c, const cli_tables *t, retain_table_kind kind, const char *path,
                   retain_row_fn fn, void *user)
{
    retain_reader_options o = c->input;
    o.kind = kind;
    o.delimiter = 0; /* each file's own */
    o.extra = NULL;
    o.n_extra = 0;
    o.need_mrr = o.ignore_mrr = o.arr = o.end_inclusive = false;
    o.unordered = false;
    o.want = o.require = o.optional = 0;
    for (int k = 0; k < RETAIN_COL_ROLES; k++)
        o.column[k] = t->column[kind][k];
    if (t->date_format[kind])
        o.date_format = t->date_format[kind];
    const char *saved = c->filename;
    FILE *in = stdin;
    c->filename = "stdin";
    if (strcmp(path, "-") != 0) {
        c->filename = path;
        in = fopen(path, "rb");
        if (!in) {
            fprintf(stderr, "retain %s: cannot open %s: %s\n", c->cmd, path, strerror(errno));
            c->filename = saved;
            return EXIT_NOINPUT;
        }
    }
    retain_diag diag;
    int code = EXIT_OK;
    retain_reader *reader = retain_reader_new(&o, &diag);
    if (!reader) {
        code = cli_report(c, &diag);
    } else {
        retain_status st = retain_reader_read(reader, in, fn, user, &diag);
        cli_report_skipped(c, reader);
        if (st != RETAIN_OK)
            code = cli_report(c, &diag);
        retain_reader_free(reader);
    }
    cli_close_input(in);
    c->filename = saved;
    return code;
}
