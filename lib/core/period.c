/* Period arithmetic. Indices: the day number for days; Monday-based weeks
 * counted from 1969-12-29; year x 12 + month - 1; year x 4 + quarter - 1;
 * the year itself. */
#include <stdio.h>
#include <string.h>

#include <retain/period.h>

static const char *const kind_names[] = {"day", "week", "month", "quarter", "year"};

bool retain_period_kind_parse(const char *name, retain_period_kind *out)
{
    for (int k = 0; k < 5; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (retain_period_kind)k;
            return true;
        }
    }
    return false;
}

const char *retain_period_kind_name(retain_period_kind kind)
{
    return (unsigned)kind < 5 ? kind_names[kind] : "?";
}

static int32_t floor_div(int32_t a, int32_t b)
{
    int32_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int32_t retain_period_of(retain_period_kind kind, retain_day day)
{
    int y, m;
    switch (kind) {
    case RETAIN_PERIOD_DAY:
        return day;
    case RETAIN_PERIOD_WEEK:
        return floor_div(day + 3, 7);
    case RETAIN_PERIOD_MONTH:
        retain_day_to_ymd(day, &y, &m, NULL);
        return y * 12 + m - 1;
    case RETAIN_PERIOD_QUARTER:
        retain_day_to_ymd(day, &y, &m, NULL);
        return y * 4 + (m - 1) / 3;
    case RETAIN_PERIOD_YEAR:
        retain_day_to_ymd(day, &y, NULL, NULL);
        return y;
    }
    return 0;
}

retain_day retain_period_first_day(retain_period_kind kind, int32_t period)
{
    retain_day d = 0;
    switch (kind) {
    case RETAIN_PERIOD_DAY:
        return period;
    case RETAIN_PERIOD_WEEK:
        return period * 7 - 3;
    case RETAIN_PERIOD_MONTH:
        retain_day_from_ymd(floor_div(period, 12), period - floor_div(period, 12) * 12 + 1, 1, &d);
        return d;
    case RETAIN_PERIOD_QUARTER:
        retain_day_from_ymd(floor_div(period, 4), (period - floor_div(period, 4) * 4) * 3 + 1, 1,
                            &d);
        return d;
    case RETAIN_PERIOD_YEAR:
        retain_day_from_ymd(period, 1, 1, &d);
        return d;
    }
    return d;
}

retain_day retain_period_last_day(retain_period_kind kind, int32_t period)
{
    return retain_period_first_day(kind, period + 1) - 1;
}

/* ISO 8601 week-numbering year and week of a Monday. */
static void iso_week(retain_day monday, int *year, int *week)
{
    retain_day thursday = monday + 3;
    int y;
    retain_day_to_ymd(thursday, &y, NULL, NULL);
    retain_day jan1;
    retain_day_from_ymd(y, 1, 1, &jan1);
    *year = y;
    *week = (thursday - jan1) / 7 + 1;
}

int retain_period_label(retain_period_kind kind, int32_t period, char *buf)
{
    int y, w;
    switch (kind) {
    case RETAIN_PERIOD_DAY:
        return retain_day_format(period, buf);
    case RETAIN_PERIOD_WEEK:
        iso_week(retain_period_first_day(kind, period), &y, &w);
        return snprintf(buf, 16, "%04d-W%02d", y, w);
    case RETAIN_PERIOD_MONTH:
        return snprintf(buf, 16, "%04d-%02d", (int)floor_div(period, 12),
                        (int)(period - floor_div(period, 12) * 12 + 1));
    case RETAIN_PERIOD_QUARTER:
        return snprintf(buf, 16, "%04d-Q%d", (int)floor_div(period, 4),
                        (int)(period - floor_div(period, 4) * 4 + 1));
    case RETAIN_PERIOD_YEAR:
        return snprintf(buf, 16, "%04d", (int)period);
    }
    buf[0] = '\0';
    return 0;
}

/* Reads exactly n digits. */
static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool parse_label(retain_period_kind kind, const char *text, int32_t *out);

bool retain_period_parse(retain_period_kind kind, const char *text, int32_t *out)
{
    if (parse_label(kind, text, out))
        return true;
    /* labels as spreadsheets write them: 2024-3, 2024-q1, 2024-W9 */
    size_t len = strlen(text);
    char fixed[16];
    if (kind == RETAIN_PERIOD_MONTH && len == 6 && text[4] == '-' && text[5] >= '1' &&
        text[5] <= '9')
        snprintf(fixed, sizeof fixed, "%.5s0%c", text, text[5]);
    else if (kind == RETAIN_PERIOD_QUARTER && len == 7 && text[4] == '-' && text[5] == 'q')
        snprintf(fixed, sizeof fixed, "%.5sQ%c", text, text[6]);
    else if (kind == RETAIN_PERIOD_WEEK && len == 7 && text[4] == '-' &&
             (text[5] == 'W' || text[5] == 'w') && text[6] >= '1' && text[6] <= '9')
        snprintf(fixed, sizeof fixed, "%.4s-W0%c", text, text[6]);
    else
        return false;
    return parse_label(kind, fixed, out);
}

static bool parse_label(retain_period_kind kind, const char *text, int32_t *out)
{
    size_t len = strlen(text);
    int y, a;
    retain_day d;
    if (len == 10 && retain_date_parse(text, len, NULL, &d)) {
        *out = retain_period_of(kind, d);
        return true;
    }
    if (!digits(text, 4, &y) || y < 1)
        return false;
    switch (kind) {
    case RETAIN_PERIOD_DAY:
        return false; /* only a date names a day */
    case RETAIN_PERIOD_WEEK: {
        if (len != 8 || text[4] != '-' || text[5] != 'W' || !digits(text + 6, 2, &a) || a < 1)
            return false;
        retain_day jan4;
        retain_day_from_ymd(y, 1, 4, &jan4); /* always in week 1 */
        retain_day monday = jan4 - (retain_day_weekday(jan4) - 1) + (a - 1) * 7;
        int yy, ww;
        iso_week(monday, &yy, &ww);
        if (yy != y)
            return false; /* week 53 of a 52-week year */
        *out = retain_period_of(kind, monday);
        return true;
    }
    case RETAIN_PERIOD_MONTH:
        if (len != 7 || text[4] != '-' || !digits(text + 5, 2, &a) || a < 1 || a > 12)
            return false;
        *out = y * 12 + a - 1;
        return true;
    case RETAIN_PERIOD_QUARTER:
        if (len != 7 || text[4] != '-' || text[5] != 'Q' || text[6] < '1' || text[6] > '4')
            return false;
        *out = y * 4 + (text[6] - '1');
        return true;
    case RETAIN_PERIOD_YEAR:
        if (len != 4)
            return false;
        *out = y;
        return true;
    }
    return false;
}
