/* Unit tests for retain/referral.h: successful referrals, tiers and
 * candidates, deals per source, the referred and other groups, rewards and
 * ROI, referrers; bad options and bad deals. Figures worked out by hand
 * from retain-referral(1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retain/referral.h>

#define UNIT RETAIN_MONEY_SCALE

static retain_day day_of(const char *iso)
{
    retain_day d = 0;
    if (!retain_date_parse(iso, strlen(iso), NULL, &d))
        fail_msg("bad test date %s", iso);
    return d;
}

static void customer(retain_referral *r, const char *id, const char *start, const char *end,
                     int mrr)
{
    retain_row row = {0};
    row.line = 2;
    row.id = id;
    row.id_len = strlen(id);
    row.start = day_of(start);
    row.has_end = end != NULL;
    row.end = end ? day_of(end) : 0;
    row.mrr = (retain_money)mrr * UNIT;
    row.has_mrr = true;
    retain_diag diag;
    assert_int_equal(retain_referral_add_customer(r, &row, &diag), RETAIN_OK);
}

static void referral(retain_referral *r, const char *who, const char *referred, const char *date,
                     int reward)
{
    retain_row row = {0};
    row.line = 3;
    row.id = who;
    row.id_len = strlen(who);
    row.referred = referred;
    row.referred_len = strlen(referred);
    row.date = day_of(date);
    row.has_date = true;
    row.has_amount = reward >= 0;
    row.amount = reward >= 0 ? (retain_money)reward * UNIT : 0;
    retain_diag diag;
    assert_int_equal(retain_referral_add_referral(r, &row, &diag), RETAIN_OK);
}

static retain_status deal(retain_referral *r, const char *source, const char *created,
                          retain_deal_outcome outcome, const char *closed, unsigned long line,
                          retain_diag *diag)
{
    retain_row row = {0};
    row.line = line;
    row.source = source;
    row.source_len = strlen(source);
    row.date = day_of(created);
    row.has_date = true;
    row.outcome = outcome;
    row.has_closed = closed != NULL;
    row.closed = closed ? day_of(closed) : 0;
    return retain_referral_add_deal(r, &row, diag);
}

static void answer(retain_referral *r, const char *id, const char *date, int score)
{
    retain_row row = {0};
    row.line = 4;
    row.id = id;
    row.id_len = strlen(id);
    row.date = day_of(date);
    row.has_date = true;
    row.score = score;
    row.has_score = true;
    retain_diag diag;
    assert_int_equal(retain_referral_add_event(r, RETAIN_TABLE_SURVEY, &row, &diag), RETAIN_OK);
}

static retain_referral *make(const char *as_of, const retain_referral_options *given)
{
    retain_referral_options o = {.margin = 1};
    if (given)
        o = *given;
    o.has_as_of = true;
    o.as_of = day_of(as_of);
    retain_diag diag;
    retain_referral *r = retain_referral_new(&o, &diag);
    assert_non_null(r);
    return r;
}

static void done(retain_referral *r)
{
    retain_diag diag;
    assert_int_equal(retain_referral_customers_done(r, &diag), RETAIN_OK);
}

static const retain_referral_tier_row *find_tier(const retain_referral *r, const char *id,
                                                 retain_referral_tier_row *t)
{
    for (size_t k = 0; k < retain_referral_tiers(r); k++) {
        retain_referral_tier_get(r, k, t);
        if (t->id_len == strlen(id) && memcmp(t->id, id, t->id_len) == 0)
            return t;
    }
    return NULL;
}

/* A: 5 successful referrals in the 24 months to 2025-06-30 (and one more
 * before, one whose company signed first, one lead); B churned after its
 * one successful referral; P a promoter of 2 years; N a promoter of 100
 * days. */
