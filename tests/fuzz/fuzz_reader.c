#define _GNU_SOURCE /* asprintf */
/* libFuzzer harness over the customer-table reader: the same bytes read
 * in order (the default sizes) and with chunks taken from the end (small
 * blocks and chunks, taken eagerly) must agree on the status, the line,
 * column, message and hint of an error, the skipped lines, and the rows.
 * Any disagreement aborts.
 *
 * Input: one byte of options (skip_bad, an extra column, need_mrr or
 * ignore_mrr, delimiter, decimal comma, padding), then the file; the
 * input's length picks the tuning (bit 0), a cap of 3 segments on the
 * extra column (bit 1) and, without the decimal comma, whether the
 * decimal separator is told (bit 2: '.') or left to the amounts (a
 * semicolon file's first amount that tells decides). With the mrr column
 * read (neither skip_bad nor ignore_mrr) the unordered read takes chunks
 * too, and amounts whose total overflows (the dictionary's 9000000000000,
 * or padding's copies) and segments past the cap must name the same row
 * as the ordered read.
 *
 * Chunks are taken from the end only where they start a block (4 KiB at
 * least, the NUL check's reach) past what the producer has read, so in a
 * file of 8 KiB or more: fuzzed inputs are mostly smaller. Padded, the
 * file is the input with its lines after the first (the header) repeated
 * until it is PAD_TO bytes or more, so that every input with a line after
 * its header is also read in chunks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <retain/reader.h>

#include "csvstream.h"
#include "fuzz.h"

#define PAD_TO (16u << 10)

typedef struct {
    char **rows;
    size_t n, cap;
    retain_status status;
    retain_diag diag;
    unsigned long nrows, skipped, skipped_lines[8];
    retain_diag first_skip;
    int has_first_skip;
} outcome;

static retain_status keep(const retain_row *row, void *user, retain_diag *diag)
{
    (void)diag;
    outcome *o = user;
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 64;
        char **p = realloc(o->rows, o->cap * sizeof *p);
        if (!p)
            abort();
        o->rows = p;
    }
    char *s = NULL;
    if (asprintf(&s, "%.*s|%d|%d|%lld|%d|%s", (int)row->id_len, row->id, row->start,
                 row->has_end ? row->end : -1, (long long)row->mrr, row->has_mrr,
                 row->extra && row->extra[0] ? row->extra[0] : "") < 0)
        abort();
    o->rows[o->n++] = s;
    return RETAIN_OK;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_once(FILE *in, const retain_reader_options *opt, outcome *o)
{
    memset(o, 0, sizeof *o);
    rewind(in);
    retain_diag diag;
    retain_reader *r = retain_reader_new(opt, &diag);
    if (!r)
        abort(); /* the options are all valid */
    o->status = retain_reader_read(r, in, keep, o, &o->diag);
    o->nrows = retain_reader_rows(r);
    o->skipped = retain_reader_skipped(r, o->skipped_lines, 8);
    const retain_diag *fs = retain_reader_first_skip(r);
    if (fs) {
        o->first_skip = *fs;
        o->has_first_skip = 1;
    }
    retain_reader_free(r);
    if (o->n)
        qsort(o->rows, o->n, sizeof *o->rows, by_text);
}

static void outcome_free(outcome *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->rows[i]);
    free(o->rows);
}

static void same_diag(const retain_diag *a, const retain_diag *b)
{
    FUZZ_CHECK(a->status == b->status);
    FUZZ_CHECK(a->line == b->line);
    FUZZ_CHECK(strcmp(a->column, b->column) == 0);
    FUZZ_CHECK(strcmp(a->message, b->message) == 0);
    FUZZ_CHECK(strcmp(a->hint, b->hint) == 0);
}

static void show(const char *what, const outcome *o)
{
    fprintf(stderr,
            "%s: status %d, line %lu, column \"%s\": %s (hint: %s); %lu rows, %lu skipped\n", what,
            o->status, o->diag.line, o->diag.column, o->diag.message, o->diag.hint, o->nrows,
            o->skipped);
}

static void same(const outcome *a, const outcome *b)
{
    if (getenv("FUZZ_VERBOSE")) {
        show("ordered", a);
        show("unordered", b);
    }
    FUZZ_CHECK(a->status == b->status);
    if (a->status != RETAIN_OK) {
        same_diag(&a->diag, &b->diag);
        return; /* rows before an error are never used */
    }
    FUZZ_CHECK(a->nrows == b->nrows && a->n == b->n);
    FUZZ_CHECK(a->skipped == b->skipped);
    for (size_t i = 0; i < a->skipped && i < 8; i++)
        FUZZ_CHECK(a->skipped_lines[i] == b->skipped_lines[i]);
    FUZZ_CHECK(a->has_first_skip == b->has_first_skip);
    if (a->has_first_skip)
        same_diag(&a->first_skip, &b->first_skip);
    for (size_t i = 0; i < a->n; i++)
        FUZZ_CHECK(strcmp(a->rows[i], b->rows[i]) == 0);
}

/* The input padded to PAD_TO bytes or more (see above), in *len bytes;
 * NULL when it has no line after its first. */
static uint8_t *pad(const uint8_t *data, size_t size, size_t *len)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (size >= PAD_TO || !nl || nl + 1 == data + size)
        return NULL;
    size_t body = size - (size_t)(nl + 1 - data);
    uint8_t *p = malloc(PAD_TO + size);
    if (!p)
        abort();
    memcpy(p, data, size);
    for (*len = size; *len < PAD_TO; *len += body)
        memcpy(p + *len, nl + 1, body);
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0];
    size_t len = size - 1;
    uint8_t *padded = flags & 128 ? pad(data + 1, len, &len) : NULL;
    FILE *in = fuzz_file(padded ? padded : data + 1, len);
    free(padded);
    static const char *const extra[] = {"plan"};
    static const char delims[] = {0, ',', ';', '\t'};
    retain_reader_options opt = {
        .delimiter = delims[(flags >> 4) & 3],
        .skip_bad = flags & 1,
        .extra = flags & 2 ? extra : NULL,
        .n_extra = flags & 2 ? 1 : 0,
        .need_mrr = (flags & 12) == 4,
        .ignore_mrr = (flags & 12) == 8,
        .decimal = flags & 64 ? ','
                   : size & 4 ? '.'
                              : 0,
        .max_segments = size & 2 ? 3 : 0,
    };
    static const rt_csvstream_tuning tunings[] = {
        {4096, 4, 0, 97, true, 0},
        {5000, 16, 0, 1024, true, 0},
    };
    rt_csvstream_tuning saved = rt_csvstream_tune;
    outcome a, b;
    read_once(in, &opt, &a);
    rt_csvstream_tune = tunings[size & 1];
    opt.unordered = true;
    read_once(in, &opt, &b);
    rt_csvstream_tune = saved;
    same(&a, &b);
    outcome_free(&a);
    outcome_free(&b);
    fclose(in);
    return 0;
}
