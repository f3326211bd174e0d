/* Referral programmes: tiers, deals per source, referred customers against
 * the others, ROI, referrers. See retain/referral.h and retain-referral(1). */
#define _GNU_SOURCE /* qsort_r */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <retain/events.h>
#include <retain/lives.h>
#include <retain/ltv.h>
#include <retain/period.h>
#include <retain/referral.h>
#include <retain/risk.h>

#include "internal.h"
#include "keysort.h"
#include "store.h"
#include "events_rows.h"
#include "whole.h"
#include "window.h"

#define NONE UINT32_MAX

/* One referral: customer indices in the event accumulator (referred NONE
 * when it names no customer, or nobody yet). */
typedef struct {
    uint32_t referrer, referred;
    retain_day date;
    bool has_reward;
    retain_money reward;
} ref;

/* A referral read whose ids are looked up with the next ones: its ids'
 * offsets in pending_ids, and the rest of the row. */
typedef struct {
    size_t referrer, referrer_len, referred, referred_len;
    unsigned long line;
    retain_day date;
    bool has_reward;
    retain_money reward;
} pending_ref;

/* How many referrals are looked up together (rt_events_find_many). */
#define REF_BATCH 256

/* One won deal with a close day: its source and its days to close. */
typedef struct {
    uint32_t source;
    int32_t days;
} won_deal;

typedef struct {
    int64_t deals, won, lost, open;
} deal_counts;

/* What the finish marks per customer: whether it is the customer of a
 * successful referral (a bit), and for the tier tables its referrer row
 * (index + 1, 0 when none). */
typedef struct {
    uint64_t *referred;
    uint32_t *referrals; /* NULL for the summary, which needs none */
} cust_info;

static void set_referred(cust_info *info, size_t i)
{
    info->referred[i / 64] |= 1ull << (i % 64);
}

/* A row of the tier table in 40 bytes, sorted by its first TIER_KEY
 * bytes (rt_keysort): the rank, then the id's first 16 bytes, zero-padded
 * (ties, ids longer than that, by the whole id). What the table prints of
 * a customer is in it, but for a referrer's counts: the table is written
 * in its order without going back to the customers (a cache miss a row). */
#define TIER_KEY 25
typedef struct {
    unsigned char key[TIER_KEY]; /* RETAIN_TIER_AMBASSADOR - tier, then
                                  * ~successful_24m and ~successful (4 bytes
                                  * each, most significant first), then the id */
    uint8_t id_len;              /* up to 16: the id is key + 9; 17: longer */
    int8_t nps;                  /* -1 without an answer */
    uint8_t flags;               /* TIER_ACTIVE ... */
    uint32_t customer;
    int32_t tenure_days;
    int32_t days_silent;
} tier_entry;

enum {
    TIER_ACTIVE = 1,
    TIER_REFERRER = 2, /* made a referral: its counts in r->referrers */
    TIER_HAS_SILENT = 4,
    TIER_SILENT = 8,
    TIER_CANDIDATE = 16
};
#define TIER_ID 9 /* where the id's bytes start in the key */

/* Days of first starts counted one by one; earlier ones listed. */
#define FIRST_DAYS (RT_SPAN_MAX_DAYS + 2)

struct lives_part {
    retain_ltv_table *t;
    rt_span *rows;
    size_t cap;
    bool any;            /* a customer is in the table: the others' ended lives can go */
    int64_t *first_days; /* customers whose first life starts on first_lo + k */
    retain_day *early;   /* first starts before first_lo */
    size_t nearly, early_cap;
    retain_status st;
    char pad[64]; /* the two parts, allocated apart, share no cache line */
};

static void free_part(struct lives_part *p);
static retain_status walk_begin(void *ctx, retain_day as_of);
static retain_status walk_customer(void *ctx, int part, size_t i, const rt_events_life *lives,
                                   size_t n);

struct retain_referral {
    retain_referral_options o;
    retain_events *ev;
    bool customers_done, finished, any_mrr, has_events, has_rewards, has_spend;
    retain_day as_of, day24; /* in the 24 months: date > day24 */
    ref *refs;
    size_t nrefs, refs_cap;
    uint64_t reward_total;
    uint64_t unknown_refs;
    unsigned long unknown_ref_line;
    /* referrals read, their ids not looked up yet (look_up_referrals) */
    pending_ref *pending;
    size_t npending;
    rt_buf pending_ids;
    /* deals */
    rt_intern sources;
    deal_counts *counts;
    size_t counts_cap;
    won_deal *won;
    size_t nwon, won_cap;
    /* spend: the acquisition rows of the spend table */
    retain_acquisition *acq;
    retain_period_kind spend_period;
    bool spend_unknown[2];
    /* the summary's walk (struct lives_part, see walk_begin) */
    struct lives_part *part[2];
    retain_day window_from, first_lo;
    retain_status walk_st; /* walk_begin's */
    /* results */
    tier_entry *tiers, *tiers_b; /* the two halves' rows, each sorted */
    size_t ntiers, ntiers_a;
    uint32_t *order;          /* the table's rows: k < ntiers_a in tiers, the others in tiers_b */
    uint32_t *referrer_of;    /* per customer: its row in referrers + 1, 0 when none */
    uint32_t *referrer_order; /* the referrers' rows in the table's order */
    retain_referral_source *src;
    size_t nsrc;
    retain_referral_group group[2];
    retain_referral_referrer *referrers;
    size_t nreferrers;
};

const char *retain_tier_name(retain_tier tier)
{
    static const char *const names[] = {"", "advocate", "referrer", "ambassador"};
    return (unsigned)tier < 4 ? names[tier] : "";
}

