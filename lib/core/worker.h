/* A thread of its own for an accumulator's batches of rows: the caller
 * fills one batch while the thread works through the one before (double
 * buffering), so that a command's reading thread hands on the work whose
 * cache misses it would otherwise wait for. Not exported. */
#ifndef RETAIN_WORKER_H
#define RETAIN_WORKER_H

#include <stdbool.h>
#include <stddef.h>

/* Works through n rows of batch; false when out of memory. */
typedef bool (*rt_batch_fn)(void *ctx, void *batch, size_t n);

typedef struct rt_worker rt_worker;

/* Starts a thread that calls fn(ctx, ...) on each batch handed over;
 * spare (from malloc) is a second batch buffer, the worker's from now on.
 * NULL when out of memory or no thread starts: the caller then works
 * through its batches itself (spare stays the caller's). */
rt_worker *rt_worker_start(rt_batch_fn fn, void *ctx, void *spare);

/* The most buffers a worker holds: batches in line and spare ones. */
#define RT_WORKER_DEPTH 8

/* Gives the worker one more buffer like spare (from malloc, the worker's
 * from now on), so that one more batch may wait in line for the thread
 * while the caller fills the next: the caller waits less on a batch that
 * takes long. False (spare stays the caller's) past RT_WORKER_DEPTH. */
bool rt_worker_add_spare(rt_worker *w, void *spare);

/* Buffers the readers' adders hold (see rt_worker_spares): with one, the
 * reading thread waits whenever the adder is a little late (descheduled,
 * a batch of new pages), and the other core idles with it. */
#define RT_WORKER_SPARES 3

/* Gives w (may be NULL) spares - 1 more buffers of size bytes, up to
 * RT_WORKER_DEPTH: those that memory allows. */
void rt_worker_spares(rt_worker *w, size_t size, int spares);

/* Waits until the thread has a buffer to give back (one batch in work
 * and none in line, with a single spare), hands over *batch (n rows, in
 * line after those before) and puts in *batch the buffer given back;
 * false when a batch failed. */
bool rt_worker_submit(rt_worker *w, void **batch, size_t n);

/* Waits until the thread has no batch (w may be NULL); false when one
 * failed. After it, the caller may touch what the batches work on until
 * its next submit. */
bool rt_worker_wait(rt_worker *w);

/* Waits, ends the thread, frees the buffers it held and the worker, and
 * sets *w to NULL (nothing when it is NULL already). False when a batch
 * failed. */
bool rt_worker_end(rt_worker **w);

#endif
