/* Helpers shared by retain ltv and retain cac. */
#include <string.h>

#include "model.h"

retain_status model_put(retain_writer *w, const cli *c, retain_value v)
{
    return v.defined ? retain_writer_real(w, v.value, c->precision) : retain_writer_empty(w);
}

static bool plain_number(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    if (i < len && s[i] == '-')
        i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        size_t frac = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, frac++;
        if (frac == 0)
            return false;
        digits += frac;
    }
    return i == len && digits > 0;
}

retain_status model_put_cell(retain_writer *w, const char *text, size_t len)
{
    if (len == 0)
        return retain_writer_empty(w);
    if (plain_number(text, len)) {
        char buf[RETAIN_NUMBER_BUFSIZE];
        if (len < sizeof buf) {
            memcpy(buf, text, len);
            buf[len] = '\0';
            return retain_writer_number(w, buf);
        }
    }
    return retain_writer_text(w, text, len);
}
