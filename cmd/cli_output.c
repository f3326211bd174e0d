/* Writing the command's table, -v, and what output failures mean. See
 * cli.h. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli_private.h"

retain_writer *cli_writer(const cli *c, const char *const *columns, size_t ncols, bool deferred)
{
    unsigned flags =
        (deferred ? RETAIN_WRITER_DEFERRED : 0) | (c->excel_safe ? RETAIN_WRITER_EXCEL_SAFE : 0);
    return retain_writer_open(stdout, c->format, columns, ncols, flags);
}

retain_print cli_print(const cli *c)
{
    retain_print p = {stdout, c->format, c->precision,
                      c->excel_safe ? RETAIN_WRITER_EXCEL_SAFE : 0};
    return p;
}

double cli_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void cli_verbose(const cli *c, size_t customers, size_t state_bytes)
{
    if (!c->verbose)
        return;
    double secs = cli_now() - c->started;
    struct rusage ru;
    double peak = getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024 : 0;
    if (customers)
        fprintf(stderr,
                "retain %s: %s: %lu rows, %zu customers in %.3f s; customer state %.1f MiB "
                "(%.1f bytes per customer); peak memory %.1f MiB\n",
                c->cmd, c->filename, c->rows, customers, secs, (double)state_bytes / (1 << 20),
                (double)state_bytes / (double)customers, peak);
    else
        fprintf(stderr, "retain %s: %s: %lu rows in %.3f s; peak memory %.1f MiB\n", c->cmd,
                c->filename, c->rows, secs, peak);
    if (c->empty_rows)
        fprintf(stderr, "retain %s: skipped %lu row%s of empty cells only\n", c->cmd, c->empty_rows,
                c->empty_rows == 1 ? "" : "s");
}

static int output_failed(const cli *c, retain_status st, int err)
{
    if (st == RETAIN_OK)
        return EXIT_OK;
    if (st == RETAIN_ERR_IO && err == EPIPE)
        return EXIT_OK; /* the reader left: nothing more to say */
    if (st == RETAIN_ERR_NOMEM)
        return cli_nomem(c);
    cli_prefix(c);
    fprintf(stderr, "write error: %s\n", strerror(err));
    return EXIT_IOERR;
}

int cli_finish_output(const cli *c, retain_writer *w)
{
    if (!w)
        return cli_nomem(c);
    retain_status st = retain_writer_finish(w);
    int err = errno;
    retain_writer_free(w);
    return output_failed(c, st, err);
}

int cli_flush_stdout(const cli *c)
{
    errno = 0;
    bool bad = fflush(stdout) != 0 || ferror(stdout);
    int err = errno ? errno : EIO;
    return output_failed(c, bad ? RETAIN_ERR_IO : RETAIN_OK, err);
}

void cli_partial_note(const cli *c, int32_t period, retain_day last_day, retain_day as_of,
                      const char *what)
{
    char label[16], end[11], day[11];
    retain_period_label(c->period, period, label);
    retain_day_format(last_day, end);
    retain_day_format(as_of, day);
    cli_note(c, "%s ends on %s, after as-of %s: it is observed up to as-of (%s %s)", label, end,
             day, what, day);
}

void cli_rate_reserve(void *rate, size_t rows)
{
    retain_rate_reserve(rate, rows);
}

retain_rate_options cli_rate_options(const cli *c)
{
    retain_rate_options o = {.period = c->period,
                             .as_of = c->as_of,
                             .has_as_of = c->has_as_of,
                             .from = c->from,
                             .has_from = c->has_from,
                             .to = c->to,
                             .has_to = c->has_to,
                             .merge_gap = c->merge_gap,
                             .segments = c->by != NULL};
    return o;
}

int cli_save(const cli *c, const char *path, const char *what, cli_save_fn fn, const void *arg)
{
    FILE *out = fopen(path, "wb");
    if (!out)
        return cli_write_error(c, path, what, errno);
    retain_diag diag;
    retain_diag_clear(&diag);
    retain_status st = fn(out, arg, &diag);
    int err = errno;
    if (fclose(out) != 0 && st == RETAIN_OK) {
        err = errno;
        st = RETAIN_ERR_IO;
    }
    if (st == RETAIN_OK)
        return EXIT_OK;
    if (st == RETAIN_ERR_NOMEM)
        return cli_nomem(c);
    /* a diagnostic of the library says why itself; else the stream's errno */
    return diag.message[0] ? cli_report_file(c, path, &diag) : cli_write_error(c, path, what, err);
}

typedef struct {
    cli_table_fn write;
    const void *arg;
    int precision;
} table_save;

static retain_status save_table(FILE *out, const void *arg, retain_diag *diag)
{
    (void)diag;
    const table_save *t = arg;
    retain_print p = {out, RETAIN_FORMAT_CSV, t->precision, 0};
    retain_writer *w = t->write(t->arg, &p);
    retain_status st = w ? retain_writer_finish(w) : RETAIN_ERR_NOMEM;
    retain_writer_free(w);
    return st;
}

int cli_save_table(const cli *c, const char *path, const char *what, cli_table_fn write,
                   const void *arg)
{
    table_save t = {write, arg, c->precision};
    return cli_save(c, path, what, save_table, &t);
}
