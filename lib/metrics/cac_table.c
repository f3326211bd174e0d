/* The CAC table 'retain cac --spend-table' prints (retain/cac.h): one row
 * per period and channel of the acquisition rows, joined with the LTV. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <retain/cac.h>
#include <retain/number.h>

#include "cac_join.h"
#include "internal.h"

/* The ratio of the warning as an analyst writes it: the fewest decimals
 * (up to 9) that give it back, 3 and 2.5 rather than 3.000000. */
static void ratio_text(double ratio, char *buf)
{
    int d = 0;
    for (double scale = 1; d < 9; d++, scale *= 10) {
        double s = ratio * scale;
        if (fabs(s - round(s)) <= 1e-9 * fmax(1, fabs(s)))
            break;
    }
    retain_format_real(ratio, d, buf);
}

static void write_row(retain_writer *w, const retain_cac_join_options *o,
                      const retain_acquisition_row *row, const retain_cac_row *out, bool model,
                      const char *warning, int precision)
{
    char label[16], cac[RETAIN_NUMBER_BUFSIZE];
    retain_period_label(o->period, row->period, label);
    retain_writer_text(w, label, strlen(label));
    if (o->segment)
        retain_writer_text(w, row->channel, row->channel_len);
    row->spend_defined ? retain_writer_money(w, row->spend, precision < 6 ? precision : 6)
                       : retain_writer_empty(w);
    row->has_new ? retain_writer_int(w, row->new_customers) : retain_writer_empty(w);
    /* spend / new from the exact amount, never a double */
    if (out->cac.defined &&
        retain_format_money_ratio(row->spend, row->new_customers, precision, cac))
        retain_writer_number(w, cac);
    else
        retain_writer_empty(w);
    if (model) {
        retain_writer_value(w, out->ltv, precision);
        retain_writer_value(w, out->ltv_cac, precision);
        retain_writer_value(w, out->payback, precision);
        out->below_min_ratio ? retain_writer_text(w, warning, strlen(warning))
                             : retain_writer_empty(w);
    }
    retain_writer_end_row(w);
}

retain_status retain_cac_write(retain_acquisition *a, const retain_cac_join *join,
                               const retain_print *p, retain_writer **out, retain_diag *diag)
{
    const retain_cac_join_options *o = &join->o;
    bool model = retain_cac_join_has_ltv(join);
    const char *names[9];
    size_t n = 0;
    names[n++] = "period";
    if (o->segment)
        names[n++] = o->segment;
    names[n++] = "spend";
    names[n++] = "new";
    names[n++] = "cac";
    if (model) {
        names[n++] = "ltv";
        names[n++] = "ltv_cac";
        names[n++] = retain_cac_join_payback_name(join);
        names[n++] = "warning";
    }
    char warning[64], ratio[RETAIN_NUMBER_BUFSIZE];
    ratio_text(o->min_ratio, ratio);
    snprintf(warning, sizeof warning, "LTV:CAC below %s", ratio);
    *out = retain_writer_open(p->out, p->format, names, n, p->flags | RETAIN_WRITER_DEFERRED);
    if (!*out)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    size_t nrows = retain_acquisition_rows(a);
    for (size_t i = 0; i < nrows; i++) {
        const retain_acquisition_row *row = retain_acquisition_row_at(a, i);
        retain_cac_row cells;
        retain_status st = retain_cac_join_row(join, row, &cells, diag);
        if (st != RETAIN_OK) {
            retain_writer_free(*out); /* deferred: nothing was written */
            *out = NULL;
            return st;
        }
        write_row(*out, o, row, &cells, model, warning, p->precision);
    }
    return RETAIN_OK;
}
