/* The canonical customer table (retain/norm.h). */
#include <string.h>

#include <retain/date.h>
#include <retain/money.h>
#include <retain/norm.h>

#include "internal.h"

retain_status retain_norm_check(const char *const *keep, size_t n, retain_diag *diag)
{
    if (n > RETAIN_NORM_MAX_KEEP)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "--keep: %d columns at most",
                       RETAIN_NORM_MAX_KEEP);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < i; k++)
            if (strcmp(keep[k], keep[i]) == 0)
                return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "--keep names \"%s\" twice",
                               keep[i]);
        if (retain_column_recognised(keep[i], NULL))
            return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                           "--keep \"%s\": a column of that name is one of id, start, end, mrr, "
                           "which the output has",
                           keep[i]);
    }
    return RETAIN_OK;
}

retain_writer *retain_norm_open(const char *const *keep, size_t n, const retain_print *p)
{
    const char *names[4 + RETAIN_NORM_MAX_KEEP] = {"id", "start", "end", "mrr"};
    if (n > RETAIN_NORM_MAX_KEEP)
        return NULL;
    for (size_t k = 0; k < n; k++)
        names[4 + k] = keep[k];
    return retain_writer_open(p->out, p->format, names, 4 + n, p->flags | RETAIN_WRITER_DEFERRED);
}

retain_status retain_norm_write_row(retain_writer *w, const retain_row *row, size_t n, int decimals)
{
    char start[11], end[11], mrr[32];
    retain_day_format(row->start, start);
    retain_writer_text(w, row->id, row->id_len);
    retain_writer_text(w, start, 10);
    if (row->has_end) {
        retain_day_format(row->end, end);
        retain_writer_text(w, end, 10);
    } else {
        retain_writer_empty(w);
    }
    if (row->has_mrr) {
        retain_money_format(row->mrr, decimals, mrr);
        retain_writer_number(w, mrr);
    } else {
        retain_writer_empty(w);
    }
    for (size_t k = 0; k < n; k++)
        retain_writer_text(w, row->extra[k], row->extra_len[k]);
    return retain_writer_end_row(w);
}
