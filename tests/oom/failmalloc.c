/* failmalloc: an LD_PRELOAD shim that makes one allocation fail, to test
 * what retain does when memory runs out.
 *
 * Interface (environment variables, read once at the first allocation):
 *
 *   RETAIN_FAIL_ALLOC=N        the N-th allocation made since main() began
 *                              (1-based) returns NULL with errno ENOMEM.
 *                              Unset or 0: nothing fails (the shim only
 *                              counts).
 *   RETAIN_FAIL_ALLOC_MODE=M   "once" (default): only the N-th fails;
 *                              "from": the N-th and every later one fail
 *                              (memory that stays exhausted).
 *   RETAIN_ALLOC_COUNT=FILE    at exit, write the number of allocations
 *                              made since main() began (one decimal line)
 *                              to FILE, so that a sweep knows how far N
 *                              goes.
 *
 * Counted: malloc, calloc, realloc (a realloc to size 0 too) and, through
 * them, what the C library allocates for strdup, fopen, tmpfile... once
 * main() has been entered: what the shared libraries' constructors
 * allocate before main (glib's, fontconfig's) is not counted and never
 * fails, since no code of retain's could handle it; likewise in a thread,
 * what is allocated before its start routine runs (AddressSanitizer's
 * thread setup through pthread_getattr_np). Nor are the
 * allocations made by LIBLINEAR (its train() uses malloc's result unchecked,
 * and its C++ new aborts: a defect of the library retain cannot handle;
 * they are called from liblinear or libstdc++). aligned_alloc,
 * posix_memalign and mmap are not counted. The count is the same from run
 * to run for the same command, input and environment when the run is
 * single-threaded (the ordered reader; retain reads small files on one
 * thread).
 *
 * The shim forwards to the next allocator in the link order (dlsym
 * RTLD_NEXT): the C library's in a plain build, AddressSanitizer's in a
 * sanitized one (then preload the shim before libasan and set
 * ASAN_OPTIONS=verify_asan_link_order=0), so that LeakSanitizer still sees
 * every block and reports what a failure path forgot to free.
 *
 * A sweep (tests/oom/oom-sweep.sh does every N of every subcommand;
 * tests/oom/oom-table.sh the tail of a run, where the writer allocates):
 *
 *   RETAIN_ALLOC_COUNT=/tmp/n LD_PRELOAD=libfailmalloc.so retain rate x.csv
 *   for N in $(seq 1 "$(cat /tmp/n)"); do
 *       RETAIN_FAIL_ALLOC=$N LD_PRELOAD=libfailmalloc.so retain rate x.csv
 *       # expect: exit 0 and the whole table, or exit 71, nothing on
 *       # stdout and "retain rate: out of memory" on stderr
 *   done */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void *(*malloc_fn)(size_t);
typedef void *(*calloc_fn)(size_t, size_t);
typedef void *(*realloc_fn)(void *, size_t);
typedef void (*free_fn)(void *);
typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void),
                        void *);

static malloc_fn next_malloc;
static calloc_fn next_calloc;
static realloc_fn next_realloc;
static free_fn next_free;
typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
static create_fn next_create;

/* What dlsym allocates while the next allocator is being looked up: a
 * small arena, never freed. */
static _Alignas(max_align_t) unsigned char arena[8192];
static size_t arena_used;
static atomic_int resolving;

static void *arena_alloc(size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size > sizeof arena - arena_used)
        return NULL;
    void *p = arena + arena_used;
    arena_used += size;
    memset(p, 0, size);
    return p;
}

static int in_arena(const void *p)
{
    return (const unsigned char *)p >= arena && (const unsigned char *)p < arena + sizeof arena;
}

static void resolve(void)
{
    if (next_free || atomic_exchange(&resolving, 1))
        return;
    next_malloc = (malloc_fn)dlsym(RTLD_NEXT, "malloc");
    next_calloc = (calloc_fn)dlsym(RTLD_NEXT, "calloc");
    next_realloc = (realloc_fn)dlsym(RTLD_NEXT, "realloc");
    next_create = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
    next_free = (free_fn)dlsym(RTLD_NEXT, "free");
}

