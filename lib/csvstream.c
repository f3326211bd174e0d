/* libcsv on its own thread, with physical line numbers.
 *
 * libcsv reports no positions, so input is fed to it one physical line at
 * a time (memchr finds the ends). After each line we know whether a record
 * is still open (a quoted field spanning lines), hence the line on which
 * each record starts. */
#define _GNU_SOURCE /* pthread_setname_np */
#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvstream.h"
#include "internal.h"

#define BLOCK_SIZE (1u << 20)
#define FIELD_MAX (16u << 20) /* a longer field is a runaway quote, not data */
#define BATCH_RECORDS 1024
#define BATCH_BYTES (128u << 10)
#define BATCHES 4 /* in flight at most: memory stays flat */

struct rt_csvstream {
    FILE *in;
    pthread_t thread;
    bool started;

    /* the queue */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    rt_batch *full_head, *full_tail; /* parsed, for the consumer */
    rt_batch *free_list;
    bool done; /* the producer published its last batch */
    bool stop; /* the consumer wants no more */

    /* producer state */
    struct csv_parser parser;
    rt_batch *cur;
    uint32_t rec_first; /* first field of the open record */
    char delimiter, eol;
    unsigned long line, rec_line;
    bool in_record;
    bool nomem;
    bool count_lines; /* lines are counted from libcsv's line-end calls */
    bool block_ascii; /* the block being fed is ASCII without NUL */
    bool stopped;     /* the consumer wants no more: ignore callbacks */

    /* an estimate of the records in the input, from its size and the
     * lines of the first block; 0 when the input is not a regular file */
    long long input_size; /* bytes left in it at the start, or -1 */
    size_t estimate;

    /* outcome, written by the producer before done */
    retain_status status;
    retain_diag diag;
    rt_batch all[BATCHES];
};

static void *capped_realloc(void *p, size_t size)
{
    if (size > FIELD_MAX)
        return NULL; /* libcsv reports CSV_ENOMEM: see parse_failed() */
    return realloc(p, size);
}

static int space_only(unsigned char c)
{
    return c == ' '; /* with a tab delimiter, libcsv must not trim tabs */
}

/* ---- batches ---------------------------------------------------------- */

