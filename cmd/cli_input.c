/* Opening and reading the inputs: the operands, named tables, stdin. See
 * cli.h. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_private.h"

/* The input cli_peek peeked at: its replay stream stands for its path
 * once (one command per process). */
static struct {
    const char *path;
    FILE *source, *replay;
} peeked;

FILE *cli_open(const cli *c, const char *path, int *code)
{
    if (peeked.replay && strcmp(path, peeked.path) == 0) {
        FILE *f = peeked.replay; /* the header again, then the rest */
        peeked.path = "";
        return f;
    }
    if (strcmp(path, "-") == 0)
        return stdin;
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        f = NULL;
        errno = EISDIR;
    }
    if (!f && errno == ENOMEM) {
        *code = cli_nomem(c); /* fopen's buffer: no fault of the file's */
    } else if (!f) {
        cli_prefix(c);
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        *code = EXIT_NOINPUT;
    }
    return f;
}

void cli_close(FILE *in)
{
    if (in && in == peeked.replay) {
        peeked.replay = NULL;
        cli_close(peeked.source);
    }
    if (in && in != stdin)
        fclose(in);
}

int cli_read_small(cli *c, const char *path, char delimiter, retain_table **t)
{
    int code = EXIT_OK;
    FILE *in = cli_open(c, path, &code);
    if (!in)
        return code;
    retain_diag d;
    retain_status st = retain_table_read(in, delimiter, t, &d);
    cli_close(in);
    return st == RETAIN_OK ? EXIT_OK
                           : cli_report_file(c, strcmp(path, "-") == 0 ? "stdin" : path, &d);
}

int cli_peek(cli *c, const char *path, retain_table **header)
{
    int code = EXIT_OK;
    FILE *in = cli_open(c, path, &code);
    if (!in)
        return code;
    retain_diag d;
    FILE *again = retain_table_peek(in, c->input.delimiter, header, &d);
    if (!again) {
        cli_close(in);
        return cli_report(c, &d);
    }
    peeked.path = path;
    peeked.source = in;
    peeked.replay = again;
    return EXIT_OK;
}

char **cli_operands(cli *c, int argc, char **argv, int *n, int *code)
{
    static char *dash[] = {"-", NULL};
    int max = c->spec->max_files > 0 ? c->spec->max_files : 1;
    int have = argc - optind;
    if (have > max) {
        if (max == 1)
            *code = cli_usage_error(c, "one input file at most (got '%s' and '%s')", argv[optind],
                                    argv[optind + 1]);
        else
            *code = cli_usage_error(c, "%d input files at most (got %d)", max, have);
        return NULL;
    }
    int stdins = 0;
    for (int i = optind; i < argc; i++)
        stdins += strcmp(argv[i], "-") == 0;
    if (stdins > 1) {
        *code = cli_usage_error(c, "stdin ('-') can be read once only");
        return NULL;
    }
    *n = have > 0 ? have : 1;
    return have > 0 ? argv + optind : dash;
}

void cli_done(cli *c)
{
    retain_reader_free(c->table);
    c->table = NULL;
    /* a peeked input never opened again (the command failed first: out of
     * memory, a usage error): its replay, then its source */
    if (peeked.replay)
        cli_close(peeked.replay);
}

/* The reader of the command's table, with its extra columns (the
 * caller's own, or --by's); NULL after the error was said. */
static retain_reader *table_reader(cli *c, int *code)
{
    if (c->input.n_extra == 0) {
        c->input.extra = &c->by;
        c->input.n_extra = c->by ? 1 : 0;
    }
    /* a command that lists --max-segments caps --by's column, which comes
     * first among the extra ones */
    bool capped = false;
    for (const cli_opt *o = c->spec->options; o && o->name; o++)
        capped |= o->key == OPT_MAX_SEGMENTS;
    if (capped && c->by && c->input.n_extra > 0 && strcmp(c->input.extra[0], c->by) == 0)
        c->input.max_segments = c->max_segments;
    if (c->started == 0)
        c->started = cli_now();
    retain_diag diag;
    retain_reader *reader = retain_reader_new(&c->input, &diag);
    if (!reader)
        *code = cli_report(c, &diag);
    return reader;
}

