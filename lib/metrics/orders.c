/* Orders: per-customer purchase summaries (first, second and last purchase
 * day, purchase days, first-day and repeat spend), RFM scores and the
 * repeat-purchase table. */
#include <stdlib.h>
#include <string.h>

#include <retain/money.h>
#include <retain/orders.h>
#include <retain/output.h>

#include "internal.h"
#include "window.h"
#include "orders_cells.h"
#include "store.h"

#define NO_DAY INT32_MIN

/* One customer: 48 bytes beside its id. */
typedef struct {
    int32_t first, second, last; /* calibration purchase days; first NO_DAY: none */
    int32_t hold_first, hold_last;
    uint32_t days; /* calibration purchase days, the first included */
    uint32_t hold_days;
    uint32_t segment;
    int64_t first_spend, repeat_spend;
} cust;

struct retain_orders {
    retain_orders_options opt;
    rt_intern ids; /* customer index = id index */
    rt_intern segments;
    cust *c;
    size_t cap;
    retain_day latest; /* latest order kept */
    bool any, finished;
    retain_day as_of, cal_end;
    int32_t first_cohort, last_cohort; /* of retain_orders_repeat(), from finish */
    uint32_t *seg_order;               /* segments by name */
    uint32_t *seg_rank;                /* segment index -> position in seg_order */
    retain_repeat_row *rows;
};

retain_orders *retain_orders_new(const retain_orders_options *options)
{
    if (options->has_holdout && options->has_as_of && options->holdout_from > options->as_of)
        return NULL;
    retain_orders *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->opt = *options;
    rt_intern_init(&o->ids);
    rt_intern_init(&o->segments);
    return o;
}

void retain_orders_free(retain_orders *o)
{
    if (!o)
        return;
    rt_intern_free(&o->ids);
    rt_intern_free(&o->segments);
    free(o->c);
    free(o->seg_order);
    free(o->seg_rank);
    free(o->rows);
    free(o);
}

/* The last day of calibration while orders come in: INT32_MAX when it is
 * the latest order, unknown yet. */
static int32_t cal_end_bound(const retain_orders *o)
{
    if (o->opt.has_holdout)
        return o->opt.holdout_from - 1;
    return o->opt.has_as_of ? o->opt.as_of : INT32_MAX;
}

static retain_status back_in_time(retain_diag *diag, const char *id, size_t id_len, int32_t day,
                                  int32_t after)
{
    char q[64], d1[16], d2[16];
    rt_quote(q, sizeof q, id, id_len);
    retain_day_format(day, d1);
    retain_day_format(after, d2);
    rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
            "an order of customer %s on %s comes after its order of %s: orders must be in date "
            "order for each customer",
            q, d1, d2);
    rt_hint(diag, "sort the table by date (or by customer, then date)");
    return RETAIN_ERR_DATA;
}

static bool add_money(int64_t *sum, int64_t v)
{
    return !__builtin_add_overflow(*sum, v, sum);
}

static retain_status overflow(retain_diag *diag)
{
    return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                   "a customer's amounts add up beyond 9.2e12: no exact sum");
}

/* A purchase on a calibration day, orders in date order. */
static retain_status add_calibration(cust *c, int32_t day, int64_t amount, const char *id,
                                     size_t id_len, retain_diag *diag)
{
    bool ok = true;
    if (c->hold_days > 0)
        return back_in_time(diag, id, id_len, day, c->hold_last);
    if (c->first == NO_DAY) {
        c->first = c->last = day;
        c->second = NO_DAY;
        c->days = 1;
        c->first_spend = amount;
    } else if (day == c->last || day == c->second) {
        ok = add_money(c->days == 1 ? &c->first_spend : &c->repeat_spend, amount);
    } else if (day == c->first) {
        ok = add_money(&c->first_spend, amount);
    } else if (day > c->last) {
        if (c->days == UINT32_MAX)
            return overflow(diag);
        c->days++;
        if (c->days == 2)
            c->second = day;
        c->last = day;
        ok = add_money(&c->repeat_spend, amount);
    } else if (c->days == 1) { /* before the only day so far: it becomes the first */
        c->second = c->first;
        c->repeat_spend = c->first_spend;
        c->first = day;
        c->first_spend = amount;
        c->days = 2;
    } else {
        return back_in_time(diag, id, id_len, day, c->last);
    }
    return ok ? RETAIN_OK : overflow(diag);
}

static retain_status add_holdout(cust *c, int32_t day, const char *id, size_t id_len,
                                 retain_diag *diag)
{
    if (c->hold_days == 0) {
        c->hold_first = c->hold_last = day;
        c->hold_days = 1;
    } else if (day > c->hold_last) {
        c->hold_days++;
        c->hold_last = day;
    } else if (day != c->hold_last && day != c->hold_first) {
        return back_in_time(diag, id, id_len, day, c->hold_last);
    }
    return RETAIN_OK;
}

