/* gen-crm: deterministic CRM-style customer export for the retain benchmark.
 *
 *   gen-crm [--french] ROWS [SEED]   > export.csv
 *
 * Writes a header `customer_id,signup_date,churn_date,mrr,plan,channel` and
 * exactly ROWS subscription rows.  Same ROWS and SEED give the same bytes on
 * every machine (own PRNG, no libc rand, no locale, no floating point).
 *
 * Data shape:
 *  - signup dates 2016-01-01..2025-12-31, density growing with time;
 *  - ~35% of rows active (empty churn_date); churn_date > signup_date and
 *    never after 2025-12-31;
 *  - mrr 9.00..2500.00 by plan; plan Basic/Pro/Enterprise; channel
 *    ads/organic/partner/referral;
 *  - ~8% of customers are win-backs: a second row with the same customer_id
 *    whose signup_date is after the first row's churn_date (a quarter of them
 *    get a third row).  Those later rows are written 1,000..60,000 rows after
 *    the customer's first row, so a reader cannot rely on grouped input.
 *
 * --french writes the same rows as a French Excel export: UTF-8 BOM, `;`,
 * CRLF, dd/mm/yyyy dates, decimal comma (149,00).
 *
 * Plain C99, no dependencies: cc -O2 -o gen-crm gen-crm.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NDAYS 3653 /* 2016-01-01 .. 2025-12-31 */
#define LASTDAY (NDAYS - 1)
#define WINDOW 65536 /* must exceed the largest deferral */
#define MAXDEFER 60000

#include "rng.h"

static char iso[NDAYS][11], fr[NDAYS][11];

static void build_date_tables(void)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 2016, m = 1, d = 1, i;
    for (i = 0; i < NDAYS; i++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int ml = mdays[m - 1] + (m == 2 && leap);
        char *a = iso[i], *f = fr[i];
        a[0] = f[6] = (char)('0' + y / 1000);
        a[1] = f[7] = (char)('0' + y / 100 % 10);
        a[2] = f[8] = (char)('0' + y / 10 % 10);
        a[3] = f[9] = (char)('0' + y % 10);
        a[4] = '-', a[7] = '-', f[2] = '/', f[5] = '/';
        a[5] = f[3] = (char)('0' + m / 10);
        a[6] = f[4] = (char)('0' + m % 10);
        a[8] = f[0] = (char)('0' + d / 10);
        a[9] = f[1] = (char)('0' + d % 10);
        a[10] = f[10] = '\0';
        if (++d > ml) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
}

typedef struct row {
    uint32_t id;
    int16_t signup, churn; /* day numbers; churn -1 = active */
    uint32_t mrr_cents;
    uint8_t plan, channel;
    struct row *next; /* deferral bucket chain */
} row;

static const char *plans[3] = {"Basic", "Pro", "Enterprise"};
static const char *channels[4] = {"ads", "organic", "partner", "referral"};

/* ---- output buffer ---- */
static char obuf[1 << 20];
static size_t olen;
static int french;

static void oflush(void)
{
    if (olen && fwrite(obuf, 1, olen, stdout) != olen) {
        perror("gen-crm: write");
        exit(1);
    }
    olen = 0;
}

static void oput(const char *s, size_t n)
{
    memcpy(obuf + olen, s, n);
    olen += n;
}

