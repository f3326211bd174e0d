/* The tables 'retain score' prints (retain/score.h): the scores, the
 * feature table and the report. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/number.h>
#include <retain/score.h>

static retain_writer *open_table(const retain_print *p, const char *const *names, size_t n)
{
    return retain_writer_open(p->out, p->format, names, n, p->flags | RETAIN_WRITER_DEFERRED);
}

static void text_cell(retain_writer *w, const char *text)
{
    retain_writer_text(w, text, strlen(text));
}

/* A feature value: an integer as one, else 6 decimals; missing empty. */
static void value_cell(retain_writer *w, double v)
{
    if (!isnan(v) && v == floor(v) && fabs(v) < 1e15)
        retain_writer_int(w, (int64_t)v);
    else
        retain_writer_real(w, v, 6);
}

retain_writer *retain_score_write(const retain_score *s, const retain_score_options *o,
                                  const retain_print *pr, int decimals)
{
    const char *names[RETAIN_SCORE_MAX_BY + 12];
    size_t n = 0;
    names[n++] = "id";
    for (size_t j = 0; j < o->n_by; j++)
        names[n++] = o->by[j];
    if (o->has_mrr)
        names[n++] = "mrr";
    names[n++] = "p_churn";
    if (o->has_mrr)
        names[n++] = "expected_mrr_loss";
    static const char *const top[] = {"factor_1",       "contribution_1", "factor_2",
                                      "contribution_2", "factor_3",       "contribution_3"};
    for (size_t t = 0; t < 6; t++)
        names[n++] = top[t];
    retain_writer *w = open_table(pr, names, n);
    int p = decimals;
    for (size_t r = 0; w && r < retain_score_scored(s); r++) {
        retain_score_result res;
        retain_score_result_get(s, r, &res);
        retain_writer_text(w, res.id, res.id_len);
        for (size_t j = 0; j < o->n_by; j++)
            retain_writer_text(w, res.by[j], res.by_len[j]);
        if (o->has_mrr)
            retain_writer_money(w, res.mrr, pr->precision);
        retain_writer_real(w, res.p_churn, p);
        if (o->has_mrr)
            retain_writer_real(w, res.expected_mrr_loss, pr->precision);
        for (int t = 0; t < 3; t++) {
            if (res.top[t].feature == SIZE_MAX) {
                retain_writer_empty(w);
                retain_writer_empty(w);
                continue;
            }
            text_cell(w, retain_score_feature_name(s, res.top[t].feature));
            retain_writer_real(w, res.top[t].contribution, p);
        }
        retain_writer_end_row(w);
    }
    return w;
}

retain_writer *retain_score_write_features(const retain_score *s, const retain_print *pr)
{
    size_t k = retain_score_features(s), n = 0;
    const char **names = malloc((k + 4) * sizeof *names);
    if (!names)
        return NULL;
    names[n++] = "cutoff";
    names[n++] = "set";
    names[n++] = "id";
    names[n++] = "churned";
    for (size_t j = 0; j < k; j++)
        names[n++] = retain_score_feature_name(s, j);
    retain_writer *w = open_table(pr, names, n);
    free(names);
    static const char *const set[] = {"train", "heldout", "score"};
    for (size_t r = 0; w && r < retain_score_rows(s); r++) {
        retain_score_feature_row row;
        retain_score_row(s, r, &row);
        retain_writer_day(w, row.cutoff);
        text_cell(w, set[row.set]);
        retain_writer_text(w, row.id, row.id_len);
        if (row.has_label)
            retain_writer_int(w, row.churned);
        else
            retain_writer_empty(w);
        for (size_t j = 0; j < k; j++)
            value_cell(w, row.x[j]);
        retain_writer_end_row(w);
    }
    return w;
}

/* One row of the report: section, name, then a number, a text or empty. */
static void report_row(retain_writer *w, const char *section, const char *name, double v,
                       int decimals)
{
    text_cell(w, section);
    text_cell(w, name);
    retain_writer_real(w, v, decimals);
    retain_writer_end_row(w);
}

static void report_text(retain_writer *w, const char *section, const char *name, const char *value)
{
    text_cell(w, section);
    text_cell(w, name);
    text_cell(w, value);
    retain_writer_end_row(w);
}

static void report_day(retain_writer *w, const char *section, const char *name, retain_day d)
{
    char buf[16];
    retain_day_format(d, buf);
    report_text(w, section, name, buf);
}

