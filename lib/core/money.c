/* Money parsing and formatting in exact fixed point, locale-free.
 * strtod would be slower (it is a quarter of a whole run, LIBCSV-NOTES),
 * locale-dependent and blind to decimal commas and grouping. */
#include <string.h>

#include <retain/money.h>

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Length of a blank at s: ASCII space or tab, U+00A0, U+202F; else 0. */
static size_t blank_len(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t'))
        return 1;
    if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (len >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF)
        return 3;
    return 0;
}

/* Length of a blank that ends at s[len-1]; else 0. */
static size_t blank_len_back(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        return 1;
    if (len >= 2 && s[len - 2] == 0xC2 && s[len - 1] == 0xA0)
        return 2;
    if (len >= 3 && s[len - 3] == 0xE2 && s[len - 2] == 0x80 && s[len - 1] == 0xAF)
        return 3;
    return 0;
}

static void trim(const unsigned char **s, size_t *len)
{
    size_t n;
    while ((n = blank_len(*s, *len)) > 0) {
        *s += n;
        *len -= n;
    }
    while ((n = blank_len_back(*s, *len)) > 0)
        *len -= n;
}

/* A currency symbol encoded in UTF-8 at s (forward) : $, £, ¥, ¤, or one
 * of the Currency Symbols block U+20A0..U+20CF (€, ₹, ₽, ...). */