static void batch_reset(rt_batch *b)
{
    b->arena_len = b->nfields = b->nrec = 0;
    b->ascii = true;
    b->next = NULL;
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

/* Makes room for one more field of len bytes; false when out of memory. */
__attribute__((noinline, cold)) static bool reserve_field(rt_batch *b, size_t len)
{
    size_t cap = b->fields_cap;
    if (!grow((void **)&b->arena, &b->arena_cap, b->arena_len + len + 1, 1))
        return false;
    if (b->nfields == b->fields_cap &&
        (!grow((void **)&b->off, &cap, b->nfields + 1, sizeof *b->off) ||
         !grow((void **)&b->len, &b->fields_cap, b->nfields + 1, sizeof *b->len)))
        return false;
    return true;
}

/* libcsv calls this for every field of the file: keep it lean. */
static void on_field(void *data, size_t len, void *user)
{
    rt_csvstream *s = user;
    rt_batch *b = s->cur;
    if (!s->in_record) {
        s->in_record = true;
        s->rec_line = s->line;
    }
    if (__builtin_expect(b->arena_len + len + 1 > b->arena_cap || b->nfields == b->fields_cap, 0) &&
        !reserve_field(b, len)) {
        s->nomem = true;
        return;
    }
    char *dst = b->arena + b->arena_len;
    const char *src = data;
    /* most fields are short: two overlapping fixed-size moves beat a call */
    if (len >= 8 && len <= 16) {
        memcpy(dst, src, 8);
        memcpy(dst + len - 8, src + len - 8, 8);
    } else if (len >= 4 && len < 8) {
        memcpy(dst, src, 4);
        memcpy(dst + len - 4, src + len - 4, 4);
    } else if (len < 4) {
        for (size_t i = 0; i < len; i++)
            dst[i] = src[i];
    } else {
        memcpy(dst, src, len);
    }
    dst[len] = '\0';
    b->off[b->nfields] = (uint32_t)b->arena_len;
    b->len[b->nfields] = (uint32_t)len;
    b->nfields++;
    b->arena_len += len + 1;
}

static bool publish(rt_csvstream *s, bool last);

static void on_record(int term, void *user)
{
    rt_csvstream *s = user;
    rt_batch *b = s->cur;
    if (s->count_lines && term == (unsigned char)s->eol)
        s->line++;
    if (b->nfields == s->rec_first || s->stopped)
        return; /* a line end with no record: blank line, or the LF of CRLF */
    s->in_record = false;
    if (b->nrec == b->rec_cap &&
        !grow((void **)&b->rec, &b->rec_cap, b->nrec + 1, sizeof *b->rec)) {
        s->nomem = true;
        return;
    }
    b->rec[b->nrec].first = s->rec_first;
    b->rec[b->nrec].n = (uint32_t)(b->nfields - s->rec_first);
    b->rec[b->nrec].line = s->rec_line;
    b->nrec++;
    s->rec_first = (uint32_t)b->nfields;
    /* batches end between records, so no record is split */
    if (b->nrec >= BATCH_RECORDS || b->arena_len >= BATCH_BYTES) {
        if (!publish(s, false)) {
            s->stopped = true;
            return;
        }
        s->rec_first = 0;
        s->cur->ascii = s->block_ascii;
    }
}

/* Hands the current batch to the consumer and takes a free one; false when
 * the consumer stopped. */
static bool publish(rt_csvstream *s, bool last)
{
    pthread_mutex_lock(&s->lock);
    rt_batch *b = s->cur;
    b->next = NULL;
    if (s->full_tail)
        s->full_tail->next = b;
    else
        s->full_head = b;
    s->full_tail = b;
    s->cur = NULL;
    if (last)
        s->done = true;
    pthread_cond_broadcast(&s->cond);
    while (!last && !s->free_list && !s->stop)
        pthread_cond_wait(&s->cond, &s->lock);
    bool go_on = !s->stop && !last;
    if (go_on) {
        s->cur = s->free_list;
        s->free_list = s->cur->next;
        batch_reset(s->cur);
    }
    pthread_mutex_unlock(&s->lock);
    return go_on;
}

/* ---- parsing ---------------------------------------------------------- */

static char detect_delimiter(const char *p, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0, bar = 0;
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '\n' || c == '\r')
            break;
        else if (c == ',')
            comma++;
        else if (c == ';')
            semi++;
        else if (c == '\t')
            tab++;
        else if (c == '|')
            bar++;
    }
    if (bar > comma && bar > semi && bar > tab)
        return '|';
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

static retain_status fail(rt_csvstream *s, retain_status st, unsigned long line, const char *msg,
                          const char *hint)
{
    rt_fail(&s->diag, st, line, NULL, "%s", msg);
    if (hint)
        rt_hint(&s->diag, "%s", hint);
    return st;
}

static retain_status parse_failed(rt_csvstream *s)
{
    struct csv_parser *p = &s->parser;
    if (s->nomem || (csv_error(p) == CSV_ENOMEM && csv_get_buffer_size(p) + 128 <= FIELD_MAX))
        return fail(s, RETAIN_ERR_NOMEM, s->rec_line, "out of memory", NULL);
    if (csv_error(p) == CSV_ENOMEM) {
        rt_fail(&s->diag, RETAIN_ERR_DATA, s->rec_line, NULL,
                "a field longer than %u MiB starts in this record", FIELD_MAX >> 20);
        rt_hint(&s->diag, "most likely a quote that is never closed");
        return RETAIN_ERR_DATA;
    }
    if (s->line != s->rec_line) {
        rt_fail(&s->diag, RETAIN_ERR_DATA, s->rec_line, NULL,
                "a quoted field that starts here is not closed properly "
                "(parsing failed on line %lu)",
                s->line);
        rt_hint(&s->diag, "every opening quote needs a closing one; quotes inside quotes "
                          "are doubled (\"\")");
        return RETAIN_ERR_DATA;
    }
    return fail(s, RETAIN_ERR_DATA, s->rec_line,
                "malformed quoted field: a closing quote must end the field",
                "quotes inside quotes are doubled (\"\")");
}

/* Whether a block is all ASCII without NUL: then the records made of it
 * need no UTF-8 check, which saves the consumer a pass over every field. */