static retain_referral *programme(const retain_referral_options *o)
{
    retain_referral *r = make("2025-06-30", o);
    customer(r, "A", "2020-01-01", NULL, 500);
    customer(r, "B", "2021-01-01", "2024-12-01", 100);
    customer(r, "P", "2023-06-01", NULL, 200);
    customer(r, "N", "2025-03-22", NULL, 50);
    const char *starts[] = {"2022-05-01", "2023-08-01", "2024-01-15",
                            "2024-06-01", "2024-11-01", "2025-04-01"};
    char id[8];
    for (int k = 0; k < 6; k++) {
        snprintf(id, sizeof id, "R%d", k);
        customer(r, id, starts[k], NULL, 100 * (k + 1));
    }
    customer(r, "S", "2023-01-01", NULL, 300); /* signed before its referral */
    customer(r, "T", "2024-02-01", NULL, 80);  /* B's referral */
    done(r);
    referral(r, "A", "R0", "2022-04-01", 100); /* successful, before the 24 months */
    referral(r, "A", "R1", "2023-07-01", 100); /* 2023-07-01 > 2023-06-30: inside */
    referral(r, "A", "R2", "2024-01-01", 100);
    referral(r, "A", "R3", "2024-06-01", 100); /* the same day counts */
    referral(r, "A", "R4", "2024-10-01", 100);
    referral(r, "A", "R5", "2025-03-01", 100);
    referral(r, "A", "S", "2023-03-01", -1);       /* S signed on 2023-01-01 */
    referral(r, "A", "L-1", "2025-05-01", -1);     /* a lead */
    referral(r, "A", "R5", "2025-07-01", 100);     /* after as-of */
    referral(r, "B", "T", "2024-01-10", 50);       /* B churned since */
    referral(r, "ghost", "T", "2024-01-10", 1000); /* no customer */
    answer(r, "P", "2025-01-10", 6);
    answer(r, "P", "2025-05-10", 10);
    answer(r, "N", "2025-06-01", 9);
    answer(r, "A", "2025-07-02", 3); /* after as-of */
    return r;
}

static void test_tiers(void **state)
{
    (void)state;
    retain_referral *r = programme(NULL);
    retain_diag diag;
    assert_int_equal(retain_referral_finish(r, &diag), RETAIN_OK);
    unsigned long line;
    assert_int_equal(retain_referral_unknown(r, RETAIN_TABLE_REFERRALS, &line), 1);
    assert_int_equal(line, 3);
    retain_referral_tier_row t;
    /* the first rows: the ambassador, then the referrer who left is last of
     * its kind (no tier) */
    retain_referral_tier_get(r, 0, &t);
    assert_int_equal(t.tier, RETAIN_TIER_AMBASSADOR);
    assert_int_equal(t.referrals, 8);
    assert_int_equal(t.successful, 6);
    assert_int_equal(t.successful_24m, 5);
    assert_false(t.has_nps); /* its answer is after as-of */
    assert_non_null(find_tier(r, "B", &t));
    assert_false(t.active);
    assert_int_equal(t.tier, RETAIN_TIER_NONE);
    assert_int_equal(t.successful, 1);
    char why[128];
    retain_referral_why(&t, why, sizeof why);
    assert_string_equal(why, "no longer a customer");
    assert_non_null(find_tier(r, "P", &t));
    assert_int_equal(t.tier, RETAIN_TIER_ADVOCATE);
    assert_int_equal(t.nps, 10);
    assert_true(t.candidate);
    assert_int_equal(t.tenure_days, 760);
    assert_non_null(find_tier(r, "N", &t));
    assert_int_equal(t.tier, RETAIN_TIER_NONE);
    assert_true(t.candidate);
    retain_referral_why(&t, why, sizeof why);
    assert_string_equal(why, "100 days, under 365");
    assert_non_null(find_tier(r, "S", &t));
    assert_int_equal(t.tier, RETAIN_TIER_NONE);
    assert_false(t.candidate);
    /* referrers: A first (6 successful), then B, then nobody else */
    assert_int_equal(retain_referral_referrers(r), 2);
    retain_referral_referrer a;
    retain_referral_referrer_get(r, 0, &a);
    assert_int_equal(a.tier, RETAIN_TIER_AMBASSADOR);
    assert_int_equal(a.mrr, 2100 * (retain_money)UNIT); /* 100 + ... + 600 */
    /* days to signature: 30, 31, 14, 0, 31, 31: median (30 + 31) / 2 */
    assert_int_equal(a.median_x2, 61);
    retain_referral_referrer_get(r, 1, &a);
    assert_false(a.active);
    assert_int_equal(a.successful, 1);
    retain_referral_free(r);
}

