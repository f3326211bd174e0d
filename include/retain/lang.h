/* retain/lang.h - the language of a report: its labels, and how numbers and
 * dates read in it.
 *
 * Only documents meant for people (retain report) use it: the CSV, TSV and
 * JSON tables keep the plain numbers of retain-metrics(7) ('.' and no grouping) in every
 * language. Nothing here depends on the process locale. */
#ifndef RETAIN_LANG_H
#define RETAIN_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include <retain/date.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RETAIN_LANG_EN, /* 1,234.50  Jun 30, 2025 */
    RETAIN_LANG_FR  /* 1 234,50 (U+202F groups)  30 juin 2025 */
} retain_lang;

/* "en" or "fr" to a language. */
RETAIN_API bool retain_lang_parse(const char *name, retain_lang *out);

/* Longest text retain_lang_number() and retain_lang_date() write, NUL
 * included. */
#define RETAIN_LANG_BUFSIZE 80

/* Rewrites a number as retain prints it ("-1234.50", "12", "" for
 * undefined) for reading in lang: thousands grouped, the language's decimal
 * mark, a true minus sign (U+2212). The digits are never changed, so a
 * figure in a report is the figure of the table, only spelled for a
 * reader. Text that is not such a number is copied as it is. buf holds
 * RETAIN_LANG_BUFSIZE bytes. Returns the length written. */
RETAIN_API size_t retain_lang_number(retain_lang lang, const char *number, char *buf);

/* A day as a reader writes it: "Jun 30, 2025", "30 juin 2025". buf holds
 * RETAIN_LANG_BUFSIZE bytes. Returns the length written. */
RETAIN_API size_t retain_lang_date(retain_lang lang, retain_day day, char *buf);

/* A label of the report in lang: key is the English text (the en label
 * itself); the French one when lang is fr and a translation exists, else
 * key. Static storage. */
RETAIN_API const char *retain_lang_label(retain_lang lang, const char *key);

/* What joins a title to its detail ("Churn by stage: onboarding") in lang:
 * ": " in English, a no-break space (U+00A0) then ": " in French, as French
 * typography wants. Static storage. */
RETAIN_API const char *retain_lang_colon(retain_lang lang);

#ifdef __cplusplus
}
#endif
#endif
