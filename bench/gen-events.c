/* gen-events: deterministic customer, event, ticket and survey exports in
 * which churn is preceded by warning signs with known probabilities, for
 * the tests and the benchmark of retain risk, nps and activation.
 *
 *   gen-events [--no-link] [--seed S] [--events N] CUSTOMERS DIR
 *
 * Writes DIR/crm.csv (customer_id,signup_date,churn_date,mrr,plan),
 * DIR/events.csv (customer_id,timestamp,event,value), DIR/tickets.csv
 * (customer_id,created_at,type) and DIR/survey.csv
 * (customer_id,submitted_at,score). Same arguments, same bytes on every
 * machine (own PRNG, integer arithmetic only, no locale).
 *
 * The world: observation 2023-01-01 .. 2024-12-31 (as-of, the latest
 * event, is 2024-12-31). Customers sign up over the first 700 days, on
 * plans Basic (MRR 49), Pro (299) or Enterprise (1499), each with a base
 * activity rate and a time zone; their lifetime is exponential (mean 500,
 * 800, 1400 days by plan), so that some churn before as-of. Events are
 * written as ISO date-times in the customer's zone (UTC, -08:00, -05:00,
 * +01:00, +05:30, +09:00), the day as written being the local day: events
 * near local midnight fall on another UTC day. Kinds: login (value 1),
 * report (1), invite (1..3), seats (a count, weekly). Activity has a
 * weekly cycle (weekends at 30 %) and a yearly one (August and late
 * December at 60 %). The first report comes after an exponential delay
 * (mean 12 days). About 4 % of customers never have an event; 0.05 % of
 * event rows name an id that is no customer.
 *
 * Known probabilities (the link, unless --no-link):
 *  - 75 % of the churners are "warned": over the 90 days before their
 *    churn their activity falls linearly to 10 %, with no event at all in
 *    the last 45 to 75 days (silence); their ticket rate goes from one per
 *    90 days to one per 8 days in the 60 days before; and any survey
 *    answer in the 180 days before is a detractor's (0-6) with
 *    probability 80 %, else a passive's.
 *  - The other 25 % churn without warning: nothing changes before.
 *  - Customers who do not churn (and churners outside those windows)
 *    answer as promoters (9-10) 55 %, passives 30 %, detractors 15 %.
 *  - Survey answers come about every 120 days for half the customers.
 *  - Onboarding: a customer whose life ends before day 90 got its first
 *    report later (mean 40 days) when warned.
 * With --no-link nobody is warned: churn is independent of every signal
 * (and neither the backtest nor nps --churn should find a difference).
 *
 * --events N scales the activity so that events.csv has about N rows.
 *
 * Plain C99, no dependencies: cc -O2 -o gen-events gen-events.c
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NDAYS 731 /* 2023-01-01 .. 2024-12-31 */
#define AS_OF (NDAYS - 1)
#define SIGNUP_DAYS 700

#include "rng.h"

/* An exponential delay with a given mean: mean x -ln(U), -ln(U) from a
 * table of -ln((k + 0.5) / 4096) x 4096 built in integer fixed point
 * (2^-30), so that no floating point is involved and every machine draws
 * the same delays. */
static uint32_t neg_log_table[4096];

static void build_log_table(void)
{
    const int64_t one = (int64_t)1 << 30, ln2 = 744261118; /* ln 2 x 2^30 */
    for (int k = 0; k < 4096; k++) {
        /* x = (2k + 1) / 8192 = m 2^-s with m = num / 8192 in [1/2, 1) */
        int64_t num = 2 * k + 1;
        int s = 0;
        while (num < 4096) {
            num *= 2;
            s++;
        }
        /* ln m = 2 atanh(y), y = (m - 1) / (m + 1) in [-1/3, 0) */
        int64_t y = (num - 8192) * one / (num + 8192), y2 = y * y / one, term = y, sum = 0;
        for (int n = 1; term != 0; n += 2) {
            sum += term / n;
            term = term * y2 / one;
        }
        int64_t neg_ln = s * ln2 - 2 * sum; /* -ln x, x 2^30 */
        neg_log_table[k] = (uint32_t)(neg_ln * 4096 / one);
    }
}

static uint32_t rng_exp(uint32_t mean)
{
    return (uint32_t)(((uint64_t)neg_log_table[rng_below(4096)] * mean) >> 12);
}

static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
static char iso[NDAYS][16];
static int month_of[NDAYS], mday_of[NDAYS], weekday_of[NDAYS];

