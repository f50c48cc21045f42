/* minivec: tiny dense vector helpers, vendored from an older project. */
#include <stddef.h>
#include <pthread.h>

double minivec_dot(const double *x, const double *y, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        s += x[i] * y[i];
    }
    return s;
}

void minivec_axpy(double a, const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        y[i] += a * x[i];
    }
}

void minivec_scale(double a, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        x[i] *= a;
    }
}

double minivec_norm1(const double *x, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        s += x[i] < 0 ? -x[i] : x[i];
    }
    return s;
}

static pthread_mutex_t minivec_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t minivec_calls = 0;

size_t minivec_count_call(void)
{
    pthread_mutex_lock(&minivec_lock);
    size_t calls = ++minivec_calls;
    pthread_mutex_unlock(&minivec_lock);
    return calls;
}