retain_referral *retain_referral_new(const retain_referral_options *options, retain_diag *diag)
{
    retain_referral_options o = *options;
    if (o.silence <= 0)
        o.silence = 60;
    if (o.window <= 0)
        o.window = 12;
    if (o.has_reward_pct && (o.reward_pct < 0 || o.reward_pct > 100 * (retain_money)1000000)) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "the reward percentage must be 0 to 100");
        return NULL;
    }
    if (!(o.margin >= 0 && o.margin <= 1)) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "the margin must be a fraction from 0 to 1");
        return NULL;
    }
    if (o.merge_gap < 0 || o.merge_gap > RETAIN_MERGE_GAP_MAX) {
        rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "the merge gap must be 0 to %d days",
                RETAIN_MERGE_GAP_MAX);
        return NULL;
    }
    retain_referral *r = calloc(1, sizeof *r);
    if (!r) {
        rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        return NULL;
    }
    r->o = o;
    rt_intern_init(&r->sources);
    /* one cutoff, the as-of: given, or the latest start (0 days before it) */
    retain_day cut = o.has_as_of ? o.as_of : 0;
    retain_events_options eo = {.cutoffs = &cut,
                                .n_cutoffs = 1,
                                .before_latest_start = !o.has_as_of,
                                .merge_gap = o.merge_gap};
    r->ev = retain_events_new(&eo, diag);
    if (!r->ev) {
        retain_referral_free(r);
        return NULL;
    }
    return r;
}

void retain_referral_free(retain_referral *r)
{
    if (!r)
        return;
    retain_events_free(r->ev);
    free(r->refs);
    free(r->pending);
    rt_buf_free(&r->pending_ids);
    rt_intern_free(&r->sources);
    free(r->counts);
    free(r->won);
    retain_acquisition_free(r->acq);
    free_part(r->part[0]);
    free_part(r->part[1]);
    free(r->tiers);
    free(r->tiers_b);
    free(r->order);
    free(r->referrer_of);
    free(r->referrer_order);
    free(r->src);
    free(r->referrers);
    free(r);
}

retain_status retain_referral_add_customer(retain_referral *r, const retain_row *row,
                                           retain_diag *diag)
{
    if (row->has_mrr)
        r->any_mrr = true;
    return retain_events_add_customer_row(r->ev, row, false, diag);
}

retain_status retain_referral_reserve(retain_referral *r, size_t customers)
{
    return retain_events_reserve(r->ev, customers);
}

retain_status retain_referral_customers_done(retain_referral *r, retain_diag *diag)
{
    if (r->o.want & RETAIN_REFERRAL_SUMMARY || !r->o.want) {
        /* the summary's walk over the customers, as their lives are made */
        rt_events_lives_walk walk = {walk_begin, walk_customer, r};
        rt_events_walk_lives(r->ev, &walk);
    }
    retain_status st = retain_events_customers_done(r->ev, diag);
    retain_status walked = r->walk_st;
    for (int h = 0; h < 2 && walked == RETAIN_OK; h++)
        walked = r->part[h] ? r->part[h]->st : RETAIN_OK;
    if (walked != RETAIN_OK) /* the walk's error: the message is ours */
        return rt_fail(diag, walked, 0, NULL, "%s",
                       walked == RETAIN_ERR_NOMEM ? "out of memory"
                                                  : "MRR sums pass the money range");
    if (st != RETAIN_OK)
        return st;
    r->customers_done = true;
    r->as_of = retain_events_as_of(r->ev);
    /* the 24 months ending on as-of start the day after this one */
    int y, m, d;
    retain_day_to_ymd(r->as_of, &y, &m, &d);
    while (!retain_day_from_ymd(y - 2, m, d, &r->day24))
        d--; /* 29 February */
    return RETAIN_OK;
}

retain_day retain_referral_as_of(const retain_referral *r)
{
    return r->as_of;
}

/* The referrals queued: their referrers and referred customers found (in a
 * batch: rt_events_find_many), the rewards of known referrers summed. */
static retain_status look_up_referrals(retain_referral *r, retain_diag *diag)
{
    size_t n = r->npending;
    if (n == 0)
        return RETAIN_OK;
    rt_events_key keys[2 * REF_BATCH];
    size_t found[2 * REF_BATCH];
    for (size_t k = 0; k < n; k++) {
        const pending_ref *q = &r->pending[k];
        keys[2 * k] = (rt_events_key){r->pending_ids.data + q->referrer, q->referrer_len};
        keys[2 * k + 1] = (rt_events_key){r->pending_ids.data + q->referred, q->referred_len};
    }
    rt_events_find_many(r->ev, keys, 2 * n, found);
    r->npending = 0;
    r->pending_ids.len = 0;
    if (!rt_grow((void **)&r->refs, &r->refs_cap, r->nrefs + n, sizeof *r->refs))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t k = 0; k < n; k++) {
        const pending_ref *q = &r->pending[k];
        if (found[2 * k] == SIZE_MAX) {
            if (r->unknown_refs++ == 0)
                r->unknown_ref_line = q->line;
            continue;
        }
        if (q->has_reward) {
            if (!rt_money_tally(&r->reward_total, q->reward))
                return rt_fail(diag, RETAIN_ERR_DATA, q->line, NULL,
                               "the rewards add up past the money range");
            r->has_rewards = true;
        }
        r->refs[r->nrefs++] =
            (ref){(uint32_t)found[2 * k],
                  found[2 * k + 1] == SIZE_MAX ? NONE : (uint32_t)found[2 * k + 1], q->date,
                  q->has_reward, q->has_reward ? q->reward : 0};
    }
    return RETAIN_OK;
}

retain_status retain_referral_add_referral(retain_referral *r, const retain_row *row,
                                           retain_diag *diag)
{
    if (row->date > r->as_of)
        return RETAIN_OK;
    if (row->has_amount && row->amount < 0)
        return rt_fail(diag, RETAIN_ERR_DATA, row->line, NULL,
                       "a negative reward: rewards paid are 0 or more");
    if (!r->pending && !(r->pending = malloc(REF_BATCH * sizeof *r->pending)))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    pending_ref *q = &r->pending[r->npending];
    *q = (pending_ref){r->pending_ids.len, row->id_len, r->pending_ids.len + row->id_len,
                       row->referred_len,  row->line,   row->date,
                       row->has_amount,    row->amount};
    if (!rt_buf_append(&r->pending_ids, row->id, row->id_len) ||
        !rt_buf_append(&r->pending_ids, row->referred, row->referred_len))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    return ++r->npending == REF_BATCH ? look_up_referrals(r, diag) : RETAIN_OK;
}

retain_status retain_referral_referrals_done(retain_referral *r, retain_diag *diag)
{
    return look_up_referrals(r, diag);
}

