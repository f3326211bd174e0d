/* retain/number.h - exact, locale-free formatting of rates.
 *
 * Rates are ratios of counts. They are rounded from the exact fraction, half
 * away from zero (as SQL's ROUND on numerics), never through binary floating
 * point, so that a recomputation elsewhere gives the same digits. */
#ifndef RETAIN_NUMBER_H
#define RETAIN_NUMBER_H

#include <stdbool.h>
#include <stdint.h>

#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text retain_format_ratio() writes, NUL included. */
#define RETAIN_NUMBER_BUFSIZE 48

/* Writes num / den x scale rounded to `decimals` decimals (0..9) into buf
 * (RETAIN_NUMBER_BUFSIZE bytes), with '.' and no grouping, never "-0".
 * Returns false and writes "" when den is 0: an undefined rate is empty,
 * never inf or NaN. Exact for any num and den with |scale| <= 10^6
 * (the arithmetic is 128-bit). */
RETAIN_API bool retain_format_ratio(int64_t num, int64_t den, int64_t scale, int decimals,
                                    char *buf);

/* Writes amount (money in millionths, see retain/money.h) / den with
 * `decimals` decimals (0..9) into buf (RETAIN_NUMBER_BUFSIZE bytes),
 * rounded half away from zero from the exact fraction: a cost per
 * customer or a mean per customer never goes through a double. Returns
 * false and writes "" when den is 0. */
RETAIN_API bool retain_format_money_ratio(int64_t amount, int64_t den, int decimals, char *buf);

/* Writes a floating-point value (an estimate, not an exact ratio: a
 * survival probability, a duration) with `decimals` decimals (0..9) into
 * buf (RETAIN_NUMBER_BUFSIZE bytes), with '.' and no grouping, never "-0".
 * The one place where libretain turns a double into text: rounded half
 * away from zero as the decimal it stands for (a fraction within a few
 * ulps of one half is a tie: 0.35 to 1 decimal is 0.4), whatever the
 * process locale. Returns false and
 * writes "" when value is NaN, infinite or beyond +-1e15: undefined is
 * empty. */
RETAIN_API bool retain_format_real(double value, int decimals, char *buf);

/* The same rounding as a whole number of 10^-decimals units: 1/8 x 100
 * at 2 decimals gives 1250. False when den is 0. */
RETAIN_API bool retain_round_ratio(int64_t num, int64_t den, int64_t scale, int decimals,
                                   int64_t *units);

#ifdef __cplusplus
}
#endif
#endif