static void test_groups_and_rewards(void **state)
{
    (void)state;
    retain_referral *r = programme(NULL);
    retain_diag diag;
    assert_int_equal(retain_referral_finish(r, &diag), RETAIN_OK);
    retain_referral_group g;
    retain_referral_group_get(r, 0, &g);
    assert_string_equal(g.name, "referred");
    assert_int_equal(g.customers, 7); /* R0..R5 and T */
    assert_int_equal(g.mrr_sum, 2180 * (retain_money)UNIT);
    assert_int_equal(g.new_customers, 7);
    /* the rewards of the table up to as-of, B's included; no spend table */
    assert_int_equal(g.rewards, 650 * (retain_money)UNIT);
    assert_true(g.has_cost);
    assert_false(g.has_spend);
    assert_int_equal(g.cost, 650 * (retain_money)UNIT);
    assert_true(g.cac.defined);
    retain_referral_group_get(r, 1, &g);
    assert_int_equal(g.customers, 4); /* A, P, N, S */
    assert_false(g.has_cost);
    assert_false(g.cac.defined);
    retain_referral_free(r);

    /* --reward-pct 15: 15 % of 12 x the first MRR of the 7 new referred */
    retain_referral_options o = {.margin = 1, .has_reward_pct = true, .reward_pct = 15 * UNIT};
    r = programme(&o);
    assert_int_equal(retain_referral_finish(r, &diag), RETAIN_OK);
    retain_referral_group_get(r, 0, &g);
    assert_int_equal(g.rewards, 3924 * (retain_money)UNIT); /* 0.15 x 12 x 2180 */
    retain_referral_free(r);
}

static void test_spend_window(void **state)
{
    (void)state;
    retain_referral *r = programme(NULL);
    retain_table *t = NULL;
    retain_diag diag;
    const char *csv = "period,channel,spend\n2024-01,referral,300\n2024-01,ads,900\n"
                      "2024-12,Referral,200\n2025-09,referral,5000\n";
    FILE *f = fmemopen((void *)csv, strlen(csv), "r");
    assert_int_equal(retain_table_read(f, 0, &t, &diag), RETAIN_OK);
    fclose(f);
    retain_spend_options so = {.period = RETAIN_PERIOD_MONTH};
    assert_int_equal(retain_referral_add_spend(r, t, &so, &diag), RETAIN_OK);
    assert_int_equal(retain_referral_finish(r, &diag), RETAIN_OK);
    retain_referral_group g;
    retain_referral_group_get(r, 0, &g);
    /* the window 2024-01-01 .. 2024-12-31 (2025-09 is after as-of): R2,
     * R3, R4 and T are new; rewards of 2024: R2, R3, R4 (T's was 2024-01-10: in) */
    assert_int_equal(g.new_customers, 4);
    assert_int_equal(g.spend, 500 * (retain_money)UNIT);
    assert_int_equal(g.rewards, 350 * (retain_money)UNIT);
    assert_int_equal(g.cost, 850 * (retain_money)UNIT);
    assert_true(g.cac.defined);
    assert_true(g.cac.value == 212.5);
    retain_referral_group_get(r, 1, &g);
    assert_int_equal(g.new_customers, 0);
    assert_int_equal(g.spend, 900 * (retain_money)UNIT);
    assert_false(g.cac.defined); /* no new customer */
    retain_table_free(t);

    /* a spend table without a channel column */
    retain_referral_free(r);
    r = programme(NULL);
    csv = "period,spend\n2024-01,300\n";
    f = fmemopen((void *)csv, strlen(csv), "r");
    assert_int_equal(retain_table_read(f, 0, &t, &diag), RETAIN_OK);
    fclose(f);
    assert_int_equal(retain_referral_add_spend(r, t, &so, &diag), RETAIN_ERR_USAGE);
    retain_table_free(t);
    retain_referral_free(r);
}

