/* gen-orders: a synthetic order export for the retain clv benchmark.
 *
 *   gen-orders ROWS > orders.csv
 *
 * Writes `customer_id,order_date,amount` with ROWS orders over the three
 * years from 2021-01-01, in date order (as exports come): customer after
 * customer joins on a day spread over the first two years and buys at its
 * own rate while alive, BG/NBD-like (rates 0.005 + 0.1 u v a day, and
 * after each purchase it drops out with its own probability 0.4 w^2, for
 * uniform u, v, w; amounts around a level of its own, 10 + 80 x^2, x
 * uniform), until ROWS orders; stderr says how many customers. Deterministic: a fixed xorshift
 * seed; same ROWS, same file.
 *
 *   cc -O2 -o gen-orders gen-orders.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static double uniform(void)
{
    return (double)(next() >> 11) / 9007199254740992.0;
}

typedef struct {
    uint32_t c;
    uint16_t day;
    uint32_t cents;
} order;

static int by_day(const void *a, const void *b)
{
    const order *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->c > y->c) - (x->c < y->c);
}

static void ymd(int day, int *y, int *m, int *d)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    *y = 2021;
    for (;;) {
        int ylen = *y % 4 == 0 ? 366 : 365;
        if (day < ylen)
            break;
        day -= ylen;
        ++*y;
    }
    for (*m = 0; *m < 12; ++*m) {
        int l = len[*m] + (*m == 1 && *y % 4 == 0);
        if (day < l)
            break;
        day -= l;
    }
    ++*m;
    *d = day + 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: gen-orders ROWS\n", stderr);
        return 2;
    }
    size_t rows = strtoull(argv[1], NULL, 10);
    if (rows == 0) {
        fputs("gen-orders: need ROWS > 0\n", stderr);
        return 2;
    }
    order *o = malloc(rows * sizeof *o);
    if (!o)
        return 1;
    const int days = 3 * 365;
    size_t n = 0;
    /* customer after customer, each its whole history: a first purchase,
     * then purchases at its rate until it drops out or the three years end */
    uint32_t c = 0;
    for (; n < rows; c++) {
        int day = (int)(uniform() * 730);
        double rate = 0.005 + 0.1 * uniform() * uniform(); /* purchases per day */
        double u = uniform(), drop = 0.4 * u * u;
        double w = uniform(), level = 1000 + 8000 * w * w; /* cents */
        for (;;) {
            o[n++] = (order){c, (uint16_t)day, (uint32_t)(level * (0.4 + 1.2 * uniform()))};
            if (n == rows || uniform() < drop)
                break;
            day += 1 + (int)(-__builtin_log(1 - uniform() * 0.999999) / rate);
            if (day >= days)
                break;
        }
    }
    fprintf(stderr, "gen-orders: %zu orders of %u customers\n", n, c);
    qsort(o, n, sizeof *o, by_day);
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    fputs("customer_id,order_date,amount\n", stdout);
    for (size_t i = 0; i < n; i++) {
        int y, m, d;
        ymd(o[i].day, &y, &m, &d);
        printf("C%08u,%04d-%02d-%02d,%u.%02u\n", o[i].c, y, m, d, o[i].cents / 100,
               o[i].cents % 100);
    }
    free(o);
    return fflush(stdout) == 0 ? 0 : 1;
}
