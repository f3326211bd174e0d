/* The tables 'retain referral' prints (retain/referral.h): the tiers, the
 * summary (deal sources, referred customers and the others), the
 * referrers. */
#include <string.h>

#include <retain/referral.h>

static void put_yes(retain_writer *w, bool yes, bool known)
{
    if (known)
        retain_writer_text(w, yes ? "yes" : "no", yes ? 3 : 2);
    else
        retain_writer_empty(w);
}

/* Half of an integer (a median kept doubled), empty when n is 0. */
static void put_half(retain_writer *w, int64_t x2, int64_t n, int precision)
{
    retain_writer_ratio(w, n > 0 ? x2 : 0, n > 0 ? 2 : 0, 1, precision);
}

static void put_tier(retain_writer *w, retain_tier t)
{
    const char *name = retain_tier_name(t);
    retain_writer_text(w, name, strlen(name));
}

static void put_money(retain_writer *w, retain_money m, bool defined, int precision)
{
    if (defined)
        retain_writer_money(w, m, precision < 6 ? precision : 6);
    else
        retain_writer_empty(w);
}

static void put_value(retain_writer *w, retain_value v, double scale, int precision)
{
    if (v.defined)
        retain_writer_real(w, v.value * scale, precision);
    else
        retain_writer_empty(w);
}

static void put_count(retain_writer *w, int64_t v, bool defined)
{
    if (defined)
        retain_writer_int(w, v);
    else
        retain_writer_empty(w);
}

retain_writer *retain_referral_write(const retain_referral *r, const retain_print *p)
{
    static const char *const names[] = {"id",        "active",     "tenure_days",    "nps",
                                        "referrals", "successful", "successful_24m", "tier",
                                        "why",       "candidate"};
    /* not deferred: every value is known before the first row, and the
     * table (a row per customer) would go through a temporary file */
    retain_writer *w = retain_writer_open(p->out, p->format, names, 10, p->flags);
    for (size_t k = 0; w && k < retain_referral_tiers(r); k++) {
        retain_referral_tier_row t;
        retain_referral_tier_get(r, k, &t);
        retain_writer_text(w, t.id, t.id_len);
        put_yes(w, t.active, true);
        put_count(w, t.tenure_days, t.active);
        put_count(w, t.nps, t.has_nps);
        retain_writer_int(w, t.referrals);
        retain_writer_int(w, t.successful);
        retain_writer_int(w, t.successful_24m);
        put_tier(w, t.tier);
        char why[128];
        retain_writer_text(w, why, retain_referral_why(&t, why, sizeof why));
        put_yes(w, true, t.candidate);
        retain_writer_end_row(w);
    }
    return w;
}

static void put_empties(retain_writer *w, int n)
{
    while (n-- > 0)
        retain_writer_empty(w);
}

retain_writer *retain_referral_write_summary(const retain_referral *r, const retain_print *p)
{
    static const char *const names[] = {"group",
                                        "name",
                                        "deals",
                                        "won",
                                        "lost",
                                        "open",
                                        "close_rate_pct",
                                        "median_days_to_close",
                                        "mean_days_to_close",
                                        "customers",
                                        "new_customers",
                                        "arpu",
                                        "churn_pct",
                                        "ltv",
                                        "spend",
                                        "rewards",
                                        "cost",
                                        "cac",
                                        "ltv_cac",
                                        "roi_pct"};
    int d = p->precision;
    retain_writer *w =
        retain_writer_open(p->out, p->format, names, 20, p->flags | RETAIN_WRITER_DEFERRED);
    for (size_t k = 0; w && k < retain_referral_sources(r); k++) {
        retain_referral_source s;
        retain_referral_source_get(r, k, &s);
        retain_writer_text(w, "source", 6);
        retain_writer_text(w, s.name, s.name_len);
        retain_writer_int(w, s.deals);
        retain_writer_int(w, s.won);
        retain_writer_int(w, s.lost);
        retain_writer_int(w, s.open);
        retain_writer_ratio(w, s.won, s.won + s.lost, 100, d);
        put_half(w, s.median_x2, s.closed_won, d);
        retain_writer_ratio(w, s.days_sum, s.closed_won, 1, d);
        put_empties(w, 11);
        retain_writer_end_row(w);
    }
    bool mrr = retain_referral_has_mrr(r), rewards = retain_referral_has_rewards(r);
    for (int g = 0; w && g < 2; g++) {
        retain_referral_group o;
        retain_referral_group_get(r, g, &o);
        retain_writer_text(w, "customers", 9);
        retain_writer_text(w, o.name, strlen(o.name));
        put_empties(w, 7);
        retain_writer_int(w, o.customers);
        retain_writer_int(w, o.new_customers);
        if (mrr) /* exact: the MRR sum over the customers */
            retain_writer_ratio(w, o.mrr_sum, (int64_t)o.customers * RETAIN_MONEY_SCALE, 1, d);
        else
            retain_writer_empty(w);
        put_value(w, o.churn, 100, d);
        put_value(w, o.ltv, 1, d);
        put_money(w, o.spend, o.has_spend, d);
        put_money(w, o.rewards, g == 0 && rewards, d);
        put_money(w, o.cost, o.has_cost, d);
        if (o.cac.defined) /* exact: cost / new customers */
            retain_writer_ratio(w, o.cost, o.new_customers * RETAIN_MONEY_SCALE, 1, d);
        else
            retain_writer_empty(w);
        put_value(w, o.ltv_cac, 1, d);
        put_value(w, o.roi_pct, 1, d);
        retain_writer_end_row(w);
    }
    return w;
}

retain_writer *retain_referral_write_referrers(const retain_referral *r, const retain_print *p)
{
    static const char *const names[] = {"referrer",       "active",      "tier",
                                        "referrals",      "successful",  "successful_24m",
                                        "conversion_pct", "mrr_brought", "median_days_to_sign"};
    retain_writer *w =
        retain_writer_open(p->out, p->format, names, 9, p->flags | RETAIN_WRITER_DEFERRED);
    bool mrr = retain_referral_has_mrr(r);
    for (size_t k = 0; w && k < retain_referral_referrers(r); k++) {
        retain_referral_referrer o;
        retain_referral_referrer_get(r, k, &o);
        retain_writer_text(w, o.id, o.id_len);
        put_yes(w, o.active, true);
        put_tier(w, o.tier);
        retain_writer_int(w, o.referrals);
        retain_writer_int(w, o.successful);
        retain_writer_int(w, o.successful_24m);
        retain_writer_ratio(w, o.successful, o.referrals, 100, p->precision);
        put_money(w, o.mrr, mrr, p->precision);
        put_half(w, o.median_x2, o.successful, p->precision);
        retain_writer_end_row(w);
    }
    return w;
}
