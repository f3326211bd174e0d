/* Numbers in the cells of a small table, and retain's numbers written as
 * cells. */
#include <string.h>

#include <retain/date.h>
#include <retain/money.h>
#include <retain/number.h>
#include <retain/output.h>
#include <retain/table.h>

#include "cells.h"

bool retain_table_number(const retain_table *t, size_t row, size_t col, double *out, bool *present)
{
    size_t len;
    const char *s = retain_table_cell(t, row, col, &len);
    *present = len > 0;
    if (len == 0)
        return true;
    retain_money m;
    if (retain_money_parse(s, len, '.', &m) != RETAIN_MONEY_OK)
        return false;
    *out = (double)m / RETAIN_MONEY_SCALE;
    return true;
}

retain_status retain_writer_ratio(retain_writer *w, int64_t num, int64_t den, int64_t scale,
                                  int decimals)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    if (!retain_format_ratio(num, den, scale, decimals, buf))
        return retain_writer_empty(w);
    return retain_writer_number(w, buf);
}

retain_status retain_writer_money(retain_writer *w, int64_t money, int decimals)
{
    char buf[32];
    retain_money_format(money, decimals, buf);
    return retain_writer_number(w, buf);
}

retain_status retain_writer_day(retain_writer *w, int32_t day)
{
    char buf[16];
    retain_day_format(day, buf);
    return retain_writer_text(w, buf, 10);
}

void rt_write_segment_period(retain_writer *w, bool segmented, const char *segment, size_t len,
                             retain_period_kind kind, int32_t period)
{
    char label[16];
    if (segmented)
        retain_writer_text(w, segment, len);
    retain_period_label(kind, period, label);
    retain_writer_text(w, label, strlen(label));
}

retain_writer *rt_open_segmented(const retain_print *p, const char *segment,
                                 const char *const *cols, size_t ncols, unsigned more)
{
    const char *names[32];
    size_t n = 0;
    if (ncols > 31)
        return NULL;
    if (segment)
        names[n++] = segment;
    for (size_t i = 0; i < ncols; i++)
        names[n++] = cols[i];
    return retain_writer_open(p->out, p->format, names, n, p->flags | more);
}
