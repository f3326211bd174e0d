/* Helpers of the fuzz harnesses. */
#define _GNU_SOURCE /* memfd_create */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

FILE *fuzz_file(const uint8_t *data, size_t size)
{
    int fd = memfd_create("retain-fuzz", 0);
    if (fd < 0)
        abort();
    FILE *f = fdopen(fd, "w+b");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fflush(f) != 0)
        abort();
    rewind(f);
    return f;
}

const char *fuzz_path(FILE *f, char *buf, size_t size)
{
    snprintf(buf, size, "/proc/self/fd/%d", fileno(f));
    return buf;
}
