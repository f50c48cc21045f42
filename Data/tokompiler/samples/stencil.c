/* A 2-D five-point stencil with OpenMP, written for the pipe tokenizer's golden tests. */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>
#include "grid.h"

#define NX 512
#define IDX(i, j) ((i) * NX + (j))
#define SQUARE(x) ((x) * (x))

typedef enum { CLAMP, WRAP } boundary_t;

typedef struct grid {
    int nx, ny;
    double *cells;
    boundary_t boundary;
} grid_t;

typedef double (*kernel_fn)(const double *, int, int);

static const double weights[5] = {0.5, 0.125, 0.125, 0.125, 0.125};
static unsigned long long sweeps = 0ULL;

static double five_point(const double *u, int i, int j) {
    return weights[0] * u[IDX(i, j)] + weights[1] * (u[IDX(i - 1, j)] + u[IDX(i + 1, j)])
         + weights[2] * (u[IDX(i, j - 1)] + u[IDX(i, j + 1)]);
}

union bits { double value; unsigned char bytes[sizeof(double)]; };

int sweep(grid_t *g, double *next, kernel_fn kernel, double *residual) {
    double sum = 0.0;
    int i, j;
    if (g == NULL || next == NULL) goto fail;
#pragma omp parallel for collapse(2) private(i, j) reduction(+:sum) schedule(static)
    for (i = 1; i < g->ny - 1; i++) {
        for (j = 1; j < g->nx - 1; j++) {
            double v = kernel(g->cells, i, j);
            next[IDX(i, j)] = v;
            sum += SQUARE(v - g->cells[IDX(i, j)]);
        }
    }
    *residual = sum;
    sweeps++;
    return 0;
fail:
    fprintf(stderr, "sweep: no grid (%s)\n", __func__);
    return -1;
}

int main(int argc, char **argv) {
    grid_t g = { .nx = NX, .ny = argc > 1 ? atoi(argv[1]) : NX, .cells = NULL, .boundary = CLAMP };
    double *next = (double *) calloc((size_t) g.nx * g.ny, sizeof *next);
    double residual = 1.0;
    union bits b;
    g.cells = malloc(sizeof(double) * g.nx * g.ny);
    for (int step = 0; step < 100 && residual > 1e-6; ++step) {
        double *tmp;
        sweep(&g, next, five_point, &residual);
        tmp = g.cells; g.cells = next; next = tmp;
    }
    b.value = residual;
    printf("%d threads, residual %g, first byte %u, %llu sweeps\n", omp_get_max_threads(), residual,
           (unsigned) b.bytes[0], sweeps);
    free(g.cells);
    free(next);
    return residual < 1e-6 ? EXIT_SUCCESS : EXIT_FAILURE;
}
