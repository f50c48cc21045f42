// SPDX-License-Identifier: Apache-2.0
// Error checking for CUDA runtime calls: print where the call failed and stop.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#define CHECK(call) check_cuda((call), #call, __FILE__, __LINE__)

inline void check_cuda(cudaError_t status, const char *what, const char *file, int line)
{
    if (status != cudaSuccess) {
        std::fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, what, cudaGetErrorString(status));
        std::exit(EXIT_FAILURE);
    }
}

inline int device_count_or_exit()
{
    int count = 0;
    check_cuda(cudaGetDeviceCount(&count), "cudaGetDeviceCount", __FILE__, __LINE__);
    if (count == 0) {
        std::fprintf(stderr, "no CUDA device found\n");
        std::exit(EXIT_FAILURE);
    }
    return count;
}

__device__ inline float clamp01(float v)
{
    return v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
}