static void emit(const row *r)
{
    char sep = french ? ';' : ',';
    char *p;
    uint32_t v, units, cents;
    char tmp[16];
    int n = 0;
    if (olen > sizeof obuf - 256)
        oflush();
    p = obuf + olen;
    /* C + 8 digits */
    *p++ = 'C';
    v = r->id;
    for (n = 7; n >= 0; n--) {
        p[n] = (char)('0' + v % 10);
        v /= 10;
    }
    p += 8;
    *p++ = sep;
    memcpy(p, french ? fr[r->signup] : iso[r->signup], 10);
    p += 10;
    *p++ = sep;
    if (r->churn >= 0) {
        memcpy(p, french ? fr[r->churn] : iso[r->churn], 10);
        p += 10;
    }
    *p++ = sep;
    units = r->mrr_cents / 100;
    cents = r->mrr_cents % 100;
    n = 0;
    do {
        tmp[n++] = (char)('0' + units % 10);
        units /= 10;
    } while (units);
    while (n)
        *p++ = tmp[--n];
    *p++ = french ? ',' : '.';
    *p++ = (char)('0' + cents / 10);
    *p++ = (char)('0' + cents % 10);
    *p++ = sep;
    n = (int)strlen(plans[r->plan]);
    memcpy(p, plans[r->plan], (size_t)n);
    p += n;
    *p++ = sep;
    n = (int)strlen(channels[r->channel]);
    memcpy(p, channels[r->channel], (size_t)n);
    p += n;
    if (french)
        *p++ = '\r';
    *p++ = '\n';
    olen = (size_t)(p - obuf);
}

/* ---- data model ---- */

static int draw_signup(void)
{
    /* density grows linearly with time: max of two uniforms */
    uint32_t a = rng_below(NDAYS), b = rng_below(NDAYS);
    return (int)(a > b ? a : b);
}

static int draw_tenure(void)
{
    /* mixture: early churners (onboarding), regular, long-lived */
    uint32_t u = rng_below(100);
    if (u < 30)
        return 1 + (int)rng_below(90);
    if (u < 75)
        return 60 + (int)rng_below(420);
    return 300 + (int)rng_below(1500);
}

static void fill_commercials(row *r, int plan, int channel)
{
    static const uint32_t basic[4] = {900, 1900, 2900, 4900};
    static const uint32_t pro[5] = {9900, 14900, 19900, 24900, 29900};
    r->plan = (uint8_t)plan;
    r->channel = (uint8_t)channel;
    if (plan == 0)
        r->mrr_cents = basic[rng_below(4)];
    else if (plan == 1)
        r->mrr_cents = pro[rng_below(5)];
    else /* Enterprise: 500.00 .. 2500.00, some odd cents */
    {
        uint32_t units = rng_below(2001), odd = rng_pm(300), cents = rng_below(100);
        r->mrr_cents = 50000 + units * 100 + (odd && units < 2000 ? cents : 0);
    }
}

static int draw_plan(void)
{
    uint32_t u = rng_below(100);
    return u < 55 ? 0 : u < 88 ? 1 : 2;
}

static row *bucket[WINDOW];
static row *freelist;

static row *alloc_row(void)
{
    row *r;
    if (!freelist) {
        int i;
        row *blk = malloc(4096 * sizeof *blk);
        if (!blk) {
            fputs("gen-crm: out of memory\n", stderr);
            exit(1);
        }
        for (i = 0; i < 4096; i++) {
            blk[i].next = freelist;
            freelist = &blk[i];
        }
    }
    r = freelist;
    freelist = r->next;
    return r;
}

static void defer(row *r, uint64_t tick)
{
    size_t b = (size_t)(tick % WINDOW);
    /* append at tail so that emission order inside a bucket is stable */
    row **pp = &bucket[b];
    r->next = NULL;
    while (*pp)
        pp = &(*pp)->next;
    *pp = r;
}

static uint64_t emitted;

static void flush_bucket(size_t b)
{
    row *r = bucket[b];
    bucket[b] = NULL;
    while (r) {
        row *nx = r->next;
        emit(r);
        emitted++;
        r->next = freelist;
        freelist = r;
        r = nx;
    }
}

