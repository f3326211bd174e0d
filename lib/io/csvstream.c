/* libcsv on its own thread, with physical line numbers.
 *
 * libcsv reports no positions, so input is fed to it one physical line at
 * a time (memchr finds the ends). After each line we know whether a record
 * is still open (a quoted field spanning lines), hence the line on which
 * each record starts. */
#define _GNU_SOURCE /* pthread_setname_np */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "csvstream.h"
#include "internal.h"

#define BLOCK_SIZE (1u << 20)
#define FIELD_MAX (16u << 20)  /* a longer field is a runaway quote, not data */
#define FIRST_MIN 4096         /* bytes checked for NUL (a binary or UTF-16 file) */
#define RECORD_MAX (64u << 20) /* bytes of a record, 8 more per field: past it, not data */
#define BATCH_RECORDS 1024
#define BATCH_BYTES (128u << 10)
#define BATCHES 8 /* in flight at most: memory stays flat */
/* A producer waiting for a free batch is woken when this many are free:
 * it then parses them in one go instead of waking at every release. */
#define WAKE_FREE (BATCHES / 2)

/* One libcsv parser and the batch it fills. The producer thread has one
 * for the file from its start; the consumer has another for the chunks it
 * takes from the file's end when it would otherwise wait (see steal()). */
typedef struct {
    rt_csvstream *s;
    struct csv_parser parser;
    rt_batch *cur;
    uint32_t rec_first; /* first field of the open record */
    unsigned long line, rec_line;
    bool front; /* full batches go to the queue; else the batch grows */
    bool in_record;
    bool nomem;
    bool too_long;           /* the open record passed RECORD_MAX */
    size_t rec_arena;        /* where the open record's bytes start in the arena */
    size_t rec_budget;       /* RECORD_MAX + the arena length and 8 x the fields
                                before the open record: its cap, checked at once */
    bool count_lines;        /* lines are counted from libcsv's line-end calls */
    bool block_ascii;        /* the block being fed is ASCII without NUL */
    bool stopped;            /* the consumer wants no more: ignore callbacks */
    bool halted;             /* stopped, too_long or nomem: on_field's one test */
    unsigned long failed_on; /* the line where an unclosed quote failed, or 0 */
    bool pending_cr;         /* the last block ended in a CR, counted as a line end:
                                an LF first in the next one is its CRLF's */
    retain_diag diag;        /* a parse error, its line relative for a chunk */
} rt_parse;

/* A chunk parsed by the consumer: its lines are numbered from 0 until the
 * producer reaches the first chunk and so counts the lines before it. */
typedef struct {
    unsigned long lines; /* line ends in it */
    long long start;     /* where it starts, from the input's start */
} rt_chunk;

struct rt_csvstream {
    FILE *in;
    pthread_t thread;
    bool started;
    bool fingerprints; /* rt_record.fingerprint wanted */
    char delimiter, eol;

    /* --encoding: the input is converted to UTF-8 as it is read */
    iconv_t conv;
    const char *encoding; /* its name, for messages */

    /* the queue */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    rt_batch *full_head, *full_tail; /* parsed, for the consumer */
    rt_batch *free_list;
    size_t nfree;
    bool producer_waits, consumer_waits; /* a broadcast only when one does */
    bool done;                           /* the producer published its last batch */
    bool stop;                           /* the consumer wants no more */
    /* set by the consumer when it may steal (atomic): the producer then
     * lowers its priority, and notes in yielded that it did */
    bool yield;
    bool yielded;

    rt_parse front;

    /* an estimate of the records in the input, from its size and the
     * lines of the first block; 0 when the input is not a regular file */
    long long input_size;  /* bytes left in it at the start, or -1 */
    long long input_start; /* where it starts in the file */
    size_t estimate;

    /* Chunks taken from the end (with the lock): the producer stops at
     * limit (-1: none), and has read or is reading up to front_pos. */
    long long limit, front_pos;
    bool met;          /* the producer reached limit on a record boundary */
    bool back_invalid; /* it did not: a chunk was cut inside a quoted field */

    /* rt_csvstream_start_marked: the producer's reads end at mark, where
     * it notes its line and whether it stands between records */
    long long mark;
    bool mark_seen, mark_between;
    unsigned long mark_line;

    /* consumer side of stealing */
    bool may_steal, steal_over;
    size_t steal_chunk, block, batch_records;
    bool eager;
    long long back_quotes; /* quotes from limit to the end: kept even */
    rt_parse back;
    rt_batch back_batch;
    char *back_buf;
    rt_chunk *chunks; /* in the order taken: from the file's end backwards */
    size_t nchunks, chunks_cap;
    retain_status back_status;
    unsigned long back_chunk; /* the chunk of back_status */

    /* outcome, written by the producer before done */
    retain_status status;
    rt_batch all[BATCHES];
};

rt_csvstream_tuning rt_csvstream_tune = {
    .block = BLOCK_SIZE,
    .batch_records = BATCH_RECORDS,
    .steal_min = 8u << 20,    /* below, a second core gains little */
    .steal_chunk = 64u << 10, /* short enough not to keep batches waiting */
    .producer_nice = 10,
};