static size_t symbol_len(const unsigned char *s, size_t len)
{
    if (len >= 1 && s[0] == '$')
        return 1;
    if (len >= 2 && s[0] == 0xC2 && (s[1] == 0xA3 || s[1] == 0xA4 || s[1] == 0xA5))
        return 2;
    if (len >= 3 && s[0] == 0xE2 && (s[1] == 0x82 || (s[1] == 0x83 && s[2] <= 0x8F)) &&
        s[2] >= 0x80 && s[2] <= 0xBF && !(s[1] == 0x82 && s[2] < 0xA0))
        return 3;
    return 0;
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Strips one currency mark from the front: a symbol, or up to three letters
 * optionally followed by a symbol (EUR, US$, CHF). */
static void strip_currency_front(const unsigned char **s, size_t *len)
{
    size_t n = symbol_len(*s, *len);
    if (n == 0) {
        while (n < *len && n < 3 && is_alpha((*s)[n]))
            n++;
        if (n > 0 && n < *len && is_alpha((*s)[n]))
            return; /* a longer word: not a currency */
        n += symbol_len(*s + n, *len - n);
    }
    *s += n;
    *len -= n;
    trim(s, len);
}

static void strip_currency_back(const unsigned char **s, size_t *len)
{
    const unsigned char *p = *s;
    size_t l = *len;
    /* a symbol at the end: try each UTF-8 length */
    for (size_t n = 1; n <= 3 && n <= l; n++) {
        if (symbol_len(p + l - n, n) == n) {
            *len = l - n;
            trim(s, len);
            return;
        }
    }
    size_t n = 0;
    while (n < l && n < 3 && is_alpha(p[l - 1 - n]))
        n++;
    if (n > 0 && n < l && is_alpha(p[l - 1 - n]))
        return;
    *len = l - n;
    trim(s, len);
}

/* The amount of an export's usual form, 1 to 12 digits and maybe the
 * decimal separator and 1 to 6 decimals, nothing else ("29.00"): parsed
 * at once, as the full parse below would; false for any other text. A
 * customer table has one amount a row. */
static bool plain_amount(const unsigned char *s, size_t len, char decimal, retain_money *out)
{
    /* the units: 1 to 12 digits (a 13th fails) */
    size_t i = 0, n = len < 13 ? len : 13;
    uint64_t units = 0;
    while (i < n && (unsigned)(s[i] - '0') < 10)
        units = units * 10 + (uint64_t)(s[i++] - '0');
    if (i == 0 || i > 12)
        return false;
    uint64_t micro = 0;
    if (i < len) {
        /* the decimals: 1 to 6 digits, to the end */
        static const uint32_t scale[7] = {1, 100000, 10000, 1000, 100, 10, 1};
        if (s[i++] != (unsigned char)decimal)
            return false;
        size_t first = i, m = len - i < 6 ? len : i + 6;
        while (i < m && (unsigned)(s[i] - '0') < 10)
            micro = micro * 10 + (uint64_t)(s[i++] - '0');
        if (i == first || i != len)
            return false;
        micro *= scale[i - first];
    }
    *out = (retain_money)(units * RETAIN_MONEY_SCALE + micro);
    return true;
}

retain_money_error retain_money_parse(const char *text, size_t len, char decimal, retain_money *out)
{
    const unsigned char *s = (const unsigned char *)text;
    if (decimal != ',')
        decimal = '.';
    if (plain_amount(s, len, decimal, out))
        return RETAIN_MONEY_OK;
    const char group = decimal == '.' ? ',' : '.';
    bool negative = false;
    int signs = 0; /* one sign, in one place: -5, 5-, (5); never --5 nor (-5) */

    trim(&s, &len);
    if (len == 0)
        return RETAIN_MONEY_EMPTY;
    if (len >= 2 && s[0] == '(' && s[len - 1] == ')') { /* accounting negative */
        negative = true;
        signs++;
        s++;
        len -= 2;
        trim(&s, &len);
    }
    for (int pass = 0; pass < 2; pass++) { /* sign and currency in any order */
        size_t sign = 0;
        if (len > 0 && (s[0] == '-' || s[0] == '+'))
            sign = 1;
        else if (len >= 3 && s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92) /* U+2212 */
            sign = 3;
        if (sign) {
            negative = s[0] != '+';
            signs++;
            s += sign;
            len -= sign;
            trim(&s, &len);
        }
        if (pass == 0 && len > 0 && !is_digit(s[0]) && s[0] != (unsigned char)decimal)
            strip_currency_front(&s, &len);
    }
    if (len > 0 && !is_digit(s[len - 1]))
        strip_currency_back(&s, &len);
    if (len > 0 && s[len - 1] == '-') { /* trailing minus: 12.00- */
        negative = true;
        signs++;
        len--;
        trim(&s, &len);
    }
    if (signs > 1)
        return RETAIN_MONEY_SYNTAX;
    if (len == 0)
        return RETAIN_MONEY_SYNTAX;

    /* digits, groups of three after a separator, then decimals */
    uint64_t units = 0;
    size_t i = 0, int_digits = 0, group_digits = 0;
    bool grouped = false;
    while (i < len) {
        unsigned char c = s[i];
        size_t b;
        if (is_digit(c)) {
            if (units > 9000000000000ULL / 10)
                return RETAIN_MONEY_RANGE;
            units = units * 10 + (c - '0');
            int_digits++;
            group_digits++;
            i++;
        } else if (c == (unsigned char)group || c == '\'' || (b = blank_len(s + i, len - i)) > 0) {
            size_t step = (c == (unsigned char)group || c == '\'') ? 1 : blank_len(s + i, len - i);
            if (int_digits == 0 || (grouped ? group_digits != 3 : group_digits > 3))
                goto bad;
            grouped = true;
            group_digits = 0;
            i += step;
        } else {
            break;
        }
    }
    if (grouped && group_digits != 3)
        goto bad;
    uint64_t micro = 0;
    size_t frac_digits = 0;
    if (i < len && s[i] == (unsigned char)decimal) {
        i++;
        uint64_t scale = RETAIN_MONEY_SCALE / 10;
        while (i < len && is_digit(s[i])) {
            if (frac_digits < 6) {
                micro += (uint64_t)(s[i] - '0') * scale;
                scale /= 10;
            } else if (frac_digits == 6 && s[i] >= '5') {
                micro += 1; /* half away from zero at the seventh decimal */
            }
            frac_digits++;
            i++;
        }
    }
    if (i != len || (int_digits == 0 && frac_digits == 0))
        goto bad;
    if (units > 9000000000000ULL || (units == 9000000000000ULL && micro > 0))
        return RETAIN_MONEY_RANGE;
    int64_t v = (int64_t)(units * RETAIN_MONEY_SCALE + micro);
    *out = negative ? -v : v;
    return RETAIN_MONEY_OK;

bad:
    /* Say which separator the text seems to use, when it is the other one. */
    for (size_t k = 0; k < len; k++) {
        if (s[k] == (unsigned char)group) {
            size_t d = 0;
            while (k + 1 + d < len && is_digit(s[k + 1 + d]))
                d++;
            if (k + 1 + d == len && d != 3 && d > 0)
                return decimal == '.' ? RETAIN_MONEY_DECIMAL_COMMA : RETAIN_MONEY_DECIMAL_POINT;
        }
    }
    return RETAIN_MONEY_SYNTAX;
}

int retain_money_format(retain_money amount, int decimals, char *buf)
{
    uint64_t a = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
    uint64_t units = a / RETAIN_MONEY_SCALE, frac = a % RETAIN_MONEY_SCALE;
    int n;
    if (decimals > 6)
        decimals = 6;
    if (decimals < 0) {
        n = 6;
        while (n > 2 && frac % 10 == 0) {
            frac /= 10;
            n--;
        }
    } else {
        uint64_t div = 1;
        for (int k = decimals; k < 6; k++)
            div *= 10;
        frac = (frac + div / 2) / div;
        uint64_t limit = 1;
        for (int k = 0; k < decimals; k++)
            limit *= 10;
        if (frac >= limit) {
            units++;
            frac -= limit;
        }
        n = decimals;
    }
    bool neg = amount < 0 && (units > 0 || frac > 0);
    /* by hand: snprintf is a tenth of retain norm's time */
    char tmp[32];
    int t = 0;
    for (int k = 0; k < n; k++, frac /= 10)
        tmp[t++] = (char)('0' + frac % 10);
    if (n > 0)
        tmp[t++] = '.';
    do {
        tmp[t++] = (char)('0' + units % 10);
        units /= 10;
    } while (units > 0);
    int o = 0;
    if (neg)
        buf[o++] = '-';
    while (t > 0)
        buf[o++] = tmp[--t];
    buf[o] = '\0';
    return o;
}
