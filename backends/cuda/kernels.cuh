// Device helpers shared by the cuda backend's .cu files: grid-stride loops with 64-bit
// indices, the launch-and-check step, and warp/block sums and combines.
#pragma once

#include <cuda_runtime.h>

#include <stdint.h>

#include "backends/cuda/cuda.h"
#include "backends/cuda/element.h"
#include "backends/cuda/indexer.h"

namespace lathe_cuda {

constexpr int kThreads = 256;  // elementwise kernels

// i = this thread's first item, then steps of the whole grid; 64-bit so tensors beyond 2^31
// elements work (a grid is capped by grid_for, never by n).
#define LATHE_GRID_LOOP(i, n)                                                          \
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < (n); \
       i += static_cast<int64_t>(gridDim.x) * blockDim.x)

// Launches kernel over n items on the device's stream (nothing when n == 0).
template <typename... Params, typename... Args>
lathe_status launch(const char* fn, const DeviceState* d, int64_t n, void (*kernel)(Params...),
                    Args... args) {
  if (n <= 0) return LATHE_OK;
  kernel<<<grid_for(d, n, kThreads), kThreads, 0, d->stream>>>(args...);
  return check_launch(fn);
}

// Sum over a warp; every lane gets the total.
template <typename T>
__device__ T warp_sum(T v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// Sum over the block (blockDim.x a multiple of 32, at most 1024); every thread gets the total.
// `shared` holds 32 values; the block must reach this call together.
template <typename T>
__device__ T block_sum(T v, T* shared) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int warps = blockDim.x >> 5;
  v = warp_sum(v);
  __syncthreads();  // shared may still be read by a previous call
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  T total = lane < warps ? shared[lane] : T(0);
  return warp_sum(total);
}

// Threads per block for a row of n items: a multiple of 32 from 32 to max_threads.
inline int row_threads(int64_t n, int max_threads) {
  int t = 32;
  while (t < max_threads && t < n) t *= 2;
  return t;
}

}  // namespace lathe_cuda
