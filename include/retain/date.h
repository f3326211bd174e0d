/* retain/date.h - calendar days, parsed without the process locale.
 *
 * A day is a count of days since 1970-01-01 (proleptic Gregorian). Dates in
 * exports are ISO (2024-03-15, or an ISO date-time whose time and zone are
 * dropped) unless a strptime-style format is given. */
#ifndef RETAIN_DATE_H
#define RETAIN_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t retain_day;

/* Earliest and latest representable days: years 1..9999. */
#define RETAIN_DAY_MIN (-719162)
#define RETAIN_DAY_MAX 2932896

/* Day number of a civil date. Returns false when the date does not exist
 * (month 13, 2023-02-30) or is outside years 1..9999. */
RETAIN_API bool retain_day_from_ymd(int year, int month, int mday, retain_day *out);

/* Civil date of a day number. Any pointer may be NULL. */
RETAIN_API void retain_day_to_ymd(retain_day day, int *year, int *month, int *mday);

/* Day of week, ISO numbering: 1 = Monday ... 7 = Sunday. */
RETAIN_API int retain_day_weekday(retain_day day);

/* Writes YYYY-MM-DD and a NUL into buf (at least 11 bytes). Returns 10. */
RETAIN_API int retain_day_format(retain_day day, char *buf);

/* A compiled date format. NULL everywhere below means ISO 8601. */
typedef struct retain_date_format retain_date_format;

/* Compiles a strptime-style format. Supported: %Y (4 digits), %y (2 digits,
 * 1969-2068 as POSIX), %m and %d (1 or 2 digits), %e, %b and %B (a month
 * name or its abbreviation, English or French, any case, accents or not,
 * an abbreviation's dot optional: Sep, Sept., September, janv., févr.,
 * aout, décembre; never the process locale), %j (day of year), %%, and
 * literal characters; a space matches any run of spaces. Time conversions
 * (%H %M %S %T %p %z %Z) are read and dropped.
 * "epoch" and "epoch-ms" read Unix times in seconds (a fraction dropped)
 * or milliseconds, negative ones included: the UTC day they fall on.
 * Returns NULL and fills diag (RETAIN_ERR_USAGE) on an unsupported format.
 * The caller owns the result and frees it with retain_date_format_free(). */
RETAIN_API retain_date_format *retain_date_format_new(const char *spec, retain_diag *diag);
RETAIN_API void retain_date_format_free(retain_date_format *fmt);

/* Parses text[0..len). With fmt NULL: YYYY-MM-DD, optionally followed by
 * 'T' or ' ' and an ISO time (hh:mm[:ss[.fff]] and an optional Z or
 * +hh[:mm]), which is dropped: the date as written is the day. With a
 * format, the whole text must match it; a trailing time after a space or a
 * 'T' is dropped too. Returns false on anything else, including impossible
 * dates. */
RETAIN_API bool retain_date_parse(const char *text, size_t len, const retain_date_format *fmt,
                                  retain_day *out);

#ifdef __cplusplus
}
#endif
#endif
