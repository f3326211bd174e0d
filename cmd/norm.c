/* retain norm: any export in, the canonical customer table out. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define MAX_KEEP 64

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
    char start[11], end[11], mrr[32];
    retain_day_format(row->start, start);
    retain_writer_text(x->w, row->id, row->id_len);
    retain_writer_text(x->w, start, 10);
    if (row->has_end) {
        retain_day_format(row->end, end);
        retain_writer_text(x->w, end, 10);
    } else {
        retain_writer_empty(x->w);
    }
    if (row->has_mrr) {
        retain_money_format(row->mrr, x->precision, mrr);
        retain_writer_number(x->w, mrr);
    } else {
        retain_writer_empty(x->w);
    }
    for (size_t k = 0; k < x->n_keep; k++)
        retain_writer_text(x->w, row->extra[k], row->extra_len[k]);
    retain_status st = retain_writer_end_row(x->w); /* the writer's first error, if any */
    if (st != RETAIN_OK)
        cli_diag(diag, st, row->line, st == RETAIN_ERR_IO ? "write error" : retain_status_str(st));
    return st;
}

static int run(cli *c, int argc, char **argv)
{
    const char *keep[MAX_KEEP];
    char *lists[MAX_KEEP];
    size_t n_keep = 0, n_lists = 0;
    int opt, code = EXIT_OK;
    while ((opt = cli_next(c, argc, argv)) >= 0) {
        /* --keep: split "a,b" in place, in a copy we own */
        char *list = n_lists < MAX_KEEP ? strdup(optarg) : NULL;
        if (!list) {
            code =
                n_lists < MAX_KEEP ? cli_nomem(c) : cli_usage_error(c, "too many --keep options");
            goto out;
        }
        lists[n_lists++] = list;
        for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
             name = strtok_r(NULL, ",", &save)) {
            if (n_keep == MAX_KEEP) {
                code = cli_usage_error(c, "--keep: %d columns at most", MAX_KEEP);
                goto out;
            }
            for (size_t k = 0; k < n_keep; k++) {
                if (strcmp(keep[k], name) == 0) {
                    code = cli_usage_error(c, "--keep names \"%s\" twice", name);
                    goto out;
                }
            }
            if (retain_column_recognised(name, NULL)) {
                /* two look-alike columns would make the output ambiguous */
                code = cli_usage_error(c,
                                       "--keep \"%s\": a column of that name is one "
                                       "of id, start, end, mrr, which the output has",
                                       name);
                goto out;
            }
            keep[n_keep++] = name;
        }
    }
    if (opt == CLI_DONE) {
        code = c->code;
        goto out;
    }

    c->input.extra = keep;
    c->input.n_extra = n_keep;
    const char *names[4 + MAX_KEEP] = {"id", "start", "end", "mrr"};
    for (size_t k = 0; k < n_keep; k++)
        names[4 + k] = keep[k];
    norm_ctx x = {cli_writer(c, names, 4 + n_keep, true), n_keep,
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
