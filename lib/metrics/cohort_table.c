/* The tables 'retain cohort' prints (retain/cohort.h): one row per cohort
 * and age, or the triangle (one row per cohort, one column per age). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/cohort.h>
#include <retain/number.h>

typedef struct {
    retain_writer *w;
    const char *segment;
    retain_period_kind period;
    bool revenue;
    int precision, money_decimals;
} table;

/* The cells every row starts with: [segment,] cohort, cohort_size[,
 * starting_mrr]. cohort < 0 is the mean row. */
static void put_head(const table *t, const retain_cohort *co, size_t g,
                     const retain_cohort_cell *cell)
{
    if (t->segment) {
        size_t len;
        const char *seg = retain_cohort_segment(co, g, &len);
        retain_writer_text(t->w, seg, len);
    }
    char label[16];
    if (cell->cohort < 0)
        strcpy(label, "mean");
    else
        retain_period_label(t->period, cell->cohort, label);
    retain_writer_text(t->w, label, strlen(label));
    retain_writer_int(t->w, cell->size);
    if (t->revenue)
        retain_writer_money(t->w, cell->starting_mrr, t->money_decimals);
}

static void put_pct(const table *t, const retain_cohort_cell *cell)
{
    if (t->revenue)
        retain_writer_ratio(t->w, cell->mrr, cell->starting_mrr, 100, t->precision);
    else
        retain_writer_ratio(t->w, cell->active, cell->size, 100, t->precision);
}

static void put_long(const table *t, const retain_cohort *co, size_t g,
                     const retain_cohort_cell *cell, int32_t age)
{
    put_head(t, co, g, cell);
    retain_writer_int(t->w, age);
    if (t->revenue)
        retain_writer_money(t->w, cell->mrr, t->money_decimals);
    else
        retain_writer_int(t->w, cell->active);
    put_pct(t, cell);
    retain_writer_end_row(t->w);
}

static void write_long(const table *t, const retain_cohort *co)
{
    size_t n = retain_cohort_cohorts(co), ages = retain_cohort_ages(co);
    for (size_t g = 0; g < retain_cohort_segments(co); g++) {
        for (size_t c = 0; c < n; c++) {
            retain_cohort_cell cell;
            for (int32_t age = 0; retain_cohort_get(co, g, c, age, &cell); age++)
                put_long(t, co, g, &cell, age);
        }
        for (int32_t age = 0; age < (int32_t)ages; age++) {
            retain_cohort_cell cell;
            retain_cohort_mean(co, g, age, &cell);
            put_long(t, co, g, &cell, age);
        }
    }
}

static void write_wide(const table *t, const retain_cohort *co)
{
    size_t n = retain_cohort_cohorts(co), ages = retain_cohort_ages(co);
    for (size_t g = 0; g < retain_cohort_segments(co); g++) {
        for (size_t c = 0; c <= n; c++) { /* c == n: the mean */
            retain_cohort_cell cell;
            if (c < n)
                retain_cohort_get(co, g, c, 0, &cell);
            else
                retain_cohort_mean(co, g, 0, &cell);
            put_head(t, co, g, &cell);
            for (int32_t age = 0; age < (int32_t)ages; age++) {
                bool reached = true;
                if (c < n)
                    reached = retain_cohort_get(co, g, c, age, &cell);
                else
                    retain_cohort_mean(co, g, age, &cell);
                if (reached)
                    put_pct(t, &cell);
                else
                    retain_writer_empty(t->w);
            }
            retain_writer_end_row(t->w);
        }
    }
}

retain_writer *retain_cohort_write(const retain_cohort *co, const retain_cohort_options *o,
                                   const char *segment, bool wide, const retain_print *p)
{
    size_t n = retain_cohort_ages(co), ncols = 0;
    const char **names = malloc((n + 8) * sizeof *names);
    char *labels = malloc(n * 24 + 1);
    retain_writer *w = NULL;
    if (names && labels) {
        if (segment)
            names[ncols++] = segment;
        names[ncols++] = "cohort";
        names[ncols++] = "cohort_size";
        if (o->revenue)
            names[ncols++] = "starting_mrr";
        if (wide) {
            for (size_t a = 0; a < n; a++) {
                snprintf(labels + a * 24, 24, "%zu", a);
                names[ncols++] = labels + a * 24;
            }
        } else {
            names[ncols++] = "age";
            names[ncols++] = o->revenue ? "mrr" : "active";
            names[ncols++] = "pct";
        }
        w = retain_writer_open(p->out, p->format, names, ncols, p->flags);
    }
    free(names);
    free(labels);
    if (!w)
        return NULL;
    table t = {w,          segment,      o->period,
               o->revenue, p->precision, p->precision > 6 ? 6 : p->precision};
    if (wide)
        write_wide(&t, co);
    else
        write_long(&t, co);
    return w;
}
