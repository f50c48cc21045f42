// A work-group reduction in OpenCL C, for the golden tests.
#define WG 128

typedef struct { float lo, hi; } range_t;

inline float clampf(float v, range_t r) { return fmin(fmax(v, r.lo), r.hi); }

__kernel void reduce(__global const float4 *in, __global float *out, __local float *scratch, const uint n,
                     range_t limits) {
    uint gid = get_global_id(0);
    uint lid = get_local_id(0);
    float4 v = gid < n ? in[gid] : (float4)(0.0f);
    scratch[lid] = clampf(v.x + v.y + v.z + v.w, limits);
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint s = get_local_size(0) / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] += scratch[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[get_group_id(0)] = scratch[0];
}
