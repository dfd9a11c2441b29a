// Batched matmul of the cuda backend through cuBLAS (cublasGemmStridedBatchedEx, 64-bit
// API). The index work (which product, which operand transposed, batch coalescing, one call
// for a batch against a broadcast matrix) is plan_gemm in indexer.h, tested on the host; here
// operands cuBLAS cannot address are made dense and the calls are issued.
//
// Precision: f32 with f32 accumulation and no TF32 unless LATHE_CUDA_ALLOW_TF32=1; f64 in f64;
// f16 and bf16 with f32 accumulation (tensor cores), rounded once on store.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "backends/cuda/cuda.h"
#include "backends/cuda/element.h"
#include "backends/cuda/indexer.h"

namespace lathe_cuda {

namespace {

// The data type, compute type and scalars of one dtype's GEMM.
struct GemmTypes {
  cudaDataType data;
  cublasComputeType_t compute;
  const void* one;
  const void* zero;
};

GemmTypes gemm_types(lathe_dtype dt, bool allow_tf32) {
  static const float one_f = 1.0f, zero_f = 0.0f;
  static const double one_d = 1.0, zero_d = 0.0;
  switch (dt) {
    case LATHE_F64: return {CUDA_R_64F, CUBLAS_COMPUTE_64F, &one_d, &zero_d};
    case LATHE_F16: return {CUDA_R_16F, CUBLAS_COMPUTE_32F, &one_f, &zero_f};
    case LATHE_BF16: return {CUDA_R_16BF, CUBLAS_COMPUTE_32F, &one_f, &zero_f};
    default:
      return {CUDA_R_32F, allow_tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F, &one_f,
              &zero_f};
  }
}

lathe_status blas_fail(const char* what, cublasStatus_t s) {
  return fail(s == CUBLAS_STATUS_ALLOC_FAILED ? LATHE_ERR_OUT_OF_MEMORY : LATHE_ERR_DEVICE,
              "matmul: %s: %s", what, cublasGetStatusString(s));
}

// A dense row-major view of v's shape and dtype in scratch memory.
lathe_status dense_buffer(Scratch& scratch, const lathe_view* v, lathe_view* dense) {
  *dense = *v;
  int64_t stride = 1;
  for (int32_t k = v->ndim - 1; k >= 0; --k) {
    dense->strides[k] = stride;
    stride *= v->shape[k];
  }
  void* p = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(scratch.get(
      "matmul", static_cast<size_t>(numel(v)) * static_cast<size_t>(dtype_bytes(v->dtype)), &p));
  dense->data = p;
  return LATHE_OK;
}

lathe_status dense_copy(int32_t device, Scratch& scratch, const lathe_view* v, lathe_view* dense) {
  LATHE_CUDA_RETURN_IF_ERROR(dense_buffer(scratch, v, dense));
  return copy(device, v, dense);
}

}  // namespace

lathe_status matmul(int32_t device, const lathe_view* a, const lathe_view* b,
                    const lathe_view* out) {
  const char* fn = "matmul";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "a", a));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "b", b));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "out", out));
  const int32_t nd = out->ndim;
  if (nd < 2 || a->ndim != nd || b->ndim != nd) {
    return fail(LATHE_ERR_INVALID, "matmul: a, b and out need one ndim >= 2, got %d, %d and %d",
                a->ndim, b->ndim, nd);
  }
  LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "a", a, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "b", b, "out", out));
  bool shapes_ok = a->shape[nd - 1] == b->shape[nd - 2] && out->shape[nd - 2] == a->shape[nd - 2] &&
                   out->shape[nd - 1] == b->shape[nd - 1];
  for (int32_t k = 0; k < nd - 2; ++k)
    shapes_ok = shapes_ok && a->shape[k] == out->shape[k] && b->shape[k] == out->shape[k];
  if (!shapes_ok) {
    return fail(LATHE_ERR_INVALID, "matmul: shapes %s @ %s -> %s do not match", shape_text(a).text,
                shape_text(b).text, shape_text(out).text);
  }
  if (!is_float(out->dtype)) return unsupported_dtype(fn, out->dtype);
  const int64_t m = a->shape[nd - 2], k = a->shape[nd - 1], n = b->shape[nd - 1];
  if (numel(out) == 0) return LATHE_OK;
  if (k == 0) return fill(device, out, 0.0);  // a sum of nothing

  // Operands cuBLAS cannot address are copied dense first; out is written in place unless
  // cuBLAS cannot address it or a batch dim repeats its elements.
  Scratch scratch(d);
  lathe_view av = *a, bv = *b, cv = *out;
  if (blas_matrix(m, k, a->strides[nd - 2], a->strides[nd - 1]).layout == BlasLayout::kNone)
    LATHE_CUDA_RETURN_IF_ERROR(dense_copy(device, scratch, a, &av));
  if (blas_matrix(k, n, b->strides[nd - 2], b->strides[nd - 1]).layout == BlasLayout::kNone)
    LATHE_CUDA_RETURN_IF_ERROR(dense_copy(device, scratch, b, &bv));
  bool out_in_place =
      blas_matrix(m, n, out->strides[nd - 2], out->strides[nd - 1]).layout != BlasLayout::kNone;
  for (int32_t q = 0; q < nd - 2; ++q)
    out_in_place = out_in_place && (out->shape[q] <= 1 || out->strides[q] != 0);
  if (!out_in_place) LATHE_CUDA_RETURN_IF_ERROR(dense_buffer(scratch, out, &cv));

  const int64_t elem = dtype_bytes(out->dtype);
  const GemmTypes t = gemm_types(out->dtype, d->allow_tf32);
  const char* a_data = static_cast<const char*>(av.data);
  const char* b_data = static_cast<const char*>(bv.data);
  char* c_data = static_cast<char*>(cv.data);
  lathe_status status = LATHE_OK;
  plan_gemm(nd, out->shape, k, av.strides, bv.strides, cv.strides, [&](const GemmCall& g) {
    if (status != LATHE_OK) return;
    const char* first = (g.first_is_a ? a_data : b_data) + g.first_offset * elem;
    const char* second = (g.first_is_a ? b_data : a_data) + g.second_offset * elem;
    cublasStatus_t s = cublasGemmStridedBatchedEx_64(
        d->blas, g.trans_first ? CUBLAS_OP_T : CUBLAS_OP_N,
        g.trans_second ? CUBLAS_OP_T : CUBLAS_OP_N, g.rows, g.cols, g.k, t.one, first, t.data,
        g.first_ld, g.first_stride, second, t.data, g.second_ld, g.second_stride, t.zero,
        c_data + g.c_offset * elem, t.data, g.ldc, g.c_stride, g.count, t.compute,
        CUBLAS_GEMM_DEFAULT);
    if (s != CUBLAS_STATUS_SUCCESS) status = blas_fail("cublasGemmStridedBatchedEx", s);
  });
  LATHE_CUDA_RETURN_IF_ERROR(status);
  if (!out_in_place) return copy(device, &cv, out);
  return LATHE_OK;
}

}  // namespace lathe_cuda
