/* AUC with mid-ranks, Brier score, log loss, deciles and lift. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <retain/evaluation.h>

#include "internal.h"

typedef struct {
    double p;
    size_t i;
    unsigned char y;
} scored;

/* Highest p first; ties in the order given (qsort is not stable). */
static int by_p_desc(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->p != y->p)
        return x->p > y->p ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

retain_status retain_evaluate(const double *p, const unsigned char *y, size_t n,
                              retain_evaluation *out, retain_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "no rows to evaluate");
    for (size_t i = 0; i < n; i++)
        if (!(p[i] >= 0 && p[i] <= 1))
            return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "prediction %zu is not a probability",
                           i + 1);
    scored *s = malloc(n * sizeof *s);
    if (!s)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    double brier = 0, loss = 0;
    size_t n1 = 0;
    for (size_t i = 0; i < n; i++) {
        s[i].p = p[i];
        s[i].i = i;
        s[i].y = y[i] != 0;
        n1 += s[i].y;
        double e = p[i] - s[i].y;
        brier += e * e;
        double q = fmin(fmax(p[i], 1e-15), 1 - 1e-15);
        loss -= s[i].y ? log(q) : log1p(-q);
    }
    qsort(s, n, sizeof *s, by_p_desc);
    out->rows = n;
    out->positives = n1;
    out->brier = brier / (double)n;
    out->log_loss = loss / (double)n;

    /* ranks from the lowest p (1-based), ties sharing their mid-rank */
    size_t n0 = n - n1;
    if (n1 && n0) {
        double rank_sum = 0; /* of the positive rows */
        size_t r = 0;        /* rows with a lower p than the current group */
        for (size_t g = n; g > 0;) {
            size_t lo = g; /* the group of equal p: s[lo .. g-1] */
            while (lo > 0 && s[lo - 1].p == s[g - 1].p)
                lo--;
            size_t size = g - lo, pos = 0;
            for (size_t i = lo; i < g; i++)
                pos += s[i].y;
            rank_sum += (double)pos * ((double)r + ((double)size + 1) / 2);
            r += size;
            g = lo;
        }
        double u = rank_sum - (double)n1 * ((double)n1 + 1) / 2;
        out->has_auc = true;
        out->auc = u / ((double)n1 * (double)n0);
    }

    double psum[10] = {0};
    for (size_t r = 0; r < n; r++) {
        size_t d = (size_t)((10 * (unsigned long long)r) / n);
        out->decile[d].rows++;
        out->decile[d].positives += s[r].y;
        psum[d] += s[r].p;
    }
    for (size_t d = 0; d < 10; d++)
        if (out->decile[d].rows) {
            out->decile[d].mean_predicted = psum[d] / (double)out->decile[d].rows;
            out->decile[d].observed =
                (double)out->decile[d].positives / (double)out->decile[d].rows;
        }
    if (n1) {
        out->has_lift = true;
        out->top_decile_lift = out->decile[0].observed / ((double)n1 / (double)n);
    }
    free(s);
    return RETAIN_OK;
}