/* The customer of an id, created when new. */
static cust *customer(retain_orders *o, const char *id, size_t id_len, const char *segment,
                      size_t segment_len)
{
    size_t before = o->ids.n;
    uint32_t i;
    if (!rt_intern_get(&o->ids, id, id_len, &i))
        return NULL;
    if (o->ids.n == before)
        return &o->c[i];
    if (i >= o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 1024;
        cust *c = realloc(o->c, cap * sizeof *c);
        if (!c)
            return NULL; /* the id stays interned without a customer: the accumulator is
                            unusable after RETAIN_ERR_NOMEM, as documented for every call */
        o->c = c;
        o->cap = cap;
    }
    uint32_t seg = 0;
    if (!rt_intern_get(&o->segments, segment ? segment : "", segment ? segment_len : 0, &seg))
        return NULL;
    cust *c = &o->c[i];
    memset(c, 0, sizeof *c);
    c->first = c->second = c->last = NO_DAY;
    c->segment = seg;
    return c;
}

retain_status retain_orders_add(retain_orders *o, const char *id, size_t id_len,
                                const char *segment, size_t segment_len, retain_day day,
                                retain_money amount, retain_diag *diag)
{
    if (o->finished)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "orders added after the finish");
    if (amount < 0)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "a negative amount: a refund is not a purchase");
    if (o->opt.has_as_of && day > o->opt.as_of)
        return RETAIN_OK;
    cust *c = customer(o, id, id_len, segment, segment_len);
    if (!c)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    if (!o->any || day > o->latest)
        o->latest = day;
    o->any = true;
    if (day > cal_end_bound(o))
        return add_holdout(c, day, id, id_len, diag);
    return add_calibration(c, day, amount, id, id_len, diag);
}

/* Appends b's summary after a's, for the same customer. */
static retain_status merge_one(cust *a, const cust *b, const char *id, size_t id_len,
                               retain_diag *diag)
{
    if (b->first != NO_DAY) {
        if (a->hold_days > 0)
            return back_in_time(diag, id, id_len, b->first, a->hold_last);
        if (a->first == NO_DAY) {
            uint32_t segment = a->segment;
            *a = *b;
            a->segment = segment;
            return RETAIN_OK;
        }
        if (b->first < a->last && !(a->days == 1 && b->days == 1))
            return back_in_time(diag, id, id_len, b->first, a->last);
        if (b->first < a->last) { /* one day each, b's earlier: add_calibration's swap */
            cust one = *a;
            retain_status st = add_calibration(&one, b->first, b->first_spend, id, id_len, diag);
            if (st == RETAIN_OK)
                *a = one;
            return st;
        }
        bool same = b->first == a->last;
        uint64_t days = (uint64_t)a->days + b->days - same;
        if (days > UINT32_MAX)
            return overflow(diag);
        int64_t *into = same && a->days == 1 ? &a->first_spend : &a->repeat_spend;
        if (!add_money(into, b->first_spend) || !add_money(&a->repeat_spend, b->repeat_spend))
            return overflow(diag);
        if (a->days == 1)
            a->second = same ? b->second : b->first;
        a->days = (uint32_t)days;
        a->last = b->last;
    }
    if (b->hold_days > 0) {
        if (a->hold_days > 0 && b->hold_first < a->hold_last)
            return back_in_time(diag, id, id_len, b->hold_first, a->hold_last);
        if (a->hold_days == 0) {
            a->hold_first = b->hold_first;
            a->hold_days = b->hold_days;
        } else {
            a->hold_days += b->hold_days - (b->hold_first == a->hold_last);
        }
        a->hold_last = b->hold_last;
    }
    return RETAIN_OK;
}

retain_status retain_orders_merge(retain_orders *o, const retain_orders *later, retain_diag *diag)
{
    if (o->finished || later->finished)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "a finished accumulator cannot merge");
    for (size_t i = 0; i < later->ids.n; i++) {
        size_t id_len, seg_len;
        const char *id = rt_intern_str(&later->ids, (uint32_t)i, &id_len);
        const char *seg = rt_intern_str(&later->segments, later->c[i].segment, &seg_len);
        cust *c = customer(o, id, id_len, seg, seg_len);
        if (!c)
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        retain_status st = merge_one(c, &later->c[i], id, id_len, diag);
        if (st != RETAIN_OK)
            return st;
    }
    if (later->any && (!o->any || later->latest > o->latest))
        o->latest = later->latest;
    o->any = o->any || later->any;
    return RETAIN_OK;
}