static bool block_is_ascii(const char *buf, size_t n)
{
    uint64_t any = 0, zero = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, buf + i, 8);
        any |= w;
        zero |= (w - 0x0101010101010101ULL) & ~w;
    }
    for (; i < n; i++) {
        any |= (unsigned char)buf[i];
        zero |= buf[i] == 0 ? 0x80 : 0;
    }
    return ((any | zero) & 0x8080808080808080ULL) == 0;
}

/* Feeds one block. Without a quote in it, no record can span lines and
 * libcsv reports every line end (CSV_REPALL_NL): the block goes in one
 * call. Otherwise it goes a physical line at a time, so that the line
 * where a multi-line record starts is known. */
static retain_status feed(rt_csvstream *s, const char *buf, size_t n)
{
    s->block_ascii = block_is_ascii(buf, n);
    s->cur->ascii &= s->block_ascii;
    if (!s->parser.quoted && !memchr(buf, '"', n)) {
        s->count_lines = true;
        size_t done = csv_parse(&s->parser, buf, n, on_field, on_record, s);
        s->count_lines = false;
        if (s->stopped)
            return RETAIN_OK;
        if (done != n || s->nomem)
            return parse_failed(s);
        return RETAIN_OK;
    }
    size_t pos = 0;
    while (pos < n) {
        if (!s->in_record)
            s->rec_line = s->line; /* for errors before the first field */
        const char *nl = memchr(buf + pos, s->eol, n - pos);
        size_t end = nl ? (size_t)(nl - buf) + 1 : n;
        size_t fields = s->cur->nfields, records = s->cur->nrec;
        size_t done = csv_parse(&s->parser, buf + pos, end - pos, on_field, on_record, s);
        if (s->stopped)
            return RETAIN_OK;
        if (done != end - pos || s->nomem)
            return parse_failed(s);
        if (fields == s->cur->nfields && records == s->cur->nrec && !s->in_record) {
            /* no field yet: a blank line, or a quoted field opened on it */
            for (size_t i = pos; i < end; i++) {
                char c = buf[i];
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    s->in_record = true;
                    s->rec_line = s->line;
                    break;
                }
            }
        }
        if (nl)
            s->line++;
        pos = end;
    }
    return RETAIN_OK;
}

/* Sets the estimate of records in the input from the lines of its first
 * block, before any record is handed over: the consumer sizes its tables
 * when it sees the first one. */
static void estimate_records(rt_csvstream *s, const char *b, size_t n)
{
    if (s->input_size <= 0 || n == 0)
        return;
    size_t lines = 0;
    for (const char *p = b, *end = b + n; (p = memchr(p, s->eol, (size_t)(end - p))); p++)
        lines++;
    pthread_mutex_lock(&s->lock);
    s->estimate = (size_t)((double)s->input_size * (double)(lines ? lines : 1) / (double)n);
    pthread_mutex_unlock(&s->lock);
}