static atomic_ulong count;
static atomic_int counting; /* set when main() begins */
/* set in a thread once main() or its start routine runs */
static __thread int in_program __attribute__((tls_model("initial-exec")));
static unsigned long fail_at;
static int fail_from;
static const char *count_file;

static void write_count(void)
{
    FILE *f = fopen(count_file, "w");
    if (f) {
        fprintf(f, "%lu\n", (unsigned long)atomic_load(&count));
        fclose(f);
    }
}

/* The code of the libraries whose allocations are neither counted nor
 * failed. */
static struct {
    uintptr_t lo, hi;
} skipped[8];
static int nskipped;

static int find_skipped(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size, (void)data;
    if (!strstr(info->dlpi_name, "liblinear") && !strstr(info->dlpi_name, "libstdc++"))
        return 0;
    for (int i = 0; i < info->dlpi_phnum && nskipped < 8; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            skipped[nskipped].lo = info->dlpi_addr + ph->p_vaddr;
            skipped[nskipped].hi = skipped[nskipped].lo + ph->p_memsz;
            nskipped++;
        }
    }
    return 0;
}

static int from_skipped(const void *caller)
{
    for (int i = 0; i < nskipped; i++)
        if ((uintptr_t)caller >= skipped[i].lo && (uintptr_t)caller < skipped[i].hi)
            return 1;
    return 0;
}

static main_fn real_main;

static int counted_main(int argc, char **argv, char **envp)
{
    const char *n = getenv("RETAIN_FAIL_ALLOC");
    const char *mode = getenv("RETAIN_FAIL_ALLOC_MODE");
    fail_at = n ? strtoul(n, NULL, 10) : 0;
    fail_from = mode && strcmp(mode, "from") == 0;
    count_file = getenv("RETAIN_ALLOC_COUNT");
    if (count_file)
        atexit(write_count);
    dl_iterate_phdr(find_skipped, NULL);
    in_program = 1;
    atomic_store(&counting, 1);
    return real_main(argc, argv, envp);
}

/* main() is reached through the C library's start routine: wrapping it is
 * how the shim knows when main begins. */
int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end)
{
    start_fn next = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
    real_main = main;
    return next(counted_main, argc, argv, init, fini, rtld_fini, stack_end);
}

typedef struct {
    void *(*fn)(void *);
    void *arg;
} thread_start;

static void *started(void *p)
{
    thread_start t = *(thread_start *)p;
    next_free(p);
    in_program = 1;
    return t.fn(t.arg);
}

/* Threads are wrapped so that their setup is not counted. The wrapper's
 * own block is not counted either. */
int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    resolve();
    thread_start *t = next_malloc(sizeof *t);
    if (!t)
        return EAGAIN;
    t->fn = fn, t->arg = arg;
    int e = next_create(thread, attr, started, t);
    if (e)
        next_free(t);
    return e;
}

/* Whether this allocation, called from caller, fails. */
static int fails(const void *caller)
{
    if (!atomic_load(&counting) || !in_program || from_skipped(caller))
        return 0;
    unsigned long k = atomic_fetch_add(&count, 1) + 1;
    if (fail_at && (k == fail_at || (fail_from && k > fail_at))) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t size)
{
    resolve();
    if (!next_malloc)
        return arena_alloc(size);
    return fails(__builtin_return_address(0)) ? NULL : next_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    resolve();
    if (!next_calloc)
        return n && size > SIZE_MAX / n ? NULL : arena_alloc(n * size);
    return fails(__builtin_return_address(0)) ? NULL : next_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    resolve();
    if (!next_realloc || in_arena(p)) {
        void *q = next_malloc ? next_malloc(size) : arena_alloc(size);
        if (q && p) /* the arena block's size is unknown: copy what fits */
            memcpy(q, p,
                   size < (size_t)(arena + sizeof arena - (unsigned char *)p)
                       ? size
                       : (size_t)(arena + sizeof arena - (unsigned char *)p));
        return q;
    }
    return fails(__builtin_return_address(0)) ? NULL : next_realloc(p, size);
}

void free(void *p)
{
    if (!p || in_arena(p))
        return;
    resolve();
    if (next_free)
        next_free(p);
}
