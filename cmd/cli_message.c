/* Every message on stderr: usage errors, diagnostics from the library,
 * notes, and their exit codes. See cli.h. */
#include <stdarg.h>
#include <string.h>

#include "cli_private.h"

/* "retain CMD: ", or "retain: " for the program itself. */
void cli_prefix(const cli *c)
{
    fprintf(stderr, "retain%s%s: ", c->cmd[0] ? " " : "", c->cmd);
}

int cli_usage_error(const cli *c, const char *fmt, ...)
{
    va_list ap;
    cli_prefix(c);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'retain %s --help'.\n", c->cmd);
    return EXIT_USAGE;
}

int cli_check(const cli *c, const char *what, const cli_rule *rules, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!rules[i].broken)
            continue;
        if (what)
            return cli_usage_error(c, "%s %s: %s", c->filename, what, rules[i].why);
        return cli_usage_error(c, "%s", rules[i].why);
    }
    return EXIT_OK;
}

static int exit_code(retain_status st)
{
    switch (st) {
    case RETAIN_OK:
        return EXIT_OK;
    case RETAIN_ERR_USAGE:
        return EXIT_USAGE;
    case RETAIN_ERR_DATA:
        return EXIT_DATAERR;
    case RETAIN_ERR_OPEN:
        return EXIT_NOINPUT;
    case RETAIN_ERR_IO:
        return EXIT_IOERR;
    case RETAIN_ERR_NOMEM:
        return EXIT_OSERR;
    }
    return EXIT_OSERR;
}

/* A diagnostic; named: a table other than the operands, whose name goes
 * before any message about it. */
static int report(const cli *c, const char *filename, bool named, const retain_diag *d)
{
    if (d->status == RETAIN_ERR_NOMEM)
        return cli_nomem(c);
    cli_prefix(c);
    if (d->line)
        fprintf(stderr, "%s:%lu: ", filename, d->line);
    else if (named || d->status == RETAIN_ERR_DATA || d->status == RETAIN_ERR_IO)
        fprintf(stderr, "%s: ", filename);
    if (d->column[0])
        fprintf(stderr, "column \"%s\": ", d->column);
    fprintf(stderr, "%s\n", d->message[0] ? d->message : retain_status_str(d->status));
    if (d->hint[0])
        fprintf(stderr, "retain %s: hint: %s\n", c->cmd, d->hint);
    if (d->status == RETAIN_ERR_USAGE)
        fprintf(stderr, "Try 'retain %s --help'.\n", c->cmd);
    return exit_code(d->status);
}

int cli_report_file(const cli *c, const char *filename, const retain_diag *d)
{
    return report(c, filename, true, d);
}

int cli_report(const cli *c, const retain_diag *d)
{
    return report(c, c->filename, false, d);
}

int cli_data_error(const cli *c, const char *filename, unsigned long line, const char *column,
                   const char *fmt, ...)
{
    retain_diag d;
    retain_diag_clear(&d);
    d.status = RETAIN_ERR_DATA;
    d.line = line;
    if (column)
        snprintf(d.column, sizeof d.column, "%s", column);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d.message, sizeof d.message, fmt, ap);
    va_end(ap);
    return cli_report_file(c, filename, &d);
}

int cli_write_error(const cli *c, const char *path, const char *what, int err)
{
    retain_diag d;
    retain_diag_clear(&d);
    d.status = RETAIN_ERR_IO;
    snprintf(d.message, sizeof d.message, "cannot write %s: %s", what, strerror(err));
    return cli_report_file(c, path, &d);
}

int cli_nomem(const cli *c)
{
    cli_prefix(c);
    fputs("out of memory\n", stderr);
    return EXIT_OSERR;
}

void cli_note(const cli *c, const char *fmt, ...)
{
    if (c->quiet)
        return;
    va_list ap;
    cli_prefix(c);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_diag(retain_diag *diag, retain_status st, unsigned long line, const char *message)
{
    retain_diag_clear(diag);
    diag->status = st;
    diag->line = line;
    snprintf(diag->message, sizeof diag->message, "%s", message);
}

void cli_report_footer(const cli *c, const char *name, const retain_reader *reader)
{
    unsigned long line;
    const char *text;
    unsigned long n = retain_reader_footer(reader, &line, &text);
    if (n)
        cli_note(c,
                 "%s:%lu: left out %lu line%s after the data that look%s like a report footer "
                 "(%s)",
                 name, line, n, n == 1 ? "" : "s", n == 1 ? "s" : "", text);
}

void cli_report_duplicates(const cli *c, unsigned long n, uint64_t place, uint64_t of_place)
{
    if (n == 0 || !c->table)
        return;
    const char *file, *of_file;
    unsigned long line = retain_reader_place_line(c->table, place, &file);
    unsigned long of = retain_reader_place_line(c->table, of_place, &of_file);
    if (!file)
        file = c->filename;
    if (of_file && of_file != file && strcmp(of_file, file) == 0) /* one path given twice */
        cli_note(c,
                 "%s: note: %lu exact duplicate row%s ignored (first: line %lu duplicates line %lu "
                 "of the same file given before it)",
                 file, n, n == 1 ? "" : "s", line, of);
    else if (!of_file || of_file == file)
        cli_note(
            c, "%s: note: %lu exact duplicate row%s ignored (first: line %lu duplicates line %lu)",
            file, n, n == 1 ? "" : "s", line, of);
    else
        cli_note(c,
                 "%s: note: %lu exact duplicate row%s ignored (first: line %lu duplicates line %lu "
                 "of %s)",
                 file, n, n == 1 ? "" : "s", line, of, of_file);
}

void cli_report_skipped(const cli *c, const char *name, const retain_reader *reader)
{
    unsigned long lines[5];
    unsigned long n = retain_reader_skipped(reader, lines, 5);
    if (n == 0)
        return;
    fprintf(stderr, "retain %s: %s: skipped %lu bad row%s (line%s", c->cmd, name, n,
            n == 1 ? "" : "s", n == 1 ? "" : "s");
    for (unsigned long i = 0; i < n && i < 5; i++)
        fprintf(stderr, "%s %lu", i ? "," : "", lines[i]);
    fprintf(stderr, "%s)\n", n > 5 ? ", ..." : "");
    const retain_diag *first = retain_reader_first_skip(reader);
    if (first) {
        fprintf(stderr, "retain %s: first: %s:%lu: ", c->cmd, name, first->line);
        if (first->column[0])
            fprintf(stderr, "column \"%s\": ", first->column);
        fprintf(stderr, "%s\n", first->message);
    }
}
