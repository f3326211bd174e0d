/* The summary of Kaplan-Meier curves: counts, median, RMST at a horizon
 * that every curve reaches. */
#include <string.h>

#include <retain/survival.h>

double retain_survival_default_horizon(const retain_survival *sv)
{
    double horizon = 0;
    bool first = true;
    for (size_t g = 0; g < retain_survival_segments(sv); g++) {
        size_t n;
        const retain_km_step *steps = retain_survival_curve(sv, g, &n);
        if (n > 0 && (first || steps[n - 1].t < horizon)) {
            horizon = steps[n - 1].t;
            first = false;
        }
    }
    return horizon;
}

void retain_survival_summarize(const retain_survival *sv, size_t segment, double horizon,
                               retain_survival_summary *out)
{
    memset(out, 0, sizeof *out);
    size_t n;
    const retain_km_step *steps = retain_survival_curve(sv, segment, &n);
    for (size_t i = 0; i < n; i++) {
        out->events += steps[i].events;
        out->censored += steps[i].censored;
    }
    out->lives = out->events + out->censored;
    out->horizon = horizon < 0 ? retain_survival_default_horizon(sv) : horizon;
    out->has_median = retain_km_median(steps, n, &out->median);
    out->has_rmst = retain_km_rmst(steps, n, out->horizon, &out->rmst, &out->rmst_se);
    if (!out->has_median)
        out->median = 0;
    if (!out->has_rmst)
        out->rmst = out->rmst_se = 0;
}
