/* Numbers in the cells of a small table. */
#include <retain/money.h>
#include <retain/table.h>

bool retain_table_number(const retain_table *t, size_t row, size_t col, double *out, bool *present)
{
    size_t len;
    const char *s = retain_table_cell(t, row, col, &len);
    *present = len > 0;
    if (len == 0)
        return true;
    retain_money m;
    if (retain_money_parse(s, len, '.', &m) != RETAIN_MONEY_OK)
        return false;
    *out = (double)m / RETAIN_MONEY_SCALE;
    return true;
}
