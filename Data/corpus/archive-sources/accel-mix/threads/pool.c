/* A fixed-size pool of POSIX threads summing slices of an array. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    const double *data;
    size_t begin;
    size_t end;
    double sum;
} slice_t;

static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static double total = 0.0;

static void *sum_slice(void *arg)
{
    slice_t *slice = (slice_t *)arg;
    double s = 0.0;
    for (size_t i = slice->begin; i < slice->end; i++) {
        s += slice->data[i];
    }
    slice->sum = s;
    pthread_mutex_lock(&total_lock);
    total += s;
    pthread_mutex_unlock(&total_lock);
    return NULL;
}

double parallel_sum(const double *data, size_t n, int threads)
{
    pthread_t *ids = malloc(sizeof(pthread_t) * (size_t)threads);
    slice_t *slices = malloc(sizeof(slice_t) * (size_t)threads);
    total = 0.0;
    for (int t = 0; t < threads; t++) {
        slices[t].data = data;
        slices[t].begin = n * (size_t)t / (size_t)threads;
        slices[t].end = n * (size_t)(t + 1) / (size_t)threads;
        pthread_create(&ids[t], NULL, sum_slice, &slices[t]);
    }
    for (int t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
    }
    free(ids);
    free(slices);
    return total;
}