/* libcsv grows its field buffer by a fixed block (128 bytes) per call, so
 * a long field costs one realloc per block: quadratic copying wherever
 * realloc cannot grow in place (under AddressSanitizer, for one). The
 * buffer handed to libcsv therefore carries its capacity in a header and
 * grows geometrically; a call within the capacity costs nothing. Fields
 * past FIELD_MAX are refused (libcsv reports CSV_ENOMEM: see
 * parse_failed()). */
typedef struct {
    size_t capacity;
    size_t pad; /* keeps the field bytes at malloc's alignment */
} field_header;

static void *field_realloc(void *p, size_t size)
{
    if (size > FIELD_MAX)
        return NULL;
    field_header *h = p ? (field_header *)p - 1 : NULL;
    if (h && size <= h->capacity)
        return p;
    size_t cap = h && h->capacity ? h->capacity : 256;
    while (cap < size)
        cap *= 2;
    if (cap > FIELD_MAX)
        cap = FIELD_MAX;
    field_header *n = realloc(h, sizeof *n + cap);
    if (!n)
        return NULL;
    n->capacity = cap;
    return n + 1;
}

static void field_free(void *p)
{
    if (p)
        free((field_header *)p - 1);
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
    b->chunk = 0;
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

/* A record starts on the current line (its first field, or a quoted one
 * opened on it). */
static void start_record(rt_parse *p)
{
    p->in_record = true;
    p->rec_line = p->line;
    p->rec_budget = RECORD_MAX + p->rec_arena + 8 * (size_t)p->rec_first;
}

/* Appends a field to b, which has room for it. */
static inline void store_field(rt_batch *b, const char *src, size_t len)
{
    /* b's members read before the bytes are written, which may alias them */
    size_t at = b->arena_len, nf = b->nfields;
    uint32_t *off = b->off, *lens = b->len;
    char *dst = b->arena + at;
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
        for (size_t i = 0; i + 16 < len; i += 16)
            memcpy(dst + i, src + i, 16);
        memcpy(dst + len - 16, src + len - 16, 16);
    }
    dst[len] = '\0';
    off[nf] = (uint32_t)at;
    lens[nf] = (uint32_t)len;
    b->nfields = nf + 1;
    b->arena_len = at + len + 1;
}

/* on_field for the rest: a stopped or failed parse, a record past its
 * cap, a batch to grow. */
__attribute__((noinline)) static void on_other_field(void *data, size_t len, void *user)
{
    rt_parse *p = user;
    rt_batch *b = p->cur;
    if (p->halted)
        return; /* no batch any more, or no room: libcsv finishes the block for nothing */
    if (b->arena_len + len + 8 * b->nfields > p->rec_budget) {
        p->too_long = p->halted = true; /* a cap on memory, whatever the fields */
        return;
    }
    if ((b->arena_len + len + 1 > b->arena_cap || b->nfields == b->fields_cap) &&
        !reserve_field(b, len)) {
        p->nomem = p->halted = true;
        return;
    }
    store_field(b, data, len);
}

/* libcsv calls this for every field of the file: keep it lean (no call
 * but the tail call, so that it saves no registers). */
static void on_field(void *data, size_t len, void *user)
{
    rt_parse *p = user;
    rt_batch *b = p->cur;
    if (!p->in_record) /* its first field: the record starts here */
        start_record(p);
    if (__builtin_expect(p->halted || b->arena_len + len + 8 * b->nfields > p->rec_budget ||
                             b->arena_len + len + 1 > b->arena_cap || b->nfields == b->fields_cap,
                         0)) {
        on_other_field(data, len, user);
        return;
    }
    store_field(b, data, len);
}

static bool publish(rt_csvstream *s, bool last);

static void on_record(int term, void *user)
{
    rt_parse *p = user;
    rt_batch *b = p->cur;
    if (p->count_lines && term == (unsigned char)p->s->eol)
        p->line++;
    if (p->stopped || p->too_long || p->nomem || b->nfields == p->rec_first)
        return; /* a line end with no record: blank line, or the LF of CRLF */
    p->in_record = false;
    if (b->nrec == b->rec_cap &&
        !grow((void **)&b->rec, &b->rec_cap, b->nrec + 1, sizeof *b->rec)) {
        p->nomem = p->halted = true;
        return;
    }
    rt_record *rec = &b->rec[b->nrec++];
    rec->first = p->rec_first;
    rec->n = (uint32_t)(b->nfields - p->rec_first);
    rec->line = p->rec_line;
    if (p->s->fingerprints) { /* the cells lie one after the other, each with its NUL */
        const char *from = b->arena + b->off[rec->first];
        rec->fingerprint = XXH3_64bits(from, (size_t)(b->arena + b->arena_len - 1 - from));
    }
    p->rec_first = (uint32_t)b->nfields;
    p->rec_arena = b->arena_len;
    /* batches end between records, so no record is split; a chunk's batch
     * takes the whole chunk */
    if (p->front && (b->nrec >= p->s->batch_records || b->arena_len >= BATCH_BYTES)) {
        if (!publish(p->s, false)) {
            p->stopped = p->halted = true;
            return;
        }
        p->rec_first = 0;
        p->rec_arena = 0;
        p->cur->ascii = p->block_ascii;
    }
}

/* Hands the current batch to the consumer and takes a free one; false when
 * the consumer stopped. */
