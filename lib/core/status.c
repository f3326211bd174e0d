/* Status strings and diagnostics. */
#include <string.h>

#include <retain/retain.h>

#include "config.h"

const char *retain_status_str(retain_status status)
{
    switch (status) {
    case RETAIN_OK:
        return "success";
    case RETAIN_ERR_USAGE:
        return "invalid usage";
    case RETAIN_ERR_DATA:
        return "bad data";
    case RETAIN_ERR_OPEN:
        return "cannot open input";
    case RETAIN_ERR_IO:
        return "input/output error";
    case RETAIN_ERR_NOMEM:
        return "out of memory";
    }
    return "unknown status";
}

void retain_diag_clear(retain_diag *diag)
{
    if (diag)
        memset(diag, 0, sizeof *diag);
}

const char *retain_version(void)
{
    return RETAIN_VERSION_STRING;
}