static void test_deals(void **state)
{
    (void)state;
    retain_referral *r = make("2025-06-30", NULL);
    customer(r, "A", "2024-01-01", NULL, 10);
    done(r);
    retain_diag diag;
    assert_int_equal(deal(r, "referral", "2025-01-01", RETAIN_DEAL_WON, "2025-01-11", 2, &diag),
                     RETAIN_OK);
    assert_int_equal(deal(r, "referral", "2025-01-01", RETAIN_DEAL_WON, "2025-01-31", 3, &diag),
                     RETAIN_OK);
    assert_int_equal(deal(r, "referral", "2025-02-01", RETAIN_DEAL_LOST, "2025-03-01", 4, &diag),
                     RETAIN_OK);
    /* won after as-of: open */
    assert_int_equal(deal(r, "referral", "2025-06-01", RETAIN_DEAL_WON, "2025-07-01", 5, &diag),
                     RETAIN_OK);
    /* created after as-of: left out */
    assert_int_equal(deal(r, "referral", "2025-07-01", RETAIN_DEAL_LOST, "2025-07-02", 6, &diag),
                     RETAIN_OK);
    /* a source with open deals only */
    assert_int_equal(deal(r, "ads", "2025-05-01", RETAIN_DEAL_OPEN, NULL, 7, &diag), RETAIN_OK);
    /* closed before created */
    assert_int_equal(deal(r, "ads", "2025-05-01", RETAIN_DEAL_LOST, "2025-04-01", 8, &diag),
                     RETAIN_ERR_DATA);
    assert_int_equal(diag.line, 8);
    assert_int_equal(retain_referral_finish(r, &diag), RETAIN_OK);
    assert_int_equal(retain_referral_sources(r), 2);
    retain_referral_source s;
    retain_referral_source_get(r, 0, &s); /* "ads" < "referral" */
    assert_int_equal(s.deals, 1);
    assert_int_equal(s.won + s.lost, 0); /* the close rate is empty */
    assert_int_equal(s.closed_won, 0);
    retain_referral_source_get(r, 1, &s);
    assert_int_equal(s.deals, 4);
    assert_int_equal(s.won, 2);
    assert_int_equal(s.lost, 1);
    assert_int_equal(s.open, 1);
    assert_int_equal(s.closed_won, 2);
    assert_int_equal(s.days_sum, 40);
    assert_int_equal(s.median_x2, 40); /* (10 + 30) / 2 = 20 */
    /* the table 'retain referral --summary' prints, through the library */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    retain_print p = {out, RETAIN_FORMAT_CSV, 2, 0};
    retain_writer *w = retain_referral_write_summary(r, &p);
    assert_non_null(w);
    assert_int_equal(retain_writer_finish(w), RETAIN_OK);
    retain_writer_free(w);
    fclose(out);
    assert_non_null(strstr(text, "\nsource,ads,1,0,0,1,,,,,,,,,,,,,,\n"
                                 "source,referral,4,2,1,1,66.67,20.00,20.00,,,,,,,,,,,\n"
                                 "customers,referred,,,,,,,,0,0,,,,,,,,,\n"
                                 "customers,other,,,,,,,,1,1,10.00,"));
    free(text);
    retain_referral_free(r);
}

static void test_bad_options(void **state)
{
    (void)state;
    retain_diag diag;
    retain_referral_options o = {.margin = 1, .has_reward_pct = true, .reward_pct = 101 * UNIT};
    assert_null(retain_referral_new(&o, &diag));
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
    o.reward_pct = -1;
    assert_null(retain_referral_new(&o, &diag));
    o.has_reward_pct = false;
    o.margin = 1.5;
    assert_null(retain_referral_new(&o, &diag));
    assert_int_equal(diag.status, RETAIN_ERR_USAGE);
}

