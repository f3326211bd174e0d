/* retain/norm.h - the canonical customer table, as 'retain norm' writes
 * it: id, start, end, mrr, then the columns kept from the input, with ISO
 * dates and '.' decimals, whatever the input's dialect was. See
 * retain-norm(1). */
#ifndef RETAIN_NORM_H
#define RETAIN_NORM_H

#include <stdbool.h>
#include <stddef.h>

#include <retain/output.h>
#include <retain/reader.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kept columns at most. */
#define RETAIN_NORM_MAX_KEEP 64

/* Whether keep[0 .. n) can be the kept columns: RETAIN_ERR_USAGE (diag)
 * for more than RETAIN_NORM_MAX_KEEP, a name given twice, or a name the
 * reader takes for one of its own columns (retain_column_recognised():
 * the output has id, start, end and mrr, and two look-alike columns
 * would make it ambiguous). */
RETAIN_API retain_status retain_norm_check(const char *const *keep, size_t n, retain_diag *diag);

/* Starts the canonical table on p->out as p says, deferred (nothing is
 * written before retain_writer_finish()): the columns id, start, end, mrr
 * and keep[0 .. n) (copied). The rows come from a reader whose extra
 * columns (retain_reader_options.extra) are keep, in that order. Returns
 * the writer (the caller finishes and frees it), or NULL when out of
 * memory. */
RETAIN_API retain_writer *retain_norm_open(const char *const *keep, size_t n,
                                           const retain_print *p);

/* Writes one row: its id, start, end (empty when it has none), mrr (empty
 * when it has none; to `decimals` places, or with -1 every decimal it has
 * and at least two), then its n extra cells as they are. Returns the
 * writer's status (sticky: its first failure). */
RETAIN_API retain_status retain_norm_write_row(retain_writer *w, const retain_row *row, size_t n,
                                               int decimals);

#ifdef __cplusplus
}
#endif
#endif
