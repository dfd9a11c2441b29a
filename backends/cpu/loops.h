// The elementwise loop driver of the cpu backend (the idea of PyTorch's TensorIterator, small):
// 1. coalesce: merge adjacent dims that every operand walks contiguously, drop extent-1 dims,
//    so a contiguous [4096, 1024] add becomes one loop of 4M elements and a bias add
//    [N, C] + [C] stays two dims with strides (C, 1) and (0, 1);
// 2. split the outer dims into chunks for OpenMP threads (work below a grain stays serial:
//    thread start-up costs more than small loops);
// 3. call the kernel on each innermost row with per-operand inner strides (1 or 0 in the common
//    cases, which the kernels specialize).
#pragma once

#include <omp.h>

#include <cstdint>

#include "backends/backend.h"

namespace lathe_cpu {

constexpr int kMaxOperands = 4;
// Below this many elements a loop runs on one thread.
constexpr int64_t kParallelGrain = 32768;

struct Loop {
  int ndim = 0;                      // after coalescing; >= 1
  int nops = 0;
  int64_t shape[LATHE_MAX_DIMS];     // innermost dim last
  int64_t strides[kMaxOperands][LATHE_MAX_DIMS];  // in elements
  char* base[kMaxOperands];
  int64_t itemsize[kMaxOperands];
};

size_t dtype_size(lathe_dtype t);

// Builds a loop over views of one shape (views[0] is usually the output).
Loop make_loop(const lathe_view* const* views, int nops);

inline int64_t loop_numel(const Loop& l) {
  int64_t n = 1;
  for (int d = 0; d < l.ndim; ++d) n *= l.shape[d];
  return n;
}

// Calls row(ptrs, n, inner_strides) for every innermost row; ptrs are byte pointers to the first
// element of the row for each operand, inner_strides in elements.
template <typename Row>
void for_each_row(const Loop& l, Row row) {
  const int inner = l.ndim - 1;
  const int64_t n = l.shape[inner];
  int64_t rows = 1;
  for (int d = 0; d < inner; ++d) rows *= l.shape[d];
  // An empty loop does nothing; run_rows would divide by its zero extent.
  if (rows == 0 || n == 0) return;
  int64_t inner_strides[kMaxOperands];
  for (int k = 0; k < l.nops; ++k) inner_strides[k] = l.strides[k][inner];

  auto run_rows = [&](int64_t first, int64_t last) {
    int64_t index[LATHE_MAX_DIMS] = {};
    int64_t rem = first;
    for (int d = inner - 1; d >= 0; --d) {
      index[d] = rem % l.shape[d];
      rem /= l.shape[d];
    }
    char* ptrs[kMaxOperands] = {};
    for (int k = 0; k < l.nops; ++k) {
      int64_t off = 0;
      for (int d = 0; d < inner; ++d) off += index[d] * l.strides[k][d];
      ptrs[k] = l.base[k] + off * l.itemsize[k];
    }
    for (int64_t r = first; r < last; ++r) {
      row(ptrs, n, inner_strides);
      for (int d = inner - 1; d >= 0; --d) {  // odometer over the outer dims
        for (int k = 0; k < l.nops; ++k) ptrs[k] += l.strides[k][d] * l.itemsize[k];
        if (++index[d] < l.shape[d]) break;
        for (int k = 0; k < l.nops; ++k) ptrs[k] -= l.strides[k][d] * l.shape[d] * l.itemsize[k];
        index[d] = 0;
      }
    }
  };

  int64_t total = rows * n;
  if (total < kParallelGrain || omp_get_max_threads() == 1 || omp_in_parallel()) {
    run_rows(0, rows);
    return;
  }
  if (rows == 1) {
    // One long row: split it across threads.
#pragma omp parallel
    {
      int t = omp_get_thread_num(), nt = omp_get_num_threads();
      int64_t chunk = (n + nt - 1) / nt, begin = t * chunk;
      int64_t end = begin + chunk < n ? begin + chunk : n;
      if (begin < end) {
        char* ptrs[kMaxOperands] = {};
        for (int k = 0; k < l.nops; ++k)
          ptrs[k] = l.base[k] + begin * inner_strides[k] * l.itemsize[k];
        row(ptrs, end - begin, inner_strides);
      }
    }
    return;
  }
#pragma omp parallel
  {
    int t = omp_get_thread_num(), nt = omp_get_num_threads();
    int64_t chunk = (rows + nt - 1) / nt, begin = t * chunk;
    int64_t end = begin + chunk < rows ? begin + chunk : rows;
    if (begin < end) run_rows(begin, end);
  }
}

// Splits [0, n) across threads when n * cost_per_item is worth it; fn(begin, end).
template <typename Fn>
void parallel_for(int64_t n, int64_t cost_per_item, Fn fn) {
  if (n * cost_per_item < kParallelGrain || omp_get_max_threads() == 1 || omp_in_parallel() ||
      n < 2) {
    fn(int64_t{0}, n);
    return;
  }
#pragma omp parallel
  {
    int t = omp_get_thread_num(), nt = omp_get_num_threads();
    int64_t chunk = (n + nt - 1) / nt, begin = t * chunk;
    int64_t end = begin + chunk < n ? begin + chunk : n;
    if (begin < end) fn(begin, end);
  }
}

}  // namespace lathe_cpu
