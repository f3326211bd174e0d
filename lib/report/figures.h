/* Headline figures, goals and the "not included" list, shared by the
 * company report and the account review. Nothing here is exported. */
#ifndef RETAIN_REPORT_FIGURES_H
#define RETAIN_REPORT_FIGURES_H

#include <stdbool.h>

#include <retain/churn.h>
#include <retain/document.h>
#include <retain/number.h>
#include <retain/table.h>

/* One headline figure: its value now, a period earlier and a year earlier,
 * each the text the subcommand prints ("" when undefined or absent). */
typedef struct {
    char key[96];    /* what goals name: "retention_pct", "churn_pct:renewal" */
    char label[160]; /* in the report's language */
    bool higher_better, pct;
    char v[3][RETAIN_NUMBER_BUFSIZE];
} rt_figure;

typedef struct {
    retain_lang lang;
    rt_figure **fig; /* each its own block: rt_figure_add's pointers stay valid */
    size_t n, cap;
    char **omitted; /* "what: why", in the report's language */
    size_t nomit, capomit;
    bool failed; /* out of memory on the way */
} rt_figures;

/* A new figure (all values empty); NULL, and failed set, when out of memory. */
rt_figure *rt_figure_add(rt_figures *f, const char *key, const char *label, bool higher_better,
                         bool pct);
const rt_figure *rt_figure_find(const rt_figures *f, const char *key);
/* Names a section left out and why (why is an English key, translated). */
retain_status rt_figures_omit(rt_figures *f, const char *what, const char *why);
/* The headline table: a row per figure with a value now; changes against
 * the two earlier values. labels: the three periods' labels. */
retain_status rt_figures_table(const rt_figures *f, retain_doc *doc, const char labels[3][16]);
/* One row of a figure table: its label, then value 0 and, for k = 1 ..
 * nvals - 1, value k and the change of value 0 against it. label: NULL
 * for the figure's. */
retain_status rt_figure_row(const rt_figures *f, retain_doc *doc, const rt_figure *x, int nvals,
                            const char *label);
/* A figure as a reader reads it (see retain_lang_number; a leading '+'
 * kept, '%' added for percentages, a dash for no value). out holds
 * RETAIN_LANG_BUFSIZE bytes. */
void rt_spell(retain_lang lang, const char *text, bool pct, char *out);
/* The "Not included" list, when anything was left out. */
retain_status rt_figures_omitted(const rt_figures *f, retain_doc *doc);
void rt_figures_free(rt_figures *f);

/* a - b for two figures as printed, exactly (their decimals), into buf
 * with a sign; false when either is empty or not a number. *sign gets the
 * sign of the difference. */
bool rt_figure_diff(const char *a, const char *b, char *buf, int *sign);

typedef struct {
    char *metric, *target;
    bool higher_better;
} rt_goal;

typedef struct {
    rt_goal *goal;
    size_t n, cap;
} rt_goals;

/* Reads a goals table (metric, target, higher_is_better); stage names
 * make the churn_pct:STAGE keys; any_key takes any metric name (an
 * account's figures are known only at the end). RETAIN_ERR_DATA with line
 * and column. */
retain_status rt_goals_read(rt_goals *g, const retain_table *t, const retain_stages *stages,
                            bool any_key, retain_diag *diag);
/* The goals section: target, result, hit or missed by how much. Nothing
 * when there are no goals. */
retain_status rt_goals_table(const rt_goals *g, const rt_figures *f, retain_doc *doc);
void rt_goals_free(rt_goals *g);

#endif
