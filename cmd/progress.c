/* The progress line of a long read: on a terminal only, after about 2 s,
 * erased at the end. */
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

bool cli_progress_start(cli_progress *p, const cli *c, FILE *in, retain_row_fn fn, void *user)
{
    if (c->quiet || !isatty(STDERR_FILENO))
        return false;
    /* RETAIN_PROGRESS_AFTER=S (seconds, for the tests) moves the 2 s. */
    const char *after = getenv("RETAIN_PROGRESS_AFTER");
    *p = (cli_progress){.c = c, .in = in, .fn = fn, .user = user, .started = seconds()};
    p->after = after ? strtod(after, NULL) : 2.0;
    p->next = p->started + p->after;
    return true;
}

retain_status cli_progress_row(const retain_row *row, void *progress, retain_diag *diag)
{
    cli_progress *p = progress;
    unsigned long rows = atomic_fetch_add(&p->rows, 1) + 1;
    if ((rows & 4095) == 0 || p->after == 0) {
        double t = seconds();
        if (t >= p->next) {
            p->next = t + 0.25;
            off_t at = lseek(fileno(p->in), 0, SEEK_CUR);
            double secs = t - p->started;
            fprintf(stderr, "\rretain %s: %s: %.1f MiB read, %lu rows, %.0f rows/s\033[K",
                    p->c->cmd, p->c->filename, at > 0 ? (double)at / (1 << 20) : 0.0, rows,
                    secs > 0 ? (double)rows / secs : 0.0);
            p->shown = true;
        }
    }
    return p->fn(row, p->user, diag);
}

void cli_progress_end(cli_progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr); /* erased: the line is gone */
}
