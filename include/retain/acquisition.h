/* retain/acquisition.h - spend and new customers per period and channel,
 * joined for CAC (retain-metrics(7): CAC = acquisition spend / new customers, for the
 * same period and channel).
 *
 * Rows come from a spend table and from a retention-rate table (whose
 * segments are the channels); a row that only one side has is kept, with
 * the other side unknown, never dropped. */
#ifndef RETAIN_ACQUISITION_H
#define RETAIN_ACQUISITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <retain/money.h>
#include <retain/rate.h>
#include <retain/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int32_t period;      /* period index */
    const char *channel; /* owned by the table; "" when there are none */
    size_t channel_len;
    bool has_spend;     /* a spend row named this period and channel */
    bool spend_defined; /* and gave an amount */
    retain_money spend; /* summed over such rows */
    bool has_new;       /* the customer table knows the channel that period */
    int64_t new_customers;
} retain_acquisition_row;

typedef struct retain_acquisition retain_acquisition;

/* NULL when out of memory. Free with retain_acquisition_free(). */
RETAIN_API retain_acquisition *retain_acquisition_new(void);

/* A spend row: amounts of the same period and channel add up; has_amount
 * false for an empty spend cell. The channel is copied. */
RETAIN_API retain_status retain_acquisition_add_spend(retain_acquisition *a, int32_t period,
                                                      const char *channel, size_t channel_len,
                                                      bool has_amount, retain_money amount);

/* The new customers of every period and segment of a finished rate table
 * (segments are channels; with none, the channel is ""). A period where a
 * known channel had no new customer gives 0 to its spend row, and no row
 * of its own. */
RETAIN_API retain_status retain_acquisition_add_rate(retain_acquisition *a,
                                                     const retain_rate *rate);

/* The rows, by period then channel bytes; valid until the next add. */
RETAIN_API size_t retain_acquisition_rows(retain_acquisition *a);
RETAIN_API const retain_acquisition_row *retain_acquisition_row_at(const retain_acquisition *a,
                                                                   size_t i);

RETAIN_API void retain_acquisition_free(retain_acquisition *a);

#ifdef __cplusplus
}
#endif
#endif
