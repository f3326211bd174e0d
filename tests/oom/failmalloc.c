/* failmalloc: an LD_PRELOAD shim that makes one allocation fail, to test
 * what retain does when memory runs out.
 *
 * Interface (environment variables, read once at the first allocation):
 *
 *   RETAIN_FAIL_ALLOC=N        the N-th allocation of the process (1-based)
 *                              returns NULL with errno ENOMEM. Unset or 0:
 *                              nothing fails (the shim only counts).
 *   RETAIN_FAIL_ALLOC_MODE=M   "once" (default): only the N-th fails;
 *                              "from": the N-th and every later one fail
 *                              (memory that stays exhausted).
 *   RETAIN_ALLOC_COUNT=FILE    at exit, write the number of allocations the
 *                              process made (one decimal line) to FILE, so
 *                              that a sweep knows how far N goes.
 *
 * Counted: malloc, calloc, realloc (a realloc to size 0 too) and, through
 * them, what the C library allocates for strdup, fopen, tmpfile... from
 * the process start. aligned_alloc, posix_memalign and mmap are not
 * counted. The count is the same from run to run for the same command,
 * input and environment when the run is single-threaded (the ordered
 * reader; retain reads small files on one thread).
 *
 * A sweep (tests/oom/oom-table.sh does the tail of one run; the
 * reliability sweep does every N):
 *
 *   RETAIN_ALLOC_COUNT=/tmp/n LD_PRELOAD=libfailmalloc.so retain rate x.csv
 *   for N in $(seq 1 "$(cat /tmp/n)"); do
 *       RETAIN_FAIL_ALLOC=$N LD_PRELOAD=libfailmalloc.so retain rate x.csv
 *       # expect: exit 0 and the whole table, or exit 71, nothing on
 *       # stdout and "retain rate: out of memory" on stderr
 *   done
 *
 * Not for sanitizer builds (ASan has its own allocator). Uses glibc's
 * __libc_malloc & co. to reach the real allocator. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static atomic_ulong count;
static unsigned long fail_at;
static int fail_from;
static atomic_int ready;
static const char *count_file;

static void write_count(void)
{
    FILE *f = fopen(count_file, "w");
    if (f) {
        fprintf(f, "%lu\n", (unsigned long)atomic_load(&count));
        fclose(f);
    }
}

static void setup(void)
{
    if (atomic_exchange(&ready, 1))
        return;
    const char *n = getenv("RETAIN_FAIL_ALLOC");
    const char *mode = getenv("RETAIN_FAIL_ALLOC_MODE");
    fail_at = n ? strtoul(n, NULL, 10) : 0;
    fail_from = mode && strcmp(mode, "from") == 0;
    count_file = getenv("RETAIN_ALLOC_COUNT");
    if (count_file)
        atexit(write_count);
}

/* Whether this allocation fails. */
static int fails(void)
{
    if (!atomic_load(&ready))
        setup();
    unsigned long k = atomic_fetch_add(&count, 1) + 1;
    if (fail_at && (k == fail_at || (fail_from && k > fail_at))) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t size)
{
    return fails() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    return fails() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    return fails() ? NULL : __libc_realloc(p, size);
}