retain_status retain_orders_finish(retain_orders *o, retain_diag *diag)
{
    if (o->finished)
        return RETAIN_OK;
    if (!o->any)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       o->opt.has_as_of ? "no order on or before the as-of day" : "no order");
    o->as_of = o->opt.has_as_of ? o->opt.as_of : o->latest;
    o->cal_end = o->opt.has_holdout ? o->opt.holdout_from - 1 : o->as_of;
    if (o->opt.has_holdout && o->opt.holdout_from > o->as_of) {
        char d[16];
        retain_day_format(o->as_of, d);
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                       "the holdout starts after the last order (%s): nothing to compare", d);
    }
    bool calibrated = false;
    for (size_t i = 0; i < o->ids.n && !calibrated; i++)
        calibrated = o->c[i].first != NO_DAY;
    if (!calibrated)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "no order before the holdout: nothing to calibrate on");
    o->seg_order = rt_intern_sorted(&o->segments);
    o->seg_rank = malloc((o->segments.n ? o->segments.n : 1) * sizeof *o->seg_rank);
    if (!o->seg_order || !o->seg_rank)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t g = 0; g < o->segments.n; g++)
        o->seg_rank[o->seg_order[g]] = (uint32_t)g;
    /* the cohorts: from the first purchase's to the calibration end's,
     * narrowed by --from/--to */
    retain_day first = o->cal_end;
    for (size_t i = 0; i < o->ids.n; i++)
        if (o->c[i].first != NO_DAY && o->c[i].first < first)
            first = o->c[i].first;
    retain_status st =
        rt_report_periods(o->opt.cohort, first, o->cal_end, o->opt.has_from, o->opt.from,
                          o->opt.has_to, o->opt.to, &o->first_cohort, &o->last_cohort, diag);
    if (st != RETAIN_OK)
        return st;
    o->finished = true;
    return RETAIN_OK;
}

retain_day retain_orders_as_of(const retain_orders *o)
{
    return o->as_of;
}

retain_day retain_orders_calibration_end(const retain_orders *o)
{
    return o->cal_end;
}

size_t retain_orders_customers(const retain_orders *o)
{
    return o->ids.n;
}

void retain_orders_get(const retain_orders *o, size_t i, retain_order_summary *s)
{
    const cust *c = &o->c[i];
    memset(s, 0, sizeof *s);
    s->id = rt_intern_str(&o->ids, (uint32_t)i, &s->id_len);
    s->segment = rt_intern_str(&o->segments, c->segment, &s->segment_len);
    s->calibrated = c->first != NO_DAY;
    s->first = c->first;
    s->second = c->second;
    s->last = c->last;
    s->frequency = s->calibrated ? (int64_t)c->days - 1 : 0;
    s->first_spend = c->first_spend;
    s->repeat_spend = c->repeat_spend;
    s->holdout = c->hold_days;
}

size_t retain_orders_segments(const retain_orders *o)
{
    return o->segments.n;
}

const char *retain_orders_segment(const retain_orders *o, size_t g, size_t *len)
{
    return rt_intern_str(&o->segments, o->seg_order[g], len);
}

size_t retain_orders_bytes(const retain_orders *o)
{
    return o->cap * sizeof(cust) + (o->ids.mask + 1) * sizeof(uint32_t) +
           o->ids.cap * sizeof(size_t) + o->ids.bytes_cap;
}

/* RFM: each score from the rank of a customer among the calibrated ones. */

typedef struct {
    uint32_t i;
    int64_t num, den; /* the value as num / den, den > 0 */
} ranked;

static int cmp_ranked(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    __int128 l = (__int128)a->num * b->den, r = (__int128)b->num * a->den;
    return (l > r) - (l < r);
}

/* Scores 1 + floor(5 k / n), k = entries of a strictly lower value (the
 * worse ones: callers negate what is better when lower). */
static void score(ranked *v, size_t n, uint8_t *out)
{
    qsort(v, n, sizeof *v, cmp_ranked);
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        if (j > 0 && cmp_ranked(&v[j - 1], &v[j]) != 0)
            k = j;
        out[v[j].i] = (uint8_t)(1 + (5 * (uint64_t)k) / n);
    }
}

retain_status retain_orders_rfm(const retain_orders *o, uint8_t *r, uint8_t *f, uint8_t *m)
{
    size_t n = 0, total = o->ids.n;
    ranked *v = malloc((total ? total : 1) * sizeof *v);
    if (!v)
        return RETAIN_ERR_NOMEM;
    memset(r, 0, total);
    memset(f, 0, total);
    memset(m, 0, total);
    for (int which = 0; which < 3; which++) {
        n = 0;
        for (size_t i = 0; i < total; i++) {
            const cust *c = &o->c[i];
            if (c->first == NO_DAY)
                continue;
            ranked e = {(uint32_t)i, 0, 1};
            if (which == 0)
                e.num = -((int64_t)o->cal_end - c->last); /* more days since: worse */
            else if (which == 1)
                e.num = (int64_t)c->days - 1;
            else if (c->days > 1) {
                e.num = c->repeat_spend;
                e.den = (int64_t)c->days - 1;
            }
            v[n++] = e;
        }
        score(v, n, which == 0 ? r : which == 1 ? f : m);
    }
    free(v);
    return RETAIN_OK;
}