retain_writer *retain_score_write_report(const retain_score *s, const retain_score_options *o,
                                         const retain_print *pr, int decimals)
{
    static const char *const names[] = {"section", "name", "value"};
    retain_writer *w = open_table(pr, names, 3);
    if (!w)
        return NULL;
    retain_score_summary u;
    retain_score_get_summary(s, &u);
    int p = decimals;
    /* where C came from */
    const char *c_source = !u.fitted       ? "model file"
                           : o->c > 0      ? "option"
                           : u.c_validated ? "validation"
                                           : "default (no validation possible)";
    report_row(w, "counts", "customers", (double)u.customers, 0);
    report_row(w, "counts", "training_customers", (double)u.train_customers, 0);
    report_row(w, "counts", "training_cutoffs", (double)u.train_cutoffs, 0);
    report_day(w, "counts", "first_training_cutoff", u.first_train_cutoff);
    report_day(w, "counts", "last_training_cutoff", u.last_train_cutoff);
    report_row(w, "counts", "training_rows", (double)u.train_rows, 0);
    report_row(w, "counts", "training_churners", (double)u.train_churners, 0);
    report_day(w, "counts", "heldout_cutoff", u.heldout_cutoff);
    report_row(w, "counts", "heldout_rows", (double)u.heldout_rows, 0);
    report_row(w, "counts", "heldout_churners", (double)u.heldout_churners, 0);
    report_row(w, "counts", "scored", (double)u.scored, 0);
    const retain_logit *m = retain_score_model(s);
    report_text(w, "model", "solver", "LIBLINEAR L2R_LR (primal trust-region Newton)");
    report_row(w, "model", "c", retain_logit_c(m), 6);
    report_text(w, "model", "c_from", c_source);
    report_row(w, "model", "positive_weight", retain_logit_positive_weight(m), p);
    report_row(w, "model", "intercept", retain_logit_intercept(m), p);
    for (int g = 0; u.c_validated && g < RETAIN_SCORE_C_GRID; g++) {
        char name[80];
        char cbuf[RETAIN_NUMBER_BUFSIZE];
        retain_format_real(u.grid_c[g], 4, cbuf);
        snprintf(name, sizeof name, "log_loss_c_%s", cbuf);
        report_row(w, "validation", name, u.grid_log_loss[g], p);
    }
    const retain_evaluation *e = &u.heldout;
    double nan = NAN;
    report_row(w, "heldout", "auc", u.evaluated ? e->auc : nan, p);
    report_row(w, "heldout", "auc_se", u.evaluated ? u.auc_se : nan, p);
    report_row(w, "heldout", "brier", u.evaluated ? e->brier : nan, p);
    report_row(w, "heldout", "log_loss", u.evaluated ? e->log_loss : nan, p);
    report_row(w, "heldout", "churn_rate",
               u.heldout_rows ? (double)u.heldout_churners / (double)u.heldout_rows : nan, p);
    report_row(w, "heldout", "top_decile_lift", u.evaluated ? e->top_decile_lift : nan, p);
    report_text(w, "heldout", "informative", !u.evaluated ? "" : u.informative ? "yes" : "no");
    for (int d = 0; u.evaluated && d < 10; d++) {
        char name[80];
        snprintf(name, sizeof name, "decile_%d_rows", d + 1);
        report_row(w, "calibration", name, (double)e->decile[d].rows, 0);
        snprintf(name, sizeof name, "decile_%d_predicted", d + 1);
        report_row(w, "calibration", name, e->decile[d].rows ? e->decile[d].mean_predicted : nan,
                   p);
        snprintf(name, sizeof name, "decile_%d_observed", d + 1);
        report_row(w, "calibration", name, e->decile[d].rows ? e->decile[d].observed : nan, p);
    }
    /* largest effect first */
    size_t k = retain_logit_features(m);
    bool *done = calloc(k ? k : 1, 1);
    if (!done) {
        retain_writer_free(w);
        return NULL;
    }
    for (size_t t = 0; t < k; t++) {
        size_t best = SIZE_MAX;
        for (size_t j = 0; j < k; j++)
            if (!done[j] && (best == SIZE_MAX ||
                             fabs(retain_logit_coef(m, j)) > fabs(retain_logit_coef(m, best))))
                best = j;
        done[best] = true;
        report_row(w, "coefficient", retain_logit_name(m, best), retain_logit_coef(m, best), p);
    }
    free(done);
    return w;
}

bool retain_score_caveat(const retain_score *s, size_t k, char *buf, size_t size)
{
    retain_score_summary u;
    retain_score_get_summary(s, &u);
    char day[16];
    retain_day_format(u.heldout_cutoff, day);
    /* the caveats that apply, in order; k counts among them */
    bool few = u.fitted && u.train_churners < RETAIN_SCORE_MIN_CHURNERS;
    bool weak = u.evaluated && !u.informative;
    bool applies[4] = {few, !u.evaluated, weak, u.sampled};
    int which = -1;
    for (int i = 0; i < 4 && which < 0; i++)
        if (applies[i] && k-- == 0)
            which = i;
    char auc[RETAIN_NUMBER_BUFSIZE], se[RETAIN_NUMBER_BUFSIZE];
    switch (which) {
    case 0:
        snprintf(buf, size,
                 "only %zu churners in the training window: the model is learned from too "
                 "few to be trusted",
                 u.train_churners);
        return true;
    case 1:
        snprintf(buf, size,
                 "the held-out cutoff %s has %zu churners among %zu customers (at least %d of "
                 "each are needed): the score is not evaluated, do not trust it",
                 day, u.heldout_churners, u.heldout_rows, RETAIN_SCORE_MIN_CHURNERS);
        return true;
    case 2:
        retain_format_real(u.heldout.auc, 3, auc);
        retain_format_real(u.auc_se, 3, se);
        snprintf(buf, size,
                 "held-out AUC %s (standard error %s) on %s: the score is not informative, it "
                 "ranks customers hardly better than chance",
                 auc, se, day);
        return true;
    case 3:
        snprintf(buf, size, "trained on %zu drawn customers of %zu (the cap is %d)",
                 u.train_customers, u.customers, RETAIN_SCORE_TRAIN_CUSTOMERS);
        return true;
    }
    return false;
}
