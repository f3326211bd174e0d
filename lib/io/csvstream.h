/* csvstream: CSV records from a stream, parsed by libcsv on a thread of
 * their own and handed over in batches. Not exported.
 *
 * Splitting the work this way lets the caller convert and aggregate one
 * batch while libcsv parses the next: on two cores a command runs at close
 * to libcsv's own speed. Records keep their order; each knows the physical
 * line where it starts.
 *
 * A caller that takes records in any order (rt_csvstream_allow_steal) lets
 * libcsv run on both cores: when no batch is ready, it parses a chunk from
 * the end of the file itself, and the producer stops where those chunks
 * begin. */
#ifndef RETAIN_CSVSTREAM_H
#define RETAIN_CSVSTREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <retain/status.h>

/* One record: fields first .. first + n - 1 of its batch. */
typedef struct {
    uint32_t first, n;
    unsigned long line;
    uint64_t fingerprint; /* with fingerprints: XXH3_64 of its cells, each with its NUL */
} rt_record;

/* A batch of records. Field i is arena + off[i], len[i] bytes, followed by
 * a NUL. */
typedef struct rt_batch {
    char *arena;
    size_t arena_len, arena_cap;
    uint32_t *off, *len;
    size_t nfields, fields_cap;
    rt_record *rec;
    size_t nrec, rec_cap;
    bool ascii;          /* every byte of its records is ASCII and none is NUL */
    unsigned long chunk; /* 0, or the chunk taken from the end it comes from:
                            its lines count from 0 at the chunk's start */
    struct rt_batch *next;
} rt_batch;

typedef struct rt_csvstream rt_csvstream;

/* Starts reading in (which stays the caller's). delimiter 0 detects it
 * from the header line (after Excel's "sep=;" line, which names it: the
 * header is then on line 2). encoding NULL: UTF-8 (a BOM dropped); else a
 * name rt_encoding_known() accepts, the input converted to UTF-8 by iconv
 * as it is read (no chunks from the end then). NULL when out of memory
 * or no thread can start. */
rt_csvstream *rt_csvstream_start(FILE *in, char delimiter, const char *encoding);
/* The same, for a read in order that must know the line at byte `mark`
 * of the input (counted from where it starts; -1: none): the producer's
 * reads end there. See rt_csvstream_mark_line. Not with an encoding.
 * With fingerprints, each record's fingerprint is computed where it is
 * parsed (on the producer's thread for most). */
rt_csvstream *rt_csvstream_start_marked(FILE *in, char delimiter, const char *encoding,
                                        long long mark, bool fingerprints);

/* Whether --encoding knows the name (utf-8, cp1252, windows-1252, latin1,
 * iso-8859-1, latin9, iso-8859-15, utf-16, utf-16le, utf-16be; any case). */
bool rt_encoding_known(const char *name);

/* The next batch, in order (after rt_csvstream_allow_steal, chunks from
 * the end may come first: their batch's chunk is not 0); NULL once the
 * input has ended or failed (then see rt_csvstream_stop). Give each batch back with
 * rt_csvstream_release. */
const rt_batch *rt_csvstream_next(rt_csvstream *s);
void rt_csvstream_release(rt_csvstream *s, const rt_batch *batch);

/* Once a batch was handed over: an estimate of the records in the whole
 * input, from its size and the line ends of its first block; 0 when the
 * input is not a regular file. */
size_t rt_csvstream_estimate(rt_csvstream *s);

/* From now on, records may come out of order: when no batch is ready,
 * rt_csvstream_next parses a chunk from the end of the input in the
 * caller's thread and returns it. Only for a regular file of at least
 * rt_csvstream_steal_min bytes; call it once the header is read. */
void rt_csvstream_allow_steal(rt_csvstream *s);
/* Whether the producer lowered its priority when chunks could be stolen
 * (rt_csvstream_tuning.producer_nice); for tests. */
bool rt_csvstream_yielded(const rt_csvstream *s);
/* No more chunks: after a problem in one, the records before it matter. */
void rt_csvstream_stop_stealing(rt_csvstream *s);

/* Sizes, changed by tests only: the producer's read size and records per
 * batch, the smallest input chunks are taken from and their size; eager
 * takes chunks even while batches are ready, so that tests see chunks
 * every time. */
typedef struct {
    size_t block, batch_records, steal_min, steal_chunk;
    bool eager;
    /* added to the producer thread's nice value once chunks may be
     * stolen (see yield_to_consumer in csvstream.c); 0: left alone */
    int producer_nice;
} rt_csvstream_tuning;
extern rt_csvstream_tuning rt_csvstream_tune;

/* Stops reading (early or not), waits for the thread, and returns how the
 * input ended: RETAIN_OK at its end, else the error with its line in diag.
 * An error is only meaningful once rt_csvstream_next returned NULL. */
retain_status rt_csvstream_stop(rt_csvstream *s, retain_diag *diag);

/* After stop: the delimiter used, and the physical lines read. */
char rt_csvstream_delimiter(const rt_csvstream *s);
unsigned long rt_csvstream_lines(const rt_csvstream *s);

/* After stop, with chunks taken: whether they and the producer's part
 * joined exactly (false: the input's quoting is broken, and the producer
 * read on to its end, so that its status holds the error); the line in
 * the file of a record's line counted in chunk `chunk` (valid when they
 * joined); the number of chunks taken; and the parse error in the last
 * chunk taken (its line resolved), RETAIN_OK when none. */
bool rt_csvstream_chunks_valid(const rt_csvstream *s);
unsigned long rt_csvstream_line(const rt_csvstream *s, unsigned long chunk, unsigned long line);
size_t rt_csvstream_chunks(const rt_csvstream *s);
retain_status rt_csvstream_chunk_error(const rt_csvstream *s, retain_diag *diag);
/* The same, the lines counted as if the chunk with the error (the last
 * taken) started on line `first` of the file: for a read stopped before
 * the chunks joined, whose lines another read found. */
retain_status rt_csvstream_chunk_error_from(const rt_csvstream *s, unsigned long first,
                                            retain_diag *diag);
/* Where the last chunk taken starts, in bytes from the input's start; -1
 * when none was taken. */
long long rt_csvstream_last_chunk(const rt_csvstream *s);
/* After stop, for a stream started with a mark: whether the producer
 * passed the mark between records, and *line, the line that starts
 * there (a record's first line, as rt_record.line counts). */
bool rt_csvstream_mark_line(const rt_csvstream *s, unsigned long *line);

void rt_csvstream_free(rt_csvstream *s);

#endif
