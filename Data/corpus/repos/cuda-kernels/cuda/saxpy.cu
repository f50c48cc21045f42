// SPDX-License-Identifier: Apache-2.0
// SAXPY and a block-wise dot product on the GPU, checked against the host.
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#include "check.cuh"

__global__ void saxpy(int n, float a, const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i];
}

__global__ void dot_partial(int n, const float *x, const float *y, float *partial)
{
    __shared__ float cache[256];
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float sum = 0.0f;
    for (; i < n; i += blockDim.x * gridDim.x) sum += x[i] * y[i];
    cache[threadIdx.x] = sum;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) cache[threadIdx.x] += cache[threadIdx.x + s];
        __syncthreads();
    }
    if (threadIdx.x == 0) partial[blockIdx.x] = cache[0];
}

int main(void)
{
    const int n = 1 << 20;
    const size_t bytes = n * sizeof(float);
    float *x = (float *)malloc(bytes), *y = (float *)malloc(bytes);
    for (int i = 0; i < n; i++) { x[i] = 1.0f; y[i] = 2.0f; }
    float *dx, *dy, *dpartial;
    CHECK(cudaMalloc(&dx, bytes));
    CHECK(cudaMalloc(&dy, bytes));
    CHECK(cudaMalloc(&dpartial, 64 * sizeof(float)));
    CHECK(cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dy, y, bytes, cudaMemcpyHostToDevice));
    saxpy<<<(n + 255) / 256, 256>>>(n, 2.0f, dx, dy);
    dot_partial<<<64, 256>>>(n, dx, dy, dpartial);
    CHECK(cudaDeviceSynchronize());
    float partial[64];
    CHECK(cudaMemcpy(partial, dpartial, sizeof(partial), cudaMemcpyDeviceToHost));
    double dot = 0.0;
    for (int b = 0; b < 64; b++) dot += partial[b];
    printf("dot = %.1f (expected %.1f)\n", dot, 4.0 * n);
    cudaFree(dx);
    cudaFree(dy);
    cudaFree(dpartial);
    free(x);
    free(y);
    return 0;
}
