/* Calendar days and date parsing, independent of the process locale.
 * Day arithmetic follows H. Hinnant's days_from_civil algorithm: exact over
 * the proleptic Gregorian calendar with no tables and no timegm(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <retain/date.h>

#include "internal.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Whether year, month and day are in the years of most exports
 * (1970-2099, a leap year every fourth), where day_of_ymd_1970 applies. */
static inline bool in_1970s_range(unsigned year, unsigned month, unsigned mday)
{
    return year - 1970u < 130u && month - 1u < 12u && mday != 0;
}

/* The day of a date in_1970s_range: the days before the year, before the
 * month, in it (every date of every table passes here); false when the
 * month has no such day. */
static inline bool day_of_ymd_1970(unsigned year, unsigned month, unsigned mday, retain_day *out)
{
    static const short before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned leap = (year & 3) == 0;
    if (mday > dim[month - 1] + (unsigned)(month == 2 && leap))
        return false;
    *out = (retain_day)(365 * (year - 1970) + (year - 1969) / 4 + (unsigned)before[month - 1] +
                        (month > 2 && leap) + mday - 1);
    return true;
}

bool retain_day_from_ymd(int year, int month, int mday, retain_day *out)
{
    if (year >= 0 && month >= 0 && mday >= 0 &&
        in_1970s_range((unsigned)year, (unsigned)month, (unsigned)mday))
        return day_of_ymd_1970((unsigned)year, (unsigned)month, (unsigned)mday, out);
    if (year < 1 || year > 9999 || month < 1 || month > 12 || mday < 1 ||
        mday > days_in_month(year, month))
        return false;
    int y = year - (month <= 2);
    int era = y / 400; /* y >= 0 here */
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = (retain_day)(era * 146097 + doe - 719468);
    return true;
}

void retain_day_to_ymd(retain_day day, int *year, int *month, int *mday)
{
    long z = (long)day + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (year)
        *year = (int)(y + (m <= 2));
    if (month)
        *month = (int)m;
    if (mday)
        *mday = (int)d;
}

int retain_day_weekday(retain_day day)
{
    /* 1970-01-01 was a Thursday (4). */
    int r = (int)(((long)day + 3) % 7);
    if (r < 0)
        r += 7;
    return r + 1;
}

