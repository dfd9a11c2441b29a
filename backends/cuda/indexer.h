// Index math of the cuda backend, host and device: an N-d iteration space over up to four
// strided operands (an Indexer), built on the host with dims coalesced, turned into per-operand
// element offsets on the device for each row-major linear index; how cuBLAS (column-major) can
// read a strided matrix, and the plan of cuBLAS calls for a batched matmul. Header-only and
// free of CUDA types, so tests/backends/cuda_test.cpp checks all of it on the host (against a
// plain odometer, and with a host stand-in for cuBLAS's GEMM).
#ifndef LATHE_CUDA_INDEXER_H
#define LATHE_CUDA_INDEXER_H

#include <stdint.h>

#include "backends/backend.h"
#include "backends/philox.h"  // LATHE_HD

namespace lathe_cuda {

constexpr int kMaxOperands = 4;

// shape[0] is the outermost dim. Every kernel argument is passed by value (about 330 bytes).
struct Indexer {
  int32_t ndim;  // >= 1
  int32_t nops;
  int64_t shape[LATHE_MAX_DIMS];
  int64_t strides[kMaxOperands][LATHE_MAX_DIMS];  // in elements
};

static inline LATHE_HD int64_t indexer_numel(const Indexer& ix) {
  int64_t n = 1;
  for (int d = 0; d < ix.ndim; ++d) n *= ix.shape[d];
  return n;
}

// Element offsets of every operand at row-major linear index i (0 <= i < numel).
static inline LATHE_HD void indexer_offsets(const Indexer& ix, int64_t i, int64_t* off) {
  if (ix.ndim == 1) {  // the common case after coalescing: no division
    for (int k = 0; k < ix.nops; ++k) off[k] = i * ix.strides[k][0];
    return;
  }
  for (int k = 0; k < ix.nops; ++k) off[k] = 0;
  for (int d = ix.ndim - 1; d > 0; --d) {
    const int64_t q = i / ix.shape[d];
    const int64_t idx = i - q * ix.shape[d];
    i = q;
    for (int k = 0; k < ix.nops; ++k) off[k] += idx * ix.strides[k][d];
  }
  for (int k = 0; k < ix.nops; ++k) off[k] += i * ix.strides[k][0];
}

// An Indexer over `shape` (ndim dims) for nops operands with strides[k][d]: dims of extent 1
// are dropped, and a dim merges into the next inner one when every operand steps through both
// as one. The row-major linear index is unchanged by this, so a kernel may rely on it (rand).
// A 0-d shape (or all extents 1) becomes one dim of extent 1.
static inline Indexer make_indexer(int32_t ndim, const int64_t* shape, int nops,
                                   const int64_t* const* strides) {
  Indexer ix;
  ix.ndim = 0;
  ix.nops = nops;
  for (int d = 0; d < ndim; ++d) {
    if (shape[d] == 1) continue;
    ix.shape[ix.ndim] = shape[d];
    for (int k = 0; k < nops; ++k) ix.strides[k][ix.ndim] = strides[k][d];
    ++ix.ndim;
  }
  if (ix.ndim == 0) {
    ix.ndim = 1;
    ix.shape[0] = 1;
    for (int k = 0; k < nops; ++k) ix.strides[k][0] = 0;
    return ix;
  }
  // Merge from the inside out; `out` is the innermost kept dim.
  int out = ix.ndim - 1;
  for (int d = ix.ndim - 2; d >= 0; --d) {
    bool mergeable = true;
    for (int k = 0; k < nops; ++k)
      mergeable = mergeable && ix.strides[k][d] == ix.strides[k][out] * ix.shape[out];
    if (mergeable) {
      ix.shape[out] *= ix.shape[d];  // the merged dim keeps the inner dim's strides
    } else {
      --out;
      ix.shape[out] = ix.shape[d];
      for (int k = 0; k < nops; ++k) ix.strides[k][out] = ix.strides[k][d];
    }
  }
  const int kept = ix.ndim - out;
  for (int d = 0; d < kept; ++d) {
    ix.shape[d] = ix.shape[d + out];
    for (int k = 0; k < nops; ++k) ix.strides[k][d] = ix.strides[k][d + out];
  }
  ix.ndim = kept;
  return ix;
}

// How cuBLAS can read a row-major [rows, cols] matrix whose element (i, j) sits at
// i * rs + j * cs: as the column-major [cols, rows] matrix X^T (kRowMajor: unit column
// stride) or as the column-major [rows, cols] matrix X (kColMajor: unit row stride), with
// leading dimension ld >= max(1, its first extent). Strides of extent-1 dims do not matter.
// kNone: neither (a broadcast or doubly strided matrix), the caller makes a dense copy.
enum class BlasLayout { kNone, kRowMajor, kColMajor };

struct BlasMatrix {
  BlasLayout layout;
  int64_t ld;
};

static inline BlasMatrix blas_matrix(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
  const int64_t min_row_ld = cols > 1 ? cols : 1;  // X^T has cols rows
  const int64_t min_col_ld = rows > 1 ? rows : 1;  // X has rows rows
  if (cs == 1 || cols <= 1) {
    const int64_t ld = rows <= 1 ? min_row_ld : rs;
    if (ld >= min_row_ld) return {BlasLayout::kRowMajor, ld};
  }
  if (rs == 1 || rows <= 1) {
    const int64_t ld = cols <= 1 ? min_col_ld : cs;
    if (ld >= min_col_ld) return {BlasLayout::kColMajor, ld};
  }
  return {BlasLayout::kNone, 0};
}

// One cublasGemmStridedBatchedEx call: for q < count, the column-major rows x cols matrix at
// c_offset + q c_stride (leading dim ldc) = op(first) op(second), where op transposes when
// asked; offsets and strides in elements from the operands' data pointers.
struct GemmCall {
  bool first_is_a;  // true: C = A B; false: C^T = B^T A^T (first is B, second is A)
  bool trans_first, trans_second;
  int64_t rows, cols, k, count;
  int64_t first_offset, first_ld, first_stride;
  int64_t second_offset, second_ld, second_stride;
  int64_t c_offset, ldc, c_stride;
};

// Plans out[..., M, N] = a[..., M, K] @ b[..., K, N] (views of ndim nd >= 2; `shape` is out's
// shape, as/bs/cs the strides) as cuBLAS calls, emit(const GemmCall&) for each. Every matrix
// must be addressable (blas_matrix not kNone) and out's batch dims must not repeat an element.
//   - A row-major C (unit column stride) is the column-major C^T = B^T A^T; a column-major C is
//     A B. An operand stored in the orientation the product wants is read as is (op N), the
//     other orientation transposed (op T).
//   - Batch dims are coalesced; the innermost is the call's batch (a's or b's stride may be 0),
//     the others a loop of calls.
//   - A batch of row-major A and C against one B (stride 0: a linear layer on a 3-d input)
//     whose rows follow each other across the batch is one call with count * M rows.
template <typename Emit>
void plan_gemm(int32_t nd, const int64_t* shape, int64_t k, const int64_t* as, const int64_t* bs,
               const int64_t* cs, Emit emit) {
  const int64_t m = shape[nd - 2], n = shape[nd - 1];
  const BlasMatrix la = blas_matrix(m, k, as[nd - 2], as[nd - 1]);
  const BlasMatrix lb = blas_matrix(k, n, bs[nd - 2], bs[nd - 1]);
  const BlasMatrix lc = blas_matrix(m, n, cs[nd - 2], cs[nd - 1]);
  const int64_t* batch_strides[] = {as, bs, cs};
  const Indexer batch = make_indexer(nd - 2, shape, 3, batch_strides);
  const int inner = batch.ndim - 1;
  int64_t count = batch.shape[inner];
  int64_t rows_of_a = m;
  const int64_t sa = batch.strides[0][inner], sb = batch.strides[1][inner];
  const int64_t sc = batch.strides[2][inner];
  if (batch.ndim == 1 && count > 1 && sb == 0 && la.layout == BlasLayout::kRowMajor &&
      lc.layout == BlasLayout::kRowMajor && sa == m * la.ld && sc == m * lc.ld) {
    rows_of_a = m * count;
    count = 1;
  }
  const bool row = lc.layout == BlasLayout::kRowMajor;
  GemmCall call;
  call.first_is_a = !row;
  const BlasMatrix& first = row ? lb : la;
  const BlasMatrix& second = row ? la : lb;
  call.trans_first = first.layout != lc.layout;
  call.trans_second = second.layout != lc.layout;
  call.rows = row ? n : rows_of_a;
  call.cols = row ? rows_of_a : n;
  call.k = k;
  call.count = count;
  call.first_ld = first.ld;
  call.first_stride = row ? sb : sa;
  call.second_ld = second.ld;
  call.second_stride = row ? sa : sb;
  call.ldc = lc.ld;
  call.c_stride = sc;
  // The outer batch dims (all but the innermost coalesced one), walked here.
  Indexer outer = batch;
  outer.ndim = inner > 0 ? inner : 1;
  if (inner == 0) outer.shape[0] = 1;
  const int64_t outer_count = indexer_numel(outer);
  for (int64_t q = 0; q < outer_count; ++q) {
    int64_t off[3] = {0, 0, 0};
    if (inner > 0) indexer_offsets(outer, q, off);
    call.first_offset = row ? off[1] : off[0];
    call.second_offset = row ? off[0] : off[1];
    call.c_offset = off[2];
    emit(call);
  }
}

}  // namespace lathe_cuda

#endif  // LATHE_CUDA_INDEXER_H
