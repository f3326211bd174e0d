/* Headline figures, goals and what was left out (figures.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/lang.h>
#include <retain/money.h>
#include <retain/reader.h>

#include "figures.h"
#include "internal.h"

rt_figure *rt_figure_add(rt_figures *f, const char *key, const char *label, bool higher_better,
                         bool pct)
{
    /* one block per figure: the pointers handed out stay valid while
     * more are added (the callers fill several at once) */
    rt_figure *x = calloc(1, sizeof *x);
    if (!x || !rt_grow((void **)&f->fig, &f->cap, f->n + 1, sizeof *f->fig)) {
        free(x);
        f->failed = true;
        return NULL;
    }
    f->fig[f->n++] = x;
    snprintf(x->key, sizeof x->key, "%s", key);
    snprintf(x->label, sizeof x->label, "%s", label);
    x->higher_better = higher_better;
    x->pct = pct;
    return x;
}

const rt_figure *rt_figure_find(const rt_figures *f, const char *key)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->fig[i]->key, key) == 0)
            return f->fig[i];
    return NULL;
}

retain_status rt_figures_omit(rt_figures *f, const char *what, const char *why)
{
    const char *reason = retain_lang_label(f->lang, why);
    const char *colon = retain_lang_colon(f->lang);
    size_t n = strlen(what) + strlen(colon) + strlen(reason) + 1;
    char *s = malloc(n);
    if (!s || !rt_grow((void **)&f->omitted, &f->capomit, f->nomit + 1, sizeof *f->omitted)) {
        free(s);
        f->failed = true;
        return RETAIN_ERR_NOMEM;
    }
    snprintf(s, n, "%s%s%s", what, colon, reason);
    f->omitted[f->nomit++] = s;
    return RETAIN_OK;
}

static bool parse(const char *text, retain_money *out, int *decimals)
{
    if (!*text || retain_money_parse(text, strlen(text), '.', out) != RETAIN_MONEY_OK)
        return false;
    const char *dot = strchr(text, '.');
    int d = dot ? (int)strspn(dot + 1, "0123456789") : 0;
    if (d > *decimals)
        *decimals = d;
    return true;
}

bool rt_figure_diff(const char *a, const char *b, char *buf, int *sign)
{
    retain_money x, y;
    int decimals = 0;
    if (!parse(a, &x, &decimals) || !parse(b, &y, &decimals))
        return false;
    retain_money d = x - y; /* figures are far below 2^62 millionths */
    *sign = d > 0 ? 1 : d < 0 ? -1 : 0;
    buf[0] = d > 0 ? '+' : '\0';
    retain_money_format(d, decimals, buf + (d > 0));
    return true;
}

/* A figure's text for a reader: grouped, the language's decimal mark, a
 * leading '+' kept. */
void rt_spell(retain_lang lang, const char *text, bool pct, char *out)
{
    if (!*text) {
        strcpy(out, "\xE2\x80\x94"); /* an em dash: no value */
        return;
    }
    bool plus = text[0] == '+';
    if (plus)
        out[0] = '+';
    size_t n = retain_lang_number(lang, text + plus, out + plus) + plus;
    if (pct && n + 8 < RETAIN_LANG_BUFSIZE)
        strcpy(out + n, lang == RETAIN_LANG_FR ? "\xE2\x80\xAF%" : "%");
}

static retain_status change_cell(const rt_figures *f, retain_doc *doc, const rt_figure *x, int k)
{
    char diff[RETAIN_NUMBER_BUFSIZE], text[RETAIN_LANG_BUFSIZE + 16];
    int sign;
    if (!rt_figure_diff(x->v[0], x->v[k], diff, &sign))
        return retain_doc_cell(doc, "", RETAIN_TONE_PLAIN);
    rt_spell(f->lang, diff, false, text);
    if (x->pct)
        strcat(text, f->lang == RETAIN_LANG_FR ? "\xE2\x80\xAFpt" : " pt");
    retain_tone tone = sign == 0                        ? RETAIN_TONE_PLAIN
                       : (sign > 0) == x->higher_better ? RETAIN_TONE_GOOD
                                                        : RETAIN_TONE_BAD;
    return retain_doc_cell(doc, text, tone);
}

