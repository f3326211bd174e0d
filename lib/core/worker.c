/* A worker thread for batches of rows: see worker.h. */
#include <pthread.h>
#include <stdlib.h>

#include "worker.h"

struct rt_worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    rt_batch_fn fn;
    void *ctx;
    void *buf; /* the batch in work (n rows), or the idle buffer (n = 0) */
    size_t n;
    bool stop;
    bool failed;
};

static void *run(void *arg)
{
    rt_worker *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (w->n == 0 && !w->stop)
            pthread_cond_wait(&w->cond, &w->lock);
        if (w->n == 0)
            break;
        pthread_mutex_unlock(&w->lock);
        bool ok = w->fn(w->ctx, w->buf, w->n);
        pthread_mutex_lock(&w->lock);
        w->failed |= !ok;
        w->n = 0;
        pthread_cond_broadcast(&w->cond);
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
    w->buf = spare;
    if (pthread_mutex_init(&w->lock, NULL) != 0)
        goto no_lock;
    if (pthread_cond_init(&w->cond, NULL) != 0)
        goto no_cond;
    if (pthread_create(&w->thread, NULL, run, w) != 0)
        goto no_thread;
    return w;
no_thread:
    pthread_cond_destroy(&w->cond);
no_cond:
    pthread_mutex_destroy(&w->lock);
no_lock:
    free(w);
    return NULL;
}

/* With the lock held: waits until no batch is in work. */
static bool idle(rt_worker *w)
{
    while (w->n)
        pthread_cond_wait(&w->cond, &w->lock);
    return !w->failed;
}

bool rt_worker_submit(rt_worker *w, void **batch, size_t n)
{
    pthread_mutex_lock(&w->lock);
    bool ok = idle(w);
    void *done = w->buf;
    w->buf = *batch;
    w->n = n;
    *batch = done;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    return ok;
}

bool rt_worker_wait(rt_worker *w)
{
    if (!w)
        return true;
    pthread_mutex_lock(&w->lock);
    bool ok = idle(w);
    pthread_mutex_unlock(&w->lock);
    return ok;
}

bool rt_worker_end(rt_worker **wp)
{
    rt_worker *w = *wp;
    if (!w)
        return true;
    pthread_mutex_lock(&w->lock);
    bool ok = idle(w);
    w->stop = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w->buf);
    free(w);
    *wp = NULL;
    return ok;
}
