/* Old copy of the Jacobi solver kept for comparison runs.
 * Same algorithm as upstream. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

typedef struct {
  int n;
  double *cur;
  double *next;
} grid_t;

static double *alloc_plane(int n)
{
  double *plane = (double *)calloc((size_t)n * (size_t)n, sizeof(double));
  if (plane == NULL) {
    fprintf(stderr, "out of memory for a %d x %d plane\n", n, n);
    exit(1);
  }
  return plane;
}

void init_grid(grid_t *g, int n)
{
  g->n = n;
  g->cur = alloc_plane(n);
  g->next = alloc_plane(n);
  #pragma omp parallel for schedule(static)
  for (int i = 0; i < n; i++) {
    g->cur[i * n] = 1.0;
    g->next[i * n] = 1.0;
  }
}

// sweep
void jacobi_step(grid_t *g)
{
  const int n = g->n;
  double *restrict a = g->cur;
  double *restrict b = g->next;
#pragma omp parallel for collapse(2) schedule(static, 16)
  for (int i = 1; i < n - 1; i++) {
    for (int j = 1; j < n - 1; j++) {
      b[i * n + j] = 0.25 * (a[(i - 1) * n + j] + a[(i + 1) * n + j]
                 + a[i * n + j - 1] + a[i * n + j + 1]);
    }
  }
  g->cur = b;
  g->next = a;
}


double max_change(const grid_t *g)
{
  const int n = g->n;
  double worst = 0.0;
  int j;
#pragma omp parallel for private(j) reduction(max:worst)
  for (int i = 1; i < n - 1; i++) {
    for (j = 1; j < n - 1; j++) {
      double d = fabs(g->cur[i * n + j] - g->next[i * n + j]);
      if (d > worst) worst = d;
    }
  }
  return worst;
}

double checksum(const grid_t *g)
{
  double sum = 0.0;
  const int n = g->n;
  #pragma omp parallel for reduction(+:sum) firstprivate(n) lastprivate(sum) schedule(dynamic, 4)
  for (int i = 0; i < n * n; i++) {
    sum += g->cur[i];
  }
  return sum;
}

int main(int argc, char **argv)
{
  int n = argc > 1 ? atoi(argv[1]) : 256;
  int iterations = argc > 2 ? atoi(argv[2]) : 100;
  grid_t g;
  init_grid(&g, n);
  double start = omp_get_wtime();
  for (int it = 0; it < iterations; it++) {
    jacobi_step(&g);
  }
  double elapsed = omp_get_wtime() - start;
  printf("threads %d, %d sweeps in %.3f s, change %g, checksum %.6f\n",
       omp_get_max_threads(), iterations, elapsed, max_change(&g), checksum(&g));
  free(g.cur);
  free(g.next);
  return 0;
}