/* A row function around the command's: calls c->reserve before the
 * first row, and with c->name_mrr names the MRR column on a failure.
 * Plain fields: the reader calls it on this thread only. */
typedef struct {
    const cli *c;
    const retain_reader *reader;
    retain_row_fn fn;
    void *user;
    bool reserved;
} wrapped;

static retain_status wrapped_row(const retain_row *row, void *user, retain_diag *diag)
{
    wrapped *r = user;
    if (r->c->reserve && !r->reserved) {
        r->reserved = true;
        r->c->reserve(r->user, retain_reader_expected_rows(r->reader));
    }
    retain_status st = r->fn(row, r->user, diag);
    if (st != RETAIN_OK && r->c->name_mrr)
        cli_name_mrr(r->reader, row, st, diag);
    return st;
}

/* Reads one file of the table with the table's reader. */
static int read_with(cli *c, retain_reader *reader, FILE *in, const char *name, retain_row_fn fn,
                     void *user, const retain_reader **reader_out)
{
    c->filename = name;
    if (retain_reader_set_name(reader, name) != RETAIN_OK)
        return cli_nomem(c);
    retain_diag diag;
    if (reader_out)
        *reader_out = reader;
    wrapped r = {c, reader, fn, user, false};
    if (c->reserve || c->name_mrr) {
        fn = wrapped_row;
        user = &r;
    }
    cli_progress p; /* on a terminal, a line while a long read goes on */
    bool progress = cli_progress_start(&p, c, in, fn, user);
    retain_status st = progress ? retain_reader_read(reader, in, cli_progress_row, &p, &diag)
                                : retain_reader_read(reader, in, fn, user, &diag);
    if (progress)
        cli_progress_end(&p);
    cli_report_skipped(c, c->filename, reader);
    cli_report_footer(c, c->filename, reader);
    c->empty_rows += retain_reader_empty_rows(reader);
    c->has_mrr = c->has_mrr || retain_reader_column(reader, RETAIN_COL_MRR) != NULL;
    c->rows += retain_reader_rows(reader);
    if (reader_out)
        *reader_out = NULL;
    return st == RETAIN_OK ? EXIT_OK : cli_report(c, &diag);
}

int cli_read_stream(cli *c, FILE *in, const char *name, retain_row_fn fn, void *user,
                    const retain_reader **reader_out)
{
    int code = EXIT_OK;
    retain_reader *reader = table_reader(c, &code);
    if (!reader)
        return code;
    code = read_with(c, reader, in, name, fn, user, reader_out);
    retain_reader_free(c->table);
    c->table = reader; /* for the lines of duplicate rows */
    return code;
}

int cli_read_table(cli *c, int argc, char **argv, retain_row_fn fn, void *user,
                   const retain_reader **reader_out)
{
    int code = EXIT_OK, n;
    char **paths = cli_operands(c, argc, argv, &n, &code);
    if (!paths)
        return code;
    c->started = cli_now();
    retain_reader *reader = table_reader(c, &code);
    if (!reader)
        return code;
    /* the files are one table: one reader checks that their headers map
     * to the same roles */
    for (int i = 0; i < n && code == EXIT_OK; i++) {
        FILE *in = cli_open(c, paths[i], &code);
        if (!in)
            break;
        const char *name = strcmp(paths[i], "-") == 0 ? "stdin" : paths[i];
        code = read_with(c, reader, in, name, fn, user, reader_out);
        cli_close(in);
    }
    retain_reader_free(c->table);
    c->table = reader; /* for the lines of duplicate rows */
    return code;
}

void cli_name_mrr(const retain_reader *reader, const retain_row *row, retain_status st,
                  retain_diag *diag)
{
    const char *col = reader ? retain_reader_column(reader, RETAIN_COL_MRR) : NULL;
    if (st == RETAIN_ERR_DATA && row->has_mrr && row->mrr < 0 && col && !diag->column[0])
        snprintf(diag->column, sizeof diag->column, "%s", col);
}
