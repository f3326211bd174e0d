/* The table 'retain churn' prints (retain/churn.h): one row per segment,
 * period, stage and reason. */
#include <string.h>

#include <retain/churn.h>

typedef struct {
    retain_writer *w;
    const retain_churn *churn;
    const retain_churn_options *o;
    const char *segment;
    bool revenue;
    int precision;
} table;

static void write_row(const table *t, size_t g, size_t p, size_t k, size_t r)
{
    retain_writer *w = t->w;
    const retain_stages *stages = t->o->stages;
    retain_churn_cell cell;
    retain_churn_get(t->churn, g, p, k, r, &cell);
    if (t->segment) {
        size_t len;
        const char *seg = retain_churn_segment(t->churn, g, &len);
        retain_writer_text(w, seg, len);
    }
    if (t->o->by_period) {
        char label[16];
        retain_period_label(t->o->period, retain_churn_period(t->churn, p), label);
        retain_writer_text(w, label, strlen(label));
    }
    const char *name = retain_stages_name(stages, k);
    retain_writer_text(w, name, strlen(name));
    retain_writer_int(w, retain_stages_from(stages, k));
    retain_stages_to(stages, k) < 0 ? retain_writer_empty(w)
                                    : retain_writer_int(w, retain_stages_to(stages, k));
    if (t->o->reasons) {
        size_t len = 0;
        const char *why =
            retain_churn_reasons(t->churn) ? retain_churn_reason(t->churn, r, &len) : "";
        retain_writer_text(w, why, len);
    }
    retain_writer_int(w, cell.entered);
    retain_writer_int(w, cell.churned);
    retain_writer_ratio(w, cell.churned, cell.entered, 100, t->precision);
    retain_writer_ratio(w, cell.churned, cell.churned_all, 100, t->precision);
    if (t->revenue) {
        retain_writer_money(w, cell.mrr_entered, t->precision);
        retain_writer_money(w, cell.mrr_churned, t->precision);
        retain_writer_ratio(w, cell.mrr_churned, cell.mrr_entered, 100, t->precision);
    }
    retain_writer_end_row(w);
}

retain_writer *retain_churn_write(const retain_churn *churn, const retain_churn_options *o,
                                  const char *segment, bool revenue, const retain_print *p)
{
    static const char *const counts[] = {"entered", "churned", "churn_pct", "share_pct"};
    static const char *const money[] = {"mrr_entered", "mrr_churned", "mrr_churn_pct"};
    const char *names[16];
    size_t ncols = 0;
    if (segment)
        names[ncols++] = segment;
    if (o->by_period)
        names[ncols++] = "period";
    names[ncols++] = "stage";
    names[ncols++] = "from_day";
    names[ncols++] = "to_day";
    if (o->reasons)
        names[ncols++] = "reason";
    for (size_t i = 0; i < 4; i++)
        names[ncols++] = counts[i];
    for (size_t i = 0; revenue && i < 3; i++)
        names[ncols++] = money[i];
    table t = {retain_writer_open(p->out, p->format, names, ncols, p->flags),
               churn,
               o,
               segment,
               revenue,
               p->precision};
    size_t nreasons = retain_churn_reasons(churn);
    size_t nrows = o->reasons && nreasons ? nreasons : 1;
    for (size_t g = 0; t.w && g < retain_churn_segments(churn); g++)
        for (size_t per = 0; per < retain_churn_periods(churn); per++)
            for (size_t k = 0; k < retain_stages_count(o->stages); k++)
                for (size_t r = 0; r < nrows; r++)
                    write_row(&t, g, per, k, r);
    return t.w;
}