retain_status retain_referral_add_deal(retain_referral *r, const retain_row *row, retain_diag *diag)
{
    if (row->date > r->as_of)
        return RETAIN_OK; /* not created yet */
    retain_deal_outcome outcome = row->outcome;
    if (row->has_closed && row->closed < row->date) {
        char a[16], b[16];
        retain_day_format(row->closed, a);
        retain_day_format(row->date, b);
        return rt_fail(diag, RETAIN_ERR_DATA, row->line, NULL,
                       "the deal closed on %s, before it was created (%s)", a, b);
    }
    if (row->has_closed && row->closed > r->as_of)
        outcome = RETAIN_DEAL_OPEN; /* the future is unknown */
    uint32_t s;
    if (!rt_intern_get(&r->sources, row->source_len ? row->source : "", row->source_len, &s) ||
        !rt_grow((void **)&r->counts, &r->counts_cap, (size_t)s + 1, sizeof *r->counts))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    if (s >= r->nsrc) { /* a new source: its counts start at 0 */
        memset(r->counts + r->nsrc, 0, ((size_t)s + 1 - r->nsrc) * sizeof *r->counts);
        r->nsrc = (size_t)s + 1;
    }
    deal_counts *c = &r->counts[s];
    c->deals++;
    if (outcome == RETAIN_DEAL_WON)
        c->won++;
    else if (outcome == RETAIN_DEAL_LOST)
        c->lost++;
    else
        c->open++;
    if (outcome == RETAIN_DEAL_WON && row->has_closed) {
        if (!rt_grow((void **)&r->won, &r->won_cap, r->nwon + 1, sizeof *r->won))
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        r->won[r->nwon++] = (won_deal){s, row->closed - row->date};
    }
    return RETAIN_OK;
}

retain_status retain_referral_add_event(retain_referral *r, retain_table_kind kind,
                                        const retain_row *row, retain_diag *diag)
{
    if (kind == RETAIN_TABLE_EVENTS)
        r->has_events = true;
    return retain_events_add_row(r->ev, kind, row, diag);
}

retain_status retain_referral_add_spend(retain_referral *r, const retain_table *t,
                                        const retain_spend_options *options, retain_diag *diag)
{
    if (!r->acq && !(r->acq = retain_acquisition_new()))
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    retain_spend_options so = *options;
    so.segment = NULL;
    const char *channel = NULL;
    retain_status st = retain_spend_table_add(r->acq, t, &so, &channel, diag);
    if (st != RETAIN_OK)
        return st;
    if (!channel)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "the spend table has no channel column: which spend is the referral "
                       "programme's?");
    r->has_spend = true;
    r->spend_period = options->period; /* the window is made at finish */
    return RETAIN_OK;
}

uint64_t retain_referral_unknown(const retain_referral *r, retain_table_kind kind,
                                 unsigned long *first_line)
{
    if (kind == RETAIN_TABLE_REFERRALS) {
        if (first_line)
            *first_line = r->unknown_ref_line;
        return r->unknown_refs;
    }
    unsigned long line = 0;
    uint64_t n = retain_events_unknown(
        r->ev, kind == RETAIN_TABLE_SURVEY ? RETAIN_EVENT_ANSWER : RETAIN_EVENT_ACTIVITY, &line);
    if (first_line)
        *first_line = line;
    return n;
}

/* ---- finish ----------------------------------------------------------- */

/* qsort, which must not see a NULL array even when it is empty. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static int cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Twice the median of v[0..n) (sorted here), 0 when n is 0. */
static int64_t median_x2(int32_t *v, size_t n)
{
    if (n == 0)
        return 0;
    sort(v, n, sizeof *v, cmp_int32);
    return n % 2 ? 2 * (int64_t)v[n / 2] : (int64_t)v[n / 2 - 1] + v[n / 2];
}

static int cmp_won(const void *a, const void *b)
{
    const won_deal *x = a, *y = b;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    return (x->days > y->days) - (x->days < y->days);
}

static retain_status finish_sources(retain_referral *r)
{
    size_t n = r->sources.n;
    if (n == 0)
        return RETAIN_OK;
    uint32_t *order = rt_intern_sorted(&r->sources);
    retain_referral_source *src = calloc(n, sizeof *src);
    int32_t *days = malloc((r->nwon ? r->nwon : 1) * sizeof *days);
    if (!order || !src || !days) {
        free(order);
        free(src);
        free(days);
        return RETAIN_ERR_NOMEM;
    }
    sort(r->won, r->nwon, sizeof *r->won, cmp_won);
    /* per source index: where its won deals begin */
    size_t *begin = calloc(n + 1, sizeof *begin);
    if (!begin) {
        free(order);
        free(src);
        free(days);
        return RETAIN_ERR_NOMEM;
    }
    for (size_t i = 0; i < r->nwon; i++)
        begin[r->won[i].source + 1]++;
    for (size_t s = 0; s < n; s++)
        begin[s + 1] += begin[s];
    for (size_t k = 0; k < n; k++) {
        uint32_t s = order[k];
        retain_referral_source *o = &src[k];
        o->name = rt_intern_str(&r->sources, s, &o->name_len);
        o->deals = r->counts[s].deals;
        o->won = r->counts[s].won;
        o->lost = r->counts[s].lost;
        o->open = r->counts[s].open;
        size_t m = 0;
        for (size_t i = begin[s]; i < begin[s + 1]; i++) {
            days[m++] = r->won[i].days;
            o->days_sum += r->won[i].days;
        }
        o->closed_won = (int64_t)m;
        o->median_x2 = median_x2(days, m);
    }
    free(begin);
    free(order);
    free(days);
    r->src = src;
    r->nsrc = n;
    return RETAIN_OK;
}

static int cmp_ref_referrer(const void *a, const void *b)
{
    const ref *x = a, *y = b;
    if (x->referrer != y->referrer)
        return x->referrer < y->referrer ? -1 : 1;
    return (x->date > y->date) - (x->date < y->date);
}

/* The start of customer i's first life; RETAIN_DAY_MAX when it has none. */
static retain_day first_start(const retain_referral *r, size_t i)
{
    size_t n;
    const rt_events_life *l = rt_events_lives_of(r->ev, i, &n);
    return n ? l[0].start : RETAIN_DAY_MAX;
}

