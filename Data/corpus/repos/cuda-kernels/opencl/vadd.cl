// SPDX-License-Identifier: Apache-2.0
// Vector addition and a scaled variant, one work-item per element.
__kernel void vadd(__global const float *a, __global const float *b, __global float *c, const unsigned int n)
{
    size_t i = get_global_id(0);
    if (i < n) {
        c[i] = a[i] + b[i];
    }
}

__kernel void vscale_add(__global const float *a, __global const float *b, __global float *c, const float alpha,
                         const unsigned int n)
{
    size_t i = get_global_id(0);
    if (i < n) {
        c[i] = alpha * a[i] + b[i];
    }
}

__kernel void vsum_local(__global const float *a, __global float *partial, __local float *scratch,
                         const unsigned int n)
{
    size_t gid = get_global_id(0);
    size_t lid = get_local_id(0);
    scratch[lid] = gid < n ? a[gid] : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (size_t s = get_local_size(0) / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] += scratch[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) partial[get_group_id(0)] = scratch[0];
}
