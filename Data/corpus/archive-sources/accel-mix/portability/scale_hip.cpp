// Scale a vector on an AMD GPU with HIP.
#include <hip/hip_runtime.h>

#include <cstdio>
#include <vector>

__global__ void scale(float *x, float a, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        x[i] *= a;
    }
}

int main()
{
    const int n = 1 << 20;
    std::vector<float> host(n, 1.5f);
    float *device = nullptr;
    hipMalloc(&device, n * sizeof(float));
    hipMemcpy(device, host.data(), n * sizeof(float), hipMemcpyHostToDevice);
    hipLaunchKernelGGL(scale, dim3((n + 255) / 256), dim3(256), 0, 0, device, 2.0f, n);
    hipDeviceSynchronize();
    hipMemcpy(host.data(), device, n * sizeof(float), hipMemcpyDeviceToHost);
    hipFree(device);
    std::printf("x[0] = %.2f, x[n-1] = %.2f\n", host[0], host[n - 1]);
    return 0;
}