/* The repeat table. */

static int cmp_frac(const void *pa, const void *pb)
{
    const int64_t *a = pa, *b = pb;
    __int128 l = (__int128)a[0] * b[1], r = (__int128)b[0] * a[1];
    return (l > r) - (l < r);
}

/* Whether a customer is in a cohort of the repeat table. */
static bool in_cohorts(const retain_orders *o, const cust *c)
{
    if (c->first == NO_DAY)
        return false;
    int32_t p = retain_period_of(o->opt.cohort, c->first);
    return p >= o->first_cohort && p <= o->last_cohort;
}

retain_status retain_orders_repeat(retain_orders *o, int32_t within, const retain_repeat_row **rows,
                                   size_t *nrows)
{
    retain_period_kind kind = o->opt.cohort;
    int32_t p0 = o->first_cohort, p1 = o->last_cohort;
    size_t nper = (size_t)(p1 - p0 + 1), nseg = o->segments.n;
    if (nseg > SIZE_MAX / nper / sizeof(retain_repeat_row))
        return RETAIN_ERR_NOMEM;
    size_t ncells = nseg * nper;
    retain_repeat_row *t = calloc(ncells, sizeof *t);
    size_t *start = calloc(ncells + 1, sizeof *start);
    int64_t(*gaps)[2] = malloc((o->ids.n ? o->ids.n : 1) * sizeof *gaps);
    if (!t || !start || !gaps) {
        free(t);
        free(start);
        free(gaps);
        return RETAIN_ERR_NOMEM;
    }
    for (size_t g = 0; g < nseg; g++)
        for (size_t p = 0; p < nper; p++) {
            t[g * nper + p].segment = g;
            t[g * nper + p].cohort = p0 + (int32_t)p;
        }
    /* counts, then each cell's customers' mean gaps, grouped by cell */
    for (size_t i = 0; i < o->ids.n; i++) {
        const cust *c = &o->c[i];
        if (!in_cohorts(o, c))
            continue;
        size_t cell = o->seg_rank[c->segment] * nper + (retain_period_of(kind, c->first) - p0);
        retain_repeat_row *row = &t[cell];
        row->customers++;
        row->purchase_days += c->days;
        if (c->days > 1 && (within < 0 || c->second - c->first <= within))
            row->repeaters++;
        if (c->days > 1)
            start[cell + 1]++;
    }
    for (size_t k = 0; k < ncells; k++)
        start[k + 1] += start[k];
    for (size_t i = 0; i < o->ids.n; i++) {
        const cust *c = &o->c[i];
        if (!in_cohorts(o, c) || c->days < 2)
            continue;
        size_t cell = o->seg_rank[c->segment] * nper + (retain_period_of(kind, c->first) - p0);
        int64_t *e = gaps[start[cell]++];
        e[0] = (int64_t)c->last - c->first;
        e[1] = (int64_t)c->days - 1;
    }
    size_t at = 0;
    for (size_t k = 0; k < ncells; k++) { /* start[k] is now the end of cell k */
        size_t n = start[k] - at;
        int64_t(*v)[2] = gaps + at;
        at = start[k];
        if (n == 0)
            continue;
        qsort(v, n, sizeof *v, cmp_frac);
        t[k].has_median = true;
        if (n % 2) {
            t[k].median_num = v[n / 2][0];
            t[k].median_den = v[n / 2][1];
        } else { /* the mean of the middle two: (a/b + c/d) / 2 */
            const int64_t *a = v[n / 2 - 1], *b = v[n / 2];
            t[k].median_num = a[0] * b[1] + b[0] * a[1];
            t[k].median_den = 2 * a[1] * b[1];
        }
    }
    free(start);
    free(gaps);
    free(o->rows);
    o->rows = t;
    *rows = t;
    *nrows = ncells;
    return RETAIN_OK;
}

void rt_write_summary_cells(retain_writer *w, const retain_order_summary *s, retain_day E,
                            double unit_days, int decimals)
{
    int64_t days[2] = {s->last - s->first, E - s->first}; /* recency, T */
    for (int k = 0; k < 2; k++) {
        if (unit_days == 1)
            retain_writer_int(w, days[k]);
        else
            retain_writer_ratio(w, days[k], (int64_t)unit_days, 1, decimals);
    }
    /* the mean repeat spend, exact */
    retain_writer_ratio(w, s->repeat_spend, (s->frequency ? s->frequency : 1) * RETAIN_MONEY_SCALE,
                        1, decimals);
}
