/* LTV per segment of a customer table, and LTV applied to the rows of a
 * table that has churn_pct. */
#include <string.h>

#include <retain/ltv.h>
#include <retain/table.h>

#include "internal.h"

retain_status retain_ltv_table_value(const retain_ltv_table *t, size_t segment,
                                     const retain_ltv_method *m, retain_value *out,
                                     retain_diag *diag)
{
    retain_ltv_inputs in;
    retain_ltv_table_get(t, segment, &in);
    *out = (retain_value){0, false};
    if (!in.arpu.defined)
        return RETAIN_OK;
    if (!m->survival)
        return in.churn.defined ? retain_ltv_discounted(in.arpu.value, m->margin, in.churn.value,
                                                        m->discount, out, diag)
                                : RETAIN_OK;
    size_t len, nsteps = 0;
    const char *name = retain_ltv_table_segment(t, segment, &len);
    const retain_km_step *steps = NULL;
    for (size_t g = 0; g < retain_survival_segments(m->survival) && !steps; g++) {
        size_t l;
        const char *s = retain_survival_segment(m->survival, g, &l);
        if (l == len && memcmp(s, name, len) == 0)
            steps = retain_survival_curve(m->survival, g, &nsteps);
    }
    return retain_ltv_survival(steps, nsteps, in.arpu.value, m->margin, m->discount, m->horizon,
                               out, diag);
}

static const char *const added_names[RETAIN_LTV_ADDED] = {"arpu", "margin", "discount_pct", "ltv"};

const char *retain_ltv_added_name(int added)
{
    return added >= 0 && added < RETAIN_LTV_ADDED ? added_names[added] : NULL;
}

retain_status retain_ltv_apply_init(retain_ltv_apply *a, const retain_table *t,
                                    const retain_ltv_given *given, retain_diag *diag)
{
    memset(a, 0, sizeof *a);
    a->given = *given;
    for (int i = 0; i < RETAIN_LTV_ADDED; i++)
        a->has[i] = retain_table_find(t, added_names[i], &a->col[i]);
    if (!retain_table_find(t, "churn_pct", &a->churn_col))
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "has no churn_pct column");
    if (!given->arpu.defined && !a->has[RETAIN_LTV_ARPU])
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "has churn_pct but no arpu column: give --arpu");
    return RETAIN_OK;
}

/* A number from a cell within [lo, hi]; undefined when empty. */
static retain_status cell(const retain_table *t, size_t row, size_t col, double lo, double hi,
                          retain_value *out, retain_diag *diag)
{
    bool present;
    if (!retain_table_number(t, row, col, &out->value, &present) ||
        (present && (out->value < lo || out->value > hi)))
        return rt_fail(diag, RETAIN_ERR_DATA, retain_table_line(t, row), retain_table_name(t, col),
                       "'%s' is not a number from %g to %g", retain_table_cell(t, row, col, NULL),
                       lo, hi);
    out->defined = present;
    if (!present)
        out->value = 0;
    return RETAIN_OK;
}

retain_status retain_ltv_apply_row(const retain_ltv_apply *a, const retain_table *t, size_t row,
                                   retain_value *out, retain_diag *diag)
{
    static const double hi[RETAIN_LTV_LTV] = {1e15, 1, 1e6};
    const retain_value given[RETAIN_LTV_LTV] = {a->given.arpu, a->given.margin, a->given.discount};
    const retain_value fallback[RETAIN_LTV_LTV] = {{0, false}, {1, true}, {0, true}};
    retain_value churn;
    retain_status st = cell(t, row, a->churn_col, 0, 100, &churn, diag);
    for (int i = 0; i < RETAIN_LTV_LTV && st == RETAIN_OK; i++) {
        if (given[i].defined) /* a value given wins over a column */
            out[i] = given[i];
        else if (a->has[i])
            st = cell(t, row, a->col[i], 0, hi[i], &out[i], diag);
        else
            out[i] = fallback[i];
    }
    out[RETAIN_LTV_LTV] = (retain_value){0, false};
    if (st != RETAIN_OK || !churn.defined || !out[RETAIN_LTV_ARPU].defined ||
        !out[RETAIN_LTV_MARGIN].defined || !out[RETAIN_LTV_DISCOUNT].defined)
        return st;
    retain_diag d;
    if (retain_ltv_discounted(out[RETAIN_LTV_ARPU].value, out[RETAIN_LTV_MARGIN].value,
                              churn.value / 100, out[RETAIN_LTV_DISCOUNT].value / 100,
                              &out[RETAIN_LTV_LTV], &d) != RETAIN_OK)
        return rt_fail(diag, RETAIN_ERR_DATA, retain_table_line(t, row), NULL, "%s", d.message);
    return RETAIN_OK;
}

retain_status retain_ltv_apply_table(const retain_table *t, const retain_ltv_given *given,
                                     const retain_print *p, retain_writer **out, retain_diag *diag)
{
    retain_ltv_apply a;
    *out = NULL;
    retain_status st = retain_ltv_apply_init(&a, t, given, diag);
    return st == RETAIN_OK ? retain_ltv_apply_write(&a, t, p, out, diag) : st;
}
