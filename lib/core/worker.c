/* A worker thread for batches of rows: see worker.h. */
#include <pthread.h>
#include <stdlib.h>

#include "worker.h"

struct rt_worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work; /* the thread waits for a batch */
    pthread_cond_t done; /* the caller waits for a buffer, or for the end of the batches */
    rt_batch_fn fn;
    void *ctx;
    /* the batches handed over, in order: line[head] is the one in work */
    void *line[RT_WORKER_DEPTH];
    size_t line_n[RT_WORKER_DEPTH];
    size_t head, queued;
    void *spare[RT_WORKER_DEPTH]; /* the buffers worked through, for the caller */
    size_t nspare;
    bool thread_waits, caller_waits; /* a signal only when one waits */
    bool stop;
    bool failed;
};

static void *run(void *arg)
{
    rt_worker *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (w->queued == 0 && !w->stop) {
            w->thread_waits = true;
            pthread_cond_wait(&w->work, &w->lock);
            w->thread_waits = false;
        }
        if (w->queued == 0)
            break;
        void *buf = w->line[w->head];
        size_t n = w->line_n[w->head];
        pthread_mutex_unlock(&w->lock);
        bool ok = w->fn(w->ctx, buf, n);
        pthread_mutex_lock(&w->lock);
        w->failed |= !ok;
        w->head = (w->head + 1) % RT_WORKER_DEPTH;
        w->queued--;
        w->spare[w->nspare++] = buf;
        if (w->caller_waits)
            pthread_cond_signal(&w->done);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

rt_worker *rt_worker_start(rt_batch_fn fn, void *ctx, void *spare)
{
    rt_worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->fn = fn;
    w->ctx = ctx;
    w->spare[w->nspare++] = spare;
    if (pthread_mutex_init(&w->lock, NULL) != 0)
        goto no_lock;
    if (pthread_cond_init(&w->work, NULL) != 0)
        goto no_work;
    if (pthread_cond_init(&w->done, NULL) != 0)
        goto no_done;
    if (pthread_create(&w->thread, NULL, run, w) != 0)
        goto no_thread;
    return w;
no_thread:
    pthread_cond_destroy(&w->done);
no_done:
    pthread_cond_destroy(&w->work);
no_work:
    pthread_mutex_destroy(&w->lock);
no_lock:
    free(w);
    return NULL;
}

bool rt_worker_add_spare(rt_worker *w, void *spare)
{
    pthread_mutex_lock(&w->lock);
    bool room = w->nspare + w->queued < RT_WORKER_DEPTH;
    if (room)
        w->spare[w->nspare++] = spare;
    pthread_mutex_unlock(&w->lock);
    return room;
}

void rt_worker_spares(rt_worker *w, size_t size, int spares)
{
    for (int k = 1; w && k < spares; k++) {
        void *more = malloc(size);
        if (!more || !rt_worker_add_spare(w, more)) {
            free(more);
            return;
        }
    }
}

/* With the lock held: waits until cond holds (the thread signals done). */
#define WAIT_UNTIL(w, cond)                                                                        \
    while (!(cond)) {                                                                              \
        (w)->caller_waits = true;                                                                  \
        pthread_cond_wait(&(w)->done, &(w)->lock);                                                 \
        (w)->caller_waits = false;                                                                 \
    }

bool rt_worker_submit(rt_worker *w, void **batch, size_t n)
{
    pthread_mutex_lock(&w->lock);
    WAIT_UNTIL(w, w->nspare > 0);
    bool ok = !w->failed;
    size_t at = (w->head + w->queued) % RT_WORKER_DEPTH;
    w->line[at] = *batch;
    w->line_n[at] = n;
    w->queued++;
    *batch = w->spare[--w->nspare];
    if (w->thread_waits)
        pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
    return ok;
}

bool rt_worker_wait(rt_worker *w)
{
    if (!w)
        return true;
    pthread_mutex_lock(&w->lock);
    WAIT_UNTIL(w, w->queued == 0);
    bool ok = !w->failed;
    pthread_mutex_unlock(&w->lock);
    return ok;
}

bool rt_worker_end(rt_worker **wp)
{
    rt_worker *w = *wp;
    if (!w)
        return true;
    pthread_mutex_lock(&w->lock);
    WAIT_UNTIL(w, w->queued == 0);
    bool ok = !w->failed;
    w->stop = true;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->done);
    pthread_cond_destroy(&w->work);
    pthread_mutex_destroy(&w->lock);
    for (size_t i = 0; i < w->nspare; i++)
        free(w->spare[i]);
    free(w);
    *wp = NULL;
    return ok;
}
