/* retain/evaluation.h - how good predicted probabilities are, against the
 * 0/1 outcomes that followed: ranking (AUC, lift) and calibration (Brier
 * score, log loss, observed against predicted per decile).
 *
 * Every figure is computed from n predictions p[i] in [0, 1] and labels
 * y[i] (0 or 1), in the order given; ties are handled so that the result
 * does not depend on that order, except where stated (which row of a tie
 * falls into which decile). */
#ifndef RETAIN_EVALUATION_H
#define RETAIN_EVALUATION_H

#include <stdbool.h>
#include <stddef.h>

#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One tenth of the rows, by predicted probability. */
typedef struct {
    size_t rows, positives;
    double mean_predicted; /* mean of p over the decile's rows */
    double observed;       /* positives / rows */
} retain_decile;

typedef struct {
    size_t rows, positives;
    /* The area under the ROC curve: the probability that a random positive
     * row has a higher p than a random negative one, a tie counting one
     * half (the Mann-Whitney U over n1 n0, with mid-ranks). has_auc is
     * false when one class is absent. */
    bool has_auc;
    double auc;
    double brier;    /* mean of (p - y)^2 */
    double log_loss; /* mean of -log(p) for y = 1, -log(1 - p) for y = 0,
                        p clipped to [1e-15, 1 - 1e-15] */
    /* Deciles: rows sorted by p, highest first, ties in the order given;
     * row r (0-based) of the sorted order belongs to decile floor(10 r / n)
     * (decile 0 the highest p). With fewer than 10 rows some deciles are
     * empty (rows 0). */
    retain_decile decile[10];
    /* Lift of the top decile: its observed rate over the overall rate;
     * has_lift false when there is no positive row at all. */
    bool has_lift;
    double top_decile_lift;
} retain_evaluation;

/* Evaluates p against y. RETAIN_ERR_USAGE when n is 0 or a p is outside
 * [0, 1] (or NaN); RETAIN_ERR_NOMEM. */
RETAIN_API retain_status retain_evaluate(const double *p, const unsigned char *y, size_t n,
                                         retain_evaluation *out, retain_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
