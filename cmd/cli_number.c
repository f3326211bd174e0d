/* The one parser of numbers given to options. See cli.h. */
#include <stdlib.h>
#include <string.h>

#include "cli_private.h"

bool cli_number(cli *c, const char *arg, cli_num_kind kind, const char *what, double min,
                double max, double *out)
{
    char digits[64];
    size_t len = strlen(arg), n = 0, ndigits = 0, dots = 0;
    bool percent = kind != CLI_NUM_PLAIN && len > 1 && arg[len - 1] == '%';
    if (percent)
        len--;
    const char *hint = NULL;
    bool ok = len > 0 && len < sizeof digits;
    for (size_t i = 0; ok && i < len; i++) {
        char ch = arg[i];
        if (ch >= '0' && ch <= '9')
            ndigits++;
        else if (ch == '.')
            ok = ++dots == 1;
        else if (ch == '-' && i == 0)
            ;
        else
            ok = false;
        digits[n++] = ch;
    }
    digits[n] = '\0';
    ok = ok && ndigits > 0;
    if (!ok) {
        if (strncmp(arg + (arg[0] == '-'), "0x", 2) == 0 ||
            strncmp(arg + (arg[0] == '-'), "0X", 2) == 0)
            hint = "write plain decimals: no hexadecimal";
        else if (strpbrk(arg, "eE"))
            hint = "write plain decimals, without an exponent";
        else if (strpbrk(arg, "$\xe2\xa3\xa5") || strstr(arg, "EUR") || strstr(arg, "USD"))
            hint = "write the number alone, without a currency";
        else if (strchr(arg, ','))
            hint = "the decimal separator of options is '.' whatever the locale";
        else if (strchr(arg, '%'))
            hint = kind == CLI_NUM_PLAIN ? "this option is not a percentage: no '%'" : NULL;
    }
    double v = ok ? strtod(digits, NULL) : 0; /* the C locale: retain never sets one */
    if (ok && percent && kind == CLI_NUM_FRACTION)
        v /= 100;
    if (ok && v == 0 && digits[0] == '-')
        v = 0; /* no -0 */
    if (!ok || !(v >= min && v <= max)) {
        cli_usage_error(c, "%s takes %s, not '%s'%s%s", c->option, what, arg, hint ? "; " : "",
                        hint ? hint : "");
        return false;
    }
    *out = v;
    return true;
}

bool cli_count(cli *c, const char *arg, const char *what, long long min, long long max,
               long long *out)
{
    double v;
    if (strchr(arg, '.') ||
        !cli_number(c, arg, CLI_NUM_PLAIN, what, (double)min, (double)max, &v)) {
        if (strchr(arg, '.'))
            cli_usage_error(c, "%s takes %s, not '%s'", c->option, what, arg);
        return false;
    }
    *out = (long long)v;
    return true;
}
