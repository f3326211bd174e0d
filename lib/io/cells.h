/* Cells shared by the library's table writers (rate_table.c,
 * mrr_table.c, ...); nothing here is exported. */
#ifndef RETAIN_CELLS_H
#define RETAIN_CELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/output.h>
#include <retain/period.h>

/* Starts a table whose first column is the segment's (named segment: the
 * --by column; none when NULL), then ncols columns named cols[], on p->out
 * as p says, with the flags p has and more (RETAIN_WRITER_DEFERRED). NULL
 * when out of memory or ncols > 31. */
retain_writer *rt_open_segmented(const retain_print *p, const char *segment,
                                 const char *const *cols, size_t ncols, unsigned more);

/* The first cells of a row of a per-period table: the segment's name
 * (when the table has a segment column) and the period's label. Sticky
 * errors as retain/output.h says. */
void rt_write_segment_period(retain_writer *w, bool segmented, const char *segment, size_t len,
                             retain_period_kind kind, int32_t period);

#endif
