/* Exact rounding of ratios: the digits SQL's ROUND(numeric) would give. */

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <retain/money.h>
#include <retain/number.h>

/* n / d rounded half away from zero (d != 0). */
static __int128 round_quotient(__int128 n, __int128 d)
{
    if (d < 0) {
        n = -n;
        d = -d;
    }
    bool neg = n < 0;
    if (neg)
        n = -n;
    __int128 q = n / d;
    if (2 * (n % d) >= d)
        q++;
    return neg ? -q : q;
}

/* 10^decimals, decimals clamped to 0..9. */
static __int128 pow10_clamped(int *decimals)
{
    if (*decimals < 0)
        *decimals = 0;
    if (*decimals > 9)
        *decimals = 9;
    __int128 pow10 = 1;
    for (int i = 0; i < *decimals; i++)
        pow10 *= 10;
    return pow10;
}

/* num / den x scale in units of 10^-decimals, rounded half away from
 * zero; 128-bit so that no input overflows. decimals is clamped to 0..9. */
static __int128 round_ratio(int64_t num, int64_t den, int64_t scale, int *decimals)
{
    return round_quotient((__int128)num * scale * pow10_clamped(decimals), den);
}

/* Writes q units of 10^-decimals. */
static void write_units(__int128 q, int decimals, char *buf)
{
    bool neg = q < 0; /* never "-0.00": a zero q has no sign */
    if (neg)
        q = -q;
    /* digits of q, least significant first: q may pass 2^64 */
    char digits[48];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + (int)(q % 10));
        q /= 10;
    } while (q > 0 || nd <= decimals);
    char *o = buf;
    if (neg)
        *o++ = '-';
    for (int i = nd - 1; i >= 0; i--) {
        *o++ = digits[i];
        if (i == decimals && decimals > 0)
            *o++ = '.';
    }
    *o = '\0';
}

bool retain_format_ratio(int64_t num, int64_t den, int64_t scale, int decimals, char *buf)
{
    if (den == 0) {
        buf[0] = '\0';
        return false;
    }
    write_units(round_ratio(num, den, scale, &decimals), decimals, buf);
    return true;
}

bool retain_format_money_ratio(int64_t amount, int64_t den, int decimals, char *buf)
{
    if (den == 0) {
        buf[0] = '\0';
        return false;
    }
    /* amount / (den x 10^6) in units of 10^-decimals */
    __int128 n = (__int128)amount * pow10_clamped(&decimals);
    write_units(round_quotient(n, (__int128)den * RETAIN_MONEY_SCALE), decimals, buf);
    return true;
}

bool retain_format_real(double value, int decimals, char *buf)
{
    if (!isfinite(value) || fabs(value) >= 1e15) {
        buf[0] = '\0';
        return false;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    /* Round half away from zero, as everywhere else in retain, and as the
     * decimal the value stands for: 7.625 is a tie and so is 0.35, whose
     * double is a hair below it. A fraction within a few ulps of one half
     * counts as a tie. */
    double a = fabs(value) * pow(10, decimals);
    double units = floor(a), frac = a - units;
    double tol = 8 * DBL_EPSILON * (a > 1 ? a : 1);
    if (tol > 1.0 / 64)
        tol = 1.0 / 64; /* past 10^13 units, 8 ulps would make 0.0 a tie */
    if (frac > 0.5 - tol)
        units += 1;
    char digits[48];
    /* an integer-valued double: no decimal point, whatever the locale */
    int nd = snprintf(digits, sizeof digits, "%.0f", units);
    char *o = buf;
    if (value < 0 && units > 0)
        *o++ = '-';               /* never "-0.00" */
    int lead = decimals + 1 - nd; /* zeros before the digits: 0.05 */
    for (int i = 0; i < lead; i++) {
        *o++ = '0';
        if (i == 0 && decimals > 0)
            *o++ = '.';
    }
    for (int i = 0; i < nd; i++) {
        int left = nd - i; /* digits left, this one included */
        if (lead <= 0 && left == decimals && decimals > 0)
            *o++ = '.';
        *o++ = digits[i];
    }
    *o = '\0';
    return true;
}

bool retain_round_ratio(int64_t num, int64_t den, int64_t scale, int decimals, int64_t *units)
{
    if (den == 0)
        return false;
    *units = (int64_t)round_ratio(num, den, scale, &decimals);
    return true;
}