static void test_default_as_of(void **state)
{
    (void)state;
    retain_referral_options o = {.margin = 1};
    retain_diag diag;
    retain_referral *r = retain_referral_new(&o, &diag);
    assert_non_null(r);
    customer(r, "A", "2024-01-01", NULL, 10);
    customer(r, "B", "2024-03-05", NULL, 10);
    done(r);
    assert_int_equal(retain_referral_as_of(r), day_of("2024-03-05"));
    referral(r, "A", "B", "2024-03-05", -1); /* the same day: successful */
    assert_int_equal(retain_referral_finish(r, &diag), RETAIN_OK);
    retain_referral_tier_row t;
    assert_non_null(find_tier(r, "A", &t));
    assert_int_equal(t.tier, RETAIN_TIER_REFERRER);
    assert_false(retain_referral_has_rewards(r));
    retain_referral_group g;
    retain_referral_group_get(r, 0, &g);
    assert_false(g.has_cost);
    retain_referral_free(r);
}

/* Referrals are looked up in batches: more than one batch of them, some
 * naming no customer, are all counted once referrals_done has looked up
 * the last, the first unknown's line kept; their outcome is the same as
 * one at a time. */
static void test_referrals_in_batches(void **state)
{
    (void)state;
    retain_referral *r = make("2025-06-30", NULL);
    customer(r, "A", "2020-01-01", NULL, 500);
    customer(r, "B", "2024-02-01", NULL, 100);
    done(r);
    retain_diag diag;
    uint64_t unknown = 0;
    unsigned long first_unknown = 0;
    for (unsigned long k = 0; k < 700; k++) {
        retain_row row = {0};
        row.line = 10 + k;
        bool known = k % 7 != 5;
        row.id = known ? "A" : " X ";
        row.id_len = strlen(row.id);
        row.referred = k == 0 ? "B" : "";
        row.referred_len = strlen(row.referred);
        row.date = day_of("2024-01-15");
        row.has_date = true;
        if (!known && unknown++ == 0)
            first_unknown = row.line;
        assert_int_equal(retain_referral_add_referral(r, &row, &diag), RETAIN_OK);
    }
    assert_int_equal(retain_referral_referrals_done(r, &diag), RETAIN_OK);
    unsigned long line = 0;
    assert_int_equal(retain_referral_unknown(r, RETAIN_TABLE_REFERRALS, &line), unknown);
    assert_int_equal(line, first_unknown);
    assert_int_equal(retain_referral_finish(r, &diag), RETAIN_OK);
    retain_referral_tier_row t;
    assert_non_null(find_tier(r, "A", &t));
    assert_int_equal(t.referrals, 600); /* 700 less the 100 unknown */
    assert_int_equal(t.successful, 1);
    retain_referral_free(r);
}

/* The tier table's order and figures on 150000 customers (the two halves'
 * path): ids long and short, alike in their first 16 bytes and prefixes
 * of one another, each row checked against what the test itself works out
 * (tenure, NPS, referrals made, successful, in the 24 months), every
 * listed customer there once, and each row before the next by tier, then
 * successful_24m, successful (more first), then id bytes. */
#define ORDER_N 150000
#define ORDER_REFS 6000

typedef struct {
    int start, end; /* days; end 0 when open */
    int nps;        /* -1 none */
    int refs, ok, ok24;
    bool seen;
} order_cust;

static uint64_t order_rng = 0x9E3779B97F4A7C15ull;

static unsigned order_rand(unsigned n)
{
    order_rng ^= order_rng << 13;
    order_rng ^= order_rng >> 7;
    order_rng ^= order_rng << 17;
    return (unsigned)(order_rng % n);
}

static void order_id(char *id, size_t size, unsigned k)
{
    static const char base[] = "ACME-CORPORATION";
    if (k % 3 == 0)
        snprintf(id, size, "%s-%u", base, k);
    else if (k % 3 == 1)
        snprintf(id, size, "C-%u", k);
    else
        snprintf(id, size, "%.*s-%u", (int)(1 + k % 16), base, k);
}

static int tier_before(const retain_referral_tier_row *a, const retain_referral_tier_row *b)
{
    if (a->tier != b->tier)
        return a->tier > b->tier ? -1 : 1;
    if (a->successful_24m != b->successful_24m)
        return a->successful_24m > b->successful_24m ? -1 : 1;
    if (a->successful != b->successful)
        return a->successful > b->successful ? -1 : 1;
    size_t n = a->id_len < b->id_len ? a->id_len : b->id_len;
    int c = memcmp(a->id, b->id, n);
    return c ? c : (a->id_len > b->id_len) - (a->id_len < b->id_len);
}