int main(int argc, char **argv)
{
    uint64_t rows, seed = 42, tick, pending = 0, t;
    uint32_t next_id = 1;
    int ai = 1;
    char *endp;

    if (ai < argc && strcmp(argv[ai], "--french") == 0) {
        french = 1;
        ai++;
    }
    if (ai >= argc || argc - ai > 2) {
        fputs("usage: gen-crm [--french] ROWS [SEED]\n", stderr);
        return 2;
    }
    rows = strtoull(argv[ai], &endp, 10);
    if (*endp || rows > 99999999ULL) {
        fputs("gen-crm: ROWS must be an integer <= 99999999\n", stderr);
        return 2;
    }
    if (ai + 1 < argc) {
        seed = strtoull(argv[ai + 1], &endp, 10);
        if (*endp) {
            fputs("gen-crm: SEED must be an integer\n", stderr);
            return 2;
        }
    }
    rng_state = seed * 0x2545F4914F6CDD1DULL + 0x1234567ULL;
    build_date_tables();

    {
        const char *h = french ? "\xEF\xBB\xBF"
                                 "customer_id;signup_date;churn_date;mrr;plan;channel\r\n"
                               : "customer_id,signup_date,churn_date,mrr,plan,channel\n";
        oput(h, strlen(h));
    }

    for (tick = 0; emitted + pending < rows; tick++) {
        row *r = alloc_row();
        uint64_t left = rows - emitted - pending; /* rows we may still create */
        int nrows = 1, k, plan = draw_plan(), channel = (int)rng_below(4);
        int active;

        r->id = next_id++;
        r->signup = (int16_t)draw_signup();
        fill_commercials(r, plan, channel);

        /* win-back? (8% of customers); needs room for a second row */
        {
            int wb = rng_pm(80), third = rng_pm(250); /* always drawn: stable stream */
            if (wb)
                nrows = third ? 3 : 2;
            if ((uint64_t)nrows > left)
                nrows = (int)left;
        }

        active = nrows == 1 ? rng_pm(385) : 0;
        if (r->signup >= LASTDAY)
            active = 1, nrows = 1;
        if (active) {
            r->churn = -1;
        } else {
            int ten = draw_tenure();
            if (r->signup + ten > LASTDAY)
                ten = 1 + (int)rng_below((uint32_t)(LASTDAY - r->signup));
            r->churn = (int16_t)(r->signup + ten);
        }
        emit(r);
        emitted++;

        {
            row prev = *r;
            uint64_t when = tick;
            r->next = freelist;
            freelist = r;
            for (k = 1; k < nrows; k++) {
                row *w;
                int gap, s;
                if (prev.churn < 0 || prev.churn >= LASTDAY)
                    break;
                gap = 1 + (int)rng_below(365); /* strictly after the churn */
                s = prev.churn + gap;
                if (s > LASTDAY)
                    s = prev.churn + 1 + (int)rng_below((uint32_t)(LASTDAY - prev.churn));
                if (s > LASTDAY)
                    break;
                w = alloc_row();
                w->id = prev.id;
                w->signup = (int16_t)s;
                /* won-back customers often change plan */
                fill_commercials(w, rng_pm(600) ? prev.plan : draw_plan(), prev.channel);
                if (k == nrows - 1 && rng_pm(450)) {
                    w->churn = -1;
                } else if (s >= LASTDAY) {
                    w->churn = -1;
                } else {
                    int ten = draw_tenure();
                    if (s + ten > LASTDAY)
                        ten = 1 + (int)rng_below((uint32_t)(LASTDAY - s));
                    w->churn = (int16_t)(s + ten);
                }
                when += 1000 + rng_below(MAXDEFER / 2 - 1000);
                defer(w, when);
                pending++;
                prev = *w;
            }
        }
        {
            size_t b = (size_t)(tick % WINDOW);
            row *r2;
            for (r2 = bucket[b]; r2; r2 = r2->next)
                pending--;
            flush_bucket(b);
        }
    }
    /* drain the deferred rows in tick order */
    for (t = tick; pending; t++) {
        size_t b = (size_t)(t % WINDOW);
        row *r2;
        for (r2 = bucket[b]; r2; r2 = r2->next)
            pending--;
        flush_bucket(b);
    }
    oflush();
    if (fflush(stdout) != 0) {
        perror("gen-crm: write");
        return 1;
    }
    return 0;
}