static void put_digits(char *p, int value, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

int retain_day_format(retain_day day, char *buf)
{
    int y, m, d;
    retain_day_to_ymd(day, &y, &m, &d);
    put_digits(buf, y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '-';
    put_digits(buf + 8, d, 2);
    buf[10] = '\0';
    return 10;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* After hh:mm, the usual rest of a date-time: [:ss][.fff] then nothing,
 * Z, or a zone of digits and colons after + or -. Checked by plain
 * comparisons, faster than the table below (which accepts all of them). */
static bool usual_tail(const char *s, size_t len)
{
    size_t i = 0;
    if (len >= 3 && s[0] == ':' && is_digit(s[1]) && is_digit(s[2]))
        i = 3;
    if (i < len && s[i] == '.')
        for (i++; i < len && is_digit(s[i]); i++)
            ;
    if (i == len)
        return true;
    if (s[i] == 'Z')
        return i + 1 == len;
    if (s[i] != '+' && s[i] != '-')
        return false;
    for (i++; i < len; i++)
        if ((unsigned char)(s[i] - '0') > 10) /* neither a digit nor ':' */
            return false;
    return true;
}

/* An ISO-style time after the date: hh:mm[:ss[.fff]] then Z, +hh[:mm],
 * -hhmm or " UTC"; also "10:32 AM" as some CRMs write. Only its shape is
 * checked: the time is dropped. */
static bool is_time(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && is_digit(s[i]))
        i++;
    else
        return false;
    if (i < len && is_digit(s[i]))
        i++;
    if (i + 2 >= len || s[i] != ':' || !is_digit(s[i + 1]) || !is_digit(s[i + 2]))
        return false;
    if (usual_tail(s + i + 3, len - i - 3))
        return true;
    /* the bytes of "0123456789:.,+-Z APMUTCGapm": a table, as every event
     * row of retain risk passes here (strchr was 5 % of its time) */
    static const uint8_t ok[256] = {
        ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
        ['7'] = 1, ['8'] = 1, ['9'] = 1, [':'] = 1, ['.'] = 1, [','] = 1, ['+'] = 1,
        ['-'] = 1, ['Z'] = 1, [' '] = 1, ['A'] = 1, ['P'] = 1, ['M'] = 1, ['U'] = 1,
        ['T'] = 1, ['C'] = 1, ['G'] = 1, ['a'] = 1, ['p'] = 1, ['m'] = 1};
    for (i += 3; i < len; i++) {
        if (!ok[(unsigned char)s[i]])
            return false;
    }
    return true;
}

static bool trailing_time_ok(const char *s, size_t len)
{
    if (len == 0)
        return true;
    if (s[0] != 'T' && s[0] != ' ')
        return false;
    return is_time(s + 1, len - 1);
}

/* YYYY-MM-DD, then nothing or a time: the digits read all at once (every
 * event row of retain risk passes here). */
static bool parse_iso(const char *s, size_t len, retain_day *out)
{
    if (len < 10)
        return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* "YYYY-MM-" as one word, its first byte lowest: less '0' in the digits'
     * bytes and '-' in the dashes', every byte must be below 10 and the
     * dashes' 0; then the digits are combined in place. */
    uint64_t w;
    uint16_t dd;
    memcpy(&w, s, 8);
    memcpy(&dd, s + 8, 2);
    w ^= 0x2D30302D30303030ULL;
    dd ^= 0x3030;
    uint32_t dw = dd;
    if (((w + 0x7676767676767676ULL) | w) & 0x8080808080808080ULL || (w & 0xFF0000FF00000000ULL) ||
        ((dw + 0x7676) | dw) & 0x8080)
        return false;
    if (len > 10 && !trailing_time_ok(s + 10, len - 10))
        return false;
    uint64_t y = w & 0xFFFFFFFF;          /* bytes y0 y1 y2 y3 */
    y = (y * 10 + (y >> 8)) & 0x00FF00FF; /* 10 y0 + y1, 10 y2 + y3 */
    y = (y * 100 + (y >> 16)) & 0xFFFF;   /* the year */
    int month = (int)(((w >> 40) & 0xFF) * 10 + ((w >> 48) & 0xFF));
    int mday = (int)((dw & 0xFF) * 10 + (dw >> 8));
    if (!in_1970s_range((unsigned)y, (unsigned)month, (unsigned)mday))
        return retain_day_from_ymd((int)y, month, mday, out);
    return day_of_ymd_1970((unsigned)y, (unsigned)month, (unsigned)mday, out);
#else
    if (s[4] != '-' || s[7] != '-')
        return false;
    const unsigned char *u = (const unsigned char *)s;
    unsigned y0 = u[0] - 48u, y1 = u[1] - 48u, y2 = u[2] - 48u, y3 = u[3] - 48u;
    unsigned m0 = u[5] - 48u, m1 = u[6] - 48u, d0 = u[8] - 48u, d1 = u[9] - 48u;
    if ((y0 > 9) | (y1 > 9) | (y2 > 9) | (y3 > 9) | (m0 > 9) | (m1 > 9) | (d0 > 9) | (d1 > 9))
        return false;
    if (len > 10 && !trailing_time_ok(s + 10, len - 10))
        return false;
    return retain_day_from_ymd((int)(1000 * y0 + 100 * y1 + 10 * y2 + y3), (int)(10 * m0 + m1),
                               (int)(10 * d0 + d1), out);
#endif
}

/* Compiled formats: one item per conversion or literal. */
enum item_kind {
    IT_LITERAL,
    IT_SPACE,
    IT_YEAR4,
    IT_YEAR2,
    IT_MONTH,
    IT_DAY,
    IT_MONTH_NAME, /* %b and %B: both accept either form */
    IT_YDAY,
    IT_NUM_DROP, /* %H %M %S: 1-2 digits, dropped */
    IT_AMPM,
    IT_ZONE_NUM, /* %z */
    IT_ZONE_NAME /* %Z */
};

struct retain_date_format {
    int epoch; /* 0, or units per second of a Unix time: 1 or 1000 */
    size_t n;
    struct {
        enum item_kind kind;
        char c;
    } item[];
};

retain_date_format *retain_date_format_new(const char *spec, retain_diag *diag)
{
    size_t cap = 3 * strlen(spec) + 1; /* %T expands into 5 items */
    retain_date_format *f = malloc(sizeof *f + cap * sizeof f->item[0]);
    if (!f) {
        rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        return NULL;
    }
    f->n = 0;
    f->epoch = 0;
    if (strcmp(spec, "epoch") == 0 || strcmp(spec, "epoch-ms") == 0) {
        f->epoch = spec[5] ? 1000 : 1;
        return f;
    }
    bool has_year = false, has_month = false, has_day = false, has_yday = false;
#define PUSH(k, ch) (f->item[f->n].kind = (k), f->item[f->n].c = (ch), f->n++)
    for (const char *p = spec; *p; p++) {
        if (*p == ' ') {
            PUSH(IT_SPACE, ' ');
            continue;
        }
        if (*p != '%') {
            PUSH(IT_LITERAL, *p);
            continue;
        }
        p++;
        switch (*p) {
        case 'Y':
            PUSH(IT_YEAR4, 0);
            has_year = true;
            break;
        case 'y':
            PUSH(IT_YEAR2, 0);
            has_year = true;
            break;
        case 'm':
            PUSH(IT_MONTH, 0);
            has_month = true;
            break;
        case 'd':
        case 'e':
            PUSH(IT_DAY, 0);
            has_day = true;
            break;
        case 'b':
        case 'B':
        case 'h':
            PUSH(IT_MONTH_NAME, 0);
            has_month = true;
            break;
        case 'j':
            PUSH(IT_YDAY, 0);
            has_yday = true;
            break;
        case 'H':
        case 'I':
        case 'M':
        case 'S':
            PUSH(IT_NUM_DROP, 0);
            break;
        case 'T':
            PUSH(IT_NUM_DROP, 0);
            PUSH(IT_LITERAL, ':');
            PUSH(IT_NUM_DROP, 0);
            PUSH(IT_LITERAL, ':');
            PUSH(IT_NUM_DROP, 0);
            break;
        case 'p':
            PUSH(IT_AMPM, 0);
            break;
        case 'z':
            PUSH(IT_ZONE_NUM, 0);
            break;
        case 'Z':
            PUSH(IT_ZONE_NAME, 0);
            break;
        case '%':
            PUSH(IT_LITERAL, '%');
            break;
        default:
            free(f);
            if (*p == '\0')
                rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "date format \"%s\" ends with a lone %%",
                        spec);
            else
                rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                        "date format \"%s\": %%%c is not supported", spec, *p);
            rt_hint(diag, "supported: %%Y %%y %%m %%d %%e %%b %%B %%j, and %%H %%M %%S "
                          "%%T %%p %%z %%Z (read and dropped)");
            return NULL;
        }
    }
#undef PUSH
    if (!has_year || !((has_month && has_day) || has_yday)) {
        free(f);
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                "date format \"%s\" does not name a whole day (year, month and day)", spec);
        rt_hint(diag, "for example --date-format %%d/%%m/%%Y or %%m/%%d/%%Y");
        return NULL;
    }
    return f;
}

