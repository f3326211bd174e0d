/* retain/status.h - status codes and diagnostics shared by every libretain call.
 *
 * The library never prints and never exits. A call that fails returns a
 * retain_status; calls that read data also fill a retain_diag with the line,
 * the column and a one-line message the caller can print as it sees fit. */
#ifndef RETAIN_STATUS_H
#define RETAIN_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(RETAIN_BUILDING_LIBRARY) && defined(__GNUC__)
#define RETAIN_API __attribute__((visibility("default")))
#else
#define RETAIN_API
#endif

typedef enum {
    RETAIN_OK = 0,
    RETAIN_ERR_USAGE, /* an option or argument the caller gave is invalid */
    RETAIN_ERR_DATA,  /* the input is malformed or inconsistent */
    RETAIN_ERR_OPEN,  /* an input cannot be opened */
    RETAIN_ERR_IO,    /* reading or writing failed */
    RETAIN_ERR_NOMEM  /* out of memory */
} retain_status;

/* Where and why a call failed. Line 0 means "not tied to a line".
 * column is empty when the problem is not tied to one column.
 * hint is empty when there is nothing useful to suggest. */
typedef struct {
    retain_status status;
    unsigned long line;
    char column[96];
    char message[320];
    char hint[160];
} retain_diag;

/* A short English description of a status; never NULL, static storage. */
RETAIN_API const char *retain_status_str(retain_status status);

/* Clears a diagnostic to RETAIN_OK, no line, no column, no message. */
RETAIN_API void retain_diag_clear(retain_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
