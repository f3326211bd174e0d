/* The LTV side of the CAC join (retain/cac.h), shared by cac.c, which
 * makes it, and cac_table.c, which writes the table with it. */
#ifndef RETAIN_CAC_JOIN_H
#define RETAIN_CAC_JOIN_H

#include <retain/cac.h>

struct retain_cac_join {
    retain_cac_join_options o;
    size_t ltv, period, seg, arpu, margin; /* columns of the LTV table */
    bool has_period, has_seg, has_arpu, has_margin;
};

#endif
