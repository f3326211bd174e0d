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

/* Waits for the batch in work, hands over *batch (n rows) and puts in
 * *batch the buffer the thread gives back; false when a batch failed. */
bool rt_worker_submit(rt_worker *w, void **batch, size_t n);

/* Waits until the thread has no batch (w may be NULL); false when one
 * failed. After it, the caller may touch what the batches work on until
 * its next submit. */
bool rt_worker_wait(rt_worker *w);

/* Waits, ends the thread, frees the buffer it held and the worker, and
 * sets *w to NULL (nothing when it is NULL already). False when a batch
 * failed. */
bool rt_worker_end(rt_worker **w);

#endif