static void build_dates(void)
{
    int y = 2023, m = 0, d = 1, wd = 6; /* 2023-01-01 was a Sunday (ISO 7 -> index 6) */
    for (int i = 0; i < NDAYS; i++) {
        snprintf(iso[i], sizeof iso[i], "%04d-%02d-%02d", y % 10000, (m + 1) % 100, d % 100);
        month_of[i] = m;
        mday_of[i] = d;
        weekday_of[i] = wd;
        wd = (wd + 1) % 7;
        int len = mdays[m] + (m == 1 && y % 4 == 0);
        if (++d > len) {
            d = 1;
            if (++m == 12) {
                m = 0;
                y++;
            }
        }
    }
}

/* Activity factor of a day, per mille: weekends 30 %, August and the last
 * ten days of December 60 %. */
static uint32_t season(int day)
{
    uint32_t f = weekday_of[day] >= 5 ? 300 : 1000;
    if (month_of[day] == 7 || (month_of[day] == 11 && mday_of[day] > 21))
        f = f * 600 / 1000;
    return f;
}

static const char *const zones[] = {"Z", "-08:00", "-05:00", "+01:00", "+05:30", "+09:00"};

typedef struct {
    FILE *crm, *events, *tickets, *survey;
    uint64_t nevents;
} out;

static void write_event(out *o, const char *id, int day, int zone, const char *kind, unsigned value)
{
    /* a local time: evenings and nights too, so that some events sit
     * minutes from midnight */
    unsigned secs = rng_below(86400);
    fprintf(o->events, "%s,%sT%02u:%02u:%02u%s,%s,%u\n", id, iso[day], secs / 3600, secs / 60 % 60,
            secs % 60, zones[zone], kind, value);
    o->nevents++;
}

typedef struct {
    int start, end; /* end NDAYS + when not churned by as-of */
    bool churns, warned;
    int silence_from; /* warned: first day of the final silence */
    uint32_t rate;    /* base events per day, per mille */
    int zone;
} life_t;

/* Activity multiplier per mille on a day of a life. */
static uint32_t decline(const life_t *l, int day)
{
    if (!l->warned)
        return 1000;
    if (day >= l->silence_from)
        return 0;
    int from = l->end - 90;
    if (day < from)
        return 1000;
    /* linear from 100 % to 10 % over the 90 days */
    return 1000 - (uint32_t)(900 * (day - from) / 90);
}

static int nps_score(const life_t *l, int day)
{
    if (l->warned && day >= l->end - 180) {
        if (rng_pm(800))
            return (int)rng_below(7); /* 0..6 */
        return 7 + (int)rng_below(2);
    }
    uint32_t r = rng_below(100);
    if (r < 55)
        return 9 + (int)rng_below(2);
    if (r < 85)
        return 7 + (int)rng_below(2);
    return (int)rng_below(7);
}

