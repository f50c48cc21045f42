/* Jacobi iteration offloaded with OpenACC: the grids stay on the device
 * for the whole solve, only the error comes back each iteration. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <openacc.h>

#define N 4096
#define M 4096

static double A[N][M];
static double Anew[N][M];

void initialize(void)
{
    for (int j = 0; j < N; j++) {
        A[j][0] = 1.0;
        Anew[j][0] = 1.0;
    }
}

double iterate(void)
{
    double error = 0.0;
#pragma acc parallel loop reduction(max:error) collapse(2) present(A, Anew)
    for (int j = 1; j < N - 1; j++) {
        for (int i = 1; i < M - 1; i++) {
            Anew[j][i] = 0.25 * (A[j][i + 1] + A[j][i - 1] + A[j - 1][i] + A[j + 1][i]);
            error = fmax(error, fabs(Anew[j][i] - A[j][i]));
        }
    }
#pragma acc parallel loop collapse(2) present(A, Anew)
    for (int j = 1; j < N - 1; j++) {
        for (int i = 1; i < M - 1; i++) {
            A[j][i] = Anew[j][i];
        }
    }
    return error;
}

int main(void)
{
    int iteration = 0;
    double error = 1.0;
    initialize();
    printf("devices: %d\n", acc_get_num_devices(acc_device_nvidia));
#pragma acc data copy(A) create(Anew)
    while (error > 1.0e-6 && iteration < 1000) {
        error = iterate();
        if (iteration % 100 == 0) printf("%5d, %0.6f\n", iteration, error);
        iteration++;
    }
    return 0;
}
