/* retain/money.h - money amounts as exact fixed-point integers.
 *
 * Amounts are kept in millionths of a currency unit so that sums are exact
 * and independent of summation order; parsing never uses the process
 * locale. */
#ifndef RETAIN_MONEY_H
#define RETAIN_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An amount in millionths of a unit: 1234.5 is 1234500000. */
typedef int64_t retain_money;

#define RETAIN_MONEY_SCALE 1000000

/* Why a money field did not parse, for messages that help. */
typedef enum {
    RETAIN_MONEY_OK = 0,
    RETAIN_MONEY_EMPTY,         /* nothing but blanks */
    RETAIN_MONEY_SYNTAX,        /* not a number */
    RETAIN_MONEY_DECIMAL_COMMA, /* looks like a decimal comma: use ',' */
    RETAIN_MONEY_DECIMAL_POINT, /* looks like a decimal point: use '.' */
    RETAIN_MONEY_RANGE          /* beyond +-9e12 */
} retain_money_error;

/* Parses an amount such as 1234.5, 1,234.50, $1,234.50, 1234.50 EUR,
 * -12, (12.00), or with decimal ',' 1 234,50 EUR and 1.234,50. decimal is
 * '.' or ','; the other of the two, spaces, no-break spaces (U+00A0,
 * U+202F) and apostrophes group thousands, in groups of exactly three
 * digits. A currency symbol or a code of up to three letters may stand
 * before or after the number. A negative amount has one sign in one
 * place: a leading - (or U+2212; + for positive), a trailing -, or
 * parentheses; two of them (--5, (-5), -5-, +-5) are RETAIN_MONEY_SYNTAX,
 * never read as 5. Digits past the sixth decimal are rounded half away
 * from zero. */
RETAIN_API retain_money_error retain_money_parse(const char *text, size_t len, char decimal,
                                                 retain_money *out);

/* Writes the amount with `decimals` decimals (0..6, rounded half away from
 * zero), or, when decimals is negative, with as many as it needs but at
 * least two. Uses '.' and no grouping. buf needs 32 bytes. Returns the
 * length written. */
RETAIN_API int retain_money_format(retain_money amount, int decimals, char *buf);

#ifdef __cplusplus
}
#endif
#endif