void retain_date_format_free(retain_date_format *fmt)
{
    free(fmt);
}

/* Month names, English and French, folded (lower case, no accents), with
 * their abbreviations; the longest that matches wins ("mars" over "mar"). */
static const struct {
    const char *name;
    int month;
} month_names[] = {
    {"january", 1},   {"jan", 1},       {"janvier", 1},   {"janv", 1},      {"february", 2},
    {"feb", 2},       {"fevrier", 2},   {"fevr", 2},      {"fev", 2},       {"march", 3},
    {"mar", 3},       {"mars", 3},      {"april", 4},     {"apr", 4},       {"avril", 4},
    {"avr", 4},       {"may", 5},       {"mai", 5},       {"june", 6},      {"jun", 6},
    {"juin", 6},      {"july", 7},      {"jul", 7},       {"juillet", 7},   {"juil", 7},
    {"august", 8},    {"aug", 8},       {"aout", 8},      {"september", 9}, {"sep", 9},
    {"sept", 9},      {"septembre", 9}, {"october", 10},  {"oct", 10},      {"octobre", 10},
    {"november", 11}, {"nov", 11},      {"novembre", 11}, {"december", 12}, {"dec", 12},
    {"decembre", 12},
};

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Reads 1..max digits; returns how many, 0 when none. */
static size_t read_num(const char *s, size_t len, size_t max, int *value)
{
    size_t i = 0;
    int v = 0;
    while (i < len && i < max && is_digit(s[i]))
        v = v * 10 + (s[i++] - '0');
    *value = v;
    return i;
}

/* How many bytes of s spell name (folded, ASCII lower case) with any case
 * and the accents French month names have (é, û: UTF-8); 0 when they do
 * not. */
static size_t match_folded(const char *s, size_t len, const char *name)
{
    size_t i = 0;
    for (const char *n = name; *n; n++) {
        if (i >= len)
            return 0;
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < len) {
            unsigned char d = (unsigned char)s[i + 1] | 0x20; /* É -> é, Û -> û */
            char base = d == 0xA9 ? 'e' : d == 0xBB ? 'u' : 0;
            if (base != *n)
                return 0;
            i += 2;
            continue;
        }
        if (lower(c) != *n)
            return 0;
        i++;
    }
    return i;
}