static void test_tier_order(void **state)
{
    (void)state;
    order_cust *c = calloc(ORDER_N, sizeof *c);
    assert_non_null(c);
    retain_referral *r = make("2025-06-30", NULL);
    retain_day as_of = day_of("2025-06-30"), from = day_of("2019-01-01");
    retain_day day24 = day_of("2023-06-30");
    char id[64], other[64], iso[16];
    for (unsigned k = 0; k < ORDER_N; k++) {
        c[k].start = from + (int)order_rand((unsigned)(as_of - from));
        c[k].end = order_rand(5) == 0 ? c[k].start + 1 + (int)order_rand(300) : 0;
        if (c[k].end > as_of)
            c[k].end = 0;
        c[k].nps = order_rand(3) == 0 ? (int)order_rand(11) : -1;
        order_id(id, sizeof id, k);
        retain_row row = {0};
        row.line = 2 + k;
        row.id = id;
        row.id_len = strlen(id);
        row.start = c[k].start;
        row.has_end = c[k].end != 0;
        row.end = c[k].end;
        row.mrr = 10 * UNIT;
        row.has_mrr = true;
        retain_diag diag;
        assert_int_equal(retain_referral_add_customer(r, &row, &diag), RETAIN_OK);
    }
    done(r);
    for (unsigned j = 0; j < ORDER_REFS; j++) {
        unsigned a = order_rand(ORDER_N / 20), b = order_rand(ORDER_N); /* a few referrers */
        retain_day d = from + (int)order_rand((unsigned)(as_of - from));
        order_id(id, sizeof id, a);
        order_id(other, sizeof other, b);
        retain_day_format(d, iso);
        referral(r, id, other, iso, -1);
        c[a].refs++;
        if (c[b].start >= d) {
            c[a].ok++;
            c[a].ok24 += d > day24;
        }
    }
    for (unsigned k = 0; k < ORDER_N; k++) {
        if (c[k].nps < 0)
            continue;
        order_id(id, sizeof id, k);
        answer(r, id, "2025-01-10", c[k].nps);
    }
    retain_diag diag;
    assert_int_equal(retain_referral_finish(r, &diag), RETAIN_OK);
    size_t listed = 0;
    for (unsigned k = 0; k < ORDER_N; k++)
        listed += c[k].end == 0 || c[k].refs > 0;
    assert_int_equal(retain_referral_tiers(r), listed);
    retain_referral_tier_row prev = {0}, t;
    char prev_id[64] = "";
    for (size_t k = 0; k < retain_referral_tiers(r); k++) {
        retain_referral_tier_get(r, k, &t);
        assert_true(t.id_len < sizeof id);
        memcpy(id, t.id, t.id_len);
        id[t.id_len] = '\0';
        unsigned i = (unsigned)strtoul(strrchr(id, '-') + 1, NULL, 10);
        order_id(other, sizeof other, i);
        assert_string_equal(id, other);
        assert_false(c[i].seen);
        c[i].seen = true;
        assert_int_equal(t.active, c[i].end == 0);
        if (t.active)
            assert_int_equal(t.tenure_days, as_of - c[i].start);
        assert_int_equal(t.has_nps, c[i].nps >= 0);
        if (t.has_nps)
            assert_int_equal(t.nps, c[i].nps);
        assert_int_equal(t.referrals, c[i].refs);
        assert_int_equal(t.successful, c[i].ok);
        assert_int_equal(t.successful_24m, c[i].ok24);
        if (k > 0) {
            prev.id = prev_id;
            assert_true(tier_before(&prev, &t) < 0);
        }
        prev = t;
        memcpy(prev_id, id, t.id_len + 1);
    }
    retain_referral_free(r);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_groups_and_rewards),
        cmocka_unit_test(test_spend_window),
        cmocka_unit_test(test_deals),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_default_as_of),
        cmocka_unit_test(test_referrals_in_batches),
        cmocka_unit_test(test_tier_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
