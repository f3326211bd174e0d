/* retain/retain.h - everything libretain offers, and its version. */
#ifndef RETAIN_RETAIN_H
#define RETAIN_RETAIN_H

#include <retain/status.h>
#include <retain/date.h>
#include <retain/money.h>
#include <retain/period.h>
#include <retain/number.h>
#include <retain/output.h>
#include <retain/reader.h>
#include <retain/rate.h>
#include <retain/cohort.h>
#include <retain/lives.h>
#include <retain/survival.h>
#include <retain/churn.h>
#include <retain/ltv.h>
#include <retain/acquisition.h>
#include <retain/cac.h>
#include <retain/table.h>
#include <retain/logistic.h>
#include <retain/evaluation.h>
#include <retain/score.h>
#include <retain/events.h>
#include <retain/lang.h>
#include <retain/chart.h>
#include <retain/document.h>
#include <retain/risk.h>
#include <retain/referral.h>
#include <retain/nps.h>
#include <retain/activation.h>
#include <retain/orders.h>
#include <retain/clv.h>
#include <retain/report.h>
#include <retain/sbg.h>
#include <retain/mrr.h>
#include <retain/norm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, "MAJOR.MINOR.PATCH"; static storage. */
RETAIN_API const char *retain_version(void);

#ifdef __cplusplus
}
#endif
#endif
