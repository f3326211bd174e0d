/* The tables 'retain ltv' prints (retain/ltv.h): the LTV of each segment
 * of a customer table, and a table of rates with its LTV columns. */
#include <retain/ltv.h>

retain_status retain_writer_value(retain_writer *w, retain_value v, int decimals)
{
    return v.defined ? retain_writer_real(w, v.value, decimals) : retain_writer_empty(w);
}