int main(int argc, char **argv)
{
    bool link = true;
    uint64_t seed = 42, target = 0;
    int a = 1;
    for (; a < argc && argv[a][0] == '-' && argv[a][1] == '-'; a++) {
        if (strcmp(argv[a], "--no-link") == 0)
            link = false;
        else if (strcmp(argv[a], "--seed") == 0 && a + 1 < argc)
            seed = strtoull(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--events") == 0 && a + 1 < argc)
            target = strtoull(argv[++a], NULL, 10);
        else
            break;
    }
    if (argc - a != 2) {
        fprintf(stderr, "usage: gen-events [--no-link] [--seed S] [--events N] CUSTOMERS DIR\n");
        return 2;
    }
    long customers = strtol(argv[a], NULL, 10);
    if (customers < 1 || customers > 50000000) {
        fprintf(stderr, "gen-events: CUSTOMERS from 1 to 50000000\n");
        return 2;
    }
    build_dates();
    build_log_table();
    /* the default activity gives about 330 events per customer; --events
     * scales it */
    uint32_t scale = 1000;
    if (target) {
        uint64_t s = target * 1000 / ((uint64_t)customers * 330);
        scale = (uint32_t)(s < 1 ? 1 : s > 1000000 ? 1000000 : s);
    }
    out o = {0};
    char path[4096];
    const char *names[4] = {"crm.csv", "events.csv", "tickets.csv", "survey.csv"};
    FILE **files[4] = {&o.crm, &o.events, &o.tickets, &o.survey};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", argv[a + 1], names[i]);
        if (!(*files[i] = fopen(path, "w"))) {
            perror(path);
            return 1;
        }
        setvbuf(*files[i], NULL, _IOFBF, 1 << 20);
    }
    fputs("customer_id,signup_date,churn_date,mrr,plan\n", o.crm);
    fputs("customer_id,timestamp,event,value\n", o.events);
    fputs("customer_id,created_at,type\n", o.tickets);
    fputs("customer_id,submitted_at,score\n", o.survey);
    static const char *const plans[3] = {"Basic", "Pro", "Enterprise"};
    static const char *const mrr[3] = {"49.00", "299.00", "1499.00"};
    static const uint32_t mean_life[3] = {500, 800, 1400};
    static const char *const ticket_types[3] = {"bug", "question", "billing"};
    for (long c = 0; c < customers; c++) {
        rng_state = seed * 0x100000001B3ULL + (uint64_t)c * 0x9E3779B97F4A7C15ULL;
        char id[16];
        snprintf(id, sizeof id, "C%07ld", c + 1);
        int plan = rng_pm(600) ? 0 : rng_pm(700) ? 1 : 2;
        life_t l = {0};
        l.start = (int)rng_below(SIGNUP_DAYS);
        int lifetime = (int)(rng_exp(mean_life[plan] * 1000) / 1000) + 1;
        l.churns = l.start + lifetime <= AS_OF;
        l.end = l.churns ? l.start + lifetime : NDAYS + 1000;
        l.warned = link && l.churns && rng_pm(750);
        l.silence_from = l.end - 45 - (int)rng_below(31);
        /* base rate: 0.3 to 3 events a day, per mille */
        l.rate = (300 + rng_below(2700)) * scale / 1000;
        if (l.rate == 0)
            l.rate = 1;
        l.zone = (int)rng_below(6);
        bool silent_customer = rng_pm(40);
        if (l.churns)
            fprintf(o.crm, "%s,%s,%s,%s,%s\n", id, iso[l.start], iso[l.end], mrr[plan],
                    plans[plan]);
        else
            fprintf(o.crm, "%s,%s,,%s,%s\n", id, iso[l.start], mrr[plan], plans[plan]);
        int last = l.churns ? l.end - 1 : AS_OF;
        if (!silent_customer) {
            /* activation: the first report */
            uint32_t mean_act = l.warned && l.end - l.start < 90 ? 40000 : 12000;
            int act = l.start + (int)(rng_exp(mean_act) / 1000);
            if (act <= last && decline(&l, act) > 0)
                write_event(&o, id, act, l.zone, "report", 1);
            for (int day = l.start; day <= last; day++) {
                uint32_t r = l.rate * season(day) / 1000 * decline(&l, day) / 1000;
                /* events today: r per mille on average (whole part, then a
                 * draw for the fraction) */
                uint32_t n = r / 1000 + (rng_below(1000) < r % 1000);
                for (uint32_t k = 0; k < n; k++) {
                    uint32_t kind = rng_below(100);
                    if (kind < 85)
                        write_event(&o, id, day, l.zone, "login", 1);
                    else if (kind < 95)
                        write_event(&o, id, day, l.zone, "report", 1);
                    else
                        write_event(&o, id, day, l.zone, "invite", 1 + rng_below(3));
                }
                if (weekday_of[day] == 0 && decline(&l, day) > 0)
                    write_event(&o, id, day, l.zone, "seats",
                                1 + (unsigned)plan * 5 + rng_below(3));
                if (rng_below(1000000) < 500) /* an event of an unknown id */
                    write_event(&o, "X0000000", day, l.zone, "login", 1);
            }
        }
        /* tickets */
        for (int day = l.start; day <= last; day++) {
            bool hot = l.warned && day >= l.end - 60;
            if (rng_below(1000) < (hot ? 125u : 11u))
                fprintf(o.tickets, "%s,%s,%s\n", id, iso[day], ticket_types[rng_below(3)]);
        }
        /* survey answers, about every 120 days, for half the customers */
        if (rng_pm(500)) {
            for (int day = l.start + (int)rng_below(120); day <= last;
                 day += 60 + (int)rng_below(120))
                fprintf(o.survey, "%s,%s,%d\n", id, iso[day], nps_score(&l, day));
        }
    }
    /* the latest event is on as-of */
    write_event(&o, "C0000001", AS_OF, 0, "login", 1);
    for (int i = 0; i < 4; i++) {
        if (fclose(*files[i]) != 0) {
            perror(names[i]);
            return 1;
        }
    }
    fprintf(stderr, "gen-events: %ld customers, %llu event rows\n", customers,
            (unsigned long long)o.nevents);
    return 0;
}