static bool successful(const retain_referral *r, const ref *x, retain_day *first)
{
    if (x->referred == NONE)
        return false;
    *first = first_start(r, x->referred);
    return *first != RETAIN_DAY_MAX && *first >= x->date;
}

static int cmp_referrer(const void *a, const void *b, void *referrers)
{
    const retain_referral_referrer *x = (const retain_referral_referrer *)referrers +
                                        *(const uint32_t *)a,
                                   *y = (const retain_referral_referrer *)referrers +
                                        *(const uint32_t *)b;
    if (x->successful != y->successful)
        return x->successful > y->successful ? -1 : 1;
    if (x->mrr != y->mrr)
        return x->mrr > y->mrr ? -1 : 1;
    size_t n = x->id_len < y->id_len ? x->id_len : y->id_len;
    int c = memcmp(x->id, y->id, n);
    return c ? c : (x->id_len > y->id_len) - (x->id_len < y->id_len);
}

/* The referrers, from the referrals sorted by referrer. */
static retain_status finish_referrers(retain_referral *r, cust_info *info)
{
    uint64_t tally = 0;
    bool ok = true;
    if (!info->referrals) {
        /* the summary alone: the customers of successful referrals, and
         * the MRR they brought checked, in any order; no referrer row */
        for (size_t i = 0; i < r->nrefs; i++) {
            retain_day start;
            if (!successful(r, &r->refs[i], &start))
                continue;
            ok = ok &&
                 rt_money_tally(&tally, retain_events_mrr_on(r->ev, r->refs[i].referred, start));
            set_referred(info, r->refs[i].referred);
        }
        return ok ? RETAIN_OK : RETAIN_ERR_DATA;
    }
    sort(r->refs, r->nrefs, sizeof *r->refs, cmp_ref_referrer);
    size_t n = 0;
    for (size_t i = 0; i < r->nrefs; i++)
        if (i == 0 || r->refs[i].referrer != r->refs[i - 1].referrer)
            n++;
    r->referrers = calloc(n ? n : 1, sizeof *r->referrers);
    int32_t *days = malloc((r->nrefs ? r->nrefs : 1) * sizeof *days);
    if (!r->referrers || !days) {
        free(days);
        return RETAIN_ERR_NOMEM;
    }
    for (size_t i = 0, k = 0; i < r->nrefs; k++) {
        retain_referral_referrer *o = &r->referrers[k];
        uint32_t who = r->refs[i].referrer;
        o->id = retain_events_id(r->ev, who, &o->id_len);
        retain_life life;
        o->active = retain_events_life_on(r->ev, who, r->as_of, &life);
        size_t m = 0;
        for (; i < r->nrefs && r->refs[i].referrer == who; i++) {
            const ref *x = &r->refs[i];
            retain_day start;
            o->referrals++;
            if (!successful(r, x, &start))
                continue;
            o->successful++;
            if (x->date > r->day24)
                o->successful_24m++;
            days[m++] = start - x->date;
            retain_money first = retain_events_mrr_on(r->ev, x->referred, start);
            ok = ok && rt_money_tally(&tally, first);
            o->mrr += first;
            set_referred(info, x->referred);
        }
        o->median_x2 = median_x2(days, m);
        if (info->referrals)
            info->referrals[who] = (uint32_t)k + 1;
    }
    free(days);
    if (!ok)
        return RETAIN_ERR_DATA;
    r->nreferrers = n;
    return RETAIN_OK;
}

/* Tier row of customer i; false when it is not listed. */
static bool tier_row(const retain_referral *r, const retain_risk_options *ro, const cust_info *info,
                     size_t i, retain_referral_tier_row *t)
{
    memset(t, 0, sizeof *t);
    retain_life life;
    t->active = retain_events_life_on(r->ev, i, r->as_of, &life);
    const retain_referral_referrer *who =
        info->referrals[i] ? &r->referrers[info->referrals[i] - 1] : NULL;
    if (!t->active && !who)
        return false;
    t->id = retain_events_id(r->ev, i, &t->id_len);
    retain_event_state st;
    retain_events_state(r->ev, i, 0, &st);
    t->has_nps = st.has_answer;
    t->nps = st.score;
    if (who) {
        t->referrals = who->referrals;
        t->successful = who->successful;
        t->successful_24m = who->successful_24m;
    }
    if (!t->active)
        return true;
    t->tenure_days = r->as_of - life.start;
    if (r->has_events) {
        retain_risk_row rr;
        if (retain_risk_eval(r->ev, ro, i, r->as_of, &rr) && rr.has_days_silent) {
            t->has_silent = true;
            t->days_silent = rr.days_silent;
            t->silent = (rr.signals & (1u << RETAIN_SIGNAL_SILENT)) != 0;
        }
    }
    if (t->successful_24m >= 5)
        t->tier = RETAIN_TIER_AMBASSADOR;
    else if (t->successful >= 1)
        t->tier = RETAIN_TIER_REFERRER;
    else if (t->tenure_days >= 365 && t->has_nps && t->nps >= 9 && !t->silent)
        t->tier = RETAIN_TIER_ADVOCATE;
    t->candidate = t->has_nps && t->nps >= 9 && t->tier < RETAIN_TIER_REFERRER;
    return true;
}

/* Tier rows whose keys are equal (ids alike in their first 16 bytes): by
 * their whole ids' bytes. */