retain_status rt_figures_table(const rt_figures *f, retain_doc *doc, const char labels[3][16])
{
    retain_lang lang = f->lang;
    retain_status st = retain_doc_heading(doc, retain_lang_label(lang, "Headline figures"));
    const char *head[6] = {
        retain_lang_label(lang, "Metric"), labels[0], labels[1],
        retain_lang_label(lang, "Change"), labels[2], retain_lang_label(lang, "Change")};
    if (st == RETAIN_OK)
        st = retain_doc_table(doc, "headline", 6, head);
    for (size_t i = 0; i < f->n && st == RETAIN_OK; i++) {
        const rt_figure *x = f->fig[i];
        if (x->v[0][0] || x->v[1][0] || x->v[2][0]) /* else no row of dashes */
            st = rt_figure_row(f, doc, x, 3, NULL);
    }
    return st;
}

retain_status rt_figure_row(const rt_figures *f, retain_doc *doc, const rt_figure *x, int nvals,
                            const char *label)
{
    char text[RETAIN_LANG_BUFSIZE];
    retain_status st = retain_doc_cell(doc, label ? label : x->label, RETAIN_TONE_PLAIN);
    for (int k = 0; k < nvals && st == RETAIN_OK; k++) {
        rt_spell(f->lang, x->v[k], x->pct, text);
        st = retain_doc_cell(doc, text, RETAIN_TONE_PLAIN);
        if (k > 0 && st == RETAIN_OK)
            st = change_cell(f, doc, x, k);
    }
    return st;
}

retain_status rt_figures_omitted(const rt_figures *f, retain_doc *doc)
{
    if (!f->nomit)
        return RETAIN_OK;
    retain_status st = retain_doc_heading(doc, retain_lang_label(f->lang, "Not included"));
    for (size_t i = 0; i < f->nomit && st == RETAIN_OK; i++)
        st = retain_doc_item(doc, f->omitted[i]);
    return st;
}

void rt_figures_free(rt_figures *f)
{
    for (size_t i = 0; i < f->nomit; i++)
        free(f->omitted[i]);
    free(f->omitted);
    for (size_t i = 0; i < f->n; i++)
        free(f->fig[i]);
    free(f->fig);
    memset(f, 0, sizeof *f);
}

/* ---- goals ---- */

static const char *const goal_keys[] = {
    "customers", "new", "lost",    "retention_pct", "churn_pct", "kept_pct", "arpu",
    "ltv",       "mrr", "nrr_pct", "grr_pct",       "cac",       "ltv_cac",  "nps"};

static bool known_key(const char *key, const retain_stages *stages)
{
    for (size_t i = 0; i < sizeof goal_keys / sizeof goal_keys[0]; i++)
        if (strcmp(goal_keys[i], key) == 0)
            return true;
    if (strncmp(key, "churn_pct:", 10) == 0 && stages)
        for (size_t s = 0; s < retain_stages_count(stages); s++)
            if (strcmp(key + 10, retain_stages_name(stages, s)) == 0)
                return true;
    return false;
}

static int yes_no(const char *s)
{
    static const char *const yes[] = {"yes", "true", "higher", "1", "y"};
    static const char *const no[] = {"no", "false", "lower", "0", "n"};
    for (size_t i = 0; i < 5; i++) {
        if (retain_name_equal(s, yes[i]))
            return 1;
        if (retain_name_equal(s, no[i]))
            return 0;
    }
    return -1;
}

