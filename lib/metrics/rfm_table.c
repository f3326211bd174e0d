/* The table 'retain rfm' prints (retain/orders.h): one row per calibrated
 * customer with its summary and RFM scores. */
#include <stdlib.h>

#include <retain/money.h>
#include <retain/orders.h>

#include "orders_cells.h"

static void write_row(retain_writer *w, const retain_order_summary *s, retain_day E,
                      double unit_days, const uint8_t score[3], int decimals)
{
    retain_writer_text(w, s->id, s->id_len);
    retain_writer_int(w, s->frequency);
    rt_write_summary_cells(w, s, E, unit_days, decimals);
    for (int k = 0; k < 3; k++)
        retain_writer_int(w, score[k]);
    char code[4] = {(char)('0' + score[0]), (char)('0' + score[1]), (char)('0' + score[2]), '\0'};
    retain_writer_text(w, code, 3);
    retain_writer_end_row(w);
}

retain_writer *retain_orders_write_rfm(const retain_orders *o, double unit_days,
                                       const retain_print *p)
{
    static const char *const cols[] = {"id", "frequency", "recency", "T",  "monetary",
                                       "R",  "F",         "M",       "rfm"};
    size_t n = retain_orders_customers(o);
    uint8_t *scores = malloc(3 * (n ? n : 1));
    retain_writer *w = NULL;
    if (scores && retain_orders_rfm(o, scores, scores + n, scores + 2 * n) == RETAIN_OK)
        w = retain_writer_open(p->out, p->format, cols, 9, p->flags);
    retain_day E = retain_orders_calibration_end(o);
    for (size_t i = 0; w && i < n; i++) {
        retain_order_summary s;
        retain_orders_get(o, i, &s);
        uint8_t score[3] = {scores[i], scores[n + i], scores[2 * n + i]};
        if (s.calibrated)
            write_row(w, &s, E, unit_days, score, p->precision);
    }
    free(scores);
    return w;
}