static int tier_by_id(const void *a, const void *b, void *referral)
{
    const retain_referral *r = referral;
    size_t la, lb;
    const char *x = retain_events_id(r->ev, ((const tier_entry *)a)->customer, &la);
    const char *y = retain_events_id(r->ev, ((const tier_entry *)b)->customer, &lb);
    int c = memcmp(x, y, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

/* A count as the key's 4 bytes, larger first (counts past 2^32 - 1, which
 * memory cannot hold referrals for, rank as that). */
static void key_count_desc(unsigned char *to, int64_t x)
{
    rt_key_u32(to, 0xFFFFFFFFul - (x < 0 ? 0 : x > 0xFFFFFFFF ? 0xFFFFFFFFul : (unsigned long)x));
}

static void pack_tier(tier_entry *e, const retain_referral_tier_row *t, uint32_t customer,
                      bool referrer)
{
    memset(e, 0, sizeof *e);
    e->key[0] = (unsigned char)(RETAIN_TIER_AMBASSADOR - t->tier);
    key_count_desc(e->key + 1, t->successful_24m);
    key_count_desc(e->key + 5, t->successful);
    memcpy(e->key + TIER_ID, t->id, t->id_len < 16 ? t->id_len : 16);
    e->id_len = (uint8_t)(t->id_len <= 16 ? t->id_len : 17);
    e->nps = (int8_t)(t->has_nps ? t->nps : -1);
    e->flags = (uint8_t)((t->active ? TIER_ACTIVE : 0) | (referrer ? TIER_REFERRER : 0) |
                         (t->has_silent ? TIER_HAS_SILENT : 0) | (t->silent ? TIER_SILENT : 0) |
                         (t->candidate ? TIER_CANDIDATE : 0));
    e->customer = customer;
    e->tenure_days = t->tenure_days;
    e->days_silent = t->days_silent;
}

/* The tier rows of customers [from, to), made and sorted on a thread of
 * their own. */
typedef struct {
    retain_referral *r;
    const cust_info *info;
    const retain_risk_options *ro;
    bool referrers_only;
    size_t from, to;
    tier_entry *out; /* room for to - from, or for the referrers */
    size_t m;
    int threads; /* the sort's */
} tier_part;

static void *tier_part_rows(void *part)
{
    tier_part *p = part;
    retain_referral *r = p->r;
    for (size_t i = p->from; i < p->to; i++) {
        uint32_t who = p->info->referrals[i];
        if (p->referrers_only && !who)
            continue;
        retain_referral_tier_row t;
        if (!tier_row(r, p->ro, p->info, i, &t))
            continue;
        pack_tier(&p->out[p->m++], &t, (uint32_t)i, who != 0);
        if (who)
            r->referrers[who - 1].tier = t.tier; /* the referrer's alone: one thread writes it */
    }
    rt_keysort(p->out, p->m, sizeof *p->out, TIER_KEY, tier_by_id, r, p->threads);
    return NULL;
}

/* Customers from which the tier rows are made on two threads. */
#define TIERS_SPLIT_MIN 100000

/* The tier rows: of every customer listed, or of the referrers only; each
 * referrer's tier set. Two threads make and sort a half each, in arrays of
 * their own (the pages of customers not listed never touched), and the
 * table's order merges them. */
static retain_status finish_tiers(retain_referral *r, const cust_info *info, bool referrers_only)
{
    size_t n = retain_events_customers(r->ev);
    retain_risk_options ro;
    retain_risk_defaults(&ro);
    ro.silence = r->o.silence;
    ro.tables[RETAIN_EVENT_ACTIVITY] = true;
    size_t half = n >= TIERS_SPLIT_MIN && !referrers_only ? n / 2 : n;
    tier_part part[2] = {
        {r, info, &ro, referrers_only, 0, half, NULL, 0, 2},
        {r, info, &ro, referrers_only, half, n, NULL, 0, 1},
    };
    size_t room = referrers_only ? r->nreferrers : half;
    part[0].out = r->tiers = malloc((room ? room : 1) * sizeof *r->tiers);
    r->order = malloc((n ? n : 1) * sizeof *r->order);
    if (!r->tiers || !r->order)
        return RETAIN_ERR_NOMEM;
    pthread_t helper;
    bool two = half < n && (part[1].out = r->tiers_b = malloc((n - half) * sizeof *r->tiers)) &&
               pthread_create(&helper, NULL, tier_part_rows, &part[1]) == 0;
    if (two) {
        part[0].threads = 1;
    } else {
        part[0].to = n;
        if (half < n) { /* one array for all */
            free(r->tiers_b);
            r->tiers_b = NULL;
            tier_entry *all = realloc(r->tiers, n * sizeof *r->tiers);
            if (!all)
                return RETAIN_ERR_NOMEM;
            part[0].out = r->tiers = all;
        }
    }
    tier_part_rows(&part[0]);
    if (two)
        pthread_join(helper, NULL);
    r->ntiers_a = part[0].m;
    r->ntiers = part[0].m + part[1].m;
    rt_keymerge(r->tiers, part[0].m, r->tiers_b, part[1].m, sizeof *r->tiers, TIER_KEY, tier_by_id,
                r, r->order);
    return RETAIN_OK;
}

/* x y / d rounded half away from zero, for money (d > 0). */
static retain_money muldiv(retain_money x, int64_t y, int64_t d)
{
    __int128 p = (__int128)x * y, q = p / d, rem = p % d;
    if (rem < 0)
        rem = -rem;
    if (2 * rem >= d)
        q += p < 0 ? -1 : 1;
    return (retain_money)q;
}

/* The costs of the summary: the spend window [first, last] (every day when
 * there is no spend table), each group's spend, and the new customers and
 * rewards the walk over the customers counts in it. */
typedef struct {
    retain_day first, last;
    retain_money spend[2], rewards;
    uint64_t reward_tally;
    retain_status st; /* a spend or reward sum past the money range */
} costs;

static retain_status spend_window(retain_referral *r, costs *k)
{
    k->first = INT32_MIN;
    k->last = r->as_of;
    uint64_t tally = 0;
    if (!r->has_spend)
        return RETAIN_OK;
    size_t n = retain_acquisition_rows(r->acq);
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (size_t j = 0; j < n; j++) {
        const retain_acquisition_row *row = retain_acquisition_row_at(r->acq, j);
        if (!row->has_spend || retain_period_first_day(r->spend_period, row->period) > r->as_of)
            continue; /* spend of periods after as-of is not known yet */
        int g = retain_name_equal(row->channel, "referral") ? 0 : 1;
        if (!row->spend_defined)
            r->spend_unknown[g] = true;
        if (!rt_money_tally(&tally, row->spend))
            return RETAIN_ERR_DATA;
        k->spend[g] += row->spend;
        lo = row->period < lo ? row->period : lo;
        hi = row->period > hi ? row->period : hi;
    }
    if (lo <= hi) {
        /* the kind of the periods is the one the spend table was read as */
        k->first = retain_period_first_day(r->spend_period, lo);
        retain_day end = retain_period_last_day(r->spend_period, hi);
        k->last = end < k->last ? end : k->last;
    } else
        k->first = INT32_MAX; /* no spend row: no window */
    return RETAIN_OK;
}

/* Each group's cost, CAC, LTV:CAC and ROI, after its LTV. */
static void finish_cost(retain_referral *r, costs *k)
{
    if (!r->o.has_reward_pct) {
        for (size_t j = 0; j < r->nrefs; j++)
            if (r->refs[j].has_reward && r->refs[j].date >= k->first && r->refs[j].date <= k->last)
                k->rewards += r->refs[j].reward;
    } else
        r->has_rewards = true;
    for (int g = 0; g < 2; g++) {
        retain_referral_group *o = &r->group[g];
        o->has_spend = r->has_spend && !r->spend_unknown[g];
        o->spend = k->spend[g];
        o->rewards = g == 0 ? k->rewards : 0;
        bool has_cost = o->has_cost = o->has_spend || (g == 0 && r->has_rewards);
        o->cost = (o->has_spend ? o->spend : 0) + o->rewards;
        if (has_cost && o->new_customers > 0)
            o->cac = (retain_value){(double)o->cost / RETAIN_MONEY_SCALE / (double)o->new_customers,
                                    true};
        if (o->ltv.defined && o->cac.defined)
            retain_ltv_cac(o->ltv.value, o->cac.value, &o->ltv_cac, NULL);
        if (g == 0 && has_cost && o->cost > 0 && o->ltv.defined)
            o->roi_pct = (retain_value){
                (o->ltv.value * (double)o->new_customers - (double)o->cost / RETAIN_MONEY_SCALE) /
                    ((double)o->cost / RETAIN_MONEY_SCALE) * 100,
                true};
    }
}

static const char *const group_name[2] = {"referred", "other"};

/* The summary's LTV inputs come from a walk over every customer's lives,
 * made while retain_events_customers_done makes them (on its two
 * threads: rt_events_walk_lives), before the referrals say who is
 * referred: every customer goes into the "other" segment of its part's
 * table, and at the finish the referred ones, a few, are walked again
 * into a table of their own and taken out of it (rt_ltv_table_take_out:
 * exact, the sums and counts being sums over the customers). Their first
 * starts are counted by day for the new customers of a spend window known
 * only then. */

/* The table every walk fills: monthly rate counted from the window's
 * first month on. NULL when out of memory. */
static retain_ltv_table *summary_table(const retain_referral *r)
{
    retain_ltv_table_options to = {.has_as_of = true, .as_of = r->as_of, .window = r->o.window};
    retain_ltv_table *t = retain_ltv_table_new(&to);
    if (t && rt_ltv_table_count_whole(t, r->window_from) != RETAIN_OK) {
        retain_ltv_table_free(t);
        t = NULL;
    }
    return t;
}

/* Customer i's lives into table t (group g's segment), as the summary
 * needs them: the lives that ended before the eve of the window's first
 * month are active on none of the days TRC looks at, nor start in them (a
 * later life of its customer is new instead of won back: N is the same),
 * and go, but for the table's first customer (a table needs a row); the
 * MRR is that on as-of of the lives open then (ARPU's), that of lives
 * ended by then feeding only the observed revenue, unused here. */
static retain_status add_lives(const retain_referral *r, struct lives_part *p, int g, size_t i,
                               const rt_events_life *lives, size_t n)
{
    if (n > p->cap && !rt_grow((void **)&p->rows, &p->cap, n, sizeof *p->rows))
        return RETAIN_ERR_NOMEM;
    size_t m = 0;
    for (size_t j = 0; j < n; j++) {
        const rt_events_life *life = &lives[j];
        bool has_end = life->end != RT_NO_END;
        if ((p->any || m) && has_end && life->end < r->window_from)
            continue;
        retain_money mrr = 0;
        if (r->any_mrr && (!has_end || life->end > r->as_of))
            mrr = rt_events_mrr_served(r->ev, i, has_end ? life->start : r->as_of);
        p->rows[m++] = (rt_span){life->start, has_end ? life->end : RT_NO_END, mrr};
    }
    if (m == 0)
        return RETAIN_OK;
    p->any = true;
    return rt_ltv_table_add_customer(p->t, group_name[g], g ? 5 : 8, p->rows, m, r->any_mrr);
}

/* What a part holds, freed (the part itself stays). */
static void clear_part(struct lives_part *p)
{
    retain_ltv_table_free(p->t);
    free(p->rows);
    free(p->first_days);
    free(p->early);
}

static void free_part(struct lives_part *p)
{
    if (p)
        clear_part(p);
    free(p);
}

static retain_status walk_begin(void *ctx, retain_day as_of)
{
    retain_referral *r = ctx;
    r->as_of = as_of;
    /* the months of the churn: the window's, ending with the last month
     * that ends on or before as-of */
    int32_t last = retain_period_of(RETAIN_PERIOD_MONTH, as_of);
    if (retain_period_last_day(RETAIN_PERIOD_MONTH, last) > as_of)
        last--;
    r->window_from = retain_period_first_day(RETAIN_PERIOD_MONTH, last - r->o.window + 1);
    r->first_lo = as_of - FIRST_DAYS + 1;
    for (int h = 0; h < 2; h++) {
        struct lives_part *p = r->part[h] = calloc(1, sizeof *p);
        if (!p || !(p->t = summary_table(r)) ||
            !(p->first_days = calloc(FIRST_DAYS, sizeof *p->first_days)))
            return r->walk_st = RETAIN_ERR_NOMEM;
    }
    return RETAIN_OK;
}

static retain_status walk_customer(void *ctx, int part, size_t i, const rt_events_life *lives,
                                   size_t n)
{
    const retain_referral *r = ctx;
    struct lives_part *p = r->part[part];
    retain_day first = lives[0].start;
    if (first >= r->first_lo && first <= r->as_of)
        p->first_days[first - r->first_lo]++;
    else if (rt_grow((void **)&p->early, &p->early_cap, p->nearly + 1, sizeof *p->early))
        p->early[p->nearly++] = first;
    else
        return p->st = RETAIN_ERR_NOMEM;
    return p->st = add_lives(r, p, 1, i, lives, n);
}

/* The customers whose first life starts in the spend window. */
static int64_t new_in_window(const retain_referral *r, const costs *k)
{
    int64_t n = 0;
    for (int h = 0; h < 2; h++) {
        const struct lives_part *p = r->part[h];
        for (size_t j = 0; j < p->nearly; j++)
            n += p->early[j] >= k->first && p->early[j] <= k->last;
        retain_day lo = k->first > r->first_lo ? k->first : r->first_lo;
        for (retain_day d = lo; d <= k->last; d++)
            n += p->first_days[d - r->first_lo];
    }
    return n;
}

/* Customer i, referred, whose first life starts on `first`: a new
 * customer of the window, with its reward. */
static void count_new(retain_referral *r, costs *k, size_t i, retain_day first)
{
    if (first < k->first || first > k->last || k->st != RETAIN_OK)
        return;
    r->group[0].new_customers++;
    if (r->o.has_reward_pct) {
        retain_money m = retain_events_mrr_on(r->ev, i, first);
        retain_money v = muldiv(m, 12 * r->o.reward_pct, 100 * (int64_t)RETAIN_MONEY_SCALE);
        if (!rt_money_tally(&k->reward_tally, v))
            k->st = RETAIN_ERR_DATA;
        k->rewards += v;
    }
}

/* The referred customers into a table of their own, taken out of the
 * others' and merged in as the "referred" segment; the new customers of
 * the window counted in each group. */
static retain_status walk_referred(retain_referral *r, const cust_info *info, costs *k,
                                   retain_ltv_table *t)
{
    /* any: no row kept for a table of its own, as this one is never
     * finished alone; the referred customers' rows are then those the
     * others' table got for them, but for its first customer's: a life
     * kept there makes a later one won back instead of new, which changes
     * no figure here (the churn reads new + won back) */
    struct lives_part part = {.any = true}, *p = &part;
    if (!(p->t = summary_table(r)))
        return RETAIN_ERR_NOMEM;
    retain_status st = RETAIN_OK;
    size_t n = retain_events_customers(r->ev);
    for (size_t w = 0; w < n / 64 + 1 && st == RETAIN_OK; w++) {
        for (uint64_t bits = info->referred[w]; bits && st == RETAIN_OK; bits &= bits - 1) {
            size_t i = w * 64 + (size_t)__builtin_ctzll(bits), nl;
            const rt_events_life *lives = rt_events_lives_of(r->ev, i, &nl);
            if (nl == 0)
                continue;
            count_new(r, k, i, lives[0].start);
            st = add_lives(r, p, 0, i, lives, nl);
        }
    }
    r->group[1].new_customers = new_in_window(r, k) - r->group[0].new_customers;
    if (st == RETAIN_OK)
        st = rt_ltv_table_take_out(t, group_name[1], 5, p->t);
    if (st == RETAIN_OK)
        st = rt_ltv_table_merge_whole(t, p->t);
    clear_part(p);
    return st;
}

/* The LTV inputs of the two groups, the new customers and rewards of the
 * spend window on the way. */
static retain_status finish_ltv(retain_referral *r, const cust_info *info, costs *k,
                                retain_diag *diag)
{
    retain_ltv_table *t = r->part[0]->t;
    retain_status st = rt_ltv_table_merge_whole(t, r->part[1]->t);
    if (st == RETAIN_OK)
        st = walk_referred(r, info, k, t);
    if (st == RETAIN_OK)
        st = retain_ltv_table_finish(t, diag);
    else
        rt_fail(diag, st, 0, NULL, "%s",
                st == RETAIN_ERR_NOMEM ? "out of memory" : "MRR sums pass the money range");
    for (size_t s = 0; st == RETAIN_OK && s < retain_ltv_table_segments(t); s++) {
        size_t len;
        const char *name = retain_ltv_table_segment(t, s, &len);
        int g = len == 8 && memcmp(name, "referred", 8) == 0 ? 0 : 1;
        retain_ltv_inputs in;
        retain_ltv_table_get(t, s, &in);
        retain_referral_group *o = &r->group[g];
        o->customers = in.customers;
        o->mrr_sum = in.mrr_sum;
        o->churn = in.churn;
        o->churn_months = in.months;
        if (r->any_mrr) {
            retain_ltv_method m = {r->o.margin, 0, NULL, 0};
            st = retain_ltv_table_value(t, s, &m, &o->ltv, diag);
        }
    }
    r->group[0].name = group_name[0];
    r->group[1].name = group_name[1];
    return st;
}

/* Whether the finish makes tier rows (of every customer or the referrers). */
static bool wants_tiers(const retain_referral *r)
{
    return !r->o.want || (r->o.want & (RETAIN_REFERRAL_TIERS | RETAIN_REFERRAL_REFERRERS));
}

retain_status retain_referral_finish(retain_referral *r, retain_diag *diag)
{
    retain_status looked = retain_referral_referrals_done(r, diag);
    if (looked != RETAIN_OK)
        return looked;
    size_t n = retain_events_customers(r->ev);
    unsigned want = r->o.want ? r->o.want : ~0u;
    bool tiers = wants_tiers(r);
    cust_info info = {calloc(n / 64 + 1, sizeof *info.referred),
                      tiers ? calloc(n ? n : 1, sizeof *info.referrals) : NULL};
    if (!info.referred || (tiers && !info.referrals)) {
        free(info.referred);
        free(info.referrals);
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    retain_status st = finish_referrers(r, &info);
    if (st == RETAIN_OK && tiers)
        st = finish_tiers(r, &info, !(want & RETAIN_REFERRAL_TIERS));
    if (st == RETAIN_OK && !(r->referrer_order = malloc((r->nreferrers + 1) * sizeof(uint32_t))))
        st = RETAIN_ERR_NOMEM;
    if (st == RETAIN_OK) {
        /* an order: the tier rows find a referrer's row by its place */
        for (size_t k = 0; k < r->nreferrers; k++)
            r->referrer_order[k] = (uint32_t)k;
        qsort_r(r->referrer_order, r->nreferrers, sizeof *r->referrer_order, cmp_referrer,
                r->referrers);
    }
    if (st == RETAIN_OK)
        st = finish_sources(r);
    costs k = {0};
    if (st != RETAIN_OK)
        rt_fail(diag, st, 0, NULL, "%s",
                st == RETAIN_ERR_NOMEM ? "out of memory" : "MRR sums pass the money range");
    else if (want & RETAIN_REFERRAL_SUMMARY) {
        k.st = spend_window(r, &k);
        st = finish_ltv(r, &info, &k, diag);
    }
    if (st == RETAIN_OK && (want & RETAIN_REFERRAL_SUMMARY)) {
        if ((st = k.st) != RETAIN_OK)
            rt_fail(diag, st, 0, NULL, "spend or rewards pass the money range");
        else
            finish_cost(r, &k);
    }
    free(info.referred);
    r->referrer_of = info.referrals; /* the tier rows' referrers */
    r->finished = st == RETAIN_OK;
    return st;
}

/* ---- results ---------------------------------------------------------- */

size_t retain_referral_tiers(const retain_referral *r)
{
    return r->finished ? r->ntiers : 0;
}

void retain_referral_tier_get(const retain_referral *r, size_t k, retain_referral_tier_row *out)
{
    uint32_t at = r->order[k];
    const tier_entry *e = at < r->ntiers_a ? &r->tiers[at] : &r->tiers_b[at - r->ntiers_a];
    memset(out, 0, sizeof *out);
    if (e->id_len <= 16) {
        out->id = (const char *)e->key + TIER_ID;
        out->id_len = e->id_len;
    } else {
        out->id = retain_events_id(r->ev, e->customer, &out->id_len);
    }
    out->active = e->flags & TIER_ACTIVE;
    out->tenure_days = e->tenure_days;
    out->has_nps = e->nps >= 0;
    out->nps = e->nps >= 0 ? e->nps : 0;
    out->has_silent = e->flags & TIER_HAS_SILENT;
    out->days_silent = e->days_silent;
    out->silent = e->flags & TIER_SILENT;
    if (e->flags & TIER_REFERRER) {
        const retain_referral_referrer *who = &r->referrers[r->referrer_of[e->customer] - 1];
        out->referrals = who->referrals;
        out->successful = who->successful;
        out->successful_24m = who->successful_24m;
    }
    out->tier = (retain_tier)(RETAIN_TIER_AMBASSADOR - e->key[0]);
    out->candidate = e->flags & TIER_CANDIDATE;
}

/* The words of retain_referral_why, put together without printf (a row
 * of the tier table each): what does not fit is cut, the text ended. */
typedef struct {
    char *buf;
    size_t size, len;
} words;

static void say(words *w, const char *s)
{
    for (; *s && w->len + 1 < w->size; s++)
        w->buf[w->len++] = *s;
}

static void say_count(words *w, int64_t x)
{
    char digits[24];
    size_t k = sizeof digits;
    digits[--k] = '\0';
    uint64_t v = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    do
        digits[--k] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    if (x < 0)
        digits[--k] = '-';
    say(w, digits + k);
}

size_t retain_referral_why(const retain_referral_tier_row *t, char *buf, size_t size)
{
    if (size == 0)
        return 0;
    words w = {buf, size, 0};
    if (!t->active) {
        say(&w, "no longer a customer");
    } else if (t->tier == RETAIN_TIER_AMBASSADOR) {
        say_count(&w, t->successful_24m);
        say(&w, " successful referrals in 24 months");
    } else if (t->tier == RETAIN_TIER_REFERRER) {
        say_count(&w, t->successful);
        say(&w, t->successful > 1 ? " successful referrals" : " successful referral");
    } else if (t->tier == RETAIN_TIER_ADVOCATE) {
        say_count(&w, t->tenure_days);
        say(&w, " days, NPS ");
        say_count(&w, t->nps);
        if (t->has_silent)
            say(&w, ", not silent");
    } else {
        /* every condition of T1 it misses */
        if (t->tenure_days < 365) {
            say_count(&w, t->tenure_days);
            say(&w, " days, under 365");
        }
        if (!t->has_nps) {
            say(&w, w.len ? "; no NPS answer" : "no NPS answer");
        } else if (t->nps < 9) {
            say(&w, w.len ? "; NPS " : "NPS ");
            say_count(&w, t->nps);
            say(&w, ", below 9");
        }
        if (t->silent) {
            say(&w, w.len ? "; silent for " : "silent for ");
            say_count(&w, t->days_silent);
            say(&w, " days");
        }
    }
    buf[w.len] = '\0';
    return w.len;
}

size_t retain_referral_sources(const retain_referral *r)
{
    return r->finished ? r->nsrc : 0;
}

void retain_referral_source_get(const retain_referral *r, size_t k, retain_referral_source *out)
{
    *out = r->src[k];
}

void retain_referral_group_get(const retain_referral *r, int group, retain_referral_group *out)
{
    *out = r->group[group ? 1 : 0];
}

bool retain_referral_has_mrr(const retain_referral *r)
{
    return r->any_mrr;
}

bool retain_referral_has_rewards(const retain_referral *r)
{
    return r->has_rewards;
}

size_t retain_referral_referrers(const retain_referral *r)
{
    return r->finished ? r->nreferrers : 0;
}

void retain_referral_referrer_get(const retain_referral *r, size_t k, retain_referral_referrer *out)
{
    *out = r->referrers[r->referrer_order[k]];
}

size_t retain_referral_bytes(const retain_referral *r)
{
    return sizeof *r + retain_events_bytes(r->ev) + r->refs_cap * sizeof *r->refs +
           r->won_cap * sizeof *r->won + r->counts_cap * sizeof *r->counts +
           r->ntiers * (sizeof *r->tiers + sizeof *r->order) +
           r->nreferrers * sizeof *r->referrers + retain_events_customers(r->ev) / 8 +
           (wants_tiers(r) ? retain_events_customers(r->ev) * sizeof(uint32_t) : 0);
}

unsigned long retain_referral_duplicates(const retain_referral *r, uint64_t *place, uint64_t *of)
{
    return retain_events_duplicates(r->ev, place, of);
}

size_t retain_referral_customers(const retain_referral *r)
{
    return retain_events_customers(r->ev);
}
