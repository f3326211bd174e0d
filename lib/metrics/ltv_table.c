/* The tables 'retain ltv' prints (retain/ltv.h): the LTV of each segment
 * of a customer table, and a table of rates with its LTV columns. */
#include <stdlib.h>
#include <string.h>

#include <retain/ltv.h>
#include <retain/number.h>

#include "internal.h"

retain_status retain_writer_value(retain_writer *w, retain_value v, int decimals)
{
    return v.defined ? retain_writer_real(w, v.value, decimals) : retain_writer_empty(w);
}

retain_writer *retain_ltv_write(const retain_ltv_table *t, const char *segment,
                                const retain_ltv_method *m, const retain_print *p)
{
    static const char *const cols[] = {
        "customers",    "arpu",           "margin",          "churn_pct",
        "churn_months", "discount_pct",   "horizon_months", /* with the survival method */
        "ltv",          "customers_seen", "observed_revenue"};
    const char *names[11];
    size_t ncols = 0;
    if (segment)
        names[ncols++] = segment;
    for (size_t i = 0; i < 10; i++)
        if (i != 6 || m->survival)
            names[ncols++] = cols[i];
    retain_writer *w = retain_writer_open(p->out, p->format, names, ncols, p->flags);
    int d = p->precision;
    for (size_t g = 0; w && g < retain_ltv_table_segments(t); g++) {
        retain_ltv_inputs in;
        retain_ltv_table_get(t, g, &in);
        retain_value ltv;
        retain_ltv_table_value(t, g, m, &ltv, NULL);
        if (segment) {
            size_t len;
            const char *seg = retain_ltv_table_segment(t, g, &len);
            retain_writer_text(w, seg, len);
        }
        retain_writer_int(w, in.customers);
        char arpu[RETAIN_NUMBER_BUFSIZE]; /* exact, not the double */
        if (in.arpu.defined && retain_format_money_ratio(in.mrr_sum, in.customers, d, arpu))
            retain_writer_number(w, arpu);
        else
            retain_writer_empty(w);
        retain_writer_real(w, m->margin, d);
        retain_writer_value(w, (retain_value){in.churn.value * 100, in.churn.defined}, d);
        retain_writer_int(w, in.months);
        retain_writer_real(w, m->discount * 100, d);
        if (m->survival)
            retain_writer_int(w, m->horizon);
        retain_writer_value(w, ltv, d);
        retain_writer_int(w, in.customers_seen);
        retain_writer_value(w, in.observed_revenue, d);
        retain_writer_end_row(w);
    }
    return w;
}

/* Whether a cell is a plain decimal (-12.50), written as a number. */
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

/* A cell passed through: a number when it is a plain one (for JSON and
 * the aligned table), else text. */
static retain_status put_cell(retain_writer *w, const char *text, size_t len)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    if (len == 0)
        return retain_writer_empty(w);
    if (plain_number(text, len) && len < sizeof buf) {
        memcpy(buf, text, len);
        buf[len] = '\0';
        return retain_writer_number(w, buf);
    }
    return retain_writer_text(w, text, len);
}

/* Writes row r of t with its LTV columns. */
static retain_status write_applied(retain_writer *w, const retain_ltv_apply *a,
                                   const retain_table *t, size_t r, int decimals, retain_diag *diag)
{
    retain_value v[RETAIN_LTV_ADDED];
    retain_status st = retain_ltv_apply_row(a, t, r, v, diag);
    if (st != RETAIN_OK)
        return st;
    for (size_t i = 0; i < retain_table_columns(t); i++) { /* the row, its LTV columns replaced */
        int k = -1;
        for (int j = 0; j < RETAIN_LTV_ADDED; j++)
            if (a->has[j] && a->col[j] == i)
                k = j;
        size_t len;
        const char *cell = retain_table_cell(t, r, i, &len);
        k >= 0 ? retain_writer_value(w, v[k], decimals) : put_cell(w, cell, len);
    }
    for (int j = 0; j < RETAIN_LTV_ADDED; j++)
        if (!a->has[j])
            retain_writer_value(w, v[j], decimals);
    retain_writer_end_row(w);
    return RETAIN_OK;
}

retain_status retain_ltv_apply_write(const retain_ltv_apply *a, const retain_table *t,
                                     const retain_print *p, retain_writer **out, retain_diag *diag)
{
    size_t ncols = retain_table_columns(t), n = 0;
    const char **names = malloc((ncols + RETAIN_LTV_ADDED) * sizeof *names);
    for (size_t i = 0; names && i < ncols; i++)
        names[n++] = retain_table_name(t, i);
    for (int i = 0; names && i < RETAIN_LTV_ADDED; i++)
        if (!a->has[i])
            names[n++] = retain_ltv_added_name(i);
    *out = names
               ? retain_writer_open(p->out, p->format, names, n, p->flags | RETAIN_WRITER_DEFERRED)
               : NULL;
    free(names);
    if (!*out)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t r = 0; r < retain_table_rows(t); r++) {
        retain_status st = write_applied(*out, a, t, r, p->precision, diag);
        if (st != RETAIN_OK) {
            retain_writer_free(*out); /* deferred: nothing was written */
            *out = NULL;
            return st;
        }
    }
    return RETAIN_OK;
}
