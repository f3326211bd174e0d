/* Distribution functions for the statistics libretain reports (confidence
 * intervals, p-values). Not exported; tested in tests/unit/test_survival.c. */
#ifndef RETAIN_STATS_H
#define RETAIN_STATS_H

/* Regularized upper incomplete gamma function Q(a, x) = Gamma(a, x) /
 * Gamma(a), for a > 0 and x >= 0; NaN outside. Series below a + 1,
 * Lentz's continued fraction above; relative error about 1e-14. */
double rt_gamma_q(double a, double x);

/* Upper tail of the chi-square distribution: P(X > chisq) with df degrees
 * of freedom (df >= 1), that is Q(df / 2, chisq / 2). */
double rt_chisq_upper(double chisq, int df);

/* Quantile of the standard normal distribution for 0 < p < 1 (NaN
 * outside): Acklam's rational approximation, then one Halley step on
 * erfc, to about 1e-15. */
double rt_normal_quantile(double p);

#endif