static bool publish(rt_csvstream *s, bool last)
{
    pthread_mutex_lock(&s->lock);
    rt_batch *b = s->front.cur;
    b->next = NULL;
    if (s->full_tail)
        s->full_tail->next = b;
    else
        s->full_head = b;
    s->full_tail = b;
    s->front.cur = NULL;
    if (last)
        s->done = true;
    if (s->consumer_waits || last)
        pthread_cond_broadcast(&s->cond);
    while (!last && !s->free_list && !s->stop) {
        s->producer_waits = true;
        pthread_cond_wait(&s->cond, &s->lock);
        s->producer_waits = false;
    }
    bool go_on = !s->stop && !last;
    if (go_on) {
        s->front.cur = s->free_list;
        s->free_list = s->front.cur->next;
        s->nfree--;
        batch_reset(s->front.cur);
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

static retain_status fail(rt_parse *p, retain_status st, unsigned long line, const char *msg,
                          const char *hint)
{
    rt_fail(&p->diag, st, line, NULL, "%s", msg);
    if (hint)
        rt_hint(&p->diag, "%s", hint);
    return st;
}

/* A quoted field open from line `from` to where parsing failed. */
static retain_status unclosed(retain_diag *diag, unsigned long from, unsigned long failed)
{
    rt_fail(diag, RETAIN_ERR_DATA, from, NULL,
            "a quoted field that starts here is not closed properly "
            "(parsing failed on line %lu)",
            failed);
    rt_hint(diag, "every opening quote needs a closing one; quotes inside quotes "
                  "are doubled (\"\")");
    return RETAIN_ERR_DATA;
}

static retain_status parse_failed(rt_parse *p)
{
    struct csv_parser *c = &p->parser;
    if (!p->in_record)
        p->rec_line = p->line; /* the record's first field is still open */
    if (p->too_long) {
        rt_fail(&p->diag, RETAIN_ERR_DATA, p->rec_line, NULL,
                "a record longer than %u MiB starts on this line", RECORD_MAX >> 20);
        rt_hint(&p->diag, "%s", "is this a CSV export? a record that long is no customer row");
        return RETAIN_ERR_DATA;
    }
    if (p->nomem || (csv_error(c) == CSV_ENOMEM && csv_get_buffer_size(c) + 128 <= FIELD_MAX))
        return fail(p, RETAIN_ERR_NOMEM, p->rec_line, "out of memory", NULL);
    if (csv_error(c) == CSV_ENOMEM) {
        rt_fail(&p->diag, RETAIN_ERR_DATA, p->rec_line, NULL,
                "a field longer than %u MiB starts in this record", FIELD_MAX >> 20);
        rt_hint(&p->diag, "most likely a quote that is never closed");
        return RETAIN_ERR_DATA;
    }
    if (p->line != p->rec_line) {
        p->failed_on = p->line;
        return unclosed(&p->diag, p->rec_line, p->line);
    }
    return fail(p, RETAIN_ERR_DATA, p->rec_line,
                "malformed quoted field: a closing quote must end the field",
                "quotes inside quotes are doubled (\"\")");
}

/* At the end of the input: the last record, and an open quote is an error. */
static retain_status parse_end(rt_parse *p)
{
    if (csv_fini(&p->parser, on_field, on_record, p) != 0 || csv_error(&p->parser) == CSV_EPARSE)
        return fail(p, RETAIN_ERR_DATA, p->rec_line,
                    "a quoted field that starts here is never closed",
                    "every opening quote needs a closing one; quotes inside quotes are doubled "
                    "(\"\")");
    if (p->nomem)
        return fail(p, RETAIN_ERR_NOMEM, 0, "out of memory", NULL);
    return RETAIN_OK;
}

/* Whether the parser stands between records: no field open, quoted or
 * not. Where the producer meets the chunks taken from the end, this is the
 * proof that they were cut at record boundaries. */
static bool between_records(const rt_parse *p)
{
    return !p->in_record && !p->parser.quoted && p->parser.pstate == 0;
}

/* Whether a block is all ASCII without NUL: then the records made of it
 * need no UTF-8 check, which saves the consumer a pass over every field. */
static bool block_is_ascii(const char *buf, size_t n)
{
    /* 64 bytes a turn in 16-byte vectors (GCC's and clang's vector
     * extensions: SSE2 on x86-64, NEON on ARM), a fifth of the
     * instructions of 8-byte words: the block's every byte goes through */
    typedef unsigned char v16 __attribute__((vector_size(16)));
    v16 high = {0}, nul = {0};
    const v16 zero = {0};
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        v16 a, b, c, d;
        memcpy(&a, buf + i, 16);
        memcpy(&b, buf + i + 16, 16);
        memcpy(&c, buf + i + 32, 16);
        memcpy(&d, buf + i + 48, 16);
        high |= a | b | c | d;
        nul |= (v16)((a == zero) | (b == zero) | (c == zero) | (d == zero));
    }
    unsigned char any = 0, none = 0;
    for (int k = 0; k < 16; k++) {
        any |= high[k];
        none |= nul[k];
    }
    for (; i < n; i++) {
        any |= (unsigned char)buf[i];
        none |= buf[i] == 0;
    }
    return (any & 0x80) == 0 && none == 0;
}

/* Whether buf has a CR that is not the first half of a CRLF (a CR last in
 * buf counts: what follows is not known yet), or starts with the LF of a
 * CRLF cut by the previous block. Such a block goes a line at a time. */
static bool has_lone_cr(const rt_parse *p, const char *buf, size_t n)
{
    if (p->pending_cr && n > 0 && buf[0] == '\n')
        return true;
    for (const char *c = buf, *e = buf + n; (c = memchr(c, '\r', (size_t)(e - c))); c++)
        if (c + 1 == e || c[1] != '\n')
            return true;
    return false;
}

/* The end of the physical line that starts at buf[pos]: just after its LF,
 * its CRLF or its lone CR; n when the block ends first. */
static size_t line_end(const char *buf, size_t pos, size_t n)
{
    const char *lf = memchr(buf + pos, '\n', n - pos);
    size_t end = lf ? (size_t)(lf - buf) + 1 : n;
    const char *cr = memchr(buf + pos, '\r', end - pos);
    if (cr && cr + 1 < buf + n && cr[1] != '\n')
        return (size_t)(cr - buf) + 1; /* a lone CR */
    if (cr && cr + 1 == buf + n)
        return n;
    return end;
}

/* Feeds one block. Without a quote or a lone CR in it, no record can span
 * lines and libcsv reports every line end (CSV_REPALL_NL): the block goes
 * in one call, and the LFs count the lines. Otherwise it goes a physical
 * line at a time (LF, CRLF or a lone CR ends one), so that the line where
 * a multi-line record starts is known. */
static retain_status feed(rt_parse *p, const char *buf, size_t n)
{
    p->block_ascii = block_is_ascii(buf, n);
    p->cur->ascii &= p->block_ascii;
    if (!p->parser.quoted && !memchr(buf, '"', n) && !has_lone_cr(p, buf, n)) {
        p->count_lines = true;
        size_t done = csv_parse(&p->parser, buf, n, on_field, on_record, p);
        p->count_lines = false;
        p->pending_cr = false;
        if (p->stopped)
            return RETAIN_OK;
        if (done != n || p->nomem || p->too_long)
            return parse_failed(p);
        return RETAIN_OK;
    }
    size_t pos = 0;
    while (pos < n) {
        bool cr_tail = pos == 0 && p->pending_cr && buf[0] == '\n'; /* not a line end */
        p->pending_cr = false;
        if (!p->in_record)
            p->rec_line = p->line; /* for errors before the first field */
        size_t end = cr_tail ? 1 : line_end(buf, pos, n);
        bool ends_line = !cr_tail && (buf[end - 1] == '\n' || buf[end - 1] == '\r');
        const rt_batch *batch = p->cur;
        size_t fields = batch->nfields, records = batch->nrec;
        size_t done = csv_parse(&p->parser, buf + pos, end - pos, on_field, on_record, p);
        if (p->stopped)
            return RETAIN_OK;
        if (done != end - pos || p->nomem || p->too_long)
            return parse_failed(p);
        /* (a record that filled its batch alone was published on the way:
         * the new batch's counts say nothing about this line) */
        if (batch == p->cur && fields == batch->nfields && records == batch->nrec &&
            !p->in_record) {
            /* no field yet: a blank line, or a quoted field opened on it */
            for (size_t i = pos; i < end; i++) {
                char c = buf[i];
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    start_record(p);
                    break;
                }
            }
        }
        if (ends_line) {
            p->line++;
            p->pending_cr = end == n && buf[end - 1] == '\r';
        }
        pos = end;
    }
    return RETAIN_OK;
}