retain_status rt_goals_read(rt_goals *g, const retain_table *t, const retain_stages *stages,
                            bool any_key, retain_diag *diag)
{
    static const char *const names[3] = {"metric", "target", "higher_is_better"};
    size_t col[3];
    for (int i = 0; i < 3; i++)
        if (!retain_table_find(t, names[i], &col[i]))
            return rt_fail(diag, RETAIN_ERR_DATA, 1, names[i],
                           "the goals table has no such column (metric,target,higher_is_better)");
    for (size_t r = 0; r < retain_table_rows(t); r++) {
        unsigned long line = retain_table_line(t, r);
        const char *metric = retain_table_cell(t, r, col[0], NULL);
        const char *target = retain_table_cell(t, r, col[1], NULL);
        const char *better = retain_table_cell(t, r, col[2], NULL);
        if (!any_key && !known_key(metric, stages)) {
            rt_fail(diag, RETAIN_ERR_DATA, line, names[0], "unknown metric '%.60s'", metric);
            rt_hint(diag, "one of customers, new, lost, retention_pct, churn_pct, arpu, ltv, "
                          "mrr, nrr_pct, grr_pct, cac, ltv_cac, nps, churn_pct:STAGE");
            return RETAIN_ERR_DATA;
        }
        retain_money m;
        size_t tl = strlen(target);
        if (tl && target[tl - 1] == '%')
            tl--;
        if (!tl || retain_money_parse(target, tl, '.', &m) != RETAIN_MONEY_OK)
            return rt_fail(diag, RETAIN_ERR_DATA, line, names[1], "'%.60s' is not a number",
                           target);
        int yn = yes_no(better);
        if (yn < 0)
            return rt_fail(diag, RETAIN_ERR_DATA, line, names[2],
                           "'%.60s' is not yes or no (higher or lower)", better);
        if (!rt_grow((void **)&g->goal, &g->cap, g->n + 1, sizeof *g->goal))
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        rt_goal *x = &g->goal[g->n];
        x->metric = rt_strdup(metric);
        x->target = malloc(tl + 1);
        if (!x->metric || !x->target) {
            free(x->metric);
            free(x->target);
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        }
        memcpy(x->target, target, tl);
        x->target[tl] = '\0';
        x->higher_better = yn == 1;
        g->n++;
    }
    return RETAIN_OK;
}

retain_status rt_goals_table(const rt_goals *g, const rt_figures *f, retain_doc *doc)
{
    if (!g->n)
        return RETAIN_OK;
    retain_lang lang = f->lang;
    const char *head[4] = {retain_lang_label(lang, "Metric"), retain_lang_label(lang, "Target"),
                           retain_lang_label(lang, "Result"), retain_lang_label(lang, "Status")};
    retain_status st = retain_doc_heading(doc, retain_lang_label(lang, "Goals"));
    if (st == RETAIN_OK)
        st = retain_doc_table(doc, "goals", 4, head);
    for (size_t i = 0; i < g->n && st == RETAIN_OK; i++) {
        const rt_goal *x = &g->goal[i];
        const rt_figure *fig = rt_figure_find(f, x->metric);
        bool pct = fig ? fig->pct : false;
        char target[RETAIN_LANG_BUFSIZE], result[RETAIN_LANG_BUFSIZE];
        char status[RETAIN_LANG_BUFSIZE + 64], diff[RETAIN_NUMBER_BUFSIZE];
        rt_spell(lang, x->target, pct, target);
        rt_spell(lang, fig ? fig->v[0] : "", pct, result);
        int sign;
        retain_tone tone = RETAIN_TONE_PLAIN;
        if (fig && rt_figure_diff(fig->v[0], x->target, diff, &sign)) {
            bool hit = x->higher_better ? sign >= 0 : sign <= 0;
            char by[RETAIN_LANG_BUFSIZE];
            rt_spell(lang, diff[0] == '+' || diff[0] == '-' ? diff + 1 : diff, false, by);
            snprintf(status, sizeof status, "%s %s %s%s",
                     retain_lang_label(lang, hit ? "hit" : "missed"), retain_lang_label(lang, "by"),
                     by, pct ? (lang == RETAIN_LANG_FR ? "\xE2\x80\xAFpt" : " pt") : "");
            tone = hit ? RETAIN_TONE_GOOD : RETAIN_TONE_BAD;
        } else {
            snprintf(status, sizeof status, "%s", retain_lang_label(lang, "no data"));
        }
        st = retain_doc_cell(doc, fig ? fig->label : x->metric, RETAIN_TONE_PLAIN);
        if (st == RETAIN_OK)
            st = retain_doc_cell(doc, target, RETAIN_TONE_PLAIN);
        if (st == RETAIN_OK)
            st = retain_doc_cell(doc, result, RETAIN_TONE_PLAIN);
        if (st == RETAIN_OK)
            st = retain_doc_cell(doc, status, tone);
    }
    return st;
}

void rt_goals_free(rt_goals *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->goal[i].metric);
        free(g->goal[i].target);
    }
    free(g->goal);
    memset(g, 0, sizeof *g);
}
