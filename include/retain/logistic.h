/* retain/logistic.h - L2-regularised logistic regression (through LIBLINEAR)
 * on named, standardised features.
 *
 * A model is fitted on a dense table of n rows by k features with 0/1
 * labels. Each feature is standardised on those rows (z = (x - mean) / sd,
 * the population standard deviation; a constant feature has sd 0 and z 0,
 * so it takes no part), so the coefficients compare across features: a
 * coefficient is the change in the log-odds of the label for one standard
 * deviation of its feature. A missing value (NaN) is the training mean
 * (z = 0); the caller adds a "missing" indicator where absence means
 * something.
 *
 * The solver is LIBLINEAR's primal trust-region Newton method for
 * L2-regularised logistic regression (L2R_LR): it minimises
 *   1/2 |w|^2 + C sum_i c_i log(1 + exp(-y_i w.z_i))
 * with y_i = +-1 and c_i = 1, or n0 / n1 for the positive rows when the
 * classes are balanced. It is deterministic (the dual solver shuffles with
 * rand()) and fast when rows are many and features few. The intercept is
 * the weight of a constant feature of value RETAIN_LOGIT_BIAS; LIBLINEAR
 * regularises it like the others, so a large constant makes its penalty
 * small (1/2 (b / RETAIN_LOGIT_BIAS)^2).
 *
 * Balancing (retain_logit_options.balance) weights each positive row by
 * n0 / n1 so that a rare class is not drowned by the penalty; the weighted
 * fit estimates the log-odds of a balanced sample, shifted by log(n0 / n1),
 * so the intercept is then corrected by - log(n0 / n1) (King and Zeng's
 * prior correction): predictions stay probabilities of the real base rate.
 *
 * The library never prints: LIBLINEAR's messages are silenced. */
#ifndef RETAIN_LOGISTIC_H
#define RETAIN_LOGISTIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The value of the constant feature that carries the intercept. */
#define RETAIN_LOGIT_BIAS 10.0

/* Most features a model may have, and the longest feature name (bytes). */
#define RETAIN_LOGIT_MAX_FEATURES 4096
#define RETAIN_LOGIT_MAX_NAME 255

typedef struct {
    double c;     /* LIBLINEAR's C, > 0 (a smaller C regularises more) */
    bool balance; /* weight positives by n0 / n1, then correct the intercept */
    double eps;   /* stopping tolerance; 0 for 1e-4 */
} retain_logit_options;

typedef struct retain_logit retain_logit;

/* Fits a model on x (n rows of k values, row after row; NaN for missing)
 * and y (n labels, 0 or 1), with feature names[k] (copied; unique, without
 * tab or line break, at most RETAIN_LOGIT_MAX_NAME bytes). Both classes must
 * be present: RETAIN_ERR_DATA otherwise (and diag says how many of each);
 * RETAIN_ERR_USAGE for bad options or names, RETAIN_ERR_NOMEM. On success
 * *out is the model, which the caller frees with retain_logit_free(). */
RETAIN_API retain_status retain_logit_fit(const double *x, const unsigned char *y, size_t n,
                                          size_t k, const char *const *names,
                                          const retain_logit_options *options, retain_logit **out,
                                          retain_diag *diag);

/* The fitted probability of label 1 for one row of k raw values (NaN for
 * missing), in the model's feature order. */
RETAIN_API double retain_logit_predict(const retain_logit *m, const double *x);

/* The log-odds of label 1 for one row, and each feature's part of it
 * (coefficient x standardised value) into contrib[k] (may be NULL). The
 * log-odds is the intercept plus the sum of contrib. */
RETAIN_API double retain_logit_contributions(const retain_logit *m, const double *x,
                                             double *contrib);

/* The model's features: their number, names (owned by the model), the
 * standardised coefficient, and the mean and sd used to standardise. */
RETAIN_API size_t retain_logit_features(const retain_logit *m);
RETAIN_API const char *retain_logit_name(const retain_logit *m, size_t j);
RETAIN_API double retain_logit_coef(const retain_logit *m, size_t j);
RETAIN_API double retain_logit_mean(const retain_logit *m, size_t j);
RETAIN_API double retain_logit_sd(const retain_logit *m, size_t j);

/* The intercept (log-odds at every feature's mean, after the prior
 * correction when balanced), the C it was fitted with, and the weight
 * given to positive rows (1 when not balanced). */
RETAIN_API double retain_logit_intercept(const retain_logit *m);
RETAIN_API double retain_logit_c(const retain_logit *m);
RETAIN_API double retain_logit_positive_weight(const retain_logit *m);

/* Writes the model as text (see retain-score(1), "MODEL FILE"): features,
 * means, sds, coefficients and intercept, with 17 significant digits and
 * '.' whatever the locale, so that a loaded model predicts the same
 * probabilities to the last bit. `spec` is a one-line description of how
 * the features were made (no line break), kept and returned by
 * retain_logit_spec(); may be NULL. RETAIN_ERR_IO when writing fails. */
RETAIN_API retain_status retain_logit_save(const retain_logit *m, const char *spec, FILE *out,
                                           retain_diag *diag);

/* Reads a model written by retain_logit_save(). RETAIN_ERR_DATA (with the
 * line) when in is not such a file or is damaged. *out is the model; the
 * caller frees it. */
RETAIN_API retain_status retain_logit_load(FILE *in, retain_logit **out, retain_diag *diag);

/* The spec line saved with the model ("" when none). Owned by the model. */
RETAIN_API const char *retain_logit_spec(const retain_logit *m);

RETAIN_API void retain_logit_free(retain_logit *m);

#ifdef __cplusplus
}
#endif
#endif
