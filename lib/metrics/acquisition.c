#define _GNU_SOURCE /* qsort_r */
/* The CAC join: rows keyed by (period, channel) through an interned key. */
#include <stdlib.h>
#include <string.h>

#include <retain/acquisition.h>

#include "store.h"

struct retain_acquisition {
    rt_intern keys;               /* period (4 bytes) + channel: the row's key */
    rt_intern channels;           /* the channel strings the rows point to */
    retain_acquisition_row *rows; /* row i has key i */
    size_t cap;
    size_t *order; /* rows by period then channel (room: cap), sorted by _rows() */
    bool sorted;
};

retain_acquisition *retain_acquisition_new(void)
{
    retain_acquisition *a = calloc(1, sizeof *a);
    if (a) {
        rt_intern_init(&a->keys);
        rt_intern_init(&a->channels);
    }
    return a;
}

void retain_acquisition_free(retain_acquisition *a)
{
    if (!a)
        return;
    rt_intern_free(&a->keys);
    rt_intern_free(&a->channels);
    free(a->rows);
    free(a->order);
    free(a);
}

/* The row of (period, channel): found, or made when `make`. NULL when
 * absent, or out of memory (then *nomem). */
static retain_acquisition_row *row_of(retain_acquisition *a, int32_t period, const char *ch,
                                      size_t len, bool make, bool *nomem)
{
    char small[256];
    char *key = len + 4 <= sizeof small ? small : malloc(len + 4);
    *nomem = key == NULL;
    if (!key)
        return NULL;
    memcpy(key, &period, 4);
    memcpy(key + 4, ch, len);
    uint32_t index = 0;
    retain_acquisition_row *r = NULL;
    if (rt_intern_find(&a->keys, key, len + 4, &index)) {
        r = &a->rows[index];
    } else if (make) {
        uint32_t c;
        if (a->keys.n == a->cap) {
            size_t cap = a->cap ? 2 * a->cap : 64;
            retain_acquisition_row *v = realloc(a->rows, cap * sizeof *v);
            if (v)
                a->rows = v;
            /* the order grows with the rows: _rows() allocates nothing */
            size_t *o = v ? realloc(a->order, cap * sizeof *o) : NULL;
            if (o) {
                a->order = o;
                a->cap = cap;
            }
        }
        if (a->keys.n < a->cap && rt_intern_get(&a->channels, ch, len, &c) &&
            rt_intern_get(&a->keys, key, len + 4, &index)) {
            r = &a->rows[index];
            *r = (retain_acquisition_row){.period = period, .channel_len = len};
            a->sorted = false;
        } else {
            *nomem = true;
        }
    }
    if (key != small)
        free(key);
    return r;
}

retain_status retain_acquisition_add_spend(retain_acquisition *a, int32_t period,
                                           const char *channel, size_t channel_len, bool has_amount,
                                           retain_money amount)
{
    bool nomem;
    retain_acquisition_row *r = row_of(a, period, channel, channel_len, true, &nomem);
    if (!r)
        return RETAIN_ERR_NOMEM;
    r->has_spend = true;
    if (has_amount) {
        r->spend_defined = true;
        if (__builtin_add_overflow(r->spend, amount, &r->spend))
            return RETAIN_ERR_DATA;
    }
    return RETAIN_OK;
}

retain_status retain_acquisition_add_rate(retain_acquisition *a, const retain_rate *rate)
{
    for (size_t g = 0; g < retain_rate_segments(rate); g++) {
        size_t len;
        const char *seg = retain_rate_segment(rate, g, &len);
        for (size_t p = 0; p < retain_rate_periods(rate); p++) {
            retain_rate_row rr;
            retain_rate_get(rate, g, p, &rr);
            bool nomem;
            retain_acquisition_row *r =
                row_of(a, rr.period, seg, len, rr.new_customers > 0, &nomem);
            if (nomem)
                return RETAIN_ERR_NOMEM;
            if (r) {
                r->has_new = true;
                r->new_customers = rr.new_customers;
            }
        }
    }
    return RETAIN_OK;
}

static int by_period_channel(const void *x, const void *y, void *rows)
{
    const retain_acquisition_row *a = (const retain_acquisition_row *)rows + *(const size_t *)x;
    const retain_acquisition_row *b = (const retain_acquisition_row *)rows + *(const size_t *)y;
    if (a->period != b->period)
        return a->period < b->period ? -1 : 1;
    size_t n = a->channel_len < b->channel_len ? a->channel_len : b->channel_len;
    int c = memcmp(a->channel, b->channel, n);
    return c ? c : (a->channel_len > b->channel_len) - (a->channel_len < b->channel_len);
}

size_t retain_acquisition_rows(retain_acquisition *a)
{
    size_t n = a->keys.n;
    if (!a->sorted) {
        size_t *order = a->order;
        for (size_t i = 0; i < n; i++) {
            /* the channel strings stay put from here on: point to them */
            size_t len;
            const char *key = rt_intern_str(&a->keys, (uint32_t)i, &len);
            uint32_t c = 0;
            rt_intern_find(&a->channels, key + 4, len - 4, &c);
            a->rows[i].channel = rt_intern_str(&a->channels, c, NULL);
            order[i] = i;
        }
        if (n)
            qsort_r(order, n, sizeof *order, by_period_channel, a->rows);
        a->sorted = true;
    }
    return n;
}

const retain_acquisition_row *retain_acquisition_row_at(const retain_acquisition *a, size_t i)
{
    return &a->rows[a->order[i]];
}