/* A Unix time in seconds (an optional fraction dropped) or milliseconds:
 * its UTC day. */
static bool parse_epoch(const char *s, size_t len, int per_second, retain_day *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    size_t digits = 0;
    long long v = 0;
    while (i < len && is_digit(s[i])) {
        if (++digits > 15)
            return false; /* past year 9999 in any unit */
        v = v * 10 + (s[i++] - '0');
    }
    if (digits == 0)
        return false;
    if (i < len && s[i] == '.' && per_second == 1) {
        for (i++; i < len && is_digit(s[i]);)
            i++;
    }
    if (i != len)
        return false;
    long long per_day = 86400LL * per_second;
    long long day = neg ? -((v + per_day - 1) / per_day) : v / per_day; /* floor */
    if (day < RETAIN_DAY_MIN || day > RETAIN_DAY_MAX)
        return false;
    *out = (retain_day)day;
    return true;
}

__attribute__((noinline)) static bool parse_format(const char *s, size_t len,
                                                   const retain_date_format *f, retain_day *out)
{
    if (f->epoch)
        return parse_epoch(s, len, f->epoch, out);
    size_t i = 0;
    int year = -1, month = -1, day = -1, yday = -1, v;
    for (size_t k = 0; k < f->n; k++) {
        size_t n;
        switch (f->item[k].kind) {
        case IT_LITERAL:
            if (i >= len || s[i] != f->item[k].c)
                return false;
            i++;
            break;
        case IT_SPACE:
            while (i < len && s[i] == ' ')
                i++;
            break;
        case IT_YEAR4:
            if (read_num(s + i, len - i, 4, &v) != 4)
                return false;
            year = v;
            i += 4;
            break;
        case IT_YEAR2:
            if (read_num(s + i, len - i, 2, &v) != 2)
                return false;
            year = v < 69 ? 2000 + v : 1900 + v; /* POSIX's pivot */
            i += 2;
            break;
        case IT_MONTH:
        case IT_DAY:
        case IT_NUM_DROP:
            n = read_num(s + i, len - i, 2, &v);
            if (n == 0)
                return false;
            if (f->item[k].kind == IT_MONTH)
                month = v;
            else if (f->item[k].kind == IT_DAY)
                day = v;
            i += n;
            break;
        case IT_YDAY:
            n = read_num(s + i, len - i, 3, &v);
            if (n == 0)
                return false;
            yday = v;
            i += n;
            break;
        case IT_MONTH_NAME: {
            int found = -1;
            size_t flen = 0, best = 0;
            for (size_t m = 0; m < sizeof month_names / sizeof month_names[0]; m++) {
                size_t n_in = match_folded(s + i, len - i, month_names[m].name);
                size_t nlen = strlen(month_names[m].name);
                if (n_in && nlen > best) {
                    best = nlen;
                    found = month_names[m].month;
                    flen = n_in;
                }
            }
            if (found < 0)
                return false;
            month = found;
            i += flen;
            if (i < len && s[i] == '.') /* "Sept." and "janv." */
                i++;
            break;
        }
        case IT_AMPM:
            if (i + 2 > len || !strchr("AaPp", s[i]) || lower((unsigned char)s[i + 1]) != 'm')
                return false;
            i += 2;
            break;
        case IT_ZONE_NUM:
            if (i < len && s[i] == 'Z') {
                i++;
                break;
            }
            if (i >= len || (s[i] != '+' && s[i] != '-'))
                return false;
            i++;
            n = 0;
            while (i < len && (is_digit(s[i]) || s[i] == ':') && n < 5) {
                i++;
                n++;
            }
            if (n < 2)
                return false;
            break;
        case IT_ZONE_NAME:
            n = 0;
            while (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) {
                i++;
                n++;
            }
            if (n == 0)
                return false;
            break;
        }
    }
    if (i < len && !trailing_time_ok(s + i, len - i))
        return false;
    if (yday >= 0 && month < 0) {
        retain_day jan1;
        if (!retain_day_from_ymd(year, 1, 1, &jan1))
            return false;
        if (yday < 1 || yday > (is_leap(year) ? 366 : 365))
            return false;
        *out = jan1 + yday - 1;
        return true;
    }
    return retain_day_from_ymd(year, month, day, out);
}

bool retain_date_parse(const char *text, size_t len, const retain_date_format *fmt, retain_day *out)
{
    if (!fmt)
        return parse_iso(text, len, out);
    return parse_format(text, len, fmt, out);
}