/* Line ends in buf[0..n): LF, CRLF or a lone CR, counted once each; with
 * nonblank, only those of lines with something other than blanks. */
static size_t count_lines(const char *buf, size_t n, bool nonblank)
{
    size_t lines = 0;
    bool seen = false;
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if (c == '\n' || (c == '\r' && (i + 1 == n || buf[i + 1] != '\n'))) {
            lines += seen || !nonblank;
            seen = false;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            seen = true;
        }
    }
    return lines;
}

/* Sets the estimate of records in the input from the lines of its first
 * block that hold something (blank lines are no records), before any
 * record is handed over: the consumer sizes its tables when it sees the
 * first one. An estimate, not a commitment: tables still grow as needed.
 * raw: the input bytes that made the block (it may have been converted). */
static void estimate_records(rt_csvstream *s, const char *b, size_t n, size_t raw)
{
    if (s->input_size <= 0 || n == 0 || raw == 0)
        return;
    size_t lines = count_lines(b, n, true);
    pthread_mutex_lock(&s->lock);
    s->estimate = (size_t)((double)s->input_size * (double)(lines ? lines : 1) / (double)raw);
    pthread_mutex_unlock(&s->lock);
}

static void configure(rt_csvstream *s, rt_parse *p)
{
    csv_set_delim(&p->parser, (unsigned char)s->delimiter);
    if (s->delimiter == '\t')
        csv_set_space_func(&p->parser, space_only);
}

/* Excel's "sep=;" first line (quoted or not): its length with the line
 * end, and the delimiter it names; 0 when the input has none. */
static size_t sep_line(const char *p, size_t n, char *delimiter)
{
    size_t i = 0;
    bool quoted = n > 0 && p[0] == '"';
    i += quoted;
    if (n < i + 5 || strncasecmp(p + i, "sep=", 4) != 0)
        return 0;
    char d = p[i + 4];
    i += 5;
    if (quoted) {
        if (i >= n || p[i] != '"')
            return 0;
        i++;
    }
    if (d != ',' && d != ';' && d != '\t' && d != '|')
        return 0;
    if (i < n && p[i] == '\r')
        i++;
    if (i < n && p[i] == '\n')
        i++;
    else if (i == n || p[i - 1] != '\r')
        return 0;
    *delimiter = d;
    return i;
}