static retain_status first_block(rt_csvstream *s, char **data, size_t *n)
{
    const unsigned char *b = (const unsigned char *)*data;
    if (*n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        return fail(s, RETAIN_ERR_DATA, 1, "the file is UTF-16 text, not UTF-8",
                    "convert it first: iconv -f UTF-16 -t UTF-8");
    if (memchr(b, '\0', *n < 4096 ? *n : 4096))
        return fail(s, RETAIN_ERR_DATA, 1,
                    "the input has NUL bytes: not a text export (UTF-16 or binary?)",
                    "for UTF-16, convert first: iconv -f UTF-16 -t UTF-8");
    if (*n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
        *data += 3; /* libcsv would keep the BOM in the first name */
        *n -= 3;
    }
    if (!s->delimiter)
        s->delimiter = detect_delimiter(*data, *n);
    csv_set_delim(&s->parser, (unsigned char)s->delimiter);
    if (s->delimiter == '\t')
        csv_set_space_func(&s->parser, space_only);
    if (!memchr(*data, '\n', *n) && memchr(*data, '\r', *n))
        s->eol = '\r'; /* classic Mac line ends */
    estimate_records(s, *data, *n);
    return RETAIN_OK;
}

static void *produce(void *arg)
{
    rt_csvstream *s = arg;
    pthread_setname_np(pthread_self(), "retain-csv"); /* for perf and top */
    retain_status st = RETAIN_OK;
    char *buf = malloc(BLOCK_SIZE);
    if (!buf) {
        st = fail(s, RETAIN_ERR_NOMEM, 0, "out of memory", NULL);
        goto out;
    }
    bool first = true;
    size_t n;
    while (!s->stop && (n = fread(buf, 1, BLOCK_SIZE, s->in)) > 0) {
        char *data = buf;
        if (first) {
            first = false;
            st = first_block(s, &data, &n);
            if (st != RETAIN_OK)
                goto out;
        }
        st = feed(s, data, n);
        if (st != RETAIN_OK || s->stop)
            goto out;
    }
    if (s->stop)
        goto out;
    if (ferror(s->in)) {
        rt_fail(&s->diag, RETAIN_ERR_IO, s->line, NULL, "read error: %s", strerror(errno));
        st = RETAIN_ERR_IO;
        goto out;
    }
    if (csv_fini(&s->parser, on_field, on_record, s) != 0 || csv_error(&s->parser) == CSV_EPARSE)
        st =
            fail(s, RETAIN_ERR_DATA, s->rec_line, "a quoted field that starts here is never closed",
                 "every opening quote needs a closing one; quotes inside quotes are doubled "
                 "(\"\")");
    else if (s->nomem)
        st = fail(s, RETAIN_ERR_NOMEM, 0, "out of memory", NULL);
out:
    free(buf);
    s->status = st;
    if (s->cur)
        publish(s, true);
    else {
        pthread_mutex_lock(&s->lock);
        s->done = true;
        pthread_cond_broadcast(&s->cond);
        pthread_mutex_unlock(&s->lock);
    }
    return NULL;
}

/* ---- consumer side ---------------------------------------------------- */

rt_csvstream *rt_csvstream_start(FILE *in, char delimiter)
{
    rt_csvstream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->in = in;
    struct stat st;
    long here = ftell(in);
    s->input_size = fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) && here >= 0
                        ? (long long)st.st_size - here
                        : -1;
    s->delimiter = delimiter;
    s->eol = '\n';
    s->line = s->rec_line = 1;
    if (csv_init(&s->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        free(s);
        return NULL;
    }
    csv_set_realloc_func(&s->parser, capped_realloc);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    for (int i = 1; i < BATCHES; i++) {
        s->all[i].next = s->free_list;
        s->free_list = &s->all[i];
    }
    s->cur = &s->all[0];
    batch_reset(s->cur);
    if (pthread_create(&s->thread, NULL, produce, s) != 0) {
        rt_csvstream_free(s);
        return NULL;
    }
    s->started = true;
    return s;
}

const rt_batch *rt_csvstream_next(rt_csvstream *s)
{
    pthread_mutex_lock(&s->lock);
    while (!s->full_head && !s->done)
        pthread_cond_wait(&s->cond, &s->lock);
    rt_batch *b = s->full_head;
    if (b) {
        s->full_head = b->next;
        if (!s->full_head)
            s->full_tail = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    return b;
}

void rt_csvstream_release(rt_csvstream *s, const rt_batch *batch)
{
    rt_batch *b = (rt_batch *)batch;
    pthread_mutex_lock(&s->lock);
    b->next = s->free_list;
    s->free_list = b;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

retain_status rt_csvstream_stop(rt_csvstream *s, retain_diag *diag)
{
    if (s->started) {
        pthread_mutex_lock(&s->lock);
        s->stop = true;
        pthread_cond_broadcast(&s->cond);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->thread, NULL);
        s->started = false;
    }
    if (s->status != RETAIN_OK && diag)
        *diag = s->diag;
    return s->status;
}

size_t rt_csvstream_estimate(rt_csvstream *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s->estimate;
    pthread_mutex_unlock(&s->lock);
    return n;
}

char rt_csvstream_delimiter(const rt_csvstream *s)
{
    return s->delimiter;
}

unsigned long rt_csvstream_lines(const rt_csvstream *s)
{
    return s->line;
}

void rt_csvstream_free(rt_csvstream *s)
{
    if (!s)
        return;
    rt_csvstream_stop(s, NULL);
    csv_free(&s->parser);
    for (int i = 0; i < BATCHES; i++) {
        free(s->all[i].arena);
        free(s->all[i].off);
        free(s->all[i].len);
        free(s->all[i].rec);
    }
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
    free(s);
}
