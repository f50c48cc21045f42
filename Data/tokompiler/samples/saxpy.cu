// SAXPY and a block reduction in CUDA, for the golden tests.
#include <cstdio>
#include <cuda_runtime.h>

#define BLOCK 256
#define CHECK(call) do { cudaError_t err = (call); if (err != cudaSuccess) { \
    fprintf(stderr, "%s\n", cudaGetErrorString(err)); return 1; } } while (0)

__constant__ float scale;

__global__ void saxpy(int n, float a, const float *__restrict__ x, float *y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i] * scale;
}

template <int Threads>
__global__ void block_sum(const float *in, float *out, int n) {
    __shared__ float partial[Threads];
    int tid = threadIdx.x;
    int i = blockIdx.x * Threads + tid;
    partial[tid] = i < n ? in[i] : 0.0f;
    __syncthreads();
    for (int stride = Threads / 2; stride > 0; stride >>= 1) {
        if (tid < stride) partial[tid] += partial[tid + stride];
        __syncthreads();
    }
    if (tid == 0) atomicAdd(out, partial[0]);
}

int main(void) {
    const int n = 1 << 20;
    float *x, *y, *sum;
    float one = 1.0f;
    CHECK(cudaMallocManaged(&x, n * sizeof(float)));
    CHECK(cudaMallocManaged(&y, n * sizeof(float)));
    CHECK(cudaMallocManaged(&sum, sizeof(float)));
    CHECK(cudaMemcpyToSymbol(scale, &one, sizeof(float)));
    for (int i = 0; i < n; i++) { x[i] = 1.0f; y[i] = 2.0f; }
    *sum = 0.0f;
    dim3 grid((n + BLOCK - 1) / BLOCK), block(BLOCK);
    saxpy<<<grid, block>>>(n, 2.0f, x, y);
    block_sum<BLOCK><<<grid, block>>>(y, sum, n);
    CHECK(cudaDeviceSynchronize());
    printf("sum = %f\n", *sum);
    cudaFree(x);
    cudaFree(y);
    cudaFree(sum);
    return 0;
}
