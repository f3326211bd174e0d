/* retain norm: any export in, the canonical customer table out. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

enum { OPT_KEEP = OPT_FIRST_FREE };

static const cli_opt options[] = {
    {"keep", OPT_KEEP, "COL[,COL..]", "also write these columns, in this order (repeatable)"},
    {NULL, 0, NULL, NULL},
};

static int run(cli *c, int argc, char **argv);

const cli_command norm_command = {
    .name = "norm",
    .summary = "rewrite any export as the canonical table id,start,end,mrr",
    .usage = "Usage: retain norm [OPTIONS] [FILE...]\n"
             "Reads a customer table in any dialect retain understands (CSV; stdin when FILE\n"
             "is absent or '-') and writes the canonical table: id,start,end,mrr plus the\n"
             "--keep columns, with ISO dates, '.' decimals, comma-separated, UTF-8, LF.\n"
             "Nothing is written unless the whole input is valid.\n",
    .options_title = "Options",
    .options = options,
    .notes = "Without --precision, amounts keep every decimal they have (at least two).\n",
    .examples = "  retain norm --keep plan,country hubspot.csv > customers.csv\n"
                "  retain norm --date-format %d/%m/%Y --decimal , export-fr.csv | retain rate\n",
    .max_files = 64, /* one table in several files: cli_read_table */
    .run = run,
};

typedef struct {
    retain_writer *w;
    size_t n_keep;
    int precision; /* -1: as many decimals as the amount has */
} norm_ctx;

static retain_status on_row(const retain_row *row, void *user, retain_diag *diag)
{
    norm_ctx *x = user;
    retain_status st = retain_norm_write_row(x->w, row, x->n_keep, x->precision);
    if (st != RETAIN_OK) /* the writer's first error */
        cli_diag(diag, st, row->line, st == RETAIN_ERR_IO ? "write error" : retain_status_str(st));
    return st;
}

static int run(cli *c, int argc, char **argv)
{
    const char *keep[RETAIN_NORM_MAX_KEEP + 1]; /* one more: retain_norm_check says too many */
    char *lists[RETAIN_NORM_MAX_KEEP];
    size_t n_keep = 0, n_lists = 0;
    int opt, code = EXIT_OK;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        /* --keep: split "a,b" in place, in a copy we own */
        char *list = n_lists < RETAIN_NORM_MAX_KEEP ? strdup(optarg) : NULL;
        if (!list) {
            code = n_lists < RETAIN_NORM_MAX_KEEP ? cli_nomem(c)
                                                  : cli_usage_error(c, "too many --keep options");
            goto out;
        }
        lists[n_lists++] = list;
        for (char *save = NULL, *name = strtok_r(list, ",", &save);
             name && n_keep <= RETAIN_NORM_MAX_KEEP; name = strtok_r(NULL, ",", &save))
            keep[n_keep++] = name;
    }
    retain_diag diag;
    if (opt == CLI_DONE) {
        code = c->code;
        goto out;
    }
    if (retain_norm_check(keep, n_keep, &diag) != RETAIN_OK) {
        code = cli_report(c, &diag);
        goto out;
    }

    c->input.extra = keep;
    c->input.n_extra = n_keep;
    retain_print p = cli_print(c);
    norm_ctx x = {retain_norm_open(keep, n_keep, &p), n_keep,
                  c->precision_given ? c->precision : -1};
    if (!x.w) {
        code = cli_nomem(c);
        goto out;
    }
    code = cli_read_table(c, argc, argv, on_row, &x, NULL);
    if (code == EXIT_OK) {
        cli_verbose(c, 0, 0);
        code = cli_finish_output(c, x.w);
    } else
        retain_writer_free(x.w); /* deferred: nothing was written */
out:
    for (size_t i = 0; i < n_lists; i++)
        free(lists[i]);
    return code;
}
