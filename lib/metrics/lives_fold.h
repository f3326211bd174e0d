/* Folds over the lives on both cores, for the metrics whose finish is a
 * sum over customers (churn, survival): each half of the customers is
 * folded into its own partial accumulator, and the caller merges the two.
 * Not exported. */
#ifndef RETAIN_LIVES_FOLD_H
#define RETAIN_LIVES_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include <retain/churn.h>
#include <retain/lives.h>
#include <retain/survival.h>

/* Customers below this many are folded on the caller's thread alone: a
 * thread costs more than their walk. */
#define RT_FOLD_SPLIT_MIN 4096

/* As the split point: the two halves (none below RT_FOLD_SPLIT_MIN). */
#define RT_FOLD_HALVES SIZE_MAX

/* After retain_lives_finish: calls fn(life, first) for the lives of
 * customers [0, mid) on the caller's thread and fn(life, second) for
 * those of [mid, n) on a second thread at the same time (after the first
 * half, on the caller's, when no thread starts; mid past the customers is
 * taken as their number). A customer's lives are all in one half. Returns
 * the first half's status when it is not RETAIN_OK, else the second's. */
retain_status rt_lives_fold2(const retain_lives *l, size_t mid, retain_life_fn fn, void *first,
                             void *second);

/* retain_churn_finish and retain_survival_finish with the split point of
 * their fold given (RT_FOLD_HALVES is theirs): the tables do not depend
 * on it (tests/unit). */
retain_status rt_churn_finish_at(retain_churn *c, size_t mid, retain_diag *diag);
retain_status rt_survival_finish_at(retain_survival *sv, size_t mid, retain_diag *diag);

#endif
