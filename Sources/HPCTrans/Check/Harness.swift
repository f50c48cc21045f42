/// The C sources that surround a kernel: a prelude for the kernel's own translation unit (the includes the
/// upstream code assumes but never writes) and a `main` that reads inputs, calls the kernel and writes outputs.
public enum Harness {
    /// Force-included before a kernel: it has no `#include` of its own (upstream and the prompt forbid them). No
    /// macros: a candidate may define helpers of any name (`max`), which a macro would break.
    public static let kernelPrelude = """
        #include <stdint.h>
        #include <stdbool.h>
        #include <math.h>
        #include <float.h>

        """

    /// A `main` for one signature. `run` writes the outputs to `outputs.bin`; `time W R` makes W warm-up
    /// calls, then prints the nanoseconds of each of R calls, one per line. Buffers are laid out in TIR order in
    /// `inputs.bin` (inputs only) and `outputs.bin` (outputs only); the kernel gets them in its C order.
    public static func main(buffers: [TIRBuffer], outputs: Int, parameters: [KernelParameter]) -> String {
        let inputCount = buffers.count - outputs
        var text = """
            #include <stdint.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <time.h>

            void default_function_kernel(\(parameters.map { "\($0.cType)* \($0.name)" }.joined(separator: ", ")));

            static long long now_ns(void) {
              struct timespec t;
              clock_gettime(CLOCK_MONOTONIC, &t);
              return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
            }

            int main(int argc, char **argv) {
              static const size_t bytes[\(buffers.count)] = {\(buffers.map { "\($0.count * $0.dtype.size)" }.joined(separator: ", "))};
              void *b[\(buffers.count)];
              for (int i = 0; i < \(buffers.count); ++i) {
                b[i] = calloc(bytes[i] ? bytes[i] : 1, 1);
                if (!b[i]) { fputs("harness: out of memory\\n", stderr); return 3; }
              }
              FILE *in = fopen("inputs.bin", "rb");
              if (!in) { fputs("harness: no inputs.bin\\n", stderr); return 3; }
              for (int i = 0; i < \(inputCount); ++i) {
                if (bytes[i] && fread(b[i], 1, bytes[i], in) != bytes[i]) { fputs("harness: short inputs.bin\\n", stderr); return 3; }
              }
              fclose(in);

            """
        let call = "default_function_kernel(" + parameters.map { "(\($0.cType)*)b[\($0.buffer)]" }.joined(separator: ", ") + ");"
        text += """
              if (argc >= 4 && strcmp(argv[1], "time") == 0) {
                int warmups = atoi(argv[2]), repeats = atoi(argv[3]);
                for (int i = 0; i < warmups; ++i) \(call)
                for (int i = 0; i < repeats; ++i) {
                  long long start = now_ns();
                  \(call)
                  printf("%lld\\n", now_ns() - start);
                }
                return 0;
              }
              \(call)
              FILE *out = fopen("outputs.bin", "wb");
              if (!out) { fputs("harness: cannot write outputs.bin\\n", stderr); return 3; }
              for (int i = \(inputCount); i < \(buffers.count); ++i) {
                if (bytes[i] && fwrite(b[i], 1, bytes[i], out) != bytes[i]) { fputs("harness: short write\\n", stderr); return 3; }
              }
              return fclose(out) == 0 ? 0 : 3;
            }

            """
        return text
    }

    /// Declarations that let clang parse CUDA without the toolkit's headers (`-nocudainc`): qualifiers,
    /// built-in index variables, and the device math TVM emits.
    public static let cudaPrelude: String = {
        var text = """
            #define __global__ __attribute__((global))
            #define __device__ __attribute__((device))
            #define __host__ __attribute__((host))
            #define __shared__ __attribute__((shared))
            #define __constant__ __attribute__((constant))
            #define __forceinline__ __inline__ __attribute__((always_inline))
            #define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))
            typedef signed char int8_t; typedef short int16_t; typedef int int32_t; typedef long long int64_t;
            typedef unsigned char uint8_t; typedef unsigned short uint16_t; typedef unsigned int uint32_t;
            typedef unsigned long long uint64_t;
            struct __pipe_uint3 { unsigned int x, y, z; };
            extern __device__ const struct __pipe_uint3 threadIdx, blockIdx, blockDim, gridDim;
            __device__ void __syncthreads(void);
            __device__ void __syncwarp(unsigned int mask = 0xffffffffu);
            __device__ float __shfl_down_sync(unsigned int, float, int, int = 32);
            __device__ float __shfl_sync(unsigned int, float, int, int = 32);
            __device__ unsigned int __activemask(void);
            __device__ float atomicAdd(float *, float);
            __device__ int atomicAdd(int *, int);
            __device__ float __int_as_float(int);
            __device__ int __float_as_int(float);
            __device__ float max(float, float); __device__ int max(int, int);
            __device__ float min(float, float); __device__ int min(int, int);

            """
        let unary = ["fabs", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "cbrt", "sin", "cos",
                     "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "erfc",
                     "floor", "ceil", "round", "trunc", "rint", "nearbyint"]
        let binary = ["pow", "fmod", "fmin", "fmax", "atan2", "hypot", "copysign", "remainder"]
        for name in unary {
            text += "__device__ float \(name)f(float); __device__ double \(name)(double);\n"
        }
        for name in binary {
            text += "__device__ float \(name)f(float, float); __device__ double \(name)(double, double);\n"
        }
        text += "__device__ bool isnan(float); __device__ bool isinf(float); __device__ int signbit(float);\n"
        text += "__device__ float fmaf(float, float, float); __device__ float __expf(float); __device__ float __logf(float);\n"
        text += "__device__ float __sinf(float); __device__ float __cosf(float); __device__ float __powf(float, float);\n"
        text += "__device__ float __fdividef(float, float);\n"
        return text
    }()
}