static retain_status first_block(rt_csvstream *s, char **data, size_t *n, size_t raw)
{
    const unsigned char *b = (const unsigned char *)*data;
    if (*n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        return fail(&s->front, RETAIN_ERR_DATA, 1, "the file is UTF-16 text, not UTF-8",
                    "say --encoding utf-16");
    const char *nul = memchr(b, '\0', *n < FIRST_MIN ? *n : FIRST_MIN);
    if (nul)
        return fail(&s->front, RETAIN_ERR_DATA,
                    1 + count_lines(*data, (size_t)(nul - *data), false),
                    "the input has NUL bytes: not a text export (UTF-16 or binary?)",
                    "for UTF-16 text, say --encoding utf-16");
    if (*n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
        *data += 3; /* libcsv would keep the BOM in the first name */
        *n -= 3;
    }
    char named = 0;
    size_t skip = sep_line(*data, *n, &named);
    if (skip) {
        /* the header is on line 2; -d, when given, wins */
        *data += skip;
        *n -= skip;
        s->front.line = s->front.rec_line = 2;
        if (!s->delimiter)
            s->delimiter = named;
    }
    if (!s->delimiter)
        s->delimiter = detect_delimiter(*data, *n);
    configure(s, &s->front);
    if (!memchr(*data, '\n', *n) && memchr(*data, '\r', *n))
        s->eol = '\r'; /* classic Mac line ends */
    estimate_records(s, *data, *n, raw);
    return RETAIN_OK;
}

/* Converts a block read (n bytes at in, after *carry bytes kept from the
 * previous one at its start) to UTF-8 in out (room: cap bytes). A
 * character cut by the block's end is kept for the next (*carry); at the
 * input's end (last) it is an error. Returns the bytes written, or
 * (size_t)-1 with the error in the parse's diag. */
static size_t convert(rt_csvstream *s, char *in, size_t n, size_t *carry, char *out, size_t cap,
                      bool last)
{
    char *src = in;
    size_t left = *carry + n;
    char *dst = out;
    size_t room = cap;
    while (left > 0) {
        if (iconv(s->conv, &src, &left, &dst, &room) != (size_t)-1)
            continue;
        if (errno == EINVAL && !last) { /* cut by the block's end */
            memmove(in, src, left);
            break;
        }
        unsigned long line = s->front.line;
        for (const char *p = out; (p = memchr(p, '\n', (size_t)(dst - p))); p++)
            line++;
        if (errno == E2BIG) /* cannot happen: out has room for the worst case */
            return fail(&s->front, RETAIN_ERR_NOMEM, line, "out of memory", NULL), (size_t)-1;
        char msg[120];
        if (errno == EINVAL)
            snprintf(msg, sizeof msg, "the input ends inside a %s character", s->encoding);
        else
            snprintf(msg, sizeof msg, "byte 0x%02X is not %s text", (unsigned char)*src,
                     s->encoding);
        fail(&s->front, RETAIN_ERR_DATA, line, msg,
             "is --encoding right? Excel on Windows writes cp1252, or utf-16 for \"Unicode "
             "text\"");
        return (size_t)-1;
    }
    *carry = left;
    return (size_t)(dst - out);
}

/* How many bytes the producer may read next: up to a block, never past
 * the chunks taken from the end. 0 when it reached them, after checking
 * that it did so between records; if not, they were cut wrongly (possible
 * only in a file whose quoting is broken) and the producer goes on to the
 * end of the file, which surely holds the error. */
static size_t next_read(rt_csvstream *s, long long pos)
{
    pthread_mutex_lock(&s->lock);
    size_t want = s->block;
    if (pos == s->mark) {
        s->mark_seen = true;
        s->mark_between = between_records(&s->front);
        s->mark_line = s->front.line;
    } else if (pos < s->mark && s->mark - pos < (long long)want) {
        want = (size_t)(s->mark - pos);
    }
    if (s->limit >= 0 && pos >= s->limit) {
        if (between_records(&s->front)) {
            s->met = true;
            want = 0;
        } else {
            s->back_invalid = true;
            s->limit = -1;
        }
    } else if (s->limit >= 0 && s->limit - pos < (long long)want) {
        want = (size_t)(s->limit - pos);
    }
    s->front_pos = pos + (long long)want;
    pthread_mutex_unlock(&s->lock);
    return want;
}

/* Whether the consumer asked the producer to stop; read between blocks,
 * without the lock. */
static bool stopping(rt_csvstream *s)
{
    return __atomic_load_n(&s->stop, __ATOMIC_RELAXED);
}

/* Reads the next block into buf (after the carry of a conversion) and
 * returns its bytes as UTF-8 in *data; 0 at the end or on failure (then
 * *st says which). */
static size_t read_block(rt_csvstream *s, char *buf, char *conv_buf, size_t want, size_t *carry,
                         char **data, size_t *raw, retain_status *st)
{
    size_t n = fread(buf + *carry, 1, want, s->in);
    *raw = n;
    *data = buf;
    if (s->conv == (iconv_t)-1)
        return n;
    bool last = n == 0;
    if (last && *carry == 0)
        return 0;
    size_t out = convert(s, buf, n, carry, conv_buf, 4 * (s->block + 8), last);
    if (out == (size_t)-1) {
        *st = s->front.diag.status;
        return 0;
    }
    *data = conv_buf;
    if (out == 0 && last)
        return 0;
    return out ? out : (size_t)-2; /* a block that made no character yet */
}

/* Lowers the calling thread's priority (its nice value, which Linux
 * keeps per thread) by rt_csvstream_tune.producer_nice, once the consumer
 * may steal chunks. The three threads of a large read (this producer, the
 * consumer, an accumulator's adder) share two cores; at one priority the
 * producer runs ahead while the others wait for a core, fills its batches,
 * then sleeps, and one core idles while the others catch up: about a
 * tenth of the read on a 2-core machine. Below them it parses when a core
 * is free, and a producer kept from running by other programs' load
 * delays nothing: the consumer then parses chunks from the end itself.
 * Errors are ignored (the priority is a hint); errno is kept. */
static bool yield_to_consumer(void)
{
    int inc = rt_csvstream_tune.producer_nice;
    if (inc <= 0)
        return false;
#ifdef SYS_gettid
    int saved = errno;
    id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    int now = getpriority(PRIO_PROCESS, tid);
    bool ok = !(now == -1 && errno != 0) &&
              setpriority(PRIO_PROCESS, tid, now + inc > 19 ? 19 : now + inc) == 0;
    errno = saved;
    return ok;
#else
    return false;
#endif
}

static void *produce(void *arg)
{
    rt_csvstream *s = arg;
    pthread_setname_np(pthread_self(), "retain-csv"); /* for perf and top */
    retain_status st = RETAIN_OK;
    /* converting: a character cut by a block's end waits at buf's start;
     * UTF-8 takes at most 4 bytes per input byte (3 for any 8-bit set) */
    char *buf = malloc(s->block + 8);
    bool converting = s->conv != (iconv_t)-1;
    char *conv_buf = converting ? malloc(4 * (s->block + 8)) : NULL;
    if (!buf || (converting && !conv_buf)) {
        st = fail(&s->front, RETAIN_ERR_NOMEM, 0, "out of memory", NULL);
        goto out;
    }
    bool first = true;
    long long pos = 0;
    size_t n, want, carry = 0, raw;
    char *data;
    bool yielding = false;
    for (;;) {
        if (!yielding && __atomic_load_n(&s->yield, __ATOMIC_RELAXED)) {
            yielding = true;
            __atomic_store_n(&s->yielded, yield_to_consumer(), __ATOMIC_RELAXED);
        }
        if (stopping(s) || (want = next_read(s, pos)) == 0 ||
            (n = read_block(s, buf, conv_buf, want, &carry, &data, &raw, &st)) == 0)
            break;
        pos += (long long)raw;
        if (n == (size_t)-2)
            continue;
        if (first) {
            first = false;
            st = first_block(s, &data, &n, raw);
            if (st != RETAIN_OK)
                goto out;
        }
        st = feed(&s->front, data, n);
        if (st != RETAIN_OK || stopping(s))
            goto out;
    }
    if (st != RETAIN_OK || stopping(s) || s->met) /* met: written by this thread */
        goto out;
    if (ferror(s->in)) {
        rt_fail(&s->front.diag, RETAIN_ERR_IO, s->front.line, NULL, "read error: %s",
                strerror(errno));
        st = RETAIN_ERR_IO;
        goto out;
    }
    st = parse_end(&s->front);
out:
    free(buf);
    free(conv_buf);
    s->status = st;
    if (s->front.cur)
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

static bool parse_init(rt_csvstream *s, rt_parse *p)
{
    memset(p, 0, sizeof *p);
    p->s = s;
    if (csv_init(&p->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0)
        return false;
    csv_set_realloc_func(&p->parser, field_realloc);
    csv_set_free_func(&p->parser, field_free);
    return true;
}

/* The encodings --encoding takes, and their glibc iconv names. */
static const struct {
    const char *name, *iconv;
} encodings[] = {
    {"utf-8", NULL},
    {"utf8", NULL},
    {"cp1252", "CP1252"},
    {"windows-1252", "CP1252"},
    {"latin1", "ISO-8859-1"},
    {"latin-1", "ISO-8859-1"},
    {"iso-8859-1", "ISO-8859-1"},
    {"latin9", "ISO-8859-15"},
    {"iso-8859-15", "ISO-8859-15"},
    {"utf-16", "UTF-16"},
    {"utf-16le", "UTF-16LE"},
    {"utf-16be", "UTF-16BE"},
};

bool rt_encoding_known(const char *name)
{
    for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
        if (strcasecmp(name, encodings[i].name) == 0)
            return true;
    return false;
}

static const char *iconv_name(const char *name)
{
    for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
        if (strcasecmp(name, encodings[i].name) == 0)
            return encodings[i].iconv;
    return NULL;
}

rt_csvstream *rt_csvstream_start(FILE *in, char delimiter, const char *encoding)
{
    return rt_csvstream_start_marked(in, delimiter, encoding, -1, false);
}

rt_csvstream *rt_csvstream_start_marked(FILE *in, char delimiter, const char *encoding,
                                        long long mark, bool fingerprints)
{
    rt_csvstream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->conv = (iconv_t)-1;
    const char *from = encoding ? iconv_name(encoding) : NULL;
    if (from) {
        s->conv = iconv_open("UTF-8", from);
        if (s->conv == (iconv_t)-1) {
            free(s);
            return NULL;
        }
        s->encoding = encoding;
    }
    s->in = in;
    s->fingerprints = fingerprints;
    struct stat st;
    long here = ftell(in);
    s->input_start = here;
    s->input_size = fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) && here >= 0
                        ? (long long)st.st_size - here
                        : -1;
    s->limit = -1;
    s->mark = s->conv == (iconv_t)-1 ? mark : -1; /* raw bytes: no conversion */
    /* 4 KiB at least, whatever the tuning: the NUL check looks at that
     * much of the first block */
    s->block = rt_csvstream_tune.block < FIRST_MIN ? FIRST_MIN : rt_csvstream_tune.block;
    s->batch_records = rt_csvstream_tune.batch_records;
    s->eager = rt_csvstream_tune.eager;
    s->delimiter = delimiter;
    s->eol = '\n';
    if (!parse_init(s, &s->front)) {
        if (s->conv != (iconv_t)-1)
            iconv_close(s->conv);
        free(s);
        return NULL;
    }
    s->front.front = true;
    s->front.line = s->front.rec_line = 1;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    for (int i = 1; i < BATCHES; i++) {
        s->all[i].next = s->free_list;
        s->free_list = &s->all[i];
    }
    s->nfree = BATCHES - 1;
    s->front.cur = &s->all[0];
    batch_reset(s->front.cur);
    if (pthread_create(&s->thread, NULL, produce, s) != 0) {
        if (s->conv != (iconv_t)-1)
            iconv_close(s->conv);
        csv_free(&s->front.parser);
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->cond);
        free(s);
        return NULL;
    }
    s->started = true;
    return s;
}

void rt_csvstream_allow_steal(rt_csvstream *s)
{
    if (s->conv != (iconv_t)-1)
        return; /* the chunks would need converting from an unknown state */
    if (s->input_size < (long long)rt_csvstream_tune.steal_min || s->input_size <= 0 ||
        !parse_init(s, &s->back))
        return;
    s->steal_chunk = rt_csvstream_tune.steal_chunk;
    s->back_buf = malloc(s->steal_chunk);
    if (!s->back_buf) {
        csv_free(&s->back.parser);
        s->back.s = NULL;
        return;
    }
    configure(s, &s->back);
    s->back.cur = &s->back_batch;
    s->may_steal = true;
    __atomic_store_n(&s->yield, true, __ATOMIC_RELAXED);
}

bool rt_csvstream_yielded(const rt_csvstream *s)
{
    return __atomic_load_n(&s->yielded, __ATOMIC_RELAXED);
}

static long long count_quotes(const char *p, size_t n)
{
    long long q = 0;
    for (const char *e = p + n; (p = memchr(p, '"', (size_t)(e - p))); p++)
        q++;
    return q;
}

/* Where a chunk that ends at the end of buf (n bytes) may start: just
 * after a line end, with an even number of quotes from there to the end
 * of the file. In a file libcsv accepts, a quote either opens or closes a
 * quoted field or is one of a doubled pair, so that point is outside any
 * quoted field; where the file's quoting is broken, the check in
 * next_read() or at the chunk's end finds it. -1 when there is none. */
static long long chunk_start(rt_csvstream *s, const char *buf, size_t n, long long *quotes)
{
    const char *e = buf + n;
    long long total = count_quotes(buf, n), before = 0;
    for (const char *line = buf, *nl; (nl = memchr(line, s->eol, (size_t)(e - line)));
         line = nl + 1) {
        before += count_quotes(line, (size_t)(nl - line));
        if (nl + 1 == e)
            break;
        if (nl[0] == '\r' && nl[1] == '\n')
            continue; /* inside a CRLF (classic Mac line ends in the first block) */
        long long after = total - before + s->back_quotes;
        if (after % 2 == 0) {
            *quotes = after;
            return nl + 1 - buf;
        }
    }
    return -1;
}

/* When the consumer would wait: it parses a chunk from the end of the
 * file itself, so that libcsv runs on both cores. Such a chunk's records
 * come before the producer's remaining ones, and their lines are counted
 * from the chunk's start (see rt_csvstream_line). NULL when no chunk is
 * left to take. */
static const rt_batch *steal(rt_csvstream *s)
{
    pthread_mutex_lock(&s->lock);
    long long end = s->limit >= 0 ? s->limit : s->input_size;
    long long from = end - (long long)s->steal_chunk;
    bool go = !s->done && !s->back_invalid && from >= s->front_pos + (long long)s->block;
    pthread_mutex_unlock(&s->lock);
    if (!go) {
        s->steal_over = true;
        return NULL;
    }
    size_t len = (size_t)(end - from);
    ssize_t got = pread(fileno(s->in), s->back_buf, len, s->input_start + from);
    long long quotes = 0,
              start = got == (ssize_t)len ? chunk_start(s, s->back_buf, len, &quotes) : -1;
    if (start < 0 || (s->nchunks == s->chunks_cap && !grow((void **)&s->chunks, &s->chunks_cap,
                                                           s->nchunks + 1, sizeof *s->chunks))) {
        s->steal_over = true;
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    go = !s->done && !s->back_invalid && from + start >= s->front_pos;
    if (go)
        s->limit = from + start;
    pthread_mutex_unlock(&s->lock);
    if (!go) {
        s->steal_over = true;
        return NULL;
    }
    s->back_quotes = quotes;
    rt_parse *p = &s->back;
    batch_reset(p->cur);
    p->rec_first = 0;
    p->rec_arena = 0;
    p->line = p->rec_line = 0;
    p->in_record = p->pending_cr = false;
    p->failed_on = 0;
    retain_status st = feed(p, s->back_buf + start, len - (size_t)start);
    if (st == RETAIN_OK && end == s->input_size)
        st = parse_end(p); /* the file's last chunk */
    else if (st == RETAIN_OK && !between_records(p)) {
        /* cut inside a quoted field: the quoting is broken somewhere, and
         * the producer finds where by reading on to the end */
        pthread_mutex_lock(&s->lock);
        s->back_invalid = true;
        s->limit = -1;
        pthread_mutex_unlock(&s->lock);
        s->steal_over = true;
        return NULL;
    }
    s->chunks[s->nchunks].start = from + start;
    s->chunks[s->nchunks++].lines = p->line;
    p->cur->chunk = (unsigned long)s->nchunks;
    if (st != RETAIN_OK) {
        s->back_status = st;
        s->back_chunk = (unsigned long)s->nchunks;
        s->steal_over = true;
    }
    return p->cur;
}

const rt_batch *rt_csvstream_next(rt_csvstream *s)
{
    pthread_mutex_lock(&s->lock);
    for (;;) {
        if (!s->eager && (s->full_head || s->done))
            break;
        if (s->may_steal && !s->steal_over) {
            pthread_mutex_unlock(&s->lock);
            const rt_batch *b = steal(s);
            if (b)
                return b;
            pthread_mutex_lock(&s->lock);
            continue;
        }
        if (s->full_head || s->done)
            break;
        s->consumer_waits = true;
        pthread_cond_wait(&s->cond, &s->lock);
        s->consumer_waits = false;
    }
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
    if (batch == &s->back_batch)
        return;
    rt_batch *b = (rt_batch *)batch;
    pthread_mutex_lock(&s->lock);
    b->next = s->free_list;
    s->free_list = b;
    s->nfree++;
    /* a waiting producer wakes when it can parse a few batches, or when
     * nothing is left for the consumer */
    if (s->producer_waits && (s->nfree >= WAKE_FREE || !s->full_head))
        pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

void rt_csvstream_stop_stealing(rt_csvstream *s)
{
    s->steal_over = true;
}

retain_status rt_csvstream_stop(rt_csvstream *s, retain_diag *diag)
{
    if (s->started) {
        pthread_mutex_lock(&s->lock);
        __atomic_store_n(&s->stop, true, __ATOMIC_RELAXED);
        pthread_cond_broadcast(&s->cond);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->thread, NULL);
        s->started = false;
    }
    if (s->status != RETAIN_OK && diag)
        *diag = s->front.diag;
    return s->status;
}

bool rt_csvstream_chunks_valid(const rt_csvstream *s)
{
    return s->nchunks == 0 || (s->met && !s->back_invalid);
}

unsigned long rt_csvstream_line(const rt_csvstream *s, unsigned long chunk, unsigned long line)
{
    if (chunk == 0)
        return line;
    /* chunks were taken backwards: the later ones come first in the file */
    line += s->front.line;
    for (size_t i = chunk; i < s->nchunks; i++)
        line += s->chunks[i].lines;
    return line;
}

retain_status rt_csvstream_chunk_error(const rt_csvstream *s, retain_diag *diag)
{
    return rt_csvstream_chunk_error_from(s, rt_csvstream_line(s, s->back_chunk, 0), diag);
}

retain_status rt_csvstream_chunk_error_from(const rt_csvstream *s, unsigned long first,
                                            retain_diag *diag)
{
    if (s->back_status != RETAIN_OK && diag) {
        *diag = s->back.diag;
        diag->line += first;
        if (s->back.failed_on) /* the message names a line too */
            unclosed(diag, diag->line, first + s->back.failed_on);
    }
    return s->back_status;
}

long long rt_csvstream_last_chunk(const rt_csvstream *s)
{
    return s->nchunks ? s->chunks[s->nchunks - 1].start : -1;
}

bool rt_csvstream_mark_line(const rt_csvstream *s, unsigned long *line)
{
    *line = s->mark_line;
    return s->mark_seen && s->mark_between;
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
    unsigned long lines = s->front.line;
    for (size_t i = 0; i < s->nchunks; i++)
        lines += s->chunks[i].lines;
    return lines;
}

size_t rt_csvstream_chunks(const rt_csvstream *s)
{
    return s->nchunks;
}

static void batch_free(rt_batch *b)
{
    free(b->arena);
    free(b->off);
    free(b->len);
    free(b->rec);
}

void rt_csvstream_free(rt_csvstream *s)
{
    if (!s)
        return;
    rt_csvstream_stop(s, NULL);
    csv_free(&s->front.parser);
    if (s->back.s)
        csv_free(&s->back.parser);
    for (int i = 0; i < BATCHES; i++)
        batch_free(&s->all[i]);
    batch_free(&s->back_batch);
    free(s->back_buf);
    free(s->chunks);
    if (s->conv != (iconv_t)-1)
        iconv_close(s->conv);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
    free(s);
}
