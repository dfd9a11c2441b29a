// Stable sort along one axis (the cuda backend's `sort`), by CUB's segmented stable sort:
//   1. every line is copied into one contiguous buffer of unsigned keys whose ascending order is
//      the requested order (element.h: NaN after every number, -0.0 equal to 0.0, descending by
//      complementing the key, which keeps ties in input order) paired with each element's
//      index in its line; the raw elements are copied aside as well;
//   2. cub::DeviceSegmentedSort::StableSortPairs sorts each line (segment) by key;
//   3. the sorted indices are written out, and the values are read back from the raw copy by
//      index, so they keep their exact bits (a NaN's payload, -0.0) and may alias the input.
// This file is the only user of CUB in the backend (it dominates its compile time): keys are
// 32-bit (f32, f16, bf16, i32) or 64-bit (f64, i64), two instantiations.
#include <cub/device/device_segmented_sort.cuh>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/iterator/transform_iterator.h>

#include "backends/cuda/kernels.cuh"

namespace lathe_cuda {

namespace {

struct SortPlan {
  Indexer lines;  // operands: in, values, indices (the first element of each line)
  int64_t n;      // line length
  int64_t total;  // lines * n
  int64_t in_stride, values_stride, indices_stride;
  bool descending;
};

LATHE_HD inline uint32_t sort_key(float x, bool desc) { return sort_key_f32(x, desc); }
LATHE_HD inline uint64_t sort_key(double x, bool desc) { return sort_key_f64(x, desc); }
LATHE_HD inline uint32_t sort_key(f16 x, bool desc) {
  return sort_key_f32(Elem<f16>::load(x), desc);
}
LATHE_HD inline uint32_t sort_key(bf16 x, bool desc) {
  return sort_key_f32(Elem<bf16>::load(x), desc);
}
LATHE_HD inline uint32_t sort_key(int32_t x, bool desc) { return sort_key_i32(x, desc); }
LATHE_HD inline uint64_t sort_key(int64_t x, bool desc) { return sort_key_i64(x, desc); }

template <typename T>
using KeyOf = decltype(sort_key(T{}, false));

// Element i of the flat buffers is element j = i % n of line l = i / n.
template <typename T>
__global__ void sort_prepare_kernel(SortPlan p, const T* in, KeyOf<T>* keys, int64_t* positions,
                                    T* raw) {
  LATHE_GRID_LOOP(i, p.total) {
    const int64_t l = i / p.n, j = i - l * p.n;
    int64_t base[3];
    indexer_offsets(p.lines, l, base);
    const T x = in[base[0] + j * p.in_stride];
    raw[i] = x;
    keys[i] = sort_key(x, p.descending);
    positions[i] = j;
  }
}

template <typename T>
__global__ void sort_finish_kernel(SortPlan p, const int64_t* positions, const T* raw, T* values,
                                   int64_t* indices) {
  LATHE_GRID_LOOP(i, p.total) {
    const int64_t l = i / p.n, j = i - l * p.n;
    int64_t base[3];
    indexer_offsets(p.lines, l, base);
    const int64_t from = positions[i];
    values[base[1] + j * p.values_stride] = raw[l * p.n + from];
    indices[base[2] + j * p.indices_stride] = from;
  }
}

// Segment l of the flat buffers starts at l * n.
struct LineStart {
  int64_t n;
  __host__ __device__ int64_t operator()(int64_t l) const { return l * n; }
};

template <typename T>
lathe_status run_sort(DeviceState* d, const SortPlan& p, const lathe_view* in,
                      const lathe_view* values, const lathe_view* indices) {
  const char* fn = "sort";
  using K = KeyOf<T>;
  const size_t total = static_cast<size_t>(p.total);
  Scratch scratch(d);
  void *keys_in, *keys_out, *pos_in, *pos_out, *raw, *temp;
  LATHE_CUDA_RETURN_IF_ERROR(scratch.get(fn, total * sizeof(K), &keys_in));
  LATHE_CUDA_RETURN_IF_ERROR(scratch.get(fn, total * sizeof(K), &keys_out));
  LATHE_CUDA_RETURN_IF_ERROR(scratch.get(fn, total * sizeof(int64_t), &pos_in));
  LATHE_CUDA_RETURN_IF_ERROR(scratch.get(fn, total * sizeof(int64_t), &pos_out));
  LATHE_CUDA_RETURN_IF_ERROR(scratch.get(fn, total * sizeof(T), &raw));
  LATHE_CUDA_RETURN_IF_ERROR(launch(fn, d, p.total, sort_prepare_kernel<T>, p,
                                    static_cast<const T*>(in->data), static_cast<K*>(keys_in),
                                    static_cast<int64_t*>(pos_in), static_cast<T*>(raw)));

  auto starts = thrust::make_transform_iterator(thrust::counting_iterator<int64_t>(0), LineStart{p.n});
  const int64_t lines = p.total / p.n;
  size_t temp_bytes = 0;
  cudaError_t err = cub::DeviceSegmentedSort::StableSortPairs(
      nullptr, temp_bytes, static_cast<const K*>(keys_in), static_cast<K*>(keys_out),
      static_cast<const int64_t*>(pos_in), static_cast<int64_t*>(pos_out), p.total, lines, starts,
      starts + 1, d->stream);
  if (err != cudaSuccess) return cuda_fail(fn, "cub::DeviceSegmentedSort (size query)", err);
  LATHE_CUDA_RETURN_IF_ERROR(scratch.get(fn, temp_bytes, &temp));
  err = cub::DeviceSegmentedSort::StableSortPairs(
      temp, temp_bytes, static_cast<const K*>(keys_in), static_cast<K*>(keys_out),
      static_cast<const int64_t*>(pos_in), static_cast<int64_t*>(pos_out), p.total, lines, starts,
      starts + 1, d->stream);
  if (err != cudaSuccess) return cuda_fail(fn, "cub::DeviceSegmentedSort", err);

  return launch(fn, d, p.total, sort_finish_kernel<T>, p, static_cast<const int64_t*>(pos_out),
                static_cast<const T*>(raw), static_cast<T*>(values->data),
                static_cast<int64_t*>(indices->data));
}

}  // namespace

lathe_status sort(int32_t device, const lathe_view* in, const lathe_view* values,
                  const lathe_view* indices, int32_t axis, int32_t descending) {
  const char* fn = "sort";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "in", in));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "values", values));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "indices", indices));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "in", in, "values", values));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "in", in, "indices", indices));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "in", in, "values", values));
  LATHE_CUDA_RETURN_IF_ERROR(check_dtype_is(fn, "indices", indices, LATHE_I64));
  LATHE_CUDA_RETURN_IF_ERROR(check_axis(fn, axis, in->ndim));
  if (!is_float(in->dtype) && !is_int(in->dtype)) return unsupported_dtype(fn, in->dtype);
  SortPlan p;
  p.total = numel(in);
  if (p.total == 0) return LATHE_OK;
  int64_t lines[LATHE_MAX_DIMS];
  for (int32_t k = 0; k < in->ndim; ++k) lines[k] = k == axis ? 1 : in->shape[k];
  const int64_t* strides[] = {in->strides, values->strides, indices->strides};
  p.lines = make_indexer(in->ndim, lines, 3, strides);
  p.n = in->shape[axis];
  p.in_stride = in->strides[axis];
  p.values_stride = values->strides[axis];
  p.indices_stride = indices->strides[axis];
  p.descending = descending != 0;
  switch (in->dtype) {
    case LATHE_F32: return run_sort<float>(d, p, in, values, indices);
    case LATHE_F64: return run_sort<double>(d, p, in, values, indices);
    case LATHE_F16: return run_sort<f16>(d, p, in, values, indices);
    case LATHE_BF16: return run_sort<bf16>(d, p, in, values, indices);
    case LATHE_I32: return run_sort<int32_t>(d, p, in, values, indices);
    case LATHE_I64: return run_sort<int64_t>(d, p, in, values, indices);
    default: return unsupported_dtype(fn, in->dtype);
  }
}

}  // namespace lathe_cuda
