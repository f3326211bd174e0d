/* retain/period.h - reporting periods: day, ISO week, month, quarter, year.
 *
 * A period is identified by an index that increases by one from each period
 * to the next, so that ranges of periods are plain integer ranges. */
#ifndef RETAIN_PERIOD_H
#define RETAIN_PERIOD_H

#include <stdbool.h>
#include <stdint.h>

#include <retain/date.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RETAIN_PERIOD_DAY,
    RETAIN_PERIOD_WEEK, /* ISO 8601 week, Monday first */
    RETAIN_PERIOD_MONTH,
    RETAIN_PERIOD_QUARTER,
    RETAIN_PERIOD_YEAR
} retain_period_kind;

/* "day", "week", "month", "quarter" or "year" to a kind. */
RETAIN_API bool retain_period_kind_parse(const char *name, retain_period_kind *out);
RETAIN_API const char *retain_period_kind_name(retain_period_kind kind);

/* Index of the period holding a day. */
RETAIN_API int32_t retain_period_of(retain_period_kind kind, retain_day day);

/* First and last day of the period with an index. */
RETAIN_API retain_day retain_period_first_day(retain_period_kind kind, int32_t period);
RETAIN_API retain_day retain_period_last_day(retain_period_kind kind, int32_t period);

/* Writes the label (2024-03-15, 2024-W09, 2024-03, 2024-Q1, 2024) and a NUL
 * into buf (at least 16 bytes). Returns its length. */
RETAIN_API int retain_period_label(retain_period_kind kind, int32_t period, char *buf);

/* Reads a label of the given kind, or an ISO date (the period holding it);
 * also the forms spreadsheets write: 2024-3 for 2024-03, 2024-q1, 2024-W9.
 * Returns false when text is none of these. */
RETAIN_API bool retain_period_parse(retain_period_kind kind, const char *text, int32_t *out);

#ifdef __cplusplus
}
#endif
#endif
